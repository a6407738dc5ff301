/* SPDX-License-Identifier: MIT */
/*
 * The render path through the firmware model: the render fixture builds a
 * clear + triangle scene (VDM stream, PPP state, USC words, shaders, PBE
 * descriptor) at its usual addresses; the mini kernel maps that memory into
 * its user context and submits a RunVertex and a RunFragment whose job
 * parameters carry the pass registers (hooks.c says which field is which).
 * The GPU model's run_vertex bins the scene, run_fragment renders it. The
 * image must be identical to the direct path's (agxsim_render_pass() on the
 * same memory), the stamps written and both queues' event slots fired.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agx_test.h"
#include "agxsim/gpu.h"
#include "agxsim/gpu_hooks.h"
#include "agxsim/render.h"
#include "fixture.h"
#include "mini_kernel.h"

#define W 80
#define H 60

struct rig {
	struct fx f;
	struct fx_scene sc;
	uint64_t used_B;
	uint8_t *snap;          /* the scene's memory before rendering */
	uint32_t *want;         /* direct path's image */
};

/* Window-space vertices and colours; 1/16-pixel positions. */
static void build_scene_ex(struct rig *g, bool smooth, bool scissor)
{
	static const double win[3][2] = { { 7.3125, 3.0625 }, { 71.625, 20.5 },
					  { 25.1875, 57.875 } };
	static const float col[3][4] = { { 1, 0.25f, 0, 1 }, { 0, 1, 0, 1 }, { 0, 0, 1, 1 } };
	static float v[24];
	const float w[3] = { 1.0f, 2.0f, 0.5f };

	for (unsigned i = 0; i < 3; i++) {
		double nx = 2.0 * win[i][0] / W - 1.0, ny = 1.0 - 2.0 * win[i][1] / H;
		v[8 * i + 0] = (float)(nx * w[i]);
		v[8 * i + 1] = (float)(ny * w[i]);
		v[8 * i + 2] = 0.5f * w[i];
		v[8 * i + 3] = w[i];
		memcpy(v + 8 * i + 4, col[i], 16);
	}
	fx_init(&g->f);
	memset(&g->sc, 0, sizeof(g->sc));
	g->sc.width = W;
	g->sc.height = H;
	g->sc.tw = 32;
	g->sc.th = 32;
	g->sc.samples = 1;
	g->sc.clear[0] = 0.25f;
	g->sc.clear[1] = 0.5f;
	g->sc.clear[2] = 0.75f;
	g->sc.clear[3] = 1.0f;
	g->sc.verts = v;
	g->sc.nverts = 3;
	g->sc.prim = AGX_PRIMITIVE_TRIANGLES;
	g->sc.shade = smooth ? AGX_SHADE_MODEL_LINEAR : AGX_SHADE_MODEL_FLAT_VERTEX_0;
	if (scissor) {
		/* Cuts the triangle (x 7..72, y 3..58) on all four sides. */
		g->sc.scissor = true;
		g->sc.sc[0] = 16;
		g->sc.sc[1] = 8;
		g->sc.sc[2] = 48;
		g->sc.sc[3] = 40;
	}
	fx_build_scene(&g->f, &g->sc);
	g->used_B = g->f.next - FX_BASE;
	g->snap = malloc(g->used_B);
	AGX_REQUIRE(g->snap, "oom");
	memcpy(g->snap, g->f.mem, g->used_B);

	/* The direct path's result on the same memory. */
	struct agxsim_render_result res;
	struct agxsim_fault fault;
	AGX_REQUIRE(agxsim_render_pass(&g->f.env, &g->sc.cmd, &fault, &res) == 0,
		    "direct pass: %s", res.msg);
	g->want = malloc(W * H * 4);
	AGX_REQUIRE(g->want, "oom");
	for (unsigned y = 0; y < H; y++)
		for (unsigned x = 0; x < W; x++)
			g->want[y * W + x] = fx_pixel(&g->f, &g->sc, x, y);
}

static void build_scene(struct rig *g, bool smooth)
{
	build_scene_ex(g, smooth, false);
}

