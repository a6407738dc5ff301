// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The agx authors
 */

/**
 * DOC: User VMs and VM_BIND
 *
 * A client makes GPU address spaces with VM_CREATE; each is a &struct
 * agx_vm: a drm_gpuvm that tracks the mappings, and a set of UAT page
 * tables (TTB0 half) that the GPU walks. Ids are per file; another file's
 * ids mean nothing here.
 *
 * VM_BIND changes the mappings synchronously: drm_gpuvm in what later
 * kernels call immediate mode. The ioctl validates the whole request,
 * looks up every object, allocates every drm_gpuva, drm_gpuvm_bo and page
 * table it could need, and only then changes anything: drm_gpuvm_sm_map()
 * and drm_gpuvm_sm_unmap() split the request into unmap, remap and map
 * steps, and the step callbacks update the tree and the page tables. The
 * steps cannot fail, so a request is applied entirely or not at all.
 *
 * A remap (a mapping cut by a new one) clears only the cut-out part of the
 * page tables: the pieces that remain keep their entries. Every cleared
 * range is invalidated in the GPU TLB if the VM holds a context slot
 * (agx_pgtable_unmap()).
 *
 * A SINGLE_PAGE mapping repeats one GPU page of the object over its range.
 * drm_gpuvm of Linux 6.12 has no notion of that, so &agx_va.repeat marks
 * it and the remap step keeps the offset of both pieces at the repeated
 * page instead of drm_gpuvm's linear offset.
 *
 * Locking: &agx_vm.lock serialises binds and destruction of one VM; under
 * it drm_exec locks the VM's dma_resv (shared by its VM-private objects)
 * and the dma_resv of every object the request maps or may unmap
 * (drm_gpuvm_prepare_range()), which is what drm_gpuvm requires for the
 * objects' lists of mappings.
 *
 * GEM_BIND_OBJECT maps a range of an object into the kernel half, in the
 * window the firmware writes timestamps to, and names it with a per-file
 * object handle.
 */

#include <linux/overflow.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#include <drm/drm_exec.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gpuvm.h>
#include <drm/drm_managed.h>
#include <drm/drm_mm.h>
#include <drm/drm_print.h>

#include <drm/asahi_drm.h>

#include "agx_device.h"
#include "agx_gem.h"
#include "agx_uat.h"
#include "agx_vm.h"

#define AGX_BIND_KNOWN_FLAGS (DRM_ASAHI_BIND_UNBIND | DRM_ASAHI_BIND_READ | \
			      DRM_ASAHI_BIND_WRITE | DRM_ASAHI_BIND_SINGLE_PAGE)

/* Each bind op needs at most three new mappings: itself and two pieces. */
#define AGX_BIND_OP_VAS 3

static struct agx_vm *to_agx_vm(struct drm_gpuvm *gpuvm)
{
	return container_of(gpuvm, struct agx_vm, gpuvm);
}

static struct agx_va *to_agx_va(struct drm_gpuva *va)
{
	return container_of(va, struct agx_va, base);
}

static void agx_vm_free(struct drm_gpuvm *gpuvm)
{
	struct agx_vm *vm = to_agx_vm(gpuvm);

	drm_mm_takedown(&vm->kmm);
	agx_pgtable_fini(&vm->pt);
	atomic_dec(&vm->adev->stats.vms);
	mutex_destroy(&vm->lock);
	kfree(vm);
}

/**
 * agx_vm_put() - Drop a VM reference.
 * @vm: The VM.
 */
void agx_vm_put(struct agx_vm *vm)
{
	drm_gpuvm_put(&vm->gpuvm);
}

/**
 * agx_vm_kmem_alloc() - Driver memory in a VM's kernel window.
 * @vm: The VM.
 * @size: Bytes; rounded up to 16 KiB pages.
 * @align: Alignment of the GPU address (a multiple of 16 KiB).
 * @km: Filled in; the pages are zeroed and mapped GPU read/write.
 *
 * For GPU data structures the driver makes for a queue's work (the tiling
 * structures of a render pass), which the GPU reaches through the VM's
 * context. The caller holds a reference to @vm until agx_vm_kmem_free().
 *
 * Return: 0, -ENOENT for a dead VM, -ENOSPC when the window is full, or
 * -ENOMEM.
 */
int agx_vm_kmem_alloc(struct agx_vm *vm, size_t size, u64 align, struct agx_vm_kmem *km)
{
	unsigned int i;
	phys_addr_t *pa;
	int ret;

	memset(km, 0, sizeof(*km));
	km->nblocks = DIV_ROUND_UP(size, AGX_GPU_PAGE_SIZE);
	km->blocks = kcalloc(km->nblocks, sizeof(*km->blocks), GFP_KERNEL);
	pa = kcalloc(km->nblocks, sizeof(*pa), GFP_KERNEL);
	if (!km->blocks || !pa) {
		ret = -ENOMEM;
		goto err_free;
	}
	for (i = 0; i < km->nblocks; i++) {
		km->blocks[i] = agx_block_alloc(GFP_KERNEL | __GFP_ZERO);
		if (!km->blocks[i]) {
			ret = -ENOMEM;
			goto err_free;
		}
		pa[i] = page_to_phys(km->blocks[i]);
	}

	mutex_lock(&vm->lock);
	if (vm->dead) {
		ret = -ENOENT;
		goto err_unlock;
	}
	ret = drm_mm_insert_node_generic(&vm->kmm, &km->node,
					 (u64)km->nblocks * AGX_GPU_PAGE_SIZE,
					 max_t(u64, align, AGX_GPU_PAGE_SIZE), 0, DRM_MM_INSERT_BEST);
	if (ret)
		goto err_unlock;
	ret = agx_pgtable_prealloc(&vm->pt, km->node.start, km->node.size);
	if (ret)
		goto err_remove;
	agx_pgtable_map(&vm->pt, km->node.start, km->node.size, pa, false,
			AGX_PROT_GPU_SHARED_RW);
	mutex_unlock(&vm->lock);
	kfree(pa);
	km->vm = vm;
	km->va = km->node.start;
	return 0;

err_remove:
	drm_mm_remove_node(&km->node);
err_unlock:
	mutex_unlock(&vm->lock);
err_free:
	for (i = 0; km->blocks && i < km->nblocks; i++)
		if (km->blocks[i])
			agx_block_free(km->blocks[i]);
	kfree(km->blocks);
	kfree(pa);
	memset(km, 0, sizeof(*km));
	return ret;
}

