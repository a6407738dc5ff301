/* SPDX-License-Identifier: MIT */
/*
 * render.c - agxsim_render_pass(): checks the per-pass registers of a
 * DRM_ASAHI_CMD_RENDER, then runs the geometry phase (vdm.c) and the
 * per-tile phase (raster.c).
 */
#include <stdlib.h>
#include <string.h>

#include "render_internal.h"
#include "drm/asahi_drm.h"

int rp_fail(struct rp_pass *p, int err, const char *fmt, ...)
{
	/* Keep the first (innermost) message. */
	if (!p->res->msg[0]) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(p->res->msg, sizeof(p->res->msg), fmt, ap);
		va_end(ap);
		if (p->env->trace)
			fprintf(p->env->trace, "FAULT: %s\n", p->res->msg);
	}
	return err;
}

int rp_read(struct rp_pass *p, uint64_t va, void *dst, size_t len, const char *what)
{
	struct agxsim_fault f = { 0 };
	int r = agxsim_mem_read(p->env->mem, va, dst, len, &f);
	if (r) {
		*p->fault = f;
		return rp_fail(p, -EFAULT, "%s: read of %zu B at 0x%llx faulted (%d)", what, len,
			       (unsigned long long)va, r);
	}
	return 0;
}

int rp_write(struct rp_pass *p, uint64_t va, const void *src, size_t len, const char *what)
{
	struct agxsim_fault f = { 0 };
	int r = agxsim_mem_write(p->env->mem, va, src, len, &f);
	if (r) {
		*p->fault = f;
		return rp_fail(p, -EFAULT, "%s: write of %zu B at 0x%llx faulted (%d)", what, len,
			       (unsigned long long)va, r);
	}
	return 0;
}

/*
 * Check the per-pass registers and set the pass configuration. With
 * @tiles false (geometry only: a RunVertex), the tile-buffer configuration
 * (tile size, samples, sample size, ZLS) is not needed and not checked.
 */
static int rp_setup(struct rp_pass *p, const struct drm_asahi_cmd_render *cmd, bool tiles)
{
	const uint32_t known_flags = DRM_ASAHI_RENDER_VERTEX_SCRATCH |
				     DRM_ASAHI_RENDER_PROCESS_EMPTY_TILES |
				     DRM_ASAHI_RENDER_NO_VERTEX_CLUSTERING |
				     DRM_ASAHI_RENDER_DBIAS_IS_INT;
	if (cmd->flags & ~known_flags)
		return rp_fail(p, -EINVAL, "unknown render flags 0x%x", cmd->flags & ~known_flags);
	if (cmd->samples != 1 && cmd->samples != 2 && cmd->samples != 4)
		return rp_fail(p, -EINVAL, "samples %u (must be 1, 2 or 4)", cmd->samples);
	if (tiles) {
		if (!((cmd->utile_width_px == 32 && cmd->utile_height_px == 32) ||
		      (cmd->utile_width_px == 32 && cmd->utile_height_px == 16) ||
		      (cmd->utile_width_px == 16 && cmd->utile_height_px == 16)))
			return rp_fail(p, -EINVAL,
				       "tile size %ux%u (must be 32x32, 32x16 or 16x16)",
				       cmd->utile_width_px, cmd->utile_height_px);
		if (cmd->sample_size_B == 0 || cmd->sample_size_B % 8 ||
		    cmd->sample_size_B > 64 ||
		    (unsigned)cmd->sample_size_B * cmd->samples * cmd->utile_width_px *
				    cmd->utile_height_px > 32767)
			return rp_fail(p, -EINVAL, "sample_size_B %u does not fit the tile buffer",
				       cmd->sample_size_B);
	}
	if (!cmd->width_px || !cmd->height_px || cmd->width_px > 16384 || cmd->height_px > 16384)
		return rp_fail(p, -EINVAL, "framebuffer %ux%u", cmd->width_px, cmd->height_px);
	if (cmd->layers != 1)
		return rp_fail(p, -EINVAL, "layered rendering (%u layers) is not modelled",
			       cmd->layers);
	struct agx_cr_ppp_control pc;
	if (agx_unpack_cr_ppp_control(&cmd->ppp_ctrl, &pc))
		return rp_fail(p, -EINVAL, "ppp_ctrl 0x%x malformed", cmd->ppp_ctrl);
	if (tiles && agx_unpack_zls_control(&cmd->zls_ctrl, &p->zls))
		return rp_fail(p, -EINVAL, "zls_ctrl 0x%llx malformed",
			       (unsigned long long)cmd->zls_ctrl);
	p->cmd = cmd;
	p->opengl_clip = pc.opengl;
	p->tw = cmd->utile_width_px;
	p->th = cmd->utile_height_px;
	p->samples = cmd->samples;
	p->sample_size = cmd->sample_size_B;
	p->msctl = cmd->ppp_multisamplectl;
	for (unsigned s = 0; s < p->samples; s++) {
		unsigned b = (unsigned)(p->msctl >> (8 * s)) & 0xff;
		if ((b & 0xf) == 0 || (b >> 4) == 0)
			return rp_fail(p, -EINVAL,
				       "ppp_multisamplectl 0x%llx: sample %u on the pixel edge",
				       (unsigned long long)p->msctl, s);
	}
	if (p->msctl >> (8 * p->samples))
		return rp_fail(p, -EINVAL,
			       "ppp_multisamplectl 0x%llx has positions for more than %u samples",
			       (unsigned long long)p->msctl, p->samples);
	if (p->env->trace)
		fprintf(p->env->trace, "render %s %ux%u, tiles %ux%u, %u samples x %u B\n",
			tiles ? "pass" : "geometry", cmd->width_px, cmd->height_px, p->tw, p->th,
			p->samples, p->sample_size);
	return 0;
}

