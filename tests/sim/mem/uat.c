// SPDX-License-Identifier: MIT
/*
 * UAT model: translation through the TLB, permission checks, fault
 * reporting and injection, and the mem_if adapter.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "uat_priv.h"

struct xlate_fault {
	int status;       /* -ENOENT, -EACCES or -EFAULT (bad physical) */
	uint8_t reason;   /* enum agxsim_mmu_fault_reason */
	uint8_t level;
};

struct agxsim_uat *agxsim_uat_create(struct agxsim_physmem *pm,
				     const struct agxsim_uat_config *cfg)
{
	struct agxsim_uat *uat;

	if (!pm || !cfg || cfg->oas_bits < 32 || cfg->oas_bits > 48 ||
	    (cfg->ttbat_pa & 7))
		return NULL;
	uat = calloc(1, sizeof(*uat));
	if (!uat)
		return NULL;
	uat->pm = pm;
	uat->cfg = *cfg;
	uat->oas_mask = (1ull << cfg->oas_bits) - 1;
	uat->tlb.count = cfg->tlb_entries ? cfg->tlb_entries
					  : UAT_DEFAULT_TLB_ENTRIES;
	uat->tlb.entries = calloc(uat->tlb.count, sizeof(*uat->tlb.entries));
	if (!uat->tlb.entries || pthread_mutex_init(&uat->lock, NULL)) {
		free(uat->tlb.entries);
		free(uat);
		return NULL;
	}
	return uat;
}

void agxsim_uat_destroy(struct agxsim_uat *uat)
{
	if (!uat)
		return;
	pthread_mutex_destroy(&uat->lock);
	free(uat->tlb.entries);
	free(uat);
}

static int xfail(struct xlate_fault *xf, int status, unsigned int reason,
		 unsigned int level)
{
	xf->status = status;
	xf->reason = reason;
	xf->level = level;
	return status;
}

static bool take_injection(struct agxsim_uat *uat, uint32_t ctx,
			   uint64_t va_page, uint8_t *reason)
{
	unsigned int i;

	for (i = 0; i < UAT_MAX_INJECTIONS; i++) {
		struct uat_injection *inj = &uat->inject[i];

		if (inj->active && inj->ctx == ctx && inj->va_page == va_page) {
			inj->active = false;
			*reason = inj->reason;
			return true;
		}
	}
	return false;
}

/* A TLB hit is checked against the tables to count stale translations. */
static void check_stale(struct agxsim_uat *uat, uint32_t ctx, uint64_t va,
			uint64_t cached_pte)
{
	struct agxsim_uat_walk w;

	agxsim_uat_walk(uat, ctx, va, &w);
	if (w.status || w.pte != cached_pte) {
		uat->stats.stale_hits++;
		uat->stats.last_stale_ctx = ctx;
		uat->stats.last_stale_va = va;
		uat->stats.last_stale_cached_pte = cached_pte;
		uat->stats.last_stale_table_pte = w.status ? 0 : w.pte;
	}
}

static int translate_locked(struct agxsim_uat *uat, uint32_t ctx, uint64_t va,
			    enum agxsim_access access,
			    enum agxsim_uat_agent agent, uint64_t *pa,
			    struct xlate_fault *xf)
{
	uint64_t va_page = va >> AGXSIM_UAT_PAGE_SHIFT;
	int half = uat_va_half(va);
	unsigned int perms, need;
	uint64_t ttb, pte;
	uint16_t asid;
	uint8_t reason;

	if (take_injection(uat, ctx, va_page, &reason))
		return xfail(xf, reason <= AGXSIM_MMU_FAULT_AF ? -ENOENT : -EACCES,
			     reason, 3);
	if (half < 0 || ctx >= AGXSIM_UAT_NUM_CTX)
		return xfail(xf, -ENOENT, AGXSIM_MMU_FAULT_UNMAPPED, 0);
	if (uat_read_ttb(uat, ctx, half, &ttb))
		return xfail(xf, -EFAULT, AGXSIM_MMU_FAULT_UNMAPPED, 0);
	if (!(ttb & AGXSIM_TTB_VALID))
		return xfail(xf, -ENOENT, AGXSIM_MMU_FAULT_UNMAPPED, 0);
	asid = ttb >> AGXSIM_TTB_ASID_SHIFT;

