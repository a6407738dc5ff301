/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 */

/*
 * The agx pipe_screen: describes the device, answers the capability queries
 * and owns the device layer (agx_device.c: VM, heaps, BOs), which it opens
 * on first use.
 */

#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#include "util/log.h"
#include "util/u_debug.h"
#include "util/u_memory.h"
#include "util/u_screen.h"
#include "util/format/u_format.h"

#include "agx_context.h"
#include "agx_public.h"
#include "agx_resource.h"
#include "agx_screen.h"
#include "agx_shader.h"

static const struct debug_named_value agx_debug_options[] = {
   {"info", AGX_DBG_INFO, "Print the device description at screen creation"},
   DEBUG_NAMED_VALUE_END,
};

DEBUG_GET_ONCE_FLAGS_OPTION(agx_debug, "AGX_MESA_DEBUG", agx_debug_options, 0)

static const char *
agx_get_name(struct pipe_screen *pscreen)
{
   return agx_screen(pscreen)->name;
}

static const char *
agx_get_vendor(struct pipe_screen *pscreen)
{
   return "Mesa";
}

static const char *
agx_get_device_vendor(struct pipe_screen *pscreen)
{
   return "Apple";
}

static int
agx_get_screen_fd(struct pipe_screen *pscreen)
{
   return agx_screen(pscreen)->fd;
}

static void
agx_destroy_screen(struct pipe_screen *pscreen)
{
   struct agx_screen *screen = agx_screen(pscreen);

   if (screen->dev_ok) {
      /* Background/end-of-tile programs live per device (agx_meta.c). */
      agx_meta_cache_destroy(&screen->dev);
      agx_device_close(&screen->dev);
   }
   simple_mtx_destroy(&screen->dev_lock);
   close(screen->fd);
   FREE(screen);
}

/*
 * Limits in the range of a GLES 2.0 part, for the vertex and fragment
 * stages only: what the draw path implements (agx_draw.c), not what the
 * hardware can do.
 */
static int
agx_get_shader_param(struct pipe_screen *pscreen, enum pipe_shader_type shader,
                     enum pipe_shader_cap param)
{
   if (shader != PIPE_SHADER_VERTEX && shader != PIPE_SHADER_FRAGMENT)
      return 0;

   switch (param) {
   case PIPE_SHADER_CAP_MAX_INSTRUCTIONS:
   case PIPE_SHADER_CAP_MAX_ALU_INSTRUCTIONS:
   case PIPE_SHADER_CAP_MAX_TEX_INSTRUCTIONS:
   case PIPE_SHADER_CAP_MAX_TEX_INDIRECTIONS:
      return 16384;
   case PIPE_SHADER_CAP_MAX_CONTROL_FLOW_DEPTH:
      return 1024;
   case PIPE_SHADER_CAP_MAX_INPUTS:
      return 16;
   case PIPE_SHADER_CAP_MAX_OUTPUTS:
      return shader == PIPE_SHADER_FRAGMENT ? 8 : 16;
   case PIPE_SHADER_CAP_MAX_TEMPS:
      return 256;
   case PIPE_SHADER_CAP_MAX_CONST_BUFFER0_SIZE:
      return 16 * 1024;
   case PIPE_SHADER_CAP_MAX_CONST_BUFFERS:
      return 1;
   case PIPE_SHADER_CAP_MAX_TEXTURE_SAMPLERS:
   case PIPE_SHADER_CAP_MAX_SAMPLER_VIEWS:
      return shader == PIPE_SHADER_FRAGMENT ? 16 : 0;
   case PIPE_SHADER_CAP_INDIRECT_TEMP_ADDR:
   case PIPE_SHADER_CAP_INDIRECT_CONST_ADDR:
   case PIPE_SHADER_CAP_INTEGERS:
      return 1;
   case PIPE_SHADER_CAP_SUPPORTED_IRS:
      return BITFIELD_BIT(PIPE_SHADER_IR_NIR);
   default:
      return 0;
   }
}

