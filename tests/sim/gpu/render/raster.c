/* SPDX-License-Identifier: MIT */
/*
 * raster.c - clipping, viewport, culling, binning, and the per-tile work of
 * the render path: ZLS, background program, rasterisation with the
 * top-left fill rule, depth/stencil, coefficient registers, fragment
 * shading, end-of-tile program.
 *
 * Conventions (ASSUMPTIONS.md R1..R4): window coordinates have y
 * down; vertices are snapped to 1/256 pixel; a sample is covered when it
 * is strictly inside every edge, or on an edge that is a top edge
 * (horizontal, interior below) or a left edge (interior to its right).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render_internal.h"
#include "drm/asahi_drm.h"

#define SNAP 256
#define RP_GUARD 64.0f          /* guard band, in NDC units (R2) */
#define RP_COORD_MAX 1048576.0f /* window coordinates beyond are dropped */

/* ------------------------------------------------------------------ */
/* Geometry: clipping and binning */

struct cvert {
	float c[4];                 /* clip position */
	float u[RP_MAX_UVS];
};

static unsigned clip_poly(struct cvert *in, unsigned n, struct cvert *out,
			  const float plane[4], unsigned nuvs)
{
	unsigned m = 0;
	for (unsigned i = 0; i < n; i++) {
		const struct cvert *a = &in[i], *b = &in[(i + 1) % n];
		float da = plane[0] * a->c[0] + plane[1] * a->c[1] + plane[2] * a->c[2] +
			   plane[3] * a->c[3];
		float db = plane[0] * b->c[0] + plane[1] * b->c[1] + plane[2] * b->c[2] +
			   plane[3] * b->c[3];
		if (da >= 0)
			out[m++] = *a;
		if ((da >= 0) != (db >= 0)) {
			float t = da / (da - db);
			struct cvert *o = &out[m++];
			for (unsigned k = 0; k < 4; k++)
				o->c[k] = a->c[k] + t * (b->c[k] - a->c[k]);
			for (unsigned k = 0; k < nuvs; k++)
				o->u[k] = a->u[k] + t * (b->u[k] - a->u[k]);
		}
	}
	return m;
}

static int read_scissor(struct rp_pass *p, unsigned idx, struct agx_scissor *sc)
{
	if (!p->cmd->isp_scissor_base)
		return rp_fail(p, -EINVAL, "scissor enabled but isp_scissor_base is 0");
	uint8_t b[16];
	int r = rp_read(p, p->cmd->isp_scissor_base + 16ull * idx, b, 16, "scissor array");
	if (r)
		return r;
	unsigned bad = agx_unpack_scissor(b, sc);
	if (bad)
		return rp_fail(p, -EINVAL, "scissor %u: malformed (unpack 0x%x)", idx, bad);
	if (sc->min_x > sc->max_x || sc->min_y > sc->max_y)
		return rp_fail(p, -EINVAL, "scissor %u: min > max", idx);
	return 0;
}

static int bin_triangle(struct rp_pass *p, const struct rp_frag_state *fs, struct rp_vert v[3],
			bool no_cull)
{
	/* Outside the representable range (R2): dropped. */
	for (unsigned i = 0; i < 3; i++) {
		if (!isfinite(v[i].x) || !isfinite(v[i].y) || !isfinite(v[i].z) ||
		    fabsf(v[i].x) > RP_COORD_MAX || fabsf(v[i].y) > RP_COORD_MAX) {
			p->res->primitives_culled++;
			return 0;
		}
	}
	/* Snap to the sub-pixel grid. */
	for (unsigned i = 0; i < 3; i++) {
		v[i].x = roundf(v[i].x * SNAP) / SNAP;
		v[i].y = roundf(v[i].y * SNAP) / SNAP;
	}
	double area = ((double)v[1].x - v[0].x) * ((double)v[2].y - v[0].y) -
		      ((double)v[2].x - v[0].x) * ((double)v[1].y - v[0].y);
	if (area == 0) {
		p->res->primitives_culled++;
		return 0;
	}
	/* y down: a negative area is counter-clockwise as seen on screen. */
	bool ccw = area < 0;
	bool front = ccw == fs->cull.front_face_ccw;
	if (no_cull) {
		front = true;
	} else if ((front && fs->cull.cull_front) || (!front && fs->cull.cull_back)) {
		p->res->primitives_culled++;
		return 0;
	}
	float minx = fminf(v[0].x, fminf(v[1].x, v[2].x));
	float maxx = fmaxf(v[0].x, fmaxf(v[1].x, v[2].x));
	float miny = fminf(v[0].y, fminf(v[1].y, v[2].y));
	float maxy = fmaxf(v[0].y, fmaxf(v[1].y, v[2].y));
	int64_t x0 = (int64_t)floorf(minx) - 1, x1 = (int64_t)ceilf(maxx) + 1;
	int64_t y0 = (int64_t)floorf(miny) - 1, y1 = (int64_t)ceilf(maxy) + 1;
	int64_t fx1 = p->cmd->width_px, fy1 = p->cmd->height_px, fx0 = 0, fy0 = 0;
	bool defer = fs->ctl.scissor_enable && p->defer_scissor && !p->cmd->isp_scissor_base;
	if (fs->ctl.scissor_enable && !defer) {
		struct agx_scissor sc = { 0 };
		int r = read_scissor(p, fs->scissor_index, &sc);
		if (r)
			return r;
		fx0 = sc.min_x; fy0 = sc.min_y;
		if (sc.max_x < fx1) fx1 = sc.max_x;
		if (sc.max_y < fy1) fy1 = sc.max_y;
	}
	if (x0 < fx0) x0 = fx0;
	if (y0 < fy0) y0 = fy0;
	if (x1 > fx1) x1 = fx1;
	if (y1 > fy1) y1 = fy1;
	if (x0 >= x1 || y0 >= y1) {
		p->res->primitives_culled++;
		return 0;
	}
	unsigned max = p->env->max_primitives ? p->env->max_primitives : (1u << 20);
	if (p->nr_prims >= max)
		return rp_fail(p, -ETIMEDOUT, "more than %u primitives in the pass", max);
	if (p->nr_prims == p->cap_prims) {
		unsigned cap = p->cap_prims ? 2 * p->cap_prims : 64;
		void *n = realloc(p->prims, cap * sizeof(*p->prims));
		if (!n)
			return rp_fail(p, -ENOMEM, "out of memory");
		p->prims = n;
		p->cap_prims = cap;
	}
	struct rp_prim *pr = &p->prims[p->nr_prims++];
	memcpy(pr->v, v, sizeof(pr->v));
	pr->snapshot = (unsigned)p->st.cur_snapshot;
	pr->back = !front;
	pr->scissor_deferred = defer;
	pr->bbox[0] = (unsigned)x0; pr->bbox[1] = (unsigned)y0;
	pr->bbox[2] = (unsigned)x1; pr->bbox[3] = (unsigned)y1;
	p->res->primitives_binned++;
	return 0;
}