	if (uat_tlb_lookup(&uat->tlb, asid, va_page, &pte)) {
		uat->stats.tlb_hits++;
		if (!uat->cfg.skip_stale_check)
			check_stale(uat, ctx, va, pte);
	} else {
		struct agxsim_uat_walk w;

		uat->stats.walks++;
		if (agxsim_uat_walk(uat, ctx, va, &w))
			return xfail(xf, w.status, w.reason, w.level);
		/* Only successful translations are cached. */
		pte = w.pte;
		uat_tlb_insert(&uat->tlb, asid, va_page, pte);
	}

	perms = agxsim_uat_pte_perms(pte, agent);
	need = access == AGXSIM_ACCESS_READ ? AGXSIM_PERM_R : AGXSIM_PERM_W;
	if (!(perms & need)) {
		if (!perms)
			reason = AGXSIM_MMU_FAULT_NO_ACCESS;
		else if (access == AGXSIM_ACCESS_READ)
			reason = AGXSIM_MMU_FAULT_WRITE_ONLY;
		else
			reason = AGXSIM_MMU_FAULT_READ_ONLY;
		return xfail(xf, -EACCES, reason, 3);
	}
	*pa = uat_desc_addr(uat, pte) | (va & AGXSIM_UAT_PAGE_MASK);
	return 0;
}

/* Report a fault to the caller and latch it like the hardware would. */
static void record_fault_locked(struct agxsim_uat *uat, uint32_t ctx,
				uint64_t va, enum agxsim_access access,
				enum agxsim_uat_agent agent, uint32_t unit,
				const struct xlate_fault *xf,
				struct agxsim_fault *fault)
{
	if (fault) {
		fault->access = access;
		fault->va = va;
		fault->context = ctx;
		fault->unit = unit;
		if (xf->status == -EFAULT)
			fault->reason = AGXSIM_FAULT_BAD_PHYS;
		else if (xf->status == -EACCES)
			fault->reason = AGXSIM_FAULT_PERMISSION;
		else
			fault->reason = AGXSIM_FAULT_UNMAPPED;
	}
	if (xf->status == -EFAULT) {
		uat->stats.bad_phys++;
		return;
	}
	uat->stats.faults++;
	/* Only the GPU's own faults reach the GPU fault registers. */
	if (agent != AGXSIM_AGENT_GPU || uat->latched.valid)
		return;
	uat->latched = (struct agxsim_mmu_fault_info){
		.valid = true,
		.reason = xf->reason,
		.read = access == AGXSIM_ACCESS_READ,
		.level = xf->level,
		.unit_code = unit & 0xff,
		.vm_slot = ctx & 0x3f,
		.address = va,
	};
}

int agxsim_uat_translate(struct agxsim_uat *uat, uint32_t ctx, uint64_t va,
			 enum agxsim_access access, enum agxsim_uat_agent agent,
			 uint32_t unit, uint64_t *pa, struct agxsim_fault *fault)
{
	struct xlate_fault xf;
	int ret;

	pthread_mutex_lock(&uat->lock);
	ret = translate_locked(uat, ctx, va, access, agent, pa, &xf);
	if (ret)
		record_fault_locked(uat, ctx, va, access, agent, unit, &xf, fault);
	pthread_mutex_unlock(&uat->lock);
	if (!ret && fault)
		fault->reason = AGXSIM_FAULT_NONE;
	return ret ? -EFAULT : 0;
}

static int access_range(struct agxsim_uat *uat, uint32_t ctx, uint64_t va,
			void *buf, size_t len, enum agxsim_access access,
			enum agxsim_uat_agent agent, uint32_t unit,
			struct agxsim_fault *fault)
{
	uint64_t first_page, npages, i, stack_pa[8], *pas = stack_pa;
	struct xlate_fault xf = { 0 };
	uint8_t *p = buf;
	size_t left = len;
	int ret = 0;

