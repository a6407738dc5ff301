/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * Shader CSOs and their variants.
 *
 * create: take the NIR (or translate TGSI), lower I/O variables to
 * intrinsics, keep it. agx_get_vs/agx_get_fs: look the key up in the CSO's
 * variant table; on a miss clone the NIR, run the key's lowering passes
 * (agx_nir.h), compile with agxc and upload the code into an executable BO
 * in the USC heap.
 *
 * AGX_MESA_DEBUG=shaders prints the NIR, the backend IR before and after
 * register allocation, and the disassembly of every variant.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "agx_device.h"
#include "agx_nir.h"
#include "agx_shader.h"
#include "agxc.h"
#include "compiler/nir/nir.h"
#include "compiler/nir/nir_builder.h"
#include "nir/tgsi_to_nir.h"
#include "util/hash_table.h"
#include "util/log.h"
#include "util/ralloc.h"
#include "util/simple_mtx.h"
#include "util/u_math.h"
#include "util/u_memory.h"

struct agx_uncompiled_shader {
   nir_shader *nir;
   unsigned stage;
   simple_mtx_t lock;
   struct hash_table *variants; /* key copy -> struct agx_compiled_shader */
   size_t key_size;
};

const struct nir_shader_compiler_options *
agx_nir_options(void)
{
   return agxc_nir_options();
}

bool
agx_debug_shaders(void)
{
   const char *s = getenv("AGX_MESA_DEBUG");
   return s && strstr(s, "shaders");
}

static int
type_size_vec4(const struct glsl_type *type, bool bindless)
{
   return glsl_count_attribute_slots(type, false);
}

void
agx_nir_lower_io(nir_shader *nir)
{
   if (nir->info.io_lowered)
      return;
   /* vertex inputs keep Gallium's driver_location (= vertex element index) */
   if (nir->info.stage != MESA_SHADER_VERTEX)
      nir_assign_io_var_locations(nir, nir_var_shader_in, &nir->num_inputs,
                                  nir->info.stage);
   nir_assign_io_var_locations(nir, nir_var_shader_out, &nir->num_outputs,
                               nir->info.stage);
   NIR_PASS(_, nir, nir_lower_io, nir_var_shader_in | nir_var_shader_out, type_size_vec4,
            nir_lower_io_lower_64bit_to_32 | nir_lower_io_use_interpolated_input_intrinsics);
   nir->info.io_lowered = true;
   NIR_PASS(_, nir, nir_lower_system_values);
   NIR_PASS(_, nir, nir_opt_constant_folding);
   NIR_PASS(_, nir, nir_copy_prop);
   NIR_PASS(_, nir, nir_opt_dce);
}

static uint32_t
hash_key(const void *key)
{
   /* the key size is stored in front of the key */
   const size_t *sz = key;
   return _mesa_hash_data(sz + 1, *sz);
}

static bool
keys_equal(const void *a, const void *b)
{
   const size_t *x = a, *y = b;
   return *x == *y && !memcmp(x + 1, y + 1, *x);
}

