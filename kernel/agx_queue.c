// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The agx authors
 */

/**
 * DOC: Queues
 *
 * A queue (DRM_IOCTL_ASAHI_QUEUE_CREATE) is what userspace submits to. For
 * the firmware it is one GPU context (GpuContextData), one notifier
 * ("EventControl") with its threshold counter, and three work queues, one
 * per pipe the firmware runs: vertex, fragment and compute (facts 3.5,
 * 3.6). Each work queue has a QueueInfo, a ring of command pointers with
 * its RingState, a shared Stamp the firmware writes when it retires a
 * command, a private FwStamp barriers wait on, and an event slot of its
 * own. The firmware learns of a work queue from the first RunWorkQueueMsg
 * on its pipe ring (is_new = 1).
 *
 * Memory: everything private (QueueInfos, rings, FwStamps, the notifier,
 * the GPU scratch buffers) is carved out of one object of the private
 * heap, everything shared (RingStates, Stamps, threshold, GpuContextData,
 * NotifierList) out of one object of the shared heap. The queue holds a
 * use of a UAT context slot for its VM from creation to destruction, so
 * the slot baked into the commands stays valid.
 *
 * Jobs (agx_job.c, agx_submit.c) go through one drm_sched entity on the
 * queue's own scheduler. Completion: the firmware writes the stamp of a
 * retired command, counts a notification and, once the count reaches the
 * threshold the driver raised when the job ran, fires the event slots;
 * the callback here reads the stamps and signals, in submission order,
 * the done fence of every job whose last stamp value was reached.
 *
 * Failures: a Fault or Timeout names pending stamp values (agx_fw.c); the
 * job holding that value gets the error (-EIO, -ETIMEDOUT; other queues'
 * pending work -ECANCELED) and completes when the firmware retires the
 * work after its resume. A channel error fails the job at once (-EIO),
 * the work queue's "floor" makes the failed value count as reached and
 * RecoverChannel is sent: the firmware skips the command, retiring it
 * (stamp and notification, so the other pipes' barriers on it and the
 * notifier threshold move on; simulator ASSUMPTIONS.md FW23). A firmware crash fails every job in flight with
 * -ENODEV at once; new submits fail with -ENODEV.
 *
 * Destruction (QUEUE_DESTROY, or closing the file) waits for the queue's
 * work (the entity is flushed, then in-flight jobs get up to
 * agx_job_timeout_ms), tears the scheduler down, tells the firmware to
 * forget the context (DeviceControl DestroyContext) and frees the
 * firmware objects. If the firmware still holds work after that wait,
 * the jobs fail with -ECANCELED and the queue's firmware memory is kept
 * (leaked, with a warning) rather than freed under the firmware.
 */

#include <linux/capability.h>
#include <linux/delay.h>
#include <linux/dma-fence.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include <drm/drm_file.h>
#include <drm/drm_print.h>

#include <agxfw/agxfw_access.h>

#include "agx_buffer.h"
#include "agx_device.h"
#include "agx_fw.h"
#include "agx_job.h"
#include "agx_queue.h"
#include "agx_vm.h"

/* Size of the firmware's private "GPBF" scratch buffer of a QueueInfo. */
#define AGX_WQ_GPU_BUF_SIZE 0x2c18
/* Alignment of the pieces carved out of a queue's objects. */
#define AGX_QUEUE_ALIGN 0x80

/*
 * QueueInfo.priority by firmware priority (facts 3.5): six values of the
 * Priority block, in field order.
 */
static const u64 agx_prio_table[4][6] = {
	{ 0, 0, 0xffffffffffff0000ULL, 1, 0, 1 },
	{ 1, 1, 0xffffffff00000000ULL, 0, 0, 0 },
	{ 2, 2, 0xffff000000000000ULL, 0, 0, 2 },
	{ 3, 3, 0, 0, 0, 3 },
};

static const enum agxfw_field_id agx_prio_fields[6] = {
	AGXFW_F_QueueInfo__priority__unk_0,
	AGXFW_F_QueueInfo__priority__unk_4,
	AGXFW_F_QueueInfo__priority__unk_8,
	AGXFW_F_QueueInfo__priority__unk_10,
	AGXFW_F_QueueInfo__priority__unk_14,
	AGXFW_F_QueueInfo__priority__unk_18,
};

static const char *const agx_pipe_names[AGX_PIPE_COUNT] = {
	"vertex", "fragment", "compute",
};

/* ---- Completion --------------------------------------------------------- */

/* Wrap-around-safe "@stamp has reached @value" (values step by 0x100). */
static bool agx_stamp_reached(u32 stamp, u32 value)
{
	return (s32)(stamp - value) >= 0;
}

