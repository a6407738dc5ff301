/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The agx authors
 */
#ifndef AGX_QUEUE_H
#define AGX_QUEUE_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <drm/gpu_scheduler.h>

#include "agx_buffer.h"
#include "agx_fw_mem.h"

struct agx_device;
struct agx_file;
struct agx_job;
struct agx_vm;
struct drm_device;
struct drm_file;
struct seq_file;

/** enum agx_pipe - The firmware's pipes, also the index of &agx_queue.wq. */
enum agx_pipe {
	/** @AGX_PIPE_VERTEX: Vertex (tiling) work. */
	AGX_PIPE_VERTEX = 0,
	/** @AGX_PIPE_FRAGMENT: Fragment (rendering) work. */
	AGX_PIPE_FRAGMENT = 1,
	/** @AGX_PIPE_COMPUTE: Compute work. */
	AGX_PIPE_COMPUTE = 2,
	/** @AGX_PIPE_COUNT: Number of pipes. */
	AGX_PIPE_COUNT = 3,
};

/** define AGX_WQ_ENTRIES - Command pointers in a firmware work queue ring. */
#define AGX_WQ_ENTRIES 0x400
/** define AGX_WQ_CREDITS - drm_sched credit limit: ring entries in flight. */
#define AGX_WQ_CREDITS 0x200
/** define AGX_STAMP_STEP - Stamp values advance by this per command. */
#define AGX_STAMP_STEP 0x100

/**
 * struct agx_wq - One firmware work queue of a queue (one per pipe).
 *
 * Its QueueInfo, ring and private stamp live in the queue's private
 * object; its RingState and shared stamp in the queue's shared object.
 * @next_value and @last_value are written at submit time under
 * &agx_queue.submit_lock; @wptr and @started by run_job (the scheduler
 * runs one job of a queue at a time); @floor under &agx_queue.lock.
 */
struct agx_wq {
	/** @q: The queue this work queue belongs to. */
	struct agx_queue *q;
	/** @pipe: &enum agx_pipe. */
	enum agx_pipe pipe;
	/** @slot: Event slot of this work queue. */
	int slot;
	/** @info_va: QueueInfo. */
	u64 info_va;
	/** @ring_va: The ring of command pointers. */
	u64 ring_va;
	/** @ring: CPU view of the ring. */
	u64 *ring;
	/** @state: CPU view of RingState (shared). */
	void *state;
	/** @state_va: RingState. */
	u64 state_va;
	/** @stamp_va: Shared stamp (Stamp), read by the driver. */
	u64 stamp_va;
	/** @stamp: CPU view of the shared stamp. */
	u32 *stamp;
	/** @fw_stamp_va: Private stamp (FwStamp), used by barriers. */
	u64 fw_stamp_va;
	/** @wptr: The driver's write pointer in the ring. */
	u32 wptr;
	/** @started: A RunWorkQueueMsg was sent (is_new = 0 after it). */
	bool started;
	/** @next_value: Stamp value of the next command. */
	u32 next_value;
	/** @last_value: Stamp value of the last command built; 0 = none. */
	u32 last_value;
	/**
	 * @floor: Work up to this value was skipped by the firmware after a
	 * channel error: it counts as done. 0 = none.
	 */
	u32 floor;
	/** @recover_value: Stamp value for RecoverChannel; see @recover. */
	u32 recover_value;
	/** @recover: A RecoverChannel is to be sent (&agx_queue.recover_work). */
	bool recover;
};

/**
 * struct agx_queue - A userspace submission queue.
 *
 * Reference counted: the file's xarray holds one reference, each job one.
 * The firmware context (GpuContextData), notifier and the three work
 * queues are set up at creation; jobs run on one drm_sched entity.
 *
 * Locking: @submit_lock serialises SUBMITs (stamp values are handed out
 * and jobs pushed in ring order under it). @lock (a spinlock, taken inside
 * the event manager's lock by the event callbacks) protects @inflight,
 * @retired, &agx_wq.floor and the job completion state.
 */
