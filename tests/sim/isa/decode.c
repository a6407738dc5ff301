/* SPDX-License-Identifier: MIT */
/*
 * decode.c - G13 instruction length determination and operand decoding.
 *
 * Field positions are the documented ones (see README.md, "Sources"):
 * ALU destination at bits 7..14 plus two extension bits near the end of the
 * instruction, ALU sources as 6-bit value + 4-bit (fp16: 3-bit) type +
 * modifier bits, with their two extension bits allocated from the end.
 */
#include <string.h>

#include "decode_internal.h"

static void load_word(const uint8_t *code, unsigned size_B, struct agx_word *w)
{
	uint8_t buf[16] = { 0 };

	memcpy(buf, code, size_B);
	memcpy(&w->lo, buf, 8);
	memcpy(&w->hi, buf + 8, 4);
}

static bool row_matches(const struct agx_enc_row *r, const uint8_t *code,
			size_t avail_B, unsigned *size_B, struct agx_word *w)
{
	unsigned lbyte = r->length_bit / 8;
	unsigned size;

	if (avail_B < 2)
		return false;
	if (r->size_short_B == r->size_long_B) {
		size = r->size_short_B;
	} else {
		if (lbyte >= avail_B)
			return false;
		size = (code[lbyte] >> (r->length_bit % 8)) & 1 ?
		       r->size_long_B : r->size_short_B;
	}
	if (size > avail_B)
		return false;
	load_word(code, size, w);
	if ((w->lo & r->mask_lo) != r->bits_lo || (w->hi & r->mask_hi) != r->bits_hi)
		return false;
	*size_B = size;
	return true;
}

/*
 * Candidate rows per first byte (rows whose constant bits in byte 0 agree),
 * in table order, so a lookup only tries a handful of rows.
 */
#define MAX_ROWS_PER_BYTE 64
static uint8_t rows_by_byte[256][MAX_ROWS_PER_BYTE];
static uint8_t nrows_by_byte[256];
static bool rows_overflow;

__attribute__((constructor)) static void build_row_index(void)
{
	for (unsigned b = 0; b < 256; b++) {
		for (unsigned i = 0; i < agx_enc_table_len; i++) {
			const struct agx_enc_row *r = &agx_enc_table[i];

			if ((b & r->mask_lo & 0xff) != (r->bits_lo & 0xff))
				continue;
			if (nrows_by_byte[b] == MAX_ROWS_PER_BYTE) {
				rows_overflow = true;
				break;
			}
			rows_by_byte[b][nrows_by_byte[b]++] = (uint8_t)i;
		}
	}
}

static const struct agx_enc_row *find_row(const uint8_t *code, size_t avail_B,
					  unsigned *size_B, struct agx_word *w)
{
	if (avail_B < 2)
		return NULL;
	if (!rows_overflow) {
		const uint8_t *rows = rows_by_byte[code[0]];

		for (unsigned i = 0; i < nrows_by_byte[code[0]]; i++) {
			const struct agx_enc_row *r = &agx_enc_table[rows[i]];

			if (row_matches(r, code, avail_B, size_B, w))
				return r;
		}
		return NULL;
	}
	for (unsigned i = 0; i < agx_enc_table_len; i++) {
		if (row_matches(&agx_enc_table[i], code, avail_B, size_B, w))
			return &agx_enc_table[i];
	}
	return NULL;
}

unsigned agx_insn_length(const uint8_t *code, size_t avail_B)
{
	struct agx_word w;
	unsigned size_B = 0;

	return find_row(code, avail_B, &size_B, &w) ? size_B : 0;
}

/* ---------------------------------------------------------------- */
/* Operand helpers */

enum src_mod { MOD_NONE, MOD_FLOAT, MOD_SX };

static unsigned idx8(const struct agx_word *w, unsigned off, unsigned ext)
{
	return agx_bits(w, off, 6) | (agx_bits(w, ext, 2) << 6);
}

static void alu_dst(const struct agx_word *w, unsigned ext, bool allow32,
		    bool allow64, struct agx_operand *o)
{
	unsigned t = agx_bits(w, 7, 2);
	unsigned v = idx8(w, 9, ext);

	memset(o, 0, sizeof(*o));
	o->kind = AGX_OPND_REG;
	o->count = 1;
	o->hint = (t & 1) ? AGX_HINT_CACHE : AGX_HINT_NONE;
	if ((t & 2) && allow32) {
		o->size = ((v & 1) && allow64) ? 64 : 32;
		o->index = v & ~1u;
	} else {
		o->size = 16;
		o->index = v;
	}
}

