/* SPDX-License-Identifier: MIT */
/*
 * exec_mem.c - device memory (through struct agxsim_mem_if), threadgroup
 * memory, uniform stores, and the hooks for texture/image/varying/tile
 * units.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "exec_internal.h"

/* Element size of raw (non-converting) memory formats; 0 = not modelled. */
static unsigned raw_format_size_B(unsigned format)
{
	switch (format) {
	case 0: return 1; /* i8 */
	case 1: return 2; /* i16 */
	case 2: return 4; /* i32 */
	case 3: return 2; /* f16: moved as raw 16-bit data */
	default: return 0;
	}
}

/* Element size of the simple normalized formats; 0 = not one. */
static unsigned norm_format_size_B(unsigned format)
{
	switch (format) {
	case 4: case 5: return 1; /* u8norm, s8norm */
	case 6: case 7: return 2; /* u16norm, s16norm */
	case 10: return 1;        /* srgba8 (loads only) */
	default: return 0;
	}
}

/* Float (from a 16/32-bit register) -> normalized integer (stores). */
static uint32_t pack_norm(unsigned format, uint32_t bits, unsigned reg_size)
{
	double d = reg_size == 16 ? agx_f16_to_double((uint16_t)bits)
				  : agx_f32_to_double(bits, false);
	bool sgn = format == 5 || format == 7;
	double scale = format <= 5 ? (sgn ? 127.0 : 255.0) : (sgn ? 32767.0 : 65535.0);
	double lo = sgn ? -1.0 : 0.0;

	if (isnan(d))
		d = 0.0;
	d = d < lo ? lo : d > 1.0 ? 1.0 : d;
	return (uint32_t)(int32_t)nearbyint(d * scale);
}

/*
 * sRGB-encoded byte -> linear: the usual transfer function, quantised to
 * 12 bits (k / 4095), which is what applegpu's hardware-derived table holds
 * (ASSUMPTIONS-isa).
 */
static double srgb_to_linear(unsigned v)
{
	double c = v / 255.0;
	double lin = c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);

	return nearbyint(lin * 4095.0) / 4095.0;
}

/* Unsigned small floats of rg11b10f: 5-bit exponent, @mbits mantissa. */
static double small_float(uint32_t v, unsigned mbits)
{
	unsigned e = (v >> mbits) & 31, m = v & ((1u << mbits) - 1);

	if (e == 0)
		return ldexp((double)m, -14 - (int)mbits);
	if (e == 31)
		return m ? NAN : INFINITY;
	return ldexp(1.0 + (double)m / (1u << mbits), (int)e - 15);
}

static uint32_t float_to_reg(double d, unsigned reg_size)
{
	return reg_size == 16 ? agx_double_to_f16(d, false, false)
			      : agx_double_to_f32(d, false, false);
}

/*
 * The bit-packed load formats (applegpu's device_load description): one
 * aligned 32-bit word at base + (offset << 2), mask and shift ignored,
 * unpacked to floats in 4 (rgb10a2) or 3 (rg11b10f, rgb9e5) registers.
 */
static enum agxsim_isa_status load_bitpacked(struct agxsim_isa_state *s,
					     const struct agx_insn *in, unsigned lane,
					     uint64_t addr, int64_t index)
{
	const struct agx_operand *r = &in->dst;
	uint64_t va = (addr & ~3ull) + (uint64_t)(index * 4);
	uint32_t w;
	double out[4];
	unsigned n;
	int err;

	err = agxsim_mem_read(s->mem, va, &w, 4, &s->mem_fault);
	if (err) {
		s->mem_errno = err;
		return agxsim_fault(s, AGXSIM_ISA_FAULT_MEM, in, "device memory fault");
	}
	if (in->format == 8) {
		n = 4;
		for (unsigned c = 0; c < 3; c++)
			out[c] = ((w >> (10 * c)) & 1023) / 1023.0;
		out[3] = (w >> 30) / 3.0;
	} else if (in->format == 12) {
		n = 3;
		out[0] = small_float(w & 0x7ff, 6);
		out[1] = small_float((w >> 11) & 0x7ff, 6);
		out[2] = small_float(w >> 22, 5);
	} else {
		int e = (int)(w >> 27) - 15;

		n = 3;
		for (unsigned c = 0; c < 3; c++)
			out[c] = ldexp((double)((w >> (9 * c)) & 0x1ff) / 512.0, e);
	}
	for (unsigned c = 0; c < n; c++) {
		struct agx_operand reg = *r;

		reg.count = 1;
		reg.index = r->index + c * (r->size / 16);
		agxsim_write_dst(s, lane, &reg, float_to_reg(out[c], reg.size));
	}
	return AGXSIM_ISA_RUNNING;
}

