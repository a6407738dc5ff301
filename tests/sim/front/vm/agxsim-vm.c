// SPDX-License-Identifier: MIT
/*
 * agxsim-vm - the simulator front end for the test VM.
 *
 * Runs inside the guest, next to agx.ko, and connects the kernel's
 * simulator backend (kernel/agx_hw_sim.c) to the simulated device
 * (agxsim/device.h) through /dev/agx-sim (kernel/agx_hw_sim.h):
 *
 *   1. reads the configuration (GPU, reserved regions, System RAM);
 *   2. maps every System RAM range of the guest with mmap() on
 *      /dev/agx-sim and hands them to the simulator as its physical
 *      memory (struct agxsim_physmem);
 *   3. creates the device, which fills the bootloader blobs, and attaches;
 *   4. installs the GPU model's hooks (agxsim_gpu_fill_hooks()), so work
 *      the firmware model runs executes on the simulated GPU;
 *   5. loops: requests from the kernel go to the device, firmware messages
 *      and crashes go back to the kernel; after every batch of requests
 *      agxsim_device_run() is called until it has nothing more to do.
 *
 * Usage: agxsim-vm [options]
 *   --fake           use the test-only fake device (fake_device.h) instead
 *                    of the simulator
 *   --dev PATH       the misc device (default /dev/agx-sim)
 *   --ready PATH     create PATH once attached (for scripts)
 *   --stats PATH     write request counters to PATH at exit
 *   --bench-mem MIB  do not attach: read MIB MiB of guest RAM through the
 *                    mapping, print the bandwidth and exit
 *
 * Signals: SIGTERM and SIGINT end it cleanly (the kernel sees a detach);
 * SIGUSR1 injects a firmware crash, SIGUSR2 a GPU page fault in the next
 * GPU command, SIGURG a GPU timeout of the next GPU command. It exits 0 when the device goes away
 * (the driver was unbound or unloaded), without touching guest memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "agx_hw_sim.h"
#include "agxsim/device.h"
#ifdef AGXSIM_VM_HAVE_GPU
#include "agxsim/gpu.h"
#include "agxsim/gpu_hooks.h"
#endif
#include "agxsim/physmem.h"
#include "fake_device.h"

/* The device behind the front end: the simulator, or the fake. */
struct fe_device_ops {
	int (*create)(const struct agxsim_device_config *cfg,
		      const struct agxsim_host_ops *host,
		      struct agxsim_boot_info *boot, void **out);
	void (*destroy)(void *dev);
	uint32_t (*mmio_read32)(void *dev, enum agxsim_bank bank, uint32_t offset);
	void (*mmio_write32)(void *dev, enum agxsim_bank bank, uint32_t offset,
			     uint32_t value);
	int (*boot)(void *dev);
	int (*send)(void *dev, uint8_t endpoint, uint64_t message);
	void (*tlb_invalidate)(void *dev, enum agxsim_tlbi kind, uint32_t asid,
			       uint64_t va, uint64_t size_B);
	bool (*run)(void *dev);
	bool (*needs_poll)(void *dev);
	int (*inject)(void *dev, enum agxsim_inject what);
};

#define FE_WRAP_OPS(prefix, type)                                              \
	static int prefix##_create_(const struct agxsim_device_config *cfg,    \
				    const struct agxsim_host_ops *host,       \
				    struct agxsim_boot_info *boot, void **out) \
	{                                                                      \
		type *d = NULL;                                                \
		int ret = prefix##_create(cfg, host, boot, &d);                \
		*out = d;                                                      \
		return ret;                                                    \
	}                                                                      \
	static const struct fe_device_ops prefix##_ops = {                     \
		.create = prefix##_create_,                                    \
		.destroy = (void (*)(void *))prefix##_destroy,                 \
		.mmio_read32 = (uint32_t (*)(void *, enum agxsim_bank, uint32_t))prefix##_mmio_read32, \
		.mmio_write32 = (void (*)(void *, enum agxsim_bank, uint32_t, uint32_t))prefix##_mmio_write32, \
		.boot = (int (*)(void *))prefix##_boot,                        \
		.send = (int (*)(void *, uint8_t, uint64_t))prefix##_send,     \
		.tlb_invalidate = (void (*)(void *, enum agxsim_tlbi, uint32_t, uint64_t, uint64_t))prefix##_tlb_invalidate, \
		.run = (bool (*)(void *))prefix##_run,                         \
		.needs_poll = (bool (*)(void *))prefix##_needs_poll,           \
		.inject = (int (*)(void *, enum agxsim_inject))prefix##_inject, \
	}

