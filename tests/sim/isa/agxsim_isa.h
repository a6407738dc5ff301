/* SPDX-License-Identifier: MIT */
/*
 * agxsim_isa.h - decoder, disassembler and SIMD-group interpreter for the
 * Apple G13 (M1) shader ISA.
 *
 * Data flow: instruction bytes -> agx_decode() -> struct agx_insn (opcode,
 * typed operands, modifiers) -> agx_disasm() for text, or
 * agxsim_isa_step()/agxsim_isa_run() to execute it on a struct
 * agxsim_isa_state (one SIMD group of 32 lanes).
 *
 * Encodings follow the public reverse-engineered documentation of the ISA
 * (see README.md and ASSUMPTIONS-isa.md for sources and open questions).
 */
#ifndef AGXSIM_ISA_H
#define AGXSIM_ISA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agxsim/mem_if.h"

#define AGX_SIMD_WIDTH 32
#define AGX_NUM_GPR_HALVES 256     /* r0..r127 as 16-bit halves h0..h255 */
#define AGX_NUM_UNIFORM_HALVES 512 /* u0..u255 as 16-bit halves */
#define AGX_MAX_INSN_SIZE_B 12
#define AGX_MAX_SRCS 5

enum agx_op {
	AGX_OP_UNKNOWN = 0,
	AGX_OP_MOV_IMM16,
	AGX_OP_MOV_IMM32,
	AGX_OP_GET_SR,
	AGX_OP_IADD,
	AGX_OP_IMADD,
	AGX_OP_CONVERT,
	AGX_OP_BFI,
	AGX_OP_BFEIL,
	AGX_OP_EXTR,
	AGX_OP_SHLHI,
	AGX_OP_SHRHI,
	AGX_OP_ASR,
	AGX_OP_ASRH,
	AGX_OP_BITOP,
	AGX_OP_BITREV,
	AGX_OP_POPCOUNT,
	AGX_OP_INTL,
	AGX_OP_FFS,
	AGX_OP_IUNOP,
	AGX_OP_FMADD32,
	AGX_OP_FMADD16,
	AGX_OP_FADD32,
	AGX_OP_FADD16,
	AGX_OP_FMUL32,
	AGX_OP_FMUL16,
	AGX_OP_FLOOR,
	AGX_OP_CEIL,
	AGX_OP_TRUNC,
	AGX_OP_RINT,
	AGX_OP_RCP,
	AGX_OP_RSQRT,
	AGX_OP_RSQRT_SPECIAL,
	AGX_OP_SIN_PT_1,
	AGX_OP_SIN_PT_2,
	AGX_OP_LOG2,
	AGX_OP_EXP2,
	AGX_OP_DFDX,
	AGX_OP_DFDY,
	AGX_OP_FUNOP,
	AGX_OP_RET,
	AGX_OP_STOP,
	AGX_OP_TRAP,
	AGX_OP_CALL_REG,
	AGX_OP_JMP_INCOMPLETE,
	AGX_OP_JMP_EXEC_ANY,
	AGX_OP_JMP_EXEC_NONE,
	AGX_OP_CALL,
	AGX_OP_POP_EXEC,
	AGX_OP_IF_ICMP,
	AGX_OP_IF_FCMP,
	AGX_OP_WHILE_ICMP,
	AGX_OP_WHILE_FCMP,
	AGX_OP_ELSE_ICMP,
	AGX_OP_ELSE_FCMP,
	AGX_OP_ICMPSEL,
	AGX_OP_FCMPSEL,
	AGX_OP_ICMP_BALLOT,
	AGX_OP_ICMP_QUAD_BALLOT,
	AGX_OP_FCMP_BALLOT,
	AGX_OP_FCMP_QUAD_BALLOT,
	AGX_OP_SIMD_SHUFFLE,
	AGX_OP_SIMD_SHUFFLE_DOWN,
	AGX_OP_SIMD_SHUFFLE_UP,
	AGX_OP_SIMD_SHUFFLE_ROTATE_UP,
	AGX_OP_SIMD_SHUFFLE_XOR,
	AGX_OP_SIMD_MATRIX_FMADD32,
	AGX_OP_SIMD_MATRIX_FMADD16,
	AGX_OP_QUAD_SHUFFLE,
	AGX_OP_QUAD_SHUFFLE_DOWN,
	AGX_OP_QUAD_SHUFFLE_UP,
	AGX_OP_QUAD_SHUFFLE_ROTATE_UP,
	AGX_OP_QUAD_SHUFFLE_XOR,
	AGX_OP_SIMD_SHUF_OP,
	AGX_OP_QUAD_AND,
	AGX_OP_QUAD_OR,
	AGX_OP_QUAD_XOR,
	AGX_OP_QUAD_IADD,
	AGX_OP_QUAD_FADD,
	AGX_OP_QUAD_FMUL,
	AGX_OP_QUAD_PREFIX_IADD,
	AGX_OP_QUAD_PREFIX_FADD,
	AGX_OP_QUAD_PREFIX_FMUL,
	AGX_OP_QUAD_MIN_U,
	AGX_OP_QUAD_MAX_U,
	AGX_OP_QUAD_MIN_S,
	AGX_OP_QUAD_MAX_S,
	AGX_OP_QUAD_MIN_F,
	AGX_OP_QUAD_MAX_F,
	AGX_OP_SIMD_AND,
	AGX_OP_SIMD_OR,
	AGX_OP_SIMD_XOR,
	AGX_OP_SIMD_IADD,
	AGX_OP_SIMD_FADD,
	AGX_OP_SIMD_FMUL,
	AGX_OP_SIMD_PREFIX_IADD,
	AGX_OP_SIMD_PREFIX_FADD,
	AGX_OP_SIMD_PREFIX_FMUL,
	AGX_OP_SIMD_PREFIX_AND,
	AGX_OP_SIMD_PREFIX_OR,
	AGX_OP_SIMD_PREFIX_XOR,
	AGX_OP_SIMD_PREFIX_MIN_S,
	AGX_OP_SIMD_PREFIX_MIN_U,
	AGX_OP_SIMD_PREFIX_MAX_S,
	AGX_OP_SIMD_PREFIX_MAX_U,
	AGX_OP_SIMD_MIN_U,
	AGX_OP_SIMD_MAX_U,
	AGX_OP_SIMD_MIN_S,
	AGX_OP_SIMD_MAX_S,
	AGX_OP_SIMD_MIN_F,
	AGX_OP_SIMD_MAX_F,
	AGX_OP_SIMD_OP,
	AGX_OP_WAIT_PIX,
	AGX_OP_SIGNAL_PIX,
	AGX_OP_WAIT,
	AGX_OP_LD_ST_TILE,
	AGX_OP_ITER,
	AGX_OP_ITERPROJ,
	AGX_OP_LDCF,
	AGX_OP_UNIFORM_STORE,
	AGX_OP_TEX_STATE_STORE,
	AGX_OP_SAMPLER_STATE_STORE,
	AGX_OP_NO_VAR,
	AGX_OP_ST_VAR,
	AGX_OP_ST_VAR_FINAL,
	AGX_OP_ASYNC_STORE,
	AGX_OP_ASYNC_LOAD,
	AGX_OP_DEVICE_LOAD,
	AGX_OP_DEVICE_STORE,
	AGX_OP_DEVICE_LOAD_UNK,
	AGX_OP_DEVICE_STORE_UNK,
	AGX_OP_STACK_GET_PTR,
	AGX_OP_STACK_ADJUST,
	AGX_OP_STACK_ADJUST2,
	AGX_OP_STACK_STORE,
	AGX_OP_STACK_LOAD,
	AGX_OP_THREADGROUP_LOAD,
	AGX_OP_THREADGROUP_STORE,
	AGX_OP_TEXTURE_SAMPLE,
	AGX_OP_TEXTURE_LOAD,
	AGX_OP_THREADGROUP_BARRIER,
	AGX_OP_ATOMIC,
	AGX_OP_THREADGROUP_ATOMIC,
	AGX_OP_AFTER_SAMPLING1,
	AGX_OP_AFTER_SAMPLING2,
	AGX_OP_UNK30C0,
	AGX_OP_UNK40C0,
	AGX_OP_UNKC0000000,
	AGX_OP_UNK51,
	AGX_OP_UNKE800,
	AGX_OP_UNK0C00,
	AGX_OP_DOORBELL,
	AGX_OP_JMP_IF_SKIPPING_DOORBELL,
	AGX_OP_IMAGE_WRITE_BLOCK,
	AGX_OP_IMAGE_WRITE,
	AGX_OP_SR_THING,
	AGX_OP_POP_EXEC2,
	AGX_OP_MAP,
	AGX_OP_UNK75_ALT,
	AGX_OP_SAMPLE_MASK,
	AGX_OP_ZS_EMIT,
	AGX_OP_MEMORY_BARRIER,
	AGX_OP_COUNT
};

