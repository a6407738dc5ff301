// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The agx authors
 */

/**
 * DOC: The UAT, the GPU's MMU
 *
 * The GPU translates addresses through ARM64-style page tables (the
 * "UAT") with a 16 KiB granule. An address space has two halves: VA bits
 * 63:39 all zero select TTB0 (the user half), all one select TTB1 (the
 * kernel half). Each half has three levels, indexed by VA bits 38:36 (8
 * entries used), 35:25 and 24:14; each table is one 16 KiB block of 2048
 * 8-byte entries. Table and leaf entries both have type 3 in bits 1:0.
 *
 * Leaf entries carry the output address in bits 47:14, the memory
 * attribute index (cached, device, uncached) in bits 4:2 and the access
 * bits AP (7:6), PXN (53) and UXN (54), whose meaning differs from the
 * CPU's: &enum agx_prot names the combinations the driver uses. The access
 * flag (bit 10) and bit 55 are always set; nG (bit 11) is set everywhere
 * except in the shared kernel half, so user entries are tagged with their
 * context's ASID.
 *
 * The firmware loads the TTBs of a context from the "ttbs" region: 64
 * slots of {ttb0, ttb1}, each TTB being the top table's address | 1 |
 * ASID << 48, where the ASID is the slot number. Slot 0 is the kernel's
 * (ASID 0): TTB0 is a table of ours, TTB1 the kernel half whose top-level
 * table is the "pagetables" region set up by the bootloader (the
 * firmware's own mappings live there too; the driver only adds entries).
 * User VMs get slots 1..63 on demand, through agx_uat_slot_get() and
 * agx_uat_slot_put(); an idle slot stays bound until another VM needs it.
 *
 * The GPU's TLB is maintained with invalidations by ASID and range
 * (agx_hw_tlbi()): after every unmap, after any change of a valid entry,
 * and whenever a slot changes hands. An entry that was invalid may be
 * filled without invalidation, since the TLB never caches a miss.
 *
 * Changes of the TTB array are made under the handoff lock, Dekker's
 * algorithm between the CPU and the firmware over flags in the "handoff"
 * region, and never to the slot the firmware says it is using.
 *
 * Page tables are created before any entry of a change is written
 * (agx_pgtable_prealloc()), so a change either fails with -ENOMEM before
 * it starts or cannot fail at all. Emptied tables stay allocated until
 * their address space is destroyed.
 *
 * Until a hardware backend has probed, the UAT works on blocks of its own
 * standing in for the reserved regions, and invalidations are counted but
 * go nowhere. That keeps the ioctls usable on a device with no GPU.
 */

#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "agx_device.h"
#include "agx_gem.h"
#include "agx_uat.h"

/* Descriptor bits. */
#define AGX_PTE_VALID		BIT_ULL(0)
#define AGX_PTE_TYPE		BIT_ULL(1)
#define AGX_PTE_TABLE_OR_PAGE	(AGX_PTE_VALID | AGX_PTE_TYPE)
#define AGX_PTE_ATTRINDX	GENMASK_ULL(4, 2)
#define AGX_PTE_AP		GENMASK_ULL(7, 6)
#define AGX_PTE_SH		GENMASK_ULL(9, 8)
#define AGX_PTE_AF		BIT_ULL(10)
#define AGX_PTE_NG		BIT_ULL(11)
#define AGX_PTE_OA		GENMASK_ULL(47, 14)
#define AGX_PTE_PXN		BIT_ULL(53)
#define AGX_PTE_UXN		BIT_ULL(54)
#define AGX_PTE_GPU_ACCESS	BIT_ULL(55)

/*
 * Shareability. Our facts name the field but not the value the driver
 * writes; the simulator ignores it. Outer shareable, as for memory shared
 * between agents; to be confirmed on hardware (docs/decisions.md).
 */
#define AGX_PTE_SH_VALUE	2

/* Memory attribute indices. */
#define AGX_MEMATTR_CACHED	0
#define AGX_MEMATTR_DEVICE	1
#define AGX_MEMATTR_UNCACHED	2

/* AP values: who may access, with UXN/PXN choosing how. */
#define AGX_AP_FW_GPU		0
#define AGX_AP_FW		1
#define AGX_AP_GPU		2

/* TTB array entries. */
#define AGX_TTB_VALID		BIT_ULL(0)
#define AGX_TTB_ASID		GENMASK_ULL(63, 48)

/* Levels: index shift and number of entries used. */
#define AGX_PT_LEVELS		3
#define AGX_PT_ENTRIES		(AGX_GPU_PAGE_SIZE / sizeof(u64))
static const unsigned int agx_pt_shift[AGX_PT_LEVELS] = { 36, 25, 14 };
static const unsigned int agx_pt_entries[AGX_PT_LEVELS] = { 8, AGX_PT_ENTRIES, AGX_PT_ENTRIES };
/* VA covered by one leaf table. */
#define AGX_PT_LEAF_SPAN	(1ULL << 25)

