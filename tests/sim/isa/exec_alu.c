/* SPDX-License-Identifier: MIT */
/*
 * exec_alu.c - integer, bitfield, float, convert, select and SIMD-lane
 * instructions. Every operation runs on active lanes only unless noted.
 */
#include <math.h>

#include "exec_internal.h"

typedef unsigned __int128 u128;
typedef __int128 s128;

static uint64_t mask_of(unsigned bits)
{
	return bits >= 64 ? ~0ull : ((1ull << bits) - 1);
}

static int64_t clamp_sat(s128 r, unsigned dsize, bool is_signed)
{
	s128 lo = is_signed ? -((s128)1 << (dsize - 1)) : 0;
	s128 hi = is_signed ? (((s128)1 << (dsize - 1)) - 1) : (((s128)1 << dsize) - 1);

	return (int64_t)(r < lo ? lo : r > hi ? hi : r);
}

static void exec_iadd(struct agxsim_isa_state *s, const struct agx_insn *in)
{
	const struct agx_operand *a = &in->src[0], *b = &in->src[1];
	bool sat = in->sat && in->shift == 0 && a->size <= 32 && b->size <= 32 && in->dst.size <= 32;

	for_each_active(s, l) {
		s128 av = agxsim_src_int(s, l, a), bv = agxsim_src_int(s, l, b), r;

		if (in->negate)
			bv = -bv;
		bv = in->shift < 5 ? bv * ((s128)1 << in->shift) : 0;
		r = av + bv;
		if (sat)
			r = clamp_sat(r, in->dst.size, a->sx || b->sx);
		agxsim_write_dst(s, l, &in->dst, (uint64_t)r);
	}
}

static void exec_imadd(struct agxsim_isa_state *s, const struct agx_insn *in)
{
	const struct agx_operand *a = &in->src[0], *b = &in->src[1], *c = &in->src[2];
	bool sat = in->sat && in->shift == 0 && c->size <= 32 && in->dst.size <= 32;

	for_each_active(s, l) {
		s128 av = agxsim_src_int(s, l, a), bv = agxsim_src_int(s, l, b);
		s128 cv = agxsim_src_int(s, l, c), r;

		if (in->negate)
			cv = -cv;
		cv = in->shift < 5 ? cv * ((s128)1 << in->shift) : 0;
		r = av * bv + cv;
		if (sat)
			r = clamp_sat(r, in->dst.size, a->sx || b->sx || c->sx);
		agxsim_write_dst(s, l, &in->dst, (uint64_t)r);
	}
}

static void exec_shift_family(struct agxsim_isa_state *s, const struct agx_insn *in)
{
	uint64_t m = in->mask_bits ? mask_of(in->mask_bits) : 0xffffffffull;

	for_each_active(s, l) {
		u128 a = agxsim_src_bits(s, l, &in->src[0]);
		u128 b = agxsim_src_bits(s, l, &in->src[1]);
		unsigned sh;
		u128 r = 0, sm;

		if (in->op == AGX_OP_ASR || in->op == AGX_OP_ASRH) {
			unsigned asz = in->src[0].kind == AGX_OPND_IMM ? 16 : in->src[0].size;
			s128 sa = (s128)(int64_t)((uint64_t)a << (64 - asz)) >> (64 - asz);

			sh = (unsigned)(b & 0x7f);
			if (in->op == AGX_OP_ASRH)
				sa *= (s128)1 << 32;
			r = (u128)(sa >> sh);
		} else {
			sh = (unsigned)(agxsim_src_bits(s, l, &in->src[2]) & 0x7f);
			switch (in->op) {
			case AGX_OP_BFI:
				r = (a & ~((u128)m << sh)) | ((b & m) << sh);
				break;
			case AGX_OP_BFEIL:
				r = (a & ~(u128)m) | ((b >> sh) & m);
				break;
			case AGX_OP_EXTR:
				r = (((b << 32) | a) >> sh) & m;
				break;
			case AGX_OP_SHLHI:
				sm = (u128)m << (sh > 32 ? sh - 32 : 0);
				r = (((b << sh) >> 32) & sm) | (a & ~sm);
				break;
			case AGX_OP_SHRHI:
				sm = ((u128)m << 32) >> (sh < 32 ? sh : 32);
				r = (((b << 32) >> sh) & sm) | (a & ~sm);
				break;
			default:
				break;
			}
		}
		agxsim_write_dst(s, l, &in->dst, (uint64_t)r);
	}
}

