// SPDX-License-Identifier: MIT
/*
 * Firmware model tests, driven by the test-side mini kernel through
 * agxsim/device.h only: bring-up, DeviceControl, work queues, events,
 * FwLog, FWCtl, faults, timeouts, crashes and malformed input.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "agx_test.h"
#include "agxsim/gpu_hooks.h"
#include "mini_kernel.h"

#define RX_DOORBELL (0x42ull << 48)

/* A GPU model stand-in that records the jobs it is given. */
struct rec {
	unsigned int calls;
	struct agxsim_compute_job last;  /* pointers in it are stale */
	struct agxsim_gpu_reg reg0;
	uint32_t uuids[16];
	int ret;                 /* what to return */
	uint64_t fault_va;       /* when ret == -EFAULT: read this VA */
};

static int rec_compute(void *ctx, const struct agxsim_compute_job *job,
		       struct agxsim_fault *fault)
{
	struct rec *r = ctx;
	uint32_t v;

	if (r->calls < 16)
		r->uuids[r->calls] = job->c.uuid;
	r->calls++;
	r->last = *job;
	if (job->c.reg_count)
		r->reg0 = job->c.regs[0];
	if (r->ret == -EFAULT)
		return agxsim_mem_read(job->c.mem, r->fault_va, &v, 4, fault);
	return r->ret;
}

/* Render hooks record "V<uuid>" / "F<uuid>" in call order. */
struct rrec {
	char order[64];
	struct agxsim_vertex_job v;
	struct agxsim_fragment_job f;
};

static int rec_vertex(void *ctx, const struct agxsim_vertex_job *job,
		      struct agxsim_fault *fault)
{
	struct rrec *r = ctx;
	size_t n = strlen(r->order);

	(void)fault;
	snprintf(r->order + n, sizeof(r->order) - n, "V%x", job->c.uuid);
	r->v = *job;
	return 0;
}

static int rec_fragment(void *ctx, const struct agxsim_fragment_job *job,
			struct agxsim_fault *fault)
{
	struct rrec *r = ctx;
	size_t n = strlen(r->order);

	(void)fault;
	snprintf(r->order + n, sizeof(r->order) - n, "F%x", job->c.uuid);
	r->f = *job;
	return 0;
}

static void install(struct mk *k, struct rec *r)
{
	struct agxsim_gpu_hooks h = { .ctx = r, .run_compute = rec_compute };

	agxsim_device_set_gpu_hooks(k->f.dev, &h);
}

static uint32_t ev_tag(struct mk *k, const uint8_t *m)
{
	return (uint32_t)agxfw_get(k->l, m, AGXFW_F_EventMsg__tag);
}

/* Drain the event ring; returns the OR of all Flag bitmaps in @firing. */
static unsigned int drain_events(struct mk *k, uint32_t firing[4],
				 uint32_t *tags, unsigned int max_tags,
				 uint8_t (*keep)[0x40])
{
	uint8_t m[0x40];
	unsigned int n = 0;

	if (firing)
		memset(firing, 0, 4 * sizeof(uint32_t));
	while (mk_next_event(k, m)) {
		uint32_t tag = ev_tag(k, m);

		if (n < max_tags) {
			tags[n] = tag;
			if (keep)
				memcpy(keep[n], m, sizeof(m));
		}
		n++;
		if (firing && tag == 1)
			for (unsigned int i = 0; i < 4; i++)
				firing[i] |= (uint32_t)agxfw_get_idx(k->l, m,
					AGXFW_F_EventFlagMsg__firing, i);
	}
	return n;
}

static void bringup_or_fail(struct mk *k, const struct df_combo *c)
{
	AGX_REQUIRE(mk_init(k, c) == 0, "%s: mk_init", c->name);
	AGX_REQUIRE(mk_bringup(k) == 0, "%s: bring-up", c->name);
	AGX_REQUIRE(k->f.host.n_crashed == 0, "%s: crashed: %s", c->name,
		    k->f.host.crash_reason);
}

AGX_TEST(init_handshake_all_combos)
{
	for (unsigned int i = 0; i < 5; i++) {
		struct mk k;
		uint32_t rptr;

		bringup_or_fail(&k, &df_combos[i]);
		/* DeviceControl Initialize consumed: read pointer 1. */
		rptr = mk_rd32(&k, k.devctrl.state_va +
			       agxfw_offsetof(k.l, AGXFW_F_ChannelState__read_ptr));
		AGX_CHECK(rptr == 1, "%s: devctrl rptr %u", df_combos[i].name, rptr);
		/* The firmware said so in its log, and rang the RX doorbell. */
		AGX_CHECK(mk_log_contains(&k, "initialised"), "%s: log", df_combos[i].name);
		AGX_CHECK(df_count_msgs(&k.f, 0x20, RX_DOORBELL) >= 1, "%s: 0x42",
			  df_combos[i].name);
		/* Nothing left to do: run() reports idle. */
		AGX_CHECK(!agxsim_device_run(k.f.dev), "%s: idle", df_combos[i].name);
		mk_fini(&k);
	}
}

AGX_TEST(compute_job_completes_all_combos)
{
	for (unsigned int i = 0; i < 5; i++) {
		struct mk k;
		struct mk_queue q;
		struct rec r = { 0 };
		uint32_t value, firing[4], tags[8];
		unsigned int n_before, n;
		uint64_t cmd;

		bringup_or_fail(&k, &df_combos[i]);
		install(&k, &r);
		mk_queue_init(&k, &q, 2, 1, 37);
		cmd = mk_build_compute(&k, &q, MK_USER_VA + 0x1000, MK_USER_VA + 0x1100,
				       MK_USER_VA + 0x8000, 0xabc, &value);
		n_before = k.f.host.n_msgs;
		mk_submit(&k, &q, cmd, 1);
		df_run(&k.f);

		AGX_CHECK(r.calls == 1, "%s: hook calls %u", df_combos[i].name, r.calls);
		AGX_CHECK_EQ(r.last.c.vm_slot, MK_USER_SLOT);
		AGX_CHECK_EQ(r.last.c.uuid, 0xabc);
		AGX_CHECK_EQ(r.last.c.cmd_va, cmd);
		AGX_CHECK_EQ(r.last.usc_exec_base, MK_USER_VA + 0x8000);
		AGX_CHECK_EQ(r.last.cdm_ctrl_end, MK_USER_VA + 0x1100);
		AGX_CHECK_EQ(r.last.cdm_ctrl_base, MK_USER_VA + 0x1000);
		if (k.l->gen == AGXFW_GEN_G14X)
			AGX_CHECK(r.last.c.reg_count == 2 && r.reg0.number == 0x10071 &&
				  r.reg0.value == MK_USER_VA + 0x8000, "G14X regs");
		AGX_CHECK_EQ(mk_rd32(&k, q.stamp_va), value);
		AGX_CHECK_EQ(mk_rd32(&k, q.fw_stamp_va), value);
		AGX_CHECK_EQ(mk_rd32(&k, q.state_va +
				     agxfw_offsetof(k.l, AGXFW_F_RingState__gpu_rptr)), 1);
		n = drain_events(&k, firing, tags, 8, NULL);
		AGX_CHECK(n == 1 && tags[0] == 1, "%s: %u events, tag %u",
			  df_combos[i].name, n, n ? tags[0] : 99);
		AGX_CHECK(firing[1] == 1u << (37 - 32) && !firing[0] && !firing[2] &&
			  !firing[3], "%s: firing %x %x", df_combos[i].name,
			  firing[0], firing[1]);
		AGX_CHECK(df_count_msgs(&k.f, 0x20, RX_DOORBELL) > 0 &&
			  k.f.host.n_msgs > n_before, "0x42 after completion");
		AGX_CHECK_EQ(k.f.host.n_crashed, 0);
		mk_fini(&k);
	}
}

AGX_TEST(null_hook_completes_and_logs)
{
	struct mk k;
	struct mk_queue q;
	uint32_t value, firing[4], tags[4];

	bringup_or_fail(&k, &df_combos[2]);
	mk_queue_init(&k, &q, 2, 0, 3);
	mk_submit(&k, &q, mk_build_compute(&k, &q, MK_USER_VA, MK_USER_VA + 0x40,
					   MK_USER_VA, 1, &value), 1);
	df_run(&k.f);
	AGX_CHECK_EQ(mk_rd32(&k, q.stamp_va), value);
	AGX_CHECK(drain_events(&k, firing, tags, 4, NULL) == 1 && firing[0] == 1u << 3,
		  "flag slot 3: %x", firing[0]);
	AGX_CHECK(mk_log_contains(&k, "no GPU model"), "log says not executed");
	mk_fini(&k);
}

AGX_TEST(notifier_threshold_gates_the_flag)
{
	struct mk k;
	struct mk_queue q;
	uint32_t v1, v2, firing[4], tags[4];

	bringup_or_fail(&k, &df_combos[0]);
	mk_queue_init(&k, &q, 2, 0, 5);
	/* Kernel announces two notifications for one submission (e.g. a
	 * render): the first completion must not fire the slot. */
	mk_submit(&k, &q, mk_build_compute(&k, &q, MK_USER_VA, MK_USER_VA, MK_USER_VA,
					   1, &v1), 2);
	df_run(&k.f);
	AGX_CHECK_EQ(mk_rd32(&k, q.stamp_va), v1);
	AGX_CHECK_EQ(drain_events(&k, firing, tags, 4, NULL), 0);
	mk_submit(&k, &q, mk_build_compute(&k, &q, MK_USER_VA, MK_USER_VA, MK_USER_VA,
					   2, &v2), 0);
	df_run(&k.f);
	AGX_CHECK_EQ(mk_rd32(&k, q.stamp_va), v2);
	AGX_CHECK(drain_events(&k, firing, tags, 4, NULL) == 1 && firing[0] == 1u << 5,
		  "second completion fires slot 5");
	mk_fini(&k);
}

