/* SPDX-License-Identifier: MIT */
/*
 * test_isa_decode - length determination, operand decoding and
 * disassembly of G13 instructions.
 *
 * Two independent sources of truth: (1) worked encodings from the public
 * ISA documentation (assembled by applegpu and decoded identically by Mesa's
 * AGX2.xml decoder, see /work/shared/reference/isa-facts.md section 3.2),
 * checked against hand-written expectations; (2) round trips through the
 * test-only encoder in asm.c, which writes the documented fields itself.
 */
#include <stdlib.h>
#include <string.h>

#include "agx_test.h"
#include "agxsim_isa.h"
#include "asm.h"

static unsigned hex2bin(const char *hex, uint8_t *out)
{
	unsigned n = 0;

	for (; hex[0] && hex[1]; hex += 2) {
		char b[3] = { hex[0], hex[1], 0 };

		out[n++] = (uint8_t)strtoul(b, NULL, 16);
	}
	return n;
}

struct doc_case {
	const char *hex;
	unsigned size_B;
	enum agx_op op;
	const char *text; /* our disassembly */
};

/* Documented worked examples (isa-facts.md 3.2 / applegpu README). */
static const struct doc_case doc_cases[] = {
	{ "6200003c", 4, AGX_OP_MOV_IMM16, "mov_imm r0l, 0x3c00" },
	{ "62050000803f", 6, AGX_OP_MOV_IMM32, "mov_imm r1, 0x3f800000" },
	{ "6291070000000030", 8, AGX_OP_MOV_IMM32, "mov_imm r100, 0x7" },
	{ "72091004", 4, AGX_OP_GET_SR, "get_sr r2, sr80" },
	{ "0e0d424224000000", 8, AGX_OP_IADD, "iadd r3, r1, r2" },
	{ "0e0d428200030000", 8, AGX_OP_IADD, "iadd r3, r1, 200" },
	{ "0e0d42ae18000000", 8, AGX_OP_IADD, "isub r3, r1.sx, u5" },
	{ "1e11424224460200", 8, AGX_OP_IMADD, "imadd r4, r1, r2, r3" },
	{ "7e15424a6400", 6, AGX_OP_BITOP, "bitop 0110, r5, r1, r2" },
	{ "2e05446224040800", 8, AGX_OP_BFI, "bfi r1, r2, r3, 4, mask 0xff" },
	{ "2a994242a400", 6, AGX_OP_FADD32, "fadd32 r6, r1, r2.neg" },
	{ "2a9942060200", 6, AGX_OP_FADD32, "fadd32 r6, r1.abs, 0.5" },
	{ "7a9d424224460200", 8, AGX_OP_FMADD32, "fmadd32.sat r7, r1, r2, r3" },
	{ "26a042300400", 6, AGX_OP_FADD16, "fadd16 r8l, r1l, r1h" },
	{ "0a254282", 4, AGX_OP_RCP, "rcp r9, r1" },
	{ "3ea90a242400", 6, AGX_OP_CONVERT, "convert u32_to_f, r10, r1, rte" },
	{ "122d424224460030", 8, AGX_OP_ICMPSEL, "icmpsel ult, r11, r1, r2, r3, 0" },
	{ "520842020000", 6, AGX_OP_IF_ICMP, "if_icmp r0l, ueq, r1, 0, 1" },
	{ "420a00000000", 6, AGX_OP_ELSE_FCMP, "else_fcmp r0l, eq, 0.0, 0.0, 1" },
	{ "520e00000000", 6, AGX_OP_POP_EXEC, "pop_exec r0l, 1" },
	{ "20c040000000", 6, AGX_OP_JMP_EXEC_NONE, "jmp_exec_none pc+64" },
	{ "00c0e0ffffff", 6, AGX_OP_JMP_EXEC_ANY, "jmp_exec_any pc-32" },
	{ "0561400e00c8f200", 8, AGX_OP_DEVICE_LOAD,
	  "device_load 0, i32, xyzw, r12_r13_r14_r15, u0_u1, r2, unsigned, lsl 2" },
	{ "4561080501c01200", 8, AGX_OP_DEVICE_STORE,
	  "device_store 0, i32, x, r12, r4_r5, 16, signed" },
	{ "3800", 2, AGX_OP_WAIT, "wait 0" },
	{ "8800", 2, AGX_OP_STOP, "stop" },
	{ "0800", 2, AGX_OP_TRAP, "trap" },
	{ "6800", 2, AGX_OP_THREADGROUP_BARRIER, "threadgroup_barrier" },
	/* applegpu README example shader */
	{ "0501040d00c43200", 8, AGX_OP_DEVICE_LOAD, NULL },
	{ "be890a042c00", 6, AGX_OP_CONVERT, "convert u32_to_f, r2.cache, r0.discard, rte" },
	{ "9a85c4020200", 6, AGX_OP_FMUL32, "fmul32 r1.cache, r2.discard, 0.5" },
	{ "0a05c282", 4, AGX_OP_RCP, "rcp r1, r1.discard" },
	{ "c508803d00803000", 8, AGX_OP_UNIFORM_STORE, "uniform_store i16, r1l_r1h, 8" },
	{ "3a0940222420", 6, AGX_OP_FMADD32, "fmadd32 r2, r0, r1, 0.5" },
};

