/* SPDX-License-Identifier: MIT */
/*
 * agx_kernel_test.h - helpers shared by the test programs that run inside
 * the VM against agx.ko: which render node to open, and an ioctl wrapper
 * that returns 0 or -errno so tests can compare error codes directly.
 */
#ifndef AGX_KERNEL_TEST_H
#define AGX_KERNEL_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "agx_test.h"

/* The node under test: $AGX_RENDER_NODE, or the first render node. */
static inline const char *render_node(void)
{
	const char *path = getenv("AGX_RENDER_NODE");

	return path && path[0] ? path : "/dev/dri/renderD128";
}

/* Open the node; the test stops here if it cannot be opened. */
static inline int open_node(void)
{
	int fd = open(render_node(), O_RDWR | O_CLOEXEC);

	AGX_REQUIRE(fd >= 0, "open %s: %s", render_node(), strerror(errno));
	return fd;
}

/* ioctl() restarted on EINTR/EAGAIN; returns 0 or -errno. */
static inline int xioctl(int fd, unsigned long req, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, req, arg);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN));
	return ret == -1 ? -errno : 0;
}

#endif /* AGX_KERNEL_TEST_H */
