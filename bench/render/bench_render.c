/* SPDX-License-Identifier: MIT */
/*
 * bench_render - pixels per second of the simulator's render path for a
 * fullscreen textured quad: a 256x256 RGBA8 target, two triangles whose
 * fragment shader samples a 64x64 RGBA8 texture bilinearly
 * (texture_sample) at interpolated coordinates, through
 * agxsim_render_pass() (VDM, vertex shading, rasterisation, tile buffer,
 * end-of-tile store).
 *
 * Baseline, measured in the same run: a plain C loop that does one
 * bilinear lookup of the same texture per pixel and writes RGBA8. The
 * ratio says how many times slower the simulated GPU is than doing the
 * work directly. Not a test: nothing is asserted about time; the image is
 * checked against the baseline's (largest channel difference printed).
 *
 * Usage: bench_render [passes]   (default 5)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fixture.h"

#define W 256
#define H 256
#define TS 64

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint8_t tex_byte(unsigned x, unsigned y, unsigned k)
{
	return (uint8_t)(k == 3 ? 255 : (x * 4 + y * 3 * k + 17 * k) & 255);
}

/* Bilinear, repeat, normalised coordinates, texel centres at +0.5. */
static void baseline_texel(const uint8_t *tex, float u, float v, uint8_t out[4])
{
	float x = u * TS - 0.5f, y = v * TS - 0.5f;
	int x0 = (int)floorf(x), y0 = (int)floorf(y);
	float a = x - x0, b = y - y0;
	int xs[2] = { (x0 % TS + TS) % TS, ((x0 + 1) % TS + TS) % TS };
	int ys[2] = { (y0 % TS + TS) % TS, ((y0 + 1) % TS + TS) % TS };
	for (unsigned k = 0; k < 4; k++) {
		float t00 = tex[(ys[0] * TS + xs[0]) * 4 + k], t10 = tex[(ys[0] * TS + xs[1]) * 4 + k];
		float t01 = tex[(ys[1] * TS + xs[0]) * 4 + k], t11 = tex[(ys[1] * TS + xs[1]) * 4 + k];
		float f = (t00 * (1 - a) + t10 * a) * (1 - b) + (t01 * (1 - a) + t11 * a) * b;
		out[k] = (uint8_t)lrintf(f);
	}
}

