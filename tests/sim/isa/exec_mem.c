/* SPDX-License-Identifier: MIT */
/*
 * exec_mem.c - device memory (through struct agxsim_mem_if), threadgroup
 * memory, uniform stores, and the hooks for texture/image/varying/tile
 * units.
 */
#include <errno.h>
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

/* Element size of the simple normalized formats (loads only); 0 = not. */
static unsigned norm_format_size_B(unsigned format)
{
	switch (format) {
	case 4: case 5: return 1; /* u8norm, s8norm */
	case 6: case 7: return 2; /* u16norm, s16norm */
	default: return 0;
	}
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

	if (!item_B && !store) {
		item_B = norm_format_size_B(in->format);
		norm = item_B != 0;
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
				memcpy(buf, &v, item_B);
				err = agxsim_mem_write(s->mem, va, buf, item_B, &s->mem_fault);
			} else {
				err = agxsim_mem_read(s->mem, va, buf, item_B, &s->mem_fault);
				memcpy(&v, buf, item_B);
				if (norm)
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