/**
 * agx_vm_kmem_free() - Unmap and free memory from agx_vm_kmem_alloc().
 * @km: The allocation, or one that was never made (all zero).
 */
void agx_vm_kmem_free(struct agx_vm_kmem *km)
{
	unsigned int i;

	if (!km->vm)
		return;
	mutex_lock(&km->vm->lock);
	agx_pgtable_unmap(&km->vm->pt, km->node.start, km->node.size);
	drm_mm_remove_node(&km->node);
	mutex_unlock(&km->vm->lock);
	for (i = 0; i < km->nblocks; i++)
		agx_block_free(km->blocks[i]);
	kfree(km->blocks);
	memset(km, 0, sizeof(*km));
}

/**
 * agx_vm_is_dead() - Whether a VM's id is gone (VM_DESTROY or close).
 * @vm: The VM.
 *
 * Return: true once the VM was torn down.
 */
bool agx_vm_is_dead(struct agx_vm *vm)
{
	bool dead;

	mutex_lock(&vm->lock);
	dead = vm->dead;
	mutex_unlock(&vm->lock);
	return dead;
}

/**
 * agx_vm_lookup() - Find a VM of a file by id.
 * @afile: The file.
 * @id: The VM id.
 *
 * Return: The VM with a reference, or NULL.
 */
struct agx_vm *agx_vm_lookup(struct agx_file *afile, u32 id)
{
	struct agx_vm *vm;

	xa_lock(&afile->vms);
	vm = xa_load(&afile->vms, id);
	if (vm)
		drm_gpuvm_get(&vm->gpuvm);
	xa_unlock(&afile->vms);
	return vm;
}

/* ---- Bind steps --------------------------------------------------------- */

/**
 * struct agx_bind_op - One VM_BIND operation, validated and prepared.
 */
struct agx_bind_op {
	/** @uop: The user's entry. */
	struct drm_asahi_gem_bind_op uop;
	/** @obj: The object to map, referenced; NULL for an unbind. */
	struct drm_gem_object *obj;
	/** @vm_bo: The VM/object link (preallocated, then obtained). */
	struct drm_gpuvm_bo *vm_bo;
	/** @vas: Preallocated mappings; used ones are set to NULL. */
	struct agx_va *vas[AGX_BIND_OP_VAS];
	/** @prot: The protection of a map. */
	enum agx_prot prot;
};

struct agx_bind_ctx {
	struct agx_vm *vm;
	struct agx_bind_op *op;
};

static struct agx_va *agx_bind_take_va(struct agx_bind_ctx *ctx)
{
	unsigned int i;

	for (i = 0; i < AGX_BIND_OP_VAS; i++) {
		struct agx_va *va = ctx->op->vas[i];

		if (va) {
			ctx->op->vas[i] = NULL;
			return va;
		}
	}
	/* Cannot happen: drm_gpuvm needs at most three per request. */
	return NULL;
}

static int agx_vm_step_map(struct drm_gpuva_op *op, void *priv)
{
	struct agx_bind_ctx *ctx = priv;
	struct agx_vm *vm = ctx->vm;
	struct agx_bind_op *bop = ctx->op;
	struct agx_bo *bo = to_agx_bo(op->map.gem.obj);
	struct agx_va *va = agx_bind_take_va(ctx);
	bool repeat = bop->uop.flags & DRM_ASAHI_BIND_SINGLE_PAGE;

	if (drm_WARN_ON(vm->gpuvm.drm, !va))
		return -EINVAL;

	va->prot = bop->prot;
	va->repeat = repeat;
	drm_gpuva_map(&vm->gpuvm, &va->base, &op->map);
	drm_gpuva_link(&va->base, bop->vm_bo);
	agx_pgtable_map(&vm->pt, op->map.va.addr, op->map.va.range,
			&bo->block_pa[op->map.gem.offset >> AGX_GPU_PAGE_SHIFT],
			repeat, va->prot);
	return 0;
}

static int agx_vm_step_remap(struct drm_gpuva_op *op, void *priv)
{
	struct agx_bind_ctx *ctx = priv;
	struct agx_vm *vm = ctx->vm;
	struct drm_gpuva *orig = op->remap.unmap->va;
	struct agx_va *ova = to_agx_va(orig);
	struct agx_va *prev = NULL, *next = NULL;
	u64 start, range;

	if (op->remap.prev)
		prev = agx_bind_take_va(ctx);
	if (op->remap.next)
		next = agx_bind_take_va(ctx);
	if (drm_WARN_ON(vm->gpuvm.drm, (op->remap.prev && !prev) ||
			(op->remap.next && !next)))
		return -EINVAL;

	/* Only the part that goes away; the pieces keep their entries. */
	drm_gpuva_op_remap_to_unmap_range(&op->remap, &start, &range);
	agx_pgtable_unmap(&vm->pt, start, range);

	/* Both pieces of a repeated page still repeat the same page. */
	if (ova->repeat && op->remap.next)
		op->remap.next->gem.offset = orig->gem.offset;

	drm_gpuva_remap(prev ? &prev->base : NULL, next ? &next->base : NULL,
			&op->remap);
	if (prev) {
		prev->prot = ova->prot;
		prev->repeat = ova->repeat;
		drm_gpuva_link(&prev->base, orig->vm_bo);
	}
	if (next) {
		next->prot = ova->prot;
		next->repeat = ova->repeat;
		drm_gpuva_link(&next->base, orig->vm_bo);
	}
	drm_gpuva_unlink(orig);
	kfree(ova);
	return 0;
}

