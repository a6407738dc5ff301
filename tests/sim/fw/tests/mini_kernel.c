// SPDX-License-Identifier: MIT
/*
 * The test-side mini kernel (see mini_kernel.h). Written from the facts
 * about what the kernel driver builds, independently of the firmware
 * model's sources.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agxsim/gpu_hooks.h"
#include "mini_kernel.h"

#define MK_PT_POOL_PAGES 0x40u

static const struct {
	uint64_t va, size_B, prot;
	bool user;
} heap_def[MK_HEAPS] = {
	[MK_PRIV] = { MK_VA_PRIV, 2ull << 20, PTB_PROT_FW_PRIV_RW, false },
	[MK_GPU_RO] = { MK_VA_GPU_RO, 512ull << 10, PTB_PROT_GPU_RO_FW_PRIV_RW, false },
	[MK_SHARED] = { MK_VA_SHARED, 2ull << 20, PTB_PROT_FW_SHARED_RW, false },
	[MK_USER] = { MK_USER_VA, 1ull << 20, PTB_PROT_GPU_SHARED_RW, true },
};

uint32_t mk_rd32(struct mk *k, uint64_t va)
{
	uint32_t v;

	memcpy(&v, mk_ptr(k, va), 4);
	return v;
}

void mk_wr32(struct mk *k, uint64_t va, uint32_t v)
{
	memcpy(mk_ptr(k, va), &v, 4);
}

static int mk_setup(struct mk *k);

int mk_init(struct mk *k, const struct df_combo *c)
{
	int ret;

	memset(k, 0, sizeof(*k));
	ret = df_init(&k->f, c);
	return ret ? ret : mk_setup(k);
}

int mk_init_big_pt(struct mk *k, const struct df_combo *c, uint64_t pt_size_B)
{
	int ret;

	memset(k, 0, sizeof(*k));
	ret = df_init_pt(&k->f, c, DF_BIG_PT_PA, pt_size_B);
	return ret ? ret : mk_setup(k);
}

static int mk_setup(struct mk *k)
{
	uint64_t pa, kroot = k->f.cfg.regions[AGXSIM_REGION_PAGETABLES].pa;

	k->l = agxsim_device_layout(k->f.dev);
	ptb_init(&k->ptb, &k->f.pm, DF_POOL_PA, MK_PT_POOL_PAGES * DF_PAGE_B);

	/* Slot 0: ttb1 = the bootloader's pagetables region (the kernel half's
	 * top table), ttb0 = a kernel-owned lower table (facts 4.2). */
	k->lower_root = ptb_alloc_table(&k->ptb);
	k->user_root = ptb_alloc_table(&k->ptb);
	ptb_set_ttb(&k->ptb, DF_TTBS_PA, 0, 0, k->lower_root);
	ptb_set_ttb(&k->ptb, DF_TTBS_PA, 0, 1, kroot);
	ptb_set_ttb(&k->ptb, DF_TTBS_PA, MK_USER_SLOT, 0, k->user_root);

	pa = DF_POOL_PA + MK_PT_POOL_PAGES * DF_PAGE_B;
	for (unsigned int h = 0; h < MK_HEAPS; h++) {
		struct mk_heap_state *s = &k->heap[h];

		s->va_base = heap_def[h].va;
		s->pa_base = pa;
		s->size_B = heap_def[h].size_B;
		for (uint64_t off = 0; off < s->size_B; off += DF_PAGE_B)
			if (ptb_map(&k->ptb, heap_def[h].user ? k->user_root : kroot,
				    s->va_base + off, pa + off, heap_def[h].prot,
				    heap_def[h].user))
				return -1;
		pa += s->size_B;
	}
	if (pa > DF_RAM_PA + DF_RAM_SIZE_B)
		return -1;
	k->free_pa = pa;
	return 0;
}

void *mk_map_user(struct mk *k, uint64_t va, uint64_t size_B)
{
	uint64_t pa = k->free_pa;

	size_B = (size_B + DF_PAGE_B - 1) & ~(uint64_t)(DF_PAGE_B - 1);
	if (va & (DF_PAGE_B - 1) || pa + size_B > DF_RAM_PA + DF_RAM_SIZE_B)
		return NULL;
	for (uint64_t off = 0; off < size_B; off += DF_PAGE_B)
		if (ptb_map(&k->ptb, k->user_root, va + off, pa + off,
			    PTB_PROT_GPU_SHARED_RW, true))
			return NULL;
	k->free_pa = pa + size_B;
	return agxsim_physmem_host_ptr(&k->f.pm, pa, size_B);
}

void mk_fini(struct mk *k)
{
	df_fini(&k->f);
}

uint64_t mk_alloc(struct mk *k, enum mk_heap h, uint64_t size_B)
{
	struct mk_heap_state *s = &k->heap[h];
	uint64_t va = s->va_base + s->used_B;

	size_B = (size_B + 0x7f) & ~0x7full;
	if (s->used_B + size_B > s->size_B)
		abort();
	s->used_B += size_B;
	memset(mk_ptr(k, va), 0, size_B);
	return va;
}

void *mk_ptr(struct mk *k, uint64_t va)
{
	for (unsigned int h = 0; h < MK_HEAPS; h++) {
		struct mk_heap_state *s = &k->heap[h];

		if (va >= s->va_base && va < s->va_base + s->size_B)
			return df_host_ptr(&k->f, s->pa_base + (va - s->va_base));
	}
	abort();
}

static void mk_ring(struct mk *k, struct mk_ring *r, enum agxfw_struct_id state_s,
		    unsigned int states, enum mk_heap ring_heap, uint32_t count,
		    uint32_t msg_size)
{
	r->state_va = mk_alloc(k, MK_SHARED, agxfw_sizeof(k->l, state_s) * states);
	r->ring_va = mk_alloc(k, ring_heap, (uint64_t)count * msg_size * states);
	r->count = count;
	r->msg_size = msg_size;
	r->wptr = 0;
}

static void set_ring(struct mk *k, void *buf, enum agxfw_field_id sf,
		     enum agxfw_field_id rf, unsigned int idx, const struct mk_ring *r)
{
	agxfw_set_idx(k->l, buf, sf, idx, r->state_va);
	agxfw_set_idx(k->l, buf, rf, idx, r->ring_va);
}