static int
agx_get_compute_param(struct pipe_screen *pscreen, enum pipe_shader_ir ir,
                      enum pipe_compute_cap param, void *ret)
{
   /* No compute yet. */
   return 0;
}

/*
 * What the draw path handles: 8-bit colour formats the PBE, the texture
 * unit and the tile-buffer programs support (agx_state.c's table), and
 * depth/stencil formats the ZLS can hold. No MSAA, no depth textures.
 */
static bool
agx_is_format_supported(struct pipe_screen *pscreen, enum pipe_format format,
                        enum pipe_texture_target target, unsigned sample_count,
                        unsigned storage_sample_count, unsigned usage)
{
   const unsigned rt_usage = PIPE_BIND_RENDER_TARGET | PIPE_BIND_DISPLAY_TARGET |
                             PIPE_BIND_SCANOUT | PIPE_BIND_SHARED;

   if (sample_count > 1 || storage_sample_count > 1)
      return false;

   /* Vertex formats the vertex fetch is asked for: 32-bit floats. u_vbuf
    * converts the rest.
    */
   if (target == PIPE_BUFFER) {
      return (usage & ~PIPE_BIND_VERTEX_BUFFER) == 0 &&
             (format == PIPE_FORMAT_R32_FLOAT ||
              format == PIPE_FORMAT_R32G32_FLOAT ||
              format == PIPE_FORMAT_R32G32B32_FLOAT ||
              format == PIPE_FORMAT_R32G32B32A32_FLOAT);
   }

   /* Depth/stencil: the ZLS stores Z16 or Z32F depth and S8 stencil;
    * Z24S8 is kept as Z32F + S8 (agx_resource.h). Depth textures sample
    * the depth plane (no shadow compare).
    */
   if (format == PIPE_FORMAT_Z16_UNORM || format == PIPE_FORMAT_Z32_FLOAT ||
       format == PIPE_FORMAT_Z24_UNORM_S8_UINT ||
       format == PIPE_FORMAT_Z32_FLOAT_S8X24_UINT)
      return (usage & ~(PIPE_BIND_DEPTH_STENCIL | PIPE_BIND_SAMPLER_VIEW)) == 0;

   if ((usage & rt_usage) && !agx_format_renderable(format))
      return false;
   if ((usage & PIPE_BIND_SAMPLER_VIEW) && !agx_format_texturable(format))
      return false;
   return (usage & ~(rt_usage | PIPE_BIND_SAMPLER_VIEW)) == 0;
}

static const void *
agx_get_compiler_options(struct pipe_screen *pscreen, enum pipe_shader_ir ir,
                         enum pipe_shader_type shader)
{
   return agx_nir_options();
}

struct agx_device *
agx_screen_device(struct agx_screen *screen)
{
   simple_mtx_lock(&screen->dev_lock);
   if (!screen->dev_tried) {
      screen->dev_tried = true;
      screen->dev_ok = agx_device_open(&screen->dev, screen->fd);
   }
   simple_mtx_unlock(&screen->dev_lock);
   return screen->dev_ok ? &screen->dev : NULL;
}

