// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The agx authors
 */

/**
 * DOC: Firmware bring-up and the receive path
 *
 * The GPU is driven by firmware on the ASC coprocessor, which the
 * bootloader loaded; the driver describes its shared state in one tree of
 * structures, InitData, and tells the firmware where it is.
 *
 * **Layout.** The structures differ between the five supported GPU and
 * firmware combinations. Probe picks the combination once
 * (agxfw_combo_select() on &agx_hw_info) and keeps the generated layout
 * table in &agx_fw.l; every structure here is written through the
 * accessors of agxfw_access.h, never with C structs of one combination.
 *
 * **InitData** (agx_fw_build()), in the kernel VM (agx_fw_mem.c):
 * InitData → RuntimePointers (the ChannelRing pairs of every channel,
 * the FwLog payload buffer, the hw-cal-a/-b copies, the buffer-manager
 * control addresses), Globals (the bootloader's blob, copied, with
 * fault_control and pending_submissions set by the driver), FwStatus
 * (the FWCtl channel and the halt/resume flags) and the UAT geometry
 * (16 KiB pages, three levels). The blobs are copied out of the reserved
 * regions because the firmware must see them at kernel-VM addresses of
 * the driver's choosing; their sizes come from the device tree and are
 * checked against the regions.
 *
 * **Handshake** (agx_fw_boot()), in this order:
 *
 * 1. (before the UAT is set up, in agx_probe(): the backend is made
 *    ready; the simulator waits for its daemon, which plays the
 *    bootloader: it fills the reserved regions and tells the blob sizes);
 * 2. InitData is built and DeviceControl Initialize is queued in its ring;
 * 3. the ASC CPU is started (CPU_RUN) and the handoff region's magic is
 *    exchanged (agx_uat_handoff_init());
 * 4. RTKit boots;
 * 5. MSG_INIT with the InitData VA goes to endpoint 0x20;
 * 6. the DeviceControl doorbell, then KICKFW, go to endpoint 0x21;
 * 7. the driver waits (1 s) until the firmware's DeviceControl read
 *    pointer passed Initialize.
 *
 * **Receive path** (agx_fw_deliver()): the backend delivers firmware
 * messages in process context, in order. An RX doorbell (0x42 << 48 on
 * endpoint 0x20) makes the driver drain the Event, FwLog, KTrace and Stats
 * rings. Event Flag messages fire event slots (agx_event.c); Fault and
 * Timeout are logged, the firmware is resumed if it halted (the
 * "recover" flow of FwStatus) and the device is marked as needing
 * recovery (the queue code will fail the culprit work); FwLog lines go to
 * the kernel log at debug level and the last %AGX_FW_LOG_LINES are kept
 * for debugfs. KTrace and Stats are only counted.
 *
 * **Errors.** A firmware crash (hw->crashed), a ring pointer out of range
 * or an event tag beyond the known ones makes the device dead: every
 * driver ioctl fails with -ENODEV from then on (agx_drm_ioctl() in
 * agx_drv.c), every event slot is failed with -ENODEV and waiters wake
 * up. There is no restart: the module must be reloaded. A malformed
 * FwLog message is only counted and dropped.
 *
 * **Teardown** (agx_fw_stop(), agx_fw_free()): the firmware is not told
 * anything (there is no documented shutdown); the driver stops handling
 * its messages, the UAT is unplugged, the backend is removed (which cuts
 * the simulator off) and only then is the memory freed.
 */

#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include <agxfw/agxfw_access.h>

#include "agx_buffer.h"
#include "agx_device.h"
#include "agx_fw.h"
#include "agx_gem.h"
#include "agx_hw.h"
#include "agx_uat.h"

/* Mailbox messages (facts 2.2). */
#define AGX_EP_FIRMWARE 0x20
#define AGX_EP_DOORBELL 0x21
#define AGX_MSG_TYPE(msg) ((u32)((msg) >> 48))
#define AGX_MSG_INIT (0x81ULL << 48)
#define AGX_MSG_RX_DOORBELL 0x42
#define AGX_MSG_TX_DOORBELL (0x83ULL << 48)
#define AGX_DOORBELL_KICKFW 0x10
#define AGX_DOORBELL_DEVCTRL 0x11
#define AGX_MSG_INIT_VA_MASK GENMASK_ULL(43, 0)

/* ASC register with the coprocessor's CPU_RUN bit. */
#define AGX_ASC_CPU_CONTROL 0x44
#define AGX_ASC_CPU_CONTROL_RUN BIT(4)

/* FwLog: six levels, 0x100 payloads each; message types. */
#define AGX_FWLOG_LEVELS 6
#define AGX_FWLOG_PAYLOADS 0x100
#define AGX_FWLOG_MSG_POINTER 2
#define AGX_FWLOG_MSG_PAYLOAD 3

/* Buffer-manager control page addresses (facts 3.3). */
#define AGX_BUFMGR_CTL_GPU_ADDR 0x2000000000ULL
#define AGX_BUFMGR_CTL_FW_ADDR 0xffffffaeffff0000ULL

/*
 * Globals.fault_control: 0, hard faults. 0xb would enable soft faults,
 * which GET_PARAMS does not report yet (DRM_ASAHI_FEATURE_SOFT_FAULTS).
 */
#define AGX_FAULT_CONTROL 0

/* Waits of the handshake and the recover flow. */
#define AGX_FW_INIT_TIMEOUT_MS 1000
#define AGX_FW_HALT_TIMEOUT_MS 100

/* MMU fault register of G13/G14G (facts 6.1). */
#define AGX_SGX_FAULT_INFO 0x17030

static const char *const agx_fw_state_names[] = {
	[AGX_FW_OFF] = "off",
	[AGX_FW_BOOTING] = "booting",
	[AGX_FW_RUNNING] = "running",
	[AGX_FW_CRASHED] = "crashed",
	[AGX_FW_STOPPED] = "stopped",
};

/* ---- Building InitData ---------------------------------------------------- */

/* Copy a bootloader blob into a new private object. */
static int agx_fw_copy_blob(struct agx_fw *fw, enum agx_hw_region_id id,
			    enum agxfw_struct_id s, enum agx_fw_heap heap,
			    struct agx_fw_mem *mem)
{
	struct agx_hw *hw = &fw->adev->hw;
	const struct agx_hw_region *r = &hw->regions[id];
	size_t blob = hw->info.blob_size_B[id];
	int ret;