static void exec_bitop(struct agxsim_isa_state *s, const struct agx_insn *in)
{
	for_each_active(s, l) {
		uint64_t a = agxsim_src_bits(s, l, &in->src[0]);
		uint64_t b = agxsim_src_bits(s, l, &in->src[1]);
		uint64_t r = 0;

		/* Hardware-observed: tables 0011 and 1100 pass A through. */
		if (in->tt == 0xc || in->tt == 0x3) {
			r = a;
		} else {
			if (in->tt & 1) r |= ~a & ~b;
			if (in->tt & 2) r |= a & ~b;
			if (in->tt & 4) r |= ~a & b;
			if (in->tt & 8) r |= a & b;
		}
		agxsim_write_dst(s, l, &in->dst, r);
	}
}

static void exec_iunary(struct agxsim_isa_state *s, const struct agx_insn *in)
{
	for_each_active(s, l) {
		uint32_t a = (uint32_t)agxsim_src_bits(s, l, &in->src[0]);
		uint32_t r = 0;

		switch (in->op) {
		case AGX_OP_BITREV:
			for (unsigned i = 0; i < 32; i++)
				if (a & (1u << i))
					r |= 1u << (31 - i);
			break;
		case AGX_OP_POPCOUNT:
			r = (uint32_t)__builtin_popcount(a);
			break;
		case AGX_OP_FFS:
			r = a ? 31u - (uint32_t)__builtin_clz(a) : 0xffffffffu;
			break;
		case AGX_OP_INTL: {
			uint32_t b = (uint32_t)agxsim_src_bits(s, l, &in->src[1]);

			for (unsigned i = 0; i < 16; i++) {
				r |= ((a >> i) & 1u) << (2 * i);
				r |= ((b >> i) & 1u) << (2 * i + 1);
			}
			break;
		}
		default:
			break;
		}
		agxsim_write_dst(s, l, &in->dst, r);
	}
}

/*
 * fp32 operation, fast path: fmaf on fp32 inputs is the correctly rounded
 * result, identical to round-to-odd-then-round (fp.c) except near the
 * flush-to-zero boundary and for NaNs, which take the exact path.
 */
static bool fma32_fast(float a, float b, float c, uint32_t *out)
{
	float r = __builtin_fmaf(a, b, c);
	uint32_t u;

	if (!(__builtin_fabsf(r) > 0x1p-126f) || __builtin_isinf(r))
		return false;
	__builtin_memcpy(&u, &r, 4);
	*out = u;
	return true;
}

static void exec_fma_class(struct agxsim_isa_state *s, const struct agx_insn *in)
{
	bool is32 = in->op == AGX_OP_FADD32 || in->op == AGX_OP_FMUL32 || in->op == AGX_OP_FMADD32;

	if (is32 && in->dst.size == 32 && !in->sat) {
		for_each_active(s, l) {
			double a = agxsim_src_float(s, l, &in->src[0]);
			double b = agxsim_src_float(s, l, &in->src[1]);
			double c = in->op == AGX_OP_FMADD32 ? agxsim_src_float(s, l, &in->src[2]) : 0.0;
			uint32_t r;

			if (in->op == AGX_OP_FADD32) {
				c = b;
				b = 1.0;
			}
			/* every fp32 source value is exactly representable as float */
			if (fma32_fast((float)a, (float)b, (float)c, &r))
				agxsim_write_dst(s, l, &in->dst, r);
			else
				agxsim_write_float(s, l, &in->dst, agx_fma_rto(a, b, c), true, false);
		}
		return;
	}
	for_each_active(s, l) {
		double a = agxsim_src_float(s, l, &in->src[0]);
		double b = agxsim_src_float(s, l, &in->src[1]);
		double r;

		switch (in->op) {
		case AGX_OP_FADD32: case AGX_OP_FADD16:
			r = agx_fma_rto(a, 1.0, b);
			break;
		case AGX_OP_FMUL32: case AGX_OP_FMUL16:
			r = agx_fma_rto(a, b, 0.0);
			break;
		default:
			r = agx_fma_rto(a, b, agxsim_src_float(s, l, &in->src[2]));
			break;
		}
		agxsim_write_float(s, l, &in->dst, r, is32, in->sat);
	}
}

