/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 */

/*
 * A minimal pipe_context. There is no shader compiler yet, so:
 *
 *  - state objects are accepted and kept only as far as later CPU paths
 *    need them (the framebuffer);
 *  - clear, clear_render_target, clear_depth_stencil, resource_copy_region
 *    and copy-compatible blits are CPU FALLBACKS through transfers (Mesa's
 *    util_clear_* and util_resource_copy_region). They will be replaced by
 *    GPU work (background programs, blits) once the compiler lands;
 *  - draws and compute launches are dropped with a warning.
 *
 * Each context owns a queue on the device; flush returns a fence that is a
 * DRM sync object.
 */

#include <xf86drm.h>

#include "nir.h"
#include "util/log.h"
#include "util/u_framebuffer.h"
#include "util/u_inlines.h"
#include "util/u_memory.h"
#include "util/u_surface.h"
#include "util/u_transfer.h"
#include "util/u_upload_mgr.h"
#include "util/os_time.h"

#include "agx_resource.h"
#include "agx_screen.h"

struct agx_context {
   struct pipe_context base;
   uint32_t queue;
   struct pipe_framebuffer_state fb;
   bool warned_draw, warned_blit;
};

static inline struct agx_context *
agx_context(struct pipe_context *pctx)
{
   return (struct agx_context *)pctx;
}

/* ---- fences --------------------------------------------------------------- */

struct pipe_fence_handle {
   struct pipe_reference reference;
   uint32_t syncobj;
};

static void
agx_fence_reference(struct pipe_screen *pscreen, struct pipe_fence_handle **ptr,
                    struct pipe_fence_handle *fence)
{
   struct pipe_fence_handle *old = *ptr;

   if (pipe_reference(old ? &old->reference : NULL,
                      fence ? &fence->reference : NULL)) {
      drmSyncobjDestroy(agx_screen(pscreen)->fd, old->syncobj);
      FREE(old);
   }
   *ptr = fence;
}

static bool
agx_fence_finish(struct pipe_screen *pscreen, struct pipe_context *pctx,
                 struct pipe_fence_handle *fence, uint64_t timeout)
{
   int64_t abs = timeout == OS_TIMEOUT_INFINITE
                    ? INT64_MAX
                    : os_time_get_absolute_timeout(timeout);

   return drmSyncobjWait(agx_screen(pscreen)->fd, &fence->syncobj, 1, abs,
                         DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL) == 0;
}

/* Nothing is queued on the GPU by this context yet, so every flush is
 * already complete: its fence is a signalled sync object.
 */
static void
agx_flush(struct pipe_context *pctx, struct pipe_fence_handle **fence,
          unsigned flags)
{
   if (!fence)
      return;

   struct pipe_fence_handle *f = CALLOC_STRUCT(pipe_fence_handle);
   if (f && !drmSyncobjCreate(agx_screen(pctx->screen)->fd,
                              DRM_SYNCOBJ_CREATE_SIGNALED, &f->syncobj)) {
      pipe_reference_init(&f->reference, 1);
   } else {
      mesa_loge("agx: cannot create a fence");
      FREE(f);
      f = NULL;
   }
   agx_fence_reference(pctx->screen, fence, NULL);
   *fence = f;
}

/* ---- CPU fallbacks ------------------------------------------------------- */

static void
agx_clear(struct pipe_context *pctx, unsigned buffers,
          const struct pipe_scissor_state *scissor,
          const union pipe_color_union *color, double depth, unsigned stencil)
{
   struct agx_context *ctx = agx_context(pctx);
   const struct pipe_framebuffer_state *fb = &ctx->fb;
   unsigned x0 = 0, y0 = 0, x1 = fb->width, y1 = fb->height;

   if (scissor) {
      x0 = MIN2(scissor->minx, x1);
      y0 = MIN2(scissor->miny, y1);
      x1 = MIN2(scissor->maxx, x1);
      y1 = MIN2(scissor->maxy, y1);
   }
   if (x1 <= x0 || y1 <= y0)
      return;

   for (unsigned i = 0; i < fb->nr_cbufs; i++) {
      if ((buffers & (PIPE_CLEAR_COLOR0 << i)) && fb->cbufs[i])
         util_clear_render_target(pctx, fb->cbufs[i], color, x0, y0, x1 - x0,
                                  y1 - y0);
   }

   unsigned zs = buffers & PIPE_CLEAR_DEPTHSTENCIL;
   if (zs && fb->zsbuf)
      util_clear_depth_stencil(pctx, fb->zsbuf, zs, depth, stencil, x0, y0,
                               x1 - x0, y1 - y0);
}

