/* SPDX-License-Identifier: MIT */
/*
 * agx_gem_vm.c - GEM, VM and UAT ioctls of agx.ko, valid and invalid.
 *
 * Runs inside the test VM (tests/vm/suites/gem_vm.sh) with agx.ko loaded
 * and debugfs mounted. Every ioctl is called with valid arguments and with
 * each kind of invalid argument on its own. Mappings are checked through
 * the driver's debugfs files: "vms" (every VM and its mappings), "pte" (a
 * page-table walk for one address) and "objects" (live object counts).
 *
 * A VM is found in the "vms" dump by its kernel window, which each test
 * picks uniquely (next_kernel_window()).
 *
 * The last test, "fuzz", throws random (mostly invalid) arguments at every
 * ioctl for AGX_FUZZ_ITERS iterations (default 100000) or AGX_FUZZ_SECONDS
 * (default 60), with a fixed seed (AGX_FUZZ_SEED, default 1), and checks
 * that every object is gone once its files are closed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/udmabuf.h>
#include <xf86drm.h>

#include "drm/asahi_drm.h"
#include "agx_test.h"
#include "agx_kernel_test.h"

#define PG 0x4000ull
#define VM_START 0x4000ull
#define VM_END 0x7fffff8000ull
#define KMIN 0x20000000ull

#define CHECK_ERR(expr, err)                                                  \
	do {                                                                  \
		int r_ = (expr);                                              \
		AGX_CHECK(r_ == (err), "%s = %d (%s), want %d", #expr, r_,    \
			  strerror(-r_), (err));                              \
	} while (0)

/* ---- debugfs ------------------------------------------------------------ */

static char dbg_dir[300];

static const char *dbg_path(const char *name)
{
	static char path[340];

	if (!dbg_dir[0]) {
		DIR *d = opendir("/sys/kernel/debug/dri");
		struct dirent *e;

		AGX_REQUIRE(d, "no /sys/kernel/debug/dri: %s", strerror(errno));
		while ((e = readdir(d))) {
			char p[300], buf[128] = "";
			int n;
			FILE *f;

			snprintf(p, sizeof(p), "/sys/kernel/debug/dri/%s/name", e->d_name);
			f = fopen(p, "r");
			if (!f)
				continue;
			if (fgets(buf, sizeof(buf), f) && !strncmp(buf, "asahi", 5)) {
				n = snprintf(dbg_dir, sizeof(dbg_dir), "%.*s", 280, p);
				dbg_dir[n - 5] = 0; /* strip "/name" */
			}
			fclose(f);
			if (dbg_dir[0])
				break;
		}
		closedir(d);
		AGX_REQUIRE(dbg_dir[0], "no asahi device in debugfs");
	}
	snprintf(path, sizeof(path), "%s/%s", dbg_dir, name);
	return path;
}

static char *read_dbg(const char *name)
{
	static char buf[1 << 20];
	int fd = open(dbg_path(name), O_RDONLY);
	ssize_t n, total = 0;

	AGX_REQUIRE(fd >= 0, "open %s: %s", dbg_path(name), strerror(errno));
	while ((n = read(fd, buf + total, sizeof(buf) - 1 - total)) > 0)
		total += n;
	close(fd);
	buf[total] = 0;
	return buf;
}

static long dbg_count(const char *what)
{
	char *s = strstr(read_dbg("objects"), what);

	AGX_REQUIRE(s, "no '%s' in objects", what);
	return strtol(s + strlen(what) + 1, NULL, 10);
}

/*
 * The VM with kernel window starting at @kstart: its client id, and its
 * mapping lines (each "  start-end prot handle H offset O[ repeat]\n").
 */
static const char *vm_dump(uint64_t kstart, uint64_t *client)
{
	static char out[1 << 16];
	char key[64], *s, *end, *all;

	snprintf(key, sizeof(key), " kernel %#" PRIx64 "-", kstart);
	all = read_dbg("vms");
	s = strstr(all, key);
	AGX_REQUIRE(s, "VM with kernel window %#" PRIx64 " not in the dump", kstart);
	while (s > all && s[-1] != '\n')
		s--;
	if (client)
		AGX_REQUIRE(sscanf(s, "vm client %" SCNu64, client) == 1, "bad vm line");
	s = strchr(s, '\n') + 1;
	end = strstr(s, "\nvm ");
	snprintf(out, sizeof(out), "%.*s", end ? (int)(end - s + 1) : (int)strlen(s), s);
	return out;
}

static bool vm_in_dump(uint64_t kstart)
{
	char key[64];

	snprintf(key, sizeof(key), " kernel %#" PRIx64 "-", kstart);
	return strstr(read_dbg("vms"), key) != NULL;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Leaf PTE and PA of @va in VM @vm_id of client @client (0: kernel half). */
static uint64_t pte_walk(uint64_t client, uint32_t vm_id, uint64_t va, uint64_t *pa)
{
	uint64_t l1, l2, l3, p, v;
	char q[96];
	int fd = open(dbg_path("pte"), O_WRONLY);
	char *s;

	AGX_REQUIRE(fd >= 0, "open pte: %s", strerror(errno));
	snprintf(q, sizeof(q), "%" PRIu64 " %u %" PRIx64, client, vm_id, va);
	AGX_REQUIRE(write(fd, q, strlen(q)) == (ssize_t)strlen(q), "write pte");
	close(fd);
	s = read_dbg("pte");
	AGX_REQUIRE(sscanf(s, "va %" SCNx64 " l1 %" SCNx64 " l2 %" SCNx64 " l3 %" SCNx64
			   " pa %" SCNx64, &v, &l1, &l2, &l3, &p) == 5, "pte: %s", s);
	if (pa)
		*pa = p;
	return l3;
}

/* ---- ioctl helpers ------------------------------------------------------ */

static int gem_create(int fd, uint64_t size, uint32_t flags, uint32_t vm_id,
		      uint32_t *handle)
{
	struct drm_asahi_gem_create c = { .size = size, .flags = flags, .vm_id = vm_id };
	int ret = xioctl(fd, DRM_IOCTL_ASAHI_GEM_CREATE, &c);

	if (handle)
		*handle = c.handle;
	return ret;
}

static uint32_t bo_new(int fd, uint64_t size, uint32_t flags)
{
	uint32_t h = 0;

	AGX_REQUIRE(gem_create(fd, size, flags, 0, &h) == 0, "gem_create");
	return h;
}

static int gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close c = { .handle = handle };

	return xioctl(fd, DRM_IOCTL_GEM_CLOSE, &c);
}

static void *bo_map(int fd, uint32_t handle, size_t size)
{
	struct drm_asahi_gem_mmap_offset m = { .handle = handle };
	void *p;

	AGX_REQUIRE(xioctl(fd, DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET, &m) == 0, "mmap_offset");
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, m.offset);
	AGX_REQUIRE(p != MAP_FAILED, "mmap: %s", strerror(errno));
	return p;
}

static uint64_t next_window;

/* A kernel window no other VM of this run uses. */
static uint64_t next_kernel_window(void)
{
	next_window++;
	return 0x4000000000ull + (next_window % 255) * 0x40000000ull;
}

static int vm_create_at(int fd, uint64_t kstart, uint64_t kend, uint32_t *id)
{
	struct drm_asahi_vm_create c = { .kernel_start = kstart, .kernel_end = kend };
	int ret = xioctl(fd, DRM_IOCTL_ASAHI_VM_CREATE, &c);

	if (id)
		*id = c.vm_id;
	return ret;
}

static uint32_t vm_new(int fd, uint64_t *kstart)
{
	uint32_t id = 0;

	*kstart = next_kernel_window();
	AGX_REQUIRE(vm_create_at(fd, *kstart, *kstart + KMIN, &id) == 0, "vm_create");
	return id;
}

static int vm_destroy(int fd, uint32_t id)
{
	struct drm_asahi_vm_destroy d = { .vm_id = id };

	return xioctl(fd, DRM_IOCTL_ASAHI_VM_DESTROY, &d);
}

static int vm_bind_ops(int fd, uint32_t vm_id, struct drm_asahi_gem_bind_op *ops,
		       uint32_t n)
{
	struct drm_asahi_vm_bind b = {
		.vm_id = vm_id, .num_binds = n, .stride = sizeof(*ops),
		.userptr = (uintptr_t)ops,
	};

	return xioctl(fd, DRM_IOCTL_ASAHI_VM_BIND, &b);
}

static int vm_bind1(int fd, uint32_t vm_id, uint32_t flags, uint32_t handle,
		    uint64_t offset, uint64_t range, uint64_t addr)
{
	struct drm_asahi_gem_bind_op op = {
		.flags = flags, .handle = handle, .offset = offset, .range = range,
		.addr = addr,
	};

	return vm_bind_ops(fd, vm_id, &op, 1);
}

#define RW (DRM_ASAHI_BIND_READ | DRM_ASAHI_BIND_WRITE)

/* The dump line of a mapping, as the driver prints it. */
static const char *map_line(uint64_t start, uint64_t end, const char *prot,
			    uint32_t handle, uint64_t offset, bool repeat)
{
	static char line[160];

	/* The kernel prints 0 as "0x0" for %#llx. */
	snprintf(line, sizeof(line), "  0x%" PRIx64 "-0x%" PRIx64 " %s handle %u offset 0x%" PRIx64 "%s\n",
		 start, end, prot, handle, offset, repeat ? " repeat" : "");
	return line;
}

#define CHECK_HAS(dump, line) \
	AGX_CHECK(strstr((dump), (line)), "missing \"%s\" in:\n%s", (line), (dump))

/* ---- GET_PARAMS / GET_TIME ---------------------------------------------- */

