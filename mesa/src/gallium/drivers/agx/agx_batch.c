/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 */

/*
 * Batches: one render pass of the bound framebuffer.
 *
 * Draws append blocks to the batch's VDM control stream (agx_draw.c), in
 * 64 KiB chunks joined by stream links. Per-draw data (PPP updates,
 * uniforms, descriptors) comes from the batch's general pool, USC words and
 * CF binding tables from its USC-heap pool. Clears record which attachments
 * are cleared and to what; nothing is drawn for them: the background
 * program writes the clear colour into each tile, and the ISP clears depth
 * and stencil from ISP_BGOBJDEPTH/ISP_BGOBJVALS.
 *
 * agx_flush_batch() terminates the stream, builds the background and
 * end-of-tile programs' USC words (agx_get_bg_eot()), fills a
 * struct drm_asahi_cmd_render and submits it. Every BO the pass uses gets
 * its sync object reset and signalled by the job (agx_bo_fence()), so CPU
 * maps and the BO cache wait for it; the context's fence is one more
 * out-sync.
 *
 * Limits (refused, not emulated): one layer, one sample, level-0 depth
 * buffers; the tile size is the one agx_tilebuffer_layout_init() picks.
 */

#include <math.h>
#include <xf86drm.h>

#include "util/format/u_format.h"
#include "util/hash_table.h"
#include "util/log.h"
#include "util/u_framebuffer.h"
#include "util/u_inlines.h"
#include "util/u_memory.h"

#include "agx_context.h"
#include "agx_hw.h"

#define AGX_POOL_CHUNK_B   (64 * 1024)
#define AGX_VDM_CHUNK_B    (64 * 1024)

/* ---- pools --------------------------------------------------------------- */

void
agx_pool_init(struct agx_pool *pool, struct agx_device *dev, uint32_t bo_flags)
{
   memset(pool, 0, sizeof(*pool));
   pool->dev = dev;
   pool->bo_flags = bo_flags;
   util_dynarray_init(&pool->bos, NULL);
}

void
agx_pool_cleanup(struct agx_pool *pool)
{
   util_dynarray_foreach(&pool->bos, struct agx_bo *, bo)
      agx_bo_unreference(*bo);
   util_dynarray_fini(&pool->bos);
   pool->cur = NULL;
   pool->offset_B = 0;
}

void *
agx_pool_alloc(struct agx_pool *pool, size_t size_B, unsigned align_B,
               uint64_t *va)
{
   uint64_t offset = ALIGN_POT(pool->offset_B, align_B);

   if (!pool->cur || offset + size_B > pool->cur->size) {
      size_t bo_size = MAX2(AGX_POOL_CHUNK_B, ALIGN_POT(size_B, 4096));
      struct agx_bo *bo =
         agx_bo_create(pool->dev, bo_size, pool->bo_flags, "batch pool");
      if (!bo)
         return NULL;
      util_dynarray_append(&pool->bos, struct agx_bo *, bo);
      pool->cur = bo;
      offset = 0;
   }

   pool->offset_B = offset + size_B;
   *va = pool->cur->va + offset;
   return (uint8_t *)pool->cur->map + offset;
}

uint64_t
agx_pool_upload(struct agx_pool *pool, const void *data, size_t size_B,
                unsigned align_B)
{
   uint64_t va = 0;
   void *p = agx_pool_alloc(pool, size_B, align_B, &va);
   if (p)
      memcpy(p, data, size_B);
   return p ? va : 0;
}

/* ---- fences --------------------------------------------------------------- */

void
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

static struct pipe_fence_handle *
agx_fence_create(struct agx_context *ctx, bool signalled)
{
   struct pipe_fence_handle *f = CALLOC_STRUCT(pipe_fence_handle);
   if (!f)
      return NULL;
   if (drmSyncobjCreate(ctx->dev->fd,
                        signalled ? DRM_SYNCOBJ_CREATE_SIGNALED : 0,
                        &f->syncobj)) {
      FREE(f);
      return NULL;
   }
   pipe_reference_init(&f->reference, 1);
   return f;
}

