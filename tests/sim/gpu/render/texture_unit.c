/* SPDX-License-Identifier: MIT */
/*
 * texture_unit.c - the render path's texel fetch offered to the GPU
 * model's compute dispatch as its texture unit (agxsim_gpu_texture_fn):
 * texture_load of 2D textures, level 0, linear or GPU-tiled (R9, R10), and
 * texture_sample (sampler.c) with the binding's sampler state registers.
 */
#include <string.h>

#include "render_internal.h"
#include "agxsim/gpu.h"
#include "agxsim/usc.h"

int agxsim_render_texture(void *ctx, const struct agxsim_gpu_job *job,
			  const struct agxsim_usc_binding *b, struct agxsim_isa_state *s,
			  const struct agx_insn *insn)
{
	(void)ctx;
	struct agxsim_render_env env = {
		.mem = job->shader_mem ? job->shader_mem : job->mem,
		.usc_exec_base = job->usc_exec_base,
	};
	struct agxsim_render_result res;
	struct agxsim_fault fault;
	struct rp_pass p;
	memset(&p, 0, sizeof(p));
	memset(&res, 0, sizeof(res));
	p.env = &env;
	p.res = &res;
	p.fault = &fault;
	unsigned tt = (unsigned)rp_fld(insn, "Tt"), t = (unsigned)rp_fld(insn, "T");
	if (tt != 0 || t >= AGXSIM_USC_MAX_TEXTURES ||
	    !(b->textures_loaded[t / 64] & (1ull << (t % 64))))
		return -EINVAL;
	int r;
	if (insn->op == AGX_OP_TEXTURE_SAMPLE) {
		unsigned st = (unsigned)rp_fld(insn, "St"), sn = (unsigned)rp_fld(insn, "S");
		if (st != 0 || sn >= AGXSIM_USC_MAX_SAMPLERS || !(b->samplers_loaded >> sn & 1))
			return -EINVAL;
		r = rp_texture_sample(&p, b->textures[t], b->samplers[sn], b->samplers_extended, s,
				      insn, rp_fld);
	} else if (insn->op == AGX_OP_TEXTURE_LOAD) {
		r = rp_texture_load(&p, b->textures[t], s, insn, rp_fld);
	} else {
		return -EINVAL;
	}
	if (r && res.msg[0])
		snprintf(s->fault_msg, sizeof(s->fault_msg), "texture unit: %.160s", res.msg);
	if (r == -EFAULT) {
		s->mem_fault = fault;
		s->mem_errno = r;
	}
	return r;
}
