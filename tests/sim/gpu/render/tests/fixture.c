/* SPDX-License-Identifier: MIT */
/* fixture.c - see fixture.h. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agxsim/gpu.h"
#include "fixture.h"

static int fx_rw(struct fx *f, uint64_t va, size_t len, struct agxsim_fault *fault, bool write)
{
	if (va < FX_BASE || va + len > FX_BASE + FX_SIZE || va + len < va) {
		if (fault) {
			fault->reason = AGXSIM_FAULT_UNMAPPED;
			fault->access = write ? AGXSIM_ACCESS_WRITE : AGXSIM_ACCESS_READ;
			fault->va = va;
		}
		f->writes_outside++;
		return -EFAULT;
	}
	return 0;
}

static int fx_read(void *ctx, uint64_t va, void *dst, size_t len, struct agxsim_fault *fault)
{
	struct fx *f = ctx;
	int r = fx_rw(f, va, len, fault, false);
	if (!r)
		memcpy(dst, f->mem + (va - FX_BASE), len);
	return r;
}

static int fx_write(void *ctx, uint64_t va, const void *src, size_t len,
		    struct agxsim_fault *fault)
{
	struct fx *f = ctx;
	int r = fx_rw(f, va, len, fault, true);
	if (!r)
		memcpy(f->mem + (va - FX_BASE), src, len);
	return r;
}

void fx_init(struct fx *f)
{
	memset(f, 0, sizeof(*f));
	f->mem = calloc(1, FX_SIZE);
	f->next = FX_BASE + 0x1000;   /* keep USC offset 0 unused */
	f->mif.ctx = f;
	f->mif.read = fx_read;
	f->mif.write = fx_write;
	f->env.mem = &f->mif;
	f->env.usc_exec_base = FX_BASE;
	if (getenv("AGXSIM_RENDER_TRACE"))
		f->env.trace = stderr;
}

void fx_fini(struct fx *f)
{
	free(f->mem);
	f->mem = NULL;
}

uint64_t fx_alloc(struct fx *f, size_t size, unsigned align)
{
	uint64_t va = (f->next + align - 1) & ~(uint64_t)(align - 1);
	f->next = va + size;
	if (f->next > FX_BASE + FX_SIZE) {
		fprintf(stderr, "fixture memory exhausted\n");
		abort();
	}
	return va;
}

uint64_t fx_put(struct fx *f, const void *data, size_t size, unsigned align)
{
	uint64_t va = fx_alloc(f, size, align);
	memcpy(fx_ptr(f, va), data, size);
	return va;
}

void *fx_ptr(struct fx *f, uint64_t va)
{
	return f->mem + (va - FX_BASE);
}

uint64_t fx_code(struct fx *f, const struct asm_buf *b)
{
	uint64_t va = fx_alloc(f, b->len + 16, 256);
	memcpy(fx_ptr(f, va), b->b, b->len);
	for (unsigned i = 0; i < 8; i++) {
		uint8_t *t = fx_ptr(f, va + b->len + 2 * i);
		t[0] = 0x08;
		t[1] = 0x00;
	}
	return va;
}

