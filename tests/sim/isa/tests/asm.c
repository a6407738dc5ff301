/* SPDX-License-Identifier: MIT */
/* asm.c - test-only G13 encoder (see asm.h). */
#include <string.h>

#include "asm.h"

struct asm_op H(unsigned half) { return (struct asm_op){ 'r', 16, half, 0, 0, 0, 0 }; }
struct asm_op R(unsigned reg) { return (struct asm_op){ 'r', 32, 2 * reg, 0, 0, 0, 0 }; }
struct asm_op R64(unsigned reg) { return (struct asm_op){ 'r', 64, 2 * reg, 0, 0, 0, 0 }; }
struct asm_op UH(unsigned half) { return (struct asm_op){ 'u', 16, half, 0, 0, 0, 0 }; }
struct asm_op U(unsigned ureg) { return (struct asm_op){ 'u', 32, 2 * ureg, 0, 0, 0, 0 }; }
struct asm_op I(unsigned v) { return (struct asm_op){ 'i', 16, v, 0, 0, 0, 0 }; }
struct asm_op NEG(struct asm_op o) { o.neg = true; return o; }
struct asm_op ABS(struct asm_op o) { o.abs = true; return o; }
struct asm_op SX(struct asm_op o) { o.sx = true; return o; }

typedef unsigned __int128 u128;

static void put(u128 *w, unsigned pos, unsigned n, uint64_t v)
{
	u128 m = (((u128)1 << n) - 1) << pos;

	*w = (*w & ~m) | (((u128)v << pos) & m);
}

/* Emit: long form if any byte beyond the short size is non-zero. */
static size_t emit(struct asm_buf *b, u128 w, unsigned short_B, unsigned long_B, unsigned lbit)
{
	unsigned size = short_B;

	if (long_B != short_B && (w >> (8 * short_B)) != 0) {
		size = long_B;
		put(&w, lbit, 1, 1);
	}
	for (unsigned i = 0; i < size; i++)
		b->b[b->len + i] = (uint8_t)(w >> (8 * i));
	b->len += size;
	return size;
}

static void dst(u128 *w, unsigned ext, struct asm_op d)
{
	unsigned v = d.idx | (d.size == 64 ? 1 : 0);

	put(w, 7, 1, d.hint ? 1 : 0);
	put(w, 8, 1, d.size >= 32);
	put(w, 9, 6, v & 63);
	put(w, ext, 2, v >> 6);
}

/* tbits 4 or 3; mods: 0 none, 1 float(abs,neg), 2 sx */
static void src(u128 *w, unsigned off, unsigned ext, unsigned tbits, unsigned mods, struct asm_op o)
{
	unsigned t, v = o.idx;

	if (o.kind == 'i') {
		t = 0;
	} else if (o.kind == 'u') {
		t = 4; /* 4-bit 01ab, 3-bit 1ab */
		if (o.size == 32)
			t |= 2;
		t |= (v >> 8) & 1;
		v &= 0xff;
	} else {
		unsigned h = o.hint == 1 ? 2 : o.hint == 2 ? 3 : 1;

		t = h | (tbits == 4 ? (o.size == 16 ? 0 : o.size == 32 ? 8 : 12) : 0);
	}
	put(w, off, 6, v & 63);
	put(w, ext, 2, (v >> 6) & 3);
	put(w, off + 6, tbits, t);
	if (mods == 1)
		put(w, off + 6 + tbits, 2, (o.abs ? 1 : 0) | (o.neg ? 2 : 0));
	else if (mods == 2)
		put(w, off + 10, 1, o.sx);
}

size_t asm_mov_imm(struct asm_buf *b, struct asm_op d, uint32_t imm)
{
	u128 w = 0;

	put(&w, 0, 7, 0x62);
	if (d.size == 16) {
		dst(&w, 44, d);
		put(&w, 16, 16, imm);
		return emit(b, w, 4, 6, 15);
	}
	dst(&w, 60, d);
	put(&w, 16, 32, imm);
	return emit(b, w, 6, 8, 15);
}

