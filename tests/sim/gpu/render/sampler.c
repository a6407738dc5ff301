/* SPDX-License-Identifier: MIT */
/*
 * sampler.c - texture_sample: filtered sampling of 2D textures from a
 * texture descriptor (24 B) and a sampler descriptor (8 B, plus the 16-byte
 * custom border of an extended sampler), both as genxml describes them
 * (mesa-asahi-facts.md 2.9).
 *
 * Modelled: formats R8, R8G8, R8G8B8A8 (unorm, snorm, sRGB), R16,
 * R16G16, R16G16B16A16, R32, R32G32, R32G32B32A32 (unorm/snorm/float),
 * R5G6B5 unorm; linear and GPU-tiled layouts; normalised or pixel
 * coordinates; nearest and linear (bilinear) magnify/minify filters; wrap
 * modes clamp to edge, repeat, mirrored repeat, clamp to border (with the
 * three fixed border colours or the custom border), GL clamp, mirrored
 * clamp to edge; the texture's swizzle; mip levels of GPU-tiled textures
 * with mip filter none, nearest or linear. LOD modes (ASSUMPTIONS.md R19):
 * implicit from the quad's coordinate differences (R21), bias, explicit,
 * gradients, with minimum; mip layout R20. Anything else (compare,
 * offsets, gather, 16-bit coordinates, texture or sampler indices in
 * registers, bicubic, anisotropy > 1) is -EINVAL with a message.
 */
#include <math.h>
#include <string.h>

#include "render_internal.h"

struct tex_view {
	struct agx_texture t;
	unsigned comps, bits, bpp;   /* bits per component; bytes per texel */
	bool r565;
	uint64_t stride;             /* linear: bytes per row */
	unsigned lw, lh;             /* the level being sampled */
	uint64_t base;               /* its address */
};

/* Select mip level @level (absolute) of the texture (R20). */
static int view_level(struct rp_pass *p, struct tex_view *v, unsigned level)
{
	v->lw = v->t.width;
	v->lh = v->t.height;
	v->base = v->t.address;
	if (level == 0)
		return 0;
	if (v->t.layout != AGX_LAYOUT_GPU)
		return rp_fail(p, -EINVAL, "texture_sample: mip level %u of a linear texture", level);
	for (unsigned l = 0; l < level; l++) {
		v->base += (rp_gpu_tiled_size(v->lw, v->lh, v->bpp) + 127) & ~127ull;
		v->lw = v->lw > 1 ? v->lw / 2 : 1;
		v->lh = v->lh > 1 ? v->lh / 2 : 1;
	}
	return 0;
}

