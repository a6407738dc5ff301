/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 */

/*
 * draw_vbo: one draw into the batch's VDM control stream.
 *
 * Per draw, without dirty tracking (every draw re-emits everything):
 *
 *  1. the shader variants for the bound state (agx_vs_key from the vertex
 *     elements, agx_fs_key from the tile buffer, blend and rasterizer);
 *  2. per stage, struct agx_draw_uniforms (u0..u71: VBO and UBO bases,
 *     blend colour, base vertex/instance) uploaded to the pool, then USC
 *     words: Uniform words for it and for the shader's push ranges,
 *     Texture/Sampler words for the descriptor tables, (fragment) the
 *     tile-buffer Shared word, Shader, Registers, (fragment) Fragment
 *     Properties, No preshader;
 *  3. the CF binding table linking the FS's coefficient registers to the
 *     VS's UVS slots;
 *  4. a PPP update with every block the draw needs (fragment control,
 *     front/back face and stencil, scissor/depth-bias index, viewport,
 *     W clamp, output select, varying counts, cull, FS words, output size);
 *  5. VDM: PPP State, VDM State (VS words, vertex outputs, flat-shading
 *     vertex), an optional restart index, and the Index List.
 *
 * Refused with a warning (the draw is dropped): indirect draws, primitive
 * types the hardware lacks (quads, polygons: the screen's
 * supported_prim_modes make the state tracker convert them), user vertex
 * buffers (the state tracker uploads them), stream output.
 */

#include "util/format/u_format.h"
#include "util/log.h"
#include "util/u_inlines.h"
#include "util/u_math.h"
#include "util/u_prim.h"

#include "agx_context.h"
#include "agx_hw.h"

static bool
agx_primitive(enum mesa_prim mode, enum agx_primitive *out)
{
   switch (mode) {
   case MESA_PRIM_POINTS: *out = AGX_PRIMITIVE_POINTS; return true;
   case MESA_PRIM_LINES: *out = AGX_PRIMITIVE_LINES; return true;
   case MESA_PRIM_LINE_STRIP: *out = AGX_PRIMITIVE_LINE_STRIP; return true;
   case MESA_PRIM_LINE_LOOP: *out = AGX_PRIMITIVE_LINE_LOOP; return true;
   case MESA_PRIM_TRIANGLES: *out = AGX_PRIMITIVE_TRIANGLES; return true;
   case MESA_PRIM_TRIANGLE_STRIP: *out = AGX_PRIMITIVE_TRIANGLE_STRIP; return true;
   case MESA_PRIM_TRIANGLE_FAN: *out = AGX_PRIMITIVE_TRIANGLE_FAN; return true;
   default: return false;
   }
}

static enum agx_stencil_op
agx_stencil_op(unsigned op)
{
   switch (op) {
   case PIPE_STENCIL_OP_ZERO: return AGX_STENCIL_OP_ZERO;
   case PIPE_STENCIL_OP_REPLACE: return AGX_STENCIL_OP_REPLACE;
   case PIPE_STENCIL_OP_INCR: return AGX_STENCIL_OP_INCR_SAT;
   case PIPE_STENCIL_OP_DECR: return AGX_STENCIL_OP_DECR_SAT;
   case PIPE_STENCIL_OP_INCR_WRAP: return AGX_STENCIL_OP_INCR_WRAP;
   case PIPE_STENCIL_OP_DECR_WRAP: return AGX_STENCIL_OP_DECR_WRAP;
   case PIPE_STENCIL_OP_INVERT: return AGX_STENCIL_OP_INVERT;
   case PIPE_STENCIL_OP_KEEP:
   default: return AGX_STENCIL_OP_KEEP;
   }
}

static enum agx_sampler_states
agx_sampler_states(unsigned n)
{
   if (n == 0)
      return AGX_SAMPLER_STATES_0;
   if (n <= 4)
      return AGX_SAMPLER_STATES_4_COMPACT;
   if (n <= 8)
      return AGX_SAMPLER_STATES_8_COMPACT;
   if (n <= 12)
      return AGX_SAMPLER_STATES_12_COMPACT;
   return AGX_SAMPLER_STATES_16_COMPACT;
}

/* GPU address of a constant buffer, uploading user data. */
static uint64_t
agx_cbuf_address(struct agx_batch *batch, const struct pipe_constant_buffer *cb)
{
   if (cb->buffer) {
      struct agx_resource *rsrc = agx_resource(cb->buffer);
      agx_batch_add_bo(batch, rsrc->bo);
      return rsrc->bo->va + cb->buffer_offset;
   }
   if (cb->user_buffer && cb->buffer_size)
      return agx_pool_upload(&batch->pool, cb->user_buffer, cb->buffer_size, 16);
   return 0;
}

