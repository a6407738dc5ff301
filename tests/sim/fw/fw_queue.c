// SPDX-License-Identifier: MIT
/*
 * Work queues (kernel-firmware-facts.md sections 3.5-3.8): RunWorkQueueMsg
 * on the pipe rings, QueueInfo/RingState, Barrier and Run* commands with
 * their microsequences, stamps, the notifier, Globals.pending_stamps, and
 * the Fault/Timeout/halt/resume flow (section 6.2).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fw_priv.h"

/* ---- queue table ---------------------------------------------------------- */

static struct fw_queue *find_queue(struct agxsim_fw *fw, uint64_t info_va)
{
	for (unsigned int i = 0; i < FW_MAX_QUEUES; i++)
		if (fw->queues[i].used && fw->queues[i].info_va == info_va)
			return &fw->queues[i];
	return NULL;
}

static int load_queue(struct agxsim_fw *fw, struct fw_queue *q)
{
	const struct agxfw_layout *l = fw->l;
	uint32_t qsz = agxfw_sizeof(l, AGXFW_S_QueueInfo);
	uint8_t buf[0x100];

	if (qsz > sizeof(buf) || fw_read(fw, q->info_va, buf, qsz))
		return -EFAULT;
	q->state_va = agxfw_get(l, buf, AGXFW_F_QueueInfo__state);
	q->ring_va = agxfw_get(l, buf, AGXFW_F_QueueInfo__ring);
	q->context_va = agxfw_get(l, buf, AGXFW_F_QueueInfo__gpu_context);
	if (fw_read32(fw, q->state_va +
		      agxfw_offsetof(l, AGXFW_F_RingState__gpu_rptr), &q->rptr))
		return -EFAULT;
	return 0;
}

void fw_pipe_message(struct agxsim_fw *fw, unsigned int prio, unsigned int pipe,
		     const uint8_t *msg)
{
	const struct agxfw_layout *l = fw->l;
	uint64_t wq = agxfw_get(l, msg, AGXFW_F_RunWorkQueueMsg__work_queue);
	uint32_t slot = (uint32_t)agxfw_get(l, msg, AGXFW_F_RunWorkQueueMsg__event_slot);
	uint32_t ptype = (uint32_t)agxfw_get(l, msg, AGXFW_F_RunWorkQueueMsg__pipe_type);
	bool is_new = agxfw_get(l, msg, AGXFW_F_RunWorkQueueMsg__is_new) != 0;
	struct fw_queue *q = find_queue(fw, wq);

	if (ptype != pipe)
		fw_log(fw, 3, "RunWorkQueue: pipe_type %u on the ring of pipe %u",
		       ptype, pipe);
	if (!q) {
		for (unsigned int i = 0; i < FW_MAX_QUEUES && !q; i++)
			if (!fw->queues[i].used)
				q = &fw->queues[i];
		if (!q) {
			fw_crash(fw, "too many work queues");
			return;
		}
		memset(q, 0, sizeof(*q));
		q->used = true;
		q->info_va = wq;
		is_new = true;
	}
	q->pipe = pipe;
	q->prio = prio;
	q->event_slot = slot;
	if (is_new) {
		q->error = false;
		q->blocked = false;
		if (load_queue(fw, q)) {
			fw_channel_error(fw, q, FW_CHERR_MEMORY, 0);
			return;
		}
	}
	if (slot >= agxfw_const_get(l, AGXFW_C_NUM_EVENTS))
		fw_log(fw, 3, "RunWorkQueue: event slot %u out of range", slot);
	q->blocked = false;   /* new work: look again */
}

/* ---- stamps, notifier, pending stamps ------------------------------------ */

static unsigned int pending_shift(struct agxsim_fw *fw)
{
	return fw_combo_ver(fw->l) >= 1305 ? 4 : 3;
}

static uint64_t pending_entry_va(struct agxsim_fw *fw, unsigned int i)
{
	return fw->globals_va +
	       agxfw_offsetof(fw->l, AGXFW_F_Globals__pending_stamps__info) +
	       (uint64_t)i * fw->l->fields[AGXFW_F_Globals__pending_stamps__info].stride;
}

/* Record an in-flight command; returns the entry index or -1. */
static int pending_add(struct agxsim_fw *fw, uint32_t slot, uint32_t value)
{
	unsigned int n = fw->l->fields[AGXFW_F_Globals__pending_stamps__info].count;
	uint32_t dv = agxfw_offsetof(fw->l, AGXFW_F_Globals__pending_stamps__wait_value) -
		      agxfw_offsetof(fw->l, AGXFW_F_Globals__pending_stamps__info);

	for (unsigned int i = 0; i < n; i++) {
		uint64_t va = pending_entry_va(fw, i);
		uint32_t info;

		if (fw_read32(fw, va, &info))
			return -1;
		if (info & 1)
			continue;
		fw_write32(fw, va + dv, value);
		fw_write32(fw, va, 1u | (slot & 0x7f) << pending_shift(fw));
		return (int)i;
	}
	return -1;
}

static void pending_clear(struct agxsim_fw *fw, int idx)
{
	if (idx >= 0)
		fw_write32(fw, pending_entry_va(fw, (unsigned int)idx), 0);
}

static struct fw_notifier *notifier_entry(struct agxsim_fw *fw, uint64_t va)
{
	struct fw_notifier *lru = &fw->notifiers[0];

	for (unsigned int i = 0; i < FW_MAX_NOTIFIERS; i++) {
		struct fw_notifier *n = &fw->notifiers[i];

		if (n->va == va) {
			n->last_use = fw->ts;
			return n;
		}
		if (n->last_use < lru->last_use)
			lru = n;
	}
	/* Forget the least recently used one (its slots fire now). */
	for (unsigned int w = 0; w < 4; w++)
		fw->firing[w] |= lru->pending[w];
	memset(lru, 0, sizeof(*lru));
	lru->va = va;
	lru->last_use = fw->ts;
	return lru;
}

/*
 * One completion notification for @notifier_va: count it and remember the
 * queue's event slot; once the count reaches the kernel's threshold, fire
 * every slot that completed work since the notifier last fired.
 */