static void
agx_clear_render_target(struct pipe_context *pctx, struct pipe_surface *dst,
                        const union pipe_color_union *color, unsigned x,
                        unsigned y, unsigned w, unsigned h,
                        bool render_condition_enabled)
{
   util_clear_render_target(pctx, dst, color, x, y, w, h);
}

static void
agx_clear_depth_stencil(struct pipe_context *pctx, struct pipe_surface *dst,
                        unsigned flags, double depth, unsigned stencil,
                        unsigned x, unsigned y, unsigned w, unsigned h,
                        bool render_condition_enabled)
{
   util_clear_depth_stencil(pctx, dst, flags, depth, stencil, x, y, w, h);
}

static void
agx_blit(struct pipe_context *pctx, const struct pipe_blit_info *info)
{
   struct agx_context *ctx = agx_context(pctx);

   if (util_try_blit_via_copy_region(pctx, info, false))
      return;

   if (!ctx->warned_blit) {
      mesa_logw("agx: blits that need shaders are not implemented; ignored");
      ctx->warned_blit = true;
   }
}

static void
agx_draw_vbo(struct pipe_context *pctx, const struct pipe_draw_info *info,
             unsigned drawid_offset,
             const struct pipe_draw_indirect_info *indirect,
             const struct pipe_draw_start_count_bias *draws, unsigned num_draws)
{
   struct agx_context *ctx = agx_context(pctx);

   if (!ctx->warned_draw) {
      mesa_logw("agx: draws are not implemented (no shader compiler yet); "
                "ignored");
      ctx->warned_draw = true;
   }
}

/* ---- state ---------------------------------------------------------------
 * CSOs are opaque copies: nothing consumes them until the GPU paths exist.
 */

#define AGX_CSO(name, type)                                                    \
   static void *agx_create_##name(struct pipe_context *pctx,                  \
                                  const type *templ)                          \
   {                                                                           \
      return mem_dup(templ, sizeof(*templ));                                   \
   }

AGX_CSO(blend_state, struct pipe_blend_state)
AGX_CSO(rasterizer_state, struct pipe_rasterizer_state)
AGX_CSO(dsa_state, struct pipe_depth_stencil_alpha_state)
AGX_CSO(sampler_state, struct pipe_sampler_state)

static void
agx_delete_state(struct pipe_context *pctx, void *cso)
{
   FREE(cso);
}

static void
agx_bind_state(struct pipe_context *pctx, void *cso)
{
}

static void
agx_bind_sampler_states(struct pipe_context *pctx, enum pipe_shader_type sh,
                        unsigned start, unsigned count, void **states)
{
}

static void *
agx_create_vertex_elements(struct pipe_context *pctx, unsigned count,
                           const struct pipe_vertex_element *elems)
{
   return mem_dup(elems, MAX2(count, 1) * sizeof(*elems));
}

/* Shaders: the NIR is owned by the driver; until the compiler exists it is
 * only freed.
 */
static void *
agx_create_shader_state(struct pipe_context *pctx,
                        const struct pipe_shader_state *state)
{
   if (state->type == PIPE_SHADER_IR_NIR)
      ralloc_free(state->ir.nir);
   return CALLOC_STRUCT(pipe_shader_state);
}

static void *
agx_create_compute_state(struct pipe_context *pctx,
                         const struct pipe_compute_state *state)
{
   if (state->ir_type == PIPE_SHADER_IR_NIR)
      ralloc_free((void *)state->prog);
   return CALLOC_STRUCT(pipe_compute_state);
}

static void
agx_set_framebuffer_state(struct pipe_context *pctx,
                          const struct pipe_framebuffer_state *fb)
{
   util_copy_framebuffer_state(&agx_context(pctx)->fb, fb);
}

static void
agx_set_constant_buffer(struct pipe_context *pctx, enum pipe_shader_type sh,
                        uint index, bool take_ownership,
                        const struct pipe_constant_buffer *cb)
{
   if (take_ownership && cb && cb->buffer) {
      struct pipe_resource *buf = cb->buffer;
      pipe_resource_reference(&buf, NULL);
   }
}

