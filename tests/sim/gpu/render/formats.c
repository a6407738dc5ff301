/* SPDX-License-Identifier: MIT */
/*
 * formats.c - tile-buffer formats (ld_tile/st_tile), PBE block stores
 * (image_write_block) and the ZLS (depth/stencil load/store) of the
 * render path, with the image layouts they write: strided linear and
 * GPU-tiled (facts 2.9; ASSUMPTIONS.md R9..R12).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render_internal.h"
#include "drm/asahi_drm.h"

/* Memory formats of the tile instructions (isa-facts: i8 0, i16 1, i32 2,
 * f16 3, u8norm 4, s8norm 5, u16norm 6, s16norm 7, srgba8 10). */
enum { TF_I8 = 0, TF_I16 = 1, TF_I32 = 2, TF_F16 = 3, TF_U8N = 4, TF_S8N = 5,
       TF_U16N = 6, TF_S16N = 7, TF_SRGBA8 = 10 };

uint16_t rp_f32_to_f16(float f)
{
	uint32_t x = rp_f2u(f);
	uint32_t sign = (x >> 16) & 0x8000;
	int exp = (int)((x >> 23) & 0xff);
	uint32_t man = x & 0x7fffff;
	if (exp == 0xff)
		return (uint16_t)(sign | 0x7c00 | (man ? 0x200 : 0));
	int e = exp - 127 + 15;
	if (e >= 31)
		return (uint16_t)(sign | 0x7c00);
	if (e <= 0) {
		if (e < -10)
			return (uint16_t)sign;
		man |= 0x800000;
		unsigned shift = (unsigned)(14 - e);
		uint32_t h = man >> shift;
		uint32_t rem = man & ((1u << shift) - 1), half = 1u << (shift - 1);
		if (rem > half || (rem == half && (h & 1)))
			h++;
		return (uint16_t)(sign | h);
	}
	uint32_t h = ((uint32_t)e << 10) | (man >> 13);
	uint32_t rem = man & 0x1fff;
	if (rem > 0x1000 || (rem == 0x1000 && (h & 1)))
		h++;
	return (uint16_t)(sign | h);
}

float rp_f16_to_f32(uint16_t h)
{
	uint32_t sign = (uint32_t)(h & 0x8000) << 16;
	unsigned e = (h >> 10) & 0x1f, m = h & 0x3ff;
	if (e == 0)
		return (sign ? -1.0f : 1.0f) * ldexpf((float)m, -24);
	if (e == 31)
		return rp_u2f(sign | 0x7f800000 | (m << 13));
	return rp_u2f(sign | ((e + 112) << 23) | (m << 13));
}

unsigned rp_tib_comp_size(unsigned fmt)
{
	switch (fmt) {
	case TF_I8: case TF_U8N: case TF_S8N: case TF_SRGBA8: return 1;
	case TF_I16: case TF_F16: case TF_U16N: case TF_S16N: return 2;
	case TF_I32: return 4;
	default: return 0;
	}
}

static float reg_float(uint32_t v, bool is32)
{
	return is32 ? rp_u2f(v) : rp_f16_to_f32((uint16_t)v);
}

static uint32_t float_reg(float f, bool is32)
{
	return is32 ? rp_f2u(f) : rp_f32_to_f16(f);
}

static double clampd(double v, double lo, double hi)
{
	return v != v ? 0 : v < lo ? lo : v > hi ? hi : v;
}

static double srgb_encode(double l)
{
	l = clampd(l, 0, 1);
	return l <= 0.0031308 ? l * 12.92 : 1.055 * pow(l, 1 / 2.4) - 0.055;
}

static double srgb_decode(double s)
{
	return s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4);
}

