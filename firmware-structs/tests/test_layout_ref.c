// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Firmware-structure sizes and offsets, per combination, checked against
 * numbers taken from the public references.  Every number carries its
 * source.  Abbreviations used in the comments:
 *
 *   FACTS §n   /work/shared/reference/kernel-firmware-facts.md, section n
 *   H:fwch     herrnst/linux-asahi drivers/gpu/drm/asahi/fw/channels.rs @1b9e2c9d
 *   H:fwinit   herrnst/linux-asahi drivers/gpu/drm/asahi/fw/initdata.rs @14e7ccde
 *   H:fwwq     herrnst/linux-asahi drivers/gpu/drm/asahi/fw/workqueue.rs @0045b271
 *   H:job      herrnst/linux-asahi drivers/gpu/drm/asahi/fw/job.rs @32b3695d
 *   H:ms       herrnst/linux-asahi drivers/gpu/drm/asahi/fw/microseq.rs @0b2fd1d6
 *   M:ch       AsahiLinux/m1n1 proxyclient/m1n1/fw/agx/channels.py @7c7716b6
 *   M:init     AsahiLinux/m1n1 proxyclient/m1n1/fw/agx/initdata.py @7c7716b6
 *   M:ms       AsahiLinux/m1n1 proxyclient/m1n1/fw/agx/microsequence.py @7c7716b6
 *   M:cq       AsahiLinux/m1n1 proxyclient/m1n1/fw/agx/cmdqueue.py @7c7716b6
 *
 * m1n1's construct definitions are byte-packed, so an m1n1 offset is the
 * sum of the field sizes before it; Rust `Pad<N>`/`Array<N>` sizes are
 * literal numbers in the source.  Numbers that no source states (sizes
 * that only follow from adding up a Rust struct) are not tested here;
 * README.md lists them as derived.
 */
#include "agx_test.h"
#include "agxfw/agxfw_access.h"
#include "agxfw/gen/agxfw_g13_v12_3.h"
#include "agxfw/gen/agxfw_g14_v12_4.h"
#include "agxfw/gen/agxfw_g13_v13_5.h"
#include "agxfw/gen/agxfw_g14_v13_5.h"
#include "agxfw/gen/agxfw_g14x_v13_5.h"

#define B(c) (1u << (c))
#define C12_3 B(AGXFW_G13_V12_3)
#define C12_4 B(AGXFW_G14_V12_4)
#define G13_5 B(AGXFW_G13_V13_5)
#define G14G_13_5 B(AGXFW_G14_V13_5)
#define G14X_13_5 B(AGXFW_G14X_V13_5)
#define V12 (C12_3 | C12_4)
#define V13 (G13_5 | G14G_13_5 | G14X_13_5)
#define ALL (V12 | V13)

enum ref_kind { REF_SIZE, REF_OFF, REF_COUNT, REF_CONST };

struct ref {
	unsigned int combos;
	enum ref_kind kind;
	int id;			/* struct, field or const id */
	unsigned long long value;
	int line;
};

#define SIZE(m, s, v) { m, REF_SIZE, AGXFW_S_##s, v, __LINE__ }
#define OFF(m, f, v) { m, REF_OFF, AGXFW_F_##f, v, __LINE__ }
#define COUNT(m, f, v) { m, REF_COUNT, AGXFW_F_##f, v, __LINE__ }
#define CONST(m, c, v) { m, REF_CONST, AGXFW_C_##c, v, __LINE__ }

static void check_refs(const struct ref *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (unsigned int c = 0; c < AGXFW_COMBO_COUNT; c++) {
			const struct agxfw_layout *l = agxfw_layout_get(c);
			unsigned long long got;

			if (!(r[i].combos & B(c)))
				continue;
			switch (r[i].kind) {
			case REF_SIZE:
				got = agxfw_sizeof(l, r[i].id);
				break;
			case REF_OFF:
				AGX_CHECK(agxfw_has(l, r[i].id),
					  "line %d: field absent in %s",
					  r[i].line, l->name);
				got = agxfw_offsetof(l, r[i].id);
				break;
			case REF_COUNT:
				got = l->fields[r[i].id].count;
				break;
			default:
				AGX_CHECK(l->consts[r[i].id].present,
					  "line %d: const absent in %s",
					  r[i].line, l->name);
				got = agxfw_const_get(l, r[i].id);
				break;
			}
			AGX_CHECK(got == r[i].value,
				  "line %d, %s: got %#llx, reference %#llx",
				  r[i].line, l->name, got, r[i].value);
		}
	}
}

