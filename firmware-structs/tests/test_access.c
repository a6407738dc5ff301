// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The accessor layer: code written once for all firmware combinations,
 * with the combination chosen once (agxfw_combo_select), produces the same
 * bytes as code written against each combination's own C type.
 */
#include "agx_test.h"
#include "agxfw/agxfw_access.h"
#include "agxfw/gen/agxfw_g13_v12_3.h"
#include "agxfw/gen/agxfw_g14_v12_4.h"
#include "agxfw/gen/agxfw_g13_v13_5.h"
#include "agxfw/gen/agxfw_g14_v13_5.h"
#include "agxfw/gen/agxfw_g14x_v13_5.h"

AGX_TEST(combo_select_matches_driver_table)
{
	/* The five (GPU, firmware ABI) pairs the Rust driver accepts. */
	AGX_CHECK_EQ(agxfw_combo_select(AGXFW_GEN_G13, 12, 3, 0),
		     AGXFW_G13_V12_3);
	AGX_CHECK_EQ(agxfw_combo_select(AGXFW_GEN_G14, 12, 4, 0),
		     AGXFW_G14_V12_4);
	AGX_CHECK_EQ(agxfw_combo_select(AGXFW_GEN_G13, 13, 5, 0),
		     AGXFW_G13_V13_5);
	AGX_CHECK_EQ(agxfw_combo_select(AGXFW_GEN_G14, 13, 5, 0),
		     AGXFW_G14_V13_5);
	AGX_CHECK_EQ(agxfw_combo_select(AGXFW_GEN_G14X, 13, 5, 0),
		     AGXFW_G14X_V13_5);
	/* Anything else is refused (e.g. G14G with 13.3, issue #389). */
	AGX_CHECK_EQ(agxfw_combo_select(AGXFW_GEN_G14, 13, 3, 0),
		     AGXFW_COMBO_COUNT);
	AGX_CHECK_EQ(agxfw_combo_select(AGXFW_GEN_G13, 12, 4, 0),
		     AGXFW_COMBO_COUNT);
	AGX_CHECK_EQ(agxfw_combo_select(AGXFW_GEN_G14X, 12, 4, 0),
		     AGXFW_COMBO_COUNT);
	AGX_CHECK(agxfw_layout_get(AGXFW_COMBO_COUNT) == NULL, "agxfw_layout_get(AGXFW_COMBO_COUNT) == NULL");
	AGX_CHECK(!strcmp(agxfw_layout_get(AGXFW_G14X_V13_5)->name,
			  "G14X-13.5"), "!strcmp(agxfw_layout_get(AGXFW_G14X_V13_5)->name, \"G14X-13.5\")");
}

/* Version-independent code: fill a pipe message. */
static void build_pipe_msg(const struct agxfw_layout *fw, void *msg,
			   agxfw_u64 queue_va, agxfw_u32 wptr)
{
	memset(msg, 0, agxfw_sizeof(fw, AGXFW_S_RunWorkQueueMsg));
	agxfw_set(fw, msg, AGXFW_F_RunWorkQueueMsg__pipe_type,
		  agxfw_const_get(fw, AGXFW_C_PIPE_FRAGMENT));
	agxfw_set(fw, msg, AGXFW_F_RunWorkQueueMsg__work_queue, queue_va);
	agxfw_set(fw, msg, AGXFW_F_RunWorkQueueMsg__wptr, wptr);
	agxfw_set(fw, msg, AGXFW_F_RunWorkQueueMsg__event_slot, 17);
	agxfw_set(fw, msg, AGXFW_F_RunWorkQueueMsg__is_new, 1);
}

#define TYPED_PIPE_MSG(combo, out)                                        \
	do {                                                              \
		struct agxfw_##combo##_run_work_queue_msg m;              \
		memset(&m, 0, sizeof(m));                                 \
		m.pipe_type = 1;                                          \
		m.work_queue = agxfw_wptr_make(0xffffffa000123440ull);    \
		m.wptr = 0x4f3;                                           \
		m.event_slot = 17;                                        \
		m.is_new = 1;                                             \
		memcpy(out, &m, sizeof(m));                               \
		typed_size = sizeof(m);                                   \
	} while (0)

