/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The agx authors
 */
#ifndef AGX_VM_H
#define AGX_VM_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include <drm/drm_gpuvm.h>
#include <drm/drm_mm.h>

#include "agx_uat.h"

struct agx_device;
struct agx_file;
struct drm_file;
struct seq_file;

/** define AGX_VM_START - First user GPU address (GET_PARAMS vm_start). */
#define AGX_VM_START 0x4000ULL
/** define AGX_VM_END - End of the user GPU range (GET_PARAMS vm_end). */
#define AGX_VM_END 0x7fffff8000ULL
/** define AGX_VM_KERNEL_MIN_SIZE - Smallest kernel window of a VM. */
#define AGX_VM_KERNEL_MIN_SIZE 0x20000000ULL
/** define AGX_VM_BIND_MAX_OPS - Most operations in one VM_BIND. */
#define AGX_VM_BIND_MAX_OPS 4096
/** define AGX_VM_BIND_MAX_STRIDE - Largest stride of VM_BIND entries. */
#define AGX_VM_BIND_MAX_STRIDE 4096

/**
 * struct agx_vm - A user GPU address space.
 *
 * Reference counted through @gpuvm (drm_gpuvm_get()/agx_vm_put()). The
 * file's xarray holds one reference until VM_DESTROY or close, which also
 * unmaps everything (so mappings never outlive the VM's id).
 */
struct agx_vm {
	/** @gpuvm: The drm_gpuvm: mapping tree and the VM's dma_resv. */
	struct drm_gpuvm gpuvm;
	/** @adev: The device. */
	struct agx_device *adev;
	/** @file: The owning file (outlives the VM's id). */
	struct drm_file *file;
	/** @id: Id in the owning file. */
	u32 id;
	/** @kernel_start: Start of the kernel window. */
	u64 kernel_start;
	/** @kernel_end: End of the kernel window (exclusive). */
	u64 kernel_end;
	/**
	 * @lock: Lock serialising changes of the mapping tree and the page
	 * tables (VM_BIND, destruction, debugfs walks). Taken before any
	 * dma_resv lock and before &agx_uat.slot_lock.
	 */
	struct mutex lock;
	/** @dead: Set under @lock when the VM's id is gone; binds then fail. */
	bool dead;
	/**
	 * @dbg_slot_refs: Slot uses taken through debugfs ("slot"), under
	 * @lock; dropped when the VM dies.
	 */
	unsigned int dbg_slot_refs;
	/** @pt: The TTB0 page tables. */
	struct agx_pgtable pt;
	/**
	 * @kmm: Allocator of the kernel window [@kernel_start, @kernel_end)
	 * for driver memory (agx_vm_kmem_alloc()), under @lock.
	 */
	struct drm_mm kmm;
	/** @node: Entry in &agx_device.vm_list. */
	struct list_head node;
};

/**
 * struct agx_vm_kmem - Driver memory mapped in a VM's kernel window.
 */
struct agx_vm_kmem {
	/** @vm: The VM (the owner holds a reference), NULL when not allocated. */
	struct agx_vm *vm;
	/** @node: The range in &agx_vm.kmm. */
	struct drm_mm_node node;
	/** @va: GPU address. */
	u64 va;
	/** @blocks: The 16 KiB blocks. */
	struct page **blocks;
	/** @nblocks: Entries of @blocks. */
	unsigned int nblocks;
};

/**
 * struct agx_va - One mapping of a VM.
 */
struct agx_va {
	/** @base: The drm_gpuva. */
	struct drm_gpuva base;
	/** @prot: Its protection. */
	enum agx_prot prot;
	/** @repeat: One GPU page at @base.gem.offset repeated (SINGLE_PAGE). */
	bool repeat;
};

int agx_vm_device_init(struct agx_device *adev);
int agx_file_init(struct agx_file *afile);
void agx_file_fini(struct agx_file *afile);

struct agx_vm *agx_vm_lookup(struct agx_file *afile, u32 id);
void agx_vm_put(struct agx_vm *vm);
bool agx_vm_is_dead(struct agx_vm *vm);
struct agx_bind_object;
struct agx_bind_object *agx_bind_object_ts_get(struct agx_file *afile, u32 handle, u32 offset,
					       u64 *va);
void agx_bind_object_put(struct agx_bind_object *bobj);
int agx_vm_kmem_alloc(struct agx_vm *vm, size_t size, u64 align, struct agx_vm_kmem *km);
void agx_vm_kmem_free(struct agx_vm_kmem *km);

int agx_ioctl_vm_create(struct drm_device *drm, void *data, struct drm_file *file);
int agx_ioctl_vm_destroy(struct drm_device *drm, void *data, struct drm_file *file);
int agx_ioctl_vm_bind(struct drm_device *drm, void *data, struct drm_file *file);
int agx_ioctl_gem_bind_object(struct drm_device *drm, void *data,
			      struct drm_file *file);

void agx_vm_debugfs_dump(struct agx_device *adev, struct seq_file *m);
void agx_vm_debugfs_pte(struct agx_device *adev, struct seq_file *m);
int agx_vm_debugfs_slot(struct agx_device *adev, u64 client_id, u32 vm_id, bool get);

#endif /* AGX_VM_H */