#define CHECK_REFS(tab) check_refs(tab, sizeof(tab) / sizeof(tab[0]))

AGX_TEST(channel_state_blocks)
{
	static const struct ref r[] = {
		/* FACTS §2.3; M:ch ChannelStateFields _SIZE = 0x30 */
		SIZE(ALL, ChannelState, 0x30),
		/* FACTS §2.3: read_ptr @0x00, write_ptr @0x20 (H:fwch Pad<0x1c>) */
		OFF(ALL, ChannelState__read_ptr, 0x00),
		OFF(ALL, ChannelState__write_ptr, 0x20),
		/* FACTS §2.3; M:ch FWControlStateFields _SIZE = 0x20 */
		SIZE(ALL, FwCtlChannelState, 0x20),
		/* FACTS §2.3: FwCtl write_ptr @0x10 (H:fwch Pad<0xc>) */
		OFF(ALL, FwCtlChannelState__write_ptr, 0x10),
		/* FACTS §2.3: ChannelRing {state, ring} = 16 bytes */
		SIZE(ALL, ChannelRing, 0x10),
		OFF(ALL, ChannelRing__ring, 0x08),
		/* FACTS §2.3: FwLog = Array<6, ChannelState>, contiguous */
		SIZE(ALL, FwLogChannelState, 6 * 0x30),
	};
	CHECK_REFS(r);
}

AGX_TEST(run_work_queue_msg)
{
	static const struct ref r[] = {
		/* FACTS §2.3 table; H:fwch pad 0x1b vs 0x2b (V >= V13_2 &&
		 * G == G14); M:ch RunCmdQueueSize 0x30 / 0x40 */
		SIZE(ALL & ~G14G_13_5, RunWorkQueueMsg, 0x30),
		SIZE(G14G_13_5, RunWorkQueueMsg, 0x40),
		/* FACTS §2.3: pipe_type @0, work_queue @4, wptr @0xc,
		 * event_slot @0x10, is_new @0x14 */
		OFF(ALL, RunWorkQueueMsg__pipe_type, 0x00),
		OFF(ALL, RunWorkQueueMsg__work_queue, 0x04),
		OFF(ALL, RunWorkQueueMsg__wptr, 0x0c),
		OFF(ALL, RunWorkQueueMsg__event_slot, 0x10),
		OFF(ALL, RunWorkQueueMsg__is_new, 0x14),
	};
	CHECK_REFS(r);
}