size_t asm_get_sr(struct asm_buf *b, struct asm_op d, unsigned sr)
{
	u128 w = 0;

	put(&w, 0, 7, 0x72);
	dst(&w, 28, d);
	put(&w, 16, 6, sr & 63);
	put(&w, 26, 2, sr >> 6);
	return emit(b, w, 4, 4, 15);
}

size_t asm_iadd(struct asm_buf *b, struct asm_op d, struct asm_op a, struct asm_op c,
		unsigned shift, bool neg, bool sat)
{
	u128 w = 0;

	put(&w, 0, 6, 0x0e);
	put(&w, 6, 1, sat);
	dst(&w, 44, d);
	src(&w, 16, 42, 4, 2, a);
	src(&w, 28, 40, 4, 2, c);
	put(&w, 27, 1, neg);
	put(&w, 39, 1, shift & 1);
	put(&w, 52, 2, shift >> 1);
	return emit(b, w, 8, 8, 15);
}

size_t asm_imadd(struct asm_buf *b, struct asm_op d, struct asm_op a, struct asm_op x,
		 struct asm_op c, unsigned shift, bool neg, bool sat)
{
	u128 w = 0;

	put(&w, 0, 6, 0x1e);
	put(&w, 6, 1, sat);
	dst(&w, 60, d);
	src(&w, 16, 58, 4, 2, a);
	src(&w, 28, 56, 4, 2, x);
	src(&w, 40, 54, 4, 2, c);
	put(&w, 27, 1, neg);
	put(&w, 39, 1, shift & 1);
	put(&w, 52, 2, shift >> 1);
	return emit(b, w, 8, 8, 15);
}

size_t asm_bitop(struct asm_buf *b, unsigned tt, struct asm_op d, struct asm_op a, struct asm_op c)
{
	u128 w = 0;

	put(&w, 0, 7, 0x7e);
	dst(&w, 44, d);
	src(&w, 16, 42, 4, 0, a);
	src(&w, 28, 40, 4, 0, c);
	put(&w, 26, 1, tt & 1);
	put(&w, 27, 1, (tt >> 1) & 1);
	put(&w, 38, 1, (tt >> 2) & 1);
	put(&w, 39, 1, (tt >> 3) & 1);
	return emit(b, w, 6, 6, 15);
}

size_t asm_shift(struct asm_buf *b, unsigned op, struct asm_op d, struct asm_op a,
		 struct asm_op x, struct asm_op c, unsigned m)
{
	static const unsigned bit15[] = { 0, 1, 0, 0, 1, 1, 1 };
	static const unsigned sub[] = { 0, 0, 1, 2, 2, 1, 3 };
	u128 w = 0;

	put(&w, 0, 7, 0x2e);
	put(&w, 15, 1, bit15[op]);
	put(&w, 26, 2, sub[op]);
	dst(&w, 60, d);
	src(&w, 16, 58, 4, 0, a);
	src(&w, 28, 56, 4, 0, x);
	if (op < 5) {
		src(&w, 40, 54, 4, 0, c);
		put(&w, 38, 2, m & 3);
		put(&w, 50, 2, (m >> 2) & 3);
		put(&w, 63, 1, (m >> 4) & 1);
	}
	return emit(b, w, 8, 8, 15);
}

size_t asm_iunary(struct asm_buf *b, unsigned op, struct asm_op d, struct asm_op a)
{
	u128 w = 0;

	put(&w, 0, 7, 0x3e);
	put(&w, 26, 2, op + 1);
	dst(&w, 44, d);
	src(&w, 16, 42, 4, 0, a);
	return emit(b, w, 6, 6, 15);
}

size_t asm_convert(struct asm_buf *b, unsigned mode, unsigned round, struct asm_op d,
		   struct asm_op a)
{
	u128 w = 0;

	put(&w, 0, 7, 0x3e);
	put(&w, 15, 1, 1);
	put(&w, 16, 6, mode);
	put(&w, 26, 2, round);
	dst(&w, 44, d);
	src(&w, 28, 40, 4, 0, a);
	return emit(b, w, 6, 6, 15);
}

size_t asm_fbin(struct asm_buf *b, unsigned opc6, struct asm_op d, struct asm_op a,
		struct asm_op c, bool sat)
{
	unsigned tb = (opc6 & 0xf) == 6 ? 3 : 4;
	u128 w = 0;

