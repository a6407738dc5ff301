/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The agx authors
 */
#ifndef AGX_UAT_H
#define AGX_UAT_H

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/types.h>

struct agx_device;
struct seq_file;

/** define AGX_UAT_NUM_SLOTS - Context slots in the TTB array. */
#define AGX_UAT_NUM_SLOTS 64
/** define AGX_UAT_USER_SLOT_FIRST - Slot 0 is the kernel's; users get 1..63. */
#define AGX_UAT_USER_SLOT_FIRST 1

/** define AGX_UAT_HALF_BITS - Input address bits of each half. */
#define AGX_UAT_HALF_BITS 39
/** define AGX_KERNEL_VA_BASE - First address of the kernel (TTB1) half. */
#define AGX_KERNEL_VA_BASE 0xffffff8000000000ULL

/** define AGX_KVA_DRIVER_START - The driver's range of the kernel half. */
#define AGX_KVA_DRIVER_START 0xffffffa000000000ULL
/** define AGX_KVA_DRIVER_END - End of that range (exclusive). */
#define AGX_KVA_DRIVER_END 0xffffffb000000000ULL

/** define AGX_KVA_TIMESTAMPS_START - Kernel VA window of GEM_BIND_OBJECT timestamps. */
#define AGX_KVA_TIMESTAMPS_START 0xffffffae10000000ULL
/** define AGX_KVA_TIMESTAMPS_END - End of that window (exclusive). */
#define AGX_KVA_TIMESTAMPS_END 0xffffffae14000000ULL

/**
 * enum agx_prot - The driver's named protections of a mapping.
 *
 * Each names a memory attribute (cached, device, uncached) and who may
 * access the memory how: the firmware, the GPU or both. The PTE encoding
 * of each is in agx_uat.c.
 */
enum agx_prot {
	/** @AGX_PROT_GPU_SHARED_RW: GPU read/write, uncached (user binds). */
	AGX_PROT_GPU_SHARED_RW,
	/** @AGX_PROT_GPU_SHARED_RO: GPU read-only, uncached (user binds). */
	AGX_PROT_GPU_SHARED_RO,
	/** @AGX_PROT_GPU_SHARED_WO: GPU write-only, uncached (user binds). */
	AGX_PROT_GPU_SHARED_WO,
	/** @AGX_PROT_FW_SHARED_RW: Firmware read/write, uncached. */
	AGX_PROT_FW_SHARED_RW,
	/** @AGX_PROT_FW_SHARED_RO: Firmware read-only, uncached. */
	AGX_PROT_FW_SHARED_RO,
	/** @AGX_PROT_FW_PRIV_RW: Firmware read/write, cached. */
	AGX_PROT_FW_PRIV_RW,
	/** @AGX_PROT_GPU_FW_SHARED_RW: Firmware and GPU read/write, uncached. */
	AGX_PROT_GPU_FW_SHARED_RW,
	/** @AGX_PROT_GPU_FW_PRIV_RW: Firmware and GPU read/write, cached. */
	AGX_PROT_GPU_FW_PRIV_RW,
	/** @AGX_PROT_GPU_RO_FW_PRIV_RW: GPU read, firmware read/write, cached. */
	AGX_PROT_GPU_RO_FW_PRIV_RW,
	/** @AGX_PROT_FW_MMIO_RW: Firmware read/write, device memory. */
	AGX_PROT_FW_MMIO_RW,
	/** @AGX_PROT_FW_MMIO_RO: Firmware read-only, device memory. */
	AGX_PROT_FW_MMIO_RO,
	/** @AGX_PROT_COUNT: Number of protections. */
	AGX_PROT_COUNT,
};

/**
 * struct agx_pgtable - The page tables of one half of one address space.
 *
 * Three levels of 16 KiB tables (2048 entries; the top level uses 8),
 * indexed by VA bits 38:36, 35:25 and 24:14. Tables below the top are
 * created on demand by agx_pgtable_prealloc() and kept until
 * agx_pgtable_fini(): an emptied table is not freed earlier, so no table
 * walk can ever reach freed memory.
 *
 * The tables are changed under the owner's lock (the VM's @lock, or the
 * UAT's @kernel_lock for the kernel half); @slot and @slot_users are under
 * &agx_uat.slot_lock.
 */
