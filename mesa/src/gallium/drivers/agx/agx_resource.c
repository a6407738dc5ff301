/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 */

/*
 * Resources: buffers, linear textures and GPU-tiled depth buffers, each
 * backed by one BO, and CPU transfers. A map first submits the context's
 * pending render pass if that pass uses the resource, then waits for the
 * BO's last job and returns a pointer into the mapping (linear), or a
 * staging copy converted from/to the tiled layout (depth).
 */

#include <math.h>
#include <xf86drm.h>

#include "drm-uapi/drm_fourcc.h"

#include "frontend/winsys_handle.h"
#include "util/format/u_format.h"
#include "util/log.h"
#include "util/u_inlines.h"
#include "util/u_math.h"
#include "util/u_memory.h"
#include "util/u_transfer.h"

#include "agx_context.h"
#include "agx_resource.h"
#include "agx_screen.h"

#define AGX_STRIDE_ALIGN 64

/*
 * GPU-tiled layout (facts: mesa-asahi-facts 2.9 "Image layouts"; the
 * simulator's ASSUMPTIONS.md R9): 16 KiB tiles in raster order, of
 * 128x128, 128x64, 64x64, 64x32 or 32x32 texels for 1, 2, 4, 8 or 16 bytes
 * per texel, each side capped at the next power of two of the image's
 * smaller side; inside a tile, texel bits interleave x and y from bit 0 (x
 * first), the longer side's extra bits on top.
 */
static void
agx_tile_dims(unsigned width, unsigned height, unsigned bpp, unsigned *tw,
              unsigned *th)
{
   unsigned w, h;

   switch (bpp) {
   case 1: w = 128; h = 128; break;
   case 2: w = 128; h = 64; break;
   case 4: w = 64; h = 64; break;
   case 8: w = 64; h = 32; break;
   default: w = 32; h = 32; break;
   }

   unsigned m = util_next_power_of_two(MAX2(MIN2(width, height), 1));
   *tw = MIN2(w, m);
   *th = MIN2(h, m);
}

static uint64_t
agx_morton(unsigned x, unsigned y, unsigned tw, unsigned th)
{
   uint64_t out = 0;
   unsigned bit = 0;
   unsigned xb = util_logbase2(tw), yb = util_logbase2(th);

   for (unsigned i = 0; i < MAX2(xb, yb); i++) {
      if (i < xb)
         out |= (uint64_t)((x >> i) & 1) << bit++;
      if (i < yb)
         out |= (uint64_t)((y >> i) & 1) << bit++;
   }
   return out;
}

uint64_t
agx_tiled_offset(unsigned width, unsigned height, unsigned bpp, unsigned x,
                 unsigned y)
{
   unsigned tw, th;
   agx_tile_dims(width, height, bpp, &tw, &th);
   unsigned tiles_x = DIV_ROUND_UP(width, tw);
   uint64_t tile = (uint64_t)(y / th) * tiles_x + x / tw;
   return (tile * tw * th + agx_morton(x % tw, y % th, tw, th)) * bpp;
}

