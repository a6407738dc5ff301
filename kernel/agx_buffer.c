// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The agx authors
 */

/**
 * DOC: Tiled vertex buffer (buffer manager)
 *
 * The vertex stage of a render writes binned primitives into the tiled
 * vertex buffer (TVB): a heap of 128 KiB blocks, each four 32 KiB pages,
 * 32 KiB aligned in the GPU address space, handed to the firmware's
 * buffer manager through a BufferInfo (facts 3.9). Each queue gets one at
 * its first RENDER: a buffer-manager slot (0..126, device wide),
 * agx_initial_tvb_size blocks (module parameter initial_tvb_size, default
 * 8) in the VM's kernel window, the page list and block list (sized for
 * the maximum, 862,322,688 bytes) next to them, BufferInfo in the private
 * heap and BlockControl, counter and stats in the shared heap. The first
 * render that uses it is preceded by an InitBuffer command on the vertex
 * work queue.
 *
 * When the firmware runs out of blocks it sends GrowTVB (buffer slot,
 * counter): the buffer grows by as many blocks as it has (up to the
 * maximum and %AGX_TVB_MAX_CHUNKS steps) and the driver answers with
 * DeviceControl GrowTVBAck carrying the firmware's halt count. The buffer
 * never shrinks; it goes with the queue.
 *
 * List encoding (the buffer manager's contract, tests/sim/fw/README.md; the
 * facts give only the sizes: a u32 per page, two per block): page_list[p]
 * is page p's GPU address >> 15 (its 32 KiB page number), block_list[2 b]
 * is block b's first page number and the odd entries are unused. The
 * simulated firmware checks both (a mismatch is a ChannelError Aborted).
 */

#include <linux/slab.h>

#include <drm/drm_print.h>

#include <agxfw/agxfw_access.h>

#include "agx_buffer.h"
#include "agx_device.h"
#include "agx_fw.h"
#include "agx_gem.h"
#include "agx_queue.h"

/** agx_initial_tvb_size - TVB blocks a queue starts with (module parameter). */
unsigned int agx_initial_tvb_size = 8;
module_param_named(initial_tvb_size, agx_initial_tvb_size, uint, 0444);
MODULE_PARM_DESC(initial_tvb_size,
		 "Tiled vertex buffer blocks (128 KiB) of a queue's first render (default 8)");

/* The largest TVB (facts 3.9: macOS's size). */
#define AGX_TVB_MAX_BYTES 862322688ULL

/**
 * agx_tvb_init() - Initialize an (empty) TVB of a queue.
 * @tvb: The TVB.
 * @q: Its queue.
 */
void agx_tvb_init(struct agx_tvb *tvb, struct agx_queue *q)
{
	memset(tvb, 0, sizeof(*tvb));
	tvb->q = q;
	tvb->slot = -1;
	mutex_init(&tvb->lock);
}

/* CPU view of word @i of the lists (page list, then block list). */
static u32 *agx_tvb_list_word(struct agx_tvb *tvb, u64 i)
{
	u64 byte = i * sizeof(u32);

	return (u32 *)page_address(tvb->lists.blocks[byte / AGX_GPU_PAGE_SIZE]) +
	       (byte % AGX_GPU_PAGE_SIZE) / sizeof(u32);
}

/* Add a chunk of @n blocks; publish it in the lists and BufferInfo. */
static int agx_tvb_add_locked(struct agx_tvb *tvb, u32 n)
{
	const struct agxfw_layout *l = tvb->q->adev->fw->l;
	struct agx_vm_kmem *km;
	u32 max_pages = tvb->max_blocks * 4, i;
	u8 *ctl = tvb->shared.cpu;
	int ret;

	lockdep_assert_held(&tvb->lock);
	if (tvb->nchunks == AGX_TVB_MAX_CHUNKS || !n)
		return -ENOSPC;
	km = &tvb->chunks[tvb->nchunks];
	ret = agx_vm_kmem_alloc(tvb->q->vm, (size_t)n * AGX_TVB_BLOCK_SIZE, AGX_TVB_BLOCK_SIZE,
				km);
	if (ret)
		return ret;
	tvb->nchunks++;
	for (i = 0; i < n; i++) {
		u64 block = km->va + (u64)i * AGX_TVB_BLOCK_SIZE;
		u32 b = tvb->nblocks + i, pg;

		for (pg = 0; pg < 4; pg++)
			WRITE_ONCE(*agx_tvb_list_word(tvb, (u64)b * 4 + pg),
				   (block + pg * AGX_TVB_PAGE_SIZE) >> 15);
		/* block_list[2 b]: the block's first page number; odd entries unused. */
		WRITE_ONCE(*agx_tvb_list_word(tvb, max_pages + 2 * (u64)b), block >> 15);
	}
	tvb->nblocks += n;
	wmb(); /* list entries before the counts */
	agxfw_set(l, tvb->info.cpu, AGXFW_F_BufferInfo__page_count, tvb->nblocks * 4);
	agxfw_set(l, tvb->info.cpu, AGXFW_F_BufferInfo__block_count, tvb->nblocks);
	agxfw_set(l, ctl, AGXFW_F_BlockControl__total, tvb->nblocks);
	agxfw_set(l, ctl, AGXFW_F_BlockControl__wptr, tvb->nblocks);
	return 0;
}

