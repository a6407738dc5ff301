/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 */

#ifndef AGX_CONTEXT_H
#define AGX_CONTEXT_H

/*
 * The command side of the driver: the pipe_context, its state objects, and
 * the batch (one render pass) that draws and clears are recorded into.
 *
 * A batch belongs to the bound framebuffer. Draws append to its VDM control
 * stream; clears only record the clear values, which the background program
 * applies per tile. The batch is flushed into one DRM_ASAHI_CMD_RENDER when
 * the framebuffer changes, at pipe->flush, or when the CPU maps a resource
 * the batch uses (agx_batch.c).
 */

#include "pipe/p_context.h"
#include "pipe/p_state.h"
#include "util/set.h"
#include "util/u_dynarray.h"

#include "agx_device.h"
#include "agx_resource.h"
#include "agx_screen.h"
#include "agx_shader.h"

/* Sub-allocator for per-batch GPU data, in BOs of the given flags (the USC
 * heap for USC words and CF bindings, which the hardware addresses
 * relative to the USC base).
 */
struct agx_pool {
   struct agx_device *dev;
   uint32_t bo_flags;
   struct util_dynarray bos; /* struct agx_bo * */
   struct agx_bo *cur;
   uint64_t offset_B;
};

void agx_pool_init(struct agx_pool *pool, struct agx_device *dev,
                   uint32_t bo_flags);
void agx_pool_cleanup(struct agx_pool *pool);
/* CPU pointer of a fresh allocation, its GPU address in *va. NULL on OOM. */
void *agx_pool_alloc(struct agx_pool *pool, size_t size_B, unsigned align_B,
                     uint64_t *va);
uint64_t agx_pool_upload(struct agx_pool *pool, const void *data,
                         size_t size_B, unsigned align_B);

/* Bytes the VDM stream always keeps free at its end: a stream link, and
 * padding because the VDM reads ahead (Mesa: 0x800 "for safety").
 */
#define AGX_VDM_RESERVE_B 0x800

struct agx_batch {
   bool active;
   struct pipe_framebuffer_state fb;
   struct agx_tilebuffer_layout tib;

   struct agx_pool pool;      /* general heap: PPP, uniforms, descriptors */
   struct agx_pool pool_exec; /* USC heap: USC words, CF bindings */

   /* Resource BOs the pass reads or writes (each referenced once). */
   struct set *bos;

   /* VDM control stream: its first block, and the chunk being written. */
   uint64_t vdm_base;
   uint8_t *vdm_cur, *vdm_end;

   /* Scissor (struct agx_scissor packed) and depth-bias arrays. */
   struct util_dynarray scissor, depth_bias;

   /* PIPE_CLEAR_* bits cleared in this pass, and their values. */
   unsigned clear;
   float clear_color[AGX_MAX_RTS][4];
   double clear_depth;
   uint8_t clear_stencil;

   unsigned draws;
};

struct agx_rasterizer {
   struct pipe_rasterizer_state base;
};

struct agx_vertex_elements {
   unsigned count;
   struct pipe_vertex_element el[PIPE_MAX_ATTRIBS];
};

struct agx_sampler_state {
   struct pipe_sampler_state base;
   uint8_t desc[8]; /* packed Sampler */
};

struct agx_sampler_view {
   struct pipe_sampler_view base;
   uint8_t desc[24]; /* packed Texture */
};

struct agx_context {
   struct pipe_context base;
   uint32_t queue;
   struct agx_device *dev;

   struct agx_batch batch;

   /* The fence of the last submitted batch (NULL if none). */
   struct pipe_fence_handle *last_fence;

   /* Bound state. */
   struct pipe_framebuffer_state fb;
   void *vs, *fs;
   struct agx_vertex_elements *ve;
   struct pipe_vertex_buffer vb[AGX_MAX_VBUFS];
   unsigned nr_vb;
   struct pipe_constant_buffer cb[PIPE_SHADER_TYPES][AGX_MAX_CBUFS];
   struct agx_rasterizer *rast;
   struct pipe_depth_stencil_alpha_state *zsa;
   struct pipe_blend_state *blend;
   struct pipe_blend_color blend_color;
   struct pipe_stencil_ref stencil_ref;
   struct pipe_scissor_state scissor;
   struct pipe_viewport_state viewport;
   struct agx_sampler_state *samplers[PIPE_SHADER_TYPES][PIPE_MAX_SAMPLERS];
   unsigned nr_samplers[PIPE_SHADER_TYPES];
   struct agx_sampler_view *views[PIPE_SHADER_TYPES][PIPE_MAX_SHADER_SAMPLER_VIEWS];
   unsigned nr_views[PIPE_SHADER_TYPES];

   struct blitter_context *blitter;
   unsigned sample_mask;

   bool warned_blit, warned_draw;
};

static inline struct agx_context *
agx_context(struct pipe_context *pctx)
{
   return (struct agx_context *)pctx;
}

struct pipe_fence_handle {
   struct pipe_reference reference;
   uint32_t syncobj;
};

/* agx_batch.c */
struct agx_batch *agx_get_batch(struct agx_context *ctx);
void agx_batch_add_bo(struct agx_batch *batch, struct agx_bo *bo);
bool agx_batch_uses_bo(struct agx_context *ctx, struct agx_bo *bo);
/* Space for size_B bytes of VDM stream (links to a new chunk when full). */
uint8_t *agx_vdm_reserve(struct agx_batch *batch, size_t size_B);
int agx_flush_batch(struct agx_context *ctx, const char *reason);
void agx_batch_cleanup(struct agx_context *ctx);
void agx_fence_reference(struct pipe_screen *pscreen,
                         struct pipe_fence_handle **ptr,
                         struct pipe_fence_handle *fence);

/* agx_state.c */
void agx_init_state_functions(struct pipe_context *pctx);
void agx_state_cleanup(struct agx_context *ctx);
bool agx_build_texture_desc(void *out, struct pipe_resource *prsrc,
                      enum pipe_format format, unsigned level,
                      const unsigned char swizzle[4]);
bool agx_build_pbe_desc(void *out, struct pipe_surface *surf);
bool agx_format_renderable(enum pipe_format format);
bool agx_format_texturable(enum pipe_format format);
/* USC words helpers (agx_state.c): a Shared word for the pass. */
void agx_pack_usc_shared_tib(void *out, const struct agx_tilebuffer_layout *tib);
unsigned agx_usc_uniform_words(uint8_t *out, unsigned start_halfs,
                               unsigned size_halfs, uint64_t va);

/* agx_draw.c */
void agx_draw_vbo(struct pipe_context *pctx, const struct pipe_draw_info *info,
                  unsigned drawid_offset,
                  const struct pipe_draw_indirect_info *indirect,
                  const struct pipe_draw_start_count_bias *draws,
                  unsigned num_draws);

#endif
