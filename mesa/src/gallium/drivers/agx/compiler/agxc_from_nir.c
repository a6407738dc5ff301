/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * NIR -> agxc IR.
 *
 * Expects scalar ALU (agxc_preprocess_nir). Every NIR def maps to up to four
 * per-component operands, so vecN/mov/swizzles cost nothing. 1-bit booleans
 * are 16-bit 0/1 values. Constants stay immediates until a use needs them:
 * a source that does not fit the instruction's 8-bit immediate (integer) or
 * 8-bit minifloat (float) is materialized with mov_imm right before the use.
 *
 * Control flow is structured and executed with the execution-mask stack:
 *    if c:   if_icmp r0l, !ueq, c, 0, n=1 ... else n=1 ... pop_exec n=1
 * Phis become moves into one IR value at the end of each predecessor.
 * Loops: see emit_loop. Breaks may sit under ifs inside the loop; the break
 * writes the nesting counter r0l directly (see emit_block).
 */
#include <math.h>
#include <string.h>
#include "agxc.h"
#include "compiler/nir/nir.h"
#include "util/half_float.h"
#include "util/ralloc.h"
#include "util/u_math.h"

struct ctx {
   agxc_shader *s;
   agxc_builder b;
   unsigned loop_depth; /* enclosing loops */
   unsigned if_depth;   /* ifs inside the innermost loop */
   bool cont_scope;     /* the innermost loop has a continue scope */
   unsigned num_labels;
   agxc_index *defs; /* 4 per NIR def */
   bool s_uses_discard;
   const char *error;
};

static void
fail(struct ctx *c, const char *msg)
{
   if (!c->error)
      c->error = msg;
}

static unsigned
ir_size(unsigned bit_size)
{
   return bit_size == 1 ? 16 : bit_size;
}

static agxc_index *
slot(struct ctx *c, nir_def *d)
{
   return &c->defs[d->index * 4];
}

static agxc_index
get_src(struct ctx *c, nir_src *src, unsigned comp)
{
   return slot(c, src->ssa)[comp];
}

/* The 8-bit float immediate: sign bit 7, exponent bits 6-4, fraction
 * bits 3-0; e == 0 ? f/64 : (16 + f) * 2^(e - 7). */
int
agxc_minifloat(float f)
{
   for (unsigned i = 0; i < 256; i++) {
      unsigned e = (i >> 4) & 7, m = i & 15;
      float v = e == 0 ? m / 64.0f : (16 + m) * ldexpf(1.0f, (int)e - 7);
      if (i & 0x80)
         v = -v;
      if (v == f && signbit(v) == signbit(f))
         return i;
   }
   return -1;
}

static agxc_index
mov_imm(struct ctx *c, uint32_t v, unsigned size)
{
   agxc_index d = agxc_new_value(c->s, size, 1);
   agxc_instr *I = agxc_emit(&c->b, AGXC_OP_MOV_IMM, d, 0, NULL);
   I->imm = v;
   return d;
}

/* Integer-context operand: immediates must fit 8 bits. */
static agxc_index
isrc_idx(struct ctx *c, agxc_index i)
{
   if (i.kind == AGXC_IMM && i.value > 0xff)
      return mov_imm(c, i.value, i.size);
   return i;
}

/* Float-context operand: immediates must be minifloats. */
static agxc_index
fsrc_idx(struct ctx *c, agxc_index i)
{
   if (i.kind != AGXC_IMM)
      return i;
   float f = i.size == 16 ? _mesa_half_to_float(i.value) : uif(i.value);
   int mf = agxc_minifloat(f);
   if (mf >= 0 && !i.neg && !i.abs)
      return agxc_imm(mf, 32);
   return mov_imm(c, i.value, i.size);
}

/* A register-only operand (memory data/index). */
static agxc_index
reg_idx(struct ctx *c, agxc_index i)
{
   if (i.kind == AGXC_SSA)
      return i;
   if (i.kind == AGXC_IMM)
      return mov_imm(c, i.value, i.size);
   agxc_index d = agxc_new_value(c->s, i.size, 1);
   agxc_emit(&c->b, AGXC_OP_MOV, d, 1, &i);
   return d;
}

static agxc_index
isrc(struct ctx *c, nir_alu_instr *alu, unsigned i)
{
   return isrc_idx(c, get_src(c, &alu->src[i].src, alu->src[i].swizzle[0]));
}

/* Float source, folding fneg/fabs producers into source modifiers. */
static agxc_index
fsrc(struct ctx *c, nir_alu_instr *alu, unsigned i)
{
   nir_alu_src *as = &alu->src[i];
   nir_instr *p = as->src.ssa->parent_instr;
   if (p->type == nir_instr_type_alu) {
      nir_alu_instr *pa = nir_instr_as_alu(p);
      if ((pa->op == nir_op_fneg || pa->op == nir_op_fabs) &&
          !nir_src_is_const(pa->src[0].src)) {
         agxc_index inner = fsrc(c, pa, 0);
         /* fsrc of a scalar-only producer: swizzle must be .x */
         if (as->swizzle[0] == 0)
            return pa->op == nir_op_fneg ? agxc_neg(inner) : agxc_abs(inner);
      }
   }
   return fsrc_idx(c, get_src(c, &as->src, as->swizzle[0]));
}

static agxc_index
emit2(struct ctx *c, enum agxc_op op, unsigned size, agxc_index a, agxc_index b)
{
   return agxc_alu2(&c->b, op, size, a, b);
}

static agxc_index
cmpsel(struct ctx *c, enum agxc_op op, unsigned cond, unsigned size,
       agxc_index a, agxc_index b, agxc_index x, agxc_index y)
{
   agxc_index d = agxc_new_value(c->s, size, 1);
   agxc_index s[4] = { a, b, x, y };
   agxc_instr *I = agxc_emit(&c->b, op, d, 4, s);
   I->imm = cond;
   return d;
}

static agxc_index
bitop(struct ctx *c, unsigned tt, unsigned size, agxc_index a, agxc_index b)
{
   agxc_index d = emit2(c, AGXC_OP_BITOP, size, a, b);
   agxc_instr *I = list_last_entry(&c->b.block->instrs, agxc_instr, link);
   I->imm = tt;
   return d;
}

static agxc_index
unary(struct ctx *c, enum agxc_op op, unsigned sub, unsigned size, agxc_index a)
{
   agxc_index d = agxc_alu1(&c->b, op, size, a);
   agxc_instr *I = list_last_entry(&c->b.block->instrs, agxc_instr, link);
   I->imm = sub;
   return d;
}

static agxc_index
convert(struct ctx *c, unsigned mode, unsigned round, agxc_index a)
{
   agxc_index d = unary(c, AGXC_OP_CONVERT, mode, 32, a);
   list_last_entry(&c->b.block->instrs, agxc_instr, link)->round = round;
   return d;
}

/* The last float op uses the fp16 form when its destination and every
 * source are 16-bit (registers, 16-bit uniforms) or 8-bit float
 * immediates; mixed sizes keep the fp32 form, which converts. */
