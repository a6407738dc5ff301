/* SPDX-License-Identifier: MIT */
/*
 * exec.c - interpreter core: instruction fetch through the memory
 * interface, operand access, dispatch to the per-class executors, and the
 * fault reporting for unknown or unimplemented encodings.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "exec_internal.h"

static uint16_t half_at(const uint16_t *file, unsigned n, unsigned i)
{
	return file[i % n];
}

uint64_t agxsim_src_bits(const struct agxsim_isa_state *s, unsigned lane,
			 const struct agx_operand *o)
{
	const uint16_t *file;
	unsigned n, halves;
	uint64_t v = 0;

	switch (o->kind) {
	case AGX_OPND_IMM:
	case AGX_OPND_FIMM:
		return o->imm;
	case AGX_OPND_REG:
		file = s->regs[lane];
		n = AGX_NUM_GPR_HALVES;
		break;
	case AGX_OPND_UREG:
		file = s->uniforms;
		n = AGX_NUM_UNIFORM_HALVES;
		break;
	default:
		return 0;
	}
	halves = o->size / 16;
	for (unsigned i = 0; i < halves; i++)
		v |= (uint64_t)half_at(file, n, o->index + i) << (16 * i);
	return v;
}

int64_t agxsim_src_int(const struct agxsim_isa_state *s, unsigned lane,
		       const struct agx_operand *o)
{
	uint64_t v = agxsim_src_bits(s, lane, o);

	if (o->sx && o->kind != AGX_OPND_IMM && o->size < 64) {
		unsigned sh = 64 - o->size;

		return (int64_t)(v << sh) >> sh;
	}
	return (int64_t)v;
}

double agxsim_src_float(const struct agxsim_isa_state *s, unsigned lane,
			const struct agx_operand *o)
{
	uint64_t bits = agxsim_src_bits(s, lane, o);
	double d;

	if (o->kind == AGX_OPND_FIMM)
		d = agx_fimm8_to_double(o->imm);
	else if (o->kind == AGX_OPND_IMM)
		d = (double)o->imm;
	else if (o->size == 16)
		d = agx_f16_to_double((uint16_t)bits);
	else
		d = agx_f32_to_double((uint32_t)bits, true);
	if (o->abs)
		d = __builtin_fabs(d);
	if (o->neg)
		d = -d;
	return d;
}

void agxsim_write_dst(struct agxsim_isa_state *s, unsigned lane,
		      const struct agx_operand *o, uint64_t v)
{
	unsigned halves = o->size / 16;

	if (o->kind != AGX_OPND_REG)
		return;
	for (unsigned i = 0; i < halves; i++)
		s->regs[lane][(o->index + i) % AGX_NUM_GPR_HALVES] = (uint16_t)(v >> (16 * i));
}

void agxsim_write_float(struct agxsim_isa_state *s, unsigned lane,
			const struct agx_operand *o, double r, bool f32_first, bool sat)
{
	if (f32_first) /* fp32 operations round to binary32 first */
		r = agx_f32_to_double(agx_double_to_f32(r, true, false), true);
	if (sat)
		r = agx_saturate(r);
	if (o->size == 16)
		agxsim_write_dst(s, lane, o, agx_double_to_f16(r, false, false));
	else
		agxsim_write_dst(s, lane, o, agx_double_to_f32(r, true, false));
}

enum agxsim_isa_status agxsim_fault(struct agxsim_isa_state *s,
				    enum agxsim_isa_status st,
				    const struct agx_insn *in, const char *why)
{
	char bytes[3 * AGX_MAX_INSN_SIZE_B + 1] = "";
	unsigned n = in && in->size_B ? in->size_B : 4;

	size_t len = 0;

	for (unsigned i = 0; in && i < n && i < AGX_MAX_INSN_SIZE_B; i++)
		len += (size_t)snprintf(bytes + len, sizeof(bytes) - len, "%s%02x",
					i ? " " : "", in->bytes[i]);
	snprintf(s->fault_msg, sizeof(s->fault_msg), "%s at PC 0x%llx (bytes %s)%s%s",
		 why, (unsigned long long)s->pc, bytes,
		 in && in->op != AGX_OP_UNKNOWN ? ": " : "",
		 in && in->op != AGX_OP_UNKNOWN ? in->name : "");
	s->status = st;
	return st;
}

void agxsim_isa_init(struct agxsim_isa_state *s, unsigned threads, uint64_t pc,
		     const struct agxsim_mem_if *mem)
{
	memset(s, 0, offsetof(struct agxsim_isa_state, stack));
	if (threads > AGX_SIMD_WIDTH)
		threads = AGX_SIMD_WIDTH;
	s->present = threads == 32 ? 0xffffffffu : ((1u << threads) - 1);
	s->exec = s->present;
	s->pc = pc;
	s->mem = mem;
	s->status = AGXSIM_ISA_RUNNING;
}