uint32_t fx_pipeline(struct fx *f, const struct fx_pipe *pp)
{
	uint8_t w[128];
	unsigned n = 0;
	if (pp->uniforms) {
		for (unsigned s = 0; s < pp->uni_halfs; s += 64) {
			unsigned len = pp->uni_halfs - s > 64 ? 64 : pp->uni_halfs - s;
			AGX_PACK(w + n, USC_UNIFORM, cfg) {
				cfg.start_halfs = s;
				cfg.size_halfs = len;
				cfg.buffer = pp->uniforms + 2 * s;
			}
			n += AGX_USC_UNIFORM_LENGTH;
		}
	}
	if (pp->textures) {
		AGX_PACK(w + n, USC_TEXTURE, cfg) {
			cfg.start = 0;
			cfg.count = pp->ntex;
			cfg.buffer = pp->textures;
		}
		n += AGX_USC_TEXTURE_LENGTH;
	}
	if (pp->samplers) {
		AGX_PACK(w + n, USC_SAMPLER, cfg) {
			cfg.start = 0;
			cfg.count = pp->nsamp;
			cfg.buffer = pp->samplers;
		}
		n += AGX_USC_SAMPLER_LENGTH;
	}
	if (pp->shared) {
		AGX_PACK(w + n, USC_SHARED, cfg) {
			cfg.uses_shared_memory = true;
			cfg.layout = pp->tw == 16 ? AGX_SHARED_LAYOUT_16X16 :
				     pp->th == 16 ? AGX_SHARED_LAYOUT_32X16 :
						    AGX_SHARED_LAYOUT_32X32;
			cfg.sample_count = pp->samples;
			cfg.sample_stride_in_8_bytes = pp->sample_size / 8;
			cfg.bytes_per_threadgroup = pp->tw * pp->th * pp->samples * pp->sample_size;
		}
		n += AGX_USC_SHARED_LENGTH;
	}
	if (pp->compute_shared) {
		AGX_PACK(w + n, USC_SHARED, cfg) {
			cfg.layout = AGX_SHARED_LAYOUT_VERTEX_COMPUTE;
			cfg.bytes_per_threadgroup = 256;
		}
		n += AGX_USC_SHARED_LENGTH;
	}
	AGX_PACK(w + n, USC_SHADER, cfg) {
		cfg.code = fx_usc(pp->code);
	}
	n += AGX_USC_SHADER_LENGTH;
	AGX_PACK(w + n, USC_REGISTERS, cfg) {
		cfg.register_count = 128;
	}
	n += AGX_USC_REGISTERS_LENGTH;
	if (pp->frag) {
		AGX_PACK(w + n, USC_FRAGMENT_PROPERTIES, cfg) {
			cfg.early_z_testing = pp->early_z;
		}
		n += AGX_USC_FRAGMENT_PROPERTIES_LENGTH;
	}
	AGX_PACK(w + n, USC_NO_PRESHADER, cfg) {
	}
	n += AGX_USC_NO_PRESHADER_LENGTH;
	return fx_usc(fx_put(f, w, n, 64));
}

int fx_run_compute(struct fx *f, uint32_t pipeline, unsigned sampler_states,
		   const unsigned grid[2], const unsigned local[2], char *msg, size_t msg_len)
{
	uint8_t st[128];
	unsigned n = 0;
	AGX_PACK(st + n, CDM_LAUNCH_WORD_0, cfg) {
		cfg.uniform_register_count = 64;
		cfg.texture_state_register_count = 8;
		cfg.sampler_state_register_count = sampler_states;
		cfg.mode = AGX_CDM_MODE_DIRECT;
	}
	n += AGX_CDM_LAUNCH_WORD_0_LENGTH;
	AGX_PACK(st + n, CDM_LAUNCH_WORD_1, cfg) {
		cfg.pipeline = pipeline;
	}
	n += AGX_CDM_LAUNCH_WORD_1_LENGTH;
	AGX_PACK(st + n, CDM_GLOBAL_SIZE, cfg) {
		cfg.x = grid[0];
		cfg.y = grid[1];
		cfg.z = 1;
	}
	n += AGX_CDM_GLOBAL_SIZE_LENGTH;
	AGX_PACK(st + n, CDM_LOCAL_SIZE, cfg) {
		cfg.x = local[0];
		cfg.y = local[1];
		cfg.z = 1;
	}
	n += AGX_CDM_LOCAL_SIZE_LENGTH;
	AGX_PACK(st + n, CDM_BARRIER, cfg) {
		cfg.usc_cache_inval = true;
	}
	n += AGX_CDM_BARRIER_LENGTH;
	AGX_PACK(st + n, CDM_STREAM_TERMINATE, cfg);
	n += AGX_CDM_STREAM_TERMINATE_LENGTH;
	uint64_t sva = fx_put(f, st, n, 64);

	struct agxsim_gpu gpu;
	agxsim_gpu_init(&gpu, NULL);
	struct agxsim_gpu_job job = {
		.mem = &f->mif, .usc_exec_base = FX_BASE, .texture = agxsim_render_texture,
	};
	struct agxsim_fault fault;
	int r = agxsim_gpu_run_cdm(&gpu, &job, sva, sva + n, &fault);
	snprintf(msg, msg_len, "%s", gpu.last_error.msg);
	return r;
}

/* ------------------------------------------------------------------ */

