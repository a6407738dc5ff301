/* SPDX-License-Identifier: MIT */
/*
 * agx_queue_smoke.c - QUEUE_CREATE/DESTROY and compute SUBMIT of agx.ko
 * against the simulated firmware and GPU (tests/vm/suites/queue.sh).
 *
 * The compute work is a real CDM control stream in a GEM object mapped in
 * the VM: one Stream Terminate block (the GPU model parses it), so a job
 * completes only if the firmware ran it. Errors are read back from the
 * out-fence through a sync file's status.
 *
 * Tests by prefix: up_ (the firmware is running), sched_ (3 s job
 * timeout), injf_ / injt_ (after the suite made agxsim-vm inject a page
 * fault / a timeout), hold_ (kept open across the crash), dead_ (after a
 * firmware crash).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/sync_file.h>
#include <xf86drm.h>

#include "drm/asahi_drm.h"
#include "agx_test.h"
#include "agx_kernel_test.h"

#define PG 16384ull
#define KSTART 0x7f00000000ull
#define KSIZE 0x20000000ull
#define DATA_VA 0x1000000ull
#define HOLE_VA 0x3000000ull /* never mapped */
#define WAIT_NS (90ull * 1000 * 1000 * 1000)

/* Sync object waits take an absolute CLOCK_MONOTONIC deadline. */
static int64_t deadline(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec + (int64_t)WAIT_NS;
}

/* CDM Stream Terminate: block type 2 in bits 31:29 of the first word. */
#define CDM_TERMINATE 0x40000000u
/* VDM Stream Terminate (32 bytes): 0xc0000000 then zeroes, at DATA_VA + VDM_OFF. */
#define VDM_TERMINATE 0xc0000000u
#define VDM_OFF 0x100
#define LOOP_OFF 0x200

struct ctx {
	int fd;
	uint32_t vm, bo, queue;
	uint32_t *map;
};

static void ctx_init(struct ctx *c)
{
	struct drm_asahi_vm_create vc = { .kernel_start = KSTART, .kernel_end = KSTART + KSIZE };
	struct drm_asahi_gem_create gc = { .size = PG };
	struct drm_asahi_gem_mmap_offset mo = { 0 };
	struct drm_asahi_gem_bind_op op = { 0 };
	struct drm_asahi_vm_bind vb = { 0 };
	struct drm_asahi_queue_create qc = { 0 };

	c->fd = open_node();
	AGX_REQUIRE(xioctl(c->fd, DRM_IOCTL_ASAHI_VM_CREATE, &vc) == 0, "vm_create");
	c->vm = vc.vm_id;
	AGX_REQUIRE(xioctl(c->fd, DRM_IOCTL_ASAHI_GEM_CREATE, &gc) == 0, "gem_create");
	c->bo = gc.handle;
	mo.handle = c->bo;
	AGX_REQUIRE(xioctl(c->fd, DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET, &mo) == 0, "mmap_offset");
	c->map = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd, mo.offset);
	AGX_REQUIRE(c->map != MAP_FAILED, "mmap: %s", strerror(errno));
	memset(c->map, 0, PG);
	c->map[0] = CDM_TERMINATE;
	c->map[1] = 0;
	c->map[VDM_OFF / 4] = VDM_TERMINATE;
	/* A CDM Stream Link to itself: a stream that never ends. */
	c->map[LOOP_OFF / 4] = 0x20000000u | (uint32_t)((DATA_VA + LOOP_OFF) >> 32);
	c->map[LOOP_OFF / 4 + 1] = (uint32_t)(DATA_VA + LOOP_OFF);
	op.flags = DRM_ASAHI_BIND_READ | DRM_ASAHI_BIND_WRITE;
	op.handle = c->bo;
	op.range = PG;
	op.addr = DATA_VA;
	vb.vm_id = c->vm;
	vb.num_binds = 1;
	vb.stride = sizeof(op);
	vb.userptr = (uintptr_t)&op;
	AGX_REQUIRE(xioctl(c->fd, DRM_IOCTL_ASAHI_VM_BIND, &vb) == 0, "vm_bind");
	qc.vm_id = c->vm;
	qc.priority = DRM_ASAHI_PRIORITY_MEDIUM;
	qc.usc_exec_base = 0x100000000ull;
	AGX_REQUIRE(xioctl(c->fd, DRM_IOCTL_ASAHI_QUEUE_CREATE, &qc) == 0, "queue_create");
	c->queue = qc.queue_id;
}

