// SPDX-License-Identifier: MIT
/*
 * Device core tests: configuration checks, the bootloader's blobs, MMIO
 * registers decoded the way the kernel decodes them, RTKit boot rules,
 * TLB invalidation, the handoff answer and crash injection.
 * Expected values come from kernel-firmware-facts.md (5.1, 6.1, 2.x),
 * not from the model's headers.
 */
#include <errno.h>
#include <string.h>

#include "agx_test.h"
#include "agxfw/agxfw_access.h"
#include "agxfw/gen/agxfw_g13_v13_5.h"
#include "agxfw/gen/agxfw_g14x_v13_5.h"
#include "agxfw/gen/agxfw_g13_v12_3.h"
#include "agxfw/gen/agxfw_g14_v12_4.h"
#include "agxfw/gen/agxfw_g14_v13_5.h"
#include "agxsim/gpu_hooks.h"
#include "agxsim/uat.h"
#include "dev_fixture.h"
#include "pt_builder.h"

static const struct df_combo *combo(const char *name)
{
	for (unsigned int i = 0; i < 5; i++)
		if (!strcmp(df_combos[i].name, name))
			return &df_combos[i];
	return NULL;
}

AGX_TEST(create_all_supported_combinations)
{
	static const size_t hwb[5] = {
		sizeof(struct agxfw_g13_v12_3_hw_data_b),
		sizeof(struct agxfw_g14_v12_4_hw_data_b),
		sizeof(struct agxfw_g13_v13_5_hw_data_b),
		sizeof(struct agxfw_g14_v13_5_hw_data_b),
		sizeof(struct agxfw_g14x_v13_5_hw_data_b),
	};
	static const size_t glb[5] = {
		sizeof(struct agxfw_g13_v12_3_globals),
		sizeof(struct agxfw_g14_v12_4_globals),
		sizeof(struct agxfw_g13_v13_5_globals),
		sizeof(struct agxfw_g14_v13_5_globals),
		sizeof(struct agxfw_g14x_v13_5_globals),
	};

	for (unsigned int i = 0; i < 5; i++) {
		struct df f;
		int ret = df_init(&f, &df_combos[i]);

		AGX_CHECK(ret == 0, "%s: create %d", df_combos[i].name, ret);
		if (!ret) {
			AGX_CHECK(!strcmp(agxsim_device_layout(f.dev)->name,
					  df_combos[i].name), "%s layout %s",
				  df_combos[i].name, agxsim_device_layout(f.dev)->name);
			AGX_CHECK_EQ(f.boot.blob_size_B[AGXSIM_REGION_HW_CAL_B], hwb[i]);
			AGX_CHECK_EQ(f.boot.blob_size_B[AGXSIM_REGION_GLOBALS], glb[i]);
			AGX_CHECK(f.boot.blob_size_B[AGXSIM_REGION_HW_CAL_A] > 0, "cal-a");
			AGX_CHECK_EQ(f.boot.blob_size_B[AGXSIM_REGION_TTBS], 0);
			AGX_CHECK_EQ(f.boot.blob_size_B[AGXSIM_REGION_HANDOFF], 0);
		}
		df_fini(&f);
	}
}

AGX_TEST(create_rejects_unsupported)
{
	struct {
		uint32_t gen, variant, chip, major, minor, patch;
	} bad[] = {
		{ 14, 'C', 0x6021, 12, 3, 0 },  /* G14X has only 13.5 */
		{ 13, 'G', 0x8103, 12, 4, 0 },  /* 12.4 is G14G's */
		{ 14, 'G', 0x8112, 12, 3, 0 },
		{ 13, 'G', 0x8103, 13, 3, 0 },
		{ 13, 'G', 0x8103, 13, 5, 1 },  /* patch must be 0 */
		{ 13, 'S', 0x8103, 13, 5, 0 },  /* M1 is G13G */
		{ 15, 'G', 0x8122, 13, 5, 0 },  /* M3 */
		{ 13, 'G', 0x1234, 13, 5, 0 },
	};

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct df_combo c = { "bad", bad[i].gen, bad[i].variant, bad[i].chip, 0x11,
				      { bad[i].major, bad[i].minor, bad[i].patch } };
		struct df f;
		int ret = df_init(&f, &c);

		AGX_CHECK(ret == -ENOTSUP && !f.dev, "case %u: %d", i, ret);
		df_fini(&f);
	}
}