AGX_TEST(barrier_orders_queues)
{
	struct mk k;
	struct mk_queue a, b;
	struct rec r = { 0 };
	uint32_t va1, va2, vb;
	uint64_t bar;

	bringup_or_fail(&k, &df_combos[3]);
	install(&k, &r);
	mk_queue_init(&k, &a, 2, 0, 10);
	mk_queue_init(&k, &b, 2, 1, 11);
	/* Queue A: a barrier on B's first stamp, then compute 0xa1. */
	vb = b.next_value;
	bar = mk_build_barrier(&k, b.fw_stamp_va, vb, b.event_slot);
	mk_submit(&k, &a, bar, 0);
	mk_submit(&k, &a, mk_build_compute(&k, &a, MK_USER_VA, MK_USER_VA, MK_USER_VA,
					   0xa1, &va1), 1);
	df_run(&k.f);
	AGX_CHECK_EQ(r.calls, 0);
	AGX_CHECK_EQ(mk_rd32(&k, a.state_va +
			     agxfw_offsetof(k.l, AGXFW_F_RingState__gpu_rptr)), 0);
	AGX_CHECK_EQ(mk_rd32(&k, a.stamp_va), 0);
	/* Queue B's compute satisfies the barrier: B runs, then A. */
	mk_submit(&k, &b, mk_build_compute(&k, &b, MK_USER_VA, MK_USER_VA, MK_USER_VA,
					   0xb1, &vb), 1);
	df_run(&k.f);
	AGX_CHECK(r.calls == 2 && r.uuids[0] == 0xb1 && r.uuids[1] == 0xa1,
		  "order: %u calls %x %x", r.calls, r.uuids[0], r.uuids[1]);
	AGX_CHECK_EQ(mk_rd32(&k, a.stamp_va), va1);
	/* A barrier that is already satisfied does not block. */
	mk_submit(&k, &a, mk_build_barrier(&k, b.fw_stamp_va, vb, b.event_slot), 0);
	mk_submit(&k, &a, mk_build_compute(&k, &a, MK_USER_VA, MK_USER_VA, MK_USER_VA,
					   0xa2, &va2), 1);
	df_run(&k.f);
	AGX_CHECK_EQ(mk_rd32(&k, a.stamp_va), va2);
	mk_fini(&k);
}

/*
 * A render as the kernel submits it (facts 1.3 step 4/6): the fragment
 * queue gets an internal Barrier on the vertex stamp then RunFragment,
 * the vertex queue gets RunVertex; both share the user queue's notifier,
 * whose threshold rises by 2. Fragment is pushed first.
 */
AGX_TEST(render_vertex_then_fragment_all_combos)
{
	for (unsigned int i = 0; i < 5; i++) {
		struct mk k;
		struct mk_queue vq, fq;
		struct rrec r = { 0 };
		struct agxsim_gpu_hooks h = { .ctx = &r, .run_vertex = rec_vertex,
					      .run_fragment = rec_fragment };
		uint32_t vv, fv, firing[4], tags[4];
		uint64_t vcmd, fcmd;
		unsigned int n;

		bringup_or_fail(&k, &df_combos[i]);
		agxsim_device_set_gpu_hooks(k.f.dev, &h);
		mk_queue_init(&k, &vq, 0, 1, 20);
		mk_queue_init(&k, &fq, 1, 1, 21);
		fq.notifier_va = vq.notifier_va;
		fq.threshold_va = vq.threshold_va;
		vcmd = mk_build_render(&k, &vq, true, MK_USER_VA + 0x3000,
				       MK_USER_VA + 0x9000, 0x51, &vv);
		fcmd = mk_build_render(&k, &fq, false, 0, MK_USER_VA + 0xa000, 0x52, &fv);
		/* The TVB tile map reaches both hooks: job parameters, or the
		 * G14X RegisterArrays (TE 0x1c039, ISP 0x16429). */
		if (k.l->gen == AGXFW_GEN_G14X) {
			mk_set_reg(&k, vcmd, 0x1c039, MK_USER_VA + 0x40000);
			mk_set_reg(&k, fcmd, 0x16429, MK_USER_VA + 0x40000);
		} else {
			agxfw_set(k.l, mk_ptr(&k, vcmd), AGXFW_F_RunVertex__job_params1__tvb_tilemap,
				  MK_USER_VA + 0x40000);
			agxfw_set(k.l, mk_ptr(&k, fcmd),
				  AGXFW_F_RunFragment__job_params1__tvb_tilemap,
				  MK_USER_VA + 0x40000);
		}
		mk_submit(&k, &fq, mk_build_barrier(&k, vq.fw_stamp_va, vv, vq.event_slot), 0);
		mk_submit(&k, &fq, fcmd, 0);
		mk_submit(&k, &vq, vcmd, 2);
		df_run(&k.f);

		AGX_CHECK(!strcmp(r.order, "V51F52"), "%s: order %s", df_combos[i].name,
			  r.order);
		AGX_CHECK_EQ(r.v.usc_exec_base, MK_USER_VA + 0x9000);
		AGX_CHECK_EQ(r.f.usc_exec_base, MK_USER_VA + 0xa000);
		AGX_CHECK_EQ(r.v.c.vm_slot, MK_USER_SLOT);
		AGX_CHECK_EQ(r.f.c.cmd_va, fcmd);
		AGX_CHECK_EQ(r.v.vdm_ctrl_base, MK_USER_VA + 0x3000);
		AGX_CHECK_EQ(r.v.tvb_tilemap, MK_USER_VA + 0x40000);
		AGX_CHECK_EQ(r.f.tvb_tilemap, MK_USER_VA + 0x40000);
		AGX_CHECK_EQ(r.v.c.reg_count, k.l->gen == AGXFW_GEN_G14X ? 3u : 0u);
		AGX_CHECK_EQ(mk_rd32(&k, vq.stamp_va), vv);
		AGX_CHECK_EQ(mk_rd32(&k, fq.stamp_va), fv);
		/* One notification per stage; the second reaches the threshold
		 * and fires both slots at once. */
		n = drain_events(&k, firing, tags, 4, NULL);
		AGX_CHECK(n == 1 && firing[0] == (1u << 20 | 1u << 21),
			  "%s: %u events, firing %x", df_combos[i].name, n, firing[0]);
		AGX_CHECK_EQ(k.f.host.n_crashed, 0);
		mk_fini(&k);
	}
}

/* ---- buffer manager (TVB) ---------------------------------------------- */

static void read_fault_regs(struct mk *k, uint64_t *info, uint64_t *addr);

/* A GPU model stand-in whose scenes need a chosen number of TVB pages. */
struct tvb_rec {
	unsigned int vcalls, fcalls;
	uint32_t pages;
};

static int tvb_vertex(void *ctx, const struct agxsim_vertex_job *job,
		      struct agxsim_fault *fault)
{
	struct tvb_rec *r = ctx;

	(void)fault;
	r->vcalls++;
	*job->tvb_pages = r->pages;
	return 0;
}

static int tvb_fragment(void *ctx, const struct agxsim_fragment_job *job,
			struct agxsim_fault *fault)
{
	struct tvb_rec *r = ctx;

	(void)job;
	(void)fault;
	r->fcalls++;
	return 0;
}

struct tvb_run {
	struct mk k;
	struct mk_queue vq, fq;
	struct tvb_rec r;
	uint32_t vv, fv;
	uint64_t scene, ovf_va;
};

static uint32_t scene_rd(struct tvb_run *t, enum agxfw_field_id f)
{
	return mk_rd32(&t->k, t->scene + agxfw_offsetof(t->k.l, f));
}

static uint32_t stats_rd(struct tvb_run *t, enum agxfw_field_id f)
{
	return mk_rd32(&t->k, t->k.tvb.stats_va + agxfw_offsetof(t->k.l, f));
}

static uint32_t info_rd(struct tvb_run *t, enum agxfw_field_id f)
{
	return mk_rd32(&t->k, t->k.tvb.info_va + agxfw_offsetof(t->k.l, f));
}

/* Bring up, make a TVB of @blocks blocks in buffer slot 5, submit a
 * RunVertex (scene of @pages pages) and a RunFragment behind a barrier,
 * run until idle. */
