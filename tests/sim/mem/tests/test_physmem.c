// SPDX-License-Identifier: MIT
/*
 * Physical memory regions: registration rules and bounds-checked access.
 */
#include <errno.h>
#include <stdint.h>

#include "agx_test.h"
#include "agxsim/physmem.h"

static uint64_t buf_a[1024];   /* 8 KiB at PA 0x1000_0000 */
static uint64_t buf_b[512];    /* 4 KiB right after it */
static uint64_t buf_c[512];    /* 4 KiB after a gap */

#define PA_A 0x10000000ull
#define PA_B (PA_A + sizeof(buf_a))
#define PA_C (PA_B + sizeof(buf_b) + 0x1000)

static void setup(struct agxsim_physmem *pm)
{
	memset(buf_a, 0, sizeof(buf_a));
	memset(buf_b, 0, sizeof(buf_b));
	memset(buf_c, 0, sizeof(buf_c));
	agxsim_physmem_init(pm);
	AGX_REQUIRE(agxsim_physmem_add_region(pm, PA_A, sizeof(buf_a), buf_a) == 0);
	AGX_REQUIRE(agxsim_physmem_add_region(pm, PA_B, sizeof(buf_b), buf_b) == 0);
	AGX_REQUIRE(agxsim_physmem_add_region(pm, PA_C, sizeof(buf_c), buf_c) == 0);
}

AGX_TEST(add_region_rejects_bad_regions)
{
	struct agxsim_physmem pm;
	static uint64_t host[8];
	unsigned int i;

	setup(&pm);
	AGX_CHECK_EQ(agxsim_physmem_add_region(&pm, 0, 0, host), -EINVAL);
	/* Misaligned physical base or host pointer. */
	AGX_CHECK_EQ(agxsim_physmem_add_region(&pm, 0x4, 32, host), -EINVAL);
	AGX_CHECK_EQ(agxsim_physmem_add_region(&pm, 0, 32, (uint8_t *)host + 4), -EINVAL);
	AGX_CHECK_EQ(agxsim_physmem_add_region(&pm, 0, 64, NULL), -EINVAL);
	AGX_CHECK_EQ(agxsim_physmem_add_region(&pm, UINT64_MAX - 10, 64, host), -EINVAL);
	/* Overlaps: inside, straddling the start, straddling the end. */
	AGX_CHECK_EQ(agxsim_physmem_add_region(&pm, PA_A + 8, 8, host), -EINVAL);
	AGX_CHECK_EQ(agxsim_physmem_add_region(&pm, PA_A - 8, 16, host), -EINVAL);
	AGX_CHECK_EQ(agxsim_physmem_add_region(&pm, PA_C + sizeof(buf_c) - 8, 16, host),
		     -EINVAL);
	AGX_CHECK_EQ(pm.count, 3);
	for (i = 3; i < AGXSIM_PHYSMEM_MAX_REGIONS; i++)
		AGX_CHECK_EQ(agxsim_physmem_add_region(&pm, 0x100000000ull * (i + 1), 64, host), 0);
	AGX_CHECK_EQ(agxsim_physmem_add_region(&pm, 0x100000000ull * 100, 64, host), -ENOSPC);
}

AGX_TEST(read_write_round_trip_hits_host_memory)
{
	struct agxsim_physmem pm;
	uint32_t v = 0xdeadbeef, r = 0;

	setup(&pm);
	AGX_CHECK_EQ(agxsim_physmem_write(&pm, PA_A + 0x104, &v, 4), 0);
	AGX_CHECK_EQ(((uint32_t *)buf_a)[0x41], 0xdeadbeef);
	((uint32_t *)buf_c)[3] = 0x12345678;
	AGX_CHECK_EQ(agxsim_physmem_read(&pm, PA_C + 12, &r, 4), 0);
	AGX_CHECK_EQ(r, 0x12345678);
	AGX_CHECK(agxsim_physmem_host_ptr(&pm, PA_C + 12, 4) == (uint8_t *)buf_c + 12);
	AGX_CHECK_EQ(pm.bad_accesses, 0);
}

AGX_TEST(access_outside_regions_is_bad_physical_address)
{
	struct agxsim_physmem pm;
	uint8_t dst[16];
	uint8_t src[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

	setup(&pm);
	memset(dst, 0xaa, sizeof(dst));
	AGX_CHECK_EQ(agxsim_physmem_read(&pm, PA_A - 16, dst, 16), -EFAULT);
	AGX_CHECK_EQ(agxsim_physmem_read(&pm, 0, dst, 1), -EFAULT);
	/* Last 8 bytes of C plus 8 beyond: nothing may be written. */
	AGX_CHECK_EQ(agxsim_physmem_write(&pm, PA_C + sizeof(buf_c) - 8, src, 16), -EFAULT);
	AGX_CHECK_EQ(buf_c[511], 0);
	AGX_CHECK_EQ(dst[0], 0xaa);
	AGX_CHECK_EQ(pm.bad_accesses, 3);
	AGX_CHECK(!agxsim_physmem_valid(&pm, PA_A, 0));
	AGX_CHECK(agxsim_physmem_host_ptr(&pm, PA_A + sizeof(buf_a) - 4, 8) == NULL);
}

AGX_TEST(access_spanning_contiguous_regions_works_but_not_across_gap)
{
	struct agxsim_physmem pm;
	uint64_t v[2] = { 0x1111111111111111ull, 0x2222222222222222ull };

	setup(&pm);
	AGX_CHECK_EQ(agxsim_physmem_write(&pm, PA_B - 8, v, 16), 0);
	AGX_CHECK_EQ(buf_a[1023], 0x1111111111111111ull);
	AGX_CHECK_EQ(buf_b[0], 0x2222222222222222ull);
	/* B ends, then a 4 KiB hole before C. */
	AGX_CHECK_EQ(agxsim_physmem_write(&pm, PA_B + sizeof(buf_b) - 8, v, 16), -EFAULT);
	AGX_CHECK_EQ(buf_b[511], 0);
	AGX_CHECK(agxsim_physmem_valid(&pm, PA_A, sizeof(buf_a) + sizeof(buf_b)));
	AGX_CHECK(!agxsim_physmem_valid(&pm, PA_A, sizeof(buf_a) + sizeof(buf_b) + 1));
}

AGX_TEST(read64_write64_are_aligned_and_bounds_checked)
{
	struct agxsim_physmem pm;
	uint64_t v = 0;

	setup(&pm);
	AGX_CHECK_EQ(agxsim_physmem_write64(&pm, PA_B + 8, 0x0123456789abcdefull), 0);
	AGX_CHECK_EQ(buf_b[1], 0x0123456789abcdefull);
	AGX_CHECK_EQ(agxsim_physmem_read64(&pm, PA_B + 8, &v), 0);
	AGX_CHECK_EQ(v, 0x0123456789abcdefull);
	AGX_CHECK_EQ(agxsim_physmem_read64(&pm, PA_B + 4, &v), -EINVAL);
	AGX_CHECK_EQ(agxsim_physmem_write64(&pm, PA_C - 8, 1), -EFAULT);
	AGX_CHECK_EQ(agxsim_physmem_read64(&pm, PA_C + sizeof(buf_c), &v), -EFAULT);
}

AGX_TEST_MAIN()
