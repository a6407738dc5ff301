/* SPDX-License-Identifier: MIT */
/*
 * The direct API at the ioctl level: parameters, argument validation
 * (sizes, MBZ fields, alignment, ranges, ids), GEM memory, and the page
 * tables VM_BIND writes, checked by walking them with the UAT model.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "agx_test.h"
#include "agxsim/direct.h"
#include "agxsim/physmem.h"
#include "agxsim/uat.h"
#include "direct_fixture.h"
#include "pt_builder.h"

static struct dx x;

#define RW (DRM_ASAHI_BIND_READ | DRM_ASAHI_BIND_WRITE)

AGX_TEST(get_params_g13g)
{
	struct drm_asahi_params_global p;
	struct drm_asahi_get_params gp = { .pointer = (uintptr_t)&p, .size = sizeof(p) };

	dx_init(&x, 0);
	memset(&p, 0xff, sizeof(p));
	AGX_REQUIRE(dx_ioctl(&x, DRM_IOCTL_ASAHI_GET_PARAMS, &gp) == 0, "");
	AGX_CHECK_EQ(p.gpu_generation, 13u);
	AGX_CHECK_EQ(p.gpu_variant, 'G');
	AGX_CHECK_EQ(p.chip_id, 0x8103u);
	AGX_CHECK_EQ(p.num_clusters_total, 1u);
	AGX_CHECK_EQ(p.core_masks[0], 0xffu);
	AGX_CHECK_EQ(p.core_masks[1], 0u);
	AGX_CHECK(p.vm_start < DX_USC_BASE && p.vm_end > DX_KERNEL_HI, "");
	AGX_CHECK(p.max_commands_per_submission >= 1, "");

	/* A shorter structure gets only its prefix. */
	memset(&p, 0xee, sizeof(p));
	gp.size = 8;
	AGX_REQUIRE(dx_ioctl(&x, DRM_IOCTL_ASAHI_GET_PARAMS, &gp) == 0, "");
	AGX_CHECK_EQ(p.features, 0u);
	AGX_CHECK_EQ(p.gpu_generation, 0xeeeeeeeeu);

	gp.param_group = 1;
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_ASAHI_GET_PARAMS, &gp), -EINVAL);
	gp.param_group = 0;
	gp.pad = 1;
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_ASAHI_GET_PARAMS, &gp), -EINVAL);

	struct drm_asahi_get_time t = { .flags = 1 };
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_ASAHI_GET_TIME, &t), -EINVAL);
	t.flags = 0;
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_ASAHI_GET_TIME, &t), 0);
	AGX_CHECK(t.gpu_timestamp > 0, "");
	AGX_CHECK_EQ(dx_ioctl(&x, 0x12345678, &t), -ENOTTY);
	dx_fini(&x);
}

