/* SPDX-License-Identifier: MIT */
/* png_stub.c - PNG output unavailable (no libpng). */
#include "fixture.h"

int agxsim_png_write_rgba8(const char *path, const uint8_t *rgba, unsigned w, unsigned h,
			   unsigned stride)
{
	(void)path; (void)rgba; (void)w; (void)h; (void)stride;
	return -1;
}
