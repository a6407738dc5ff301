// SPDX-License-Identifier: MIT
/*
 * host_shm_bench.c - MEASUREMENT TOOL ONLY, not part of the transport.
 *
 * The host half of the prototype of the transport that was NOT chosen
 * (docs/sim-transport.md, option B): a simulator running as a host process
 * next to QEMU, reaching guest RAM through a shared memory-backend-file
 * and exchanging messages with the guest over a QEMU chardev socket (a
 * second serial port in the guest).
 *
 * Usage: host_shm_bench MEM_FILE SOCKET BENCH_MIB
 *
 * It connects to SOCKET (QEMU is the server), measures bulk reads of
 * BENCH_MIB MiB of guest RAM through its mapping of MEM_FILE, then serves
 * the guest half (guest_chan_bench.c):
 *   - 8-byte records on the socket are echoed back (message round trip);
 *   - a record "M" << 56 | pa starts a shared-memory mailbox at guest
 *     physical address pa: the guest writes a sequence number into the
 *     first u64, the host copies it into the second, by polling, until
 *     the guest writes ~0.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
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

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const size_t chunk = 1 << 20;
	unsigned int mib, i;
	volatile uint64_t sink = 0;
	struct stat st;
	char *ram, *buf;
	int mfd, sfd = -1;
	uint64_t rec;
	double t;

	if (argc != 4) {
		fprintf(stderr, "usage: %s MEM_FILE SOCKET BENCH_MIB\n", argv[0]);
		return 2;
	}
	mib = (unsigned int)strtoul(argv[3], NULL, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", argv[2]);

	/* QEMU creates both when it starts. */
	for (i = 0; i < 600; i++) {
		sfd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (sfd >= 0 && connect(sfd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			break;
		if (sfd >= 0)
			close(sfd);
		sfd = -1;
		usleep(100000);
	}
	if (sfd < 0) {
		fprintf(stderr, "host_shm_bench: cannot connect to %s\n", argv[2]);
		return 1;
	}
	mfd = open(argv[1], O_RDWR);
	if (mfd < 0 || fstat(mfd, &st)) {
		fprintf(stderr, "host_shm_bench: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	ram = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	buf = malloc(chunk);
	if (ram == MAP_FAILED || !buf)
		return 1;

	/* Bulk reads from the first 1 GiB of guest RAM (below the PCI hole,
	 * file offset = guest physical address), after one warm-up pass. */
	for (size_t off = 0; off < (1u << 30) && off < (size_t)st.st_size; off += 4096)
		sink += (uint8_t)ram[off];
	t = now_s();
	for (i = 0; i < mib; i++) {
		memcpy(buf, ram + ((size_t)i % 1024) * chunk, chunk);
		sink += (uint8_t)buf[chunk - 1];
	}
	t = now_s() - t;
	printf("host-bench: read %u MiB of guest RAM from the host process in %.3f s: %.0f MiB/s\n",
	       mib, t, mib / t);
	fflush(stdout);

	while (read_full(sfd, &rec, sizeof(rec)) == 0) {
		if (rec >> 56 == 'M') {
			volatile uint64_t *mb = (volatile uint64_t *)(ram + (rec & ((1ull << 48) - 1)));
			uint64_t seen = mb[0];

			/* Acknowledge, then mirror the guest's counter. */
			if (write(sfd, &rec, sizeof(rec)) != sizeof(rec))
				break;
			for (;;) {
				uint64_t v = mb[0];

				if (v == seen)
					continue;
				if (v == ~0ull)
					break;
				mb[1] = v;
				seen = v;
			}
			continue;
		}
		if (write(sfd, &rec, sizeof(rec)) != sizeof(rec))
			break;
	}
	(void)sink;
	return 0;
}
