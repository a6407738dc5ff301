/* SPDX-License-Identifier: MIT */
/*
 * agx_submit_test.c - queues and SUBMIT of agx.ko: QUEUE_CREATE/DESTROY,
 * compute and render submits that run real shaders on the simulated GPU,
 * every class of invalid argument, sync objects (binary and timeline, in
 * and out, chains across queues), concurrency, isolation between files and
 * VMs, GPU faults and timeouts, a firmware crash with work in flight, and
 * a bounded fuzzer.
 *
 * Runs inside the test VM (tests/vm/suites/submit.sh) with agx.ko loaded
 * with boot=1 and agxsim-vm attached. The suite picks groups by prefix:
 *
 *   queue_    QUEUE_CREATE / QUEUE_DESTROY
 *   submit_   valid submits (results checked) and invalid ones (errno)
 *   sync_     sync objects in and out, timelines, chains across queues
 *   conc_     several queues and several processes at once
 *   iso_      isolation of files and VMs, a fault in one VM only
 *   fault_    GPU faults and timeouts: the guilty fence fails, others go on
 *   render_   a clear + triangle render pass through RENDER, compared with
 *             the GPU model's direct path; RENDER then COMPUTE with a
 *             vdm_barrier; invalid render fields
 *   fuzz_     random queue/submit arguments (AGX_FUZZ_ITERS, default 2000;
 *             AGX_FUZZ_SECONDS, default 30; seed AGX_FUZZ_SEED, default 1)
 *   inflight_ leaves slow work queued and exits (the suite unloads next)
 *   crash_    with $AGXSIM_PID: work in flight, SIGUSR1 to agxsim-vm (a
 *             firmware crash), every waiting fence fails with -ENODEV,
 *             SUBMIT, QUEUE_CREATE and QUEUE_DESTROY give -ENODEV
 *   timeout_  (suite loads the module with job_timeout_ms=2000) a job
 *             running past the limit fails with -ETIMEDOUT; a queue
 *             destroyed while its timed-out job runs is freed later
 *
 * Errno conventions asserted (the project's, as for VM_* and GEM_*): an
 * unknown object id (VM, queue, GEM or sync object handle) is -ENOENT,
 * anything malformed (MBZ fields, unknown flags/types, sizes, barriers) is
 * -EINVAL, a bad user pointer -EFAULT, HIGH/REALTIME priority without
 * CAP_SYS_NICE -EPERM. Fence errors (kernel-firmware-facts 6.2): GPU fault
 * -EIO, timeout -ETIMEDOUT, firmware crash -ENODEV.
 *
 * Tests of behaviour the kernel gets wrong today are TODO-skips naming the
 * bug (known_kernel_bug()); AGX_SUBMIT_KNOWN_BUGS=1 runs them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/capability.h>

#include "agx_test.h"
#include "agx_submit_lib.h"

#define CHECK_ERR(expr, err)                                                  \
	do {                                                                  \
		int r_ = (expr);                                              \
		AGX_CHECK(r_ == (err), "%s = %d (%s), want %d (%s)", #expr,   \
			  r_, strerror(-r_), (err), strerror(-(err)));         \
	} while (0)

/* Generous waits: the GPU is a simulator under TCG. */
#define WAIT_MS 20000

static const char *debugfs_read(const char *file);

/* "vms N" of the objects debugfs file. */
static long objects_vms(void)
{
	const char *p = strstr(debugfs_read("objects"), "vms ");

	AGX_REQUIRE(p, "no vms count in the objects debugfs file");
	return strtol(p + 4, NULL, 10);
}