/* Handoff region layout. */
#define AGX_HANDOFF_MAGIC	0x4b1d000000000002ULL
#define AGX_HANDOFF_MAGIC_AP	0x000
#define AGX_HANDOFF_MAGIC_FW	0x008
#define AGX_HANDOFF_LOCK_AP	0x010
#define AGX_HANDOFF_LOCK_FW	0x011
#define AGX_HANDOFF_TURN	0x014
#define AGX_HANDOFF_CUR_SLOT	0x018
#define AGX_HANDOFF_FLUSH	0x020
#define AGX_HANDOFF_FLUSH_SIZE	(65 * 0x18)
#define AGX_HANDOFF_UNK3	0x640
#define AGX_HANDOFF_SIZE	0x648

#define AGX_TTBS_SIZE		(AGX_UAT_NUM_SLOTS * 2 * sizeof(u64))

struct agx_prot_bits {
	const char *name;
	u8 attr;
	u8 ap;
	bool uxn;
	bool pxn;
};

/*
 * The named protections. Under AP "GPU only" no XN bit means read-only,
 * PXN write-only and UXN read/write; under "firmware only" no XN bit means
 * read-only and UXN read/write (both: and GPU read); under "firmware and
 * GPU" PXN means read-only, UXN write-only and both read/write.
 */
static const struct agx_prot_bits agx_prots[AGX_PROT_COUNT] = {
	[AGX_PROT_GPU_SHARED_RW] = { "gpu-rw", AGX_MEMATTR_UNCACHED, AGX_AP_GPU, true, false },
	[AGX_PROT_GPU_SHARED_RO] = { "gpu-ro", AGX_MEMATTR_UNCACHED, AGX_AP_GPU, false, false },
	[AGX_PROT_GPU_SHARED_WO] = { "gpu-wo", AGX_MEMATTR_UNCACHED, AGX_AP_GPU, false, true },
	[AGX_PROT_FW_SHARED_RW] = { "fw-shared-rw", AGX_MEMATTR_UNCACHED, AGX_AP_FW, true, false },
	[AGX_PROT_FW_SHARED_RO] = { "fw-shared-ro", AGX_MEMATTR_UNCACHED, AGX_AP_FW, false, false },
	[AGX_PROT_FW_PRIV_RW] = { "fw-priv-rw", AGX_MEMATTR_CACHED, AGX_AP_FW, true, false },
	[AGX_PROT_GPU_FW_SHARED_RW] = { "gpu-fw-shared-rw", AGX_MEMATTR_UNCACHED, AGX_AP_FW_GPU, true, true },
	[AGX_PROT_GPU_FW_PRIV_RW] = { "gpu-fw-priv-rw", AGX_MEMATTR_CACHED, AGX_AP_FW_GPU, true, true },
	[AGX_PROT_GPU_RO_FW_PRIV_RW] = { "gpu-ro-fw-priv-rw", AGX_MEMATTR_CACHED, AGX_AP_FW, true, true },
	[AGX_PROT_FW_MMIO_RW] = { "fw-mmio-rw", AGX_MEMATTR_DEVICE, AGX_AP_FW, true, false },
	[AGX_PROT_FW_MMIO_RO] = { "fw-mmio-ro", AGX_MEMATTR_DEVICE, AGX_AP_FW, false, false },
};

/**
 * agx_prot_name() - Short name of a protection, for debugfs.
 * @prot: The protection.
 *
 * Return: A static string.
 */
const char *agx_prot_name(enum agx_prot prot)
{
	return prot < AGX_PROT_COUNT ? agx_prots[prot].name : "?";
}

static u64 agx_pte_leaf_bits(const struct agx_pgtable *pt, enum agx_prot prot)
{
	const struct agx_prot_bits *p = &agx_prots[prot];
	u64 bits = AGX_PTE_TABLE_OR_PAGE | AGX_PTE_AF | AGX_PTE_GPU_ACCESS |
		   FIELD_PREP(AGX_PTE_ATTRINDX, p->attr) |
		   FIELD_PREP(AGX_PTE_AP, p->ap) |
		   FIELD_PREP(AGX_PTE_SH, AGX_PTE_SH_VALUE);

	if (p->uxn)
		bits |= AGX_PTE_UXN;
	if (p->pxn)
		bits |= AGX_PTE_PXN;
	/* Only the shared kernel half (TTB1) is global. */
	if (!(pt->kernel && pt->top_pa == pt->uat->kernel.top_pa))
		bits |= AGX_PTE_NG;
	return bits;
}

static void agx_uat_tlbi(struct agx_uat *uat, enum agx_hw_tlbi kind, u32 asid,
			 u64 va, u64 size)
{
	struct agx_hw *hw = &uat->adev->hw;

	atomic64_inc(&uat->tlbi[kind]);
	if (hw->ops && !uat->unplugged)
		agx_hw_tlbi(hw, kind, asid, va, size);
}

/* ---- Handoff ------------------------------------------------------------ */

