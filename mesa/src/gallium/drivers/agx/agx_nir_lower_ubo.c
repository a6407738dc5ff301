/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * Constant buffers (GL uniforms arrive as constant buffer 0, see
 * agx_shader.h).
 *
 *  - load_ubo with a constant buffer index and a constant, 4-byte aligned
 *    offset reads uniform registers: per constant buffer, one push range
 *    covers the bytes the shader reads that way (info->push[], uploaded by
 *    the command side into u72 onwards) -> load_preamble;
 *  - any other load_ubo (dynamic offset), and constant ones that do not fit
 *    the uniform file, load from memory: load_agx(ubo_base[i], offset / 4).
 *
 * Only 32-bit loads with a constant buffer index are supported.
 */
#include "agx_nir.h"
#include "compiler/nir/nir.h"
#include "compiler/nir/nir_builder.h"

#define AGX_MAX_UNIFORMS 256

struct ubo_ctx {
   struct agx_shader_info *info;
   unsigned lo[AGX_MAX_CBUFS], hi[AGX_MAX_CBUFS]; /* bytes read with constant offsets */
   int range[AGX_MAX_CBUFS];                       /* push range index or -1 */
   const char *error;
};

static bool
const_load(nir_intrinsic_instr *intr)
{
   return nir_src_is_const(intr->src[0]) && nir_src_is_const(intr->src[1]) &&
          !(nir_src_as_uint(intr->src[1]) & 3);
}

static bool
gather(nir_builder *b, nir_intrinsic_instr *intr, void *data)
{
   struct ubo_ctx *ctx = data;
   if (intr->intrinsic != nir_intrinsic_load_ubo)
      return false;
   if (!nir_src_is_const(intr->src[0]) || nir_src_as_uint(intr->src[0]) >= AGX_MAX_CBUFS ||
       intr->def.bit_size != 32) {
      ctx->error = "constant buffers: dynamic buffer index or non-32-bit load";
      return false;
   }
   if (!const_load(intr))
      return false;
   unsigned i = nir_src_as_uint(intr->src[0]), off = nir_src_as_uint(intr->src[1]);
   unsigned end = off + 4 * intr->def.num_components;
   ctx->lo[i] = MIN2(ctx->lo[i], off);
   ctx->hi[i] = MAX2(ctx->hi[i], end);
   return false;
}

static bool
lower(nir_builder *b, nir_intrinsic_instr *intr, void *data)
{
   struct ubo_ctx *ctx = data;
   if (intr->intrinsic != nir_intrinsic_load_ubo)
      return false;
   b->cursor = nir_before_instr(&intr->instr);
   unsigned i = nir_src_as_uint(intr->src[0]);
   unsigned n = intr->def.num_components;
   nir_def *v;
   if (const_load(intr) && ctx->range[i] >= 0) {
      const struct agx_push_range *r = &ctx->info->push[ctx->range[i]];
      unsigned off = nir_src_as_uint(intr->src[1]);
      unsigned uni = r->uniform + (off - r->offset_B) / 4;
      v = nir_load_preamble(b, n, 32, .base = AGX_UNIFORM_HALF(uni));
   } else {
      nir_def *base = nir_load_preamble(b, 1, 64, .base = AGX_UBO_BASE_HALF(i));
      nir_def *idx = nir_ushr_imm(b, intr->src[1].ssa, 2);
      v = nir_load_agx(b, n, 32, base, idx, .access = ACCESS_CAN_REORDER, .base = 0,
                       .format = PIPE_FORMAT_R32_UINT);
   }
   nir_def_replace(&intr->def, v);
   return true;
}

bool
agx_nir_lower_ubo(nir_shader *nir, struct agx_shader_info *info, const char **error)
{
   struct ubo_ctx ctx = { .info = info };
   for (unsigned i = 0; i < AGX_MAX_CBUFS; i++) {
      ctx.lo[i] = UINT32_MAX;
      ctx.hi[i] = 0;
      ctx.range[i] = -1;
   }
   nir_shader_intrinsics_pass(nir, gather, nir_metadata_all, &ctx);
   if (ctx.error) {
      *error = ctx.error;
      return false;
   }

   unsigned next = AGX_UNIFORM_PUSH_BASE;
   info->nr_push_ranges = 0;
   for (unsigned i = 0; i < AGX_MAX_CBUFS; i++) {
      if (ctx.hi[i] == 0)
         continue;
      unsigned size = ctx.hi[i] - ctx.lo[i];
      if (info->nr_push_ranges == AGX_MAX_PUSH_RANGES || next + size / 4 > AGX_MAX_UNIFORMS ||
          ctx.hi[i] > UINT16_MAX)
         continue; /* loaded from memory instead */
      ctx.range[i] = info->nr_push_ranges;
      info->push[info->nr_push_ranges++] = (struct agx_push_range){
         .cbuf = i,
         .offset_B = ctx.lo[i],
         .size_B = size,
         .uniform = next,
      };
      next += size / 4;
   }
   info->num_uniforms = next;

   nir_shader_intrinsics_pass(nir, lower, nir_metadata_control_flow, &ctx);
   return true;
}
