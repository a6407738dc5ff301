// SPDX-License-Identifier: MIT
/*
 * MMU fault register encoding against the documented bit layout
 * (facts 6.1): valid 0, reason 3:1, read 4, unk_5 6:5, level 8:7,
 * unit 16:9, vm_slot 22:17, sideband 29:23, address >> 6 in 63:30 (G13).
 */
#include <string.h>

#include "agx_test.h"
#include "agxsim/mmu_fault.h"

AGX_TEST(g13_encoding_matches_documented_bits)
{
	struct agxsim_mmu_fault_info fi = {
		.valid = true, .reason = 3, .read = false, .unk_5 = 0,
		.level = 3, .unit_code = 0x21, .vm_slot = 5, .sideband = 0x11,
		.address = 0x1234567840ull,
	};
	uint64_t expect = 1ull | (3ull << 1) | (3ull << 7) | (0x21ull << 9) |
			  (5ull << 17) | (0x11ull << 23) |
			  ((0x1234567840ull >> 6) << 30);

	AGX_CHECK_EQ(agxsim_mmu_fault_encode_g13(&fi), expect);
	/* The same value worked out by hand. */
	AGX_CHECK_EQ(expect, 0x12345678488a4387ull);
}

AGX_TEST(read_flag_is_bit4_and_each_field_is_isolated)
{
	struct agxsim_mmu_fault_info fi = { .read = true };

	AGX_CHECK_EQ(agxsim_mmu_fault_encode_g13(&fi), 1ull << 4);
	fi = (struct agxsim_mmu_fault_info){ .valid = true };
	AGX_CHECK_EQ(agxsim_mmu_fault_encode_g13(&fi), 1);
	fi = (struct agxsim_mmu_fault_info){ .reason = 7 };
	AGX_CHECK_EQ(agxsim_mmu_fault_encode_g13(&fi), 0xe);
	fi = (struct agxsim_mmu_fault_info){ .unk_5 = 3 };
	AGX_CHECK_EQ(agxsim_mmu_fault_encode_g13(&fi), 0x60);
	fi = (struct agxsim_mmu_fault_info){ .level = 3 };
	AGX_CHECK_EQ(agxsim_mmu_fault_encode_g13(&fi), 0x180);
	fi = (struct agxsim_mmu_fault_info){ .unit_code = 0xff };
	AGX_CHECK_EQ(agxsim_mmu_fault_encode_g13(&fi), 0x1fe00);
	fi = (struct agxsim_mmu_fault_info){ .vm_slot = 63 };
	AGX_CHECK_EQ(agxsim_mmu_fault_encode_g13(&fi), 0x7e0000);
	fi = (struct agxsim_mmu_fault_info){ .sideband = 0x7f };
	AGX_CHECK_EQ(agxsim_mmu_fault_encode_g13(&fi), 0x3f800000);
	/* Oversized values must not spill into neighbouring fields. */
	fi = (struct agxsim_mmu_fault_info){ .vm_slot = 64 + 1 };
	AGX_CHECK_EQ(agxsim_mmu_fault_encode_g13(&fi), 1ull << 17);
}

AGX_TEST(g13_decode_round_trips_with_64_byte_granule)
{
	struct agxsim_mmu_fault_info fi = {
		.valid = true, .reason = 4, .read = true, .level = 2,
		.unit_code = 0xa1, .vm_slot = 63, .sideband = 0x7f,
		.address = 0x7fffff8123ull,
	}, out;

	agxsim_mmu_fault_decode(agxsim_mmu_fault_encode_g13(&fi), false, 0, &out);
	AGX_CHECK(out.valid && out.read);
	AGX_CHECK_EQ(out.reason, 4);
	AGX_CHECK_EQ(out.level, 2);
	AGX_CHECK_EQ(out.unit_code, 0xa1);
	AGX_CHECK_EQ(out.vm_slot, 63);
	AGX_CHECK_EQ(out.sideband, 0x7f);
	AGX_CHECK_EQ(out.address, 0x7fffff8100ull);
}

AGX_TEST(g13_keeps_only_va_bits_39_to_6)
{
	struct agxsim_mmu_fault_info fi = {
		.valid = true, .address = 0xffffffa000012345ull,
	}, out;

	agxsim_mmu_fault_decode(agxsim_mmu_fault_encode_g13(&fi), false, 0, &out);
	AGX_CHECK_EQ(out.address, 0xa000012340ull);
}

AGX_TEST(g14x_uses_separate_address_register)
{
	struct agxsim_mmu_fault_info fi = {
		.valid = true, .reason = 2, .read = true, .unit_code = 0x01,
		.vm_slot = 7, .address = 0xffffffa000012345ull,
	}, out;
	uint64_t info, addr;

	agxsim_mmu_fault_encode_g14x(&fi, &info, &addr);
	AGX_CHECK_EQ(info, 1ull | (2ull << 1) | (1ull << 4) | (1ull << 9) | (7ull << 17));
	AGX_CHECK_EQ(addr, 0xffffffa000012345ull >> 6);
	agxsim_mmu_fault_decode(info, true, addr, &out);
	AGX_CHECK_EQ(out.address, 0xffffffa000012340ull);
	AGX_CHECK_EQ(out.vm_slot, 7);
}

AGX_TEST(reason_names_follow_the_driver)
{
	AGX_CHECK(!strcmp(agxsim_mmu_fault_reason_name(0), "Unmapped"));
	AGX_CHECK(!strcmp(agxsim_mmu_fault_reason_name(1), "AfFault"));
	AGX_CHECK(!strcmp(agxsim_mmu_fault_reason_name(2), "WriteOnly"));
	AGX_CHECK(!strcmp(agxsim_mmu_fault_reason_name(3), "ReadOnly"));
	AGX_CHECK(!strcmp(agxsim_mmu_fault_reason_name(4), "NoAccess"));
	AGX_CHECK(!strcmp(agxsim_mmu_fault_reason_name(5), "Unknown"));
}

AGX_TEST_MAIN()