static void ctx_fini(struct ctx *c)
{
	munmap(c->map, PG);
	close(c->fd);
}

/* A command buffer of one COMPUTE command on the stream at @va. */
struct compute_buf {
	struct drm_asahi_cmd_header h;
	struct drm_asahi_cmd_compute c;
};

static void compute_buf(struct compute_buf *b, uint64_t va)
{
	memset(b, 0, sizeof(*b));
	b->h.cmd_type = DRM_ASAHI_CMD_COMPUTE;
	b->h.size = sizeof(b->c);
	b->h.vdm_barrier = DRM_ASAHI_BARRIER_NONE;
	b->h.cdm_barrier = DRM_ASAHI_BARRIER_NONE;
	b->c.cdm_ctrl_stream_base = va;
	b->c.cdm_ctrl_stream_end = va + 8;
}

static int submit(struct ctx *c, const void *cmdbuf, uint32_t size,
		  struct drm_asahi_sync *syncs, uint32_t nin, uint32_t nout)
{
	struct drm_asahi_submit s = {
		.syncs = (uintptr_t)syncs,
		.cmdbuf = (uintptr_t)cmdbuf,
		.queue_id = c->queue,
		.in_sync_count = nin,
		.out_sync_count = nout,
		.cmdbuf_size = size,
	};

	return xioctl(c->fd, DRM_IOCTL_ASAHI_SUBMIT, &s);
}

/* Submit one compute job on @va signalling a new binary syncobj. */
static uint32_t submit_compute(struct ctx *c, uint64_t va)
{
	struct compute_buf b;
	struct drm_asahi_sync out = { .sync_type = DRM_ASAHI_SYNC_SYNCOBJ };
	uint32_t so;

	AGX_REQUIRE(drmSyncobjCreate(c->fd, 0, &so) == 0, "syncobj create");
	out.handle = so;
	compute_buf(&b, va);
	AGX_REQUIRE(submit(c, &b, sizeof(b), &out, 0, 1) == 0, "submit");
	return so;
}

/* Wait for a binary syncobj; returns the fence status (1 ok, <0 error). */
static int wait_status(int fd, uint32_t so)
{
	struct sync_file_info info = { 0 };
	int sf = -1, ret;

	ret = drmSyncobjWait(fd, &so, 1, deadline(), DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
			     NULL);
	if (ret)
		return -1000 + ret;
	if (drmSyncobjExportSyncFile(fd, so, &sf))
		return -2000;
	ret = ioctl(sf, SYNC_IOC_FILE_INFO, &info);
	close(sf);
	return ret ? -3000 : info.status;
}

AGX_TEST(up_queue_create_invalid)
{
	struct ctx c;
	struct drm_asahi_queue_create qc = { 0 };
	struct drm_asahi_queue_destroy qd = { 0 };

	ctx_init(&c);
	qc.vm_id = c.vm;
	qc.flags = 1;
	AGX_CHECK_EQ(xioctl(c.fd, DRM_IOCTL_ASAHI_QUEUE_CREATE, &qc), -EINVAL);
	qc.flags = 0;
	qc.priority = 4;
	AGX_CHECK_EQ(xioctl(c.fd, DRM_IOCTL_ASAHI_QUEUE_CREATE, &qc), -EINVAL);
	qc.priority = 0;
	qc.vm_id = 999;
	AGX_CHECK_EQ(xioctl(c.fd, DRM_IOCTL_ASAHI_QUEUE_CREATE, &qc), -ENOENT);
	qc.vm_id = c.vm;
	qc.usc_exec_base = 1ull << 40;
	AGX_CHECK_EQ(xioctl(c.fd, DRM_IOCTL_ASAHI_QUEUE_CREATE, &qc), -EINVAL);
	qd.queue_id = 999;
	AGX_CHECK_EQ(xioctl(c.fd, DRM_IOCTL_ASAHI_QUEUE_DESTROY, &qd), -ENOENT);
	qd.queue_id = c.queue;
	qd.pad = 1;
	AGX_CHECK_EQ(xioctl(c.fd, DRM_IOCTL_ASAHI_QUEUE_DESTROY, &qd), -EINVAL);
	qd.pad = 0;
	AGX_CHECK_EQ(xioctl(c.fd, DRM_IOCTL_ASAHI_QUEUE_DESTROY, &qd), 0);
	AGX_CHECK_EQ(xioctl(c.fd, DRM_IOCTL_ASAHI_QUEUE_DESTROY, &qd), -ENOENT);
	ctx_fini(&c);
}

