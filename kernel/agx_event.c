// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The agx authors
 */

/**
 * DOC: Event slots
 *
 * The firmware reports progress of work through 128 event slots: a work
 * queue is given a slot when it starts running, the firmware marks the
 * slot when a stamp of that queue is written, and an Event "Flag" message
 * carries a 128-bit bitmap of the slots that fired since the last one.
 * The driver then looks at the stamps of the slot's owner to see what
 * completed.
 *
 * This file is only the allocator and the dispatch: agx_event_alloc()
 * hands out a free slot with a callback, agx_event_signal() calls the
 * callback of a slot named by the firmware (a slot nobody owns is counted
 * and otherwise ignored: the firmware's bitmap is not trusted),
 * agx_event_fail() reports failed work of one slot (Fault, Timeout and
 * channel errors, see agx_fw.c), and agx_event_fail_all() calls every
 * callback with an error when the firmware is gone. The queue code
 * (agx_queue.c) is the user.
 */

#include <linux/bitmap.h>
#include <linux/errno.h>
#include <linux/spinlock.h>

#include "agx_event.h"

/**
 * agx_event_mgr_init() - Initialize an event slot manager: all slots free.
 * @mgr: The manager.
 */
void agx_event_mgr_init(struct agx_event_mgr *mgr)
{
	spin_lock_init(&mgr->lock);
	bitmap_zero(mgr->used, AGX_EVENT_SLOTS);
	mgr->signals = 0;
	mgr->spurious = 0;
	mgr->next = 0;
}

/**
 * agx_event_alloc() - Take a free event slot.
 * @mgr: The manager.
 * @cb: Called when the slot fires or fails.
 * @data: Passed to @cb.
 *
 * Return: The slot number, or -EBUSY when all slots are taken.
 */
int agx_event_alloc(struct agx_event_mgr *mgr, agx_event_cb cb, void *data)
{
	unsigned long slot;

	spin_lock(&mgr->lock);
	slot = find_next_zero_bit(mgr->used, AGX_EVENT_SLOTS, mgr->next);
	if (slot >= AGX_EVENT_SLOTS)
		slot = find_first_zero_bit(mgr->used, AGX_EVENT_SLOTS);
	if (slot >= AGX_EVENT_SLOTS) {
		spin_unlock(&mgr->lock);
		return -EBUSY;
	}
	mgr->next = (slot + 1) % AGX_EVENT_SLOTS;
	__set_bit(slot, mgr->used);
	mgr->cb[slot] = cb;
	mgr->data[slot] = data;
	spin_unlock(&mgr->lock);
	return slot;
}

/**
 * agx_event_free() - Give a slot back.
 * @mgr: The manager.
 * @slot: A slot from agx_event_alloc().
 *
 * The callback is not called after this returns.
 */
void agx_event_free(struct agx_event_mgr *mgr, unsigned int slot)
{
	if (WARN_ON(slot >= AGX_EVENT_SLOTS))
		return;
	spin_lock(&mgr->lock);
	WARN_ON(!test_bit(slot, mgr->used));
	__clear_bit(slot, mgr->used);
	mgr->cb[slot] = NULL;
	mgr->data[slot] = NULL;
	spin_unlock(&mgr->lock);
}

/**
 * agx_event_signal() - The firmware says @slot fired.
 * @mgr: The manager.
 * @slot: Slot number from the firmware: any value, checked here.
 */
void agx_event_signal(struct agx_event_mgr *mgr, unsigned int slot)
{
	spin_lock(&mgr->lock);
	if (slot < AGX_EVENT_SLOTS && test_bit(slot, mgr->used)) {
		mgr->signals++;
		mgr->cb[slot](mgr->data[slot], slot, AGX_EVENT_SIGNAL, 0, 0);
	} else {
		mgr->spurious++;
	}
	spin_unlock(&mgr->lock);
}

/**
 * agx_event_fail() - Fail work behind one slot (Fault, Timeout, channel error).
 * @mgr: The manager.
 * @slot: The slot the firmware named; an unowned slot is counted as spurious.
 * @kind: %AGX_EVENT_FAIL_UPTO or %AGX_EVENT_SKIP_TO.
 * @value: The stamp value of the failed work.
 * @error: Negative error for the failed work.
 */
void agx_event_fail(struct agx_event_mgr *mgr, unsigned int slot,
		    enum agx_event_kind kind, u32 value, int error)
{
	spin_lock(&mgr->lock);
	if (slot < AGX_EVENT_SLOTS && test_bit(slot, mgr->used))
		mgr->cb[slot](mgr->data[slot], slot, kind, value, error);
	else
		mgr->spurious++;
	spin_unlock(&mgr->lock);
}

/**
 * agx_event_fail_all() - Fail the work behind every allocated slot.
 * @mgr: The manager.
 * @error: Negative error passed to the callbacks.
 */
void agx_event_fail_all(struct agx_event_mgr *mgr, int error)
{
	unsigned int slot;

	spin_lock(&mgr->lock);
	for_each_set_bit(slot, mgr->used, AGX_EVENT_SLOTS)
		mgr->cb[slot](mgr->data[slot], slot, AGX_EVENT_FAIL_ALL, 0, error);
	spin_unlock(&mgr->lock);
}