enum agx_opnd_kind {
	AGX_OPND_NONE = 0,
	AGX_OPND_REG,   /* GPR: index is a 16-bit half index (rNl = 2N) */
	AGX_OPND_UREG,  /* uniform: half index into u0l..u255h */
	AGX_OPND_IMM,   /* integer immediate (value in imm) */
	AGX_OPND_FIMM,  /* 8-bit float immediate (raw bits in imm) */
	AGX_OPND_SREG,  /* special register number */
};

enum agx_hint {
	AGX_HINT_NONE = 0,
	AGX_HINT_CACHE = 1,
	AGX_HINT_DISCARD = 2,
};

struct agx_operand {
	uint8_t kind;     /* enum agx_opnd_kind */
	uint8_t size;     /* bits: 16, 32 or 64 (registers/uniforms) */
	uint8_t count;    /* consecutive registers (memory tuples), >= 1 */
	uint8_t hint;     /* enum agx_hint */
	bool abs, neg;    /* float source modifiers */
	bool sx;          /* integer source: sign-extend */
	uint16_t index;   /* half index (REG/UREG), SR number */
	uint32_t imm;     /* IMM/FIMM value (FIMM: raw 8-bit code) */
};

/* Integer conditions (cc | ccn<<3) */
enum agx_icond { AGX_ICOND_UEQ = 0, AGX_ICOND_ULT = 1, AGX_ICOND_UGT = 2,
		 AGX_ICOND_SEQ = 4, AGX_ICOND_SLT = 5, AGX_ICOND_SGT = 6 };