/*
 * Standard ALU source. tbits = 4 (16/32-bit capable) or 3 (fp16 sources).
 * Returns false for a reserved type encoding.
 */
static bool alu_src(const struct agx_word *w, unsigned off, unsigned ext,
		    unsigned tbits, enum src_mod mod, bool allow64, bool is_float,
		    struct agx_operand *o)
{
	unsigned v = idx8(w, off, ext);
	unsigned t = agx_bits(w, off + 6, tbits);

	memset(o, 0, sizeof(*o));
	o->count = 1;
	if (mod == MOD_FLOAT) {
		unsigned m = agx_bits(w, off + 6 + tbits, 2);
		o->abs = m & 1;
		o->neg = (m >> 1) & 1;
	} else if (mod == MOD_SX) {
		o->sx = agx_bits(w, off + 10, 1);
	}
	if (tbits == 3)
		t = ((t & 4) ? 0x4 : 0) | (t & 3);  /* 1ab -> 01ab, 0hh -> 00hh */

	if (t == 0) {
		o->kind = is_float ? AGX_OPND_FIMM : AGX_OPND_IMM;
		o->imm = v;
		o->size = 16;
		o->sx = false;  /* immediates are never sign-extended */
		return true;
	}
	if ((t & 0xc) == 0x4) {
		unsigned u = v | ((t & 1) << 8);

		o->kind = AGX_OPND_UREG;
		if (t & 2) {
			o->size = 32;
			o->index = u & ~1u;
		} else {
			o->size = 16;
			o->index = u;
		}
		return true;
	}
	if ((t & 3) == 0)
		return false;
	o->kind = AGX_OPND_REG;
	o->hint = (t & 3) == 2 ? AGX_HINT_CACHE : (t & 3) == 3 ? AGX_HINT_DISCARD : AGX_HINT_NONE;
	switch (t >> 2) {
	case 0:
		o->size = 16;
		o->index = v;
		break;
	case 3:
		if (allow64) {
			o->size = 64;
			o->index = v & ~1u;
			break;
		}
		/* fallthrough */
	default:
		o->size = 32;
		o->index = v & ~1u;
		break;
	}
	return true;
}

/* A source field that only names 16-bit registers (type size bits ignored). */
static bool alu_src16(const struct agx_word *w, unsigned off, unsigned ext,
		      struct agx_operand *o)
{
	bool ok = alu_src(w, off, ext, 4, MOD_NONE, false, false, o);

	if (o->kind == AGX_OPND_REG) {
		o->size = 16;
		o->index = idx8(w, off, ext);
	}
	return ok;
}

/* icmpsel/fcmpsel X and Y: 3-bit type, size follows the destination. */
static bool cmpsel_src(const struct agx_word *w, unsigned off, unsigned ext,
		       unsigned dsize, struct agx_operand *o)
{
	unsigned v = idx8(w, off, ext);
	unsigned t = agx_bits(w, off + 6, 3);

	memset(o, 0, sizeof(*o));
	o->count = 1;
	if (t == 4) {
		o->kind = AGX_OPND_IMM;
		o->imm = v;
		o->size = 16;
		return true;
	}
	o->size = dsize;
	if (t == 1 || t == 2 || t == 3) {
		o->kind = AGX_OPND_REG;
		o->hint = t == 2 ? AGX_HINT_CACHE : t == 3 ? AGX_HINT_DISCARD : AGX_HINT_NONE;
		o->index = dsize == 32 ? (v & ~1u) : v;
		return true;
	}
	if (t == 6 || t == 7) {
		unsigned u = v | ((t & 1) << 8);

		o->kind = AGX_OPND_UREG;
		o->index = dsize == 32 ? (u & ~1u) : u;
		return true;
	}
	return false;
}

static void reg_tuple(struct agx_operand *o, unsigned idx, bool is32, unsigned count)
{
	memset(o, 0, sizeof(*o));
	o->kind = AGX_OPND_REG;
	o->size = is32 ? 32 : 16;
	o->index = is32 ? (idx & ~1u) : idx;
	o->count = count ? count : 1;
}

