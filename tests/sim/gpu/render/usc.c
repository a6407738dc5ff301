/* SPDX-License-Identifier: MIT */
/*
 * usc.c - binding a shader from its USC word list (facts 2.6) for the
 * render path, and running one SIMD group of it.
 *
 * The list is read word by word: each word's tag (byte 0) selects its
 * struct; the list ends with the Preshader or No-preshader word. Unknown
 * tags, words that do not unpack cleanly, or lists longer than 64 words
 * fault.
 *
 * (The general USC binder of the GPU model lives outside render/; this one
 * only does what the render path needs and can be replaced by it.)
 */
#include <stdlib.h>
#include <string.h>

#include "render_internal.h"

#define USC_MAX_WORDS 64

static int load_uniforms(struct rp_pass *p, struct rp_shader *sh, unsigned start,
			 unsigned size_halfs, uint64_t buffer, const char *what)
{
	if (start + size_halfs > AGX_NUM_UNIFORM_HALVES)
		return rp_fail(p, -EINVAL, "%s: uniform word covers halves %u..%u (max %u)",
			       what, start, start + size_halfs - 1, AGX_NUM_UNIFORM_HALVES - 1);
	uint8_t tmp[128];
	int r = rp_read(p, buffer, tmp, 2 * size_halfs, what);
	if (r)
		return r;
	for (unsigned i = 0; i < size_halfs; i++)
		sh->uniforms[start + i] = (uint16_t)(tmp[2 * i] | (tmp[2 * i + 1] << 8));
	return 0;
}

