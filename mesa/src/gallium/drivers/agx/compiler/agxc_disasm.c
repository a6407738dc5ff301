/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * A small disassembler for debugging (AGX_MESA_DEBUG=shaders): the
 * instruction classes agxc emits, with their lengths and main operands.
 * Encodings as in agxc_pack.c (isa-facts.md, applegpu). Anything else is
 * printed as "unknown" with its first two bytes, and the walk stops.
 * tests/test_disasm.c cross-checks names and lengths against the
 * simulator's decoder.
 */
#include <stdio.h>
#include <string.h>
#include "agxc.h"

struct enc {
   uint64_t mask, value;
   uint8_t short_B, long_B, lbit; /* lbit 0: fixed length short_B */
   const char *name;
};

/* First match wins: more specific masks first. */
static const struct enc encs[] = {
   { 0xffff, 0x0088, 2, 2, 0, "stop" },
   { 0xffff, 0x0008, 2, 2, 0, "trap" },
   { 0xffff, 0xc000, 6, 6, 0, "jmp_exec_any" },
   { 0xffff, 0xc020, 6, 6, 0, "jmp_exec_none" },
   { 0xff, 0x38, 2, 2, 0, "wait" },
   { 0x7f | (3 << 9), 0x52 | (3 << 9), 6, 6, 0, "pop_exec" },
   { 0x7f | (3 << 9), 0x52, 6, 6, 0, "if_icmp" },
   { 0x7f | (3 << 9), 0x52 | (1 << 9), 6, 6, 0, "else_icmp" },
   { 0x7f | (3 << 9), 0x42, 6, 6, 0, "if_fcmp" },
   { 0x7f | (3 << 9), 0x42 | (1 << 9), 6, 6, 0, "else_fcmp" },
   { 0x7f | (3 << 9), 0x42 | (2 << 9), 6, 6, 0, "while_fcmp" },
   { 0x7f | (3 << 9), 0x52 | (2 << 9), 6, 6, 0, "while_icmp" },
   { 0x7f | (1 << 8), 0x62, 4, 6, 15, "mov_imm16" },
   { 0x7f | (1 << 8), 0x62 | (1 << 8), 6, 8, 15, "mov_imm32" },
   { 0x7f | (1 << 15), 0x72, 4, 4, 0, "get_sr" },
   { 0x3f | (1 << 15), 0x0e, 8, 8, 0, "iadd" },
   { 0x3f | (1 << 15), 0x1e, 8, 8, 0, "imadd" },
   { 0x7f | (1 << 15), 0x7e, 6, 6, 0, "bitop" },
   { 0x7f | (1 << 15) | (3ull << 26), 0x2e, 8, 8, 0, "bfi" },
   { 0x7f | (1 << 15) | (3ull << 26), 0x2e | (1 << 15), 8, 8, 0, "bfeil" },
   { 0x7f | (1 << 15) | (3ull << 26), 0x2e | (1 << 15) | (1ull << 26), 8, 8, 0, "asr" },
   { 0x7f | (1 << 15), 0x3e | (1 << 15), 6, 6, 0, "convert" },
   { 0x3f, 0x2a, 4, 6, 15, "fadd32" },
   { 0x3f, 0x1a, 4, 6, 15, "fmul32" },
   { 0x3f, 0x26, 4, 6, 15, "fadd16" },
   { 0x3f, 0x16, 4, 6, 15, "fmul16" },
   { 0x3f, 0x3a, 6, 8, 15, "fmadd32" },
   { 0x3f, 0x36, 6, 8, 15, "fmadd16" },
   { 0x3f, 0x0a, 4, 6, 15, "funary" },
   { 0x7f, 0x12, 8, 10, 15, "icmpsel" },
   { 0x7f, 0x02, 8, 10, 15, "fcmpsel" },
   { 0x7f, 0x05, 6, 8, 47, "device_load" },
   { 0x7f, 0x45, 6, 8, 47, "device_store" },
   { 0x3ff, 0x11, 4, 4, 0, "st_var" },
   { 0x3ff, 0x91, 4, 4, 0, "st_var_final" },
   { 0xff, 0x21, 4, 8, 15, "iter" },
   { 0xff, 0x61, 4, 8, 15, "iterproj" },
   { 0xff, 0xa1, 4, 8, 15, "ldcf" },
   { 0x7f, 0x09, 8, 10, 15, "st_tile" },
   { 0x7f, 0x49, 8, 10, 15, "ld_tile" },
   { 0x80ff, 0xc1, 4, 4, 0, "sample_mask" },
   { 0x80ff, 0x41, 4, 4, 0, "zs_emit" },
   { 0xff, 0xb1, 6, 10, 15, "image_write_block" },
   { 0xff, 0x31, 8, 12, 15, "texture_sample" },
   { 0xff, 0x71, 8, 12, 15, "texture_load" },
};

