/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 */

/*
 * The pipe_context: creation, flush and fences, clears, copies and blits.
 * State objects live in agx_state.c, draws in agx_draw.c, render passes in
 * agx_batch.c.
 *
 *  - pipe->clear records clear values in the batch; the background program
 *    of the pass writes them into each tile and the ISP clears depth (no
 *    CPU work). A clear after draws starts a new pass. A SCISSORED clear
 *    cannot be a background clear: it is still a CPU FALLBACK
 *    (util_clear_*, after submitting the pending pass).
 *  - clear_render_target, clear_depth_stencil and resource_copy_region
 *    are still CPU FALLBACKS through transfers (util_clear_*,
 *    util_resource_copy_region); a map flushes the pass first.
 *  - blit: a copy when it reduces to one (CPU), otherwise a draw through
 *    util_blitter (GPU; the blitter's shaders go through our compiler).
 *
 * Each context owns a queue on the device; a fence is the DRM sync object
 * the last submitted pass signals.
 */

#include <xf86drm.h>

#include "util/log.h"
#include "util/u_blitter.h"
#include "util/u_framebuffer.h"
#include "util/u_inlines.h"
#include "util/u_memory.h"
#include "util/u_surface.h"
#include "util/u_transfer.h"
#include "util/u_upload_mgr.h"
#include "util/os_time.h"

#include "agx_context.h"

/* ---- fences --------------------------------------------------------------- */

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

/* Submits the pending pass; the fence is the last pass's sync object (a
 * signalled one when nothing was ever submitted).
 */
static void
agx_flush(struct pipe_context *pctx, struct pipe_fence_handle **fence,
          unsigned flags)
{
   struct agx_context *ctx = agx_context(pctx);

   agx_flush_batch(ctx, "flush");

   if (!fence)
      return;

   if (!ctx->last_fence) {
      struct pipe_fence_handle *f = CALLOC_STRUCT(pipe_fence_handle);
      if (f && !drmSyncobjCreate(ctx->dev->fd, DRM_SYNCOBJ_CREATE_SIGNALED,
                                 &f->syncobj)) {
         pipe_reference_init(&f->reference, 1);
         ctx->last_fence = f;
      } else {
         mesa_loge("agx: cannot create a fence");
         FREE(f);
      }
   }
   agx_fence_reference(pctx->screen, fence, ctx->last_fence);
}

/* ---- clears ------------------------------------------------------------- */

static void
agx_clear(struct pipe_context *pctx, unsigned buffers,
          const struct pipe_scissor_state *scissor,
          const union pipe_color_union *color, double depth, unsigned stencil)
{
   struct agx_context *ctx = agx_context(pctx);
   const struct pipe_framebuffer_state *fb = &ctx->fb;

   if (!fb->width || !fb->height)
      return;

   bool full = !scissor || (scissor->minx == 0 && scissor->miny == 0 &&
                            scissor->maxx >= fb->width &&
                            scissor->maxy >= fb->height);

   /* A background clear covers the whole pass: it replaces what was drawn
    * before it, so a clear after draws first submits them and starts a new
    * pass. Scissored clears are done on the CPU.
    */
   struct agx_batch *batch = NULL;
   if (full) {
      if (ctx->batch.active && ctx->batch.draws)
         agx_flush_batch(ctx, "clear after draws");
      batch = agx_get_batch(ctx);
   }

   if (batch) {
      for (unsigned i = 0; i < fb->nr_cbufs && i < AGX_MAX_RTS; i++) {
         if (!(buffers & (PIPE_CLEAR_COLOR0 << i)) || !fb->cbufs[i])
            continue;
         batch->clear |= PIPE_CLEAR_COLOR0 << i;
         memcpy(batch->clear_color[i], color->f, sizeof(batch->clear_color[i]));
      }
      if ((buffers & PIPE_CLEAR_DEPTH) && fb->zsbuf) {
         batch->clear |= PIPE_CLEAR_DEPTH;
         batch->clear_depth = depth;
      }
      if ((buffers & PIPE_CLEAR_STENCIL) && fb->zsbuf) {
         batch->clear |= PIPE_CLEAR_STENCIL;
         batch->clear_stencil = stencil;
      }
      return;
   }

   /* CPU path: scissored clears and clears after draws. */
   agx_flush_batch(ctx, "scissored clear");

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
      if ((buffers & (PIPE_CLEAR_COLOR0 << i)) && fb->cbufs[i]) {
         util_clear_render_target(pctx, fb->cbufs[i], color, x0, y0, x1 - x0,
                                  y1 - y0);
         agx_resource(fb->cbufs[i]->texture)->valid = true;
      }
   }

   unsigned zs = buffers & PIPE_CLEAR_DEPTHSTENCIL;
   if (zs && fb->zsbuf) {
      util_clear_depth_stencil(pctx, fb->zsbuf, zs, depth, stencil, x0, y0,
                               x1 - x0, y1 - y0);
      agx_resource(fb->zsbuf->texture)->valid = true;
   }
}

static void
agx_clear_render_target(struct pipe_context *pctx, struct pipe_surface *dst,
                        const union pipe_color_union *color, unsigned x,
                        unsigned y, unsigned w, unsigned h,
                        bool render_condition_enabled)
{
   util_clear_render_target(pctx, dst, color, x, y, w, h);
   agx_resource(dst->texture)->valid = true;
}

