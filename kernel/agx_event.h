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
 * enum agx_event_kind - Why an event slot's callback is called.
 */
enum agx_event_kind {
	/** @AGX_EVENT_SIGNAL: The firmware fired the slot: look at the stamps. */
	AGX_EVENT_SIGNAL,
	/**
	 * @AGX_EVENT_FAIL_UPTO: Work of the slot up to a stamp value failed
	 * (Fault, Timeout); the firmware still retires it after the resume.
	 */
	AGX_EVENT_FAIL_UPTO,
	/**
	 * @AGX_EVENT_SKIP_TO: A channel error: the work at a stamp value
	 * failed and the firmware skips it without writing its stamp.
	 */
	AGX_EVENT_SKIP_TO,
	/** @AGX_EVENT_FAIL_ALL: The firmware is gone: all work failed. */
	AGX_EVENT_FAIL_ALL,
};

/**
 * typedef agx_event_cb - Called when an event slot fires or fails.
 * @data: The owner's pointer given to agx_event_alloc().
 * @slot: The slot.
 * @kind: What happened.
 * @value: The stamp value for %AGX_EVENT_FAIL_UPTO and %AGX_EVENT_SKIP_TO.
 * @error: 0 for %AGX_EVENT_SIGNAL, else the error of the failed work
 *	   (-ENODEV after a firmware crash).
 *
 * Called with the manager's spinlock held, from process context: it must
 * not sleep and must not allocate or free slots.
 */
typedef void (*agx_event_cb)(void *data, unsigned int slot, enum agx_event_kind kind,
			     u32 value, int error);

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
	/**
	 * @next: Where the search for a free slot starts: slots are handed
	 * out round robin, so a freed slot is reused as late as possible
	 * (a late event for its old owner then finds it unowned).
	 */
	unsigned int next;
};

void agx_event_mgr_init(struct agx_event_mgr *mgr);
int agx_event_alloc(struct agx_event_mgr *mgr, agx_event_cb cb, void *data);
void agx_event_free(struct agx_event_mgr *mgr, unsigned int slot);
void agx_event_signal(struct agx_event_mgr *mgr, unsigned int slot);
void agx_event_fail(struct agx_event_mgr *mgr, unsigned int slot,
		    enum agx_event_kind kind, u32 value, int error);
void agx_event_fail_all(struct agx_event_mgr *mgr, int error);

#endif /* AGX_EVENT_H */