struct agx_stage_words {
   uint32_t pipeline; /* USC offset of the words */
   uint32_t counts;   /* Counts-shaped word 0 */
};

/* Uniforms, descriptors and USC words of one stage. */
static bool
agx_build_stage(struct agx_context *ctx, struct agx_batch *batch,
                enum pipe_shader_type sh, const struct agx_compiled_shader *cs,
                const struct pipe_draw_info *info, int32_t base_vertex,
                struct agx_stage_words *out)
{
   const struct agx_shader_info *si = &cs->info;
   struct agx_draw_uniforms u;
   memset(&u, 0, sizeof(u));

   if (sh == PIPE_SHADER_VERTEX) {
      for (unsigned i = 0; i < ctx->nr_vb; i++) {
         const struct pipe_vertex_buffer *vb = &ctx->vb[i];
         if (vb->is_user_buffer || !vb->buffer.resource)
            continue;
         struct agx_resource *rsrc = agx_resource(vb->buffer.resource);
         agx_batch_add_bo(batch, rsrc->bo);
         u.vbo_base[i] = rsrc->bo->va + vb->buffer_offset;
      }
   }
   for (unsigned i = 0; i < AGX_MAX_CBUFS; i++)
      u.ubo_base[i] = agx_cbuf_address(batch, &ctx->cb[sh][i]);
   memcpy(u.blend_constant, ctx->blend_color.color, sizeof(u.blend_constant));
   u.base_vertex = base_vertex;
   u.base_instance = info->start_instance;

   uint64_t u_va = agx_pool_upload(&batch->pool, &u, sizeof(u), 16);
   if (!u_va)
      return false;

   uint8_t words[512];
   unsigned n = 0;
   unsigned uniform_halfs = 2 * AGX_UNIFORM_PUSH_BASE;

   n += agx_usc_uniform_words(words + n, 0, 2 * AGX_UNIFORM_PUSH_BASE, u_va);

   for (unsigned i = 0; i < si->nr_push_ranges && i < AGX_MAX_PUSH_RANGES; i++) {
      const struct agx_push_range *pr = &si->push[i];
      if (!pr->size_B || !u.ubo_base[pr->cbuf])
         continue;
      n += agx_usc_uniform_words(words + n, 2 * pr->uniform, pr->size_B / 2,
                                 u.ubo_base[pr->cbuf] + pr->offset_B);
      uniform_halfs = MAX2(uniform_halfs, 2 * pr->uniform + pr->size_B / 2);
   }

   unsigned nr_tex = MIN2(si->nr_textures, PIPE_MAX_SHADER_SAMPLER_VIEWS);
   if (nr_tex) {
      uint64_t va;
      uint8_t *t = agx_pool_alloc(&batch->pool, 24 * nr_tex, 16, &va);
      if (!t)
         return false;
      for (unsigned i = 0; i < nr_tex; i++) {
         struct agx_sampler_view *v = ctx->views[sh][i];
         if (v) {
            memcpy(t + 24 * i, v->desc, 24);
            agx_batch_add_bo(batch, agx_resource(v->base.texture)->bo);
         } else {
            memset(t + 24 * i, 0, 24);
         }
      }
      AGX_PACK(words + n, USC_TEXTURE, cfg) {
         cfg.start = 0;
         cfg.count = nr_tex;
         cfg.buffer = va;
      }
      n += AGX_USC_TEXTURE_LENGTH;
   }

   unsigned nr_samp = MIN2(si->nr_samplers, 16);
   if (nr_samp) {
      uint64_t va;
      uint8_t *s = agx_pool_alloc(&batch->pool, 8 * nr_samp, 16, &va);
      if (!s)
         return false;
      for (unsigned i = 0; i < nr_samp; i++) {
         struct agx_sampler_state *ss = ctx->samplers[sh][i];
         if (ss)
            memcpy(s + 8 * i, ss->desc, 8);
         else
            memset(s + 8 * i, 0, 8);
      }
      AGX_PACK(words + n, USC_SAMPLER, cfg) {
         cfg.start = 0;
         cfg.count = nr_samp;
         cfg.buffer = va;
      }
      n += AGX_USC_SAMPLER_LENGTH;
   }

