/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * End to end through the simulator's render path: the driver's shader side
 * (agx_compile_vs/fs, agx_build_bg_eot + agxc) compiles a GLSL-like vertex
 * shader (two vec4 attributes from a vertex buffer -> gl_Position and one
 * varying) and fragment shader (varying -> colour, RGBA8 unorm), plus the
 * clear background and store end-of-tile programs. The test packs the
 * render pass around them with agx_pack.h, using the shader infos (UVS
 * layout, CF bindings, tile-buffer layout) the way the command side must,
 * and runs it with agxsim_render_pass().
 *
 * Reference: the simulator's own render fixture draws the same scene with
 * its hand-assembled shaders (fx_run_scene); every pixel must be equal.
 * Runs for perspective, noperspective and flat colour interpolation, plus
 * a fragment shader that discards (demote_if) and one using uniforms.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "agx_nir.h"
#include "agx_shader.h"
#include "agxc.h"
#include "agxc_tap.h"
#include "compiler/glsl_types.h"
#include "compiler/nir/nir.h"
#include "compiler/nir/nir_builder.h"
#include "util/format/u_format.h"
#include "util/half_float.h"
#include "util/u_math.h"
#include "util/ralloc.h"

/* agx_pack.h (through the fixture) has a hardware struct agx_cf_binding
 * too: keep agx_shader.h's under another name (as the command side does) */
typedef struct agx_cf_binding agx_shader_cf_binding;
#define agx_cf_binding agx_hw_cf_binding
#include "fixture.h"

static const float verts[] = {
   /* x y z w, r g b a */
   -0.8f, -0.7f, 0.5f, 1.0f, 1.0f, 0.0f, 0.0f, 1.0f,
    0.9f, -0.9f, 0.5f, 2.0f, 0.0f, 1.0f, 0.0f, 1.0f,
    0.1f,  0.8f, 0.5f, 1.0f, 0.0f, 0.0f, 1.0f, 0.5f,
};
/* colours exactly representable in unorm8 (for the RGBA8 attribute case) */
static const float verts_u8[] = {
   -0.8f, -0.7f, 0.5f, 1.0f, 1.0f, 0.0f, 0.0f, 1.0f,
    0.9f, -0.9f, 0.5f, 2.0f, 0.0f, 1.0f, 0.0f, 1.0f,
    0.1f,  0.8f, 0.5f, 1.0f, 0.0f, 1.0f, 1.0f, 1.0f,
};

enum fs_variant {
   FS_PLAIN,
   FS_DISCARD,   /* demote_if red > 0.5 (the fixture's discard_half) */
   FS_UNIFORM,   /* colour * vec4 at byte 16 of cbuf 0 (push range) */
   FS_UBO_DYN,   /* colour * vec4 at byte 16 * (index at byte 0) (device load) */
   FS_TEXTURE,   /* texture(s0, gl_FragCoord.xy / size) */
   FS_FRONT,     /* gl_FrontFacing ? colour : 0 */
   FS_HALF,      /* fp16: colour * colour + 0.25 in 16-bit */
   FS_DEPTH,     /* gl_FragDepth = red, depth test LESS against 0.5 */
   FS_POINTCOORD, /* (gl_PointCoord, colour.zw) for points */
   FS_MASKIN,    /* red = gl_SampleMaskIn == 0xf ? 1 : 0.5 */
};

static nir_shader *
make_vs(float point_size, bool clip_x, bool instanced)
{
   nir_builder b = nir_builder_init_simple_shader(MESA_SHADER_VERTEX, agx_nir_options(), "vs");
   nir_variable *pos = nir_variable_create(b.shader, nir_var_shader_in, glsl_vec4_type(), "pos");
   pos->data.location = VERT_ATTRIB_GENERIC0;
   pos->data.driver_location = 0;
   nir_variable *col = nir_variable_create(b.shader, nir_var_shader_in, glsl_vec4_type(), "col");
   col->data.location = VERT_ATTRIB_GENERIC1;
   col->data.driver_location = 1;
   nir_variable *opos =
      nir_variable_create(b.shader, nir_var_shader_out, glsl_vec4_type(), "gl_Position");
   opos->data.location = VARYING_SLOT_POS;
   nir_variable *ocol = nir_variable_create(b.shader, nir_var_shader_out, glsl_vec4_type(), "v");
   ocol->data.location = VARYING_SLOT_VAR0;
   nir_def *p = nir_load_var(&b, pos);
   if (instanced) {
      /* position + a per-instance offset (attribute 2, divisor 1) */
      nir_variable *off =
         nir_variable_create(b.shader, nir_var_shader_in, glsl_vec4_type(), "off");
      off->data.location = VERT_ATTRIB_GENERIC2;
      off->data.driver_location = 2;
      p = nir_fadd(&b, p, nir_load_var(&b, off));
   }
   nir_store_var(&b, opos, p, 0xf);
   nir_store_var(&b, ocol, nir_load_var(&b, col), 0xf);
   if (clip_x) {
      /* gl_ClipDistance[0] = x: the left half (x < 0) is clipped */
      nir_variable *cd =
         nir_variable_create(b.shader, nir_var_shader_out, glsl_float_type(), "clip");
      cd->data.location = VARYING_SLOT_CLIP_DIST0;
      nir_store_var(&b, cd, nir_channel(&b, nir_load_var(&b, pos), 0), 0x1);
   }
   if (point_size > 0) {
      nir_variable *ps =
         nir_variable_create(b.shader, nir_var_shader_out, glsl_float_type(), "gl_PointSize");
      ps->data.location = VARYING_SLOT_PSIZ;
      nir_store_var(&b, ps, nir_imm_float(&b, point_size), 0x1);
   }
   return b.shader;
}

