/* SPDX-License-Identifier: MIT */
/*
 * agx_fw_test.c - the firmware bring-up of agx.ko, through its render node
 * and its debugfs files (fw_status, fw_channels, fw_log).
 *
 * Runs inside the test VM (tests/vm/suites/fw.sh) with agx.ko loaded with
 * boot=1 and agxsim-vm attached. The suite picks the tests by prefix:
 *
 *   up_     the firmware is running: state, the DeviceControl ring was
 *           read past Initialize, every ring pointer in range, the
 *           InitData VA in the driver's private heap, a firmware log line
 *   alive_  GET_PARAMS and GEM_CREATE work
 *   dead_   after a firmware crash: crashed state, GET_PARAMS and
 *           GEM_CREATE fail with -ENODEV, core ioctls still work
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <xf86drm.h>

#include "drm/asahi_drm.h"
#include "agx_test.h"
#include "agx_kernel_test.h"

static char dbg_dir[300];

/* Path of a debugfs file of the asahi device. */
static const char *dbg_path(const char *name)
{
	static char path[340];

	if (!dbg_dir[0]) {
		DIR *d = opendir("/sys/kernel/debug/dri");
		struct dirent *e;

		AGX_REQUIRE(d, "no /sys/kernel/debug/dri: %s", strerror(errno));
		while ((e = readdir(d)) && !dbg_dir[0]) {
			char p[300], buf[128] = "";
			FILE *f;

			snprintf(p, sizeof(p), "/sys/kernel/debug/dri/%.200s/name", e->d_name);
			f = fopen(p, "r");
			if (!f)
				continue;
			if (fgets(buf, sizeof(buf), f) && !strncmp(buf, "asahi", 5))
				snprintf(dbg_dir, sizeof(dbg_dir), "/sys/kernel/debug/dri/%.200s",
					 e->d_name);
			fclose(f);
		}
		closedir(d);
		AGX_REQUIRE(dbg_dir[0], "no asahi device in debugfs");
	}
	snprintf(path, sizeof(path), "%s/%s", dbg_dir, name);
	return path;
}