static uint64_t
bits(const uint8_t *b, unsigned pos, unsigned n)
{
   uint64_t v = 0;
   for (unsigned i = 0; i < n; i++)
      v |= (uint64_t)((b[(pos + i) / 8] >> ((pos + i) % 8)) & 1) << i;
   return v;
}

unsigned
agxc_decode_length(const uint8_t *code, size_t size, const char **name)
{
   uint8_t b[16] = { 0 };
   memcpy(b, code, size < 16 ? size : 16);
   uint64_t lo = bits(b, 0, 64);
   for (unsigned i = 0; i < sizeof(encs) / sizeof(encs[0]); i++) {
      if ((lo & encs[i].mask) != encs[i].value)
         continue;
      unsigned len = encs[i].short_B;
      if (encs[i].lbit && bits(b, encs[i].lbit, 1))
         len = encs[i].long_B;
      if (name)
         *name = encs[i].name;
      return len;
   }
   return 0;
}

/* ALU destination / source print helpers (half indices). */
static void
print_reg(FILE *fp, unsigned half, bool is32)
{
   if (is32)
      fprintf(fp, "r%u", half / 2);
   else
      fprintf(fp, "r%u%c", half / 2, half & 1 ? 'h' : 'l');
}

/* 12-bit ALU source at p (4-bit type, or 3-bit for fp16 sources) with its
 * 2 ext bits at ext. */
static void
print_alu_src(FILE *fp, const uint8_t *b, unsigned p, unsigned ext, bool half, bool fmods)
{
   unsigned v = bits(b, p, 6) | bits(b, ext, 2) << 6;
   unsigned t = bits(b, p + 6, half ? 3 : 4);
   unsigned m = fmods ? bits(b, p + (half ? 9 : 10), 2) : 0;
   if (t == 0) {
      fprintf(fp, "#0x%x", v);
   } else if (half ? (t & 4) : ((t & 0xc) == 4)) {
      unsigned h = v | (t & 1) << 8;
      if (!half && (t & 2))
         fprintf(fp, "u%u", h / 2);
      else
         fprintf(fp, "u%u%c", h / 2, h & 1 ? 'h' : 'l');
   } else {
      print_reg(fp, v, !half && (t >> 2) >= 2);
   }
   if (m & 1)
      fprintf(fp, ".abs");
   if (m & 2)
      fprintf(fp, ".neg");
}

/* ALU classes: destination ext bits, number of sources, source ext bits. */
static const struct {
   const char *name;
   uint8_t dext, nsrc, ext[3];
   bool half, fmods;
} alu_forms[] = {
   { "fadd32", 44, 2, { 42, 40 }, false, true },
   { "fmul32", 44, 2, { 42, 40 }, false, true },
   { "fadd16", 44, 2, { 42, 40 }, true, true },
   { "fmul16", 44, 2, { 42, 40 }, true, true },
   { "fmadd32", 60, 3, { 58, 56, 54 }, false, true },
   { "fmadd16", 60, 3, { 58, 56, 54 }, true, true },
   { "funary", 44, 1, { 42 }, false, true },
   { "iadd", 44, 2, { 42, 40 }, false, false },
   { "imadd", 60, 3, { 58, 56, 54 }, false, false },
   { "bitop", 44, 2, { 42, 40 }, false, false },
   { "bfi", 60, 3, { 58, 56, 54 }, false, false },
   { "bfeil", 60, 3, { 58, 56, 54 }, false, false },
   { "asr", 60, 2, { 58, 56 }, false, false },
   { "icmpsel", 76, 2, { 74, 72 }, false, false },
   { "fcmpsel", 76, 2, { 74, 72 }, false, true },
};