static uint64_t vs_code(struct fx *f, float point_size)
{
	struct asm_buf b = { .len = 0 };
	uint32_t ps;
	memcpy(&ps, &point_size, 4);
	asm_iadd(&b, R(7), R(5), R(5), 0, false, false);            /* r7 = 2 * vid */
	asm_device(&b, false, 2, 0xf, R(8), U(0), R(7), true, 2);    /* r8..r11 = pos */
	asm_wait(&b, 0);
	asm_iadd(&b, R(12), R(7), I(1), 0, false, false);
	asm_device(&b, false, 2, 0xf, R(12), U(0), R(12), true, 2);  /* r12..r15 = colour */
	asm_wait(&b, 0);
	for (unsigned i = 0; i < 8; i++)
		asm_st_var(&b, 8 + i, i, i == 7 && point_size <= 0);
	if (point_size > 0) {
		asm_mov_imm(&b, R(16), ps);
		asm_st_var(&b, 16, 8, true);
	}
	asm_stop(&b);
	return fx_code(f, &b);
}

static uint64_t fs_code(struct fx *f, const struct fx_scene *sc)
{
	struct asm_buf b = { .len = 0 };
	if (sc->shade == AGX_SHADE_MODEL_PERSPECTIVE)
		asm_iter(&b, true, R(4), 4, 1, 0, 0, 0);
	else
		asm_iter(&b, false, R(4), 4, 1, 0, 0, 0);
	if (sc->discard_half) {
		asm_mov_imm(&b, R(9), 0x3f000000);                     /* 0.5 */
		asm_maskop(&b, true, 0, 2 /* gt */, false, R(4), R(9), 1);
		asm_sample_mask(&b, 0xff, 0);
		asm_pop_exec(&b, 1);
	}
	if (sc->emit_depth_from_red)
		asm_zs_emit(&b, 0xff, 8, true, false);       /* depth = r4 */
	if (sc->fs_texture) {
		/* colour = texture(ts0, ss0, (red, green)) */
		asm_texture_sample(&b, R(8), 4, 0, 0, 0xf);
		asm_wait(&b, 0);
		asm_tile(&b, false, 4, 0xf, R(8), 0, 0xff);
		asm_stop(&b);
		return fx_code(f, &b);
	}
	asm_tile(&b, false, 4, 0xf, R(4), 0, 0xff);
	asm_stop(&b);
	return fx_code(f, &b);
}

static uint64_t bg_code(struct fx *f)
{
	struct asm_buf b = { .len = 0 };
	for (unsigned i = 0; i < 4; i++)
		asm_iadd(&b, R(4 + i), U(i), I(0), 0, false, false);
	asm_tile(&b, false, 4, 0xf, R(4), 0, 0xff);
	asm_stop(&b);
	return fx_code(f, &b);
}

static uint64_t bg_load_code(struct fx *f)
{
	struct asm_buf b = { .len = 0 };
	asm_get_sr(&b, R(4), 80);                      /* pixel x */
	asm_get_sr(&b, R(5), 81);                      /* pixel y */
	asm_texture_load(&b, R(6), 4, 0, 0xf);
	asm_wait(&b, 0);
	asm_tile(&b, false, 4, 0xf, R(6), 0, 0xff);
	asm_stop(&b);
	return fx_code(f, &b);
}

static uint64_t eot_code(struct fx *f, bool ms)
{
	struct asm_buf b = { .len = 0 };
	asm_mov_imm(&b, R(4), 0);
	asm_image_write_block_dim(&b, 4, 0, 4, ms ? AGX_TEXTURE_DIMENSION_2D_MULTISAMPLED
						   : AGX_TEXTURE_DIMENSION_2D);
	asm_stop(&b);
	return fx_code(f, &b);
}

static uint32_t counts_word(void)
{
	uint32_t c;
	AGX_PACK(&c, COUNTS, cfg) {
		cfg.uniform_register_count = 64;
		cfg.texture_state_register_count = 8;
	}
	return c;
}

