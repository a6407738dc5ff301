/* SPDX-License-Identifier: MIT */
/*
 * test_isa_exec - semantics of the G13 interpreter, one behaviour per test.
 *
 * Expected values are worked out by hand from the documented semantics
 * (IEEE-754 arithmetic, the documented flush-to-zero/saturate rules, the
 * r0l nesting-counter scheme), not produced by the code under test.
 */
#include <errno.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>

#include "agx_test.h"
#include "agxsim_isa.h"
#include "asm.h"

#define CODE_VA 0x10000ull
#define DATA_VA 0x200000ull
#define DATA_SIZE_B 4096

struct flat {
	uint8_t code[8192];
	size_t code_size_B;
	uint8_t data[DATA_SIZE_B];
	unsigned writes;
};

static int flat_read(void *ctx, uint64_t va, void *dst, size_t len, struct agxsim_fault *f)
{
	struct flat *m = ctx;

	if (va >= CODE_VA && va + len <= CODE_VA + m->code_size_B) {
		memcpy(dst, m->code + (va - CODE_VA), len);
		return 0;
	}
	if (va >= DATA_VA && va + len <= DATA_VA + DATA_SIZE_B) {
		memcpy(dst, m->data + (va - DATA_VA), len);
		return 0;
	}
	if (f) {
		f->reason = AGXSIM_FAULT_UNMAPPED;
		f->access = AGXSIM_ACCESS_READ;
		f->va = va;
	}
	return -EFAULT;
}

static int flat_write(void *ctx, uint64_t va, const void *src, size_t len, struct agxsim_fault *f)
{
	struct flat *m = ctx;

	if (va >= DATA_VA && va + len <= DATA_VA + DATA_SIZE_B) {
		memcpy(m->data + (va - DATA_VA), src, len);
		m->writes++;
		return 0;
	}
	if (f) {
		f->reason = AGXSIM_FAULT_UNMAPPED;
		f->access = AGXSIM_ACCESS_WRITE;
		f->va = va;
	}
	return -EFAULT;
}

static struct flat mem;
static struct agxsim_mem_if mif = { &mem, flat_read, flat_write };
static struct agxsim_isa_state st;
static uint8_t tg[1024];

/* Prepare a state with @threads lanes; the program is assembled into b. */
static void setup(unsigned threads)
{
	memset(&mem, 0, sizeof(mem));
	agxsim_isa_init(&st, threads, CODE_VA, &mif);
	memset(tg, 0, sizeof(tg));
	st.threadgroup = tg;
	st.threadgroup_size_B = sizeof(tg);
}

static enum agxsim_isa_status run(struct asm_buf *b)
{
	memcpy(mem.code, b->b, b->len);
	mem.code_size_B = b->len;
	return agxsim_isa_run(&st, 100000);
}

static uint32_t f2u(float f)
{
	uint32_t u;

	memcpy(&u, &f, 4);
	return u;
}

static void set_all(unsigned reg, uint32_t v)
{
	for (unsigned l = 0; l < AGX_SIMD_WIDTH; l++)
		agxsim_set_reg32(&st, l, reg, v);
}

AGX_TEST(fadd32_basic_and_rounding)
{
	struct asm_buf b = { .len = 0 };

	setup(1);
	set_all(1, f2u(1.5f));
	set_all(2, f2u(2.25f));
	set_all(4, 0x3f800000);          /* 1.0 */
	set_all(5, 0x33800000);          /* 2^-24: exactly half an ulp of 1.0 */
	set_all(6, 0x33800001);          /* just above half an ulp */
	asm_fbin(&b, 0x2a, R(3), R(1), R(2), false);
	asm_fbin(&b, 0x2a, R(7), R(4), R(5), false);
	asm_fbin(&b, 0x2a, R(8), R(4), R(6), false);
	asm_fbin(&b, 0x2a, R(9), R(1), NEG(R(2)), false);
	asm_stop(&b);
	AGX_REQUIRE(run(&b) == AGXSIM_ISA_STOPPED, "%s", st.fault_msg);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 3), f2u(3.75f));
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 7), 0x3f800000);  /* tie -> even */
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 8), 0x3f800001);  /* above tie -> up */
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 9), f2u(-0.75f));
}

AGX_TEST(fp32_flush_to_zero_fp16_keeps_denormals)
{
	struct asm_buf b = { .len = 0 };

	setup(1);
	set_all(1, 0x00000001);          /* smallest fp32 denormal */
	set_all(2, 0x3f800000);
	st.regs[0][6] = 0x0001;          /* r3l: smallest fp16 denormal */
	st.regs[0][7] = 0x3c00;          /* r3h: 1.0 */
	set_all(8, 0x00800000);          /* smallest normal */
	asm_fbin(&b, 0x1a, R(4), R(1), R(2), false);      /* denorm * 1 */
	asm_fbin(&b, 0x16, H(10), H(6), H(7), false);     /* fp16 denorm * 1 */
	asm_fbin(&b, 0x1a, R(9), R(8), I(0x20), false);   /* min normal * 0.5 */
	asm_stop(&b);
	AGX_REQUIRE(run(&b) == AGXSIM_ISA_STOPPED, "%s", st.fault_msg);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 4), 0);
	AGX_CHECK_EQ(st.regs[0][10], 0x0001);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 9), 0);           /* result denormal -> 0 */
}

AGX_TEST(float_saturate_and_nan)
{
	struct asm_buf b = { .len = 0 };

	setup(1);
	set_all(1, f2u(2.0f));
	set_all(2, f2u(-3.0f));
	set_all(3, 0x7fc00001);          /* NaN with payload */
	asm_fbin(&b, 0x2a, R(4), R(1), I(0), true);       /* sat(2) = 1 */
	asm_fbin(&b, 0x2a, R(5), R(2), I(0), true);       /* sat(-3) = 0 */
	asm_fbin(&b, 0x2a, R(6), R(3), I(0x30), false);   /* NaN + 1 */
	asm_fbin(&b, 0x2a, R(7), R(3), I(0x30), true);    /* sat(NaN) = 0 */
	asm_fbin(&b, 0x1a, R(8), I(0x20), I(0x40), false);/* 0.5 * 2.0 */
	asm_stop(&b);
	AGX_REQUIRE(run(&b) == AGXSIM_ISA_STOPPED, "%s", st.fault_msg);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 4), 0x3f800000);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 5), 0);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 6), 0x7fc00000);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 7), 0);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 8), 0x3f800000);
}

