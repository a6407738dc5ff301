/* SPDX-License-Identifier: MIT */
/*
 * agx_hw_test.c - the hardware boundary (kernel/agx_hw.h) of agx.ko, driven
 * through the simulator backend's test-only debugfs files
 * (<debugfs>/agx-sim/ctl and status, see kernel/agx_hw_sim.c).
 *
 * Runs inside the test VM (tests/vm/suites/hw.sh), which loads agx.ko and
 * starts and stops the simulator front end (tests/sim/front/vm) between
 * runs. Tests are grouped by the state they expect, selected by the
 * filter argument:
 *
 *   none_    no simulator attached
 *   rogue_   no simulator attached; the test itself plays a simulator
 *            that misbehaves
 *   fake_    agxsim-vm --fake attached (the transport's test device)
 *   real_    agxsim-vm attached (the simulated device)
 *   crash_   after SIGUSR1 to agxsim-vm --fake (injected firmware crash)
 *   gone_    the simulator process died after booting
 *
 * The configured GPU is read from agx.ko's module parameters.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/ioctl.h>
#include <sys/mman.h>

#include "agx_test.h"
/* The transport ABI (a kernel header that is also valid userspace C). */
#include "../../kernel/agx_hw_sim.h"

#define DBG_DIR "/sys/kernel/debug/agx-sim"
#define SGX_ID_VERSION 0xd04000u
#define SGX_ID_COUNTS_1 0xd04010u
#define EP_FIRMWARE 0x20
#define EP_DOORBELL 0x21
/* agxsim-vm --fake answers a message m with ~m on endpoint 0x20. */
#define FAKE_ECHO(m) (~(uint64_t)(m))
#define FAKE_BLOB_MAGIC 0x424f4c42454b4146ull
#define REGION_HW_CAL_A 3
#define REGION_GLOBALS 5

/*
 * Run one debugfs command; the result line goes to @res. Returns 0, or
 * the errno of a rejected command.
 */
static int ctl(const char *cmd, char *res, size_t len)
{
	int fd = open(DBG_DIR "/ctl", O_RDWR);
	ssize_t n;

	AGX_REQUIRE(fd >= 0, "open ctl: %s", strerror(errno));
	if (write(fd, cmd, strlen(cmd)) < 0) {
		int err = errno;

		close(fd);
		return err;
	}
	n = pread(fd, res, len - 1, 0);
	close(fd);
	AGX_REQUIRE(n > 0, "read ctl: %s", strerror(errno));
	res[n] = '\0';
	return 0;
}

/* Run a command whose result is a number. */
static long long ctl_num(const char *cmd)
{
	char res[64];
	int err = ctl(cmd, res, sizeof(res));

	AGX_REQUIRE(!err, "\"%s\" rejected: %s", cmd, strerror(err));
	return strtoll(res, NULL, 0);
}

static unsigned long long ctl_u64(const char *cmd)
{
	char res[64];
	int err = ctl(cmd, res, sizeof(res));

	AGX_REQUIRE(!err, "\"%s\" rejected: %s", cmd, strerror(err));
	return strtoull(res, NULL, 0);
}

static char status_buf[4096];

static const char *status_read(void)
{
	int fd = open(DBG_DIR "/status", O_RDONLY);
	ssize_t n;

	AGX_REQUIRE(fd >= 0, "open status: %s", strerror(errno));
	n = read(fd, status_buf, sizeof(status_buf) - 1);
	close(fd);
	AGX_REQUIRE(n > 0, "read status: %s", strerror(errno));
	status_buf[n] = '\0';
	return status_buf;
}

static unsigned long long status(const char *key)
{
	const char *s = status_read(), *p = s;
	size_t klen = strlen(key);

	while ((p = strstr(p, key))) {
		if ((p == s || p[-1] == '\n') && p[klen] == ' ')
			return strtoull(p + klen + 1, NULL, 0);
		p += klen;
	}
	AGX_REQUIRE(0, "no \"%s\" in status", key);
	return 0;
}