AGX_TEST(up_compute_completes)
{
	struct ctx c;
	uint32_t so;

	ctx_init(&c);
	so = submit_compute(&c, DATA_VA);
	AGX_CHECK_EQ(wait_status(c.fd, so), 1);
	ctx_fini(&c);
}

AGX_TEST(up_compute_many_in_order)
{
	struct ctx c;
	uint32_t so[300];
	unsigned int i;

	ctx_init(&c);
	for (i = 0; i < 300; i++)
		so[i] = submit_compute(&c, DATA_VA);
	for (i = 0; i < 300; i++)
		AGX_CHECK_EQ(wait_status(c.fd, so[i]), 1);
	ctx_fini(&c);
}

AGX_TEST(up_timeline_in_and_out)
{
	struct ctx c;
	struct compute_buf b;
	struct drm_asahi_sync s[2];
	uint32_t tl;
	uint64_t point = 2;

	ctx_init(&c);
	AGX_REQUIRE(drmSyncobjCreate(c.fd, 0, &tl) == 0, "syncobj");
	compute_buf(&b, DATA_VA);
	s[0] = (struct drm_asahi_sync){ .sync_type = DRM_ASAHI_SYNC_TIMELINE_SYNCOBJ,
					.handle = tl, .timeline_value = 1 };
	AGX_CHECK_EQ(submit(&c, &b, sizeof(b), s, 0, 1), 0);
	/* Wait on point 1, signal point 2. */
	s[1] = (struct drm_asahi_sync){ .sync_type = DRM_ASAHI_SYNC_TIMELINE_SYNCOBJ,
					.handle = tl, .timeline_value = 2 };
	AGX_CHECK_EQ(submit(&c, &b, sizeof(b), s, 1, 1), 0);
	AGX_CHECK_EQ(drmSyncobjTimelineWait(c.fd, &tl, &point, 1, deadline(),
					    DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL), 0);
	/* A binary sync object must not carry a timeline value. */
	s[0].sync_type = DRM_ASAHI_SYNC_SYNCOBJ;
	AGX_CHECK_EQ(submit(&c, &b, sizeof(b), s, 0, 1), -EINVAL);
	ctx_fini(&c);
}