AGX_TEST(vm_create_validation)
{
	dx_init(&x, 0);
	struct drm_asahi_vm_create bad[] = {
		{ .kernel_start = DX_KERNEL_LO, .kernel_end = DX_KERNEL_LO + 0x4000 }, /* small */
		{ .kernel_start = DX_KERNEL_HI, .kernel_end = DX_KERNEL_LO },          /* reversed */
		{ .kernel_start = 0, .kernel_end = 0x20000000 },                      /* below start */
		{ .kernel_start = 0x7fe0000000ull, .kernel_end = 0x8000000000ull },   /* past end */
		{ .kernel_start = DX_KERNEL_LO + 8, .kernel_end = DX_KERNEL_HI + 8 },  /* unaligned */
		{ .kernel_start = DX_KERNEL_LO, .kernel_end = DX_KERNEL_HI, .pad = 1 },
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		AGX_CHECK(dx_ioctl(&x, DRM_IOCTL_ASAHI_VM_CREATE, &bad[i]) == -EINVAL, "case %u", i);

	struct drm_asahi_vm_destroy vd = { .vm_id = 55 };
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_ASAHI_VM_DESTROY, &vd), -ENOENT);
	vd.vm_id = x.vm;
	vd.pad = 1;
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_ASAHI_VM_DESTROY, &vd), -EINVAL);

	/* The TTBAT entry of the VM's slot: valid, a table, the ASID. */
	uint64_t ttb = 0;
	struct agxsim_physmem *pm = agxsim_direct_physmem(x.d);
	AGX_REQUIRE(agxsim_physmem_read64(pm, pm->regions[0].pa + x.vm * 16, &ttb) == 0, "");
	AGX_CHECK(ttb & 1, "%llx", (unsigned long long)ttb);
	AGX_CHECK_EQ(ttb >> 48, x.vm);
	AGX_CHECK(agxsim_physmem_valid(pm, ttb & 0x0000fffffffffffeull, 0x4000), "");
	/* Exactly what the memory tests' independent builder writes. */
	AGX_CHECK_EQ(ttb, ptb_ttb_value(ttb & 0x0000fffffffffffeull, x.vm));

	vd.pad = 0;
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_ASAHI_VM_DESTROY, &vd), 0);
	AGX_REQUIRE(agxsim_physmem_read64(pm, pm->regions[0].pa + x.vm * 16, &ttb) == 0, "");
	AGX_CHECK_EQ(ttb, 0u);
	/* Its queue went with it. */
	struct drm_asahi_queue_destroy qd = { .queue_id = x.queue };
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_ASAHI_QUEUE_DESTROY, &qd), -ENOENT);
	dx_fini(&x);
}

AGX_TEST(gem_create_and_mmap)
{
	dx_init(&x, 0);
	struct drm_asahi_gem_create bad[] = {
		{ .size = 0 },
		{ .size = 4096, .flags = 1u << 5 },
		{ .size = 4096, .pad = 1 },
		{ .size = 4096, .vm_id = 1 },   /* vm_id without VM_PRIVATE */
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		AGX_CHECK(dx_ioctl(&x, DRM_IOCTL_ASAHI_GEM_CREATE, &bad[i]) == -EINVAL, "case %u", i);
	struct drm_asahi_gem_create priv = { .size = 4096, .flags = DRM_ASAHI_GEM_VM_PRIVATE,
					     .vm_id = 40 };
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_ASAHI_GEM_CREATE, &priv), -ENOENT);

	struct drm_asahi_gem_create gc = { .size = 5000, .flags = DRM_ASAHI_GEM_WRITEBACK };
	AGX_REQUIRE(dx_ioctl(&x, DRM_IOCTL_ASAHI_GEM_CREATE, &gc) == 0, "");
	uint64_t size = 0;
	uint8_t *p = agxsim_direct_gem_ptr(x.d, gc.handle, &size);
	AGX_REQUIRE(p, "");
	AGX_CHECK_EQ(size, 0x4000u);
	for (unsigned i = 0; i < size; i++)
		AGX_CHECK(p[i] == 0, "byte %u", i);

	struct drm_asahi_gem_mmap_offset mo = { .handle = gc.handle, .flags = 1 };
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET, &mo), -EINVAL);
	mo.flags = 0;
	mo.handle = 999;
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET, &mo), -ENOENT);
	mo.handle = gc.handle;
	AGX_REQUIRE(dx_ioctl(&x, DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET, &mo) == 0, "");
	uint8_t *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
			  agxsim_direct_memfd(x.d), (off_t)mo.offset);
	AGX_REQUIRE(m != MAP_FAILED, "");
	m[100] = 0x5a;
	AGX_CHECK_EQ(p[100], 0x5a);
	munmap(m, size);

	struct drm_gem_close cl = { .handle = gc.handle, .pad = 1 };
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_GEM_CLOSE, &cl), -EINVAL);
	cl.pad = 0;
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_GEM_CLOSE, &cl), 0);
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_GEM_CLOSE, &cl), -ENOENT);
	dx_fini(&x);
}

static int walk(uint64_t va, struct agxsim_uat_walk *w)
{
	return agxsim_uat_walk(agxsim_direct_uat(x.d), x.vm, va, w);
}

static uint64_t gem_pa(uint32_t h)
{
	struct agxsim_physmem *pm = agxsim_direct_physmem(x.d);
	uint8_t *p = agxsim_direct_gem_ptr(x.d, h, NULL);
	return pm->regions[0].pa + (uint64_t)(p - (uint8_t *)pm->regions[0].host);
}

