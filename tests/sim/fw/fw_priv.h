/* SPDX-License-Identifier: MIT */
/*
 * Private state of the firmware model.
 */
#ifndef AGXSIM_FW_PRIV_H
#define AGXSIM_FW_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "../dev/dev_priv.h"

#define FW_NUM_PRIO      4u
#define FW_NUM_PIPES     3u
#define FW_FWLOG_SUBS    6u
#define FW_FWLOG_BUF_N   0x100u   /* payload entries per sub-ring */
#define FW_MAX_QUEUES    128u
#define FW_MAX_MICROSEQ_B 0x10000u
#define FW_STEP_BUDGET   32u      /* commands per agxsim_device_run() */

#define FW_NUM_BUFFERS   127u     /* buffer-manager slots (facts 3.9) */
#define FW_BM_SCENES     16u      /* scenes of one buffer between vertex and fragment */

/* ChannelError error types (facts 2.4). */
#define FW_CHERR_MEMORY  0u
#define FW_CHERR_DMKILL  1u
#define FW_CHERR_ABORTED 2u

/* A ring described by a ChannelRing {state, ring} pair. */
struct fw_ring {
	uint64_t state_va;
	uint64_t ring_va;
	uint32_t count;
	uint32_t msg_size;
	uint32_t ptr;      /* firmware's read (AP->FW) or write (FW->AP) index */
};

/* The stamps of a command that is held after a fault or timeout. */
struct fw_held {
	bool valid;
	uint64_t fw_stamp_va, stamp_va, notifier_va;
	uint32_t stamp_value;
};

/* A vertex job waiting for the kernel's GrowTVBAck (fw_buffer.c). */
struct fw_tvb_wait {
	bool valid, acked;
	uint64_t cmd_va;        /* the RunVertex, retried after the ack */
	uint32_t pages;         /* TVB pages its binned scene needs */
	uint32_t buffer_slot, vm_slot, counter;
};

/* One scene holding pages of a buffer between its vertex and fragment jobs. */
struct fw_bm_scene {
	uint64_t va;            /* Scene (kernel VA); 0 = free entry */
	uint32_t pages;
	bool overflowed;
};

/* One buffer-manager slot, bound by InitBuffer. */
struct fw_bm {
	bool bound;
	uint32_t slot, vm_slot;
	uint64_t info_va;       /* BufferInfo */
	uint32_t blocks;        /* blocks taken in from BlockControl.wptr */
	uint32_t pages_used;    /* held by scenes in flight */
	uint32_t grow_counter;  /* last GrowTVB counter */
	uint32_t overflows;     /* partial renders */
	struct fw_bm_scene scenes[FW_BM_SCENES];
};

struct fw_queue {
	bool used;
	uint64_t info_va;     /* QueueInfo */
	uint64_t state_va;    /* RingState */
	uint64_t ring_va;     /* u64 command pointers */
	uint64_t context_va;  /* QueueInfo.gpu_context (DestroyContext drops us) */
	uint32_t pipe, prio;
	uint32_t event_slot;
	uint32_t rptr;        /* next command index */
	bool error;           /* ChannelError posted; waits for RecoverChannel */
	bool blocked;         /* a Barrier is not satisfied yet */
	struct fw_held held;  /* the culprit of a Fault/Timeout */
	struct fw_tvb_wait tvb_wait;
};

enum fw_result {
	FW_DONE = 0,     /* command finished, advance */
	FW_BLOCKED,      /* barrier not satisfied: try again later */
	FW_HALTED,       /* fault/timeout: firmware halted, culprit held */
	FW_CHANNEL_ERR,  /* ChannelError posted, queue stopped */
	FW_WAIT_GROW,    /* GrowTVB posted: the command waits for the ack */
	FW_CRASHED,
};

/* Completions seen by a notifier since it last fired (see notify()). */
struct fw_notifier {
	uint64_t va;
	uint32_t pending[4];
	uint64_t last_use;
};

#define FW_MAX_NOTIFIERS 64u