AGX_TEST(up_submit_invalid)
{
	struct ctx c;
	struct compute_buf b;
	struct drm_asahi_submit sub = { 0 };
	struct {
		struct drm_asahi_cmd_header h;
		struct drm_asahi_attachment a;
	} att;
	struct drm_asahi_sync s = { .sync_type = 7 };
	static struct compute_buf many[65];
	unsigned int i;

	ctx_init(&c);
	compute_buf(&b, DATA_VA);
	sub.cmdbuf = (uintptr_t)&b;
	sub.cmdbuf_size = sizeof(b);
	sub.queue_id = c.queue;
	sub.flags = 1;
	AGX_CHECK_EQ(xioctl(c.fd, DRM_IOCTL_ASAHI_SUBMIT, &sub), -EINVAL);
	sub.flags = 0;
	sub.pad = 1;
	AGX_CHECK_EQ(xioctl(c.fd, DRM_IOCTL_ASAHI_SUBMIT, &sub), -EINVAL);
	sub.pad = 0;
	sub.queue_id = 999;
	AGX_CHECK_EQ(xioctl(c.fd, DRM_IOCTL_ASAHI_SUBMIT, &sub), -ENOENT);
	/* Truncated header, payload past the end, longer payload. */
	AGX_CHECK_EQ(submit(&c, &b, 4, NULL, 0, 0), -EINVAL);
	AGX_CHECK_EQ(submit(&c, &b, sizeof(b) - 1, NULL, 0, 0), -EINVAL);
	b.h.size = sizeof(b.c) + 8;
	AGX_CHECK_EQ(submit(&c, &b, sizeof(b), NULL, 0, 0), -EINVAL);
	/* A shorter payload reads as zeroes: no control stream. */
	b.h.size = 4;
	AGX_CHECK_EQ(submit(&c, &b, sizeof(b.h) + 4, NULL, 0, 0), -EINVAL);
	compute_buf(&b, DATA_VA);
	b.h.cmd_type = 9;
	AGX_CHECK_EQ(submit(&c, &b, sizeof(b), NULL, 0, 0), -EINVAL);
	compute_buf(&b, DATA_VA);
	b.c.flags = 1;
	AGX_CHECK_EQ(submit(&c, &b, sizeof(b), NULL, 0, 0), -EINVAL);
	compute_buf(&b, DATA_VA);
	b.h.cdm_barrier = 1; /* no compute command before it */
	AGX_CHECK_EQ(submit(&c, &b, sizeof(b), NULL, 0, 0), -EINVAL);
	compute_buf(&b, DATA_VA);
	b.c.ts.start.handle = 5;
	AGX_CHECK_EQ(submit(&c, &b, sizeof(b), NULL, 0, 0), -EINVAL);
	/* Attachments only: no work. */
	memset(&att, 0, sizeof(att));
	att.h.cmd_type = DRM_ASAHI_SET_COMPUTE_ATTACHMENTS;
	att.h.size = sizeof(att.a);
	att.h.vdm_barrier = att.h.cdm_barrier = DRM_ASAHI_BARRIER_NONE;
	att.a.pointer = DATA_VA;
	att.a.size = 64;
	AGX_CHECK_EQ(submit(&c, &att, sizeof(att), NULL, 0, 0), -EINVAL);
	/* 65 commands. */
	for (i = 0; i < 65; i++)
		compute_buf(&many[i], DATA_VA);
	AGX_CHECK_EQ(submit(&c, many, sizeof(many), NULL, 0, 0), -EINVAL);
	AGX_CHECK_EQ(submit(&c, many, sizeof(many) - sizeof(many[0]), NULL, 0, 0), 0);
	/* Bad sync type, unknown sync object. */
	compute_buf(&b, DATA_VA);
	AGX_CHECK_EQ(submit(&c, &b, sizeof(b), &s, 1, 0), -EINVAL);
	s.sync_type = DRM_ASAHI_SYNC_SYNCOBJ;
	s.handle = 12345;
	AGX_CHECK_EQ(submit(&c, &b, sizeof(b), &s, 0, 1), -ENOENT);
	ctx_fini(&c);
}

/* Timestamps through a GEM_BIND_OBJECT range: start and end written. */
AGX_TEST(up_compute_timestamps)
{
	struct ctx c;
	struct drm_asahi_gem_create gc = { .size = PG };
	struct drm_asahi_gem_mmap_offset mo = { 0 };
	struct drm_asahi_gem_bind_object bo = { 0 };
	struct drm_asahi_sync out = { .sync_type = DRM_ASAHI_SYNC_SYNCOBJ };
	struct compute_buf b;
	volatile uint64_t *ts;

	ctx_init(&c);
	AGX_REQUIRE(xioctl(c.fd, DRM_IOCTL_ASAHI_GEM_CREATE, &gc) == 0, "gem_create");
	mo.handle = gc.handle;
	AGX_REQUIRE(xioctl(c.fd, DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET, &mo) == 0, "mmap_offset");
	ts = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, c.fd, mo.offset);
	AGX_REQUIRE(ts != MAP_FAILED, "mmap");
	ts[0] = ts[1] = 0;
	bo.op = DRM_ASAHI_BIND_OBJECT_OP_BIND;
	bo.flags = DRM_ASAHI_BIND_OBJECT_USAGE_TIMESTAMPS;
	bo.handle = gc.handle;
	bo.range = PG;
	AGX_REQUIRE(xioctl(c.fd, DRM_IOCTL_ASAHI_GEM_BIND_OBJECT, &bo) == 0, "bind_object");

	compute_buf(&b, DATA_VA);
	b.c.ts.start.handle = bo.object_handle;
	b.c.ts.start.offset = 0;
	b.c.ts.end.handle = bo.object_handle;
	b.c.ts.end.offset = 8;
	/* Unaligned and out-of-range offsets are refused. */
	b.c.ts.end.offset = 4;
	AGX_CHECK_EQ(submit(&c, &b, sizeof(b), NULL, 0, 0), -EINVAL);
	b.c.ts.end.offset = PG;
	AGX_CHECK_EQ(submit(&c, &b, sizeof(b), NULL, 0, 0), -EINVAL);
	b.c.ts.end.offset = 8;
	AGX_REQUIRE(drmSyncobjCreate(c.fd, 0, &out.handle) == 0, "syncobj");
	AGX_CHECK_EQ(submit(&c, &b, sizeof(b), &out, 0, 1), 0);
	AGX_CHECK_EQ(wait_status(c.fd, out.handle), 1);
	AGX_CHECK(ts[0] != 0 && ts[1] != 0, "timestamps %#llx %#llx",
		  (unsigned long long)ts[0], (unsigned long long)ts[1]);
	AGX_CHECK(ts[1] >= ts[0], "end %#llx before start %#llx",
		  (unsigned long long)ts[1], (unsigned long long)ts[0]);
	munmap((void *)ts, PG);
	ctx_fini(&c);
}

