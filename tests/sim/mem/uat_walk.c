// SPDX-License-Identifier: MIT
/*
 * UAT page-table walk: TTBAT entry, then three table levels.
 */
#include <errno.h>
#include <string.h>

#include "uat_priv.h"

#define VA_HALF_SHIFT 39
#define VA_UPPER_ONES ((1ull << (64 - VA_HALF_SHIFT)) - 1)

int uat_va_half(uint64_t va)
{
	uint64_t top = va >> VA_HALF_SHIFT;

	if (top == 0)
		return 0;
	if (top == VA_UPPER_ONES)
		return 1;
	return -1;
}

int uat_read_ttb(struct agxsim_uat *uat, uint32_t ctx, int half, uint64_t *ttb)
{
	if (ctx >= AGXSIM_UAT_NUM_CTX || half < 0 || half > 1)
		return -EINVAL;
	return agxsim_physmem_read64(uat->pm,
				     uat->cfg.ttbat_pa + ctx * 16ull + half * 8ull,
				     ttb);
}

static int walk_fail(struct agxsim_uat_walk *w, int status, unsigned int level,
		     unsigned int reason)
{
	w->status = status;
	w->level = level;
	w->reason = reason;
	return status;
}

static const unsigned int level_shift[4] = {
	0, AGXSIM_UAT_L1_SHIFT, AGXSIM_UAT_L2_SHIFT, AGXSIM_UAT_L3_SHIFT,
};

static const uint64_t level_index_mask[4] = {
	0, 0x7, AGXSIM_UAT_PTES_PER_TABLE - 1, AGXSIM_UAT_PTES_PER_TABLE - 1,
};

int agxsim_uat_walk(struct agxsim_uat *uat, uint32_t ctx, uint64_t va,
		    struct agxsim_uat_walk *w)
{
	int half = uat_va_half(va);
	uint64_t table, desc = 0;
	unsigned int level;

	memset(w, 0, sizeof(*w));
	if (half < 0 || ctx >= AGXSIM_UAT_NUM_CTX)
		return walk_fail(w, -ENOENT, 0, AGXSIM_MMU_FAULT_UNMAPPED);
	if (uat_read_ttb(uat, ctx, half, &w->ttb))
		return walk_fail(w, -EFAULT, 0, AGXSIM_MMU_FAULT_UNMAPPED);
	w->asid = w->ttb >> AGXSIM_TTB_ASID_SHIFT;
	if (!(w->ttb & AGXSIM_TTB_VALID))
		return walk_fail(w, -ENOENT, 0, AGXSIM_MMU_FAULT_UNMAPPED);

	/* Table bases are page aligned; low BADDR bits are ignored. */
	table = w->ttb & AGXSIM_TTB_BADDR_MASK & uat->oas_mask &
		~AGXSIM_UAT_PAGE_MASK;
	for (level = 1; level <= 3; level++) {
		uint64_t idx = (va >> level_shift[level]) & level_index_mask[level];

		w->level = level;
		if (agxsim_physmem_read64(uat->pm, table + idx * 8, &desc))
			return walk_fail(w, -EFAULT, level,
					 AGXSIM_MMU_FAULT_UNMAPPED);
		if ((desc & AGXSIM_PTE_TYPE_MASK) != AGXSIM_PTE_TYPE_TABLE_PAGE)
			return walk_fail(w, -ENOENT, level,
					 AGXSIM_MMU_FAULT_UNMAPPED);
		table = uat_desc_addr(uat, desc);
	}

	w->pte = desc;
	if (!(desc & AGXSIM_PTE_AF))
		return walk_fail(w, -ENOENT, 3, AGXSIM_MMU_FAULT_AF);
	w->pa = uat_desc_addr(uat, desc) | (va & AGXSIM_UAT_PAGE_MASK);
	return 0;
}
