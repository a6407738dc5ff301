/* SPDX-License-Identifier: MIT */
/*
 * A small "userspace driver" for the direct API tests: creates a device,
 * a VM, a queue, buffers, binds them and submits compute commands, all
 * through agxsim_direct_ioctl() with the real UAPI structures.
 */
#ifndef DIRECT_FIXTURE_H
#define DIRECT_FIXTURE_H

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "drm.h"
#include "drm/asahi_drm.h"

#include "agx_test.h"
#include "agxsim/direct.h"

#define DX_PAGE        0x4000ull
#define DX_USC_BASE    0x100000000ull          /* 4 GiB: the USC heap */
#define DX_KERNEL_LO   0x7000000000ull
#define DX_KERNEL_HI   (DX_KERNEL_LO + 0x20000000ull)

struct dx {
	struct agxsim_direct *d;
	uint32_t vm, queue;
};

static inline int dx_ioctl(struct dx *x, unsigned long req, void *arg)
{
	return agxsim_direct_ioctl(x->d, req, arg);
}

static inline void dx_init(struct dx *x, uint64_t insn_budget)
{
	struct agxsim_direct_config cfg = { .ram_size_B = 64ull << 20,
					    .insn_budget = insn_budget };
	struct drm_asahi_vm_create vc = { .kernel_start = DX_KERNEL_LO,
					  .kernel_end = DX_KERNEL_HI };
	struct drm_asahi_queue_create qc = { 0 };

	memset(x, 0, sizeof(*x));
	x->d = agxsim_direct_create(&cfg);
	AGX_REQUIRE(x->d, "create failed");
	AGX_REQUIRE(dx_ioctl(x, DRM_IOCTL_ASAHI_VM_CREATE, &vc) == 0, "vm");
	x->vm = vc.vm_id;
	qc.vm_id = x->vm;
	qc.priority = DRM_ASAHI_PRIORITY_MEDIUM;
	qc.usc_exec_base = DX_USC_BASE;
	AGX_REQUIRE(dx_ioctl(x, DRM_IOCTL_ASAHI_QUEUE_CREATE, &qc) == 0, "queue");
	x->queue = qc.queue_id;
}

static inline void dx_fini(struct dx *x)
{
	agxsim_direct_destroy(x->d);
	x->d = NULL;
}

static inline uint32_t dx_bo(struct dx *x, uint64_t size)
{
	struct drm_asahi_gem_create gc = { .size = size };

	AGX_REQUIRE(dx_ioctl(x, DRM_IOCTL_ASAHI_GEM_CREATE, &gc) == 0, "gem");
	return gc.handle;
}

static inline int dx_bind(struct dx *x, uint32_t handle, uint64_t offset,
			  uint64_t range, uint64_t va, uint32_t flags)
{
	struct drm_asahi_gem_bind_op op = {
		.flags = flags, .handle = handle, .offset = offset,
		.range = range, .addr = va,
	};
	struct drm_asahi_vm_bind vb = {
		.vm_id = x->vm, .num_binds = 1, .stride = sizeof(op),
		.userptr = (uintptr_t)&op,
	};

	return dx_ioctl(x, DRM_IOCTL_ASAHI_VM_BIND, &vb);
}

/* A buffer bound read-write at @va; returns its host pointer. */
static inline void *dx_buf(struct dx *x, uint64_t va, uint64_t size, uint32_t *handle)
{
	uint32_t h = dx_bo(x, size);
	uint64_t sz;

	AGX_REQUIRE(dx_bind(x, h, 0, (size + DX_PAGE - 1) & ~(DX_PAGE - 1), va,
			    DRM_ASAHI_BIND_READ | DRM_ASAHI_BIND_WRITE) == 0, "bind");
	if (handle)
		*handle = h;
	return agxsim_direct_gem_ptr(x->d, h, &sz);
}

/* Submit one COMPUTE command; returns the ioctl result. */
static inline int dx_compute(struct dx *x, uint64_t base, uint64_t end)
{
	struct {
		struct drm_asahi_cmd_header h;
		struct drm_asahi_cmd_compute c;
	} __attribute__((packed)) cmd;
	struct drm_asahi_submit s = { 0 };

	memset(&cmd, 0, sizeof(cmd));
	cmd.h.cmd_type = DRM_ASAHI_CMD_COMPUTE;
	cmd.h.size = sizeof(cmd.c);
	cmd.h.vdm_barrier = DRM_ASAHI_BARRIER_NONE;
	cmd.h.cdm_barrier = 0;
	cmd.c.cdm_ctrl_stream_base = base;
	cmd.c.cdm_ctrl_stream_end = end;
	s.cmdbuf = (uintptr_t)&cmd;
	s.cmdbuf_size = sizeof(cmd);
	s.queue_id = x->queue;
	return dx_ioctl(x, DRM_IOCTL_ASAHI_SUBMIT, &s);
}

#endif
