/* SPDX-License-Identifier: MIT */
/*
 * The UAPI header must compile first in a C99 translation unit, with only
 * libdrm's drm.h available, and its request codes must be usable as
 * constants (switch cases need integer constant expressions).
 */
#include "drm/asahi_drm.h"

static int classify(unsigned long req)
{
	switch (req) {
	case DRM_IOCTL_ASAHI_GET_PARAMS:
	case DRM_IOCTL_ASAHI_GET_TIME:
	case DRM_IOCTL_ASAHI_VM_CREATE:
	case DRM_IOCTL_ASAHI_VM_DESTROY:
	case DRM_IOCTL_ASAHI_VM_BIND:
	case DRM_IOCTL_ASAHI_GEM_CREATE:
	case DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET:
	case DRM_IOCTL_ASAHI_GEM_BIND_OBJECT:
	case DRM_IOCTL_ASAHI_QUEUE_CREATE:
	case DRM_IOCTL_ASAHI_QUEUE_DESTROY:
	case DRM_IOCTL_ASAHI_SUBMIT:
		return 1;
	default:
		return 0;
	}
}

int main(void)
{
	/* Every asahi request is in the driver range of the DRM ioctl space. */
	unsigned long nr = DRM_IOCTL_ASAHI_SUBMIT & 0xff;

	if (!classify(DRM_IOCTL_ASAHI_SUBMIT) || classify(DRM_IOCTL_VERSION))
		return 1;
	return nr == DRM_COMMAND_BASE + DRM_ASAHI_SUBMIT ? 0 : 1;
}