void *
agx_shader_state_create(struct agx_device *dev, const struct pipe_shader_state *state,
                        unsigned stage)
{
   (void)dev;
   nir_shader *nir;
   if (state->type == PIPE_SHADER_IR_NIR) {
      nir = state->ir.nir;
   } else if (state->type == PIPE_SHADER_IR_TGSI) {
      nir = tgsi_to_nir_noscreen(state->tokens, agx_nir_options());
   } else {
      mesa_loge("agx: unsupported shader IR %d", state->type);
      return NULL;
   }
   if (!nir)
      return NULL;
   if (nir->info.stage != MESA_SHADER_VERTEX && nir->info.stage != MESA_SHADER_FRAGMENT) {
      mesa_loge("agx: %s shaders are not supported", gl_shader_stage_name(nir->info.stage));
      ralloc_free(nir);
      return NULL;
   }

   struct agx_uncompiled_shader *so = CALLOC_STRUCT(agx_uncompiled_shader);
   if (!so) {
      ralloc_free(nir);
      return NULL;
   }
   (void)stage; /* the NIR knows its stage */
   so->stage = nir->info.stage;
   so->nir = nir;
   /* early returns in main become control flow */
   NIR_PASS(_, nir, nir_lower_returns);
   NIR_PASS(_, nir, nir_lower_global_vars_to_local);
   /* no scratch memory: indirectly indexed local arrays become selects */
   NIR_PASS(_, nir, nir_lower_indirect_derefs, nir_var_function_temp | nir_var_shader_temp,
            UINT32_MAX);
   NIR_PASS(_, nir, nir_lower_vars_to_ssa);
   agx_nir_lower_io(nir);
   simple_mtx_init(&so->lock, mtx_plain);
   so->variants = _mesa_hash_table_create(NULL, hash_key, keys_equal);
   return so;
}

void
agx_compiled_shader_destroy(struct agx_compiled_shader *cs)
{
   if (!cs)
      return;
   if (cs->bo)
      agx_bo_unreference(cs->bo);
   free(cs->code);
   free(cs);
}

void
agx_shader_state_delete(struct agx_device *dev, void *cso)
{
   struct agx_uncompiled_shader *so = cso;
   (void)dev;
   if (!so)
      return;
   hash_table_foreach(so->variants, e) {
      free((void *)e->key);
      agx_compiled_shader_destroy(e->data);
   }
   _mesa_hash_table_destroy(so->variants, NULL);
   simple_mtx_destroy(&so->lock);
   ralloc_free(so->nir);
   free(so);
}

/* Compiles lowered NIR (consumed) and uploads it. info is filled by the
 * lowering passes; the compiler adds the register count. */
struct agx_compiled_shader *
agx_compile_and_upload(struct agx_device *dev, nir_shader *nir,
                       const struct agx_shader_info *info, const char *what)
{
   void *mem = ralloc_context(NULL);
   struct agxc_binary bin;
   FILE *dbg = agx_debug_shaders() ? stderr : NULL;
   struct agx_compiled_shader *cs = NULL;

   if (dbg)
      fprintf(dbg, "agx: compiling %s\n", what);
   nir_shader_gather_info(nir, nir_shader_get_entrypoint(nir));
   unsigned nr_tex = BITSET_LAST_BIT(nir->info.textures_used);
   unsigned nr_samp = BITSET_LAST_BIT(nir->info.samplers_used);
   if (!agxc_compile(mem, nir, &bin, dbg)) {
      mesa_loge("agx: %s: compile error: %s", what, bin.error);
      goto out;
   }
   if (dbg)
      agxc_disassemble(dbg, bin.code.data, bin.code.size);

   cs = calloc(1, sizeof(*cs));
   if (!cs)
      goto out;
   cs->info = *info;
   cs->info.stage = nir->info.stage;
   cs->info.num_gprs = bin.num_gprs;
   cs->info.uses_discard |= bin.uses_discard;
   cs->info.nr_textures = MAX2(cs->info.nr_textures, nr_tex);
   cs->info.nr_samplers = MAX2(cs->info.nr_samplers, nr_samp);
   cs->size_B = bin.code.size;
   if (dev) {
      cs->bo = agx_bo_create(dev, bin.code.size, AGX_BO_EXEC, what);
      if (!cs->bo) {
         mesa_loge("agx: %s: out of memory for shader code", what);
         free(cs);
         cs = NULL;
         goto out;
      }
      memcpy(cs->bo->map, bin.code.data, bin.code.size);
      cs->code_offset = cs->bo->va - dev->usc_base;
   } else {
      /* no device (unit tests): keep the code on the CPU */
      cs->code = malloc(bin.code.size);
      if (cs->code)
         memcpy(cs->code, bin.code.data, bin.code.size);
   }
out:
   ralloc_free(nir);
   ralloc_free(mem);
   return cs;
}