AGX_TEST(create_rejects_bad_regions)
{
	struct df f;
	int ret;

	ret = df_init(&f, combo("G13-13.5"));
	AGX_REQUIRE(ret == 0, "%d", ret);
	agxsim_device_destroy(f.dev);

	f.cfg.regions[AGXSIM_REGION_HANDOFF].pa += 0x1000;     /* unaligned */
	AGX_CHECK_EQ(agxsim_device_create(&f.cfg, &f.ops, &f.boot, &f.dev), -EINVAL);
	df_config(&f, combo("G13-13.5"));
	f.cfg.regions[AGXSIM_REGION_GLOBALS].pa = DF_RAM_PA + DF_RAM_SIZE_B; /* outside */
	AGX_CHECK_EQ(agxsim_device_create(&f.cfg, &f.ops, &f.boot, &f.dev), -EINVAL);
	df_config(&f, combo("G13-13.5"));
	f.cfg.regions[AGXSIM_REGION_GLOBALS].size_B = DF_PAGE_B;  /* too small */
	AGX_CHECK_EQ(agxsim_device_create(&f.cfg, &f.ops, &f.boot, &f.dev), -EINVAL);
	df_config(&f, combo("G13-13.5"));
	f.cfg.pm = NULL;
	AGX_CHECK_EQ(agxsim_device_create(&f.cfg, &f.ops, &f.boot, &f.dev), -EINVAL);
	f.dev = NULL;
	df_fini(&f);
}

AGX_TEST(bootloader_fills_blobs_and_clears_regions)
{
	struct df f;
	const struct agxfw_g13_v13_5_hw_data_b *b;
	const struct agxfw_g13_v13_5_globals *g;
	const uint8_t *p;
	bool zero = true;

	AGX_REQUIRE(df_init(&f, combo("G13-13.5")) == 0, "create");
	b = df_host_ptr(&f, DF_CAL_B_PA);
	g = df_host_ptr(&f, DF_GLOBALS_PA);
	AGX_CHECK_EQ(b->chip_id, 0x8103);
	AGX_CHECK_EQ(b->uat_ttb_base.v, DF_TTBS_PA);
	AGX_CHECK_EQ(b->num_cores, 8);          /* t8103: 1 cluster x 8 */
	AGX_CHECK_EQ(b->gpu_core_id, 11);       /* G13G */
	AGX_CHECK_EQ(b->base_clock_khz, 24000);
	AGX_CHECK(b->max_pstate > 0 && b->frequencies[b->max_pstate] > 0,
		  "p-states %u", b->max_pstate);
	AGX_CHECK_EQ(g->idle_off_delay_ms, 2);
	AGX_CHECK_EQ(g->fault_control, 0xb);
	AGX_CHECK_EQ(g->pending_submissions, 0);
	for (unsigned int i = 0; i < 0x100; i++)
		zero &= g->pending_stamps[i].info == 0;
	AGX_CHECK(zero, "pending stamps clear");

	p = df_host_ptr(&f, DF_TTBS_PA);
	zero = true;
	for (unsigned int i = 0; i < 64 * 16; i++)
		zero &= p[i] == 0;
	AGX_CHECK(zero, "all 64 TTB slots invalid");
	p = df_host_ptr(&f, DF_PT_PA);
	zero = true;
	for (unsigned int i = 0; i < DF_PAGE_B; i++)
		zero &= p[i] == 0;
	AGX_CHECK(zero, "kernel-half top table empty");
	p = df_host_ptr(&f, DF_HANDOFF_PA);
	zero = true;
	for (unsigned int i = 0; i < 0x648; i++)
		zero &= p[i] == 0;
	AGX_CHECK(zero, "handoff cleared");
	df_fini(&f);

	/* G14X: another layout, another chip. */
	AGX_REQUIRE(df_init(&f, combo("G14X-13.5")) == 0, "create");
	{
		const struct agxfw_g14x_v13_5_hw_data_b *bx = df_host_ptr(&f, DF_CAL_B_PA);

		AGX_CHECK_EQ(bx->chip_id, 0x6021);
		AGX_CHECK_EQ(bx->num_cores, 40);    /* t6021: 4 clusters x 10 */
		AGX_CHECK_EQ(bx->gpu_core_id, 17);  /* G14C */
		AGX_CHECK_EQ(bx->uat_ttb_base.v, DF_TTBS_PA);
	}
	df_fini(&f);
}

