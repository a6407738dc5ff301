// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The agx authors
 */

/**
 * DOC: Firmware channels
 *
 * The driver and the firmware exchange messages through rings in shared
 * memory (facts 2.3). Each ring has a state block with a read pointer and
 * a write pointer, both message indices modulo the ring's entry count; a
 * ring is empty when they are equal and full when advancing the write
 * pointer would make them equal.
 *
 * Driver to firmware (TX: DeviceControl, the twelve pipe rings, FWCtl):
 * the driver keeps its write pointer in &agx_fw_ring.ptr, copies the
 * message into the slot, orders the copy before the pointer with a write
 * barrier and stores the pointer; the firmware is told through a doorbell
 * (agx_fw.c). The firmware's read pointer is read only to see whether the
 * ring is full or the firmware has caught up.
 *
 * Firmware to driver (RX: Event, FwLog's six sub-rings, KTrace, Stats):
 * the driver keeps its read pointer, reads the firmware's write pointer,
 * orders that read before reading the message, copies the message out
 * and stores the advanced read pointer.
 *
 * Everything read from the state block is firmware data: a pointer
 * beyond the ring is reported with -EIO and never used as an index, and
 * messages are copied out of shared memory before they are looked at, so
 * the firmware cannot change them while they are validated.
 *
 * Each ring has its own mutex (&agx_fw_ring.lock); the _locked functions
 * assert it with lockdep. Callers hold &agx_fw.lock around it.
 */

#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/lockdep.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include <asm/barrier.h>

#include "agx_fw_channel.h"

static u32 *agx_fw_ring_state_u32(struct agx_fw_ring *r, unsigned int sub, u32 off)
{
	return (u32 *)((u8 *)r->state.cpu + sub * r->state_stride + off);
}

/**
 * agx_fw_ring_init() - Allocate a ring and its state block(s).
 * @mm: The firmware object allocator.
 * @r: The ring, zeroed.
 * @desc: Its shape.
 *
 * Return: 0 or a negative error; nothing is left allocated on error.
 */
int agx_fw_ring_init(struct agx_fw_memory *mm, struct agx_fw_ring *r,
		     const struct agx_fw_ring_desc *desc)
{
	int ret;

	if (!desc->nsub || desc->nsub > AGX_FW_RING_MAX_SUB || desc->count < 2 ||
	    !desc->msg_size || !desc->state_size ||
	    desc->rptr_off + sizeof(u32) > desc->state_size ||
	    desc->wptr_off + sizeof(u32) > desc->state_size ||
	    (desc->rptr_off | desc->wptr_off | desc->state_size) & 3)
		return -EINVAL;

	r->name = desc->name;
	r->tx = desc->tx;
	r->nsub = desc->nsub;
	r->count = desc->count;
	r->msg_size = desc->msg_size;
	r->state_stride = desc->state_size;
	r->rptr_off = desc->rptr_off;
	r->wptr_off = desc->wptr_off;
	mutex_init(&r->lock);

	ret = agx_fw_mem_alloc(mm, AGX_FW_HEAP_SHARED,
			       (size_t)desc->state_size * desc->nsub, &r->state);
	if (ret)
		return ret;
	ret = agx_fw_mem_alloc(mm, desc->ring_heap,
			       (size_t)desc->count * desc->msg_size * desc->nsub,
			       &r->ring);
	if (ret) {
		agx_fw_mem_free(mm, &r->state);
		return ret;
	}
	return 0;
}

/**
 * agx_fw_ring_fini() - Free a ring (an uninitialized, zeroed one too).
 * @mm: The firmware object allocator.
 * @r: The ring.
 */
void agx_fw_ring_fini(struct agx_fw_memory *mm, struct agx_fw_ring *r)
{
	agx_fw_mem_free(mm, &r->ring);
	agx_fw_mem_free(mm, &r->state);
}

/**
 * agx_fw_ring_fw_ptr() - The firmware-side pointer of a sub-ring, as found.
 * @r: The ring.
 * @sub: The sub-ring.
 * @write: The write pointer (else the read pointer).
 *
 * Return: The raw value: not validated.
 */
