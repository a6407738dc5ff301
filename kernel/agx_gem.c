// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The agx authors
 */

/**
 * DOC: GEM objects in 16 KiB blocks
 *
 * The GPU's page is 16 KiB: one UAT leaf entry maps 16 KiB of physically
 * contiguous memory starting at a 16 KiB boundary. The CPU's page is 4 KiB
 * on the x86 test-bed and 16 KiB on Apple machines, and the driver must
 * work on both.
 *
 * shmem cannot promise such blocks on a 4 KiB kernel: Linux 6.12 gives a
 * tmpfs file order-0 pages unless a huge page happens to be available, and
 * the helpers that would let a driver mount its own tuned shmem instance
 * appeared after 6.12 (docs/decisions.md has the evidence). So an agx
 * object owns its memory directly: an array of 16 KiB blocks, each one
 * alloc_pages() of order get_order(SZ_16K) - order 2 on a 4 KiB kernel,
 * order 0 on a 16 KiB kernel, through the same code. Each block is split
 * into independent CPU pages right away, so the pages can be inserted into
 * user mappings and freed one by one like any order-0 page.
 *
 * Everything else is the DRM core's: the object is a &drm_gem_object made
 * with drm_gem_private_object_init() (there is no shmem file), mmap goes
 * through drm_gem_mmap() and a fault handler that inserts one CPU page at a
 * time, PRIME export uses drm_gem_prime_export() with an sg_table built
 * from the blocks, and PRIME import uses drm_gem_prime_import() with a
 * check that the foreign memory is made of 16 KiB blocks too.
 *
 * CPU mappings (mmap and vmap) are write-combined, or write-back when the
 * object was created with %DRM_ASAHI_GEM_WRITEBACK.
 *
 * A %DRM_ASAHI_GEM_VM_PRIVATE object shares the dma_resv of its VM (the
 * VM's drm_gpuvm reservation object, which it keeps a reference to), so
 * locking the VM locks all its private objects; such an object cannot be
 * exported.
 *
 * Page-table pages come from the same block allocator (agx_block_alloc()).
 */

#include <linux/dma-buf.h>
#include <linux/dma-resv.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_prime.h>
#include <drm/drm_print.h>
#include <drm/drm_vma_manager.h>

#include <drm/asahi_drm.h>

#include "agx_device.h"
#include "agx_gem.h"
#include "agx_vm.h"

/* dma_buf_mmap() and dma_buf_vmap() for imported objects. */
MODULE_IMPORT_NS(DMA_BUF);

#define AGX_BLOCK_ORDER get_order(AGX_GPU_PAGE_SIZE)

#define AGX_GEM_KNOWN_FLAGS (DRM_ASAHI_GEM_WRITEBACK | DRM_ASAHI_GEM_VM_PRIVATE)

/**
 * agx_block_alloc() - Allocate one zeroed 16 KiB block.
 * @gfp: Allocation flags; __GFP_ZERO is added.
 *
 * The block is physically contiguous and 16 KiB aligned (a buddy block of
 * that order is aligned to its size). It is split into order-0 pages.
 *
 * Return: The block's first page, or NULL.
 */
struct page *agx_block_alloc(gfp_t gfp)
{
	struct page *page = alloc_pages(gfp | __GFP_ZERO, AGX_BLOCK_ORDER);

	if (page)
		split_page(page, AGX_BLOCK_ORDER);
	return page;
}

/**
 * agx_block_free() - Free a block from agx_block_alloc().
 * @block: Its first page.
 */
void agx_block_free(struct page *block)
{
	unsigned int i;

	for (i = 0; i < AGX_CPU_PAGES_PER_BLOCK; i++)
		__free_page(nth_page(block, i));
}

static pgprot_t agx_bo_pgprot(struct agx_bo *bo, pgprot_t prot)
{
	if (bo->flags & DRM_ASAHI_GEM_WRITEBACK)
		return prot;
	return pgprot_writecombine(prot);
}