static int agx_vm_step_unmap(struct drm_gpuva_op *op, void *priv)
{
	struct agx_bind_ctx *ctx = priv;
	struct drm_gpuva *va = op->unmap.va;

	agx_pgtable_unmap(&ctx->vm->pt, va->va.addr, va->va.range);
	drm_gpuva_unmap(&op->unmap);
	drm_gpuva_unlink(va);
	kfree(to_agx_va(va));
	return 0;
}

static const struct drm_gpuvm_ops agx_gpuvm_ops = {
	.vm_free = agx_vm_free,
	.sm_step_map = agx_vm_step_map,
	.sm_step_remap = agx_vm_step_remap,
	.sm_step_unmap = agx_vm_step_unmap,
};

/* ---- VM_CREATE / VM_DESTROY --------------------------------------------- */

/*
 * Unmap everything and make the VM refuse binds. The kernel window is
 * drm_gpuvm's reserved node, so the two sides are unmapped separately.
 */
static void agx_vm_teardown(struct agx_vm *vm)
{
	struct agx_bind_op op = { };
	struct agx_bind_ctx ctx = { .vm = vm, .op = &op };
	struct drm_exec exec;
	int ret = 0;

	mutex_lock(&vm->lock);
	vm->dead = true;
	drm_exec_init(&exec, DRM_EXEC_IGNORE_DUPLICATES, 0);
	drm_exec_until_all_locked(&exec) {
		ret = drm_gpuvm_prepare_vm(&vm->gpuvm, &exec, 0);
		drm_exec_retry_on_contention(&exec);
		if (ret)
			break;
		/* Not across the kernel window: its node has no object. */
		if (vm->kernel_start > AGX_VM_START)
			ret = drm_gpuvm_prepare_range(&vm->gpuvm, &exec, AGX_VM_START,
						      vm->kernel_start - AGX_VM_START, 0);
		drm_exec_retry_on_contention(&exec);
		if (ret)
			break;
		if (vm->kernel_end < AGX_VM_END)
			ret = drm_gpuvm_prepare_range(&vm->gpuvm, &exec, vm->kernel_end,
						      AGX_VM_END - vm->kernel_end, 0);
		drm_exec_retry_on_contention(&exec);
		if (ret)
			break;
	}
	/* Uninterruptible locking does not fail. */
	drm_WARN_ON(vm->gpuvm.drm, ret);
	if (vm->kernel_start > AGX_VM_START)
		drm_gpuvm_sm_unmap(&vm->gpuvm, &ctx, AGX_VM_START,
				   vm->kernel_start - AGX_VM_START);
	if (vm->kernel_end < AGX_VM_END)
		drm_gpuvm_sm_unmap(&vm->gpuvm, &ctx, vm->kernel_end,
				   AGX_VM_END - vm->kernel_end);
	drm_exec_fini(&exec);
	while (vm->dbg_slot_refs) {
		agx_uat_slot_put(vm->adev->uat, &vm->pt);
		vm->dbg_slot_refs--;
	}
	agx_uat_slot_release(vm->adev->uat, &vm->pt);
	mutex_unlock(&vm->lock);

	mutex_lock(&vm->adev->vm_list_lock);
	list_del(&vm->node);
	mutex_unlock(&vm->adev->vm_list_lock);
}

/**
 * agx_ioctl_vm_create() - DRM_IOCTL_ASAHI_VM_CREATE.
 * @drm: The DRM device.
 * @data: &struct drm_asahi_vm_create.
 * @file: The caller's file.
 *
 * Return: 0, -EINVAL for a bad kernel window or nonzero pad, -ENOMEM.
 */
int agx_ioctl_vm_create(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct agx_device *adev = to_agx_device(drm);
	struct agx_file *afile = file->driver_priv;
	struct drm_asahi_vm_create *args = data;
	struct drm_gem_object *root;
	struct agx_vm *vm;
	u32 id;
	int ret;

	if (args->pad) {
		drm_dbg(drm, "vm_create: pad is not zero\n");
		return -EINVAL;
	}
	if ((args->kernel_start | args->kernel_end) & AGX_GPU_PAGE_MASK) {
		drm_dbg(drm, "vm_create: kernel window not 16 KiB aligned\n");
		return -EINVAL;
	}
	if (args->kernel_start < AGX_VM_START || args->kernel_end > AGX_VM_END ||
	    args->kernel_start >= args->kernel_end) {
		drm_dbg(drm, "vm_create: kernel window [%#llx, %#llx) outside the VM\n",
			args->kernel_start, args->kernel_end);
		return -EINVAL;
	}
	if (args->kernel_end - args->kernel_start < AGX_VM_KERNEL_MIN_SIZE) {
		drm_dbg(drm, "vm_create: kernel window smaller than %#llx\n",
			AGX_VM_KERNEL_MIN_SIZE);
		return -EINVAL;
	}

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return -ENOMEM;
	vm->adev = adev;
	vm->file = file;
	vm->kernel_start = args->kernel_start;
	vm->kernel_end = args->kernel_end;
	drm_mm_init(&vm->kmm, vm->kernel_start, vm->kernel_end - vm->kernel_start);
	mutex_init(&vm->lock);
	INIT_LIST_HEAD(&vm->node);

	ret = agx_pgtable_init_user(adev->uat, &vm->pt);
	if (ret)
		goto err_free_vm;

	root = drm_gpuvm_resv_object_alloc(drm);
	if (!root) {
		ret = -ENOMEM;
		goto err_fini_pt;
	}
	drm_gpuvm_init(&vm->gpuvm, "agx", DRM_GPUVM_RESV_PROTECTED, drm, root,
		       AGX_VM_START, AGX_VM_END - AGX_VM_START,
		       vm->kernel_start, vm->kernel_end - vm->kernel_start,
		       &agx_gpuvm_ops);
	/* The gpuvm holds its own reference. */
	drm_gem_object_put(root);
	atomic_inc(&adev->stats.vms);
	/* From here on agx_vm_put() frees everything (agx_vm_free()). */

	/*
	 * On the device's list before the id is published: once it is, a
	 * racing VM_DESTROY may tear the VM down, which takes it off the list.
	 */
	mutex_lock(&adev->vm_list_lock);
	list_add_tail(&vm->node, &adev->vm_list);
	mutex_unlock(&adev->vm_list_lock);

	ret = xa_alloc(&afile->vms, &id, vm, xa_limit_32b, GFP_KERNEL);
	if (ret)
		goto err_list_del;
	/* Only for debugfs; the caller learns the id from args. */
	WRITE_ONCE(vm->id, id);
	args->vm_id = id;
	return 0;

err_list_del:
	mutex_lock(&adev->vm_list_lock);
	list_del(&vm->node);
	mutex_unlock(&adev->vm_list_lock);
	agx_vm_put(vm);
	return ret;
err_fini_pt:
	agx_pgtable_fini(&vm->pt);
err_free_vm:
	mutex_destroy(&vm->lock);
	kfree(vm);
	return ret;
}