	if (!r->va || !blob || blob > r->size_B) {
		drm_err(&fw->adev->drm, "reserved region %d: no valid blob (%zu of %zu bytes)\n",
			id, blob, r->size_B);
		return -EINVAL;
	}
	/* HwDataA is opaque (AGXFW_S_COUNT): the blob's size is all there is. */
	ret = agx_fw_mem_alloc(&fw->mm, heap,
			       max_t(size_t, blob, s < AGXFW_S_COUNT ? agxfw_sizeof(fw->l, s) : 0),
			       mem);
	if (ret)
		return ret;
	memcpy(mem->cpu, r->va, blob);
	return 0;
}

/* Set a field of a blob copy, if it lies inside the blob. */
static int agx_fw_blob_set(struct agx_fw *fw, struct agx_fw_mem *mem, size_t blob,
			   enum agxfw_field_id f, u64 value)
{
	const struct agxfw_field *d = &fw->l->fields[f];

	if (!d->size || d->offset + (size_t)d->size > blob)
		return -EINVAL;
	return agxfw_set(fw->l, mem->cpu, f, value) ? -EINVAL : 0;
}

static int agx_fw_ring_new(struct agx_fw *fw, struct agx_fw_ring *r, const char *name,
			   bool tx, u32 nsub, u32 count, enum agxfw_struct_id msg,
			   enum agx_fw_heap ring_heap)
{
	const struct agxfw_layout *l = fw->l;
	struct agx_fw_ring_desc d = {
		.name = name, .tx = tx, .nsub = nsub, .count = count,
		.msg_size = agxfw_sizeof(l, msg),
		.state_size = agxfw_sizeof(l, AGXFW_S_ChannelState),
		.rptr_off = agxfw_offsetof(l, AGXFW_F_ChannelState__read_ptr),
		.wptr_off = agxfw_offsetof(l, AGXFW_F_ChannelState__write_ptr),
		.ring_heap = ring_heap,
	};

	return agx_fw_ring_init(&fw->mm, r, &d);
}

/* Store a ring's {state, ring} pair at field pair @sf/@rf, element @idx. */
static void agx_fw_set_ring(struct agx_fw *fw, void *buf, enum agxfw_field_id sf,
			    enum agxfw_field_id rf, unsigned int idx,
			    const struct agx_fw_ring *r)
{
	agxfw_set_idx(fw->l, buf, sf, idx, r->state.va);
	agxfw_set_idx(fw->l, buf, rf, idx, r->ring.va);
}

static const char *const agx_fw_pipe_names[4][3] = {
	{ "pipe_vtx0", "pipe_frag0", "pipe_comp0" },
	{ "pipe_vtx1", "pipe_frag1", "pipe_comp1" },
	{ "pipe_vtx2", "pipe_frag2", "pipe_comp2" },
	{ "pipe_vtx3", "pipe_frag3", "pipe_comp3" },
};

/* Every ring, for teardown and debugfs. */
#define AGX_FW_NUM_RINGS (12 + 6)

static unsigned int agx_fw_rings(struct agx_fw *fw, struct agx_fw_ring **out)
{
	unsigned int n = 0, p, t;

	out[n++] = &fw->devctrl;
	for (p = 0; p < 4; p++)
		for (t = 0; t < 3; t++)
			out[n++] = &fw->pipes[p][t];
	out[n++] = &fw->event;
	out[n++] = &fw->fwlog;
	out[n++] = &fw->ktrace;
	out[n++] = &fw->stats_ring;
	out[n++] = &fw->fwctl;
	return n;
}

static void agx_fw_release_objects(struct agx_fw *fw)
{
	struct agx_fw_ring *rings[AGX_FW_NUM_RINGS];
	unsigned int i, n = agx_fw_rings(fw, rings);

	for (i = 0; i < n; i++)
		agx_fw_ring_fini(&fw->mm, rings[i]);
	agx_fw_mem_free(&fw->mm, &fw->fwlog_buf);
	agx_fw_mem_free(&fw->mm, &fw->hwdata_b);
	agx_fw_mem_free(&fw->mm, &fw->hwdata_a);
	agx_fw_mem_free(&fw->mm, &fw->globals);
	agx_fw_mem_free(&fw->mm, &fw->fwstatus);
	agx_fw_mem_free(&fw->mm, &fw->rtptrs);
	agx_fw_mem_free(&fw->mm, &fw->initdata);
}

static int agx_fw_alloc_rings(struct agx_fw *fw)
{
	const struct agxfw_layout *l = fw->l;
	u32 n = agxfw_const_get(l, AGXFW_C_CHANNEL_RING_ENTRIES);
	u32 nk = agxfw_const_get(l, AGXFW_C_KTRACE_RING_ENTRIES);
	struct agx_fw_ring_desc d;
	unsigned int p, t;
	int ret;

	for (p = 0; p < 4; p++)
		for (t = 0; t < 3; t++) {
			ret = agx_fw_ring_new(fw, &fw->pipes[p][t], agx_fw_pipe_names[p][t],
					      true, 1, n, AGXFW_S_RunWorkQueueMsg,
					      AGX_FW_HEAP_PRIV);
			if (ret)
				return ret;
		}
	ret = agx_fw_ring_new(fw, &fw->devctrl, "device_control", true, 1, n,
			      AGXFW_S_DeviceControlMsg, AGX_FW_HEAP_PRIV);
	if (ret)
		return ret;
	ret = agx_fw_ring_new(fw, &fw->event, "event", false, 1, n, AGXFW_S_EventMsg,
			      AGX_FW_HEAP_SHARED);
	if (ret)
		return ret;
	ret = agx_fw_ring_new(fw, &fw->fwlog, "fw_log", false, AGX_FWLOG_LEVELS, n,
			      AGXFW_S_FwLogMsg, AGX_FW_HEAP_SHARED);
	if (ret)
		return ret;
	ret = agx_fw_ring_new(fw, &fw->ktrace, "ktrace", false, 1, nk ? nk : 0x200,
			      AGXFW_S_KTraceMsg, AGX_FW_HEAP_SHARED);
	if (ret)
		return ret;
	ret = agx_fw_ring_new(fw, &fw->stats_ring, "stats", false, 1, n, AGXFW_S_StatsMsg,
			      AGX_FW_HEAP_SHARED);
	if (ret)
		return ret;

	d = (struct agx_fw_ring_desc){
		.name = "fwctl", .tx = true, .nsub = 1, .count = n,
		.msg_size = agxfw_sizeof(l, AGXFW_S_FwCtlMsg),
		.state_size = agxfw_sizeof(l, AGXFW_S_FwCtlChannelState),
		.rptr_off = agxfw_offsetof(l, AGXFW_F_FwCtlChannelState__read_ptr),
		.wptr_off = agxfw_offsetof(l, AGXFW_F_FwCtlChannelState__write_ptr),
		.ring_heap = AGX_FW_HEAP_SHARED,
	};
	return agx_fw_ring_init(&fw->mm, &fw->fwctl, &d);
}

