/* SPDX-License-Identifier: MIT */
/*
 * test_render_accept.c - the acceptance test of the render path: "a clear
 * followed by a triangle produces the expected pixels".
 *
 * One render pass: a background program clears every tile to a colour
 * (uniforms -> st_tile), one draw of one triangle whose vertex shader
 * loads positions and colours from a vertex buffer and writes them with
 * st_var, a fragment shader that interpolates the colour from coefficient
 * registers (iter/iterproj) and writes it with st_tile, and an end-of-tile
 * program whose image_write_block stores each tile through a PBE
 * descriptor into a linear RGBA8 image. Every pixel is compared with an
 * image computed here: inside/outside from exact edge functions of the
 * snapped vertices with the top-left rule, colours from the vertex data.
 *
 * It runs through the direct API's DRM_ASAHI_CMD_RENDER entry point (real
 * UAT page tables, GEM objects, SUBMIT), and directly through
 * agxsim_render_pass().
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agx_test.h"
#include "fixture.h"
#ifdef HAVE_DIRECT
#include "direct_fixture.h"
#endif

#define W 80   /* 3 x 2 tiles of 32 x 32, partial at the right and bottom */
#define H 60

static const float CLEAR[4] = { 0.25f, 0.5f, 0.75f, 1.0f };
static const float ORANGE[4] = { 1.0f, 0.25f, 0.0f, 1.0f };

/* Window-space triangle (multiples of 1/16 pixel) and clip w per vertex. */
static const double WIN[3][2] = { { 7.3125, 3.0625 }, { 71.625, 20.5 }, { 25.1875, 57.875 } };

static uint8_t unorm8(double v)
{
	v = v < 0 ? 0 : v > 1 ? 1 : v;
	return (uint8_t)lrint(v * 255.0);
}

static uint32_t pack(const double c[4])
{
	return (uint32_t)unorm8(c[0]) | (uint32_t)unorm8(c[1]) << 8 |
	       (uint32_t)unorm8(c[2]) << 16 | (uint32_t)unorm8(c[3]) << 24;
}

static bool inside(const double v[3][2], double px, double py)
{
	/* Top-left rule, judged from each edge and the opposite vertex. */
	for (unsigned e = 0; e < 3; e++) {
		const double *a = v[e], *b = v[(e + 1) % 3], *c = v[(e + 2) % 3];
		double ep = (b[0] - a[0]) * (py - a[1]) - (b[1] - a[1]) * (px - a[0]);
		double ec = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
		if (ep == 0) {
			bool top = a[1] == b[1] && c[1] > a[1];
			bool left = a[1] != b[1] && ((b[1] - a[1]) < 0) == (ec > 0);
			if (!top && !left)
				return false;
		} else if ((ep > 0) != (ec > 0)) {
			return false;
		}
	}
	return true;
}

/* Vertex buffer: clip position = NDC * w, colour per vertex. */
static void make_vertices(float *v, const float w[3], const float col[3][4])
{
	for (unsigned i = 0; i < 3; i++) {
		double nx = 2.0 * WIN[i][0] / W - 1.0, ny = 1.0 - 2.0 * WIN[i][1] / H;
		v[8 * i + 0] = (float)(nx * w[i]);
		v[8 * i + 1] = (float)(ny * w[i]);
		v[8 * i + 2] = 0.5f * w[i];
		v[8 * i + 3] = w[i];
		memcpy(v + 8 * i + 4, col[i], 16);
	}
}

static void scene(struct fx_scene *sc, const float *v, unsigned shade)
{
	memset(sc, 0, sizeof(*sc));
	sc->width = W;
	sc->height = H;
	sc->tw = 32;
	sc->th = 32;
	sc->samples = 1;
	memcpy(sc->clear, CLEAR, 16);
	sc->verts = v;
	sc->nverts = 3;
	sc->prim = AGX_PRIMITIVE_TRIANGLES;
	sc->shade = shade;
}