static u8 *agx_handoff_u8(struct agx_uat *uat, unsigned int off)
{
	return uat->handoff + off;
}

static u32 *agx_handoff_u32(struct agx_uat *uat, unsigned int off)
{
	return (u32 *)(uat->handoff + off);
}

static u64 *agx_handoff_u64(struct agx_uat *uat, unsigned int off)
{
	return (u64 *)(uat->handoff + off);
}

/*
 * The CPU's side of Dekker's algorithm with the firmware. The CPU is
 * party 0: it waits while the firmware wants the lock and it is the
 * firmware's turn, and hands the turn over when it unlocks. CPU threads
 * are serialised by &agx_uat.slot_lock before they get here.
 */
static void agx_handoff_lock(struct agx_uat *uat)
{
	u8 *lock_ap = agx_handoff_u8(uat, AGX_HANDOFF_LOCK_AP);
	u8 *lock_fw = agx_handoff_u8(uat, AGX_HANDOFF_LOCK_FW);
	u32 *turn = agx_handoff_u32(uat, AGX_HANDOFF_TURN);

	lockdep_assert_held(&uat->slot_lock);

	WRITE_ONCE(*lock_ap, 1);
	mb(); /* our flag before reading theirs */
	while (READ_ONCE(*lock_fw)) {
		if (READ_ONCE(*turn) != 0) {
			WRITE_ONCE(*lock_ap, 0);
			mb(); /* let the firmware in */
			while (READ_ONCE(*turn) != 0)
				cpu_relax();
			WRITE_ONCE(*lock_ap, 1);
			mb(); /* flag again before re-reading theirs */
		}
		cpu_relax();
	}
	mb(); /* the critical section starts after the lock is seen */
}

static void agx_handoff_unlock(struct agx_uat *uat)
{
	mb(); /* the critical section's writes before the release */
	WRITE_ONCE(*agx_handoff_u32(uat, AGX_HANDOFF_TURN), 1);
	mb(); /* turn before flag */
	WRITE_ONCE(*agx_handoff_u8(uat, AGX_HANDOFF_LOCK_AP), 0);
	mb(); /* visible before anything else happens */
}

static u32 agx_handoff_cur_slot(struct agx_uat *uat)
{
	if (uat->unplugged)
		return 0;
	return READ_ONCE(*agx_handoff_u32(uat, AGX_HANDOFF_CUR_SLOT));
}

/*
 * agx_handoff_timeout_ms - How long the firmware may take to answer the
 * handoff at bring-up (module parameter). The real firmware answers at once;
 * the simulated one, in a TCG guest on a loaded host, has been seen to need
 * more than 15 s, so the default is generous: it only delays the report of a
 * firmware that never answers.
 */
static unsigned int agx_handoff_timeout_ms = 60000;
module_param_named(handoff_timeout_ms, agx_handoff_timeout_ms, uint, 0644);
MODULE_PARM_DESC(handoff_timeout_ms,
		 "Milliseconds the firmware may take to answer the handoff at bring-up (default 60000)");

/**
 * agx_uat_handoff_init() - The handoff handshake with the firmware.
 * @uat: The UAT.
 *
 * For firmware bring-up, once the coprocessor runs: writes the CPU's magic
 * and waits (up to 15 seconds: the simulated firmware under QEMU/TCG on a
 * loaded host can take more than one) for the firmware to answer with the same,
 * then clears the flush requests.
 *
 * Return: 0, or -ETIMEDOUT if the firmware does not answer.
 */
int agx_uat_handoff_init(struct agx_uat *uat)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(agx_handoff_timeout_ms);
	int ret = -ETIMEDOUT;

	mutex_lock(&uat->slot_lock);
	WRITE_ONCE(*agx_handoff_u32(uat, AGX_HANDOFF_CUR_SLOT), 0);
	WRITE_ONCE(*agx_handoff_u64(uat, AGX_HANDOFF_UNK3), 0);
	mb(); /* cleared fields before the magic */
	WRITE_ONCE(*agx_handoff_u64(uat, AGX_HANDOFF_MAGIC_AP), AGX_HANDOFF_MAGIC);
	for (;;) {
		agx_handoff_lock(uat);
		if (READ_ONCE(*agx_handoff_u64(uat, AGX_HANDOFF_MAGIC_FW)) ==
		    AGX_HANDOFF_MAGIC) {
			memset(uat->handoff + AGX_HANDOFF_FLUSH, 0,
			       AGX_HANDOFF_FLUSH_SIZE);
			ret = 0;
		}
		agx_handoff_unlock(uat);
		if (!ret || time_after(jiffies, deadline))
			break;
		usleep_range(10000, 11000);
	}
	mutex_unlock(&uat->slot_lock);
	return ret;
}

/* ---- Page tables -------------------------------------------------------- */

static unsigned int agx_pt_index(u64 va, unsigned int level)
{
	return (va >> agx_pt_shift[level]) & (agx_pt_entries[level] - 1);
}

