/* SPDX-License-Identifier: MIT */
/*
 * Known-answer tests for agx_pack.h.
 *
 * Every expected word below is written out by hand from the bit positions
 * documented in shared/reference/mesa-asahi-facts.md (section given in the
 * comment of each test), never computed with the generated code.  "w:b"
 * means 32-bit word w, bit b.  Words are little-endian, as the GPU reads
 * them.
 */
#include <math.h>
#include <signal.h>

#include "agx_test.h"
#include "agx_pack.h"

/* Little-endian 32-bit word i of a packed buffer. */
static uint32_t
word(const uint8_t *p, unsigned i)
{
	return (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
	       (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
}

static void
put_word(uint8_t *p, unsigned i, uint32_t v)
{
	p[4 * i] = (uint8_t)v;
	p[4 * i + 1] = (uint8_t)(v >> 8);
	p[4 * i + 2] = (uint8_t)(v >> 16);
	p[4 * i + 3] = (uint8_t)(v >> 24);
}

#define CHECK_WORDS(buf, ...)                                                   \
	do {                                                                    \
		const uint32_t want_[] = { __VA_ARGS__ };                       \
		for (unsigned i_ = 0; i_ < sizeof(want_) / sizeof(want_[0]); i_++) \
			AGX_CHECK(word(buf, i_) == want_[i_],                   \
				  "word %u: got 0x%08x want 0x%08x", i_,        \
				  word(buf, i_), want_[i_]);                    \
	} while (0)

static uint32_t
fbits(float f)
{
	uint32_t u;

	memcpy(&u, &f, sizeof(u));
	return u;
}

/* ---------------------------------------------------------------- VDM */

/* 2.2/2.3: the render stream ends with bytes 00 00 00 c0 (block type 6 =
 * Stream Terminate in bits 29-31) and zeroes. */
AGX_TEST(vdm_stream_terminate_bytes)
{
	uint8_t buf[AGX_VDM_STREAM_TERMINATE_LENGTH + 4];
	struct agx_vdm_stream_terminate t = { AGX_VDM_STREAM_TERMINATE_header };

	AGX_CHECK_EQ(AGX_VDM_STREAM_TERMINATE_LENGTH, 32);
	memset(buf, 0xee, sizeof(buf));
	agx_pack_vdm_stream_terminate(buf, &t);
	AGX_CHECK(buf[0] == 0x00 && buf[1] == 0x00 && buf[2] == 0x00 && buf[3] == 0xc0,
		  "%02x %02x %02x %02x", buf[0], buf[1], buf[2], buf[3]);
	for (unsigned i = 4; i < 32; i++)
		AGX_CHECK(buf[i] == 0, "byte %u = %02x", i, buf[i]);
	/* Nothing past the 32 bytes is written. */
	for (unsigned i = 32; i < sizeof(buf); i++)
		AGX_CHECK_EQ(buf[i], 0xee);
}

/* 2.3: PPP State: Pointer hi 0-7, Size (words) 8-15, type 0 at 29-31,
 * Pointer lo 32-63. */
AGX_TEST(vdm_ppp_state)
{
	uint8_t buf[8];

	AGX_PACK(buf, PPP_STATE, cfg) {
		cfg.pointer_hi = 0x12;
		cfg.size_words = 5;
		cfg.pointer_lo = 0x89abcdef;
	}
	CHECK_WORDS(buf, 0x00000512, 0x89abcdef);
}

/* 2.3: VDM Barrier: USC cache inval bit 3, Block Type 1. */
AGX_TEST(vdm_barrier)
{
	uint8_t buf[4];

	AGX_PACK(buf, VDM_BARRIER, cfg) {
		cfg.usc_cache_inval = true;
	}
	CHECK_WORDS(buf, (1u << 3) | (1u << 29));
	AGX_PACK(buf, VDM_BARRIER, cfg) {
		cfg.returns = true;
	}
	CHECK_WORDS(buf, (1u << 27) | (1u << 29));
}

/* 2.3: VDM State presence bits VS word 0 (1), word 1 (2), outputs (3),
 * vertex unknown (5), Block Type 2 at 29-31. */
AGX_TEST(vdm_state_header)
{
	uint8_t buf[4];

	AGX_PACK(buf, VDM_STATE, cfg) {
		cfg.vertex_shader_word_0_present = true;
		cfg.vertex_shader_word_1_present = true;
		cfg.vertex_outputs_present = true;
		cfg.vertex_unknown_present = true;
	}
	CHECK_WORDS(buf, 0x4000002e);
	AGX_PACK(buf, VDM_STATE, cfg) {
		cfg.restart_index_present = true;
		cfg.tessellation_scale_present = true;
	}
	CHECK_WORDS(buf, 0x40000081);
}

/* 2.3: VS word 0: uniforms 1-3 groups(64), textures 4-8 groups(8),
 * sampler states 9-11, preshader 12-15 groups(16). */
AGX_TEST(vdm_vs_word0_counts)
{
	uint8_t buf[4];

	AGX_PACK(buf, VDM_STATE_VERTEX_SHADER_WORD_0, cfg) {
		cfg.uniform_register_count = 128;      /* 2 groups */
		cfg.texture_state_register_count = 16; /* 2 groups */
		cfg.sampler_state_register_count = AGX_SAMPLER_STATES_8_COMPACT; /* 2 */
		cfg.preshader_register_count = 32;     /* 2 groups */
	}
	CHECK_WORDS(buf, (2u << 1) | (2u << 4) | (2u << 9) | (2u << 12));
}

/* 2.3: VS word 1: Unknown 0-1, Pipeline 6-31 shr(6) (so the 64-byte aligned
 * address lands on itself). */
AGX_TEST(vdm_vs_word1_pipeline)
{
	uint8_t buf[4];

	AGX_PACK(buf, VDM_STATE_VERTEX_SHADER_WORD_1, cfg) {
		cfg.pipeline = 0x12340;
		cfg.unknown_0 = 2;
	}
	CHECK_WORDS(buf, 0x00012342);
}

/* 2.3: Index List: buffer hi 0-7, primitive 8-15, restart 16, index size
 * 17-19, presence bits 20-27, Block Type 3. */
AGX_TEST(vdm_index_list)
{
	uint8_t buf[4];

	AGX_PACK(buf, INDEX_LIST, cfg) {
		cfg.index_buffer_hi = 0xab;
		cfg.primitive = AGX_PRIMITIVE_TRIANGLES; /* 6 */
		cfg.restart_enable = true;
		cfg.index_size = AGX_INDEX_SIZE_U16;     /* 1 */
		cfg.index_buffer_size_present = true;
		cfg.index_buffer_present = true;
		cfg.index_count_present = true;
		cfg.instance_count_present = true;
		cfg.start_present = true;
	}
	CHECK_WORDS(buf, 0xab | (6u << 8) | (1u << 16) | (1u << 17) |
			 (0x1fu << 20) | (3u << 29));
	AGX_CHECK_EQ(word(buf, 0), 0x61f306ab);
}

/* 2.3: Index List Buffer size: Size shr(2). */
AGX_TEST(vdm_index_buffer_size)
{
	uint8_t buf[4];

	AGX_PACK(buf, INDEX_LIST_BUFFER_SIZE, cfg) {
		cfg.size = 4096;
	}
	CHECK_WORDS(buf, 1024);
}

/* 2.3: Stream Link: Target hi 0-7, With return 28, Block Type 4, Target lo
 * 32-63. */
AGX_TEST(vdm_stream_link)
{
	uint8_t buf[8];

	AGX_PACK(buf, VDM_STREAM_LINK, cfg) {
		cfg.target_hi = 0x12;
		cfg.target_lo = 0x34567890;
		cfg.with_return = true;
	}
	CHECK_WORDS(buf, 0x90000012, 0x34567890);
}

/* 2.3: Tessellation: Step function 17-18, factor type 19, patch type 20,
 * Max tess factor 23-28 minus(1), CCW 29, partition 30-31. Scale is a half
 * float (1.0 = 0x3c00). */
AGX_TEST(vdm_tessellation)
{
	uint8_t buf[4];

	AGX_PACK(buf, VDM_STATE_TESSELLATION, cfg) {
		cfg.step_function = AGX_STEP_FUNCTION_PER_INSTANCE; /* 2 */
		cfg.factor_type = AGX_FACTOR_TYPE_FP32;
		cfg.patch_type = AGX_PATCH_TYPE_QUADS;
		cfg.max_tess_factor = 64;                           /* raw 63 */
		cfg.counterclockwise_winding = true;
		cfg.partition_mode = AGX_PARTITION_MODE_FRACTIONAL_EVEN; /* 3 */
	}
	CHECK_WORDS(buf, (2u << 17) | (1u << 19) | (1u << 20) | (63u << 23) |
			 (1u << 29) | (3u << 30));

	AGX_PACK(buf, VDM_STATE_TESSELLATION_SCALE, cfg) {
		(void)cfg; /* default 1.0 */
	}
	CHECK_WORDS(buf, 0x3c00);
	AGX_PACK(buf, VDM_STATE_TESSELLATION_SCALE, cfg) {
		cfg.scale = -2.5f; /* sign 1, exp 16, mantissa 0x100 */
	}
	CHECK_WORDS(buf, 0xc100);
}

/* ---------------------------------------------------------------- PPP */

/* 2.4: PPP Header bits: fragment control 0, viewport 11, viewport count
 * 12-15 minus(1), cull 21, fragment shader 23, output size 27. */
AGX_TEST(ppp_header)
{
	uint8_t buf[4];

	AGX_PACK(buf, PPP_HEADER, cfg) {
		cfg.fragment_control = true;
		cfg.viewport = true;
		cfg.cull = true;
		cfg.fragment_shader = true;
		cfg.output_size = true;
	}
	CHECK_WORDS(buf, 0x08a00801);
	AGX_PACK(buf, PPP_HEADER, cfg) {
		cfg.viewport_count = 16;
		cfg.varying_word_2 = true;
	}
	CHECK_WORDS(buf, (15u << 12) | (1u << 28));
}

/* 2.4: Fragment control: Unk bit 9 must be 1, visibility 14-15, scissor
 * enable 16, pass type 29-31. */
AGX_TEST(ppp_fragment_control)
{
	uint8_t buf[4];

	AGX_PACK(buf, FRAGMENT_CONTROL, cfg) {
		cfg.visibility_mode = AGX_VISIBILITY_MODE_COUNTING; /* 2 */
		cfg.scissor_enable = true;
		cfg.pass_type = AGX_PASS_TYPE_TRANSLUCENT;         /* 1 */
	}
	CHECK_WORDS(buf, 0x20018200);
}

/* 2.4: Fragment face: stencil ref 0-7, line width 8-15, polygon mode
 * 18-19, depth function 24-26. */
AGX_TEST(ppp_fragment_face)
{
	uint8_t buf[4];

	AGX_PACK(buf, FRAGMENT_FACE, cfg) {
		cfg.stencil_reference = 0x7f;
		cfg.line_width = 0x10;
		cfg.polygon_mode = AGX_POLYGON_MODE_LINE;
		cfg.depth_function = AGX_ZS_FUNC_LEQUAL; /* 3 */
	}
	CHECK_WORDS(buf, 0x0304107f);
	AGX_PACK(buf, FRAGMENT_FACE_2, cfg) {
		cfg.object_type = AGX_OBJECT_TYPE_POINT_SPRITE_UV_01; /* 4 */
		cfg.conservative_depth = AGX_CONSERVATIVE_DEPTH_UNCHANGED; /* 3 */
	}
	CHECK_WORDS(buf, (4u << 28) | (3u << 22));
}

/* 2.4: Fragment stencil: write 0-7, read 8-15, pass 16-18, fail 19-21,
 * stencil fail 22-24, compare 25-27. */
AGX_TEST(ppp_fragment_stencil)
{
	uint8_t buf[4];

	AGX_PACK(buf, FRAGMENT_STENCIL, cfg) {
		cfg.write_mask = 0xff;
		cfg.read_mask = 0x0f;
		cfg.depth_pass = AGX_STENCIL_OP_REPLACE;    /* 2 */
		cfg.stencil_fail = AGX_STENCIL_OP_INCR_WRAP; /* 6 */
		cfg.compare = AGX_ZS_FUNC_ALWAYS;           /* 7 */
	}
	CHECK_WORDS(buf, 0x0f820fff);
}

/* 2.4: Region clip: Max X 0-8 minus(1), Min X 16-24, Enable 31, Max Y
 * 32-40 minus(1), Min Y 48-56. */
AGX_TEST(ppp_region_clip)
{
	uint8_t buf[8];

	AGX_PACK(buf, REGION_CLIP, cfg) {
		cfg.max_x = 4;
		cfg.min_x = 1;
		cfg.enable = true;
		cfg.max_y = 2;
		cfg.min_y = 0;
	}
	CHECK_WORDS(buf, 0x80010003, 0x00000001);
}

/* 2.4: Viewport: six floats, translate/scale X, Y, Z. */
AGX_TEST(ppp_viewport_and_w_clamp)
{
	uint8_t buf[24];

	AGX_PACK(buf, VIEWPORT, cfg) {
		cfg.translate_x = 1.0f;
		cfg.scale_x = -1.0f;
		cfg.translate_y = 0.5f;
		cfg.scale_y = 2.0f;
		cfg.translate_z = 0.0f;
		cfg.scale_z = 1.0f;
	}
	CHECK_WORDS(buf, 0x3f800000, 0xbf800000, 0x3f000000, 0x40000000,
		    0x00000000, 0x3f800000);
	AGX_PACK(buf, W_CLAMP, cfg) {
		cfg.w_clamp = 1e-10f; /* batch-start value in Mesa (2.3) */
	}
	AGX_CHECK_EQ(word(buf, 0), fbits(1e-10f));
}

/* 2.4: Cull: cull back 1, flat shading vertex 7-8 (PPP vertex 2 = 3),
 * depth clip 10, front face CCW 16. Cull 2: clamp W 5, rasterizer
 * discard 17. */
AGX_TEST(ppp_cull)
{
	uint8_t buf[4];

	AGX_PACK(buf, CULL, cfg) {
		cfg.cull_back = true;
		cfg.flat_shading_vertex = AGX_PPP_VERTEX_2;
		cfg.depth_clip = true;
		cfg.front_face_ccw = true;
	}
	CHECK_WORDS(buf, 0x00010582);
	AGX_PACK(buf, CULL_2, cfg) {
		cfg.clamp_w = true;
		cfg.rasterizer_discard = true;
	}
	CHECK_WORDS(buf, (1u << 5) | (1u << 17));
}

/* 2.4: Output select varyings 16, point size 18, clip plane 3; varying
 * counts smooth 0-7, flat 8-15, linear 16-23; occlusion index 17-31;
 * depth bias/scissor indices 0-15 / 16-31; output size count. */
AGX_TEST(ppp_small_blocks)
{
	uint8_t buf[4];

	AGX_PACK(buf, OUTPUT_SELECT, cfg) {
		cfg.varyings = true;
		cfg.point_size = true;
		cfg.clip_distance_plane_3 = true;
	}
	CHECK_WORDS(buf, (1u << 16) | (1u << 18) | (1u << 3));
	AGX_PACK(buf, VARYING_COUNTS, cfg) {
		cfg.smooth = 4;
		cfg.flat = 2;
		cfg.linear = 1;
	}
	CHECK_WORDS(buf, 0x00010204);
	AGX_PACK(buf, FRAGMENT_OCCLUSION_QUERY, cfg) {
		cfg.index = 5;
	}
	CHECK_WORDS(buf, 5u << 17);
	AGX_PACK(buf, DEPTH_BIAS_SCISSOR, cfg) {
		cfg.scissor = 0x1234;
		cfg.depth_bias = 0xfffe;
	}
	CHECK_WORDS(buf, 0xfffe1234);
	AGX_PACK(buf, OUTPUT_SIZE, cfg) {
		cfg.count = 36;
	}
	CHECK_WORDS(buf, 36);
}

/* 2.4: Fragment shader words: W0 counts + CF binding count 16-22, W1
 * pipeline 6-31 shr(6), W2 CF bindings 2-31 shr(2), W3 unknown 0-3. */
AGX_TEST(ppp_fragment_shader_words)
{
	uint8_t buf[4];

	AGX_PACK(buf, FRAGMENT_SHADER_WORD_0, cfg) {
		cfg.uniform_register_count = 64;
		cfg.texture_state_register_count = 8;
		cfg.sampler_state_register_count = AGX_SAMPLER_STATES_16_EXTENDED; /* 7 */
		cfg.preshader_register_count = 16;
		cfg.cf_binding_count = 0x7f;
	}
	CHECK_WORDS(buf, (1u << 1) | (1u << 4) | (7u << 9) | (1u << 12) | (0x7fu << 16));
	AGX_PACK(buf, FRAGMENT_SHADER_WORD_1, cfg) {
		cfg.pipeline = 0xffffffc0;
	}
	CHECK_WORDS(buf, 0xffffffc0);
	AGX_PACK(buf, FRAGMENT_SHADER_WORD_2, cfg) {
		cfg.cf_bindings = 0x1000;
	}
	CHECK_WORDS(buf, 0x1000);
	AGX_PACK(buf, FRAGMENT_SHADER_WORD_3, cfg) {
		cfg.unknown_0 = 0xf;
	}
	CHECK_WORDS(buf, 0xf);
}

/* ---------------------------------------------------------------- CDM */

/* 2.5: CDM Launch Word 0: counts as VS word 0, Mode 27-28, type 0. */
AGX_TEST(cdm_launch_word0_mode)
{
	uint8_t buf[4];

	AGX_PACK(buf, CDM_LAUNCH_WORD_0, cfg) {
		cfg.mode = AGX_CDM_MODE_INDIRECT_LOCAL; /* 2 */
		cfg.uniform_register_count = 64;
	}
	CHECK_WORDS(buf, (2u << 27) | (1u << 1));
	AGX_PACK(buf, CDM_LAUNCH_WORD_0, cfg) {
		cfg.mode = AGX_CDM_MODE_INDIRECT_GLOBAL; /* 1 */
		cfg.uniform_register_count = 512;        /* 8 groups: "all" = 0 */
	}
	CHECK_WORDS(buf, 0x08000000);
	AGX_PACK(buf, CDM_LAUNCH_WORD_1, cfg) {
		cfg.pipeline = 0x4c0;
	}
	CHECK_WORDS(buf, 0x4c0);
}

/* 2.5: CDM Unk G14X: 8 bytes with bit 1:30 set. */
AGX_TEST(cdm_unk_g14x)
{
	uint8_t buf[8];

	AGX_PACK(buf, CDM_UNK_G14X, cfg) {
		(void)cfg;
	}
	CHECK_WORDS(buf, 0, 0x40000000);
}

/* 2.5: CDM Indirect: Address hi 0-7, lo 34-63 shr(2). */
AGX_TEST(cdm_indirect)
{
	uint8_t buf[8];

	AGX_PACK(buf, CDM_INDIRECT, cfg) {
		cfg.address_hi = 0x12;
		cfg.address_lo = 0x3456789c;
	}
	CHECK_WORDS(buf, 0x12, 0x3456789c);
}

/* 2.5: global/local size are three plain words. */
AGX_TEST(cdm_sizes)
{
	uint8_t buf[12];

	AGX_PACK(buf, CDM_GLOBAL_SIZE, cfg) {
		cfg.x = 1024;
		cfg.y = 2;
		cfg.z = 0xffffffff;
	}
	CHECK_WORDS(buf, 1024, 2, 0xffffffff);
	AGX_PACK(buf, CDM_LOCAL_SIZE, cfg) {
		cfg.x = 32;
		cfg.y = 1;
		cfg.z = 1;
	}
	CHECK_WORDS(buf, 32, 1, 1);
}

/* 2.5: batch-start CDM barrier {usc cache inval 3, unk 5, 6, 8}, type 3;
 * stream link type 1 (with return 28), terminate 2, return 4. */
AGX_TEST(cdm_barrier_and_stream)
{
	uint8_t buf[8];

	AGX_PACK(buf, CDM_BARRIER, cfg) {
		cfg.usc_cache_inval = true;
		cfg.unk_5 = true;
		cfg.unk_6 = true;
		cfg.unk_8 = true;
	}
	CHECK_WORDS(buf, 0x60000168);
	AGX_PACK(buf, CDM_STREAM_LINK, cfg) {
		cfg.target_hi = 0x01;
		cfg.target_lo = 0x00004000;
	}
	CHECK_WORDS(buf, 0x20000001, 0x00004000);
	AGX_PACK(buf, CDM_STREAM_TERMINATE, cfg) {
		(void)cfg;
	}
	CHECK_WORDS(buf, 0x40000000, 0);
	AGX_PACK(buf, CDM_STREAM_RETURN, cfg) {
		(void)cfg;
	}
	CHECK_WORDS(buf, 0x80000000, 0);
}

/* ---------------------------------------------------------------- USC */

/* 2.6: USC Uniform: tag 0x1d in byte 0, Start 8-15, Size 20-25 groups(1)
 * (64 halfs encode as 0), Buffer 26-63 shr(2). */
AGX_TEST(usc_uniform)
{
	uint8_t buf[8];
	const uint64_t addr = 0x1234567890ull;
	const uint64_t lo = 0x1d | (8u << 8) | (4u << 20) | ((addr >> 2) << 26);

	AGX_PACK(buf, USC_UNIFORM, cfg) {
		cfg.start_halfs = 8;
		cfg.size_halfs = 4;
		cfg.buffer = addr;
	}
	CHECK_WORDS(buf, (uint32_t)lo, (uint32_t)(lo >> 32));
	AGX_CHECK_EQ(buf[0], 0x1d);
	/* shr(2) at bit 26 places address bit n at bit n + 24: word 1 holds
	 * address bits 8-39 (0x12345678), word 0 bits 24-31 hold address bits
	 * 0-7 (0x90). */
	AGX_CHECK_EQ(word(buf, 1), 0x12345678);
	AGX_CHECK_EQ(word(buf, 0), 0x9040081d);

	AGX_PACK(buf, USC_UNIFORM_HIGH, cfg) {
		cfg.start_halfs = 0;
		cfg.size_halfs = 64;
		cfg.buffer = 4;
	}
	CHECK_WORDS(buf, 0x3d | (1u << 26), 0);
}

/* 2.6: USC Texture / Sampler: tag 0xdd / 0x9d, Start 8-15, Count 20-26,
 * Buffer from bit 27 shr(3). */
AGX_TEST(usc_texture_sampler)
{
	uint8_t buf[8];
	const uint64_t t = 0xdd | (2u << 8) | (3u << 20) | ((0x10000ull >> 3) << 27);

	AGX_PACK(buf, USC_TEXTURE, cfg) {
		cfg.start = 2;
		cfg.count = 3;
		cfg.buffer = 0x10000;
	}
	CHECK_WORDS(buf, (uint32_t)t, (uint32_t)(t >> 32));
	AGX_PACK(buf, USC_SAMPLER, cfg) {
		cfg.count = 0x7f;
		cfg.buffer = 8;
	}
	CHECK_WORDS(buf, 0x9d | (0x7fu << 20) | (1u << 27), 0);
}

/* 2.6: USC Shared: tag 0x4d, uses shared 8, layout 10-15, sample count
 * 16-17 log2, sample stride 20-23, bytes per threadgroup 24-31 groups(256). */
AGX_TEST(usc_shared)
{
	uint8_t buf[4];

	AGX_PACK(buf, USC_SHARED, cfg) {
		cfg.uses_shared_memory = true;
		cfg.layout = AGX_SHARED_LAYOUT_32X32; /* 0x2f */
		cfg.sample_count = 4;                 /* log2 = 2 */
		cfg.sample_stride_in_8_bytes = 2;
		cfg.bytes_per_threadgroup = 512;      /* 2 groups */
	}
	CHECK_WORDS(buf, 0x4d | (1u << 8) | (0x2fu << 10) | (2u << 16) | (2u << 20) |
			 (2u << 24));
	AGX_PACK(buf, USC_SHARED, cfg) {
		cfg.layout = AGX_SHARED_LAYOUT_VERTEX_COMPUTE; /* 0x24 */
		cfg.bytes_per_threadgroup = 65536;   /* 256 groups: "all" = 0 */
	}
	CHECK_WORDS(buf, 0x4d | (0x24u << 10));
}

/* 2.6: USC Shader is 6 bytes: tag 0x0d, loads varyings 8, code 16-47. */
AGX_TEST(usc_shader_six_bytes)
{
	uint8_t buf[8];
	const uint8_t want[8] = { 0x0d, 0x01, 0x00, 0x40, 0x00, 0x00, 0xee, 0xee };

	AGX_CHECK_EQ(AGX_USC_SHADER_LENGTH, 6);
	memset(buf, 0xee, sizeof(buf));
	AGX_PACK(buf, USC_SHADER, cfg) {
		cfg.loads_varyings = true;
		cfg.code = 0x4000;
	}
	AGX_CHECK(memcmp(buf, want, 8) == 0, "%02x %02x %02x %02x %02x %02x %02x %02x",
		  buf[0], buf[1], buf[2], buf[3], buf[4], buf[5], buf[6], buf[7]);
}

/* 2.6: Registers tag 0x8d, count 8-12 groups(8), spill size 18-21;
 * Preshader tag 0x38, unk 8-31 = 0xc08000, code 32-63; No preshader is the
 * two bytes 88 00; Fragment properties tag 0x58, early-z 8. */
AGX_TEST(usc_small_words)
{
	uint8_t buf[8];

	AGX_PACK(buf, USC_REGISTERS, cfg) {
		cfg.register_count = 24; /* 3 groups */
		cfg.spill_size = 5;
	}
	CHECK_WORDS(buf, 0x8d | (3u << 8) | (5u << 18));
	AGX_PACK(buf, USC_REGISTERS, cfg) {
		cfg.register_count = 256; /* 32 groups: "all" = 0 */
	}
	CHECK_WORDS(buf, 0x8d);
	AGX_PACK(buf, USC_PRESHADER, cfg) {
		cfg.code = 0x8100;
	}
	CHECK_WORDS(buf, 0xc0800038, 0x8100);

	memset(buf, 0xee, sizeof(buf));
	AGX_PACK(buf, USC_NO_PRESHADER, cfg) {
		(void)cfg;
	}
	AGX_CHECK(buf[0] == 0x88 && buf[1] == 0x00 && buf[2] == 0xee,
		  "%02x %02x %02x", buf[0], buf[1], buf[2]);

	AGX_PACK(buf, USC_FRAGMENT_PROPERTIES, cfg) {
		cfg.early_z_testing = true;
		cfg.unk_24 = 0xab;
	}
	CHECK_WORDS(buf, 0xab000158);
}

/* 2.6: Counts (rsrc_spec): unknown 0, uniforms 1-3 groups(64), textures
 * 4-8 groups(8), samplers 9-11, preshader 12-15 groups(16), CF 16-22. */
AGX_TEST(counts_word)
{
	uint8_t buf[4];

	AGX_PACK(buf, COUNTS, cfg) {
		cfg.unknown_0 = 1;
		cfg.uniform_register_count = 448;      /* 7 groups */
		cfg.texture_state_register_count = 256; /* 32 groups: "all" = 0 */
		cfg.sampler_state_register_count = AGX_SAMPLER_STATES_4_COMPACT;
		cfg.preshader_register_count = 240;    /* 15 groups */
		cfg.cf_binding_count = 3;
	}
	CHECK_WORDS(buf, 1 | (7u << 1) | (0u << 4) | (1u << 9) | (15u << 12) | (3u << 16));
}

/* ---------------------------------------------------- descriptors (2.9) */

/* Sampler: min LOD 0-9, max LOD 10-19 (4:6 fixed), aniso 20-22 log2,
 * magnify 23-24, minify 25-26, mip 27-28, wrap S/T/R 29/32/35, compare
 * func 39-41, compare enable 42, border colour 55-56, seamful 57. */
AGX_TEST(sampler_fields)
{
	uint8_t buf[8];
	uint64_t want = (96ull << 0) | (896ull << 10) | (4ull << 20) | (1ull << 23) |
			(1ull << 25) | (2ull << 27) | (1ull << 29) | (2ull << 32) |
			(3ull << 35) | (7ull << 39) | (1ull << 42) | (2ull << 55) |
			(1ull << 57);

	AGX_PACK(buf, SAMPLER, cfg) {
		cfg.minimum_lod = 1.5f;    /* 1.5 * 64 = 96 */
		cfg.maximum_lod = INFINITY; /* clamped to 14 = 896 */
		cfg.maximum_anisotropy = 16;
		cfg.magnify = AGX_FILTER_LINEAR;
		cfg.minify = AGX_FILTER_LINEAR;
		cfg.mip_filter = AGX_MIP_FILTER_LINEAR;
		cfg.wrap_s = AGX_WRAP_REPEAT;
		cfg.wrap_t = AGX_WRAP_MIRRORED_REPEAT;
		cfg.wrap_r = AGX_WRAP_CLAMP_TO_BORDER;
		cfg.compare_func = AGX_COMPARE_FUNC_NEVER; /* 7, unlike ZS Func */
		cfg.compare_enable = true;
		cfg.border_colour = AGX_BORDER_COLOUR_OPAQUE_WHITE;
		cfg.seamful_cube_maps = true;
	}
	CHECK_WORDS(buf, (uint32_t)want, (uint32_t)(want >> 32));

	/* Defaults: anisotropy 1 (log2 0), everything else zero. */
	AGX_PACK(buf, SAMPLER, cfg) {
		(void)cfg;
	}
	CHECK_WORDS(buf, 0, 0);

	/* A negative LOD clamps to 0. */
	AGX_PACK(buf, SAMPLER, cfg) {
		cfg.minimum_lod = -3.0f;
		cfg.maximum_lod = 0.25f; /* 16 */
	}
	CHECK_WORDS(buf, 16u << 10, 0);
}

AGX_TEST(border_and_sparse)
{
	uint8_t buf[16];

	AGX_PACK(buf, BORDER, cfg) {
		cfg.channel_0 = fbits(1.0f);
		cfg.channel_1 = 2;
		cfg.channel_2 = 3;
		cfg.channel_3 = 0xffffffff;
	}
	CHECK_WORDS(buf, 0x3f800000, 2, 3, 0xffffffff);
	/* Sparse block: Address 0-25 shr(14), unknown 30, enabled 31. */
	AGX_PACK(buf, SPARSE_BLOCK, cfg) {
		cfg.address = 0x8000;
		cfg.enabled = true;
	}
	CHECK_WORDS(buf, 2u | (1u << 31));
}

/* Texture (24 B): dimension 0-3, layout 4-5, channels 6-12, type 13-15,
 * swizzles 3 bits at 16/19/22/25, Width 28-41 minus(1), Height 42-55
 * minus(1), first level 56-59, last level 60-63, samples 64, address
 * 66-101 shr(4), sRGB 108, depth 110-123 minus(1), extended 127. */
AGX_TEST(texture_descriptor)
{
	uint8_t buf[24];
	uint64_t w0 = 2ull | (2ull << 4) | (0x28ull << 6) | (0ull << 13) | (0ull << 16) |
		      (1ull << 19) | (2ull << 22) | (3ull << 25) | (1023ull << 28) |
		      (767ull << 42) | (10ull << 60);
	/* Bits 64-127: address 0x400000000 >> 4 = 0x40000000 at bit 66-64 = 2,
	 * sRGB at 108-64 = 44, depth 6 - 1 at 110-64 = 46, extended at 63. */
	uint64_t w1 = (0x40000000ull << 2) | (1ull << 44) | (5ull << 46);

	AGX_PACK(buf, TEXTURE, cfg) {
		cfg.layout = AGX_LAYOUT_GPU;
		cfg.channels = AGX_CHANNELS_R8G8B8A8;
		cfg.type = AGX_TEXTURE_TYPE_UNORM;
		cfg.swizzle_r = AGX_CHANNEL_R;
		cfg.swizzle_g = AGX_CHANNEL_G;
		cfg.swizzle_b = AGX_CHANNEL_B;
		cfg.swizzle_a = AGX_CHANNEL_A;
		cfg.width = 1024;
		cfg.height = 768;
		cfg.last_level = 10;
		cfg.address = 0x400000000ull;
		cfg.srgb = true;
		cfg.extent = AGX_TEXTURE_EXTENT_TILED;
		cfg.depth = 6;
	}
	CHECK_WORDS(buf, (uint32_t)w0, (uint32_t)(w0 >> 32), (uint32_t)w1,
		    (uint32_t)(w1 >> 32), 0, 0);

	/* Width edge cases: 1 encodes as 0, 16384 as 0x3fff (all 14 bits). */
	AGX_PACK(buf, TEXTURE, cfg) {
		cfg.dimension = AGX_TEXTURE_DIMENSION_1D;
		cfg.width = 1;
	}
	CHECK_WORDS(buf, 0, 0, 0, 0, 0, 0);
	AGX_PACK(buf, TEXTURE, cfg) {
		cfg.dimension = AGX_TEXTURE_DIMENSION_1D;
		cfg.width = 16384;
		cfg.height = 16384;
	}
	CHECK_WORDS(buf, 0xfu << 28, 0x00ffffff, 0, 0, 0, 0);
}

/* Texture linear alternative: stride 110-126 shr(4), extended 127, then
 * word 4: depth (linear) 128-138 minus(1), layer stride 139-165 shr(7). */
AGX_TEST(texture_linear_extended)
{
	uint8_t buf[24];
	struct agx_texture t;

	AGX_PACK(buf, TEXTURE, cfg) {
		cfg.layout = AGX_LAYOUT_LINEAR;
		cfg.dimension = AGX_TEXTURE_DIMENSION_2D_ARRAY;
		cfg.extent = AGX_TEXTURE_EXTENT_LINEAR;
		cfg.stride = 0x1000;             /* raw 0x100 at bit 110 */
		cfg.extended = true;
		cfg.extension = AGX_TEXTURE_EXTENSION_LINEAR;
		cfg.depth_linear = 3;            /* raw 2 */
		cfg.layer_stride_linear = 0x80000; /* raw 0x1000 at bit 139 */
	}
	/* bit 110 = word 3 bit 14; bit 127 = word 3 bit 31; bit 139 = word 4
	 * bit 11. */
	CHECK_WORDS(buf, 3, 0, 0, (0x100u << 14) | (1u << 31), 2u | (0x1000u << 11), 0);

	/* Unpack cannot know the layout's intent from these bits alone: it
	 * selects the first variant that explains every set bit (Tiled: bit
	 * 118 lies inside Depth) and decodes all variants, so the linear view
	 * is still there. */
	AGX_CHECK_EQ(agx_unpack_texture(buf, &t), 0);
	AGX_CHECK_EQ(t.extent, AGX_TEXTURE_EXTENT_TILED);
	AGX_CHECK_EQ(t.stride, 0x1000);
	AGX_CHECK_EQ(t.extension, AGX_TEXTURE_EXTENSION_COMPRESSED);
	AGX_CHECK_EQ(t.depth_linear, 3);
	AGX_CHECK_EQ(t.layer_stride_linear, 0x80000);
	AGX_CHECK_EQ(t.extended, true);
}

/* PBE (24 B): swizzles 2 bits at 16-22, Width 24-37 minus(1), Height
 * 38-51 minus(1), samples 56, buffer 64-99 shr(4), level 100-103, levels
 * 104-107 minus(1), layers 108-121 minus(1), sRGB 125, extended 127. */
AGX_TEST(pbe_descriptor)
{
	uint8_t buf[24];
	uint64_t w0 = 2ull | (0x28ull << 6) | (1ull << 18) | (2ull << 20) |
		      (3ull << 22) | (255ull << 24) | (127ull << 38) | (1ull << 56);
	uint64_t w1 = (0x123450ull >> 4) | (3ull << 36) | (4ull << 40) |
		      (5ull << 44) | (1ull << 61);

	AGX_PACK(buf, PBE, cfg) {
		cfg.channels = AGX_CHANNELS_R8G8B8A8;
		cfg.swizzle_g = AGX_CHANNEL_G;
		cfg.swizzle_b = AGX_CHANNEL_B;
		cfg.swizzle_a = AGX_CHANNEL_A;
		cfg.width = 256;
		cfg.height = 128;
		cfg.samples = AGX_SAMPLE_COUNT_4;
		cfg.buffer = 0x123450;
		cfg.level = 3;
		cfg.extent = AGX_PBE_EXTENT_TILED;
		cfg.levels = 5;
		cfg.layers = 6;
		cfg.srgb = true;
	}
	CHECK_WORDS(buf, (uint32_t)w0, (uint32_t)(w0 >> 32), (uint32_t)w1,
		    (uint32_t)(w1 >> 32), 0, 0);
}

/* 2.10: CF binding header (slots 0-7, registers 8-15) and CF binding
 * (components 0-1 minus(1), shade model 2-4, source 5-7, base slot 8-15,
 * base coefficient register 16-23). */
AGX_TEST(cf_bindings)
{
	uint8_t buf[4];

	AGX_PACK(buf, CF_BINDING_HEADER, cfg) {
		cfg.number_of_32_bit_slots = 9;
		cfg.number_of_coefficient_registers = 12;
	}
	CHECK_WORDS(buf, 0x0c09);
	AGX_PACK(buf, CF_BINDING, cfg) {
		cfg.components = 4;
		cfg.shade_model = AGX_SHADE_MODEL_PERSPECTIVE;
		cfg.source = AGX_COEFFICIENT_SOURCE_VARYING;
		cfg.base_slot = 5;
		cfg.base_coefficient_register = 2;
	}
	CHECK_WORDS(buf, 0x0002051f);
	AGX_PACK(buf, CF_BINDING, cfg) {
		cfg.components = 1;
		cfg.source = AGX_COEFFICIENT_SOURCE_BARYCENTRIC_COORD; /* 5 */
	}
	CHECK_WORDS(buf, 5u << 5);
}

/* 2.11: ZLS control, ISP ZLS pixels (minus(1) at 0 and 15), PPP control
 * (Mesa's 0x202), scissor and depth bias arrays. */
AGX_TEST(pass_control_values)
{
	uint8_t buf[16];

	AGX_PACK(buf, ZLS_CONTROL, cfg) {
		cfg.z_load = true;
		cfg.z_store = true;
		cfg.z_format = AGX_ZLS_FORMAT_16;
		cfg.s_store_compress = true;
		cfg.z_resolve = true;
		cfg.s_resolve = true;
	}
	CHECK_WORDS(buf, (1u << 15) | (1u << 19) | (2u << 25) | (1u << 8),
		    (1u << 24) | (1u << 26));
	AGX_PACK(buf, CR_ISP_ZLS_PIXELS, cfg) {
		cfg.x = 1920;
		cfg.y = 1080;
	}
	CHECK_WORDS(buf, 1919u | (1079u << 15));
	AGX_PACK(buf, CR_PPP_CONTROL, cfg) {
		cfg.enable_w_clamp = true;
		cfg.fixed_point_format = 1;
	}
	CHECK_WORDS(buf, 0x202);
	AGX_PACK(buf, SCISSOR, cfg) {
		cfg.max_x = 640;
		cfg.min_x = 16;
		cfg.max_y = 480;
		cfg.min_y = 32;
		cfg.min_z = 0.0f;
		cfg.max_z = 1.0f;
	}
	CHECK_WORDS(buf, 640u | (16u << 16), 480u | (32u << 16), 0, 0x3f800000);
	AGX_CHECK_EQ(AGX_DEPTH_BIAS_LENGTH, 12);
	AGX_PACK(buf, DEPTH_BIAS, cfg) {
		cfg.depth_bias = 2.0f;
		cfg.slope_scale = -1.0f;
		cfg.clamp = 0.5f;
	}
	CHECK_WORDS(buf, 0x40000000, 0xbf800000, 0x3f000000);
}

/* ------------------------------------------------- unpack rejects input */

AGX_TEST(unpack_rejects_wrong_block_type)
{
	uint8_t buf[32] = { 0 };
	struct agx_vdm_stream_terminate t;
	struct agx_vdm_block_header h;

	buf[3] = 0xc0; /* type 6 */
	AGX_CHECK_EQ(agx_unpack_vdm_stream_terminate(buf, &t), 0);
	buf[3] = 0x80; /* type 4 = stream link */
	AGX_CHECK_EQ(agx_unpack_vdm_stream_terminate(buf, &t), AGX_UNPACK_BAD_EXACT);
	/* The header peek reads the type without judging the rest. */
	buf[0] = 0x12;
	AGX_CHECK_EQ(agx_unpack_vdm_block_header(buf, &h), 0);
	AGX_CHECK_EQ(h.block_type, AGX_VDM_BLOCK_TYPE_STREAM_LINK);
	/* Type 7 names nothing. */
	buf[3] = 0xe0;
	AGX_CHECK_EQ(agx_unpack_vdm_block_header(buf, &h), AGX_UNPACK_BAD_ENUM);

	/* A CDM barrier (type 3) is not a CDM launch (type 0). */
	memset(buf, 0, sizeof(buf));
	put_word(buf, 0, 3u << 29);
	{
		struct agx_cdm_launch_word_0 l;

		AGX_CHECK_EQ(agx_unpack_cdm_launch_word_0(buf, &l), AGX_UNPACK_BAD_EXACT);
	}
}

AGX_TEST(unpack_rejects_wrong_usc_tag)
{
	uint8_t buf[8];
	struct agx_usc_uniform u;

	AGX_PACK(buf, USC_UNIFORM_HIGH, cfg) {
		cfg.size_halfs = 4;
	}
	AGX_CHECK_EQ(agx_unpack_usc_uniform(buf, &u), AGX_UNPACK_BAD_EXACT);
	buf[0] = 0x1d;
	AGX_CHECK_EQ(agx_unpack_usc_uniform(buf, &u), 0);
	AGX_CHECK_EQ(u.size_halfs, 4);

	/* Preshader: the fixed 0xc08000 in bits 8-31 must be there. */
	{
		struct agx_usc_preshader p;
		uint8_t q[8] = { 0x38, 0x00, 0x80, 0xc0, 0, 0, 0, 0 };

		AGX_CHECK_EQ(agx_unpack_usc_preshader(q, &p), 0);
		q[1] = 1;
		AGX_CHECK_EQ(agx_unpack_usc_preshader(q, &p), AGX_UNPACK_BAD_EXACT);
	}
	/* Fragment control requires bit 9. */
	{
		struct agx_fragment_control f;
		uint8_t q[4] = { 0, 0, 0, 0 };

		AGX_CHECK_EQ(agx_unpack_fragment_control(q, &f), AGX_UNPACK_BAD_EXACT);
		q[1] = 0x02;
		AGX_CHECK_EQ(agx_unpack_fragment_control(q, &f), 0);
	}
}

AGX_TEST(unpack_rejects_reserved_bits)
{
	uint8_t buf[8] = { 0 };
	struct agx_ppp_header h;
	struct agx_usc_uniform u;
	struct agx_texture t;
	uint8_t tex[24] = { 0 };

	put_word(buf, 0, 1u << 9); /* PPP header bit 9 is not described */
	AGX_CHECK_EQ(agx_unpack_ppp_header(buf, &h), AGX_UNPACK_RESERVED);
	put_word(buf, 0, 1u << 29); /* nor 29-31 */
	AGX_CHECK_EQ(agx_unpack_ppp_header(buf, &h), AGX_UNPACK_RESERVED);

	memset(buf, 0, sizeof(buf));
	buf[0] = 0x1d;
	buf[2] = 0x01; /* bit 16: between Start (8-15) and Size (20-25) */
	AGX_CHECK_EQ(agx_unpack_usc_uniform(buf, &u), AGX_UNPACK_RESERVED);

	/* Bit 191 lies above the 60-bit acceleration buffer (128-187) but
	 * inside the software buffer offset (160-191): it decodes as that
	 * variant. */
	tex[23] = 0x80;
	AGX_CHECK_EQ(agx_unpack_texture(tex, &t), 0);
	AGX_CHECK_EQ(t.extension, AGX_TEXTURE_EXTENSION_BUFFER_SW);
	AGX_CHECK_EQ(t.buffer_offset_sw, 0x80000000u);
	/* Bit 64 is Samples, bit 65 is not described. */
	memset(tex, 0, sizeof(tex));
	tex[8] = 0x02;
	AGX_CHECK_EQ(agx_unpack_texture(tex, &t), AGX_UNPACK_RESERVED);
}

AGX_TEST(unpack_flags_unnamed_enum_values)
{
	uint8_t buf[4] = { 0 };
	struct agx_index_list il;
	struct agx_cf_binding cf;

	put_word(buf, 0, (2u << 8) | (3u << 29)); /* primitive 2 is unnamed */
	AGX_CHECK_EQ(agx_unpack_index_list(buf, &il), AGX_UNPACK_BAD_ENUM);
	AGX_CHECK_EQ(il.primitive, 2); /* the raw value is kept */
	put_word(buf, 0, (3u << 17) | (3u << 29)); /* index size 3 */
	AGX_CHECK_EQ(agx_unpack_index_list(buf, &il), AGX_UNPACK_BAD_ENUM);
	put_word(buf, 0, 1u << 2); /* shade model 1 */
	AGX_CHECK_EQ(agx_unpack_cf_binding(buf, &cf), AGX_UNPACK_BAD_ENUM);
}

/* ------------------------------------------- groups(n) and minus(n) edges */

AGX_TEST(groups_zero_means_all)
{
	uint8_t buf[4];
	struct agx_vdm_state_vertex_shader_word_0 w;

	/* 3-bit groups(64): 512 = 8 groups wraps to 0; 0 also encodes 0. */
	AGX_PACK(buf, VDM_STATE_VERTEX_SHADER_WORD_0, cfg) {
		cfg.uniform_register_count = 512;
	}
	AGX_CHECK_EQ(word(buf, 0), 0);
	AGX_PACK(buf, VDM_STATE_VERTEX_SHADER_WORD_0, cfg) {
		cfg.uniform_register_count = 0;
	}
	AGX_CHECK_EQ(word(buf, 0), 0);
	/* ... and 0 decodes as "all". */
	AGX_CHECK_EQ(agx_unpack_vdm_state_vertex_shader_word_0(buf, &w), 0);
	AGX_CHECK_EQ(w.uniform_register_count, 512);
	AGX_CHECK_EQ(w.texture_state_register_count, 256);
	AGX_CHECK_EQ(w.preshader_register_count, 256);

	/* Partial groups round up: 1 -> 1 group, 65 -> 2, 511 -> 8 = 0. */
	AGX_PACK(buf, VDM_STATE_VERTEX_SHADER_WORD_0, cfg) {
		cfg.uniform_register_count = 1;
		cfg.texture_state_register_count = 9;
		cfg.preshader_register_count = 17;
	}
	AGX_CHECK_EQ(word(buf, 0), (1u << 1) | (2u << 4) | (2u << 12));
	AGX_CHECK_EQ(agx_unpack_vdm_state_vertex_shader_word_0(buf, &w), 0);
	AGX_CHECK_EQ(w.uniform_register_count, 64);
	AGX_CHECK_EQ(w.texture_state_register_count, 16);
	AGX_CHECK_EQ(w.preshader_register_count, 32);
	AGX_PACK(buf, VDM_STATE_VERTEX_SHADER_WORD_0, cfg) {
		cfg.uniform_register_count = 511;
		cfg.texture_state_register_count = 248; /* 31 groups, largest nonzero */
	}
	AGX_CHECK_EQ(word(buf, 0), 31u << 4);

	/* groups(1) on the 6-bit uniform size: 63 stays, 64 wraps to 0. */
	{
		uint8_t u[8];
		struct agx_usc_uniform d;

		AGX_PACK(u, USC_UNIFORM, cfg) {
			cfg.size_halfs = 63;
		}
		AGX_CHECK_EQ(word(u, 0), 0x1du | (63u << 20));
		AGX_PACK(u, USC_UNIFORM, cfg) {
			cfg.size_halfs = 64;
		}
		AGX_CHECK_EQ(word(u, 0), 0x1d);
		AGX_CHECK_EQ(agx_unpack_usc_uniform(u, &d), 0);
		AGX_CHECK_EQ(d.size_halfs, 64);
	}
}

AGX_TEST(minus_one_edges)
{
	uint8_t buf[8];
	struct agx_ppp_header h;
	struct agx_region_clip r;
	struct agx_cr_isp_zls_pixels z;

	AGX_PACK(buf, PPP_HEADER, cfg) {
		cfg.viewport_count = 1; /* default */
	}
	AGX_CHECK_EQ(word(buf, 0), 0);
	AGX_CHECK_EQ(agx_unpack_ppp_header(buf, &h), 0);
	AGX_CHECK_EQ(h.viewport_count, 1);
	put_word(buf, 0, 0xfu << 12);
	AGX_CHECK_EQ(agx_unpack_ppp_header(buf, &h), 0);
	AGX_CHECK_EQ(h.viewport_count, 16);

	/* Region clip max fields: 9 bits minus(1): 512 tiles is the top. */
	AGX_PACK(buf, REGION_CLIP, cfg) {
		cfg.max_x = 512;
		cfg.max_y = 1;
	}
	CHECK_WORDS(buf, 0x1ff, 0);
	AGX_CHECK_EQ(agx_unpack_region_clip(buf, &r), 0);
	AGX_CHECK_EQ(r.max_x, 512);
	AGX_CHECK_EQ(r.max_y, 1);

	/* ISP ZLS pixels: 15 bits minus(1): 32768 is the top. */
	AGX_PACK(buf, CR_ISP_ZLS_PIXELS, cfg) {
		cfg.x = 32768;
		cfg.y = 1;
	}
	CHECK_WORDS(buf, 0x7fff);
	AGX_CHECK_EQ(agx_unpack_cr_isp_zls_pixels(buf, &z), 0);
	AGX_CHECK_EQ(z.x, 32768);
	AGX_CHECK_EQ(z.y, 1);

	/* CF binding components 1..4 in two bits. */
	{
		struct agx_cf_binding c;

		put_word(buf, 0, 0);
		AGX_CHECK_EQ(agx_unpack_cf_binding(buf, &c), 0);
		AGX_CHECK_EQ(c.components, 1);
		put_word(buf, 0, 3);
		AGX_CHECK_EQ(agx_unpack_cf_binding(buf, &c), 0);
		AGX_CHECK_EQ(c.components, 4);
	}
}

/* ------------------------------------------ debug asserts on bad values */

/* Run fn in a child; true if it died of SIGABRT (a failed assert). */
static bool
aborts(void (*fn)(void))
{
	pid_t pid;
	int status = 0;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stderr))
			_exit(2);
		fn();
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void
pack_width_zero(void)
{
	uint8_t buf[24];
	struct agx_texture t = { AGX_TEXTURE_header };

	t.width = 0; /* minus(1): below the minimum */
	agx_pack_texture(buf, &t);
}

static void
pack_unaligned_uniform(void)
{
	uint8_t buf[8];
	struct agx_usc_uniform u = { AGX_USC_UNIFORM_header };

	u.buffer = 0x1002; /* shr(2): not a multiple of 4 */
	agx_pack_usc_uniform(buf, &u);
}

static void
pack_non_power_of_two(void)
{
	uint8_t buf[8];
	struct agx_sampler s = { AGX_SAMPLER_header };

	s.maximum_anisotropy = 3; /* log2 */
	agx_pack_sampler(buf, &s);
}

static void
pack_too_many_groups(void)
{
	uint8_t buf[4];
	struct agx_usc_registers r = { AGX_USC_REGISTERS_header };

	r.register_count = 257; /* 5-bit groups(8): at most 256 */
	agx_pack_usc_registers(buf, &r);
}

static void
pack_overflow(void)
{
	uint8_t buf[4];
	struct agx_fragment_occlusion_query q = { AGX_FRAGMENT_OCCLUSION_QUERY_header };

	q.index = 1u << 15; /* 15-bit field */
	agx_pack_fragment_occlusion_query(buf, &q);
}

static void
pack_valid(void)
{
	uint8_t buf[24];
	struct agx_texture t = { AGX_TEXTURE_header };

	agx_pack_texture(buf, &t);
}

AGX_TEST(pack_asserts_on_unrepresentable_values)
{
#ifdef NDEBUG
	AGX_SKIP("built with NDEBUG");
#endif
	AGX_CHECK(!aborts(pack_valid));
	AGX_CHECK(aborts(pack_width_zero));
	AGX_CHECK(aborts(pack_unaligned_uniform));
	AGX_CHECK(aborts(pack_non_power_of_two));
	AGX_CHECK(aborts(pack_too_many_groups));
	AGX_CHECK(aborts(pack_overflow));
}

/* ---------------------------------------------------------------- print */

AGX_TEST(print_decodes_names)
{
	FILE *fp = tmpfile();
	char text[2048] = { 0 };
	struct agx_index_list il = { AGX_INDEX_LIST_header };
	struct agx_texture t = { AGX_TEXTURE_header };

	AGX_REQUIRE(fp != NULL);
	il.primitive = AGX_PRIMITIVE_TRIANGLE_STRIP;
	il.index_size = AGX_INDEX_SIZE_U32;
	il.index_buffer_hi = 0x3f;
	agx_print_index_list(fp, &il, 2);
	t.extent = AGX_TEXTURE_EXTENT_LINEAR;
	t.stride = 0x40;
	agx_print_texture(fp, &t, 0);
	rewind(fp);
	AGX_CHECK(fread(text, 1, sizeof(text) - 1, fp) > 0);
	fclose(fp);
	AGX_CHECK(strstr(text, "  Primitive: Triangle strip\n") != NULL, "%s", text);
	AGX_CHECK(strstr(text, "  Index size: U32\n") != NULL, "%s", text);
	AGX_CHECK(strstr(text, "  Index buffer hi: 0x3f\n") != NULL, "%s", text);
	AGX_CHECK(strstr(text, "Extent: Linear\n  Stride: 0x40\n") != NULL, "%s", text);
	AGX_CHECK(strstr(text, "Width: 1\n") != NULL, "%s", text);
}

AGX_TEST_MAIN()