static void tx_put(struct mk *k, struct mk_ring *r, const void *msg,
		   enum agxfw_field_id wptr_f)
{
	memcpy(mk_ptr(k, r->ring_va + (uint64_t)r->wptr * r->msg_size), msg,
	       r->msg_size);
	r->wptr = (r->wptr + 1) % r->count;
	mk_wr32(k, r->state_va + agxfw_offsetof(k->l, wptr_f), r->wptr);
}

void mk_build_initdata(struct mk *k)
{
	const struct agxfw_layout *l = k->l;
	uint32_t n = (uint32_t)agxfw_const_get(l, AGXFW_C_CHANNEL_RING_ENTRIES);
	uint64_t id, rp, st, hwa, hwb;
	uint8_t *p, msg[0x80] = { 0 };
	static const enum agxfw_field_id pipe_sf[3] = {
		AGXFW_F_RuntimePointers__pipes__vtx__state,
		AGXFW_F_RuntimePointers__pipes__frag__state,
		AGXFW_F_RuntimePointers__pipes__comp__state,
	};
	static const enum agxfw_field_id pipe_rf[3] = {
		AGXFW_F_RuntimePointers__pipes__vtx__ring,
		AGXFW_F_RuntimePointers__pipes__frag__ring,
		AGXFW_F_RuntimePointers__pipes__comp__ring,
	};

	id = mk_alloc(k, MK_PRIV, agxfw_sizeof(l, AGXFW_S_InitData));
	rp = mk_alloc(k, MK_PRIV, agxfw_sizeof(l, AGXFW_S_RuntimePointers));
	st = mk_alloc(k, MK_SHARED, agxfw_sizeof(l, AGXFW_S_FwStatus));
	k->globals_va = mk_alloc(k, MK_SHARED, k->f.boot.blob_size_B[AGXSIM_REGION_GLOBALS]);
	hwa = mk_alloc(k, MK_PRIV, k->f.boot.blob_size_B[AGXSIM_REGION_HW_CAL_A]);
	hwb = mk_alloc(k, MK_PRIV, k->f.boot.blob_size_B[AGXSIM_REGION_HW_CAL_B]);
	/* Copy the bootloader's blobs, as the kernel does (facts 3.4). */
	memcpy(mk_ptr(k, k->globals_va), df_host_ptr(&k->f, DF_GLOBALS_PA),
	       k->f.boot.blob_size_B[AGXSIM_REGION_GLOBALS]);
	memcpy(mk_ptr(k, hwa), df_host_ptr(&k->f, DF_CAL_A_PA),
	       k->f.boot.blob_size_B[AGXSIM_REGION_HW_CAL_A]);
	memcpy(mk_ptr(k, hwb), df_host_ptr(&k->f, DF_CAL_B_PA),
	       k->f.boot.blob_size_B[AGXSIM_REGION_HW_CAL_B]);
	k->initdata_va = id;
	k->rtptrs_va = rp;
	k->fwstatus_va = st;

	p = mk_ptr(k, rp);
	for (unsigned int prio = 0; prio < 4; prio++)
		for (unsigned int t = 0; t < 3; t++) {
			mk_ring(k, &k->pipes[prio][t], AGXFW_S_ChannelState, 1, MK_PRIV,
				n, agxfw_sizeof(l, AGXFW_S_RunWorkQueueMsg));
			set_ring(k, p, pipe_sf[t], pipe_rf[t], prio, &k->pipes[prio][t]);
		}
	mk_ring(k, &k->devctrl, AGXFW_S_ChannelState, 1, MK_PRIV, n,
		agxfw_sizeof(l, AGXFW_S_DeviceControlMsg));
	set_ring(k, p, AGXFW_F_RuntimePointers__device_control__state,
		 AGXFW_F_RuntimePointers__device_control__ring, 0, &k->devctrl);
	mk_ring(k, &k->event, AGXFW_S_ChannelState, 1, MK_SHARED, n,
		agxfw_sizeof(l, AGXFW_S_EventMsg));
	set_ring(k, p, AGXFW_F_RuntimePointers__event__state,
		 AGXFW_F_RuntimePointers__event__ring, 0, &k->event);
	mk_ring(k, &k->fwlog, AGXFW_S_ChannelState, 6, MK_SHARED, n,
		agxfw_sizeof(l, AGXFW_S_FwLogMsg));
	set_ring(k, p, AGXFW_F_RuntimePointers__fw_log__state,
		 AGXFW_F_RuntimePointers__fw_log__ring, 0, &k->fwlog);
	k->fwlog_buf_va = mk_alloc(k, MK_SHARED,
				   6ull * 0x100 * agxfw_sizeof(l, AGXFW_S_FwLogPayloadMsg));
	agxfw_set(l, p, AGXFW_F_RuntimePointers__fwlog_buf, k->fwlog_buf_va);
	agxfw_set(l, p, AGXFW_F_RuntimePointers__hwdata_a, hwa);
	agxfw_set(l, p, AGXFW_F_RuntimePointers__hwdata_b, hwb);
	agxfw_set(l, p, AGXFW_F_RuntimePointers__hwdata_b_2, hwb);
	agxfw_set(l, p, AGXFW_F_RuntimePointers__buffer_mgr_ctl_gpu_addr, 0x2000000000ull);
	agxfw_set(l, p, AGXFW_F_RuntimePointers__buffer_mgr_ctl_fw_addr,
		  0xffffffaeffff0000ull);

	mk_ring(k, &k->fwctl, AGXFW_S_FwCtlChannelState, 1, MK_SHARED, n,
		agxfw_sizeof(l, AGXFW_S_FwCtlMsg));
	set_ring(k, mk_ptr(k, st), AGXFW_F_FwStatus__fwctl_channel__state,
		 AGXFW_F_FwStatus__fwctl_channel__ring, 0, &k->fwctl);

	p = mk_ptr(k, id);
	if (agxfw_has(l, AGXFW_F_InitData__ver_info)) {
		bool g14x = l->gen == AGXFW_GEN_G14X;

		agxfw_set_idx(l, p, AGXFW_F_InitData__ver_info, 0, g14x ? 0xb390 : 0x6ba0);
		agxfw_set_idx(l, p, AGXFW_F_InitData__ver_info, 1, g14x ? 0x70f8 : 0x1f28);
		agxfw_set_idx(l, p, AGXFW_F_InitData__ver_info, 2, 0x601);
		agxfw_set_idx(l, p, AGXFW_F_InitData__ver_info, 3, 0xb0);
	}
	agxfw_set(l, p, AGXFW_F_InitData__runtime_pointers, rp);
	agxfw_set(l, p, AGXFW_F_InitData__globals, k->globals_va);
	agxfw_set(l, p, AGXFW_F_InitData__fw_status, st);
	agxfw_set(l, p, AGXFW_F_InitData__uat_page_size, 0x4000);
	agxfw_set(l, p, AGXFW_F_InitData__uat_page_bits, 14);
	agxfw_set(l, p, AGXFW_F_InitData__uat_num_levels, 3);
	for (unsigned int i = 0; i < 3; i++) {
		static const uint32_t shift[3] = { 36, 25, 14 };
		static const uint32_t ent[3] = { 8, 2048, 2048 };

		agxfw_set_idx(l, p, AGXFW_F_InitData__uat_level_info__index_shift, i,
			      shift[i]);
		agxfw_set_idx(l, p, AGXFW_F_InitData__uat_level_info__num_entries, i,
			      ent[i]);
		agxfw_set_idx(l, p, AGXFW_F_InitData__uat_level_info__index_mask, i,
			      (uint64_t)(ent[i] - 1) << shift[i]);
	}
	agxfw_set(l, p, AGXFW_F_InitData__host_mapped_fw_allocations, 1);

	/* DeviceControl Initialize is queued before boot (facts 2.2). */
	agxfw_set(l, msg, AGXFW_F_DcInitialize__tag,
		  agxfw_const_get(l, AGXFW_C_DC_INITIALIZE));
	tx_put(k, &k->devctrl, msg, AGXFW_F_ChannelState__write_ptr);
}

