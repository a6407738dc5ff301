/* SPDX-License-Identifier: MIT */
/*
 * usc.c - parse a USC word list into a shader binding (see agxsim/usc.h).
 *
 * Every word is decoded with the genxml unpack helpers; any unpack flag
 * (wrong tag, reserved bits, unnamed enum value) is a malformed-input
 * fault. Buffers the words point at (uniform data, descriptor arrays) are
 * read through the same mem_if port, so an unmapped buffer is a memory
 * fault with the address the port reports.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "agx_pack.h"
#include "agxsim/usc.h"

int agxsim_gpu_error_set(struct agxsim_gpu_error *err, int code, uint64_t va,
			 const char *fmt, ...)
{
	if (!err)
		return code;
	err->code = code;
	err->va = va;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

/* A memory fault while reading @what at @va. */
static int mem_fault(struct agxsim_gpu_error *err, int ret, uint64_t va,
		     const struct agxsim_fault *f, const char *what)
{
	if (err)
		err->fault = *f;
	if (ret != -EFAULT)
		ret = -EFAULT;
	return agxsim_gpu_error_set(err, ret, f->va ? f->va : va,
				    "memory fault reading %s at 0x%llx (fault VA 0x%llx)",
				    what, (unsigned long long)va,
				    (unsigned long long)f->va);
}

static const char *unpack_why(unsigned flags)
{
	if (flags & AGX_UNPACK_BAD_EXACT)
		return "wrong tag or fixed bits";
	if (flags & AGX_UNPACK_RESERVED)
		return "reserved bits set";
	if (flags & AGX_UNPACK_BAD_ENUM)
		return "unnamed enum value";
	return "bad overlay";
}

int agxsim_usc_decode_counts(uint32_t word, struct agxsim_usc_counts *c,
			     struct agxsim_gpu_error *err)
{
	struct agx_counts v;
	unsigned flags = agx_unpack_counts(&word, &v);

	if (flags)
		return agxsim_gpu_error_set(err, -EPROTO, 0,
					    "register-count word 0x%08x malformed (%s)",
					    word, unpack_why(flags));
	memset(c, 0, sizeof(*c));
	c->uniform_halves = v.uniform_register_count;
	c->textures = v.texture_state_register_count;
	c->preshader_regs = v.preshader_register_count;
	switch (v.sampler_state_register_count) {
	case AGX_SAMPLER_STATES_0: c->samplers = 0; break;
	case AGX_SAMPLER_STATES_4_COMPACT: c->samplers = 4; break;
	case AGX_SAMPLER_STATES_8_COMPACT: c->samplers = 8; break;
	case AGX_SAMPLER_STATES_12_COMPACT: c->samplers = 12; break;
	case AGX_SAMPLER_STATES_16_COMPACT: c->samplers = 16; break;
	case AGX_SAMPLER_STATES_8_EXTENDED:
		c->samplers = 8;
		c->samplers_extended = true;
		break;
	case AGX_SAMPLER_STATES_16_EXTENDED:
		c->samplers = 16;
		c->samplers_extended = true;
		break;
	default:
		return agxsim_gpu_error_set(err, -EPROTO, 0,
					    "register-count word 0x%08x: bad sampler states",
					    word);
	}
	return 0;
}

void agxsim_usc_load_uniforms(const struct agxsim_usc_binding *b,
			      uint16_t *uniforms)
{
	memcpy(uniforms, b->uniforms, sizeof(b->uniforms));
}

/* Length in bytes of the word with tag @tag, 0 if the tag is unknown. */
static unsigned word_length(uint8_t tag)
{
	switch (tag) {
	case AGX_USC_CONTROL_TEXTURE: return AGX_USC_TEXTURE_LENGTH;
	case AGX_USC_CONTROL_SAMPLER: return AGX_USC_SAMPLER_LENGTH;
	case AGX_USC_CONTROL_UNIFORM: return AGX_USC_UNIFORM_LENGTH;
	case AGX_USC_CONTROL_UNIFORM_HIGH: return AGX_USC_UNIFORM_HIGH_LENGTH;
	case AGX_USC_CONTROL_SHARED: return AGX_USC_SHARED_LENGTH;
	case AGX_USC_CONTROL_SHADER: return AGX_USC_SHADER_LENGTH;
	case AGX_USC_CONTROL_REGISTERS: return AGX_USC_REGISTERS_LENGTH;
	case AGX_USC_CONTROL_PRESHADER: return AGX_USC_PRESHADER_LENGTH;
	case AGX_USC_CONTROL_NO_PRESHADER: return AGX_USC_NO_PRESHADER_LENGTH;
	case AGX_USC_CONTROL_FRAGMENT_PROPERTIES:
		return AGX_USC_FRAGMENT_PROPERTIES_LENGTH;
	default: return 0;
	}
}

