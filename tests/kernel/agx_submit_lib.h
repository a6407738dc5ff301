/* SPDX-License-Identifier: MIT */
/*
 * agx_submit_lib.h - the shared pieces of the queue/SUBMIT tests, so each
 * test reads like an IGT test: open a context (file + VM + USC heap), make
 * buffers that are created, mapped and bound in one call, create queues,
 * build a real compute job (a shader assembled with the simulator tests'
 * assembler, tests/sim/isa/tests/asm.h; USC words and the CDM stream packed
 * with agx_pack.h through tests/sim/gpu/tests/gpu_test_util.c), submit it
 * with sync objects and read a fence's error back through a sync_file.
 *
 * Address layout of every test VM (all inside [vm_start, vm_end]):
 *
 *   0x0001_0000_0000  USC heap (AGXT_USC_BASE, the queues' usc_exec_base):
 *                     one 16 KiB slot per job (code, USC words, uniforms,
 *                     CDM stream), see agxt_job_*()
 *   0x0002_0000_0000  data buffers (agxt_bo_new() hands out addresses)
 *   0x0060_0000_0000  the kernel window (AGXT_KERNEL_START, 4 GiB)
 *
 * Every function is static here: agx_test.h keeps its state (where
 * AGX_REQUIRE jumps to) per translation unit, so the helpers that stop a
 * test must live in the test's own unit.
 */
#ifndef AGX_SUBMIT_LIB_H
#define AGX_SUBMIT_LIB_H

#include <stdbool.h>
#include <stdint.h>

#include "drm/asahi_drm.h"
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/sync_file.h>
#include <xf86drm.h>

#include "agx_kernel_test.h"
#include "asm.h"
#include "gpu_test_util.h"

#define AGXT_UNUSED __attribute__((unused))

#define AGXT_PAGE 0x4000ull
#define AGXT_USC_BASE 0x100000000ull
#define AGXT_USC_SIZE (2ull << 20)
#define AGXT_DATA_BASE 0x200000000ull
#define AGXT_KERNEL_START 0x6000000000ull
#define AGXT_KERNEL_END 0x6100000000ull
#define AGXT_JOB_SLOT 0x4000u

/* One open file with one VM and its USC heap. */
struct agxt_ctx {
	int fd;
	uint32_t vm_id;
	struct drm_asahi_params_global params;
	uint32_t usc_handle;
	uint8_t *usc;             /* CPU view of the USC heap */
	unsigned next_slot;       /* job slots handed out */
	uint64_t next_va;         /* next data address */
};

struct agxt_bo {
	uint32_t handle;
	uint64_t size_B;
	uint64_t va;              /* 0 when not bound */
	void *map;
};

/* A compute job in one USC-heap slot, ready to submit. */
struct agxt_job {
	struct drm_asahi_cmd_compute cmd;
	uint32_t slot_off;        /* slot offset from AGXT_USC_BASE */
};

/* Kinds of shader agxt_job_build() assembles. */
enum agxt_shader {
	/* out[gid] = gid + k */
	AGXT_SHADER_FILL,
	/* out[gid] = in[gid] + k */
	AGXT_SHADER_ADD,
	/* r = 0; do r++ while (r < loops); out[gid] = r + k: runs long */
	AGXT_SHADER_LOOP,
};

struct agxt_job_desc {
	enum agxt_shader shader;
	uint64_t out_va, in_va;
	uint32_t k;
	uint32_t loops;           /* AGXT_SHADER_LOOP */
	uint32_t threads;         /* global size; 0: 100 */
};

static inline struct drm_asahi_sync agxt_sync_bin(uint32_t handle)
{
	return (struct drm_asahi_sync){ .sync_type = DRM_ASAHI_SYNC_SYNCOBJ, .handle = handle };
}

static inline struct drm_asahi_sync agxt_sync_tl(uint32_t handle, uint64_t point)
{
	return (struct drm_asahi_sync){ .sync_type = DRM_ASAHI_SYNC_TIMELINE_SYNCOBJ,
					.handle = handle, .timeline_value = point };
}

