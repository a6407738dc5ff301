// SPDX-License-Identifier: MIT
/*
 * TLB behaviour: translations stay cached until the kernel invalidates
 * them (facts 4.3), so a missing TLBI shows up as a stale translation.
 */
#include <errno.h>

#include "agx_test.h"
#include "sim_fixture.h"

#define VA 0x0000000200000000ull

static uint32_t rd32(struct fx *f, uint32_t ctx, uint64_t va, int *ret)
{
	struct agxsim_fault fault;
	uint32_t v = 0;

	*ret = agxsim_uat_read(f->uat, ctx, va, &v, 4, AGXSIM_AGENT_GPU, 0, &fault);
	return v;
}

static void put32(struct fx *f, uint64_t pa, uint32_t v)
{
	*(uint32_t *)fx_host(f, pa) = v;
}

static uint64_t user_leaf(uint64_t pa, uint64_t prot)
{
	return ptb_leaf_value(pa, prot, true);
}

AGX_TEST(changed_pte_not_seen_until_invalidate)
{
	struct fx f;
	struct agxsim_uat_stats st;
	int ret;

	fx_init(&f, NULL);
	put32(&f, fx_page(0), 0x1111);
	put32(&f, fx_page(1), 0x2222);
	fx_map(&f, 1, VA, fx_page(0), PTB_PROT_GPU_SHARED_RW);
	AGX_CHECK_EQ(rd32(&f, 1, VA, &ret), 0x1111);

	fx_set_leaf(&f, 1, VA, user_leaf(fx_page(1), PTB_PROT_GPU_SHARED_RW));
	AGX_CHECK_EQ(rd32(&f, 1, VA, &ret), 0x1111);   /* stale */
	agxsim_uat_get_stats(f.uat, &st);
	AGX_CHECK_EQ(st.stale_hits, 1);
	AGX_CHECK_EQ(st.last_stale_ctx, 1);
	AGX_CHECK_EQ(st.last_stale_va, VA);
	AGX_CHECK_EQ(st.last_stale_cached_pte, user_leaf(fx_page(0), PTB_PROT_GPU_SHARED_RW));
	AGX_CHECK_EQ(st.last_stale_table_pte, user_leaf(fx_page(1), PTB_PROT_GPU_SHARED_RW));

	agxsim_uat_tlbi_va(f.uat, 1, VA, FX_PAGE_B);
	AGX_CHECK_EQ(rd32(&f, 1, VA, &ret), 0x2222);
	agxsim_uat_get_stats(f.uat, &st);
	AGX_CHECK_EQ(st.stale_hits, 1);
	fx_fini(&f);
}

AGX_TEST(unmap_without_invalidate_keeps_translating)
{
	struct fx f;
	int ret;

	fx_init(&f, NULL);
	put32(&f, fx_page(0), 0x1234);
	fx_map(&f, 1, VA, fx_page(0), PTB_PROT_GPU_SHARED_RW);
	AGX_CHECK_EQ(rd32(&f, 1, VA, &ret), 0x1234);
	fx_set_leaf(&f, 1, VA, 0);
	AGX_CHECK_EQ(rd32(&f, 1, VA, &ret), 0x1234);
	AGX_CHECK_EQ(ret, 0);
	agxsim_uat_tlbi_asid(f.uat, 1);
	rd32(&f, 1, VA, &ret);
	AGX_CHECK_EQ(ret, -EFAULT);
	fx_fini(&f);
}

AGX_TEST(reprot_without_invalidate_keeps_old_permissions)
{
	struct fx f;
	struct agxsim_fault fault;
	uint32_t v = 7;

	fx_init(&f, NULL);
	fx_map(&f, 1, VA, fx_page(0), PTB_PROT_GPU_SHARED_RW);
	AGX_CHECK_EQ(agxsim_uat_write(f.uat, 1, VA, &v, 4, AGXSIM_AGENT_GPU, 0, &fault), 0);
	fx_set_leaf(&f, 1, VA, user_leaf(fx_page(0), PTB_PROT_GPU_SHARED_RO));
	AGX_CHECK_EQ(agxsim_uat_write(f.uat, 1, VA, &v, 4, AGXSIM_AGENT_GPU, 0, &fault), 0);
	agxsim_uat_tlbi_va(f.uat, 1, VA, FX_PAGE_B);
	AGX_CHECK_EQ(agxsim_uat_write(f.uat, 1, VA, &v, 4, AGXSIM_AGENT_GPU, 0, &fault),
		     -EFAULT);
	AGX_CHECK_EQ(fault.reason, AGXSIM_FAULT_PERMISSION);
	fx_fini(&f);
}