AGX_TEST(vm_bind_writes_page_tables)
{
	struct agxsim_uat_walk w;
	uint32_t h;

	dx_init(&x, 0);
	h = dx_bo(&x, 0x10000);
	uint64_t pa = gem_pa(h);

	AGX_REQUIRE(dx_bind(&x, h, 0x4000, 0x8000, 0x500000000ull, RW) == 0, "");
	AGX_REQUIRE(walk(0x500000000ull + 0x123, &w) == 0, "walk");
	AGX_CHECK_EQ(w.pa, pa + 0x4000 + 0x123);
	AGX_CHECK_EQ(agxsim_uat_pte_perms(w.pte, AGXSIM_AGENT_GPU), AGXSIM_PERM_RW);
	AGX_CHECK_EQ(w.pte, ptb_leaf_value(pa + 0x4000, PTB_PROT_GPU_SHARED_RW, true));
	AGX_REQUIRE(walk(0x500004000ull, &w) == 0, "");
	AGX_CHECK_EQ(w.pa, pa + 0x8000);
	AGX_CHECK(walk(0x500008000ull, &w) != 0, "past the range");

	/* Read-only and write-only mappings. */
	AGX_REQUIRE(dx_bind(&x, h, 0, 0x4000, 0x510000000ull, DRM_ASAHI_BIND_READ) == 0, "");
	AGX_REQUIRE(walk(0x510000000ull, &w) == 0, "");
	AGX_CHECK_EQ(agxsim_uat_pte_perms(w.pte, AGXSIM_AGENT_GPU), AGXSIM_PERM_R);
	AGX_CHECK_EQ(w.pte, ptb_leaf_value(pa, PTB_PROT_GPU_SHARED_RO, true));
	AGX_REQUIRE(dx_bind(&x, h, 0, 0x4000, 0x510000000ull, DRM_ASAHI_BIND_WRITE) == 0, "");
	AGX_REQUIRE(walk(0x510000000ull, &w) == 0, "");
	AGX_CHECK_EQ(agxsim_uat_pte_perms(w.pte, AGXSIM_AGENT_GPU), AGXSIM_PERM_W);
	AGX_CHECK_EQ(w.pte, ptb_leaf_value(pa, PTB_PROT_GPU_SHARED_WO, true));

	/* SINGLE_PAGE repeats one page. */
	AGX_REQUIRE(dx_bind(&x, h, 0xc000, 0x40000, 0x520000000ull,
			    RW | DRM_ASAHI_BIND_SINGLE_PAGE) == 0, "");
	for (uint64_t off = 0; off < 0x40000; off += 0x4000) {
		AGX_REQUIRE(walk(0x520000000ull + off, &w) == 0, "");
		AGX_CHECK_EQ(w.pa, pa + 0xc000);
	}

	/* The GPU sees what the CPU wrote, through the tables. */
	uint32_t *cpu = agxsim_direct_gem_ptr(x.d, h, NULL);
	cpu[0x4000 / 4] = 0x11223344;
	struct agxsim_fault f;
	uint32_t v = 0;
	AGX_REQUIRE(agxsim_uat_read(agxsim_direct_uat(x.d), x.vm, 0x500000000ull, &v, 4,
				    AGXSIM_AGENT_GPU, 1, &f) == 0, "");
	AGX_CHECK_EQ(v, 0x11223344u);

	/* Unbind: gone, and the TLB was invalidated (no stale hit). */
	AGX_REQUIRE(dx_bind(&x, 0, 0, 0x8000, 0x500000000ull, DRM_ASAHI_BIND_UNBIND) == 0, "");
	AGX_CHECK(walk(0x500000000ull, &w) != 0, "unbound");
	AGX_CHECK_EQ(agxsim_uat_read(agxsim_direct_uat(x.d), x.vm, 0x500000000ull, &v, 4,
				     AGXSIM_AGENT_GPU, 1, &f), -EFAULT);
	struct agxsim_uat_stats st;
	agxsim_uat_get_stats(agxsim_direct_uat(x.d), &st);
	AGX_CHECK_EQ(st.stale_hits, 0u);

	/* Closing the object unbinds it everywhere. */
	struct drm_gem_close cl = { .handle = h };
	AGX_REQUIRE(dx_ioctl(&x, DRM_IOCTL_GEM_CLOSE, &cl) == 0, "");
	AGX_CHECK(walk(0x520000000ull, &w) != 0, "closed");
	AGX_CHECK(walk(0x510000000ull, &w) != 0, "closed");
	dx_fini(&x);
}