static unsigned long module_param_ul(const char *name, unsigned long def)
{
	char path[128], buf[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/agx/parameters/%s", name);
	f = fopen(path, "r");
	if (!f)
		return def;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return buf[0] ? strtoul(buf, NULL, 0) : def;
}

/* Write agx's job_timeout_ms (it applies to queues created afterwards). */
static int set_job_timeout_ms(unsigned long ms)
{
	FILE *f = fopen("/sys/module/agx/parameters/job_timeout_ms", "w");
	int ret;

	if (!f)
		return -errno;
	ret = fprintf(f, "%lu\n", ms) > 0 ? 0 : -EIO;
	if (fclose(f))
		ret = -errno;
	return ret;
}

/* A context with one queue and a 16 KiB output buffer. */
struct rig {
	struct agxt_ctx c;
	uint32_t q;
	struct agxt_bo out;
};

static void rig_open(struct rig *r)
{
	agxt_ctx_open(&r->c);
	r->q = agxt_queue_new(&r->c);
	agxt_bo_new(&r->c, AGXT_PAGE, 0, &r->out);
	memset(r->out.map, 0xee, r->out.size_B);
}

static void rig_close(struct rig *r)
{
	agxt_queue_destroy(r->c.fd, r->q);
	agxt_bo_free(&r->c, &r->out);
	agxt_ctx_close(&r->c);
}

/* A FILL job writing out[i] = i + k for @threads threads at @va. */
static void fill_job(struct agxt_ctx *c, uint64_t va, uint32_t k, uint32_t threads,
		     struct agxt_job *j)
{
	struct agxt_job_desc d = { .shader = AGXT_SHADER_FILL, .out_va = va, .k = k,
				   .threads = threads };

	agxt_job_build(c, &d, j);
}

static void check_fill(const void *p, unsigned n, uint32_t k)
{
	char why[96];
	unsigned bad = agxt_check_fill(p, n, k, why, sizeof(why));

	AGX_CHECK(bad == 0, "%u wrong words, first: %s", bad, why);
}

/* A command buffer with one COMPUTE command, payload as given. */
static size_t one_compute(uint8_t *buf, const struct drm_asahi_cmd_compute *cmd,
			  uint16_t size, uint16_t vdm, uint16_t cdm)
{
	return agxt_cmd_append(buf, 0, DRM_ASAHI_CMD_COMPUTE, cmd, size, vdm, cdm);
}

/* ==== QUEUE_CREATE / QUEUE_DESTROY ======================================= */

AGX_TEST(queue_create_destroy_low_medium)
{
	struct agxt_ctx c;
	uint32_t a = 0, b = 0;

	agxt_ctx_open(&c);
	CHECK_ERR(agxt_queue_create_full(c.fd, c.vm_id, DRM_ASAHI_PRIORITY_LOW, 0,
					 AGXT_USC_BASE, &a), 0);
	CHECK_ERR(agxt_queue_create_full(c.fd, c.vm_id, DRM_ASAHI_PRIORITY_MEDIUM, 0,
					 AGXT_USC_BASE, &b), 0);
	AGX_CHECK(a != b, "two queues share id %u", a);
	CHECK_ERR(agxt_queue_destroy(c.fd, a), 0);
	CHECK_ERR(agxt_queue_destroy(c.fd, b), 0);
	agxt_ctx_close(&c);
}

AGX_TEST(queue_create_bad_vm)
{
	struct agxt_ctx c;
	uint32_t vm2 = 0;

	agxt_ctx_open(&c);
	CHECK_ERR(agxt_queue_create_full(c.fd, c.vm_id + 1000, 1, 0, AGXT_USC_BASE, NULL),
		  -ENOENT);
	CHECK_ERR(agxt_queue_create_full(c.fd, 0xdeadbeef, 1, 0, AGXT_USC_BASE, NULL),
		  -ENOENT);
	/* A VM that existed and was destroyed. */
	CHECK_ERR(agxt_vm_create(c.fd, 0x5000000000ull, 0x5020000000ull, &vm2), 0);
	CHECK_ERR(agxt_vm_destroy(c.fd, vm2), 0);
	CHECK_ERR(agxt_queue_create_full(c.fd, vm2, 1, 0, AGXT_USC_BASE, NULL), -ENOENT);
	agxt_ctx_close(&c);
}

AGX_TEST(queue_create_unknown_flags)
{
	struct agxt_ctx c;
	unsigned bit;

	agxt_ctx_open(&c);
	for (bit = 0; bit < 32; bit++)
		CHECK_ERR(agxt_queue_create_full(c.fd, c.vm_id, 1, 1u << bit, AGXT_USC_BASE,
						 NULL), -EINVAL);
	agxt_ctx_close(&c);
}

AGX_TEST(queue_create_bad_priority)
{
	struct agxt_ctx c;

	agxt_ctx_open(&c);
	CHECK_ERR(agxt_queue_create_full(c.fd, c.vm_id, 4, 0, AGXT_USC_BASE, NULL), -EINVAL);
	CHECK_ERR(agxt_queue_create_full(c.fd, c.vm_id, 0x80000000u, 0, AGXT_USC_BASE, NULL),
		  -EINVAL);
	CHECK_ERR(agxt_queue_create_full(c.fd, c.vm_id, ~0u, 0, AGXT_USC_BASE, NULL), -EINVAL);
	agxt_ctx_close(&c);
}

AGX_TEST(queue_create_usc_base_outside_user_range)
{
	struct agxt_ctx c;

	/* Shaders are fetched relative to usc_exec_base; a base in the
	 * kernel's half of the address space or past vm_end is refused. */
	agxt_ctx_open(&c);
	CHECK_ERR(agxt_queue_create_full(c.fd, c.vm_id, 1, 0, 0xffffffa000000000ull, NULL),
		  -EINVAL);
	CHECK_ERR(agxt_queue_create_full(c.fd, c.vm_id, 1, 0, c.params.vm_end + 1, NULL),
		  -EINVAL);
	agxt_ctx_close(&c);
}

AGX_TEST(queue_create_high_realtime_with_cap_sys_nice)
{
	struct agxt_ctx c;
	uint32_t q = 0;

	/* The suite runs as root, so CAP_SYS_NICE is in the effective set. */
	agxt_ctx_open(&c);
	CHECK_ERR(agxt_queue_create_full(c.fd, c.vm_id, DRM_ASAHI_PRIORITY_HIGH, 0,
					 AGXT_USC_BASE, &q), 0);
	CHECK_ERR(agxt_queue_destroy(c.fd, q), 0);
	CHECK_ERR(agxt_queue_create_full(c.fd, c.vm_id, DRM_ASAHI_PRIORITY_REALTIME, 0,
					 AGXT_USC_BASE, &q), 0);
	CHECK_ERR(agxt_queue_destroy(c.fd, q), 0);
	agxt_ctx_close(&c);
}

/* Drop CAP_SYS_NICE from this process's effective and permitted sets. */
static int drop_cap_sys_nice(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -errno;
	d[CAP_SYS_NICE / 32].effective &= ~(1u << (CAP_SYS_NICE % 32));
	d[CAP_SYS_NICE / 32].permitted &= ~(1u << (CAP_SYS_NICE % 32));
	d[CAP_SYS_NICE / 32].inheritable &= ~(1u << (CAP_SYS_NICE % 32));
	if (syscall(SYS_capset, &h, d))
		return -errno;
	if (prctl(PR_CAPBSET_DROP, CAP_SYS_NICE, 0, 0, 0))
		return -errno;
	return 0;
}

AGX_TEST(queue_create_high_realtime_without_cap_sys_nice_eperm)
{
	struct agxt_ctx c;
	int status = 0;
	pid_t pid;

	agxt_ctx_open(&c);
	fflush(stdout);
	pid = fork();
	AGX_REQUIRE(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		uint32_t q = 0;
		int bad = 0;

		if (drop_cap_sys_nice())
			_exit(100);
		bad |= agxt_queue_create_full(c.fd, c.vm_id, DRM_ASAHI_PRIORITY_HIGH, 0,
					      AGXT_USC_BASE, &q) != -EPERM;
		bad |= (agxt_queue_create_full(c.fd, c.vm_id, DRM_ASAHI_PRIORITY_REALTIME, 0,
					       AGXT_USC_BASE, &q) != -EPERM) << 1;
		/* Ordinary priorities still work without the capability. */
		if (agxt_queue_create_full(c.fd, c.vm_id, DRM_ASAHI_PRIORITY_MEDIUM, 0,
					   AGXT_USC_BASE, &q) == 0)
			agxt_queue_destroy(c.fd, q);
		else
			bad |= 4;
		_exit(bad);
	}
	AGX_REQUIRE(waitpid(pid, &status, 0) == pid, "waitpid");
	AGX_CHECK(WIFEXITED(status) && WEXITSTATUS(status) != 100, "could not drop the cap");
	AGX_CHECK(WIFEXITED(status) && !(WEXITSTATUS(status) & 1), "HIGH not -EPERM");
	AGX_CHECK(WIFEXITED(status) && !(WEXITSTATUS(status) & 2), "REALTIME not -EPERM");
	AGX_CHECK(WIFEXITED(status) && !(WEXITSTATUS(status) & 4), "MEDIUM refused");
	agxt_ctx_close(&c);
}

AGX_TEST(queue_destroy_unknown_and_twice)
{
	struct agxt_ctx c;
	uint32_t q;

	agxt_ctx_open(&c);
	CHECK_ERR(agxt_queue_destroy(c.fd, 0xdeadbeef), -ENOENT);
	q = agxt_queue_new(&c);
	CHECK_ERR(agxt_queue_destroy(c.fd, q + 1000), -ENOENT);
	CHECK_ERR(agxt_queue_destroy(c.fd, q), 0);
	CHECK_ERR(agxt_queue_destroy(c.fd, q), -ENOENT);
	agxt_ctx_close(&c);
}

AGX_TEST(queue_destroy_nonzero_pad)
{
	struct agxt_ctx c;
	struct drm_asahi_queue_destroy d;

	agxt_ctx_open(&c);
	d.queue_id = agxt_queue_new(&c);
	d.pad = 1;
	CHECK_ERR(xioctl(c.fd, DRM_IOCTL_ASAHI_QUEUE_DESTROY, &d), -EINVAL);
	/* Still there: a clean destroy works. */
	CHECK_ERR(agxt_queue_destroy(c.fd, d.queue_id), 0);
	agxt_ctx_close(&c);
}

AGX_TEST(queue_many_unique_ids)
{
	struct agxt_ctx c;
	uint32_t q[16];
	unsigned i, j;

	agxt_ctx_open(&c);
	for (i = 0; i < 16; i++)
		CHECK_ERR(agxt_queue_create_full(c.fd, c.vm_id, i % 2, 0, AGXT_USC_BASE, &q[i]), 0);
	for (i = 0; i < 16; i++)
		for (j = 0; j < i; j++)
			AGX_CHECK(q[i] != q[j], "queues %u and %u share id %u", i, j, q[i]);
	for (i = 0; i < 16; i++)
		CHECK_ERR(agxt_queue_destroy(c.fd, q[i]), 0);
	agxt_ctx_close(&c);
}

AGX_TEST(queue_ids_are_per_file)
{
	struct agxt_ctx a, b;
	struct agxt_job j;
	uint8_t buf[128];
	size_t n;
	uint32_t qa;

	agxt_ctx_open(&a);
	agxt_ctx_open(&b);
	qa = agxt_queue_new(&a);
	fill_job(&b, AGXT_DATA_BASE, 0, 32, &j);
	n = one_compute(buf, &j.cmd, sizeof(j.cmd), DRM_ASAHI_BARRIER_NONE, 0);
	/* b has no queue at all: a's id means nothing there. */
	CHECK_ERR(agxt_submit_raw(b.fd, qa, buf, (uint32_t)n, NULL, 0, NULL, 0), -ENOENT);
	CHECK_ERR(agxt_queue_destroy(b.fd, qa), -ENOENT);
	CHECK_ERR(agxt_queue_destroy(a.fd, qa), 0);
	agxt_ctx_close(&b);
	agxt_ctx_close(&a);
}

AGX_TEST(queue_close_file_with_queues)
{
	struct agxt_ctx c;
	unsigned i;
	long vms_before;

	/* Closing the file drops its queues (and with them the VM they
	 * hold): the "queues" and "objects" debugfs files show none left. */
	vms_before = objects_vms();
	agxt_ctx_open(&c);
	for (i = 0; i < 4; i++)
		agxt_queue_new(&c);
	AGX_CHECK_EQ(objects_vms(), vms_before + 1);
	agxt_ctx_close(&c);
	AGX_CHECK_EQ(objects_vms(), vms_before);
	AGX_CHECK(strstr(debugfs_read("queues"), "queue client") == NULL,
		  "queues left:\n%s", debugfs_read("queues"));
}

/* A LOOP job of @loops iterations writing loops + 0 to @r's output
 * (about 60 to 400 us per iteration under TCG, depending on host load). */
static void slow_job(struct rig *r, uint32_t loops, struct agxt_job *j)
{
	struct agxt_job_desc d = { .shader = AGXT_SHADER_LOOP, .k = 0, .loops = loops,
				   .threads = 64, .out_va = r->out.va };

	agxt_job_build(&r->c, &d, j);
}

/* Export a binary syncobj's fence as a sync_file and wait for it with
 * poll(); returns the sync_file status (1, or the fence error), 0 on
 * timeout. */
static int sync_file_wait(int sfd, int timeout_ms)
{
	struct pollfd p = { .fd = sfd, .events = POLLIN };
	struct sync_file_info info;

	if (poll(&p, 1, timeout_ms) != 1)
		return 0;
	memset(&info, 0, sizeof(info));
	if (ioctl(sfd, SYNC_IOC_FILE_INFO, &info))
		return -errno;
	return info.status;
}

static int export_sync_file(int fd, uint32_t s)
{
	struct drm_syncobj_handle h = {
		.handle = s, .flags = DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE, .fd = -1,
	};

	AGX_REQUIRE(xioctl(fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &h) == 0, "export sync_file");
	return h.fd;
}

AGX_TEST(queue_destroy_with_work_in_flight)
{
	struct rig r;
	struct agxt_job j[3];
	uint32_t s;
	struct drm_asahi_sync out;
	int sfd, st;

	/* QUEUE_DESTROY with jobs queued and running returns, and their
	 * fence still signals (done, or cancelled), never hangs. */
	rig_open(&r);
	s = agxt_syncobj_new(r.c.fd);
	out = agxt_sync_bin(s);
	for (unsigned i = 0; i < 3; i++) {
		slow_job(&r, 2000, &j[i]);
		CHECK_ERR(agxt_submit_job(&r.c, r.q, &j[i], NULL, 0, &out, i == 2), 0);
	}
	sfd = export_sync_file(r.c.fd, s);
	CHECK_ERR(agxt_queue_destroy(r.c.fd, r.q), 0);
	st = sync_file_wait(sfd, WAIT_MS);
	AGX_CHECK(st == 1 || st == -ECANCELED, "last job's fence: %d", st);
	close(sfd);
	drmSyncobjDestroy(r.c.fd, s);
	agxt_bo_free(&r.c, &r.out);
	agxt_ctx_close(&r.c);
}

AGX_TEST(queue_close_file_with_work_in_flight)
{
	struct rig r;
	struct agxt_job j[3];
	uint32_t s;
	struct drm_asahi_sync out;
	int sfd, st;

	/* Closing the file with work queued: the exported fence of the last
	 * job still signals (done or cancelled). */
	rig_open(&r);
	s = agxt_syncobj_new(r.c.fd);
	out = agxt_sync_bin(s);
	for (unsigned i = 0; i < 3; i++) {
		slow_job(&r, 2000, &j[i]);
		CHECK_ERR(agxt_submit_job(&r.c, r.q, &j[i], NULL, 0, &out, i == 2), 0);
	}
	sfd = export_sync_file(r.c.fd, s);
	munmap(r.out.map, r.out.size_B);
	munmap(r.c.usc, AGXT_USC_SIZE);
	close(r.c.fd);
	st = sync_file_wait(sfd, WAIT_MS);
	AGX_CHECK(st == 1 || st == -ECANCELED, "last job's fence: %d", st);
	close(sfd);
}

/* The whole of a debugfs file of the asahi device (static buffer). */
static const char *debugfs_read(const char *file)
{
	static char out[1 << 16];
	char path[300], buf[64];
	size_t n = 0;
	FILE *f;

	out[0] = 0;
	for (unsigned i = 0; i < 64; i++) {
		snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%u/name", i);
		f = fopen(path, "r");
		if (!f)
			continue;
		buf[0] = 0;
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = 0;
		fclose(f);
		if (strncmp(buf, "asahi", 5))
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%u/%s", i, file);
		f = fopen(path, "r");
		if (!f)
			break;
		n = fread(out, 1, sizeof(out) - 1, f);
		out[n] = 0;
		fclose(f);
		break;
	}
	return out;
}

AGX_TEST(queue_debugfs_counts_jobs)
{
	struct rig r;
	struct agxt_job good[2], bad;
	char key[96];
	const char *s, *line;
	unsigned long long submitted, completed, failed;
	unsigned inflight, prio;

	/* The "queues" debugfs file: the queue's VM, priority, USC base and
	 * job counters after two good jobs and one that faults. */
	rig_open(&r);
	agxt_queue_destroy(r.c.fd, r.q);
	CHECK_ERR(agxt_queue_create_full(r.c.fd, r.c.vm_id, DRM_ASAHI_PRIORITY_LOW, 0,
					 AGXT_USC_BASE, &r.q), 0);
	fill_job(&r.c, r.out.va, 1, 32, &good[0]);
	fill_job(&r.c, r.out.va + 512, 2, 32, &good[1]);
	fill_job(&r.c, 0x3f0000000ull, 0, 32, &bad);
	CHECK_ERR(agxt_run_job(&r.c, r.q, &good[0], WAIT_MS), 1);
	CHECK_ERR(agxt_run_job(&r.c, r.q, &bad, WAIT_MS), -EIO);
	CHECK_ERR(agxt_run_job(&r.c, r.q, &good[1], WAIT_MS), 1);
	s = debugfs_read("queues");
	snprintf(key, sizeof(key), " id %u vm %u priority ", r.q, r.c.vm_id);
	line = strstr(s, key);
	AGX_REQUIRE(line, "no \"%s\" in queues:\n%s", key, s);
	AGX_REQUIRE(sscanf(line + strlen(key), "%u", &prio) == 1, "bad line");
	AGX_CHECK_EQ(prio, DRM_ASAHI_PRIORITY_LOW);
	AGX_CHECK(strstr(line, "usc_exec_base 0x100000000 ") != NULL, "usc base: %.200s", line);
	line = strstr(line, " submitted ");
	AGX_REQUIRE(line && sscanf(line, " submitted %llu completed %llu failed %llu inflight %u",
				   &submitted, &completed, &failed, &inflight) == 4,
		    "bad counters: %.200s", line ? line : "");
	AGX_CHECK_EQ(submitted, 3);
	AGX_CHECK_EQ(completed, 2);
	AGX_CHECK_EQ(failed, 1);
	AGX_CHECK_EQ(inflight, 0);
	rig_close(&r);
}

AGX_TEST(queue_destroy_vm_under_live_queue)
{
	struct rig r;
	struct agxt_job j;

	/* VM_DESTROY unmaps everything at once (kernel/agx_vm.c), even with a
	 * queue still on the VM: that queue's next job faults cleanly (-EIO),
	 * and the queue can still be destroyed. */
	rig_open(&r);
	fill_job(&r.c, r.out.va, 7, 64, &j);
	CHECK_ERR(agxt_vm_destroy(r.c.fd, r.c.vm_id), 0);
	CHECK_ERR(agxt_run_job(&r.c, r.q, &j, WAIT_MS), -EIO);
	AGX_CHECK(((uint32_t *)r.out.map)[0] == 0xeeeeeeeeu, "out[0] = %#x",
		  ((uint32_t *)r.out.map)[0]);
	CHECK_ERR(agxt_queue_destroy(r.c.fd, r.q), 0);
	agxt_gem_close(r.c.fd, r.out.handle);
	munmap(r.out.map, r.out.size_B);
	munmap(r.c.usc, AGXT_USC_SIZE);
	agxt_gem_close(r.c.fd, r.c.usc_handle);
	close(r.c.fd);
}

/*
 * Tests of behaviour the kernel gets wrong today (see the report in
 * tests/kernel/README.md) are skipped as TODO, naming the bug, unless
 * AGX_SUBMIT_KNOWN_BUGS=1 is set, which runs them (and they fail).
 */
static void known_kernel_bug(const char *what)
{
	const char *e = getenv("AGX_SUBMIT_KNOWN_BUGS");

	if (!e || !atoi(e))
		AGX_SKIP("TODO kernel bug: %s (AGX_SUBMIT_KNOWN_BUGS=1 runs this)", what);
}

/* An out syncobj of a refused submit must stay without a fence. */
static void check_untouched(int fd, uint32_t s)
{
	CHECK_ERR(agxt_syncobj_status(fd, s), -EINVAL);
}

/* Submit @buf with one out syncobj and expect @err, nothing signalled. */
static void expect_refused_at(struct rig *r, const void *buf, size_t n, int err, int line)
{
	uint32_t s = agxt_syncobj_new(r->c.fd);
	struct drm_asahi_sync out = agxt_sync_bin(s);
	int ret = agxt_submit_raw(r->c.fd, r->q, buf, (uint32_t)n, NULL, 0, &out, 1);

	AGX_CHECK(ret == err, "line %d: SUBMIT = %d (%s), want %d (%s)", line, ret,
		  strerror(-ret), err, strerror(-err));
	ret = agxt_syncobj_status(r->c.fd, s);
	AGX_CHECK(ret == -EINVAL, "line %d: out syncobj got a fence (status %d)", line, ret);
	drmSyncobjDestroy(r->c.fd, s);
}

#define expect_refused(r, buf, n, err) expect_refused_at(r, buf, n, err, __LINE__)

/* ==== SUBMIT: valid ======================================================= */

AGX_TEST(submit_compute_fill)
{
	struct rig r;
	struct agxt_job j;
	const uint32_t *out;

	rig_open(&r);
	fill_job(&r.c, r.out.va, 1000, 100, &j);
	CHECK_ERR(agxt_run_job(&r.c, r.q, &j, WAIT_MS), 1);
	out = r.out.map;
	check_fill(out, 100, 1000);
	/* Nothing past the grid was written. */
	for (unsigned i = 100; i < 256; i++)
		AGX_CHECK(out[i] == 0xeeeeeeeeu, "out[%u] = %#x", i, out[i]);
	rig_close(&r);
}

AGX_TEST(submit_compute_load_store)
{
	struct rig r;
	struct agxt_bo in;
	struct agxt_job j;
	struct agxt_job_desc d = { .shader = AGXT_SHADER_ADD, .k = 5, .threads = 96 };
	uint32_t *src;
	unsigned i;

	rig_open(&r);
	agxt_bo_new(&r.c, AGXT_PAGE, 0, &in);
	src = in.map;
	for (i = 0; i < 96; i++)
		src[i] = i * 3;
	d.in_va = in.va;
	d.out_va = r.out.va;
	agxt_job_build(&r.c, &d, &j);
	CHECK_ERR(agxt_run_job(&r.c, r.q, &j, WAIT_MS), 1);
	for (i = 0; i < 96; i++)
		AGX_CHECK(((uint32_t *)r.out.map)[i] == i * 3 + 5, "out[%u] = %u", i,
			  ((uint32_t *)r.out.map)[i]);
	agxt_bo_free(&r.c, &in);
	rig_close(&r);
}

AGX_TEST(submit_compute_loop_shader)
{
	struct rig r;
	struct agxt_job j;
	struct agxt_job_desc d = { .shader = AGXT_SHADER_LOOP, .k = 1, .loops = 50,
				   .threads = 32 };
	unsigned i;

	rig_open(&r);
	d.out_va = r.out.va;
	agxt_job_build(&r.c, &d, &j);
	CHECK_ERR(agxt_run_job(&r.c, r.q, &j, WAIT_MS), 1);
	for (i = 0; i < 32; i++)
		AGX_CHECK_EQ(((uint32_t *)r.out.map)[i], 51);
	rig_close(&r);
}

/* Two COMPUTE commands in one submit; the second reads what the first
 * wrote, ordered by cdm_barrier = 1. */
AGX_TEST(submit_two_commands_with_barrier)
{
	struct rig r;
	struct agxt_bo mid;
	struct agxt_job a, b;
	struct agxt_job_desc db = { .shader = AGXT_SHADER_ADD, .k = 100, .threads = 64 };
	uint8_t buf[256];
	size_t n;
	uint32_t s;
	struct drm_asahi_sync out;

	rig_open(&r);
	agxt_bo_new(&r.c, AGXT_PAGE, 0, &mid);
	memset(mid.map, 0, mid.size_B);
	fill_job(&r.c, mid.va, 10, 64, &a);
	db.in_va = mid.va;
	db.out_va = r.out.va;
	agxt_job_build(&r.c, &db, &b);
	n = agxt_cmd_append(buf, 0, DRM_ASAHI_CMD_COMPUTE, &a.cmd, sizeof(a.cmd),
			    DRM_ASAHI_BARRIER_NONE, 0);
	n = agxt_cmd_append(buf, n, DRM_ASAHI_CMD_COMPUTE, &b.cmd, sizeof(b.cmd),
			    DRM_ASAHI_BARRIER_NONE, 1);
	s = agxt_syncobj_new(r.c.fd);
	out = agxt_sync_bin(s);
	CHECK_ERR(agxt_submit_raw(r.c.fd, r.q, buf, (uint32_t)n, NULL, 0, &out, 1), 0);
	CHECK_ERR(agxt_syncobj_wait(r.c.fd, s, WAIT_MS), 0);
	CHECK_ERR(agxt_syncobj_status(r.c.fd, s), 1);
	check_fill(mid.map, 64, 10);
	check_fill(r.out.map, 64, 110);
	drmSyncobjDestroy(r.c.fd, s);
	agxt_bo_free(&r.c, &mid);
	rig_close(&r);
}

AGX_TEST(submit_max_commands)
{
	struct rig r;
	struct agxt_job j[64];
	uint32_t max, i, s;
	uint8_t *buf;
	size_t n = 0;
	struct drm_asahi_sync out;

	rig_open(&r);
	max = r.c.params.max_commands_per_submission;
	AGX_REQUIRE(max >= 1 && max <= 64, "max_commands_per_submission %u", max);
	buf = calloc(max, sizeof(struct drm_asahi_cmd_header) + sizeof(j[0].cmd));
	AGX_REQUIRE(buf, "oom");
	/* Command i writes 32 words at out + 128 * i. */
	for (i = 0; i < max; i++) {
		fill_job(&r.c, r.out.va + 128 * i, i * 1000, 32, &j[i]);
		n = agxt_cmd_append(buf, n, DRM_ASAHI_CMD_COMPUTE, &j[i].cmd, sizeof(j[i].cmd),
				    DRM_ASAHI_BARRIER_NONE, (uint16_t)i);
	}
	s = agxt_syncobj_new(r.c.fd);
	out = agxt_sync_bin(s);
	CHECK_ERR(agxt_submit_raw(r.c.fd, r.q, buf, (uint32_t)n, NULL, 0, &out, 1), 0);
	CHECK_ERR(agxt_syncobj_wait(r.c.fd, s, WAIT_MS * 3), 0);
	CHECK_ERR(agxt_syncobj_status(r.c.fd, s), 1);
	for (i = 0; i < max; i++)
		check_fill((uint8_t *)r.out.map + 128 * i, 32, i * 1000);
	drmSyncobjDestroy(r.c.fd, s);
	free(buf);
	rig_close(&r);
}

AGX_TEST(submit_without_syncs_runs_in_order)
{
	struct rig r;
	struct agxt_job a, b;

	/* A submit with no out sync runs all the same; a later one on the same
	 * queue (with an out sync) finishes after it. */
	rig_open(&r);
	fill_job(&r.c, r.out.va, 3, 64, &a);
	fill_job(&r.c, r.out.va + 1024, 4, 64, &b);
	CHECK_ERR(agxt_submit_job(&r.c, r.q, &a, NULL, 0, NULL, 0), 0);
	CHECK_ERR(agxt_run_job(&r.c, r.q, &b, WAIT_MS), 1);
	check_fill(r.out.map, 64, 3);
	check_fill((uint8_t *)r.out.map + 1024, 64, 4);
	rig_close(&r);
}

AGX_TEST(submit_with_compute_attachments)
{
	struct rig r;
	struct agxt_job j;
	struct drm_asahi_attachment att[2] = {
		{ .size = AGXT_PAGE },
		{ .size = 256 },
	};
	uint8_t buf[256];
	size_t n;
	uint32_t s;
	struct drm_asahi_sync out;

	rig_open(&r);
	att[0].pointer = r.out.va;
	att[1].pointer = r.out.va + 4096;
	fill_job(&r.c, r.out.va, 77, 64, &j);
	n = agxt_cmd_append(buf, 0, DRM_ASAHI_SET_COMPUTE_ATTACHMENTS, att, sizeof(att),
			    DRM_ASAHI_BARRIER_NONE, DRM_ASAHI_BARRIER_NONE);
	n = agxt_cmd_append(buf, n, DRM_ASAHI_CMD_COMPUTE, &j.cmd, sizeof(j.cmd),
			    DRM_ASAHI_BARRIER_NONE, 0);
	s = agxt_syncobj_new(r.c.fd);
	out = agxt_sync_bin(s);
	CHECK_ERR(agxt_submit_raw(r.c.fd, r.q, buf, (uint32_t)n, NULL, 0, &out, 1), 0);
	CHECK_ERR(agxt_syncobj_wait(r.c.fd, s, WAIT_MS), 0);
	CHECK_ERR(agxt_syncobj_status(r.c.fd, s), 1);
	check_fill(r.out.map, 64, 77);
	drmSyncobjDestroy(r.c.fd, s);
	rig_close(&r);
}

AGX_TEST(submit_short_payload_reads_as_zero)
{
	struct rig r;
	struct agxt_job j;
	uint8_t buf[256];
	size_t n;
	uint32_t s;
	struct drm_asahi_sync out;

	/* Older userspace: a COMPUTE payload without the timestamps (and
	 * helper) at its end. The missing tail reads as zero. */
	rig_open(&r);
	fill_job(&r.c, r.out.va, 9, 64, &j);
	n = one_compute(buf, &j.cmd, offsetof(struct drm_asahi_cmd_compute, helper),
			DRM_ASAHI_BARRIER_NONE, 0);
	s = agxt_syncobj_new(r.c.fd);
	out = agxt_sync_bin(s);
	CHECK_ERR(agxt_submit_raw(r.c.fd, r.q, buf, (uint32_t)n, NULL, 0, &out, 1), 0);
	CHECK_ERR(agxt_syncobj_wait(r.c.fd, s, WAIT_MS), 0);
	CHECK_ERR(agxt_syncobj_status(r.c.fd, s), 1);
	check_fill(r.out.map, 64, 9);
	drmSyncobjDestroy(r.c.fd, s);
	rig_close(&r);
}

AGX_TEST(submit_long_payload_nonzero_tail_einval)
{
	struct rig r;
	struct agxt_job j;
	uint8_t payload[sizeof(j.cmd) + 16], buf[256];
	size_t n;

	/* A payload longer than the kernel's structure with a nonzero byte in
	 * the tail the kernel does not know: refused. */
	rig_open(&r);
	fill_job(&r.c, r.out.va, 11, 64, &j);
	memset(payload, 0, sizeof(payload));
	memcpy(payload, &j.cmd, sizeof(j.cmd));
	payload[sizeof(j.cmd) + 9] = 1;
	n = one_compute(buf, (const void *)payload, sizeof(payload), DRM_ASAHI_BARRIER_NONE, 0);
	expect_refused(&r, buf, n, -EINVAL);
	rig_close(&r);
}

AGX_TEST(submit_long_payload_zero_tail_accepted)
{
	struct rig r;
	struct agxt_job j;
	uint8_t payload[sizeof(j.cmd) + 16], buf[256];
	size_t n;

	/*
	 * Newer userspace: a longer payload is accepted while the tail the
	 * kernel does not know is zero (the UAPI header's extensibility rules,
	 * "A longer one from newer userspace is accepted only when the tail
	 * the kernel does not know is zero").
	 */
	rig_open(&r);
	fill_job(&r.c, r.out.va, 11, 64, &j);
	memset(payload, 0, sizeof(payload));
	memcpy(payload, &j.cmd, sizeof(j.cmd));
	n = one_compute(buf, (const void *)payload, sizeof(payload), DRM_ASAHI_BARRIER_NONE, 0);
	CHECK_ERR(agxt_submit_raw(r.c.fd, r.q, buf, (uint32_t)n, NULL, 0, NULL, 0), 0);
	/* It ran (a later job on the queue finishes after it). */
	fill_job(&r.c, r.out.va + 2048, 12, 32, &j);
	CHECK_ERR(agxt_run_job(&r.c, r.q, &j, WAIT_MS), 1);
	check_fill(r.out.map, 64, 11);
	rig_close(&r);
}

AGX_TEST(submit_many_in_a_row)
{
	struct rig r;
	struct agxt_job j[24];
	unsigned i;

	rig_open(&r);
	for (i = 0; i < 24; i++) {
		fill_job(&r.c, r.out.va + 512 * i, 100 * i, 32, &j[i]);
		CHECK_ERR(agxt_submit_job(&r.c, r.q, &j[i], NULL, 0, NULL, 0), 0);
	}
	fill_job(&r.c, r.out.va + 512 * 24, 1, 32, &j[0]);
	CHECK_ERR(agxt_run_job(&r.c, r.q, &j[0], WAIT_MS * 2), 1);
	for (i = 0; i < 24; i++)
		check_fill((uint8_t *)r.out.map + 512 * i, 32, 100 * i);
	rig_close(&r);
}

/* ==== SUBMIT: invalid ===================================================== */

AGX_TEST(submit_bad_queue)
{
	struct rig r;
	struct agxt_job j;
	uint8_t buf[128];
	size_t n;
	uint32_t q2;

	rig_open(&r);
	fill_job(&r.c, r.out.va, 0, 32, &j);
	n = one_compute(buf, &j.cmd, sizeof(j.cmd), DRM_ASAHI_BARRIER_NONE, 0);
	CHECK_ERR(agxt_submit_raw(r.c.fd, 0xdeadbeef, buf, (uint32_t)n, NULL, 0, NULL, 0),
		  -ENOENT);
	q2 = agxt_queue_new(&r.c);
	CHECK_ERR(agxt_queue_destroy(r.c.fd, q2), 0);
	CHECK_ERR(agxt_submit_raw(r.c.fd, q2, buf, (uint32_t)n, NULL, 0, NULL, 0), -ENOENT);
	rig_close(&r);
}

AGX_TEST(submit_flags_and_pad_mbz)
{
	struct rig r;
	struct agxt_job j;
	uint8_t buf[128];
	struct drm_asahi_submit s;
	unsigned bit;

	rig_open(&r);
	fill_job(&r.c, r.out.va, 0, 32, &j);
	memset(&s, 0, sizeof(s));
	s.cmdbuf = (uintptr_t)buf;
	s.cmdbuf_size = (uint32_t)one_compute(buf, &j.cmd, sizeof(j.cmd),
					      DRM_ASAHI_BARRIER_NONE, 0);
	s.queue_id = r.q;
	for (bit = 0; bit < 32; bit++) {
		s.flags = 1u << bit;
		CHECK_ERR(xioctl(r.c.fd, DRM_IOCTL_ASAHI_SUBMIT, &s), -EINVAL);
	}
	s.flags = 0;
	s.pad = 1;
	CHECK_ERR(xioctl(r.c.fd, DRM_IOCTL_ASAHI_SUBMIT, &s), -EINVAL);
	rig_close(&r);
}

AGX_TEST(submit_bad_cmdbuf_pointer_and_size)
{
	struct rig r;
	struct agxt_job j;
	uint8_t buf[128];
	size_t n;

	rig_open(&r);
	fill_job(&r.c, r.out.va, 0, 32, &j);
	n = one_compute(buf, &j.cmd, sizeof(j.cmd), DRM_ASAHI_BARRIER_NONE, 0);
	CHECK_ERR(agxt_submit_raw(r.c.fd, r.q, NULL, (uint32_t)n, NULL, 0, NULL, 0), -EFAULT);
	CHECK_ERR(agxt_submit_raw(r.c.fd, r.q, (void *)(uintptr_t)0x1000, (uint32_t)n, NULL, 0,
				  NULL, 0), -EFAULT);
	/* Empty, and shorter than one header. */
	expect_refused(&r, buf, 0, -EINVAL);
	expect_refused(&r, buf, 4, -EINVAL);
	/* A size running past the mapping of a valid pointer. */
	{
		long pg = sysconf(_SC_PAGESIZE);
		uint8_t *m = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		AGX_REQUIRE(m != MAP_FAILED, "mmap");
		munmap(m + pg, pg);
		memcpy(m + pg - n, buf, n);
		CHECK_ERR(agxt_submit_raw(r.c.fd, r.q, m + pg - n, (uint32_t)n + 64, NULL, 0,
					  NULL, 0), -EFAULT);
		munmap(m, pg);
	}
	rig_close(&r);
}

AGX_TEST(submit_truncated_command)
{
	struct rig r;
	struct agxt_job j;
	uint8_t buf[256];
	size_t n;

	rig_open(&r);
	fill_job(&r.c, r.out.va, 0, 32, &j);
	n = one_compute(buf, &j.cmd, sizeof(j.cmd), DRM_ASAHI_BARRIER_NONE, 0);
	/* The header promises more payload than the buffer holds. */
	expect_refused(&r, buf, n - 8, -EINVAL);
	expect_refused(&r, buf, sizeof(struct drm_asahi_cmd_header), -EINVAL);
	/* A whole command followed by half a header. */
	memset(buf + n, 0, 4);
	expect_refused(&r, buf, n + 4, -EINVAL);
	rig_close(&r);
}

AGX_TEST(submit_unknown_command_type)
{
	struct rig r;
	struct agxt_job j;
	uint8_t buf[256];
	size_t n;
	static const uint16_t types[] = { 5, 6, 0x100, 0xffff };

	rig_open(&r);
	fill_job(&r.c, r.out.va, 0, 32, &j);
	for (unsigned i = 0; i < 4; i++) {
		n = agxt_cmd_append(buf, 0, types[i], &j.cmd, sizeof(j.cmd),
				    DRM_ASAHI_BARRIER_NONE, 0);
		expect_refused(&r, buf, n, -EINVAL);
		/* Also after a good command. */
		n = one_compute(buf, &j.cmd, sizeof(j.cmd), DRM_ASAHI_BARRIER_NONE, 0);
		n = agxt_cmd_append(buf, n, types[i], NULL, 0, DRM_ASAHI_BARRIER_NONE,
				    DRM_ASAHI_BARRIER_NONE);
		expect_refused(&r, buf, n, -EINVAL);
	}
	rig_close(&r);
}

AGX_TEST(submit_no_gpu_command)
{
	struct rig r;
	struct drm_asahi_attachment att = { .pointer = AGXT_DATA_BASE, .size = 64 };
	uint8_t buf[128];
	size_t n;

	/* Only an attachment-setting command: no work at all. */
	rig_open(&r);
	n = agxt_cmd_append(buf, 0, DRM_ASAHI_SET_COMPUTE_ATTACHMENTS, &att, sizeof(att),
			    DRM_ASAHI_BARRIER_NONE, DRM_ASAHI_BARRIER_NONE);
	expect_refused(&r, buf, n, -EINVAL);
	rig_close(&r);
}

AGX_TEST(submit_too_many_commands)
{
	struct rig r;
	struct agxt_job j;
	uint32_t max, i;
	uint8_t *buf;
	size_t n = 0;

	rig_open(&r);
	max = r.c.params.max_commands_per_submission;
	fill_job(&r.c, r.out.va, 0, 32, &j);
	buf = calloc(max + 1, sizeof(struct drm_asahi_cmd_header) + sizeof(j.cmd));
	AGX_REQUIRE(buf, "oom");
	for (i = 0; i <= max; i++)
		n = agxt_cmd_append(buf, n, DRM_ASAHI_CMD_COMPUTE, &j.cmd, sizeof(j.cmd),
				    DRM_ASAHI_BARRIER_NONE, DRM_ASAHI_BARRIER_NONE);
	expect_refused(&r, buf, n, -EINVAL);
	free(buf);
	rig_close(&r);
}

AGX_TEST(submit_compute_reserved_fields)
{
	struct rig r;
	struct agxt_job j;
	struct drm_asahi_cmd_compute c;
	uint8_t buf[256];
	size_t n;
	unsigned bit;

	rig_open(&r);
	fill_job(&r.c, r.out.va, 0, 32, &j);
	for (bit = 0; bit < 32; bit += 7) {
		c = j.cmd;
		c.flags = 1u << bit;
		n = one_compute(buf, &c, sizeof(c), DRM_ASAHI_BARRIER_NONE, 0);
		expect_refused(&r, buf, n, -EINVAL);
	}
	/* A stream that ends before it starts, a misaligned one, none. */
	c = j.cmd;
	c.cdm_ctrl_stream_end = c.cdm_ctrl_stream_base - 4;
	n = one_compute(buf, &c, sizeof(c), DRM_ASAHI_BARRIER_NONE, 0);
	expect_refused(&r, buf, n, -EINVAL);
	c = j.cmd;
	c.cdm_ctrl_stream_base += 2;
	n = one_compute(buf, &c, sizeof(c), DRM_ASAHI_BARRIER_NONE, 0);
	expect_refused(&r, buf, n, -EINVAL);
	c = j.cmd;
	c.cdm_ctrl_stream_base = 0;
	n = one_compute(buf, &c, sizeof(c), DRM_ASAHI_BARRIER_NONE, 0);
	expect_refused(&r, buf, n, -EINVAL);
	rig_close(&r);
}

AGX_TEST(submit_bad_attachments)
{
	struct rig r;
	struct agxt_job j;
	struct drm_asahi_attachment att[20];
	uint8_t buf[1024];
	size_t n;
	uint32_t max;

	rig_open(&r);
	max = r.c.params.max_attachments;
	AGX_REQUIRE(max < 20, "max_attachments %u", max);
	fill_job(&r.c, r.out.va, 0, 32, &j);
	memset(att, 0, sizeof(att));
	for (unsigned i = 0; i < 20; i++) {
		att[i].pointer = r.out.va;
		att[i].size = 64;
	}
#define WITH_ATT(type, sz, vdm, cdm)                                                   \
	do {                                                                           \
		n = agxt_cmd_append(buf, 0, type, att, sz, vdm, cdm);                  \
		n = agxt_cmd_append(buf, n, DRM_ASAHI_CMD_COMPUTE, &j.cmd, sizeof(j.cmd), \
				    DRM_ASAHI_BARRIER_NONE, 0);                        \
	} while (0)
	/* Payload not a whole number of attachments. */
	WITH_ATT(DRM_ASAHI_SET_COMPUTE_ATTACHMENTS, sizeof(att[0]) + 8,
		 DRM_ASAHI_BARRIER_NONE, DRM_ASAHI_BARRIER_NONE);
	expect_refused(&r, buf, n, -EINVAL);
	/* More than max_attachments. */
	WITH_ATT(DRM_ASAHI_SET_COMPUTE_ATTACHMENTS, (max + 1) * sizeof(att[0]),
		 DRM_ASAHI_BARRIER_NONE, DRM_ASAHI_BARRIER_NONE);
	expect_refused(&r, buf, n, -EINVAL);
	/* Exactly max_attachments is fine. */
	WITH_ATT(DRM_ASAHI_SET_COMPUTE_ATTACHMENTS, max * sizeof(att[0]),
		 DRM_ASAHI_BARRIER_NONE, DRM_ASAHI_BARRIER_NONE);
	CHECK_ERR(agxt_submit_raw(r.c.fd, r.q, buf, (uint32_t)n, NULL, 0, NULL, 0), 0);
	/* pad and flags MBZ. */
	att[1].pad = 1;
	WITH_ATT(DRM_ASAHI_SET_COMPUTE_ATTACHMENTS, 2 * sizeof(att[0]),
		 DRM_ASAHI_BARRIER_NONE, DRM_ASAHI_BARRIER_NONE);
	expect_refused(&r, buf, n, -EINVAL);
	att[1].pad = 0;
	att[0].flags = 1;
	WITH_ATT(DRM_ASAHI_SET_COMPUTE_ATTACHMENTS, 2 * sizeof(att[0]),
		 DRM_ASAHI_BARRIER_NONE, DRM_ASAHI_BARRIER_NONE);
	expect_refused(&r, buf, n, -EINVAL);
	att[0].flags = 0;
	/* Attachment commands must use BARRIER_NONE. */
	WITH_ATT(DRM_ASAHI_SET_COMPUTE_ATTACHMENTS, sizeof(att[0]), 0, DRM_ASAHI_BARRIER_NONE);
	expect_refused(&r, buf, n, -EINVAL);
	WITH_ATT(DRM_ASAHI_SET_FRAGMENT_ATTACHMENTS, sizeof(att[0]), DRM_ASAHI_BARRIER_NONE, 0);
	expect_refused(&r, buf, n, -EINVAL);
#undef WITH_ATT
	rig_close(&r);
}

AGX_TEST(submit_barriers_out_of_range)
{
	struct rig r;
	struct agxt_job j;
	uint8_t buf[256];
	size_t n;

	rig_open(&r);
	fill_job(&r.c, r.out.va, 0, 32, &j);
	/* First compute command: only 0 or NONE make sense for cdm_barrier. */
	n = one_compute(buf, &j.cmd, sizeof(j.cmd), DRM_ASAHI_BARRIER_NONE, 1);
	expect_refused(&r, buf, n, -EINVAL);
	n = one_compute(buf, &j.cmd, sizeof(j.cmd), DRM_ASAHI_BARRIER_NONE, 0xfffe);
	expect_refused(&r, buf, n, -EINVAL);
	/* No render command before it: vdm_barrier 1 is out of range. */
	n = one_compute(buf, &j.cmd, sizeof(j.cmd), 1, 0);
	expect_refused(&r, buf, n, -EINVAL);
	/* Second compute command: 2 is out of range, 1 is fine. */
	n = one_compute(buf, &j.cmd, sizeof(j.cmd), DRM_ASAHI_BARRIER_NONE, 0);
	n = agxt_cmd_append(buf, n, DRM_ASAHI_CMD_COMPUTE, &j.cmd, sizeof(j.cmd),
			    DRM_ASAHI_BARRIER_NONE, 2);
	expect_refused(&r, buf, n, -EINVAL);
	/* vdm 0 (all earlier render work) and NONE/0 are fine. */
	n = one_compute(buf, &j.cmd, sizeof(j.cmd), 0, DRM_ASAHI_BARRIER_NONE);
	CHECK_ERR(agxt_submit_raw(r.c.fd, r.q, buf, (uint32_t)n, NULL, 0, NULL, 0), 0);
	fill_job(&r.c, r.out.va, 21, 32, &j);
	CHECK_ERR(agxt_run_job(&r.c, r.q, &j, WAIT_MS), 1);
	rig_close(&r);
}

AGX_TEST(submit_bad_syncobj_handles)
{
	struct rig r;
	struct agxt_job j;
	uint32_t s;
	struct drm_asahi_sync sy[2];

	rig_open(&r);
	fill_job(&r.c, r.out.va, 0, 32, &j);
	s = agxt_syncobj_new(r.c.fd);
	/* Unknown handles, as wait and as signal. */
	sy[0] = agxt_sync_bin(0xdead);
	CHECK_ERR(agxt_submit_job(&r.c, r.q, &j, sy, 1, NULL, 0), -ENOENT);
	CHECK_ERR(agxt_submit_job(&r.c, r.q, &j, NULL, 0, sy, 1), -ENOENT);
	sy[0] = agxt_sync_tl(0xdead, 1);
	CHECK_ERR(agxt_submit_job(&r.c, r.q, &j, NULL, 0, sy, 1), -ENOENT);
	/* A good out syncobj next to a bad one is left alone. */
	sy[0] = agxt_sync_bin(s);
	sy[1] = agxt_sync_bin(0xdead);
	CHECK_ERR(agxt_submit_job(&r.c, r.q, &j, NULL, 0, sy, 2), -ENOENT);
	check_untouched(r.c.fd, s);
	drmSyncobjDestroy(r.c.fd, s);
	rig_close(&r);
}

AGX_TEST(submit_bad_syncs_array)
{
	struct rig r;
	struct agxt_job j;
	uint32_t s;
	struct drm_asahi_sync sy;
	uint8_t buf[128];
	size_t n;

	rig_open(&r);
	fill_job(&r.c, r.out.va, 0, 32, &j);
	s = agxt_syncobj_new(r.c.fd);
	/* Unknown sync type. */
	sy = agxt_sync_bin(s);
	sy.sync_type = 2;
	CHECK_ERR(agxt_submit_job(&r.c, r.q, &j, NULL, 0, &sy, 1), -EINVAL);
	sy.sync_type = 0xffffffffu;
	CHECK_ERR(agxt_submit_job(&r.c, r.q, &j, NULL, 0, &sy, 1), -EINVAL);
	/* A binary sync object with a timeline value. */
	sy = agxt_sync_bin(s);
	sy.timeline_value = 3;
	CHECK_ERR(agxt_submit_job(&r.c, r.q, &j, NULL, 0, &sy, 1), -EINVAL);
	check_untouched(r.c.fd, s);
	/* Counts with no array, and a bad array pointer. */
	n = one_compute(buf, &j.cmd, sizeof(j.cmd), DRM_ASAHI_BARRIER_NONE, 0);
	{
		struct drm_asahi_submit sub = {
			.cmdbuf = (uintptr_t)buf, .cmdbuf_size = (uint32_t)n, .queue_id = r.q,
			.out_sync_count = 1, .syncs = 0,
		};

		CHECK_ERR(xioctl(r.c.fd, DRM_IOCTL_ASAHI_SUBMIT, &sub), -EFAULT);
		sub.syncs = 0x1000;
		CHECK_ERR(xioctl(r.c.fd, DRM_IOCTL_ASAHI_SUBMIT, &sub), -EFAULT);
		/* Absurd counts: refused without trying to copy gigabytes. */
		sub.syncs = (uintptr_t)&sy;
		sub.out_sync_count = 0x7fffffff;
		sub.in_sync_count = 0x7fffffff;
		AGX_CHECK(xioctl(r.c.fd, DRM_IOCTL_ASAHI_SUBMIT, &sub) < 0, "absurd counts ok");
	}
	drmSyncobjDestroy(r.c.fd, s);
	rig_close(&r);
}

AGX_TEST(submit_wait_on_syncobj_without_fence)
{
	struct rig r;
	struct agxt_job j;
	uint32_t s;
	struct drm_asahi_sync in;

	/* A binary syncobj nobody ever signalled has no fence to wait for;
	 * the DRM core calls that -EINVAL (drm_syncobj_find_fence). */
	rig_open(&r);
	fill_job(&r.c, r.out.va, 0, 32, &j);
	s = agxt_syncobj_new(r.c.fd);
	in = agxt_sync_bin(s);
	CHECK_ERR(agxt_submit_job(&r.c, r.q, &j, &in, 1, NULL, 0), -EINVAL);
	drmSyncobjDestroy(r.c.fd, s);
	rig_close(&r);
}

/* GEM_BIND_OBJECT for timestamps over the whole of @bo; the object handle. */
static uint32_t ts_object(struct agxt_ctx *c, struct agxt_bo *bo)
{
	struct drm_asahi_gem_bind_object b = {
		.op = DRM_ASAHI_BIND_OBJECT_OP_BIND,
		.flags = DRM_ASAHI_BIND_OBJECT_USAGE_TIMESTAMPS,
		.handle = bo->handle, .range = bo->size_B,
	};
	int ret = xioctl(c->fd, DRM_IOCTL_ASAHI_GEM_BIND_OBJECT, &b);

	AGX_REQUIRE(ret == 0, "GEM_BIND_OBJECT: %s", strerror(-ret));
	return b.object_handle;
}

AGX_TEST(submit_timestamps)
{
	struct rig r;
	struct agxt_bo tsb;
	struct agxt_job j[2];
	uint32_t obj;
	volatile uint64_t *ts;

	/* Start and end timestamps of two jobs in a row: written, ordered. */
	rig_open(&r);
	agxt_bo_new(&r.c, AGXT_PAGE, 0, &tsb);
	memset(tsb.map, 0, tsb.size_B);
	obj = ts_object(&r.c, &tsb);
	for (unsigned i = 0; i < 2; i++) {
		fill_job(&r.c, r.out.va + 1024 * i, 60 + i, 64, &j[i]);
		j[i].cmd.ts.start.handle = obj;
		j[i].cmd.ts.start.offset = 16 * i;
		j[i].cmd.ts.end.handle = obj;
		j[i].cmd.ts.end.offset = 16 * i + 8;
	}
	CHECK_ERR(agxt_submit_job(&r.c, r.q, &j[0], NULL, 0, NULL, 0), 0);
	CHECK_ERR(agxt_run_job(&r.c, r.q, &j[1], WAIT_MS), 1);
	check_fill(r.out.map, 64, 60);
	check_fill((uint8_t *)r.out.map + 1024, 64, 61);
	ts = tsb.map;
	AGX_NOTE("timestamps %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64, ts[0], ts[1], ts[2],
		 ts[3]);
	AGX_CHECK(ts[1] != 0 && ts[3] != 0, "end timestamps not written");
	AGX_CHECK(ts[0] <= ts[1] && ts[1] <= ts[2] && ts[2] <= ts[3], "timestamps out of order");
	agxt_bo_free(&r.c, &tsb);
	rig_close(&r);
}

AGX_TEST(submit_timestamps_invalid)
{
	struct rig r;
	struct agxt_bo tsb;
	struct agxt_job j;
	struct drm_asahi_cmd_compute c;
	uint32_t obj;
	uint8_t buf[128];
	size_t n;

	rig_open(&r);
	agxt_bo_new(&r.c, AGXT_PAGE, 0, &tsb);
	obj = ts_object(&r.c, &tsb);
	fill_job(&r.c, r.out.va, 0, 32, &j);
	/* An unknown object, an offset past the range, an offset with no
	 * object. */
	c = j.cmd;
	c.ts.start.handle = obj + 100;
	n = one_compute(buf, &c, sizeof(c), DRM_ASAHI_BARRIER_NONE, 0);
	expect_refused(&r, buf, n, -EINVAL);
	c = j.cmd;
	c.ts.end.handle = obj;
	c.ts.end.offset = (uint32_t)tsb.size_B;
	n = one_compute(buf, &c, sizeof(c), DRM_ASAHI_BARRIER_NONE, 0);
	expect_refused(&r, buf, n, -EINVAL);
	c = j.cmd;
	c.ts.start.offset = 8;
	n = one_compute(buf, &c, sizeof(c), DRM_ASAHI_BARRIER_NONE, 0);
	expect_refused(&r, buf, n, -EINVAL);
	agxt_bo_free(&r.c, &tsb);
	rig_close(&r);
}

/* ==== sync objects ======================================================== */

AGX_TEST(sync_in_already_signalled)
{
	struct rig r;
	struct agxt_job j;
	uint32_t in_s, out_s;
	struct drm_asahi_sync in, out;

	rig_open(&r);
	fill_job(&r.c, r.out.va, 31, 64, &j);
	in_s = agxt_syncobj_new(r.c.fd);
	out_s = agxt_syncobj_new(r.c.fd);
	CHECK_ERR(agxt_syncobj_signal(r.c.fd, in_s), 0);
	in = agxt_sync_bin(in_s);
	out = agxt_sync_bin(out_s);
	CHECK_ERR(agxt_submit_job(&r.c, r.q, &j, &in, 1, &out, 1), 0);
	CHECK_ERR(agxt_syncobj_wait(r.c.fd, out_s, WAIT_MS), 0);
	CHECK_ERR(agxt_syncobj_status(r.c.fd, out_s), 1);
	check_fill(r.out.map, 64, 31);
	drmSyncobjDestroy(r.c.fd, in_s);
	drmSyncobjDestroy(r.c.fd, out_s);
	rig_close(&r);
}

AGX_TEST(sync_binary_chain_across_two_queues)
{
	struct rig r;
	struct agxt_bo mid;
	struct agxt_job a, b;
	struct agxt_job_desc da = { .shader = AGXT_SHADER_LOOP, .k = 0, .loops = 400,
				    .threads = 64 };
	struct agxt_job_desc db = { .shader = AGXT_SHADER_ADD, .k = 1000, .threads = 64 };
	uint32_t q2, s1, s2;
	struct drm_asahi_sync o1, i2, o2;
	unsigned i;

	/* A (slow) on queue 1 writes mid; B on queue 2 waits for A's fence and
	 * reads mid. Without the wait B would read zeros. */
	rig_open(&r);
	q2 = agxt_queue_new(&r.c);
	agxt_bo_new(&r.c, AGXT_PAGE, 0, &mid);
	memset(mid.map, 0, mid.size_B);
	da.out_va = mid.va;
	agxt_job_build(&r.c, &da, &a);
	db.in_va = mid.va;
	db.out_va = r.out.va;
	agxt_job_build(&r.c, &db, &b);
	s1 = agxt_syncobj_new(r.c.fd);
	s2 = agxt_syncobj_new(r.c.fd);
	o1 = agxt_sync_bin(s1);
	i2 = agxt_sync_bin(s1);
	o2 = agxt_sync_bin(s2);
	CHECK_ERR(agxt_submit_job(&r.c, r.q, &a, NULL, 0, &o1, 1), 0);
	CHECK_ERR(agxt_submit_job(&r.c, q2, &b, &i2, 1, &o2, 1), 0);
	CHECK_ERR(agxt_syncobj_wait(r.c.fd, s2, WAIT_MS), 0);
	CHECK_ERR(agxt_syncobj_status(r.c.fd, s1), 1);
	CHECK_ERR(agxt_syncobj_status(r.c.fd, s2), 1);
	for (i = 0; i < 64; i++)
		AGX_CHECK(((uint32_t *)r.out.map)[i] == 1400, "out[%u] = %u", i,
			  ((uint32_t *)r.out.map)[i]);
	drmSyncobjDestroy(r.c.fd, s1);
	drmSyncobjDestroy(r.c.fd, s2);
	agxt_queue_destroy(r.c.fd, q2);
	agxt_bo_free(&r.c, &mid);
	rig_close(&r);
}

AGX_TEST(sync_timeline_signal_point)
{
	struct rig r;
	struct agxt_job j;
	uint32_t tl;
	uint64_t point = 5, value = 0;
	struct drm_asahi_sync out;

	rig_open(&r);
	fill_job(&r.c, r.out.va, 40, 64, &j);
	tl = agxt_syncobj_new(r.c.fd);
	out = agxt_sync_tl(tl, 5);
	CHECK_ERR(agxt_submit_job(&r.c, r.q, &j, NULL, 0, &out, 1), 0);
	CHECK_ERR(agxt_timeline_wait(r.c.fd, tl, point, WAIT_MS), 0);
	CHECK_ERR(agxt_syncobj_query(r.c.fd, tl, &value), 0);
	AGX_CHECK_EQ(value, 5);
	CHECK_ERR(agxt_timeline_status(r.c.fd, tl, 5), 1);
	check_fill(r.out.map, 64, 40);
	drmSyncobjDestroy(r.c.fd, tl);
	rig_close(&r);
}

AGX_TEST(sync_timeline_wait_point_across_queues)
{
	struct rig r;
	struct agxt_bo mid;
	struct agxt_job a, b;
	struct agxt_job_desc da = { .shader = AGXT_SHADER_LOOP, .k = 7, .loops = 300,
				    .threads = 32 };
	struct agxt_job_desc db = { .shader = AGXT_SHADER_ADD, .k = 1, .threads = 32 };
	uint32_t q2, tl;
	uint64_t pts[2] = { 1, 2 }, value = 0;
	uint32_t hs[2];
	struct drm_asahi_sync o1, i2, o2;
	unsigned i;

	/* Timeline point 1 signalled by A on queue 1; B on queue 2 waits for
	 * point 1 and signals point 2 of the same timeline. */
	rig_open(&r);
	q2 = agxt_queue_new(&r.c);
	agxt_bo_new(&r.c, AGXT_PAGE, 0, &mid);
	memset(mid.map, 0, mid.size_B);
	da.out_va = mid.va;
	agxt_job_build(&r.c, &da, &a);
	db.in_va = mid.va;
	db.out_va = r.out.va;
	agxt_job_build(&r.c, &db, &b);
	tl = agxt_syncobj_new(r.c.fd);
	o1 = agxt_sync_tl(tl, 1);
	i2 = agxt_sync_tl(tl, 1);
	o2 = agxt_sync_tl(tl, 2);
	CHECK_ERR(agxt_submit_job(&r.c, r.q, &a, NULL, 0, &o1, 1), 0);
	CHECK_ERR(agxt_submit_job(&r.c, q2, &b, &i2, 1, &o2, 1), 0);
	hs[0] = hs[1] = tl;
	CHECK_ERR(agxt_timeline_waitv(r.c.fd, hs, pts, 2, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL,
				      WAIT_MS), 0);
	CHECK_ERR(agxt_syncobj_query(r.c.fd, tl, &value), 0);
	AGX_CHECK_EQ(value, 2);
	for (i = 0; i < 32; i++)
		AGX_CHECK(((uint32_t *)r.out.map)[i] == 308, "out[%u] = %u", i,
			  ((uint32_t *)r.out.map)[i]);
	drmSyncobjDestroy(r.c.fd, tl);
	agxt_queue_destroy(r.c.fd, q2);
	agxt_bo_free(&r.c, &mid);
	rig_close(&r);
}

AGX_TEST(sync_timeline_wait_for_unsubmitted_point)
{
	struct rig r;
	struct agxt_job a;
	uint32_t tl, s;
	uint64_t point = 3;
	struct drm_asahi_sync in, out;

	/* Submitting a wait on a timeline point nobody has signalled yet:
	 * the kernel cannot know the fence, so the submit is refused and
	 * nothing is signalled (drm_syncobj_find_fence without
	 * WAIT_FOR_SUBMIT). */
	rig_open(&r);
	fill_job(&r.c, r.out.va, 0, 32, &a);
	tl = agxt_syncobj_new(r.c.fd);
	s = agxt_syncobj_new(r.c.fd);
	in = agxt_sync_tl(tl, point);
	out = agxt_sync_bin(s);
	AGX_CHECK(agxt_submit_job(&r.c, r.q, &a, &in, 1, &out, 1) < 0,
		  "a wait on an unsubmitted point was accepted");
	check_untouched(r.c.fd, s);
	drmSyncobjDestroy(r.c.fd, s);
	drmSyncobjDestroy(r.c.fd, tl);
	rig_close(&r);
}

AGX_TEST(sync_many_out_syncs)
{
	struct rig r;
	struct agxt_job j;
	uint32_t s[3], tl;
	struct drm_asahi_sync out[5];
	uint64_t v = 0;
	unsigned i;

	rig_open(&r);
	fill_job(&r.c, r.out.va, 50, 32, &j);
	for (i = 0; i < 3; i++) {
		s[i] = agxt_syncobj_new(r.c.fd);
		out[i] = agxt_sync_bin(s[i]);
	}
	tl = agxt_syncobj_new(r.c.fd);
	out[3] = agxt_sync_tl(tl, 10);
	out[4] = agxt_sync_tl(tl, 11);
	CHECK_ERR(agxt_submit_job(&r.c, r.q, &j, NULL, 0, out, 5), 0);
	CHECK_ERR(agxt_syncobj_waitv(r.c.fd, s, 3, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL, WAIT_MS), 0);
	for (i = 0; i < 3; i++)
		CHECK_ERR(agxt_syncobj_status(r.c.fd, s[i]), 1);
	CHECK_ERR(agxt_syncobj_query(r.c.fd, tl, &v), 0);
	AGX_CHECK_EQ(v, 11);
	check_fill(r.out.map, 32, 50);
	for (i = 0; i < 3; i++)
		drmSyncobjDestroy(r.c.fd, s[i]);
	drmSyncobjDestroy(r.c.fd, tl);
	rig_close(&r);
}

AGX_TEST(sync_many_in_syncs_mixed)
{
	struct rig r;
	struct agxt_job a, b, c;
	uint32_t s1, tl, s3;
	struct drm_asahi_sync o, in[2];
	uint32_t q2;

	/* C waits on a binary fence (A on q1) and a timeline point (B on q2). */
	rig_open(&r);
	q2 = agxt_queue_new(&r.c);
	fill_job(&r.c, r.out.va, 1, 32, &a);
	fill_job(&r.c, r.out.va + 1024, 2, 32, &b);
	fill_job(&r.c, r.out.va + 2048, 3, 32, &c);
	s1 = agxt_syncobj_new(r.c.fd);
	tl = agxt_syncobj_new(r.c.fd);
	s3 = agxt_syncobj_new(r.c.fd);
	o = agxt_sync_bin(s1);
	CHECK_ERR(agxt_submit_job(&r.c, r.q, &a, NULL, 0, &o, 1), 0);
	o = agxt_sync_tl(tl, 4);
	CHECK_ERR(agxt_submit_job(&r.c, q2, &b, NULL, 0, &o, 1), 0);
	in[0] = agxt_sync_bin(s1);
	in[1] = agxt_sync_tl(tl, 4);
	o = agxt_sync_bin(s3);
	CHECK_ERR(agxt_submit_job(&r.c, q2, &c, in, 2, &o, 1), 0);
	CHECK_ERR(agxt_syncobj_wait(r.c.fd, s3, WAIT_MS), 0);
	CHECK_ERR(agxt_syncobj_status(r.c.fd, s1), 1);
	CHECK_ERR(agxt_timeline_status(r.c.fd, tl, 4), 1);
	CHECK_ERR(agxt_syncobj_status(r.c.fd, s3), 1);
	check_fill(r.out.map, 32, 1);
	check_fill((uint8_t *)r.out.map + 1024, 32, 2);
	check_fill((uint8_t *)r.out.map + 2048, 32, 3);
	drmSyncobjDestroy(r.c.fd, s1);
	drmSyncobjDestroy(r.c.fd, tl);
	drmSyncobjDestroy(r.c.fd, s3);
	agxt_queue_destroy(r.c.fd, q2);
	rig_close(&r);
}

AGX_TEST(sync_long_chain_ping_pong)
{
	struct rig r;
	struct agxt_bo buf[2];
	struct agxt_job j[8];
	uint32_t q[2], tl;
	unsigned i;

	/* x0 = fill(k=0); x(i+1) = x(i) + 1 alternating between two queues and
	 * two buffers, each step waiting for timeline point i. */
	rig_open(&r);
	q[0] = r.q;
	q[1] = agxt_queue_new(&r.c);
	agxt_bo_new(&r.c, AGXT_PAGE, 0, &buf[0]);
	agxt_bo_new(&r.c, AGXT_PAGE, 0, &buf[1]);
	tl = agxt_syncobj_new(r.c.fd);
	fill_job(&r.c, buf[0].va, 0, 32, &j[0]);
	for (i = 1; i < 8; i++) {
		struct agxt_job_desc d = { .shader = AGXT_SHADER_ADD, .k = 1, .threads = 32,
					   .in_va = buf[(i - 1) % 2].va, .out_va = buf[i % 2].va };

		agxt_job_build(&r.c, &d, &j[i]);
	}
	for (i = 0; i < 8; i++) {
		struct drm_asahi_sync in = agxt_sync_tl(tl, i), out = agxt_sync_tl(tl, i + 1);

		CHECK_ERR(agxt_submit_job(&r.c, q[i % 2], &j[i], &in, i ? 1 : 0, &out, 1), 0);
	}
	{
		uint64_t p = 8;

		CHECK_ERR(agxt_timeline_wait(r.c.fd, tl, p, WAIT_MS), 0);
	}
	check_fill(buf[1].map, 32, 7);
	drmSyncobjDestroy(r.c.fd, tl);
	agxt_queue_destroy(r.c.fd, q[1]);
	agxt_bo_free(&r.c, &buf[0]);
	agxt_bo_free(&r.c, &buf[1]);
	rig_close(&r);
}

/* ==== concurrency ========================================================= */

AGX_TEST(conc_queues_one_process)
{
	enum { NQ = 4, NJ = 6 };
	struct rig r;
	uint32_t q[NQ], s[NQ];
	struct agxt_job j;
	unsigned i, k;

	rig_open(&r);
	for (i = 0; i < NQ; i++) {
		q[i] = agxt_queue_new(&r.c);
		s[i] = agxt_syncobj_new(r.c.fd);
	}
	/* Interleaved: job k of queue i writes 32 words at slot i * NJ + k. */
	for (k = 0; k < NJ; k++) {
		for (i = 0; i < NQ; i++) {
			struct drm_asahi_sync out = agxt_sync_bin(s[i]);

			fill_job(&r.c, r.out.va + 128 * (i * NJ + k), 1000 * i + k, 32, &j);
			CHECK_ERR(agxt_submit_job(&r.c, q[i], &j, NULL, 0, &out,
						  k == NJ - 1 ? 1 : 0), 0);
		}
	}
	CHECK_ERR(agxt_syncobj_waitv(r.c.fd, s, NQ, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_ALL,
				     3 * WAIT_MS), 0);
	/* The last job of each queue done implies its earlier ones are. */
	for (i = 0; i < NQ; i++) {
		CHECK_ERR(agxt_syncobj_status(r.c.fd, s[i]), 1);
		for (k = 0; k < NJ; k++)
			check_fill((uint8_t *)r.out.map + 128 * (i * NJ + k), 32, 1000 * i + k);
		drmSyncobjDestroy(r.c.fd, s[i]);
		agxt_queue_destroy(r.c.fd, q[i]);
	}
	rig_close(&r);
}

/* One child: its own file, VM and two queues, @n jobs each; exits 0 when
 * every result was right. Uses no AGX_CHECK (the parent counts). */
static int child_work(unsigned id, unsigned n)
{
	struct rig r;
	uint32_t q2, s;
	struct agxt_job j;
	unsigned i, bad = 0;
	char why[96];

	rig_open(&r);
	q2 = agxt_queue_new(&r.c);
	s = agxt_syncobj_new(r.c.fd);
	for (i = 0; i < n; i++) {
		fill_job(&r.c, r.out.va + 256 * i, id * 10000 + i, 64, &j);
		if (agxt_submit_job(&r.c, i % 2 ? q2 : r.q, &j, NULL, 0, NULL, 0))
			return 10;
	}
	/* One last job per queue with an out fence; each queue is in order. */
	for (i = 0; i < 2; i++) {
		struct drm_asahi_sync out = agxt_sync_bin(s);

		fill_job(&r.c, r.out.va + 8192 + 256 * i, 7, 64, &j);
		if (agxt_submit_job(&r.c, i ? q2 : r.q, &j, NULL, 0, &out, 1))
			return 11;
		if (agxt_syncobj_wait(r.c.fd, s, 3 * WAIT_MS) || agxt_syncobj_status(r.c.fd, s) != 1)
			return 12;
	}
	for (i = 0; i < n; i++)
		bad += agxt_check_fill((const uint32_t *)((uint8_t *)r.out.map + 256 * i), 64,
				       id * 10000 + i, why, sizeof(why)) != 0;
	if (bad)
		fprintf(stderr, "child %u: %u bad jobs, e.g. %s\n", id, bad, why);
	agxt_queue_destroy(r.c.fd, q2);
	rig_close(&r);
	return bad ? 13 : 0;
}

AGX_TEST(conc_processes)
{
	enum { NP = 4 };
	pid_t pid[NP];
	unsigned i;

	fflush(stdout);
	for (i = 0; i < NP; i++) {
		pid[i] = fork();
		AGX_REQUIRE(pid[i] >= 0, "fork: %s", strerror(errno));
		if (pid[i] == 0) {
			/* A failed AGX_REQUIRE in the child ends the child,
			 * not the parent's test list. */
			if (setjmp(agx_test_state_.stop))
				_exit(99);
			_exit(child_work(i + 1, 8));
		}
	}
	for (i = 0; i < NP; i++) {
		int status = 0;

		AGX_REQUIRE(waitpid(pid[i], &status, 0) == pid[i], "waitpid");
		AGX_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			  "child %u: %s %d", i, WIFEXITED(status) ? "exit" : "signal",
			  WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	}
}

AGX_TEST(conc_two_vms_one_file)
{
	struct agxt_ctx a, b;
	struct agxt_bo oa, ob;
	struct agxt_job ja, jb;
	uint32_t qa, qb;

	/* Two VMs on one file, the same GPU addresses in both, different
	 * buffers behind them. */
	agxt_ctx_open(&a);
	memset(&b, 0, sizeof(b));
	b.fd = a.fd;
	b.params = a.params;
	CHECK_ERR(agxt_vm_create(a.fd, AGXT_KERNEL_START + 0x100000000ull,
				 AGXT_KERNEL_END + 0x100000000ull, &b.vm_id), 0);
	CHECK_ERR(agxt_gem_create(a.fd, AGXT_USC_SIZE, DRM_ASAHI_GEM_WRITEBACK, 0,
				  &b.usc_handle), 0);
	b.usc = agxt_gem_map(a.fd, b.usc_handle, AGXT_USC_SIZE);
	CHECK_ERR(agxt_vm_bind(a.fd, b.vm_id, DRM_ASAHI_BIND_READ | DRM_ASAHI_BIND_WRITE,
			       b.usc_handle, 0, AGXT_USC_SIZE, AGXT_USC_BASE), 0);
	b.next_slot = 1;
	b.next_va = AGXT_DATA_BASE;
	agxt_bo_new(&a, AGXT_PAGE, 0, &oa);
	agxt_bo_new(&b, AGXT_PAGE, 0, &ob);
	AGX_CHECK_EQ(oa.va, ob.va);
	qa = agxt_queue_new(&a);
	qb = agxt_queue_new(&b);
	fill_job(&a, oa.va, 100, 64, &ja);
	fill_job(&b, ob.va, 200, 64, &jb);
	CHECK_ERR(agxt_submit_job(&a, qa, &ja, NULL, 0, NULL, 0), 0);
	CHECK_ERR(agxt_run_job(&b, qb, &jb, WAIT_MS), 1);
	CHECK_ERR(agxt_run_job(&a, qa, &ja, WAIT_MS), 1);
	check_fill(oa.map, 64, 100);
	check_fill(ob.map, 64, 200);
	agxt_queue_destroy(a.fd, qa);
	agxt_queue_destroy(a.fd, qb);
	agxt_bo_free(&b, &ob);
	agxt_ctx_fini_keep_fd(&b);
	agxt_bo_free(&a, &oa);
	agxt_ctx_close(&a);
}

/* ==== isolation =========================================================== */

AGX_TEST(iso_gem_handle_of_other_file)
{
	struct agxt_ctx a, b;
	struct agxt_bo bo;
	struct drm_asahi_gem_mmap_offset m;

	agxt_ctx_open(&a);
	agxt_ctx_open(&b);
	agxt_bo_new(&a, AGXT_PAGE, 0, &bo);
	/* Pick a handle number that b does not have (b has only its USC heap). */
	AGX_REQUIRE(bo.handle != b.usc_handle, "handles collide; test needs fixing");
	memset(&m, 0, sizeof(m));
	m.handle = bo.handle;
	CHECK_ERR(xioctl(b.fd, DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET, &m), -ENOENT);
	CHECK_ERR(agxt_vm_bind(b.fd, b.vm_id, DRM_ASAHI_BIND_READ, bo.handle, 0, AGXT_PAGE,
			       AGXT_DATA_BASE), -ENOENT);
	CHECK_ERR(agxt_gem_close(b.fd, bo.handle), -EINVAL);
	/* Still alive in a. */
	CHECK_ERR(agxt_gem_close(a.fd, bo.handle), 0);
	munmap(bo.map, bo.size_B);
	agxt_ctx_close(&b);
	agxt_ctx_close(&a);
}

AGX_TEST(iso_vm_of_other_file)
{
	struct agxt_ctx a, b;

	agxt_ctx_open(&a);
	agxt_ctx_open(&b);
	/* b's VM id is not known to a unless a has one with that id; make
	 * sure it does not. */
	if (b.vm_id == a.vm_id) {
		CHECK_ERR(agxt_queue_create_full(a.fd, b.vm_id + 1, 1, 0, AGXT_USC_BASE, NULL),
			  -ENOENT);
	} else {
		CHECK_ERR(agxt_queue_create_full(a.fd, b.vm_id, 1, 0, AGXT_USC_BASE, NULL),
			  -ENOENT);
	}
	agxt_ctx_close(&b);
	agxt_ctx_close(&a);
}

/* Read @va in @c on queue @q (ADD shader into @out) and return the fence
 * status. */
static int read_at(struct agxt_ctx *c, uint32_t q, uint64_t va, struct agxt_bo *out)
{
	struct agxt_job j;
	struct agxt_job_desc d = { .shader = AGXT_SHADER_ADD, .k = 1, .threads = 32,
				   .in_va = va, .out_va = out->va };

	agxt_job_build(c, &d, &j);
	return agxt_run_job(c, q, &j, WAIT_MS);
}

AGX_TEST(iso_shader_cannot_read_other_vm)
{
	struct rig a, b;
	struct agxt_bo secret;
	struct agxt_job jb;
	unsigned i;

	/* b maps a secret at an address a has nothing at. A shader in a
	 * reading it faults (fence -EIO) and never sees the data; b's own
	 * reader, submitted while a's job runs, completes correctly. */
	rig_open(&a);
	rig_open(&b);
	agxt_bo_new(&b.c, AGXT_PAGE, 0x300000000ull, &secret);
	for (i = 0; i < 32; i++)
		((uint32_t *)secret.map)[i] = 0x5ec0000 + i;
	{
		struct agxt_job_desc d = { .shader = AGXT_SHADER_ADD, .k = 1, .threads = 32,
					   .in_va = secret.va, .out_va = b.out.va };

		agxt_job_build(&b.c, &d, &jb);
	}
	CHECK_ERR(read_at(&a.c, a.q, secret.va, &a.out), -EIO);
	for (i = 0; i < 32; i++)
		AGX_CHECK((((uint32_t *)a.out.map)[i] & 0xffff0000u) != 0x5ec0000u,
			  "a read b's secret: out[%u] = %#x", i, ((uint32_t *)a.out.map)[i]);
	CHECK_ERR(agxt_run_job(&b.c, b.q, &jb, WAIT_MS), 1);
	for (i = 0; i < 32; i++)
		AGX_CHECK_EQ(((uint32_t *)b.out.map)[i], 0x5ec0000 + i + 1);
	agxt_bo_free(&b.c, &secret);
	rig_close(&b);
	rig_close(&a);
}

AGX_TEST(iso_unbound_buffer_unreachable)
{
	struct rig r;
	struct agxt_bo bo;
	uint64_t va;

	/* After VM_BIND UNBIND the address faults again. */
	rig_open(&r);
	agxt_bo_new(&r.c, AGXT_PAGE, 0, &bo);
	va = bo.va;
	CHECK_ERR(read_at(&r.c, r.q, va, &r.out), 1);
	CHECK_ERR(agxt_vm_bind(r.c.fd, r.c.vm_id, DRM_ASAHI_BIND_UNBIND, 0, 0, bo.size_B, va), 0);
	bo.va = 0;
	{
		uint32_t q2 = agxt_queue_new(&r.c);

		CHECK_ERR(read_at(&r.c, q2, va, &r.out), -EIO);
		agxt_queue_destroy(r.c.fd, q2);
	}
	agxt_bo_free(&r.c, &bo);
	rig_close(&r);
}

/* ==== faults and timeouts ================================================= */

AGX_TEST(fault_write_unmapped_guilty_only)
{
	struct rig a, b;
	struct agxt_job ja, jb, jgood;
	uint32_t sa, sb;
	struct drm_asahi_sync oa, ob;

	/* a's job writes to an unmapped address while b's slow job is
	 * queued: a's fence fails with -EIO, b's completes correctly. */
	rig_open(&a);
	rig_open(&b);
	fill_job(&a.c, 0x3f0000000ull, 0, 64, &ja);
	{
		struct agxt_job_desc d = { .shader = AGXT_SHADER_LOOP, .k = 2, .loops = 200,
					   .threads = 64, .out_va = b.out.va };

		agxt_job_build(&b.c, &d, &jb);
	}
	sa = agxt_syncobj_new(a.c.fd);
	sb = agxt_syncobj_new(b.c.fd);
	oa = agxt_sync_bin(sa);
	ob = agxt_sync_bin(sb);
	CHECK_ERR(agxt_submit_job(&b.c, b.q, &jb, NULL, 0, &ob, 1), 0);
	CHECK_ERR(agxt_submit_job(&a.c, a.q, &ja, NULL, 0, &oa, 1), 0);
	CHECK_ERR(agxt_syncobj_wait(a.c.fd, sa, WAIT_MS), 0);
	CHECK_ERR(agxt_syncobj_wait(b.c.fd, sb, WAIT_MS), 0);
	CHECK_ERR(agxt_syncobj_status(a.c.fd, sa), -EIO);
	CHECK_ERR(agxt_syncobj_status(b.c.fd, sb), 1);
	for (unsigned i = 0; i < 64; i++)
		AGX_CHECK_EQ(((uint32_t *)b.out.map)[i], 202);
	/* a can go on with a new queue. */
	{
		uint32_t q2 = agxt_queue_new(&a.c);

		fill_job(&a.c, a.out.va, 5, 64, &jgood);
		CHECK_ERR(agxt_run_job(&a.c, q2, &jgood, WAIT_MS), 1);
		check_fill(a.out.map, 64, 5);
		agxt_queue_destroy(a.c.fd, q2);
	}
	drmSyncobjDestroy(a.c.fd, sa);
	drmSyncobjDestroy(b.c.fd, sb);
	rig_close(&b);
	rig_close(&a);
}

AGX_TEST(fault_bad_stream_address)
{
	struct rig r;
	struct agxt_job j;

	/* The CDM stream itself is unmapped. */
	rig_open(&r);
	fill_job(&r.c, r.out.va, 0, 32, &j);
	j.cmd.cdm_ctrl_stream_base = 0x3e0000000ull;
	j.cmd.cdm_ctrl_stream_end = 0x3e0000040ull;
	CHECK_ERR(agxt_run_job(&r.c, r.q, &j, WAIT_MS), -EIO);
	rig_close(&r);
}

AGX_TEST(fault_later_jobs_still_run)
{
	struct rig r;
	struct agxt_job bad, good;

	/* After a faulting job, later work on the same queue still runs. */
	rig_open(&r);
	fill_job(&r.c, 0x3f0000000ull, 0, 32, &bad);
	fill_job(&r.c, r.out.va, 123, 64, &good);
	CHECK_ERR(agxt_run_job(&r.c, r.q, &bad, WAIT_MS), -EIO);
	CHECK_ERR(agxt_run_job(&r.c, r.q, &good, WAIT_MS), 1);
	check_fill(r.out.map, 64, 123);
	rig_close(&r);
}

AGX_TEST(fault_gpu_gives_up_on_looping_stream)
{
	struct rig a, b;
	struct agxt_job ja, jb;
	uint8_t *stream;
	uint64_t t0;
	unsigned long saved_ms;
	int st;

	/*
	 * A CDM control stream that links to itself: the GPU gives up on it
	 * after its block budget and the firmware reports a Timeout, so the
	 * job's fence fails with -ETIMEDOUT. Another file's job then runs.
	 * (A shader that never ends is not used: the GPU model gives up on
	 * those only after 200 million instructions, minutes under TCG.)
	 */
	/* Queues made now get a scheduler timeout well past the GPU's give-up
	 * time, so what fails the job is the firmware's Timeout. */
	saved_ms = module_param_ul("job_timeout_ms", 0);
	if (!saved_ms || set_job_timeout_ms(60000))
		AGX_SKIP("job_timeout_ms is not writable");
	rig_open(&a);
	rig_open(&b);
	fill_job(&a.c, a.out.va, 0, 32, &ja);
	stream = a.c.usc + (ja.cmd.cdm_ctrl_stream_base - AGXT_USC_BASE);
	AGX_PACK(stream, CDM_STREAM_LINK, cfg) {
		cfg.target_hi = (uint32_t)(ja.cmd.cdm_ctrl_stream_base >> 32);
		cfg.target_lo = (uint32_t)ja.cmd.cdm_ctrl_stream_base;
	}
	ja.cmd.cdm_ctrl_stream_end = ja.cmd.cdm_ctrl_stream_base + AGX_CDM_STREAM_LINK_LENGTH;
	fill_job(&b.c, b.out.va, 9, 64, &jb);
	t0 = agxt_now_ms();
	st = agxt_run_job(&a.c, a.q, &ja, 3 * WAIT_MS);
	AGX_NOTE("looping stream's fence after %" PRIu64 " ms: %d", agxt_now_ms() - t0, st);
	CHECK_ERR(st, -ETIMEDOUT);
	CHECK_ERR(agxt_run_job(&b.c, b.q, &jb, WAIT_MS), 1);
	check_fill(b.out.map, 64, 9);
	/* The guilty queue goes on too. */
	fill_job(&a.c, a.out.va, 4, 32, &ja);
	CHECK_ERR(agxt_run_job(&a.c, a.q, &ja, WAIT_MS), 1);
	check_fill(a.out.map, 32, 4);
	rig_close(&b);
	rig_close(&a);
	AGX_CHECK_EQ(set_job_timeout_ms(saved_ms), 0);
}

/* ==== the scheduler's job timeout ========================================= */

/*
 * Microseconds per iteration of the LOOP shader (64 threads), from one run
 * of 2000 iterations. The fixed cost of a submit makes this an
 * overestimate, so jobs sized with it run at least as long as planned
 * (TCG on a loaded host is slower, never faster, than measured).
 */
static uint64_t loop_cost_us(struct rig *r)
{
	struct agxt_job j;
	uint64_t t0, t, us;

	slow_job(r, 2000, &j);
	t0 = agxt_now_ms();
	CHECK_ERR(agxt_run_job(&r->c, r->q, &j, WAIT_MS), 1);
	t = agxt_now_ms() - t0;
	us = (t * 1000) / 2000;
	AGX_NOTE("2000 loops: %" PRIu64 " ms", t);
	return us ? us : 1;
}

/* Wait until the GPU wrote the LOOP job's result (@loops) for all its 64
 * threads (its two SIMD groups may finish far apart), plus a moment for
 * the completion to reach the kernel. */
static bool wait_loop_result(const volatile uint32_t *out, uint32_t loops, uint64_t ms)
{
	uint64_t t0 = agxt_now_ms();
	unsigned i = 0;

	while (i < 64) {
		if (out[i] == loops) {
			i++;
			continue;
		}
		if (agxt_now_ms() - t0 > ms)
			return false;
		usleep(20 * 1000);
	}
	usleep(300 * 1000);
	return true;
}

/* "name N" from the objects debugfs file of the asahi device, or -1. */
static long debugfs_count(const char *name)
{
	char path[300], buf[512];
	long v = -1;
	FILE *f;

	for (unsigned i = 0; i < 64 && v < 0; i++) {
		snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%u/name", i);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (!fgets(buf, sizeof(buf), f) || strncmp(buf, "asahi", 5)) {
			fclose(f);
			continue;
		}
		fclose(f);
		snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%u/objects", i);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(buf, sizeof(buf), f)) {
			size_t n = strlen(name);

			if (!strncmp(buf, name, n) && buf[n] == ' ')
				v = strtol(buf + n + 1, NULL, 10);
		}
		fclose(f);
	}
	return v;
}

