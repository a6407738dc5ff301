// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The agx authors
 */

/**
 * DOC: SUBMIT
 *
 * DRM_IOCTL_ASAHI_SUBMIT turns a command buffer into one job (agx_job.c)
 * of a queue (agx_queue.c). In order:
 *
 * 1. The arguments: flags and pad zero, a known queue, sync counts and the
 *    command buffer size within bounds.
 * 2. The command buffer is copied into the kernel once, then parsed twice.
 *    The first pass validates every command and counts what the job
 *    needs: each header's type and payload size (RENDER and COMPUTE may be
 *    shorter than the kernel's structure, the tail reads as zero; longer
 *    is refused), the barriers (%DRM_ASAHI_BARRIER_NONE, or at most the
 *    number of commands of that kind before this one; attachment commands
 *    must use NONE), flags, reserved and padding fields, attachment
 *    lists (whole entries, at most max_attachments, pad and flags zero),
 *    and 1..64 RENDER + COMPUTE commands.
 * 3. The in-syncs become drm_sched dependencies (drm_syncobj_find_fence;
 *    binary sync objects need timeline_value 0); the out-syncs are looked
 *    up and timeline points get their fence chains, so nothing can fail
 *    after the job is pushed.
 * 4. Under the queue's submit lock, the second pass builds the firmware
 *    commands into the job's two objects, handing out stamp values in
 *    ring order, and the job is armed and pushed to the queue's entity.
 * 5. The out-syncs get the scheduler's finished fence
 *    (drm_syncobj_replace_fence, or drm_syncobj_add_point for a timeline).
 *
 * Firmware commands (facts 3.5-3.8): a COMPUTE command is a RunCompute
 * on the compute work queue with the microsequence StartCompute,
 * WaitForIdle (compute), FinalizeCompute (writes the private stamp;
 * restart_branch_offset points back at StartCompute), RetireStamp. A
 * RENDER command is a RunVertex on the vertex work queue and, behind a
 * Barrier waiting for the vertex stamp, a RunFragment on the fragment work
 * queue, with the same pattern of microsequence. The barriers of a
 * command's header become Barrier commands in front of it on its first
 * work queue (vertex for RENDER, compute for COMPUTE), waiting for the
 * other work queue's private stamp: the fragment queue for vdm_barrier,
 * the compute queue for cdm_barrier. A barrier on the command's own work
 * queue needs no command (a work queue runs in order).
 *
 * Registers: on G13/G14 the job parameter blocks of the Run* commands
 * carry the control stream, USC base and helper program; on G14X a
 * RegisterArray does (USC_EXEC_BASE_*, CDM/VDM control stream base,
 * helper program). The queue's usc_exec_base goes into every command.
 *
 * Timestamps: each drm_asahi_timestamp names a GEM_BIND_OBJECT range; a
 * Timestamp op after the Start op (start) and one after WaitForIdle (end)
 * write the firmware clock there. The job holds a reference to the range
 * so it stays mapped while the firmware may write.
 *
 * The queue's tiled vertex buffer (agx_buffer.c) is made at its first
 * RENDER and announced to the firmware with an InitBuffer command.
 *
 * Partial: the TE_* words of TilingParameters and utile_config are not
 * encoded; the sampler heaps are not passed to the firmware.
 */

#include <linux/dma-fence-chain.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_file.h>
#include <drm/drm_print.h>
#include <drm/drm_syncobj.h>

#include <agxfw/agxfw_access.h>

#include "agx_device.h"
#include "agx_fw.h"
#include "agx_gem.h"
#include "agx_job.h"
#include "agx_queue.h"
#include "agx_vm.h"

/* Limits of a SUBMIT. */
#define AGX_SUBMIT_MAX_SYNCS 512
#define AGX_SUBMIT_MAX_CMDBUF (1U << 20)
#define AGX_SUBMIT_MAX_ATTACHMENTS 16
#define AGX_SUBMIT_MAX_VM_BYTES (256ULL << 20)

/* Alignment of the pieces of a job's objects. */
#define AGX_CMD_ALIGN 0x80

/* G14X register numbers (facts 3.7; the simulator's table agrees). */
#define AGX_REG_USC_EXEC_BASE_TA 0x10061
#define AGX_REG_USC_EXEC_BASE_ISP 0x10069
#define AGX_REG_USC_EXEC_BASE_CP 0x10071
#define AGX_REG_CDM_CTRL_STREAM_BASE 0x1a420
#define AGX_REG_CP_HELPER_PROGRAM 0x11841
#define AGX_REG_CP_HELPER_ARG 0x11849
#define AGX_REG_CP_HELPER_CFG 0x11f81
#define AGX_REG_VDM_CTRL_STREAM_BASE 0x1c880

/* The barrier's uuid for barriers userspace asked for (facts 3.5). */
#define AGX_BARRIER_UUID_EXPLICIT 0xffffbbbb

/**
 * struct agx_attachments - The attachment list of one stage.
 */
struct agx_attachments {
	/** @n: Entries. */
	u32 n;
	/** @a: The entries. */
	struct drm_asahi_attachment a[AGX_SUBMIT_MAX_ATTACHMENTS];
};

/**
 * struct agx_submit - State of one SUBMIT while it is parsed and built.
 */
struct agx_submit {
	/** @drm: The device. */
	struct drm_device *drm;
	/** @q: The queue. */
	struct agx_queue *q;
	/** @l: Firmware layout. */
	const struct agxfw_layout *l;
	/** @buf: The command buffer, in the kernel. */
	u8 *buf;
	/** @size: Its size. */
	u32 size;
	/** @nrender: RENDER commands. */
	u32 nrender;
	/** @ncompute: COMPUTE commands. */
	u32 ncompute;
	/** @nentries: Ring entries per work queue. */
	u32 nentries[AGX_PIPE_COUNT];
	/** @cmds_size: Bytes of the GPU read-only object. */
	size_t cmds_size;
	/** @priv_size: Bytes of the private object. */
	size_t priv_size;
	/** @att: Current attachments: vertex, fragment, compute. */
	struct agx_attachments att[AGX_PIPE_COUNT];
	/** @frag_value: Fragment stamp value of each RENDER, for barriers. */
	u32 frag_value[AGX_JOB_MAX_COMMANDS];
	/** @comp_value: Compute stamp value of each COMPUTE, for barriers. */
	u32 comp_value[AGX_JOB_MAX_COMMANDS];
	/** @prev_frag: Last fragment value before this submit (0 = none). */
	u32 prev_frag;
	/** @prev_comp: Last compute value before this submit (0 = none). */
	u32 prev_comp;
	/** @afile: The submitting file (timestamp objects). */
	struct agx_file *afile;
	/** @ts_va: Timestamp addresses per command (0: none); see agx_check_ts(). */
	u64 ts_va[AGX_JOB_MAX_COMMANDS][4];
	/** @ts_refs: Bind objects the timestamps are in, referenced. */
	struct agx_bind_object *ts_refs[AGX_JOB_MAX_COMMANDS * 4];
	/** @nts: Entries of @ts_refs. */
	u32 nts;
	/** @vm_size: Bytes of VM memory the renders need (tiling structures). */
	u64 vm_size;
	/** @vm_off: Next free byte of the job's VM memory. */
	u64 vm_off;
	/** @cmd_off: Next free byte of the job's command object. */
	size_t cmd_off;
	/** @priv_off: Next free byte of the job's private object. */
	size_t priv_off;
};

/**
 * struct agx_out_sync - An out-sync, looked up before the job is pushed.
 */
struct agx_out_sync {
	/** @obj: The sync object, referenced. */
	struct drm_syncobj *obj;
	/** @chain: Preallocated chain node for a timeline point, or NULL. */
	struct dma_fence_chain *chain;
	/** @point: Timeline point (0 for binary). */
	u64 point;
};

/* ---- Command buffer iteration -------------------------------------------- */

/* Next command at *@off: header and payload; false at the end. */
static int agx_cmd_next(struct agx_submit *s, u32 *off, struct drm_asahi_cmd_header *hdr,
			const u8 **payload)
{
	if (*off == s->size)
		return 0;
	if (s->size - *off < sizeof(*hdr)) {
		drm_dbg(s->drm, "submit: truncated command header at %u\n", *off);
		return -EINVAL;
	}
	memcpy(hdr, s->buf + *off, sizeof(*hdr));
	*off += sizeof(*hdr);
	if (hdr->size > s->size - *off) {
		drm_dbg(s->drm, "submit: command at %u: payload %u past the end\n",
			*off - (u32)sizeof(*hdr), hdr->size);
		return -EINVAL;
	}
	*payload = s->buf + *off;
	*off += hdr->size;
	return 1;
}

/* Copy a payload into @dst of @dst_size, zero-extending a shorter one. */
static int agx_cmd_payload(struct agx_submit *s, const struct drm_asahi_cmd_header *hdr,
			   const u8 *payload, void *dst, size_t dst_size)
{
	if (hdr->size > dst_size) {
		drm_dbg(s->drm, "submit: command type %u payload %u larger than %zu\n",
			hdr->cmd_type, hdr->size, dst_size);
		return -EINVAL;
	}
	memset(dst, 0, dst_size);
	memcpy(dst, payload, hdr->size);
	return 0;
}

/* ---- Tiling ------------------------------------------------------------------ */

/* Tiles are 32x32 pixels; macrotiles 4x4 tiles (facts 3.9). */
#define AGX_TILE_PX 32
#define AGX_RGN_ENTRY_B 5
#define AGX_TPC_ENTRY_B 8
#define AGX_HEAPMETA_B 0x200

/**
 * struct agx_tiling - Tiling numbers of one render pass.
 */
