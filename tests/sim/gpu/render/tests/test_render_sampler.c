/* SPDX-License-Identifier: MIT */
/*
 * test_render_sampler.c - texture_sample through the GPU model's texture
 * unit (agxsim_render_texture) in a compute dispatch: 32 threads each load
 * a coordinate pair, sample texture state register 0 with sampler state
 * register 0 and store the four 32-bit float results.
 *
 * The expected values are computed here from the texel bytes the test
 * wrote and the sampler rules (GL-style texel-centre convention, wrap
 * modes, border colours): exact for nearest filtering, within 1/256 for
 * bilinear (the hardware's filter-weight precision is not documented).
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "agx_test.h"
#include "agxsim/gpu.h"
#include "fixture.h"

#define TW 8
#define TH 8
#define N 32

struct tcase {
	enum agx_channels ch;
	enum agx_texture_type type;
	bool srgb, tiled;
	enum agx_channel swz[4];
	enum agx_filter filter;
	enum agx_wrap wrap_s, wrap_t;
	enum agx_border_colour border;
	float custom[4];
	bool pixel_coords;
	float min_lod;
	unsigned levels;             /* 0 or 1: one level */
	enum agx_mip_filter mip;
	float uv[N][2];
	/* LOD operand (texture_sample's LOD mode, asm_texture_lod): per lane
	 * five 32-bit words loaded into r12..r16, D = r12l. */
	unsigned lod_mode;
	uint32_t lod_words[N][5];
	bool lane_lod;               /* expected LOD per lane below, not min_lod */
	bool load;                   /* texture_load of integer coordinates */
	double want_lod[N];
};

/* fp16 bits of @v (normal numbers, round to nearest) and back. */
static uint32_t f16(float v)
{
	int e;
	double m = frexp(fabs((double)v), &e);   /* v = m * 2^e, m in [0.5, 1) */
	if (v == 0)
		return 0;
	unsigned mant = (unsigned)lround((m * 2 - 1) * 1024);
	if (mant == 1024) {
		mant = 0;
		e++;
	}
	return (v < 0 ? 0x8000u : 0) | (unsigned)(e - 1 + 15) << 10 | mant;
}

static double half_value(uint32_t h)
{
	return ldexp(1.0 + (h & 1023) / 1024.0, (int)((h >> 10) & 31) - 15) * (h & 0x8000 ? -1 : 1);
}

static unsigned bpp_of(enum agx_channels ch)
{
	switch (ch) {
	case AGX_CHANNELS_R8: return 1;
	case AGX_CHANNELS_R5G6B5: return 2;
	case AGX_CHANNELS_R32: return 4;
	case AGX_CHANNELS_R16G16B16A16: return 8;
	default: return 4;   /* R8G8B8A8 */
	}
}

/* Morton index of (x, y) < 8 (bits interleaved, x in the even bits). */
static unsigned morton(unsigned x, unsigned y)
{
	unsigned r = 0;
	for (unsigned i = 0; i < 3; i++)
		r |= ((x >> i) & 1) << (2 * i) | ((y >> i) & 1) << (2 * i + 1);
	return r;
}

/* Texel bytes: a fixed function of (x, y). */
static void texel_bytes(const struct tcase *c, unsigned l, unsigned x, unsigned y, uint8_t *b)
{
	switch (c->ch) {
	case AGX_CHANNELS_R8:
		b[0] = (uint8_t)(x * 31 + y * 7);
		break;
	case AGX_CHANNELS_R5G6B5: {
		uint16_t v = (uint16_t)((x * 4 + y) & 31) | (uint16_t)(((x * 9 + y * 5) & 63) << 5) |
			     (uint16_t)(((31 - x * 3 - y) & 31) << 11);
		memcpy(b, &v, 2);
		break;
	}
	case AGX_CHANNELS_R32: {
		float f = (float)x * 0.75f - (float)y * 1.5f;
		memcpy(b, &f, 4);
		break;
	}
	case AGX_CHANNELS_R16G16B16A16: {
		/* half-float bit patterns: 1.0 + x/8, 2.0 - y/4, -x, 0.5 */
		float f[4] = { 1.0f + x / 8.0f, 2.0f - y / 4.0f, -(float)x, 0.5f };
		for (unsigned k = 0; k < 4; k++) {
			/* exact in binary16: small multiples of 1/8 */
			uint32_t u;
			memcpy(&u, &f[k], 4);
			uint16_t h = (uint16_t)(((u >> 16) & 0x8000) |
						((((u >> 23) & 0xff) - 127 + 15) << 10) |
						((u >> 13) & 0x3ff));
			if (f[k] == 0)
				h = 0;
			memcpy(b + 2 * k, &h, 2);
		}
		break;
	}
	default:
		b[0] = (uint8_t)(x * 32 + 5 + 40 * l);
		b[1] = (uint8_t)(y * 30 + 9 + 90 * l);
		b[2] = (uint8_t)((x ^ y) * 20);
		b[3] = (uint8_t)(255 - x * 8 - y);
		break;
	}
}