AGX_TEST(timeout_job_past_the_limit)
{
	unsigned long limit_ms = module_param_ul("job_timeout_ms", 10000);
	struct rig a, b;
	struct agxt_job ja, jb;
	uint64_t t0, us, loops, est_ms, waited;
	uint32_t sa;
	struct drm_asahi_sync oa;
	int st;

	/*
	 * A finite job that runs about 2.5 times the scheduler's limit (the
	 * suite loads the module with a short job_timeout_ms): its fence fails
	 * with -ETIMEDOUT once the limit passes. Once the simulated GPU (which
	 * runs one job at a time) is through with it, another file's job
	 * completes correctly.
	 */
	if (limit_ms > 5000)
		AGX_SKIP("job_timeout_ms %lu: too long for the suite", limit_ms);
	rig_open(&a);
	rig_open(&b);
	us = loop_cost_us(&a);
	loops = (4 * limit_ms * 1000) / us;
	est_ms = loops * us / 1000;
	AGX_REQUIRE(loops <= 100000000ull, "loop count %" PRIu64 " out of range", loops);
	memset(a.out.map, 0, 256);
	slow_job(&a, (uint32_t)loops, &ja);
	fill_job(&b.c, b.out.va, 17, 64, &jb);
	sa = agxt_syncobj_new(a.c.fd);
	oa = agxt_sync_bin(sa);
	t0 = agxt_now_ms();
	CHECK_ERR(agxt_submit_job(&a.c, a.q, &ja, NULL, 0, &oa, 1), 0);
	CHECK_ERR(agxt_syncobj_wait(a.c.fd, sa, (int)(limit_ms * 3)), 0);
	waited = agxt_now_ms() - t0;
	st = agxt_syncobj_status(a.c.fd, sa);
	AGX_NOTE("%" PRIu64 " loops (about %" PRIu64 " ms): fence after %" PRIu64 " ms: %d",
		 loops, est_ms, waited, st);
	CHECK_ERR(st, -ETIMEDOUT);
	AGX_CHECK(waited + 50 >= limit_ms, "timed out before the limit");
	/* The GPU finishes the long job all the same (it writes its result),
	 * then other work runs. */
	AGX_CHECK(wait_loop_result(a.out.map, (uint32_t)loops, 6 * est_ms + WAIT_MS),
		  "the long job never finished on the GPU");
	AGX_NOTE("long job done on the GPU after %" PRIu64 " ms", agxt_now_ms() - t0);
	CHECK_ERR(agxt_run_job(&b.c, b.q, &jb, WAIT_MS), 1);
	check_fill(b.out.map, 64, 17);
	/* The timed-out job's queue goes away cleanly. */
	CHECK_ERR(agxt_queue_destroy(a.c.fd, a.q), 0);
	a.q = agxt_queue_new(&a.c);
	drmSyncobjDestroy(a.c.fd, sa);
	rig_close(&b);
	rig_close(&a);
}