/* Fragment control, front/back face + stencil, depth bias/scissor. */
static void zs_blocks(uint8_t *ppp, unsigned *pn, const struct fx_scene *sc,
		      const struct fx_draw *d, unsigned dbias_index)
{
	unsigned n = *pn;
	AGX_PACK(ppp + n, FRAGMENT_CONTROL, cfg) {
		cfg.scissor_enable = sc->scissor;
		cfg.stencil_test_enable = d->stencil;
		cfg.depth_bias_enable = d->dbias;
	}
	n += 4;
	for (unsigned side = 0; side < 2; side++) {
		AGX_PACK(ppp + n, FRAGMENT_FACE, cfg) {
			cfg.line_width = (uint32_t)lrintf((sc->line_width > 0 ? sc->line_width : 1) * 16) - 1;
			cfg.depth_function = sc->depth ? sc->zfunc : AGX_ZS_FUNC_ALWAYS;
			cfg.disable_depth_write = !sc->depth;
			cfg.stencil_reference = d->sref;
		}
		n += 4;
		AGX_PACK(ppp + n, FRAGMENT_STENCIL, cfg) {
			cfg.compare = d->stencil ? d->sfunc : AGX_ZS_FUNC_ALWAYS;
			cfg.depth_pass = d->stencil ? d->sop : AGX_STENCIL_OP_KEEP;
			cfg.write_mask = 0xff;
			cfg.read_mask = 0xff;
		}
		n += 4;
	}
	AGX_PACK(ppp + n, DEPTH_BIAS_SCISSOR, cfg) {
		cfg.scissor = 0;
		cfg.depth_bias = dbias_index;
	}
	n += 4;
	*pn = n;
}