   if (sh == PIPE_SHADER_FRAGMENT) {
      agx_pack_usc_shared_tib(words + n, &batch->tib);
      n += AGX_USC_SHARED_LENGTH;
   }

   AGX_PACK(words + n, USC_SHADER, cfg) {
      cfg.code = cs->code_offset;
      cfg.loads_varyings = sh == PIPE_SHADER_FRAGMENT && si->nr_cf_bindings;
   }
   n += AGX_USC_SHADER_LENGTH;

   AGX_PACK(words + n, USC_REGISTERS, cfg) {
      cfg.register_count = CLAMP(ALIGN_POT(si->num_gprs * 2, 8), 8, 256);
   }
   n += AGX_USC_REGISTERS_LENGTH;

   if (sh == PIPE_SHADER_FRAGMENT) {
      AGX_PACK(words + n, USC_FRAGMENT_PROPERTIES, cfg) {
         cfg.early_z_testing = !si->uses_discard && !si->writes_depth &&
                               !si->writes_stencil;
      }
      n += AGX_USC_FRAGMENT_PROPERTIES_LENGTH;
   }

   AGX_PACK(words + n, USC_NO_PRESHADER, cfg)
      ;
   n += AGX_USC_NO_PRESHADER_LENGTH;

   uint64_t va = agx_pool_upload(&batch->pool_exec, words, n, 64);
   if (!va)
      return false;
   out->pipeline = (uint32_t)(va - ctx->dev->usc_base);

   uniform_halfs = MAX2(uniform_halfs, 2 * si->num_uniforms);
   AGX_PACK(&out->counts, COUNTS, cfg) {
      cfg.uniform_register_count = CLAMP(ALIGN_POT(uniform_halfs, 64), 64, 512);
      cfg.texture_state_register_count = CLAMP(ALIGN_POT(nr_tex, 8), 8, 256);
      cfg.sampler_state_register_count = agx_sampler_states(nr_samp);
   }
   return true;
}

/* Links the FS's coefficient registers to the VS's UVS slots. CF slot 0 is
 * 1/W; slot 1 + k is UVS word 4 + k (the 32-bit varyings after the
 * position). Returns the table's USC offset, 0 on failure.
 */
static uint32_t
agx_build_cf_bindings(struct agx_context *ctx, struct agx_batch *batch,
                      const struct agx_shader_info *vs,
                      const struct agx_shader_info *fs, unsigned nr_vary)
{
   const struct pipe_rasterizer_state *rast = &ctx->rast->base;
   uint8_t table[4 + 4 * AGX_MAX_CF_BINDINGS];
   unsigned nr = MIN2(fs->nr_cf_bindings, AGX_MAX_CF_BINDINGS);

   AGX_PACK(table, CF_BINDING_HEADER, cfg) {
      cfg.number_of_32_bit_slots = 1 + nr_vary;
      cfg.number_of_coefficient_registers = fs->nr_cf_regs;
   }

   for (unsigned i = 0; i < nr; i++) {
      const agx_shader_cf_binding *b = &fs->cf[i];

      AGX_PACK(table + 4 + 4 * i, CF_BINDING, cfg) {
         cfg.base_coefficient_register = b->cf_base;
         cfg.components = CLAMP(b->count, 1, 4);
         cfg.shade_model = AGX_SHADE_MODEL_LINEAR;

         switch (b->source) {
         case AGX_CF_FRAGCOORD_W:
            cfg.source = AGX_COEFFICIENT_SOURCE_VARYING;
            cfg.base_slot = 0;
            cfg.components = 1;
            break;
         case AGX_CF_FRAGCOORD_Z:
            cfg.source = AGX_COEFFICIENT_SOURCE_FRAGCOORD_Z;
            cfg.components = 1;
            break;
         case AGX_CF_POINT_COORD:
            cfg.source = AGX_COEFFICIENT_SOURCE_POINT_COORD;
            cfg.components = MIN2(cfg.components, 2);
            break;
         case AGX_CF_VARYING:
         default: {
            int uvs = b->slot < ARRAY_SIZE(vs->uvs_index) ? vs->uvs_index[b->slot]
                                                          : -1;
            cfg.source = AGX_COEFFICIENT_SOURCE_VARYING;
            if (uvs < 4 || uvs - 4 + b->component + cfg.components > nr_vary) {
               /* Not written by the VS: undefined in GL. Read 1/W rather
                * than out of bounds.
                */
               cfg.base_slot = 0;
               cfg.components = 1;
               break;
            }
            cfg.base_slot = 1 + (uvs - 4) + b->component;
            if (b->flat) {
               cfg.shade_model = rast->flatshade_first
                                    ? AGX_SHADE_MODEL_FLAT_VERTEX_0
                                    : AGX_SHADE_MODEL_FLAT_VERTEX_2;
            } else if (b->perspective) {
               cfg.shade_model = AGX_SHADE_MODEL_PERSPECTIVE;
            }
            break;
         }
         }
      }
   }

   uint64_t va = agx_pool_upload(&batch->pool_exec, table, 4 + 4 * nr, 4);
   return va ? (uint32_t)(va - ctx->dev->usc_base) : 0;
}