static bool agx_wq_reached_locked(struct agx_wq *wq, u32 value)
{
	lockdep_assert_held(&wq->q->lock);
	if (agx_stamp_reached(READ_ONCE(*wq->stamp), value))
		return true;
	return wq->floor && agx_stamp_reached(wq->floor, value);
}

static bool agx_job_fw_done_locked(struct agx_queue *q, struct agx_job *job)
{
	unsigned int p;

	for (p = 0; p < AGX_PIPE_COUNT; p++)
		if (job->has_value[p] && !agx_wq_reached_locked(&q->wq[p], job->value[p]))
			return false;
	return true;
}

static void agx_job_signal_locked(struct agx_queue *q, struct agx_job *job)
{
	lockdep_assert_held(&q->lock);
	if (job->signalled)
		return;
	job->signalled = true;
	if (job->error) {
		dma_fence_set_error(job->done, job->error);
		q->stats.failed++;
	} else {
		q->stats.completed++;
	}
	dma_fence_signal(job->done);
}

static void agx_job_retire_locked(struct agx_queue *q, struct agx_job *job)
{
	lockdep_assert_held(&q->lock);
	job->inflight = false;
	list_move_tail(&job->node, &q->retired);
	queue_work(system_wq, &q->retire_work);
}

/*
 * Signal and retire what the firmware finished. Done fences signal in
 * submission order: a finished job waits for the earlier ones. A job
 * already signalled (drm_sched timeout) does not hold later ones back.
 */
static void agx_queue_scan_locked(struct agx_queue *q)
{
	struct agx_job *job, *tmp;
	bool in_order = true;
	unsigned int p;

	lockdep_assert_held(&q->lock);
	list_for_each_entry_safe(job, tmp, &q->inflight, node) {
		if (!agx_job_fw_done_locked(q, job)) {
			if (!job->signalled)
				in_order = false;
			continue;
		}
		if (!in_order)
			continue;
		agx_job_signal_locked(q, job);
		agx_job_retire_locked(q, job);
	}
	/* A floor the stamp has passed is no longer needed. */
	for (p = 0; p < AGX_PIPE_COUNT; p++)
		if (q->wq[p].floor && agx_stamp_reached(READ_ONCE(*q->wq[p].stamp), q->wq[p].floor))
			q->wq[p].floor = 0;
	wake_up_all(&q->idle_wq);
}

/* Whether a job in flight has work on @wq the firmware has not retired. */
static bool agx_wq_has_work_locked(struct agx_queue *q, struct agx_wq *wq)
{
	struct agx_job *job;

	lockdep_assert_held(&q->lock);
	list_for_each_entry(job, &q->inflight, node)
		if (job->has_value[wq->pipe] && !agx_wq_reached_locked(wq, job->value[wq->pipe]))
			return true;
	return false;
}

/* Fail the unfinished jobs of @wq's pipe up to and including @value. */
static void agx_queue_fail_upto_locked(struct agx_queue *q, struct agx_wq *wq, u32 value,
				       int error)
{
	struct agx_job *job;

	lockdep_assert_held(&q->lock);
	list_for_each_entry(job, &q->inflight, node) {
		if (!job->has_value[wq->pipe])
			continue;
		if (agx_wq_reached_locked(wq, job->value[wq->pipe]))
			continue;
		if (!job->error)
			job->error = error;
		/* The first job reaching @value holds the failed command. */
		if (agx_stamp_reached(job->value[wq->pipe], value))
			break;
	}
}

static void agx_queue_fail_all_locked(struct agx_queue *q, int error)
{
	struct agx_job *job, *tmp;

	lockdep_assert_held(&q->lock);
	list_for_each_entry_safe(job, tmp, &q->inflight, node) {
		if (!job->error)
			job->error = error;
		agx_job_signal_locked(q, job);
		agx_job_retire_locked(q, job);
	}
	wake_up_all(&q->idle_wq);
}

