/* SPDX-License-Identifier: MIT */
/*
 * Test-side UAT page-table builder.
 *
 * Writes page tables into simulated physical memory the way the kernel
 * driver does (kernel-firmware-facts.md section 4.1/4.2). It deliberately
 * does not use the model's header constants: every bit position below is
 * written out from the documented format, so a mistake in the model and
 * the same mistake here cannot cancel out.
 */
#ifndef PT_BUILDER_H
#define PT_BUILDER_H

#include <stdbool.h>
#include <stdint.h>

#include "agxsim/physmem.h"

/* Documented descriptor fields. */
#define PTB_PAGE_SIZE_B   0x4000ull                 /* 16 KiB */
#define PTB_TYPE_TBL_PAGE 0x3ull                    /* bits 1:0 = 3 */
#define PTB_AF            (1ull << 10)
#define PTB_NG            (1ull << 11)
#define PTB_PXN           (1ull << 53)
#define PTB_UXN           (1ull << 54)
#define PTB_OS_GPU        (1ull << 55)
#define PTB_AP(ap)        ((uint64_t)(ap) << 6)
#define PTB_ATTR(a)       ((uint64_t)(a) << 2)

#define PTB_ATTR_CACHED   0
#define PTB_ATTR_DEV      1
#define PTB_ATTR_UNCACHED 2

/* The driver's Prot: AP, UXN, PXN and memattr; AF and GPU-access always. */
#define PTB_PROT(ap, uxn, pxn, attr)                                         \
	(PTB_AP(ap) | ((uxn) ? PTB_UXN : 0) | ((pxn) ? PTB_PXN : 0) |         \
	 PTB_ATTR(attr) | PTB_OS_GPU | PTB_AF)

/* The driver's named protections (pgtable.rs via facts 4.1). */
#define PTB_PROT_FW_MMIO_RW        PTB_PROT(1, 1, 0, PTB_ATTR_DEV)
#define PTB_PROT_FW_MMIO_RO        PTB_PROT(1, 0, 0, PTB_ATTR_DEV)
#define PTB_PROT_FW_SHARED_RW      PTB_PROT(1, 1, 0, PTB_ATTR_UNCACHED)
#define PTB_PROT_FW_SHARED_RO      PTB_PROT(1, 0, 0, PTB_ATTR_UNCACHED)
#define PTB_PROT_FW_PRIV_RW        PTB_PROT(1, 1, 0, PTB_ATTR_CACHED)
#define PTB_PROT_GPU_FW_SHARED_RW  PTB_PROT(0, 1, 1, PTB_ATTR_UNCACHED)
#define PTB_PROT_GPU_FW_PRIV_RW    PTB_PROT(0, 1, 1, PTB_ATTR_CACHED)
#define PTB_PROT_GPU_RO_FW_PRIV_RW PTB_PROT(1, 1, 1, PTB_ATTR_CACHED)
#define PTB_PROT_GPU_SHARED_RW     PTB_PROT(2, 1, 0, PTB_ATTR_UNCACHED)
#define PTB_PROT_GPU_SHARED_RO     PTB_PROT(2, 0, 0, PTB_ATTR_UNCACHED)
#define PTB_PROT_GPU_SHARED_WO     PTB_PROT(2, 0, 1, PTB_ATTR_UNCACHED)
/* Unnamed-but-defined encodings. */
#define PTB_PROT_FW_GPU_NA         PTB_PROT(0, 0, 0, PTB_ATTR_UNCACHED)
#define PTB_PROT_FW_GPU_RO         PTB_PROT(0, 0, 1, PTB_ATTR_UNCACHED)
#define PTB_PROT_FW_GPU_WO         PTB_PROT(0, 1, 0, PTB_ATTR_UNCACHED)
#define PTB_PROT_FW_NA             PTB_PROT(1, 0, 1, PTB_ATTR_UNCACHED)
#define PTB_PROT_GPU_NA            PTB_PROT(2, 1, 1, PTB_ATTR_UNCACHED)

struct pt_builder {
	struct agxsim_physmem *pm;
	uint64_t next_pa;   /* bump allocator for table pages */
	uint64_t end_pa;
	unsigned int tables_allocated;
};

void ptb_init(struct pt_builder *b, struct agxsim_physmem *pm, uint64_t pool_pa,
	      uint64_t pool_size_B);

/* A zeroed 16 KiB table page; 0 when the pool is exhausted. */
uint64_t ptb_alloc_table(struct pt_builder *b);

/* TTBAT entry value: table | valid | slot << 48 (what the kernel writes). */
uint64_t ptb_ttb_value(uint64_t table_pa, unsigned int slot);
void ptb_set_ttb(struct pt_builder *b, uint64_t ttbat_pa, unsigned int slot,
		 unsigned int half, uint64_t table_pa);
void ptb_clear_ttb(struct pt_builder *b, uint64_t ttbat_pa, unsigned int slot,
		   unsigned int half);

/* Leaf value the driver writes: pa | prot | type (| nG when user). */
uint64_t ptb_leaf_value(uint64_t pa, uint64_t prot, bool user);

/*
 * Map one 16 KiB page at @va in the half whose top table is @root_pa.
 * Allocates missing tables. @user selects nG (owned user tables).
 * Returns 0 or -1 (pool exhausted).
 */
int ptb_map(struct pt_builder *b, uint64_t root_pa, uint64_t va, uint64_t pa,
	    uint64_t prot, bool user);

/* Physical address of the descriptor for @va at @level (1..3), 0 if the
 * path to that level does not exist. */
uint64_t ptb_desc_pa(struct pt_builder *b, uint64_t root_pa, uint64_t va,
		     unsigned int level);

/* Overwrite the descriptor at @level for @va (must exist). */
void ptb_set_desc(struct pt_builder *b, uint64_t root_pa, uint64_t va,
		  unsigned int level, uint64_t value);
uint64_t ptb_get_desc(struct pt_builder *b, uint64_t root_pa, uint64_t va,
		      unsigned int level);

#endif /* PT_BUILDER_H */
