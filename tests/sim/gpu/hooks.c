/* SPDX-License-Identifier: MIT */
/*
 * hooks.c - the GPU model behind the firmware model's GPU hooks
 * (agxsim/gpu_hooks.h): run_compute walks the job's CDM stream with
 * agxsim_gpu_run_cdm(); with the render path built, run_vertex runs the
 * geometry phase of a RunVertex and keeps the binned scene, run_fragment
 * runs the tile phase of that scene (agxsim/render.h).
 *
 * The render path takes its per-pass registers as a
 * struct drm_asahi_cmd_render; here they are gathered from the firmware
 * structures the command names (read as the firmware agent, context 0):
 *   RunVertex:  VDM stream and USC base from the job, ppp_multisamplectl
 *               from VertexJobParameters1, ppp_ctrl and x_max/y_max
 *               (width - 1, height - 1) from TilingParameters;
 *   RunFragment: FragmentJobParameters1 (USC base, ppp_multisamplectl,
 *               scissor / depth-bias arrays, visibility buffer, ZLS
 *               control, depth/stencil pointers and strides,
 *               depth_dimensions = ISP_ZLS_PIXELS, background = "clear"
 *               pipeline {address, bind}, AuxFBInfo width/height),
 *               FragmentJobParameters2 (end-of-tile = "store" pipeline,
 *               ISP_BGOBJDEPTH/VALS, merge_upper_x/y), RunFragment
 *               (samples, process_empty_tiles); the tile size and bytes
 *               per sample come from the end-of-tile pipeline's USC
 *               Shared word.
 * ASSUMPTIONS.md R17/R18 list what of this is guessed.
 */
#include <errno.h>
#include <string.h>

#include "agxsim/gpu.h"
#include "agxsim/gpu_hooks.h"
#ifdef AGXSIM_HAVE_RENDER
#include <stdlib.h>

#include "agx_pack.h"
#include "agxfw/agxfw_access.h"
#include "agxsim/render.h"
#include "agxsim/usc.h"
#include "drm/asahi_drm.h"
#endif
#include "agxsim/mmu_fault.h"
#include "agxsim/uat.h"

static int run_compute(void *ctx, const struct agxsim_compute_job *cj,
		       struct agxsim_fault *fault)
{
	struct agxsim_gpu *gpu = ctx;
	struct agxsim_uat_port sport;
	struct agxsim_mem_if smem;
	struct agxsim_gpu_job job;

	memset(&job, 0, sizeof(job));
	job.mem = cj->c.mem;
	job.vm_slot = cj->c.vm_slot;
	if (cj->c.uat) {
		/* Shader loads/stores and instruction fetch: the USC's unit. */
		agxsim_uat_port_init(&sport, &smem, cj->c.uat, cj->c.vm_slot,
				     AGXSIM_UNIT_UL1C, AGXSIM_AGENT_GPU);
		job.shader_mem = &smem;
	}
	job.usc_exec_base = cj->usc_exec_base;
	job.helper_program = cj->helper_program;
	job.helper_arg = cj->helper_arg;
	job.helper_cfg = cj->helper_cfg;
#ifdef AGXSIM_HAVE_RENDER
	job.texture = agxsim_render_texture;
#endif
	if (!cj->cdm_ctrl_base) {
		/* G14X passes the stream base in its register array; which
		 * register is not modelled yet (ASSUMPTIONS G10). */
		agxsim_gpu_error_set(&gpu->last_error, -EPROTO, 0,
				     "compute job without a CDM stream base");
		agxsim_gpu_error_to_fault(gpu, &job, fault);
		return -EPROTO;
	}
	return agxsim_gpu_run_cdm(gpu, &job, cj->cdm_ctrl_base, cj->cdm_ctrl_end, fault);
}

#ifdef AGXSIM_HAVE_RENDER
/* Read a firmware structure (kernel VA, context 0) as the firmware. */
static int fw_struct(const struct agxsim_gpu_job_common *c, uint64_t va,
		     enum agxfw_struct_id id, uint8_t **out)
{
	uint32_t sz = agxfw_sizeof(c->layout, id);
	struct agxsim_fault f;