static void agx_fw_fill_rtptrs(struct agx_fw *fw)
{
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
	const struct agxfw_layout *l = fw->l;
	void *p = fw->rtptrs.cpu;
	unsigned int prio, t;

	for (prio = 0; prio < 4; prio++)
		for (t = 0; t < 3; t++)
			agx_fw_set_ring(fw, p, sf[t], rf[t], prio, &fw->pipes[prio][t]);
	agx_fw_set_ring(fw, p, AGXFW_F_RuntimePointers__device_control__state,
			AGXFW_F_RuntimePointers__device_control__ring, 0, &fw->devctrl);
	agx_fw_set_ring(fw, p, AGXFW_F_RuntimePointers__event__state,
			AGXFW_F_RuntimePointers__event__ring, 0, &fw->event);
	agx_fw_set_ring(fw, p, AGXFW_F_RuntimePointers__fw_log__state,
			AGXFW_F_RuntimePointers__fw_log__ring, 0, &fw->fwlog);
	agx_fw_set_ring(fw, p, AGXFW_F_RuntimePointers__ktrace__state,
			AGXFW_F_RuntimePointers__ktrace__ring, 0, &fw->ktrace);
	agx_fw_set_ring(fw, p, AGXFW_F_RuntimePointers__stats__state,
			AGXFW_F_RuntimePointers__stats__ring, 0, &fw->stats_ring);
	agxfw_set(l, p, AGXFW_F_RuntimePointers__fwlog_buf, fw->fwlog_buf.va);
	agxfw_set(l, p, AGXFW_F_RuntimePointers__hwdata_a, fw->hwdata_a.va);
	agxfw_set(l, p, AGXFW_F_RuntimePointers__hwdata_b, fw->hwdata_b.va);
	agxfw_set(l, p, AGXFW_F_RuntimePointers__hwdata_b_2, fw->hwdata_b.va);
	agxfw_set(l, p, AGXFW_F_RuntimePointers__buffer_mgr_ctl_gpu_addr,
		  AGX_BUFMGR_CTL_GPU_ADDR);
	agxfw_set(l, p, AGXFW_F_RuntimePointers__buffer_mgr_ctl_fw_addr,
		  AGX_BUFMGR_CTL_FW_ADDR);

	agx_fw_set_ring(fw, fw->fwstatus.cpu, AGXFW_F_FwStatus__fwctl_channel__state,
			AGXFW_F_FwStatus__fwctl_channel__ring, 0, &fw->fwctl);
}

static void agx_fw_fill_initdata(struct agx_fw *fw)
{
	static const u32 shift[3] = { 36, 25, 14 };
	static const u32 entries[3] = { 8, 2048, 2048 };
	const struct agxfw_layout *l = fw->l;
	void *p = fw->initdata.cpu;
	unsigned int i;

	/* Only 13.0b4 and later have it (facts 3.2). */
	if (agxfw_has(l, AGXFW_F_InitData__ver_info)) {
		bool g14x = l->gen == AGXFW_GEN_G14X;

		agxfw_set_idx(l, p, AGXFW_F_InitData__ver_info, 0, g14x ? 0xb390 : 0x6ba0);
		agxfw_set_idx(l, p, AGXFW_F_InitData__ver_info, 1, g14x ? 0x70f8 : 0x1f28);
		agxfw_set_idx(l, p, AGXFW_F_InitData__ver_info, 2, 0x601);
		agxfw_set_idx(l, p, AGXFW_F_InitData__ver_info, 3, 0xb0);
	}
	agxfw_set(l, p, AGXFW_F_InitData__runtime_pointers, fw->rtptrs.va);
	agxfw_set(l, p, AGXFW_F_InitData__globals, fw->globals.va);
	agxfw_set(l, p, AGXFW_F_InitData__fw_status, fw->fwstatus.va);
	agxfw_set(l, p, AGXFW_F_InitData__uat_page_size, AGX_GPU_PAGE_SIZE);
	agxfw_set(l, p, AGXFW_F_InitData__uat_page_bits, AGX_GPU_PAGE_SHIFT);
	agxfw_set(l, p, AGXFW_F_InitData__uat_num_levels, 3);
	for (i = 0; i < 3; i++) {
		agxfw_set_idx(l, p, AGXFW_F_InitData__uat_level_info__index_shift, i, shift[i]);
		agxfw_set_idx(l, p, AGXFW_F_InitData__uat_level_info__num_entries, i,
			      entries[i]);
		agxfw_set_idx(l, p, AGXFW_F_InitData__uat_level_info__index_mask, i,
			      (u64)(entries[i] - 1) << shift[i]);
	}
	/* "Must be 1" (facts 3.3). */
	agxfw_set(l, p, AGXFW_F_InitData__host_mapped_fw_allocations, 1);
}

