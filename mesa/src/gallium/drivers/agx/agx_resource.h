/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 */

#ifndef AGX_RESOURCE_H
#define AGX_RESOURCE_H

#include "pipe/p_state.h"

#include "agx_device.h"

#define AGX_MAX_LEVELS 16

/* A buffer or texture in one BO. Textures are linear: each level holds its
 * layers (or slices) one after the other.
 */
struct agx_resource {
   struct pipe_resource base;
   struct agx_bo *bo;
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
void agx_init_screen_resource_functions(struct pipe_screen *pscreen);
void agx_init_context_resource_functions(struct pipe_context *pctx);

#endif