/* Float conditions */
enum agx_fcond { AGX_FCOND_EQ = 0, AGX_FCOND_LT = 1, AGX_FCOND_GT = 2,
		 AGX_FCOND_LTN = 3, AGX_FCOND_GTE = 5, AGX_FCOND_LTE = 6,
		 AGX_FCOND_GTN = 7 };

struct agx_insn {
	enum agx_op op;
	const char *name;       /* mnemonic */
	unsigned size_B;        /* encoded length in bytes (0 if unknown) */
	uint8_t bytes[AGX_MAX_INSN_SIZE_B]; /* encoding, zero padded */

	struct agx_operand dst;
	struct agx_operand src[AGX_MAX_SRCS];
	unsigned nsrc;

	bool sat;          /* destination saturate */
	bool negate;       /* isub/imsub: negate last addend */
	unsigned shift;    /* iadd/imadd lsl, memory shift */
	unsigned cc;       /* condition code */
	bool ccn;          /* inverted condition */
	unsigned nest;     /* exec-mask nesting count n */
	unsigned mask_bits;/* bitfield mask width m (0 = 32) */
	unsigned tt;       /* bitop truth table (bit i = tt_i) */
	unsigned mode;     /* convert mode / funop op / misc subop */
	unsigned round;    /* convert rounding */
	unsigned format;   /* memory format */
	unsigned comp_mask;/* memory component mask */
	unsigned slot;     /* wait / scoreboard slot */
	bool mem_unsigned; /* memory index zero-extend */
	bool kill;
	bool reserved_operand; /* an operand uses a reserved type encoding */
	int16_t enc_row;       /* row of the encoding table, -1 if unknown */
	int32_t offset;    /* branch offset (bytes, relative to this insn) */
	uint32_t imm32;    /* mov_imm / misc immediate */
};

/*
 * Decode one instruction from @code (@avail_B bytes available). Returns the
 * instruction size in bytes, or 0 if the bytes do not start a known
 * encoding (insn->op = AGX_OP_UNKNOWN) or are truncated.
 */
unsigned agx_decode(const uint8_t *code, size_t avail_B, struct agx_insn *insn);

/* Length only (0 when unknown). */
unsigned agx_insn_length(const uint8_t *code, size_t avail_B);

/*
 * The documented raw fields of the instruction's encoding (every class,
 * including those whose operands are not broken out into struct agx_insn):
 * writes up to @max entries, returns the total number of fields.
 */
struct agx_field {
	const char *name;
	uint64_t value;
};
unsigned agx_insn_fields(const struct agx_insn *insn, struct agx_field *out, unsigned max);

/* Disassemble into @buf; returns the number of characters written. */
int agx_disasm(const struct agx_insn *insn, char *buf, size_t buf_size_B);

/* Mnemonic of an op (for tables). */
const char *agx_op_name(enum agx_op op);

/* ---------------------------------------------------------------- */
/* Interpreter */

enum agxsim_isa_status {
	AGXSIM_ISA_RUNNING = 0,
	AGXSIM_ISA_STOPPED,       /* executed stop */
	AGXSIM_ISA_FAULT_UNIMPL,  /* unknown / unimplemented instruction */
	AGXSIM_ISA_FAULT_MEM,     /* memory access fault (see state.mem_fault) */
	AGXSIM_ISA_FAULT_TRAP,    /* executed trap */
	AGXSIM_ISA_FAULT_ILLEGAL, /* invalid operand combination */
	AGXSIM_ISA_STEP_LIMIT,    /* ran out of instruction budget */
};

struct agxsim_isa_state;
struct agx_insn;

/*
 * Hooks for units outside the shader core. A NULL hook makes the
 * instruction fault as unimplemented. Each returns 0 on success or a
 * negative errno (the interpreter then reports an illegal-instruction
 * fault naming the hook).
 */