static unsigned
agx_push_scissor(struct agx_context *ctx, struct agx_batch *batch)
{
   const struct pipe_rasterizer_state *rast = &ctx->rast->base;
   const struct pipe_viewport_state *vp = &ctx->viewport;
   unsigned minx = 0, miny = 0, maxx = batch->fb.width, maxy = batch->fb.height;

   if (rast->scissor) {
      minx = MIN2(ctx->scissor.minx, maxx);
      miny = MIN2(ctx->scissor.miny, maxy);
      maxx = MIN2(ctx->scissor.maxx, maxx);
      maxy = MIN2(ctx->scissor.maxy, maxy);
   }

   float z0 = vp->translate[2] - fabsf(vp->scale[2]);
   float z1 = vp->translate[2] + fabsf(vp->scale[2]);

   unsigned index = util_dynarray_num_elements(&batch->scissor, uint8_t) /
                    AGX_SCISSOR_LENGTH;
   uint8_t *s = util_dynarray_grow_bytes(&batch->scissor, 1, AGX_SCISSOR_LENGTH);
   if (!s)
      return 0;
   AGX_PACK(s, SCISSOR, cfg) {
      cfg.min_x = minx;
      cfg.min_y = miny;
      cfg.max_x = MAX2(maxx, minx);
      cfg.max_y = MAX2(maxy, miny);
      cfg.min_z = CLAMP(z0, 0.0f, 1.0f);
      cfg.max_z = CLAMP(z1, 0.0f, 1.0f);
   }
   return index;
}

static unsigned
agx_push_depth_bias(struct agx_context *ctx, struct agx_batch *batch)
{
   const struct pipe_rasterizer_state *rast = &ctx->rast->base;
   unsigned index = util_dynarray_num_elements(&batch->depth_bias, uint8_t) /
                    AGX_DEPTH_BIAS_LENGTH;
   uint8_t *d =
      util_dynarray_grow_bytes(&batch->depth_bias, 1, AGX_DEPTH_BIAS_LENGTH);
   if (!d)
      return 0;
   AGX_PACK(d, DEPTH_BIAS, cfg) {
      /* Mesa's asahi driver uploads offset_units * 2. */
      cfg.depth_bias = rast->offset_units * 2.0f;
      cfg.slope_scale = rast->offset_scale;
      cfg.clamp = rast->offset_clamp;
   }
   return index;
}

