/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * agx_nir_lower_uvs: the UVS layout (position 0-3, varyings in slot order,
 * 4 words each, point size last), st_var indices, padding of unwritten
 * components, dropped outputs, and the gl_Position requirement.
 */
#include "agx_nir.h"
#include "agx_test_nir.h"
#include "agxc.h"
#include "agxc_tap.h"
#include "compiler/glsl_types.h"
#include "util/ralloc.h"

static nir_variable *
out_var(nir_builder *b, const struct glsl_type *t, unsigned slot)
{
   nir_variable *v = nir_variable_create(b->shader, nir_var_shader_out, t, "o");
   v->data.location = slot;
   return v;
}

/* UVS word written by the k-th store_uvs_agx and its constant value (if). */
static bool
uvs_store_of(nir_shader *s, unsigned word, float *value, bool *is_const)
{
   for (unsigned k = 0;; k++) {
      nir_intrinsic_instr *st = find_intr(s, nir_intrinsic_store_uvs_agx, k);
      if (!st)
         return false;
      if (src_const(st->src[1]) != word)
         continue;
      *is_const = nir_src_is_const(st->src[0]);
      if (*is_const)
         *value = nir_src_as_float(st->src[0]);
      return true;
   }
}

int
main(void)
{
   glsl_type_singleton_init_or_ref();

   nir_builder b = nir_builder_init_simple_shader(MESA_SHADER_VERTEX, agx_nir_options(), "vs");
   nir_def *v4 = nir_imm_vec4(&b, 1, 2, 3, 4);
   nir_store_var(&b, out_var(&b, glsl_vec4_type(), VARYING_SLOT_POS), v4, 0xf);
   nir_store_var(&b, out_var(&b, glsl_vec4_type(), VARYING_SLOT_VAR0), v4, 0x7); /* xyz */
   nir_store_var(&b, out_var(&b, glsl_vec4_type(), VARYING_SLOT_COL0), v4, 0xf);
   nir_store_var(&b, out_var(&b, glsl_float_type(), VARYING_SLOT_PSIZ), nir_imm_float(&b, 5),
                 0x1);
   nir_variable *clip = out_var(&b, glsl_float_type(), VARYING_SLOT_CULL_DIST0);
   nir_store_var(&b, clip, nir_imm_float(&b, 7), 0x1);
   nir_shader *s = b.shader;
   agx_nir_lower_io(s);

   struct agx_shader_info info;
   memset(&info, 0, sizeof(info));
   const char *err = NULL;
   bool ok = agx_nir_lower_uvs(s, &info, &err);
   tap_ok(ok, "lowering succeeds (%s)", err ? err : "ok");
   NIR_PASS(_, s, nir_opt_constant_folding);
   NIR_PASS(_, s, nir_copy_prop);
   tap_ok(info.uvs_index[VARYING_SLOT_POS] == 0 && info.uvs_index[VARYING_SLOT_COL0] == 4 &&
             info.uvs_index[VARYING_SLOT_VAR0] == 8 && info.uvs_index[VARYING_SLOT_PSIZ] == 12,
          "layout: pos 0, COL0 4, VAR0 8 (slot order), PSIZ 12 (got %d %d %d %d)",
          info.uvs_index[VARYING_SLOT_POS], info.uvs_index[VARYING_SLOT_COL0],
          info.uvs_index[VARYING_SLOT_VAR0], info.uvs_index[VARYING_SLOT_PSIZ]);
   tap_ok(info.nr_uvs_slots == 13 && info.writes_psiz, "13 words, writes_psiz (%u)",
          info.nr_uvs_slots);
   tap_ok(info.uvs_index[VARYING_SLOT_CULL_DIST0] == -1 && info.uvs_index[VARYING_SLOT_VAR1] == -1,
          "cull distance dropped, unwritten slots -1");
   tap_ok(!count_intr(s, nir_intrinsic_store_output), "no store_output left");
   /* 4 pos + 3 VAR0 + 1 padding + 4 COL0 + 1 PSIZ */
   tap_ok(count_intr(s, nir_intrinsic_store_uvs_agx) == 13, "13 st_var (%u)",
          count_intr(s, nir_intrinsic_store_uvs_agx));
   float val = 0;
   bool c = false;
   tap_ok(uvs_store_of(s, 11, &val, &c) && c && val == 1.0f,
          "VAR0.w (word 11) padded with 1.0");
   tap_ok(uvs_store_of(s, 9, &val, &c) && c && val == 2.0f, "VAR0.y (word 9) = 2.0");
   tap_ok(uvs_store_of(s, 12, &val, &c) && c && val == 5.0f, "point size (word 12) = 5.0");
   ralloc_free(s);

   /* no gl_Position */
   b = nir_builder_init_simple_shader(MESA_SHADER_VERTEX, agx_nir_options(), "vs");
   nir_store_var(&b, out_var(&b, glsl_vec4_type(), VARYING_SLOT_VAR0),
                 nir_imm_vec4(&b, 1, 2, 3, 4), 0xf);
   agx_nir_lower_io(b.shader);
   memset(&info, 0, sizeof(info));
   err = NULL;
   tap_ok(!agx_nir_lower_uvs(b.shader, &info, &err) && err,
          "a shader without gl_Position is refused: %s", err ? err : "(accepted)");
   ralloc_free(b.shader);

   glsl_type_singleton_decref();
   return tap_done();
}
