/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 */

/*
 * State objects and bindings of the pipe_context, and the hardware
 * descriptors built from them: Texture descriptors for sampler views (and
 * background loads), PBE descriptors for colour attachments, Sampler
 * descriptors for sampler states. Descriptors are packed with agx_pack.h
 * when the CSO is created; draws copy them into per-batch tables.
 */

#include "nir.h"
#include "nir/tgsi_to_nir.h"
#include "util/format/u_format.h"
#include "util/log.h"
#include "util/u_framebuffer.h"
#include "util/u_inlines.h"
#include "util/u_memory.h"

#include "agx_context.h"
#include "agx_hw.h"

/* ---- formats ---------------------------------------------------------------- */

struct agx_format_desc {
   enum pipe_format format;
   enum agx_channels channels;
   enum agx_texture_type type;
   /* Memory component i holds logical channel swz[i] (0..3 = R..A). */
   uint8_t swz[4];
   bool renderable;
};

#define RGBA {0, 1, 2, 3}
#define BGRA {2, 1, 0, 3}

static const struct agx_format_desc agx_formats[] = {
   {PIPE_FORMAT_R8G8B8A8_UNORM, AGX_CHANNELS_R8G8B8A8, AGX_TEXTURE_TYPE_UNORM, RGBA, true},
   {PIPE_FORMAT_R8G8B8X8_UNORM, AGX_CHANNELS_R8G8B8A8, AGX_TEXTURE_TYPE_UNORM, RGBA, true},
   {PIPE_FORMAT_B8G8R8A8_UNORM, AGX_CHANNELS_R8G8B8A8, AGX_TEXTURE_TYPE_UNORM, BGRA, true},
   {PIPE_FORMAT_B8G8R8X8_UNORM, AGX_CHANNELS_R8G8B8A8, AGX_TEXTURE_TYPE_UNORM, BGRA, true},
   {PIPE_FORMAT_R8_UNORM, AGX_CHANNELS_R8, AGX_TEXTURE_TYPE_UNORM, RGBA, false},
   {PIPE_FORMAT_R8G8_UNORM, AGX_CHANNELS_R8G8, AGX_TEXTURE_TYPE_UNORM, RGBA, false},
   {PIPE_FORMAT_L8_UNORM, AGX_CHANNELS_R8, AGX_TEXTURE_TYPE_UNORM, RGBA, false},
   {PIPE_FORMAT_A8_UNORM, AGX_CHANNELS_R8, AGX_TEXTURE_TYPE_UNORM, RGBA, false},
   {PIPE_FORMAT_L8A8_UNORM, AGX_CHANNELS_R8G8, AGX_TEXTURE_TYPE_UNORM, RGBA, false},
   /* Depth textures sample the depth plane (agx_resource.h): Z16 unorm or
    * 32-bit float (Z24S8 is stored as float). Linear (mipmapped or array)
    * Z24S8 textures would need the packed 24-bit format, which the texture
    * unit lacks: they are sampled as float and read garbage.
    */
   {PIPE_FORMAT_Z16_UNORM, AGX_CHANNELS_R16, AGX_TEXTURE_TYPE_UNORM, RGBA, false},
   {PIPE_FORMAT_Z32_FLOAT, AGX_CHANNELS_R32, AGX_TEXTURE_TYPE_FLOAT, RGBA, false},
   {PIPE_FORMAT_Z24_UNORM_S8_UINT, AGX_CHANNELS_R32, AGX_TEXTURE_TYPE_FLOAT, RGBA, false},
   {PIPE_FORMAT_Z32_FLOAT_S8X24_UINT, AGX_CHANNELS_R32, AGX_TEXTURE_TYPE_FLOAT, RGBA, false},
};

static const struct agx_format_desc *
agx_format(enum pipe_format format)
{
   for (unsigned i = 0; i < ARRAY_SIZE(agx_formats); i++) {
      if (agx_formats[i].format == format)
         return &agx_formats[i];
   }
   return NULL;
}

bool
agx_format_renderable(enum pipe_format format)
{
   const struct agx_format_desc *d = agx_format(format);
   return d && d->renderable;
}

bool
agx_format_texturable(enum pipe_format format)
{
   return agx_format(format) != NULL;
}

/* Logical swizzle (PIPE_SWIZZLE_*) of a view on top of the format's own
 * channel order and of the format's missing channels (RGBX, L, A, LA).
 */
