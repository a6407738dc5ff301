/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 */

/*
 * Resources: buffers and linear textures, each backed by one BO, and CPU
 * transfers. Nothing writes resources on the GPU yet, so a map only waits
 * for the BO's last job (if any) and returns a pointer into the mapping.
 */

#include <xf86drm.h>

#include "drm-uapi/drm_fourcc.h"

#include "frontend/winsys_handle.h"
#include "util/format/u_format.h"
#include "util/log.h"
#include "util/u_inlines.h"
#include "util/u_math.h"
#include "util/u_memory.h"
#include "util/u_transfer.h"

#include "agx_resource.h"
#include "agx_screen.h"

#define AGX_STRIDE_ALIGN 64

/* Fills the layout; returns the size in bytes. */
static uint64_t
agx_layout(struct agx_resource *rsrc)
{
   const struct pipe_resource *t = &rsrc->base;
   uint64_t offset = 0;

   if (t->target == PIPE_BUFFER) {
      rsrc->stride[0] = t->width0;
      rsrc->layer_stride[0] = t->width0;
      return t->width0;
   }

   for (unsigned l = 0; l <= t->last_level; l++) {
      unsigned w = u_minify(t->width0, l), h = u_minify(t->height0, l);
      unsigned layers = t->target == PIPE_TEXTURE_3D ? u_minify(t->depth0, l)
                                                     : t->array_size;

      rsrc->stride[l] =
         ALIGN_POT(util_format_get_stride(t->format, w), AGX_STRIDE_ALIGN);
      rsrc->layer_stride[l] = ALIGN_POT(
         (uint64_t)rsrc->stride[l] * util_format_get_nblocksy(t->format, h),
         AGX_STRIDE_ALIGN);
      rsrc->level_offset[l] = offset;
      offset += rsrc->layer_stride[l] * layers;
   }
   return offset;
}

static struct pipe_resource *
agx_resource_create(struct pipe_screen *pscreen,
                    const struct pipe_resource *templ)
{
   struct agx_screen *screen = agx_screen(pscreen);
   struct agx_device *dev = agx_screen_device(screen);

   if (!dev || templ->last_level >= AGX_MAX_LEVELS || templ->nr_samples > 1)
      return NULL;
   if (templ->target != PIPE_BUFFER &&
       (!util_format_get_blocksize(templ->format) || !templ->width0 ||
        !templ->height0))
      return NULL;

   struct agx_resource *rsrc = CALLOC_STRUCT(agx_resource);
   if (!rsrc)
      return NULL;

   rsrc->base = *templ;
   rsrc->base.screen = pscreen;
   pipe_reference_init(&rsrc->base.reference, 1);

   uint64_t size = agx_layout(rsrc);
   uint32_t flags =
      (templ->bind & (PIPE_BIND_SHARED | PIPE_BIND_SCANOUT)) ? AGX_BO_SHARED : 0;

   rsrc->bo = agx_bo_create(dev, MAX2(size, 1), flags, "resource");
   if (!rsrc->bo) {
      FREE(rsrc);
      return NULL;
   }
   return &rsrc->base;
}

static void
agx_resource_destroy(struct pipe_screen *pscreen, struct pipe_resource *prsrc)
{
   struct agx_resource *rsrc = agx_resource(prsrc);

   agx_bo_unreference(rsrc->bo);
   FREE(rsrc);
}

static struct pipe_resource *
agx_resource_from_handle(struct pipe_screen *pscreen,
                         const struct pipe_resource *templ,
                         struct winsys_handle *whandle, unsigned usage)
{
   struct agx_device *dev = agx_screen_device(agx_screen(pscreen));

   if (!dev || whandle->type != WINSYS_HANDLE_TYPE_FD ||
       (whandle->modifier != DRM_FORMAT_MOD_LINEAR &&
        whandle->modifier != DRM_FORMAT_MOD_INVALID) ||
       templ->target == PIPE_BUFFER || templ->last_level != 0)
      return NULL;