/* The PPP update of a draw; returns its address and size in words. */
static uint64_t
agx_build_ppp(struct agx_context *ctx, struct agx_batch *batch,
              const struct agx_compiled_shader *vs,
              const struct agx_compiled_shader *fs,
              const struct agx_stage_words *fsw, uint32_t cf_table,
              unsigned nr_vary, enum mesa_prim mode, unsigned *size_words)
{
   const struct pipe_rasterizer_state *rast = &ctx->rast->base;
   static const struct pipe_depth_stencil_alpha_state no_zsa;
   const struct pipe_depth_stencil_alpha_state *zsa =
      ctx->zsa ? ctx->zsa : &no_zsa;
   struct pipe_surface *zs = batch->fb.zsbuf;
   if (zs && !agx_resource(zs->texture)->tiled)
      zs = NULL; /* not a ZLS buffer: ignored by the pass (agx_batch.c) */
   bool has_depth = zs && util_format_has_depth(util_format_description(zs->format));
   bool has_stencil =
      zs && util_format_has_stencil(util_format_description(zs->format));
   bool depth_test = has_depth && zsa->depth_enabled;
   bool depth_write = depth_test && zsa->depth_writemask;
   bool stencil = has_stencil && zsa->stencil[0].enabled;
   bool two_sided = stencil && zsa->stencil[1].enabled;
   bool offset = rast->offset_tri || rast->offset_line || rast->offset_point;

   unsigned scissor = agx_push_scissor(ctx, batch);
   unsigned dbias = offset ? agx_push_depth_bias(ctx, batch) : 0;

   uint64_t va;
   uint8_t *ppp = agx_pool_alloc(&batch->pool, 256, 64, &va);
   if (!ppp)
      return 0;
   unsigned n = 0;

   AGX_PACK(ppp + n, PPP_HEADER, cfg) {
      cfg.fragment_control = true;
      cfg.fragment_front_face = true;
      cfg.fragment_front_stencil = true;
      cfg.fragment_back_face = true;
      cfg.fragment_back_stencil = true;
      cfg.depth_bias_scissor = true;
      cfg.viewport = true;
      cfg.viewport_count = 1;
      cfg.w_clamp = true;
      cfg.output_select = true;
      cfg.varying_counts_32 = true;
      cfg.cull = true;
      cfg.cull_2 = true;
      cfg.fragment_shader = true;
      cfg.output_size = true;
   }
   n += 4;

   AGX_PACK(ppp + n, FRAGMENT_CONTROL, cfg) {
      cfg.scissor_enable = true;
      cfg.depth_bias_enable = offset;
      cfg.stencil_test_enable = stencil;
      cfg.two_sided_stencil = two_sided;
      cfg.tag_write_disable = rast->rasterizer_discard;
      cfg.disable_tri_merging = u_reduced_prim(mode) != MESA_PRIM_TRIANGLES;
      if (fs->info.uses_discard)
         cfg.pass_type = fs->info.reads_tib
                            ? AGX_PASS_TYPE_TRANSLUCENT_PUNCH_THROUGH
                            : AGX_PASS_TYPE_PUNCH_THROUGH;
      else
         cfg.pass_type = fs->info.reads_tib ? AGX_PASS_TYPE_TRANSLUCENT
                                            : AGX_PASS_TYPE_OPAQUE;
   }
   n += 4;

   float lw = CLAMP(rast->line_width, 1.0f, 16.0f);
   for (unsigned side = 0; side < 2; side++) {
      const struct pipe_stencil_state *st =
         &zsa->stencil[(side == 1 && two_sided) ? 1 : 0];

      AGX_PACK(ppp + n, FRAGMENT_FACE, cfg) {
         cfg.stencil_reference =
            ctx->stencil_ref.ref_value[(side == 1 && two_sided) ? 1 : 0];
         /* 4:4 fixed point, minus one */
         cfg.line_width = CLAMP((int)lrintf(lw * 16.0f) - 1, 0, 255);
         cfg.polygon_mode = AGX_POLYGON_MODE_FILL;
         cfg.disable_depth_write = !depth_write;
         cfg.depth_function =
            depth_test ? (enum agx_zs_func)zsa->depth_func : AGX_ZS_FUNC_ALWAYS;
      }
      n += 4;

      AGX_PACK(ppp + n, FRAGMENT_STENCIL, cfg) {
         if (stencil) {
            cfg.compare = (enum agx_zs_func)st->func;
            cfg.stencil_fail = agx_stencil_op(st->fail_op);
            cfg.depth_fail = agx_stencil_op(st->zfail_op);
            cfg.depth_pass = agx_stencil_op(st->zpass_op);
            cfg.write_mask = st->writemask;
            cfg.read_mask = st->valuemask;
         } else {
            cfg.compare = AGX_ZS_FUNC_ALWAYS;
            cfg.write_mask = 0;
            cfg.read_mask = 0xff;
         }
      }
      n += 4;
   }

   AGX_PACK(ppp + n, DEPTH_BIAS_SCISSOR, cfg) {
      cfg.scissor = scissor;
      cfg.depth_bias = dbias;
   }
   n += 4;

   AGX_PACK(ppp + n, VIEWPORT_CONTROL, cfg)
      ;
   n += 4;
   AGX_PACK(ppp + n, VIEWPORT, cfg) {
      cfg.translate_x = ctx->viewport.translate[0];
      cfg.scale_x = ctx->viewport.scale[0];
      cfg.translate_y = ctx->viewport.translate[1];
      cfg.scale_y = ctx->viewport.scale[1];
      cfg.translate_z = ctx->viewport.translate[2];
      cfg.scale_z = ctx->viewport.scale[2];
   }
   n += AGX_VIEWPORT_LENGTH;

   AGX_PACK(ppp + n, W_CLAMP, cfg) {
      cfg.w_clamp = 1e-10f;
   }
   n += 4;

   AGX_PACK(ppp + n, OUTPUT_SELECT, cfg) {
      cfg.varyings = true;
      cfg.point_size = vs->info.writes_psiz && mode == MESA_PRIM_POINTS;
   }
   n += 4;

   /* The counts only size the varying area; every 32-bit varying is
    * counted as smooth and the CF bindings pick the interpolation.
    */
   AGX_PACK(ppp + n, VARYING_COUNTS, cfg) {
      cfg.smooth = nr_vary;
   }
   n += 4;

   AGX_PACK(ppp + n, CULL, cfg) {
      cfg.cull_front = rast->cull_face & PIPE_FACE_FRONT;
      cfg.cull_back = rast->cull_face & PIPE_FACE_BACK;
      cfg.front_face_ccw = rast->front_ccw;
      cfg.flat_shading_vertex =
         rast->flatshade_first ? AGX_PPP_VERTEX_0 : AGX_PPP_VERTEX_2;
      cfg.depth_clip = rast->depth_clip_near;
      cfg.depth_clamp = !rast->depth_clip_near;
      cfg.rasterizer_discard = rast->rasterizer_discard;
   }
   n += 4;

   AGX_PACK(ppp + n, CULL_2, cfg) {
      cfg.clamp_w = true;
      cfg.rasterizer_discard = rast->rasterizer_discard;
   }
   n += 4;

   uint32_t w0 = fsw->counts;
   struct agx_counts counts;
   agx_unpack_counts(&w0, &counts);
   AGX_PACK(ppp + n, FRAGMENT_SHADER_WORD_0, cfg) {
      cfg.uniform_register_count = counts.uniform_register_count;
      cfg.texture_state_register_count = counts.texture_state_register_count;
      cfg.sampler_state_register_count = counts.sampler_state_register_count;
      cfg.cf_binding_count = fs->info.nr_cf_bindings;
   }
   AGX_PACK(ppp + n + 4, FRAGMENT_SHADER_WORD_1, cfg) {
      cfg.pipeline = fsw->pipeline;
   }
   AGX_PACK(ppp + n + 8, FRAGMENT_SHADER_WORD_2, cfg) {
      cfg.cf_bindings = cf_table;
   }
   AGX_PACK(ppp + n + 12, FRAGMENT_SHADER_WORD_3, cfg)
      ;
   n += 16;

   AGX_PACK(ppp + n, OUTPUT_SIZE, cfg) {
      cfg.count = vs->info.nr_uvs_slots;
   }
   n += 4;

   *size_words = n / 4;
   return va;
}

