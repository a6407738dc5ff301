/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The agx authors
 */
#ifndef AGX_FW_CHANNEL_H
#define AGX_FW_CHANNEL_H

#include <linux/mutex.h>
#include <linux/types.h>

#include "agx_fw_mem.h"

struct seq_file;

/** define AGX_FW_RING_MAX_SUB - Most sub-rings of one channel (FwLog). */
#define AGX_FW_RING_MAX_SUB 6

/**
 * struct agx_fw_ring - One shared-memory channel with the firmware.
 *
 * A channel is a ring of fixed-size messages and a state block holding
 * the read and write pointers (message indices). The producer writes the
 * message, then the write pointer; the consumer reads the write pointer,
 * then the message, then stores its read pointer. FwLog has several
 * sub-rings: their state blocks and rings follow each other.
 *
 * @lock protects @ptr and the ring contents the driver writes; it is
 * taken inside &agx_fw.lock. Every function with a _locked suffix needs
 * it.
 */
struct agx_fw_ring {
	/** @name: For logs and debugfs. */
	const char *name;
	/** @lock: See above. */
	struct mutex lock;
	/** @state: State block(s), shared (uncached) memory. */
	struct agx_fw_mem state;
	/** @ring: The messages. */
	struct agx_fw_mem ring;
	/** @tx: Driver to firmware (the driver owns the write pointer). */
	bool tx;
	/** @nsub: Sub-rings. */
	u32 nsub;
	/** @count: Messages per sub-ring. */
	u32 count;
	/** @msg_size: Bytes per message. */
	u32 msg_size;
	/** @state_stride: Bytes between the state blocks of sub-rings. */
	u32 state_stride;
	/** @rptr_off: Offset of the read pointer in a state block. */
	u32 rptr_off;
	/** @wptr_off: Offset of the write pointer in a state block. */
	u32 wptr_off;
	/**
	 * @ptr: The driver's own pointer of each sub-ring: the write pointer
	 * of a TX ring, the read pointer of an RX ring. The firmware's copy
	 * in the state block is never read back for these.
	 */
	u32 ptr[AGX_FW_RING_MAX_SUB];
	/** @msgs: Messages written or read. */
	u64 msgs;
	/** @bad: Invalid pointers seen from the firmware. */
	u64 bad;
};

/**
 * struct agx_fw_ring_desc - What a ring looks like, for agx_fw_ring_init().
 */
struct agx_fw_ring_desc {
	/** @name: See &agx_fw_ring.name. */
	const char *name;
	/** @tx: See &agx_fw_ring.tx. */
	bool tx;
	/** @nsub: Sub-rings (1 but for FwLog). */
	u32 nsub;
	/** @count: Entries per sub-ring. */
	u32 count;
	/** @msg_size: Bytes per message. */
	u32 msg_size;
	/** @state_size: Bytes of one state block. */
	u32 state_size;
	/** @rptr_off: Read pointer offset in the state block. */
	u32 rptr_off;
	/** @wptr_off: Write pointer offset in the state block. */
	u32 wptr_off;
	/** @ring_heap: Where the messages live. */
	enum agx_fw_heap ring_heap;
};

int agx_fw_ring_init(struct agx_fw_memory *mm, struct agx_fw_ring *r,
		     const struct agx_fw_ring_desc *desc);
void agx_fw_ring_fini(struct agx_fw_memory *mm, struct agx_fw_ring *r);
int agx_fw_ring_put_locked(struct agx_fw_ring *r, const void *msg, size_t len);
int agx_fw_ring_get_locked(struct agx_fw_ring *r, unsigned int sub, void *msg);
u32 agx_fw_ring_fw_ptr(struct agx_fw_ring *r, unsigned int sub, bool write);
void agx_fw_ring_show(struct agx_fw_ring *r, struct seq_file *m);

#endif /* AGX_FW_CHANNEL_H */