	if (fault)
		fault->reason = AGXSIM_FAULT_NONE;
	if (!len)
		return 0;
	if (va + (len - 1) < va) {
		/* Runs off the top of the address space. */
		pthread_mutex_lock(&uat->lock);
		xfail(&xf, -ENOENT, AGXSIM_MMU_FAULT_UNMAPPED, 0);
		record_fault_locked(uat, ctx, va, access, agent, unit, &xf,
				    fault);
		pthread_mutex_unlock(&uat->lock);
		return -EFAULT;
	}
	first_page = va >> AGXSIM_UAT_PAGE_SHIFT;
	npages = ((va + len - 1) >> AGXSIM_UAT_PAGE_SHIFT) - first_page + 1;
	if (npages > 8) {
		pas = malloc(npages * sizeof(*pas));
		if (!pas)
			return -ENOMEM;
	}

	/* Translate and check every page before moving any data. */
	pthread_mutex_lock(&uat->lock);
	for (i = 0; i < npages; i++) {
		uint64_t page_va = i ? (first_page + i) << AGXSIM_UAT_PAGE_SHIFT : va;
		uint64_t chunk_B = AGXSIM_UAT_PAGE_SIZE_B -
				   (page_va & AGXSIM_UAT_PAGE_MASK);

		if (chunk_B > left)
			chunk_B = left;
		left -= chunk_B;
		ret = translate_locked(uat, ctx, page_va, access, agent,
				       &pas[i], &xf);
		if (!ret && !agxsim_physmem_valid(uat->pm, pas[i], chunk_B))
			ret = xfail(&xf, -EFAULT, AGXSIM_MMU_FAULT_UNMAPPED, 3);
		if (ret) {
			record_fault_locked(uat, ctx, page_va, access, agent,
					    unit, &xf, fault);
			break;
		}
	}
	pthread_mutex_unlock(&uat->lock);

	left = len;
	for (i = 0; !ret && i < npages; i++) {
		uint64_t chunk_B = AGXSIM_UAT_PAGE_SIZE_B -
				   (pas[i] & AGXSIM_UAT_PAGE_MASK);

		if (chunk_B > left)
			chunk_B = left;
		if (access == AGXSIM_ACCESS_READ)
			ret = agxsim_physmem_read(uat->pm, pas[i], p, chunk_B);
		else
			ret = agxsim_physmem_write(uat->pm, pas[i], p, chunk_B);
		p += chunk_B;
		left -= chunk_B;
	}
	if (pas != stack_pa)
		free(pas);
	return ret ? -EFAULT : 0;
}

int agxsim_uat_read(struct agxsim_uat *uat, uint32_t ctx, uint64_t va,
		    void *dst, size_t len, enum agxsim_uat_agent agent,
		    uint32_t unit, struct agxsim_fault *fault)
{
	return access_range(uat, ctx, va, dst, len, AGXSIM_ACCESS_READ, agent,
			    unit, fault);
}

int agxsim_uat_write(struct agxsim_uat *uat, uint32_t ctx, uint64_t va,
		     const void *src, size_t len, enum agxsim_uat_agent agent,
		     uint32_t unit, struct agxsim_fault *fault)
{
	return access_range(uat, ctx, va, (void *)src, len, AGXSIM_ACCESS_WRITE,
			    agent, unit, fault);
}

void agxsim_uat_tlbi_all(struct agxsim_uat *uat)
{
	pthread_mutex_lock(&uat->lock);
	uat_tlb_flush_all(&uat->tlb);
	pthread_mutex_unlock(&uat->lock);
}

void agxsim_uat_tlbi_asid(struct agxsim_uat *uat, uint16_t asid)
{
	pthread_mutex_lock(&uat->lock);
	uat_tlb_flush_asid(&uat->tlb, asid);
	pthread_mutex_unlock(&uat->lock);
}