	put(&w, 0, 6, opc6);
	put(&w, 6, 1, sat);
	dst(&w, 44, d);
	src(&w, 16, 42, tb, 1, a);
	src(&w, 28, 40, tb, 1, c);
	return emit(b, w, 4, 6, 15);
}

size_t asm_fma(struct asm_buf *b, unsigned opc6, struct asm_op d, struct asm_op a,
	       struct asm_op x, struct asm_op c, bool sat)
{
	unsigned tb = opc6 == 0x36 ? 3 : 4;
	u128 w = 0;

	put(&w, 0, 6, opc6);
	put(&w, 6, 1, sat);
	dst(&w, 60, d);
	src(&w, 16, 58, tb, 1, a);
	src(&w, 28, 56, tb, 1, x);
	src(&w, 40, 54, tb, 1, c);
	return emit(b, w, 6, 8, 15);
}

size_t asm_funary(struct asm_buf *b, unsigned op, struct asm_op d, struct asm_op a, bool sat)
{
	u128 w = 0;

	put(&w, 0, 6, 0x0a);
	put(&w, 6, 1, sat);
	put(&w, 28, 6, op);
	dst(&w, 44, d);
	src(&w, 16, 42, 4, 1, a);
	return emit(b, w, 4, 6, 15);
}

static void cmpsel_src(u128 *w, unsigned off, unsigned ext, struct asm_op o)
{
	unsigned t, v = o.idx;

	if (o.kind == 'i') {
		t = 4;
	} else if (o.kind == 'u') {
		t = 6 | ((v >> 8) & 1);
		v &= 0xff;
	} else {
		t = o.hint == 1 ? 2 : o.hint == 2 ? 3 : 1;
	}
	put(w, off, 6, v & 63);
	put(w, ext, 2, (v >> 6) & 3);
	put(w, off + 6, 3, t);
}

size_t asm_cmpsel(struct asm_buf *b, bool fp, unsigned cc, struct asm_op d, struct asm_op a,
		  struct asm_op c, struct asm_op x, struct asm_op y)
{
	u128 w = 0;

	put(&w, 0, 7, fp ? 0x02 : 0x12);
	put(&w, 61, 3, cc);
	dst(&w, 76, d);
	src(&w, 16, 74, 4, fp ? 1 : 0, a);
	src(&w, 28, 72, 4, fp ? 1 : 0, c);
	cmpsel_src(&w, 40, 70, x);
	cmpsel_src(&w, 52, 68, y);
	return emit(b, w, 8, 10, 15);
}

size_t asm_maskop(struct asm_buf *b, bool fp, unsigned kind, unsigned cc, bool ccn,
		  struct asm_op a, struct asm_op c, unsigned n)
{
	u128 w = 0;

	put(&w, 0, 7, fp ? 0x42 : 0x52);
	put(&w, 9, 2, kind);
	put(&w, 8, 1, ccn);
	put(&w, 11, 2, n);
	put(&w, 13, 3, cc);
	src(&w, 16, 42, 4, fp ? 1 : 0, a);
	src(&w, 28, 40, 4, fp ? 1 : 0, c);
	return emit(b, w, 6, 6, 15);
}

size_t asm_pop_exec(struct asm_buf *b, unsigned n)
{
	u128 w = 0;

	put(&w, 0, 7, 0x52);
	put(&w, 9, 2, 3);
	put(&w, 11, 2, n);
	return emit(b, w, 6, 6, 15);
}

size_t asm_jmp_exec(struct asm_buf *b, bool none, int32_t offset)
{
	u128 w = 0;

	put(&w, 0, 16, none ? 0xc020 : 0xc000);
	put(&w, 16, 32, (uint32_t)offset);
	return emit(b, w, 6, 6, 15);
}

static size_t two(struct asm_buf *b, unsigned v)
{
	u128 w = v;

	return emit(b, w, 2, 2, 15);
}

size_t asm_stop(struct asm_buf *b) { return two(b, 0x88); }
size_t asm_trap(struct asm_buf *b) { return two(b, 0x08); }
size_t asm_wait(struct asm_buf *b, unsigned slot) { return two(b, 0x38 | (slot << 8)); }