struct agxsim_isa_hooks {
	void *ctx;
	/* Special register read (get_sr). NULL: built-in defaults. */
	uint32_t (*read_sr)(void *ctx, unsigned sr, unsigned lane);
	int (*texture)(void *ctx, struct agxsim_isa_state *s, const struct agx_insn *insn);
	int (*image_write)(void *ctx, struct agxsim_isa_state *s, const struct agx_insn *insn);
	int (*varying)(void *ctx, struct agxsim_isa_state *s, const struct agx_insn *insn);
	int (*tile)(void *ctx, struct agxsim_isa_state *s, const struct agx_insn *insn);
	int (*fragment_out)(void *ctx, struct agxsim_isa_state *s, const struct agx_insn *insn);
	/* threadgroup_barrier: NULL = single SIMD group, no-op. */
	int (*barrier)(void *ctx, struct agxsim_isa_state *s);
};

/* Decoded-instruction cache entry (keyed by PC, validated by the bytes). */
struct agxsim_isa_dcache_entry {
	uint64_t pc;
	uint8_t raw[AGX_MAX_INSN_SIZE_B];
	uint8_t avail_B;    /* 0 = empty */
	struct agx_insn insn;
};

#define AGXSIM_ISA_DCACHE_ENTRIES 256

/* Stack (scratch) bytes per lane: a simulator limit (ASSUMPTIONS-isa). */
#define AGXSIM_ISA_STACK_B 2048u

struct agxsim_isa_state {
	uint16_t regs[AGX_SIMD_WIDTH][AGX_NUM_GPR_HALVES];
	uint16_t uniforms[AGX_NUM_UNIFORM_HALVES];
	uint32_t exec;          /* active lanes */
	uint32_t present;       /* lanes that exist (threads < 32) */
	/* Helper lanes (fragment quads): they execute, so that derivatives
	 * see their values, but device stores and atomics skip them
	 * (ASSUMPTIONS-isa E29). Set by the GPU model after init. */
	uint32_t helper;
	uint64_t pc;            /* GPU VA of the next instruction */
	enum agxsim_isa_status status;

	const struct agxsim_mem_if *mem;   /* device memory + code fetch */
	struct agxsim_fault mem_fault;
	int mem_errno;

	uint8_t *threadgroup;   /* threadgroup (local) memory */
	size_t threadgroup_size_B;

	struct agxsim_isa_hooks hooks;

	uint64_t insn_count;
	bool branched;          /* set by a taken branch during exec */
	char fault_msg[192];

	/* Decoded instructions, re-validated against the fetched bytes. */
	struct agxsim_isa_dcache_entry dcache[AGXSIM_ISA_DCACHE_ENTRIES];

	/* Optional trace callback: called before each instruction executes. */
	void (*trace)(void *ctx, uint64_t pc, const struct agx_insn *insn);
	void *trace_ctx;

	/* Bytes of each lane's stack allocated by stack_adjust (ASSUMPTIONS-isa
	 * I-STACK). */
	uint32_t stack_sp[AGX_SIMD_WIDTH];

	/* Per-lane stack (scratch) memory. Must stay the last member:
	 * agxsim_isa_init() does not clear it; stack_adjust zeroes what it
	 * allocates. */
	uint8_t stack[AGX_SIMD_WIDTH][AGXSIM_ISA_STACK_B];
};

/* Reset: zero registers, exec = present = low @threads lanes, pc = @pc. */
void agxsim_isa_init(struct agxsim_isa_state *s, unsigned threads, uint64_t pc,
		     const struct agxsim_mem_if *mem);

/* Execute one instruction; returns the status after it. */
enum agxsim_isa_status agxsim_isa_step(struct agxsim_isa_state *s);

/* Execute until stop/fault or @max_insns executed. */
enum agxsim_isa_status agxsim_isa_run(struct agxsim_isa_state *s, uint64_t max_insns);

/* Execute one already-decoded instruction at @pc (used by step). */
enum agxsim_isa_status agxsim_isa_exec(struct agxsim_isa_state *s,
				       const struct agx_insn *insn);

const char *agxsim_isa_status_name(enum agxsim_isa_status st);

/* Register helpers (half index h). */
static inline uint32_t agxsim_reg32(const struct agxsim_isa_state *s, unsigned lane, unsigned r)
{
	return s->regs[lane][2 * r] | ((uint32_t)s->regs[lane][2 * r + 1] << 16);
}

static inline void agxsim_set_reg32(struct agxsim_isa_state *s, unsigned lane, unsigned r, uint32_t v)
{
	s->regs[lane][2 * r] = (uint16_t)v;
	s->regs[lane][2 * r + 1] = (uint16_t)(v >> 16);
}

#endif /* AGXSIM_ISA_H */