/* ---- batch lifetime --------------------------------------------------------- */

static bool
agx_vdm_new_chunk(struct agx_batch *batch, uint64_t *va)
{
   uint8_t *map = agx_pool_alloc(&batch->pool, AGX_VDM_CHUNK_B, 64, va);
   if (!map)
      return false;
   batch->vdm_cur = map;
   batch->vdm_end = map + AGX_VDM_CHUNK_B - AGX_VDM_RESERVE_B;
   return true;
}

uint8_t *
agx_vdm_reserve(struct agx_batch *batch, size_t size_B)
{
   assert(size_B <= AGX_VDM_CHUNK_B / 2);

   if (batch->vdm_cur + size_B > batch->vdm_end) {
      uint8_t *link = batch->vdm_cur;
      uint64_t va;
      if (!agx_vdm_new_chunk(batch, &va))
         return NULL;
      /* The link lives in the reserved tail of the old chunk. */
      AGX_PACK(link, VDM_STREAM_LINK, cfg) {
         cfg.target_hi = va >> 32;
         cfg.target_lo = va & 0xffffffff;
      }
   }

   uint8_t *out = batch->vdm_cur;
   batch->vdm_cur += ALIGN_POT(size_B, 8);
   return out;
}

/* Tile-buffer layout of a framebuffer: the formats of the colour buffers. */
static void
agx_batch_init_tib(struct agx_batch *batch)
{
   enum pipe_format formats[AGX_MAX_RTS] = {PIPE_FORMAT_NONE};
   unsigned nr = 0;

   for (unsigned i = 0; i < batch->fb.nr_cbufs && i < AGX_MAX_RTS; i++) {
      if (batch->fb.cbufs[i]) {
         formats[i] = batch->fb.cbufs[i]->format;
         nr = i + 1;
      }
   }

   agx_tilebuffer_layout_init(&batch->tib, formats, nr,
                              MAX2(batch->fb.samples, 1));

   /* A pass without colour buffers still needs a tile buffer the hardware
    * accepts (sample size a non-zero multiple of 8 bytes).
    */
   if (!batch->tib.sample_size_B)
      batch->tib.sample_size_B = 8;
   if (!batch->tib.tile_width || !batch->tib.tile_height)
      batch->tib.tile_width = batch->tib.tile_height = 32;
}

struct agx_batch *
agx_get_batch(struct agx_context *ctx)
{
   struct agx_batch *batch = &ctx->batch;

   if (batch->active)
      return batch;

   memset(batch, 0, sizeof(*batch));
   util_copy_framebuffer_state(&batch->fb, &ctx->fb);
   agx_batch_init_tib(batch);
   agx_pool_init(&batch->pool, ctx->dev, 0);
   agx_pool_init(&batch->pool_exec, ctx->dev, AGX_BO_EXEC);
   util_dynarray_init(&batch->scissor, NULL);
   util_dynarray_init(&batch->depth_bias, NULL);
   batch->bos = _mesa_pointer_set_create(NULL);

   uint64_t va;
   if (!batch->bos || !agx_vdm_new_chunk(batch, &va)) {
      mesa_loge("agx: out of memory starting a render pass");
      batch->active = true;
      agx_batch_cleanup(ctx);
      return NULL;
   }
   batch->vdm_base = va;
   batch->active = true;

   /* Invalidate the USC caches: shaders may have been uploaded since the
    * last pass.
    */
   AGX_PACK(agx_vdm_reserve(batch, 8), VDM_BARRIER, cfg) {
      cfg.usc_cache_inval = true;
   }

   for (unsigned i = 0; i < batch->fb.nr_cbufs; i++) {
      if (batch->fb.cbufs[i])
         agx_batch_add_bo(batch, agx_resource(batch->fb.cbufs[i]->texture)->bo);
   }
   if (batch->fb.zsbuf)
      agx_batch_add_bo(batch, agx_resource(batch->fb.zsbuf->texture)->bo);

   return batch;
}