AGX_TEST(fmadd_is_fused)
{
	struct asm_buf b = { .len = 0 };

	/* (1+2^-12)^2 - (1+2^-11) = 2^-24: only visible without intermediate rounding */
	setup(1);
	set_all(1, f2u(1.0f + 0x1p-12f));
	set_all(2, f2u(-(1.0f + 0x1p-11f)));
	asm_fma(&b, 0x3a, R(3), R(1), R(1), R(2), false);
	asm_stop(&b);
	AGX_REQUIRE(run(&b) == AGXSIM_ISA_STOPPED, "%s", st.fault_msg);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 3), f2u(0x1p-24f));
}

AGX_TEST(fp32_op_to_fp16_dest_rounds)
{
	struct asm_buf b = { .len = 0 };

	setup(1);
	set_all(1, f2u(1.0f));
	set_all(2, f2u(0x1p-11f));       /* half an fp16 ulp of 1.0 -> tie -> even */
	set_all(3, f2u(65536.0f));
	asm_fbin(&b, 0x2a, H(8), R(1), R(2), false);
	asm_fbin(&b, 0x2a, H(9), R(3), R(3), false);      /* overflow fp16 -> inf */
	asm_stop(&b);
	AGX_REQUIRE(run(&b) == AGXSIM_ISA_STOPPED, "%s", st.fault_msg);
	AGX_CHECK_EQ(st.regs[0][8], 0x3c00);
	AGX_CHECK_EQ(st.regs[0][9], 0x7c00);
}

AGX_TEST(iadd_isub_saturate_shift)
{
	struct asm_buf b = { .len = 0 };

	setup(1);
	set_all(1, 0xfffffff0);
	set_all(2, 0x20);
	set_all(3, 0x7ffffff0);
	asm_iadd(&b, R(4), R(1), R(2), 0, false, false);           /* wraps to 0x10 */
	asm_iadd(&b, R(5), R(1), R(2), 0, false, true);            /* unsigned sat */
	asm_iadd(&b, R(6), SX(R(3)), SX(R(2)), 0, false, true);    /* signed sat */
	asm_iadd(&b, R(7), R(2), I(3), 2, false, false);           /* 0x20 + (3<<2) */
	asm_iadd(&b, R(8), R(2), I(0x40), 0, true, true);          /* 0x20-0x40 sat -> 0 */
	asm_iadd(&b, R64(10), R(1), R(2), 0, false, false);        /* 64-bit result */
	asm_stop(&b);
	AGX_REQUIRE(run(&b) == AGXSIM_ISA_STOPPED, "%s", st.fault_msg);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 4), 0x10);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 5), 0xffffffff);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 6), 0x7fffffff);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 7), 0x2c);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 8), 0);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 10), 0x10);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 11), 1);
}

AGX_TEST(imadd_wraps_and_sign_extends)
{
	struct asm_buf b = { .len = 0 };

	setup(1);
	set_all(1, 0xffffffff);
	st.regs[0][4] = 0xfffe;          /* r2l = -2 as s16 */
	asm_imadd(&b, R(3), R(1), R(1), I(7), 0, false, false);    /* (2^32-1)^2+7 mod 2^32 = 8 */
	asm_imadd(&b, R(4), SX(H(4)), I(3), I(1), 0, false, false);/* -2*3+1 = -5 */
	asm_imadd(&b, R(5), H(4), I(1), I(1), 0, true, false);     /* 0xfffe - 1 */
	asm_stop(&b);
	AGX_REQUIRE(run(&b) == AGXSIM_ISA_STOPPED, "%s", st.fault_msg);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 3), 8);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 4), 0xfffffffb);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 5), 0xfffd);
}

AGX_TEST(shifts_and_bitfields)
{
	struct asm_buf b = { .len = 0 };

	setup(1);
	set_all(1, 0x12345678);
	set_all(2, 0x80000000);
	set_all(3, 0xffffffff);
	asm_shift(&b, 0, R(4), I(0), R(1), I(4), 0);         /* shl 4 (bfi, a=0, m=0) */
	asm_shift(&b, 1, R(5), I(0), R(1), I(8), 8);         /* bfeil: (x>>8)&0xff = 0x56 */
	asm_shift(&b, 0, R(6), R(3), I(0), I(8), 8);         /* bfi clears bits 8..15 */
	asm_shift(&b, 5, R(7), R(2), I(4), I(0), 0);         /* asr 0x80000000 >> 4 */
	asm_shift(&b, 2, R(8), R(1), R(3), I(28), 0);        /* extr (b:a) >> 28 */
	asm_shift(&b, 1, R(9), I(0), R(1), I(40), 0);        /* shift >= 32 -> 0 */
	asm_bitop(&b, 0x6, R(10), R(1), R(3));               /* xor = ~x */
	asm_bitop(&b, 0x8, R(11), R(1), I(0xf0));            /* and */
	asm_iunary(&b, 1, R(12), R(1));                      /* popcount = 13 */
	asm_iunary(&b, 2, R(13), R(1));                      /* ffs (msb index) = 28 */
	asm_iunary(&b, 0, R(14), R(2));                      /* bitrev -> 1 */
	asm_stop(&b);
	AGX_REQUIRE(run(&b) == AGXSIM_ISA_STOPPED, "%s", st.fault_msg);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 4), 0x23456780);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 5), 0x56);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 6), 0xffff00ff);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 7), 0xf8000000);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 8), 0xfffffff1);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 9), 0);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 10), 0xedcba987);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 11), 0x70);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 12), 13);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 13), 28);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 14), 1);
}

AGX_TEST(cmpsel_int_and_float)
{
	struct asm_buf b = { .len = 0 };

	setup(4);
	for (unsigned l = 0; l < 4; l++) {
		agxsim_set_reg32(&st, l, 1, l);                          /* 0,1,2,3 */
		agxsim_set_reg32(&st, l, 2, f2u((float)l - 1.5f));       /* -1.5..1.5 */
	}
	agxsim_set_reg32(&st, 3, 3, 0xfffffffe);
	asm_cmpsel(&b, false, 1, R(4), R(1), I(2), I(10), I(20));     /* ult 2 */
	asm_cmpsel(&b, true, 2, R(5), R(2), I(0), I(1), I(0));        /* gt 0.0 */
	asm_cmpsel(&b, false, 5, R(6), R(3), I(0), I(1), I(2));       /* slt 0 */
	asm_stop(&b);
	AGX_REQUIRE(run(&b) == AGXSIM_ISA_STOPPED, "%s", st.fault_msg);
	for (unsigned l = 0; l < 4; l++) {
		AGX_CHECK_EQ(agxsim_reg32(&st, l, 4), l < 2 ? 10 : 20);
		AGX_CHECK_EQ(agxsim_reg32(&st, l, 5), l >= 2 ? 1 : 0);
		AGX_CHECK_EQ(agxsim_reg32(&st, l, 6), l == 3 ? 1 : 2);
	}
}