AGX_TEST(vm_bind_validation)
{
	uint32_t h;
	struct drm_asahi_gem_bind_op op;
	struct drm_asahi_vm_bind vb;

	dx_init(&x, 0);
	h = dx_bo(&x, 0x8000);
#define OP(f, hh, off, rng, va) \
	(op = (struct drm_asahi_gem_bind_op){ .flags = (f), .handle = (hh), .offset = (off), \
					      .range = (rng), .addr = (va) })
#define BIND() (vb = (struct drm_asahi_vm_bind){ .vm_id = x.vm, .num_binds = 1,          \
			.stride = sizeof(op), .userptr = (uintptr_t)&op },                      \
		dx_ioctl(&x, DRM_IOCTL_ASAHI_VM_BIND, &vb))

	OP(RW, h, 0, 0x4000, 0x500000000ull);
	AGX_CHECK_EQ(BIND(), 0);
	OP(RW | 1u << 7, h, 0, 0x4000, 0x500000000ull);
	AGX_CHECK_EQ(BIND(), -EINVAL);                       /* unknown flag */
	OP(RW, h, 0, 0x4000, 0x500000100ull);
	AGX_CHECK_EQ(BIND(), -EINVAL);                       /* unaligned address */
	OP(RW, h, 0x100, 0x4000, 0x500000000ull);
	AGX_CHECK_EQ(BIND(), -EINVAL);                       /* unaligned offset */
	OP(RW, h, 0, 0x2000, 0x500000000ull);
	AGX_CHECK_EQ(BIND(), -EINVAL);                       /* unaligned range */
	OP(RW, h, 0, 0, 0x500000000ull);
	AGX_CHECK_EQ(BIND(), -EINVAL);                       /* empty */
	OP(RW, h, 0x4000, 0x8000, 0x500000000ull);
	AGX_CHECK_EQ(BIND(), -EINVAL);                       /* past the object */
	OP(RW, h, 0, 0x4000, DX_KERNEL_LO + 0x4000);
	AGX_CHECK_EQ(BIND(), -EINVAL);                       /* kernel window */
	OP(RW, h, 0, 0x4000, 0);
	AGX_CHECK_EQ(BIND(), -EINVAL);                       /* below vm_start */
	OP(RW, h, 0, 0x4000, 0x8000000000ull);
	AGX_CHECK_EQ(BIND(), -EINVAL);                       /* past vm_end */
	OP(0, h, 0, 0x4000, 0x500000000ull);
	AGX_CHECK_EQ(BIND(), -EINVAL);                       /* neither read nor write */
	OP(DRM_ASAHI_BIND_UNBIND | DRM_ASAHI_BIND_READ, 0, 0, 0x4000, 0x500000000ull);
	AGX_CHECK_EQ(BIND(), -EINVAL);                       /* unbind with access flags */
	OP(RW, 77, 0, 0x4000, 0x500000000ull);
	AGX_CHECK_EQ(BIND(), -ENOENT);                       /* no such object */

	OP(RW, h, 0, 0x4000, 0x500000000ull);
	vb = (struct drm_asahi_vm_bind){ .vm_id = x.vm, .num_binds = 1,
					 .stride = sizeof(op) - 8, .userptr = (uintptr_t)&op };
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_ASAHI_VM_BIND, &vb), -EINVAL);
	vb.stride = sizeof(op);
	vb.pad = 1;
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_ASAHI_VM_BIND, &vb), -EINVAL);
	vb.pad = 0;
	vb.num_binds = 0;
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_ASAHI_VM_BIND, &vb), -EINVAL);
	vb.num_binds = 1;
	vb.vm_id = 50;
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_ASAHI_VM_BIND, &vb), -ENOENT);

	/* A longer stride is fine when the extra bytes are zero. */
	struct { struct drm_asahi_gem_bind_op op; uint64_t ext; } big[2];
	memset(big, 0, sizeof(big));
	big[0].op = (struct drm_asahi_gem_bind_op){ .flags = RW, .handle = h, .range = 0x4000,
						    .addr = 0x530000000ull };
	big[1].op = big[0].op;
	big[1].op.addr = 0x540000000ull;
	vb = (struct drm_asahi_vm_bind){ .vm_id = x.vm, .num_binds = 2, .stride = sizeof(big[0]),
					 .userptr = (uintptr_t)big };
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_ASAHI_VM_BIND, &vb), 0);
	/* Non-zero extension: rejected, and nothing of the request applies. */
	big[0].op.addr = 0x550000000ull;
	big[1].ext = 1;
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_ASAHI_VM_BIND, &vb), -EINVAL);
	struct agxsim_uat_walk w;
	AGX_CHECK(walk(0x550000000ull, &w) != 0, "first op must not have been applied");

	/* A private object of another VM cannot be bound here. */
	struct drm_asahi_vm_create vc = { .kernel_start = DX_KERNEL_LO, .kernel_end = DX_KERNEL_HI };
	AGX_REQUIRE(dx_ioctl(&x, DRM_IOCTL_ASAHI_VM_CREATE, &vc) == 0, "");
	struct drm_asahi_gem_create gc = { .size = 0x4000, .flags = DRM_ASAHI_GEM_VM_PRIVATE,
					   .vm_id = vc.vm_id };
	AGX_REQUIRE(dx_ioctl(&x, DRM_IOCTL_ASAHI_GEM_CREATE, &gc) == 0, "");
	OP(RW, gc.handle, 0, 0x4000, 0x560000000ull);
	AGX_CHECK_EQ(BIND(), -EINVAL);
	dx_fini(&x);
