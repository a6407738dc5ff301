/* SPDX-License-Identifier: MIT */
/* fp.h - bit-exact float helpers for the G13 interpreter. */
#ifndef AGXSIM_FP_H
#define AGXSIM_FP_H

#include <stdbool.h>
#include <stdint.h>

#define AGX_F32_NAN 0x7fc00000u
#define AGX_F16_NAN 0x7e00u

double agx_fimm8_to_double(unsigned code);
double agx_f16_to_double(uint16_t bits);
double agx_f32_to_double(uint32_t bits, bool ftz);
/* Round a double to binary32/binary16 bits; NaN -> canonical NaN. */
uint32_t agx_double_to_f32(double d, bool ftz, bool rtz);
uint16_t agx_double_to_f16(double d, bool ftz, bool rtz);
/* a*b+c computed exactly, rounded to double with round-to-odd. */
double agx_fma_rto(double a, double b, double c);
/* Clamp to [0,1]; NaN and negative values (incl. -0) -> +0. */
double agx_saturate(double d);

#endif