/* Normalized integer -> float in the register's size (16 or 32 bits). */
static uint32_t unpack_norm(unsigned format, uint32_t v, unsigned reg_size)
{
	double d;

	switch (format) {
	case 4: d = v / 255.0; break;
	case 5: d = (int8_t)v < -127 ? -1.0 : (int8_t)v / 127.0; break;
	case 6: d = v / 65535.0; break;
	default: d = (int16_t)v < -32767 ? -1.0 : (int16_t)v / 32767.0; break;
	}
	return reg_size == 16 ? agx_double_to_f16(d, false, false)
			      : agx_double_to_f32(d, false, false);
}

static uint64_t base_address(const struct agxsim_isa_state *s, unsigned lane,
			     const struct agx_operand *o)
{
	struct agx_operand b = *o;

	b.size = 64;
	b.sx = false;
	return agxsim_src_bits(s, lane, &b);
}

static int64_t mem_index(const struct agxsim_isa_state *s, unsigned lane,
			 const struct agx_insn *in, const struct agx_operand *o)
{
	if (o->kind == AGX_OPND_IMM)
		return (int16_t)o->imm;
	if (in->mem_unsigned)
		return (int64_t)(uint32_t)agxsim_src_bits(s, lane, o);
	return (int64_t)(int32_t)agxsim_src_bits(s, lane, o);
}

static enum agxsim_isa_status mem_fault(struct agxsim_isa_state *s, const struct agx_insn *in,
					int err)
{
	s->mem_errno = err;
	return agxsim_fault(s, AGXSIM_ISA_FAULT_MEM, in, "device memory fault");
}

static enum agxsim_isa_status exec_device(struct agxsim_isa_state *s, const struct agx_insn *in)
{
	bool store = in->op == AGX_OP_DEVICE_STORE;
	unsigned item_B = raw_format_size_B(in->format);
	unsigned shift = in->shift == 3 ? 2 : in->shift;
	const struct agx_operand *r = &in->dst;
	bool norm = false;

	bool packed = !store && (in->format == 8 || in->format == 12 || in->format == 13);

	if (!item_B && !(store && in->format == 10)) {
		item_B = norm_format_size_B(in->format);
		norm = item_B != 0;
	}
	if (packed) {
		for_each_active(s, l) {
			enum agxsim_isa_status st =
				load_bitpacked(s, in, l, base_address(s, l, &in->src[0]),
					       mem_index(s, l, in, &in->src[1]));
			if (st != AGXSIM_ISA_RUNNING)
				return st;
		}
		return AGXSIM_ISA_RUNNING;
	}
	if (!item_B)
		return agxsim_fault(s, AGXSIM_ISA_FAULT_UNIMPL, in,
				    "unimplemented memory format");
	if (item_B == 4 && r->size != 32)
		return agxsim_fault(s, AGXSIM_ISA_FAULT_ILLEGAL, in,
				    "32-bit format with 16-bit registers");
	for_each_active(s, l) {
		uint64_t addr = base_address(s, l, &in->src[0]);
		int64_t off = mem_index(s, l, in, &in->src[1]) * ((int64_t)1 << shift);

		if (store && (s->helper & (1u << l)))
			continue;
		unsigned k = 0;

		addr &= ~(uint64_t)(item_B - 1);
		for (unsigned c = 0; c < 4; c++) {
			struct agx_operand reg = *r;
			uint64_t va = addr + (uint64_t)((off + c) * (int64_t)item_B);
			uint8_t buf[4] = { 0 };
			uint32_t v = 0;
			int err;

			if (!(in->comp_mask & (1u << c)))
				continue;
			reg.count = 1;
			reg.index = r->index + k * (r->size / 16);
			k++;
			if (store) {
				v = (uint32_t)agxsim_src_bits(s, l, &reg);
				if (norm)
					v = pack_norm(in->format, v, reg.size);
				memcpy(buf, &v, item_B);
				err = agxsim_mem_write(s->mem, va, buf, item_B, &s->mem_fault);
			} else {
				err = agxsim_mem_read(s->mem, va, buf, item_B, &s->mem_fault);
				memcpy(&v, buf, item_B);
				if (in->format == 10)
					v = c == 3 ? float_to_reg(v / 255.0, reg.size)
						   : float_to_reg(srgb_to_linear(v), reg.size);
				else if (norm)
					v = unpack_norm(in->format, v, reg.size);
				if (!err)
					agxsim_write_dst(s, l, &reg, v);
			}
			if (err)
				return mem_fault(s, in, err);
		}
	}
	return AGXSIM_ISA_RUNNING;
}