AGX_TEST(documented_examples_decode)
{
	for (unsigned i = 0; i < sizeof(doc_cases) / sizeof(doc_cases[0]); i++) {
		const struct doc_case *c = &doc_cases[i];
		uint8_t code[16] = { 0 };
		unsigned n = hex2bin(c->hex, code);
		struct agx_insn in;
		char text[160];

		AGX_CHECK_EQ(n, c->size_B);
		AGX_CHECK_EQ(agx_decode(code, n, &in), c->size_B);
		AGX_CHECK(in.op == c->op, "%s: op %d (%s) expected %d", c->hex, in.op, in.name, c->op);
		AGX_CHECK(!in.reserved_operand, "%s", c->hex);
		AGX_CHECK_EQ(agx_insn_length(code, n), c->size_B);
		agx_disasm(&in, text, sizeof(text));
		if (c->text)
			AGX_CHECK(strcmp(text, c->text) == 0, "%s: got '%s' want '%s'", c->hex,
				  text, c->text);
	}
}

AGX_TEST(documented_fields)
{
	uint8_t code[16];
	struct agx_insn in;

	/* device_load 0, i32, xyzw, r12.., u0_u1, r2, unsigned, lsl 2 */
	hex2bin("0561400e00c8f200", code);
	agx_decode(code, 8, &in);
	AGX_CHECK_EQ(in.format, 2);
	AGX_CHECK_EQ(in.comp_mask, 0xf);
	AGX_CHECK_EQ(in.dst.index, 24);
	AGX_CHECK_EQ(in.dst.size, 32);
	AGX_CHECK_EQ(in.dst.count, 4);
	AGX_CHECK_EQ(in.src[0].kind, AGX_OPND_UREG);
	AGX_CHECK_EQ(in.src[0].index, 0);
	AGX_CHECK_EQ(in.src[1].kind, AGX_OPND_REG);
	AGX_CHECK_EQ(in.src[1].index, 4);
	AGX_CHECK(in.mem_unsigned);
	AGX_CHECK_EQ(in.shift, 2);

	/* jmp_exec_any pc-32 */
	hex2bin("00c0e0ffffff", code);
	agx_decode(code, 6, &in);
	AGX_CHECK_EQ(in.offset, -32);

	/* mov_imm r100, 7: long form, dest extension bits at 60-61 */
	hex2bin("6291070000000030", code);
	agx_decode(code, 8, &in);
	AGX_CHECK_EQ(in.dst.index, 200);
	AGX_CHECK_EQ(in.imm32, 7);

	/* fadd16 r8l, r1l, r1h */
	hex2bin("26a042300400", code);
	agx_decode(code, 6, &in);
	AGX_CHECK_EQ(in.dst.size, 16);
	AGX_CHECK_EQ(in.dst.index, 16);
	AGX_CHECK_EQ(in.src[0].index, 2);
	AGX_CHECK_EQ(in.src[1].index, 3);
}