/*
 * Fragment phase of a split render: clamp the primitives binned without
 * their scissor (the geometry phase had no scissor array) to it now. A
 * primitive left with no pixels gets an empty box.
 */
int rp_apply_deferred_scissors(struct rp_pass *p)
{
	for (unsigned i = 0; i < p->nr_prims; i++) {
		struct rp_prim *pr = &p->prims[i];
		struct agx_scissor sc = { 0 };

		if (!pr->scissor_deferred)
			continue;
		int r = read_scissor(p, p->snaps[pr->snapshot].scissor_index, &sc);
		if (r)
			return r;
		pr->scissor_deferred = false;
		if (pr->bbox[0] < sc.min_x) pr->bbox[0] = sc.min_x;
		if (pr->bbox[1] < sc.min_y) pr->bbox[1] = sc.min_y;
		if (pr->bbox[2] > sc.max_x) pr->bbox[2] = sc.max_x;
		if (pr->bbox[3] > sc.max_y) pr->bbox[3] = sc.max_y;
		if (pr->bbox[0] >= pr->bbox[2] || pr->bbox[1] >= pr->bbox[3])
			memset(pr->bbox, 0, sizeof(pr->bbox));
	}
	return 0;
}

int rp_add_triangle(struct rp_pass *p, const float clip[3][4], const float *uvs[3])
{
	const struct rp_frag_state *fs = &p->snaps[p->st.cur_snapshot];
	unsigned nuvs = p->st.uvs_words;
	if (fs->cull.rasterizer_discard || fs->ctl.tag_write_disable) {
		p->res->primitives_culled++;
		return 0;
	}
	static __thread struct cvert buf[2][16];
	unsigned n = 3;
	for (unsigned i = 0; i < 3; i++) {
		memcpy(buf[0][i].c, clip[i], 16);
		memcpy(buf[0][i].u, uvs[i], nuvs * sizeof(float));
	}
	/* Planes: w > 0 always; near/far when depth clipping is on. */
	float wmin = p->st.w_clamp > 0 ? p->st.w_clamp : 1e-7f;
	float planes[7][4] = {
		{ 0, 0, 0, 1 },
		{ 1, 0, 0, RP_GUARD }, { -1, 0, 0, RP_GUARD },   /* guard band */
		{ 0, 1, 0, RP_GUARD }, { 0, -1, 0, RP_GUARD },
		{ 0, 0, 1, p->opengl_clip ? 1.0f : 0.0f },  /* z >= -w or z >= 0 */
		{ 0, 0, -1, 1 },                            /* z <= w */
	};
	unsigned nplanes = fs->cull.depth_clip ? 7 : 5;
	unsigned cur = 0;
	for (unsigned k = 0; k < nplanes && n >= 3; k++) {
		float pl[4];
		memcpy(pl, planes[k], sizeof(pl));
		if (k == 0)
			pl[3] = 1; /* w - wmin >= 0 handled below */
		if (k == 0) {
			/* shift: w - wmin */
			for (unsigned i = 0; i < n; i++)
				buf[cur][i].c[3] -= wmin;
			n = clip_poly(buf[cur], n, buf[cur ^ 1], pl, nuvs);
			for (unsigned i = 0; i < n; i++)
				buf[cur ^ 1][i].c[3] += wmin;
		} else {
			n = clip_poly(buf[cur], n, buf[cur ^ 1], pl, nuvs);
		}
		cur ^= 1;
		if (n > 14)
			return rp_fail(p, -EINVAL, "clipper overflow");
	}
	if (n < 3) {
		p->res->primitives_culled++;
		return 0;
	}
	const struct agx_viewport *vp = &p->st.vp[0];
	static __thread struct rp_vert wv[16];
	for (unsigned i = 0; i < n; i++) {
		wv[i].pc[0] = wv[i].pc[1] = 0;
		const struct cvert *c = &buf[cur][i];
		float iw = 1.0f / c->c[3];
		wv[i].x = vp->translate_x + vp->scale_x * c->c[0] * iw;
		wv[i].y = vp->translate_y + vp->scale_y * c->c[1] * iw;
		wv[i].z = vp->translate_z + vp->scale_z * c->c[2] * iw;
		wv[i].inv_w = iw;
		memcpy(wv[i].uvs, c->u, nuvs * sizeof(float));
	}
	/* Flat varyings keep the provoking vertex's value on every clipped
	 * vertex (R4). */
	unsigned first_vary = fs->outsel.frag_coord_z ? 2 : 1;
	for (unsigned bi = 0; bi < fs->cf.nr_bindings; bi++) {
		const struct agx_cf_binding *b = &fs->cf.b[bi];
		int pv = b->shade_model == AGX_SHADE_MODEL_FLAT_VERTEX_0 ? 0 :
			 b->shade_model == AGX_SHADE_MODEL_FLAT_VERTEX_1 ? 1 :
			 b->shade_model == AGX_SHADE_MODEL_FLAT_VERTEX_2 ? 2 : -1;
		if (pv < 0 || b->source != AGX_COEFFICIENT_SOURCE_VARYING)
			continue;
		for (unsigned k = 0; k < b->components; k++) {
			unsigned slot = b->base_slot + k;
			if (slot < first_vary || 4 + slot - first_vary >= nuvs)
				continue;
			unsigned w = 4 + slot - first_vary;
			for (unsigned i = 0; i < n; i++)
				wv[i].uvs[w] = uvs[pv][w];
		}
	}
	for (unsigned i = 1; i + 1 < n; i++) {
		struct rp_vert t[3] = { wv[0], wv[i], wv[i + 1] };
		int r = bin_triangle(p, fs, t, false);
		if (r)
			return r;
	}
	return 0;
}

/*
 * A point: culled unless its centre passes the w and (with depth clip)
 * near/far planes; then a square of the point size centred on it in window
 * space, as two triangles that are never culled, with point coordinates
 * (0,0) at the top-left corner and (1,1) at the bottom-right (R14).
 */