/**
 * agx_ioctl_vm_destroy() - DRM_IOCTL_ASAHI_VM_DESTROY.
 * @drm: The DRM device.
 * @data: &struct drm_asahi_vm_destroy.
 * @file: The caller's file.
 *
 * Unmaps everything; objects mapped only there lose their last reference.
 *
 * Return: 0, -EINVAL for nonzero pad, -ENOENT for an unknown VM.
 */
int agx_ioctl_vm_destroy(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct agx_file *afile = file->driver_priv;
	struct drm_asahi_vm_destroy *args = data;
	struct agx_vm *vm;

	if (args->pad) {
		drm_dbg(drm, "vm_destroy: pad is not zero\n");
		return -EINVAL;
	}
	vm = xa_erase(&afile->vms, args->vm_id);
	if (!vm) {
		drm_dbg(drm, "vm_destroy: no VM %u\n", args->vm_id);
		return -ENOENT;
	}
	agx_vm_teardown(vm);
	agx_vm_put(vm);
	return 0;
}

/* ---- VM_BIND ------------------------------------------------------------ */

static int agx_bind_op_check(struct drm_device *drm, struct agx_vm *vm,
			     struct drm_file *file, struct agx_bind_op *op,
			     u32 i)
{
	struct drm_asahi_gem_bind_op *u = &op->uop;
	u32 rw = u->flags & (DRM_ASAHI_BIND_READ | DRM_ASAHI_BIND_WRITE);
	struct agx_bo *bo;
	u64 need;

	if (u->flags & ~AGX_BIND_KNOWN_FLAGS) {
		drm_dbg(drm, "vm_bind[%u]: unknown flags %#x\n", i, u->flags);
		return -EINVAL;
	}
	if (u->flags & DRM_ASAHI_BIND_UNBIND) {
		if (u->flags != DRM_ASAHI_BIND_UNBIND) {
			drm_dbg(drm, "vm_bind[%u]: UNBIND with other flags %#x\n",
				i, u->flags);
			return -EINVAL;
		}
	} else if (!rw) {
		drm_dbg(drm, "vm_bind[%u]: neither READ nor WRITE\n", i);
		return -EINVAL;
	}
	if ((u->addr | u->range) & AGX_GPU_PAGE_MASK || !u->range) {
		drm_dbg(drm, "vm_bind[%u]: addr %#llx range %#llx not 16 KiB pages\n",
			i, u->addr, u->range);
		return -EINVAL;
	}
	if (u->addr < AGX_VM_START || u->addr >= AGX_VM_END ||
	    u->range > AGX_VM_END - u->addr) {
		drm_dbg(drm, "vm_bind[%u]: [%#llx, +%#llx) outside the user VA\n",
			i, u->addr, u->range);
		return -EINVAL;
	}
	if (u->addr < vm->kernel_end && u->addr + u->range > vm->kernel_start) {
		drm_dbg(drm, "vm_bind[%u]: [%#llx, +%#llx) overlaps the kernel window\n",
			i, u->addr, u->range);
		return -EINVAL;
	}
	if (u->flags & DRM_ASAHI_BIND_UNBIND)
		return 0;

	if (u->offset & AGX_GPU_PAGE_MASK) {
		drm_dbg(drm, "vm_bind[%u]: offset %#llx not 16 KiB aligned\n",
			i, u->offset);
		return -EINVAL;
	}
	op->obj = drm_gem_object_lookup(file, u->handle);
	if (!op->obj) {
		drm_dbg(drm, "vm_bind[%u]: no object %u\n", i, u->handle);
		return -ENOENT;
	}
	bo = to_agx_bo(op->obj);
	need = u->flags & DRM_ASAHI_BIND_SINGLE_PAGE ? AGX_GPU_PAGE_SIZE : u->range;
	if (u->offset > op->obj->size || need > op->obj->size - u->offset) {
		drm_dbg(drm, "vm_bind[%u]: offset %#llx + %#llx outside the object\n",
			i, u->offset, need);
		return -EINVAL;
	}
	if (bo->vm_root && bo->vm_root != vm->gpuvm.r_obj) {
		drm_dbg(drm, "vm_bind[%u]: object %u is private to another VM\n",
			i, u->handle);
		return -EINVAL;
	}
	if (rw == (DRM_ASAHI_BIND_READ | DRM_ASAHI_BIND_WRITE))
		op->prot = AGX_PROT_GPU_SHARED_RW;
	else if (rw == DRM_ASAHI_BIND_READ)
		op->prot = AGX_PROT_GPU_SHARED_RO;
	else
		op->prot = AGX_PROT_GPU_SHARED_WO;
	return 0;
}

