// SPDX-License-Identifier: MIT
/*
 * The buffer manager (tiled vertex buffer, kernel-firmware-facts.md
 * section 3.9): InitBuffer binds a BufferInfo to one of the 127 manager
 * slots; the vertex phase takes TVB pages for its binned scene from the
 * blocks the kernel published (BufferInfo.block_list / page_list,
 * BlockControl.wptr), the fragment phase gives them back; when a scene
 * does not fit, the firmware posts GrowTVB and waits for the kernel's
 * GrowTVBAck, then retries once and, if it still does not fit, renders
 * with what it has (a partial render, modelled by its counters only).
 *
 * What the kernel must provide is written down in fw/README.md; the
 * page-usage model and the wait-for-ack behaviour are ASSUMPTIONS.md
 * FW19-FW22.
 *
 * Who reads what: BufferInfo, BlockControl, Scene and BufferStats live in
 * kernel VA (context 0) and are read and written as the firmware agent;
 * the page and block lists live in the user VM (the kernel's private
 * range of it) and are read by the parameter manager, a GPU unit (dPM),
 * in the job's context, so a bad list is a GPU fault with the fault
 * registers latched.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw_priv.h"

#define TVB_PAGE_B        0x8000u   /* 32 KiB pages */
#define TVB_PAGES_PER_BLK 4u
#define TVB_BLOCK_B       (TVB_PAGE_B * TVB_PAGES_PER_BLK)

static uint32_t num_buffers(struct agxsim_fw *fw)
{
	uint32_t n = (uint32_t)agxfw_const_get(fw->l, AGXFW_C_NUM_BUFFERS);

	return n < FW_NUM_BUFFERS ? n : FW_NUM_BUFFERS;
}

/* The fields of a BufferInfo the manager works from. */
struct bm_info {
	uint64_t page_list, block_list, block_ctl, counter;
	uint32_t page_list_size, max_blocks, block_size, max_pages;
};

static int read_info(struct agxsim_fw *fw, uint64_t info_va, struct bm_info *bi,
		     char *why, size_t why_len)
{
	const struct agxfw_layout *l = fw->l;
	uint32_t sz = agxfw_sizeof(l, AGXFW_S_BufferInfo);
	uint8_t buf[0x100];

	if (!info_va || sz > sizeof(buf) || fw_read(fw, info_va, buf, sz)) {
		snprintf(why, why_len, "BufferInfo 0x%llx unreadable",
			 (unsigned long long)info_va);
		return -EFAULT;
	}
	bi->page_list = agxfw_get(l, buf, AGXFW_F_BufferInfo__page_list);
	bi->block_list = agxfw_get(l, buf, AGXFW_F_BufferInfo__block_list);
	bi->block_ctl = agxfw_get(l, buf, AGXFW_F_BufferInfo__block_ctl);
	bi->counter = agxfw_get(l, buf, AGXFW_F_BufferInfo__counter);
	bi->page_list_size = (uint32_t)agxfw_get(l, buf, AGXFW_F_BufferInfo__page_list_size);
	bi->max_blocks = (uint32_t)agxfw_get(l, buf, AGXFW_F_BufferInfo__max_blocks);
	bi->block_size = (uint32_t)agxfw_get(l, buf, AGXFW_F_BufferInfo__block_size);
	bi->max_pages = (uint32_t)agxfw_get(l, buf, AGXFW_F_BufferInfo__max_pages);

	/* The invariants the kernel's buffer set-up keeps (facts 3.9). */
	if (bi->block_size != TVB_BLOCK_B)
		snprintf(why, why_len, "block_size 0x%x, not 0x%x", bi->block_size,
			 TVB_BLOCK_B);
	else if (!bi->page_list || !bi->block_list || !bi->block_ctl || !bi->counter)
		snprintf(why, why_len, "null page_list/block_list/block_ctl/counter");
	else if ((bi->page_list | bi->block_list) & 3)
		snprintf(why, why_len, "page_list/block_list not 4-byte aligned");
	else if (!bi->max_blocks || bi->max_pages != bi->max_blocks * TVB_PAGES_PER_BLK)
		snprintf(why, why_len, "max_pages %u is not 4 x max_blocks %u",
			 bi->max_pages, bi->max_blocks);
	else if (bi->page_list_size != 4u * bi->max_pages)
		snprintf(why, why_len, "page_list_size %u is not 4 x max_pages %u",
			 bi->page_list_size, bi->max_pages);
	else
		return 0;
	return -EPROTO;
}