/* Offsets inside a job slot. */
#define AGXT_SLOT_CODE 0x400u
#define AGXT_SLOT_USC 0x1000u
#define AGXT_SLOT_UNIFORMS 0x2000u
#define AGXT_SLOT_STREAM 0x3000u

static AGXT_UNUSED uint64_t agxt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static AGXT_UNUSED int agxt_get_params(int fd, struct drm_asahi_params_global *p)
{
	struct drm_asahi_get_params g = { .pointer = (uintptr_t)p, .size = sizeof(*p) };

	return xioctl(fd, DRM_IOCTL_ASAHI_GET_PARAMS, &g);
}

static AGXT_UNUSED int agxt_vm_create(int fd, uint64_t kstart, uint64_t kend, uint32_t *vm_id)
{
	struct drm_asahi_vm_create c = { .kernel_start = kstart, .kernel_end = kend };
	int ret = xioctl(fd, DRM_IOCTL_ASAHI_VM_CREATE, &c);

	*vm_id = c.vm_id;
	return ret;
}

static AGXT_UNUSED int agxt_vm_destroy(int fd, uint32_t vm_id)
{
	struct drm_asahi_vm_destroy d = { .vm_id = vm_id };

	return xioctl(fd, DRM_IOCTL_ASAHI_VM_DESTROY, &d);
}

static AGXT_UNUSED int agxt_gem_create(int fd, uint64_t size_B, uint32_t flags, uint32_t vm_id,
		    uint32_t *handle)
{
	struct drm_asahi_gem_create c = { .size = size_B, .flags = flags, .vm_id = vm_id };
	int ret = xioctl(fd, DRM_IOCTL_ASAHI_GEM_CREATE, &c);

	*handle = c.handle;
	return ret;
}

static AGXT_UNUSED int agxt_gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close c = { .handle = handle };

	return xioctl(fd, DRM_IOCTL_GEM_CLOSE, &c);
}

static AGXT_UNUSED void *agxt_gem_map(int fd, uint32_t handle, uint64_t size_B)
{
	struct drm_asahi_gem_mmap_offset m = { .handle = handle };
	void *p;

	AGX_REQUIRE(xioctl(fd, DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET, &m) == 0, "mmap_offset");
	p = mmap(NULL, size_B, PROT_READ | PROT_WRITE, MAP_SHARED, fd, m.offset);
	AGX_REQUIRE(p != MAP_FAILED, "mmap: %s", strerror(errno));
	return p;
}

static AGXT_UNUSED int agxt_vm_bind(int fd, uint32_t vm_id, uint32_t flags, uint32_t handle,
		 uint64_t offset, uint64_t range, uint64_t addr)
{
	struct drm_asahi_gem_bind_op op = {
		.flags = flags, .handle = handle, .offset = offset, .range = range,
		.addr = addr,
	};
	struct drm_asahi_vm_bind b = {
		.vm_id = vm_id, .num_binds = 1, .stride = sizeof(op),
		.userptr = (uintptr_t)&op,
	};

	return xioctl(fd, DRM_IOCTL_ASAHI_VM_BIND, &b);
}

static AGXT_UNUSED void agxt_ctx_init_fd(struct agxt_ctx *c, int fd)
{
	int ret;

	memset(c, 0, sizeof(*c));
	c->fd = fd;
	ret = agxt_get_params(fd, &c->params);
	AGX_REQUIRE(ret == 0, "GET_PARAMS: %s", strerror(-ret));
	ret = agxt_vm_create(fd, AGXT_KERNEL_START, AGXT_KERNEL_END, &c->vm_id);
	AGX_REQUIRE(ret == 0, "VM_CREATE: %s", strerror(-ret));
	ret = agxt_gem_create(fd, AGXT_USC_SIZE, DRM_ASAHI_GEM_WRITEBACK, 0, &c->usc_handle);
	AGX_REQUIRE(ret == 0, "GEM_CREATE (USC heap): %s", strerror(-ret));
	c->usc = agxt_gem_map(fd, c->usc_handle, AGXT_USC_SIZE);
	ret = agxt_vm_bind(fd, c->vm_id, DRM_ASAHI_BIND_READ | DRM_ASAHI_BIND_WRITE,
			   c->usc_handle, 0, AGXT_USC_SIZE, AGXT_USC_BASE);
	AGX_REQUIRE(ret == 0, "VM_BIND (USC heap): %s", strerror(-ret));
	c->next_slot = 1;   /* USC offset 0 stays unused */
	c->next_va = AGXT_DATA_BASE;
}

