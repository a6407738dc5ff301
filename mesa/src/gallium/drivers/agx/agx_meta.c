/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * Background and end-of-tile programs, cached per device
 * (agx_device::meta_cache) by key.
 *
 * Background (run over every pixel of a tile before the draws), per render
 * target of the layout:
 *    AGX_BG_CLEAR    st_tile of the clear colour, uniforms u(4 rt)..
 *                    u(4 rt + 3) (fp32, or raw integers for integer formats)
 *    AGX_BG_LOAD     texture_load of texture state register rt at the
 *                    pixel's framebuffer position, st_tile
 *    AGX_BG_DONTCARE nothing
 * End of tile, per render target with store[rt]: image_write_block of the
 * whole tile (its data at the RT's byte offset) to the PBE descriptor in
 * texture state register rt.
 */
#include <stdlib.h>
#include <string.h>
#include "agx_device.h"
#include "agx_nir.h"
#include "agx_shader.h"
#include "agxc.h"
#include "compiler/nir/nir.h"
#include "compiler/nir/nir_builder.h"
#include "util/format/u_format.h"
#include "util/hash_table.h"
#include "util/log.h"
#include "util/simple_mtx.h"

struct agx_meta_cache {
   simple_mtx_t lock;
   struct hash_table *ht; /* struct agx_bg_eot_key * -> agx_compiled_shader */
};

static uint32_t
key_hash(const void *k)
{
   return _mesa_hash_data(k, sizeof(struct agx_bg_eot_key));
}

static bool
key_equal(const void *a, const void *b)
{
   return !memcmp(a, b, sizeof(struct agx_bg_eot_key));
}

static void
store_tile(nir_builder *b, nir_def *v, const struct agx_tilebuffer_layout *tib, unsigned rt)
{
   unsigned n = util_format_get_nr_components(tib->format[rt]);
   nir_store_local_pixel_agx(b, nir_trim_vector(b, v, n), nir_imm_intN_t(b, 0xff, 16),
                             nir_undef(b, 2, 16), .base = tib->offset_B[rt],
                             .write_mask = BITFIELD_MASK(n), .format = tib->format[rt]);
}

/* Builds the NIR of a background/EOT program; NULL on an unsupported key. */
nir_shader *
agx_build_bg_eot(const struct agx_bg_eot_key *key, const char **error)
{
   const struct agx_tilebuffer_layout *tib = &key->tib;
   nir_builder b = nir_builder_init_simple_shader(MESA_SHADER_FRAGMENT, agx_nir_options(),
                                                  key->eot ? "agx_eot" : "agx_bg");
   for (unsigned rt = 0; rt < tib->nr_rts; rt++) {
      if (tib->format[rt] == PIPE_FORMAT_NONE)
         continue;
      if (key->eot) {
         if (!key->store[rt])
            continue;
         nir_intrinsic_instr *st =
            nir_intrinsic_instr_create(b.shader, nir_intrinsic_image_store_block_agx);
         st->src[0] = nir_src_for_ssa(nir_imm_int(&b, rt));
         st->src[1] = nir_src_for_ssa(nir_imm_int(&b, tib->offset_B[rt]));
         st->src[2] = nir_src_for_ssa(nir_imm_ivec2(&b, 0, 0));
         st->num_components = 2;
         nir_intrinsic_set_format(st, tib->format[rt]);
         nir_intrinsic_set_image_dim(st, tib->nr_samples > 1 ? GLSL_SAMPLER_DIM_MS
                                                             : GLSL_SAMPLER_DIM_2D);
         nir_intrinsic_set_image_array(st, false);
         nir_builder_instr_insert(&b, &st->instr);
      } else if (key->op[rt] == AGX_BG_CLEAR) {
         store_tile(&b, nir_load_preamble(&b, 4, 32, .base = AGX_UNIFORM_HALF(4 * rt)), tib,
                    rt);
      } else if (key->op[rt] == AGX_BG_LOAD) {
         if (tib->nr_samples > 1) {
            *error = "background load of a multisampled render target is not supported";
            ralloc_free(b.shader);
            return NULL;
         }
         nir_def *px = nir_u2u32(&b, nir_load_pixel_coord(&b));
         nir_tex_instr *tex = nir_tex_instr_create(b.shader, 2);
         tex->op = nir_texop_txf;
         tex->sampler_dim = GLSL_SAMPLER_DIM_2D;
         tex->texture_index = rt;
         tex->sampler_index = 0;
         tex->dest_type = util_format_is_pure_uint(tib->format[rt]) ? nir_type_uint32 :
                          util_format_is_pure_sint(tib->format[rt]) ? nir_type_int32 :
                                                                      nir_type_float32;
         tex->coord_components = 2;
         tex->src[0] = nir_tex_src_for_ssa(nir_tex_src_coord, px);
         tex->src[1] = nir_tex_src_for_ssa(nir_tex_src_lod, nir_imm_int(&b, 0));
         nir_def_init(&tex->instr, &tex->def, 4, 32);
         nir_builder_instr_insert(&b, &tex->instr);
         store_tile(&b, &tex->def, tib, rt);
      }
   }
   return b.shader;
}

struct agx_compiled_shader *
agx_get_bg_eot(struct agx_device *dev, const struct agx_bg_eot_key *key)
{
   struct agx_bg_eot_key k;
   memset(&k, 0, sizeof(k));
   agx_tilebuffer_copy(&k.tib, &key->tib);
   k.eot = key->eot;
   for (unsigned i = 0; i < AGX_MAX_RTS; i++) {
      k.op[i] = key->eot ? 0 : key->op[i];
      k.store[i] = key->eot ? key->store[i] : false;
   }

   static simple_mtx_t create_lock = SIMPLE_MTX_INITIALIZER;
   simple_mtx_lock(&create_lock);
   struct agx_meta_cache *mc = dev->meta_cache;
   if (!mc) {
      mc = calloc(1, sizeof(*mc));
      if (mc) {
         simple_mtx_init(&mc->lock, mtx_plain);
         mc->ht = _mesa_hash_table_create(NULL, key_hash, key_equal);
         dev->meta_cache = mc;
      }
   }
   simple_mtx_unlock(&create_lock);
   if (!mc)
      return NULL;

   simple_mtx_lock(&mc->lock);
   struct hash_entry *e = _mesa_hash_table_search(mc->ht, &k);
   struct agx_compiled_shader *cs = e ? e->data : NULL;
   if (!e) {
      const char *err = NULL;
      nir_shader *nir = agx_build_bg_eot(&k, &err);
      if (nir) {
         struct agx_shader_info info;
         memset(&info, 0, sizeof(info));
         memset(info.uvs_index, -1, sizeof(info.uvs_index));
         info.num_uniforms = key->eot ? 0 : 4 * k.tib.nr_rts;
         info.nr_textures = k.tib.nr_rts;
         info.reads_tib = key->eot;
         cs = agx_compile_and_upload(dev, nir, &info,
                                     key->eot ? "end-of-tile program" : "background program");
      } else {
         mesa_loge("agx: %s", err);
      }
      if (cs) {
         struct agx_bg_eot_key *kc = malloc(sizeof(k));
         if (kc) {
            *kc = k;
            _mesa_hash_table_insert(mc->ht, kc, cs);
         }
      }
   }
   simple_mtx_unlock(&mc->lock);
   return cs;
}

void
agx_meta_cache_destroy(struct agx_device *dev)
{
   struct agx_meta_cache *mc = dev->meta_cache;
   if (!mc)
      return;
   hash_table_foreach(mc->ht, e) {
      free((void *)e->key);
      agx_compiled_shader_destroy(e->data);
   }
   _mesa_hash_table_destroy(mc->ht, NULL);
   simple_mtx_destroy(&mc->lock);
   free(mc);
   dev->meta_cache = NULL;
}