/* The n-th most recent delivered message (0 = last). */
static void last_msg(unsigned int n, unsigned int *ep, uint64_t *msg)
{
	const char *lines[16], *p = status_read();
	unsigned int count = 0;

	while ((p = strstr(p, "msg ")) && count < 16) {
		lines[count++] = p;
		p += 4;
	}
	AGX_REQUIRE(n < count, "only %u messages in status", count);
	AGX_REQUIRE(sscanf(lines[count - 1 - n], "msg %x %" SCNx64, ep, msg) == 2,
		    "bad line");
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Wait up to 5 s for status key to reach at least @want. */
static unsigned long long wait_status(const char *key, unsigned long long want)
{
	unsigned long long v = 0;

	for (int i = 0; i < 500; i++) {
		v = status(key);
		if (v >= want)
			break;
		sleep_ms(10);
	}
	return v;
}

static char param_buf[64];

static const char *param(const char *name)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/agx/parameters/%s", name);
	f = fopen(path, "r");
	AGX_REQUIRE(f, "%s: %s", path, strerror(errno));
	AGX_REQUIRE(fgets(param_buf, sizeof(param_buf), f), "%s empty", path);
	fclose(f);
	param_buf[strcspn(param_buf, "\n")] = '\0';
	return param_buf;
}

/* ID_VERSION as the configured GPU should show it. */
static uint32_t expected_id_version(void)
{
	char gpu[8];
	unsigned int rev, gen, var;

	snprintf(gpu, sizeof(gpu), "%s", param("sim_gpu"));
	rev = (unsigned int)strtoul(param("sim_gpu_rev"), NULL, 0);
	/* 4 = G13, 5 = G14G, 6 = G14X; variant 2 G, 3 S, 4 C/D. */
	gen = gpu[2] == '3' ? 4 : (gpu[3] == 'g' || gpu[3] == 'G') ? 5 : 6;
	switch (gpu[3]) {
	case 'g': case 'G': var = 2; break;
	case 's': case 'S': var = 3; break;
	default: var = 4; break;
	}
	return gen << 24 | var << 16 | (rev & 0xff) << 8;
}

/* Start the ASC and boot, as agx_probe does with boot=1. */
static void start_and_boot(void)
{
	AGX_REQUIRE(ctl_num("asc_start") == 0);
	AGX_REQUIRE(ctl_num("boot") == 0, "boot failed");
}

/* ---- no simulator ------------------------------------------------------- */

AGX_TEST(none_mmio_reads_all_ones)
{
	AGX_CHECK_EQ(ctl_u64("read32 sgx 0xd04000"), 0xffffffffull);
	AGX_CHECK_EQ(ctl_u64("read32 asc 0x44"), 0xffffffffull);
}

AGX_TEST(none_boot_fails_enodev)
{
	AGX_CHECK_EQ(ctl_num("asc_start"), 0);
	AGX_CHECK_EQ(ctl_num("boot"), -ENODEV);
}

AGX_TEST(none_send_fails_enodev)
{
	AGX_CHECK_EQ(ctl_num("send 0x20 0x8100000000001000"), -ENODEV);
	AGX_CHECK_EQ(ctl_num("send 0x21 0x8300000000000010"), -ENODEV);
}

AGX_TEST(none_tlbi_is_a_noop)
{
	AGX_CHECK_EQ(ctl_num("tlbi 0 0 0 0"), 0);
	AGX_CHECK_EQ(status("timeouts"), 0);
}

AGX_TEST(none_regions_exist)
{
	/* Zeroed kernel memory until a bootloader (the simulator) fills it. */
	AGX_CHECK_EQ(ctl_u64("peek 3 0"), 0);
	AGX_CHECK_EQ(ctl_u64("peek 0 0x3ff8"), 0);
}

AGX_TEST(none_bad_commands_rejected)
{
	char res[64];

	AGX_CHECK_EQ(ctl("frobnicate", res, sizeof(res)), EINVAL);
	AGX_CHECK_EQ(ctl("peek 6 0", res, sizeof(res)), EINVAL);
	AGX_CHECK_EQ(ctl("peek 0 0x4000", res, sizeof(res)), EINVAL);
	AGX_CHECK_EQ(ctl("peek 0 3", res, sizeof(res)), EINVAL);
	AGX_CHECK_EQ(ctl("tlbi 7 0 0 0", res, sizeof(res)), EINVAL);
	AGX_CHECK_EQ(ctl("ping 0", res, sizeof(res)), EINVAL);
}

/* ---- a misbehaving simulator -------------------------------------------- */

static int rogue_open(struct agx_sim_config *cfg)
{
	int fd = open("/dev/" AGX_SIM_DEV_NAME, O_RDWR | O_CLOEXEC);

	AGX_REQUIRE(fd >= 0, "open: %s", strerror(errno));
	AGX_REQUIRE(ioctl(fd, AGX_SIM_IOC_GET_CONFIG, cfg) == 0, "%s", strerror(errno));
	AGX_REQUIRE(cfg->abi_version == AGX_SIM_ABI_VERSION);
	return fd;
}