/* Allocate and fill InitData and everything it points to. */
static int agx_fw_build(struct agx_fw *fw)
{
	struct agx_hw *hw = &fw->adev->hw;
	const struct agxfw_layout *l = fw->l;
	int ret;

	ret = agx_fw_mem_alloc(&fw->mm, AGX_FW_HEAP_PRIV, agxfw_sizeof(l, AGXFW_S_InitData),
			       &fw->initdata);
	if (ret)
		goto err;
	ret = agx_fw_mem_alloc(&fw->mm, AGX_FW_HEAP_PRIV,
			       agxfw_sizeof(l, AGXFW_S_RuntimePointers), &fw->rtptrs);
	if (ret)
		goto err;
	ret = agx_fw_mem_alloc(&fw->mm, AGX_FW_HEAP_SHARED, agxfw_sizeof(l, AGXFW_S_FwStatus),
			       &fw->fwstatus);
	if (ret)
		goto err;
	ret = agx_fw_copy_blob(fw, AGX_HW_REGION_GLOBALS, AGXFW_S_Globals,
			       AGX_FW_HEAP_SHARED, &fw->globals);
	if (ret)
		goto err;
	ret = agx_fw_copy_blob(fw, AGX_HW_REGION_HW_CAL_A, AGXFW_S_COUNT,
			       AGX_FW_HEAP_PRIV, &fw->hwdata_a);
	if (ret)
		goto err;
	ret = agx_fw_copy_blob(fw, AGX_HW_REGION_HW_CAL_B, AGXFW_S_HwDataB,
			       AGX_FW_HEAP_PRIV, &fw->hwdata_b);
	if (ret)
		goto err;
	ret = agx_fw_blob_set(fw, &fw->globals, hw->info.blob_size_B[AGX_HW_REGION_GLOBALS],
			      AGXFW_F_Globals__fault_control, AGX_FAULT_CONTROL);
	if (!ret)
		ret = agx_fw_blob_set(fw, &fw->globals,
				      hw->info.blob_size_B[AGX_HW_REGION_GLOBALS],
				      AGXFW_F_Globals__pending_submissions, 0);
	if (ret) {
		drm_err(&fw->adev->drm, "the Globals blob is too small\n");
		goto err;
	}
	ret = agx_fw_mem_alloc(&fw->mm, AGX_FW_HEAP_SHARED,
			       (size_t)AGX_FWLOG_LEVELS * AGX_FWLOG_PAYLOADS *
			       agxfw_sizeof(l, AGXFW_S_FwLogPayloadMsg), &fw->fwlog_buf);
	if (ret)
		goto err;
	ret = agx_fw_alloc_rings(fw);
	if (ret)
		goto err;

	agx_fw_fill_rtptrs(fw);
	agx_fw_fill_initdata(fw);
	fw->allocated = true;
	return 0;

err:
	agx_fw_release_objects(fw);
	return ret;
}

/* ---- Device control ------------------------------------------------------ */

static int agx_fw_devctrl_queue_init(struct agx_fw *fw)
{
	u8 msg[0x80] = {};
	int ret;

	if (agxfw_sizeof(fw->l, AGXFW_S_DeviceControlMsg) > sizeof(msg))
		return -EINVAL;
	agxfw_set(fw->l, msg, AGXFW_F_DcInitialize__tag,
		  agxfw_const_get(fw->l, AGXFW_C_DC_INITIALIZE));
	mutex_lock(&fw->devctrl.lock);
	ret = agx_fw_ring_put_locked(&fw->devctrl, msg, fw->devctrl.msg_size);
	mutex_unlock(&fw->devctrl.lock);
	return ret;
}

static int agx_fw_doorbell(struct agx_fw *fw, u32 channel)
{
	return agx_hw_send(&fw->adev->hw, AGX_EP_DOORBELL, AGX_MSG_TX_DOORBELL | channel);
}

/**
 * agx_fw_devctrl_send() - Queue a DeviceControl message and ring its doorbell.
 * @fw: The firmware interface.
 * @msg: The message, &agx_fw_ring.msg_size bytes of @fw->devctrl.
 *
 * Does not wait for the firmware to read it.
 *
 * Return: 0, -ENODEV when the firmware is not running, -EBUSY when the
 * ring is full, or the backend's error.
 */
int agx_fw_devctrl_send(struct agx_fw *fw, const void *msg)
{
	int ret;

	if (READ_ONCE(fw->state) != AGX_FW_RUNNING)
		return -ENODEV;
	mutex_lock(&fw->devctrl.lock);
	ret = agx_fw_ring_put_locked(&fw->devctrl, msg, fw->devctrl.msg_size);
	mutex_unlock(&fw->devctrl.lock);
	if (!ret)
		ret = agx_fw_doorbell(fw, AGX_DOORBELL_DEVCTRL);
	return ret;
}

/**
 * agx_fw_pipe_send() - Queue a RunWorkQueueMsg on a pipe ring and ring it.
 * @fw: The firmware interface.
 * @prio: Firmware priority (ring index), 0..3.
 * @pipe: Pipe type: vertex 0, fragment 1, compute 2.
 * @msg: The message (the pipe ring's message size).
 *
 * The doorbell names the ring as @pipe | @prio << 2 (facts 1.3 step 6).
 *
 * Return: 0 or a negative error as for agx_fw_devctrl_send().
 */
int agx_fw_pipe_send(struct agx_fw *fw, unsigned int prio, unsigned int pipe,
		     const void *msg)
{
	struct agx_fw_ring *r;
	int ret;

	if (prio >= ARRAY_SIZE(fw->pipes) || pipe >= ARRAY_SIZE(fw->pipes[0]))
		return -EINVAL;
	if (READ_ONCE(fw->state) != AGX_FW_RUNNING)
		return -ENODEV;
	r = &fw->pipes[prio][pipe];
	mutex_lock(&r->lock);
	ret = agx_fw_ring_put_locked(r, msg, r->msg_size);
	mutex_unlock(&r->lock);
	if (!ret)
		ret = agx_fw_doorbell(fw, pipe | prio << 2);
	return ret;
}

/**
 * agx_fw_devctrl_wait() - Wait until the firmware has read every
 * DeviceControl message (up to 1 s).
 * @fw: The firmware interface.
 *
 * Return: 0, -ENODEV when the firmware crashed, -ETIMEDOUT.
 */
int agx_fw_devctrl_wait(struct agx_fw *fw)
{
	unsigned long timeout = jiffies + msecs_to_jiffies(AGX_FW_INIT_TIMEOUT_MS);
	u32 rptr, wptr;

	for (;;) {
		mutex_lock(&fw->devctrl.lock);
		wptr = fw->devctrl.ptr[0];
		rptr = agx_fw_ring_fw_ptr(&fw->devctrl, 0, false);
		mutex_unlock(&fw->devctrl.lock);
		if (rptr == wptr)
			return 0;
		if (READ_ONCE(fw->state) == AGX_FW_CRASHED)
			return -ENODEV;
		if (time_after(jiffies, timeout))
			return -ETIMEDOUT;
		usleep_range(1000, 2000);
	}
}

/* ---- Handshake ------------------------------------------------------------ */