AGX_TEST(get_params_values)
{
	struct drm_asahi_params_global p;
	struct drm_asahi_get_params g = { .pointer = (uintptr_t)&p, .size = sizeof(p) };
	int fd = open_node();

	memset(&p, 0xa5, sizeof(p));
	AGX_REQUIRE(xioctl(fd, DRM_IOCTL_ASAHI_GET_PARAMS, &g) == 0, "get_params");
	AGX_CHECK(p.gpu_generation == 13 || p.gpu_generation == 14, "gen %u", p.gpu_generation);
	AGX_CHECK(strchr("GSCD", (int)p.gpu_variant) && p.gpu_variant, "variant %u", p.gpu_variant);
	AGX_CHECK(p.chip_id >= 0x6000 && p.chip_id <= 0x8112, "chip %#x", p.chip_id);
	AGX_CHECK(p.num_dies >= 1 && p.num_clusters_total >= 1, "dies %u", p.num_dies);
	AGX_CHECK(p.num_cores_per_cluster == 8 || p.num_cores_per_cluster == 10, "cores");
	AGX_CHECK(p.core_masks[0] != 0 && p.core_masks[p.num_clusters_total] == 0, "masks");
	AGX_CHECK_EQ(p.vm_start, VM_START);
	AGX_CHECK_EQ(p.vm_end, VM_END);
	AGX_CHECK_EQ(p.vm_kernel_min_size, KMIN);
	AGX_CHECK_EQ(p.max_commands_per_submission, 64);
	AGX_CHECK_EQ(p.max_attachments, 16);
	AGX_CHECK_EQ(p.command_timestamp_frequency_hz, 1000000000ull);
	AGX_CHECK_EQ(p.max_frequency_khz, 1000000);
	close(fd);
}

AGX_TEST(get_params_short_size_writes_prefix)
{
	uint8_t buf[sizeof(struct drm_asahi_params_global)];
	struct drm_asahi_get_params g = { .pointer = (uintptr_t)buf, .size = 12 };
	int fd = open_node();
	size_t i;

	memset(buf, 0x5a, sizeof(buf));
	CHECK_ERR(xioctl(fd, DRM_IOCTL_ASAHI_GET_PARAMS, &g), 0);
	AGX_CHECK_EQ(buf[8], 13);
	for (i = 12; i < sizeof(buf); i++)
		AGX_CHECK(buf[i] == 0x5a, "byte %zu written", i);
	g.size = 0;
	g.pointer = 0;
	CHECK_ERR(xioctl(fd, DRM_IOCTL_ASAHI_GET_PARAMS, &g), 0);
	close(fd);
}

AGX_TEST(get_params_invalid)
{
	struct drm_asahi_params_global p;
	struct drm_asahi_get_params g = { .pointer = (uintptr_t)&p, .size = sizeof(p) };
	int fd = open_node();

	g.param_group = 1;
	CHECK_ERR(xioctl(fd, DRM_IOCTL_ASAHI_GET_PARAMS, &g), -EINVAL);
	g.param_group = 0;
	g.pad = 1;
	CHECK_ERR(xioctl(fd, DRM_IOCTL_ASAHI_GET_PARAMS, &g), -EINVAL);
	g.pad = 0;
	g.pointer = 0;
	CHECK_ERR(xioctl(fd, DRM_IOCTL_ASAHI_GET_PARAMS, &g), -EFAULT);
	g.pointer = 0xffff800000000000ull;
	CHECK_ERR(xioctl(fd, DRM_IOCTL_ASAHI_GET_PARAMS, &g), -EFAULT);
	close(fd);
}

AGX_TEST(get_time)
{
	struct drm_asahi_get_time t1 = { 0 }, t2 = { 0 };
	int fd = open_node();

	CHECK_ERR(xioctl(fd, DRM_IOCTL_ASAHI_GET_TIME, &t1), 0);
	usleep(2000);
	CHECK_ERR(xioctl(fd, DRM_IOCTL_ASAHI_GET_TIME, &t2), 0);
	AGX_CHECK(t2.gpu_timestamp >= t1.gpu_timestamp + 1000000,
		  "%llu then %llu", (unsigned long long)t1.gpu_timestamp,
		  (unsigned long long)t2.gpu_timestamp);
	t1.flags = 1;
	CHECK_ERR(xioctl(fd, DRM_IOCTL_ASAHI_GET_TIME, &t1), -EINVAL);
	close(fd);
}

/*
 * This suite loads agx.ko without firmware (boot=0): queues need it, so
 * QUEUE_CREATE is refused with -ENODEV; the other queue ioctls validate
 * their arguments first (queue 0 does not exist, an empty SUBMIT).
 * tests/vm/suites/queue.sh tests queues with the firmware running.
 */
AGX_TEST(queue_ioctls_without_firmware)
{
	uint8_t buf[64] = { 0 };
	int fd = open_node();

	CHECK_ERR(xioctl(fd, DRM_IOCTL_ASAHI_QUEUE_CREATE, buf), -ENODEV);
	CHECK_ERR(xioctl(fd, DRM_IOCTL_ASAHI_QUEUE_DESTROY, buf), -ENOENT);
	CHECK_ERR(xioctl(fd, DRM_IOCTL_ASAHI_SUBMIT, buf), -EINVAL);
	close(fd);
}

/* ---- GEM ---------------------------------------------------------------- */

AGX_TEST(gem_create_rounds_to_16k)
{
	int fd = open_node();
	uint32_t h = bo_new(fd, 1, 0);
	uint8_t *p = bo_map(fd, h, PG);

	/* The whole 16 KiB page exists and starts zeroed. */
	AGX_CHECK(p[0] == 0 && p[PG - 1] == 0, "not zeroed");
	p[PG - 1] = 7;
	munmap(p, PG);
	CHECK_ERR(gem_close(fd, h), 0);
	close(fd);
}

AGX_TEST(gem_create_invalid)
{
	struct drm_asahi_gem_create c = { .size = PG };
	int fd = open_node();

	CHECK_ERR(gem_create(fd, 0, 0, 0, NULL), -EINVAL);
	CHECK_ERR(gem_create(fd, PG, 1u << 2, 0, NULL), -EINVAL);
	CHECK_ERR(gem_create(fd, PG, 0x80000000u, 0, NULL), -EINVAL);
	CHECK_ERR(gem_create(fd, PG, 0, 1, NULL), -EINVAL);
	CHECK_ERR(gem_create(fd, PG, DRM_ASAHI_GEM_WRITEBACK, 1, NULL), -EINVAL);
	c.pad = 1;
	CHECK_ERR(xioctl(fd, DRM_IOCTL_ASAHI_GEM_CREATE, &c), -EINVAL);
	CHECK_ERR(gem_create(fd, ~0ull, 0, 0, NULL), -EINVAL);
	close(fd);
}

AGX_TEST(gem_create_private_bad_vm)
{
	int fd = open_node();

	CHECK_ERR(gem_create(fd, PG, DRM_ASAHI_GEM_VM_PRIVATE, 0, NULL), -ENOENT);
	CHECK_ERR(gem_create(fd, PG, DRM_ASAHI_GEM_VM_PRIVATE, 12345, NULL), -ENOENT);
	close(fd);
}

AGX_TEST(gem_create_too_big_is_enomem)
{
	int fd = open_node();
	long before = dbg_count("bos");

	CHECK_ERR(gem_create(fd, 1ull << 38, 0, 0, NULL), -ENOMEM);
	AGX_CHECK_EQ(dbg_count("bos"), before);
	close(fd);
}

AGX_TEST(gem_mmap_offset_invalid)
{
	struct drm_asahi_gem_mmap_offset m = { 0 };
	int fd = open_node();
	uint32_t h = bo_new(fd, PG, 0);

	m.handle = h;
	m.flags = 1;
	CHECK_ERR(xioctl(fd, DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET, &m), -EINVAL);
	m.flags = 0;
	m.handle = h + 100;
	CHECK_ERR(xioctl(fd, DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET, &m), -ENOENT);
	m.handle = 0;
	CHECK_ERR(xioctl(fd, DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET, &m), -ENOENT);
	close(fd);
}

static void mmap_rw(uint32_t flags)
{
	const size_t size = 5 * PG;
	int fd = open_node();
	uint32_t h = bo_new(fd, size, flags);
	uint32_t *p = bo_map(fd, h, size), *q;
	size_t i, bad = 0;

	for (i = 0; i < size / 4; i++)
		bad += p[i] != 0;
	AGX_CHECK(bad == 0, "%zu nonzero words in a new object", bad);
	for (i = 0; i < size / 4; i++)
		p[i] = (uint32_t)(i * 2654435761u);
	munmap(p, size);
	/* A second mapping sees the same pages. */
	q = bo_map(fd, h, size);
	for (i = 0, bad = 0; i < size / 4; i++)
		bad += q[i] != (uint32_t)(i * 2654435761u);
	AGX_CHECK(bad == 0, "%zu words differ", bad);
	munmap(q, size);
	close(fd);
}

AGX_TEST(mmap_wc_read_write)
{
	mmap_rw(0);
}

AGX_TEST(mmap_wb_read_write)
{
	mmap_rw(DRM_ASAHI_GEM_WRITEBACK);
}

AGX_TEST(mmap_private_or_too_long_refused)
{
	struct drm_asahi_gem_mmap_offset m = { 0 };
	int fd = open_node();
	void *p;

	m.handle = bo_new(fd, PG, 0);
	AGX_REQUIRE(xioctl(fd, DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET, &m) == 0, "offset");
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, m.offset);
	AGX_CHECK(p == MAP_FAILED, "MAP_PRIVATE mapping succeeded");
	p = mmap(NULL, 2 * PG, PROT_READ, MAP_SHARED, fd, m.offset);
	AGX_CHECK(p == MAP_FAILED, "mapping past the object succeeded");
	close(fd);
}

/* ---- VM_CREATE / VM_DESTROY ----------------------------------------------- */

AGX_TEST(vm_create_destroy)
{
	int fd = open_node();
	uint64_t k;
	uint32_t a = vm_new(fd, &k), b;
	uint64_t k2;

	b = vm_new(fd, &k2);
	AGX_CHECK(a != b && a && b, "ids %u %u", a, b);
	AGX_CHECK(vm_in_dump(k), "VM not in debugfs");
	CHECK_ERR(vm_destroy(fd, a), 0);
	AGX_CHECK(!vm_in_dump(k), "destroyed VM still in debugfs");
	CHECK_ERR(vm_destroy(fd, a), -ENOENT);
	CHECK_ERR(vm_destroy(fd, b), 0);
	/* The window may touch both ends of the user range. */
	CHECK_ERR(vm_create_at(fd, VM_START, VM_START + KMIN, &a), 0);
	CHECK_ERR(vm_create_at(fd, VM_END - KMIN, VM_END, &b), 0);
	close(fd);
}

