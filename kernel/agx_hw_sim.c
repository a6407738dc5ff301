// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The agx authors
 */

/**
 * DOC: Simulator backend
 *
 * agx_hw_sim_ops drive the "agx-sim" platform device, which has no
 * hardware behind it. The GPU, its ASC coprocessor and the firmware are
 * simulated by the functional simulator (tests/sim), running as a daemon
 * inside the same guest: the front end in tests/sim/front/vm. The daemon
 * talks to this backend through the misc device /dev/agx-sim, whose
 * protocol is described in agx_hw_sim.h; docs/sim-transport.md explains
 * why the simulator runs inside the guest and not next to QEMU.
 *
 * What the device tree says on a real machine comes from module
 * parameters here: sim_gpu (default "g13g"), sim_chip (0x8103, M1),
 * sim_gpu_rev (0x11, B1) and sim_fw_abi ("13.5.0"). The combination must
 * be one the driver supports, as on hardware.
 *
 * The six reserved regions are physically contiguous, 16 KiB aligned,
 * zeroed kernel memory, allocated at probe. Their sizes: ttbs and handoff
 * 16 KiB, as on hardware; pagetables 1 MiB and hw-cal-a, hw-cal-b and
 * globals 256 KiB each, which are generous defaults (the firmware
 * structures in them are a few tens of KiB; the bootloader on real
 * machines sizes them from Apple's device tree).
 *
 * Until a simulator attaches, the device behaves like hardware that is
 * powered off: MMIO reads return 0xffffffff, writes are dropped, TLB
 * invalidations have nothing to do and boot and send fail with -ENODEV.
 * Probe succeeds all the same, so everything that needs no firmware (GEM,
 * VM_BIND, the UAT page tables) works without the simulator.
 *
 * Operations reach the daemon as requests in a FIFO that it read()s.
 * MMIO writes and messages are posted. MMIO reads and TLB invalidations
 * must not sleep but need the simulator's answer, so the caller spins for
 * it, bounded by %AGX_SIM_SPIN_TIMEOUT_MS: the daemon runs on another CPU
 * (the test VM has two), or on this one when the caller can be preempted.
 * Boot sleeps. Firmware messages the daemon
 * write()s are delivered by an ordered workqueue, in order, in process
 * context.
 *
 * When the daemon exits (or crashes) after a successful boot, the
 * firmware is gone: the backend reports a crash through hw->crashed, once,
 * and sends fail with -ENODEV until another simulator attaches and boots.
 *
 * A process holding /dev/agx-sim can read and write all guest RAM, as
 * /dev/mem could: the simulated GPU reaches memory by physical address,
 * like the real one. This backend is for development and test machines.
 */

#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kfifo.h>
#include <linux/kref.h>
#include <linux/ktime.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "agx_hw.h"
#include "agx_hw_sim.h"

static char *agx_sim_gpu = "g13g";
module_param_named(sim_gpu, agx_sim_gpu, charp, 0444);
MODULE_PARM_DESC(sim_gpu, "Simulated GPU: g13g, g13s, g13c, g13d, g14g, g14s, g14c or g14d (default g13g)");

static uint agx_sim_chip = 0x8103;
module_param_named(sim_chip, agx_sim_chip, uint, 0444);
MODULE_PARM_DESC(sim_chip, "Simulated SoC (default 0x8103, M1)");

static uint agx_sim_gpu_rev = 0x11;
module_param_named(sim_gpu_rev, agx_sim_gpu_rev, uint, 0444);
MODULE_PARM_DESC(sim_gpu_rev, "Simulated GPU revision, BCD (default 0x11, B1)");

static char *agx_sim_fw_abi = "13.5.0";
module_param_named(sim_fw_abi, agx_sim_fw_abi, charp, 0444);
MODULE_PARM_DESC(sim_fw_abi, "Simulated firmware ABI, major.minor.patch (default 13.5.0)");

static uint agx_sim_wait_ms;
module_param_named(sim_wait_ms, agx_sim_wait_ms, uint, 0444);
MODULE_PARM_DESC(sim_wait_ms, "With boot=1, wait this long at probe for agxsim-vm to attach (default 0)");

/* Bound on a spinning wait for the simulator (MMIO read, TLBI). */
#define AGX_SIM_SPIN_TIMEOUT_MS 1000
/* Bound on the sleeping wait for the simulator to boot the firmware. */
#define AGX_SIM_BOOT_TIMEOUT_MS 10000

/* Requests queued to the simulator, and messages queued to the driver. */
#define AGX_SIM_REQ_FIFO_LEN 1024
#define AGX_SIM_MSG_FIFO_LEN 1024
/* Synchronous requests in flight at once (one per waiting CPU at most). */
#define AGX_SIM_SLOTS 64
/* Delivered messages remembered for debugfs. */
#define AGX_SIM_HISTORY 8

/* The RTKit application endpoints of the GPU. */
#define AGX_SIM_EP_FIRST 0x20
#define AGX_SIM_EP_LAST 0x21

static const size_t agx_sim_region_size[AGX_HW_REGION_COUNT] = {
	[AGX_HW_REGION_TTBS] = SZ_16K,
	[AGX_HW_REGION_PAGETABLES] = SZ_1M,
	[AGX_HW_REGION_HANDOFF] = SZ_16K,
	[AGX_HW_REGION_HW_CAL_A] = SZ_256K,
	[AGX_HW_REGION_HW_CAL_B] = SZ_256K,
	[AGX_HW_REGION_GLOBALS] = SZ_256K,
};

/* State of a slot for a synchronous request. */
enum agx_sim_slot_state {
	AGX_SIM_SLOT_FREE = 0,
	AGX_SIM_SLOT_PENDING,
	AGX_SIM_SLOT_DONE,
	AGX_SIM_SLOT_ABORTED,
};