/* Point a pass at a new environment and result (the geometry phase and
 * the tile phase may run from different jobs). */
static void rp_attach(struct rp_pass *p, const struct agxsim_render_env *env,
		      struct agxsim_fault *fault, struct agxsim_render_result *res)
{
	p->env = env;
	p->fault = fault ? fault : &p->local_fault;
	p->res = res ? res : &p->local_res;
	memset(p->res, 0, sizeof(*p->res));
	memset(p->fault, 0, sizeof(*p->fault));
}

/* Nothing of the caller's may be used after a phase returns. */
static void rp_detach(struct rp_pass *p)
{
	p->env = NULL;
	p->cmd = NULL;
	p->fault = &p->local_fault;
	p->res = &p->local_res;
}

static struct rp_pass *rp_new(const struct agxsim_render_env *env, struct agxsim_fault *fault,
			      struct agxsim_render_result *res)
{
	struct rp_pass *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	rp_attach(p, env, fault, res);
	p->st.cur_snapshot = -1;
	p->st.uvs_words = 4;
	p->st.restart_index = 0xffffffffu;
	return p;
}

void agxsim_render_scene_free(struct agxsim_render_scene *scene)
{
	struct rp_pass *p = (struct rp_pass *)scene;
	if (!p)
		return;
	free(p->snaps);
	free(p->prims);
	free(p);
}

/*
 * TVB usage model (ASSUMPTIONS.md FW20): every non-empty 32x32 tile has a
 * primitive list of an 8-byte header plus 8 bytes per primitive that
 * touches it (by bounding box), allocated in 1 KiB chunks; every binned
 * primitive stores 64 bytes of vertex data once. The scene's pages are
 * that total over 32 KiB, rounded up.
 */
uint32_t agxsim_render_scene_tvb_pages(const struct agxsim_render_scene *scene)
{
	const struct rp_pass *p = (const struct rp_pass *)scene;
	unsigned tx_n = 0, ty_n = 0;
	uint64_t bytes;

	if (!p || !p->nr_prims)
		return 0;
	for (unsigned i = 0; i < p->nr_prims; i++) {
		unsigned tx = (p->prims[i].bbox[2] + 31) / 32, ty = (p->prims[i].bbox[3] + 31) / 32;
		tx_n = tx > tx_n ? tx : tx_n;
		ty_n = ty > ty_n ? ty : ty_n;
	}
	uint32_t *count = calloc((size_t)tx_n * ty_n, sizeof(*count));
	if (!count)
		return UINT32_MAX;
	bytes = 64ull * p->nr_prims;
	for (unsigned i = 0; i < p->nr_prims; i++) {
		const unsigned *b = p->prims[i].bbox;
		for (unsigned ty = b[1] / 32; ty < (b[3] + 31) / 32; ty++)
			for (unsigned tx = b[0] / 32; tx < (b[2] + 31) / 32; tx++)
				count[ty * tx_n + tx]++;
	}
	for (size_t t = 0; t < (size_t)tx_n * ty_n; t++)
		if (count[t])
			bytes += (8ull + 8ull * count[t] + 1023) & ~1023ull;
	free(count);
	return (uint32_t)((bytes + 0x7fff) / 0x8000);
}

int agxsim_render_geometry(const struct agxsim_render_env *env,
			   const struct drm_asahi_cmd_render *cmd,
			   struct agxsim_fault *fault, struct agxsim_render_result *res,
			   struct agxsim_render_scene **scene)
{
	if (!scene)
		return -EINVAL;
	*scene = NULL;
	if (!env || !env->mem || !cmd)
		return -EINVAL;
	struct rp_pass *p = rp_new(env, fault, res);
	if (!p)
		return -ENOMEM;
	p->defer_scissor = true;
	int r = rp_setup(p, cmd, false);
	if (!r)
		r = rp_walk_vdm(p);
	if (r) {
		agxsim_render_scene_free((struct agxsim_render_scene *)p);
		return r;
	}
	rp_detach(p);
	*scene = (struct agxsim_render_scene *)p;
	return 0;
}

int agxsim_render_fragment(const struct agxsim_render_env *env,
			   const struct drm_asahi_cmd_render *cmd,
			   struct agxsim_render_scene *scene,
			   struct agxsim_fault *fault, struct agxsim_render_result *res)
{
	struct rp_pass *p = (struct rp_pass *)scene;
	if (!env || !env->mem || !cmd || !p)
		return -EINVAL;
	rp_attach(p, env, fault, res);
	p->res->primitives_binned = p->nr_prims;
	int r = rp_setup(p, cmd, true);
	if (!r)
		r = rp_apply_deferred_scissors(p);
	if (!r)
		r = rp_render_tiles(p);
	rp_detach(p);
	return r;
}

int agxsim_render_pass(const struct agxsim_render_env *env,
		       const struct drm_asahi_cmd_render *cmd,
		       struct agxsim_fault *fault,
		       struct agxsim_render_result *res)
{
	if (!env || !env->mem || !cmd) {
		if (res)
			memset(res, 0, sizeof(*res));
		return -EINVAL;
	}
	struct rp_pass *p = rp_new(env, fault, res);
	if (!p)
		return -ENOMEM;
	int r = rp_setup(p, cmd, true);
	if (!r)
		r = rp_walk_vdm(p);
	if (!r)
		r = rp_render_tiles(p);
	agxsim_render_scene_free((struct agxsim_render_scene *)p);
	return r;
}
