// SPDX-License-Identifier: MIT
/*
 * Common setup for the memory-model tests.
 */
#include <stdlib.h>
#include <string.h>

#include "sim_fixture.h"

void fx_init(struct fx *f, const struct agxsim_uat_config *cfg)
{
	struct agxsim_uat_config def = {
		.ttbat_pa = FX_TTBAT_PA,
		.oas_bits = 40,
	};

	memset(f, 0, sizeof(*f));
	agxsim_physmem_init(&f->pm);
	f->ram = aligned_alloc(FX_PAGE_B, FX_RAM_SIZE_B);
	if (!f->ram)
		abort();
	memset(f->ram, 0, FX_RAM_SIZE_B);
	if (agxsim_physmem_add_region(&f->pm, FX_RAM_PA, FX_RAM_SIZE_B, f->ram))
		abort();
	ptb_init(&f->ptb, &f->pm, FX_PT_POOL_PA, FX_PT_POOL_SIZE_B);
	f->uat = agxsim_uat_create(&f->pm, cfg ? cfg : &def);
	if (!f->uat)
		abort();
}

void fx_fini(struct fx *f)
{
	agxsim_uat_destroy(f->uat);
	free(f->ram);
	f->ram = NULL;
}

uint64_t fx_root(struct fx *f, unsigned int slot, unsigned int half)
{
	if (!f->root[slot][half]) {
		f->root[slot][half] = ptb_alloc_table(&f->ptb);
		if (!f->root[slot][half])
			abort();
		ptb_set_ttb(&f->ptb, FX_TTBAT_PA, slot, half, f->root[slot][half]);
	}
	return f->root[slot][half];
}

static unsigned int va_half(uint64_t va)
{
	return (va >> 63) ? 1 : 0;
}

void fx_map(struct fx *f, unsigned int slot, uint64_t va, uint64_t pa,
	    uint64_t prot)
{
	unsigned int half = va_half(va);

	if (ptb_map(&f->ptb, fx_root(f, slot, half), va, pa, prot, half == 0))
		abort();
}

uint64_t fx_get_leaf(struct fx *f, unsigned int slot, uint64_t va)
{
	return ptb_get_desc(&f->ptb, fx_root(f, slot, va_half(va)), va, 3);
}

void fx_set_leaf(struct fx *f, unsigned int slot, uint64_t va, uint64_t value)
{
	ptb_set_desc(&f->ptb, fx_root(f, slot, va_half(va)), va, 3, value);
}

void *fx_host(struct fx *f, uint64_t pa)
{
	return agxsim_physmem_host_ptr(&f->pm, pa, 1);
}
