/* SPDX-License-Identifier: MIT */
/*
 * fixture.h - test fixture of the render path: a flat GPU memory, and
 * builders that pack real USC words, PPP updates, VDM streams, CF tables
 * and PBE descriptors with agx_pack.h, plus the shaders of a basic scene
 * assembled with the test assembler (isa/tests/asm.h).
 */
#ifndef RENDER_FIXTURE_H
#define RENDER_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "agx_pack.h"
#include "agxsim/render.h"
#include "asm.h"
#include "drm/asahi_drm.h"

#define FX_BASE 0x100000000ull
#define FX_SIZE (16u << 20)

struct fx {
	uint8_t *mem;
	uint64_t next;
	struct agxsim_mem_if mif;
	struct agxsim_render_env env;
	unsigned writes_outside;   /* faults seen */
};

void fx_init(struct fx *f);
void fx_fini(struct fx *f);
uint64_t fx_alloc(struct fx *f, size_t size, unsigned align);
uint64_t fx_put(struct fx *f, const void *data, size_t size, unsigned align);
void *fx_ptr(struct fx *f, uint64_t va);
static inline uint32_t fx_usc(uint64_t va) { return (uint32_t)(va - FX_BASE); }

/* Code: copied 256-byte aligned, followed by trap padding. */
uint64_t fx_code(struct fx *f, const struct asm_buf *b);

struct fx_pipe {
	uint64_t code;
	uint64_t uniforms;      /* 0: none */
	unsigned uni_halfs;
	uint64_t textures;      /* 0: none; 24-byte descriptors */
	unsigned ntex;
	uint64_t samplers;      /* 0: none; 8-byte (or 24 with borders) samplers */
	unsigned nsamp;
	bool shared;            /* tile-buffer Shared word */
	bool compute_shared;    /* vertex/compute Shared word (no memory) */
	unsigned tw, th, samples, sample_size;
	bool frag;              /* Fragment Properties word */
	bool early_z;
};
/* USC word list (64-byte aligned); returns its USC offset. */
uint32_t fx_pipeline(struct fx *f, const struct fx_pipe *pp);

/*
 * Run one compute launch of @pipeline (uniform count 64, 8 texture state
 * registers, @sampler_states) over a 2D grid through the GPU model with the
 * render path's texture unit; the stream ends with a cache barrier and a
 * terminate. Returns agxsim_gpu_run_cdm()'s code; @msg gets the message.
 */
int fx_run_compute(struct fx *f, uint32_t pipeline, unsigned sampler_states,
		   const unsigned grid[2], const unsigned local[2], char *msg, size_t msg_len);

/* ------------------------------------------------------------------ */
/* A basic scene: clear, triangles with a per-vertex colour, store. */

/* Per-draw stencil / depth-bias state (draw 0 and, with split, draw 1). */
struct fx_draw {
	bool stencil;
	unsigned sfunc, sop, sref;   /* compare, depth-pass op, reference */
	bool dbias;
	float dbias_units;
};

struct fx_scene {
	unsigned width, height, tw, th, samples;
	float clear[4];
	unsigned nverts;
	const float *verts;         /* 8 floats per vertex: x y z w r g b a */
	unsigned nidx;              /* 0: non-indexed */
	const uint16_t *idx;
	unsigned prim;              /* AGX_PRIMITIVE_* */
	unsigned shade;             /* AGX_SHADE_MODEL_* of the colour */
	bool depth;                 /* depth test enable (func below) */
	unsigned zfunc;             /* AGX_ZS_FUNC_* */
	float zclear;
	bool scissor;
	unsigned sc[4];             /* min_x, min_y, max_x, max_y */
	bool cull_back, front_ccw;
	bool discard_half;          /* FS: sample_mask discards all samples
	                               when the red channel > 0.5 */
	bool tiled_image;           /* GPU-tiled instead of linear */
	bool emit_depth_from_red;   /* FS: zs_emit depth = red channel */
	float point_size;           /* > 0: VS writes it (UVS word 8) */
	bool point_coord_colour;    /* red, green = point coordinate */
	float line_width;           /* pixels; 0 = 1 */
	bool ms_image;              /* multisampled (2D MS) linear image */
	unsigned split;             /* > 0: draw 1 = vertices [split, n) after a
	                               PPP update with d[1] (non-indexed) */
	struct fx_draw d[2];
	bool load_bg;               /* background program loads the image
	                               (texture_load) instead of clearing */
	const uint32_t *prefill;    /* initial image contents (RGBA8, W x H) */
	uint64_t depth_buf;         /* ZLS depth buffer VA (GPU-tiled), 0: none */
	bool z_load, z_store, z16;  /* ZLS control */
	uint32_t extra_flags;       /* render flags */
	uint64_t fs_texture;        /* != 0: FS colour = texture_sample of this
	                               24-byte descriptor (ts0) at (red, green) */
	uint64_t fs_sampler;        /* its 8-byte sampler (ss0) */
	/* results */
	uint64_t image;             /* RGBA8 image VA */
	unsigned stride;
	struct drm_asahi_cmd_render cmd;
	uint64_t vdm;               /* stream VA */
};

int fx_run_scene(struct fx *f, struct fx_scene *sc, struct agxsim_render_result *res);
/* Build everything but do not run. */
void fx_build_scene(struct fx *f, struct fx_scene *sc);
/* Pixel of the scene's image (handles the layout). */
uint32_t fx_pixel(struct fx *f, const struct fx_scene *sc, unsigned x, unsigned y);

/* Write an RGBA8 image to PNG when AGXSIM_RENDER_PNG_DIR is set (debug). */
void fx_maybe_png(struct fx *f, const struct fx_scene *sc, const char *name);
int agxsim_png_write_rgba8(const char *path, const uint8_t *rgba, unsigned w, unsigned h,
			   unsigned stride);

#endif