int rp_add_point(struct rp_pass *p, const float clip[4], const float *uvs)
{
	const struct rp_frag_state *fs = &p->snaps[p->st.cur_snapshot];
	unsigned nuvs = p->st.uvs_words;
	if (fs->cull.rasterizer_discard || fs->ctl.tag_write_disable) {
		p->res->primitives_culled++;
		return 0;
	}
	float wmin = p->st.w_clamp > 0 ? p->st.w_clamp : 1e-7f;
	float x = clip[0], y = clip[1], z = clip[2], w = clip[3];
	bool in = w >= wmin;
	if (fs->cull.depth_clip)
		in = in && z <= w && z >= (p->opengl_clip ? -w : 0);
	if (!in) {
		p->res->primitives_culled++;
		return 0;
	}
	float size = 1.0f;
	if (fs->outsel.point_size) {
		unsigned n32 = fs->vc32.smooth + fs->vc32.flat + fs->vc32.linear;
		unsigned n16 = fs->vc16.smooth + fs->vc16.flat + fs->vc16.linear;
		unsigned word = 4 + n32 + (n16 + 1) / 2;
		if (word >= nuvs)
			return rp_fail(p, -EINVAL, "point size is UVS word %u, vertex outputs are %u words",
				       word, nuvs);
		size = uvs[word];
		if (!(size > 0))
			size = 0;
		if (size > 1024)
			size = 1024;
	}
	if (size == 0) {
		p->res->primitives_culled++;
		return 0;
	}
	const struct agx_viewport *vp = &p->st.vp[0];
	static __thread struct rp_vert c[4];
	float iw = 1.0f / w, h = size / 2;
	float cx = vp->translate_x + vp->scale_x * x * iw;
	float cy = vp->translate_y + vp->scale_y * y * iw;
	for (unsigned i = 0; i < 4; i++) {
		c[i].x = cx + ((i & 1) ? h : -h);
		c[i].y = cy + ((i & 2) ? h : -h);
		c[i].z = vp->translate_z + vp->scale_z * z * iw;
		c[i].inv_w = iw;
		c[i].pc[0] = (i & 1) ? 1.0f : 0.0f;
		c[i].pc[1] = (i & 2) ? 1.0f : 0.0f;
		memcpy(c[i].uvs, uvs, nuvs * sizeof(float));
	}
	struct rp_vert t0[3] = { c[0], c[1], c[2] }, t1[3] = { c[1], c[3], c[2] };
	int r = bin_triangle(p, fs, t0, true);
	if (!r)
		r = bin_triangle(p, fs, t1, true);
	return r;
}

/*
 * A line: the segment is clipped (w, near/far with depth clip) in clip
 * space, projected, and rasterised as the rectangle of the line width
 * around it (two never-culled triangles, top-left rule), attributes linear
 * along the segment and constant across it (R15).
 */
int rp_add_line(struct rp_pass *p, const float *a, const float *b)
{
	const struct rp_frag_state *fs = &p->snaps[p->st.cur_snapshot];
	unsigned nuvs = p->st.uvs_words;
	if (fs->cull.rasterizer_discard || fs->ctl.tag_write_disable) {
		p->res->primitives_culled++;
		return 0;
	}
	float wmin = p->st.w_clamp > 0 ? p->st.w_clamp : 1e-7f;
	float t0 = 0, t1 = 1;
	float planes[3][4] = {
		{ 0, 0, 0, 1 },
		{ 0, 0, 1, p->opengl_clip ? 1.0f : 0.0f },
		{ 0, 0, -1, 1 },
	};
	unsigned nplanes = fs->cull.depth_clip ? 3 : 1;
	for (unsigned k = 0; k < nplanes; k++) {
		float off = k == 0 ? -wmin : 0;
		float da = planes[k][2] * a[2] + planes[k][3] * a[3] + off;
		float db = planes[k][2] * b[2] + planes[k][3] * b[3] + off;
		if (da < 0 && db < 0) {
			p->res->primitives_culled++;
			return 0;
		}
		float t = da / (da - db);
		if (da < 0 && t > t0)
			t0 = t;
		if (db < 0 && t < t1)
			t1 = t;
	}
	if (t0 >= t1) {
		p->res->primitives_culled++;
		return 0;
	}
	const struct agx_viewport *vp = &p->st.vp[0];
	static __thread struct rp_vert e[2];
	for (unsigned i = 0; i < 2; i++) {
		float t = i ? t1 : t0, c[4];
		for (unsigned k = 0; k < 4; k++)
			c[k] = a[k] + t * (b[k] - a[k]);
		for (unsigned k = 0; k < nuvs; k++)
			e[i].uvs[k] = a[k] + t * (b[k] - a[k]);
		float iw = 1.0f / c[3];
		e[i].x = vp->translate_x + vp->scale_x * c[0] * iw;
		e[i].y = vp->translate_y + vp->scale_y * c[1] * iw;
		e[i].z = vp->translate_z + vp->scale_z * c[2] * iw;
		e[i].inv_w = iw;
		e[i].pc[0] = e[i].pc[1] = 0;
	}
	/* Line width: 4:4 fixed point stored minus one (facts 2.4). */
	const struct agx_fragment_face *face = &fs->face[0];
	float width = (face->line_width + 1) / 16.0f;
	float dx = e[1].x - e[0].x, dy = e[1].y - e[0].y;
	float len = sqrtf(dx * dx + dy * dy);
	if (!(len > 0) || !isfinite(len)) {
		p->res->primitives_culled++;
		return 0;
	}
	float nx = -dy / len * width / 2, ny = dx / len * width / 2;
	static __thread struct rp_vert q[4];
	for (unsigned i = 0; i < 4; i++) {
		q[i] = e[i < 2 ? 0 : 1];
		float sgn = (i == 0 || i == 3) ? 1.0f : -1.0f;
		q[i].x += sgn * nx;
		q[i].y += sgn * ny;
	}
	/* q0 = a + n, q1 = a - n, q2 = b - n, q3 = b + n */
	struct rp_vert ta[3] = { q[0], q[1], q[2] }, tb[3] = { q[0], q[2], q[3] };
	int r = bin_triangle(p, fs, ta, true);
	if (!r)
		r = bin_triangle(p, fs, tb, true);
	return r;
}

/* ------------------------------------------------------------------ */
/* Per tile */

struct plane { double a, b, c; };   /* v = a*x + b*y + c (window coords) */

static struct plane make_plane(const struct rp_vert *v, const double val[3])
{
	double x1 = v[1].x - v[0].x, y1 = v[1].y - v[0].y;
	double x2 = v[2].x - v[0].x, y2 = v[2].y - v[0].y;
	double det = x1 * y2 - x2 * y1;
	double d1 = val[1] - val[0], d2 = val[2] - val[0];
	struct plane pl;
	pl.a = (d1 * y2 - d2 * y1) / det;
	pl.b = (d2 * x1 - d1 * x2) / det;
	pl.c = val[0] - pl.a * v[0].x - pl.b * v[0].y;
	return pl;
}

static double eval(const struct plane *pl, double x, double y)
{
	return pl->a * x + pl->b * y + pl->c;
}