static double lin_from_srgb(double v)
{
	return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

/* Expected decoded texel (before swizzle). */
static void texel_value(const struct tcase *c, unsigned l, unsigned x, unsigned y, double o[4])
{
	uint8_t b[8];
	texel_bytes(c, l, x, y, b);
	o[0] = o[1] = o[2] = 0;
	o[3] = 1;
	switch (c->ch) {
	case AGX_CHANNELS_R8:
		o[0] = b[0] / 255.0;
		break;
	case AGX_CHANNELS_R5G6B5: {
		unsigned v = b[0] | b[1] << 8;
		o[0] = (v & 31) / 31.0;
		o[1] = (v >> 5 & 63) / 63.0;
		o[2] = (v >> 11) / 31.0;
		break;
	}
	case AGX_CHANNELS_R32: {
		float f;
		memcpy(&f, b, 4);
		o[0] = f;
		break;
	}
	case AGX_CHANNELS_R16G16B16A16:
		o[0] = 1.0 + x / 8.0;
		o[1] = 2.0 - y / 4.0;
		o[2] = -(double)x;
		o[3] = 0.5;
		break;
	default:
		for (unsigned k = 0; k < 4; k++) {
			o[k] = b[k] / 255.0;
			if (c->srgb && k < 3)
				o[k] = lin_from_srgb(o[k]);
		}
		break;
	}
}

static void border_value(const struct tcase *c, double o[4])
{
	static const double fixed[3][4] = { { 0, 0, 0, 0 }, { 0, 0, 0, 1 }, { 1, 1, 1, 1 } };
	for (unsigned k = 0; k < 4; k++)
		o[k] = c->border == AGX_BORDER_COLOUR_CUSTOM ? c->custom[k] : fixed[c->border][k];
}

/* Index after wrapping, or -1 for the border. */
static long wrapped(enum agx_wrap m, long i, long n)
{
	if (m == AGX_WRAP_REPEAT) {
		while (i < 0)
			i += n;
		return i % n;
	}
	if (m == AGX_WRAP_MIRRORED_REPEAT) {
		long period = 2 * n, t = i;
		while (t < 0)
			t += period;
		t %= period;
		return t >= n ? period - 1 - t : t;
	}
	if (m == AGX_WRAP_CLAMP_TO_BORDER)
		return i < 0 || i >= n ? -1 : i;
	return i < 0 ? 0 : i > n - 1 ? n - 1 : i;   /* clamp to edge */
}

static void tap_value(const struct tcase *c, unsigned l, long x, long y, double o[4])
{
	long n = TW >> l;
	long wx = wrapped(c->wrap_s, x, n), wy = wrapped(c->wrap_t, y, n);
	if (wx < 0 || wy < 0)
		border_value(c, o);
	else
		texel_value(c, l, (unsigned)wx, (unsigned)wy, o);
}

/* One level, filtered (square TW x TH texture, level l is TW >> l). */
static void sample_level(const struct tcase *c, unsigned l, float u, float v, double val[4])
{
	double n = TW >> l;
	double x = c->pixel_coords ? u : (double)u * n, y = c->pixel_coords ? v : (double)v * n;
	if (c->filter == AGX_FILTER_NEAREST) {
		tap_value(c, l, (long)floor(x), (long)floor(y), val);
	} else {
		long x0 = (long)floor(x - 0.5), y0 = (long)floor(y - 0.5);
		double a = x - 0.5 - x0, b = y - 0.5 - y0, t00[4], t10[4], t01[4], t11[4];
		tap_value(c, l, x0, y0, t00);
		tap_value(c, l, x0 + 1, y0, t10);
		tap_value(c, l, x0, y0 + 1, t01);
		tap_value(c, l, x0 + 1, y0 + 1, t11);
		for (unsigned k = 0; k < 4; k++)
			val[k] = t00[k] * (1 - a) * (1 - b) + t10[k] * a * (1 - b) +
				 t01[k] * (1 - a) * b + t11[k] * a * b;
	}
}

static void expected(const struct tcase *c, double lod, float u, float v, double out[4])
{
	/* Levels 0 .. levels - 1. */
	unsigned last = c->levels > 1 ? c->levels - 1 : 0;
	lod = lod > 0 ? lod : 0;
	unsigned l0 = 0, l1 = 0;
	double t = 0;
	if (c->mip == AGX_MIP_FILTER_NEAREST) {
		l0 = l1 = (unsigned)(lod + 0.5);
	} else if (c->mip == AGX_MIP_FILTER_LINEAR) {
		l0 = (unsigned)lod;
		l1 = l0 + 1;
		t = lod - l0;
	}
	l0 = l0 > last ? last : l0;
	l1 = l1 > last ? last : l1;
	double val[4], val1[4];
	sample_level(c, l0, u, v, val);
	sample_level(c, l1, u, v, val1);
	for (unsigned k = 0; k < 4; k++)
		val[k] = l0 == l1 ? val[k] : val[k] * (1 - t) + val1[k] * t;
	for (unsigned k = 0; k < 4; k++)
		out[k] = c->swz[k] == AGX_CHANNEL_ONE    ? 1
			 : c->swz[k] == AGX_CHANNEL_ZERO ? 0
							 : val[c->swz[k]];
}

static int run(const struct tcase *c, float *out, char *msg, size_t len)
{
	struct fx f;
	fx_init(&f);
	unsigned bpp = bpp_of(c->ch), stride = 16 * ((TW * bpp + 15) / 16);
	uint64_t tex = fx_alloc(&f, 16384, 16384);
	/* Levels of the tiled texture: one d x d tile each (d = 8 >> l),
	 * sizes rounded up to 128 bytes. */
	uint64_t level_base = 0;
	for (unsigned l = 0; l < (c->levels ? c->levels : 1); l++) {
		unsigned d = TW >> l;
		for (unsigned y = 0; y < d; y++)
			for (unsigned x = 0; x < d; x++) {
				uint8_t b[8];
				texel_bytes(c, l, x, y, b);
				uint64_t off = c->tiled ? level_base + (uint64_t)bpp * morton(x, y)
							: (uint64_t)y * stride + (uint64_t)x * bpp;
				memcpy(fx_ptr(&f, tex + off), b, bpp);
			}
		level_base += ((uint64_t)d * d * bpp + 127) / 128 * 128;
	}
	uint8_t td[24];
	AGX_PACK(td, TEXTURE, cfg) {
		cfg.dimension = AGX_TEXTURE_DIMENSION_2D;
		cfg.layout = c->tiled ? AGX_LAYOUT_GPU : AGX_LAYOUT_LINEAR;
		cfg.channels = c->ch;
		cfg.type = c->type;
		cfg.srgb = c->srgb;
		cfg.swizzle_r = c->swz[0];
		cfg.swizzle_g = c->swz[1];
		cfg.swizzle_b = c->swz[2];
		cfg.swizzle_a = c->swz[3];
		cfg.width = TW;
		cfg.height = TH;
		cfg.address = tex;
		cfg.last_level = c->levels > 1 ? c->levels - 1 : 0;
		if (!c->tiled) {
			cfg.extent = AGX_TEXTURE_EXTENT_LINEAR;
			cfg.stride = stride - 16;
		}
	}
	uint64_t tdv = fx_put(&f, td, 24, 16);
	uint8_t sd[24] = { 0 };
	AGX_PACK(sd, SAMPLER, cfg) {
		cfg.minimum_lod = c->min_lod;
		cfg.maximum_lod = 14.0f;
		cfg.maximum_anisotropy = 1;
		cfg.magnify = c->filter;
		cfg.minify = c->filter;
		cfg.mip_filter = c->mip;
		cfg.wrap_s = c->wrap_s;
		cfg.wrap_t = c->wrap_t;
		cfg.wrap_r = AGX_WRAP_CLAMP_TO_EDGE;
		cfg.pixel_coordinates = c->pixel_coords;
		cfg.border_colour = c->border;
	}
	bool ext = c->border == AGX_BORDER_COLOUR_CUSTOM;
	memcpy(sd + 8, c->custom, 16);
	uint64_t sdv = fx_put(&f, sd, ext ? 24 : 8, 16);
	uint64_t coords = fx_put(&f, c->uv, sizeof(c->uv), 16);
	uint64_t outv = fx_alloc(&f, N * 16, 16);
	uint64_t lodv = fx_put(&f, c->lod_words, sizeof(c->lod_words), 16);
	uint64_t uni[3] = { coords, outv, lodv };
	uint64_t univ = fx_put(&f, uni, 24, 8);

	struct asm_buf b = { .len = 0 };
	asm_get_sr(&b, R(4), 80);
	asm_device(&b, false, 2, 0x3, R(6), U(0), R(4), true, 1);
	asm_wait(&b, 0);
	if (c->lod_mode) {
		/* r12..r16 = the lane's five LOD words (index lane * 5) */
		asm_iadd(&b, R(10), R(4), R(4), 2, false, false);
		asm_device(&b, false, 2, 0xf, R(12), U(4), R(10), true, 0);
		asm_iadd(&b, R(10), R(10), I(4), 0, false, false);
		asm_device(&b, false, 2, 0x1, R(16), U(4), R(10), true, 0);
		asm_wait(&b, 0);
		asm_texture_lod(&b, !c->load, R(8), 6, 0, 0, 0xf, c->lod_mode, 24);
	} else if (c->load) {
		asm_texture_load(&b, R(8), 6, 0, 0xf);
	} else {
		asm_texture_sample(&b, R(8), 6, 0, 0, 0xf);
	}
	asm_wait(&b, 0);
	asm_device(&b, true, 2, 0xf, R(8), U(2), R(4), true, 2);
	asm_stop(&b);
	uint32_t pl = fx_pipeline(&f, &(struct fx_pipe){ .code = fx_code(&f, &b), .uniforms = univ,
						       .uni_halfs = 12, .textures = tdv, .ntex = 1,
						       .samplers = sdv, .nsamp = 1,
						       .compute_shared = true });
	const unsigned grid[2] = { N, 1 }, local[2] = { N, 1 };
	int r = fx_run_compute(&f, pl, ext ? AGX_SAMPLER_STATES_8_EXTENDED : AGX_SAMPLER_STATES_4_COMPACT, grid, local, msg, len);
	memcpy(out, fx_ptr(&f, outv), N * 16);
	fx_fini(&f);
	return r;
}

static const enum agx_channel RGBA[4] = { AGX_CHANNEL_R, AGX_CHANNEL_G, AGX_CHANNEL_B,
					  AGX_CHANNEL_A };

static void base_case(struct tcase *c, enum agx_channels ch, enum agx_texture_type type)
{
	memset(c, 0, sizeof(*c));
	c->ch = ch;
	c->type = type;
	memcpy(c->swz, RGBA, sizeof(RGBA));
	c->filter = AGX_FILTER_NEAREST;
	c->wrap_s = c->wrap_t = AGX_WRAP_CLAMP_TO_EDGE;
	c->mip = AGX_MIP_FILTER_NEAREST;
	/* Coordinates: texel centres, edges, fractions, outside [0, 1]. */
	static const float us[N] = { 0.0625f, 0.1875f, 0.5f, 0.9375f, 0.999f, 0.0f, 1.0f, -0.0625f,
				     1.0625f, 1.5f, -0.7f, 2.3f, 0.3f, 0.41f, 0.77f, 0.13f,
				     0.2f, 0.58f, 0.66f, 0.05f, -1.2f, 3.1f, 0.125f, 0.25f,
				     0.333f, 0.875f, 0.71f, 0.49f, 0.51f, -0.3f, 1.3f, 0.95f };
	for (unsigned i = 0; i < N; i++) {
		c->uv[i][0] = us[i];
		c->uv[i][1] = us[(i * 7 + 3) % N];
	}
}

/* Run and compare; @tol 0 means exact (as float). */
static unsigned check(const struct tcase *c, double tol, const char *what)
{
	float out[N * 4];
	char msg[256];
	int r = run(c, out, msg, sizeof(msg));
	AGX_CHECK(r == 0, "%s: %d %s", what, r, msg);
	if (r)
		return N;
	unsigned bad = 0;
	for (unsigned i = 0; i < N; i++) {
		double want[4];
		expected(c, c->lane_lod ? c->want_lod[i] : c->min_lod, c->uv[i][0], c->uv[i][1],
			 want);
		for (unsigned k = 0; k < 4; k++) {
			double got = out[4 * i + k];
			bool ok = tol == 0 ? (float)want[k] == (float)got : fabs(want[k] - got) <= tol;
			if (!ok && bad++ < 3)
				AGX_NOTE("%s: lane %u (%g, %g) comp %u: got %.6f want %.6f", what,
					      i, c->uv[i][0], c->uv[i][1], k, got, want[k]);
		}
	}
	AGX_CHECK(bad == 0, "%s: %u components differ", what, bad);
	return bad;
}

/* Every wrap mode in both layouts with @filter; S and T wraps differ for
 * nearest filtering. */
static void wrap_cases(enum agx_filter filter, double tol)
{
	static const enum agx_wrap wraps[] = { AGX_WRAP_CLAMP_TO_EDGE, AGX_WRAP_REPEAT,
					       AGX_WRAP_MIRRORED_REPEAT, AGX_WRAP_CLAMP_TO_BORDER };
	for (unsigned tiled = 0; tiled < 2; tiled++)
		for (unsigned w = 0; w < 4; w++) {
			struct tcase c;
			char what[64];
			base_case(&c, AGX_CHANNELS_R8G8B8A8, AGX_TEXTURE_TYPE_UNORM);
			c.tiled = tiled;
			c.filter = filter;
			c.wrap_s = wraps[w];
			c.wrap_t = filter == AGX_FILTER_NEAREST ? wraps[(w + 1) % 4] : wraps[w];
			c.border = filter == AGX_FILTER_NEAREST ? AGX_BORDER_COLOUR_OPAQUE_WHITE
								: AGX_BORDER_COLOUR_OPAQUE_BLACK;
			snprintf(what, sizeof(what), "filter %u tiled %u wrap %u/%u", filter, tiled,
				 c.wrap_s, c.wrap_t);
			check(&c, tol, what);
		}
}

AGX_TEST(nearest_rgba8_linear_and_tiled_all_wraps)
{
	wrap_cases(AGX_FILTER_NEAREST, 0);
}

AGX_TEST(bilinear_rgba8_wraps)
{
	wrap_cases(AGX_FILTER_LINEAR, 1.0 / 256);
}

AGX_TEST(border_colours)
{
	static const float custom[4] = { 0.25f, -2.0f, 8.5f, 0.75f };
	for (unsigned bc = 0; bc < 4; bc++)
		for (unsigned filt = 0; filt < 2; filt++) {
			struct tcase c;
			char what[64];
			base_case(&c, AGX_CHANNELS_R8G8B8A8, AGX_TEXTURE_TYPE_UNORM);
			c.wrap_s = c.wrap_t = AGX_WRAP_CLAMP_TO_BORDER;
			c.border = bc;
			c.filter = filt;
			memcpy(c.custom, custom, sizeof(custom));
			snprintf(what, sizeof(what), "border %u filter %u", bc, filt);
			check(&c, filt ? 1.0 / 256 : 0, what);
		}
}

AGX_TEST(formats)
{
	struct tcase c;

	base_case(&c, AGX_CHANNELS_R8, AGX_TEXTURE_TYPE_UNORM);
	c.swz[1] = c.swz[2] = AGX_CHANNEL_ZERO;
	c.swz[3] = AGX_CHANNEL_ONE;
	check(&c, 0, "R8 unorm nearest");
	c.filter = AGX_FILTER_LINEAR;
	c.tiled = true;
	check(&c, 1.0 / 256, "R8 unorm bilinear tiled");

	base_case(&c, AGX_CHANNELS_R8G8B8A8, AGX_TEXTURE_TYPE_UNORM);
	c.srgb = true;
	check(&c, 1e-6, "RGBA8 sRGB nearest");
	c.filter = AGX_FILTER_LINEAR;
	check(&c, 1.0 / 256, "RGBA8 sRGB bilinear");

	base_case(&c, AGX_CHANNELS_R16G16B16A16, AGX_TEXTURE_TYPE_FLOAT);
	c.wrap_s = c.wrap_t = AGX_WRAP_REPEAT;
	check(&c, 0, "RGBA16F nearest");
	c.filter = AGX_FILTER_LINEAR;
	c.tiled = true;
	check(&c, 1e-3, "RGBA16F bilinear tiled");

	base_case(&c, AGX_CHANNELS_R32, AGX_TEXTURE_TYPE_FLOAT);
	c.swz[1] = c.swz[2] = AGX_CHANNEL_ZERO;
	c.swz[3] = AGX_CHANNEL_ONE;
	c.wrap_s = AGX_WRAP_MIRRORED_REPEAT;
	check(&c, 0, "R32F nearest");
	c.filter = AGX_FILTER_LINEAR;
	check(&c, 1e-5, "R32F bilinear");

	base_case(&c, AGX_CHANNELS_R5G6B5, AGX_TEXTURE_TYPE_UNORM);
	check(&c, 0, "R5G6B5 nearest");
	c.filter = AGX_FILTER_LINEAR;
	c.tiled = true;
	check(&c, 1.0 / 256, "R5G6B5 bilinear tiled");
}

AGX_TEST(pixel_coordinates)
{
	struct tcase c;
	base_case(&c, AGX_CHANNELS_R8G8B8A8, AGX_TEXTURE_TYPE_UNORM);
	c.pixel_coords = true;
	for (unsigned i = 0; i < N; i++) {
		c.uv[i][0] = (float)(i % 10) - 0.5f + (float)i / 37.0f;
		c.uv[i][1] = (float)(i / 4) + 0.25f;
	}
	check(&c, 0, "pixel coordinates nearest");
	c.filter = AGX_FILTER_LINEAR;
	check(&c, 1.0 / 256, "pixel coordinates bilinear");
}

AGX_TEST(mipmaps_gpu_tiled)
{
	static const struct { float lod; enum agx_mip_filter mip; enum agx_filter filt; } m[] = {
		{ 1.0f, AGX_MIP_FILTER_NEAREST, AGX_FILTER_NEAREST },
		{ 1.4f, AGX_MIP_FILTER_NEAREST, AGX_FILTER_LINEAR },
		{ 1.6f, AGX_MIP_FILTER_NEAREST, AGX_FILTER_NEAREST },
		{ 3.0f, AGX_MIP_FILTER_NEAREST, AGX_FILTER_LINEAR },
		{ 6.0f, AGX_MIP_FILTER_NEAREST, AGX_FILTER_NEAREST },   /* past the last */
		{ 1.25f, AGX_MIP_FILTER_LINEAR, AGX_FILTER_NEAREST },
		{ 2.5f, AGX_MIP_FILTER_LINEAR, AGX_FILTER_LINEAR },
		{ 2.0f, AGX_MIP_FILTER_NONE, AGX_FILTER_LINEAR },       /* base level */
	};
	for (unsigned i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		struct tcase c;
		char what[64];
		base_case(&c, AGX_CHANNELS_R8G8B8A8, AGX_TEXTURE_TYPE_UNORM);
		c.tiled = true;
		c.levels = 4;
		/* Explicit LOD (mode 6): the fp16 LOD in r12l; the sampler's
		 * clamp stays [0, 14]. */
		c.lod_mode = 6;
		c.lane_lod = true;
		for (unsigned l = 0; l < N; l++) {
			c.lod_words[l][0] = f16(m[i].lod);
			c.want_lod[l] = half_value(f16(m[i].lod));
		}
		c.mip = m[i].mip;
		c.filter = m[i].filt;
		c.wrap_s = c.wrap_t = AGX_WRAP_REPEAT;
		snprintf(what, sizeof(what), "LOD %.2f mip %u filter %u", m[i].lod, m[i].mip,
			 m[i].filt);
		check(&c, m[i].filt == AGX_FILTER_NEAREST && m[i].mip != AGX_MIP_FILTER_LINEAR
				  ? 0 : 1.0 / 256, what);
	}
}

/*
 * LOD modes: implicit LOD from the quad's coordinate differences (lanes
 * 4q..4q+3 = top-left, top-right, bottom-left, bottom-right), bias, bias
 * with a minimum, explicit gradients with and without a minimum.
 */
static void quad_coords(struct tcase *c)
{
	for (unsigned l = 0; l < N; l++) {
		unsigned q = l / 4, k = q % 4;
		float d = (float)(1u << k) / TW;            /* 2^k texels of level 0 */
		c->uv[l][0] = 0.3f + 0.05f * (float)q + (float)(l & 1) * d;
		c->uv[l][1] = 0.6f - 0.03f * (float)q + (float)((l >> 1) & 1) * d;
	}
}

static void lod_case(struct tcase *c)
{
	base_case(c, AGX_CHANNELS_R8G8B8A8, AGX_TEXTURE_TYPE_UNORM);
	c->tiled = true;
	c->levels = 4;
	c->wrap_s = c->wrap_t = AGX_WRAP_REPEAT;
	c->lane_lod = true;
	quad_coords(c);
}

static uint32_t fbits(float f)
{
	uint32_t u;
	memcpy(&u, &f, 4);
	return u;
}

AGX_TEST(lod_modes)
{
	struct tcase c;

	/* implicit: quad q has derivatives of 2^(q % 4) texels */
	lod_case(&c);
	for (unsigned l = 0; l < N; l++)
		c.want_lod[l] = (l / 4) % 4;
	check(&c, 0, "implicit LOD from quad derivatives");

	/* implicit + bias (register, mode 5): +1, and -0.25 on odd lanes (not
	 * a rounding tie of the nearest mip filter) */
	lod_case(&c);
	c.lod_mode = 5;
	for (unsigned l = 0; l < N; l++) {
		float bias = l & 1 ? -0.25f : 1.0f;
		c.lod_words[l][0] = f16(bias);
		c.want_lod[l] = (l / 4) % 4 + bias;
	}
	check(&c, 0, "implicit LOD + bias");

	/* implicit + bias + minimum (mode 13): bias 0 in r12l, min 1.5 in r12h */
	lod_case(&c);
	c.lod_mode = 13;
	for (unsigned l = 0; l < N; l++) {
		c.lod_words[l][0] = f16(0) | f16(1.5f) << 16;
		c.want_lod[l] = fmax((l / 4) % 4, 1.5);
	}
	check(&c, 0, "implicit LOD + bias with a minimum");

	/* gradients (mode 4): {dudx, dudy, dvdx, dvdy} per lane */
	lod_case(&c);
	c.lod_mode = 4;
	c.mip = AGX_MIP_FILTER_LINEAR;
	c.filter = AGX_FILTER_LINEAR;
	for (unsigned l = 0; l < N; l++) {
		double lod = (l % 7) * 0.5;                   /* 0 .. 3 */
		float g = (float)(exp2(lod) / TW);
		c.lod_words[l][0] = fbits(l & 1 ? 0 : g);
		c.lod_words[l][1] = fbits(0);
		c.lod_words[l][2] = fbits(0);
		c.lod_words[l][3] = fbits(l & 1 ? -g : 0);    /* dvdy, negative */
		c.want_lod[l] = lod;
	}
	check(&c, 1.0 / 256, "explicit gradients");

	/* gradients + minimum (mode 12): the minimum in r16l */
	c.lod_mode = 12;
	for (unsigned l = 0; l < N; l++) {
		c.lod_words[l][4] = f16(2.0f);
		c.want_lod[l] = fmax(c.want_lod[l], 2.0);
	}
	check(&c, 1.0 / 256, "explicit gradients with a minimum");

	/* an undefined LOD mode fails cleanly */
	float out[N * 4];
	char msg[256];
	lod_case(&c);
	c.lod_mode = 7;
	AGX_CHECK(run(&c, out, msg, sizeof(msg)) == -EPROTO, "LOD mode 7");
	AGX_CHECK(strstr(msg, "texture_sample") != NULL, "%s", msg);
}

/* texture_load of mip levels: LOD mode 6, the level in r12l. */
AGX_TEST(texture_load_mip_levels)
{
	struct tcase c;
	float out[N * 4];
	char msg[256];

	base_case(&c, AGX_CHANNELS_R8G8B8A8, AGX_TEXTURE_TYPE_UNORM);
	c.tiled = true;
	c.levels = 4;
	c.load = true;
	c.lod_mode = 6;
	for (unsigned l = 0; l < N; l++) {
		unsigned level = l % 5, d = TW >> (level < 4 ? level : 3);
		uint32_t xy[2] = { (l * 3) % d, (l * 5 + 1) % d };
		if (l == 9)
			xy[0] = d;                                /* outside the level */
		memcpy(c.uv[l], xy, 8);
		c.lod_words[l][0] = level;                    /* level 4: none */
	}
	AGX_REQUIRE(run(&c, out, msg, sizeof(msg)) == 0, "%s", msg);
	unsigned bad = 0;
	for (unsigned l = 0; l < N; l++) {
		uint32_t xy[2];
		unsigned level = l % 5;
		double want[4] = { 0, 0, 0, 0 };
		memcpy(xy, c.uv[l], 8);
		if (level < 4 && xy[0] < (TW >> level) + 0u && xy[1] < (TW >> level) + 0u)
			tap_value(&c, level, xy[0], xy[1], want);
		for (unsigned k = 0; k < 4; k++)
			if ((float)want[k] != out[4 * l + k] && bad++ < 3)
				AGX_NOTE("lane %u level %u (%u, %u) comp %u: got %f want %f", l, level,
					 xy[0], xy[1], k, out[4 * l + k], want[k]);
	}
	AGX_CHECK(bad == 0, "%u components differ", bad);

	/* a linear texture has no levels */
	c.tiled = false;
	c.levels = 1;
	AGX_CHECK(run(&c, out, msg, sizeof(msg)) == 0, "level 0 of a linear texture: %s", msg);
	c.levels = 2;
	AGX_CHECK(run(&c, out, msg, sizeof(msg)) == -EPROTO, "levels of a linear texture");
	AGX_CHECK(strstr(msg, "texture_load") != NULL, "%s", msg);
}

/*
 * Implicit LOD in the fragment path: a 64x64 pass covered by two triangles
 * whose colour (red, green) = texture coordinate (u, v) grows by s / 64
 * per pixel; the fragment shader samples an 8x8 GPU-tiled texture whose
 * four levels are solid colours. Shaded in 2x2 quads, the derivative is
 * 8 s / 64 texels per pixel, so s = 8 << k must give level k everywhere.
 */
AGX_TEST(implicit_lod_in_fragment_quads)
{
	for (unsigned k = 0; k < 3; k++) {
		struct fx f;
		struct fx_scene sc;
		struct agxsim_render_result res;
		fx_init(&f);
		uint64_t tex = fx_alloc(&f, 16384, 16384), base = 0;
		for (unsigned l = 0; l < 4; l++) {
			unsigned d = TW >> l;
			uint8_t px[4] = { (uint8_t)(l * 60), (uint8_t)(255 - l * 60), (uint8_t)(20 * l),
					  255 };
			for (unsigned i = 0; i < d * d; i++)
				memcpy(fx_ptr(&f, tex + base + 4 * i), px, 4);
			base += ((uint64_t)d * d * 4 + 127) / 128 * 128;
		}
		uint8_t td[24], sd[8];
		AGX_PACK(td, TEXTURE, cfg) {
			cfg.dimension = AGX_TEXTURE_DIMENSION_2D;
			cfg.layout = AGX_LAYOUT_GPU;
			cfg.channels = AGX_CHANNELS_R8G8B8A8;
			cfg.type = AGX_TEXTURE_TYPE_UNORM;
			cfg.swizzle_r = AGX_CHANNEL_R;
			cfg.swizzle_g = AGX_CHANNEL_G;
			cfg.swizzle_b = AGX_CHANNEL_B;
			cfg.swizzle_a = AGX_CHANNEL_A;
			cfg.width = TW;
			cfg.height = TH;
			cfg.address = tex;
			cfg.last_level = 3;
		}
		AGX_PACK(sd, SAMPLER, cfg) {
			cfg.minimum_lod = 0;
			cfg.maximum_lod = 14.0f;
			cfg.maximum_anisotropy = 1;
			cfg.magnify = AGX_FILTER_NEAREST;
			cfg.minify = AGX_FILTER_NEAREST;
			cfg.mip_filter = AGX_MIP_FILTER_NEAREST;
			cfg.wrap_s = AGX_WRAP_REPEAT;
			cfg.wrap_t = AGX_WRAP_REPEAT;
			cfg.wrap_r = AGX_WRAP_CLAMP_TO_EDGE;
		}
		float sz = (float)(8u << k);
		static float v[6 * 8];
		static const float pos[6][2] = { { -1, -1 }, { 1, -1 }, { -1, 1 },
						 { 1, -1 }, { 1, 1 }, { -1, 1 } };
		for (unsigned i = 0; i < 6; i++) {
			float *o = v + 8 * i;
			o[0] = pos[i][0]; o[1] = pos[i][1]; o[2] = 0.5f; o[3] = 1;
			/* window y grows downwards: v = 0 at the top row */
			o[4] = (pos[i][0] + 1) / 2 * sz;
			o[5] = (1 - pos[i][1]) / 2 * sz;
			o[6] = 0; o[7] = 1;
		}
		memset(&sc, 0, sizeof(sc));
		sc.width = 64;
		sc.height = 64;
		sc.tw = 32;
		sc.th = 32;
		sc.samples = 1;
		sc.verts = v;
		sc.nverts = 6;
		sc.prim = AGX_PRIMITIVE_TRIANGLES;
		sc.shade = AGX_SHADE_MODEL_LINEAR;
		sc.fs_texture = fx_put(&f, td, 24, 16);
		sc.fs_sampler = fx_put(&f, sd, 8, 16);
		int r = fx_run_scene(&f, &sc, &res);
		AGX_CHECK(r == 0, "k %u: %s", k, res.msg);
		uint32_t want = (uint32_t)(k * 60) | (uint32_t)(255 - k * 60) << 8 |
				(uint32_t)(20 * k) << 16 | 0xffu << 24;
		unsigned bad = 0;
		for (unsigned y = 0; y < 64 && !r; y++)
			for (unsigned x = 0; x < 64; x++)
				if (fx_pixel(&f, &sc, x, y) != want && bad++ < 2)
					AGX_NOTE("k %u: pixel (%u, %u) 0x%08x want 0x%08x", k, x, y,
						 fx_pixel(&f, &sc, x, y), want);
		AGX_CHECK(bad == 0, "k %u: %u pixels are not level %u", k, bad, k);
		fx_fini(&f);
	}
}

AGX_TEST(unmodelled_cases_fail_cleanly)
{
	float out[N * 4];
	char msg[256];
	struct tcase c;

	base_case(&c, AGX_CHANNELS_R8G8B8A8, AGX_TEXTURE_TYPE_UINT);
	AGX_CHECK(run(&c, out, msg, sizeof(msg)) == -EPROTO, "integer texture sampled");
	AGX_CHECK(strstr(msg, "texture_sample") != NULL, "%s", msg);

	base_case(&c, AGX_CHANNELS_R8G8B8A8, AGX_TEXTURE_TYPE_UNORM);
	c.min_lod = 1.0f;
	c.levels = 2;   /* a linear texture has no mip levels */
	AGX_CHECK(run(&c, out, msg, sizeof(msg)) == -EPROTO, "level 1 of a linear texture");
	AGX_CHECK(strstr(msg, "texture_sample") != NULL, "%s", msg);
}

AGX_TEST_MAIN()