int rp_tib_store(struct rp_pass *p, uint8_t *dst, unsigned fmt, unsigned comp, uint32_t value,
		 bool is32)
{
	(void)p;
	double f = reg_float(value, is32);
	switch (fmt) {
	case TF_I8: dst[0] = (uint8_t)value; return 0;
	case TF_I16: dst[0] = (uint8_t)value; dst[1] = (uint8_t)(value >> 8); return 0;
	case TF_I32: {
		uint32_t v = is32 ? value : value & 0xffff;
		memcpy(dst, &v, 4);
		return 0;
	}
	case TF_F16: {
		uint16_t h = is32 ? rp_f32_to_f16(rp_u2f(value)) : (uint16_t)value;
		memcpy(dst, &h, 2);
		return 0;
	}
	case TF_U8N: dst[0] = (uint8_t)lrint(clampd(f, 0, 1) * 255.0); return 0;
	case TF_S8N: dst[0] = (uint8_t)(int8_t)lrint(clampd(f, -1, 1) * 127.0); return 0;
	case TF_U16N: {
		uint16_t v = (uint16_t)lrint(clampd(f, 0, 1) * 65535.0);
		memcpy(dst, &v, 2);
		return 0;
	}
	case TF_S16N: {
		int16_t v = (int16_t)lrint(clampd(f, -1, 1) * 32767.0);
		memcpy(dst, &v, 2);
		return 0;
	}
	case TF_SRGBA8:
		dst[0] = (uint8_t)lrint((comp < 3 ? srgb_encode(f) : clampd(f, 0, 1)) * 255.0);
		return 0;
	default:
		return -EINVAL;
	}
}

int rp_tib_load(struct rp_pass *p, const uint8_t *src, unsigned fmt, unsigned comp, bool is32,
		uint32_t *value)
{
	(void)p;
	switch (fmt) {
	case TF_I8: *value = src[0]; return 0;
	case TF_I16: *value = src[0] | (src[1] << 8); return 0;
	case TF_I32: memcpy(value, src, 4); if (!is32) *value &= 0xffff; return 0;
	case TF_F16: {
		uint16_t h;
		memcpy(&h, src, 2);
		*value = is32 ? rp_f2u(rp_f16_to_f32(h)) : h;
		return 0;
	}
	case TF_U8N: *value = float_reg((float)(src[0] / 255.0), is32); return 0;
	case TF_S8N: *value = float_reg((float)fmax((int8_t)src[0] / 127.0, -1.0), is32); return 0;
	case TF_U16N: {
		uint16_t v;
		memcpy(&v, src, 2);
		*value = float_reg((float)(v / 65535.0), is32);
		return 0;
	}
	case TF_S16N: {
		int16_t v;
		memcpy(&v, src, 2);
		*value = float_reg((float)fmax(v / 32767.0, -1.0), is32);
		return 0;
	}
	case TF_SRGBA8: {
		double s = src[0] / 255.0;
		*value = float_reg((float)(comp < 3 ? srgb_decode(s) : s), is32);
		return 0;
	}
	default:
		return -EINVAL;
	}
}

/* Morton index of (x, y) inside a tw x th tile (both powers of two):
 * bits of x and y interleaved from bit 0 (x first) while both have bits,
 * then the remaining bits of the longer side. */
static uint64_t morton(unsigned x, unsigned y, unsigned tw, unsigned th)
{
	uint64_t r = 0;
	unsigned bit = 0;
	for (unsigned i = 0; (1u << i) < tw || (1u << i) < th; i++) {
		if ((1u << i) < tw)
			r |= (uint64_t)((x >> i) & 1) << bit++;
		if ((1u << i) < th)
			r |= (uint64_t)((y >> i) & 1) << bit++;
	}
	return r;
}

static unsigned pot(unsigned v)
{
	unsigned r = 1;
	while (r < v)
		r <<= 1;
	return r;
}

/* Tile dimensions of a GPU-tiled image (R9). */
static void gpu_tile_dims(unsigned width, unsigned height, unsigned bpp, unsigned *tw,
			  unsigned *th)
{
	switch (bpp) {
	case 1: *tw = 128; *th = 128; break;
	case 2: *tw = 128; *th = 64; break;
	case 4: *tw = 64; *th = 64; break;
	case 8: *tw = 64; *th = 32; break;
	default: *tw = 32; *th = 32; break;
	}
	/* Images smaller than a tile use m x m tiles, m = pot(min(w, h)). */
	unsigned m = pot(width < height ? width : height);
	if (m < *tw) *tw = m;
	if (m < *th) *th = m;
}