AGX_TEST(pipe_msg_same_bytes_as_typed_code)
{
	for (unsigned int c = 0; c < AGXFW_COMBO_COUNT; c++) {
		const struct agxfw_layout *fw = agxfw_layout_get(c);
		agxfw_u8 generic[0x40], typed[0x40];
		size_t typed_size = 0;

		memset(typed, 0xaa, sizeof(typed));
		memset(generic, 0xaa, sizeof(generic));
		build_pipe_msg(fw, generic, 0xffffffa000123440ull, 0x4f3);
		switch (c) {
		case AGXFW_G13_V12_3: TYPED_PIPE_MSG(g13_v12_3, typed); break;
		case AGXFW_G14_V12_4: TYPED_PIPE_MSG(g14_v12_4, typed); break;
		case AGXFW_G13_V13_5: TYPED_PIPE_MSG(g13_v13_5, typed); break;
		case AGXFW_G14_V13_5: TYPED_PIPE_MSG(g14_v13_5, typed); break;
		default: TYPED_PIPE_MSG(g14x_v13_5, typed); break;
		}
		AGX_CHECK_EQ(typed_size,
			     agxfw_sizeof(fw, AGXFW_S_RunWorkQueueMsg));
		AGX_CHECK(!memcmp(generic, typed, sizeof(generic)),
			  "%s: generic and typed bytes differ", fw->name);
		/* The 64-bit GPU pointer sits at offset 4, not 8: packed. */
		AGX_CHECK_EQ(generic[4], 0x40);
		AGX_CHECK_EQ(generic[11], 0xff);
		AGX_CHECK_EQ(agxfw_get(fw, generic,
				       AGXFW_F_RunWorkQueueMsg__work_queue),
			     0xffffffa000123440ull);
	}
}

/* Fields that exist only in some combinations. */
AGX_TEST(version_dependent_fields)
{
	const struct agxfw_layout *g13_12 = agxfw_layout_get(AGXFW_G13_V12_3);
	const struct agxfw_layout *g13_13 = agxfw_layout_get(AGXFW_G13_V13_5);
	const struct agxfw_layout *g14x = agxfw_layout_get(AGXFW_G14X_V13_5);
	agxfw_u8 buf[0x1000];

	/* The Run* commands gain a 64-bit counter after the tag from 13.0b4. */
	AGX_CHECK(!agxfw_has(g13_12, AGXFW_F_RunCompute__counter), "!agxfw_has(g13_12, AGXFW_F_RunCompute__counter)");
	AGX_CHECK(agxfw_has(g13_13, AGXFW_F_RunCompute__counter), "agxfw_has(g13_13, AGXFW_F_RunCompute__counter)");
	AGX_CHECK_EQ(agxfw_offsetof(g13_13, AGXFW_F_RunCompute__counter), 4);
	AGX_CHECK_EQ(agxfw_offsetof(g13_12, AGXFW_F_RunCompute__vm_slot) + 8,
		     agxfw_offsetof(g13_13, AGXFW_F_RunCompute__vm_slot));

	/* Writing an absent field fails and leaves the buffer untouched. */
	memset(buf, 0x5a, sizeof(buf));
	AGX_CHECK_EQ(agxfw_set(g13_12, buf, AGXFW_F_RunCompute__counter, 1),
		     -1);
	for (size_t i = 0; i < sizeof(buf); i++)
		AGX_REQUIRE(buf[i] == 0x5a, "byte %zu changed", i);
	AGX_CHECK_EQ(agxfw_get(g13_12, buf, AGXFW_F_RunCompute__counter), 0);

	/* RuntimePointers loses unkptr_1c0/1c8 on G14X. */
	AGX_CHECK(agxfw_has(g13_13, AGXFW_F_RuntimePointers__unkptr_1c0), "agxfw_has(g13_13, AGXFW_F_RuntimePointers__unkptr_1c0)");
	AGX_CHECK(!agxfw_has(g14x, AGXFW_F_RuntimePointers__unkptr_1c0), "!agxfw_has(g14x, AGXFW_F_RuntimePointers__unkptr_1c0)");
}

