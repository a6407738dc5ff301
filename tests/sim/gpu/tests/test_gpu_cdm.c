/* SPDX-License-Identifier: MIT */
/*
 * CDM control streams and compute dispatch on a flat memory: link with
 * and without return, return, terminate, bounded loops, malformed words,
 * special registers across threadgroups and partial SIMD groups,
 * preshaders, indirect grids, runaway shaders, traces.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agx_test.h"
#include "agxsim/gpu.h"
#include "agxsim/usc.h"
#include "agxsim/mmu_fault.h"
#include "asm.h"
#include "gpu_test_util.h"

#define BASE      FLAT_VA          /* USC base = start of the window */
#define CODE_OFF  0x400u
#define CODE2_OFF 0x800u
#define USC_OFF   0x1000u          /* USC lists at 0x1000, 0x1040, ... */
#define UNI_VA    (BASE + 0x2000)  /* uniform buffers, 0x100 apart */
#define STREAM_VA (BASE + 0x10000)
#define SEG1_VA   (BASE + 0x20000)
#define SEG2_VA   (BASE + 0x30000)
#define OUT_VA    (BASE + 0x100000)
#define SENTINEL  0xdeadbeefu

static struct flat_mem fm;
static struct agxsim_mem_if mem;
static struct agxsim_gpu gpu;
static struct agxsim_gpu_job job;
static struct agxsim_fault fault;

static void reset(void)
{
	flat_fini(&fm);
	flat_init(&fm, &mem, AGXSIM_UNIT_dCDM_KS0);
	agxsim_gpu_init(&gpu, NULL);
	memset(&job, 0, sizeof(job));
	job.mem = &mem;
	job.usc_exec_base = BASE;
	job.vm_slot = 3;
	uint32_t *out = flat_ptr(&fm, OUT_VA);
	for (unsigned i = 0; i < 0x10000; i++)
		out[i] = SENTINEL;
}

static void put_code(uint32_t off, const struct asm_buf *b)
{
	memcpy(flat_ptr(&fm, BASE + off), b->b, b->len);
}

static void put_u64(uint64_t va, uint64_t v)
{
	memcpy(flat_ptr(&fm, va), &v, 8);
}

static void put_u32(uint64_t va, uint32_t v)
{
	memcpy(flat_ptr(&fm, va), &v, 4);
}

static uint32_t get_u32(uint64_t va)
{
	uint32_t v;
	memcpy(&v, flat_ptr(&fm, va), 4);
	return v;
}

/* out[gid.x] = gid.x + u2; u0_u1 = out base. */
static void code_gid_plus_k(uint32_t off)
{
	struct asm_buf b = { .len = 0 };

	asm_get_sr(&b, R(1), 80);
	asm_iadd(&b, R(2), R(1), U(2), 0, false, false);
	asm_device(&b, true, 2, 0x1, R(2), U(0), R(1), true, 0);
	asm_stop(&b);
	put_code(off, &b);
}

/* USC list n: uniforms (out, k) at UNI_VA + n*0x100, code at @code. */
static uint32_t usc_list(unsigned n, uint32_t code, uint64_t out, uint32_t k)
{
	uint64_t uva = UNI_VA + n * 0x100;
	struct usc_desc u = {
		.uniform_halves = 6, .uniform_va = uva, .code_off = code,
	};

	put_u64(uva, out);
	put_u32(uva + 8, k);
	write_usc(flat_ptr(&fm, BASE + USC_OFF + n * 0x40), &u);
	return USC_OFF + n * 0x40;
}

static unsigned launch_1d(uint64_t va, uint32_t pipeline, uint32_t threads, uint32_t local)
{
	uint32_t g[3] = { threads, 1, 1 }, l[3] = { local, 1, 1 };
	return write_launch(flat_ptr(&fm, va), pipeline, 64, g, l);
}

static void w_link(uint64_t va, uint64_t target, bool ret)
{
	AGX_PACK(flat_ptr(&fm, va), CDM_STREAM_LINK, cfg) {
		cfg.target_hi = (uint32_t)(target >> 32);
		cfg.target_lo = (uint32_t)target;
		cfg.with_return = ret;
	}
}

