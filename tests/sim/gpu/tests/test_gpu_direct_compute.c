/* SPDX-License-Identifier: MIT */
/*
 * Compute end to end through the direct API: buffers in GEM objects,
 * bound with VM_BIND into real UAT page tables, a CDM stream and USC
 * words packed with genxml, shaders assembled with the test encoder,
 * DRM_ASAHI_CMD_COMPUTE submitted; results and faults checked against
 * values computed here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agx_test.h"
#include "agxsim/direct.h"
#include "agxsim/mmu_fault.h"
#include "agxsim/uat.h"
#include "asm.h"
#include "direct_fixture.h"
#include "gpu_test_util.h"

#define CODE_OFF   0x400u
#define USC_OFF    0x1000u
#define UNI_OFF    0x2000u
#define STREAM_VA  0x200000000ull
#define IN_VA      0x300000000ull
#define OUT_VA     0x300100000ull
#define OUT2_VA    0x300200000ull
#define HOLE_VA    0x300800000ull

static struct dx x;
static uint8_t *code, *stream;
static uint32_t *in, *out, *out2;

static void setup(uint64_t budget)
{
	dx_init(&x, budget);
	code = dx_buf(&x, DX_USC_BASE, 0x10000, NULL);
	stream = dx_buf(&x, STREAM_VA, 0x10000, NULL);
	in = dx_buf(&x, IN_VA, 0x10000, NULL);
	out = dx_buf(&x, OUT_VA, 0x10000, NULL);
	out2 = dx_buf(&x, OUT2_VA, 0x10000, NULL);
	for (unsigned i = 0; i < 0x4000; i++) {
		in[i] = i * 3 + 1;
		out[i] = 0xdeadbeef;
		out2[i] = 0xdeadbeef;
	}
}

/* out[y * W + x] = in[y * W + x] * 2 + k. u0 in, u2 out, u4 k, u5 W. */
static void code_scale(void)
{
	struct asm_buf b = { .len = 0 };

	asm_get_sr(&b, R(1), 80);
	asm_get_sr(&b, R(2), 81);
	asm_imadd(&b, R(3), R(2), U(5), R(1), 0, false, false);
	asm_device(&b, false, 2, 0x1, R(4), U(0), R(3), true, 0);
	asm_wait(&b, 0);
	asm_iadd(&b, R(5), U(4), R(4), 1, false, false);
	asm_device(&b, true, 2, 0x1, R(5), U(2), R(3), true, 0);
	asm_stop(&b);
	memcpy(code + CODE_OFF, b.b, b.len);
}

/* Reverse 64-element blocks through threadgroup memory. */
static void code_reverse(uint32_t off, bool with_barrier)
{
	struct asm_buf b = { .len = 0 };

	asm_get_sr(&b, R(1), 80);
	asm_get_sr(&b, R(2), 51);
	asm_device(&b, false, 2, 0x1, R(4), U(0), R(1), true, 0);
	asm_wait(&b, 0);
	asm_threadgroup(&b, true, 2, 0x1, R(4), I(0), H(4));
	if (with_barrier) {
		b.b[b.len++] = 0x68;     /* threadgroup_barrier */
		b.b[b.len++] = 0x00;
	}
	asm_iadd(&b, R(6), I(63), R(2), 0, true, false);
	asm_threadgroup(&b, false, 2, 0x1, R(7), I(0), H(12));
	asm_wait(&b, 0);
	asm_device(&b, true, 2, 0x1, R(7), U(2), R(1), true, 0);
	asm_stop(&b);
	memcpy(code + off, b.b, b.len);
}