   struct agx_resource *rsrc = CALLOC_STRUCT(agx_resource);
   if (!rsrc)
      return NULL;
   rsrc->base = *templ;
   rsrc->base.screen = pscreen;
   pipe_reference_init(&rsrc->base.reference, 1);
   agx_layout(rsrc);
   rsrc->stride[0] = whandle->stride;
   rsrc->level_offset[0] = whandle->offset;

   rsrc->bo = agx_bo_import(dev, whandle->handle);
   if (!rsrc->bo ||
       whandle->offset + (uint64_t)whandle->stride * templ->height0 >
          rsrc->bo->size ||
       whandle->stride < util_format_get_stride(templ->format, templ->width0)) {
      agx_bo_unreference(rsrc->bo);
      FREE(rsrc);
      return NULL;
   }
   return &rsrc->base;
}

static bool
agx_resource_get_handle(struct pipe_screen *pscreen, struct pipe_context *pctx,
                        struct pipe_resource *prsrc,
                        struct winsys_handle *whandle, unsigned usage)
{
   struct agx_resource *rsrc = agx_resource(prsrc);

   whandle->stride = rsrc->stride[0];
   whandle->offset = rsrc->level_offset[0];
   whandle->modifier = DRM_FORMAT_MOD_LINEAR;

   switch (whandle->type) {
   case WINSYS_HANDLE_TYPE_KMS:
      whandle->handle = rsrc->bo->handle;
      return true;
   case WINSYS_HANDLE_TYPE_FD: {
      int fd = agx_bo_export(rsrc->bo);
      if (fd < 0)
         return false;
      whandle->handle = fd;
      return true;
   }
   default:
      return false;
   }
}

/* ---- transfers ------------------------------------------------------------ */

static void *
agx_map(struct pipe_context *pctx, struct pipe_resource *prsrc, unsigned level,
        unsigned usage, const struct pipe_box *box,
        struct pipe_transfer **out_transfer)
{
   struct agx_resource *rsrc = agx_resource(prsrc);
   enum pipe_format format = prsrc->format;

   *out_transfer = NULL;
   if (level > prsrc->last_level)
      return NULL;

   /* Wait for the GPU unless asked not to. */
   if (!(usage & PIPE_MAP_UNSYNCHRONIZED) &&
       !agx_bo_wait(rsrc->bo, (usage & PIPE_MAP_DONTBLOCK) ? 0 : INT64_MAX))
      return NULL;

   struct pipe_transfer *xfer = CALLOC_STRUCT(pipe_transfer);
   if (!xfer)
      return NULL;
   pipe_resource_reference(&xfer->resource, prsrc);
   xfer->level = level;
   xfer->usage = usage;
   xfer->box = *box;
   xfer->stride = rsrc->stride[level];
   xfer->layer_stride = rsrc->layer_stride[level];
   *out_transfer = xfer;

   uint64_t offset;
   if (prsrc->target == PIPE_BUFFER) {
      offset = box->x;
   } else {
      offset = rsrc->level_offset[level] +
               (uint64_t)box->z * rsrc->layer_stride[level] +
               (uint64_t)(box->y / util_format_get_blockheight(format)) *
                  rsrc->stride[level] +
               (box->x / util_format_get_blockwidth(format)) *
                  util_format_get_blocksize(format);
   }
   return (uint8_t *)rsrc->bo->map + offset;
}

static void
agx_unmap(struct pipe_context *pctx, struct pipe_transfer *xfer)
{
   pipe_resource_reference(&xfer->resource, NULL);
   FREE(xfer);
}

void
agx_init_screen_resource_functions(struct pipe_screen *pscreen)
{
   pscreen->resource_create = agx_resource_create;
   pscreen->resource_destroy = agx_resource_destroy;
   pscreen->resource_from_handle = agx_resource_from_handle;
   pscreen->resource_get_handle = agx_resource_get_handle;
}

void
agx_init_context_resource_functions(struct pipe_context *pctx)
{
   pctx->buffer_map = agx_map;
   pctx->texture_map = agx_map;
   pctx->buffer_unmap = agx_unmap;
   pctx->texture_unmap = agx_unmap;
   pctx->transfer_flush_region = u_default_transfer_flush_region;
   pctx->buffer_subdata = u_default_buffer_subdata;
   pctx->texture_subdata = u_default_texture_subdata;
}
