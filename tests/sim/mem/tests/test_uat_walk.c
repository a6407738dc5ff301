// SPDX-License-Identifier: MIT
/*
 * UAT translation: the walk, faults at each level, context isolation,
 * the kernel upper half, and bad physical addresses.
 */
#include <errno.h>

#include "agx_test.h"
#include "sim_fixture.h"

#define VA_A 0x0000001234560000ull   /* user half */

static void check_walk_fault(struct fx *f, uint32_t ctx, uint64_t va,
			     int status, unsigned int level, unsigned int reason)
{
	struct agxsim_uat_walk w;

	AGX_CHECK_EQ(agxsim_uat_walk(f->uat, ctx, va, &w), status);
	AGX_CHECK_EQ(w.status, status);
	AGX_CHECK_EQ(w.level, level);
	AGX_CHECK_EQ(w.reason, reason);
}

AGX_TEST(translates_user_va_with_page_offset)
{
	struct fx f;
	struct agxsim_fault fault;
	uint64_t pa = 0;

	fx_init(&f, NULL);
	fx_map(&f, 1, VA_A, fx_page(7), PTB_PROT_GPU_SHARED_RW);
	fx_map(&f, 1, VA_A + FX_PAGE_B, fx_page(2), PTB_PROT_GPU_SHARED_RW);
	AGX_CHECK_EQ(agxsim_uat_translate(f.uat, 1, VA_A + 0x3ff8, AGXSIM_ACCESS_READ,
					  AGXSIM_AGENT_GPU, 0, &pa, &fault), 0);
	AGX_CHECK_EQ(pa, fx_page(7) + 0x3ff8);
	AGX_CHECK_EQ(fault.reason, AGXSIM_FAULT_NONE);
	AGX_CHECK_EQ(agxsim_uat_translate(f.uat, 1, VA_A + FX_PAGE_B + 4, AGXSIM_ACCESS_WRITE,
					  AGXSIM_AGENT_GPU, 0, &pa, &fault), 0);
	AGX_CHECK_EQ(pa, fx_page(2) + 4);
	fx_fini(&f);
}

AGX_TEST(unmapped_faults_report_the_failing_level)
{
	struct fx f;
	uint64_t root;

	fx_init(&f, NULL);
	fx_map(&f, 1, VA_A, fx_page(0), PTB_PROT_GPU_SHARED_RW);
	root = f.root[1][0];
	AGX_REQUIRE(root != 0);

	/* Level 0: slot 2 has no TTB at all. */
	check_walk_fault(&f, 2, VA_A, -ENOENT, 0, AGXSIM_MMU_FAULT_UNMAPPED);
	/* Level 1: another L1 index (bits 38:36). */
	check_walk_fault(&f, 1, VA_A ^ (1ull << 37), -ENOENT, 1, AGXSIM_MMU_FAULT_UNMAPPED);
	/* Level 2: same L1 entry, another L2 index (bits 35:25). */
	check_walk_fault(&f, 1, VA_A ^ (1ull << 30), -ENOENT, 2, AGXSIM_MMU_FAULT_UNMAPPED);
	/* Level 3: same L2 table, another L3 index (bits 24:14). */
	check_walk_fault(&f, 1, VA_A ^ (1ull << 20), -ENOENT, 3, AGXSIM_MMU_FAULT_UNMAPPED);
	/* The mapped page itself walks fine. */
	check_walk_fault(&f, 1, VA_A, 0, 3, 0);
	fx_fini(&f);
}

