// SPDX-License-Identifier: MIT
/*
 * The firmware model: mailbox messages, InitData, the global channels
 * (DeviceControl, Event, FwLog, FWCtl) and the halt/resume handshake.
 * Work queues are in fw_queue.c. Facts: kernel-firmware-facts.md
 * sections 2 and 3; every firmware structure is read and written through
 * the firmware-structs layout of the device's combination.
 *
 * The firmware reaches memory only through the UAT, as the firmware agent
 * in context 0 (the kernel's address space).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw_priv.h"

/* ---- memory ------------------------------------------------------------- */

int fw_read(struct agxsim_fw *fw, uint64_t va, void *dst, size_t len)
{
	struct agxsim_fault f;

	return agxsim_uat_read(fw->dev->uat, 0, va, dst, len, AGXSIM_AGENT_FW,
			       0, &f);
}

int fw_write(struct agxsim_fw *fw, uint64_t va, const void *src, size_t len)
{
	struct agxsim_fault f;

	return agxsim_uat_write(fw->dev->uat, 0, va, src, len, AGXSIM_AGENT_FW,
				0, &f);
}

int fw_read32(struct agxsim_fw *fw, uint64_t va, uint32_t *v)
{
	uint8_t b[4];
	int ret = fw_read(fw, va, b, 4);

	*v = ret ? 0 : (uint32_t)b[0] | (uint32_t)b[1] << 8 |
		       (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
	return ret;
}

int fw_write32(struct agxsim_fw *fw, uint64_t va, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 24) };

	return fw_write(fw, va, b, 4);
}

int fw_read64(struct agxsim_fw *fw, uint64_t va, uint64_t *v)
{
	uint32_t lo, hi;
	int ret = fw_read32(fw, va, &lo);

	if (!ret)
		ret = fw_read32(fw, va + 4, &hi);
	*v = ret ? 0 : (uint64_t)hi << 32 | lo;
	return ret;
}

uint32_t fw_combo_ver(const struct agxfw_layout *l)
{
	return l->fw_major * 100 + l->fw_minor;
}

/* ---- FwLog, crash, events ----------------------------------------------- */

/* Write one line to FwLog sub-ring @level (facts 2.3): payload first, then
 * the pointer message, then the write pointer. */
static void fwlog_emit(struct agxsim_fw *fw, unsigned int level, const char *text)
{
	const struct agxfw_layout *l = fw->l;
	uint32_t csz = agxfw_sizeof(l, AGXFW_S_ChannelState);
	uint32_t psz = agxfw_sizeof(l, AGXFW_S_FwLogPayloadMsg);
	uint64_t state = fw->fwlog.state_va + level * csz;
	uint32_t wptr = fw->fwlog_wptr[level], rptr, next;
	uint8_t payload[0x100], msg[0x40];
	uint8_t *txt;
	size_t n;

	if (!fw->initialised || !fw->fwlog.state_va || !fw->fwlog_buf_va ||
	    level >= FW_FWLOG_SUBS || psz > sizeof(payload) ||
	    fw->fwlog.msg_size > sizeof(msg))
		return;
	if (fw_read32(fw, state + agxfw_offsetof(l, AGXFW_F_ChannelState__read_ptr),
		      &rptr))
		return;
	next = (wptr + 1) % fw->fwlog.count;
	if (next == rptr)
		return;   /* full: the line is lost, like a real ring */

	memset(payload, 0, sizeof(payload));
	agxfw_set(l, payload, AGXFW_F_FwLogPayloadMsg__msg_type, 3);
	agxfw_set(l, payload, AGXFW_F_FwLogPayloadMsg__seq_no, fw->fwlog_seq++);
	agxfw_set(l, payload, AGXFW_F_FwLogPayloadMsg__timestamp, fw->ts);
	txt = agxfw_ptr(l, payload, AGXFW_F_FwLogPayloadMsg__msg);
	n = strlen(text);
	if (n > l->fields[AGXFW_F_FwLogPayloadMsg__msg].count - 1u)
		n = l->fields[AGXFW_F_FwLogPayloadMsg__msg].count - 1u;
	memcpy(txt, text, n);
	if (fw_write(fw, fw->fwlog_buf_va +
		     ((uint64_t)level * FW_FWLOG_BUF_N + wptr) * psz, payload, psz))
		return;

	memset(msg, 0, sizeof(msg));
	agxfw_set(l, msg, AGXFW_F_FwLogMsg__msg_type, 2);
	agxfw_set(l, msg, AGXFW_F_FwLogMsg__msg_index, wptr);
	if (fw_write(fw, fw->fwlog.ring_va +
		     ((uint64_t)level * fw->fwlog.count + wptr) * fw->fwlog.msg_size,
		     msg, fw->fwlog.msg_size))
		return;
	if (fw_write32(fw, state + agxfw_offsetof(l, AGXFW_F_ChannelState__write_ptr),
		       next))
		return;
	fw->fwlog_wptr[level] = next;
	fw->rx_pending = true;
}