/* USC list @n with uniforms {in, out, k, W} and @tg_B threadgroup memory. */
static uint32_t pipeline(unsigned n, uint32_t code_off, uint64_t in_va, uint64_t out_va,
			 uint32_t k, uint32_t w, uint32_t tg_B)
{
	uint32_t uoff = UNI_OFF + n * 0x40;
	struct usc_desc u = {
		.uniform_halves = 12, .uniform_va = DX_USC_BASE + uoff,
		.code_off = code_off, .tg_mem_B = tg_B,
	};

	memcpy(code + uoff, &in_va, 8);
	memcpy(code + uoff + 8, &out_va, 8);
	memcpy(code + uoff + 16, &k, 4);
	memcpy(code + uoff + 20, &w, 4);
	write_usc(code + USC_OFF + n * 0x40, &u);
	return USC_OFF + n * 0x40;
}

static uint64_t stream_one(uint32_t pl, uint32_t gx, uint32_t gy, uint32_t lx, uint32_t ly)
{
	uint32_t g[3] = { gx, gy, 1 }, l[3] = { lx, ly, 1 };
	unsigned n = write_launch(stream, pl, 64, g, l);

	n += write_terminate(stream + n);
	return STREAM_VA + n;
}

static const struct agxsim_direct_job_result *last(void)
{
	return agxsim_direct_last_job(x.d);
}

AGX_TEST(scale_2d_grid_partial_groups)
{
	const uint32_t W = 20, H = 10;

	setup(0);
	code_scale();
	uint32_t pl = pipeline(0, CODE_OFF, IN_VA, OUT_VA, 17, W, 0);
	uint64_t end = stream_one(pl, W, H, 8, 5);
	AGX_REQUIRE(dx_compute(&x, STREAM_VA, end) == 0, "submit");
	AGX_REQUIRE(last()->result == 0, "%s", last()->msg);
	for (unsigned i = 0; i < 0x400; i++) {
		uint32_t want = i < W * H ? (i * 3 + 1) * 2 + 17 : 0xdeadbeef;
		AGX_CHECK(out[i] == want, "out[%u] = %u, want %u", i, out[i], want);
	}
	struct agxsim_gpu *g = agxsim_direct_gpu(x.d);
	AGX_CHECK_EQ(g->stats.threadgroups, 3u * 2);
	/* Four full 8x5 = 40-thread groups: 2 SIMD groups each (32 + 8);
	 * the two x-edge groups of 4x5 = 20 threads: 1 each. */
	AGX_CHECK_EQ(g->stats.simd_groups, 4u * 2 + 2u * 1);
	struct agxsim_uat_stats st;
	agxsim_uat_get_stats(agxsim_direct_uat(x.d), &st);
	AGX_CHECK_EQ(st.faults, 0u);
	AGX_CHECK_EQ(st.stale_hits, 0u);
	dx_fini(&x);
}

AGX_TEST(threadgroup_reverse_with_barrier)
{
	setup(0);
	code_reverse(CODE_OFF, true);
	uint32_t pl = pipeline(0, CODE_OFF, IN_VA, OUT_VA, 0, 0, 256);
	uint64_t end = stream_one(pl, 128, 1, 64, 1);
	AGX_REQUIRE(dx_compute(&x, STREAM_VA, end) == 0, "submit");
	AGX_REQUIRE(last()->result == 0, "%s", last()->msg);
	for (unsigned i = 0; i < 128; i++) {
		unsigned blk = i / 64, j = i % 64;
		uint32_t want = in[blk * 64 + 63 - j];
		AGX_CHECK(out[i] == want, "out[%u] = %u, want %u", i, out[i], want);
	}
	AGX_CHECK_EQ(out[128], 0xdeadbeefu);
	AGX_CHECK_EQ(agxsim_direct_gpu(x.d)->stats.barriers, 2u);
	dx_fini(&x);
}