int mk_start(struct mk *k)
{
	volatile uint64_t *h = df_host_ptr(&k->f, DF_HANDOFF_PA);
	uint32_t v = agxsim_device_mmio_read32(k->f.dev, AGXSIM_BANK_ASC, 0x44);

	agxsim_device_mmio_write32(k->f.dev, AGXSIM_BANK_ASC, 0x44, v | (1u << 4));
	h[0] = 0x4b1d000000000002ull;
	for (unsigned int i = 0; i < 10 && h[1] != h[0]; i++)
		agxsim_device_run(k->f.dev);
	if (h[1] != h[0])
		return -1;
	return agxsim_device_boot(k->f.dev);
}

int mk_doorbell(struct mk *k, uint32_t channel)
{
	return agxsim_device_send(k->f.dev, 0x21, 0x83ull << 48 | channel);
}

int mk_send_init(struct mk *k, uint64_t initdata_va)
{
	int ret = agxsim_device_send(k->f.dev, 0x20,
				     0x81ull << 48 | (initdata_va & ((1ull << 44) - 1)));

	if (!ret)
		ret = mk_doorbell(k, 0x11);
	if (!ret)
		ret = mk_doorbell(k, 0x10);
	df_run(&k->f);
	return ret;
}

int mk_bringup(struct mk *k)
{
	int ret;

	mk_build_initdata(k);
	ret = mk_start(k);
	if (!ret)
		ret = mk_send_init(k, k->initdata_va);
	return ret;
}

void mk_queue_init(struct mk *k, struct mk_queue *q, uint32_t pipe,
		   uint32_t prio, uint32_t event_slot)
{
	const struct agxfw_layout *l = k->l;
	uint8_t *info, *notif;
	uint64_t list;

	memset(q, 0, sizeof(*q));
	q->pipe = pipe;
	q->prio = prio;
	q->event_slot = event_slot;
	q->next_value = 0x100;
	q->info_va = mk_alloc(k, MK_PRIV, agxfw_sizeof(l, AGXFW_S_QueueInfo));
	q->state_va = mk_alloc(k, MK_SHARED, agxfw_sizeof(l, AGXFW_S_RingState));
	q->ring_va = mk_alloc(k, MK_PRIV, MK_WQ_SIZE * 8);
	q->stamp_va = mk_alloc(k, MK_SHARED, 4);
	q->fw_stamp_va = mk_alloc(k, MK_PRIV, 4);
	q->threshold_va = mk_alloc(k, MK_SHARED, 8);
	q->notifier_va = mk_alloc(k, MK_PRIV, agxfw_sizeof(l, AGXFW_S_Notifier));
	q->context_va = mk_alloc(k, MK_SHARED, agxfw_sizeof(l, AGXFW_S_GpuContextData));
	list = mk_alloc(k, MK_SHARED, agxfw_sizeof(l, AGXFW_S_NotifierList));

	agxfw_set(l, mk_ptr(k, q->state_va), AGXFW_F_RingState__rb_size, MK_WQ_SIZE);
	info = mk_ptr(k, q->info_va);
	agxfw_set(l, info, AGXFW_F_QueueInfo__state, q->state_va);
	agxfw_set(l, info, AGXFW_F_QueueInfo__ring, q->ring_va);
	agxfw_set(l, info, AGXFW_F_QueueInfo__notifier_list, list);
	agxfw_set(l, info, AGXFW_F_QueueInfo__event_id, (uint64_t)-1);
	agxfw_set(l, info, AGXFW_F_QueueInfo__uuid, 0x1000 + event_slot);
	agxfw_set(l, info, AGXFW_F_QueueInfo__gpu_context, q->context_va);
	agxfw_set(l, mk_ptr(k, list), AGXFW_F_NotifierList__list_head__next, list);
	notif = mk_ptr(k, q->notifier_va);
	agxfw_set(l, notif, AGXFW_F_Notifier__threshold, q->threshold_va);
	agxfw_set(l, notif, AGXFW_F_Notifier__generation, event_slot);
	agxfw_set(l, notif, AGXFW_F_Notifier__state__vm_slot, MK_USER_SLOT);
}