/*
 * dfdx/dfdy: differences within the lane's quad, lane bit 0 = x, bit 1 = y
 * (Mesa's quad_swap_horizontal / _vertical are xor 1 / xor 2); "fine":
 * each lane uses its own row (dfdx) or column (dfdy). Inactive lanes'
 * registers are read as they are (E29).
 */
static enum agxsim_isa_status exec_deriv(struct agxsim_isa_state *s, const struct agx_insn *in)
{
	unsigned bit = in->op == AGX_OP_DFDX ? 1 : 2;
	double v[AGX_SIMD_WIDTH], out[AGX_SIMD_WIDTH];

	for (unsigned l = 0; l < AGX_SIMD_WIDTH; l++)
		v[l] = agxsim_src_float(s, l, &in->src[0]);
	for_each_active(s, l)
		out[l] = v[l | bit] - v[l & ~bit];
	for_each_active(s, l)
		agxsim_write_float(s, l, &in->dst, out[l], in->dst.size == 32, in->sat);
	return AGXSIM_ISA_RUNNING;
}

static enum agxsim_isa_status exec_funary(struct agxsim_isa_state *s, const struct agx_insn *in)
{
	if (in->op == AGX_OP_DFDX || in->op == AGX_OP_DFDY)
		return exec_deriv(s, in);
	for_each_active(s, l) {
		double a = agxsim_src_float(s, l, &in->src[0]), r;

		switch (in->op) {
		case AGX_OP_FLOOR: r = floor(a); break;
		case AGX_OP_CEIL: r = ceil(a); break;
		case AGX_OP_TRUNC: r = trunc(a); break;
		case AGX_OP_RINT: r = nearbyint(a); break;
		case AGX_OP_RCP: r = 1.0 / a; break;
		case AGX_OP_RSQRT: r = 1.0 / sqrt(a); break;
		case AGX_OP_LOG2: r = log2(a); break;
		case AGX_OP_EXP2: r = exp2(a); break;
		default:
			return agxsim_fault(s, AGXSIM_ISA_FAULT_UNIMPL, in,
					    "unimplemented instruction");
		}
		if (isnan(r))
			r = NAN;
		agxsim_write_float(s, l, &in->dst, r, in->dst.size == 32, in->sat);
	}
	return AGXSIM_ISA_RUNNING;
}

static enum agxsim_isa_status exec_convert(struct agxsim_isa_state *s, const struct agx_insn *in)
{
	bool rtz = in->round == 0;

	if (in->round > 1)
		return agxsim_fault(s, AGXSIM_ISA_FAULT_ILLEGAL, in, "unknown convert rounding");
	for_each_active(s, l) {
		uint64_t raw = agxsim_src_bits(s, l, &in->src[0]);
		unsigned dsz = in->dst.size;
		double v;
		bool to_float = true;

		switch (in->mode) {
		case 0: v = (double)(uint8_t)raw; break;
		case 1: v = (double)(int8_t)raw; break;
		case 6: v = (double)(uint16_t)raw; break;
		case 7: v = (double)(int16_t)raw; break;
		case 10: v = (double)(uint32_t)raw; break;
		case 11: v = (double)(int32_t)raw; break;
		case 4: case 5: case 8: case 9:
			to_float = false;
			v = agxsim_src_float(s, l, &in->src[0]);
			break;
		default:
			return agxsim_fault(s, AGXSIM_ISA_FAULT_UNIMPL, in, "unimplemented convert mode");
		}
		if (to_float) {
			if (dsz == 16)
				agxsim_write_dst(s, l, &in->dst, agx_double_to_f16(v, false, rtz));
			else
				agxsim_write_dst(s, l, &in->dst, agx_double_to_f32(v, true, rtz));
		} else {
			bool is_signed = in->mode & 1;
			unsigned bits = (in->mode == 4 || in->mode == 5) ? 16 : 32;
			double lo = is_signed ? -ldexp(1.0, (int)bits - 1) : 0.0;
			double hi = is_signed ? ldexp(1.0, (int)bits - 1) - 1 : ldexp(1.0, (int)bits) - 1;
			int64_t iv;

			v = rtz ? trunc(v) : nearbyint(v);
			if (isnan(v))
				v = 0;
			v = v < lo ? lo : v > hi ? hi : v;
			iv = (int64_t)v;
			agxsim_write_dst(s, l, &in->dst, (uint64_t)iv);
		}
	}
	return AGXSIM_ISA_RUNNING;
}