struct agx_queue {
	/** @refcount: See above. */
	struct kref refcount;
	/** @adev: The device. */
	struct agx_device *adev;
	/** @vm: The VM the work runs in, referenced. */
	struct agx_vm *vm;
	/** @id: Id in the owning file. */
	u32 id;
	/** @client_id: The owning file's client id, for debugfs. */
	u64 client_id;
	/** @priority: UAPI priority (&enum drm_asahi_priority). */
	u32 priority;
	/** @fw_prio: Firmware priority and pipe ring index: 3 - @priority. */
	u32 fw_prio;
	/** @usc_exec_base: USC_EXEC_BASE_{TA,ISP,CP} of every command. */
	u64 usc_exec_base;
	/** @vm_slot: UAT context slot the VM holds for this queue. */
	u32 vm_slot;

	/** @priv: Private firmware memory: QueueInfos, rings, FwStamps, notifier. */
	struct agx_fw_mem priv;
	/** @shared: Shared memory: RingStates, stamps, threshold, context. */
	struct agx_fw_mem shared;
	/** @context_va: GpuContextData. */
	u64 context_va;
	/** @notifier_va: Notifier (EventControl). */
	u64 notifier_va;
	/** @threshold: CPU view of the notifier's threshold counter. */
	u64 *threshold;
	/** @wq: The work queues, by &enum agx_pipe. */
	struct agx_wq wq[AGX_PIPE_COUNT];
	/**
	 * @tvb: The tiled vertex buffer, made at the first RENDER
	 * (agx_buffer.c); its @tvb.announced is under @submit_lock.
	 */
	struct agx_tvb tvb;

	/** @sched: The queue's scheduler (one entity, one run queue). */
	struct drm_gpu_scheduler sched;
	/** @entity: The entity jobs are pushed to. */
	struct drm_sched_entity entity;
	/** @fence_ctx: dma_fence context of the done fences. */
	u64 fence_ctx;
	/** @fence_seqno: Last done fence seqno, under @submit_lock. */
	u64 fence_seqno;

	/** @submit_lock: See above. */
	struct mutex submit_lock;
	/** @lock: See above. */
	spinlock_t lock;
	/** @inflight: Jobs given to the firmware, oldest first. */
	struct list_head inflight;
	/** @retired: Finished jobs whose reference @retire_work drops. */
	struct list_head retired;
	/** @retire_work: Drops the references of @retired. */
	struct work_struct retire_work;
	/** @recover_work: Sends RecoverChannel after a channel error. */
	struct work_struct recover_work;
	/** @live_jobs: Jobs not yet freed. */
	atomic_t live_jobs;
	/** @idle_wq: Woken when a job is freed or retired. */
	wait_queue_head_t idle_wq;
	/** @dead: Destroyed: new SUBMITs fail. */
	bool dead;

	/** @stats: Counters for debugfs, under @lock. */
	struct {
		/** @stats.submitted: Jobs pushed. */
		u64 submitted;
		/** @stats.completed: Jobs completed without error. */
		u64 completed;
		/** @stats.failed: Jobs completed with an error. */
		u64 failed;
	} stats;

	/** @node: Entry in &agx_device.queue_list. */
	struct list_head node;
};

int agx_queue_device_init(struct agx_device *adev);
void agx_queue_free_kept(struct agx_device *adev);
void agx_queue_file_fini(struct agx_file *afile);
struct agx_queue *agx_queue_lookup(struct agx_file *afile, u32 id);
void agx_queue_put(struct agx_queue *q);
struct agx_queue *agx_queue_get(struct agx_queue *q);
void agx_queue_debugfs_show(struct agx_device *adev, struct seq_file *m);

void agx_queue_job_inflight(struct agx_queue *q, struct agx_job *job);
void agx_queue_job_fail(struct agx_queue *q, struct agx_job *job, int err);
void agx_queue_job_timedout(struct agx_queue *q, struct agx_job *job);

int agx_ioctl_queue_create(struct drm_device *drm, void *data, struct drm_file *file);
int agx_ioctl_queue_destroy(struct drm_device *drm, void *data, struct drm_file *file);
int agx_ioctl_submit(struct drm_device *drm, void *data, struct drm_file *file);

extern unsigned int agx_job_timeout_ms;

#endif /* AGX_QUEUE_H */
