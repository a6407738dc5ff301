/* SPDX-License-Identifier: MIT */
/*
 * test_render_texture_unit.c - the render path's texel fetch as the GPU
 * model's texture unit: a compute kernel (CDM stream, run by
 * agxsim_gpu_run_cdm) fetches every texel of an 8x8 RGBA8 UINT texture
 * with texture_load and stores it; linear and GPU-tiled layouts, texture
 * state registers loaded by a USC Texture word, out-of-range coordinates.
 */
#include <errno.h>
#include <string.h>

#include "agx_test.h"
#include "agxsim/gpu.h"
#include "fixture.h"

#define TW 8
#define TH 8

static unsigned morton8(unsigned x, unsigned y)
{
	unsigned r = 0;
	for (unsigned i = 0; i < 3; i++)
		r |= ((x >> i) & 1) << (2 * i) | ((y >> i) & 1) << (2 * i + 1);
	return r;
}

static int run_fetch(bool tiled, int dx, uint32_t *out_words, char *msg, size_t msg_len)
{
	struct fx f;
	fx_init(&f);
	/* Texture contents: texel (x, y) = bytes (x, y, x ^ y, 200). */
	unsigned stride = 32;   /* 8 texels * 4 B, padded to 32 (16-byte multiple) */
	uint64_t tex = fx_alloc(&f, 16384, 16384);
	for (unsigned y = 0; y < TH; y++)
		for (unsigned x = 0; x < TW; x++) {
			uint8_t t[4] = { (uint8_t)x, (uint8_t)y, (uint8_t)(x ^ y), 200 };
			uint64_t off = tiled ? 4ull * morton8(x, y) : (uint64_t)y * stride + 4 * x;
			memcpy(fx_ptr(&f, tex + off), t, 4);
		}
	uint8_t td[24];
	AGX_PACK(td, TEXTURE, cfg) {
		cfg.dimension = AGX_TEXTURE_DIMENSION_2D;
		cfg.layout = tiled ? AGX_LAYOUT_GPU : AGX_LAYOUT_LINEAR;
		cfg.channels = AGX_CHANNELS_R8G8B8A8;
		cfg.type = AGX_TEXTURE_TYPE_UINT;
		cfg.swizzle_r = AGX_CHANNEL_R;
		cfg.swizzle_g = AGX_CHANNEL_G;
		cfg.swizzle_b = AGX_CHANNEL_B;
		cfg.swizzle_a = AGX_CHANNEL_A;
		cfg.width = TW;
		cfg.height = TH;
		cfg.address = tex;
		if (!tiled) {
			cfg.extent = AGX_TEXTURE_EXTENT_LINEAR;
			cfg.stride = stride - 16;
		}
	}
	uint64_t tdv = fx_put(&f, td, 24, 16);
	uint64_t out = fx_alloc(&f, TW * TH * 16, 16);
	uint64_t uni = fx_put(&f, &out, 8, 8);

	/* x = sr80 + dx, y = sr81; fetch; store 4 x i32 at out + 16 * (8y + x0). */
	struct asm_buf b = { .len = 0 };
	asm_get_sr(&b, R(4), 80);
	asm_get_sr(&b, R(5), 81);
	asm_iadd(&b, R(11), R(4), I(0), 0, false, false);
	if (dx)
		asm_iadd(&b, R(4), R(4), I((unsigned)dx), 0, false, false);
	asm_texture_load(&b, R(6), 4, 0, 0xf);
	asm_wait(&b, 0);
	asm_iadd(&b, R(10), R(11), R(5), 3, false, false);       /* x0 + (y << 3) */
	asm_device(&b, true, 2, 0xf, R(6), U(0), R(10), true, 2);
	asm_stop(&b);
	uint32_t pl = fx_pipeline(&f, &(struct fx_pipe){ .code = fx_code(&f, &b), .uniforms = uni,
						       .uni_halfs = 4, .textures = tdv, .ntex = 1,
						       .compute_shared = true });
	const unsigned grid[2] = { TW, TH }, local[2] = { TW, 4 };
	int r = fx_run_compute(&f, pl, AGX_SAMPLER_STATES_0, grid, local, msg, msg_len);
	memcpy(out_words, fx_ptr(&f, out), TW * TH * 16);
	fx_fini(&f);
	return r;
}

AGX_TEST(texel_fetch_linear_and_gpu_tiled)
{
	for (unsigned tiled = 0; tiled < 2; tiled++) {
		uint32_t o[TW * TH * 4];
		char msg[256];
		int r = run_fetch(tiled, 0, o, msg, sizeof(msg));
		AGX_REQUIRE(r == 0, "tiled=%u: %d %s", tiled, r, msg);
		unsigned bad = 0;
		for (unsigned y = 0; y < TH; y++)
			for (unsigned x = 0; x < TW; x++) {
				const uint32_t *t = o + 4 * (8 * y + x);
				if (t[0] != x || t[1] != y || t[2] != (x ^ y) || t[3] != 200)
					bad++;
			}
		AGX_CHECK(bad == 0, "tiled=%u: %u texels differ", tiled, bad);
	}
}

AGX_TEST(out_of_range_fetch_reads_zero)
{
	uint32_t o[TW * TH * 4];
	char msg[256];
	int r = run_fetch(false, 4, o, msg, sizeof(msg));
	AGX_REQUIRE(r == 0, "%d %s", r, msg);
	unsigned bad = 0;
	for (unsigned y = 0; y < TH; y++)
		for (unsigned x = 0; x < TW; x++) {
			const uint32_t *t = o + 4 * (8 * y + x);
			unsigned sx = x + 4;
			bool in = sx < TW;
			/* Outside the texture: all components 0 (ASSUMPTIONS R10). */
			if (in ? (t[0] != sx || t[1] != y || t[3] != 200)
			       : (t[0] || t[1] || t[2] || t[3]))
				bad++;
		}
	AGX_CHECK(bad == 0, "%u texels differ", bad);
}

AGX_TEST_MAIN()