static int agx_tvb_slot_get(struct agx_device *adev, struct agx_tvb *tvb)
{
	int i, slot = -EBUSY;

	spin_lock(&adev->tvb_lock);
	for (i = 0; i < ARRAY_SIZE(adev->tvbs); i++) {
		if (!adev->tvbs[i]) {
			adev->tvbs[i] = tvb;
			slot = i;
			break;
		}
	}
	spin_unlock(&adev->tvb_lock);
	return slot;
}

static void agx_tvb_grow_work(struct work_struct *work)
{
	struct agx_tvb *tvb = container_of(work, struct agx_tvb, grow_work);
	struct agx_queue *q = tvb->q;
	struct agx_fw *fw = q->adev->fw;
	const struct agxfw_layout *l = fw->l;
	u8 msg[0x80] = {};
	int ret;

	mutex_lock(&tvb->lock);
	ret = agx_tvb_add_locked(tvb, min(tvb->nblocks, tvb->max_blocks - tvb->nblocks));
	if (ret)
		drm_warn(&q->adev->drm, "queue %u: TVB of %u blocks cannot grow: %d\n", q->id,
			 tvb->nblocks, ret);
	else
		tvb->grows++;
	agxfw_set(l, msg, AGXFW_F_DcGrowTVBAck__tag, agxfw_const_get(l, AGXFW_C_DC_GROW_TVB_ACK));
	agxfw_set(l, msg, AGXFW_F_DcGrowTVBAck__unk_4, 1);
	agxfw_set(l, msg, AGXFW_F_DcGrowTVBAck__buffer_slot, tvb->slot);
	agxfw_set(l, msg, AGXFW_F_DcGrowTVBAck__vm_slot, q->vm_slot);
	agxfw_set(l, msg, AGXFW_F_DcGrowTVBAck__counter, tvb->grow_counter);
	agxfw_set(l, msg, AGXFW_F_DcGrowTVBAck__subpipe, 0);
	agxfw_set(l, msg, AGXFW_F_DcGrowTVBAck__halt_count,
		  agxfw_get(l, fw->fwstatus.cpu, AGXFW_F_FwStatus__flags__halt_count));
	mutex_unlock(&tvb->lock);
	ret = agx_fw_devctrl_send(fw, msg);
	if (ret)
		drm_err(&q->adev->drm, "queue %u: GrowTVBAck failed: %d\n", q->id, ret);
}

/**
 * agx_tvb_grow_event() - The firmware asked for a bigger TVB (GrowTVB).
 * @adev: The device.
 * @buffer_slot: The buffer-manager slot named.
 * @counter: The event's counter, echoed in GrowTVBAck.
 *
 * Called from the receive path: the growth runs in a work item.
 */
void agx_tvb_grow_event(struct agx_device *adev, u32 buffer_slot, u32 counter)
{
	struct agx_tvb *tvb = NULL;

	spin_lock(&adev->tvb_lock);
	if (buffer_slot < ARRAY_SIZE(adev->tvbs))
		tvb = adev->tvbs[buffer_slot];
	if (tvb) {
		tvb->grow_counter = counter;
		queue_work(system_wq, &tvb->grow_work);
	}
	spin_unlock(&adev->tvb_lock);
	if (!tvb)
		drm_warn(&adev->drm, "GrowTVB for unused buffer slot %u\n", buffer_slot);
}

/**
 * agx_tvb_prepare() - Make sure a queue's TVB exists (first RENDER).
 * @tvb: The TVB.
 *
 * Return: 0, -EBUSY when all buffer-manager slots are used, -ENOSPC,
 * -ENOENT for a dead VM, or -ENOMEM.
 */