/* The event slot callback of a work queue (agx_event.h): atomic context. */
static void agx_wq_event(void *data, unsigned int slot, enum agx_event_kind kind,
			 u32 value, int error)
{
	struct agx_wq *wq = data;
	struct agx_queue *q = wq->q;

	spin_lock(&q->lock);
	switch (kind) {
	case AGX_EVENT_SIGNAL:
		break;
	case AGX_EVENT_FAIL_UPTO:
		agx_queue_fail_upto_locked(q, wq, value, error);
		break;
	case AGX_EVENT_SKIP_TO:
		if (!agx_wq_has_work_locked(q, wq)) {
			/* Not ours (a stale report): nothing to fail or recover. */
			drm_dbg(&q->adev->drm, "queue %u: channel error on the idle %s queue ignored\n",
				q->id, agx_pipe_names[wq->pipe]);
			break;
		}
		/*
		 * Value 0: a command without a stamp (InitBuffer, Barrier)
		 * or one the firmware could not read failed. The job whose
		 * command comes next (stamp values of a work queue are
		 * consecutive) gets the error now; the firmware skips the
		 * failed command and its next one still retires (or fails
		 * with its own value).
		 */
		if (!value) {
			agx_queue_fail_upto_locked(q, wq, READ_ONCE(*wq->stamp) + AGX_STAMP_STEP,
						   error);
		} else {
			agx_queue_fail_upto_locked(q, wq, value, error);
			wq->floor = value;
		}
		wq->recover_value = value;
		wq->recover = true;
		queue_work(system_wq, &q->recover_work);
		break;
	case AGX_EVENT_FAIL_ALL:
		agx_queue_fail_all_locked(q, error);
		break;
	}
	agx_queue_scan_locked(q);
	spin_unlock(&q->lock);
}

static void agx_queue_retire_work(struct work_struct *work)
{
	struct agx_queue *q = container_of(work, struct agx_queue, retire_work);
	struct agx_job *job, *tmp;
	LIST_HEAD(list);

	spin_lock(&q->lock);
	list_splice_init(&q->retired, &list);
	spin_unlock(&q->lock);
	list_for_each_entry_safe(job, tmp, &list, node) {
		list_del_init(&job->node);
		agx_job_put(job);
	}
}

/* After a channel error: RecoverChannel for each work queue that stopped. */
static void agx_queue_recover_work(struct work_struct *work)
{
	struct agx_queue *q = container_of(work, struct agx_queue, recover_work);
	struct agx_fw *fw = q->adev->fw;
	const struct agxfw_layout *l = fw->l;
	unsigned int p;

	for (p = 0; p < AGX_PIPE_COUNT; p++) {
		struct agx_wq *wq = &q->wq[p];
		u8 msg[0x80] = {};
		bool recover;
		u32 value;
		int ret;

		spin_lock(&q->lock);
		recover = wq->recover;
		value = wq->recover_value;
		wq->recover = false;
		spin_unlock(&q->lock);
		if (!recover)
			continue;

		agxfw_set(l, msg, AGXFW_F_DcRecoverChannel__tag,
			  agxfw_const_get(l, AGXFW_C_DC_RECOVER_CHANNEL));
		agxfw_set(l, msg, AGXFW_F_DcRecoverChannel__pipe_type, p);
		agxfw_set(l, msg, AGXFW_F_DcRecoverChannel__work_queue, wq->info_va);
		agxfw_set(l, msg, AGXFW_F_DcRecoverChannel__event_value, value);
		ret = agx_fw_devctrl_send(fw, msg);
		if (ret)
			drm_err(&q->adev->drm, "queue %u: RecoverChannel for the %s queue failed: %d\n",
				q->id, agx_pipe_names[p], ret);
		else
			drm_dbg(&q->adev->drm, "queue %u: RecoverChannel %s value %#x\n",
				q->id, agx_pipe_names[p], value);
	}
}

/**
 * agx_queue_job_inflight() - A job goes to the firmware (run_job).
 * @q: The queue.
 * @job: The job; the in-flight list takes a reference.
 */
void agx_queue_job_inflight(struct agx_queue *q, struct agx_job *job)
{
	spin_lock(&q->lock);
	job->inflight = true;
	list_add_tail(&job->node, &q->inflight);
	agx_job_get(job);
	spin_unlock(&q->lock);
}

/**
 * agx_queue_job_fail() - Fail a job before the firmware retired it.
 * @q: The queue.
 * @job: The job.
 * @err: The error its done fence carries, unless it already has one.
 *
 * The job's done fence signals now. The job stays in the in-flight list (its
 * firmware objects stay alive) until the firmware retires its work or the
 * queue is torn down.
 */
void agx_queue_job_fail(struct agx_queue *q, struct agx_job *job, int err)
{
	spin_lock(&q->lock);
	if (!job->error)
		job->error = err;
	agx_job_signal_locked(q, job);
	if (!job->inflight && list_empty(&job->node))
		wake_up_all(&q->idle_wq);
	spin_unlock(&q->lock);
}

/**
 * agx_queue_job_timedout() - drm_sched's timeout fired for a job.
 * @q: The queue.
 * @job: The job.
 *
 * Fails the job with -ETIMEDOUT (see agx_queue_job_fail()).
 */
void agx_queue_job_timedout(struct agx_queue *q, struct agx_job *job)
{
	agx_queue_job_fail(q, job, -ETIMEDOUT);
}

/* ---- Creation ------------------------------------------------------------ */