void fx_build_scene(struct fx *f, struct fx_scene *sc)
{
	unsigned W = sc->width, H = sc->height;
	unsigned ss = 8;
	if (!sc->samples)
		sc->samples = 1;

	/* Output image, cleared to a sentinel so untouched pixels show. */
	sc->stride = (W * 4 * (sc->ms_image ? sc->samples : 1) + 15) & ~15u;
	size_t img_size = sc->tiled_image ? 4u * ((W + 63) & ~63u) * ((H + 63) & ~63u) + 16384
					  : (size_t)sc->stride * H;
	sc->image = fx_alloc(f, img_size, 16384);
	memset(fx_ptr(f, sc->image), 0x5a, img_size);
	if (sc->prefill)
		for (unsigned y = 0; y < H; y++)
			for (unsigned x = 0; x < W; x++) {
				uint64_t off = sc->tiled_image
					? agxsim_render_gpu_tiled_offset(W, H, 4, x, y)
					: (uint64_t)y * sc->stride + 4ull * x;
				memcpy(fx_ptr(f, sc->image + off), &sc->prefill[y * W + x], 4);
			}

	/* Vertex shader and its data. */
	uint64_t vb = fx_put(f, sc->verts, sc->nverts * 32, 16);
	uint64_t vs_uni = fx_put(f, &vb, 8, 8);
	uint32_t vs = fx_pipeline(f, &(struct fx_pipe){ .code = vs_code(f, sc->point_size), .uniforms = vs_uni,
						      .uni_halfs = 4 });

	/* Fragment shader and CF bindings: cf0 = W (slot 0), cf1..4 = colour. */
	uint32_t fs = fx_pipeline(f, &(struct fx_pipe){
		.code = fs_code(f, sc), .shared = true, .tw = sc->tw, .th = sc->th,
		.samples = sc->samples, .sample_size = ss, .frag = true,
		.textures = sc->fs_texture, .ntex = sc->fs_texture ? 1 : 0,
		.samplers = sc->fs_sampler, .nsamp = sc->fs_sampler ? 1 : 0,
		.early_z = !sc->discard_half && !sc->emit_depth_from_red });
	uint8_t cfb[16];
	AGX_PACK(cfb, CF_BINDING_HEADER, cfg) {
		cfg.number_of_32_bit_slots = 5;
		cfg.number_of_coefficient_registers = 5;
	}
	AGX_PACK(cfb + 4, CF_BINDING, cfg) {
		cfg.components = 1;
		cfg.shade_model = AGX_SHADE_MODEL_LINEAR;
		cfg.source = AGX_COEFFICIENT_SOURCE_VARYING;
		cfg.base_slot = 0;
		cfg.base_coefficient_register = 0;
	}
	unsigned ncf = 2;
	if (sc->point_coord_colour) {
		/* cf1, cf2 = point coordinate; cf3, cf4 = colour b, a. */
		AGX_PACK(cfb + 8, CF_BINDING, cfg) {
			cfg.components = 2;
			cfg.shade_model = AGX_SHADE_MODEL_LINEAR;
			cfg.source = AGX_COEFFICIENT_SOURCE_POINT_COORD;
			cfg.base_slot = 0;
			cfg.base_coefficient_register = 1;
		}
		AGX_PACK(cfb + 12, CF_BINDING, cfg) {
			cfg.components = 2;
			cfg.shade_model = sc->shade;
			cfg.source = AGX_COEFFICIENT_SOURCE_VARYING;
			cfg.base_slot = 3;
			cfg.base_coefficient_register = 3;
		}
		ncf = 3;
	} else {
		AGX_PACK(cfb + 8, CF_BINDING, cfg) {
			cfg.components = 4;
			cfg.shade_model = sc->shade;
			cfg.source = AGX_COEFFICIENT_SOURCE_VARYING;
			cfg.base_slot = 1;
			cfg.base_coefficient_register = 1;
		}
	}
	uint64_t cf = fx_put(f, cfb, 4 + 4 * ncf, 4);

	/* Background / end-of-tile programs. */
	uint64_t clear = fx_put(f, sc->clear, 16, 4);
	uint32_t bg;
	if (sc->load_bg) {
		uint8_t td[24];
		AGX_PACK(td, TEXTURE, cfg) {
			cfg.dimension = AGX_TEXTURE_DIMENSION_2D;
			cfg.layout = sc->tiled_image ? AGX_LAYOUT_GPU : AGX_LAYOUT_LINEAR;
			cfg.channels = AGX_CHANNELS_R8G8B8A8;
			cfg.type = AGX_TEXTURE_TYPE_UNORM;
			cfg.swizzle_r = AGX_CHANNEL_R;
			cfg.swizzle_g = AGX_CHANNEL_G;
			cfg.swizzle_b = AGX_CHANNEL_B;
			cfg.swizzle_a = AGX_CHANNEL_A;
			cfg.width = W;
			cfg.height = H;
			cfg.address = sc->image;
			if (!sc->tiled_image) {
				cfg.extent = AGX_TEXTURE_EXTENT_LINEAR;
				cfg.stride = sc->stride - 16;
			}
		}
		uint64_t tdv = fx_put(f, td, 24, 16);
		bg = fx_pipeline(f, &(struct fx_pipe){
			.code = bg_load_code(f), .textures = tdv, .ntex = 1, .shared = true,
			.tw = sc->tw, .th = sc->th, .samples = sc->samples, .sample_size = ss });
	} else {
		bg = fx_pipeline(f, &(struct fx_pipe){
			.code = bg_code(f), .uniforms = clear, .uni_halfs = 8, .shared = true,
			.tw = sc->tw, .th = sc->th, .samples = sc->samples, .sample_size = ss });
	}
	uint8_t pbe[24];
	AGX_PACK(pbe, PBE, cfg) {
		cfg.dimension = sc->ms_image ? AGX_TEXTURE_DIMENSION_2D_MULTISAMPLED
					     : AGX_TEXTURE_DIMENSION_2D;
		cfg.samples = sc->samples == 4 ? AGX_SAMPLE_COUNT_4 : AGX_SAMPLE_COUNT_2;
		cfg.layout = sc->tiled_image ? AGX_LAYOUT_GPU : AGX_LAYOUT_LINEAR;
		cfg.channels = AGX_CHANNELS_R8G8B8A8;
		cfg.type = AGX_TEXTURE_TYPE_UNORM;
		cfg.swizzle_r = AGX_CHANNEL_R;
		cfg.swizzle_g = AGX_CHANNEL_G;
		cfg.swizzle_b = AGX_CHANNEL_B;
		cfg.swizzle_a = AGX_CHANNEL_A;
		cfg.width = W;
		cfg.height = H;
		cfg.buffer = sc->image;
		if (sc->tiled_image) {
			cfg.extent = AGX_PBE_EXTENT_TILED;
			cfg.levels = 1;
			cfg.layers = 1;
		} else {
			cfg.extent = AGX_PBE_EXTENT_LINEAR;
			cfg.stride = sc->stride - 4;
		}
	}
	uint64_t tex = fx_put(f, pbe, 24, 16);
	uint32_t eot = fx_pipeline(f, &(struct fx_pipe){
		.code = eot_code(f, sc->ms_image), .textures = tex, .ntex = 1, .shared = true, .tw = sc->tw,
		.th = sc->th, .samples = sc->samples, .sample_size = ss });

	/* Scissor array. */
	uint64_t scissors = 0;
	if (sc->scissor) {
		uint8_t s[16];
		AGX_PACK(s, SCISSOR, cfg) {
			cfg.min_x = sc->sc[0];
			cfg.min_y = sc->sc[1];
			cfg.max_x = sc->sc[2];
			cfg.max_y = sc->sc[3];
			cfg.min_z = 0;
			cfg.max_z = 1;
		}
		scissors = fx_put(f, s, 16, 16);
	}

	/* PPP update. */
	uint8_t ppp[256];
	unsigned n = 4;
	AGX_PACK(ppp, PPP_HEADER, cfg) {
		cfg.fragment_control = true;
		cfg.fragment_front_face = true;
		cfg.fragment_front_stencil = true;
		cfg.fragment_back_face = true;
		cfg.fragment_back_stencil = true;
		cfg.depth_bias_scissor = true;
		cfg.viewport = true;
		cfg.viewport_count = 1;
		cfg.w_clamp = true;
		cfg.output_select = true;
		cfg.varying_counts_32 = true;
		cfg.cull = true;
		cfg.cull_2 = true;
		cfg.fragment_shader = true;
		cfg.output_size = true;
	}
	zs_blocks(ppp, &n, sc, &sc->d[0], 0);
	AGX_PACK(ppp + n, VIEWPORT_CONTROL, cfg) {
	}
	n += 4;
	AGX_PACK(ppp + n, VIEWPORT, cfg) {
		cfg.translate_x = W / 2.0f;
		cfg.scale_x = W / 2.0f;
		cfg.translate_y = H / 2.0f;
		cfg.scale_y = -(H / 2.0f);
		cfg.translate_z = 0;
		cfg.scale_z = 1;
	}
	n += 24;
	AGX_PACK(ppp + n, W_CLAMP, cfg) {
		cfg.w_clamp = 1e-10f;
	}
	n += 4;
	AGX_PACK(ppp + n, OUTPUT_SELECT, cfg) {
		cfg.varyings = true;
		cfg.point_size = sc->point_size > 0;
	}
	n += 4;
	AGX_PACK(ppp + n, VARYING_COUNTS, cfg) {
		if (sc->shade == AGX_SHADE_MODEL_PERSPECTIVE)
			cfg.smooth = 4;
		else if (sc->shade == AGX_SHADE_MODEL_LINEAR)
			cfg.linear = 4;
		else
			cfg.flat = 4;
	}
	n += 4;
	AGX_PACK(ppp + n, CULL, cfg) {
		cfg.cull_back = sc->cull_back;
		cfg.front_face_ccw = sc->front_ccw;
		cfg.depth_clip = true;
	}
	n += 4;
	AGX_PACK(ppp + n, CULL_2, cfg) {
		cfg.clamp_w = true;
	}
	n += 4;
	AGX_PACK(ppp + n, FRAGMENT_SHADER_WORD_0, cfg) {
		cfg.cf_binding_count = ncf;
		if (sc->fs_sampler)
			cfg.sampler_state_register_count = AGX_SAMPLER_STATES_4_COMPACT;
	}
	AGX_PACK(ppp + n + 4, FRAGMENT_SHADER_WORD_1, cfg) {
		cfg.pipeline = fs;
	}
	AGX_PACK(ppp + n + 8, FRAGMENT_SHADER_WORD_2, cfg) {
		cfg.cf_bindings = fx_usc(cf);
	}
	AGX_PACK(ppp + n + 12, FRAGMENT_SHADER_WORD_3, cfg) {
	}
	n += 16;
	unsigned uvs_words = sc->point_size > 0 ? 9 : 8;
	AGX_PACK(ppp + n, OUTPUT_SIZE, cfg) {
		cfg.count = uvs_words;
	}
	n += 4;
	uint64_t ppp_va = fx_put(f, ppp, n, 64);

	/* Draw 1's PPP update: only the depth/stencil blocks. */
	uint64_t ppp2_va = 0, dbias = 0;
	unsigned n2 = 4;
	if (sc->split) {
		uint8_t p2[64];
		AGX_PACK(p2, PPP_HEADER, cfg) {
			cfg.fragment_control = true;
			cfg.fragment_front_face = true;
			cfg.fragment_front_stencil = true;
			cfg.fragment_back_face = true;
			cfg.fragment_back_stencil = true;
			cfg.depth_bias_scissor = true;
		}
		zs_blocks(p2, &n2, sc, &sc->d[1], 1);
		ppp2_va = fx_put(f, p2, n2, 64);
	}
	if (sc->d[0].dbias || sc->d[1].dbias) {
		uint8_t db[24];
		for (unsigned i = 0; i < 2; i++)
			AGX_PACK(db + 12 * i, DEPTH_BIAS, cfg) {
				cfg.depth_bias = sc->d[i].dbias_units;
			}
		dbias = fx_put(f, db, 24, 16);
	}

	/* Index buffer. */
	uint64_t ib = 0;
	if (sc->nidx)
		ib = fx_put(f, sc->idx, sc->nidx * 2, 4);

	/* VDM stream. */
	uint8_t v[256];
	memset(v, 0, sizeof(v));
	unsigned o = 0;
	AGX_PACK(v + o, VDM_BARRIER, cfg) {
		cfg.usc_cache_inval = true;
	}
	o += 8;
	AGX_PACK(v + o, PPP_STATE, cfg) {
		cfg.pointer_hi = (uint32_t)(ppp_va >> 32);
		cfg.pointer_lo = (uint32_t)ppp_va;
		cfg.size_words = n / 4;
	}
	o += 8;
	AGX_PACK(v + o, VDM_STATE, cfg) {
		cfg.vertex_shader_word_0_present = true;
		cfg.vertex_shader_word_1_present = true;
		cfg.vertex_outputs_present = true;
		cfg.vertex_unknown_present = true;
	}
	AGX_PACK(v + o + 4, VDM_STATE_VERTEX_SHADER_WORD_0, cfg) {
		cfg.uniform_register_count = 64;
	}
	AGX_PACK(v + o + 8, VDM_STATE_VERTEX_SHADER_WORD_1, cfg) {
		cfg.pipeline = vs;
	}
	AGX_PACK(v + o + 12, VDM_STATE_VERTEX_OUTPUTS, cfg) {
		cfg.output_count_1 = uvs_words;
		cfg.output_count_2 = uvs_words;
	}
	AGX_PACK(v + o + 16, VDM_STATE_VERTEX_UNKNOWN, cfg) {
	}
	o += 24;
	AGX_PACK(v + o, INDEX_LIST, cfg) {
		cfg.primitive = sc->prim;
		cfg.index_count_present = true;
		cfg.instance_count_present = true;
		cfg.start_present = true;
		if (sc->nidx) {
			cfg.index_buffer_hi = (uint32_t)(ib >> 32);
			cfg.index_buffer_present = true;
			cfg.index_size = AGX_INDEX_SIZE_U16;
			cfg.index_buffer_size_present = true;
		}
	}
	o += 4;
	if (sc->nidx) {
		AGX_PACK(v + o, INDEX_LIST_BUFFER_LO, cfg) {
			cfg.buffer_lo = (uint32_t)ib;
		}
		o += 4;
	}
	AGX_PACK(v + o, INDEX_LIST_COUNT, cfg) {
		cfg.count = sc->nidx ? sc->nidx : sc->split ? sc->split : sc->nverts;
	}
	o += 4;
	AGX_PACK(v + o, INDEX_LIST_INSTANCES, cfg) {
		cfg.count = 1;
	}
	o += 4;
	AGX_PACK(v + o, INDEX_LIST_START, cfg) {
		cfg.start = 0;
	}
	o += 4;
	if (sc->nidx) {
		AGX_PACK(v + o, INDEX_LIST_BUFFER_SIZE, cfg) {
			cfg.size = (sc->nidx * 2 + 3) & ~3u;
		}
		o += 4;
	}
	o = (o + 7) & ~7u;
	if (sc->split) {
		AGX_PACK(v + o, PPP_STATE, cfg) {
			cfg.pointer_hi = (uint32_t)(ppp2_va >> 32);
			cfg.pointer_lo = (uint32_t)ppp2_va;
			cfg.size_words = n2 / 4;
		}
		o += 8;
		AGX_PACK(v + o, INDEX_LIST, cfg) {
			cfg.primitive = sc->prim;
			cfg.index_count_present = true;
			cfg.instance_count_present = true;
			cfg.start_present = true;
		}
		AGX_PACK(v + o + 4, INDEX_LIST_COUNT, cfg) {
			cfg.count = sc->nverts - sc->split;
		}
		AGX_PACK(v + o + 8, INDEX_LIST_INSTANCES, cfg) {
			cfg.count = 1;
		}
		AGX_PACK(v + o + 12, INDEX_LIST_START, cfg) {
			cfg.start = sc->split;
		}
		o += 16;
	}
	AGX_PACK(v + o, VDM_STREAM_TERMINATE, cfg) {
	}
	o += 32;
	sc->vdm = fx_put(f, v, o, 64);

	/* The pass. */
	struct drm_asahi_cmd_render *c = &sc->cmd;
	memset(c, 0, sizeof(*c));
	c->flags = sc->extra_flags;
	c->vdm_ctrl_stream_base = sc->vdm;
	c->isp_scissor_base = scissors;
	c->isp_dbias_base = dbias;
	c->ppp_multisamplectl = sc->samples == 4 ? 0xeaa26e26 : sc->samples == 2 ? 0x44cc : 0x88;
	c->ppp_ctrl = 0x202;
	c->width_px = (uint16_t)W;
	c->height_px = (uint16_t)H;
	c->layers = 1;
	c->utile_width_px = (uint8_t)sc->tw;
	c->utile_height_px = (uint8_t)sc->th;
	c->samples = (uint8_t)sc->samples;
	c->sample_size_B = (uint8_t)ss;
	c->bg.usc = bg | 4;
	c->bg.rsrc_spec = counts_word();
	c->eot.usc = eot | 4;
	c->eot.rsrc_spec = counts_word();
	c->partial_bg = c->bg;
	c->partial_eot = c->eot;
	if (sc->z16)
		c->isp_bgobjdepth = (uint32_t)lrintf(sc->zclear * 65535.0f);
	else
		memcpy(&c->isp_bgobjdepth, &sc->zclear, 4);
	c->depth.base = sc->depth_buf;
	AGX_PACK(&c->zls_ctrl, ZLS_CONTROL, cfg) {
		cfg.z_load = sc->z_load;
		cfg.z_store = sc->z_store;
		cfg.z_format = sc->z16 ? AGX_ZLS_FORMAT_16 : AGX_ZLS_FORMAT_32F;
	}
	c->isp_bgobjvals = 0x300;
	AGX_PACK(&c->isp_zls_pixels, CR_ISP_ZLS_PIXELS, cfg) {
		cfg.x = W;
		cfg.y = H;
	}
}