AGX_TEST(convert_and_rounding_ops)
{
	struct asm_buf b = { .len = 0 };

	setup(1);
	set_all(1, 16777217);            /* 2^24 + 1: not representable in fp32 */
	set_all(2, f2u(-2.5f));
	set_all(3, f2u(3e9f));
	asm_convert(&b, 10, 1, R(4), R(1));      /* u32->f rte: 2^24 */
	asm_convert(&b, 9, 0, R(5), R(2));       /* f->s32 rtz: -2 */
	asm_convert(&b, 9, 1, R(6), R(2));       /* f->s32 rte: -2 (tie to even) */
	asm_convert(&b, 9, 0, R(7), R(3));       /* clamp to INT32_MAX */
	asm_funary(&b, 0, R(8), R(2), false);    /* floor -2.5 = -3 */
	asm_funary(&b, 16, R(9), R(2), false);   /* ceil = -2 */
	asm_funary(&b, 48, R(10), R(2), false);  /* rint = -2 */
	asm_funary(&b, 8, R(11), I(0x40), false);/* rcp 2 = 0.5 */
	asm_funary(&b, 13, R(12), I(0x40), false);/* exp2 2 = 4 */
	asm_stop(&b);
	AGX_REQUIRE(run(&b) == AGXSIM_ISA_STOPPED, "%s", st.fault_msg);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 4), f2u(16777216.0f));
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 5), (uint32_t)-2);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 6), (uint32_t)-2);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 7), 0x7fffffff);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 8), f2u(-3.0f));
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 9), f2u(-2.0f));
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 10), f2u(-2.0f));
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 11), f2u(0.5f));
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 12), f2u(4.0f));
}

AGX_TEST(exec_mask_if_else_pop)
{
	struct asm_buf b = { .len = 0 };

	/* if (lane < 8) r2 = 111 else r2 = 222; r3 = 7 for everyone after pop */
	setup(32);
	for (unsigned l = 0; l < 32; l++)
		agxsim_set_reg32(&st, l, 5, l);
	asm_maskop(&b, false, 0, 1, false, R(5), I(8), 1);      /* if_icmp ult r5, 8 */
	asm_mov_imm(&b, R(2), 111);
	asm_maskop(&b, true, 1, 0, false, I(0), I(0), 1);       /* else (unconditional) */
	asm_mov_imm(&b, R(2), 222);
	asm_pop_exec(&b, 1);
	asm_mov_imm(&b, R(3), 7);
	asm_stop(&b);
	AGX_REQUIRE(run(&b) == AGXSIM_ISA_STOPPED, "%s", st.fault_msg);
	for (unsigned l = 0; l < 32; l++) {
		AGX_CHECK_EQ(agxsim_reg32(&st, l, 2), l < 8 ? 111 : 222);
		AGX_CHECK_EQ(agxsim_reg32(&st, l, 3), 7);
		AGX_CHECK_EQ(st.regs[l][0], 0);
	}
	AGX_CHECK_EQ(st.exec, 0xffffffffu);
}

AGX_TEST(exec_mask_nested)
{
	struct asm_buf b = { .len = 0 };

	/* if (l < 16) { if (l < 4) r2 = 1; else r2 = 2 } ; lanes >= 16 untouched */
	setup(32);
	for (unsigned l = 0; l < 32; l++)
		agxsim_set_reg32(&st, l, 5, l);
	asm_maskop(&b, false, 0, 1, false, R(5), I(16), 1);
	asm_maskop(&b, false, 0, 1, false, R(5), I(4), 1);
	asm_mov_imm(&b, R(2), 1);
	asm_maskop(&b, true, 1, 0, false, I(0), I(0), 1);
	asm_mov_imm(&b, R(2), 2);
	asm_pop_exec(&b, 1);
	asm_mov_imm(&b, R(4), 9);          /* inner join: lanes 0..15 */
	asm_pop_exec(&b, 1);
	asm_stop(&b);
	AGX_REQUIRE(run(&b) == AGXSIM_ISA_STOPPED, "%s", st.fault_msg);
	for (unsigned l = 0; l < 32; l++) {
		AGX_CHECK_EQ(agxsim_reg32(&st, l, 2), l < 4 ? 1 : l < 16 ? 2 : 0);
		AGX_CHECK_EQ(agxsim_reg32(&st, l, 4), l < 16 ? 9 : 0);
	}
}

AGX_TEST(loop_while_jmp_exec_any)
{
	struct asm_buf b = { .len = 0 };
	size_t loop;

	/* r2 = 0; do { r2 += 1 } while (r2 < r5)   with r5 = lane + 1 */
	setup(32);
	for (unsigned l = 0; l < 32; l++)
		agxsim_set_reg32(&st, l, 5, l + 1);
	loop = b.len;
	asm_iadd(&b, R(2), R(2), I(1), 0, false, false);
	asm_maskop(&b, false, 2, 1, false, R(2), R(5), 1);      /* while_icmp ult */
	asm_jmp_exec(&b, false, (int32_t)loop - (int32_t)b.len); /* jmp_exec_any loop */
	asm_pop_exec(&b, 1);
	asm_stop(&b);
	AGX_REQUIRE(run(&b) == AGXSIM_ISA_STOPPED, "%s", st.fault_msg);
	for (unsigned l = 0; l < 32; l++)
		AGX_CHECK_EQ(agxsim_reg32(&st, l, 2), l + 1);
	AGX_CHECK_EQ(st.exec, 0xffffffffu);
}

AGX_TEST(jmp_exec_none_skips_body)
{
	struct asm_buf b = { .len = 0 };
	size_t j;

	setup(8);
	asm_maskop(&b, false, 0, 2, false, I(0), I(1), 1);      /* if 0 > 1: nobody */
	j = b.len;
	asm_jmp_exec(&b, true, 0);
	asm_mov_imm(&b, R(2), 5);
	asm_trap(&b);
	{
		int32_t off = (int32_t)(b.len - j);

		memcpy(b.b + j + 2, &off, 4);
	}
	asm_pop_exec(&b, 1);
	asm_stop(&b);
	AGX_REQUIRE(run(&b) == AGXSIM_ISA_STOPPED, "%s", st.fault_msg);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 2), 0);
	AGX_CHECK_EQ(st.exec, 0xffu);
}