static bool icompare(const struct agxsim_isa_state *s, unsigned l, const struct agx_insn *in,
		     bool *ok)
{
	struct agx_operand a = in->src[0], b = in->src[1];
	int64_t av, bv;
	bool r;

	a.sx = b.sx = (in->cc & 4) != 0;
	av = agxsim_src_int(s, l, &a);
	bv = agxsim_src_int(s, l, &b);
	switch (in->cc & 3) {
	case 0: r = av == bv; break;
	case 1: r = (in->cc & 4) ? av < bv : (uint64_t)av < (uint64_t)bv; break;
	case 2: r = (in->cc & 4) ? av > bv : (uint64_t)av > (uint64_t)bv; break;
	default: *ok = false; return false;
	}
	return r != in->ccn;
}

static bool fcompare(const struct agxsim_isa_state *s, unsigned l, const struct agx_insn *in,
		     bool *ok)
{
	double a = agxsim_src_float(s, l, &in->src[0]);
	double b = agxsim_src_float(s, l, &in->src[1]);
	bool r;

	switch (in->cc) {
	case AGX_FCOND_EQ: r = a == b; break;
	case AGX_FCOND_LT: r = a < b; break;
	case AGX_FCOND_GT: r = a > b; break;
	case AGX_FCOND_GTE: r = a >= b; break;
	case AGX_FCOND_LTE: r = a <= b; break;
	case AGX_FCOND_LTN: r = isnan(b) || a < b; break;
	case AGX_FCOND_GTN: r = isnan(b) || a > b; break;
	default: *ok = false; return false;
	}
	return r != in->ccn;
}

bool agxsim_compare(const struct agxsim_isa_state *s, unsigned lane,
		    const struct agx_insn *in, bool is_float, bool *ok)
{
	return is_float ? fcompare(s, lane, in, ok) : icompare(s, lane, in, ok);
}

static enum agxsim_isa_status exec_cmpsel(struct agxsim_isa_state *s, const struct agx_insn *in)
{
	bool ok = true;

	for_each_active(s, l) {
		bool c = agxsim_compare(s, l, in, in->op == AGX_OP_FCMPSEL, &ok);

		if (!ok)
			return agxsim_fault(s, AGXSIM_ISA_FAULT_ILLEGAL, in, "unknown condition code");
		agxsim_write_dst(s, l, &in->dst, agxsim_src_bits(s, l, &in->src[c ? 2 : 3]));
	}
	return AGXSIM_ISA_RUNNING;
}

static enum agxsim_isa_status exec_ballot(struct agxsim_isa_state *s, const struct agx_insn *in)
{
	bool ok = true;
	bool quad = in->op == AGX_OP_ICMP_QUAD_BALLOT || in->op == AGX_OP_FCMP_QUAD_BALLOT;
	bool fp = in->op == AGX_OP_FCMP_BALLOT || in->op == AGX_OP_FCMP_QUAD_BALLOT;
	uint32_t r = 0;

	for_each_active(s, l) {
		if (agxsim_compare(s, l, in, fp, &ok))
			r |= 1u << l;
		if (!ok)
			return agxsim_fault(s, AGXSIM_ISA_FAULT_ILLEGAL, in, "unknown condition code");
	}
	/* Quad ballots: the lane's own quad in bits 0-3 (ASSUMPTIONS-isa E27). */
	for_each_active(s, l)
		agxsim_write_dst(s, l, &in->dst, quad ? (r >> (l & ~3u)) & 15 : r);
	return AGXSIM_ISA_RUNNING;
}