int rp_bind_usc(struct rp_pass *p, uint64_t usc_offset, bool fragment,
		const struct rp_counts *counts, struct rp_shader *sh, const char *what)
{
	memset(sh, 0, sizeof(*sh));
	uint64_t va = p->env->usc_exec_base + usc_offset;
	sh->usc_va = va;
	bool have_code = false, have_regs = false;

	for (unsigned n = 0; n < USC_MAX_WORDS; n++) {
		uint8_t w[8];
		int r = rp_read(p, va, w, 1, what);
		if (r)
			return r;
		struct agx_usc_word_header hdr;
		agx_unpack_usc_word_header(w, &hdr);
		unsigned len;
		switch (hdr.tag) {
		case AGX_USC_CONTROL_TEXTURE: case AGX_USC_CONTROL_SAMPLER:
		case AGX_USC_CONTROL_UNIFORM: case AGX_USC_CONTROL_UNIFORM_HIGH:
		case AGX_USC_CONTROL_PRESHADER:
			len = 8; break;
		case AGX_USC_CONTROL_SHADER:
			len = 6; break;
		case AGX_USC_CONTROL_SHARED: case AGX_USC_CONTROL_REGISTERS:
		case AGX_USC_CONTROL_FRAGMENT_PROPERTIES:
			len = 4; break;
		case AGX_USC_CONTROL_NO_PRESHADER:
			len = 2; break;
		default:
			return rp_fail(p, -EINVAL, "%s: unknown USC word tag 0x%02x at 0x%llx",
				       what, w[0], (unsigned long long)va);
		}
		r = rp_read(p, va, w, len, what);
		if (r)
			return r;
		if (p->env->trace)
			fprintf(p->env->trace, "  USC %s @0x%llx\n",
				rp_str(agx_usc_control_as_str(hdr.tag)), (unsigned long long)va);

		unsigned bad = 0;
		switch (hdr.tag) {
		case AGX_USC_CONTROL_UNIFORM:
		case AGX_USC_CONTROL_UNIFORM_HIGH: {
			struct agx_usc_uniform u;
			if (hdr.tag == AGX_USC_CONTROL_UNIFORM) {
				bad = agx_unpack_usc_uniform(w, &u);
			} else {
				struct agx_usc_uniform_high uh;
				bad = agx_unpack_usc_uniform_high(w, &uh);
				u.start_halfs = uh.start_halfs + 256;
				u.size_halfs = uh.size_halfs;
				u.buffer = uh.buffer;
			}
			if (bad)
				break;
			if (counts && counts->uniform_halves &&
			    u.start_halfs + u.size_halfs > counts->uniform_halves)
				return rp_fail(p, -EINVAL,
					       "%s: uniform word loads halves up to %u, %u declared",
					       what, u.start_halfs + u.size_halfs - 1,
					       counts->uniform_halves);
			r = load_uniforms(p, sh, u.start_halfs, u.size_halfs, u.buffer, what);
			if (r)
				return r;
			break;
		}
		case AGX_USC_CONTROL_TEXTURE: {
			struct agx_usc_texture t;
			bad = agx_unpack_usc_texture(w, &t);
			if (bad)
				break;
			if (counts && counts->textures && t.start + t.count > counts->textures)
				return rp_fail(p, -EINVAL,
					       "%s: texture word loads ts%u..ts%u, %u declared", what,
					       t.start, t.start + t.count - 1, counts->textures);
			if (t.start + t.count > RP_MAX_TS)
				return rp_fail(p, -EINVAL, "%s: texture word loads ts%u..ts%u (max %u)",
					       what, t.start, t.start + t.count - 1, RP_MAX_TS - 1);
			for (unsigned i = 0; i < t.count; i++) {
				r = rp_read(p, t.buffer + 24 * i, sh->ts[t.start + i], 24, what);
				if (r)
					return r;
				sh->ts_valid[t.start + i] = true;
			}
			if (t.start + t.count > sh->ts_count)
				sh->ts_count = t.start + t.count;
			break;
		}
		case AGX_USC_CONTROL_SAMPLER: {
			struct agx_usc_sampler smp;
			bad = agx_unpack_usc_sampler(w, &smp);
			break; /* samplers: no texture sampling in the render path yet */
		}
		case AGX_USC_CONTROL_SHARED:
			bad = agx_unpack_usc_shared(w, &sh->shared);
			sh->has_shared = true;
			break;
		case AGX_USC_CONTROL_SHADER: {
			struct agx_usc_shader s;
			bad = agx_unpack_usc_shader(w, &s);
			sh->code_va = p->env->usc_exec_base + s.code;
			have_code = true;
			break;
		}
		case AGX_USC_CONTROL_REGISTERS: {
			struct agx_usc_registers rg;
			bad = agx_unpack_usc_registers(w, &rg);
			sh->register_count = rg.register_count;
			have_regs = true;
			break;
		}
		case AGX_USC_CONTROL_FRAGMENT_PROPERTIES:
			bad = agx_unpack_usc_fragment_properties(w, &sh->frag_props);
			sh->has_frag_props = true;
			if (!fragment && !bad)
				return rp_fail(p, -EINVAL, "%s: fragment properties in a vertex pipeline",
					       what);
			break;
		case AGX_USC_CONTROL_PRESHADER: {
			struct agx_usc_preshader ps;
			bad = agx_unpack_usc_preshader(w, &ps);
			sh->has_preshader = true;
			sh->preshader_va = p->env->usc_exec_base + ps.code;
			break;
		}
		case AGX_USC_CONTROL_NO_PRESHADER: {
			struct agx_usc_no_preshader np;
			bad = agx_unpack_usc_no_preshader(w, &np);
			break;
		}
		default:
			break;
		}
		if (bad)
			return rp_fail(p, -EINVAL, "%s: malformed USC %s word at 0x%llx (unpack 0x%x)",
				       what, rp_str(agx_usc_control_as_str(hdr.tag)),
				       (unsigned long long)va, bad);
		va += len;
		if (hdr.tag == AGX_USC_CONTROL_PRESHADER || hdr.tag == AGX_USC_CONTROL_NO_PRESHADER) {
			if (!have_code)
				return rp_fail(p, -EINVAL, "%s: USC word list without a Shader word", what);
			if (!have_regs)
				return rp_fail(p, -EINVAL, "%s: USC word list without a Registers word",
					       what);
			return 0;
		}
	}
	return rp_fail(p, -EINVAL, "%s: USC word list not terminated within %u words", what,
		       USC_MAX_WORDS);
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

	memcpy(s->uniforms, sh->uniforms, sizeof(s->uniforms));
	if (sh->has_preshader) {
		struct agxsim_isa_state *pre = calloc(1, sizeof(*pre));
		if (!pre)
			return rp_fail(p, -ENOMEM, "out of memory");
		agxsim_isa_init(pre, 1, sh->preshader_va, rp_shader_mem(p));
		memcpy(pre->uniforms, sh->uniforms, sizeof(pre->uniforms));
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