static void
info_init(struct agx_shader_info *info, unsigned stage)
{
   memset(info, 0, sizeof(*info));
   info->stage = stage;
   memset(info->uvs_index, -1, sizeof(info->uvs_index));
   info->num_uniforms = AGX_UNIFORM_PUSH_BASE;
}

struct agx_compiled_shader *
agx_compile_vs(struct agx_device *dev, const nir_shader *src, const struct agx_vs_key *key)
{
   struct agx_shader_info info;
   const char *err = NULL;
   nir_shader *nir = nir_shader_clone(NULL, src);
   info_init(&info, MESA_SHADER_VERTEX);
   if (!agx_nir_lower_vbo(nir, key, &err) || !agx_nir_lower_uvs(nir, &info, &err) ||
       !agx_nir_lower_ubo(nir, &info, &err)) {
      mesa_loge("agx: vertex shader: %s", err);
      ralloc_free(nir);
      return NULL;
   }
   return agx_compile_and_upload(dev, nir, &info, "vertex shader");
}

/* Clip distances in the fragment shader: discard where an enabled one,
 * interpolated like any varying, is negative. */
static void
lower_clip_fs(nir_shader *nir, unsigned enable)
{
   nir_function_impl *impl = nir_shader_get_entrypoint(nir);
   nir_builder b = nir_builder_at(nir_before_impl(impl));
   nir_def *bary = nir_load_barycentric_pixel(&b, 32, .interp_mode = INTERP_MODE_SMOOTH);
   nir_def *out = nir_imm_false(&b);
   u_foreach_bit(i, enable) {
      nir_io_semantics sem = { .location = VARYING_SLOT_CLIP_DIST0 + i / 4, .num_slots = 1 };
      nir_def *d = nir_load_interpolated_input(&b, 1, 32, bary, nir_imm_int(&b, 0),
                                               .component = i % 4, .io_semantics = sem);
      out = nir_ior(&b, out, nir_flt_imm(&b, d, 0.0));
   }
   nir_demote_if(&b, out);
   nir_metadata_preserve(impl, nir_metadata_control_flow);
}

struct agx_compiled_shader *
agx_compile_fs(struct agx_device *dev, const nir_shader *src, const struct agx_fs_key *key)
{
   struct agx_shader_info info;
   const char *err = NULL;
   nir_shader *nir = nir_shader_clone(NULL, src);
   info_init(&info, MESA_SHADER_FRAGMENT);
   info.early_fragment_tests = nir->info.fs.early_fragment_tests;
   if (key->clip_plane_enable)
      lower_clip_fs(nir, key->clip_plane_enable);
   if (!agx_nir_lower_blend(nir, key) ||
       !agx_nir_lower_fs_outputs(nir, &key->tib, &info, &err) ||
       !agx_nir_lower_fs_inputs(nir, key, &info, &err) ||
       !agx_nir_lower_ubo(nir, &info, &err)) {
      mesa_loge("agx: fragment shader: %s", err ? err : "blend lowering failed");
      ralloc_free(nir);
      return NULL;
   }
   return agx_compile_and_upload(dev, nir, &info, "fragment shader");
}

/* Canonical key copies (zeroed padding) with their size in front. */
static void *
vs_key_copy(const struct agx_vs_key *key, size_t *size)
{
   size_t *k = calloc(1, sizeof(size_t) + sizeof(struct agx_vs_key));
   if (!k)
      return NULL;
   struct agx_vs_key *c = (struct agx_vs_key *)(k + 1);
   c->nr_attribs = MIN2(key->nr_attribs, AGX_MAX_ATTRIBS);
   for (unsigned i = 0; i < c->nr_attribs; i++) {
      c->attribs[i].format = key->attribs[i].format;
      c->attribs[i].src_offset_B = key->attribs[i].src_offset_B;
      c->attribs[i].stride_B = key->attribs[i].stride_B;
      c->attribs[i].buffer = key->attribs[i].buffer;
      c->attribs[i].instance_divisor = key->attribs[i].instance_divisor;
   }
   *k = *size = sizeof(struct agx_vs_key);
   return k;
}