AGX_TEST(up_fault_fails_only_that_job)
{
	struct ctx c;
	uint32_t bad, good;

	ctx_init(&c);
	bad = submit_compute(&c, HOLE_VA);
	AGX_CHECK_EQ(wait_status(c.fd, bad), -EIO);
	good = submit_compute(&c, DATA_VA);
	AGX_CHECK_EQ(wait_status(c.fd, good), 1);
	ctx_fini(&c);
}

/*
 * A compute stream that loops: the GPU gives up, the firmware reports a
 * Timeout naming the queue's slot; that job fails with -ETIMEDOUT and the
 * queue goes on. (The suite sets job_timeout_ms above the simulator's
 * give-up time, so this is the firmware's Timeout, not drm_sched's.)
 */
AGX_TEST(up_timeout_fails_only_that_job)
{
	struct ctx c;
	uint32_t bad, good;

	ctx_init(&c);
	bad = submit_compute(&c, DATA_VA + LOOP_OFF);
	AGX_CHECK_EQ(wait_status(c.fd, bad), -ETIMEDOUT);
	good = submit_compute(&c, DATA_VA);
	AGX_CHECK_EQ(wait_status(c.fd, good), 1);
	ctx_fini(&c);
}

AGX_TEST(up_destroy_and_close_with_work_in_flight)
{
	struct ctx c;
	struct drm_asahi_queue_destroy qd = { 0 };
	unsigned int i;

	ctx_init(&c);
	for (i = 0; i < 50; i++)
		submit_compute(&c, DATA_VA);
	qd.queue_id = c.queue;
	AGX_CHECK_EQ(xioctl(c.fd, DRM_IOCTL_ASAHI_QUEUE_DESTROY, &qd), 0);
	ctx_fini(&c);

	ctx_init(&c);
	for (i = 0; i < 50; i++)
		submit_compute(&c, DATA_VA);
	ctx_fini(&c); /* close tears the queue down */
}

/* The queues debugfs line of @pipe of the queue with id @qid: "stamp" value. */
static long long wq_stamp(uint32_t qid, const char *pipe)
{
	static char buf[1 << 16];
	char pat[64], *p;
	FILE *f = popen("cat $(dirname $(grep -l '^asahi' /sys/kernel/debug/dri/*/name | head -n1))/queues",
			"r");
	size_t n;
	long long stamp = -1;

	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	pclose(f);
	snprintf(pat, sizeof(pat), " id %u ", qid);
	p = strstr(buf, pat);
	if (!p)
		return -1;
	snprintf(pat, sizeof(pat), "  %s slot ", pipe);
	p = strstr(p, pat);
	if (p && sscanf(strstr(p, "stamp "), "stamp %llx", &stamp) != 1)
		stamp = -1;
	return stamp;
}