static const char *stage_name(enum agxsim_usc_stage s)
{
	switch (s) {
	case AGXSIM_USC_STAGE_COMPUTE: return "compute";
	case AGXSIM_USC_STAGE_VERTEX: return "vertex";
	case AGXSIM_USC_STAGE_FRAGMENT: return "fragment";
	}
	return "?";
}

struct parse {
	const struct agxsim_mem_if *mem;
	uint64_t base;
	const struct agxsim_usc_counts *counts;
	struct agxsim_usc_binding *b;
	FILE *trace;
	struct agxsim_gpu_error *err;
};

static void trace_word(struct parse *p, uint64_t va, const char *name)
{
	fprintf(p->trace, "  %010llx: USC %s\n", (unsigned long long)va, name);
}

static int load_uniforms(struct parse *p, uint64_t word_va, const char *name,
			 unsigned start, unsigned size, uint64_t buffer)
{
	struct agxsim_usc_binding *b = p->b;
	struct agxsim_fault f = { 0 };
	uint16_t tmp[64];
	int ret;

	if (start + size > AGXSIM_USC_UNIFORM_HALVES)
		return agxsim_gpu_error_set(p->err, -EPROTO, word_va,
					    "%s word at 0x%llx loads halves %u..%u, past the uniform file (512)",
					    name, (unsigned long long)word_va,
					    start, start + size - 1);
	if (p->counts && start + size > p->counts->uniform_halves)
		return agxsim_gpu_error_set(p->err, -EPROTO, word_va,
					    "%s word at 0x%llx loads halves %u..%u, past the declared uniform count %u",
					    name, (unsigned long long)word_va,
					    start, start + size - 1,
					    p->counts->uniform_halves);
	ret = agxsim_mem_read(p->mem, buffer, tmp, size * 2u, &f);
	if (ret)
		return mem_fault(p->err, ret, buffer, &f, "uniform data");
	for (unsigned i = 0; i < size; i++) {
		b->uniforms[start + i] = tmp[i];
		b->uniforms_loaded[(start + i) / 64] |= 1ull << ((start + i) % 64);
	}
	return 0;
}

static int load_textures(struct parse *p, uint64_t word_va,
			 const struct agx_usc_texture *w)
{
	struct agxsim_usc_binding *b = p->b;
	struct agxsim_fault f = { 0 };

	if (w->start + w->count > AGXSIM_USC_MAX_TEXTURES)
		return agxsim_gpu_error_set(p->err, -EPROTO, word_va,
					    "USC Texture word at 0x%llx loads registers %u..%u, past 256",
					    (unsigned long long)word_va, w->start,
					    w->start + w->count - 1);
	if (p->counts && w->start + w->count > p->counts->textures)
		return agxsim_gpu_error_set(p->err, -EPROTO, word_va,
					    "USC Texture word at 0x%llx loads registers %u..%u, past the declared texture count %u",
					    (unsigned long long)word_va, w->start,
					    w->start + w->count - 1, p->counts->textures);
	for (unsigned i = 0; i < w->count; i++) {
		uint64_t va = w->buffer + (uint64_t)i * AGXSIM_USC_TEXTURE_DESC_B;
		unsigned r = w->start + i;
		int ret = agxsim_mem_read(p->mem, va, b->textures[r],
					  AGXSIM_USC_TEXTURE_DESC_B, &f);
		if (ret)
			return mem_fault(p->err, ret, va, &f, "texture descriptor");
		b->textures_loaded[r / 64] |= 1ull << (r % 64);
		if (r + 1 > b->texture_high)
			b->texture_high = r + 1;
	}
	return 0;
}