static void
mark_f16(struct ctx *c)
{
   agxc_instr *I = list_last_entry(&c->b.block->instrs, agxc_instr, link);
   if (I->dest.size != 16)
      return;
   for (unsigned i = 0; i < I->nr_srcs; i++)
      if (I->src[i].kind != AGXC_IMM && I->src[i].size != 16)
         return;
   I->f16 = true;
}

static void
emit_alu(struct ctx *c, nir_alu_instr *alu)
{
   agxc_index *out = slot(c, &alu->def);
   unsigned sz = ir_size(alu->def.bit_size);
   unsigned ssz = ir_size(nir_src_bit_size(alu->src[0].src));
   agxc_index one_f = agxc_imm(0x30, 32); /* 1.0 */
   agxc_index r;

   if (alu->op == nir_op_mov) {
      for (unsigned i = 0; i < alu->def.num_components; i++)
         out[i] = get_src(c, &alu->src[0].src, alu->src[0].swizzle[i]);
      return;
   }
   if (nir_op_is_vec(alu->op)) {
      for (unsigned i = 0; i < alu->def.num_components; i++)
         out[i] = get_src(c, &alu->src[i].src, alu->src[i].swizzle[0]);
      return;
   }
   if (alu->def.num_components != 1) {
      fail(c, "vector ALU (run nir_lower_alu_to_scalar)");
      return;
   }
   if ((sz != 16 && sz != 32) || (ssz != 16 && ssz != 32)) {
      fail(c, "64-bit ALU not supported");
      return;
   }

   switch (alu->op) {
   case nir_op_fadd: r = emit2(c, AGXC_OP_FADD, sz, fsrc(c, alu, 0), fsrc(c, alu, 1)); mark_f16(c); break;
   case nir_op_fmul: r = emit2(c, AGXC_OP_FMUL, sz, fsrc(c, alu, 0), fsrc(c, alu, 1)); mark_f16(c); break;
   case nir_op_ffma:
      r = agxc_alu3(&c->b, AGXC_OP_FMA, sz, fsrc(c, alu, 0), fsrc(c, alu, 1),
                    fsrc(c, alu, 2));
      mark_f16(c);
      break;
   case nir_op_fneg: r = emit2(c, AGXC_OP_FMUL, sz, agxc_neg(fsrc(c, alu, 0)), one_f); break;
   case nir_op_fabs: r = emit2(c, AGXC_OP_FMUL, sz, agxc_abs(fsrc(c, alu, 0)), one_f); break;
   case nir_op_f2f16:
   case nir_op_f2f16_rtne:
   case nir_op_f2f32:
      r = emit2(c, AGXC_OP_FMUL, sz, fsrc(c, alu, 0), one_f);
      break;
   case nir_op_fsat:
      r = emit2(c, AGXC_OP_FMUL, sz, fsrc(c, alu, 0), one_f);
      list_last_entry(&c->b.block->instrs, agxc_instr, link)->sat = true;
      break;
   case nir_op_fmin:
   case nir_op_fmax: {
      agxc_index a = isrc(c, alu, 0), b = isrc(c, alu, 1);
      /* 8-bit immediates in X/Y are integers: use registers for floats */
      if (a.kind == AGXC_IMM) a = mov_imm(c, a.value, a.size);
      if (b.kind == AGXC_IMM) b = mov_imm(c, b.value, b.size);
      r = cmpsel(c, AGXC_OP_FCMPSEL, alu->op == nir_op_fmin ? AGXC_FLTN : AGXC_FGTN,
                 sz, a, b, a, b);
      break;
   }
   case nir_op_frcp: r = unary(c, AGXC_OP_FUNARY, AGXC_RCP, sz, fsrc(c, alu, 0)); break;
   case nir_op_frsq: r = unary(c, AGXC_OP_FUNARY, AGXC_RSQRT, sz, fsrc(c, alu, 0)); break;
   case nir_op_fexp2: r = unary(c, AGXC_OP_FUNARY, AGXC_EXP2, sz, fsrc(c, alu, 0)); break;
   case nir_op_flog2: r = unary(c, AGXC_OP_FUNARY, AGXC_LOG2, sz, fsrc(c, alu, 0)); break;
   case nir_op_ffloor: r = unary(c, AGXC_OP_FUNARY, AGXC_FLOOR, sz, fsrc(c, alu, 0)); break;
   case nir_op_fceil: r = unary(c, AGXC_OP_FUNARY, AGXC_CEIL, sz, fsrc(c, alu, 0)); break;
   case nir_op_ftrunc: r = unary(c, AGXC_OP_FUNARY, AGXC_TRUNC, sz, fsrc(c, alu, 0)); break;
   case nir_op_fround_even: r = unary(c, AGXC_OP_FUNARY, AGXC_RINT, sz, fsrc(c, alu, 0)); break;

   case nir_op_iadd: r = emit2(c, AGXC_OP_IADD, sz, isrc(c, alu, 0), isrc(c, alu, 1)); break;
   case nir_op_isub:
   case nir_op_ineg: {
      agxc_index a = alu->op == nir_op_ineg ? agxc_imm(0, sz) : isrc(c, alu, 0);
      agxc_index b = isrc(c, alu, alu->op == nir_op_ineg ? 0 : 1);
      r = emit2(c, AGXC_OP_IADD, sz, a, b);
      list_last_entry(&c->b.block->instrs, agxc_instr, link)->invert = true;
      break;
   }
   case nir_op_imul:
      r = agxc_alu3(&c->b, AGXC_OP_IMAD, sz, isrc(c, alu, 0), isrc(c, alu, 1),
                    agxc_imm(0, sz));
      break;
   case nir_op_ishl:
      r = agxc_alu3(&c->b, AGXC_OP_BFI, sz, agxc_imm(0, sz), isrc(c, alu, 0),
                    isrc(c, alu, 1));
      break;
   case nir_op_ushr:
      r = agxc_alu3(&c->b, AGXC_OP_BFEIL, sz, agxc_imm(0, sz), isrc(c, alu, 0),
                    isrc(c, alu, 1));
      break;
   case nir_op_ishr: r = emit2(c, AGXC_OP_ASR, sz, isrc(c, alu, 0), isrc(c, alu, 1)); break;
   case nir_op_iand: r = bitop(c, AGXC_TT_AND, sz, isrc(c, alu, 0), isrc(c, alu, 1)); break;
   case nir_op_ior: r = bitop(c, AGXC_TT_OR, sz, isrc(c, alu, 0), isrc(c, alu, 1)); break;
   case nir_op_ixor: r = bitop(c, AGXC_TT_XOR, sz, isrc(c, alu, 0), isrc(c, alu, 1)); break;
   case nir_op_inot:
      if (alu->def.bit_size == 1)
         r = bitop(c, AGXC_TT_XOR, sz, isrc(c, alu, 0), agxc_imm(1, 16));
      else
         r = bitop(c, AGXC_TT_NOT, sz, isrc(c, alu, 0), agxc_imm(0, sz));
      break;
   case nir_op_imin: case nir_op_imax: case nir_op_umin: case nir_op_umax: {
      agxc_index a = isrc(c, alu, 0), b = isrc(c, alu, 1);
      bool u = alu->op == nir_op_umin || alu->op == nir_op_umax;
      bool mn = alu->op == nir_op_imin || alu->op == nir_op_umin;
      r = cmpsel(c, AGXC_OP_ICMPSEL, u ? AGXC_ULT : AGXC_SLT, sz, a, b,
                 mn ? a : b, mn ? b : a);
      break;
   }

   /* comparisons: 16-bit 0/1 results; inverted ones swap X and Y */
   case nir_op_flt: case nir_op_fge: case nir_op_feq: case nir_op_fneu: {
      unsigned cond = alu->op == nir_op_flt ? AGXC_FLT :
                      alu->op == nir_op_fge ? AGXC_FGE : AGXC_FEQ;
      bool inv = alu->op == nir_op_fneu;
      r = cmpsel(c, AGXC_OP_FCMPSEL, cond, 16, fsrc(c, alu, 0), fsrc(c, alu, 1),
                 agxc_imm(inv ? 0 : 1, 16), agxc_imm(inv ? 1 : 0, 16));
      break;
   }
   case nir_op_ilt: case nir_op_ige: case nir_op_ult: case nir_op_uge:
   case nir_op_ieq: case nir_op_ine: {
      unsigned cond = (alu->op == nir_op_ilt || alu->op == nir_op_ige) ? AGXC_SLT :
                      (alu->op == nir_op_ult || alu->op == nir_op_uge) ? AGXC_ULT :
                      AGXC_UEQ;
      bool inv = alu->op == nir_op_ige || alu->op == nir_op_uge ||
                 alu->op == nir_op_ine;
      r = cmpsel(c, AGXC_OP_ICMPSEL, cond, 16, isrc(c, alu, 0), isrc(c, alu, 1),
                 agxc_imm(inv ? 0 : 1, 16), agxc_imm(inv ? 1 : 0, 16));
      break;
   }
   case nir_op_bcsel: {
      agxc_index x = isrc(c, alu, 1), y = isrc(c, alu, 2);
      r = cmpsel(c, AGXC_OP_ICMPSEL, AGXC_UEQ, sz, isrc(c, alu, 0),
                 agxc_imm(0, 16), y, x);
      break;
   }
   case nir_op_b2i32:
      r = emit2(c, AGXC_OP_IADD, 32, isrc(c, alu, 0), agxc_imm(0, 32));
      break;
   case nir_op_b2b1:
      /* 32/16-bit boolean (0 / ~0) -> 0 / 1 */
      r = cmpsel(c, AGXC_OP_ICMPSEL, AGXC_UEQ, 16, isrc(c, alu, 0), agxc_imm(0, ssz),
                 agxc_imm(0, 16), agxc_imm(1, 16));
      break;
   case nir_op_b2b32:
      /* 0 / 1 -> 0 / ~0 */
      r = cmpsel(c, AGXC_OP_ICMPSEL, AGXC_UEQ, 32, isrc(c, alu, 0), agxc_imm(0, 16),
                 agxc_imm(0, 32), reg_idx(c, agxc_imm(0xffffffff, 32)));
      break;
   case nir_op_u2u32:
   case nir_op_u2u16:
   case nir_op_i2i16:
      if (sz == ssz) {
         r = get_src(c, &alu->src[0].src, alu->src[0].swizzle[0]);
      } else if (sz == 16) {
         /* the low half of the 32-bit value */
         r = get_src(c, &alu->src[0].src, alu->src[0].swizzle[0]);
         if (r.kind == AGXC_IMM)
            r.value &= 0xffff;
         r.size = 16;
      } else {
         /* zero-extending add */
         r = emit2(c, AGXC_OP_IADD, 32, isrc(c, alu, 0), agxc_imm(0, 32));
      }
      break;
   case nir_op_b2f32: r = convert(c, AGXC_U16_TO_F, 1, reg_idx(c, isrc(c, alu, 0))); break;
   case nir_op_i2f32: r = convert(c, AGXC_S32_TO_F, 1, reg_idx(c, isrc(c, alu, 0))); break;
   case nir_op_u2f32: r = convert(c, AGXC_U32_TO_F, 1, reg_idx(c, isrc(c, alu, 0))); break;
   case nir_op_f2i32: r = convert(c, AGXC_F_TO_S32, 0, reg_idx(c, isrc(c, alu, 0))); break;
   case nir_op_f2u32: r = convert(c, AGXC_F_TO_U32, 0, reg_idx(c, isrc(c, alu, 0))); break;
   default:
      fail(c, "unsupported ALU opcode");
      fprintf(stderr, "agxc: unsupported ALU op %s\n", nir_op_infos[alu->op].name);
      return;
   }
   (void)ssz;
   out[0] = r;
}