size_t asm_device(struct asm_buf *b, bool store, unsigned format, unsigned mask,
		  struct asm_op reg, struct asm_op base, struct asm_op index, bool idx_unsigned,
		  unsigned shift)
{
	u128 w = 0;
	unsigned ri = reg.idx, o = index.idx;

	put(&w, 0, 7, store ? 0x45 : 0x05);
	put(&w, 26, 1, 1);
	put(&w, 44, 3, 4);      /* normal cache mode, as compilers emit */
	put(&w, 7, 3, format & 7);
	put(&w, 48, 1, format >> 3);
	put(&w, 52, 4, mask);
	put(&w, 49, 1, reg.size == 32);
	put(&w, 10, 6, ri & 63);
	put(&w, 40, 2, ri >> 6);
	put(&w, 27, 1, base.kind == 'u');
	put(&w, 16, 4, base.idx & 15);
	put(&w, 36, 4, base.idx >> 4);
	put(&w, 24, 1, index.kind == 'i');
	put(&w, 20, 4, o & 15);
	put(&w, 32, 4, (o >> 4) & 15);
	put(&w, 56, 8, (o >> 8) & 0xff);
	put(&w, 25, 1, idx_unsigned);
	put(&w, 42, 2, shift);
	return emit(b, w, 6, 8, 47);
}

/* Stack ops: bit positions from applegpu's stack_load/store/get_ptr and
 * Mesa's agx_pack.c (facts); the unknown fields get the values Mesa
 * emits (i1 = 1, i5 = 4). */
size_t asm_stack(struct asm_buf *b, bool store, unsigned format, unsigned mask,
		 struct asm_op reg, struct asm_op offset)
{
	u128 w = 0;
	unsigned o = offset.idx;

	put(&w, 0, 8, store ? 0xb5 : 0x35);
	put(&w, 8, 2, format & 3);
	put(&w, 50, 2, format >> 2);
	put(&w, 10, 6, reg.idx & 63);
	put(&w, 40, 2, reg.idx >> 6);
	put(&w, 49, 1, reg.size == 32);
	put(&w, 52, 4, mask);
	put(&w, 24, 1, offset.kind == 'i');
	put(&w, 20, 4, o & 15);
	put(&w, 32, 4, (o >> 4) & 15);
	put(&w, 56, 8, (o >> 8) & 0xff);
	put(&w, 26, 1, 1);
	put(&w, 44, 3, 4);
	return emit(b, w, 6, 8, 47);
}

size_t asm_stack_adjust(struct asm_buf *b, int words)
{
	u128 w = 0;
	unsigned v = (unsigned)words & 0xffff;

	put(&w, 0, 8, 0xb5);
	put(&w, 16, 4, 1);
	put(&w, 24, 2, 1);
	put(&w, 26, 1, 1);
	put(&w, 36, 3, 2);
	put(&w, 20, 4, v & 15);
	put(&w, 32, 4, (v >> 4) & 15);
	put(&w, 56, 8, v >> 8);
	put(&w, 47, 1, 1);
	return emit(b, w, 8, 8, 47);
}

size_t asm_stack_get_ptr(struct asm_buf *b, struct asm_op d)
{
	u128 w = 0;

	put(&w, 0, 8, 0x35);
	put(&w, 16, 4, 1);
	put(&w, 48, 2, 2);
	put(&w, 10, 6, d.idx & 63);
	put(&w, 40, 2, d.idx >> 6);
	return emit(b, w, 6, 8, 47);
}

/* Atomics: applegpu's atomic / threadgroup_atomic fields, Mesa's values
 * for the unknown ones (u1 = 1, u3 = 1, u4 = 4, u5 = 2; threadgroup u3 =
 * 2, u4 = 0x80). */
size_t asm_atomic(struct asm_buf *b, unsigned op, struct asm_op d, struct asm_op base,
		  struct asm_op index, bool idx_unsigned, struct asm_op src)
{
	u128 w = 0;
	unsigned o = index.idx;

