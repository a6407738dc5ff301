/* SPDX-License-Identifier: MIT */
/*
 * exec_cf.c - control flow and the execution-mask stack.
 *
 * The mask "stack" is a per-lane nesting counter in r0l: a lane is active
 * iff its counter is 0. if/else/while/pop_exec update the counter of every
 * present lane (active or not) and then recompute the exec mask.
 */
#include "exec_internal.h"

static enum agxsim_isa_status exec_mask_op(struct agxsim_isa_state *s, const struct agx_insn *in)
{
	bool is_float = in->op == AGX_OP_IF_FCMP || in->op == AGX_OP_ELSE_FCMP ||
			in->op == AGX_OP_WHILE_FCMP;
	unsigned n = in->nest;
	uint32_t exec = 0;

	for (unsigned l = 0; l < AGX_SIMD_WIDTH; l++) {
		unsigned v = s->regs[l][0];
		bool ok = true, c = false;

		if (!(s->present & (1u << l)))
			continue;
		if (in->op != AGX_OP_POP_EXEC) {
			c = agxsim_compare(s, l, in, is_float, &ok);
			if (!ok)
				return agxsim_fault(s, AGXSIM_ISA_FAULT_ILLEGAL, in,
						    "unknown condition code");
		}
		switch (in->op) {
		case AGX_OP_IF_ICMP: case AGX_OP_IF_FCMP:
			if (v != 0)
				v += n;
			else if (!c)
				v = 1;
			break;
		case AGX_OP_ELSE_ICMP: case AGX_OP_ELSE_FCMP:
			if (v == 0)
				v = n;
			else if (v == 1)
				v = c ? 0 : 1;
			break;
		case AGX_OP_WHILE_ICMP: case AGX_OP_WHILE_FCMP:
			if (v < n)
				v = c ? 0 : n;
			break;
		default: /* pop_exec */
			v = v > n ? v - n : 0;
			break;
		}
		s->regs[l][0] = (uint16_t)v;
		if ((uint16_t)v == 0)
			exec |= 1u << l;
	}
	s->exec = exec;
	return AGXSIM_ISA_RUNNING;
}

static int lowest_active(const struct agxsim_isa_state *s)
{
	return s->exec ? __builtin_ctz(s->exec) : -1;
}

static void branch_to(struct agxsim_isa_state *s, uint64_t target)
{
	s->pc = target;
	s->branched = true;
}

enum agxsim_isa_status agxsim_exec_cf(struct agxsim_isa_state *s, const struct agx_insn *in)
{
	int l0;

	switch (in->op) {
	case AGX_OP_IF_ICMP: case AGX_OP_IF_FCMP:
	case AGX_OP_ELSE_ICMP: case AGX_OP_ELSE_FCMP:
	case AGX_OP_WHILE_ICMP: case AGX_OP_WHILE_FCMP:
	case AGX_OP_POP_EXEC:
		return exec_mask_op(s, in);
	case AGX_OP_JMP_EXEC_ANY:
		if (s->exec)
			branch_to(s, s->pc + (int64_t)in->offset);
		return AGXSIM_ISA_RUNNING;
	case AGX_OP_JMP_EXEC_NONE:
		if (!s->exec)
			branch_to(s, s->pc + (int64_t)in->offset);
		return AGXSIM_ISA_RUNNING;
	case AGX_OP_CALL:
		for_each_active(s, l)
			agxsim_set_reg32(s, l, 1, (uint32_t)(s->pc + in->size_B));
		branch_to(s, s->pc + (int64_t)in->offset);
		return AGXSIM_ISA_RUNNING;
	case AGX_OP_RET:
	case AGX_OP_CALL_REG: {
		uint64_t target;

		l0 = lowest_active(s);
		if (l0 < 0)
			return agxsim_fault(s, AGXSIM_ISA_FAULT_ILLEGAL, in,
					    "indirect branch with no active lane");
		target = (s->pc & ~0xffffffffull) |
			 (uint32_t)agxsim_src_bits(s, (unsigned)l0, &in->src[0]);
		if (in->op == AGX_OP_CALL_REG) {
			for_each_active(s, l)
				agxsim_set_reg32(s, l, 1, (uint32_t)(s->pc + in->size_B));
		}
		branch_to(s, target);
		return AGXSIM_ISA_RUNNING;
	}
	case AGX_OP_STOP:
		s->status = AGXSIM_ISA_STOPPED;
		return s->status;
	case AGX_OP_TRAP:
		return agxsim_fault(s, AGXSIM_ISA_FAULT_TRAP, in, "trap");
	case AGX_OP_WAIT:
	case AGX_OP_MEMORY_BARRIER:
		/* Loads complete synchronously; nothing to wait for. */
		return AGXSIM_ISA_RUNNING;
	case AGX_OP_THREADGROUP_BARRIER:
		if (s->hooks.barrier && s->hooks.barrier(s->hooks.ctx, s))
			return agxsim_fault(s, AGXSIM_ISA_FAULT_ILLEGAL, in, "barrier hook failed");
		return AGXSIM_ISA_RUNNING;
	default:
		return AGXSIM_NOT_MINE;
	}
}