/* The block count of a queue's TVB in debugfs, -1 when it has none. */
static long long wq_tvb_blocks(uint32_t qid)
{
	static char buf[1 << 16];
	char pat[64], *p, *next;
	FILE *f = popen("cat $(dirname $(grep -l '^asahi' /sys/kernel/debug/dri/*/name | head -n1))/queues",
			"r");
	size_t n;
	long long blocks = -1;

	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	pclose(f);
	snprintf(pat, sizeof(pat), " id %u ", qid);
	p = strstr(buf, pat);
	if (!p)
		return -1;
	next = strstr(p + 1, "queue client");
	p = strstr(p, "  tvb slot ");
	if (p && (!next || p < next) && sscanf(strstr(p, "blocks "), "blocks %lld", &blocks) != 1)
		blocks = -1;
	return blocks;
}

/*
 * A render pass with an empty VDM stream and no tile programs: the
 * vertex stage bins nothing; the fragment stage cannot run without an
 * end-of-tile program, so the GPU reports an error and the job fails with
 * -EIO, after both stages ran and retired (their stamps advanced).
 */
AGX_TEST(up_render_runs_both_stages)
{
	struct ctx c;
	struct {
		struct drm_asahi_cmd_header h;
		struct drm_asahi_cmd_render r;
	} b;
	struct drm_asahi_sync out = { .sync_type = DRM_ASAHI_SYNC_SYNCOBJ };

	ctx_init(&c);
	memset(&b, 0, sizeof(b));
	b.h.cmd_type = DRM_ASAHI_CMD_RENDER;
	b.h.size = sizeof(b.r);
	b.h.vdm_barrier = b.h.cdm_barrier = DRM_ASAHI_BARRIER_NONE;
	b.r.vdm_ctrl_stream_base = DATA_VA + VDM_OFF;
	b.r.width_px = 64;
	b.r.height_px = 64;
	b.r.layers = 1;
	b.r.samples = 1;
	b.r.utile_width_px = 32;
	b.r.utile_height_px = 32;
	b.r.sample_size_B = 8;
	b.r.ppp_multisamplectl = 0x88; /* one sample, at the pixel centre */
	b.r.flags = DRM_ASAHI_RENDER_PROCESS_EMPTY_TILES;
	AGX_REQUIRE(drmSyncobjCreate(c.fd, 0, &out.handle) == 0, "syncobj");
	/* Malformed first: zero width, 3 samples, odd utile, unknown flag. */
	b.r.width_px = 0;
	AGX_CHECK_EQ(submit(&c, &b, sizeof(b), &out, 0, 1), -EINVAL);
	b.r.width_px = 64;
	b.r.samples = 3;
	AGX_CHECK_EQ(submit(&c, &b, sizeof(b), &out, 0, 1), -EINVAL);
	b.r.samples = 1;
	b.r.utile_width_px = 8;
	AGX_CHECK_EQ(submit(&c, &b, sizeof(b), &out, 0, 1), -EINVAL);
	b.r.utile_width_px = 32;
	b.r.flags |= 1u << 5;
	AGX_CHECK_EQ(submit(&c, &b, sizeof(b), &out, 0, 1), -EINVAL);
	b.r.flags = DRM_ASAHI_RENDER_PROCESS_EMPTY_TILES;

	AGX_CHECK_EQ(submit(&c, &b, sizeof(b), &out, 0, 1), 0);
	AGX_CHECK_EQ(wait_status(c.fd, out.handle), -EIO);
	AGX_CHECK_EQ(wq_stamp(c.queue, "vertex"), 0x100);
	AGX_CHECK_EQ(wq_stamp(c.queue, "fragment"), 0x100);
	/* The queue's tiled vertex buffer: initial_tvb_size (8) blocks. */
	AGX_CHECK_EQ(wq_tvb_blocks(c.queue), 8);
	/* The queue still works: a compute job after it. */
	AGX_CHECK_EQ(wait_status(c.fd, submit_compute(&c, DATA_VA)), 1);
	ctx_fini(&c);
}

/* The "recoveries" count of fw_status. */
static long long fw_recoveries(void)
{
	char buf[4096];
	FILE *f = popen("cat $(dirname $(grep -l '^asahi' /sys/kernel/debug/dri/*/name | head -n1))/fw_status",
			"r");
	size_t n;
	char *p;

	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	pclose(f);
	p = strstr(buf, "recoveries ");
	return p ? strtoll(p + 11, NULL, 0) : -1;
}

