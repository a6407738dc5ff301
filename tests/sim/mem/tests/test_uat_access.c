// SPDX-License-Identifier: MIT
/*
 * Accesses through the UAT: page-crossing copies, all-or-nothing faults,
 * the mem_if adapter, latched fault registers and fault injection.
 */
#include <errno.h>

#include "agx_test.h"
#include "sim_fixture.h"

#define VA 0x0000000300000000ull

AGX_TEST(access_crossing_a_16k_boundary_uses_both_pages)
{
	struct fx f;
	struct agxsim_fault fault;
	uint8_t src[64], dst[64];
	unsigned int i;

	fx_init(&f, NULL);
	/* Physically discontiguous and in reverse order. */
	fx_map(&f, 1, VA, fx_page(9), PTB_PROT_GPU_SHARED_RW);
	fx_map(&f, 1, VA + FX_PAGE_B, fx_page(4), PTB_PROT_GPU_SHARED_RW);
	for (i = 0; i < 64; i++)
		src[i] = i + 1;
	AGX_CHECK_EQ(agxsim_uat_write(f.uat, 1, VA + FX_PAGE_B - 24, src, 64,
				      AGXSIM_AGENT_GPU, 0, &fault), 0);
	AGX_CHECK(!memcmp(fx_host(&f, fx_page(9) + FX_PAGE_B - 24), src, 24));
	AGX_CHECK(!memcmp(fx_host(&f, fx_page(4)), src + 24, 40));
	memset(dst, 0, sizeof(dst));
	AGX_CHECK_EQ(agxsim_uat_read(f.uat, 1, VA + FX_PAGE_B - 24, dst, 64,
				     AGXSIM_AGENT_GPU, 0, &fault), 0);
	AGX_CHECK(!memcmp(src, dst, 64));
	fx_fini(&f);
}

AGX_TEST(large_access_over_many_pages)
{
	struct fx f;
	struct agxsim_fault fault;
	static uint8_t src[12 * 0x4000], dst[12 * 0x4000];
	unsigned int i;

	fx_init(&f, NULL);
	for (i = 0; i < 13; i++)
		fx_map(&f, 1, VA + i * FX_PAGE_B, fx_page(40 - i), PTB_PROT_GPU_SHARED_RW);
	for (i = 0; i < sizeof(src); i++)
		src[i] = (i * 7) ^ (i >> 9);
	AGX_CHECK_EQ(agxsim_uat_write(f.uat, 1, VA + 100, src, sizeof(src),
				      AGXSIM_AGENT_GPU, 0, &fault), 0);
	AGX_CHECK_EQ(agxsim_uat_read(f.uat, 1, VA + 100, dst, sizeof(dst),
				     AGXSIM_AGENT_GPU, 0, &fault), 0);
	AGX_CHECK(!memcmp(src, dst, sizeof(src)));
	AGX_CHECK(!memcmp(fx_host(&f, fx_page(39)), src + FX_PAGE_B - 100, 16));
	fx_fini(&f);
}

AGX_TEST(fault_in_second_page_writes_nothing)
{
	struct fx f;
	struct agxsim_fault fault;
	uint8_t src[32];

	fx_init(&f, NULL);
	fx_map(&f, 1, VA, fx_page(0), PTB_PROT_GPU_SHARED_RW);
	fx_map(&f, 1, VA + FX_PAGE_B, fx_page(1), PTB_PROT_GPU_SHARED_RO);
	memset(src, 0x77, sizeof(src));
	AGX_CHECK_EQ(agxsim_uat_write(f.uat, 1, VA + FX_PAGE_B - 16, src, 32,
				      AGXSIM_AGENT_GPU, 0, &fault), -EFAULT);
	AGX_CHECK_EQ(fault.reason, AGXSIM_FAULT_PERMISSION);
	AGX_CHECK_EQ(fault.va, VA + FX_PAGE_B);   /* first faulting byte */
	AGX_CHECK_EQ(*(uint8_t *)fx_host(&f, fx_page(0) + FX_PAGE_B - 16), 0);
	AGX_CHECK_EQ(*(uint8_t *)fx_host(&f, fx_page(1)), 0);

	/* Unmapped second page: same, reason unmapped. */
	AGX_CHECK_EQ(agxsim_uat_read(f.uat, 1, VA + 2 * FX_PAGE_B - 4, src, 8,
				     AGXSIM_AGENT_GPU, 0, &fault), -EFAULT);
	AGX_CHECK_EQ(fault.reason, AGXSIM_FAULT_UNMAPPED);
	AGX_CHECK_EQ(fault.va, VA + 2 * FX_PAGE_B);
	fx_fini(&f);
}