static void rig_fini(struct rig *g)
{
	free(g->snap);
	free(g->want);
	fx_fini(&g->f);
}

static unsigned drain(struct mk *k, uint32_t *firing0, unsigned *non_flag)
{
	uint8_t m[0x40];
	unsigned n = 0;

	*firing0 = 0;
	*non_flag = 0;
	while (mk_next_event(k, m)) {
		n++;
		if (agxfw_get(k->l, m, AGXFW_F_EventMsg__tag) == 1)
			*firing0 |= (uint32_t)agxfw_get_idx(k->l, m, AGXFW_F_EventFlagMsg__firing, 0);
		else
			(*non_flag)++;
	}
	return n;
}

/* Fill the vertex and fragment commands' job parameters from the pass. */
static void fill_cmds(struct mk *k, const struct fx_scene *sc, uint64_t vcmd, uint64_t fcmd,
		      uint64_t tilemap)
{
	const struct agxfw_layout *l = k->l;
	const struct drm_asahi_cmd_render *r = &sc->cmd;
	uint8_t *v = mk_ptr(k, vcmd), *f = mk_ptr(k, fcmd);

	agxfw_set(l, f, AGXFW_F_RunFragment__samples, r->samples);
	agxfw_set(l, f, AGXFW_F_RunFragment__process_empty_tiles,
		  !!(r->flags & DRM_ASAHI_RENDER_PROCESS_EMPTY_TILES));
	if (l->gen == AGXFW_GEN_G14X) {
		/* The same pass registers in the RegisterArrays (hooks.c). */
		mk_set_reg(k, vcmd, 0x10139, r->ppp_multisamplectl);
		mk_set_reg(k, vcmd, 0x10121, r->ppp_ctrl);
		mk_set_reg(k, vcmd, 0x10129, (r->width_px - 1u) | (r->height_px - 1u) << 16);
		mk_set_reg(k, vcmd, 0x1c039, tilemap);
		mk_set_reg(k, fcmd, 0x16429, tilemap);
		mk_set_reg(k, fcmd, 0x10019, r->ppp_multisamplectl);
		mk_set_reg(k, fcmd, 0x15109, r->isp_scissor_base);
		mk_set_reg(k, fcmd, 0x15101, r->isp_dbias_base);
		mk_set_reg(k, fcmd, 0x15319, r->zls_ctrl);
		mk_set_reg(k, fcmd, 0x15321, r->isp_zls_pixels);
		mk_set_reg(k, fcmd, 0x15329, r->depth.base);
		mk_set_reg(k, fcmd, 0x15401, r->depth.stride);
		mk_set_reg(k, fcmd, 0x15369, r->bg.rsrc_spec);
		mk_set_reg(k, fcmd, 0x15371, r->bg.usc);
		mk_set_reg(k, fcmd, 0x15211, r->width_px | (uint64_t)r->height_px << 32);
		mk_set_reg(k, fcmd, 0x15379, r->eot.rsrc_spec);
		mk_set_reg(k, fcmd, 0x15381, r->eot.usc);
		mk_set_reg(k, fcmd, 0x15301, r->isp_bgobjdepth);
		mk_set_reg(k, fcmd, 0x15309, r->isp_bgobjvals);
		return;
	}
	agxfw_set(l, v, AGXFW_F_RunVertex__job_params1__ppp_multisamplectl, r->ppp_multisamplectl);
	agxfw_set(l, v, AGXFW_F_RunVertex__job_params1__tvb_tilemap, tilemap);
	agxfw_set(l, v, AGXFW_F_RunVertex__tiling_params__ppp_ctrl, r->ppp_ctrl);
	agxfw_set(l, v, AGXFW_F_RunVertex__tiling_params__x_max, r->width_px - 1u);
	agxfw_set(l, v, AGXFW_F_RunVertex__tiling_params__y_max, r->height_px - 1u);

	agxfw_set(l, f, AGXFW_F_RunFragment__job_params1__tvb_tilemap, tilemap);
	agxfw_set(l, f, AGXFW_F_RunFragment__job_params1__ppp_multisamplectl,
		  r->ppp_multisamplectl);
	agxfw_set(l, f, AGXFW_F_RunFragment__job_params1__scissor_array, r->isp_scissor_base);
	agxfw_set(l, f, AGXFW_F_RunFragment__job_params1__depth_bias_array, r->isp_dbias_base);
	agxfw_set(l, f, AGXFW_F_RunFragment__job_params1__zls_ctrl, r->zls_ctrl);
	agxfw_set(l, f, AGXFW_F_RunFragment__job_params1__depth_dimensions, r->isp_zls_pixels);
	agxfw_set(l, f, AGXFW_F_RunFragment__job_params1__depth_buffer_ptr1, r->depth.base);
	agxfw_set(l, f, AGXFW_F_RunFragment__job_params1__depth_buffer_stride1, r->depth.stride);
	agxfw_set(l, f, AGXFW_F_RunFragment__job_params1__clear_pipeline__address, r->bg.usc);
	agxfw_set(l, f, AGXFW_F_RunFragment__job_params1__clear_pipeline__pipeline_bind,
		  r->bg.rsrc_spec);
	agxfw_set(l, f, AGXFW_F_RunFragment__job_params1__aux_fb_info__width, r->width_px);
	agxfw_set(l, f, AGXFW_F_RunFragment__job_params1__aux_fb_info__height, r->height_px);
	agxfw_set(l, f, AGXFW_F_RunFragment__job_params2__store_pipeline_addr, r->eot.usc);
	agxfw_set(l, f, AGXFW_F_RunFragment__job_params2__store_pipeline_bind, r->eot.rsrc_spec);
	agxfw_set(l, f, AGXFW_F_RunFragment__job_params2__isp_bgobjdepth, r->isp_bgobjdepth);
	agxfw_set(l, f, AGXFW_F_RunFragment__job_params2__isp_bgobjvals, r->isp_bgobjvals);
}

