/* SPDX-License-Identifier: MIT */
/*
 * The same compute dispatch as the direct-API tests, this time through the
 * firmware model: the fw tests' mini kernel builds the work queue and a
 * RunCompute; the firmware model calls the GPU hooks, which this GPU model
 * implements (agxsim_gpu_fill_hooks); the stamp and the completion event
 * follow. A faulting and a runaway shader become Fault / Timeout.
 */
#include <errno.h>
#include <string.h>

#include "agx_test.h"
#include "agxsim/gpu.h"
#include "agxsim/gpu_hooks.h"
#include "agxsim/uat.h"
#include "asm.h"
#include "gpu_test_util.h"
#include "mini_kernel.h"

struct fwx {
	struct mk k;
	struct mk_queue q;
	struct agxsim_gpu gpu;
	uint64_t usc_base, out_va;
	uint8_t *usc;    /* host view of the 64 KiB at usc_base */
};

static void fwx_init(struct fwx *x, const struct df_combo *c)
{
	struct agxsim_gpu_hooks h;

	AGX_REQUIRE(mk_init(&x->k, c) == 0, "mk_init");
	AGX_REQUIRE(mk_bringup(&x->k) == 0, "bring-up");
	/* G14X is the multi-cluster G14 whose CDM launches carry the extra
	 * "Unk G14X" word (ASSUMPTIONS G10). */
	struct agxsim_gpu_config cfg = { .g14x_launch_word = x->k.l->gen == AGXFW_GEN_G14X };
	agxsim_gpu_init(&x->gpu, &cfg);
	agxsim_gpu_fill_hooks(&x->gpu, &h);
	agxsim_device_set_gpu_hooks(x->k.f.dev, &h);
	mk_queue_init(&x->k, &x->q, 2, 1, 7);
	x->usc_base = mk_alloc(&x->k, MK_USER, 0x10000);
	x->out_va = mk_alloc(&x->k, MK_USER, 0x1000);
	x->usc = mk_ptr(&x->k, x->usc_base);
	memset(mk_ptr(&x->k, x->out_va), 0xee, 0x1000);
}

/* out[gid] = gid + k at @out_va, 100 threads in groups of 32; returns the
 * stream end. Layout in the USC window: code 0x400, USC 0x1000,
 * uniforms 0x2000, stream 0x3000. */
static uint64_t build(struct fwx *x, uint64_t out_va, bool runaway)
{
	struct asm_buf b = { .len = 0 };
	uint32_t g[3] = { 100, 1, 1 }, l[3] = { 32, 1, 1 };
	uint32_t k = 1000;
	struct usc_desc u = { .uniform_halves = 6, .uniform_va = x->usc_base + 0x2000,
			      .code_off = 0x400 };
	unsigned n;

	if (runaway) {
		asm_jmp_exec(&b, false, 0);
	} else {
		asm_get_sr(&b, R(1), 80);
		asm_iadd(&b, R(2), R(1), U(2), 0, false, false);
		asm_device(&b, true, 2, 0x1, R(2), U(0), R(1), true, 0);
	}
	asm_stop(&b);
	memcpy(x->usc + 0x400, b.b, b.len);
	memcpy(x->usc + 0x2000, &out_va, 8);
	memcpy(x->usc + 0x2008, &k, 4);
	write_usc(x->usc + 0x1000, &u);
	if (x->gpu.cfg.g14x_launch_word) {
		uint8_t *p = x->usc + 0x3000;

		AGX_PACK(p, CDM_LAUNCH_WORD_0, cfg) {
			cfg.uniform_register_count = 64;
			cfg.mode = AGX_CDM_MODE_DIRECT;
		}
		AGX_PACK(p + 4, CDM_LAUNCH_WORD_1, cfg) { cfg.pipeline = 0x1000; }
		AGX_PACK(p + 8, CDM_UNK_G14X, cfg);
		AGX_PACK(p + 16, CDM_GLOBAL_SIZE, cfg) { cfg.x = g[0]; cfg.y = g[1]; cfg.z = g[2]; }
		AGX_PACK(p + 28, CDM_LOCAL_SIZE, cfg) { cfg.x = l[0]; cfg.y = l[1]; cfg.z = l[2]; }
		n = 40;
	} else {
		n = write_launch(x->usc + 0x3000, 0x1000, 64, g, l);
	}
	n += write_terminate(x->usc + 0x3000 + n);
	return x->usc_base + 0x3000 + n;
}