/* quad_shuffle family: within each quad, with the simd shuffles' rule that
 * the low two bits of the index are OR-ed over the quad (E27). */
static void exec_quad_shuffle(struct agxsim_isa_state *s, const struct agx_insn *in)
{
	uint64_t a[AGX_SIMD_WIDTH], out[AGX_SIMD_WIDTH];
	unsigned low[8] = { 0 };

	for (unsigned l = 0; l < AGX_SIMD_WIDTH; l++) {
		a[l] = agxsim_src_bits(s, l, &in->src[0]);
		low[l >> 2] |= agxsim_src_bits(s, l, &in->src[1]) & 3;
	}
	for_each_active(s, l) {
		unsigned i = l & 3, k = low[l >> 2], src;

		switch (in->op) {
		case AGX_OP_QUAD_SHUFFLE: src = k; break;
		case AGX_OP_QUAD_SHUFFLE_XOR: src = i ^ k; break;
		case AGX_OP_QUAD_SHUFFLE_DOWN: src = i + k < 4 ? i + k : i; break;
		case AGX_OP_QUAD_SHUFFLE_UP: src = k <= i ? i - k : i; break;
		default: src = (i - k) & 3; break;     /* rotate_up */
		}
		out[l] = a[(l & ~3u) | src];
	}
	for_each_active(s, l)
		agxsim_write_dst(s, l, &in->dst, out[l]);
}

/*
 * quad_/simd_ reductions (every active lane of the quad / SIMD group gets
 * the fold over all of them) and prefixes (exclusive: the fold over the
 * active lanes below), in ascending lane order (E28).
 */
enum red_fn { R_AND, R_OR, R_XOR, R_IADD, R_FADD, R_FMUL, R_UMIN, R_UMAX, R_SMIN, R_SMAX,
	      R_FMIN, R_FMAX };

static bool red_info(enum agx_op op, enum red_fn *fn, bool *quad, bool *prefix)
{
	static const struct { enum agx_op op; enum red_fn fn; bool quad, prefix; } t[] = {
		{ AGX_OP_QUAD_AND, R_AND, 1, 0 }, { AGX_OP_QUAD_OR, R_OR, 1, 0 },
		{ AGX_OP_QUAD_XOR, R_XOR, 1, 0 }, { AGX_OP_QUAD_IADD, R_IADD, 1, 0 },
		{ AGX_OP_QUAD_FADD, R_FADD, 1, 0 }, { AGX_OP_QUAD_FMUL, R_FMUL, 1, 0 },
		{ AGX_OP_QUAD_PREFIX_IADD, R_IADD, 1, 1 }, { AGX_OP_QUAD_PREFIX_FADD, R_FADD, 1, 1 },
		{ AGX_OP_QUAD_PREFIX_FMUL, R_FMUL, 1, 1 },
		{ AGX_OP_QUAD_MIN_U, R_UMIN, 1, 0 }, { AGX_OP_QUAD_MAX_U, R_UMAX, 1, 0 },
		{ AGX_OP_QUAD_MIN_S, R_SMIN, 1, 0 }, { AGX_OP_QUAD_MAX_S, R_SMAX, 1, 0 },
		{ AGX_OP_QUAD_MIN_F, R_FMIN, 1, 0 }, { AGX_OP_QUAD_MAX_F, R_FMAX, 1, 0 },
		{ AGX_OP_SIMD_AND, R_AND, 0, 0 }, { AGX_OP_SIMD_OR, R_OR, 0, 0 },
		{ AGX_OP_SIMD_XOR, R_XOR, 0, 0 }, { AGX_OP_SIMD_IADD, R_IADD, 0, 0 },
		{ AGX_OP_SIMD_FADD, R_FADD, 0, 0 }, { AGX_OP_SIMD_FMUL, R_FMUL, 0, 0 },
		{ AGX_OP_SIMD_PREFIX_IADD, R_IADD, 0, 1 }, { AGX_OP_SIMD_PREFIX_FADD, R_FADD, 0, 1 },
		{ AGX_OP_SIMD_PREFIX_FMUL, R_FMUL, 0, 1 }, { AGX_OP_SIMD_PREFIX_AND, R_AND, 0, 1 },
		{ AGX_OP_SIMD_PREFIX_OR, R_OR, 0, 1 }, { AGX_OP_SIMD_PREFIX_XOR, R_XOR, 0, 1 },
		{ AGX_OP_SIMD_PREFIX_MIN_S, R_SMIN, 0, 1 }, { AGX_OP_SIMD_PREFIX_MIN_U, R_UMIN, 0, 1 },
		{ AGX_OP_SIMD_PREFIX_MAX_S, R_SMAX, 0, 1 }, { AGX_OP_SIMD_PREFIX_MAX_U, R_UMAX, 0, 1 },
		{ AGX_OP_SIMD_MIN_U, R_UMIN, 0, 0 }, { AGX_OP_SIMD_MAX_U, R_UMAX, 0, 0 },
		{ AGX_OP_SIMD_MIN_S, R_SMIN, 0, 0 }, { AGX_OP_SIMD_MAX_S, R_SMAX, 0, 0 },
		{ AGX_OP_SIMD_MIN_F, R_FMIN, 0, 0 }, { AGX_OP_SIMD_MAX_F, R_FMAX, 0, 0 },
	};

	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].op == op) {
			*fn = t[i].fn;
			*quad = t[i].quad;
			*prefix = t[i].prefix;
			return true;
		}
	return false;
}