/* A u32 of the user-VM lists, read by the parameter manager. */
static int pm_read32(struct agxsim_fw *fw, uint32_t vm_slot, uint64_t va, uint32_t *v,
		     struct agxsim_fault *fault)
{
	return agxsim_uat_read(fw->dev->uat, vm_slot, va, v, sizeof(*v), AGXSIM_AGENT_GPU,
			       AGXSIM_UNIT_dPM, fault);
}

/*
 * Take in the blocks the kernel has published since we last looked
 * (BlockControl.wptr): each block_list[2 i] is the first page number
 * (VA >> 15) of block i, and page_list[4 i + j] must be that + j. Then
 * mirror the counts into BufferInfo (the firmware owns them while the
 * buffer is bound; the kernel writes them only while idle, facts 3.9).
 */
static int take_in_blocks(struct agxsim_fw *fw, struct fw_bm *bm, const struct bm_info *bi,
			  struct agxsim_fault *fault, char *why, size_t why_len)
{
	const struct agxfw_layout *l = fw->l;
	uint32_t wptr, total;

	if (fw_read32(fw, bi->block_ctl + agxfw_offsetof(l, AGXFW_F_BlockControl__wptr), &wptr) ||
	    fw_read32(fw, bi->block_ctl + agxfw_offsetof(l, AGXFW_F_BlockControl__total),
		      &total)) {
		snprintf(why, why_len, "BlockControl 0x%llx unreadable",
			 (unsigned long long)bi->block_ctl);
		return -EFAULT;
	}
	if (wptr > bi->max_blocks || total > bi->max_blocks) {
		snprintf(why, why_len, "BlockControl wptr %u / total %u above max_blocks %u",
			 wptr, total, bi->max_blocks);
		return -EPROTO;
	}
	if (wptr < bm->blocks) {
		snprintf(why, why_len, "BlockControl wptr went back from %u to %u (TVB shrank)",
			 bm->blocks, wptr);
		return -EPROTO;
	}
	for (uint32_t i = bm->blocks; i < wptr; i++) {
		uint32_t first;

		if (pm_read32(fw, bm->vm_slot, bi->block_list + 8ull * i, &first, fault)) {
			snprintf(why, why_len, "block_list[%u] at 0x%llx faulted", 2 * i,
				 (unsigned long long)(bi->block_list + 8ull * i));
			return -ENXIO;
		}
		if (!first) {
			snprintf(why, why_len, "block_list[%u] is 0", 2 * i);
			return -EPROTO;
		}
		for (uint32_t j = 0; j < TVB_PAGES_PER_BLK; j++) {
			uint64_t va = bi->page_list + 4ull * (TVB_PAGES_PER_BLK * i + j);
			uint32_t page;

			if (pm_read32(fw, bm->vm_slot, va, &page, fault)) {
				snprintf(why, why_len, "page_list[%u] at 0x%llx faulted",
					 TVB_PAGES_PER_BLK * i + j, (unsigned long long)va);
				return -ENXIO;
			}
			if (page != first + j) {
				snprintf(why, why_len, "page_list[%u] = 0x%x, block %u starts at "
					 "page 0x%x", TVB_PAGES_PER_BLK * i + j, page, i, first);
				return -EPROTO;
			}
			/* The page itself must be GPU-writable in the job's VM
			 * (both 16 KiB UAT pages of the 32 KiB TVB page). */
			for (uint64_t off = 0; off < TVB_PAGE_B; off += 0x4000) {
				uint64_t pa;

				if (agxsim_uat_translate(fw->dev->uat, bm->vm_slot,
							 ((uint64_t)page << 15) + off,
							 AGXSIM_ACCESS_WRITE, AGXSIM_AGENT_GPU,
							 AGXSIM_UNIT_dPM, &pa, fault)) {
					snprintf(why, why_len, "TVB page 0x%x (VA 0x%llx) is not "
						 "GPU-writable", page,
						 (unsigned long long)(((uint64_t)page << 15) + off));
					return -ENXIO;
				}
			}
		}
	}
	if (wptr != bm->blocks) {
		uint32_t pages = wptr * TVB_PAGES_PER_BLK;

		fw_log(fw, 1, "TVB slot %u: %u -> %u blocks", bm->slot, bm->blocks, wptr);
		bm->blocks = wptr;
		fw_write32(fw, bm->info_va + agxfw_offsetof(l, AGXFW_F_BufferInfo__block_count),
			   wptr);
		fw_write32(fw, bm->info_va + agxfw_offsetof(l, AGXFW_F_BufferInfo__page_count),
			   pages);
		fw_write32(fw, bm->info_va + agxfw_offsetof(l, AGXFW_F_BufferInfo__last_page),
			   pages ? pages - 1 : 0);
	}
	return 0;
}