/* Expected image of a flat-coloured triangle over the clear colour. */
static void expect_flat(uint32_t *img, const float col[4])
{
	double c[4], k[4];
	for (unsigned i = 0; i < 4; i++) {
		c[i] = col[i];
		k[i] = CLEAR[i];
	}
	for (unsigned y = 0; y < H; y++)
		for (unsigned x = 0; x < W; x++)
			img[y * W + x] = inside(WIN, x + 0.5, y + 0.5) ? pack(c) : pack(k);
}

static unsigned diff(const uint32_t *got, const uint32_t *want, unsigned tol)
{
	unsigned bad = 0;
	for (unsigned i = 0; i < W * H; i++) {
		for (unsigned c = 0; c < 4; c++) {
			int g = (got[i] >> (8 * c)) & 0xff, w = (want[i] >> (8 * c)) & 0xff;
			if (abs(g - w) > (int)tol) {
				if (bad++ < 5)
					AGX_NOTE("pixel (%u,%u): got 0x%08x want 0x%08x", i % W, i / W,
						 got[i], want[i]);
				break;
			}
		}
	}
	return bad;
}

static void read_image(struct fx *f, const struct fx_scene *sc, uint32_t *img)
{
	for (unsigned y = 0; y < H; y++)
		for (unsigned x = 0; x < W; x++)
			img[y * W + x] = fx_pixel(f, sc, x, y);
}

AGX_TEST(clear_then_flat_triangle)
{
	struct fx f;
	fx_init(&f);
	float v[24];
	const float w1[3] = { 1, 1, 1 };
	const float col[3][4] = { { 1, 0.25f, 0, 1 }, { 0, 1, 0, 1 }, { 0, 0, 1, 1 } };
	make_vertices(v, w1, col);
	struct fx_scene sc;
	scene(&sc, v, AGX_SHADE_MODEL_FLAT_VERTEX_0);
	struct agxsim_render_result res;
	int r = fx_run_scene(&f, &sc, &res);
	AGX_REQUIRE(r == 0, "render: %d %s", r, res.msg);
	fx_maybe_png(&f, &sc, "accept_flat");
	uint32_t *got = malloc(W * H * 4), *want = malloc(W * H * 4);
	read_image(&f, &sc, got);
	expect_flat(want, ORANGE);
	unsigned bad = diff(got, want, 0);
	AGX_CHECK(bad == 0, "%u of %u pixels differ", bad, W * H);
	/* Rows beyond the image (stride padding) untouched. */
	AGX_CHECK_EQ(res.tiles, 6);
	AGX_CHECK_EQ(res.primitives_binned, 1);
	free(got);
	free(want);
	fx_fini(&f);
}

AGX_TEST(clear_then_perspective_interpolated_triangle)
{
	struct fx f;
	fx_init(&f);
	float v[24];
	const float wv[3] = { 1.0f, 2.0f, 4.0f };
	const float col[3][4] = { { 1, 0, 0, 1 }, { 0, 1, 0, 0.5f }, { 0, 0, 1, 0 } };
	make_vertices(v, wv, col);
	struct fx_scene sc;
	scene(&sc, v, AGX_SHADE_MODEL_PERSPECTIVE);
	struct agxsim_render_result res;
	int r = fx_run_scene(&f, &sc, &res);
	AGX_REQUIRE(r == 0, "render: %d %s", r, res.msg);
	fx_maybe_png(&f, &sc, "accept_perspective");
	uint32_t *got = malloc(W * H * 4), *want = malloc(W * H * 4);
	read_image(&f, &sc, got);
	/* Perspective-correct: screen-space barycentrics weighted by 1/w. */
	double area = (WIN[1][0] - WIN[0][0]) * (WIN[2][1] - WIN[0][1]) -
		      (WIN[2][0] - WIN[0][0]) * (WIN[1][1] - WIN[0][1]);
	for (unsigned y = 0; y < H; y++)
		for (unsigned x = 0; x < W; x++) {
			double px = x + 0.5, py = y + 0.5, k[4];
			for (unsigned c = 0; c < 4; c++)
				k[c] = CLEAR[c];
			if (!inside(WIN, px, py)) {
				want[y * W + x] = pack(k);
				continue;
			}
			double l[3], s = 0, out[4] = { 0 };
			for (unsigned i = 0; i < 3; i++) {
				const double *a = WIN[(i + 1) % 3], *b = WIN[(i + 2) % 3];
				l[i] = ((b[0] - a[0]) * (py - a[1]) - (b[1] - a[1]) * (px - a[0])) / area;
				l[i] /= wv[i];
				s += l[i];
			}
			for (unsigned c = 0; c < 4; c++) {
				for (unsigned i = 0; i < 3; i++)
					out[c] += l[i] * col[i][c];
				out[c] /= s;
			}
			want[y * W + x] = pack(out);
		}
	unsigned bad = diff(got, want, 1);
	AGX_CHECK(bad == 0, "%u of %u pixels differ by more than 1/255", bad, W * H);
	free(got);
	free(want);
	fx_fini(&f);
}