/* Device memory index for a byte offset, in 4-byte elements. */
static agxc_index
mem_index(struct ctx *c, nir_src *off, unsigned *shift)
{
   *shift = 0;
   if (nir_src_is_const(*off)) {
      uint32_t o = nir_src_as_uint(*off);
      if (!(o & 3) && (o >> 2) <= 0x7fff)
         return agxc_imm(o >> 2, 32);
   }
   nir_instr *p = off->ssa->parent_instr;
   if (p->type == nir_instr_type_alu) {
      nir_alu_instr *a = nir_instr_as_alu(p);
      if (a->op == nir_op_ishl && nir_src_is_const(a->src[1].src)) {
         unsigned k = nir_src_comp_as_uint(a->src[1].src, a->src[1].swizzle[0]);
         if (k >= 2 && k <= 4) {
            *shift = k - 2;
            return reg_idx(c, get_src(c, &a->src[0].src, a->src[0].swizzle[0]));
         }
      }
   }
   agxc_index o = reg_idx(c, get_src(c, off, 0));
   return agxc_alu3(&c->b, AGXC_OP_BFEIL, 32, agxc_imm(0, 32), o, agxc_imm(2, 32));
}

/* device_load format of a memory pipe_format (load_agx FORMAT). */
static int
mem_format(enum pipe_format f)
{
   switch (f) {
   case PIPE_FORMAT_R32_UINT: case PIPE_FORMAT_R32_SINT: case PIPE_FORMAT_R32_FLOAT:
      return AGXC_FMT_I32;
   case PIPE_FORMAT_R16_UINT: case PIPE_FORMAT_R16_SINT: return AGXC_FMT_I16;
   case PIPE_FORMAT_R16_FLOAT: return AGXC_FMT_F16;
   case PIPE_FORMAT_R8_UINT: case PIPE_FORMAT_R8_SINT: return AGXC_FMT_I8;
   case PIPE_FORMAT_R8_UNORM: return AGXC_FMT_U8NORM;
   case PIPE_FORMAT_R8_SNORM: return AGXC_FMT_S8NORM;
   case PIPE_FORMAT_R16_UNORM: return AGXC_FMT_U16NORM;
   case PIPE_FORMAT_R16_SNORM: return AGXC_FMT_S16NORM;
   default: return -1;
   }
}