AGX_TEST(device_control_msgs)
{
	static const struct ref r[] = {
		/* FACTS §2.3: 4-byte tag + 0x2c (0x3c on G14G, FW >= 13.2);
		 * M:ch DeviceControlSize 0x30 / 0x40 */
		SIZE(ALL & ~G14G_13_5, DeviceControlMsg, 0x30),
		SIZE(G14G_13_5, DeviceControlMsg, 0x40),
		/* Every variant is a whole ring entry (H:fwch
		 * static_assert size == 4 + DEVICECONTROL_SZ) */
		SIZE(ALL & ~G14G_13_5, DcGrowTVBAck, 0x30),
		SIZE(G14G_13_5, DcGrowTVBAck, 0x40),
		SIZE(ALL & ~G14G_13_5, DcDestroyContext, 0x30),
		SIZE(G14G_13_5, DcDestroyContext, 0x40),
		SIZE(ALL & ~G14G_13_5, DcInitialize, 0x30),
		/* M:ch DC_GrowTVBAck: unk_4, bm_id, vm_id, counter u32s */
		OFF(ALL, DcGrowTVBAck__buffer_slot, 0x08),
		OFF(ALL, DcGrowTVBAck__vm_slot, 0x0c),
		OFF(ALL, DcGrowTVBAck__counter, 0x10),
		/* M:ch DC_DestroyContext: six u32 after the tag, then
		 * context_addr -> 0x1c (12.x; H:fwch agrees for V < V13_3) */
		OFF(V12, DcDestroyContext__gpu_context, 0x1c),
		/* H:fwch V >= V13_3: no pads, no unk_18 -> 4+4+1+4+4+3 = 0x14 */
		OFF(V13, DcDestroyContext__gpu_context, 0x14),
		/* FACTS §2.5: GrowTVBAck 0x0d (< 13.3), +1 from 13.3;
		 * M:ch DC_GrowTVBAck Const(0xd) */
		CONST(V12, DC_GROW_TVB_ACK, 0x0d),
		CONST(V13, DC_GROW_TVB_ACK, 0x0e),
		/* FACTS §2.5; M:ch DC_DestroyContext Const(0x17) / Const(0x18) */
		CONST(V12, DC_DESTROY_CONTEXT, 0x17),
		CONST(V13, DC_DESTROY_CONTEXT, 0x18),
		/* FACTS §2.5: Initialize 0x19 / 0x1a */
		CONST(V12, DC_INITIALIZE, 0x19),
		CONST(V13, DC_INITIALIZE, 0x1a),
	};
	CHECK_REFS(r);
}

AGX_TEST(event_msgs)
{
	static const struct ref r[] = {
		/* FACTS §2.4: 4 + 0x34; M:ch EventMsg FixedSized(0x38) */
		SIZE(ALL, EventMsg, 0x38),
		SIZE(ALL, EventFlagMsg, 0x38),
		SIZE(ALL, EventTimeoutMsg, 0x38),
		SIZE(ALL, EventGrowTVBMsg, 0x38),
		SIZE(ALL, EventChannelErrorMsg, 0x38),
		/* M:ch FlagMsg: firing (2 x u64 = 4 x u32) @4, unk_14 u16 @0x14 */
		OFF(ALL, EventFlagMsg__firing, 0x04),
		COUNT(ALL, EventFlagMsg__firing, 4),
		OFF(ALL, EventFlagMsg__unk_14, 0x14),
		/* M:ch TimeoutMsg: stamp_index @0xc (after tag + u64) */
		OFF(ALL, EventTimeoutMsg__event_slot, 0x0c),
		/* M:ch GrowTVBMsg: vm_id @4, bm_id @8, counter @0xc */
		OFF(ALL, EventGrowTVBMsg__vm_slot, 0x04),
		OFF(ALL, EventGrowTVBMsg__buffer_slot, 0x08),
		OFF(ALL, EventGrowTVBMsg__counter, 0x0c),
		/* FACTS §2.4: tags Flag 1, Timeout 4, GrowTVB 7, ChannelError 8 */
		CONST(ALL, EVENT_FLAG, 1),
		CONST(ALL, EVENT_TIMEOUT, 4),
		CONST(ALL, EVENT_GROW_TVB, 7),
		CONST(ALL, EVENT_CHANNEL_ERROR, 8),
	};
	CHECK_REFS(r);
}