AGX_TEST(descriptor_needs_both_type_bits)
{
	struct fx f;
	uint64_t d;

	fx_init(&f, NULL);
	fx_map(&f, 1, VA_A, fx_page(0), PTB_PROT_GPU_SHARED_RW);
	/* Leaf with type bit clear (ARM "reserved"/invalid at the last level). */
	d = fx_get_leaf(&f, 1, VA_A);
	fx_set_leaf(&f, 1, VA_A, d & ~2ull);
	check_walk_fault(&f, 1, VA_A, -ENOENT, 3, AGXSIM_MMU_FAULT_UNMAPPED);
	fx_set_leaf(&f, 1, VA_A, d);
	/* L2 entry as a "block" (bits 1:0 = 1): no block mappings. */
	d = ptb_get_desc(&f.ptb, f.root[1][0], VA_A, 2);
	ptb_set_desc(&f.ptb, f.root[1][0], VA_A, 2, d & ~2ull);
	check_walk_fault(&f, 1, VA_A, -ENOENT, 2, AGXSIM_MMU_FAULT_UNMAPPED);
	fx_fini(&f);
}

AGX_TEST(leaf_without_access_flag_is_af_fault)
{
	struct fx f;
	struct agxsim_fault fault;
	struct agxsim_mmu_fault_info fi;
	uint64_t pa;

	fx_init(&f, NULL);
	fx_map(&f, 4, VA_A, fx_page(0), PTB_PROT_GPU_SHARED_RW);
	fx_set_leaf(&f, 4, VA_A, fx_get_leaf(&f, 4, VA_A) & ~(1ull << 10));
	check_walk_fault(&f, 4, VA_A, -ENOENT, 3, AGXSIM_MMU_FAULT_AF);
	AGX_CHECK_EQ(agxsim_uat_translate(f.uat, 4, VA_A, AGXSIM_ACCESS_READ,
					  AGXSIM_AGENT_GPU, AGXSIM_UNIT_UL1C, &pa, &fault),
		     -EFAULT);
	AGX_CHECK_EQ(fault.reason, AGXSIM_FAULT_UNMAPPED);
	AGX_REQUIRE(agxsim_uat_fault_info(f.uat, &fi));
	AGX_CHECK_EQ(fi.reason, AGXSIM_MMU_FAULT_AF);
	AGX_CHECK_EQ(fi.level, 3);
	AGX_CHECK_EQ(fi.vm_slot, 4);
	fx_fini(&f);
}

AGX_TEST(invalid_ttb_entry_faults_at_level0)
{
	struct fx f;
	uint64_t *ttb;

	fx_init(&f, NULL);
	fx_map(&f, 5, VA_A, fx_page(0), PTB_PROT_GPU_SHARED_RW);
	ttb = fx_host(&f, FX_TTBAT_PA + 5 * 16);
	*ttb &= ~1ull;   /* table address kept, valid bit cleared */
	check_walk_fault(&f, 5, VA_A, -ENOENT, 0, AGXSIM_MMU_FAULT_UNMAPPED);
	*ttb |= 1;
	check_walk_fault(&f, 5, VA_A, 0, 3, 0);
	fx_fini(&f);
}

AGX_TEST(non_canonical_va_and_bad_context_fault)
{
	struct fx f;

	fx_init(&f, NULL);
	fx_map(&f, 1, VA_A, fx_page(0), PTB_PROT_GPU_SHARED_RW);
	/* Bit 39 alone set: neither all-zero nor all-one above bit 38. */
	check_walk_fault(&f, 1, VA_A | (1ull << 39), -ENOENT, 0, AGXSIM_MMU_FAULT_UNMAPPED);
	check_walk_fault(&f, 1, VA_A | (1ull << 63), -ENOENT, 0, AGXSIM_MMU_FAULT_UNMAPPED);
	check_walk_fault(&f, 64, VA_A, -ENOENT, 0, AGXSIM_MMU_FAULT_UNMAPPED);
	fx_fini(&f);
}