/* Fragment shading context of one SIMD group. */
struct fs_ctx {
	struct rp_pass *p;
	const struct rp_prim *prim;       /* NULL for the background program */
	const struct rp_frag_state *fs;
	const struct rp_shader *sh;
	unsigned px[AGX_SIMD_WIDTH], py[AGX_SIMD_WIDTH];   /* tile-relative */
	uint8_t cov[AGX_SIMD_WIDTH];      /* live samples */
	uint8_t raster_cov[AGX_SIMD_WIDTH];
	bool tested[AGX_SIMD_WIDTH];
	float cf[RP_MAX_CF][3];           /* d/dx, d/dy, value at tile origin */
	bool zs_emitted[AGX_SIMD_WIDTH];
	float ez[AGX_SIMD_WIDTH];
	uint8_t es[AGX_SIMD_WIDTH];
	bool has_ez[AGX_SIMD_WIDTH], has_es[AGX_SIMD_WIDTH];
	uint32_t helper;                  /* lanes that only complete a quad */
	struct plane zpl;
	float zbias;
	bool eot;
};

uint64_t rp_fld(const struct agx_insn *in, const char *name)
{
	struct agx_field f[32];
	unsigned n = agx_insn_fields(in, f, 32);
	for (unsigned i = 0; i < n && i < 32; i++)
		if (!strcmp(f[i].name, name))
			return f[i].value;
	return 0;
}

static int hook_fail(struct fs_ctx *c, const char *fmt, const char *a, unsigned v)
{
	c->p->hook_err = rp_fail(c->p, -EINVAL, fmt, a, v);
	return -EINVAL;
}

static uint32_t fs_read_sr(void *ctx, unsigned sr, unsigned lane)
{
	struct fs_ctx *c = ctx;
	switch (sr) {
	case 80: return c->p->tx0 + c->px[lane];   /* pixel x (R6) */
	case 81: return c->p->ty0 + c->py[lane];   /* pixel y */
	case 62: return c->prim && c->prim->back;   /* backfacing */
	case 60: case 124: return c->cov[lane];     /* coverage / input sample mask */
	case 14: return c->p->samples == 4 ? 2 : c->p->samples == 2 ? 1 : 0;
	case 52: case 51: case 48: return lane;
	default: return 0;
	}
}

static bool zs_cmp(enum agx_zs_func f, double a, double b)
{
	switch (f) {
	case AGX_ZS_FUNC_NEVER: return false;
	case AGX_ZS_FUNC_LESS: return a < b;
	case AGX_ZS_FUNC_EQUAL: return a == b;
	case AGX_ZS_FUNC_LEQUAL: return a <= b;
	case AGX_ZS_FUNC_GREATER: return a > b;
	case AGX_ZS_FUNC_NOT_EQUAL: return a != b;
	case AGX_ZS_FUNC_GEQUAL: return a >= b;
	default: return true;
	}
}

static uint8_t stencil_op(enum agx_stencil_op op, uint8_t s, uint8_t ref)
{
	switch (op) {
	case AGX_STENCIL_OP_KEEP: return s;
	case AGX_STENCIL_OP_ZERO: return 0;
	case AGX_STENCIL_OP_REPLACE: return ref;
	case AGX_STENCIL_OP_INCR_SAT: return s == 255 ? 255 : s + 1;
	case AGX_STENCIL_OP_DECR_SAT: return s == 0 ? 0 : s - 1;
	case AGX_STENCIL_OP_INVERT: return (uint8_t)~s;
	case AGX_STENCIL_OP_INCR_WRAP: return (uint8_t)(s + 1);
	default: return (uint8_t)(s - 1);
	}
}

static float quantize_z(struct rp_pass *p, double z)
{
	if (p->zls.z_format == AGX_ZLS_FORMAT_16) {
		if (z < 0) z = 0;
		if (z > 1) z = 1;
		return (float)(round(z * 65535.0) / 65535.0);
	}
	return (float)z;
}

/* Depth/stencil test of lane @l's live samples; updates coverage. */
static void zs_test(struct fs_ctx *c, unsigned l)
{
	struct rp_pass *p = c->p;
	const struct rp_frag_state *fs = c->fs;
	unsigned side = (c->prim->back && fs->ctl.two_sided_stencil) ? 1 : 0;
	const struct agx_fragment_face *face = &fs->face[c->prim->back ? 1 : 0];
	const struct agx_fragment_stencil *sten = &fs->stencil[side];
	uint8_t ref = (uint8_t)fs->face[side].stencil_reference;
	c->tested[l] = true;
	for (unsigned s = 0; s < p->samples; s++) {
		if (!(c->cov[l] & (1u << s)))
			continue;
		unsigned idx = ((c->py[l] * p->tw) + c->px[l]) * p->samples + s;
		double z;
		if (c->has_ez[l]) {
			z = c->ez[l];
		} else {
			unsigned sx, sy;
			agxsim_render_sample_pos(p->msctl, s, &sx, &sy);
			z = eval(&c->zpl, p->tx0 + c->px[l] + sx / 16.0, p->ty0 + c->py[l] + sy / 16.0);
			z += c->zbias;
		}
		if (fs->cull.depth_clamp) {
			if (z < 0) z = 0;
			if (z > 1) z = 1;
		}
		float zq = quantize_z(p, z);
		bool spass = true;
		uint8_t sv = p->stencil[idx];
		if (fs->ctl.stencil_test_enable)
			spass = zs_cmp(sten->compare, ref & sten->read_mask, sv & sten->read_mask);
		bool zpass = spass && zs_cmp(face->depth_function, zq, p->depth[idx]);
		if (fs->ctl.stencil_test_enable) {
			enum agx_stencil_op op = !spass ? sten->stencil_fail :
						 !zpass ? sten->depth_fail : sten->depth_pass;
			uint8_t nv = stencil_op(op, sv, c->has_es[l] ? c->es[l] : ref);
			p->stencil[idx] = (uint8_t)((sv & ~sten->write_mask) | (nv & sten->write_mask));
		}
		if (!zpass) {
			c->cov[l] &= (uint8_t)~(1u << s);
			continue;
		}
		if (!face->disable_depth_write)
			p->depth[idx] = zq;
		p->res->samples_passed++;
	}
}

