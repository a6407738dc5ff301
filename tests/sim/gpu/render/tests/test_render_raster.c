/* SPDX-License-Identifier: MIT */
/*
 * test_render_raster.c - rasterisation of the render path through whole
 * passes: coverage and the top-left fill rule, shared edges, MSAA sample
 * positions, scissor, culling, depth test, discard, empty-tile skipping,
 * GPU-tiled stores. Expected images are computed here, independently of
 * the simulator: coverage from the triangle's own edges and its third
 * vertex (not from the simulator's orientation-normalised edge functions).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agx_test.h"
#include "fixture.h"

#define W 64
#define H 64

static const float RED[4] = { 1, 0, 0, 1 }, GREEN[4] = { 0, 1, 0, 1 },
		   BLUE[4] = { 0, 0, 1, 1 }, GREY[4] = { 0.2f, 0.2f, 0.2f, 1 };

static uint32_t rgba8(const float c[4])
{
	uint32_t v = 0;
	for (unsigned i = 0; i < 4; i++)
		v |= (uint32_t)lrintf(c[i] * 255.0f) << (8 * i);
	return v;
}

/* Window (x, y) in pixels to a clip-space vertex with colour @c, depth z. */
static void vtx(float *out, double x, double y, float z, const float c[4])
{
	out[0] = (float)(2.0 * x / W - 1.0);
	out[1] = (float)(1.0 - 2.0 * y / H);
	out[2] = z;
	out[3] = 1;
	memcpy(out + 4, c, 16);
}

/* Reference coverage: point strictly inside, or on a top/left edge. */
static bool ref_covers(const double v[3][2], double px, double py)
{
	for (unsigned e = 0; e < 3; e++) {
		const double *a = v[e], *b = v[(e + 1) % 3], *c = v[(e + 2) % 3];
		double sp = (b[0] - a[0]) * (py - a[1]) - (b[1] - a[1]) * (px - a[0]);
		double sc = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
		if (sc == 0)
			return false;
		if (sp == 0) {
			bool top = a[1] == b[1] && c[1] > a[1];
			/* left: moving right from the edge enters the interior */
			double sr = (b[0] - a[0]) * (py - a[1]) - (b[1] - a[1]) * (px + 1 - a[0]);
			bool left = a[1] != b[1] && (sr > 0) == (sc > 0);
			if (!top && !left)
				return false;
		} else if ((sp > 0) != (sc > 0)) {
			return false;
		}
	}
	return true;
}

static void scene_defaults(struct fx_scene *sc)
{
	memset(sc, 0, sizeof(*sc));
	sc->width = W;
	sc->height = H;
	sc->tw = 32;
	sc->th = 32;
	sc->samples = 1;
	memcpy(sc->clear, GREY, 16);
	sc->prim = AGX_PRIMITIVE_TRIANGLES;
	sc->shade = AGX_SHADE_MODEL_FLAT_VERTEX_0;
	sc->extra_flags = DRM_ASAHI_RENDER_PROCESS_EMPTY_TILES;
}

/* Compare the whole image with @expect; returns mismatches. */
static unsigned compare(struct fx *f, struct fx_scene *sc, const uint32_t *expect)
{
	unsigned bad = 0;
	for (unsigned y = 0; y < sc->height; y++)
		for (unsigned x = 0; x < sc->width; x++) {
			uint32_t got = fx_pixel(f, sc, x, y), want = expect[y * sc->width + x];
			if (got != want && bad++ < 5)
				AGX_NOTE("pixel (%u,%u): got 0x%08x want 0x%08x", x, y, got, want);
		}
	return bad;
}

/* Draw triangles (flat colour of the first vertex), compare with the
 * reference at sample position (sx16, sy16) of each pixel. */
static void run_tris(const char *name, unsigned ntri, const double (*tri)[3][2],
		     const float (*col)[4], unsigned samples)
{
	struct fx f;
	fx_init(&f);
	struct fx_scene sc;
	scene_defaults(&sc);
	sc.samples = samples;
	if (samples == 4)
		sc.th = 16;
	float *v = calloc(ntri * 3, 32);
	for (unsigned t = 0; t < ntri; t++)
		for (unsigned k = 0; k < 3; k++)
			vtx(v + 8 * (3 * t + k), tri[t][k][0], tri[t][k][1], 0.5f, col[t]);
	sc.verts = v;
	sc.nverts = ntri * 3;
	struct agxsim_render_result res;
	int r = fx_run_scene(&f, &sc, &res);
	AGX_CHECK(r == 0, "render: %d %s", r, res.msg);
	fx_maybe_png(&f, &sc, name);

	/* Sample 0 is what the end-of-tile store writes (single-sample image). */
	unsigned sx = samples == 4 ? 6 : samples == 2 ? 12 : 8;
	unsigned sy = samples == 4 ? 2 : samples == 2 ? 12 : 8;
	uint32_t *expect = malloc(W * H * 4);
	for (unsigned y = 0; y < H; y++)
		for (unsigned x = 0; x < W; x++) {
			uint32_t c = rgba8(GREY);
			for (unsigned t = 0; t < ntri; t++)
				if (ref_covers(tri[t], x + sx / 16.0, y + sy / 16.0))
					c = rgba8(col[t]);
			expect[y * W + x] = c;
		}
	if (!r)
		AGX_CHECK(compare(&f, &sc, expect) == 0, "%s: image differs", name);
	free(expect);
	free(v);
	fx_fini(&f);
}