int fw_bm_init_buffer(struct agxsim_fw *fw, uint64_t cmd_va, struct agxsim_fault *fault,
		      char *why, size_t why_len)
{
	const struct agxfw_layout *l = fw->l;
	uint8_t c[0x40];
	uint32_t sz = agxfw_sizeof(l, AGXFW_S_InitBuffer), slot, vm_slot, blocks;
	uint64_t info_va;
	struct bm_info bi;
	struct fw_bm *bm;
	int r;

	if (sz > sizeof(c) || fw_read(fw, cmd_va, c, sz)) {
		snprintf(why, why_len, "InitBuffer 0x%llx unreadable", (unsigned long long)cmd_va);
		return -EFAULT;
	}
	slot = (uint32_t)agxfw_get(l, c, AGXFW_F_InitBuffer__buffer_slot);
	vm_slot = (uint32_t)agxfw_get(l, c, AGXFW_F_InitBuffer__vm_slot);
	blocks = (uint32_t)agxfw_get(l, c, AGXFW_F_InitBuffer__block_count);
	info_va = agxfw_get(l, c, AGXFW_F_InitBuffer__buffer);
	if (slot >= num_buffers(fw) || vm_slot == 0 || vm_slot >= AGXSIM_UAT_NUM_CTX) {
		snprintf(why, why_len, "InitBuffer: buffer slot %u / vm slot %u out of range",
			 slot, vm_slot);
		return -EPROTO;
	}
	r = read_info(fw, info_va, &bi, why, why_len);
	if (r)
		return r;
	bm = &fw->bm[slot];
	if (bm->bound && bm->info_va == info_va && bm->vm_slot == vm_slot) {
		/* The same buffer again (the kernel re-sends InitBuffer after it
		 * grew the buffer): its scenes in flight keep their pages. */
	} else {
		if (bm->bound && bm->pages_used)
			fw_log(fw, 3, "InitBuffer: slot %u rebound with %u pages of scenes "
			       "in flight", slot, bm->pages_used);
		memset(bm, 0, sizeof(*bm));
		bm->slot = slot;
		bm->vm_slot = vm_slot;
		bm->info_va = info_va;
	}
	r = take_in_blocks(fw, bm, &bi, fault, why, why_len);
	if (r) {
		bm->bound = false;
		return r;
	}
	if (blocks != bm->blocks)
		fw_log(fw, 3, "InitBuffer: block_count %u, BlockControl publishes %u",
		       blocks, bm->blocks);
	bm->bound = true;
	fw_log(fw, 1, "InitBuffer: slot %u vm %u BufferInfo 0x%llx, %u blocks", slot, vm_slot,
	       (unsigned long long)info_va, bm->blocks);
	return 0;
}