#ifdef HAVE_DIRECT
AGX_TEST(clear_then_triangle_through_direct_render_entry)
{
	/* Build the scene in the fixture's flat memory, copy it into one GEM
	 * object bound at the same VA (the queue's USC base) of a VM with real
	 * UAT page tables, submit DRM_ASAHI_CMD_RENDER, read the image back. */
	struct fx f;
	fx_init(&f);
	float v[24];
	const float w1[3] = { 1, 1, 1 };
	const float col[3][4] = { { 1, 0.25f, 0, 1 }, { 0, 1, 0, 1 }, { 0, 0, 1, 1 } };
	make_vertices(v, w1, col);
	struct fx_scene sc;
	scene(&sc, v, AGX_SHADE_MODEL_FLAT_VERTEX_0);
	fx_build_scene(&f, &sc);
	AGX_REQUIRE(FX_BASE == DX_USC_BASE, "fixture and USC base differ");

	struct dx x;
	dx_init(&x, 0);
	uint8_t *bo = dx_buf(&x, FX_BASE, FX_SIZE, NULL);
	AGX_REQUIRE(bo, "bo");
	memcpy(bo, f.mem, FX_SIZE);

	struct {
		struct drm_asahi_cmd_header h;
		struct drm_asahi_cmd_render r;
	} __attribute__((packed)) cmd;
	struct drm_asahi_submit s = { 0 };
	memset(&cmd, 0, sizeof(cmd));
	cmd.h.cmd_type = DRM_ASAHI_CMD_RENDER;
	cmd.h.size = sizeof(cmd.r);
	cmd.h.vdm_barrier = DRM_ASAHI_BARRIER_NONE;
	cmd.h.cdm_barrier = DRM_ASAHI_BARRIER_NONE;
	cmd.r = sc.cmd;
	s.cmdbuf = (uintptr_t)&cmd;
	s.cmdbuf_size = sizeof(cmd);
	s.queue_id = x.queue;
	AGX_REQUIRE(dx_ioctl(&x, DRM_IOCTL_ASAHI_SUBMIT, &s) == 0, "submit");
	const struct agxsim_direct_job_result *jr = agxsim_direct_last_job(x.d);
	AGX_REQUIRE(jr && jr->cmd_type == DRM_ASAHI_CMD_RENDER, "no job result");
	AGX_REQUIRE(jr->result == 0, "render job: %d %s", jr->result, jr->msg);

	memcpy(f.mem, bo, FX_SIZE);
	uint32_t *got = malloc(W * H * 4), *want = malloc(W * H * 4);
	read_image(&f, &sc, got);
	expect_flat(want, ORANGE);
	unsigned bad = diff(got, want, 0);
	AGX_CHECK(bad == 0, "%u of %u pixels differ", bad, W * H);
	free(got);
	free(want);

	/* A malformed stream through the same entry point: -EPROTO. */
	uint32_t bad_word = 7u << 29;
	memcpy(bo + (sc.vdm - FX_BASE), &bad_word, 4);
	AGX_REQUIRE(dx_ioctl(&x, DRM_IOCTL_ASAHI_SUBMIT, &s) == 0, "submit");
	jr = agxsim_direct_last_job(x.d);
	AGX_CHECK(jr->result == -EPROTO, "%d", jr->result);
	AGX_CHECK(strstr(jr->msg, "block type 7") != NULL, "%s", jr->msg);
	dx_fini(&x);
	fx_fini(&f);
}
#endif

AGX_TEST_MAIN()
