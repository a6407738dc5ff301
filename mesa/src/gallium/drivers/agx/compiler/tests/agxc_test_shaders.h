/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * Compute shaders built with nir_builder, shared by the NIR->IR and
 * end-to-end tests. ABI: SSBO i base address in u(2i)_u(2i+1); push
 * constants from u16 (agxc.h).
 */
#ifndef AGXC_TEST_SHADERS_H
#define AGXC_TEST_SHADERS_H

#include "agxc.h"
#include "compiler/nir/nir.h"
#include "compiler/glsl_types.h"
#include "compiler/nir/nir_builder.h"

static inline nir_builder
ts_begin(const char *name)
{
   nir_builder b = nir_builder_init_simple_shader(MESA_SHADER_COMPUTE,
                                                  agxc_nir_options(), "%s", name);
   b.shader->info.workgroup_size[0] = 32;
   b.shader->info.workgroup_size[1] = 1;
   b.shader->info.workgroup_size[2] = 1;
   return b;
}

static inline nir_def *
ts_id(nir_builder *b)
{
   return nir_channel(b, nir_load_global_invocation_id(b, 32), 0);
}

static inline nir_def *
ts_load(nir_builder *b, unsigned ssbo, nir_def *elem)
{
   return nir_load_ssbo(b, 1, 32, nir_imm_int(b, ssbo), nir_ishl_imm(b, elem, 2),
                        .align_mul = 4);
}

static inline void
ts_store(nir_builder *b, unsigned ssbo, nir_def *elem, nir_def *v)
{
   nir_store_ssbo(b, v, nir_imm_int(b, ssbo), nir_ishl_imm(b, elem, 2),
                  .write_mask = nir_component_mask(v->num_components), .align_mul = 4);
}

/* out[id] = in[id] * 2.0 + push[0] */
static inline nir_shader *
ts_saxpy(void)
{
   nir_builder b = ts_begin("saxpy");
   nir_def *id = ts_id(&b);
   nir_def *x = ts_load(&b, 0, id);
   nir_def *u = nir_load_push_constant(&b, 1, 32, nir_imm_int(&b, 0), .base = 0, .range = 4);
   ts_store(&b, 1, id, nir_ffma(&b, x, nir_imm_float(&b, 2.0f), u));
   return b.shader;
}

/* out[id] = id < push[0] ? in[id] + 1.0 : -(in[id] * 3.0)   (if/else + phi) */
static inline nir_shader *
ts_branch(void)
{
   nir_builder b = ts_begin("branch");
   nir_def *id = ts_id(&b);
   nir_def *x = ts_load(&b, 0, id);
   nir_def *lim = nir_load_push_constant(&b, 1, 32, nir_imm_int(&b, 0), .base = 0, .range = 4);
   nir_push_if(&b, nir_ult(&b, id, lim));
   nir_def *t = nir_fadd(&b, x, nir_imm_float(&b, 1.0f));
   nir_push_else(&b, NULL);
   nir_def *e = nir_fneg(&b, nir_fmul(&b, x, nir_imm_float(&b, 3.0f)));
   nir_pop_if(&b, NULL);
   ts_store(&b, 1, id, nir_if_phi(&b, t, e));
   return b.shader;
}

/* nested divergence:
 *   if (id < 16) { if (id & 1) r = x + 1.0; else r = x * 2.0; } else r = x - 5.0 */
static inline nir_shader *
ts_nested(void)
{
   nir_builder b = ts_begin("nested");
   nir_def *id = ts_id(&b);
   nir_def *x = ts_load(&b, 0, id);
   nir_push_if(&b, nir_ult_imm(&b, id, 16));
   nir_push_if(&b, nir_ine_imm(&b, nir_iand_imm(&b, id, 1), 0));
   nir_def *odd = nir_fadd_imm(&b, x, 1.0);
   nir_push_else(&b, NULL);
   nir_def *even = nir_fmul_imm(&b, x, 2.0);
   nir_pop_if(&b, NULL);
   nir_def *inner = nir_if_phi(&b, odd, even);
   nir_push_else(&b, NULL);
   nir_def *hi = nir_fadd_imm(&b, x, -5.0);
   nir_pop_if(&b, NULL);
   ts_store(&b, 1, id, nir_if_phi(&b, inner, hi));
   return b.shader;
}

/* divergent loop: n = id & 3 (0..3 iterations), acc = x;
 *   for (i = 0; ; i++) { if (i >= n) break; acc = acc * 1.5 + 1.0; } out = acc */
