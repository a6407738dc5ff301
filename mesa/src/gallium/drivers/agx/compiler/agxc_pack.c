/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * Encoder: allocated IR -> G13 machine code.
 *
 * Bit positions are the documented ones (shared/reference/isa-facts.md
 * sections 2-3); each instruction is read as a little-endian integer, bit 0
 * being the LSB of byte 0. Operands use 16-bit half indices; the two high
 * bits of a 8-bit index ("ext") live in the instruction's last bytes, so
 * an instruction with an L bit uses the short form exactly when every bit
 * past the short length is zero.
 */
#include <stdlib.h>
#include <string.h>
#include "agxc.h"
#include "util/u_math.h"

static void
put(uint8_t *b, unsigned pos, unsigned nbits, uint64_t v)
{
   for (unsigned i = 0; i < nbits; i++) {
      unsigned bit = pos + i;
      if ((v >> i) & 1)
         b[bit / 8] |= 1u << (bit % 8);
      else
         b[bit / 8] &= ~(1u << (bit % 8));
   }
}

static bool
bits_above(const uint8_t *b, unsigned nbytes)
{
   for (unsigned i = nbytes; i < 16; i++)
      if (b[i])
         return true;
   return false;
}

/* Short form when everything past `s` bytes is zero, else long with L. */
static unsigned
finish_l(uint8_t *b, unsigned s, unsigned l, unsigned lbit)
{
   if (!bits_above(b, s))
      return s;
   put(b, lbit, 1, 1);
   return l;
}

/* ALU destination: bit 7 cache (0), bit 8 32-bit, 9-14 index, ext at e. */
static bool
put_dst(uint8_t *b, agxc_index d, unsigned ext)
{
   if (d.kind != AGXC_REG || d.size > 32)
      return false;
   put(b, 7, 1, 0);
   put(b, 8, 1, d.size == 32);
   put(b, 9, 6, d.value & 63);
   put(b, ext, 2, d.value >> 6);
   return true;
}

/* 12-bit ALU source at p: 6-bit value, 4-bit type, then 2 modifier bits
 * (float abs at p+10, neg at p+11). Immediates are 8-bit. */
static bool
put_src(uint8_t *b, agxc_index s, unsigned p, unsigned ext, bool fmods)
{
   unsigned val, t;
   switch (s.kind) {
   case AGXC_IMM:
      if (s.value > 0xff)
         return false;
      val = s.value;
      t = 0;
      break;
   case AGXC_UNIFORM:
      if (s.value >= 512)
         return false;
      val = s.value & 0xff;
      t = 0x4 | ((s.size == 32) << 1) | (s.value >> 8);
      break;
   case AGXC_REG:
      val = s.value;
      t = ((s.size == 16 ? 0 : s.size == 32 ? 2 : 3) << 2) | 1;
      break;
   default:
      return false;
   }
   put(b, p, 6, val & 63);
   put(b, p + 6, 4, t);
   put(b, ext, 2, val >> 6);
   if (fmods) {
      put(b, p + 10, 1, s.abs);
      put(b, p + 11, 1, s.neg);
   } else if (s.abs || s.neg) {
      return false;
   }
   return true;
}

/* fp16-op source at p: 6-bit value, 3-bit type (000 immediate, 0hh
 * 16-bit register with hint, 10b 16-bit uniform with b = bit 8 of the
 * index), then abs (p+9) and neg (p+10). */
static bool
put_src16(uint8_t *b, agxc_index s, unsigned p, unsigned ext)
{
   unsigned val, t;
   switch (s.kind) {
   case AGXC_IMM:
      if (s.value > 0xff)
         return false;
      val = s.value;
      t = 0;
      break;
   case AGXC_UNIFORM:
      if (s.value >= 512 || s.size != 16)
         return false;
      val = s.value & 0xff;
      t = 0x4 | (s.value >> 8);
      break;
   case AGXC_REG:
      if (s.size != 16)
         return false;
      val = s.value;
      t = 1;
      break;
   default:
      return false;
   }
   put(b, p, 6, val & 63);
   put(b, p + 6, 3, t);
   put(b, ext, 2, val >> 6);
   put(b, p + 9, 1, s.abs);
   put(b, p + 10, 1, s.neg);
   return true;
}

/* cmpsel X/Y: 6-bit value + 3-bit type (100 imm, 001 register, 11b
 * uniform with b = bit 8 of the index). */
