/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * agxc's disassembler (agxc_disasm.c) against the simulator's decoder: for
 * graphics shaders using every instruction class the backend emits
 * (st_var, device loads in several formats, iter/iterproj/ldcf,
 * ld/st_tile, sample_mask, zs_emit, texture_sample/load, image_write_block,
 * control flow, ALU), each instruction's length from agxc_decode_length
 * equals the packer's, and the class name and length agree with
 * agxsim-run --disasm-records. Also checks the text output names every
 * instruction. Skips the simulator part when AGXSIM_RUN is not set.
 */
#include <stdlib.h>
#include <unistd.h>
#include "agxc.h"
#include "agxc_tap.h"
#include "compiler/glsl_types.h"
#include "compiler/nir/nir.h"
#include "compiler/nir/nir_builder.h"
#include "util/memstream.h"
#include "util/ralloc.h"

static nir_shader *
graphics_vs(void)
{
   nir_builder b = nir_builder_init_simple_shader(MESA_SHADER_VERTEX, agxc_nir_options(), "vs");
   nir_def *base = nir_load_preamble(&b, 1, 64, .base = 0);
   nir_def *id = nir_load_vertex_id(&b);
   nir_def *p = nir_load_agx(&b, 4, 32, base, id, .format = PIPE_FORMAT_R32_FLOAT);
   nir_def *c = nir_load_agx(&b, 4, 32, base, nir_iadd_imm(&b, id, 64),
                             .format = PIPE_FORMAT_R8_UNORM);
   nir_def *h = nir_load_agx(&b, 2, 16, base, nir_imm_int(&b, 300),
                             .format = PIPE_FORMAT_R16_FLOAT);
   nir_def *s = nir_load_agx(&b, 1, 32, base, nir_load_instance_id(&b),
                             .format = PIPE_FORMAT_R16_SNORM);
   for (unsigned i = 0; i < 4; i++)
      nir_store_uvs_agx(&b, nir_channel(&b, p, i), nir_imm_intN_t(&b, i, 16));
   for (unsigned i = 0; i < 4; i++)
      nir_store_uvs_agx(&b, nir_fadd(&b, nir_channel(&b, c, i), s), nir_imm_intN_t(&b, 4 + i, 16));
   nir_store_uvs_agx(&b, nir_f2f32(&b, nir_channel(&b, h, 1)), nir_imm_intN_t(&b, 8, 16));
   return b.shader;
}

static nir_shader *
graphics_fs(void)
{
   nir_builder b = nir_builder_init_simple_shader(MESA_SHADER_FRAGMENT, agxc_nir_options(), "fs");
   nir_def *bp = nir_load_barycentric_pixel(&b, 32, .interp_mode = INTERP_MODE_SMOOTH);
   nir_def *bl = nir_load_barycentric_centroid(&b, 32, .interp_mode = INTERP_MODE_NOPERSPECTIVE);
   nir_def *v = nir_load_interpolated_input(&b, 4, 32, bp, nir_imm_int(&b, 0), .base = 1);
   nir_def *l = nir_load_interpolated_input(&b, 2, 32, bl, nir_imm_int(&b, 0), .base = 5);
   nir_def *f = nir_load_input(&b, 1, 32, nir_imm_int(&b, 0), .base = 7);
   nir_demote_if(&b, nir_flt(&b, f, nir_imm_float(&b, 0.0f)));
   nir_store_zs_agx(&b, nir_imm_intN_t(&b, 0xff, 16), nir_channel(&b, l, 0), nir_imm_int(&b, 0),
                    .base = 1);
   nir_tex_instr *tex = nir_tex_instr_create(b.shader, 1);
   tex->op = nir_texop_tex;
   tex->sampler_dim = GLSL_SAMPLER_DIM_2D;
   tex->dest_type = nir_type_float32;
   tex->coord_components = 2;
   tex->texture_index = 1;
   tex->sampler_index = 2;
   tex->src[0] = nir_tex_src_for_ssa(nir_tex_src_coord, l);
   nir_def_init(&tex->instr, &tex->def, 4, 32);
   nir_builder_instr_insert(&b, &tex->instr);
   nir_def *px = nir_u2u32(&b, nir_load_pixel_coord(&b));
   nir_tex_instr *txf = nir_tex_instr_create(b.shader, 2);
   txf->op = nir_texop_txf;
   txf->sampler_dim = GLSL_SAMPLER_DIM_2D;
   txf->dest_type = nir_type_float32;
   txf->coord_components = 2;
   txf->src[0] = nir_tex_src_for_ssa(nir_tex_src_coord, px);
   txf->src[1] = nir_tex_src_for_ssa(nir_tex_src_lod, nir_imm_int(&b, 0));
   nir_def_init(&txf->instr, &txf->def, 4, 32);
   nir_builder_instr_insert(&b, &txf->instr);
   nir_def *dst = nir_load_local_pixel_agx(&b, 4, 32, nir_imm_intN_t(&b, 0xff, 16), .base = 0,
                                           .format = PIPE_FORMAT_R8G8B8A8_UNORM);
   nir_def *sum = nir_fadd(&b, nir_fadd(&b, v, &tex->def), nir_fadd(&b, &txf->def, dst));
   nir_store_local_pixel_agx(&b, sum, nir_imm_intN_t(&b, 0xff, 16), nir_undef(&b, 2, 16),
                             .base = 0, .write_mask = 0xf, .format = PIPE_FORMAT_R8G8B8A8_UNORM);
   nir_store_local_pixel_agx(&b, nir_channels(&b, sum, 3), nir_imm_intN_t(&b, 0xff, 16),
                             nir_undef(&b, 2, 16), .base = 4, .write_mask = 0x3,
                             .format = PIPE_FORMAT_R16G16_FLOAT);
   return b.shader;
}