/* Kernel address of a table, given its physical address. */
static u64 *agx_pt_table_va(struct agx_uat *uat, phys_addr_t pa)
{
	struct agx_hw_region *r = &uat->adev->hw.regions[AGX_HW_REGION_PAGETABLES];

	if (!uat->standin[AGX_HW_REGION_PAGETABLES] && r->va &&
	    pa >= r->pa && pa - r->pa < r->size_B)
		return (u64 *)((u8 *)r->va + (pa - r->pa));
	return phys_to_virt(pa);
}

static bool agx_pt_in_region(struct agx_uat *uat, phys_addr_t pa)
{
	struct agx_hw_region *r = &uat->adev->hw.regions[AGX_HW_REGION_PAGETABLES];

	return !uat->standin[AGX_HW_REGION_PAGETABLES] && r->va &&
	       pa >= r->pa && pa - r->pa < r->size_B;
}

static phys_addr_t agx_pte_pa(u64 pte)
{
	return pte & AGX_PTE_OA;
}

/*
 * The table below entry @idx of @table: existing, or a new one when
 * @alloc, or NULL. Caller holds the page table's owner lock.
 */
static u64 *agx_pt_child(struct agx_pgtable *pt, u64 *table, unsigned int idx,
			 bool alloc)
{
	u64 pte = READ_ONCE(table[idx]);
	struct page *block;

	if ((pte & AGX_PTE_TABLE_OR_PAGE) == AGX_PTE_TABLE_OR_PAGE)
		return agx_pt_table_va(pt->uat, agx_pte_pa(pte));
	if (!alloc)
		return NULL;

	block = agx_block_alloc(GFP_KERNEL);
	if (!block)
		return ERR_PTR(-ENOMEM);
	atomic_inc(&pt->uat->adev->stats.pt_blocks);
	wmb(); /* the zeroed table before the entry that points to it */
	WRITE_ONCE(table[idx], page_to_phys(block) | AGX_PTE_TABLE_OR_PAGE);
	return page_address(block);
}

/* The leaf table covering @va, or NULL (or an ERR_PTR when allocating). */
static u64 *agx_pt_leaf(struct agx_pgtable *pt, u64 va, bool alloc)
{
	u64 *table = pt->top;
	unsigned int level;

	for (level = 0; level < AGX_PT_LEVELS - 1 && !IS_ERR_OR_NULL(table); level++)
		table = agx_pt_child(pt, table, agx_pt_index(va, level), alloc);
	return table;
}

/**
 * agx_pgtable_prealloc() - Create the tables a range needs.
 * @pt: The page tables; the owner's lock held.
 * @va: Start, 16 KiB aligned.
 * @size: Length, 16 KiB aligned.
 *
 * After success agx_pgtable_map() cannot fail on this range. On failure
 * the tables made so far stay (empty, harmless) until agx_pgtable_fini().
 *
 * Return: 0 or -ENOMEM.
 */
int agx_pgtable_prealloc(struct agx_pgtable *pt, u64 va, u64 size)
{
	u64 end = va + size;
	u64 cur;

	for (cur = va & ~(AGX_PT_LEAF_SPAN - 1); cur < end; cur += AGX_PT_LEAF_SPAN) {
		u64 *leaf = agx_pt_leaf(pt, cur, true);

		if (IS_ERR(leaf))
			return PTR_ERR(leaf);
		cond_resched();
	}
	return 0;
}

static void agx_pgtable_invalidate(struct agx_pgtable *pt, u64 va, u64 size)
{
	struct agx_uat *uat = pt->uat;

	if (pt->kernel) {
		agx_uat_tlbi(uat, AGX_HW_TLBI_RANGE, 0, va, size);
		return;
	}
	/*
	 * A VM without a slot has nothing in the TLB: releasing a slot
	 * invalidates its ASID.
	 */
	mutex_lock(&uat->slot_lock);
	if (pt->slot >= 0)
		agx_uat_tlbi(uat, AGX_HW_TLBI_RANGE, pt->slot, va, size);
	mutex_unlock(&uat->slot_lock);
}

/**
 * agx_pgtable_map() - Write leaf entries.
 * @pt: The page tables; the owner's lock held.
 * @va: Start, 16 KiB aligned.
 * @size: Length, 16 KiB aligned; the tables exist (agx_pgtable_prealloc()).
 * @pa: Physical address of each 16 KiB page, or of the one page when @repeat.
 * @repeat: Map @pa[0] over the whole range.
 * @prot: The protection.
 *
 * Entries that were valid are replaced and the range invalidated.
 */