struct fw_bm *fw_bm_bind(struct agxsim_fw *fw, uint32_t slot, uint32_t vm_slot,
			 uint64_t info_va, struct agxsim_fault *fault, int *err,
			 char *why, size_t why_len)
{
	struct fw_bm *bm;
	struct bm_info bi;

	*err = -EPROTO;
	if (slot >= num_buffers(fw)) {
		snprintf(why, why_len, "buffer slot %u out of range", slot);
		return NULL;
	}
	bm = &fw->bm[slot];
	if (!bm->bound) {
		snprintf(why, why_len, "buffer slot %u was never initialised (InitBuffer)", slot);
		return NULL;
	}
	if (bm->vm_slot != vm_slot || (info_va && bm->info_va != info_va)) {
		snprintf(why, why_len, "buffer slot %u is bound to BufferInfo 0x%llx in vm %u, "
			 "not 0x%llx in vm %u", slot, (unsigned long long)bm->info_va,
			 bm->vm_slot, (unsigned long long)info_va, vm_slot);
		return NULL;
	}
	*err = read_info(fw, bm->info_va, &bi, why, why_len);
	if (!*err)
		*err = take_in_blocks(fw, bm, &bi, fault, why, why_len);
	return *err ? NULL : bm;
}

static struct fw_bm_scene *scene_entry(struct fw_bm *bm, uint64_t scene_va, bool add)
{
	struct fw_bm_scene *free_e = NULL;

	for (unsigned int i = 0; i < FW_BM_SCENES; i++) {
		if (bm->scenes[i].va == scene_va && scene_va)
			return &bm->scenes[i];
		if (!bm->scenes[i].va && !free_e)
			free_e = &bm->scenes[i];
	}
	if (add && free_e) {
		memset(free_e, 0, sizeof(*free_e));
		free_e->va = scene_va;
		return free_e;
	}
	return NULL;
}

/* Scene counters and the buffer's statistics (facts 3.9). */
static void write_scene(struct agxsim_fw *fw, uint64_t scene_va, uint32_t pass_pages,
			uint32_t total_pages, bool overflow)
{
	const struct agxfw_layout *l = fw->l;
	uint64_t stats = 0;
	uint32_t reset = 0, max_pages = 0, ovf = 0;

	fw_write32(fw, scene_va + agxfw_offsetof(l, AGXFW_F_Scene__pass_page_count), pass_pages);
	fw_write32(fw, scene_va + agxfw_offsetof(l, AGXFW_F_Scene__total_page_count),
		   total_pages);
	if (fw_read64(fw, scene_va + agxfw_offsetof(l, AGXFW_F_Scene__stats), &stats) || !stats)
		return;
	if (fw_read32(fw, stats + agxfw_offsetof(l, AGXFW_F_BufferStats__reset), &reset) ||
	    fw_read32(fw, stats + agxfw_offsetof(l, AGXFW_F_BufferStats__max_pages),
		      &max_pages) ||
	    fw_read32(fw, stats + agxfw_offsetof(l, AGXFW_F_BufferStats__overflow_count), &ovf)) {
		fw_log(fw, 3, "TVB stats 0x%llx unreadable", (unsigned long long)stats);
		return;
	}
	if (reset) {
		/* The kernel asks for a new measuring period (auto_grow). */
		max_pages = 0;
		ovf = 0;
		fw_write32(fw, stats + agxfw_offsetof(l, AGXFW_F_BufferStats__reset), 0);
	}
	if (total_pages > max_pages)
		max_pages = total_pages;
	ovf += overflow;
	fw_write32(fw, stats + agxfw_offsetof(l, AGXFW_F_BufferStats__max_pages), max_pages);
	fw_write32(fw, stats + agxfw_offsetof(l, AGXFW_F_BufferStats__overflow_count), ovf);
}

