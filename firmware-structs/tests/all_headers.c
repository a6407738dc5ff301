// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* Every generated header in one translation unit, built strict. */
#include "agxfw/agxfw_access.h"
#include "agxfw/gen/agxfw_g13_v12_3.h"
#include "agxfw/gen/agxfw_g14_v12_4.h"
#include "agxfw/gen/agxfw_g13_v13_5.h"
#include "agxfw/gen/agxfw_g14_v13_5.h"
#include "agxfw/gen/agxfw_g14x_v13_5.h"

int main(void)
{
	const struct agxfw_layout *l = agxfw_layout_get(AGXFW_G13_V13_5);

	return l->struct_size[AGXFW_S_InitData] ==
	       sizeof(struct agxfw_g13_v13_5_init_data) ? 0 : 1;
}