AGX_TEST(timeout_destroy_while_job_still_runs)
{
	unsigned long limit_ms = module_param_ul("job_timeout_ms", 10000);
	struct rig a;
	struct agxt_job ja;
	uint64_t t0, us, loops, est_ms;
	uint32_t sa;
	struct drm_asahi_sync oa;
	long vms_before, vms;

	/*
	 * The same long job, but its queue is destroyed and its file closed
	 * right after the timeout, while the GPU still runs it. The kernel may
	 * keep the firmware objects until the GPU is done with them, but not
	 * forever: once the job has ended on the GPU, the VM must be gone.
	 */
	known_kernel_bug("a queue kept at destroy for a running job is freed only at "
			 "device removal (VM stays counted)");
	if (limit_ms > 5000)
		AGX_SKIP("job_timeout_ms %lu: too long for the suite", limit_ms);
	vms_before = debugfs_count("vms");
	AGX_REQUIRE(vms_before >= 0, "no objects file in debugfs");
	rig_open(&a);
	us = loop_cost_us(&a);
	loops = (4 * limit_ms * 1000) / us;
	est_ms = loops * us / 1000;
	memset(a.out.map, 0, 256);
	slow_job(&a, (uint32_t)loops, &ja);
	sa = agxt_syncobj_new(a.c.fd);
	oa = agxt_sync_bin(sa);
	t0 = agxt_now_ms();
	CHECK_ERR(agxt_submit_job(&a.c, a.q, &ja, NULL, 0, &oa, 1), 0);
	CHECK_ERR(agxt_syncobj_wait(a.c.fd, sa, (int)(limit_ms * 3)), 0);
	CHECK_ERR(agxt_syncobj_status(a.c.fd, sa), -ETIMEDOUT);
	CHECK_ERR(agxt_queue_destroy(a.c.fd, a.q), 0);
	drmSyncobjDestroy(a.c.fd, sa);
	/* Keep the CPU mapping of the output (it holds the buffer) to see
	 * when the GPU is done; drop everything else. */
	agxt_vm_bind(a.c.fd, a.c.vm_id, DRM_ASAHI_BIND_UNBIND, 0, 0, a.out.size_B, a.out.va);
	agxt_gem_close(a.c.fd, a.out.handle);
	agxt_ctx_close(&a.c);
	AGX_CHECK(wait_loop_result(a.out.map, (uint32_t)loops, 6 * est_ms + WAIT_MS),
		  "the long job never finished on the GPU");
	AGX_NOTE("long job done on the GPU after %" PRIu64 " ms (estimate %" PRIu64 ")",
		 agxt_now_ms() - t0, est_ms);
	munmap(a.out.map, a.out.size_B);
	/* Give the kernel 3 s to notice and free what it kept. */
	t0 = agxt_now_ms();
	while (agxt_now_ms() - t0 < 3000 && debugfs_count("vms") > vms_before)
		usleep(100 * 1000);
	vms = debugfs_count("vms");
	AGX_NOTE("vms before %ld, after: %ld", vms_before, vms);
	AGX_CHECK(vms == vms_before, "the VM of a destroyed queue was never freed (%ld left)",
		  vms - vms_before);
}

