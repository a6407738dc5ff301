/* SPDX-License-Identifier: MIT */
/*
 * vdm.c - the VDM control stream (facts 2.3), PPP updates (2.4) and the
 * vertex stage of the render path.
 *
 * Blocks are read at the stream pointer; the block type is bits 29-31 of
 * the first word. Every block and every optional word is unpacked with the
 * generated agx_pack.h helpers and must unpack to 0 (no reserved bits, no
 * unnamed enum values); anything else faults. Blocks are 8-byte aligned in
 * the stream: 4-byte blocks (VDM State and its words, Index List and its
 * words, Barrier) are followed by zero padding to the next 8 bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "render_internal.h"
#include "drm/asahi_drm.h"

#define MAX_RETURN_DEPTH 4
#define PPP_MAX_WORDS 256
#define RP_MAX_DRAW_VERTICES (1u << 16)
#define RP_MAX_DRAW_INVOCATIONS (1ull << 22)

static int rd32(struct rp_pass *p, uint64_t va, uint32_t *v, const char *what)
{
	uint8_t b[4];
	int r = rp_read(p, va, b, 4, what);
	if (!r)
		*v = b[0] | (b[1] << 8) | (b[2] << 16) | ((uint32_t)b[3] << 24);
	return r;
}

#define UNPACK(p, T, ptr, out, what)                                             \
	do {                                                                     \
		unsigned bad_ = agx_unpack_##T((ptr), (out));                    \
		if (bad_)                                                        \
			return rp_fail((p), -EINVAL, "%s: malformed " #T " (unpack 0x%x)", \
				       (what), bad_);                            \
		if ((p)->env->trace) {                                           \
			fprintf((p)->env->trace, "  " #T "\n");                 \
			agx_print_##T((p)->env->trace, (out), 4);                \
		}                                                                \
	} while (0)

/* ------------------------------------------------------------------ */
/* PPP */

static int parse_cf_table(struct rp_pass *p, uint32_t addr, unsigned count,
			  struct rp_cf_table *t)
{
	uint64_t va = p->env->usc_exec_base + addr;
	uint8_t w[4];
	memset(t, 0, sizeof(*t));
	if (count > RP_MAX_CF)
		return rp_fail(p, -EINVAL, "CF binding count %u > %u", count, RP_MAX_CF);
	int r = rp_read(p, va, w, 4, "CF binding header");
	if (r)
		return r;
	struct agx_cf_binding_header h;
	UNPACK(p, cf_binding_header, w, &h, "CF bindings");
	t->nr_slots = h.number_of_32_bit_slots;
	t->nr_cf = h.number_of_coefficient_registers;
	if (t->nr_cf > RP_MAX_CF)
		return rp_fail(p, -EINVAL, "CF binding header: %u coefficient registers (max %u)",
			       t->nr_cf, RP_MAX_CF);
	t->nr_bindings = count;
	for (unsigned i = 0; i < count; i++) {
		r = rp_read(p, va + 4 + 4 * i, w, 4, "CF binding");
		if (r)
			return r;
		UNPACK(p, cf_binding, w, &t->b[i], "CF bindings");
		const struct agx_cf_binding *b = &t->b[i];
		if (b->base_coefficient_register + b->components > t->nr_cf)
			return rp_fail(p, -EINVAL,
				       "CF binding %u: cf%u..cf%u beyond the %u declared registers",
				       i, b->base_coefficient_register,
				       b->base_coefficient_register + b->components - 1, t->nr_cf);
		if (b->source == AGX_COEFFICIENT_SOURCE_VARYING &&
		    b->base_slot + b->components > t->nr_slots)
			return rp_fail(p, -EINVAL, "CF binding %u: slots %u..%u beyond the %u declared",
				       i, b->base_slot, b->base_slot + b->components - 1,
				       t->nr_slots);
	}
	return 0;
}

