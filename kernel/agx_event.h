/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The agx authors
 */
#ifndef AGX_EVENT_H
#define AGX_EVENT_H

#include <linux/bitmap.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/** define AGX_EVENT_SLOTS - Event slots of the firmware (a 128-bit bitmap). */
#define AGX_EVENT_SLOTS 128

/**
 * typedef agx_event_cb - Called when an event slot fires or fails.
 * @data: The owner's pointer given to agx_event_alloc().
 * @slot: The slot.
 * @error: 0 when the firmware signalled the slot; a negative error when
 *	   all work is failed (-ENODEV after a firmware crash).
 *
 * Called with the manager's spinlock held, from process context: it must
 * not sleep and must not allocate or free slots.
 */
typedef void (*agx_event_cb)(void *data, unsigned int slot, int error);

/**
 * struct agx_event_mgr - The firmware's event slots.
 */
struct agx_event_mgr {
	/**
	 * @lock: Lock protecting @used, @cb, @data and @stats; callbacks run
	 * under it.
	 */
	spinlock_t lock;
	/** @used: Allocated slots. */
	DECLARE_BITMAP(used, AGX_EVENT_SLOTS);
	/** @cb: Callback of each allocated slot. */
	agx_event_cb cb[AGX_EVENT_SLOTS];
	/** @data: Callback argument of each allocated slot. */
	void *data[AGX_EVENT_SLOTS];
	/** @signals: Signals delivered to an allocated slot. */
	u64 signals;
	/** @spurious: Signals for a slot nobody owns. */
	u64 spurious;
};

void agx_event_mgr_init(struct agx_event_mgr *mgr);
int agx_event_alloc(struct agx_event_mgr *mgr, agx_event_cb cb, void *data);
void agx_event_free(struct agx_event_mgr *mgr, unsigned int slot);
void agx_event_signal(struct agx_event_mgr *mgr, unsigned int slot);
void agx_event_fail_all(struct agx_event_mgr *mgr, int error);

#endif /* AGX_EVENT_H */