static int agx_bind_op_prealloc(struct agx_vm *vm, struct agx_bind_op *op)
{
	unsigned int i;

	for (i = 0; i < AGX_BIND_OP_VAS; i++) {
		op->vas[i] = kzalloc(sizeof(*op->vas[i]), GFP_KERNEL);
		if (!op->vas[i])
			return -ENOMEM;
	}
	if (op->obj) {
		op->vm_bo = drm_gpuvm_bo_create(&vm->gpuvm, op->obj);
		if (!op->vm_bo)
			return -ENOMEM;
	}
	return 0;
}

static void agx_bind_ops_free(struct agx_bind_op *ops, u32 n)
{
	u32 i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < AGX_BIND_OP_VAS; j++)
			kfree(ops[i].vas[j]);
		/* Only unused preallocations are left here: never linked. */
		if (ops[i].vm_bo)
			drm_gpuvm_bo_put(ops[i].vm_bo);
		if (ops[i].obj)
			drm_gem_object_put(ops[i].obj);
	}
	kvfree(ops);
}

static int agx_bind_lock(struct agx_vm *vm, struct drm_exec *exec,
			 struct agx_bind_op *ops, u32 n)
{
	u32 i;
	int ret = 0;

	drm_exec_until_all_locked(exec) {
		ret = drm_gpuvm_prepare_vm(&vm->gpuvm, exec, 0);
		drm_exec_retry_on_contention(exec);
		if (ret)
			break;
		for (i = 0; i < n; i++) {
			ret = drm_gpuvm_prepare_range(&vm->gpuvm, exec, ops[i].uop.addr,
						      ops[i].uop.range, 0);
			drm_exec_retry_on_contention(exec);
			if (ret)
				break;
			if (!ops[i].obj)
				continue;
			ret = drm_exec_lock_obj(exec, ops[i].obj);
			drm_exec_retry_on_contention(exec);
			if (ret)
				break;
		}
		if (ret)
			break;
	}
	return ret;
}

/**
 * agx_ioctl_vm_bind() - DRM_IOCTL_ASAHI_VM_BIND.
 * @drm: The DRM device.
 * @data: &struct drm_asahi_vm_bind.
 * @file: The caller's file.
 *
 * Return: 0 when every operation was applied; otherwise nothing was:
 * -EINVAL for a bad argument, -ENOENT for an unknown VM or object,
 * -EFAULT for an unreadable array, -ENOMEM, -EINTR.
 */
int agx_ioctl_vm_bind(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct agx_file *afile = file->driver_priv;
	struct drm_asahi_vm_bind *args = data;
	struct agx_bind_op *ops;
	struct drm_exec exec;
	struct agx_vm *vm;
	u32 i;
	int ret;

	if (args->pad) {
		drm_dbg(drm, "vm_bind: pad is not zero\n");
		return -EINVAL;
	}
	if (!args->num_binds || args->num_binds > AGX_VM_BIND_MAX_OPS) {
		drm_dbg(drm, "vm_bind: num_binds %u not in [1, %u]\n",
			args->num_binds, AGX_VM_BIND_MAX_OPS);
		return -EINVAL;
	}
	if (args->stride < sizeof(struct drm_asahi_gem_bind_op) ||
	    args->stride > AGX_VM_BIND_MAX_STRIDE) {
		drm_dbg(drm, "vm_bind: stride %u not in [%zu, %u]\n", args->stride,
			sizeof(struct drm_asahi_gem_bind_op), AGX_VM_BIND_MAX_STRIDE);
		return -EINVAL;
	}

	vm = agx_vm_lookup(afile, args->vm_id);
	if (!vm) {
		drm_dbg(drm, "vm_bind: no VM %u\n", args->vm_id);
		return -ENOENT;
	}

	ops = kvcalloc(args->num_binds, sizeof(*ops), GFP_KERNEL);
	if (!ops) {
		ret = -ENOMEM;
		goto out_put_vm;
	}

	/* Validate everything before touching anything. */
	for (i = 0; i < args->num_binds; i++) {
		void __user *uptr = u64_to_user_ptr(args->userptr + (u64)i * args->stride);

		ret = copy_struct_from_user(&ops[i].uop, sizeof(ops[i].uop), uptr,
					    args->stride);
		if (ret == -E2BIG) {
			drm_dbg(drm, "vm_bind[%u]: unknown nonzero tail\n", i);
			ret = -EINVAL;
		}
		if (ret) {
			if (ret == -EFAULT)
				drm_dbg(drm, "vm_bind[%u]: cannot read entry\n", i);
			goto out_free_ops;
		}
		ret = agx_bind_op_check(drm, vm, file, &ops[i], i);
		if (ret)
			goto out_free_ops;
	}
	for (i = 0; i < args->num_binds; i++) {
		ret = agx_bind_op_prealloc(vm, &ops[i]);
		if (ret)
			goto out_free_ops;
	}

	ret = mutex_lock_interruptible(&vm->lock);
	if (ret)
		goto out_free_ops;
	if (vm->dead) {
		drm_dbg(drm, "vm_bind: VM %u is being destroyed\n", args->vm_id);
		ret = -ENOENT;
		goto out_unlock_vm;
	}

	for (i = 0; i < args->num_binds; i++) {
		if (ops[i].uop.flags & DRM_ASAHI_BIND_UNBIND)
			continue;
		ret = agx_pgtable_prealloc(&vm->pt, ops[i].uop.addr, ops[i].uop.range);
		if (ret) {
			drm_dbg(drm, "vm_bind[%u]: no memory for page tables\n", i);
			goto out_unlock_vm;
		}
	}

	drm_exec_init(&exec, DRM_EXEC_INTERRUPTIBLE_WAIT | DRM_EXEC_IGNORE_DUPLICATES, 0);
	ret = agx_bind_lock(vm, &exec, ops, args->num_binds);
	if (ret)
		goto out_fini_exec;

	/* Nothing fails from here on. */
	for (i = 0; i < args->num_binds; i++) {
		struct agx_bind_op *op = &ops[i];
		struct agx_bind_ctx ctx = { .vm = vm, .op = op };
		int err;

		if (op->uop.flags & DRM_ASAHI_BIND_UNBIND) {
			err = drm_gpuvm_sm_unmap(&vm->gpuvm, &ctx, op->uop.addr,
						 op->uop.range);
		} else {
			op->vm_bo = drm_gpuvm_bo_obtain_prealloc(op->vm_bo);
			drm_gpuvm_bo_extobj_add(op->vm_bo);
			err = drm_gpuvm_sm_map(&vm->gpuvm, &ctx, op->uop.addr,
					       op->uop.range, op->obj, op->uop.offset);
			/* The mappings hold their own references. */
			drm_gpuvm_bo_put(op->vm_bo);
			op->vm_bo = NULL;
		}
		drm_WARN_ON(drm, err);
	}

out_fini_exec:
	drm_exec_fini(&exec);
out_unlock_vm:
	mutex_unlock(&vm->lock);
out_free_ops:
	agx_bind_ops_free(ops, args->num_binds);
out_put_vm:
	agx_vm_put(vm);
	return ret;
}