#undef OP
#undef BIND
}

AGX_TEST(private_objects_outlive_their_vm_unbindable)
{
	struct drm_asahi_vm_create vc = { .kernel_start = DX_KERNEL_LO, .kernel_end = DX_KERNEL_HI };
	struct drm_asahi_vm_destroy vd;
	struct drm_asahi_gem_create gc = { .size = 0x4000, .flags = DRM_ASAHI_GEM_VM_PRIVATE };
	struct drm_gem_close cl;
	uint32_t old_vm = 0;

	dx_init(&x, 0);
	AGX_REQUIRE(dx_ioctl(&x, DRM_IOCTL_ASAHI_VM_CREATE, &vc) == 0, "");
	old_vm = vc.vm_id;
	gc.vm_id = vc.vm_id;
	AGX_REQUIRE(dx_ioctl(&x, DRM_IOCTL_ASAHI_GEM_CREATE, &gc) == 0, "");
	vd = (struct drm_asahi_vm_destroy){ .vm_id = vc.vm_id };
	AGX_REQUIRE(dx_ioctl(&x, DRM_IOCTL_ASAHI_VM_DESTROY, &vd) == 0, "");
	AGX_CHECK(agxsim_direct_gem_ptr(x.d, gc.handle, NULL) != NULL, "still valid");
	/* A new VM (it may get the same id) cannot bind it. */
	AGX_REQUIRE(dx_ioctl(&x, DRM_IOCTL_ASAHI_VM_CREATE, &vc) == 0, "");
	AGX_NOTE("old vm %u, new vm %u", old_vm, vc.vm_id);
	uint32_t saved = x.vm;
	x.vm = vc.vm_id;
	AGX_CHECK_EQ(dx_bind(&x, gc.handle, 0, 0x4000, 0x500000000ull, RW), -EINVAL);
	x.vm = saved;
	cl = (struct drm_gem_close){ .handle = gc.handle };
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_GEM_CLOSE, &cl), 0);
	dx_fini(&x);
}