	put(&w, 0, 6, 0x15);
	put(&w, 6, 4, op);
	if (d.kind) {
		put(&w, 10, 6, d.idx & 63);
		put(&w, 40, 2, d.idx >> 6);
		put(&w, 47, 1, 1);
	}
	put(&w, 27, 1, base.kind == 'u');
	put(&w, 16, 4, base.idx & 15);
	put(&w, 36, 4, base.idx >> 4);
	put(&w, 24, 1, index.kind == 'i');
	put(&w, 20, 4, o & 15);
	put(&w, 32, 4, (o >> 4) & 15);
	put(&w, 56, 8, (o >> 8) & 0xff);
	put(&w, 25, 1, idx_unsigned);
	put(&w, 48, 8, src.idx);
	put(&w, 26, 1, 1);
	put(&w, 31, 1, 1);
	put(&w, 42, 3, 4);
	put(&w, 45, 2, 2);
	return emit(b, w, 8, 8, 47);
}

size_t asm_threadgroup_atomic(struct asm_buf *b, unsigned op, struct asm_op d,
			      struct asm_op base, struct asm_op index, struct asm_op src)
{
	u128 w = 0;

	put(&w, 0, 6, 0x19);
	put(&w, 24, 4, op);
	if (d.kind) {
		put(&w, 8, 1, d.size == 32);
		put(&w, 9, 6, d.idx & 63);
		put(&w, 60, 2, d.idx >> 6);
		put(&w, 38, 1, 1);
	}
	put(&w, 22, 2, base.kind == 'i' ? 2 : 0);
	put(&w, 16, 6, base.kind == 'i' ? 0 : base.idx & 63);
	put(&w, 58, 2, base.kind == 'i' ? 0 : (base.idx >> 6) & 3);
	put(&w, 34, 1, index.kind == 'i');
	put(&w, 28, 6, index.idx & 63);
	put(&w, 48, 10, index.idx >> 6);
	put(&w, 64, 8, src.idx);
	put(&w, 35, 3, 2);
	put(&w, 40, 8, 0x80);
	return emit(b, w, 6, 10, 15);
}

size_t asm_ballot(struct asm_buf *b, bool fp, bool quad, unsigned cc, bool ccn,
		  struct asm_op d, struct asm_op a, struct asm_op c)
{
	u128 w = 0;

	put(&w, 0, 7, fp ? 0x22 : 0x32);
	put(&w, 48, 1, !quad);
	put(&w, 61, 3, cc);
	put(&w, 47, 1, ccn);
	dst(&w, 44, d);
	src(&w, 16, 42, 4, fp ? 1 : 0, a);
	src(&w, 28, 40, 4, fp ? 1 : 0, c);
	return emit(b, w, 8, 8, 15);
}

size_t asm_subgroup(struct asm_buf *b, uint64_t exact, struct asm_op d, struct asm_op a,
		    struct asm_op bsrc)
{
	u128 w = exact;

	dst(&w, 44, d);
	src(&w, 16, 42, 4, 0, a);
	if (bsrc.kind)
		src(&w, 28, 40, 4, 0, bsrc);
	return emit(b, w, 6, 6, 15);
}

size_t asm_threadgroup(struct asm_buf *b, bool store, unsigned format, unsigned mask,
		       struct asm_op reg, struct asm_op base, struct asm_op index)
{
	u128 w = 0;
	unsigned at = base.kind == 'i' ? 2 : base.kind == 'u' ? (1 | ((base.idx >> 8) << 1)) : 0;

	put(&w, 0, 4, 0x9);
	put(&w, 5, 2, store ? 1 : 3);
	put(&w, 24, 4, format);
	put(&w, 36, 4, mask);
	put(&w, 8, 1, reg.size == 32);
	put(&w, 9, 6, reg.idx & 63);
	put(&w, 60, 2, reg.idx >> 6);
	put(&w, 22, 2, at);
	put(&w, 16, 6, base.kind == 'i' ? 0 : base.idx & 63);
	put(&w, 58, 2, base.kind == 'i' ? 0 : (base.idx >> 6) & 3);
	put(&w, 34, 1, index.kind == 'i');
	put(&w, 28, 6, index.idx & 63);
	put(&w, 48, 10, (index.idx >> 6) & 0x3ff);
	return emit(b, w, 6, 8, 15);
}

