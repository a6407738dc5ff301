/* SPDX-License-Identifier: MIT */
/*
 * hooks.c - the GPU model behind the firmware model's GPU hooks
 * (agxsim/gpu_hooks.h): run_compute walks the job's CDM stream with
 * agxsim_gpu_run_cdm(). Vertex and fragment hooks belong to the render
 * path and stay NULL here.
 */
#include <errno.h>
#include <string.h>

#include "agxsim/gpu.h"
#include "agxsim/gpu_hooks.h"
#ifdef AGXSIM_HAVE_RENDER
#include "agxsim/render.h"
#endif
#include "agxsim/mmu_fault.h"
#include "agxsim/uat.h"

static int run_compute(void *ctx, const struct agxsim_compute_job *cj,
		       struct agxsim_fault *fault)
{
	struct agxsim_gpu *gpu = ctx;
	struct agxsim_uat_port sport;
	struct agxsim_mem_if smem;
	struct agxsim_gpu_job job;

	memset(&job, 0, sizeof(job));
	job.mem = cj->c.mem;
	job.vm_slot = cj->c.vm_slot;
	if (cj->c.uat) {
		/* Shader loads/stores and instruction fetch: the USC's unit. */
		agxsim_uat_port_init(&sport, &smem, cj->c.uat, cj->c.vm_slot,
				     AGXSIM_UNIT_UL1C, AGXSIM_AGENT_GPU);
		job.shader_mem = &smem;
	}
	job.usc_exec_base = cj->usc_exec_base;
	job.helper_program = cj->helper_program;
	job.helper_arg = cj->helper_arg;
	job.helper_cfg = cj->helper_cfg;
#ifdef AGXSIM_HAVE_RENDER
	job.texture = agxsim_render_texture;
#endif
	if (!cj->cdm_ctrl_base) {
		/* G14X passes the stream base in its register array; which
		 * register is not modelled yet (ASSUMPTIONS G10). */
		agxsim_gpu_error_set(&gpu->last_error, -EPROTO, 0,
				     "compute job without a CDM stream base");
		agxsim_gpu_error_to_fault(gpu, &job, fault);
		return -EPROTO;
	}
	return agxsim_gpu_run_cdm(gpu, &job, cj->cdm_ctrl_base, cj->cdm_ctrl_end, fault);
}

void agxsim_gpu_fill_hooks(struct agxsim_gpu *gpu, struct agxsim_gpu_hooks *hooks)
{
	memset(hooks, 0, sizeof(*hooks));
	hooks->ctx = gpu;
	hooks->run_compute = run_compute;
}