AGX_TEST(vm_create_invalid)
{
	struct drm_asahi_vm_create c = { .kernel_start = 0x100000000ull,
					 .kernel_end = 0x100000000ull + KMIN, .pad = 1 };
	int fd = open_node();

	CHECK_ERR(xioctl(fd, DRM_IOCTL_ASAHI_VM_CREATE, &c), -EINVAL);
	CHECK_ERR(vm_create_at(fd, 0x100001000ull, 0x100001000ull + KMIN, NULL), -EINVAL);
	CHECK_ERR(vm_create_at(fd, 0x100000000ull, 0x100000000ull + KMIN + 0x1000, NULL), -EINVAL);
	CHECK_ERR(vm_create_at(fd, 0x100000000ull, 0x100000000ull + KMIN - PG, NULL), -EINVAL);
	CHECK_ERR(vm_create_at(fd, 0, KMIN, NULL), -EINVAL);
	CHECK_ERR(vm_create_at(fd, VM_END - KMIN + PG, VM_END + PG, NULL), -EINVAL);
	CHECK_ERR(vm_create_at(fd, 0x200000000ull, 0x100000000ull, NULL), -EINVAL);
	CHECK_ERR(vm_create_at(fd, 0xffffffae00000000ull, 0xffffffaf00000000ull, NULL), -EINVAL);
	close(fd);
}

AGX_TEST(vm_destroy_invalid)
{
	struct drm_asahi_vm_destroy d = { 0 };
	int fd = open_node();
	uint64_t k;

	d.vm_id = vm_new(fd, &k);
	d.pad = 1;
	CHECK_ERR(xioctl(fd, DRM_IOCTL_ASAHI_VM_DESTROY, &d), -EINVAL);
	CHECK_ERR(vm_destroy(fd, 0), -ENOENT);
	CHECK_ERR(vm_destroy(fd, 0xdeadbeef), -ENOENT);
	CHECK_ERR(vm_destroy(fd, d.vm_id), 0);
	close(fd);
}

/* ---- VM_BIND validation ------------------------------------------------- */

struct bind_env {
	int fd;
	uint32_t vm;
	uint64_t k;
	uint32_t bo;
};

static struct bind_env env_new(uint64_t bo_size)
{
	struct bind_env e;

	e.fd = open_node();
	e.vm = vm_new(e.fd, &e.k);
	e.bo = bo_new(e.fd, bo_size, 0);
	return e;
}

/* Each invalid request must leave the VM without mappings. */
static void env_check_empty(struct bind_env *e)
{
	const char *d = vm_dump(e->k, NULL);

	AGX_CHECK(!d[0], "mappings left by a failed bind:\n%s", d);
	close(e->fd);
}

AGX_TEST(bind_bad_vm_or_pad)
{
	struct drm_asahi_gem_bind_op op = { .flags = RW, .range = PG, .addr = 0x100000 };
	struct drm_asahi_vm_bind b = { .num_binds = 1, .stride = sizeof(op),
				       .userptr = (uintptr_t)&op };
	struct bind_env e = env_new(PG);

	op.handle = e.bo;
	b.vm_id = e.vm + 1000;
	CHECK_ERR(xioctl(e.fd, DRM_IOCTL_ASAHI_VM_BIND, &b), -ENOENT);
	b.vm_id = 0;
	CHECK_ERR(xioctl(e.fd, DRM_IOCTL_ASAHI_VM_BIND, &b), -ENOENT);
	b.vm_id = e.vm;
	b.pad = 1;
	CHECK_ERR(xioctl(e.fd, DRM_IOCTL_ASAHI_VM_BIND, &b), -EINVAL);
	env_check_empty(&e);
}

AGX_TEST(bind_num_binds_bounds)
{
	struct drm_asahi_gem_bind_op op = { .flags = RW, .range = PG, .addr = 0x100000 };
	struct drm_asahi_vm_bind b = { .stride = sizeof(op), .userptr = (uintptr_t)&op };
	struct bind_env e = env_new(PG);

	op.handle = e.bo;
	b.vm_id = e.vm;
	b.num_binds = 0;
	CHECK_ERR(xioctl(e.fd, DRM_IOCTL_ASAHI_VM_BIND, &b), -EINVAL);
	b.num_binds = 4097;
	CHECK_ERR(xioctl(e.fd, DRM_IOCTL_ASAHI_VM_BIND, &b), -EINVAL);
	b.num_binds = 0xffffffff;
	CHECK_ERR(xioctl(e.fd, DRM_IOCTL_ASAHI_VM_BIND, &b), -EINVAL);
	/* 2 entries where only one is readable. */
	b.num_binds = 2;
	b.userptr = (uintptr_t)mmap(NULL, 8192, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memcpy((void *)(uintptr_t)(b.userptr + 4096 - sizeof(op)), &op, sizeof(op));
	mprotect((void *)(uintptr_t)b.userptr, 4096, PROT_READ);
	munmap((void *)(uintptr_t)(b.userptr + 4096), 4096);
	b.userptr += 4096 - sizeof(op);
	CHECK_ERR(xioctl(e.fd, DRM_IOCTL_ASAHI_VM_BIND, &b), -EFAULT);
	env_check_empty(&e);
}

AGX_TEST(bind_stride)
{
	uint8_t buf[2 * 64] = { 0 };
	struct drm_asahi_gem_bind_op op = { .flags = RW, .range = PG, .addr = 0x100000 };
	struct drm_asahi_vm_bind b = { .num_binds = 1, .userptr = (uintptr_t)buf };
	struct bind_env e = env_new(PG);

	op.handle = e.bo;
	memcpy(buf, &op, sizeof(op));
	b.vm_id = e.vm;
	b.stride = sizeof(op) - 8;
	CHECK_ERR(xioctl(e.fd, DRM_IOCTL_ASAHI_VM_BIND, &b), -EINVAL);
	b.stride = 0;
	CHECK_ERR(xioctl(e.fd, DRM_IOCTL_ASAHI_VM_BIND, &b), -EINVAL);
	b.stride = 1u << 20;
	CHECK_ERR(xioctl(e.fd, DRM_IOCTL_ASAHI_VM_BIND, &b), -EINVAL);
	/* A longer entry with a nonzero unknown tail is refused... */
	b.stride = 64;
	buf[60] = 1;
	CHECK_ERR(xioctl(e.fd, DRM_IOCTL_ASAHI_VM_BIND, &b), -EINVAL);
	{
		const char *d = vm_dump(e.k, NULL);

		AGX_CHECK(!d[0], "mapped despite the tail:\n%s", d);
	}
	/* ...and accepted with a zero tail. */
	buf[60] = 0;
	CHECK_ERR(xioctl(e.fd, DRM_IOCTL_ASAHI_VM_BIND, &b), 0);
	CHECK_HAS(vm_dump(e.k, NULL), map_line(0x100000, 0x104000, "gpu-rw", e.bo, 0, false));
	close(e.fd);
}

AGX_TEST(bind_bad_userptr_is_efault)
{
	struct drm_asahi_vm_bind b = { .num_binds = 1,
				       .stride = sizeof(struct drm_asahi_gem_bind_op) };
	struct bind_env e = env_new(PG);

	b.vm_id = e.vm;
	b.userptr = 0;
	CHECK_ERR(xioctl(e.fd, DRM_IOCTL_ASAHI_VM_BIND, &b), -EFAULT);
	b.userptr = 0xffff800000000000ull;
	CHECK_ERR(xioctl(e.fd, DRM_IOCTL_ASAHI_VM_BIND, &b), -EFAULT);
	env_check_empty(&e);
}

AGX_TEST(bind_bad_flags)
{
	struct bind_env e = env_new(PG);

	CHECK_ERR(vm_bind1(e.fd, e.vm, RW | (1u << 4), e.bo, 0, PG, 0x100000), -EINVAL);
	CHECK_ERR(vm_bind1(e.fd, e.vm, 0x80000000u | RW, e.bo, 0, PG, 0x100000), -EINVAL);
	CHECK_ERR(vm_bind1(e.fd, e.vm, 0, e.bo, 0, PG, 0x100000), -EINVAL);
	CHECK_ERR(vm_bind1(e.fd, e.vm, DRM_ASAHI_BIND_SINGLE_PAGE, e.bo, 0, PG, 0x100000), -EINVAL);
	CHECK_ERR(vm_bind1(e.fd, e.vm, DRM_ASAHI_BIND_UNBIND | DRM_ASAHI_BIND_READ, 0, 0, PG,
			   0x100000), -EINVAL);
	CHECK_ERR(vm_bind1(e.fd, e.vm, DRM_ASAHI_BIND_UNBIND | DRM_ASAHI_BIND_WRITE, 0, 0, PG,
			   0x100000), -EINVAL);
	CHECK_ERR(vm_bind1(e.fd, e.vm, DRM_ASAHI_BIND_UNBIND | DRM_ASAHI_BIND_SINGLE_PAGE, 0, 0,
			   PG, 0x100000), -EINVAL);
	env_check_empty(&e);
}

AGX_TEST(bind_misaligned)
{
	struct bind_env e = env_new(4 * PG);

	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, e.bo, 0, PG, 0x101000), -EINVAL);
	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, e.bo, 0, 0x1000, 0x100000), -EINVAL);
	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, e.bo, 0x1000, PG, 0x100000), -EINVAL);
	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, e.bo, 0, 0, 0x100000), -EINVAL);
	CHECK_ERR(vm_bind1(e.fd, e.vm, DRM_ASAHI_BIND_UNBIND, 0, 0, 0x2000, 0x100000), -EINVAL);
	env_check_empty(&e);
}

AGX_TEST(bind_outside_user_va)
{
	struct bind_env e = env_new(4 * PG);

	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, e.bo, 0, PG, 0), -EINVAL);
	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, e.bo, 0, PG, VM_END), -EINVAL);
	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, e.bo, 0, 2 * PG, VM_END - PG), -EINVAL);
	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, e.bo, 0, PG, 0xffffffae10000000ull), -EINVAL);
	CHECK_ERR(vm_bind1(e.fd, e.vm, DRM_ASAHI_BIND_READ | DRM_ASAHI_BIND_SINGLE_PAGE, e.bo,
			   0, 0xffffffffffffc000ull, 0x100000), -EINVAL);
	CHECK_ERR(vm_bind1(e.fd, e.vm, DRM_ASAHI_BIND_UNBIND, 0, 0, PG, 1ull << 39), -EINVAL);
	env_check_empty(&e);
}

