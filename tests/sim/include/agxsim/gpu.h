/* SPDX-License-Identifier: MIT */
/*
 * agxsim/gpu.h - the GPU model's core: per-device state, per-job context,
 * SIMD-group dispatch through the ISA interpreter, and the CDM (compute
 * data master) control-stream walker.
 *
 * Nothing here is global: a front end (the firmware model's GPU hooks,
 * the direct API, a test) owns a struct agxsim_gpu per simulated device
 * and describes each job with a struct agxsim_gpu_job: the memory ports
 * of the job's address space (a UAT context), the queue's USC execution
 * base, the sampler heap, the helper program and the budgets that turn a
 * runaway shader or a looping stream into a timeout.
 *
 * Every word the CDM reads is decoded with the genxml unpack helpers and
 * rejected when malformed; every shader instruction runs in
 * tests/sim/isa. See tests/sim/README.md ("GPU model") and
 * ASSUMPTIONS.md (G*).
 */
#ifndef AGXSIM_GPU_H
#define AGXSIM_GPU_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "agxsim/mem_if.h"
#include "agxsim/usc.h"

struct agxsim_isa_state;
struct agx_insn;
struct agxsim_gpu_job;

/* ---- Device ------------------------------------------------------------ */

struct agxsim_gpu_config {
	/* Generation >= 14 with more than one cluster: the CDM launch carries
	 * the extra "Unk G14X" word. G13G (the default) does not. */
	bool g14x_launch_word;
	/* Instruction budget of a job whose agxsim_gpu_job.insn_budget is
	 * 0; 0 here means AGXSIM_GPU_DEFAULT_INSN_BUDGET. */
	uint64_t insn_budget;
};

/* Trace flags (agxsim_gpu_set_trace). */
#define AGXSIM_GPU_TRACE_STREAM  (1u << 0)  /* control-stream words, decoded */
#define AGXSIM_GPU_TRACE_USC     (1u << 1)  /* USC words, decoded */
#define AGXSIM_GPU_TRACE_INSNS   (1u << 2)  /* every instruction executed */
#define AGXSIM_GPU_TRACE_ALL     (AGXSIM_GPU_TRACE_STREAM | AGXSIM_GPU_TRACE_USC | \
				  AGXSIM_GPU_TRACE_INSNS)

struct agxsim_gpu_stats {
	uint64_t stream_words;      /* control-stream blocks decoded */
	uint64_t launches;
	uint64_t threadgroups;
	uint64_t simd_groups;
	uint64_t instructions;
	uint64_t barriers;          /* threadgroup barriers completed */
	uint64_t preshader_runs;
};

/* A scene binned by a RunVertex, waiting for its RunFragment (hooks.c):
 * keyed by the UAT context and the TVB tile-map address both jobs name
 * (ASSUMPTIONS.md R17). */
#define AGXSIM_GPU_MAX_SCENES 8u
struct agxsim_render_scene;
struct agxsim_gpu_scene {
	uint32_t vm_slot;
	uint64_t tvb_tilemap;
	struct agxsim_render_scene *scene;   /* NULL: free entry */
};

struct agxsim_gpu {
	struct agxsim_gpu_config cfg;
	struct agxsim_gpu_scene scenes[AGXSIM_GPU_MAX_SCENES];
	FILE *trace;
	unsigned trace_flags;
	struct agxsim_gpu_stats stats;
	/* Why the last job stopped (code 0 after success). */
	struct agxsim_gpu_error last_error;
};

void agxsim_gpu_init(struct agxsim_gpu *gpu, const struct agxsim_gpu_config *cfg);
void agxsim_gpu_set_trace(struct agxsim_gpu *gpu, FILE *fp, unsigned flags);

/* ---- Job ---------------------------------------------------------------- */

/*
 * Optional texture unit (the render engineer's texture model): called for
 * texture_sample / texture_load with the binding's raw texture and
 * sampler state registers and the job's sampler heap. Returns 0 or a
 * negative errno (the shader then faults).
 */
typedef int (*agxsim_gpu_texture_fn)(void *ctx, const struct agxsim_gpu_job *job,
				     const struct agxsim_usc_binding *b,
				     struct agxsim_isa_state *s,
				     const struct agx_insn *insn);

#define AGXSIM_GPU_DEFAULT_INSN_BUDGET   (200ull * 1000 * 1000)
#define AGXSIM_GPU_DEFAULT_STREAM_BUDGET (1u << 20)   /* blocks per job */
#define AGXSIM_GPU_MAX_LINK_DEPTH        4u