AGX_TEST(fwlog_ktrace_stats_fwctl_msgs)
{
	static const struct ref r[] = {
		/* FACTS §2.3: FwLog pointer msgs 0x38; M:ch channelRings */
		SIZE(ALL, FwLogMsg, 0x38),
		/* H:fwch RawFwLogMsg: msg_type, pad u32, msg_index U64 @8 */
		OFF(ALL, FwLogMsg__msg_index, 0x08),
		/* FACTS §2.3: payload 0xd8; M:ch (FWLogMsg, 0xd8, 0x100) */
		SIZE(ALL, FwLogPayloadMsg, 0xd8),
		/* M:ch FWLogMsg: msg_type, seq_no, timestamp u64, msg 0xc8 */
		OFF(ALL, FwLogPayloadMsg__timestamp, 0x08),
		OFF(ALL, FwLogPayloadMsg__msg, 0x10),
		COUNT(ALL, FwLogPayloadMsg__msg, 0xc8),
		/* FACTS §2.3: KTrace 0x38; M:ch (KTraceMsg, 0x38, 0x200) */
		SIZE(ALL, KTraceMsg, 0x38),
		CONST(ALL, KTRACE_RING_ENTRIES, 0x200),
		/* FACTS §2.3: Stats 0x30 (FW < 13.0b4) / 0x40; M:ch StatsSize */
		SIZE(V12, StatsMsg, 0x30),
		SIZE(V13, StatsMsg, 0x40),
		/* FACTS §2.6: FwCtlMsg 0x14; M:ch (FWCtlMsg, 0x14, 0x100) */
		SIZE(ALL, FwCtlMsg, 0x14),
		/* M:ch FWCtlMsg: addr u64, unk_8 u32, context_id u32 @0xc,
		 * unk_10 u16 @0x10, unk_12 u16 @0x12 */
		OFF(ALL, FwCtlMsg__slot, 0x0c),
		OFF(ALL, FwCtlMsg__page_count, 0x10),
		OFF(ALL, FwCtlMsg__unk_12, 0x12),
	};
	CHECK_REFS(r);
}

AGX_TEST(initdata_and_regions)
{
	static const struct ref r[] = {
		/* M:init InitData (byte-packed): ver_info[4] only for
		 * V >= V13_0B4, then regionA..fw_status u64s, uat_* */
		OFF(V13, InitData__ver_info, 0x00),
		OFF(V12, InitData__unk_buf, 0x00),
		OFF(V13, InitData__unk_buf, 0x08),
		OFF(V12, InitData__runtime_pointers, 0x10),
		OFF(V13, InitData__runtime_pointers, 0x18),
		OFF(V12, InitData__globals, 0x18),
		OFF(V13, InitData__globals, 0x20),
		OFF(V12, InitData__fw_status, 0x20),
		OFF(V13, InitData__fw_status, 0x28),
		OFF(V13, InitData__uat_page_size, 0x30),
		/* M:init: 3 x UatLevelInfo then "pad_8c" (12.x numbering) */
		OFF(V12, InitData__uat_level_info__index_shift, 0x2c + 3),
		COUNT(ALL, InitData__uat_level_info__num_entries, 3),
		/* FACTS §3.3: host_mapped_fw_allocations @0xa8, size 0xbc
		 * (>= 13.0b4), 8 less on 12.x; M:init agrees */
		OFF(V13, InitData__host_mapped_fw_allocations, 0xa8),
		OFF(V12, InitData__host_mapped_fw_allocations, 0xa0),
		SIZE(V13, InitData, 0xbc),
		SIZE(V12, InitData, 0xb4),
		/* FACTS §3.3: uat_level_info 0x20 each */
		SIZE(ALL, UatLevelInfo, 0x20),
		/* M:init InitData comment: regionB "allocation size: 0x6bc0"
		 * (an M1 / 12.3 trace) */
		SIZE(C12_3, RuntimePointers, 0x6bc0),
		/* M:init InitData comment: regionC "allocation size: 0x11d40" */
		SIZE(C12_3, Globals, 0x11d40),
		/* FACTS §3.3; M:init RegionB: 12 pipe rings then DevCtrl ... */
		OFF(ALL, RuntimePointers__device_control__state, 0xc0),
		COUNT(ALL, RuntimePointers__pipes__comp__ring, 4),
		/* H:fwinit RuntimeScratch field name unk_6b38 (= 0xff) */
		OFF(ALL & ~G14X_13_5, RuntimePointers__gpu_scratch__unk_6b38,
		    0x6b38),
		/* M:init InitData_FWStatus: ChannelInfo then u32 + Pad(0xc)
		 * x 7 -> FACTS §3.3 offsets */
		OFF(ALL, FwStatus__flags__halt_count, 0x10),
		OFF(ALL, FwStatus__flags__halted, 0x20),
		OFF(ALL, FwStatus__flags__resume, 0x30),
		OFF(ALL, FwStatus__flags__unk_70, 0x70),
		SIZE(ALL, FwStatus, 0x80),
		/* FACTS §3.2 / H:fwinit IO_MAPPING_COUNT: 0x14 (< 13.0b4),
		 * 0x19 (13.5) */
		COUNT(V12, HwDataB__io_mappings__phys_addr, 0x14),
		COUNT(V13, HwDataB__io_mappings__phys_addr, 0x19),
		/* H:fwinit IOMapping: 3 x U64 + 2 x u32 */
		SIZE(ALL, IOMapping, 0x20),
	};
	CHECK_REFS(r);
}