/**
 * struct agx_sim_slot - A synchronous request waiting for its reply.
 * @seq: The request's number.
 * @state: &enum agx_sim_slot_state; read without the lock by spinners.
 * @value: The reply's value, valid in %AGX_SIM_SLOT_DONE.
 */
struct agx_sim_slot {
	u32 seq;
	int state;
	u64 value;
};

/**
 * struct agx_sim - The simulator backend's state.
 *
 * It is reference counted: the device holds one reference from probe to
 * remove, and an open /dev/agx-sim holds one, so the daemon's file can
 * outlive the device (after an unbind) without touching freed memory.
 */
struct agx_sim {
	/** @ref: References: the device's and the open file's. */
	struct kref ref;

	/** @misc: /dev/agx-sim. */
	struct miscdevice misc;

	/** @dev: The platform device, for messages. Valid until remove. */
	struct device *dev;

	/** @cfg: What the simulator must simulate; constant after probe. */
	struct agx_sim_config cfg;

	/**
	 * @lock: Protects every field below up to @file_lock, and the two
	 * FIFOs. Taken with interrupts disabled: the operations it serves
	 * may be called with spinlocks held and interrupts off.
	 */
	spinlock_t lock;
	/** @hw: The backend instance; NULL once removed. */
	struct agx_hw *hw;
	/** @is_open: /dev/agx-sim is open. */
	bool is_open;
	/** @attached: The simulator is attached: operations reach it. */
	bool attached;
	/** @booted: The firmware booted; messages flow. */
	bool booted;
	/** @crash_pending: A crash waits to be reported. */
	bool crash_pending;
	/** @crash_reported: hw->crashed was called for this boot. */
	bool crash_reported;
	/** @next_seq: Number of the last request. */
	u32 next_seq;
	/** @reqs: Requests for the simulator. */
	DECLARE_KFIFO_PTR(reqs, struct agx_sim_rec);
	/** @msgs: Firmware messages waiting for @deliver_work. */
	DECLARE_KFIFO_PTR(msgs, struct agx_sim_rec);
	/** @slots: Synchronous requests waiting for a reply. */
	struct agx_sim_slot slots[AGX_SIM_SLOTS];
	/** @stats: Counters for debugfs (test only). */
	struct {
		u64 reqs[AGX_SIM_REQ_PING + 1];
		u64 timeouts;
		u64 delivered;
		u64 crashes;
		u64 dropped;
		struct { u8 ep; u64 msg; } history[AGX_SIM_HISTORY];
	} stats;

	/**
	 * @file_lock: Serialises the end of the device (remove) with the
	 * file's release, for @mapping.
	 */
	struct mutex file_lock;
	/** @mapping: The open file's address space, for zapping its mmaps. */
	struct address_space *mapping;

	/** @req_wq: The daemon waits here for requests. */
	wait_queue_head_t req_wq;
	/** @reply_wq: Sleeping callers wait here for replies. */
	wait_queue_head_t reply_wq;
	/** @space_wq: The daemon waits here for room in @msgs. */
	wait_queue_head_t space_wq;

	/** @wq: Ordered workqueue that runs @deliver_work. */
	struct workqueue_struct *wq;
	/** @deliver_work: Delivers @msgs and crashes to the driver. */
	struct work_struct deliver_work;

	/** @debugfs: Test-only interface, see agx_sim_debugfs_init(). */
	struct dentry *debugfs;
	/** @ctl_lock: Serialises debugfs commands; protects @ctl_result. */
	struct mutex ctl_lock;
	/** @ctl_result: Result of the last debugfs command. */
	char ctl_result[64];
};

static void agx_sim_release_ref(struct kref *ref)
{
	struct agx_sim *sim = container_of(ref, struct agx_sim, ref);

	kfifo_free(&sim->msgs);
	kfifo_free(&sim->reqs);
	mutex_destroy(&sim->ctl_lock);
	mutex_destroy(&sim->file_lock);
	kfree(sim);
}

static void agx_sim_put(struct agx_sim *sim)
{
	kref_put(&sim->ref, agx_sim_release_ref);
}

/* ------------------------------------------------------------------------
 * Requests to the simulator
 */

/* Queue a request and wake the daemon. Called with @sim->lock held. */
static int agx_sim_queue_locked(struct agx_sim *sim, struct agx_sim_rec *rec)
{
	if (!sim->attached)
		return -ENODEV;
	if (kfifo_is_full(&sim->reqs))
		return -EBUSY;

	if (++sim->next_seq == 0)
		sim->next_seq = 1;
	rec->seq = sim->next_seq;
	kfifo_put(&sim->reqs, *rec);
	sim->stats.reqs[rec->type]++;
	wake_up(&sim->req_wq);
	return 0;
}

static int agx_sim_post(struct agx_sim *sim, struct agx_sim_rec *rec)
{
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&sim->lock, flags);
	ret = agx_sim_queue_locked(sim, rec);
	spin_unlock_irqrestore(&sim->lock, flags);
	return ret;
}

static bool agx_sim_slot_settled(struct agx_sim_slot *slot)
{
	return READ_ONCE(slot->state) != AGX_SIM_SLOT_PENDING;
}

/*
 * Send a request and wait for its reply: spinning when @may_sleep is false,
 * sleeping otherwise. Returns 0 with the reply's value in @value, -ENODEV
 * when no simulator is attached or it detached meanwhile, -EBUSY when the
 * queues are full and -ETIMEDOUT when it did not answer in time.
 */