static unsigned popcount4(unsigned m)
{
	return (m & 1) + ((m >> 1) & 1) + ((m >> 2) & 1) + ((m >> 3) & 1);
}

/*
 * The offset operand of device loads/stores and uniform_store: a 16-bit
 * immediate or a 32-bit GPR (register pair). Only the fields that describe
 * the chosen kind are written.
 */
static void mem_offset(struct agx_operand *op, unsigned o, bool is_imm)
{
	if (is_imm) {
		op->kind = AGX_OPND_IMM;
		op->imm = o & 0xffff;
		op->size = 16;
	} else {
		op->kind = AGX_OPND_REG;
		op->size = 32;
		op->index = o & 0xfe;
	}
	op->count = 1;
}

/* ---------------------------------------------------------------- */

static bool decode_fields(const struct agx_word *w, struct agx_insn *in)
{
	bool ok = true;

	if (in->op >= AGX_OP_QUAD_AND && in->op <= AGX_OP_SIMD_MAX_F) {
		/* quad_/simd_ reductions and prefixes: D, A (applegpu) */
		alu_dst(w, 44, true, false, &in->dst);
		ok &= alu_src(w, 16, 42, 4, MOD_NONE, false, false, &in->src[0]);
		in->nsrc = 1;
		return ok;
	}
	switch (in->op) {
	case AGX_OP_MOV_IMM16:
		alu_dst(w, 44, false, false, &in->dst);
		in->imm32 = agx_bits(w, 16, 16);
		break;
	case AGX_OP_MOV_IMM32:
		alu_dst(w, 60, true, false, &in->dst);
		in->imm32 = agx_bits(w, 16, 32);
		in->kill = agx_bits(w, 62, 1);
		break;
	case AGX_OP_GET_SR:
	case AGX_OP_SR_THING:
		alu_dst(w, 28, true, false, &in->dst);
		in->src[0].kind = AGX_OPND_SREG;
		in->src[0].index = idx8(w, 16, 26);
		in->src[0].size = 32;
		in->nsrc = 1;
		break;
	case AGX_OP_IADD:
		in->sat = agx_bits(w, 6, 1);
		in->negate = agx_bits(w, 27, 1);
		alu_dst(w, 44, true, true, &in->dst);
		ok &= alu_src(w, 16, 42, 4, MOD_SX, true, false, &in->src[0]);
		ok &= alu_src(w, 28, 40, 4, MOD_SX, true, false, &in->src[1]);
		in->nsrc = 2;
		in->shift = agx_bits(w, 39, 1) | (agx_bits(w, 52, 2) << 1);
		in->name = in->negate ? "isub" : "iadd";
		break;
	case AGX_OP_IMADD:
		in->sat = agx_bits(w, 6, 1);
		in->negate = agx_bits(w, 27, 1);
		alu_dst(w, 60, true, true, &in->dst);
		ok &= alu_src(w, 16, 58, 4, MOD_SX, false, false, &in->src[0]);
		ok &= alu_src(w, 28, 56, 4, MOD_SX, false, false, &in->src[1]);
		ok &= alu_src(w, 40, 54, 4, MOD_SX, true, false, &in->src[2]);
		in->nsrc = 3;
		in->shift = agx_bits(w, 39, 1) | (agx_bits(w, 52, 2) << 1);
		in->name = in->negate ? "imsub" : "imadd";
		break;
	case AGX_OP_CONVERT:
		alu_dst(w, 44, true, false, &in->dst);
		ok &= alu_src(w, 28, 40, 4, MOD_NONE, false, false, &in->src[0]);
		in->nsrc = 1;
		in->mode = agx_bits(w, 16, 6);
		in->round = agx_bits(w, 26, 2);
		break;
	case AGX_OP_BFI: case AGX_OP_BFEIL: case AGX_OP_EXTR:
	case AGX_OP_SHLHI: case AGX_OP_SHRHI:
		alu_dst(w, 60, true, false, &in->dst);
		ok &= alu_src(w, 16, 58, 4, MOD_NONE, false, false, &in->src[0]);
		ok &= alu_src(w, 28, 56, 4, MOD_NONE, false, false, &in->src[1]);
		ok &= alu_src(w, 40, 54, 4, MOD_NONE, false, false, &in->src[2]);
		in->nsrc = 3;
		in->mask_bits = agx_bits(w, 38, 2) | (agx_bits(w, 50, 2) << 2) |
				(agx_bits(w, 63, 1) << 4);
		break;
	case AGX_OP_ASR: case AGX_OP_ASRH:
		alu_dst(w, 60, true, false, &in->dst);
		ok &= alu_src(w, 16, 58, 4, MOD_NONE, false, false, &in->src[0]);
		ok &= alu_src(w, 28, 56, 4, MOD_NONE, false, false, &in->src[1]);
		in->nsrc = 2;
		break;
	case AGX_OP_BITOP:
		alu_dst(w, 44, true, false, &in->dst);
		ok &= alu_src(w, 16, 42, 4, MOD_NONE, false, false, &in->src[0]);
		ok &= alu_src(w, 28, 40, 4, MOD_NONE, false, false, &in->src[1]);
		in->nsrc = 2;
		in->tt = agx_bits(w, 26, 1) | (agx_bits(w, 27, 1) << 1) |
			 (agx_bits(w, 38, 1) << 2) | (agx_bits(w, 39, 1) << 3);
		break;
	case AGX_OP_BITREV: case AGX_OP_POPCOUNT: case AGX_OP_FFS:
		alu_dst(w, 44, true, false, &in->dst);
		ok &= alu_src(w, 16, 42, 4, MOD_NONE, false, false, &in->src[0]);
		in->nsrc = 1;
		break;
	case AGX_OP_IUNOP:
		alu_dst(w, 44, true, false, &in->dst);
		ok &= alu_src(w, 16, 42, 4, MOD_NONE, false, false, &in->src[0]);
		in->nsrc = 1;
		in->mode = agx_bits(w, 26, 2) | (agx_bits(w, 38, 2) << 2);
		break;
	case AGX_OP_INTL:
		alu_dst(w, 44, true, false, &in->dst);
		ok &= alu_src(w, 16, 42, 4, MOD_NONE, false, false, &in->src[0]);
		ok &= alu_src(w, 28, 40, 4, MOD_NONE, false, false, &in->src[1]);
		in->nsrc = 2;
		break;
	case AGX_OP_FMADD32:
		in->sat = agx_bits(w, 6, 1);
		alu_dst(w, 60, true, false, &in->dst);
		ok &= alu_src(w, 16, 58, 4, MOD_FLOAT, false, true, &in->src[0]);
		ok &= alu_src(w, 28, 56, 4, MOD_FLOAT, false, true, &in->src[1]);
		ok &= alu_src(w, 40, 54, 4, MOD_FLOAT, false, true, &in->src[2]);
		in->nsrc = 3;
		break;
	case AGX_OP_FMADD16:
		in->sat = agx_bits(w, 6, 1);
		alu_dst(w, 60, false, false, &in->dst);
		ok &= alu_src(w, 16, 58, 3, MOD_FLOAT, false, true, &in->src[0]);
		ok &= alu_src(w, 28, 56, 3, MOD_FLOAT, false, true, &in->src[1]);
		ok &= alu_src(w, 40, 54, 3, MOD_FLOAT, false, true, &in->src[2]);
		in->nsrc = 3;
		break;
	case AGX_OP_FADD32: case AGX_OP_FMUL32:
		in->sat = agx_bits(w, 6, 1);
		alu_dst(w, 44, true, false, &in->dst);
		ok &= alu_src(w, 16, 42, 4, MOD_FLOAT, false, true, &in->src[0]);
		ok &= alu_src(w, 28, 40, 4, MOD_FLOAT, false, true, &in->src[1]);
		in->nsrc = 2;
		break;
	case AGX_OP_FADD16: case AGX_OP_FMUL16:
		in->sat = agx_bits(w, 6, 1);
		alu_dst(w, 44, false, false, &in->dst);
		ok &= alu_src(w, 16, 42, 3, MOD_FLOAT, false, true, &in->src[0]);
		ok &= alu_src(w, 28, 40, 3, MOD_FLOAT, false, true, &in->src[1]);
		in->nsrc = 2;
		break;
	case AGX_OP_FLOOR: case AGX_OP_CEIL: case AGX_OP_TRUNC: case AGX_OP_RINT:
	case AGX_OP_RCP: case AGX_OP_RSQRT: case AGX_OP_RSQRT_SPECIAL:
	case AGX_OP_SIN_PT_1: case AGX_OP_SIN_PT_2: case AGX_OP_LOG2:
	case AGX_OP_EXP2: case AGX_OP_DFDX: case AGX_OP_DFDY: case AGX_OP_FUNOP:
		in->sat = agx_bits(w, 6, 1);
		alu_dst(w, 44, true, false, &in->dst);
		ok &= alu_src(w, 16, 42, 4, MOD_FLOAT, false, true, &in->src[0]);
		in->nsrc = 1;
		in->mode = agx_bits(w, 28, 6);
		if (in->op == AGX_OP_DFDX || in->op == AGX_OP_DFDY)
			in->kill = agx_bits(w, 46, 1);
		break;
	case AGX_OP_RET: case AGX_OP_CALL_REG:
		reg_tuple(&in->src[0], agx_bits(w, 9, 7) << 1, true, 1);
		in->nsrc = 1;
		break;
	case AGX_OP_JMP_EXEC_ANY: case AGX_OP_JMP_EXEC_NONE: case AGX_OP_CALL:
		in->offset = (int32_t)agx_bits(w, 16, 32);
		break;
	case AGX_OP_JMP_INCOMPLETE: case AGX_OP_JMP_IF_SKIPPING_DOORBELL:
		in->offset = (int8_t)agx_bits(w, 16, 8);
		break;
	case AGX_OP_POP_EXEC: case AGX_OP_POP_EXEC2:
		in->dst.kind = AGX_OPND_REG;
		in->dst.size = 16;
		in->dst.count = 1;
		in->dst.hint = agx_bits(w, 7, 1) ? AGX_HINT_CACHE : AGX_HINT_NONE;
		in->nest = agx_bits(w, 11, 2);
		break;
	case AGX_OP_IF_ICMP: case AGX_OP_WHILE_ICMP: case AGX_OP_ELSE_ICMP:
	case AGX_OP_IF_FCMP: case AGX_OP_WHILE_FCMP: case AGX_OP_ELSE_FCMP: {
		bool f = in->op == AGX_OP_IF_FCMP || in->op == AGX_OP_WHILE_FCMP ||
			 in->op == AGX_OP_ELSE_FCMP;

		in->dst.kind = AGX_OPND_REG;
		in->dst.size = 16;
		in->dst.count = 1;
		in->dst.hint = agx_bits(w, 7, 1) ? AGX_HINT_CACHE : AGX_HINT_NONE;
		in->cc = agx_bits(w, 13, 3);
		in->ccn = agx_bits(w, 8, 1);
		in->nest = agx_bits(w, 11, 2);
		ok &= alu_src(w, 16, 42, 4, f ? MOD_FLOAT : MOD_NONE, false, f, &in->src[0]);
		ok &= alu_src(w, 28, 40, 4, f ? MOD_FLOAT : MOD_NONE, false, f, &in->src[1]);
		in->nsrc = 2;
		break;
	}
	case AGX_OP_ICMPSEL: case AGX_OP_FCMPSEL: {
		bool f = in->op == AGX_OP_FCMPSEL;

		in->cc = agx_bits(w, 61, 3);
		alu_dst(w, 76, true, false, &in->dst);
		ok &= alu_src(w, 16, 74, 4, f ? MOD_FLOAT : MOD_NONE, false, f, &in->src[0]);
		ok &= alu_src(w, 28, 72, 4, f ? MOD_FLOAT : MOD_NONE, false, f, &in->src[1]);
		ok &= cmpsel_src(w, 40, 70, in->dst.size, &in->src[2]);
		ok &= cmpsel_src(w, 52, 68, in->dst.size, &in->src[3]);
		in->nsrc = 4;
		break;
	}
	case AGX_OP_ICMP_BALLOT: case AGX_OP_ICMP_QUAD_BALLOT:
	case AGX_OP_FCMP_BALLOT: case AGX_OP_FCMP_QUAD_BALLOT: {
		bool f = in->op == AGX_OP_FCMP_BALLOT || in->op == AGX_OP_FCMP_QUAD_BALLOT;

		alu_dst(w, 44, true, false, &in->dst);
		in->cc = agx_bits(w, 61, 3);
		in->ccn = agx_bits(w, 47, 1);
		ok &= alu_src(w, 16, 42, 4, f ? MOD_FLOAT : MOD_NONE, false, f, &in->src[0]);
		ok &= alu_src(w, 28, 40, 4, f ? MOD_FLOAT : MOD_NONE, false, f, &in->src[1]);
		in->nsrc = 2;
		break;
	}
	case AGX_OP_SIMD_SHUFFLE: case AGX_OP_SIMD_SHUFFLE_DOWN: case AGX_OP_SIMD_SHUFFLE_UP:
	case AGX_OP_SIMD_SHUFFLE_ROTATE_UP: case AGX_OP_SIMD_SHUFFLE_XOR:
	case AGX_OP_QUAD_SHUFFLE: case AGX_OP_QUAD_SHUFFLE_DOWN: case AGX_OP_QUAD_SHUFFLE_UP:
	case AGX_OP_QUAD_SHUFFLE_ROTATE_UP: case AGX_OP_QUAD_SHUFFLE_XOR:
	case AGX_OP_SIMD_SHUF_OP:
		alu_dst(w, 44, true, false, &in->dst);
		ok &= alu_src(w, 16, 42, 4, MOD_NONE, false, false, &in->src[0]);
		ok &= alu_src16(w, 28, 40, &in->src[1]);  /* lane index: 16-bit only */
		in->nsrc = 2;
		break;
	case AGX_OP_WAIT:
		in->slot = agx_bits(w, 8, 1);
		break;
	case AGX_OP_DEVICE_LOAD: case AGX_OP_DEVICE_STORE:
	case AGX_OP_DEVICE_LOAD_UNK: case AGX_OP_DEVICE_STORE_UNK: {
		unsigned a = agx_bits(w, 16, 4) | (agx_bits(w, 36, 4) << 4);
		unsigned o = agx_bits(w, 20, 4) | (agx_bits(w, 32, 4) << 4) |
			     (agx_bits(w, 56, 8) << 8);

		in->slot = agx_bits(w, 30, 1);
		in->format = agx_bits(w, 7, 3) | (agx_bits(w, 48, 1) << 3);
		in->comp_mask = agx_bits(w, 52, 4);
		reg_tuple(&in->dst, idx8(w, 10, 40), agx_bits(w, 49, 1),
			  popcount4(in->comp_mask));
		/* base: 64-bit pair, GPR or uniform */
		in->src[0].kind = agx_bits(w, 27, 1) ? AGX_OPND_UREG : AGX_OPND_REG;
		in->src[0].size = 64;
		in->src[0].count = 1;
		in->src[0].index = a & ~1u;
		mem_offset(&in->src[1], o, agx_bits(w, 24, 1));
		in->nsrc = 2;
		in->mem_unsigned = agx_bits(w, 25, 1);
		in->shift = agx_bits(w, 42, 2);
		in->mode = agx_bits(w, 44, 3);
		break;
	}
	case AGX_OP_UNIFORM_STORE: {
		unsigned o = agx_bits(w, 20, 4) | (agx_bits(w, 32, 4) << 4) |
			     (agx_bits(w, 56, 8) << 8);

		in->format = agx_bits(w, 7, 2);
		in->comp_mask = agx_bits(w, 52, 4);
		reg_tuple(&in->src[0], idx8(w, 10, 40), agx_bits(w, 49, 1),
			  popcount4(in->comp_mask));
		mem_offset(&in->src[1], o, agx_bits(w, 24, 1));
		in->nsrc = 2;
		in->shift = agx_bits(w, 42, 2);
		in->mode = agx_bits(w, 44, 3);
		break;
	}
	case AGX_OP_THREADGROUP_LOAD: case AGX_OP_THREADGROUP_STORE: {
		unsigned at = agx_bits(w, 22, 2);
		unsigned av = idx8(w, 16, 58);
		unsigned o = agx_bits(w, 28, 6) | (agx_bits(w, 48, 10) << 6);
		struct agx_operand *r = in->op == AGX_OP_THREADGROUP_LOAD ? &in->dst : &in->src[2];

		in->format = agx_bits(w, 24, 4);
		in->comp_mask = agx_bits(w, 36, 4);
		reg_tuple(r, idx8(w, 9, 60), agx_bits(w, 8, 1), popcount4(in->comp_mask));
		memset(&in->src[0], 0, sizeof(in->src[0]));
		in->src[0].count = 1;
		in->src[0].size = 16;
		if (at == 0) {
			in->src[0].kind = AGX_OPND_REG;
			in->src[0].index = av;
		} else if (at == 2) {
			in->src[0].kind = AGX_OPND_IMM;
			in->src[0].imm = 0;
		} else {
			in->src[0].kind = AGX_OPND_UREG;
			in->src[0].index = av | ((at >> 1) << 8);
		}
		in->src[1].count = 1;
		if (agx_bits(w, 34, 1)) {
			in->src[1].kind = AGX_OPND_IMM;
			in->src[1].imm = o & 0xffff;
			in->src[1].size = 16;
		} else {
			in->src[1].kind = AGX_OPND_REG;
			in->src[1].index = o & 0xff;
			in->src[1].size = 16;
		}
		in->nsrc = in->op == AGX_OP_THREADGROUP_LOAD ? 2 : 3;
		break;
	}
	case AGX_OP_STACK_LOAD: case AGX_OP_STACK_STORE: {
		unsigned o = agx_bits(w, 20, 4) | (agx_bits(w, 32, 4) << 4) |
			     (agx_bits(w, 56, 8) << 8);

		in->format = agx_bits(w, 8, 2) | (agx_bits(w, 50, 2) << 2);
		in->comp_mask = agx_bits(w, 52, 4);
		reg_tuple(in->op == AGX_OP_STACK_LOAD ? &in->dst : &in->src[1],
			  idx8(w, 10, 40), agx_bits(w, 49, 1), popcount4(in->comp_mask));
		in->src[0].count = 1;
		if (agx_bits(w, 24, 1)) {
			in->src[0].kind = AGX_OPND_IMM;
			in->src[0].imm = o & 0xffff;
			in->src[0].size = 16;
		} else {
			in->src[0].kind = AGX_OPND_REG;
			in->src[0].index = o & 0xff;
			in->src[0].size = 32;
		}
		in->nsrc = in->op == AGX_OP_STACK_LOAD ? 1 : 2;
		break;
	}
	case AGX_OP_ATOMIC: {
		unsigned a = agx_bits(w, 16, 4) | (agx_bits(w, 36, 4) << 4);
		unsigned o = agx_bits(w, 20, 4) | (agx_bits(w, 32, 4) << 4) |
			     (agx_bits(w, 56, 8) << 8);

		in->mode = agx_bits(w, 6, 4);          /* atomic op */
		in->slot = agx_bits(w, 30, 1);
		if (agx_bits(w, 47, 1))                /* Rt: old value returned */
			reg_tuple(&in->dst, idx8(w, 10, 40), true, 1);
		in->src[0].kind = agx_bits(w, 27, 1) ? AGX_OPND_UREG : AGX_OPND_REG;
		in->src[0].size = 64;
		in->src[0].count = 1;
		in->src[0].index = a & ~1u;
		mem_offset(&in->src[1], o, agx_bits(w, 24, 1));
		in->mem_unsigned = agx_bits(w, 25, 1);
		reg_tuple(&in->src[2], agx_bits(w, 48, 8), true, 1);
		if (in->mode == 3)                     /* cmpxchg: {new, compare} */
			in->src[2].size = 64;
		in->nsrc = 3;
		break;
	}
	case AGX_OP_THREADGROUP_ATOMIC: {
		unsigned at = agx_bits(w, 22, 2);
		unsigned av = idx8(w, 16, 58);
		unsigned o = agx_bits(w, 28, 6) | (agx_bits(w, 48, 10) << 6);

		in->mode = agx_bits(w, 24, 4);
		if (agx_bits(w, 38, 1))                /* Ra: old value returned */
			reg_tuple(&in->dst, idx8(w, 9, 60), agx_bits(w, 8, 1), 1);
		in->src[0].count = 1;
		in->src[0].size = 16;
		if (at == 0) {
			in->src[0].kind = AGX_OPND_REG;
			in->src[0].index = av;
		} else if (at == 2) {
			in->src[0].kind = AGX_OPND_IMM;
			in->src[0].imm = 0;
		} else {
			in->src[0].kind = AGX_OPND_UREG;
			in->src[0].index = av | ((at >> 1) << 8);
		}
		in->src[1].count = 1;
		in->src[1].size = 16;
		if (agx_bits(w, 34, 1)) {
			in->src[1].kind = AGX_OPND_IMM;
			in->src[1].imm = o & 0xffff;
		} else {
			in->src[1].kind = AGX_OPND_REG;
			in->src[1].index = o & 0xff;
		}
		reg_tuple(&in->src[2], agx_bits(w, 64, 8), true, 1);
		if (in->mode == 3)
			in->src[2].size = 64;
		in->nsrc = 3;
		break;
	}
	case AGX_OP_STACK_GET_PTR:
		reg_tuple(&in->dst, idx8(w, 10, 40), true, 1);
		break;
	case AGX_OP_STACK_ADJUST:
		in->imm32 = agx_bits(w, 20, 4) | (agx_bits(w, 32, 4) << 4) |
			    (agx_bits(w, 56, 8) << 8);
		break;
	case AGX_OP_TEXTURE_SAMPLE: case AGX_OP_TEXTURE_LOAD:
		in->comp_mask = agx_bits(w, 48, 4);
		reg_tuple(&in->dst, idx8(w, 9, 72), agx_bits(w, 8, 1),
			  popcount4(in->comp_mask));
		reg_tuple(&in->src[0], idx8(w, 16, 74), true, 1); /* coordinates */
		in->src[1].kind = AGX_OPND_IMM;  /* texture index */
		in->src[1].imm = idx8(w, 32, 78);
		in->src[1].count = 1;
		in->src[2].kind = AGX_OPND_IMM;  /* sampler index */
		in->src[2].imm = idx8(w, 56, 92);
		in->src[2].count = 1;
		in->nsrc = 3;
		in->mode = agx_bits(w, 52, 4);  /* LOD mode */
		in->slot = agx_bits(w, 63, 1);
		break;
	case AGX_OP_WAIT_PIX: case AGX_OP_SIGNAL_PIX:
		in->imm32 = agx_bits(w, 8, 10);
		break;
	case AGX_OP_DOORBELL:
		in->imm32 = agx_bits(w, 8, 8);
		break;
	case AGX_OP_MEMORY_BARRIER:
		in->imm32 = agx_bits(w, 8, 8);
		break;
	default:
		/* Length and class are known; operands are not modelled. */
		break;
	}
	return ok;
}

