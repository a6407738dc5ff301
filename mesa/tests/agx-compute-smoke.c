/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 */

/*
 * Compute smoke test of the host path at the ioctl level: on an "asahi"
 * render node (the functional drm-shim, i.e. the simulator) it creates a
 * VM with the kernel window at the top, GEM objects mapped with
 * GEM_MMAP_OFFSET and bound with VM_BIND, a queue whose usc_exec_base is a
 * 4 GiB USC carve-out, writes a CDM control stream and USC words with
 * genxml's AGX_PACK and a shader from the simulator's test assembler, then
 * SUBMITs a DRM_ASAHI_CMD_COMPUTE with an out sync object, waits on it and
 * checks out[i] = in[i] * 2 + K.
 *
 * Built by check-sim-shim.sh with agx_pack.h (generated from
 * mesa/genxml) and tests/sim/isa/tests/asm.c. Prints TAP.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xf86drm.h>

#include "agx_pack.h"
#include "asm.h"
#include "drm/asahi_drm.h"

#define PAGE        0x4000ull
#define USC_SIZE    (4ull << 30)
#define N           100          /* threads: not a multiple of the group */
#define K           17

/* Offsets in the USC BO (the shader side: code, USC words, uniforms). */
#define CODE_OFF    0x400u
#define USC_OFF     0x1000u
#define UNI_OFF     0x2000u

static unsigned n, failed;

static void
check(bool ok, const char *what)
{
   n++;
   if (!ok)
      failed++;
   printf("%s %u %s\n", ok ? "ok" : "not ok", n, what);
}

static int fd;

static int
xioctl(unsigned long req, void *arg)
{
   return drmIoctl(fd, req, arg) ? -errno : 0;
}

struct bo {
   uint32_t handle;
   uint64_t va, size;
   void *map;
};

static bool
bo_new(struct bo *bo, uint32_t vm, uint64_t va, uint64_t size)
{
   struct drm_asahi_gem_create gc = {.size = size};
   if (xioctl(DRM_IOCTL_ASAHI_GEM_CREATE, &gc))
      return false;

   struct drm_asahi_gem_mmap_offset mo = {.handle = gc.handle};
   if (xioctl(DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET, &mo))
      return false;
   bo->map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
                  mo.offset);
   if (bo->map == MAP_FAILED)
      return false;

   struct drm_asahi_gem_bind_op op = {
      .flags = DRM_ASAHI_BIND_READ | DRM_ASAHI_BIND_WRITE,
      .handle = gc.handle,
      .range = size,
      .addr = va,
   };
   struct drm_asahi_vm_bind vb = {
      .vm_id = vm, .num_binds = 1, .stride = sizeof(op),
      .userptr = (uintptr_t)&op,
   };
   if (xioctl(DRM_IOCTL_ASAHI_VM_BIND, &vb))
      return false;

   bo->handle = gc.handle;
   bo->va = va;
   bo->size = size;
   return true;
}

/* out[x] = in[x] * 2 + K. Uniforms: u0-u1 in, u2-u3 out, u4 K. */
static size_t
shader(uint8_t *dst)
{
   struct asm_buf b = {.len = 0};

   asm_get_sr(&b, R(1), 80);                                /* x */
   asm_device(&b, false, 2, 0x1, R(4), U(0), R(1), true, 0); /* r4 = in[x] */
   asm_wait(&b, 0);
   asm_iadd(&b, R(5), U(4), R(4), 1, false, false);         /* K + r4 << 1 */
   asm_device(&b, true, 2, 0x1, R(5), U(2), R(1), true, 0);  /* out[x] = r5 */
   asm_stop(&b);
   memcpy(dst, b.b, b.len);
   return b.len;
}

