/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * agx_nir_lower_ubo: constant-offset loads become uniform registers of one
 * push range per constant buffer (from u72), dynamic ones device loads
 * from ubo_base[i]; dynamic buffer indices are refused.
 */
#include "agx_nir.h"
#include "agx_test_nir.h"
#include "agxc.h"
#include "agxc_tap.h"
#include "compiler/glsl_types.h"
#include "util/ralloc.h"

static nir_def *
ubo(nir_builder *b, unsigned n, nir_def *idx, nir_def *off)
{
   return nir_load_ubo(b, n, 32, idx, off, .align_mul = 4, .range = ~0);
}

int
main(void)
{
   glsl_type_singleton_init_or_ref();
   nir_builder b = nir_builder_init_simple_shader(MESA_SHADER_FRAGMENT, agx_nir_options(), "fs");
   nir_def *x = ubo(&b, 4, nir_imm_int(&b, 0), nir_imm_int(&b, 16));
   nir_def *y = ubo(&b, 1, nir_imm_int(&b, 0), nir_imm_int(&b, 40));
   nir_def *z = ubo(&b, 2, nir_imm_int(&b, 2), nir_imm_int(&b, 8));
   nir_def *dyn = ubo(&b, 1, nir_imm_int(&b, 1), nir_imul_imm(&b, nir_channel(&b, x, 0), 4));
   nir_def *sum = nir_fadd(&b, nir_channel(&b, x, 1), y);
   sum = nir_fadd(&b, sum, nir_channel(&b, z, 1));
   sum = nir_fadd(&b, sum, dyn);
   nir_variable *o = nir_variable_create(b.shader, nir_var_shader_out, glsl_float_type(), "o");
   o->data.location = FRAG_RESULT_DATA0;
   nir_store_var(&b, o, sum, 1);
   nir_shader *s = b.shader;

   struct agx_shader_info info;
   memset(&info, 0, sizeof(info));
   const char *err = NULL;
   tap_ok(agx_nir_lower_ubo(s, &info, &err), "lowering succeeds");
   tap_ok(info.nr_push_ranges == 2, "two push ranges (cbuf 0 and 2): %u", info.nr_push_ranges);
   const struct agx_push_range *r0 = &info.push[0], *r1 = &info.push[1];
   tap_ok(r0->cbuf == 0 && r0->offset_B == 16 && r0->size_B == 28 && r0->uniform == 72,
          "cbuf 0: bytes 16..43 at u72 (got cbuf %u off %u size %u u%u)", r0->cbuf,
          r0->offset_B, r0->size_B, r0->uniform);
   tap_ok(r1->cbuf == 2 && r1->offset_B == 8 && r1->size_B == 8 && r1->uniform == 79,
          "cbuf 2: bytes 8..15 at u79 (got cbuf %u off %u size %u u%u)", r1->cbuf, r1->offset_B,
          r1->size_B, r1->uniform);
   tap_ok(info.num_uniforms == 81, "81 uniforms read (%u)", info.num_uniforms);

   /* the loads */
   bool found_y = false, found_z = false, found_x = false;
   for (unsigned k = 0; find_intr(s, nir_intrinsic_load_preamble, k); k++) {
      nir_intrinsic_instr *p = find_intr(s, nir_intrinsic_load_preamble, k);
      unsigned base = nir_intrinsic_base(p);
      found_x |= base == 2 * 72 && p->def.num_components == 4;
      found_y |= base == 2 * (72 + 6) && p->def.num_components == 1;
      found_z |= base == 2 * 79 && p->def.num_components == 2;
   }
   tap_ok(found_x && found_y && found_z,
          "constant loads read u72 (vec4), u78 (byte 40), u79 (cbuf 2 vec2)");
   nir_intrinsic_instr *ld = find_intr(s, nir_intrinsic_load_agx, 0);
   nir_intrinsic_instr *base = ld ? nir_src_as_intrinsic(ld->src[0]) : NULL;
   tap_ok(ld && count_intr(s, nir_intrinsic_load_agx) == 1 && base &&
             base->intrinsic == nir_intrinsic_load_preamble &&
             nir_intrinsic_base(base) == AGX_UBO_BASE_HALF(1) &&
             nir_intrinsic_format(ld) == PIPE_FORMAT_R32_UINT,
          "dynamic offset: load_agx from ubo_base[1] (half %u)", AGX_UBO_BASE_HALF(1));
   tap_ok(!count_intr(s, nir_intrinsic_load_ubo), "no load_ubo left");
   ralloc_free(s);

   /* dynamic buffer index: refused */
   b = nir_builder_init_simple_shader(MESA_SHADER_FRAGMENT, agx_nir_options(), "fs");
   nir_def *i = nir_load_preamble(&b, 1, 32, .base = 0);
   nir_def *v = ubo(&b, 1, i, nir_imm_int(&b, 0));
   o = nir_variable_create(b.shader, nir_var_shader_out, glsl_float_type(), "o");
   o->data.location = FRAG_RESULT_DATA0;
   nir_store_var(&b, o, v, 1);
   memset(&info, 0, sizeof(info));
   err = NULL;
   tap_ok(!agx_nir_lower_ubo(b.shader, &info, &err) && err,
          "dynamic constant buffer index refused: %s", err ? err : "(accepted)");
   ralloc_free(b.shader);

   glsl_type_singleton_decref();
   return tap_done();
}