AGX_TEST(new_mapping_is_seen_without_invalidate)
{
	struct fx f;
	int ret;

	fx_init(&f, NULL);
	fx_map(&f, 1, VA + FX_PAGE_B, fx_page(1), PTB_PROT_GPU_SHARED_RW);
	put32(&f, fx_page(0), 0xbeef);
	rd32(&f, 1, VA, &ret);
	AGX_CHECK_EQ(ret, -EFAULT);
	/* Faults are not cached: mapping the page is enough. */
	fx_map(&f, 1, VA, fx_page(0), PTB_PROT_GPU_SHARED_RW);
	AGX_CHECK_EQ(rd32(&f, 1, VA, &ret), 0xbeef);
	AGX_CHECK_EQ(ret, 0);
	fx_fini(&f);
}

AGX_TEST(asid_invalidate_only_hits_that_asid)
{
	struct fx f;
	int ret;

	fx_init(&f, NULL);
	put32(&f, fx_page(0), 0x10);
	put32(&f, fx_page(1), 0x20);
	put32(&f, fx_page(2), 0x11);
	put32(&f, fx_page(3), 0x21);
	fx_map(&f, 1, VA, fx_page(0), PTB_PROT_GPU_SHARED_RW);
	fx_map(&f, 2, VA, fx_page(1), PTB_PROT_GPU_SHARED_RW);
	AGX_CHECK_EQ(rd32(&f, 1, VA, &ret), 0x10);
	AGX_CHECK_EQ(rd32(&f, 2, VA, &ret), 0x20);
	fx_set_leaf(&f, 1, VA, user_leaf(fx_page(2), PTB_PROT_GPU_SHARED_RW));
	fx_set_leaf(&f, 2, VA, user_leaf(fx_page(3), PTB_PROT_GPU_SHARED_RW));
	agxsim_uat_tlbi_asid(f.uat, 1);
	AGX_CHECK_EQ(rd32(&f, 1, VA, &ret), 0x11);
	AGX_CHECK_EQ(rd32(&f, 2, VA, &ret), 0x20);   /* still stale */
	agxsim_uat_tlbi_all(f.uat);
	AGX_CHECK_EQ(rd32(&f, 2, VA, &ret), 0x21);
	fx_fini(&f);
}

AGX_TEST(global_kernel_entries_survive_asid_invalidate)
{
	struct fx f;
	int ret;

	fx_init(&f, NULL);
	put32(&f, fx_page(0), 0xa0);
	put32(&f, fx_page(1), 0xa1);
	fx_map(&f, 0, FX_KVA, fx_page(0), PTB_PROT_GPU_FW_SHARED_RW);
	AGX_CHECK_EQ(rd32(&f, 0, FX_KVA, &ret), 0xa0);
	ptb_set_desc(&f.ptb, f.root[0][1], FX_KVA, 3,
		     ptb_leaf_value(fx_page(1), PTB_PROT_GPU_FW_SHARED_RW, false));
	agxsim_uat_tlbi_asid(f.uat, 0);
	AGX_CHECK_EQ(rd32(&f, 0, FX_KVA, &ret), 0xa0);   /* global: kept */
	/* A by-VA invalidate matches global entries whatever the ASID. */
	agxsim_uat_tlbi_va(f.uat, 5, FX_KVA, FX_PAGE_B);
	AGX_CHECK_EQ(rd32(&f, 0, FX_KVA, &ret), 0xa1);
	fx_fini(&f);
}

AGX_TEST(global_kernel_entry_is_shared_by_user_slots)
{
	struct fx f;
	struct agxsim_uat_stats st;
	int ret;

	fx_init(&f, NULL);
	put32(&f, fx_page(0), 0xa0);
	fx_map(&f, 0, FX_KVA, fx_page(0), PTB_PROT_GPU_FW_SHARED_RW);
	ptb_set_ttb(&f.ptb, FX_TTBAT_PA, 6, 1, f.root[0][1]);
	AGX_CHECK_EQ(rd32(&f, 0, FX_KVA, &ret), 0xa0);
	AGX_CHECK_EQ(rd32(&f, 6, FX_KVA, &ret), 0xa0);
	agxsim_uat_get_stats(f.uat, &st);
	AGX_CHECK_EQ(st.walks, 1);
	AGX_CHECK_EQ(st.tlb_hits, 1);
	fx_fini(&f);
}