static void run(struct fwx *x, uint64_t end, uint32_t *value)
{
	uint64_t cmd = mk_build_compute(&x->k, &x->q, x->usc_base + 0x3000, end,
					x->usc_base, 0x77, value);
	mk_submit(&x->k, &x->q, cmd, 1);
	df_run(&x->k.f);
}

/* Tags of the events posted (1 = Flag). */
static unsigned events(struct fwx *x, uint32_t *tags, unsigned max)
{
	uint8_t m[0x40];
	unsigned n = 0;

	while (mk_next_event(&x->k, m)) {
		if (n < max)
			tags[n] = (uint32_t)agxfw_get(x->k.l, m, AGXFW_F_EventMsg__tag);
		n++;
	}
	return n;
}

AGX_TEST(compute_through_firmware)
{
	/* All five combinations; G14X passes the USC base and the stream base
	 * in its RegisterArray (ASSUMPTIONS FW16). */
	static const unsigned combos[] = { 0, 1, 2, 3, 4 };

	for (unsigned i = 0; i < 5; i++) {
		struct fwx x;
		uint32_t value, tags[4];

		fwx_init(&x, &df_combos[combos[i]]);
		run(&x, build(&x, x.out_va, false), &value);
		const uint32_t *out = mk_ptr(&x.k, x.out_va);
		for (unsigned t = 0; t < 128; t++)
			AGX_CHECK(out[t] == (t < 100 ? 1000 + t : 0xeeeeeeeeu),
				  "%s: out[%u] = %u", df_combos[combos[i]].name, t, out[t]);
		AGX_CHECK_EQ(mk_rd32(&x.k, x.q.stamp_va), value);
		AGX_CHECK(events(&x, tags, 4) == 1 && tags[0] == 1, "%s: one Flag event",
			  df_combos[combos[i]].name);
		AGX_CHECK_EQ(x.gpu.stats.launches, 1u);
		AGX_CHECK_EQ(x.gpu.stats.simd_groups, 4u);
		mk_fini(&x.k);
	}
}

AGX_TEST(shader_fault_becomes_fault_event)
{
	struct fwx x;
	uint32_t value, tags[4];
	struct agxsim_mmu_fault_info fi;
	const uint64_t hole = MK_USER_VA + (4ull << 20);

	fwx_init(&x, &df_combos[2]);
	run(&x, build(&x, hole, false), &value);
	AGX_CHECK(mk_rd32(&x.k, x.q.stamp_va) != value, "no completion stamp");
	AGX_CHECK(events(&x, tags, 4) >= 1 && tags[0] != 1, "a non-Flag event: %u", tags[0]);
	AGX_REQUIRE(agxsim_uat_fault_info(agxsim_device_uat(x.k.f.dev), &fi), "latched");
	AGX_CHECK_EQ(fi.address, hole);
	AGX_CHECK_EQ(fi.vm_slot, MK_USER_SLOT);
	AGX_CHECK_EQ(x.gpu.last_error.code, -EFAULT);
	mk_fini(&x.k);
}

AGX_TEST(runaway_shader_becomes_timeout)
{
	struct fwx x;
	uint32_t value, tags[4];

	fwx_init(&x, &df_combos[0]);
	x.gpu.cfg.insn_budget = 100000;
	run(&x, build(&x, x.out_va, true), &value);
	AGX_CHECK(mk_rd32(&x.k, x.q.stamp_va) != value, "no completion stamp");
	AGX_CHECK(events(&x, tags, 4) >= 1 && tags[0] != 1, "a non-Flag event");
	AGX_CHECK_EQ(x.gpu.last_error.code, -ETIMEDOUT);
	mk_fini(&x.k);
}

AGX_TEST_MAIN()