static inline nir_shader *
ts_loop(void)
{
   glsl_type_singleton_init_or_ref();
   nir_builder b = ts_begin("loop");
   nir_def *id = ts_id(&b);
   nir_def *x = ts_load(&b, 0, id);
   nir_def *n = nir_iand_imm(&b, id, 3);
   nir_variable *vi = nir_local_variable_create(b.impl, glsl_uint_type(), "i");
   nir_variable *va = nir_local_variable_create(b.impl, glsl_float_type(), "acc");
   nir_store_var(&b, vi, nir_imm_int(&b, 0), 1);
   nir_store_var(&b, va, x, 1);
   nir_loop *loop = nir_push_loop(&b);
   {
      nir_def *i = nir_load_var(&b, vi);
      nir_break_if(&b, nir_uge(&b, i, n));
      nir_store_var(&b, va, nir_ffma_imm12(&b, nir_load_var(&b, va), 1.5, 1.0), 1);
      nir_store_var(&b, vi, nir_iadd_imm(&b, i, 1), 1);
   }
   nir_pop_loop(&b, loop);
   ts_store(&b, 1, id, nir_load_var(&b, va));
   return b.shader;
}

/* integer ALU: out[id] = v with
 *   a = in[id] (as int), s = (a << 3) ^ 0x55, m = a * 7 - 1000,
 *   r = (m >> 1) (arith) + (s >>> 2) (logical) ; r = min(r, 60000) ;
 *   v = (a & 1) != 0 ? r : (r | 0x100) */
static inline nir_shader *
ts_integer(void)
{
   nir_builder b = ts_begin("integer");
   nir_def *id = ts_id(&b);
   nir_def *a = ts_load(&b, 0, id);
   nir_def *s = nir_ixor(&b, nir_ishl(&b, a, nir_imm_int(&b, 3)), nir_imm_int(&b, 0x55));
   nir_def *m = nir_iadd(&b, nir_imul(&b, a, nir_imm_int(&b, 7)), nir_imm_int(&b, -1000));
   nir_def *r = nir_iadd(&b, nir_ishr(&b, m, nir_imm_int(&b, 1)),
                         nir_ushr(&b, s, nir_imm_int(&b, 2)));
   r = nir_imin(&b, r, nir_imm_int(&b, 60000));
   nir_def *odd = nir_ine_imm(&b, nir_iand_imm(&b, a, 1), 0);
   ts_store(&b, 1, id, nir_bcsel(&b, odd, r, nir_ior_imm(&b, r, 0x100)));
   return b.shader;
}

/* conversions and transcendentals, 4 outputs per thread:
 *   out[4id+0] = f2i32(i2f32(id) * 1.5 - 7.25)
 *   out[4id+1] = fexp2(i2f32(id) - 4.0)
 *   out[4id+2] = fsqrt(u2f32(id) + 0.25) / (in[id] + 2.0)
 *   out[4id+3] = b2i32(in[id] >= 0.0) + fmax(in[id], 0.5) (as float bits) */
static inline nir_shader *
ts_convert(void)
{
   nir_builder b = ts_begin("convert");
   nir_def *id = ts_id(&b);
   nir_def *x = ts_load(&b, 0, id);
   nir_def *fid = nir_i2f32(&b, id);
   nir_def *o0 = nir_f2i32(&b, nir_ffma(&b, fid, nir_imm_float(&b, 1.5f),
                                         nir_imm_float(&b, -7.25f)));
   nir_def *o1 = nir_fexp2(&b, nir_fadd_imm(&b, fid, -4.0));
   nir_def *o2 = nir_fdiv(&b, nir_fsqrt(&b, nir_fadd_imm(&b, nir_u2f32(&b, id), 0.25)),
                          nir_fadd_imm(&b, x, 2.0));
   nir_def *o3 = nir_fadd(&b, nir_b2f32(&b, nir_fge(&b, x, nir_imm_float(&b, 0.0f))),
                          nir_fmax(&b, x, nir_imm_float(&b, 0.5f)));
   nir_def *base = nir_imul_imm(&b, id, 4);
   ts_store(&b, 1, base, nir_vec4(&b, o0, o1, o2, o3));
   return b.shader;
}

/* out[2i] = sin(in[i] * 3), out[2i+1] = cos(in[i] * 3) (polynomial lowering) */
static inline nir_shader *
ts_sincos(void)
{
   nir_builder b = ts_begin("sincos");
   nir_def *id = ts_id(&b);
   nir_def *x = nir_fmul_imm(&b, ts_load(&b, 0, id), 3.0);
   ts_store(&b, 1, nir_imul_imm(&b, id, 2), nir_vec2(&b, nir_fsin(&b, x), nir_fcos(&b, x)));
   return b.shader;
}