static void tvb_start(struct tvb_run *t, const struct df_combo *c, uint32_t blocks,
		      uint32_t pages)
{
	struct agxsim_gpu_hooks h = { .run_vertex = tvb_vertex, .run_fragment = tvb_fragment };
	uint64_t vcmd, fcmd, ms;

	memset(t, 0, sizeof(*t));
	bringup_or_fail(&t->k, c);
	h.ctx = &t->r;
	t->r.pages = pages;
	agxsim_device_set_gpu_hooks(t->k.f.dev, &h);
	AGX_REQUIRE(mk_tvb_init(&t->k, 5, blocks) == 0, "TVB");
	mk_queue_init(&t->k, &t->vq, 0, 1, 20);
	mk_queue_init(&t->k, &t->fq, 1, 1, 21);
	t->fq.notifier_va = t->vq.notifier_va;
	t->fq.threshold_va = t->vq.threshold_va;
	vcmd = mk_build_render(&t->k, &t->vq, true, MK_USER_VA + 0x3000, MK_USER_VA + 0x9000,
			       0x51, &t->vv);
	t->scene = t->k.cur_scene;
	fcmd = mk_build_render(&t->k, &t->fq, false, 0, MK_USER_VA + 0xa000, 0x52, &t->fv);
	/* Where the firmware counts partial renders of this fragment job. */
	t->ovf_va = mk_alloc(&t->k, MK_SHARED, 4);
	ms = agxfw_get(t->k.l, mk_ptr(&t->k, fcmd), AGXFW_F_RunFragment__microsequence);
	agxfw_set(t->k.l, mk_ptr(&t->k, ms), AGXFW_F_StartFragment__tvb_overflow_count,
		  t->ovf_va);
	mk_submit(&t->k, &t->fq, mk_build_barrier(&t->k, t->vq.fw_stamp_va, t->vv,
						  t->vq.event_slot), 0);
	mk_submit(&t->k, &t->fq, fcmd, 0);
	mk_submit(&t->k, &t->vq, vcmd, 2);
	df_run(&t->k.f);
}

AGX_TEST(tvb_scene_that_fits_all_combos)
{
	for (unsigned int i = 0; i < 5; i++) {
		struct tvb_run t;
		uint32_t firing[4], tags[4];
		unsigned int n;

		tvb_start(&t, &df_combos[i], 2, 5);
		n = drain_events(&t.k, firing, tags, 4, NULL);
		AGX_CHECK(n == 1 && tags[0] == 1 && firing[0] == (1u << 20 | 1u << 21),
			  "%s: %u events, tag %u, firing %x", df_combos[i].name, n, tags[0],
			  firing[0]);
		AGX_CHECK_EQ(t.r.vcalls, 1);
		AGX_CHECK_EQ(t.r.fcalls, 1);
		AGX_CHECK_EQ(mk_rd32(&t.k, t.fq.stamp_va), t.fv);
		AGX_CHECK_EQ(scene_rd(&t, AGXFW_F_Scene__pass_page_count), 5);
		AGX_CHECK_EQ(scene_rd(&t, AGXFW_F_Scene__total_page_count), 5);
		AGX_CHECK_EQ(stats_rd(&t, AGXFW_F_BufferStats__max_pages), 5);
		AGX_CHECK_EQ(stats_rd(&t, AGXFW_F_BufferStats__reset), 0);
		AGX_CHECK_EQ(stats_rd(&t, AGXFW_F_BufferStats__overflow_count), 0);
		AGX_CHECK_EQ(mk_rd32(&t.k, t.ovf_va), 0);
		AGX_CHECK_EQ(info_rd(&t, AGXFW_F_BufferInfo__block_count), 2);
		AGX_CHECK_EQ(info_rd(&t, AGXFW_F_BufferInfo__page_count), 8);
		AGX_CHECK_EQ(info_rd(&t, AGXFW_F_BufferInfo__last_page), 7);

		/* The fragment job gave the pages back: an 8-page scene fits
		 * now, and max_pages follows it. */
		uint64_t vcmd, fcmd;
		t.r.pages = 8;
		vcmd = mk_build_render(&t.k, &t.vq, true, MK_USER_VA + 0x3000,
				       MK_USER_VA + 0x9000, 0x53, &t.vv);
		t.scene = t.k.cur_scene;
		fcmd = mk_build_render(&t.k, &t.fq, false, 0, MK_USER_VA + 0xa000, 0x54, &t.fv);
		mk_submit(&t.k, &t.fq, mk_build_barrier(&t.k, t.vq.fw_stamp_va, t.vv,
							t.vq.event_slot), 0);
		mk_submit(&t.k, &t.fq, fcmd, 0);
		mk_submit(&t.k, &t.vq, vcmd, 2);
		df_run(&t.k.f);
		n = drain_events(&t.k, firing, tags, 4, NULL);
		AGX_CHECK(n == 1 && tags[0] == 1, "%s: second render: %u events, tag %u",
			  df_combos[i].name, n, tags[0]);
		AGX_CHECK_EQ(mk_rd32(&t.k, t.fq.stamp_va), t.fv);
		AGX_CHECK_EQ(scene_rd(&t, AGXFW_F_Scene__pass_page_count), 8);
		AGX_CHECK_EQ(stats_rd(&t, AGXFW_F_BufferStats__max_pages), 8);
		AGX_CHECK_EQ(t.k.f.host.n_crashed, 0);
		mk_fini(&t.k);
	}
}

/* The one event of a stalled vertex job: GrowTVB. */
static void expect_grow(struct tvb_run *t, const char *name, uint32_t counter, uint8_t *ev)
{
	uint32_t firing[4], tags[4];
	unsigned int n = drain_events(&t->k, firing, tags, 1, (uint8_t (*)[0x40])ev);

	AGX_CHECK(n == 1 && tags[0] == 7, "%s: %u events, first tag %u (want GrowTVB)", name,
		  n, tags[0]);
	AGX_CHECK_EQ(agxfw_get(t->k.l, ev, AGXFW_F_EventGrowTVBMsg__vm_slot), MK_USER_SLOT);
	AGX_CHECK_EQ(agxfw_get(t->k.l, ev, AGXFW_F_EventGrowTVBMsg__buffer_slot), 5);
	AGX_CHECK_EQ(agxfw_get(t->k.l, ev, AGXFW_F_EventGrowTVBMsg__counter), counter);
}

AGX_TEST(tvb_overflow_grow_ack_completes_all_combos)
{
	for (unsigned int i = 0; i < 5; i++) {
		struct tvb_run t;
		uint8_t ev[0x40], bad[0x40];
		uint32_t firing[4], tags[4];
		unsigned int n;

		/* One block = 4 pages; the scene needs 6. */
		tvb_start(&t, &df_combos[i], 1, 6);
		expect_grow(&t, df_combos[i].name, 1, ev);
		AGX_CHECK_EQ(mk_rd32(&t.k, t.vq.stamp_va), 0);
		AGX_CHECK_EQ(mk_rd32(&t.k, t.fq.stamp_va), 0);
		AGX_CHECK_EQ(t.r.vcalls, 1);
		AGX_CHECK_EQ(t.r.fcalls, 0);

		/* An ack that answers no GrowTVB (wrong counter) changes nothing. */
		memcpy(bad, ev, sizeof(bad));
		agxfw_set(t.k.l, bad, AGXFW_F_EventGrowTVBMsg__counter, 9);
		mk_ack_grow_tvb(&t.k, bad, 0);
		df_run(&t.k.f);
		AGX_CHECK_EQ(drain_events(&t.k, firing, tags, 4, NULL), 0);
		AGX_CHECK_EQ(mk_rd32(&t.k, t.vq.stamp_va), 0);
		AGX_CHECK(mk_log_contains(&t.k, "matches no GrowTVB"), "%s: log",
			  df_combos[i].name);

		/* The kernel grows by one block and acks: the job resumes with
		 * the scene it binned (no second vertex pass). */
		mk_ack_grow_tvb(&t.k, ev, 1);
		df_run(&t.k.f);
		n = drain_events(&t.k, firing, tags, 4, NULL);
		AGX_CHECK(n == 1 && tags[0] == 1 && firing[0] == (1u << 20 | 1u << 21),
			  "%s: %u events, tag %u, firing %x", df_combos[i].name, n, tags[0],
			  firing[0]);
		AGX_CHECK_EQ(t.r.vcalls, 1);
		AGX_CHECK_EQ(t.r.fcalls, 1);
		AGX_CHECK_EQ(mk_rd32(&t.k, t.vq.stamp_va), t.vv);
		AGX_CHECK_EQ(mk_rd32(&t.k, t.fq.stamp_va), t.fv);
		AGX_CHECK_EQ(scene_rd(&t, AGXFW_F_Scene__pass_page_count), 6);
		AGX_CHECK_EQ(scene_rd(&t, AGXFW_F_Scene__total_page_count), 6);
		AGX_CHECK_EQ(stats_rd(&t, AGXFW_F_BufferStats__overflow_count), 0);
		AGX_CHECK_EQ(mk_rd32(&t.k, t.ovf_va), 0);
		AGX_CHECK_EQ(info_rd(&t, AGXFW_F_BufferInfo__block_count), 2);
		AGX_CHECK_EQ(info_rd(&t, AGXFW_F_BufferInfo__page_count), 8);
		AGX_CHECK_EQ(t.k.f.host.n_crashed, 0);
		mk_fini(&t.k);
	}
}