uint64_t mk_build_compute(struct mk *k, struct mk_queue *q, uint64_t encoder,
			  uint64_t encoder_end, uint64_t usc_base, uint32_t uuid,
			  uint32_t *value)
{
	const struct agxfw_layout *l = k->l;
	uint32_t csz = agxfw_sizeof(l, AGXFW_S_RunCompute);
	uint32_t ssz = agxfw_sizeof(l, AGXFW_S_StartCompute);
	uint32_t fsz = agxfw_sizeof(l, AGXFW_S_FinalizeCompute);
	uint32_t rsz = agxfw_sizeof(l, AGXFW_S_RetireStamp);
	uint64_t cmd = mk_alloc(k, MK_GPU_RO, csz);
	uint64_t ms = mk_alloc(k, MK_PRIV, ssz + fsz + rsz);
	uint64_t jp1 = 0, jp2 = cmd + agxfw_offsetof(l, AGXFW_F_RunCompute__job_params2__encoder_end) -
			  agxfw_offsetof(l, AGXFW_F_ComputeJobParameters2__encoder_end);
	uint8_t *c = mk_ptr(k, cmd), *op;
	uint32_t v = q->next_value;

	q->next_value += 0x100;
	*value = v;
	agxfw_set(l, c, AGXFW_F_RunCompute__tag, agxfw_const_get(l, AGXFW_C_CMD_RUN_COMPUTE));
	agxfw_set(l, c, AGXFW_F_RunCompute__vm_slot, MK_USER_SLOT);
	agxfw_set(l, c, AGXFW_F_RunCompute__notifier, q->notifier_va);
	if (agxfw_has(l, AGXFW_F_RunCompute__job_params1__encoder)) {
		jp1 = cmd + agxfw_offsetof(l, AGXFW_F_RunCompute__job_params1__preempt_buf1);
		agxfw_set(l, c, AGXFW_F_RunCompute__job_params1__encoder, encoder);
		agxfw_set(l, c, AGXFW_F_RunCompute__job_params1__pipeline_base, usc_base);
	} else {
		/* G14X: a RegisterArray instead (facts 3.7). */
		agxfw_set_idx(l, c, AGXFW_F_RunCompute__registers__registers__number, 0,
			      0x10071);   /* USC_EXEC_BASE_CP */
		agxfw_set_idx(l, c, AGXFW_F_RunCompute__registers__registers__value, 0,
			      usc_base);
		agxfw_set_idx(l, c, AGXFW_F_RunCompute__registers__registers__number, 1,
			      0x1a420);   /* CDM control stream base */
		agxfw_set_idx(l, c, AGXFW_F_RunCompute__registers__registers__value, 1,
			      encoder);
		agxfw_set(l, c, AGXFW_F_RunCompute__registers__count, 2);
		agxfw_set(l, c, AGXFW_F_RunCompute__registers__addr,
			  cmd + agxfw_offsetof(l, AGXFW_F_RunCompute__registers__registers__number));
	}
	agxfw_set(l, c, AGXFW_F_RunCompute__job_params2__encoder_end, encoder_end);
	agxfw_set(l, c, AGXFW_F_RunCompute__microsequence, ms);
	agxfw_set(l, c, AGXFW_F_RunCompute__microsequence_size, ssz + fsz + rsz);
	agxfw_set(l, c, AGXFW_F_RunCompute__meta__stamp, q->stamp_va);
	agxfw_set(l, c, AGXFW_F_RunCompute__meta__fw_stamp, q->fw_stamp_va);
	agxfw_set(l, c, AGXFW_F_RunCompute__meta__stamp_value, v);
	agxfw_set(l, c, AGXFW_F_RunCompute__meta__stamp_slot, q->event_slot);
	agxfw_set(l, c, AGXFW_F_RunCompute__meta__uuid, uuid);

	op = mk_ptr(k, ms);
	agxfw_set(l, op, AGXFW_F_StartCompute__header,
		  agxfw_const_get(l, AGXFW_C_OP_START_COMPUTE));
	agxfw_set(l, op, AGXFW_F_StartCompute__job_params1, jp1);
	agxfw_set(l, op, AGXFW_F_StartCompute__job_params2, jp2);
	agxfw_set(l, op, AGXFW_F_StartCompute__work_queue, q->info_va);
	agxfw_set(l, op, AGXFW_F_StartCompute__vm_slot, MK_USER_SLOT);
	agxfw_set(l, op, AGXFW_F_StartCompute__uuid, uuid);
	op += ssz;
	agxfw_set(l, op, AGXFW_F_FinalizeCompute__header,
		  agxfw_const_get(l, AGXFW_C_OP_FINALIZE_COMPUTE));
	agxfw_set(l, op, AGXFW_F_FinalizeCompute__work_queue, q->info_va);
	agxfw_set(l, op, AGXFW_F_FinalizeCompute__vm_slot, MK_USER_SLOT);
	agxfw_set(l, op, AGXFW_F_FinalizeCompute__job_params2, jp2);
	agxfw_set(l, op, AGXFW_F_FinalizeCompute__uuid, uuid);
	agxfw_set(l, op, AGXFW_F_FinalizeCompute__fw_stamp, q->fw_stamp_va);
	agxfw_set(l, op, AGXFW_F_FinalizeCompute__stamp_value, v);
	agxfw_set(l, op, AGXFW_F_FinalizeCompute__restart_branch_offset,
		  (uint64_t)-(int64_t)ssz);
	op += fsz;
	agxfw_set(l, op, AGXFW_F_RetireStamp__header,
		  agxfw_const_get(l, AGXFW_C_OP_RETIRE_STAMP) |
		  agxfw_const_get(l, AGXFW_C_RETIRE_STAMP_ARGS));
	return cmd;
}