static u64 agx_carve(size_t *off, size_t size)
{
	u64 at = ALIGN(*off, AGX_QUEUE_ALIGN);

	*off = at + size;
	return at;
}

/* Offsets of a queue's pieces in its private and shared objects. */
struct agx_queue_layout {
	u64 info[AGX_PIPE_COUNT], ring[AGX_PIPE_COUNT], fw_stamp[AGX_PIPE_COUNT];
	u64 gpu_buf[AGX_PIPE_COUNT], notifier;
	u64 state[AGX_PIPE_COUNT], stamp[AGX_PIPE_COUNT];
	u64 threshold, context, list;
	size_t priv_size, shared_size;
};

static void agx_queue_plan(const struct agxfw_layout *l, struct agx_queue_layout *ql)
{
	size_t priv = 0, shared = 0;
	unsigned int p;

	for (p = 0; p < AGX_PIPE_COUNT; p++) {
		ql->info[p] = agx_carve(&priv, agxfw_sizeof(l, AGXFW_S_QueueInfo));
		ql->ring[p] = agx_carve(&priv, AGX_WQ_ENTRIES * sizeof(u64));
		ql->fw_stamp[p] = agx_carve(&priv, agxfw_sizeof(l, AGXFW_S_FwStamp));
		ql->gpu_buf[p] = agx_carve(&priv, AGX_WQ_GPU_BUF_SIZE);
		ql->state[p] = agx_carve(&shared, agxfw_sizeof(l, AGXFW_S_RingState));
		ql->stamp[p] = agx_carve(&shared, agxfw_sizeof(l, AGXFW_S_Stamp));
	}
	ql->notifier = agx_carve(&priv, agxfw_sizeof(l, AGXFW_S_Notifier));
	ql->threshold = agx_carve(&shared, agxfw_sizeof(l, AGXFW_S_Threshold));
	ql->context = agx_carve(&shared, agxfw_sizeof(l, AGXFW_S_GpuContextData));
	ql->list = agx_carve(&shared, agxfw_sizeof(l, AGXFW_S_NotifierList));
	ql->priv_size = priv;
	ql->shared_size = shared;
}

static void agx_queue_fill(struct agx_queue *q, const struct agx_queue_layout *ql)
{
	const struct agxfw_layout *l = q->adev->fw->l;
	u8 *priv = q->priv.cpu, *shared = q->shared.cpu;
	u64 list_va = q->shared.va + ql->list;
	u8 *ctx = shared + ql->context;
	u8 *notif = priv + ql->notifier;
	unsigned int p, i;

	/* GpuContextData defaults (facts 3.5). */
	agxfw_set(l, ctx, AGXFW_F_GpuContextData__unk_0, 0xff);
	agxfw_set(l, ctx, AGXFW_F_GpuContextData__unk_1, 0xff);
	agxfw_set(l, ctx, AGXFW_F_GpuContextData__unk_5, 1);
	agxfw_set(l, ctx, AGXFW_F_GpuContextData__unk_1e, 0xff);
	agxfw_set(l, ctx, AGXFW_F_GpuContextData__unk_23, 2);

	/* An empty list: its head points at itself. */
	agxfw_set(l, shared + ql->list, AGXFW_F_NotifierList__list_head__next, list_va);

	agxfw_set(l, notif, AGXFW_F_Notifier__threshold, q->shared.va + ql->threshold);
	agxfw_set(l, notif, AGXFW_F_Notifier__generation, q->id);
	agxfw_set(l, notif, AGXFW_F_Notifier__unk_10, 0x50);
	agxfw_set(l, notif, AGXFW_F_Notifier__state__vm_slot, q->vm_slot);
	if (agxfw_has(l, AGXFW_F_Notifier__state__unk_buf))
		for (i = 0; i < l->fields[AGXFW_F_Notifier__state__unk_buf].count; i++)
			agxfw_set_idx(l, notif, AGXFW_F_Notifier__state__unk_buf, i, 0xff);

	for (p = 0; p < AGX_PIPE_COUNT; p++) {
		struct agx_wq *wq = &q->wq[p];
		u8 *info = priv + ql->info[p];

		wq->q = q;
		wq->pipe = p;
		wq->info_va = q->priv.va + ql->info[p];
		wq->ring_va = q->priv.va + ql->ring[p];
		wq->ring = (u64 *)(priv + ql->ring[p]);
		wq->fw_stamp_va = q->priv.va + ql->fw_stamp[p];
		wq->state = shared + ql->state[p];
		wq->state_va = q->shared.va + ql->state[p];
		wq->stamp = (u32 *)(shared + ql->stamp[p]);
		wq->stamp_va = q->shared.va + ql->stamp[p];
		wq->next_value = AGX_STAMP_STEP;

		agxfw_set(l, wq->state, AGXFW_F_RingState__rb_size, AGX_WQ_ENTRIES);
		agxfw_set(l, info, AGXFW_F_QueueInfo__state, wq->state_va);
		agxfw_set(l, info, AGXFW_F_QueueInfo__ring, wq->ring_va);
		agxfw_set(l, info, AGXFW_F_QueueInfo__notifier_list, list_va);
		agxfw_set(l, info, AGXFW_F_QueueInfo__gpu_buf, q->priv.va + ql->gpu_buf[p]);
		agxfw_set(l, info, AGXFW_F_QueueInfo__event_id, (u32)-1);
		for (i = 0; i < ARRAY_SIZE(agx_prio_fields); i++)
			agxfw_set(l, info, agx_prio_fields[i], agx_prio_table[q->fw_prio][i]);
		agxfw_set(l, info, AGXFW_F_QueueInfo__unk_4c, (u32)-1);
		agxfw_set(l, info, AGXFW_F_QueueInfo__uuid, q->client_id << 16 | q->id << 2 | p);
		agxfw_set(l, info, AGXFW_F_QueueInfo__unk_54, (u32)-1);
		agxfw_set(l, info, AGXFW_F_QueueInfo__gpu_context, q->shared.va + ql->context);
	}
	q->context_va = q->shared.va + ql->context;
	q->notifier_va = q->priv.va + ql->notifier;
	q->threshold = (u64 *)(shared + ql->threshold);
	wmb(); /* everything written before the firmware hears of the queue */
}

