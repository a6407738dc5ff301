/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The agx authors
 */
#ifndef AGX_BUFFER_H
#define AGX_BUFFER_H

#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "agx_fw_mem.h"
#include "agx_vm.h"

struct agx_device;
struct agx_queue;

/** define AGX_TVB_BLOCK_SIZE - A TVB block: 4 pages of 32 KiB (facts 3.9). */
#define AGX_TVB_BLOCK_SIZE 0x20000
/** define AGX_TVB_PAGE_SIZE - A TVB page. */
#define AGX_TVB_PAGE_SIZE 0x8000
/** define AGX_TVB_MAX_CHUNKS - Growth steps of one buffer. */
#define AGX_TVB_MAX_CHUNKS 16

/**
 * struct agx_tvb - The tiled vertex buffer (buffer manager) of a queue.
 *
 * Made at the queue's first RENDER. @lock serialises set-up and growth;
 * the firmware's view (BufferInfo, lists, BlockControl) changes only under
 * it.
 */
struct agx_tvb {
	/** @q: The queue. */
	struct agx_queue *q;
	/** @lock: See above. */
	struct mutex lock;
	/** @ready: Set up (@slot, @info, @lists valid). */
	bool ready;
	/** @announced: An InitBuffer command was built for it. */
	bool announced;
	/** @slot: Firmware buffer-manager slot, 0..126. */
	int slot;
	/** @info: BufferInfo (private), BlockControl, counter and stats (shared). */
	struct agx_fw_mem info, shared;
	/** @lists: Page list and block list, in the VM's kernel window. */
	struct agx_vm_kmem lists;
	/** @chunks: The blocks, in the VM's kernel window. */
	struct agx_vm_kmem chunks[AGX_TVB_MAX_CHUNKS];
	/** @nchunks: Used entries of @chunks. */
	unsigned int nchunks;
	/** @nblocks: Blocks in the buffer. */
	u32 nblocks;
	/** @max_blocks: Most blocks it may grow to. */
	u32 max_blocks;
	/** @stats_va: BufferStats, for the scenes. */
	u64 stats_va;
	/** @grow_work: Answers a GrowTVB event. */
	struct work_struct grow_work;
	/** @grow_counter: The counter of the GrowTVB being answered. */
	u32 grow_counter;
	/** @grows: GrowTVB requests answered with more blocks (debugfs). */
	u32 grows;
};

extern unsigned int agx_initial_tvb_size;

void agx_tvb_init(struct agx_tvb *tvb, struct agx_queue *q);
int agx_tvb_prepare(struct agx_tvb *tvb);
void agx_tvb_fini(struct agx_tvb *tvb);
void agx_tvb_grow_event(struct agx_device *adev, u32 buffer_slot, u32 counter);

#endif /* AGX_BUFFER_H */