static bool
put_sel(uint8_t *b, agxc_index s, unsigned p, unsigned ext)
{
   unsigned val, t;
   switch (s.kind) {
   case AGXC_IMM:
      if (s.value > 0xff)
         return false;
      val = s.value;
      t = 4;
      break;
   case AGXC_REG:
      val = s.value;
      t = 1;
      break;
   case AGXC_UNIFORM:
      if (s.value >= 512)
         return false;
      val = s.value & 0xff;
      t = 6 | (s.value >> 8);
      break;
   default:
      return false;
   }
   put(b, p, 6, val & 63);
   put(b, p + 6, 3, t);
   put(b, ext, 2, val >> 6);
   return !s.abs && !s.neg;
}

#define CHECK(x)                                                              \
   do {                                                                       \
      if (!(x)) {                                                             \
         *error = "operand cannot be encoded";                                \
         return 0;                                                            \
      }                                                                       \
   } while (0)

unsigned
agxc_pack_instr(const agxc_instr *I, uint8_t b[16], const char **error)
{
   memset(b, 0, 16);
   const agxc_index *s = I->src;

   switch (I->op) {
   case AGXC_OP_MOV_IMM:
      put(b, 0, 7, 0x62);
      if (I->dest.size == 16) {
         CHECK(put_dst(b, I->dest, 44) && I->imm <= 0xffff);
         put(b, 16, 16, I->imm);
         return finish_l(b, 4, 6, 15);
      }
      CHECK(put_dst(b, I->dest, 60));
      put(b, 16, 32, I->imm);
      return finish_l(b, 6, 8, 15);

   case AGXC_OP_GET_SR:
      put(b, 0, 7, 0x72);
      CHECK(put_dst(b, I->dest, 28) && I->imm < 256);
      put(b, 16, 6, I->imm & 63);
      put(b, 26, 2, I->imm >> 6);
      return 4;

   case AGXC_OP_IADD:
      put(b, 0, 6, 0x0E);
      put(b, 6, 1, I->sat);
      CHECK(put_dst(b, I->dest, 44));
      CHECK(put_src(b, s[0], 16, 42, false));
      CHECK(put_src(b, s[1], 28, 40, false));
      put(b, 27, 1, I->invert);
      return 8;

   case AGXC_OP_IMAD:
      put(b, 0, 6, 0x1E);
      CHECK(put_dst(b, I->dest, 60));
      CHECK(put_src(b, s[0], 16, 58, false));
      CHECK(put_src(b, s[1], 28, 56, false));
      CHECK(put_src(b, s[2], 40, 54, false));
      return 8;

   case AGXC_OP_BITOP:
      put(b, 0, 7, 0x7E);
      CHECK(put_dst(b, I->dest, 44));
      CHECK(put_src(b, s[0], 16, 42, false));
      CHECK(put_src(b, I->nr_srcs > 1 ? s[1] : agxc_imm(0, 32), 28, 40, false));
      /* the 2 bits after each 10-bit source hold the truth table */
      put(b, 26, 1, I->imm & 1);
      put(b, 27, 1, (I->imm >> 1) & 1);
      put(b, 38, 1, (I->imm >> 2) & 1);
      put(b, 39, 1, (I->imm >> 3) & 1);
      return 6;

   case AGXC_OP_BFI:
   case AGXC_OP_BFEIL:
   case AGXC_OP_ASR: {
      /* family 0x2E, op = (bit 15, bits 26-27) */
      put(b, 0, 7, 0x2E);
      put(b, 15, 1, I->op != AGXC_OP_BFI);
      put(b, 26, 2, I->op == AGXC_OP_ASR ? 1 : 0);
      CHECK(put_dst(b, I->dest, 60));
      CHECK(put_src(b, s[0], 16, 58, false));
      CHECK(put_src(b, s[1], 28, 56, false));
      if (I->op != AGXC_OP_ASR)
         CHECK(put_src(b, s[2], 40, 54, false));
      /* the 10-bit sources leave 38-39 / 50-51 for the mask width: 0 = 32 */
      put(b, 26, 2, I->op == AGXC_OP_ASR ? 1 : 0);
      put(b, 38, 2, 0);
      put(b, 50, 2, 0);
      return 8;
   }

   case AGXC_OP_CONVERT:
      put(b, 0, 7, 0x3E);
      put(b, 15, 1, 1);
      CHECK(put_dst(b, I->dest, 44));
      put(b, 16, 6, I->imm); /* mode as an immediate "A" operand */
      put(b, 26, 2, I->round);
      CHECK(put_src(b, s[0], 28, 40, false));
      return 6;

   case AGXC_OP_FADD:
   case AGXC_OP_FMUL:
      if (I->f16) {
         /* fadd16 0x26 / fmul16 0x16: 16-bit destination and sources */
         put(b, 0, 6, I->op == AGXC_OP_FADD ? 0x26 : 0x16);
         put(b, 6, 1, I->sat);
         CHECK(put_dst(b, I->dest, 44) && I->dest.size == 16);
         CHECK(put_src16(b, s[0], 16, 42));
         CHECK(put_src16(b, s[1], 28, 40));
         return finish_l(b, 4, 6, 15);
      }
      put(b, 0, 6, I->op == AGXC_OP_FADD ? 0x2A : 0x1A);
      put(b, 6, 1, I->sat);
      CHECK(put_dst(b, I->dest, 44));
      CHECK(put_src(b, s[0], 16, 42, true));
      CHECK(put_src(b, s[1], 28, 40, true));
      return finish_l(b, 4, 6, 15);

   case AGXC_OP_FMA:
      put(b, 0, 6, I->f16 ? 0x36 : 0x3A);
      put(b, 6, 1, I->sat);
      CHECK(put_dst(b, I->dest, 60));
      if (I->f16) {
         CHECK(I->dest.size == 16);
         CHECK(put_src16(b, s[0], 16, 58));
         CHECK(put_src16(b, s[1], 28, 56));
         CHECK(put_src16(b, s[2], 40, 54));
      } else {
         CHECK(put_src(b, s[0], 16, 58, true));
         CHECK(put_src(b, s[1], 28, 56, true));
         CHECK(put_src(b, s[2], 40, 54, true));
      }
      return finish_l(b, 6, 8, 15);

   case AGXC_OP_FUNARY:
      put(b, 0, 6, 0x0A);
      put(b, 6, 1, I->sat);
      CHECK(put_dst(b, I->dest, 44));
      CHECK(put_src(b, s[0], 16, 42, true));
      put(b, 28, 6, I->imm);
      return finish_l(b, 4, 6, 15);

   case AGXC_OP_ICMPSEL:
   case AGXC_OP_FCMPSEL: {
      bool f = I->op == AGXC_OP_FCMPSEL;
      put(b, 0, 7, f ? 0x02 : 0x12);
      CHECK(put_dst(b, I->dest, 76));
      CHECK(put_src(b, s[0], 16, 74, f));
      CHECK(put_src(b, s[1], 28, 72, f));
      CHECK(put_sel(b, s[2], 40, 70));
      CHECK(put_sel(b, s[3], 52, 68));
      put(b, 61, 3, I->imm);
      return finish_l(b, 8, 10, 15);
   }

   case AGXC_OP_DEVICE_LOAD:
   case AGXC_OP_DEVICE_STORE: {
      bool st = I->op == AGXC_OP_DEVICE_STORE;
      agxc_index r = st ? s[0] : I->dest, base = s[st ? 1 : 0],
                 idx = s[st ? 2 : 1];
      put(b, 0, 7, st ? 0x45 : 0x05);
      put(b, 7, 3, I->imm & 7);
      put(b, 48, 1, I->imm >> 3);
      CHECK(r.kind == AGXC_REG && (r.size == 16 || (!(r.value & 1) && r.size == 32)));
      put(b, 10, 6, r.value & 63);
      put(b, 40, 2, r.value >> 6);
      put(b, 49, 1, r.size == 32); /* 32-bit registers */
      /* base: even half index, register pair or low uniform pair */
      CHECK((base.kind == AGXC_REG || base.kind == AGXC_UNIFORM) &&
            !(base.value & 1) && base.value < 256);
      put(b, 16, 4, base.value & 15);
      put(b, 36, 4, base.value >> 4);
      put(b, 27, 1, base.kind == AGXC_UNIFORM);
      if (idx.kind == AGXC_IMM) {
         CHECK(idx.value <= 0xffff);
         put(b, 24, 1, 1);
         put(b, 20, 4, idx.value & 15);
         put(b, 32, 4, (idx.value >> 4) & 15);
         put(b, 56, 8, idx.value >> 8);
      } else {
         CHECK(idx.kind == AGXC_REG && idx.size == 32);
         put(b, 20, 4, idx.value & 15);
         put(b, 32, 4, (idx.value >> 4) & 15);
         put(b, 56, 8, idx.value >> 8);
         put(b, 25, 1, 1); /* zero-extend the index */
      }
      put(b, 26, 1, 1);  /* fixed */
      put(b, 30, 1, 0);  /* wait slot 0 */
      put(b, 42, 2, I->shift);
      put(b, 44, 3, 4);  /* normal cache/coherency */
      put(b, 52, 4, I->mask);
      return finish_l(b, 6, 8, 47);
   }

   case AGXC_OP_WAIT:
      put(b, 0, 8, 0x38);
      return 2;

   case AGXC_OP_IF_ICMP:
      put(b, 0, 7, 0x52);
      put(b, 8, 1, I->invert);
      put(b, 11, 2, I->nest);
      put(b, 13, 3, I->imm);
      CHECK(put_src(b, s[0], 16, 42, false));
      CHECK(put_src(b, s[1], 28, 40, false));
      return 6;

   case AGXC_OP_ELSE:
      /* else_fcmp eq 0.0, 0.0: unconditional */
      put(b, 0, 7, 0x42);
      put(b, 9, 2, 1);
      put(b, 11, 2, I->nest);
      return 6;

   case AGXC_OP_POP_EXEC:
      put(b, 0, 7, 0x52);
      put(b, 9, 2, 3);
      put(b, 11, 2, I->nest);
      return 6;

   case AGXC_OP_PUSH_EXEC:
      /* if_fcmp eq 0.0, 0.0: always true, so only v != 0 lanes change */
      put(b, 0, 7, 0x42);
      put(b, 11, 2, I->nest);
      return 6;

   case AGXC_OP_JMP_EXEC_ANY:
      /* 0xC000; signed byte offset at 16-47 from this instruction */
      put(b, 0, 16, 0xC000);
      put(b, 16, 32, (uint32_t)I->branch_offset);
      return 6;

   case AGXC_OP_STOP:
      put(b, 0, 16, 0x88);
      return 2;

   case AGXC_OP_TRAP:
      put(b, 0, 16, 0x08);
      return 2;


   case AGXC_OP_ST_VAR: {
      /* bits 0-9 = 0x11 (st_var) / 0x91 (st_var_final); r = 32-bit
       * register number at 10-14 + 24-25; I = UVS word at 16-21 + 26-27,
       * immediate (It, bit 23); bit 31 set as compilers emit it */
      CHECK(s[0].kind == AGXC_REG && s[0].size == 32 && !(s[0].value & 1) &&
            I->imm < 256);
      unsigned r = s[0].value / 2;
      put(b, 0, 10, I->final ? 0x91 : 0x11);
      put(b, 10, 5, r & 31);
      put(b, 24, 2, r >> 5);
      put(b, 16, 6, I->imm & 63);
      put(b, 26, 2, I->imm >> 6);
      put(b, 23, 1, 1);
      put(b, 31, 1, 1);
      return 4;
   }

   case AGXC_OP_ITER:
   case AGXC_OP_LDCF: {
      /* 0x21 + op at 6-7 (0 iter, 1 iterproj, 2 ldcf); Dt 8 (32-bit);
       * D 9-14 + 56-57; I (cf) 16-21 + 58-59; J (iterproj W) 24-29 +
       * 60-61; count 30-31 (0 = 4); interpolation 48-49 */
      bool proj = I->op == AGXC_OP_ITER && I->cf_w != 0xff;
      agxc_index d = I->dest;
      CHECK(d.kind == AGXC_REG && d.size == 32 && I->count >= 1 && I->count <= 4 &&
            I->imm < 256);
      put(b, 0, 6, 0x21);
      put(b, 6, 2, I->op == AGXC_OP_LDCF ? 2 : proj ? 1 : 0);
      put(b, 8, 1, 1);
      put(b, 9, 6, d.value & 63);
      put(b, 56, 2, d.value >> 6);
      put(b, 16, 6, I->imm & 63);
      put(b, 58, 2, I->imm >> 6);
      if (proj) {
         put(b, 24, 6, I->cf_w & 63);
         put(b, 60, 2, I->cf_w >> 6);
      }
      put(b, 30, 2, I->count & 3);
      if (I->op == AGXC_OP_ITER)
         put(b, 48, 2, I->interp);
      return finish_l(b, 4, 8, 15);
   }

   case AGXC_OP_ST_TILE:
   case AGXC_OP_LD_TILE: {
      /* 0x09, load bit 6 (and 35); Rt 8; R 9-14 + 60-61; F 24-27;
       * O (bytes) 28-34 + 40-41; mask 36-39; St 22-23 (0 immediate
       * sample mask, 1 register); S 42-47 + 56-57 */
      bool ld = I->op == AGXC_OP_LD_TILE;
      agxc_index r = ld ? I->dest : s[0];
      bool reg_mask = I->nr_srcs == (ld ? 1 : 2);
      unsigned sm = I->sample_mask;
      CHECK(r.kind == AGXC_REG && (r.size == 16 || r.size == 32) && I->offset < 512);
      if (reg_mask) {
         agxc_index m = s[ld ? 0 : 1];
         CHECK(m.kind == AGXC_REG && m.size == 16);
         sm = m.value;
      }
      put(b, 0, 6, 0x09);
      put(b, 6, 1, ld);
      put(b, 35, 1, ld);
      put(b, 8, 1, r.size == 32);
      put(b, 9, 6, r.value & 63);
      put(b, 60, 2, r.value >> 6);
      put(b, 24, 4, I->format);
      put(b, 28, 7, I->offset & 127);
      put(b, 40, 2, I->offset >> 7);
      put(b, 36, 4, I->mask);
      put(b, 22, 2, reg_mask);
      put(b, 42, 6, sm & 63);
      put(b, 56, 2, sm >> 6);
      return finish_l(b, 8, 10, 15);
   }

   case AGXC_OP_SAMPLE_MASK: {
      /* 0xc1; St 8 (1 = immediate) / S 9-14 + 24-25 target (immediate, or
       * the 16-bit register in s1); Mt 23 / M 16-21 + 26-27 */
      agxc_index v = s[0];
      CHECK(I->imm < 256 && (v.kind == AGXC_IMM ? v.value < 256 :
                             v.kind == AGXC_REG && v.size == 16));
      unsigned t = I->imm;
      if (I->nr_srcs > 1) {
         CHECK(s[1].kind == AGXC_REG && s[1].size == 16);
         t = s[1].value;
      }
      put(b, 0, 8, 0xc1);
      put(b, 8, 1, I->nr_srcs < 2);
      put(b, 9, 6, t & 63);
      put(b, 24, 2, t >> 6);
      put(b, 23, 1, v.kind == AGXC_IMM);
      put(b, 16, 6, v.value & 63);
      put(b, 26, 2, v.value >> 6);
      return 4;
   }

   case AGXC_OP_ZS_EMIT: {
      /* 0x41; St 8 / S 9-14 + 24-25 target; T 16-21 + 26-27 (halves:
       * depth T,T+1 then stencil); z 29, s 30 */
      CHECK(s[0].kind == AGXC_REG && s[0].size == 32 && I->imm < 256 && I->mask);
      put(b, 0, 8, 0x41);
      put(b, 8, 1, 1);
      put(b, 9, 6, I->imm & 63);
      put(b, 24, 2, I->imm >> 6);
      put(b, 16, 6, s[0].value & 63);
      put(b, 26, 2, s[0].value >> 6);
      put(b, 29, 1, I->mask & 1);
      put(b, 30, 1, (I->mask >> 1) & 1);
      return 4;
   }


   case AGXC_OP_TEXTURE_SAMPLE:
   case AGXC_OP_TEXTURE_LOAD: {
      /* 0x31 / 0x71; Rt 8, R 9-14 + 72-73; C (32-bit coordinate registers)
       * 16-21 + 74-75; D (LOD) 24-29 + 76-77; T 32-37 + 78-79 (immediate);
       * dim 40-42 + 71; 43-46 = 12 as compilers emit; mask 48-51; LOD
       * mode 52-55; S 56-61 + 92-93 (immediate) */
      agxc_index d = I->dest, cv = s[0];
      CHECK(d.kind == AGXC_REG && (d.size == 16 || d.size == 32));
      CHECK(cv.kind == AGXC_REG && cv.size == 32 && I->imm < 256 && I->sampler < 256);
      put(b, 0, 8, I->op == AGXC_OP_TEXTURE_SAMPLE ? 0x31 : 0x71);
      put(b, 8, 1, d.size == 32);
      put(b, 9, 6, d.value & 63);
      put(b, 72, 2, d.value >> 6);
      put(b, 16, 6, cv.value & 63);
      put(b, 74, 2, cv.value >> 6);
      if (I->nr_srcs > 1) {
         CHECK(s[1].kind == AGXC_REG && s[1].size == 16);
         put(b, 24, 6, s[1].value & 63);
         put(b, 76, 2, s[1].value >> 6);
      }
      put(b, 32, 6, I->imm & 63);
      put(b, 78, 2, I->imm >> 6);
      put(b, 40, 3, I->dim & 7);
      put(b, 71, 1, I->dim >> 3);
      put(b, 43, 4, 12);
      put(b, 48, 4, I->mask);
      put(b, 52, 4, I->lod_mode);
      put(b, 56, 6, I->sampler & 63);
      put(b, 92, 2, I->sampler >> 6);
      return finish_l(b, 8, 12, 15);
   }
   case AGXC_OP_IMAGE_WRITE_BLOCK: {
      /* 0xb1, always long (L bit 15); F = bit 8 + 64-66; R (offset
       * register) 9-14 + 56-57; Dt 31 = immediate LOD 0; T 32-37 + 62-63;
       * dim 40-42 + 55; 43-46 = 9 and bit 67 as compilers emit */
      CHECK(s[0].kind == AGXC_REG && s[0].size == 32 && I->imm < 256);
      put(b, 0, 8, 0xb1);
      put(b, 15, 1, 1);
      put(b, 8, 1, I->format & 1);
      put(b, 64, 3, I->format >> 1);
      put(b, 9, 6, s[0].value & 63);
      put(b, 56, 2, s[0].value >> 6);
      put(b, 31, 1, 1);
      put(b, 32, 6, I->imm & 63);
      put(b, 62, 2, I->imm >> 6);
      put(b, 40, 3, I->dim & 7);
      put(b, 55, 1, I->dim >> 3);
      put(b, 43, 4, 9);
      put(b, 67, 1, 1);
      return 10;
   }
   default:
      *error = "pseudo-instruction reached the encoder";
      return 0;
   }
}