static enum agx_channel
agx_channel_for(const struct agx_format_desc *d, unsigned pipe_swz)
{
   const struct util_format_description *fd =
      util_format_description(d->format);

   if (pipe_swz == PIPE_SWIZZLE_0 || pipe_swz > PIPE_SWIZZLE_1)
      return AGX_CHANNEL_ZERO;
   if (pipe_swz == PIPE_SWIZZLE_1)
      return AGX_CHANNEL_ONE;

   /* The format's own swizzle gives which stored component (or constant)
    * the logical channel reads.
    */
   unsigned s = fd->swizzle[pipe_swz];
   if (s == PIPE_SWIZZLE_0 || s > PIPE_SWIZZLE_W) /* 0, or NONE */
      return AGX_CHANNEL_ZERO;
   if (s == PIPE_SWIZZLE_1)
      return AGX_CHANNEL_ONE;
   return (enum agx_channel)s;
}

bool
agx_build_texture_desc(void *out, struct pipe_resource *prsrc,
                 enum pipe_format format, unsigned level,
                 const unsigned char swizzle[4])
{
   struct agx_resource *rsrc = agx_resource(prsrc);
   const struct agx_format_desc *d =
      agx_format(rsrc->tiled ? rsrc->zs_depth_format : format);

   if (!d || prsrc->target == PIPE_BUFFER)
      return false;

   AGX_PACK(out, TEXTURE, cfg) {
      cfg.dimension = AGX_TEXTURE_DIMENSION_2D;
      cfg.layout = rsrc->tiled ? AGX_LAYOUT_GPU : AGX_LAYOUT_LINEAR;
      cfg.channels = d->channels;
      cfg.type = d->type;
      cfg.swizzle_r = agx_channel_for(d, swizzle[0]);
      cfg.swizzle_g = agx_channel_for(d, swizzle[1]);
      cfg.swizzle_b = agx_channel_for(d, swizzle[2]);
      cfg.swizzle_a = agx_channel_for(d, swizzle[3]);
      cfg.width = u_minify(prsrc->width0, level);
      cfg.height = u_minify(prsrc->height0, level);
      cfg.address = rsrc->bo->va + rsrc->level_offset[level];
      if (!rsrc->tiled) {
         cfg.extent = AGX_TEXTURE_EXTENT_LINEAR;
         /* Linear Stride field: the row pitch minus 16 (as Mesa packs). */
         cfg.stride = rsrc->stride[level] - 16;
      }
   }
   return true;
}

bool
agx_build_pbe_desc(void *out, struct pipe_surface *surf)
{
   struct agx_resource *rsrc = agx_resource(surf->texture);
   const struct agx_format_desc *d = agx_format(surf->format);
   unsigned level = surf->u.tex.level;

   if (!d || !d->renderable)
      return false;

   /* Which logical channel each stored component receives. */
   static const enum agx_channel swz_of[4] = {AGX_CHANNEL_R, AGX_CHANNEL_G,
                                              AGX_CHANNEL_B, AGX_CHANNEL_A};

   AGX_PACK(out, PBE, cfg) {
      cfg.dimension = AGX_TEXTURE_DIMENSION_2D;
      cfg.samples = AGX_SAMPLE_COUNT_2; /* ignored: single-sampled image */
      cfg.layout = rsrc->tiled ? AGX_LAYOUT_GPU : AGX_LAYOUT_LINEAR;
      cfg.channels = d->channels;
      cfg.type = d->type;
      cfg.swizzle_r = swz_of[d->swz[0]];
      cfg.swizzle_g = swz_of[d->swz[1]];
      cfg.swizzle_b = swz_of[d->swz[2]];
      cfg.swizzle_a = swz_of[d->swz[3]];
      cfg.width = u_minify(surf->texture->width0, level);
      cfg.height = u_minify(surf->texture->height0, level);
      cfg.buffer = rsrc->bo->va + rsrc->level_offset[level] +
                   surf->u.tex.first_layer * rsrc->layer_stride[level];
      if (rsrc->tiled) {
         cfg.extent = AGX_PBE_EXTENT_TILED;
         cfg.levels = 1;
         cfg.layers = 1;
      } else {
         cfg.extent = AGX_PBE_EXTENT_LINEAR;
         /* Linear Stride field: the row pitch minus 4 (as Mesa packs). */
         cfg.stride = rsrc->stride[level] - 4;
      }
   }
   return true;
}

/* ---- USC word helpers ------------------------------------------------------- */