static void agx_bo_free_pages(struct agx_bo *bo)
{
	size_t i;

	if (!bo->pages)
		return;
	for (i = 0; i < bo->num_blocks; i++) {
		struct page *block = bo->pages[i * AGX_CPU_PAGES_PER_BLOCK];

		if (block)
			agx_block_free(block);
	}
	kvfree(bo->pages);
	bo->pages = NULL;
}

static void agx_gem_free(struct drm_gem_object *obj)
{
	struct agx_bo *bo = to_agx_bo(obj);
	struct agx_device *adev = to_agx_device(obj->dev);

	drm_WARN_ON(obj->dev, bo->vmap_count);

	if (obj->import_attach)
		drm_prime_gem_destroy(obj, bo->sgt);
	else
		agx_bo_free_pages(bo);
	kvfree(bo->block_pa);

	drm_gem_object_release(obj);
	/* After the release: it may still use the shared dma_resv. */
	if (bo->vm_root)
		drm_gem_object_put(bo->vm_root);
	kfree(bo);
	atomic_dec(&adev->stats.bos);
}

static struct sg_table *agx_gem_get_sg_table(struct drm_gem_object *obj)
{
	struct agx_bo *bo = to_agx_bo(obj);
	struct scatterlist *sg;
	struct sg_table *sgt;
	size_t i;
	int ret;

	if (drm_WARN_ON(obj->dev, !bo->pages))
		return ERR_PTR(-EINVAL);

	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	if (!sgt)
		return ERR_PTR(-ENOMEM);
	ret = sg_alloc_table(sgt, bo->num_blocks, GFP_KERNEL);
	if (ret) {
		kfree(sgt);
		return ERR_PTR(ret);
	}
	for_each_sgtable_sg(sgt, sg, i)
		sg_set_page(sg, bo->pages[i * AGX_CPU_PAGES_PER_BLOCK],
			    AGX_GPU_PAGE_SIZE, 0);
	return sgt;
}

static struct dma_buf *agx_gem_export(struct drm_gem_object *obj, int flags)
{
	struct agx_bo *bo = to_agx_bo(obj);

	if (bo->flags & DRM_ASAHI_GEM_VM_PRIVATE) {
		drm_dbg(obj->dev, "export: object is VM-private\n");
		return ERR_PTR(-EINVAL);
	}
	return drm_gem_prime_export(obj, flags);
}

static int agx_gem_vmap(struct drm_gem_object *obj, struct iosys_map *map)
{
	struct agx_bo *bo = to_agx_bo(obj);
	void *vaddr;

	dma_resv_assert_held(obj->resv);

	if (obj->import_attach)
		return dma_buf_vmap(obj->import_attach->dmabuf, map);

	if (!bo->vmap_count) {
		vaddr = vmap(bo->pages, obj->size >> PAGE_SHIFT, VM_MAP,
			     agx_bo_pgprot(bo, PAGE_KERNEL));
		if (!vaddr)
			return -ENOMEM;
		bo->vaddr = vaddr;
	}
	bo->vmap_count++;
	iosys_map_set_vaddr(map, bo->vaddr);
	return 0;
}

static void agx_gem_vunmap(struct drm_gem_object *obj, struct iosys_map *map)
{
	struct agx_bo *bo = to_agx_bo(obj);

	dma_resv_assert_held(obj->resv);

	if (obj->import_attach) {
		dma_buf_vunmap(obj->import_attach->dmabuf, map);
		return;
	}
	if (drm_WARN_ON(obj->dev, !bo->vmap_count))
		return;
	if (--bo->vmap_count == 0) {
		vunmap(bo->vaddr);
		bo->vaddr = NULL;
	}
}