AGX_TEST(work_queue_structs)
{
	static const struct ref r[] = {
		/* FACTS §3.5 (m1n1 cmdqueue.py offsets) */
		OFF(ALL, QueueInfo__state, 0x00),
		OFF(ALL, QueueInfo__ring, 0x08),
		OFF(ALL, QueueInfo__notifier_list, 0x10),
		OFF(ALL, QueueInfo__gpu_buf, 0x18),
		OFF(ALL, QueueInfo__gpu_rptr1, 0x20),
		OFF(ALL, QueueInfo__event_id, 0x2c),
		OFF(ALL, QueueInfo__priority__unk_0, 0x30),
		OFF(ALL, QueueInfo__uuid, 0x50),
		OFF(ALL, QueueInfo__busy, 0x60),
		/* M:cq CommandQueueInfo (byte-packed; unk_a0_0 and unk_b0 only
		 * for V >= V13_2 && G < G14X) and H:fwwq QueueInfo agree:
		 * gpu_context @0xa0 / @0xa4, size 0xb0 / 0xb8 */
		OFF(V12 | G14X_13_5, QueueInfo__gpu_context, 0xa0),
		OFF(G13_5 | G14G_13_5, QueueInfo__gpu_context, 0xa4),
		SIZE(V12 | G14X_13_5, QueueInfo, 0xb0),
		SIZE(G13_5 | G14G_13_5, QueueInfo, 0xb8),
		/* FACTS §3.5: RingState gpu_doneptr @0, gpu_rptr @0x30,
		 * cpu_wptr @0x40, rb_size @0x50, cpu_freeptr @0x60 */
		OFF(ALL, RingState__gpu_rptr, 0x30),
		OFF(ALL, RingState__cpu_wptr, 0x40),
		OFF(ALL, RingState__rb_size, 0x50),
		OFF(ALL, RingState__cpu_freeptr, 0x60),
		/* FACTS §3.5: GpuContextData 0x40 bytes */
		SIZE(ALL, GpuContextData, 0x40),
		/* FACTS §3.5: Barrier 0x40, fields @4 @0xc @0x10 @0x14
		 * @0x18 @0x1c, internal_barrier_type @0x20 */
		SIZE(ALL, Barrier, 0x40),
		OFF(ALL, Barrier__wait_stamp, 0x04),
		OFF(ALL, Barrier__wait_value, 0x0c),
		OFF(ALL, Barrier__wait_slot, 0x10),
		OFF(ALL, Barrier__stamp_self, 0x14),
		OFF(ALL, Barrier__uuid, 0x18),
		OFF(ALL, Barrier__external_barrier, 0x1c),
		OFF(ALL, Barrier__internal_barrier_type, 0x20),
		/* FACTS §3.5 / H:fwwq CommandType */
		CONST(ALL, CMD_RUN_VERTEX, 0),
		CONST(ALL, CMD_RUN_FRAGMENT, 1),
		CONST(ALL, CMD_RUN_COMPUTE, 3),
		CONST(ALL, CMD_BARRIER, 4),
		CONST(ALL, CMD_INIT_BUFFER, 6),
	};
	CHECK_REFS(r);
}