struct fw_run {
	struct mk k;
	struct mk_queue vq, fq;
	struct agxsim_gpu gpu;
	uint8_t *mem;           /* host view of the scene's memory in the VM */
	uint32_t vv, fv, firing;
	unsigned events, non_flag;
};

/* Submit vertex then fragment (barrier on the vertex stamp), run. */
typedef void (*tweak_fn)(struct mk *k, uint64_t vcmd, uint64_t fcmd);

static void run_fw_tweaked(struct fw_run *x, const struct df_combo *c, struct rig *g,
			   bool fragment_only, tweak_fn tweak)
{
	struct agxsim_gpu_hooks h;

	AGX_REQUIRE(mk_init(&x->k, c) == 0, "mk_init");
	AGX_REQUIRE(mk_bringup(&x->k) == 0, "bring-up");
	agxsim_gpu_init(&x->gpu, NULL);
	agxsim_gpu_fill_hooks(&x->gpu, &h);
	agxsim_device_set_gpu_hooks(x->k.f.dev, &h);
	x->mem = mk_map_user(&x->k, FX_BASE, g->used_B);
	AGX_REQUIRE(x->mem, "map %llu B at the fixture's base", (unsigned long long)g->used_B);
	memcpy(x->mem, g->snap, g->used_B);

	uint64_t tilemap = mk_alloc(&x->k, MK_USER, 0x4000);
	mk_queue_init(&x->k, &x->vq, 0, 1, 20);
	mk_queue_init(&x->k, &x->fq, 1, 1, 21);
	x->fq.notifier_va = x->vq.notifier_va;
	x->fq.threshold_va = x->vq.threshold_va;
	uint64_t vcmd = mk_build_render(&x->k, &x->vq, true, g->sc.cmd.vdm_ctrl_stream_base,
					g->f.env.usc_exec_base, 0x61, &x->vv);
	uint64_t fcmd = mk_build_render(&x->k, &x->fq, false, 0, g->f.env.usc_exec_base, 0x62,
					&x->fv);
	fill_cmds(&x->k, &g->sc, vcmd, fcmd, tilemap);
	if (tweak)
		tweak(&x->k, vcmd, fcmd);
	if (!fragment_only) {
		mk_submit(&x->k, &x->fq, mk_build_barrier(&x->k, x->vq.fw_stamp_va, x->vv,
							  x->vq.event_slot), 0);
		mk_submit(&x->k, &x->fq, fcmd, 0);
		mk_submit(&x->k, &x->vq, vcmd, 2);
	} else {
		mk_submit(&x->k, &x->fq, fcmd, 1);
	}
	df_run(&x->k.f);
	x->events = drain(&x->k, &x->firing, &x->non_flag);
}

