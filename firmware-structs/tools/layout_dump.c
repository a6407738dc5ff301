// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * layout-dump: print "<combo> <Name> <size in bytes>" for every firmware
 * structure in every supported combination.  Sizes come from the layout
 * tables, which are built from sizeof() of the generated C types.
 *
 * Usage: layout-dump [COMBO]   (e.g. "layout-dump G14X-13.5")
 */
#include <stdio.h>
#include <string.h>

#include "agxfw/agxfw_access.h"

int main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : NULL;
	int printed = 0;

	for (unsigned int c = 0; c < AGXFW_COMBO_COUNT; c++) {
		const struct agxfw_layout *l = agxfw_layout_get(c);

		if (only && strcmp(only, l->name))
			continue;
		for (unsigned int s = 0; s < AGXFW_S_COUNT; s++) {
			if (!l->struct_size[s])
				continue;
			printf("%s %s %u\n", l->name, l->struct_name[s],
			       (unsigned int)l->struct_size[s]);
			printed++;
		}
	}
	if (!printed) {
		fprintf(stderr, "layout-dump: unknown combination '%s'\n",
			only ? only : "");
		return 1;
	}
	return 0;
}
