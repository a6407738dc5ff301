/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * IR construction helpers and the printer.
 */
#include "agxc.h"
#include "util/memstream.h"
#include "util/ralloc.h"

agxc_shader *
agxc_shader_create(void *mem_ctx, unsigned stage)
{
   agxc_shader *s = rzalloc(mem_ctx, agxc_shader);
   s->mem_ctx = s;
   s->stage = stage;
   s->reserved_halves = AGXC_RESERVED_HALVES;
   list_inithead(&s->blocks);
   util_dynarray_init(&s->values, s);
   return s;
}

agxc_block *
agxc_block_create(agxc_shader *s)
{
   agxc_block *blk = rzalloc(s, agxc_block);
   list_inithead(&blk->instrs);
   blk->index = s->num_blocks++;
   list_addtail(&blk->link, &s->blocks);
   return blk;
}

agxc_builder
agxc_builder_at_end(agxc_block *block)
{
   agxc_shader *s = NULL;
   /* The shader is the ralloc parent of every block. */
   s = (agxc_shader *)ralloc_parent(block);
   return (agxc_builder){ .shader = s, .block = block };
}

agxc_index
agxc_new_value(agxc_shader *s, unsigned size, unsigned ncomp)
{
   struct agxc_value v = { .size = (uint8_t)size, .ncomp = (uint8_t)ncomp };
   unsigned n = agxc_num_values(s);
   util_dynarray_append(&s->values, struct agxc_value, v);
   return (agxc_index){ .value = n, .kind = AGXC_SSA, .size = (uint8_t)size };
}

unsigned
agxc_num_values(const agxc_shader *s)
{
   return util_dynarray_num_elements(&s->values, struct agxc_value);
}

const struct agxc_value *
agxc_value_info(const agxc_shader *s, unsigned v)
{
   return util_dynarray_element(&s->values, struct agxc_value, v);
}

agxc_instr *
agxc_emit(agxc_builder *b, enum agxc_op op, agxc_index dest, unsigned nr_srcs,
          const agxc_index *srcs)
{
   agxc_instr *I = rzalloc(b->shader, agxc_instr);
   I->op = op;
   I->dest = dest;
   I->nr_srcs = nr_srcs;
   for (unsigned i = 0; i < nr_srcs; i++)
      I->src[i] = srcs[i];
   list_addtail(&I->link, &b->block->instrs);
   return I;
}

agxc_index
agxc_alu1(agxc_builder *b, enum agxc_op op, unsigned size, agxc_index a)
{
   agxc_index d = agxc_new_value(b->shader, size, 1);
   agxc_emit(b, op, d, 1, &a);
   return d;
}

agxc_index
agxc_alu2(agxc_builder *b, enum agxc_op op, unsigned size, agxc_index a,
          agxc_index c)
{
   agxc_index d = agxc_new_value(b->shader, size, 1);
   agxc_index s[2] = { a, c };
   agxc_emit(b, op, d, 2, s);
   return d;
}

agxc_index
agxc_alu3(agxc_builder *b, enum agxc_op op, unsigned size, agxc_index a,
          agxc_index c, agxc_index e)
{
   agxc_index d = agxc_new_value(b->shader, size, 1);
   agxc_index s[3] = { a, c, e };
   agxc_emit(b, op, d, 3, s);
   return d;
}

static const char *op_names[AGXC_NUM_OPS] = {
   [AGXC_OP_MOV] = "mov",         [AGXC_OP_COLLECT] = "collect",
   [AGXC_OP_MOV_IMM] = "mov_imm", [AGXC_OP_GET_SR] = "get_sr",
   [AGXC_OP_IADD] = "iadd",       [AGXC_OP_IMAD] = "imad",
   [AGXC_OP_BITOP] = "bitop",     [AGXC_OP_BFI] = "bfi",
   [AGXC_OP_BFEIL] = "bfeil",     [AGXC_OP_ASR] = "asr",
   [AGXC_OP_CONVERT] = "convert", [AGXC_OP_FADD] = "fadd",
   [AGXC_OP_FMUL] = "fmul",       [AGXC_OP_FMA] = "fma",
   [AGXC_OP_FUNARY] = "funary",   [AGXC_OP_ICMPSEL] = "icmpsel",
   [AGXC_OP_FCMPSEL] = "fcmpsel", [AGXC_OP_DEVICE_LOAD] = "device_load",
   [AGXC_OP_DEVICE_STORE] = "device_store", [AGXC_OP_WAIT] = "wait",
   [AGXC_OP_IF_ICMP] = "if_icmp", [AGXC_OP_ELSE] = "else",
   [AGXC_OP_POP_EXEC] = "pop_exec", [AGXC_OP_STOP] = "stop",
   [AGXC_OP_PUSH_EXEC] = "push_exec", [AGXC_OP_LABEL] = "label",
   [AGXC_OP_JMP_EXEC_ANY] = "jmp_exec_any",
   [AGXC_OP_TRAP] = "trap",
   [AGXC_OP_ST_VAR] = "st_var",   [AGXC_OP_ITER] = "iter",
   [AGXC_OP_LDCF] = "ldcf",       [AGXC_OP_ST_TILE] = "st_tile",
   [AGXC_OP_LD_TILE] = "ld_tile", [AGXC_OP_SAMPLE_MASK] = "sample_mask",
   [AGXC_OP_ZS_EMIT] = "zs_emit",
   [AGXC_OP_IMAGE_WRITE_BLOCK] = "image_write_block",
   [AGXC_OP_TEXTURE_SAMPLE] = "texture_sample",
   [AGXC_OP_TEXTURE_LOAD] = "texture_load",
};

const char *
agxc_op_name(enum agxc_op op)
{
   return op < AGXC_NUM_OPS && op_names[op] ? op_names[op] : "?";
}