struct agx_tiling {
	/** @tiles_x: Tiles across. */
	u32 tiles_x;
	/** @tiles_y: Tiles down. */
	u32 tiles_y;
	/** @tpm_x: Tiles per macrotile across, aligned to 4. */
	u32 tpm_x;
	/** @tpm_y: Tiles per macrotile down, aligned to 4. */
	u32 tpm_y;
	/** @tilemap_B: Bytes of the region array (tile map), all layers. */
	u64 tilemap_B;
	/** @tpc_B: Bytes of the tail pointer cache, all layers. */
	u64 tpc_B;
};

static void agx_tiling(const struct drm_asahi_cmd_render *r, struct agx_tiling *t)
{
	u64 tiles;

	t->tiles_x = DIV_ROUND_UP(r->width_px, AGX_TILE_PX);
	t->tiles_y = DIV_ROUND_UP(r->height_px, AGX_TILE_PX);
	t->tpm_x = ALIGN(DIV_ROUND_UP(t->tiles_x, 4), 4);
	t->tpm_y = ALIGN(DIV_ROUND_UP(t->tiles_y, 4), 4);
	/* Whole macrotiles, so the 4x4 grid covers the region array. */
	tiles = (u64)t->tpm_x * 4 * t->tpm_y * 4;
	t->tilemap_B = ALIGN(tiles * AGX_RGN_ENTRY_B, AGX_CMD_ALIGN) * r->layers;
	t->tpc_B = ALIGN(tiles * AGX_TPC_ENTRY_B, AGX_CMD_ALIGN) * r->layers;
}

/* Bytes of VM memory a render pass needs: tile map, TPC, heap metadata. */
static u64 agx_render_vm_bytes(const struct drm_asahi_cmd_render *r)
{
	struct agx_tiling t;

	agx_tiling(r, &t);
	return t.tilemap_B + t.tpc_B + AGX_HEAPMETA_B;
}

/* ---- Validation (first pass) ------------------------------------------------ */

static int agx_check_barrier(struct agx_submit *s, u16 barrier, u32 before, const char *what)
{
	if (barrier == DRM_ASAHI_BARRIER_NONE || barrier <= before)
		return 0;
	drm_dbg(s->drm, "submit: %s %u but only %u such commands before it\n",
		what, barrier, before);
	return -EINVAL;
}

/*
 * Timestamps of command @idx, slots @k and @k + 1 (start, end): each is a
 * byte offset in a GEM_BIND_OBJECT range; the job keeps the range mapped.
 */
static int agx_check_ts(struct agx_submit *s, const struct drm_asahi_timestamps *ts, u32 idx,
			unsigned int k)
{
	const struct drm_asahi_timestamp *t[2] = { &ts->start, &ts->end };
	unsigned int i;

	for (i = 0; i < 2; i++) {
		struct agx_bind_object *bobj;

		if (!t[i]->handle) {
			if (t[i]->offset) {
				drm_dbg(s->drm, "submit: timestamp offset without a handle\n");
				return -EINVAL;
			}
			continue;
		}
		if (idx >= AGX_JOB_MAX_COMMANDS)
			return -EINVAL;
		bobj = agx_bind_object_ts_get(s->afile, t[i]->handle, t[i]->offset,
					      &s->ts_va[idx][k + i]);
		if (!bobj) {
			drm_dbg(s->drm, "submit: timestamp object %u offset %u invalid\n",
				t[i]->handle, t[i]->offset);
			return -EINVAL;
		}
		s->ts_refs[s->nts++] = bobj;
	}
	return 0;
}

static int agx_check_compute(struct agx_submit *s, const struct drm_asahi_cmd_compute *c)
{
	if (c->flags) {
		drm_dbg(s->drm, "submit: compute flags %#x are not zero\n", c->flags);
		return -EINVAL;
	}
	if (!c->cdm_ctrl_stream_base || c->cdm_ctrl_stream_base >= AGX_VM_END ||
	    c->cdm_ctrl_stream_end < c->cdm_ctrl_stream_base ||
	    c->cdm_ctrl_stream_end > AGX_VM_END) {
		drm_dbg(s->drm, "submit: compute control stream %#llx..%#llx invalid\n",
			c->cdm_ctrl_stream_base, c->cdm_ctrl_stream_end);
		return -EINVAL;
	}
	if ((c->cdm_ctrl_stream_base | c->cdm_ctrl_stream_end) & 3) {
		drm_dbg(s->drm, "submit: compute control stream not 4-byte aligned\n");
		return -EINVAL;
	}
	if (c->sampler_count && !c->sampler_heap) {
		drm_dbg(s->drm, "submit: compute samplers without a heap\n");
		return -EINVAL;
	}
	return agx_check_ts(s, &c->ts, s->nrender + s->ncompute, 0);
}

static int agx_check_render(struct agx_submit *s, const struct drm_asahi_cmd_render *r)
{
	const u32 known = DRM_ASAHI_RENDER_VERTEX_SCRATCH | DRM_ASAHI_RENDER_PROCESS_EMPTY_TILES |
			  DRM_ASAHI_RENDER_NO_VERTEX_CLUSTERING | DRM_ASAHI_RENDER_DBIAS_IS_INT;
	int ret;

	if (r->flags & ~known) {
		drm_dbg(s->drm, "submit: unknown render flags %#x\n", r->flags & ~known);
		return -EINVAL;
	}
	if (!r->vdm_ctrl_stream_base || r->vdm_ctrl_stream_base >= AGX_VM_END ||
	    r->vdm_ctrl_stream_base & 3) {
		drm_dbg(s->drm, "submit: render control stream %#llx invalid\n",
			r->vdm_ctrl_stream_base);
		return -EINVAL;
	}
	if (!r->width_px || !r->height_px || r->width_px > 16384 || r->height_px > 16384) {
		drm_dbg(s->drm, "submit: framebuffer %ux%u out of range\n", r->width_px,
			r->height_px);
		return -EINVAL;
	}
	if (!r->layers || r->layers > 2048) {
		drm_dbg(s->drm, "submit: %u layers out of range\n", r->layers);
		return -EINVAL;
	}
	if (r->samples != 1 && r->samples != 2 && r->samples != 4) {
		drm_dbg(s->drm, "submit: %u samples\n", r->samples);
		return -EINVAL;
	}
	if (!((r->utile_width_px == 32 && r->utile_height_px == 32) ||
	      (r->utile_width_px == 32 && r->utile_height_px == 16) ||
	      (r->utile_width_px == 16 && r->utile_height_px == 16))) {
		drm_dbg(s->drm, "submit: utile %ux%u not 32x32, 32x16 or 16x16\n",
			r->utile_width_px, r->utile_height_px);
		return -EINVAL;
	}
	if (!r->sample_size_B) {
		drm_dbg(s->drm, "submit: sample_size_B is zero\n");
		return -EINVAL;
	}
	if (r->sampler_count && !r->sampler_heap) {
		drm_dbg(s->drm, "submit: render samplers without a heap\n");
		return -EINVAL;
	}
	ret = agx_check_ts(s, &r->ts_vtx, s->nrender + s->ncompute, 0);
	if (!ret)
		ret = agx_check_ts(s, &r->ts_frag, s->nrender + s->ncompute, 2);
	return ret;
}

static int agx_check_attachments(struct agx_submit *s, const struct drm_asahi_cmd_header *hdr,
				 const u8 *payload)
{
	struct drm_asahi_attachment a;
	u32 i, n;

	if (hdr->vdm_barrier != DRM_ASAHI_BARRIER_NONE ||
	    hdr->cdm_barrier != DRM_ASAHI_BARRIER_NONE) {
		drm_dbg(s->drm, "submit: attachment command with a barrier\n");
		return -EINVAL;
	}
	if (hdr->size % sizeof(a)) {
		drm_dbg(s->drm, "submit: attachment payload %u not whole entries\n", hdr->size);
		return -EINVAL;
	}
	n = hdr->size / sizeof(a);
	if (n > AGX_SUBMIT_MAX_ATTACHMENTS) {
		drm_dbg(s->drm, "submit: %u attachments, at most %u\n", n,
			AGX_SUBMIT_MAX_ATTACHMENTS);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		memcpy(&a, payload + i * sizeof(a), sizeof(a));
		if (a.pad || a.flags) {
			drm_dbg(s->drm, "submit: attachment %u: pad/flags not zero\n", i);
			return -EINVAL;
		}
		if (!a.size || a.pointer >= AGX_VM_END || a.size > AGX_VM_END - a.pointer) {
			drm_dbg(s->drm, "submit: attachment %u: range %#llx+%#llx invalid\n", i,
				a.pointer, a.size);
			return -EINVAL;
		}
	}
	return 0;
}

static size_t agx_sz(const struct agxfw_layout *l, enum agxfw_struct_id id)
{
	return ALIGN(agxfw_sizeof(l, id), AGX_CMD_ALIGN);
}

static size_t agx_ms_size(const struct agxfw_layout *l, enum agxfw_struct_id start,
			  enum agxfw_struct_id fin)
{
	enum agxfw_struct_id wait = l->gen == AGXFW_GEN_G14X ? AGXFW_S_WaitForIdle2 :
							       AGXFW_S_WaitForIdle;

	return ALIGN(agxfw_sizeof(l, start) + agxfw_sizeof(l, wait) + agxfw_sizeof(l, fin) +
		     agxfw_sizeof(l, AGXFW_S_RetireStamp) +
		     2 * agxfw_sizeof(l, AGXFW_S_Timestamp), AGX_CMD_ALIGN);
}