struct agxsim_gpu_job {
	/* Port for control-stream and USC-word fetches (unit code of the
	 * front end, e.g. AGXSIM_UNIT_dCDM_KS0). Required. */
	const struct agxsim_mem_if *mem;
	/* Port for shader instruction fetch and device loads/stores (unit
	 * AGXSIM_UNIT_UL1C). NULL: use mem. */
	const struct agxsim_mem_if *shader_mem;
	uint32_t vm_slot;             /* UAT context; reported in faults, sr21 */
	uint64_t usc_exec_base;       /* per queue (USC_EXEC_BASE_CP/TA/ISP) */
	uint64_t sampler_heap;        /* GPU VA of the sampler heap, or 0 */
	uint32_t sampler_count;
	/* Helper program (scratch/stack setup). Recorded; see ASSUMPTIONS G9. */
	uint64_t helper_program, helper_arg, helper_cfg;
	/* Budgets; 0 picks the device's (agxsim_gpu_config) or the defaults
	 * above. insn_budget counts every
	 * instruction of every SIMD group of the job, plus one per SIMD group
	 * launched. stream_budget counts control-stream blocks. */
	uint64_t insn_budget;
	uint32_t stream_budget;
	/* Optional texture unit. NULL: texture instructions fault. */
	agxsim_gpu_texture_fn texture;
	void *texture_ctx;
};

/* ---- Dispatch (shared by the CDM and the render path) ------------------- */

struct agxsim_gpu_grid {
	uint32_t global[3];   /* threads in the grid, per dimension */
	uint32_t local[3];    /* threads per threadgroup (requested) */
};

/*
 * Run a compute-style dispatch of @b over @grid: the preshader once, then
 * every threadgroup in order (x fastest), each as ceil(threads / 32) SIMD
 * groups sharing b->threadgroup_mem_B of threadgroup memory and run in
 * lockstep between threadgroup barriers. Threadgroups at the +x/+y/+z
 * edges of a grid that is not a multiple of the local size have fewer
 * threads (ASSUMPTIONS G4). Uses and decrements *budget. Returns 0 or a
 * negative errno with gpu->last_error set (and @fault filled for -EFAULT).
 */
int agxsim_gpu_dispatch(struct agxsim_gpu *gpu, const struct agxsim_gpu_job *job,
			const struct agxsim_usc_binding *b,
			const struct agxsim_gpu_grid *grid, uint64_t *budget);

/*
 * Run a binding's preshader (if any) as one thread and return the uniform
 * file it leaves (the binding's uniforms when there is no preshader).
 * Exposed for the render path, which runs preshaders per draw.
 */
int agxsim_gpu_run_preshader(struct agxsim_gpu *gpu,
			     const struct agxsim_gpu_job *job,
			     const struct agxsim_usc_binding *b,
			     uint16_t uniforms_out[AGXSIM_USC_UNIFORM_HALVES],
			     uint64_t *budget);

/* ---- CDM ----------------------------------------------------------------- */

/*
 * Walk a CDM control stream from @stream_base_va until Stream Terminate.
 * @stream_end_va is the end of the first contiguous segment (the UAPI's
 * cdm_ctrl_stream_end): running into it without a link or terminate is a
 * malformed stream. Returns:
 *   0           terminated normally;
 *   -EFAULT     a memory fault (stream fetch: unit dCDM_KS0 via job->mem;
 *               shader: via job->shader_mem); *fault filled;
 *   -EPROTO     malformed stream/USC word or a faulting shader (trap,
 *               unimplemented or illegal instruction); *fault has
 *               reason NONE, va = the word or instruction address;
 *   -ETIMEDOUT  instruction or stream budget exhausted (e.g. an endless
 *               loop in a shader or in the stream's links).
 * gpu->last_error always has the details and a message.
 */
int agxsim_gpu_run_cdm(struct agxsim_gpu *gpu, const struct agxsim_gpu_job *job,
		       uint64_t stream_base_va, uint64_t stream_end_va,
		       struct agxsim_fault *fault);

/* Copy gpu->last_error into @fault in the hooks' convention. */
void agxsim_gpu_error_to_fault(const struct agxsim_gpu *gpu,
			       const struct agxsim_gpu_job *job,
			       struct agxsim_fault *fault);

/* ---- Firmware-model adapter (gpu/hooks.c) ------------------------------- */

struct agxsim_gpu_hooks;

/*
 * Fill @hooks so that the firmware model's run_compute runs the CDM
 * stream of each compute job on @gpu; with the render path built,
 * run_vertex runs a RunVertex's VDM stream (geometry phase) and keeps the
 * binned scene, and run_fragment renders the tiles of the scene with the
 * same TVB tile map (README "Firmware path of the render path").
 */
void agxsim_gpu_fill_hooks(struct agxsim_gpu *gpu, struct agxsim_gpu_hooks *hooks);

/* Free what the GPU model still holds (scenes never rendered). */
void agxsim_gpu_fini(struct agxsim_gpu *gpu);

#endif /* AGXSIM_GPU_H */