static enum agxsim_isa_status exec_threadgroup(struct agxsim_isa_state *s, const struct agx_insn *in)
{
	bool store = in->op == AGX_OP_THREADGROUP_STORE;
	unsigned item_B = raw_format_size_B(in->format);
	const struct agx_operand *r = store ? &in->src[2] : &in->dst;

	if (!item_B)
		return agxsim_fault(s, AGXSIM_ISA_FAULT_UNIMPL, in, "unimplemented memory format");
	for_each_active(s, l) {
		uint64_t base = in->src[0].kind == AGX_OPND_IMM ? 0 :
				(uint16_t)agxsim_src_bits(s, l, &in->src[0]);
		int64_t idx = in->src[1].kind == AGX_OPND_IMM ? (int16_t)in->src[1].imm :
			      (int16_t)agxsim_src_bits(s, l, &in->src[1]);
		unsigned k = 0;

		for (unsigned c = 0; c < 4; c++) {
			struct agx_operand reg = *r;
			int64_t a = (int64_t)base + (idx + c) * (int64_t)item_B;
			uint32_t v = 0;

			if (!(in->comp_mask & (1u << c)))
				continue;
			reg.count = 1;
			reg.index = r->index + k * (r->size / 16);
			k++;
			if (a < 0 || (uint64_t)a + item_B > s->threadgroup_size_B) {
				s->mem_fault.reason = AGXSIM_FAULT_UNMAPPED;
				s->mem_fault.access = store ? AGXSIM_ACCESS_WRITE : AGXSIM_ACCESS_READ;
				s->mem_fault.va = (uint64_t)a;
				s->mem_errno = -EFAULT;
				return agxsim_fault(s, AGXSIM_ISA_FAULT_MEM, in,
						    "threadgroup memory out of range");
			}
			if (store) {
				v = (uint32_t)agxsim_src_bits(s, l, &reg);
				memcpy(s->threadgroup + a, &v, item_B);
			} else {
				memcpy(&v, s->threadgroup + a, item_B);
				agxsim_write_dst(s, l, &reg, v);
			}
		}
	}
	return AGXSIM_ISA_RUNNING;
}

/* uniform_store: data from the lowest active lane, to uniform half O. */
static enum agxsim_isa_status exec_uniform_store(struct agxsim_isa_state *s,
						 const struct agx_insn *in)
{
	const struct agx_operand *r = &in->src[0];
	unsigned item_halves = in->format == 2 ? 2 : in->format == 1 ? 1 : 0;
	unsigned dst, k = 0;
	int l0;

	if (!item_halves || in->src[1].kind != AGX_OPND_IMM)
		return agxsim_fault(s, AGXSIM_ISA_FAULT_UNIMPL, in, "unimplemented uniform_store form");
	if (!s->exec)
		return AGXSIM_ISA_RUNNING;
	l0 = __builtin_ctz(s->exec);
	dst = in->src[1].imm;
	for (unsigned c = 0; c < 4; c++) {
		struct agx_operand reg = *r;
		uint32_t v;

		if (!(in->comp_mask & (1u << c)))
			continue;
		reg.count = 1;
		reg.size = item_halves * 16;
		reg.index = r->index + k * item_halves;
		v = (uint32_t)agxsim_src_bits(s, (unsigned)l0, &reg);
		for (unsigned h = 0; h < item_halves; h++)
			s->uniforms[(dst + c * item_halves + h) % AGX_NUM_UNIFORM_HALVES] =
				(uint16_t)(v >> (16 * h));
		k++;
	}
	return AGXSIM_ISA_RUNNING;
}

/* ---- stack (ASSUMPTIONS-isa I-STACK) ------------------------------------ */

static enum agxsim_isa_status stack_fault(struct agxsim_isa_state *s, const struct agx_insn *in,
					  bool store, uint64_t a, const char *why)
{
	s->mem_fault.reason = AGXSIM_FAULT_UNMAPPED;
	s->mem_fault.access = store ? AGXSIM_ACCESS_WRITE : AGXSIM_ACCESS_READ;
	s->mem_fault.va = a;
	s->mem_errno = -EFAULT;
	return agxsim_fault(s, AGXSIM_ISA_FAULT_MEM, in, why);
}

