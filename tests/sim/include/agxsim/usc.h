/* SPDX-License-Identifier: MIT */
/*
 * agxsim/usc.h - binding a shader from a USC word list.
 *
 * The VDM, PPP and CDM name a shader by a "pipeline": a 64-byte aligned
 * offset from the queue's USC execution base at which a list of tagged
 * USC words lies (mesa-asahi-facts.md 2.6; layout in mesa/genxml/agx_hw.xml,
 * structs "USC ..."). This parser reads that list through a mem_if port,
 * exactly as the hardware would, and produces everything a shader core
 * needs before the first instruction: uniform registers, texture and
 * sampler state registers (raw descriptors), threadgroup-memory / tile
 * configuration, the code address, register count and preshader.
 *
 * The list is:
 *   { Uniform | Uniform High | Texture | Sampler }*   (any order)
 *   Shared, Shader, Registers                         (each exactly once;
 *                                                      Shared may be absent
 *                                                      in vertex/fragment
 *                                                      pipelines)
 *   [Fragment properties]                             (fragment stage only)
 *   Preshader | No preshader                          (ends the list)
 * Any word with an unknown tag, with reserved bits set (genxml unpack
 * flags), a duplicate, a missing required word, or a data range outside
 * the register files is a malformed-input fault: the parser returns
 * -EPROTO with a message naming the word and its address. A memory fault
 * while reading words or their buffers returns -EFAULT with the fault.
 */
#ifndef AGXSIM_USC_H
#define AGXSIM_USC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agxsim/mem_if.h"

/* ---- Errors shared by all GPU-model units ------------------------------ */

/*
 * How a GPU unit reports why it stopped. code is the negative errno the
 * call returned:
 *   -EFAULT     memory fault; fault is filled in (va, reason, unit...).
 *   -EPROTO     malformed input (control-stream word, USC word,
 *               descriptor) or an invalid shader/instruction; va is the
 *               address of the offending word or instruction.
 *   -ETIMEDOUT  a budget ran out (runaway shader, looping stream).
 *   -EINVAL     bad arguments from the caller (not the GPU's input).
 * msg is always a human-readable sentence.
 */
struct agxsim_gpu_error {
	int code;
	uint64_t va;
	struct agxsim_fault fault;
	char msg[256];
};

/* ---- Binding ------------------------------------------------------------ */

enum agxsim_usc_stage {
	AGXSIM_USC_STAGE_COMPUTE = 0,
	AGXSIM_USC_STAGE_VERTEX,
	AGXSIM_USC_STAGE_FRAGMENT,
};

#define AGXSIM_USC_UNIFORM_HALVES   512u
#define AGXSIM_USC_MAX_TEXTURES     256u  /* texture state registers */
#define AGXSIM_USC_MAX_SAMPLERS     16u   /* sampler state registers */
#define AGXSIM_USC_TEXTURE_DESC_B   24u   /* one texture state register */
#define AGXSIM_USC_SAMPLER_DESC_B   8u    /* compact sampler */
#define AGXSIM_USC_BORDER_B         16u   /* extended: + custom border */
/* The parser gives up on a list longer than this (no terminator). */
#define AGXSIM_USC_MAX_LIST_B       4096u

/*
 * Register counts the launch word declares (CDM Launch Word 0, VDM vertex
 * shader word 0, the UAPI's Counts "rsrc_spec"), decoded: uniform halves,
 * texture and sampler state registers, preshader registers. When given to
 * the parser, words that load registers beyond these counts are faults.
 */
struct agxsim_usc_counts {
	unsigned uniform_halves;
	unsigned textures;
	unsigned samplers;
	bool samplers_extended;   /* "8/16 extended" sampler states */
	unsigned preshader_regs;
};

struct agxsim_usc_binding {
	uint64_t usc_va;          /* address of the first word */
	uint32_t list_size_B;     /* bytes up to and including the last word */
	unsigned word_count;
	enum agxsim_usc_stage stage;

	/* Uniform registers as loaded by Uniform / Uniform High words
	 * (16-bit halves; unloaded halves are 0), and which were loaded. */
	uint16_t uniforms[AGXSIM_USC_UNIFORM_HALVES];
	uint64_t uniforms_loaded[AGXSIM_USC_UNIFORM_HALVES / 64];

