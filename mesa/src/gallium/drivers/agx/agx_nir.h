/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 *
 * The driver's NIR lowering passes: the step from Gallium's NIR (lowered
 * I/O) to the intrinsics the agxc backend understands:
 *
 *   VS inputs    load_input        -> load_agx from the vertex buffers
 *                                     (agx_nir_lower_vbo)
 *   VS outputs   store_output      -> store_uvs_agx (agx_nir_lower_uvs)
 *   FS inputs    load_*input       -> load_(interpolated_)input whose BASE
 *                                     is the coefficient register
 *                                     (agx_nir_lower_fs_inputs)
 *   FS outputs   store_output      -> store_local_pixel_agx / store_zs_agx
 *                                     (agx_nir_lower_fs_outputs)
 *   UBOs         load_ubo          -> load_preamble (push ranges) or
 *                                     load_agx (agx_nir_lower_ubo)
 *
 * load_preamble's BASE is a uniform register half index (uN = halves 2N and
 * 2N+1); the uniform layout is the graphics ABI of agx_shader.h.
 */
#ifndef AGX_NIR_H
#define AGX_NIR_H

#include <stdbool.h>
#include "agx_shader.h"

struct nir_shader;
struct nir_builder;
struct nir_def;

/* Uniform half index of u<n>. */
#define AGX_UNIFORM_HALF(n) (2 * (n))
/* 64-bit base address of vertex buffer i / constant buffer i. */
#define AGX_VBO_BASE_HALF(i) AGX_UNIFORM_HALF(2 * (i))
#define AGX_UBO_BASE_HALF(i) AGX_UNIFORM_HALF(32 + 2 * (i))

/* Lowers the shader's I/O variables to intrinsics (if Gallium did not) so
 * the other passes see load_input/store_output with IO semantics. */
void agx_nir_lower_io(struct nir_shader *nir);

bool agx_nir_lower_vbo(struct nir_shader *nir, const struct agx_vs_key *key,
                       const char **error);
bool agx_nir_lower_uvs(struct nir_shader *nir, struct agx_shader_info *info,
                       const char **error);
bool agx_nir_lower_fs_inputs(struct nir_shader *nir, const struct agx_fs_key *key,
                             struct agx_shader_info *info, const char **error);
bool agx_nir_lower_fs_outputs(struct nir_shader *nir,
                              const struct agx_tilebuffer_layout *tib,
                              struct agx_shader_info *info, const char **error);
bool agx_nir_lower_ubo(struct nir_shader *nir, struct agx_shader_info *info,
                       const char **error);

/* Applies the blend state of the key (nir_lower_blend); run before
 * agx_nir_lower_fs_outputs. */
bool agx_nir_lower_blend(struct nir_shader *nir, const struct agx_fs_key *key);

/* agx_shader.c / agx_meta.c internals, also used by the unit tests. A NULL
 * device compiles without uploading (agx_compiled_shader::code). */
struct agx_compiled_shader *agx_compile_vs(struct agx_device *dev,
                                           const struct nir_shader *nir,
                                           const struct agx_vs_key *key);
struct agx_compiled_shader *agx_compile_fs(struct agx_device *dev,
                                           const struct nir_shader *nir,
                                           const struct agx_fs_key *key);
struct agx_compiled_shader *agx_compile_and_upload(struct agx_device *dev,
                                                   struct nir_shader *nir,
                                                   const struct agx_shader_info *info,
                                                   const char *what);
void agx_compiled_shader_destroy(struct agx_compiled_shader *cs);
struct nir_shader *agx_build_bg_eot(const struct agx_bg_eot_key *key, const char **error);
void agx_tilebuffer_copy(struct agx_tilebuffer_layout *d,
                         const struct agx_tilebuffer_layout *s);
bool agx_debug_shaders(void);

#endif