void agxsim_uat_tlbi_va(struct agxsim_uat *uat, uint16_t asid, uint64_t va,
			uint64_t size_B)
{
	uint64_t first = va >> AGXSIM_UAT_PAGE_SHIFT, last;

	if (!size_B)
		return;
	last = va + (size_B - 1) < va ? UINT64_MAX >> AGXSIM_UAT_PAGE_SHIFT
				       : (va + size_B - 1) >> AGXSIM_UAT_PAGE_SHIFT;
	pthread_mutex_lock(&uat->lock);
	uat_tlb_flush_va(&uat->tlb, asid, first, last);
	pthread_mutex_unlock(&uat->lock);
}

int agxsim_uat_inject_fault(struct agxsim_uat *uat, uint32_t ctx, uint64_t va,
			    unsigned int reason)
{
	unsigned int i;
	int ret = -ENOSPC;

	if (reason > AGXSIM_MMU_FAULT_NO_ACCESS || ctx >= AGXSIM_UAT_NUM_CTX)
		return -EINVAL;
	pthread_mutex_lock(&uat->lock);
	for (i = 0; i < UAT_MAX_INJECTIONS; i++) {
		if (!uat->inject[i].active) {
			uat->inject[i] = (struct uat_injection){
				.active = true,
				.ctx = ctx,
				.va_page = va >> AGXSIM_UAT_PAGE_SHIFT,
				.reason = reason,
			};
			ret = 0;
			break;
		}
	}
	pthread_mutex_unlock(&uat->lock);
	return ret;
}

bool agxsim_uat_fault_info(struct agxsim_uat *uat,
			   struct agxsim_mmu_fault_info *fi)
{
	bool valid;

	pthread_mutex_lock(&uat->lock);
	*fi = uat->latched;
	valid = fi->valid;
	pthread_mutex_unlock(&uat->lock);
	return valid;
}

void agxsim_uat_clear_fault(struct agxsim_uat *uat)
{
	pthread_mutex_lock(&uat->lock);
	memset(&uat->latched, 0, sizeof(uat->latched));
	pthread_mutex_unlock(&uat->lock);
}

void agxsim_uat_fault_regs(struct agxsim_uat *uat, uint64_t *info,
			   uint64_t *addr_g14x)
{
	struct agxsim_mmu_fault_info fi;

	agxsim_uat_fault_info(uat, &fi);
	*addr_g14x = 0;
	if (uat->cfg.g14x)
		agxsim_mmu_fault_encode_g14x(&fi, info, addr_g14x);
	else
		*info = agxsim_mmu_fault_encode_g13(&fi);
}

void agxsim_uat_get_stats(struct agxsim_uat *uat, struct agxsim_uat_stats *st)
{
	pthread_mutex_lock(&uat->lock);
	*st = uat->stats;
	pthread_mutex_unlock(&uat->lock);
}

static int port_read(void *ctx, uint64_t va, void *dst, size_t len,
		     struct agxsim_fault *fault)
{
	struct agxsim_uat_port *port = ctx;

	return agxsim_uat_read(port->uat, port->ctx, va, dst, len, port->agent,
			       port->unit, fault);
}

static int port_write(void *ctx, uint64_t va, const void *src, size_t len,
		      struct agxsim_fault *fault)
{
	struct agxsim_uat_port *port = ctx;

	return agxsim_uat_write(port->uat, port->ctx, va, src, len, port->agent,
				port->unit, fault);
}

void agxsim_uat_port_init(struct agxsim_uat_port *port, struct agxsim_mem_if *mem,
			  struct agxsim_uat *uat, uint32_t ctx, uint32_t unit,
			  enum agxsim_uat_agent agent)
{
	*port = (struct agxsim_uat_port){
		.uat = uat, .ctx = ctx, .unit = unit, .agent = agent,
	};
	*mem = (struct agxsim_mem_if){
		.ctx = port, .read = port_read, .write = port_write,
	};
}