static void agx_queue_release(struct kref *kref)
{
	struct agx_queue *q = container_of(kref, struct agx_queue, refcount);
	struct agx_device *adev = q->adev;
	struct agx_fw *fw = adev->fw;
	unsigned int p;

	agx_tvb_fini(&q->tvb);
	for (p = 0; p < AGX_PIPE_COUNT; p++)
		if (q->wq[p].slot >= 0)
			agx_event_free(&fw->events, q->wq[p].slot);
	agx_fw_mem_free(&fw->mm, &q->priv);
	agx_fw_mem_free(&fw->mm, &q->shared);
	agx_uat_slot_put(adev->uat, &q->vm->pt);
	/* If the VM died meanwhile, its slot is unbound now. */
	if (agx_vm_is_dead(q->vm))
		agx_uat_slot_release(adev->uat, &q->vm->pt);
	agx_vm_put(q->vm);
	mutex_destroy(&q->submit_lock);
	kfree(q);
}

/**
 * agx_queue_get() - Take a reference to a queue.
 * @q: The queue.
 *
 * Return: @q.
 */
struct agx_queue *agx_queue_get(struct agx_queue *q)
{
	kref_get(&q->refcount);
	return q;
}

/**
 * agx_queue_put() - Drop a reference to a queue.
 * @q: The queue, or NULL.
 */
void agx_queue_put(struct agx_queue *q)
{
	if (q)
		kref_put(&q->refcount, agx_queue_release);
}

/**
 * agx_queue_lookup() - Find a queue of a file by id.
 * @afile: The file.
 * @id: The queue id.
 *
 * Return: The queue with a reference, or NULL.
 */
struct agx_queue *agx_queue_lookup(struct agx_file *afile, u32 id)
{
	struct agx_queue *q;

	xa_lock(&afile->queues);
	q = xa_load(&afile->queues, id);
	if (q)
		agx_queue_get(q);
	xa_unlock(&afile->queues);
	return q;
}

/**
 * agx_ioctl_queue_create() - DRM_IOCTL_ASAHI_QUEUE_CREATE.
 * @drm: The DRM device.
 * @data: &struct drm_asahi_queue_create.
 * @file: The DRM file.
 *
 * Return: 0, -EINVAL for bad arguments, -EPERM for HIGH or REALTIME
 * priority without CAP_SYS_NICE, -ENOENT for an unknown VM, -ENODEV when
 * the firmware is not running, -EBUSY when event or context slots ran
 * out, -ENOMEM.
 */