void
agx_pack_usc_shared_tib(void *out, const struct agx_tilebuffer_layout *tib)
{
   AGX_PACK(out, USC_SHARED, cfg) {
      cfg.uses_shared_memory = true;
      cfg.layout = tib->tile_width == 16   ? AGX_SHARED_LAYOUT_16X16
                   : tib->tile_height == 16 ? AGX_SHARED_LAYOUT_32X16
                                            : AGX_SHARED_LAYOUT_32X32;
      cfg.sample_count = MAX2(tib->nr_samples, 1);
      cfg.sample_stride_in_8_bytes = tib->sample_size_B / 8;
      cfg.bytes_per_threadgroup = tib->tile_width * tib->tile_height *
                                  MAX2(tib->nr_samples, 1) *
                                  tib->sample_size_B;
   }
}

/* USC Uniform words loading size_halfs 16-bit halves from va into the
 * uniform registers from start_halfs (at most 64 halves per word). Returns
 * the bytes written.
 */
unsigned
agx_usc_uniform_words(uint8_t *out, unsigned start_halfs, unsigned size_halfs,
                      uint64_t va)
{
   unsigned n = 0;

   for (unsigned s = 0; s < size_halfs; s += 64) {
      unsigned len = MIN2(size_halfs - s, 64);
      if (start_halfs + s < 256) {
         AGX_PACK(out + n, USC_UNIFORM, cfg) {
            cfg.start_halfs = start_halfs + s;
            cfg.size_halfs = len;
            cfg.buffer = va + 2 * s;
         }
         n += AGX_USC_UNIFORM_LENGTH;
      } else {
         AGX_PACK(out + n, USC_UNIFORM_HIGH, cfg) {
            cfg.start_halfs = start_halfs + s - 256;
            cfg.size_halfs = len;
            cfg.buffer = va + 2 * s;
         }
         n += AGX_USC_UNIFORM_HIGH_LENGTH;
      }
   }
   return n;
}

/* ---- CSOs ------------------------------------------------------------------- */

static void *
agx_create_blend_state(struct pipe_context *pctx,
                       const struct pipe_blend_state *templ)
{
   return mem_dup(templ, sizeof(*templ));
}

static void
agx_bind_blend_state(struct pipe_context *pctx, void *cso)
{
   agx_context(pctx)->blend = cso;
}

static void *
agx_create_rasterizer_state(struct pipe_context *pctx,
                            const struct pipe_rasterizer_state *templ)
{
   struct agx_rasterizer *r = CALLOC_STRUCT(agx_rasterizer);
   if (r)
      r->base = *templ;
   return r;
}

static void
agx_bind_rasterizer_state(struct pipe_context *pctx, void *cso)
{
   agx_context(pctx)->rast = cso;
}

static void *
agx_create_dsa_state(struct pipe_context *pctx,
                     const struct pipe_depth_stencil_alpha_state *templ)
{
   return mem_dup(templ, sizeof(*templ));
}

static void
agx_bind_dsa_state(struct pipe_context *pctx, void *cso)
{
   agx_context(pctx)->zsa = cso;
}

static void
agx_delete_state(struct pipe_context *pctx, void *cso)
{
   FREE(cso);
}

static enum agx_wrap
agx_wrap(unsigned wrap)
{
   switch (wrap) {
   case PIPE_TEX_WRAP_REPEAT:
      return AGX_WRAP_REPEAT;
   case PIPE_TEX_WRAP_MIRROR_REPEAT:
      return AGX_WRAP_MIRRORED_REPEAT;
   case PIPE_TEX_WRAP_CLAMP_TO_BORDER:
      return AGX_WRAP_CLAMP_TO_BORDER;
   case PIPE_TEX_WRAP_CLAMP:
      return AGX_WRAP_CLAMP_GL;
   case PIPE_TEX_WRAP_MIRROR_CLAMP_TO_EDGE:
      return AGX_WRAP_MIRRORED_CLAMP_TO_EDGE;
   case PIPE_TEX_WRAP_CLAMP_TO_EDGE:
   default:
      return AGX_WRAP_CLAMP_TO_EDGE;
   }
}

