// SPDX-License-Identifier: MIT
/*
 * Round trip: descriptors built by the test-side builder, decoded by the
 * model, compared with values worked out by hand from the documented bit
 * positions (facts 4.1): type 1:0 = 3, AttrIndex 4:2, AP 7:6, AF 10,
 * nG 11, OA 47:14, PXN 53, UXN 54, GPU-access 55; TTB = table | 1 |
 * slot << 48; VA indices 38:36, 35:25, 24:14.
 */
#include <errno.h>

#include "agx_test.h"
#include "sim_fixture.h"

#define R AGXSIM_PERM_R
#define W AGXSIM_PERM_W
#define RW AGXSIM_PERM_RW

struct prot_case {
	const char *name;
	uint64_t prot;
	bool user;
	uint64_t expect_pte;     /* for PA 0x8_0001_4000, by hand */
	unsigned int gpu, fw;    /* from the driver's names */
};

static const struct prot_case cases[] = {
	{ "FW_MMIO_RW", PTB_PROT_FW_MMIO_RW, false, 0x00c0000800014447ull, 0, RW },
	{ "FW_MMIO_RO", PTB_PROT_FW_MMIO_RO, false, 0x0080000800014447ull, 0, R },
	{ "FW_SHARED_RW", PTB_PROT_FW_SHARED_RW, false, 0x00c000080001444bull, 0, RW },
	{ "FW_SHARED_RO", PTB_PROT_FW_SHARED_RO, false, 0x008000080001444bull, 0, R },
	{ "FW_PRIV_RW", PTB_PROT_FW_PRIV_RW, false, 0x00c0000800014443ull, 0, RW },
	{ "GPU_FW_SHARED_RW", PTB_PROT_GPU_FW_SHARED_RW, false, 0x00e000080001440bull, RW, RW },
	{ "GPU_FW_PRIV_RW", PTB_PROT_GPU_FW_PRIV_RW, true, 0x00e0000800014c03ull, RW, RW },
	{ "GPU_RO_FW_PRIV_RW", PTB_PROT_GPU_RO_FW_PRIV_RW, false, 0x00e0000800014443ull, R, RW },
	{ "GPU_SHARED_RW", PTB_PROT_GPU_SHARED_RW, true, 0x00c0000800014c8bull, RW, 0 },
	{ "GPU_SHARED_RO", PTB_PROT_GPU_SHARED_RO, true, 0x0080000800014c8bull, R, 0 },
	{ "GPU_SHARED_WO", PTB_PROT_GPU_SHARED_WO, true, 0x00a0000800014c8bull, W, 0 },
	{ "FW_GPU_NA", PTB_PROT_FW_GPU_NA, true, 0x0080000800014c0bull, 0, 0 },
	{ "FW_GPU_RO", PTB_PROT_FW_GPU_RO, true, 0x00a0000800014c0bull, R, R },
	{ "FW_GPU_WO", PTB_PROT_FW_GPU_WO, true, 0x00c0000800014c0bull, W, W },
	{ "FW_NA", PTB_PROT_FW_NA, true, 0x00a0000800014c4bull, 0, 0 },
	{ "GPU_NA", PTB_PROT_GPU_NA, true, 0x00e0000800014c8bull, 0, 0 },
};

AGX_TEST(model_constants_match_documented_bit_positions)
{
	AGX_CHECK_EQ(AGXSIM_UAT_PAGE_SIZE_B, 16384);
	AGX_CHECK_EQ(AGXSIM_UAT_PTES_PER_TABLE, 2048);
	AGX_CHECK_EQ(AGXSIM_UAT_NUM_CTX, 64);
	AGX_CHECK_EQ(AGXSIM_UAT_TTBAT_SIZE_B, 0x400);
	AGX_CHECK_EQ(AGXSIM_PTE_AF, 0x400);
	AGX_CHECK_EQ(AGXSIM_PTE_NG, 0x800);
	AGX_CHECK_EQ(AGXSIM_PTE_PXN, 0x0020000000000000ull);
	AGX_CHECK_EQ(AGXSIM_PTE_UXN, 0x0040000000000000ull);
	AGX_CHECK_EQ(AGXSIM_PTE_OS, 0x0080000000000000ull);
	AGX_CHECK_EQ(AGXSIM_PTE_OA_MASK, 0x0000ffffffffc000ull);
	AGX_CHECK_EQ(AGXSIM_TTB_BADDR_MASK, 0x0000fffffffffffeull);
}

AGX_TEST(builder_leaf_values_match_hand_computed_ptes)
{
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t pte = ptb_leaf_value(0x800014000ull, cases[i].prot, cases[i].user);

		if (pte != cases[i].expect_pte)
			AGX_NOTE("%s", cases[i].name);
		AGX_CHECK_EQ(pte, cases[i].expect_pte);
	}
}