static void notify(struct agxsim_fw *fw, struct fw_queue *q, uint64_t notifier_va)
{
	const struct agxfw_layout *l = fw->l;
	uint64_t thr_va = 0, thr = 0;
	uint32_t cur = 0;
	uint64_t cur_va = notifier_va + agxfw_offsetof(l, AGXFW_F_Notifier__cur_count);
	struct fw_notifier *n;

	if (!notifier_va ||
	    fw_read64(fw, notifier_va + agxfw_offsetof(l, AGXFW_F_Notifier__threshold),
		      &thr_va) ||
	    fw_read64(fw, thr_va + agxfw_offsetof(l, AGXFW_F_Threshold__value), &thr) ||
	    fw_read32(fw, cur_va, &cur)) {
		fw_log(fw, 3, "notifier 0x%llx unreadable: signalling slot %u anyway",
		       (unsigned long long)notifier_va, q->event_slot);
		fw_flag(fw, q->event_slot);
		return;
	}
	n = notifier_entry(fw, notifier_va);
	if (q->event_slot < 128)
		n->pending[q->event_slot / 32] |= 1u << (q->event_slot % 32);
	cur++;
	fw_write32(fw, cur_va, cur);
	if ((uint64_t)cur >= thr) {
		for (unsigned int w = 0; w < 4; w++)
			fw->firing[w] |= n->pending[w];
		memset(n->pending, 0, sizeof(n->pending));
	}
}

static void retire(struct agxsim_fw *fw, struct fw_queue *q, const struct fw_held *h)
{
	if (h->fw_stamp_va)
		fw_write32(fw, h->fw_stamp_va, h->stamp_value);
	if (h->stamp_va && fw_write32(fw, h->stamp_va, h->stamp_value))
		fw_log(fw, 4, "stamp 0x%llx not writable",
		       (unsigned long long)h->stamp_va);
	notify(fw, q, h->notifier_va);
}

static void advance(struct agxsim_fw *fw, struct fw_queue *q, uint32_t rb_size)
{
	const struct agxfw_layout *l = fw->l;

	q->rptr = (q->rptr + 1) % rb_size;
	fw_write32(fw, q->state_va + agxfw_offsetof(l, AGXFW_F_RingState__gpu_rptr),
		   q->rptr);
	fw_write32(fw, q->state_va + agxfw_offsetof(l, AGXFW_F_RingState__gpu_doneptr),
		   q->rptr);
}

/* ---- halt / resume ----------------------------------------------------- */

static void halt(struct agxsim_fw *fw, struct fw_queue *q)
{
	const struct agxfw_layout *l = fw->l;
	uint64_t flags = fw->fwstatus_va;

	fw->halted = true;
	fw->halted_q = q;
	fw->halt_count++;
	fw_write32(fw, flags + agxfw_offsetof(l, AGXFW_F_FwStatus__flags__halt_count),
		   fw->halt_count);
	fw_write32(fw, flags + agxfw_offsetof(l, AGXFW_F_FwStatus__flags__halted), 1);
}

/* The kernel's recover(): halted = 0, resume = 1 (facts 6.2). */
void fw_resume(struct agxsim_fw *fw)
{
	const struct agxfw_layout *l = fw->l;
	uint64_t resume_va = fw->fwstatus_va +
			     agxfw_offsetof(l, AGXFW_F_FwStatus__flags__resume);
	uint32_t resume = 0;
	struct fw_queue *q = fw->halted_q;

	if (fw_read32(fw, resume_va, &resume) || !resume)
		return;
	fw_write32(fw, resume_va, 0);
	fw_write32(fw, fw->fwstatus_va +
		   agxfw_offsetof(l, AGXFW_F_FwStatus__flags__halted), 0);
	fw->halted = false;
	fw->halted_q = NULL;
	agxsim_uat_clear_fault(fw->dev->uat);
	fw_log(fw, 2, "resumed after halt %u", fw->halt_count);
	if (q && q->held.valid) {
		uint32_t rb_size = 0;

		retire(fw, q, &q->held);
		q->held.valid = false;
		fw_read32(fw, q->state_va +
			  agxfw_offsetof(l, AGXFW_F_RingState__rb_size), &rb_size);
		if (rb_size)
			advance(fw, q, rb_size);
	}
}

static void post_fault(struct agxsim_fw *fw, struct fw_queue *q)
{
	const struct agxfw_layout *l = fw->l;
	uint8_t msg[0x40] = { 0 };
	uint32_t uuid = 0;

	fw_read32(fw, q->info_va + agxfw_offsetof(l, AGXFW_F_QueueInfo__uuid), &uuid);
	fw_write32(fw, fw->globals_va +
		   agxfw_offsetof(l, AGXFW_F_Globals__fault_info__queue_uuid), uuid);
	halt(fw, q);
	agxfw_set(l, msg, AGXFW_F_EventMsg__tag, agxfw_const_get(l, AGXFW_C_EVENT_FAULT));
	fw_log(fw, 4, "GPU fault on queue 0x%llx (slot %u)",
	       (unsigned long long)q->info_va, q->event_slot);
	fw_post_event(fw, msg);
}

static void post_timeout(struct agxsim_fw *fw, struct fw_queue *q)
{
	const struct agxfw_layout *l = fw->l;
	uint8_t msg[0x40] = { 0 };

	halt(fw, q);
	agxfw_set(l, msg, AGXFW_F_EventTimeoutMsg__tag,
		  agxfw_const_get(l, AGXFW_C_EVENT_TIMEOUT));
	agxfw_set(l, msg, AGXFW_F_EventTimeoutMsg__counter, ++fw->timeout_count);
	agxfw_set(l, msg, AGXFW_F_EventTimeoutMsg__event_slot, q->event_slot);
	fw_log(fw, 4, "GPU timeout on queue 0x%llx (slot %u)",
	       (unsigned long long)q->info_va, q->event_slot);
	fw_post_event(fw, msg);
}

/* ---- GPU hooks ------------------------------------------------------------ */

struct run_ctx {
	struct fw_queue *q;
	uint8_t *cmd;
	uint64_t cmd_va;
	uint32_t tag;
	uint32_t vm_slot;
	uint32_t stamp_value;
	struct fw_held held;
	struct agxsim_gpu_reg regs[AGXSIM_GPU_MAX_REGS];
	uint32_t reg_count;
};

/* Parse a RegisterArray held at @base (host copy) through field ids. */
static void parse_regs(struct agxsim_fw *fw, struct run_ctx *rc, const uint8_t *base,
		       enum agxfw_field_id num_f, enum agxfw_field_id val_f,
		       enum agxfw_field_id count_f)
{
	const struct agxfw_layout *l = fw->l;
	uint32_t n = (uint32_t)agxfw_get(l, base, count_f);

