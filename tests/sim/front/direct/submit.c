/* SPDX-License-Identifier: MIT */
/*
 * submit.c - DRM_IOCTL_ASAHI_SUBMIT for the direct API.
 *
 * The whole command buffer is validated first (headers, sizes, barriers,
 * MBZ fields, attachment lists, timestamps); only then do the commands
 * run, in order, each to completion. COMPUTE runs its CDM stream on the
 * GPU model with the queue's VM and USC base; RENDER goes to
 * agxsim_direct_run_render() (render.c).
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "drm.h"
#include "drm/asahi_drm.h"

#include "agxsim/mmu_fault.h"
#include "agxsim/render.h"
#include "direct_priv.h"

#define MAX_SYNCS        1024u
#define MAX_SAMPLERS     1024u   /* sampler heap "firmware limit" */
#define TS_FREQ_HZ       24000000ull

/* Byte address of a timestamp, or NULL when the reference is invalid. */
static uint8_t *ts_ptr(struct agxsim_direct *d, const struct drm_asahi_timestamp *t)
{
	struct direct_object *o;
	struct direct_bo *bo;

	if (t->handle == 0 || t->handle > DIRECT_MAX_OBJECTS)
		return NULL;
	o = &d->objects[t->handle - 1];
	if (!o->live || (t->offset & 7) || (uint64_t)t->offset + 8 > o->range)
		return NULL;
	bo = direct_bo_get(d, o->bo_handle);
	if (!bo)
		return NULL;
	return (uint8_t *)agxsim_direct_gem_ptr(d, o->bo_handle, NULL) + o->offset + t->offset;
}

static int check_ts(struct agxsim_direct *d, const struct drm_asahi_timestamps *ts)
{
	if (ts->start.handle && !ts_ptr(d, &ts->start))
		return -EINVAL;
	if (ts->end.handle && !ts_ptr(d, &ts->end))
		return -EINVAL;
	return 0;
}

static void write_ts(struct agxsim_direct *d, const struct drm_asahi_timestamp *t)
{
	struct timespec now;
	uint8_t *p;
	uint64_t ticks;

	if (!t->handle || !(p = ts_ptr(d, t)))
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ticks = (uint64_t)now.tv_sec * TS_FREQ_HZ +
		(uint64_t)now.tv_nsec * (TS_FREQ_HZ / 1000000) / 1000;
	memcpy(p, &ticks, 8);
}

/* Copy a RENDER/COMPUTE payload: shorter reads as zero, longer must be
 * zero past the structure. */
static int copy_payload(void *dst, size_t dst_B, const uint8_t *src, size_t src_B)
{
	memset(dst, 0, dst_B);
	if (src_B > dst_B) {
		if (!direct_all_zero(src + dst_B, src_B - dst_B))
			return -EINVAL;
		src_B = dst_B;
	}
	memcpy(dst, src, src_B);
	return 0;
}

static void record(struct agxsim_direct *d, uint16_t type, int ret,
		   const struct agxsim_fault *fault)
{
	d->seqno++;
	d->last.seqno = d->seqno;
	d->last.cmd_type = type;
	d->last.result = ret;
	if (fault)
		d->last.fault = *fault;
	else
		memset(&d->last.fault, 0, sizeof(d->last.fault));
	if (ret) {
		d->failed++;
		memcpy(d->last.msg, d->gpu.last_error.msg, sizeof(d->last.msg));
	} else {
		d->last.msg[0] = 0;
	}
}