static int agx_sim_call(struct agx_sim *sim, struct agx_sim_rec *rec,
			u64 *value, bool may_sleep)
{
	struct agx_sim_slot *slot = NULL;
	unsigned long flags;
	unsigned int i;
	ktime_t deadline;
	int ret;

	spin_lock_irqsave(&sim->lock, flags);
	for (i = 0; i < AGX_SIM_SLOTS; i++) {
		if (sim->slots[i].state == AGX_SIM_SLOT_FREE) {
			slot = &sim->slots[i];
			break;
		}
	}
	if (!slot) {
		ret = -EBUSY;
		goto out_unlock;
	}
	ret = agx_sim_queue_locked(sim, rec);
	if (ret)
		goto out_unlock;
	slot->seq = rec->seq;
	WRITE_ONCE(slot->state, AGX_SIM_SLOT_PENDING);
	spin_unlock_irqrestore(&sim->lock, flags);

	if (may_sleep) {
		if (!wait_event_timeout(sim->reply_wq, agx_sim_slot_settled(slot),
					msecs_to_jiffies(AGX_SIM_BOOT_TIMEOUT_MS)))
			ret = -ETIMEDOUT;
	} else {
		deadline = ktime_add_ms(ktime_get(), AGX_SIM_SPIN_TIMEOUT_MS);
		while (!agx_sim_slot_settled(slot)) {
			if (ktime_after(ktime_get(), deadline)) {
				ret = -ETIMEDOUT;
				break;
			}
			/*
			 * Let the daemon have this CPU if it is waiting for
			 * it, when the caller's context allows preemption.
			 */
			if (preemptible())
				cond_resched();
			else
				cpu_relax();
		}
	}

	spin_lock_irqsave(&sim->lock, flags);
	if (slot->state == AGX_SIM_SLOT_DONE)
		*value = slot->value;
	else if (slot->state == AGX_SIM_SLOT_ABORTED)
		ret = -ENODEV;
	else
		sim->stats.timeouts++;
	if (!ret && slot->state != AGX_SIM_SLOT_DONE)
		ret = -ETIMEDOUT;
	slot->state = AGX_SIM_SLOT_FREE;
out_unlock:
	spin_unlock_irqrestore(&sim->lock, flags);
	return ret;
}

/* ------------------------------------------------------------------------
 * Backend operations
 */

static struct agx_sim *to_sim(struct agx_hw *hw)
{
	return hw->priv;
}

static u32 agx_sim_mmio_read32(struct agx_hw *hw, enum agx_hw_bank bank, u32 offset)
{
	struct agx_sim *sim = to_sim(hw);
	struct agx_sim_rec rec = {
		.type = AGX_SIM_REQ_MMIO_READ, .a = bank, .b = offset,
	};
	u64 value;
	int ret;

	ret = agx_sim_call(sim, &rec, &value, false);
	if (ret) {
		if (ret != -ENODEV)
			dev_err_ratelimited(hw->dev, "simulator: MMIO read %u:%#x failed: %d\n",
					    bank, offset, ret);
		return 0xffffffff;
	}
	return lower_32_bits(value);
}

static void agx_sim_mmio_write32(struct agx_hw *hw, enum agx_hw_bank bank,
				 u32 offset, u32 value)
{
	struct agx_sim_rec rec = {
		.type = AGX_SIM_REQ_MMIO_WRITE, .a = bank, .b = offset, .c = value,
	};

	/* Like a write to powered-off hardware, a write nobody hears is lost. */
	agx_sim_post(to_sim(hw), &rec);
}

static int agx_sim_boot(struct agx_hw *hw)
{
	struct agx_sim *sim = to_sim(hw);
	struct agx_sim_rec rec = { .type = AGX_SIM_REQ_BOOT };
	unsigned long flags;
	u64 value;
	int ret;

	ret = agx_sim_call(sim, &rec, &value, true);
	if (ret)
		return ret;
	ret = (s32)lower_32_bits(value);
	if (ret > 0 || ret < -MAX_ERRNO)
		ret = -EIO;
	if (ret)
		return ret;

	spin_lock_irqsave(&sim->lock, flags);
	/* The simulator may have gone away since it answered. */
	if (sim->attached) {
		sim->booted = true;
		sim->crash_pending = false;
		sim->crash_reported = false;
	} else {
		ret = -ENODEV;
	}
	spin_unlock_irqrestore(&sim->lock, flags);
	return ret;
}

/*
 * The firmware can only boot once a simulator is attached: wait for one,
 * up to sim_wait_ms (0: do not wait; the boot then fails with -ENODEV).
 */
static int agx_sim_wait_ready(struct agx_hw *hw)
{
	struct agx_sim *sim = to_sim(hw);

	if (agx_sim_wait_ms)
		wait_event_timeout(sim->reply_wq, READ_ONCE(sim->attached),
				   msecs_to_jiffies(agx_sim_wait_ms));
	return READ_ONCE(sim->attached) ? 0 : -ENODEV;
}

static int agx_sim_send(struct agx_hw *hw, u8 endpoint, u64 message)
{
	struct agx_sim *sim = to_sim(hw);
	struct agx_sim_rec rec = {
		.type = AGX_SIM_REQ_SEND, .a = endpoint, .c = message,
	};
	unsigned long flags;
	int ret;

	if (endpoint < AGX_SIM_EP_FIRST || endpoint > AGX_SIM_EP_LAST)
		return -EINVAL;

	spin_lock_irqsave(&sim->lock, flags);
	if (!sim->attached)
		ret = -ENODEV;
	else if (!sim->booted)
		ret = -EIO;
	else
		ret = agx_sim_queue_locked(sim, &rec);
	spin_unlock_irqrestore(&sim->lock, flags);
	return ret;
}

static void agx_sim_tlb_invalidate(struct agx_hw *hw, enum agx_hw_tlbi kind,
				   u32 asid, u64 va, u64 size_B)
{
	struct agx_sim *sim = to_sim(hw);
	struct agx_sim_rec rec = {
		.type = AGX_SIM_REQ_TLBI, .a = kind, .b = asid, .c = va, .d = size_B,
	};
	u64 value;
	int ret;

	/* Without a simulator there is no TLB to invalidate. */
	ret = agx_sim_call(sim, &rec, &value, false);
	if (ret && ret != -ENODEV)
		dev_err_ratelimited(hw->dev, "simulator: TLB invalidation failed: %d\n", ret);
}

