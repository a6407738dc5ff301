/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * The compiler pipeline: NIR lowering/optimisation, translation, backend
 * DCE, register allocation, pseudo-op lowering, encoding.
 */
#include "agxc.h"
#include "compiler/nir/nir.h"
#include "compiler/nir/nir_builder.h"
#include "util/ralloc.h"
#include "util/u_math.h"

static const nir_shader_compiler_options agxc_options = {
   .lower_fdiv = true,         /* a * rcp(b) */
   .lower_fsqrt = true,        /* rcp(rsqrt(a)) */
   .lower_flrp32 = true,
   .lower_fpow = true,
   .lower_fmod = true,
   .lower_ffract = true,
   .lower_fsign = true,
   .lower_isign = true,
   .lower_iabs = true,
   .lower_scmp = true,
   .lower_ldexp = true,
   .lower_bitfield_extract = true,
   .lower_bitfield_insert = true,
   .lower_ifind_msb = true,
   .lower_find_lsb = true,
   .lower_uadd_carry = true,
   .lower_usub_borrow = true,
   .lower_mul_high = true,
   .lower_fdph = true,
   .lower_extract_byte = true,
   .lower_extract_word = true,
   .lower_insert_byte = true,
   .lower_insert_word = true,
   .lower_hadd = true,
   .lower_int64_options = ~0,
   .lower_doubles_options = ~0,
   .has_cs_global_id = true,
   /* GL uniforms arrive as UBO 0 (st_nir_lower_uniforms), see agx_shader.h */
   .lower_uniforms_to_ubo = true,
   .max_unroll_iterations = 32,
};

const struct nir_shader_compiler_options *
agxc_nir_options(void)
{
   return &agxc_options;
}

/*
 * sin/cos as polynomials (the simulator does not execute sin_pt_1/2):
 * t = x / 2pi (+ 1/4 for cos), reduced to [-1/2, 1/2] turns, folded to
 * [-1/4, 1/4] (sin(pi - y) = sin y), then the odd Taylor polynomial of
 * degree 11 in y = 2 pi t: |error| < 6e-8 on [-pi/2, pi/2].
 */
static bool
lower_sincos_instr(nir_builder *b, nir_instr *instr, void *data)
{
   if (instr->type != nir_instr_type_alu)
      return false;
   nir_alu_instr *alu = nir_instr_as_alu(instr);
   if ((alu->op != nir_op_fsin && alu->op != nir_op_fcos) || alu->def.bit_size != 32)
      return false;
   b->cursor = nir_before_instr(instr);
   nir_def *x = nir_ssa_for_alu_src(b, alu, 0);
   nir_def *t = nir_fmul_imm(b, x, 0.15915494309189535);
   if (alu->op == nir_op_fcos)
      t = nir_fadd_imm(b, t, 0.25);
   t = nir_fsub(b, t, nir_fround_even(b, t));
   nir_def *half = nir_bcsel(b, nir_flt_imm(b, t, 0.0), nir_imm_float(b, -0.5f),
                             nir_imm_float(b, 0.5f));
   t = nir_bcsel(b, nir_flt_imm(b, nir_fabs(b, t), 0.25), t, nir_fsub(b, half, t));
   nir_def *y = nir_fmul_imm(b, t, 6.283185307179586);
   nir_def *y2 = nir_fmul(b, y, y);
   static const double k[] = { -1.0 / 39916800, 1.0 / 362880, -1.0 / 5040, 1.0 / 120,
                               -1.0 / 6, 1.0 };
   nir_def *p = nir_imm_float(b, (float)k[0]);
   for (unsigned i = 1; i < ARRAY_SIZE(k); i++)
      p = nir_fadd_imm(b, nir_fmul(b, p, y2), k[i]);
   nir_def_replace(&alu->def, nir_fmul(b, p, y));
   return true;
}

void
agxc_preprocess_nir(nir_shader *nir)
{
   bool progress;

   NIR_PASS(_, nir, nir_lower_vars_to_ssa);
   NIR_PASS(_, nir, nir_lower_system_values);
   if (gl_shader_stage_is_compute(nir->info.stage))
      NIR_PASS(_, nir, nir_lower_compute_system_values, NULL);
   {
      /* projective texturing -> divide */
      nir_lower_tex_options tex = { .lower_txp = ~0u };
      NIR_PASS(_, nir, nir_lower_tex, &tex);
   }
   {
      /* integer division/modulo through float reciprocals */
      nir_lower_idiv_options idiv = { .allow_fp16 = false };
      NIR_PASS(_, nir, nir_lower_idiv, &idiv);
   }
   NIR_PASS(_, nir, nir_lower_alu);
   NIR_PASS(_, nir, nir_lower_alu_to_scalar, NULL, NULL);
   NIR_PASS(_, nir, nir_shader_instructions_pass, lower_sincos_instr, nir_metadata_control_flow,
            NULL);
   do {
      progress = false;
      NIR_PASS(progress, nir, nir_copy_prop);
      NIR_PASS(progress, nir, nir_opt_remove_phis);
      NIR_PASS(progress, nir, nir_opt_dce);
      NIR_PASS(progress, nir, nir_opt_dead_cf);
      NIR_PASS(progress, nir, nir_opt_cse);
      NIR_PASS(progress, nir, nir_opt_algebraic);
      NIR_PASS(progress, nir, nir_opt_constant_folding);
      NIR_PASS(progress, nir, nir_lower_alu_to_scalar, NULL, NULL);
   } while (progress);
   NIR_PASS(_, nir, nir_opt_algebraic_late);
   NIR_PASS(_, nir, nir_opt_constant_folding);
   NIR_PASS(_, nir, nir_copy_prop);
   NIR_PASS(_, nir, nir_opt_dce);
   nir_index_ssa_defs(nir_shader_get_entrypoint(nir));
}

bool
agxc_compile(void *mem_ctx, nir_shader *nir, struct agxc_binary *out, FILE *debug)
{
   const char *error = NULL;
   memset(out, 0, sizeof(*out));
   util_dynarray_init(&out->code, mem_ctx);
   util_dynarray_init(&out->offsets, mem_ctx);

   agxc_preprocess_nir(nir);
   if (debug)
      nir_print_shader(nir, debug);

   agxc_shader *s = agxc_from_nir(mem_ctx, nir, &error);
   if (!s)
      goto fail;
   agxc_opt_dce(s);
   if (debug)
      agxc_print_shader(debug, s);
   if (!agxc_ra(s, &error))
      goto fail;
   agxc_lower_pseudo(s);
   if (debug)
      agxc_print_shader(debug, s);
   if (!agxc_pack(s, &out->code, &out->offsets, &error))
      goto fail;
   out->num_halves = s->num_halves;
   out->uses_discard = s->uses_discard;
   out->num_gprs = DIV_ROUND_UP(s->num_halves, 2);
   ralloc_free(s);
   return true;

fail:
   out->error = ralloc_strdup(mem_ctx, error ? error : "unknown error");
   if (s)
      ralloc_free(s);
   return false;
}
