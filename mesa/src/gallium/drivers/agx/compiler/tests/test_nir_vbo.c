/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * agx_nir_lower_vbo: vertex fetch from the key's attributes. Checks the
 * loads it emits (format, component count, base uniform, index
 * arithmetic), the conversions per format class, the swizzle/defaults, and
 * refusals. agxc_test_draw runs ten formats end to end.
 */
#include "agx_nir.h"
#include "agx_test_nir.h"
#include "agxc.h"
#include "agxc_tap.h"
#include "compiler/glsl_types.h"
#include "util/ralloc.h"

/* VS reading attribute 0 (vec4) into gl_Position. */
static nir_shader *
vs_one_attrib(void)
{
   nir_builder b = nir_builder_init_simple_shader(MESA_SHADER_VERTEX, agx_nir_options(), "vs");
   nir_variable *in = nir_variable_create(b.shader, nir_var_shader_in, glsl_vec4_type(), "a");
   in->data.location = VERT_ATTRIB_GENERIC0;
   in->data.driver_location = 0;
   nir_variable *out =
      nir_variable_create(b.shader, nir_var_shader_out, glsl_vec4_type(), "gl_Position");
   out->data.location = VARYING_SLOT_POS;
   nir_store_var(&b, out, nir_load_var(&b, in), 0xf);
   agx_nir_lower_io(b.shader);
   return b.shader;
}

static nir_shader *
lower(enum pipe_format f, unsigned offset, unsigned stride, unsigned buffer, unsigned divisor,
      unsigned nr_attribs, const char **err)
{
   nir_shader *s = vs_one_attrib();
   struct agx_vs_key k;
   memset(&k, 0, sizeof(k));
   k.nr_attribs = nr_attribs;
   k.attribs[0] = (struct agx_attrib){ .format = f, .src_offset_B = offset,
                                       .stride_B = stride, .buffer = buffer,
                                       .instance_divisor = divisor };
   *err = NULL;
   if (!agx_nir_lower_vbo(s, &k, err)) {
      ralloc_free(s);
      return NULL;
   }
   NIR_PASS(_, s, nir_opt_constant_folding);
   NIR_PASS(_, s, nir_copy_prop);
   NIR_PASS(_, s, nir_opt_dce);
   return s;
}

/* The gl_Position store's value components as scalar producers. */
static nir_scalar
out_comp(nir_shader *s, unsigned c)
{
   nir_intrinsic_instr *st = find_intr(s, nir_intrinsic_store_output, 0);
   return nir_scalar_chase_movs(nir_get_scalar(st->src[0].ssa, c));
}