int fx_run_scene(struct fx *f, struct fx_scene *sc, struct agxsim_render_result *res)
{
	fx_build_scene(f, sc);
	struct agxsim_fault fault;
	return agxsim_render_pass(&f->env, &sc->cmd, &fault, res);
}

uint32_t fx_pixel(struct fx *f, const struct fx_scene *sc, unsigned x, unsigned y)
{
	uint64_t off = sc->tiled_image
			       ? agxsim_render_gpu_tiled_offset(sc->width, sc->height, 4, x, y)
			       : (uint64_t)y * sc->stride + 4ull * x;
	uint32_t v;
	memcpy(&v, fx_ptr(f, sc->image + off), 4);
	return v;
}

void fx_maybe_png(struct fx *f, const struct fx_scene *sc, const char *name)
{
	const char *dir = getenv("AGXSIM_RENDER_PNG_DIR");
	if (!dir)
		return;
	uint8_t *rgba = malloc((size_t)sc->width * sc->height * 4);
	if (!rgba)
		return;
	for (unsigned y = 0; y < sc->height; y++)
		for (unsigned x = 0; x < sc->width; x++) {
			uint32_t p = fx_pixel(f, sc, x, y);
			memcpy(rgba + 4 * ((size_t)y * sc->width + x), &p, 4);
		}
	char path[512];
	snprintf(path, sizeof(path), "%s/%s.png", dir, name);
	agxsim_png_write_rgba8(path, rgba, sc->width, sc->height, sc->width * 4);
	free(rgba);
}