static uint64_t field(const struct agx_insn *in, const char *name)
{
	struct agx_field f[64];
	unsigned n = agx_insn_fields(in, f, 64);

	for (unsigned i = 0; i < n && i < 64; i++)
		if (!strcmp(f[i].name, name))
			return f[i].value;
	return ~0ull;
}

AGX_TEST(raw_fields_every_class)
{
	uint8_t code[16];
	struct agx_insn in;

	/* device_load 0, i32, xyzw, r12_r13_r14_r15, u0_u1, r2, unsigned, lsl 2 */
	hex2bin("0561400e00c8f200", code);
	agx_decode(code, 8, &in);
	AGX_CHECK_EQ(field(&in, "F"), 2);
	AGX_CHECK_EQ(field(&in, "mask"), 15);
	AGX_CHECK_EQ(field(&in, "R"), 24);
	AGX_CHECK_EQ(field(&in, "Rt"), 1);
	AGX_CHECK_EQ(field(&in, "At"), 1);
	AGX_CHECK_EQ(field(&in, "O"), 4);
	AGX_CHECK_EQ(field(&in, "Ou"), 1);
	AGX_CHECK_EQ(field(&in, "s"), 2);
	AGX_CHECK_EQ(field(&in, "nonexistent"), ~0ull);

	/* mov_imm r100, 7: D merges bits 9..14 with the extension at 60..61 */
	hex2bin("6291070000000030", code);
	agx_decode(code, 8, &in);
	AGX_CHECK_EQ(field(&in, "D"), 200);
	AGX_CHECK_EQ(field(&in, "imm32"), 7);

	/* every row of the table exposes its fields; unknown has none */
	memset(code, 0xff, sizeof(code));
	agx_decode(code, 16, &in);
	AGX_CHECK_EQ(agx_insn_fields(&in, NULL, 0), 0);
	for (unsigned v = 0; v < 65536; v += 7) {
		uint8_t c[16] = { (uint8_t)v, (uint8_t)(v >> 8), 0x12, 0x34, 0x56, 0x78 };
		struct agx_field f[64];

		if (!agx_decode(c, 16, &in))
			continue;
		if (in.op == AGX_OP_STOP || in.op == AGX_OP_TRAP || in.op == AGX_OP_THREADGROUP_BARRIER ||
		    !strncmp(in.name, "unk", 3) || !strncmp(in.name, "after_sampling", 14))
			continue;
		AGX_CHECK(agx_insn_fields(&in, f, 64) > 0, "%s has no fields", in.name);
	}
}

AGX_TEST(length_uses_l_bit)
{
	uint8_t code[16] = { 0 };

	/* fadd32 short form = 4 bytes, with L (bit 15) = 6 bytes */
	code[0] = 0x2a;
	AGX_CHECK_EQ(agx_insn_length(code, 16), 4);
	code[1] = 0x80;
	AGX_CHECK_EQ(agx_insn_length(code, 16), 6);
	/* device_load: L is bit 47 */
	memset(code, 0, sizeof(code));
	code[0] = 0x05;
	code[3] = 0x04; /* bit 26 */
	AGX_CHECK_EQ(agx_insn_length(code, 16), 6);
	code[5] = 0x80;
	AGX_CHECK_EQ(agx_insn_length(code, 16), 8);
	/* truncated input never decodes */
	AGX_CHECK_EQ(agx_insn_length(code, 7), 0);
	/* icmpsel long form is 10 bytes */
	memset(code, 0, sizeof(code));
	code[0] = 0x12;
	code[1] = 0x80;
	AGX_CHECK_EQ(agx_insn_length(code, 16), 10);
}

