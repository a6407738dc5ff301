/* SPDX-License-Identifier: MIT */
/*
 * gpu.c - GPU model core: threadgroup dispatch of a bound shader through
 * the ISA interpreter.
 *
 * A threadgroup of T threads runs as ceil(T / 32) SIMD groups, each an
 * struct agxsim_isa_state. The groups share one threadgroup-memory
 * buffer. They are stepped one instruction at a time, group after group;
 * a group that executes threadgroup_barrier waits (is not stepped) until
 * every group that has not stopped has arrived, so barriers order the
 * groups' threadgroup-memory accesses exactly as on hardware.
 *
 * Special registers come from the read_sr hook below (numbers from
 * isa-facts.md section 2). A get_sr of a register the compute model does
 * not define stops the group with a fault instead of returning 0.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "agxsim/gpu.h"
#include "agxsim/mmu_fault.h"
#include "agxsim_isa.h"

void agxsim_gpu_init(struct agxsim_gpu *gpu, const struct agxsim_gpu_config *cfg)
{
	memset(gpu, 0, sizeof(*gpu));
	if (cfg)
		gpu->cfg = *cfg;
}

void agxsim_gpu_set_trace(struct agxsim_gpu *gpu, FILE *fp, unsigned flags)
{
	gpu->trace = fp;
	gpu->trace_flags = fp ? flags : 0;
}

void agxsim_gpu_error_to_fault(const struct agxsim_gpu *gpu,
			       const struct agxsim_gpu_job *job,
			       struct agxsim_fault *fault)
{
	if (!fault)
		return;
	if (gpu->last_error.code == -EFAULT) {
		*fault = gpu->last_error.fault;
		return;
	}
	memset(fault, 0, sizeof(*fault));
	fault->reason = AGXSIM_FAULT_NONE;
	fault->va = gpu->last_error.va;
	fault->context = job ? job->vm_slot : 0;
	fault->unit = AGXSIM_UNIT_dCDM_KS0;
}

/* ---- Per-SIMD-group context -------------------------------------------- */

struct tg_run;

struct sg_ctx {
	struct tg_run *tg;
	struct agxsim_isa_state *s;
	unsigned index;             /* simdgroup index in threadgroup */
	bool at_barrier;
	bool bad_sr;
	unsigned bad_sr_num;
	/* Per lane: thread position in threadgroup. */
	uint32_t tpos[AGX_SIMD_WIDTH][3];
};

struct tg_run {
	struct agxsim_gpu *gpu;
	const struct agxsim_gpu_job *job;
	const struct agxsim_usc_binding *b;
	uint32_t tg_id[3];          /* threadgroup position in grid */
	uint32_t actual[3];         /* threads in this threadgroup */
	uint32_t local[3];          /* requested local size */
	bool preshader;
};

static uint32_t quad_active(const struct agxsim_isa_state *s, unsigned lane,
			    bool count)
{
	unsigned q = lane & ~3u;
	uint32_t m = (s->exec >> q) & 0xf;

	if (count)
		return (uint32_t)__builtin_popcount(m);
	return (uint32_t)__builtin_popcount(m & ((1u << (lane - q)) - 1));
}

static uint32_t read_sr(void *ctx, unsigned sr, unsigned lane)
{
	struct sg_ctx *c = ctx;
	struct tg_run *t = c->tg;
	uint32_t *tp = c->tpos[lane];

	switch (sr) {
	case 0: case 1: case 2:     /* threadgroup_position_in_grid */
		return t->tg_id[sr];
	case 4: case 5: case 6:     /* threads_per_threadgroup */
		return t->actual[sr - 4];
	case 8: case 9: case 10:    /* dispatch_threads_per_threadgroup */
		return t->local[sr - 8];
	case 20:                    /* core_index */
		return 0;
	case 21:                    /* vm_slot */
		return t->job->vm_slot;
	case 48: case 49: case 50:  /* thread_position_in_threadgroup */
		return tp[sr - 48];
	case 51:                    /* thread_index_in_threadgroup */
		return c->index * AGX_SIMD_WIDTH + lane;
	case 52:                    /* thread_index_in_simdgroup */
		return lane;
	case 53:                    /* simdgroup_index_in_threadgroup */
		return c->index;
	case 56:
		return quad_active(c->s, lane, false);
	case 57:
		return quad_active(c->s, lane, true);
	case 58:
		return (uint32_t)__builtin_popcount(c->s->exec & ((1u << lane) - 1));
	case 59:
		return (uint32_t)__builtin_popcount(c->s->exec);
	case 63:                    /* is_active_thread: no helper lanes */
		return 1;
	case 80: case 81: case 82:  /* thread_position_in_grid */
		return t->tg_id[sr - 80] * t->local[sr - 80] + tp[sr - 80];
	default:
		if (!c->bad_sr) {
			c->bad_sr = true;
			c->bad_sr_num = sr;
		}
		return 0;
	}
}