int
agxc_tile_format(unsigned pf)
{
   switch ((enum pipe_format)pf) {
   case PIPE_FORMAT_R8_UNORM: case PIPE_FORMAT_R8G8_UNORM:
   case PIPE_FORMAT_R8G8B8A8_UNORM: case PIPE_FORMAT_B8G8R8A8_UNORM:
   case PIPE_FORMAT_R8G8B8X8_UNORM: case PIPE_FORMAT_B8G8R8X8_UNORM:
      return AGXC_TF_U8NORM;
   case PIPE_FORMAT_R8_SNORM: case PIPE_FORMAT_R8G8_SNORM: case PIPE_FORMAT_R8G8B8A8_SNORM:
      return AGXC_TF_S8NORM;
   case PIPE_FORMAT_R8G8B8A8_SRGB: case PIPE_FORMAT_B8G8R8A8_SRGB:
   case PIPE_FORMAT_R8G8B8X8_SRGB: case PIPE_FORMAT_B8G8R8X8_SRGB:
      return AGXC_TF_SRGBA8;
   case PIPE_FORMAT_R16_UNORM: case PIPE_FORMAT_R16G16_UNORM: case PIPE_FORMAT_R16G16B16A16_UNORM:
      return AGXC_TF_U16NORM;
   case PIPE_FORMAT_R16_SNORM: case PIPE_FORMAT_R16G16_SNORM: case PIPE_FORMAT_R16G16B16A16_SNORM:
      return AGXC_TF_S16NORM;
   case PIPE_FORMAT_R16_FLOAT: case PIPE_FORMAT_R16G16_FLOAT: case PIPE_FORMAT_R16G16B16A16_FLOAT:
   case PIPE_FORMAT_R16G16B16X16_FLOAT:
      return AGXC_TF_F16;
   case PIPE_FORMAT_R8_UINT: case PIPE_FORMAT_R8G8_UINT: case PIPE_FORMAT_R8G8B8A8_UINT:
   case PIPE_FORMAT_R8_SINT: case PIPE_FORMAT_R8G8_SINT: case PIPE_FORMAT_R8G8B8A8_SINT:
      return AGXC_TF_I8;
   case PIPE_FORMAT_R16_UINT: case PIPE_FORMAT_R16G16_UINT: case PIPE_FORMAT_R16G16B16A16_UINT:
   case PIPE_FORMAT_R16_SINT: case PIPE_FORMAT_R16G16_SINT: case PIPE_FORMAT_R16G16B16A16_SINT:
      return AGXC_TF_I16;
   case PIPE_FORMAT_R32_FLOAT: case PIPE_FORMAT_R32G32_FLOAT: case PIPE_FORMAT_R32G32B32A32_FLOAT:
   case PIPE_FORMAT_R32_UINT: case PIPE_FORMAT_R32G32_UINT: case PIPE_FORMAT_R32G32B32A32_UINT:
   case PIPE_FORMAT_R32_SINT: case PIPE_FORMAT_R32G32_SINT: case PIPE_FORMAT_R32G32B32A32_SINT:
      return AGXC_TF_I32;
   default:
      return -1;
   }
}