AGX_TEST(device_load_store)
{
	struct asm_buf b = { .len = 0 };

	setup(4);
	for (unsigned i = 0; i < 64; i++)
		mem.data[i] = (uint8_t)(i * 3);
	st.uniforms[0] = (uint16_t)DATA_VA;
	st.uniforms[1] = (uint16_t)(DATA_VA >> 16);
	for (unsigned l = 0; l < 4; l++)
		agxsim_set_reg32(&st, l, 2, l);
	/* r4..r5 = i32 [u0 + (lane << 1) * 4 + c*4], c = 0,1 */
	asm_device(&b, false, 2, 0x3, R(4), U(0), R(2), true, 1);
	asm_wait(&b, 0);
	asm_iadd(&b, R(4), R(4), R(5), 0, false, false);
	/* store i16 of r4l at u0 + (lane + 128) * 2 */
	asm_iadd(&b, R(6), R(2), I(128), 0, false, false);
	asm_device(&b, true, 1, 0x1, H(8), U(0), R(6), true, 0);
	asm_stop(&b);
	AGX_REQUIRE(run(&b) == AGXSIM_ISA_STOPPED, "%s", st.fault_msg);
	for (unsigned l = 0; l < 4; l++) {
		unsigned base = l * 8;
		uint32_t w0 = 0, w1 = 0;
		uint16_t out;

		for (unsigned k = 0; k < 4; k++) {
			w0 |= (uint32_t)(uint8_t)((base + k) * 3) << (8 * k);
			w1 |= (uint32_t)(uint8_t)((base + 4 + k) * 3) << (8 * k);
		}
		AGX_CHECK_EQ(agxsim_reg32(&st, l, 5), w1);
		AGX_CHECK_EQ(agxsim_reg32(&st, l, 4), w0 + w1);
		memcpy(&out, mem.data + 2 * (128 + l), 2);
		AGX_CHECK_EQ(out, (uint16_t)(w0 + w1));
	}
}

AGX_TEST(device_load_normalized_formats)
{
	struct asm_buf b = { .len = 0 };

	setup(1);
	mem.data[0] = 255;
	mem.data[1] = 0;
	mem.data[2] = 51;
	mem.data[3] = 0x80;              /* s8norm -128 clamps to -1.0 */
	mem.data[4] = 0x81;              /* -127 -> -1.0 */
	mem.data[5] = 0x40;              /* 64/127 */
	st.uniforms[0] = (uint16_t)DATA_VA;
	st.uniforms[1] = (uint16_t)(DATA_VA >> 16);
	asm_device(&b, false, 4, 0x7, R(1), U(0), I(0), false, 0);   /* u8norm -> r1..r3 */
	asm_device(&b, false, 5, 0x7, H(8), U(0), I(3), false, 0);   /* s8norm -> r4l,r4h,r5l */
	asm_stop(&b);
	AGX_REQUIRE(run(&b) == AGXSIM_ISA_STOPPED, "%s", st.fault_msg);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 1), f2u(1.0f));
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 2), 0);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 3), f2u(0.2f));
	AGX_CHECK_EQ(st.regs[0][8], 0xbc00);              /* -1.0 fp16 */
	AGX_CHECK_EQ(st.regs[0][9], 0xbc00);
	AGX_CHECK_EQ(st.regs[0][10], 0x3808);             /* 64/127 = 0.50394 -> fp16 0x3808 */
}

/* ---- stack (ISA gaps: stack_adjust / stack_store / stack_load) ---------- */

AGX_TEST(stack_spill_and_fill)
{
	struct asm_buf b = { .len = 0 };

	setup(4);
	for (unsigned l = 0; l < 4; l++) {
		agxsim_set_reg32(&st, l, 2, 0x11110000u + l);
		st.regs[l][6] = (uint16_t)(0x700 + l);      /* r3l */
		agxsim_set_reg32(&st, l, 7, 8 + 4 * (l & 1)); /* per-lane byte offset */
		agxsim_set_reg32(&st, l, 8, 0xa0a0a0a0u ^ l);
	}
	asm_stack_adjust(&b, 4);                         /* 16 bytes per lane */
	asm_stack(&b, true, 2, 0x1, R(2), I(0));         /* [0] = r2 */
	asm_stack(&b, true, 1, 0x1, H(6), I(4));         /* [4] = r3l */
	asm_stack(&b, true, 2, 0x1, R(8), R(7));         /* [8 or 12] = r8 */
	asm_mov_imm(&b, R(2), 0);
	asm_mov_imm(&b, H(6), 0);
	asm_stack(&b, false, 2, 0x1, R(4), I(0));
	asm_stack(&b, false, 1, 0x1, H(10), I(4));
	asm_stack(&b, false, 2, 0x3, R(12), I(8));       /* two words: r12, r13 */
	asm_stack_get_ptr(&b, R(9));
	asm_stack_adjust(&b, -4);
	asm_stack_get_ptr(&b, R(10));
	asm_stop(&b);
	AGX_REQUIRE(run(&b) == AGXSIM_ISA_STOPPED, "%s", st.fault_msg);
	for (unsigned l = 0; l < 4; l++) {
		AGX_CHECK_EQ(agxsim_reg32(&st, l, 4), 0x11110000u + l);
		AGX_CHECK_EQ(st.regs[l][10], 0x700 + l);
		/* the other word of the pair was zeroed by stack_adjust */
		AGX_CHECK_EQ(agxsim_reg32(&st, l, 12 + (l & 1)), 0xa0a0a0a0u ^ l);
		AGX_CHECK_EQ(agxsim_reg32(&st, l, 13 - (l & 1)), 0);
		AGX_CHECK_EQ(agxsim_reg32(&st, l, 9), 16);
		AGX_CHECK_EQ(agxsim_reg32(&st, l, 10), 0);
	}
}

AGX_TEST(stack_bounds_fault)
{
	struct asm_buf b = { .len = 0 };

	setup(1);
	asm_stack_adjust(&b, 2);                          /* 8 bytes */
	asm_stack(&b, false, 2, 0x1, R(4), I(8));         /* beyond */
	asm_stop(&b);
	AGX_CHECK_EQ(run(&b), AGXSIM_ISA_FAULT_MEM);
	AGX_CHECK(strstr(st.fault_msg, "stack access beyond") != NULL, "%s", st.fault_msg);

	b.len = 0;
	setup(1);
	asm_stack(&b, true, 2, 0x1, R(4), I(0));          /* nothing allocated */
	asm_stop(&b);
	AGX_CHECK_EQ(run(&b), AGXSIM_ISA_FAULT_MEM);

	b.len = 0;
	setup(1);
	asm_stack_adjust(&b, -1);
	asm_stop(&b);
	AGX_CHECK_EQ(run(&b), AGXSIM_ISA_FAULT_MEM);
	AGX_CHECK(strstr(st.fault_msg, "below the stack base") != NULL, "%s", st.fault_msg);

	b.len = 0;
	setup(1);
	asm_stack_adjust(&b, AGXSIM_ISA_STACK_B / 4 + 1);
	asm_stop(&b);
	AGX_CHECK_EQ(run(&b), AGXSIM_ISA_FAULT_MEM);
	AGX_CHECK(strstr(st.fault_msg, "stack overflow") != NULL, "%s", st.fault_msg);
}