AGX_TEST(tvb_overflow_without_growth_is_a_partial_render)
{
	struct tvb_run t;
	uint8_t ev[0x40];
	uint32_t firing[4], tags[4];
	unsigned int n;

	tvb_start(&t, &df_combos[0], 1, 6);
	expect_grow(&t, df_combos[0].name, 1, ev);
	mk_ack_grow_tvb(&t.k, ev, 0);      /* the kernel could not grow */
	df_run(&t.k.f);
	n = drain_events(&t.k, firing, tags, 4, NULL);
	AGX_CHECK(n == 1 && tags[0] == 1, "%u events, tag %u", n, tags[0]);
	AGX_CHECK_EQ(mk_rd32(&t.k, t.fq.stamp_va), t.fv);
	/* Scene.total > pass is the kernel's "overflowed" test (facts 3.9). */
	AGX_CHECK_EQ(scene_rd(&t, AGXFW_F_Scene__pass_page_count), 4);
	AGX_CHECK_EQ(scene_rd(&t, AGXFW_F_Scene__total_page_count), 6);
	AGX_CHECK_EQ(stats_rd(&t, AGXFW_F_BufferStats__overflow_count), 1);
	AGX_CHECK_EQ(stats_rd(&t, AGXFW_F_BufferStats__max_pages), 6);
	AGX_CHECK_EQ(mk_rd32(&t.k, t.ovf_va), 1);
	AGX_CHECK(mk_log_contains(&t.k, "partial render"), "log");

	/* auto_grow's measuring period: reset = 1 starts it again. */
	mk_wr32(&t.k, t.k.tvb.stats_va + agxfw_offsetof(t.k.l, AGXFW_F_BufferStats__reset), 1);
	uint64_t vcmd, fcmd;
	t.r.pages = 3;
	vcmd = mk_build_render(&t.k, &t.vq, true, MK_USER_VA + 0x3000, MK_USER_VA + 0x9000,
			       0x55, &t.vv);
	t.scene = t.k.cur_scene;
	fcmd = mk_build_render(&t.k, &t.fq, false, 0, MK_USER_VA + 0xa000, 0x56, &t.fv);
	mk_submit(&t.k, &t.fq, mk_build_barrier(&t.k, t.vq.fw_stamp_va, t.vv,
						t.vq.event_slot), 0);
	mk_submit(&t.k, &t.fq, fcmd, 0);
	mk_submit(&t.k, &t.vq, vcmd, 2);
	df_run(&t.k.f);
	n = drain_events(&t.k, firing, tags, 4, NULL);
	AGX_CHECK(n == 1 && tags[0] == 1, "%u events, tag %u", n, tags[0]);
	AGX_CHECK_EQ(stats_rd(&t, AGXFW_F_BufferStats__max_pages), 3);
	AGX_CHECK_EQ(stats_rd(&t, AGXFW_F_BufferStats__overflow_count), 0);
	AGX_CHECK_EQ(stats_rd(&t, AGXFW_F_BufferStats__reset), 0);
	mk_fini(&t.k);
}

AGX_TEST(tvb_two_scenes_in_flight_share_the_buffer)
{
	struct tvb_run t;
	uint8_t ev[0x40];
	uint32_t v2, firing[4], tags[4];
	uint64_t vcmd2;

	/* 2 blocks = 8 pages. Scene A (5 pages) is binned, its fragment job
	 * waits behind a barrier; scene B (5 pages) does not fit until A's
	 * pages come back, so B asks for growth. */
	memset(&t, 0, sizeof(t));
	struct agxsim_gpu_hooks h = { .ctx = &t.r, .run_vertex = tvb_vertex,
				      .run_fragment = tvb_fragment };
	bringup_or_fail(&t.k, &df_combos[1]);
	agxsim_device_set_gpu_hooks(t.k.f.dev, &h);
	AGX_REQUIRE(mk_tvb_init(&t.k, 5, 2) == 0, "TVB");
	mk_queue_init(&t.k, &t.vq, 0, 1, 20);
	t.r.pages = 5;
	uint64_t vcmd = mk_build_render(&t.k, &t.vq, true, MK_USER_VA + 0x3000,
					MK_USER_VA + 0x9000, 0x57, &t.vv);
	vcmd2 = mk_build_render(&t.k, &t.vq, true, MK_USER_VA + 0x3000, MK_USER_VA + 0x9000,
				0x58, &v2);
	mk_submit(&t.k, &t.vq, vcmd, 1);
	mk_submit(&t.k, &t.vq, vcmd2, 1);
	df_run(&t.k.f);
	expect_grow(&t, df_combos[1].name, 1, ev);
	AGX_CHECK_EQ(t.r.vcalls, 2);
	AGX_CHECK_EQ(mk_rd32(&t.k, t.vq.stamp_va), t.vv);   /* A done, B waits */
	mk_ack_grow_tvb(&t.k, ev, 1);
	df_run(&t.k.f);
	AGX_CHECK(drain_events(&t.k, firing, tags, 4, NULL) == 1 && tags[0] == 1, "flag");
	AGX_CHECK_EQ(mk_rd32(&t.k, t.vq.stamp_va), v2);
	/* 5 + 5 pages of 12 in use: B got all it needed. */
	AGX_CHECK_EQ(mk_rd32(&t.k, t.k.cur_scene +
			     agxfw_offsetof(t.k.l, AGXFW_F_Scene__pass_page_count)), 5);
	mk_fini(&t.k);
}

AGX_TEST(tvb_init_buffer_after_growth_keeps_scenes)
{
	struct tvb_run t;
	uint8_t ev[0x40];
	uint32_t va, vb, vc, firing[4], tags[4];

	memset(&t, 0, sizeof(t));
	struct agxsim_gpu_hooks h = { .ctx = &t.r, .run_vertex = tvb_vertex,
				      .run_fragment = tvb_fragment };
	bringup_or_fail(&t.k, &df_combos[3]);
	agxsim_device_set_gpu_hooks(t.k.f.dev, &h);
	AGX_REQUIRE(mk_tvb_init(&t.k, 5, 2) == 0, "TVB");
	mk_queue_init(&t.k, &t.vq, 0, 1, 20);
	t.r.pages = 5;
	mk_submit(&t.k, &t.vq, mk_build_render(&t.k, &t.vq, true, MK_USER_VA + 0x3000,
					      MK_USER_VA + 0x9000, 0x61, &va), 1);
	df_run(&t.k.f);
	AGX_CHECK_EQ(mk_rd32(&t.k, t.vq.stamp_va), va);
	AGX_CHECK_EQ(drain_events(&t.k, firing, tags, 4, NULL), 1);
	/* The kernel grows the idle-looking buffer by a block and re-sends
	 * InitBuffer before the next scene (render.rs does on tvb_grown). */
	AGX_REQUIRE(mk_tvb_grow(&t.k, 1) == 0, "grow");
	t.k.tvb.rebind = true;
	mk_submit(&t.k, &t.vq, mk_build_render(&t.k, &t.vq, true, MK_USER_VA + 0x3000,
					      MK_USER_VA + 0x9000, 0x62, &vb), 1);
	df_run(&t.k.f);
	AGX_CHECK_EQ(mk_rd32(&t.k, t.vq.stamp_va), vb);
	AGX_CHECK(drain_events(&t.k, firing, tags, 4, NULL) == 1 && tags[0] == 1,
		  "one Flag, no GrowTVB");
	AGX_CHECK_EQ(info_rd(&t, AGXFW_F_BufferInfo__block_count), 3);
	/* 10 of 12 pages are held by the two scenes: 3 more do not fit. */
	t.r.pages = 3;
	mk_submit(&t.k, &t.vq, mk_build_render(&t.k, &t.vq, true, MK_USER_VA + 0x3000,
					      MK_USER_VA + 0x9000, 0x63, &vc), 1);
	df_run(&t.k.f);
	expect_grow(&t, df_combos[3].name, 1, ev);
	AGX_CHECK_EQ(mk_rd32(&t.k, t.vq.stamp_va), vb);
	mk_fini(&t.k);
}

/* Submit one RunVertex on a fresh device whose TVB @mangle broke. */
static void tvb_malformed(const char *name, void (*mangle)(struct mk *k), uint32_t want_tag,
			  uint32_t want_err, const char *want_log)
{
	struct tvb_run t;
	struct agxsim_gpu_hooks h = { .ctx = &t.r, .run_vertex = tvb_vertex,
				      .run_fragment = tvb_fragment };
	uint8_t ev[4][0x40];
	uint32_t firing[4], tags[4];
	unsigned int n;

	memset(&t, 0, sizeof(t));
	bringup_or_fail(&t.k, &df_combos[0]);
	agxsim_device_set_gpu_hooks(t.k.f.dev, &h);
	AGX_REQUIRE(mk_tvb_init(&t.k, 5, 2) == 0, "TVB");
	mangle(&t.k);
	mk_queue_init(&t.k, &t.vq, 0, 1, 20);
	t.r.pages = 1;
	mk_submit(&t.k, &t.vq, mk_build_render(&t.k, &t.vq, true, MK_USER_VA + 0x3000,
					      MK_USER_VA + 0x9000, 0x59, &t.vv), 1);
	df_run(&t.k.f);
	n = drain_events(&t.k, firing, tags, 4, ev);
	AGX_CHECK(n == 1 && tags[0] == want_tag, "%s: %u events, tag %u (want %u)", name, n,
		  tags[0], want_tag);
	if (want_tag == 8)
		AGX_CHECK_EQ(agxfw_get(t.k.l, ev[0], AGXFW_F_EventChannelErrorMsg__error_type),
			     want_err);
	AGX_CHECK_EQ(t.r.vcalls, 0);
	AGX_CHECK_EQ(mk_rd32(&t.k, t.vq.stamp_va), 0);
	AGX_CHECK(mk_log_contains(&t.k, want_log), "%s: log has \"%s\"", name, want_log);
	if (want_tag == 0) {
		uint64_t info, addr;

		read_fault_regs(&t.k, &info, &addr);
		AGX_CHECK(info & 1, "%s: fault latched", name);
		AGX_CHECK_EQ((info >> 9) & 0xff, 0xa1);   /* dPM */
	}
	AGX_CHECK_EQ(t.k.f.host.n_crashed, 0);
	mk_fini(&t.k);
}