AGX_TEST(threadgroup_reverse_without_barrier_races)
{
	/* Without the barrier the model runs SIMD group 0 to its end before
	 * group 1 stores: group 0 reads threadgroup memory nobody wrote
	 * (the model fills it with 0xa5). This shows the barrier is honoured. */
	setup(0);
	code_reverse(CODE_OFF, false);
	uint32_t pl = pipeline(0, CODE_OFF, IN_VA, OUT_VA, 0, 0, 256);
	uint64_t end = stream_one(pl, 64, 1, 64, 1);
	AGX_REQUIRE(dx_compute(&x, STREAM_VA, end) == 0, "submit");
	AGX_REQUIRE(last()->result == 0, "%s", last()->msg);
	AGX_CHECK_EQ(out[0], 0xa5a5a5a5u);
	AGX_CHECK_EQ(out[40], in[23]);
	dx_fini(&x);
}

AGX_TEST(two_commands_in_one_submit)
{
	struct {
		struct drm_asahi_cmd_header h1;
		struct drm_asahi_cmd_compute c1;
		struct drm_asahi_cmd_header h2;
		struct drm_asahi_cmd_compute c2;
	} __attribute__((packed)) cmd;
	struct drm_asahi_submit s = { 0 };

	setup(0);
	code_scale();
	uint32_t p1 = pipeline(0, CODE_OFF, IN_VA, OUT_VA, 5, 32, 0);
	uint32_t p2 = pipeline(1, CODE_OFF, OUT_VA, OUT2_VA, 9, 32, 0);
	uint32_t g[3] = { 32, 2, 1 }, l[3] = { 32, 1, 1 };
	unsigned n1 = write_launch(stream, p1, 64, g, l);
	n1 += write_terminate(stream + n1);
	unsigned n2 = write_launch(stream + 0x100, p2, 64, g, l);
	n2 += write_terminate(stream + 0x100 + n2);

	memset(&cmd, 0, sizeof(cmd));
	cmd.h1 = (struct drm_asahi_cmd_header){ DRM_ASAHI_CMD_COMPUTE, sizeof(cmd.c1),
						DRM_ASAHI_BARRIER_NONE, 0 };
	cmd.c1.cdm_ctrl_stream_base = STREAM_VA;
	cmd.c1.cdm_ctrl_stream_end = STREAM_VA + n1;
	cmd.h2 = (struct drm_asahi_cmd_header){ DRM_ASAHI_CMD_COMPUTE, sizeof(cmd.c2),
						DRM_ASAHI_BARRIER_NONE, 1 };
	cmd.c2.cdm_ctrl_stream_base = STREAM_VA + 0x100;
	cmd.c2.cdm_ctrl_stream_end = STREAM_VA + 0x100 + n2;
	s.cmdbuf = (uintptr_t)&cmd;
	s.cmdbuf_size = sizeof(cmd);
	s.queue_id = x.queue;
	AGX_REQUIRE(dx_ioctl(&x, DRM_IOCTL_ASAHI_SUBMIT, &s) == 0, "submit");
	AGX_CHECK_EQ(agxsim_direct_failed_jobs(x.d), 0u);
	AGX_CHECK_EQ(last()->seqno, 2u);
	for (unsigned i = 0; i < 64; i++)
		AGX_CHECK_EQ(out2[i], ((i * 3 + 1) * 2 + 5) * 2 + 9);
	dx_fini(&x);
}

AGX_TEST(unmapped_output_faults_with_va)
{
	struct agxsim_mmu_fault_info fi;

	setup(0);
	code_scale();
	uint32_t pl = pipeline(0, CODE_OFF, IN_VA, HOLE_VA, 0, 16, 0);
	uint64_t end = stream_one(pl, 16, 1, 16, 1);
	AGX_REQUIRE(dx_compute(&x, STREAM_VA, end) == 0, "the ioctl itself succeeds");
	AGX_CHECK_EQ(last()->result, -EFAULT);
	AGX_CHECK_EQ(last()->fault.va, HOLE_VA);
	AGX_CHECK_EQ(last()->fault.reason, AGXSIM_FAULT_UNMAPPED);
	AGX_CHECK_EQ(last()->fault.access, AGXSIM_ACCESS_WRITE);
	AGX_CHECK_EQ(last()->fault.unit, (uint32_t)AGXSIM_UNIT_UL1C);
	AGX_CHECK_EQ(last()->fault.context, x.vm);
	AGX_CHECK(strstr(last()->msg, "0x300800000"), "%s", last()->msg);
	AGX_REQUIRE(agxsim_uat_fault_info(agxsim_direct_uat(x.d), &fi), "latched");
	AGX_CHECK_EQ(fi.address, HOLE_VA);
	AGX_CHECK_EQ(fi.unit_code, AGXSIM_UNIT_UL1C);
	AGX_CHECK_EQ(fi.vm_slot, x.vm);
	AGX_CHECK_EQ(agxsim_direct_failed_jobs(x.d), 1u);
	dx_fini(&x);
}