static AGXT_UNUSED void agxt_ctx_open(struct agxt_ctx *c)
{
	agxt_ctx_init_fd(c, open_node());
}

static AGXT_UNUSED void agxt_ctx_fini_keep_fd(struct agxt_ctx *c)
{
	if (c->usc)
		munmap(c->usc, AGXT_USC_SIZE);
	c->usc = NULL;
	agxt_gem_close(c->fd, c->usc_handle);
	agxt_vm_destroy(c->fd, c->vm_id);
}

static AGXT_UNUSED void agxt_ctx_close(struct agxt_ctx *c)
{
	agxt_ctx_fini_keep_fd(c);
	close(c->fd);
	c->fd = -1;
}

static AGXT_UNUSED void agxt_bo_new(struct agxt_ctx *c, uint64_t size_B, uint64_t va, struct agxt_bo *bo)
{
	int ret;

	memset(bo, 0, sizeof(*bo));
	bo->size_B = (size_B + AGXT_PAGE - 1) & ~(AGXT_PAGE - 1);
	ret = agxt_gem_create(c->fd, bo->size_B, DRM_ASAHI_GEM_WRITEBACK, 0, &bo->handle);
	AGX_REQUIRE(ret == 0, "GEM_CREATE %#" PRIx64 ": %s", bo->size_B, strerror(-ret));
	bo->map = agxt_gem_map(c->fd, bo->handle, bo->size_B);
	if (!va) {
		va = c->next_va;
		c->next_va += bo->size_B + AGXT_PAGE;  /* an unmapped page between */
	}
	bo->va = va;
	ret = agxt_vm_bind(c->fd, c->vm_id, DRM_ASAHI_BIND_READ | DRM_ASAHI_BIND_WRITE,
			   bo->handle, 0, bo->size_B, va);
	AGX_REQUIRE(ret == 0, "VM_BIND %#" PRIx64 ": %s", va, strerror(-ret));
}

static AGXT_UNUSED void agxt_bo_free(struct agxt_ctx *c, struct agxt_bo *bo)
{
	if (bo->va)
		agxt_vm_bind(c->fd, c->vm_id, DRM_ASAHI_BIND_UNBIND, 0, 0, bo->size_B, bo->va);
	if (bo->map)
		munmap(bo->map, bo->size_B);
	agxt_gem_close(c->fd, bo->handle);
	memset(bo, 0, sizeof(*bo));
}

static AGXT_UNUSED int agxt_queue_create_full(int fd, uint32_t vm_id, uint32_t priority, uint32_t flags,
			   uint64_t usc_exec_base, uint32_t *queue_id)
{
	struct drm_asahi_queue_create q = {
		.flags = flags, .vm_id = vm_id, .priority = priority,
		.usc_exec_base = usc_exec_base,
	};
	int ret = xioctl(fd, DRM_IOCTL_ASAHI_QUEUE_CREATE, &q);

	if (queue_id)
		*queue_id = q.queue_id;
	return ret;
}

static AGXT_UNUSED int agxt_queue_destroy(int fd, uint32_t queue_id)
{
	struct drm_asahi_queue_destroy d = { .queue_id = queue_id };

	return xioctl(fd, DRM_IOCTL_ASAHI_QUEUE_DESTROY, &d);
}