/* Values are raw register bits of @bits (16/32) width. */
static uint64_t red_identity(enum red_fn fn, unsigned bits)
{
	uint64_t m = bits == 32 ? 0xffffffffull : 0xffffull;

	switch (fn) {
	case R_AND: case R_UMIN: return m;
	case R_SMIN: return m >> 1;
	case R_SMAX: return (m >> 1) + 1;
	case R_FADD: return 0;                                       /* +0.0 */
	case R_FMUL: return bits == 32 ? 0x3f800000u : 0x3c00u;      /* 1.0 */
	case R_FMIN: return bits == 32 ? 0x7f800000u : 0x7c00u;      /* +inf */
	case R_FMAX: return bits == 32 ? 0xff800000u : 0xfc00u;      /* -inf */
	default: return 0;
	}
}

static double red_f(uint64_t v, unsigned bits)
{
	return bits == 32 ? agx_f32_to_double((uint32_t)v, true) : agx_f16_to_double((uint16_t)v);
}

static uint64_t red_apply(enum red_fn fn, uint64_t x, uint64_t y, unsigned bits)
{
	uint64_t m = bits == 32 ? 0xffffffffull : 0xffffull;
	int64_t sx = bits == 32 ? (int32_t)x : (int16_t)x, sy = bits == 32 ? (int32_t)y : (int16_t)y;
	double fx, fy, r;

	switch (fn) {
	case R_AND: return x & y;
	case R_OR: return x | y;
	case R_XOR: return x ^ y;
	case R_IADD: return (x + y) & m;
	case R_UMIN: return x < y ? x : y;
	case R_UMAX: return x > y ? x : y;
	case R_SMIN: return sx < sy ? x : y;
	case R_SMAX: return sx > sy ? x : y;
	default: break;
	}
	fx = red_f(x, bits);
	fy = red_f(y, bits);
	switch (fn) {
	case R_FADD: r = fx + fy; break;
	case R_FMUL: r = fx * fy; break;
	case R_FMIN: r = isnan(fx) ? fy : isnan(fy) ? fx : (fx < fy || (fx == fy && signbit(fx))) ? fx : fy; break;
	default: r = isnan(fx) ? fy : isnan(fy) ? fx : (fx > fy || (fx == fy && !signbit(fx))) ? fx : fy; break;
	}
	return bits == 32 ? agx_double_to_f32(r, true, false) : agx_double_to_f16(r, false, false);
}

static enum agxsim_isa_status exec_reduce(struct agxsim_isa_state *s, const struct agx_insn *in)
{
	enum red_fn fn;
	bool quad, prefix;
	unsigned bits = in->dst.size;
	uint64_t v[AGX_SIMD_WIDTH], out[AGX_SIMD_WIDTH];