static void
agx_set_sampler_views(struct pipe_context *pctx, enum pipe_shader_type sh,
                      unsigned start, unsigned count, unsigned unbind,
                      bool take_ownership, struct pipe_sampler_view **views)
{
   for (unsigned i = 0; take_ownership && views && i < count; i++) {
      struct pipe_sampler_view *v = views[i];
      pipe_sampler_view_reference(&v, NULL);
   }
}

static void
agx_set_vertex_buffers(struct pipe_context *pctx, unsigned count,
                       const struct pipe_vertex_buffer *buffers)
{
   /* The driver owns the references it is given. */
   for (unsigned i = 0; i < count; i++) {
      struct pipe_vertex_buffer vb = buffers[i];
      pipe_vertex_buffer_unreference(&vb);
   }
}

static void
agx_set_blend_color(struct pipe_context *p, const struct pipe_blend_color *c)
{
}

static void
agx_set_stencil_ref(struct pipe_context *p, const struct pipe_stencil_ref r)
{
}

static void
agx_set_sample_mask(struct pipe_context *p, unsigned mask)
{
}

static void
agx_set_clip_state(struct pipe_context *p, const struct pipe_clip_state *c)
{
}

static void
agx_set_polygon_stipple(struct pipe_context *p,
                        const struct pipe_poly_stipple *s)
{
}

static void
agx_set_scissor_states(struct pipe_context *p, unsigned start, unsigned n,
                       const struct pipe_scissor_state *s)
{
}

static void
agx_set_viewport_states(struct pipe_context *p, unsigned start, unsigned n,
                        const struct pipe_viewport_state *v)
{
}

static void
agx_set_shader_images(struct pipe_context *p, enum pipe_shader_type sh,
                      unsigned start, unsigned count, unsigned unbind,
                      const struct pipe_image_view *images)
{
}

static void
agx_set_shader_buffers(struct pipe_context *p, enum pipe_shader_type sh,
                       unsigned start, unsigned count,
                       const struct pipe_shader_buffer *buffers,
                       unsigned writable)
{
}

static void
agx_memory_barrier(struct pipe_context *p, unsigned flags)
{
}

static void
agx_texture_barrier(struct pipe_context *p, unsigned flags)
{
}

static void
agx_flush_resource(struct pipe_context *p, struct pipe_resource *r)
{
}

/* ---- surfaces and sampler views ------------------------------------------ */

static struct pipe_surface *
agx_create_surface(struct pipe_context *pctx, struct pipe_resource *prsrc,
                   const struct pipe_surface *templ)
{
   struct pipe_surface *s = CALLOC_STRUCT(pipe_surface);
   if (!s)
      return NULL;

   pipe_reference_init(&s->reference, 1);
   pipe_resource_reference(&s->texture, prsrc);
   s->context = pctx;
   s->format = templ->format;
   s->u = templ->u;
   s->width = u_minify(prsrc->width0, templ->u.tex.level);
   s->height = u_minify(prsrc->height0, templ->u.tex.level);
   return s;
}

static void
agx_surface_destroy(struct pipe_context *pctx, struct pipe_surface *s)
{
   pipe_resource_reference(&s->texture, NULL);
   FREE(s);
}

static struct pipe_sampler_view *
agx_create_sampler_view(struct pipe_context *pctx, struct pipe_resource *prsrc,
                        const struct pipe_sampler_view *templ)
{
   struct pipe_sampler_view *v = mem_dup(templ, sizeof(*templ));
   if (!v)
      return NULL;

   pipe_reference_init(&v->reference, 1);
   v->texture = NULL;
   pipe_resource_reference(&v->texture, prsrc);
   v->context = pctx;
   return v;
}

static void
agx_sampler_view_destroy(struct pipe_context *pctx,
                         struct pipe_sampler_view *v)
{
   pipe_resource_reference(&v->texture, NULL);
   FREE(v);
}

/* ---- context ------------------------------------------------------------- */