static nir_shader *
make_fs(enum glsl_interp_mode interp, enum fs_variant variant, unsigned nr_outputs,
        unsigned W, unsigned H)
{
   nir_builder b = nir_builder_init_simple_shader(MESA_SHADER_FRAGMENT, agx_nir_options(), "fs");
   nir_variable *in = nir_variable_create(b.shader, nir_var_shader_in, glsl_vec4_type(), "v");
   in->data.location = VARYING_SLOT_VAR0;
   in->data.interpolation = interp;
   nir_def *v = nir_load_var(&b, in);
   if (variant == FS_DISCARD) {
      nir_demote_if(&b, nir_flt(&b, nir_imm_float(&b, 0.5f), nir_channel(&b, v, 0)));
   } else if (variant == FS_UNIFORM) {
      nir_def *u = nir_load_ubo(&b, 4, 32, nir_imm_int(&b, 0), nir_imm_int(&b, 16),
                                .align_mul = 16, .range = ~0);
      v = nir_fmul(&b, v, u);
   } else if (variant == FS_UBO_DYN) {
      nir_def *i = nir_load_ubo(&b, 1, 32, nir_imm_int(&b, 0), nir_imm_int(&b, 0),
                                .align_mul = 16, .range = ~0);
      nir_def *u = nir_load_ubo(&b, 4, 32, nir_imm_int(&b, 0), nir_imul_imm(&b, i, 16),
                                .align_mul = 16, .range = ~0);
      v = nir_fmul(&b, v, u);
   } else if (variant == FS_TEXTURE) {
      nir_variable *fc =
         nir_variable_create(b.shader, nir_var_system_value, glsl_vec4_type(), "fc");
      fc->data.location = SYSTEM_VALUE_FRAG_COORD;
      nir_def *xy = nir_channels(&b, nir_load_var(&b, fc), 0x3);
      xy = nir_fmul(&b, xy, nir_imm_vec2(&b, 1.0f / W, 1.0f / H));
      nir_tex_instr *tex = nir_tex_instr_create(b.shader, 1);
      tex->op = nir_texop_tex;
      tex->sampler_dim = GLSL_SAMPLER_DIM_2D;
      tex->dest_type = nir_type_float32;
      tex->coord_components = 2;
      tex->src[0] = nir_tex_src_for_ssa(nir_tex_src_coord, xy);
      nir_def_init(&tex->instr, &tex->def, 4, 32);
      nir_builder_instr_insert(&b, &tex->instr);
      v = &tex->def;
   } else if (variant == FS_DEPTH) {
      nir_variable *dv =
         nir_variable_create(b.shader, nir_var_shader_out, glsl_float_type(), "depth");
      dv->data.location = FRAG_RESULT_DEPTH;
      nir_store_var(&b, dv, nir_channel(&b, v, 0), 0x1);
   } else if (variant == FS_MASKIN) {
      nir_variable *mi =
         nir_variable_create(b.shader, nir_var_system_value, glsl_int_type(), "mask_in");
      mi->data.location = SYSTEM_VALUE_SAMPLE_MASK_IN;
      nir_def *full = nir_ieq_imm(&b, nir_load_var(&b, mi), 0xf);
      nir_def *r = nir_bcsel(&b, full, nir_imm_float(&b, 1.0f), nir_imm_float(&b, 0.5f));
      v = nir_vector_insert_imm(&b, v, r, 0);
   } else if (variant == FS_POINTCOORD) {
      nir_variable *pc = nir_variable_create(b.shader, nir_var_shader_in, glsl_vec_type(2), "pc");
      pc->data.location = VARYING_SLOT_PNTC;
      nir_def *xy = nir_load_var(&b, pc);
      v = nir_vec4(&b, nir_channel(&b, xy, 0), nir_channel(&b, xy, 1), nir_channel(&b, v, 2),
                   nir_channel(&b, v, 3));
   } else if (variant == FS_HALF) {
      nir_def *h = nir_f2f16(&b, v);
      h = nir_fadd(&b, nir_fmul(&b, h, h), nir_imm_floatN_t(&b, 0.25, 16));
      v = nir_f2f32(&b, h);
   } else if (variant == FS_FRONT) {
      nir_variable *ff =
         nir_variable_create(b.shader, nir_var_system_value, glsl_bool_type(), "ff");
      ff->data.location = SYSTEM_VALUE_FRONT_FACE;
      v = nir_bcsel(&b, nir_load_var(&b, ff), v, nir_imm_vec4(&b, 0, 0, 0, 0));
   }
   for (unsigned i = 0; i < nr_outputs; i++) {
      nir_variable *out =
         nir_variable_create(b.shader, nir_var_shader_out, glsl_vec4_type(), "c");
      out->data.location = FRAG_RESULT_DATA0 + i;
      nir_store_var(&b, out, v, 0xf);
   }
   return b.shader;
}

static uint32_t
counts_word(void)
{
   uint32_t c;
   AGX_PACK(&c, COUNTS, cfg) {
      cfg.uniform_register_count = 64;
      cfg.texture_state_register_count = 8;
   }
   return c;
}

static uint64_t
put_code(struct fx *f, const struct agx_compiled_shader *cs)
{
   uint64_t va = fx_alloc(f, cs->size_B, 256);
   memcpy(fx_ptr(f, va), cs->code, cs->size_B);
   return va;
}

static enum agx_shade_model
shade_of(const agx_shader_cf_binding *c, enum agx_shade_model flat_model)
{
   return c->flat ? flat_model : c->perspective ? AGX_SHADE_MODEL_PERSPECTIVE
                                                : AGX_SHADE_MODEL_LINEAR;
}

struct draw {
   const struct agx_compiled_shader *vs, *fs, *bg, *eot;
   const struct agx_tilebuffer_layout *tib;
   enum agx_shade_model flat_model;
   const float *clear;     /* 4 per RT */
   const void *cbuf0;      /* constant buffer 0 */
   unsigned cbuf0_size;
   const void *vbo;
   unsigned vbo_size;
   const uint8_t *fs_tex;  /* FS texture descriptor (ts0), sampler (ss0) */
   const uint8_t *fs_smp;
   const uint8_t *bg_tex;  /* background load texture (ts0) */
   bool cull_ccw_front;    /* front face = CCW */
   bool depth_less;        /* depth test LESS against a 0.5 clear */
   bool points;            /* AGX_PRIMITIVE_POINTS instead of triangles */
   const float *inst;      /* vertex buffer 1: per-instance data (2 instances) */
   unsigned samples;       /* 1 or 4 (4: multisampled images, 2D MS PBE) */
   unsigned W, H;
   uint64_t image[2];      /* RT images */
   unsigned stride[2], bpp[2];
};