/* ==== render ============================================================== */

#include "fixture.h"

#define RW_ 80
#define RH_ 60

/*
 * Build @sc (set up by the caller) at FX_BASE in @f; @snap gets the memory
 * before rendering (@used bytes), @want the expected image (the GPU
 * model's direct path run on @f, sc->width x sc->height pixels).
 */
static void render_build(struct fx *f, struct fx_scene *sc, uint8_t **snap, uint64_t *used,
			 uint32_t **want)
{
	struct agxsim_render_result res;
	struct agxsim_fault fault;
	unsigned x, y;

	fx_build_scene(f, sc);
	*used = f->next - FX_BASE;
	*snap = malloc(*used);
	AGX_REQUIRE(*snap, "oom");
	memcpy(*snap, f->mem, *used);
	AGX_REQUIRE(agxsim_render_pass(&f->env, &sc->cmd, &fault, &res) == 0, "direct pass: %s",
		    res.msg);
	*want = malloc((size_t)sc->width * sc->height * 4);
	AGX_REQUIRE(*want, "oom");
	for (y = 0; y < sc->height; y++)
		for (x = 0; x < sc->width; x++)
			(*want)[y * sc->width + x] = fx_pixel(f, sc, x, y);
}

/*
 * The render fixture's scene: a clear and one smooth-shaded triangle, built
 * at FX_BASE in @f. Returns the memory as it was before rendering (@snap,
 * @used bytes) and the expected image (@want, the GPU model's direct path
 * run on a copy).
 */
