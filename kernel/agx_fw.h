/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The agx authors
 */
#ifndef AGX_FW_H
#define AGX_FW_H

#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "agx_event.h"
#include "agx_fw_channel.h"
#include "agx_fw_mem.h"

struct agx_device;
struct agxfw_layout;

/** define AGX_FW_LOG_LINES - Firmware log lines kept for debugfs. */
#define AGX_FW_LOG_LINES 64
/** define AGX_FW_LOG_LEN - Longest firmware log line kept (with NUL). */
#define AGX_FW_LOG_LEN 208

/** enum agx_fw_state - Where the firmware is. */
enum agx_fw_state {
	/** @AGX_FW_OFF: Not booted by the driver. */
	AGX_FW_OFF,
	/** @AGX_FW_BOOTING: Handshake in progress. */
	AGX_FW_BOOTING,
	/** @AGX_FW_RUNNING: Initialized; messages are handled. */
	AGX_FW_RUNNING,
	/** @AGX_FW_CRASHED: Crashed or misbehaved: the device is dead. */
	AGX_FW_CRASHED,
	/** @AGX_FW_STOPPED: The device is going away. */
	AGX_FW_STOPPED,
};

/**
 * struct agx_fw - The firmware interface of a device.
 *
 * Locking, outer to inner: @lock (state, the receive path, the
 * handshake) → a ring's lock → @events.lock / @log_lock (spinlocks).
 */
struct agx_fw {
	/** @adev: The device. */
	struct agx_device *adev;
	/** @l: The firmware structure layout of this GPU/firmware pair. */
	const struct agxfw_layout *l;
	/** @mm: Kernel-VM object allocator. */
	struct agx_fw_memory mm;

	/** @lock: Protects @state, @needs_recovery and @stats. */
	struct mutex lock;
	/**
	 * @state: &enum agx_fw_state. Written under @lock; read without it
	 * (READ_ONCE) by the ioctl gate.
	 */
	int state;
	/** @needs_recovery: A Fault or Timeout was reported. */
	bool needs_recovery;
	/** @wq: Woken when @state changes. */
	wait_queue_head_t wq;

	/** @initdata: InitData; its VA goes into MSG_INIT. */
	struct agx_fw_mem initdata;
	/** @rtptrs: RuntimePointers. */
	struct agx_fw_mem rtptrs;
	/** @fwstatus: FwStatus (shared). */
	struct agx_fw_mem fwstatus;
	/** @globals: Copy of the bootloader's Globals blob, patched. */
	struct agx_fw_mem globals;
	/** @hwdata_a: Copy of the hw-cal-a blob. */
	struct agx_fw_mem hwdata_a;
	/** @hwdata_b: Copy of the hw-cal-b blob. */
	struct agx_fw_mem hwdata_b;
	/** @fwlog_buf: FwLog payloads. */
	struct agx_fw_mem fwlog_buf;

	/** @devctrl: DeviceControl (TX). */
	struct agx_fw_ring devctrl;
	/** @pipes: Pipe rings by priority and type (vertex, fragment, compute). */
	struct agx_fw_ring pipes[4][3];
	/** @event: Event (RX). */
	struct agx_fw_ring event;
	/** @fwlog: FwLog, six sub-rings (RX). */
	struct agx_fw_ring fwlog;
	/** @ktrace: KTrace (RX). */
	struct agx_fw_ring ktrace;
	/** @stats_ring: Stats (RX). */
	struct agx_fw_ring stats_ring;
	/** @fwctl: FWCtl (TX), described in FwStatus. */
	struct agx_fw_ring fwctl;

	/** @events: The event slots. */
	struct agx_event_mgr events;

	/** @stats: Counters for debugfs, under @lock. */
	struct {
		/** @stats.rx_doorbells: 0x42 messages. */
		u64 rx_doorbells;
		/** @stats.event_tags: Event messages by tag (9 = unknown). */
		u64 event_tags[10];
		/** @stats.ktrace: KTrace messages. */
		u64 ktrace;
		/** @stats.stats: Stats messages. */
		u64 stats;
		/** @stats.fwlog: FwLog lines. */
		u64 fwlog;
		/** @stats.fwlog_bad: Malformed FwLog messages. */
		u64 fwlog_bad;
		/** @stats.recoveries: Firmware resumed after a halt. */
		u64 recoveries;
	} stats;

	/** @log_lock: Protects @log, @log_head, @log_count. */
	spinlock_t log_lock;
	/** @log: The last firmware log lines: level digit, text. */
	char log[AGX_FW_LOG_LINES][AGX_FW_LOG_LEN];
	/** @log_head: Next line of @log to write. */
	unsigned int log_head;
	/** @log_count: Valid lines in @log. */
	unsigned int log_count;

	/** @allocated: InitData and the rings exist. */
	bool allocated;
};

int agx_fw_init(struct agx_device *adev);
int agx_fw_boot(struct agx_fw *fw);
void agx_fw_stop(struct agx_fw *fw);
void agx_fw_free(struct agx_fw *fw);
void agx_fw_deliver(struct agx_hw *hw, u8 endpoint, u64 message);
void agx_fw_crashed(struct agx_hw *hw);
void agx_fw_debugfs_init(struct agx_device *adev);
bool agx_fw_is_dead(struct agx_device *adev);
int agx_fw_devctrl_send(struct agx_fw *fw, const void *msg);
int agx_fw_devctrl_wait(struct agx_fw *fw);
int agx_fw_pipe_send(struct agx_fw *fw, unsigned int prio, unsigned int pipe,
		     const void *msg);

#endif /* AGX_FW_H */
