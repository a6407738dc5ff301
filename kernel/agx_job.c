// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The agx authors
 */

/**
 * DOC: Jobs and the scheduler
 *
 * One SUBMIT is one job (&struct agx_job): the firmware commands built
 * from the command buffer (agx_submit.c), the ring entries they need on
 * each of the queue's three work queues, and a "done" dma_fence that
 * signals once the firmware has retired all of them (agx_queue.c).
 *
 * Each queue has its own drm_gpu_scheduler with one entity. drm_sched
 * waits for the in-syncs, limits the ring entries in flight (credits =
 * the job's ring entries, limit %AGX_WQ_CREDITS, half the ring) and runs
 * the timeout. run_job raises the notifier threshold by the job's
 * notifications, writes the command pointers into the rings (fragment,
 * then vertex, then compute), publishes each ring's write pointer in its
 * RingState and sends a RunWorkQueueMsg on the pipe ring of the queue's
 * priority. Its return value is the done fence.
 *
 * timedout_job: the job's done fence signals with -ETIMEDOUT; the job is
 * put back on the scheduler's pending list (the 6.12 scheduler removed it)
 * so free_job runs as usual. The firmware objects stay with the queue
 * until the firmware retires the work or the queue goes.
 */

#include <linux/dma-fence.h>
#include <linux/slab.h>

#include <drm/drm_print.h>

#include <agxfw/agxfw_access.h>

#include "agx_device.h"
#include "agx_fw.h"
#include "agx_job.h"
#include "agx_queue.h"

/** agx_job_timeout_ms - drm_sched timeout of a job (module parameter). */
unsigned int agx_job_timeout_ms = 10000;
module_param_named(job_timeout_ms, agx_job_timeout_ms, uint, 0644);
MODULE_PARM_DESC(job_timeout_ms,
		 "Scheduler timeout of a job in ms, for queues created after a change (default 10000)");

/* ---- Done fences ---------------------------------------------------------- */

/**
 * struct agx_fence - The done fence of a job, with a lock of its own so it
 * can outlive its queue.
 */
struct agx_fence {
	/** @base: The fence. */
	struct dma_fence base;
	/** @lock: The fence's lock. */
	spinlock_t lock;
};

static const char *agx_fence_get_driver_name(struct dma_fence *fence)
{
	return "asahi";
}

static const char *agx_fence_get_timeline_name(struct dma_fence *fence)
{
	return "agx-queue";
}

static const struct dma_fence_ops agx_fence_ops = {
	.get_driver_name = agx_fence_get_driver_name,
	.get_timeline_name = agx_fence_get_timeline_name,
};

/**
 * agx_job_fence_alloc() - Allocate a done fence (initialized at arm time).
 *
 * Return: The fence, or NULL.
 */
struct dma_fence *agx_job_fence_alloc(void)
{
	struct agx_fence *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return NULL;
	spin_lock_init(&f->lock);
	return &f->base;
}

/**
 * agx_job_fence_init() - Initialize a done fence on a queue's timeline.
 * @fence: From agx_job_fence_alloc().
 * @ctx: The queue's fence context.
 * @seqno: Its next seqno.
 */
void agx_job_fence_init(struct dma_fence *fence, u64 ctx, u64 seqno)
{
	struct agx_fence *f = container_of(fence, struct agx_fence, base);

	dma_fence_init(fence, &agx_fence_ops, &f->lock, ctx, seqno);
}

/* ---- Job lifetime ----------------------------------------------------------- */

static void agx_job_release(struct kref *kref)
{
	struct agx_job *job = container_of(kref, struct agx_job, refcount);
	struct agx_queue *q = job->q;
	struct agx_fw *fw = q->adev->fw;
	unsigned int p;

	for (p = 0; p < AGX_PIPE_COUNT; p++)
		kfree(job->entries[p]);
	agx_fw_mem_free(&fw->mm, &job->cmds);
	agx_fw_mem_free(&fw->mm, &job->priv);
	agx_vm_kmem_free(&job->vm_mem);
	for (p = 0; p < job->nts; p++)
		agx_bind_object_put(job->ts_refs[p]);
	kfree(job->ts_refs);
	if (job->done) {
		if (job->done->ops)
			dma_fence_put(job->done);
		else
			kfree(container_of(job->done, struct agx_fence, base));
	}
	kfree(job);
	atomic_dec(&q->live_jobs);
	wake_up_all(&q->idle_wq);
	agx_queue_put(q);
}

/**
 * agx_job_get() - Take a reference to a job.
 * @job: The job.
 *
 * Return: @job.
 */
struct agx_job *agx_job_get(struct agx_job *job)
{
	kref_get(&job->refcount);
	return job;
}

/**
 * agx_job_put() - Drop a reference to a job; the last one frees it and
 * its firmware objects. May sleep.
 * @job: The job, or NULL.
 */