int agx_ioctl_queue_create(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct agx_device *adev = to_agx_device(drm);
	struct agx_file *afile = file->driver_priv;
	struct drm_asahi_queue_create *args = data;
	struct agx_fw *fw = adev->fw;
	struct agx_queue_layout ql;
	struct agx_queue *q;
	unsigned int p;
	int ret, slot;
	u32 id;

	if (args->flags) {
		drm_dbg(drm, "queue_create: flags %#x are not zero\n", args->flags);
		return -EINVAL;
	}
	if (args->priority > DRM_ASAHI_PRIORITY_REALTIME) {
		drm_dbg(drm, "queue_create: unknown priority %u\n", args->priority);
		return -EINVAL;
	}
	if (args->priority >= DRM_ASAHI_PRIORITY_HIGH && !capable(CAP_SYS_NICE)) {
		drm_dbg(drm, "queue_create: priority %u needs CAP_SYS_NICE\n", args->priority);
		return -EPERM;
	}
	if (args->usc_exec_base >= AGX_VM_END) {
		drm_dbg(drm, "queue_create: usc_exec_base %#llx outside the user VA range\n",
			args->usc_exec_base);
		return -EINVAL;
	}
	if (!fw || READ_ONCE(fw->state) != AGX_FW_RUNNING) {
		drm_dbg(drm, "queue_create: the firmware is not running\n");
		return -ENODEV;
	}

	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q)
		return -ENOMEM;
	kref_init(&q->refcount);
	q->adev = adev;
	q->priority = args->priority;
	q->fw_prio = DRM_ASAHI_PRIORITY_REALTIME - args->priority;
	q->usc_exec_base = args->usc_exec_base;
	q->client_id = file->client_id;
	mutex_init(&q->submit_lock);
	spin_lock_init(&q->lock);
	INIT_LIST_HEAD(&q->inflight);
	INIT_LIST_HEAD(&q->retired);
	INIT_LIST_HEAD(&q->node);
	INIT_WORK(&q->retire_work, agx_queue_retire_work);
	INIT_WORK(&q->recover_work, agx_queue_recover_work);
	init_waitqueue_head(&q->idle_wq);
	atomic_set(&q->live_jobs, 0);
	for (p = 0; p < AGX_PIPE_COUNT; p++)
		q->wq[p].slot = -1;
	agx_tvb_init(&q->tvb, q);

	q->vm = agx_vm_lookup(afile, args->vm_id);
	if (!q->vm) {
		drm_dbg(drm, "queue_create: no VM %u\n", args->vm_id);
		ret = -ENOENT;
		goto err_free;
	}
	ret = agx_uat_slot_get(adev->uat, &q->vm->pt);
	if (ret < 0) {
		drm_dbg(drm, "queue_create: no context slot for VM %u: %d\n", args->vm_id, ret);
		goto err_put_vm;
	}
	q->vm_slot = ret;

	/* The id first: the notifier's generation and the uuids use it. */
	ret = xa_alloc(&afile->queues, &id, NULL, xa_limit_32b, GFP_KERNEL);
	if (ret)
		goto err_put_slot;
	q->id = id;

	agx_queue_plan(fw->l, &ql);
	ret = agx_fw_mem_alloc(&fw->mm, AGX_FW_HEAP_PRIV, ql.priv_size, &q->priv);
	if (ret)
		goto err_erase;
	ret = agx_fw_mem_alloc(&fw->mm, AGX_FW_HEAP_SHARED, ql.shared_size, &q->shared);
	if (ret)
		goto err_free_priv;
	agx_queue_fill(q, &ql);

	for (p = 0; p < AGX_PIPE_COUNT; p++) {
		slot = agx_event_alloc(&fw->events, agx_wq_event, &q->wq[p]);
		if (slot < 0) {
			drm_dbg(drm, "queue_create: out of event slots\n");
			ret = slot;
			goto err_free_slots;
		}
		q->wq[p].slot = slot;
	}

	q->fence_ctx = dma_fence_context_alloc(1);
	ret = drm_sched_init(&q->sched, &agx_sched_ops, NULL, 1, AGX_WQ_CREDITS, 0,
			     msecs_to_jiffies(agx_job_timeout_ms), NULL, NULL,
			     "agx-queue", drm->dev);
	if (ret) {
		drm_dbg(drm, "queue_create: drm_sched_init: %d\n", ret);
		goto err_free_slots;
	}
	{
		struct drm_gpu_scheduler *sched = &q->sched;

		/* One run queue: the firmware does the prioritising. */
		ret = drm_sched_entity_init(&q->entity, DRM_SCHED_PRIORITY_KERNEL, &sched, 1, NULL);
	}
	if (ret)
		goto err_sched_fini;

	/* The queue is complete: publish it. */
	xa_store(&afile->queues, id, q, GFP_KERNEL);
	mutex_lock(&adev->queue_list_lock);
	list_add_tail(&q->node, &adev->queue_list);
	mutex_unlock(&adev->queue_list_lock);
	args->queue_id = id;
	return 0;

err_sched_fini:
	drm_sched_fini(&q->sched);
err_free_slots:
	for (p = 0; p < AGX_PIPE_COUNT; p++)
		if (q->wq[p].slot >= 0)
			agx_event_free(&fw->events, q->wq[p].slot);
	agx_fw_mem_free(&fw->mm, &q->shared);