AGX_TEST(rebinding_a_slot_needs_asid_invalidate)
{
	struct fx f;
	uint64_t root_b;
	int ret;

	fx_init(&f, NULL);
	put32(&f, fx_page(0), 0xaaaa);   /* VM A's data */
	put32(&f, fx_page(1), 0xbbbb);   /* VM B's data */
	fx_map(&f, 1, VA, fx_page(0), PTB_PROT_GPU_SHARED_RW);
	AGX_CHECK_EQ(rd32(&f, 1, VA, &ret), 0xaaaa);

	/* The kernel gives slot 1 to VM B: new TTB, same ASID. */
	root_b = ptb_alloc_table(&f.ptb);
	AGX_REQUIRE(root_b);
	AGX_REQUIRE(ptb_map(&f.ptb, root_b, VA, fx_page(1), PTB_PROT_GPU_SHARED_RW, true) == 0);
	ptb_set_ttb(&f.ptb, FX_TTBAT_PA, 1, 0, root_b);
	/* Without "tlbi aside1os" VM B reads VM A's page. */
	AGX_CHECK_EQ(rd32(&f, 1, VA, &ret), 0xaaaa);
	agxsim_uat_tlbi_asid(f.uat, 1);
	AGX_CHECK_EQ(rd32(&f, 1, VA, &ret), 0xbbbb);
	fx_fini(&f);
}

AGX_TEST(va_range_invalidate_is_exact)
{
	struct fx f;
	unsigned int i;
	int ret;

	fx_init(&f, NULL);
	for (i = 0; i < 8; i++) {
		put32(&f, fx_page(i), 0x100 + i);
		if (i < 4)
			fx_map(&f, 1, VA + i * FX_PAGE_B, fx_page(i), PTB_PROT_GPU_SHARED_RW);
	}
	for (i = 0; i < 4; i++)
		AGX_CHECK_EQ(rd32(&f, 1, VA + i * FX_PAGE_B, &ret), 0x100 + i);
	for (i = 0; i < 4; i++)
		fx_set_leaf(&f, 1, VA + i * FX_PAGE_B,
			    user_leaf(fx_page(i + 4), PTB_PROT_GPU_SHARED_RW));
	/* Pages 1 and 2 only; a range ending mid-page covers that page. */
	agxsim_uat_tlbi_va(f.uat, 1, VA + FX_PAGE_B, FX_PAGE_B + 1);
	AGX_CHECK_EQ(rd32(&f, 1, VA, &ret), 0x100);
	AGX_CHECK_EQ(rd32(&f, 1, VA + 1 * FX_PAGE_B, &ret), 0x105);
	AGX_CHECK_EQ(rd32(&f, 1, VA + 2 * FX_PAGE_B, &ret), 0x106);
	AGX_CHECK_EQ(rd32(&f, 1, VA + 3 * FX_PAGE_B, &ret), 0x103);
	/* Other ASID: no effect. */
	agxsim_uat_tlbi_va(f.uat, 2, VA, 4 * FX_PAGE_B);
	AGX_CHECK_EQ(rd32(&f, 1, VA, &ret), 0x100);
	fx_fini(&f);
}

AGX_TEST(tlb_capacity_is_limited)
{
	struct fx f;
	struct agxsim_uat_config cfg = {
		.ttbat_pa = FX_TTBAT_PA, .oas_bits = 40, .tlb_entries = 4,
	};
	struct agxsim_uat_stats st;
	unsigned int i;
	int ret;

	fx_init(&f, &cfg);
	for (i = 0; i < 8; i++)
		fx_map(&f, 1, VA + i * FX_PAGE_B, fx_page(i), PTB_PROT_GPU_SHARED_RW);
	for (i = 0; i < 8; i++)
		rd32(&f, 1, VA + i * FX_PAGE_B, &ret);
	rd32(&f, 1, VA + 7 * FX_PAGE_B, &ret);   /* still cached */
	rd32(&f, 1, VA, &ret);                   /* evicted */
	agxsim_uat_get_stats(f.uat, &st);
	AGX_CHECK_EQ(st.walks, 9);
	AGX_CHECK_EQ(st.tlb_hits, 1);
	fx_fini(&f);
}

AGX_TEST(stale_check_can_be_disabled)
{
	struct fx f;
	struct agxsim_uat_config cfg = {
		.ttbat_pa = FX_TTBAT_PA, .oas_bits = 40, .skip_stale_check = true,
	};
	struct agxsim_uat_stats st;
	int ret;

	fx_init(&f, &cfg);
	put32(&f, fx_page(0), 1);
	fx_map(&f, 1, VA, fx_page(0), PTB_PROT_GPU_SHARED_RW);
	rd32(&f, 1, VA, &ret);
	fx_set_leaf(&f, 1, VA, 0);
	AGX_CHECK_EQ(rd32(&f, 1, VA, &ret), 1);
	agxsim_uat_get_stats(f.uat, &st);
	AGX_CHECK_EQ(st.stale_hits, 0);
	AGX_CHECK_EQ(st.tlb_hits, 1);
	fx_fini(&f);
}

AGX_TEST_MAIN()