FE_WRAP_OPS(fake_device, struct fake_device);
#ifdef AGXSIM_VM_HAVE_DEVICE
FE_WRAP_OPS(agxsim_device, struct agxsim_device);
#endif

/* agxsim_device_run() steps between looks at the kernel's requests. */
#define FE_RUN_BATCH 4096

/* How often a halted firmware looks at FwStatus.resume (ms). */
#define FE_POLL_MS 1

/* Records waiting to be written to the kernel. */
#define FE_OUT_MAX 256

struct fe {
	int fd;
	const struct fe_device_ops *ops;
	void *dev;
	struct agxsim_physmem pm;
	struct agx_sim_config cfg;
	struct agx_sim_rec out[FE_OUT_MAX];
	unsigned int nout;
	bool crashed;
	struct {
		uint64_t mmio_reads, mmio_writes, boots, sends, send_errors;
		uint64_t tlbi[3], pings, delivered, crashes;
		uint32_t last_tlbi_asid;
		uint64_t last_tlbi_va, last_tlbi_size_B;
		uint64_t last_send_ep, last_send_msg;
	} st;
};

static void die(const char *what, int err)
{
	fprintf(stderr, "agxsim-vm: %s: %s\n", what, strerror(err));
	exit(1);
}

/* Write out every queued record; a full kernel queue makes write() wait. */
static int fe_flush(struct fe *fe)
{
	size_t off = 0, len = fe->nout * sizeof(fe->out[0]);

	while (off < len) {
		ssize_t n = write(fe->fd, (char *)fe->out + off, len - off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		off += (size_t)n;
	}
	fe->nout = 0;
	return 0;
}

static void fe_queue(struct fe *fe, const struct agx_sim_rec *rec)
{
	if (fe->nout == FE_OUT_MAX && fe_flush(fe))
		fe->nout = 0; /* the kernel is gone; the main loop will see it */
	fe->out[fe->nout++] = *rec;
}

static void fe_reply(struct fe *fe, uint32_t seq, uint64_t value)
{
	struct agx_sim_rec rec = { .type = AGX_SIM_MSG_REPLY, .seq = seq, .c = value };

	fe_queue(fe, &rec);
}

static void host_deliver(void *ctx, uint8_t endpoint, uint64_t message)
{
	struct fe *fe = ctx;
	struct agx_sim_rec rec = { .type = AGX_SIM_MSG_DELIVER, .a = endpoint, .c = message };

	fe->st.delivered++;
	fe_queue(fe, &rec);
}

static void host_crashed(void *ctx, const char *reason)
{
	struct fe *fe = ctx;
	struct agx_sim_rec rec = { .type = AGX_SIM_MSG_CRASHED };

	fprintf(stderr, "agxsim-vm: firmware crashed: %s\n", reason ? reason : "?");
	fe->crashed = true;
	fe->st.crashes++;
	fe_queue(fe, &rec);
}

/*
 * The firmware model's log (levels are the FwLog sub-rings: 0-1 info,
 * 2 notable, 3 warning, 4 error, 5 crash): info, warnings and errors go
 * to stderr; AGXSIM_VM_LOG_ALL=1 adds level 2.
 */
static void host_log(void *ctx, int level, const char *line)
{
	static int all = -1;

	(void)ctx;
	if (all < 0)
		all = getenv("AGXSIM_VM_LOG_ALL") != NULL;
	if (level <= 1 || level >= 3 || all)
		fprintf(stderr, "agxsim-vm: fw%d: %s\n", level, line);
}

static void fe_handle(struct fe *fe, const struct agx_sim_rec *r)
{
	int ret;

	switch (r->type) {
	case AGX_SIM_REQ_MMIO_READ:
		fe->st.mmio_reads++;
		fe_reply(fe, r->seq, fe->ops->mmio_read32(fe->dev, r->a, r->b));
		break;
	case AGX_SIM_REQ_MMIO_WRITE:
		fe->st.mmio_writes++;
		fe->ops->mmio_write32(fe->dev, r->a, r->b, (uint32_t)r->c);
		break;
	case AGX_SIM_REQ_BOOT:
		fe->st.boots++;
		ret = fe->ops->boot(fe->dev);
		fe_reply(fe, r->seq, (uint64_t)(int64_t)ret);
		break;
	case AGX_SIM_REQ_SEND:
		fe->st.sends++;
		fe->st.last_send_ep = r->a;
		fe->st.last_send_msg = r->c;
		ret = fe->ops->send(fe->dev, (uint8_t)r->a, r->c);
		if (ret) {
			fe->st.send_errors++;
			fprintf(stderr, "agxsim-vm: send(%#x, %#" PRIx64 "): %s\n",
				r->a, (uint64_t)r->c, strerror(-ret));
		}
		break;
	case AGX_SIM_REQ_TLBI:
		if (r->a < 3)
			fe->st.tlbi[r->a]++;
		fe->st.last_tlbi_asid = r->b;
		fe->st.last_tlbi_va = r->c;
		fe->st.last_tlbi_size_B = r->d;
		fe->ops->tlb_invalidate(fe->dev, r->a, r->b, r->c, r->d);
		fe_reply(fe, r->seq, 0);
		break;
	case AGX_SIM_REQ_PING:
		fe->st.pings++;
		fe_reply(fe, r->seq, r->c);
		break;
	default:
		fprintf(stderr, "agxsim-vm: unknown request type %u\n", r->type);
		break;
	}
}

static void fe_write_stats(const struct fe *fe, const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		fprintf(stderr, "agxsim-vm: %s: %s\n", path, strerror(errno));
		return;
	}
	fprintf(f, "mmio_reads %" PRIu64 "\nmmio_writes %" PRIu64 "\nboots %" PRIu64 "\n",
		fe->st.mmio_reads, fe->st.mmio_writes, fe->st.boots);
	fprintf(f, "sends %" PRIu64 "\nsend_errors %" PRIu64 "\nlast_send 0x%02" PRIx64 " 0x%016" PRIx64 "\n",
		fe->st.sends, fe->st.send_errors, fe->st.last_send_ep, fe->st.last_send_msg);
	fprintf(f, "tlbi_all %" PRIu64 "\ntlbi_asid %" PRIu64 "\ntlbi_range %" PRIu64 "\n",
		fe->st.tlbi[0], fe->st.tlbi[1], fe->st.tlbi[2]);
	fprintf(f, "last_tlbi %u 0x%" PRIx64 " 0x%" PRIx64 "\n", fe->st.last_tlbi_asid,
		fe->st.last_tlbi_va, fe->st.last_tlbi_size_B);
	fprintf(f, "pings %" PRIu64 "\ndelivered %" PRIu64 "\ncrashes %" PRIu64 "\n",
		fe->st.pings, fe->st.delivered, fe->st.crashes);
	fclose(f);
}