/* A pagetables region of four pages gets the firmware's own mapping at
 * 0xffffff8000000000: firmware read-write, no GPU access (facts 4.1/4.2). */
AGX_TEST(bootloader_maps_firmware_private_region)
{
	struct df f;
	struct pt_builder b;
	struct agxsim_fault fault;
	const uint64_t va = 0xffffff8000000000ull;
	const uint64_t *top;
	uint64_t v = 0, l2, l3, leaf;

	AGX_REQUIRE(df_init_pt(&f, combo("G13-13.5"), DF_BIG_PT_PA, 4 * DF_PAGE_B) == 0,
		    "create");
	top = df_host_ptr(&f, DF_BIG_PT_PA);
	/* VA bits 38:36 of 0xffffff8000000000 are 0: entry 0. */
	AGX_REQUIRE((top[0] & 3) == 3, "top[0] %llx", (unsigned long long)top[0]);
	for (unsigned int i = 1; i < 2048; i++)
		AGX_CHECK(top[i] == 0, "top[%u]", i);
	l2 = top[0] & 0x0000ffffffffc000ull;
	l3 = ((const uint64_t *)df_host_ptr(&f, l2))[0] & 0x0000ffffffffc000ull;
	leaf = ((const uint64_t *)df_host_ptr(&f, l3))[0];
	AGX_CHECK(l2 >= DF_BIG_PT_PA && l2 < DF_BIG_PT_PA + 4 * DF_PAGE_B, "L2 in region");
	AGX_CHECK(l3 >= DF_BIG_PT_PA && l3 < DF_BIG_PT_PA + 4 * DF_PAGE_B, "L3 in region");
	AGX_CHECK_EQ((leaf >> 6) & 3, 1);        /* AP 1: firmware only */
	AGX_CHECK(leaf & (1ull << 10), "AF");
	AGX_CHECK(!(leaf & (1ull << 11)), "global");

	/* The kernel installs the region as slot 0's ttb1. */
	ptb_init(&b, &f.pm, DF_POOL_PA, 4 * DF_PAGE_B);
	ptb_set_ttb(&b, DF_TTBS_PA, 0, 1, DF_BIG_PT_PA);
	AGX_CHECK_EQ(agxsim_uat_read(agxsim_device_uat(f.dev), 0, va, &v, 8,
				     AGXSIM_AGENT_FW, 0, &fault), 0);
	AGX_CHECK(v != 0, "firmware data present");
	AGX_CHECK(agxsim_uat_read(agxsim_device_uat(f.dev), 0, va, &v, 8,
				  AGXSIM_AGENT_GPU, 1, &fault) != 0, "no GPU access");
	df_fini(&f);
}