static void agx_fw_set_state(struct agx_fw *fw, enum agx_fw_state state)
{
	lockdep_assert_held(&fw->lock);
	WRITE_ONCE(fw->state, state);
	wake_up_all(&fw->wq);
}

/**
 * agx_fw_boot() - Start the firmware and initialize it.
 * @fw: The firmware interface, from agx_fw_init().
 *
 * Builds InitData and performs the handshake described in the DOC
 * section. On error the firmware may have been started; the caller
 * unwinds by removing the backend, then agx_fw_free().
 *
 * Return: 0 or a negative error.
 */
int agx_fw_boot(struct agx_fw *fw)
{
	struct agx_device *adev = fw->adev;
	struct agx_hw *hw = &adev->hw;
	u32 ctrl;
	int ret;

	ret = agx_fw_build(fw);
	if (ret) {
		drm_err(&adev->drm, "building InitData failed: %d\n", ret);
		return ret;
	}
	ret = agx_fw_devctrl_queue_init(fw);
	if (ret) {
		drm_err(&adev->drm, "queueing DeviceControl Initialize failed: %d\n", ret);
		return ret;
	}

	mutex_lock(&fw->lock);
	agx_fw_set_state(fw, AGX_FW_BOOTING);
	mutex_unlock(&fw->lock);

	ctrl = agx_hw_read32(hw, AGX_HW_BANK_ASC, AGX_ASC_CPU_CONTROL);
	agx_hw_write32(hw, AGX_HW_BANK_ASC, AGX_ASC_CPU_CONTROL,
		       ctrl | AGX_ASC_CPU_CONTROL_RUN);

	ret = agx_uat_handoff_init(adev->uat);
	if (ret) {
		drm_err(&adev->drm, "the firmware did not answer the handoff: %d\n", ret);
		return ret;
	}
	ret = hw->ops->boot(hw);
	if (ret) {
		drm_err(&adev->drm, "booting RTKit failed: %d\n", ret);
		return ret;
	}

	mutex_lock(&fw->lock);
	if (READ_ONCE(fw->state) == AGX_FW_BOOTING)
		agx_fw_set_state(fw, AGX_FW_RUNNING);
	mutex_unlock(&fw->lock);

	ret = agx_hw_send(hw, AGX_EP_FIRMWARE,
			  AGX_MSG_INIT | (fw->initdata.va & AGX_MSG_INIT_VA_MASK));
	if (!ret)
		ret = agx_fw_doorbell(fw, AGX_DOORBELL_DEVCTRL);
	if (!ret)
		ret = agx_fw_doorbell(fw, AGX_DOORBELL_KICKFW);
	if (ret) {
		drm_err(&adev->drm, "sending the init messages failed: %d\n", ret);
		return ret;
	}
	ret = agx_fw_devctrl_wait(fw);
	if (ret) {
		drm_err(&adev->drm, "the firmware did not take DeviceControl Initialize: %d\n",
			ret);
		return ret;
	}
	drm_info(&adev->drm, "firmware %s initialized, InitData at %#llx\n",
		 fw->l->name, fw->initdata.va);
	return 0;
}

/* ---- Errors ---------------------------------------------------------------- */

/* The device is dead: fail everything. */
static void agx_fw_die_locked(struct agx_fw *fw, const char *why)
{
	lockdep_assert_held(&fw->lock);
	if (fw->state != AGX_FW_RUNNING && fw->state != AGX_FW_BOOTING)
		return;
	drm_err(&fw->adev->drm, "GPU firmware %s: the device is dead until the driver is reloaded\n",
		why);
	agx_fw_set_state(fw, AGX_FW_CRASHED);
	agx_event_fail_all(&fw->events, -ENODEV);
}

/**
 * agx_fw_crashed() - Backend callback: the firmware crashed.
 * @hw: The backend.
 */
void agx_fw_crashed(struct agx_hw *hw)
{
	struct agx_device *adev = container_of(hw, struct agx_device, hw);
	struct agx_fw *fw = adev->fw;

	if (!fw) {
		dev_err(hw->dev, "GPU firmware crashed\n");
		return;
	}
	mutex_lock(&fw->lock);
	if (fw->state == AGX_FW_RUNNING || fw->state == AGX_FW_BOOTING)
		agx_fw_die_locked(fw, "crashed");
	else
		dev_err(hw->dev, "GPU firmware crashed (not booted by the driver)\n");
	mutex_unlock(&fw->lock);
}

/**
 * agx_fw_is_dead() - Whether the firmware crashed or misbehaved.
 * @adev: The device.
 *
 * Return: true if driver ioctls must fail with -ENODEV.
 */
bool agx_fw_is_dead(struct agx_device *adev)
{
	return adev->fw && READ_ONCE(adev->fw->state) == AGX_FW_CRASHED;
}

/* ---- Receive path ---------------------------------------------------------- */

/* The "recover" flow (facts 6.2): resume the firmware if it halted. */
static void agx_fw_recover_locked(struct agx_fw *fw)
{
	const struct agxfw_layout *l = fw->l;
	unsigned long timeout = jiffies + msecs_to_jiffies(AGX_FW_HALT_TIMEOUT_MS);
	void *st = fw->fwstatus.cpu;
	u32 *halted, *resume;

	lockdep_assert_held(&fw->lock);
	fw->needs_recovery = true;
	halted = agxfw_ptr(l, st, AGXFW_F_FwStatus__flags__halted);
	resume = agxfw_ptr(l, st, AGXFW_F_FwStatus__flags__resume);
	if (!halted || !resume)
		return;
	while (!READ_ONCE(*halted)) {
		if (time_after(jiffies, timeout)) {
			drm_err(&fw->adev->drm, "the firmware did not halt; cannot recover\n");
			return;
		}
		usleep_range(1000, 2000);
	}
	WRITE_ONCE(*halted, 0);
	wmb(); /* halted cleared before resume is seen */
	WRITE_ONCE(*resume, 1);
	fw->stats.recoveries++;
	/* The halted firmware polls the flag: no doorbell (facts 6.2). */
	drm_warn(&fw->adev->drm, "firmware halted (halt count %llu); resumed\n",
		 agxfw_get(l, st, AGXFW_F_FwStatus__flags__halt_count));
}