void
agxc_print_index(FILE *fp, agxc_index i)
{
   if (i.neg)
      fprintf(fp, "-");
   if (i.abs)
      fprintf(fp, "|");
   switch (i.kind) {
   case AGXC_NONE:
      fprintf(fp, "_");
      break;
   case AGXC_SSA:
      fprintf(fp, "%%%u", i.value);
      if (i.comp)
         fprintf(fp, ".%c", "xyzw"[i.comp & 3]);
      break;
   case AGXC_IMM:
      fprintf(fp, "#0x%x", i.value);
      break;
   case AGXC_UNIFORM:
      if (i.size == 16)
         fprintf(fp, "u%u%c", i.value / 2, (i.value & 1) ? 'h' : 'l');
      else
         fprintf(fp, "u%u", i.value / 2);
      break;
   case AGXC_REG:
      if (i.size == 16)
         fprintf(fp, "r%u%c", i.value / 2, (i.value & 1) ? 'h' : 'l');
      else
         fprintf(fp, "r%u", i.value / 2);
      break;
   }
   if (i.abs)
      fprintf(fp, "|");
   if (i.kind != AGXC_IMM && i.kind != AGXC_NONE && i.size != 32)
      fprintf(fp, ":%u", i.size);
}

void
agxc_print_instr(FILE *fp, const agxc_instr *I)
{
   if (I->dest.kind != AGXC_NONE) {
      agxc_print_index(fp, I->dest);
      fprintf(fp, " = ");
   }
   fprintf(fp, "%s", agxc_op_name(I->op));
   if (I->f16)
      fprintf(fp, "16");
   if (I->sat)
      fprintf(fp, ".sat");
   switch (I->op) {
   case AGXC_OP_MOV_IMM:
   case AGXC_OP_GET_SR:
   case AGXC_OP_BITOP:
   case AGXC_OP_FUNARY:
   case AGXC_OP_CONVERT:
   case AGXC_OP_ICMPSEL:
   case AGXC_OP_FCMPSEL:
      fprintf(fp, " [%u]", I->imm);
      break;
   case AGXC_OP_IF_ICMP:
      fprintf(fp, " [%s%u] n=%u", I->invert ? "!" : "", I->imm, I->nest);
      break;
   case AGXC_OP_ELSE:
   case AGXC_OP_POP_EXEC:
   case AGXC_OP_PUSH_EXEC:
      fprintf(fp, " n=%u", I->nest);
      break;
   case AGXC_OP_LABEL:
   case AGXC_OP_JMP_EXEC_ANY:
      fprintf(fp, " L%u", I->imm);
      break;
   case AGXC_OP_DEVICE_LOAD:
   case AGXC_OP_DEVICE_STORE:
      fprintf(fp, " [fmt=%u mask=0x%x shift=%u]", I->imm, I->mask, I->shift);
      break;
   case AGXC_OP_IADD:
      if (I->invert)
         fprintf(fp, " [sub]");
      break;
   case AGXC_OP_ST_VAR:
      fprintf(fp, "%s [%u]", I->final ? ".final" : "", I->imm);
      break;
   case AGXC_OP_ITER:
      if (I->cf_w != 0xff)
         fprintf(fp, " [cf%u/cf%u x%u]", I->imm, I->cf_w, I->count);
      else
         fprintf(fp, " [cf%u x%u]", I->imm, I->count);
      break;
   case AGXC_OP_LDCF:
      fprintf(fp, " [cf%u x%u]", I->imm, I->count);
      break;
   case AGXC_OP_ST_TILE:
   case AGXC_OP_LD_TILE:
      fprintf(fp, " [fmt=%u off=%u mask=0x%x", I->format, I->offset, I->mask);
      if (I->nr_srcs == (I->op == AGXC_OP_ST_TILE ? 1 : 0))
         fprintf(fp, " samples=0x%x", I->sample_mask);
      fprintf(fp, "]");
      break;
   case AGXC_OP_SAMPLE_MASK:
   case AGXC_OP_ZS_EMIT:
      fprintf(fp, " [0x%x]", I->imm);
      break;
   case AGXC_OP_IMAGE_WRITE_BLOCK:
      fprintf(fp, " [ts%u fmt=%u dim=%u]", I->imm, I->format, I->dim);
      break;
   case AGXC_OP_TEXTURE_SAMPLE:
   case AGXC_OP_TEXTURE_LOAD:
      fprintf(fp, " [ts%u ss%u dim=%u lod=%u mask=0x%x]", I->imm, I->sampler, I->dim,
              I->lod_mode, I->mask);
      break;
   default:
      break;
   }
   for (unsigned i = 0; i < I->nr_srcs; i++) {
      fprintf(fp, i ? ", " : " ");
      agxc_print_index(fp, I->src[i]);
   }
   fprintf(fp, "\n");
}

void
agxc_print_shader(FILE *fp, const agxc_shader *s)
{
   agxc_foreach_block(s, blk) {
      fprintf(fp, "block%u:\n", blk->index);
      agxc_foreach_instr(blk, I) {
         fprintf(fp, "   ");
         agxc_print_instr(fp, I);
      }
   }
   if (s->allocated)
      fprintf(fp, "; %u register halves\n", s->num_halves);
}

char *
agxc_shader_to_string(void *mem_ctx, const agxc_shader *s)
{
   char *buf = NULL;
   size_t size = 0;
   struct u_memstream mem;
   if (!u_memstream_open(&mem, &buf, &size))
      return NULL;
   agxc_print_shader(u_memstream_get(&mem), s);
   u_memstream_close(&mem);
   char *r = ralloc_strdup(mem_ctx, buf);
   free(buf);
   return r;
}
