/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * agx_tilebuffer_layout_init: offsets, alignment, sample size, tile size
 * from the 32 KiB budget, render targets without a tile format.
 */
#include "agx_shader.h"
#include "agxc_tap.h"

static void
layout(struct agx_tilebuffer_layout *t, unsigned n, unsigned samples, enum pipe_format a,
       enum pipe_format b, enum pipe_format c)
{
   enum pipe_format f[3] = { a, b, c };
   agx_tilebuffer_layout_init(t, f, n, samples);
}

int
main(void)
{
   struct agx_tilebuffer_layout t;

   layout(&t, 1, 1, PIPE_FORMAT_R8G8B8A8_UNORM, 0, 0);
   tap_ok(t.nr_rts == 1 && t.offset_B[0] == 0 && t.sample_size_B == 8 && t.tile_width == 32 &&
             t.tile_height == 32 && t.nr_samples == 1,
          "RGBA8: offset 0, 8-byte sample, 32x32 tiles");

   layout(&t, 3, 1, PIPE_FORMAT_R8_UNORM, PIPE_FORMAT_R16G16B16A16_FLOAT,
          PIPE_FORMAT_R32_FLOAT);
   tap_ok(t.offset_B[0] == 0 && t.offset_B[1] == 2 && t.offset_B[2] == 12 &&
             t.sample_size_B == 16,
          "R8, RGBA16F, R32F: offsets 0, 2, 12 (natural alignment), 16-byte sample (got %u %u "
          "%u / %u)",
          t.offset_B[0], t.offset_B[1], t.offset_B[2], t.sample_size_B);
   tap_ok(t.tile_width == 32 && t.tile_height == 32, "16 bytes per pixel: 32x32");

   layout(&t, 2, 1, PIPE_FORMAT_R32G32B32A32_FLOAT, PIPE_FORMAT_R32G32B32A32_FLOAT, 0);
   tap_ok(t.sample_size_B == 32 && t.tile_width == 32 && t.tile_height == 16,
          "2 x RGBA32F: 32 bytes per pixel -> 32x16 tiles");

   layout(&t, 2, 4, PIPE_FORMAT_R32G32B32A32_FLOAT, PIPE_FORMAT_R32G32B32A32_FLOAT, 0);
   tap_ok(t.nr_samples == 4 && t.tile_width == 16 && t.tile_height == 16,
          "2 x RGBA32F, 4 samples: 16x16 tiles");

   layout(&t, 2, 1, PIPE_FORMAT_NONE, PIPE_FORMAT_B8G8R8A8_UNORM, 0);
   tap_ok(t.format[0] == PIPE_FORMAT_NONE && t.format[1] == PIPE_FORMAT_B8G8R8A8_UNORM &&
             t.offset_B[1] == 0,
          "unused RT 0 takes no space");

   layout(&t, 1, 1, PIPE_FORMAT_R10G10B10A2_UNORM, 0, 0);
   tap_ok(t.format[0] == PIPE_FORMAT_NONE && t.sample_size_B == 8,
          "a format without a tile format is left out (not drawn)");

   layout(&t, 1, 3, PIPE_FORMAT_R8G8B8A8_UNORM, 0, 0);
   tap_ok(t.nr_samples == 1, "3 samples (invalid) becomes 1");
   return tap_done();
}