static void
agx_fs_key_init(struct agx_context *ctx, struct agx_batch *batch,
                struct agx_fs_key *key)
{
   memset(key, 0, sizeof(*key));
   key->tib = batch->tib;

   const struct pipe_blend_state *blend = ctx->blend;
   for (unsigned i = 0; i < AGX_MAX_RTS; i++) {
      if (blend) {
         key->blend[i] = blend->rt[blend->independent_blend_enable ? i : 0];
      } else {
         key->blend[i].colormask = 0xf;
      }
   }
   if (blend) {
      key->independent_blend = blend->independent_blend_enable;
      key->logicop_enable = blend->logicop_enable;
      key->logicop_func = blend->logicop_func;
      key->alpha_to_coverage = blend->alpha_to_coverage;
   }
   key->flatshade = ctx->rast->base.flatshade;
   key->sprite_coord = ctx->rast->base.sprite_coord_enable != 0;
}

static void
agx_vs_key_init(struct agx_context *ctx, struct agx_vs_key *key)
{
   memset(key, 0, sizeof(*key));
   key->nr_attribs = MIN2(ctx->ve->count, AGX_MAX_ATTRIBS);
   for (unsigned i = 0; i < key->nr_attribs; i++) {
      const struct pipe_vertex_element *el = &ctx->ve->el[i];
      key->attribs[i].format = el->src_format;
      key->attribs[i].src_offset_B = el->src_offset;
      key->attribs[i].stride_B = el->src_stride;
      key->attribs[i].buffer = el->vertex_buffer_index;
      key->attribs[i].instance_divisor = el->instance_divisor;
   }
}

static void
agx_warn_draw(struct agx_context *ctx, const char *why)
{
   if (!ctx->warned_draw) {
      mesa_logw("agx: draw dropped: %s", why);
      ctx->warned_draw = true;
   }
}