	if (!red_info(in->op, &fn, &quad, &prefix) || (bits != 16 && bits != 32))
		return agxsim_fault(s, AGXSIM_ISA_FAULT_UNIMPL, in, "unimplemented instruction");
	for (unsigned l = 0; l < AGX_SIMD_WIDTH; l++)
		v[l] = agxsim_src_bits(s, l, &in->src[0]) & (bits == 32 ? 0xffffffffull : 0xffffull);
	for_each_active(s, l) {
		unsigned lo = quad ? (l & ~3u) : 0, hi = quad ? lo + 4 : AGX_SIMD_WIDTH;
		uint64_t acc = red_identity(fn, bits);

		for (unsigned j = lo; j < hi && (!prefix || j < l); j++)
			if (s->exec & (1u << j))
				acc = red_apply(fn, acc, v[j], bits);
		out[l] = acc;
	}
	for_each_active(s, l)
		agxsim_write_dst(s, l, &in->dst, out[l]);
	return AGXSIM_ISA_RUNNING;
}

/*
 * simd_shuffle family. The documented hardware behaviour routes through
 * quads: the low two bits of the lane offset are OR-ed across each quad
 * (inactive lanes included), then whole quads are selected.
 */
static void exec_shuffle(struct agxsim_isa_state *s, const struct agx_insn *in)
{
	uint64_t a[AGX_SIMD_WIDTH], b[AGX_SIMD_WIDTH], quad[8][4], out[AGX_SIMD_WIDTH];

	for (unsigned l = 0; l < AGX_SIMD_WIDTH; l++) {
		a[l] = agxsim_src_bits(s, l, &in->src[0]);
		b[l] = agxsim_src_bits(s, l, &in->src[1]);
	}
	for (unsigned q = 0; q < 8; q++) {
		unsigned low = 0;

		for (unsigned i = 0; i < 4; i++)
			low |= b[4 * q + i] & 3;
		for (unsigned i = 0; i < 4; i++) {
			switch (in->op) {
			case AGX_OP_SIMD_SHUFFLE:
				quad[q][i] = a[4 * q + low];
				break;
			case AGX_OP_SIMD_SHUFFLE_DOWN:
				quad[q][i] = a[4 * q + ((i + low) & 3)];
				break;
			case AGX_OP_SIMD_SHUFFLE_XOR:
				quad[q][i] = a[4 * q + ((i ^ low) & 3)];
				break;
			default: /* up, rotate_up */
				quad[q][i] = a[4 * q + ((i - low) & 3)];
				break;
			}
		}
	}
	for_each_active(s, l) {
		uint64_t idx = b[l];

		switch (in->op) {
		case AGX_OP_SIMD_SHUFFLE:
			out[l] = idx < AGX_SIMD_WIDTH ? quad[idx >> 2][0] : a[l];
			break;
		case AGX_OP_SIMD_SHUFFLE_DOWN:
			out[l] = idx + l < AGX_SIMD_WIDTH ? quad[(idx + l) >> 2][l & 3] : a[l];
			break;
		case AGX_OP_SIMD_SHUFFLE_XOR:
			out[l] = (l ^ idx) < AGX_SIMD_WIDTH ? quad[(l ^ idx) >> 2][l & 3] : a[l];
			break;
		case AGX_OP_SIMD_SHUFFLE_ROTATE_UP:
			out[l] = quad[((l - idx) & 31) >> 2][l & 3];
			break;
		default:
			out[l] = idx <= l ? quad[(l - idx) >> 2][l & 3] : a[l];
			break;
		}
	}
	for_each_active(s, l)
		agxsim_write_dst(s, l, &in->dst, out[l]);
}

static uint32_t default_sr(const struct agxsim_isa_state *s, unsigned sr, unsigned lane)
{
	switch (sr) {
	case 52: /* thread_index_in_simdgroup */
	case 48: /* thread_position_in_threadgroup.x */
	case 51: /* thread_index_in_threadgroup */
	case 80: /* thread_position_in_grid.x */
		return lane;
	case 58: /* active thread index in simdgroup */
		return (uint32_t)__builtin_popcount(s->exec & ((1u << lane) - 1));
	case 59: /* active thread count in simdgroup */
		return (uint32_t)__builtin_popcount(s->exec);
	case 63: /* is_active_thread */
		return 1;
	default:
		return 0;
	}
}