AGX_TEST(queue_validation)
{
	dx_init(&x, 0);
	struct drm_asahi_queue_create qc = { .vm_id = x.vm, .flags = 1 };
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_ASAHI_QUEUE_CREATE, &qc), -EINVAL);
	qc.flags = 0;
	qc.priority = 4;
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_ASAHI_QUEUE_CREATE, &qc), -EINVAL);
	qc.priority = 0;
	qc.vm_id = 33;
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_ASAHI_QUEUE_CREATE, &qc), -ENOENT);
	struct drm_asahi_queue_destroy qd = { .queue_id = x.queue, .pad = 1 };
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_ASAHI_QUEUE_DESTROY, &qd), -EINVAL);
	qd.pad = 0;
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_ASAHI_QUEUE_DESTROY, &qd), 0);
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_ASAHI_QUEUE_DESTROY, &qd), -ENOENT);
	dx_fini(&x);
}

/* A command buffer under construction. */
static uint8_t cb[4096];
static unsigned cbn;

static void cb_cmd(uint16_t type, uint16_t vdm, uint16_t cdm, const void *p, uint16_t size)
{
	struct drm_asahi_cmd_header h = { type, size, vdm, cdm };

	memcpy(cb + cbn, &h, sizeof(h));
	cbn += sizeof(h);
	memcpy(cb + cbn, p, size);
	cbn += size;
}

static int submit(struct drm_asahi_submit *s)
{
	s->cmdbuf = (uintptr_t)cb;
	s->cmdbuf_size = cbn;
	if (!s->queue_id)
		s->queue_id = x.queue;
	return dx_ioctl(&x, DRM_IOCTL_ASAHI_SUBMIT, s);
}

