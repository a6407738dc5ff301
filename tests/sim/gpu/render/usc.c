/* SPDX-License-Identifier: MIT */
/*
 * usc.c - the render path's use of the GPU model's USC binder
 * (agxsim_usc_parse(), gpu/usc.c), and running one SIMD group of a bound
 * shader.
 *
 * The binder's malformed-input code (-EPROTO) becomes the render path's
 * -EINVAL with the binder's message; memory faults stay -EFAULT with the
 * fault; the vertex and fragment stages may omit the Shared word
 * (ASSUMPTIONS.md R16).
 */
#include <stdlib.h>
#include <string.h>

#include "render_internal.h"

int rp_decode_counts(struct rp_pass *p, uint32_t word, struct rp_counts *counts,
		     const char *what)
{
	struct agxsim_gpu_error err;
	memset(counts, 0, sizeof(*counts));
	if (agxsim_usc_decode_counts(word & 0xffffu, &counts->c, &err))
		return rp_fail(p, -EINVAL, "%s: %s", what, err.msg);
	counts->declared = true;
	return 0;
}

int rp_bind_usc(struct rp_pass *p, uint64_t usc_offset, bool fragment,
		const struct rp_counts *counts, struct rp_shader *sh, const char *what)
{
	struct agxsim_gpu_error err;
	if (usc_offset > UINT32_MAX)
		return rp_fail(p, -EINVAL, "%s: USC offset 0x%llx out of range", what,
			       (unsigned long long)usc_offset);
	int r = agxsim_usc_parse(p->env->mem, p->env->usc_exec_base, (uint32_t)usc_offset,
				 fragment ? AGXSIM_USC_STAGE_FRAGMENT : AGXSIM_USC_STAGE_VERTEX,
				 counts && counts->declared ? &counts->c : NULL, &sh->b,
				 p->env->trace, &err);
	if (!r)
		return 0;
	if (r == -EFAULT) {
		if (p->fault)
			*p->fault = err.fault;
		return rp_fail(p, -EFAULT, "%s: %s", what, err.msg);
	}
	return rp_fail(p, r == -ETIMEDOUT ? -ETIMEDOUT : -EINVAL, "%s: %s", what, err.msg);
}

/*
 * Run @s (already initialised: lanes, registers, hooks) to completion.
 * Runs the preshader first when the pipeline has one: a one-lane group
 * whose uniform registers become the main shader's.
 */
int rp_run_group(struct rp_pass *p, const struct rp_shader *sh, struct agxsim_isa_state *s,
		 const char *what)
{
	uint64_t budget = p->env->max_shader_insns ? p->env->max_shader_insns : 1000000;

	memcpy(s->uniforms, sh->b.uniforms, sizeof(s->uniforms));
	if (sh->b.has_preshader) {
		struct agxsim_isa_state *pre = calloc(1, sizeof(*pre));
		if (!pre)
			return rp_fail(p, -ENOMEM, "out of memory");
		agxsim_isa_init(pre, 1, sh->b.preshader_pc, rp_shader_mem(p));
		memcpy(pre->uniforms, sh->b.uniforms, sizeof(pre->uniforms));
		enum agxsim_isa_status st = agxsim_isa_run(pre, budget);
		if (st != AGXSIM_ISA_STOPPED) {
			int err = st == AGXSIM_ISA_STEP_LIMIT ? -ETIMEDOUT :
				  st == AGXSIM_ISA_FAULT_MEM ? -EFAULT : -EINVAL;
			if (st == AGXSIM_ISA_FAULT_MEM && p->fault)
				*p->fault = pre->mem_fault;
			rp_fail(p, err, "%s preshader: %s at pc 0x%llx: %s", what,
				agxsim_isa_status_name(st), (unsigned long long)pre->pc,
				pre->fault_msg);
			free(pre);
			return err;
		}
		memcpy(s->uniforms, pre->uniforms, sizeof(s->uniforms));
		free(pre);
	}

	enum agxsim_isa_status st = agxsim_isa_run(s, budget);
	if (st == AGXSIM_ISA_STOPPED)
		return 0;
	int err = st == AGXSIM_ISA_STEP_LIMIT ? -ETIMEDOUT :
		  st == AGXSIM_ISA_FAULT_MEM ? -EFAULT : -EINVAL;
	if (st == AGXSIM_ISA_FAULT_MEM && p->fault)
		*p->fault = s->mem_fault;
	/* A hook may already have set a more precise message. */
	if (p->hook_err) {
		err = p->hook_err;
		p->hook_err = 0;
		return err;
	}
	return rp_fail(p, err, "%s: %s at pc 0x%llx: %s", what, agxsim_isa_status_name(st),
		       (unsigned long long)s->pc, s->fault_msg);
}