	if (n > AGXSIM_GPU_MAX_REGS) {
		fw_log(fw, 3, "RegisterArray count %u above %u: the first %u are used", n,
		       AGXSIM_GPU_MAX_REGS, AGXSIM_GPU_MAX_REGS);
		n = AGXSIM_GPU_MAX_REGS;
	}
	for (uint32_t i = 0; i < n; i++) {
		rc->regs[i].number = (uint32_t)agxfw_get_idx(l, base, num_f, i);
		rc->regs[i].value = agxfw_get_idx(l, base, val_f, i);
	}
	rc->reg_count = n;
}

static uint64_t reg_value(const struct run_ctx *rc, uint32_t number)
{
	for (uint32_t i = 0; i < rc->reg_count; i++)
		if (rc->regs[i].number == number)
			return rc->regs[i].value;
	return 0;
}

/* Read a RegisterArray from GPU VA (the Start op's pointer on G14X). */
static void read_regs_va(struct agxsim_fw *fw, struct run_ctx *rc, uint64_t va)
{
	uint32_t sz = agxfw_sizeof(fw->l, AGXFW_S_RegisterArray);
	uint8_t *buf;

	if (!va || !sz || !(buf = calloc(1, sz)))
		return;
	if (!fw_read(fw, va, buf, sz))
		parse_regs(fw, rc, buf, AGXFW_F_RegisterArray__registers__number,
			   AGXFW_F_RegisterArray__registers__value,
			   AGXFW_F_RegisterArray__count);
	free(buf);
}

/* G14X register numbers the Rust driver writes into RegisterArrays. */
#define USC_EXEC_BASE_TA      0x10061u
#define USC_EXEC_BASE_ISP     0x10069u
#define USC_EXEC_BASE_CP      0x10071u
#define CDM_CTRL_STREAM_BASE  0x1a420u
#define CP_HELPER_PROGRAM     0x11841u
#define CP_HELPER_ARG         0x11849u
#define CP_HELPER_CFG         0x11f81u
#define VDM_CTRL_STREAM_BASE  0x1c880u
#define TE_TVB_TILEMAP        0x1c039u
#define TE_TVB_HEAPMETA       0x1c031u
#define TE_TPC_ADDR           0x1c0a1u
#define ISP_TVB_TILEMAP       0x16429u
#define ISP_TVB_HEAPMETA      0x16098u

/*
 * Common part of running a Start* op: inject, call the hook, classify.
 * @probe_va is where an injected page fault is made to happen.
 */
static enum fw_result gpu_result(struct agxsim_fw *fw, struct run_ctx *rc,
				 int ret, const char *what)
{
	if (ret == 0)
		return FW_DONE;
	rc->q->held = rc->held;
	rc->q->held.valid = true;
	if (ret == -ETIMEDOUT) {
		post_timeout(fw, rc->q);
		return FW_HALTED;
	}
	if (fw->dev->hooks.error_msg && fw->dev->hooks.error_msg(fw->dev->hooks.ctx)[0])
		fw_log(fw, 4, "%s: GPU error %d: %.150s", what, ret,
		       fw->dev->hooks.error_msg(fw->dev->hooks.ctx));
	else
		fw_log(fw, 4, "%s: GPU error %d", what, ret);
	post_fault(fw, rc->q);
	return FW_HALTED;
}

/* Returns true when an injection consumed the command (ret set). */
static bool injected(struct agxsim_fw *fw, struct run_ctx *rc,
		     const struct agxsim_mem_if *mem, uint64_t probe_va, int *ret)
{
	enum agxsim_inject what = fw->next_inject;
	uint32_t dummy;
	struct agxsim_fault f;

	if (what != AGXSIM_INJECT_PAGE_FAULT && what != AGXSIM_INJECT_TIMEOUT)
		return false;
	fw->next_inject = AGXSIM_INJECT_NONE;
	if (what == AGXSIM_INJECT_TIMEOUT) {
		*ret = -ETIMEDOUT;
		return true;
	}
	/* Make the job's first fetch fault for real, so the UAT model latches
	 * the registers with this unit, context and address. */
	agxsim_uat_inject_fault(fw->dev->uat, rc->vm_slot, probe_va,
				AGXSIM_MMU_FAULT_UNMAPPED);
	if (agxsim_mem_read(mem, probe_va, &dummy, sizeof(dummy), &f) == 0)
		fw_log(fw, 3, "injected fault did not fire");
	*ret = -EFAULT;
	return true;
}

static void common_init(struct agxsim_fw *fw, struct run_ctx *rc,
			struct agxsim_gpu_job_common *c, uint64_t op_va,
			uint32_t uuid, const struct agxsim_mem_if *mem)
{
	c->layout = fw->l;
	c->uat = fw->dev->uat;
	c->vm_slot = rc->vm_slot;
	c->mem = mem;
	c->cmd_va = rc->cmd_va;
	c->start_op_va = op_va;
	c->uuid = uuid;
	c->stamp_value = rc->stamp_value;
	c->reg_count = rc->reg_count;
	c->regs = rc->regs;
}