void
agx_batch_add_bo(struct agx_batch *batch, struct agx_bo *bo)
{
   bool found = false;
   _mesa_set_search_or_add(batch->bos, bo, &found);
   if (!found)
      agx_bo_reference(bo);
}

bool
agx_batch_uses_bo(struct agx_context *ctx, struct agx_bo *bo)
{
   return ctx->batch.active && _mesa_set_search(ctx->batch.bos, bo);
}

void
agx_batch_cleanup(struct agx_context *ctx)
{
   struct agx_batch *batch = &ctx->batch;

   if (!batch->active)
      return;

   if (batch->bos) {
      set_foreach(batch->bos, e)
         agx_bo_unreference((struct agx_bo *)e->key);
      _mesa_set_destroy(batch->bos, NULL);
   }
   agx_pool_cleanup(&batch->pool);
   agx_pool_cleanup(&batch->pool_exec);
   util_dynarray_fini(&batch->scissor);
   util_dynarray_fini(&batch->depth_bias);
   util_unreference_framebuffer_state(&batch->fb);
   batch->active = false;
}

/* ---- background / end-of-tile programs --------------------------------- */

/* USC words binding a bg/eot program: uniforms, texture descriptors, the
 * tile-buffer Shared word, the shader and its registers. Returns the USC
 * offset of the words (0 on failure) and the Counts word in *counts.
 */
static uint32_t
agx_build_bg_eot(struct agx_batch *batch, const struct agx_compiled_shader *cs,
                 uint64_t uniforms, unsigned uniform_halfs, uint64_t textures,
                 unsigned nr_textures, uint32_t *counts)
{
   struct agx_device *dev = batch->pool.dev;
   uint8_t words[256];
   unsigned n = 0;

   if (uniform_halfs)
      n += agx_usc_uniform_words(words + n, 0, uniform_halfs, uniforms);

   if (nr_textures) {
      AGX_PACK(words + n, USC_TEXTURE, cfg) {
         cfg.start = 0;
         cfg.count = nr_textures;
         cfg.buffer = textures;
      }
      n += AGX_USC_TEXTURE_LENGTH;
   }

   agx_pack_usc_shared_tib(words + n, &batch->tib);
   n += AGX_USC_SHARED_LENGTH;

   AGX_PACK(words + n, USC_SHADER, cfg) {
      cfg.code = cs->code_offset;
   }
   n += AGX_USC_SHADER_LENGTH;

   AGX_PACK(words + n, USC_REGISTERS, cfg) {
      cfg.register_count = CLAMP(ALIGN_POT(cs->info.num_gprs * 2, 8), 8, 256);
   }
   n += AGX_USC_REGISTERS_LENGTH;

   AGX_PACK(words + n, USC_NO_PRESHADER, cfg)
      ;
   n += AGX_USC_NO_PRESHADER_LENGTH;

   uint64_t va = agx_pool_upload(&batch->pool_exec, words, n, 64);
   if (!va)
      return 0;

   AGX_PACK(counts, COUNTS, cfg) {
      cfg.uniform_register_count =
         CLAMP(ALIGN_POT(MAX2(uniform_halfs, cs->info.num_uniforms * 2), 64),
               64, 512);
      cfg.texture_state_register_count =
         CLAMP(ALIGN_POT(MAX2(nr_textures, cs->info.nr_textures), 8), 8, 256);
   }

   return (uint32_t)(va - dev->usc_base);
}

static bool
agx_resource_has_contents(struct pipe_surface *surf)
{
   return surf && agx_resource(surf->texture)->valid;
}

static bool
agx_batch_emit_bg_eot(struct agx_context *ctx, struct agx_batch *batch,
                      struct drm_asahi_cmd_render *c)
{
   struct agx_device *dev = ctx->dev;
   const struct pipe_framebuffer_state *fb = &batch->fb;
   unsigned nr_rts = batch->tib.nr_rts;

