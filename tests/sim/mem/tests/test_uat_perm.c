// SPDX-License-Identifier: MIT
/*
 * Permission checks for GPU and firmware accesses through real mappings,
 * with the fault reason the hardware would latch.
 */
#include <errno.h>

#include "agx_test.h"
#include "sim_fixture.h"

#define VA_BASE 0x0000000100000000ull

struct perm_case {
	const char *name;
	uint64_t prot;
	unsigned int agent;
	int read_reason;    /* -1: read allowed, else expected hw reason */
	int write_reason;
};

static const struct perm_case cases[] = {
	/* GPU-only user mappings (PROT_GPU_SHARED_*). */
	{ "gpu RW", PTB_PROT_GPU_SHARED_RW, AGXSIM_AGENT_GPU, -1, -1 },
	{ "gpu RO", PTB_PROT_GPU_SHARED_RO, AGXSIM_AGENT_GPU, -1, AGXSIM_MMU_FAULT_READ_ONLY },
	{ "gpu WO", PTB_PROT_GPU_SHARED_WO, AGXSIM_AGENT_GPU, AGXSIM_MMU_FAULT_WRITE_ONLY, -1 },
	{ "gpu NA", PTB_PROT_GPU_NA, AGXSIM_AGENT_GPU, AGXSIM_MMU_FAULT_NO_ACCESS,
	  AGXSIM_MMU_FAULT_NO_ACCESS },
	/* Firmware + GPU (AP 0). */
	{ "fw+gpu RW", PTB_PROT_GPU_FW_SHARED_RW, AGXSIM_AGENT_GPU, -1, -1 },
	{ "fw+gpu RO", PTB_PROT_FW_GPU_RO, AGXSIM_AGENT_GPU, -1, AGXSIM_MMU_FAULT_READ_ONLY },
	{ "fw+gpu WO", PTB_PROT_FW_GPU_WO, AGXSIM_AGENT_GPU, AGXSIM_MMU_FAULT_WRITE_ONLY, -1 },
	{ "fw+gpu NA", PTB_PROT_FW_GPU_NA, AGXSIM_AGENT_GPU, AGXSIM_MMU_FAULT_NO_ACCESS,
	  AGXSIM_MMU_FAULT_NO_ACCESS },
	/* Firmware-only mappings are invisible to the GPU... */
	{ "fw shared RW (gpu)", PTB_PROT_FW_SHARED_RW, AGXSIM_AGENT_GPU,
	  AGXSIM_MMU_FAULT_NO_ACCESS, AGXSIM_MMU_FAULT_NO_ACCESS },
	{ "fw priv RW (gpu)", PTB_PROT_FW_PRIV_RW, AGXSIM_AGENT_GPU,
	  AGXSIM_MMU_FAULT_NO_ACCESS, AGXSIM_MMU_FAULT_NO_ACCESS },
	/* ...except FW-RW/GPU-RO (Run* commands). */
	{ "gpu RO fw RW (gpu)", PTB_PROT_GPU_RO_FW_PRIV_RW, AGXSIM_AGENT_GPU, -1,
	  AGXSIM_MMU_FAULT_READ_ONLY },
	{ "gpu RO fw RW (fw)", PTB_PROT_GPU_RO_FW_PRIV_RW, AGXSIM_AGENT_FW, -1, -1 },
	/* Firmware's view. */
	{ "fw shared RW (fw)", PTB_PROT_FW_SHARED_RW, AGXSIM_AGENT_FW, -1, -1 },
	{ "fw shared RO (fw)", PTB_PROT_FW_SHARED_RO, AGXSIM_AGENT_FW, -1,
	  AGXSIM_MMU_FAULT_READ_ONLY },
	{ "gpu shared RW (fw)", PTB_PROT_GPU_SHARED_RW, AGXSIM_AGENT_FW,
	  AGXSIM_MMU_FAULT_NO_ACCESS, AGXSIM_MMU_FAULT_NO_ACCESS },
	{ "fw NA (fw)", PTB_PROT_FW_NA, AGXSIM_AGENT_FW, AGXSIM_MMU_FAULT_NO_ACCESS,
	  AGXSIM_MMU_FAULT_NO_ACCESS },
};

static void check_access(struct fx *f, const struct perm_case *c, uint64_t va,
			 enum agxsim_access access, int expect_reason)
{
	struct agxsim_fault fault;
	struct agxsim_mmu_fault_info fi;
	uint32_t v = 0x5a5a5a5a;
	int ret;