AGX_TEST(unknown_encodings)
{
	uint8_t code[16];
	struct agx_insn in;
	char text[64];

	memset(code, 0xff, sizeof(code));
	AGX_CHECK_EQ(agx_decode(code, 16, &in), 0);
	AGX_CHECK_EQ(in.op, AGX_OP_UNKNOWN);
	agx_disasm(&in, text, sizeof(text));
	AGX_CHECK(strncmp(text, "unknown", 7) == 0, "%s", text);
	/* fadd32 source type 1000 (32-bit, no hint) is reserved */
	memset(code, 0, sizeof(code));
	code[0] = 0x2a;
	code[2] = 0x00;
	code[3] = 0x02;  /* At bits 22..25 = 1000 */
	code[4] = 0x40;  /* Bt = 01 (16-bit reg) */
	AGX_CHECK_EQ(agx_decode(code, 16, &in), 4);
	AGX_CHECK(in.reserved_operand);
}

static unsigned rnd(unsigned *seed, unsigned n)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 8) % n;
}

static struct asm_op rand_src(unsigned *seed, bool fp16, bool allow64)
{
	struct asm_op o;

	switch (rnd(seed, fp16 ? 3 : 5)) {
	case 0: o = I(rnd(seed, 256)); break;
	case 1: o = UH(rnd(seed, 512)); break;
	case 2: o = H(rnd(seed, 256)); break;
	case 3: o = U(rnd(seed, 256)); break;
	default: o = allow64 && rnd(seed, 3) == 0 ? R64(rnd(seed, 127)) : R(rnd(seed, 128)); break;
	}
	if (o.kind == 'r')
		o.hint = rnd(seed, 3);
	return o;
}

static bool same_src(const struct agx_operand *d, struct asm_op a, bool is_float)
{
	if (a.kind == 'i')
		return d->kind == (is_float ? AGX_OPND_FIMM : AGX_OPND_IMM) && d->imm == a.idx;
	if (a.kind == 'u')
		return d->kind == AGX_OPND_UREG && d->index == a.idx && d->size == a.size;
	return d->kind == AGX_OPND_REG && d->index == a.idx && d->size == a.size &&
	       d->hint == a.hint;
}

AGX_TEST(roundtrip_alu_random)
{
	unsigned seed = 12345, checked = 0;

	for (unsigned it = 0; it < 3000; it++) {
		struct asm_buf b = { .len = 0 };
		struct agx_insn in;
		struct asm_op d = rnd(&seed, 2) ? R(rnd(&seed, 128)) : H(rnd(&seed, 256));
		struct asm_op s0 = rand_src(&seed, false, false), s1 = rand_src(&seed, false, false);
		struct asm_op s2 = rand_src(&seed, false, false);
		unsigned kind = rnd(&seed, 7), n;
		bool sat = rnd(&seed, 2), fl = false;
		enum agx_op want;

		if (kind == 1 || kind == 2) {
			s0.abs = rnd(&seed, 2);
			s1.neg = rnd(&seed, 2);
			if (s0.kind == 'i') s0.abs = false;
			if (s1.kind == 'i') s1.neg = false;
		}
		switch (kind) {
		case 0: n = asm_iadd(&b, d, s0, s1, 0, false, sat); want = AGX_OP_IADD; break;
		case 1: n = asm_fbin(&b, 0x2a, d, s0, s1, sat); want = AGX_OP_FADD32; fl = true; break;
		case 2: n = asm_fma(&b, 0x3a, d, s0, s1, s2, sat); want = AGX_OP_FMADD32; fl = true; break;
		case 3: n = asm_bitop(&b, rnd(&seed, 16), d, s0, s1); want = AGX_OP_BITOP; sat = false; break;
		case 4: n = asm_imadd(&b, d, s0, s1, s2, 0, false, sat); want = AGX_OP_IMADD; break;
		case 5: n = asm_shift(&b, rnd(&seed, 5), d, s0, s1, s2, rnd(&seed, 32));
			want = AGX_OP_UNKNOWN; sat = false; break;
		default:
			n = asm_cmpsel(&b, false, rnd(&seed, 3), d, s0, s1,
				       I(rnd(&seed, 256)), I(rnd(&seed, 256)));
			want = AGX_OP_ICMPSEL; sat = false; break;
		}
		AGX_REQUIRE(agx_decode(b.b, b.len, &in) == n, "iteration %u kind %u", it, kind);
		if (want != AGX_OP_UNKNOWN)
			AGX_CHECK_EQ(in.op, want);
		AGX_CHECK_EQ(in.sat, sat);
		AGX_CHECK_EQ(in.dst.index, d.idx);
		AGX_CHECK_EQ(in.dst.size, d.size);
		AGX_CHECK(same_src(&in.src[0], s0, fl), "it %u kind %u src0", it, kind);
		AGX_CHECK(same_src(&in.src[1], s1, fl), "it %u kind %u src1", it, kind);
		if (kind == 1 || kind == 2) {
			AGX_CHECK_EQ(in.src[0].abs, s0.abs);
			AGX_CHECK_EQ(in.src[1].neg, s1.neg);
		}
		if (kind == 2 || kind == 4 || kind == 5)
			AGX_CHECK(same_src(&in.src[2], s2, fl), "it %u kind %u src2", it, kind);
		checked++;
	}
	AGX_NOTE("%u random encodings round-tripped", checked);
}