AGX_TEST(rogue_config_is_sane)
{
	struct agx_sim_config cfg;
	int fd = rogue_open(&cfg), i;

	AGX_CHECK(cfg.num_ram >= 1 && cfg.num_ram <= AGX_SIM_MAX_RAM, "%u", cfg.num_ram);
	AGX_CHECK_EQ(cfg.gpu_gen, param("sim_gpu")[2] == '3' ? 13 : 14);
	for (i = 0; i < AGX_SIM_NUM_REGIONS; i++) {
		AGX_CHECK(cfg.regions[i].pa && !(cfg.regions[i].pa & 0x3fff), "region %d pa %#llx",
			  i, (unsigned long long)cfg.regions[i].pa);
		AGX_CHECK(cfg.regions[i].size_B >= 0x4000, "region %d", i);
	}
	close(fd);
}

AGX_TEST(rogue_bad_attach_rejected)
{
	struct agx_sim_attach att = { .abi_version = AGX_SIM_ABI_VERSION + 1 };
	struct agx_sim_config cfg;
	int fd = rogue_open(&cfg);

	AGX_CHECK(ioctl(fd, AGX_SIM_IOC_ATTACH, &att) == -1 && errno == EINVAL);
	att.abi_version = AGX_SIM_ABI_VERSION;
	att.blob_size_B[REGION_HW_CAL_A] = cfg.regions[REGION_HW_CAL_A].size_B + 1;
	AGX_CHECK(ioctl(fd, AGX_SIM_IOC_ATTACH, &att) == -1 && errno == EINVAL);
	att.blob_size_B[REGION_HW_CAL_A] = 0;
	att.blob_size_B[0] = 16; /* ttbs holds no blob */
	AGX_CHECK(ioctl(fd, AGX_SIM_IOC_ATTACH, &att) == -1 && errno == EINVAL);
	AGX_CHECK(ioctl(fd, _IO(AGX_SIM_IOC_MAGIC, 0x7f)) == -1 && errno == ENOTTY);
	AGX_CHECK_EQ(status("attached"), 0);
	close(fd);
}

AGX_TEST(rogue_bad_mmap_rejected)
{
	struct agx_sim_config cfg;
	int fd = rogue_open(&cfg);
	uint64_t end = cfg.ram[cfg.num_ram - 1].pa + cfg.ram[cfg.num_ram - 1].size_B;
	void *p;

	/* The local APIC's page is not RAM. */
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0xfee00000);
	AGX_CHECK(p == MAP_FAILED && errno == EINVAL, "APIC page mapped");
	/* Past the end of RAM, and straddling it. */
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, (off_t)end);
	AGX_CHECK(p == MAP_FAILED && errno == EINVAL, "page past RAM mapped");
	p = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, (off_t)end - 4096);
	AGX_CHECK(p == MAP_FAILED && errno == EINVAL, "range straddling the end of RAM mapped");
	/* A region is RAM: it maps, and shows what the kernel sees there. */
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, (off_t)cfg.regions[0].pa);
	AGX_CHECK(p != MAP_FAILED, "%s", strerror(errno));
	if (p != MAP_FAILED) {
		AGX_CHECK_EQ(((volatile uint64_t *)p)[0], ctl_u64("peek 0 0"));
		AGX_CHECK_EQ(((volatile uint64_t *)p)[1], ctl_u64("peek 0 8"));
		munmap(p, 4096);
	}
	close(fd);
}

AGX_TEST(rogue_garbage_records_rejected)
{
	struct agx_sim_attach att = { .abi_version = AGX_SIM_ABI_VERSION };
	struct agx_sim_config cfg;
	struct agx_sim_rec rec = { 0 };
	/* volatile: the compiler must not see that it points nowhere. */
	const void *volatile bad_ptr = (const void *)(uintptr_t)8;
	unsigned long long dropped;
	char small[8];
	int fd = rogue_open(&cfg);

	/* Before attaching nothing is accepted. */
	rec.type = AGX_SIM_MSG_DELIVER;
	AGX_CHECK(write(fd, &rec, sizeof(rec)) == -1 && errno == ENODEV);
	AGX_REQUIRE(ioctl(fd, AGX_SIM_IOC_ATTACH, &att) == 0, "%s", strerror(errno));
	AGX_CHECK(write(fd, &rec, 5) == -1 && errno == EINVAL);
	AGX_CHECK(read(fd, small, sizeof(small)) == -1 && errno == EINVAL);
	rec.type = 99;
	AGX_CHECK(write(fd, &rec, sizeof(rec)) == -1 && errno == EINVAL);
	/* Replies nobody asked for and messages before boot are dropped. */
	dropped = status("dropped");
	rec = (struct agx_sim_rec){ .type = AGX_SIM_MSG_REPLY, .seq = 12345 };
	AGX_CHECK(write(fd, &rec, sizeof(rec)) == sizeof(rec));
	rec = (struct agx_sim_rec){ .type = AGX_SIM_MSG_DELIVER, .a = 0x20, .c = 1 };
	AGX_CHECK(write(fd, &rec, sizeof(rec)) == sizeof(rec));
	rec = (struct agx_sim_rec){ .type = AGX_SIM_MSG_CRASHED };
	AGX_CHECK(write(fd, &rec, sizeof(rec)) == sizeof(rec));
	AGX_CHECK_EQ(status("dropped"), dropped + 2);
	AGX_CHECK_EQ(status("crashes"), 0);
	AGX_CHECK(write(fd, bad_ptr, sizeof(rec)) == -1 && errno == EFAULT);
	close(fd);
	AGX_CHECK_EQ(status("attached"), 0);
}