AGX_TEST(model_permissions_match_driver_protection_names)
{
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t pte = cases[i].expect_pte;
		unsigned int gpu = agxsim_uat_pte_perms(pte, AGXSIM_AGENT_GPU);
		unsigned int fw = agxsim_uat_pte_perms(pte, AGXSIM_AGENT_FW);

		if (gpu != cases[i].gpu || fw != cases[i].fw)
			AGX_NOTE("%s: gpu %u fw %u", cases[i].name, gpu, fw);
		AGX_CHECK_EQ(gpu, cases[i].gpu);
		AGX_CHECK_EQ(fw, cases[i].fw);
	}
}

AGX_TEST(gpu_has_no_access_without_gpu_access_bit)
{
	uint64_t pte = 0x00c0000800014c8bull & ~(1ull << 55);

	AGX_CHECK_EQ(agxsim_uat_pte_perms(pte, AGXSIM_AGENT_GPU), 0);
	/* Firmware-owned AP=1 UXN=0 PXN=1: firmware RW (pgtable.rs dump table). */
	pte = (1ull << 6) | (1ull << 53) | 0x403;
	AGX_CHECK_EQ(agxsim_uat_pte_perms(pte, AGXSIM_AGENT_FW), RW);
}

AGX_TEST(ttb_value_and_indices_land_where_documented)
{
	struct fx f;
	struct agxsim_uat_walk w;
	/* L1 index 5, L2 index 0x123, L3 index 0x456, offset 0x1abc. */
	uint64_t va = (5ull << 36) | (0x123ull << 25) | (0x456ull << 14) | 0x1abc;
	uint64_t root, l2, l3, ttb, d;

	fx_init(&f, NULL);
	fx_map(&f, 9, va, fx_page(3), PTB_PROT_GPU_SHARED_RW);
	root = f.root[9][0];

	/* TTBAT slot 9, ttb0 at +0x90. */
	ttb = *(uint64_t *)fx_host(&f, FX_TTBAT_PA + 0x90);
	AGX_CHECK_EQ(ttb, root | 1 | (9ull << 48));
	AGX_CHECK_EQ(*(uint64_t *)fx_host(&f, FX_TTBAT_PA + 0x98), 0);

	d = *(uint64_t *)fx_host(&f, root + 5 * 8);
	AGX_CHECK_EQ(d & 3, 3);
	l2 = d & 0x0000ffffffffc000ull;
	d = *(uint64_t *)fx_host(&f, l2 + 0x123 * 8);
	AGX_CHECK_EQ(d & 3, 3);
	l3 = d & 0x0000ffffffffc000ull;
	d = *(uint64_t *)fx_host(&f, l3 + 0x456 * 8);
	AGX_CHECK_EQ(d, fx_page(3) | 0x00c0000000000c8bull);

	AGX_CHECK_EQ(agxsim_uat_walk(f.uat, 9, va, &w), 0);
	AGX_CHECK_EQ(w.level, 3);
	AGX_CHECK_EQ(w.asid, 9);
	AGX_CHECK_EQ(w.ttb, ttb);
	AGX_CHECK_EQ(w.pte, d);
	AGX_CHECK_EQ(w.pa, fx_page(3) + 0x1abc);
	fx_fini(&f);
}

AGX_TEST(output_address_is_masked_to_oas)
{
	struct fx f;
	struct agxsim_uat_walk w;
	uint64_t va = 0x100000;

	fx_init(&f, NULL);   /* OAS 40 */
	fx_map(&f, 1, va, fx_page(0), PTB_PROT_GPU_SHARED_RW);
	/* Bit 44 set in OA: outside a 40-bit OAS, dropped like the driver does. */
	fx_set_leaf(&f, 1, va, fx_get_leaf(&f, 1, va) | (1ull << 44));
	AGX_CHECK_EQ(agxsim_uat_walk(f.uat, 1, va, &w), 0);
	AGX_CHECK_EQ(w.pa, fx_page(0));
	fx_fini(&f);
}

AGX_TEST(create_rejects_bad_config)
{
	struct agxsim_physmem pm;
	struct agxsim_uat_config cfg = { .ttbat_pa = 0x1000, .oas_bits = 40 };

	agxsim_physmem_init(&pm);
	AGX_CHECK(agxsim_uat_create(NULL, &cfg) == NULL);
	cfg.oas_bits = 0;
	AGX_CHECK(agxsim_uat_create(&pm, &cfg) == NULL);
	cfg.oas_bits = 42;
	cfg.ttbat_pa = 0x1004;
	AGX_CHECK(agxsim_uat_create(&pm, &cfg) == NULL);
}

AGX_TEST_MAIN()
