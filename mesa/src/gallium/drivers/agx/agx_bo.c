/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 */

/*
 * BOs: GEM objects with a VA in one of the device's heaps, bound
 * read-write and mapped on the CPU; a size-bucketed cache of idle BOs;
 * dma-buf import/export.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xf86drm.h>

#include "util/log.h"
#include "util/os_time.h"
#include "util/u_math.h"
#include "util/u_memory.h"

#include "agx_device.h"

/* Cached BOs older than this are freed. */
#define AGX_BO_CACHE_MAX_AGE_NS (1000ll * 1000 * 1000)
#define AGX_BO_CACHE_MAX_SIZE_B (256ull << 20)

static struct util_vma_heap *
agx_heap(struct agx_device *dev, uint32_t flags)
{
   return (flags & AGX_BO_EXEC) ? &dev->usc_heap : &dev->main_heap;
}

static int
agx_bo_bind(struct agx_bo *bo, bool bind)
{
   struct drm_asahi_gem_bind_op op = {
      .flags = bind ? DRM_ASAHI_BIND_READ | DRM_ASAHI_BIND_WRITE
                    : DRM_ASAHI_BIND_UNBIND,
      .handle = bind ? bo->handle : 0,
      .offset = 0,
      .range = bo->size,
      .addr = bo->va,
   };
   struct drm_asahi_vm_bind vb = {
      .vm_id = bo->dev->vm_id,
      .num_binds = 1,
      .stride = sizeof(op),
      .userptr = (uintptr_t)&op,
   };
   return agx_ioctl(bo->dev, DRM_IOCTL_ASAHI_VM_BIND, &vb);
}

/* Give a freshly created or imported GEM handle a VA, a binding and a CPU
 * mapping. On failure the handle is closed and NULL returned.
 */
static struct agx_bo *
agx_bo_setup(struct agx_device *dev, uint32_t handle, uint64_t size,
             uint32_t flags, const char *label)
{
   struct agx_bo *bo = util_sparse_array_get(&dev->bo_map, handle);
   struct drm_asahi_gem_mmap_offset mo = {.handle = handle};
   int r;

   memset(bo, 0, sizeof(*bo));
   bo->dev = dev;
   bo->handle = handle;
   bo->size = size;
   bo->flags = flags;
   bo->label = label;
   bo->refcnt = 1;
   list_inithead(&bo->cache_link);

   simple_mtx_lock(&dev->vma_lock);
   bo->va = util_vma_heap_alloc(agx_heap(dev, flags), size, AGX_PAGE_SIZE);
   simple_mtx_unlock(&dev->vma_lock);
   if (!bo->va) {
      mesa_loge("agx: out of GPU VA for a %" PRIu64 " B BO", size);
      goto fail_close;
   }

   r = agx_bo_bind(bo, true);
   if (r) {
      mesa_loge("agx: VM_BIND failed: %s", strerror(-r));
      goto fail_va;
   }

   r = agx_ioctl(dev, DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET, &mo);
   if (!r) {
      bo->map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, dev->fd,
                     mo.offset);
      if (bo->map == MAP_FAILED) {
         r = -errno;
         bo->map = NULL;
      }
   }
   if (r) {
      mesa_loge("agx: cannot map BO: %s", strerror(-r));
      agx_bo_bind(bo, false);
      goto fail_va;
   }
   return bo;

fail_va:
   simple_mtx_lock(&dev->vma_lock);
   util_vma_heap_free(agx_heap(dev, flags), bo->va, size);
   simple_mtx_unlock(&dev->vma_lock);
fail_close:
   drmCloseBufferHandle(dev->fd, handle);
   bo->dev = NULL;
   return NULL;
}

static void
agx_bo_free(struct agx_bo *bo)
{
   struct agx_device *dev = bo->dev;

   munmap(bo->map, bo->size);
   agx_bo_bind(bo, false);
   simple_mtx_lock(&dev->vma_lock);
   util_vma_heap_free(agx_heap(dev, bo->flags), bo->va, bo->size);
   simple_mtx_unlock(&dev->vma_lock);
   if (bo->busy_syncobj)
      drmSyncobjDestroy(dev->fd, bo->busy_syncobj);
   uint32_t handle = bo->handle;
   bo->dev = NULL;
   drmCloseBufferHandle(dev->fd, handle);
}

bool
agx_bo_wait(struct agx_bo *bo, int64_t timeout_ns)
{
   if (!bo->busy_syncobj)
      return true;

   int64_t abs = timeout_ns == INT64_MAX ? INT64_MAX
                                         : os_time_get_absolute_timeout(timeout_ns);
   return drmSyncobjWait(bo->dev->fd, &bo->busy_syncobj, 1, abs, 0, NULL) == 0;
}

/* The BO's own sync object, reset: the caller adds it to the out-syncs of
 * the next job that uses the BO. Returns 0 on failure.
 */
uint32_t
agx_bo_fence(struct agx_bo *bo)
{
   int fd = bo->dev->fd;

   if (!bo->busy_syncobj && drmSyncobjCreate(fd, 0, &bo->busy_syncobj))
      return 0;
   if (drmSyncobjReset(fd, &bo->busy_syncobj, 1))
      return 0;
   return bo->busy_syncobj;
}

static unsigned
agx_bucket(uint64_t size)
{
   unsigned l = util_logbase2_ceil64(size);
   return l < AGX_BO_CACHE_MIN_LOG2 ? 0 : l - AGX_BO_CACHE_MIN_LOG2;
}

