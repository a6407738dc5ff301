/* SPDX-License-Identifier: MIT */
/*
 * bench_isa - interpreter throughput of the G13 ISA simulator.
 *
 * Runs a loop of (fmadd32, iadd, while_icmp, jmp_exec_any) on a full SIMD
 * group and reports SIMD-group instructions per second, plus the same
 * arithmetic done by a plain C loop in the same run as the baseline (the
 * ratio is what to compare across machines). Not a test.
 *
 *   bench_isa [iterations]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agxsim_isa.h"
#include "asm.h"

#define CODE_VA 0x10000ull

struct code {
	const uint8_t *b;
	size_t size_B;
};

static int rd(void *ctx, uint64_t va, void *dst, size_t len, struct agxsim_fault *f)
{
	struct code *c = ctx;

	if (va < CODE_VA || va + len > CODE_VA + c->size_B) {
		if (f)
			f->reason = AGXSIM_FAULT_UNMAPPED;
		return -EFAULT;
	}
	memcpy(dst, c->b + (va - CODE_VA), len);
	return 0;
}

static int wr(void *ctx, uint64_t va, const void *src, size_t len, struct agxsim_fault *f)
{
	(void)ctx; (void)va; (void)src; (void)len;
	if (f)
		f->reason = AGXSIM_FAULT_PERMISSION;
	return -EFAULT;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	static struct agxsim_isa_state s;
	static struct asm_buf b;
	unsigned iters = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 100000;
	struct code c;
	struct agxsim_mem_if mif = { &c, rd, wr };
	volatile float sink = 0;
	float acc[AGX_SIMD_WIDTH];
	uint32_t cnt[AGX_SIMD_WIDTH];
	double t0, t_sim, t_base, t_dec;
	uint64_t decoded = 0;
	size_t loop;

	/* r2 = r2 * r3 + r4 (fp32); r5 += 1; while (r5 < r6) */
	loop = b.len;
	asm_fma(&b, 0x3a, R(2), R(2), R(3), R(4), false);
	asm_iadd(&b, R(5), R(5), I(1), 0, false, false);
	asm_maskop(&b, false, 2, 1, false, R(5), R(6), 1);
	asm_jmp_exec(&b, false, (int32_t)loop - (int32_t)b.len);
	asm_pop_exec(&b, 1);
	asm_stop(&b);
	c.b = b.b;
	c.size_B = b.len;

	agxsim_isa_init(&s, 32, CODE_VA, &mif);
	for (unsigned l = 0; l < 32; l++) {
		agxsim_set_reg32(&s, l, 2, 0x3f800000);   /* 1.0 */
		agxsim_set_reg32(&s, l, 3, 0x3f7ff000);   /* ~0.9999 */
		agxsim_set_reg32(&s, l, 4, 0x3c23d70a);   /* 0.01 */
		agxsim_set_reg32(&s, l, 6, iters);
	}
	t0 = now_s();
	agxsim_isa_run(&s, ~0ull);
	t_sim = now_s() - t0;
	if (s.status != AGXSIM_ISA_STOPPED) {
		fprintf(stderr, "bench_isa: %s\n", s.fault_msg);
		return 1;
	}

	/* Baseline: the same per-lane arithmetic in plain C. */
	for (unsigned l = 0; l < 32; l++) {
		acc[l] = 1.0f;
		cnt[l] = 0;
	}
	t0 = now_s();
	for (unsigned i = 0; i < iters; i++) {
		for (unsigned l = 0; l < 32; l++) {
			acc[l] = __builtin_fmaf(acc[l], 0.99990463f, 0.01f);
			cnt[l] += 1;
		}
		__asm__ volatile("" : : "r"(acc) : "memory");
	}
	t_base = now_s() - t0;
	for (unsigned l = 0; l < 32; l++)
		sink += acc[l] + (float)cnt[l];

	/* Decoder alone. */
	t0 = now_s();
	for (unsigned i = 0; i < iters; i++) {
		struct agx_insn in;

		for (size_t off = 0; off < b.len;) {
			unsigned n = agx_decode(b.b + off, b.len - off, &in);

			off += n ? n : 2;
			decoded++;
		}
	}
	t_dec = now_s() - t0;

	printf("iterations: %u x 32 lanes\n", iters);
	printf("interpreter: %llu SIMD-group instructions in %.3f s = %.2f M insn/s "
	       "(%.1f M lane-ops/s)\n", (unsigned long long)s.insn_count, t_sim,
	       s.insn_count / t_sim / 1e6, s.insn_count * 32.0 / t_sim / 1e6);
	printf("baseline C loop (same fma+add per lane): %.4f s\n", t_base);
	printf("slowdown interpreter / baseline: %.0fx\n", t_sim / t_base);
	printf("decoder alone: %.2f M decodes/s\n", decoded / t_dec / 1e6);
	printf("check: lane0 r2=0x%08x r5=%u\n", agxsim_reg32(&s, 0, 2), agxsim_reg32(&s, 0, 5));
	(void)sink;
	return 0;
}
