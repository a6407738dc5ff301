/* SPDX-License-Identifier: MIT */
/*
 * agx_smoke.c - first contact with agx.ko through its render node.
 *
 * Runs inside the test VM (tests/vm/suites/smoke.sh) with agx.ko loaded.
 * It checks what the skeleton driver promises: a render node whose
 * DRM_IOCTL_VERSION says "asahi", render-node permission rules, working
 * binary and timeline sync objects, and a device that can be unbound while
 * a file is open. Bad arguments must fail with an error code, never crash
 * the kernel.
 *
 * The node is $AGX_RENDER_NODE, or /dev/dri/renderD128.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <xf86drm.h>

#include "agx_test.h"
#include "agx_kernel_test.h"

#define DRM_MAJOR_NUMBER 226
#define AGX_NAME "asahi"
#define AGX_DESC "Apple AGX Graphics"

AGX_TEST(node_is_render_node)
{
	struct stat st;
	int fd = open_node();

	AGX_REQUIRE(fstat(fd, &st) == 0, "%s", strerror(errno));
	AGX_CHECK(S_ISCHR(st.st_mode), "mode 0%o", (unsigned int)st.st_mode);
	AGX_CHECK_EQ(major(st.st_rdev), DRM_MAJOR_NUMBER);
	/* Render minors start at 128. */
	AGX_CHECK(minor(st.st_rdev) >= 128 && minor(st.st_rdev) < 192,
		  "minor %u", minor(st.st_rdev));
	AGX_CHECK_EQ(drmGetNodeTypeFromFd(fd), DRM_NODE_RENDER);
	close(fd);
}

AGX_TEST(version_name_is_asahi)
{
	int fd = open_node();
	drmVersionPtr ver = drmGetVersion(fd);

	AGX_REQUIRE(ver, "drmGetVersion: %s", strerror(errno));
	AGX_CHECK(strcmp(ver->name, AGX_NAME) == 0, "name \"%s\"", ver->name);
	AGX_CHECK_EQ(ver->name_len, strlen(AGX_NAME));
	AGX_CHECK(strcmp(ver->desc, AGX_DESC) == 0, "desc \"%s\"", ver->desc);
	drmFreeVersion(ver);
	close(fd);
}

/* The kernel copies what fits and still reports the full length. */
AGX_TEST(version_short_buffer_is_truncated)
{
	struct drm_version ver;
	char name[4];
	int fd = open_node();
	int ret;

	memset(&ver, 0, sizeof(ver));
	memset(name, 'x', sizeof(name));
	ver.name = name;
	ver.name_len = 2;
	ret = ioctl(fd, DRM_IOCTL_VERSION, &ver);
	AGX_CHECK_EQ(ret, 0);
	AGX_CHECK_EQ(ver.name_len, strlen(AGX_NAME));
	AGX_CHECK(memcmp(name, "asxx", 4) == 0, "buffer \"%.4s\"", name);
	close(fd);
}

AGX_TEST(version_bad_pointer_is_efault)
{
	struct drm_version ver;
	int fd = open_node();
	int ret;

	memset(&ver, 0, sizeof(ver));
	ver.name = (char *)(uintptr_t)8;
	ver.name_len = 16;
	ret = ioctl(fd, DRM_IOCTL_VERSION, &ver);
	AGX_CHECK(ret == -1 && errno == EFAULT, "ret %d errno %d", ret, errno);
	close(fd);
}

/* GET_MAGIC is for primary nodes only; a render node must refuse it. */
AGX_TEST(render_node_refuses_primary_ioctl)
{
	drm_magic_t magic = 0;
	int fd = open_node();
	int ret;

	ret = drmGetMagic(fd, &magic);
	AGX_CHECK(ret != 0 && errno == EACCES, "ret %d errno %d", ret, errno);
	close(fd);
}

AGX_TEST(syncobj_caps)
{
	uint64_t val;
	int fd = open_node();

	val = 0;
	AGX_CHECK_EQ(drmGetCap(fd, DRM_CAP_SYNCOBJ, &val), 0);
	AGX_CHECK_EQ(val, 1);
	val = 0;
	AGX_CHECK_EQ(drmGetCap(fd, DRM_CAP_SYNCOBJ_TIMELINE, &val), 0);
	AGX_CHECK_EQ(val, 1);
	close(fd);
}

