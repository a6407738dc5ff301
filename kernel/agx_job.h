/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The agx authors
 */
#ifndef AGX_JOB_H
#define AGX_JOB_H

#include <linux/dma-fence.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/types.h>

#include <drm/gpu_scheduler.h>

#include "agx_fw_mem.h"
#include "agx_queue.h"
#include "agx_vm.h"

/** define AGX_JOB_MAX_COMMANDS - RENDER + COMPUTE commands per SUBMIT. */
#define AGX_JOB_MAX_COMMANDS 64
/** define AGX_JOB_MAX_ENTRIES - Ring entries one work queue gets per job. */
#define AGX_JOB_MAX_ENTRIES (AGX_JOB_MAX_COMMANDS * 3)

/**
 * struct agx_job - One SUBMIT: the firmware commands it became, and its
 * place in the scheduler.
 *
 * Reference counted: the submit path holds one until it is pushed, the
 * scheduler one until free_job, the queue's in-flight list one from
 * run_job until the firmware has retired the work (or the queue is torn
 * down). The firmware objects live as long as the job.
 */
struct agx_job {
	/** @base: The scheduler's job. */
	struct drm_sched_job base;
	/** @refcount: See above. */
	struct kref refcount;
	/** @q: The queue, referenced. */
	struct agx_queue *q;
	/**
	 * @done: Signalled when the firmware has retired all the work; the
	 * job holds a reference (an &struct agx_fence, see agx_job.c).
	 */
	struct dma_fence *done;
	/** @node: Entry in &agx_queue.inflight or &agx_queue.retired. */
	struct list_head node;
	/** @cmds: Firmware commands (GPU read-only heap). */
	struct agx_fw_mem cmds;
	/** @priv: Microsequences, barriers, scenes (private heap). */
	struct agx_fw_mem priv;
	/** @ts_refs: Timestamp bind objects, referenced. */
	struct agx_bind_object **ts_refs;
	/** @nts: Entries of @ts_refs. */
	u32 nts;
	/** @vm_mem: Tiling structures of the renders, in the queue's VM. */
	struct agx_vm_kmem vm_mem;
	/** @entries: Ring entries (command VAs) per work queue. */
	u64 *entries[AGX_PIPE_COUNT];
	/** @nentries: Used entries of @entries. */
	u32 nentries[AGX_PIPE_COUNT];
	/** @value: Last stamp value per work queue; valid where @nentries. */
	u32 value[AGX_PIPE_COUNT];
	/** @has_value: The job writes a stamp on that work queue. */
	bool has_value[AGX_PIPE_COUNT];
	/** @notifications: Notifier increments of the job (2/render, 1/compute). */
	u32 notifications;
	/** @error: First error of the job, under &agx_queue.lock. */
	int error;
	/** @signalled: @done was signalled, under &agx_queue.lock. */
	bool signalled;
	/** @inflight: On &agx_queue.inflight, under &agx_queue.lock. */
	bool inflight;
};

static inline struct agx_job *to_agx_job(struct drm_sched_job *job)
{
	return container_of(job, struct agx_job, base);
}

void agx_job_put(struct agx_job *job);
struct dma_fence *agx_job_fence_alloc(void);
void agx_job_fence_init(struct dma_fence *fence, u64 ctx, u64 seqno);
struct agx_job *agx_job_get(struct agx_job *job);

extern const struct drm_sched_backend_ops agx_sched_ops;

#endif /* AGX_JOB_H */