/* ---- GEM_BIND_OBJECT ---------------------------------------------------- */

/**
 * struct agx_bind_object - A range of an object in the kernel half.
 */
struct agx_bind_object {
	/**
	 * @refcount: The file's xarray holds one reference, each job whose
	 * firmware commands write timestamps into the range one more; the
	 * range stays mapped until the last is dropped.
	 */
	struct kref refcount;
	/** @adev: The device. */
	struct agx_device *adev;
	/** @obj: The object, referenced. */
	struct drm_gem_object *obj;
	/** @node: The kernel VA range, in &agx_device.kva_mm. */
	struct drm_mm_node node;
};

static void agx_bind_object_release(struct kref *kref)
{
	struct agx_bind_object *bobj = container_of(kref, struct agx_bind_object, refcount);
	struct agx_device *adev = bobj->adev;

	agx_kvm_unmap(adev->uat, bobj->node.start, bobj->node.size);
	mutex_lock(&adev->kva_lock);
	drm_mm_remove_node(&bobj->node);
	mutex_unlock(&adev->kva_lock);
	drm_gem_object_put(bobj->obj);
	kfree(bobj);
	atomic_dec(&adev->stats.bind_objects);
}

static void agx_bind_object_free(struct agx_device *adev, struct agx_bind_object *bobj)
{
	kref_put(&bobj->refcount, agx_bind_object_release);
}

/**
 * agx_bind_object_put() - Drop a reference from agx_bind_object_ts_get().
 * @bobj: The bind object, or NULL.
 */
void agx_bind_object_put(struct agx_bind_object *bobj)
{
	if (bobj)
		kref_put(&bobj->refcount, agx_bind_object_release);
}

/**
 * agx_bind_object_ts_get() - The firmware address of a timestamp.
 * @afile: The file.
 * @handle: The object handle from GEM_BIND_OBJECT.
 * @offset: Byte offset of the 64-bit timestamp in the bound range.
 * @va: The kernel-half address of the timestamp.
 *
 * Return: The bind object with a reference (the range stays mapped until
 * agx_bind_object_put()), or NULL for an unknown handle or an offset that
 * is unaligned or outside the range.
 */
struct agx_bind_object *agx_bind_object_ts_get(struct agx_file *afile, u32 handle, u32 offset,
					       u64 *va)
{
	struct agx_bind_object *bobj;

	if (offset & 7)
		return NULL;
	xa_lock(&afile->bind_objects);
	bobj = xa_load(&afile->bind_objects, handle);
	if (bobj && (u64)offset + 8 <= bobj->node.size)
		kref_get(&bobj->refcount);
	else
		bobj = NULL;
	xa_unlock(&afile->bind_objects);
	if (bobj)
		*va = bobj->node.start + offset;
	return bobj;
}

static int agx_bind_object_bind(struct drm_device *drm, struct drm_file *file,
				struct drm_asahi_gem_bind_object *args)
{
	struct agx_device *adev = to_agx_device(drm);
	struct agx_file *afile = file->driver_priv;
	struct agx_bind_object *bobj;
	struct agx_bo *bo;
	u32 id;
	int ret;

	if (args->flags != DRM_ASAHI_BIND_OBJECT_USAGE_TIMESTAMPS) {
		drm_dbg(drm, "bind_object: flags %#x, want USAGE_TIMESTAMPS\n",
			args->flags);
		return -EINVAL;
	}
	if ((args->offset | args->range) & AGX_GPU_PAGE_MASK || !args->range) {
		drm_dbg(drm, "bind_object: offset/range not 16 KiB pages\n");
		return -EINVAL;
	}

