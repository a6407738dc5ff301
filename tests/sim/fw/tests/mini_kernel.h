/* SPDX-License-Identifier: MIT */
/*
 * A test-side "mini kernel": what the kernel driver does to bring the
 * firmware up and submit work, done directly in simulated physical
 * memory with real UAT page tables (kernel-firmware-facts.md sections
 * 1.3, 2.2, 3.3, 3.5-3.8, 4.2, 4.4). Firmware structures are built with
 * the firmware-structs accessors for the combination under test.
 */
#ifndef MINI_KERNEL_H
#define MINI_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "agxfw/agxfw_access.h"
#include "dev_fixture.h"
#include "pt_builder.h"

/* Kernel VA ranges (facts 4.4) and the user VM's slot. */
#define MK_VA_PRIV    0xffffffa000000000ull
#define MK_VA_GPU_RO  0xffffffa600000000ull
#define MK_VA_SHARED  0xffffffa800000000ull
#define MK_USER_SLOT  1u
#define MK_USER_VA    0x1000000ull      /* user buffers */
#define MK_WQ_SIZE    64u

/*
 * The tiled vertex buffer as the kernel must set it up (fw/README.md, "What
 * the kernel provides for the buffer manager"): BufferInfo in private
 * kernel memory; BlockControl, BufferCounter, BufferStats and each Scene in
 * shared kernel memory; the page and block lists in the user VM (kernel-
 * private range there, GPU-readable); 128 KiB blocks of four 32 KiB pages,
 * mapped GPU read/write in the user VM from MK_TVB_VA.
 */
#define MK_TVB_VA         0x40000000ull
#define MK_TVB_LISTS_VA   0x3ff00000ull
#define MK_TVB_MAX_BLOCKS 64u
#define MK_TVB_BLOCK_B    0x20000ull

struct mk_tvb {
	uint64_t info_va, block_ctl_va, counter_va, stats_va;
	uint64_t page_list_va, block_list_va;   /* user VM */
	uint32_t *page_list, *block_list;       /* host views */
	uint32_t blocks;   /* allocated and published */
	uint32_t slot;     /* buffer-manager slot */
	bool rebind;       /* InitBuffer goes before the next RunVertex */
};

enum mk_heap { MK_PRIV, MK_GPU_RO, MK_SHARED, MK_USER, MK_HEAPS };

struct mk_heap_state {
	uint64_t va_base, pa_base, size_B, used_B;
};

struct mk_ring {
	uint64_t state_va, ring_va;
	uint32_t count, msg_size, wptr;
};

struct mk_queue {
	uint32_t pipe, prio, event_slot;
	uint64_t info_va, state_va, ring_va;
	uint64_t stamp_va, fw_stamp_va;
	uint64_t notifier_va, threshold_va, context_va;
	uint32_t wptr;
	uint32_t next_value;   /* next stamp value (steps of 0x100) */
	bool started;
};

struct mk {
	struct df f;
	const struct agxfw_layout *l;
	struct pt_builder ptb;
	uint64_t lower_root;   /* slot 0 ttb0 */
	uint64_t user_root;    /* slot MK_USER_SLOT ttb0 */
	struct mk_heap_state heap[MK_HEAPS];

	uint64_t initdata_va, rtptrs_va, globals_va, fwstatus_va, fwlog_buf_va;
	struct mk_ring pipes[4][3], devctrl, event, fwlog, fwctl;
	uint32_t event_rptr, fwlog_rptr[6];
	uint64_t free_pa;      /* RAM after the heaps (mk_map_user) */
	struct mk_tvb tvb;     /* created by mk_tvb_init or the first render */
	uint64_t cur_scene;    /* Scene of the last RunVertex built */
};

/* Create the device for @c and set up memory and the kernel's page tables. */
int mk_init(struct mk *k, const struct df_combo *c);
/* The same with a pagetables region of @pt_size_B at DF_BIG_PT_PA. */
int mk_init_big_pt(struct mk *k, const struct df_combo *c, uint64_t pt_size_B);
void mk_fini(struct mk *k);

