/* SPDX-License-Identifier: MIT */
/*
 * Internal state of the UAT model, shared by the mem/uat_*.c files.
 */
#ifndef AGXSIM_UAT_PRIV_H
#define AGXSIM_UAT_PRIV_H

#include <pthread.h>

#include "agxsim/uat.h"

#define UAT_DEFAULT_TLB_ENTRIES 64u
#define UAT_MAX_INJECTIONS 16u

struct uat_tlb_entry {
	bool valid;
	bool global;        /* nG clear: matches every ASID */
	uint16_t asid;
	uint64_t va_page;   /* full 64-bit VA >> page shift */
	uint64_t pte;       /* leaf descriptor as walked */
};

struct uat_tlb {
	struct uat_tlb_entry *entries;
	unsigned int count;
	unsigned int next;  /* round-robin victim */
};

struct uat_injection {
	bool active;
	uint32_t ctx;
	uint64_t va_page;
	uint8_t reason;
};

struct agxsim_uat {
	struct agxsim_physmem *pm;
	struct agxsim_uat_config cfg;
	uint64_t oas_mask;
	pthread_mutex_t lock;
	struct uat_tlb tlb;
	struct uat_injection inject[UAT_MAX_INJECTIONS];
	struct agxsim_mmu_fault_info latched;
	struct agxsim_uat_stats stats;
};

/* Physical address held by a table/page descriptor or TTB. */
static inline uint64_t uat_desc_addr(const struct agxsim_uat *uat, uint64_t desc)
{
	return desc & AGXSIM_PTE_OA_MASK & uat->oas_mask;
}

/* Which TTB (0 or 1) a VA uses; -1 when bits 63:39 are not all equal. */
int uat_va_half(uint64_t va);

/* Read the TTBAT entry for (ctx, half). 0 or -EFAULT / -EINVAL. */
int uat_read_ttb(struct agxsim_uat *uat, uint32_t ctx, int half, uint64_t *ttb);

/* TLB: lookup returns the cached leaf descriptor. */
bool uat_tlb_lookup(struct uat_tlb *tlb, uint16_t asid, uint64_t va_page,
		    uint64_t *pte);
void uat_tlb_insert(struct uat_tlb *tlb, uint16_t asid, uint64_t va_page,
		    uint64_t pte);
void uat_tlb_flush_all(struct uat_tlb *tlb);
void uat_tlb_flush_asid(struct uat_tlb *tlb, uint16_t asid);
void uat_tlb_flush_va(struct uat_tlb *tlb, uint16_t asid, uint64_t first_page,
		      uint64_t last_page);

#endif /* AGXSIM_UAT_PRIV_H */