AGX_TEST(fill_rule_shared_diagonal)
{
	/* A square split along its diagonal; both edges pass exactly through
	 * pixel centres, so the fill rule decides every diagonal pixel. */
	const double t[2][3][2] = {
		{ { 4.5, 4.5 }, { 40.5, 4.5 }, { 4.5, 40.5 } },
		{ { 40.5, 4.5 }, { 40.5, 40.5 }, { 4.5, 40.5 } },
	};
	const float c[2][4] = { { 1, 0, 0, 1 }, { 0, 0, 1, 1 } };
	run_tris("fill_rule_shared_diagonal", 2, t, c, 1);
}

AGX_TEST(fill_rule_both_windings_and_tile_crossing)
{
	/* Clockwise and counter-clockwise triangles, crossing tile borders,
	 * with horizontal and vertical edges on pixel centres. */
	const double t[3][3][2] = {
		{ { 10.5, 20.5 }, { 50.5, 20.5 }, { 30.5, 60.5 } },
		{ { 3.5, 3.5 }, { 3.5, 30.5 }, { 33.5, 3.5 } },
		{ { 60.25, 2.75 }, { 35.0, 40.5 }, { 62.5, 62.5 } },
	};
	const float c[3][4] = { { 1, 0, 0, 1 }, { 0, 1, 0, 1 }, { 0, 0, 1, 1 } };
	run_tris("fill_rule_windings", 3, t, c, 1);
}

AGX_TEST(fill_rule_thin_slivers)
{
	const double t[2][3][2] = {
		{ { 0.5, 0.5 }, { 63.5, 1.5 }, { 0.5, 1.0 } },
		{ { 7.5, 10.0 }, { 8.5, 60.0 }, { 7.6, 60.0 } },
	};
	const float c[2][4] = { { 1, 0, 0, 1 }, { 0, 1, 0, 1 } };
	run_tris("fill_rule_slivers", 2, t, c, 1);
}

AGX_TEST(msaa4_sample0_coverage)
{
	/* With 4 samples, the single-sample store writes sample 0, at
	 * (6/16, 2/16) of the pixel: coverage follows that position. */
	const double t[2][3][2] = {
		{ { 4.4, 4.1 }, { 50.3, 9.9 }, { 12.2, 58.7 } },
		{ { 40.375, 30.125 }, { 63.0, 60.0 }, { 20.0, 63.0 } },
	};
	const float c[2][4] = { { 1, 0, 0, 1 }, { 0, 1, 0, 1 } };
	run_tris("msaa4", 2, t, c, 4);
}

AGX_TEST(msaa2_sample0_coverage)
{
	const double t[1][3][2] = { { { 2.3, 1.7 }, { 61.1, 30.6 }, { 9.9, 62.2 } } };
	const float c[1][4] = { { 0, 0, 1, 1 } };
	run_tris("msaa2", 1, t, c, 2);
}

/* ------------------------------------------------------------------ */

static int run_simple(struct fx *f, struct fx_scene *sc, float *v, unsigned nv,
		      struct agxsim_render_result *res)
{
	sc->verts = v;
	sc->nverts = nv;
	return fx_run_scene(f, sc, res);
}

AGX_TEST(scissor_limits_pixels)
{
	struct fx f;
	fx_init(&f);
	struct fx_scene sc;
	scene_defaults(&sc);
	sc.scissor = true;
	sc.sc[0] = 10; sc.sc[1] = 5; sc.sc[2] = 40; sc.sc[3] = 37;
	float v[3 * 8];
	const double t[3][2] = { { 0, 0 }, { 128, 0 }, { 0, 128 } };
	for (unsigned k = 0; k < 3; k++)
		vtx(v + 8 * k, t[k][0], t[k][1], 0.5f, RED);
	struct agxsim_render_result res;
	int r = run_simple(&f, &sc, v, 3, &res);
	AGX_REQUIRE(r == 0, "%d %s", r, res.msg);
	unsigned bad = 0;
	for (unsigned y = 0; y < H; y++)
		for (unsigned x = 0; x < W; x++) {
			bool in = x >= 10 && x < 40 && y >= 5 && y < 37;
			uint32_t want = rgba8(in ? RED : GREY);
			if (fx_pixel(&f, &sc, x, y) != want)
				bad++;
		}
	AGX_CHECK(bad == 0, "%u pixels differ", bad);
	fx_fini(&f);
}

