/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * Register allocation: linear scan over live intervals in program order.
 *
 * Code is linear (structured control flow runs under the execution mask),
 * so a value is live from its first definition to its last use in program
 * order, except around loops: a value defined before a loop and used in it
 * stays live until the loop's back-edge jump. Values defined more than once (phi copies
 * at the end of each predecessor) take the earliest definition. Intervals
 * are half-open at neither end: a register becomes free only after the
 * instruction of the last use, so a destination never shares a register
 * with a source of the same instruction.
 *
 * Registers are 16-bit halves; 32-bit values start on even halves, 64-bit
 * on multiples of 4; vectors take ncomp consecutive elements. r0 (nesting
 * counter in r0l) and r1 (link register) are never allocated.
 */
#include <stdlib.h>
#include <string.h>
#include "agxc.h"
#include "util/bitset.h"
#include "util/ralloc.h"
#include "util/u_math.h"

struct interval {
   unsigned value, start, end, halves, align;
   int reg;
};

static int
cmp_start(const void *a, const void *b)
{
   const struct interval *x = a, *y = b;
   if (x->start != y->start)
      return x->start < y->start ? -1 : 1;
   return x->value < y->value ? -1 : x->value > y->value;
}

static void
touch(struct interval *iv, agxc_index i, unsigned ip, bool def)
{
   if (i.kind != AGXC_SSA)
      return;
   struct interval *v = &iv[i.value];
   if (def && ip < v->start)
      v->start = ip;
   if (ip > v->end || v->end == UINT32_MAX)
      v->end = ip;
   if (v->start == UINT32_MAX)
      v->start = ip; /* use before any def: undefined, still give a register */
}

static agxc_index
rewrite(const struct interval *iv, agxc_index i)
{
   if (i.kind != AGXC_SSA)
      return i;
   unsigned h = iv[i.value].reg + i.comp * (i.size / 16);
   agxc_index r = agxc_reg(h, i.size);
   r.abs = i.abs;
   r.neg = i.neg;
   return r;
}

