/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 */

/*
 * A functional drm-shim: an "asahi" render node whose ioctls run on the agx
 * simulator's direct API (tests/sim/include/agxsim/direct.h).
 *
 *    LD_PRELOAD=libagx_sim_drm_shim.so eglinfo -B -p surfaceless
 *
 * Mesa's drm-shim provides the fake node, VERSION, GET_CAP and the mmap
 * plumbing. This file provides:
 *
 *  - every DRM_IOCTL_ASAHI_* and GEM_CLOSE, forwarded to
 *    agxsim_direct_ioctl() (it returns -errno; we turn that into -1/errno);
 *  - BO mmap: GEM_MMAP_OFFSET returns an offset into the simulator's RAM
 *    memfd, which is registered as drm-shim's "iomem region", so mmap() of
 *    the render node maps that memfd directly;
 *  - sync objects: a small table with a signalled bit. SUBMIT on the direct
 *    API is synchronous, so out-syncs are signalled when it returns and
 *    in-syncs have nothing to wait for;
 *  - PRIME export/import within the process (see agx_sim_prime_*).
 *
 * One simulated device serves the whole process: every render-node fd sees
 * the same GEM handles, VMs and queues. AGX_SIM_RAM_MB sets its RAM
 * (default 256 MiB).
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "drm-shim/drm_shim.h"
#include "util/hash_table.h"
#include "util/log.h"
#include "util/macros.h"
#include "util/simple_mtx.h"
#include "util/u_debug.h"
#include "util/u_math.h"

#include "drm/asahi_drm.h"
#include "agxsim/direct.h"

bool drm_shim_driver_prefers_first_render_node = true;

/* drm-shim's table of core ioctls (drm-shim/device.c). We replace the
 * entries for GEM_CLOSE, PRIME and the sync objects.
 */
extern ioctl_fn_t core_ioctls[];

static struct agxsim_direct *sim;
static uint64_t sim_ram_size;

static simple_mtx_t sync_lock = SIMPLE_MTX_INITIALIZER;
/* syncobj handle -> (uintptr_t)signalled + 1 */
static struct hash_table_u64 *syncobjs;
static uint32_t next_syncobj = 1;
/* exported dma-buf fd -> GEM handle + 1 */
static struct hash_table_u64 *prime_fds;

static int
ret_errno(int r)
{
   if (r < 0) {
      errno = -r;
      return -1;
   }
   return 0;
}

static int
agx_sim_forward(int fd, unsigned long request, void *arg)
{
   return ret_errno(agxsim_direct_ioctl(sim, request, arg));
}

/* ---- sync objects --------------------------------------------------- */

static bool
sync_lookup(uint32_t handle, bool *signalled)
{
   void *v = _mesa_hash_table_u64_search(syncobjs, handle);
   if (!v)
      return false;
   *signalled = (uintptr_t)v - 1;
   return true;
}

static void
sync_set(uint32_t handle, bool signalled)
{
   _mesa_hash_table_u64_insert(syncobjs, handle,
                               (void *)(uintptr_t)(signalled + 1));
}

static int
agx_sim_syncobj_create(int fd, unsigned long request, void *arg)
{
   struct drm_syncobj_create *c = arg;
   if (c->flags & ~DRM_SYNCOBJ_CREATE_SIGNALED)
      return ret_errno(-EINVAL);

   simple_mtx_lock(&sync_lock);
   c->handle = next_syncobj++;
   sync_set(c->handle, c->flags & DRM_SYNCOBJ_CREATE_SIGNALED);
   simple_mtx_unlock(&sync_lock);
   return 0;
}

static int
agx_sim_syncobj_destroy(int fd, unsigned long request, void *arg)
{
   struct drm_syncobj_destroy *d = arg;
   bool s;
   int r = -EINVAL;

   simple_mtx_lock(&sync_lock);
   if (sync_lookup(d->handle, &s)) {
      _mesa_hash_table_u64_remove(syncobjs, d->handle);
      r = 0;
   }
   simple_mtx_unlock(&sync_lock);
   return ret_errno(r);
}

/* Nothing is ever pending (SUBMIT is synchronous), so a wait either
 * succeeds at once or, for an unsignalled object that nothing will signal,
 * times out (or fails, when it must wait for a fence to be submitted).
 */