static vm_fault_t agx_gem_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct agx_bo *bo = to_agx_bo(vma->vm_private_data);
	unsigned long idx;

	/* vm_pgoff carries the fake mmap offset; go by the address. */
	idx = (vmf->address - vma->vm_start) >> PAGE_SHIFT;
	if (idx >= bo->base.size >> PAGE_SHIFT)
		return VM_FAULT_SIGBUS;
	return vmf_insert_page(vma, vmf->address, bo->pages[idx]);
}

static const struct vm_operations_struct agx_gem_vm_ops = {
	.fault = agx_gem_fault,
	.open = drm_gem_vm_open,
	.close = drm_gem_vm_close,
};

static int agx_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	struct agx_bo *bo = to_agx_bo(obj);
	int ret;

	if (obj->import_attach) {
		/*
		 * The exporter maps it. drm_gem_mmap_obj() took a reference
		 * for vm_private_data, which dma_buf_mmap() replaces with its
		 * own file.
		 */
		vma->vm_private_data = NULL;
		ret = dma_buf_mmap(obj->import_attach->dmabuf, vma, 0);
		if (!ret)
			drm_gem_object_put(obj);
		return ret;
	}

	/* A private (copy-on-write) mapping of device memory makes no sense. */
	if (is_cow_mapping(vma->vm_flags))
		return -EINVAL;

	vm_flags_set(vma, VM_MIXEDMAP | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_page_prot = agx_bo_pgprot(bo, vm_get_page_prot(vma->vm_flags));
	vma->vm_ops = &agx_gem_vm_ops;
	return 0;
}

static const struct drm_gem_object_funcs agx_gem_funcs = {
	.free = agx_gem_free,
	.export = agx_gem_export,
	.get_sg_table = agx_gem_get_sg_table,
	.vmap = agx_gem_vmap,
	.vunmap = agx_gem_vunmap,
	.mmap = agx_gem_mmap,
};

/* Allocate and initialise the object shell; no memory yet. */
static struct agx_bo *agx_bo_alloc(struct agx_device *adev, size_t size,
				   u32 flags, struct drm_gem_object *vm_root)
{
	struct agx_bo *bo;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return ERR_PTR(-ENOMEM);

	bo->flags = flags;
	bo->num_blocks = size >> AGX_GPU_PAGE_SHIFT;
	bo->base.funcs = &agx_gem_funcs;
	if (vm_root) {
		drm_gem_object_get(vm_root);
		bo->vm_root = vm_root;
		bo->base.resv = vm_root->resv;
	}
	drm_gem_private_object_init(&adev->drm, &bo->base, size);
	drm_gem_gpuva_init(&bo->base);
	atomic_inc(&adev->stats.bos);
	return bo;
}

/**
 * agx_bo_create() - Create an object of ours.
 * @adev: The device.
 * @size: Size in bytes, a multiple of 16 KiB, not zero.
 * @flags: DRM_ASAHI_GEM_* flags.
 * @vm_root: The VM's reservation object for a VM-private object, or NULL.
 *
 * Return: The object with one reference, or an ERR_PTR.
 */
struct agx_bo *agx_bo_create(struct agx_device *adev, size_t size, u32 flags,
			     struct drm_gem_object *vm_root)
{
	/* User-sized: fail rather than invoke the OOM killer or warn. */
	const gfp_t gfp = GFP_HIGHUSER | __GFP_RETRY_MAYFAIL | __GFP_NOWARN |
			  __GFP_ACCOUNT;
	size_t npages = size >> PAGE_SHIFT;
	struct agx_bo *bo;
	size_t i, j;

	if (WARN_ON(!size || (size & AGX_GPU_PAGE_MASK)))
		return ERR_PTR(-EINVAL);

	bo = agx_bo_alloc(adev, size, flags, vm_root);
	if (IS_ERR(bo))
		return bo;

	bo->pages = kvcalloc(npages, sizeof(*bo->pages), GFP_KERNEL | __GFP_NOWARN);
	bo->block_pa = kvmalloc_array(bo->num_blocks, sizeof(*bo->block_pa),
				      GFP_KERNEL | __GFP_NOWARN);
	if (!bo->pages || !bo->block_pa)
		goto err_put;