u32 agx_fw_ring_fw_ptr(struct agx_fw_ring *r, unsigned int sub, bool write)
{
	if (!r->state.cpu || sub >= r->nsub)
		return 0;
	return READ_ONCE(*agx_fw_ring_state_u32(r, sub, write ? r->wptr_off : r->rptr_off));
}

/**
 * agx_fw_ring_put_locked() - Write one message to a TX ring.
 * @r: The ring; its lock held.
 * @msg: The message.
 * @len: Its length, at most the ring's message size; the rest of the
 *	 slot is zeroed.
 *
 * Return: 0; -EBUSY if the ring is full; -EIO if the firmware's read
 * pointer is out of range (a firmware error); -EINVAL for a bad @len.
 */
int agx_fw_ring_put_locked(struct agx_fw_ring *r, const void *msg, size_t len)
{
	u32 fw_rptr, next;
	u8 *slot;

	lockdep_assert_held(&r->lock);
	if (WARN_ON(!r->tx || len > r->msg_size))
		return -EINVAL;

	fw_rptr = agx_fw_ring_fw_ptr(r, 0, false);
	if (fw_rptr >= r->count) {
		r->bad++;
		return -EIO;
	}
	next = (r->ptr[0] + 1) % r->count;
	if (next == fw_rptr)
		return -EBUSY;

	slot = (u8 *)r->ring.cpu + (size_t)r->ptr[0] * r->msg_size;
	memcpy(slot, msg, len);
	memset(slot + len, 0, r->msg_size - len);
	/* The message before the pointer that publishes it. */
	wmb();
	r->ptr[0] = next;
	WRITE_ONCE(*agx_fw_ring_state_u32(r, 0, r->wptr_off), next);
	r->msgs++;
	return 0;
}

/**
 * agx_fw_ring_get_locked() - Take one message from an RX (sub-)ring.
 * @r: The ring; its lock held.
 * @sub: The sub-ring.
 * @msg: Buffer of the ring's message size.
 *
 * Return: 1 with a message copied, 0 if the ring is empty, -EIO if the
 * firmware's write pointer is out of range (a firmware error).
 */
int agx_fw_ring_get_locked(struct agx_fw_ring *r, unsigned int sub, void *msg)
{
	u32 wptr, rptr;

	lockdep_assert_held(&r->lock);
	if (WARN_ON(r->tx || sub >= r->nsub))
		return -EINVAL;

	wptr = agx_fw_ring_fw_ptr(r, sub, true);
	if (wptr >= r->count) {
		r->bad++;
		return -EIO;
	}
	rptr = r->ptr[sub];
	if (wptr == rptr)
		return 0;
	/* The write pointer before the message it publishes. */
	rmb();
	memcpy(msg, (u8 *)r->ring.cpu + ((size_t)sub * r->count + rptr) * r->msg_size,
	       r->msg_size);
	/* Done with the slot before handing it back. */
	mb();
	r->ptr[sub] = (rptr + 1) % r->count;
	WRITE_ONCE(*agx_fw_ring_state_u32(r, sub, r->rptr_off), r->ptr[sub]);
	r->msgs++;
	return 1;
}

/**
 * agx_fw_ring_show() - Print a ring's pointers for debugfs.
 * @r: The ring.
 * @m: The file.
 *
 * One line per sub-ring: name[sub], VA of the state and ring, the
 * driver's pointer, the firmware-side read and write pointers as found
 * in the state block, the message count and the invalid pointers seen.
 */
void agx_fw_ring_show(struct agx_fw_ring *r, struct seq_file *m)
{
	unsigned int sub;

	mutex_lock(&r->lock);
	for (sub = 0; sub < r->nsub; sub++)
		seq_printf(m, "%-14s %u %s count %u state %#llx ring %#llx %s %u rptr %u wptr %u msgs %llu bad %llu\n",
			   r->name, sub, r->tx ? "tx" : "rx", r->count, r->state.va,
			   r->ring.va, r->tx ? "driver_wptr" : "driver_rptr",
			   r->ptr[sub], agx_fw_ring_fw_ptr(r, sub, false),
			   agx_fw_ring_fw_ptr(r, sub, true), r->msgs, r->bad);
	mutex_unlock(&r->lock);
}
