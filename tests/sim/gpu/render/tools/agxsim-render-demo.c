/* SPDX-License-Identifier: MIT */
/*
 * agxsim-render-demo - render a small scene through the render path and
 * write the render target as PNG: a clear, a perspective-interpolated
 * triangle and a flat one crossing it with a depth test.
 *
 *   agxsim-render-demo out.png [--trace] [--samples N] [--tiled]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

int main(int argc, char **argv)
{
	const char *out = NULL;
	bool trace = false, tiled = false;
	unsigned samples = 1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--trace"))
			trace = true;
		else if (!strcmp(argv[i], "--tiled"))
			tiled = true;
		else if (!strcmp(argv[i], "--samples") && i + 1 < argc)
			samples = (unsigned)atoi(argv[++i]);
		else if (argv[i][0] == '-' || out) {
			out = NULL; /* an unknown option or a second file name */
			break;
		} else
			out = argv[i];
	}
	if (!out || (samples != 1 && samples != 2 && samples != 4)) {
		fprintf(stderr, "usage: %s out.png [--trace] [--samples 1|2|4] [--tiled]\n", argv[0]);
		return 2;
	}
	struct fx f;
	fx_init(&f);
	if (trace)
		f.env.trace = stderr;
	static const float v[6][8] = {
		/* x y z w r g b a (clip space) */
		{ -0.8f, 0.8f, 0.2f, 1, 1, 0, 0, 1 },
		{ 1.6f, 1.2f, 0.4f, 2, 0, 1, 0, 1 },
		{ -1.2f, -3.2f, 1.2f, 4, 0, 0, 1, 1 },
		{ -0.9f, -0.9f, 0.5f, 1, 1, 1, 0, 1 },
		{ 0.9f, -0.9f, 0.5f, 1, 1, 1, 0, 1 },
		{ 0.0f, 0.9f, 0.5f, 1, 1, 1, 0, 1 },
	};
	struct fx_scene sc;
	memset(&sc, 0, sizeof(sc));
	sc.width = 160;
	sc.height = 120;
	sc.tw = 32;
	sc.th = samples == 4 ? 16 : 32;
	sc.samples = samples;
	const float clear[4] = { 0.1f, 0.1f, 0.2f, 1 };
	memcpy(sc.clear, clear, sizeof(clear));
	sc.verts = &v[0][0];
	sc.nverts = 6;
	sc.prim = AGX_PRIMITIVE_TRIANGLES;
	sc.shade = AGX_SHADE_MODEL_PERSPECTIVE;
	sc.depth = true;
	sc.zfunc = AGX_ZS_FUNC_LESS;
	sc.zclear = 1.0f;
	sc.tiled_image = tiled;
	struct agxsim_render_result res;
	int r = fx_run_scene(&f, &sc, &res);
	if (r) {
		fprintf(stderr, "render failed: %d %s\n", r, res.msg);
		fx_fini(&f);
		return 1;
	}
	uint8_t *rgba = malloc((size_t)sc.width * sc.height * 4);
	for (unsigned y = 0; y < sc.height; y++)
		for (unsigned x = 0; x < sc.width; x++) {
			uint32_t p = fx_pixel(&f, &sc, x, y);
			memcpy(rgba + 4 * ((size_t)y * sc.width + x), &p, 4);
		}
	r = agxsim_png_write_rgba8(out, rgba, sc.width, sc.height, sc.width * 4);
	printf("%s: %ux%u, %u draws, %u primitives binned, %u tiles, %u fragment groups\n",
	       r ? "PNG write failed" : out, sc.width, sc.height, res.draws, res.primitives_binned,
	       res.tiles, res.fragment_groups);
	free(rgba);
	fx_fini(&f);
	return r ? 1 : 0;
}