static enum agxsim_isa_status exec_stack_adjust(struct agxsim_isa_state *s,
						const struct agx_insn *in)
{
	int64_t delta_B = 4 * (int64_t)(int16_t)in->imm32;

	for (unsigned l = 0; l < AGX_SIMD_WIDTH; l++) {
		int64_t sp = (int64_t)s->stack_sp[l] + delta_B;

		if (!(s->present & (1u << l)))
			continue;
		if (sp < 0 || sp > AGXSIM_ISA_STACK_B)
			return stack_fault(s, in, true, (uint64_t)sp,
					   sp < 0 ? "stack_adjust below the stack base"
						  : "stack overflow (simulator limit "
						    "per thread, ASSUMPTIONS-isa)");
		if (sp > s->stack_sp[l])
			memset(&s->stack[l][s->stack_sp[l]], 0, (size_t)sp - s->stack_sp[l]);
		s->stack_sp[l] = (uint32_t)sp;
	}
	return AGXSIM_ISA_RUNNING;
}

static enum agxsim_isa_status exec_stack(struct agxsim_isa_state *s, const struct agx_insn *in)
{
	bool store = in->op == AGX_OP_STACK_STORE;
	unsigned item_B = raw_format_size_B(in->format);
	const struct agx_operand *r = store ? &in->src[1] : &in->dst;

	if (!item_B)
		return agxsim_fault(s, AGXSIM_ISA_FAULT_UNIMPL, in, "unimplemented memory format");
	if (item_B == 4 && r->size != 32)
		return agxsim_fault(s, AGXSIM_ISA_FAULT_ILLEGAL, in,
				    "32-bit format with 16-bit registers");
	for_each_active(s, l) {
		uint64_t off = in->src[0].kind == AGX_OPND_IMM ? in->src[0].imm :
			       (uint32_t)agxsim_src_bits(s, l, &in->src[0]);
		unsigned k = 0;

		for (unsigned c = 0; c < 4; c++) {
			struct agx_operand reg = *r;
			uint64_t a = off + (uint64_t)c * item_B;
			uint32_t v = 0;

			if (!(in->comp_mask & (1u << c)))
				continue;
			reg.count = 1;
			reg.index = r->index + k * (r->size / 16);
			k++;
			if (a + item_B > s->stack_sp[l])
				return stack_fault(s, in, store, a,
						   "stack access beyond what stack_adjust allocated");
			if (store) {
				v = (uint32_t)agxsim_src_bits(s, l, &reg);
				memcpy(&s->stack[l][a], &v, item_B);
			} else {
				memcpy(&v, &s->stack[l][a], item_B);
				agxsim_write_dst(s, l, &reg, v);
			}
		}
	}
	return AGXSIM_ISA_RUNNING;
}

/* ---- atomics ------------------------------------------------------------ */

/* The operation @op (applegpu's atomic opcodes) on @old; false if unknown.
 * cmpxchg: @v is {new (low 32), compare (high 32)}. */
static bool atomic_op(unsigned op, uint32_t old, uint64_t v, uint32_t *out)
{
	uint32_t x = (uint32_t)v;

	switch (op) {
	case 0: *out = old + x; return true;
	case 1: *out = old - x; return true;
	case 2: *out = x; return true;
	case 3: *out = old == (uint32_t)(v >> 32) ? x : old; return true;
	case 4: *out = old < x ? old : x; return true;
	case 5: *out = (int32_t)old < (int32_t)x ? old : x; return true;
	case 6: *out = old > x ? old : x; return true;
	case 7: *out = (int32_t)old > (int32_t)x ? old : x; return true;
	case 8: *out = old & x; return true;
	case 9: *out = old | x; return true;
	case 10: *out = old ^ x; return true;
	default: return false;
	}
}

static enum agxsim_isa_status exec_atomic(struct agxsim_isa_state *s, const struct agx_insn *in)
{
	bool local = in->op == AGX_OP_THREADGROUP_ATOMIC;
	uint32_t dummy;