static int
agx_sim_syncobj_wait(int fd, unsigned long request, void *arg)
{
   struct drm_syncobj_wait *w = arg;
   const uint32_t *handles = (const uint32_t *)(uintptr_t)w->handles;
   bool all = w->flags & DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL;
   unsigned signalled = 0, first = ~0u;
   int r = 0;

   if (!w->count_handles || !handles)
      return ret_errno(-EINVAL);

   simple_mtx_lock(&sync_lock);
   for (unsigned i = 0; i < w->count_handles; i++) {
      bool s;
      if (!sync_lookup(handles[i], &s)) {
         r = -ENOENT;
         break;
      }
      if (s) {
         signalled++;
         first = MIN2(first, i);
      }
   }
   simple_mtx_unlock(&sync_lock);
   if (r)
      return ret_errno(r);

   if (all ? signalled == w->count_handles : signalled > 0) {
      w->first_signaled = all ? 0 : first;
      return 0;
   }
   return ret_errno(w->flags & DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT
                       ? -EINVAL : -ETIME);
}

static int
agx_sim_syncobj_array(int fd, unsigned long request, void *arg)
{
   struct drm_syncobj_array *a = arg;
   const uint32_t *handles = (const uint32_t *)(uintptr_t)a->handles;
   bool signal = request == DRM_IOCTL_SYNCOBJ_SIGNAL;
   int r = 0;

   simple_mtx_lock(&sync_lock);
   for (unsigned i = 0; i < a->count_handles && !r; i++) {
      bool s;
      r = sync_lookup(handles[i], &s) ? 0 : -ENOENT;
   }
   for (unsigned i = 0; i < a->count_handles && !r; i++)
      sync_set(handles[i], signal);
   simple_mtx_unlock(&sync_lock);
   return ret_errno(r);
}

/* ---- SUBMIT ------------------------------------------------------------ */

static int
agx_sim_submit(int fd, unsigned long request, void *arg)
{
   struct drm_asahi_submit *s = arg;
   const struct drm_asahi_sync *syncs =
      (const struct drm_asahi_sync *)(uintptr_t)s->syncs;
   unsigned n = s->in_sync_count + s->out_sync_count;
   int r = 0;

   /* Every referenced sync object must exist, like the kernel checks. */
   simple_mtx_lock(&sync_lock);
   for (unsigned i = 0; i < n && syncs; i++) {
      bool sig;
      if (syncs[i].sync_type == DRM_ASAHI_SYNC_SYNCOBJ &&
          !sync_lookup(syncs[i].handle, &sig))
         r = -ENOENT;
   }
   simple_mtx_unlock(&sync_lock);
   if (r)
      return ret_errno(r);

   r = agxsim_direct_ioctl(sim, request, arg);
   if (r)
      return ret_errno(r);

   /* The work is done: signal the out-syncs. A GPU fault does not fail the
    * ioctl (the kernel reports it through the fence); log it.
    */
   const struct agxsim_direct_job_result *job = agxsim_direct_last_job(sim);
   if (job && job->result)
      mesa_loge("agx-sim-shim: command %" PRIu64 " failed (%d): %s",
                job->seqno, job->result, job->msg);

   simple_mtx_lock(&sync_lock);
   for (unsigned i = s->in_sync_count; i < n && syncs; i++)
      sync_set(syncs[i].handle, true);
   simple_mtx_unlock(&sync_lock);
   return 0;
}

/* ---- PRIME --------------------------------------------------------------
 * An exported BO is a dup of the RAM memfd, remembered by fd number, so it
 * can be imported again by the same process through that fd. Other
 * processes cannot use it (there is no per-BO dma-buf).
 */

static int
agx_sim_prime_handle_to_fd(int fd, unsigned long request, void *arg)
{
   struct drm_prime_handle *p = arg;
   uint64_t size;

   if (!agxsim_direct_gem_ptr(sim, p->handle, &size))
      return ret_errno(-ENOENT);

   int dfd = fcntl(agxsim_direct_memfd(sim), F_DUPFD_CLOEXEC, 0);
   if (dfd < 0)
      return -1;

   simple_mtx_lock(&sync_lock);
   _mesa_hash_table_u64_insert(prime_fds, dfd,
                               (void *)(uintptr_t)(p->handle + 1ull));
   simple_mtx_unlock(&sync_lock);
   p->fd = dfd;
   return 0;
}

static int
agx_sim_prime_fd_to_handle(int fd, unsigned long request, void *arg)
{
   struct drm_prime_handle *p = arg;

   simple_mtx_lock(&sync_lock);
   void *v = _mesa_hash_table_u64_search(prime_fds, p->fd);
   simple_mtx_unlock(&sync_lock);
   if (!v)
      return ret_errno(-EINVAL);

   p->handle = (uintptr_t)v - 1;
   return 0;
}