static int barrier_hook(void *ctx, struct agxsim_isa_state *s)
{
	struct sg_ctx *c = ctx;

	(void)s;
	c->at_barrier = true;
	return 0;
}

static int texture_hook(void *ctx, struct agxsim_isa_state *s,
			const struct agx_insn *insn)
{
	struct sg_ctx *c = ctx;
	const struct agxsim_gpu_job *job = c->tg->job;

	return job->texture(job->texture_ctx, job, c->tg->b, s, insn);
}

static void trace_insn(void *ctx, uint64_t pc, const struct agx_insn *insn)
{
	struct sg_ctx *c = ctx;
	struct tg_run *t = c->tg;
	char buf[160];

	agx_disasm(insn, buf, sizeof(buf));
	if (t->preshader)
		fprintf(t->gpu->trace, "  [preshader] %010" PRIx64 ": %s  (exec %08x)\n",
			pc, buf, c->s->exec);
	else
		fprintf(t->gpu->trace, "  [tg %u,%u,%u sg %u] %010" PRIx64 ": %s  (exec %08x)\n",
			t->tg_id[0], t->tg_id[1], t->tg_id[2], c->index, pc, buf,
			c->s->exec);
}

/* Turn a stopped SIMD group's status into the job's error. */
static int group_error(struct tg_run *t, struct sg_ctx *c)
{
	struct agxsim_gpu_error *e = &t->gpu->last_error;
	struct agxsim_isa_state *s = c->s;
	const char *where = t->preshader ? "preshader" : "shader";

	memset(e, 0, sizeof(*e));
	if (c->bad_sr)
		return agxsim_gpu_error_set(e, -EPROTO, s->pc,
					    "%s read special register sr%u, which compute does not define (tg %u,%u,%u simdgroup %u)",
					    where, c->bad_sr_num, t->tg_id[0],
					    t->tg_id[1], t->tg_id[2], c->index);
	switch (s->status) {
	case AGXSIM_ISA_FAULT_MEM:
		e->fault = s->mem_fault;
		return agxsim_gpu_error_set(e, -EFAULT, s->mem_fault.va,
					    "%s memory fault at VA 0x%" PRIx64 " (tg %u,%u,%u simdgroup %u): %s",
					    where, s->mem_fault.va, t->tg_id[0],
					    t->tg_id[1], t->tg_id[2], c->index,
					    s->fault_msg);
	case AGXSIM_ISA_STEP_LIMIT:
		return agxsim_gpu_error_set(e, -ETIMEDOUT, s->pc,
					    "%s timed out: instruction budget exhausted at PC 0x%" PRIx64,
					    where, s->pc);
	default:
		return agxsim_gpu_error_set(e, -EPROTO, s->pc,
					    "%s stopped with %s at PC 0x%" PRIx64 " (tg %u,%u,%u simdgroup %u): %s",
					    where, agxsim_isa_status_name(s->status),
					    s->pc, t->tg_id[0], t->tg_id[1],
					    t->tg_id[2], c->index, s->fault_msg);
	}
}