static void
agx_init_screen_caps(struct agx_screen *screen)
{
   struct pipe_caps *caps = (struct pipe_caps *)&screen->base.caps;

   u_init_pipe_screen_caps(&screen->base, 1);

   caps->uma = true;
   /* pipe->clear honours the scissor (a CPU fallback when scissored), so
    * scissored clears need no draw.
    */
   caps->clear_scissored = true;
   /* No quads or polygons in hardware: u_vbuf converts them. */
   caps->supported_prim_modes =
      BITFIELD_MASK(MESA_PRIM_COUNT) &
      ~(BITFIELD_BIT(MESA_PRIM_QUADS) | BITFIELD_BIT(MESA_PRIM_QUAD_STRIP) |
        BITFIELD_BIT(MESA_PRIM_POLYGON) |
        BITFIELD_BIT(MESA_PRIM_LINES_ADJACENCY) |
        BITFIELD_BIT(MESA_PRIM_LINE_STRIP_ADJACENCY) |
        BITFIELD_BIT(MESA_PRIM_TRIANGLES_ADJACENCY) |
        BITFIELD_BIT(MESA_PRIM_TRIANGLE_STRIP_ADJACENCY) |
        BITFIELD_BIT(MESA_PRIM_PATCHES));
   caps->supported_prim_modes_with_restart = caps->supported_prim_modes;
   caps->primitive_restart = true;
   caps->primitive_restart_fixed_index = true;
   caps->vs_instanceid = true;
   caps->vertex_element_instance_divisor = true;
   caps->constant_buffer_offset_alignment = 16;
   caps->min_map_buffer_alignment = 64;
   caps->npot_textures = true;
   caps->blend_equation_separate = true;
   caps->max_render_targets = 1;
   caps->max_texture_2d_size = 16384;
   caps->max_texture_cube_levels = 15;
   /* GL 1.2 needs 3D textures: they can be created and mapped, but texture
    * descriptors describe level 0 of a 2D image only, so sampling them is
    * wrong (not implemented).
    */
   caps->max_texture_3d_levels = 12;
   caps->max_texture_array_layers = 1;
   /* Fragment coordinates: upper-left origin, pixel centres at .5 (the
    * state tracker flips and shifts gl_FragCoord for GL's convention).
    */
   caps->fs_coord_origin_upper_left = true;
   caps->fs_coord_pixel_center_half_integer = true;
   caps->max_viewports = 1;
   caps->max_vertex_element_src_offset = 2047;
   caps->max_vertex_buffers = 16;
   caps->glsl_feature_level = caps->glsl_feature_level_compatibility = 120;
   caps->max_point_size = caps->max_point_size_aa = 511.95f;
   caps->max_line_width = caps->max_line_width_aa = 16.0f;
}

static void
agx_describe(const struct agx_screen *screen)
{
   const struct drm_asahi_params_global *p = &screen->params;

   mesa_logi("agx: %s, chip T%04x rev %02x, %u die(s), %u cluster(s) of %u "
             "core slot(s), %u kHz, VA 0x%" PRIx64 "-0x%" PRIx64,
             screen->name, p->chip_id, p->gpu_revision, p->num_dies,
             p->num_clusters_total, p->num_cores_per_cluster,
             p->max_frequency_khz, (uint64_t)p->vm_start, (uint64_t)p->vm_end);
}

struct pipe_screen *
agx_screen_create(int fd, const struct drm_asahi_params_global *params,
                  const struct pipe_screen_config *config)
{
   struct agx_screen *screen = CALLOC_STRUCT(agx_screen);
   if (!screen)
      return NULL;

   screen->fd = fd;
   screen->params = *params;
   screen->debug = debug_get_option_agx_debug();
   snprintf(screen->name, sizeof(screen->name), "AGX G%u%c",
            params->gpu_generation, (char)params->gpu_variant);

   struct pipe_screen *pscreen = &screen->base;
   pscreen->destroy = agx_destroy_screen;
   pscreen->get_name = agx_get_name;
   pscreen->get_vendor = agx_get_vendor;
   pscreen->get_device_vendor = agx_get_device_vendor;
   pscreen->get_screen_fd = agx_get_screen_fd;
   pscreen->get_shader_param = agx_get_shader_param;
   pscreen->get_compute_param = agx_get_compute_param;
   pscreen->is_format_supported = agx_is_format_supported;
   pscreen->get_compiler_options = agx_get_compiler_options;
   pscreen->context_create = agx_context_create;
   agx_init_screen_resource_functions(pscreen);
   agx_init_screen_fence_functions(pscreen);
   simple_mtx_init(&screen->dev_lock, mtx_plain);

   agx_init_screen_caps(screen);

   if (screen->debug & AGX_DBG_INFO)
      agx_describe(screen);

   return pscreen;
}