static void
agx_context_destroy(struct pipe_context *pctx)
{
   struct agx_context *ctx = agx_context(pctx);
   struct agx_device *dev = agx_screen_device(agx_screen(pctx->screen));

   if (pctx->stream_uploader)
      u_upload_destroy(pctx->stream_uploader);
   util_unreference_framebuffer_state(&ctx->fb);
   agx_queue_destroy(dev, ctx->queue);
   FREE(ctx);
}

struct pipe_context *
agx_context_create(struct pipe_screen *pscreen, void *priv, unsigned flags)
{
   struct agx_device *dev = agx_screen_device(agx_screen(pscreen));
   if (!dev)
      return NULL;

   struct agx_context *ctx = CALLOC_STRUCT(agx_context);
   if (!ctx)
      return NULL;

   ctx->queue = agx_queue_create(dev);
   if (!ctx->queue) {
      FREE(ctx);
      return NULL;
   }

   struct pipe_context *p = &ctx->base;
   p->screen = pscreen;
   p->priv = priv;
   p->destroy = agx_context_destroy;
   p->flush = agx_flush;

   p->clear = agx_clear;
   p->clear_render_target = agx_clear_render_target;
   p->clear_depth_stencil = agx_clear_depth_stencil;
   p->clear_buffer = u_default_clear_buffer;
   p->resource_copy_region = util_resource_copy_region;
   p->blit = agx_blit;
   p->draw_vbo = agx_draw_vbo;

   p->create_blend_state = agx_create_blend_state;
   p->bind_blend_state = agx_bind_state;
   p->delete_blend_state = agx_delete_state;
   p->create_rasterizer_state = agx_create_rasterizer_state;
   p->bind_rasterizer_state = agx_bind_state;
   p->delete_rasterizer_state = agx_delete_state;
   p->create_depth_stencil_alpha_state = agx_create_dsa_state;
   p->bind_depth_stencil_alpha_state = agx_bind_state;
   p->delete_depth_stencil_alpha_state = agx_delete_state;
   p->create_sampler_state = agx_create_sampler_state;
   p->bind_sampler_states = agx_bind_sampler_states;
   p->delete_sampler_state = agx_delete_state;
   p->create_vertex_elements_state = agx_create_vertex_elements;
   p->bind_vertex_elements_state = agx_bind_state;
   p->delete_vertex_elements_state = agx_delete_state;
   p->create_vs_state = agx_create_shader_state;
   p->bind_vs_state = agx_bind_state;
   p->delete_vs_state = agx_delete_state;
   p->create_fs_state = agx_create_shader_state;
   p->bind_fs_state = agx_bind_state;
   p->delete_fs_state = agx_delete_state;
   p->create_compute_state = agx_create_compute_state;
   p->bind_compute_state = agx_bind_state;
   p->delete_compute_state = agx_delete_state;

   p->set_framebuffer_state = agx_set_framebuffer_state;
   p->set_constant_buffer = agx_set_constant_buffer;
   p->set_sampler_views = agx_set_sampler_views;
   p->set_vertex_buffers = agx_set_vertex_buffers;
   p->set_blend_color = agx_set_blend_color;
   p->set_stencil_ref = agx_set_stencil_ref;
   p->set_sample_mask = agx_set_sample_mask;
   p->set_clip_state = agx_set_clip_state;
   p->set_polygon_stipple = agx_set_polygon_stipple;
   p->set_scissor_states = agx_set_scissor_states;
   p->set_viewport_states = agx_set_viewport_states;
   p->set_shader_images = agx_set_shader_images;
   p->set_shader_buffers = agx_set_shader_buffers;
   p->memory_barrier = agx_memory_barrier;
   p->texture_barrier = agx_texture_barrier;
   p->flush_resource = agx_flush_resource;

   p->create_surface = agx_create_surface;
   p->surface_destroy = agx_surface_destroy;
   p->create_sampler_view = agx_create_sampler_view;
   p->sampler_view_destroy = agx_sampler_view_destroy;

   agx_init_context_resource_functions(p);

   p->stream_uploader = u_upload_create_default(p);
   if (!p->stream_uploader) {
      agx_context_destroy(p);
      return NULL;
   }
   p->const_uploader = p->stream_uploader;
   return p;
}

void
agx_init_screen_fence_functions(struct pipe_screen *pscreen)
{
   pscreen->fence_reference = agx_fence_reference;
   pscreen->fence_finish = agx_fence_finish;
}