	*out = NULL;
	if (!va || !sz || !c->uat)
		return -EPROTO;
	*out = calloc(1, sz);
	if (!*out)
		return -ENOMEM;
	if (agxsim_uat_read(c->uat, 0, va, *out, sz, AGXSIM_AGENT_FW, 0, &f)) {
		free(*out);
		*out = NULL;
		return -EPROTO;
	}
	return 0;
}

/* Samples = sample positions present in PPP_MULTISAMPLECTL (R18). */
static unsigned msctl_samples(uint64_t msctl)
{
	return msctl >> 16 ? 4 : msctl >> 8 ? 2 : 1;
}

static int render_error(struct agxsim_gpu *gpu, const struct agxsim_gpu_job *job,
			struct agxsim_fault *fault, int r, const struct agxsim_fault *f,
			const char *what, const char *msg)
{
	if (r == -EINVAL)
		r = -EPROTO;
	agxsim_gpu_error_set(&gpu->last_error, r, f ? f->va : 0, "%s: %s", what, msg);
	if (r == -EFAULT && f)
		gpu->last_error.fault = *f;
	agxsim_gpu_error_to_fault(gpu, job, fault);
	return r;
}

static struct agxsim_gpu_scene *find_scene(struct agxsim_gpu *gpu, uint32_t slot,
					   uint64_t tilemap)
{
	for (unsigned i = 0; i < AGXSIM_GPU_MAX_SCENES; i++)
		if (gpu->scenes[i].scene && gpu->scenes[i].vm_slot == slot &&
		    gpu->scenes[i].tvb_tilemap == tilemap)
			return &gpu->scenes[i];
	return NULL;
}

static void job_ports(const struct agxsim_gpu_job_common *c, struct agxsim_uat_port *sport,
		      struct agxsim_mem_if *smem, struct agxsim_gpu_job *job,
		      uint64_t usc_exec_base)
{
	memset(job, 0, sizeof(*job));
	job->mem = c->mem;
	job->vm_slot = c->vm_slot;
	job->usc_exec_base = usc_exec_base;
	if (c->uat) {
		agxsim_uat_port_init(sport, smem, c->uat, c->vm_slot, AGXSIM_UNIT_UL1C,
				     AGXSIM_AGENT_GPU);
		job->shader_mem = smem;
	}
}

static void render_env(const struct agxsim_gpu *gpu, const struct agxsim_gpu_job *job,
		       struct agxsim_render_env *env)
{
	memset(env, 0, sizeof(*env));
	env->mem = job->mem;
	env->shader_mem = job->shader_mem;
	env->usc_exec_base = job->usc_exec_base;
	env->trace = (gpu->trace_flags & AGXSIM_GPU_TRACE_STREAM) ? gpu->trace : NULL;
}

/* A G14X RegisterArray value (0 when the command does not carry it). */
static uint64_t reg(const struct agxsim_gpu_job_common *c, uint32_t number)
{
	for (uint32_t i = 0; i < c->reg_count; i++)
		if (c->regs[i].number == number)
			return c->regs[i].value;
	return 0;
}

/*
 * G14X register numbers of the render pass (the Rust driver's RegisterArray
 * lists in queue/render.rs, with the names its comments give; ASSUMPTIONS
 * G12).
 */
