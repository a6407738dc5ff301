/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 */

#ifndef AGX_DRM_PUBLIC_H
#define AGX_DRM_PUBLIC_H

struct pipe_screen;
struct pipe_screen_config;

/*
 * Entry point used by the "asahi" drm_driver_descriptor. Returns NULL if the
 * device behind fd does not speak the asahi UAPI. The caller keeps ownership
 * of fd; the screen works on its own duplicate.
 */
struct pipe_screen *
agx_drm_screen_create(int fd, const struct pipe_screen_config *config);

#endif