AGX_TEST(submit_validation)
{
	struct drm_asahi_cmd_compute c;
	struct drm_asahi_submit s;
	const uint16_t NONE = DRM_ASAHI_BARRIER_NONE;

	dx_init(&x, 0);
	memset(&c, 0, sizeof(c));
	/* An empty stream would fault; validation happens before that. */
	c.cdm_ctrl_stream_base = 0x600000000ull;
	c.cdm_ctrl_stream_end = 0x600000040ull;

#define RESET() (cbn = 0, memset(&s, 0, sizeof(s)))
	RESET();
	cb_cmd(DRM_ASAHI_CMD_COMPUTE, NONE, 0, &c, sizeof(c));
	AGX_CHECK_EQ(submit(&s), 0);                 /* valid (the job faults) */
	AGX_CHECK_EQ(agxsim_direct_last_job(x.d)->result, -EFAULT);

	RESET(); cb_cmd(DRM_ASAHI_CMD_COMPUTE, NONE, 0, &c, sizeof(c)); s.flags = 1;
	AGX_CHECK_EQ(submit(&s), -EINVAL);
	RESET(); cb_cmd(DRM_ASAHI_CMD_COMPUTE, NONE, 0, &c, sizeof(c)); s.pad = 1;
	AGX_CHECK_EQ(submit(&s), -EINVAL);
	RESET(); cb_cmd(DRM_ASAHI_CMD_COMPUTE, NONE, 0, &c, sizeof(c)); s.queue_id = 60;
	AGX_CHECK_EQ(submit(&s), -ENOENT);
	RESET();
	AGX_CHECK_EQ(submit(&s), -EINVAL);           /* empty command buffer */
	RESET(); cb_cmd(9, NONE, NONE, &c, sizeof(c));
	AGX_CHECK_EQ(submit(&s), -EINVAL);           /* unknown command */
	RESET(); cb_cmd(DRM_ASAHI_CMD_COMPUTE, NONE, 1, &c, sizeof(c));
	AGX_CHECK_EQ(submit(&s), -EINVAL);           /* barrier on a later command */
	RESET(); cb_cmd(DRM_ASAHI_CMD_COMPUTE, 1, 0, &c, sizeof(c));
	AGX_CHECK_EQ(submit(&s), -EINVAL);
	RESET(); cb_cmd(DRM_ASAHI_CMD_COMPUTE, NONE, 0, &c, sizeof(c)); cbn -= 4;
	AGX_CHECK_EQ(submit(&s), -EINVAL);           /* payload cut off */
	c.flags = 1;
	RESET(); cb_cmd(DRM_ASAHI_CMD_COMPUTE, NONE, 0, &c, sizeof(c));
	AGX_CHECK_EQ(submit(&s), -EINVAL);           /* compute flags MBZ */
	c.flags = 0;
	c.sampler_count = 4;
	RESET(); cb_cmd(DRM_ASAHI_CMD_COMPUTE, NONE, 0, &c, sizeof(c));
	AGX_CHECK_EQ(submit(&s), -EINVAL);           /* samplers without a heap */
	c.sampler_count = 0;

	/* Shorter payloads read as zero; longer ones need a zero tail. */
	uint8_t longer[sizeof(c) + 8];
	memset(longer, 0, sizeof(longer));
	memcpy(longer, &c, sizeof(c));
	RESET(); cb_cmd(DRM_ASAHI_CMD_COMPUTE, NONE, 0, longer, sizeof(longer));
	AGX_CHECK_EQ(submit(&s), 0);
	longer[sizeof(c) + 3] = 1;
	RESET(); cb_cmd(DRM_ASAHI_CMD_COMPUTE, NONE, 0, longer, sizeof(longer));
	AGX_CHECK_EQ(submit(&s), -EINVAL);
	RESET(); cb_cmd(DRM_ASAHI_CMD_COMPUTE, NONE, 0, &c, 8);
	AGX_CHECK_EQ(submit(&s), 0);

	/* Attachments: barriers NONE, whole entries, MBZ fields, and they
	 * are not a command on their own. */
	struct drm_asahi_attachment at[2];
	memset(at, 0, sizeof(at));
	at[0].pointer = 0x500000000ull;
	at[0].size = 0x4000;
	RESET(); cb_cmd(DRM_ASAHI_SET_FRAGMENT_ATTACHMENTS, NONE, NONE, at, sizeof(at));
	AGX_CHECK_EQ(submit(&s), -EINVAL);
	RESET(); cb_cmd(DRM_ASAHI_SET_COMPUTE_ATTACHMENTS, NONE, NONE, at, sizeof(at));
	cb_cmd(DRM_ASAHI_CMD_COMPUTE, NONE, 0, &c, sizeof(c));
	AGX_CHECK_EQ(submit(&s), 0);
	RESET(); cb_cmd(DRM_ASAHI_SET_COMPUTE_ATTACHMENTS, 0, NONE, at, sizeof(at));
	cb_cmd(DRM_ASAHI_CMD_COMPUTE, NONE, 0, &c, sizeof(c));
	AGX_CHECK_EQ(submit(&s), -EINVAL);
	RESET(); cb_cmd(DRM_ASAHI_SET_COMPUTE_ATTACHMENTS, NONE, NONE, at, sizeof(at) - 4);
	cb_cmd(DRM_ASAHI_CMD_COMPUTE, NONE, 0, &c, sizeof(c));
	AGX_CHECK_EQ(submit(&s), -EINVAL);
	at[1].flags = 1;
	RESET(); cb_cmd(DRM_ASAHI_SET_COMPUTE_ATTACHMENTS, NONE, NONE, at, sizeof(at));
	cb_cmd(DRM_ASAHI_CMD_COMPUTE, NONE, 0, &c, sizeof(c));
	AGX_CHECK_EQ(submit(&s), -EINVAL);

	/* Too many commands. */
	RESET();
	for (unsigned i = 0; i < 65; i++)
		cb_cmd(DRM_ASAHI_CMD_COMPUTE, NONE, NONE, &c, 16);
	AGX_CHECK_EQ(submit(&s), -EINVAL);

	/* Syncs: known types, binary ones without a timeline value. */
	struct drm_asahi_sync sy[2] = {
		{ .sync_type = DRM_ASAHI_SYNC_SYNCOBJ, .handle = 1 },
		{ .sync_type = DRM_ASAHI_SYNC_TIMELINE_SYNCOBJ, .handle = 2, .timeline_value = 5 },
	};
	RESET(); cb_cmd(DRM_ASAHI_CMD_COMPUTE, NONE, 0, &c, sizeof(c));
	s.syncs = (uintptr_t)sy; s.in_sync_count = 1; s.out_sync_count = 1;
	AGX_CHECK_EQ(submit(&s), 0);
	sy[0].timeline_value = 3;
	RESET(); cb_cmd(DRM_ASAHI_CMD_COMPUTE, NONE, 0, &c, sizeof(c));
	s.syncs = (uintptr_t)sy; s.in_sync_count = 1; s.out_sync_count = 1;
	AGX_CHECK_EQ(submit(&s), -EINVAL);
	sy[0].timeline_value = 0;
	sy[1].sync_type = 2;
	RESET(); cb_cmd(DRM_ASAHI_CMD_COMPUTE, NONE, 0, &c, sizeof(c));
	s.syncs = (uintptr_t)sy; s.in_sync_count = 1; s.out_sync_count = 1;
	AGX_CHECK_EQ(submit(&s), -EINVAL);
	dx_fini(&x);
#undef RESET
}

