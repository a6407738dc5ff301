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
   NIR_PASS(_, nir, nir_lower_alu);
   NIR_PASS(_, nir, nir_lower_alu_to_scalar, NULL, NULL);
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
