/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * Fragment shader inputs -> coefficient registers.
 *
 * Assigns coefficient registers (cf) and records them as CF bindings in
 * info->cf (agx_shader.h); rewrites every input load so that its BASE is
 * the first coefficient register of the binding (agxc reads cf BASE +
 * COMPONENT):
 *
 *    cf0         1/w (AGX_CF_FRAGCOORD_W, linear), when anything is
 *                perspective-interpolated or gl_FragCoord.w is read: agxc
 *                emits iterproj cfN, cf0 for perspective inputs
 *    next        window z (AGX_CF_FRAGCOORD_Z, linear) if gl_FragCoord.z is
 *                read
 *    then        4 registers per (varying slot, flat/perspective/linear)
 *                (AGX_CF_VARYING, component 0, count 4), or 2 for
 *                gl_PointCoord (AGX_CF_POINT_COORD)
 *
 * Flat inputs become load_input (agxc: ldcf), others
 * load_interpolated_input (agxc: iter/iterproj). With key->flatshade,
 * colour inputs without an explicit qualifier are flat.
 * gl_FragCoord = (pixel x + 0.5, pixel y + 0.5, z, 1/w). gl_FrontFacing as
 * an input (VARYING_SLOT_FACE) comes from the hardware's facing: +1 / -1
 * (float) or ~0 / 0 (integer).
 */
#include "agx_nir.h"
#include "compiler/nir/nir.h"
#include "compiler/nir/nir_builder.h"

struct fsin_ctx {
   const struct agx_fs_key *key;
   struct agx_shader_info *info;
   bool need_w, need_z;
   const char *error;
};

static bool
is_color(unsigned slot)
{
   return slot == VARYING_SLOT_COL0 || slot == VARYING_SLOT_COL1 ||
          slot == VARYING_SLOT_BFC0 || slot == VARYING_SLOT_BFC1;
}

/* How an input load is interpolated: 0 flat, 1 linear, 2 perspective. */
static unsigned
input_mode(const struct fsin_ctx *ctx, nir_intrinsic_instr *intr, unsigned slot)
{
   if (intr->intrinsic == nir_intrinsic_load_input)
      return 0;
   nir_intrinsic_instr *bary = nir_src_as_intrinsic(intr->src[0]);
   enum glsl_interp_mode m = bary ? nir_intrinsic_interp_mode(bary) : INTERP_MODE_NONE;
   if (m == INTERP_MODE_FLAT)
      return 0;
   if (m == INTERP_MODE_NONE && ctx->key->flatshade && is_color(slot))
      return 0;
   return m == INTERP_MODE_NOPERSPECTIVE ? 1 : 2;
}

static bool
is_input(nir_intrinsic_instr *intr)
{
   return intr->intrinsic == nir_intrinsic_load_input ||
          intr->intrinsic == nir_intrinsic_load_interpolated_input;
}

static unsigned
input_slot(nir_intrinsic_instr *intr)
{
   nir_src *off = nir_get_io_offset_src(intr);
   return nir_intrinsic_io_semantics(intr).location +
          (nir_src_is_const(*off) ? nir_src_as_uint(*off) : 0);
}

static bool
gather(nir_builder *b, nir_intrinsic_instr *intr, void *data)
{
   struct fsin_ctx *ctx = data;
   if (intr->intrinsic == nir_intrinsic_load_frag_coord) {
      ctx->need_w = ctx->need_z = true;
      return false;
   }
   if (!is_input(intr))
      return false;
   if (!nir_src_is_const(*nir_get_io_offset_src(intr))) {
      ctx->error = "fragment inputs: indirect input load";
      return false;
   }
   unsigned slot = input_slot(intr);
   if (slot == VARYING_SLOT_POS) {
      ctx->need_w = ctx->need_z = true;
   } else if (slot != VARYING_SLOT_PNTC && slot != VARYING_SLOT_FACE &&
              input_mode(ctx, intr, slot) == 2) {
      ctx->need_w = true;
   }
   return false;
}

static int
add_binding(struct fsin_ctx *ctx, enum agx_cf_source src, unsigned slot, unsigned count,
            bool flat, bool perspective)
{
   struct agx_shader_info *info = ctx->info;
   for (unsigned i = 0; i < info->nr_cf_bindings; i++) {
      struct agx_cf_binding *c = &info->cf[i];
      if (c->source == src && c->slot == slot && c->flat == flat &&
          c->perspective == perspective)
         return c->cf_base;
   }
   if (info->nr_cf_bindings == AGX_MAX_CF_BINDINGS || info->nr_cf_regs + count > 64) {
      ctx->error = "fragment inputs: too many coefficient registers";
      return -1;
   }
   info->cf[info->nr_cf_bindings++] = (struct agx_cf_binding){
      .source = src,
      .slot = slot,
      .component = 0,
      .count = count,
      .flat = flat,
      .perspective = perspective,
      .cf_base = info->nr_cf_regs,
   };
   info->nr_cf_regs += count;
   return info->cf[info->nr_cf_bindings - 1].cf_base;
}