void agx_pgtable_map(struct agx_pgtable *pt, u64 va, u64 size,
		     const phys_addr_t *pa, bool repeat, enum agx_prot prot)
{
	u64 bits = agx_pte_leaf_bits(pt, prot);
	u64 n = size >> AGX_GPU_PAGE_SHIFT;
	bool replaced = false;
	u64 *leaf = NULL;
	u64 i;

	for (i = 0; i < n; i++) {
		u64 cur = va + (i << AGX_GPU_PAGE_SHIFT);
		unsigned int idx = agx_pt_index(cur, 2);
		phys_addr_t addr = repeat ? pa[0] : pa[i];
		u64 old;

		if (!leaf || idx == 0) {
			/* A repeated page may span hundreds of GiB. */
			cond_resched();
			leaf = agx_pt_leaf(pt, cur, false);
			if (drm_WARN_ON(&pt->uat->adev->drm, IS_ERR_OR_NULL(leaf)))
				return;
		}
		drm_WARN_ON_ONCE(&pt->uat->adev->drm, addr & ~pt->uat->oa_mask);
		old = READ_ONCE(leaf[idx]);
		replaced |= old & AGX_PTE_VALID;
		WRITE_ONCE(leaf[idx], (addr & AGX_PTE_OA & pt->uat->oa_mask) | bits);
	}
	wmb(); /* entries before any invalidation or use */
	if (replaced)
		agx_pgtable_invalidate(pt, va, size);
}

/**
 * agx_pgtable_unmap() - Clear leaf entries and invalidate the range.
 * @pt: The page tables; the owner's lock held.
 * @va: Start, 16 KiB aligned.
 * @size: Length, 16 KiB aligned.
 */
void agx_pgtable_unmap(struct agx_pgtable *pt, u64 va, u64 size)
{
	u64 end = va + size;
	u64 cur = va;

	while (cur < end) {
		u64 next = min((cur | (AGX_PT_LEAF_SPAN - 1)) + 1, end);
		u64 *leaf = agx_pt_leaf(pt, cur, false);

		if (leaf) {
			for (; cur < next; cur += AGX_GPU_PAGE_SIZE)
				WRITE_ONCE(leaf[agx_pt_index(cur, 2)], 0);
		}
		cur = next;
		cond_resched();
	}
	wmb(); /* cleared entries before the invalidation */
	agx_pgtable_invalidate(pt, va, size);
}

/**
 * agx_pgtable_lookup() - Walk the tables for one address.
 * @pt: The page tables; the owner's lock held.
 * @va: The address.
 * @ptes: The entry found at each level (0 where the walk stopped).
 *
 * Return: The leaf entry, or 0.
 */
u64 agx_pgtable_lookup(struct agx_pgtable *pt, u64 va, u64 ptes[3])
{
	u64 *table = pt->top;
	unsigned int level;

	memset(ptes, 0, 3 * sizeof(u64));
	for (level = 0; level < AGX_PT_LEVELS; level++) {
		u64 pte = READ_ONCE(table[agx_pt_index(va, level)]);

		ptes[level] = pte;
		if ((pte & AGX_PTE_TABLE_OR_PAGE) != AGX_PTE_TABLE_OR_PAGE)
			return 0;
		if (level < AGX_PT_LEVELS - 1)
			table = agx_pt_table_va(pt->uat, agx_pte_pa(pte));
	}
	return ptes[AGX_PT_LEVELS - 1];
}

static int agx_pgtable_init_top(struct agx_uat *uat, struct agx_pgtable *pt)
{
	struct page *block = agx_block_alloc(GFP_KERNEL);

	if (!block)
		return -ENOMEM;
	atomic_inc(&uat->adev->stats.pt_blocks);
	pt->uat = uat;
	pt->top = page_address(block);
	pt->top_pa = page_to_phys(block);
	pt->top_owned = true;
	pt->slot = -1;
	return 0;
}

/**
 * agx_pgtable_init_user() - Page tables of a user VM's TTB0 half.
 * @uat: The UAT.
 * @pt: The tables to initialise.
 *
 * Return: 0 or -ENOMEM.
 */
int agx_pgtable_init_user(struct agx_uat *uat, struct agx_pgtable *pt)
{
	memset(pt, 0, sizeof(*pt));
	return agx_pgtable_init_top(uat, pt);
}

static void agx_pt_free_table(struct agx_pgtable *pt, u64 *table, phys_addr_t pa,
			      unsigned int level)
{
	unsigned int i;

	if (level < AGX_PT_LEVELS - 1) {
		for (i = 0; i < agx_pt_entries[level]; i++) {
			u64 pte = READ_ONCE(table[i]);

			/*
			 * In the bootloader's kernel half only the driver's
			 * range has tables of ours; the rest is the firmware's.
			 */
			if (level == 0 && !pt->top_owned &&
			    i != agx_pt_index(AGX_KVA_DRIVER_START, 0))
				continue;

			if ((pte & AGX_PTE_TABLE_OR_PAGE) != AGX_PTE_TABLE_OR_PAGE)
				continue;
			agx_pt_free_table(pt, agx_pt_table_va(pt->uat, agx_pte_pa(pte)),
					  agx_pte_pa(pte), level + 1);
		}
	}
	/* The top table is the caller's; the region's tables are the firmware's. */
	if (level == 0 || agx_pt_in_region(pt->uat, pa))
		return;
	agx_block_free(virt_to_page(table));
	atomic_dec(&pt->uat->adev->stats.pt_blocks);
}