   struct agx_bg_eot_key bg = {.tib = batch->tib, .eot = false};
   struct agx_bg_eot_key eot = {.tib = batch->tib, .eot = true};
   float clear[AGX_MAX_RTS][4] = {{0}};
   uint8_t tex[AGX_MAX_RTS][24], pbe[AGX_MAX_RTS][24];
   bool any_load = false;

   memset(tex, 0, sizeof(tex));
   memset(pbe, 0, sizeof(pbe));

   for (unsigned rt = 0; rt < nr_rts; rt++) {
      struct pipe_surface *surf = fb->cbufs[rt];
      if (!surf)
         continue;

      /* A pass without draws leaves the attachments it does not clear as
       * they are: neither load nor store them (saves a full read and
       * write of the image, e.g. for a depth-only clear).
       */
      bool cleared = batch->clear & (PIPE_CLEAR_COLOR0 << rt);
      if (!cleared && !batch->draws)
         continue;

      if (cleared) {
         bg.op[rt] = AGX_BG_CLEAR;
         memcpy(clear[rt], batch->clear_color[rt], sizeof(clear[rt]));
      } else if (agx_resource_has_contents(surf)) {
         static const unsigned char identity[4] = {0, 1, 2, 3};
         bg.op[rt] = AGX_BG_LOAD;
         any_load = true;
         if (!agx_build_texture_desc(tex[rt], surf->texture, surf->format,
                               surf->u.tex.level, identity))
            return false;
      }

      eot.store[rt] = true;
      if (!agx_build_pbe_desc(pbe[rt], surf))
         return false;
   }

   struct agx_compiled_shader *bg_cs = agx_get_bg_eot(dev, &bg);
   struct agx_compiled_shader *eot_cs = agx_get_bg_eot(dev, &eot);
   if (!bg_cs || !eot_cs) {
      mesa_loge("agx: no background/end-of-tile program for the pass");
      return false;
   }

   uint64_t clear_va = 0, tex_va = 0, pbe_va = 0;
   if (nr_rts) {
      clear_va = agx_pool_upload(&batch->pool, clear, 16 * nr_rts, 16);
      pbe_va = agx_pool_upload(&batch->pool, pbe, 24 * nr_rts, 16);
      if (any_load)
         tex_va = agx_pool_upload(&batch->pool, tex, 24 * nr_rts, 16);
   }

   uint32_t bg_counts, eot_counts;
   uint32_t bg_usc = agx_build_bg_eot(batch, bg_cs, clear_va, 8 * nr_rts,
                                      tex_va, any_load ? nr_rts : 0,
                                      &bg_counts);
   uint32_t eot_usc = agx_build_bg_eot(batch, eot_cs, 0, 0, pbe_va, nr_rts,
                                       &eot_counts);
   if (!bg_usc || !eot_usc)
      return false;

   /* The low bits of the USC address are configuration bits; Mesa's asahi
    * drivers set 4 (8 for the background with 4+ render targets).
    */
   c->bg.usc = bg_usc | (nr_rts >= 4 ? 8 : 4);
   c->bg.rsrc_spec = bg_counts;
   c->eot.usc = eot_usc | 4;
   c->eot.rsrc_spec = eot_counts;

   /* A partial render resumes by loading what the partial end-of-tile
    * program stored: the same store program, and the background program.
    * The simulator never breaks a pass off (no tiling-memory overflow), so
    * this path is untested.
    */
   c->partial_bg = c->bg;
   c->partial_eot = c->eot;
   return true;
}

/* ---- depth/stencil ----------------------------------------------------- */