static void render_scene(struct fx *f, struct fx_scene *sc, uint8_t **snap, uint64_t *used,
			 uint32_t **want)
{
	static const double win[3][2] = { { 7.3125, 3.0625 }, { 71.625, 20.5 },
					  { 25.1875, 57.875 } };
	static const float col[3][4] = { { 1, 0.25f, 0, 1 }, { 0, 1, 0, 1 }, { 0, 0, 1, 1 } };
	static float v[24];
	const float w[3] = { 1.0f, 2.0f, 0.5f };

	for (unsigned i = 0; i < 3; i++) {
		double nx = 2.0 * win[i][0] / RW_ - 1.0, ny = 1.0 - 2.0 * win[i][1] / RH_;

		v[8 * i + 0] = (float)(nx * w[i]);
		v[8 * i + 1] = (float)(ny * w[i]);
		v[8 * i + 2] = 0.5f * w[i];
		v[8 * i + 3] = w[i];
		memcpy(v + 8 * i + 4, col[i], 16);
	}
	fx_init(f);
	memset(sc, 0, sizeof(*sc));
	sc->width = RW_;
	sc->height = RH_;
	sc->tw = 32;
	sc->th = 32;
	sc->samples = 1;
	sc->clear[0] = 0.25f;
	sc->clear[1] = 0.5f;
	sc->clear[2] = 0.75f;
	sc->clear[3] = 1.0f;
	sc->verts = v;
	sc->nverts = 3;
	sc->prim = AGX_PRIMITIVE_TRIANGLES;
	sc->shade = AGX_SHADE_MODEL_LINEAR;
	sc->extra_flags = DRM_ASAHI_RENDER_PROCESS_EMPTY_TILES;
	render_build(f, sc, snap, used, want);
}

