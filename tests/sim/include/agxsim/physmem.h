/* SPDX-License-Identifier: MIT */
/*
 * agxsim/physmem.h - the simulated GPU's view of physical memory.
 *
 * The simulator owns no memory of its own. A front end hands it a set of
 * regions, each a physical base address, a size and a host pointer that
 * backs it: the drm-shim front end backs "RAM" with a memfd, the VM front
 * end with its mapping of guest RAM. Every physical access of the
 * simulator (page-table walks, TTBAT reads, data accesses after
 * translation) goes through these functions; an access that is not fully
 * covered by regions is a bad physical address and fails with -EFAULT.
 *
 * Regions must not overlap. An access may span two regions that are
 * physically contiguous.
 */
#ifndef AGXSIM_PHYSMEM_H
#define AGXSIM_PHYSMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AGXSIM_PHYSMEM_MAX_REGIONS 16

struct agxsim_phys_region {
	uint64_t pa;      /* physical base address */
	uint64_t size_B;  /* size in bytes, > 0 */
	void *host;       /* host mapping of [pa, pa + size_B) */
};

struct agxsim_physmem {
	struct agxsim_phys_region regions[AGXSIM_PHYSMEM_MAX_REGIONS];
	unsigned int count;
	/* Number of accesses rejected as bad physical addresses. */
	uint64_t bad_accesses;
};

void agxsim_physmem_init(struct agxsim_physmem *pm);

/*
 * Add a region. Returns 0, -EINVAL (zero size, NULL host, address wrap,
 * pa or host not 8-byte aligned, overlap with an existing region) or
 * -ENOSPC (table full).
 */
int agxsim_physmem_add_region(struct agxsim_physmem *pm, uint64_t pa,
			      uint64_t size_B, void *host);

/* True when [pa, pa + size_B) is fully backed (size_B 0 is never valid). */
bool agxsim_physmem_valid(const struct agxsim_physmem *pm, uint64_t pa,
			  uint64_t size_B);

/*
 * Host pointer for [pa, pa + size_B) when it lies inside ONE region, else
 * NULL. For front ends and tests; simulator units use read/write.
 */
void *agxsim_physmem_host_ptr(const struct agxsim_physmem *pm, uint64_t pa,
			      uint64_t size_B);

/* Copy to/from physical memory. 0 or -EFAULT (nothing is copied then). */
int agxsim_physmem_read(struct agxsim_physmem *pm, uint64_t pa, void *dst,
			size_t size_B);
int agxsim_physmem_write(struct agxsim_physmem *pm, uint64_t pa,
			 const void *src, size_t size_B);

/*
 * Single-copy-atomic 64-bit little-endian accesses, as the page-table
 * walker does them (the kernel updates PTEs with 64-bit stores while the
 * GPU may walk). pa must be 8-byte aligned: -EINVAL otherwise, -EFAULT
 * when unbacked.
 */
int agxsim_physmem_read64(struct agxsim_physmem *pm, uint64_t pa,
			  uint64_t *val);
int agxsim_physmem_write64(struct agxsim_physmem *pm, uint64_t pa,
			   uint64_t val);

#endif /* AGXSIM_PHYSMEM_H */
