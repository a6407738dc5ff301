/*
 * Copyright 2026 The agx authors
 * SPDX-License-Identifier: MIT
 */

#ifndef AGX_HW_H
#define AGX_HW_H

/*
 * agx_pack.h (generated from mesa/genxml) for the driver's C files.
 *
 * agx_shader.h (the shader/command contract) and agx_pack.h both name a
 * struct agx_cf_binding: the shader's request for coefficient registers and
 * the hardware's CF binding word. Files that need both see the contract's
 * struct as agx_shader_cf_binding and the hardware's as agx_hw_cf_binding.
 */

#include "agx_shader.h"

typedef struct agx_cf_binding agx_shader_cf_binding;
#define agx_cf_binding agx_hw_cf_binding
#include "agx_pack.h"

#endif
