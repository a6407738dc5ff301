// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The agx authors
 *
 * The generated firmware structure layout tables (agxfw_layouts[]), one
 * per supported GPU/firmware combination, compiled into the module.
 */
#include "../firmware-structs/src/gen/agxfw_layout.c"
