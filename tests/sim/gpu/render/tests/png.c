/* SPDX-License-Identifier: MIT */
/* png.c - write an RGBA8 image as PNG (debug aid for render tests/tools). */
#include <png.h>
#include <stdio.h>

#include "fixture.h"

int agxsim_png_write_rgba8(const char *path, const uint8_t *rgba, unsigned w, unsigned h,
			   unsigned stride)
{
	FILE *fp = fopen(path, "wb");
	if (!fp)
		return -1;
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	if (!png || !info || setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		fclose(fp);
		return -1;
	}
	png_init_io(png, fp);
	png_set_IHDR(png, info, w, h, 8, PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (unsigned y = 0; y < h; y++)
		png_write_row(png, (png_const_bytep)(rgba + (size_t)y * stride));
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	fclose(fp);
	return 0;
}
