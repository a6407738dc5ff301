/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * Vertex fetch: a vertex shader's load_input of attribute i (BASE = vertex
 * element index, as Gallium assigns it) becomes a formatted device load
 * from the vertex buffer of the key's attribute i:
 *
 *    element index = id * (stride / size) + offset / size
 *    id            = vertex ID (r5: index + base vertex), or for an
 *                    instanced attribute instance_id / divisor + base
 *                    instance
 *    load_agx(vbo_base[buffer], element index, FORMAT = one channel)
 *
 * then conversion to the shader's 32-bit value (normalized formats convert
 * in the load; half floats are widened; (u|s)scaled go through i2f/u2f;
 * signed integers are sign-extended) and the format's swizzle (BGRA, and
 * 0/1 for missing components).
 *
 * Supported: array formats with 8-, 16- or 32-bit channels (every
 * R8/R16/R32 variant: UNORM, SNORM, UINT, SINT, USCALED, SSCALED, FLOAT).
 * When the offset or stride is not a multiple of the channel size, the
 * attribute is fetched byte by byte (R8_UINT loads), assembled and
 * converted in the shader. Other formats (packed ones such as R10G10B10A2,
 * 64-bit) are refused with an error.
 */
#include "agx_nir.h"
#include "compiler/nir/nir.h"
#include "compiler/nir/nir_builder.h"
#include "util/format/u_format.h"

struct vbo_ctx {
   const struct agx_vs_key *key;
   const char *error;
};

/* The one-channel memory format the hardware load uses for a channel. */
static enum pipe_format
channel_mem_format(const struct util_format_channel_description *ch,
                   bool *needs_convert)
{
   *needs_convert = false;
   switch (ch->type) {
   case UTIL_FORMAT_TYPE_FLOAT:
      return ch->size == 32 ? PIPE_FORMAT_R32_FLOAT :
             ch->size == 16 ? PIPE_FORMAT_R16_FLOAT : PIPE_FORMAT_NONE;
   case UTIL_FORMAT_TYPE_UNSIGNED:
      if (ch->normalized)
         return ch->size == 8 ? PIPE_FORMAT_R8_UNORM :
                ch->size == 16 ? PIPE_FORMAT_R16_UNORM : PIPE_FORMAT_NONE;
      *needs_convert = !ch->pure_integer;
      return ch->size == 8 ? PIPE_FORMAT_R8_UINT :
             ch->size == 16 ? PIPE_FORMAT_R16_UINT : PIPE_FORMAT_R32_UINT;
   case UTIL_FORMAT_TYPE_SIGNED:
      if (ch->normalized)
         return ch->size == 8 ? PIPE_FORMAT_R8_SNORM :
                ch->size == 16 ? PIPE_FORMAT_R16_SNORM : PIPE_FORMAT_NONE;
      *needs_convert = !ch->pure_integer;
      return ch->size == 8 ? PIPE_FORMAT_R8_SINT :
             ch->size == 16 ? PIPE_FORMAT_R16_SINT : PIPE_FORMAT_R32_SINT;
   default:
      return PIPE_FORMAT_NONE;
   }
}

static nir_def *swizzle(nir_builder *b, const struct util_format_description *desc,
                        nir_def **chans);

/* Unaligned attribute: R8_UINT loads of every byte, little-endian
 * assembly, conversion in the shader. */
static void
fetch_bytes(nir_builder *b, const struct agx_attrib *a,
            const struct util_format_description *desc, nir_def *id, nir_def *base,
            nir_def **chans)
{
   const struct util_format_channel_description *ch = &desc->channel[0];
   unsigned size_B = ch->size / 8, nbytes = size_B * desc->nr_channels;
   nir_def *first = nir_iadd_imm(b, nir_imul_imm(b, id, a->stride_B), a->src_offset_B);
   nir_def *bytes[16];
   for (unsigned k = 0; k < nbytes; k += 4) {
      unsigned n = MIN2(4, nbytes - k);
      nir_def *v = nir_load_agx(b, n, 32, base, nir_iadd_imm(b, first, k),
                                .access = ACCESS_CAN_REORDER, .base = 0,
                                .format = PIPE_FORMAT_R8_UINT);
      for (unsigned i = 0; i < n; i++)
         bytes[k + i] = nir_channel(b, v, i);
   }
   for (unsigned c = 0; c < desc->nr_channels; c++) {
      nir_def *v = bytes[c * size_B];
      for (unsigned i = 1; i < size_B; i++)
         v = nir_ior(b, v, nir_ishl_imm(b, bytes[c * size_B + i], 8 * i));
      bool sign = ch->type == UTIL_FORMAT_TYPE_SIGNED;
      if (sign && ch->size < 32)
         v = nir_ishr_imm(b, nir_ishl_imm(b, v, 32 - ch->size), 32 - ch->size);
      if (ch->type == UTIL_FORMAT_TYPE_FLOAT) {
         if (ch->size == 16)
            v = nir_f2f32(b, nir_u2u16(b, v));
      } else if (ch->normalized) {
         double max = (double)((1ull << (ch->size - (sign ? 1 : 0))) - 1);
         v = nir_fmul_imm(b, sign ? nir_i2f32(b, v) : nir_u2f32(b, v), 1.0 / max);
         if (sign)
            v = nir_fmax(b, v, nir_imm_float(b, -1.0f));
      } else if (!ch->pure_integer) {
         v = sign ? nir_i2f32(b, v) : nir_u2f32(b, v);
      }
      chans[c] = v;
   }
}