static int run(uint64_t base, uint64_t end)
{
	return agxsim_gpu_run_cdm(&gpu, &job, base, end, &fault);
}

AGX_TEST(link_return_terminate)
{
	uint64_t p = STREAM_VA, q = SEG1_VA;

	reset();
	code_gid_plus_k(CODE_OFF);
	uint32_t a = usc_list(0, CODE_OFF, OUT_VA, 100);
	uint32_t bb = usc_list(1, CODE_OFF, OUT_VA + 0x1000, 200);
	uint32_t c = usc_list(2, CODE_OFF, OUT_VA + 0x2000, 300);

	p += launch_1d(p, a, 40, 32);
	w_link(p, SEG1_VA, true);
	p += 8;
	p += launch_1d(p, c, 64, 16);
	p += write_terminate(flat_ptr(&fm, p));

	q += launch_1d(q, bb, 33, 11);
	w_link(q, SEG2_VA, false);
	AGX_PACK(flat_ptr(&fm, SEG2_VA), CDM_STREAM_RETURN, cfg);

	AGX_REQUIRE(run(STREAM_VA, p) == 0, "%s", gpu.last_error.msg);
	AGX_CHECK_EQ(gpu.stats.launches, 3u);
	AGX_CHECK_EQ(gpu.stats.threadgroups, 2u + 3u + 4u);
	AGX_CHECK_EQ(gpu.stats.simd_groups, 2u + 3u + 4u);
	for (unsigned i = 0; i < 80; i++) {
		AGX_CHECK_EQ(get_u32(OUT_VA + 4 * i), i < 40 ? 100 + i : SENTINEL);
		AGX_CHECK_EQ(get_u32(OUT_VA + 0x1000 + 4 * i), i < 33 ? 200 + i : SENTINEL);
		AGX_CHECK_EQ(get_u32(OUT_VA + 0x2000 + 4 * i), i < 64 ? 300 + i : SENTINEL);
	}
	AGX_CHECK_EQ(fault.reason, AGXSIM_FAULT_NONE);
}

AGX_TEST(link_loop_times_out)
{
	reset();
	w_link(STREAM_VA, SEG1_VA, false);
	w_link(SEG1_VA, SEG1_VA, false);
	job.stream_budget = 1000;
	AGX_CHECK_EQ(run(STREAM_VA, STREAM_VA + 8), -ETIMEDOUT);
	AGX_CHECK(strstr(gpu.last_error.msg, "timed out"), "%s", gpu.last_error.msg);
	AGX_CHECK_EQ(gpu.stats.stream_words, 1000u);
}

AGX_TEST(return_without_call_rejected)
{
	reset();
	AGX_PACK(flat_ptr(&fm, STREAM_VA), CDM_STREAM_RETURN, cfg);
	AGX_CHECK_EQ(run(STREAM_VA, STREAM_VA + 8), -EPROTO);
	AGX_CHECK_EQ(fault.va, STREAM_VA);
	AGX_CHECK_EQ(fault.reason, AGXSIM_FAULT_NONE);
}

AGX_TEST(link_nesting_bounded)
{
	reset();
	/* Each segment calls the next with return; the chain is too deep. */
	for (unsigned i = 0; i <= AGXSIM_GPU_MAX_LINK_DEPTH; i++)
		w_link(SEG1_VA + i * 0x100, SEG1_VA + (i + 1) * 0x100, true);
	w_link(STREAM_VA, SEG1_VA, false);
	AGX_CHECK_EQ(run(STREAM_VA, STREAM_VA + 8), -EPROTO);
	AGX_CHECK(strstr(gpu.last_error.msg, "nests deeper"), "%s", gpu.last_error.msg);
}