AGX_TEST(mem_if_adapter_reads_writes_and_reports_faults)
{
	struct fx f;
	struct agxsim_uat_port port;
	struct agxsim_mem_if mem;
	struct agxsim_fault fault;
	uint64_t v = 0x0102030405060708ull, r = 0;

	fx_init(&f, NULL);
	fx_map(&f, 7, VA, fx_page(0), PTB_PROT_GPU_SHARED_RW);
	agxsim_uat_port_init(&port, &mem, f.uat, 7, AGXSIM_UNIT_ZLS | 0x20, AGXSIM_AGENT_GPU);
	AGX_CHECK_EQ(agxsim_mem_write(&mem, VA + 8, &v, 8, &fault), 0);
	AGX_CHECK_EQ(*(uint64_t *)fx_host(&f, fx_page(0) + 8), v);
	AGX_CHECK_EQ(agxsim_mem_read(&mem, VA + 8, &r, 8, &fault), 0);
	AGX_CHECK_EQ(r, v);
	AGX_CHECK_EQ(fault.reason, AGXSIM_FAULT_NONE);

	AGX_CHECK_EQ(agxsim_mem_write(&mem, VA + 5 * FX_PAGE_B + 12, &v, 8, &fault), -EFAULT);
	AGX_CHECK_EQ(fault.reason, AGXSIM_FAULT_UNMAPPED);
	AGX_CHECK_EQ(fault.access, AGXSIM_ACCESS_WRITE);
	AGX_CHECK_EQ(fault.va, VA + 5 * FX_PAGE_B + 12);
	AGX_CHECK_EQ(fault.context, 7);
	AGX_CHECK_EQ(fault.unit, AGXSIM_UNIT_ZLS | 0x20);
	/* A NULL fault pointer is allowed. */
	AGX_CHECK_EQ(agxsim_mem_read(&mem, VA + 5 * FX_PAGE_B, &r, 8, NULL), -EFAULT);
	fx_fini(&f);
}

AGX_TEST(firmware_and_gpu_ports_see_different_permissions)
{
	struct fx f;
	struct agxsim_uat_port fw_port, gpu_port;
	struct agxsim_mem_if fw, gpu;
	struct agxsim_fault fault;
	struct agxsim_mmu_fault_info fi;
	uint32_t v = 0x600d, r = 0;

	fx_init(&f, NULL);
	/* A firmware-private object in the kernel half (PROT_FW_PRIV_RW). */
	fx_map(&f, 0, FX_KVA, fx_page(0), PTB_PROT_FW_PRIV_RW);
	agxsim_uat_port_init(&fw_port, &fw, f.uat, 0, 0, AGXSIM_AGENT_FW);
	agxsim_uat_port_init(&gpu_port, &gpu, f.uat, 0, AGXSIM_UNIT_VDM, AGXSIM_AGENT_GPU);
	AGX_CHECK_EQ(agxsim_mem_write(&fw, FX_KVA + 4, &v, 4, &fault), 0);
	AGX_CHECK_EQ(agxsim_mem_read(&fw, FX_KVA + 4, &r, 4, &fault), 0);
	AGX_CHECK_EQ(r, 0x600d);
	AGX_CHECK_EQ(agxsim_mem_read(&gpu, FX_KVA + 4, &r, 4, &fault), -EFAULT);
	AGX_CHECK_EQ(fault.reason, AGXSIM_FAULT_PERMISSION);
	AGX_REQUIRE(agxsim_uat_fault_info(f.uat, &fi));
	AGX_CHECK_EQ(fi.reason, AGXSIM_MMU_FAULT_NO_ACCESS);
	AGX_CHECK_EQ(fi.unit_code, AGXSIM_UNIT_VDM);
	AGX_CHECK_EQ(fi.vm_slot, 0);
	fx_fini(&f);
}