void agx_job_put(struct agx_job *job)
{
	if (job)
		kref_put(&job->refcount, agx_job_release);
}

/* ---- Scheduler operations ------------------------------------------------------ */

static const unsigned int agx_run_order[AGX_PIPE_COUNT] = {
	AGX_PIPE_FRAGMENT, AGX_PIPE_VERTEX, AGX_PIPE_COMPUTE,
};

/* Put @job's entries in @wq's ring and tell the firmware. */
static int agx_job_kick(struct agx_queue *q, struct agx_job *job, struct agx_wq *wq)
{
	struct agx_fw *fw = q->adev->fw;
	const struct agxfw_layout *l = fw->l;
	u8 msg[0x80] = {};
	unsigned int i;

	for (i = 0; i < job->nentries[wq->pipe]; i++) {
		WRITE_ONCE(wq->ring[wq->wptr], job->entries[wq->pipe][i]);
		wq->wptr = (wq->wptr + 1) % AGX_WQ_ENTRIES;
	}
	wmb(); /* ring entries before the write pointer */
	agxfw_set(l, wq->state, AGXFW_F_RingState__cpu_wptr, wq->wptr);
	wmb(); /* write pointer before the message */

	agxfw_set(l, msg, AGXFW_F_RunWorkQueueMsg__pipe_type, wq->pipe);
	agxfw_set(l, msg, AGXFW_F_RunWorkQueueMsg__work_queue, wq->info_va);
	agxfw_set(l, msg, AGXFW_F_RunWorkQueueMsg__wptr, wq->wptr);
	agxfw_set(l, msg, AGXFW_F_RunWorkQueueMsg__event_slot, wq->slot);
	agxfw_set(l, msg, AGXFW_F_RunWorkQueueMsg__is_new, !wq->started);
	wq->started = true;
	return agx_fw_pipe_send(fw, q->fw_prio, wq->pipe, msg);
}

static struct dma_fence *agx_sched_run_job(struct drm_sched_job *sched_job)
{
	struct agx_job *job = to_agx_job(sched_job);
	struct agx_queue *q = job->q;
	struct agx_fw *fw = q->adev->fw;
	unsigned int i;
	int ret = 0;

	/* A dependency failed: do not run, the error propagates. */
	if (sched_job->s_fence->finished.error)
		return NULL;
	if (READ_ONCE(fw->state) != AGX_FW_RUNNING)
		return ERR_PTR(-ENODEV);

	agx_queue_job_inflight(q, job);

	/* Raised only now: the firmware fires once the count reaches it. */
	WRITE_ONCE(*q->threshold, READ_ONCE(*q->threshold) + job->notifications);
	wmb(); /* threshold before the work */

	for (i = 0; i < AGX_PIPE_COUNT && !ret; i++) {
		struct agx_wq *wq = &q->wq[agx_run_order[i]];

		if (job->nentries[wq->pipe])
			ret = agx_job_kick(q, job, wq);
	}
	if (ret) {
		drm_err(&q->adev->drm, "queue %u: sending work to the firmware failed: %d\n",
			q->id, ret);
		/* Fail it now; what was sent still retires (the fence holds). */
		agx_queue_job_timedout(q, job);
		dma_fence_set_error(&sched_job->s_fence->finished, ret);
	}
	return dma_fence_get(job->done);
}

static enum drm_gpu_sched_stat agx_sched_timedout_job(struct drm_sched_job *sched_job)
{
	struct agx_job *job = to_agx_job(sched_job);
	struct agx_queue *q = job->q;
	struct drm_gpu_scheduler *sched = sched_job->sched;

	drm_warn(&q->adev->drm, "queue %u: job timed out after %u ms\n", q->id,
		 agx_job_timeout_ms);

	/*
	 * The 6.12 scheduler took the job off its pending list for us to
	 * reset the hardware; there is no reset here, so put it back for
	 * free_job, then fail it.
	 */
	spin_lock(&sched->job_list_lock);
	list_add(&sched_job->list, &sched->pending_list);
	spin_unlock(&sched->job_list_lock);

	agx_queue_job_timedout(q, job);
	if (READ_ONCE(q->adev->fw->state) != AGX_FW_RUNNING)
		return DRM_GPU_SCHED_STAT_ENODEV;
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

static void agx_sched_free_job(struct drm_sched_job *sched_job)
{
	struct agx_job *job = to_agx_job(sched_job);

	drm_sched_job_cleanup(sched_job);
	agx_job_put(job);
}

/** agx_sched_ops - drm_sched callbacks of every queue. */
const struct drm_sched_backend_ops agx_sched_ops = {
	.run_job = agx_sched_run_job,
	.timedout_job = agx_sched_timedout_job,
	.free_job = agx_sched_free_job,
};