int main(int argc, char **argv)
{
	unsigned passes = argc > 1 ? (unsigned)atoi(argv[1]) : 5;
	if (!passes)
		passes = 1;

	struct fx f;
	fx_init(&f);
	/* Texture (linear, stride 256 B) and sampler. */
	uint64_t tex = fx_alloc(&f, TS * TS * 4, 16384);
	uint8_t *texp = fx_ptr(&f, tex);
	for (unsigned y = 0; y < TS; y++)
		for (unsigned x = 0; x < TS; x++)
			for (unsigned k = 0; k < 4; k++)
				texp[(y * TS + x) * 4 + k] = tex_byte(x, y, k);
	uint8_t td[24];
	AGX_PACK(td, TEXTURE, cfg) {
		cfg.dimension = AGX_TEXTURE_DIMENSION_2D;
		cfg.layout = AGX_LAYOUT_LINEAR;
		cfg.channels = AGX_CHANNELS_R8G8B8A8;
		cfg.type = AGX_TEXTURE_TYPE_UNORM;
		cfg.swizzle_r = AGX_CHANNEL_R;
		cfg.swizzle_g = AGX_CHANNEL_G;
		cfg.swizzle_b = AGX_CHANNEL_B;
		cfg.swizzle_a = AGX_CHANNEL_A;
		cfg.width = TS;
		cfg.height = TS;
		cfg.address = tex;
		cfg.extent = AGX_TEXTURE_EXTENT_LINEAR;
		cfg.stride = TS * 4 - 16;
	}
	uint8_t sd[8];
	AGX_PACK(sd, SAMPLER, cfg) {
		cfg.maximum_lod = 14.0f;
		cfg.maximum_anisotropy = 1;
		cfg.magnify = AGX_FILTER_LINEAR;
		cfg.minify = AGX_FILTER_LINEAR;
		cfg.wrap_s = AGX_WRAP_REPEAT;
		cfg.wrap_t = AGX_WRAP_REPEAT;
	}

	/* Fullscreen quad: colour (red, green) = texture coordinates. */
	static const float q[4][2] = { { -1, 1 }, { 1, 1 }, { -1, -1 }, { 1, -1 } };
	static const float uv[4][2] = { { 0, 0 }, { 1, 0 }, { 0, 1 }, { 1, 1 } };
	static const unsigned order[6] = { 0, 1, 2, 2, 1, 3 };
	float verts[6 * 8];
	for (unsigned i = 0; i < 6; i++) {
		const unsigned c = order[i];
		float v[8] = { q[c][0], q[c][1], 0.5f, 1, uv[c][0], uv[c][1], 0, 1 };
		memcpy(verts + 8 * i, v, sizeof(v));
	}
	struct fx_scene sc;
	memset(&sc, 0, sizeof(sc));
	sc.width = W;
	sc.height = H;
	sc.tw = 32;
	sc.th = 32;
	sc.samples = 1;
	sc.verts = verts;
	sc.nverts = 6;
	sc.prim = AGX_PRIMITIVE_TRIANGLES;
	sc.shade = AGX_SHADE_MODEL_LINEAR;
	sc.fs_texture = fx_put(&f, td, 24, 16);
	sc.fs_sampler = fx_put(&f, sd, 8, 16);
	fx_build_scene(&f, &sc);

	struct agxsim_render_result res;
	struct agxsim_fault fault;
	double t0 = now_s();
	for (unsigned i = 0; i < passes; i++) {
		int r = agxsim_render_pass(&f.env, &sc.cmd, &fault, &res);
		if (r) {
			fprintf(stderr, "render pass failed: %d %s\n", r, res.msg);
			return 1;
		}
	}
	double t_sim = now_s() - t0;

	/* Baseline: the same per-pixel work in plain C, pixel centres. */
	uint8_t *base = malloc(W * H * 4);
	unsigned base_passes = passes * 50;
	volatile unsigned sink = 0;
	t0 = now_s();
	for (unsigned i = 0; i < base_passes; i++) {
		for (unsigned y = 0; y < H; y++)
			for (unsigned x = 0; x < W; x++)
				baseline_texel(texp, (x + 0.5f) / W, (y + 0.5f) / H,
					       base + (y * W + x) * 4);
		sink += base[i % (W * H * 4)];
	}
	double t_base = now_s() - t0;

	unsigned maxdiff = 0;
	for (unsigned y = 0; y < H; y++)
		for (unsigned x = 0; x < W; x++) {
			uint32_t p = fx_pixel(&f, &sc, x, y);
			for (unsigned k = 0; k < 4; k++) {
				int d = (int)((p >> (8 * k)) & 255) - base[(y * W + x) * 4 + k];
				if ((unsigned)abs(d) > maxdiff)
					maxdiff = (unsigned)abs(d);
			}
		}

	double px_sim = (double)W * H * passes / t_sim;
	double px_base = (double)W * H * base_passes / t_base;
	printf("render path: fullscreen quad %ux%u RGBA8, %ux%u RGBA8 texture, bilinear\n", W, H,
	       TS, TS);
	printf("  simulated:  %u passes in %.3f s = %.3g pixels/s (%u fragment SIMD groups/pass)\n",
	       passes, t_sim, px_sim, res.fragment_groups);
	printf("  baseline:   plain C bilinear lookup, %u passes in %.3f s = %.3g pixels/s\n",
	       base_passes, t_base, px_base);
	printf("  ratio:      simulator is %.1fx slower than the baseline\n", px_base / px_sim);
	printf("  image check: largest channel difference to the baseline = %u/255\n", maxdiff);
	free(base);
	fx_fini(&f);
	(void)sink;
	return maxdiff > 2;
}