AGX_TEST(contexts_are_isolated)
{
	struct fx f;
	struct agxsim_fault fault;
	uint32_t a = 0xaaaaaaaa, b = 0xbbbbbbbb, v = 0;
	uint64_t va_only_a = VA_A + 16 * FX_PAGE_B;

	fx_init(&f, NULL);
	fx_map(&f, 1, VA_A, fx_page(10), PTB_PROT_GPU_SHARED_RW);
	fx_map(&f, 2, VA_A, fx_page(11), PTB_PROT_GPU_SHARED_RW);
	fx_map(&f, 1, va_only_a, fx_page(12), PTB_PROT_GPU_SHARED_RW);
	AGX_CHECK_EQ(agxsim_uat_write(f.uat, 1, VA_A, &a, 4, AGXSIM_AGENT_GPU, 0, &fault), 0);
	AGX_CHECK_EQ(agxsim_uat_write(f.uat, 2, VA_A, &b, 4, AGXSIM_AGENT_GPU, 0, &fault), 0);
	AGX_CHECK_EQ(*(uint32_t *)fx_host(&f, fx_page(10)), 0xaaaaaaaa);
	AGX_CHECK_EQ(*(uint32_t *)fx_host(&f, fx_page(11)), 0xbbbbbbbb);
	AGX_CHECK_EQ(agxsim_uat_read(f.uat, 1, VA_A, &v, 4, AGXSIM_AGENT_GPU, 0, &fault), 0);
	AGX_CHECK_EQ(v, 0xaaaaaaaa);
	AGX_CHECK_EQ(agxsim_uat_read(f.uat, 2, VA_A, &v, 4, AGXSIM_AGENT_GPU, 0, &fault), 0);
	AGX_CHECK_EQ(v, 0xbbbbbbbb);

	AGX_CHECK_EQ(agxsim_uat_read(f.uat, 1, va_only_a, &v, 4, AGXSIM_AGENT_GPU, 0, &fault), 0);
	AGX_CHECK_EQ(agxsim_uat_read(f.uat, 2, va_only_a, &v, 4, AGXSIM_AGENT_GPU, 0, &fault),
		     -EFAULT);
	AGX_CHECK_EQ(fault.reason, AGXSIM_FAULT_UNMAPPED);
	AGX_CHECK_EQ(fault.context, 2);
	fx_fini(&f);
}

AGX_TEST(kernel_upper_half_goes_through_ttb1)
{
	struct fx f;
	struct agxsim_fault fault;
	struct agxsim_uat_walk w;
	uint64_t pa = 0;
	uint64_t low_alias = FX_KVA & ((1ull << 39) - 1);

	fx_init(&f, NULL);
	fx_map(&f, 0, FX_KVA + FX_PAGE_B, fx_page(20), PTB_PROT_GPU_FW_SHARED_RW);
	/* Slot 0's lower half exists but does not map the alias. */
	fx_map(&f, 0, 0x4000, fx_page(21), PTB_PROT_GPU_SHARED_RW);

	AGX_CHECK_EQ(agxsim_uat_translate(f.uat, 0, FX_KVA + FX_PAGE_B + 0x10,
					  AGXSIM_ACCESS_READ, AGXSIM_AGENT_GPU, 0, &pa, &fault), 0);
	AGX_CHECK_EQ(pa, fx_page(20) + 0x10);
	AGX_CHECK_EQ(agxsim_uat_walk(f.uat, 0, FX_KVA + FX_PAGE_B, &w), 0);
	AGX_CHECK_EQ(w.ttb, *(uint64_t *)fx_host(&f, FX_TTBAT_PA + 8));
	/* Kernel entries are global (nG clear). */
	AGX_CHECK_EQ(w.pte & (1ull << 11), 0);
	AGX_CHECK_EQ(agxsim_uat_walk(f.uat, 0, low_alias + FX_PAGE_B, &w), -ENOENT);

	/* A user slot without ttb1 cannot see kernel VAs... */
	fx_map(&f, 3, VA_A, fx_page(22), PTB_PROT_GPU_SHARED_RW);
	AGX_CHECK_EQ(agxsim_uat_walk(f.uat, 3, FX_KVA + FX_PAGE_B, &w), -ENOENT);
	AGX_CHECK_EQ(w.level, 0);
	/* ...until the kernel half is installed there too (G14X does this). */
	ptb_set_ttb(&f.ptb, FX_TTBAT_PA, 3, 1, f.root[0][1]);
	AGX_CHECK_EQ(agxsim_uat_walk(f.uat, 3, FX_KVA + FX_PAGE_B, &w), 0);
	AGX_CHECK_EQ(w.pa, fx_page(20));
	AGX_CHECK_EQ(w.asid, 3);
	fx_fini(&f);
}