AGX_TEST(timestamps_through_bind_object)
{
	struct drm_asahi_cmd_compute c;
	struct drm_asahi_submit s;
	uint32_t h;

	dx_init(&x, 0);
	h = dx_bo(&x, 0x8000);
	struct drm_asahi_gem_bind_object bo = {
		.op = DRM_ASAHI_BIND_OBJECT_OP_BIND,
		.flags = DRM_ASAHI_BIND_OBJECT_USAGE_TIMESTAMPS,
		.handle = h, .offset = 0x4000, .range = 0x4000,
	};
	struct drm_asahi_gem_bind_object bad = bo;
	bad.flags = 0;
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_ASAHI_GEM_BIND_OBJECT, &bad), -EINVAL);
	bad = bo;
	bad.range = 0x8000;
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_ASAHI_GEM_BIND_OBJECT, &bad), -EINVAL);
	bad = bo;
	bad.vm_id = 1;
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_ASAHI_GEM_BIND_OBJECT, &bad), -EINVAL);
	AGX_REQUIRE(dx_ioctl(&x, DRM_IOCTL_ASAHI_GEM_BIND_OBJECT, &bo) == 0, "");
	AGX_CHECK(bo.object_handle != 0, "");

	memset(&c, 0, sizeof(c));
	c.cdm_ctrl_stream_base = 0x600000000ull;
	c.cdm_ctrl_stream_end = 0x600000040ull;
	c.ts.start.handle = bo.object_handle;
	c.ts.start.offset = 0x10;
	c.ts.end.handle = bo.object_handle;
	c.ts.end.offset = 0x18;
	cbn = 0;
	memset(&s, 0, sizeof(s));
	cb_cmd(DRM_ASAHI_CMD_COMPUTE, DRM_ASAHI_BARRIER_NONE, 0, &c, sizeof(c));
	AGX_CHECK_EQ(submit(&s), 0);
	uint64_t *ts = (uint64_t *)((uint8_t *)agxsim_direct_gem_ptr(x.d, h, NULL) + 0x4010);
	AGX_CHECK(ts[0] != 0 && ts[1] >= ts[0], "%llu %llu", (unsigned long long)ts[0],
		  (unsigned long long)ts[1]);

	c.ts.end.offset = 0x4000;            /* outside the object */
	cbn = 0;
	memset(&s, 0, sizeof(s));
	cb_cmd(DRM_ASAHI_CMD_COMPUTE, DRM_ASAHI_BARRIER_NONE, 0, &c, sizeof(c));
	AGX_CHECK_EQ(submit(&s), -EINVAL);

	struct drm_asahi_gem_bind_object un = { .op = DRM_ASAHI_BIND_OBJECT_OP_UNBIND,
						.object_handle = bo.object_handle };
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_ASAHI_GEM_BIND_OBJECT, &un), 0);
	AGX_CHECK_EQ(dx_ioctl(&x, DRM_IOCTL_ASAHI_GEM_BIND_OBJECT, &un), -ENOENT);
	dx_fini(&x);
}

AGX_TEST_MAIN()
