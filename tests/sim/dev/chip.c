// SPDX-License-Identifier: MIT
/*
 * The chips the simulator can be (kernel-firmware-facts.md section 5.1).
 */
#include <stddef.h>

#include "dev_priv.h"

static const struct agxsim_chip chips[] = {
	/* chip    gen  var  g14x  core idg idv dies cl  cores oas */
	{ 0x8103, 13, 'G', false, 11, 4, 2, 1, 1, 8, 40 },  /* M1 */
	{ 0x6000, 13, 'S', false, 12, 4, 3, 1, 2, 8, 42 },  /* M1 Pro */
	{ 0x6001, 13, 'C', false, 13, 4, 4, 1, 4, 8, 42 },  /* M1 Max */
	{ 0x6002, 13, 'D', false, 13, 4, 4, 2, 8, 8, 42 },  /* M1 Ultra */
	{ 0x8112, 14, 'G', false, 15, 5, 2, 1, 1, 10, 40 }, /* M2 */
	{ 0x6020, 14, 'S', true, 16, 6, 3, 1, 2, 10, 42 },  /* M2 Pro */
	{ 0x6021, 14, 'C', true, 17, 6, 4, 1, 4, 10, 42 },  /* M2 Max */
	{ 0x6022, 14, 'D', true, 18, 6, 4, 2, 8, 10, 42 },  /* M2 Ultra */
};

const struct agxsim_chip *agxsim_chip_lookup(uint32_t chip_id)
{
	for (size_t i = 0; i < sizeof(chips) / sizeof(chips[0]); i++)
		if (chips[i].chip_id == chip_id)
			return &chips[i];
	return NULL;
}
