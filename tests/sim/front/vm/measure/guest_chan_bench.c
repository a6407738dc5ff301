// SPDX-License-Identifier: MIT
/*
 * guest_chan_bench.c - MEASUREMENT TOOL ONLY, not part of the transport.
 *
 * The guest half of the option-B prototype (see host_shm_bench.c and
 * docs/sim-transport.md): runs in the VM and measures
 *   - the round trip of an 8-byte message to the host process and back
 *     over a QEMU serial port connected to a chardev socket (the
 *     notification channel a host-side simulator would need);
 *   - the round trip through a mailbox in guest RAM that the host process
 *     polls through its shared mapping (no notification at all: the best
 *     case, paid for with a host core spinning).
 *
 * Usage: guest_chan_bench TTY ITERATIONS
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int read_full(int fd, void *buf, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = read(fd, (char *)buf + off, len - off);

		if (n <= 0)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

/* Physical address of a locked page, from /proc/self/pagemap (root). */
static uint64_t virt_to_phys(void *p)
{
	long psz = sysconf(_SC_PAGESIZE);
	uint64_t ent = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return 0;
	if (pread(fd, &ent, sizeof(ent), (off_t)((uintptr_t)p / psz * sizeof(ent))) != sizeof(ent))
		ent = 0;
	close(fd);
	if (!(ent & (1ull << 63)))
		return 0;
	return (ent & ((1ull << 55) - 1)) * (uint64_t)psz + (uintptr_t)p % psz;
}

int main(int argc, char **argv)
{
	struct termios tio;
	unsigned int n, i;
	volatile uint64_t *mb;
	uint64_t rec, pa;
	double t;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: %s TTY ITERATIONS\n", argv[0]);
		return 2;
	}
	n = (unsigned int)strtoul(argv[2], NULL, 0);
	fd = open(argv[1], O_RDWR | O_NOCTTY);
	if (fd < 0 || tcgetattr(fd, &tio)) {
		fprintf(stderr, "%s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	cfmakeraw(&tio);
	cfsetspeed(&tio, B115200);
	tio.c_cc[VMIN] = 1;
	tio.c_cc[VTIME] = 0;
	tcsetattr(fd, TCSANOW, &tio);
	tcflush(fd, TCIOFLUSH);

	t = now_s();
	for (i = 0; i < n; i++) {
		rec = i;
		if (write(fd, &rec, sizeof(rec)) != sizeof(rec) ||
		    read_full(fd, &rec, sizeof(rec)) || rec != i) {
			fprintf(stderr, "serial round trip %u failed\n", i);
			return 1;
		}
	}
	t = now_s() - t;
	printf("guest-bench: serial chardev round trip (8 bytes each way): %.1f us mean over %u\n",
	       t / n * 1e6, n);

	mb = aligned_alloc(4096, 4096);
	if (!mb || mlock((void *)mb, 4096))
		return 1;
	mb[0] = 0;
	mb[1] = 0;
	pa = virt_to_phys((void *)mb);
	if (!pa) {
		fprintf(stderr, "no physical address (not root?)\n");
		return 1;
	}
	rec = (uint64_t)'M' << 56 | pa;
	if (write(fd, &rec, sizeof(rec)) != sizeof(rec) || read_full(fd, &rec, sizeof(rec)))
		return 1;
	t = now_s();
	for (i = 1; i <= n; i++) {
		__atomic_store_n(&mb[0], i, __ATOMIC_RELEASE);
		while (__atomic_load_n(&mb[1], __ATOMIC_ACQUIRE) != i)
			;
	}
	t = now_s() - t;
	mb[0] = ~0ull;
	printf("guest-bench: shared-RAM mailbox polled by the host: %.1f us mean over %u\n",
	       t / n * 1e6, n);
	return 0;
}