/* ---- atomics -------------------------------------------------------------- */

static uint32_t data32(unsigned off)
{
	uint32_t v;

	memcpy(&v, mem.data + off, 4);
	return v;
}

static void put32(unsigned off, uint32_t v)
{
	memcpy(mem.data + off, &v, 4);
}

AGX_TEST(device_atomic_add_returns_old_in_lane_order)
{
	struct asm_buf b = { .len = 0 };

	setup(4);
	st.uniforms[0] = (uint16_t)DATA_VA;
	st.uniforms[1] = (uint16_t)(DATA_VA >> 16);
	put32(8, 100);
	for (unsigned l = 0; l < 4; l++) {
		agxsim_set_reg32(&st, l, 2, 1u << l);
		agxsim_set_reg32(&st, l, 3, 2);               /* index 2 -> byte 8 */
	}
	asm_atomic(&b, 0, R(4), U(0), R(3), false, R(2));
	asm_stop(&b);
	AGX_REQUIRE(run(&b) == AGXSIM_ISA_STOPPED, "%s", st.fault_msg);
	AGX_CHECK_EQ(data32(8), 115);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 4), 100);
	AGX_CHECK_EQ(agxsim_reg32(&st, 1, 4), 101);
	AGX_CHECK_EQ(agxsim_reg32(&st, 2, 4), 103);
	AGX_CHECK_EQ(agxsim_reg32(&st, 3, 4), 107);
}

AGX_TEST(device_atomic_every_op)
{
	/* op, memory before, source, memory after */
	static const struct { unsigned op; uint32_t m, v, want; } t[] = {
		{ 1, 10, 3, 7 }, { 2, 10, 3, 3 },
		{ 4, 5, 0xfffffff0u, 5 }, { 5, 5, 0xfffffff0u, 0xfffffff0u },
		{ 6, 5, 0xfffffff0u, 0xfffffff0u }, { 7, 5, 0xfffffff0u, 5 },
		{ 8, 0xff00, 0x0ff0, 0x0f00 }, { 9, 0xff00, 0x0ff0, 0xfff0 },
		{ 10, 0xff00, 0x0ff0, 0xf0f0 },
	};

	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct asm_buf b = { .len = 0 };

		setup(1);
		st.uniforms[0] = (uint16_t)DATA_VA;
		st.uniforms[1] = (uint16_t)(DATA_VA >> 16);
		put32(16, t[i].m);
		agxsim_set_reg32(&st, 0, 2, t[i].v);
		asm_atomic(&b, t[i].op, R(4), U(0), I(4), false, R(2));
		asm_stop(&b);
		AGX_REQUIRE(run(&b) == AGXSIM_ISA_STOPPED, "op %u: %s", t[i].op, st.fault_msg);
		AGX_CHECK(data32(16) == t[i].want, "op %u: 0x%x, want 0x%x", t[i].op,
			  data32(16), t[i].want);
		AGX_CHECK_EQ(agxsim_reg32(&st, 0, 4), t[i].m);
	}
}

AGX_TEST(device_atomic_cmpxchg_and_no_return)
{
	struct asm_buf b = { .len = 0 };
	struct asm_op none = { 0 };

	setup(2);
	st.uniforms[0] = (uint16_t)DATA_VA;
	st.uniforms[1] = (uint16_t)(DATA_VA >> 16);
	put32(0, 7);
	/* {new, compare} pairs: lane 0 swaps 7 -> 9, lane 1 expects 7 and fails */
	for (unsigned l = 0; l < 2; l++) {
		agxsim_set_reg32(&st, l, 2, 9 + l);
		agxsim_set_reg32(&st, l, 3, 7);
	}
	asm_atomic(&b, 3, R(4), U(0), I(0), false, R64(2));
	asm_atomic(&b, 0, none, U(0), I(1), false, R(2));  /* [4] += r2, no result */
	asm_stop(&b);
	AGX_REQUIRE(run(&b) == AGXSIM_ISA_STOPPED, "%s", st.fault_msg);
	AGX_CHECK_EQ(data32(0), 9);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 4), 7);
	AGX_CHECK_EQ(agxsim_reg32(&st, 1, 4), 9);
	AGX_CHECK_EQ(data32(4), 9 + 10);
}

AGX_TEST(atomic_faults_and_unknown_op)
{
	struct asm_buf b = { .len = 0 };

	setup(1);
	st.uniforms[0] = 0x1000;                          /* unmapped */
	asm_atomic(&b, 0, R(4), U(0), I(0), false, R(2));
	asm_stop(&b);
	AGX_CHECK_EQ(run(&b), AGXSIM_ISA_FAULT_MEM);
	AGX_CHECK_EQ(st.mem_fault.va, 0x1000);

	b.len = 0;
	setup(1);
	st.uniforms[0] = (uint16_t)DATA_VA;
	st.uniforms[1] = (uint16_t)(DATA_VA >> 16);
	asm_atomic(&b, 11, R(4), U(0), I(0), false, R(2));
	asm_stop(&b);
	AGX_CHECK_EQ(run(&b), AGXSIM_ISA_FAULT_UNIMPL);
	AGX_CHECK(strstr(st.fault_msg, "unimplemented") != NULL, "%s", st.fault_msg);
	AGX_CHECK_EQ(mem.writes, 0);
}

