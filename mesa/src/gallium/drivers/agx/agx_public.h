/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 */

#ifndef AGX_PUBLIC_H
#define AGX_PUBLIC_H

struct drm_asahi_params_global;
struct pipe_screen;
struct pipe_screen_config;

/*
 * Creates the pipe_screen for an open asahi render node. On success the
 * screen takes ownership of fd and closes it when destroyed; on failure fd is
 * left open. params is the device description from GET_PARAMS group 0.
 */
struct pipe_screen *
agx_screen_create(int fd, const struct drm_asahi_params_global *params,
                  const struct pipe_screen_config *config);

#endif