static void setup_group(struct tg_run *t, struct sg_ctx *c,
			struct agxsim_isa_state *s, unsigned index,
			unsigned threads, uint64_t pc, const uint16_t *uniforms,
			uint8_t *tgmem, size_t tgmem_B)
{
	const struct agxsim_gpu_job *job = t->job;

	memset(c, 0, sizeof(*c));
	c->tg = t;
	c->s = s;
	c->index = index;
	agxsim_isa_init(s, threads, pc, job->shader_mem ? job->shader_mem : job->mem);
	memcpy(s->uniforms, uniforms, sizeof(s->uniforms));
	s->threadgroup = tgmem;
	s->threadgroup_size_B = tgmem_B;
	s->hooks.ctx = c;
	s->hooks.read_sr = read_sr;
	s->hooks.barrier = barrier_hook;
	if (job->texture)
		s->hooks.texture = texture_hook;
	if (t->gpu->trace && (t->gpu->trace_flags & AGXSIM_GPU_TRACE_INSNS)) {
		s->trace = trace_insn;
		s->trace_ctx = c;
	}
	for (unsigned l = 0; l < threads; l++) {
		uint32_t i = index * AGX_SIMD_WIDTH + l;
		c->tpos[l][0] = i % t->actual[0];
		c->tpos[l][1] = (i / t->actual[0]) % t->actual[1];
		c->tpos[l][2] = i / (t->actual[0] * t->actual[1]);
	}
}

/*
 * Step groups[0..n) to completion, in lockstep between barriers. Returns 0
 * when all stopped normally, else the error.
 */
static int run_groups(struct tg_run *t, struct sg_ctx *ctxs, unsigned n,
		      uint64_t *budget)
{
	struct agxsim_gpu *gpu = t->gpu;
	unsigned running = n;

	for (;;) {
		unsigned waiting = 0;

		for (unsigned g = 0; g < n; g++) {
			struct sg_ctx *c = &ctxs[g];
			struct agxsim_isa_state *s = c->s;

			if (s->status != AGXSIM_ISA_RUNNING || c->at_barrier)
				continue;
			while (s->status == AGXSIM_ISA_RUNNING && !c->at_barrier) {
				if (*budget == 0) {
					snprintf(s->fault_msg, sizeof(s->fault_msg),
						 "job instruction budget exhausted at PC 0x%" PRIx64,
						 s->pc);
					s->status = AGXSIM_ISA_STEP_LIMIT;
					break;
				}
				(*budget)--;
				agxsim_isa_step(s);
				gpu->stats.instructions++;
				if (c->bad_sr)
					break;
			}
			if (c->bad_sr || (s->status != AGXSIM_ISA_RUNNING &&
					  s->status != AGXSIM_ISA_STOPPED))
				return group_error(t, c);
			if (s->status == AGXSIM_ISA_STOPPED)
				running--;
		}
		for (unsigned g = 0; g < n; g++)
			if (ctxs[g].at_barrier)
				waiting++;
		if (running == 0)
			return 0;
		/* Every group still running is at the barrier: release. */
		if (waiting == running) {
			for (unsigned g = 0; g < n; g++)
				ctxs[g].at_barrier = false;
			gpu->stats.barriers++;
		}
	}
}

int agxsim_gpu_run_preshader(struct agxsim_gpu *gpu,
			     const struct agxsim_gpu_job *job,
			     const struct agxsim_usc_binding *b,
			     uint16_t uniforms_out[AGXSIM_USC_UNIFORM_HALVES],
			     uint64_t *budget)
{
	struct tg_run t = {
		.gpu = gpu, .job = job, .b = b,
		.actual = { 1, 1, 1 }, .local = { 1, 1, 1 }, .preshader = true,
	};
	struct agxsim_isa_state *s;
	struct sg_ctx c;
	int ret;

	memcpy(uniforms_out, b->uniforms, sizeof(b->uniforms));
	if (!b->has_preshader)
		return 0;
	s = malloc(sizeof(*s));
	if (!s)
		return agxsim_gpu_error_set(&gpu->last_error, -ENOMEM, 0, "out of memory");
	setup_group(&t, &c, s, 0, 1, b->preshader_pc, b->uniforms, NULL, 0);
	gpu->stats.preshader_runs++;
	ret = run_groups(&t, &c, 1, budget);
	if (!ret)
		memcpy(uniforms_out, s->uniforms, sizeof(s->uniforms));
	free(s);
	return ret;
}

