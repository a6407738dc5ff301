/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * Helpers for the driver's NIR pass tests: count and find intrinsics.
 */
#ifndef AGX_TEST_NIR_H
#define AGX_TEST_NIR_H

#include "compiler/nir/nir.h"
#include "compiler/nir/nir_builder.h"

static inline unsigned
count_intr(nir_shader *s, nir_intrinsic_op op)
{
   unsigned n = 0;
   nir_foreach_function_impl(impl, s) {
      nir_foreach_block(block, impl) {
         nir_foreach_instr(instr, block) {
            if (instr->type == nir_instr_type_intrinsic &&
                nir_instr_as_intrinsic(instr)->intrinsic == op)
               n++;
         }
      }
   }
   return n;
}

/* The k-th intrinsic of a kind, or NULL. */
static inline nir_intrinsic_instr *
find_intr(nir_shader *s, nir_intrinsic_op op, unsigned k)
{
   nir_foreach_function_impl(impl, s) {
      nir_foreach_block(block, impl) {
         nir_foreach_instr(instr, block) {
            if (instr->type == nir_instr_type_intrinsic &&
                nir_instr_as_intrinsic(instr)->intrinsic == op && !k--)
               return nir_instr_as_intrinsic(instr);
         }
      }
   }
   return NULL;
}

static inline unsigned
count_alu(nir_shader *s, nir_op op)
{
   unsigned n = 0;
   nir_foreach_function_impl(impl, s) {
      nir_foreach_block(block, impl) {
         nir_foreach_instr(instr, block) {
            if (instr->type == nir_instr_type_alu && nir_instr_as_alu(instr)->op == op)
               n++;
         }
      }
   }
   return n;
}

/* Value of a constant scalar source, or ~0. */
static inline uint64_t
src_const(nir_src src)
{
   return nir_src_is_const(src) ? nir_src_as_uint(src) : ~0ull;
}

#endif