static void
pack_pbe(uint8_t *out, enum pipe_format f, uint64_t va, unsigned W, unsigned H, unsigned stride,
         unsigned samples)
{
   AGX_PACK(out, PBE, cfg) {
      cfg.dimension = samples > 1 ? AGX_TEXTURE_DIMENSION_2D_MULTISAMPLED
                                  : AGX_TEXTURE_DIMENSION_2D;
      cfg.samples = samples == 4 ? AGX_SAMPLE_COUNT_4 : AGX_SAMPLE_COUNT_2;
      cfg.layout = AGX_LAYOUT_LINEAR;
      cfg.channels = f == PIPE_FORMAT_R16G16B16A16_FLOAT ? AGX_CHANNELS_R16G16B16A16
                                                        : AGX_CHANNELS_R8G8B8A8;
      cfg.type = f == PIPE_FORMAT_R16G16B16A16_FLOAT ? AGX_TEXTURE_TYPE_FLOAT
                                                    : AGX_TEXTURE_TYPE_UNORM;
      cfg.swizzle_r = AGX_CHANNEL_R;
      cfg.swizzle_g = AGX_CHANNEL_G;
      cfg.swizzle_b = AGX_CHANNEL_B;
      cfg.swizzle_a = AGX_CHANNEL_A;
      cfg.width = W;
      cfg.height = H;
      cfg.buffer = va;
      cfg.extent = AGX_PBE_EXTENT_LINEAR;
      cfg.stride = stride - 4;
   }
}