AGX_TEST(back_face_culling)
{
	for (unsigned ccw_front = 0; ccw_front < 2; ccw_front++) {
		struct fx f;
		fx_init(&f);
		struct fx_scene sc;
		scene_defaults(&sc);
		sc.cull_back = true;
		sc.front_ccw = ccw_front;
		/* On screen (y down): first triangle is clockwise, second
		 * counter-clockwise. */
		float v[6 * 8];
		vtx(v + 0, 4, 4, 0.5f, RED);
		vtx(v + 8, 30, 4, 0.5f, RED);
		vtx(v + 16, 4, 30, 0.5f, RED);
		vtx(v + 24, 40, 40, 0.5f, GREEN);
		vtx(v + 32, 40, 60, 0.5f, GREEN);
		vtx(v + 40, 60, 40, 0.5f, GREEN);
		struct agxsim_render_result res;
		int r = run_simple(&f, &sc, v, 6, &res);
		AGX_REQUIRE(r == 0, "%d %s", r, res.msg);
		/* cw triangle is front unless front_ccw */
		uint32_t p1 = fx_pixel(&f, &sc, 8, 8), p2 = fx_pixel(&f, &sc, 44, 44);
		AGX_CHECK(p1 == rgba8(ccw_front ? GREY : RED), "ccw_front=%u cw tri: 0x%08x",
			  ccw_front, p1);
		AGX_CHECK(p2 == rgba8(ccw_front ? GREEN : GREY), "ccw_front=%u ccw tri: 0x%08x",
			  ccw_front, p2);
		AGX_CHECK(res.primitives_culled == 1, "culled %u", res.primitives_culled);
		fx_fini(&f);
	}
}

AGX_TEST(depth_test_less_both_orders)
{
	for (unsigned order = 0; order < 2; order++) {
		struct fx f;
		fx_init(&f);
		struct fx_scene sc;
		scene_defaults(&sc);
		sc.depth = true;
		sc.zfunc = AGX_ZS_FUNC_LESS;
		sc.zclear = 1.0f;
		/* Near (z = 0.25) red square-ish triangle and far (z = 0.75)
		 * green one overlapping it. */
		float near[3 * 8], far[3 * 8], v[6 * 8];
		vtx(near + 0, 5, 5, 0.25f, RED);
		vtx(near + 8, 45, 5, 0.25f, RED);
		vtx(near + 16, 5, 45, 0.25f, RED);
		vtx(far + 0, 20, 20, 0.75f, GREEN);
		vtx(far + 8, 60, 20, 0.75f, GREEN);
		vtx(far + 16, 20, 60, 0.75f, GREEN);
		memcpy(v, order ? far : near, sizeof(near));
		memcpy(v + 24, order ? near : far, sizeof(near));
		struct agxsim_render_result res;
		int r = run_simple(&f, &sc, v, 6, &res);
		AGX_REQUIRE(r == 0, "%d %s", r, res.msg);
		const double tn[3][2] = { { 5, 5 }, { 45, 5 }, { 5, 45 } };
		const double tf[3][2] = { { 20, 20 }, { 60, 20 }, { 20, 60 } };
		unsigned bad = 0;
		for (unsigned y = 0; y < H; y++)
			for (unsigned x = 0; x < W; x++) {
				uint32_t want = rgba8(GREY);
				if (ref_covers(tf, x + 0.5, y + 0.5))
					want = rgba8(GREEN);
				if (ref_covers(tn, x + 0.5, y + 0.5))
					want = rgba8(RED);
				if (fx_pixel(&f, &sc, x, y) != want)
					bad++;
			}
		AGX_CHECK(bad == 0, "order %u: %u pixels differ", order, bad);
		fx_fini(&f);
	}
}

AGX_TEST(discard_through_sample_mask)
{
	struct fx f;
	fx_init(&f);
	struct fx_scene sc;
	scene_defaults(&sc);
	sc.discard_half = true;
	sc.shade = AGX_SHADE_MODEL_LINEAR;
	/* Red goes 0 -> 1 left to right across a full-screen triangle pair. */
	float v[6 * 8];
	const float c0[4] = { 0, 0, 0, 1 }, c1[4] = { 1, 0, 0, 1 };
	vtx(v + 0, 0, 0, 0.5f, c0);
	vtx(v + 8, 64, 0, 0.5f, c1);
	vtx(v + 16, 0, 64, 0.5f, c0);
	vtx(v + 24, 64, 0, 0.5f, c1);
	vtx(v + 32, 64, 64, 0.5f, c1);
	vtx(v + 40, 0, 64, 0.5f, c0);
	struct agxsim_render_result res;
	int r = run_simple(&f, &sc, v, 6, &res);
	AGX_REQUIRE(r == 0, "%d %s", r, res.msg);
	unsigned bad = 0;
	for (unsigned y = 0; y < H; y++)
		for (unsigned x = 0; x < W; x++) {
			double red = (x + 0.5) / 64.0;
			uint32_t p = fx_pixel(&f, &sc, x, y);
			if (red > 0.5 + 1e-3) {
				if (p != rgba8(GREY))
					bad++;
			} else if (red < 0.5 - 1e-3) {
				uint32_t want = (uint32_t)lrint(red * 255) | 0xff000000u;
				if (abs((int)(p & 0xff) - (int)(want & 0xff)) > 1 ||
				    (p & 0xffffff00u) != 0xff000000u)
					bad++;
			}
		}
	AGX_CHECK(bad == 0, "%u pixels differ", bad);
	fx_fini(&f);
}