static void
agx_batch_emit_zls(struct agx_batch *batch, struct drm_asahi_cmd_render *c)
{
   struct pipe_surface *zs = batch->fb.zsbuf;
   struct agx_resource *rsrc = zs ? agx_resource(zs->texture) : NULL;

   /* Only GPU-tiled 2D depth/stencil buffers can be ZLS buffers. */
   if (rsrc && !rsrc->tiled) {
      mesa_logw_once("agx: depth/stencil attachment without the GPU-tiled "
                     "layout (mipmapped, array or 1D); ignored");
      rsrc = NULL;
   }

   /* The ISP clears depth and stencil to these at every tile start. */
   float zclear = (batch->clear & PIPE_CLEAR_DEPTH) ? batch->clear_depth : 1.0f;
   bool z16 = rsrc && rsrc->zs_depth_format == PIPE_FORMAT_Z16_UNORM;

   if (z16)
      c->isp_bgobjdepth = (uint32_t)lrintf(CLAMP(zclear, 0.0f, 1.0f) * 65535.0f);
   else
      memcpy(&c->isp_bgobjdepth, &zclear, 4);
   c->isp_bgobjvals = 0x300 | batch->clear_stencil;

   if (!rsrc) {
      AGX_PACK(&c->isp_zls_pixels, CR_ISP_ZLS_PIXELS, cfg) {
         cfg.x = batch->fb.width;
         cfg.y = batch->fb.height;
      }
      return;
   }

   bool z_load = !(batch->clear & PIPE_CLEAR_DEPTH) && rsrc->valid;
   bool s_load = !(batch->clear & PIPE_CLEAR_STENCIL) && rsrc->valid;
   /* Without draws, only what is cleared changes (see the colour case). */
   bool z_store = batch->draws || (batch->clear & PIPE_CLEAR_DEPTH);
   bool s_store = batch->draws || (batch->clear & PIPE_CLEAR_STENCIL);
   if (!batch->draws)
      z_load = s_load = false;

   c->depth.base = rsrc->bo->va;
   if (rsrc->has_stencil)
      c->stencil.base = rsrc->bo->va + rsrc->stencil_offset;

   AGX_PACK(&c->zls_ctrl, ZLS_CONTROL, cfg) {
      cfg.z_load = z_load;
      cfg.z_store = z_store;
      cfg.s_load = rsrc->has_stencil && s_load;
      cfg.s_store = rsrc->has_stencil && s_store;
      cfg.z_format = z16 ? AGX_ZLS_FORMAT_16 : AGX_ZLS_FORMAT_32F;
   }
   AGX_PACK(&c->isp_zls_pixels, CR_ISP_ZLS_PIXELS, cfg) {
      cfg.x = rsrc->base.width0;
      cfg.y = rsrc->base.height0;
   }
}

/* ---- flush ----------------------------------------------------------------- */

static uint32_t
agx_counts_default(void)
{
   uint32_t c;
   AGX_PACK(&c, COUNTS, cfg) {
      cfg.uniform_register_count = 64;
      cfg.texture_state_register_count = 8;
   }
   return c;
}