/* Packs and runs the pass the way the command side must. */
static int
run_draw(struct fx *f, struct draw *d, struct agxsim_render_result *res, char *why, size_t wn)
{
   const struct agx_shader_info *vi = &d->vs->info, *fi = &d->fs->info;
   const struct agx_tilebuffer_layout *tib = d->tib;
   unsigned W = d->W, H = d->H;

   for (unsigned rt = 0; rt < tib->nr_rts; rt++) {
      d->bpp[rt] = tib->format[rt] == PIPE_FORMAT_R16G16B16A16_FLOAT ? 8 : 4;
      d->stride[rt] = (W * d->bpp[rt] * tib->nr_samples + 15) & ~15u;
      d->image[rt] = fx_alloc(f, (size_t)d->stride[rt] * H, 16384);
      memset(fx_ptr(f, d->image[rt]), 0x5a, (size_t)d->stride[rt] * H);
   }

   /* uniforms: agx_draw_uniforms + push ranges */
   uint64_t vb = fx_put(f, d->vbo, d->vbo_size, 16);
   uint64_t cb = d->cbuf0 ? fx_put(f, d->cbuf0, d->cbuf0_size, 16) : 0;
   uint32_t uni[256];
   memset(uni, 0, sizeof(uni));
   struct agx_draw_uniforms *du = (struct agx_draw_uniforms *)uni;
   du->vbo_base[0] = vb;
   if (d->inst)
      du->vbo_base[1] = fx_put(f, d->inst, 2 * 16, 16);
   du->ubo_base[0] = cb;
   unsigned nuni = MAX2(MAX2(vi->num_uniforms, fi->num_uniforms), 72);
   for (unsigned s = 0; s < 2; s++) {
      const struct agx_shader_info *in = s ? fi : vi;
      for (unsigned r = 0; r < in->nr_push_ranges; r++) {
         const struct agx_push_range *pr = &in->push[r];
         if (pr->cbuf != 0 || pr->offset_B + pr->size_B > d->cbuf0_size) {
            snprintf(why, wn, "push range of an unknown buffer");
            return -1;
         }
         memcpy(&uni[pr->uniform], (const uint8_t *)d->cbuf0 + pr->offset_B, pr->size_B);
      }
   }
   uint64_t uni_va = fx_put(f, uni, 4 * nuni, 16);

   uint64_t ftex = d->fs_tex ? fx_put(f, d->fs_tex, 24, 16) : 0;
   uint64_t fsmp = d->fs_smp ? fx_put(f, d->fs_smp, 8, 16) : 0;
   uint32_t vs = fx_pipeline(f, &(struct fx_pipe){ .code = put_code(f, d->vs),
                                                  .uniforms = uni_va, .uni_halfs = 2 * nuni });
   uint32_t fs = fx_pipeline(f, &(struct fx_pipe){
      .code = put_code(f, d->fs), .uniforms = uni_va, .uni_halfs = 2 * nuni,
      .textures = ftex, .ntex = ftex ? 1 : 0, .samplers = fsmp, .nsamp = fsmp ? 1 : 0,
      .shared = true, .tw = tib->tile_width, .th = tib->tile_height,
      .samples = tib->nr_samples, .sample_size = tib->sample_size_B, .frag = true,
      .early_z = !fi->uses_discard && !fi->writes_depth });

   /* CF bindings from the FS info and the VS UVS layout */
   uint8_t cfb[4 + 4 * AGX_MAX_CF_BINDINGS];
   unsigned nslots = 1 + (vi->nr_uvs_slots - 4 - (vi->writes_psiz ? 1 : 0));
   AGX_PACK(cfb, CF_BINDING_HEADER, cfg) {
      cfg.number_of_32_bit_slots = nslots;
      cfg.number_of_coefficient_registers = fi->nr_cf_regs;
   }
   for (unsigned i = 0; i < fi->nr_cf_bindings; i++) {
      const agx_shader_cf_binding *c = &fi->cf[i];
      unsigned slot = 0;
      enum agx_coefficient_source src = AGX_COEFFICIENT_SOURCE_VARYING;
      if (c->source == (unsigned)AGX_CF_FRAGCOORD_W) {
         slot = 0;
      } else if (c->source == (unsigned)AGX_CF_FRAGCOORD_Z) {
         src = AGX_COEFFICIENT_SOURCE_FRAGCOORD_Z;
      } else if (c->source == (unsigned)AGX_CF_POINT_COORD) {
         src = AGX_COEFFICIENT_SOURCE_POINT_COORD;
      } else if (c->source == (unsigned)AGX_CF_VARYING && vi->uvs_index[c->slot] >= 4) {
         slot = 1 + vi->uvs_index[c->slot] - 4 + c->component;
      } else {
         snprintf(why, wn, "CF binding %u: source %u slot %u not written by the VS", i,
                  c->source, c->slot);
         return -1;
      }
      AGX_PACK(cfb + 4 + 4 * i, CF_BINDING, cfg) {
         cfg.components = c->count;
         cfg.shade_model = c->source == (unsigned)AGX_CF_VARYING ? shade_of(c, d->flat_model)
                                                                 : AGX_SHADE_MODEL_LINEAR;
         cfg.source = src;
         cfg.base_slot = slot;
         cfg.base_coefficient_register = c->cf_base;
      }
   }
   uint64_t cf = fx_put(f, cfb, 4 + 4 * fi->nr_cf_bindings, 4);

   uint64_t clear = fx_put(f, d->clear, 16 * tib->nr_rts, 4);
   uint64_t btex = d->bg_tex ? fx_put(f, d->bg_tex, 24, 16) : 0;
   uint32_t bg = fx_pipeline(f, &(struct fx_pipe){
      .code = put_code(f, d->bg), .uniforms = clear, .uni_halfs = 8 * tib->nr_rts,
      .textures = btex, .ntex = btex ? 1 : 0, .shared = true,
      .tw = tib->tile_width, .th = tib->tile_height, .samples = tib->nr_samples,
      .sample_size = tib->sample_size_B });
   uint8_t pbe[48];
   for (unsigned rt = 0; rt < tib->nr_rts; rt++)
      pack_pbe(pbe + 24 * rt, tib->format[rt], d->image[rt], W, H, d->stride[rt],
               tib->nr_samples);
   uint64_t tex = fx_put(f, pbe, 24 * tib->nr_rts, 16);
   uint32_t eot = fx_pipeline(f, &(struct fx_pipe){
      .code = put_code(f, d->eot), .textures = tex, .ntex = tib->nr_rts, .shared = true,
      .tw = tib->tile_width, .th = tib->tile_height, .samples = tib->nr_samples,
      .sample_size = tib->sample_size_B });

   /* PPP update */
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
   AGX_PACK(ppp + n, FRAGMENT_CONTROL, cfg) {
   }
   n += 4;
   for (unsigned side = 0; side < 2; side++) {
      AGX_PACK(ppp + n, FRAGMENT_FACE, cfg) {
         cfg.line_width = 15;
         cfg.depth_function = d->depth_less ? AGX_ZS_FUNC_LESS : AGX_ZS_FUNC_ALWAYS;
         cfg.disable_depth_write = !d->depth_less;
      }
      n += 4;
      AGX_PACK(ppp + n, FRAGMENT_STENCIL, cfg) {
         cfg.compare = AGX_ZS_FUNC_ALWAYS;
         cfg.depth_pass = AGX_STENCIL_OP_KEEP;
         cfg.write_mask = 0xff;
         cfg.read_mask = 0xff;
      }
      n += 4;
   }
   AGX_PACK(ppp + n, DEPTH_BIAS_SCISSOR, cfg) {
   }
   n += 4;
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
      cfg.point_size = vi->writes_psiz;
   }
   n += 4;
   AGX_PACK(ppp + n, VARYING_COUNTS, cfg) {
      cfg.smooth = nslots - 1; /* only the total matters to the simulator */
   }
   n += 4;
   AGX_PACK(ppp + n, CULL, cfg) {
      cfg.depth_clip = true;
      cfg.front_face_ccw = d->cull_ccw_front;
   }
   n += 4;
   AGX_PACK(ppp + n, CULL_2, cfg) {
      cfg.clamp_w = true;
   }
   n += 4;
   AGX_PACK(ppp + n, FRAGMENT_SHADER_WORD_0, cfg) {
      cfg.cf_binding_count = fi->nr_cf_bindings;
      cfg.uniform_register_count = 2 * nuni; /* halves */
      if (fsmp)
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
   AGX_PACK(ppp + n, OUTPUT_SIZE, cfg) {
      cfg.count = vi->nr_uvs_slots;
   }
   n += 4;
   uint64_t ppp_va = fx_put(f, ppp, n, 64);

   /* VDM stream: state, one non-indexed triangle list draw, terminate */
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
      cfg.uniform_register_count = 2 * nuni; /* halves */
   }
   AGX_PACK(v + o + 8, VDM_STATE_VERTEX_SHADER_WORD_1, cfg) {
      cfg.pipeline = vs;
   }
   AGX_PACK(v + o + 12, VDM_STATE_VERTEX_OUTPUTS, cfg) {
      cfg.output_count_1 = vi->nr_uvs_slots;
      cfg.output_count_2 = vi->nr_uvs_slots;
   }
   AGX_PACK(v + o + 16, VDM_STATE_VERTEX_UNKNOWN, cfg) {
   }
   o += 24;
   AGX_PACK(v + o, INDEX_LIST, cfg) {
      cfg.primitive = d->points ? AGX_PRIMITIVE_POINTS : AGX_PRIMITIVE_TRIANGLES;
      cfg.index_count_present = true;
      cfg.instance_count_present = true;
      cfg.start_present = true;
   }
   AGX_PACK(v + o + 4, INDEX_LIST_COUNT, cfg) {
      cfg.count = 3;
   }
   AGX_PACK(v + o + 8, INDEX_LIST_INSTANCES, cfg) {
      cfg.count = d->inst ? 2 : 1;
   }
   AGX_PACK(v + o + 12, INDEX_LIST_START, cfg) {
      cfg.start = 0;
   }
   o += 16;
   AGX_PACK(v + o, VDM_STREAM_TERMINATE, cfg) {
   }
   o += 32;
   uint64_t vdm = fx_put(f, v, o, 64);

   struct drm_asahi_cmd_render c;
   memset(&c, 0, sizeof(c));
   c.vdm_ctrl_stream_base = vdm;
   c.ppp_multisamplectl = tib->nr_samples == 4 ? 0xeaa26e26 : 0x88;
   c.ppp_ctrl = 0x202;
   c.width_px = W;
   c.height_px = H;
   c.layers = 1;
   c.utile_width_px = tib->tile_width;
   c.utile_height_px = tib->tile_height;
   c.samples = tib->nr_samples;
   c.sample_size_B = tib->sample_size_B;
   c.bg.usc = bg | 4;
   c.bg.rsrc_spec = counts_word();
   c.eot.usc = eot | 4;
   c.eot.rsrc_spec = counts_word();
   c.partial_bg = c.bg;
   c.partial_eot = c.eot;
   float zc = d->depth_less ? 0.5f : 1.0f;
   memcpy(&c.isp_bgobjdepth, &zc, 4);
   c.isp_bgobjvals = 0x300;
   AGX_PACK(&c.zls_ctrl, ZLS_CONTROL, cfg) {
      cfg.z_format = AGX_ZLS_FORMAT_32F;
   }
   AGX_PACK(&c.isp_zls_pixels, CR_ISP_ZLS_PIXELS, cfg) {
      cfg.x = W;
      cfg.y = H;
   }
   struct agxsim_fault fault;
   int r = agxsim_render_pass(&f->env, &c, &fault, res);
   if (r)
      snprintf(why, wn, "render pass failed: %d %s", r, res->msg);
   return r;
}

