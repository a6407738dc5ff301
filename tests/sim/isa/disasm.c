/* SPDX-License-Identifier: MIT */
/*
 * disasm.c - text form of a decoded G13 instruction, for traces and tests.
 *
 * Syntax: "mnemonic[.sat] operand, operand, ...". Registers are printed as
 * r<N> (32-bit), r<N>l / r<N>h (16-bit halves), r<N>_r<N+1> (64-bit or
 * tuples), uniforms as u<N>, u<N>l, u<N>h; register-cache hints as
 * ".cache"/".discard", source modifiers as ".abs", ".neg", ".sx".
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "agxsim_isa.h"
#include "fp.h"

struct out {
	char *buf;
	size_t size_B, len;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->len < o->size_B ? o->size_B - o->len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
	if (o->len >= o->size_B)
		o->len = o->size_B ? o->size_B - 1 : 0;
}

static void put_one_reg(struct out *o, char prefix, unsigned half, unsigned size)
{
	if (size == 16)
		put(o, "%c%u%c", prefix, half / 2, (half & 1) ? 'h' : 'l');
	else if (size == 32)
		put(o, "%c%u", prefix, half / 2);
	else
		put(o, "%c%u_%c%u", prefix, half / 2, prefix, half / 2 + 1);
}

static void put_operand(struct out *o, const struct agx_operand *op)
{
	switch (op->kind) {
	case AGX_OPND_REG:
	case AGX_OPND_UREG: {
		char p = op->kind == AGX_OPND_REG ? 'r' : 'u';
		unsigned step = op->size == 16 ? 1 : 2;

		for (unsigned i = 0; i < (op->count ? op->count : 1); i++) {
			if (i)
				put(o, "_");
			put_one_reg(o, p, op->index + i * step, op->size);
		}
		break;
	}
	case AGX_OPND_IMM:
		put(o, "%u", op->imm);
		break;
	case AGX_OPND_FIMM: {
		double v = agx_fimm8_to_double(op->imm);

		put(o, v == (double)(long)v ? "%.1f" : "%g", v);
		break;
	}
	case AGX_OPND_SREG:
		put(o, "sr%u", op->index);
		break;
	default:
		put(o, "?");
		break;
	}
	if (op->hint == AGX_HINT_CACHE)
		put(o, ".cache");
	else if (op->hint == AGX_HINT_DISCARD)
		put(o, ".discard");
	if (op->sx)
		put(o, ".sx");
	if (op->abs)
		put(o, ".abs");
	if (op->neg)
		put(o, ".neg");
}

/* A memory offset operand: a signed 16-bit immediate or a register. */
static void put_mem_offset(struct out *o, const struct agx_operand *op)
{
	if (op->kind == AGX_OPND_IMM)
		put(o, "%d", (int16_t)op->imm);
	else
		put_operand(o, op);
}

/* Condition names; codes without a documented meaning print as a number. */
static const char *cond_name(bool is_float, unsigned cc, bool n, char *tmp, size_t tmp_size_B)
{
	static const char *const ipos[8] = { "ueq", "ult", "ugt", NULL, "seq", "slt", "sgt", NULL };
	static const char *const ineg[8] = { "nueq", "ugte", "ulte", NULL, "nseq", "sgte", "slte", NULL };
	static const char *const fpos[8] = { "eq", "lt", "gt", "ltn", NULL, "gte", "lte", "gtn" };
	static const char *const fneg[8] = { "neq", "nlt", "ngt", "nltn", NULL, "ngte", "nlte", "ngtn" };
	const char *name = is_float ? (n ? fneg : fpos)[cc & 7] : (n ? ineg : ipos)[cc & 7];

	if (name)
		return name;
	snprintf(tmp, tmp_size_B, "%u", (cc & 7) | (n ? 8u : 0u));
	return tmp;
}

static const char *const convert_modes[16] = {
	[0] = "u8_to_f", [1] = "s8_to_f", [4] = "f_to_u16", [5] = "f_to_s16",
	[6] = "u16_to_f", [7] = "s16_to_f", [8] = "f_to_u32", [9] = "f_to_s32",
	[10] = "u32_to_f", [11] = "s32_to_f",
};

static const char *const mem_formats[16] = {
	"i8", "i16", "i32", "f16", "u8norm", "s8norm", "u16norm", "s16norm",
	"rgb10a2", "fmt9", "srgba8", "fmt11", "rg11b10f", "rgb9e5",
	"rg11b10f.rtz", "rgb9e5.rtz",
};