const char *agxsim_isa_status_name(enum agxsim_isa_status st)
{
	switch (st) {
	case AGXSIM_ISA_RUNNING: return "running";
	case AGXSIM_ISA_STOPPED: return "stopped";
	case AGXSIM_ISA_FAULT_UNIMPL: return "unimplemented";
	case AGXSIM_ISA_FAULT_MEM: return "memory_fault";
	case AGXSIM_ISA_FAULT_TRAP: return "trap";
	case AGXSIM_ISA_FAULT_ILLEGAL: return "illegal";
	case AGXSIM_ISA_STEP_LIMIT: return "step_limit";
	}
	return "?";
}

enum agxsim_isa_status agxsim_isa_exec(struct agxsim_isa_state *s, const struct agx_insn *in)
{
	enum agxsim_isa_status st;

	if (in->op == AGX_OP_UNKNOWN)
		return agxsim_fault(s, AGXSIM_ISA_FAULT_UNIMPL, in, "unimplemented instruction");
	if (in->reserved_operand)
		return agxsim_fault(s, AGXSIM_ISA_FAULT_ILLEGAL, in, "reserved operand encoding");
	st = agxsim_exec_cf(s, in);
	if (st == AGXSIM_NOT_MINE)
		st = agxsim_exec_alu(s, in);
	if (st == AGXSIM_NOT_MINE)
		st = agxsim_exec_mem(s, in);
	if (st == AGXSIM_NOT_MINE)
		return agxsim_fault(s, AGXSIM_ISA_FAULT_UNIMPL, in, "unimplemented instruction");
	return st;
}

/* Read as many instruction bytes at pc as are mapped (up to 12). */
static size_t fetch(struct agxsim_isa_state *s, uint8_t *buf, struct agxsim_fault *f)
{
	for (size_t n = AGX_MAX_INSN_SIZE_B; n >= 2; n -= 2) {
		if (agxsim_mem_read(s->mem, s->pc, buf, n, f) == 0)
			return n;
	}
	return 0;
}

enum agxsim_isa_status agxsim_isa_step(struct agxsim_isa_state *s)
{
	uint8_t buf[AGX_MAX_INSN_SIZE_B] = { 0 };
	struct agxsim_isa_dcache_entry *ce;
	const struct agx_insn *in;
	size_t avail;
	uint64_t pc = s->pc;
	enum agxsim_isa_status st;

	if (s->status != AGXSIM_ISA_RUNNING)
		return s->status;
	avail = fetch(s, buf, &s->mem_fault);
	if (!avail) {
		snprintf(s->fault_msg, sizeof(s->fault_msg),
			 "instruction fetch fault at PC 0x%llx", (unsigned long long)pc);
		s->status = AGXSIM_ISA_FAULT_MEM;
		return s->status;
	}
	ce = &s->dcache[(pc >> 1) % AGXSIM_ISA_DCACHE_ENTRIES];
	if (ce->avail_B == avail && ce->pc == pc && !memcmp(ce->raw, buf, avail)) {
		in = &ce->insn;
	} else {
		if (!agx_decode(buf, avail, &ce->insn)) {
			ce->avail_B = 0;
			memcpy(ce->insn.bytes, buf, avail < 4 ? avail : 4);
			return agxsim_fault(s, AGXSIM_ISA_FAULT_UNIMPL, &ce->insn,
					    "unimplemented instruction");
		}
		ce->pc = pc;
		ce->avail_B = (uint8_t)avail;
		memcpy(ce->raw, buf, avail);
		in = &ce->insn;
	}
	if (s->trace)
		s->trace(s->trace_ctx, pc, in);
	s->branched = false;
	st = agxsim_isa_exec(s, in);
	if (st != AGXSIM_ISA_RUNNING)
		return st;
	s->insn_count++;
	if (!s->branched)
		s->pc = pc + in->size_B;
	return s->status;
}

enum agxsim_isa_status agxsim_isa_run(struct agxsim_isa_state *s, uint64_t max_insns)
{
	for (uint64_t i = 0; i < max_insns; i++) {
		if (agxsim_isa_step(s) != AGXSIM_ISA_RUNNING)
			return s->status;
	}
	snprintf(s->fault_msg, sizeof(s->fault_msg),
		 "instruction budget of %llu exhausted at PC 0x%llx",
		 (unsigned long long)max_insns, (unsigned long long)s->pc);
	s->status = AGXSIM_ISA_STEP_LIMIT;
	return s->status;
}