AGX_TEST(bind_kernel_window_overlap)
{
	struct bind_env e = env_new(4 * PG);
	uint64_t k = e.k;

	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, e.bo, 0, PG, k), -EINVAL);
	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, e.bo, 0, 2 * PG, k - PG), -EINVAL);
	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, e.bo, 0, PG, k + KMIN - PG), -EINVAL);
	CHECK_ERR(vm_bind1(e.fd, e.vm, DRM_ASAHI_BIND_UNBIND, 0, 0, 2 * PG, k + KMIN - PG),
		  -EINVAL);
	/* Right next to it is fine. */
	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, e.bo, 0, PG, k - PG), 0);
	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, e.bo, 0, PG, k + KMIN), 0);
	AGX_CHECK_EQ(count_lines(vm_dump(k, NULL)), 2);
	close(e.fd);
}

AGX_TEST(bind_bad_handle_or_bo_range)
{
	struct bind_env e = env_new(4 * PG);

	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, e.bo + 77, 0, PG, 0x100000), -ENOENT);
	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, 0, 0, PG, 0x100000), -ENOENT);
	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, e.bo, 0, 5 * PG, 0x100000), -EINVAL);
	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, e.bo, 3 * PG, 2 * PG, 0x100000), -EINVAL);
	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, e.bo, 4 * PG, PG, 0x100000), -EINVAL);
	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, e.bo, 0xffffffffffffc000ull, 2 * PG, 0x100000), -EINVAL);
	CHECK_ERR(vm_bind1(e.fd, e.vm, RW | DRM_ASAHI_BIND_SINGLE_PAGE, e.bo, 4 * PG, 8 * PG,
			   0x100000), -EINVAL);
	env_check_empty(&e);
}

AGX_TEST(bind_failure_applies_nothing)
{
	struct bind_env e = env_new(4 * PG);
	struct drm_asahi_gem_bind_op ops[3] = {
		{ .flags = RW, .handle = e.bo, .range = PG, .addr = 0x100000 },
		{ .flags = RW, .handle = e.bo, .range = PG, .addr = 0x200000 },
		{ .flags = RW, .handle = e.bo, .range = PG, .addr = 0x300001 },
	};

	CHECK_ERR(vm_bind_ops(e.fd, e.vm, ops, 3), -EINVAL);
	ops[2].addr = 0x300000;
	ops[2].handle = 999;
	CHECK_ERR(vm_bind_ops(e.fd, e.vm, ops, 3), -ENOENT);
	env_check_empty(&e);
}

/* ---- VM_BIND behaviour -------------------------------------------------- */

AGX_TEST(bind_map_unmap_with_ptes)
{
	struct bind_env e = env_new(4 * PG);
	uint64_t client, pte, pa0, pa1;
	const char *d;

	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, e.bo, PG, 2 * PG, 0x100000), 0);
	d = vm_dump(e.k, &client);
	AGX_CHECK_EQ(count_lines(d), 1);
	CHECK_HAS(d, map_line(0x100000, 0x108000, "gpu-rw", e.bo, PG, false));

	pte = pte_walk(client, e.vm, 0x100000, &pa0);
	/* Valid leaf, uncached, GPU-only RW (AP 2 + UXN), AF, nG, bit 55. */
	AGX_CHECK_EQ(pte & 3, 3);
	AGX_CHECK_EQ((pte >> 2) & 7, 2);
	AGX_CHECK_EQ((pte >> 6) & 3, 2);
	AGX_CHECK(pte & (1ull << 10), "AF clear");
	AGX_CHECK(pte & (1ull << 11), "nG clear");
	AGX_CHECK(pte & (1ull << 54), "UXN clear");
	AGX_CHECK(!(pte & (1ull << 53)), "PXN set");
	AGX_CHECK(pte & (1ull << 55), "bit 55 clear");
	AGX_CHECK((pa0 & (PG - 1)) == 0 && pa0, "pa %#" PRIx64, pa0);
	pte_walk(client, e.vm, 0x104000 + 0x123, &pa1);
	AGX_CHECK(pa1 != pa0 && (pa1 & (PG - 1)) == 0x123, "pa1 %#" PRIx64, pa1);
	AGX_CHECK_EQ(pte_walk(client, e.vm, 0x108000, NULL), 0);

	CHECK_ERR(vm_bind1(e.fd, e.vm, DRM_ASAHI_BIND_UNBIND, 0, 0, 2 * PG, 0x100000), 0);
	AGX_CHECK_EQ(count_lines(vm_dump(e.k, NULL)), 0);
	AGX_CHECK_EQ(pte_walk(client, e.vm, 0x100000, NULL), 0);
	/* Unbinding nothing is not an error. */
	CHECK_ERR(vm_bind1(e.fd, e.vm, DRM_ASAHI_BIND_UNBIND, 0, 0, 2 * PG, 0x100000), 0);
	close(e.fd);
}

AGX_TEST(bind_protections)
{
	struct bind_env e = env_new(PG);
	uint64_t client, pte;
	const char *d;

	CHECK_ERR(vm_bind1(e.fd, e.vm, DRM_ASAHI_BIND_READ, e.bo, 0, PG, 0x100000), 0);
	CHECK_ERR(vm_bind1(e.fd, e.vm, DRM_ASAHI_BIND_WRITE, e.bo, 0, PG, 0x200000), 0);
	d = vm_dump(e.k, &client);
	CHECK_HAS(d, map_line(0x100000, 0x104000, "gpu-ro", e.bo, 0, false));
	CHECK_HAS(d, map_line(0x200000, 0x204000, "gpu-wo", e.bo, 0, false));
	pte = pte_walk(client, e.vm, 0x100000, NULL);
	AGX_CHECK(!(pte & (3ull << 53)) && ((pte >> 6) & 3) == 2, "RO pte %#" PRIx64, pte);
	pte = pte_walk(client, e.vm, 0x200000, NULL);
	AGX_CHECK((pte & (3ull << 53)) == (1ull << 53), "WO pte %#" PRIx64, pte);
	/* Rebinding over a mapping changes its protection. */
	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, e.bo, 0, PG, 0x100000), 0);
	CHECK_HAS(vm_dump(e.k, NULL), map_line(0x100000, 0x104000, "gpu-rw", e.bo, 0, false));
	pte = pte_walk(client, e.vm, 0x100000, NULL);
	AGX_CHECK((pte & (3ull << 53)) == (1ull << 54), "RW pte %#" PRIx64, pte);
	close(e.fd);
}

AGX_TEST(bind_remap_splits)
{
	struct bind_env e = env_new(8 * PG);
	uint32_t bo2 = bo_new(e.fd, PG, 0);
	uint64_t client, pa_first, pa_last, pa, pa_b;
	const uint64_t a = 0x400000;
	const char *d;

	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, e.bo, 0, 8 * PG, a), 0);
	d = vm_dump(e.k, &client);
	pte_walk(client, e.vm, a, &pa_first);
	pte_walk(client, e.vm, a + 7 * PG, &pa_last);

	/* A new mapping in the middle cuts the old one in three. */
	CHECK_ERR(vm_bind1(e.fd, e.vm, DRM_ASAHI_BIND_READ, bo2, 0, PG, a + 3 * PG), 0);
	d = vm_dump(e.k, NULL);
	AGX_CHECK_EQ(count_lines(d), 3);
	CHECK_HAS(d, map_line(a, a + 3 * PG, "gpu-rw", e.bo, 0, false));
	CHECK_HAS(d, map_line(a + 3 * PG, a + 4 * PG, "gpu-ro", bo2, 0, false));
	CHECK_HAS(d, map_line(a + 4 * PG, a + 8 * PG, "gpu-rw", e.bo, 4 * PG, false));
	pte_walk(client, e.vm, a, &pa);
	AGX_CHECK_EQ(pa, pa_first);
	pte_walk(client, e.vm, a + 7 * PG, &pa);
	AGX_CHECK_EQ(pa, pa_last);
	pte_walk(client, e.vm, a + 3 * PG, &pa_b);
	AGX_CHECK(pa_b != pa_first + 3 * PG || 1, "");

	/* Unbinding across two mappings trims both. */
	CHECK_ERR(vm_bind1(e.fd, e.vm, DRM_ASAHI_BIND_UNBIND, 0, 0, 2 * PG, a + 2 * PG), 0);
	d = vm_dump(e.k, NULL);
	AGX_CHECK_EQ(count_lines(d), 2);
	CHECK_HAS(d, map_line(a, a + 2 * PG, "gpu-rw", e.bo, 0, false));
	CHECK_HAS(d, map_line(a + 4 * PG, a + 8 * PG, "gpu-rw", e.bo, 4 * PG, false));
	AGX_CHECK_EQ(pte_walk(client, e.vm, a + 2 * PG, NULL), 0);
	AGX_CHECK_EQ(pte_walk(client, e.vm, a + 3 * PG, NULL), 0);
	AGX_CHECK(pte_walk(client, e.vm, a + 4 * PG, NULL) != 0, "piece unmapped");

	/* A hole in the middle of one mapping. */
	CHECK_ERR(vm_bind1(e.fd, e.vm, DRM_ASAHI_BIND_UNBIND, 0, 0, PG, a + 5 * PG), 0);
	d = vm_dump(e.k, NULL);
	AGX_CHECK_EQ(count_lines(d), 3);
	CHECK_HAS(d, map_line(a + 4 * PG, a + 5 * PG, "gpu-rw", e.bo, 4 * PG, false));
	CHECK_HAS(d, map_line(a + 6 * PG, a + 8 * PG, "gpu-rw", e.bo, 6 * PG, false));
	pte_walk(client, e.vm, a + 7 * PG, &pa);
	AGX_CHECK_EQ(pa, pa_last);
	close(e.fd);
}