size_t asm_uniform_store(struct asm_buf *b, unsigned format, unsigned mask, struct asm_op reg,
			 unsigned uniform_half)
{
	u128 w = 0;

	put(&w, 0, 7, 0x45);
	put(&w, 28, 2, 3);
	put(&w, 27, 1, 1);
	put(&w, 7, 2, format);
	put(&w, 52, 4, mask);
	put(&w, 49, 1, reg.size == 32);
	put(&w, 10, 6, reg.idx & 63);
	put(&w, 40, 2, reg.idx >> 6);
	put(&w, 24, 1, 1);
	put(&w, 20, 4, uniform_half & 15);
	put(&w, 32, 4, (uniform_half >> 4) & 15);
	put(&w, 56, 8, uniform_half >> 8);
	return emit(b, w, 6, 8, 47);
}

size_t asm_st_var(struct asm_buf *b, unsigned reg, unsigned index, bool final)
{
	u128 w = 0;

	put(&w, 0, 10, final ? 0x91 : 0x11);
	put(&w, 10, 5, reg & 31);
	put(&w, 24, 2, reg >> 5);
	put(&w, 16, 6, index & 63);
	put(&w, 26, 2, index >> 6);
	put(&w, 23, 1, 1);      /* immediate index */
	put(&w, 31, 1, 1);      /* as compilers emit */
	return emit(b, w, 4, 4, 15);
}

static size_t iter_common(struct asm_buf *b, unsigned op2, struct asm_op d, unsigned count,
			  unsigned cf_i, unsigned cf_j, unsigned interp, unsigned sample)
{
	u128 w = 0;

	put(&w, 0, 6, 0x21);
	put(&w, 6, 2, op2);
	put(&w, 8, 1, d.size >= 32);
	put(&w, 9, 6, d.idx & 63);
	put(&w, 56, 2, d.idx >> 6);
	put(&w, 16, 6, cf_i & 63);
	put(&w, 58, 2, cf_i >> 6);
	put(&w, 24, 6, cf_j & 63);
	put(&w, 60, 2, cf_j >> 6);
	put(&w, 30, 2, count & 3);
	put(&w, 32, 8, interp == 1 ? sample : 0);
	put(&w, 48, 2, interp);
	return emit(b, w, 4, 8, 15);
}

size_t asm_iter(struct asm_buf *b, bool proj, struct asm_op d, unsigned count, unsigned cf_i,
		unsigned cf_j, unsigned interp, unsigned sample)
{
	return iter_common(b, proj ? 1 : 0, d, count, cf_i, proj ? cf_j : 0, interp, sample);
}

size_t asm_ldcf(struct asm_buf *b, struct asm_op d, unsigned count, unsigned cf_i)
{
	return iter_common(b, 2, d, count, cf_i, 0, 0, 0);
}

size_t asm_tile(struct asm_buf *b, bool load, unsigned fmt, unsigned mask, struct asm_op reg,
		unsigned offset, unsigned sample_mask)
{
	u128 w = 0;

	put(&w, 0, 6, 0x09);
	put(&w, 6, 1, load);
	put(&w, 8, 1, reg.size >= 32);
	put(&w, 9, 6, reg.idx & 63);
	put(&w, 60, 2, reg.idx >> 6);
	put(&w, 24, 4, fmt);
	put(&w, 28, 7, offset & 127);
	put(&w, 40, 2, offset >> 7);
	put(&w, 35, 1, load);
	put(&w, 36, 4, mask);
	put(&w, 42, 6, sample_mask & 63);
	put(&w, 56, 2, sample_mask >> 6);
	return emit(b, w, 8, 10, 15);
}

size_t asm_image_write_block(struct asm_buf *b, unsigned off_reg, unsigned ts, unsigned fmt)
{
	return asm_image_write_block_dim(b, off_reg, ts, fmt, 2);
}

