/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * agxc: the agx driver's NIR -> AGX (G13) shader compiler.
 *
 * A small SSA IR: a shader is a list of blocks, a block a list of
 * instructions. Instructions have at most one destination and up to four
 * sources. Operands (agxc_index) are SSA values (possibly a component of a
 * vector value), immediates, uniform registers (half index), special
 * registers or, after register allocation, GPR halves. Control flow is
 * structured and executed with the hardware execution-mask stack, so code is
 * linear: blocks are only kept for printing.
 */
#ifndef AGXC_H
#define AGXC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "util/list.h"
#include "util/u_dynarray.h"

#ifdef __cplusplus
extern "C" {
#endif

struct nir_shader;
struct nir_shader_compiler_options;

enum agxc_kind {
   AGXC_NONE = 0,
   AGXC_SSA,     /* value = SSA value number */
   AGXC_IMM,     /* value = immediate bits (32-bit max) */
   AGXC_UNIFORM, /* value = uniform half index (u0l = 0, u0h = 1, u1l = 2) */
   AGXC_REG,     /* value = GPR half index (r0l = 0, r0h = 1, r1l = 2) */
};

typedef struct {
   uint32_t value;
   uint8_t kind;
   uint8_t size; /* bits per component: 16, 32 or 64 */
   uint8_t comp; /* component of a vector SSA value */
   bool abs, neg;
} agxc_index;

enum agxc_op {
   AGXC_OP_MOV,        /* pseudo: copy (lowered to bitop) */
   AGXC_OP_COLLECT,    /* pseudo: vector from scalar sources */
   AGXC_OP_MOV_IMM,    /* imm */
   AGXC_OP_GET_SR,     /* imm = special register number */
   AGXC_OP_IADD,       /* invert = subtract src1 */
   AGXC_OP_IMAD,       /* src0 * src1 + src2 */
   AGXC_OP_BITOP,      /* imm = truth table tt0..tt3 in bits 0..3 */
   AGXC_OP_BFI,        /* (s0 & ~(m << s2)) | ((s1 & m) << s2), m = all ones */
   AGXC_OP_BFEIL,      /* (s0 & ~m) | ((s1 >> s2) & m) */
   AGXC_OP_ASR,        /* s0 >> s1 arithmetic */
   AGXC_OP_CONVERT,    /* imm = mode, round = 0 rtz / 1 rte */
   AGXC_OP_FADD,
   AGXC_OP_FMUL,
   AGXC_OP_FMA,
   AGXC_OP_FUNARY,     /* imm = unary op number */
   AGXC_OP_ICMPSEL,    /* imm = cond; dest = cond(s0, s1) ? s2 : s3 */
   AGXC_OP_FCMPSEL,
   AGXC_OP_DEVICE_LOAD,  /* dest vector; s0 base (64-bit), s1 index */
   AGXC_OP_DEVICE_STORE, /* s0 data vector, s1 base, s2 index */
   AGXC_OP_WAIT,
   AGXC_OP_IF_ICMP,    /* imm = cond, invert, n; s0, s1 */
   AGXC_OP_ELSE,       /* unconditional else (else_fcmp eq 0.0, 0.0) */
   AGXC_OP_POP_EXEC,
   AGXC_OP_PUSH_EXEC,  /* unconditional push: if_fcmp eq 0.0, 0.0, n */
   AGXC_OP_LABEL,      /* pseudo: imm = label id, no bytes */
   AGXC_OP_JMP_EXEC_ANY, /* imm = target label id */
   AGXC_OP_STOP,
   AGXC_OP_TRAP,
   /* graphics */
   AGXC_OP_ST_VAR,     /* s0 = 32-bit value; imm = UVS word; final */
   AGXC_OP_ITER,       /* dest vector; imm = cf index, count = ncomp,
                        * cf_w = perspective divisor cf (iterproj) or ~0,
                        * interp = 0 centre / 2 centroid */
   AGXC_OP_LDCF,       /* dest vector of 3 * count; imm = cf index */
   AGXC_OP_ST_TILE,    /* s0 = value vector; imm = tile format, offset, mask,
                        * sample mask (s1 register or sample_mask immediate) */
   AGXC_OP_LD_TILE,    /* dest vector; same fields */
   AGXC_OP_SAMPLE_MASK, /* s0 = value (imm or 16-bit reg); imm = target */
   AGXC_OP_ZS_EMIT,    /* s0 = depth (32-bit) and/or s1 stencil (16-bit),
                        * collected into one vector value; imm = target;
                        * mask bit 0 depth, bit 1 stencil */
   AGXC_OP_IMAGE_WRITE_BLOCK, /* s0 = 32-bit tile offset; imm = texture
                               * state register; format; dim */
   AGXC_OP_TEXTURE_SAMPLE, /* dest vec4; s0 coords (vector); s1 lod or
                            * none; imm = texture, sampler; dim; lod mode */
   AGXC_OP_TEXTURE_LOAD,
   AGXC_NUM_OPS,
};

/* Unary float op numbers (bits 28-33 of the 0x0A encoding). */
enum agxc_funary {
   AGXC_FLOOR = 0, AGXC_DFDX = 4, AGXC_DFDY = 6, AGXC_RCP = 8, AGXC_RSQRT = 9, AGXC_LOG2 = 12,
   AGXC_EXP2 = 13, AGXC_CEIL = 16, AGXC_TRUNC = 32, AGXC_RINT = 48,
};

enum agxc_icond { AGXC_UEQ = 0, AGXC_ULT = 1, AGXC_UGT = 2, AGXC_SEQ = 4,
                  AGXC_SLT = 5, AGXC_SGT = 6 };
enum agxc_fcond { AGXC_FEQ = 0, AGXC_FLT = 1, AGXC_FGT = 2, AGXC_FLTN = 3,
                  AGXC_FGE = 5, AGXC_FLE = 6, AGXC_FGTN = 7 };

/* convert modes */
enum agxc_convert { AGXC_U16_TO_F = 6, AGXC_F_TO_U32 = 8, AGXC_F_TO_S32 = 9,
                    AGXC_U32_TO_F = 10, AGXC_S32_TO_F = 11 };

/* device memory formats */
enum agxc_format { AGXC_FMT_I8 = 0, AGXC_FMT_I16 = 1, AGXC_FMT_I32 = 2 };

/* bitop truth tables: bit0 = ~a&~b, bit1 = a&~b, bit2 = ~a&b, bit3 = a&b */
#define AGXC_TT_AND 0x8
#define AGXC_TT_OR  0xE
#define AGXC_TT_XOR 0x6
#define AGXC_TT_NOT 0x5 /* ~a */
#define AGXC_TT_MOV 0xA /* a */

typedef struct agxc_instr {
   struct list_head link;
   enum agxc_op op;
   agxc_index dest;
   agxc_index src[4];
   unsigned nr_srcs;
   uint32_t imm;
   uint8_t mask;   /* memory: component mask */
   uint8_t shift;  /* memory: index shift */
   uint8_t round;  /* convert */
   uint8_t nest;   /* exec-mask ops: n */
   bool sat, invert;
   bool f16;          /* fadd/fmul/fma: the fp16 form (fadd16/fmul16/fmadd16) */
   /* graphics ops */
   bool final;        /* st_var_final */
   uint8_t count;     /* iter/ldcf components */
   uint8_t cf_w;      /* iterproj W coefficient register, 0xff = iter */
   uint8_t interp;    /* iter: 0 centre, 2 centroid */
   uint8_t format;    /* tile / image format (hardware code) */
   uint8_t dim;       /* texture dimension (hardware code) */
   uint8_t lod_mode;  /* texture: hardware LOD mode */
   uint16_t offset;   /* tile byte offset */
   uint16_t sampler;  /* texture: sampler state register */
   uint8_t sample_mask; /* tile ops: immediate sample mask when nr_srcs says so */
   int32_t branch_offset; /* jumps: byte offset to the target (set by agxc_pack) */
} agxc_instr;

typedef struct agxc_block {
   struct list_head link;
   struct list_head instrs;
   unsigned index;
} agxc_block;

struct agxc_value {
   uint8_t size;  /* bits per component */
   uint8_t ncomp;
};

typedef struct agxc_shader {
   void *mem_ctx;
   unsigned stage; /* gl_shader_stage */
   struct list_head blocks;
   unsigned num_blocks;
   struct util_dynarray values; /* struct agxc_value, indexed by SSA number */
   bool allocated;      /* registers assigned */
   unsigned reserved_halves; /* never allocated: r0/r1, plus r2-r6 in VS */
   bool uses_discard;
   unsigned num_halves; /* GPR halves used (after RA), including r0/r1 */
} agxc_shader;

typedef struct {
   agxc_shader *shader;
   agxc_block *block;
} agxc_builder;

/* --- IR construction (agxc_ir.c) --- */
agxc_shader *agxc_shader_create(void *mem_ctx, unsigned stage);
agxc_block *agxc_block_create(agxc_shader *s);
agxc_builder agxc_builder_at_end(agxc_block *block);
agxc_index agxc_new_value(agxc_shader *s, unsigned size, unsigned ncomp);
unsigned agxc_num_values(const agxc_shader *s);
const struct agxc_value *agxc_value_info(const agxc_shader *s, unsigned v);
agxc_instr *agxc_emit(agxc_builder *b, enum agxc_op op, agxc_index dest,
                      unsigned nr_srcs, const agxc_index *srcs);

static inline agxc_index agxc_imm(uint32_t v, unsigned size)
{ return (agxc_index){ .value = v, .kind = AGXC_IMM, .size = (uint8_t)size }; }
static inline agxc_index agxc_uniform(unsigned half, unsigned size)
{ return (agxc_index){ .value = half, .kind = AGXC_UNIFORM, .size = (uint8_t)size }; }
static inline agxc_index agxc_reg(unsigned half, unsigned size)
{ return (agxc_index){ .value = half, .kind = AGXC_REG, .size = (uint8_t)size }; }
static inline agxc_index agxc_null(void) { return (agxc_index){ 0 }; }
static inline agxc_index agxc_neg(agxc_index i) { i.neg = !i.neg; return i; }
static inline agxc_index agxc_abs(agxc_index i) { i.abs = true; i.neg = false; return i; }
static inline agxc_index agxc_comp(agxc_index i, unsigned c)
{ i.comp = (uint8_t)c; return i; }

/* Convenience emitters returning the destination. */
agxc_index agxc_alu1(agxc_builder *b, enum agxc_op op, unsigned size, agxc_index a);
agxc_index agxc_alu2(agxc_builder *b, enum agxc_op op, unsigned size, agxc_index a, agxc_index c);
agxc_index agxc_alu3(agxc_builder *b, enum agxc_op op, unsigned size, agxc_index a,
                     agxc_index c, agxc_index d);

const char *agxc_op_name(enum agxc_op op);
void agxc_print_index(FILE *fp, agxc_index i);
void agxc_print_instr(FILE *fp, const agxc_instr *I);
void agxc_print_shader(FILE *fp, const agxc_shader *s);
/* Printed shader as a ralloc'ed string (for tests). */
char *agxc_shader_to_string(void *mem_ctx, const agxc_shader *s);

#define agxc_foreach_block(s, blk) \
   list_for_each_entry(agxc_block, blk, &(s)->blocks, link)
#define agxc_foreach_instr(blk, ins) \
   list_for_each_entry(agxc_instr, ins, &(blk)->instrs, link)
#define agxc_foreach_instr_safe(blk, ins) \
   list_for_each_entry_safe(agxc_instr, ins, &(blk)->instrs, link)

/* Tile-buffer / image block formats (ld_tile, st_tile, image_write_block F
 * field) */
enum agxc_tile_format {
   AGXC_TF_I8 = 0, AGXC_TF_I16 = 1, AGXC_TF_I32 = 2, AGXC_TF_F16 = 3,
   AGXC_TF_U8NORM = 4, AGXC_TF_S8NORM = 5, AGXC_TF_U16NORM = 6,
   AGXC_TF_S16NORM = 7, AGXC_TF_SRGBA8 = 10,
};
/* device_load formats beyond i8/i16/i32 */
#define AGXC_FMT_F16     3
#define AGXC_FMT_U8NORM  4
#define AGXC_FMT_S8NORM  5
#define AGXC_FMT_U16NORM 6
#define AGXC_FMT_S16NORM 7

/* Hardware tile format of a pipe_format (render target storage in the tile
 * buffer), or -1. */
int agxc_tile_format(unsigned pipe_format);

/* --- NIR -> IR (agxc_from_nir.c) ---
 * Uniform ABI (v0, compute): SSBO i's 64-bit base address is in uniform
 * halves 4i..4i+3 (u(2i)_u(2i+1)), i < AGXC_MAX_SSBOS; push constants
 * start at half AGXC_PUSH_BASE (byte offset o -> half AGXC_PUSH_BASE + o/2).
 */
#define AGXC_MAX_SSBOS 8
#define AGXC_PUSH_BASE (4 * AGXC_MAX_SSBOS)
/* Returns NULL and sets *error on unsupported input. */
agxc_shader *agxc_from_nir(void *mem_ctx, struct nir_shader *nir, const char **error);

/* 8-bit float immediate encoding of f, or -1 if not representable. */
int agxc_minifloat(float f);

/* --- optimisation (agxc_opt.c) --- */
/* Removes instructions whose SSA result is never used. Returns progress. */
bool agxc_opt_dce(agxc_shader *s);

/* --- register allocation (agxc_ra.c) --- */
/* First two registers (r0: exec nesting counter in r0l, r1: link) are reserved. */
#define AGXC_RESERVED_HALVES 4
#define AGXC_NUM_HALVES 256
bool agxc_ra(agxc_shader *s, const char **error);
/* Expand pseudo-ops (mov, collect) after RA. */
void agxc_lower_pseudo(agxc_shader *s);

/* --- encoding (agxc_pack.c) --- */
/* Packs one allocated instruction; returns its length in bytes (2..12), or 0
 * if it cannot be encoded (sets *error). */
unsigned agxc_pack_instr(const agxc_instr *I, uint8_t out[16], const char **error);
/* Packs the whole shader plus the trap footer into *bin; if offsets is not
 * NULL, appends the byte offset (uint32_t) of every instruction to it. */
bool agxc_pack(agxc_shader *s, struct util_dynarray *bin,
               struct util_dynarray *offsets, const char **error);

/* --- disassembler (agxc_disasm.c), for debugging --- */
/* Length (bytes) and class name of the instruction at code, or 0. */
unsigned agxc_decode_length(const uint8_t *code, size_t size, const char **name);
void agxc_disassemble(FILE *fp, const void *code, size_t size);

/* --- driver entry (agxc_compile.c) --- */
const struct nir_shader_compiler_options *agxc_nir_options(void);
/* Runs the NIR lowering/optimisation passes the backend expects. */
void agxc_preprocess_nir(struct nir_shader *nir);

struct agxc_binary {
   struct util_dynarray code; /* machine code */
   struct util_dynarray offsets; /* uint32_t start of each instruction */
   unsigned num_gprs;         /* 32-bit registers (for the USC registers word) */
   unsigned num_halves;
   bool uses_discard;         /* fragment: sample_mask emitted */
   char *error;               /* NULL on success */
};
bool agxc_compile(void *mem_ctx, struct nir_shader *nir, struct agxc_binary *out,
                  FILE *debug);

#ifdef __cplusplus
}
#endif
#endif