AGX_TEST(fault_registers_latch_the_first_fault)
{
	struct fx f;
	struct agxsim_fault fault;
	struct agxsim_mmu_fault_info fi, dec;
	struct agxsim_uat_stats st;
	uint64_t info, addr, v = 0;

	fx_init(&f, NULL);
	fx_map(&f, 3, VA, fx_page(0), PTB_PROT_GPU_SHARED_RO);
	AGX_CHECK(!agxsim_uat_fault_info(f.uat, &fi));
	AGX_CHECK_EQ(agxsim_uat_write(f.uat, 3, VA + 0x1c0, &v, 8, AGXSIM_AGENT_GPU,
				      AGXSIM_UNIT_UL1C | 0x30, &fault), -EFAULT);
	AGX_CHECK_EQ(agxsim_uat_read(f.uat, 3, VA + 9 * FX_PAGE_B, &v, 8,
				     AGXSIM_AGENT_GPU, AGXSIM_UNIT_TE, &fault), -EFAULT);
	AGX_REQUIRE(agxsim_uat_fault_info(f.uat, &fi));
	AGX_CHECK_EQ(fi.reason, AGXSIM_MMU_FAULT_READ_ONLY);
	AGX_CHECK(!fi.read);
	AGX_CHECK_EQ(fi.vm_slot, 3);
	AGX_CHECK_EQ(fi.unit_code, 0x31);
	AGX_CHECK_EQ(fi.address, VA + 0x1c0);
	agxsim_uat_get_stats(f.uat, &st);
	AGX_CHECK_EQ(st.faults, 2);

	/* The register value the kernel would read (G13 layout). */
	agxsim_uat_fault_regs(f.uat, &info, &addr);
	AGX_CHECK_EQ(info, 1ull | (3ull << 1) | (3ull << 7) | (0x31ull << 9) | (3ull << 17) |
			   (((VA + 0x1c0) >> 6) << 30));
	agxsim_mmu_fault_decode(info, false, 0, &dec);
	AGX_CHECK_EQ(dec.address, VA + 0x1c0);

	agxsim_uat_clear_fault(f.uat);
	AGX_CHECK(!agxsim_uat_fault_info(f.uat, &fi));
	agxsim_uat_fault_regs(f.uat, &info, &addr);
	AGX_CHECK_EQ(info, 0);
	AGX_CHECK_EQ(agxsim_uat_read(f.uat, 3, VA + 9 * FX_PAGE_B, &v, 8,
				     AGXSIM_AGENT_GPU, AGXSIM_UNIT_TE, &fault), -EFAULT);
	AGX_REQUIRE(agxsim_uat_fault_info(f.uat, &fi));
	AGX_CHECK_EQ(fi.reason, AGXSIM_MMU_FAULT_UNMAPPED);
	AGX_CHECK(fi.read);
	AGX_CHECK_EQ(fi.unit_code, AGXSIM_UNIT_TE);
	AGX_CHECK_EQ(fi.level, 3);
	fx_fini(&f);
}

AGX_TEST(g14x_fault_registers_split_the_address)
{
	struct fx f;
	struct agxsim_uat_config cfg = {
		.ttbat_pa = FX_TTBAT_PA, .oas_bits = 42, .g14x = true,
	};
	struct agxsim_fault fault;
	uint64_t info, addr, v;

	fx_init(&f, &cfg);
	fx_root(&f, 0, 1);
	AGX_CHECK_EQ(agxsim_uat_read(f.uat, 0, FX_KVA + 0x80, &v, 8, AGXSIM_AGENT_GPU,
				     AGXSIM_UNIT_dPM, &fault), -EFAULT);
	agxsim_uat_fault_regs(f.uat, &info, &addr);
	/* ttb1 exists but its top table is empty: level 1. */
	AGX_CHECK_EQ(info, 1ull | (1ull << 4) | (1ull << 7) | (0xa1ull << 9));
	AGX_CHECK_EQ(addr, (FX_KVA + 0x80) >> 6);
	fx_fini(&f);
}