static int fs_varying(void *ctx, struct agxsim_isa_state *s, const struct agx_insn *in)
{
	struct fs_ctx *c = ctx;
	struct rp_pass *p = c->p;
	if (!c->prim)
		return hook_fail(c, "%s: coefficient registers in a program without a primitive%.0u",
				 in->name, 0);
	if (in->op != AGX_OP_ITER && in->op != AGX_OP_ITERPROJ && in->op != AGX_OP_LDCF)
		return hook_fail(c, "fragment shader: %s is a vertex instruction%.0u", in->name, 0);
	unsigned dt = (unsigned)rp_fld(in, "Dt"), d = (unsigned)rp_fld(in, "D");
	unsigned count = (unsigned)rp_fld(in, "count");
	if (!count)
		count = 4;
	if (rp_fld(in, "It"))
		return hook_fail(c, "%s: register-indexed coefficient registers are not modelled%.0u",
				 in->name, 0);
	unsigned ci = (unsigned)rp_fld(in, "I"), cj = (unsigned)rp_fld(in, "J");
	unsigned interp = (unsigned)rp_fld(in, "interpolation");
	unsigned nregs = in->op == AGX_OP_LDCF ? 3 * count : count;
	if (ci + count > c->fs->cf.nr_cf ||
	    (in->op == AGX_OP_ITERPROJ && cj >= c->fs->cf.nr_cf))
		return hook_fail(c, "%s: coefficient register cf%u beyond the bound registers",
				 in->name, ci + count - 1);
	if ((dt ? 2 : 1) * nregs + d > AGX_NUM_GPR_HALVES)
		return hook_fail(c, "%s: destination r%u out of range", in->name, d / 2);
	for (unsigned l = 0; l < AGX_SIMD_WIDTH; l++) {
		if (!(s->exec & (1u << l)))
			continue;
		double ox = c->px[l], oy = c->py[l];   /* centre of the pixel */
		if (interp == 1 || interp == 3) {
			unsigned smp = (unsigned)rp_fld(in, "S");
			if (interp == 3)
				smp = s->regs[l][smp];
			if (smp >= p->samples)
				return hook_fail(c, "%s: sample index %u out of range", in->name, smp);
			unsigned sx, sy;
			agxsim_render_sample_pos(p->msctl, smp, &sx, &sy);
			ox += sx / 16.0 - 0.5;
			oy += sy / 16.0 - 0.5;
		} else if (interp == 2) {
			/* centroid: the first covered sample when the centre is not covered
			 * is not modelled; the centre is used (R4). */
		}
		for (unsigned k = 0; k < nregs; k++) {
			float v;
			if (in->op == AGX_OP_LDCF) {
				v = c->cf[ci + k / 3][k % 3];
			} else {
				const float *cf = c->cf[ci + k];
				double val = cf[0] * ox + cf[1] * oy + cf[2];
				if (in->op == AGX_OP_ITERPROJ) {
					const float *w = c->cf[cj];
					val /= (w[0] * ox + w[1] * oy + w[2]);
				}
				v = (float)val;
			}
			if (dt)
				agxsim_set_reg32(s, l, d / 2 + k, rp_f2u(v));
			else
				s->regs[l][d + k] = rp_f32_to_f16(v);
		}
	}
	return 0;
}

static int fs_tile(void *ctx, struct agxsim_isa_state *s, const struct agx_insn *in)
{
	struct fs_ctx *c = ctx;
	struct rp_pass *p = c->p;
	bool load = rp_fld(in, "load");
	unsigned rt = (unsigned)rp_fld(in, "Rt"), r = (unsigned)rp_fld(in, "R");
	unsigned fmt = (unsigned)rp_fld(in, "F"), mask = (unsigned)rp_fld(in, "mask");
	unsigned off = (unsigned)rp_fld(in, "O"), st = (unsigned)rp_fld(in, "St");
	unsigned sm = (unsigned)rp_fld(in, "S");
	if (rp_fld(in, "C"))
		return hook_fail(c, "%s: explicit tile coordinates (C=%u) are not modelled",
				 in->name, (unsigned)rp_fld(in, "C"));
	if (st > 1)
		return hook_fail(c, "%s: reserved sample-mask operand type %u", in->name, st);
	unsigned csize = rp_tib_comp_size(fmt);
	if (!csize)
		return hook_fail(c, "%s: tile format %u is not modelled", in->name, fmt);
	unsigned top = 0;
	for (unsigned i = 0; i < 4; i++)
		if (mask & (1u << i))
			top = i + 1;
	if (!mask || off + top * csize > p->sample_size)
		return hook_fail(c, "%s: access beyond the %u-byte sample", in->name, p->sample_size);
	unsigned ncomp = (unsigned)__builtin_popcount(mask);
	if (r + ncomp * (rt ? 2 : 1) > AGX_NUM_GPR_HALVES)
		return hook_fail(c, "%s: register r%u out of range", in->name, r / 2);
	for (unsigned l = 0; l < AGX_SIMD_WIDTH; l++) {
		if (!(s->exec & (1u << l)))
			continue;
		if (c->prim && !c->tested[l])
			zs_test(c, l);
		unsigned lm = st ? s->regs[l][sm] : sm;
		unsigned samples = lm & c->cov[l];
		if (!samples)
			continue;
		for (unsigned smp = 0; smp < p->samples; smp++) {
			if (!(samples & (1u << smp)))
				continue;
			uint8_t *px = p->tib + ((size_t)(c->py[l] * p->tw + c->px[l]) * p->samples + smp) *
						       p->sample_size + off;
			unsigned j = 0;
			for (unsigned i = 0; i < 4; i++) {
				if (!(mask & (1u << i)))
					continue;
				int e;
				if (load) {
					uint32_t v;
					e = rp_tib_load(p, px + i * csize, fmt, i, rt, &v);
					if (!e) {
						if (rt)
							agxsim_set_reg32(s, l, r / 2 + j, v);
						else
							s->regs[l][r + j] = (uint16_t)v;
					}
				} else {
					uint32_t v = rt ? agxsim_reg32(s, l, r / 2 + j) : s->regs[l][r + j];
					e = rp_tib_store(p, px + i * csize, fmt, i, v, rt);
				}
				if (e)
					return hook_fail(c, "%s: tile format %u conversion failed",
							 in->name, fmt);
				j++;
			}
			if (load)
				break; /* loads read the first selected sample */
		}
	}
	return 0;
}

