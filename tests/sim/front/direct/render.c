/* SPDX-License-Identifier: MIT */
/*
 * render.c - DRM_ASAHI_CMD_RENDER entry point of the direct API.
 *
 * submit.c has validated the command header and copied the payload
 * (zero-extended to the full struct) into ctx->cmd and built ctx->job
 * (ports into the queue's VM: ctx->job.mem with unit VDM,
 * ctx->job.shader_mem with unit UL1C; usc_exec_base, budget). The pass
 * runs in the render path (tests/sim/gpu/render, agxsim/render.h); its
 * result is reported in the GPU model's convention: 0, or a negative errno
 * with ctx->gpu->last_error set and *fault filled
 * (agxsim_gpu_error_to_fault()); malformed input is -EPROTO.
 */
#include <errno.h>
#include <string.h>

#include "agxsim/direct.h"
#include "agxsim/gpu.h"
#include "agxsim/render.h"
#include "agxsim/usc.h"

int agxsim_direct_run_render(struct agxsim_direct_render_ctx *ctx,
			     struct agxsim_fault *fault)
{
	struct agxsim_gpu *gpu = ctx->gpu;
	struct agxsim_render_env env = {
		.mem = ctx->job.mem,
		.shader_mem = ctx->job.shader_mem,
		.usc_exec_base = ctx->job.usc_exec_base,
		.trace = (gpu->trace_flags & AGXSIM_GPU_TRACE_STREAM) ? gpu->trace : NULL,
	};
	struct agxsim_render_result res;
	struct agxsim_fault f;
	int r = agxsim_render_pass(&env, ctx->cmd, &f, &res);

	gpu->stats.stream_words += res.vdm_blocks;
	gpu->stats.simd_groups += res.fragment_groups;
	if (!r) {
		memset(&gpu->last_error, 0, sizeof(gpu->last_error));
		if (fault)
			memset(fault, 0, sizeof(*fault));
		return 0;
	}
	if (r == -EINVAL)
		r = -EPROTO;
	agxsim_gpu_error_set(&gpu->last_error, r, f.va, "render: %s", res.msg);
	if (r == -EFAULT)
		gpu->last_error.fault = f;
	agxsim_gpu_error_to_fault(gpu, &ctx->job, fault);
	return r;
}
