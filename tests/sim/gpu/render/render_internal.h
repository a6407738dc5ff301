/* SPDX-License-Identifier: MIT */
/*
 * render_internal.h - shared state of the render path (not a public API).
 */
#ifndef AGXSIM_RENDER_INTERNAL_H
#define AGXSIM_RENDER_INTERNAL_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "agx_pack.h"
#include "agxsim/render.h"
#include "agxsim/usc.h"
#include "agxsim_isa.h"

#define RP_MAX_CF 64           /* coefficient registers */
#define RP_MAX_SLOTS 64        /* remapped varying slots */
#define RP_MAX_UVS 64          /* UVS words per vertex */
#define RP_MAX_VIEWPORTS 16

/* A shader bound through a USC word list (the GPU model's one parser,
 * agxsim/usc.h). */
struct rp_shader {
	struct agxsim_usc_binding b;
};

/* Declared register counts of a pipeline (VS word 0, FS word 0, rsrc_spec);
 * declared = false: no count checks. */
struct rp_counts {
	bool declared;
	struct agxsim_usc_counts c;
};

static inline bool rp_shader_has_texture(const struct rp_shader *sh, unsigned t)
{
	return t < AGXSIM_USC_MAX_TEXTURES &&
	       (sh->b.textures_loaded[t / 64] >> (t % 64) & 1);
}

/* Coefficient binding (parsed CF binding table). */
struct rp_cf_table {
	unsigned nr_bindings;
	unsigned nr_slots, nr_cf;
	struct agx_cf_binding b[RP_MAX_CF];
};

/* Fragment-side state a primitive is drawn with (copied at each draw). */
struct rp_frag_state {
	struct agx_fragment_control ctl;
	struct agx_fragment_face face[2];     /* front, back */
	struct agx_fragment_stencil stencil[2];
	struct agx_cull cull;
	uint32_t scissor_index, dbias_index;
	bool fs_valid;
	struct rp_shader fs;
	struct rp_cf_table cf;
	struct agx_output_select outsel;
	struct agx_varying_counts vc32, vc16;
	unsigned flat_vertex;                 /* provoking vertex 0..2 */
};

/* Pipeline state accumulated from VDM/PPP updates. */
struct rp_state {
	bool have_ctl, have_face[2], have_stencil[2];
	struct rp_frag_state f;
	unsigned nr_viewports;
	struct agx_viewport vp[RP_MAX_VIEWPORTS];
	bool have_vp;
	float w_clamp;
	bool vs_valid;
	struct rp_counts vs_counts;           /* from VS word 0 */
	struct rp_shader vs;
	unsigned uvs_words;                   /* vertex outputs count */
	uint32_t restart_index;
	unsigned output_size;
	bool frag_dirty;                      /* snapshot needed */
	int cur_snapshot;
};

/* A post-clip vertex in window space. */
struct rp_vert {
	float x, y, z;       /* window coordinates */
	float inv_w;         /* 1 / clip w */
	float pc[2];         /* point coordinate (points only) */
	float uvs[RP_MAX_UVS];
};

/* A binned triangle. */
struct rp_prim {
	struct rp_vert v[3];
	unsigned snapshot;
	bool back;           /* back-facing */
	bool scissor_deferred; /* scissored, clamped at fragment time (R22) */
	unsigned bbox[4];    /* x0, y0, x1, y1 (exclusive) in pixels */
};

struct rp_pass {
	const struct agxsim_render_env *env;
	const struct drm_asahi_cmd_render *cmd;
	struct agxsim_fault *fault;
	struct agxsim_render_result *res;
	struct agxsim_fault local_fault;
	struct agxsim_render_result local_res;

	struct rp_state st;
	struct rp_frag_state *snaps;
	unsigned nr_snaps, cap_snaps;
	struct rp_prim *prims;
	unsigned nr_prims, cap_prims;

