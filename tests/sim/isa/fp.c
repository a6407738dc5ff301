/* SPDX-License-Identifier: MIT */
/*
 * fp.c - float conversions and rounding used by the interpreter.
 *
 * Model (documented by the applegpu reference and its hardware tests):
 * an fp operation is evaluated exactly, rounded to double with
 * round-to-odd, then rounded to nearest-even into the destination format.
 * Round-to-odd makes the second rounding equivalent to a single correct
 * rounding. fp32 inputs/outputs flush denormals; fp16 does not.
 */
#include <fenv.h>
#include <math.h>
#include <string.h>

#include "fp.h"

/* GCC ignores "#pragma STDC FENV_ACCESS"; meson builds this file with -frounding-math. */

double agx_fimm8_to_double(unsigned code)
{
	unsigned e = (code >> 4) & 7, f = code & 15;
	double v = e == 0 ? f / 64.0 : ldexp(16.0 + f, (int)e - 7);

	return (code & 0x80) ? -v : v;
}

double agx_f16_to_double(uint16_t b)
{
	unsigned e = (b >> 10) & 0x1f, f = b & 0x3ff;
	double v;

	if (e == 0x1f)
		v = f ? NAN : INFINITY;
	else if (e == 0)
		v = ldexp((double)f, -24);
	else
		v = ldexp((double)(f | 0x400), (int)e - 25);
	return (b & 0x8000) ? -v : v;
}

double agx_f32_to_double(uint32_t b, bool ftz)
{
	float f;

	if (ftz && (b & 0x7f800000u) == 0)
		b &= 0x80000000u;
	memcpy(&f, &b, 4);
	return (double)f;
}

/* Generic IEEE rounding of a double into (ebits, mbits). */
static uint32_t round_to(double d, unsigned ebits, unsigned mbits, bool ftz, bool rtz,
			 uint32_t nan)
{
	uint64_t b, m, q, rem, half;
	unsigned sign_shift = ebits + mbits;
	int bias = (1 << (ebits - 1)) - 1, E, shift;
	uint32_t sign, res, inf = ((1u << ebits) - 1) << mbits;
	unsigned e;

	memcpy(&b, &d, 8);
	sign = (uint32_t)(b >> 63) << sign_shift;
	e = (b >> 52) & 0x7ff;
	m = b & ((1ull << 52) - 1);
	if (e == 0x7ff)
		return m ? nan : sign | inf;
	if (e == 0 && m == 0)
		return sign;
	E = (int)e - 1023 + bias;
	if (e)
		m |= 1ull << 52;
	if (ftz && E <= 0)
		return sign;
	shift = 52 - (int)mbits;
	if (E <= 0) {
		shift += 1 - E;
		E = 0;
	}
	if (shift >= 64) {
		q = 0;  /* far below half of the smallest denormal */
	} else {
		q = m >> shift;
		rem = m & ((1ull << shift) - 1);
		half = 1ull << (shift - 1);
		if (!rtz && (rem > half || (rem == half && (q & 1))))
			q++;
	}
	res = E > 0 ? (uint32_t)(((uint64_t)(E - 1) << mbits) + q) : (uint32_t)q;
	if (res >= inf)
		res = rtz ? inf - 1 : inf;
	return sign | res;
}

uint32_t agx_double_to_f32(double d, bool ftz, bool rtz)
{
	return round_to(d, 8, 23, ftz, rtz, AGX_F32_NAN);
}

uint16_t agx_double_to_f16(double d, bool ftz, bool rtz)
{
	return (uint16_t)round_to(d, 5, 10, ftz, rtz, AGX_F16_NAN);
}

double agx_fma_rto(double a, double b, double c)
{
	volatile double va = a, vb = b, vc = c;
	double r;
	uint64_t bits;
	int old = fegetround();
	int inexact;

	fesetround(FE_TOWARDZERO);
	feclearexcept(FE_INEXACT);
	r = fma(va, vb, vc);
	inexact = fetestexcept(FE_INEXACT);
	fesetround(old);
	if (isnan(r))
		return NAN;
	if (inexact && !isinf(r)) {
		memcpy(&bits, &r, 8);
		bits |= 1;
		memcpy(&r, &bits, 8);
	}
	return r;
}

double agx_saturate(double d)
{
	if (isnan(d) || signbit(d))
		return 0.0;
	return d > 1.0 ? 1.0 : d;
}
