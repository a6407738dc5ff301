/* SPDX-License-Identifier: MIT */
/*
 * agxsim/direct.h - the simulator's direct API: the asahi UAPI
 * (uapi/drm/asahi_drm.h) implemented on the host, for a functional
 * drm-shim that runs Mesa on the simulator without a kernel.
 *
 * One struct agxsim_direct is one open render node of one G13G device:
 *  - "RAM" is a memfd mapped into this process and handed to the
 *    simulator's physical memory (agxsim_physmem);
 *  - GEM objects are physically contiguous ranges of it, zero-filled;
 *    GEM_MMAP_OFFSET returns the object's offset in the memfd, so a shim
 *    can mmap(agxsim_direct_memfd(), offset) to emulate the render node's
 *    mmap;
 *  - every VM gets a UAT context slot whose page tables this code writes
 *    into that memory in the documented format (TTBAT entry, three table
 *    levels, 16 KiB pages); VM_BIND edits them and issues the TLB
 *    invalidations the kernel would;
 *  - SUBMIT runs each command to completion before returning:
 *    DRM_ASAHI_CMD_COMPUTE walks the CDM stream on the GPU model;
 *    DRM_ASAHI_CMD_RENDER calls agxsim_direct_run_render() (render path).
 *
 * Argument validation follows the kernel's contract: unknown flags,
 * non-zero pad/MBZ fields, bad sizes, misaligned or out-of-range
 * addresses give -EINVAL; unknown ids -ENOENT; unknown requests -ENOTTY.
 * Pointers inside arguments (cmdbuf, syncs, userptr, pointer) are host
 * addresses of this process.
 *
 * Sync objects belong to the shim: SUBMIT validates drm_asahi_sync
 * entries but signals nothing; the work is done when SUBMIT returns. A
 * GPU fault or timeout does not fail the ioctl (as with the kernel, whose
 * fences carry the error): it is recorded in agxsim_direct_last_job().
 */
#ifndef AGXSIM_DIRECT_H
#define AGXSIM_DIRECT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "agxsim/gpu.h"
#include "agxsim/mem_if.h"

struct agxsim_direct;
struct agxsim_uat;
struct agxsim_physmem;

struct agxsim_direct_config {
	uint64_t ram_size_B;       /* 0: 256 MiB */
	uint64_t insn_budget;      /* per command; 0: GPU model default */
	FILE *trace;               /* GPU trace (agxsim_gpu_set_trace) */
	unsigned trace_flags;
};

/* NULL on failure (errno set). */
struct agxsim_direct *agxsim_direct_create(const struct agxsim_direct_config *cfg);
void agxsim_direct_destroy(struct agxsim_direct *d);

/*
 * Handle one ioctl: DRM_IOCTL_ASAHI_* and DRM_IOCTL_GEM_CLOSE. Returns 0
 * or a negative errno (like the kernel's handler, before the libc
 * wrapper turns it into -1/errno). Calls are serialised by a lock, so
 * several threads may use one device.
 */
int agxsim_direct_ioctl(struct agxsim_direct *d, unsigned long request, void *arg);

/* The memfd behind RAM (for the shim's mmap); owned by @d. */
int agxsim_direct_memfd(const struct agxsim_direct *d);

/* Host pointer to a GEM object's memory, its size in *size_B; NULL if none. */
void *agxsim_direct_gem_ptr(struct agxsim_direct *d, uint32_t handle,
			    uint64_t *size_B);

/* What the last RENDER/COMPUTE command did. */
struct agxsim_direct_job_result {
	uint64_t seqno;            /* commands run so far on this device */
	uint16_t cmd_type;
	int result;                /* 0, -EFAULT, -EPROTO, -ETIMEDOUT, -ENOSYS */
	struct agxsim_fault fault; /* see agxsim_gpu_run_cdm() */
	char msg[256];
};
const struct agxsim_direct_job_result *agxsim_direct_last_job(const struct agxsim_direct *d);
/* Number of commands that ended with a fault or timeout. */
uint64_t agxsim_direct_failed_jobs(const struct agxsim_direct *d);

/* The device's GPU model (statistics, trace). */
struct agxsim_gpu *agxsim_direct_gpu(struct agxsim_direct *d);
/* The UAT model and physical memory (tests, the render path). */
struct agxsim_uat *agxsim_direct_uat(struct agxsim_direct *d);
struct agxsim_physmem *agxsim_direct_physmem(struct agxsim_direct *d);

/* ---- Render entry point (filled in by the render path) ------------------ */

struct drm_asahi_cmd_render;
struct drm_asahi_attachment;

/* Everything a render command runs with. */
struct agxsim_direct_render_ctx {
	struct agxsim_direct *dev;
	struct agxsim_gpu *gpu;
	/* Job context: CDM-style fetch port (unit VDM), shader port (UL1C),
	 * vm slot, usc_exec_base, sampler heap/count, budget. */
	struct agxsim_gpu_job job;
	struct agxsim_uat *uat;
	uint32_t vm_slot;
	const struct drm_asahi_cmd_render *cmd;
	/* The most recent SET_VERTEX/FRAGMENT_ATTACHMENTS of the submit. */
	const struct drm_asahi_attachment *vertex_att, *fragment_att;
	unsigned vertex_att_count, fragment_att_count;
};

/*
 * Run one render command. Implemented in front/direct/render.c; returns
 * 0 or a negative errno with @fault and ctx->gpu->last_error filled in
 * (convention of agxsim_gpu_run_cdm()). Until the render path lands it
 * returns -ENOSYS.
 */
int agxsim_direct_run_render(struct agxsim_direct_render_ctx *ctx,
			     struct agxsim_fault *fault);

#endif /* AGXSIM_DIRECT_H */