static void *
agx_create_sampler_state(struct pipe_context *pctx,
                         const struct pipe_sampler_state *templ)
{
   struct agx_sampler_state *s = CALLOC_STRUCT(agx_sampler_state);
   if (!s)
      return NULL;

   s->base = *templ;
   AGX_PACK(s->desc, SAMPLER, cfg) {
      cfg.minimum_lod = CLAMP(templ->min_lod, 0.0f, 14.0f);
      cfg.maximum_lod = CLAMP(templ->max_lod, 0.0f, 14.0f);
      cfg.maximum_anisotropy = 1;
      cfg.magnify = templ->mag_img_filter == PIPE_TEX_FILTER_LINEAR
                       ? AGX_FILTER_LINEAR
                       : AGX_FILTER_NEAREST;
      cfg.minify = templ->min_img_filter == PIPE_TEX_FILTER_LINEAR
                      ? AGX_FILTER_LINEAR
                      : AGX_FILTER_NEAREST;
      cfg.mip_filter = templ->min_mip_filter == PIPE_TEX_MIPFILTER_LINEAR
                          ? AGX_MIP_FILTER_LINEAR
                       : templ->min_mip_filter == PIPE_TEX_MIPFILTER_NEAREST
                          ? AGX_MIP_FILTER_NEAREST
                          : AGX_MIP_FILTER_NONE;
      cfg.wrap_s = agx_wrap(templ->wrap_s);
      cfg.wrap_t = agx_wrap(templ->wrap_t);
      cfg.wrap_r = agx_wrap(templ->wrap_r);
      cfg.pixel_coordinates = templ->unnormalized_coords;
      cfg.border_colour = AGX_BORDER_COLOUR_TRANSPARENT_BLACK;
   }
   return s;
}

static void
agx_bind_sampler_states(struct pipe_context *pctx, enum pipe_shader_type sh,
                        unsigned start, unsigned count, void **states)
{
   struct agx_context *ctx = agx_context(pctx);

   for (unsigned i = 0; i < count; i++) {
      if (start + i < PIPE_MAX_SAMPLERS)
         ctx->samplers[sh][start + i] = states ? states[i] : NULL;
   }

   unsigned n = 0;
   for (unsigned i = 0; i < PIPE_MAX_SAMPLERS; i++) {
      if (ctx->samplers[sh][i])
         n = i + 1;
   }
   ctx->nr_samplers[sh] = n;
}

static void *
agx_create_vertex_elements(struct pipe_context *pctx, unsigned count,
                           const struct pipe_vertex_element *elems)
{
   struct agx_vertex_elements *ve = CALLOC_STRUCT(agx_vertex_elements);
   if (!ve)
      return NULL;
   ve->count = MIN2(count, PIPE_MAX_ATTRIBS);
   memcpy(ve->el, elems, ve->count * sizeof(*elems));
   return ve;
}

static void
agx_bind_vertex_elements(struct pipe_context *pctx, void *cso)
{
   agx_context(pctx)->ve = cso;
}

/* Shaders: the CSO is the shader side's (agx_shader.h). Shaders made from
 * TGSI (util_blitter's, u_simple_shaders) arrive with NIR registers
 * (decl_reg); the compiler takes SSA, so lower them first (a no-op for
 * GLSL shaders).
 */
static void *
agx_create_shader(struct pipe_context *pctx,
                  const struct pipe_shader_state *state, unsigned stage)
{
   struct pipe_shader_state nir_state = *state;

   if (state->type == PIPE_SHADER_IR_TGSI) {
      nir_state.type = PIPE_SHADER_IR_NIR;
      nir_state.ir.nir = tgsi_to_nir(state->tokens, pctx->screen, false);
      if (!nir_state.ir.nir)
         return NULL;
   }

   if (nir_state.type == PIPE_SHADER_IR_NIR && nir_state.ir.nir)
      NIR_PASS(_, nir_state.ir.nir, nir_lower_reg_intrinsics_to_ssa);

   return agx_shader_state_create(agx_context(pctx)->dev, &nir_state, stage);
}

static void *
agx_create_vs_state(struct pipe_context *pctx,
                    const struct pipe_shader_state *state)
{
   return agx_create_shader(pctx, state, MESA_SHADER_VERTEX);
}

static void *
agx_create_fs_state(struct pipe_context *pctx,
                    const struct pipe_shader_state *state)
{
   return agx_create_shader(pctx, state, MESA_SHADER_FRAGMENT);
}

static void
agx_delete_shader_state(struct pipe_context *pctx, void *cso)
{
   struct agx_context *ctx = agx_context(pctx);

   /* Passes that use the shader hold references to its code BOs
    * (agx_draw.c), so it can go now.
    */
   agx_shader_state_delete(ctx->dev, cso);
}

static void
agx_bind_vs_state(struct pipe_context *pctx, void *cso)
{
   agx_context(pctx)->vs = cso;
}