static void
emit_intrinsic(struct ctx *c, nir_intrinsic_instr *in)
{
   agxc_index *out = nir_intrinsic_infos[in->intrinsic].has_dest ? slot(c, &in->def) : NULL;

   switch (in->intrinsic) {
   case nir_intrinsic_load_push_constant: {
      if (!nir_src_is_const(in->src[0]) || in->def.bit_size != 32) {
         fail(c, "indirect or non-32-bit push constant");
         return;
      }
      unsigned byte = nir_intrinsic_base(in) + nir_src_as_uint(in->src[0]);
      unsigned half = AGXC_PUSH_BASE + byte / 2;
      if (byte & 3 || half + 2 * in->def.num_components > 512) {
         fail(c, "push constant out of range");
         return;
      }
      for (unsigned i = 0; i < in->def.num_components; i++)
         out[i] = agxc_uniform(half + 2 * i, 32);
      return;
   }
   case nir_intrinsic_load_global_invocation_id:
   case nir_intrinsic_load_local_invocation_id:
   case nir_intrinsic_load_workgroup_id: {
      unsigned base = in->intrinsic == nir_intrinsic_load_global_invocation_id ? 80 :
                      in->intrinsic == nir_intrinsic_load_local_invocation_id ? 48 : 0;
      if (in->def.bit_size != 32) {
         fail(c, "non-32-bit system value");
         return;
      }
      for (unsigned i = 0; i < in->def.num_components; i++) {
         agxc_index d = agxc_new_value(c->s, 32, 1);
         agxc_emit(&c->b, AGXC_OP_GET_SR, d, 0, NULL)->imm = base + i;
         out[i] = d;
      }
      return;
   }
   case nir_intrinsic_load_local_invocation_index: {
      agxc_index d = agxc_new_value(c->s, 32, 1);
      agxc_emit(&c->b, AGXC_OP_GET_SR, d, 0, NULL)->imm = 51;
      out[0] = d;
      return;
   }
   case nir_intrinsic_load_ssbo:
   case nir_intrinsic_store_ssbo: {
      bool st = in->intrinsic == nir_intrinsic_store_ssbo;
      nir_src *buf = &in->src[st ? 1 : 0], *off = &in->src[st ? 2 : 1];
      unsigned bits = st ? nir_src_bit_size(in->src[0]) : in->def.bit_size;
      if (!nir_src_is_const(*buf) || nir_src_as_uint(*buf) >= AGXC_MAX_SSBOS ||
          bits != 32) {
         fail(c, "SSBO access must be 32-bit with a constant index < 8");
         return;
      }
      agxc_index base = agxc_uniform(4 * nir_src_as_uint(*buf), 64);
      unsigned shift;
      agxc_index idx = mem_index(c, off, &shift);
      if (!st) {
         unsigned n = in->def.num_components;
         agxc_index d = agxc_new_value(c->s, 32, n);
         agxc_index s[2] = { base, idx };
         agxc_instr *I = agxc_emit(&c->b, AGXC_OP_DEVICE_LOAD, d, 2, s);
         I->imm = AGXC_FMT_I32;
         I->mask = BITFIELD_MASK(n);
         I->shift = shift;
         agxc_emit(&c->b, AGXC_OP_WAIT, agxc_null(), 0, NULL);
         for (unsigned i = 0; i < n; i++)
            out[i] = agxc_comp(d, i);
      } else {
         unsigned wm = nir_intrinsic_write_mask(in), n = util_bitcount(wm);
         agxc_index comps[4];
         unsigned k = 0;
         u_foreach_bit(i, wm)
            comps[k++] = reg_idx(c, get_src(c, &in->src[0], i));
         agxc_index data;
         if (n == 1) {
            data = comps[0];
         } else {
            data = agxc_new_value(c->s, 32, n);
            agxc_emit(&c->b, AGXC_OP_COLLECT, data, n, comps);
         }
         agxc_index s[3] = { data, base, idx };
         agxc_instr *I = agxc_emit(&c->b, AGXC_OP_DEVICE_STORE, agxc_null(), 3, s);
         I->imm = AGXC_FMT_I32;
         I->mask = wm;
         I->shift = shift;
      }
      return;
   }

   /* --- graphics --- */
   case nir_intrinsic_load_preamble: {
      /* BASE = uniform half index (driver ABI, agx_shader.h) */
      unsigned sz = in->def.bit_size, base = nir_intrinsic_base(in);
      if (sz != 16 && sz != 32 && sz != 64) {
         fail(c, "load_preamble: bad bit size");
         return;
      }
      if (base + in->def.num_components * (sz / 16) > 512 ||
          (sz >= 32 && (base & 1)) || (sz == 64 && (base & 3))) {
         fail(c, "load_preamble: uniform out of range or misaligned");
         return;
      }
      for (unsigned i = 0; i < in->def.num_components; i++)
         out[i] = agxc_uniform(base + i * (sz / 16), sz);
      return;
   }
   case nir_intrinsic_load_agx:
   case nir_intrinsic_load_constant_agx: {
      /* address (64-bit uniform) + index << (format size + BASE) */
      agxc_index base = get_src(c, &in->src[0], 0);
      int fmt = mem_format(nir_intrinsic_format(in));
      unsigned n = in->def.num_components, sz = in->def.bit_size;
      if (base.kind != AGXC_UNIFORM || base.size != 64 || base.value >= 256) {
         fail(c, "load_agx: base must be a low 64-bit uniform");
         return;
      }
      if (fmt < 0 || (sz != 16 && sz != 32) || (fmt == AGXC_FMT_I32 && sz != 32) ||
          nir_intrinsic_base(in) > 2) {
         fail(c, "load_agx: unsupported format/size");
         return;
      }
      agxc_index idx = get_src(c, &in->src[1], 0);
      if (!(idx.kind == AGXC_IMM && idx.value <= 0x7fff))
         idx = reg_idx(c, idx);
      agxc_index d = agxc_new_value(c->s, sz, n);
      agxc_index s[2] = { base, idx };
      agxc_instr *I = agxc_emit(&c->b, AGXC_OP_DEVICE_LOAD, d, 2, s);
      I->imm = fmt;
      I->mask = BITFIELD_MASK(n);
      I->shift = nir_intrinsic_base(in);
      agxc_emit(&c->b, AGXC_OP_WAIT, agxc_null(), 0, NULL);
      for (unsigned i = 0; i < n; i++)
         out[i] = agxc_comp(d, i);
      return;
   }
   case nir_intrinsic_load_vertex_id:
      out[0] = agxc_reg(10, 32); /* r5, preloaded (index + base vertex) */
      return;
   case nir_intrinsic_load_instance_id: {
      /* r6 = base instance + instance: subtract u69 */
      agxc_index r6 = agxc_reg(12, 32);
      out[0] = emit2(c, AGXC_OP_IADD, 32, r6, agxc_uniform(2 * 69, 32));
      list_last_entry(&c->b.block->instrs, agxc_instr, link)->invert = true;
      return;
   }
   case nir_intrinsic_load_base_vertex:
   case nir_intrinsic_load_first_vertex:
      out[0] = agxc_uniform(2 * 68, 32);
      return;
   case nir_intrinsic_load_base_instance:
      out[0] = agxc_uniform(2 * 69, 32);
      return;
   case nir_intrinsic_store_uvs_agx: {
      agxc_index idx = get_src(c, &in->src[1], 0);
      if (idx.kind != AGXC_IMM || idx.value > 255 || nir_src_bit_size(in->src[0]) != 32) {
         fail(c, "store_uvs_agx: index must be constant, value 32-bit");
         return;
      }
      agxc_index v = reg_idx(c, get_src(c, &in->src[0], 0));
      agxc_instr *I = agxc_emit(&c->b, AGXC_OP_ST_VAR, agxc_null(), 1, &v);
      I->imm = idx.value;
      return;
   }
   case nir_intrinsic_load_input:
   case nir_intrinsic_load_interpolated_input: {
      /* FS only: BASE + COMPONENT = coefficient register (driver-assigned) */
      if (c->s->stage != MESA_SHADER_FRAGMENT || in->def.bit_size != 32) {
         fail(c, "load_input outside a fragment shader or not 32-bit");
         return;
      }
      unsigned n = in->def.num_components;
      unsigned cf = nir_intrinsic_base(in) + nir_intrinsic_component(in);
      if (cf + n > 64) {
         fail(c, "coefficient register out of range");
         return;
      }
      if (in->intrinsic == nir_intrinsic_load_input) {
         /* flat: ldcf gives (d/dx, d/dy, value) per component */
         agxc_index d = agxc_new_value(c->s, 32, 3 * n);
         agxc_instr *I = agxc_emit(&c->b, AGXC_OP_LDCF, d, 0, NULL);
         I->imm = cf;
         I->count = n;
         for (unsigned i = 0; i < n; i++)
            out[i] = agxc_comp(d, 3 * i + 2);
         return;
      }
      nir_intrinsic_instr *bary = nir_src_as_intrinsic(in->src[0]);
      if (!bary) {
         fail(c, "load_interpolated_input without a barycentric intrinsic");
         return;
      }
      enum glsl_interp_mode mode = nir_intrinsic_interp_mode(bary);
      agxc_index d = agxc_new_value(c->s, 32, n);
      agxc_instr *I = agxc_emit(&c->b, AGXC_OP_ITER, d, 0, NULL);
      I->imm = cf;
      I->count = n;
      /* perspective: iterproj by the 1/w coefficient, cf0 (driver ABI) */
      I->cf_w = (mode == INTERP_MODE_NOPERSPECTIVE) ? 0xff : 0;
      I->interp = bary->intrinsic == nir_intrinsic_load_barycentric_centroid ? 2 : 0;
      if (bary->intrinsic != nir_intrinsic_load_barycentric_pixel &&
          bary->intrinsic != nir_intrinsic_load_barycentric_centroid) {
         fail(c, "only pixel/centroid interpolation is supported");
         return;
      }
      for (unsigned i = 0; i < n; i++)
         out[i] = agxc_comp(d, i);
      return;
   }
   case nir_intrinsic_load_barycentric_pixel:
   case nir_intrinsic_load_barycentric_centroid:
      /* consumed by load_interpolated_input */
      out[0] = out[1] = agxc_imm(0, 32);
      return;
   case nir_intrinsic_load_pixel_coord: {
      for (unsigned i = 0; i < 2; i++) {
         agxc_index d = agxc_new_value(c->s, 16, 1);
         agxc_emit(&c->b, AGXC_OP_GET_SR, d, 0, NULL)->imm = 80 + i;
         out[i] = d;
      }
      return;
   }
   case nir_intrinsic_ddx:
   case nir_intrinsic_ddx_coarse:
   case nir_intrinsic_ddx_fine:
   case nir_intrinsic_ddy:
   case nir_intrinsic_ddy_coarse:
   case nir_intrinsic_ddy_fine: {
      /* Screen-space derivatives: differences within the 2x2 quad (helper
       * lanes included); coarse and fine are the same instruction. */
      bool x = in->intrinsic == nir_intrinsic_ddx ||
               in->intrinsic == nir_intrinsic_ddx_coarse ||
               in->intrinsic == nir_intrinsic_ddx_fine;
      unsigned sz = in->def.bit_size;
      for (unsigned i = 0; i < in->def.num_components; i++)
         out[i] = unary(c, AGXC_OP_FUNARY, x ? AGXC_DFDX : AGXC_DFDY, sz,
                        fsrc_idx(c, get_src(c, &in->src[0], i)));
      return;
   }
   case nir_intrinsic_load_sample_mask_in: {
      /* sr124: the pixel's live samples */
      agxc_index d = agxc_new_value(c->s, 32, 1);
      agxc_emit(&c->b, AGXC_OP_GET_SR, d, 0, NULL)->imm = 124;
      out[0] = d;
      return;
   }
   case nir_intrinsic_load_front_face: {
      /* sr62 = back-facing */
      agxc_index d = agxc_new_value(c->s, 16, 1);
      agxc_emit(&c->b, AGXC_OP_GET_SR, d, 0, NULL)->imm = 62;
      out[0] = bitop(c, AGXC_TT_XOR, 16, d, agxc_imm(1, 16));
      if (in->def.bit_size == 32)
         out[0] = emit2(c, AGXC_OP_IADD, 32, out[0], agxc_imm(0, 32));
      return;
   }
   case nir_intrinsic_store_local_pixel_agx: {
      unsigned wm = nir_intrinsic_write_mask(in);
      int tf = agxc_tile_format(nir_intrinsic_format(in));
      unsigned sz = nir_src_bit_size(in->src[0]);
      if (tf < 0 || (sz != 16 && sz != 32) || wm != BITFIELD_MASK(util_last_bit(wm))) {
         fail(c, "store_local_pixel_agx: unsupported format or write mask");
         return;
      }
      unsigned n = util_last_bit(wm);
      agxc_index comps[4], data;
      for (unsigned i = 0; i < n; i++)
         comps[i] = reg_idx(c, get_src(c, &in->src[0], i));
      if (n == 1) {
         data = comps[0];
      } else {
         data = agxc_new_value(c->s, sz, n);
         agxc_emit(&c->b, AGXC_OP_COLLECT, data, n, comps);
      }
      agxc_index s[2] = { data, get_src(c, &in->src[1], 0) };
      bool imm_mask = s[1].kind == AGXC_IMM;
      if (!imm_mask)
         s[1] = reg_idx(c, s[1]);
      agxc_instr *I = agxc_emit(&c->b, AGXC_OP_ST_TILE, agxc_null(), imm_mask ? 1 : 2, s);
      I->format = tf;
      I->offset = nir_intrinsic_base(in);
      I->mask = wm;
      I->sample_mask = imm_mask ? s[1].value : 0;
      return;
   }
   case nir_intrinsic_load_local_pixel_agx: {
      int tf = agxc_tile_format(nir_intrinsic_format(in));
      unsigned n = in->def.num_components, sz = in->def.bit_size;
      if (tf < 0 || (sz != 16 && sz != 32)) {
         fail(c, "load_local_pixel_agx: unsupported format");
         return;
      }
      agxc_index m = get_src(c, &in->src[0], 0);
      bool imm_mask = m.kind == AGXC_IMM;
      if (!imm_mask)
         m = reg_idx(c, m);
      agxc_index d = agxc_new_value(c->s, sz, n);
      agxc_instr *I = agxc_emit(&c->b, AGXC_OP_LD_TILE, d, imm_mask ? 0 : 1, &m);
      I->format = tf;
      I->offset = nir_intrinsic_base(in);
      I->mask = BITFIELD_MASK(n);
      I->sample_mask = imm_mask ? m.value : 0;
      for (unsigned i = 0; i < n; i++)
         out[i] = agxc_comp(d, i);
      return;
   }
   case nir_intrinsic_image_store_block_agx: {
      /* src: image index, offset, coords; the whole tile is stored */
      int tf = agxc_tile_format(nir_intrinsic_format(in));
      agxc_index img = get_src(c, &in->src[0], 0);
      if (tf < 0 || img.kind != AGXC_IMM || img.value > 255) {
         fail(c, "image_store_block_agx: constant image and tile format needed");
         return;
      }
      agxc_index off = reg_idx(c, get_src(c, &in->src[1], 0));
      agxc_instr *I = agxc_emit(&c->b, AGXC_OP_IMAGE_WRITE_BLOCK, agxc_null(), 1, &off);
      I->imm = img.value;
      I->format = tf;
      I->dim = nir_intrinsic_image_dim(in) == GLSL_SAMPLER_DIM_MS ? 4 : 2;
      return;
   }
   case nir_intrinsic_demote:
   case nir_intrinsic_terminate: {
      /* all samples of the active lanes lose coverage */
      agxc_index z = agxc_imm(0, 16);
      agxc_emit(&c->b, AGXC_OP_SAMPLE_MASK, agxc_null(), 1, &z)->imm = 0xff;
      c->s_uses_discard = true;
      return;
   }
   case nir_intrinsic_discard_agx: {
      /* samples in the (per-lane) mask lose coverage */
      agxc_index m = get_src(c, &in->src[0], 0);
      agxc_index z = agxc_imm(0, 16);
      agxc_instr *I;
      if (m.kind == AGXC_IMM) {
         I = agxc_emit(&c->b, AGXC_OP_SAMPLE_MASK, agxc_null(), 1, &z);
         I->imm = m.value & 0xff;
      } else {
         agxc_index s2[2] = { z, reg_idx(c, m) };
         s2[1].size = 16;
         I = agxc_emit(&c->b, AGXC_OP_SAMPLE_MASK, agxc_null(), 2, s2);
      }
      c->s_uses_discard = true;
      return;
   }
   case nir_intrinsic_demote_if:
   case nir_intrinsic_terminate_if: {
      /* value = cond ? 0 : 0xff per lane */
      agxc_index cond = isrc_idx(c, get_src(c, &in->src[0], 0));
      agxc_index v = cmpsel(c, AGXC_OP_ICMPSEL, AGXC_UEQ, 16, cond, agxc_imm(0, 16),
                            agxc_imm(0xff, 16), agxc_imm(0, 16));
      agxc_emit(&c->b, AGXC_OP_SAMPLE_MASK, agxc_null(), 1, &v)->imm = 0xff;
      c->s_uses_discard = true;
      return;
   }
   case nir_intrinsic_store_zs_agx: {
      unsigned which = nir_intrinsic_base(in);
      agxc_index m = get_src(c, &in->src[0], 0);
      if (m.kind != AGXC_IMM || !which || which > 3) {
         fail(c, "store_zs_agx: constant sample mask needed");
         return;
      }
      /* depth in halves T, T+1; stencil in T+2 (or T without depth) */
      agxc_index comps[2];
      unsigned n = 0;
      if (which & 1)
         comps[n++] = reg_idx(c, get_src(c, &in->src[1], 0));
      if (which & 2) {
         agxc_index st = get_src(c, &in->src[2], 0);
         if (nir_src_bit_size(in->src[2]) == 16)
            st = emit2(c, AGXC_OP_IADD, 32, isrc_idx(c, st), agxc_imm(0, 32));
         comps[n++] = reg_idx(c, st);
      }
      agxc_index data = comps[0];
      if (n == 2) {
         data = agxc_new_value(c->s, 32, 2);
         agxc_emit(&c->b, AGXC_OP_COLLECT, data, 2, comps);
      }
      agxc_instr *I = agxc_emit(&c->b, AGXC_OP_ZS_EMIT, agxc_null(), 1, &data);
      I->imm = m.value;
      I->mask = which;
      return;
   }
   default:
      fail(c, "unsupported intrinsic");
      fprintf(stderr, "agxc: unsupported intrinsic %s\n",
              nir_intrinsic_infos[in->intrinsic].name);
      return;
   }
}