	for (i = 0; i < bo->num_blocks; i++) {
		struct page *block = agx_block_alloc(gfp);

		if (!block)
			goto err_put;
		for (j = 0; j < AGX_CPU_PAGES_PER_BLOCK; j++)
			bo->pages[i * AGX_CPU_PAGES_PER_BLOCK + j] = nth_page(block, j);
		bo->block_pa[i] = page_to_phys(block);
		cond_resched();
	}
	return bo;

err_put:
	/* The free callback frees the blocks allocated so far (non-NULL). */
	drm_gem_object_put(&bo->base);
	return ERR_PTR(-ENOMEM);
}

/**
 * agx_gem_prime_import_sg_table() - Wrap a foreign dma-buf.
 * @drm: The DRM device.
 * @attach: Our attachment to the dma-buf.
 * @sgt: Its mapping.
 *
 * The UAT maps 16 KiB GPU pages, so the buffer is accepted only if each
 * 16 KiB piece of it is physically contiguous and 16 KiB aligned, and its
 * size is a multiple of 16 KiB.
 *
 * Return: The new object, or ERR_PTR(-EINVAL) for memory the GPU cannot
 * map, or another ERR_PTR.
 */
struct drm_gem_object *
agx_gem_prime_import_sg_table(struct drm_device *drm,
			      struct dma_buf_attachment *attach,
			      struct sg_table *sgt)
{
	struct agx_device *adev = to_agx_device(drm);
	size_t size = attach->dmabuf->size;
	struct scatterlist *sg;
	phys_addr_t *block_pa;
	phys_addr_t expect = 0;
	struct agx_bo *bo;
	u64 done = 0;
	unsigned int i;

	if (!size || (size & AGX_GPU_PAGE_MASK)) {
		drm_dbg(drm, "import: size %zu is not a multiple of 16 KiB\n", size);
		return ERR_PTR(-EINVAL);
	}

	block_pa = kvmalloc_array(size >> AGX_GPU_PAGE_SHIFT, sizeof(*block_pa),
				  GFP_KERNEL | __GFP_NOWARN);
	if (!block_pa)
		return ERR_PTR(-ENOMEM);

	/*
	 * Walk the segments by physical address (a segment's offset may
	 * exceed a page, e.g. inside a huge page) and cut them into 16 KiB
	 * GPU pages, each of which must start aligned and continue
	 * contiguously.
	 */
	for_each_sgtable_sg(sgt, sg, i) {
		phys_addr_t pa;
		u64 len = sg->length;

		if (!sg_page(sg)) {
			drm_dbg(drm, "import: the exporter gave no struct page\n");
			goto err_einval;
		}
		pa = sg_phys(sg);
		while (len) {
			u64 in_page = done & AGX_GPU_PAGE_MASK;
			u64 chunk = min_t(u64, len, AGX_GPU_PAGE_SIZE - in_page);

			if (done >= size) {
				drm_dbg(drm, "import: sg_table is larger than the dma-buf\n");
				goto err_einval;
			}
			if (!in_page) {
				if (pa & AGX_GPU_PAGE_MASK) {
					drm_dbg(drm, "import: GPU page %llu at %pa is not 16 KiB aligned\n",
						done >> AGX_GPU_PAGE_SHIFT, &pa);
					goto err_einval;
				}
				block_pa[done >> AGX_GPU_PAGE_SHIFT] = pa;
			} else if (pa != expect) {
				drm_dbg(drm, "import: GPU page %llu is not physically contiguous\n",
					done >> AGX_GPU_PAGE_SHIFT);
				goto err_einval;
			}
			pa += chunk;
			len -= chunk;
			done += chunk;
			expect = pa;
		}
	}
	if (done != size) {
		drm_dbg(drm, "import: sg_table covers %llu of %zu bytes\n", done, size);
		goto err_einval;
	}