AGX_TEST(roundtrip_memory_and_cf)
{
	struct asm_buf b = { .len = 0 };
	struct agx_insn in;
	unsigned n;

	n = asm_device(&b, false, 1, 0x3, H(40), U(4), R(3), true, 1);
	AGX_REQUIRE(agx_decode(b.b, b.len, &in) == n);
	AGX_CHECK_EQ(in.op, AGX_OP_DEVICE_LOAD);
	AGX_CHECK_EQ(in.format, 1);
	AGX_CHECK_EQ(in.comp_mask, 3);
	AGX_CHECK_EQ(in.dst.index, 40);
	AGX_CHECK_EQ(in.dst.count, 2);
	AGX_CHECK_EQ(in.src[0].kind, AGX_OPND_UREG);
	AGX_CHECK_EQ(in.src[0].index, 8);
	AGX_CHECK_EQ(in.src[1].index, 6);
	AGX_CHECK_EQ(in.shift, 1);

	b.len = 0;
	n = asm_device(&b, true, 2, 0x1, R(100), R64(4), I(0xfff0), false, 0);
	AGX_CHECK_EQ(n, 8);
	AGX_REQUIRE(agx_decode(b.b, b.len, &in) == n);
	AGX_CHECK_EQ(in.op, AGX_OP_DEVICE_STORE);
	AGX_CHECK_EQ(in.dst.index, 200);
	AGX_CHECK_EQ(in.src[1].kind, AGX_OPND_IMM);
	AGX_CHECK_EQ((int16_t)in.src[1].imm, -16);

	b.len = 0;
	n = asm_maskop(&b, true, 2, 1, true, H(4), I(0x30), 2);
	AGX_REQUIRE(agx_decode(b.b, b.len, &in) == n);
	AGX_CHECK_EQ(in.op, AGX_OP_WHILE_FCMP);
	AGX_CHECK_EQ(in.cc, 1);
	AGX_CHECK(in.ccn);
	AGX_CHECK_EQ(in.nest, 2);

	b.len = 0;
	n = asm_threadgroup(&b, true, 2, 0xf, R(8), I(0), I(12));
	AGX_REQUIRE(agx_decode(b.b, b.len, &in) == n);
	AGX_CHECK_EQ(in.op, AGX_OP_THREADGROUP_STORE);
	AGX_CHECK_EQ(in.src[2].count, 4);
	AGX_CHECK_EQ(in.src[1].imm, 12);

	b.len = 0;
	n = asm_jmp_exec(&b, false, -1234);
	AGX_REQUIRE(agx_decode(b.b, b.len, &in) == n);
	AGX_CHECK_EQ(in.offset, -1234);
}

