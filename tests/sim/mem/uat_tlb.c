// SPDX-License-Identifier: MIT
/*
 * The UAT's translation cache: fully associative, round-robin
 * replacement, leaf translations only, cleared only by explicit
 * invalidation (ARM TLBI semantics for ASIDs and global entries).
 */
#include "uat_priv.h"

static bool entry_matches_asid(const struct uat_tlb_entry *e, uint16_t asid)
{
	return e->global || e->asid == asid;
}

bool uat_tlb_lookup(struct uat_tlb *tlb, uint16_t asid, uint64_t va_page,
		    uint64_t *pte)
{
	unsigned int i;

	for (i = 0; i < tlb->count; i++) {
		const struct uat_tlb_entry *e = &tlb->entries[i];

		if (e->valid && e->va_page == va_page &&
		    entry_matches_asid(e, asid)) {
			*pte = e->pte;
			return true;
		}
	}
	return false;
}

void uat_tlb_insert(struct uat_tlb *tlb, uint16_t asid, uint64_t va_page,
		    uint64_t pte)
{
	struct uat_tlb_entry *e = &tlb->entries[tlb->next];

	tlb->next = (tlb->next + 1) % tlb->count;
	*e = (struct uat_tlb_entry){
		.valid = true,
		.global = !(pte & AGXSIM_PTE_NG),
		.asid = asid,
		.va_page = va_page,
		.pte = pte,
	};
}

void uat_tlb_flush_all(struct uat_tlb *tlb)
{
	unsigned int i;

	for (i = 0; i < tlb->count; i++)
		tlb->entries[i].valid = false;
}

/* Like TLBI ASIDE1: non-global entries of that ASID only. */
void uat_tlb_flush_asid(struct uat_tlb *tlb, uint16_t asid)
{
	unsigned int i;

	for (i = 0; i < tlb->count; i++) {
		struct uat_tlb_entry *e = &tlb->entries[i];

		if (!e->global && e->asid == asid)
			e->valid = false;
	}
}

/* Like TLBI VAE1 / RVAE1: that ASID's entries and global ones, in range. */
void uat_tlb_flush_va(struct uat_tlb *tlb, uint16_t asid, uint64_t first_page,
		      uint64_t last_page)
{
	unsigned int i;

	for (i = 0; i < tlb->count; i++) {
		struct uat_tlb_entry *e = &tlb->entries[i];

		if (e->va_page >= first_page && e->va_page <= last_page &&
		    entry_matches_asid(e, asid))
			e->valid = false;
	}
}
