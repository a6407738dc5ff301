/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * End to end: compile compute shaders with agxc and execute the machine
 * code in the project's independent ISA simulator (tests/sim agxsim-run,
 * path in $AGXSIM_RUN), 32 lanes, lane i = global invocation id i. The
 * results are compared with the same arithmetic done here in C.
 *
 * Also the decoder cross-check: every emitted instruction, as a 12-byte
 * record, is decoded by agxsim-run --disasm-records; its length must equal
 * ours and it must not be an unknown encoding; for two shaders the decoded
 * instruction classes are compared with the expected sequence.
 *
 * Skips (TAP SKIP) when AGXSIM_RUN is not set.
 */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>
#include "agxc.h"
#include "agxc_tap.h"
#include "agxc_test_shaders.h"
#include "util/ralloc.h"

#define IN_VA  0x200000u
#define OUT_VA 0x300000u

static const char *sim;

static char *
run_cmd(const char *cmd)
{
   FILE *p = popen(cmd, "r");
   if (!p)
      return NULL;
   size_t cap = 1 << 16, n = 0;
   char *buf = malloc(cap);
   size_t r;
   while ((r = fread(buf + n, 1, cap - n - 1, p)) > 0) {
      n += r;
      if (n + 1 >= cap)
         buf = realloc(buf, cap *= 2);
   }
   buf[n] = 0;
   pclose(p);
   return buf;
}

static bool
write_file(const char *path, const void *data, size_t size)
{
   FILE *f = fopen(path, "wb");
   if (!f)
      return false;
   bool ok = fwrite(data, 1, size, f) == size;
   return fclose(f) == 0 && ok;
}

/* Decode each instruction with the simulator and compare lengths. */
static void
crosscheck(const char *name, const struct agxc_binary *bin, const char *tmp,
           const char *expect_classes)
{
   char classes[2048] = "";
   unsigned n = util_dynarray_num_elements(&bin->offsets, uint32_t);
   const uint32_t *off = bin->offsets.data;
   uint8_t *rec = calloc(n, 12);
   unsigned *len = calloc(n, sizeof(unsigned));
   for (unsigned i = 0; i < n; i++) {
      unsigned end = i + 1 < n ? off[i + 1] : bin->code.size - 16; /* footer */
      len[i] = end - off[i];
      memcpy(rec + 12 * i, (uint8_t *)bin->code.data + off[i], len[i]);
   }
   char path[256], cmd[512];
   snprintf(path, sizeof(path), "%s/%s-records.bin", tmp, name);
   write_file(path, rec, 12 * n);
   snprintf(cmd, sizeof(cmd), "%s --disasm-records 12 %s", sim, path);
   char *out = run_cmd(cmd);
   if (getenv("AGXC_E2E_VERBOSE") && out)
      fprintf(stderr, "%s", out);
   unsigned bad = 0, i = 0;
   char first_bad[256] = "";
   for (char *line = out ? strtok(out, "\n") : NULL; line && i < n;
        line = strtok(NULL, "\n"), i++) {
      unsigned size = atoi(line);
      bool unknown = strstr(line, "unknown") != NULL;
      const char *tab = strchr(line, '\t');
      if (tab) {
         size_t l = strcspn(tab + 1, "\t");
         if (strlen(classes) + l + 2 < sizeof(classes)) {
            if (classes[0])
               strcat(classes, " ");
            strncat(classes, tab + 1, l);
         }
      }
      if (size != len[i] || unknown) {
         if (!bad++)
            snprintf(first_bad, sizeof(first_bad), "insn %u: ours %u B, decoder: %.160s",
                     i, len[i], line);
      }
   }
   tap_ok(out && i == n && bad == 0,
          "%s: all %u instructions decode with our length (%u mismatches) %s", name, n,
          bad, first_bad);
   if (expect_classes)
      tap_ok(!strcmp(classes, expect_classes), "%s: decoder's classes: %s", name, classes);
   free(out);
   free(rec);
   free(len);
}

