/* SPDX-License-Identifier: MIT */
/* exec_internal.h - shared helpers of the interpreter files. */
#ifndef AGXSIM_EXEC_INTERNAL_H
#define AGXSIM_EXEC_INTERNAL_H

#include "agxsim_isa.h"
#include "fp.h"

uint64_t agxsim_src_bits(const struct agxsim_isa_state *s, unsigned lane,
			 const struct agx_operand *o);
/* Integer value: zero- or sign-extended (o->sx) to 64 bits. */
int64_t agxsim_src_int(const struct agxsim_isa_state *s, unsigned lane,
		       const struct agx_operand *o);
double agxsim_src_float(const struct agxsim_isa_state *s, unsigned lane,
			const struct agx_operand *o);
void agxsim_write_dst(struct agxsim_isa_state *s, unsigned lane,
		      const struct agx_operand *o, uint64_t v);
/* Store a float result (f64 after round-to-odd) to a 16/32-bit dest. */
void agxsim_write_float(struct agxsim_isa_state *s, unsigned lane,
			const struct agx_operand *o, double r, bool f32_first, bool sat);

enum agxsim_isa_status agxsim_fault(struct agxsim_isa_state *s,
				    enum agxsim_isa_status st,
				    const struct agx_insn *in, const char *why);

bool agxsim_compare(const struct agxsim_isa_state *s, unsigned lane,
		    const struct agx_insn *in, bool is_float, bool *ok);

enum agxsim_isa_status agxsim_exec_alu(struct agxsim_isa_state *s, const struct agx_insn *in);
enum agxsim_isa_status agxsim_exec_cf(struct agxsim_isa_state *s, const struct agx_insn *in);
enum agxsim_isa_status agxsim_exec_mem(struct agxsim_isa_state *s, const struct agx_insn *in);

#define AGXSIM_NOT_MINE ((enum agxsim_isa_status)-1)

#define for_each_active(s, lane) \
	for (unsigned lane = 0; lane < AGX_SIMD_WIDTH; lane++) \
		if ((s)->exec & (1u << lane))

#endif