static nir_def *
linear_cf(nir_builder *b, unsigned cf)
{
   nir_def *bary = nir_load_barycentric_pixel(b, 32, .interp_mode = INTERP_MODE_NOPERSPECTIVE);
   return nir_load_interpolated_input(b, 1, 32, bary, nir_imm_int(b, 0), .base = cf,
                                      .component = 0);
}

static nir_def *
frag_coord(nir_builder *b, struct fsin_ctx *ctx)
{
   nir_def *px = nir_u2u32(b, nir_load_pixel_coord(b));
   nir_def *xy = nir_fadd_imm(b, nir_u2f32(b, px), 0.5f);
   int z = add_binding(ctx, AGX_CF_FRAGCOORD_Z, 0, 1, false, false);
   if (z < 0)
      return NULL;
   return nir_vec4(b, nir_channel(b, xy, 0), nir_channel(b, xy, 1), linear_cf(b, z),
                   linear_cf(b, 0));
}

static bool
lower(nir_builder *b, nir_intrinsic_instr *intr, void *data)
{
   struct fsin_ctx *ctx = data;
   b->cursor = nir_before_instr(&intr->instr);

   if (intr->intrinsic == nir_intrinsic_load_frag_coord) {
      nir_def *v = frag_coord(b, ctx);
      if (!v)
         return false;
      nir_def_replace(&intr->def, v);
      return true;
   }
   if (!is_input(intr))
      return false;
   if (intr->def.bit_size != 32) {
      ctx->error = "fragment inputs: only 32-bit inputs";
      return false;
   }

   unsigned slot = input_slot(intr), comp = nir_intrinsic_component(intr);
   unsigned n = intr->def.num_components;
   nir_def *v;
   if (slot == VARYING_SLOT_POS) {
      v = frag_coord(b, ctx);
      if (!v)
         return false;
      v = nir_channels(b, v, BITFIELD_RANGE(comp, n));
   } else if (slot == VARYING_SLOT_FACE) {
      /* gl_FrontFacing as an input (without the integer system value
       * cap), from the hardware's facing: a float input is +1 front / -1
       * back, an integer one a 32-bit boolean (~0 / 0) */
      bool is_float = nir_alu_type_get_base_type(nir_intrinsic_dest_type(intr)) ==
                      nir_type_float;
      nir_def *f = nir_bcsel(b, nir_load_front_face(b, 1),
                             is_float ? nir_imm_float(b, 1.0f) : nir_imm_int(b, ~0),
                             is_float ? nir_imm_float(b, -1.0f) : nir_imm_int(b, 0));
      nir_def *c[4];
      for (unsigned i = 0; i < n; i++)
         c[i] = comp + i == 0 ? f : nir_imm_float(b, comp + i == 3 ? 1.0f : 0.0f);
      v = nir_vec(b, c, n);
   } else if (slot == VARYING_SLOT_PNTC) {
      int cf = add_binding(ctx, AGX_CF_POINT_COORD, slot, 2, false, false);
      if (cf < 0)
         return false;
      nir_def *c[4];
      for (unsigned i = 0; i < n; i++) {
         c[i] = comp + i < 2 ? linear_cf(b, cf + comp + i) : nir_imm_float(b, 0.0f);
      }
      v = nir_vec(b, c, n);
   } else {
      if (slot >= 64) {
         ctx->error = "fragment inputs: slot out of range";
         return false;
      }
      unsigned mode = input_mode(ctx, intr, slot);
      int cf = add_binding(ctx, AGX_CF_VARYING, slot, 4, mode == 0, mode == 2);
      if (cf < 0)
         return false;
      if (mode == 0) {
         v = nir_load_input(b, n, 32, nir_imm_int(b, 0), .base = cf, .component = comp);
      } else {
         nir_def *bary = nir_load_barycentric_pixel(
            b, 32, .interp_mode = mode == 1 ? INTERP_MODE_NOPERSPECTIVE : INTERP_MODE_SMOOTH);
         nir_intrinsic_instr *orig = nir_src_as_intrinsic(intr->src[0]);
         if (orig && orig->intrinsic == nir_intrinsic_load_barycentric_centroid)
            bary = nir_load_barycentric_centroid(
               b, 32, .interp_mode = mode == 1 ? INTERP_MODE_NOPERSPECTIVE : INTERP_MODE_SMOOTH);
         v = nir_load_interpolated_input(b, n, 32, bary, nir_imm_int(b, 0), .base = cf,
                                         .component = comp);
      }
   }
   nir_def_replace(&intr->def, v);
   return true;
}

bool
agx_nir_lower_fs_inputs(nir_shader *nir, const struct agx_fs_key *key,
                        struct agx_shader_info *info, const char **error)
{
   struct fsin_ctx ctx = { .key = key, .info = info };
   info->nr_cf_bindings = info->nr_cf_regs = 0;
   nir_shader_intrinsics_pass(nir, gather, nir_metadata_all, &ctx);
   if (ctx.error) {
      *error = ctx.error;
      return false;
   }
   if (ctx.need_w)
      add_binding(&ctx, AGX_CF_FRAGCOORD_W, 0, 1, false, false); /* cf0 */
   nir_shader_intrinsics_pass(nir, lower, nir_metadata_control_flow, &ctx);
   if (ctx.error) {
      *error = ctx.error;
      return false;
   }
   return true;
}
