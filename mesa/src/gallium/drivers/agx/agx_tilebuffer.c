/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * Tile-buffer layout: every sample of a pixel holds the render targets one
 * after the other, each at the natural alignment of its tile-buffer
 * component size (1, 2 or 4 bytes) and as many components as the format
 * has; the sample size is rounded up to 8 bytes (the USC Shared word counts
 * it in 8-byte units). The tile is the largest of 32x32, 32x16 and 16x16
 * pixels whose tile buffer stays within 32767 bytes (G13G).
 *
 * A render target whose format has no tile-buffer format (see
 * agxc_tile_format) is left out: its format becomes PIPE_FORMAT_NONE and
 * nothing reads or writes it (logged). Spilling render targets that do not
 * fit to memory is not implemented: a layout over 64 bytes per sample drops
 * the render targets that do not fit, also logged.
 */
#include <string.h>
#include "agx_shader.h"
#include "agxc.h"
#include "util/format/u_format.h"
#include "util/log.h"
#include "util/u_math.h"

#define AGX_MAX_BYTES_PER_TILE   (32768 - 1)
#define AGX_MAX_BYTES_PER_SAMPLE 64

static unsigned
tile_component_size_B(int tf)
{
   switch (tf) {
   case AGXC_TF_I8: case AGXC_TF_U8NORM: case AGXC_TF_S8NORM: case AGXC_TF_SRGBA8:
      return 1;
   case AGXC_TF_I16: case AGXC_TF_F16: case AGXC_TF_U16NORM: case AGXC_TF_S16NORM:
      return 2;
   case AGXC_TF_I32:
      return 4;
   default:
      return 0;
   }
}

void
agx_tilebuffer_layout_init(struct agx_tilebuffer_layout *tib,
                           const enum pipe_format *formats, unsigned nr_rts,
                           unsigned nr_samples)
{
   memset(tib, 0, sizeof(*tib));
   tib->nr_rts = MIN2(nr_rts, AGX_MAX_RTS);
   tib->nr_samples = nr_samples == 4 ? 4 : nr_samples == 2 ? 2 : 1;

   unsigned off = 0;
   for (unsigned rt = 0; rt < tib->nr_rts; rt++) {
      enum pipe_format f = formats[rt];
      tib->format[rt] = PIPE_FORMAT_NONE;
      if (f == PIPE_FORMAT_NONE)
         continue;
      unsigned csize = tile_component_size_B(agxc_tile_format(f));
      if (!csize) {
         mesa_logw("agx: render target %u format %s has no tile-buffer format; not drawn",
                   rt, util_format_short_name(f));
         continue;
      }
      unsigned start = ALIGN_POT(off, csize);
      unsigned end = start + csize * util_format_get_nr_components(f);
      if (end > AGX_MAX_BYTES_PER_SAMPLE) {
         mesa_logw("agx: render target %u does not fit the tile buffer (spilling "
                   "is not implemented); not drawn", rt);
         continue;
      }
      tib->format[rt] = f;
      tib->offset_B[rt] = start;
      off = end;
   }
   tib->sample_size_B = MAX2(ALIGN_POT(off, 8), 8);

   unsigned px_B = tib->sample_size_B * tib->nr_samples;
   if (px_B * 32 * 32 <= AGX_MAX_BYTES_PER_TILE) {
      tib->tile_width = 32;
      tib->tile_height = 32;
   } else if (px_B * 32 * 16 <= AGX_MAX_BYTES_PER_TILE) {
      tib->tile_width = 32;
      tib->tile_height = 16;
   } else {
      tib->tile_width = 16;
      tib->tile_height = 16;
   }
}