static void bad_block_size(struct mk *k)
{
	agxfw_set(k->l, mk_ptr(k, k->tvb.info_va), AGXFW_F_BufferInfo__block_size, 0x10000);
}

static void bad_page_list_size(struct mk *k)
{
	agxfw_set(k->l, mk_ptr(k, k->tvb.info_va), AGXFW_F_BufferInfo__page_list_size, 12);
}

static void bad_page_entry(struct mk *k)
{
	k->tvb.page_list[5] = 0x1234;
}

static void wptr_above_max(struct mk *k)
{
	mk_wr32(k, k->tvb.block_ctl_va + agxfw_offsetof(k->l, AGXFW_F_BlockControl__wptr),
		MK_TVB_MAX_BLOCKS + 1);
}

static void unmapped_block(struct mk *k)
{
	/* A consistent list entry for a block nobody mapped. */
	uint32_t first = (uint32_t)(0x50000000ull >> 15);

	k->tvb.block_list[2] = first;
	for (unsigned int j = 0; j < 4; j++)
		k->tvb.page_list[4 + j] = first + j;
}

static void unmapped_lists(struct mk *k)
{
	agxfw_set(k->l, mk_ptr(k, k->tvb.info_va), AGXFW_F_BufferInfo__block_list, 0x60000000);
}

static void no_init_buffer(struct mk *k)
{
	k->tvb.rebind = false;
}

AGX_TEST(tvb_malformed_buffer_is_a_clean_error)
{
	tvb_malformed("block_size", bad_block_size, 8, 2, "block_size 0x10000");
	tvb_malformed("page_list_size", bad_page_list_size, 8, 2, "page_list_size 12");
	tvb_malformed("page entry", bad_page_entry, 8, 2, "page_list[5] = 0x1234");
	tvb_malformed("wptr", wptr_above_max, 8, 2, "above max_blocks");
	tvb_malformed("no InitBuffer", no_init_buffer, 8, 2, "never initialised");
	tvb_malformed("unmapped block", unmapped_block, 0, 0, "not GPU-writable");
	tvb_malformed("unmapped lists", unmapped_lists, 0, 0, "block_list[0]");
}

static uint64_t rng_state;
static uint32_t rnd(void);

#define TVB_RANDOM_CASES 40u   /* each is a full bring-up: keep the suite quick */

/* Random corruption of the TVB structures: the vertex job either completes
 * (possibly via GrowTVB) or ends in a ChannelError/Fault; never a crash. */
AGX_TEST(tvb_random_corruption_never_crashes)
{
	unsigned int done = 0, errors = 0, grows = 0;

	rng_state = 0x7b7b;
	for (unsigned int it = 0; it < TVB_RANDOM_CASES; it++) {
		struct tvb_run t;
		struct agxsim_gpu_hooks h = { .ctx = &t.r, .run_vertex = tvb_vertex,
					      .run_fragment = tvb_fragment };
		uint8_t ev[4][0x40];
		uint32_t firing[4], tags[4];
		unsigned int n;

		memset(&t, 0, sizeof(t));
		bringup_or_fail(&t.k, &df_combos[it % 5]);
		agxsim_device_set_gpu_hooks(t.k.f.dev, &h);
		AGX_REQUIRE(mk_tvb_init(&t.k, rnd() % 127, 1 + rnd() % 3) == 0, "TVB");
		/* flip one to three random words of BufferInfo, BlockControl or
		 * the lists */
		for (unsigned int j = 0, nj = 1 + rnd() % 3; j < nj; j++) {
			unsigned int where = rnd() % 3;
			uint32_t v = rnd() % 4 ? rnd() : rnd() % 8;

			if (where == 0)
				mk_wr32(&t.k, t.k.tvb.info_va + 4 * (rnd() % 36), v);
			else if (where == 1)
				mk_wr32(&t.k, t.k.tvb.block_ctl_va + 4 * (rnd() % 3), v);
			else
				t.k.tvb.page_list[rnd() % 16] = v;
		}
		mk_queue_init(&t.k, &t.vq, 0, 1, 20);
		t.r.pages = rnd() % 20;
		mk_submit(&t.k, &t.vq, mk_build_render(&t.k, &t.vq, true, MK_USER_VA + 0x3000,
						      MK_USER_VA + 0x9000, 0x70, &t.vv), 1);
		df_run(&t.k.f);
		n = drain_events(&t.k, firing, tags, 4, ev);
		if (n && tags[0] == 7) {
			grows++;
			mk_ack_grow_tvb(&t.k, ev[0], 0);
			df_run(&t.k.f);
			n = drain_events(&t.k, firing, tags, 4, ev);
		}
		if (mk_rd32(&t.k, t.vq.stamp_va) == t.vv)
			done++;
		else if (n && (tags[0] == 8 || tags[0] == 0))
			errors++;
		AGX_CHECK_EQ(t.k.f.host.n_crashed, 0);
		mk_fini(&t.k);
	}
	AGX_NOTE("%u corrupted TVBs: %u completed (%u after GrowTVB), %u error events",
		 TVB_RANDOM_CASES, done, grows, errors);
	AGX_CHECK(done + errors == TVB_RANDOM_CASES, "%u neither completed nor reported an error",
		  TVB_RANDOM_CASES - done - errors);
	AGX_CHECK(errors > 0 && done > 0, "both outcomes occur");
}

static void read_fault_regs(struct mk *k, uint64_t *info, uint64_t *addr)
{
	struct agxsim_device *d = k->f.dev;

	if (k->l->gen == AGXFW_GEN_G14X) {
		*info = agxsim_device_mmio_read32(d, AGXSIM_BANK_SGX, 0xd8c0) |
			(uint64_t)agxsim_device_mmio_read32(d, AGXSIM_BANK_SGX, 0xd8c4) << 32;
		*addr = (agxsim_device_mmio_read32(d, AGXSIM_BANK_SGX, 0xd8c8) |
			 (uint64_t)agxsim_device_mmio_read32(d, AGXSIM_BANK_SGX, 0xd8cc)
			 << 32) << 6;
	} else {
		*info = agxsim_device_mmio_read32(d, AGXSIM_BANK_SGX, 0x17030) |
			(uint64_t)agxsim_device_mmio_read32(d, AGXSIM_BANK_SGX, 0x17034) << 32;
		*addr = (*info >> 30) << 6;
	}
}

/* The kernel's recover(): halted = 0, resume = 1 (facts 6.2). */
static void kernel_recover(struct mk *k)
{
	mk_wr32(k, k->fwstatus_va + agxfw_offsetof(k->l, AGXFW_F_FwStatus__flags__halted), 0);
	mk_wr32(k, k->fwstatus_va + agxfw_offsetof(k->l, AGXFW_F_FwStatus__flags__resume), 1);
}

static bool pending_stamp_for(struct mk *k, uint32_t slot, uint32_t value)
{
	unsigned int shift = (k->l->fw_major * 100 + k->l->fw_minor) >= 1305 ? 4 : 3;

	for (unsigned int i = 0; i < 0x100; i++) {
		uint8_t *g = mk_ptr(k, k->globals_va);
		uint32_t info = (uint32_t)agxfw_get_idx(k->l, g,
			AGXFW_F_Globals__pending_stamps__info, i);
		uint32_t wv = (uint32_t)agxfw_get_idx(k->l, g,
			AGXFW_F_Globals__pending_stamps__wait_value, i);

		if ((info & 1) && ((info >> shift) & 0x7f) == slot && wv == value)
			return true;
	}
	return false;
}

static void fault_case(const struct df_combo *c, bool injected)
{
	struct mk k;
	struct mk_queue q;
	struct rec r = { 0 };
	uint32_t value, firing[4], tags[4];
	uint64_t info, addr;
	const uint64_t enc = MK_USER_VA + 0x2040;
	const uint64_t hole = 0x7000000ull;   /* unmapped in the user VM */

	bringup_or_fail(&k, c);
	install(&k, &r);
	mk_queue_init(&k, &q, 2, 2, 70);
	if (injected) {
		AGX_CHECK_EQ(agxsim_device_inject(k.f.dev, AGXSIM_INJECT_PAGE_FAULT), 0);
	} else {
		r.ret = -EFAULT;
		r.fault_va = hole;
	}
	mk_submit(&k, &q, mk_build_compute(&k, &q, enc, enc + 0x100, enc, 7, &value), 1);
	df_run(&k.f);

	AGX_CHECK(drain_events(&k, firing, tags, 4, NULL) == 1 && tags[0] == 0,
		  "%s: one Fault event (tag %u)", c->name, tags[0]);
	read_fault_regs(&k, &info, &addr);
	AGX_CHECK(info & 1, "%s: fault latched", c->name);
	AGX_CHECK_EQ((info >> 17) & 0x3f, MK_USER_SLOT);
	AGX_CHECK_EQ((info >> 9) & 0xff, 0xa2);         /* dCDM_KS0 */
	if (injected) {
		AGX_CHECK_EQ(addr, enc & ~63ull);
		AGX_CHECK_EQ(r.calls, 0);
	} else {
		AGX_CHECK_EQ(addr, hole);
		AGX_CHECK_EQ(r.calls, 1);
	}
	AGX_CHECK_EQ(mk_rd32(&k, k.fwstatus_va +
			     agxfw_offsetof(k.l, AGXFW_F_FwStatus__flags__halted)), 1);
	AGX_CHECK(mk_rd32(&k, k.fwstatus_va +
			  agxfw_offsetof(k.l, AGXFW_F_FwStatus__flags__halt_count)) >= 1,
		  "halt_count");
	AGX_CHECK(pending_stamp_for(&k, 70, value), "%s: pending stamp", c->name);
	AGX_CHECK_EQ(mk_rd32(&k, q.stamp_va), 0);
	/* A front end that sleeps between requests must keep polling. */
	AGX_CHECK(agxsim_device_needs_poll(k.f.dev), "%s: halted needs polling", c->name);

	/* Halted: nothing else runs until the kernel resumes the firmware. */
	r.ret = 0;
	mk_submit(&k, &q, mk_build_compute(&k, &q, enc, enc, enc, 8, &value), 1);
	df_run(&k.f);
	AGX_CHECK_EQ(r.calls, injected ? 0u : 1u);
	kernel_recover(&k);
	df_run(&k.f);
	AGX_CHECK_EQ(mk_rd32(&k, k.fwstatus_va +
			     agxfw_offsetof(k.l, AGXFW_F_FwStatus__flags__resume)), 0);
	AGX_CHECK_EQ(mk_rd32(&k, q.stamp_va), value);
	AGX_CHECK(!agxsim_device_needs_poll(k.f.dev), "%s: resumed", c->name);
	read_fault_regs(&k, &info, &addr);
	AGX_CHECK_EQ(info & 1, 0);
	AGX_CHECK_EQ(k.f.host.n_crashed, 0);
	mk_fini(&k);
}