AGX_TEST(event_control_and_job_meta)
{
	static const struct ref r[] = {
		/* FACTS §3.6: threshold @0, generation @8, cur_count @0xc,
		 * unk_10 @0x10, then NotifierState (unk_14...) */
		OFF(ALL, Notifier__threshold, 0x00),
		OFF(ALL, Notifier__generation, 0x08),
		OFF(ALL, Notifier__cur_count, 0x0c),
		OFF(ALL, Notifier__unk_10, 0x10),
		OFF(ALL, Notifier__state__unk_14, 0x14),
		/* FACTS §3.6: 128 event slots */
		CONST(ALL, NUM_EVENTS, 128),
		/* FACTS §3.7: JobMeta (inferred size 0x2c) */
		SIZE(ALL, JobMeta, 0x2c),
		OFF(ALL, JobMeta__stamp, 0x04),
		OFF(ALL, JobMeta__fw_stamp, 0x0c),
		OFF(ALL, JobMeta__stamp_value, 0x14),
		OFF(ALL, JobMeta__stamp_slot, 0x18),
		OFF(ALL, JobMeta__evctl_index, 0x1c),
		OFF(ALL, JobMeta__flush_stamps, 0x20),
		OFF(ALL, JobMeta__uuid, 0x24),
		OFF(ALL, JobMeta__event_seq, 0x28),
		/* FACTS §3.7: Register 12 bytes; RegisterArray 0x710 with
		 * addr @0x700, count @0x708, length @0x70a */
		SIZE(ALL, Register, 12),
		SIZE(ALL, RegisterArray, 0x710),
		OFF(ALL, RegisterArray__addr, 0x700),
		OFF(ALL, RegisterArray__count, 0x708),
		OFF(ALL, RegisterArray__length, 0x70a),
		/* FACTS §3.8: Attachments max 16 x {U64, u32, u16, u16} + count
		 * (H:ms Attachment) */
		SIZE(ALL, Attachment, 0x10),
		OFF(ALL, Attachment__size, 0x08),
		OFF(ALL, Attachment__unk_c, 0x0c),
		OFF(ALL, Attachments__count, 16 * 0x10),
		CONST(ALL, MAX_ATTACHMENTS, 16),
		/* FACTS §3.9 / H:fwbuf InitBuffer tag 6; NUM_BUFFERS = 127 */
		CONST(ALL, NUM_BUFFERS, 127),
	};
	CHECK_REFS(r);
}

AGX_TEST(microsequence_ops)
{
	static const struct ref r[] = {
		/* FACTS §3.8 opcode table (H:ms OpCode) */
		CONST(ALL, OP_WAIT_FOR_IDLE, 0x01),
		CONST(ALL, OP_WAIT_FOR_IDLE2, 0x02),
		CONST(ALL, OP_RETIRE_STAMP, 0x18),
		CONST(ALL, OP_TIMESTAMP, 0x19),
		CONST(ALL, OP_START_VERTEX, 0x22),
		CONST(ALL, OP_FINALIZE_VERTEX, 0x23),
		CONST(ALL, OP_START_FRAGMENT, 0x24),
		CONST(ALL, OP_FINALIZE_FRAGMENT, 0x25),
		CONST(ALL, OP_START_COMPUTE, 0x29),
		CONST(ALL, OP_FINALIZE_COMPUTE, 0x2a),
		/* FACTS §3.8: RetireStamp header 0x18 | 0x40000000; WaitForIdle
		 * pipes Vertex 1<<0, Fragment 1<<8, Compute 1<<15 */
		CONST(ALL, RETIRE_STAMP_ARGS, 0x40000000),
		CONST(ALL, WAIT_PIPE_FRAGMENT, 1 << 8),
		CONST(ALL, WAIT_PIPE_COMPUTE, 1 << 15),
		SIZE(ALL, WaitForIdle, 4),
		/* M:ms size comments, written for the M1 / 12.3 layout:
		 * Start3DCmd "0x194 bytes", Finalize3DCmd "0x9c bytes",
		 * FinalizeComputeCmd "0x64 bytes", TimestampCmd "0x34 bytes" */
		SIZE(C12_3, StartFragment, 0x194),
		SIZE(C12_3, FinalizeFragment, 0x9c),
		SIZE(C12_3, FinalizeCompute, 0x64),
		SIZE(V12, Timestamp, 0x34),
		/* M:ms FinalizeComputeCmd: on >= 13.0b4 the pointer after the
		 * 0xd-byte unk_64 is unaligned (4+8+8+4+8+4+4+8+4+9*4+4+4+0xd),
		 * hence wptr = 1-byte aligned */
		OFF(V13, FinalizeCompute__unk_flag, 0x6d),
		SIZE(ALL, RetireStamp, 4),
		/* H:ms StartVertex names unk_38 / unk_178 match their
		 * offsets on 12.x (no G14X registers pointer) */
		OFF(V12, StartVertex__unk_178, 0x178),
		/* H:ms FinalizeFragment unk_8c / unk_9c names */
		OFF(V12, FinalizeFragment__unk_8c, 0x8c),
	};
	CHECK_REFS(r);
}

