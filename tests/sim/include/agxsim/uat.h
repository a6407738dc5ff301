/* SPDX-License-Identifier: MIT */
/*
 * agxsim/uat.h - model of the AGX GPU MMU ("UAT").
 *
 * The model walks the page tables the kernel driver writes, in the
 * documented format (kernel-firmware-facts.md section 4; sources: the
 * Asahi driver's pgtable.rs and mmu.rs, m1n1's hw/uat.py):
 *
 *  - 16 KiB pages, 8-byte descriptors, 2048 per table.
 *  - A TTBAT ("ttbs" region) in physical memory: 64 context slots of
 *    {ttb0, ttb1}, 16 bytes each. Each is bit 0 valid, bits 47:1 the table
 *    base, bits 63:48 the ASID.
 *  - VA bits 63:39 all zero select ttb0 (user half), all one select ttb1
 *    (kernel half). Then three levels: bits 38:36 (8 entries used),
 *    bits 35:25, bits 24:14. Page offset bits 13:0.
 *  - Table and page descriptors both have bits 1:0 == 3.
 *  - Leaf: AttrIndex 4:2, AP 7:6, SH 9:8, AF 10, nG 11, OA 47:14 (masked
 *    to the output address size), PXN 53, UXN 54, "OS"/GPU-access 55.
 *
 * Translations are cached in a small TLB that only explicit invalidation
 * (agxsim_uat_tlbi_*) clears, like the real hardware where the kernel
 * issues TLBI instructions: a PTE change without an invalidate is not seen
 * while the old translation is cached. See ASSUMPTIONS.md.
 */
#ifndef AGXSIM_UAT_H
#define AGXSIM_UAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agxsim/mem_if.h"
#include "agxsim/mmu_fault.h"
#include "agxsim/physmem.h"

/* ---- Format (documented) ---------------------------------------------- */

#define AGXSIM_UAT_PAGE_SHIFT      14
#define AGXSIM_UAT_PAGE_SIZE_B     (1ull << AGXSIM_UAT_PAGE_SHIFT)
#define AGXSIM_UAT_PAGE_MASK       (AGXSIM_UAT_PAGE_SIZE_B - 1)
#define AGXSIM_UAT_PTES_PER_TABLE  2048u
#define AGXSIM_UAT_IAS_BITS        39   /* per half */
#define AGXSIM_UAT_NUM_CTX         64u
#define AGXSIM_UAT_TTBAT_SIZE_B    (AGXSIM_UAT_NUM_CTX * 16u)

/* Walk levels, in m1n1's numbering (0 = the TTBAT entry). */
#define AGXSIM_UAT_L1_SHIFT 36   /* 3 index bits: 38:36 */
#define AGXSIM_UAT_L2_SHIFT 25   /* 11 index bits: 35:25 */
#define AGXSIM_UAT_L3_SHIFT 14   /* 11 index bits: 24:14 */

/* TTBAT entry (TTBR value). */
#define AGXSIM_TTB_VALID           (1ull << 0)
#define AGXSIM_TTB_BADDR_MASK      0x0000fffffffffffeull   /* bits 47:1 */
#define AGXSIM_TTB_ASID_SHIFT      48

/* Descriptor bits. */
#define AGXSIM_PTE_VALID           (1ull << 0)
#define AGXSIM_PTE_TYPE            (1ull << 1)
#define AGXSIM_PTE_TYPE_MASK       3ull
#define AGXSIM_PTE_TYPE_TABLE_PAGE 3ull
#define AGXSIM_PTE_ATTR_SHIFT      2    /* AttrIndex 4:2 */
#define AGXSIM_PTE_AP_SHIFT        6    /* AP 7:6 */
#define AGXSIM_PTE_SH_SHIFT        8    /* SH 9:8 */
#define AGXSIM_PTE_AF              (1ull << 10)
#define AGXSIM_PTE_NG              (1ull << 11)
#define AGXSIM_PTE_OA_MASK         0x0000ffffffffc000ull   /* bits 47:14 */
#define AGXSIM_PTE_PXN             (1ull << 53)
#define AGXSIM_PTE_UXN             (1ull << 54)
#define AGXSIM_PTE_OS              (1ull << 55)  /* driver: GPU access */

/* AttrIndex values. */
#define AGXSIM_MEMATTR_CACHED   0  /* normal WB, only the gfx-asc caches it */
#define AGXSIM_MEMATTR_DEVICE   1
#define AGXSIM_MEMATTR_UNCACHED 2  /* shared */

/* AP values as the driver names them. */
#define AGXSIM_AP_FW_GPU 0
#define AGXSIM_AP_FW     1
#define AGXSIM_AP_GPU    2

/* ---- Permissions ------------------------------------------------------- */

enum agxsim_uat_agent {
	AGXSIM_AGENT_GPU = 0,  /* the GPU's hardware units */
	AGXSIM_AGENT_FW = 1,   /* the firmware coprocessor (gfx-asc) */
};

#define AGXSIM_PERM_R 1u
#define AGXSIM_PERM_W 2u
#define AGXSIM_PERM_RW (AGXSIM_PERM_R | AGXSIM_PERM_W)

/* What @agent may do through leaf descriptor @pte (R/W mask). */
unsigned int agxsim_uat_pte_perms(uint64_t pte, enum agxsim_uat_agent agent);

/* ---- Model -------------------------------------------------------------- */

