/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <xf86drm.h>

#include "pipe/p_screen.h"
#include "util/log.h"
#include "util/os_file.h"
#include "util/u_screen.h"

#include "agx/agx_public.h"
#include "agx_drm_public.h"

#include "drm/asahi_drm.h"

/* Parameter group 0 is the only one the UAPI defines. */
static bool
agx_drm_get_params(int fd, struct drm_asahi_params_global *params)
{
   struct drm_asahi_get_params get = {
      .param_group = 0,
      .pointer = (uintptr_t)params,
      .size = sizeof(*params),
   };

   memset(params, 0, sizeof(*params));

   if (drmIoctl(fd, DRM_IOCTL_ASAHI_GET_PARAMS, &get)) {
      mesa_loge("agx: DRM_IOCTL_ASAHI_GET_PARAMS failed: %s", strerror(errno));
      return false;
   }

   return true;
}

/* Called by u_pipe_screen_lookup_or_create() with our duplicated fd. */
static struct pipe_screen *
agx_drm_create_screen_cb(int fd, const struct pipe_screen_config *config,
                         struct renderonly *ro)
{
   struct drm_asahi_params_global params;

   if (!agx_drm_get_params(fd, &params))
      return NULL;

   return agx_screen_create(fd, &params, config);
}

struct pipe_screen *
agx_drm_screen_create(int fd, const struct pipe_screen_config *config)
{
   int dup_fd = os_dupfd_cloexec(fd);
   if (dup_fd < 0) {
      mesa_loge("agx: failed to duplicate the DRM fd: %s", strerror(errno));
      return NULL;
   }

   struct pipe_screen *screen = u_pipe_screen_lookup_or_create(
      dup_fd, config, NULL, agx_drm_create_screen_cb);

   /* The screen owns dup_fd only if it was created from it just now; on
    * failure, or when an existing screen for the same file description was
    * reused, the duplicate is ours to close.
    */
   if (!screen || screen->get_screen_fd(screen) != dup_fd)
      close(dup_fd);

   return screen;
}