AGX_TEST(threadgroup_atomics)
{
	struct asm_buf b = { .len = 0 };

	setup(4);
	put32(0, 0);
	for (unsigned l = 0; l < 4; l++) {
		agxsim_set_reg32(&st, l, 2, 10 * (l + 1));
		st.regs[l][6] = 8;                         /* r3l: byte base 8 */
		agxsim_set_reg32(&st, l, 4, 0);
	}
	memset(tg, 0, sizeof(tg));
	tg[8] = 5;
	asm_threadgroup_atomic(&b, 6, R(8), H(6), I(0), R(2));   /* umax at tg[8] */
	asm_threadgroup_atomic(&b, 0, R(9), I(0), I(4), R(2));   /* add at tg[16] */
	asm_stop(&b);
	AGX_REQUIRE(run(&b) == AGXSIM_ISA_STOPPED, "%s", st.fault_msg);
	uint32_t v;
	memcpy(&v, tg + 8, 4);
	AGX_CHECK_EQ(v, 40);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 8), 5);
	AGX_CHECK_EQ(agxsim_reg32(&st, 3, 8), 30);
	memcpy(&v, tg + 16, 4);
	AGX_CHECK_EQ(v, 100);
	AGX_CHECK_EQ(agxsim_reg32(&st, 2, 9), 30);

	b.len = 0;
	setup(1);
	asm_threadgroup_atomic(&b, 0, R(8), I(0), I(255), R(2)); /* byte 1020: ok */
	asm_threadgroup_atomic(&b, 0, R(8), I(0), I(256), R(2)); /* 1024: outside */
	asm_stop(&b);
	AGX_CHECK_EQ(run(&b), AGXSIM_ISA_FAULT_MEM);
}

/* ---- quad operations, ballots, reductions ------------------------------- */

AGX_TEST(quad_shuffles_and_quad_ballot)
{
	static const struct { uint64_t exact; unsigned k; unsigned want[4]; } t[] = {
		{ 0x6full, 2, { 2, 2, 2, 2 } },              /* quad_shuffle (broadcast) */
		{ 0x400000006full, 1, { 1, 0, 3, 2 } },      /* xor 1: swap horizontal */
		{ 0x400000006full, 2, { 2, 3, 0, 1 } },      /* xor 2: swap vertical */
		{ 0xc00000006full, 1, { 1, 2, 3, 3 } },      /* down 1 (last keeps own) */
		{ 0x800000006full, 1, { 0, 0, 1, 2 } },      /* up 1 (first keeps own) */
		{ 0x80800000006full, 1, { 3, 0, 1, 2 } },    /* rotate up 1 */
	};

	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct asm_buf b = { .len = 0 };

		setup(8);
		for (unsigned l = 0; l < 8; l++)
			agxsim_set_reg32(&st, l, 2, 100 + l);
		asm_subgroup(&b, t[i].exact, R(4), R(2), I(t[i].k));
		asm_stop(&b);
		AGX_REQUIRE(run(&b) == AGXSIM_ISA_STOPPED, "%s", st.fault_msg);
		for (unsigned l = 0; l < 8; l++)
			AGX_CHECK(agxsim_reg32(&st, l, 4) == 100 + (l & ~3u) + t[i].want[l & 3],
				  "case %u lane %u: %u", i, l, agxsim_reg32(&st, l, 4));
	}

	/* quad ballot of (r2 > 103) over 8 lanes: quad 0 none, quad 1 all. */
	struct asm_buf b = { .len = 0 };
	setup(8);
	for (unsigned l = 0; l < 8; l++)
		agxsim_set_reg32(&st, l, 2, 100 + l + (l == 2 ? 10 : 0));
	asm_ballot(&b, false, true, 2 /* ugt */, false, H(8), R(2), I(103));
	asm_ballot(&b, false, false, 2, false, R(5), R(2), I(103));
	asm_stop(&b);
	AGX_REQUIRE(run(&b) == AGXSIM_ISA_STOPPED, "%s", st.fault_msg);
	for (unsigned l = 0; l < 8; l++)
		AGX_CHECK(st.regs[l][8] == (l < 4 ? 0x4 : 0xf), "lane %u: quad ballot %x", l,
			  st.regs[l][8]);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 5), 0xf4);
}

AGX_TEST(simd_and_quad_reductions)
{
	struct asm_buf b = { .len = 0 };

	setup(8);
	for (unsigned l = 0; l < 8; l++) {
		agxsim_set_reg32(&st, l, 2, l + 1);                 /* 1..8 */
		agxsim_set_reg32(&st, l, 3, f2u((float)l * 0.5f));  /* 0, 0.5, ... 3.5 */
		agxsim_set_reg32(&st, l, 4, l == 5 ? (uint32_t)-7 : l);
	}
	st.exec = 0xef;                        /* lane 4 inactive */
	asm_subgroup(&b, 0x80002000806full, R(6), R(2), (struct asm_op){ 0 });  /* simd_iadd */
	asm_subgroup(&b, 0x80006000806full, R(7), R(2), (struct asm_op){ 0 });  /* simd_prefix_iadd */
	asm_subgroup(&b, 0x80000000806full, R(8), R(2), (struct asm_op){ 0 });  /* quad_iadd */
	asm_subgroup(&b, 0x3000806full, R(9), R(3), (struct asm_op){ 0 });      /* simd_fadd */
	asm_subgroup(&b, 0x80802000806full, R(10), R(4), (struct asm_op){ 0 }); /* simd_min.s */
	asm_subgroup(&b, 0x81802000806full, R(11), R(4), (struct asm_op){ 0 }); /* simd_min.u */
	asm_subgroup(&b, 0x6000806full, R(12), R(2), (struct asm_op){ 0 });     /* prefix_and */
	asm_subgroup(&b, 0x803000806full, R(13), R(3), (struct asm_op){ 0 });   /* simd_min.f */
	asm_stop(&b);
	AGX_REQUIRE(run(&b) == AGXSIM_ISA_STOPPED, "%s", st.fault_msg);
	/* active lanes 0-3, 5-7: values 1,2,3,4,6,7,8 */
	unsigned prefix = 0;
	for (unsigned l = 0; l < 8; l++) {
		if (l == 4) {
			AGX_CHECK_EQ(agxsim_reg32(&st, l, 6), 0);   /* inactive: untouched */
			continue;
		}
		AGX_CHECK_EQ(agxsim_reg32(&st, l, 6), 31);
		AGX_CHECK(agxsim_reg32(&st, l, 7) == prefix, "lane %u prefix %u want %u", l,
			  agxsim_reg32(&st, l, 7), prefix);
		prefix += l + 1;
		AGX_CHECK_EQ(agxsim_reg32(&st, l, 8), l < 4 ? 10u : 21u);
		AGX_CHECK_EQ(agxsim_reg32(&st, l, 9), f2u(12.0f));  /* 0+.5+1+1.5+2.5+3+3.5 */
		AGX_CHECK_EQ(agxsim_reg32(&st, l, 10), (uint32_t)-7);
		AGX_CHECK_EQ(agxsim_reg32(&st, l, 11), 0);
		AGX_CHECK_EQ(agxsim_reg32(&st, l, 13), f2u(0.0f));
	}
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 12), 0xffffffffu);     /* identity */
	AGX_CHECK_EQ(agxsim_reg32(&st, 2, 12), 1u & 2u);
}