/* Run the binary, returning the bytes written at OUT_VA (hex) or NULL. */
static bool
run(const char *name, const struct agxc_binary *bin, const char *tmp,
    const uint32_t *in, unsigned in_n, uint32_t push0, uint32_t *out, unsigned out_n,
    char **json)
{
   char path[256], inpath[256], cmd[1024];
   snprintf(path, sizeof(path), "%s/%s.bin", tmp, name);
   snprintf(inpath, sizeof(inpath), "%s/%s-in.bin", tmp, name);
   write_file(path, bin->code.data, bin->code.size);
   write_file(inpath, in, 4 * in_n);
   snprintf(cmd, sizeof(cmd),
            "%s --threads 32 --uniform u0=0x%x --uniform u1=0 --uniform u2=0x%x "
            "--uniform u3=0 --uniform u16=0x%x --mem 0x%x:@%s --mem 0x%x:zero:%u %s",
            sim, IN_VA, OUT_VA, push0, IN_VA, inpath, OUT_VA, 4 * out_n, path);
   *json = run_cmd(cmd);
   if (!*json || !strstr(*json, "\"status\": \"stopped\""))
      return false;
   char key[64];
   snprintf(key, sizeof(key), "\"va\": \"0x%x\", \"hex\": \"", OUT_VA);
   char *h = strstr(*json, key);
   if (!h)
      return false;
   h += strlen(key);
   memset(out, 0, 4 * out_n);
   for (unsigned i = 0; i < 4 * out_n && h[2 * i] && h[2 * i] != '"'; i++) {
      unsigned byte;
      sscanf(h + 2 * i, "%2x", &byte);
      ((uint8_t *)out)[i] = byte;
   }
   return true;
}

static uint32_t fbits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static float bitsf(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }

static bool
compile(void *mem, nir_shader *nir, struct agxc_binary *bin)
{
   ralloc_steal(mem, nir); /* freed with the test's context */
   bool ok = agxc_compile(mem, nir, bin, NULL);
   tap_ok(ok, "%s compiles (%s), %u bytes, %u GPRs", nir->info.name,
          ok ? "ok" : bin->error, ok ? bin->code.size : 0, bin->num_gprs);
   return ok;
}