static double srgb_to_linear(double v)
{
	return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

static int view_init(struct rp_pass *p, const uint8_t desc[24], struct tex_view *v)
{
	memset(v, 0, sizeof(*v));
	unsigned bad = agx_unpack_texture(desc, &v->t);
	if (bad)
		return rp_fail(p, -EINVAL, "texture_sample: malformed texture descriptor (unpack 0x%x)",
			       bad);
	switch (v->t.channels) {
	case AGX_CHANNELS_R8: v->comps = 1; v->bits = 8; break;
	case AGX_CHANNELS_R8G8: v->comps = 2; v->bits = 8; break;
	case AGX_CHANNELS_R8G8B8A8: v->comps = 4; v->bits = 8; break;
	case AGX_CHANNELS_R16: v->comps = 1; v->bits = 16; break;
	case AGX_CHANNELS_R16G16: v->comps = 2; v->bits = 16; break;
	case AGX_CHANNELS_R16G16B16A16: v->comps = 4; v->bits = 16; break;
	case AGX_CHANNELS_R32: v->comps = 1; v->bits = 32; break;
	case AGX_CHANNELS_R32G32: v->comps = 2; v->bits = 32; break;
	case AGX_CHANNELS_R32G32B32A32: v->comps = 4; v->bits = 32; break;
	case AGX_CHANNELS_R5G6B5: v->comps = 3; v->bits = 16; v->r565 = true; break;
	default:
		return rp_fail(p, -EINVAL, "texture_sample: channels %s not modelled",
			       rp_str(agx_channels_as_str(v->t.channels)));
	}
	v->bpp = v->r565 ? 2 : v->comps * v->bits / 8;
	bool ok_type;
	switch (v->t.type) {
	case AGX_TEXTURE_TYPE_UNORM: ok_type = v->bits != 32; break;
	case AGX_TEXTURE_TYPE_SNORM: ok_type = v->bits != 32 && !v->r565; break;
	case AGX_TEXTURE_TYPE_FLOAT: ok_type = v->bits != 8 && !v->r565; break;
	default: ok_type = false; break;   /* integer textures are not filtered */
	}
	if (!ok_type)
		return rp_fail(p, -EINVAL, "texture_sample: type %s of %s cannot be sampled",
			       rp_str(agx_texture_type_as_str(v->t.type)),
			       rp_str(agx_channels_as_str(v->t.channels)));
	if (v->t.srgb && (v->bits != 8 || v->t.type != AGX_TEXTURE_TYPE_UNORM))
		return rp_fail(p, -EINVAL, "texture_sample: sRGB on a non-8-bit unorm format");
	if (v->t.dimension != AGX_TEXTURE_DIMENSION_2D)
		return rp_fail(p, -EINVAL, "texture_sample: only 2D textures are modelled");
	if (v->t.compressed_1 || v->t.extended ||
	    (v->t.layout != AGX_LAYOUT_LINEAR && v->t.layout != AGX_LAYOUT_GPU))
		return rp_fail(p, -EINVAL,
			       "texture_sample: compression, extension or layout %s not modelled",
			       rp_str(agx_layout_as_str(v->t.layout)));
	v->stride = v->t.stride + 16ull;   /* R10: linear stride field = bytes - 16 */
	return 0;
}

/* Texel (x, y) inside the texture, decoded to RGBA (missing = 0, 0, 0, 1). */
static int fetch(struct rp_pass *p, const struct tex_view *v, unsigned x, unsigned y,
		 double out[4])
{
	uint64_t off = v->t.layout == AGX_LAYOUT_LINEAR
			       ? y * v->stride + (uint64_t)x * v->bpp
			       : agxsim_render_gpu_tiled_offset(v->lw, v->lh, v->bpp, x, y);
	uint8_t px[16];
	int e = rp_read(p, v->base + off, px, v->bpp, "texture_sample");
	if (e)
		return e;
	out[0] = out[1] = out[2] = 0;
	out[3] = 1;
	if (v->r565) {
		unsigned w = px[0] | px[1] << 8;
		out[0] = (w & 31) / 31.0;
		out[1] = ((w >> 5) & 63) / 63.0;
		out[2] = (w >> 11) / 31.0;
		return 0;
	}
	for (unsigned k = 0; k < v->comps; k++) {
		const uint8_t *s = px + k * v->bits / 8;
		uint32_t raw = 0;
		for (unsigned i = 0; i < v->bits / 8; i++)
			raw |= (uint32_t)s[i] << (8 * i);
		double d;
		switch (v->t.type) {
		case AGX_TEXTURE_TYPE_UNORM:
			d = raw / (double)((1ull << v->bits) - 1);
			if (v->t.srgb && k < 3)
				d = srgb_to_linear(d);
			break;
		case AGX_TEXTURE_TYPE_SNORM: {
			int32_t sv = (int32_t)(raw << (32 - v->bits)) >> (32 - v->bits);
			d = fmax(sv / (double)((1u << (v->bits - 1)) - 1), -1.0);
			break;
		}
		default:
			d = v->bits == 16 ? rp_f16_to_f32((uint16_t)raw) : rp_u2f(raw);
			break;
		}
		out[k] = d;
	}
	return 0;
}

/* Wrap integer texel index @i of a dimension of @n texels; returns false
 * when the tap takes the border colour. */
static bool wrap(enum agx_wrap mode, long i, long n, long *o)
{
	switch (mode) {
	case AGX_WRAP_REPEAT:
		*o = ((i % n) + n) % n;
		return true;
	case AGX_WRAP_MIRRORED_REPEAT: {
		long t = ((i % (2 * n)) + 2 * n) % (2 * n);
		*o = t < n ? t : 2 * n - 1 - t;
		return true;
	}
	case AGX_WRAP_MIRRORED_CLAMP_TO_EDGE:
		if (i < 0)
			i = -1 - i;
		*o = i >= n ? n - 1 : i;
		return true;
	case AGX_WRAP_CLAMP_TO_BORDER:
	case AGX_WRAP_CLAMP_GL:
		*o = i;
		return i >= 0 && i < n;
	case AGX_WRAP_CLAMP_TO_EDGE:
	default:
		*o = i < 0 ? 0 : i >= n ? n - 1 : i;
		return true;
	}
}

struct smp {
	struct agx_sampler s;
	double border[4];
};

static int tap(struct rp_pass *p, const struct tex_view *v, const struct smp *sm, long x, long y,
	       double out[4])
{
	long wx, wy;
	bool in_x = wrap(sm->s.wrap_s, x, (long)v->lw, &wx);
	bool in_y = wrap(sm->s.wrap_t, y, (long)v->lh, &wy);
	if (!in_x || !in_y) {
		memcpy(out, sm->border, sizeof(sm->border));
		return 0;
	}
	return fetch(p, v, (unsigned)wx, (unsigned)wy, out);
}

/* Sample at texel-space (x, y) (pixel centres at +0.5) with @filter. */
static int filter2d(struct rp_pass *p, const struct tex_view *v, const struct smp *sm,
		    enum agx_filter filter, double x, double y, double out[4])
{
	if (sm->s.wrap_s == AGX_WRAP_CLAMP_GL)
		x = fmin(fmax(x, 0), v->lw);
	if (sm->s.wrap_t == AGX_WRAP_CLAMP_GL)
		y = fmin(fmax(y, 0), v->lh);
	if (filter == AGX_FILTER_NEAREST)
		return tap(p, v, sm, (long)floor(x), (long)floor(y), out);
	double fx = x - 0.5, fy = y - 0.5;
	long x0 = (long)floor(fx), y0 = (long)floor(fy);
	double a = fx - x0, b = fy - y0;
	double t[4][4];
	int r;
	if ((r = tap(p, v, sm, x0, y0, t[0])) || (r = tap(p, v, sm, x0 + 1, y0, t[1])) ||
	    (r = tap(p, v, sm, x0, y0 + 1, t[2])) || (r = tap(p, v, sm, x0 + 1, y0 + 1, t[3])))
		return r;
	for (unsigned k = 0; k < 4; k++)
		out[k] = (1 - a) * (1 - b) * t[0][k] + a * (1 - b) * t[1][k] +
			 (1 - a) * b * t[2][k] + a * b * t[3][k];
	return 0;
}

static int smp_init(struct rp_pass *p, const uint8_t *sdesc, bool extended, struct smp *sm)
{
	unsigned bad = agx_unpack_sampler(sdesc, &sm->s);
	if (bad)
		return rp_fail(p, -EINVAL, "texture_sample: malformed sampler (unpack 0x%x)", bad);
	if (sm->s.magnify > AGX_FILTER_LINEAR || sm->s.minify > AGX_FILTER_LINEAR)
		return rp_fail(p, -EINVAL, "texture_sample: bicubic filtering not modelled");
	if (sm->s.maximum_anisotropy > 1 || sm->s.compare_enable)
		return rp_fail(p, -EINVAL, "texture_sample: anisotropy or compare not modelled");
	switch (sm->s.border_colour) {
	case AGX_BORDER_COLOUR_TRANSPARENT_BLACK:
		sm->border[0] = sm->border[1] = sm->border[2] = sm->border[3] = 0;
		break;
	case AGX_BORDER_COLOUR_OPAQUE_BLACK:
		sm->border[0] = sm->border[1] = sm->border[2] = 0;
		sm->border[3] = 1;
		break;
	case AGX_BORDER_COLOUR_OPAQUE_WHITE:
		sm->border[0] = sm->border[1] = sm->border[2] = sm->border[3] = 1;
		break;
	default:
		/* Custom: the 16 bytes after an extended sampler, 32-bit float
		 * channels (R19). */
		if (!extended)
			return rp_fail(p, -EINVAL,
				       "texture_sample: custom border colour in a compact sampler");
		for (unsigned k = 0; k < 4; k++) {
			uint32_t u;
			memcpy(&u, sdesc + 8 + 4 * k, 4);
			sm->border[k] = rp_u2f(u);
		}
		break;
	}
	return 0;
}

int rp_texture_sample(struct rp_pass *p, const uint8_t desc[24], const uint8_t *sdesc,
		      bool extended, struct agxsim_isa_state *s, const struct agx_insn *in,
		      uint64_t (*fld)(const struct agx_insn *, const char *))
{
	struct tex_view v;
	struct smp sm;
	int r;
	if ((r = view_init(p, desc, &v)) || (r = smp_init(p, sdesc, extended, &sm)))
		return r;
	if (fld(in, "n") != AGX_TEXTURE_DIMENSION_2D)
		return rp_fail(p, -EINVAL, "texture_sample: only 2D sampling is modelled");
	unsigned lod_mode = (unsigned)fld(in, "lod");
	if (fld(in, "Cs") || fld(in, "Ot") || fld(in, "O") || fld(in, "compare"))
		return rp_fail(p, -EINVAL,
			       "texture_sample: 16-bit coordinates, offsets or compare not modelled");
	/* LOD modes (Mesa's agx_lod_mode; bit 2 = operand in registers, R19). */
	bool lod_auto, lod_bias = false, lod_grad = false, lod_min = false;
	switch (lod_mode) {
	case 0: lod_auto = true; break;
	case 1: case 5: lod_auto = lod_bias = true; break;
	case 9: case 13: lod_auto = lod_bias = lod_min = true; break;
	case 2: case 6: lod_auto = false; break;   /* explicit LOD */
	case 4: lod_auto = false; lod_grad = true; break;
	case 12: lod_auto = false; lod_grad = lod_min = true; break;
	default:
		return rp_fail(p, -EINVAL, "texture_sample: LOD mode %u not modelled", lod_mode);
	}
	unsigned dreg = (unsigned)fld(in, "D");
	bool d_in_regs = lod_mode & 4;
	if ((lod_grad && dreg / 2 + 5 > AGX_NUM_GPR_HALVES / 2) ||
	    (!lod_grad && dreg + 2 > (d_in_regs ? AGX_NUM_GPR_HALVES : AGX_NUM_UNIFORM_HALVES)))
		return rp_fail(p, -EINVAL, "texture_sample: LOD operand out of range");
	unsigned first = v.t.first_level, last = v.t.last_level < first ? first : v.t.last_level;
	/* Derivatives are measured in texels of the base level. */
	double bw = v.t.width >> first ? v.t.width >> first : 1;
	double bh = v.t.height >> first ? v.t.height >> first : 1;
	if (sm.s.pixel_coordinates)
		bw = bh = 1;

	unsigned c = (unsigned)fld(in, "C"), rr = (unsigned)fld(in, "R");
	bool rt = fld(in, "Rt");
	unsigned mask = in->comp_mask ? in->comp_mask : 0xf;
	unsigned ncomp = (unsigned)__builtin_popcount(mask);
	if (c / 2 + 2 > AGX_NUM_GPR_HALVES / 2 || rr + ncomp * (rt ? 2 : 1) > AGX_NUM_GPR_HALVES)
		return rp_fail(p, -EINVAL, "texture_sample: registers out of range");
	enum agx_channel swz[4] = { v.t.swizzle_r, v.t.swizzle_g, v.t.swizzle_b, v.t.swizzle_a };
	for (unsigned l = 0; l < AGX_SIMD_WIDTH; l++) {
		if (!(s->exec & (1u << l)))
			continue;
		/* The LOD of this lane (R19). */
		double lod;
		if (lod_auto || lod_grad) {
			double dudx, dvdx, dudy, dvdy;
			if (lod_grad) {
				dudx = rp_u2f(agxsim_reg32(s, l, dreg / 2));
				dudy = rp_u2f(agxsim_reg32(s, l, dreg / 2 + 1));
				dvdx = rp_u2f(agxsim_reg32(s, l, dreg / 2 + 2));
				dvdy = rp_u2f(agxsim_reg32(s, l, dreg / 2 + 3));
			} else {
				/* Coarse: the quad's top-left lane against its right
				 * and lower neighbours (lane bit 0 = x, bit 1 = y). */
				unsigned q = l & ~3u;
				double u0 = rp_u2f(agxsim_reg32(s, q, c / 2));
				double w0 = rp_u2f(agxsim_reg32(s, q, c / 2 + 1));
				dudx = rp_u2f(agxsim_reg32(s, q | 1, c / 2)) - u0;
				dvdx = rp_u2f(agxsim_reg32(s, q | 1, c / 2 + 1)) - w0;
				dudy = rp_u2f(agxsim_reg32(s, q | 2, c / 2)) - u0;
				dvdy = rp_u2f(agxsim_reg32(s, q | 2, c / 2 + 1)) - w0;
			}
			double rx = hypot(dudx * bw, dvdx * bh), ry = hypot(dudy * bw, dvdy * bh);
			double rho = fmax(rx, ry);
			lod = rho > 0 && rho == rho ? log2(rho) : -INFINITY;
		} else {
			uint16_t h = d_in_regs ? s->regs[l][dreg] : s->uniforms[dreg];
			lod = rp_f16_to_f32(h);
		}
		if (lod_bias)
			lod += rp_f16_to_f32(d_in_regs ? s->regs[l][dreg] : s->uniforms[dreg]);
		if (lod_min) {
			uint16_t h = lod_grad ? s->regs[l][dreg + 8]
					      : d_in_regs ? s->regs[l][dreg + 1] : s->uniforms[dreg + 1];
			lod = fmax(lod, rp_f16_to_f32(h));
		}
		if (lod != lod)
			lod = 0;
		lod = fmin(fmax(lod, sm.s.minimum_lod), sm.s.maximum_lod);
		/* Levels: first_level + LOD, within [first_level, last_level]. */
		enum agx_filter filter = lod > 0 ? sm.s.minify : sm.s.magnify;
		unsigned lv[2] = { first, first };
		double mix = 0;
		double lpos = fmax(lod, 0);
		if (sm.s.mip_filter == AGX_MIP_FILTER_NEAREST) {
			lv[0] = lv[1] = first + (unsigned)fmin(floor(lpos + 0.5), 64);
		} else if (sm.s.mip_filter == AGX_MIP_FILTER_LINEAR) {
			lv[0] = first + (unsigned)fmin(floor(lpos), 64);
			lv[1] = lv[0] + 1;
			mix = lpos - floor(lpos);
		}
		for (unsigned i = 0; i < 2; i++)
			if (lv[i] > last)
				lv[i] = last;
		if (lv[0] == lv[1])
			mix = 0;
		struct tex_view vl = v, v1 = v;
		if ((r = view_level(p, &vl, lv[0])) || (r = view_level(p, &v1, lv[1])))
			return r;

		double u = rp_u2f(agxsim_reg32(s, l, c / 2));
		double w = rp_u2f(agxsim_reg32(s, l, c / 2 + 1));
		if (u != u || w != w)
			u = w = 0;   /* NaN coordinates sample texel 0 (R19) */
		/* Keep huge coordinates finite for the integer conversions. */
		u = fmin(fmax(u, -1e6), 1e6);
		w = fmin(fmax(w, -1e6), 1e6);
		double val[4], val1[4];
		if ((r = filter2d(p, &vl, &sm, filter, sm.s.pixel_coordinates ? u : u * vl.lw,
				  sm.s.pixel_coordinates ? w : w * vl.lh, val)))
			return r;
		if (mix > 0) {
			if ((r = filter2d(p, &v1, &sm, filter, sm.s.pixel_coordinates ? u : u * v1.lw,
					  sm.s.pixel_coordinates ? w : w * v1.lh, val1)))
				return r;
			for (unsigned k = 0; k < 4; k++)
				val[k] = val[k] * (1 - mix) + val1[k] * mix;
		}
		unsigned j = 0;
		for (unsigned k = 0; k < 4; k++) {
			if (!(mask & (1u << k)))
				continue;
			double fv;
			switch (swz[k]) {
			case AGX_CHANNEL_ONE: fv = 1; break;
			case AGX_CHANNEL_ZERO: fv = 0; break;
			default: fv = val[swz[k] & 3]; break;
			}
			if (rt)
				agxsim_set_reg32(s, l, rr / 2 + j, rp_f2u((float)fv));
			else
				s->regs[l][rr + j] = rp_f32_to_f16((float)fv);
			j++;
		}
	}
	return 0;
}
