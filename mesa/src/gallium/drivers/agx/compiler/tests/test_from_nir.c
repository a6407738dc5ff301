/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * NIR -> IR translation (after agxc_preprocess_nir), checked on the printed
 * IR: which backend instructions each construct becomes.
 */
#include "agxc.h"
#include "agxc_tap.h"
#include "agxc_test_shaders.h"
#include "util/ralloc.h"

static unsigned
count(const char *hay, const char *needle)
{
   unsigned n = 0;
   for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
      n++;
   return n;
}

/* On failure, show the IR as TAP diagnostics. */
static void
diag(const char *ir, unsigned failed_before)
{
   if (tap_failed == failed_before || !ir)
      return;
   printf("# IR:\n# ");
   for (const char *p = ir; *p; p++)
      printf(p[0] == '\n' && p[1] ? "\n# " : "%c", *p);
}

static char *
translate(void *mem, nir_shader *nir, const char **err)
{
   agxc_preprocess_nir(nir);
   agxc_shader *s = agxc_from_nir(mem, nir, err);
   if (!s)
      return NULL;
   agxc_opt_dce(s);
   return agxc_shader_to_string(mem, s);
}

int
main(void)
{
   void *mem = ralloc_context(NULL);
   const char *err = NULL;
   char *ir;

   nir_shader *n = ts_saxpy();
   unsigned f0 = tap_failed;
   ir = translate(mem, n, &err);
   tap_ok(ir != NULL, "saxpy translates (%s)", err ? err : "ok");
   if (ir) {
      tap_ok(strstr(ir, "get_sr [80]") != NULL, "global_invocation_id.x -> get_sr 80");
      tap_ok(count(ir, "device_load") == 1 && strstr(ir, "device_load [fmt=2 mask=0x1 shift=0] u0:64, %"),
             "load_ssbo(0, id << 2) -> device_load base u0_u1, index id, i32");
      tap_ok(count(ir, "wait") == 1, "one wait after the load");
      tap_ok(strstr(ir, "fma %") && strstr(ir, ", #0x40, u16"),
             "ffma with 2.0 as minifloat 0x40 and the push constant as uniform u16");
      tap_ok(strstr(ir, "device_store [fmt=2 mask=0x1 shift=0] %") && strstr(ir, "u2:64"),
             "store_ssbo(1) -> device_store with base u2_u3");
      tap_ok(strstr(ir, "stop") != NULL, "program ends with stop");
      tap_ok(count(ir, "bfi") == 0, "ishl by 2 folded into the memory index");
   }
   diag(ir, f0);
   ralloc_free(n);

   n = ts_branch();
   f0 = tap_failed;
   ir = translate(mem, n, &err);
   tap_ok(ir != NULL, "if/else translates (%s)", err ? err : "ok");
   if (ir) {
      tap_ok(strstr(ir, "icmpsel [1]") != NULL, "ult -> icmpsel ult producing a 16-bit bool");
      tap_ok(strstr(ir, "if_icmp [!0] n=1") && strstr(ir, "else n=1") && strstr(ir, "pop_exec n=1"),
             "if -> if_icmp (c != 0), else, pop_exec, all n=1");
      tap_ok(count(ir, " = mov ") == 2, "phi -> one move per predecessor");
      tap_ok(strstr(ir, "fmul -%") != NULL || strstr(ir, "fmul %") != NULL, "else side multiplies");
      tap_ok(strstr(ir, " = fmul -%") && strstr(ir, ", #0x30\n"),
             "fneg feeding a phi -> fmul by 1.0 (0x30) with the neg source modifier");
      const char *ifp = strstr(ir, "if_icmp"), *elp = strstr(ir, "else n=1"),
                 *pop = strstr(ir, "pop_exec");
      tap_ok(ifp && elp && pop && ifp < elp && elp < pop, "if < else < pop_exec in program order");
   }
   diag(ir, f0);
   ralloc_free(n);

   n = ts_integer();
   f0 = tap_failed;
   ir = translate(mem, n, &err);
   tap_ok(ir != NULL, "integer shader translates (%s)", err ? err : "ok");
   if (ir) {
      tap_ok(strstr(ir, "bfi") && strstr(ir, "bfeil") && strstr(ir, "asr"),
             "ishl/ushr/ishr -> bfi/bfeil/asr");
      tap_ok(strstr(ir, "imad") != NULL, "imul -> imad");
      tap_ok(strstr(ir, "mov_imm [60000]") && strstr(ir, "mov_imm [4294966296]"),
             "constants over 8 bits materialised with mov_imm");
      tap_ok(strstr(ir, "bitop [6]") && strstr(ir, "bitop [8]") && strstr(ir, "bitop [14]"),
             "ixor/iand/ior -> bitop tables 0x6/0x8/0xe");
   }
   diag(ir, f0);
   ralloc_free(n);

   n = ts_convert();
   f0 = tap_failed;
   ir = translate(mem, n, &err);
   tap_ok(ir != NULL, "conversion shader translates (%s)", err ? err : "ok");
   if (ir) {
      tap_ok(strstr(ir, "convert [11]") && strstr(ir, "convert [9]") && strstr(ir, "convert [10]"),
             "i2f32/f2i32/u2f32 -> convert modes 11/9/10");
      tap_ok(strstr(ir, "funary [13]") && strstr(ir, "funary [9]") && strstr(ir, "funary [8]"),
             "fexp2, fsqrt (rsqrt+rcp), fdiv (rcp) -> unary ops 13, 9, 8");
      tap_ok(strstr(ir, "collect") && strstr(ir, "mask=0xf"), "vec4 store -> collect + xyzw store");
      tap_ok(strstr(ir, "fcmpsel [7]") != NULL, "fmax -> fcmpsel gtn");
   }
   diag(ir, f0);
   ralloc_free(n);

   /* screen-space derivatives: ddx/ddy (and the fine/coarse forms) ->
    * unary float ops 4 (dfdx) and 6 (dfdy) */
   {
      nir_builder b = ts_begin("derivs");
      nir_def *id = ts_id(&b);
      nir_def *x = ts_load(&b, 0, id);
      nir_def *d = nir_fadd(&b, nir_ddx(&b, x), nir_ddy_fine(&b, x));
      ts_store(&b, 1, id, nir_fadd(&b, d, nir_ddx_coarse(&b, x)));
      n = b.shader;
   }
   f0 = tap_failed;
   ir = translate(mem, n, &err);
   tap_ok(ir != NULL, "derivative shader translates (%s)", err ? err : "ok");
   if (ir) {
      tap_ok(count(ir, "funary [4]") == 2 && count(ir, "funary [6]") == 1,
             "ddx, ddx_coarse -> funary 4 (dfdx); ddy_fine -> funary 6 (dfdy)");
   }
   diag(ir, f0);
   ralloc_free(n);

   /* loop with a divergent break */
   n = ts_loop();
   f0 = tap_failed;
   ir = translate(mem, n, &err);
   tap_ok(ir != NULL, "loop translates (%s)", err ? err : "ok");
   if (ir) {
      const char *push = strstr(ir, "push_exec n=1"), *lab = strstr(ir, "label L0"),
                 *brk = strstr(ir, "r0l:16 = mov_imm [2]"), *jmp = strstr(ir, "jmp_exec_any L0");
      tap_ok(push && lab && brk && jmp && push < lab && lab < brk && brk < jmp,
             "loop -> push_exec, label, body with break (r0l = 2 under one if), jmp_exec_any");
      tap_ok(jmp && strstr(jmp, "pop_exec n=1"), "loop exit pops the loop level");
      tap_ok(brk && strstr(brk, "pop_exec n=0") == strstr(brk, "\n") + 4,
             "break refreshes the mask with pop_exec 0");
   }
   diag(ir, f0);
   ralloc_free(n);

   /* return inside control flow is refused with a message, not miscompiled */
   nir_builder b = ts_begin("return");
   nir_def *id = ts_id(&b);
   nir_push_if(&b, nir_ieq_imm(&b, id, 3));
   nir_jump(&b, nir_jump_return);
   nir_pop_if(&b, NULL);
   ts_store(&b, 1, id, id);
   err = NULL;
   ir = NULL;
   agxc_shader *rs = agxc_from_nir(mem, b.shader, &err);
   tap_ok(rs == NULL && err, "early return refused: %s", err ? err : "(none)");
   ralloc_free(b.shader);

   ralloc_free(mem);
   return tap_done();
}