/*
 * Fault and Timeout (facts 6.2): every valid entry of Globals.pending_stamps
 * names an event slot and the stamp value of work the firmware had started.
 * That work failed: the culprit's slot (@culprit, -1 when unknown) gets
 * @error, other slots -ECANCELED (with no culprit, all get @error). The
 * entries are cleared; the firmware retires the work after the resume.
 */
static void agx_fw_mark_pending_locked(struct agx_fw *fw, s32 culprit, int error)
{
	const struct agxfw_layout *l = fw->l;
	const struct agxfw_field *fi = &l->fields[AGXFW_F_Globals__pending_stamps__info];
	u32 dv = agxfw_offsetof(l, AGXFW_F_Globals__pending_stamps__wait_value) -
		 agxfw_offsetof(l, AGXFW_F_Globals__pending_stamps__info);
	unsigned int shift = (l->fw_major > 13 || (l->fw_major == 13 && l->fw_minor >= 5)) ? 4 : 3;
	u8 *base;
	unsigned int i;

	lockdep_assert_held(&fw->lock);
	if (!fw->globals.cpu || !agxfw_has(l, AGXFW_F_Globals__pending_stamps__info))
		return;
	base = agxfw_ptr(l, fw->globals.cpu, AGXFW_F_Globals__pending_stamps__info);
	for (i = 0; i < fi->count; i++) {
		u32 *info = (u32 *)(base + (size_t)i * fi->stride);
		u32 v = READ_ONCE(*info), value, slot;

		if (!(v & 1))
			continue;
		slot = (v >> shift) & 0x7f;
		value = READ_ONCE(*(u32 *)((u8 *)info + dv));
		agx_event_fail(&fw->events, slot, AGX_EVENT_FAIL_UPTO, value,
			       culprit < 0 || slot == culprit ? error : -ECANCELED);
		WRITE_ONCE(*info, 0);
	}
}

static void agx_fw_handle_event_locked(struct agx_fw *fw, const void *msg)
{
	const struct agxfw_layout *l = fw->l;
	u64 tag = agxfw_get(l, msg, AGXFW_F_EventMsg__tag);
	struct agx_hw *hw = &fw->adev->hw;
	unsigned int i, bit;

	fw->stats.event_tags[min_t(u64, tag, ARRAY_SIZE(fw->stats.event_tags) - 1)]++;

	if (tag == agxfw_const_get(l, AGXFW_C_EVENT_FLAG)) {
		for (i = 0; i < AGX_EVENT_SLOTS / 32; i++) {
			unsigned long word = (u32)agxfw_get_idx(l, msg,
							       AGXFW_F_EventFlagMsg__firing, i);

			for_each_set_bit(bit, &word, 32)
				agx_event_signal(&fw->events, i * 32 + bit);
		}
	} else if (tag == agxfw_const_get(l, AGXFW_C_EVENT_FAULT)) {
		u32 lo = 0, hi = 0;

		if (l->gen != AGXFW_GEN_G14X) {
			lo = agx_hw_read32(hw, AGX_HW_BANK_SGX, AGX_SGX_FAULT_INFO);
			hi = agx_hw_read32(hw, AGX_HW_BANK_SGX, AGX_SGX_FAULT_INFO + 4);
		}
		drm_err(&fw->adev->drm, "GPU fault reported by the firmware (fault info %#x%08x)\n",
			hi, lo);
		agx_fw_mark_pending_locked(fw, -1, -EIO);
		agx_fw_recover_locked(fw);
	} else if (tag == agxfw_const_get(l, AGXFW_C_EVENT_TIMEOUT)) {
		s32 slot = (s32)agxfw_get(l, msg, AGXFW_F_EventTimeoutMsg__event_slot);

		drm_err(&fw->adev->drm, "GPU timeout: counter %llu, event slot %d\n",
			agxfw_get(l, msg, AGXFW_F_EventTimeoutMsg__counter), slot);
		agx_fw_mark_pending_locked(fw, slot, -ETIMEDOUT);
		agx_fw_recover_locked(fw);
	} else if (tag == agxfw_const_get(l, AGXFW_C_EVENT_CHANNEL_ERROR)) {
		u32 type = agxfw_get(l, msg, AGXFW_F_EventChannelErrorMsg__error_type);
		u32 slot = agxfw_get(l, msg, AGXFW_F_EventChannelErrorMsg__event_slot);
		u32 value = agxfw_get(l, msg, AGXFW_F_EventChannelErrorMsg__event_value);

		drm_err(&fw->adev->drm, "firmware channel error %u: pipe %llu, event slot %u, value %#x\n",
			type, agxfw_get(l, msg, AGXFW_F_EventChannelErrorMsg__pipe_type),
			slot, value);
		/* The owner fails the work and sends RecoverChannel (agx_queue.c). */
		agx_event_fail(&fw->events, slot, AGX_EVENT_SKIP_TO, value, -EIO);
	} else if (tag == agxfw_const_get(l, AGXFW_C_EVENT_GROW_TVB)) {
		/* The queue's buffer grows and is acked (agx_buffer.c). */
		drm_dbg(&fw->adev->drm, "firmware GrowTVB: vm slot %llu, buffer slot %llu\n",
			agxfw_get(l, msg, AGXFW_F_EventGrowTVBMsg__vm_slot),
			agxfw_get(l, msg, AGXFW_F_EventGrowTVBMsg__buffer_slot));
		agx_tvb_grow_event(fw->adev, agxfw_get(l, msg, AGXFW_F_EventGrowTVBMsg__buffer_slot),
				   agxfw_get(l, msg, AGXFW_F_EventGrowTVBMsg__counter));
	} else if (tag < agxfw_const_get(l, AGXFW_C_EVENT_CHANNEL_ERROR)) {
		/* Tags the firmware is known to use, with no known meaning. */
		dev_warn_ratelimited(fw->adev->drm.dev, "unknown firmware event %llu\n", tag);
	} else {
		drm_err(&fw->adev->drm, "invalid firmware event tag %#llx\n", tag);
		agx_fw_die_locked(fw, "sent an invalid event");
	}
}

static void agx_fw_log_store(struct agx_fw *fw, unsigned int level, const char *text)
{
	spin_lock(&fw->log_lock);
	/* "<level> <text>": a digit, a space, then the (already bounded) text. */
	fw->log[fw->log_head][0] = '0' + level;
	fw->log[fw->log_head][1] = ' ';
	strscpy(fw->log[fw->log_head] + 2, text, AGX_FW_LOG_LEN - 2);
	fw->log_head = (fw->log_head + 1) % AGX_FW_LOG_LINES;
	if (fw->log_count < AGX_FW_LOG_LINES)
		fw->log_count++;
	spin_unlock(&fw->log_lock);
}

