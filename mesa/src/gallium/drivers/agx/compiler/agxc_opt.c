/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * Backend dead-code elimination: translation leaves behind unused values
 * (e.g. an fneg that was folded into its users as a source modifier).
 */
#include <stdlib.h>
#include <string.h>
#include "agxc.h"
#include "util/bitset.h"

static bool
has_side_effects(const agxc_instr *I)
{
   switch (I->op) {
   case AGXC_OP_DEVICE_STORE:
   case AGXC_OP_WAIT:
   case AGXC_OP_IF_ICMP:
   case AGXC_OP_ELSE:
   case AGXC_OP_POP_EXEC:
   case AGXC_OP_PUSH_EXEC:
   case AGXC_OP_LABEL:
   case AGXC_OP_JMP_EXEC_ANY:
   case AGXC_OP_STOP:
   case AGXC_OP_TRAP:
      return true;
   default:
      return I->dest.kind != AGXC_SSA;
   }
}

bool
agxc_opt_dce(agxc_shader *s)
{
   unsigned n = agxc_num_values(s);
   BITSET_WORD *used = calloc(BITSET_WORDS(n + 1), sizeof(BITSET_WORD));
   bool progress = false, again = true;

   while (again) {
      again = false;
      memset(used, 0, BITSET_WORDS(n + 1) * sizeof(BITSET_WORD));
      agxc_foreach_block(s, blk)
         agxc_foreach_instr(blk, I)
            for (unsigned i = 0; i < I->nr_srcs; i++)
               if (I->src[i].kind == AGXC_SSA)
                  BITSET_SET(used, I->src[i].value);
      agxc_foreach_block(s, blk) {
         agxc_foreach_instr_safe(blk, I) {
            if (!has_side_effects(I) && !BITSET_TEST(used, I->dest.value)) {
               list_del(&I->link);
               again = progress = true;
            }
         }
      }
   }
   free(used);
   return progress;
}