const char *agx_op_name(enum agx_op op)
{
	if (op == AGX_OP_UNKNOWN)
		return "unknown";
	for (unsigned i = 0; i < agx_enc_table_len; i++) {
		if (agx_enc_table[i].op == op)
			return agx_enc_table[i].name;
	}
	return "?";
}

unsigned agx_decode(const uint8_t *code, size_t avail_B, struct agx_insn *in)
{
	const struct agx_enc_row *row;
	struct agx_word w;
	unsigned size_B = 0;

	memset(in, 0, sizeof(*in));
	in->op = AGX_OP_UNKNOWN;
	in->name = "unknown";
	in->enc_row = -1;
	memcpy(in->bytes, code, avail_B < AGX_MAX_INSN_SIZE_B ? avail_B : AGX_MAX_INSN_SIZE_B);

	row = find_row(code, avail_B, &size_B, &w);
	if (!row)
		return 0;
	memset(in->bytes, 0, sizeof(in->bytes));
	memcpy(in->bytes, code, size_B);
	in->op = row->op;
	in->name = row->name;
	in->enc_row = (int16_t)(row - agx_enc_table);
	in->size_B = size_B;
	/* A reserved operand type keeps length and class; execution faults. */
	in->reserved_operand = !decode_fields(&w, in);
	return size_B;
}

unsigned agx_insn_fields(const struct agx_insn *in, struct agx_field *out, unsigned max)
{
	const struct agx_enc_fields *ef;
	struct agx_word w;

	if (in->enc_row < 0 || (unsigned)in->enc_row >= agx_enc_table_len)
		return 0;
	ef = &agx_enc_fields[in->enc_row];
	load_word(in->bytes, in->size_B, &w);
	for (unsigned i = 0; i < ef->count && i < max; i++) {
		const struct agx_enc_field *f = &ef->fields[i];
		uint64_t v = 0;
		unsigned shift = 0;

		for (unsigned p = 0; p < f->nparts; p++) {
			v |= (uint64_t)agx_bits(&w, f->part[p].start, f->part[p].size) << shift;
			shift += f->part[p].size;
		}
		out[i].name = f->name;
		out[i].value = v;
	}
	return ef->count;
}