	bo = agx_bo_alloc(adev, size, 0, NULL);
	if (IS_ERR(bo)) {
		kvfree(block_pa);
		return ERR_CAST(bo);
	}
	bo->block_pa = block_pa;
	bo->sgt = sgt;
	return &bo->base;

err_einval:
	kvfree(block_pa);
	return ERR_PTR(-EINVAL);
}

/**
 * agx_ioctl_gem_create() - DRM_IOCTL_ASAHI_GEM_CREATE.
 * @drm: The DRM device.
 * @data: &struct drm_asahi_gem_create.
 * @file: The caller's file.
 *
 * Return: 0, -EINVAL for bad arguments, -ENOENT for an unknown VM, -ENOMEM.
 */
int agx_ioctl_gem_create(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct agx_device *adev = to_agx_device(drm);
	struct drm_asahi_gem_create *args = data;
	struct drm_gem_object *vm_root = NULL;
	struct agx_vm *vm = NULL;
	struct agx_bo *bo;
	u64 size;
	int ret;

	if (args->pad) {
		drm_dbg(drm, "gem_create: pad is not zero\n");
		return -EINVAL;
	}
	if (args->flags & ~AGX_GEM_KNOWN_FLAGS) {
		drm_dbg(drm, "gem_create: unknown flags %#x\n", args->flags);
		return -EINVAL;
	}
	if (!(args->flags & DRM_ASAHI_GEM_VM_PRIVATE) && args->vm_id) {
		drm_dbg(drm, "gem_create: vm_id without VM_PRIVATE\n");
		return -EINVAL;
	}
	if (!args->size || args->size > AGX_GEM_MAX_SIZE) {
		drm_dbg(drm, "gem_create: bad size %#llx\n", args->size);
		return -EINVAL;
	}
	size = ALIGN(args->size, AGX_GPU_PAGE_SIZE);
	if ((size >> PAGE_SHIFT) > totalram_pages()) {
		drm_dbg(drm, "gem_create: size %#llx exceeds RAM\n", size);
		return -ENOMEM;
	}

	if (args->flags & DRM_ASAHI_GEM_VM_PRIVATE) {
		vm = agx_vm_lookup(file->driver_priv, args->vm_id);
		if (!vm) {
			drm_dbg(drm, "gem_create: no VM %u\n", args->vm_id);
			return -ENOENT;
		}
		vm_root = vm->gpuvm.r_obj;
	}

	bo = agx_bo_create(adev, size, args->flags, vm_root);
	if (vm)
		agx_vm_put(vm);
	if (IS_ERR(bo))
		return PTR_ERR(bo);

	ret = drm_gem_handle_create(file, &bo->base, &args->handle);
	/* The handle holds the object now, or nothing does. */
	drm_gem_object_put(&bo->base);
	return ret;
}

/**
 * agx_ioctl_gem_mmap_offset() - DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET.
 * @drm: The DRM device.
 * @data: &struct drm_asahi_gem_mmap_offset.
 * @file: The caller's file.
 *
 * Return: 0, -EINVAL for nonzero flags, -ENOENT for a bad handle.
 */
int agx_ioctl_gem_mmap_offset(struct drm_device *drm, void *data,
			      struct drm_file *file)
{
	struct drm_asahi_gem_mmap_offset *args = data;
	struct drm_gem_object *obj;
	int ret;

	if (args->flags) {
		drm_dbg(drm, "gem_mmap_offset: flags are not zero\n");
		return -EINVAL;
	}
	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj) {
		drm_dbg(drm, "gem_mmap_offset: no object %u\n", args->handle);
		return -ENOENT;
	}
	ret = drm_gem_create_mmap_offset(obj);
	if (!ret)
		args->offset = drm_vma_node_offset_addr(&obj->vma_node);
	drm_gem_object_put(obj);
	return ret;
}