void
agx_tilebuffer_copy(struct agx_tilebuffer_layout *d, const struct agx_tilebuffer_layout *s)
{
   d->nr_rts = s->nr_rts;
   for (unsigned i = 0; i < AGX_MAX_RTS; i++) {
      d->format[i] = s->format[i];
      d->offset_B[i] = s->offset_B[i];
   }
   d->sample_size_B = s->sample_size_B;
   d->nr_samples = s->nr_samples;
   d->tile_width = s->tile_width;
   d->tile_height = s->tile_height;
}

static void *
fs_key_copy(const struct agx_fs_key *key)
{
   size_t *k = calloc(1, sizeof(size_t) + sizeof(struct agx_fs_key));
   if (!k)
      return NULL;
   struct agx_fs_key *c = (struct agx_fs_key *)(k + 1);
   agx_tilebuffer_copy(&c->tib, &key->tib);
   for (unsigned i = 0; i < AGX_MAX_RTS; i++) {
      const struct pipe_rt_blend_state *b = &key->blend[i];
      c->blend[i].blend_enable = b->blend_enable;
      c->blend[i].rgb_func = b->rgb_func;
      c->blend[i].rgb_src_factor = b->rgb_src_factor;
      c->blend[i].rgb_dst_factor = b->rgb_dst_factor;
      c->blend[i].alpha_func = b->alpha_func;
      c->blend[i].alpha_src_factor = b->alpha_src_factor;
      c->blend[i].alpha_dst_factor = b->alpha_dst_factor;
      c->blend[i].colormask = b->colormask;
   }
   c->independent_blend = key->independent_blend;
   c->logicop_enable = key->logicop_enable;
   c->logicop_func = key->logicop_func;
   c->alpha_to_coverage = key->alpha_to_coverage;
   c->flatshade = key->flatshade;
   c->sprite_coord = key->sprite_coord;
   c->cbuf0_only = key->cbuf0_only;
   c->clip_plane_enable = key->clip_plane_enable;
   *k = sizeof(struct agx_fs_key);
   return k;
}

static struct agx_compiled_shader *
get_variant(struct agx_device *dev, struct agx_uncompiled_shader *so, void *kcopy)
{
   if (!kcopy)
      return NULL;
   simple_mtx_lock(&so->lock);
   struct hash_entry *e = _mesa_hash_table_search(so->variants, kcopy);
   if (e) {
      simple_mtx_unlock(&so->lock);
      free(kcopy);
      return e->data;
   }
   const size_t *sz = kcopy;
   const void *key = sz + 1;
   struct agx_compiled_shader *cs =
      so->stage == MESA_SHADER_VERTEX ? agx_compile_vs(dev, so->nir, key)
                                      : agx_compile_fs(dev, so->nir, key);
   if (cs)
      _mesa_hash_table_insert(so->variants, kcopy, cs);
   else
      free(kcopy);
   simple_mtx_unlock(&so->lock);
   return cs;
}

struct agx_compiled_shader *
agx_get_vs(struct agx_device *dev, void *vs_cso, const struct agx_vs_key *key)
{
   struct agx_uncompiled_shader *so = vs_cso;
   size_t sz;
   if (!so || so->stage != MESA_SHADER_VERTEX)
      return NULL;
   return get_variant(dev, so, vs_key_copy(key, &sz));
}

struct agx_compiled_shader *
agx_get_fs(struct agx_device *dev, void *fs_cso, const struct agx_fs_key *key)
{
   struct agx_uncompiled_shader *so = fs_cso;
   if (!so || so->stage != MESA_SHADER_FRAGMENT)
      return NULL;
   return get_variant(dev, so, fs_key_copy(key));
}