AGX_TEST(malformed_words_rejected)
{
	uint32_t w;

	reset();
	/* Block type 5 does not exist. */
	put_u32(STREAM_VA, 5u << 29);
	AGX_CHECK_EQ(run(STREAM_VA, STREAM_VA + 64), -EPROTO);
	AGX_CHECK(strstr(gpu.last_error.msg, "unknown CDM block type 5"), "%s", gpu.last_error.msg);
	AGX_CHECK_EQ(fault.va, STREAM_VA);

	/* A barrier with an undescribed bit (22) set. */
	put_u32(STREAM_VA, 3u << 29 | 1u << 22);
	AGX_CHECK_EQ(run(STREAM_VA, STREAM_VA + 64), -EPROTO);
	AGX_CHECK(strstr(gpu.last_error.msg, "Barrier") && strstr(gpu.last_error.msg, "reserved"),
		  "%s", gpu.last_error.msg);

	/* Launch Word 0 with mode 3 (unnamed). */
	code_gid_plus_k(CODE_OFF);
	uint32_t pl = usc_list(0, CODE_OFF, OUT_VA, 0);
	launch_1d(STREAM_VA + 4, pl, 32, 32);
	memcpy(&w, flat_ptr(&fm, STREAM_VA + 4), 4);
	w |= 3u << 27;
	put_u32(STREAM_VA + 4, w);
	put_u32(STREAM_VA, 3u << 29);   /* a valid barrier first */
	AGX_CHECK_EQ(run(STREAM_VA, STREAM_VA + 64), -EPROTO);
	AGX_CHECK_EQ(fault.va, STREAM_VA + 4);
	AGX_CHECK(strstr(gpu.last_error.msg, "Launch Word 0"), "%s", gpu.last_error.msg);
	AGX_CHECK_EQ(gpu.stats.launches, 0u);

	/* Terminate with junk in its second word. */
	write_terminate(flat_ptr(&fm, STREAM_VA));
	put_u32(STREAM_VA + 4, 1);
	AGX_CHECK_EQ(run(STREAM_VA, STREAM_VA + 64), -EPROTO);
}

AGX_TEST(running_off_the_end_rejected)
{
	reset();
	put_u32(STREAM_VA, 3u << 29);
	put_u32(STREAM_VA + 4, 3u << 29);
	AGX_CHECK_EQ(run(STREAM_VA, STREAM_VA + 8), -EPROTO);
	AGX_CHECK(strstr(gpu.last_error.msg, "past its end"), "%s", gpu.last_error.msg);
	AGX_CHECK_EQ(fault.va, STREAM_VA + 8);
}

AGX_TEST(unmapped_stream_faults)
{
	reset();
	w_link(STREAM_VA, 0x4000000000ull, false);
	AGX_CHECK_EQ(run(STREAM_VA, STREAM_VA + 8), -EFAULT);
	AGX_CHECK_EQ(fault.va, 0x4000000000ull);
	AGX_CHECK_EQ(fault.reason, AGXSIM_FAULT_UNMAPPED);
	AGX_CHECK_EQ(fault.unit, (uint32_t)AGXSIM_UNIT_dCDM_KS0);
}

/* Every thread writes 8 special registers to out[lin * 8 ..]. */
static void code_srs(uint32_t off)
{
	struct asm_buf b = { .len = 0 };
	static const unsigned srs[8] = { 0, 1, 2, 48, 49, 51, 53, 4 };

	for (unsigned i = 0; i < 8; i++)
		asm_get_sr(&b, R(4 + i), srs[i]);
	asm_get_sr(&b, R(20), 80);
	asm_get_sr(&b, R(21), 81);
	asm_get_sr(&b, R(22), 82);
	asm_imadd(&b, R(14), R(21), U(2), R(20), 0, false, false);
	asm_imadd(&b, R(14), R(22), U(3), R(14), 0, false, false);
	asm_iadd(&b, R(12), I(0), R(14), 3, false, false);
	asm_iadd(&b, R(13), R(12), I(4), 0, false, false);
	asm_device(&b, true, 2, 0xf, R(4), U(0), R(12), true, 0);
	asm_device(&b, true, 2, 0xf, R(8), U(0), R(13), true, 0);
	asm_stop(&b);
	put_code(off, &b);
}