AGX_TEST(read_only_output_is_a_permission_fault)
{
	uint32_t h;

	setup(0);
	code_scale();
	h = dx_bo(&x, 0x4000);
	AGX_REQUIRE(dx_bind(&x, h, 0, 0x4000, HOLE_VA, DRM_ASAHI_BIND_READ) == 0, "bind");
	uint32_t pl = pipeline(0, CODE_OFF, IN_VA, HOLE_VA, 0, 16, 0);
	uint64_t end = stream_one(pl, 16, 1, 16, 1);
	AGX_REQUIRE(dx_compute(&x, STREAM_VA, end) == 0, "submit");
	AGX_CHECK_EQ(last()->result, -EFAULT);
	AGX_CHECK_EQ(last()->fault.reason, AGXSIM_FAULT_PERMISSION);
	AGX_CHECK_EQ(last()->fault.va, HOLE_VA);
	dx_fini(&x);
}

AGX_TEST(runaway_loop_times_out)
{
	struct asm_buf b = { .len = 0 };

	setup(20000);
	asm_jmp_exec(&b, false, 0);
	asm_stop(&b);
	memcpy(code + CODE_OFF, b.b, b.len);
	uint32_t pl = pipeline(0, CODE_OFF, IN_VA, OUT_VA, 0, 0, 0);
	uint64_t end = stream_one(pl, 256, 1, 64, 1);
	AGX_REQUIRE(dx_compute(&x, STREAM_VA, end) == 0, "submit");
	AGX_CHECK_EQ(last()->result, -ETIMEDOUT);
	AGX_CHECK(strstr(last()->msg, "budget"), "%s", last()->msg);
	dx_fini(&x);
}

AGX_TEST(malformed_stream_word_faults)
{
	setup(0);
	uint32_t bad = 7u << 29;
	memcpy(stream, &bad, 4);
	AGX_REQUIRE(dx_compute(&x, STREAM_VA, STREAM_VA + 64) == 0, "submit");
	AGX_CHECK_EQ(last()->result, -EPROTO);
	AGX_CHECK_EQ(last()->fault.va, STREAM_VA);
	AGX_CHECK(strstr(last()->msg, "block type 7"), "%s", last()->msg);
	/* The stream is unmapped after an unbind. */
	AGX_REQUIRE(dx_bind(&x, 0, 0, 0x10000, STREAM_VA, DRM_ASAHI_BIND_UNBIND) == 0, "unbind");
	AGX_REQUIRE(dx_compute(&x, STREAM_VA, STREAM_VA + 64) == 0, "submit");
	AGX_CHECK_EQ(last()->result, -EFAULT);
	AGX_CHECK_EQ(last()->fault.unit, (uint32_t)AGXSIM_UNIT_dCDM_KS0);
	AGX_CHECK_EQ(last()->fault.va, STREAM_VA);
	dx_fini(&x);
}

