/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 */

/*
 * Unit tests of the device layer (agx_device.c, agx_bo.c) on a real asahi render node
 * or the functional drm-shim: VA heap placement, the BO cache, CPU maps
 * and dma-buf round trips. Prints TAP; exit status 0 if all pass.
 *
 *    LD_PRELOAD=libagx_sim_drm_shim.so agx_device_test [/dev/dri/renderD128]
 */

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <xf86drm.h>

#include "agx_device.h"

static unsigned n, failed;

#define CHECK(cond, ...)                                                       \
   do {                                                                        \
      n++;                                                                     \
      if (cond) {                                                              \
         printf("ok %u ", n);                                                  \
      } else {                                                                 \
         failed++;                                                             \
         printf("not ok %u ", n);                                              \
      }                                                                        \
      printf(__VA_ARGS__);                                                     \
      printf("\n");                                                            \
   } while (0)

static bool
in_range(const struct agx_bo *bo, uint64_t lo, uint64_t hi)
{
   return bo && bo->va >= lo && bo->va + bo->size <= hi;
}

int
main(int argc, char **argv)
{
   const char *node = argc > 1 ? argv[1] : "/dev/dri/renderD128";
   struct agx_device dev;

   printf("TAP version 13\n");
   int fd = open(node, O_RDWR | O_CLOEXEC);
   if (fd < 0 || !agx_device_open(&dev, fd)) {
      printf("1..1\nnot ok 1 open %s and create the VM\n", node);
      return 1;
   }
   printf("1..14\n");

   uint64_t kernel_size = dev.kernel_end - dev.kernel_start;
   CHECK(dev.kernel_end <= dev.params.vm_end &&
            dev.params.vm_end - dev.kernel_end < AGX_PAGE_SIZE &&
            kernel_size ==
               MAX2(dev.params.vm_kernel_min_size, AGX_KERNEL_MIN_SIZE),
         "kernel window [0x%" PRIx64 ", 0x%" PRIx64 ") is at the top of the "
         "user range and MAX2(vm_kernel_min_size, 32 GiB) long",
         dev.kernel_start, dev.kernel_end);

   struct agx_bo *usc = agx_bo_create(&dev, 100000, AGX_BO_EXEC, "usc");
   CHECK(in_range(usc, dev.usc_base, dev.usc_base + AGX_USC_HEAP_SIZE),
         "AGX_BO_EXEC BO at 0x%" PRIx64 " is inside the 4 GiB USC carve-out "
         "at 0x%" PRIx64, usc ? usc->va : 0, dev.usc_base);

   struct agx_bo *big = agx_bo_create(&dev, 128ull << 20, 0, "big");
   CHECK(in_range(big, dev.usc_base + AGX_USC_HEAP_SIZE, dev.kernel_start),
         "general 128 MiB BO at 0x%" PRIx64 " is outside the carve-out and "
         "below the kernel window", big ? big->va : 0);
   agx_bo_unreference(big);

   struct agx_bo *a = agx_bo_create(&dev, 40000, 0, "a");
   CHECK(a && a->size == 65536 && a->map,
         "40000 B BO is rounded to its 64 KiB bucket and mapped");

   /* Write through the map, read the same memory through a second map of
    * the GEM object.
    */
   bool same = false;
   if (a) {
      memset(a->map, 0x5a, a->size);
      int dmabuf = agx_bo_export(a);
      struct agx_bo *imp = dmabuf >= 0 ? agx_bo_import(&dev, dmabuf) : NULL;
      CHECK(imp == a && a->refcnt == 2 && (a->flags & AGX_BO_SHARED),
            "dma-buf export + import gives back the same BO, referenced");
      same = imp && ((uint8_t *)imp->map)[a->size - 1] == 0x5a;
      agx_bo_unreference(imp);
      if (dmabuf >= 0)
         close(dmabuf);
   } else {
      CHECK(false, "dma-buf export + import");
   }
   CHECK(same, "CPU writes are visible through the BO's mapping");
   agx_bo_unreference(a);

   /* The cache: a freed idle BO is handed out again for the same size. */
   struct agx_bo *b = agx_bo_create(&dev, 20000, 0, "b");
   uint32_t b_handle = b ? b->handle : 0;
   uint64_t b_va = b ? b->va : 0;
   agx_bo_unreference(b);
   unsigned hits = dev.cache.hits;
   struct agx_bo *c = agx_bo_create(&dev, 30000, 0, "c");
   CHECK(c && c->handle == b_handle && c->va == b_va &&
            dev.cache.hits == hits + 1,
         "freed 32 KiB BO is reused from the cache (same handle and VA)");

   /* Shared BOs are never cached. */
   struct agx_bo *s = agx_bo_create(&dev, 20000, AGX_BO_SHARED, "s");
   uint32_t s_handle = s ? s->handle : 0;
   agx_bo_unreference(s);
   struct agx_bo *s2 = agx_bo_create(&dev, 20000, AGX_BO_SHARED, "s2");
   CHECK(s2 && dev.cache.hits == hits + 1,
         "AGX_BO_SHARED BOs bypass the cache (handle %u then %u)", s_handle,
         s2 ? s2->handle : 0);
   agx_bo_unreference(s2);

   /* A busy BO (its sync object unsignalled) is not reused. */
   uint32_t busy = c ? agx_bo_fence(c) : 0;
   uint32_t c_handle = c ? c->handle : 0;
   agx_bo_unreference(c);
   struct agx_bo *d = agx_bo_create(&dev, 30000, 0, "d");
   CHECK(busy && d && d->handle != c_handle,
         "a BO whose job has not completed is not handed out again");
   CHECK(d && agx_bo_wait(d, 0),
         "a fresh BO is idle");

   /* Once signalled, it is. */
   drmSyncobjSignal(fd, &busy, 1);
   struct agx_bo *e = agx_bo_create(&dev, 30000, 0, "e");
   CHECK(e && e->handle == c_handle,
         "after its sync object signals, the BO is reused");
   agx_bo_unreference(d);
   agx_bo_unreference(e);

   /* Bad input fails cleanly. */
   CHECK(!agx_bo_create(&dev, 0, 0, "zero"), "a 0-byte BO is refused");
   CHECK(!agx_bo_create(&dev, 1ull << 50, 0, "huge"),
         "a BO larger than the heap is refused");

   uint32_t q = agx_queue_create(&dev);
   CHECK(q != 0, "queue created with usc_exec_base = 0x%" PRIx64,
         dev.usc_base);
   agx_queue_destroy(&dev, q);

   agx_bo_unreference(usc);
   agx_device_close(&dev);
   close(fd);
   return failed ? 1 : 0;
}