/*
 * Run with a short job_timeout_ms: drm_sched times the looping job out
 * first (-ETIMEDOUT) while the firmware still runs it; once the firmware
 * gives up too (its Timeout, a recovery), the queue works again.
 */
AGX_TEST(sched_timeout_then_recovery)
{
	struct ctx c;
	long long rec = fw_recoveries();
	uint32_t bad;
	int i;

	ctx_init(&c);
	bad = submit_compute(&c, DATA_VA + LOOP_OFF);
	AGX_CHECK_EQ(wait_status(c.fd, bad), -ETIMEDOUT);
	for (i = 0; i < 1200 && fw_recoveries() == rec; i++)
		usleep(100000);
	AGX_CHECK(fw_recoveries() > rec, "the firmware never reported the timeout");
	AGX_CHECK_EQ(wait_status(c.fd, submit_compute(&c, DATA_VA)), 1);
	ctx_fini(&c);
}

/*
 * Run after the suite sent agxsim-vm SIGUSR2 (a page fault in the next GPU
 * command): the next job fails with -EIO, the one after it completes.
 */
AGX_TEST(injf_injected_fault_fails_next_job)
{
	struct ctx c;

	ctx_init(&c);
	AGX_CHECK_EQ(wait_status(c.fd, submit_compute(&c, DATA_VA)), -EIO);
	AGX_CHECK_EQ(wait_status(c.fd, submit_compute(&c, DATA_VA)), 1);
	ctx_fini(&c);
}

/* Likewise after SIGURG (a GPU timeout of the next command): -ETIMEDOUT. */
AGX_TEST(injt_injected_timeout_fails_next_job)
{
	struct ctx c;

	ctx_init(&c);
	AGX_CHECK_EQ(wait_status(c.fd, submit_compute(&c, DATA_VA)), -ETIMEDOUT);
	AGX_CHECK_EQ(wait_status(c.fd, submit_compute(&c, DATA_VA)), 1);
	ctx_fini(&c);
}

/*
 * Closing a file whose queue still has a looping job on the firmware after
 * the 3 s job timeout: the job fails, the queue's firmware objects are kept
 * (the firmware still runs the job) until the firmware gives up; the suite
 * checks that the unbind later frees them without a warning.
 */
AGX_TEST(sched_close_with_looping_job_keeps_objects)
{
	struct ctx c;
	long long rec = fw_recoveries();
	int i;

	ctx_init(&c);
	submit_compute(&c, DATA_VA + LOOP_OFF);
	usleep(200000);
	ctx_fini(&c); /* waits up to the job timeout, then keeps the objects */
	for (i = 0; i < 1200 && fw_recoveries() == rec; i++)
		usleep(100000);
	AGX_CHECK(fw_recoveries() > rec, "the firmware never reported the timeout");

	/* The device works on. */
	ctx_init(&c);
	AGX_CHECK_EQ(wait_status(c.fd, submit_compute(&c, DATA_VA)), 1);
	ctx_fini(&c);
}

/*
 * Run in the background by the suite: a file with a queue and work stays
 * open across the firmware crash and the unbinding of the device; then
 * SUBMIT fails with -ENODEV and closing tears the queue down.
 */
AGX_TEST(hold_queue_across_unbind)
{
	struct ctx c;
	struct compute_buf b;
	int i;

	ctx_init(&c);
	for (i = 0; i < 10; i++)
		submit_compute(&c, DATA_VA);
	fclose(fopen("/run/agx-hold.ready", "w"));
	for (i = 0; i < 1200 && access("/run/agx-hold.go", F_OK); i++)
		usleep(100000);
	AGX_CHECK(i < 1200, "never told to go on");
	compute_buf(&b, DATA_VA);
	AGX_CHECK_EQ(submit(&c, &b, sizeof(b), NULL, 0, 0), -ENODEV);
	ctx_fini(&c);
}

AGX_TEST(dead_submit_enodev)
{
	int fd = open_node();
	struct drm_asahi_queue_create qc = { 0 };

	AGX_CHECK_EQ(xioctl(fd, DRM_IOCTL_ASAHI_QUEUE_CREATE, &qc), -ENODEV);
	close(fd);
}

AGX_TEST_MAIN()