static void
agx_bind_fs_state(struct pipe_context *pctx, void *cso)
{
   agx_context(pctx)->fs = cso;
}

/* Compute is not supported (caps say so); the CSO only owns the NIR. */
static void *
agx_create_compute_state(struct pipe_context *pctx,
                         const struct pipe_compute_state *state)
{
   if (state->ir_type == PIPE_SHADER_IR_NIR)
      ralloc_free((void *)state->prog);
   return CALLOC_STRUCT(pipe_compute_state);
}

static void
agx_bind_nothing(struct pipe_context *pctx, void *cso)
{
}

/* ---- bindings ----------------------------------------------------------- */

static void
agx_set_framebuffer_state(struct pipe_context *pctx,
                          const struct pipe_framebuffer_state *fb)
{
   struct agx_context *ctx = agx_context(pctx);

   if (ctx->batch.active && !util_framebuffer_state_equal(&ctx->batch.fb, fb))
      agx_flush_batch(ctx, "framebuffer change");

   util_copy_framebuffer_state(&ctx->fb, fb);
}

static void
agx_set_constant_buffer(struct pipe_context *pctx, enum pipe_shader_type sh,
                        uint index, bool take_ownership,
                        const struct pipe_constant_buffer *cb)
{
   struct agx_context *ctx = agx_context(pctx);

   if (index >= AGX_MAX_CBUFS) {
      if (take_ownership && cb && cb->buffer) {
         struct pipe_resource *buf = cb->buffer;
         pipe_resource_reference(&buf, NULL);
      }
      return;
   }

   struct pipe_constant_buffer *dst = &ctx->cb[sh][index];
   if (take_ownership) {
      pipe_resource_reference(&dst->buffer, NULL);
      *dst = *cb;
   } else if (cb) {
      pipe_resource_reference(&dst->buffer, cb->buffer);
      dst->buffer_offset = cb->buffer_offset;
      dst->buffer_size = cb->buffer_size;
      dst->user_buffer = cb->user_buffer;
   } else {
      pipe_resource_reference(&dst->buffer, NULL);
      memset(dst, 0, sizeof(*dst));
   }
}

static struct pipe_sampler_view *
agx_create_sampler_view(struct pipe_context *pctx, struct pipe_resource *prsrc,
                        const struct pipe_sampler_view *templ)
{
   struct agx_sampler_view *v = CALLOC_STRUCT(agx_sampler_view);
   if (!v)
      return NULL;

   v->base = *templ;
   pipe_reference_init(&v->base.reference, 1);
   v->base.texture = NULL;
   pipe_resource_reference(&v->base.texture, prsrc);
   v->base.context = pctx;

   /* Only 2D level-0 views of the formats in agx_formats[] have a
    * descriptor; others bind a zero descriptor (and are refused in
    * is_format_supported in the first place).
    */
   if (prsrc->target != PIPE_BUFFER) {
      const unsigned char swz[4] = {templ->swizzle_r, templ->swizzle_g,
                                    templ->swizzle_b, templ->swizzle_a};
      agx_build_texture_desc(v->desc, prsrc, templ->format,
                       templ->u.tex.first_level, swz);
   }
   return &v->base;
}

static void
agx_sampler_view_destroy(struct pipe_context *pctx,
                         struct pipe_sampler_view *v)
{
   pipe_resource_reference(&v->texture, NULL);
   FREE(v);
}

static void
agx_set_sampler_views(struct pipe_context *pctx, enum pipe_shader_type sh,
                      unsigned start, unsigned count, unsigned unbind,
                      bool take_ownership, struct pipe_sampler_view **views)
{
   struct agx_context *ctx = agx_context(pctx);

   for (unsigned i = 0; i < count + unbind; i++) {
      unsigned slot = start + i;
      struct pipe_sampler_view *v = (views && i < count) ? views[i] : NULL;

      if (slot >= PIPE_MAX_SHADER_SAMPLER_VIEWS) {
         if (take_ownership)
            pipe_sampler_view_reference(&v, NULL);
         continue;
      }

      struct pipe_sampler_view **dst =
         (struct pipe_sampler_view **)&ctx->views[sh][slot];
      if (take_ownership) {
         pipe_sampler_view_reference(dst, NULL);
         *dst = v;
      } else {
         pipe_sampler_view_reference(dst, v);
      }
   }

   unsigned n = 0;
   for (unsigned i = 0; i < PIPE_MAX_SHADER_SAMPLER_VIEWS; i++) {
      if (ctx->views[sh][i])
         n = i + 1;
   }
   ctx->nr_views[sh] = n;
}