AGX_TEST(empty_tiles_skipped_unless_flag)
{
	for (unsigned flag = 0; flag < 2; flag++) {
		struct fx f;
		fx_init(&f);
		struct fx_scene sc;
		scene_defaults(&sc);
		sc.extra_flags = flag ? DRM_ASAHI_RENDER_PROCESS_EMPTY_TILES : 0;
		float v[3 * 8];
		vtx(v + 0, 2, 2, 0.5f, BLUE);
		vtx(v + 8, 20, 2, 0.5f, BLUE);
		vtx(v + 16, 2, 20, 0.5f, BLUE);
		struct agxsim_render_result res;
		int r = run_simple(&f, &sc, v, 3, &res);
		AGX_REQUIRE(r == 0, "%d %s", r, res.msg);
		AGX_CHECK(res.tiles == (flag ? 4u : 1u) && res.tiles_skipped == (flag ? 0u : 3u),
			  "tiles %u skipped %u", res.tiles, res.tiles_skipped);
		/* Tile (1,1) untouched (sentinel) without the flag, cleared with it. */
		uint32_t p = fx_pixel(&f, &sc, 50, 50);
		AGX_CHECK(p == (flag ? rgba8(GREY) : 0x5a5a5a5au), "flag %u: 0x%08x", flag, p);
		AGX_CHECK(fx_pixel(&f, &sc, 5, 5) == rgba8(BLUE), "covered pixel");
		AGX_CHECK(fx_pixel(&f, &sc, 30, 30) == rgba8(GREY), "cleared pixel in tile 0");
		fx_fini(&f);
	}
}

/* Morton offset inside one 64x64 tile of 4-byte texels, computed bit by bit. */
static unsigned ref_morton64(unsigned x, unsigned y)
{
	unsigned r = 0;
	for (unsigned i = 0; i < 6; i++)
		r |= ((x >> i) & 1) << (2 * i) | ((y >> i) & 1) << (2 * i + 1);
	return r;
}

AGX_TEST(gpu_tiled_store_layout)
{
	struct fx f;
	fx_init(&f);
	struct fx_scene sc;
	scene_defaults(&sc);
	sc.tiled_image = true;
	sc.shade = AGX_SHADE_MODEL_LINEAR;
	float v[3 * 8];
	const float c0[4] = { 1, 0, 0, 1 }, c1[4] = { 0, 1, 0, 1 }, c2[4] = { 0, 0, 1, 1 };
	vtx(v + 0, 0, 0, 0.5f, c0);
	vtx(v + 8, 128, 0, 0.5f, c1);
	vtx(v + 16, 0, 128, 0.5f, c2);
	struct agxsim_render_result res;
	int r = run_simple(&f, &sc, v, 3, &res);
	AGX_REQUIRE(r == 0, "%d %s", r, res.msg);
	/* 64x64 RGBA8 = exactly one 64x64 GPU tile: offset = morton * 4. */
	unsigned bad = 0;
	for (unsigned y = 0; y < H; y++)
		for (unsigned x = 0; x < W; x++) {
			uint32_t p;
			memcpy(&p, fx_ptr(&f, sc.image + 4 * ref_morton64(x, y)), 4);
			double g = (x + 0.5) / 128.0, b = (y + 0.5) / 128.0, rr = 1 - g - b;
			int want[3] = { (int)lrint(rr * 255), (int)lrint(g * 255), (int)lrint(b * 255) };
			for (unsigned c = 0; c < 3; c++)
				if (abs((int)((p >> (8 * c)) & 0xff) - want[c]) > 1)
					bad++;
		}
	AGX_CHECK(bad == 0, "%u channels differ", bad);
	fx_fini(&f);
}

AGX_TEST(background_load_preserves_contents)
{
	/* A pass that loads the render target (texture_load in the background
	 * program) instead of clearing: pixels outside the triangle keep the
	 * previous contents exactly, in linear and GPU-tiled layouts. */
	for (unsigned tiled = 0; tiled < 2; tiled++) {
		struct fx f;
		fx_init(&f);
		struct fx_scene sc;
		scene_defaults(&sc);
		sc.load_bg = true;
		sc.tiled_image = tiled;
		uint32_t *pre = malloc(W * H * 4);
		for (unsigned y = 0; y < H; y++)
			for (unsigned x = 0; x < W; x++)
				pre[y * W + x] = (x * 4) | (y * 4) << 8 | (uint32_t)((x ^ y) & 0xff) << 16 |
						 0xff000000u;
		sc.prefill = pre;
		float v[3 * 8];
		const double t[3][2] = { { 3.5, 40.25 }, { 60.75, 5.5 }, { 50.0, 62.0 } };
		for (unsigned k = 0; k < 3; k++)
			vtx(v + 8 * k, t[k][0], t[k][1], 0.5f, BLUE);
		struct agxsim_render_result res;
		int r = run_simple(&f, &sc, v, 3, &res);
		AGX_REQUIRE(r == 0, "%d %s", r, res.msg);
		uint32_t *expect = malloc(W * H * 4);
		for (unsigned y = 0; y < H; y++)
			for (unsigned x = 0; x < W; x++)
				expect[y * W + x] = ref_covers(t, x + 0.5, y + 0.5) ? rgba8(BLUE)
										    : pre[y * W + x];
		AGX_CHECK(compare(&f, &sc, expect) == 0, "tiled=%u: image differs", tiled);
		free(expect);
		free(pre);
		fx_fini(&f);
	}
}

