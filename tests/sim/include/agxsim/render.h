/* SPDX-License-Identifier: MIT */
/*
 * agxsim/render.h - the render (VDM -> PPP -> ISP -> USC -> PBE) path of
 * the GPU model: one DRM_ASAHI_CMD_RENDER pass, executed from what the
 * hardware reads.
 *
 * Inputs are the per-pass register values userspace passes in
 * struct drm_asahi_cmd_render (uapi/drm/asahi_drm.h) and GPU memory
 * reached through an agxsim_mem_if (normally a UAT port of the job's
 * address space): the VDM control stream, PPP update blobs, USC binding
 * words, shader binaries, index buffers, scissor/depth-bias arrays,
 * PBE descriptors, depth/stencil buffers.
 *
 * The pass runs in two phases, like a tile-based deferred renderer:
 *   1. geometry: walk the VDM stream, run vertex shaders, assemble, clip,
 *      project, cull primitives and keep them with a snapshot of the
 *      fragment state they were drawn with;
 *   2. per tile (utile_width_px x utile_height_px): ZLS load / clear, the
 *      background program, rasterisation + depth/stencil + fragment
 *      shading of every primitive in submission order, the end-of-tile
 *      program (its block stores write the tile to memory), ZLS store.
 *
 * Anything that does not unpack cleanly or is out of bounds stops the pass
 * with a fault and a message; nothing malformed is executed.
 * See tests/sim/README.md ("Render path") and ASSUMPTIONS.md.
 */
#ifndef AGXSIM_RENDER_H
#define AGXSIM_RENDER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "agxsim/mem_if.h"

struct drm_asahi_cmd_render;

/* Where and how a pass runs (filled by the GPU model / front end). */
struct agxsim_render_env {
	const struct agxsim_mem_if *mem; /* the job's address space: streams,
	                                    descriptors, PBE and ZLS accesses */
	const struct agxsim_mem_if *shader_mem; /* shader fetch/loads; NULL: mem */
	uint64_t usc_exec_base;          /* base of USC (shader) addresses */
	FILE *trace;                     /* control-stream trace, NULL = off */
	uint32_t max_vdm_blocks;         /* bound on VDM blocks, 0 = 65536 */
	uint32_t max_links;              /* bound on stream links, 0 = 4096 */
	uint64_t max_shader_insns;       /* per SIMD group, 0 = 1000000 */
	uint32_t max_primitives;         /* bound on binned primitives, 0 = 1 << 20 */
};

/* Counters and the reason of a failure. */
struct agxsim_render_result {
	uint32_t vdm_blocks;
	uint32_t draws;
	uint32_t vertices_shaded;
	uint32_t primitives_in;      /* assembled */
	uint32_t primitives_culled;  /* culled, clipped away or zero area */
	uint32_t primitives_binned;  /* after clipping (fans count once each) */
	uint32_t tiles;
	uint32_t tiles_skipped;      /* empty tiles not processed */
	uint32_t fragment_groups;    /* SIMD groups of fragment shading */
	uint64_t samples_passed;     /* samples that passed depth/stencil */
	char msg[256];               /* why the pass stopped (empty if ok) */
};

/*
 * Run one render pass. Returns 0 on success; -EFAULT when a memory access
 * faulted (@fault filled); -EINVAL when the control stream, a descriptor
 * or a shader is malformed or uses something not modelled (@res->msg says
 * what); -ETIMEDOUT when a bound was exceeded (shader instruction budget,
 * VDM block count). @fault and @res may be NULL.
 */
int agxsim_render_pass(const struct agxsim_render_env *env,
		       const struct drm_asahi_cmd_render *cmd,
		       struct agxsim_fault *fault,
		       struct agxsim_render_result *res);

/*
 * The two phases separately, for the firmware path (RunVertex then
 * RunFragment, gpu/hooks.c). agxsim_render_geometry() checks @cmd's
 * geometry registers (flags, samples, framebuffer size, ppp_ctrl,
 * ppp_multisamplectl; the tile-buffer ones are not needed), walks the VDM
 * stream and returns the binned scene in *@scene (the model's stand-in for
 * the TVB, ASSUMPTIONS.md R17). agxsim_render_fragment() runs the tile
 * phase of @scene with @cmd's tile registers (all of them checked as in
 * agxsim_render_pass()); the scene stays owned by the caller, who frees it
 * with agxsim_render_scene_free(). Return codes as agxsim_render_pass().
 */
struct agxsim_render_scene;
int agxsim_render_geometry(const struct agxsim_render_env *env,
			   const struct drm_asahi_cmd_render *cmd,
			   struct agxsim_fault *fault, struct agxsim_render_result *res,
			   struct agxsim_render_scene **scene);
int agxsim_render_fragment(const struct agxsim_render_env *env,
			   const struct drm_asahi_cmd_render *cmd,
			   struct agxsim_render_scene *scene,
			   struct agxsim_fault *fault, struct agxsim_render_result *res);
void agxsim_render_scene_free(struct agxsim_render_scene *scene);
/* TVB pages (32 KiB) a binned scene occupies by the model's usage rule
 * (ASSUMPTIONS.md FW20); 0 for an empty scene. */
uint32_t agxsim_render_scene_tvb_pages(const struct agxsim_render_scene *scene);

/*
 * Sample position @s (0..samples-1) of a PPP_MULTISAMPLECTL value, in
 * 1/16 pixel units from the pixel's top-left corner: byte s, low nibble x,
 * high nibble y.
 */
static inline void agxsim_render_sample_pos(uint64_t multisamplectl, unsigned s,
					    unsigned *x16, unsigned *y16)
{
	unsigned b = (unsigned)(multisamplectl >> (8 * s)) & 0xff;
	*x16 = b & 0xf;
	*y16 = b >> 4;
}

/*
 * Address of texel (x, y) inside a GPU-tiled ("twiddled" in older text)
 * 2D image of @width x @height texels of @bpp bytes: 16 KiB tiles in raster
 * order, Morton order inside a tile (see ASSUMPTIONS.md R9). Returns the
 * byte offset from the image base.
 */
uint64_t agxsim_render_gpu_tiled_offset(unsigned width, unsigned height, unsigned bpp,
					unsigned x, unsigned y);

/*
 * The render path's texel fetch as the GPU model's texture unit
 * (agxsim_gpu_texture_fn in agxsim/gpu.h; @ctx unused): texture_load of
 * 2D level-0 textures, linear or GPU-tiled, RGBA8/RG8/R8 and 16/32-bit
 * channel formats, and texture_sample (gpu/render/sampler.c: nearest and
 * bilinear filtering, wrap modes, border colours, sRGB, R5G6B5; mip
 * levels of GPU-tiled textures, ASSUMPTIONS.md R19/R20) with the
 * binding's sampler state registers. Other instructions, or unloaded
 * texture/sampler registers, return -EINVAL.
 */
struct agxsim_gpu_job;
struct agxsim_usc_binding;
struct agxsim_isa_state;
struct agx_insn;
int agxsim_render_texture(void *ctx, const struct agxsim_gpu_job *job,
			  const struct agxsim_usc_binding *b, struct agxsim_isa_state *s,
			  const struct agx_insn *insn);

#endif /* AGXSIM_RENDER_H */