AGX_TEST(special_registers_partial_groups)
{
	const uint32_t G[3] = { 20, 7, 2 }, L[3] = { 8, 5, 1 };
	uint64_t p = STREAM_VA;

	reset();
	code_srs(CODE_OFF);
	uint32_t pl = usc_list(0, CODE_OFF, OUT_VA, G[0]);
	put_u32(UNI_VA + 12, G[0] * G[1]);     /* u3 */
	/* usc_list loads 6 halves (u0..u2); load 8 for u3 too. */
	struct usc_desc u = { .uniform_halves = 8, .uniform_va = UNI_VA, .code_off = CODE_OFF };
	write_usc(flat_ptr(&fm, BASE + pl), &u);
	p += write_launch(flat_ptr(&fm, p), pl, 64, G, L);
	p += write_terminate(flat_ptr(&fm, p));
	AGX_REQUIRE(run(STREAM_VA, p) == 0, "%s", gpu.last_error.msg);
	AGX_CHECK_EQ(gpu.stats.threadgroups, 3u * 2 * 2);
	/* Full groups of 40 threads = 2 SIMD groups; x edge 4x5 = 20 -> 1;
	 * y edge 8x2 = 16 -> 1; corner 4x2 -> 1. Per z slice: 2+1+2... */
	AGX_CHECK_EQ(gpu.stats.simd_groups, 2u * (2 + 2 + 1 + 1 + 1 + 1));

	for (uint32_t z = 0; z < G[2]; z++)
	for (uint32_t y = 0; y < G[1]; y++)
	for (uint32_t x = 0; x < G[0]; x++) {
		uint32_t tg[3] = { x / L[0], y / L[1], z / L[2] };
		uint32_t ax = G[0] - tg[0] * L[0] < L[0] ? G[0] - tg[0] * L[0] : L[0];
		uint32_t ay = G[1] - tg[1] * L[1] < L[1] ? G[1] - tg[1] * L[1] : L[1];
		uint32_t tp[3] = { x % L[0], y % L[1], z % L[2] };
		uint32_t tid = tp[0] + tp[1] * ax + tp[2] * ax * ay;
		uint32_t want[8] = { tg[0], tg[1], tg[2], tp[0], tp[1], tid, tid / 32, ax };
		uint32_t lin = x + y * G[0] + z * G[0] * G[1];

		for (unsigned j = 0; j < 8; j++) {
			uint32_t got = get_u32(OUT_VA + (lin * 8 + j) * 4);
			AGX_CHECK(got == want[j], "thread (%u,%u,%u) value %u: %u want %u",
				  x, y, z, j, got, want[j]);
		}
	}
	AGX_CHECK_EQ(get_u32(OUT_VA + G[0] * G[1] * G[2] * 32), SENTINEL);
}

AGX_TEST(preshader_runs_once_and_sets_uniforms)
{
	struct asm_buf b = { .len = 0 };
	uint64_t p = STREAM_VA;

	reset();
	code_gid_plus_k(CODE_OFF);
	/* Preshader: u2 = u2 + 1000. */
	asm_mov_imm(&b, R(2), 1000);
	asm_iadd(&b, R(1), U(2), R(2), 0, false, false);
	asm_uniform_store(&b, 2, 0x1, R(1), 4);
	asm_stop(&b);
	put_code(CODE2_OFF, &b);
	uint32_t pl = usc_list(0, CODE_OFF, OUT_VA, 7);
	struct usc_desc u = { .uniform_halves = 6, .uniform_va = UNI_VA,
			      .code_off = CODE_OFF, .preshader = true,
			      .preshader_off = CODE2_OFF };
	write_usc(flat_ptr(&fm, BASE + pl), &u);
	p += launch_1d(p, pl, 96, 32);
	p += write_terminate(flat_ptr(&fm, p));
	AGX_REQUIRE(run(STREAM_VA, p) == 0, "%s", gpu.last_error.msg);
	AGX_CHECK_EQ(gpu.stats.preshader_runs, 1u);
	for (unsigned i = 0; i < 96; i++)
		AGX_CHECK_EQ(get_u32(OUT_VA + 4 * i), 1007 + i);
}