static void agx_fw_handle_log_locked(struct agx_fw *fw, unsigned int level, const void *msg)
{
	static const char *const names[AGX_FWLOG_LEVELS] = {
		"debug", "info", "notice", "warn", "err", "crit",
	};
	const struct agxfw_layout *l = fw->l;
	u32 psize = agxfw_sizeof(l, AGXFW_S_FwLogPayloadMsg);
	const struct agxfw_field *tf = &l->fields[AGXFW_F_FwLogPayloadMsg__msg];
	char text[AGX_FW_LOG_LEN];
	u8 payload[0x100];
	size_t len, i;
	u64 idx;

	if (agxfw_get(l, msg, AGXFW_F_FwLogMsg__msg_type) != AGX_FWLOG_MSG_POINTER)
		goto bad;
	idx = agxfw_get(l, msg, AGXFW_F_FwLogMsg__msg_index);
	if (idx >= AGX_FWLOG_PAYLOADS || psize > sizeof(payload) || !tf->size)
		goto bad;
	/* Copy out first: the firmware may rewrite the payload meanwhile. */
	memcpy(payload, (u8 *)fw->fwlog_buf.cpu +
	       ((size_t)level * AGX_FWLOG_PAYLOADS + idx) * psize, psize);
	if (agxfw_get(l, payload, AGXFW_F_FwLogPayloadMsg__msg_type) != AGX_FWLOG_MSG_PAYLOAD)
		goto bad;
	len = min_t(size_t, (size_t)tf->size * tf->count, sizeof(text) - 1);
	if (tf->offset + len > psize)
		goto bad;
	len = strnlen((const char *)payload + tf->offset, len);
	for (i = 0; i < len; i++) {
		char c = payload[tf->offset + i];

		text[i] = isprint(c) ? c : '?';
	}
	text[len] = 0;
	fw->stats.fwlog++;
	drm_dbg(&fw->adev->drm, "fw %s: %s\n", names[level], text);
	agx_fw_log_store(fw, level, text);
	return;
bad:
	fw->stats.fwlog_bad++;
	dev_warn_ratelimited(fw->adev->drm.dev, "malformed firmware log message on level %u\n",
			     level);
}

/* Drain one RX (sub-)ring; false on a firmware error. */
static bool agx_fw_drain_locked(struct agx_fw *fw, struct agx_fw_ring *r, unsigned int sub)
{
	u8 msg[0x100];
	unsigned int n;
	int ret = 0;

	lockdep_assert_held(&fw->lock);
	if (WARN_ON(r->msg_size > sizeof(msg)))
		return false;
	/* At most one ring's worth: a firmware that keeps writing cannot stall us. */
	for (n = 0; n < r->count; n++) {
		mutex_lock(&r->lock);
		ret = agx_fw_ring_get_locked(r, sub, msg);
		mutex_unlock(&r->lock);
		if (ret <= 0)
			break;
		if (r == &fw->event)
			agx_fw_handle_event_locked(fw, msg);
		else if (r == &fw->fwlog)
			agx_fw_handle_log_locked(fw, sub, msg);
		else if (r == &fw->ktrace)
			fw->stats.ktrace++;
		else
			fw->stats.stats++;
		if (READ_ONCE(fw->state) != AGX_FW_RUNNING)
			return false;
	}
	if (ret < 0) {
		drm_err(&fw->adev->drm, "firmware ring %s[%u]: write pointer %u out of range\n",
			r->name, sub, agx_fw_ring_fw_ptr(r, sub, true));
		agx_fw_die_locked(fw, "corrupted a ring");
		return false;
	}
	return true;
}

static void agx_fw_poll_locked(struct agx_fw *fw)
{
	unsigned int sub;

	lockdep_assert_held(&fw->lock);
	fw->stats.rx_doorbells++;
	if (!agx_fw_drain_locked(fw, &fw->event, 0))
		return;
	for (sub = 0; sub < AGX_FWLOG_LEVELS; sub++)
		if (!agx_fw_drain_locked(fw, &fw->fwlog, sub))
			return;
	if (!agx_fw_drain_locked(fw, &fw->ktrace, 0))
		return;
	agx_fw_drain_locked(fw, &fw->stats_ring, 0);
}

/**
 * agx_fw_deliver() - Backend callback: a message from the firmware.
 * @hw: The backend.
 * @endpoint: Application endpoint.
 * @message: The message.
 */
void agx_fw_deliver(struct agx_hw *hw, u8 endpoint, u64 message)
{
	struct agx_device *adev = container_of(hw, struct agx_device, hw);
	struct agx_fw *fw = adev->fw;

	if (!fw) {
		dev_dbg(hw->dev, "firmware message on endpoint %#x: %#llx\n", endpoint, message);
		return;
	}
	mutex_lock(&fw->lock);
	if (fw->state != AGX_FW_RUNNING)
		dev_dbg(hw->dev, "firmware message on endpoint %#x while %s: %#llx\n",
			endpoint, agx_fw_state_names[fw->state], message);
	else if (endpoint == AGX_EP_FIRMWARE && AGX_MSG_TYPE(message) == AGX_MSG_RX_DOORBELL)
		agx_fw_poll_locked(fw);
	else
		dev_warn_ratelimited(adev->drm.dev, "unknown firmware message on endpoint %#x: %#llx\n",
				     endpoint, message);
	mutex_unlock(&fw->lock);
}

/* ---- Set-up and teardown ---------------------------------------------------- */

static void agx_fw_release(struct drm_device *drm, void *data)
{
	struct agx_fw *fw = data;

	agx_fw_free(fw);
	agx_fw_memory_fini(&fw->mm);
	mutex_destroy(&fw->lock);
	kfree(fw);
}

/**
 * agx_fw_init() - Select the firmware layout and set up the interface.
 * @adev: The device; its UAT exists.
 *
 * Nothing is allocated in the kernel VM yet: agx_fw_boot() does that.
 *
 * Return: 0, -ENODEV for an unsupported GPU/firmware combination, or
 * another negative error.
 */