int fw_bm_vertex(struct agxsim_fw *fw, struct fw_bm *bm, uint64_t scene_va, uint32_t need,
		 bool asked, char *why, size_t why_len)
{
	uint32_t avail = bm->blocks * TVB_PAGES_PER_BLK;
	uint32_t free_pages = avail > bm->pages_used ? avail - bm->pages_used : 0;
	struct fw_bm_scene *e;

	if (!scene_va) {
		snprintf(why, why_len, "RunVertex without a Scene");
		return -EPROTO;
	}
	e = scene_entry(bm, scene_va, false);
	if (e) {
		/* The same scene binned again before its fragment job: the new
		 * binning replaces the old one (the GPU model does the same). */
		bm->pages_used -= e->pages;
		free_pages += e->pages;
		memset(e, 0, sizeof(*e));
	}
	if (need > free_pages && !asked)
		return -EAGAIN;
	e = scene_entry(bm, scene_va, true);
	if (!e) {
		snprintf(why, why_len, "more than %u scenes of buffer slot %u in flight",
			 FW_BM_SCENES, bm->slot);
		return -EPROTO;
	}
	e->pages = need <= free_pages ? need : free_pages;
	e->overflowed = need > free_pages;
	bm->pages_used += e->pages;
	write_scene(fw, scene_va, e->pages, need, e->overflowed);
	if (e->overflowed) {
		bm->overflows++;
		fw_log(fw, 2, "TVB slot %u: scene needs %u pages, %u free: partial render",
		       bm->slot, need, free_pages);
	}
	return 0;
}

void fw_bm_fragment(struct agxsim_fw *fw, uint32_t slot, uint32_t vm_slot, uint64_t scene_va,
		    uint64_t overflow_count_va)
{
	struct fw_bm *bm = slot < num_buffers(fw) ? &fw->bm[slot] : NULL;
	struct fw_bm_scene *e;

	if (!bm || !bm->bound || bm->vm_slot != vm_slot ||
	    !(e = scene_entry(bm, scene_va, false))) {
		fw_log(fw, 3, "RunFragment: scene 0x%llx holds no pages of buffer slot %u",
		       (unsigned long long)scene_va, slot);
		return;
	}
	if (e->overflowed && overflow_count_va) {
		uint32_t n = 0;

		if (!fw_read32(fw, overflow_count_va, &n))
			fw_write32(fw, overflow_count_va, n + 1);
	}
	bm->pages_used -= e->pages;
	memset(e, 0, sizeof(*e));
}

void fw_bm_post_grow(struct agxsim_fw *fw, struct fw_bm *bm, uint32_t *counter)
{
	const struct agxfw_layout *l = fw->l;
	uint8_t msg[0x40] = { 0 };

	*counter = ++bm->grow_counter;
	agxfw_set(l, msg, AGXFW_F_EventGrowTVBMsg__tag, agxfw_const_get(l, AGXFW_C_EVENT_GROW_TVB));
	agxfw_set(l, msg, AGXFW_F_EventGrowTVBMsg__vm_slot, bm->vm_slot);
	agxfw_set(l, msg, AGXFW_F_EventGrowTVBMsg__buffer_slot, bm->slot);
	agxfw_set(l, msg, AGXFW_F_EventGrowTVBMsg__counter, *counter);
	fw_log(fw, 2, "GrowTVB: vm %u buffer slot %u counter %u", bm->vm_slot, bm->slot,
	       *counter);
	fw_post_event(fw, msg);
}

void fw_grow_tvb_ack(struct agxsim_fw *fw, const uint8_t *msg)
{
	const struct agxfw_layout *l = fw->l;
	uint32_t slot = (uint32_t)agxfw_get(l, msg, AGXFW_F_DcGrowTVBAck__buffer_slot);
	uint32_t vm_slot = (uint32_t)agxfw_get(l, msg, AGXFW_F_DcGrowTVBAck__vm_slot);
	uint32_t counter = (uint32_t)agxfw_get(l, msg, AGXFW_F_DcGrowTVBAck__counter);
	bool found = false;

	for (unsigned int i = 0; i < FW_MAX_QUEUES; i++) {
		struct fw_queue *q = &fw->queues[i];

		if (!q->used || !q->tvb_wait.valid || q->tvb_wait.acked ||
		    q->tvb_wait.buffer_slot != slot || q->tvb_wait.vm_slot != vm_slot ||
		    q->tvb_wait.counter != counter)
			continue;
		q->tvb_wait.acked = true;
		found = true;
	}
	if (!found)
		fw_log(fw, 3, "GrowTVBAck for vm %u slot %u counter %u matches no GrowTVB",
		       vm_slot, slot, counter);
	else
		fw_log(fw, 1, "GrowTVBAck: vm %u slot %u counter %u", vm_slot, slot, counter);
}
