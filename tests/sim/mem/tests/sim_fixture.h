/* SPDX-License-Identifier: MIT */
/*
 * Common setup for the memory-model tests: one RAM region holding the
 * TTBAT, a page-table pool and data pages, plus a UAT model on top.
 */
#ifndef SIM_FIXTURE_H
#define SIM_FIXTURE_H

#include "agxsim/uat.h"
#include "pt_builder.h"

#define FX_PAGE_B          0x4000ull
#define FX_RAM_PA          0x800000000ull      /* 32 GiB, below 2^40 */
#define FX_RAM_SIZE_B      (8ull << 20)
#define FX_TTBAT_PA        FX_RAM_PA
#define FX_PT_POOL_PA      (FX_RAM_PA + FX_PAGE_B)
#define FX_PT_POOL_SIZE_B  (96 * FX_PAGE_B)
#define FX_DATA_PA         (FX_PT_POOL_PA + FX_PT_POOL_SIZE_B)
#define FX_DATA_PAGES      ((FX_RAM_PA + FX_RAM_SIZE_B - FX_DATA_PA) / FX_PAGE_B)
/* Page-aligned physical address with nothing behind it. */
#define FX_HOLE_PA         (FX_RAM_PA + FX_RAM_SIZE_B + (1ull << 20))

/* Kernel upper-half VA (private FW objects range, facts 4.4). */
#define FX_KVA             0xffffffa000000000ull

struct fx {
	struct agxsim_physmem pm;
	void *ram;
	struct pt_builder ptb;
	struct agxsim_uat *uat;
	uint64_t root[64][2];
};

/* cfg may be NULL: oas 40, default TLB, G13 fault layout. */
void fx_init(struct fx *f, const struct agxsim_uat_config *cfg);
void fx_fini(struct fx *f);

/* Top table of (slot, half), created and installed in the TTBAT on demand. */
uint64_t fx_root(struct fx *f, unsigned int slot, unsigned int half);

/* Data page n's physical address. */
static inline uint64_t fx_page(unsigned int n)
{
	return FX_DATA_PA + n * FX_PAGE_B;
}

/* Map one page; the half comes from the VA, user (nG) iff lower half. */
void fx_map(struct fx *f, unsigned int slot, uint64_t va, uint64_t pa,
	    uint64_t prot);

/* Leaf descriptor access for (slot, va). */
uint64_t fx_get_leaf(struct fx *f, unsigned int slot, uint64_t va);
void fx_set_leaf(struct fx *f, unsigned int slot, uint64_t va, uint64_t value);

/* Host pointer to physical memory. */
void *fx_host(struct fx *f, uint64_t pa);

#endif /* SIM_FIXTURE_H */