	bobj = kzalloc(sizeof(*bobj), GFP_KERNEL);
	if (!bobj)
		return -ENOMEM;
	kref_init(&bobj->refcount);
	bobj->adev = adev;
	bobj->obj = drm_gem_object_lookup(file, args->handle);
	if (!bobj->obj) {
		drm_dbg(drm, "bind_object: no object %u\n", args->handle);
		ret = -ENOENT;
		goto err_free;
	}
	bo = to_agx_bo(bobj->obj);
	if (args->offset > bobj->obj->size ||
	    args->range > bobj->obj->size - args->offset) {
		drm_dbg(drm, "bind_object: range outside the object\n");
		ret = -EINVAL;
		goto err_put_obj;
	}

	mutex_lock(&adev->kva_lock);
	ret = drm_mm_insert_node_in_range(&adev->kva_mm, &bobj->node, args->range,
					  AGX_GPU_PAGE_SIZE, 0,
					  AGX_KVA_TIMESTAMPS_START,
					  AGX_KVA_TIMESTAMPS_END, DRM_MM_INSERT_BEST);
	mutex_unlock(&adev->kva_lock);
	if (ret) {
		drm_dbg(drm, "bind_object: timestamp window full\n");
		goto err_put_obj;
	}

	ret = agx_kvm_map(adev->uat, bobj->node.start, bobj->node.size,
			  &bo->block_pa[args->offset >> AGX_GPU_PAGE_SHIFT],
			  AGX_PROT_FW_SHARED_RW);
	if (ret)
		goto err_remove_node;

	atomic_inc(&adev->stats.bind_objects);
	ret = xa_alloc(&afile->bind_objects, &id, bobj, xa_limit_32b, GFP_KERNEL);
	if (ret)
		goto err_unmap;
	args->object_handle = id;
	return 0;

err_unmap:
	atomic_dec(&adev->stats.bind_objects);
	agx_kvm_unmap(adev->uat, bobj->node.start, bobj->node.size);
err_remove_node:
	mutex_lock(&adev->kva_lock);
	drm_mm_remove_node(&bobj->node);
	mutex_unlock(&adev->kva_lock);
err_put_obj:
	drm_gem_object_put(bobj->obj);
err_free:
	kfree(bobj);
	return ret;
}

/**
 * agx_ioctl_gem_bind_object() - DRM_IOCTL_ASAHI_GEM_BIND_OBJECT.
 * @drm: The DRM device.
 * @data: &struct drm_asahi_gem_bind_object.
 * @file: The caller's file.
 *
 * Return: 0, -EINVAL for bad arguments, -ENOENT for an unknown object or
 * object handle, -ENOSPC when the timestamp window is full, -ENOMEM.
 */
int agx_ioctl_gem_bind_object(struct drm_device *drm, void *data,
			      struct drm_file *file)
{
	struct agx_file *afile = file->driver_priv;
	struct drm_asahi_gem_bind_object *args = data;
	struct agx_bind_object *bobj;

	if (args->vm_id || args->pad) {
		drm_dbg(drm, "bind_object: vm_id or pad is not zero\n");
		return -EINVAL;
	}
	switch (args->op) {
	case DRM_ASAHI_BIND_OBJECT_OP_BIND:
		return agx_bind_object_bind(drm, file, args);
	case DRM_ASAHI_BIND_OBJECT_OP_UNBIND:
		if (args->flags & ~DRM_ASAHI_BIND_OBJECT_USAGE_TIMESTAMPS) {
			drm_dbg(drm, "bind_object: unknown flags %#x\n", args->flags);
			return -EINVAL;
		}
		bobj = xa_erase(&afile->bind_objects, args->object_handle);
		if (!bobj) {
			drm_dbg(drm, "bind_object: no object handle %u\n",
				args->object_handle);
			return -ENOENT;
		}
		agx_bind_object_free(to_agx_device(drm), bobj);
		return 0;
	default:
		drm_dbg(drm, "bind_object: unknown op %u\n", args->op);
		return -EINVAL;
	}
}

/* ---- Files and device --------------------------------------------------- */

/**
 * agx_file_init() - Per-file state of this file.
 * @afile: The file's state, with @adev and @file set.
 *
 * Return: 0.
 */
int agx_file_init(struct agx_file *afile)
{
	xa_init_flags(&afile->vms, XA_FLAGS_ALLOC1);
	xa_init_flags(&afile->bind_objects, XA_FLAGS_ALLOC1);
	return 0;
}

/**
 * agx_file_fini() - Drop everything a closing file made.
 * @afile: The file's state.
 */
void agx_file_fini(struct agx_file *afile)
{
	struct agx_bind_object *bobj;
	struct agx_vm *vm;
	unsigned long id;

	xa_for_each(&afile->bind_objects, id, bobj) {
		xa_erase(&afile->bind_objects, id);
		agx_bind_object_free(afile->adev, bobj);
	}
	xa_destroy(&afile->bind_objects);

	xa_for_each(&afile->vms, id, vm) {
		xa_erase(&afile->vms, id);
		agx_vm_teardown(vm);
		agx_vm_put(vm);
	}
	xa_destroy(&afile->vms);
}

static void agx_vm_device_release(struct drm_device *drm, void *data)
{
	struct agx_device *adev = to_agx_device(drm);

	drm_mm_takedown(&adev->kva_mm);
}

/**
 * agx_vm_device_init() - Device-wide VM state.
 * @adev: The device.
 *
 * Return: 0 or a negative error.
 */
int agx_vm_device_init(struct agx_device *adev)
{
	int ret;

	ret = drmm_mutex_init(&adev->drm, &adev->vm_list_lock);
	if (ret)
		return ret;
	ret = drmm_mutex_init(&adev->drm, &adev->kva_lock);
	if (ret)
		return ret;
	ret = drmm_mutex_init(&adev->drm, &adev->dbg_lock);
	if (ret)
		return ret;
	INIT_LIST_HEAD(&adev->vm_list);
	drm_mm_init(&adev->kva_mm, AGX_KVA_TIMESTAMPS_START,
		    AGX_KVA_TIMESTAMPS_END - AGX_KVA_TIMESTAMPS_START);
	return drmm_add_action_or_reset(&adev->drm, agx_vm_device_release, NULL);
}