static int agx_submit_validate(struct agx_submit *s)
{
	const struct agxfw_layout *l = s->l;
	struct drm_asahi_cmd_header hdr;
	const u8 *payload;
	u32 off = 0;
	int ret;

	while ((ret = agx_cmd_next(s, &off, &hdr, &payload)) > 0) {
		union {
			struct drm_asahi_cmd_render r;
			struct drm_asahi_cmd_compute c;
		} u;

		switch (hdr.cmd_type) {
		case DRM_ASAHI_CMD_RENDER:
			ret = agx_check_barrier(s, hdr.vdm_barrier, s->nrender, "vdm_barrier");
			if (!ret)
				ret = agx_check_barrier(s, hdr.cdm_barrier, s->ncompute,
							"cdm_barrier");
			if (!ret)
				ret = agx_cmd_payload(s, &hdr, payload, &u.r, sizeof(u.r));
			if (!ret)
				ret = agx_check_render(s, &u.r);
			if (ret)
				return ret;
			s->nrender++;
			s->vm_size += agx_render_vm_bytes(&u.r);
			/* Barriers + RunVertex; internal barrier + RunFragment. */
			s->nentries[AGX_PIPE_VERTEX] += 3;
			s->nentries[AGX_PIPE_FRAGMENT] += 2;
			s->cmds_size += agx_sz(l, AGXFW_S_RunVertex) + agx_sz(l, AGXFW_S_RunFragment);
			s->priv_size += agx_ms_size(l, AGXFW_S_StartVertex, AGXFW_S_FinalizeVertex) +
					agx_ms_size(l, AGXFW_S_StartFragment,
						    AGXFW_S_FinalizeFragment) +
					3 * agx_sz(l, AGXFW_S_Barrier) + agx_sz(l, AGXFW_S_Scene);
			break;
		case DRM_ASAHI_CMD_COMPUTE:
			ret = agx_check_barrier(s, hdr.vdm_barrier, s->nrender, "vdm_barrier");
			if (!ret)
				ret = agx_check_barrier(s, hdr.cdm_barrier, s->ncompute,
							"cdm_barrier");
			if (!ret)
				ret = agx_cmd_payload(s, &hdr, payload, &u.c, sizeof(u.c));
			if (!ret)
				ret = agx_check_compute(s, &u.c);
			if (ret)
				return ret;
			s->ncompute++;
			s->nentries[AGX_PIPE_COMPUTE] += 2;
			s->cmds_size += agx_sz(l, AGXFW_S_RunCompute);
			s->priv_size += agx_ms_size(l, AGXFW_S_StartCompute, AGXFW_S_FinalizeCompute) +
					agx_sz(l, AGXFW_S_Barrier);
			break;
		case DRM_ASAHI_SET_VERTEX_ATTACHMENTS:
		case DRM_ASAHI_SET_FRAGMENT_ATTACHMENTS:
		case DRM_ASAHI_SET_COMPUTE_ATTACHMENTS:
			ret = agx_check_attachments(s, &hdr, payload);
			if (ret)
				return ret;
			break;
		default:
			drm_dbg(s->drm, "submit: unknown command type %u\n", hdr.cmd_type);
			return -EINVAL;
		}
		if (s->nrender + s->ncompute > AGX_JOB_MAX_COMMANDS) {
			drm_dbg(s->drm, "submit: more than %u commands\n", AGX_JOB_MAX_COMMANDS);
			return -EINVAL;
		}
	}
	if (ret < 0)
		return ret;
	if (!s->nrender && !s->ncompute) {
		drm_dbg(s->drm, "submit: no RENDER or COMPUTE command\n");
		return -EINVAL;
	}
	if (s->nrender) {
		/* An InitBuffer in front of the queue's first render. */
		s->nentries[AGX_PIPE_VERTEX]++;
		s->priv_size += agx_sz(l, AGXFW_S_InitBuffer);
	}
	return 0;
}

/* ---- Building (second pass) --------------------------------------------------- */

/* Carve @size bytes out of the job's command or private object. */
static u8 *agx_take(struct agx_fw_mem *mem, size_t *off, size_t size, u64 *va)
{
	size_t at = *off;

	*off = ALIGN(at + size, AGX_CMD_ALIGN);
	if (WARN_ON(*off > mem->size))
		return NULL;
	*va = mem->va + at;
	return (u8 *)mem->cpu + at;
}

static void agx_job_add_entry(struct agx_job *job, enum agx_pipe p, u64 va)
{
	job->entries[p][job->nentries[p]++] = va;
}

static u32 agx_wq_next_value(struct agx_job *job, struct agx_wq *wq)
{
	u32 v = wq->next_value;

	wq->next_value += AGX_STAMP_STEP;
	if (!wq->next_value)
		wq->next_value = AGX_STAMP_STEP;
	wq->last_value = v;
	job->value[wq->pipe] = v;
	job->has_value[wq->pipe] = true;
	return v;
}

/* A Barrier on @on's work queue waiting for @wait's private stamp >= @value. */
static void agx_build_barrier(struct agx_submit *s, struct agx_job *job, enum agx_pipe on,
			      struct agx_wq *wait, u32 value, bool explicit)
{
	const struct agxfw_layout *l = s->l;
	u64 va;
	u8 *b = agx_take(&job->priv, &s->priv_off, agxfw_sizeof(l, AGXFW_S_Barrier), &va);

	if (!b)
		return;
	agxfw_set(l, b, AGXFW_F_Barrier__tag, agxfw_const_get(l, AGXFW_C_CMD_BARRIER));
	agxfw_set(l, b, AGXFW_F_Barrier__wait_stamp, wait->fw_stamp_va);
	agxfw_set(l, b, AGXFW_F_Barrier__wait_value, value);
	agxfw_set(l, b, AGXFW_F_Barrier__wait_slot, wait->slot);
	if (explicit) {
		agxfw_set(l, b, AGXFW_F_Barrier__uuid, AGX_BARRIER_UUID_EXPLICIT);
		agxfw_set(l, b, AGXFW_F_Barrier__external_barrier, 1);
		agxfw_set(l, b, AGXFW_F_Barrier__internal_barrier_type, 1);
	}
	agx_job_add_entry(job, on, va);
}

/* The stamp value a header barrier names, or 0 for none. */
static u32 agx_barrier_value(u16 barrier, u32 prev, const u32 *values)
{
	if (barrier == DRM_ASAHI_BARRIER_NONE)
		return 0;
	if (!barrier)
		return prev;
	return values[barrier - 1];
}

static void agx_header_barriers(struct agx_submit *s, struct agx_job *job, enum agx_pipe on,
				const struct drm_asahi_cmd_header *hdr)
{
	struct agx_queue *q = s->q;
	u32 v;

	if (on != AGX_PIPE_FRAGMENT) {
		v = agx_barrier_value(hdr->vdm_barrier, s->prev_frag, s->frag_value);
		if (v)
			agx_build_barrier(s, job, on, &q->wq[AGX_PIPE_FRAGMENT], v, true);
	}
	if (on != AGX_PIPE_COMPUTE) {
		v = agx_barrier_value(hdr->cdm_barrier, s->prev_comp, s->comp_value);
		if (v)
			agx_build_barrier(s, job, on, &q->wq[AGX_PIPE_COMPUTE], v, true);
	}
}

/* Attachments into a Start op (list entries, count). */
static void agx_set_attachments(const struct agxfw_layout *l, u8 *op,
				const struct agx_attachments *att, enum agxfw_field_id addr,
				enum agxfw_field_id size, enum agxfw_field_id unk_c,
				enum agxfw_field_id count)
{
	u32 i;

	for (i = 0; i < att->n && i < l->fields[addr].count; i++) {
		agxfw_set_idx(l, op, addr, i, att->a[i].pointer);
		/* Whole 128-byte cache lines (facts 1.3 step 3). */
		agxfw_set_idx(l, op, size, i, ALIGN(att->a[i].size, 0x80));
		agxfw_set_idx(l, op, unk_c, i, 0x17);
	}
	agxfw_set(l, op, count, min_t(u32, att->n, l->fields[addr].count));
}

/*
 * A Timestamp op writing the firmware's clock to @where (0: none) at the
 * start or @end of the work; returns the next op.
 */
static u8 *agx_put_ts(const struct agxfw_layout *l, u8 *op, u64 where, bool end, u64 cur_ts,
		      u64 start_ts, const struct agx_wq *wq, u32 uuid)
{
	if (!where)
		return op;
	agxfw_set(l, op, AGXFW_F_Timestamp__header,
		  agxfw_const_get(l, AGXFW_C_OP_TIMESTAMP) | (end ? 1U << 31 : 0));
	agxfw_set(l, op, AGXFW_F_Timestamp__cur_ts, cur_ts);
	agxfw_set(l, op, AGXFW_F_Timestamp__start_ts, start_ts);
	agxfw_set(l, op, AGXFW_F_Timestamp__update_ts, where);
	agxfw_set(l, op, AGXFW_F_Timestamp__work_queue, wq->info_va);
	agxfw_set(l, op, AGXFW_F_Timestamp__uuid, uuid);
	return op + agxfw_sizeof(l, AGXFW_S_Timestamp);
}

static u32 agx_wait_header(const struct agxfw_layout *l, enum agxfw_const_id pipe)
{
	u32 op = agxfw_const_get(l, l->gen == AGXFW_GEN_G14X ? AGXFW_C_OP_WAIT_FOR_IDLE2 :
							      AGXFW_C_OP_WAIT_FOR_IDLE);

	return op | (u32)agxfw_const_get(l, pipe) << 8;
}

