/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 */

#ifndef AGX_SCREEN_H
#define AGX_SCREEN_H

#include "pipe/p_screen.h"
#include "util/macros.h"
#include "util/simple_mtx.h"

#include "agx_device.h"

#include "drm/asahi_drm.h"

enum agx_dbg {
   /* Print the device description when a screen is created. */
   AGX_DBG_INFO = BITFIELD_BIT(0),
};

struct agx_screen {
   struct pipe_screen base;

   /* Render node, owned by the screen. */
   int fd;

   /* Device description returned by the kernel (GET_PARAMS group 0). */
   struct drm_asahi_params_global params;

   /* Renderer string, e.g. "AGX G13G". */
   char name[32];

   /* Bit set of enum agx_dbg, from AGX_MESA_DEBUG. */
   uint32_t debug;

   /* The VM, heaps and BOs: opened on first use (agx_screen_device()), so
    * that a screen can describe a device whose VM cannot be created.
    */
   simple_mtx_t dev_lock;
   bool dev_tried, dev_ok;
   struct agx_device dev;
};

static inline struct agx_screen *
agx_screen(struct pipe_screen *pscreen)
{
   return (struct agx_screen *)pscreen;
}

struct agx_device *agx_screen_device(struct agx_screen *screen);
struct pipe_context *agx_context_create(struct pipe_screen *pscreen,
                                        void *priv, unsigned flags);
void agx_init_screen_fence_functions(struct pipe_screen *pscreen);

#endif