static int run_compute(struct agxsim_direct *d, struct direct_queue *q,
		       const struct drm_asahi_cmd_compute *c)
{
	struct agxsim_uat_port port, sport;
	struct agxsim_mem_if mem, smem;
	struct agxsim_gpu_job job;
	struct agxsim_fault fault;
	int ret;

	agxsim_uat_port_init(&port, &mem, d->uat, q->vm_id, AGXSIM_UNIT_dCDM_KS0,
			     AGXSIM_AGENT_GPU);
	agxsim_uat_port_init(&sport, &smem, d->uat, q->vm_id, AGXSIM_UNIT_UL1C,
			     AGXSIM_AGENT_GPU);
	memset(&job, 0, sizeof(job));
	job.mem = &mem;
	job.shader_mem = &smem;
	job.vm_slot = q->vm_id;
	job.usc_exec_base = q->usc_exec_base;
	job.sampler_heap = c->sampler_heap;
	job.sampler_count = c->sampler_count;
	job.helper_program = c->helper.binary;
	job.helper_cfg = c->helper.cfg;
	job.helper_arg = c->helper.data;
	job.insn_budget = d->cfg.insn_budget;
	/* The render path's texel fetch serves compute shaders too. */
	job.texture = agxsim_render_texture;

	write_ts(d, &c->ts.start);
	ret = agxsim_gpu_run_cdm(&d->gpu, &job, c->cdm_ctrl_stream_base,
				 c->cdm_ctrl_stream_end, &fault);
	write_ts(d, &c->ts.end);
	record(d, DRM_ASAHI_CMD_COMPUTE, ret, &fault);
	return ret;
}

static int run_render(struct agxsim_direct *d, struct direct_queue *q,
		      const struct drm_asahi_cmd_render *r,
		      const struct drm_asahi_attachment *va, unsigned nva,
		      const struct drm_asahi_attachment *fa, unsigned nfa)
{
	struct agxsim_uat_port port, sport;
	struct agxsim_mem_if mem, smem;
	struct agxsim_direct_render_ctx ctx;
	struct agxsim_fault fault;
	int ret;

	memset(&ctx, 0, sizeof(ctx));
	agxsim_uat_port_init(&port, &mem, d->uat, q->vm_id, AGXSIM_UNIT_VDM,
			     AGXSIM_AGENT_GPU);
	agxsim_uat_port_init(&sport, &smem, d->uat, q->vm_id, AGXSIM_UNIT_UL1C,
			     AGXSIM_AGENT_GPU);
	ctx.dev = d;
	ctx.gpu = &d->gpu;
	ctx.uat = d->uat;
	ctx.vm_slot = q->vm_id;
	ctx.cmd = r;
	ctx.vertex_att = va;
	ctx.vertex_att_count = nva;
	ctx.fragment_att = fa;
	ctx.fragment_att_count = nfa;
	ctx.job.mem = &mem;
	ctx.job.shader_mem = &smem;
	ctx.job.vm_slot = q->vm_id;
	ctx.job.usc_exec_base = q->usc_exec_base;
	ctx.job.sampler_heap = r->sampler_heap;
	ctx.job.sampler_count = r->sampler_count;
	ctx.job.insn_budget = d->cfg.insn_budget;

	memset(&d->gpu.last_error, 0, sizeof(d->gpu.last_error));
	write_ts(d, &r->ts_vtx.start);
	write_ts(d, &r->ts_frag.start);
	ret = agxsim_direct_run_render(&ctx, &fault);
	write_ts(d, &r->ts_vtx.end);
	write_ts(d, &r->ts_frag.end);
	record(d, DRM_ASAHI_CMD_RENDER, ret, &fault);
	return ret;
}