static void agx_build_compute(struct agx_submit *s, struct agx_job *job,
			      const struct drm_asahi_cmd_header *hdr,
			      const struct drm_asahi_cmd_compute *c, const u64 *ts, u32 uuid, bool last)
{
	const struct agxfw_layout *l = s->l;
	struct agx_queue *q = s->q;
	struct agx_wq *wq = &q->wq[AGX_PIPE_COMPUTE];
	enum agxfw_struct_id wait_s = l->gen == AGXFW_GEN_G14X ? AGXFW_S_WaitForIdle2 :
								AGXFW_S_WaitForIdle;
	u32 ssz = agxfw_sizeof(l, AGXFW_S_StartCompute), wsz = agxfw_sizeof(l, wait_s);
	u32 fsz = agxfw_sizeof(l, AGXFW_S_FinalizeCompute);
	u32 rsz = agxfw_sizeof(l, AGXFW_S_RetireStamp);
	u64 cmd_va, ms_va, jp1 = 0, jp2;
	u8 *cmd, *op, *ms;
	u32 v;

	agx_header_barriers(s, job, AGX_PIPE_COMPUTE, hdr);

	cmd = agx_take(&job->cmds, &s->cmd_off, agxfw_sizeof(l, AGXFW_S_RunCompute), &cmd_va);
	op = agx_take(&job->priv, &s->priv_off,
		      ssz + wsz + fsz + rsz + 2 * agxfw_sizeof(l, AGXFW_S_Timestamp), &ms_va);
	ms = op;
	if (!cmd || !op)
		return;
	v = agx_wq_next_value(job, wq);
	s->comp_value[s->ncompute++] = v;
	job->notifications += 1;

	jp2 = cmd_va + agxfw_offsetof(l, AGXFW_F_RunCompute__job_params2__encoder_end) -
	      agxfw_offsetof(l, AGXFW_F_ComputeJobParameters2__encoder_end);
	agxfw_set(l, cmd, AGXFW_F_RunCompute__tag, agxfw_const_get(l, AGXFW_C_CMD_RUN_COMPUTE));
	agxfw_set(l, cmd, AGXFW_F_RunCompute__vm_slot, q->vm_slot);
	agxfw_set(l, cmd, AGXFW_F_RunCompute__notifier, q->notifier_va);
	if (agxfw_has(l, AGXFW_F_RunCompute__job_params1__encoder)) {
		jp1 = cmd_va + agxfw_offsetof(l, AGXFW_F_RunCompute__job_params1__preempt_buf1);
		agxfw_set(l, cmd, AGXFW_F_RunCompute__job_params1__encoder, c->cdm_ctrl_stream_base);
		agxfw_set(l, cmd, AGXFW_F_RunCompute__job_params1__pipeline_base, q->usc_exec_base);
		agxfw_set(l, cmd, AGXFW_F_RunCompute__job_params1__helper_program, c->helper.binary);
		agxfw_set(l, cmd, AGXFW_F_RunCompute__job_params1__helper_arg, c->helper.data);
		agxfw_set(l, cmd, AGXFW_F_RunCompute__job_params1__helper_cfg, c->helper.cfg);
	} else {
		static const u32 regs[] = {
			AGX_REG_USC_EXEC_BASE_CP, AGX_REG_CDM_CTRL_STREAM_BASE,
			AGX_REG_CP_HELPER_PROGRAM, AGX_REG_CP_HELPER_ARG, AGX_REG_CP_HELPER_CFG,
		};
		const u64 vals[] = {
			q->usc_exec_base, c->cdm_ctrl_stream_base, c->helper.binary,
			c->helper.data, c->helper.cfg,
		};
		u32 i;

		for (i = 0; i < ARRAY_SIZE(regs); i++) {
			agxfw_set_idx(l, cmd, AGXFW_F_RunCompute__registers__registers__number, i,
				      regs[i]);
			agxfw_set_idx(l, cmd, AGXFW_F_RunCompute__registers__registers__value, i,
				      vals[i]);
		}
		agxfw_set(l, cmd, AGXFW_F_RunCompute__registers__count, ARRAY_SIZE(regs));
		agxfw_set(l, cmd, AGXFW_F_RunCompute__registers__addr,
			  cmd_va + agxfw_offsetof(l,
						  AGXFW_F_RunCompute__registers__registers__number));
	}
	agxfw_set(l, cmd, AGXFW_F_RunCompute__job_params2__encoder_end, c->cdm_ctrl_stream_end);
	agxfw_set(l, cmd, AGXFW_F_RunCompute__microsequence, ms_va);
		agxfw_set(l, cmd, AGXFW_F_RunCompute__meta__stamp, wq->stamp_va);
	agxfw_set(l, cmd, AGXFW_F_RunCompute__meta__fw_stamp, wq->fw_stamp_va);
	agxfw_set(l, cmd, AGXFW_F_RunCompute__meta__stamp_value, v);
	agxfw_set(l, cmd, AGXFW_F_RunCompute__meta__stamp_slot, wq->slot);
	agxfw_set(l, cmd, AGXFW_F_RunCompute__meta__uuid, uuid);
	agxfw_set(l, cmd, AGXFW_F_RunCompute__meta__flush_stamps, last);
	agxfw_set(l, cmd, AGXFW_F_RunCompute__start_ts, ts[0]);
	agxfw_set(l, cmd, AGXFW_F_RunCompute__end_ts, ts[1]);

	agxfw_set(l, op, AGXFW_F_StartCompute__header,
		  agxfw_const_get(l, AGXFW_C_OP_START_COMPUTE));
	agxfw_set(l, op, AGXFW_F_StartCompute__job_params1, jp1);
	agxfw_set(l, op, AGXFW_F_StartCompute__job_params2, jp2);
	agxfw_set(l, op, AGXFW_F_StartCompute__work_queue, wq->info_va);
	agxfw_set(l, op, AGXFW_F_StartCompute__vm_slot, q->vm_slot);
	agxfw_set(l, op, AGXFW_F_StartCompute__uuid, uuid);
	agx_set_attachments(l, op, &s->att[AGX_PIPE_COMPUTE],
			    AGXFW_F_StartCompute__attachments__list__address,
			    AGXFW_F_StartCompute__attachments__list__size,
			    AGXFW_F_StartCompute__attachments__list__unk_c,
			    AGXFW_F_StartCompute__attachments__count);
	op = agx_put_ts(l, op + ssz, ts[0], false, cmd_va + agxfw_offsetof(l, AGXFW_F_RunCompute__cur_ts),
			ts[0], wq, uuid);
	agxfw_set(l, op, AGXFW_F_WaitForIdle__header, agx_wait_header(l, AGXFW_C_WAIT_PIPE_COMPUTE));
	op = agx_put_ts(l, op + wsz, ts[1], true, cmd_va + agxfw_offsetof(l, AGXFW_F_RunCompute__cur_ts),
			ts[0], wq, uuid);
	agxfw_set(l, op, AGXFW_F_FinalizeCompute__header,
		  agxfw_const_get(l, AGXFW_C_OP_FINALIZE_COMPUTE));
	agxfw_set(l, op, AGXFW_F_FinalizeCompute__work_queue, wq->info_va);
	agxfw_set(l, op, AGXFW_F_FinalizeCompute__vm_slot, q->vm_slot);
	agxfw_set(l, op, AGXFW_F_FinalizeCompute__job_params2, jp2);
	agxfw_set(l, op, AGXFW_F_FinalizeCompute__uuid, uuid);
	agxfw_set(l, op, AGXFW_F_FinalizeCompute__fw_stamp, wq->fw_stamp_va);
	agxfw_set(l, op, AGXFW_F_FinalizeCompute__stamp_value, v);
	/* Back to StartCompute, for restarts. */
	agxfw_set(l, op, AGXFW_F_FinalizeCompute__restart_branch_offset, (u32)-(s32)(op - ms));
	agxfw_set(l, op, AGXFW_F_FinalizeCompute__has_attachments,
		  s->att[AGX_PIPE_COMPUTE].n != 0);
	op += fsz;
	agxfw_set(l, op, AGXFW_F_RetireStamp__header,
		  agxfw_const_get(l, AGXFW_C_OP_RETIRE_STAMP) |
		  agxfw_const_get(l, AGXFW_C_RETIRE_STAMP_ARGS));
	op += rsz;
	agxfw_set(l, cmd, AGXFW_F_RunCompute__microsequence_size, op - ms);
	agx_job_add_entry(job, AGX_PIPE_COMPUTE, cmd_va);
}

/* ---- RENDER ---------------------------------------------------------------------- */

/* G14X register numbers of a render (facts 3.7; simulator table). */
#define AGX_REG_TE_TVB_TILEMAP 0x1c039
#define AGX_REG_TE_TVB_HEAPMETA 0x1c031
#define AGX_REG_TE_TPC_ADDR 0x1c0a1
#define AGX_REG_ISP_SCISSOR_BASE 0x15109
#define AGX_REG_ISP_DBIAS_BASE 0x15101

static void agx_set_regs(const struct agxfw_layout *l, u8 *cmd, u64 cmd_va,
			 enum agxfw_field_id num, enum agxfw_field_id val,
			 enum agxfw_field_id count, enum agxfw_field_id addr,
			 const u32 *regs, const u64 *vals, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		agxfw_set_idx(l, cmd, num, i, regs[i]);
		agxfw_set_idx(l, cmd, val, i, vals[i]);
	}
	agxfw_set(l, cmd, count, n);
	agxfw_set(l, cmd, addr, cmd_va + agxfw_offsetof(l, num));
}