AGX_TEST(injected_fault_latches_and_posts_fault)
{
	fault_case(&df_combos[0], true);
	fault_case(&df_combos[4], true);
}

AGX_TEST(gpu_hook_fault_posts_fault)
{
	fault_case(&df_combos[2], false);
	fault_case(&df_combos[4], false);
}

AGX_TEST(injected_timeout_posts_timeout)
{
	struct mk k;
	struct mk_queue q;
	struct rec r = { 0 };
	uint32_t value, tags[4];
	uint8_t keep[4][0x40];

	bringup_or_fail(&k, &df_combos[1]);
	install(&k, &r);
	mk_queue_init(&k, &q, 2, 3, 99);
	AGX_CHECK_EQ(agxsim_device_inject(k.f.dev, AGXSIM_INJECT_TIMEOUT), 0);
	mk_submit(&k, &q, mk_build_compute(&k, &q, MK_USER_VA, MK_USER_VA, MK_USER_VA,
					   1, &value), 1);
	df_run(&k.f);
	AGX_REQUIRE(drain_events(&k, NULL, tags, 4, keep) == 1, "one event");
	AGX_CHECK_EQ(tags[0], 4);
	AGX_CHECK_EQ((int32_t)agxfw_get(k.l, keep[0], AGXFW_F_EventTimeoutMsg__event_slot), 99);
	AGX_CHECK(pending_stamp_for(&k, 99, value), "pending stamp");
	AGX_CHECK_EQ(mk_rd32(&k, q.stamp_va), 0);
	AGX_CHECK_EQ(r.calls, 0);
	mk_fini(&k);
}

AGX_TEST(crash_calls_host_and_refuses_sends)
{
	struct mk k;
	unsigned int n;

	bringup_or_fail(&k, &df_combos[4]);
	n = k.f.host.n_msgs;
	AGX_CHECK_EQ(agxsim_device_inject(k.f.dev, AGXSIM_INJECT_FW_CRASH), 0);
	AGX_CHECK_EQ(k.f.host.n_crashed, 1);
	AGX_CHECK_EQ(mk_doorbell(&k, 0x10), -ENODEV);
	AGX_CHECK(!agxsim_device_run(k.f.dev), "no work after crash");
	AGX_CHECK_EQ(k.f.host.n_msgs, n);
	mk_fini(&k);
}

AGX_TEST(fwctl_completes_handoff_flush)
{
	struct mk k;
	volatile uint64_t *fl;
	uint8_t msg[0x20] = { 0 };
	uint32_t rptr;

	bringup_or_fail(&k, &df_combos[2]);
	/* Kernel: request a flush of the kernel range in entry 64. */
	fl = (volatile uint64_t *)((uint8_t *)df_host_ptr(&k.f, DF_HANDOFF_PA) +
				   0x20 + 64 * 0x18);
	fl[1] = MK_VA_PRIV;
	fl[2] = 0x8000;
	fl[0] = 1;
	agxfw_set(k.l, msg, AGXFW_F_FwCtlMsg__addr, MK_VA_PRIV);
	agxfw_set(k.l, msg, AGXFW_F_FwCtlMsg__slot, 64);
	agxfw_set(k.l, msg, AGXFW_F_FwCtlMsg__page_count, 2);
	agxfw_set(k.l, msg, AGXFW_F_FwCtlMsg__unk_12, 2);
	memcpy(mk_ptr(&k, k.fwctl.ring_va), msg, k.fwctl.msg_size);
	mk_wr32(&k, k.fwctl.state_va +
		agxfw_offsetof(k.l, AGXFW_F_FwCtlChannelState__write_ptr), 1);
	AGX_CHECK_EQ(agxsim_device_send(k.f.dev, 0x21, 0x84ull << 48), 0);
	df_run(&k.f);
	rptr = mk_rd32(&k, k.fwctl.state_va +
		       agxfw_offsetof(k.l, AGXFW_F_FwCtlChannelState__read_ptr));
	AGX_CHECK_EQ(rptr, 1);
	AGX_CHECK_EQ(fl[0], 2);
	mk_fini(&k);
}

AGX_TEST(fwlog_lines_reach_the_kernel)
{
	struct mk k;
	char text[256];
	bool seen = false;

	bringup_or_fail(&k, &df_combos[0]);
	/* Info level (sub-ring 1) carries the bring-up line. */
	while (mk_next_log(&k, 1, text, sizeof(text)))
		seen |= strstr(text, "initialised") != NULL;
	AGX_CHECK(seen, "info line");
	/* A warning goes to sub-ring 3: an unknown DeviceControl tag. */
	{
		uint8_t msg[0x80] = { 0 };

		agxfw_set(k.l, msg, AGXFW_F_DeviceControlMsg__tag, 0x3f);
		memcpy(mk_ptr(&k, k.devctrl.ring_va + (uint64_t)k.devctrl.wptr *
			      k.devctrl.msg_size), msg, k.devctrl.msg_size);
		k.devctrl.wptr++;
		mk_wr32(&k, k.devctrl.state_va +
			agxfw_offsetof(k.l, AGXFW_F_ChannelState__write_ptr), k.devctrl.wptr);
		mk_doorbell(&k, 0x11);
		df_run(&k.f);
	}
	seen = false;
	while (mk_next_log(&k, 3, text, sizeof(text)))
		seen |= strstr(text, "0x3f") != NULL;
	AGX_CHECK(seen, "warning line");
	AGX_CHECK_EQ(k.f.host.n_crashed, 0);
	mk_fini(&k);
}

AGX_TEST(firmware_own_mapping_must_survive)
{
	struct mk k;
	uint64_t *top;
	struct mk_queue q;
	uint32_t value;

	AGX_REQUIRE(mk_init_big_pt(&k, &df_combos[2], 4 * DF_PAGE_B) == 0, "init");
	AGX_REQUIRE(mk_bringup(&k) == 0, "bring-up");
	AGX_REQUIRE(k.f.host.n_crashed == 0, "%s", k.f.host.crash_reason);
	/* The kernel's own range coexists with the firmware's entry. */
	mk_queue_init(&k, &q, 2, 0, 1);
	mk_submit(&k, &q, mk_build_compute(&k, &q, MK_USER_VA, MK_USER_VA, MK_USER_VA,
					   1, &value), 1);
	df_run(&k.f);
	AGX_CHECK_EQ(mk_rd32(&k, q.stamp_va), value);
	/* A kernel that wipes the whole top table kills the firmware. */
	top = df_host_ptr(&k.f, DF_BIG_PT_PA);
	top[0] = 0;
	agxsim_device_tlb_invalidate(k.f.dev, AGXSIM_TLBI_ALL, 0, 0, 0);
	mk_doorbell(&k, 0x10);
	df_run(&k.f);
	AGX_CHECK_EQ(k.f.host.n_crashed, 1);
	AGX_CHECK(strstr(k.f.host.crash_reason, "own mapping") != NULL, "%s",
		  k.f.host.crash_reason);
	mk_fini(&k);
}

AGX_TEST(bad_initdata_pointer_crashes_firmware)
{
	struct mk k;

	AGX_REQUIRE(mk_init(&k, &df_combos[2]) == 0, "init");
	mk_build_initdata(&k);
	AGX_REQUIRE(mk_start(&k) == 0, "start");
	mk_send_init(&k, 0xffffffa5dead0000ull);   /* nothing mapped there */
	AGX_CHECK_EQ(k.f.host.n_crashed, 1);
	AGX_CHECK(strstr(k.f.host.crash_reason, "InitData") != NULL, "%s",
		  k.f.host.crash_reason);
	AGX_CHECK_EQ(mk_doorbell(&k, 0x10), -ENODEV);
	mk_fini(&k);
}