AGX_TEST(bind_single_page_repeats)
{
	struct bind_env e = env_new(4 * PG);
	const uint64_t a = 0x1000000;
	uint64_t client, pa, pa0, i;
	const char *d;

	/* Over a leaf-table boundary (32 MiB) too. */
	CHECK_ERR(vm_bind1(e.fd, e.vm, DRM_ASAHI_BIND_READ | DRM_ASAHI_BIND_SINGLE_PAGE, e.bo,
			   2 * PG, 0x2000000, a), 0);
	d = vm_dump(e.k, &client);
	CHECK_HAS(d, map_line(a, a + 0x2000000, "gpu-ro", e.bo, 2 * PG, true));
	pte_walk(client, e.vm, a, &pa0);
	for (i = 1; i < 0x2000000; i += 0x3ff * PG) {
		pte_walk(client, e.vm, a + (i & ~(PG - 1)), &pa);
		AGX_CHECK_EQ(pa, pa0);
	}
	/* Cut a hole: both pieces still repeat the same page. */
	CHECK_ERR(vm_bind1(e.fd, e.vm, DRM_ASAHI_BIND_UNBIND, 0, 0, 4 * PG, a + 8 * PG), 0);
	d = vm_dump(e.k, NULL);
	CHECK_HAS(d, map_line(a, a + 8 * PG, "gpu-ro", e.bo, 2 * PG, true));
	CHECK_HAS(d, map_line(a + 12 * PG, a + 0x2000000, "gpu-ro", e.bo, 2 * PG, true));
	pte_walk(client, e.vm, a + 12 * PG, &pa);
	AGX_CHECK_EQ(pa, pa0);
	AGX_CHECK_EQ(pte_walk(client, e.vm, a + 9 * PG, NULL), 0);
	/* Same after a normal mapping cuts a piece. */
	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, e.bo, 0, PG, a + 20 * PG), 0);
	d = vm_dump(e.k, NULL);
	CHECK_HAS(d, map_line(a + 21 * PG, a + 0x2000000, "gpu-ro", e.bo, 2 * PG, true));
	pte_walk(client, e.vm, a + 0x1ffc000, &pa);
	AGX_CHECK_EQ(pa, pa0);
	close(e.fd);
}

AGX_TEST(bind_many_ops_in_order)
{
	struct bind_env e = env_new(4 * PG);
	struct drm_asahi_gem_bind_op ops[4] = {
		{ .flags = RW, .handle = e.bo, .range = 4 * PG, .addr = 0x100000 },
		{ .flags = DRM_ASAHI_BIND_UNBIND, .range = PG, .addr = 0x100000 },
		{ .flags = DRM_ASAHI_BIND_READ, .handle = e.bo, .range = PG, .addr = 0x200000 },
		{ .flags = DRM_ASAHI_BIND_UNBIND, .range = PG, .addr = 0x200000 },
	};
	const char *d;

	CHECK_ERR(vm_bind_ops(e.fd, e.vm, ops, 4), 0);
	d = vm_dump(e.k, NULL);
	AGX_CHECK_EQ(count_lines(d), 1);
	CHECK_HAS(d, map_line(0x104000, 0x110000, "gpu-rw", e.bo, PG, false));
	close(e.fd);
}

AGX_TEST(bind_vm_private_objects)
{
	int fd = open_node();
	uint64_t k1, k2;
	uint32_t vm1 = vm_new(fd, &k1), vm2 = vm_new(fd, &k2), h = 0;
	int dmabuf = -1;

	CHECK_ERR(gem_create(fd, 2 * PG, DRM_ASAHI_GEM_VM_PRIVATE, vm1, &h), 0);
	CHECK_ERR(vm_bind1(fd, vm1, RW, h, 0, 2 * PG, 0x100000), 0);
	CHECK_ERR(vm_bind1(fd, vm2, RW, h, 0, 2 * PG, 0x100000), -EINVAL);
	AGX_CHECK(drmPrimeHandleToFD(fd, h, DRM_CLOEXEC, &dmabuf) != 0 && errno == EINVAL,
		  "VM-private export: errno %d", errno);
	/* The object outlives its VM; the VM's mappings do not. */
	CHECK_ERR(vm_destroy(fd, vm1), 0);
	{
		uint8_t *p = bo_map(fd, h, 2 * PG);

		p[0] = 1;
		munmap(p, 2 * PG);
	}
	CHECK_ERR(gem_close(fd, h), 0);
	close(fd);
}

/* ---- Isolation ---------------------------------------------------------- */

AGX_TEST(isolation_handles_and_vms)
{
	int a = open_node(), b = open_node();
	struct drm_asahi_gem_mmap_offset m = { 0 };
	uint64_t ka, kb;
	uint32_t vma = vm_new(a, &ka), vmb = vm_new(b, &kb);
	uint32_t h = bo_new(a, PG, 0);

	/* b has no object with a's handle (b has no objects at all). */
	m.handle = h;
	CHECK_ERR(xioctl(b, DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET, &m), -ENOENT);
	CHECK_ERR(vm_bind1(b, vmb, RW, h, 0, PG, 0x100000), -ENOENT);
	CHECK_ERR(gem_close(b, h), -EINVAL);
	/* a's VM ids mean nothing to b, even where the numbers collide. */
	CHECK_ERR(vm_destroy(b, vma + 1), -ENOENT);
	CHECK_ERR(vm_bind1(b, vma + 1, RW, h, 0, PG, 0x100000), -ENOENT);
	CHECK_ERR(vm_bind1(a, vma, RW, h, 0, PG, 0x100000), 0);
	CHECK_ERR(gem_create(b, PG, DRM_ASAHI_GEM_VM_PRIVATE, vma + 1, NULL), -ENOENT);
	CHECK_ERR(vm_destroy(b, vmb), 0);
	/* a's mapping is untouched by b destroying its VM with the same id. */
	AGX_CHECK_EQ(count_lines(vm_dump(ka, NULL)), 1);
	close(a);
	close(b);
}

/* ---- PRIME -------------------------------------------------------------- */

AGX_TEST(prime_round_trip_between_files)
{
	int a = open_node(), b = open_node();
	uint32_t ha = bo_new(a, 3 * PG, 0), hb = 0;
	uint32_t *pa, *pb;
	int dmabuf = -1;

	AGX_REQUIRE(drmPrimeHandleToFD(a, ha, DRM_CLOEXEC | DRM_RDWR, &dmabuf) == 0,
		    "export: %s", strerror(errno));
	AGX_REQUIRE(drmPrimeFDToHandle(b, dmabuf, &hb) == 0, "import: %s", strerror(errno));
	pa = bo_map(a, ha, 3 * PG);
	pb = bo_map(b, hb, 3 * PG);
	pa[0] = 0x12345678;
	pa[3 * PG / 4 - 1] = 0x9abcdef0;
	AGX_CHECK_EQ(pb[0], 0x12345678);
	AGX_CHECK_EQ(pb[3 * PG / 4 - 1], 0x9abcdef0);
	munmap(pa, 3 * PG);
	munmap(pb, 3 * PG);
	/* Closing the exporter's handle keeps the buffer alive for b. */
	CHECK_ERR(gem_close(a, ha), 0);
	pb = bo_map(b, hb, 3 * PG);
	AGX_CHECK_EQ(pb[0], 0x12345678);
	munmap(pb, 3 * PG);
	close(dmabuf);
	close(a);
	close(b);
}

/* A dma-buf from udmabuf over a memfd, or -1 (errno set). */
static int udmabuf_new(int memfd, uint64_t offset, uint64_t size)
{
	struct udmabuf_create c = { .memfd = memfd, .flags = UDMABUF_FLAGS_CLOEXEC,
				    .offset = offset, .size = size };
	int dev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC), ret;

	if (dev < 0)
		return -1;
	ret = ioctl(dev, UDMABUF_CREATE, &c);
	close(dev);
	return ret;
}

AGX_TEST(prime_import_checks_16k_blocks)
{
	const uint64_t huge = 2ull << 20;
	int fd = open_node(), memfd, dmabuf;
	uint32_t h = 0;
	uint64_t k, client, pa;
	uint32_t vm;

	memfd = memfd_create("agx-huge", MFD_ALLOW_SEALING | MFD_HUGETLB);
	if (memfd < 0 || ftruncate(memfd, huge) != 0)
		AGX_SKIP("no hugetlb memfd: %s", strerror(errno));
	fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK);

	/* Offset 4 KiB: no GPU page is 16 KiB aligned. */
	dmabuf = udmabuf_new(memfd, 0x1000, 4 * PG);
	if (dmabuf < 0) {
		close(memfd);
		close(fd);
		AGX_SKIP("udmabuf over hugetlb: %s (no huge pages reserved?)", strerror(errno));
	}
	AGX_CHECK(drmPrimeFDToHandle(fd, dmabuf, &h) != 0 && errno == EINVAL,
		  "misaligned import: errno %d", errno);
	close(dmabuf);

	/* Offset 0 of a huge page: contiguous and aligned, accepted. */
	dmabuf = udmabuf_new(memfd, 0, 4 * PG);
	AGX_REQUIRE(dmabuf >= 0, "udmabuf: %s", strerror(errno));
	AGX_REQUIRE(drmPrimeFDToHandle(fd, dmabuf, &h) == 0, "import: %s", strerror(errno));
	vm = vm_new(fd, &k);
	CHECK_ERR(vm_bind1(fd, vm, RW, h, PG, 2 * PG, 0x100000), 0);
	vm_dump(k, &client);
	AGX_CHECK(pte_walk(client, vm, 0x104000, &pa) != 0, "imported page unmapped");
	AGX_CHECK((pa & (PG - 1)) == 0, "pa %#" PRIx64, pa);
	close(dmabuf);
	close(memfd);
	close(fd);
}