AGX_TEST(syncobj_binary_signal_wait)
{
	uint32_t handle = 0;
	int fd = open_node();

	AGX_REQUIRE(drmSyncobjCreate(fd, 0, &handle) == 0, "%s", strerror(errno));
	/* Unsignalled, no fence: a zero-timeout wait must not succeed. */
	AGX_CHECK(drmSyncobjWait(fd, &handle, 1, 0,
				 DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, NULL) != 0,
		  "wait on an unsignalled syncobj succeeded");
	AGX_CHECK_EQ(drmSyncobjSignal(fd, &handle, 1), 0);
	AGX_CHECK_EQ(drmSyncobjWait(fd, &handle, 1, 0, 0, NULL), 0);
	AGX_CHECK_EQ(drmSyncobjDestroy(fd, handle), 0);
	close(fd);
}

AGX_TEST(syncobj_timeline_signal_query)
{
	uint32_t handle = 0;
	uint64_t point = 7, value = 0;
	int fd = open_node();

	AGX_REQUIRE(drmSyncobjCreate(fd, 0, &handle) == 0, "%s", strerror(errno));
	AGX_CHECK_EQ(drmSyncobjTimelineSignal(fd, &handle, &point, 1), 0);
	AGX_CHECK_EQ(drmSyncobjQuery(fd, &handle, &value, 1), 0);
	AGX_CHECK_EQ(value, 7);
	AGX_CHECK_EQ(drmSyncobjDestroy(fd, handle), 0);
	close(fd);
}

AGX_TEST(syncobj_bad_handle_is_einval)
{
	int fd = open_node();
	int ret;

	ret = drmSyncobjDestroy(fd, 0x7fffffff);
	AGX_CHECK(ret != 0 && errno == EINVAL, "ret %d errno %d", ret, errno);
	close(fd);
}

/* Write @val to the sysfs file @path; returns 0 or an errno value. */
static int sysfs_write(const char *path, const char *val)
{
	ssize_t len = (ssize_t)strlen(val), ret;
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return errno;
	ret = write(fd, val, len);
	if (ret != len) {
		int err = ret < 0 ? errno : EIO;

		close(fd);
		return err;
	}
	close(fd);
	return 0;
}

static bool wait_for_path(const char *path, bool present)
{
	int i;

	for (i = 0; i < 50; i++) {
		if ((access(path, F_OK) == 0) == present)
			return true;
		usleep(100 * 1000);
	}
	return false;
}

#define AGX_SIM_DRIVER "/sys/bus/platform/drivers/agx"

/*
 * Unbinding the device while a file is open must not free anything the
 * file still uses: the node goes away, ioctls on the old file fail with
 * ENODEV, closing it is fine, and binding again brings the node back.
 * Runs last because it takes the device away for a moment.
 */
AGX_TEST(unbind_with_open_file)
{
	drmVersionPtr ver;
	int fd = open_node();
	int err, fd2;

	if (access(AGX_SIM_DRIVER "/agx-sim", F_OK) != 0) {
		close(fd);
		AGX_SKIP("the node is not the simulated device");
	}
	err = sysfs_write(AGX_SIM_DRIVER "/unbind", "agx-sim");
	AGX_REQUIRE(err == 0, "unbind: %s", strerror(err));
	AGX_CHECK(wait_for_path(render_node(), false), "%s still exists", render_node());

	ver = drmGetVersion(fd);
	AGX_CHECK(!ver && errno == ENODEV, "version on an unplugged device: %s",
		  ver ? ver->name : strerror(errno));
	if (ver)
		drmFreeVersion(ver);
	AGX_CHECK_EQ(close(fd), 0);

	err = sysfs_write(AGX_SIM_DRIVER "/bind", "agx-sim");
	AGX_REQUIRE(err == 0, "bind: %s", strerror(err));
	AGX_REQUIRE(wait_for_path(render_node(), true), "%s did not come back", render_node());
	fd2 = open_node();
	ver = drmGetVersion(fd2);
	AGX_CHECK(ver && strcmp(ver->name, AGX_NAME) == 0, "version after rebind");
	if (ver)
		drmFreeVersion(ver);
	close(fd2);
}

AGX_TEST_MAIN()