err_free_priv:
	agx_fw_mem_free(&fw->mm, &q->priv);
err_erase:
	xa_erase(&afile->queues, id);
err_put_slot:
	agx_uat_slot_put(adev->uat, &q->vm->pt);
err_put_vm:
	agx_vm_put(q->vm);
err_free:
	agx_tvb_fini(&q->tvb);
	mutex_destroy(&q->submit_lock);
	kfree(q);
	return ret;
}

/* ---- Destruction ---------------------------------------------------------- */

static bool agx_queue_idle(struct agx_queue *q)
{
	return atomic_read(&q->live_jobs) == 0;
}

/* DeviceControl DestroyContext: the firmware forgets the context. */
static void agx_queue_destroy_context(struct agx_queue *q)
{
	struct agx_fw *fw = q->adev->fw;
	const struct agxfw_layout *l = fw->l;
	u8 *ctx = (u8 *)q->shared.cpu + (q->context_va - q->shared.va);
	u8 msg[0x80] = {};
	int ret;

	agxfw_set(l, msg, AGXFW_F_DcDestroyContext__tag,
		  agxfw_const_get(l, AGXFW_C_DC_DESTROY_CONTEXT));
	/* ctx_N: byte N of the context data. */
	agxfw_set(l, msg, AGXFW_F_DcDestroyContext__ctx_0,
		  agxfw_get(l, ctx, AGXFW_F_GpuContextData__unk_0));
	agxfw_set(l, msg, AGXFW_F_DcDestroyContext__ctx_1,
		  agxfw_get(l, ctx, AGXFW_F_GpuContextData__unk_1));
	agxfw_set(l, msg, AGXFW_F_DcDestroyContext__ctx_4,
		  agxfw_get(l, ctx, AGXFW_F_GpuContextData__unk_4));
	agxfw_set(l, msg, AGXFW_F_DcDestroyContext__ctx_23,
		  agxfw_get(l, ctx, AGXFW_F_GpuContextData__unk_23));
	agxfw_set(l, msg, AGXFW_F_DcDestroyContext__gpu_context, q->context_va);
	ret = agx_fw_devctrl_send(fw, msg);
	if (!ret)
		ret = agx_fw_devctrl_wait(fw);
	if (ret && ret != -ENODEV)
		drm_warn(&q->adev->drm, "queue %u: DestroyContext failed: %d\n", q->id, ret);
}

/*
 * Stop a queue that userspace can no longer reach: wait for its work,
 * stop the scheduler, forget the firmware context, drop the file's
 * reference.
 */
static void agx_queue_teardown(struct agx_queue *q)
{
	struct agx_device *adev = q->adev;
	struct agx_fw *fw = adev->fw;
	long left;
	bool leak = false;

	mutex_lock(&q->submit_lock);
	q->dead = true;
	mutex_unlock(&q->submit_lock);

	mutex_lock(&adev->queue_list_lock);
	list_del_init(&q->node);
	mutex_unlock(&adev->queue_list_lock);

	/* Jobs not run yet are run (up to the timeout) or killed. */
	drm_sched_entity_destroy(&q->entity);

	left = wait_event_timeout(q->idle_wq, agx_queue_idle(q),
				  msecs_to_jiffies(agx_job_timeout_ms));
	if (!left) {
		drm_warn(&adev->drm, "queue %u: work still in flight at destroy; cancelling it\n",
			 q->id);
		spin_lock(&q->lock);
		leak = !list_empty(&q->inflight) && READ_ONCE(fw->state) == AGX_FW_RUNNING;
		agx_queue_fail_all_locked(q, -ECANCELED);
		spin_unlock(&q->lock);
		wait_event_timeout(q->idle_wq, agx_queue_idle(q), msecs_to_jiffies(1000));
	}
	drm_sched_fini(&q->sched);
	flush_work(&q->retire_work);
	cancel_work_sync(&q->recover_work);

	if (leak || !agx_queue_idle(q)) {
		/*
		 * The firmware may still use the objects: keep them until it
		 * is stopped (agx_queue_free_kept() at device removal).
		 */
		drm_warn(&adev->drm, "queue %u: firmware objects kept (the firmware may use them)\n",
			 q->id);
		mutex_lock(&adev->queue_list_lock);
		list_add_tail(&q->node, &adev->kept_queues);
		mutex_unlock(&adev->queue_list_lock);
		return;
	}
	if (READ_ONCE(fw->state) == AGX_FW_RUNNING)
		agx_queue_destroy_context(q);
	agx_queue_put(q);
}