static void run_fw(struct fw_run *x, const struct df_combo *c, struct rig *g, bool fragment_only)
{
	run_fw_tweaked(x, c, g, fragment_only, NULL);
}

static void fw_fini(struct fw_run *x)
{
	agxsim_gpu_fini(&x->gpu);
	mk_fini(&x->k);
}

static void check_render_ex(bool smooth, bool scissor)
{
	/* All five combinations: job parameters in structures (G13/G14G) or
	 * in RegisterArrays (G14X, ASSUMPTIONS G12). */
	for (unsigned i = 0; i < 5; i++) {
		const struct df_combo *c = &df_combos[i];
		struct rig g;
		struct fw_run x;

		build_scene_ex(&g, smooth, scissor);
		run_fw(&x, c, &g, false);
		AGX_CHECK_EQ(mk_rd32(&x.k, x.vq.stamp_va), x.vv);
		AGX_CHECK_EQ(mk_rd32(&x.k, x.fq.stamp_va), x.fv);
		AGX_CHECK(x.events == 1 && x.non_flag == 0 && x.firing == (1u << 20 | 1u << 21),
			  "%s: %u events (%u not Flag), firing %x", c->name, x.events, x.non_flag,
			  x.firing);
		AGX_CHECK(x.gpu.last_error.code == 0, "%s: %s", c->name, x.gpu.last_error.msg);

		/* The image, read from the VM's memory. */
		memcpy(g.f.mem, x.mem, g.used_B);
		unsigned bad = 0, clear = 0;
		for (unsigned y = 0; y < H; y++)
			for (unsigned px = 0; px < W; px++) {
				uint32_t got = fx_pixel(&g.f, &g.sc, px, y);
				bad += got != g.want[y * W + px];
				clear += got == g.want[0];
			}
		AGX_CHECK(bad == 0, "%s: %u of %u pixels differ from the direct path", c->name,
			  bad, W * H);
		/* Both the clear colour and the triangle are there. */
		AGX_CHECK(g.want[0] == 0xffbf8040u, "clear colour 0x%08x", g.want[0]);
		AGX_CHECK(clear > 0 && clear < W * H - 200, "%s: %u clear pixels", c->name, clear);
		if (scissor) {
			/* Nothing drawn outside the scissor box. (Tiles from x 64
			 * hold no primitive and are skipped, not cleared: no
			 * PROCESS_EMPTY_TILES.) */
			unsigned out = 0;

			for (unsigned y = 0; y < H; y++)
				for (unsigned px = 0; px < 64; px++)
					if (px < 16 || px >= 48 || y < 8 || y >= 40)
						out += fx_pixel(&g.f, &g.sc, px, y) != g.want[0];
			AGX_CHECK(out == 0, "%s: %u pixels outside the scissor", c->name, out);
		}
		fw_fini(&x);
		rig_fini(&g);
	}
}

static void check_render(bool smooth)
{
	check_render_ex(smooth, false);
}

AGX_TEST(clear_triangle_flat_through_firmware)
{
	check_render(false);
}

/*
 * The scissor array comes with the fragment job only: the vertex job bins
 * the scissored triangle unclamped, the fragment job clamps it (R22).
 */
AGX_TEST(scissored_triangle_through_firmware)
{
	check_render_ex(true, true);
}

AGX_TEST(clear_triangle_smooth_through_firmware)
{
	check_render(true);
}