int mk_tvb_init(struct mk *k, uint32_t slot, uint32_t blocks)
{
	const struct agxfw_layout *l = k->l;
	struct mk_tvb *t = &k->tvb;
	uint32_t max_pages = 4 * MK_TVB_MAX_BLOCKS;
	uint8_t *p;
	uint8_t *lists;

	memset(t, 0, sizeof(*t));
	t->slot = slot;
	t->info_va = mk_alloc(k, MK_PRIV, agxfw_sizeof(l, AGXFW_S_BufferInfo));
	t->block_ctl_va = mk_alloc(k, MK_SHARED, agxfw_sizeof(l, AGXFW_S_BlockControl));
	t->counter_va = mk_alloc(k, MK_SHARED, agxfw_sizeof(l, AGXFW_S_BufferCounter));
	t->stats_va = mk_alloc(k, MK_SHARED, agxfw_sizeof(l, AGXFW_S_BufferStats));
	/* Lists: one 16 KiB page of the user VM, page list then block list. */
	lists = mk_map_user(k, MK_TVB_LISTS_VA, 0x4000);
	if (!lists)
		return -ENOMEM;
	memset(lists, 0, 0x4000);
	t->page_list_va = MK_TVB_LISTS_VA;
	t->page_list = (uint32_t *)lists;
	t->block_list_va = MK_TVB_LISTS_VA + 4ull * max_pages;
	t->block_list = (uint32_t *)(lists + 4ull * max_pages);

	p = mk_ptr(k, t->info_va);
	agxfw_set(l, p, AGXFW_F_BufferInfo__cur_id, (uint32_t)-1);
	agxfw_set(l, p, AGXFW_F_BufferInfo__page_list, t->page_list_va);
	agxfw_set(l, p, AGXFW_F_BufferInfo__page_list_size, 4 * max_pages);
	agxfw_set(l, p, AGXFW_F_BufferInfo__max_blocks, MK_TVB_MAX_BLOCKS);
	agxfw_set(l, p, AGXFW_F_BufferInfo__block_list, t->block_list_va);
	agxfw_set(l, p, AGXFW_F_BufferInfo__block_ctl, t->block_ctl_va);
	agxfw_set(l, p, AGXFW_F_BufferInfo__block_size, MK_TVB_BLOCK_B);
	agxfw_set(l, p, AGXFW_F_BufferInfo__counter, t->counter_va);
	agxfw_set(l, p, AGXFW_F_BufferInfo__unk_80, 1);
	agxfw_set(l, p, AGXFW_F_BufferInfo__max_pages, max_pages);
	agxfw_set(l, p, AGXFW_F_BufferInfo__max_pages_nomemless, max_pages / 3);
	mk_wr32(k, t->stats_va + agxfw_offsetof(l, AGXFW_F_BufferStats__reset), 1);
	t->rebind = true;
	return mk_tvb_grow(k, blocks);
}

int mk_tvb_grow(struct mk *k, uint32_t add)
{
	const struct agxfw_layout *l = k->l;
	struct mk_tvb *t = &k->tvb;
	uint32_t n = t->blocks + add;

	if (n > MK_TVB_MAX_BLOCKS)
		return -ENOMEM;
	for (uint32_t i = t->blocks; i < n; i++) {
		uint64_t va = MK_TVB_VA + i * MK_TVB_BLOCK_B;
		uint32_t first = (uint32_t)(va >> 15);

		if (!mk_map_user(k, va, MK_TVB_BLOCK_B))
			return -ENOMEM;
		t->block_list[2 * i] = first;
		for (uint32_t j = 0; j < 4; j++)
			t->page_list[4 * i + j] = first + j;
	}
	t->blocks = n;
	mk_wr32(k, t->block_ctl_va + agxfw_offsetof(l, AGXFW_F_BlockControl__total), n);
	mk_wr32(k, t->block_ctl_va + agxfw_offsetof(l, AGXFW_F_BlockControl__wptr), n);
	return 0;
}

uint64_t mk_build_init_buffer(struct mk *k, uint32_t stamp_value)
{
	const struct agxfw_layout *l = k->l;
	uint64_t c = mk_alloc(k, MK_GPU_RO, agxfw_sizeof(l, AGXFW_S_InitBuffer));
	uint8_t *p = mk_ptr(k, c);

	agxfw_set(l, p, AGXFW_F_InitBuffer__tag, agxfw_const_get(l, AGXFW_C_CMD_INIT_BUFFER));
	agxfw_set(l, p, AGXFW_F_InitBuffer__vm_slot, MK_USER_SLOT);
	agxfw_set(l, p, AGXFW_F_InitBuffer__buffer_slot, k->tvb.slot);
	agxfw_set(l, p, AGXFW_F_InitBuffer__block_count, k->tvb.blocks);
	agxfw_set(l, p, AGXFW_F_InitBuffer__buffer, k->tvb.info_va);
	agxfw_set(l, p, AGXFW_F_InitBuffer__stamp_value, stamp_value);
	return c;
}

void mk_ack_grow_tvb(struct mk *k, const uint8_t *ev, uint32_t add)
{
	const struct agxfw_layout *l = k->l;
	uint8_t msg[0x80] = { 0 };

	if (add)
		mk_tvb_grow(k, add);
	agxfw_set(l, msg, AGXFW_F_DcGrowTVBAck__tag, agxfw_const_get(l, AGXFW_C_DC_GROW_TVB_ACK));
	agxfw_set(l, msg, AGXFW_F_DcGrowTVBAck__unk_4, 1);
	agxfw_set(l, msg, AGXFW_F_DcGrowTVBAck__buffer_slot,
		  agxfw_get(l, ev, AGXFW_F_EventGrowTVBMsg__buffer_slot));
	agxfw_set(l, msg, AGXFW_F_DcGrowTVBAck__vm_slot,
		  agxfw_get(l, ev, AGXFW_F_EventGrowTVBMsg__vm_slot));
	agxfw_set(l, msg, AGXFW_F_DcGrowTVBAck__counter,
		  agxfw_get(l, ev, AGXFW_F_EventGrowTVBMsg__counter));
	tx_put(k, &k->devctrl, msg, AGXFW_F_ChannelState__write_ptr);
	mk_doorbell(k, 0x11);
}

