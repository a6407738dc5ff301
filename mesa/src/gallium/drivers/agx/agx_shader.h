/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * The contract between the shader side of the driver (compiler, shader
 * CSOs, variants, background/end-of-tile programs, tile-buffer layout) and
 * the command side (batches, VDM/PPP/USC words, descriptors, uniform
 * upload, submission).
 *
 * Graphics uniform ABI (32-bit uniform registers uN = halves 2N, 2N+1):
 *
 *   u0  .. u31   vertex buffer i base address (64-bit, u(2i)) = the GPU
 *                address of pipe_vertex_buffer i plus its buffer_offset
 *   u32 .. u63   constant buffer i base address (64-bit, u(32+2i))
 *   u64 .. u67   blend constant colour, 4 x fp32
 *   u68          base vertex (index bias) of the draw, int32
 *   u69          base instance of the draw, uint32
 *   u70 .. u71   reserved, zero
 *   u72 ..       the push ranges of the shader (agx_push_range), in order
 *
 * The command side uploads struct agx_draw_uniforms (u0..u71) once per draw
 * and emits one USC Uniform word for it, then one per push range pointing
 * at the constant buffer's GPU address + offset.
 *
 * Texture state register i holds the descriptor of sampler view i, sampler
 * state register i the sampler state of sampler i (identity mapping).
 *
 * How the command side uses the shader infos (as compiler/tests/test_draw.c
 * does, checked pixel by pixel against the simulator's own fixture):
 *
 *  - uniform register counts in USC/VDM/PPP words are in 16-bit halves:
 *    2 * max(info.num_uniforms, 72);
 *  - VS: vertex outputs (VDM State, PPP Output Size) = info.nr_uvs_slots;
 *    Output Select: varyings, point size = info.writes_psiz; Varying
 *    Counts: nr_uvs_slots - 4 - writes_psiz 32-bit varyings;
 *  - FS CF bindings (hardware CF_BINDING words, in info.cf order):
 *      AGX_CF_FRAGCOORD_W -> source Varying, base slot 0 (1/w), Linear;
 *      AGX_CF_FRAGCOORD_Z -> source Fragcoord Z (or slot 1 with Output
 *                            Select's Frag coord Z), Linear;
 *      AGX_CF_POINT_COORD -> source Point coord;
 *      AGX_CF_VARYING     -> base slot = first_vary + vs.uvs_index[slot] - 4
 *                            + component (first_vary = 1, or 2 with Frag
 *                            coord Z), shade model flat ? Flat vertex N :
 *                            perspective ? Perspective : Linear;
 *    count components from cf_base; the VS always stores 4 components per
 *    varying slot, so count 4 is safe. A varying the VS does not write has
 *    no UVS slot (uvs_index -1): bind nothing for it (it reads garbage).
 *    CF Binding Header: 32-bit slots = 1 + varying words, coefficient
 *    registers = info.nr_cf_regs;
 *  - agx_pack.h also defines a struct agx_cf_binding (the hardware word):
 *    include this header first and rename the packed one, see agx_hw.h.
 *
 * Lifetime: agx_shader_state_delete() drops the variants' code BOs; a batch
 * still in flight that uses a variant must hold its own reference
 * (agx_bo_reference(cs->bo)).
 *
 * Textures: shaders sample 2D textures; 1D textures are sampled as 2D
 * textures of height 1 (describe them with a 2D descriptor). Arrays, cube
 * maps, 3D and shadow samplers are refused at compile time.
 *
 * Caps the shader side relies on the state tracker for (set them false/0 in
 * the screen so that st lowers in the shaders):
 *  - two_sided_color = false: st selects back colours in the FS (no key
 *    field for it here); u_init_pipe_screen_caps defaults it to true;
 *  - clip_planes = 0: st turns user clip planes into clip distances in the
 *    VS; the FS discards by them when agx_fs_key::clip_plane_enable is set
 *    from pipe_rasterizer_state::clip_plane_enable.
 *
 * GL uniforms reach the shaders as constant buffer 0 (the NIR options set
 * lower_uniforms_to_ubo). The screen must report PIPE_SHADER_CAP_INTEGERS
 * (native integers: otherwise st's lowering multiplies offsets for vec4
 * floats); PIPE_CAP_PACKED_UNIFORMS may be either.
 */
#ifndef AGX_SHADER_H
#define AGX_SHADER_H

#include <stdbool.h>
#include <stdint.h>
#include "pipe/p_defines.h"
#include "pipe/p_state.h"
#include "util/format/u_formats.h"

#define AGX_MAX_RTS          8
#define AGX_MAX_VBUFS        16
#define AGX_MAX_CBUFS        16
#define AGX_MAX_ATTRIBS      16
#define AGX_MAX_PUSH_RANGES  8
#define AGX_MAX_CF_BINDINGS  32
#define AGX_UNIFORM_PUSH_BASE 72 /* first 32-bit uniform of the push ranges */
#define AGX_MAX_POINT_SIZE   511.95f /* vertex shaders clamp gl_PointSize to [1, this] */

struct agx_draw_uniforms {
   uint64_t vbo_base[AGX_MAX_VBUFS];
   uint64_t ubo_base[AGX_MAX_CBUFS];
   float blend_constant[4];
   int32_t base_vertex;
   uint32_t base_instance;
   uint32_t reserved[2];
};
_Static_assert(sizeof(struct agx_draw_uniforms) == 72 * 4, "u0..u71");

/* A constant-buffer range copied into uniform registers by a USC Uniform
 * word. */
struct agx_push_range {
   uint8_t cbuf;       /* constant buffer index */
   uint16_t offset_B;  /* byte offset in the constant buffer, 4-aligned */
   uint16_t size_B;    /* multiple of 4 */
   uint16_t uniform;   /* first 32-bit uniform register */
};

/* Tile-buffer layout of a render pass. Shared by fragment shaders
 * (ld_tile/st_tile offsets), background/end-of-tile programs and the
 * command side (USC Shared words, PBE). */
struct agx_tilebuffer_layout {
   unsigned nr_rts;
   enum pipe_format format[AGX_MAX_RTS]; /* PIPE_FORMAT_NONE = unused */
   uint16_t offset_B[AGX_MAX_RTS];       /* per sample */
   uint16_t sample_size_B;               /* bytes per sample */
   uint8_t nr_samples;                   /* 1, 2 or 4 */
   uint8_t tile_width, tile_height;      /* pixels */
};

void agx_tilebuffer_layout_init(struct agx_tilebuffer_layout *tib,
                                const enum pipe_format *formats,
                                unsigned nr_rts, unsigned nr_samples);

/* One vertex attribute, from the vertex elements CSO. */
struct agx_attrib {
   enum pipe_format format;
   uint16_t src_offset_B;
   uint16_t stride_B;
   uint8_t buffer;
   uint8_t instance_divisor; /* 0 = per vertex */
};

/* Per-draw state a shader variant depends on. */
struct agx_vs_key {
   unsigned nr_attribs;
   struct agx_attrib attribs[AGX_MAX_ATTRIBS];
};

struct agx_fs_key {
   struct agx_tilebuffer_layout tib;
   struct pipe_rt_blend_state blend[AGX_MAX_RTS];
   bool independent_blend, logicop_enable;
   unsigned logicop_func;
   bool alpha_to_coverage;
   bool flatshade;       /* glShadeModel(GL_FLAT): COLn inputs are flat */
   bool sprite_coord;    /* point sprite coordinate replacement */
   uint8_t cbuf0_only;
   /* Added by the shader side: bit i = gl_ClipDistance[i] enabled
    * (pipe_rasterizer_state::clip_plane_enable). The fragment shader
    * discards where an enabled clip distance is negative (the vertex
    * shader stores the clip distances as varyings). */
   uint8_t clip_plane_enable;
};

/* Where a fragment shader wants its coefficient registers from. */
enum agx_cf_source {
   AGX_CF_VARYING,     /* a VS output, by slot and component */
   AGX_CF_FRAGCOORD_Z,
   AGX_CF_FRAGCOORD_W,
   AGX_CF_POINT_COORD,
};

struct agx_cf_binding {
   enum agx_cf_source source;
   uint8_t slot;          /* gl_varying_slot for AGX_CF_VARYING */
   uint8_t component;     /* first component */
   uint8_t count;         /* 1..4 */
   bool flat, perspective;
   uint8_t cf_base;       /* first coefficient register */
};

struct agx_shader_info {
   unsigned stage;            /* gl_shader_stage */
   unsigned num_gprs;         /* for USC Registers */
   unsigned num_uniforms;     /* 32-bit uniform registers read (highest+1) */
   unsigned nr_push_ranges;
   struct agx_push_range push[AGX_MAX_PUSH_RANGES];
   unsigned nr_textures, nr_samplers; /* highest index + 1 */

   /* VS: UVS layout. Position is always 32-bit slots 0-3. */
   unsigned nr_uvs_slots;          /* 32-bit varying slots written */
   int8_t uvs_index[64];           /* gl_varying_slot -> first slot, -1 */
   bool writes_psiz;

   /* FS */
   unsigned nr_cf_bindings, nr_cf_regs;
   struct agx_cf_binding cf[AGX_MAX_CF_BINDINGS];
   bool uses_discard, writes_depth, writes_stencil, reads_tib,
      early_fragment_tests;
};

struct agx_compiled_shader {
   struct agx_shader_info info;
   struct agx_bo *bo;       /* code, in the USC heap */
   uint32_t code_offset;    /* from the USC base (usc_exec_base) */
   uint32_t size_B;
   void *code;              /* CPU copy, only when compiled without a device
                             * (unit tests); NULL otherwise */
};

/* Background program: for each render target, clear to a colour (given in
 * uniforms, 4 x fp32 per RT starting at u0 - the command side uploads
 * them), load from the attachment (a texture descriptor at texture state
 * register rt), or leave undefined. End-of-tile program: for each render
 * target with store = true, image_write_block to the PBE descriptor at
 * texture state register rt. */
enum agx_bg_op { AGX_BG_DONTCARE = 0, AGX_BG_CLEAR, AGX_BG_LOAD };

struct agx_bg_eot_key {
   struct agx_tilebuffer_layout tib;
   bool eot;                           /* false: background, true: EOT */
   uint8_t op[AGX_MAX_RTS];            /* background: enum agx_bg_op */
   bool store[AGX_MAX_RTS];            /* end of tile */
};

struct agx_device;
struct nir_shader_compiler_options;

/* Shader CSOs (pipe_context::create_{vs,fs}_state / delete_*). The CSO
 * owns its variants. */
void *agx_shader_state_create(struct agx_device *dev,
                              const struct pipe_shader_state *state,
                              unsigned stage /* gl_shader_stage */);
void agx_shader_state_delete(struct agx_device *dev, void *cso);

/* The NIR options the state tracker must use (pipe_screen). */
const struct nir_shader_compiler_options *agx_nir_options(void);

/* Returns the compiled variant of a shader CSO for the key, compiling it
 * on first use. NULL on a compile error (logged). The result lives as long
 * as the CSO. */
struct agx_compiled_shader *
agx_get_vs(struct agx_device *dev, void *vs_cso, const struct agx_vs_key *key);
struct agx_compiled_shader *
agx_get_fs(struct agx_device *dev, void *fs_cso, const struct agx_fs_key *key);

/* Background / end-of-tile programs, cached per device until
 * agx_meta_cache_destroy(). */
struct agx_compiled_shader *
agx_get_bg_eot(struct agx_device *dev, const struct agx_bg_eot_key *key);
void agx_meta_cache_destroy(struct agx_device *dev);

#endif