static void
emit_load_const(struct ctx *c, nir_load_const_instr *lc)
{
   agxc_index *out = slot(c, &lc->def);
   unsigned sz = ir_size(lc->def.bit_size);
   for (unsigned i = 0; i < lc->def.num_components; i++) {
      uint32_t v;
      switch (lc->def.bit_size) {
      case 1: v = lc->value[i].b ? 1 : 0; break;
      case 16: v = lc->value[i].u16; break;
      case 32: v = lc->value[i].u32; break;
      default: fail(c, "64-bit constant"); return;
      }
      out[i] = agxc_imm(v, sz);
   }
}

static void
emit_phi_copies(struct ctx *c, nir_block *pred)
{
   nir_block *succ = pred->successors[0];
   if (!succ)
      return;
   nir_foreach_phi(phi, succ) {
      nir_phi_src *ps = nir_phi_get_src_from_block(phi, pred);
      for (unsigned i = 0; i < phi->def.num_components; i++) {
         agxc_index d = slot(c, &phi->def)[i];
         agxc_index s = get_src(c, &ps->src, i);
         if (s.kind == AGXC_IMM) {
            agxc_emit(&c->b, AGXC_OP_MOV_IMM, d, 0, NULL)->imm = s.value;
         } else {
            agxc_emit(&c->b, AGXC_OP_MOV, d, 1, &s);
         }
      }
   }
}

