/* SPDX-License-Identifier: MIT */
/*
 * asm.h - a small G13 encoder used only by the tests. It writes the
 * documented bit fields directly (independently of decode.c), choosing the
 * short form when every extension bit is zero.
 */
#ifndef AGXSIM_TEST_ASM_H
#define AGXSIM_TEST_ASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct asm_buf {
	uint8_t b[8192];
	size_t len;
};

/* Operand constructors. r/h take a half index; R takes a 32-bit reg number. */
struct asm_op {
	char kind;     /* 'r' GPR, 'u' uniform, 'i' immediate */
	unsigned size; /* 16/32/64 */
	unsigned idx;  /* half index, or immediate value */
	bool abs, neg, sx;
	unsigned hint; /* 0 none, 1 cache, 2 discard */
};

struct asm_op H(unsigned half);          /* 16-bit GPR half */
struct asm_op R(unsigned reg);           /* 32-bit GPR */
struct asm_op R64(unsigned reg);         /* 64-bit pair rN_rN+1 */
struct asm_op UH(unsigned half);         /* 16-bit uniform half */
struct asm_op U(unsigned ureg);          /* 32-bit uniform */
struct asm_op I(unsigned v);             /* 8-bit immediate */
struct asm_op NEG(struct asm_op o);
struct asm_op ABS(struct asm_op o);
struct asm_op SX(struct asm_op o);

size_t asm_mov_imm(struct asm_buf *b, struct asm_op d, uint32_t imm);
size_t asm_get_sr(struct asm_buf *b, struct asm_op d, unsigned sr);
size_t asm_iadd(struct asm_buf *b, struct asm_op d, struct asm_op a, struct asm_op c,
		unsigned shift, bool neg, bool sat);
size_t asm_imadd(struct asm_buf *b, struct asm_op d, struct asm_op a, struct asm_op x,
		 struct asm_op c, unsigned shift, bool neg, bool sat);
size_t asm_bitop(struct asm_buf *b, unsigned tt, struct asm_op d, struct asm_op a, struct asm_op c);
/* op: 0 bfi, 1 bfeil, 2 extr, 3 shlhi, 4 shrhi, 5 asr, 6 asrh */
size_t asm_shift(struct asm_buf *b, unsigned op, struct asm_op d, struct asm_op a,
		 struct asm_op x, struct asm_op c, unsigned m);
/* op: 0 bitrev, 1 popcount, 2 ffs */
size_t asm_iunary(struct asm_buf *b, unsigned op, struct asm_op d, struct asm_op a);
size_t asm_convert(struct asm_buf *b, unsigned mode, unsigned round, struct asm_op d,
		   struct asm_op a);
/* opc6: 0x2a fadd32, 0x1a fmul32, 0x26 fadd16, 0x16 fmul16 */
size_t asm_fbin(struct asm_buf *b, unsigned opc6, struct asm_op d, struct asm_op a,
		struct asm_op c, bool sat);
/* opc6: 0x3a fmadd32, 0x36 fmadd16 */
size_t asm_fma(struct asm_buf *b, unsigned opc6, struct asm_op d, struct asm_op a,
	       struct asm_op x, struct asm_op c, bool sat);
/* op: floor 0, rcp 8, rsqrt 9, log2 12, exp2 13, ceil 16, trunc 32, rint 48 */
size_t asm_funary(struct asm_buf *b, unsigned op, struct asm_op d, struct asm_op a, bool sat);
size_t asm_cmpsel(struct asm_buf *b, bool fp, unsigned cc, struct asm_op d, struct asm_op a,
		  struct asm_op c, struct asm_op x, struct asm_op y);
/* kind: 0 if, 1 else, 2 while */
size_t asm_maskop(struct asm_buf *b, bool fp, unsigned kind, unsigned cc, bool ccn,
		  struct asm_op a, struct asm_op c, unsigned n);
size_t asm_pop_exec(struct asm_buf *b, unsigned n);
size_t asm_jmp_exec(struct asm_buf *b, bool none, int32_t offset);
size_t asm_stop(struct asm_buf *b);
size_t asm_trap(struct asm_buf *b);
size_t asm_wait(struct asm_buf *b, unsigned slot);
/* format: 0 i8, 1 i16, 2 i32; base is R64/U64 pair (base.kind) */
size_t asm_device(struct asm_buf *b, bool store, unsigned format, unsigned mask,
		  struct asm_op reg, struct asm_op base, struct asm_op index, bool idx_unsigned,
		  unsigned shift);
size_t asm_threadgroup(struct asm_buf *b, bool store, unsigned format, unsigned mask,
		       struct asm_op reg, struct asm_op base, struct asm_op index);
size_t asm_uniform_store(struct asm_buf *b, unsigned format, unsigned mask, struct asm_op reg,
			 unsigned uniform_half);
/* Stack (scratch): @offset is a byte offset (immediate or 32-bit GPR). */
size_t asm_stack(struct asm_buf *b, bool store, unsigned format, unsigned mask,
		 struct asm_op reg, struct asm_op offset);