static enum fw_result start_compute(struct agxsim_fw *fw, struct run_ctx *rc,
				    const uint8_t *op, uint64_t op_va)
{
	const struct agxfw_layout *l = fw->l;
	struct agxsim_compute_job job = { 0 };
	struct agxsim_uat_port port;
	struct agxsim_mem_if mem;
	struct agxsim_fault fault = { 0 };
	uint8_t p1[0x200], p2[0x100];
	int ret = 0;

	job.job_params1_va = agxfw_get(l, op, AGXFW_F_StartCompute__job_params1);
	job.job_params2_va = agxfw_get(l, op, AGXFW_F_StartCompute__job_params2);
	if (agxfw_has(l, AGXFW_F_RunCompute__registers__count)) {
		parse_regs(fw, rc, rc->cmd, AGXFW_F_RunCompute__registers__registers__number,
			   AGXFW_F_RunCompute__registers__registers__value,
			   AGXFW_F_RunCompute__registers__count);
		job.usc_exec_base = reg_value(rc, USC_EXEC_BASE_CP);
		job.cdm_ctrl_base = reg_value(rc, CDM_CTRL_STREAM_BASE);
		job.helper_program = reg_value(rc, CP_HELPER_PROGRAM);
		job.helper_arg = reg_value(rc, CP_HELPER_ARG);
		job.helper_cfg = reg_value(rc, CP_HELPER_CFG);
		job.job_params1_va = 0;
	} else {
		uint32_t sz = agxfw_sizeof(l, AGXFW_S_ComputeJobParameters1);

		if (sz > sizeof(p1) || fw_read(fw, job.job_params1_va, p1, sz)) {
			fw_channel_error(fw, rc->q, FW_CHERR_MEMORY, rc->stamp_value);
			return FW_CHANNEL_ERR;
		}
		job.cdm_ctrl_base = agxfw_get(l, p1, AGXFW_F_ComputeJobParameters1__encoder);
		job.usc_exec_base = agxfw_get(l, p1, AGXFW_F_ComputeJobParameters1__pipeline_base);
		job.helper_program = agxfw_get(l, p1, AGXFW_F_ComputeJobParameters1__helper_program);
		job.helper_arg = agxfw_get(l, p1, AGXFW_F_ComputeJobParameters1__helper_arg);
		job.helper_cfg = agxfw_get(l, p1, AGXFW_F_ComputeJobParameters1__helper_cfg);
	}
	{
		uint32_t sz = agxfw_sizeof(l, AGXFW_S_ComputeJobParameters2);

		if (sz > sizeof(p2) || fw_read(fw, job.job_params2_va, p2, sz)) {
			fw_channel_error(fw, rc->q, FW_CHERR_MEMORY, rc->stamp_value);
			return FW_CHANNEL_ERR;
		}
		job.cdm_ctrl_end = agxfw_get(l, p2, AGXFW_F_ComputeJobParameters2__encoder_end);
	}
	agxsim_uat_port_init(&port, &mem, fw->dev->uat, rc->vm_slot,
			     AGXSIM_UNIT_dCDM_KS0, AGXSIM_AGENT_GPU);
	common_init(fw, rc, &job.c, op_va,
		    (uint32_t)agxfw_get(l, op, AGXFW_F_StartCompute__uuid), &mem);

	if (!injected(fw, rc, &mem, job.cdm_ctrl_base ? job.cdm_ctrl_base :
		      job.usc_exec_base, &ret)) {
		if (fw->dev->hooks.run_compute)
			ret = fw->dev->hooks.run_compute(fw->dev->hooks.ctx, &job, &fault);
		else
			fw_log(fw, 0, "RunCompute 0x%llx: no GPU model, completed "
			       "without executing", (unsigned long long)rc->cmd_va);
	}
	return gpu_result(fw, rc, ret, "RunCompute");
}

/* A buffer-manager error (fw_bm_*): see fw_priv.h for the codes. */
static enum fw_result bm_error(struct agxsim_fw *fw, struct run_ctx *rc, int err,
			       const char *what, const char *why)
{
	fw_log(fw, 4, "%s: TVB: %s", what, why);
	if (err == -ENXIO)
		return gpu_result(fw, rc, -EFAULT, what);
	fw_channel_error(fw, rc->q, err == -EFAULT ? FW_CHERR_MEMORY : FW_CHERR_ABORTED,
			 rc->stamp_value);
	return FW_CHANNEL_ERR;
}

static enum fw_result start_vertex(struct agxsim_fw *fw, struct run_ctx *rc,
				   const uint8_t *op, uint64_t op_va)
{
	const struct agxfw_layout *l = fw->l;
	struct agxsim_vertex_job job = { 0 };
	struct agxsim_uat_port port;
	struct agxsim_mem_if mem;
	struct agxsim_fault fault = { 0 };
	uint8_t *p1 = NULL;
	int ret = 0;

	job.tiling_params_va = agxfw_get(l, op, AGXFW_F_StartVertex__tiling_params);
	job.buffer_va = agxfw_get(l, op, AGXFW_F_StartVertex__buffer);
	job.scene_va = agxfw_get(l, op, AGXFW_F_StartVertex__scene);
	job.buffer_slot = (uint32_t)agxfw_get(l, op, AGXFW_F_StartVertex__buffer_slot);
	if (agxfw_has(l, AGXFW_F_StartVertex__registers)) {
		read_regs_va(fw, rc, agxfw_get(l, op, AGXFW_F_StartVertex__registers));
		job.usc_exec_base = reg_value(rc, USC_EXEC_BASE_TA);
		job.vdm_ctrl_base = reg_value(rc, VDM_CTRL_STREAM_BASE);
		job.tvb_tilemap = reg_value(rc, TE_TVB_TILEMAP);
		job.tvb_heapmeta = reg_value(rc, TE_TVB_HEAPMETA) & ~(1ull << 63);
		job.tpc = reg_value(rc, TE_TPC_ADDR);
	} else {
		uint32_t sz = agxfw_sizeof(l, AGXFW_S_VertexJobParameters1);

		job.job_params1_va = agxfw_get(l, op, AGXFW_F_StartVertex__job_params1);
		p1 = calloc(1, sz);
		if (!p1 || fw_read(fw, job.job_params1_va, p1, sz)) {
			free(p1);
			fw_log(fw, 4, "RunVertex: job_params1 0x%llx unreadable",
			       (unsigned long long)job.job_params1_va);
			fw_channel_error(fw, rc->q, FW_CHERR_MEMORY, rc->stamp_value);
			return FW_CHANNEL_ERR;
		}
		job.vdm_ctrl_base = agxfw_get(l, p1, AGXFW_F_VertexJobParameters1__encoder_addr);
		job.usc_exec_base = agxfw_get(l, p1, AGXFW_F_VertexJobParameters1__pipeline_base);
		job.tvb_tilemap = agxfw_get(l, p1, AGXFW_F_VertexJobParameters1__tvb_tilemap);
		job.tvb_heapmeta = agxfw_get(l, p1, AGXFW_F_VertexJobParameters1__tvb_heapmeta);
		job.tpc = agxfw_get(l, p1, AGXFW_F_VertexJobParameters1__tpc);
		free(p1);
	}
	agxsim_uat_port_init(&port, &mem, fw->dev->uat, rc->vm_slot,
			     AGXSIM_UNIT_VDM, AGXSIM_AGENT_GPU);
	common_init(fw, rc, &job.c, op_va,
		    (uint32_t)agxfw_get(l, op, AGXFW_F_StartVertex__uuid), &mem);

	/* The buffer manager first: the job's buffer must be bound
	 * (InitBuffer) and well-formed; blocks the kernel added since are
	 * taken in here. */
	struct fw_tvb_wait *w = &rc->q->tvb_wait;
	bool retry = w->valid && w->acked && w->cmd_va == rc->cmd_va;
	uint32_t pages = 0;
	struct fw_bm *bm;
	char why[200];
	int err;

	job.tvb_pages = &pages;
	bm = fw_bm_bind(fw, job.buffer_slot, rc->vm_slot, job.buffer_va, &fault, &err, why,
			sizeof(why));
	if (!bm) {
		memset(w, 0, sizeof(*w));
		return bm_error(fw, rc, err, "RunVertex", why);
	}
	if (retry) {
		/* After GrowTVBAck: the scene is binned already (the GPU model
		 * keeps it), only its pages are allocated again. */
		pages = w->pages;
	} else {
		memset(w, 0, sizeof(*w));
		if (!injected(fw, rc, &mem, job.vdm_ctrl_base, &ret)) {
			if (fw->dev->hooks.run_vertex)
				ret = fw->dev->hooks.run_vertex(fw->dev->hooks.ctx, &job, &fault);
			else
				fw_log(fw, 0, "RunVertex 0x%llx: no GPU model, completed "
				       "without executing", (unsigned long long)rc->cmd_va);
		}
		if (ret)
			return gpu_result(fw, rc, ret, "RunVertex");
	}
	err = fw_bm_vertex(fw, bm, job.scene_va, pages, retry, why, sizeof(why));
	if (err == -EAGAIN) {
		w->valid = true;
		w->acked = false;
		w->cmd_va = rc->cmd_va;
		w->pages = pages;
		w->buffer_slot = bm->slot;
		w->vm_slot = bm->vm_slot;
		fw_bm_post_grow(fw, bm, &w->counter);
		return FW_WAIT_GROW;
	}
	memset(w, 0, sizeof(*w));
	if (err)
		return bm_error(fw, rc, err, "RunVertex", why);
	return FW_DONE;
}

