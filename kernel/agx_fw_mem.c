// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The agx authors
 */

/**
 * DOC: Firmware objects in the kernel VM
 *
 * Everything the driver shares with the firmware (InitData and what hangs
 * off it, channel rings and their state blocks, later the queues'
 * structures) lives in the driver's range of the kernel half of the GPU
 * address space, in one of three heaps whose protection says who may
 * touch the memory and how it is cached:
 *
 * - private, 0xffffffa000000000..0xffffffa600000000: firmware read/write,
 *   cached. The firmware may keep stale copies in its cache, so the
 *   driver writes such objects only before the firmware first reads them
 *   (or through a channel);
 * - GPU read-only, 0xffffffa600000000..0xffffffa800000000: the same, and
 *   readable by the GPU (command structures);
 * - shared, 0xffffffa800000000..0xffffffaa00000000: uncached, for what
 *   both sides write (ring pointers, stamps, FwStatus).
 *
 * The allocator is deliberately simple: a drm_mm per heap hands out VA
 * ranges of whole 16 KiB GPU pages, each object gets its own blocks
 * (agx_block_alloc(): physically contiguous 16 KiB), mapped with
 * agx_kvm_map() and, for the CPU, with vmap() (write-combined for the
 * shared heap). Objects are few and long-lived until the queue code
 * arrives; sub-allocation can come then.
 *
 * Freeing unmaps the range from the kernel half first. Freeing a cached
 * object would need a firmware cache flush first (facts 4.5); today
 * objects are freed only when the firmware is gone (unload, failed
 * probe), after the UAT was unplugged, so the unmap is a no-op.
 */

#include <linux/err.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "agx_fw_mem.h"
#include "agx_gem.h"
#include "agx_uat.h"

static const struct {
	u64 start;
	u64 end;
	enum agx_prot prot;
} agx_fw_heaps[AGX_FW_HEAP_COUNT] = {
	[AGX_FW_HEAP_PRIV] = { 0xffffffa000000000ULL, 0xffffffa600000000ULL,
			       AGX_PROT_FW_PRIV_RW },
	[AGX_FW_HEAP_GPU_RO] = { 0xffffffa600000000ULL, 0xffffffa800000000ULL,
				 AGX_PROT_GPU_RO_FW_PRIV_RW },
	[AGX_FW_HEAP_SHARED] = { 0xffffffa800000000ULL, 0xffffffaa00000000ULL,
				 AGX_PROT_FW_SHARED_RW },
};

/**
 * agx_fw_memory_init() - Set up the heaps.
 * @mm: The allocator.
 * @uat: The UAT to map objects with.
 */
void agx_fw_memory_init(struct agx_fw_memory *mm, struct agx_uat *uat)
{
	unsigned int i;

	mm->uat = uat;
	mm->live = 0;
	mutex_init(&mm->lock);
	for (i = 0; i < AGX_FW_HEAP_COUNT; i++)
		drm_mm_init(&mm->mm[i], agx_fw_heaps[i].start,
			    agx_fw_heaps[i].end - agx_fw_heaps[i].start);
}

/**
 * agx_fw_memory_fini() - Tear the heaps down; every object must be freed.
 * @mm: The allocator.
 */
void agx_fw_memory_fini(struct agx_fw_memory *mm)
{
	unsigned int i;

	WARN_ON(mm->live);
	for (i = 0; i < AGX_FW_HEAP_COUNT; i++)
		drm_mm_takedown(&mm->mm[i]);
	mutex_destroy(&mm->lock);
}

static void agx_fw_mem_release_blocks(struct agx_fw_mem *mem)
{
	unsigned int i;

	for (i = 0; i < mem->nblocks; i++)
		if (mem->blocks[i])
			agx_block_free(mem->blocks[i]);
	kfree(mem->blocks);
	mem->blocks = NULL;
	mem->nblocks = 0;
}