static AGXT_UNUSED uint32_t agxt_queue_new(struct agxt_ctx *c)
{
	uint32_t id = 0;
	int ret = agxt_queue_create_full(c->fd, c->vm_id, DRM_ASAHI_PRIORITY_MEDIUM, 0,
					 AGXT_USC_BASE, &id);

	AGX_REQUIRE(ret == 0, "QUEUE_CREATE: %s", strerror(-ret));
	return id;
}

/* ---- jobs ---------------------------------------------------------------- */

static void agxt_shader_asm(struct asm_buf *b, const struct agxt_job_desc *d)
{
	size_t loop;

	switch (d->shader) {
	case AGXT_SHADER_FILL:
		asm_get_sr(b, R(1), 80);                          /* r1 = gid.x */
		asm_iadd(b, R(2), R(1), U(2), 0, false, false);   /* r2 = r1 + k */
		asm_device(b, true, 2, 0x1, R(2), U(0), R(1), true, 0);
		break;
	case AGXT_SHADER_ADD:
		asm_get_sr(b, R(1), 80);
		asm_device(b, false, 2, 0x1, R(4), U(4), R(1), true, 0); /* r4 = in[r1] */
		asm_wait(b, 0);
		asm_iadd(b, R(2), R(4), U(2), 0, false, false);
		asm_device(b, true, 2, 0x1, R(2), U(0), R(1), true, 0);
		break;
	case AGXT_SHADER_LOOP:
		asm_get_sr(b, R(1), 80);
		asm_mov_imm(b, R(2), 0);
		asm_iadd(b, R(5), U(3), I(0), 0, false, false);   /* r5 = loops */
		loop = b->len;
		asm_iadd(b, R(2), R(2), I(1), 0, false, false);
		asm_maskop(b, false, 2, 1, false, R(2), R(5), 1); /* while r2 < r5 */
		asm_jmp_exec(b, false, (int32_t)loop - (int32_t)b->len);
		asm_pop_exec(b, 1);
		asm_iadd(b, R(2), R(2), U(2), 0, false, false);
		asm_device(b, true, 2, 0x1, R(2), U(0), R(1), true, 0);
		break;
	}
	asm_stop(b);
}

static AGXT_UNUSED void agxt_job_build(struct agxt_ctx *c, const struct agxt_job_desc *d, struct agxt_job *j)
{
	struct asm_buf b = { .len = 0 };
	uint32_t g[3] = { d->threads ? d->threads : 100, 1, 1 }, l[3] = { 32, 1, 1 };
	struct usc_desc u;
	uint8_t *slot;
	unsigned n;

	AGX_REQUIRE((c->next_slot + 1) * AGXT_JOB_SLOT <= AGXT_USC_SIZE, "USC heap full");
	memset(j, 0, sizeof(*j));
	j->slot_off = c->next_slot++ * AGXT_JOB_SLOT;
	slot = c->usc + j->slot_off;
	memset(slot, 0, AGXT_JOB_SLOT);

	agxt_shader_asm(&b, d);
	AGX_REQUIRE(b.len <= AGXT_SLOT_USC - AGXT_SLOT_CODE, "shader too long");
	memcpy(slot + AGXT_SLOT_CODE, b.b, b.len);

	/* Uniforms: u0-1 out, u2 k, u3 loops, u4-5 in. */
	memcpy(slot + AGXT_SLOT_UNIFORMS + 0, &d->out_va, 8);
	memcpy(slot + AGXT_SLOT_UNIFORMS + 8, &d->k, 4);
	memcpy(slot + AGXT_SLOT_UNIFORMS + 12, &d->loops, 4);
	memcpy(slot + AGXT_SLOT_UNIFORMS + 16, &d->in_va, 8);

	memset(&u, 0, sizeof(u));
	u.uniform_halves = 12;
	u.uniform_va = AGXT_USC_BASE + j->slot_off + AGXT_SLOT_UNIFORMS;
	u.code_off = j->slot_off + AGXT_SLOT_CODE;
	write_usc(slot + AGXT_SLOT_USC, &u);

	n = write_launch(slot + AGXT_SLOT_STREAM, j->slot_off + AGXT_SLOT_USC, 64, g, l);
	n += write_terminate(slot + AGXT_SLOT_STREAM + n);

	j->cmd.cdm_ctrl_stream_base = AGXT_USC_BASE + j->slot_off + AGXT_SLOT_STREAM;
	j->cmd.cdm_ctrl_stream_end = j->cmd.cdm_ctrl_stream_base + n;
}