	if (!atomic_op(in->mode, 0, 0, &dummy))
		return agxsim_fault(s, AGXSIM_ISA_FAULT_UNIMPL, in, "unimplemented atomic operation");
	if (in->dst.kind != AGX_OPND_NONE && in->dst.size != 32)
		return agxsim_fault(s, AGXSIM_ISA_FAULT_ILLEGAL, in,
				    "atomic with a 16-bit destination");
	/* Lanes in ascending order, each read-modify-write complete. */
	for_each_active(s, l) {
		uint64_t v = agxsim_src_bits(s, l, &in->src[2]);
		uint32_t old, nv;

		if (s->helper & (1u << l))
			continue;

		if (local) {
			uint64_t base = in->src[0].kind == AGX_OPND_IMM ? 0 :
					(uint16_t)agxsim_src_bits(s, l, &in->src[0]);
			int64_t idx = in->src[1].kind == AGX_OPND_IMM ?
				      (int16_t)in->src[1].imm :
				      (int16_t)agxsim_src_bits(s, l, &in->src[1]);
			int64_t a = (int64_t)base + idx * 4;

			if (a < 0 || (a & 3) || (uint64_t)a + 4 > s->threadgroup_size_B) {
				s->mem_fault.reason = AGXSIM_FAULT_UNMAPPED;
				s->mem_fault.access = AGXSIM_ACCESS_WRITE;
				s->mem_fault.va = (uint64_t)a;
				s->mem_errno = -EFAULT;
				return agxsim_fault(s, AGXSIM_ISA_FAULT_MEM, in,
						    "threadgroup atomic out of range or unaligned");
			}
			memcpy(&old, s->threadgroup + a, 4);
			atomic_op(in->mode, old, v, &nv);
			memcpy(s->threadgroup + a, &nv, 4);
		} else {
			uint64_t va = (base_address(s, l, &in->src[0]) & ~3ull) +
				      (uint64_t)(mem_index(s, l, in, &in->src[1]) * 4);
			int err = agxsim_mem_read(s->mem, va, &old, 4, &s->mem_fault);

			if (!err) {
				atomic_op(in->mode, old, v, &nv);
				if (in->mode != 3 || nv != old)
					err = agxsim_mem_write(s->mem, va, &nv, 4, &s->mem_fault);
			}
			if (err)
				return mem_fault(s, in, err);
		}
		if (in->dst.kind != AGX_OPND_NONE)
			agxsim_write_dst(s, l, &in->dst, old);
	}
	return AGXSIM_ISA_RUNNING;
}

static enum agxsim_isa_status call_hook(struct agxsim_isa_state *s, const struct agx_insn *in,
					int (*hook)(void *, struct agxsim_isa_state *,
						    const struct agx_insn *))
{
	if (!hook)
		return agxsim_fault(s, AGXSIM_ISA_FAULT_UNIMPL, in,
				    "unimplemented instruction (no hook)");
	if (hook(s->hooks.ctx, s, in))
		return agxsim_fault(s, AGXSIM_ISA_FAULT_ILLEGAL, in, "hook failed");
	return s->status;
}

enum agxsim_isa_status agxsim_exec_mem(struct agxsim_isa_state *s, const struct agx_insn *in)
{
	switch (in->op) {
	case AGX_OP_DEVICE_LOAD: case AGX_OP_DEVICE_STORE:
		return exec_device(s, in);
	case AGX_OP_DEVICE_LOAD_UNK: case AGX_OP_DEVICE_STORE_UNK:
		return agxsim_fault(s, AGXSIM_ISA_FAULT_UNIMPL, in,
				    "unimplemented instruction (device memory access variant "
				    "with undocumented bits)");
	case AGX_OP_THREADGROUP_LOAD: case AGX_OP_THREADGROUP_STORE:
		return exec_threadgroup(s, in);
	case AGX_OP_UNIFORM_STORE:
		return exec_uniform_store(s, in);
	case AGX_OP_STACK_LOAD: case AGX_OP_STACK_STORE:
		return exec_stack(s, in);
	case AGX_OP_STACK_ADJUST:
		return exec_stack_adjust(s, in);
	case AGX_OP_STACK_GET_PTR:
		for_each_active(s, l)
			agxsim_write_dst(s, l, &in->dst, s->stack_sp[l]);
		return AGXSIM_ISA_RUNNING;
	case AGX_OP_ATOMIC: case AGX_OP_THREADGROUP_ATOMIC:
		return exec_atomic(s, in);
	case AGX_OP_TEXTURE_SAMPLE: case AGX_OP_TEXTURE_LOAD:
		return call_hook(s, in, s->hooks.texture);
	case AGX_OP_IMAGE_WRITE: case AGX_OP_IMAGE_WRITE_BLOCK:
		return call_hook(s, in, s->hooks.image_write);
	case AGX_OP_ITER: case AGX_OP_ITERPROJ: case AGX_OP_LDCF:
	case AGX_OP_ST_VAR: case AGX_OP_ST_VAR_FINAL: case AGX_OP_NO_VAR:
		return call_hook(s, in, s->hooks.varying);
	case AGX_OP_LD_ST_TILE:
		return call_hook(s, in, s->hooks.tile);
	case AGX_OP_SAMPLE_MASK: case AGX_OP_ZS_EMIT:
		return call_hook(s, in, s->hooks.fragment_out);
	default:
		return AGXSIM_NOT_MINE;
	}
}