AGX_TEST(zls_store_then_load_across_passes)
{
	/* Pass 1 stores depth (ZLS store, GPU-tiled 32F and Z16); pass 2 loads
	 * it, draws a far full-screen pair with LESS over the loaded image:
	 * only pixels outside the first pass's triangle change. */
	for (unsigned z16 = 0; z16 < 2; z16++) {
		struct fx f;
		fx_init(&f);
		uint64_t zb = fx_alloc(&f, 64 * 64 * 4, 16384);
		memset(fx_ptr(&f, zb), 0xcd, 64 * 64 * 4);
		struct fx_scene a;
		scene_defaults(&a);
		a.depth = true;
		a.zfunc = AGX_ZS_FUNC_LESS;
		a.zclear = 1.0f;
		a.depth_buf = zb;
		a.z_store = true;
		a.z16 = z16;
		float v[6 * 8];
		const double t[3][2] = { { 6, 3 }, { 58, 20 }, { 17, 61 } };
		for (unsigned k = 0; k < 3; k++)
			vtx(v + 8 * k, t[k][0], t[k][1], 0.25f, RED);
		struct agxsim_render_result res;
		int r = run_simple(&f, &a, v, 3, &res);
		AGX_REQUIRE(r == 0, "%d %s", r, res.msg);
		/* Depth memory: 64x64 (Z32F: 4 B, one 64x64 tile; Z16: 2 B, a
		 * 64x64 tile capped by the image size) in Morton order. */
		unsigned bad = 0;
		for (unsigned y = 0; y < H; y++)
			for (unsigned x = 0; x < W; x++) {
				bool in = ref_covers(t, x + 0.5, y + 0.5);
				if (z16) {
					uint16_t d;
					memcpy(&d, fx_ptr(&f, zb + 2 * ref_morton64(x, y)), 2);
					if (d != (in ? 16384 : 65535))   /* round(0.25 * 65535) */
						bad++;
				} else {
					float d;
					memcpy(&d, fx_ptr(&f, zb + 4 * ref_morton64(x, y)), 4);
					if (d != (in ? 0.25f : 1.0f))
						bad++;
				}
			}
		AGX_CHECK(bad == 0, "z16=%u: %u depth values differ", z16, bad);

		/* Pass 2: load depth and colour, far green quad. */
		uint32_t *pre = malloc(W * H * 4);
		for (unsigned y = 0; y < H; y++)
			for (unsigned x = 0; x < W; x++)
				pre[y * W + x] = fx_pixel(&f, &a, x, y);
		struct fx_scene b;
		scene_defaults(&b);
		b.depth = true;
		b.zfunc = AGX_ZS_FUNC_LESS;
		b.zclear = 0.0f;          /* would reject everything if not loaded */
		b.depth_buf = zb;
		b.z_load = true;
		b.z16 = z16;
		b.load_bg = true;
		b.prefill = pre;
		vtx(v + 0, 0, 0, 0.5f, GREEN);
		vtx(v + 8, 64, 0, 0.5f, GREEN);
		vtx(v + 16, 0, 64, 0.5f, GREEN);
		vtx(v + 24, 64, 0, 0.5f, GREEN);
		vtx(v + 32, 64, 64, 0.5f, GREEN);
		vtx(v + 40, 0, 64, 0.5f, GREEN);
		r = run_simple(&f, &b, v, 6, &res);
		AGX_REQUIRE(r == 0, "%d %s", r, res.msg);
		uint32_t *expect = malloc(W * H * 4);
		for (unsigned y = 0; y < H; y++)
			for (unsigned x = 0; x < W; x++)
				expect[y * W + x] = ref_covers(t, x + 0.5, y + 0.5) ? rgba8(RED)
										    : rgba8(GREEN);
		AGX_CHECK(compare(&f, &b, expect) == 0, "z16=%u: pass 2 image differs", z16);
		free(expect);
		free(pre);
		fx_fini(&f);
	}
}

AGX_TEST(zs_emit_replaces_depth)
{
	/* Both triangles emit depth = their red channel: A (red 0.4, geometric
	 * z 0.9) first, then B (red 0.8, geometric z 0.1). With LESS, B loses
	 * where they overlap although its interpolated z is nearer. */
	struct fx f;
	fx_init(&f);
	struct fx_scene sc;
	scene_defaults(&sc);
	sc.depth = true;
	sc.zfunc = AGX_ZS_FUNC_LESS;
	sc.zclear = 1.0f;
	sc.emit_depth_from_red = true;
	const float ca[4] = { 0.4f, 0, 0, 1 }, cb[4] = { 0.8f, 1, 0, 1 };
	const double ta[3][2] = { { 2, 2 }, { 50, 2 }, { 2, 50 } };
	const double tb[3][2] = { { 14, 14 }, { 62, 14 }, { 14, 62 } };
	float v[6 * 8];
	for (unsigned k = 0; k < 3; k++) {
		vtx(v + 8 * k, ta[k][0], ta[k][1], 0.9f, ca);
		vtx(v + 24 + 8 * k, tb[k][0], tb[k][1], 0.1f, cb);
	}
	struct agxsim_render_result res;
	int r = run_simple(&f, &sc, v, 6, &res);
	AGX_REQUIRE(r == 0, "%d %s", r, res.msg);
	uint32_t *expect = malloc(W * H * 4);
	for (unsigned y = 0; y < H; y++)
		for (unsigned x = 0; x < W; x++) {
			uint32_t c = rgba8(GREY);
			if (ref_covers(tb, x + 0.5, y + 0.5))
				c = rgba8(cb);
			if (ref_covers(ta, x + 0.5, y + 0.5))
				c = rgba8(ca);
			expect[y * W + x] = c;
		}
	AGX_CHECK(compare(&f, &sc, expect) == 0, "image differs");
	free(expect);
	fx_fini(&f);
}