uint64_t mk_build_render(struct mk *k, struct mk_queue *q, bool vertex,
			 uint64_t encoder, uint64_t usc_base, uint32_t uuid,
			 uint32_t *value)
{
	const struct agxfw_layout *l = k->l;
	enum agxfw_struct_id cs = vertex ? AGXFW_S_RunVertex : AGXFW_S_RunFragment;
	enum agxfw_struct_id ss = vertex ? AGXFW_S_StartVertex : AGXFW_S_StartFragment;
	enum agxfw_struct_id fs = vertex ? AGXFW_S_FinalizeVertex : AGXFW_S_FinalizeFragment;
	uint32_t ssz = agxfw_sizeof(l, ss), fsz = agxfw_sizeof(l, fs);
	uint32_t rsz = agxfw_sizeof(l, AGXFW_S_RetireStamp);
	uint64_t cmd = mk_alloc(k, MK_GPU_RO, agxfw_sizeof(l, cs));
	uint64_t ms = mk_alloc(k, MK_PRIV, ssz + fsz + rsz);
	uint64_t scene;
	uint8_t *c = mk_ptr(k, cmd), *op = mk_ptr(k, ms);
	uint32_t v = q->next_value;
	bool g14x = l->gen == AGXFW_GEN_G14X;
	uint64_t regs = 0, jp1 = 0, jp2 = 0, tp = 0;

	q->next_value += 0x100;
	*value = v;
	if (!k->tvb.info_va && mk_tvb_init(k, 0, 8))
		abort();
	if (vertex || !k->cur_scene) {
		scene = mk_alloc(k, MK_SHARED, agxfw_sizeof(l, AGXFW_S_Scene));
		agxfw_set(l, mk_ptr(k, scene), AGXFW_F_Scene__stats, k->tvb.stats_va);
		k->cur_scene = scene;
		/* The kernel counts the buffer's scenes (buffer.rs increment()). */
		mk_wr32(k, k->tvb.counter_va, mk_rd32(k, k->tvb.counter_va) + 1);
	}
	scene = k->cur_scene;
	if (vertex) {
		agxfw_set(l, c, AGXFW_F_RunVertex__tag, agxfw_const_get(l, AGXFW_C_CMD_RUN_VERTEX));
		agxfw_set(l, c, AGXFW_F_RunVertex__vm_slot, MK_USER_SLOT);
		agxfw_set(l, c, AGXFW_F_RunVertex__notifier, q->notifier_va);
		agxfw_set(l, c, AGXFW_F_RunVertex__scene, scene);
		agxfw_set(l, c, AGXFW_F_RunVertex__buffer, k->tvb.info_va);
		agxfw_set(l, c, AGXFW_F_RunVertex__buffer_slot, k->tvb.slot);
		agxfw_set(l, c, AGXFW_F_RunVertex__microsequence, ms);
		agxfw_set(l, c, AGXFW_F_RunVertex__microsequence_size, ssz + fsz + rsz);
		agxfw_set(l, c, AGXFW_F_RunVertex__meta__stamp, q->stamp_va);
		agxfw_set(l, c, AGXFW_F_RunVertex__meta__fw_stamp, q->fw_stamp_va);
		agxfw_set(l, c, AGXFW_F_RunVertex__meta__stamp_value, v);
		agxfw_set(l, c, AGXFW_F_RunVertex__meta__stamp_slot, q->event_slot);
		tp = cmd + agxfw_offsetof(l, AGXFW_F_RunVertex__tiling_params__rgn_size) -
		     agxfw_offsetof(l, AGXFW_F_TilingParameters__rgn_size);
		if (g14x) {
			regs = cmd + agxfw_offsetof(l, AGXFW_F_RunVertex__registers__registers__number);
			/* USC_EXEC_BASE_TA, VDM_CTRL_STREAM_BASE */
			agxfw_set_idx(l, c, AGXFW_F_RunVertex__registers__registers__number, 0, 0x10061);
			agxfw_set_idx(l, c, AGXFW_F_RunVertex__registers__registers__value, 0, usc_base);
			agxfw_set_idx(l, c, AGXFW_F_RunVertex__registers__registers__number, 1, 0x1c880);
			agxfw_set_idx(l, c, AGXFW_F_RunVertex__registers__registers__value, 1, encoder);
			agxfw_set(l, c, AGXFW_F_RunVertex__registers__count, 2);
		} else {
			jp1 = cmd + agxfw_offsetof(l, AGXFW_F_RunVertex__job_params1__encoder_addr) -
			      agxfw_offsetof(l, AGXFW_F_VertexJobParameters1__encoder_addr);
			agxfw_set(l, c, AGXFW_F_RunVertex__job_params1__encoder_addr, encoder);
			agxfw_set(l, c, AGXFW_F_RunVertex__job_params1__pipeline_base, usc_base);
		}
		agxfw_set(l, op, AGXFW_F_StartVertex__header,
			  agxfw_const_get(l, AGXFW_C_OP_START_VERTEX));
		agxfw_set(l, op, AGXFW_F_StartVertex__tiling_params, tp);
		agxfw_set(l, op, AGXFW_F_StartVertex__job_params1, jp1);
		agxfw_set(l, op, AGXFW_F_StartVertex__registers, regs);
		agxfw_set(l, op, AGXFW_F_StartVertex__scene, scene);
		agxfw_set(l, op, AGXFW_F_StartVertex__buffer, k->tvb.info_va);
		agxfw_set(l, op, AGXFW_F_StartVertex__buffer_slot, k->tvb.slot);
		agxfw_set(l, op, AGXFW_F_StartVertex__work_queue, q->info_va);
		agxfw_set(l, op, AGXFW_F_StartVertex__vm_slot, MK_USER_SLOT);
		agxfw_set(l, op, AGXFW_F_StartVertex__uuid, uuid);
		op += ssz;
		agxfw_set(l, op, AGXFW_F_FinalizeVertex__header,
			  agxfw_const_get(l, AGXFW_C_OP_FINALIZE_VERTEX));
		agxfw_set(l, op, AGXFW_F_FinalizeVertex__scene, scene);
		agxfw_set(l, op, AGXFW_F_FinalizeVertex__buffer, k->tvb.info_va);
		agxfw_set(l, op, AGXFW_F_FinalizeVertex__vm_slot, MK_USER_SLOT);
		agxfw_set(l, op, AGXFW_F_FinalizeVertex__uuid, uuid);
		agxfw_set(l, op, AGXFW_F_FinalizeVertex__fw_stamp, q->fw_stamp_va);
		agxfw_set(l, op, AGXFW_F_FinalizeVertex__stamp_value, v);
	} else {
		agxfw_set(l, c, AGXFW_F_RunFragment__tag, agxfw_const_get(l, AGXFW_C_CMD_RUN_FRAGMENT));
		agxfw_set(l, c, AGXFW_F_RunFragment__vm_slot, MK_USER_SLOT);
		agxfw_set(l, c, AGXFW_F_RunFragment__notifier, q->notifier_va);
		agxfw_set(l, c, AGXFW_F_RunFragment__scene, scene);
		agxfw_set(l, c, AGXFW_F_RunFragment__buffer, k->tvb.info_va);
		agxfw_set(l, c, AGXFW_F_RunFragment__microsequence, ms);
		agxfw_set(l, c, AGXFW_F_RunFragment__microsequence_size, ssz + fsz + rsz);
		agxfw_set(l, c, AGXFW_F_RunFragment__meta__stamp, q->stamp_va);
		agxfw_set(l, c, AGXFW_F_RunFragment__meta__fw_stamp, q->fw_stamp_va);
		agxfw_set(l, c, AGXFW_F_RunFragment__meta__stamp_value, v);
		agxfw_set(l, c, AGXFW_F_RunFragment__meta__stamp_slot, q->event_slot);
		if (g14x) {
			regs = cmd + agxfw_offsetof(l, AGXFW_F_RunFragment__registers__registers__number);
			/* USC_EXEC_BASE_ISP */
			agxfw_set_idx(l, c, AGXFW_F_RunFragment__registers__registers__number, 0, 0x10069);
			agxfw_set_idx(l, c, AGXFW_F_RunFragment__registers__registers__value, 0, usc_base);
			agxfw_set(l, c, AGXFW_F_RunFragment__registers__count, 1);
		} else {
			jp1 = cmd + agxfw_offsetof(l, AGXFW_F_RunFragment__job_params1__pipeline_base) -
			      agxfw_offsetof(l, AGXFW_F_FragmentJobParameters1__pipeline_base);
			jp2 = cmd + agxfw_offsetof(l, AGXFW_F_RunFragment__job_params2__store_pipeline_bind) -
			      agxfw_offsetof(l, AGXFW_F_FragmentJobParameters2__store_pipeline_bind);
			agxfw_set(l, c, AGXFW_F_RunFragment__job_params1__pipeline_base, usc_base);
		}
		agxfw_set(l, op, AGXFW_F_StartFragment__header,
			  agxfw_const_get(l, AGXFW_C_OP_START_FRAGMENT));
		agxfw_set(l, op, AGXFW_F_StartFragment__job_params1, jp1);
		agxfw_set(l, op, AGXFW_F_StartFragment__job_params2, jp2);
		agxfw_set(l, op, AGXFW_F_StartFragment__registers, regs);
		agxfw_set(l, op, AGXFW_F_StartFragment__scene, scene);
		agxfw_set(l, op, AGXFW_F_StartFragment__buffer_slot, k->tvb.slot);
		agxfw_set(l, op, AGXFW_F_StartFragment__work_queue, q->info_va);
		agxfw_set(l, op, AGXFW_F_StartFragment__vm_slot, MK_USER_SLOT);
		agxfw_set(l, op, AGXFW_F_StartFragment__uuid, uuid);
		op += ssz;
		agxfw_set(l, op, AGXFW_F_FinalizeFragment__header,
			  agxfw_const_get(l, AGXFW_C_OP_FINALIZE_FRAGMENT));
		agxfw_set(l, op, AGXFW_F_FinalizeFragment__uuid, uuid);
		agxfw_set(l, op, AGXFW_F_FinalizeFragment__fw_stamp, q->fw_stamp_va);
		agxfw_set(l, op, AGXFW_F_FinalizeFragment__stamp_value, v);
		agxfw_set(l, op, AGXFW_F_FinalizeFragment__scene, scene);
		agxfw_set(l, op, AGXFW_F_FinalizeFragment__buffer, k->tvb.info_va);
		agxfw_set(l, op, AGXFW_F_FinalizeFragment__vm_slot, MK_USER_SLOT);
	}
	op += fsz;
	agxfw_set(l, op, AGXFW_F_RetireStamp__header,
		  agxfw_const_get(l, AGXFW_C_OP_RETIRE_STAMP) |
		  agxfw_const_get(l, AGXFW_C_RETIRE_STAMP_ARGS));
	return cmd;
}