AGX_TEST(rogue_silent_simulator_times_out)
{
	struct agx_sim_attach att = { .abi_version = AGX_SIM_ABI_VERSION };
	struct agx_sim_config cfg;
	struct agx_sim_rec rec;
	unsigned long long timeouts = status("timeouts");
	int fd = rogue_open(&cfg);

	AGX_REQUIRE(ioctl(fd, AGX_SIM_IOC_ATTACH, &att) == 0, "%s", strerror(errno));
	/* Nobody answers: the read gives up (1 s) and reads as all ones. */
	AGX_CHECK_EQ(ctl_u64("read32 sgx 0xd04000"), 0xffffffffull);
	AGX_CHECK_EQ(status("timeouts"), timeouts + 1);
	/* The request is still queued; a late answer is dropped. */
	AGX_REQUIRE(read(fd, &rec, sizeof(rec)) == sizeof(rec));
	AGX_CHECK_EQ(rec.type, AGX_SIM_REQ_MMIO_READ);
	rec.type = AGX_SIM_MSG_REPLY;
	rec.c = 0x1234;
	AGX_CHECK(write(fd, &rec, sizeof(rec)) == sizeof(rec));
	close(fd);
	AGX_CHECK_EQ(status("attached"), 0);
}

/* ---- fake device attached ------------------------------------------------ */

AGX_TEST(fake_attached)
{
	AGX_CHECK_EQ(status("attached"), 1);
	AGX_CHECK_EQ(status("booted"), 0);
}

AGX_TEST(fake_id_registers_show_configured_gpu)
{
	AGX_CHECK_EQ(ctl_u64("read32 sgx 0xd04000"), expected_id_version());
}

AGX_TEST(fake_bootloader_blobs_visible_to_kernel)
{
	AGX_CHECK_EQ(status("blob_size_hw_cal_a"), 0x100);
	AGX_CHECK_EQ(status("blob_size_globals"), 0x100);
	/* The simulator wrote them by physical address, the kernel reads them
	 * through its own mapping of the region. */
	AGX_CHECK_EQ(ctl_u64("peek 3 0"), FAKE_BLOB_MAGIC);
	AGX_CHECK_EQ(ctl_u64("peek 5 0"), FAKE_BLOB_MAGIC);
}

AGX_TEST(fake_mmio_write_then_read)
{
	AGX_CHECK_EQ(ctl_num("write32 sgx 0x1234 0xcafef00d"), 0);
	AGX_CHECK_EQ(ctl_u64("read32 sgx 0x1234"), 0xcafef00dull);
}

AGX_TEST(fake_send_before_boot_fails)
{
	AGX_CHECK_EQ(ctl_num("send 0x20 1"), -EIO);
}

AGX_TEST(fake_boot_needs_asc_started)
{
	/* The fake's RTKit does not answer until CPU_RUN is set. */
	AGX_CHECK(ctl_num("boot") != 0, "boot succeeded with the ASC stopped");
	start_and_boot();
	AGX_CHECK_EQ(status("booted"), 1);
	AGX_CHECK(ctl_u64("read32 asc 0x44") & (1u << 4), "CPU_RUN not set");
}

