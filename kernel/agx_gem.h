/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The agx authors
 */
#ifndef AGX_GEM_H
#define AGX_GEM_H

#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/types.h>

#include <drm/drm_gem.h>

struct agx_device;
struct dma_buf_attachment;
struct sg_table;

/** define AGX_GPU_PAGE_SHIFT - log2 of the GPU page size (16 KiB). */
#define AGX_GPU_PAGE_SHIFT 14
/** define AGX_GPU_PAGE_SIZE - The GPU page size, which is also the block size. */
#define AGX_GPU_PAGE_SIZE (1UL << AGX_GPU_PAGE_SHIFT)
/** define AGX_GPU_PAGE_MASK - Offset bits inside one GPU page. */
#define AGX_GPU_PAGE_MASK (AGX_GPU_PAGE_SIZE - 1)
/** define AGX_CPU_PAGES_PER_BLOCK - CPU pages in one 16 KiB block (4 or 1). */
#define AGX_CPU_PAGES_PER_BLOCK (AGX_GPU_PAGE_SIZE >> PAGE_SHIFT)

/** define AGX_GEM_MAX_SIZE - Largest object: the size of the user VA half. */
#define AGX_GEM_MAX_SIZE (1ULL << 39)

static_assert(PAGE_SIZE <= AGX_GPU_PAGE_SIZE, "CPU pages above 16 KiB are not supported");

/**
 * struct agx_bo - A GEM object backed by 16 KiB blocks.
 */
struct agx_bo {
	/** @base: The GEM object. */
	struct drm_gem_object base;

	/** @flags: DRM_ASAHI_GEM_* flags of its creation. */
	u32 flags;

	/** @num_blocks: Size in 16 KiB GPU pages. */
	size_t num_blocks;

	/**
	 * @pages: The CPU pages of an object of ours, block after block; a
	 * block's first page is @pages[i * AGX_CPU_PAGES_PER_BLOCK]. NULL for
	 * an imported object.
	 */
	struct page **pages;

	/**
	 * @block_pa: Physical address of each 16 KiB GPU page. Filled for
	 * both our own and imported objects; this is what the UAT maps.
	 */
	phys_addr_t *block_pa;

	/** @sgt: The mapping of an imported object's attachment. */
	struct sg_table *sgt;

	/**
	 * @vm_root: For a VM_PRIVATE object, a reference to the VM's
	 * reservation object, whose dma_resv this object shares.
	 */
	struct drm_gem_object *vm_root;

	/** @vaddr: Kernel mapping while @vmap_count > 0; under the resv lock. */
	void *vaddr;
	/** @vmap_count: vmap() users; under the resv lock. */
	unsigned int vmap_count;
};

static inline struct agx_bo *to_agx_bo(struct drm_gem_object *obj)
{
	return container_of(obj, struct agx_bo, base);
}

struct page *agx_block_alloc(gfp_t gfp);
void agx_block_free(struct page *block);

struct agx_bo *agx_bo_create(struct agx_device *adev, size_t size, u32 flags,
			     struct drm_gem_object *vm_root);

struct drm_gem_object *
agx_gem_prime_import_sg_table(struct drm_device *drm,
			      struct dma_buf_attachment *attach,
			      struct sg_table *sgt);

int agx_ioctl_gem_create(struct drm_device *drm, void *data,
			 struct drm_file *file);
int agx_ioctl_gem_mmap_offset(struct drm_device *drm, void *data,
			      struct drm_file *file);

#endif /* AGX_GEM_H */