AGX_TEST(render_clear_and_triangle)
{
	struct fx f;
	struct fx_scene sc;
	struct agxt_ctx c;
	struct agxt_bo mem;
	uint64_t used;
	uint8_t *snap;
	uint32_t q, s, *want;
	unsigned x, y, bad = 0, tri = 0, clear = 0;
	uint8_t buf[sizeof(struct drm_asahi_cmd_header) + sizeof(struct drm_asahi_cmd_render)];
	size_t n;
	struct drm_asahi_sync out;

	/* The simulator's render fixture builds the pass at FX_BASE; the same
	 * memory goes into a buffer bound at FX_BASE, the queue's USC base is
	 * FX_BASE, and the pass is submitted as RENDER. The expected image is
	 * the GPU model's direct path on a copy of the same memory. */
	render_scene(&f, &sc, &snap, &used, &want);
	agxt_ctx_open(&c);
	agxt_bo_new(&c, used, FX_BASE, &mem);
	memcpy(mem.map, snap, used);
	memset(f.mem, 0, used);
	CHECK_ERR(agxt_queue_create_full(c.fd, c.vm_id, DRM_ASAHI_PRIORITY_MEDIUM, 0, FX_BASE,
					 &q), 0);
	n = agxt_cmd_append(buf, 0, DRM_ASAHI_CMD_RENDER, &sc.cmd, sizeof(sc.cmd), 0,
			    DRM_ASAHI_BARRIER_NONE);
	s = agxt_syncobj_new(c.fd);
	out = agxt_sync_bin(s);
	CHECK_ERR(agxt_submit_raw(c.fd, q, buf, (uint32_t)n, NULL, 0, &out, 1), 0);
	CHECK_ERR(agxt_syncobj_wait(c.fd, s, 3 * WAIT_MS), 0);
	CHECK_ERR(agxt_syncobj_status(c.fd, s), 1);
	/* Read the image back through the fixture's accessor. */
	memcpy(f.mem, mem.map, used);
	for (y = 0; y < RH_; y++) {
		for (x = 0; x < RW_; x++) {
			uint32_t got = fx_pixel(&f, &sc, x, y);

			if (got != want[y * RW_ + x] && !bad++)
				AGX_NOTE("first difference at (%u, %u): %#x, want %#x", x, y, got,
					 want[y * RW_ + x]);
			clear += want[y * RW_ + x] == want[0];
			tri += want[y * RW_ + x] != want[0];
		}
	}
	AGX_CHECK(bad == 0, "%u of %u pixels differ from the direct path", bad, RW_ * RH_);
	/* The expected image itself has both: clear colour and a triangle. */
	AGX_CHECK(clear > 100 && tri > 100, "clear %u, triangle %u pixels", clear, tri);
	drmSyncobjDestroy(c.fd, s);
	agxt_queue_destroy(c.fd, q);
	agxt_bo_free(&c, &mem);
	agxt_ctx_close(&c);
	free(want);
	free(snap);
	fx_fini(&f);
}

_Static_assert(AGXT_USC_BASE == FX_BASE, "the render tests share the USC window");

/* TVB overflow: 16 x 8 = 128 tiles of 32x32 (the last column and row only
 * partly covered, to keep the picture small for TCG). */
#define TW_ 484
#define TH_ 225

/* "blocks B grows G" of the TVB line of queue @q on VM @vm in "queues". */
static bool tvb_debugfs(uint32_t q, uint32_t vm, unsigned *blocks, unsigned *grows)
{
	const char *s = debugfs_read("queues"), *line, *tvb;
	char key[64];

	snprintf(key, sizeof(key), " id %u vm %u priority ", q, vm);
	line = strstr(s, key);
	if (!line)
		return false;
	tvb = strstr(line, "\n  tvb slot ");
	if (!tvb || (strstr(line + 1, "\nqueue ") && strstr(line + 1, "\nqueue ") < tvb))
		return false;
	tvb = strstr(tvb, " blocks ");
	return tvb && sscanf(tvb, " blocks %u grows %u", blocks, grows) == 2;
}

AGX_TEST(render_tvb_grows)
{
	/* Two triangles covering the framebuffer, a colour per corner. */
	static const float corner[4][8] = {
		{ -1, 1, 0.5f, 1, 1, 0, 0, 1 }, { 1, 1, 0.5f, 1, 0, 1, 0, 1 },
		{ -1, -1, 0.5f, 1, 0, 0, 1, 1 }, { 1, -1, 0.5f, 1, 1, 1, 0, 1 },
	};
	static const unsigned tri[6] = { 0, 1, 2, 2, 1, 3 };
	static float v[48];
	unsigned long initial = module_param_ul("initial_tvb_size", 8);
	struct fx f;
	struct fx_scene sc;
	struct agxt_ctx c;
	struct agxt_bo mem;
	uint64_t used;
	uint8_t *snap;
	uint32_t q, s, *want;
	unsigned x, y, bad = 0, distinct = 0, blocks = 0, grows = 0;
	uint8_t buf[sizeof(struct drm_asahi_cmd_header) + sizeof(struct drm_asahi_cmd_render)];
	size_t n;
	struct drm_asahi_sync out;

	/*
	 * With a one-block TVB (agx.ko initial_tvb_size=1: 128 KiB, 4 pages),
	 * this pass needs 5 pages under the simulator's usage model (FW20:
	 * 1 KiB per occupied tile, 128 tiles, + 64 B per primitive). The
	 * firmware stops the vertex job and raises GrowTVB; the kernel must
	 * add blocks and ack, and the pass then completes with the direct
	 * path's image. The queues debugfs file shows the TVB's growth.
	 */
	if (initial != 1)
		AGX_SKIP("needs agx.ko initial_tvb_size=1 (it is %lu; submit.sh runs it so)", initial);
	for (unsigned i = 0; i < 6; i++)
		memcpy(v + 8 * i, corner[tri[i]], sizeof(corner[0]));
	fx_init(&f);
	memset(&sc, 0, sizeof(sc));
	sc.width = TW_;
	sc.height = TH_;
	sc.tw = 32;
	sc.th = 32;
	sc.samples = 1;
	sc.clear[0] = 0.25f;
	sc.clear[1] = 0.5f;
	sc.clear[2] = 0.75f;
	sc.clear[3] = 1.0f;
	sc.verts = v;
	sc.nverts = 6;
	sc.prim = AGX_PRIMITIVE_TRIANGLES;
	sc.shade = AGX_SHADE_MODEL_LINEAR;
	render_build(&f, &sc, &snap, &used, &want);

	agxt_ctx_open(&c);
	agxt_bo_new(&c, used, FX_BASE, &mem);
	memcpy(mem.map, snap, used);
	memset(f.mem, 0, used);
	CHECK_ERR(agxt_queue_create_full(c.fd, c.vm_id, DRM_ASAHI_PRIORITY_MEDIUM, 0, FX_BASE,
					 &q), 0);
	n = agxt_cmd_append(buf, 0, DRM_ASAHI_CMD_RENDER, &sc.cmd, sizeof(sc.cmd), 0,
			    DRM_ASAHI_BARRIER_NONE);
	s = agxt_syncobj_new(c.fd);
	out = agxt_sync_bin(s);
	CHECK_ERR(agxt_submit_raw(c.fd, q, buf, (uint32_t)n, NULL, 0, &out, 1), 0);
	CHECK_ERR(agxt_syncobj_wait(c.fd, s, 6 * WAIT_MS), 0);
	CHECK_ERR(agxt_syncobj_status(c.fd, s), 1);

	AGX_REQUIRE(tvb_debugfs(q, c.vm_id, &blocks, &grows), "no TVB line for queue %u:\n%s",
		    q, debugfs_read("queues"));
	AGX_NOTE("TVB after the pass: %u blocks, %u grows", blocks, grows);
	AGX_CHECK(grows >= 1, "the TVB never grew (blocks %u)", blocks);
	AGX_CHECK(blocks >= 2, "the TVB still has %u block(s)", blocks);

	memcpy(f.mem, mem.map, used);
	for (y = 0; y < TH_; y++) {
		for (x = 0; x < TW_; x++) {
			uint32_t got = fx_pixel(&f, &sc, x, y);

			if (got != want[y * TW_ + x] && !bad++)
				AGX_NOTE("first difference at (%u, %u): %#x, want %#x", x, y, got,
					 want[y * TW_ + x]);
			distinct += want[y * TW_ + x] != want[0];
		}
	}
	AGX_CHECK(bad == 0, "%u of %u pixels differ from the direct path", bad, TW_ * TH_);
	/* The expected image is the shaded quad, not one colour or the clear. */
	AGX_CHECK(distinct > TW_ * TH_ / 2, "only %u pixels differ from the first", distinct);
	drmSyncobjDestroy(c.fd, s);
	agxt_queue_destroy(c.fd, q);
	agxt_bo_free(&c, &mem);
	agxt_ctx_close(&c);
	free(want);
	free(snap);
	fx_fini(&f);
}

AGX_TEST(render_then_compute_with_vdm_barrier)
{
	struct fx f;
	struct fx_scene sc;
	struct agxt_ctx c;
	struct agxt_bo mem, copy;
	struct agxt_job j;
	struct agxt_job_desc d = { .shader = AGXT_SHADER_ADD, .k = 0 };
	uint64_t used, mem_B;
	uint8_t *snap, buf[512];
	uint32_t q, s, *want, words;
	unsigned x, y, bad = 0;
	size_t n;
	struct drm_asahi_sync out;

	/*
	 * One submit: the RENDER pass, then a COMPUTE command with
	 * vdm_barrier = 1 that copies the rendered image word by word. The
	 * copy must be the finished image, so the compute work waited for the
	 * render's fragment stage.
	 */
	render_scene(&f, &sc, &snap, &used, &want);
	AGX_REQUIRE(!sc.tiled_image && sc.stride, "the scene's image is not linear");
	agxt_ctx_open(&c);
	/* The fixture's memory, then room for the compute job's slots, in one
	 * buffer at FX_BASE (the queue's USC base). */
	mem_B = ((used + AGXT_JOB_SLOT - 1) & ~(uint64_t)(AGXT_JOB_SLOT - 1)) + 4 * AGXT_JOB_SLOT;
	agxt_bo_new(&c, mem_B, FX_BASE, &mem);
	memcpy(mem.map, snap, used);
	words = sc.stride / 4 * RH_;
	agxt_bo_new(&c, (uint64_t)words * 4, 0, &copy);
	memset(copy.map, 0, copy.size_B);
	munmap(c.usc, AGXT_USC_SIZE);
	c.usc = mem.map;
	c.next_slot = (unsigned)((mem_B - 4 * AGXT_JOB_SLOT) / AGXT_JOB_SLOT);
	d.in_va = sc.image;
	d.out_va = copy.va;
	d.threads = words;
	agxt_job_build(&c, &d, &j);
	CHECK_ERR(agxt_queue_create_full(c.fd, c.vm_id, DRM_ASAHI_PRIORITY_MEDIUM, 0, FX_BASE,
					 &q), 0);
	n = agxt_cmd_append(buf, 0, DRM_ASAHI_CMD_RENDER, &sc.cmd, sizeof(sc.cmd), 0,
			    DRM_ASAHI_BARRIER_NONE);
	n = agxt_cmd_append(buf, n, DRM_ASAHI_CMD_COMPUTE, &j.cmd, sizeof(j.cmd), 1, 0);
	s = agxt_syncobj_new(c.fd);
	out = agxt_sync_bin(s);
	CHECK_ERR(agxt_submit_raw(c.fd, q, buf, (uint32_t)n, NULL, 0, &out, 1), 0);
	CHECK_ERR(agxt_syncobj_wait(c.fd, s, 3 * WAIT_MS), 0);
	CHECK_ERR(agxt_syncobj_status(c.fd, s), 1);
	for (y = 0; y < RH_; y++) {
		for (x = 0; x < RW_; x++) {
			uint32_t got = ((uint32_t *)copy.map)[y * (sc.stride / 4) + x];

			if (got != want[y * RW_ + x] && !bad++)
				AGX_NOTE("first difference at (%u, %u): %#x, want %#x", x, y, got,
					 want[y * RW_ + x]);
		}
	}
	AGX_CHECK(bad == 0, "%u of %u copied pixels differ", bad, RW_ * RH_);
	drmSyncobjDestroy(c.fd, s);
	agxt_queue_destroy(c.fd, q);
	agxt_bo_free(&c, &copy);
	c.usc = NULL;
	agxt_bo_free(&c, &mem);
	agxt_ctx_close(&c);
	free(want);
	free(snap);
	fx_fini(&f);
}

