/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * Vertex shader outputs -> st_var into the unified vertex store (UVS).
 *
 * Layout (32-bit words, info->uvs_index[slot] = first word):
 *    0-3        gl_Position
 *    4..        every other written varying slot, in slot order, 4 words
 *               each (components the shader does not write are padded
 *               with 0, 0, 0, 1 at the end of the shader so that the
 *               fragment side can always bind 4 components)
 *    last       gl_PointSize, when written (one word, after the varyings,
 *               where the hardware's output select expects it), clamped
 *               to [1, AGX_MAX_POINT_SIZE]
 *
 * Clip distances are ordinary varyings here (the fragment shader discards
 * with them, agx_fs_key::clip_plane_enable). Cull distances, clip vertex,
 * layer, viewport index and edge flags are not stored (not supported;
 * their stores are dropped).
 */
#include "agx_nir.h"
#include "compiler/nir/nir.h"
#include "compiler/nir/nir_builder.h"

static bool
dropped_slot(unsigned slot)
{
   return slot == VARYING_SLOT_CULL_DIST0 || slot == VARYING_SLOT_CULL_DIST1 ||
          slot == VARYING_SLOT_CLIP_VERTEX || slot == VARYING_SLOT_LAYER ||
          slot == VARYING_SLOT_VIEWPORT || slot == VARYING_SLOT_EDGE ||
          slot == VARYING_SLOT_PRIMITIVE_ID;
}

struct uvs_ctx {
   struct agx_shader_info *info;
   uint8_t written[64]; /* component mask per slot */
   const char *error;
};

static bool
gather(nir_builder *b, nir_intrinsic_instr *intr, void *data)
{
   struct uvs_ctx *ctx = data;
   if (intr->intrinsic != nir_intrinsic_store_output)
      return false;
   nir_io_semantics sem = nir_intrinsic_io_semantics(intr);
   if (!nir_src_is_const(intr->src[1])) {
      ctx->error = "vertex outputs: indirect output store";
      return false;
   }
   unsigned slot = sem.location + nir_src_as_uint(intr->src[1]);
   if (slot >= 64) {
      ctx->error = "vertex outputs: slot out of range";
      return false;
   }
   ctx->written[slot] |= nir_intrinsic_write_mask(intr) << nir_intrinsic_component(intr);
   return false;
}

static bool
lower(nir_builder *b, nir_intrinsic_instr *intr, void *data)
{
   struct uvs_ctx *ctx = data;
   if (intr->intrinsic != nir_intrinsic_store_output)
      return false;
   nir_io_semantics sem = nir_intrinsic_io_semantics(intr);
   unsigned slot = sem.location + nir_src_as_uint(intr->src[1]);
   b->cursor = nir_before_instr(&intr->instr);
   int first = ctx->info->uvs_index[slot];
   if (first >= 0) {
      nir_def *v = intr->src[0].ssa;
      if (v->bit_size == 16)
         v = nir_type_convert(b, v, nir_intrinsic_src_type(intr),
                              nir_alu_type_get_base_type(nir_intrinsic_src_type(intr)) | 32,
                              nir_rounding_mode_undef);
      if (v->bit_size != 32) {
         ctx->error = "vertex outputs: only 16/32-bit outputs";
         return false;
      }
      unsigned comp = nir_intrinsic_component(intr);
      if (slot == VARYING_SLOT_PSIZ) {
         /* GL clamps the point size to the implementation's range */
         v = nir_fmin(b, nir_fmax(b, v, nir_imm_float(b, 1.0f)),
                      nir_imm_float(b, AGX_MAX_POINT_SIZE));
      }
      u_foreach_bit(i, nir_intrinsic_write_mask(intr)) {
         nir_store_uvs_agx(b, nir_channel(b, v, i),
                           nir_imm_intN_t(b, first + comp + i, 16));
      }
   }
   nir_instr_remove(&intr->instr);
   return true;
}

bool
agx_nir_lower_uvs(nir_shader *nir, struct agx_shader_info *info, const char **error)
{
   struct uvs_ctx ctx = { .info = info };
   nir_shader_intrinsics_pass(nir, gather, nir_metadata_all, &ctx);
   if (ctx.error) {
      *error = ctx.error;
      return false;
   }
   if ((ctx.written[VARYING_SLOT_POS] & 0xf) != 0xf) {
      *error = "vertex shader does not write all of gl_Position";
      return false;
   }

   memset(info->uvs_index, -1, sizeof(info->uvs_index));
   info->uvs_index[VARYING_SLOT_POS] = 0;
   unsigned words = 4;
   for (unsigned slot = 0; slot < 64; slot++) {
      if (!ctx.written[slot] || slot == VARYING_SLOT_POS || slot == VARYING_SLOT_PSIZ ||
          dropped_slot(slot))
         continue;
      info->uvs_index[slot] = words;
      words += 4;
   }
   if (ctx.written[VARYING_SLOT_PSIZ]) {
      info->uvs_index[VARYING_SLOT_PSIZ] = words++;
      info->writes_psiz = true;
   }
   info->nr_uvs_slots = words;

   nir_shader_intrinsics_pass(nir, lower, nir_metadata_control_flow, &ctx);
   if (ctx.error) {
      *error = ctx.error;
      return false;
   }

   /* pad unwritten components of varyings: (0, 0, 0, 1) */
   nir_function_impl *impl = nir_shader_get_entrypoint(nir);
   nir_builder b = nir_builder_at(nir_after_impl(impl));
   for (unsigned slot = 0; slot < 64; slot++) {
      int first = info->uvs_index[slot];
      if (first < 0 || slot == VARYING_SLOT_POS || slot == VARYING_SLOT_PSIZ)
         continue;
      for (unsigned c = 0; c < 4; c++) {
         if (ctx.written[slot] & BITFIELD_BIT(c))
            continue;
         nir_store_uvs_agx(&b, nir_imm_float(&b, c == 3 ? 1.0f : 0.0f),
                           nir_imm_intN_t(&b, first + c, 16));
      }
   }
   nir_metadata_preserve(impl, nir_metadata_control_flow);
   return true;
}
