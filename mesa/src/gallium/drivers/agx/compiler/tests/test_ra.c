/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * Register allocation: interference, reuse, alignment, reserved registers,
 * register count, pseudo-op lowering.
 */
#include "agxc.h"
#include "agxc_tap.h"
#include "util/ralloc.h"

static agxc_instr *
nth(agxc_shader *s, unsigned n)
{
   agxc_foreach_block(s, blk)
      agxc_foreach_instr(blk, I)
         if (n-- == 0)
            return I;
   return NULL;
}

int
main(void)
{
   void *mem = ralloc_context(NULL);
   const char *err = NULL;

   /* a, b live together; c = a + b; d = c * c (a and b dead) */
   agxc_shader *s = agxc_shader_create(mem, 0);
   agxc_builder b = agxc_builder_at_end(agxc_block_create(s));
   agxc_index a = agxc_alu1(&b, AGXC_OP_GET_SR, 32, agxc_null());
   nth(s, 0)->nr_srcs = 0;
   agxc_index bb = agxc_alu1(&b, AGXC_OP_GET_SR, 32, agxc_null());
   nth(s, 1)->nr_srcs = 0;
   agxc_index c = agxc_alu2(&b, AGXC_OP_IADD, 32, a, bb);
   agxc_index h = agxc_alu2(&b, AGXC_OP_IADD, 16, agxc_uniform(32, 16), agxc_imm(1, 16));
   agxc_index d = agxc_alu2(&b, AGXC_OP_IMAD, 32, c, c);
   agxc_index st[3] = { d, agxc_uniform(0, 64), agxc_imm(0, 32) };
   agxc_emit(&b, AGXC_OP_DEVICE_STORE, agxc_null(), 3, st);
   agxc_index st2[3] = { h, agxc_uniform(0, 64), agxc_imm(0, 32) };
   agxc_emit(&b, AGXC_OP_DEVICE_STORE, agxc_null(), 3, st2);
   (void)d;

   tap_ok(agxc_ra(s, &err), "allocates (%s)", err ? err : "ok");
   agxc_index ra = nth(s, 0)->dest, rb = nth(s, 1)->dest, rc = nth(s, 2)->dest;
   agxc_index rh = nth(s, 3)->dest, rd = nth(s, 4)->dest;
   tap_ok(ra.kind == AGXC_REG && rb.kind == AGXC_REG, "dests rewritten to registers");
   tap_ok(ra.value != rb.value, "interfering a/b get different registers (r%u, r%u)",
          ra.value / 2, rb.value / 2);
   tap_ok(rc.value != ra.value && rc.value != rb.value,
          "c never shares with its own sources");
   tap_ok(ra.value >= AGXC_RESERVED_HALVES && rb.value >= AGXC_RESERVED_HALVES,
          "r0 (nesting counter) and r1 (link) are never allocated");
   tap_ok(!(ra.value & 1) && !(rb.value & 1) && !(rc.value & 1) && !(rd.value & 1),
          "32-bit values sit on even halves");
   tap_ok(rh.size == 16 && rh.value != rc.value && rh.value != rc.value + 1,
          "16-bit value live across c does not overlap c's halves");
   tap_ok(rd.value == ra.value || rd.value == rb.value || rh.value == ra.value ||
          rh.value == rb.value, "registers of dead a/b are reused");
   tap_ok(nth(s, 2)->src[0].value == ra.value && nth(s, 2)->src[1].value == rb.value,
          "sources rewritten consistently with their definitions");
   tap_ok(s->num_halves == 10, "register count: 10 halves (r0-r1 reserved + 3 x 32-bit), got %u",
          s->num_halves);

   /* vector + collect lowering */
   agxc_shader *v = agxc_shader_create(mem, 0);
   agxc_builder vb = agxc_builder_at_end(agxc_block_create(v));
   agxc_index x = agxc_alu2(&vb, AGXC_OP_IADD, 32, agxc_uniform(32, 32), agxc_imm(1, 32));
   agxc_index y = agxc_alu2(&vb, AGXC_OP_IADD, 32, agxc_uniform(32, 32), agxc_imm(2, 32));
   agxc_index vec = agxc_new_value(v, 32, 2);
   agxc_index cs[2] = { x, y };
   agxc_emit(&vb, AGXC_OP_COLLECT, vec, 2, cs);
   agxc_index vst[3] = { vec, agxc_uniform(0, 64), agxc_imm(0, 32) };
   agxc_emit(&vb, AGXC_OP_DEVICE_STORE, agxc_null(), 3, vst)->mask = 3;
   tap_ok(agxc_ra(v, &err), "vector shader allocates");
   agxc_index rv = nth(v, 2)->dest;
   tap_ok(rv.value != nth(v, 0)->dest.value && rv.value + 2 != nth(v, 1)->dest.value,
          "vector occupies 4 halves distinct from its live sources");
   agxc_lower_pseudo(v);
   agxc_instr *m0 = nth(v, 2), *m1 = nth(v, 3), *stv = nth(v, 4);
   tap_ok(m0->op == AGXC_OP_BITOP && m0->imm == AGXC_TT_MOV && m0->dest.value == rv.value &&
          m1->op == AGXC_OP_BITOP && m1->dest.value == rv.value + 2 &&
          stv->op == AGXC_OP_DEVICE_STORE && stv->src[0].value == rv.value,
          "collect lowers to one bitop-mov per component into consecutive registers");

   /* pressure: 130 simultaneously live 32-bit values cannot fit 126 registers */
   agxc_shader *p = agxc_shader_create(mem, 0);
   agxc_builder pb = agxc_builder_at_end(agxc_block_create(p));
   agxc_index vals[130];
   for (unsigned i = 0; i < 130; i++)
      vals[i] = agxc_alu2(&pb, AGXC_OP_IADD, 32, agxc_uniform(32, 32), agxc_imm(i, 32));
   for (unsigned i = 0; i < 130; i++) {
      agxc_index ps[3] = { vals[i], agxc_uniform(0, 64), agxc_imm(i, 32) };
      agxc_emit(&pb, AGXC_OP_DEVICE_STORE, agxc_null(), 3, ps);
   }
   err = NULL;
   bool allocated = agxc_ra(p, &err);
   tap_ok(!allocated && err, "130 live 32-bit values: allocation fails with an error (%s)",
          err ? err : "none");

   ralloc_free(mem);
   return tap_done();
}