static void agx_build_vertex(struct agx_submit *s, struct agx_job *job,
			     const struct drm_asahi_cmd_render *r, const struct agx_tiling *t,
			     u64 tilemap, u64 tpc, u64 heapmeta, u64 scene, const u64 *ts,
			     u32 uuid, u32 frag_value, bool last)
{
	const struct agxfw_layout *l = s->l;
	struct agx_queue *q = s->q;
	struct agx_wq *wq = &q->wq[AGX_PIPE_VERTEX];
	enum agxfw_struct_id wait_s = l->gen == AGXFW_GEN_G14X ? AGXFW_S_WaitForIdle2 :
								AGXFW_S_WaitForIdle;
	u32 ssz = agxfw_sizeof(l, AGXFW_S_StartVertex), wsz = agxfw_sizeof(l, wait_s);
	u32 fsz = agxfw_sizeof(l, AGXFW_S_FinalizeVertex);
	u32 rsz = agxfw_sizeof(l, AGXFW_S_RetireStamp);
	u64 cmd_va, ms_va, jp1 = 0, tp = 0, regs = 0;
	u8 *cmd, *op, *ms;
	u32 v;

	cmd = agx_take(&job->cmds, &s->cmd_off, agxfw_sizeof(l, AGXFW_S_RunVertex), &cmd_va);
	op = agx_take(&job->priv, &s->priv_off,
		      ssz + wsz + fsz + rsz + 2 * agxfw_sizeof(l, AGXFW_S_Timestamp), &ms_va);
	ms = op;
	if (!cmd || !op)
		return;
	v = agx_wq_next_value(job, wq);

	agxfw_set(l, cmd, AGXFW_F_RunVertex__tag, agxfw_const_get(l, AGXFW_C_CMD_RUN_VERTEX));
	agxfw_set(l, cmd, AGXFW_F_RunVertex__vm_slot, q->vm_slot);
	agxfw_set(l, cmd, AGXFW_F_RunVertex__notifier, q->notifier_va);
	agxfw_set(l, cmd, AGXFW_F_RunVertex__scene, scene);
	agxfw_set(l, cmd, AGXFW_F_RunVertex__buffer, q->tvb.info.va);
	agxfw_set(l, cmd, AGXFW_F_RunVertex__buffer_slot, q->tvb.slot);
	agxfw_set(l, cmd, AGXFW_F_RunVertex__tpc, tpc);
	agxfw_set(l, cmd, AGXFW_F_RunVertex__tpc_size, t->tpc_B);
	agxfw_set(l, cmd, AGXFW_F_RunVertex__fragment_stamp_slot, q->wq[AGX_PIPE_FRAGMENT].slot);
	agxfw_set(l, cmd, AGXFW_F_RunVertex__fragment_stamp_value, frag_value);
	if (l->gen == AGXFW_GEN_G14X) {
		const u32 nums[] = {
			AGX_REG_USC_EXEC_BASE_TA, AGX_REG_VDM_CTRL_STREAM_BASE,
			AGX_REG_TE_TVB_TILEMAP, AGX_REG_TE_TVB_HEAPMETA, AGX_REG_TE_TPC_ADDR,
		};
		const u64 vals[] = {
			q->usc_exec_base, r->vdm_ctrl_stream_base, tilemap, heapmeta, tpc,
		};

		regs = cmd_va + agxfw_offsetof(l, AGXFW_F_RunVertex__registers__registers__number);
		agx_set_regs(l, cmd, cmd_va, AGXFW_F_RunVertex__registers__registers__number,
			     AGXFW_F_RunVertex__registers__registers__value,
			     AGXFW_F_RunVertex__registers__count,
			     AGXFW_F_RunVertex__registers__addr, nums, vals, ARRAY_SIZE(nums));
	} else {
		jp1 = cmd_va + agxfw_offsetof(l, AGXFW_F_RunVertex__job_params1__encoder_addr) -
		      agxfw_offsetof(l, AGXFW_F_VertexJobParameters1__encoder_addr);
		tp = cmd_va + agxfw_offsetof(l, AGXFW_F_RunVertex__tiling_params__rgn_size) -
		     agxfw_offsetof(l, AGXFW_F_TilingParameters__rgn_size);
		agxfw_set(l, cmd, AGXFW_F_RunVertex__job_params1__tvb_tilemap, tilemap);
		agxfw_set(l, cmd, AGXFW_F_RunVertex__job_params1__tpc, tpc);
		agxfw_set(l, cmd, AGXFW_F_RunVertex__job_params1__tvb_heapmeta, heapmeta);
		agxfw_set(l, cmd, AGXFW_F_RunVertex__job_params1__tvb_heapmeta_2, heapmeta);
		agxfw_set(l, cmd, AGXFW_F_RunVertex__job_params1__ppp_multisamplectl,
			  r->ppp_multisamplectl);
		agxfw_set(l, cmd, AGXFW_F_RunVertex__job_params1__encoder_addr,
			  r->vdm_ctrl_stream_base);
		agxfw_set(l, cmd, AGXFW_F_RunVertex__job_params1__pipeline_base, q->usc_exec_base);
		/* Tiling parameters (facts 3.8); the TE_* words are not encoded. */
		agxfw_set(l, cmd, AGXFW_F_RunVertex__tiling_params__rgn_size,
			  DIV_ROUND_UP((u64)t->tiles_x * t->tiles_y * AGX_RGN_ENTRY_B, 4));
		agxfw_set(l, cmd, AGXFW_F_RunVertex__tiling_params__unk_4, 0x88);
		agxfw_set(l, cmd, AGXFW_F_RunVertex__tiling_params__ppp_ctrl, r->ppp_ctrl);
		agxfw_set(l, cmd, AGXFW_F_RunVertex__tiling_params__x_max, r->width_px - 1);
		agxfw_set(l, cmd, AGXFW_F_RunVertex__tiling_params__y_max, r->height_px - 1);
		agxfw_set(l, cmd, AGXFW_F_RunVertex__tiling_params__tiles_per_mtile,
			  t->tpm_x * t->tpm_y);
		agxfw_set(l, cmd, AGXFW_F_RunVertex__tiling_params__tpc_stride,
			  t->tpc_B / r->layers);
		agxfw_set(l, cmd, AGXFW_F_RunVertex__tiling_params__unk_24, 0x100);
		agxfw_set(l, cmd, AGXFW_F_RunVertex__tiling_params__unk_28,
			  r->layers > 1 ? 0xe000 | (r->layers - 1) : 0x8000);
	}
	agxfw_set(l, cmd, AGXFW_F_RunVertex__microsequence, ms_va);
		agxfw_set(l, cmd, AGXFW_F_RunVertex__meta__stamp, wq->stamp_va);
	agxfw_set(l, cmd, AGXFW_F_RunVertex__meta__fw_stamp, wq->fw_stamp_va);
	agxfw_set(l, cmd, AGXFW_F_RunVertex__meta__stamp_value, v);
	agxfw_set(l, cmd, AGXFW_F_RunVertex__meta__stamp_slot, wq->slot);
	agxfw_set(l, cmd, AGXFW_F_RunVertex__meta__uuid, uuid);
	agxfw_set(l, cmd, AGXFW_F_RunVertex__meta__flush_stamps, last);
	agxfw_set(l, cmd, AGXFW_F_RunVertex__start_ts, ts[0]);
	agxfw_set(l, cmd, AGXFW_F_RunVertex__end_ts, ts[1]);

	agxfw_set(l, op, AGXFW_F_StartVertex__header, agxfw_const_get(l, AGXFW_C_OP_START_VERTEX));
	agxfw_set(l, op, AGXFW_F_StartVertex__tiling_params, tp);
	agxfw_set(l, op, AGXFW_F_StartVertex__job_params1, jp1);
	agxfw_set(l, op, AGXFW_F_StartVertex__registers, regs);
	agxfw_set(l, op, AGXFW_F_StartVertex__scene, scene);
	agxfw_set(l, op, AGXFW_F_StartVertex__buffer, q->tvb.info.va);
	agxfw_set(l, op, AGXFW_F_StartVertex__buffer_slot, q->tvb.slot);
	agxfw_set(l, op, AGXFW_F_StartVertex__work_queue, wq->info_va);
	agxfw_set(l, op, AGXFW_F_StartVertex__vm_slot, q->vm_slot);
	agxfw_set(l, op, AGXFW_F_StartVertex__uuid, uuid);
	agx_set_attachments(l, op, &s->att[AGX_PIPE_VERTEX],
			    AGXFW_F_StartVertex__attachments__list__address,
			    AGXFW_F_StartVertex__attachments__list__size,
			    AGXFW_F_StartVertex__attachments__list__unk_c,
			    AGXFW_F_StartVertex__attachments__count);
	op = agx_put_ts(l, op + ssz, ts[0], false, cmd_va + agxfw_offsetof(l, AGXFW_F_RunVertex__cur_ts),
			ts[0], wq, uuid);
	agxfw_set(l, op, AGXFW_F_WaitForIdle__header, agx_wait_header(l, AGXFW_C_WAIT_PIPE_VERTEX));
	op = agx_put_ts(l, op + wsz, ts[1], true, cmd_va + agxfw_offsetof(l, AGXFW_F_RunVertex__cur_ts),
			ts[0], wq, uuid);
	agxfw_set(l, op, AGXFW_F_FinalizeVertex__header,
		  agxfw_const_get(l, AGXFW_C_OP_FINALIZE_VERTEX));
	agxfw_set(l, op, AGXFW_F_FinalizeVertex__scene, scene);
	agxfw_set(l, op, AGXFW_F_FinalizeVertex__buffer, q->tvb.info.va);
	agxfw_set(l, op, AGXFW_F_FinalizeVertex__work_queue, wq->info_va);
	agxfw_set(l, op, AGXFW_F_FinalizeVertex__vm_slot, q->vm_slot);
	agxfw_set(l, op, AGXFW_F_FinalizeVertex__uuid, uuid);
	agxfw_set(l, op, AGXFW_F_FinalizeVertex__fw_stamp, wq->fw_stamp_va);
	agxfw_set(l, op, AGXFW_F_FinalizeVertex__stamp_value, v);
	agxfw_set(l, op, AGXFW_F_FinalizeVertex__restart_branch_offset, (u32)-(s32)(op - ms));
	agxfw_set(l, op, AGXFW_F_FinalizeVertex__has_attachments, s->att[AGX_PIPE_VERTEX].n != 0);
	op += fsz;
	agxfw_set(l, op, AGXFW_F_RetireStamp__header,
		  agxfw_const_get(l, AGXFW_C_OP_RETIRE_STAMP) |
		  agxfw_const_get(l, AGXFW_C_RETIRE_STAMP_ARGS));
	op += rsz;
	agxfw_set(l, cmd, AGXFW_F_RunVertex__microsequence_size, op - ms);
	agx_job_add_entry(job, AGX_PIPE_VERTEX, cmd_va);
}