AGX_TEST(bad_ring_pointer_crashes_firmware)
{
	struct mk k;

	bringup_or_fail(&k, &df_combos[3]);
	mk_wr32(&k, k.devctrl.state_va +
		agxfw_offsetof(k.l, AGXFW_F_ChannelState__write_ptr), 0x1234);
	mk_doorbell(&k, 0x11);
	df_run(&k.f);
	AGX_CHECK_EQ(k.f.host.n_crashed, 1);
	AGX_CHECK(strstr(k.f.host.crash_reason, "out of range") != NULL, "%s",
		  k.f.host.crash_reason);
	mk_fini(&k);
}

AGX_TEST(unknown_command_tag_channel_error_then_recover)
{
	struct mk k;
	struct mk_queue q;
	uint32_t value, tags[4], firing[4];
	uint8_t keep[4][0x40], dc[0x80] = { 0 };
	uint64_t junk;

	bringup_or_fail(&k, &df_combos[4]);
	mk_queue_init(&k, &q, 2, 0, 12);
	junk = mk_alloc(&k, MK_GPU_RO, 0x40);
	mk_wr32(&k, junk, 0x77);                   /* no such command */
	mk_submit(&k, &q, junk, 0);
	mk_submit(&k, &q, mk_build_compute(&k, &q, MK_USER_VA, MK_USER_VA, MK_USER_VA,
					   1, &value), 1);
	df_run(&k.f);
	AGX_REQUIRE(drain_events(&k, NULL, tags, 4, keep) == 1, "one event");
	AGX_CHECK_EQ(tags[0], 8);
	AGX_CHECK_EQ(agxfw_get(k.l, keep[0], AGXFW_F_EventChannelErrorMsg__pipe_type), 2);
	AGX_CHECK_EQ(agxfw_get(k.l, keep[0], AGXFW_F_EventChannelErrorMsg__event_slot), 12);
	AGX_CHECK_EQ(mk_rd32(&k, q.stamp_va), 0);     /* queue stopped */
	AGX_CHECK_EQ(k.f.host.n_crashed, 0);

	/* Kernel: RecoverChannel{pipe, work_queue, value} (facts 6.2). */
	agxfw_set(k.l, dc, AGXFW_F_DcRecoverChannel__tag,
		  agxfw_const_get(k.l, AGXFW_C_DC_RECOVER_CHANNEL));
	agxfw_set(k.l, dc, AGXFW_F_DcRecoverChannel__pipe_type, 2);
	agxfw_set(k.l, dc, AGXFW_F_DcRecoverChannel__work_queue, q.info_va);
	memcpy(mk_ptr(&k, k.devctrl.ring_va + (uint64_t)k.devctrl.wptr *
		      k.devctrl.msg_size), dc, k.devctrl.msg_size);
	k.devctrl.wptr++;
	mk_wr32(&k, k.devctrl.state_va +
		agxfw_offsetof(k.l, AGXFW_F_ChannelState__write_ptr), k.devctrl.wptr);
	mk_doorbell(&k, 0x11);
	mk_doorbell(&k, 0x10);
	df_run(&k.f);
	AGX_CHECK_EQ(mk_rd32(&k, q.stamp_va), value);
	AGX_CHECK(drain_events(&k, firing, tags, 4, NULL) == 1 && firing[0] == 1u << 12,
		  "flag after recovery");
	mk_fini(&k);
}

AGX_TEST(queue_ring_pointer_out_of_range_channel_error)
{
	struct mk k;
	struct mk_queue q;
	uint32_t tags[4];
	uint8_t keep[4][0x40];
	uint32_t value;

	bringup_or_fail(&k, &df_combos[0]);
	mk_queue_init(&k, &q, 2, 0, 2);
	mk_submit(&k, &q, mk_build_compute(&k, &q, MK_USER_VA, MK_USER_VA, MK_USER_VA,
					   1, &value), 1);
	/* Corrupt cpu_wptr beyond rb_size before the firmware runs. */
	mk_wr32(&k, q.state_va + agxfw_offsetof(k.l, AGXFW_F_RingState__cpu_wptr), 5000);
	df_run(&k.f);
	AGX_REQUIRE(drain_events(&k, NULL, tags, 4, keep) == 1, "one event");
	AGX_CHECK_EQ(tags[0], 8);
	AGX_CHECK_EQ(agxfw_get(k.l, keep[0], AGXFW_F_EventChannelErrorMsg__error_type), 2);
	AGX_CHECK_EQ(k.f.host.n_crashed, 0);
	mk_fini(&k);
}

/* DeviceControl through the kernel's ring, then its doorbell. */
static void send_devctrl(struct mk *k, const uint8_t *dc)
{
	memcpy(mk_ptr(k, k->devctrl.ring_va + (uint64_t)k->devctrl.wptr *
		      k->devctrl.msg_size), dc, k->devctrl.msg_size);
	k->devctrl.wptr++;
	mk_wr32(k, k->devctrl.state_va +
		agxfw_offsetof(k->l, AGXFW_F_ChannelState__write_ptr), k->devctrl.wptr);
	mk_doorbell(k, 0x11);
}

/*
 * A Run* command that fails with a ChannelError is retired by
 * RecoverChannel (ASSUMPTIONS.md FW23): its stamp and notification let
 * another queue's Barrier on it and the notifier move on.
 */
AGX_TEST(channel_error_recover_retires_failed_command)
{
	struct mk k;
	struct mk_queue qa, qb;
	uint32_t va, vb, tags[4], firing[4];
	uint8_t keep[4][0x40], dc[0x80] = { 0 };
	uint64_t cmd;

	bringup_or_fail(&k, &df_combos[1]);
	mk_queue_init(&k, &qa, 2, 0, 20);
	mk_queue_init(&k, &qb, 2, 0, 21);
	cmd = mk_build_compute(&k, &qa, MK_USER_VA, MK_USER_VA, MK_USER_VA, 1, &va);
	agxfw_set(k.l, mk_ptr(&k, cmd), AGXFW_F_RunCompute__microsequence_size, 0);
	mk_submit(&k, &qa, cmd, 1);
	mk_submit(&k, &qb, mk_build_barrier(&k, qa.stamp_va, va, 20), 0);
	mk_submit(&k, &qb, mk_build_compute(&k, &qb, MK_USER_VA, MK_USER_VA, MK_USER_VA,
					    2, &vb), 1);
	df_run(&k.f);
	AGX_REQUIRE(drain_events(&k, NULL, tags, 4, keep) == 1, "one event");
	AGX_CHECK_EQ(tags[0], 8);
	AGX_CHECK_EQ(agxfw_get(k.l, keep[0], AGXFW_F_EventChannelErrorMsg__error_type), 2);
	AGX_CHECK_EQ(agxfw_get(k.l, keep[0], AGXFW_F_EventChannelErrorMsg__event_slot), 20);
	AGX_CHECK_EQ(agxfw_get(k.l, keep[0], AGXFW_F_EventChannelErrorMsg__event_value), va);
	AGX_CHECK_EQ(mk_rd32(&k, qa.stamp_va), 0);
	AGX_CHECK_EQ(mk_rd32(&k, qb.stamp_va), 0);     /* Barrier waits */

	agxfw_set(k.l, dc, AGXFW_F_DcRecoverChannel__tag,
		  agxfw_const_get(k.l, AGXFW_C_DC_RECOVER_CHANNEL));
	agxfw_set(k.l, dc, AGXFW_F_DcRecoverChannel__pipe_type, 2);
	agxfw_set(k.l, dc, AGXFW_F_DcRecoverChannel__work_queue, qa.info_va);
	agxfw_set(k.l, dc, AGXFW_F_DcRecoverChannel__event_value, va);
	send_devctrl(&k, dc);
	df_run(&k.f);
	AGX_CHECK_EQ(mk_rd32(&k, qa.stamp_va), va);    /* retired, not run */
	AGX_CHECK_EQ(mk_rd32(&k, qb.stamp_va), vb);    /* the Barrier passed */
	AGX_CHECK(drain_events(&k, firing, tags, 4, NULL) >= 1 &&
		  firing[0] == (1u << 20 | 1u << 21), "both slots fire (0x%x)", firing[0]);
	AGX_CHECK_EQ(k.f.host.n_crashed, 0);
	mk_fini(&k);
}

/*
 * DestroyContext drops the context's work queues (FW24): the kernel frees
 * their memory next, so whatever it then holds is never read (no bogus
 * ChannelError, no command run).
 */
AGX_TEST(destroy_context_drops_work_queues)
{
	struct mk k;
	struct mk_queue q, other;
	uint32_t value, ov, tags[4];
	uint8_t dc[0x80] = { 0 };
	uint64_t gate;

	bringup_or_fail(&k, &df_combos[0]);
	mk_queue_init(&k, &q, 2, 0, 30);
	mk_queue_init(&k, &other, 2, 0, 31);
	AGX_REQUIRE(q.context_va != other.context_va, "separate contexts");
	gate = mk_alloc(&k, MK_SHARED, 0x80);
	mk_submit(&k, &q, mk_build_barrier(&k, gate, 0x100, 31), 0);
	mk_submit(&k, &q, mk_build_compute(&k, &q, MK_USER_VA, MK_USER_VA, MK_USER_VA,
					   1, &value), 1);
	df_run(&k.f);
	AGX_CHECK_EQ(drain_events(&k, NULL, tags, 4, NULL), 0);

	agxfw_set(k.l, dc, AGXFW_F_DcDestroyContext__tag,
		  agxfw_const_get(k.l, AGXFW_C_DC_DESTROY_CONTEXT));
	agxfw_set(k.l, dc, AGXFW_F_DcDestroyContext__gpu_context, q.context_va);
	send_devctrl(&k, dc);
	df_run(&k.f);
	AGX_CHECK(mk_log_contains(&k, "1 work queues dropped"), "DestroyContext logged");

	/* The gate opens and the "freed" ring is scribbled on: nothing runs. */
	mk_wr32(&k, gate, 0x100);
	mk_wr32(&k, q.state_va + agxfw_offsetof(k.l, AGXFW_F_RingState__cpu_wptr), 5000);
	mk_doorbell(&k, 0x10);
	df_run(&k.f);
	AGX_CHECK_EQ(mk_rd32(&k, q.stamp_va), 0);
	AGX_CHECK_EQ(drain_events(&k, NULL, tags, 4, NULL), 0);

	/* Other contexts' queues are untouched. */
	mk_submit(&k, &other, mk_build_compute(&k, &other, MK_USER_VA, MK_USER_VA,
					       MK_USER_VA, 2, &ov), 1);
	df_run(&k.f);
	AGX_CHECK_EQ(mk_rd32(&k, other.stamp_va), ov);
	AGX_CHECK_EQ(k.f.host.n_crashed, 0);
	mk_fini(&k);
}