static nir_shader *
eot(void)
{
   nir_builder b = nir_builder_init_simple_shader(MESA_SHADER_FRAGMENT, agxc_nir_options(), "eot");
   for (unsigned rt = 0; rt < 2; rt++) {
      nir_intrinsic_instr *st =
         nir_intrinsic_instr_create(b.shader, nir_intrinsic_image_store_block_agx);
      st->src[0] = nir_src_for_ssa(nir_imm_int(&b, rt));
      st->src[1] = nir_src_for_ssa(nir_imm_int(&b, 8 * rt));
      st->src[2] = nir_src_for_ssa(nir_imm_ivec2(&b, 0, 0));
      st->num_components = 2;
      nir_intrinsic_set_format(st, rt ? PIPE_FORMAT_R16G16B16A16_FLOAT
                                      : PIPE_FORMAT_R8G8B8A8_UNORM);
      nir_intrinsic_set_image_dim(st, rt ? GLSL_SAMPLER_DIM_MS : GLSL_SAMPLER_DIM_2D);
      nir_builder_instr_insert(&b, &st->instr);
   }
   return b.shader;
}

/* our class name -> the simulator's */
static bool
same_class(const char *ours, const char *sim)
{
   if (!strcmp(ours, sim))
      return true;
   if (!strncmp(ours, "mov_imm", 7))
      return !strcmp(sim, "mov_imm");
   if (!strcmp(ours, "st_tile") || !strcmp(ours, "ld_tile"))
      return !strcmp(sim, "ld_st_tile");
   if (!strcmp(ours, "funary")) {
      static const char *u[] = { "floor", "ceil", "trunc", "rint", "rcp", "rsqrt", "log2",
                                 "exp2" };
      for (unsigned i = 0; i < ARRAY_SIZE(u); i++)
         if (!strcmp(sim, u[i]))
            return true;
   }
   return false;
}