AGX_TEST(texture_load_through_the_render_texture_unit)
{
	const uint32_t W = 8, H = 4;
	uint8_t *td = code + 0x3000;
	struct asm_buf b = { .len = 0 };

	setup(0);
	/* An 8x4 R32 UINT linear texture in the input buffer. */
	for (uint32_t y = 0; y < H; y++)
		for (uint32_t x = 0; x < W; x++)
			in[y * W + x] = 1000 * y + x + 7;
	AGX_PACK(td, TEXTURE, cfg) {
		cfg.dimension = AGX_TEXTURE_DIMENSION_2D;
		cfg.layout = AGX_LAYOUT_LINEAR;
		cfg.channels = AGX_CHANNELS_R32;
		cfg.type = AGX_TEXTURE_TYPE_UINT;
		cfg.swizzle_r = AGX_CHANNEL_R;
		cfg.swizzle_g = AGX_CHANNEL_G;
		cfg.swizzle_b = AGX_CHANNEL_B;
		cfg.swizzle_a = AGX_CHANNEL_A;
		cfg.width = W;
		cfg.height = H;
		cfg.address = IN_VA;
		cfg.extent = AGX_TEXTURE_EXTENT_LINEAR;
		cfg.stride = W * 4 - 16;     /* linear stride field: bytes - 16 */
	}
	/* out[y * W + x] = texel(x, y) */
	asm_get_sr(&b, R(4), 80);
	asm_get_sr(&b, R(5), 81);
	asm_texture_load(&b, R(6), 4, 0, 0x1);
	asm_wait(&b, 0);
	asm_imadd(&b, R(3), R(5), U(5), R(4), 0, false, false);
	asm_device(&b, true, 2, 0x1, R(6), U(2), R(3), true, 0);
	asm_stop(&b);
	memcpy(code + CODE_OFF, b.b, b.len);
	uint32_t pl = pipeline(0, CODE_OFF, IN_VA, OUT_VA, 0, W, 0);
	struct usc_desc u = { .uniform_halves = 12, .uniform_va = DX_USC_BASE + UNI_OFF,
			      .code_off = CODE_OFF, .textures = 1,
			      .tex_va = DX_USC_BASE + 0x3000 };
	write_usc(code + pl, &u);
	uint64_t end = stream_one(pl, W, H, W, H);
	AGX_REQUIRE(dx_compute(&x, STREAM_VA, end) == 0, "submit");
	AGX_REQUIRE(last()->result == 0, "%s", last()->msg);
	for (uint32_t i = 0; i < W * H; i++)
		AGX_CHECK_EQ(out[i], 1000 * (i / W) + i % W + 7);
	AGX_CHECK_EQ(out[W * H], 0xdeadbeefu);
	dx_fini(&x);
}

AGX_TEST(render_command_reaches_render_entry)
{
	struct {
		struct drm_asahi_cmd_header h;
		struct drm_asahi_cmd_render r;
	} __attribute__((packed)) cmd;
	struct drm_asahi_submit s = { 0 };

	setup(0);
	memset(&cmd, 0, sizeof(cmd));
	cmd.h.cmd_type = DRM_ASAHI_CMD_RENDER;
	cmd.h.size = sizeof(cmd.r);
	cmd.h.cdm_barrier = DRM_ASAHI_BARRIER_NONE;
	s.cmdbuf = (uintptr_t)&cmd;
	s.cmdbuf_size = sizeof(cmd);
	s.queue_id = x.queue;
	AGX_REQUIRE(dx_ioctl(&x, DRM_IOCTL_ASAHI_SUBMIT, &s) == 0, "submit");
	AGX_CHECK_EQ(last()->cmd_type, DRM_ASAHI_CMD_RENDER);
	/* The render path rejects an all-zero command (0 samples, no tile
	 * size) as malformed: -EPROTO with a message. */
	AGX_CHECK_EQ(last()->seqno, 1u);
	AGX_CHECK(last()->result < 0, "%d", last()->result);
	AGX_CHECK_EQ(agxsim_direct_failed_jobs(x.d), 1u);
	dx_fini(&x);
}

AGX_TEST_MAIN()