static void agx_build_fragment(struct agx_submit *s, struct agx_job *job,
			       const struct drm_asahi_cmd_render *r, const struct agx_tiling *t,
			       u64 tilemap, u64 heapmeta, u64 scene, const u64 *ts, u32 uuid, u32 v,
			       bool last)
{
	const struct agxfw_layout *l = s->l;
	struct agx_queue *q = s->q;
	struct agx_wq *wq = &q->wq[AGX_PIPE_FRAGMENT];
	enum agxfw_struct_id wait_s = l->gen == AGXFW_GEN_G14X ? AGXFW_S_WaitForIdle2 :
								AGXFW_S_WaitForIdle;
	u32 ssz = agxfw_sizeof(l, AGXFW_S_StartFragment), wsz = agxfw_sizeof(l, wait_s);
	u32 fsz = agxfw_sizeof(l, AGXFW_S_FinalizeFragment);
	u32 rsz = agxfw_sizeof(l, AGXFW_S_RetireStamp);
	u64 cmd_va, ms_va, jp1 = 0, jp2 = 0, regs = 0;
	u8 *cmd, *op, *ms;

	cmd = agx_take(&job->cmds, &s->cmd_off, agxfw_sizeof(l, AGXFW_S_RunFragment), &cmd_va);
	op = agx_take(&job->priv, &s->priv_off,
		      ssz + wsz + fsz + rsz + 2 * agxfw_sizeof(l, AGXFW_S_Timestamp), &ms_va);
	ms = op;
	if (!cmd || !op)
		return;

	agxfw_set(l, cmd, AGXFW_F_RunFragment__tag, agxfw_const_get(l, AGXFW_C_CMD_RUN_FRAGMENT));
	agxfw_set(l, cmd, AGXFW_F_RunFragment__vm_slot, q->vm_slot);
	agxfw_set(l, cmd, AGXFW_F_RunFragment__notifier, q->notifier_va);
	agxfw_set(l, cmd, AGXFW_F_RunFragment__scene, scene);
	agxfw_set(l, cmd, AGXFW_F_RunFragment__buffer, q->tvb.info.va);
	agxfw_set(l, cmd, AGXFW_F_RunFragment__tvb_tilemap, tilemap);
	agxfw_set(l, cmd, AGXFW_F_RunFragment__ppp_multisamplectl, r->ppp_multisamplectl);
	agxfw_set(l, cmd, AGXFW_F_RunFragment__samples, r->samples);
	agxfw_set(l, cmd, AGXFW_F_RunFragment__tiles_per_mtile_x, t->tpm_x);
	agxfw_set(l, cmd, AGXFW_F_RunFragment__tiles_per_mtile_y, t->tpm_y);
	agxfw_set(l, cmd, AGXFW_F_RunFragment__merge_upper_x, r->isp_merge_upper_x);
	agxfw_set(l, cmd, AGXFW_F_RunFragment__merge_upper_y, r->isp_merge_upper_y);
	agxfw_set(l, cmd, AGXFW_F_RunFragment__tile_count, t->tiles_x * t->tiles_y);
	agxfw_set(l, cmd, AGXFW_F_RunFragment__process_empty_tiles,
		  !!(r->flags & DRM_ASAHI_RENDER_PROCESS_EMPTY_TILES));
	if (l->gen == AGXFW_GEN_G14X) {
		const u32 nums[] = {
			AGX_REG_USC_EXEC_BASE_ISP, AGX_REG_ISP_SCISSOR_BASE, AGX_REG_ISP_DBIAS_BASE,
		};
		const u64 vals[] = { q->usc_exec_base, r->isp_scissor_base, r->isp_dbias_base };

		regs = cmd_va + agxfw_offsetof(l,
					       AGXFW_F_RunFragment__registers__registers__number);
		agx_set_regs(l, cmd, cmd_va, AGXFW_F_RunFragment__registers__registers__number,
			     AGXFW_F_RunFragment__registers__registers__value,
			     AGXFW_F_RunFragment__registers__count,
			     AGXFW_F_RunFragment__registers__addr, nums, vals, ARRAY_SIZE(nums));
	} else {
		jp1 = cmd_va + agxfw_offsetof(l, AGXFW_F_RunFragment__job_params1__pipeline_base) -
		      agxfw_offsetof(l, AGXFW_F_FragmentJobParameters1__pipeline_base);
		jp2 = cmd_va + agxfw_offsetof(l,
					      AGXFW_F_RunFragment__job_params2__store_pipeline_bind) -
		      agxfw_offsetof(l, AGXFW_F_FragmentJobParameters2__store_pipeline_bind);
#define AGX_SET_JP1(f, val) agxfw_set(l, cmd, AGXFW_F_RunFragment__job_params1__##f, (val))
#define AGX_SET_JP2(f, val) agxfw_set(l, cmd, AGXFW_F_RunFragment__job_params2__##f, (val))
		AGX_SET_JP1(clear_pipeline__address, r->bg.usc);
		AGX_SET_JP1(clear_pipeline__pipeline_bind, r->bg.rsrc_spec);
		AGX_SET_JP1(ppp_multisamplectl, r->ppp_multisamplectl);
		AGX_SET_JP1(scissor_array, r->isp_scissor_base);
		AGX_SET_JP1(depth_bias_array, r->isp_dbias_base);
		AGX_SET_JP1(aux_fb_info__width, r->width_px);
		AGX_SET_JP1(aux_fb_info__height, r->height_px);
		AGX_SET_JP1(depth_dimensions, r->isp_zls_pixels);
		AGX_SET_JP1(visibility_result_buffer, r->isp_oclqry_base);
		AGX_SET_JP1(zls_ctrl, r->zls_ctrl);
		AGX_SET_JP1(depth_buffer_ptr1, r->depth.base);
		AGX_SET_JP1(depth_buffer_ptr2, r->depth.base);
		AGX_SET_JP1(depth_buffer_stride1, r->depth.stride);
		AGX_SET_JP1(depth_buffer_stride2, r->depth.stride);
		AGX_SET_JP1(depth_meta_buffer_ptr1, r->depth.comp_base);
		AGX_SET_JP1(depth_meta_buffer_ptr2, r->depth.comp_base);
		AGX_SET_JP1(depth_meta_buffer_stride1, r->depth.comp_stride);
		AGX_SET_JP1(depth_meta_buffer_stride2, r->depth.comp_stride);
		AGX_SET_JP1(stencil_buffer_ptr1, r->stencil.base);
		AGX_SET_JP1(stencil_buffer_ptr2, r->stencil.base);
		AGX_SET_JP1(stencil_buffer_stride1, r->stencil.stride);
		AGX_SET_JP1(stencil_buffer_stride2, r->stencil.stride);
		AGX_SET_JP1(stencil_meta_buffer_ptr1, r->stencil.comp_base);
		AGX_SET_JP1(stencil_meta_buffer_ptr2, r->stencil.comp_base);
		AGX_SET_JP1(stencil_meta_buffer_stride1, r->stencil.comp_stride);
		AGX_SET_JP1(stencil_meta_buffer_stride2, r->stencil.comp_stride);
		AGX_SET_JP1(tvb_tilemap, tilemap);
		AGX_SET_JP1(tvb_heapmeta, heapmeta);
		AGX_SET_JP1(pipeline_base, q->usc_exec_base);
		AGX_SET_JP1(helper_program, r->fragment_helper.binary);
		AGX_SET_JP1(helper_arg, r->fragment_helper.data);
		AGX_SET_JP2(store_pipeline_bind, r->eot.rsrc_spec);
		AGX_SET_JP2(store_pipeline_addr, r->eot.usc);
		AGX_SET_JP2(merge_upper_x, r->isp_merge_upper_x);
		AGX_SET_JP2(merge_upper_y, r->isp_merge_upper_y);
		AGX_SET_JP2(isp_bgobjdepth, r->isp_bgobjdepth);
		AGX_SET_JP2(isp_bgobjvals, r->isp_bgobjvals);
		AGX_SET_JP2(helper_cfg, r->fragment_helper.cfg);
#undef AGX_SET_JP1
#undef AGX_SET_JP2
	}
	agxfw_set(l, cmd, AGXFW_F_RunFragment__microsequence, ms_va);
		agxfw_set(l, cmd, AGXFW_F_RunFragment__meta__stamp, wq->stamp_va);
	agxfw_set(l, cmd, AGXFW_F_RunFragment__meta__fw_stamp, wq->fw_stamp_va);
	agxfw_set(l, cmd, AGXFW_F_RunFragment__meta__stamp_value, v);
	agxfw_set(l, cmd, AGXFW_F_RunFragment__meta__stamp_slot, wq->slot);
	agxfw_set(l, cmd, AGXFW_F_RunFragment__meta__uuid, uuid);
	agxfw_set(l, cmd, AGXFW_F_RunFragment__meta__flush_stamps, last);
	agxfw_set(l, cmd, AGXFW_F_RunFragment__start_ts, ts[2]);
	agxfw_set(l, cmd, AGXFW_F_RunFragment__end_ts, ts[3]);

	agxfw_set(l, op, AGXFW_F_StartFragment__header,
		  agxfw_const_get(l, AGXFW_C_OP_START_FRAGMENT));
	agxfw_set(l, op, AGXFW_F_StartFragment__job_params1, jp1);
	agxfw_set(l, op, AGXFW_F_StartFragment__job_params2, jp2);
	agxfw_set(l, op, AGXFW_F_StartFragment__registers, regs);
	agxfw_set(l, op, AGXFW_F_StartFragment__scene, scene);
	agxfw_set(l, op, AGXFW_F_StartFragment__buffer_slot, q->tvb.slot);
	agxfw_set(l, op, AGXFW_F_StartFragment__work_queue, wq->info_va);
	agxfw_set(l, op, AGXFW_F_StartFragment__vm_slot, q->vm_slot);
	agxfw_set(l, op, AGXFW_F_StartFragment__uuid, uuid);
	agx_set_attachments(l, op, &s->att[AGX_PIPE_FRAGMENT],
			    AGXFW_F_StartFragment__attachments__list__address,
			    AGXFW_F_StartFragment__attachments__list__size,
			    AGXFW_F_StartFragment__attachments__list__unk_c,
			    AGXFW_F_StartFragment__attachments__count);
	op = agx_put_ts(l, op + ssz, ts[2], false, cmd_va + agxfw_offsetof(l, AGXFW_F_RunFragment__cur_ts),
			ts[2], wq, uuid);
	agxfw_set(l, op, AGXFW_F_WaitForIdle__header, agx_wait_header(l, AGXFW_C_WAIT_PIPE_FRAGMENT));
	op = agx_put_ts(l, op + wsz, ts[3], true, cmd_va + agxfw_offsetof(l, AGXFW_F_RunFragment__cur_ts),
			ts[2], wq, uuid);
	agxfw_set(l, op, AGXFW_F_FinalizeFragment__header,
		  agxfw_const_get(l, AGXFW_C_OP_FINALIZE_FRAGMENT));
	agxfw_set(l, op, AGXFW_F_FinalizeFragment__uuid, uuid);
	agxfw_set(l, op, AGXFW_F_FinalizeFragment__fw_stamp, wq->fw_stamp_va);
	agxfw_set(l, op, AGXFW_F_FinalizeFragment__stamp_value, v);
	agxfw_set(l, op, AGXFW_F_FinalizeFragment__scene, scene);
	agxfw_set(l, op, AGXFW_F_FinalizeFragment__buffer, q->tvb.info.va);
	agxfw_set(l, op, AGXFW_F_FinalizeFragment__work_queue, wq->info_va);
	agxfw_set(l, op, AGXFW_F_FinalizeFragment__vm_slot, q->vm_slot);
	agxfw_set(l, op, AGXFW_F_FinalizeFragment__restart_branch_offset, (u32)-(s32)(op - ms));
	agxfw_set(l, op, AGXFW_F_FinalizeFragment__has_attachments,
		  s->att[AGX_PIPE_FRAGMENT].n != 0);
	op += fsz;
	agxfw_set(l, op, AGXFW_F_RetireStamp__header,
		  agxfw_const_get(l, AGXFW_C_OP_RETIRE_STAMP) |
		  agxfw_const_get(l, AGXFW_C_RETIRE_STAMP_ARGS));
	op += rsz;
	agxfw_set(l, cmd, AGXFW_F_RunFragment__microsequence_size, op - ms);
	agx_job_add_entry(job, AGX_PIPE_FRAGMENT, cmd_va);
}