struct agx_pgtable {
	/** @uat: The UAT. */
	struct agx_uat *uat;
	/** @top: Kernel mapping of the top-level table. */
	u64 *top;
	/** @top_pa: Its physical address (the TTB value without flags). */
	phys_addr_t top_pa;
	/** @kernel: The kernel half: global entries, ASID 0. */
	bool kernel;
	/** @top_owned: @top is a block of ours (not the reserved region). */
	bool top_owned;
	/** @slot: The context slot this table is bound to, or -1. */
	int slot;
	/** @slot_users: agx_uat_slot_get() calls not yet put. */
	unsigned int slot_users;
};

/**
 * struct agx_uat - The GPU MMU of a device.
 */
struct agx_uat {
	/** @adev: The device. */
	struct agx_device *adev;

	/** @ttbs: The TTB array: @AGX_UAT_NUM_SLOTS pairs {ttb0, ttb1}. */
	u64 *ttbs;
	/** @handoff: Kernel mapping of the handoff region. */
	u8 *handoff;
	/**
	 * @standin: Blocks standing in for the ttbs, pagetables and handoff
	 * regions while no backend has provided them (indexed by
	 * &enum agx_hw_region_id; NULL when the region is real).
	 */
	struct page *standin[3];

	/**
	 * @slot_lock: Lock protecting @slot_owner, every
	 * &agx_pgtable.slot/.slot_users and the TTB array. Taken with a VM's
	 * lock held, never the other way round. The handoff lock (shared
	 * with the firmware) nests inside it.
	 */
	struct mutex slot_lock;
	/** @slot_owner: The page table bound to each slot, or NULL. */
	struct agx_pgtable *slot_owner[AGX_UAT_NUM_SLOTS];
	/** @user_ttb1: TTB1 value of user slots (the kernel half on G14X), or 0. */
	u64 user_ttb1;

	/**
	 * @kernel_lock: Lock protecting @kernel and @kernel_lower: the
	 * kernel VM's tables.
	 */
	struct mutex kernel_lock;
	/** @kernel: Slot 0's TTB1: the shared kernel half. */
	struct agx_pgtable kernel;
	/** @kernel_lower: Slot 0's TTB0: the kernel context's lower half. */
	struct agx_pgtable kernel_lower;

	/** @oa_mask: Valid output address bits of a PTE for this chip. */
	u64 oa_mask;

	/**
	 * @unplugged: The backend is going away: the reserved regions and the
	 * backend must not be touched any more. Set with @slot_lock and
	 * @kernel_lock both held, so either lock keeps it stable.
	 */
	bool unplugged;

	/** @tlbi: TLB invalidations issued, by &enum agx_hw_tlbi. */
	atomic64_t tlbi[3];
};

int agx_uat_init(struct agx_device *adev);
void agx_uat_unplug(struct agx_uat *uat);

int agx_pgtable_init_user(struct agx_uat *uat, struct agx_pgtable *pt);
void agx_pgtable_fini(struct agx_pgtable *pt);
int agx_pgtable_prealloc(struct agx_pgtable *pt, u64 va, u64 size);
void agx_pgtable_map(struct agx_pgtable *pt, u64 va, u64 size,
		     const phys_addr_t *pa, bool repeat, enum agx_prot prot);
void agx_pgtable_unmap(struct agx_pgtable *pt, u64 va, u64 size);
u64 agx_pgtable_lookup(struct agx_pgtable *pt, u64 va, u64 ptes[3]);

int agx_uat_slot_get(struct agx_uat *uat, struct agx_pgtable *pt);
void agx_uat_slot_put(struct agx_uat *uat, struct agx_pgtable *pt);
void agx_uat_slot_release(struct agx_uat *uat, struct agx_pgtable *pt);

int agx_uat_handoff_init(struct agx_uat *uat);

int agx_kvm_map(struct agx_uat *uat, u64 va, u64 size, const phys_addr_t *pa,
		enum agx_prot prot);
void agx_kvm_unmap(struct agx_uat *uat, u64 va, u64 size);

void agx_uat_debugfs_slots(struct agx_uat *uat, struct seq_file *m);
const char *agx_prot_name(enum agx_prot prot);

#endif /* AGX_UAT_H */