static void put_srcs(struct out *o, const struct agx_insn *in, unsigned from, bool comma)
{
	for (unsigned i = from; i < in->nsrc; i++) {
		if (comma || i > from)
			put(o, ", ");
		put_operand(o, &in->src[i]);
	}
}

int agx_disasm(const struct agx_insn *in, char *buf, size_t buf_size_B)
{
	struct out o = { buf, buf_size_B, 0 };
	char cbuf[8];

	if (buf_size_B)
		buf[0] = 0;
	if (in->op == AGX_OP_UNKNOWN) {
		put(&o, "unknown");
		for (unsigned i = 0; i < 4; i++)
			put(&o, " %02x", in->bytes[i]);
		return (int)o.len;
	}
	put(&o, "%s%s", in->name, in->sat ? ".sat" : "");
	if (in->reserved_operand)
		put(&o, " <reserved operand>");

	switch (in->op) {
	case AGX_OP_MOV_IMM16:
	case AGX_OP_MOV_IMM32:
		put(&o, " ");
		put_operand(&o, &in->dst);
		put(&o, ", 0x%x", in->imm32);
		break;
	case AGX_OP_IADD: case AGX_OP_IMADD:
		put(&o, " ");
		put_operand(&o, &in->dst);
		put_srcs(&o, in, 0, true);
		if (in->shift)
			put(&o, ", lsl %u", in->shift);
		break;
	case AGX_OP_CONVERT:
		if (convert_modes[in->mode & 15] && in->mode < 16)
			put(&o, " %s, ", convert_modes[in->mode]);
		else
			put(&o, " %u, ", in->mode);
		put_operand(&o, &in->dst);
		put_srcs(&o, in, 0, true);
		if (in->round < 2)
			put(&o, ", %s", in->round == 0 ? "rtz" : "rte");
		else
			put(&o, ", %u", in->round);
		break;
	case AGX_OP_BFI: case AGX_OP_BFEIL: case AGX_OP_EXTR:
	case AGX_OP_SHLHI: case AGX_OP_SHRHI:
		put(&o, " ");
		put_operand(&o, &in->dst);
		put_srcs(&o, in, 0, true);
		if (in->mask_bits)
			put(&o, ", mask 0x%x", (1u << in->mask_bits) - 1);
		break;
	case AGX_OP_BITOP:
		put(&o, " %u%u%u%u, ", in->tt & 1, (in->tt >> 1) & 1, (in->tt >> 2) & 1,
		    (in->tt >> 3) & 1);
		put_operand(&o, &in->dst);
		put_srcs(&o, in, 0, true);
		break;
	case AGX_OP_IF_ICMP: case AGX_OP_WHILE_ICMP: case AGX_OP_ELSE_ICMP:
		put(&o, " r0l%s, %s", in->dst.hint ? ".cache" : "", cond_name(false, in->cc, in->ccn, cbuf, sizeof(cbuf)));
		put_srcs(&o, in, 0, true);
		put(&o, ", %u", in->nest);
		break;
	case AGX_OP_IF_FCMP: case AGX_OP_WHILE_FCMP: case AGX_OP_ELSE_FCMP:
		put(&o, " r0l%s, %s", in->dst.hint ? ".cache" : "", cond_name(true, in->cc, in->ccn, cbuf, sizeof(cbuf)));
		put_srcs(&o, in, 0, true);
		put(&o, ", %u", in->nest);
		break;
	case AGX_OP_POP_EXEC: case AGX_OP_POP_EXEC2:
		put(&o, " r0l%s, %u", in->dst.hint ? ".cache" : "", in->nest);
		break;
	case AGX_OP_ICMPSEL:
		put(&o, " %s, ", cond_name(false, in->cc, false, cbuf, sizeof(cbuf)));
		put_operand(&o, &in->dst);
		put_srcs(&o, in, 0, true);
		break;
	case AGX_OP_FCMPSEL:
		put(&o, " %s, ", cond_name(true, in->cc, false, cbuf, sizeof(cbuf)));
		put_operand(&o, &in->dst);
		put_srcs(&o, in, 0, true);
		break;
	case AGX_OP_ICMP_BALLOT: case AGX_OP_ICMP_QUAD_BALLOT:
	case AGX_OP_FCMP_BALLOT: case AGX_OP_FCMP_QUAD_BALLOT:
		put(&o, " ");
		put_operand(&o, &in->dst);
		put(&o, ", %s", cond_name(in->op == AGX_OP_FCMP_BALLOT ||
					  in->op == AGX_OP_FCMP_QUAD_BALLOT,
					  in->cc, in->ccn, cbuf, sizeof(cbuf)));
		put_srcs(&o, in, 0, true);
		break;
	case AGX_OP_JMP_EXEC_ANY: case AGX_OP_JMP_EXEC_NONE: case AGX_OP_CALL:
	case AGX_OP_JMP_INCOMPLETE: case AGX_OP_JMP_IF_SKIPPING_DOORBELL:
		put(&o, " pc%+d", in->offset);
		break;
	case AGX_OP_WAIT:
		put(&o, " %u", in->slot);
		break;
	case AGX_OP_DEVICE_LOAD: case AGX_OP_DEVICE_LOAD_UNK:
	case AGX_OP_DEVICE_STORE: case AGX_OP_DEVICE_STORE_UNK:
		put(&o, " %u, %s, %s%s%s%s, ", in->slot, mem_formats[in->format & 15],
		    in->comp_mask & 1 ? "x" : "", in->comp_mask & 2 ? "y" : "",
		    in->comp_mask & 4 ? "z" : "", in->comp_mask & 8 ? "w" : "");
		put_operand(&o, &in->dst);
		put(&o, ", ");
		put_operand(&o, &in->src[0]);
		put(&o, ", ");
		put_mem_offset(&o, &in->src[1]);
		put(&o, ", %s", in->mem_unsigned ? "unsigned" : "signed");
		if (in->shift)
			put(&o, ", lsl %u", in->shift);
		break;
	case AGX_OP_UNIFORM_STORE:
		put(&o, " %s, ", mem_formats[in->format & 3]);
		put_operand(&o, &in->src[0]);
		put(&o, ", ");
		put_operand(&o, &in->src[1]);
		break;
	case AGX_OP_THREADGROUP_LOAD: case AGX_OP_THREADGROUP_STORE:
		put(&o, " %s, ", mem_formats[in->format & 15]);
		put_operand(&o, in->op == AGX_OP_THREADGROUP_LOAD ? &in->dst : &in->src[2]);
		put(&o, ", ");
		put_operand(&o, &in->src[0]);
		put(&o, ", ");
		put_mem_offset(&o, &in->src[1]);
		break;
	case AGX_OP_STACK_LOAD:
		put(&o, " ");
		put_operand(&o, &in->dst);
		put_srcs(&o, in, 0, true);
		break;
	case AGX_OP_STACK_STORE:
		put(&o, " ");
		put_operand(&o, &in->src[1]);
		put(&o, ", ");
		put_operand(&o, &in->src[0]);
		break;
	case AGX_OP_STACK_ADJUST:
		put(&o, " %d", (int16_t)in->imm32);
		break;
	case AGX_OP_ATOMIC: case AGX_OP_THREADGROUP_ATOMIC: {
		static const char *const aops[16] = { "add", "sub", "xchg", "cmpxchg", "umin",
						      "imin", "umax", "imax", "and", "or", "xor" };
		put(&o, " %s, ", aops[in->mode & 15] ? aops[in->mode & 15] : "?");
		if (in->dst.kind != AGX_OPND_NONE)
			put_operand(&o, &in->dst);
		else
			put(&o, "_");
		put(&o, ", ");
		put_operand(&o, &in->src[0]);
		put(&o, ", ");
		put_mem_offset(&o, &in->src[1]);
		put(&o, ", ");
		put_operand(&o, &in->src[2]);
		break;
	}
	case AGX_OP_RET: case AGX_OP_CALL_REG:
		put(&o, " ");
		put_operand(&o, &in->src[0]);
		break;
	case AGX_OP_TEXTURE_SAMPLE: case AGX_OP_TEXTURE_LOAD:
		put(&o, " ");
		put_operand(&o, &in->dst);
		put(&o, ", ");
		put_operand(&o, &in->src[0]);
		put(&o, ", ts%u, ss%u, lod%u", in->src[1].imm, in->src[2].imm, in->mode);
		break;
	default:
		if (in->dst.kind != AGX_OPND_NONE) {
			put(&o, " ");
			put_operand(&o, &in->dst);
			put_srcs(&o, in, 0, true);
		} else if (in->nsrc) {
			put(&o, " ");
			put_srcs(&o, in, 0, false);
		} else {
			/* operands not broken out: print the documented raw fields */
			struct agx_field f[32];
			unsigned n = agx_insn_fields(in, f, 32);

			for (unsigned i = 0; i < n && i < 32; i++)
				put(&o, "%s%s=%llu", i ? ", " : " ", f[i].name,
				    (unsigned long long)f[i].value);
		}
		break;
	}
	return (int)o.len;
}