/* Decode the ID registers as the driver does (facts 5.1, regs.rs). */
AGX_TEST(mmio_id_registers_decode_like_the_kernel)
{
	struct {
		uint32_t chip, gen, variant; const char *abi; uint32_t gen_code;
		char var; uint32_t clusters, cores; bool g14x;
	} t[] = {
		{ 0x8103, 13, 'G', "13.5", 4, 'G', 1, 8, false },
		{ 0x6000, 13, 'S', "13.5", 4, 'S', 2, 8, false },
		{ 0x6001, 13, 'C', "13.5", 4, 'C', 4, 8, false },
		{ 0x6002, 13, 'D', "13.5", 4, 'D', 8, 8, false },
		{ 0x8112, 14, 'G', "13.5", 5, 'G', 1, 10, false },
		{ 0x6020, 14, 'S', "13.5", 6, 'S', 2, 10, true },
		{ 0x6021, 14, 'C', "13.5", 6, 'C', 4, 10, true },
		{ 0x6022, 14, 'D', "13.5", 6, 'D', 8, 10, true },
	};

	for (unsigned int i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct df_combo c = { "x", t[i].gen, t[i].variant, t[i].chip, 0x10,
				      { 13, 5, 0 } };
		struct df f;
		uint32_t ver, c1, c2, clusters, cores, masks[3] = { 0 }, nregs;
		uint32_t active = 0;
		char var;

		AGX_REQUIRE(df_init(&f, &c) == 0, "chip %x", t[i].chip);
		ver = agxsim_device_mmio_read32(f.dev, AGXSIM_BANK_SGX, 0xd04000);
		c1 = agxsim_device_mmio_read32(f.dev, AGXSIM_BANK_SGX, 0xd04010);
		c2 = agxsim_device_mmio_read32(f.dev, AGXSIM_BANK_SGX, 0xd04014);
		AGX_CHECK_EQ(ver >> 24, t[i].gen_code);
		AGX_CHECK_EQ((ver >> 8) & 0xff, 0x10);
		if (t[i].g14x) {
			clusters = ((c1 >> 8) & 0xff) * ((c1 >> 16) & 0xf);
			nregs = 3;
			for (unsigned int r = 0; r < 3; r++)
				masks[r] = agxsim_device_mmio_read32(f.dev, AGXSIM_BANK_SGX,
								     0xe01500 + 4 * r);
		} else {
			clusters = (agxsim_device_mmio_read32(f.dev, AGXSIM_BANK_SGX,
							      0xd0401c) >> 12) & 0xff;
			nregs = 2;
			masks[0] = agxsim_device_mmio_read32(f.dev, AGXSIM_BANK_SGX, 0xd01500);
			masks[1] = agxsim_device_mmio_read32(f.dev, AGXSIM_BANK_SGX, 0xd01514);
		}
		cores = c1 & 0xff;
		switch ((ver >> 16) & 0xff) {
		case 2: var = 'G'; break;
		case 3: var = 'S'; break;
		case 4: var = clusters > 4 ? 'D' : 'C'; break;
		default: var = '?';
		}
		for (unsigned int r = 0; r < nregs; r++)
			active += (uint32_t)__builtin_popcount(masks[r]);
		AGX_CHECK(clusters == t[i].clusters && cores == t[i].cores &&
			  var == t[i].var && active == clusters * cores,
			  "chip %x: clusters %u cores %u var %c active %u", t[i].chip,
			  clusters, cores, var, active);
		AGX_CHECK(((c2 >> 16) & 0xff) > 0, "num_gps");
		df_fini(&f);
	}
}