uint64_t agxsim_render_gpu_tiled_offset(unsigned width, unsigned height, unsigned bpp,
					unsigned x, unsigned y)
{
	unsigned tw, th;
	gpu_tile_dims(width, height, bpp, &tw, &th);
	unsigned tiles_x = (width + tw - 1) / tw;
	uint64_t tile = (uint64_t)(y / th) * tiles_x + x / tw;
	return (tile * tw * th + morton(x % tw, y % th, tw, th)) * bpp;
}

uint64_t rp_gpu_tiled_size(unsigned width, unsigned height, unsigned bpp)
{
	unsigned tw, th;
	gpu_tile_dims(width, height, bpp, &tw, &th);
	return (uint64_t)((width + tw - 1) / tw) * ((height + th - 1) / th) * tw * th * bpp;
}

/* ------------------------------------------------------------------ */
/* PBE block store */

struct pbe_fmt {
	unsigned comps, bits;   /* components, bits per component */
};

static bool pbe_format(enum agx_channels ch, struct pbe_fmt *f)
{
	switch (ch) {
	case AGX_CHANNELS_R8: f->comps = 1; f->bits = 8; return true;
	case AGX_CHANNELS_R8G8: f->comps = 2; f->bits = 8; return true;
	case AGX_CHANNELS_R8G8B8A8: f->comps = 4; f->bits = 8; return true;
	case AGX_CHANNELS_R16: f->comps = 1; f->bits = 16; return true;
	case AGX_CHANNELS_R16G16: f->comps = 2; f->bits = 16; return true;
	case AGX_CHANNELS_R16G16B16A16: f->comps = 4; f->bits = 16; return true;
	case AGX_CHANNELS_R32: f->comps = 1; f->bits = 32; return true;
	case AGX_CHANNELS_R32G32: f->comps = 2; f->bits = 32; return true;
	case AGX_CHANNELS_R32G32B32A32: f->comps = 4; f->bits = 32; return true;
	default: return false;
	}
}

static bool tib_is_float(unsigned fmt)
{
	return fmt == TF_F16 || fmt == TF_U8N || fmt == TF_S8N || fmt == TF_U16N ||
	       fmt == TF_S16N || fmt == TF_SRGBA8;
}

static int encode_pbe(enum agx_texture_type type, unsigned bits, bool src_float, uint32_t v,
		      uint8_t *out)
{
	float f = rp_u2f(v);
	uint32_t raw;
	switch (type) {
	case AGX_TEXTURE_TYPE_UNORM:
		if (!src_float || bits == 32)
			return -EINVAL;
		raw = (uint32_t)lrint(clampd(f, 0, 1) * (double)((1u << bits) - 1));
		break;
	case AGX_TEXTURE_TYPE_SNORM:
		if (!src_float || bits == 32)
			return -EINVAL;
		raw = (uint32_t)lrint(clampd(f, -1, 1) * (double)((1u << (bits - 1)) - 1));
		break;
	case AGX_TEXTURE_TYPE_FLOAT:
		if (!src_float || bits == 8)
			return -EINVAL;
		raw = bits == 16 ? rp_f32_to_f16(f) : v;
		break;
	case AGX_TEXTURE_TYPE_UINT:
	case AGX_TEXTURE_TYPE_SINT:
		if (src_float)
			return -EINVAL;
		raw = v;
		break;
	default:
		return -EINVAL;
	}
	for (unsigned i = 0; i < bits / 8; i++)
		out[i] = (uint8_t)(raw >> (8 * i));
	return 0;
}