bool
agxc_pack(agxc_shader *s, struct util_dynarray *bin,
          struct util_dynarray *offsets, const char **error)
{
   uint8_t b[16];
   unsigned pos = 0, nlabels = 0;

   /* pass 1: instruction positions (jump lengths do not depend on offsets) */
   agxc_foreach_block(s, blk)
      agxc_foreach_instr(blk, I)
         if (I->op == AGXC_OP_LABEL)
            nlabels = MAX2(nlabels, I->imm + 1);
   uint32_t *label_pos = calloc(MAX2(nlabels, 1), sizeof(uint32_t));
   agxc_foreach_block(s, blk) {
      agxc_foreach_instr(blk, I) {
         if (I->op == AGXC_OP_LABEL) {
            label_pos[I->imm] = pos;
            continue;
         }
         unsigned n = agxc_pack_instr(I, b, error);
         if (!n) {
            free(label_pos);
            return false;
         }
         pos += n;
      }
   }
   /* pass 2: patch branch offsets and emit */
   pos = 0;
   agxc_foreach_block(s, blk) {
      agxc_foreach_instr(blk, I) {
         if (I->op == AGXC_OP_LABEL)
            continue;
         if (I->op == AGXC_OP_JMP_EXEC_ANY)
            I->branch_offset = (int32_t)label_pos[I->imm] - (int32_t)pos;
         unsigned n = agxc_pack_instr(I, b, error);
         pos += n;
         if (!n)
            return false;
         if (offsets)
            util_dynarray_append(offsets, uint32_t, bin->size);
         util_dynarray_append_array(bin, uint8_t, b, n);
      }
   }
   free(label_pos);
   /* footer: 8 traps after the program */
   for (unsigned i = 0; i < 8; i++) {
      static const uint8_t trap[2] = { 0x08, 0x00 };
      util_dynarray_append_array(bin, uint8_t, trap, 2);
   }
   return true;
}