/* Map all guest System RAM and describe it to the simulator. */
static void fe_map_ram(struct fe *fe)
{
	agxsim_physmem_init(&fe->pm);
	if (!fe->cfg.num_ram || fe->cfg.num_ram > AGX_SIM_MAX_RAM)
		die("configuration", EPROTO);
	for (unsigned int i = 0; i < fe->cfg.num_ram; i++) {
		const struct agx_sim_range *r = &fe->cfg.ram[i];
		void *p = mmap(NULL, r->size_B, PROT_READ | PROT_WRITE, MAP_SHARED,
			       fe->fd, (off_t)r->pa);
		int ret;

		if (p == MAP_FAILED)
			die("mmap of guest RAM", errno);
		ret = agxsim_physmem_add_region(&fe->pm, r->pa, r->size_B, p);
		if (ret)
			die("agxsim_physmem_add_region", -ret);
	}
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* --bench-mem: bulk read bandwidth of guest RAM through the mapping. */
static int fe_bench_mem(struct fe *fe, unsigned int mib)
{
	const size_t chunk = 1 << 20;
	uint64_t want = (uint64_t)mib << 20, done = 0, best = 0;
	char *buf = malloc(chunk);
	unsigned int i, bi = 0;
	volatile uint64_t sink = 0;
	double t0, t;

	if (!buf)
		die("malloc", ENOMEM);
	for (i = 0; i < fe->pm.count; i++) {
		if (fe->pm.regions[i].size_B > best) {
			best = fe->pm.regions[i].size_B;
			bi = i;
		}
	}
	if (best < chunk)
		die("no RAM range to read", ERANGE);
	/* Warm the mapping (first-touch costs are not the steady state). */
	for (uint64_t off = 0; off + chunk <= best && off < want; off += chunk)
		sink += ((volatile uint8_t *)fe->pm.regions[bi].host)[off];
	t0 = now_s();
	while (done < want) {
		uint64_t off = done % (best - best % chunk);

		if (agxsim_physmem_read(&fe->pm, fe->pm.regions[bi].pa + off, buf, chunk))
			die("agxsim_physmem_read", EFAULT);
		sink += (uint8_t)buf[chunk - 1];
		done += chunk;
	}
	t = now_s() - t0;
	printf("bench-mem: read %u MiB of guest RAM through agxsim_physmem_read in %.3f s: %.0f MiB/s\n",
	       mib, t, mib / t);
	free(buf);
	(void)sink;
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: agxsim-vm [--fake] [--dev PATH] [--ready PATH] [--stats PATH] [--bench-mem MIB]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *dev_path = "/dev/" AGX_SIM_DEV_NAME, *ready = NULL, *stats = NULL;
	struct agxsim_host_ops host = { .deliver = host_deliver, .crashed = host_crashed,
					.log = host_log };
	struct agxsim_device_config dcfg = { 0 };
	struct agxsim_boot_info boot = { 0 };
	struct agx_sim_attach att = { .abi_version = AGX_SIM_ABI_VERSION };
	static struct fe fe;
	unsigned int bench_mib = 0;
	bool fake = false, running = true;
	struct pollfd pfd[2];
	sigset_t sigs;
	int ret, i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--fake"))
			fake = true;
		else if (!strcmp(argv[i], "--dev") && i + 1 < argc)
			dev_path = argv[++i];
		else if (!strcmp(argv[i], "--ready") && i + 1 < argc)
			ready = argv[++i];
		else if (!strcmp(argv[i], "--stats") && i + 1 < argc)
			stats = argv[++i];
		else if (!strcmp(argv[i], "--bench-mem") && i + 1 < argc)
			bench_mib = (unsigned int)strtoul(argv[++i], NULL, 0);
		else
			usage();
	}
#ifdef AGXSIM_VM_HAVE_DEVICE
	fe.ops = fake ? &fake_device_ops : &agxsim_device_ops;
#else
	if (!fake) {
		fprintf(stderr, "agxsim-vm: built without the simulated device (tests/sim/dev); use --fake\n");
		return 2;
	}
	fe.ops = &fake_device_ops;
#endif

	fe.fd = open(dev_path, O_RDWR | O_CLOEXEC);
	if (fe.fd < 0)
		die(dev_path, errno);
	if (ioctl(fe.fd, AGX_SIM_IOC_GET_CONFIG, &fe.cfg))
		die("AGX_SIM_IOC_GET_CONFIG", errno);
	if (fe.cfg.abi_version != AGX_SIM_ABI_VERSION)
		die("kernel transport ABI version", EPROTO);
	fe_map_ram(&fe);
	if (bench_mib)
		return fe_bench_mem(&fe, bench_mib);

	dcfg.gpu_gen = fe.cfg.gpu_gen;
	dcfg.gpu_variant = fe.cfg.gpu_variant;
	dcfg.chip_id = fe.cfg.chip_id;
	dcfg.gpu_rev = fe.cfg.gpu_rev;
	memcpy(dcfg.fw_abi, fe.cfg.fw_abi, sizeof(dcfg.fw_abi));
	dcfg.pm = &fe.pm;
	for (i = 0; i < AGXSIM_REGION_COUNT; i++) {
		dcfg.regions[i].pa = fe.cfg.regions[i].pa;
		dcfg.regions[i].size_B = fe.cfg.regions[i].size_B;
	}
	host.ctx = &fe;
	ret = fe.ops->create(&dcfg, &host, &boot, &fe.dev);
	if (ret)
		die("creating the device", -ret);
#ifdef AGXSIM_VM_HAVE_GPU
	if (!fake) {
		/* The GPU model runs the firmware model's jobs. */
		static struct agxsim_gpu gpu;
		struct agxsim_gpu_hooks hooks;
		struct agxsim_gpu_config gcfg = {
			.g14x_launch_word = dcfg.gpu_gen >= 14 && dcfg.gpu_variant != 'G',
		};

		agxsim_gpu_init(&gpu, &gcfg);
		agxsim_gpu_fill_hooks(&gpu, &hooks);
		agxsim_device_set_gpu_hooks(fe.dev, &hooks);
	}
#endif
	for (i = 0; i < AGXSIM_REGION_COUNT; i++)
		att.blob_size_B[i] = boot.blob_size_B[i];
	if (ioctl(fe.fd, AGX_SIM_IOC_ATTACH, &att))
		die("AGX_SIM_IOC_ATTACH", errno);
	if (ready) {
		int rfd = open(ready, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

		if (rfd >= 0)
			close(rfd);
	}

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGUSR1);
	sigaddset(&sigs, SIGUSR2);
	sigaddset(&sigs, SIGURG);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	pfd[0] = (struct pollfd){ .fd = fe.fd, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = signalfd(-1, &sigs, SFD_CLOEXEC), .events = POLLIN };
	if (pfd[1].fd < 0)
		die("signalfd", errno);

	while (running) {
		struct agx_sim_rec recs[64];
		bool busy = false;
		unsigned int steps = 0;
		ssize_t n;

		/*
		 * Run the device until it is idle, then wait for the kernel. A
		 * device that stays busy (a job that never ends) still lets the
		 * kernel's requests in every FE_RUN_BATCH steps.
		 */
		while (!fe.crashed && (busy = fe.ops->run(fe.dev)) && ++steps < FE_RUN_BATCH)
			;
		if (fe_flush(&fe))
			break;
		/* A halted firmware polls for the kernel's resume flag. */
		if (poll(pfd, 2, busy ? 0 : fe.ops->needs_poll(fe.dev) ? FE_POLL_MS : -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll", errno);
		}
		if (pfd[1].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(pfd[1].fd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGUSR1)
					fe.ops->inject(fe.dev, AGXSIM_INJECT_FW_CRASH);
				else if (si.ssi_signo == SIGUSR2)
					fe.ops->inject(fe.dev, AGXSIM_INJECT_PAGE_FAULT);
				else if (si.ssi_signo == SIGURG)
					fe.ops->inject(fe.dev, AGXSIM_INJECT_TIMEOUT);
				else
					running = false;
			}
		}
		if (!(pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		n = read(fe.fd, recs, sizeof(recs));
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			die("read", errno);
		}
		if (n == 0) {
			/* The device is gone; its memory is not ours any more. */
			fprintf(stderr, "agxsim-vm: the device went away\n");
			break;
		}
		for (i = 0; i < n / (ssize_t)sizeof(recs[0]); i++)
			fe_handle(&fe, &recs[i]);
	}

	if (stats)
		fe_write_stats(&fe, stats);
	close(fe.fd);
	fe.ops->destroy(fe.dev);
	return 0;
}
