/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The agx authors
 */
#ifndef AGX_DEVICE_H
#define AGX_DEVICE_H

#include <linux/atomic.h>
#include <linux/container_of.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>

#include <drm/drm_device.h>
#include <drm/drm_file.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_mm.h>

#include <drm/asahi_drm.h>

#include "agx_hw.h"

struct agx_fw;
struct agx_tvb;
struct agx_uat;

/**
 * struct agx_device - State of one AGX GPU.
 */
struct agx_device {
	/** @drm: The DRM device, embedded; freed with it. */
	struct drm_device drm;

	/**
	 * @hw: The hardware backend. Filled by the backend's probe; its
	 * @hw.ops is NULL until a backend has probed (then the UAT keeps its
	 * tables in memory of its own and TLB invalidation is only counted).
	 */
	struct agx_hw hw;

	/** @uat: The GPU MMU: page tables, TTB slots, handoff, kernel VM. */
	struct agx_uat *uat;

	/**
	 * @fw: The firmware interface (agx_fw.h): InitData, channels, event
	 * slots. Set at probe once the GPU/firmware combination is known.
	 */
	struct agx_fw *fw;

	/**
	 * @stats: Live object counts, shown in debugfs ("objects") so tests
	 * can see that everything is freed again.
	 */
	struct {
		/** @stats.bos: GEM objects of this device (own and imported). */
		atomic_t bos;
		/** @stats.vms: User VMs. */
		atomic_t vms;
		/** @stats.pt_blocks: Page-table blocks of every address space. */
		atomic_t pt_blocks;
		/** @stats.bind_objects: GEM_BIND_OBJECT objects. */
		atomic_t bind_objects;
	} stats;

	/**
	 * @vm_list_lock: Lock protecting @vm_list. Taken only by VM creation,
	 * destruction and debugfs; never while a VM's lock is held.
	 */
	struct mutex vm_list_lock;
	/** @vm_list: Every user VM of every file, for debugfs. */
	struct list_head vm_list;

	/**
	 * @kva_lock: Lock protecting @kva_mm, the allocator of the kernel VA
	 * window for GEM_BIND_OBJECT timestamp objects.
	 */
	struct mutex kva_lock;
	/** @kva_mm: Allocator of [AGX_KVA_TIMESTAMPS_START, _END). */
	struct drm_mm kva_mm;

	/**
	 * @queue_list_lock: Lock protecting @queue_list and @kept_queues.
	 * Taken by queue creation, destruction, device removal and debugfs;
	 * never inside a queue's locks.
	 */
	struct mutex queue_list_lock;
	/** @queue_list: Every queue of every file, for debugfs. */
	struct list_head queue_list;
	/**
	 * @kept_queues: Destroyed queues whose firmware objects the firmware
	 * may still use; freed by agx_queue_free_kept() once it is stopped.
	 */
	struct list_head kept_queues;
	/** @job_uuid: Source of the uuids of firmware commands. */
	atomic_t job_uuid;

	/**
	 * @tvb_lock: Lock protecting @tvbs (a spinlock: the receive path
	 * looks buffers up).
	 */
	spinlock_t tvb_lock;
	/** @tvbs: The TVB of each firmware buffer-manager slot (127). */
	struct agx_tvb *tvbs[127];

	/**
	 * @dbg_lock: Lock protecting @dbg_pte_query, the address the debugfs
	 * "pte" file walks.
	 */
	struct mutex dbg_lock;
	/** @dbg_pte_query: Client id, VM id and VA last written to "pte". */
	struct {
		/** @dbg_pte_query.client_id: drm_file client id, 0 = kernel VM. */
		u64 client_id;
		/** @dbg_pte_query.vm_id: VM id in that file. */
		u32 vm_id;
		/** @dbg_pte_query.va: The GPU virtual address. */
		u64 va;
	} dbg_pte_query;
};

/**
 * struct agx_file - Per-open-file state.
 */
struct agx_file {
	/** @adev: The device. */
	struct agx_device *adev;
	/** @file: The DRM file. */
	struct drm_file *file;
	/**
	 * @vms: VMs by id (1-based), each holding a reference. The xarray's
	 * own lock protects it.
	 */
	struct xarray vms;
	/**
	 * @bind_objects: GEM_BIND_OBJECT objects by object handle
	 * (1-based). The xarray's own lock protects it.
	 */
	struct xarray bind_objects;
	/**
	 * @queues: Queues by id (1-based), each holding a reference. The
	 * xarray's own lock protects it.
	 */
	struct xarray queues;
};

/** define AGX_NUM_IOCTLS - Entries of agx_ioctls (up to SUBMIT). */
#define AGX_NUM_IOCTLS (DRM_ASAHI_SUBMIT + 1)

extern const struct drm_ioctl_desc agx_ioctls[AGX_NUM_IOCTLS];

int agx_device_init(struct agx_device *adev);
void agx_debugfs_init(struct agx_device *adev);
int agx_open(struct drm_device *drm, struct drm_file *file);
void agx_postclose(struct drm_device *drm, struct drm_file *file);

static inline struct agx_device *to_agx_device(struct drm_device *drm)
{
	return container_of(drm, struct agx_device, drm);
}

#endif /* AGX_DEVICE_H */