static int parse_ppp(struct rp_pass *p, uint64_t va, unsigned size_words)
{
	struct rp_state *st = &p->st;
	if (size_words == 0 || size_words > PPP_MAX_WORDS)
		return rp_fail(p, -EINVAL, "PPP update at 0x%llx: size %u words",
			       (unsigned long long)va, size_words);
	uint8_t buf[PPP_MAX_WORDS * 4];
	int r = rp_read(p, va, buf, size_words * 4, "PPP update");
	if (r)
		return r;
	unsigned off = 0, end = size_words * 4;
	struct agx_ppp_header h;
	UNPACK(p, ppp_header, buf, &h, "PPP update");
	off = 4;

#define NEED(n, name)                                                            \
	do {                                                                     \
		if (off + (n) > end)                                             \
			return rp_fail(p, -EINVAL,                               \
				       "PPP update at 0x%llx: %s block runs past its %u words", \
				       (unsigned long long)va, (name), size_words); \
	} while (0)

	if (h.fragment_control) {
		NEED(4, "fragment control");
		UNPACK(p, fragment_control, buf + off, &st->f.ctl, "PPP");
		st->have_ctl = true;
		off += 4;
	}
	if (h.fragment_control_2) {
		struct agx_fragment_control c2;
		NEED(4, "fragment control 2");
		UNPACK(p, fragment_control, buf + off, &c2, "PPP");
		/* The secondary word carries rasterizer discard as tag write
		 * disable (facts 2.4). */
		st->f.ctl.tag_write_disable |= c2.tag_write_disable;
		off += 4;
	}
	for (unsigned side = 0; side < 2; side++) {
		bool face = side ? h.fragment_back_face : h.fragment_front_face;
		bool face2 = side ? h.fragment_back_face_2 : h.fragment_front_face_2;
		bool sten = side ? h.fragment_back_stencil : h.fragment_front_stencil;
		if (face) {
			NEED(4, "fragment face");
			UNPACK(p, fragment_face, buf + off, &st->f.face[side], "PPP");
			st->have_face[side] = true;
			off += 4;
		}
		if (face2) {
			struct agx_fragment_face_2 f2;
			NEED(4, "fragment face 2");
			UNPACK(p, fragment_face_2, buf + off, &f2, "PPP");
			off += 4;
		}
		if (sten) {
			NEED(4, "fragment stencil");
			UNPACK(p, fragment_stencil, buf + off, &st->f.stencil[side], "PPP");
			st->have_stencil[side] = true;
			off += 4;
		}
	}
	if (h.depth_bias_scissor) {
		struct agx_depth_bias_scissor d;
		NEED(4, "depth bias/scissor");
		UNPACK(p, depth_bias_scissor, buf + off, &d, "PPP");
		st->f.scissor_index = d.scissor;
		st->f.dbias_index = d.depth_bias;
		off += 4;
	}
	if (h.region_clip) {
		struct agx_region_clip rc;
		NEED(8, "region clip");
		UNPACK(p, region_clip, buf + off, &rc, "PPP");
		if (rc.enable)
			return rp_fail(p, -EINVAL, "PPP: enabled region clip is not modelled");
		off += 8;
	}
	if (h.viewport) {
		struct agx_viewport_control vc;
		NEED(4 + 24 * h.viewport_count, "viewport");
		UNPACK(p, viewport_control, buf + off, &vc, "PPP");
		off += 4;
		if (h.viewport_count > RP_MAX_VIEWPORTS)
			return rp_fail(p, -EINVAL, "PPP: %u viewports", h.viewport_count);
		for (unsigned i = 0; i < h.viewport_count; i++) {
			UNPACK(p, viewport, buf + off, &st->vp[i], "PPP");
			off += 24;
		}
		st->nr_viewports = h.viewport_count;
		st->have_vp = true;
	}
	if (h.w_clamp) {
		struct agx_w_clamp wc;
		NEED(4, "W clamp");
		UNPACK(p, w_clamp, buf + off, &wc, "PPP");
		st->w_clamp = wc.w_clamp;
		off += 4;
	}
	if (h.output_select) {
		NEED(4, "output select");
		UNPACK(p, output_select, buf + off, &st->f.outsel, "PPP");
		off += 4;
	}
	if (h.varying_counts_32) {
		NEED(4, "varying counts 32");
		UNPACK(p, varying_counts, buf + off, &st->f.vc32, "PPP");
		off += 4;
	}
	if (h.varying_counts_16) {
		NEED(4, "varying counts 16");
		UNPACK(p, varying_counts, buf + off, &st->f.vc16, "PPP");
		off += 4;
	}
	if (h.cull) {
		NEED(4, "cull");
		UNPACK(p, cull, buf + off, &st->f.cull, "PPP");
		off += 4;
	}
	if (h.cull_2) {
		struct agx_cull_2 c2;
		NEED(4, "cull 2");
		UNPACK(p, cull_2, buf + off, &c2, "PPP");
		if (c2.rasterizer_discard)
			st->f.cull.rasterizer_discard = true;
		off += 4;
	}
	if (h.fragment_shader) {
		struct agx_fragment_shader_word_0 w0;
		struct agx_fragment_shader_word_1 w1;
		struct agx_fragment_shader_word_2 w2;
		struct agx_fragment_shader_word_3 w3;
		NEED(16, "fragment shader");
		UNPACK(p, fragment_shader_word_0, buf + off, &w0, "PPP");
		UNPACK(p, fragment_shader_word_1, buf + off + 4, &w1, "PPP");
		UNPACK(p, fragment_shader_word_2, buf + off + 8, &w2, "PPP");
		UNPACK(p, fragment_shader_word_3, buf + off + 12, &w3, "PPP");
		off += 16;
		struct rp_counts fc;
		uint32_t w0raw;
		memcpy(&w0raw, buf + off - 16, 4);
		r = rp_decode_counts(p, w0raw, &fc, "fragment shader");
		if (!r)
			r = rp_bind_usc(p, w1.pipeline, true, &fc, &st->f.fs, "fragment shader");
		if (r)
			return r;
		r = parse_cf_table(p, w2.cf_bindings, w0.cf_binding_count, &st->f.cf);
		if (r)
			return r;
		st->f.fs_valid = true;
	}
	if (h.occlusion_query) {
		struct agx_fragment_occlusion_query oq;
		NEED(4, "occlusion query");
		UNPACK(p, fragment_occlusion_query, buf + off, &oq, "PPP");
		off += 4;
	}
	if (h.occlusion_query_2) {
		struct agx_fragment_occlusion_query_2 oq2;
		NEED(4, "occlusion query 2");
		UNPACK(p, fragment_occlusion_query_2, buf + off, &oq2, "PPP");
		off += 4;
	}
	if (h.output_unknown) {
		struct agx_output_unknown ou;
		NEED(4, "output unknown");
		UNPACK(p, output_unknown, buf + off, &ou, "PPP");
		off += 4;
	}
	if (h.output_size) {
		struct agx_output_size os;
		NEED(4, "output size");
		UNPACK(p, output_size, buf + off, &os, "PPP");
		st->output_size = os.count;
		off += 4;
	}
	if (h.varying_word_2) {
		struct agx_varying_2 v2;
		NEED(8, "varying word 2");
		UNPACK(p, varying_2, buf + off, &v2, "PPP");
		off += 8;
	}
#undef NEED
	if (off != end)
		return rp_fail(p, -EINVAL,
			       "PPP update at 0x%llx: header describes %u bytes, size says %u",
			       (unsigned long long)va, off, end);
	st->frag_dirty = true;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Vertex stage */

struct vs_ctx {
	struct rp_pass *p;
	float (*uvs)[RP_MAX_UVS];  /* per lane */
	unsigned uvs_words;
	uint32_t written[AGX_SIMD_WIDTH][(RP_MAX_UVS + 31) / 32];
};

static uint64_t field(const struct agx_insn *in, const char *name, bool *found)
{
	struct agx_field f[32];
	unsigned n = agx_insn_fields(in, f, 32);
	for (unsigned i = 0; i < n && i < 32; i++) {
		if (!strcmp(f[i].name, name)) {
			if (found)
				*found = true;
			return f[i].value;
		}
	}
	if (found)
		*found = false;
	return 0;
}

static int vs_varying(void *ctx, struct agxsim_isa_state *s, const struct agx_insn *in)
{
	struct vs_ctx *c = ctx;
	struct rp_pass *p = c->p;
	if (in->op == AGX_OP_NO_VAR)
		return 0;
	if (in->op != AGX_OP_ST_VAR && in->op != AGX_OP_ST_VAR_FINAL) {
		p->hook_err = rp_fail(p, -EINVAL, "vertex shader: %s is a fragment instruction",
				      in->name);
		return -EINVAL;
	}
	unsigned reg = (unsigned)field(in, "r", NULL);
	unsigned it = (unsigned)field(in, "It", NULL);
	unsigned idx = (unsigned)field(in, "I", NULL);
	for (unsigned l = 0; l < AGX_SIMD_WIDTH; l++) {
		if (!(s->exec & (1u << l)))
			continue;
		unsigned slot = it ? idx : s->regs[l][idx];
		if (slot >= c->uvs_words) {
			p->hook_err = rp_fail(p, -EINVAL,
					      "vertex shader: st_var to UVS word %u, vertex outputs are %u words",
					      slot, c->uvs_words);
			return -EINVAL;
		}
		c->uvs[l][slot] = rp_u2f(agxsim_reg32(s, l, reg));
		c->written[l][slot / 32] |= 1u << (slot % 32);
	}
	return 0;
}

static int vs_bad_hook(void *ctx, struct agxsim_isa_state *s, const struct agx_insn *in)
{
	struct vs_ctx *c = ctx;
	(void)s;
	c->p->hook_err = rp_fail(c->p, -EINVAL, "vertex shader: %s not allowed in a vertex shader",
				 in->name);
	return -EINVAL;
}

/* Shade @n vertices (ids/instances given) and write their UVS rows. */
static int shade_vertices(struct rp_pass *p, const uint32_t *vid, uint32_t inst, unsigned n,
			  float (*out)[RP_MAX_UVS])
{
	struct rp_state *st = &p->st;
	struct agxsim_isa_state *s = calloc(1, sizeof(*s));
	struct vs_ctx *c = calloc(1, sizeof(*c));
	if (!s || !c) {
		free(s);
		free(c);
		return rp_fail(p, -ENOMEM, "out of memory");
	}
	int r = 0;
	for (unsigned base = 0; base < n && !r; base += AGX_SIMD_WIDTH) {
		unsigned cnt = n - base < AGX_SIMD_WIDTH ? n - base : AGX_SIMD_WIDTH;
		agxsim_isa_init(s, cnt, st->vs.b.pc, rp_shader_mem(p));
		memset(c, 0, sizeof(*c));
		c->p = p;
		c->uvs = out + base;
		c->uvs_words = st->uvs_words;
		s->hooks.ctx = c;
		s->hooks.varying = vs_varying;
		s->hooks.tile = vs_bad_hook;
		s->hooks.fragment_out = vs_bad_hook;
		s->hooks.image_write = vs_bad_hook;
		for (unsigned l = 0; l < cnt; l++) {
			/* Vertex and instance ID preloaded in r5 / r6 (R6). */
			agxsim_set_reg32(s, l, 5, vid[base + l]);
			agxsim_set_reg32(s, l, 6, inst);
		}
		r = rp_run_group(p, &st->vs, s, "vertex shader");
		if (r)
			break;
		for (unsigned l = 0; l < cnt; l++) {
			if ((c->written[l][0] & 0xf) != 0xf) {
				r = rp_fail(p, -EINVAL,
					    "vertex shader: vertex %u did not write its position (UVS 0..3)",
					    vid[base + l]);
				break;
			}
		}
		p->res->vertices_shaded += cnt;
	}
	free(s);
	free(c);
	return r;
}

static int emit_tri(struct rp_pass *p, float (*v)[RP_MAX_UVS], unsigned a, unsigned b,
		    unsigned c)
{
	const float *u[3] = { v[a], v[b], v[c] };
	float clip[3][4];
	for (unsigned i = 0; i < 3; i++)
		memcpy(clip[i], u[i], 16);
	p->res->primitives_in++;
	return rp_add_triangle(p, clip, u);
}

static int draw(struct rp_pass *p, const struct agx_index_list *il, uint64_t index_va,
		bool indexed, uint32_t count, uint32_t instances, uint32_t start,
		uint32_t base_instance, bool have_size, uint32_t size_B)
{
	struct rp_state *st = &p->st;
	p->res->draws++;
	if (!st->vs_valid)
		return rp_fail(p, -EINVAL, "draw without a vertex shader (VDM State)");
	if (!st->have_vp)
		return rp_fail(p, -EINVAL, "draw without a viewport (PPP)");
	if (!st->f.fs_valid)
		return rp_fail(p, -EINVAL, "draw without a fragment shader (PPP)");
	if (!st->have_ctl || !st->have_face[0])
		return rp_fail(p, -EINVAL, "draw without fragment control/face state (PPP)");
	if (st->uvs_words < 4 || st->uvs_words > RP_MAX_UVS)
		return rp_fail(p, -EINVAL, "vertex outputs: %u words (need 4..%u)",
			       st->uvs_words, RP_MAX_UVS);
	if (instances == 0)
		return rp_fail(p, -EINVAL, "Index List: instance count 0");
	switch (il->primitive) {
	case AGX_PRIMITIVE_TRIANGLES: case AGX_PRIMITIVE_TRIANGLE_STRIP:
	case AGX_PRIMITIVE_TRIANGLE_FAN: case AGX_PRIMITIVE_POINTS:
	case AGX_PRIMITIVE_LINES: case AGX_PRIMITIVE_LINE_STRIP: case AGX_PRIMITIVE_LINE_LOOP:
		break;
	default:
		return rp_fail(p, -EINVAL, "primitive %s is not modelled",
			       rp_str(agx_primitive_as_str(il->primitive)));
	}
	if (count > RP_MAX_DRAW_VERTICES || (uint64_t)count * instances > RP_MAX_DRAW_INVOCATIONS)
		return rp_fail(p, -ETIMEDOUT, "draw of %u vertices x %u instances exceeds the simulator bound",
			       count, instances);

	/* Without back-face words, back faces use the front-face state. */
	if (!st->have_face[1])
		st->f.face[1] = st->f.face[0];
	if (!st->have_stencil[1])
		st->f.stencil[1] = st->f.stencil[0];

	/* New fragment-state snapshot when PPP state changed. */
	if (st->frag_dirty || st->cur_snapshot < 0) {
		if (p->nr_snaps == p->cap_snaps) {
			unsigned cap = p->cap_snaps ? 2 * p->cap_snaps : 8;
			void *n = realloc(p->snaps, cap * sizeof(*p->snaps));
			if (!n)
				return rp_fail(p, -ENOMEM, "out of memory");
			p->snaps = n;
			p->cap_snaps = cap;
		}
		p->snaps[p->nr_snaps] = st->f;
		st->cur_snapshot = (int)p->nr_snaps++;
		st->frag_dirty = false;
	}

	unsigned isz = il->index_size == AGX_INDEX_SIZE_U8 ? 1 :
		       il->index_size == AGX_INDEX_SIZE_U16 ? 2 : 4;
	uint32_t *ids = calloc(count ? count : 1, sizeof(uint32_t));
	bool *restart = calloc(count ? count : 1, sizeof(bool));
	float (*uvs)[RP_MAX_UVS] = calloc(count ? count : 1, sizeof(*uvs));
	int r = 0;
	if (!ids || !restart || !uvs) {
		r = rp_fail(p, -ENOMEM, "out of memory");
		goto out;
	}
	uint32_t restart_value = isz == 1 ? (st->restart_index & 0xff) :
				 isz == 2 ? (st->restart_index & 0xffff) : st->restart_index;
	for (uint32_t i = 0; i < count; i++) {
		if (!indexed) {
			ids[i] = start + i;
			continue;
		}
		if (have_size && (uint64_t)(i + 1) * isz > size_B) {
			r = rp_fail(p, -EINVAL, "index %u is beyond the index buffer size %u B",
				    i, size_B);
			goto out;
		}
		uint8_t b[4] = { 0 };
		r = rp_read(p, index_va + (uint64_t)i * isz, b, isz, "index buffer");
		if (r)
			goto out;
		uint32_t v = b[0] | (b[1] << 8) | (b[2] << 16) | ((uint32_t)b[3] << 24);
		if (il->restart_enable && v == restart_value) {
			restart[i] = true;
			continue;
		}
		ids[i] = v + start;
	}

	for (uint32_t inst = 0; inst < instances && !r; inst++) {
		/* Shade the non-restart positions (compacted). */
		uint32_t *sid = calloc(count ? count : 1, sizeof(uint32_t));
		unsigned *map = calloc(count ? count : 1, sizeof(unsigned));
		float (*tmp)[RP_MAX_UVS] = calloc(count ? count : 1, sizeof(*tmp));
		if (!sid || !map || !tmp) {
			free(sid); free(map); free(tmp);
			r = rp_fail(p, -ENOMEM, "out of memory");
			break;
		}
		unsigned n = 0;
		for (uint32_t i = 0; i < count; i++) {
			if (restart[i])
				continue;
			map[i] = n;
			sid[n++] = ids[i];
		}
		r = shade_vertices(p, sid, base_instance + inst, n, tmp);
		for (uint32_t i = 0; i < count && !r; i++)
			if (!restart[i])
				memcpy(uvs[i], tmp[map[i]], sizeof(uvs[i]));
		free(sid); free(map); free(tmp);
		if (r)
			break;

		/* Assemble, restarting at restart positions. */
		uint32_t seg = 0;
		while (seg < count && !r) {
			uint32_t e = seg;
			while (e < count && !restart[e])
				e++;
			uint32_t m = e - seg;
			float (*v)[RP_MAX_UVS] = uvs + seg;
			if (il->primitive == AGX_PRIMITIVE_POINTS) {
				for (uint32_t k = 0; k < m && !r; k++) {
					p->res->primitives_in++;
					r = rp_add_point(p, v[k], v[k]);
				}
			} else if (il->primitive == AGX_PRIMITIVE_LINES) {
				for (uint32_t k = 0; k + 1 < m && !r; k += 2) {
					p->res->primitives_in++;
					r = rp_add_line(p, v[k], v[k + 1]);
				}
			} else if (il->primitive == AGX_PRIMITIVE_LINE_STRIP ||
				   il->primitive == AGX_PRIMITIVE_LINE_LOOP) {
				for (uint32_t k = 0; k + 1 < m && !r; k++) {
					p->res->primitives_in++;
					r = rp_add_line(p, v[k], v[k + 1]);
				}
				if (il->primitive == AGX_PRIMITIVE_LINE_LOOP && m > 2 && !r) {
					p->res->primitives_in++;
					r = rp_add_line(p, v[m - 1], v[0]);
				}
			} else if (il->primitive == AGX_PRIMITIVE_TRIANGLES) {
				for (uint32_t k = 0; k + 2 < m && !r; k += 3)
					r = emit_tri(p, v, k, k + 1, k + 2);
			} else if (il->primitive == AGX_PRIMITIVE_TRIANGLE_STRIP) {
				for (uint32_t k = 0; k + 2 < m && !r; k++)
					r = (k & 1) ? emit_tri(p, v, k + 1, k, k + 2)
						    : emit_tri(p, v, k, k + 1, k + 2);
			} else {
				for (uint32_t k = 1; k + 1 < m && !r; k++)
					r = emit_tri(p, v, 0, k, k + 1);
			}
			seg = e + 1;
		}
	}
out:
	free(ids);
	free(restart);
	free(uvs);
	return r;
}

static int index_list(struct rp_pass *p, uint64_t *pva, const uint8_t *w0)
{
	struct agx_index_list il;
	UNPACK(p, index_list, w0, &il, "Index List");
	uint64_t va = *pva + 4;
	uint32_t lo = 0, count = 0, inst = 1, start = 0, size = 0;
	uint64_t indirect = 0;
	int r;
	if (il.unk_1_present || il.unk_2_present)
		return rp_fail(p, -EINVAL, "Index List: unknown optional words (unk 1/2) present");
	if (il.index_buffer_present) {
		if ((r = rd32(p, va, &lo, "Index List")))
			return r;
		va += 4;
	}
	if (il.index_count_present) {
		if ((r = rd32(p, va, &count, "Index List")))
			return r;
		va += 4;
	}
	if (il.instance_count_present) {
		if ((r = rd32(p, va, &inst, "Index List")))
			return r;
		va += 4;
	}
	if (il.start_present) {
		if ((r = rd32(p, va, &start, "Index List")))
			return r;
		va += 4;
	}
	if (il.indirect_buffer_present) {
		uint8_t b[8];
		if ((r = rp_read(p, va, b, 8, "Index List")))
			return r;
		struct agx_index_list_indirect_buffer ib;
		UNPACK(p, index_list_indirect_buffer, b, &ib, "Index List");
		indirect = ((uint64_t)ib.address_hi << 32) | ib.address_lo;
		va += 8;
	}
	if (il.index_buffer_size_present) {
		uint8_t b[4];
		if ((r = rp_read(p, va, b, 4, "Index List")))
			return r;
		struct agx_index_list_buffer_size bs;
		UNPACK(p, index_list_buffer_size, b, &bs, "Index List");
		size = bs.size;
		va += 4;
	}
	va = (va + 7) & ~7ull;
	*pva = va;

	bool indexed = il.index_buffer_present;
	uint32_t base_instance = 0;
	if (indirect) {
		/* Indirect draw arguments: count, instances, first index,
		 * base vertex, base instance (indexed); count, instances,
		 * first vertex, base instance (non-indexed). See R7. */
		uint32_t a[5] = { 0 };
		for (unsigned i = 0; i < (indexed ? 5u : 4u); i++)
			if ((r = rd32(p, indirect + 4 * i, &a[i], "indirect draw")))
				return r;
		count = a[0];
		inst = a[1];
		if (indexed) {
			lo += a[2] * (il.index_size == AGX_INDEX_SIZE_U8 ? 1 :
				      il.index_size == AGX_INDEX_SIZE_U16 ? 2 : 4);
			start = a[3];
			base_instance = a[4];
		} else {
			start = a[2];
			base_instance = a[3];
		}
	} else if (!il.index_count_present) {
		return rp_fail(p, -EINVAL, "Index List without a count or an indirect buffer");
	}
	uint64_t index_va = ((uint64_t)il.index_buffer_hi << 32) | lo;
	return draw(p, &il, index_va, indexed, count, inst, start, base_instance,
		    il.index_buffer_size_present, size);
}

static int vdm_state(struct rp_pass *p, uint64_t *pva, const uint8_t *w0)
{
	struct rp_state *st = &p->st;
	struct agx_vdm_state vs;
	UNPACK(p, vdm_state, w0, &vs, "VDM State");
	uint64_t va = *pva + 4;
	uint8_t b[4];
	int r;
#define WORD(what)                                                            \
	do {                                                                  \
		if ((r = rp_read(p, va, b, 4, what)))                         \
			return r;                                             \
		va += 4;                                                      \
	} while (0)
	if (vs.restart_index_present) {
		struct agx_vdm_state_restart_index ri;
		WORD("VDM State");
		UNPACK(p, vdm_state_restart_index, b, &ri, "VDM State");
		st->restart_index = ri.value;
	}
	if (vs.vertex_shader_word_0_present) {
		struct agx_vdm_state_vertex_shader_word_0 w;
		WORD("VDM State");
		UNPACK(p, vdm_state_vertex_shader_word_0, b, &w, "VDM State");
		uint32_t raw;
		memcpy(&raw, b, 4);
		(void)w;
		if ((r = rp_decode_counts(p, raw, &st->vs_counts, "VDM State vertex shader word 0")))
			return r;
	}
	if (vs.vertex_shader_word_1_present) {
		struct agx_vdm_state_vertex_shader_word_1 w;
		WORD("VDM State");
		UNPACK(p, vdm_state_vertex_shader_word_1, b, &w, "VDM State");
		r = rp_bind_usc(p, w.pipeline, false, &st->vs_counts, &st->vs, "vertex shader");
		if (r)
			return r;
		st->vs_valid = true;
	}
	if (vs.vertex_outputs_present) {
		struct agx_vdm_state_vertex_outputs w;
		WORD("VDM State");
		UNPACK(p, vdm_state_vertex_outputs, b, &w, "VDM State");
		if (w.output_count_1 != w.output_count_2)
			return rp_fail(p, -EINVAL, "VDM State: output counts differ (%u, %u)",
				       w.output_count_1, w.output_count_2);
		st->uvs_words = w.output_count_1;
	}
	if (vs.tessellation_present)
		return rp_fail(p, -EINVAL, "VDM State: tessellation is not modelled");
	if (vs.vertex_unknown_present) {
		struct agx_vdm_state_vertex_unknown w;
		WORD("VDM State");
		UNPACK(p, vdm_state_vertex_unknown, b, &w, "VDM State");
	}
	if (vs.tessellation_scale_present)
		return rp_fail(p, -EINVAL, "VDM State: tessellation scale is not modelled");
#undef WORD
	*pva = (va + 7) & ~7ull;
	return 0;
}

int rp_walk_vdm(struct rp_pass *p)
{
	uint64_t va = p->cmd->vdm_ctrl_stream_base;
	uint64_t ret_stack[MAX_RETURN_DEPTH];
	unsigned depth = 0, links = 0;
	unsigned max_blocks = p->env->max_vdm_blocks ? p->env->max_vdm_blocks : 65536;
	unsigned max_links = p->env->max_links ? p->env->max_links : 4096;
	int r;

	for (unsigned n = 0;; n++) {
		if (n >= max_blocks)
			return rp_fail(p, -ETIMEDOUT, "VDM stream: more than %u blocks", max_blocks);
		if (va & 3)
			return rp_fail(p, -EINVAL, "VDM stream pointer 0x%llx not word aligned",
				       (unsigned long long)va);
		uint8_t w[8];
		if ((r = rp_read(p, va, w, 4, "VDM stream")))
			return r;
		struct agx_vdm_block_header hdr;
		agx_unpack_vdm_block_header(w, &hdr);
		p->res->vdm_blocks++;
		if (p->env->trace)
			fprintf(p->env->trace, "VDM @0x%llx: %s\n", (unsigned long long)va,
				rp_str(agx_vdm_block_type_as_str(hdr.block_type)));
		switch (hdr.block_type) {
		case AGX_VDM_BLOCK_TYPE_PPP_STATE_UPDATE: {
			if ((r = rp_read(p, va, w, 8, "VDM stream")))
				return r;
			struct agx_ppp_state ps;
			UNPACK(p, ppp_state, w, &ps, "VDM stream");
			r = parse_ppp(p, ((uint64_t)ps.pointer_hi << 32) | ps.pointer_lo,
				      ps.size_words);
			if (r)
				return r;
			va += 8;
			break;
		}
		case AGX_VDM_BLOCK_TYPE_BARRIER: {
			struct agx_vdm_barrier b;
			UNPACK(p, vdm_barrier, w, &b, "VDM stream");
			va = (va + 4 + 7) & ~7ull;
			/* A barrier with Returns set ends a stream entered by a
			 * link with return (R5). */
			if (b.returns) {
				if (!depth)
					return rp_fail(p, -EINVAL,
						       "VDM stream: returning barrier without a link with return");
				va = ret_stack[--depth];
			}
			break;
		}
		case AGX_VDM_BLOCK_TYPE_VDM_STATE_UPDATE:
			if ((r = vdm_state(p, &va, w)))
				return r;
			break;
		case AGX_VDM_BLOCK_TYPE_INDEX_LIST:
			if ((r = index_list(p, &va, w)))
				return r;
			break;
		case AGX_VDM_BLOCK_TYPE_STREAM_LINK: {
			if ((r = rp_read(p, va, w, 8, "VDM stream")))
				return r;
			struct agx_vdm_stream_link l;
			UNPACK(p, vdm_stream_link, w, &l, "VDM stream");
			if (++links > max_links)
				return rp_fail(p, -ETIMEDOUT, "VDM stream: more than %u links",
					       max_links);
			if (l.with_return) {
				if (depth == MAX_RETURN_DEPTH)
					return rp_fail(p, -EINVAL,
						       "VDM stream: link with return nested deeper than %u",
						       MAX_RETURN_DEPTH);
				ret_stack[depth++] = va + 8;
			}
			va = ((uint64_t)l.target_hi << 32) | l.target_lo;
			break;
		}
		case AGX_VDM_BLOCK_TYPE_STREAM_TERMINATE: {
			uint8_t t[32];
			if ((r = rp_read(p, va, t, 32, "VDM stream")))
				return r;
			struct agx_vdm_stream_terminate term;
			UNPACK(p, vdm_stream_terminate, t, &term, "VDM stream");
			/* A terminate inside a linked-with-return stream returns
			 * to the caller (R5). */
			if (depth) {
				va = ret_stack[--depth];
				break;
			}
			return 0;
		}
		default:
			return rp_fail(p, -EINVAL, "VDM stream: block type %u at 0x%llx is %s",
				       hdr.block_type, (unsigned long long)va,
				       hdr.block_type == 5 ? "tessellation (not modelled)"
							   : "not a known block");
		}
	}
}