#define RV_PPP_CTRL            0x10121u
#define RV_PPP_SCREEN          0x10129u  /* x_max | y_max << 16 */
#define RV_PPP_MULTISAMPLECTL  0x10139u
#define RF_PPP_MULTISAMPLECTL  0x10019u
#define RF_ISP_DBIAS_BASE      0x15101u
#define RF_ISP_SCISSOR_BASE    0x15109u
#define RF_MERGE_UPPER_X       0x15131u
#define RF_MERGE_UPPER_Y       0x15139u
#define RF_FB_SIZE             0x15211u  /* width | height << 32 */
#define RF_ISP_BGOBJDEPTH      0x15301u
#define RF_ISP_BGOBJVALS       0x15309u
#define RF_ISP_OCLQRY_BASE     0x15311u
#define RF_ISP_ZLSCTL          0x15319u
#define RF_ISP_ZLS_PIXELS      0x15321u
#define RF_ZLOAD_BASE          0x15329u
#define RF_STENCIL_LOAD_BASE   0x15339u
#define RF_BG_BIND             0x15369u  /* "load" (background) pipeline */
#define RF_BG_ADDR             0x15371u
#define RF_EOT_BIND            0x15379u  /* "store" (end-of-tile) pipeline */
#define RF_EOT_ADDR            0x15381u
#define RF_DEPTH_META_LOAD     0x153c1u
#define RF_STENCIL_META_LOAD   0x153d1u
#define RF_ZLOAD_STRIDE        0x15401u
#define RF_STENCIL_LOAD_STRIDE 0x15409u
#define RF_DEPTH_META_STRIDE   0x15411u
#define RF_STENCIL_META_STRIDE 0x15419u

static int run_vertex(void *ctx, const struct agxsim_vertex_job *vj, struct agxsim_fault *fault)
{
	struct agxsim_gpu *gpu = ctx;
	const struct agxfw_layout *l = vj->c.layout;
	struct agxsim_uat_port sport;
	struct agxsim_mem_if smem;
	struct agxsim_gpu_job job;
	struct drm_asahi_cmd_render cmd;
	uint8_t *p1 = NULL, *tp = NULL;
	char msg[160];
	int r;

	job_ports(&vj->c, &sport, &smem, &job, vj->usc_exec_base);
	memset(&cmd, 0, sizeof(cmd));
	if (!l || (!vj->job_params1_va && !vj->c.reg_count)) {
		snprintf(msg, sizeof(msg), "neither VertexJobParameters1 nor a RegisterArray");
		return render_error(gpu, &job, fault, -EPROTO, NULL, "RunVertex", msg);
	}
	if (!vj->tvb_tilemap) {
		snprintf(msg, sizeof(msg), "no TVB tile map");
		return render_error(gpu, &job, fault, -EPROTO, NULL, "RunVertex", msg);
	}
	if (!vj->job_params1_va) {
		/* G14X: the pass registers come from the RegisterArray. */
		uint64_t screen = reg(&vj->c, RV_PPP_SCREEN);

		cmd.vdm_ctrl_stream_base = vj->vdm_ctrl_base;
		cmd.ppp_multisamplectl = reg(&vj->c, RV_PPP_MULTISAMPLECTL);
		cmd.ppp_ctrl = (uint32_t)reg(&vj->c, RV_PPP_CTRL);
		cmd.width_px = (uint16_t)((screen & 0xffff) + 1);
		cmd.height_px = (uint16_t)(((screen >> 16) & 0xffff) + 1);
	} else if (fw_struct(&vj->c, vj->job_params1_va, AGXFW_S_VertexJobParameters1, &p1) ||
	    fw_struct(&vj->c, vj->tiling_params_va, AGXFW_S_TilingParameters, &tp)) {
		free(p1);
		snprintf(msg, sizeof(msg), "job parameters unreadable");
		return render_error(gpu, &job, fault, -EPROTO, NULL, "RunVertex", msg);
	} else {
		cmd.vdm_ctrl_stream_base = vj->vdm_ctrl_base;
		cmd.ppp_multisamplectl = agxfw_get(l, p1,
						   AGXFW_F_VertexJobParameters1__ppp_multisamplectl);
		cmd.ppp_ctrl = (uint32_t)agxfw_get(l, tp, AGXFW_F_TilingParameters__ppp_ctrl);
		cmd.width_px = (uint16_t)(agxfw_get(l, tp, AGXFW_F_TilingParameters__x_max) + 1);
		cmd.height_px = (uint16_t)(agxfw_get(l, tp, AGXFW_F_TilingParameters__y_max) + 1);
	}
	cmd.samples = (uint8_t)msctl_samples(cmd.ppp_multisamplectl);
	cmd.layers = 1;
	free(p1);
	free(tp);

	/* A new RunVertex on the same TVB replaces a scene never rendered. */
	struct agxsim_gpu_scene *slot = find_scene(gpu, vj->c.vm_slot, vj->tvb_tilemap);
	if (slot) {
		agxsim_render_scene_free(slot->scene);
		slot->scene = NULL;
	}
	for (unsigned i = 0; !slot && i < AGXSIM_GPU_MAX_SCENES; i++)
		if (!gpu->scenes[i].scene)
			slot = &gpu->scenes[i];
	if (!slot) {
		snprintf(msg, sizeof(msg), "more than %u scenes waiting for their fragment jobs",
			 AGXSIM_GPU_MAX_SCENES);
		return render_error(gpu, &job, fault, -EPROTO, NULL, "RunVertex", msg);
	}

	struct agxsim_render_env env;
	struct agxsim_render_result res;
	struct agxsim_fault f = { 0 };
	render_env(gpu, &job, &env);
	struct agxsim_render_scene *scene = NULL;
	r = agxsim_render_geometry(&env, &cmd, &f, &res, &scene);
	gpu->stats.stream_words += res.vdm_blocks;
	if (r)
		return render_error(gpu, &job, fault, r, &f, "RunVertex", res.msg);
	slot->vm_slot = vj->c.vm_slot;
	slot->tvb_tilemap = vj->tvb_tilemap;
	slot->scene = scene;
	if (vj->tvb_pages)
		*vj->tvb_pages = agxsim_render_scene_tvb_pages(scene);
	memset(&gpu->last_error, 0, sizeof(gpu->last_error));
	return 0;
}