AGX_TEST(prime_import_of_4k_pages)
{
	int fd = open_node(), memfd, dmabuf, ret;
	uint32_t h = 0;
	char *p;
	int i;

	memfd = memfd_create("agx-4k", MFD_ALLOW_SEALING);
	AGX_REQUIRE(memfd >= 0 && ftruncate(memfd, 16 * PG) == 0, "memfd");
	/* Fault the pages in backwards, so they are unlikely to be in order. */
	p = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	for (i = 16 * PG / 4096 - 1; i >= 0; i--)
		p[i * 4096] = 1;
	munmap(p, 16 * PG);
	fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK);
	dmabuf = udmabuf_new(memfd, 0, 16 * PG);
	AGX_REQUIRE(dmabuf >= 0, "udmabuf: %s", strerror(errno));
	/* Either refused as not 16 KiB blocks, or (by luck) accepted. */
	ret = drmPrimeFDToHandle(fd, dmabuf, &h);
	AGX_CHECK(ret == 0 || errno == EINVAL, "errno %d", errno);
	AGX_NOTE("4 KiB-page import %s", ret ? "refused (EINVAL)" : "accepted");
	close(dmabuf);
	close(memfd);
	close(fd);
}

/* ---- Lifetime ----------------------------------------------------------- */

AGX_TEST(close_handle_while_bound)
{
	struct bind_env e = env_new(2 * PG);
	long bos = dbg_count("bos");

	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, e.bo, 0, 2 * PG, 0x100000), 0);
	CHECK_ERR(gem_close(e.fd, e.bo), 0);
	/* The mapping keeps the object; the dump shows it has no handle. */
	AGX_CHECK_EQ(dbg_count("bos"), bos);
	CHECK_HAS(vm_dump(e.k, NULL), map_line(0x100000, 0x108000, "gpu-rw", 0, 0, false));
	CHECK_ERR(vm_bind1(e.fd, e.vm, DRM_ASAHI_BIND_UNBIND, 0, 0, 2 * PG, 0x100000), 0);
	AGX_CHECK_EQ(dbg_count("bos"), bos - 1);
	close(e.fd);
}

AGX_TEST(vm_destroy_while_bound_frees)
{
	long bos = dbg_count("bos"), vms = dbg_count("vms"), pts = dbg_count("pt_blocks");
	struct bind_env e = env_new(2 * PG);
	uint32_t priv = 0;

	CHECK_ERR(gem_create(e.fd, PG, DRM_ASAHI_GEM_VM_PRIVATE, e.vm, &priv), 0);
	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, e.bo, 0, 2 * PG, 0x100000), 0);
	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, priv, 0, PG, 0x9000000000ull - 0x8000000000ull), 0);
	CHECK_ERR(gem_close(e.fd, e.bo), 0);
	CHECK_ERR(gem_close(e.fd, priv), 0);
	AGX_CHECK_EQ(dbg_count("bos"), bos + 2);
	CHECK_ERR(vm_destroy(e.fd, e.vm), 0);
	AGX_CHECK_EQ(dbg_count("bos"), bos);
	AGX_CHECK_EQ(dbg_count("vms"), vms);
	AGX_CHECK_EQ(dbg_count("pt_blocks"), pts);
	close(e.fd);
}

AGX_TEST(file_close_frees_everything)
{
	long bos = dbg_count("bos"), vms = dbg_count("vms"), pts = dbg_count("pt_blocks");
	long bobjs = dbg_count("bind_objects");
	struct bind_env e = env_new(2 * PG);
	struct drm_asahi_gem_bind_object bo = {
		.op = DRM_ASAHI_BIND_OBJECT_OP_BIND,
		.flags = DRM_ASAHI_BIND_OBJECT_USAGE_TIMESTAMPS, .range = PG,
	};
	uint64_t k2;

	bo.handle = e.bo;
	vm_new(e.fd, &k2);
	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, e.bo, 0, 2 * PG, 0x100000), 0);
	CHECK_ERR(xioctl(e.fd, DRM_IOCTL_ASAHI_GEM_BIND_OBJECT, &bo), 0);
	bo_new(e.fd, 3 * PG, DRM_ASAHI_GEM_WRITEBACK);
	AGX_CHECK_EQ(dbg_count("vms"), vms + 2);
	AGX_CHECK_EQ(dbg_count("bind_objects"), bobjs + 1);
	close(e.fd);
	AGX_CHECK_EQ(dbg_count("bos"), bos);
	AGX_CHECK_EQ(dbg_count("vms"), vms);
	AGX_CHECK_EQ(dbg_count("bind_objects"), bobjs);
	/* The kernel half keeps its tables; user VMs free all of theirs. */
	AGX_CHECK(dbg_count("pt_blocks") <= pts + 2, "pt_blocks %ld, was %ld",
		  dbg_count("pt_blocks"), pts);
}

/* ---- GEM_BIND_OBJECT ---------------------------------------------------- */

static int bind_object(int fd, uint32_t op, uint32_t flags, uint32_t handle,
		       uint64_t offset, uint64_t range, uint32_t *object)
{
	struct drm_asahi_gem_bind_object b = {
		.op = op, .flags = flags, .handle = handle, .offset = offset,
		.range = range, .object_handle = object ? *object : 0,
	};
	int ret = xioctl(fd, DRM_IOCTL_ASAHI_GEM_BIND_OBJECT, &b);

	if (object && op == DRM_ASAHI_BIND_OBJECT_OP_BIND)
		*object = b.object_handle;
	return ret;
}

#define TS DRM_ASAHI_BIND_OBJECT_USAGE_TIMESTAMPS

static long tlbi_range_count(void)
{
	char *s = strstr(read_dbg("ttb_slots"), " range ");

	AGX_REQUIRE(s, "no tlbi counts");
	return strtol(s + 7, NULL, 10);
}

AGX_TEST(bind_object_timestamps)
{
	int fd = open_node();
	uint32_t h = bo_new(fd, 4 * PG, 0), o1 = 0, o2 = 0;
	uint64_t pa;
	long tlbi;

	CHECK_ERR(bind_object(fd, 0, TS, h, PG, 2 * PG, &o1), 0);
	CHECK_ERR(bind_object(fd, 0, TS, h, 0, PG, &o2), 0);
	AGX_CHECK(o1 && o2 && o1 != o2, "object handles %u %u", o1, o2);
	/* Something is mapped at the start of the timestamp window. */
	AGX_CHECK(pte_walk(0, 0, 0xffffffae10000000ull, &pa) != 0, "nothing mapped");
	tlbi = tlbi_range_count();
	CHECK_ERR(bind_object(fd, 1, 0, 0, 0, 0, &o1), 0);
	AGX_CHECK(tlbi_range_count() > tlbi, "no TLB invalidation on unbind");
	CHECK_ERR(bind_object(fd, 1, 0, 0, 0, 0, &o1), -ENOENT);
	/* The buffer's handle can go; the object keeps it. */
	CHECK_ERR(gem_close(fd, h), 0);
	CHECK_ERR(bind_object(fd, 1, TS, 0, 0, 0, &o2), 0);
	close(fd);
}

AGX_TEST(bind_object_invalid)
{
	struct drm_asahi_gem_bind_object b = { .flags = TS, .range = PG };
	int fd = open_node();
	uint32_t h = bo_new(fd, 2 * PG, 0), o;

	b.handle = h;
	b.vm_id = 1;
	CHECK_ERR(xioctl(fd, DRM_IOCTL_ASAHI_GEM_BIND_OBJECT, &b), -EINVAL);
	b.vm_id = 0;
	b.pad = 1;
	CHECK_ERR(xioctl(fd, DRM_IOCTL_ASAHI_GEM_BIND_OBJECT, &b), -EINVAL);
	b.pad = 0;
	b.op = 2;
	CHECK_ERR(xioctl(fd, DRM_IOCTL_ASAHI_GEM_BIND_OBJECT, &b), -EINVAL);
	CHECK_ERR(bind_object(fd, 0, 0, h, 0, PG, NULL), -EINVAL);
	CHECK_ERR(bind_object(fd, 0, TS | 2, h, 0, PG, NULL), -EINVAL);
	CHECK_ERR(bind_object(fd, 0, TS, h + 9, 0, PG, NULL), -ENOENT);
	CHECK_ERR(bind_object(fd, 0, TS, h, 0x1000, PG, NULL), -EINVAL);
	CHECK_ERR(bind_object(fd, 0, TS, h, 0, 0, NULL), -EINVAL);
	CHECK_ERR(bind_object(fd, 0, TS, h, PG, 2 * PG, NULL), -EINVAL);
	CHECK_ERR(bind_object(fd, 0, TS, h, 0, 1ull << 40, NULL), -EINVAL);
	o = 77;
	CHECK_ERR(bind_object(fd, 1, 0, 0, 0, 0, &o), -ENOENT);
	o = 0;
	CHECK_ERR(bind_object(fd, 1, 0, 0, 0, 0, &o), -ENOENT);
	close(fd);
}

AGX_TEST(ttb_slots_table)
{
	char *s = read_dbg("ttb_slots");
	unsigned long long ttb0, ttb1;
	char *k = strstr(s, "slot 0 kernel ttb0 ");

	AGX_REQUIRE(k, "no slot 0 line:\n%s", s);
	AGX_REQUIRE(sscanf(k, "slot 0 kernel ttb0 %llx ttb1 %llx", &ttb0, &ttb1) == 2, "parse");
	AGX_CHECK((ttb0 & 1) && (ttb1 & 1), "kernel TTBs not valid");
	AGX_CHECK((ttb0 >> 48) == 0 && (ttb1 >> 48) == 0, "kernel ASID not 0");
	AGX_CHECK(!strstr(s, "stray"), "stray slots:\n%s", s);
}

/* ---- Context slots (through debugfs "slot", standing in for queues) ------ */