void mk_set_reg(struct mk *k, uint64_t cmd_va, uint32_t number, uint64_t value)
{
	const struct agxfw_layout *l = k->l;
	uint8_t *c = mk_ptr(k, cmd_va);
	uint32_t tag = (uint32_t)agxfw_get(l, c, AGXFW_F_RunVertex__tag);
	enum agxfw_field_id fn, fv, fc;
	uint32_t n;

	if (tag == agxfw_const_get(l, AGXFW_C_CMD_RUN_VERTEX)) {
		fn = AGXFW_F_RunVertex__registers__registers__number;
		fv = AGXFW_F_RunVertex__registers__registers__value;
		fc = AGXFW_F_RunVertex__registers__count;
	} else if (tag == agxfw_const_get(l, AGXFW_C_CMD_RUN_FRAGMENT)) {
		fn = AGXFW_F_RunFragment__registers__registers__number;
		fv = AGXFW_F_RunFragment__registers__registers__value;
		fc = AGXFW_F_RunFragment__registers__count;
	} else {
		fn = AGXFW_F_RunCompute__registers__registers__number;
		fv = AGXFW_F_RunCompute__registers__registers__value;
		fc = AGXFW_F_RunCompute__registers__count;
	}
	if (!agxfw_has(l, fc))
		abort();
	n = (uint32_t)agxfw_get(l, c, fc);
	for (uint32_t i = 0; i < n; i++)
		if (agxfw_get_idx(l, c, fn, i) == number) {
			agxfw_set_idx(l, c, fv, i, value);
			return;
		}
	if (n >= 128)
		abort();
	agxfw_set_idx(l, c, fn, n, number);
	agxfw_set_idx(l, c, fv, n, value);
	agxfw_set(l, c, fc, n + 1);
}