struct agxsim_uat_config {
	uint64_t ttbat_pa;      /* physical address of the 64-slot TTBAT */
	unsigned int oas_bits;  /* output address size: 40 (M1/M2) or 42 */
	unsigned int tlb_entries; /* 0 = default (64) */
	bool g14x;              /* fault register layout */
	/*
	 * By default every TLB hit is compared with a fresh walk and a
	 * mismatch counted as a stale hit (the cached value is still used).
	 * Set to skip that check for speed.
	 */
	bool skip_stale_check;
};

struct agxsim_uat_stats {
	uint64_t walks;         /* TLB misses that walked the tables */
	uint64_t tlb_hits;
	uint64_t stale_hits;    /* TLB hits that disagree with the tables */
	uint64_t faults;
	uint64_t bad_phys;
	/* The most recent stale hit. table_pte 0: now unmapped. */
	uint32_t last_stale_ctx;
	uint64_t last_stale_va;
	uint64_t last_stale_cached_pte;
	uint64_t last_stale_table_pte;
};

/* Result of one table walk (no TLB, no permission check). */
struct agxsim_uat_walk {
	int status;          /* 0, -ENOENT (unmapped/AF) or -EFAULT (bad PA) */
	uint8_t reason;      /* enum agxsim_mmu_fault_reason when status != 0 */
	uint8_t level;       /* level reached (0..3), the failing one on error */
	uint16_t asid;       /* from the TTBAT entry used */
	uint64_t ttb;        /* that TTBAT entry's value */
	uint64_t pte;        /* leaf descriptor */
	uint64_t pa;         /* translated address incl. page offset */
};

struct agxsim_uat;

struct agxsim_uat *agxsim_uat_create(struct agxsim_physmem *pm,
				     const struct agxsim_uat_config *cfg);
void agxsim_uat_destroy(struct agxsim_uat *uat);

/* Walk the tables for @va in context @ctx. Returns walk->status. */
int agxsim_uat_walk(struct agxsim_uat *uat, uint32_t ctx, uint64_t va,
		    struct agxsim_uat_walk *walk);

/*
 * Translate one address for an access, through the TLB, with permission
 * check and fault-injection hooks. 0 and *pa on success; otherwise
 * -EFAULT with @fault (and, for GPU accesses, the latched fault
 * register) filled in.
 */
int agxsim_uat_translate(struct agxsim_uat *uat, uint32_t ctx, uint64_t va,
			 enum agxsim_access access, enum agxsim_uat_agent agent,
			 uint32_t unit, uint64_t *pa,
			 struct agxsim_fault *fault);

/*
 * Copy to/from GPU VA. The whole range is translated and checked before
 * any byte moves, so a faulting access has no effect (ASSUMPTIONS.md).
 */
int agxsim_uat_read(struct agxsim_uat *uat, uint32_t ctx, uint64_t va,
		    void *dst, size_t len, enum agxsim_uat_agent agent,
		    uint32_t unit, struct agxsim_fault *fault);
int agxsim_uat_write(struct agxsim_uat *uat, uint32_t ctx, uint64_t va,
		     const void *src, size_t len, enum agxsim_uat_agent agent,
		     uint32_t unit, struct agxsim_fault *fault);

/* TLB maintenance, mirroring the TLBI operations the kernel issues. */
void agxsim_uat_tlbi_all(struct agxsim_uat *uat);            /* vmalle1os */
void agxsim_uat_tlbi_asid(struct agxsim_uat *uat, uint16_t asid); /* aside1os */
void agxsim_uat_tlbi_va(struct agxsim_uat *uat, uint16_t asid, uint64_t va,
			uint64_t size_B);                  /* vae1os / rvae1os */

/*
 * Fault injection: the next access by any agent to the page holding @va in
 * context @ctx faults with @reason (an agxsim_mmu_fault_reason), once.
 * Returns 0 or -ENOSPC when too many are pending.
 */
int agxsim_uat_inject_fault(struct agxsim_uat *uat, uint32_t ctx, uint64_t va,
			    unsigned int reason);

/*
 * The latched fault registers. The first fault after a clear is latched;
 * later ones only count until agxsim_uat_clear_fault(). Returns whether a
 * fault is latched.
 */
bool agxsim_uat_fault_info(struct agxsim_uat *uat,
			   struct agxsim_mmu_fault_info *fi);
void agxsim_uat_clear_fault(struct agxsim_uat *uat);
/* Register values as the kernel would read them (G13 or G14X layout). */
void agxsim_uat_fault_regs(struct agxsim_uat *uat, uint64_t *info,
			   uint64_t *addr_g14x);

void agxsim_uat_get_stats(struct agxsim_uat *uat, struct agxsim_uat_stats *st);

/* ---- mem_if adapter ----------------------------------------------------- */

/* One unit's port into one address space. The caller owns the storage. */
struct agxsim_uat_port {
	struct agxsim_uat *uat;
	uint32_t ctx;
	uint32_t unit;
	enum agxsim_uat_agent agent;
};

/* Fill @port and @mem so that @mem reads/writes through @port. */
void agxsim_uat_port_init(struct agxsim_uat_port *port, struct agxsim_mem_if *mem,
			  struct agxsim_uat *uat, uint32_t ctx, uint32_t unit,
			  enum agxsim_uat_agent agent);

#endif /* AGXSIM_UAT_H */