AGX_TEST(fake_send_reaches_simulator_and_answer_is_delivered)
{
	unsigned long long before = status("delivered");
	uint64_t msg = 0x8300000000000010ull, got;
	unsigned int ep;

	AGX_REQUIRE(ctl_num("send 0x21 0x8300000000000010") == 0);
	AGX_REQUIRE(wait_status("delivered", before + 1) == before + 1,
		    "nothing delivered");
	last_msg(0, &ep, &got);
	AGX_CHECK_EQ(ep, EP_FIRMWARE);
	AGX_CHECK_EQ(got, FAKE_ECHO(msg));
}

AGX_TEST(fake_messages_delivered_in_order)
{
	unsigned long long before = status("delivered");
	char cmd[64];
	unsigned int ep, i;
	uint64_t got;

	for (i = 0; i < 8; i++) {
		snprintf(cmd, sizeof(cmd), "send 0x20 %u", 100 + i);
		AGX_REQUIRE(ctl_num(cmd) == 0);
	}
	AGX_REQUIRE(wait_status("delivered", before + 8) == before + 8);
	for (i = 0; i < 8; i++) {
		last_msg(7 - i, &ep, &got);
		AGX_CHECK_EQ(got, FAKE_ECHO(100 + i));
	}
}

AGX_TEST(fake_send_bad_endpoint_rejected)
{
	AGX_CHECK_EQ(ctl_num("send 0x05 1"), -EINVAL);
	AGX_CHECK_EQ(ctl_num("send 0x22 1"), -EINVAL);
}

AGX_TEST(fake_tlbi_acknowledged)
{
	unsigned long long before = status("tlbis"), timeouts = status("timeouts");

	/* Each returns only once the simulator acknowledged it. */
	AGX_CHECK_EQ(ctl_num("tlbi 0 0 0 0"), 0);
	AGX_CHECK_EQ(ctl_num("tlbi 1 5 0 0"), 0);
	AGX_CHECK_EQ(ctl_num("tlbi 2 3 0x1234000 0x8000"), 0);
	AGX_CHECK_EQ(status("tlbis"), before + 3);
	AGX_CHECK_EQ(status("timeouts"), timeouts);
}

AGX_TEST(fake_round_trip_latency)
{
	long long ns = ctl_num("ping 1000");

	AGX_CHECK(ns > 0, "ping failed: %lld", ns);
	AGX_NOTE("transport round trip (kernel -> agxsim-vm -> kernel): %lld ns mean over 1000", ns);
}

AGX_TEST(crash_reported_and_sends_fail)
{
	/* hw.sh sent SIGUSR1 to agxsim-vm before this test. */
	AGX_CHECK_EQ(wait_status("crashes", 1), 1);
	AGX_CHECK_EQ(status("booted"), 0);
	AGX_CHECK_EQ(ctl_num("send 0x20 1"), -EIO);
}

/* ---- the simulated device ------------------------------------------------ */

AGX_TEST(real_id_registers_show_configured_gpu)
{
	const char *gpu;

	AGX_CHECK_EQ(ctl_u64("read32 sgx 0xd04000"), expected_id_version());
	gpu = param("sim_gpu");
	AGX_CHECK_EQ(ctl_u64("read32 sgx 0xd04010") & 0xff, gpu[2] == '3' ? 8 : 10);
}

AGX_TEST(real_bootloader_blobs_present)
{
	/* The simulator's bootloader reported its blobs at attach. */
	AGX_CHECK(status("blob_size_hw_cal_a") > 0);
	AGX_CHECK(status("blob_size_hw_cal_b") > 0);
	AGX_CHECK(status("blob_size_globals") > 0);
}

AGX_TEST(real_boot)
{
	start_and_boot();
	AGX_CHECK_EQ(status("booted"), 1);
}

AGX_TEST(real_tlbi_acknowledged)
{
	unsigned long long timeouts = status("timeouts");

	AGX_CHECK_EQ(ctl_num("tlbi 1 1 0 0"), 0);
	AGX_CHECK_EQ(status("timeouts"), timeouts);
}

/* ---- the simulator died ----------------------------------------------- */

AGX_TEST(gone_detached_and_crashed)
{
	AGX_CHECK_EQ(wait_status("crashes", 2), 2);
	AGX_CHECK_EQ(status("attached"), 0);
	AGX_CHECK_EQ(status("booted"), 0);
}

AGX_TEST(gone_send_fails_enodev)
{
	AGX_CHECK_EQ(ctl_num("send 0x20 1"), -ENODEV);
	AGX_CHECK_EQ(ctl_num("boot"), -ENODEV);
}

AGX_TEST(gone_mmio_reads_all_ones)
{
	AGX_CHECK_EQ(ctl_u64("read32 sgx 0xd04000"), 0xffffffffull);
}

AGX_TEST_MAIN()