AGX_TEST(indirect_global_counts_groups)
{
	uint8_t *s;
	uint64_t ind = BASE + 0x3000;

	reset();
	code_gid_plus_k(CODE_OFF);
	uint32_t pl = usc_list(0, CODE_OFF, OUT_VA, 50);
	put_u32(ind, 3);
	put_u32(ind + 4, 1);
	put_u32(ind + 8, 1);
	s = flat_ptr(&fm, STREAM_VA);
	AGX_PACK(s, CDM_LAUNCH_WORD_0, cfg) {
		cfg.uniform_register_count = 64;
		cfg.mode = AGX_CDM_MODE_INDIRECT_GLOBAL;
	}
	AGX_PACK(s + 4, CDM_LAUNCH_WORD_1, cfg) { cfg.pipeline = pl; }
	AGX_PACK(s + 8, CDM_INDIRECT, cfg) {
		cfg.address_hi = (uint32_t)(ind >> 32);
		cfg.address_lo = (uint32_t)ind;
	}
	AGX_PACK(s + 16, CDM_LOCAL_SIZE, cfg) { cfg.x = 10; cfg.y = 1; cfg.z = 1; }
	write_terminate(s + 28);
	AGX_REQUIRE(run(STREAM_VA, STREAM_VA + 36) == 0, "%s", gpu.last_error.msg);
	for (unsigned i = 0; i < 40; i++)
		AGX_CHECK_EQ(get_u32(OUT_VA + 4 * i), i < 30 ? 50 + i : SENTINEL);
}

AGX_TEST(indirect_local_reads_six_words)
{
	uint8_t *s;
	uint64_t ind = BASE + 0x3000;
	const uint32_t vals[6] = { 2, 1, 1, 7, 1, 1 };   /* groups, then local size */

	reset();
	code_gid_plus_k(CODE_OFF);
	uint32_t pl = usc_list(0, CODE_OFF, OUT_VA, 60);
	for (unsigned i = 0; i < 6; i++)
		put_u32(ind + 4 * i, vals[i]);
	s = flat_ptr(&fm, STREAM_VA);
	AGX_PACK(s, CDM_LAUNCH_WORD_0, cfg) {
		cfg.uniform_register_count = 64;
		cfg.mode = AGX_CDM_MODE_INDIRECT_LOCAL;
	}
	AGX_PACK(s + 4, CDM_LAUNCH_WORD_1, cfg) { cfg.pipeline = pl; }
	AGX_PACK(s + 8, CDM_INDIRECT, cfg) {
		cfg.address_hi = (uint32_t)(ind >> 32);
		cfg.address_lo = (uint32_t)ind;
	}
	write_terminate(s + 16);
	AGX_REQUIRE(run(STREAM_VA, STREAM_VA + 24) == 0, "%s", gpu.last_error.msg);
	AGX_CHECK_EQ(gpu.stats.threadgroups, 2u);
	for (unsigned i = 0; i < 20; i++)
		AGX_CHECK_EQ(get_u32(OUT_VA + 4 * i), i < 14 ? 60 + i : SENTINEL);

	/* An indirect buffer that is not mapped is a fault at its address. */
	AGX_PACK(s + 8, CDM_INDIRECT, cfg) { cfg.address_hi = 0x50; cfg.address_lo = 0; }
	AGX_CHECK_EQ(run(STREAM_VA, STREAM_VA + 24), -EFAULT);
	AGX_CHECK_EQ(fault.va, 0x5000000000ull);
}

AGX_TEST(g14x_launch_word)
{
	uint8_t *s;

	reset();
	gpu.cfg.g14x_launch_word = true;
	code_gid_plus_k(CODE_OFF);
	uint32_t pl = usc_list(0, CODE_OFF, OUT_VA, 9);
	s = flat_ptr(&fm, STREAM_VA);
	AGX_PACK(s, CDM_LAUNCH_WORD_0, cfg) { cfg.uniform_register_count = 64; }
	AGX_PACK(s + 4, CDM_LAUNCH_WORD_1, cfg) { cfg.pipeline = pl; }
	AGX_PACK(s + 8, CDM_UNK_G14X, cfg);
	AGX_PACK(s + 16, CDM_GLOBAL_SIZE, cfg) { cfg.x = 5; cfg.y = 1; cfg.z = 1; }
	AGX_PACK(s + 28, CDM_LOCAL_SIZE, cfg) { cfg.x = 5; cfg.y = 1; cfg.z = 1; }
	write_terminate(s + 40);
	AGX_REQUIRE(run(STREAM_VA, STREAM_VA + 48) == 0, "%s", gpu.last_error.msg);
	AGX_CHECK_EQ(get_u32(OUT_VA + 16), 13u);
	/* The G14X word must have its fixed bit. */
	put_u32(STREAM_VA + 12, 0);
	AGX_CHECK_EQ(run(STREAM_VA, STREAM_VA + 48), -EPROTO);
}