/* The whole of a debugfs file, NUL-terminated, in a static buffer. */
static const char *dbg_read(const char *name)
{
	static char buf[1 << 16];
	size_t n;
	FILE *f = fopen(dbg_path(name), "r");

	AGX_REQUIRE(f, "%s: %s", dbg_path(name), strerror(errno));
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

/* The number after "key " in fw_status. */
static uint64_t status_u64(const char *key)
{
	const char *s = dbg_read("fw_status"), *p;
	char pat[64];

	snprintf(pat, sizeof(pat), "\n%s ", key);
	p = strncmp(s, pat + 1, strlen(pat + 1)) ? strstr(s, pat) : s - 1;
	AGX_REQUIRE(p, "no %s in fw_status:\n%s", key, s);
	return strtoull(p + strlen(pat), NULL, 0);
}

static int get_params(int fd)
{
	struct drm_asahi_params_global p;
	struct drm_asahi_get_params g = { .pointer = (uintptr_t)&p, .size = sizeof(p) };

	return xioctl(fd, DRM_IOCTL_ASAHI_GET_PARAMS, &g);
}

static int gem_create(int fd, uint32_t *handle)
{
	struct drm_asahi_gem_create c = { .size = 16384 };
	int ret = xioctl(fd, DRM_IOCTL_ASAHI_GEM_CREATE, &c);

	*handle = c.handle;
	return ret;
}

/* ---- The firmware is up ------------------------------------------------- */

AGX_TEST(up_state_running)
{
	const char *s = dbg_read("fw_status");

	AGX_CHECK(strstr(s, "state running\n") != NULL, "fw_status:\n%s", s);
	AGX_CHECK_EQ(status_u64("crashed"), 0);
	AGX_CHECK_EQ(status_u64("needs_recovery"), 0);
}

AGX_TEST(up_initdata_in_private_heap)
{
	uint64_t va = status_u64("initdata_va");

	/* The driver's private (cached) heap; bit 43 set as MSG_INIT needs. */
	AGX_CHECK(va >= 0xffffffa000000000ull && va < 0xffffffa600000000ull,
		  "initdata_va %#" PRIx64, va);
	AGX_CHECK(va & (1ull << 43), "initdata_va %#" PRIx64, va);
}

/*
 * Every ring line: "<name> <sub> tx|rx count N state VA ring VA
 * driver_wptr|driver_rptr P rptr R wptr W msgs M bad B".
 */
struct ring_line {
	char name[32], dir[4], which[16];
	unsigned int sub, count, ptr, rptr, wptr;
	unsigned long long state, ring, msgs, bad;
};

static int parse_rings(struct ring_line *out, int max)
{
	const char *s = dbg_read("fw_channels");
	int n = 0;

	while (*s && n < max) {
		struct ring_line *r = &out[n];

		if (sscanf(s, "%31s %u %3s count %u state %llx ring %llx %15s %u rptr %u wptr %u msgs %llu bad %llu",
			   r->name, &r->sub, r->dir, &r->count, &r->state, &r->ring, r->which,
			   &r->ptr, &r->rptr, &r->wptr, &r->msgs, &r->bad) == 12)
			n++;
		s = strchr(s, '\n');
		if (!s)
			break;
		s++;
	}
	return n;
}

AGX_TEST(up_all_channels_listed_and_sane)
{
	struct ring_line r[32];
	int n = parse_rings(r, 32), i, pipes = 0, fwlog = 0;

	/* DeviceControl, 12 pipes, Event, 6 FwLog, KTrace, Stats, FWCtl. */
	AGX_CHECK_EQ(n, 23);
	for (i = 0; i < n; i++) {
		AGX_CHECK(r[i].rptr < r[i].count && r[i].wptr < r[i].count && r[i].ptr < r[i].count,
			  "%s[%u]: ptr %u rptr %u wptr %u count %u", r[i].name, r[i].sub,
			  r[i].ptr, r[i].rptr, r[i].wptr, r[i].count);
		AGX_CHECK_EQ(r[i].bad, 0);
		AGX_CHECK(r[i].state >= 0xffffffa000000000ull && r[i].ring >= 0xffffffa000000000ull,
			  "%s: state %#llx ring %#llx", r[i].name, r[i].state, r[i].ring);
		/* The driver's pointer and its copy in the state block agree. */
		if (!strcmp(r[i].dir, "tx"))
			AGX_CHECK_EQ(r[i].ptr, r[i].wptr);
		else
			AGX_CHECK_EQ(r[i].ptr, r[i].rptr);
		pipes += !strncmp(r[i].name, "pipe_", 5);
		fwlog += !strcmp(r[i].name, "fw_log");
	}
	AGX_CHECK_EQ(pipes, 12);
	AGX_CHECK_EQ(fwlog, 6);
}

AGX_TEST(up_device_control_read_past_initialize)
{
	struct ring_line r[32];
	int n = parse_rings(r, 32), i;
	bool found = false;

	for (i = 0; i < n; i++) {
		if (strcmp(r[i].name, "device_control"))
			continue;
		found = true;
		AGX_CHECK(r[i].wptr >= 1, "wptr %u", r[i].wptr);
		AGX_CHECK(r[i].rptr == r[i].wptr, "firmware rptr %u, wptr %u", r[i].rptr,
			  r[i].wptr);
	}
	AGX_CHECK(found, "no device_control line");
}

AGX_TEST(up_firmware_log_line)
{
	const char *s = dbg_read("fw_log");

	AGX_CHECK(s[0] != 0, "fw_log is empty");
	AGX_CHECK(status_u64("fwlog") > 0, "no firmware log line counted");
	AGX_CHECK_EQ(status_u64("fwlog_bad"), 0);
}

/* ---- ioctls work ---------------------------------------------------------- */

AGX_TEST(alive_get_params)
{
	int fd = open_node();

	AGX_CHECK_EQ(get_params(fd), 0);
	close(fd);
}

AGX_TEST(alive_gem_create)
{
	int fd = open_node();
	uint32_t h = 0;

	AGX_CHECK_EQ(gem_create(fd, &h), 0);
	if (h) {
		struct drm_gem_close c = { .handle = h };

		AGX_CHECK_EQ(xioctl(fd, DRM_IOCTL_GEM_CLOSE, &c), 0);
	}
	close(fd);
}

/* ---- After a firmware crash ---------------------------------------------- */

AGX_TEST(dead_state_crashed)
{
	const char *s = dbg_read("fw_status");

	AGX_CHECK(strstr(s, "state crashed\n") != NULL, "fw_status:\n%s", s);
	AGX_CHECK_EQ(status_u64("crashed"), 1);
}

AGX_TEST(dead_get_params_enodev)
{
	int fd = open_node();

	AGX_CHECK_EQ(get_params(fd), -ENODEV);
	close(fd);
}

AGX_TEST(dead_gem_create_enodev)
{
	int fd = open_node();
	uint32_t h = 0;

	AGX_CHECK_EQ(gem_create(fd, &h), -ENODEV);
	close(fd);
}

AGX_TEST(dead_core_ioctls_still_work)
{
	int fd = open_node();
	uint32_t s = 0;

	/* Clients can still clean up: sync objects are the DRM core's. */
	AGX_CHECK_EQ(drmSyncobjCreate(fd, 0, &s), 0);
	AGX_CHECK_EQ(drmSyncobjDestroy(fd, s), 0);
	close(fd);
}

AGX_TEST_MAIN()