static void
check(const char *name, nir_shader *nir, const char *sim, const char *tmp, const char *need)
{
   void *mem = ralloc_context(NULL);
   ralloc_steal(mem, nir);
   struct agxc_binary bin;
   bool ok = agxc_compile(mem, nir, &bin, NULL);
   tap_ok(ok, "%s compiles (%s)", name, ok ? "ok" : bin.error);
   if (!ok) {
      ralloc_free(mem);
      return;
   }
   unsigned n = util_dynarray_num_elements(&bin.offsets, uint32_t);
   const uint32_t *off = bin.offsets.data;
   const uint8_t *code = bin.code.data;
   const char **names = calloc(n, sizeof(char *));
   unsigned *len = calloc(n, sizeof(unsigned));
   unsigned bad = 0;
   for (unsigned i = 0; i < n; i++) {
      unsigned end = i + 1 < n ? off[i + 1] : bin.code.size - 16;
      len[i] = end - off[i];
      unsigned dl = agxc_decode_length(code + off[i], bin.code.size - off[i], &names[i]);
      if (dl != len[i] && !bad++)
         fprintf(stderr, "# %s insn %u: packed %u B, disassembler %u B\n", name, i, len[i], dl);
   }
   tap_ok(!bad, "%s: the disassembler's length of all %u instructions is the packer's", name,
          n);
   /* the shader really exercises the classes it is meant to */
   char missing[256] = "";
   char *needs = strdup(need);
   for (char *tok = strtok(needs, " "); tok; tok = strtok(NULL, " ")) {
      bool found = false;
      for (unsigned i = 0; i < n && !found; i++)
         found = names[i] && !strcmp(names[i], tok);
      if (!found && strlen(missing) + strlen(tok) + 2 < sizeof(missing)) {
         strcat(missing, " ");
         strcat(missing, tok);
      }
   }
   free(needs);
   tap_ok(!missing[0], "%s contains %s (missing:%s)", name, need, missing);

   char *text = NULL;
   size_t tsize = 0;
   struct u_memstream ms;
   if (u_memstream_open(&ms, &text, &tsize)) {
      agxc_disassemble(u_memstream_get(&ms), code, bin.code.size);
      u_memstream_close(&ms);
   }
   unsigned lines = 0;
   for (char *p = text; p && *p; p++)
      lines += *p == '\n';
   tap_ok(text && lines == n && !strstr(text, "unknown"),
          "%s: disassembly has one line per instruction (%u/%u), none unknown", name, lines, n);
   free(text);

   if (!sim) {
      tap_skip("AGXSIM_RUN not set", "%s: simulator decoder cross-check", name);
   } else {
      char path[256], cmd[512];
      snprintf(path, sizeof(path), "%s/%s.rec", tmp, name);
      FILE *fp = fopen(path, "wb");
      for (unsigned i = 0; fp && i < n; i++) {
         uint8_t rec[12] = { 0 };
         memcpy(rec, code + off[i], len[i]);
         fwrite(rec, 1, 12, fp);
      }
      if (fp)
         fclose(fp);
      snprintf(cmd, sizeof(cmd), "%s --disasm-records 12 %s", sim, path);
      FILE *p = popen(cmd, "r");
      char line[512];
      unsigned i = 0, mism = 0;
      char first[300] = "";
      while (p && fgets(line, sizeof(line), p) && i < n) {
         unsigned size = atoi(line);
         char cls[64] = "";
         const char *tab = strchr(line, '\t');
         if (tab)
            sscanf(tab + 1, "%63[^\t\n]", cls);
         if (size != len[i] || !names[i] || !same_class(names[i], cls)) {
            if (!mism++)
               snprintf(first, sizeof(first), "insn %u: ours %s/%u, simulator %s/%u", i,
                        names[i] ? names[i] : "?", len[i], cls, size);
         }
         i++;
      }
      if (p)
         pclose(p);
      tap_ok(i == n && !mism,
             "%s: the simulator decodes all %u instructions with our lengths and classes "
             "(%u differ) %s",
             name, n, mism, first);
   }
   free(names);
   free(len);
   ralloc_free(mem);
}

int
main(void)
{
   glsl_type_singleton_init_or_ref();
   const char *sim = getenv("AGXSIM_RUN");
   if (sim && access(sim, X_OK))
      sim = NULL;
   char tmp[] = "/tmp/agxc-disasm-XXXXXX";
   if (!mkdtemp(tmp))
      sim = NULL;
   check("vertex", graphics_vs(), sim, tmp, "device_load st_var st_var_final iadd");
   check("fragment", graphics_fs(), sim, tmp,
         "iterproj iter ldcf sample_mask zs_emit texture_sample texture_load ld_tile st_tile "
         "get_sr fcmpsel icmpsel");
   check("end-of-tile", eot(), sim, tmp, "image_write_block mov_imm32");
   glsl_type_singleton_decref();
   return tap_done();
}