static int one_launch(uint32_t code_off, uint32_t threads, uint32_t local)
{
	uint64_t p = STREAM_VA;
	uint32_t pl = usc_list(0, code_off, OUT_VA, 0);

	p += launch_1d(p, pl, threads, local);
	p += write_terminate(flat_ptr(&fm, p));
	return run(STREAM_VA, p);
}

AGX_TEST(runaway_shader_times_out)
{
	struct asm_buf b = { .len = 0 };

	reset();
	asm_jmp_exec(&b, false, 0);      /* while any lane active: jump to self */
	asm_stop(&b);
	put_code(CODE_OFF, &b);
	job.insn_budget = 5000;
	AGX_CHECK_EQ(one_launch(CODE_OFF, 64, 32), -ETIMEDOUT);
	AGX_CHECK(strstr(gpu.last_error.msg, "budget"), "%s", gpu.last_error.msg);
	AGX_CHECK(gpu.stats.instructions <= 5000, "%llu", (unsigned long long)gpu.stats.instructions);
}

AGX_TEST(shader_faults_reported)
{
	struct asm_buf b = { .len = 0 };

	reset();
	asm_trap(&b);
	put_code(CODE_OFF, &b);
	AGX_CHECK_EQ(one_launch(CODE_OFF, 32, 32), -EPROTO);
	AGX_CHECK(strstr(gpu.last_error.msg, "trap"), "%s", gpu.last_error.msg);
	AGX_CHECK_EQ(fault.va, BASE + CODE_OFF);

	b.len = 0;
	asm_get_sr(&b, R(1), 144);       /* helper op: not a compute register */
	asm_stop(&b);
	put_code(CODE_OFF, &b);
	AGX_CHECK_EQ(one_launch(CODE_OFF, 32, 32), -EPROTO);
	AGX_CHECK(strstr(gpu.last_error.msg, "sr144"), "%s", gpu.last_error.msg);

	/* Code outside memory: the fetch faults. */
	AGX_CHECK_EQ(one_launch(0x7ff00000u, 32, 32), -EFAULT);
	AGX_CHECK_EQ(fault.va, BASE + 0x7ff00000u);

	/* A local size over 1024 threads is rejected. */
	code_gid_plus_k(CODE_OFF);
	AGX_CHECK_EQ(one_launch(CODE_OFF, 2048, 2048), -EPROTO);
}

AGX_TEST(store_fault_reports_va)
{
	uint64_t p = STREAM_VA;

	reset();
	code_gid_plus_k(CODE_OFF);
	uint32_t pl = usc_list(0, CODE_OFF, 0x6000000000ull, 0);
	p += launch_1d(p, pl, 32, 32);
	p += write_terminate(flat_ptr(&fm, p));
	AGX_CHECK_EQ(run(STREAM_VA, p), -EFAULT);
	AGX_CHECK_EQ(fault.va, 0x6000000000ull);
	AGX_CHECK_EQ(fault.access, AGXSIM_ACCESS_WRITE);
}

AGX_TEST(trace_output)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	uint64_t p = STREAM_VA;

	reset();
	agxsim_gpu_set_trace(&gpu, fp, AGXSIM_GPU_TRACE_ALL);
	code_gid_plus_k(CODE_OFF);
	uint32_t pl = usc_list(0, CODE_OFF, OUT_VA, 1);
	p += launch_1d(p, pl, 2, 2);
	p += write_terminate(flat_ptr(&fm, p));
	AGX_REQUIRE(run(STREAM_VA, p) == 0, "%s", gpu.last_error.msg);
	fclose(fp);
	AGX_CHECK(strstr(buf, "Launch") && strstr(buf, "Terminate"), "%s", buf);
	AGX_CHECK(strstr(buf, "USC compute pipeline"), "%s", buf);
	AGX_CHECK(strstr(buf, "stop"), "%s", buf);
	AGX_CHECK(strstr(buf, "device_store") || strstr(buf, "store"), "%s", buf);
	free(buf);
}