static int dbg_write(const char *name, const char *text)
{
	int fd = open(dbg_path(name), O_WRONLY), ret = 0;

	AGX_REQUIRE(fd >= 0, "open %s: %s", name, strerror(errno));
	if (write(fd, text, strlen(text)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static int slot_op(uint64_t client, uint32_t vm, const char *op)
{
	char q[96];

	snprintf(q, sizeof(q), "%" PRIu64 " %u %s", client, vm, op);
	return dbg_write("slot", q);
}

/* The slot of the VM with kernel window @kstart, from the dump. */
static int vm_slot(uint64_t kstart)
{
	char key[64], *s;
	int slot;

	snprintf(key, sizeof(key), " kernel %#" PRIx64 "-", kstart);
	s = strstr(read_dbg("vms"), key);
	AGX_REQUIRE(s && (s = strstr(s, " slot ")), "no VM");
	AGX_REQUIRE(sscanf(s, " slot %d", &slot) == 1, "bad slot");
	return slot;
}

static void tlbi_counts(long *asid, long *range)
{
	char *s = strstr(read_dbg("ttb_slots"), "tlbi all ");

	AGX_REQUIRE(s && sscanf(s, "tlbi all %*d asid %ld range %ld", asid, range) == 2,
		    "no tlbi counts");
}

AGX_TEST(slot_bind_invalidate_release)
{
	struct bind_env e = env_new(PG);
	long asid0, range0, asid, range;
	uint64_t client;
	unsigned long long ttb0;
	char key[48], *s;
	int slot;

	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, e.bo, 0, PG, 0x100000), 0);
	vm_dump(e.k, &client);
	AGX_CHECK_EQ(vm_slot(e.k), -1);
	tlbi_counts(&asid0, &range0);

	CHECK_ERR(slot_op(client, e.vm, "get"), 0);
	slot = vm_slot(e.k);
	AGX_REQUIRE(slot >= 1 && slot <= 63, "slot %d", slot);
	snprintf(key, sizeof(key), "slot %d bound users 1 ttb0 ", slot);
	s = strstr(read_dbg("ttb_slots"), key);
	AGX_REQUIRE(s, "no \"%s\"", key);
	AGX_REQUIRE(sscanf(s + strlen(key), "%llx", &ttb0) == 1, "ttb0");
	AGX_CHECK((ttb0 & 1) && (int)(ttb0 >> 48) == slot && (ttb0 & 0x3ffe) == 0,
		  "ttb0 %#llx", ttb0);
	tlbi_counts(&asid, &range);
	AGX_CHECK(asid > asid0, "no ASID invalidation on bind");

	/* An unmap in a bound VM invalidates the range. */
	CHECK_ERR(vm_bind1(e.fd, e.vm, DRM_ASAHI_BIND_UNBIND, 0, 0, PG, 0x100000), 0);
	tlbi_counts(&asid0, &range0);
	AGX_CHECK(range0 > range, "no range invalidation on unmap");
	/* So does replacing a mapping. */
	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, e.bo, 0, PG, 0x100000), 0);
	CHECK_ERR(vm_bind1(e.fd, e.vm, DRM_ASAHI_BIND_READ, e.bo, 0, PG, 0x100000), 0);
	tlbi_counts(&asid, &range);
	AGX_CHECK(range > range0, "no range invalidation on rebind");

	CHECK_ERR(slot_op(client, e.vm, "put"), 0);
	CHECK_ERR(slot_op(client, e.vm, "put"), -EINVAL);
	snprintf(key, sizeof(key), "slot %d bound users 0 ", slot);
	AGX_CHECK(strstr(read_dbg("ttb_slots"), key), "idle slot not kept");
	/* An idle slot stays with its VM. */
	CHECK_ERR(slot_op(client, e.vm, "get"), 0);
	AGX_CHECK_EQ(vm_slot(e.k), slot);
	/* Destroying the VM with a use still taken here releases the slot. */
	CHECK_ERR(vm_destroy(e.fd, e.vm), 0);
	snprintf(key, sizeof(key), "slot %d ", slot);
	AGX_CHECK(!strstr(read_dbg("ttb_slots"), key), "slot %d still bound", slot);
	tlbi_counts(&asid0, &range0);
	AGX_CHECK(asid0 > asid, "no ASID invalidation on release");
	close(e.fd);
}

AGX_TEST(slot_exhaustion_and_stealing)
{
	int fd = open_node();
	uint64_t k[64], client = 0;
	uint32_t vm[64];
	int i, first;

	for (i = 0; i < 64; i++)
		vm[i] = vm_new(fd, &k[i]);
	vm_dump(k[0], &client);
	for (i = 0; i < 63; i++)
		AGX_REQUIRE(slot_op(client, vm[i], "get") == 0, "get %d", i);
	CHECK_ERR(slot_op(client, vm[63], "get"), -EBUSY);
	first = vm_slot(k[0]);
	/* An idle slot is taken over by the VM that needs one. */
	CHECK_ERR(slot_op(client, vm[0], "put"), 0);
	CHECK_ERR(slot_op(client, vm[63], "get"), 0);
	AGX_CHECK_EQ(vm_slot(k[63]), first);
	AGX_CHECK_EQ(vm_slot(k[0]), -1);
	CHECK_ERR(slot_op(client, vm[0], "get"), -EBUSY);
	CHECK_ERR(slot_op(client, 0, "get"), -ENOENT);
	close(fd);
	AGX_CHECK(!strstr(read_dbg("ttb_slots"), "bound"), "slots left bound");
}

/* ---- Bind throughput ---------------------------------------------------- */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

AGX_TEST(bind_throughput)
{
	struct bind_env e = env_new(64 * PG);
	const int n = 2000;
	double t0, t1, t2;
	int i;

	t0 = now_s();
	for (i = 0; i < n; i++)
		AGX_REQUIRE(vm_bind1(e.fd, e.vm, RW, e.bo, (i % 64) * PG, PG,
				     0x100000 + (uint64_t)i * PG) == 0, "bind %d", i);
	t1 = now_s();
	for (i = 0; i < n; i++)
		AGX_REQUIRE(vm_bind1(e.fd, e.vm, DRM_ASAHI_BIND_UNBIND, 0, 0, PG,
				     0x100000 + (uint64_t)i * PG) == 0, "unbind %d", i);
	t2 = now_s();
	AGX_NOTE("%d one-page binds: %.0f/s; unbinds: %.0f/s", n, n / (t1 - t0), n / (t2 - t1));
	t0 = now_s();
	CHECK_ERR(vm_bind1(e.fd, e.vm, RW | DRM_ASAHI_BIND_SINGLE_PAGE, e.bo, 0, 1ull << 30,
			   0x1000000000ull), 0);
	t1 = now_s();
	CHECK_ERR(vm_bind1(e.fd, e.vm, DRM_ASAHI_BIND_UNBIND, 0, 0, 1ull << 30, 0x1000000000ull), 0);
	t2 = now_s();
	AGX_NOTE("1 GiB SINGLE_PAGE map (65536 PTEs, 32 leaf tables): %.1f ms; unmap %.1f ms",
		 (t1 - t0) * 1e3, (t2 - t1) * 1e3);
	/* 64 GiB: 2048 new leaf tables (32 MiB), 4 Mi entries. */
	{
		long pts = dbg_count("pt_blocks");

		t0 = now_s();
		CHECK_ERR(vm_bind1(e.fd, e.vm, DRM_ASAHI_BIND_READ | DRM_ASAHI_BIND_SINGLE_PAGE,
				   e.bo, 0, 64ull << 30, 0x2000000000ull), 0);
		t1 = now_s();
		AGX_CHECK(dbg_count("pt_blocks") >= pts + 2048, "pt_blocks %ld -> %ld", pts,
			  dbg_count("pt_blocks"));
		CHECK_ERR(vm_bind1(e.fd, e.vm, DRM_ASAHI_BIND_UNBIND, 0, 0, 64ull << 30,
				   0x2000000000ull), 0);
		t2 = now_s();
		AGX_NOTE("64 GiB SINGLE_PAGE map: %.0f ms; unmap %.0f ms", (t1 - t0) * 1e3,
			 (t2 - t1) * 1e3);
	}
	close(e.fd);
}

/* ---- Concurrency -------------------------------------------------------- */

/*
 * Processes sharing one file bind and unbind overlapping ranges of one VM
 * while another takes slots and finally destroys the VM under them.
 */
AGX_TEST(concurrent_binds_and_destroy)
{
	struct bind_env e = env_new(8 * PG);
	long bos = dbg_count("bos");
	uint64_t client;
	pid_t kids[3];
	int i, status, bad = 0;

	vm_dump(e.k, &client);
	for (i = 0; i < 3; i++) {
		kids[i] = fork();
		AGX_REQUIRE(kids[i] >= 0, "fork");
		if (kids[i] == 0) {
			uint64_t x = 0x9e3779b97f4a7c15ull * (i + 1);
			int n, r;

			for (n = 0; n < 3000; n++) {
				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				if (i == 2) {
					slot_op(client, e.vm, n % 2 ? "put" : "get");
					continue;
				}
				r = vm_bind1(e.fd, e.vm, x % 3 ? RW | (x & 8) : DRM_ASAHI_BIND_UNBIND,
					     x % 3 ? e.bo : 0, ((x >> 8) % 4) * PG,
					     ((x >> 16) % 4 + 1) * PG, 0x100000 + ((x >> 24) % 16) * PG);
				if (r && r != -ENOENT)
					_exit(1);
			}
			_exit(0);
		}
	}
	usleep(300000);
	CHECK_ERR(vm_destroy(e.fd, e.vm), 0);
	for (i = 0; i < 3; i++) {
		waitpid(kids[i], &status, 0);
		bad += !WIFEXITED(status) || WEXITSTATUS(status);
	}
	AGX_CHECK_EQ(bad, 0);
	AGX_CHECK(!vm_in_dump(e.k), "VM still listed");
	CHECK_ERR(gem_close(e.fd, e.bo), 0);
	AGX_CHECK_EQ(dbg_count("bos"), bos - 1);
	close(e.fd);
}