/* ------------------------------------------------------------------------
 * Delivery to the driver
 */

static void agx_sim_deliver_work(struct work_struct *work)
{
	struct agx_sim *sim = container_of(work, struct agx_sim, deliver_work);
	struct agx_sim_rec rec;
	struct agx_hw *hw;
	bool crash;

	for (;;) {
		spin_lock_irq(&sim->lock);
		hw = sim->hw;
		if (!hw) {
			spin_unlock_irq(&sim->lock);
			return;
		}
		if (kfifo_get(&sim->msgs, &rec)) {
			unsigned int i = sim->stats.delivered++ % AGX_SIM_HISTORY;

			sim->stats.history[i].ep = rec.a;
			sim->stats.history[i].msg = rec.c;
			spin_unlock_irq(&sim->lock);
			wake_up(&sim->space_wq);
			hw->deliver(hw, rec.a, rec.c);
			continue;
		}
		crash = sim->crash_pending && !sim->crash_reported;
		if (crash) {
			sim->crash_pending = false;
			sim->crash_reported = true;
			sim->stats.crashes++;
		}
		spin_unlock_irq(&sim->lock);
		if (crash)
			hw->crashed(hw);
		return;
	}
}

/* Handle one record from the daemon. Called with @sim->lock held. */
static int agx_sim_handle_msg_locked(struct agx_sim *sim,
				     const struct agx_sim_rec *rec)
{
	unsigned int i;

	switch (rec->type) {
	case AGX_SIM_MSG_REPLY:
		for (i = 0; i < AGX_SIM_SLOTS; i++) {
			struct agx_sim_slot *slot = &sim->slots[i];

			if (slot->state == AGX_SIM_SLOT_PENDING && slot->seq == rec->seq) {
				slot->value = rec->c;
				/* Spinners read the value after seeing DONE. */
				smp_store_release(&slot->state, AGX_SIM_SLOT_DONE);
				wake_up(&sim->reply_wq);
				return 0;
			}
		}
		/* A late answer to a request that timed out: harmless. */
		sim->stats.dropped++;
		return 0;
	case AGX_SIM_MSG_DELIVER:
		if (!sim->booted || sim->crash_pending || sim->crash_reported ||
		    rec->a < AGX_SIM_EP_FIRST || rec->a > AGX_SIM_EP_LAST) {
			sim->stats.dropped++;
			return 0;
		}
		if (kfifo_is_full(&sim->msgs))
			return -EAGAIN;
		kfifo_put(&sim->msgs, *rec);
		queue_work(sim->wq, &sim->deliver_work);
		return 0;
	case AGX_SIM_MSG_CRASHED:
		if (sim->booted && !sim->crash_reported) {
			sim->crash_pending = true;
			sim->booted = false;
			queue_work(sim->wq, &sim->deliver_work);
		}
		return 0;
	default:
		return -EINVAL;
	}
}

/* ------------------------------------------------------------------------
 * /dev/agx-sim
 */

static struct agx_sim *file_sim(struct file *file)
{
	return container_of(file->private_data, struct agx_sim, misc);
}

static int agx_sim_open(struct inode *inode, struct file *file)
{
	struct agx_sim *sim = file_sim(file);
	int ret = 0;

	/* misc_open() holds misc_mtx: remove cannot run meanwhile. */
	spin_lock_irq(&sim->lock);
	if (sim->is_open || !sim->hw)
		ret = -EBUSY;
	else
		sim->is_open = true;
	spin_unlock_irq(&sim->lock);
	if (ret)
		return ret;

	kref_get(&sim->ref);
	mutex_lock(&sim->file_lock);
	sim->mapping = file->f_mapping;
	mutex_unlock(&sim->file_lock);
	return stream_open(inode, file);
}

/*
 * Detach the simulator: fail the requests in flight, forget the queued
 * ones and report a crash if the firmware was running.
 */
static void agx_sim_detach(struct agx_sim *sim)
{
	unsigned int i;

	spin_lock_irq(&sim->lock);
	if (sim->hw && sim->attached && sim->booted && !sim->crash_reported) {
		sim->crash_pending = true;
		queue_work(sim->wq, &sim->deliver_work);
	}
	sim->attached = false;
	sim->booted = false;
	kfifo_reset(&sim->reqs);
	for (i = 0; i < AGX_SIM_SLOTS; i++) {
		if (sim->slots[i].state == AGX_SIM_SLOT_PENDING)
			WRITE_ONCE(sim->slots[i].state, AGX_SIM_SLOT_ABORTED);
	}
	spin_unlock_irq(&sim->lock);
	wake_up_all(&sim->reply_wq);
	wake_up_all(&sim->req_wq);
	wake_up_all(&sim->space_wq);
}

static int agx_sim_file_release(struct inode *inode, struct file *file)
{
	struct agx_sim *sim = file_sim(file);

	agx_sim_detach(sim);
	mutex_lock(&sim->file_lock);
	sim->mapping = NULL;
	mutex_unlock(&sim->file_lock);
	spin_lock_irq(&sim->lock);
	sim->is_open = false;
	spin_unlock_irq(&sim->lock);
	agx_sim_put(sim);
	return 0;
}