int
agx_flush_batch(struct agx_context *ctx, const char *reason)
{
   struct agx_batch *batch = &ctx->batch;
   struct agx_device *dev = ctx->dev;
   int ret = 0;

   if (!batch->active)
      return 0;

   /* Nothing to do: no draws and no clears leave memory as it is. */
   if (!batch->draws && !batch->clear) {
      agx_batch_cleanup(ctx);
      return 0;
   }

   uint8_t *term = agx_vdm_reserve(batch, AGX_VDM_STREAM_TERMINATE_LENGTH);
   if (!term) {
      ret = -ENOMEM;
      goto out;
   }
   AGX_PACK(term, VDM_STREAM_TERMINATE, cfg)
      ;

   struct {
      struct drm_asahi_cmd_header h;
      struct drm_asahi_cmd_render r;
   } cmd;
   memset(&cmd, 0, sizeof(cmd));
   cmd.h.cmd_type = DRM_ASAHI_CMD_RENDER;
   cmd.h.size = sizeof(cmd.r);
   /* Wait for the render work of earlier submits only (0), and for no
    * compute (none is submitted by this context).
    */
   cmd.h.vdm_barrier = 0;
   cmd.h.cdm_barrier = DRM_ASAHI_BARRIER_NONE;

   struct drm_asahi_cmd_render *c = &cmd.r;
   c->vdm_ctrl_stream_base = batch->vdm_base;
   /* CR PPP Control: W clamp enabled and the fixed-point format, as Mesa's
    * asahi driver sets (facts 2.11), plus the OpenGL bit: clip z to
    * [-w, w] (GL's clip volume) instead of [0, w]. Mesa's driver lowers
    * the GL convention in the VS instead; the contract (agx_shader.h) has
    * no such lowering, and the rasteriser state's clip_halfz is never set
    * since clip control is not exposed.
    */
   AGX_PACK(&c->ppp_ctrl, CR_PPP_CONTROL, cfg) {
      cfg.opengl = true;
      cfg.enable_w_clamp = true;
      cfg.fixed_point_format = 1;
   }
   c->ppp_multisamplectl = 0x88; /* default position of the single sample */
   c->width_px = batch->fb.width;
   c->height_px = batch->fb.height;
   c->layers = 1;
   c->samples = 1;
   c->utile_width_px = batch->tib.tile_width;
   c->utile_height_px = batch->tib.tile_height;
   c->sample_size_B = batch->tib.sample_size_B;
   c->bg.rsrc_spec = c->eot.rsrc_spec = agx_counts_default();

   if (batch->clear)
      c->flags |= DRM_ASAHI_RENDER_PROCESS_EMPTY_TILES;

   if (batch->scissor.size) {
      c->isp_scissor_base = agx_pool_upload(&batch->pool, batch->scissor.data,
                                            batch->scissor.size, 64);
   }
   if (batch->depth_bias.size) {
      c->isp_dbias_base = agx_pool_upload(
         &batch->pool, batch->depth_bias.data, batch->depth_bias.size, 64);
   }

   if (!agx_batch_emit_bg_eot(ctx, batch, c)) {
      ret = -EINVAL;
      goto out;
   }
   agx_batch_emit_zls(batch, c);

   /* Out-syncs: every BO of the pass, then the context's new fence. */
   struct util_dynarray syncs;
   util_dynarray_init(&syncs, NULL);
   set_foreach(batch->bos, e) {
      uint32_t s = agx_bo_fence((struct agx_bo *)e->key);
      if (s)
         util_dynarray_append(&syncs, uint32_t, s);
   }
   struct agx_pool *pools[] = {&batch->pool, &batch->pool_exec};
   for (unsigned p = 0; p < ARRAY_SIZE(pools); p++) {
      util_dynarray_foreach(&pools[p]->bos, struct agx_bo *, bo) {
         uint32_t s = agx_bo_fence(*bo);
         if (s)
            util_dynarray_append(&syncs, uint32_t, s);
      }
   }

   struct pipe_fence_handle *fence = agx_fence_create(ctx, false);
   if (fence)
      util_dynarray_append(&syncs, uint32_t, fence->syncobj);

   unsigned nr_syncs = util_dynarray_num_elements(&syncs, uint32_t);
   ret = agx_submit(dev, ctx->queue, &cmd, sizeof(cmd), NULL, 0,
                    util_dynarray_begin(&syncs), nr_syncs);
   if (ret) {
      mesa_loge("agx: render pass submit failed (%s): %d", reason, ret);
      /* Nothing will signal them: signal now so waits do not hang. */
      drmSyncobjSignal(dev->fd, util_dynarray_begin(&syncs), nr_syncs);
   }
   util_dynarray_fini(&syncs);

   if (fence) {
      agx_fence_reference(ctx->base.screen, &ctx->last_fence, NULL);
      ctx->last_fence = fence;
   }

   /* The attachments the pass stored now have defined contents. */
   for (unsigned i = 0; i < batch->fb.nr_cbufs; i++) {
      if (batch->fb.cbufs[i] &&
          (batch->draws || (batch->clear & (PIPE_CLEAR_COLOR0 << i))))
         agx_resource(batch->fb.cbufs[i]->texture)->valid = true;
   }
   if (batch->fb.zsbuf &&
       (batch->draws || (batch->clear & PIPE_CLEAR_DEPTHSTENCIL)))
      agx_resource(batch->fb.zsbuf->texture)->valid = true;

out:
   agx_batch_cleanup(ctx);
   return ret;
}