/* InitBuffer: bind the queue's TVB to its buffer-manager slot (facts 3.9). */
static void agx_build_init_buffer(struct agx_submit *s, struct agx_job *job)
{
	const struct agxfw_layout *l = s->l;
	struct agx_queue *q = s->q;
	u64 va;
	u8 *b = agx_take(&job->priv, &s->priv_off, agxfw_sizeof(l, AGXFW_S_InitBuffer), &va);

	if (!b)
		return;
	agxfw_set(l, b, AGXFW_F_InitBuffer__tag, agxfw_const_get(l, AGXFW_C_CMD_INIT_BUFFER));
	agxfw_set(l, b, AGXFW_F_InitBuffer__vm_slot, q->vm_slot);
	agxfw_set(l, b, AGXFW_F_InitBuffer__buffer_slot, q->tvb.slot);
	agxfw_set(l, b, AGXFW_F_InitBuffer__block_count, q->tvb.nblocks);
	agxfw_set(l, b, AGXFW_F_InitBuffer__buffer, q->tvb.info.va);
	agxfw_set(l, b, AGXFW_F_InitBuffer__stamp_value, q->wq[AGX_PIPE_VERTEX].next_value);
	agx_job_add_entry(job, AGX_PIPE_VERTEX, va);
	q->tvb.announced = true;
}

/*
 * A RENDER: header barriers and RunVertex on the vertex work queue; an
 * internal Barrier (vertex stamp) and RunFragment on the fragment one.
 */
static void agx_build_render(struct agx_submit *s, struct agx_job *job,
			     const struct drm_asahi_cmd_header *hdr,
			     const struct drm_asahi_cmd_render *r, const u64 *ts, u32 uuid, bool last)
{
	const struct agxfw_layout *l = s->l;
	struct agx_queue *q = s->q;
	struct agx_tiling t;
	u64 tilemap, tpc, heapmeta, scene;
	u32 vv, fv;
	u8 *sc;

	agx_tiling(r, &t);
	tilemap = job->vm_mem.va + s->vm_off;
	tpc = tilemap + t.tilemap_B;
	heapmeta = tpc + t.tpc_B;
	s->vm_off += agx_render_vm_bytes(r);
	sc = agx_take(&job->priv, &s->priv_off, agxfw_sizeof(l, AGXFW_S_Scene), &scene);
	if (!sc)
		return;
	agxfw_set(l, sc, AGXFW_F_Scene__pass_page_count, q->tvb.nblocks * 4);
	agxfw_set(l, sc, AGXFW_F_Scene__total_page_count, q->tvb.nblocks * 4);
	agxfw_set(l, sc, AGXFW_F_Scene__stats, q->tvb.stats_va);

	agx_header_barriers(s, job, AGX_PIPE_VERTEX, hdr);
	if (!q->tvb.announced)
		agx_build_init_buffer(s, job);
	/* The fragment value first: the vertex command names it. */
	fv = q->wq[AGX_PIPE_FRAGMENT].next_value;
	agx_build_vertex(s, job, r, &t, tilemap, tpc, heapmeta, scene, ts, uuid, fv, last);
	vv = job->value[AGX_PIPE_VERTEX];

	agx_build_barrier(s, job, AGX_PIPE_FRAGMENT, &q->wq[AGX_PIPE_VERTEX], vv, false);
	fv = agx_wq_next_value(job, &q->wq[AGX_PIPE_FRAGMENT]);
	agx_build_fragment(s, job, r, &t, tilemap, heapmeta, scene, ts, uuid, fv, last);
	s->frag_value[s->nrender++] = fv;
	job->notifications += 2;
}

static void agx_submit_build(struct agx_submit *s, struct agx_job *job)
{
	struct drm_asahi_cmd_header hdr;
	const u8 *payload;
	u32 off = 0, n = 0, total = s->nrender + s->ncompute;
	u32 uuid;

	s->prev_frag = s->q->wq[AGX_PIPE_FRAGMENT].last_value;
	s->prev_comp = s->q->wq[AGX_PIPE_COMPUTE].last_value;
	s->nrender = 0;
	s->ncompute = 0;
	memset(s->att, 0, sizeof(s->att));

	while (agx_cmd_next(s, &off, &hdr, &payload) > 0) {
		union {
			struct drm_asahi_cmd_render r;
			struct drm_asahi_cmd_compute c;
		} u;
		struct agx_attachments *att;

		switch (hdr.cmd_type) {
		case DRM_ASAHI_CMD_RENDER:
			agx_cmd_payload(s, &hdr, payload, &u.r, sizeof(u.r));
			uuid = atomic_inc_return(&s->q->adev->job_uuid);
			agx_build_render(s, job, &hdr, &u.r, s->ts_va[n], uuid, n + 1 == total);
			n++;
			break;
		case DRM_ASAHI_CMD_COMPUTE:
			agx_cmd_payload(s, &hdr, payload, &u.c, sizeof(u.c));
			uuid = atomic_inc_return(&s->q->adev->job_uuid);
			agx_build_compute(s, job, &hdr, &u.c, s->ts_va[n], uuid, n + 1 == total);
			n++;
			break;
		default:
			att = &s->att[hdr.cmd_type == DRM_ASAHI_SET_VERTEX_ATTACHMENTS ?
				      AGX_PIPE_VERTEX :
				      hdr.cmd_type == DRM_ASAHI_SET_FRAGMENT_ATTACHMENTS ?
				      AGX_PIPE_FRAGMENT : AGX_PIPE_COMPUTE];
			att->n = hdr.size / sizeof(att->a[0]);
			memcpy(att->a, payload, hdr.size);
			break;
		}
	}
}


/* ---- Syncs ------------------------------------------------------------------------ */

static int agx_submit_in_syncs(struct drm_device *drm, struct drm_file *file,
			       struct agx_job *job, const struct drm_asahi_sync *syncs,
			       u32 count)
{
	u32 i;
	int ret;

	for (i = 0; i < count; i++) {
		const struct drm_asahi_sync *sy = &syncs[i];
		struct dma_fence *fence;

		if (sy->sync_type != DRM_ASAHI_SYNC_SYNCOBJ &&
		    sy->sync_type != DRM_ASAHI_SYNC_TIMELINE_SYNCOBJ) {
			drm_dbg(drm, "submit: in-sync %u: unknown type %u\n", i, sy->sync_type);
			return -EINVAL;
		}
		if (sy->sync_type == DRM_ASAHI_SYNC_SYNCOBJ && sy->timeline_value) {
			drm_dbg(drm, "submit: in-sync %u: binary with a timeline value\n", i);
			return -EINVAL;
		}
		ret = drm_syncobj_find_fence(file, sy->handle, sy->timeline_value, 0, &fence);
		if (ret) {
			drm_dbg(drm, "submit: in-sync %u: handle %u point %llu: %d\n", i,
				sy->handle, sy->timeline_value, ret);
			return ret;
		}
		ret = drm_sched_job_add_dependency(&job->base, fence);
		if (ret)
			return ret;
	}
	return 0;
}