static ssize_t agx_sim_read(struct file *file, char __user *buf, size_t len,
			    loff_t *ppos)
{
	struct agx_sim *sim = file_sim(file);
	struct agx_sim_rec rec;
	size_t done = 0;
	int ret;

	if (len < sizeof(rec))
		return -EINVAL;

	for (;;) {
		spin_lock_irq(&sim->lock);
		if (!sim->hw) {
			spin_unlock_irq(&sim->lock);
			return 0;
		}
		if (!kfifo_is_empty(&sim->reqs))
			break;
		spin_unlock_irq(&sim->lock);
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(sim->req_wq,
					       !kfifo_is_empty(&sim->reqs) ||
					       !READ_ONCE(sim->hw));
		if (ret)
			return ret;
	}

	/* Copy out one record at a time: copy_to_user() may fault. */
	while (done + sizeof(rec) <= len && kfifo_get(&sim->reqs, &rec)) {
		spin_unlock_irq(&sim->lock);
		if (copy_to_user(buf + done, &rec, sizeof(rec)))
			return done ? done : -EFAULT;
		done += sizeof(rec);
		spin_lock_irq(&sim->lock);
	}
	spin_unlock_irq(&sim->lock);
	return done;
}

static ssize_t agx_sim_write(struct file *file, const char __user *buf,
			     size_t len, loff_t *ppos)
{
	struct agx_sim *sim = file_sim(file);
	struct agx_sim_rec rec;
	size_t done = 0;
	int ret = 0;

	if (len % sizeof(rec))
		return -EINVAL;

	while (done < len) {
		if (copy_from_user(&rec, buf + done, sizeof(rec))) {
			ret = -EFAULT;
			break;
		}
		spin_lock_irq(&sim->lock);
		if (!sim->hw || !sim->attached)
			ret = -ENODEV;
		else
			ret = agx_sim_handle_msg_locked(sim, &rec);
		spin_unlock_irq(&sim->lock);
		if (ret == -EAGAIN && !done && !(file->f_flags & O_NONBLOCK)) {
			ret = wait_event_interruptible(sim->space_wq,
						       !kfifo_is_full(&sim->msgs) ||
						       !READ_ONCE(sim->attached));
			if (ret)
				break;
			continue;
		}
		if (ret)
			break;
		done += sizeof(rec);
	}
	return done ? done : ret;
}

static __poll_t agx_sim_poll(struct file *file, poll_table *wait)
{
	struct agx_sim *sim = file_sim(file);
	__poll_t mask = 0;

	poll_wait(file, &sim->req_wq, wait);
	poll_wait(file, &sim->space_wq, wait);
	spin_lock_irq(&sim->lock);
	if (!sim->hw)
		mask |= EPOLLIN | EPOLLHUP;
	else if (!kfifo_is_empty(&sim->reqs))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (sim->hw && !kfifo_is_full(&sim->msgs))
		mask |= EPOLLOUT | EPOLLWRNORM;
	spin_unlock_irq(&sim->lock);
	return mask;
}

static vm_fault_t agx_sim_vm_fault(struct vm_fault *vmf)
{
	/* Only reached after agx_sim_zap_mappings(): the device is gone. */
	return VM_FAULT_SIGBUS;
}

static const struct vm_operations_struct agx_sim_vm_ops = {
	.fault = agx_sim_vm_fault,
};

static int agx_sim_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct agx_sim *sim = file_sim(file);
	unsigned long size = vma->vm_end - vma->vm_start;
	phys_addr_t pa = (phys_addr_t)vma->vm_pgoff << PAGE_SHIFT;

	if (!READ_ONCE(sim->hw))
		return -ENODEV;
	if ((phys_addr_t)(pa + size) < pa ||
	    region_intersects(pa, size, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_INTERSECTS)
		return -EINVAL;

	vma->vm_ops = &agx_sim_vm_ops;
	return remap_pfn_range(vma, vma->vm_start, vma->vm_pgoff, size,
			       vma->vm_page_prot);
}

struct agx_sim_ram_walk {
	struct agx_sim_config *cfg;
	bool truncated;
};

static int agx_sim_add_ram(struct resource *res, void *arg)
{
	struct agx_sim_ram_walk *walk = arg;
	struct agx_sim_config *cfg = walk->cfg;
	u64 start = PFN_UP(res->start), end = PFN_DOWN(res->end + 1);

	if (end <= start)
		return 0;
	if (cfg->num_ram == AGX_SIM_MAX_RAM) {
		walk->truncated = true;
		return 0;
	}
	cfg->ram[cfg->num_ram].pa = start << PAGE_SHIFT;
	cfg->ram[cfg->num_ram].size_B = (end - start) << PAGE_SHIFT;
	cfg->num_ram++;
	return 0;
}