static uint32_t
pixel_s(struct fx *f, const struct draw *d, unsigned rt, unsigned x, unsigned y, unsigned s)
{
   uint32_t v;
   unsigned ns = d->tib->nr_samples;
   memcpy(&v, fx_ptr(f, d->image[rt] + (uint64_t)y * d->stride[rt] + d->bpp[rt] * (x * ns + s)),
          4);
   return v;
}

static uint32_t
pixel(struct fx *f, const struct draw *d, unsigned rt, unsigned x, unsigned y)
{
   return pixel_s(f, d, rt, x, y, 0);
}

static uint32_t
pack_unorm8(const float c[4])
{
   uint32_t v = 0;
   for (unsigned k = 0; k < 4; k++) {
      float x = c[k] < 0 ? 0 : c[k] > 1 ? 1 : c[k];
      v |= (uint32_t)lrintf(x * 255.0f) << (8 * k);
   }
   return v;
}

static void
unpack_unorm8(uint32_t v, float c[4])
{
   for (unsigned k = 0; k < 4; k++)
      c[k] = ((v >> (8 * k)) & 0xff) / 255.0f;
}

static bool
close8(uint32_t a, uint32_t b, int tol)
{
   for (unsigned k = 0; k < 4; k++) {
      int x = (a >> (8 * k)) & 0xff, y = (b >> (8 * k)) & 0xff;
      if (abs(x - y) > tol)
         return false;
   }
   return true;
}

static uint32_t
pattern(unsigned x, unsigned y)
{
   return 0xff000000u | ((x * 37 + y * 11) & 0xff) | (((x * 5) & 0xff) << 8) |
          (((y * 7 + 3) & 0xff) << 16);
}

struct tcase {
   const char *name;
   enum glsl_interp_mode interp;
   enum agx_shade_model shade;
   enum fs_variant variant;
   enum pipe_format attrib; /* colour attribute format (0: R32G32B32A32_FLOAT) */
   unsigned attrib_pad;     /* bytes before the colour (unaligned fetches) */
   bool blend;         /* src alpha, 1 - src alpha over the clear colour */
   bool logic_xor;     /* logic op XOR with the clear colour */
   bool colormask_rb;  /* only red and blue written */
   bool two_rts;       /* second RT R16G16B16A16_FLOAT, same colour */
   bool bg_load;       /* background loads a prefilled image */
   bool flatshade;     /* key.flatshade with a COL0 input (INTERP_MODE_NONE) */
   bool ccw_front;     /* front faces are CCW: the triangle is front-facing */
   bool points;        /* three 8-pixel points (gl_PointSize) instead of a triangle */
   unsigned samples;   /* 4: 4x MSAA render targets and images */
   bool clip_x;        /* gl_ClipDistance[0] = x, clip_plane_enable = 1 */
   bool instanced;     /* 2 instances; instance 0 is moved off screen */
   bool a2c;           /* alpha to coverage */
};