AGX_TEST(boot_and_send_rules)
{
	struct df f;

	AGX_REQUIRE(df_init(&f, combo("G13-13.5")) == 0, "create");
	AGX_CHECK_EQ(agxsim_device_send(f.dev, 0x20, 0x81ull << 48), -EINVAL);
	AGX_CHECK_EQ(agxsim_device_boot(f.dev), -ETIMEDOUT);   /* CPU not started */
	AGX_CHECK(!agxsim_device_run(f.dev), "idle before CPU start");

	agxsim_device_mmio_write32(f.dev, AGXSIM_BANK_ASC, 0x44,
				   agxsim_device_mmio_read32(f.dev, AGXSIM_BANK_ASC, 0x44) |
				   (1u << 4));
	AGX_CHECK_EQ(agxsim_device_mmio_read32(f.dev, AGXSIM_BANK_ASC, 0x44), 1u << 4);
	AGX_CHECK_EQ(agxsim_device_send(f.dev, 0x21, 0x83ull << 48 | 0x10), -EINVAL);
	AGX_CHECK_EQ(agxsim_device_boot(f.dev), 0);
	AGX_CHECK_EQ(agxsim_device_send(f.dev, 0x22, 0), -EINVAL);
	AGX_CHECK_EQ(agxsim_device_send(f.dev, 0x00, 0), -EINVAL);
	AGX_CHECK_EQ(agxsim_device_send(f.dev, 0x21, 0x83ull << 48 | 0x10), 0);
	/* A doorbell before MSG_INIT does nothing visible. */
	df_run(&f);
	AGX_CHECK_EQ(f.host.n_msgs, 0);
	AGX_CHECK_EQ(f.host.n_crashed, 0);
	df_fini(&f);
}

AGX_TEST(handoff_magic_answered_once_running)
{
	struct df f;
	volatile uint64_t *h;

	AGX_REQUIRE(df_init(&f, combo("G14G-13.5")) == 0, "create");
	h = df_host_ptr(&f, DF_HANDOFF_PA);
	h[0] = 0x4b1d000000000002ull;            /* kernel: magic_ap */
	agxsim_device_run(f.dev);
	AGX_CHECK_EQ(h[1], 0);                    /* CPU not running yet */
	agxsim_device_mmio_write32(f.dev, AGXSIM_BANK_ASC, 0x44, 1u << 4);
	agxsim_device_run(f.dev);
	AGX_CHECK_EQ(h[1], 0x4b1d000000000002ull);
	df_fini(&f);
}

static void fault_regs_case(const char *name, bool g14x)
{
	struct df f;
	struct agxsim_fault fault;
	uint32_t dummy;
	uint64_t info, addr;
	const uint64_t va = 0x1234560ull;

	AGX_REQUIRE(df_init(&f, combo(name)) == 0, "create");
	/* Nothing mapped in context 5: a GPU read faults and latches. */
	AGX_CHECK(agxsim_uat_read(agxsim_device_uat(f.dev), 5, va, &dummy, 4,
				  AGXSIM_AGENT_GPU, 0xa2, &fault) != 0, "faults");
	if (!g14x) {
		info = agxsim_device_mmio_read32(f.dev, AGXSIM_BANK_SGX, 0x17030) |
		       (uint64_t)agxsim_device_mmio_read32(f.dev, AGXSIM_BANK_SGX,
							   0x17034) << 32;
		addr = (info >> 30) << 6;
	} else {
		info = agxsim_device_mmio_read32(f.dev, AGXSIM_BANK_SGX, 0xd8c0) |
		       (uint64_t)agxsim_device_mmio_read32(f.dev, AGXSIM_BANK_SGX,
							   0xd8c4) << 32;
		addr = (agxsim_device_mmio_read32(f.dev, AGXSIM_BANK_SGX, 0xd8c8) |
			(uint64_t)agxsim_device_mmio_read32(f.dev, AGXSIM_BANK_SGX,
							    0xd8cc) << 32) << 6;
	}
	AGX_CHECK(info & 1, "%s valid", name);
	AGX_CHECK_EQ((info >> 1) & 7, 0);         /* Unmapped */
	AGX_CHECK_EQ((info >> 4) & 1, 1);         /* read */
	AGX_CHECK_EQ((info >> 9) & 0xff, 0xa2);   /* dCDM_KS0 */
	AGX_CHECK_EQ((info >> 17) & 0x3f, 5);     /* vm_slot */
	AGX_CHECK_EQ(addr, va & ~63ull);
	df_fini(&f);
}