static void
agx_bo_cache_trim(struct agx_device *dev, int64_t now)
{
   for (unsigned i = 0; i < AGX_BO_CACHE_BUCKETS; i++) {
      list_for_each_entry_safe(struct agx_bo, bo, &dev->cache.buckets[i],
                               cache_link) {
         if (now - bo->cache_time_ns < AGX_BO_CACHE_MAX_AGE_NS &&
             dev->cache.size_B <= AGX_BO_CACHE_MAX_SIZE_B)
            break;
         list_del(&bo->cache_link);
         dev->cache.size_B -= bo->size;
         agx_bo_free(bo);
      }
   }
}

void
agx_bo_cache_evict_all(struct agx_device *dev)
{
   simple_mtx_lock(&dev->bo_lock);
   for (unsigned i = 0; i < AGX_BO_CACHE_BUCKETS; i++) {
      list_for_each_entry_safe(struct agx_bo, bo, &dev->cache.buckets[i],
                               cache_link) {
         list_del(&bo->cache_link);
         dev->cache.size_B -= bo->size;
         agx_bo_free(bo);
      }
   }
   simple_mtx_unlock(&dev->bo_lock);
}

/* An idle cached BO of the same bucket and flags, or NULL. */
static struct agx_bo *
agx_bo_cache_fetch(struct agx_device *dev, uint64_t size, uint32_t flags,
                   const char *label)
{
   struct list_head *bucket = &dev->cache.buckets[agx_bucket(size)];

   list_for_each_entry(struct agx_bo, bo, bucket, cache_link) {
      if (bo->size != size || bo->flags != flags || !agx_bo_wait(bo, 0))
         continue;
      list_del(&bo->cache_link);
      dev->cache.size_B -= bo->size;
      bo->refcnt = 1;
      bo->label = label;
      dev->cache.hits++;
      return bo;
   }
   dev->cache.misses++;
   return NULL;
}

struct agx_bo *
agx_bo_create(struct agx_device *dev, uint64_t size, uint32_t flags,
              const char *label)
{
   if (!size || size > agx_heap(dev, flags)->free_size)
      return NULL;

   /* Cacheable sizes are rounded up to a power of two so that buckets hold
    * interchangeable BOs.
    */
   size = ALIGN_POT(size, AGX_PAGE_SIZE);
   bool cacheable = !(flags & AGX_BO_SHARED) &&
                    util_logbase2_ceil64(size) <= AGX_BO_CACHE_MAX_LOG2;
   if (cacheable)
      size = util_next_power_of_two64(size);

   if (cacheable) {
      simple_mtx_lock(&dev->bo_lock);
      struct agx_bo *bo = agx_bo_cache_fetch(dev, size, flags, label);
      simple_mtx_unlock(&dev->bo_lock);
      if (bo)
         return bo;
   }

   struct drm_asahi_gem_create gc = {.size = size};
   int r = agx_ioctl(dev, DRM_IOCTL_ASAHI_GEM_CREATE, &gc);
   if (r) {
      mesa_loge("agx: GEM_CREATE of %" PRIu64 " B failed: %s", size,
                strerror(-r));
      return NULL;
   }

   simple_mtx_lock(&dev->bo_lock);
   struct agx_bo *bo = agx_bo_setup(dev, gc.handle, size, flags, label);
   simple_mtx_unlock(&dev->bo_lock);
   return bo;
}

void
agx_bo_reference(struct agx_bo *bo)
{
   p_atomic_inc(&bo->refcnt);
}

void
agx_bo_unreference(struct agx_bo *bo)
{
   if (!bo)
      return;

   struct agx_device *dev = bo->dev;

   simple_mtx_lock(&dev->bo_lock);
   /* Under the lock: an import may look the BO up and take a reference. */
   if (p_atomic_dec_zero(&bo->refcnt)) {
      int64_t now = os_time_get_nano();
      bool cacheable = !(bo->flags & (AGX_BO_SHARED | AGX_BO_IMPORTED)) &&
                       util_logbase2_ceil64(bo->size) <= AGX_BO_CACHE_MAX_LOG2;
      if (cacheable) {
         bo->cache_time_ns = now;
         list_addtail(&bo->cache_link,
                      &dev->cache.buckets[agx_bucket(bo->size)]);
         dev->cache.size_B += bo->size;
      } else {
         agx_bo_free(bo);
      }
      agx_bo_cache_trim(dev, now);
   }
   simple_mtx_unlock(&dev->bo_lock);
}

struct agx_bo *
agx_bo_import(struct agx_device *dev, int dmabuf_fd)
{
   uint32_t handle;

   simple_mtx_lock(&dev->bo_lock);
   if (drmPrimeFDToHandle(dev->fd, dmabuf_fd, &handle)) {
      simple_mtx_unlock(&dev->bo_lock);
      mesa_loge("agx: dma-buf import failed: %s", strerror(errno));
      return NULL;
   }

   struct agx_bo *bo = util_sparse_array_get(&dev->bo_map, handle);
   if (bo->dev) {
      /* Already known (imported before, or our own export). */
      p_atomic_inc(&bo->refcnt);
   } else {
      off_t size = lseek(dmabuf_fd, 0, SEEK_END);
      if (size <= 0) {
         drmCloseBufferHandle(dev->fd, handle);
         bo = NULL;
      } else {
         bo = agx_bo_setup(dev, handle, ALIGN_POT(size, AGX_PAGE_SIZE),
                           AGX_BO_SHARED | AGX_BO_IMPORTED, "import");
      }
   }
   simple_mtx_unlock(&dev->bo_lock);
   return bo;
}

/* Returns a dma-buf fd or -1. The BO is no longer cached afterwards. */
int
agx_bo_export(struct agx_bo *bo)
{
   int fd;

   if (drmPrimeHandleToFD(bo->dev->fd, bo->handle, DRM_CLOEXEC | DRM_RDWR,
                          &fd))
      return -1;
   bo->flags |= AGX_BO_SHARED;
   return fd;
}