/**
 * agx_pgtable_fini() - Free page tables.
 * @pt: The tables, no longer bound to a slot.
 *
 * Frees every table the driver made; leaves those of the reserved region.
 */
void agx_pgtable_fini(struct agx_pgtable *pt)
{
	if (!pt->top)
		return;
	drm_WARN_ON(&pt->uat->adev->drm, pt->slot >= 0 && !pt->kernel);
	agx_pt_free_table(pt, pt->top, pt->top_pa, 0);
	if (pt->top_owned) {
		agx_block_free(virt_to_page(pt->top));
		atomic_dec(&pt->uat->adev->stats.pt_blocks);
	}
	pt->top = NULL;
}

/* ---- Context slots ------------------------------------------------------ */

static u64 agx_ttb(phys_addr_t table, unsigned int asid)
{
	return table | AGX_TTB_VALID | FIELD_PREP(AGX_TTB_ASID, asid);
}

static void agx_uat_write_slot(struct agx_uat *uat, unsigned int slot, u64 ttb0,
			       u64 ttb1)
{
	if (uat->unplugged)
		return;
	agx_handoff_lock(uat);
	WRITE_ONCE(uat->ttbs[slot * 2], ttb0);
	WRITE_ONCE(uat->ttbs[slot * 2 + 1], ttb1);
	agx_handoff_unlock(uat);
}

/* Unbind @slot from its owner. Caller holds slot_lock. */
static int agx_uat_slot_unbind_locked(struct agx_uat *uat, unsigned int slot,
				      bool force)
{
	struct agx_pgtable *pt = uat->slot_owner[slot];

	lockdep_assert_held(&uat->slot_lock);

	if (agx_handoff_cur_slot(uat) == slot && !force)
		return -EBUSY;
	agx_uat_write_slot(uat, slot, 0, 0);
	agx_uat_tlbi(uat, AGX_HW_TLBI_ASID, slot, 0, 0);
	uat->slot_owner[slot] = NULL;
	if (pt)
		pt->slot = -1;
	return 0;
}

/**
 * agx_uat_slot_get() - Bind a user VM's tables to a context slot.
 * @uat: The UAT.
 * @pt: The VM's page tables.
 *
 * For the queue code: a VM needs a slot while the GPU may run its work.
 * A VM that still holds its previous slot gets it back; otherwise a free
 * slot is taken, or an idle one (no users) is taken over from its VM.
 * Every successful call must be balanced by agx_uat_slot_put().
 *
 * Return: The slot (also the ASID), or -EBUSY when all are in use.
 */
int agx_uat_slot_get(struct agx_uat *uat, struct agx_pgtable *pt)
{
	unsigned int s, victim = 0;
	int ret;

	mutex_lock(&uat->slot_lock);
	if (pt->slot >= 0) {
		pt->slot_users++;
		ret = pt->slot;
		goto out_unlock;
	}
	for (s = AGX_UAT_USER_SLOT_FIRST; s < AGX_UAT_NUM_SLOTS; s++) {
		if (!uat->slot_owner[s])
			break;
		if (!victim && !uat->slot_owner[s]->slot_users &&
		    agx_handoff_cur_slot(uat) != s)
			victim = s;
	}
	if (s == AGX_UAT_NUM_SLOTS) {
		ret = -EBUSY;
		if (!victim || agx_uat_slot_unbind_locked(uat, victim, false))
			goto out_unlock;
		s = victim;
	}

	agx_uat_write_slot(uat, s, agx_ttb(pt->top_pa, s),
			   uat->user_ttb1 ? uat->user_ttb1 | FIELD_PREP(AGX_TTB_ASID, s) : 0);
	/* Nothing of an earlier user of the ASID may survive. */
	agx_uat_tlbi(uat, AGX_HW_TLBI_ASID, s, 0, 0);
	uat->slot_owner[s] = pt;
	pt->slot = s;
	pt->slot_users = 1;
	ret = s;

out_unlock:
	mutex_unlock(&uat->slot_lock);
	return ret;
}

/**
 * agx_uat_slot_put() - Drop a use of a VM's slot.
 * @uat: The UAT.
 * @pt: The VM's page tables.
 *
 * The slot stays bound, idle, until another VM needs it or the VM dies.
 */
void agx_uat_slot_put(struct agx_uat *uat, struct agx_pgtable *pt)
{
	mutex_lock(&uat->slot_lock);
	if (!drm_WARN_ON(&uat->adev->drm, pt->slot < 0 || !pt->slot_users))
		pt->slot_users--;
	mutex_unlock(&uat->slot_lock);
}

/**
 * agx_uat_slot_release() - Unbind a VM's tables from its idle slot.
 * @uat: The UAT.
 * @pt: The VM's page tables.
 *
 * For a dying VM, and for a queue dropping the last use of a VM. A slot
 * that still has users (a queue whose work may run; it holds a reference
 * to the VM) stays bound: its last user calls this again.
 */