static int run_fragment(void *ctx, const struct agxsim_fragment_job *fj,
			struct agxsim_fault *fault)
{
	struct agxsim_gpu *gpu = ctx;
	const struct agxfw_layout *l = fj->c.layout;
	struct agxsim_uat_port sport;
	struct agxsim_mem_if smem;
	struct agxsim_gpu_job job;
	struct drm_asahi_cmd_render cmd;
	uint8_t *p1 = NULL, *p2 = NULL, *rf = NULL;
	char msg[300];
	int r;

	job_ports(&fj->c, &sport, &smem, &job, fj->usc_exec_base);
	memset(&cmd, 0, sizeof(cmd));
	bool regs = !fj->job_params1_va && fj->c.reg_count;
	if (!l || (!regs && (!fj->job_params1_va || !fj->job_params2_va))) {
		snprintf(msg, sizeof(msg), "neither FragmentJobParameters nor a RegisterArray");
		return render_error(gpu, &job, fault, -EPROTO, NULL, "RunFragment", msg);
	}
	struct agxsim_gpu_scene *slot = find_scene(gpu, fj->c.vm_slot, fj->tvb_tilemap);
	if (!fj->tvb_tilemap || !slot) {
		snprintf(msg, sizeof(msg), "no scene was binned with TVB tile map 0x%llx in context %u",
			 (unsigned long long)fj->tvb_tilemap, fj->c.vm_slot);
		return render_error(gpu, &job, fault, -EPROTO, NULL, "RunFragment", msg);
	}
	if ((!regs &&
	     (fw_struct(&fj->c, fj->job_params1_va, AGXFW_S_FragmentJobParameters1, &p1) ||
	      fw_struct(&fj->c, fj->job_params2_va, AGXFW_S_FragmentJobParameters2, &p2))) ||
	    fw_struct(&fj->c, fj->c.cmd_va, AGXFW_S_RunFragment, &rf)) {
		free(p1);
		free(p2);
		snprintf(msg, sizeof(msg), "job parameters unreadable");
		return render_error(gpu, &job, fault, -EPROTO, NULL, "RunFragment", msg);
	}
	if (regs) {
		const struct agxsim_gpu_job_common *c = &fj->c;
		uint64_t fb = reg(c, RF_FB_SIZE);

		cmd.ppp_multisamplectl = reg(c, RF_PPP_MULTISAMPLECTL);
		cmd.isp_scissor_base = reg(c, RF_ISP_SCISSOR_BASE);
		cmd.isp_dbias_base = reg(c, RF_ISP_DBIAS_BASE);
		cmd.isp_oclqry_base = reg(c, RF_ISP_OCLQRY_BASE);
		cmd.zls_ctrl = reg(c, RF_ISP_ZLSCTL);
		cmd.isp_zls_pixels = (uint32_t)reg(c, RF_ISP_ZLS_PIXELS);
		cmd.depth.base = reg(c, RF_ZLOAD_BASE);
		cmd.depth.stride = (uint32_t)reg(c, RF_ZLOAD_STRIDE);
		cmd.depth.comp_base = reg(c, RF_DEPTH_META_LOAD);
		cmd.depth.comp_stride = (uint32_t)reg(c, RF_DEPTH_META_STRIDE);
		cmd.stencil.base = reg(c, RF_STENCIL_LOAD_BASE);
		cmd.stencil.stride = (uint32_t)reg(c, RF_STENCIL_LOAD_STRIDE);
		cmd.stencil.comp_base = reg(c, RF_STENCIL_META_LOAD);
		cmd.stencil.comp_stride = (uint32_t)reg(c, RF_STENCIL_META_STRIDE);
		cmd.bg.usc = (uint32_t)reg(c, RF_BG_ADDR);
		cmd.bg.rsrc_spec = (uint32_t)reg(c, RF_BG_BIND);
		cmd.width_px = (uint16_t)(fb & 0xffff);
		cmd.height_px = (uint16_t)((fb >> 32) & 0xffff);
		cmd.eot.usc = (uint32_t)reg(c, RF_EOT_ADDR);
		cmd.eot.rsrc_spec = (uint32_t)reg(c, RF_EOT_BIND);
		cmd.isp_bgobjdepth = (uint32_t)reg(c, RF_ISP_BGOBJDEPTH);
		cmd.isp_bgobjvals = (uint32_t)reg(c, RF_ISP_BGOBJVALS);
		cmd.isp_merge_upper_x = (uint32_t)reg(c, RF_MERGE_UPPER_X);
		cmd.isp_merge_upper_y = (uint32_t)reg(c, RF_MERGE_UPPER_Y);
	} else {
#define P1(f) agxfw_get(l, p1, AGXFW_F_FragmentJobParameters1__##f)
#define P2(f) agxfw_get(l, p2, AGXFW_F_FragmentJobParameters2__##f)
	cmd.ppp_multisamplectl = P1(ppp_multisamplectl);
	cmd.isp_scissor_base = P1(scissor_array);
	cmd.isp_dbias_base = P1(depth_bias_array);
	cmd.isp_oclqry_base = P1(visibility_result_buffer);
	cmd.zls_ctrl = P1(zls_ctrl);
	cmd.isp_zls_pixels = (uint32_t)P1(depth_dimensions);
	cmd.depth.base = P1(depth_buffer_ptr1);
	cmd.depth.stride = (uint32_t)P1(depth_buffer_stride1);
	cmd.depth.comp_base = P1(depth_meta_buffer_ptr1);
	cmd.depth.comp_stride = (uint32_t)P1(depth_meta_buffer_stride1);
	cmd.stencil.base = P1(stencil_buffer_ptr1);
	cmd.stencil.stride = (uint32_t)P1(stencil_buffer_stride1);
	cmd.stencil.comp_base = P1(stencil_meta_buffer_ptr1);
	cmd.stencil.comp_stride = (uint32_t)P1(stencil_meta_buffer_stride1);
	cmd.bg.usc = (uint32_t)P1(clear_pipeline__address);
	cmd.bg.rsrc_spec = (uint32_t)P1(clear_pipeline__pipeline_bind);
	cmd.width_px = (uint16_t)P1(aux_fb_info__width);
	cmd.height_px = (uint16_t)P1(aux_fb_info__height);
	cmd.eot.usc = (uint32_t)P2(store_pipeline_addr);
	cmd.eot.rsrc_spec = (uint32_t)P2(store_pipeline_bind);
	cmd.isp_bgobjdepth = (uint32_t)P2(isp_bgobjdepth);
	cmd.isp_bgobjvals = (uint32_t)P2(isp_bgobjvals);
	cmd.isp_merge_upper_x = (uint32_t)P2(merge_upper_x);
	cmd.isp_merge_upper_y = (uint32_t)P2(merge_upper_y);
#undef P1
#undef P2
	}
	cmd.samples = (uint8_t)agxfw_get(l, rf, AGXFW_F_RunFragment__samples);
	if (agxfw_get(l, rf, AGXFW_F_RunFragment__process_empty_tiles))
		cmd.flags |= DRM_ASAHI_RENDER_PROCESS_EMPTY_TILES;
	cmd.layers = 1;
	free(p1);
	free(p2);
	free(rf);

