/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * Blending, logic ops and colour masks in the fragment shader (the hardware
 * has no blender: the shader reads the destination from the tile buffer).
 *
 *  1. gl_FragColor is broadcast: its store becomes one store per colour
 *     render target of the key (FRAG_RESULT_DATAi);
 *  2. Mesa's nir_lower_blend applies the key's blend state to the render
 *     targets that blend, use a logic op or mask channels, reading the
 *     destination with load_output (agx_nir_lower_fs_outputs turns it into
 *     ld_tile);
 *  3. the blend constant comes from u64..u67 (agx_draw_uniforms);
 *  4. alpha to coverage (key->alpha_to_coverage) drops samples by RT 0's
 *     alpha before blending.
 */
#include "agx_nir.h"
#include "compiler/nir/nir.h"
#include "compiler/nir/nir_builder.h"
#include "compiler/nir/nir_lower_blend.h"

static bool
broadcast_color(nir_builder *b, nir_intrinsic_instr *intr, void *data)
{
   const struct agx_fs_key *key = data;
   if (intr->intrinsic != nir_intrinsic_store_output ||
       nir_intrinsic_io_semantics(intr).location != FRAG_RESULT_COLOR)
      return false;
   b->cursor = nir_before_instr(&intr->instr);
   for (unsigned rt = 0; rt < key->tib.nr_rts; rt++) {
      if (key->tib.format[rt] == PIPE_FORMAT_NONE)
         continue;
      nir_io_semantics sem = nir_intrinsic_io_semantics(intr);
      sem.location = FRAG_RESULT_DATA0 + rt;
      nir_store_output(b, intr->src[0].ssa, intr->src[1].ssa,
                       .base = nir_intrinsic_base(intr),
                       .write_mask = nir_intrinsic_write_mask(intr),
                       .component = nir_intrinsic_component(intr),
                       .src_type = nir_intrinsic_src_type(intr), .io_semantics = sem);
   }
   nir_instr_remove(&intr->instr);
   return true;
}

static bool
lower_blend_const(nir_builder *b, nir_intrinsic_instr *intr, void *data)
{
   if (intr->intrinsic != nir_intrinsic_load_blend_const_color_rgba)
      return false;
   b->cursor = nir_before_instr(&intr->instr);
   nir_def_replace(&intr->def, nir_load_preamble(b, 4, 32, .base = AGX_UNIFORM_HALF(64)));
   return true;
}

/* Alpha to coverage: of the pass's n samples keep the first
 * floor(clamp(alpha) * n + 0.5), alpha = render target 0's alpha output;
 * the others lose coverage (discard_agx of their mask). */
static bool
alpha_to_coverage(nir_builder *b, nir_intrinsic_instr *intr, void *data)
{
   const struct agx_fs_key *key = data;
   if (intr->intrinsic != nir_intrinsic_store_output ||
       nir_intrinsic_io_semantics(intr).location != FRAG_RESULT_DATA0 ||
       nir_intrinsic_component(intr) != 0 || !(nir_intrinsic_write_mask(intr) & 0x8) ||
       intr->src[0].ssa->num_components < 4)
      return false;
   b->cursor = nir_before_instr(&intr->instr);
   unsigned n = key->tib.nr_samples;
   nir_def *a = nir_fsat(b, nir_f2f32(b, nir_channel(b, intr->src[0].ssa, 3)));
   nir_def *k = nir_f2u32(b, nir_fadd_imm(b, nir_fmul_imm(b, a, n), 0.5));
   nir_def *keep = nir_isub(b, nir_ishl(b, nir_imm_int(b, 1), k), nir_imm_int(b, 1));
   nir_def *drop = nir_iand_imm(b, nir_inot(b, keep), 0xff);
   nir_discard_agx(b, nir_u2u16(b, drop));
   return true;
}

bool
agx_nir_lower_blend(nir_shader *nir, const struct agx_fs_key *key)
{
   nir_shader_intrinsics_pass(nir, broadcast_color, nir_metadata_control_flow, (void *)key);
   if (key->alpha_to_coverage)
      nir_shader_intrinsics_pass(nir, alpha_to_coverage, nir_metadata_control_flow,
                                 (void *)key);

   nir_lower_blend_options opts = {
      .logicop_enable = key->logicop_enable,
      .logicop_func = key->logicop_func,
   };
   bool any = false;
   for (unsigned rt = 0; rt < 8; rt++) {
      const struct pipe_rt_blend_state *bs = &key->blend[key->independent_blend ? rt : 0];
      enum pipe_format f = rt < key->tib.nr_rts ? key->tib.format[rt] : PIPE_FORMAT_NONE;
      opts.format[rt] = PIPE_FORMAT_NONE;
      opts.rt[rt].colormask = bs->colormask;
      if (bs->blend_enable) {
         opts.rt[rt].rgb = (nir_lower_blend_channel){ bs->rgb_func, bs->rgb_src_factor,
                                                      bs->rgb_dst_factor };
         opts.rt[rt].alpha = (nir_lower_blend_channel){ bs->alpha_func, bs->alpha_src_factor,
                                                        bs->alpha_dst_factor };
      } else {
         opts.rt[rt].rgb = opts.rt[rt].alpha = (nir_lower_blend_channel){
            PIPE_BLEND_ADD, PIPE_BLENDFACTOR_ONE, PIPE_BLENDFACTOR_ZERO };
      }
      if (f != PIPE_FORMAT_NONE &&
          (bs->blend_enable || key->logicop_enable || (bs->colormask & 0xf) != 0xf)) {
         opts.format[rt] = f;
         any = true;
      }
   }
   if (any) {
      NIR_PASS(_, nir, nir_lower_blend, &opts);
      NIR_PASS(_, nir, nir_shader_intrinsics_pass, lower_blend_const,
               nir_metadata_control_flow, NULL);
   }
   return true;
}