int agx_fw_init(struct agx_device *adev)
{
	const struct agx_hw_info *info = &adev->hw.info;
	enum agxfw_combo combo;
	enum agxfw_gen gen;
	struct agx_fw *fw;
	int ret;

	if (info->gpu_gen == 13)
		gen = AGXFW_GEN_G13;
	else if (info->gpu_gen == 14 && info->gpu_variant == 'G')
		gen = AGXFW_GEN_G14;
	else if (info->gpu_gen == 14)
		gen = AGXFW_GEN_G14X;
	else
		gen = (enum agxfw_gen)-1;
	combo = agxfw_combo_select(gen, info->fw_abi[0], info->fw_abi[1], info->fw_abi[2]);
	if (combo >= AGXFW_COMBO_COUNT) {
		drm_err(&adev->drm, "unsupported GPU/firmware combination G%u%c + %u.%u.%u\n",
			info->gpu_gen, info->gpu_variant ? (char)info->gpu_variant : '?',
			info->fw_abi[0], info->fw_abi[1], info->fw_abi[2]);
		return -ENODEV;
	}

	fw = kzalloc(sizeof(*fw), GFP_KERNEL);
	if (!fw)
		return -ENOMEM;
	fw->adev = adev;
	fw->l = agxfw_layout_get(combo);
	mutex_init(&fw->lock);
	init_waitqueue_head(&fw->wq);
	spin_lock_init(&fw->log_lock);
	agx_event_mgr_init(&fw->events);
	agx_fw_memory_init(&fw->mm, adev->uat);
	fw->state = AGX_FW_OFF;

	ret = drmm_add_action_or_reset(&adev->drm, agx_fw_release, fw);
	if (ret)
		return ret;
	adev->fw = fw;
	return 0;
}

/**
 * agx_fw_stop() - Stop handling the firmware: the device is going away.
 * @fw: The firmware interface, or NULL.
 *
 * Pending waits fail with -ENODEV. Messages still delivered are ignored.
 */
void agx_fw_stop(struct agx_fw *fw)
{
	if (!fw)
		return;
	mutex_lock(&fw->lock);
	if (fw->state != AGX_FW_CRASHED && fw->state != AGX_FW_OFF) {
		agx_fw_set_state(fw, AGX_FW_STOPPED);
		agx_event_fail_all(&fw->events, -ENODEV);
	}
	mutex_unlock(&fw->lock);
}

/**
 * agx_fw_free() - Free InitData and the rings.
 * @fw: The firmware interface, or NULL.
 *
 * Only once the firmware cannot touch them any more: after the backend
 * was removed (or never booted). May be called more than once.
 */
void agx_fw_free(struct agx_fw *fw)
{
	if (!fw)
		return;
	mutex_lock(&fw->lock);
	if (fw->allocated || fw->initdata.cpu)
		agx_fw_release_objects(fw);
	fw->allocated = false;
	mutex_unlock(&fw->lock);
}

/* ---- debugfs ------------------------------------------------------------------ */

static int agx_fw_debugfs_log_show(struct seq_file *m, void *unused)
{
	struct agx_fw *fw = m->private;
	unsigned int i, first;

	spin_lock(&fw->log_lock);
	first = (fw->log_head + AGX_FW_LOG_LINES - fw->log_count) % AGX_FW_LOG_LINES;
	for (i = 0; i < fw->log_count; i++)
		seq_printf(m, "%s\n", fw->log[(first + i) % AGX_FW_LOG_LINES]);
	spin_unlock(&fw->log_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(agx_fw_debugfs_log);

static int agx_fw_debugfs_channels_show(struct seq_file *m, void *unused)
{
	struct agx_fw *fw = m->private;
	struct agx_fw_ring *rings[AGX_FW_NUM_RINGS];
	unsigned int i, n;

	mutex_lock(&fw->lock);
	if (fw->allocated) {
		n = agx_fw_rings(fw, rings);
		for (i = 0; i < n; i++)
			agx_fw_ring_show(rings[i], m);
	}
	mutex_unlock(&fw->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(agx_fw_debugfs_channels);

static int agx_fw_debugfs_status_show(struct seq_file *m, void *unused)
{
	struct agx_fw *fw = m->private;
	unsigned int i;

	mutex_lock(&fw->lock);
	seq_printf(m, "state %s\ncrashed %d\nneeds_recovery %d\nlayout %s\n",
		   agx_fw_state_names[fw->state], fw->state == AGX_FW_CRASHED,
		   fw->needs_recovery, fw->l->name);
	seq_printf(m, "initdata_va %#llx\n", fw->allocated ? fw->initdata.va : 0);
	seq_printf(m, "rx_doorbells %llu\nfwlog %llu\nfwlog_bad %llu\nktrace %llu\nstats %llu\nrecoveries %llu\n",
		   fw->stats.rx_doorbells, fw->stats.fwlog, fw->stats.fwlog_bad,
		   fw->stats.ktrace, fw->stats.stats, fw->stats.recoveries);
	seq_puts(m, "event_tags");
	for (i = 0; i < ARRAY_SIZE(fw->stats.event_tags); i++)
		seq_printf(m, " %llu", fw->stats.event_tags[i]);
	seq_puts(m, "\n");
	spin_lock(&fw->events.lock);
	seq_printf(m, "event_slots_used %u\nevent_signals %llu\nevent_spurious %llu\n",
		   bitmap_weight(fw->events.used, AGX_EVENT_SLOTS), fw->events.signals,
		   fw->events.spurious);
	spin_unlock(&fw->events.lock);
	seq_printf(m, "objects %u\n", fw->mm.live);
	mutex_unlock(&fw->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(agx_fw_debugfs_status);

/**
 * agx_fw_debugfs_init() - Create fw_log, fw_channels and fw_status.
 * @adev: The device, registered.
 */
void agx_fw_debugfs_init(struct agx_device *adev)
{
	struct dentry *root = adev->drm.debugfs_root;

	if (IS_ERR_OR_NULL(root) || !adev->fw)
		return;
	debugfs_create_file("fw_log", 0400, root, adev->fw, &agx_fw_debugfs_log_fops);
	debugfs_create_file("fw_channels", 0400, root, adev->fw,
			    &agx_fw_debugfs_channels_fops);
	debugfs_create_file("fw_status", 0400, root, adev->fw, &agx_fw_debugfs_status_fops);
}
