/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * agx_nir_lower_fs_inputs and agx_nir_lower_fs_outputs (with
 * agx_nir_lower_blend's gl_FragColor broadcast): coefficient register
 * assignment and CF bindings, flat/linear/perspective loads, the flatshade
 * key, gl_FragCoord; tile-buffer stores (offsets, formats, write masks,
 * padding), depth output before colour, framebuffer reads.
 */
#include "agx_nir.h"
#include "agx_test_nir.h"
#include "agxc.h"
#include "agxc_tap.h"
#include "compiler/glsl_types.h"
#include "util/ralloc.h"

typedef struct agx_cf_binding agx_shader_cf_binding;

static nir_def *
in_var(nir_builder *b, unsigned slot, enum glsl_interp_mode m)
{
   nir_variable *v = nir_variable_create(b->shader, nir_var_shader_in, glsl_vec4_type(), "i");
   v->data.location = slot;
   v->data.interpolation = m;
   return nir_load_var(b, v);
}

static void
out_vec4(nir_builder *b, unsigned slot, nir_def *v)
{
   nir_variable *o = nir_variable_create(b->shader, nir_var_shader_out, glsl_vec4_type(), "o");
   o->data.location = slot;
   nir_store_var(b, o, v, 0xf);
}

static const agx_shader_cf_binding *
binding(const struct agx_shader_info *info, unsigned src, unsigned slot)
{
   for (unsigned i = 0; i < info->nr_cf_bindings; i++)
      if (info->cf[i].source == src && (src != AGX_CF_VARYING || info->cf[i].slot == slot))
         return &info->cf[i];
   return NULL;
}

/* The interpolated/flat load of a coefficient register base. */
static nir_intrinsic_instr *
load_at(nir_shader *s, nir_intrinsic_op op, unsigned base)
{
   for (unsigned k = 0;; k++) {
      nir_intrinsic_instr *l = find_intr(s, op, k);
      if (!l || nir_intrinsic_base(l) == base)
         return l;
   }
}

static enum glsl_interp_mode
bary_mode(nir_intrinsic_instr *l)
{
   nir_intrinsic_instr *b = nir_src_as_intrinsic(l->src[0]);
   return b ? nir_intrinsic_interp_mode(b) : INTERP_MODE_COUNT;
}

int
main(void)
{
   glsl_type_singleton_init_or_ref();

   /* inputs: smooth VAR0, noperspective VAR1, flat VAR2, COL0 (no qualifier,
    * flatshade key), gl_FragCoord */
   nir_builder b = nir_builder_init_simple_shader(MESA_SHADER_FRAGMENT, agx_nir_options(), "fs");
   nir_def *sum = in_var(&b, VARYING_SLOT_VAR0, INTERP_MODE_SMOOTH);
   sum = nir_fadd(&b, sum, in_var(&b, VARYING_SLOT_VAR1, INTERP_MODE_NOPERSPECTIVE));
   sum = nir_fadd(&b, sum, in_var(&b, VARYING_SLOT_VAR2, INTERP_MODE_FLAT));
   sum = nir_fadd(&b, sum, in_var(&b, VARYING_SLOT_COL0, INTERP_MODE_NONE));
   nir_variable *fc = nir_variable_create(b.shader, nir_var_system_value, glsl_vec4_type(), "fc");
   fc->data.location = SYSTEM_VALUE_FRAG_COORD;
   sum = nir_fadd(&b, sum, nir_load_var(&b, fc));
   sum = nir_fadd(&b, sum, in_var(&b, VARYING_SLOT_FACE, INTERP_MODE_NONE));
   out_vec4(&b, FRAG_RESULT_COLOR, sum);
   nir_shader *s = b.shader;
   agx_nir_lower_io(s);

   struct agx_fs_key key;
   memset(&key, 0, sizeof(key));
   enum pipe_format fmts[2] = { PIPE_FORMAT_R8G8B8A8_UNORM, PIPE_FORMAT_R16G16_FLOAT };
   agx_tilebuffer_layout_init(&key.tib, fmts, 2, 1);
   key.flatshade = true;
   key.blend[0].colormask = key.blend[1].colormask = 0xf;
   struct agx_shader_info info;
   memset(&info, 0, sizeof(info));
   const char *err = NULL;
   bool ok = agx_nir_lower_blend(s, &key) &&
             agx_nir_lower_fs_outputs(s, &key.tib, &info, &err) &&
             agx_nir_lower_fs_inputs(s, &key, &info, &err);
   tap_ok(ok, "FS lowering succeeds (%s)", err ? err : "ok");

   const agx_shader_cf_binding *w = binding(&info, AGX_CF_FRAGCOORD_W, 0);
   const agx_shader_cf_binding *z = binding(&info, AGX_CF_FRAGCOORD_Z, 0);
   const agx_shader_cf_binding *v0 = binding(&info, AGX_CF_VARYING, VARYING_SLOT_VAR0);
   const agx_shader_cf_binding *v1 = binding(&info, AGX_CF_VARYING, VARYING_SLOT_VAR1);
   const agx_shader_cf_binding *v2 = binding(&info, AGX_CF_VARYING, VARYING_SLOT_VAR2);
   const agx_shader_cf_binding *c0 = binding(&info, AGX_CF_VARYING, VARYING_SLOT_COL0);
   tap_ok(w && w->cf_base == 0 && w->count == 1, "cf0 = 1/w (FRAGCOORD_W)");
   tap_ok(z && z->count == 1, "gl_FragCoord.z binding (FRAGCOORD_Z)");
   tap_ok(v0 && v1 && v2 && c0 && v0->count == 4 && v0->perspective && !v0->flat &&
             !v1->perspective && !v1->flat && v2->flat && c0->flat,
          "VAR0 perspective, VAR1 linear, VAR2 flat, COL0 flat by the flatshade key");
   unsigned regs = 0;
   bool disjoint = true;
   for (unsigned i = 0; i < info.nr_cf_bindings; i++) {
      for (unsigned j = 0; j < i; j++) {
         const agx_shader_cf_binding *a = &info.cf[i], *c = &info.cf[j];
         if (a->cf_base < c->cf_base + c->count && c->cf_base < a->cf_base + a->count)
            disjoint = false;
      }
      regs += info.cf[i].count;
   }
   tap_ok(disjoint && regs == info.nr_cf_regs && info.nr_cf_regs == 18,
          "bindings are disjoint and use %u = 1 + 1 + 4 * 4 registers", info.nr_cf_regs);

   nir_intrinsic_instr *l0 = v0 ? load_at(s, nir_intrinsic_load_interpolated_input, v0->cf_base) : NULL;
   nir_intrinsic_instr *l1 = v1 ? load_at(s, nir_intrinsic_load_interpolated_input, v1->cf_base) : NULL;
   nir_intrinsic_instr *l2 = v2 ? load_at(s, nir_intrinsic_load_input, v2->cf_base) : NULL;
   nir_intrinsic_instr *lc = c0 ? load_at(s, nir_intrinsic_load_input, c0->cf_base) : NULL;
   tap_ok(l0 && bary_mode(l0) == INTERP_MODE_SMOOTH && l1 &&
             bary_mode(l1) == INTERP_MODE_NOPERSPECTIVE && l2 && lc,
          "loads: VAR0 smooth, VAR1 noperspective interpolated, VAR2 and COL0 load_input");
   nir_intrinsic_instr *lz = z ? load_at(s, nir_intrinsic_load_interpolated_input, z->cf_base) : NULL;
   tap_ok(!binding(&info, AGX_CF_VARYING, VARYING_SLOT_FACE) &&
             count_intr(s, nir_intrinsic_load_front_face) == 1,
          "float gl_FrontFacing input: from the hardware facing, no binding");
   tap_ok(lz && bary_mode(lz) == INTERP_MODE_NOPERSPECTIVE &&
             count_intr(s, nir_intrinsic_load_pixel_coord) == 1 &&
             !count_intr(s, nir_intrinsic_load_frag_coord),
          "gl_FragCoord: pixel coordinate + linear z and 1/w");

   /* outputs: gl_FragColor to both RTs */
   nir_intrinsic_instr *st0 = find_intr(s, nir_intrinsic_store_local_pixel_agx, 0);
   nir_intrinsic_instr *st1 = find_intr(s, nir_intrinsic_store_local_pixel_agx, 1);
   tap_ok(count_intr(s, nir_intrinsic_store_local_pixel_agx) == 2 && st0 && st1,
          "gl_FragColor: one tile store per render target");
   if (st0 && st1) {
      if (nir_intrinsic_base(st0) > nir_intrinsic_base(st1)) {
         nir_intrinsic_instr *t = st0;
         st0 = st1;
         st1 = t;
      }
      tap_ok(nir_intrinsic_base(st0) == 0 && nir_intrinsic_format(st0) == fmts[0] &&
                nir_intrinsic_write_mask(st0) == 0xf && nir_intrinsic_base(st1) == 4 &&
                nir_intrinsic_format(st1) == fmts[1] && nir_intrinsic_write_mask(st1) == 0x3 &&
                st1->src[0].ssa->num_components == 2 && src_const(st1->src[1]) == 0xff,
             "RT0 RGBA8 at byte 0 (xyzw), RT1 RG16F at byte 4 (xy), all samples");
   }
   tap_ok(!count_intr(s, nir_intrinsic_store_output), "no store_output left");
   ralloc_free(s);

   /* depth and a colour write: zs_emit first; framebuffer read -> ld_tile */
   b = nir_builder_init_simple_shader(MESA_SHADER_FRAGMENT, agx_nir_options(), "fs");
   nir_variable *o = nir_variable_create(b.shader, nir_var_shader_out, glsl_vec4_type(), "o");
   o->data.location = FRAG_RESULT_DATA0;
   nir_variable *d = nir_variable_create(b.shader, nir_var_shader_out, glsl_float_type(), "d");
   d->data.location = FRAG_RESULT_DEPTH;
   o->data.fb_fetch_output = true;
   nir_store_var(&b, o, nir_fadd_imm(&b, nir_load_var(&b, o), 0.5f), 0xf);
   nir_store_var(&b, d, nir_imm_float(&b, 0.25f), 0x1);
   s = b.shader;
   agx_nir_lower_io(s);
   memset(&info, 0, sizeof(info));
   agx_tilebuffer_layout_init(&key.tib, fmts, 1, 1);
   ok = agx_nir_lower_fs_outputs(s, &key.tib, &info, &err);
   nir_intrinsic_instr *zs = find_intr(s, nir_intrinsic_store_zs_agx, 0);
   nir_intrinsic_instr *col = find_intr(s, nir_intrinsic_store_local_pixel_agx, 0);
   bool zs_first = false;
   if (zs && col && zs->instr.block == col->instr.block) {
      nir_foreach_instr(instr, zs->instr.block) {
         if (instr == &zs->instr) {
            zs_first = true;
            break;
         }
         if (instr == &col->instr)
            break;
      }
   }
   tap_ok(ok && zs && nir_intrinsic_base(zs) == 1 && info.writes_depth && zs_first,
          "gl_FragDepth: store_zs_agx (depth) before the colour store");
   tap_ok(count_intr(s, nir_intrinsic_load_local_pixel_agx) == 1 && info.reads_tib,
          "framebuffer read: load_local_pixel_agx, reads_tib");
   ralloc_free(s);

   glsl_type_singleton_decref();
   return tap_done();
}
