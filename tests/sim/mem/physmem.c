// SPDX-License-Identifier: MIT
/*
 * Physical memory: a list of front-end supplied regions with bounds
 * checked accesses.
 */
#include <errno.h>
#include <string.h>

#include "agxsim/physmem.h"

void agxsim_physmem_init(struct agxsim_physmem *pm)
{
	memset(pm, 0, sizeof(*pm));
}

static bool ranges_overlap(uint64_t a, uint64_t a_size_B, uint64_t b,
			   uint64_t b_size_B)
{
	return a < b + b_size_B && b < a + a_size_B;
}

int agxsim_physmem_add_region(struct agxsim_physmem *pm, uint64_t pa,
			      uint64_t size_B, void *host)
{
	unsigned int i;

	if (!size_B || !host || pa + size_B < pa)
		return -EINVAL;
	/* 64-bit descriptor reads must map to aligned host accesses. */
	if ((pa & 7) || ((uintptr_t)host & 7))
		return -EINVAL;
	for (i = 0; i < pm->count; i++)
		if (ranges_overlap(pa, size_B, pm->regions[i].pa,
				   pm->regions[i].size_B))
			return -EINVAL;
	if (pm->count == AGXSIM_PHYSMEM_MAX_REGIONS)
		return -ENOSPC;
	pm->regions[pm->count++] = (struct agxsim_phys_region){
		.pa = pa, .size_B = size_B, .host = host,
	};
	return 0;
}

static const struct agxsim_phys_region *find_region(const struct agxsim_physmem *pm,
						    uint64_t pa)
{
	unsigned int i;

	for (i = 0; i < pm->count; i++) {
		const struct agxsim_phys_region *r = &pm->regions[i];

		if (pa >= r->pa && pa - r->pa < r->size_B)
			return r;
	}
	return NULL;
}

bool agxsim_physmem_valid(const struct agxsim_physmem *pm, uint64_t pa,
			  uint64_t size_B)
{
	if (!size_B || pa + size_B < pa)
		return false;
	while (size_B) {
		const struct agxsim_phys_region *r = find_region(pm, pa);
		uint64_t chunk_B;

		if (!r)
			return false;
		chunk_B = r->size_B - (pa - r->pa);
		if (chunk_B >= size_B)
			return true;
		pa += chunk_B;
		size_B -= chunk_B;
	}
	return true;
}

void *agxsim_physmem_host_ptr(const struct agxsim_physmem *pm, uint64_t pa,
			      uint64_t size_B)
{
	const struct agxsim_phys_region *r = find_region(pm, pa);

	if (!r || !size_B || size_B > r->size_B - (pa - r->pa))
		return NULL;
	return (uint8_t *)r->host + (pa - r->pa);
}

/* Copy between host buffer and physical memory; validated first. */
static int phys_copy(struct agxsim_physmem *pm, uint64_t pa, void *buf,
		     size_t size_B, bool to_phys)
{
	uint8_t *p = buf;

	if (!size_B)
		return 0;
	if (!agxsim_physmem_valid(pm, pa, size_B)) {
		pm->bad_accesses++;
		return -EFAULT;
	}
	while (size_B) {
		const struct agxsim_phys_region *r = find_region(pm, pa);
		uint64_t off = pa - r->pa;
		size_t chunk_B = r->size_B - off < size_B ? (size_t)(r->size_B - off)
							    : size_B;
		uint8_t *host = (uint8_t *)r->host + off;

		if (to_phys)
			memcpy(host, p, chunk_B);
		else
			memcpy(p, host, chunk_B);
		p += chunk_B;
		pa += chunk_B;
		size_B -= chunk_B;
	}
	return 0;
}

int agxsim_physmem_read(struct agxsim_physmem *pm, uint64_t pa, void *dst,
			size_t size_B)
{
	return phys_copy(pm, pa, dst, size_B, false);
}

int agxsim_physmem_write(struct agxsim_physmem *pm, uint64_t pa,
			 const void *src, size_t size_B)
{
	return phys_copy(pm, pa, (void *)src, size_B, true);
}

/*
 * The host word behind an aligned 64-bit access: -EINVAL if pa is not
 * 8-byte aligned, -EFAULT (counted as a bad access) if it is not backed.
 */
static int host64(struct agxsim_physmem *pm, uint64_t pa, uint64_t **host)
{
	if (pa & 7)
		return -EINVAL;
	*host = agxsim_physmem_host_ptr(pm, pa, 8);
	if (!*host) {
		pm->bad_accesses++;
		return -EFAULT;
	}
	return 0;
}

int agxsim_physmem_read64(struct agxsim_physmem *pm, uint64_t pa, uint64_t *val)
{
	uint64_t *host;
	int ret = host64(pm, pa, &host);

	if (ret)
		return ret;
	/* Host pointers of regions are expected 8-byte aligned (README). */
	*val = __atomic_load_n(host, __ATOMIC_ACQUIRE);
	return 0;
}

int agxsim_physmem_write64(struct agxsim_physmem *pm, uint64_t pa, uint64_t val)
{
	uint64_t *host;
	int ret = host64(pm, pa, &host);

	if (ret)
		return ret;
	__atomic_store_n(host, val, __ATOMIC_RELEASE);
	return 0;
}
