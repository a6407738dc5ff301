// SPDX-License-Identifier: GPL-2.0-only
/*
 * agxfw_kcheck: a module that only exists to prove the generated firmware
 * headers compile with the kernel's flags (W=1, -Werror).  Loading it
 * prints one size per combination; it registers nothing.
 */
#include <linux/module.h>
#include <linux/printk.h>

#include "agxfw/agxfw_access.h"
#include "agxfw/gen/agxfw_g13_v12_3.h"
#include "agxfw/gen/agxfw_g14_v12_4.h"
#include "agxfw/gen/agxfw_g13_v13_5.h"
#include "agxfw/gen/agxfw_g14_v13_5.h"
#include "agxfw/gen/agxfw_g14x_v13_5.h"

static_assert(sizeof(struct agxfw_g14_v13_5_run_work_queue_msg) == 0x40);
static_assert(sizeof(struct agxfw_g13_v12_3_channel_state) == 0x30);

static int __init agxfw_kcheck_init(void)
{
	unsigned int c;

	for (c = 0; c < AGXFW_COMBO_COUNT; c++) {
		const struct agxfw_layout *l = agxfw_layout_get(c);

		pr_info("agxfw: %s InitData %u bytes, RunWorkQueueMsg %u bytes\n",
			l->name, agxfw_sizeof(l, AGXFW_S_InitData),
			agxfw_sizeof(l, AGXFW_S_RunWorkQueueMsg));
	}
	return 0;
}

static void __exit agxfw_kcheck_exit(void)
{
}

module_init(agxfw_kcheck_init);
module_exit(agxfw_kcheck_exit);
MODULE_DESCRIPTION("Compile check for the AGX firmware structure headers");
MODULE_LICENSE("GPL");