void fw_log(struct agxsim_fw *fw, int level, const char *fmt, ...)
{
	char line[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	agxsim_dev_log(fw->dev, level, "fw: %s", line);
	if (level >= 0)
		fwlog_emit(fw, (unsigned int)level, line);
}

void fw_crash(struct agxsim_fw *fw, const char *fmt, ...)
{
	char line[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	agxsim_dev_crash(fw->dev, line);
}

/* Append a 0x38-byte message to the Event ring (FW->AP). */
void fw_post_event(struct agxsim_fw *fw, const void *msg)
{
	const struct agxfw_layout *l = fw->l;
	struct fw_ring *r = &fw->event;
	uint32_t rptr, next;

	if (fw_read32(fw, r->state_va + agxfw_offsetof(l, AGXFW_F_ChannelState__read_ptr),
		      &rptr) || rptr >= r->count) {
		fw_crash(fw, "event ring state unreadable or corrupt");
		return;
	}
	next = (r->ptr + 1) % r->count;
	if (next == rptr) {
		fw->events_dropped++;
		agxsim_dev_log(fw->dev, 4, "fw: event ring full, event dropped");
		return;
	}
	if (fw_write(fw, r->ring_va + (uint64_t)r->ptr * r->msg_size, msg,
		     r->msg_size) ||
	    fw_write32(fw, r->state_va +
		       agxfw_offsetof(l, AGXFW_F_ChannelState__write_ptr), next)) {
		fw_crash(fw, "event ring unwritable");
		return;
	}
	r->ptr = next;
	fw->rx_pending = true;
}

void fw_flag(struct agxsim_fw *fw, uint32_t slot)
{
	if (slot >= agxfw_const_get(fw->l, AGXFW_C_NUM_EVENTS))
		return;
	fw->firing[slot / 32] |= 1u << (slot % 32);
}

static void flush_flags(struct agxsim_fw *fw)
{
	const struct agxfw_layout *l = fw->l;
	uint8_t msg[0x40] = { 0 };

	if (!(fw->firing[0] | fw->firing[1] | fw->firing[2] | fw->firing[3]))
		return;
	agxfw_set(l, msg, AGXFW_F_EventFlagMsg__tag,
		  agxfw_const_get(l, AGXFW_C_EVENT_FLAG));
	for (unsigned int i = 0; i < 4; i++)
		agxfw_set_idx(l, msg, AGXFW_F_EventFlagMsg__firing, i, fw->firing[i]);
	memset(fw->firing, 0, sizeof(fw->firing));
	fw_post_event(fw, msg);
}

void fw_channel_error(struct agxsim_fw *fw, struct fw_queue *q,
		      uint32_t type, uint32_t value)
{
	const struct agxfw_layout *l = fw->l;
	uint8_t msg[0x40] = { 0 };

	q->error = true;
	fw_log(fw, 4, "channel error %u on queue 0x%llx (pipe %u, slot %u)",
	       type, (unsigned long long)q->info_va, q->pipe, q->event_slot);
	agxfw_set(l, msg, AGXFW_F_EventChannelErrorMsg__tag,
		  agxfw_const_get(l, AGXFW_C_EVENT_CHANNEL_ERROR));
	agxfw_set(l, msg, AGXFW_F_EventChannelErrorMsg__error_type, type);
	agxfw_set(l, msg, AGXFW_F_EventChannelErrorMsg__pipe_type, q->pipe);
	agxfw_set(l, msg, AGXFW_F_EventChannelErrorMsg__event_slot, q->event_slot);
	agxfw_set(l, msg, AGXFW_F_EventChannelErrorMsg__event_value, value);
	fw_post_event(fw, msg);
}

/*
 * The firmware runs out of its own mappings in the kernel half; a kernel
 * that destroys them (or the TTB of slot 0) kills the firmware.
 */
static bool own_mapping_ok(struct agxsim_fw *fw)
{
	uint64_t v = 0;

	if (!fw->dev->fw_private_mapped)
		return true;
	if (fw_read(fw, AGXSIM_FW_PRIVATE_VA, &v, sizeof(v)) == 0 &&
	    v == AGXSIM_FW_PRIVATE_MAGIC)
		return true;
	fw_crash(fw, "firmware's own mapping at 0x%llx is gone",
		 (unsigned long long)AGXSIM_FW_PRIVATE_VA);
	return false;
}

/* ---- InitData ------------------------------------------------------------ */

static int read_ring_desc(struct agxsim_fw *fw, const uint8_t *rp,
			  enum agxfw_field_id state_f, enum agxfw_field_id ring_f,
			  unsigned int idx, uint32_t count, uint32_t msg_size,
			  struct fw_ring *r)
{
	uint32_t tmp;

	r->state_va = agxfw_get_idx(fw->l, rp, state_f, idx);
	r->ring_va = agxfw_get_idx(fw->l, rp, ring_f, idx);
	r->count = count;
	r->msg_size = msg_size;
	r->ptr = 0;
	if (!r->state_va || !r->ring_va)
		return -EINVAL;
	/* The state block must be reachable; the ring's first entry too. */
	if (fw_read32(fw, r->state_va, &tmp) || fw_read32(fw, r->ring_va, &tmp))
		return -EFAULT;
	return 0;
}

static uint32_t ring_state_field(struct agxsim_fw *fw, uint64_t state_va,
				 enum agxfw_field_id f)
{
	uint32_t v = 0;

	fw_read32(fw, state_va + agxfw_offsetof(fw->l, f), &v);
	return v;
}

static void do_init(struct agxsim_fw *fw)
{
	const struct agxfw_layout *l = fw->l;
	uint32_t isz = agxfw_sizeof(l, AGXFW_S_InitData);
	uint32_t rsz = agxfw_sizeof(l, AGXFW_S_RuntimePointers);
	uint32_t ssz = agxfw_sizeof(l, AGXFW_S_FwStatus);
	uint32_t entries = (uint32_t)agxfw_const_get(l, AGXFW_C_CHANNEL_RING_ENTRIES);
	uint8_t *id = NULL, *rp = NULL, *st = NULL;
	uint64_t va = fw->init_msg & AGXSIM_INIT_VA_MASK;
	uint32_t tmp;
	int ret = 0;

	fw->init_pending = false;
	if (fw->initialised) {
		fw_log(fw, 4, "MSG_INIT while already initialised: ignored");
		return;
	}
	/* Kernel objects live in the upper half: bit 43 extends (A5). */
	if (va & (1ull << 43))
		va |= ~AGXSIM_INIT_VA_MASK;

	id = calloc(1, isz);
	rp = calloc(1, rsz);
	st = calloc(1, ssz);
	if (!id || !rp || !st) {
		fw_crash(fw, "out of memory");
		goto out;
	}
	if (fw_read(fw, va, id, isz)) {
		fw_crash(fw, "InitData at 0x%llx is not readable",
			 (unsigned long long)va);
		goto out;
	}
	if (agxfw_get(l, id, AGXFW_F_InitData__uat_page_size) != 0x4000 ||
	    agxfw_get(l, id, AGXFW_F_InitData__uat_page_bits) != 14 ||
	    agxfw_get(l, id, AGXFW_F_InitData__uat_num_levels) != 3) {
		fw_crash(fw, "InitData: unsupported UAT geometry");
		goto out;
	}
	fw->initdata_va = va;
	fw->rtptrs_va = agxfw_get(l, id, AGXFW_F_InitData__runtime_pointers);
	fw->globals_va = agxfw_get(l, id, AGXFW_F_InitData__globals);
	fw->fwstatus_va = agxfw_get(l, id, AGXFW_F_InitData__fw_status);
	if (fw_read(fw, fw->rtptrs_va, rp, rsz)) {
		fw_crash(fw, "RuntimePointers at 0x%llx not readable",
			 (unsigned long long)fw->rtptrs_va);
		goto out;
	}
	if (fw_read(fw, fw->fwstatus_va, st, ssz)) {
		fw_crash(fw, "FwStatus at 0x%llx not readable",
			 (unsigned long long)fw->fwstatus_va);
		goto out;
	}
	if (fw_read32(fw, fw->globals_va, &tmp)) {
		fw_crash(fw, "Globals at 0x%llx not readable",
			 (unsigned long long)fw->globals_va);
		goto out;
	}

	for (unsigned int p = 0; p < FW_NUM_PRIO && !ret; p++) {
		static const enum agxfw_field_id sf[3] = {
			AGXFW_F_RuntimePointers__pipes__vtx__state,
			AGXFW_F_RuntimePointers__pipes__frag__state,
			AGXFW_F_RuntimePointers__pipes__comp__state,
		};
		static const enum agxfw_field_id rf[3] = {
			AGXFW_F_RuntimePointers__pipes__vtx__ring,
			AGXFW_F_RuntimePointers__pipes__frag__ring,
			AGXFW_F_RuntimePointers__pipes__comp__ring,
		};
		for (unsigned int t = 0; t < FW_NUM_PIPES && !ret; t++)
			ret = read_ring_desc(fw, rp, sf[t], rf[t], p, entries,
					     agxfw_sizeof(l, AGXFW_S_RunWorkQueueMsg),
					     &fw->pipes[p][t]);
	}
	if (!ret)
		ret = read_ring_desc(fw, rp, AGXFW_F_RuntimePointers__device_control__state,
				     AGXFW_F_RuntimePointers__device_control__ring, 0,
				     entries, agxfw_sizeof(l, AGXFW_S_DeviceControlMsg),
				     &fw->devctrl);
	if (!ret)
		ret = read_ring_desc(fw, rp, AGXFW_F_RuntimePointers__event__state,
				     AGXFW_F_RuntimePointers__event__ring, 0, entries,
				     agxfw_sizeof(l, AGXFW_S_EventMsg), &fw->event);
	if (!ret)
		ret = read_ring_desc(fw, rp, AGXFW_F_RuntimePointers__fw_log__state,
				     AGXFW_F_RuntimePointers__fw_log__ring, 0, entries,
				     agxfw_sizeof(l, AGXFW_S_FwLogMsg), &fw->fwlog);
	if (!ret)
		ret = read_ring_desc(fw, st, AGXFW_F_FwStatus__fwctl_channel__state,
				     AGXFW_F_FwStatus__fwctl_channel__ring, 0, entries,
				     agxfw_sizeof(l, AGXFW_S_FwCtlMsg), &fw->fwctl);
	if (ret) {
		fw_crash(fw, "InitData: a channel ring is missing or unreadable (%d)",
			 ret);
		goto out;
	}
	fw->fwlog_buf_va = agxfw_get(l, rp, AGXFW_F_RuntimePointers__fwlog_buf);

	/* Continue from wherever the kernel's state blocks are: the kernel may
	 * have queued DeviceControl Initialize before boot (facts 2.2). */
	for (unsigned int p = 0; p < FW_NUM_PRIO; p++)
		for (unsigned int t = 0; t < FW_NUM_PIPES; t++)
			fw->pipes[p][t].ptr = ring_state_field(fw,
				fw->pipes[p][t].state_va, AGXFW_F_ChannelState__read_ptr);
	fw->devctrl.ptr = ring_state_field(fw, fw->devctrl.state_va,
					   AGXFW_F_ChannelState__read_ptr);
	fw->event.ptr = ring_state_field(fw, fw->event.state_va,
					 AGXFW_F_ChannelState__write_ptr);
	fw->fwctl.ptr = ring_state_field(fw, fw->fwctl.state_va,
					 AGXFW_F_FwCtlChannelState__read_ptr);
	for (unsigned int i = 0; i < FW_FWLOG_SUBS; i++)
		fw->fwlog_wptr[i] = ring_state_field(fw, fw->fwlog.state_va +
			i * agxfw_sizeof(l, AGXFW_S_ChannelState),
			AGXFW_F_ChannelState__write_ptr);
	if (fw->devctrl.ptr >= entries || fw->event.ptr >= entries ||
	    fw->fwctl.ptr >= entries) {
		fw_crash(fw, "InitData: ring pointers out of range");
		goto out;
	}
	for (unsigned int i = 0; i < FW_FWLOG_SUBS; i++)
		fw->fwlog_wptr[i] %= entries;
	fw->initialised = true;
	fw_log(fw, 1, "initialised from InitData 0x%llx (%s)",
	       (unsigned long long)va, l->name);
out:
	free(id);
	free(rp);
	free(st);
}

/* ---- AP->FW rings -------------------------------------------------------- */

/*
 * Consume one AP->FW ring: every entry from our read pointer to the
 * kernel's write pointer goes to @handle, then the read pointer is
 * published. A write pointer out of range is a firmware assertion (crash).
 */
static bool drain_tx_ring(struct agxsim_fw *fw, struct fw_ring *r,
			  enum agxfw_field_id rptr_f, enum agxfw_field_id wptr_f,
			  const char *name,
			  void (*handle)(struct agxsim_fw *, const uint8_t *, void *),
			  void *arg)
{
	uint8_t msg[0x80];
	uint32_t wptr;
	bool did = false;

	if (fw_read32(fw, r->state_va + agxfw_offsetof(fw->l, wptr_f), &wptr)) {
		fw_crash(fw, "%s ring state unreadable", name);
		return false;
	}
	if (wptr >= r->count || r->msg_size > sizeof(msg)) {
		fw_crash(fw, "%s ring write pointer %u out of range", name, wptr);
		return false;
	}
	while (r->ptr != wptr && !fw->dev->crashed) {
		if (fw_read(fw, r->ring_va + (uint64_t)r->ptr * r->msg_size, msg,
			    r->msg_size)) {
			fw_crash(fw, "%s ring entry %u unreadable", name, r->ptr);
			return did;
		}
		handle(fw, msg, arg);
		r->ptr = (r->ptr + 1) % r->count;
		fw_write32(fw, r->state_va + agxfw_offsetof(fw->l, rptr_f), r->ptr);
		did = true;
	}
	return did;
}

static void devctrl_msg(struct agxsim_fw *fw, const uint8_t *msg, void *arg)
{
	const struct agxfw_layout *l = fw->l;
	uint32_t tag = (uint32_t)agxfw_get(l, msg, AGXFW_F_DeviceControlMsg__tag);

	(void)arg;
	if (tag == agxfw_const_get(l, AGXFW_C_DC_INITIALIZE)) {
		fw_log(fw, 1, "DeviceControl: Initialize");
	} else if (tag == agxfw_const_get(l, AGXFW_C_DC_DESTROY_CONTEXT)) {
		uint64_t ctx = agxfw_get(l, msg, AGXFW_F_DcDestroyContext__gpu_context);

		fw_log(fw, 0, "DeviceControl: DestroyContext 0x%llx", (unsigned long long)ctx);
		fw_destroy_context(fw, ctx);
	} else if (tag == agxfw_const_get(l, AGXFW_C_DC_GROW_TVB_ACK)) {
		fw_grow_tvb_ack(fw, msg);
	} else if (tag == agxfw_const_get(l, AGXFW_C_DC_RECOVER_CHANNEL)) {
		uint64_t wq = agxfw_get(l, msg, AGXFW_F_DcRecoverChannel__work_queue);

		fw_log(fw, 1, "DeviceControl: RecoverChannel queue 0x%llx",
		       (unsigned long long)wq);
		fw_recover_channel(fw, wq, (uint32_t)agxfw_get(l, msg,
						AGXFW_F_DcRecoverChannel__event_value));
	} else if (tag == agxfw_const_get(l, AGXFW_C_DC_IDLE_POWER_OFF)) {
		fw_log(fw, 0, "DeviceControl: IdlePowerOff");
	} else {
		fw_log(fw, 3, "DeviceControl: unhandled tag 0x%x", tag);
	}
}

static void fwctl_msg(struct agxsim_fw *fw, const uint8_t *msg, void *arg)
{
	const struct agxfw_layout *l = fw->l;
	uint32_t slot = (uint32_t)agxfw_get(l, msg, AGXFW_F_FwCtlMsg__slot);
	struct agxsim_handoff_flush req;

	(void)arg;
	if (slot >= AGXSIM_HANDOFF_FLUSH_COUNT) {
		fw_log(fw, 4, "FWCtl: flush slot %u out of range", slot);
		return;
	}
	if (agxsim_handoff_fw_complete_flush(&fw->dev->handoff, slot, &req))
		fw_log(fw, 0, "FWCtl: flushed slot %u 0x%llx+0x%llx", slot,
		       (unsigned long long)req.addr, (unsigned long long)req.size_B);
	else
		fw_log(fw, 3, "FWCtl: flush for slot %u without a request", slot);
}

static void pipe_msg(struct agxsim_fw *fw, const uint8_t *msg, void *arg)
{
	unsigned int ch = (unsigned int)(uintptr_t)arg;

	fw_pipe_message(fw, ch >> 2, ch & 3, msg);
}

/* ---- entry points --------------------------------------------------------- */

struct agxsim_fw *agxsim_fw_create(struct agxsim_device *dev)
{
	struct agxsim_fw *fw = calloc(1, sizeof(*fw));

	if (!fw)
		return NULL;
	fw->dev = dev;
	fw->l = dev->fw;
	return fw;
}

void agxsim_fw_destroy(struct agxsim_fw *fw)
{
	free(fw);
}

int agxsim_fw_receive(struct agxsim_fw *fw, uint8_t ep, uint64_t msg)
{
	uint32_t type = AGXSIM_MSG_TYPE(msg);

	if (ep == AGXSIM_EP_FIRMWARE) {
		if (type == AGXSIM_MSG_INIT) {
			fw->init_pending = true;
			fw->init_msg = msg;
			return 0;
		}
		fw_log(fw, 3, "EP 0x20: unknown message 0x%llx",
		       (unsigned long long)msg);
		return 0;
	}
	if (type == AGXSIM_MSG_TX_DOORBELL) {
		uint32_t ch = (uint32_t)(msg & 0xffff);

		if (ch < 32)
			fw->doorbells |= 1u << ch;
		else
			fw_log(fw, 3, "doorbell for unknown channel 0x%x", ch);
		return 0;
	}
	if (type == AGXSIM_MSG_FWCTL) {
		fw->fwctl_pending = true;
		return 0;
	}
	fw_log(fw, 3, "EP 0x21: unknown message 0x%llx", (unsigned long long)msg);
	return 0;
}

void agxsim_fw_inject(struct agxsim_fw *fw, enum agxsim_inject what)
{
	fw->next_inject = what;
}

/*
 * While halted the firmware polls FwStatus.resume (facts 6.2: the kernel
 * only writes memory, it rings no doorbell): the front end must keep
 * calling agxsim_fw_run() even though nothing else happens.
 */
bool agxsim_fw_halted(const struct agxsim_fw *fw)
{
	return fw->initialised && fw->halted && !fw->dev->crashed;
}

bool agxsim_fw_run(struct agxsim_fw *fw)
{
	bool did = false;
	uint32_t bells;

	fw->ts++;
	if ((fw->init_pending || fw->initialised) && !own_mapping_ok(fw))
		return false;
	if (fw->init_pending) {
		do_init(fw);
		did = true;
	}
	if (fw->dev->crashed || !fw->initialised)
		goto out;

	if (fw->halted)
		fw_resume(fw);

	if (fw->fwctl_pending) {
		fw->fwctl_pending = false;
		drain_tx_ring(fw, &fw->fwctl, AGXFW_F_FwCtlChannelState__read_ptr,
			      AGXFW_F_FwCtlChannelState__write_ptr, "FWCtl",
			      fwctl_msg, NULL);
		did = true;
	}
	bells = fw->doorbells;
	fw->doorbells = 0;
	if (bells & (1u << AGXSIM_DOORBELL_DEVCTRL)) {
		drain_tx_ring(fw, &fw->devctrl, AGXFW_F_ChannelState__read_ptr,
			      AGXFW_F_ChannelState__write_ptr, "DeviceControl",
			      devctrl_msg, NULL);
		did = true;
	}
	/* Pipe doorbells: channel = pipe_type | priority << 2 (facts 2.2).
	 * KICKFW makes the firmware look at every pipe ring. */
	for (unsigned int ch = 0; ch < AGXSIM_DOORBELL_KICKFW && !fw->dev->crashed;
	     ch++) {
		unsigned int pipe = ch & 3, prio = ch >> 2;

		if (pipe >= FW_NUM_PIPES)
			continue;
		if (!(bells & (1u << ch)) &&
		    !(bells & (1u << AGXSIM_DOORBELL_KICKFW)))
			continue;
		if (drain_tx_ring(fw, &fw->pipes[prio][pipe],
				  AGXFW_F_ChannelState__read_ptr,
				  AGXFW_F_ChannelState__write_ptr, "pipe",
				  pipe_msg, (void *)(uintptr_t)ch))
			did = true;
	}
	for (unsigned int ch = 0; ch < 32; ch++) {
		if (!(bells & (1u << ch)) || ch == AGXSIM_DOORBELL_KICKFW ||
		    ch == AGXSIM_DOORBELL_DEVCTRL)
			continue;
		if ((ch & 3) == 3 || ch > AGXSIM_DOORBELL_DEVCTRL)
			fw_log(fw, 3, "doorbell for unknown channel 0x%x", ch);
	}
	if (bells)
		did = true;

	if (!fw->dev->crashed && !fw->halted && fw_run_queues(fw))
		did = true;
out:
	if (!fw->dev->crashed && fw->initialised)
		flush_flags(fw);
	if (fw->rx_pending && !fw->dev->crashed) {
		fw->rx_pending = false;
		agxsim_dev_deliver(fw->dev, AGXSIM_EP_FIRMWARE,
				   (uint64_t)AGXSIM_MSG_RX_DOORBELL << 48);
		did = true;
	}
	return did;
}