AGX_TEST(dfdx_dfdy_within_quads_and_helper_lanes)
{
	struct asm_buf b = { .len = 0 };

	setup(8);
	for (unsigned l = 0; l < 8; l++) {
		unsigned x = l & 1, y = (l >> 1) & 1;
		float q = (float)(l >> 2) * 100.0f;
		agxsim_set_reg32(&st, l, 2, f2u(q + 3.0f * x + 10.0f * y + (float)(x * y)));
		agxsim_set_reg32(&st, l, 6, 0x50 + l);
	}
	st.uniforms[0] = (uint16_t)DATA_VA;
	st.uniforms[1] = (uint16_t)(DATA_VA >> 16);
	st.exec &= ~(1u << 3);           /* an inactive lane still supplies its value */
	st.helper = 1u << 1;             /* a helper lane: no stores */
	asm_funary(&b, 4, R(4), R(2), false);     /* dfdx */
	asm_funary(&b, 6, R(5), R(2), false);     /* dfdy */
	asm_get_sr(&b, R(7), 80);
	asm_device(&b, true, 2, 0x1, R(6), U(0), R(7), true, 0);
	asm_stop(&b);
	AGX_REQUIRE(run(&b) == AGXSIM_ISA_STOPPED, "%s", st.fault_msg);
	for (unsigned l = 0; l < 8; l++) {
		unsigned x = l & 1, y = (l >> 1) & 1;

		if (l == 3)
			continue;
		AGX_CHECK(agxsim_reg32(&st, l, 4) == f2u(3.0f + (float)y), "lane %u dfdx", l);
		AGX_CHECK(agxsim_reg32(&st, l, 5) == f2u(10.0f + (float)x), "lane %u dfdy", l);
		AGX_CHECK_EQ(data32(4 * l), l == 1 ? 0u : 0x50u + l);
	}
}

/* ---- packed and normalized memory formats ------------------------------- */

AGX_TEST(device_load_packed_formats)
{
	struct asm_buf b = { .len = 0 };

	setup(1);
	st.uniforms[0] = (uint16_t)DATA_VA;
	st.uniforms[1] = (uint16_t)(DATA_VA >> 16);
	/* rgb10a2: r = 1023, g = 0, b = 341, a = 2 */
	put32(0, 1023u | 0u << 10 | 341u << 20 | 2u << 30);
	/* rg11b10f: r = 1.0 (e 15, m 0), g = 0.5 (e 14), b = 3.0 (e 16, m 16 of 32) */
	put32(4, (15u << 6) | (14u << 6) << 11 | ((16u << 5) | 16u) << 22);
	/* rgb9e5: e = 16 (2^1), r = 256/512 -> 1.0, g = 128 -> 0.5, b = 0 */
	put32(8, 256u | 128u << 9 | 16u << 27);
	/* srgba8: 0, 255, 188, alpha 51 */
	mem.data[12] = 0;
	mem.data[13] = 255;
	mem.data[14] = 188;
	mem.data[15] = 51;
	asm_device(&b, false, 8, 0x1, R(4), U(0), I(0), false, 0);   /* mask ignored */
	asm_device(&b, false, 12, 0xf, R(8), U(0), I(1), false, 0);
	asm_device(&b, false, 13, 0xf, H(24), U(0), I(2), false, 0); /* to fp16 */
	asm_device(&b, false, 10, 0xf, R(16), U(0), I(12), false, 0);
	asm_stop(&b);
	AGX_REQUIRE(run(&b) == AGXSIM_ISA_STOPPED, "%s", st.fault_msg);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 4), f2u(1.0f));
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 5), 0);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 6), f2u(341.0f / 1023.0f));
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 7), f2u(2.0f / 3.0f));
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 8), f2u(1.0f));
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 9), f2u(0.5f));
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 10), f2u(3.0f));
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 11), 0);          /* only 3 registers */
	AGX_CHECK_EQ(st.regs[0][24], 0x3c00);              /* 1.0 */
	AGX_CHECK_EQ(st.regs[0][25], 0x3800);              /* 0.5 */
	AGX_CHECK_EQ(st.regs[0][26], 0);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 16), 0);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 17), f2u(1.0f));
	/* 188 -> ((188/255 + 0.055) / 1.055)^2.4 = 0.502886, in 1/4095 steps:
	 * 2059 / 4095 */
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 18), f2u(2059.0f / 4095.0f));
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 19), f2u(0.2f));  /* alpha linear */
}

AGX_TEST(device_store_normalized_formats)
{
	struct asm_buf b = { .len = 0 };

	setup(1);
	st.uniforms[0] = (uint16_t)DATA_VA;
	st.uniforms[1] = (uint16_t)(DATA_VA >> 16);
	agxsim_set_reg32(&st, 0, 2, f2u(0.5f));      /* u8norm: 127.5 -> 128 (even) */
	agxsim_set_reg32(&st, 0, 3, f2u(1.5f));      /* clamps to 255 */
	agxsim_set_reg32(&st, 0, 4, f2u(-0.25f));    /* clamps to 0 */
	st.regs[0][10] = 0xbc00;                     /* fp16 -1.0 -> s16norm -32767 */
	st.regs[0][11] = 0x3800;                     /* 0.5 -> 16383.5 -> 16384 */
	asm_device(&b, true, 4, 0x7, R(2), U(0), I(0), false, 0);
	asm_device(&b, true, 7, 0x3, H(10), U(0), I(4), false, 0);   /* bytes 8.. */
	asm_stop(&b);
	AGX_REQUIRE(run(&b) == AGXSIM_ISA_STOPPED, "%s", st.fault_msg);
	AGX_CHECK_EQ(mem.data[0], 128);
	AGX_CHECK_EQ(mem.data[1], 255);
	AGX_CHECK_EQ(mem.data[2], 0);
	int16_t sv[2];
	memcpy(sv, mem.data + 8, 4);
	AGX_CHECK_EQ(sv[0], -32767);
	AGX_CHECK_EQ(sv[1], 16384);

	/* Bit-packed stores are not modelled: a clean fault. */
	b.len = 0;
	setup(1);
	st.uniforms[0] = (uint16_t)DATA_VA;
	st.uniforms[1] = (uint16_t)(DATA_VA >> 16);
	asm_device(&b, true, 8, 0xf, R(2), U(0), I(0), false, 0);
	asm_stop(&b);
	AGX_CHECK_EQ(run(&b), AGXSIM_ISA_FAULT_UNIMPL);
	AGX_CHECK_EQ(mem.writes, 0);
}