AGX_TEST(near_plane_clipping_keeps_provoking_vertex)
{
	/* Vertex 0 is behind the near plane (z < 0): the triangle is clipped
	 * to the quad (m01, v1, v2, m02) with the edge midpoints m01, m02 (w = 1
	 * everywhere, z from -0.5 to 0.5). Flat shading from vertex 0 must
	 * still give vertex 0's colour. */
	struct fx f;
	fx_init(&f);
	struct fx_scene sc;
	scene_defaults(&sc);
	float v[3 * 8];
	vtx(v + 0, 32, 4, -0.5f, RED);
	vtx(v + 8, 60, 60, 0.5f, GREEN);
	vtx(v + 16, 4, 60, 0.5f, BLUE);
	struct agxsim_render_result res;
	int r = run_simple(&f, &sc, v, 3, &res);
	AGX_REQUIRE(r == 0, "%d %s", r, res.msg);
	AGX_CHECK_EQ(res.primitives_binned, 2);
	const double q1[3][2] = { { 46, 32 }, { 60, 60 }, { 4, 60 } };
	const double q2[3][2] = { { 46, 32 }, { 4, 60 }, { 18, 32 } };
	uint32_t *expect = malloc(W * H * 4);
	for (unsigned y = 0; y < H; y++)
		for (unsigned x = 0; x < W; x++) {
			bool in = ref_covers(q1, x + 0.5, y + 0.5) || ref_covers(q2, x + 0.5, y + 0.5);
			expect[y * W + x] = in ? rgba8(RED) : rgba8(GREY);
		}
	AGX_CHECK(compare(&f, &sc, expect) == 0, "image differs");
	free(expect);
	fx_fini(&f);
}

AGX_TEST(points_default_and_vs_size)
{
	/* Points are squares of the point size centred on the vertex, with
	 * the top-left rule on their edges: size 1 at a pixel centre covers
	 * that pixel; size 4 centred on a pixel corner covers 4 x 4 pixels;
	 * size 3 at a pixel centre 3 x 3. Without the point size output, the
	 * size is 1. */
	for (unsigned from_vs = 0; from_vs < 2; from_vs++) {
		struct fx f;
		fx_init(&f);
		struct fx_scene sc;
		scene_defaults(&sc);
		sc.prim = AGX_PRIMITIVE_POINTS;
		sc.point_size = from_vs ? 4.0f : 0.0f;
		float v[3 * 8];
		vtx(v + 0, 20, 20, 0.5f, RED);        /* corner-centred */
		vtx(v + 8, 40.5, 40.5, 0.5f, GREEN);  /* pixel-centred */
		vtx(v + 16, 62, 3.5, 0.5f, BLUE);     /* partly outside */
		struct agxsim_render_result res;
		int r = run_simple(&f, &sc, v, 3, &res);
		AGX_REQUIRE(r == 0, "%d %s", r, res.msg);
		double sz = from_vs ? 4 : 1;
		const double cx[3] = { 20, 40.5, 62 }, cy[3] = { 20, 40.5, 3.5 };
		const float *col[3] = { RED, GREEN, BLUE };
		uint32_t *expect = malloc(W * H * 4);
		for (unsigned y = 0; y < H; y++)
			for (unsigned x = 0; x < W; x++) {
				uint32_t c = rgba8(GREY);
				for (unsigned i = 0; i < 3; i++) {
					double px = x + 0.5, py = y + 0.5;
					if (px >= cx[i] - sz / 2 && px < cx[i] + sz / 2 &&
					    py >= cy[i] - sz / 2 && py < cy[i] + sz / 2)
						c = rgba8(col[i]);
				}
				expect[y * W + x] = c;
			}
		AGX_CHECK(compare(&f, &sc, expect) == 0, "from_vs=%u: image differs", from_vs);
		AGX_CHECK_EQ(res.primitives_in, 3);
		free(expect);
		fx_fini(&f);
	}
}