/* ---- debugfs ------------------------------------------------------------ */

/* The caller's handle of @obj in @file, or 0 when it has none. */
static u32 agx_vm_find_handle(struct drm_file *file, struct drm_gem_object *obj)
{
	struct drm_gem_object *o;
	int id, found = 0;

	spin_lock(&file->table_lock);
	idr_for_each_entry(&file->object_idr, o, id) {
		if (o == obj) {
			found = id;
			break;
		}
	}
	spin_unlock(&file->table_lock);
	return found;
}

/**
 * agx_vm_debugfs_dump() - Print every VM and its mappings.
 * @adev: The device.
 * @m: The seq_file.
 *
 * One "vm" line per VM (file client id, VM id, kernel window, slot), then
 * one line per mapping: VA range, protection, the owning file's handle of
 * the object (0 if it has none left), offset and "repeat" for SINGLE_PAGE.
 */
void agx_vm_debugfs_dump(struct agx_device *adev, struct seq_file *m)
{
	struct drm_gpuva *va;
	struct agx_vm *vm;

	mutex_lock(&adev->vm_list_lock);
	list_for_each_entry(vm, &adev->vm_list, node) {
		mutex_lock(&vm->lock);
		seq_printf(m, "vm client %llu id %u kernel %#llx-%#llx slot %d\n",
			   vm->file->client_id, vm->id, vm->kernel_start,
			   vm->kernel_end, vm->pt.slot);
		drm_gpuvm_for_each_va(va, &vm->gpuvm) {
			struct agx_va *ava = to_agx_va(va);

			if (!va->gem.obj)
				continue;
			seq_printf(m, "  %#llx-%#llx %s handle %u offset %#llx%s\n",
				   va->va.addr, va->va.addr + va->va.range,
				   agx_prot_name(ava->prot),
				   agx_vm_find_handle(vm->file, va->gem.obj),
				   va->gem.offset, ava->repeat ? " repeat" : "");
		}
		mutex_unlock(&vm->lock);
	}
	mutex_unlock(&adev->vm_list_lock);
}

/**
 * agx_vm_debugfs_pte() - Walk the page tables for the queried address.
 * @adev: The device.
 * @m: The seq_file.
 *
 * The address is &agx_device.dbg_pte_query: client id 0 means the
 * kernel half.
 */
void agx_vm_debugfs_pte(struct agx_device *adev, struct seq_file *m)
{
	struct agx_uat *uat = adev->uat;
	u64 client, va, ptes[3], leaf = 0;
	struct agx_vm *vm;
	bool found = false;
	u32 id;

	mutex_lock(&adev->dbg_lock);
	client = adev->dbg_pte_query.client_id;
	id = adev->dbg_pte_query.vm_id;
	va = adev->dbg_pte_query.va;
	mutex_unlock(&adev->dbg_lock);

	if (!client) {
		mutex_lock(&uat->kernel_lock);
		found = !uat->unplugged;
		if (found)
			leaf = agx_pgtable_lookup(&uat->kernel, va, ptes);
		mutex_unlock(&uat->kernel_lock);
	} else {
		mutex_lock(&adev->vm_list_lock);
		list_for_each_entry(vm, &adev->vm_list, node) {
			if (vm->file->client_id != client || vm->id != id)
				continue;
			mutex_lock(&vm->lock);
			leaf = agx_pgtable_lookup(&vm->pt, va, ptes);
			mutex_unlock(&vm->lock);
			found = true;
			break;
		}
		mutex_unlock(&adev->vm_list_lock);
	}
	if (!found) {
		seq_printf(m, "no vm client %llu id %u\n", client, id);
		return;
	}
	seq_printf(m, "va %#llx l1 %#018llx l2 %#018llx l3 %#018llx pa %#llx\n",
		   va, ptes[0], ptes[1], ptes[2],
		   leaf ? (leaf & GENMASK_ULL(47, 14)) | (va & AGX_GPU_PAGE_MASK) : 0);
}

/**
 * agx_vm_debugfs_slot() - Take or drop a slot use of a VM, for tests.
 * @adev: The device.
 * @client_id: The owning file's client id.
 * @vm_id: The VM's id in that file.
 * @get: Take (agx_uat_slot_get()) or drop (agx_uat_slot_put()) a use.
 *
 * Stands in for the queue code, so the slot handling can be tested before
 * there are queues. Drops only uses taken here.
 *
 * Return: The slot for @get, 0 for a put, -ENOENT, -EINVAL (nothing to
 * drop) or -EBUSY (no slot free).
 */
int agx_vm_debugfs_slot(struct agx_device *adev, u64 client_id, u32 vm_id, bool get)
{
	struct agx_vm *vm;
	int ret = -ENOENT;

	mutex_lock(&adev->vm_list_lock);
	list_for_each_entry(vm, &adev->vm_list, node) {
		if (vm->file->client_id != client_id || vm->id != vm_id)
			continue;
		mutex_lock(&vm->lock);
		if (vm->dead) {
			ret = -ENOENT;
		} else if (get) {
			ret = agx_uat_slot_get(adev->uat, &vm->pt);
			if (ret >= 0)
				vm->dbg_slot_refs++;
		} else if (vm->dbg_slot_refs) {
			agx_uat_slot_put(adev->uat, &vm->pt);
			vm->dbg_slot_refs--;
			ret = 0;
		} else {
			ret = -EINVAL;
		}
		mutex_unlock(&vm->lock);
		break;
	}
	mutex_unlock(&adev->vm_list_lock);
	return ret;
}
