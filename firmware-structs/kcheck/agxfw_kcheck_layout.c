// SPDX-License-Identifier: GPL-2.0-only
/* The generated layout tables, compiled with kernel flags. */
#include "../src/gen/agxfw_layout.c"