	/* per-pass config */
	unsigned tw, th, samples, sample_size;
	uint64_t msctl;
	struct agx_zls_control zls;
	bool opengl_clip;
	/* Geometry phase of a split render: the scissor array is the
	 * fragment job's, so scissored primitives are clamped then (R22). */
	bool defer_scissor;

	/* per tile */
	unsigned tx0, ty0;
	uint8_t *tib;                /* tw*th*samples*sample_size */
	float *depth;                /* tw*th*samples */
	uint8_t *stencil;            /* tw*th*samples */
	int hook_err;                /* error a shader hook reported */
};

/* Fail with a formatted message; returns @err. */
int rp_fail(struct rp_pass *p, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int rp_read(struct rp_pass *p, uint64_t va, void *dst, size_t len, const char *what);
int rp_write(struct rp_pass *p, uint64_t va, const void *src, size_t len, const char *what);

static inline const struct agxsim_mem_if *rp_shader_mem(const struct rp_pass *p)
{
	return p->env->shader_mem ? p->env->shader_mem : p->env->mem;
}

/* usc.c */
int rp_bind_usc(struct rp_pass *p, uint64_t usc_offset, bool fragment,
		const struct rp_counts *counts, struct rp_shader *sh, const char *what);
/* Decode the register-count bits (0-15) of a VS/FS word 0 or rsrc_spec. */
int rp_decode_counts(struct rp_pass *p, uint32_t word, struct rp_counts *counts,
		     const char *what);
int rp_run_group(struct rp_pass *p, const struct rp_shader *sh, struct agxsim_isa_state *s,
		 const char *what);

/* vdm.c */
int rp_walk_vdm(struct rp_pass *p);

/* raster.c */
/* A documented field of a decoded instruction (0 if absent). */
uint64_t rp_fld(const struct agx_insn *in, const char *name);
int rp_add_triangle(struct rp_pass *p, const float clip[3][4], const float *uvs[3]);
int rp_apply_deferred_scissors(struct rp_pass *p);
int rp_add_point(struct rp_pass *p, const float clip[4], const float *uvs);
int rp_add_line(struct rp_pass *p, const float *a, const float *b);
int rp_render_tiles(struct rp_pass *p);

/* formats.c */
int rp_tib_store(struct rp_pass *p, uint8_t *dst, unsigned fmt, unsigned comp,
		 uint32_t value, bool is32);
int rp_tib_load(struct rp_pass *p, const uint8_t *src, unsigned fmt, unsigned comp,
		bool is32, uint32_t *value);
unsigned rp_tib_comp_size(unsigned fmt);
/* Bytes of one GPU-tiled 2D image (whole tiles, R9). */
uint64_t rp_gpu_tiled_size(unsigned width, unsigned height, unsigned bpp);
int rp_block_store(struct rp_pass *p, const uint8_t desc[24], unsigned tib_offset,
		   unsigned fmt, unsigned dim);
int rp_texture_load(struct rp_pass *p, const uint8_t desc[24], struct agxsim_isa_state *s,
		    const struct agx_insn *in, uint64_t (*fld)(const struct agx_insn *, const char *));
int rp_zls_load(struct rp_pass *p);
/* sampler.c: texture_sample with texture @desc and sampler @sdesc (8 B,
 * + 16 B custom border when @extended). */
int rp_texture_sample(struct rp_pass *p, const uint8_t desc[24], const uint8_t *sdesc,
		      bool extended, struct agxsim_isa_state *s, const struct agx_insn *in,
		      uint64_t (*fld)(const struct agx_insn *, const char *));
int rp_zls_store(struct rp_pass *p);

uint16_t rp_f32_to_f16(float f);
float rp_f16_to_f32(uint16_t h);

static inline const char *rp_str(const char *s)
{
	return s ? s : "?";
}

static inline float rp_u2f(uint32_t u)
{
	union { uint32_t u; float f; } x = { .u = u };
	return x.f;
}

static inline uint32_t rp_f2u(float f)
{
	union { uint32_t u; float f; } x = { .f = f };
	return x.u;
}

#endif