int rp_block_store(struct rp_pass *p, const uint8_t desc[24], unsigned tib_offset, unsigned fmt,
		   unsigned dim)
{
	struct agx_pbe pbe;
	unsigned bad = agx_unpack_pbe(desc, &pbe);
	if (bad)
		return rp_fail(p, -EINVAL, "block store: malformed PBE descriptor (unpack 0x%x)", bad);
	if (p->env->trace) {
		fprintf(p->env->trace, "  PBE (block store, tile %u,%u, offset %u, format %u)\n",
			p->tx0, p->ty0, tib_offset, fmt);
		agx_print_pbe(p->env->trace, &pbe, 4);
	}
	struct pbe_fmt pf;
	if (!pbe_format(pbe.channels, &pf))
		return rp_fail(p, -EINVAL, "block store: PBE channels %s not modelled",
			       rp_str(agx_channels_as_str(pbe.channels)));
	if (pbe.dimension != AGX_TEXTURE_DIMENSION_2D &&
	    pbe.dimension != AGX_TEXTURE_DIMENSION_2D_MULTISAMPLED)
		return rp_fail(p, -EINVAL, "block store: PBE dimension %s not modelled",
			       rp_str(agx_texture_dimension_as_str(pbe.dimension)));
	if (pbe.dimension != dim)
		return rp_fail(p, -EINVAL, "block store: instruction dimension %u, PBE %s", dim,
			       rp_str(agx_texture_dimension_as_str(pbe.dimension)));
	/* Multisampled images: every sample, stored consecutively per pixel (R10). */
	unsigned ns = 1;
	if (pbe.dimension == AGX_TEXTURE_DIMENSION_2D_MULTISAMPLED) {
		ns = pbe.samples == AGX_SAMPLE_COUNT_4 ? 4 : 2;
		if (ns != p->samples)
			return rp_fail(p, -EINVAL, "block store: %u-sample image, %u-sample pass", ns,
				       p->samples);
	}
	if (pbe.compressed_1 || pbe.extended || pbe.rotate_90 || pbe.flip_vertical ||
	    pbe.level != 0)
		return rp_fail(p, -EINVAL,
			       "block store: compression/extension/rotation/flip/level not modelled");
	if (pbe.layout != AGX_LAYOUT_LINEAR && pbe.layout != AGX_LAYOUT_GPU)
		return rp_fail(p, -EINVAL, "block store: layout %s not modelled",
			       rp_str(agx_layout_as_str(pbe.layout)));
	unsigned csize = rp_tib_comp_size(fmt);
	if (!csize)
		return rp_fail(p, -EINVAL, "block store: tile format %u not modelled", fmt);
	if ((uint64_t)tib_offset + pf.comps * csize > p->sample_size)
		return rp_fail(p, -EINVAL, "block store: offset %u + %u B beyond the %u-byte sample",
			       tib_offset, pf.comps * csize, p->sample_size);
	unsigned bpp = pf.comps * pf.bits / 8, tbpp = bpp * ns;
	uint64_t stride = pbe.stride + 4ull;   /* R10: linear stride field = bytes - 4 */
	if (pbe.layout == AGX_LAYOUT_LINEAR && (stride < (uint64_t)pbe.width * tbpp || (stride & 15)))
		return rp_fail(p, -EINVAL, "block store: linear stride %llu B invalid for %u px",
			       (unsigned long long)stride, pbe.width);
	enum agx_channel swz[4] = { pbe.swizzle_r, pbe.swizzle_g, pbe.swizzle_b, pbe.swizzle_a };
	bool src_float = tib_is_float(fmt);
	for (unsigned y = 0; y < p->th; y++) {
		unsigned iy = p->ty0 + y;
		if (iy >= pbe.height)
			break;
		for (unsigned x = 0; x < p->tw; x++) {
			unsigned ix = p->tx0 + x;
			if (ix >= pbe.width)
				break;
			for (unsigned smp = 0; smp < ns; smp++) {
			const uint8_t *src = p->tib + ((size_t)(y * p->tw + x) * p->samples + smp) *
							      p->sample_size + tib_offset;
			uint32_t in[4] = { 0 }, outv[4];
			for (unsigned c = 0; c < pf.comps; c++)
				if (rp_tib_load(p, src + c * csize, fmt, c, true, &in[c]))
					return rp_fail(p, -EINVAL, "block store: bad tile format");
			for (unsigned c = 0; c < pf.comps; c++)
				outv[c] = in[swz[c] < pf.comps ? swz[c] : 0];
			uint8_t px[16];
			for (unsigned c = 0; c < pf.comps; c++)
				if (encode_pbe(pbe.type, pf.bits, src_float, outv[c],
					       px + c * pf.bits / 8))
					return rp_fail(p, -EINVAL,
						       "block store: tile format %u cannot be written as %s %s",
						       fmt, rp_str(agx_texture_type_as_str(pbe.type)),
						       rp_str(agx_channels_as_str(pbe.channels)));
			uint64_t off = pbe.layout == AGX_LAYOUT_LINEAR
					       ? iy * stride + (uint64_t)ix * tbpp
					       : agxsim_render_gpu_tiled_offset(pbe.width, pbe.height,
										tbpp, ix, iy);
			int r = rp_write(p, pbe.buffer + off + smp * bpp, px, bpp, "PBE block store");
			if (r)
				return r;
			}
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* ZLS */

static int zls_check(struct rp_pass *p, bool depth, bool compress, enum agx_zls_tiling t,
		     unsigned *w, unsigned *h)
{
	struct agx_cr_isp_zls_pixels zp;
	if (agx_unpack_cr_isp_zls_pixels(&p->cmd->isp_zls_pixels, &zp))
		return rp_fail(p, -EINVAL, "isp_zls_pixels 0x%x malformed", p->cmd->isp_zls_pixels);
	*w = zp.x;
	*h = zp.y;
	if (compress)
		return rp_fail(p, -EINVAL, "ZLS: compressed %s is not modelled",
			       depth ? "depth" : "stencil");
	if (t != AGX_ZLS_TILING_GPU)
		return rp_fail(p, -EINVAL, "ZLS: %s tiling %s is not modelled",
			       depth ? "depth" : "stencil", rp_str(agx_zls_tiling_as_str(t)));
	if (p->samples != 1)
		return rp_fail(p, -EINVAL, "ZLS: multisampled depth/stencil memory is not modelled");
	if (!(depth ? p->cmd->depth.base : p->cmd->stencil.base))
		return rp_fail(p, -EINVAL, "ZLS: %s load/store with a zero base",
			       depth ? "depth" : "stencil");
	return 0;
}

static int zls_pixels(struct rp_pass *p, bool store, bool depth, bool compress,
		      enum agx_zls_tiling t)
{
	unsigned w = 0, h = 0;
	int r = zls_check(p, depth, compress, t, &w, &h);
	if (r)
		return r;
	unsigned bpp = depth ? (p->zls.z_format == AGX_ZLS_FORMAT_16 ? 2 : 4) : 1;
	uint64_t base = depth ? p->cmd->depth.base : p->cmd->stencil.base;
	for (unsigned y = 0; y < p->th; y++) {
		for (unsigned x = 0; x < p->tw; x++) {
			unsigned ix = p->tx0 + x, iy = p->ty0 + y;
			if (ix >= w || iy >= h)
				continue;
			uint64_t va = base + agxsim_render_gpu_tiled_offset(w, h, bpp, ix, iy);
			unsigned i = y * p->tw + x;
			uint8_t b[4];
			if (store) {
				if (!depth) {
					b[0] = p->stencil[i];
				} else if (bpp == 2) {
					uint16_t v = (uint16_t)lrint(clampd(p->depth[i], 0, 1) * 65535.0);
					memcpy(b, &v, 2);
				} else {
					memcpy(b, &p->depth[i], 4);
				}
				r = rp_write(p, va, b, bpp, "ZLS store");
				if (r)
					return r;
			} else {
				r = rp_read(p, va, b, bpp, "ZLS load");
				if (r)
					return r;
				if (!depth) {
					p->stencil[i] = b[0];
				} else if (bpp == 2) {
					uint16_t v;
					memcpy(&v, b, 2);
					p->depth[i] = (float)(v / 65535.0);
				} else {
					memcpy(&p->depth[i], b, 4);
				}
			}
		}
	}
	return 0;
}

int rp_zls_load(struct rp_pass *p)
{
	size_t n = (size_t)p->tw * p->th * p->samples;
	float clear_z;
	if (p->zls.z_format == AGX_ZLS_FORMAT_16)
		clear_z = (float)((p->cmd->isp_bgobjdepth & 0xffff) / 65535.0);
	else
		clear_z = rp_u2f(p->cmd->isp_bgobjdepth);
	for (size_t i = 0; i < n; i++) {
		p->depth[i] = clear_z;
		p->stencil[i] = (uint8_t)p->cmd->isp_bgobjvals;
	}
	int r = 0;
	if (p->zls.z_load)
		r = zls_pixels(p, false, true, p->zls.z_load_compress, p->zls.z_load_tiling);
	if (!r && p->zls.s_load)
		r = zls_pixels(p, false, false, p->zls.s_load_compress, p->zls.s_load_tiling);
	return r;
}

int rp_zls_store(struct rp_pass *p)
{
	int r = 0;
	if (p->zls.z_store)
		r = zls_pixels(p, true, true, p->zls.z_store_compress, p->zls.z_store_tiling);
	if (!r && p->zls.s_store)
		r = zls_pixels(p, true, false, p->zls.s_store_compress, p->zls.s_store_tiling);
	return r;
}

/* ------------------------------------------------------------------ */
/* texture_load (texel fetch) for background/load programs */

static double decode_channel(enum agx_texture_type type, unsigned bits, const uint8_t *src,
			     bool *is_int, uint32_t *ival)
{
	uint32_t raw = 0;
	for (unsigned i = 0; i < bits / 8; i++)
		raw |= (uint32_t)src[i] << (8 * i);
	*is_int = false;
	switch (type) {
	case AGX_TEXTURE_TYPE_UNORM:
		return raw / (double)((1ull << bits) - 1);
	case AGX_TEXTURE_TYPE_SNORM: {
		int32_t sv = (int32_t)(raw << (32 - bits)) >> (32 - bits);
		return fmax(sv / (double)((1u << (bits - 1)) - 1), -1.0);
	}
	case AGX_TEXTURE_TYPE_FLOAT:
		return bits == 16 ? rp_f16_to_f32((uint16_t)raw) : rp_u2f(raw);
	default:
		*is_int = true;
		*ival = raw;
		return 0;
	}
}

int rp_texture_load(struct rp_pass *p, const uint8_t desc[24], struct agxsim_isa_state *s,
		    const struct agx_insn *in, uint64_t (*fld)(const struct agx_insn *, const char *))
{
	struct agx_texture tex;
	unsigned bad = agx_unpack_texture(desc, &tex);
	if (bad)
		return rp_fail(p, -EINVAL, "texture_load: malformed texture descriptor (unpack 0x%x)",
			       bad);
	struct pbe_fmt pf;
	if (!pbe_format(tex.channels, &pf))
		return rp_fail(p, -EINVAL, "texture_load: channels %s not modelled",
			       rp_str(agx_channels_as_str(tex.channels)));
	if (tex.dimension != AGX_TEXTURE_DIMENSION_2D || fld(in, "n") != AGX_TEXTURE_DIMENSION_2D)
		return rp_fail(p, -EINVAL, "texture_load: only 2D textures are modelled");
	if (tex.compressed_1 || tex.extended || tex.srgb ||
	    (tex.layout != AGX_LAYOUT_LINEAR && tex.layout != AGX_LAYOUT_GPU))
		return rp_fail(p, -EINVAL,
			       "texture_load: compression, extension, sRGB or layout %s not modelled",
			       rp_str(agx_layout_as_str(tex.layout)));
	/* Level: mode 0 = the base level; 2 / 6 = base + a 16-bit integer in
	 * a uniform / register half (Mesa's txf with a LOD, R20). */
	unsigned lod_mode = (unsigned)fld(in, "lod"), dh = (unsigned)fld(in, "D");
	if ((lod_mode != 0 && lod_mode != 2 && lod_mode != 6) || fld(in, "Cs") || fld(in, "Ot") ||
	    fld(in, "O") || fld(in, "compare"))
		return rp_fail(p, -EINVAL,
			       "texture_load: LOD mode %u, 16-bit coordinates, offsets or compare not modelled",
			       lod_mode);
	if (lod_mode && dh >= (lod_mode == 6 ? AGX_NUM_GPR_HALVES : AGX_NUM_UNIFORM_HALVES))
		return rp_fail(p, -EINVAL, "texture_load: LOD operand out of range");
	unsigned last = tex.last_level < tex.first_level ? tex.first_level : tex.last_level;
	if ((tex.first_level || (lod_mode && last)) && tex.layout != AGX_LAYOUT_GPU)
		return rp_fail(p, -EINVAL, "texture_load: mip levels of a linear texture");
	unsigned bpp = pf.comps * pf.bits / 8;
	uint64_t stride = tex.stride + 16ull;   /* R10: linear stride field = bytes - 16 */
	unsigned c = (unsigned)fld(in, "C"), r = (unsigned)fld(in, "R");
	bool rt = fld(in, "Rt");
	unsigned mask = in->comp_mask ? in->comp_mask : 0xf;
	unsigned ncomp = (unsigned)__builtin_popcount(mask);
	if (c / 2 + 2 > AGX_NUM_GPR_HALVES / 2 || r + ncomp * (rt ? 2 : 1) > AGX_NUM_GPR_HALVES)
		return rp_fail(p, -EINVAL, "texture_load: registers out of range");
	enum agx_channel swz[4] = { tex.swizzle_r, tex.swizzle_g, tex.swizzle_b, tex.swizzle_a };
	for (unsigned l = 0; l < AGX_SIMD_WIDTH; l++) {
		if (!(s->exec & (1u << l)))
			continue;
		uint32_t x = agxsim_reg32(s, l, c / 2), y = agxsim_reg32(s, l, c / 2 + 1);
		double v[4] = { 0, 0, 0, 0 };
		uint32_t iv[4] = { 0, 0, 0, 0 };
		bool is_int = tex.type == AGX_TEXTURE_TYPE_UINT || tex.type == AGX_TEXTURE_TYPE_SINT;
		unsigned level = tex.first_level +
				 (lod_mode == 6 ? s->regs[l][dh] : lod_mode == 2 ? s->uniforms[dh] : 0);
		/* The level's size and address: GPU-tiled levels follow each
		 * other, each rounded up to 128 bytes (R20). */
		unsigned lw = tex.width, lh = tex.height;
		uint64_t base = tex.address;
		for (unsigned k = 0; k < level && k <= last; k++) {
			base += (rp_gpu_tiled_size(lw, lh, bpp) + 127) & ~127ull;
			lw = lw > 1 ? lw / 2 : 1;
			lh = lh > 1 ? lh / 2 : 1;
		}
		/* Outside the texture or beyond the last level: all components 0
		 * (R10). */
		if (x < lw && y < lh && level <= last) {
			uint64_t off = tex.layout == AGX_LAYOUT_LINEAR
					       ? y * stride + (uint64_t)x * bpp
					       : agxsim_render_gpu_tiled_offset(lw, lh, bpp, x, y);
			uint8_t px[16];
			int e = rp_read(p, base + off, px, bpp, "texture_load");
			if (e)
				return e;
			for (unsigned k = 0; k < pf.comps; k++)
				v[k] = decode_channel(tex.type, pf.bits, px + k * pf.bits / 8, &is_int,
						      &iv[k]);
		}
		/* Components the format lacks read as (0, 0, 0, 1). */
		for (unsigned k = pf.comps; k < 4 && x < lw && y < lh && level <= last; k++) {
			v[k] = k == 3 ? 1 : 0;
			iv[k] = k == 3 ? 1 : 0;
		}
		unsigned j = 0;
		for (unsigned k = 0; k < 4; k++) {
			if (!(mask & (1u << k)))
				continue;
			double fv;
			uint32_t uv;
			switch (swz[k]) {
			case AGX_CHANNEL_ONE: fv = 1; uv = 1; break;
			case AGX_CHANNEL_ZERO: fv = 0; uv = 0; break;
			default: fv = v[swz[k] & 3]; uv = iv[swz[k] & 3]; break;
			}
			uint32_t out = is_int ? uv : float_reg((float)fv, rt);
			if (rt)
				agxsim_set_reg32(s, l, r / 2 + j, out);
			else
				s->regs[l][r + j] = (uint16_t)out;
			j++;
		}
	}
	return 0;
}