/* Pass 0 validates, pass 1 runs. */
static int walk(struct agxsim_direct *d, struct direct_queue *q,
		const struct drm_asahi_submit *a, int pass)
{
	const uint8_t *buf = (const uint8_t *)(uintptr_t)a->cmdbuf;
	const struct drm_asahi_attachment *att[3] = { NULL, NULL, NULL };
	unsigned natt[3] = { 0, 0, 0 };
	unsigned renders = 0, computes = 0;
	size_t off = 0;
	int ret;

	while (off < a->cmdbuf_size) {
		struct drm_asahi_cmd_header h;
		const uint8_t *payload;

		if (a->cmdbuf_size - off < sizeof(h))
			return -EINVAL;
		memcpy(&h, buf + off, sizeof(h));
		off += sizeof(h);
		if (h.size > a->cmdbuf_size - off)
			return -EINVAL;
		payload = buf + off;
		off += h.size;

		switch (h.cmd_type) {
		case DRM_ASAHI_CMD_RENDER:
		case DRM_ASAHI_CMD_COMPUTE:
			if (h.vdm_barrier != DRM_ASAHI_BARRIER_NONE && h.vdm_barrier > renders)
				return -EINVAL;
			if (h.cdm_barrier != DRM_ASAHI_BARRIER_NONE && h.cdm_barrier > computes)
				return -EINVAL;
			if (h.cmd_type == DRM_ASAHI_CMD_RENDER) {
				struct drm_asahi_cmd_render r;
				if ((ret = copy_payload(&r, sizeof(r), payload, h.size)))
					return ret;
				if (pass == 0) {
					if (r.sampler_count > MAX_SAMPLERS ||
					    (r.sampler_count && !r.sampler_heap) ||
					    check_ts(d, &r.ts_vtx) || check_ts(d, &r.ts_frag))
						return -EINVAL;
				} else {
					run_render(d, q, &r, att[0], natt[0], att[1], natt[1]);
				}
				renders++;
			} else {
				struct drm_asahi_cmd_compute c;
				if ((ret = copy_payload(&c, sizeof(c), payload, h.size)))
					return ret;
				if (pass == 0) {
					if (c.flags || c.sampler_count > MAX_SAMPLERS ||
					    (c.sampler_count && !c.sampler_heap) ||
					    check_ts(d, &c.ts))
						return -EINVAL;
				} else {
					run_compute(d, q, &c);
				}
				computes++;
			}
			break;
		case DRM_ASAHI_SET_VERTEX_ATTACHMENTS:
		case DRM_ASAHI_SET_FRAGMENT_ATTACHMENTS:
		case DRM_ASAHI_SET_COMPUTE_ATTACHMENTS: {
			unsigned idx = h.cmd_type - DRM_ASAHI_SET_VERTEX_ATTACHMENTS;
			unsigned n = h.size / sizeof(struct drm_asahi_attachment);

			if (h.vdm_barrier != DRM_ASAHI_BARRIER_NONE ||
			    h.cdm_barrier != DRM_ASAHI_BARRIER_NONE ||
			    h.size % sizeof(struct drm_asahi_attachment) ||
			    n > 16)
				return -EINVAL;
			for (unsigned i = 0; i < n; i++) {
				struct drm_asahi_attachment at;
				memcpy(&at, payload + i * sizeof(at), sizeof(at));
				if (at.pad || at.flags)
					return -EINVAL;
			}
			/* The payload lives in the caller's cmdbuf; attachments are
			 * naturally aligned there when the cmdbuf is. */
			att[idx] = (const struct drm_asahi_attachment *)payload;
			natt[idx] = n;
			break;
		}
		default:
			return -EINVAL;
		}
	}
	if (renders + computes == 0 || renders + computes > 64)
		return -EINVAL;
	return 0;
}

int direct_submit(struct agxsim_direct *d, struct drm_asahi_submit *a)
{
	struct direct_queue *q;
	int ret;

	if (a->flags || a->pad || a->cmdbuf_size == 0)
		return -EINVAL;
	if (a->in_sync_count > MAX_SYNCS || a->out_sync_count > MAX_SYNCS)
		return -EINVAL;
	if (!(q = direct_queue_get(d, a->queue_id)))
		return -ENOENT;
	if (!a->cmdbuf)
		return -EFAULT;
	if (a->in_sync_count + a->out_sync_count) {
		const struct drm_asahi_sync *s = (const void *)(uintptr_t)a->syncs;
		if (!s)
			return -EFAULT;
		for (uint32_t i = 0; i < a->in_sync_count + a->out_sync_count; i++) {
			struct drm_asahi_sync sy;
			memcpy(&sy, &s[i], sizeof(sy));
			if (sy.sync_type > DRM_ASAHI_SYNC_TIMELINE_SYNCOBJ || sy.handle == 0)
				return -EINVAL;
			if (sy.sync_type == DRM_ASAHI_SYNC_SYNCOBJ && sy.timeline_value)
				return -EINVAL;
		}
	}
	if ((ret = walk(d, q, a, 0)))
		return ret;
	walk(d, q, a, 1);
	return 0;
}