/*
 * Texture sampling (2D): tex -> texture_sample, LOD mode auto; txl ->
 * texture_sample, LOD mode lod_min with a 16-bit float LOD register; txb ->
 * auto_lod_bias with a 16-bit float bias; txf -> texture_load, level 0
 * (LOD field 0) or lod_min with a 16-bit integer level. Texture and sampler
 * state registers = texture_index / sampler_index (immediates). A wait
 * follows (results arrive asynchronously).
 */
static void
emit_tex(struct ctx *c, nir_tex_instr *tex)
{
   agxc_index coord[3], lod = agxc_null();
   unsigned ncoord = 0;
   bool has_lod = false;
   if ((tex->sampler_dim != GLSL_SAMPLER_DIM_2D && tex->sampler_dim != GLSL_SAMPLER_DIM_1D) ||
       tex->is_array || tex->is_shadow ||
       tex->texture_index > 255 || tex->sampler_index > 255) {
      fail(c, "texture: only non-array, non-shadow 2D textures are supported");
      return;
   }
   if (tex->op != nir_texop_tex && tex->op != nir_texop_txl && tex->op != nir_texop_txb &&
       tex->op != nir_texop_txf) {
      fail(c, "texture: unsupported texture op");
      return;
   }
   if (tex->def.bit_size != 32 && tex->def.bit_size != 16) {
      fail(c, "texture: bad destination size");
      return;
   }
   for (unsigned i = 0; i < tex->num_srcs; i++) {
      nir_tex_src *src = &tex->src[i];
      switch (src->src_type) {
      case nir_tex_src_coord:
         ncoord = nir_tex_instr_src_size(tex, i);
         for (unsigned k = 0; k < ncoord && k < 3; k++)
            coord[k] = reg_idx(c, get_src(c, &src->src, k));
         if (tex->sampler_dim == GLSL_SAMPLER_DIM_1D && ncoord == 1) {
            /* 1D as a 2D texture of height 1 (the command side describes
             * 1D textures that way): y = the row's centre / row 0 */
            coord[1] = reg_idx(c, agxc_imm(tex->op == nir_texop_txf ? 0 : fui(0.5f), 32));
            ncoord = 2;
         }
         break;
      case nir_tex_src_lod:
      case nir_tex_src_bias:
         if (tex->op == nir_texop_txf && nir_src_is_const(src->src) &&
             nir_src_as_uint(src->src) == 0)
            break; /* level 0: LOD field 0 */
         has_lod = true;
         lod = get_src(c, &src->src, 0);
         if (tex->op == nir_texop_txf) {
            /* 16-bit integer level */
            if (lod.kind == AGXC_IMM)
               lod = mov_imm(c, lod.value & 0xffff, 16);
            else
               lod.size = 16;
         } else {
            /* 16-bit float LOD / bias */
            agxc_index f = fsrc_idx(c, lod);
            lod = emit2(c, AGXC_OP_FMUL, 16, f, agxc_imm(0x30, 32));
         }
         lod = reg_idx(c, lod);
         break;
      default:
         fail(c, "texture: unsupported source (offset, comparator, projector...)");
         return;
      }
   }
   if (ncoord != 2) {
      fail(c, "texture: 2D coordinates expected");
      return;
   }
   agxc_index cv = agxc_new_value(c->s, 32, 2);
   agxc_emit(&c->b, AGXC_OP_COLLECT, cv, 2, coord);
   unsigned n = tex->def.num_components;
   agxc_index d = agxc_new_value(c->s, tex->def.bit_size, 4);
   agxc_index srcs[2] = { cv, lod };
   agxc_instr *I = agxc_emit(&c->b, tex->op == nir_texop_txf ? AGXC_OP_TEXTURE_LOAD
                                                             : AGXC_OP_TEXTURE_SAMPLE,
                             d, has_lod ? 2 : 1, srcs);
   I->imm = tex->texture_index;
   I->sampler = tex->sampler_index;
   I->dim = 2;
   I->mask = 0xf;
   I->lod_mode = !has_lod ? 0 : tex->op == nir_texop_txb ? 5 : 6;
   agxc_emit(&c->b, AGXC_OP_WAIT, agxc_null(), 0, NULL);
   agxc_index *out = slot(c, &tex->def);
   for (unsigned i = 0; i < n; i++)
      out[i] = agxc_comp(d, i);
}

static void emit_cf_list(struct ctx *c, struct exec_list *list);

static void
emit_block(struct ctx *c, nir_block *block)
{
   c->b = agxc_builder_at_end(agxc_block_create(c->s));
   nir_foreach_instr(instr, block) {
      switch (instr->type) {
      case nir_instr_type_alu: emit_alu(c, nir_instr_as_alu(instr)); break;
      case nir_instr_type_intrinsic: emit_intrinsic(c, nir_instr_as_intrinsic(instr)); break;
      case nir_instr_type_load_const: emit_load_const(c, nir_instr_as_load_const(instr)); break;
      case nir_instr_type_tex: emit_tex(c, nir_instr_as_tex(instr)); break;
      case nir_instr_type_undef: {
         nir_undef_instr *u = nir_instr_as_undef(instr);
         for (unsigned i = 0; i < u->def.num_components; i++)
            slot(c, &u->def)[i] = agxc_imm(0, ir_size(u->def.bit_size));
         break;
      }
      case nir_instr_type_phi: break; /* values created up front */
      case nir_instr_type_jump: {
         nir_jump_instr *j = nir_instr_as_jump(instr);
         if ((j->type != nir_jump_break && j->type != nir_jump_continue) ||
             !c->loop_depth) {
            fail(c, "only break and continue are supported (no return)");
            break;
         }
         /* moves into the successor's phis first (the loop header's for a
          * continue), for the lanes that jump */
         emit_phi_copies(c, block);
         /* breaking lanes: nesting counter = ifs inside the loop + 1 (+ 1
          * for the continue scope), so the pop_exec of each enclosing if
          * brings it to 1 at loop level, where they stay inactive until the
          * loop's final pop_exec. Continuing lanes: ifs + 1, so they wake
          * at the end of the continue scope, before the back edge. */
         agxc_instr *m = agxc_emit(&c->b, AGXC_OP_MOV_IMM, agxc_reg(0, 16), 0, NULL);
         m->imm = c->if_depth + 1 + (j->type == nir_jump_break && c->cont_scope);
         agxc_emit(&c->b, AGXC_OP_POP_EXEC, agxc_null(), 0, NULL)->nest = 0;
         return;
      }
      default: fail(c, "unsupported instruction type"); break;
      }
      if (c->error)
         return;
   }
   emit_phi_copies(c, block);
}