AGX_TEST(injected_fault_fires_once_on_a_mapped_page)
{
	struct fx f;
	struct agxsim_fault fault;
	struct agxsim_mmu_fault_info fi;
	uint32_t v = 0;
	unsigned int i;

	fx_init(&f, NULL);
	fx_map(&f, 2, VA, fx_page(0), PTB_PROT_GPU_SHARED_RW);
	AGX_CHECK_EQ(agxsim_uat_inject_fault(f.uat, 2, VA + 0x100, AGXSIM_MMU_FAULT_NO_ACCESS), 0);
	/* Other context, same VA: unaffected. */
	fx_map(&f, 4, VA, fx_page(1), PTB_PROT_GPU_SHARED_RW);
	AGX_CHECK_EQ(agxsim_uat_read(f.uat, 4, VA, &v, 4, AGXSIM_AGENT_GPU, 0, &fault), 0);

	AGX_CHECK_EQ(agxsim_uat_read(f.uat, 2, VA + 0x3000, &v, 4, AGXSIM_AGENT_GPU,
				     AGXSIM_UNIT_VDM, &fault), -EFAULT);
	AGX_CHECK_EQ(fault.reason, AGXSIM_FAULT_PERMISSION);
	AGX_REQUIRE(agxsim_uat_fault_info(f.uat, &fi));
	AGX_CHECK_EQ(fi.reason, AGXSIM_MMU_FAULT_NO_ACCESS);
	AGX_CHECK_EQ(fi.address, VA + 0x3000);
	AGX_CHECK_EQ(agxsim_uat_read(f.uat, 2, VA + 0x3000, &v, 4, AGXSIM_AGENT_GPU, 0, &fault), 0);

	/* Unmapped-style injection, and the table limit. */
	AGX_CHECK_EQ(agxsim_uat_inject_fault(f.uat, 2, VA, AGXSIM_MMU_FAULT_UNMAPPED), 0);
	AGX_CHECK_EQ(agxsim_uat_write(f.uat, 2, VA, &v, 4, AGXSIM_AGENT_GPU, 0, &fault), -EFAULT);
	AGX_CHECK_EQ(fault.reason, AGXSIM_FAULT_UNMAPPED);
	AGX_CHECK_EQ(agxsim_uat_inject_fault(f.uat, 2, VA, 5), -EINVAL);
	AGX_CHECK_EQ(agxsim_uat_inject_fault(f.uat, 64, VA, 0), -EINVAL);
	for (i = 0; i < 16; i++)
		AGX_CHECK_EQ(agxsim_uat_inject_fault(f.uat, 2, VA + i * FX_PAGE_B, 0), 0);
	AGX_CHECK_EQ(agxsim_uat_inject_fault(f.uat, 2, VA, 0), -ENOSPC);
	fx_fini(&f);
}

AGX_TEST(zero_length_and_wrapping_accesses)
{
	struct fx f;
	struct agxsim_fault fault;
	uint8_t buf[16];

	fx_init(&f, NULL);
	AGX_CHECK_EQ(agxsim_uat_read(f.uat, 1, 0, buf, 0, AGXSIM_AGENT_GPU, 0, &fault), 0);
	AGX_CHECK_EQ(fault.reason, AGXSIM_FAULT_NONE);
	AGX_CHECK_EQ(agxsim_uat_read(f.uat, 1, UINT64_MAX - 3, buf, 16, AGXSIM_AGENT_GPU, 0,
				     &fault), -EFAULT);
	AGX_CHECK_EQ(fault.reason, AGXSIM_FAULT_UNMAPPED);
	AGX_CHECK_EQ(fault.va, UINT64_MAX - 3);
	fx_fini(&f);
}

AGX_TEST_MAIN()