	/* Texture state registers: raw 24-byte descriptors, unvalidated (the
	 * texture unit unpacks them when a shader uses one). */
	uint8_t textures[AGXSIM_USC_MAX_TEXTURES][AGXSIM_USC_TEXTURE_DESC_B];
	uint64_t textures_loaded[AGXSIM_USC_MAX_TEXTURES / 64];
	unsigned texture_high;    /* 1 + highest loaded register, 0 if none */

	/* Sampler state registers: raw 8-byte sampler, then the 16-byte
	 * border when the counts say the samplers are extended (else 0). */
	uint8_t samplers[AGXSIM_USC_MAX_SAMPLERS]
			[AGXSIM_USC_SAMPLER_DESC_B + AGXSIM_USC_BORDER_B];
	uint32_t samplers_loaded; /* bit per register */
	bool samplers_extended;

	/* Shared word (has_shared: the list had one; only compute pipelines
	 * must, ASSUMPTIONS.md R16). */
	bool has_shared;
	bool uses_shared_memory;
	unsigned shared_layout;         /* enum agx_shared_layout value */
	unsigned sample_count;          /* 1, 2, 4 */
	unsigned sample_stride_8B;      /* bytes per sample / 8 (tile) */
	uint32_t shared_bytes_per_tg;   /* as encoded (0 encodes 65536) */
	/* Threadgroup memory a compute dispatch gets: bytes_per_threadgroup
	 * when "uses shared memory", else 0. */
	uint32_t threadgroup_mem_B;

	/* Shader word. */
	uint32_t code_offset;
	uint64_t pc;                    /* usc_exec_base + code_offset */
	bool loads_varyings;
	bool shader_unk_9;
	unsigned shader_unk_10;

	/* Registers word. */
	unsigned gpr_halves;            /* 8..256 */
	unsigned spill_size;
	bool regs_unk_13;
	unsigned regs_unk_24;

	/* Preshader / No preshader. */
	bool has_preshader;
	uint32_t preshader_offset;
	uint64_t preshader_pc;          /* usc_exec_base + offset */

	/* Fragment properties (fragment stage only). */
	bool has_fragment_props;
	bool early_z_testing;
	bool unconditional_discard_1, unconditional_discard_2;
	uint32_t fragment_props_raw;    /* the whole 4-byte word */
};

/*
 * Parse the USC word list at usc_exec_base + pipeline_offset.
 *  mem            port used for the words and their buffers (the caller
 *                 picks the unit code, e.g. the CDM's or the VDM's);
 *  counts         declared register counts, or NULL (no count checks;
 *                 samplers are then taken as compact);
 *  trace          if not NULL, every word is printed decoded to it.
 * Returns 0 and fills *b, or a negative errno with *err filled in (see
 * struct agxsim_gpu_error). The pipeline offset must be 64-byte aligned.
 */
int agxsim_usc_parse(const struct agxsim_mem_if *mem, uint64_t usc_exec_base,
		     uint32_t pipeline_offset, enum agxsim_usc_stage stage,
		     const struct agxsim_usc_counts *counts,
		     struct agxsim_usc_binding *b, void *trace /* FILE * */,
		     struct agxsim_gpu_error *err);

/*
 * Decode a Counts-shaped register-count word (the UAPI rsrc_spec, or the
 * count bits of a launch word; bits 0-15 have the same layout). Returns 0
 * or -EPROTO (reserved bits / unnamed sampler-state value), err filled.
 */
int agxsim_usc_decode_counts(uint32_t word, struct agxsim_usc_counts *counts,
			     struct agxsim_gpu_error *err);

/* Copy the binding's uniform halves into a uniform register file. */
void agxsim_usc_load_uniforms(const struct agxsim_usc_binding *b,
			      uint16_t *uniforms /* 512 halves */);

/* Format an error (helper for all units; always returns code). */
int agxsim_gpu_error_set(struct agxsim_gpu_error *err, int code, uint64_t va,
			 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif /* AGXSIM_USC_H */