/* ---- Fuzzer ------------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static uint64_t pick(const uint64_t *v, size_t n)
{
	return v[rnd() % n];
}

static const uint64_t fz_addr[] = {
	0, 0x4000, 0x100000, 0x104000, 0x108000, 0x1ffc000, 0x2000000, 0x101000,
	0x3fffffc000ull, 0x4000000000ull, 0x7fffff4000ull, 0x7fffff8000ull,
	0xffffffffffffc000ull, 0xffffffae10000000ull, 1,
};
static const uint64_t fz_size[] = {
	0, 0x4000, 0x8000, 0x10000, 0x40000, 0x2000000, 0x1000, 0x4001,
	0x8000000000ull, 0xffffffffffffc000ull, 0x100000,
};

static uint32_t fz_handle(uint32_t *h, int n)
{
	uint32_t r = rnd() % 16;

	return r < 12 && n ? h[rnd() % n] : r == 12 ? 0 : (uint32_t)rnd();
}

static void fz_one(int fd, uint32_t *hs, int *nh, uint32_t *vms, int *nv)
{
	uint8_t buf[512];
	int what = rnd() % 10;

	memset(buf, 0, sizeof(buf));
	switch (what) {
	case 0: {
		uint32_t h = 0;
		uint64_t size = rnd() % 4 ? (rnd() % 8 + 1) * 0x4000 - rnd() % 2 : pick(fz_size, 11);
		uint32_t flags = rnd() % 4 ? rnd() % 4 : (uint32_t)rnd();
		uint32_t vm = *nv && rnd() % 2 ? vms[rnd() % *nv] : (uint32_t)(rnd() % 4);

		if (size > (1 << 20) && size < (1ull << 39))
			size = 1 << 20;
		if (gem_create(fd, size, flags, flags & 2 ? vm : 0, &h) == 0 && *nh < 32)
			hs[(*nh)++] = h;
		break;
	}
	case 1:
		if (*nh && rnd() % 2) {
			int i = rnd() % *nh;

			gem_close(fd, hs[i]);
			hs[i] = hs[--(*nh)];
		} else {
			gem_close(fd, (uint32_t)rnd());
		}
		break;
	case 2: {
		uint64_t ks = rnd() % 3 ? (rnd() % 0x1fc + 1) * 0x40000000ull : pick(fz_addr, 15);
		uint64_t ke = ks + (rnd() % 3 ? KMIN : pick(fz_size, 11));
		uint32_t id;

		if (vm_create_at(fd, ks, ke, &id) == 0 && *nv < 8)
			vms[(*nv)++] = id;
		break;
	}
	case 3:
		if (*nv && rnd() % 2) {
			int i = rnd() % *nv;

			vm_destroy(fd, vms[i]);
			vms[i] = vms[--(*nv)];
		} else {
			vm_destroy(fd, (uint32_t)rnd() % 16);
		}
		break;
	case 4:
	case 5:
	case 6: {
		struct drm_asahi_gem_bind_op ops[4];
		struct drm_asahi_vm_bind b = { 0 };
		uint32_t n = rnd() % 4 + 1, i;

		for (i = 0; i < n; i++) {
			ops[i].flags = rnd() % 8 ? (uint32_t)(rnd() % 16) : (uint32_t)rnd();
			ops[i].handle = fz_handle(hs, *nh);
			ops[i].offset = rnd() % 4 ? (rnd() % 4) * 0x4000 : pick(fz_size, 11);
			ops[i].range = pick(fz_size, 11);
			ops[i].addr = rnd() % 3 ? (rnd() % 64) * 0x4000 + 0x100000 : pick(fz_addr, 15);
		}
		b.vm_id = *nv && rnd() % 8 ? vms[rnd() % *nv] : (uint32_t)(rnd() % 4);
		b.num_binds = rnd() % 16 ? n : (uint32_t)rnd();
		b.stride = rnd() % 8 ? sizeof(ops[0]) : (uint32_t)(rnd() % 64);
		b.userptr = rnd() % 16 ? (uintptr_t)ops : pick(fz_addr, 15);
		b.pad = rnd() % 16 == 0;
		if (b.stride > sizeof(ops[0]) || (uint64_t)b.num_binds * b.stride > sizeof(ops))
			b.userptr = rnd() % 2 ? 0 : b.userptr;
		xioctl(fd, DRM_IOCTL_ASAHI_VM_BIND, &b);
		break;
	}
	case 7: {
		struct drm_asahi_gem_mmap_offset m = { .handle = fz_handle(hs, *nh),
						       .flags = rnd() % 8 == 0 };

		if (xioctl(fd, DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET, &m) == 0 && rnd() % 2) {
			uint8_t *p = mmap(NULL, 0x4000, PROT_READ | PROT_WRITE, MAP_SHARED,
					  fd, m.offset);

			if (p != MAP_FAILED) {
				p[rnd() % 0x4000] ^= 1;
				munmap(p, 0x4000);
			}
		}
		break;
	}
	case 8: {
		static uint32_t objs[16];
		static int nobj;
		struct drm_asahi_gem_bind_object b = {
			.op = rnd() % 8 ? (uint32_t)(rnd() % 2) : (uint32_t)rnd(),
			.flags = rnd() % 8 ? TS : (uint32_t)rnd(),
			.handle = fz_handle(hs, *nh),
			.offset = rnd() % 2 ? 0 : pick(fz_size, 11),
			.range = rnd() % 2 ? 0x4000 : pick(fz_size, 11),
			.vm_id = rnd() % 16 == 0,
		};

		b.object_handle = nobj && rnd() % 2 ? objs[rnd() % nobj] : (uint32_t)(rnd() % 8);
		if (xioctl(fd, DRM_IOCTL_ASAHI_GEM_BIND_OBJECT, &b) == 0 && b.op == 0 && nobj < 16)
			objs[nobj++] = b.object_handle;
		if (nobj && rnd() % 64 == 0)
			nobj = 0;
		break;
	}
	default: {
		struct drm_asahi_get_params g = { .param_group = rnd() % 8 == 0,
						  .pointer = rnd() % 4 ? (uintptr_t)buf : pick(fz_addr, 15),
						  .size = rnd() % 600 };
		struct drm_asahi_get_time t = { .flags = rnd() % 8 == 0 };

		if (g.size > sizeof(buf))
			g.size = sizeof(buf);
		xioctl(fd, DRM_IOCTL_ASAHI_GET_PARAMS, &g);
		xioctl(fd, DRM_IOCTL_ASAHI_GET_TIME, &t);
		break;
	}
	}
}

AGX_TEST(fuzz)
{
	const char *e;
	long iters = (e = getenv("AGX_FUZZ_ITERS")) ? atol(e) : 100000;
	long secs = (e = getenv("AGX_FUZZ_SECONDS")) ? atol(e) : 60;
	long bos = dbg_count("bos"), vms = dbg_count("vms"), bobjs = dbg_count("bind_objects");
	uint32_t hs[2][32], vmids[2][8];
	int nh[2] = { 0 }, nv[2] = { 0 }, fds[2];
	time_t start = time(NULL);
	long i;

	rng_state = (e = getenv("AGX_FUZZ_SEED")) ? strtoull(e, NULL, 0) : 1;
	if (!rng_state)
		rng_state = 1;
	fds[0] = open_node();
	fds[1] = open_node();
	for (i = 0; i < iters && time(NULL) - start < secs; i++) {
		int f = rnd() % 2;

		fz_one(fds[f], hs[f], &nh[f], vmids[f], &nv[f]);
		/* Sometimes share a buffer between the files. */
		if (rnd() % 64 == 0 && nh[f]) {
			int dmabuf;
			uint32_t h;

			if (!drmPrimeHandleToFD(fds[f], hs[f][rnd() % nh[f]], DRM_CLOEXEC, &dmabuf)) {
				if (!drmPrimeFDToHandle(fds[!f], dmabuf, &h) && nh[!f] < 32)
					hs[!f][nh[!f]++] = h;
				close(dmabuf);
			}
		}
		/* And sometimes start a file afresh. */
		if (rnd() % 512 == 0) {
			close(fds[f]);
			fds[f] = open_node();
			nh[f] = nv[f] = 0;
		}
	}
	AGX_NOTE("fuzz: %ld iterations in %ld s", i, (long)(time(NULL) - start));
	close(fds[0]);
	close(fds[1]);
	AGX_CHECK_EQ(dbg_count("bos"), bos);
	AGX_CHECK_EQ(dbg_count("vms"), vms);
	AGX_CHECK_EQ(dbg_count("bind_objects"), bobjs);
}

/* ---- Unplug with live objects (last: takes the device away) ------------- */

#define AGX_SIM_DRIVER "/sys/bus/platform/drivers/agx"

static int sysfs_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, text, strlen(text)) < 0)
		err = errno;
	close(fd);
	return err;
}

static bool wait_for_node(bool present)
{
	int i;

	for (i = 0; i < 500; i++) {
		if ((access(render_node(), F_OK) == 0) == present)
			return true;
		usleep(10000);
	}
	return false;
}

/*
 * Unbinding the device while a file holds a VM with mappings, a bound
 * slot, a timestamp object and a mapping of a buffer: ioctls fail with
 * ENODEV, the CPU mapping stays usable, closing frees everything without
 * touching the (gone) backend, and the device comes back.
 */
AGX_TEST(unplug_with_live_objects)
{
	struct bind_env e;
	uint64_t client;
	uint32_t obj = 0, h;
	uint32_t *p;

	if (access(AGX_SIM_DRIVER "/agx-sim", F_OK) != 0)
		AGX_SKIP("the node is not the simulated device");
	e = env_new(4 * PG);
	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, e.bo, 0, 4 * PG, 0x100000), 0);
	CHECK_ERR(bind_object(e.fd, 0, TS, e.bo, 0, PG, &obj), 0);
	vm_dump(e.k, &client);
	CHECK_ERR(slot_op(client, e.vm, "get"), 0);
	p = bo_map(e.fd, e.bo, 4 * PG);
	p[0] = 42;

	AGX_REQUIRE(sysfs_write(AGX_SIM_DRIVER "/unbind", "agx-sim") == 0, "unbind");
	AGX_CHECK(wait_for_node(false), "node still there");
	CHECK_ERR(gem_create(e.fd, PG, 0, 0, &h), -ENODEV);
	CHECK_ERR(vm_bind1(e.fd, e.vm, DRM_ASAHI_BIND_UNBIND, 0, 0, PG, 0x100000), -ENODEV);
	AGX_CHECK_EQ(p[0], 42);
	munmap(p, 4 * PG);
	close(e.fd);

	AGX_REQUIRE(sysfs_write(AGX_SIM_DRIVER "/bind", "agx-sim") == 0, "bind");
	AGX_REQUIRE(wait_for_node(true), "node did not come back");
	dbg_dir[0] = 0;
	AGX_CHECK_EQ(dbg_count("bos"), 0);
	AGX_CHECK_EQ(dbg_count("vms"), 0);
	e = env_new(PG);
	CHECK_ERR(vm_bind1(e.fd, e.vm, RW, e.bo, 0, PG, 0x100000), 0);
	close(e.fd);
}

AGX_TEST_MAIN()