AGX_TEST(fragment_without_scene_is_an_error)
{
	struct rig g;
	struct fw_run x;

	build_scene(&g, false);
	run_fw(&x, &df_combos[0], &g, true);
	AGX_CHECK(mk_rd32(&x.k, x.fq.stamp_va) != x.fv, "no completion stamp");
	AGX_CHECK(x.non_flag >= 1, "a non-Flag event (%u events)", x.events);
	AGX_CHECK_EQ(x.gpu.last_error.code, -EPROTO);
	AGX_CHECK(strstr(x.gpu.last_error.msg, "no scene") != NULL, "%s", x.gpu.last_error.msg);
	fw_fini(&x);
	rig_fini(&g);
}

AGX_TEST(malformed_vdm_stream_through_firmware)
{
	struct rig g;
	struct fw_run x;
	uint32_t bad_word = 7u << 29;

	build_scene(&g, false);
	memcpy(g.snap + (g.sc.vdm - FX_BASE), &bad_word, 4);
	run_fw(&x, &df_combos[1], &g, false);
	AGX_CHECK(mk_rd32(&x.k, x.vq.stamp_va) != x.vv, "no vertex completion stamp");
	AGX_CHECK(x.non_flag >= 1, "a non-Flag event (%u events)", x.events);
	AGX_CHECK(strstr(x.gpu.last_error.msg, "block type 7") != NULL, "%s",
		  x.gpu.last_error.msg);
	fw_fini(&x);
	rig_fini(&g);
}

/* G14X: a RegisterArray without the framebuffer size, or none at all. */
static void tweak_g14x_no_fb_size(struct mk *k, uint64_t vcmd, uint64_t fcmd)
{
	(void)vcmd;
	mk_set_reg(k, fcmd, 0x15211, 0);
}

static void tweak_g14x_no_vertex_regs(struct mk *k, uint64_t vcmd, uint64_t fcmd)
{
	(void)fcmd;
	agxfw_set(k->l, mk_ptr(k, vcmd), AGXFW_F_RunVertex__registers__count, 0);
}

AGX_TEST(g14x_missing_registers_are_errors)
{
	struct rig g;
	struct fw_run x;

	build_scene(&g, false);
	run_fw_tweaked(&x, &df_combos[4], &g, false, tweak_g14x_no_fb_size);
	AGX_CHECK_EQ(mk_rd32(&x.k, x.vq.stamp_va), x.vv);
	AGX_CHECK(mk_rd32(&x.k, x.fq.stamp_va) != x.fv, "no fragment completion stamp");
	AGX_CHECK(x.non_flag >= 1, "a non-Flag event (%u events)", x.events);
	AGX_CHECK(x.gpu.last_error.code != 0 && x.gpu.last_error.msg[0], "message: %s",
		  x.gpu.last_error.msg);
	fw_fini(&x);

	run_fw_tweaked(&x, &df_combos[4], &g, false, tweak_g14x_no_vertex_regs);
	AGX_CHECK(mk_rd32(&x.k, x.vq.stamp_va) != x.vv, "no vertex completion stamp");
	AGX_CHECK(x.non_flag >= 1, "a non-Flag event (%u events)", x.events);
	AGX_CHECK(strstr(x.gpu.last_error.msg, "RegisterArray") != NULL, "%s",
		  x.gpu.last_error.msg);
	fw_fini(&x);
	rig_fini(&g);
}

/* Garbage in the job parameters: never a crash, either a rendered pass or
 * an error event with a message. */
static uint32_t tweak_seed;

