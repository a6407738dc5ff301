/* SPDX-License-Identifier: MIT */
/*
 * cdm.c - the compute data master: walks a CDM control stream
 * (mesa-asahi-facts.md 2.5; blocks in mesa/genxml/agx_hw.xml "CDM ...")
 * and dispatches each launch through agxsim_gpu_dispatch().
 *
 * Block types (bits 31:29 of the first word): Launch, Stream Link (with
 * or without return), Stream Terminate, Barrier, Stream Return. A launch
 * is Launch Word 0, Launch Word 1, the "Unk G14X" word on parts that have
 * it, then by mode: Global size + Local size (direct), Indirect + Local
 * size (indirect global), or Indirect alone (indirect local).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "agx_pack.h"
#include "agxsim/gpu.h"

struct cdm {
	struct agxsim_gpu *gpu;
	const struct agxsim_gpu_job *job;
	FILE *trace;          /* stream trace or NULL */
	uint64_t pc;          /* address of the next block */
	bool in_first;        /* inside [base, end) of the first segment */
	uint64_t end;
	struct {
		uint64_t ret;
		bool in_first;
	} stack[AGXSIM_GPU_MAX_LINK_DEPTH];
	unsigned depth;
};

static int err(struct cdm *c, int code, uint64_t va, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int err(struct cdm *c, int code, uint64_t va, const char *fmt, ...)
{
	struct agxsim_gpu_error *e = &c->gpu->last_error;
	va_list ap;

	memset(e, 0, sizeof(*e));
	e->code = code;
	e->va = va;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return code;
}

/* Fetch @len bytes of the stream at c->pc and advance. */
static int fetch(struct cdm *c, void *dst, unsigned len, const char *what)
{
	struct agxsim_fault f = { 0 };
	int ret;

	if (c->in_first && c->pc + len > c->end)
		return err(c, -EPROTO, c->pc,
			   "CDM stream ran past its end 0x%" PRIx64 " reading %s at 0x%" PRIx64
			   " (no Stream Link or Stream Terminate)",
			   c->end, what, c->pc);
	ret = agxsim_mem_read(c->job->mem, c->pc, dst, len, &f);
	if (ret) {
		int code = err(c, -EFAULT, f.va,
			       "CDM memory fault reading %s at 0x%" PRIx64 " (fault VA 0x%" PRIx64 ")",
			       what, c->pc, f.va);
		c->gpu->last_error.fault = f;
		return code;
	}
	c->pc += len;
	return 0;
}

static const char *why(unsigned flags)
{
	if (flags & AGX_UNPACK_BAD_EXACT)
		return "wrong block type or fixed bits";
	if (flags & AGX_UNPACK_RESERVED)
		return "reserved bits set";
	if (flags & AGX_UNPACK_BAD_ENUM)
		return "unnamed enum value";
	return "bad overlay";
}

#define BAD(name, va, flags, raw)                                             \
	err(c, -EPROTO, (va), "malformed CDM %s word at 0x%" PRIx64 " (%s): 0x%08x", \
	    (name), (va), why(flags), (raw))

/* Read and unpack one structure: T is the genxml name in upper case. */
#define READ(T, t, v, name)                                                   \
	do {                                                                  \
		uint8_t raw_[AGX_##T##_LENGTH];                               \
		uint64_t va_ = c->pc;                                         \
		unsigned fl_;                                                 \
		int r_ = fetch(c, raw_, sizeof(raw_), name);                  \
		if (r_)                                                       \
			return r_;                                            \
		if ((fl_ = agx_unpack_##t(raw_, &(v)))) {                     \
			uint32_t w_;                                          \
			memcpy(&w_, raw_, 4);                                 \
			return BAD(name, va_, fl_, w_);                       \
		}                                                             \
		if (c->trace) {                                               \
			fprintf(c->trace, "  %010" PRIx64 ":   %s\n", va_, name); \
			agx_print_##t(c->trace, &(v), 6);                     \
		}                                                             \
	} while (0)

static int launch(struct cdm *c, uint64_t *budget)
{
	struct agxsim_gpu *gpu = c->gpu;
	const struct agxsim_gpu_job *job = c->job;
	uint64_t launch_va = c->pc;
	struct agx_cdm_launch_word_0 w0;
	struct agx_cdm_launch_word_1 w1;
	struct agxsim_usc_counts counts;
	struct agxsim_usc_binding *b;
	struct agxsim_gpu_grid grid;
	uint32_t raw0;
	int ret;

	memset(&grid, 0, sizeof(grid));
	READ(CDM_LAUNCH_WORD_0, cdm_launch_word_0, w0, "Launch Word 0");
	READ(CDM_LAUNCH_WORD_1, cdm_launch_word_1, w1, "Launch Word 1");
	if (gpu->cfg.g14x_launch_word) {
		struct agx_cdm_unk_g14x u;
		READ(CDM_UNK_G14X, cdm_unk_g14x, u, "Unk G14X");
	}

	/* The register counts share the Counts layout in bits 15:0. */
	{
		struct agx_cdm_launch_word_0 only = w0;
		only.mode = AGX_CDM_MODE_DIRECT;
		agx_pack_cdm_launch_word_0(&raw0, &only);
		raw0 &= 0xffffu;
		struct agxsim_gpu_error cerr;
		ret = agxsim_usc_decode_counts(raw0, &counts, &cerr);
		if (ret)
			return err(c, ret, launch_va, "CDM Launch Word 0 at 0x%" PRIx64 ": %.200s",
				   launch_va, cerr.msg);
	}

	if (w0.mode == AGX_CDM_MODE_DIRECT) {
		struct agx_cdm_global_size g;
		READ(CDM_GLOBAL_SIZE, cdm_global_size, g, "Global size");
		grid.global[0] = g.x, grid.global[1] = g.y, grid.global[2] = g.z;
	} else {
		struct agx_cdm_indirect ind;
		uint64_t ind_va;
		uint32_t vals[6];
		unsigned n = w0.mode == AGX_CDM_MODE_INDIRECT_LOCAL ? 6 : 3;
		struct agxsim_fault f = { 0 };

		READ(CDM_INDIRECT, cdm_indirect, ind, "Indirect");
		ind_va = ((uint64_t)ind.address_hi << 32) | ind.address_lo;
		ret = agxsim_mem_read(job->mem, ind_va, vals, n * 4, &f);
		if (ret) {
			ret = err(c, -EFAULT, f.va,
				  "CDM memory fault reading the indirect grid at 0x%" PRIx64,
				  ind_va);
			gpu->last_error.fault = f;
			return ret;
		}
		/* The indirect buffer holds threadgroup counts (ASSUMPTIONS G5). */
		for (int d = 0; d < 3; d++)
			grid.global[d] = vals[d];
		if (n == 6)
			for (int d = 0; d < 3; d++)
				grid.local[d] = vals[3 + d];
	}
	if (w0.mode != AGX_CDM_MODE_INDIRECT_LOCAL) {
		struct agx_cdm_local_size l;
		READ(CDM_LOCAL_SIZE, cdm_local_size, l, "Local size");
		grid.local[0] = l.x, grid.local[1] = l.y, grid.local[2] = l.z;
	}
	if (w0.mode != AGX_CDM_MODE_DIRECT) {
		for (int d = 0; d < 3; d++) {
			uint64_t t = (uint64_t)grid.global[d] * grid.local[d];
			if (t > UINT32_MAX)
				return err(c, -EPROTO, launch_va,
					   "indirect grid at launch 0x%" PRIx64 " overflows 32 bits",
					   launch_va);
			grid.global[d] = (uint32_t)t;
		}
	}

	b = malloc(sizeof(*b));
	if (!b)
		return err(c, -ENOMEM, launch_va, "out of memory");
	ret = agxsim_usc_parse(job->mem, job->usc_exec_base, w1.pipeline,
			       AGXSIM_USC_STAGE_COMPUTE, &counts, b,
			       (gpu->trace_flags & AGXSIM_GPU_TRACE_USC) ? gpu->trace : NULL,
			       &gpu->last_error);
	if (!ret) {
		gpu->stats.launches++;
		if (c->trace)
			fprintf(c->trace, "    dispatch %u x %u x %u threads, local %u x %u x %u, pc 0x%" PRIx64 "\n",
				grid.global[0], grid.global[1], grid.global[2],
				grid.local[0], grid.local[1], grid.local[2], b->pc);
		ret = agxsim_gpu_dispatch(gpu, job, b, &grid, budget);
	} else if (ret != -EFAULT) {
		char msg[sizeof(gpu->last_error.msg)];
		uint64_t va = gpu->last_error.va;
		memcpy(msg, gpu->last_error.msg, sizeof(msg));
		err(c, ret, va, "CDM launch at 0x%" PRIx64 ": %.200s", launch_va, msg);
	}
	free(b);
	return ret;
}

int agxsim_gpu_run_cdm(struct agxsim_gpu *gpu, const struct agxsim_gpu_job *job,
		       uint64_t stream_base_va, uint64_t stream_end_va,
		       struct agxsim_fault *fault)
{
	struct cdm cc = {
		.gpu = gpu, .job = job, .pc = stream_base_va, .in_first = true,
		.end = stream_end_va,
	}, *c = &cc;
	uint64_t budget = job && job->insn_budget ? job->insn_budget :
			  gpu->cfg.insn_budget ? gpu->cfg.insn_budget :
			  AGXSIM_GPU_DEFAULT_INSN_BUDGET;
	uint32_t blocks_left = job && job->stream_budget ? job->stream_budget
							 : AGXSIM_GPU_DEFAULT_STREAM_BUDGET;
	int ret = 0;

	memset(&gpu->last_error, 0, sizeof(gpu->last_error));
	if (!job || !job->mem) {
		ret = err(c, -EINVAL, 0, "CDM job without a memory port");
		goto done;
	}
	if (stream_end_va <= stream_base_va || (stream_base_va & 3)) {
		ret = err(c, -EPROTO, stream_base_va,
			  "CDM stream [0x%" PRIx64 ", 0x%" PRIx64 ") is empty or misaligned",
			  stream_base_va, stream_end_va);
		goto done;
	}
	if (gpu->trace && (gpu->trace_flags & AGXSIM_GPU_TRACE_STREAM))
		c->trace = gpu->trace;
	if (c->trace)
		fprintf(c->trace, "CDM stream 0x%" PRIx64 "..0x%" PRIx64 " (vm slot %u, USC base 0x%" PRIx64 ")\n",
			stream_base_va, stream_end_va, job->vm_slot, job->usc_exec_base);

	for (;;) {
		uint64_t va = c->pc;
		uint32_t hdr;
		struct agx_cdm_block_header h;

		if (blocks_left-- == 0) {
			ret = err(c, -ETIMEDOUT, va,
				  "CDM stream timed out: block budget exhausted at 0x%" PRIx64
				  " (a link loop?)", va);
			break;
		}
		gpu->stats.stream_words++;
		{
			struct agxsim_fault f = { 0 };
			if (c->in_first && va + 4 > c->end) {
				ret = err(c, -EPROTO, va,
					  "CDM stream ran past its end 0x%" PRIx64 " at 0x%" PRIx64
					  " (no Stream Link or Stream Terminate)", c->end, va);
				break;
			}
			ret = agxsim_mem_read(job->mem, va, &hdr, 4, &f);
			if (ret) {
				ret = err(c, -EFAULT, f.va,
					  "CDM memory fault reading a block at 0x%" PRIx64, va);
				gpu->last_error.fault = f;
				break;
			}
		}
		agx_unpack_cdm_block_header(&hdr, &h);
		if (c->trace)
			fprintf(c->trace, "  %010" PRIx64 ": %08x %s\n", va, hdr,
				agx_cdm_block_type_as_str(h.block_type) ?
				agx_cdm_block_type_as_str(h.block_type) : "?");

		switch (h.block_type) {
		case AGX_CDM_BLOCK_TYPE_LAUNCH:
			ret = launch(c, &budget);
			break;
		case AGX_CDM_BLOCK_TYPE_BARRIER: {
			struct agx_cdm_barrier bar;
			ret = fetch(c, &hdr, 4, "Barrier");
			if (ret)
				break;
			if (agx_unpack_cdm_barrier(&hdr, &bar)) {
				ret = BAD("Barrier", va, agx_unpack_cdm_barrier(&hdr, &bar), hdr);
				break;
			}
			if (c->trace)
				agx_print_cdm_barrier(c->trace, &bar, 6);
			/* Launches run to completion in order: nothing to wait for. */
			break;
		}
		case AGX_CDM_BLOCK_TYPE_STREAM_LINK: {
			struct agx_cdm_stream_link l;
			uint8_t raw[AGX_CDM_STREAM_LINK_LENGTH];
			unsigned fl;
			uint64_t target;

			ret = fetch(c, raw, sizeof(raw), "Stream Link");
			if (ret)
				break;
			if ((fl = agx_unpack_cdm_stream_link(raw, &l))) {
				ret = BAD("Stream Link", va, fl, hdr);
				break;
			}
			if (c->trace)
				agx_print_cdm_stream_link(c->trace, &l, 6);
			target = ((uint64_t)l.target_hi << 32) | l.target_lo;
			if (target & 3) {
				ret = err(c, -EPROTO, va,
					  "CDM Stream Link at 0x%" PRIx64 " to misaligned 0x%" PRIx64,
					  va, target);
				break;
			}
			if (l.with_return) {
				if (c->depth == AGXSIM_GPU_MAX_LINK_DEPTH) {
					ret = err(c, -EPROTO, va,
						  "CDM Stream Link with return at 0x%" PRIx64
						  " nests deeper than %u", va,
						  AGXSIM_GPU_MAX_LINK_DEPTH);
					break;
				}
				c->stack[c->depth].ret = c->pc;
				c->stack[c->depth].in_first = c->in_first;
				c->depth++;
			}
			c->pc = target;
			c->in_first = false;
			break;
		}
		case AGX_CDM_BLOCK_TYPE_STREAM_RETURN: {
			struct agx_cdm_stream_return r;
			uint8_t raw[AGX_CDM_STREAM_RETURN_LENGTH];
			unsigned fl;

			ret = fetch(c, raw, sizeof(raw), "Stream Return");
			if (ret)
				break;
			if ((fl = agx_unpack_cdm_stream_return(raw, &r))) {
				ret = BAD("Stream Return", va, fl, hdr);
				break;
			}
			if (c->trace)
				agx_print_cdm_stream_return(c->trace, &r, 6);
			if (c->depth == 0) {
				ret = err(c, -EPROTO, va,
					  "CDM Stream Return at 0x%" PRIx64 " without a link with return",
					  va);
				break;
			}
			c->depth--;
			c->pc = c->stack[c->depth].ret;
			c->in_first = c->stack[c->depth].in_first;
			break;
		}
		case AGX_CDM_BLOCK_TYPE_STREAM_TERMINATE: {
			struct agx_cdm_stream_terminate t;
			uint8_t raw[AGX_CDM_STREAM_TERMINATE_LENGTH];
			unsigned fl;

			ret = fetch(c, raw, sizeof(raw), "Stream Terminate");
			if (ret)
				break;
			if ((fl = agx_unpack_cdm_stream_terminate(raw, &t))) {
				ret = BAD("Stream Terminate", va, fl, hdr);
				break;
			}
			if (c->trace)
				agx_print_cdm_stream_terminate(c->trace, &t, 6);
			goto done;
		}
		default:
			ret = err(c, -EPROTO, va,
				  "unknown CDM block type %u at 0x%" PRIx64 " (word 0x%08x)",
				  (unsigned)h.block_type, va, hdr);
			break;
		}
		if (ret)
			break;
	}
done:
	if (ret) {
		if (c->trace)
			fprintf(c->trace, "CDM stopped: %s\n", gpu->last_error.msg);
		agxsim_gpu_error_to_fault(gpu, job, fault);
	} else if (fault) {
		memset(fault, 0, sizeof(*fault));
	}
	return ret;
}