uint64_t mk_build_barrier(struct mk *k, uint64_t fw_stamp_va, uint32_t value,
			  uint32_t slot)
{
	const struct agxfw_layout *l = k->l;
	uint64_t b = mk_alloc(k, MK_PRIV, agxfw_sizeof(l, AGXFW_S_Barrier));
	uint8_t *p = mk_ptr(k, b);

	agxfw_set(l, p, AGXFW_F_Barrier__tag, agxfw_const_get(l, AGXFW_C_CMD_BARRIER));
	agxfw_set(l, p, AGXFW_F_Barrier__wait_stamp, fw_stamp_va);
	agxfw_set(l, p, AGXFW_F_Barrier__wait_value, value);
	agxfw_set(l, p, AGXFW_F_Barrier__wait_slot, slot);
	agxfw_set(l, p, AGXFW_F_Barrier__uuid, 0xffffbbbb);
	agxfw_set(l, p, AGXFW_F_Barrier__external_barrier, 1);
	return b;
}

void mk_submit(struct mk *k, struct mk_queue *q, uint64_t cmd_va,
	       uint32_t notifications)
{
	const struct agxfw_layout *l = k->l;
	uint8_t msg[0x80] = { 0 };
	uint64_t thr;
	uint32_t tag = UINT32_MAX;

	/* A buffer bound to a fresh manager slot is initialised on the vertex
	 * queue before its first RunVertex (facts 3.9, scene.rebind()). */
	if (cmd_va >= k->heap[MK_GPU_RO].va_base &&
	    cmd_va < k->heap[MK_GPU_RO].va_base + k->heap[MK_GPU_RO].used_B)
		memcpy(&tag, mk_ptr(k, cmd_va), 4);
	if (tag == agxfw_const_get(l, AGXFW_C_CMD_RUN_VERTEX) && k->tvb.rebind) {
		k->tvb.rebind = false;
		mk_submit(k, q, mk_build_init_buffer(k, 0), 0);
	}
	memcpy(mk_ptr(k, q->ring_va + (uint64_t)q->wptr * 8), &cmd_va, 8);
	q->wptr = (q->wptr + 1) % MK_WQ_SIZE;
	mk_wr32(k, q->state_va + agxfw_offsetof(l, AGXFW_F_RingState__cpu_wptr), q->wptr);
	memcpy(&thr, mk_ptr(k, q->threshold_va), 8);
	thr += notifications;
	memcpy(mk_ptr(k, q->threshold_va), &thr, 8);

	agxfw_set(l, msg, AGXFW_F_RunWorkQueueMsg__pipe_type, q->pipe);
	agxfw_set(l, msg, AGXFW_F_RunWorkQueueMsg__work_queue, q->info_va);
	agxfw_set(l, msg, AGXFW_F_RunWorkQueueMsg__wptr, q->wptr);
	agxfw_set(l, msg, AGXFW_F_RunWorkQueueMsg__event_slot, q->event_slot);
	agxfw_set(l, msg, AGXFW_F_RunWorkQueueMsg__is_new, !q->started);
	q->started = true;
	tx_put(k, &k->pipes[q->prio][q->pipe], msg, AGXFW_F_ChannelState__write_ptr);
	mk_doorbell(k, q->pipe | q->prio << 2);
}

bool mk_next_event(struct mk *k, uint8_t *msg)
{
	uint32_t wptr = mk_rd32(k, k->event.state_va +
			       agxfw_offsetof(k->l, AGXFW_F_ChannelState__write_ptr));

	if (wptr == k->event_rptr)
		return false;
	memcpy(msg, mk_ptr(k, k->event.ring_va + (uint64_t)k->event_rptr *
			   k->event.msg_size), k->event.msg_size);
	k->event_rptr = (k->event_rptr + 1) % k->event.count;
	mk_wr32(k, k->event.state_va + agxfw_offsetof(k->l, AGXFW_F_ChannelState__read_ptr),
		k->event_rptr);
	return true;
}

bool mk_next_log(struct mk *k, unsigned int level, char *text, size_t len)
{
	const struct agxfw_layout *l = k->l;
	uint64_t st = k->fwlog.state_va + level * agxfw_sizeof(l, AGXFW_S_ChannelState);
	uint32_t wptr = mk_rd32(k, st + agxfw_offsetof(l, AGXFW_F_ChannelState__write_ptr));
	uint32_t *rptr = &k->fwlog_rptr[level];
	const uint8_t *m, *pl;
	uint64_t idx;

	if (wptr == *rptr)
		return false;
	m = mk_ptr(k, k->fwlog.ring_va +
		   ((uint64_t)level * k->fwlog.count + *rptr) * k->fwlog.msg_size);
	*rptr = (*rptr + 1) % k->fwlog.count;
	mk_wr32(k, st + agxfw_offsetof(l, AGXFW_F_ChannelState__read_ptr), *rptr);
	text[0] = 0;
	if (agxfw_get(l, m, AGXFW_F_FwLogMsg__msg_type) != 2)
		return true;
	idx = agxfw_get(l, m, AGXFW_F_FwLogMsg__msg_index);
	if (idx >= 0x100)
		return true;
	pl = mk_ptr(k, k->fwlog_buf_va + ((uint64_t)level * 0x100 + idx) *
		    agxfw_sizeof(l, AGXFW_S_FwLogPayloadMsg));
	if (agxfw_get(l, pl, AGXFW_F_FwLogPayloadMsg__msg_type) != 3)
		return true;
	snprintf(text, len, "%.*s", (int)l->fields[AGXFW_F_FwLogPayloadMsg__msg].count,
		 (const char *)agxfw_ptr(l, (void *)pl, AGXFW_F_FwLogPayloadMsg__msg));
	return true;
}

bool mk_log_contains(struct mk *k, const char *needle)
{
	char text[256];
	bool found = false;

	for (unsigned int lv = 0; lv < 6; lv++)
		while (mk_next_log(k, lv, text, sizeof(text)))
			if (strstr(text, needle))
				found = true;
	return found;
}
