/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * IR builder, printer and backend DCE.
 */
#include "agxc.h"
#include "agxc_tap.h"
#include "util/ralloc.h"

int
main(void)
{
   void *mem = ralloc_context(NULL);
   agxc_shader *s = agxc_shader_create(mem, 0);
   agxc_builder b = agxc_builder_at_end(agxc_block_create(s));

   agxc_index a = agxc_alu2(&b, AGXC_OP_FADD, 32, agxc_uniform(32, 32), agxc_imm(0x30, 32));
   agxc_index m = agxc_alu2(&b, AGXC_OP_FMUL, 32, agxc_neg(a), agxc_abs(a));
   agxc_index v = agxc_new_value(s, 32, 2);
   agxc_index srcs[2] = { a, m };
   agxc_emit(&b, AGXC_OP_COLLECT, v, 2, srcs);
   agxc_emit(&b, AGXC_OP_STOP, agxc_null(), 0, NULL);

   tap_ok(agxc_num_values(s) == 3, "three SSA values numbered densely");
   tap_ok(agxc_value_info(s, 2)->ncomp == 2 && agxc_value_info(s, 2)->size == 32,
          "vector value keeps size and component count");
   tap_ok(a.kind == AGXC_SSA && a.value == 0 && m.value == 1, "builder returns new SSA dests");

   char *str = agxc_shader_to_string(mem, s);
   const char *expect =
      "block0:\n"
      "   %0 = fadd u16, #0x30\n"
      "   %1 = fmul -%0, |%0|\n"
      "   %2 = collect %0, %1\n"
      "   stop\n";
   tap_ok(str && !strcmp(str, expect), "printer output matches the expected listing");
   if (!str || strcmp(str, expect))
      printf("# got:\n%s", str ? str : "(null)\n");

   agxc_index c2 = agxc_comp(v, 1);
   agxc_emit(&b, AGXC_OP_MOV, agxc_new_value(s, 32, 1), 1, &c2);
   str = agxc_shader_to_string(mem, s);
   tap_ok(strstr(str, "mov %2.y") != NULL, "component operand printed as .y");

   /* DCE: collect (%2) and the mov are unused; %0/%1 only feed them */
   tap_ok(agxc_opt_dce(s), "dce makes progress");
   str = agxc_shader_to_string(mem, s);
   tap_ok(!strcmp(str, "block0:\n   stop\n"), "dce removes the unused chain, keeps stop");
   tap_ok(!agxc_opt_dce(s), "dce reaches a fixed point");

   /* side effects survive */
   agxc_shader *s2 = agxc_shader_create(mem, 0);
   agxc_builder b2 = agxc_builder_at_end(agxc_block_create(s2));
   agxc_index x = agxc_alu2(&b2, AGXC_OP_IADD, 32, agxc_uniform(32, 32), agxc_imm(1, 32));
   agxc_index st[3] = { x, agxc_uniform(0, 64), agxc_imm(0, 32) };
   agxc_emit(&b2, AGXC_OP_DEVICE_STORE, agxc_null(), 3, st);
   tap_ok(!agxc_opt_dce(s2), "dce keeps a store and the value it stores");

   ralloc_free(mem);
   return tap_done();
}