void
agxc_disassemble(FILE *fp, const void *data, size_t size)
{
   const uint8_t *code = data;
   size_t pos = 0;
   while (pos < size) {
      const char *name = NULL;
      unsigned len = agxc_decode_length(code + pos, size - pos, &name);
      if (!len || pos + len > size) {
         fprintf(fp, "%5zx: %02x%02x  unknown\n", pos, code[pos],
                 pos + 1 < size ? code[pos + 1] : 0);
         return;
      }
      uint8_t b[16] = { 0 };
      memcpy(b, code + pos, len);
      fprintf(fp, "%5zx: ", pos);
      for (unsigned i = 0; i < 12; i++)
         fprintf(fp, i < len ? "%02x" : "  ", b[i]);
      fprintf(fp, "  %s", name);
      for (unsigned k = 0; k < ARRAY_SIZE(alu_forms); k++) {
         if (strcmp(name, alu_forms[k].name))
            continue;
         fprintf(fp, " ");
         print_reg(fp, bits(b, 9, 6) | bits(b, alu_forms[k].dext, 2) << 6, bits(b, 8, 1));
         for (unsigned i = 0; i < alu_forms[k].nsrc; i++) {
            fprintf(fp, ", ");
            print_alu_src(fp, b, 16 + 12 * i, alu_forms[k].ext[i], alu_forms[k].half,
                          alu_forms[k].fmods);
         }
      }
      if (!strcmp(name, "st_var") || !strcmp(name, "st_var_final")) {
         fprintf(fp, " uvs[%u], r%u", (unsigned)(bits(b, 16, 6) | bits(b, 26, 2) << 6),
                 (unsigned)(bits(b, 10, 5) | bits(b, 24, 2) << 5));
      } else if (!strcmp(name, "iter") || !strcmp(name, "iterproj") || !strcmp(name, "ldcf")) {
         unsigned n = bits(b, 30, 2);
         fprintf(fp, " ");
         print_reg(fp, bits(b, 9, 6) | bits(b, 56, 2) << 6, bits(b, 8, 1));
         fprintf(fp, ", cf%u", (unsigned)(bits(b, 16, 6) | bits(b, 58, 2) << 6));
         if (!strcmp(name, "iterproj"))
            fprintf(fp, ", cf%u", (unsigned)(bits(b, 24, 6) | bits(b, 60, 2) << 6));
         fprintf(fp, ", count %u", n ? n : 4);
      } else if (!strcmp(name, "st_tile") || !strcmp(name, "ld_tile")) {
         fprintf(fp, " ");
         print_reg(fp, bits(b, 9, 6) | bits(b, 60, 2) << 6, bits(b, 8, 1));
         fprintf(fp, ", format %u, offset %u, mask 0x%x, samples %s0x%x",
                 (unsigned)bits(b, 24, 4), (unsigned)(bits(b, 28, 7) | bits(b, 40, 2) << 7),
                 (unsigned)bits(b, 36, 4), bits(b, 22, 2) ? "h" : "",
                 (unsigned)(bits(b, 42, 6) | bits(b, 56, 2) << 6));
      } else if (!strcmp(name, "image_write_block")) {
         fprintf(fp, " ts%u, offset r%u, format %u, dim %u",
                 (unsigned)(bits(b, 32, 6) | bits(b, 62, 2) << 6),
                 (unsigned)((bits(b, 9, 6) | bits(b, 56, 2) << 6) / 2),
                 (unsigned)(bits(b, 8, 1) | bits(b, 64, 3) << 1),
                 (unsigned)(bits(b, 40, 3) | bits(b, 55, 1) << 3));
      } else if (!strcmp(name, "get_sr")) {
         fprintf(fp, " ");
         print_reg(fp, bits(b, 9, 6) | bits(b, 28, 2) << 6, bits(b, 8, 1));
         fprintf(fp, ", sr%u", (unsigned)(bits(b, 16, 6) | bits(b, 26, 2) << 6));
      } else if (!strcmp(name, "mov_imm32") || !strcmp(name, "mov_imm16")) {
         bool w = name[7] == '3';
         fprintf(fp, " ");
         print_reg(fp, bits(b, 9, 6) | bits(b, w ? 60 : 44, 2) << 6, w);
         fprintf(fp, ", 0x%x", (unsigned)bits(b, 16, w ? 32 : 16));
      } else if (!strcmp(name, "sample_mask") || !strcmp(name, "zs_emit")) {
         fprintf(fp, " samples 0x%x, %s%u", (unsigned)(bits(b, 9, 6) | bits(b, 24, 2) << 6),
                 bits(b, 23, 1) ? "" : "h", (unsigned)(bits(b, 16, 6) | bits(b, 26, 2) << 6));
      } else if (!strcmp(name, "device_load") || !strcmp(name, "device_store")) {
         fprintf(fp, " format %u, mask 0x%x, ", (unsigned)(bits(b, 7, 3) | bits(b, 48, 1) << 3),
                 (unsigned)bits(b, 52, 4));
         print_reg(fp, bits(b, 10, 6) | bits(b, 40, 2) << 6, bits(b, 49, 1));
         fprintf(fp, ", %c%u", bits(b, 27, 1) ? 'u' : 'r',
                 (unsigned)(bits(b, 16, 4) | bits(b, 36, 4) << 4) / 2);
      }
      fprintf(fp, "\n");
      pos += len;
      if (!strcmp(name, "stop"))
         break;
   }
}