int agxsim_gpu_dispatch(struct agxsim_gpu *gpu, const struct agxsim_gpu_job *job,
			const struct agxsim_usc_binding *b,
			const struct agxsim_gpu_grid *grid, uint64_t *budget)
{
	uint32_t ntg[3];
	uint64_t local_threads = 1;
	uint16_t uniforms[AGXSIM_USC_UNIFORM_HALVES];
	struct agxsim_isa_state *states = NULL;
	struct sg_ctx *ctxs = NULL;
	uint8_t *tgmem = NULL;
	unsigned max_groups;
	int ret = 0;

	memset(&gpu->last_error, 0, sizeof(gpu->last_error));
	for (int d = 0; d < 3; d++) {
		if (grid->local[d] == 0)
			return agxsim_gpu_error_set(&gpu->last_error, -EPROTO, 0,
						    "local size %u x %u x %u has a zero dimension",
						    grid->local[0], grid->local[1],
						    grid->local[2]);
		local_threads *= grid->local[d];
		ntg[d] = (uint32_t)(((uint64_t)grid->global[d] + grid->local[d] - 1) /
				    grid->local[d]);
	}
	if (local_threads > 1024)
		return agxsim_gpu_error_set(&gpu->last_error, -EPROTO, 0,
					    "local size %u x %u x %u exceeds 1024 threads",
					    grid->local[0], grid->local[1], grid->local[2]);
	if (ntg[0] == 0 || ntg[1] == 0 || ntg[2] == 0)
		return 0;   /* empty grid: nothing runs */

	ret = agxsim_gpu_run_preshader(gpu, job, b, uniforms, budget);
	if (ret)
		return ret;

	max_groups = (unsigned)((local_threads + AGX_SIMD_WIDTH - 1) / AGX_SIMD_WIDTH);
	states = calloc(max_groups, sizeof(*states));
	ctxs = calloc(max_groups, sizeof(*ctxs));
	if (b->threadgroup_mem_B)
		tgmem = malloc(b->threadgroup_mem_B);
	if (!states || !ctxs || (b->threadgroup_mem_B && !tgmem)) {
		ret = agxsim_gpu_error_set(&gpu->last_error, -ENOMEM, 0, "out of memory");
		goto out;
	}

	for (uint32_t z = 0; z < ntg[2]; z++)
	for (uint32_t y = 0; y < ntg[1]; y++)
	for (uint32_t x = 0; x < ntg[0]; x++) {
		struct tg_run t = {
			.gpu = gpu, .job = job, .b = b,
			.tg_id = { x, y, z },
		};
		uint32_t id[3] = { x, y, z };
		uint64_t threads = 1;
		unsigned groups;

		for (int d = 0; d < 3; d++) {
			uint64_t first = (uint64_t)id[d] * grid->local[d];
			uint64_t left = grid->global[d] - first;
			t.local[d] = grid->local[d];
			t.actual[d] = (uint32_t)(left < grid->local[d] ? left : grid->local[d]);
			threads *= t.actual[d];
		}
		groups = (unsigned)((threads + AGX_SIMD_WIDTH - 1) / AGX_SIMD_WIDTH);
		/* Threadgroup memory starts undefined on hardware; the model
		 * fills it with a pattern so a shader relying on zero fails. */
		if (tgmem)
			memset(tgmem, 0xa5, b->threadgroup_mem_B);
		for (unsigned g = 0; g < groups; g++) {
			uint64_t left = threads - (uint64_t)g * AGX_SIMD_WIDTH;
			unsigned n = left < AGX_SIMD_WIDTH ? (unsigned)left : AGX_SIMD_WIDTH;

			if (*budget == 0) {
				ret = agxsim_gpu_error_set(&gpu->last_error, -ETIMEDOUT, b->pc,
							   "job instruction budget exhausted launching threadgroup %u,%u,%u",
							   x, y, z);
				goto out;
			}
			(*budget)--;
			setup_group(&t, &ctxs[g], &states[g], g, n, b->pc, uniforms,
				    tgmem, b->threadgroup_mem_B);
		}
		gpu->stats.threadgroups++;
		gpu->stats.simd_groups += groups;
		ret = run_groups(&t, ctxs, groups, budget);
		if (ret)
			goto out;
	}
out:
	free(tgmem);
	free(ctxs);
	free(states);
	return ret;
}