static enum fw_result start_fragment(struct agxsim_fw *fw, struct run_ctx *rc,
				     const uint8_t *op, uint64_t op_va)
{
	const struct agxfw_layout *l = fw->l;
	struct agxsim_fragment_job job = { 0 };
	struct agxsim_uat_port port;
	struct agxsim_mem_if mem;
	struct agxsim_fault fault = { 0 };
	uint8_t *p1 = NULL;
	int ret = 0;

	job.scene_va = agxfw_get(l, op, AGXFW_F_StartFragment__scene);
	job.buffer_slot = (uint32_t)agxfw_get(l, op, AGXFW_F_StartFragment__buffer_slot);
	if (agxfw_has(l, AGXFW_F_StartFragment__registers)) {
		read_regs_va(fw, rc, agxfw_get(l, op, AGXFW_F_StartFragment__registers));
		job.usc_exec_base = reg_value(rc, USC_EXEC_BASE_ISP);
		job.tvb_tilemap = reg_value(rc, ISP_TVB_TILEMAP);
		job.tvb_heapmeta = reg_value(rc, ISP_TVB_HEAPMETA);
	} else {
		uint32_t sz = agxfw_sizeof(l, AGXFW_S_FragmentJobParameters1);

		job.job_params1_va = agxfw_get(l, op, AGXFW_F_StartFragment__job_params1);
		job.job_params2_va = agxfw_get(l, op, AGXFW_F_StartFragment__job_params2);
		p1 = calloc(1, sz);
		if (!p1 || fw_read(fw, job.job_params1_va, p1, sz)) {
			free(p1);
			fw_channel_error(fw, rc->q, FW_CHERR_MEMORY, rc->stamp_value);
			return FW_CHANNEL_ERR;
		}
		job.usc_exec_base = agxfw_get(l, p1, AGXFW_F_FragmentJobParameters1__pipeline_base);
		job.tvb_tilemap = agxfw_get(l, p1, AGXFW_F_FragmentJobParameters1__tvb_tilemap);
		job.tvb_heapmeta = agxfw_get(l, p1, AGXFW_F_FragmentJobParameters1__tvb_heapmeta);
		free(p1);
	}
	agxsim_uat_port_init(&port, &mem, fw->dev->uat, rc->vm_slot,
			     AGXSIM_UNIT_IPF, AGXSIM_AGENT_GPU);
	common_init(fw, rc, &job.c, op_va,
		    (uint32_t)agxfw_get(l, op, AGXFW_F_StartFragment__uuid), &mem);
	if (!injected(fw, rc, &mem, job.tvb_tilemap, &ret)) {
		if (fw->dev->hooks.run_fragment)
			ret = fw->dev->hooks.run_fragment(fw->dev->hooks.ctx, &job, &fault);
		else
			fw_log(fw, 0, "RunFragment 0x%llx: no GPU model, completed "
			       "without executing", (unsigned long long)rc->cmd_va);
	}
	/* The scene's TVB pages go back to its buffer (consumed either way). */
	fw_bm_fragment(fw, job.buffer_slot, rc->vm_slot, job.scene_va,
		       agxfw_get(l, op, AGXFW_F_StartFragment__tvb_overflow_count));
	return gpu_result(fw, rc, ret, "RunFragment");
}

/* ---- microsequence --------------------------------------------------------- */

struct op_desc {
	enum agxfw_const_id opc;
	enum agxfw_struct_id s;
};

static const struct op_desc ops[] = {
	{ AGXFW_C_OP_WAIT_FOR_IDLE, AGXFW_S_WaitForIdle },
	{ AGXFW_C_OP_WAIT_FOR_IDLE2, AGXFW_S_WaitForIdle2 },
	{ AGXFW_C_OP_RETIRE_STAMP, AGXFW_S_RetireStamp },
	{ AGXFW_C_OP_TIMESTAMP, AGXFW_S_Timestamp },
	{ AGXFW_C_OP_START_VERTEX, AGXFW_S_StartVertex },
	{ AGXFW_C_OP_FINALIZE_VERTEX, AGXFW_S_FinalizeVertex },
	{ AGXFW_C_OP_START_FRAGMENT, AGXFW_S_StartFragment },
	{ AGXFW_C_OP_FINALIZE_FRAGMENT, AGXFW_S_FinalizeFragment },
	{ AGXFW_C_OP_START_COMPUTE, AGXFW_S_StartCompute },
	{ AGXFW_C_OP_FINALIZE_COMPUTE, AGXFW_S_FinalizeCompute },
};