static uint64_t
agx_tiled_size(unsigned width, unsigned height, unsigned bpp)
{
   unsigned tw, th;
   agx_tile_dims(width, height, bpp, &tw, &th);
   return (uint64_t)DIV_ROUND_UP(width, tw) * DIV_ROUND_UP(height, th) * tw *
          th * bpp;
}

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

   if (rsrc->tiled) {
      unsigned bpp = util_format_get_blocksize(rsrc->zs_depth_format);
      uint64_t depth_B = ALIGN_POT(
         agx_tiled_size(t->width0, t->height0, bpp), AGX_PAGE_SIZE);
      rsrc->stride[0] = t->width0 * util_format_get_blocksize(t->format);
      rsrc->layer_stride[0] = depth_B;
      rsrc->stencil_offset = depth_B;
      if (!rsrc->has_stencil)
         return depth_B;
      return depth_B +
             ALIGN_POT(agx_tiled_size(t->width0, t->height0, 1), AGX_PAGE_SIZE);
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

   /* Depth/stencil buffers are written by the ZLS hardware, which only
    * knows the GPU-tiled layout: one level, one layer, 2D. Other depth
    * resources stay linear; they cannot be depth attachments (a pass with
    * one ignores it, see agx_batch.c).
    */
   if (util_format_is_depth_or_stencil(templ->format) && !templ->last_level &&
       templ->array_size == 1 &&
       (templ->target == PIPE_TEXTURE_2D || templ->target == PIPE_TEXTURE_RECT)) {
      switch (templ->format) {
      case PIPE_FORMAT_Z16_UNORM:
         rsrc->zs_depth_format = PIPE_FORMAT_Z16_UNORM;
         break;
      case PIPE_FORMAT_Z32_FLOAT:
         rsrc->zs_depth_format = PIPE_FORMAT_Z32_FLOAT;
         break;
      case PIPE_FORMAT_Z24_UNORM_S8_UINT:
      case PIPE_FORMAT_Z32_FLOAT_S8X24_UINT:
         rsrc->zs_depth_format = PIPE_FORMAT_Z32_FLOAT;
         rsrc->has_stencil = true;
         break;
      default:
         break;
      }
      rsrc->tiled = rsrc->zs_depth_format != PIPE_FORMAT_NONE;
   }

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

struct agx_transfer {
   struct pipe_transfer base;
   void *staging; /* tiled resources: the box, linear */
};

/* Copies between the tiled planes of a depth/stencil resource and a
 * linear staging box in the resource's format.
 */
static void
agx_tiled_copy(struct agx_resource *rsrc, struct agx_transfer *xfer,
               bool to_staging)
{
   const struct pipe_box *box = &xfer->base.box;
   enum pipe_format format = rsrc->base.format;
   unsigned bpp = util_format_get_blocksize(format);
   unsigned zbpp = util_format_get_blocksize(rsrc->zs_depth_format);
   unsigned w = rsrc->base.width0, h = rsrc->base.height0;
   uint8_t *base = rsrc->bo->map;

   for (int y = 0; y < box->height; y++) {
      for (int x = 0; x < box->width; x++) {
         unsigned px = box->x + x, py = box->y + y;
         uint8_t *lin = (uint8_t *)xfer->staging + y * xfer->base.stride + x * bpp;
         uint8_t *z = base + agx_tiled_offset(w, h, zbpp, px, py);
         uint8_t *s = rsrc->has_stencil
                         ? base + rsrc->stencil_offset +
                              agx_tiled_offset(w, h, 1, px, py)
                         : NULL;

         switch (format) {
         case PIPE_FORMAT_Z24_UNORM_S8_UINT: {
            uint32_t v;
            float f;
            if (to_staging) {
               memcpy(&f, z, 4);
               v = (uint32_t)lrintf(CLAMP(f, 0.0f, 1.0f) * 16777215.0f) |
                   ((uint32_t)*s << 24);
               memcpy(lin, &v, 4);
            } else {
               memcpy(&v, lin, 4);
               f = (v & 0xffffff) / 16777215.0f;
               memcpy(z, &f, 4);
               *s = v >> 24;
            }
            break;
         }
         case PIPE_FORMAT_Z32_FLOAT_S8X24_UINT:
            if (to_staging) {
               memcpy(lin, z, 4);
               uint32_t v = *s;
               memcpy(lin + 4, &v, 4);
            } else {
               memcpy(z, lin, 4);
               *s = lin[4];
            }
            break;
         default:
            if (to_staging)
               memcpy(lin, z, bpp);
            else
               memcpy(z, lin, bpp);
            break;
         }
      }
   }
}

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

   /* The pending pass must have run before the CPU sees or changes the
    * resource.
    */
   if (!(usage & PIPE_MAP_UNSYNCHRONIZED) &&
       agx_batch_uses_bo(agx_context(pctx), rsrc->bo))
      agx_flush_batch(agx_context(pctx), "resource mapped");

   /* Wait for the GPU unless asked not to. */
   if (!(usage & PIPE_MAP_UNSYNCHRONIZED) &&
       !agx_bo_wait(rsrc->bo, (usage & PIPE_MAP_DONTBLOCK) ? 0 : INT64_MAX))
      return NULL;

   struct agx_transfer *axfer = CALLOC_STRUCT(agx_transfer);
   if (!axfer)
      return NULL;
   struct pipe_transfer *xfer = &axfer->base;
   pipe_resource_reference(&xfer->resource, prsrc);
   xfer->level = level;
   xfer->usage = usage;
   xfer->box = *box;
   xfer->stride = rsrc->stride[level];
   xfer->layer_stride = rsrc->layer_stride[level];
   *out_transfer = xfer;

   if (usage & PIPE_MAP_WRITE)
      rsrc->valid = true;

   if (rsrc->tiled) {
      unsigned bpp = util_format_get_blocksize(format);
      xfer->stride = box->width * bpp;
      xfer->layer_stride = xfer->stride * box->height;
      axfer->staging = MALLOC(MAX2(xfer->layer_stride, 1));
      if (!axfer->staging) {
         pipe_resource_reference(&xfer->resource, NULL);
         FREE(axfer);
         *out_transfer = NULL;
         return NULL;
      }
      if (!(usage & PIPE_MAP_DISCARD_RANGE) &&
          !(usage & PIPE_MAP_DISCARD_WHOLE_RESOURCE))
         agx_tiled_copy(rsrc, axfer, true);
      return axfer->staging;
   }

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
   struct agx_transfer *axfer = (struct agx_transfer *)xfer;

   if (axfer->staging) {
      if (xfer->usage & PIPE_MAP_WRITE)
         agx_tiled_copy(agx_resource(xfer->resource), axfer, false);
      FREE(axfer->staging);
   }
   pipe_resource_reference(&xfer->resource, NULL);
   FREE(axfer);
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