static void
agx_clear_depth_stencil(struct pipe_context *pctx, struct pipe_surface *dst,
                        unsigned flags, double depth, unsigned stencil,
                        unsigned x, unsigned y, unsigned w, unsigned h,
                        bool render_condition_enabled)
{
   util_clear_depth_stencil(pctx, dst, flags, depth, stencil, x, y, w, h);
   agx_resource(dst->texture)->valid = true;
}

static void
agx_resource_copy_region(struct pipe_context *pctx, struct pipe_resource *dst,
                         unsigned dst_level, unsigned dstx, unsigned dsty,
                         unsigned dstz, struct pipe_resource *src,
                         unsigned src_level, const struct pipe_box *src_box)
{
   util_resource_copy_region(pctx, dst, dst_level, dstx, dsty, dstz, src,
                             src_level, src_box);
   agx_resource(dst)->valid = true;
}

/* The state util_blitter replaces, so that it can restore it. */
static void
agx_blitter_save(struct agx_context *ctx)
{
   struct blitter_context *b = ctx->blitter;

   util_blitter_save_vertex_buffers(b, ctx->vb, ctx->nr_vb);
   util_blitter_save_vertex_elements(b, ctx->ve);
   util_blitter_save_vertex_shader(b, ctx->vs);
   util_blitter_save_rasterizer(b, ctx->rast);
   util_blitter_save_viewport(b, &ctx->viewport);
   util_blitter_save_scissor(b, &ctx->scissor);
   util_blitter_save_fragment_shader(b, ctx->fs);
   util_blitter_save_blend(b, ctx->blend);
   util_blitter_save_depth_stencil_alpha(b, ctx->zsa);
   util_blitter_save_stencil_ref(b, &ctx->stencil_ref);
   util_blitter_save_sample_mask(b, ctx->sample_mask, 0);
   util_blitter_save_framebuffer(b, &ctx->fb);
   util_blitter_save_fragment_sampler_states(
      b, ctx->nr_samplers[PIPE_SHADER_FRAGMENT],
      (void **)ctx->samplers[PIPE_SHADER_FRAGMENT]);
   util_blitter_save_fragment_sampler_views(
      b, ctx->nr_views[PIPE_SHADER_FRAGMENT],
      (struct pipe_sampler_view **)ctx->views[PIPE_SHADER_FRAGMENT]);
   util_blitter_save_fragment_constant_buffer_slot(
      b, ctx->cb[PIPE_SHADER_FRAGMENT]);
}

static void
agx_blit(struct pipe_context *pctx, const struct pipe_blit_info *info)
{
   struct agx_context *ctx = agx_context(pctx);

   if (util_try_blit_via_copy_region(pctx, info, false)) {
      agx_resource(info->dst.resource)->valid = true;
      return;
   }

   if (!ctx->blitter || !util_blitter_is_blit_supported(ctx->blitter, info)) {
      if (!ctx->warned_blit) {
         mesa_logw("agx: unsupported blit (formats, MSAA or scaling the "
                   "blitter cannot do); ignored");
         ctx->warned_blit = true;
      }
      return;
   }

   agx_blitter_save(ctx);
   util_blitter_blit(ctx->blitter, info, NULL);
   agx_resource(info->dst.resource)->valid = true;
}

static void
agx_set_active_query_state(struct pipe_context *pctx, bool enable)
{
   /* No queries. */
}

static void
agx_set_stream_output_targets(struct pipe_context *pctx, unsigned num,
                              struct pipe_stream_output_target **targets,
                              const unsigned *offsets,
                              enum mesa_prim output_prim)
{
   /* No stream output (the screen reports none); the blitter unbinds. */
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

/* ---- surfaces -------------------------------------------------------------- */

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

/* ---- context ------------------------------------------------------------- */

static void
agx_context_destroy(struct pipe_context *pctx)
{
   struct agx_context *ctx = agx_context(pctx);

   if (ctx->blitter)
      util_blitter_destroy(ctx->blitter);
   agx_flush_batch(ctx, "context destroy");
   agx_batch_cleanup(ctx);
   if (pctx->stream_uploader)
      u_upload_destroy(pctx->stream_uploader);
   agx_state_cleanup(ctx);
   agx_fence_reference(pctx->screen, &ctx->last_fence, NULL);
   agx_queue_destroy(ctx->dev, ctx->queue);
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

   ctx->dev = dev;
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
   p->resource_copy_region = agx_resource_copy_region;
   p->blit = agx_blit;
   p->draw_vbo = agx_draw_vbo;
   p->memory_barrier = agx_memory_barrier;
   p->texture_barrier = agx_texture_barrier;
   p->flush_resource = agx_flush_resource;
   p->create_surface = agx_create_surface;
   p->surface_destroy = agx_surface_destroy;

   agx_init_state_functions(p);
   agx_init_context_resource_functions(p);

   p->stream_uploader = u_upload_create_default(p);
   if (!p->stream_uploader) {
      agx_context_destroy(p);
      return NULL;
   }
   p->const_uploader = p->stream_uploader;
   p->set_stream_output_targets = agx_set_stream_output_targets;
   p->set_active_query_state = agx_set_active_query_state;

   ctx->sample_mask = ~0;
   ctx->blitter = util_blitter_create(p);
   if (!ctx->blitter) {
      agx_context_destroy(p);
      return NULL;
   }
   return p;
}

void
agx_init_screen_fence_functions(struct pipe_screen *pscreen)
{
   pscreen->fence_reference = agx_fence_reference;
   pscreen->fence_finish = agx_fence_finish;
}