bool
agxc_ra(agxc_shader *s, const char **error)
{
   unsigned n = agxc_num_values(s);
   struct interval *iv = calloc(MAX2(n, 1), sizeof(*iv));
   struct interval **order = calloc(MAX2(n, 1), sizeof(*order));
   BITSET_DECLARE(used, AGXC_NUM_HALVES);
   unsigned ip = 0, max_half = MAX2(s->reserved_halves, AGXC_RESERVED_HALVES);
   bool ok = true;

   for (unsigned v = 0; v < n; v++) {
      const struct agxc_value *info = agxc_value_info(s, v);
      iv[v].value = v;
      iv[v].start = iv[v].end = UINT32_MAX;
      iv[v].halves = MAX2(info->size / 16, 1) * info->ncomp;
      iv[v].align = info->size >= 64 ? 4 : info->size == 32 ? 2 : 1;
      iv[v].reg = -1;
   }

   /* loops: [label ip, back-edge jump ip] */
   unsigned nloops = 0, label_ip[64], loop_lo[64], loop_hi[64];
   agxc_foreach_block(s, blk) {
      agxc_foreach_instr(blk, I) {
         for (unsigned i = 0; i < I->nr_srcs; i++)
            touch(iv, I->src[i], ip, false);
         touch(iv, I->dest, ip, true);
         if (I->op == AGXC_OP_LABEL && I->imm < 64)
            label_ip[I->imm] = ip;
         if (I->op == AGXC_OP_JMP_EXEC_ANY) {
            if (nloops == 64 || I->imm >= 64) {
               *error = "too many loops";
               ok = false;
            } else {
               loop_lo[nloops] = label_ip[I->imm];
               loop_hi[nloops++] = ip;
            }
         }
         ip++;
      }
   }
   /* A value live into a loop (defined before it, used inside) is live on
    * the back edge too: keep it until the loop's jump. Repeat for nests. */
   for (bool changed = true; changed;) {
      changed = false;
      for (unsigned v = 0; v < n; v++) {
         for (unsigned l = 0; l < nloops; l++) {
            if (iv[v].start != UINT32_MAX && iv[v].start < loop_lo[l] &&
                iv[v].end >= loop_lo[l] && iv[v].end < loop_hi[l]) {
               iv[v].end = loop_hi[l];
               changed = true;
            }
         }
      }
   }

   unsigned nlive = 0;
   for (unsigned v = 0; v < n; v++)
      if (iv[v].start != UINT32_MAX)
         order[nlive++] = &iv[v];
   /* sort by start */
   struct interval *sorted = calloc(MAX2(nlive, 1), sizeof(*sorted));
   for (unsigned i = 0; i < nlive; i++)
      sorted[i] = *order[i];
   qsort(sorted, nlive, sizeof(*sorted), cmp_start);

   /* active set: plain array, small shaders */
   struct interval **active = calloc(MAX2(nlive, 1), sizeof(*active));
   unsigned nactive = 0;
   BITSET_ZERO(used);
   for (unsigned h = 0; h < MAX2(s->reserved_halves, AGXC_RESERVED_HALVES); h++)
      BITSET_SET(used, h);

   for (unsigned i = 0; ok && i < nlive; i++) {
      struct interval *cur = &sorted[i];
      /* expire */
      for (unsigned a = 0; a < nactive;) {
         if (active[a]->end < cur->start) {
            for (unsigned h = 0; h < active[a]->halves; h++)
               BITSET_CLEAR(used, active[a]->reg + h);
            active[a] = active[--nactive];
         } else {
            a++;
         }
      }
      int found = -1;
      for (unsigned h = 0; h + cur->halves <= AGXC_NUM_HALVES; h += cur->align) {
         bool free_run = true;
         for (unsigned k = 0; k < cur->halves && free_run; k++)
            free_run = !BITSET_TEST(used, h + k);
         if (free_run) {
            found = h;
            break;
         }
      }
      if (found < 0) {
         *error = "out of registers (no spilling yet)";
         ok = false;
         break;
      }
      cur->reg = found;
      for (unsigned k = 0; k < cur->halves; k++)
         BITSET_SET(used, found + k);
      max_half = MAX2(max_half, found + cur->halves);
      active[nactive++] = cur;
      iv[cur->value].reg = found;
   }

   if (ok) {
      agxc_foreach_block(s, blk) {
         agxc_foreach_instr(blk, I) {
            for (unsigned i = 0; i < I->nr_srcs; i++)
               I->src[i] = rewrite(iv, I->src[i]);
            I->dest = rewrite(iv, I->dest);
         }
      }
      s->allocated = true;
      s->num_halves = max_half;
   }
   free(active);
   free(sorted);
   free(order);
   free(iv);
   return ok;
}

static bool
same_reg(agxc_index a, agxc_index b)
{
   return a.kind == b.kind && a.value == b.value && a.size == b.size &&
          !a.abs && !a.neg;
}

void
agxc_lower_pseudo(agxc_shader *s)
{
   agxc_foreach_block(s, blk) {
      agxc_foreach_instr_safe(blk, I) {
         if (I->op == AGXC_OP_MOV) {
            if (same_reg(I->dest, I->src[0])) {
               list_del(&I->link);
               continue;
            }
            I->op = AGXC_OP_BITOP;
            I->imm = AGXC_TT_MOV;
            I->src[1] = agxc_imm(0, I->dest.size);
            I->nr_srcs = 2;
         } else if (I->op == AGXC_OP_COLLECT) {
            for (unsigned c = 0; c < I->nr_srcs; c++) {
               agxc_index d = agxc_reg(I->dest.value + c * (I->dest.size / 16),
                                       I->dest.size);
               if (same_reg(d, I->src[c]))
                  continue;
               agxc_instr *m = rzalloc(s, agxc_instr);
               m->op = AGXC_OP_BITOP;
               m->imm = AGXC_TT_MOV;
               m->dest = d;
               m->src[0] = I->src[c];
               m->src[1] = agxc_imm(0, d.size);
               m->nr_srcs = 2;
               list_addtail(&m->link, &I->link);
            }
            list_del(&I->link);
         }
      }
   }
}