static int fs_out(void *ctx, struct agxsim_isa_state *s, const struct agx_insn *in)
{
	struct fs_ctx *c = ctx;
	if (!c->prim)
		return hook_fail(c, "%s in a program without a primitive%.0u", in->name, 0);
	unsigned st = (unsigned)rp_fld(in, "St"), sv = (unsigned)rp_fld(in, "S");
	for (unsigned l = 0; l < AGX_SIMD_WIDTH; l++) {
		if (!(s->exec & (1u << l)))
			continue;
		unsigned target = st ? sv : s->regs[l][sv];   /* St=1: immediate */
		if (in->op == AGX_OP_SAMPLE_MASK) {
			unsigned mt = (unsigned)rp_fld(in, "Mt"), m = (unsigned)rp_fld(in, "M");
			unsigned val = mt ? m : s->regs[l][m];
			/* Samples in @target keep coverage only where @val has a 1. */
			c->cov[l] &= (uint8_t)~(target & ~val);
		} else {
			unsigned t = (unsigned)rp_fld(in, "T");
			bool z = rp_fld(in, "z"), sb = rp_fld(in, "s");
			if (!z && !sb)
				return hook_fail(c, "%s: writes neither depth nor stencil%.0u",
						 in->name, 0);
			if (c->tested[l])
				return hook_fail(c, "%s after the depth/stencil test of the pixel%.0u",
						 in->name, 0);
			if (t + (z ? 2u : 0u) + (sb ? 1u : 0u) > AGX_NUM_GPR_HALVES)
				return hook_fail(c, "%s: register h%u out of range", in->name, t);
			if (z) {
				c->ez[l] = rp_u2f(s->regs[l][t] | ((uint32_t)s->regs[l][t + 1] << 16));
				c->has_ez[l] = true;
			}
			if (sb) {
				c->es[l] = (uint8_t)s->regs[l][t + (z ? 2 : 0)];
				c->has_es[l] = true;
			}
			(void)target; /* all live samples take the emitted values (R8) */
		}
	}
	return 0;
}

static int eot_image_write(void *ctx, struct agxsim_isa_state *s, const struct agx_insn *in)
{
	struct fs_ctx *c = ctx;
	if (in->op != AGX_OP_IMAGE_WRITE_BLOCK)
		return hook_fail(c, "%s (per-pixel image write) is not modelled%.0u", in->name, 0);
	if (!c->eot)
		return hook_fail(c, "%s outside an end-of-tile program%.0u", in->name, 0);
	unsigned tt = (unsigned)rp_fld(in, "Tt"), t = (unsigned)rp_fld(in, "T");
	if (tt != 0)
		return hook_fail(c, "%s: texture operand type %u not modelled", in->name, tt);
	if (!rp_shader_has_texture(c->sh, t))
		return hook_fail(c, "%s: texture state register ts%u not loaded", in->name, t);
	unsigned dim = (unsigned)rp_fld(in, "n");
	if (dim != AGX_TEXTURE_DIMENSION_2D && dim != AGX_TEXTURE_DIMENSION_2D_MULTISAMPLED)
		return hook_fail(c, "%s: dimension %u is not modelled", in->name, dim);
	unsigned reg = (unsigned)rp_fld(in, "R");
	unsigned lane = (unsigned)__builtin_ctz(s->exec);
	uint32_t off = agxsim_reg32(s, lane, reg / 2);
	int r = rp_block_store(c->p, c->sh->b.textures[t], off, (unsigned)rp_fld(in, "F"), dim);
	if (r) {
		c->p->hook_err = r;
		return r;
	}
	return 0;
}

static int fs_texture(void *ctx, struct agxsim_isa_state *s, const struct agx_insn *in)
{
	struct fs_ctx *c = ctx;
	unsigned tt = (unsigned)rp_fld(in, "Tt"), t = (unsigned)rp_fld(in, "T");
	if (tt != 0)
		return hook_fail(c, "%s: texture operand type %u not modelled", in->name, tt);
	if (!rp_shader_has_texture(c->sh, t))
		return hook_fail(c, "%s: texture state register ts%u not loaded", in->name, t);
	int r;
	if (in->op == AGX_OP_TEXTURE_SAMPLE) {
		unsigned st = (unsigned)rp_fld(in, "St"), sn = (unsigned)rp_fld(in, "S");
		if (st != 0)
			return hook_fail(c, "%s: sampler operand type %u not modelled", in->name, st);
		if (sn >= AGXSIM_USC_MAX_SAMPLERS || !(c->sh->b.samplers_loaded >> sn & 1))
			return hook_fail(c, "%s: sampler state register ss%u not loaded", in->name, sn);
		r = rp_texture_sample(c->p, c->sh->b.textures[t], c->sh->b.samplers[sn],
				      c->sh->b.samplers_extended, s, in, rp_fld);
	} else {
		r = rp_texture_load(c->p, c->sh->b.textures[t], s, in, rp_fld);
	}
	if (r) {
		c->p->hook_err = r;
		return r;
	}
	return 0;
}

static void init_group(struct fs_ctx *c, struct agxsim_isa_state *s, unsigned n, uint64_t pc,
		       const struct agxsim_mem_if *mem)
{
	agxsim_isa_init(s, n, pc, mem);
	s->hooks.ctx = c;
	s->hooks.read_sr = fs_read_sr;
	s->hooks.varying = fs_varying;
	s->hooks.tile = fs_tile;
	s->hooks.fragment_out = fs_out;
	s->hooks.image_write = eot_image_write;
	s->hooks.texture = fs_texture;
}

static int check_shared(struct rp_pass *p, const struct rp_shader *sh, const char *what)
{
	if (!sh->b.has_shared)
		return 0;
	unsigned lw = 0, lh = 0;
	switch (sh->b.shared_layout) {
	case AGX_SHARED_LAYOUT_32X32: lw = 32; lh = 32; break;
	case AGX_SHARED_LAYOUT_32X16: lw = 32; lh = 16; break;
	case AGX_SHARED_LAYOUT_16X16: lw = 16; lh = 16; break;
	default:
		return rp_fail(p, -EINVAL, "%s: USC Shared layout %s is not a tile layout", what,
			       rp_str(agx_shared_layout_as_str(sh->b.shared_layout)));
	}
	if (lw != p->tw || lh != p->th || sh->b.sample_count != p->samples ||
	    sh->b.sample_stride_8B * 8 != p->sample_size)
		return rp_fail(p, -EINVAL,
			       "%s: USC Shared (%ux%u, %u samples, %u B) disagrees with the pass (%ux%u, %u samples, %u B)",
			       what, lw, lh, sh->b.sample_count, sh->b.sample_stride_8B * 8,
			       p->tw, p->th, p->samples, p->sample_size);
	return 0;
}

