/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 */

#ifndef AGX_RESOURCE_H
#define AGX_RESOURCE_H

#include "pipe/p_state.h"

#include "agx_device.h"

#define AGX_MAX_LEVELS 16

/* A buffer or texture in one BO. Colour textures are linear: each level
 * holds its layers (or slices) one after the other. Depth buffers are
 * GPU-tiled (the ZLS hardware only reads and writes that layout), one
 * level and one layer.
 */
struct agx_resource {
   struct pipe_resource base;
   struct agx_bo *bo;
   /* GPU-tiled layout (16 KiB tiles, Morton order inside; see
    * agx_tiled_offset()). Only depth/stencil buffers: a depth plane of
    * zs_depth_format (Z16_UNORM or Z32_FLOAT, what the ZLS stores) at
    * offset 0 and, for formats with stencil, an S8 plane at
    * stencil_offset. Z24_UNORM_S8_UINT is kept as 32-bit float depth and
    * converted by CPU maps.
    */
   bool tiled;
   enum pipe_format zs_depth_format;
   bool has_stencil;
   uint64_t stencil_offset;
   /* The resource has defined contents (written by the CPU or a pass):
    * a pass that does not clear it loads it. */
   bool valid;
   uint64_t level_offset[AGX_MAX_LEVELS];
   uint32_t stride[AGX_MAX_LEVELS];
   uint64_t layer_stride[AGX_MAX_LEVELS];
};

static inline struct agx_resource *
agx_resource(struct pipe_resource *p)
{
   return (struct agx_resource *)p;
}

struct agx_screen;
uint64_t agx_tiled_offset(unsigned width, unsigned height, unsigned bpp,
                          unsigned x, unsigned y);
void agx_init_screen_resource_functions(struct pipe_screen *pscreen);
void agx_init_context_resource_functions(struct pipe_context *pctx);

#endif