static void
emit_if(struct ctx *c, nir_if *nif)
{
   agxc_index cond = isrc_idx(c, get_src(c, &nif->condition, 0));
   agxc_index s[2] = { cond, agxc_imm(0, 16) };
   agxc_instr *I = agxc_emit(&c->b, AGXC_OP_IF_ICMP, agxc_null(), 2, s);
   I->imm = AGXC_UEQ;
   I->invert = true; /* active where cond != 0 */
   I->nest = 1;
   c->if_depth++;
   emit_cf_list(c, &nif->then_list);
   agxc_emit(&c->b, AGXC_OP_ELSE, agxc_null(), 0, NULL)->nest = 1;
   emit_cf_list(c, &nif->else_list);
   agxc_emit(&c->b, AGXC_OP_POP_EXEC, agxc_null(), 0, NULL)->nest = 1;
   c->if_depth--;
}

/* Does a continue of this loop (not of an inner one) occur in it? */
static bool
loop_has_continue(nir_loop *loop)
{
   nir_foreach_block_in_cf_node(block, &loop->cf_node) {
      nir_instr *last = nir_block_last_instr(block);
      if (!last || last->type != nir_instr_type_jump ||
          nir_instr_as_jump(last)->type != nir_jump_continue)
         continue;
      nir_cf_node *n = &block->cf_node;
      while (n && n->type != nir_cf_node_loop)
         n = n->parent;
      if (n == &loop->cf_node)
         return true;
   }
   return false;
}

/*
 * loop { body }:
 *    push_exec 1          lanes inactive at entry go one level deeper
 * L: [push_exec 1]        continue scope, when the loop has a continue
 *    body                 a break sets r0l so the lane sleeps at level 1;
 *                         a continue so that it wakes at the scope's end
 *    [pop_exec 1]
 *    jmp_exec_any L       iterate while any lane is still running
 *    pop_exec 1           everyone who entered wakes up
 */
static void
emit_loop(struct ctx *c, nir_loop *loop)
{
   if (nir_loop_has_continue_construct(loop)) {
      fail(c, "loop continue constructs not supported");
      return;
   }
   unsigned label = c->num_labels++, saved_if = c->if_depth;
   bool saved_cont = c->cont_scope, cont = loop_has_continue(loop);
   agxc_emit(&c->b, AGXC_OP_PUSH_EXEC, agxc_null(), 0, NULL)->nest = 1;
   agxc_emit(&c->b, AGXC_OP_LABEL, agxc_null(), 0, NULL)->imm = label;
   if (cont)
      agxc_emit(&c->b, AGXC_OP_PUSH_EXEC, agxc_null(), 0, NULL)->nest = 1;
   c->loop_depth++;
   c->if_depth = 0;
   c->cont_scope = cont;
   emit_cf_list(c, &loop->body);
   c->loop_depth--;
   c->if_depth = saved_if;
   c->cont_scope = saved_cont;
   if (cont)
      agxc_emit(&c->b, AGXC_OP_POP_EXEC, agxc_null(), 0, NULL)->nest = 1;
   agxc_emit(&c->b, AGXC_OP_JMP_EXEC_ANY, agxc_null(), 0, NULL)->imm = label;
   agxc_emit(&c->b, AGXC_OP_POP_EXEC, agxc_null(), 0, NULL)->nest = 1;
}

static void
emit_cf_list(struct ctx *c, struct exec_list *list)
{
   foreach_list_typed(nir_cf_node, node, node, list) {
      if (c->error)
         return;
      switch (node->type) {
      case nir_cf_node_block: emit_block(c, nir_cf_node_as_block(node)); break;
      case nir_cf_node_if: emit_if(c, nir_cf_node_as_if(node)); break;
      case nir_cf_node_loop: emit_loop(c, nir_cf_node_as_loop(node)); break;
      default: fail(c, "unsupported control flow"); return;
      }
   }
}

/* The last st_var is st_var_final when no control flow follows it (then
 * every lane executes it last). */
static void
mark_final_st_var(agxc_shader *s)
{
   agxc_instr *last = NULL;
   agxc_foreach_block(s, blk) {
      agxc_foreach_instr(blk, I) {
         if (I->op == AGXC_OP_ST_VAR)
            last = I;
         else if (last && (I->op == AGXC_OP_IF_ICMP || I->op == AGXC_OP_ELSE ||
                           I->op == AGXC_OP_POP_EXEC || I->op == AGXC_OP_PUSH_EXEC ||
                           I->op == AGXC_OP_LABEL))
            last = NULL;
      }
   }
   if (last)
      last->final = true;
}

agxc_shader *
agxc_from_nir(void *mem_ctx, nir_shader *nir, const char **error)
{
   nir_function_impl *impl = nir_shader_get_entrypoint(nir);
   struct ctx c = { 0 };
   c.s = agxc_shader_create(mem_ctx, nir->info.stage);
   c.defs = rzalloc_array(c.s, agxc_index, (impl->ssa_alloc + 1) * 4);

   if (nir->info.stage != MESA_SHADER_COMPUTE && nir->info.stage != MESA_SHADER_KERNEL &&
       nir->info.stage != MESA_SHADER_VERTEX && nir->info.stage != MESA_SHADER_FRAGMENT) {
      *error = "only compute, vertex and fragment shaders are supported";
      ralloc_free(c.s);
      return NULL;
   }

   /* phi values exist before any predecessor copies into them */
   nir_foreach_block(block, impl) {
      nir_foreach_phi(phi, block) {
         for (unsigned i = 0; i < phi->def.num_components; i++)
            slot(&c, &phi->def)[i] = agxc_new_value(c.s, ir_size(phi->def.bit_size), 1);
      }
   }

   /* vertex shaders: r5/r6 (vertex/instance ID) are preloaded */
   c.s->reserved_halves = nir->info.stage == MESA_SHADER_VERTEX ? 14 : AGXC_RESERVED_HALVES;

   emit_cf_list(&c, &impl->body);
   if (!c.error)
      mark_final_st_var(c.s);
   c.s->uses_discard = c.s_uses_discard;
   if (!c.error)
      agxc_emit(&c.b, AGXC_OP_STOP, agxc_null(), 0, NULL);
   if (c.error) {
      *error = c.error;
      ralloc_free(c.s);
      return NULL;
   }
   return c.s;
}