int
main(void)
{
   void *mem = ralloc_context(NULL);
   sim = getenv("AGXSIM_RUN");
   char tmp[] = "/tmp/agxc-e2e-XXXXXX";
   if (!sim || access(sim, X_OK) || !mkdtemp(tmp)) {
      tap_skip("AGXSIM_RUN not set or not executable", "end-to-end in the simulator");
      return tap_done();
   }

   uint32_t in[32], out[128];
   char *json = NULL;
   struct agxc_binary bin;

   /* 1. saxpy: out[id] = in[id] * 2.0 + u16 */
   for (unsigned i = 0; i < 32; i++)
      in[i] = fbits(i * 0.75f - 9.5f);
   if (compile(mem, ts_saxpy(), &bin)) {
      crosscheck("saxpy", &bin, tmp,
                 "get_sr device_load wait fmadd32 device_store stop");
      bool ran = run("saxpy", &bin, tmp, in, 32, fbits(0.125f), out, 32, &json);
      unsigned bad = 0;
      for (unsigned i = 0; ran && i < 32; i++)
         bad += out[i] != fbits(bitsf(in[i]) * 2.0f + 0.125f);
      tap_ok(ran && !bad, "saxpy on 32 lanes: out[i] = in[i]*2 + 0.125 (%u wrong) %s", bad,
             ran ? "" : json);
      free(json);
   }

   /* 2. if/else with phi: out = id < 11 ? in + 1 : -(in * 3) */
   if (compile(mem, ts_branch(), &bin)) {
      crosscheck("branch", &bin, tmp,
                 "get_sr device_load wait icmpsel if_icmp fadd32 bitop else_fcmp "
                 "fmul32 fmul32 bitop pop_exec device_store stop");
      bool ran = run("branch", &bin, tmp, in, 32, 11, out, 32, &json);
      unsigned bad = 0;
      for (unsigned i = 0; ran && i < 32; i++) {
         float x = bitsf(in[i]);
         bad += out[i] != fbits(i < 11 ? x + 1.0f : -(x * 3.0f));
      }
      tap_ok(ran && !bad, "divergent if/else + phi on 32 lanes (%u wrong) %s", bad,
             ran ? "" : json);
      tap_ok(ran && strstr(json, "\"exec\": \"0xffffffff\""),
             "execution mask restored to all lanes after pop_exec");
      free(json);
   }

   /* 2b. nested if/else */
   if (compile(mem, ts_nested(), &bin)) {
      crosscheck("nested", &bin, tmp, NULL);
      bool ran = run("nested", &bin, tmp, in, 32, 0, out, 32, &json);
      unsigned bad = 0;
      for (unsigned i = 0; ran && i < 32; i++) {
         float x = bitsf(in[i]);
         float want = i < 16 ? ((i & 1) ? x + 1.0f : x * 2.0f) : x - 5.0f;
         bad += out[i] != fbits(want);
      }
      tap_ok(ran && !bad, "nested divergent if/else (two levels, phis) on 32 lanes (%u wrong)",
             bad);
      tap_ok(ran && strstr(json, "\"exec\": \"0xffffffff\""),
             "execution mask restored after nested pop_exec");
      free(json);
   }

   /* 2c. loop with divergent trip counts */
   if (compile(mem, ts_loop(), &bin)) {
      crosscheck("loop", &bin, tmp, NULL);
      bool ran = run("loop", &bin, tmp, in, 32, 0, out, 32, &json);
      unsigned bad = 0;
      for (unsigned i = 0; ran && i < 32; i++) {
         float acc = bitsf(in[i]);
         for (unsigned k = 0; k < (i & 3); k++)
            acc = fmaf(acc, 1.5f, 1.0f);
         if (out[i] != fbits(acc) && !bad++)
            fprintf(stderr, "# lane %u: got %g want %g\n", i, bitsf(out[i]), acc);
      }
      tap_ok(ran && !bad, "loop with 0..3 iterations per lane (break under if) (%u wrong) %s",
             bad, ran ? "" : json);
      tap_ok(ran && strstr(json, "\"exec\": \"0xffffffff\""),
             "execution mask restored after the loop");
      free(json);
   }

   /* 3. integer ALU */
   int32_t iin[32];
   for (unsigned i = 0; i < 32; i++)
      iin[i] = (int32_t)(i * 2654435761u) >> (i % 13);
   iin[0] = -5;
   iin[1] = 9000;
   if (compile(mem, ts_integer(), &bin)) {
      crosscheck("integer", &bin, tmp, NULL);
      bool ran = run("integer", &bin, tmp, (uint32_t *)iin, 32, 0, out, 32, &json);
      unsigned bad = 0;
      for (unsigned i = 0; ran && i < 32; i++) {
         int32_t a = iin[i];
         uint32_t s = ((uint32_t)a << 3) ^ 0x55;
         int32_t m = (int32_t)((uint32_t)a * 7u - 1000u);
         int32_t r = (int32_t)((uint32_t)(m >> 1) + (s >> 2));
         r = r < 60000 ? r : 60000;
         uint32_t v = (a & 1) ? (uint32_t)r : ((uint32_t)r | 0x100);
         if (out[i] != v && !bad++)
            fprintf(stderr, "# lane %u: a=%d got 0x%x want 0x%x\n", i, a, out[i], v);
      }
      tap_ok(ran && !bad, "integer shifts/bitops/imul/imin/bcsel on 32 lanes (%u wrong)", bad);
      free(json);
   }

   /* 4. conversions, transcendentals, vec4 store */
   for (unsigned i = 0; i < 32; i++)
      in[i] = fbits(i * 0.5f - 4.0f);
   if (compile(mem, ts_convert(), &bin)) {
      crosscheck("convert", &bin, tmp, NULL);
      bool ran = run("convert", &bin, tmp, in, 32, 0, out, 128, &json);
      unsigned bad = 0;
      for (unsigned i = 0; ran && i < 32; i++) {
         float x = bitsf(in[i]);
         int32_t o0 = (int32_t)truncf(i * 1.5f - 7.25f);
         float o1 = exp2f((float)i - 4.0f);
         float o2 = sqrtf(i + 0.25f) / (x + 2.0f);
         float o3 = (x >= 0.0f ? 1.0f : 0.0f) + fmaxf(x, 0.5f);
         bool ok = (int32_t)out[4 * i] == o0 &&
                   fabsf(bitsf(out[4 * i + 1]) - o1) <= 1e-6f * o1 &&
                   (isinf(o2) ? bitsf(out[4 * i + 2]) == o2
                              : fabsf(bitsf(out[4 * i + 2]) - o2) <= 1e-5f * fabsf(o2)) &&
                   out[4 * i + 3] == fbits(o3);
         if (!ok && !bad++)
            fprintf(stderr, "# lane %u: got %d %g %g %g want %d %g %g %g\n", i,
                    (int32_t)out[4 * i], bitsf(out[4 * i + 1]), bitsf(out[4 * i + 2]),
                    bitsf(out[4 * i + 3]), o0, o1, o2, o3);
      }
      tap_ok(ran && !bad, "f2i/i2f/u2f/exp2/sqrt/div/b2f/fmax + vec4 store on 32 lanes (%u wrong)",
             bad);
      free(json);
   }

   /* continue inside an if in a loop */
   if (compile(mem, ts_continue(), &bin)) {
      crosscheck("continue", &bin, tmp, NULL);
      bool ran = run("continue", &bin, tmp, in, 32, 0, out, 32, &json);
      unsigned bad = 0;
      for (unsigned i = 0; ran && i < 32; i++) {
         float acc = 0;
         for (unsigned k = 1; k <= (i & 7); k++)
            if (k & 1)
               acc += 10.0f * k;
         if (out[i] != fbits(acc) && !bad++)
            fprintf(stderr, "# lane %u: got %g want %g\n", i, bitsf(out[i]), acc);
      }
      tap_ok(ran && !bad, "loop with continue under an if on 32 lanes (%u wrong) %s", bad,
             ran ? "" : json);
      tap_ok(ran && strstr(json, "\"exec\": \"0xffffffff\""),
             "continue: every lane active again after the loop");
      free(json);
   }

   /* nested loops with break and continue */
   if (compile(mem, ts_nested_loops(), &bin)) {
      bool ran = run("nested_loops", &bin, tmp, in, 32, 0, out, 32, &json);
      unsigned bad = 0;
      for (unsigned l = 0; ran && l < 32; l++) {
         uint32_t acc = 0;
         for (unsigned i = 0; i < (l & 3); i++)
            for (unsigned j = 0; j < ((l >> 2) & 3); j++)
               if (!((l & 1) && j == 1))
                  acc += i * 4 + j + 1;
         if (out[l] != acc && !bad++)
            fprintf(stderr, "# lane %u: got %u want %u\n", l, out[l], acc);
      }
      tap_ok(ran && !bad, "nested loops with break and continue on 32 lanes (%u wrong) %s", bad,
             ran ? "" : json);
      free(json);
   }

   /* integer division (nir_lower_idiv) */
   if (compile(mem, ts_idiv(), &bin)) {
      bool ran = run("idiv", &bin, tmp, in, 32, 0, out, 128, &json);
      unsigned bad = 0;
      for (unsigned i = 0; ran && i < 32; i++) {
         uint32_t x = i * 37 + 5, d = (in[i] & 0xff) + 1;
         uint32_t w[4] = { x / 7, x % 7, (uint32_t)(-(int32_t)x / 3), x * 1000 / d };
         for (unsigned k = 0; k < 4; k++)
            if (out[4 * i + k] != w[k] && !bad++)
               fprintf(stderr, "# lane %u comp %u: got %u want %u\n", i, k, out[4 * i + k], w[k]);
      }
      tap_ok(ran && !bad, "udiv/umod/idiv by constants and a variable on 32 lanes (%u wrong)",
             bad);
      free(json);
   }

   /* sin/cos: polynomial lowering, |x| up to ~29 */
   if (compile(mem, ts_sincos(), &bin)) {
      bool ran = run("sincos", &bin, tmp, in, 32, 0, out, 64, &json);
      unsigned bad = 0;
      double worst = 0;
      for (unsigned i = 0; ran && i < 32; i++) {
         double x = (double)bitsf(in[i]) * 3.0;
         double es = fabs(bitsf(out[2 * i]) - sin(x)), ec = fabs(bitsf(out[2 * i + 1]) - cos(x));
         worst = fmax(worst, fmax(es, ec));
         bad += es > 1e-5 || ec > 1e-5; /* fp32 range reduction of |x| <= 30 */
      }
      tap_ok(ran && !bad, "sin/cos on 32 lanes within 1e-5 (%u wrong, worst %.2g)", bad, worst);
      free(json);
   }

   char cmd[300];
   snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
   if (system(cmd)) {
   }
   ralloc_free(mem);
   return tap_done();
}