enum agxsim_isa_status agxsim_exec_alu(struct agxsim_isa_state *s, const struct agx_insn *in)
{
	switch (in->op) {
	case AGX_OP_MOV_IMM16:
	case AGX_OP_MOV_IMM32:
		for_each_active(s, l)
			agxsim_write_dst(s, l, &in->dst, in->imm32);
		return AGXSIM_ISA_RUNNING;
	case AGX_OP_GET_SR:
		for_each_active(s, l) {
			unsigned sr = in->src[0].index;
			uint32_t v = s->hooks.read_sr ? s->hooks.read_sr(s->hooks.ctx, sr, l)
						      : default_sr(s, sr, l);

			agxsim_write_dst(s, l, &in->dst, v);
		}
		return AGXSIM_ISA_RUNNING;
	case AGX_OP_IADD:
		exec_iadd(s, in);
		return AGXSIM_ISA_RUNNING;
	case AGX_OP_IMADD:
		exec_imadd(s, in);
		return AGXSIM_ISA_RUNNING;
	case AGX_OP_BFI: case AGX_OP_BFEIL: case AGX_OP_EXTR: case AGX_OP_SHLHI:
	case AGX_OP_SHRHI: case AGX_OP_ASR: case AGX_OP_ASRH:
		exec_shift_family(s, in);
		return AGXSIM_ISA_RUNNING;
	case AGX_OP_BITOP:
		exec_bitop(s, in);
		return AGXSIM_ISA_RUNNING;
	case AGX_OP_BITREV: case AGX_OP_POPCOUNT: case AGX_OP_FFS: case AGX_OP_INTL:
		exec_iunary(s, in);
		return AGXSIM_ISA_RUNNING;
	case AGX_OP_FADD32: case AGX_OP_FMUL32: case AGX_OP_FMADD32:
	case AGX_OP_FADD16: case AGX_OP_FMUL16: case AGX_OP_FMADD16:
		exec_fma_class(s, in);
		return AGXSIM_ISA_RUNNING;
	case AGX_OP_FLOOR: case AGX_OP_CEIL: case AGX_OP_TRUNC: case AGX_OP_RINT:
	case AGX_OP_RCP: case AGX_OP_RSQRT: case AGX_OP_LOG2: case AGX_OP_EXP2:
	case AGX_OP_DFDX: case AGX_OP_DFDY:
		return exec_funary(s, in);
	case AGX_OP_CONVERT:
		return exec_convert(s, in);
	case AGX_OP_ICMPSEL: case AGX_OP_FCMPSEL:
		return exec_cmpsel(s, in);
	case AGX_OP_ICMP_BALLOT: case AGX_OP_FCMP_BALLOT:
	case AGX_OP_ICMP_QUAD_BALLOT: case AGX_OP_FCMP_QUAD_BALLOT:
		return exec_ballot(s, in);
	case AGX_OP_QUAD_SHUFFLE: case AGX_OP_QUAD_SHUFFLE_DOWN: case AGX_OP_QUAD_SHUFFLE_UP:
	case AGX_OP_QUAD_SHUFFLE_XOR: case AGX_OP_QUAD_SHUFFLE_ROTATE_UP:
		exec_quad_shuffle(s, in);
		return AGXSIM_ISA_RUNNING;
	case AGX_OP_SIMD_SHUFFLE: case AGX_OP_SIMD_SHUFFLE_DOWN: case AGX_OP_SIMD_SHUFFLE_UP:
	case AGX_OP_SIMD_SHUFFLE_XOR: case AGX_OP_SIMD_SHUFFLE_ROTATE_UP:
		exec_shuffle(s, in);
		return AGXSIM_ISA_RUNNING;
	default:
		if (in->op >= AGX_OP_QUAD_AND && in->op <= AGX_OP_SIMD_MAX_F)
			return exec_reduce(s, in);
		return AGXSIM_NOT_MINE;
	}
}