AGX_TEST(handoff_region)
{
	static const struct ref r[] = {
		/* FACTS §4.5 (m1n1 handoff.py, J:mmu): 0x648 bytes */
		SIZE(ALL, Handoff, 0x648),
		OFF(ALL, Handoff__magic_fw, 0x08),
		OFF(ALL, Handoff__lock_ap, 0x10),
		OFF(ALL, Handoff__lock_fw, 0x11),
		OFF(ALL, Handoff__turn, 0x14),
		OFF(ALL, Handoff__cur_slot, 0x18),
		OFF(ALL, Handoff__flush__state, 0x20),
		COUNT(ALL, Handoff__flush__state, 65),
		OFF(ALL, Handoff__unk2, 0x638),
		OFF(ALL, Handoff__unk3, 0x640),
		/* FACTS §4.5: PPL_MAGIC */
		CONST(ALL, PPL_MAGIC, 0x4b1d000000000002ULL),
	};
	CHECK_REFS(r);
	/* flush[] stride 0x18 (FACTS §4.5) */
	AGX_CHECK_EQ(agxfw_layouts[0].fields[AGXFW_F_Handoff__flush__addr].stride,
		     0x18);
}

/* The per-combination C types are usable directly and agree with the
 * version-independent tables. */
AGX_TEST(direct_types_match_tables)
{
	AGX_CHECK_EQ(sizeof(struct agxfw_g13_v12_3_run_work_queue_msg), 0x30);
	AGX_CHECK_EQ(sizeof(struct agxfw_g14_v13_5_run_work_queue_msg), 0x40);
	AGX_CHECK_EQ(sizeof(struct agxfw_g14x_v13_5_run_work_queue_msg), 0x30);
	AGX_CHECK_EQ(sizeof(struct agxfw_g13_v13_5_init_data),
		     agxfw_sizeof(&agxfw_layouts[AGXFW_G13_V13_5],
				  AGXFW_S_InitData));
	AGX_CHECK_EQ(offsetof(struct agxfw_g14x_v13_5_run_vertex, registers),
		     agxfw_offsetof(&agxfw_layouts[AGXFW_G14X_V13_5],
				    AGXFW_F_RunVertex__registers__registers__number));
	/* G14X replaces the parameter blocks by a RegisterArray. */
	AGX_CHECK(!agxfw_has(&agxfw_layouts[AGXFW_G14X_V13_5],
			     AGXFW_F_RunVertex__job_params1__unk_0), "!agxfw_has(&agxfw_layouts[AGXFW_G14X_V13_5], AGXFW_F_RunVertex__job_params1__unk_0)");
	AGX_CHECK(agxfw_has(&agxfw_layouts[AGXFW_G13_V13_5],
			    AGXFW_F_RunVertex__job_params1__unk_0), "agxfw_has(&agxfw_layouts[AGXFW_G13_V13_5], AGXFW_F_RunVertex__job_params1__unk_0)");
}

AGX_TEST_MAIN()