void agx_uat_slot_release(struct agx_uat *uat, struct agx_pgtable *pt)
{
	mutex_lock(&uat->slot_lock);
	if (pt->slot >= 0 && !pt->slot_users) {
		drm_WARN_ON(&uat->adev->drm, agx_handoff_cur_slot(uat) == pt->slot);
		agx_uat_slot_unbind_locked(uat, pt->slot, true);
	}
	mutex_unlock(&uat->slot_lock);
}

/**
 * agx_uat_debugfs_slots() - Print the TTB array.
 * @uat: The UAT.
 * @m: The seq_file.
 */
void agx_uat_debugfs_slots(struct agx_uat *uat, struct seq_file *m)
{
	unsigned int s;

	mutex_lock(&uat->slot_lock);
	seq_printf(m, "handoff cur_slot %u\n", agx_handoff_cur_slot(uat));
	for (s = 0; s < AGX_UAT_NUM_SLOTS && !uat->unplugged; s++) {
		u64 ttb0 = READ_ONCE(uat->ttbs[s * 2]);
		u64 ttb1 = READ_ONCE(uat->ttbs[s * 2 + 1]);
		struct agx_pgtable *pt = uat->slot_owner[s];

		if (!s)
			seq_printf(m, "slot 0 kernel ttb0 %#018llx ttb1 %#018llx\n",
				   ttb0, ttb1);
		else if (pt)
			seq_printf(m, "slot %u bound users %u ttb0 %#018llx ttb1 %#018llx\n",
				   s, pt->slot_users, ttb0, ttb1);
		else if (ttb0 || ttb1)
			seq_printf(m, "slot %u stray ttb0 %#018llx ttb1 %#018llx\n",
				   s, ttb0, ttb1);
	}
	seq_printf(m, "tlbi all %lld asid %lld range %lld\n",
		   (long long)atomic64_read(&uat->tlbi[AGX_HW_TLBI_ALL]),
		   (long long)atomic64_read(&uat->tlbi[AGX_HW_TLBI_ASID]),
		   (long long)atomic64_read(&uat->tlbi[AGX_HW_TLBI_RANGE]));
	mutex_unlock(&uat->slot_lock);
}

/* ---- Kernel VM ---------------------------------------------------------- */

static bool agx_kvm_range_ok(u64 va, u64 size)
{
	return va >= AGX_KVA_DRIVER_START && size && !(va & AGX_GPU_PAGE_MASK) &&
	       !(size & AGX_GPU_PAGE_MASK) && size <= AGX_KVA_DRIVER_END - va;
}

/**
 * agx_kvm_map() - Map physical pages into the kernel half.
 * @uat: The UAT.
 * @va: Address in the driver's range of the kernel half
 *      [AGX_KVA_DRIVER_START, AGX_KVA_DRIVER_END), 16 KiB aligned.
 * @size: Length, 16 KiB aligned.
 * @pa: Physical address of each 16 KiB page.
 * @prot: The protection.
 *
 * For firmware objects and GEM_BIND_OBJECT. The range must be unmapped.
 *
 * Return: 0, -EINVAL for a bad range, -EBUSY if something is mapped
 * there, -ENOMEM (nothing mapped then).
 */
int agx_kvm_map(struct agx_uat *uat, u64 va, u64 size, const phys_addr_t *pa,
		enum agx_prot prot)
{
	u64 ptes[3], cur;
	int ret;

	if (!agx_kvm_range_ok(va, size))
		return -EINVAL;

	mutex_lock(&uat->kernel_lock);
	if (uat->unplugged) {
		ret = -ENODEV;
		goto out_unlock;
	}
	for (cur = va; cur < va + size; cur += AGX_GPU_PAGE_SIZE) {
		if (agx_pgtable_lookup(&uat->kernel, cur, ptes)) {
			ret = -EBUSY;
			goto out_unlock;
		}
	}
	ret = agx_pgtable_prealloc(&uat->kernel, va, size);
	if (!ret)
		agx_pgtable_map(&uat->kernel, va, size, pa, false, prot);
out_unlock:
	mutex_unlock(&uat->kernel_lock);
	return ret;
}

/**
 * agx_kvm_unmap() - Unmap a range of the kernel half and invalidate it.
 * @uat: The UAT.
 * @va: Kernel-half address, 16 KiB aligned.
 * @size: Length, 16 KiB aligned.
 */
void agx_kvm_unmap(struct agx_uat *uat, u64 va, u64 size)
{
	if (drm_WARN_ON(&uat->adev->drm, !agx_kvm_range_ok(va, size)))
		return;
	mutex_lock(&uat->kernel_lock);
	if (!uat->unplugged)
		agx_pgtable_unmap(&uat->kernel, va, size);
	mutex_unlock(&uat->kernel_lock);
}

/* ---- Set-up ------------------------------------------------------------- */