static void
agx_set_vertex_buffers(struct pipe_context *pctx, unsigned count,
                       const struct pipe_vertex_buffer *buffers)
{
   struct agx_context *ctx = agx_context(pctx);

   /* The driver takes the references it is given. */
   for (unsigned i = 0; i < ctx->nr_vb; i++)
      pipe_vertex_buffer_unreference(&ctx->vb[i]);

   ctx->nr_vb = MIN2(count, AGX_MAX_VBUFS);
   for (unsigned i = 0; i < count; i++) {
      if (i < AGX_MAX_VBUFS) {
         ctx->vb[i] = buffers[i];
      } else {
         struct pipe_vertex_buffer vb = buffers[i];
         pipe_vertex_buffer_unreference(&vb);
      }
   }
}

static void
agx_set_blend_color(struct pipe_context *pctx, const struct pipe_blend_color *c)
{
   agx_context(pctx)->blend_color = *c;
}

static void
agx_set_stencil_ref(struct pipe_context *pctx, const struct pipe_stencil_ref r)
{
   agx_context(pctx)->stencil_ref = r;
}

static void
agx_set_scissor_states(struct pipe_context *pctx, unsigned start, unsigned n,
                       const struct pipe_scissor_state *s)
{
   if (start == 0 && n)
      agx_context(pctx)->scissor = s[0];
}

static void
agx_set_viewport_states(struct pipe_context *pctx, unsigned start, unsigned n,
                        const struct pipe_viewport_state *v)
{
   if (start == 0 && n)
      agx_context(pctx)->viewport = v[0];
}

static void
agx_set_sample_mask(struct pipe_context *p, unsigned mask)
{
   /* Single-sampled only: kept for the blitter's save/restore. */
   agx_context(p)->sample_mask = mask;
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

void
agx_state_cleanup(struct agx_context *ctx)
{
   for (unsigned i = 0; i < ctx->nr_vb; i++)
      pipe_vertex_buffer_unreference(&ctx->vb[i]);
   for (unsigned s = 0; s < PIPE_SHADER_TYPES; s++) {
      for (unsigned i = 0; i < AGX_MAX_CBUFS; i++)
         pipe_resource_reference(&ctx->cb[s][i].buffer, NULL);
      for (unsigned i = 0; i < PIPE_MAX_SHADER_SAMPLER_VIEWS; i++) {
         pipe_sampler_view_reference(
            (struct pipe_sampler_view **)&ctx->views[s][i], NULL);
      }
   }
   util_unreference_framebuffer_state(&ctx->fb);
}

void
agx_init_state_functions(struct pipe_context *p)
{
   p->create_blend_state = agx_create_blend_state;
   p->bind_blend_state = agx_bind_blend_state;
   p->delete_blend_state = agx_delete_state;
   p->create_rasterizer_state = agx_create_rasterizer_state;
   p->bind_rasterizer_state = agx_bind_rasterizer_state;
   p->delete_rasterizer_state = agx_delete_state;
   p->create_depth_stencil_alpha_state = agx_create_dsa_state;
   p->bind_depth_stencil_alpha_state = agx_bind_dsa_state;
   p->delete_depth_stencil_alpha_state = agx_delete_state;
   p->create_sampler_state = agx_create_sampler_state;
   p->bind_sampler_states = agx_bind_sampler_states;
   p->delete_sampler_state = agx_delete_state;
   p->create_vertex_elements_state = agx_create_vertex_elements;
   p->bind_vertex_elements_state = agx_bind_vertex_elements;
   p->delete_vertex_elements_state = agx_delete_state;
   p->create_vs_state = agx_create_vs_state;
   p->bind_vs_state = agx_bind_vs_state;
   p->delete_vs_state = agx_delete_shader_state;
   p->create_fs_state = agx_create_fs_state;
   p->bind_fs_state = agx_bind_fs_state;
   p->delete_fs_state = agx_delete_shader_state;
   p->create_compute_state = agx_create_compute_state;
   p->bind_compute_state = agx_bind_nothing;
   p->delete_compute_state = agx_delete_state;

   p->set_framebuffer_state = agx_set_framebuffer_state;
   p->set_constant_buffer = agx_set_constant_buffer;
   p->create_sampler_view = agx_create_sampler_view;
   p->sampler_view_destroy = agx_sampler_view_destroy;
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
}