/* stack_adjust by @words 32-bit words (signed). */
size_t asm_stack_adjust(struct asm_buf *b, int words);
size_t asm_stack_get_ptr(struct asm_buf *b, struct asm_op d);
/* Device atomic @op (0 add .. 10 xor) at base (64-bit GPR/uniform) +
 * index * 4; @d: 32-bit GPR for the old value, or kind 0 for none; @src
 * a 32-bit GPR (64-bit pair {new, compare} for cmpxchg). */
size_t asm_atomic(struct asm_buf *b, unsigned op, struct asm_op d, struct asm_op base,
		  struct asm_op index, bool idx_unsigned, struct asm_op src);
/* icmp/fcmp (quad_)ballot: D = mask of active lanes where A cc B. */
size_t asm_ballot(struct asm_buf *b, bool fp, bool quad, unsigned cc, bool ccn,
		  struct asm_op d, struct asm_op a, struct asm_op c);
/* A shuffle (with @bsrc, a 16-bit lane operand) or reduction/prefix
 * (@bsrc.kind == 0) whose constant bits are @exact (the encoding table's
 * value: e.g. 0x6f quad_shuffle, 0x80002000806f simd_iadd). */
size_t asm_subgroup(struct asm_buf *b, uint64_t exact, struct asm_op d, struct asm_op a,
		    struct asm_op bsrc);
/* Threadgroup atomic at base (16-bit GPR, or immediate 0) + index * 4. */
size_t asm_threadgroup_atomic(struct asm_buf *b, unsigned op, struct asm_op d,
			      struct asm_op base, struct asm_op index, struct asm_op src);

/* Varyings, tile buffer, block image store, fragment outputs (render path). */
/* st_var / st_var_final: UVS word @index (immediate) = 32-bit r@reg. */
size_t asm_st_var(struct asm_buf *b, unsigned reg, unsigned index, bool final);
/* iter (proj=false) / iterproj: @count (1..4) components from cf@cf_i
 * (divided by cf@cf_j for iterproj) into d (H: 16-bit, R: 32-bit). interp:
 * 0 centre, 1 sample @sample (immediate), 2 centroid. */
size_t asm_iter(struct asm_buf *b, bool proj, struct asm_op d, unsigned count, unsigned cf_i,
		unsigned cf_j, unsigned interp, unsigned sample);
/* ldcf: 3 * @count registers of raw coefficients of cf@cf_i. */
size_t asm_ldcf(struct asm_buf *b, struct asm_op d, unsigned count, unsigned cf_i);
/* ld_tile / st_tile: components @mask of @reg (H or R tuple) at byte
 * @offset of each selected sample, tile format @fmt, immediate sample mask. */
size_t asm_tile(struct asm_buf *b, bool load, unsigned fmt, unsigned mask, struct asm_op reg,
		unsigned offset, unsigned sample_mask);
/* image_write_block: tile data at the byte offset held in 32-bit r@off_reg,
 * tile format @fmt, PBE descriptor in texture state register ts@ts, 2D. */
size_t asm_image_write_block(struct asm_buf *b, unsigned off_reg, unsigned ts, unsigned fmt);
/* The same with texture dimension @dim (0..8, e.g. 4 = 2D MS). */
size_t asm_image_write_block_dim(struct asm_buf *b, unsigned off_reg, unsigned ts, unsigned fmt,
				 unsigned dim);
/* sample_mask: samples in @target keep coverage where @value has ones. */
size_t asm_sample_mask(struct asm_buf *b, unsigned target, unsigned value);
/* zs_emit: samples @target take depth (r-half @t: 32-bit float) and/or
 * stencil (next half). */
size_t asm_zs_emit(struct asm_buf *b, unsigned target, unsigned t, bool z, bool s);
/* texture_load (texel fetch, level 0) of 2D ts@ts at the integer
 * coordinates in 32-bit r@coord, r@coord+1 into d (components @mask). */
size_t asm_texture_load(struct asm_buf *b, struct asm_op d, unsigned coord, unsigned ts,
			unsigned mask);
/* texture_sample (LOD mode 0) of 2D ts@ts with sampler state register @ss
 * at the float coordinates in 32-bit r@coord, r@coord+1 into d. */
size_t asm_texture_sample(struct asm_buf *b, struct asm_op d, unsigned coord, unsigned ts,
			  unsigned ss, unsigned mask);
/* The same with LOD mode @lod_mode (Mesa's agx_lod_mode: 0 auto, 5 auto +
 * bias, 6 explicit, 4 gradients, 13 bias + min, 12 gradients + min; bit 2
 * = register operand) and its operand at half index @dhalf. @sample
 * false: texture_load. */
size_t asm_texture_lod(struct asm_buf *b, bool sample, struct asm_op d, unsigned coord,
		       unsigned ts, unsigned ss, unsigned mask, unsigned lod_mode,
		       unsigned dhalf);

#endif