/* The region, or a zeroed block of ours standing in for it. */
static void *agx_uat_region(struct agx_uat *uat, enum agx_hw_region_id id,
			    size_t min_size, phys_addr_t *pa)
{
	struct agx_hw_region *r = &uat->adev->hw.regions[id];
	struct page *block;

	if (r->va) {
		if (r->size_B < min_size) {
			drm_err(&uat->adev->drm, "reserved region %d is too small (%zu)\n",
				id, r->size_B);
			return ERR_PTR(-EINVAL);
		}
		*pa = r->pa;
		return r->va;
	}
	block = agx_block_alloc(GFP_KERNEL);
	if (!block)
		return ERR_PTR(-ENOMEM);
	uat->standin[id] = block;
	*pa = page_to_phys(block);
	return page_address(block);
}

/**
 * agx_uat_unplug() - Stop using the backend and the reserved regions.
 * @uat: The UAT, or NULL.
 *
 * Called before the backend is removed. Frees the driver's tables of the
 * kernel half (which hang off the "pagetables" region); user VMs, which
 * open files may still hold, keep working on their own memory, but their
 * slots are no longer written.
 */
void agx_uat_unplug(struct agx_uat *uat)
{
	if (!uat)
		return;
	mutex_lock(&uat->slot_lock);
	mutex_lock(&uat->kernel_lock);
	agx_pgtable_fini(&uat->kernel);
	uat->unplugged = true;
	mutex_unlock(&uat->kernel_lock);
	mutex_unlock(&uat->slot_lock);
}

static void agx_uat_release(struct drm_device *drm, void *data)
{
	struct agx_uat *uat = data;
	unsigned int i;

	/* The kernel half went with agx_uat_unplug(), if it was ever set up. */
	if (!uat->unplugged)
		agx_pgtable_fini(&uat->kernel);
	agx_pgtable_fini(&uat->kernel_lower);
	for (i = 0; i < ARRAY_SIZE(uat->standin); i++)
		if (uat->standin[i])
			agx_block_free(uat->standin[i]);
	kfree(uat);
}

/**
 * agx_uat_init() - Set up the UAT of a device.
 * @adev: The device; its backend has probed, or there is none.
 *
 * Makes the kernel context (slot 0) and clears the user slots. Freed with
 * the DRM device.
 *
 * Return: 0 or a negative error.
 */
int agx_uat_init(struct agx_device *adev)
{
	const struct agx_hw_info *info = &adev->hw.info;
	phys_addr_t pa;
	struct agx_uat *uat;
	unsigned int oas;
	void *va;
	int ret;

	uat = kzalloc(sizeof(*uat), GFP_KERNEL);
	if (!uat)
		return -ENOMEM;
	uat->adev = adev;
	mutex_init(&uat->slot_lock);
	mutex_init(&uat->kernel_lock);
	uat->kernel.slot = 0;
	uat->kernel_lower.slot = 0;

	ret = drmm_add_action_or_reset(&adev->drm, agx_uat_release, uat);
	if (ret)
		return ret;

	/* Multi-die and -cluster parts (t600x, t602x) have 42 bits. */
	oas = info->chip_id && info->chip_id != 0x8103 && info->chip_id != 0x8112 ?
	      42 : 40;
	uat->oa_mask = GENMASK_ULL(oas - 1, 0);

	va = agx_uat_region(uat, AGX_HW_REGION_TTBS, AGX_TTBS_SIZE, &pa);
	if (IS_ERR(va))
		return PTR_ERR(va);
	uat->ttbs = va;

	va = agx_uat_region(uat, AGX_HW_REGION_HANDOFF, AGX_HANDOFF_SIZE, &pa);
	if (IS_ERR(va))
		return PTR_ERR(va);
	uat->handoff = va;

	va = agx_uat_region(uat, AGX_HW_REGION_PAGETABLES, AGX_GPU_PAGE_SIZE, &pa);
	if (IS_ERR(va))
		return PTR_ERR(va);
	uat->kernel.uat = uat;
	uat->kernel.top = va;
	uat->kernel.top_pa = pa;
	uat->kernel.kernel = true;

	ret = agx_pgtable_init_top(uat, &uat->kernel_lower);
	if (ret)
		return ret;
	uat->kernel_lower.kernel = true;
	uat->kernel_lower.slot = 0;

	/* G14X reaches the kernel half from user contexts too. */
	if (info->gpu_gen == 14 && info->gpu_variant != 'G')
		uat->user_ttb1 = uat->kernel.top_pa | AGX_TTB_VALID;

	mutex_lock(&uat->slot_lock);
	agx_handoff_lock(uat);
	WRITE_ONCE(uat->ttbs[0], agx_ttb(uat->kernel_lower.top_pa, 0));
	WRITE_ONCE(uat->ttbs[1], agx_ttb(uat->kernel.top_pa, 0));
	memset(&uat->ttbs[2], 0, AGX_TTBS_SIZE - 2 * sizeof(u64));
	agx_handoff_unlock(uat);
	agx_uat_tlbi(uat, AGX_HW_TLBI_ALL, 0, 0, 0);
	mutex_unlock(&uat->slot_lock);

	adev->uat = uat;
	return 0;
}