AGX_TEST(fault_registers_g13_layout)
{
	fault_regs_case("G13-12.3", false);
}

AGX_TEST(fault_registers_g14x_layout)
{
	fault_regs_case("G14X-13.5", true);
}

AGX_TEST(tlb_invalidate_reaches_the_uat)
{
	struct df f;
	struct pt_builder b;
	struct agxsim_uat *uat;
	struct agxsim_fault fault;
	const uint64_t va = 0x100000;
	uint64_t root, pa1 = DF_POOL_PA + 0x100000, pa2 = pa1 + DF_PAGE_B;
	uint32_t v = 0;
	enum agxsim_tlbi kinds[3] = { AGXSIM_TLBI_ASID, AGXSIM_TLBI_RANGE,
				      AGXSIM_TLBI_ALL };

	AGX_REQUIRE(df_init(&f, combo("G13-13.5")) == 0, "create");
	uat = agxsim_device_uat(f.dev);
	*(uint32_t *)df_host_ptr(&f, pa1) = 0x11111111;
	*(uint32_t *)df_host_ptr(&f, pa2) = 0x22222222;
	ptb_init(&b, &f.pm, DF_POOL_PA, 0x40 * DF_PAGE_B);
	root = ptb_alloc_table(&b);
	ptb_set_ttb(&b, DF_TTBS_PA, 3, 0, root);
	for (unsigned int k = 0; k < 3; k++) {
		ptb_map(&b, root, va, pa1, PTB_PROT_GPU_SHARED_RW, true);
		agxsim_device_tlb_invalidate(f.dev, AGXSIM_TLBI_ALL, 0, 0, 0);
		agxsim_uat_read(uat, 3, va, &v, 4, AGXSIM_AGENT_GPU, 1, &fault);
		AGX_CHECK_EQ(v, 0x11111111);
		/* Remap without invalidation: the TLB still has the old page. */
		ptb_set_desc(&b, root, va, 3,
			     ptb_leaf_value(pa2, PTB_PROT_GPU_SHARED_RW, true));
		agxsim_uat_read(uat, 3, va, &v, 4, AGXSIM_AGENT_GPU, 1, &fault);
		AGX_CHECK_EQ(v, 0x11111111);
		agxsim_device_tlb_invalidate(f.dev, kinds[k], 3, va, DF_PAGE_B);
		agxsim_uat_read(uat, 3, va, &v, 4, AGXSIM_AGENT_GPU, 1, &fault);
		AGX_CHECK(v == 0x22222222, "kind %u: 0x%x", k, v);
	}
	df_fini(&f);
}

AGX_TEST(injected_crash_is_final)
{
	struct df f;

	AGX_REQUIRE(df_init(&f, combo("G14G-12.4")) == 0, "create");
	agxsim_device_mmio_write32(f.dev, AGXSIM_BANK_ASC, 0x44, 1u << 4);
	AGX_REQUIRE(agxsim_device_boot(f.dev) == 0, "boot");
	AGX_CHECK_EQ(agxsim_device_inject(f.dev, AGXSIM_INJECT_FW_CRASH), 0);
	AGX_CHECK_EQ(f.host.n_crashed, 1);
	AGX_CHECK(strstr(f.host.crash_reason, "inject") != NULL, "%s",
		  f.host.crash_reason);
	AGX_CHECK_EQ(agxsim_device_send(f.dev, 0x20, 0x81ull << 48), -ENODEV);
	AGX_CHECK(!agxsim_device_run(f.dev), "dead");
	AGX_CHECK_EQ(agxsim_device_inject(f.dev, AGXSIM_INJECT_FW_CRASH), -ENODEV);
	AGX_CHECK_EQ(agxsim_device_inject(f.dev, (enum agxsim_inject)42), -EINVAL);
	AGX_CHECK_EQ(f.host.n_crashed, 1);
	AGX_CHECK_EQ(f.host.n_msgs, 0);
	df_fini(&f);
}

AGX_TEST_MAIN()