	agxsim_uat_clear_fault(f->uat);
	if (access == AGXSIM_ACCESS_READ)
		ret = agxsim_uat_read(f->uat, 1, va, &v, 4, c->agent, AGXSIM_UNIT_UL1C, &fault);
	else
		ret = agxsim_uat_write(f->uat, 1, va, &v, 4, c->agent, AGXSIM_UNIT_UL1C, &fault);

	if (expect_reason < 0) {
		if (ret)
			AGX_NOTE("%s: %s faulted", c->name,
				 access == AGXSIM_ACCESS_READ ? "read" : "write");
		AGX_CHECK_EQ(ret, 0);
		AGX_CHECK_EQ(fault.reason, AGXSIM_FAULT_NONE);
		return;
	}
	if (!ret)
		AGX_NOTE("%s: %s allowed", c->name,
			 access == AGXSIM_ACCESS_READ ? "read" : "write");
	AGX_CHECK_EQ(ret, -EFAULT);
	AGX_CHECK_EQ(fault.reason, AGXSIM_FAULT_PERMISSION);
	AGX_CHECK_EQ(fault.access, access);
	AGX_CHECK_EQ(fault.va, va);
	if (c->agent == AGXSIM_AGENT_GPU) {
		AGX_REQUIRE(agxsim_uat_fault_info(f->uat, &fi));
		AGX_CHECK_EQ(fi.reason, expect_reason);
		AGX_CHECK_EQ(fi.read, access == AGXSIM_ACCESS_READ);
		AGX_CHECK_EQ(fi.level, 3);
		AGX_CHECK_EQ(fi.unit_code, AGXSIM_UNIT_UL1C);
	} else {
		/* Firmware faults never reach the GPU fault registers. */
		AGX_CHECK(!agxsim_uat_fault_info(f->uat, &fi));
	}
}

AGX_TEST(permission_matrix_for_gpu_and_firmware)
{
	struct fx f;
	unsigned int i, n = sizeof(cases) / sizeof(cases[0]);

	fx_init(&f, NULL);
	for (i = 0; i < n; i++)
		fx_map(&f, 1, VA_BASE + i * FX_PAGE_B, fx_page(i), cases[i].prot);
	for (i = 0; i < n; i++) {
		uint64_t va = VA_BASE + i * FX_PAGE_B + 0x40;

		check_access(&f, &cases[i], va, AGXSIM_ACCESS_READ, cases[i].read_reason);
		check_access(&f, &cases[i], va, AGXSIM_ACCESS_WRITE, cases[i].write_reason);
	}
	fx_fini(&f);
}

AGX_TEST(denied_write_leaves_memory_untouched)
{
	struct fx f;
	struct agxsim_fault fault;
	uint32_t v = 0x11223344;

	fx_init(&f, NULL);
	fx_map(&f, 1, VA_BASE, fx_page(0), PTB_PROT_GPU_SHARED_RO);
	*(uint32_t *)fx_host(&f, fx_page(0)) = 0xcafef00d;
	AGX_CHECK_EQ(agxsim_uat_write(f.uat, 1, VA_BASE, &v, 4, AGXSIM_AGENT_GPU, 0, &fault),
		     -EFAULT);
	AGX_CHECK_EQ(*(uint32_t *)fx_host(&f, fx_page(0)), 0xcafef00d);
	AGX_CHECK_EQ(agxsim_uat_read(f.uat, 1, VA_BASE, &v, 4, AGXSIM_AGENT_GPU, 0, &fault), 0);
	AGX_CHECK_EQ(v, 0xcafef00d);
	fx_fini(&f);
}

AGX_TEST(ap3_is_treated_as_no_access)
{
	struct fx f;
	struct agxsim_fault fault;
	uint32_t v;

	fx_init(&f, NULL);
	fx_map(&f, 1, VA_BASE, fx_page(0), PTB_PROT(3, 1, 0, PTB_ATTR_UNCACHED));
	AGX_CHECK_EQ(agxsim_uat_read(f.uat, 1, VA_BASE, &v, 4, AGXSIM_AGENT_GPU, 0, &fault),
		     -EFAULT);
	AGX_CHECK_EQ(fault.reason, AGXSIM_FAULT_PERMISSION);
	fx_fini(&f);
}

AGX_TEST_MAIN()