AGX_TEST(render_bad_arguments)
{
	struct rig r;
	struct drm_asahi_cmd_render rc;
	uint8_t buf[sizeof(struct drm_asahi_cmd_header) + sizeof(rc)];
	size_t n;

	rig_open(&r);
	memset(&rc, 0, sizeof(rc));
	rc.vdm_ctrl_stream_base = AGXT_DATA_BASE;
	rc.width_px = 64;
	rc.height_px = 64;
	rc.layers = 1;
	rc.samples = 1;
	rc.utile_width_px = 32;
	rc.utile_height_px = 32;
	rc.sample_size_B = 4;
	/* Unknown render flag. */
	rc.flags = 1u << 3;
	n = agxt_cmd_append(buf, 0, DRM_ASAHI_CMD_RENDER, &rc, sizeof(rc), 0,
			    DRM_ASAHI_BARRIER_NONE);
	expect_refused(&r, buf, n, -EINVAL);
	rc.flags = 0;
	/* Samples must be 1, 2 or 4. */
	rc.samples = 3;
	n = agxt_cmd_append(buf, 0, DRM_ASAHI_CMD_RENDER, &rc, sizeof(rc), 0,
			    DRM_ASAHI_BARRIER_NONE);
	expect_refused(&r, buf, n, -EINVAL);
	rc.samples = 1;
	/* An empty framebuffer. */
	rc.width_px = 0;
	n = agxt_cmd_append(buf, 0, DRM_ASAHI_CMD_RENDER, &rc, sizeof(rc), 0,
			    DRM_ASAHI_BARRIER_NONE);
	expect_refused(&r, buf, n, -EINVAL);
	rc.width_px = 64;
	/* A render command's vdm_barrier counts render commands: 1 with none
	 * before it is out of range. */
	n = agxt_cmd_append(buf, 0, DRM_ASAHI_CMD_RENDER, &rc, sizeof(rc), 1,
			    DRM_ASAHI_BARRIER_NONE);
	expect_refused(&r, buf, n, -EINVAL);
	rig_close(&r);
}

/* ==== fuzz ================================================================ */

static uint64_t fz_state;

static uint64_t fz_next(void)
{
	fz_state ^= fz_state << 13;
	fz_state ^= fz_state >> 7;
	fz_state ^= fz_state << 17;
	return fz_state;
}

static unsigned long env_num(const char *name, unsigned long def)
{
	const char *s = getenv(name);

	return s && *s ? strtoul(s, NULL, 0) : def;
}

/* Random queue and submit arguments, mostly invalid, around a valid FILL
 * job (so whatever the kernel accepts also runs correctly). Every accepted
 * submit signals a timeline point; at the end all of them must signal
 * without error, the kernel must still work, and no oops may appear. */
AGX_TEST(fuzz_ioctls)
{
	unsigned long iters = env_num("AGX_FUZZ_ITERS", 2000);
	unsigned long secs = env_num("AGX_FUZZ_SECONDS", 30);
	struct rig r;
	struct agxt_job j;
	uint32_t queues[8], nq = 0, tl;
	uint64_t accepted = 0, t_end, ok_q = 0, err_counts[4] = { 0 };
	unsigned long i;
	uint8_t buf[1024];

	fz_state = env_num("AGX_FUZZ_SEED", 1) * 0x9e3779b97f4a7c15ull | 1;
	rig_open(&r);
	queues[nq++] = r.q;
	tl = agxt_syncobj_new(r.c.fd);
	fill_job(&r.c, r.out.va, 42, 32, &j);
	t_end = agxt_now_ms() + secs * 1000;
	for (i = 0; i < iters && agxt_now_ms() < t_end; i++) {
		uint64_t x = fz_next();
		int ret;

		switch (x % 8) {
		case 0: { /* queue create with random fields */
			uint32_t id = 0;

			ret = agxt_queue_create_full(r.c.fd, (x >> 8) % 4 ? r.c.vm_id : (uint32_t)(x >> 32),
						     (x >> 10) % 6, (x >> 13) % 5 ? 0 : (uint32_t)(x >> 20),
						     AGXT_USC_BASE, &id);
			if (!ret) {
				ok_q++;
				if (nq < 8)
					queues[nq++] = id;
				else
					agxt_queue_destroy(r.c.fd, id);
			}
			break;
		}
		case 1: /* queue destroy of random ids (never the main one) */
			if (nq > 1 && (x >> 8) % 2) {
				agxt_queue_destroy(r.c.fd, queues[--nq]);
			} else {
				uint32_t id = (uint32_t)(x >> 16);
				unsigned k;

				for (k = 0; k < nq; k++)
					if (queues[k] == id)
						break;
				if (k == nq)
					CHECK_ERR(agxt_queue_destroy(r.c.fd, id), -ENOENT);
			}
			break;
		default: { /* submit of a mutated command buffer */
			size_t n = 0;
			unsigned ncmd = 1 + (x >> 8) % 3, c;
			struct drm_asahi_sync sy[3];
			uint32_t nin = 0, nout = 0;
			uint64_t point = accepted + 1;

			for (c = 0; c < ncmd && n + 100 < sizeof(buf); c++) {
				uint64_t y = fz_next();
				struct drm_asahi_cmd_compute cc = j.cmd;
				uint16_t type = DRM_ASAHI_CMD_COMPUTE, size = sizeof(cc);
				uint16_t vb = DRM_ASAHI_BARRIER_NONE, cb = (uint16_t)c;

				switch (y % 10) {
				case 0: type = (uint16_t)(y >> 8) % 8; break;
				case 1: size = (uint16_t)((y >> 8) % (sizeof(cc) + 8)); break;
				case 2: cc.flags = (uint32_t)(y >> 8); break;
				case 3: vb = (uint16_t)(y >> 8); break;
				case 4: cb = (uint16_t)(y >> 8) % 4; break;
				case 5: cc.cdm_ctrl_stream_end = cc.cdm_ctrl_stream_base - (y >> 60); break;
				default: break;
				}
				if (type == DRM_ASAHI_CMD_RENDER)
					size = (uint16_t)((y >> 16) % 64);
				if (size > sizeof(cc)) {
					uint8_t tmp[sizeof(cc) + 8] = { 0 };

					memcpy(tmp, &cc, sizeof(cc));
					n = agxt_cmd_append(buf, n, type, tmp, size, vb, cb);
				} else {
					n = agxt_cmd_append(buf, n, type, &cc, size, vb, cb);
				}
			}
			if ((x >> 20) % 7 == 0 && n > 4)
				n -= (x >> 24) % 8 + 1;   /* truncate */
			if ((x >> 28) % 5 == 0)
				sy[nin++] = agxt_sync_tl(tl, accepted ? accepted : 0);
			if (nin && !accepted)
				nin = 0;
			if ((x >> 32) % 9 == 0)
				sy[nin + nout++] = agxt_sync_bin((uint32_t)(x >> 40));
			sy[nin + nout++] = agxt_sync_tl(tl, point);
			if ((x >> 36) % 11 == 0)
				sy[nin + nout - 1].sync_type = 7;
			ret = agxt_submit_raw(r.c.fd, queues[(x >> 44) % nq], buf, (uint32_t)n, sy, nin,
					      sy + nin, nout);
			if (!ret)
				accepted++;
			else if (ret == -EINVAL)
				err_counts[0]++;
			else if (ret == -ENOENT)
				err_counts[1]++;
			else if (ret == -EFAULT)
				err_counts[2]++;
			else
				err_counts[3]++;
			AGX_CHECK(ret == 0 || ret == -EINVAL || ret == -ENOENT,
				  "iteration %lu: unexpected %d", i, ret);
			break;
		}
		}
	}
	AGX_NOTE("fuzz: %lu iterations, %" PRIu64 " submits accepted, %" PRIu64
		 " queues created; refused EINVAL %" PRIu64 " ENOENT %" PRIu64 " EFAULT %" PRIu64
		 " other %" PRIu64, i, accepted, ok_q, err_counts[0], err_counts[1], err_counts[2],
		 err_counts[3]);
	if (accepted) {
		uint64_t p = accepted;

		CHECK_ERR(agxt_timeline_wait(r.c.fd, tl, p, 6 * WAIT_MS), 0);
		CHECK_ERR(agxt_timeline_status(r.c.fd, tl, p), 1);
		check_fill(r.out.map, 32, 42);
	}
	/* Still working afterwards. */
	fill_job(&r.c, r.out.va + 4096, 3, 32, &j);
	CHECK_ERR(agxt_run_job(&r.c, r.q, &j, 6 * WAIT_MS), 1);
	check_fill((uint8_t *)r.out.map + 4096, 32, 3);
	while (nq > 1)
		agxt_queue_destroy(r.c.fd, queues[--nq]);
	drmSyncobjDestroy(r.c.fd, tl);
	rig_close(&r);
}

/* ==== work in flight, then unload (the suite rmmods next) ================= */

AGX_TEST(inflight_exit_with_work_queued)
{
	struct rig r;
	struct agxt_job j;
	struct agxt_job_desc d = { .shader = AGXT_SHADER_LOOP, .k = 0, .loops = 2000,
				   .threads = 64 };
	unsigned i;
	uint32_t q2;

	/* Slow jobs on two queues; the program exits without waiting, so the
	 * file is closed with them queued or running. */
	rig_open(&r);
	q2 = agxt_queue_new(&r.c);
	d.out_va = r.out.va;
	for (i = 0; i < 8; i++) {
		agxt_job_build(&r.c, &d, &j);
		CHECK_ERR(agxt_submit_job(&r.c, i % 2 ? q2 : r.q, &j, NULL, 0, NULL, 0), 0);
	}
	/* Deliberately no cleanup: exit() closes the file with the jobs
	 * queued or running; the suite unbinds and unloads right after. */
}

/* ==== firmware crash with work in flight ================================== */

AGX_TEST(crash_fails_every_fence_and_refuses_submits)
{
	const char *pid_s = getenv("AGXSIM_PID");
	struct rig r;
	struct agxt_job jl, jx[3];
	uint32_t sl, sx[3], q2;
	struct drm_asahi_sync ol, ix, ox;
	unsigned i, nodev = 0;
	bool strict = getenv("AGX_SUBMIT_KNOWN_BUGS") && atoi(getenv("AGX_SUBMIT_KNOWN_BUGS"));
	int st;

	/*
	 * A long job L on one queue, and three jobs on a second queue that wait
	 * for L's fence. The crash is injected while L runs (agxsim-vm acts on
	 * the signal once the simulated GPU is through with L), so the waiting
	 * jobs are still in the kernel or the firmware when the firmware dies:
	 * their fences must fail with -ENODEV. L may complete or fail. After
	 * the crash SUBMIT and QUEUE_CREATE give -ENODEV.
	 */
	if (!pid_s || !*pid_s)
		AGX_SKIP("AGXSIM_PID not set: the suite injects the crash");
	rig_open(&r);
	q2 = agxt_queue_new(&r.c);
	slow_job(&r, 8000, &jl);
	sl = agxt_syncobj_new(r.c.fd);
	ol = agxt_sync_bin(sl);
	CHECK_ERR(agxt_submit_job(&r.c, r.q, &jl, NULL, 0, &ol, 1), 0);
	for (i = 0; i < 3; i++) {
		fill_job(&r.c, r.out.va + 1024 * (i + 1), i, 32, &jx[i]);
		sx[i] = agxt_syncobj_new(r.c.fd);
		ix = agxt_sync_bin(sl);
		ox = agxt_sync_bin(sx[i]);
		CHECK_ERR(agxt_submit_job(&r.c, q2, &jx[i], &ix, 1, &ox, 1), 0);
	}
	/* Inject the crash once L is with the firmware (the queues debugfs
	 * file counts it in flight), so that L itself is not being kicked
	 * as the firmware dies. */
	{
		char key[64];
		const char *line;
		unsigned inflight = 0;
		uint64_t t0 = agxt_now_ms();

		snprintf(key, sizeof(key), " id %u vm %u ", r.q, r.c.vm_id);
		while (agxt_now_ms() - t0 < 5000) {
			line = strstr(debugfs_read("queues"), key);
			line = line ? strstr(line, " inflight ") : NULL;
			if (line && sscanf(line, " inflight %u", &inflight) == 1 && inflight)
				break;
			usleep(5000);
		}
		AGX_CHECK(inflight == 1, "the long job never reached the firmware");
	}
	AGX_REQUIRE(kill((pid_t)atoi(pid_s), SIGUSR1) == 0, "kill agxsim-vm: %s",
		    strerror(errno));
	CHECK_ERR(agxt_syncobj_wait(r.c.fd, sl, WAIT_MS), 0);
	st = agxt_syncobj_status(r.c.fd, sl);
	AGX_NOTE("long job: %d", st);
	AGX_CHECK(st == 1 || st == -ENODEV, "long job's fence: %d", st);
	for (i = 0; i < 3; i++) {
		CHECK_ERR(agxt_syncobj_wait(r.c.fd, sx[i], WAIT_MS), 0);
		st = agxt_syncobj_status(r.c.fd, sx[i]);
		nodev += st == -ENODEV;
		/*
		 * TODO kernel bug: a waiting job may be kicked just as the
		 * firmware dies; the kick fails (-EIO) and agx_sched_run_job()
		 * fails the job through agx_queue_job_timedout(), i.e. with
		 * -ETIMEDOUT instead of -ENODEV. Tolerated, and noted, unless
		 * AGX_SUBMIT_KNOWN_BUGS=1.
		 */
		if (st == -ETIMEDOUT && !strict) {
			AGX_NOTE("TODO kernel bug: waiting job %u kicked during the crash got "
				 "-ETIMEDOUT", i);
			continue;
		}
		AGX_CHECK(st == -ENODEV, "waiting job %u's fence: %d", i, st);
	}
	if (strict)
		AGX_CHECK(nodev == 3, "only %u waiting jobs failed with -ENODEV", nodev);
	/*
	 * The crash reaches the driver asynchronously (the backend's crash
	 * report): a job can fail on an unreachable firmware before the
	 * device is marked dead. Refusing new work starts once fw_status
	 * says so (up to 5 s).
	 */
	{
		uint64_t t0 = agxt_now_ms();
		bool dead = false;

		while (!dead && agxt_now_ms() - t0 < 5000) {
			dead = strstr(debugfs_read("fw_status"), "state crashed") != NULL;
			if (!dead)
				usleep(5000);
		}
		AGX_CHECK(dead, "fw_status never showed the crash");
	}
	CHECK_ERR(agxt_submit_job(&r.c, r.q, &jx[0], NULL, 0, NULL, 0), -ENODEV);
	CHECK_ERR(agxt_queue_create_full(r.c.fd, r.c.vm_id, 1, 0, AGXT_USC_BASE, NULL),
		  -ENODEV);
	/* Every driver ioctl is -ENODEV now (kernel/agx_drv.c), QUEUE_DESTROY
	 * too; closing the file cleans up (the suite checks no VM is left). */
	CHECK_ERR(agxt_queue_destroy(r.c.fd, q2), -ENODEV);
	drmSyncobjDestroy(r.c.fd, sl);
	for (i = 0; i < 3; i++)
		drmSyncobjDestroy(r.c.fd, sx[i]);
	rig_close(&r);
}

AGX_TEST_MAIN()
