/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * Encoder known-answer tests. Expected bytes are the worked examples of
 * shared/reference/isa-facts.md section 3.2 (assembled by applegpu, decoded
 * identically by two independent decoders). Operands are GPR half indices:
 * rN = 2N.
 */
#include "agxc.h"
#include "agxc_tap.h"

static agxc_index r32(unsigned n) { return agxc_reg(2 * n, 32); }

static void
check(const char *name, agxc_instr *I, const char *expect)
{
   uint8_t b[16];
   char hex[40];
   const char *err = NULL;
   unsigned n = agxc_pack_instr(I, b, &err);
   tap_hex(hex, b, n);
   tap_ok(n && !strcmp(hex, expect), "pack %s: got %s want %s (%s)", name,
          n ? hex : "-", expect, err ? err : "");
}

static agxc_instr
mk(enum agxc_op op, agxc_index d, unsigned nr, agxc_index s0, agxc_index s1,
   agxc_index s2, agxc_index s3)
{
   agxc_instr I = { .op = op, .dest = d, .nr_srcs = nr };
   I.src[0] = s0; I.src[1] = s1; I.src[2] = s2; I.src[3] = s3;
   return I;
}

int
main(void)
{
   agxc_index z = agxc_null();
   agxc_instr I;

   /* fadd32 r6, r1, r2.neg: A at 16-27 (t=1001: 32-bit, no hint), neg = bit 39 */
   I = mk(AGXC_OP_FADD, r32(6), 2, r32(1), agxc_neg(r32(2)), z, z);
   check("fadd32 r6, r1, r2.neg", &I, "2a994242a400");
   /* fadd32 r6, r1.abs, 0.5: abs = bit 26, 0.5 = minifloat 0x20 */
   I = mk(AGXC_OP_FADD, r32(6), 2, agxc_abs(r32(1)), agxc_imm(agxc_minifloat(0.5f), 32), z, z);
   check("fadd32 r6, r1.abs, 0.5", &I, "2a9942060200");
   /* fadd16 r8l, r1l, r1h (isa-facts 3.2): fp16 sources with 3-bit types */
   I = mk(AGXC_OP_FADD, agxc_reg(16, 16), 2, agxc_reg(2, 16), agxc_reg(3, 16), z, z);
   I.f16 = true;
   check("fadd16 r8l, r1l, r1h", &I, "26a042300400");
   /* fmadd32.sat r7, r1, r2, r3: sat = bit 6; C's type reaches bit 49, so long form (L = bit 15) */
   I = mk(AGXC_OP_FMA, r32(7), 3, r32(1), r32(2), r32(3), z);
   I.sat = true;
   check("fmadd32.sat r7, r1, r2, r3", &I, "7a9d424224460200");
   /* rcp r9, r1: op 8 at bits 28-33, short form */
   I = mk(AGXC_OP_FUNARY, r32(9), 1, r32(1), z, z, z);
   I.imm = AGXC_RCP;
   check("rcp r9, r1", &I, "0a254282");
   /* convert u32_to_f r10, r1, rte: mode 10 at 16-21, round 26-27, bit 15 */
   I = mk(AGXC_OP_CONVERT, r32(10), 1, r32(1), z, z, z);
   I.imm = AGXC_U32_TO_F;
   I.round = 1;
   check("convert u32_to_f, r10, r1, rte", &I, "3ea90a242400");
   /* icmpsel ult, r11, r1, r2, r3, 0: X type 001 reg, Y type 100 imm, cc 61-63 */
   I = mk(AGXC_OP_ICMPSEL, r32(11), 4, r32(1), r32(2), r32(3), agxc_imm(0, 32));
   I.imm = AGXC_ULT;
   check("icmpsel ult, r11, r1, r2, r3, 0", &I, "122d424224460030");
   /* if_icmp r0l, ueq, r1, 0, n=1: n at 11-12 */
   I = mk(AGXC_OP_IF_ICMP, z, 2, r32(1), agxc_imm(0, 16), z, z);
   I.imm = AGXC_UEQ;
   I.nest = 1;
   check("if_icmp r0l, ueq, r1, 0, 1", &I, "520842020000");
   I = mk(AGXC_OP_ELSE, z, 0, z, z, z, z);
   I.nest = 1;
   check("else_fcmp r0l, eq, 0.0, 0.0, 1", &I, "420a00000000");
   I = mk(AGXC_OP_POP_EXEC, z, 0, z, z, z, z);
   I.nest = 1;
   check("pop_exec r0l, 1", &I, "520e00000000");
   /* mov_imm: 16-bit short, 32-bit short, 32-bit long (r100: ext bits 60-61) */
   I = mk(AGXC_OP_MOV_IMM, agxc_reg(0, 16), 0, z, z, z, z);
   I.imm = 0x3c00;
   check("mov_imm r0l, 0x3c00", &I, "6200003c");
   I = mk(AGXC_OP_MOV_IMM, r32(1), 0, z, z, z, z);
   I.imm = 0x3f800000;
   check("mov_imm r1, 0x3f800000", &I, "62050000803f");
   I = mk(AGXC_OP_MOV_IMM, r32(100), 0, z, z, z, z);
   I.imm = 7;
   check("mov_imm r100, 7 (long form)", &I, "6291070000000030");
   /* get_sr r2, sr80: SR low 6 bits at 16-21, high 2 at 26-27 */
   I = mk(AGXC_OP_GET_SR, r32(2), 0, z, z, z, z);
   I.imm = 80;
   check("get_sr r2, sr80", &I, "72091004");
   I = mk(AGXC_OP_IADD, r32(3), 2, r32(1), r32(2), z, z);
   check("iadd r3, r1, r2", &I, "0e0d424224000000");
   I = mk(AGXC_OP_IADD, r32(3), 2, r32(1), agxc_imm(200, 32), z, z);
   check("iadd r3, r1, 200 (imm ext bits 40-41)", &I, "0e0d428200030000");
   I = mk(AGXC_OP_IMAD, r32(4), 3, r32(1), r32(2), r32(3), z);
   check("imadd r4, r1, r2, r3", &I, "1e11424224460200");
   I = mk(AGXC_OP_BITOP, r32(5), 2, r32(1), r32(2), z, z);
   I.imm = AGXC_TT_XOR;
   check("bitop xor r5, r1, r2 (tt at 26,27,38,39)", &I, "7e15424a6400");
   /* device_load 0, i32, xyzw, r12-r15, u0_u1, r2, unsigned, lsl 2 (L = 47) */
   I = mk(AGXC_OP_DEVICE_LOAD, agxc_reg(24, 32), 2, agxc_uniform(0, 64), r32(2), z, z);
   I.imm = AGXC_FMT_I32;
   I.mask = 0xf;
   I.shift = 2;
   check("device_load i32 xyzw r12, u0_u1, r2, lsl 2", &I, "0561400e00c8f200");
   /* device_store 0, i32, x, r12, r4_r5, 16, signed (immediate index) */
   I = mk(AGXC_OP_DEVICE_STORE, z, 3, r32(12), agxc_reg(8, 64), agxc_imm(16, 32), z);
   I.imm = AGXC_FMT_I32;
   I.mask = 1;
   check("device_store i32 x r12, r4_r5, 16", &I, "4561080501c01200");
   I = mk(AGXC_OP_WAIT, z, 0, z, z, z, z);
   check("wait 0", &I, "3800");
   I = mk(AGXC_OP_STOP, z, 0, z, z, z, z);
   check("stop", &I, "8800");

   /* minifloat table facts: 0.5=0x20 1.0=0x30 2.0=0x40 0.25=0x10, -0.0 = 0x80 */
   tap_ok(agxc_minifloat(0.5f) == 0x20 && agxc_minifloat(1.0f) == 0x30 &&
          agxc_minifloat(2.0f) == 0x40 && agxc_minifloat(0.25f) == 0x10 &&
          agxc_minifloat(-0.0f) == 0x80 && agxc_minifloat(0.1f) == -1 &&
          agxc_minifloat(31.0f) == 0x7f && agxc_minifloat(32.0f) == -1,
          "minifloat: 0.5 1.0 2.0 0.25 -0.0 31.0 encode, 0.1 and 32.0 do not");

   /* operands that cannot be encoded are refused, not mis-encoded */
   const char *err = NULL;
   uint8_t b[16];
   I = mk(AGXC_OP_IADD, r32(3), 2, r32(1), agxc_imm(300, 32), z, z);
   tap_ok(agxc_pack_instr(&I, b, &err) == 0 && err, "iadd with a 9-bit immediate is refused");
   return tap_done();
}