/**
 * agx_ioctl_queue_destroy() - DRM_IOCTL_ASAHI_QUEUE_DESTROY.
 * @drm: The DRM device.
 * @data: &struct drm_asahi_queue_destroy.
 * @file: The DRM file.
 *
 * Waits for the queue's work (see the DOC section).
 *
 * Return: 0, -EINVAL for nonzero pad, -ENOENT for an unknown queue.
 */
int agx_ioctl_queue_destroy(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct agx_file *afile = file->driver_priv;
	struct drm_asahi_queue_destroy *args = data;
	struct agx_queue *q;

	if (args->pad) {
		drm_dbg(drm, "queue_destroy: pad is not zero\n");
		return -EINVAL;
	}
	q = xa_erase(&afile->queues, args->queue_id);
	if (!q) {
		drm_dbg(drm, "queue_destroy: no queue %u\n", args->queue_id);
		return -ENOENT;
	}
	agx_queue_teardown(q);
	return 0;
}

/**
 * agx_queue_file_fini() - Destroy every queue of a closing file.
 * @afile: The file's state.
 *
 * Called before the file's VMs go.
 */
void agx_queue_file_fini(struct agx_file *afile)
{
	struct agx_queue *q;
	unsigned long id;

	xa_for_each(&afile->queues, id, q) {
		xa_erase(&afile->queues, id);
		if (q)
			agx_queue_teardown(q);
	}
	xa_destroy(&afile->queues);
}

/**
 * agx_queue_device_init() - Device-wide queue state.
 * @adev: The device.
 *
 * Return: 0.
 */
int agx_queue_device_init(struct agx_device *adev)
{
	mutex_init(&adev->queue_list_lock);
	INIT_LIST_HEAD(&adev->queue_list);
	INIT_LIST_HEAD(&adev->kept_queues);
	atomic_set(&adev->job_uuid, 0);
	spin_lock_init(&adev->tvb_lock);
	return 0;
}

/**
 * agx_queue_free_kept() - Free the queues kept for the firmware.
 * @adev: The device; its firmware is stopped and its backend gone.
 *
 * Drops the reference destruction left to each queue on
 * &agx_device.kept_queues, so their firmware memory is freed before the
 * firmware heaps are taken down (a job still holding a queue frees it
 * when it goes).
 */
void agx_queue_free_kept(struct agx_device *adev)
{
	struct agx_queue *q, *tmp;
	LIST_HEAD(list);

	mutex_lock(&adev->queue_list_lock);
	list_splice_init(&adev->kept_queues, &list);
	mutex_unlock(&adev->queue_list_lock);
	list_for_each_entry_safe(q, tmp, &list, node) {
		list_del_init(&q->node);
		drm_dbg(&adev->drm, "queue %u: kept firmware objects freed\n", q->id);
		agx_queue_put(q);
	}
}

/* ---- debugfs ---------------------------------------------------------------- */

/**
 * agx_queue_debugfs_show() - The "queues" debugfs file.
 * @adev: The device.
 * @m: The file.
 *
 * One line per queue: client, id, VM, priority, slot, job counters; once
 * the queue has a TVB, its slot, block count and grows (GrowTVB requests
 * answered with more blocks), read without the TVB's lock; then one line
 * per work queue: event slot, stamp, last value, write pointer.
 */
void agx_queue_debugfs_show(struct agx_device *adev, struct seq_file *m)
{
	struct agx_queue *q;
	struct agx_job *job;
	unsigned int p, n;

	mutex_lock(&adev->queue_list_lock);
	list_for_each_entry(q, &adev->queue_list, node) {
		spin_lock(&q->lock);
		n = 0;
		list_for_each_entry(job, &q->inflight, node)
			n++;
		seq_printf(m, "queue client %llu id %u vm %u priority %u vm_slot %u usc_exec_base %#llx submitted %llu completed %llu failed %llu inflight %u threshold %llu\n",
			   q->client_id, q->id, q->vm->id, q->priority, q->vm_slot,
			   q->usc_exec_base, q->stats.submitted, q->stats.completed,
			   q->stats.failed, n, READ_ONCE(*q->threshold));
		if (q->tvb.ready)
			seq_printf(m, "  tvb slot %d blocks %u grows %u info %#llx\n", q->tvb.slot,
				   READ_ONCE(q->tvb.nblocks), READ_ONCE(q->tvb.grows),
				   q->tvb.info.va);
		for (p = 0; p < AGX_PIPE_COUNT; p++)
			seq_printf(m, "  %s slot %d stamp %#x last %#x wptr %u info %#llx\n",
				   agx_pipe_names[p], q->wq[p].slot, READ_ONCE(*q->wq[p].stamp),
				   q->wq[p].last_value, q->wq[p].wptr, q->wq[p].info_va);
		spin_unlock(&q->lock);
	}
	mutex_unlock(&adev->queue_list_lock);
}