static void tweak_random(struct mk *k, uint64_t vcmd, uint64_t fcmd)
{
	static const enum agxfw_field_id fields[] = {
		AGXFW_F_RunVertex__tiling_params__x_max,
		AGXFW_F_RunVertex__tiling_params__y_max,
		AGXFW_F_RunVertex__tiling_params__ppp_ctrl,
		AGXFW_F_RunVertex__job_params1__ppp_multisamplectl,
		AGXFW_F_RunFragment__samples,
		AGXFW_F_RunFragment__job_params1__aux_fb_info__width,
		AGXFW_F_RunFragment__job_params1__aux_fb_info__height,
		AGXFW_F_RunFragment__job_params1__zls_ctrl,
		AGXFW_F_RunFragment__job_params1__clear_pipeline__address,
		AGXFW_F_RunFragment__job_params1__clear_pipeline__pipeline_bind,
		AGXFW_F_RunFragment__job_params2__store_pipeline_addr,
		AGXFW_F_RunFragment__job_params1__depth_dimensions,
		AGXFW_F_RunFragment__job_params1__ppp_multisamplectl,
	};
	const unsigned nf = sizeof(fields) / sizeof(fields[0]);
	tweak_seed = tweak_seed * 1103515245u + 12345u;
	unsigned i = (tweak_seed >> 8) % nf;
	tweak_seed = tweak_seed * 1103515245u + 12345u;
	uint64_t val = tweak_seed >> 4;
	if (tweak_seed & 1)
		val &= 0xff;
	agxfw_set(k->l, i < 4 ? mk_ptr(k, vcmd) : mk_ptr(k, fcmd), fields[i], val);
}

AGX_TEST(corrupted_job_parameters_never_crash)
{
	unsigned ok = 0, failed = 0;
	tweak_seed = 0x5eed;
	for (unsigned it = 0; it < 40; it++) {
		struct rig g;
		struct fw_run x;
		build_scene(&g, it & 1);
		run_fw_tweaked(&x, &df_combos[it % 4], &g, false, tweak_random);
		if (x.gpu.last_error.code == 0 && x.non_flag == 0)
			ok++;
		else if (x.gpu.last_error.code != 0 && x.gpu.last_error.msg[0] && x.non_flag >= 1)
			failed++;
		fw_fini(&x);
		rig_fini(&g);
	}
	AGX_CHECK(ok + failed == 40, "%u rendered, %u failed with a message, of 40", ok, failed);
	AGX_CHECK(failed > 0, "no corruption was detected");
}

/*
 * The buffer manager with the real render path: a 384x384 pass covered by
 * two triangles bins into 144 tiles, 5 TVB pages by the usage model
 * (ASSUMPTIONS.md FW20); with a one-block (4-page) TVB the vertex job posts
 * GrowTVB, the kernel grows by a block and acks, and the pass completes
 * with the same image as the direct path.
 */