AGX_TEST(roundtrip_stack_atomics_subgroup)
{
	struct asm_buf b = { .len = 0 };
	struct agx_insn in;
	char text[160];
	unsigned n;

	n = asm_atomic(&b, 3, R(4), U(2), R(9), true, R64(12));
	AGX_REQUIRE(agx_decode(b.b, b.len, &in) == n);
	AGX_CHECK_EQ(in.op, AGX_OP_ATOMIC);
	AGX_CHECK_EQ(in.mode, 3);
	AGX_CHECK_EQ(in.dst.index, 8);
	AGX_CHECK_EQ(in.src[0].kind, AGX_OPND_UREG);
	AGX_CHECK_EQ(in.src[0].index, 4);
	AGX_CHECK_EQ(in.src[1].index, 18);
	AGX_CHECK(in.mem_unsigned);
	AGX_CHECK_EQ(in.src[2].index, 24);
	AGX_CHECK_EQ(in.src[2].size, 64);
	agx_disasm(&in, text, sizeof(text));
	AGX_CHECK(strstr(text, "atomic cmpxchg") != NULL, "%s", text);

	b.len = 0;
	n = asm_threadgroup_atomic(&b, 9, (struct asm_op){ 0 }, H(6), I(3), R(2));
	AGX_REQUIRE(agx_decode(b.b, b.len, &in) == n);
	AGX_CHECK_EQ(in.op, AGX_OP_THREADGROUP_ATOMIC);
	AGX_CHECK_EQ(in.mode, 9);
	AGX_CHECK_EQ(in.dst.kind, AGX_OPND_NONE);
	AGX_CHECK_EQ(in.src[0].index, 6);
	AGX_CHECK_EQ(in.src[1].imm, 3);
	AGX_CHECK_EQ(in.src[2].index, 4);

	b.len = 0;
	n = asm_stack(&b, true, 1, 0x3, H(20), I(36));
	AGX_REQUIRE(agx_decode(b.b, b.len, &in) == n);
	AGX_CHECK_EQ(in.op, AGX_OP_STACK_STORE);
	AGX_CHECK_EQ(in.format, 1);
	AGX_CHECK_EQ(in.src[1].index, 20);
	AGX_CHECK_EQ(in.src[1].count, 2);
	AGX_CHECK_EQ(in.src[0].imm, 36);

	b.len = 0;
	n = asm_stack_adjust(&b, -12);
	AGX_REQUIRE(agx_decode(b.b, b.len, &in) == n);
	AGX_CHECK_EQ(in.op, AGX_OP_STACK_ADJUST);
	AGX_CHECK_EQ((int16_t)in.imm32, -12);

	b.len = 0;
	n = asm_subgroup(&b, 0x80006000806full, R(7), R(3), (struct asm_op){ 0 });
	AGX_REQUIRE(agx_decode(b.b, b.len, &in) == n);
	AGX_CHECK_EQ(in.op, AGX_OP_SIMD_PREFIX_IADD);
	AGX_CHECK_EQ(in.dst.index, 14);
	AGX_CHECK_EQ(in.src[0].index, 6);

	b.len = 0;
	n = asm_subgroup(&b, 0x400000006full, R(7), R(3), I(1));
	AGX_REQUIRE(agx_decode(b.b, b.len, &in) == n);
	AGX_CHECK_EQ(in.op, AGX_OP_QUAD_SHUFFLE_XOR);
}

AGX_TEST(table_lengths_are_valid)
{
	/* Every 16-bit prefix either decodes to an even length in 2..12 or not at all. */
	unsigned decoded = 0;

	for (unsigned v = 0; v < 65536; v++) {
		uint8_t code[16] = { (uint8_t)v, (uint8_t)(v >> 8) };
		unsigned n = agx_insn_length(code, 16);

		if (n) {
			decoded++;
			AGX_CHECK(n % 2 == 0 && n >= 2 && n <= 12, "0x%04x -> %u", v, n);
		}
	}
	AGX_NOTE("%u of 65536 16-bit prefixes (rest zero) decode", decoded);
	AGX_CHECK(decoded > 1000);
}

AGX_TEST_MAIN()