static void
run_case(const struct tcase *t)
{
   const unsigned W = 64, H = 48;
   const float clear[8] = { 0.25f, 0.5f, 0.75f, 1.0f, 0.125f, 0.25f, 0.5f, 1.0f };
   const uint32_t cbuf[12] = { 2, 0, 0, 0, 0x3f800000, 0x3f000000, 0x3e800000, 0x3f800000,
                               0x3f000000, 0x3f800000, 0x3f000000, 0x3f800000 };
   const float *cmul = (const float *)&cbuf[t->variant == FS_UBO_DYN ? 8 : 4];
   const char *name = t->name;
   bool packed = t->attrib != PIPE_FORMAT_NONE;
   const float *vdata = packed ? verts_u8 : verts;

   /* reference: the fixture's own shaders */
   struct fx ref;
   fx_init(&ref);
   struct fx_scene sc;
   memset(&sc, 0, sizeof(sc));
   sc.width = W;
   sc.height = H;
   sc.tw = sc.th = 32;
   memcpy(sc.clear, clear, 16);
   sc.nverts = 3;
   sc.verts = vdata;
   sc.prim = AGX_PRIMITIVE_TRIANGLES;
   sc.shade = t->shade;
   sc.discard_half = t->variant == FS_DISCARD;
   if (t->samples == 4) {
      sc.samples = 4;
      sc.ms_image = true;
      sc.th = 16; /* 4 x 8 B per pixel: 32x32 exceeds the tile budget */
   }
   if (t->points) {
      sc.prim = AGX_PRIMITIVE_POINTS;
      sc.point_size = 8.0f;
      sc.point_coord_colour = t->variant == FS_POINTCOORD;
   }
   uint32_t pre[64 * 48];
   for (unsigned y = 0; y < H; y++)
      for (unsigned x = 0; x < W; x++)
         pre[y * W + x] = pattern(x, y);
   if (t->bg_load) {
      sc.load_bg = true;
      sc.prefill = pre;
   }
   struct agxsim_render_result rres;
   memset(&rres, 0, sizeof(rres));
   int rr = fx_run_scene(&ref, &sc, &rres);

   /* ours */
   struct agx_vs_key vk;
   memset(&vk, 0, sizeof(vk));
   vk.nr_attribs = 2;
   vk.attribs[0] = (struct agx_attrib){ .format = PIPE_FORMAT_R32G32B32A32_FLOAT,
                                        .src_offset_B = 0, .stride_B = 32 };
   vk.attribs[1] = (struct agx_attrib){ .format = PIPE_FORMAT_R32G32B32A32_FLOAT,
                                        .src_offset_B = 16, .stride_B = 32 };
   /* other colour formats: pos as before, then the colour in the format
    * (util_format_pack_rgba), 4-byte aligned */
   uint8_t vbo8[3 * 40];
   if (packed) {
      unsigned csize = util_format_get_blocksize(t->attrib);
      unsigned coff = 16 + t->attrib_pad, stride = coff + ALIGN_POT(csize, 4);
      memset(vbo8, 0, sizeof(vbo8));
      for (unsigned i = 0; i < 3; i++) {
         memcpy(vbo8 + stride * i, vdata + 8 * i, 16);
         util_format_pack_rgba(t->attrib, vbo8 + stride * i + coff, vdata + 8 * i + 4, 1);
      }
      vk.attribs[0].stride_B = stride;
      vk.attribs[1] = (struct agx_attrib){ .format = t->attrib, .src_offset_B = coff,
                                           .stride_B = stride };
   }
   /* per-instance offsets: instance 0 far right (off screen), instance 1
    * in place, so only a correct instance ID and divisor draw the image */
   static const float inst[8] = { 10, 0, 0, 0, 0, 0, 0, 0 };
   if (t->instanced) {
      vk.nr_attribs = 3;
      vk.attribs[2] = (struct agx_attrib){ .format = PIPE_FORMAT_R32G32B32A32_FLOAT,
                                           .stride_B = 16, .buffer = 1,
                                           .instance_divisor = 1 };
   }
   struct agx_fs_key fk;
   memset(&fk, 0, sizeof(fk));
   enum pipe_format rts[2] = { PIPE_FORMAT_R8G8B8A8_UNORM, PIPE_FORMAT_R16G16B16A16_FLOAT };
   agx_tilebuffer_layout_init(&fk.tib, rts, t->two_rts ? 2 : 1, t->samples ? t->samples : 1);
   fk.flatshade = t->flatshade;
   fk.clip_plane_enable = t->clip_x ? 1 : 0;
   fk.alpha_to_coverage = t->a2c;
   for (unsigned i = 0; i < 2; i++)
      fk.blend[i].colormask = t->colormask_rb ? (PIPE_MASK_R | PIPE_MASK_B) : 0xf;
   if (t->logic_xor) {
      fk.logicop_enable = true;
      fk.logicop_func = PIPE_LOGICOP_XOR;
   }
   if (t->blend) {
      fk.blend[0].blend_enable = 1;
      fk.blend[0].rgb_func = fk.blend[0].alpha_func = PIPE_BLEND_ADD;
      fk.blend[0].rgb_src_factor = fk.blend[0].alpha_src_factor = PIPE_BLENDFACTOR_SRC_ALPHA;
      fk.blend[0].rgb_dst_factor = fk.blend[0].alpha_dst_factor =
         PIPE_BLENDFACTOR_INV_SRC_ALPHA;
   }

   nir_shader *vsn = make_vs(t->points ? 8.0f : 0.0f, t->clip_x, t->instanced), *fsn = make_fs(t->interp, t->variant, t->two_rts ? 2 : 1, W, H);
   if (t->flatshade) {
      /* the varying is a colour without an interpolation qualifier */
      nir_foreach_variable_with_modes(var, vsn, nir_var_shader_out)
         if (var->data.location == VARYING_SLOT_VAR0)
            var->data.location = VARYING_SLOT_COL0;
      nir_foreach_variable_with_modes(var, fsn, nir_var_shader_in)
         var->data.location = VARYING_SLOT_COL0;
   }
   agx_nir_lower_io(vsn);
   agx_nir_lower_io(fsn);
   struct agx_compiled_shader *vs = agx_compile_vs(NULL, vsn, &vk);
   struct agx_compiled_shader *fs = agx_compile_fs(NULL, fsn, &fk);
   struct agx_bg_eot_key bk;
   memset(&bk, 0, sizeof(bk));
   bk.tib = fk.tib;
   bk.op[0] = t->bg_load ? AGX_BG_LOAD : AGX_BG_CLEAR;
   bk.op[1] = AGX_BG_CLEAR;
   const char *err = NULL;
   struct agx_shader_info minfo;
   memset(&minfo, 0, sizeof(minfo));
   struct agx_compiled_shader *bg =
      agx_compile_and_upload(NULL, agx_build_bg_eot(&bk, &err), &minfo, "bg");
   memset(&bk, 0, sizeof(bk));
   bk.tib = fk.tib;
   bk.eot = true;
   bk.store[0] = bk.store[1] = true;
   struct agx_compiled_shader *eot =
      agx_compile_and_upload(NULL, agx_build_bg_eot(&bk, &err), &minfo, "eot");
   tap_ok(vs && fs && bg && eot, "%s: VS, FS, background and end-of-tile programs compile",
          name);
   if (!(vs && fs && bg && eot)) {
      fx_fini(&ref);
      return;
   }

   /* textures: FS samples a pattern (nearest), bg loads the prefill */
   struct fx f;
   fx_init(&f);
   uint64_t img = fx_put(&f, pre, sizeof(pre), 16384);
   uint8_t tdesc[24], sdesc[8];
   AGX_PACK(tdesc, TEXTURE, cfg) {
      cfg.dimension = AGX_TEXTURE_DIMENSION_2D;
      cfg.layout = AGX_LAYOUT_LINEAR;
      cfg.channels = AGX_CHANNELS_R8G8B8A8;
      cfg.type = AGX_TEXTURE_TYPE_UNORM;
      cfg.swizzle_r = AGX_CHANNEL_R;
      cfg.swizzle_g = AGX_CHANNEL_G;
      cfg.swizzle_b = AGX_CHANNEL_B;
      cfg.swizzle_a = AGX_CHANNEL_A;
      cfg.width = W;
      cfg.height = H;
      cfg.address = img;
      cfg.extent = AGX_TEXTURE_EXTENT_LINEAR;
      cfg.stride = 4 * W - 16;
   }
   AGX_PACK(sdesc, SAMPLER, cfg) {
      cfg.magnify = AGX_FILTER_NEAREST;
      cfg.minify = AGX_FILTER_NEAREST;
      cfg.wrap_s = cfg.wrap_t = cfg.wrap_r = AGX_WRAP_CLAMP_TO_EDGE;
   }

   struct draw d = { .vs = vs, .fs = fs, .bg = bg, .eot = eot, .tib = &fk.tib,
                     .flat_model = t->shade, .clear = clear, .W = W, .H = H,
                     .vbo = packed ? (const void *)vbo8 : (const void *)vdata,
                     .vbo_size = packed ? sizeof(vbo8) : sizeof(verts),
                     .cull_ccw_front = t->ccw_front,
                     .depth_less = t->variant == FS_DEPTH,
                     .points = t->points,
                     .inst = t->instanced ? inst : NULL };
   if (t->variant == FS_UNIFORM || t->variant == FS_UBO_DYN) {
      d.cbuf0 = cbuf;
      d.cbuf0_size = sizeof(cbuf);
   }
   if (t->variant == FS_TEXTURE) {
      d.fs_tex = tdesc;
      d.fs_smp = sdesc;
   }
   if (t->bg_load)
      d.bg_tex = tdesc;
   struct agxsim_render_result res;
   memset(&res, 0, sizeof(res));
   char why[512] = "";
   int r = run_draw(&f, &d, &res, why, sizeof(why));
   tap_ok(r == 0 && rr == 0, "%s: both passes run (%s%s)", name, why, rr ? rres.msg : "");

   /* expected per pixel, from the reference image */
   uint32_t clear_px = pack_unorm8(clear);
   unsigned bad = 0, drawn = 0, first_x = 0, first_y = 0, bad1 = 0;
   uint32_t got0 = 0, want0 = 0;
   unsigned ns = fk.tib.nr_samples;
   for (unsigned y = 0; !r && !rr && y < H; y++) {
      for (unsigned xs = 0; xs < W * ns; xs++) {
         unsigned x = xs / ns, smp = xs % ns;
         uint32_t got = pixel_s(&f, &d, 0, x, y, smp);
         uint32_t refp;
         memcpy(&refp, fx_ptr(&ref, sc.image + (uint64_t)y * sc.stride + 4ull * xs), 4);
         uint32_t bgp = t->bg_load ? pattern(x, y) : clear_px;
         bool covered = refp != bgp;
         uint32_t want = refp;
         int tol = 0;
         float c[4], bc[4];
         unpack_unorm8(refp, c);
         unpack_unorm8(bgp, bc);
         if (covered) {
            drawn++;
            if (t->variant == FS_UNIFORM || t->variant == FS_UBO_DYN) {
               for (unsigned k = 0; k < 4; k++)
                  c[k] *= cmul[k];
               want = pack_unorm8(c);
               tol = 1;
            } else if (t->variant == FS_DEPTH) {
               /* depth = red: drawn where red < 0.5 (the reference red is
                * quantised: skip pixels within 1.5 LSB of the threshold) */
               if (fabsf(c[0] - 0.5f) <= 1.5f / 255) {
                  drawn--;
                  continue;
               }
               if (c[0] >= 0.5f)
                  want = bgp;
            } else if (t->variant == FS_HALF) {
               for (unsigned k = 0; k < 4; k++)
                  c[k] = c[k] * c[k] + 0.25f;
               want = pack_unorm8(c);
               tol = 2; /* from the quantised reference */
            } else if (t->variant == FS_TEXTURE) {
               want = pattern(x, y);
            } else if (t->variant == FS_FRONT && !t->ccw_front) {
               /* the triangle is counter-clockwise on screen (R1): with
                * clockwise front faces it is back-facing -> colour 0 */
               want = 0;
            }
            if (t->blend) {
               unpack_unorm8(want, c);
               float a = c[3];
               for (unsigned k = 0; k < 4; k++)
                  c[k] = c[k] * a + bc[k] * (1 - a);
               want = pack_unorm8(c);
               tol = 2;
            }
            if (t->logic_xor)
               want ^= bgp;
            if (t->variant == FS_MASKIN) {
               /* red: 1.0 where the reference covers all 4 samples */
               unsigned covered_n = 0;
               for (unsigned k = 0; k < ns; k++) {
                  uint32_t rs;
                  memcpy(&rs, fx_ptr(&ref, sc.image + (uint64_t)y * sc.stride + 4ull * (x * ns + k)),
                         4);
                  covered_n += rs != bgp;
               }
               c[0] = covered_n == ns ? 1.0f : 0.5f;
               want = pack_unorm8(c);
            }
            if (t->a2c) {
               /* keep samples s < floor(alpha * n + 0.5); skip pixels whose
                * quantised alpha is within 1.5 LSB of a step */
               float q = c[3] * ns + 0.5f;
               if (fabsf(q - roundf(q)) <= 1.5f / 255 * ns) {
                  drawn--;
                  continue;
               }
               if (smp >= (unsigned)floorf(q))
                  want = bgp;
            }
            if (t->clip_x) {
               /* clipped left of the viewport's centre (x = W / 2); skip the
                * two columns next to it */
               if (x + 1 >= W / 2 && x <= W / 2) {
                  drawn--;
                  continue;
               }
               if (x < W / 2)
                  want = bgp;
            }
            if (t->colormask_rb)
               want = (want & 0x00ff00ffu) | (bgp & 0xff00ff00u);
         }
         bool ok = tol ? close8(got, want, tol) : got == want;
         if (!ok && !bad++) {
            first_x = x, first_y = y, got0 = got, want0 = want;
         }
         if (t->two_rts && covered) {
            /* RT1 (fp16) holds the unquantised colour: within half an LSB
             * of RT0's 8-bit value */
            uint16_t h[4];
            memcpy(h, fx_ptr(&f, d.image[1] + (uint64_t)y * d.stride[1] + 8ull * x), 8);
            unpack_unorm8(got, c);
            for (unsigned k = 0; k < 4; k++)
               if (fabsf(_mesa_half_to_float(h[k]) - c[k]) > 0.5f / 255 + 1e-3f)
                  bad1++;
         }
      }
   }
   tap_ok(!r && !rr && !bad && drawn > (t->points ? 150 : 100),
          "%s: all %u samples as expected from the fixture's image (%u drawn, %u differ; "
          "first (%u,%u) 0x%08x vs 0x%08x)",
          name, W * H * ns, drawn, bad, first_x, first_y, got0, want0);
   if (t->two_rts)
      tap_ok(!r && !bad1, "%s: RT1 (R16G16B16A16_FLOAT) matches RT0 (%u components off)",
             name, bad1);

   agx_compiled_shader_destroy(vs);
   agx_compiled_shader_destroy(fs);
   agx_compiled_shader_destroy(bg);
   agx_compiled_shader_destroy(eot);
   ralloc_free(vsn);
   ralloc_free(fsn);
   fx_fini(&f);
   fx_fini(&ref);
}