int
main(void)
{
   printf("TAP version 13\n1..9\n");

   fd = open("/dev/dri/renderD128", O_RDWR | O_CLOEXEC);
   drmVersionPtr ver = fd >= 0 ? drmGetVersion(fd) : NULL;
   check(ver && !strcmp(ver->name, "asahi"), "render node driver is asahi");
   if (!ver)
      return 1;
   drmFreeVersion(ver);

   struct drm_asahi_params_global p = {0};
   struct drm_asahi_get_params gp = {
      .pointer = (uintptr_t)&p, .size = sizeof(p),
   };
   check(!xioctl(DRM_IOCTL_ASAHI_GET_PARAMS, &gp), "GET_PARAMS");

   /* Kernel window at the top of the user range, MAX2(min, 32 GiB). */
   uint64_t ksize = p.vm_kernel_min_size > (32ull << 30) ? p.vm_kernel_min_size
                                                         : (32ull << 30);
   uint64_t kstart = (p.vm_end - ksize) & ~(PAGE - 1);
   struct drm_asahi_vm_create vc = {
      .kernel_start = kstart, .kernel_end = kstart + ksize,
   };
   check(!xioctl(DRM_IOCTL_ASAHI_VM_CREATE, &vc), "VM_CREATE");

   /* USC carve-out at 4 GiB, data above it. */
   uint64_t usc_base = USC_SIZE, data = usc_base + USC_SIZE;
   struct bo usc, stream, in, out;
   bool ok = bo_new(&usc, vc.vm_id, usc_base, 0x10000) &&
             bo_new(&stream, vc.vm_id, data, PAGE) &&
             bo_new(&in, vc.vm_id, data + 0x100000, PAGE) &&
             bo_new(&out, vc.vm_id, data + 0x200000, PAGE);
   check(ok, "GEM_CREATE + GEM_MMAP_OFFSET + mmap + VM_BIND of 4 BOs");
   if (!ok)
      return 1;

   struct drm_asahi_queue_create qc = {
      .vm_id = vc.vm_id,
      .priority = DRM_ASAHI_PRIORITY_MEDIUM,
      .usc_exec_base = usc_base,
   };
   check(!xioctl(DRM_IOCTL_ASAHI_QUEUE_CREATE, &qc), "QUEUE_CREATE");

   uint32_t *src = in.map, *dst = out.map;
   for (unsigned i = 0; i < PAGE / 4; i++) {
      src[i] = i * 3 + 1;
      dst[i] = 0xdeadbeef;
   }

   /* Shader, uniforms and USC words in the USC BO. */
   uint8_t *u = usc.map;
   shader(u + CODE_OFF);
   uint32_t k = K;
   memcpy(u + UNI_OFF, &in.va, 8);
   memcpy(u + UNI_OFF + 8, &out.va, 8);
   memcpy(u + UNI_OFF + 16, &k, 4);

   uint8_t *w = u + USC_OFF;
   AGX_PACK(w, USC_UNIFORM, cfg) {
      cfg.start_halfs = 0;
      cfg.size_halfs = 10;
      cfg.buffer = usc_base + UNI_OFF;
   }
   w += AGX_USC_UNIFORM_LENGTH;
   AGX_PACK(w, USC_SHARED, cfg) {
      cfg.layout = AGX_SHARED_LAYOUT_VERTEX_COMPUTE;
      cfg.bytes_per_threadgroup = 65536;
   }
   w += AGX_USC_SHARED_LENGTH;
   AGX_PACK(w, USC_SHADER, cfg) {
      cfg.code = CODE_OFF;
      cfg.unk_10 = 3;
   }
   w += AGX_USC_SHADER_LENGTH;
   AGX_PACK(w, USC_REGISTERS, cfg) {
      cfg.register_count = 8;
   }
   w += AGX_USC_REGISTERS_LENGTH;
   AGX_PACK(w, USC_NO_PRESHADER, cfg);

   /* CDM stream: one direct launch, a barrier, terminate. */
   uint8_t *s = stream.map;
   AGX_PACK(s, CDM_LAUNCH_WORD_0, cfg) {
      cfg.uniform_register_count = 10;
      cfg.mode = AGX_CDM_MODE_DIRECT;
   }
   s += AGX_CDM_LAUNCH_WORD_0_LENGTH;
   AGX_PACK(s, CDM_LAUNCH_WORD_1, cfg) {
      cfg.pipeline = USC_OFF;
   }
   s += AGX_CDM_LAUNCH_WORD_1_LENGTH;
   AGX_PACK(s, CDM_GLOBAL_SIZE, cfg) {
      cfg.x = N;
      cfg.y = 1;
      cfg.z = 1;
   }
   s += AGX_CDM_GLOBAL_SIZE_LENGTH;
   AGX_PACK(s, CDM_LOCAL_SIZE, cfg) {
      cfg.x = 32;
      cfg.y = 1;
      cfg.z = 1;
   }
   s += AGX_CDM_LOCAL_SIZE_LENGTH;
   AGX_PACK(s, CDM_BARRIER, cfg) {
      cfg.usc_cache_inval = true;
      cfg.unk_5 = true;
      cfg.unk_6 = true;
      cfg.unk_8 = true;
   }
   s += AGX_CDM_BARRIER_LENGTH;
   AGX_PACK(s, CDM_STREAM_TERMINATE, cfg);
   s += AGX_CDM_STREAM_TERMINATE_LENGTH;

   struct {
      struct drm_asahi_cmd_header h;
      struct drm_asahi_cmd_compute c;
   } __attribute__((packed)) cmd = {
      .h = {
         .cmd_type = DRM_ASAHI_CMD_COMPUTE,
         .size = sizeof(struct drm_asahi_cmd_compute),
         .vdm_barrier = DRM_ASAHI_BARRIER_NONE,
         .cdm_barrier = 0,
      },
      .c = {
         .cdm_ctrl_stream_base = stream.va,
         .cdm_ctrl_stream_end = stream.va + (s - (uint8_t *)stream.map),
      },
   };

   uint32_t syncobj = 0;
   drmSyncobjCreate(fd, 0, &syncobj);
   struct drm_asahi_sync out_sync = {
      .sync_type = DRM_ASAHI_SYNC_SYNCOBJ, .handle = syncobj,
   };
   struct drm_asahi_submit sub = {
      .syncs = (uintptr_t)&out_sync,
      .cmdbuf = (uintptr_t)&cmd,
      .queue_id = qc.queue_id,
      .out_sync_count = 1,
      .cmdbuf_size = sizeof(cmd),
   };
   int r = xioctl(DRM_IOCTL_ASAHI_SUBMIT, &sub);
   printf("# SUBMIT: %d\n", r);
   check(r == 0, "SUBMIT of a DRM_ASAHI_CMD_COMPUTE with an out-syncobj");
   check(syncobj && drmSyncobjWait(fd, &syncobj, 1, INT64_MAX, 0, NULL) == 0,
         "out-syncobj signalled");

   uint32_t never = 0;
   drmSyncobjCreate(fd, 0, &never);
   check(never && drmSyncobjWait(fd, &never, 1, 0, 0, NULL) == -ETIME,
         "an unsignalled syncobj nothing was submitted for times out");

   unsigned bad = 0;
   for (unsigned i = 0; i < PAGE / 4; i++) {
      uint32_t want = i < N ? (i * 3 + 1) * 2 + K : 0xdeadbeef;
      if (dst[i] != want && bad++ < 4)
         printf("# out[%u] = 0x%x, want 0x%x\n", i, dst[i], want);
   }
   check(bad == 0, "out[i] = in[i] * 2 + 17 for 100 threads, rest untouched");

   struct drm_asahi_queue_destroy qd = {.queue_id = qc.queue_id};
   xioctl(DRM_IOCTL_ASAHI_QUEUE_DESTROY, &qd);
   close(fd);
   return failed ? 1 : 0;
}