int
main(void)
{
   glsl_type_singleton_init_or_ref();
   const char *err;

   /* RGBA32F, buffer 3, offset 8, stride 24: index = id * 6 + 2 */
   nir_shader *s = lower(PIPE_FORMAT_R32G32B32A32_FLOAT, 8, 24, 3, 0, 1, &err);
   nir_intrinsic_instr *ld = s ? find_intr(s, nir_intrinsic_load_agx, 0) : NULL;
   tap_ok(ld && count_intr(s, nir_intrinsic_load_agx) == 1 && ld->def.num_components == 4 &&
             ld->def.bit_size == 32 && nir_intrinsic_format(ld) == PIPE_FORMAT_R32_FLOAT,
          "RGBA32F: one 4-component 32-bit load_agx of R32_FLOAT");
   nir_intrinsic_instr *base = ld ? nir_src_as_intrinsic(ld->src[0]) : NULL;
   tap_ok(base && base->intrinsic == nir_intrinsic_load_preamble &&
             nir_intrinsic_base(base) == AGX_VBO_BASE_HALF(3) && base->def.bit_size == 64,
          "base address: 64-bit load_preamble of vbo_base[3] (half %u)", AGX_VBO_BASE_HALF(3));
   nir_alu_instr *add = ld ? nir_src_as_alu_instr(ld->src[1]) : NULL;
   nir_alu_instr *mul = add ? nir_src_as_alu_instr(add->src[0].src) : NULL;
   tap_ok(add && add->op == nir_op_iadd && src_const(add->src[1].src) == 2 && mul &&
             mul->op == nir_op_imul && src_const(mul->src[1].src) == 6 &&
             count_intr(s, nir_intrinsic_load_vertex_id) == 1,
          "index = vertex_id * (24 / 4) + 8 / 4");
   ralloc_free(s);

   /* instanced: (instance_id / 3 + base_instance) */
   s = lower(PIPE_FORMAT_R32G32B32A32_FLOAT, 0, 16, 0, 3, 1, &err);
   tap_ok(s && count_intr(s, nir_intrinsic_load_instance_id) == 1 &&
             count_intr(s, nir_intrinsic_load_base_instance) == 1 &&
             count_intr(s, nir_intrinsic_load_vertex_id) == 0,
          "divisor 3: instance ID and base instance, no vertex ID");
   ralloc_free(s);

   /* RG16F: 16-bit load, f2f32, z = 0, w = 1.0 */
   s = lower(PIPE_FORMAT_R16G16_FLOAT, 0, 4, 0, 0, 1, &err);
   ld = s ? find_intr(s, nir_intrinsic_load_agx, 0) : NULL;
   tap_ok(ld && ld->def.bit_size == 16 && ld->def.num_components == 2 &&
             nir_intrinsic_format(ld) == PIPE_FORMAT_R16_FLOAT &&
             count_alu(s, nir_op_f2f32) == 2,
          "RG16F: 2 x 16-bit R16_FLOAT load, widened with f2f32");
   if (s) {
      nir_scalar z = out_comp(s, 2), w = out_comp(s, 3);
      tap_ok(nir_scalar_is_const(z) && nir_scalar_as_uint(z) == 0 && nir_scalar_is_const(w) &&
                nir_scalar_as_float(w) == 1.0f,
             "RG16F: missing z = 0, w = 1.0");
   }
   ralloc_free(s);

   /* BGRA8 unorm: R8_UNORM load (converted by the hardware), x = channel 2 */
   s = lower(PIPE_FORMAT_B8G8R8A8_UNORM, 0, 4, 0, 0, 1, &err);
   ld = s ? find_intr(s, nir_intrinsic_load_agx, 0) : NULL;
   tap_ok(ld && nir_intrinsic_format(ld) == PIPE_FORMAT_R8_UNORM && ld->def.bit_size == 32,
          "BGRA8 unorm: R8_UNORM load into 32-bit registers");
   if (s) {
      nir_scalar x = out_comp(s, 0);
      tap_ok(x.def == &ld->def && x.comp == 2, "BGRA8 unorm: x comes from memory channel 2");
   }
   ralloc_free(s);

   /* R8 sint: sign extension; RG16 uscaled: u2f32 */
   s = lower(PIPE_FORMAT_R8_SINT, 0, 1, 0, 0, 1, &err);
   tap_ok(s && count_alu(s, nir_op_ishl) == 1 && count_alu(s, nir_op_ishr) == 1 &&
             nir_intrinsic_format(find_intr(s, nir_intrinsic_load_agx, 0)) == PIPE_FORMAT_R8_SINT,
          "R8 sint: raw byte load, sign-extended by shifts");
   if (s) {
      nir_scalar w = out_comp(s, 3);
      tap_ok(nir_scalar_is_const(w) && nir_scalar_as_uint(w) == 1,
             "R8 sint: missing w = integer 1");
   }
   ralloc_free(s);
   s = lower(PIPE_FORMAT_R16G16_USCALED, 0, 4, 0, 0, 1, &err);
   tap_ok(s && count_alu(s, nir_op_u2f32) == 2, "RG16 uscaled: u2f32 per channel");
   ralloc_free(s);

   /* no vertex element for the attribute: (0, 0, 0, 1) */
   s = lower(PIPE_FORMAT_R32_FLOAT, 0, 4, 0, 0, 0, &err);
   tap_ok(s && !count_intr(s, nir_intrinsic_load_agx) && nir_scalar_is_const(out_comp(s, 3)) &&
             nir_scalar_as_float(out_comp(s, 3)) == 1.0f,
          "attribute without a vertex element reads (0, 0, 0, 1)");
   ralloc_free(s);

   /* refusals */
   s = lower(PIPE_FORMAT_R10G10B10A2_UNORM, 0, 4, 0, 0, 1, &err);
   tap_ok(!s && err, "R10G10B10A2 refused: %s", err ? err : "(accepted)");
   s = lower(PIPE_FORMAT_R32G32_FLOAT, 2, 8, 0, 0, 1, &err);
   ld = s ? find_intr(s, nir_intrinsic_load_agx, 0) : NULL;
   tap_ok(ld && count_intr(s, nir_intrinsic_load_agx) == 2 &&
             nir_intrinsic_format(ld) == PIPE_FORMAT_R8_UINT && ld->def.num_components == 4,
          "offset 2 with 4-byte channels: fetched byte by byte (2 x 4 R8_UINT)");
   ralloc_free(s);
   s = lower(PIPE_FORMAT_R16_FLOAT, 0, 6, 0, 0, 1, &err);
   tap_ok(s != NULL, "stride 6 with 2-byte channels accepted");
   ralloc_free(s);

   glsl_type_singleton_decref();
   return tap_done();
}