AGX_TEST(point_coordinates)
{
	struct fx f;
	fx_init(&f);
	struct fx_scene sc;
	scene_defaults(&sc);
	sc.prim = AGX_PRIMITIVE_POINTS;
	sc.point_size = 16.0f;
	sc.point_coord_colour = true;
	sc.shade = AGX_SHADE_MODEL_LINEAR;
	float v[8];
	vtx(v, 24, 32, 0.5f, BLUE);
	struct agxsim_render_result res;
	int r = run_simple(&f, &sc, v, 1, &res);
	AGX_REQUIRE(r == 0, "%d %s", r, res.msg);
	/* Square [16, 32) x [24, 40): red = (x + 0.5 - 16) / 16, green likewise
	 * in y, blue and alpha from the vertex. */
	unsigned bad = 0;
	for (unsigned y = 0; y < H; y++)
		for (unsigned x = 0; x < W; x++) {
			uint32_t p = fx_pixel(&f, &sc, x, y);
			if (x < 16 || x >= 32 || y < 24 || y >= 40) {
				bad += p != rgba8(GREY);
				continue;
			}
			int rr = (int)lrint((x + 0.5 - 16) / 16 * 255), gg = (int)lrint((y + 0.5 - 24) / 16 * 255);
			if (abs((int)(p & 0xff) - rr) > 1 || abs((int)((p >> 8) & 0xff) - gg) > 1 ||
			    (p >> 16) != 0xffffu)
				bad++;
		}
	AGX_CHECK(bad == 0, "%u pixels differ", bad);
	fx_fini(&f);
}

AGX_TEST(lines_as_rectangles)
{
	struct fx f;
	fx_init(&f);
	struct fx_scene sc;
	scene_defaults(&sc);
	sc.prim = AGX_PRIMITIVE_LINES;
	sc.line_width = 3;
	float v[6 * 8];
	const double e[3][2][2] = {
		{ { 4, 10.5 }, { 40, 10.5 } },       /* horizontal */
		{ { 50.5, 30 }, { 50.5, 60 } },      /* vertical */
		{ { 6.25, 20.75 }, { 38.5, 55.25 } } /* diagonal */
	};
	const float *col[3] = { RED, GREEN, BLUE };
	for (unsigned i = 0; i < 3; i++)
		for (unsigned k = 0; k < 2; k++)
			vtx(v + 8 * (2 * i + k), e[i][k][0], e[i][k][1], 0.5f, col[i]);
	struct agxsim_render_result res;
	int r = run_simple(&f, &sc, v, 6, &res);
	AGX_REQUIRE(r == 0, "%d %s", r, res.msg);
	AGX_CHECK_EQ(res.primitives_in, 3);
	fx_maybe_png(&f, &sc, "lines");
	uint32_t *expect = malloc(W * H * 4);
	unsigned near_edge = 0;
	for (unsigned y = 0; y < H; y++)
		for (unsigned x = 0; x < W; x++) {
			double px = x + 0.5, py = y + 0.5;
			uint32_t c = rgba8(GREY);
			for (unsigned i = 0; i < 3; i++) {
				/* Distance along and across the segment. */
				double dx = e[i][1][0] - e[i][0][0], dy = e[i][1][1] - e[i][0][1];
				double len = sqrt(dx * dx + dy * dy);
				double along = ((px - e[i][0][0]) * dx + (py - e[i][0][1]) * dy) / len;
				double across = (-(px - e[i][0][0]) * dy + (py - e[i][0][1]) * dx) / len;
				if (along > 0 && along < len && fabs(across) < 1.5)
					c = rgba8(col[i]);
				/* Skip pixels within 1/64 px of the diagonal's sides
				 * (rounding of the snapped corners decides them). */
				if (i == 2 && (fabs(fabs(across) - 1.5) < 1.0 / 64 ||
					       fabs(along) < 1.0 / 64 || fabs(along - len) < 1.0 / 64))
					c = 0, near_edge++;
			}
			expect[y * W + x] = c;
		}
	unsigned bad = 0;
	for (unsigned y = 0; y < H; y++)
		for (unsigned x = 0; x < W; x++) {
			uint32_t want = expect[y * W + x];
			if (want && fx_pixel(&f, &sc, x, y) != want && bad++ < 5)
				AGX_NOTE("pixel (%u,%u): got 0x%08x want 0x%08x", x, y,
					 fx_pixel(&f, &sc, x, y), want);
		}
	AGX_CHECK(bad == 0, "%u pixels differ (%u near-edge skipped)", bad, near_edge);
	/* Exact pixel sets of the axis-aligned lines (half-open rule). */
	AGX_CHECK(fx_pixel(&f, &sc, 4, 10) == rgba8(RED) && fx_pixel(&f, &sc, 39, 9) == rgba8(RED) &&
		  fx_pixel(&f, &sc, 40, 10) == rgba8(GREY) && fx_pixel(&f, &sc, 20, 12) == rgba8(GREY) &&
		  fx_pixel(&f, &sc, 20, 11) == rgba8(RED), "horizontal line");
	AGX_CHECK(fx_pixel(&f, &sc, 49, 30) == rgba8(GREEN) && fx_pixel(&f, &sc, 51, 59) == rgba8(GREEN) &&
		  fx_pixel(&f, &sc, 52, 40) == rgba8(GREY) && fx_pixel(&f, &sc, 50, 29) == rgba8(GREY),
		  "vertical line");
	free(expect);
	fx_fini(&f);
}