	/* Tile size and bytes per sample: the end-of-tile program's Shared
	 * word (its tile layout must match the pass anyway). */
	struct agxsim_usc_binding *eb = calloc(1, sizeof(*eb));
	struct agxsim_gpu_error err;
	if (!eb)
		return -ENOMEM;
	r = agxsim_usc_parse(job.mem, fj->usc_exec_base, cmd.eot.usc & ~0x3fu,
			     AGXSIM_USC_STAGE_FRAGMENT, NULL, eb, NULL, &err);
	if (!r && !eb->has_shared) {
		r = -EPROTO;
		snprintf(err.msg, sizeof(err.msg), "end-of-tile pipeline without a Shared word");
	}
	if (!r) {
		switch (eb->shared_layout) {
		case AGX_SHARED_LAYOUT_32X32: cmd.utile_width_px = 32; cmd.utile_height_px = 32; break;
		case AGX_SHARED_LAYOUT_32X16: cmd.utile_width_px = 32; cmd.utile_height_px = 16; break;
		case AGX_SHARED_LAYOUT_16X16: cmd.utile_width_px = 16; cmd.utile_height_px = 16; break;
		default:
			r = -EPROTO;
			snprintf(err.msg, sizeof(err.msg),
				 "end-of-tile pipeline's Shared word has no tile layout");
		}
		cmd.sample_size_B = (uint8_t)(eb->sample_stride_8B * 8);
	}
	free(eb);
	if (r) {
		snprintf(msg, sizeof(msg), "%s", err.msg);
		return render_error(gpu, &job, fault, r, r == -EFAULT ? &err.fault : NULL,
				    "RunFragment", msg);
	}