AGX_TEST(unmapped_command_pointer_memory_error)
{
	struct mk k;
	struct mk_queue q;
	uint32_t tags[4];
	uint8_t keep[4][0x40];

	bringup_or_fail(&k, &df_combos[2]);
	mk_queue_init(&k, &q, 2, 0, 4);
	mk_submit(&k, &q, 0xffffffa6f0000000ull, 0);   /* not mapped */
	df_run(&k.f);
	AGX_REQUIRE(drain_events(&k, NULL, tags, 4, keep) == 1, "one event");
	AGX_CHECK_EQ(tags[0], 8);
	AGX_CHECK_EQ(agxfw_get(k.l, keep[0], AGXFW_F_EventChannelErrorMsg__error_type), 0);
	AGX_CHECK_EQ(k.f.host.n_crashed, 0);
	mk_fini(&k);
}

/* ---- robustness: malformed input never crashes the simulator ---------- */

static uint64_t rng_state;

static uint32_t rnd(void)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rng_state >> 33);
}

static void rnd_fill(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)rnd();
}

AGX_TEST(garbage_input_never_crashes_the_simulator)
{
	struct mk k;
	bool live = false;
	unsigned int fw_crashes = 0, events = 0;
	static const uint32_t ops[] = { 0x01, 0x02, 0x18, 0x19, 0x22, 0x23, 0x24,
					0x25, 0x29, 0x2a, 0x00, 0xff };

	rng_state = 0x5eed;
	for (unsigned int it = 0; it < 400; it++) {
		struct mk_queue q;
		uint32_t tags[8];
		unsigned int action = rnd() % 6;

		if (live && (k.f.host.n_crashed || k.heap[MK_PRIV].used_B > (1u << 20) ||
			     k.heap[MK_GPU_RO].used_B > (256u << 10))) {
			fw_crashes += k.f.host.n_crashed;
			mk_fini(&k);
			live = false;
		}
		if (!live) {
			AGX_REQUIRE(mk_init(&k, &df_combos[it % 5]) == 0, "init");
			AGX_REQUIRE(mk_bringup(&k) == 0, "bring-up");
			live = true;
		}
		mk_queue_init(&k, &q, rnd() % 3, rnd() % 4, rnd() % 128);
		if (action <= 1) {
			/* A command with a plausible tag and a garbage body, and a
			 * microsequence of real opcodes with garbage operands. */
			uint64_t cmd = mk_alloc(&k, MK_GPU_RO, 0x900);
			uint64_t ms = mk_alloc(&k, MK_PRIV, 0x400);
			uint8_t *c = mk_ptr(&k, cmd), *m = mk_ptr(&k, ms);
			uint32_t tag = rnd() % 8, off = 0;

			rnd_fill(c, 0x900);
			rnd_fill(m, 0x400);
			while (off + 4 <= 0x400) {
				uint32_t op = ops[rnd() % 12];

				memcpy(m + off, &op, 4);
				off += 4 * (1 + rnd() % 64);
			}
			memcpy(c, &tag, 4);
			if (tag == 3)
				agxfw_set(k.l, c, AGXFW_F_RunCompute__microsequence, ms);
			else if (tag == 0)
				agxfw_set(k.l, c, AGXFW_F_RunVertex__microsequence, ms);
			else if (tag == 1)
				agxfw_set(k.l, c, AGXFW_F_RunFragment__microsequence, ms);
			if (rnd() % 2)
				agxfw_set(k.l, c, AGXFW_F_RunCompute__vm_slot, MK_USER_SLOT);
			mk_submit(&k, &q, cmd, rnd() % 3);
		} else if (action == 2) {
			/* A pipe message pointing at garbage. */
			uint8_t msg[0x80];
			struct mk_ring *r = &k.pipes[rnd() % 4][rnd() % 3];

			rnd_fill(msg, sizeof(msg));
			if (rnd() % 2)
				agxfw_set(k.l, msg, AGXFW_F_RunWorkQueueMsg__work_queue,
					  mk_alloc(&k, MK_PRIV, 0x100));
			memcpy(mk_ptr(&k, r->ring_va + (uint64_t)r->wptr * r->msg_size), msg,
			       r->msg_size);
			r->wptr = (r->wptr + 1) % r->count;
			mk_wr32(&k, r->state_va +
				agxfw_offsetof(k.l, AGXFW_F_ChannelState__write_ptr), r->wptr);
			mk_doorbell(&k, rnd() % 0x14);
		} else if (action == 3) {
			/* A DeviceControl message with a random tag and payload. */
			uint8_t msg[0x80];

			rnd_fill(msg, sizeof(msg));
			agxfw_set(k.l, msg, AGXFW_F_DeviceControlMsg__tag, rnd() % 0x30);
			memcpy(mk_ptr(&k, k.devctrl.ring_va + (uint64_t)k.devctrl.wptr *
				      k.devctrl.msg_size), msg, k.devctrl.msg_size);
			k.devctrl.wptr = (k.devctrl.wptr + 1) % k.devctrl.count;
			mk_wr32(&k, k.devctrl.state_va +
				agxfw_offsetof(k.l, AGXFW_F_ChannelState__write_ptr),
				k.devctrl.wptr);
			mk_doorbell(&k, 0x11);
		} else if (action == 4) {
			/* Random mailbox traffic and MMIO. */
			uint64_t m = (uint64_t)rnd() << 32 | rnd();

			agxsim_device_send(k.f.dev, 0x20 + rnd() % 3, m);
			agxsim_device_mmio_write32(k.f.dev, rnd() % 2, rnd() % 0x1000000 & ~3u,
						   rnd());
			agxsim_device_mmio_read32(k.f.dev, rnd() % 2, rnd());
			agxsim_device_tlb_invalidate(k.f.dev, rnd() % 3, rnd() % 64,
						     (uint64_t)rnd() << 14, rnd());
		} else {
			/* Inject something, or let the kernel recover a halt. */
			if (rnd() % 3 == 0)
				agxsim_device_inject(k.f.dev, 1 + rnd() % 2);
			kernel_recover(&k);
			mk_doorbell(&k, 0x10);
		}
		df_run(&k.f);
		events += drain_events(&k, NULL, tags, 8, NULL);
	}
	if (live) {
		fw_crashes += k.f.host.n_crashed;
		mk_fini(&k);
	}
	AGX_NOTE("400 rounds: %u firmware crashes, %u events", fw_crashes, events);
	AGX_CHECK(events > 0, "the firmware reported something");
}

AGX_TEST(garbage_initdata_is_a_firmware_error_not_a_simulator_crash)
{
	unsigned int crashes = 0;

	rng_state = 0xfeed;
	for (unsigned int it = 0; it < 40; it++) {
		struct mk k;
		uint8_t *id;
		unsigned int what = rnd() % 3;

		AGX_REQUIRE(mk_init(&k, &df_combos[it % 5]) == 0, "init");
		mk_build_initdata(&k);
		id = mk_ptr(&k, k.initdata_va);
		if (what == 0) {
			/* Random InitData. */
			rnd_fill(id, agxfw_sizeof(k.l, AGXFW_S_InitData));
		} else if (what == 1) {
			/* Random RuntimePointers, some pointers kept. */
			uint8_t *rp = mk_ptr(&k, k.rtptrs_va);
			uint32_t n = agxfw_sizeof(k.l, AGXFW_S_RuntimePointers);

			for (uint32_t i = 0; i < 64; i++)
				rp[rnd() % n] = (uint8_t)rnd();
		} else {
			/* Ring state pointers out of range. */
			mk_wr32(&k, k.event.state_va +
				agxfw_offsetof(k.l, AGXFW_F_ChannelState__write_ptr), rnd());
			mk_wr32(&k, k.devctrl.state_va +
				agxfw_offsetof(k.l, AGXFW_F_ChannelState__read_ptr), rnd());
		}
		AGX_REQUIRE(mk_start(&k) == 0, "start");
		mk_send_init(&k, k.initdata_va);
		mk_doorbell(&k, 0x10);
		df_run(&k.f);
		crashes += k.f.host.n_crashed;
		AGX_CHECK(k.f.host.n_crashed <= 1, "crashed() at most once");
		mk_fini(&k);
	}
	AGX_NOTE("40 malformed bring-ups: %u firmware crashes", crashes);
	AGX_CHECK(crashes > 0, "malformed InitData is noticed");
}

AGX_TEST_MAIN()
