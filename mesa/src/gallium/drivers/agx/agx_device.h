/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 */

#ifndef AGX_DEVICE_H
#define AGX_DEVICE_H

/*
 * The device layer on the asahi UAPI: one VM per device with its VA heaps,
 * BOs (GEM objects mapped on the CPU and bound into the VM) with a cache,
 * queues and submission with sync objects.
 */

#include <stdbool.h>
#include <stdint.h>

#include "util/list.h"
#include "util/macros.h"
#include "util/simple_mtx.h"
#include "util/sparse_array.h"
#include "util/vma.h"

#include "drm/asahi_drm.h"

#define AGX_PAGE_SIZE        (16u * 1024)
#define AGX_USC_HEAP_SIZE    (4ull << 30)
#define AGX_KERNEL_MIN_SIZE  (32ull << 30)

enum agx_bo_flags {
   /* Shader code and USC words: placed in the 4 GiB USC carve-out. */
   AGX_BO_EXEC = BITFIELD_BIT(0),
   /* Shared with other processes or devices: never cached. */
   AGX_BO_SHARED = BITFIELD_BIT(1),
   /* Imported from a dma-buf. */
   AGX_BO_IMPORTED = BITFIELD_BIT(2),
};

struct agx_device;

struct agx_bo {
   struct agx_device *dev;
   uint32_t handle;
   uint32_t flags;
   uint64_t size;
   uint64_t va;
   void *map;
   int refcnt;
   const char *label;

   /* The BO's sync object (0: never used by a job). Jobs that use the BO
    * signal it (agx_bo_fence()); the cache only reuses idle BOs.
    */
   uint32_t busy_syncobj;

   /* In the BO cache: link in a bucket, and the time it was freed. */
   struct list_head cache_link;
   int64_t cache_time_ns;
};

#define AGX_BO_CACHE_MIN_LOG2 14 /* 16 KiB */
#define AGX_BO_CACHE_MAX_LOG2 26 /* 64 MiB */
#define AGX_BO_CACHE_BUCKETS (AGX_BO_CACHE_MAX_LOG2 - AGX_BO_CACHE_MIN_LOG2 + 1)

struct agx_device {
   int fd;
   struct drm_asahi_params_global params;

   uint32_t vm_id;

   /* VA layout (all ranges half-open):
    *   [usc_base, usc_base + 4 GiB)   USC heap: shaders, USC words;
    *                                  usc_base is each queue's usc_exec_base
    *   [heap_start, kernel_start)     general heap
    *   [kernel_start, kernel_end)     kernel window, at the top of the user
    *                                  range; never allocated from
    */
   uint64_t usc_base;
   uint64_t kernel_start, kernel_end;

   simple_mtx_t vma_lock;
   struct util_vma_heap main_heap, usc_heap;

   /* Handle -> struct agx_bo (one per GEM handle, for imports). */
   simple_mtx_t bo_lock;
   struct util_sparse_array bo_map;

   struct {
      struct list_head buckets[AGX_BO_CACHE_BUCKETS];
      uint64_t size_B;
      unsigned hits, misses;
   } cache;

   /* Background/end-of-tile program cache (agx_meta.c, shader side). */
   void *meta_cache;
};

int agx_ioctl(struct agx_device *dev, unsigned long req, void *arg);
bool agx_device_open(struct agx_device *dev, int fd);
void agx_device_close(struct agx_device *dev);

struct agx_bo *agx_bo_create(struct agx_device *dev, uint64_t size,
                             uint32_t flags, const char *label);
struct agx_bo *agx_bo_import(struct agx_device *dev, int dmabuf_fd);
int agx_bo_export(struct agx_bo *bo);
void agx_bo_reference(struct agx_bo *bo);
void agx_bo_unreference(struct agx_bo *bo);
uint32_t agx_bo_fence(struct agx_bo *bo);
bool agx_bo_wait(struct agx_bo *bo, int64_t timeout_ns);
void agx_bo_cache_evict_all(struct agx_device *dev);

uint32_t agx_queue_create(struct agx_device *dev);
void agx_queue_destroy(struct agx_device *dev, uint32_t queue_id);

/*
 * Submit a command buffer (headers + payloads) to a queue (an id from
 * agx_queue_create()). The job waits on in_syncobjs and signals
 * out_syncobjs. Returns 0 or -errno.
 */
int agx_submit(struct agx_device *dev, uint32_t queue, const void *cmdbuf,
               uint32_t cmdbuf_size, const uint32_t *in_syncobjs,
               unsigned in_count, const uint32_t *out_syncobjs,
               unsigned out_count);

#endif