static uint32_t rng_state = 0x12345678;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* Random streams (block types biased to the real ones, links inside and
 * outside memory, launches of a real pipeline with random grids) must all
 * end in a defined way: success, malformed, fault or timeout. */
AGX_TEST(random_streams_end_defined)
{
	unsigned counts[4] = { 0 };

	reset();
	code_gid_plus_k(CODE_OFF);
	uint32_t pl = usc_list(0, CODE_OFF, OUT_VA, 0);
	job.stream_budget = 64;
	job.insn_budget = 4000;
	for (unsigned it = 0; it < 3000; it++) {
		uint32_t *w = flat_ptr(&fm, STREAM_VA);
		for (unsigned i = 0; i < 64; i++) {
			uint32_t v = rnd();
			switch (rnd() % 8) {
			case 0: v = (v & 0x1fffffff) | (rnd() % 5) << 29; break;
			case 1: v = pl; break;
			case 2: v = rnd() % 64; break;
			case 3: v = (uint32_t)(STREAM_VA + (rnd() % 64) * 4); break;
			case 4: v = 1u << 29 | (uint32_t)(STREAM_VA >> 32); break;
			case 5: v = 3u << 29; break;
			default: break;
			}
			w[i] = v;
		}
		int r = run(STREAM_VA, STREAM_VA + 256);
		AGX_CHECK(r == 0 || r == -EPROTO || r == -EFAULT || r == -ETIMEDOUT,
			  "iteration %u: %d", it, r);
		AGX_CHECK(r == 0 || gpu.last_error.msg[0], "iteration %u: no message", it);
		counts[r == 0 ? 0 : r == -EPROTO ? 1 : r == -EFAULT ? 2 : 3]++;
	}
	AGX_NOTE("ok %u, malformed %u, fault %u, timeout %u", counts[0], counts[1],
		 counts[2], counts[3]);
	AGX_CHECK(counts[1] > 0, "");
}

/* Random USC word lists: tags from the real set, other bits random. */
AGX_TEST(random_usc_lists_end_defined)
{
	static const uint8_t tags[] = { 0x0d, 0x1d, 0x38, 0x3d, 0x4d, 0x58, 0x88,
					0x8d, 0x9d, 0xdd, 0x42 };
	struct agxsim_usc_binding *b = malloc(sizeof(*b));
	struct agxsim_gpu_error e;
	unsigned ok = 0;

	reset();
	for (unsigned it = 0; it < 3000; it++) {
		uint8_t *p = flat_ptr(&fm, BASE + USC_OFF);
		if (it % 2) {
			/* A valid list with a few bits flipped. */
			struct usc_desc u = { .uniform_halves = 70, .uniform_va = UNI_VA,
					      .code_off = CODE_OFF, .tg_mem_B = 512,
					      .preshader = it % 4 == 1, .preshader_off = 0x200 };
			unsigned n = write_usc(p, &u);
			for (unsigned k = rnd() % 3; k < 3; k++)
				p[rnd() % n] ^= (uint8_t)(1u << (rnd() % 8));
		} else {
			for (unsigned i = 0; i < 256; i++)
				p[i] = (uint8_t)rnd();
			for (unsigned off = 0; off < 200; off += 2 + (rnd() % 4) * 2)
				if (rnd() % 2)
					p[off] = tags[rnd() % sizeof(tags)];
		}
		int r = agxsim_usc_parse(&mem, BASE, USC_OFF, (enum agxsim_usc_stage)(rnd() % 3),
					 NULL, b, NULL, &e);
		AGX_CHECK(r == 0 || ((r == -EPROTO || r == -EFAULT) && e.msg[0]),
			  "iteration %u: %d", it, r);
		ok += r == 0;
	}
	AGX_NOTE("%u random lists parsed", ok);
	free(b);
}

AGX_TEST_MAIN()