/* out[4i..] = (id*37+5) / 7, % 7, (-(id*37) - 5) / 3 (signed), udiv by in[i] bits */
static inline nir_shader *
ts_idiv(void)
{
   nir_builder b = ts_begin("idiv");
   nir_def *id = ts_id(&b);
   nir_def *x = nir_iadd_imm(&b, nir_imul_imm(&b, id, 37), 5);
   nir_def *d = nir_iadd_imm(&b, nir_iand_imm(&b, ts_load(&b, 0, id), 0xff), 1);
   nir_def *o0 = nir_udiv(&b, x, nir_imm_int(&b, 7));
   nir_def *o1 = nir_umod(&b, x, nir_imm_int(&b, 7));
   nir_def *o2 = nir_idiv(&b, nir_ineg(&b, x), nir_imm_int(&b, 3));
   nir_def *o3 = nir_udiv(&b, nir_imul_imm(&b, x, 1000), d);
   ts_store(&b, 1, nir_imul_imm(&b, id, 4), nir_vec4(&b, o0, o1, o2, o3));
   return b.shader;
}

/* continue: acc = 10 * (sum of the odd i in 1..n), n = id & 7, inside an if
 * nested in the loop body, with the increment before the continue */
static inline nir_shader *
ts_continue(void)
{
   glsl_type_singleton_init_or_ref();
   nir_builder b = ts_begin("continue");
   nir_def *id = ts_id(&b);
   nir_def *n = nir_iand_imm(&b, id, 7);
   nir_variable *vi = nir_local_variable_create(b.impl, glsl_uint_type(), "i");
   nir_variable *va = nir_local_variable_create(b.impl, glsl_float_type(), "acc");
   nir_store_var(&b, vi, nir_imm_int(&b, 0), 1);
   nir_store_var(&b, va, nir_imm_float(&b, 0), 1);
   nir_loop *loop = nir_push_loop(&b);
   {
      nir_def *i = nir_load_var(&b, vi);
      nir_break_if(&b, nir_uge(&b, i, n));
      nir_def *i1 = nir_iadd_imm(&b, i, 1);
      nir_store_var(&b, vi, i1, 1);
      nir_push_if(&b, nir_ieq_imm(&b, nir_iand_imm(&b, i1, 1), 0));
      nir_jump(&b, nir_jump_continue);
      nir_pop_if(&b, NULL);
      nir_store_var(&b, va, nir_fadd(&b, nir_load_var(&b, va),
                                     nir_fmul_imm(&b, nir_u2f32(&b, i1), 10.0)), 1);
   }
   nir_pop_loop(&b, loop);
   ts_store(&b, 1, id, nir_load_var(&b, va));
   return b.shader;
}

/* nested loops: acc = sum over i < (id & 3), j < (id >> 2 & 3) of (i * 4 + j + 1),
 * with the inner loop continuing on j == 1 when id is odd */
static inline nir_shader *
ts_nested_loops(void)
{
   glsl_type_singleton_init_or_ref();
   nir_builder b = ts_begin("nested_loops");
   nir_def *id = ts_id(&b);
   nir_def *n1 = nir_iand_imm(&b, id, 3), *n2 = nir_iand_imm(&b, nir_ushr_imm(&b, id, 2), 3);
   nir_def *odd = nir_ieq_imm(&b, nir_iand_imm(&b, id, 1), 1);
   nir_variable *vi = nir_local_variable_create(b.impl, glsl_uint_type(), "i");
   nir_variable *vj = nir_local_variable_create(b.impl, glsl_uint_type(), "j");
   nir_variable *va = nir_local_variable_create(b.impl, glsl_uint_type(), "acc");
   nir_store_var(&b, vi, nir_imm_int(&b, 0), 1);
   nir_store_var(&b, va, nir_imm_int(&b, 0), 1);
   nir_loop *outer = nir_push_loop(&b);
   {
      nir_def *i = nir_load_var(&b, vi);
      nir_break_if(&b, nir_uge(&b, i, n1));
      nir_store_var(&b, vj, nir_imm_int(&b, 0), 1);
      nir_loop *inner = nir_push_loop(&b);
      {
         nir_def *j = nir_load_var(&b, vj);
         nir_break_if(&b, nir_uge(&b, j, n2));
         nir_store_var(&b, vj, nir_iadd_imm(&b, j, 1), 1);
         nir_push_if(&b, nir_iand(&b, odd, nir_ieq_imm(&b, j, 1)));
         nir_jump(&b, nir_jump_continue);
         nir_pop_if(&b, NULL);
         nir_def *t = nir_iadd(&b, nir_imul_imm(&b, i, 4), nir_iadd_imm(&b, j, 1));
         nir_store_var(&b, va, nir_iadd(&b, nir_load_var(&b, va), t), 1);
      }
      nir_pop_loop(&b, inner);
      nir_store_var(&b, vi, nir_iadd_imm(&b, i, 1), 1);
   }
   nir_pop_loop(&b, outer);
   ts_store(&b, 1, id, nir_load_var(&b, va));
   return b.shader;
}

#endif