AGX_TEST(tvb_overflow_grows_and_renders)
{
	enum { BW = 384, BH = 384 };
	static float v[6 * 8];
	static const float pos[6][2] = { { -1, -1 }, { 1, -1 }, { -1, 1 },
					 { 1, -1 }, { 1, 1 }, { -1, 1 } };
	struct fx f;
	struct fx_scene sc;
	struct fw_run x;
	struct agxsim_gpu_hooks h;

	for (unsigned i = 0; i < 6; i++) {
		float *o = v + 8 * i;
		o[0] = pos[i][0]; o[1] = pos[i][1]; o[2] = 0.5f; o[3] = 1;
		o[4] = (float)i / 6; o[5] = 1 - (float)i / 6; o[6] = 0.25f; o[7] = 1;
	}
	fx_init(&f);
	memset(&sc, 0, sizeof(sc));
	sc.width = BW;
	sc.height = BH;
	sc.tw = 32;
	sc.th = 32;
	sc.samples = 1;
	sc.clear[3] = 1.0f;
	sc.verts = v;
	sc.nverts = 6;
	sc.prim = AGX_PRIMITIVE_TRIANGLES;
	sc.shade = AGX_SHADE_MODEL_LINEAR;
	fx_build_scene(&f, &sc);
	uint64_t used_B = f.next - FX_BASE;
	uint8_t *snap = malloc(used_B);
	uint32_t *want = malloc(BW * BH * 4);
	AGX_REQUIRE(snap && want, "oom");
	memcpy(snap, f.mem, used_B);
	struct agxsim_render_result res;
	struct agxsim_fault fault;
	AGX_REQUIRE(agxsim_render_pass(&f.env, &sc.cmd, &fault, &res) == 0, "direct: %s",
		    res.msg);
	for (unsigned y = 0; y < BH; y++)
		for (unsigned px = 0; px < BW; px++)
			want[y * BW + px] = fx_pixel(&f, &sc, px, y);

	memset(&x, 0, sizeof(x));
	AGX_REQUIRE(mk_init(&x.k, &df_combos[2]) == 0, "mk_init");
	AGX_REQUIRE(mk_bringup(&x.k) == 0, "bring-up");
	agxsim_gpu_init(&x.gpu, NULL);
	agxsim_gpu_fill_hooks(&x.gpu, &h);
	agxsim_device_set_gpu_hooks(x.k.f.dev, &h);
	x.mem = mk_map_user(&x.k, FX_BASE, used_B);
	AGX_REQUIRE(x.mem, "map");
	memcpy(x.mem, snap, used_B);
	AGX_REQUIRE(mk_tvb_init(&x.k, 9, 1) == 0, "TVB");
	uint64_t tilemap = mk_alloc(&x.k, MK_USER, 0x4000);
	mk_queue_init(&x.k, &x.vq, 0, 1, 20);
	mk_queue_init(&x.k, &x.fq, 1, 1, 21);
	x.fq.notifier_va = x.vq.notifier_va;
	x.fq.threshold_va = x.vq.threshold_va;
	uint64_t vcmd = mk_build_render(&x.k, &x.vq, true, sc.cmd.vdm_ctrl_stream_base,
					f.env.usc_exec_base, 0x71, &x.vv);
	uint64_t scene = x.k.cur_scene;
	uint64_t fcmd = mk_build_render(&x.k, &x.fq, false, 0, f.env.usc_exec_base, 0x72, &x.fv);
	fill_cmds(&x.k, &sc, vcmd, fcmd, tilemap);
	mk_submit(&x.k, &x.fq, mk_build_barrier(&x.k, x.vq.fw_stamp_va, x.vv, x.vq.event_slot), 0);
	mk_submit(&x.k, &x.fq, fcmd, 0);
	mk_submit(&x.k, &x.vq, vcmd, 2);
	df_run(&x.k.f);

	uint8_t ev[0x40];
	AGX_REQUIRE(mk_next_event(&x.k, ev), "an event");
	AGX_CHECK_EQ(agxfw_get(x.k.l, ev, AGXFW_F_EventMsg__tag), 7);   /* GrowTVB */
	AGX_CHECK_EQ(agxfw_get(x.k.l, ev, AGXFW_F_EventGrowTVBMsg__buffer_slot), 9);
	uint8_t more[0x40];
	AGX_CHECK(!mk_next_event(&x.k, more), "only GrowTVB while the job waits");
	AGX_CHECK_EQ(mk_rd32(&x.k, x.fq.stamp_va), 0);
	mk_ack_grow_tvb(&x.k, ev, 1);
	df_run(&x.k.f);
	x.events = drain(&x.k, &x.firing, &x.non_flag);
	AGX_CHECK(x.events == 1 && x.non_flag == 0 && x.firing == (1u << 20 | 1u << 21),
		  "%u events (%u not Flag), firing %x", x.events, x.non_flag, x.firing);
	AGX_CHECK_EQ(mk_rd32(&x.k, x.fq.stamp_va), x.fv);
	AGX_CHECK(x.gpu.last_error.code == 0, "%s", x.gpu.last_error.msg);
	uint32_t pass = mk_rd32(&x.k, scene + agxfw_offsetof(x.k.l, AGXFW_F_Scene__pass_page_count));
	AGX_CHECK_EQ(pass, 5);
	AGX_CHECK_EQ(mk_rd32(&x.k, scene + agxfw_offsetof(x.k.l, AGXFW_F_Scene__total_page_count)),
		     5);

	memcpy(f.mem, x.mem, used_B);
	unsigned bad = 0;
	for (unsigned y = 0; y < BH; y++)
		for (unsigned px = 0; px < BW; px++)
			bad += fx_pixel(&f, &sc, px, y) != want[y * BW + px];
	AGX_CHECK(bad == 0, "%u of %u pixels differ from the direct path", bad, BW * BH);
	fw_fini(&x);
	free(snap);
	free(want);
	fx_fini(&f);
}

AGX_TEST_MAIN()