static void agx_out_syncs_free(struct agx_out_sync *out, u32 count)
{
	u32 i;

	if (!out)
		return;
	for (i = 0; i < count; i++) {
		if (out[i].obj)
			drm_syncobj_put(out[i].obj);
		dma_fence_chain_free(out[i].chain);
	}
	kvfree(out);
}

static int agx_submit_out_syncs(struct drm_device *drm, struct drm_file *file,
				const struct drm_asahi_sync *syncs, u32 count,
				struct agx_out_sync **outp)
{
	struct agx_out_sync *out;
	u32 i;

	*outp = NULL;
	if (!count)
		return 0;
	out = kvcalloc(count, sizeof(*out), GFP_KERNEL);
	if (!out)
		return -ENOMEM;
	*outp = out;
	for (i = 0; i < count; i++) {
		const struct drm_asahi_sync *sy = &syncs[i];

		if (sy->sync_type != DRM_ASAHI_SYNC_SYNCOBJ &&
		    sy->sync_type != DRM_ASAHI_SYNC_TIMELINE_SYNCOBJ) {
			drm_dbg(drm, "submit: out-sync %u: unknown type %u\n", i, sy->sync_type);
			return -EINVAL;
		}
		if (sy->sync_type == DRM_ASAHI_SYNC_SYNCOBJ && sy->timeline_value) {
			drm_dbg(drm, "submit: out-sync %u: binary with a timeline value\n", i);
			return -EINVAL;
		}
		out[i].obj = drm_syncobj_find(file, sy->handle);
		if (!out[i].obj) {
			drm_dbg(drm, "submit: out-sync %u: no sync object %u\n", i, sy->handle);
			return -ENOENT;
		}
		if (sy->sync_type == DRM_ASAHI_SYNC_TIMELINE_SYNCOBJ) {
			out[i].chain = dma_fence_chain_alloc();
			if (!out[i].chain)
				return -ENOMEM;
			out[i].point = sy->timeline_value;
		}
	}
	return 0;
}

/* ---- The ioctl ----------------------------------------------------------------------- */

static int agx_job_alloc_entries(struct agx_job *job, const struct agx_submit *s)
{
	unsigned int p;

	for (p = 0; p < AGX_PIPE_COUNT; p++) {
		if (!s->nentries[p])
			continue;
		job->entries[p] = kcalloc(s->nentries[p], sizeof(u64), GFP_KERNEL);
		if (!job->entries[p])
			return -ENOMEM;
	}
	return 0;
}

/**
 * agx_ioctl_submit() - DRM_IOCTL_ASAHI_SUBMIT.
 * @drm: The DRM device.
 * @data: &struct drm_asahi_submit.
 * @file: The DRM file.
 *
 * Return: 0; -EINVAL for a malformed request (see the DOC section),
 * -ENOENT for an unknown queue or sync object, -EFAULT, -ENOMEM, -ENODEV
 * once the firmware is gone or the queue is being destroyed.
 */
int agx_ioctl_submit(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct agx_device *adev = to_agx_device(drm);
	struct agx_file *afile = file->driver_priv;
	struct drm_asahi_submit *args = data;
	struct agx_fw *fw = adev->fw;
	struct agx_submit *s;
	struct drm_asahi_sync *syncs = NULL;
	struct agx_out_sync *out = NULL;
	struct dma_fence *finished;
	struct agx_job *job = NULL;
	struct agx_queue *q;
	u32 nsyncs, credits, i;
	int ret;

	if (args->flags || args->pad) {
		drm_dbg(drm, "submit: flags %#x / pad %#x not zero\n", args->flags, args->pad);
		return -EINVAL;
	}
	if (args->in_sync_count > AGX_SUBMIT_MAX_SYNCS ||
	    args->out_sync_count > AGX_SUBMIT_MAX_SYNCS) {
		drm_dbg(drm, "submit: more than %u in- or out-syncs\n", AGX_SUBMIT_MAX_SYNCS);
		return -EINVAL;
	}
	if (args->cmdbuf_size < sizeof(struct drm_asahi_cmd_header) ||
	    args->cmdbuf_size > AGX_SUBMIT_MAX_CMDBUF) {
		drm_dbg(drm, "submit: command buffer size %u out of range\n", args->cmdbuf_size);
		return -EINVAL;
	}
	q = agx_queue_lookup(afile, args->queue_id);
	if (!q) {
		drm_dbg(drm, "submit: no queue %u\n", args->queue_id);
		return -ENOENT;
	}
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s) {
		agx_queue_put(q);
		return -ENOMEM;
	}
	s->drm = drm;
	s->afile = afile;
	if (!fw || READ_ONCE(fw->state) != AGX_FW_RUNNING) {
		ret = -ENODEV;
		goto out_put_queue;
	}
	s->q = q;
	s->l = fw->l;

	/* Copy everything in once (no second read of user memory). */
	nsyncs = args->in_sync_count + args->out_sync_count;
	if (nsyncs) {
		syncs = kvmalloc_array(nsyncs, sizeof(*syncs), GFP_KERNEL);
		if (!syncs) {
			ret = -ENOMEM;
			goto out_put_queue;
		}
		if (copy_from_user(syncs, u64_to_user_ptr(args->syncs),
				   nsyncs * sizeof(*syncs))) {
			ret = -EFAULT;
			goto out_free;
		}
	}
	s->size = args->cmdbuf_size;
	s->buf = kvmalloc(s->size, GFP_KERNEL);
	if (!s->buf) {
		ret = -ENOMEM;
		goto out_free;
	}
	if (copy_from_user(s->buf, u64_to_user_ptr(args->cmdbuf), s->size)) {
		ret = -EFAULT;
		goto out_free;
	}

	ret = agx_submit_validate(s);
	if (ret)
		goto out_free;

	ret = agx_submit_out_syncs(drm, file, syncs + args->in_sync_count,
				   args->out_sync_count, &out);
	if (ret)
		goto out_free;

	if (s->nrender) {
		ret = agx_tvb_prepare(&q->tvb);
		if (ret) {
			drm_dbg(drm, "submit: no tiled vertex buffer: %d\n", ret);
			goto out_free;
		}
	}

	/* The job and its firmware objects. */
	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job) {
		ret = -ENOMEM;
		goto out_free;
	}
	kref_init(&job->refcount);
	INIT_LIST_HEAD(&job->node);
	job->q = agx_queue_get(q);
	atomic_inc(&q->live_jobs);
	job->done = agx_job_fence_alloc();
	if (!job->done) {
		ret = -ENOMEM;
		goto out_put_job;
	}
	ret = agx_job_alloc_entries(job, s);
	if (ret)
		goto out_put_job;
	if (s->nts) {
		job->ts_refs = kmemdup(s->ts_refs, s->nts * sizeof(s->ts_refs[0]), GFP_KERNEL);
		if (!job->ts_refs) {
			ret = -ENOMEM;
			goto out_put_job;
		}
		job->nts = s->nts;
		s->nts = 0;
	}
	ret = agx_fw_mem_alloc(&fw->mm, AGX_FW_HEAP_GPU_RO, max_t(size_t, s->cmds_size, 1),
			       &job->cmds);
	if (ret)
		goto out_put_job;
	ret = agx_fw_mem_alloc(&fw->mm, AGX_FW_HEAP_PRIV, max_t(size_t, s->priv_size, 1),
			       &job->priv);
	if (ret)
		goto out_put_job;
	if (s->vm_size) {
		if (s->vm_size > AGX_SUBMIT_MAX_VM_BYTES) {
			drm_dbg(drm, "submit: renders need %llu bytes of tiling structures\n",
				s->vm_size);
			ret = -EINVAL;
			goto out_put_job;
		}
		ret = agx_vm_kmem_alloc(q->vm, s->vm_size, AGX_GPU_PAGE_SIZE, &job->vm_mem);
		if (ret)
			goto out_put_job;
	}

	credits = 0;
	for (i = 0; i < AGX_PIPE_COUNT; i++)
		credits += s->nentries[i];
	ret = drm_sched_job_init(&job->base, &q->entity, min_t(u32, credits, AGX_WQ_CREDITS), q);
	if (ret)
		goto out_put_job;

	ret = agx_submit_in_syncs(drm, file, job, syncs, args->in_sync_count);
	if (ret)
		goto out_cleanup_job;

	mutex_lock(&q->submit_lock);
	if (q->dead || READ_ONCE(fw->state) != AGX_FW_RUNNING) {
		mutex_unlock(&q->submit_lock);
		ret = -ENODEV;
		goto out_cleanup_job;
	}
	agx_submit_build(s, job);
	drm_sched_job_arm(&job->base);
	agx_job_fence_init(job->done, q->fence_ctx, ++q->fence_seqno);
	finished = dma_fence_get(&job->base.s_fence->finished);
	agx_job_get(job); /* the scheduler's, dropped by free_job */
	drm_sched_entity_push_job(&job->base);
	spin_lock(&q->lock);
	q->stats.submitted++;
	spin_unlock(&q->lock);
	mutex_unlock(&q->submit_lock);

	for (i = 0; i < args->out_sync_count; i++) {
		if (out[i].chain) {
			drm_syncobj_add_point(out[i].obj, out[i].chain, finished, out[i].point);
			out[i].chain = NULL;
		} else {
			drm_syncobj_replace_fence(out[i].obj, finished);
		}
	}
	dma_fence_put(finished);
	agx_job_put(job);
	ret = 0;
	goto out_free;

out_cleanup_job:
	drm_sched_job_cleanup(&job->base);
out_put_job:
	agx_job_put(job);
out_free:
	for (i = 0; i < s->nts; i++)
		agx_bind_object_put(s->ts_refs[i]);
	agx_out_syncs_free(out, args->out_sync_count);
	kvfree(s->buf);
	kvfree(syncs);
out_put_queue:
	kfree(s);
	agx_queue_put(q);
	return ret;
}