static void
agx_draw_one(struct agx_context *ctx, const struct pipe_draw_info *info,
             const struct pipe_draw_start_count_bias *draw)
{
   enum agx_primitive prim;

   if (!agx_primitive(info->mode, &prim)) {
      agx_warn_draw(ctx, "primitive type without hardware support");
      return;
   }
   if (!ctx->vs || !ctx->fs || !ctx->ve || !ctx->rast) {
      agx_warn_draw(ctx, "incomplete state");
      return;
   }
   if (!draw->count || !info->instance_count)
      return;
   /* A framebuffer without attachments has no size to render. */
   if (!ctx->fb.width || !ctx->fb.height)
      return;

   for (unsigned i = 0; i < ctx->nr_vb; i++) {
      if (ctx->vb[i].is_user_buffer) {
         agx_warn_draw(ctx, "user vertex buffers are not supported");
         return;
      }
   }

   /* Scissor and depth-bias indices are 16-bit: start a new pass before
    * they run out.
    */
   if (ctx->batch.active &&
       ctx->batch.scissor.size / AGX_SCISSOR_LENGTH >= UINT16_MAX - 1)
      agx_flush_batch(ctx, "scissor array full");

   struct agx_batch *batch = agx_get_batch(ctx);
   if (!batch)
      return;

   struct agx_vs_key vkey;
   struct agx_fs_key fkey;
   agx_vs_key_init(ctx, &vkey);
   agx_fs_key_init(ctx, batch, &fkey);

   struct agx_compiled_shader *vs = agx_get_vs(ctx->dev, ctx->vs, &vkey);
   struct agx_compiled_shader *fs = agx_get_fs(ctx->dev, ctx->fs, &fkey);
   if (!vs || !fs) {
      agx_warn_draw(ctx, "shader variant failed to compile");
      return;
   }
   /* The pass holds the code until it has run (the CSO may be deleted
    * before that).
    */
   if (vs->bo)
      agx_batch_add_bo(batch, vs->bo);
   if (fs->bo)
      agx_batch_add_bo(batch, fs->bo);

   unsigned nr_vary = vs->info.nr_uvs_slots > 4
                         ? vs->info.nr_uvs_slots - 4 - (vs->info.writes_psiz ? 1 : 0)
                         : 0;
   int32_t base_vertex = info->index_size ? draw->index_bias : (int32_t)draw->start;

   struct agx_stage_words vsw, fsw;
   if (!agx_build_stage(ctx, batch, PIPE_SHADER_VERTEX, vs, info, base_vertex,
                        &vsw) ||
       !agx_build_stage(ctx, batch, PIPE_SHADER_FRAGMENT, fs, info,
                        base_vertex, &fsw)) {
      agx_warn_draw(ctx, "out of memory");
      return;
   }

   uint32_t cf = agx_build_cf_bindings(ctx, batch, &vs->info, &fs->info, nr_vary);
   unsigned ppp_words = 0;
   uint64_t ppp = agx_build_ppp(ctx, batch, vs, fs, &fsw, cf, nr_vary,
                                info->mode, &ppp_words);
   if (!cf || !ppp) {
      agx_warn_draw(ctx, "out of memory");
      return;
   }

   /* Index buffer. */
   uint64_t ib = 0;
   unsigned ib_size = 0;
   if (info->index_size) {
      unsigned bytes = draw->count * info->index_size;
      if (info->has_user_indices) {
         ib = agx_pool_upload(&batch->pool,
                              (const uint8_t *)info->index.user +
                                 draw->start * info->index_size,
                              bytes, 4);
      } else {
         struct agx_resource *rsrc = agx_resource(info->index.resource);
         agx_batch_add_bo(batch, rsrc->bo);
         ib = rsrc->bo->va + draw->start * info->index_size;
      }
      if (!ib) {
         agx_warn_draw(ctx, "out of memory");
         return;
      }
      ib_size = ALIGN_POT(bytes, 4);
   }

   /* VDM: PPP state, VDM state, (restart index), index list. 8 + 24 + 8 +
    * 24 bytes at most.
    */
   uint8_t *out = agx_vdm_reserve(batch, 64);
   if (!out) {
      agx_warn_draw(ctx, "out of memory");
      return;
   }

   AGX_PACK(out, PPP_STATE, cfg) {
      cfg.pointer_hi = ppp >> 32;
      cfg.pointer_lo = ppp & 0xffffffff;
      cfg.size_words = ppp_words;
   }
   out += 8;

   AGX_PACK(out, VDM_STATE, cfg) {
      cfg.vertex_shader_word_0_present = true;
      cfg.vertex_shader_word_1_present = true;
      cfg.vertex_outputs_present = true;
      cfg.vertex_unknown_present = true;
      cfg.restart_index_present = info->index_size && info->primitive_restart;
   }
   out += 4;
   if (info->index_size && info->primitive_restart) {
      AGX_PACK(out, VDM_STATE_RESTART_INDEX, cfg) {
         cfg.value = info->restart_index;
      }
      out += 4;
   }
   struct agx_counts vc;
   agx_unpack_counts(&vsw.counts, &vc);
   AGX_PACK(out, VDM_STATE_VERTEX_SHADER_WORD_0, cfg) {
      cfg.uniform_register_count = vc.uniform_register_count;
      cfg.texture_state_register_count = vc.texture_state_register_count;
      cfg.sampler_state_register_count = vc.sampler_state_register_count;
   }
   AGX_PACK(out + 4, VDM_STATE_VERTEX_SHADER_WORD_1, cfg) {
      cfg.pipeline = vsw.pipeline;
   }
   AGX_PACK(out + 8, VDM_STATE_VERTEX_OUTPUTS, cfg) {
      cfg.output_count_1 = vs->info.nr_uvs_slots;
      cfg.output_count_2 = vs->info.nr_uvs_slots;
   }
   AGX_PACK(out + 12, VDM_STATE_VERTEX_UNKNOWN, cfg) {
      cfg.flat_shading_control = ctx->rast->base.flatshade_first
                                    ? AGX_VDM_VERTEX_0
                                    : AGX_VDM_VERTEX_2;
   }
   out += 16;
   /* VDM blocks are 8-byte aligned. */
   if (!(info->index_size && info->primitive_restart)) {
      memset(out, 0, 4);
      out += 4;
   }

   AGX_PACK(out, INDEX_LIST, cfg) {
      cfg.primitive = prim;
      cfg.index_count_present = true;
      cfg.instance_count_present = true;
      cfg.start_present = true;
      if (info->index_size) {
         cfg.index_buffer_hi = ib >> 32;
         cfg.index_buffer_present = true;
         cfg.index_buffer_size_present = true;
         cfg.restart_enable = info->primitive_restart;
         cfg.index_size = info->index_size == 1   ? AGX_INDEX_SIZE_U8
                          : info->index_size == 2 ? AGX_INDEX_SIZE_U16
                                                  : AGX_INDEX_SIZE_U32;
      }
   }
   out += 4;
   if (info->index_size) {
      AGX_PACK(out, INDEX_LIST_BUFFER_LO, cfg) {
         cfg.buffer_lo = ib & 0xffffffff;
      }
      out += 4;
   }
   AGX_PACK(out, INDEX_LIST_COUNT, cfg) {
      cfg.count = draw->count;
   }
   out += 4;
   AGX_PACK(out, INDEX_LIST_INSTANCES, cfg) {
      cfg.count = info->instance_count;
   }
   out += 4;
   AGX_PACK(out, INDEX_LIST_START, cfg) {
      cfg.start = info->index_size ? draw->index_bias : draw->start;
   }
   out += 4;
   if (info->index_size) {
      AGX_PACK(out, INDEX_LIST_BUFFER_SIZE, cfg) {
         cfg.size = ib_size;
      }
      out += 4;
   }

   /* agx_vdm_reserve() handed out 64 bytes; give back what is unused so
    * the next block follows directly (8-byte aligned).
    */
   batch->vdm_cur = (uint8_t *)ALIGN_POT((uintptr_t)out, 8);
   batch->draws++;
}

void
agx_draw_vbo(struct pipe_context *pctx, const struct pipe_draw_info *info,
             unsigned drawid_offset,
             const struct pipe_draw_indirect_info *indirect,
             const struct pipe_draw_start_count_bias *draws, unsigned num_draws)
{
   struct agx_context *ctx = agx_context(pctx);

   if (indirect) {
      agx_warn_draw(ctx, "indirect draws are not supported");
      return;
   }

   for (unsigned i = 0; i < num_draws; i++)
      agx_draw_one(ctx, info, &draws[i]);

   if (info->take_index_buffer_ownership && info->index_size &&
       !info->has_user_indices) {
      struct pipe_resource *ib = info->index.resource;
      pipe_resource_reference(&ib, NULL);
   }
}