static AGXT_UNUSED size_t agxt_cmd_append(uint8_t *buf, size_t len, uint16_t type, const void *payload,
		       uint16_t payload_B, uint16_t vdm_barrier, uint16_t cdm_barrier)
{
	struct drm_asahi_cmd_header h = {
		.cmd_type = type, .size = payload_B,
		.vdm_barrier = vdm_barrier, .cdm_barrier = cdm_barrier,
	};

	memcpy(buf + len, &h, sizeof(h));
	if (payload_B)
		memcpy(buf + len + sizeof(h), payload, payload_B);
	return len + sizeof(h) + payload_B;
}

static AGXT_UNUSED int agxt_submit_raw(int fd, uint32_t queue_id, const void *cmdbuf, uint32_t cmdbuf_B,
		    const struct drm_asahi_sync *in, uint32_t n_in,
		    const struct drm_asahi_sync *out, uint32_t n_out)
{
	struct drm_asahi_sync syncs[64];
	struct drm_asahi_submit s = {
		.cmdbuf = (uintptr_t)cmdbuf, .cmdbuf_size = cmdbuf_B, .queue_id = queue_id,
		.in_sync_count = n_in, .out_sync_count = n_out,
	};

	AGX_REQUIRE(n_in + n_out <= 64, "too many syncs for the helper");
	if (n_in)
		memcpy(syncs, in, n_in * sizeof(*in));
	if (n_out)
		memcpy(syncs + n_in, out, n_out * sizeof(*out));
	s.syncs = n_in + n_out ? (uintptr_t)syncs : 0;
	return xioctl(fd, DRM_IOCTL_ASAHI_SUBMIT, &s);
}

static AGXT_UNUSED int agxt_submit_job(struct agxt_ctx *c, uint32_t queue_id, const struct agxt_job *j,
		    const struct drm_asahi_sync *in, uint32_t n_in,
		    const struct drm_asahi_sync *out, uint32_t n_out)
{
	uint8_t buf[sizeof(struct drm_asahi_cmd_header) + sizeof(j->cmd)];
	size_t len = agxt_cmd_append(buf, 0, DRM_ASAHI_CMD_COMPUTE, &j->cmd, sizeof(j->cmd),
				     DRM_ASAHI_BARRIER_NONE, 0);

	return agxt_submit_raw(c->fd, queue_id, buf, (uint32_t)len, in, n_in, out, n_out);
}

/* ---- sync objects ---------------------------------------------------------- */

static AGXT_UNUSED uint32_t agxt_syncobj_new(int fd)
{
	uint32_t h = 0;
	int ret = drmSyncobjCreate(fd, 0, &h);

	AGX_REQUIRE(ret == 0, "syncobj create: %d", ret);
	return h;
}

static int64_t agxt_deadline_ns(int timeout_ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec + (int64_t)timeout_ms * 1000000ll;
}

/* SYNCOBJ_WAIT on @n binary syncobjs; 0 or -errno (-ETIME on timeout). */
static AGXT_UNUSED int agxt_syncobj_waitv(int fd, uint32_t *handles, uint32_t n,
					  uint32_t flags, int timeout_ms)
{
	struct drm_syncobj_wait w = {
		.handles = (uintptr_t)handles, .count_handles = n,
		.timeout_nsec = agxt_deadline_ns(timeout_ms),
		.flags = flags | DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
	};

	return xioctl(fd, DRM_IOCTL_SYNCOBJ_WAIT, &w);
}

static AGXT_UNUSED int agxt_syncobj_wait(int fd, uint32_t handle, int timeout_ms)
{
	return agxt_syncobj_waitv(fd, &handle, 1, 0, timeout_ms);
}