static enum fw_result run_microseq(struct agxsim_fw *fw, struct run_ctx *rc,
				   uint64_t ms_va, uint32_t ms_size)
{
	const struct agxfw_layout *l = fw->l;
	uint32_t want_start, want_fin;
	enum fw_result res = FW_DONE;
	bool started = false;
	uint8_t *ms;
	uint32_t off = 0;

	if (rc->tag == agxfw_const_get(l, AGXFW_C_CMD_RUN_COMPUTE)) {
		want_start = (uint32_t)agxfw_const_get(l, AGXFW_C_OP_START_COMPUTE);
		want_fin = (uint32_t)agxfw_const_get(l, AGXFW_C_OP_FINALIZE_COMPUTE);
	} else if (rc->tag == agxfw_const_get(l, AGXFW_C_CMD_RUN_VERTEX)) {
		want_start = (uint32_t)agxfw_const_get(l, AGXFW_C_OP_START_VERTEX);
		want_fin = (uint32_t)agxfw_const_get(l, AGXFW_C_OP_FINALIZE_VERTEX);
	} else {
		want_start = (uint32_t)agxfw_const_get(l, AGXFW_C_OP_START_FRAGMENT);
		want_fin = (uint32_t)agxfw_const_get(l, AGXFW_C_OP_FINALIZE_FRAGMENT);
	}

	if (!ms_size || ms_size > FW_MAX_MICROSEQ_B || !(ms = malloc(ms_size)) ) {
		fw_log(fw, 4, "microsequence size 0x%x invalid", ms_size);
		fw_channel_error(fw, rc->q, FW_CHERR_ABORTED, rc->stamp_value);
		return FW_CHANNEL_ERR;
	}
	if (fw_read(fw, ms_va, ms, ms_size)) {
		free(ms);
		fw_channel_error(fw, rc->q, FW_CHERR_MEMORY, rc->stamp_value);
		return FW_CHANNEL_ERR;
	}
	while (off < ms_size && res == FW_DONE) {
		uint32_t hdr, opc, sz = 0;
		const uint8_t *op = ms + off;
		enum agxfw_struct_id s = AGXFW_S_COUNT;

		if (ms_size - off < 4)
			break;
		hdr = (uint32_t)op[0] | (uint32_t)op[1] << 8 |
		      (uint32_t)op[2] << 16 | (uint32_t)op[3] << 24;
		opc = hdr & 0xff;
		for (unsigned int i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
			if (agxfw_const_get(l, ops[i].opc) == opc)
				s = ops[i].s;
		if (s != AGXFW_S_COUNT)
			sz = agxfw_sizeof(l, s);
		if (s == AGXFW_S_COUNT || !sz || sz > ms_size - off) {
			fw_log(fw, 4, "microsequence: bad op 0x%x at +0x%x", hdr, off);
			fw_channel_error(fw, rc->q, FW_CHERR_ABORTED, rc->stamp_value);
			res = FW_CHANNEL_ERR;
			break;
		}
		if (opc == want_start) {
			started = true;
			if (s == AGXFW_S_StartCompute)
				res = start_compute(fw, rc, op, ms_va + off);
			else if (s == AGXFW_S_StartVertex)
				res = start_vertex(fw, rc, op, ms_va + off);
			else
				res = start_fragment(fw, rc, op, ms_va + off);
		} else if (opc == want_fin) {
			enum agxfw_field_id fs, fv;

			if (s == AGXFW_S_FinalizeCompute) {
				fs = AGXFW_F_FinalizeCompute__fw_stamp;
				fv = AGXFW_F_FinalizeCompute__stamp_value;
			} else if (s == AGXFW_S_FinalizeVertex) {
				fs = AGXFW_F_FinalizeVertex__fw_stamp;
				fv = AGXFW_F_FinalizeVertex__stamp_value;
			} else {
				fs = AGXFW_F_FinalizeFragment__fw_stamp;
				fv = AGXFW_F_FinalizeFragment__stamp_value;
			}
			if (!started)
				fw_log(fw, 3, "microsequence: Finalize before Start");
			uint64_t fsv = agxfw_get(l, op, fs);
			if (fsv)
				fw_write32(fw, fsv, (uint32_t)agxfw_get(l, op, fv));
		} else if (opc == agxfw_const_get(l, AGXFW_C_OP_RETIRE_STAMP)) {
			retire(fw, rc->q, &rc->held);
		} else if (opc == agxfw_const_get(l, AGXFW_C_OP_TIMESTAMP)) {
			uint64_t ts_va = agxfw_get(l, op, AGXFW_F_Timestamp__update_ts);
			uint64_t ts = fw->ts;

			if (ts_va)
				fw_write(fw, ts_va, &ts, sizeof(ts));
		} else if (s == AGXFW_S_WaitForIdle || s == AGXFW_S_WaitForIdle2) {
			/* Work runs to completion inside the hooks. */
		} else {
			fw_log(fw, 4, "microsequence: op 0x%x in the wrong command", hdr);
			fw_channel_error(fw, rc->q, FW_CHERR_ABORTED, rc->stamp_value);
			res = FW_CHANNEL_ERR;
		}
		off += sz;
	}
	free(ms);
	return res;
}

/* ---- commands ------------------------------------------------------------ */

static enum fw_result run_command(struct agxsim_fw *fw, struct fw_queue *q,
				  uint64_t cmd_va, uint32_t tag)
{
	const struct agxfw_layout *l = fw->l;
	struct run_ctx *rc;
	enum agxfw_struct_id s;
	enum agxfw_field_id f_vm, f_ms, f_mss, f_notif, f_st, f_fst, f_val;
	enum fw_result res;
	uint32_t sz;
	int pidx;

	if (tag == agxfw_const_get(l, AGXFW_C_CMD_RUN_COMPUTE)) {
		s = AGXFW_S_RunCompute;
		f_vm = AGXFW_F_RunCompute__vm_slot;
		f_ms = AGXFW_F_RunCompute__microsequence;
		f_mss = AGXFW_F_RunCompute__microsequence_size;
		f_notif = AGXFW_F_RunCompute__notifier;
		f_st = AGXFW_F_RunCompute__meta__stamp;
		f_fst = AGXFW_F_RunCompute__meta__fw_stamp;
		f_val = AGXFW_F_RunCompute__meta__stamp_value;
	} else if (tag == agxfw_const_get(l, AGXFW_C_CMD_RUN_VERTEX)) {
		s = AGXFW_S_RunVertex;
		f_vm = AGXFW_F_RunVertex__vm_slot;
		f_ms = AGXFW_F_RunVertex__microsequence;
		f_mss = AGXFW_F_RunVertex__microsequence_size;
		f_notif = AGXFW_F_RunVertex__notifier;
		f_st = AGXFW_F_RunVertex__meta__stamp;
		f_fst = AGXFW_F_RunVertex__meta__fw_stamp;
		f_val = AGXFW_F_RunVertex__meta__stamp_value;
	} else {
		s = AGXFW_S_RunFragment;
		f_vm = AGXFW_F_RunFragment__vm_slot;
		f_ms = AGXFW_F_RunFragment__microsequence;
		f_mss = AGXFW_F_RunFragment__microsequence_size;
		f_notif = AGXFW_F_RunFragment__notifier;
		f_st = AGXFW_F_RunFragment__meta__stamp;
		f_fst = AGXFW_F_RunFragment__meta__fw_stamp;
		f_val = AGXFW_F_RunFragment__meta__stamp_value;
	}
	sz = agxfw_sizeof(l, s);
	rc = calloc(1, sizeof(*rc));
	if (!rc)
		return FW_BLOCKED;
	rc->cmd = calloc(1, sz);
	if (!rc->cmd) {
		free(rc);
		return FW_BLOCKED;
	}
	rc->q = q;
	rc->cmd_va = cmd_va;
	rc->tag = tag;
	if (fw_read(fw, cmd_va, rc->cmd, sz)) {
		fw_channel_error(fw, q, FW_CHERR_MEMORY, 0);
		res = FW_CHANNEL_ERR;
		goto out;
	}
	rc->vm_slot = (uint32_t)agxfw_get(l, rc->cmd, f_vm);
	rc->stamp_value = (uint32_t)agxfw_get(l, rc->cmd, f_val);
	rc->held.stamp_va = agxfw_get(l, rc->cmd, f_st);
	rc->held.fw_stamp_va = agxfw_get(l, rc->cmd, f_fst);
	rc->held.stamp_value = rc->stamp_value;
	rc->held.notifier_va = agxfw_get(l, rc->cmd, f_notif);
	if (rc->vm_slot >= AGXSIM_UAT_NUM_CTX) {
		fw_log(fw, 4, "command 0x%llx: vm_slot %u out of range",
		       (unsigned long long)cmd_va, rc->vm_slot);
		fw_channel_error(fw, q, FW_CHERR_ABORTED, rc->stamp_value);
		res = FW_CHANNEL_ERR;
		goto out;
	}
	agxsim_handoff_fw_set_cur_slot(&fw->dev->handoff, rc->vm_slot);
	pidx = pending_add(fw, q->event_slot, rc->stamp_value);
	res = run_microseq(fw, rc, agxfw_get(l, rc->cmd, f_ms),
			   (uint32_t)agxfw_get(l, rc->cmd, f_mss));
	if (res == FW_DONE || res == FW_CHANNEL_ERR || res == FW_WAIT_GROW)
		pending_clear(fw, pidx);
	agxsim_handoff_fw_set_cur_slot(&fw->dev->handoff, 0);
out:
	free(rc->cmd);
	free(rc);
	return res;
}

static enum fw_result run_barrier(struct agxsim_fw *fw, struct fw_queue *q,
				  uint64_t cmd_va)
{
	const struct agxfw_layout *l = fw->l;
	uint8_t b[0x80];
	uint32_t sz = agxfw_sizeof(l, AGXFW_S_Barrier), stamp, want;
	uint64_t ws;

	if (sz > sizeof(b) || fw_read(fw, cmd_va, b, sz)) {
		fw_channel_error(fw, q, FW_CHERR_MEMORY, 0);
		return FW_CHANNEL_ERR;
	}
	ws = agxfw_get(l, b, AGXFW_F_Barrier__wait_stamp);
	want = (uint32_t)agxfw_get(l, b, AGXFW_F_Barrier__wait_value);
	if (fw_read32(fw, ws, &stamp)) {
		fw_channel_error(fw, q, FW_CHERR_MEMORY, 0);
		return FW_CHANNEL_ERR;
	}
	/* Wrap-around-safe "stamp has reached want" (facts 1.3 step 8). */
	if ((int32_t)(stamp - want) < 0)
		return FW_BLOCKED;
	return FW_DONE;
}

/* Try to execute the next command of @q. Returns true on progress. */
static bool queue_step(struct agxsim_fw *fw, struct fw_queue *q)
{
	const struct agxfw_layout *l = fw->l;
	uint32_t wptr, rb_size, tag;
	uint64_t cmd_va;
	enum fw_result res;

	if (q->error || q->blocked || (q->tvb_wait.valid && !q->tvb_wait.acked))
		return false;
	if (fw_read32(fw, q->state_va + agxfw_offsetof(l, AGXFW_F_RingState__cpu_wptr),
		      &wptr) ||
	    fw_read32(fw, q->state_va + agxfw_offsetof(l, AGXFW_F_RingState__rb_size),
		      &rb_size)) {
		fw_channel_error(fw, q, FW_CHERR_MEMORY, 0);
		return true;
	}
	if (!rb_size || wptr >= rb_size || q->rptr >= rb_size) {
		fw_log(fw, 4, "queue 0x%llx: ring pointers out of range "
		       "(wptr %u rptr %u size %u)", (unsigned long long)q->info_va,
		       wptr, q->rptr, rb_size);
		fw_channel_error(fw, q, FW_CHERR_ABORTED, 0);
		return true;
	}
	if (wptr == q->rptr)
		return false;
	if (fw_read64(fw, q->ring_va + (uint64_t)q->rptr * 8, &cmd_va) ||
	    fw_read32(fw, cmd_va, &tag)) {
		fw_channel_error(fw, q, FW_CHERR_MEMORY, 0);
		return true;
	}
	if (tag == agxfw_const_get(l, AGXFW_C_CMD_BARRIER)) {
		res = run_barrier(fw, q, cmd_va);
	} else if (tag == agxfw_const_get(l, AGXFW_C_CMD_RUN_COMPUTE) ||
		   tag == agxfw_const_get(l, AGXFW_C_CMD_RUN_VERTEX) ||
		   tag == agxfw_const_get(l, AGXFW_C_CMD_RUN_FRAGMENT)) {
		res = run_command(fw, q, cmd_va, tag);
	} else if (tag == agxfw_const_get(l, AGXFW_C_CMD_INIT_BUFFER)) {
		struct agxsim_fault fault;
		char why[200];
		int err = fw_bm_init_buffer(fw, cmd_va, &fault, why, sizeof(why));

		res = FW_DONE;
		if (err == -ENXIO) {
			/* The parameter manager faulted on a list: a GPU fault
			 * (no stamps to hold). */
			fw_log(fw, 4, "InitBuffer: %s", why);
			memset(&q->held, 0, sizeof(q->held));
			q->held.valid = true;
			post_fault(fw, q);
			res = FW_HALTED;
		} else if (err) {
			fw_log(fw, 4, "InitBuffer: %s", why);
			fw_channel_error(fw, q, err == -EFAULT ? FW_CHERR_MEMORY :
					 FW_CHERR_ABORTED, 0);
			res = FW_CHANNEL_ERR;
		}
	} else {
		fw_log(fw, 4, "queue 0x%llx: unknown command tag %u at 0x%llx",
		       (unsigned long long)q->info_va, tag, (unsigned long long)cmd_va);
		fw_channel_error(fw, q, FW_CHERR_ABORTED, 0);
		return true;
	}
	switch (res) {
	case FW_DONE:
		advance(fw, q, rb_size);
		return true;
	case FW_BLOCKED:
		q->blocked = true;
		return false;
	default:
		return true;
	}
}

bool fw_run_queues(struct agxsim_fw *fw)
{
	bool did = false, progress = true;
	unsigned int budget = FW_STEP_BUDGET;

	/* Completions may unblock barriers: recheck blocked queues. */
	for (unsigned int i = 0; i < FW_MAX_QUEUES; i++)
		fw->queues[i].blocked = false;
	while (progress && budget && !fw->halted && !fw->dev->crashed) {
		progress = false;
		for (unsigned int k = 0; k < FW_MAX_QUEUES && budget; k++) {
			struct fw_queue *q = &fw->queues[(fw->rr + k) % FW_MAX_QUEUES];

			if (!q->used)
				continue;
			if (queue_step(fw, q)) {
				progress = did = true;
				budget--;
				if (fw->halted || fw->dev->crashed)
					break;
			}
		}
		fw->rr = (fw->rr + 1) % FW_MAX_QUEUES;
	}
	return did;
}

/*
 * The stamps and notifier of the Run* command at @cmd_va, for retiring it
 * without running it. Returns false for other commands (Barrier,
 * InitBuffer: no stamp) or an unreadable one.
 */
static bool cmd_held(struct agxsim_fw *fw, uint64_t cmd_va, struct fw_held *h)
{
	const struct agxfw_layout *l = fw->l;
	enum agxfw_field_id f_notif, f_st, f_fst, f_val;
	enum agxfw_struct_id s;
	uint8_t *cmd;
	uint32_t tag;
	bool ok;

	if (fw_read32(fw, cmd_va, &tag))
		return false;
	if (tag == agxfw_const_get(l, AGXFW_C_CMD_RUN_COMPUTE)) {
		s = AGXFW_S_RunCompute;
		f_notif = AGXFW_F_RunCompute__notifier;
		f_st = AGXFW_F_RunCompute__meta__stamp;
		f_fst = AGXFW_F_RunCompute__meta__fw_stamp;
		f_val = AGXFW_F_RunCompute__meta__stamp_value;
	} else if (tag == agxfw_const_get(l, AGXFW_C_CMD_RUN_VERTEX)) {
		s = AGXFW_S_RunVertex;
		f_notif = AGXFW_F_RunVertex__notifier;
		f_st = AGXFW_F_RunVertex__meta__stamp;
		f_fst = AGXFW_F_RunVertex__meta__fw_stamp;
		f_val = AGXFW_F_RunVertex__meta__stamp_value;
	} else if (tag == agxfw_const_get(l, AGXFW_C_CMD_RUN_FRAGMENT)) {
		s = AGXFW_S_RunFragment;
		f_notif = AGXFW_F_RunFragment__notifier;
		f_st = AGXFW_F_RunFragment__meta__stamp;
		f_fst = AGXFW_F_RunFragment__meta__fw_stamp;
		f_val = AGXFW_F_RunFragment__meta__stamp_value;
	} else {
		return false;
	}
	cmd = calloc(1, agxfw_sizeof(l, s));
	if (!cmd)
		return false;
	ok = !fw_read(fw, cmd_va, cmd, agxfw_sizeof(l, s));
	if (ok) {
		h->stamp_va = agxfw_get(l, cmd, f_st);
		h->fw_stamp_va = agxfw_get(l, cmd, f_fst);
		h->stamp_value = (uint32_t)agxfw_get(l, cmd, f_val);
		h->notifier_va = agxfw_get(l, cmd, f_notif);
		h->valid = true;
	}
	free(cmd);
	return ok;
}

/*
 * DeviceControl RecoverChannel after a ChannelError: the failed command is
 * given up, but retired like a finished one (its stamps written, one
 * notification counted) so the kernel's completion tracking and the other
 * pipes' Barriers waiting on its stamp move on (ASSUMPTIONS.md FW23: the
 * facts only say the message carries the failed event_value).
 */
void fw_recover_channel(struct agxsim_fw *fw, uint64_t work_queue, uint32_t event_value)
{
	struct fw_queue *q = find_queue(fw, work_queue);
	uint32_t rb_size = 0, wptr = 0;
	struct fw_held h = { 0 };
	uint64_t cmd_va = 0;

	if (!q) {
		fw_log(fw, 3, "RecoverChannel for unknown queue 0x%llx",
		       (unsigned long long)work_queue);
		return;
	}
	if (!q->error)
		return;
	q->error = false;
	/* Skip the command that failed, if the ring is sane. */
	if (!fw_read32(fw, q->state_va + agxfw_offsetof(fw->l, AGXFW_F_RingState__rb_size),
		       &rb_size) &&
	    !fw_read32(fw, q->state_va + agxfw_offsetof(fw->l, AGXFW_F_RingState__cpu_wptr),
		       &wptr) &&
	    rb_size && wptr < rb_size && q->rptr < rb_size && q->rptr != wptr) {
		if (!fw_read64(fw, q->ring_va + (uint64_t)q->rptr * 8, &cmd_va) &&
		    cmd_held(fw, cmd_va, &h)) {
			if (event_value && h.stamp_value != event_value)
				fw_log(fw, 3, "RecoverChannel: event_value 0x%x, the failed "
				       "command's stamp value is 0x%x", event_value,
				       h.stamp_value);
			retire(fw, q, &h);
		}
		advance(fw, q, rb_size);
	}
}

/*
 * DeviceControl DestroyContext: the kernel is done with a GPU context and
 * frees its objects next, so every work queue of that context is dropped
 * here (its QueueInfo, ring and stamps are never read again). A queue the
 * firmware is halted on loses its held command; a GrowTVB wait is dropped.
 */
void fw_destroy_context(struct agxsim_fw *fw, uint64_t gpu_context)
{
	unsigned int n = 0;

	if (!gpu_context)
		return;
	for (unsigned int i = 0; i < FW_MAX_QUEUES; i++) {
		struct fw_queue *q = &fw->queues[i];

		if (!q->used || q->context_va != gpu_context)
			continue;
		if (fw->halted_q == q)
			fw->halted_q = NULL;
		memset(q, 0, sizeof(*q));
		n++;
	}
	fw_log(fw, 1, "DestroyContext 0x%llx: %u work queues dropped",
	       (unsigned long long)gpu_context, n);
}