AGX_TEST(msaa4_every_sample_stored)
{
	/* 4x MSAA into a multisampled image: each sample's value follows the
	 * coverage of that sample's position (D3D 4x: (6,2), (14,6), (2,10),
	 * (10,14) sixteenths), samples stored consecutively per pixel. */
	static const unsigned pos[4][2] = { { 6, 2 }, { 14, 6 }, { 2, 10 }, { 10, 14 } };
	struct fx f;
	fx_init(&f);
	struct fx_scene sc;
	scene_defaults(&sc);
	sc.samples = 4;
	sc.th = 16;
	sc.ms_image = true;
	float v[3 * 8];
	const double t[3][2] = { { 3.3, 2.9 }, { 61.2, 17.7 }, { 13.1, 60.6 } };
	for (unsigned k = 0; k < 3; k++)
		vtx(v + 8 * k, t[k][0], t[k][1], 0.5f, GREEN);
	struct agxsim_render_result res;
	int r = run_simple(&f, &sc, v, 3, &res);
	AGX_REQUIRE(r == 0, "%d %s", r, res.msg);
	unsigned bad = 0, partial = 0;
	for (unsigned y = 0; y < H; y++)
		for (unsigned x = 0; x < W; x++) {
			unsigned n = 0;
			for (unsigned s2 = 0; s2 < 4; s2++) {
				bool in = ref_covers(t, x + pos[s2][0] / 16.0, y + pos[s2][1] / 16.0);
				uint32_t got;
				memcpy(&got, fx_ptr(&f, sc.image + (uint64_t)y * sc.stride + 16 * x + 4 * s2), 4);
				if (got != rgba8(in ? GREEN : GREY) && bad++ < 5)
					AGX_NOTE("(%u,%u) sample %u: 0x%08x", x, y, s2, got);
				n += in;
			}
			partial += n > 0 && n < 4;
		}
	AGX_CHECK(bad == 0, "%u samples differ", bad);
	AGX_CHECK(partial > 20, "only %u partially covered pixels", partial);
	fx_fini(&f);
}

AGX_TEST(stencil_masks_second_draw)
{
	/* Draw 0 writes stencil 7 (ALWAYS, REPLACE) under a triangle; draw 1,
	 * a full-screen pair with stencil EQUAL 7, only lands there. */
	struct fx f;
	fx_init(&f);
	struct fx_scene sc;
	scene_defaults(&sc);
	float v[9 * 8];
	const double t[3][2] = { { 5, 7 }, { 59, 30 }, { 22, 58 } };
	for (unsigned k = 0; k < 3; k++)
		vtx(v + 8 * k, t[k][0], t[k][1], 0.5f, RED);
	const double q[6][2] = { { 0, 0 }, { 64, 0 }, { 0, 64 }, { 64, 0 }, { 64, 64 }, { 0, 64 } };
	for (unsigned k = 0; k < 6; k++)
		vtx(v + 24 + 8 * k, q[k][0], q[k][1], 0.5f, GREEN);
	sc.split = 3;
	sc.d[0] = (struct fx_draw){ .stencil = true, .sfunc = AGX_ZS_FUNC_ALWAYS,
				    .sop = AGX_STENCIL_OP_REPLACE, .sref = 7 };
	sc.d[1] = (struct fx_draw){ .stencil = true, .sfunc = AGX_ZS_FUNC_EQUAL,
				    .sop = AGX_STENCIL_OP_KEEP, .sref = 7 };
	struct agxsim_render_result res;
	int r = run_simple(&f, &sc, v, 9, &res);
	AGX_REQUIRE(r == 0, "%d %s", r, res.msg);
	AGX_CHECK_EQ(res.draws, 2);
	uint32_t *expect = malloc(W * H * 4);
	for (unsigned y = 0; y < H; y++)
		for (unsigned x = 0; x < W; x++)
			expect[y * W + x] = ref_covers(t, x + 0.5, y + 0.5) ? rgba8(GREEN) : rgba8(GREY);
	AGX_CHECK(compare(&f, &sc, expect) == 0, "image differs");
	free(expect);
	fx_fini(&f);
}

AGX_TEST(depth_bias_wins_coplanar_test)
{
	/* The same triangle twice at z = 0.5 with LESS: the second draw only
	 * passes when its depth bias (units -64, 32F) pulls it nearer. */
	for (unsigned bias = 0; bias < 2; bias++) {
		struct fx f;
		fx_init(&f);
		struct fx_scene sc;
		scene_defaults(&sc);
		sc.depth = true;
		sc.zfunc = AGX_ZS_FUNC_LESS;
		sc.zclear = 1.0f;
		float v[6 * 8];
		const double t[3][2] = { { 5, 7 }, { 59, 30 }, { 22, 58 } };
		for (unsigned k = 0; k < 3; k++) {
			vtx(v + 8 * k, t[k][0], t[k][1], 0.5f, RED);
			vtx(v + 24 + 8 * k, t[k][0], t[k][1], 0.5f, GREEN);
		}
		sc.split = 3;
		sc.d[1] = (struct fx_draw){ .dbias = bias, .dbias_units = -64 };
		struct agxsim_render_result res;
		int r = run_simple(&f, &sc, v, 6, &res);
		AGX_REQUIRE(r == 0, "%d %s", r, res.msg);
		uint32_t inside = fx_pixel(&f, &sc, 25, 30);
		AGX_CHECK(inside == rgba8(bias ? GREEN : RED), "bias %u: 0x%08x", bias, inside);
		fx_fini(&f);
	}
}

AGX_TEST_MAIN()