/**
 * agx_fw_mem_alloc() - Allocate and map a zeroed firmware object.
 * @mm: The allocator.
 * @heap: Which heap.
 * @size: Bytes, at least 1.
 * @mem: Filled in; must be zeroed or freed.
 *
 * Return: 0 or a negative error; on error @mem is left empty.
 */
int agx_fw_mem_alloc(struct agx_fw_memory *mm, enum agx_fw_heap heap,
		     size_t size, struct agx_fw_mem *mem)
{
	unsigned int i, j, npages;
	size_t mapped = ALIGN(size, AGX_GPU_PAGE_SIZE);
	struct page **pages = NULL;
	phys_addr_t *pa = NULL;
	pgprot_t prot;
	int ret;

	if (!size || heap >= AGX_FW_HEAP_COUNT)
		return -EINVAL;
	memset(mem, 0, sizeof(*mem));
	mem->nblocks = mapped / AGX_GPU_PAGE_SIZE;
	mem->blocks = kcalloc(mem->nblocks, sizeof(*mem->blocks), GFP_KERNEL);
	npages = mem->nblocks * AGX_CPU_PAGES_PER_BLOCK;
	pages = kvmalloc_array(npages, sizeof(*pages), GFP_KERNEL);
	pa = kvmalloc_array(mem->nblocks, sizeof(*pa), GFP_KERNEL);
	if (!mem->blocks || !pages || !pa) {
		ret = -ENOMEM;
		goto err_free;
	}
	for (i = 0; i < mem->nblocks; i++) {
		mem->blocks[i] = agx_block_alloc(GFP_KERNEL);
		if (!mem->blocks[i]) {
			ret = -ENOMEM;
			goto err_free;
		}
		pa[i] = page_to_phys(mem->blocks[i]);
		for (j = 0; j < AGX_CPU_PAGES_PER_BLOCK; j++)
			pages[i * AGX_CPU_PAGES_PER_BLOCK + j] = nth_page(mem->blocks[i], j);
	}

	prot = heap == AGX_FW_HEAP_SHARED ? pgprot_writecombine(PAGE_KERNEL) : PAGE_KERNEL;
	mem->cpu = vmap(pages, npages, VM_MAP, prot);
	if (!mem->cpu) {
		ret = -ENOMEM;
		goto err_free;
	}
	memset(mem->cpu, 0, mapped);

	mutex_lock(&mm->lock);
	ret = drm_mm_insert_node_generic(&mm->mm[heap], &mem->node, mapped,
					 AGX_GPU_PAGE_SIZE, 0, DRM_MM_INSERT_BEST);
	if (!ret)
		mm->live++;
	mutex_unlock(&mm->lock);
	if (ret)
		goto err_vunmap;
	mem->va = mem->node.start;
	mem->size = size;

	ret = agx_kvm_map(mm->uat, mem->va, mapped, pa, agx_fw_heaps[heap].prot);
	if (ret)
		goto err_remove_node;

	kvfree(pa);
	kvfree(pages);
	return 0;

err_remove_node:
	mutex_lock(&mm->lock);
	drm_mm_remove_node(&mem->node);
	mm->live--;
	mutex_unlock(&mm->lock);
err_vunmap:
	vunmap(mem->cpu);
err_free:
	agx_fw_mem_release_blocks(mem);
	kvfree(pa);
	kvfree(pages);
	memset(mem, 0, sizeof(*mem));
	return ret;
}

/**
 * agx_fw_mem_free() - Unmap and free an object; an empty one is ignored.
 * @mm: The allocator.
 * @mem: The object.
 */
void agx_fw_mem_free(struct agx_fw_memory *mm, struct agx_fw_mem *mem)
{
	if (!mem->cpu)
		return;
	agx_kvm_unmap(mm->uat, mem->va, ALIGN(mem->size, AGX_GPU_PAGE_SIZE));
	mutex_lock(&mm->lock);
	drm_mm_remove_node(&mem->node);
	mm->live--;
	mutex_unlock(&mm->lock);
	vunmap(mem->cpu);
	agx_fw_mem_release_blocks(mem);
	memset(mem, 0, sizeof(*mem));
}
