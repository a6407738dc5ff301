/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 */

/*
 * A drm-shim backend that pretends to be an asahi kernel driver on a G13G
 * (M1) so that Mesa's loader and the agx screen can be exercised on any
 * machine:
 *
 *    LD_PRELOAD=libagx_noop_drm_shim.so eglinfo -B -p surfaceless
 *
 * Only GET_PARAMS is implemented. Every other asahi ioctl is left to
 * drm-shim, which reports it as unhandled and fails it with EINVAL, so that
 * nothing silently "succeeds". Setting AGX_NOOP_FAIL_GET_PARAMS=1 makes
 * GET_PARAMS fail with ENODEV, to test the driver's error path.
 */

#include <errno.h>
#include <string.h>

#include "drm-shim/drm_shim.h"
#include "util/macros.h"
#include "util/u_debug.h"
#include "util/u_math.h"

#include "drm/asahi_drm.h"

/* Used by drm_shim.c: take over renderD128 even if the host has one. */
bool drm_shim_driver_prefers_first_render_node = true;

/* Values modelled on the T8103 (M1) GPU, a G13G: one die, one cluster with
 * eight cores.
 */
static void
agx_noop_fill_params(struct drm_asahi_params_global *p)
{
   memset(p, 0, sizeof(*p));
   p->gpu_generation = 13;
   p->gpu_variant = 'G';
   p->gpu_revision = 0x10; /* B0 */
   p->chip_id = 0x8103;
   p->num_dies = 1;
   p->num_clusters_total = 1;
   p->num_cores_per_cluster = 8;
   p->max_frequency_khz = 1278000;
   p->core_masks[0] = BITFIELD64_MASK(8);
   p->vm_start = 1ull << 14;
   p->vm_end = (1ull << 39) - 1;
   p->vm_kernel_min_size = 1ull << 32;
   p->max_commands_per_submission = 64;
   p->max_attachments = 16;
   p->command_timestamp_frequency_hz = 24000000;
}

static int
agx_noop_get_params(int fd, unsigned long request, void *arg)
{
   struct drm_asahi_get_params *get = arg;
   struct drm_asahi_params_global params;

   /* drm-shim hands our return value straight back to the caller of
    * ioctl(), so fail the way the kernel does: -1 and errno.
    */
   if (debug_get_bool_option("AGX_NOOP_FAIL_GET_PARAMS", false)) {
      errno = ENODEV;
      return -1;
   }

   if (get->param_group != 0 || get->pad != 0) {
      errno = EINVAL;
      return -1;
   }

   agx_noop_fill_params(&params);

   /* Like the kernel: copy no more than the caller has room for. */
   memcpy((void *)(uintptr_t)get->pointer, &params,
          MIN2(get->size, sizeof(params)));
   return 0;
}

static ioctl_fn_t driver_ioctls[] = {
   [DRM_ASAHI_GET_PARAMS] = agx_noop_get_params,
};

void
drm_shim_driver_init(void)
{
   shim_device.bus_type = DRM_BUS_PLATFORM;
   shim_device.driver_name = "asahi";
   shim_device.driver_ioctls = driver_ioctls;
   shim_device.driver_ioctl_count = ARRAY_SIZE(driver_ioctls);

   /* libdrm describes platform devices from these uevent keys. */
   drm_shim_override_file("DRIVER=asahi\n"
                          "OF_FULLNAME=/soc/gpu@206400000\n"
                          "OF_COMPATIBLE_0=apple,agx-g13g\n"
                          "OF_COMPATIBLE_N=1\n",
                          "/sys/dev/char/%d:%d/device/uevent", DRM_MAJOR,
                          render_node_minor);
}