size_t asm_image_write_block_dim(struct asm_buf *b, unsigned off_reg, unsigned ts, unsigned fmt,
				 unsigned dim)
{
	u128 w = 0;
	unsigned r = 2 * off_reg;

	put(&w, 0, 8, 0xb1);
	put(&w, 15, 1, 1);
	put(&w, 8, 1, fmt & 1);
	put(&w, 9, 6, r & 63);
	put(&w, 56, 2, r >> 6);
	put(&w, 31, 1, 1);      /* immediate LOD 0 */
	put(&w, 32, 6, ts & 63);
	put(&w, 62, 2, ts >> 6);
	put(&w, 40, 3, dim & 7);
	put(&w, 55, 1, dim >> 3);
	put(&w, 43, 4, 9);      /* as compilers emit */
	put(&w, 64, 3, fmt >> 1);
	put(&w, 67, 1, 1);
	for (unsigned i = 0; i < 10; i++)
		b->b[b->len + i] = (uint8_t)(w >> (8 * i));
	b->len += 10;
	return 10;
}

size_t asm_sample_mask(struct asm_buf *b, unsigned target, unsigned value)
{
	u128 w = 0;

	put(&w, 0, 8, 0xc1);
	put(&w, 8, 1, 1);
	put(&w, 9, 6, target & 63);
	put(&w, 24, 2, target >> 6);
	put(&w, 23, 1, 1);
	put(&w, 16, 6, value & 63);
	put(&w, 26, 2, value >> 6);
	return emit(b, w, 4, 4, 15);
}

size_t asm_zs_emit(struct asm_buf *b, unsigned target, unsigned t, bool z, bool s)
{
	u128 w = 0;

	put(&w, 0, 8, 0x41);
	put(&w, 8, 1, 1);
	put(&w, 9, 6, target & 63);
	put(&w, 24, 2, target >> 6);
	put(&w, 16, 6, t & 63);
	put(&w, 26, 2, t >> 6);
	put(&w, 29, 1, z);
	put(&w, 30, 1, s);
	return emit(b, w, 4, 4, 15);
}

static size_t texture_op(struct asm_buf *b, unsigned opc, struct asm_op d, unsigned coord,
			 unsigned ts, unsigned ss, unsigned mask)
{
	u128 w = 0;
	unsigned c = 2 * coord;

	put(&w, 0, 8, opc);
	put(&w, 56, 6, ss & 63);
	put(&w, 92, 2, ss >> 6);
	put(&w, 8, 1, d.size >= 32);
	put(&w, 9, 6, d.idx & 63);
	put(&w, 72, 2, d.idx >> 6);
	put(&w, 16, 6, c & 63);
	put(&w, 74, 2, c >> 6);
	put(&w, 32, 6, ts & 63);
	put(&w, 78, 2, ts >> 6);
	put(&w, 40, 3, 2);      /* 2D */
	put(&w, 43, 4, 12);     /* as compilers emit */
	put(&w, 48, 4, mask);
	return emit(b, w, 8, 12, 15);
}

size_t asm_texture_lod(struct asm_buf *b, bool sample, struct asm_op d, unsigned coord,
		       unsigned ts, unsigned ss, unsigned mask, unsigned lod_mode,
		       unsigned dhalf)
{
	size_t n = texture_op(b, sample ? 0x31 : 0x71, d, coord, ts, ss, mask);
	uint8_t *p = b->b + b->len - n;
	u128 w = 0;

	for (unsigned i = 0; i < n; i++)
		w |= (u128)p[i] << (8 * i);
	put(&w, 52, 4, lod_mode);
	put(&w, 24, 6, dhalf & 63);
	put(&w, 76, 2, dhalf >> 6);
	b->len -= n;
	/* the D extension bits live in the long form */
	put(&w, 15, 1, 0);
	return emit(b, w, 8, 12, 15);
}

size_t asm_texture_load(struct asm_buf *b, struct asm_op d, unsigned coord, unsigned ts,
			unsigned mask)
{
	return texture_op(b, 0x71, d, coord, ts, 0, mask);
}

size_t asm_texture_sample(struct asm_buf *b, struct asm_op d, unsigned coord, unsigned ts,
			  unsigned ss, unsigned mask)
{
	return texture_op(b, 0x31, d, coord, ts, ss, mask);
}