static nir_def *
fetch_attrib(nir_builder *b, const struct agx_attrib *a, struct vbo_ctx *ctx)
{
   const struct util_format_description *desc = util_format_description(a->format);
   if (!desc || desc->layout != UTIL_FORMAT_LAYOUT_PLAIN || !desc->is_array ||
       desc->nr_channels < 1 || desc->nr_channels > 4) {
      ctx->error = "vertex fetch: unsupported (non-array) attribute format";
      return NULL;
   }
   const struct util_format_channel_description *ch = &desc->channel[0];
   bool convert;
   enum pipe_format mem = channel_mem_format(ch, &convert);
   unsigned size_B = ch->size / 8;
   if (mem == PIPE_FORMAT_NONE) {
      ctx->error = "vertex fetch: unsupported channel type/size";
      return NULL;
   }
   bool bytewise = a->stride_B % size_B || a->src_offset_B % size_B;

   nir_def *id;
   if (a->instance_divisor) {
      id = nir_udiv_imm(b, nir_load_instance_id(b), a->instance_divisor);
      id = nir_iadd(b, id, nir_load_base_instance(b));
   } else {
      id = nir_load_vertex_id(b);
   }
   nir_def *base = nir_load_preamble(b, 1, 64, .base = AGX_VBO_BASE_HALF(a->buffer));
   nir_def *chans[4];
   if (bytewise) {
      fetch_bytes(b, a, desc, id, base, chans);
      return swizzle(b, desc, chans);
   }
   nir_def *index = nir_iadd_imm(b, nir_imul_imm(b, id, a->stride_B / size_B),
                                 a->src_offset_B / size_B);

   unsigned bits = mem == PIPE_FORMAT_R16_FLOAT ? 16 : 32;
   nir_def *raw = nir_load_agx(b, desc->nr_channels, bits, base, index,
                               .access = ACCESS_CAN_REORDER, .base = 0,
                               .format = mem);
   for (unsigned c = 0; c < desc->nr_channels; c++) {
      nir_def *v = nir_channel(b, raw, c);
      if (mem == PIPE_FORMAT_R16_FLOAT)
         v = nir_f2f32(b, v);
      if (ch->type == UTIL_FORMAT_TYPE_SIGNED && !ch->normalized && ch->size < 32)
         v = nir_ishr_imm(b, nir_ishl_imm(b, v, 32 - ch->size), 32 - ch->size);
      if (convert)
         v = ch->type == UTIL_FORMAT_TYPE_SIGNED ? nir_i2f32(b, v) : nir_u2f32(b, v);
      chans[c] = v;
   }
   return swizzle(b, desc, chans);
}

static nir_def *
swizzle(nir_builder *b, const struct util_format_description *desc, nir_def **chans)
{
   bool int_fmt = desc->channel[0].pure_integer;
   nir_def *out[4];
   for (unsigned c = 0; c < 4; c++) {
      unsigned s = desc->swizzle[c];
      if (s <= PIPE_SWIZZLE_W && s < desc->nr_channels)
         out[c] = chans[s];
      else if (s == PIPE_SWIZZLE_1)
         out[c] = int_fmt ? nir_imm_int(b, 1) : nir_imm_float(b, 1.0f);
      else
         out[c] = nir_imm_int(b, 0);
   }
   return nir_vec(b, out, 4);
}

static bool
lower_load(nir_builder *b, nir_intrinsic_instr *intr, void *data)
{
   struct vbo_ctx *ctx = data;
   if (intr->intrinsic != nir_intrinsic_load_input)
      return false;

   b->cursor = nir_before_instr(&intr->instr);
   if (!nir_src_is_const(intr->src[0]) || intr->def.bit_size != 32) {
      ctx->error = "vertex fetch: indirect or non-32-bit attribute load";
      return false;
   }
   unsigned idx = nir_intrinsic_base(intr) + nir_src_as_uint(intr->src[0]);
   unsigned comp = nir_intrinsic_component(intr);
   nir_def *v;
   if (idx < ctx->key->nr_attribs) {
      v = fetch_attrib(b, &ctx->key->attribs[idx], ctx);
      if (!v)
         return false;
   } else {
      /* no vertex element: (0, 0, 0, 1) */
      v = nir_imm_vec4(b, 0, 0, 0, 1);
   }
   nir_def *r = nir_channels(b, v, BITFIELD_RANGE(comp, intr->def.num_components));
   nir_def_replace(&intr->def, r);
   return true;
}

bool
agx_nir_lower_vbo(nir_shader *nir, const struct agx_vs_key *key, const char **error)
{
   struct vbo_ctx ctx = { .key = key };
   nir_shader_intrinsics_pass(nir, lower_load, nir_metadata_control_flow, &ctx);
   if (ctx.error) {
      *error = ctx.error;
      return false;
   }
   return true;
}