int
main(void)
{
   static const struct tcase cases[] = {
      { "perspective", INTERP_MODE_SMOOTH, AGX_SHADE_MODEL_PERSPECTIVE, FS_PLAIN },
      { "noperspective", INTERP_MODE_NOPERSPECTIVE, AGX_SHADE_MODEL_LINEAR, FS_PLAIN },
      { "flat", INTERP_MODE_FLAT, AGX_SHADE_MODEL_FLAT_VERTEX_2, FS_PLAIN },
      { "flatshade key", INTERP_MODE_NONE, AGX_SHADE_MODEL_FLAT_VERTEX_2, FS_PLAIN,
        .flatshade = true },
      { "discard", INTERP_MODE_SMOOTH, AGX_SHADE_MODEL_PERSPECTIVE, FS_DISCARD },
      { "uniform push range", INTERP_MODE_SMOOTH, AGX_SHADE_MODEL_PERSPECTIVE, FS_UNIFORM },
      { "dynamic UBO offset", INTERP_MODE_SMOOTH, AGX_SHADE_MODEL_PERSPECTIVE, FS_UBO_DYN },
#define ATTRIB_CASE(f)                                                                   \
   { "attribute " #f, INTERP_MODE_SMOOTH, AGX_SHADE_MODEL_PERSPECTIVE, FS_PLAIN,          \
     .attrib = PIPE_FORMAT_##f }
      ATTRIB_CASE(R8G8B8A8_UNORM),
      ATTRIB_CASE(B8G8R8A8_UNORM),
      ATTRIB_CASE(R8G8B8A8_SNORM),
      ATTRIB_CASE(R8G8B8A8_USCALED),
      ATTRIB_CASE(R16G16B16A16_UNORM),
      ATTRIB_CASE(R16G16B16A16_SNORM),
      ATTRIB_CASE(R16G16B16A16_FLOAT),
      ATTRIB_CASE(R16G16B16A16_SSCALED),
      ATTRIB_CASE(R32G32B32_FLOAT),
      ATTRIB_CASE(R32G32B32A32_FLOAT),
      { "unaligned RGBA32F attributes (stride 33)", INTERP_MODE_SMOOTH,
        AGX_SHADE_MODEL_PERSPECTIVE, FS_PLAIN, .attrib = PIPE_FORMAT_R32G32B32A32_FLOAT,
        .attrib_pad = 1 },
      { "unaligned RGBA16F (stride 25)", INTERP_MODE_SMOOTH,
        AGX_SHADE_MODEL_PERSPECTIVE, FS_PLAIN, .attrib = PIPE_FORMAT_R16G16B16A16_FLOAT,
        .attrib_pad = 1 },
      { "unaligned RGBA16 snorm (offset 19)", INTERP_MODE_SMOOTH,
        AGX_SHADE_MODEL_PERSPECTIVE, FS_PLAIN, .attrib = PIPE_FORMAT_R16G16B16A16_SNORM,
        .attrib_pad = 3 },
      { "texture at gl_FragCoord", INTERP_MODE_SMOOTH, AGX_SHADE_MODEL_PERSPECTIVE,
        FS_TEXTURE },
      { "blend src alpha", INTERP_MODE_SMOOTH, AGX_SHADE_MODEL_PERSPECTIVE, FS_PLAIN,
        .blend = true },
      { "logic op XOR", INTERP_MODE_SMOOTH, AGX_SHADE_MODEL_PERSPECTIVE, FS_PLAIN,
        .logic_xor = true },
      { "colour mask RB", INTERP_MODE_SMOOTH, AGX_SHADE_MODEL_PERSPECTIVE, FS_PLAIN,
        .colormask_rb = true },
      { "two render targets", INTERP_MODE_SMOOTH, AGX_SHADE_MODEL_PERSPECTIVE, FS_PLAIN,
        .two_rts = true },
      { "background load", INTERP_MODE_SMOOTH, AGX_SHADE_MODEL_PERSPECTIVE, FS_PLAIN,
        .bg_load = true },
      { "fp16 arithmetic", INTERP_MODE_SMOOTH, AGX_SHADE_MODEL_PERSPECTIVE, FS_HALF },
      { "gl_FragDepth (zs_emit)", INTERP_MODE_SMOOTH, AGX_SHADE_MODEL_PERSPECTIVE, FS_DEPTH },
      { "instanced (divisor 1, instance ID)", INTERP_MODE_SMOOTH,
        AGX_SHADE_MODEL_PERSPECTIVE, FS_PLAIN, .instanced = true },
      { "gl_ClipDistance", INTERP_MODE_SMOOTH, AGX_SHADE_MODEL_PERSPECTIVE, FS_PLAIN,
        .clip_x = true },
      { "4x MSAA", INTERP_MODE_SMOOTH, AGX_SHADE_MODEL_PERSPECTIVE, FS_PLAIN, .samples = 4 },
      { "4x MSAA, gl_SampleMaskIn", INTERP_MODE_SMOOTH, AGX_SHADE_MODEL_PERSPECTIVE, FS_MASKIN,
        .samples = 4 },
      { "4x MSAA, alpha to coverage", INTERP_MODE_SMOOTH, AGX_SHADE_MODEL_PERSPECTIVE, FS_PLAIN,
        .samples = 4, .a2c = true },
      { "4x MSAA with discard", INTERP_MODE_SMOOTH, AGX_SHADE_MODEL_PERSPECTIVE, FS_DISCARD,
        .samples = 4 },
      { "points: gl_PointSize, gl_PointCoord", INTERP_MODE_NOPERSPECTIVE,
        AGX_SHADE_MODEL_LINEAR, FS_POINTCOORD, .points = true },
      { "back facing", INTERP_MODE_SMOOTH, AGX_SHADE_MODEL_PERSPECTIVE, FS_FRONT },
      { "front facing", INTERP_MODE_SMOOTH, AGX_SHADE_MODEL_PERSPECTIVE, FS_FRONT,
        .ccw_front = true },
   };
   glsl_type_singleton_init_or_ref();
   for (unsigned i = 0; i < ARRAY_SIZE(cases); i++)
      run_case(&cases[i]);
   glsl_type_singleton_decref();
   return tap_done();
}