struct agxsim_fw {
	struct agxsim_device *dev;
	const struct agxfw_layout *l;

	bool init_pending;
	uint64_t init_msg;
	bool initialised;
	uint64_t initdata_va, rtptrs_va, globals_va, fwstatus_va, fwlog_buf_va;

	struct fw_ring pipes[FW_NUM_PRIO][FW_NUM_PIPES];
	struct fw_ring devctrl, event, fwlog, fwctl;
	uint32_t fwlog_wptr[FW_FWLOG_SUBS];
	uint32_t fwlog_seq;

	uint32_t doorbells;    /* pending TX doorbells, bit = channel */
	bool fwctl_pending;

	struct fw_queue queues[FW_MAX_QUEUES];
	unsigned int rr;       /* round-robin start */

	uint32_t firing[4];
	bool rx_pending;       /* something was written to an FW->AP ring */
	struct fw_notifier notifiers[FW_MAX_NOTIFIERS];
	struct fw_bm bm[FW_NUM_BUFFERS];

	enum agxsim_inject next_inject;
	bool halted;
	struct fw_queue *halted_q;
	uint32_t halt_count;
	uint32_t timeout_count;
	uint64_t ts;
	uint64_t events_dropped;
};

/* fw.c */
int fw_read(struct agxsim_fw *fw, uint64_t va, void *dst, size_t len);
int fw_write(struct agxsim_fw *fw, uint64_t va, const void *src, size_t len);
int fw_read32(struct agxsim_fw *fw, uint64_t va, uint32_t *v);
int fw_write32(struct agxsim_fw *fw, uint64_t va, uint32_t v);
int fw_read64(struct agxsim_fw *fw, uint64_t va, uint64_t *v);
void fw_log(struct agxsim_fw *fw, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void fw_crash(struct agxsim_fw *fw, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void fw_post_event(struct agxsim_fw *fw, const void *msg);
void fw_flag(struct agxsim_fw *fw, uint32_t slot);
void fw_channel_error(struct agxsim_fw *fw, struct fw_queue *q,
		      uint32_t type, uint32_t value);
uint32_t fw_combo_ver(const struct agxfw_layout *l); /* major*100 + minor */

/* fw_queue.c */
void fw_pipe_message(struct agxsim_fw *fw, unsigned int prio, unsigned int pipe,
		     const uint8_t *msg);
bool fw_run_queues(struct agxsim_fw *fw);
void fw_recover_channel(struct agxsim_fw *fw, uint64_t work_queue, uint32_t event_value);
void fw_destroy_context(struct agxsim_fw *fw, uint64_t gpu_context);
void fw_resume(struct agxsim_fw *fw);

/* fw_buffer.c (the buffer manager). Returns 0, -EFAULT (a kernel-VA
 * structure unreadable), -EPROTO (malformed; @why says what), -ENXIO (the
 * parameter manager faulted on a user-VM list: @fault, registers latched)
 * or, for fw_bm_vertex, -EAGAIN (does not fit: post GrowTVB). */
int fw_bm_init_buffer(struct agxsim_fw *fw, uint64_t cmd_va, struct agxsim_fault *fault,
		      char *why, size_t why_len);
struct fw_bm *fw_bm_bind(struct agxsim_fw *fw, uint32_t slot, uint32_t vm_slot,
			 uint64_t info_va, struct agxsim_fault *fault, int *err,
			 char *why, size_t why_len);
int fw_bm_vertex(struct agxsim_fw *fw, struct fw_bm *bm, uint64_t scene_va, uint32_t need,
		 bool asked, char *why, size_t why_len);
void fw_bm_fragment(struct agxsim_fw *fw, uint32_t slot, uint32_t vm_slot, uint64_t scene_va,
		    uint64_t overflow_count_va);
void fw_bm_post_grow(struct agxsim_fw *fw, struct fw_bm *bm, uint32_t *counter);
void fw_grow_tvb_ack(struct agxsim_fw *fw, const uint8_t *msg);

#endif /* AGXSIM_FW_PRIV_H */