static int run_tile_program(struct rp_pass *p, const struct drm_asahi_bg_eot *prog, bool eot,
			    struct agxsim_isa_state *s, struct fs_ctx *c)
{
	struct rp_shader *sh = calloc(1, sizeof(*sh));
	if (!sh)
		return rp_fail(p, -ENOMEM, "out of memory");
	const char *what = eot ? "end-of-tile program" : "background program";
	struct agx_counts counts;
	unsigned bad = agx_unpack_counts(&prog->rsrc_spec, &counts);
	int r = 0;
	if (bad) {
		r = rp_fail(p, -EINVAL, "%s: malformed rsrc_spec 0x%08x", what, prog->rsrc_spec);
		goto out;
	}
	struct rp_counts pc;
	r = rp_decode_counts(p, prog->rsrc_spec, &pc, what);
	if (!r)
		r = rp_bind_usc(p, prog->usc & ~0x3fu, true, &pc, sh, what);
	if (!r)
		r = check_shared(p, sh, what);
	if (r)
		goto out;
	if (eot) {
		memset(c, 0, sizeof(*c));
		c->p = p;
		c->sh = sh;
		c->eot = true;
		init_group(c, s, 1, sh->b.pc, rp_shader_mem(p));
		r = rp_run_group(p, sh, s, what);
		goto out;
	}
	unsigned npx = p->tw * p->th;
	for (unsigned base = 0; base < npx && !r; base += AGX_SIMD_WIDTH) {
		unsigned n = npx - base < AGX_SIMD_WIDTH ? npx - base : AGX_SIMD_WIDTH;
		memset(c, 0, sizeof(*c));
		c->p = p;
		c->sh = sh;
		for (unsigned l = 0; l < n; l++) {
			/* 2x2 quads in raster order, as for primitives (R21). */
			unsigned k = base + l, q = k / 4, qw = p->tw / 2;
			c->px[l] = 2 * (q % qw) + (k & 1);
			c->py[l] = 2 * (q / qw) + ((k >> 1) & 1);
			c->cov[l] = (uint8_t)((1u << p->samples) - 1);
		}
		init_group(c, s, n, sh->b.pc, rp_shader_mem(p));
		r = rp_run_group(p, sh, s, what);
	}
out:
	free(sh);
	return r;
}

static int build_cf(struct rp_pass *p, struct fs_ctx *c)
{
	const struct rp_prim *pr = c->prim;
	const struct rp_frag_state *fs = c->fs;
	const struct rp_cf_table *t = &fs->cf;
	unsigned flat_v = fs->cull.flat_shading_vertex ? fs->cull.flat_shading_vertex - 1 : 0;
	double zv[3] = { pr->v[0].z, pr->v[1].z, pr->v[2].z };
	c->zpl = make_plane(pr->v, zv);
	unsigned nvary = fs->vc32.smooth + fs->vc32.flat + fs->vc32.linear;
	unsigned first_vary = fs->outsel.frag_coord_z ? 2 : 1;
	for (unsigned i = 0; i < t->nr_bindings; i++) {
		const struct agx_cf_binding *b = &t->b[i];
		for (unsigned k = 0; k < b->components; k++) {
			double val[3];
			unsigned slot = b->base_slot + k;
			for (unsigned v = 0; v < 3; v++) {
				const struct rp_vert *vx = &pr->v[v];
				if (b->source == AGX_COEFFICIENT_SOURCE_FRAGCOORD_Z) {
					val[v] = vx->z;
				} else if (b->source == AGX_COEFFICIENT_SOURCE_POINT_COORD) {
					if (k > 1)
						return rp_fail(p, -EINVAL,
							       "CF binding %u: point coordinates have 2 components",
							       i);
					val[v] = vx->pc[k];
				} else if (b->source != AGX_COEFFICIENT_SOURCE_VARYING) {
					return rp_fail(p, -EINVAL,
						       "CF binding %u: source %s is not modelled", i,
						       rp_str(agx_coefficient_source_as_str(b->source)));
				} else if (slot == 0) {
					val[v] = vx->inv_w;
				} else if (slot == 1 && fs->outsel.frag_coord_z) {
					val[v] = vx->z;
				} else {
					unsigned w = 4 + slot - first_vary;
					if (slot - first_vary >= nvary || w >= p->st.uvs_words)
						return rp_fail(p, -EINVAL,
							       "CF binding %u: slot %u is not a 32-bit varying (%u declared)",
							       i, slot, nvary);
					val[v] = vx->uvs[w];
				}
			}
			double out[3] = { val[0], val[1], val[2] };
			switch (b->shade_model) {
			case AGX_SHADE_MODEL_PERSPECTIVE:
				for (unsigned v = 0; v < 3; v++)
					out[v] = val[v] * pr->v[v].inv_w;
				break;
			case AGX_SHADE_MODEL_LINEAR:
				break;
			default: {
				unsigned pv = b->shade_model == AGX_SHADE_MODEL_FLAT_VERTEX_0 ? 0 :
					      b->shade_model == AGX_SHADE_MODEL_FLAT_VERTEX_1 ? 1 :
					      b->shade_model == AGX_SHADE_MODEL_FLAT_VERTEX_2 ? 2 : flat_v;
				out[0] = out[1] = out[2] = val[pv];
				break;
			}
			}
			struct plane pl = make_plane(pr->v, out);
			float *cf = c->cf[b->base_coefficient_register + k];
			cf[0] = (float)pl.a;
			cf[1] = (float)pl.b;
			cf[2] = (float)eval(&pl, p->tx0 + 0.5, p->ty0 + 0.5);
		}
	}
	/* Shader pixel coordinates for iter are relative to the tile origin:
	 * value = cf[0]*dx + cf[1]*dy + cf[2]. */
	return 0;
}

static bool covered(const struct rp_prim *pr, int64_t sx, int64_t sy)
{
	int64_t X[3], Y[3];
	for (unsigned i = 0; i < 3; i++) {
		X[i] = (int64_t)llroundf(pr->v[i].x * SNAP);
		Y[i] = (int64_t)llroundf(pr->v[i].y * SNAP);
	}
	int64_t area = (X[1] - X[0]) * (Y[2] - Y[0]) - (X[2] - X[0]) * (Y[1] - Y[0]);
	if (area < 0) {
		int64_t tx = X[1], ty = Y[1];
		X[1] = X[2]; Y[1] = Y[2];
		X[2] = tx; Y[2] = ty;
	}
	for (unsigned e = 0; e < 3; e++) {
		unsigned a = e, b = (e + 1) % 3;
		int64_t dx = X[b] - X[a], dy = Y[b] - Y[a];
		int64_t E = dx * (sy - Y[a]) - dy * (sx - X[a]);
		bool tl = (dy == 0 && dx > 0) || dy < 0;
		if (E < 0 || (E == 0 && !tl))
			return false;
	}
	return true;
}

static int shade_group(struct rp_pass *p, const struct rp_frag_state *fs,
		       struct agxsim_isa_state *s, struct fs_ctx *c, unsigned n)
{
	init_group(c, s, n, fs->fs.b.pc, rp_shader_mem(p));
	s->helper = c->helper;
	p->res->fragment_groups++;
	int r = rp_run_group(p, &fs->fs, s, "fragment shader");
	if (r)
		return r;
	/* Lanes that wrote no tile data are depth/stencil tested at the end. */
	for (unsigned l = 0; l < n; l++)
		if (!c->tested[l])
			zs_test(c, l);
	return 0;
}