static long agx_sim_ioctl_get_config(struct agx_sim *sim, void __user *arg)
{
	struct agx_sim_ram_walk walk = { };
	struct agx_sim_config *cfg;
	long ret = 0;

	cfg = kmemdup(&sim->cfg, sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;

	/* RAM can be hot-plugged: report what exists now. */
	walk.cfg = cfg;
	cfg->num_ram = 0;
	walk_iomem_res_desc(IORES_DESC_NONE, IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY,
			    0, -1, &walk, agx_sim_add_ram);
	if (walk.truncated)
		dev_warn_once(sim->dev, "simulator: more than %u RAM ranges; the rest is not reported\n",
			      AGX_SIM_MAX_RAM);

	if (copy_to_user(arg, cfg, sizeof(*cfg)))
		ret = -EFAULT;
	kfree(cfg);
	return ret;
}

static long agx_sim_ioctl_attach(struct agx_sim *sim, void __user *arg)
{
	struct agx_sim_attach att;
	struct agx_hw *hw;
	unsigned int i;
	long ret = 0;

	if (copy_from_user(&att, arg, sizeof(att)))
		return -EFAULT;
	if (att.abi_version != AGX_SIM_ABI_VERSION || att.pad)
		return -EINVAL;
	for (i = 0; i < AGX_HW_REGION_COUNT; i++) {
		bool blob = i == AGX_HW_REGION_HW_CAL_A || i == AGX_HW_REGION_HW_CAL_B ||
			    i == AGX_HW_REGION_GLOBALS;

		if (att.blob_size_B[i] > sim->cfg.regions[i].size_B ||
		    (!blob && att.blob_size_B[i]))
			return -EINVAL;
	}

	spin_lock_irq(&sim->lock);
	hw = sim->hw;
	if (!hw) {
		ret = -ENODEV;
	} else if (sim->attached) {
		ret = -EBUSY;
	} else {
		/*
		 * The sizes only matter to the firmware bring-up, which
		 * cannot run before a simulator is attached (boot fails).
		 */
		for (i = 0; i < AGX_HW_REGION_COUNT; i++)
			hw->info.blob_size_B[i] = att.blob_size_B[i];
		sim->attached = true;
		sim->booted = false;
	}
	spin_unlock_irq(&sim->lock);
	/* A probe may be waiting for us in agx_sim_wait_ready(). */
	if (!ret)
		wake_up_all(&sim->reply_wq);
	return ret;
}

static long agx_sim_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct agx_sim *sim = file_sim(file);

	switch (cmd) {
	case AGX_SIM_IOC_GET_CONFIG:
		return agx_sim_ioctl_get_config(sim, (void __user *)arg);
	case AGX_SIM_IOC_ATTACH:
		return agx_sim_ioctl_attach(sim, (void __user *)arg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations agx_sim_fops = {
	.owner = THIS_MODULE,
	.open = agx_sim_open,
	.release = agx_sim_file_release,
	.read = agx_sim_read,
	.write = agx_sim_write,
	.poll = agx_sim_poll,
	.mmap = agx_sim_mmap,
	.unlocked_ioctl = agx_sim_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

/* ------------------------------------------------------------------------
 * Test-only debugfs interface: <debugfs>/agx-sim/{ctl,status}
 *
 * Lets tests/vm/suites/hw.sh drive the backend operations and see what
 * reached the driver, before any code above the boundary uses them. Not
 * an interface for anything else.
 */

static ssize_t agx_sim_ctl_read(struct file *file, char __user *buf,
				size_t len, loff_t *ppos)
{
	struct agx_sim *sim = file->private_data;
	char res[sizeof(sim->ctl_result)];

	mutex_lock(&sim->ctl_lock);
	strscpy(res, sim->ctl_result, sizeof(res));
	mutex_unlock(&sim->ctl_lock);
	return simple_read_from_buffer(buf, len, ppos, res, strlen(res));
}

/* The ASC register that starts the coprocessor's CPU, and its bit. */
#define AGX_SIM_ASC_CPU_CONTROL 0x44
#define AGX_SIM_ASC_CPU_RUN BIT(4)

static int agx_sim_ctl_exec(struct agx_sim *sim, struct agx_hw *hw,
			    const char *cmd, char *res, size_t res_len)
{
	char bank_name[8];
	u32 bank, off, val, ep, kind, asid, n, i;
	u64 msg, va, size, t0, value;
	int ret;

	if (sscanf(cmd, "read32 %7s %i", bank_name, &off) == 2) {
		bank = !strcmp(bank_name, "sgx") ? AGX_HW_BANK_SGX : AGX_HW_BANK_ASC;
		snprintf(res, res_len, "0x%08x\n", agx_hw_read32(hw, bank, off));
		return 0;
	}
	if (sscanf(cmd, "write32 %7s %i %i", bank_name, &off, &val) == 3) {
		bank = !strcmp(bank_name, "sgx") ? AGX_HW_BANK_SGX : AGX_HW_BANK_ASC;
		agx_hw_write32(hw, bank, off, val);
		snprintf(res, res_len, "0\n");
		return 0;
	}
	if (!strcmp(cmd, "asc_start")) {
		val = agx_hw_read32(hw, AGX_HW_BANK_ASC, AGX_SIM_ASC_CPU_CONTROL);
		if (val == 0xffffffff)
			val = 0;
		agx_hw_write32(hw, AGX_HW_BANK_ASC, AGX_SIM_ASC_CPU_CONTROL,
			       val | AGX_SIM_ASC_CPU_RUN);
		snprintf(res, res_len, "0\n");
		return 0;
	}
	if (!strcmp(cmd, "boot")) {
		snprintf(res, res_len, "%d\n", hw->ops->boot(hw));
		return 0;
	}
	if (sscanf(cmd, "send %i %lli", &ep, &msg) == 2) {
		if (ep > U8_MAX)
			return -EINVAL;
		snprintf(res, res_len, "%d\n", agx_hw_send(hw, ep, msg));
		return 0;
	}
	if (sscanf(cmd, "tlbi %i %i %lli %lli", &kind, &asid, &va, &size) == 4) {
		if (kind > AGX_HW_TLBI_RANGE)
			return -EINVAL;
		agx_hw_tlbi(hw, kind, asid, va, size);
		snprintf(res, res_len, "0\n");
		return 0;
	}
	/* "peek R OFF": the u64 at OFF in region R, through the kernel mapping. */
	if (sscanf(cmd, "peek %u %i", &n, &off) == 2) {
		if (n >= AGX_HW_REGION_COUNT || !IS_ALIGNED(off, 8) ||
		    off >= hw->regions[n].size_B)
			return -EINVAL;
		snprintf(res, res_len, "0x%016llx\n",
			 READ_ONCE(*(u64 *)(hw->regions[n].va + off)));
		return 0;
	}
	/* "ping N": N round trips; prints the mean in nanoseconds. */
	if (sscanf(cmd, "ping %u", &n) == 1) {
		if (!n || n > 100000)
			return -EINVAL;
		t0 = ktime_get_ns();
		for (i = 0; i < n; i++) {
			struct agx_sim_rec rec = { .type = AGX_SIM_REQ_PING, .c = i };

			ret = agx_sim_call(sim, &rec, &value, false);
			if (!ret && value != i)
				ret = -EPROTO;
			if (ret) {
				snprintf(res, res_len, "%d\n", ret);
				return 0;
			}
		}
		snprintf(res, res_len, "%llu\n", div_u64(ktime_get_ns() - t0, n));
		return 0;
	}
	return -EINVAL;
}

static ssize_t agx_sim_ctl_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	struct agx_sim *sim = file->private_data;
	char cmd[96], res[sizeof(sim->ctl_result)];
	struct agx_hw *hw;
	int ret;

	if (!len || len >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, len))
		return -EFAULT;
	cmd[len] = '\0';
	strim(cmd);

	/* debugfs keeps the device alive while this runs (see remove). */
	hw = READ_ONCE(sim->hw);
	if (!hw)
		return -ENODEV;

	mutex_lock(&sim->ctl_lock);
	res[0] = '\0';
	ret = agx_sim_ctl_exec(sim, hw, cmd, res, sizeof(res));
	if (!ret)
		strscpy(sim->ctl_result, res, sizeof(sim->ctl_result));
	mutex_unlock(&sim->ctl_lock);
	return ret ? ret : len;
}

static const struct file_operations agx_sim_ctl_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = agx_sim_ctl_read,
	.write = agx_sim_ctl_write,
};

static int agx_sim_status_show(struct seq_file *m, void *unused)
{
	struct agx_sim *sim = m->private;
	u64 reqs[ARRAY_SIZE(sim->stats.reqs)];
	u64 delivered, crashes, timeouts, dropped;
	struct { u8 ep; u64 msg; } hist[AGX_SIM_HISTORY];
	u64 blob[AGX_HW_REGION_COUNT] = { };
	bool attached, booted;
	unsigned int i, n;

	spin_lock_irq(&sim->lock);
	if (sim->hw) {
		for (i = 0; i < AGX_HW_REGION_COUNT; i++)
			blob[i] = sim->hw->info.blob_size_B[i];
	}
	attached = sim->attached;
	booted = sim->booted;
	memcpy(reqs, sim->stats.reqs, sizeof(reqs));
	delivered = sim->stats.delivered;
	crashes = sim->stats.crashes;
	timeouts = sim->stats.timeouts;
	dropped = sim->stats.dropped;
	memcpy(hist, sim->stats.history, sizeof(hist));
	spin_unlock_irq(&sim->lock);

	seq_printf(m, "attached %d\nbooted %d\n", attached, booted);
	seq_printf(m, "mmio_reads %llu\nmmio_writes %llu\nboots %llu\nsends %llu\ntlbis %llu\npings %llu\n",
		   reqs[AGX_SIM_REQ_MMIO_READ], reqs[AGX_SIM_REQ_MMIO_WRITE],
		   reqs[AGX_SIM_REQ_BOOT], reqs[AGX_SIM_REQ_SEND],
		   reqs[AGX_SIM_REQ_TLBI], reqs[AGX_SIM_REQ_PING]);
	seq_printf(m, "timeouts %llu\ndropped %llu\ndelivered %llu\ncrashes %llu\n",
		   timeouts, dropped, delivered, crashes);
	seq_printf(m, "blob_size_hw_cal_a %llu\nblob_size_hw_cal_b %llu\nblob_size_globals %llu\n",
		   blob[AGX_HW_REGION_HW_CAL_A], blob[AGX_HW_REGION_HW_CAL_B],
		   blob[AGX_HW_REGION_GLOBALS]);
	/* The most recent deliveries, oldest first. */
	n = min_t(u64, delivered, AGX_SIM_HISTORY);
	for (i = 0; i < n; i++) {
		unsigned int j = (delivered - n + i) % AGX_SIM_HISTORY;

		seq_printf(m, "msg 0x%02x 0x%016llx\n", hist[j].ep, hist[j].msg);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(agx_sim_status);

static void agx_sim_debugfs_init(struct agx_sim *sim)
{
	sim->debugfs = debugfs_create_dir(AGX_SIM_DEV_NAME, NULL);
	debugfs_create_file("ctl", 0600, sim->debugfs, sim, &agx_sim_ctl_fops);
	debugfs_create_file("status", 0400, sim->debugfs, sim, &agx_sim_status_fops);
}

/* ------------------------------------------------------------------------
 * Probe and remove
 */

static int agx_sim_parse_params(struct agx_hw_info *info, struct device *dev)
{
	const char *gpu = agx_sim_gpu ? agx_sim_gpu : "";
	u32 abi[3];
	char var;

	if (strlen(gpu) != 4 || tolower(gpu[0]) != 'g' ||
	    gpu[1] != '1' || (gpu[2] != '3' && gpu[2] != '4'))
		goto bad_gpu;
	var = toupper(gpu[3]);
	if (!strchr("GSCD", var))
		goto bad_gpu;
	info->gpu_gen = gpu[2] == '3' ? 13 : 14;
	info->gpu_variant = var;
	info->chip_id = agx_sim_chip;

	if (!agx_sim_fw_abi ||
	    sscanf(agx_sim_fw_abi, "%u.%u.%u", &abi[0], &abi[1], &abi[2]) != 3) {
		dev_err(dev, "simulator: sim_fw_abi \"%s\" is not major.minor.patch\n",
			agx_sim_fw_abi ? agx_sim_fw_abi : "");
		return -EINVAL;
	}
	memcpy(info->fw_abi, abi, sizeof(abi));

	/* The combinations the driver supports, as on hardware. */
	if (abi[0] == 13 && abi[1] == 5 && abi[2] == 0)
		return 0;
	if (abi[0] == 12 && abi[1] == 3 && abi[2] == 0 && info->gpu_gen == 13)
		return 0;
	if (abi[0] == 12 && abi[1] == 4 && abi[2] == 0 && info->gpu_gen == 14 &&
	    var == 'G')
		return 0;
	dev_err(dev, "simulator: unsupported GPU/firmware combination G%u%c + %u.%u.%u\n",
		info->gpu_gen, var, abi[0], abi[1], abi[2]);
	return -ENODEV;

bad_gpu:
	dev_err(dev, "simulator: sim_gpu \"%s\" is not one of g13g/s/c/d, g14g/s/c/d\n", gpu);
	return -EINVAL;
}

static void agx_sim_free_regions(struct agx_hw *hw)
{
	unsigned int i;

	for (i = 0; i < AGX_HW_REGION_COUNT; i++) {
		if (hw->regions[i].va)
			free_pages_exact(hw->regions[i].va, hw->regions[i].size_B);
		hw->regions[i].va = NULL;
	}
}

static int agx_sim_alloc_regions(struct agx_hw *hw)
{
	unsigned int i;

	for (i = 0; i < AGX_HW_REGION_COUNT; i++) {
		size_t size = agx_sim_region_size[i];
		void *va;

		/*
		 * Every size is a power of two of at least 16 KiB, and the
		 * buddy allocator aligns a block to its size.
		 */
		va = alloc_pages_exact(size, GFP_KERNEL | __GFP_ZERO);
		if (!va)
			goto err_free_regions;
		if (!IS_ALIGNED(virt_to_phys(va), SZ_16K)) {
			free_pages_exact(va, size);
			goto err_free_regions;
		}
		hw->regions[i].va = va;
		hw->regions[i].pa = virt_to_phys(va);
		hw->regions[i].size_B = size;
	}
	return 0;

err_free_regions:
	agx_sim_free_regions(hw);
	return -ENOMEM;
}

static int agx_sim_probe(struct agx_hw *hw, struct device *dev)
{
	struct agx_sim *sim;
	unsigned int i;
	int ret;

	hw->dev = dev;
	ret = agx_sim_parse_params(&hw->info, dev);
	if (ret)
		return ret;

	sim = kzalloc(sizeof(*sim), GFP_KERNEL);
	if (!sim)
		return -ENOMEM;
	kref_init(&sim->ref);
	spin_lock_init(&sim->lock);
	mutex_init(&sim->file_lock);
	mutex_init(&sim->ctl_lock);
	init_waitqueue_head(&sim->req_wq);
	init_waitqueue_head(&sim->reply_wq);
	init_waitqueue_head(&sim->space_wq);
	INIT_WORK(&sim->deliver_work, agx_sim_deliver_work);
	sim->dev = dev;

	ret = kfifo_alloc(&sim->reqs, AGX_SIM_REQ_FIFO_LEN, GFP_KERNEL);
	if (ret)
		goto err_put_sim;
	ret = kfifo_alloc(&sim->msgs, AGX_SIM_MSG_FIFO_LEN, GFP_KERNEL);
	if (ret)
		goto err_put_sim;

	ret = agx_sim_alloc_regions(hw);
	if (ret)
		goto err_put_sim;

	sim->cfg.abi_version = AGX_SIM_ABI_VERSION;
	sim->cfg.gpu_gen = hw->info.gpu_gen;
	sim->cfg.gpu_variant = hw->info.gpu_variant;
	sim->cfg.chip_id = hw->info.chip_id;
	sim->cfg.gpu_rev = agx_sim_gpu_rev;
	memcpy(sim->cfg.fw_abi, hw->info.fw_abi, sizeof(sim->cfg.fw_abi));
	sim->cfg.page_size = PAGE_SIZE;
	for (i = 0; i < AGX_HW_REGION_COUNT; i++) {
		sim->cfg.regions[i].pa = hw->regions[i].pa;
		sim->cfg.regions[i].size_B = hw->regions[i].size_B;
	}

	sim->wq = alloc_ordered_workqueue("agx-sim", 0);
	if (!sim->wq) {
		ret = -ENOMEM;
		goto err_free_regions;
	}

	sim->hw = hw;
	hw->priv = sim;

	sim->misc.minor = MISC_DYNAMIC_MINOR;
	sim->misc.name = AGX_SIM_DEV_NAME;
	sim->misc.fops = &agx_sim_fops;
	sim->misc.mode = 0600;
	ret = misc_register(&sim->misc);
	if (ret)
		goto err_destroy_wq;

	agx_sim_debugfs_init(sim);
	return 0;

err_destroy_wq:
	hw->priv = NULL;
	destroy_workqueue(sim->wq);
err_free_regions:
	agx_sim_free_regions(hw);
err_put_sim:
	agx_sim_put(sim);
	return ret;
}

static void agx_sim_remove(struct agx_hw *hw)
{
	struct agx_sim *sim = to_sim(hw);

	/* No new debugfs commands; waits for running ones. */
	debugfs_remove_recursive(sim->debugfs);
	/* No new opens of /dev/agx-sim; an open file keeps @sim alive. */
	misc_deregister(&sim->misc);

	/*
	 * From here on nothing reaches the driver: the firmware of a device
	 * that is going away does not "crash" when its simulator is cut off.
	 */
	spin_lock_irq(&sim->lock);
	sim->hw = NULL;
	spin_unlock_irq(&sim->lock);
	/* read() now sees the end of file and poll() a hang-up. */
	agx_sim_detach(sim);
	destroy_workqueue(sim->wq);

	/*
	 * The daemon may still have guest RAM mapped, the regions among it.
	 * Tear its mappings down before the regions go back to the
	 * allocator; further accesses get SIGBUS.
	 */
	mutex_lock(&sim->file_lock);
	if (sim->mapping)
		unmap_mapping_range(sim->mapping, 0, 0, 1);
	mutex_unlock(&sim->file_lock);

	agx_sim_free_regions(hw);
	hw->priv = NULL;
	agx_sim_put(sim);
}

const struct agx_hw_ops agx_hw_sim_ops = {
	.probe = agx_sim_probe,
	.remove = agx_sim_remove,
	.mmio_read32 = agx_sim_mmio_read32,
	.mmio_write32 = agx_sim_mmio_write32,
	.wait_ready = agx_sim_wait_ready,
	.boot = agx_sim_boot,
	.send = agx_sim_send,
	.tlb_invalidate = agx_sim_tlb_invalidate,
};