/* Allocate @size_B bytes (128-byte aligned) from a heap; returns the VA. */
uint64_t mk_alloc(struct mk *k, enum mk_heap h, uint64_t size_B);
/* Map @size_B (rounded up to pages) of fresh RAM at user VA @va of the user
 * context, GPU read/write; returns the host view or NULL (no RAM left,
 * mapping failed). */
void *mk_map_user(struct mk *k, uint64_t va, uint64_t size_B);
/* Host pointer for a VA returned by mk_alloc. */
void *mk_ptr(struct mk *k, uint64_t va);

/* Build InitData and all channels; queue DeviceControl Initialize. */
void mk_build_initdata(struct mk *k);
/* Start the ASC, answer-wait the handoff magic, boot RTKit. 0 or errno. */
int mk_start(struct mk *k);
/* MSG_INIT + DOORBELL_DEVCTRL + KICKFW, then run until idle. */
int mk_send_init(struct mk *k, uint64_t initdata_va);
/* mk_build_initdata + mk_start + mk_send_init. */
int mk_bringup(struct mk *k);

int mk_doorbell(struct mk *k, uint32_t channel);

/* Work queues. */
void mk_queue_init(struct mk *k, struct mk_queue *q, uint32_t pipe,
		   uint32_t prio, uint32_t event_slot);
/* Build a RunCompute (+ microsequence). Returns its VA; *value = stamp. */
uint64_t mk_build_compute(struct mk *k, struct mk_queue *q, uint64_t encoder,
			  uint64_t encoder_end, uint64_t usc_base, uint32_t uuid,
			  uint32_t *value);
/* Build a RunVertex (@vertex) or RunFragment with its microsequence:
 * pipeline (USC) base @usc_base, VDM stream @encoder (vertex only). A
 * RunVertex gets a new Scene (k->cur_scene) of the TVB (created with 8
 * blocks in slot 0 if there is none); a RunFragment renders k->cur_scene. */
uint64_t mk_build_render(struct mk *k, struct mk_queue *q, bool vertex,
			 uint64_t encoder, uint64_t usc_base, uint32_t uuid,
			 uint32_t *value);
/* Create the TVB with @blocks blocks bound to buffer slot @slot (an
 * InitBuffer is queued before the next RunVertex). 0 or -ENOMEM. */
int mk_tvb_init(struct mk *k, uint32_t slot, uint32_t blocks);
/* Add @add blocks as the kernel's ensure_blocks() does: map them, fill
 * block_list/page_list, publish BlockControl total/wptr. 0 or -ENOMEM. */
int mk_tvb_grow(struct mk *k, uint32_t add);
/* The InitBuffer command for the TVB. */
uint64_t mk_build_init_buffer(struct mk *k, uint32_t stamp_value);
/* The kernel's answer to a GrowTVB event @msg: grow by @add blocks (0: do
 * not grow) and send GrowTVBAck {buffer_slot, vm_slot, counter}. */
void mk_ack_grow_tvb(struct mk *k, const uint8_t *msg, uint32_t add);

/* G14X: set register @number of the Run* command at @cmd_va to @value in
 * its RegisterArray (appended, or replaced if present; count updated). */
void mk_set_reg(struct mk *k, uint64_t cmd_va, uint32_t number, uint64_t value);

/* Build a Barrier waiting for @fw_stamp_va >= @value. */
uint64_t mk_build_barrier(struct mk *k, uint64_t fw_stamp_va, uint32_t value,
			  uint32_t slot);
/* Put a command in the queue's ring and tell the firmware (pipe message +
 * doorbell). @notifications raises the notifier threshold first. */
void mk_submit(struct mk *k, struct mk_queue *q, uint64_t cmd_va,
	       uint32_t notifications);

/* Event ring: next message (0x38 bytes into @msg), false when empty. */
bool mk_next_event(struct mk *k, uint8_t *msg);
/* FwLog: next line of sub-ring @level into @text; false when empty. */
bool mk_next_log(struct mk *k, unsigned int level, char *text, size_t len);
/* Any FwLog line containing @needle, draining all sub-rings. */
bool mk_log_contains(struct mk *k, const char *needle);

uint32_t mk_rd32(struct mk *k, uint64_t va);
void mk_wr32(struct mk *k, uint64_t va, uint32_t v);

#endif /* MINI_KERNEL_H */