static int shade_prim(struct rp_pass *p, const struct rp_prim *pr, struct agxsim_isa_state *s,
		      struct fs_ctx *c)
{
	const struct rp_frag_state *fs = &p->snaps[pr->snapshot];
	unsigned x0 = pr->bbox[0] > p->tx0 ? pr->bbox[0] - p->tx0 : 0;
	unsigned y0 = pr->bbox[1] > p->ty0 ? pr->bbox[1] - p->ty0 : 0;
	if (pr->bbox[2] <= p->tx0 || pr->bbox[3] <= p->ty0)
		return 0;
	unsigned x1 = pr->bbox[2] - p->tx0, y1 = pr->bbox[3] - p->ty0;
	if (x0 >= p->tw || y0 >= p->th)
		return 0;
	if (x1 > p->tw) x1 = p->tw;
	if (y1 > p->th) y1 = p->th;

	memset(c, 0, sizeof(*c));
	c->p = p;
	c->prim = pr;
	c->fs = fs;
	c->sh = &fs->fs;
	int r = build_cf(p, c);
	if (r)
		return r;
	if (fs->ctl.depth_bias_enable) {
		if (!p->cmd->isp_dbias_base)
			return rp_fail(p, -EINVAL, "depth bias enabled but isp_dbias_base is 0");
		uint8_t b[12];
		r = rp_read(p, p->cmd->isp_dbias_base + 12ull * fs->dbias_index, b, 12,
			    "depth bias array");
		if (r)
			return r;
		struct agx_depth_bias db;
		if (agx_unpack_depth_bias(b, &db))
			return rp_fail(p, -EINVAL, "depth bias %u malformed", fs->dbias_index);
		double unit = p->zls.z_format == AGX_ZLS_FORMAT_16 ? 1.0 / 65535.0 : 1.0 / (1 << 24);
		double slope = fmax(fabs(c->zpl.a), fabs(c->zpl.b));
		double bias = db.depth_bias * unit + db.slope_scale * slope;
		if (db.clamp > 0 && bias > db.clamp) bias = db.clamp;
		if (db.clamp < 0 && bias < db.clamp) bias = db.clamp;
		c->zbias = (float)bias;
	}
	bool early = fs->fs.b.has_fragment_props && fs->fs.b.early_z_testing;

	/*
	 * Collect 2x2 quads with at least one covered pixel and shade them
	 * eight to a group of 32 lanes: lane bit 0 = x, bit 1 = y inside the
	 * quad (R21). Uncovered pixels of such a quad run as helper lanes
	 * (no coverage, no stores) so that derivatives see their values.
	 */
	unsigned n = 0;
	c->helper = 0;
	for (unsigned y = y0 & ~1u; y < y1; y += 2) {
		for (unsigned x = x0 & ~1u; x < x1; x += 2) {
			bool any = false;
			for (unsigned i = 0; i < 4; i++) {
				unsigned qx = x + (i & 1), qy = y + (i >> 1), l = n + i;
				uint8_t m = 0;
				bool inside = qx >= x0 && qx < x1 && qy >= y0 && qy < y1;
				for (unsigned smp = 0; inside && smp < p->samples; smp++) {
					unsigned sx, sy;
					agxsim_render_sample_pos(p->msctl, smp, &sx, &sy);
					int64_t X = (int64_t)(p->tx0 + qx) * SNAP + sx * (SNAP / 16);
					int64_t Y = (int64_t)(p->ty0 + qy) * SNAP + sy * (SNAP / 16);
					if (covered(pr, X, Y))
						m |= (uint8_t)(1u << smp);
				}
				c->px[l] = qx;
				c->py[l] = qy;
				c->cov[l] = c->raster_cov[l] = m;
				c->tested[l] = false;
				c->has_ez[l] = c->has_es[l] = false;
				if (m && early)
					zs_test(c, l);
				if (c->cov[l])
					any = true;
			}
			if (!any)
				continue;
			for (unsigned i = 0; i < 4; i++)
				if (!c->cov[n + i])
					c->helper |= 1u << (n + i);
			n += 4;
			if (n == AGX_SIMD_WIDTH) {
				r = shade_group(p, fs, s, c, n);
				n = 0;
				c->helper = 0;
				if (r)
					return r;
			}
		}
	}
	return n ? shade_group(p, fs, s, c, n) : 0;
}

int rp_render_tiles(struct rp_pass *p)
{
	const struct drm_asahi_cmd_render *cmd = p->cmd;
	size_t npx = (size_t)p->tw * p->th;
	p->tib = calloc(npx * p->samples, p->sample_size);
	p->depth = calloc(npx * p->samples, sizeof(float));
	p->stencil = calloc(npx * p->samples, 1);
	struct agxsim_isa_state *s = calloc(1, sizeof(*s));
	struct fs_ctx *c = calloc(1, sizeof(*c));
	int r = 0;
	if (!p->tib || !p->depth || !p->stencil || !s || !c) {
		r = rp_fail(p, -ENOMEM, "out of memory");
		goto out;
	}
	unsigned ntx = (cmd->width_px + p->tw - 1) / p->tw;
	unsigned nty = (cmd->height_px + p->th - 1) / p->th;
	for (unsigned ty = 0; ty < nty && !r; ty++) {
		for (unsigned tx = 0; tx < ntx && !r; tx++) {
			p->tx0 = tx * p->tw;
			p->ty0 = ty * p->th;
			bool any = false;
			for (unsigned i = 0; i < p->nr_prims && !any; i++) {
				const unsigned *bb = p->prims[i].bbox;
				any = bb[0] < p->tx0 + p->tw && bb[2] > p->tx0 &&
				      bb[1] < p->ty0 + p->th && bb[3] > p->ty0;
			}
			if (!any && !(cmd->flags & DRM_ASAHI_RENDER_PROCESS_EMPTY_TILES)) {
				p->res->tiles_skipped++;
				continue;
			}
			p->res->tiles++;
			memset(p->tib, 0, npx * p->samples * p->sample_size);
			if ((r = rp_zls_load(p)))
				break;
			if ((r = run_tile_program(p, &cmd->bg, false, s, c)))
				break;
			for (unsigned i = 0; i < p->nr_prims && !r; i++)
				r = shade_prim(p, &p->prims[i], s, c);
			if (r)
				break;
			if ((r = run_tile_program(p, &cmd->eot, true, s, c)))
				break;
			r = rp_zls_store(p);
		}
	}
out:
	free(p->tib);
	free(p->depth);
	free(p->stencil);
	p->tib = NULL;
	p->depth = NULL;
	p->stencil = NULL;
	free(s);
	free(c);
	return r;
}