/* ---- mmap --------------------------------------------------------------- */

static void *
agx_sim_mmap(size_t length, int prot, int flags, off64_t offset)
{
   return mmap(NULL, length, prot, flags, agxsim_direct_memfd(sim), offset);
}

static ioctl_fn_t driver_ioctls[] = {
   [DRM_ASAHI_GET_PARAMS] = agx_sim_forward,
   [DRM_ASAHI_GET_TIME] = agx_sim_forward,
   [DRM_ASAHI_VM_CREATE] = agx_sim_forward,
   [DRM_ASAHI_VM_DESTROY] = agx_sim_forward,
   [DRM_ASAHI_VM_BIND] = agx_sim_forward,
   [DRM_ASAHI_GEM_CREATE] = agx_sim_forward,
   [DRM_ASAHI_GEM_MMAP_OFFSET] = agx_sim_forward,
   [DRM_ASAHI_GEM_BIND_OBJECT] = agx_sim_forward,
   [DRM_ASAHI_QUEUE_CREATE] = agx_sim_forward,
   [DRM_ASAHI_QUEUE_DESTROY] = agx_sim_forward,
   [DRM_ASAHI_SUBMIT] = agx_sim_submit,
};

void
drm_shim_driver_init(void)
{
   struct agxsim_direct_config cfg = {
      .ram_size_B = debug_get_num_option("AGX_SIM_RAM_MB", 256) << 20,
   };

   /* AGX_SIM_TRACE=<bits> traces the simulated GPU to stderr: 1 control
    * streams, 2 USC words, 4 every instruction (AGXSIM_GPU_TRACE_*).
    */
   unsigned trace = debug_get_num_option("AGX_SIM_TRACE", 0);
   if (trace) {
      cfg.trace = stderr;
      cfg.trace_flags = trace & AGXSIM_GPU_TRACE_ALL;
   }

   sim = agxsim_direct_create(&cfg);
   if (!sim) {
      mesa_loge("agx-sim-shim: agxsim_direct_create failed: %s",
                strerror(errno));
      return;
   }
   sim_ram_size = cfg.ram_size_B;
   syncobjs = _mesa_hash_table_u64_create(NULL);
   prime_fds = _mesa_hash_table_u64_create(NULL);

   shim_device.bus_type = DRM_BUS_PLATFORM;
   shim_device.driver_name = "asahi";
   shim_device.driver_ioctls = driver_ioctls;
   shim_device.driver_ioctl_count = ARRAY_SIZE(driver_ioctls);

   core_ioctls[_IOC_NR(DRM_IOCTL_GEM_CLOSE)] = agx_sim_forward;
   core_ioctls[_IOC_NR(DRM_IOCTL_PRIME_HANDLE_TO_FD)] =
      agx_sim_prime_handle_to_fd;
   core_ioctls[_IOC_NR(DRM_IOCTL_PRIME_FD_TO_HANDLE)] =
      agx_sim_prime_fd_to_handle;
   core_ioctls[_IOC_NR(DRM_IOCTL_SYNCOBJ_CREATE)] = agx_sim_syncobj_create;
   core_ioctls[_IOC_NR(DRM_IOCTL_SYNCOBJ_DESTROY)] = agx_sim_syncobj_destroy;
   core_ioctls[_IOC_NR(DRM_IOCTL_SYNCOBJ_WAIT)] = agx_sim_syncobj_wait;
   core_ioctls[_IOC_NR(DRM_IOCTL_SYNCOBJ_RESET)] = agx_sim_syncobj_array;
   core_ioctls[_IOC_NR(DRM_IOCTL_SYNCOBJ_SIGNAL)] = agx_sim_syncobj_array;

   /* GEM_MMAP_OFFSET offsets are memfd offsets: map them 1:1. */
   drm_shim_init_iomem_region(0, sim_ram_size, agx_sim_mmap);

   drm_shim_override_file("DRIVER=asahi\n"
                          "OF_FULLNAME=/soc/gpu@206400000\n"
                          "OF_COMPATIBLE_0=apple,agx-g13g\n"
                          "OF_COMPATIBLE_N=1\n",
                          "/sys/dev/char/%d:%d/device/uevent", DRM_MAJOR,
                          render_node_minor);
}
