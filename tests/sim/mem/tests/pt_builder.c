// SPDX-License-Identifier: MIT
/*
 * Test-side UAT page-table builder (see pt_builder.h).
 */
#include <stdlib.h>
#include <string.h>

#include "pt_builder.h"

/* Index of @va at @level: L1 bits 38:36, L2 bits 35:25, L3 bits 24:14. */
static uint64_t va_index(uint64_t va, unsigned int level)
{
	switch (level) {
	case 1: return (va >> 36) & 0x7;
	case 2: return (va >> 25) & 0x7ff;
	default: return (va >> 14) & 0x7ff;
	}
}

static uint64_t rd64(struct pt_builder *b, uint64_t pa)
{
	uint64_t *p = agxsim_physmem_host_ptr(b->pm, pa, 8);

	if (!p)
		abort();
	return *p;
}

static void wr64(struct pt_builder *b, uint64_t pa, uint64_t v)
{
	uint64_t *p = agxsim_physmem_host_ptr(b->pm, pa, 8);

	if (!p)
		abort();
	*p = v;
}

void ptb_init(struct pt_builder *b, struct agxsim_physmem *pm, uint64_t pool_pa,
	      uint64_t pool_size_B)
{
	memset(b, 0, sizeof(*b));
	b->pm = pm;
	b->next_pa = pool_pa;
	b->end_pa = pool_pa + pool_size_B;
}

uint64_t ptb_alloc_table(struct pt_builder *b)
{
	uint64_t pa = b->next_pa;
	void *host;

	if (pa + PTB_PAGE_SIZE_B > b->end_pa)
		return 0;
	host = agxsim_physmem_host_ptr(b->pm, pa, PTB_PAGE_SIZE_B);
	if (!host)
		return 0;
	memset(host, 0, PTB_PAGE_SIZE_B);
	b->next_pa += PTB_PAGE_SIZE_B;
	b->tables_allocated++;
	return pa;
}

uint64_t ptb_ttb_value(uint64_t table_pa, unsigned int slot)
{
	return table_pa | 1ull | ((uint64_t)slot << 48);
}

void ptb_set_ttb(struct pt_builder *b, uint64_t ttbat_pa, unsigned int slot,
		 unsigned int half, uint64_t table_pa)
{
	wr64(b, ttbat_pa + slot * 16ull + half * 8ull,
	     ptb_ttb_value(table_pa, slot));
}

void ptb_clear_ttb(struct pt_builder *b, uint64_t ttbat_pa, unsigned int slot,
		   unsigned int half)
{
	wr64(b, ttbat_pa + slot * 16ull + half * 8ull, 0);
}

uint64_t ptb_leaf_value(uint64_t pa, uint64_t prot, bool user)
{
	return pa | prot | PTB_TYPE_TBL_PAGE | (user ? PTB_NG : 0);
}

/* Table address held by a descriptor: bits 47:14. */
static uint64_t desc_table(uint64_t desc)
{
	return desc & 0x0000ffffffffc000ull;
}

int ptb_map(struct pt_builder *b, uint64_t root_pa, uint64_t va, uint64_t pa,
	    uint64_t prot, bool user)
{
	uint64_t table = root_pa;
	unsigned int level;

	for (level = 1; level < 3; level++) {
		uint64_t dpa = table + va_index(va, level) * 8;
		uint64_t desc = rd64(b, dpa);

		if (!desc) {
			uint64_t next = ptb_alloc_table(b);

			if (!next)
				return -1;
			desc = next | PTB_TYPE_TBL_PAGE;
			wr64(b, dpa, desc);
		}
		table = desc_table(desc);
	}
	wr64(b, table + va_index(va, 3) * 8, ptb_leaf_value(pa, prot, user));
	return 0;
}

uint64_t ptb_desc_pa(struct pt_builder *b, uint64_t root_pa, uint64_t va,
		     unsigned int level)
{
	uint64_t table = root_pa;
	unsigned int l;

	for (l = 1; l < level; l++) {
		uint64_t desc = rd64(b, table + va_index(va, l) * 8);

		if ((desc & 3) != 3)
			return 0;
		table = desc_table(desc);
	}
	return table + va_index(va, level) * 8;
}

void ptb_set_desc(struct pt_builder *b, uint64_t root_pa, uint64_t va,
		  unsigned int level, uint64_t value)
{
	uint64_t dpa = ptb_desc_pa(b, root_pa, va, level);

	if (!dpa)
		abort();
	wr64(b, dpa, value);
}

uint64_t ptb_get_desc(struct pt_builder *b, uint64_t root_pa, uint64_t va,
		      unsigned int level)
{
	uint64_t dpa = ptb_desc_pa(b, root_pa, va, level);

	if (!dpa)
		abort();
	return rd64(b, dpa);
}