AGX_TEST(table_in_unbacked_memory_is_bad_physical_address)
{
	struct fx f;
	struct agxsim_fault fault;
	struct agxsim_mmu_fault_info fi;
	struct agxsim_uat_stats st;
	uint64_t pa, d;

	fx_init(&f, NULL);
	fx_map(&f, 1, VA_A, fx_page(0), PTB_PROT_GPU_SHARED_RW);
	d = ptb_get_desc(&f.ptb, f.root[1][0], VA_A, 2);
	ptb_set_desc(&f.ptb, f.root[1][0], VA_A, 2, FX_HOLE_PA | 3);
	check_walk_fault(&f, 1, VA_A, -EFAULT, 3, AGXSIM_MMU_FAULT_UNMAPPED);
	AGX_CHECK_EQ(agxsim_uat_translate(f.uat, 1, VA_A, AGXSIM_ACCESS_READ,
					  AGXSIM_AGENT_GPU, 0, &pa, &fault), -EFAULT);
	AGX_CHECK_EQ(fault.reason, AGXSIM_FAULT_BAD_PHYS);
	/* Not an MMU fault: the fault registers stay clear. */
	AGX_CHECK(!agxsim_uat_fault_info(f.uat, &fi));
	agxsim_uat_get_stats(f.uat, &st);
	AGX_CHECK_EQ(st.bad_phys, 1);
	AGX_CHECK_EQ(st.faults, 0);
	ptb_set_desc(&f.ptb, f.root[1][0], VA_A, 2, d);
	check_walk_fault(&f, 1, VA_A, 0, 3, 0);
	fx_fini(&f);
}

AGX_TEST(page_in_unbacked_memory_faults_on_access)
{
	struct fx f;
	struct agxsim_fault fault;
	uint64_t pa, v = 0;

	fx_init(&f, NULL);
	fx_map(&f, 1, VA_A, FX_HOLE_PA, PTB_PROT_GPU_SHARED_RW);
	/* Translation itself succeeds: the PTE is well formed. */
	AGX_CHECK_EQ(agxsim_uat_translate(f.uat, 1, VA_A, AGXSIM_ACCESS_READ,
					  AGXSIM_AGENT_GPU, 0, &pa, &fault), 0);
	AGX_CHECK_EQ(pa, FX_HOLE_PA);
	AGX_CHECK_EQ(agxsim_uat_read(f.uat, 1, VA_A + 8, &v, 8, AGXSIM_AGENT_GPU, 0, &fault),
		     -EFAULT);
	AGX_CHECK_EQ(fault.reason, AGXSIM_FAULT_BAD_PHYS);
	AGX_CHECK_EQ(fault.va, VA_A + 8);
	fx_fini(&f);
}

AGX_TEST(ttbat_in_unbacked_memory_is_bad_physical_address)
{
	struct fx f;
	struct agxsim_uat_config cfg = { .ttbat_pa = FX_HOLE_PA, .oas_bits = 40 };
	struct agxsim_uat *uat;
	struct agxsim_fault fault;
	uint64_t pa;

	fx_init(&f, NULL);
	uat = agxsim_uat_create(&f.pm, &cfg);
	AGX_REQUIRE(uat);
	AGX_CHECK_EQ(agxsim_uat_translate(uat, 0, VA_A, AGXSIM_ACCESS_READ,
					  AGXSIM_AGENT_GPU, 0, &pa, &fault), -EFAULT);
	AGX_CHECK_EQ(fault.reason, AGXSIM_FAULT_BAD_PHYS);
	agxsim_uat_destroy(uat);
	fx_fini(&f);
}

AGX_TEST_MAIN()
