/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
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

/* 0 or -errno. drm-shim hands back a handler's raw negative return value,
 * so a result other than -1 is taken as the error itself.
 */
int
agx_ioctl(struct agx_device *dev, unsigned long req, void *arg)
{
   int ret = drmIoctl(dev->fd, req, arg);
   if (ret == 0)
      return 0;
   if (ret == -1)
      return errno ? -errno : -EIO;
   return ret < 0 ? ret : -EIO;
}

bool
agx_device_open(struct agx_device *dev, int fd)
{
   struct drm_asahi_get_params get = {
      .param_group = 0,
      .pointer = (uintptr_t)&dev->params,
      .size = sizeof(dev->params),
   };
   int r;

   memset(dev, 0, sizeof(*dev));
   dev->fd = fd;

   r = agx_ioctl(dev, DRM_IOCTL_ASAHI_GET_PARAMS, &get);
   if (r) {
      mesa_loge("agx: DRM_IOCTL_ASAHI_GET_PARAMS failed: %s", strerror(-r));
      return false;
   }

   const struct drm_asahi_params_global *p = &dev->params;
   uint64_t kernel_size = MAX2(p->vm_kernel_min_size, AGX_KERNEL_MIN_SIZE);
   uint64_t start = ALIGN_POT(MAX2(p->vm_start, AGX_PAGE_SIZE),
                              AGX_USC_HEAP_SIZE);

   /* vm_end is exclusive. The kernel window takes the top of the range;
    * below it the USC heap sits at the first 4 GiB boundary, then the
    * general heap.
    */
   if (p->vm_end <= kernel_size ||
       ROUND_DOWN_TO(p->vm_end - kernel_size, AGX_PAGE_SIZE) <
          start + AGX_USC_HEAP_SIZE + AGX_PAGE_SIZE) {
      mesa_loge("agx: VA range 0x%" PRIx64 "-0x%" PRIx64 " too small",
                (uint64_t)p->vm_start, (uint64_t)p->vm_end);
      return false;
   }
   dev->kernel_start = ROUND_DOWN_TO(p->vm_end - kernel_size, AGX_PAGE_SIZE);
   dev->kernel_end = dev->kernel_start + kernel_size;
   dev->usc_base = start;

   struct drm_asahi_vm_create vc = {
      .kernel_start = dev->kernel_start,
      .kernel_end = dev->kernel_end,
   };
   r = agx_ioctl(dev, DRM_IOCTL_ASAHI_VM_CREATE, &vc);
   if (r) {
      mesa_loge("agx: DRM_IOCTL_ASAHI_VM_CREATE failed: %s", strerror(-r));
      return false;
   }
   dev->vm_id = vc.vm_id;

   simple_mtx_init(&dev->vma_lock, mtx_plain);
   simple_mtx_init(&dev->bo_lock, mtx_plain);
   util_vma_heap_init(&dev->usc_heap, dev->usc_base, AGX_USC_HEAP_SIZE);
   uint64_t heap_start = dev->usc_base + AGX_USC_HEAP_SIZE;
   util_vma_heap_init(&dev->main_heap, heap_start,
                      dev->kernel_start - heap_start);
   /* Bottom-up: the lowest free range first. */
   dev->usc_heap.alloc_high = false;
   dev->main_heap.alloc_high = false;
   util_sparse_array_init(&dev->bo_map, sizeof(struct agx_bo), 512);
   for (unsigned i = 0; i < AGX_BO_CACHE_BUCKETS; i++)
      list_inithead(&dev->cache.buckets[i]);

   return true;
}

void
agx_device_close(struct agx_device *dev)
{
   struct drm_asahi_vm_destroy vd = {.vm_id = dev->vm_id};

   agx_bo_cache_evict_all(dev);
   agx_ioctl(dev, DRM_IOCTL_ASAHI_VM_DESTROY, &vd);
   util_vma_heap_finish(&dev->main_heap);
   util_vma_heap_finish(&dev->usc_heap);
   util_sparse_array_finish(&dev->bo_map);
   simple_mtx_destroy(&dev->vma_lock);
   simple_mtx_destroy(&dev->bo_lock);
}

/* ---- queues and submission ------------------------------------------------ */

uint32_t
agx_queue_create(struct agx_device *dev)
{
   struct drm_asahi_queue_create qc = {
      .vm_id = dev->vm_id,
      .priority = DRM_ASAHI_PRIORITY_MEDIUM,
      .usc_exec_base = dev->usc_base,
   };
   int r = agx_ioctl(dev, DRM_IOCTL_ASAHI_QUEUE_CREATE, &qc);
   if (r) {
      mesa_loge("agx: QUEUE_CREATE failed: %s", strerror(-r));
      return 0;
   }
   /* Queue ids may be 0; callers get id + 1 so that 0 means "none". */
   return qc.queue_id + 1;
}

void
agx_queue_destroy(struct agx_device *dev, uint32_t queue)
{
   struct drm_asahi_queue_destroy qd = {.queue_id = queue - 1};
   if (queue)
      agx_ioctl(dev, DRM_IOCTL_ASAHI_QUEUE_DESTROY, &qd);
}

int
agx_submit(struct agx_device *dev, uint32_t queue, const void *cmdbuf,
           uint32_t cmdbuf_size, const uint32_t *in_syncobjs,
           unsigned in_count, const uint32_t *out_syncobjs,
           unsigned out_count)
{
   unsigned n = in_count + out_count;
   struct drm_asahi_sync *syncs = n ? CALLOC(n, sizeof(*syncs)) : NULL;

   if (!queue || (n && !syncs)) {
      FREE(syncs);
      return -EINVAL;
   }

   for (unsigned i = 0; i < n; i++) {
      syncs[i].sync_type = DRM_ASAHI_SYNC_SYNCOBJ;
      syncs[i].handle = i < in_count ? in_syncobjs[i]
                                     : out_syncobjs[i - in_count];
   }

   struct drm_asahi_submit s = {
      .syncs = (uintptr_t)syncs,
      .cmdbuf = (uintptr_t)cmdbuf,
      .queue_id = queue - 1,
      .in_sync_count = in_count,
      .out_sync_count = out_count,
      .cmdbuf_size = cmdbuf_size,
   };
   int r = agx_ioctl(dev, DRM_IOCTL_ASAHI_SUBMIT, &s);
   FREE(syncs);
   return r;
}