/* SYNCOBJ_TIMELINE_WAIT for @points of @handles. */
static AGXT_UNUSED int agxt_timeline_waitv(int fd, uint32_t *handles, uint64_t *points,
					   uint32_t n, uint32_t flags, int timeout_ms)
{
	struct drm_syncobj_timeline_wait w = {
		.handles = (uintptr_t)handles, .points = (uintptr_t)points, .count_handles = n,
		.timeout_nsec = agxt_deadline_ns(timeout_ms),
		.flags = flags | DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
	};

	return xioctl(fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &w);
}

static AGXT_UNUSED int agxt_timeline_wait(int fd, uint32_t handle, uint64_t point,
					  int timeout_ms)
{
	return agxt_timeline_waitv(fd, &handle, &point, 1, 0, timeout_ms);
}

/* The last signalled point of a timeline syncobj. */
static AGXT_UNUSED int agxt_syncobj_query(int fd, uint32_t handle, uint64_t *value)
{
	struct drm_syncobj_timeline_array a = {
		.handles = (uintptr_t)&handle, .points = (uintptr_t)value, .count_handles = 1,
	};

	return xioctl(fd, DRM_IOCTL_SYNCOBJ_QUERY, &a);
}

static AGXT_UNUSED int agxt_syncobj_signal(int fd, uint32_t handle)
{
	struct drm_syncobj_array a = { .handles = (uintptr_t)&handle, .count_handles = 1 };

	return xioctl(fd, DRM_IOCTL_SYNCOBJ_SIGNAL, &a);
}

/*
 * The fence in a binary syncobj, through a sync_file: 1 when it signalled
 * without error, 0 while pending, else its error (-errno). A syncobj
 * without a fence gives the export's error, -EINVAL.
 */
static AGXT_UNUSED int agxt_syncobj_status(int fd, uint32_t handle)
{
	struct drm_syncobj_handle h = {
		.handle = handle, .flags = DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE,
		.fd = -1,
	};
	struct sync_file_info info;
	int ret;

	ret = xioctl(fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &h);
	if (ret)
		return ret;
	memset(&info, 0, sizeof(info));
	ret = ioctl(h.fd, SYNC_IOC_FILE_INFO, &info);
	ret = ret ? -errno : info.status;
	close(h.fd);
	return ret;
}

/* Same for a timeline point (moved into a binary syncobj first). */
static AGXT_UNUSED int agxt_timeline_status(int fd, uint32_t handle, uint64_t point)
{
	uint32_t tmp = agxt_syncobj_new(fd);
	struct drm_syncobj_transfer t = {
		.src_handle = handle, .src_point = point, .dst_handle = tmp,
	};
	int ret = xioctl(fd, DRM_IOCTL_SYNCOBJ_TRANSFER, &t);

	if (!ret)
		ret = agxt_syncobj_status(fd, tmp);
	drmSyncobjDestroy(fd, tmp);
	return ret;
}

static AGXT_UNUSED int agxt_run_job(struct agxt_ctx *c, uint32_t queue_id, const struct agxt_job *j,
		 int timeout_ms)
{
	uint32_t s = agxt_syncobj_new(c->fd);
	struct drm_asahi_sync out = agxt_sync_bin(s);
	int ret = agxt_submit_job(c, queue_id, j, NULL, 0, &out, 1);

	if (!ret)
		ret = agxt_syncobj_wait(c->fd, s, timeout_ms);
	if (!ret)
		ret = agxt_syncobj_status(c->fd, s);
	drmSyncobjDestroy(c->fd, s);
	return ret;
}

static AGXT_UNUSED unsigned agxt_check_fill(const uint32_t *out, unsigned n, uint32_t base, char *why,
			 size_t why_B)
{
	unsigned bad = 0, i;

	why[0] = 0;
	for (i = 0; i < n; i++) {
		if (out[i] == base + i)
			continue;
		if (!bad++)
			snprintf(why, why_B, "out[%u] = %#x, want %#x", i, out[i], base + i);
	}
	return bad;
}

#endif /* AGX_SUBMIT_LIB_H */