/* Array fields, signed fields and nested structs. */
AGX_TEST(arrays_signed_and_nested)
{
	for (unsigned int c = 0; c < AGXFW_COMBO_COUNT; c++) {
		const struct agxfw_layout *fw = agxfw_layout_get(c);
		agxfw_u32 sz = agxfw_sizeof(fw, AGXFW_S_RuntimePointers);
		agxfw_u8 *rp = calloc(1, sz);
		agxfw_u8 ev[0x38] = { 0 };

		AGX_REQUIRE(rp != NULL, "rp != NULL");
		/* Ring descriptors of priority 2's compute pipe. */
		AGX_CHECK_EQ(agxfw_set_idx(fw, rp,
				AGXFW_F_RuntimePointers__pipes__comp__ring, 2,
				0xffffffa800010000ull), 0);
		AGX_CHECK_EQ(agxfw_offsetof(fw,
				AGXFW_F_RuntimePointers__pipes__comp__ring) +
			     2 * 0x30, 0x20 + 8 + 2 * 0x30);
		AGX_CHECK_EQ(rp[0x20 + 8 + 2 * 0x30 + 4], 0xa8);
		AGX_CHECK_EQ(rp[0x20 + 8 + 2 * 0x30 + 2], 0x01);
		AGX_CHECK_EQ(agxfw_get_idx(fw, rp,
				AGXFW_F_RuntimePointers__pipes__comp__ring, 2),
			     0xffffffa800010000ull);
		AGX_CHECK_EQ(agxfw_set_idx(fw, rp,
				AGXFW_F_RuntimePointers__pipes__comp__ring, 4,
				1), -1);
		free(rp);

		/* Event Flag: the 128-bit slot bitmap; Timeout: signed slot. */
		agxfw_set_idx(fw, ev, AGXFW_F_EventFlagMsg__firing, 3,
			      0x80000000u);
		AGX_CHECK_EQ(ev[4 + 3 * 4 + 3], 0x80);
		agxfw_set(fw, ev, AGXFW_F_EventTimeoutMsg__event_slot,
			  (agxfw_u64)-1);
		AGX_CHECK_EQ((long long)agxfw_get(fw, ev,
				AGXFW_F_EventTimeoutMsg__event_slot), -1);
		/* Byte arrays index per byte. */
		AGX_CHECK_EQ(agxfw_set_idx(fw, ev, AGXFW_F_EventMsg__payload,
					   3, 0x7e), 0);
		AGX_CHECK_EQ(ev[4 + 3], 0x7e);
		AGX_CHECK(agxfw_ptr(fw, ev, AGXFW_F_EventMsg__payload) ==
			  (void *)(ev + 4), "payload starts after the tag");
		/* Multi-dimensional arrays are opaque: agxfw_ptr() only. */
		{
			agxfw_u8 curve[0x300] = { 0 };

			AGX_CHECK_EQ(fw->fields[AGXFW_F_HwDataShared2Curve__t3].kind,
				     AGXFW_KIND_BYTES);
			AGX_CHECK_EQ(agxfw_set(fw, curve,
					       AGXFW_F_HwDataShared2Curve__t3, 1),
				     -1);
			AGX_CHECK(agxfw_ptr(fw, curve,
					    AGXFW_F_HwDataShared2Curve__t3) ==
				  (void *)(curve + 0x48), "t3 at 0x48");
		}
	}
}

/* A whole message built once, checked field by field per combination. */
AGX_TEST(grow_tvb_ack_roundtrip)
{
	for (unsigned int c = 0; c < AGXFW_COMBO_COUNT; c++) {
		const struct agxfw_layout *fw = agxfw_layout_get(c);
		agxfw_u8 msg[0x40];

		AGX_REQUIRE(agxfw_sizeof(fw, AGXFW_S_DcGrowTVBAck) <=
			    sizeof(msg), "agxfw_sizeof(fw, AGXFW_S_DcGrowTVBAck) <= sizeof(msg)");
		memset(msg, 0, sizeof(msg));
		agxfw_set(fw, msg, AGXFW_F_DcGrowTVBAck__tag,
			  agxfw_const_get(fw, AGXFW_C_DC_GROW_TVB_ACK));
		agxfw_set(fw, msg, AGXFW_F_DcGrowTVBAck__unk_4, 1);
		agxfw_set(fw, msg, AGXFW_F_DcGrowTVBAck__buffer_slot, 5);
		agxfw_set(fw, msg, AGXFW_F_DcGrowTVBAck__halt_count,
			  0x1122334455667788ull);
		/* The same bytes read back as the generic DeviceControlMsg. */
		AGX_CHECK_EQ(agxfw_get(fw, msg, AGXFW_F_DeviceControlMsg__tag),
			     c <= AGXFW_G14_V12_4 ? 0x0d : 0x0e);
		AGX_CHECK_EQ(agxfw_sizeof(fw, AGXFW_S_DcGrowTVBAck),
			     agxfw_sizeof(fw, AGXFW_S_DeviceControlMsg));
		/* halt_count is an unaligned U64 at 0x18. */
		AGX_CHECK_EQ(msg[0x18], 0x88);
		AGX_CHECK_EQ(msg[0x1f], 0x11);
	}
}

AGX_TEST_MAIN()