int agx_tvb_prepare(struct agx_tvb *tvb)
{
	struct agx_queue *q = tvb->q;
	struct agx_device *adev = q->adev;
	struct agx_fw *fw = adev->fw;
	const struct agxfw_layout *l = fw->l;
	u32 ctl_sz = ALIGN(agxfw_sizeof(l, AGXFW_S_BlockControl), 0x80);
	u32 cnt_sz = ALIGN(agxfw_sizeof(l, AGXFW_S_BufferCounter), 0x80);
	u32 max_pages;
	u8 *info;
	int ret;

	mutex_lock(&tvb->lock);
	if (tvb->ready) {
		mutex_unlock(&tvb->lock);
		return 0;
	}
	tvb->max_blocks = AGX_TVB_MAX_BYTES / AGX_TVB_BLOCK_SIZE;
	max_pages = tvb->max_blocks * 4;
	ret = agx_fw_mem_alloc(&fw->mm, AGX_FW_HEAP_PRIV, agxfw_sizeof(l, AGXFW_S_BufferInfo),
			       &tvb->info);
	if (ret)
		goto err_unlock;
	ret = agx_fw_mem_alloc(&fw->mm, AGX_FW_HEAP_SHARED,
			       ctl_sz + cnt_sz + agxfw_sizeof(l, AGXFW_S_BufferStats),
			       &tvb->shared);
	if (ret)
		goto err_free_info;
	/* Page list (a word per page), then block list (two words per block). */
	ret = agx_vm_kmem_alloc(q->vm, (size_t)(max_pages + 2 * tvb->max_blocks) * sizeof(u32),
				AGX_GPU_PAGE_SIZE, &tvb->lists);
	if (ret)
		goto err_free_shared;
	tvb->stats_va = tvb->shared.va + ctl_sz + cnt_sz;

	info = tvb->info.cpu;
	agxfw_set(l, info, AGXFW_F_BufferInfo__page_list, tvb->lists.va);
	agxfw_set(l, info, AGXFW_F_BufferInfo__page_list_size, max_pages * sizeof(u32));
	agxfw_set(l, info, AGXFW_F_BufferInfo__max_blocks, tvb->max_blocks);
	agxfw_set(l, info, AGXFW_F_BufferInfo__block_list,
		  tvb->lists.va + (u64)max_pages * sizeof(u32));
	agxfw_set(l, info, AGXFW_F_BufferInfo__block_ctl, tvb->shared.va);
	agxfw_set(l, info, AGXFW_F_BufferInfo__counter, tvb->shared.va + ctl_sz);
	agxfw_set(l, info, AGXFW_F_BufferInfo__block_size, AGX_TVB_BLOCK_SIZE);
	agxfw_set(l, info, AGXFW_F_BufferInfo__unk_80, 1);
	agxfw_set(l, info, AGXFW_F_BufferInfo__max_pages, max_pages);
	agxfw_set(l, info, AGXFW_F_BufferInfo__max_pages_nomemless, max_pages);

	ret = agx_tvb_add_locked(tvb, clamp(agx_initial_tvb_size, 1U, tvb->max_blocks));
	if (ret)
		goto err_free_lists;
	ret = agx_tvb_slot_get(adev, tvb);
	if (ret < 0)
		goto err_free_chunks;
	tvb->slot = ret;
	INIT_WORK(&tvb->grow_work, agx_tvb_grow_work);
	tvb->ready = true;
	mutex_unlock(&tvb->lock);
	return 0;

err_free_chunks:
	while (tvb->nchunks)
		agx_vm_kmem_free(&tvb->chunks[--tvb->nchunks]);
	tvb->nblocks = 0;
err_free_lists:
	agx_vm_kmem_free(&tvb->lists);
err_free_shared:
	agx_fw_mem_free(&fw->mm, &tvb->shared);
err_free_info:
	agx_fw_mem_free(&fw->mm, &tvb->info);
err_unlock:
	mutex_unlock(&tvb->lock);
	return ret;
}

/**
 * agx_tvb_fini() - Free a queue's TVB (the firmware is done with it).
 * @tvb: The TVB.
 */
void agx_tvb_fini(struct agx_tvb *tvb)
{
	struct agx_device *adev = tvb->q->adev;
	struct agx_fw *fw = adev->fw;

	if (!tvb->ready)
		goto out;
	spin_lock(&adev->tvb_lock);
	adev->tvbs[tvb->slot] = NULL;
	spin_unlock(&adev->tvb_lock);
	cancel_work_sync(&tvb->grow_work);
	while (tvb->nchunks)
		agx_vm_kmem_free(&tvb->chunks[--tvb->nchunks]);
	agx_vm_kmem_free(&tvb->lists);
	agx_fw_mem_free(&fw->mm, &tvb->shared);
	agx_fw_mem_free(&fw->mm, &tvb->info);
	tvb->ready = false;
out:
	mutex_destroy(&tvb->lock);
}