	struct agxsim_render_env env;
	struct agxsim_render_result res;
	struct agxsim_fault f = { 0 };
	render_env(gpu, &job, &env);
	r = agxsim_render_fragment(&env, &cmd, slot->scene, &f, &res);
	/* The scene is consumed either way (a partial render restarts from a
	 * new RunVertex in this model). */
	agxsim_render_scene_free(slot->scene);
	slot->scene = NULL;
	gpu->stats.simd_groups += res.fragment_groups;
	if (r)
		return render_error(gpu, &job, fault, r, &f, "RunFragment", res.msg);
	memset(&gpu->last_error, 0, sizeof(gpu->last_error));
	return 0;
}
#endif

void agxsim_gpu_fini(struct agxsim_gpu *gpu)
{
#ifdef AGXSIM_HAVE_RENDER
	for (unsigned i = 0; i < AGXSIM_GPU_MAX_SCENES; i++) {
		agxsim_render_scene_free(gpu->scenes[i].scene);
		gpu->scenes[i].scene = NULL;
	}
#else
	(void)gpu;
#endif
}

static const char *error_msg(void *ctx)
{
	struct agxsim_gpu *gpu = ctx;

	return gpu->last_error.msg;
}

void agxsim_gpu_fill_hooks(struct agxsim_gpu *gpu, struct agxsim_gpu_hooks *hooks)
{
	memset(hooks, 0, sizeof(*hooks));
	hooks->ctx = gpu;
	hooks->error_msg = error_msg;
	hooks->run_compute = run_compute;
#ifdef AGXSIM_HAVE_RENDER
	hooks->run_vertex = run_vertex;
	hooks->run_fragment = run_fragment;
#endif
}
