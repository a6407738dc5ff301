/* SPDX-License-Identifier: MIT */
/*
 * agxsim/gpu_hooks.h - how the firmware model hands work to the GPU model.
 *
 * The firmware model (tests/sim/fw) parses the kernel's Run* commands and
 * their microsequences (kernel-firmware-facts.md section 3.8). When a
 * Start* op is reached it calls one of these hooks with what a GPU unit
 * needs to execute the work: control stream addresses, the USC execution
 * base, the UAT context slot, the job parameter blocks. The GPU model
 * reads everything else from memory itself, through the UAT, using the
 * firmware-structs accessors with @layout.
 *
 * A hook returns:
 *   0           the work ran to completion;
 *   -EFAULT     a GPU unit faulted: fill @fault. The UAT model has latched
 *               the fault registers already if the access went through a
 *               GPU-agent port; the firmware then posts a Fault event;
 *   -ETIMEDOUT  the work did not finish (e.g. a shader loops forever): the
 *               firmware posts a Timeout event;
 *   other < 0   treated like -EFAULT without fault details.
 *
 * A NULL hook completes the command without executing anything; the
 * firmware model logs that it did so.
 *
 * The job description and everything it points to (regs, mem) are valid
 * only during the call.
 */
#ifndef AGXSIM_GPU_HOOKS_H
#define AGXSIM_GPU_HOOKS_H

#include <stdint.h>

#include "agxsim/mem_if.h"

struct agxsim_device;
struct agxsim_uat;
struct agxfw_layout;

/* One (number, value) pair of a G14X RegisterArray (facts 3.7). */
struct agxsim_gpu_reg {
	uint32_t number;
	uint64_t value;
};

#define AGXSIM_GPU_MAX_REGS 128u

/* What every job description carries. */
struct agxsim_gpu_job_common {
	const struct agxfw_layout *layout; /* the (GPU, firmware) combination */
	struct agxsim_uat *uat;            /* for the GPU model's own ports */
	uint32_t vm_slot;                  /* UAT context the job runs in */
	/* A GPU-agent port into @vm_slot with the unit code of the job's
	 * front-end (CDM, VDM or IPF); units make their own ports for others. */
	const struct agxsim_mem_if *mem;
	uint64_t cmd_va;         /* the Run* command (kernel VA, context 0) */
	uint64_t start_op_va;    /* its Start* microsequence op */
	uint32_t uuid;           /* from the Start* op */
	uint32_t stamp_value;    /* JobMeta.stamp_value, for logs */
	/* G14X: the command's RegisterArray, parsed (count <= 128). */
	uint32_t reg_count;
	const struct agxsim_gpu_reg *regs;
};

struct agxsim_compute_job {
	struct agxsim_gpu_job_common c;
	uint64_t job_params1_va;   /* ComputeJobParameters1 (G13/G14G), else 0 */
	uint64_t job_params2_va;   /* ComputeJobParameters2 */
	uint64_t cdm_ctrl_base;    /* CDM control stream start (encoder) */
	uint64_t cdm_ctrl_end;     /* encoder_end */
	uint64_t usc_exec_base;    /* pipeline_base, or register 0x10071 (G14X) */
	uint64_t helper_program, helper_arg, helper_cfg;
};

struct agxsim_vertex_job {
	struct agxsim_gpu_job_common c;
	uint64_t job_params1_va;   /* VertexJobParameters1 (G13/G14G), else 0 */
	uint64_t tiling_params_va; /* TilingParameters */
	uint64_t buffer_va;        /* TVB BufferInfo */
	uint64_t scene_va;         /* Scene */
	uint32_t buffer_slot;
	uint64_t vdm_ctrl_base;    /* VertexJobParameters1.encoder_addr */
	uint64_t usc_exec_base;    /* pipeline_base */
	uint64_t tvb_tilemap, tvb_heapmeta, tpc;
	/* Out: TVB pages (32 KiB) the binned scene needs, by the usage model
	 * of ASSUMPTIONS.md FW20 (agxsim_render_scene_tvb_pages()). The
	 * firmware's buffer manager takes them from the job's buffer; a hook
	 * that bins nothing leaves it 0. Never NULL. */
	uint32_t *tvb_pages;
};

struct agxsim_fragment_job {
	struct agxsim_gpu_job_common c;
	uint64_t job_params1_va;   /* FragmentJobParameters1 (G13/G14G), else 0 */
	uint64_t job_params2_va;   /* FragmentJobParameters2 (G13/G14G), else 0 */
	uint64_t scene_va;
	uint32_t buffer_slot;
	uint64_t usc_exec_base;    /* pipeline_base */
	uint64_t tvb_tilemap, tvb_heapmeta;
};

struct agxsim_gpu_hooks {
	void *ctx;
	int (*run_compute)(void *ctx, const struct agxsim_compute_job *job,
			   struct agxsim_fault *fault);
	int (*run_vertex)(void *ctx, const struct agxsim_vertex_job *job,
			  struct agxsim_fault *fault);
	int (*run_fragment)(void *ctx, const struct agxsim_fragment_job *job,
			    struct agxsim_fault *fault);
	/* Optional: why the last failed job failed (for the firmware log). */
	const char *(*error_msg)(void *ctx);
};

/* Install (or with NULL remove) the GPU model. The hooks are copied. */
void agxsim_device_set_gpu_hooks(struct agxsim_device *dev,
				 const struct agxsim_gpu_hooks *hooks);

/* The device's UAT model (for GPU models and tests). */
struct agxsim_uat *agxsim_device_uat(struct agxsim_device *dev);

/* The firmware-structs layout of the device's combination. */
const struct agxfw_layout *agxsim_device_layout(struct agxsim_device *dev);

#endif /* AGXSIM_GPU_HOOKS_H */