AGX_TEST(device_fault_reported)
{
	struct asm_buf b = { .len = 0 };

	setup(1);
	st.uniforms[0] = 0x1000;         /* unmapped */
	asm_device(&b, false, 2, 0x1, R(4), U(0), I(0), false, 0);
	asm_stop(&b);
	AGX_CHECK_EQ(run(&b), AGXSIM_ISA_FAULT_MEM);
	AGX_CHECK_EQ(st.mem_fault.reason, AGXSIM_FAULT_UNMAPPED);
	AGX_CHECK_EQ(st.mem_fault.va, 0x1000);
	AGX_CHECK_EQ(st.pc, CODE_VA);
}

AGX_TEST(threadgroup_and_uniform_store)
{
	struct asm_buf b = { .len = 0 };

	setup(4);
	for (unsigned l = 0; l < 4; l++) {
		agxsim_set_reg32(&st, l, 2, 0x100 + l);
		st.regs[l][6] = (uint16_t)l;   /* r3l = index */
	}
	/* tg[(lane)*4] = r2 ; r4 = tg[(lane ^ nothing) ...] */
	asm_threadgroup(&b, true, 2, 0x1, R(2), I(0), H(6));
	asm_threadgroup(&b, false, 2, 0x1, R(4), I(0), H(6));
	asm_uniform_store(&b, 2, 0x1, R(2), 20);             /* u10 = r2 of lane 0 */
	asm_stop(&b);
	AGX_REQUIRE(run(&b) == AGXSIM_ISA_STOPPED, "%s", st.fault_msg);
	for (unsigned l = 0; l < 4; l++) {
		uint32_t v;

		memcpy(&v, tg + 4 * l, 4);
		AGX_CHECK_EQ(v, 0x100 + l);
		AGX_CHECK_EQ(agxsim_reg32(&st, l, 4), 0x100 + l);
	}
	AGX_CHECK_EQ(st.uniforms[20], 0x100);
	AGX_CHECK_EQ(st.uniforms[21], 0);
}

AGX_TEST(get_sr_lane_index_and_inactive_lanes)
{
	struct asm_buf b = { .len = 0 };

	setup(32);
	asm_get_sr(&b, R(1), 80);
	asm_maskop(&b, false, 0, 1, false, R(1), I(3), 1);    /* lanes 0..2 */
	asm_iadd(&b, R(2), R(1), I(100), 0, false, false);
	asm_pop_exec(&b, 1);
	asm_stop(&b);
	AGX_REQUIRE(run(&b) == AGXSIM_ISA_STOPPED, "%s", st.fault_msg);
	for (unsigned l = 0; l < 32; l++) {
		AGX_CHECK_EQ(agxsim_reg32(&st, l, 1), l);
		AGX_CHECK_EQ(agxsim_reg32(&st, l, 2), l < 3 ? 100 + l : 0);
	}
}

AGX_TEST(unknown_instruction_faults_clearly)
{
	struct asm_buf b = { .len = 0 };

	setup(1);
	asm_mov_imm(&b, R(1), 5);
	b.b[b.len++] = 0xff;
	b.b[b.len++] = 0xff;
	b.b[b.len++] = 0xff;
	b.b[b.len++] = 0xff;
	AGX_CHECK_EQ(run(&b), AGXSIM_ISA_FAULT_UNIMPL);
	AGX_CHECK(strstr(st.fault_msg, "unimplemented instruction at PC 0x10006") != NULL,
		  "%s", st.fault_msg);
	AGX_CHECK(strstr(st.fault_msg, "ff ff") != NULL, "%s", st.fault_msg);
	AGX_CHECK_EQ(agxsim_reg32(&st, 0, 1), 5);

	/* decodable but not executed (texture sample without a hook) */
	b.len = 0;
	setup(1);
	b.b[b.len++] = 0x31;
	for (int i = 0; i < 7; i++)
		b.b[b.len++] = 0;
	AGX_CHECK_EQ(run(&b), AGXSIM_ISA_FAULT_UNIMPL);
	AGX_CHECK(strstr(st.fault_msg, "texture_sample") != NULL, "%s", st.fault_msg);

	b.len = 0;
	setup(1);
	asm_trap(&b);
	AGX_CHECK_EQ(run(&b), AGXSIM_ISA_FAULT_TRAP);
}

static uint32_t xorshift(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/*
 * Robustness: random bytes (biased to decodable classes by keeping only
 * the documented opcode of a known instruction in byte 0) must end in a
 * defined status with a message, never crash or hang.
 */
AGX_TEST(random_programs_end_cleanly)
{
	static const uint8_t first[] = { 0x0e, 0x1e, 0x2e, 0x3e, 0x7e, 0x2a, 0x1a, 0x3a, 0x26,
					 0x16, 0x36, 0x0a, 0x12, 0x02, 0x52, 0x42, 0x62, 0x72,
					 0x05, 0x45, 0x69, 0x29, 0x6f, 0x32, 0x22, 0x38 };
	uint32_t x = 0x1234567;
	unsigned stopped = 0, faults = 0;

	for (unsigned it = 0; it < 2000; it++) {
		struct asm_buf b = { .len = 0 };
		enum agxsim_isa_status r;

		setup(1 + xorshift(&x) % 32);
		st.uniforms[0] = (uint16_t)DATA_VA;
		st.uniforms[1] = (uint16_t)(DATA_VA >> 16);
		for (unsigned i = 0; i < 6; i++) {
			size_t at = b.len;

			for (unsigned k = 0; k < 12; k++)
				b.b[b.len++] = (uint8_t)xorshift(&x);
			b.b[at] = first[xorshift(&x) % sizeof(first)];
			b.len = at + (agx_insn_length(b.b + at, 12) ? agx_insn_length(b.b + at, 12) : 12);
		}
		asm_stop(&b);
		r = run(&b);
		if (r == AGXSIM_ISA_STOPPED) {
			stopped++;
		} else {
			faults++;
			if (getenv("ISA_FUZZ_VERBOSE"))
				AGX_NOTE("%d %s", r, st.fault_msg);
			AGX_CHECK(st.fault_msg[0] != 0, "status %d without a message", r);
		}
		AGX_CHECK(r != AGXSIM_ISA_RUNNING, "still running");
	}
	AGX_NOTE("%u programs stopped, %u faulted (unimplemented/illegal/memory)", stopped, faults);
	AGX_CHECK(stopped > 0, "no program ran to completion");
}

AGX_TEST_MAIN()
