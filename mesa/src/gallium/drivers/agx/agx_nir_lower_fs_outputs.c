/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * Fragment shader outputs -> tile buffer.
 *
 *    gl_FragData[i] / out of location i  -> st_tile to render target i
 *    gl_FragColor                        -> st_tile to every render target
 *    (both: store_local_pixel_agx, BASE = the RT's byte offset in the
 *    sample, FORMAT = the RT format, all samples (mask 0xff); components
 *    the shader leaves out are 0, alpha 1)
 *    gl_FragDepth / gl_FragStencilRefARB -> zs_emit (store_zs_agx), which
 *    stays before the colour stores: the colour stores of the last block
 *    are moved to its end, after any discard or depth write
 *    load_output (framebuffer fetch, blending) -> ld_tile
 *    (load_local_pixel_agx)
 *
 * Render targets without a format (PIPE_FORMAT_NONE) are not written.
 */
#include "agx_nir.h"
#include "compiler/nir/nir.h"
#include "compiler/nir/nir_builder.h"
#include "util/format/u_format.h"
#include "util/u_dynarray.h"

struct fsout_ctx {
   const struct agx_tilebuffer_layout *tib;
   struct agx_shader_info *info;
   struct util_dynarray moved; /* nir_instr * of colour stores */
   const char *error;
};

static nir_def *
pad_value(nir_builder *b, nir_def *v, unsigned comp, enum pipe_format fmt)
{
   bool is_int = util_format_is_pure_integer(fmt);
   nir_def *c[4];
   for (unsigned i = 0; i < 4; i++) {
      if (i >= comp && i < comp + v->num_components) {
         c[i] = nir_channel(b, v, i - comp);
         if (c[i]->bit_size == 16)
            c[i] = is_int ? nir_u2u32(b, c[i]) : nir_f2f32(b, c[i]);
      } else if (i == 3) {
         c[i] = is_int ? nir_imm_int(b, 1) : nir_imm_float(b, 1.0f);
      } else {
         c[i] = nir_imm_int(b, 0);
      }
   }
   return nir_vec(b, c, 4);
}

static void
store_rt(nir_builder *b, struct fsout_ctx *ctx, unsigned rt, nir_def *v, unsigned comp)
{
   enum pipe_format fmt = ctx->tib->format[rt];
   if (rt >= ctx->tib->nr_rts || fmt == PIPE_FORMAT_NONE)
      return;
   unsigned n = util_format_get_nr_components(fmt);
   nir_def *val = nir_trim_vector(b, pad_value(b, v, comp, fmt), n);
   nir_intrinsic_instr *st = nir_store_local_pixel_agx(
      b, val, nir_imm_intN_t(b, 0xff, 16), nir_undef(b, 2, 16),
      .base = ctx->tib->offset_B[rt], .write_mask = BITFIELD_MASK(n), .format = fmt);
   util_dynarray_append(&ctx->moved, nir_instr *, &st->instr);
}

static bool
lower(nir_builder *b, nir_intrinsic_instr *intr, void *data)
{
   struct fsout_ctx *ctx = data;
   if (intr->intrinsic != nir_intrinsic_store_output &&
       intr->intrinsic != nir_intrinsic_load_output)
      return false;
   nir_io_semantics sem = nir_intrinsic_io_semantics(intr);
   b->cursor = nir_before_instr(&intr->instr);
   unsigned loc = sem.location;
   unsigned comp = nir_intrinsic_component(intr);

   if (intr->intrinsic == nir_intrinsic_load_output) {
      unsigned rt = loc == FRAG_RESULT_COLOR ? 0 : loc - FRAG_RESULT_DATA0;
      if (loc < FRAG_RESULT_DATA0 && loc != FRAG_RESULT_COLOR) {
         ctx->error = "fragment outputs: load of a non-colour output";
         return false;
      }
      enum pipe_format fmt = rt < ctx->tib->nr_rts ? ctx->tib->format[rt] : PIPE_FORMAT_NONE;
      nir_def *v;
      if (fmt == PIPE_FORMAT_NONE) {
         v = nir_imm_zero(b, intr->def.num_components, intr->def.bit_size);
      } else {
         unsigned n = util_format_get_nr_components(fmt);
         nir_def *t = nir_load_local_pixel_agx(b, n, 32, nir_imm_intN_t(b, 0xff, 16),
                                               .base = ctx->tib->offset_B[rt],
                                               .format = fmt);
         nir_def *c[4];
         for (unsigned i = 0; i < intr->def.num_components; i++) {
            unsigned k = comp + i;
            nir_def *x = k < n ? nir_channel(b, t, k) :
                         k == 3 ? nir_imm_float(b, 1.0f) : nir_imm_float(b, 0.0f);
            if (intr->def.bit_size == 16)
               x = util_format_is_pure_integer(fmt) ? nir_u2u16(b, x) : nir_f2f16(b, x);
            c[i] = x;
         }
         v = nir_vec(b, c, intr->def.num_components);
         ctx->info->reads_tib = true;
      }
      nir_def_replace(&intr->def, v);
      return true;
   }

   nir_def *v = intr->src[0].ssa;
   if (loc == FRAG_RESULT_DEPTH || loc == FRAG_RESULT_STENCIL) {
      bool depth = loc == FRAG_RESULT_DEPTH;
      nir_def *x = nir_channel(b, v, 0);
      nir_def *z = depth ? nir_f2f32(b, x) : nir_imm_float(b, 0.0f);
      nir_def *s = depth ? nir_imm_int(b, 0) : nir_u2u32(b, x);
      nir_store_zs_agx(b, nir_imm_intN_t(b, 0xff, 16), z, s, .base = depth ? 1 : 2);
      if (depth)
         ctx->info->writes_depth = true;
      else
         ctx->info->writes_stencil = true;
   } else if (loc == FRAG_RESULT_COLOR) {
      for (unsigned rt = 0; rt < ctx->tib->nr_rts; rt++)
         store_rt(b, ctx, rt, v, comp);
   } else if (loc >= FRAG_RESULT_DATA0 && loc < FRAG_RESULT_DATA0 + AGX_MAX_RTS) {
      if (sem.dual_source_blend_index) {
         ctx->error = "fragment outputs: dual-source blending is not supported";
         return false;
      }
      store_rt(b, ctx, loc - FRAG_RESULT_DATA0, v, comp);
   } else if (loc == FRAG_RESULT_SAMPLE_MASK) {
      ctx->error = "fragment outputs: gl_SampleMask is not supported";
      return false;
   }
   nir_instr_remove(&intr->instr);
   return true;
}

bool
agx_nir_lower_fs_outputs(nir_shader *nir, const struct agx_tilebuffer_layout *tib,
                         struct agx_shader_info *info, const char **error)
{
   struct fsout_ctx ctx = { .tib = tib, .info = info };
   util_dynarray_init(&ctx.moved, NULL);
   nir_shader_intrinsics_pass(nir, lower, nir_metadata_control_flow, &ctx);

   /* colour stores of the last block go to its end (after depth writes
    * and discards); the values they store dominate it */
   nir_function_impl *impl = nir_shader_get_entrypoint(nir);
   nir_block *last = nir_impl_last_block(impl);
   util_dynarray_foreach(&ctx.moved, nir_instr *, pi) {
      nir_instr *st = *pi;
      if (st->block != last)
         continue;
      nir_instr_remove(st);
      nir_instr_insert(nir_after_block(last), st);
   }
   util_dynarray_fini(&ctx.moved);
   nir_metadata_preserve(impl, nir_metadata_control_flow);
   if (ctx.error) {
      *error = ctx.error;
      return false;
   }
   return true;
}