static int load_samplers(struct parse *p, uint64_t word_va,
			 const struct agx_usc_sampler *w)
{
	struct agxsim_usc_binding *b = p->b;
	struct agxsim_fault f = { 0 };
	bool ext = p->counts && p->counts->samplers_extended;
	unsigned stride = AGXSIM_USC_SAMPLER_DESC_B + (ext ? AGXSIM_USC_BORDER_B : 0);

	if (w->start + w->count > AGXSIM_USC_MAX_SAMPLERS)
		return agxsim_gpu_error_set(p->err, -EPROTO, word_va,
					    "USC Sampler word at 0x%llx loads registers %u..%u, past 16",
					    (unsigned long long)word_va, w->start,
					    w->start + w->count - 1);
	if (p->counts && w->start + w->count > p->counts->samplers)
		return agxsim_gpu_error_set(p->err, -EPROTO, word_va,
					    "USC Sampler word at 0x%llx loads registers %u..%u, past the declared sampler count %u",
					    (unsigned long long)word_va, w->start,
					    w->start + w->count - 1, p->counts->samplers);
	b->samplers_extended = ext;
	for (unsigned i = 0; i < w->count; i++) {
		uint64_t va = w->buffer + (uint64_t)i * stride;
		unsigned r = w->start + i;
		memset(b->samplers[r], 0, sizeof(b->samplers[r]));
		int ret = agxsim_mem_read(p->mem, va, b->samplers[r], stride, &f);
		if (ret)
			return mem_fault(p->err, ret, va, &f, "sampler descriptor");
		b->samplers_loaded |= 1u << r;
	}
	return 0;
}

#define BAD_WORD(name, flags)                                                 \
	agxsim_gpu_error_set(p->err, -EPROTO, va,                             \
			     "malformed %s word at 0x%llx (%s): %02x %02x %02x %02x %02x %02x %02x %02x", \
			     name, (unsigned long long)va, unpack_why(flags),     \
			     w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7])

#define DUP_WORD(name)                                                        \
	agxsim_gpu_error_set(p->err, -EPROTO, va,                             \
			     "second %s word at 0x%llx in one USC list",          \
			     name, (unsigned long long)va)

int agxsim_usc_parse(const struct agxsim_mem_if *mem, uint64_t usc_exec_base,
		     uint32_t pipeline_offset, enum agxsim_usc_stage stage,
		     const struct agxsim_usc_counts *counts,
		     struct agxsim_usc_binding *b, void *trace,
		     struct agxsim_gpu_error *err)
{
	struct parse pp = {
		.mem = mem, .base = usc_exec_base, .counts = counts, .b = b,
		.trace = trace, .err = err,
	}, *p = &pp;
	uint64_t start = usc_exec_base + pipeline_offset;
	bool have_shared = false, have_shader = false, have_regs = false;
	uint32_t off = 0;

	if (err)
		memset(err, 0, sizeof(*err));
	memset(b, 0, sizeof(*b));
	b->usc_va = start;
	b->stage = stage;
	if (!mem)
		return agxsim_gpu_error_set(err, -EINVAL, start, "no memory port");
	if (pipeline_offset & 63)
		return agxsim_gpu_error_set(err, -EPROTO, start,
					    "USC word list at 0x%llx is not 64-byte aligned",
					    (unsigned long long)start);
	if (p->trace)
		fprintf(p->trace, "USC %s pipeline at 0x%llx:\n", stage_name(stage),
			(unsigned long long)start);

	for (;;) {
		uint64_t va = start + off;
		uint8_t w[8] = { 0 };
		struct agxsim_fault f = { 0 };
		unsigned len, flags;
		int ret;

		if (off >= AGXSIM_USC_MAX_LIST_B)
			return agxsim_gpu_error_set(err, -EPROTO, start,
						    "USC word list at 0x%llx has no Preshader/No preshader word within %u bytes",
						    (unsigned long long)start,
						    AGXSIM_USC_MAX_LIST_B);
		ret = agxsim_mem_read(mem, va, w, 1, &f);
		if (ret)
			return mem_fault(err, ret, va, &f, "USC word");
		len = word_length(w[0]);
		if (!len)
			return agxsim_gpu_error_set(err, -EPROTO, va,
						    "unknown USC word tag 0x%02x at 0x%llx",
						    w[0], (unsigned long long)va);
		ret = agxsim_mem_read(mem, va, w, len, &f);
		if (ret)
			return mem_fault(err, ret, va, &f, "USC word");
		off += len;
		b->word_count++;

		switch (w[0]) {
		case AGX_USC_CONTROL_UNIFORM:
		case AGX_USC_CONTROL_UNIFORM_HIGH: {
			bool high = w[0] == AGX_USC_CONTROL_UNIFORM_HIGH;
			const char *name = high ? "USC Uniform High" : "USC Uniform";
			unsigned s, n;
			uint64_t buf;
			if (high) {
				struct agx_usc_uniform_high u;
				if ((flags = agx_unpack_usc_uniform_high(w, &u)))
					return BAD_WORD(name, flags);
				if (p->trace) {
					trace_word(p, va, "Uniform High");
					agx_print_usc_uniform_high(p->trace, &u, 4);
				}
				s = 256 + u.start_halfs, n = u.size_halfs, buf = u.buffer;
			} else {
				struct agx_usc_uniform u;
				if ((flags = agx_unpack_usc_uniform(w, &u)))
					return BAD_WORD(name, flags);
				if (p->trace) {
					trace_word(p, va, "Uniform");
					agx_print_usc_uniform(p->trace, &u, 4);
				}
				s = u.start_halfs, n = u.size_halfs, buf = u.buffer;
			}
			if ((ret = load_uniforms(p, va, name, s, n, buf)))
				return ret;
			break;
		}
		case AGX_USC_CONTROL_TEXTURE: {
			struct agx_usc_texture t;
			if ((flags = agx_unpack_usc_texture(w, &t)))
				return BAD_WORD("USC Texture", flags);
			if (p->trace) {
				trace_word(p, va, "Texture");
				agx_print_usc_texture(p->trace, &t, 4);
			}
			if ((ret = load_textures(p, va, &t)))
				return ret;
			break;
		}
		case AGX_USC_CONTROL_SAMPLER: {
			struct agx_usc_sampler s;
			if ((flags = agx_unpack_usc_sampler(w, &s)))
				return BAD_WORD("USC Sampler", flags);
			if (p->trace) {
				trace_word(p, va, "Sampler");
				agx_print_usc_sampler(p->trace, &s, 4);
			}
			if ((ret = load_samplers(p, va, &s)))
				return ret;
			break;
		}
		case AGX_USC_CONTROL_SHARED: {
			struct agx_usc_shared s;
			if ((flags = agx_unpack_usc_shared(w, &s)))
				return BAD_WORD("USC Shared", flags);
			if (have_shared)
				return DUP_WORD("USC Shared");
			have_shared = true;
			b->has_shared = true;
			if (p->trace) {
				trace_word(p, va, "Shared");
				agx_print_usc_shared(p->trace, &s, 4);
			}
			b->uses_shared_memory = s.uses_shared_memory;
			b->shared_layout = s.layout;
			b->sample_count = s.sample_count;
			b->sample_stride_8B = s.sample_stride_in_8_bytes;
			b->shared_bytes_per_tg = s.bytes_per_threadgroup;
			b->threadgroup_mem_B = s.uses_shared_memory ?
					       s.bytes_per_threadgroup : 0;
			if (stage != AGXSIM_USC_STAGE_FRAGMENT &&
			    s.layout != AGX_SHARED_LAYOUT_VERTEX_COMPUTE)
				return agxsim_gpu_error_set(err, -EPROTO, va,
							    "USC Shared word at 0x%llx: tile layout 0x%x in a %s pipeline",
							    (unsigned long long)va, s.layout,
							    stage_name(stage));
			break;
		}
		case AGX_USC_CONTROL_SHADER: {
			struct agx_usc_shader s;
			if ((flags = agx_unpack_usc_shader(w, &s)))
				return BAD_WORD("USC Shader", flags);
			if (have_shader)
				return DUP_WORD("USC Shader");
			have_shader = true;
			if (p->trace) {
				trace_word(p, va, "Shader");
				agx_print_usc_shader(p->trace, &s, 4);
			}
			b->code_offset = s.code;
			b->pc = usc_exec_base + s.code;
			b->loads_varyings = s.loads_varyings;
			b->shader_unk_9 = s.unk_9;
			b->shader_unk_10 = s.unk_10;
			if (b->pc & 1)
				return agxsim_gpu_error_set(err, -EPROTO, va,
							    "USC Shader word at 0x%llx: code address 0x%llx is odd",
							    (unsigned long long)va,
							    (unsigned long long)b->pc);
			if (s.loads_varyings && stage != AGXSIM_USC_STAGE_FRAGMENT)
				return agxsim_gpu_error_set(err, -EPROTO, va,
							    "USC Shader word at 0x%llx: loads varyings in a %s pipeline",
							    (unsigned long long)va,
							    stage_name(stage));
			break;
		}
		case AGX_USC_CONTROL_REGISTERS: {
			struct agx_usc_registers r;
			if ((flags = agx_unpack_usc_registers(w, &r)))
				return BAD_WORD("USC Registers", flags);
			if (have_regs)
				return DUP_WORD("USC Registers");
			have_regs = true;
			if (p->trace) {
				trace_word(p, va, "Registers");
				agx_print_usc_registers(p->trace, &r, 4);
			}
			b->gpr_halves = r.register_count;
			b->spill_size = r.spill_size;
			b->regs_unk_13 = r.unk_13;
			b->regs_unk_24 = r.unk_24;
			break;
		}
		case AGX_USC_CONTROL_FRAGMENT_PROPERTIES: {
			struct agx_usc_fragment_properties fp;
			if ((flags = agx_unpack_usc_fragment_properties(w, &fp)))
				return BAD_WORD("USC Fragment Properties", flags);
			if (stage != AGXSIM_USC_STAGE_FRAGMENT)
				return agxsim_gpu_error_set(err, -EPROTO, va,
							    "USC Fragment Properties word at 0x%llx in a %s pipeline",
							    (unsigned long long)va,
							    stage_name(stage));
			if (b->has_fragment_props)
				return DUP_WORD("USC Fragment Properties");
			if (p->trace) {
				trace_word(p, va, "Fragment Properties");
				agx_print_usc_fragment_properties(p->trace, &fp, 4);
			}
			b->has_fragment_props = true;
			b->early_z_testing = fp.early_z_testing;
			b->unconditional_discard_1 = fp.unconditional_discard_1;
			b->unconditional_discard_2 = fp.unconditional_discard_2;
			memcpy(&b->fragment_props_raw, w, 4);
			break;
		}
		case AGX_USC_CONTROL_PRESHADER:
		case AGX_USC_CONTROL_NO_PRESHADER: {
			if (w[0] == AGX_USC_CONTROL_PRESHADER) {
				struct agx_usc_preshader ps;
				if ((flags = agx_unpack_usc_preshader(w, &ps)))
					return BAD_WORD("USC Preshader", flags);
				if (p->trace) {
					trace_word(p, va, "Preshader");
					agx_print_usc_preshader(p->trace, &ps, 4);
				}
				b->has_preshader = true;
				b->preshader_offset = ps.code;
				b->preshader_pc = usc_exec_base + ps.code;
				if (b->preshader_pc & 1)
					return agxsim_gpu_error_set(err, -EPROTO, va,
								    "USC Preshader word at 0x%llx: code address 0x%llx is odd",
								    (unsigned long long)va,
								    (unsigned long long)b->preshader_pc);
			} else {
				struct agx_usc_no_preshader np;
				if ((flags = agx_unpack_usc_no_preshader(w, &np)))
					return BAD_WORD("USC No Preshader", flags);
				if (p->trace) {
					trace_word(p, va, "No Preshader");
					agx_print_usc_no_preshader(p->trace, &np, 4);
				}
			}
			b->list_size_B = off;
			/* Vertex and fragment pipelines without a tile or
			 * threadgroup allocation may leave Shared out. */
			if (stage != AGXSIM_USC_STAGE_COMPUTE)
				have_shared = true;
			if (!have_shared || !have_shader || !have_regs)
				return agxsim_gpu_error_set(err, -EPROTO, va,
							    "USC word list at 0x%llx ends at 0x%llx without a%s%s%s word",
							    (unsigned long long)start,
							    (unsigned long long)va,
							    have_shared ? "" : " Shared",
							    have_shader ? "" : " Shader",
							    have_regs ? "" : " Registers");
			return 0;
		}
		}
		/* Words after Shared/Shader/Registers other than fragment
		 * properties are out of order. */
		if ((have_shared || have_shader || have_regs) &&
		    (w[0] == AGX_USC_CONTROL_UNIFORM ||
		     w[0] == AGX_USC_CONTROL_UNIFORM_HIGH ||
		     w[0] == AGX_USC_CONTROL_TEXTURE ||
		     w[0] == AGX_USC_CONTROL_SAMPLER))
			return agxsim_gpu_error_set(err, -EPROTO, va,
						    "USC word 0x%02x at 0x%llx after the Shared/Shader/Registers words",
						    w[0], (unsigned long long)va);
	}
}
