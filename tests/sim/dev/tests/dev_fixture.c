// SPDX-License-Identifier: MIT
/*
 * Test fixture for the device and firmware tests (see dev_fixture.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dev_fixture.h"

const struct df_combo df_combos[5] = {
	{ "G13-12.3", 13, 'G', 0x8103, 0x11, { 12, 3, 0 } },
	{ "G14G-12.4", 14, 'G', 0x8112, 0x11, { 12, 4, 0 } },
	{ "G13-13.5", 13, 'G', 0x8103, 0x11, { 13, 5, 0 } },
	{ "G14G-13.5", 14, 'G', 0x8112, 0x11, { 13, 5, 0 } },
	{ "G14X-13.5", 14, 'C', 0x6021, 0x11, { 13, 5, 0 } },
};

static void h_deliver(void *ctx, uint8_t ep, uint64_t msg)
{
	struct df_host *h = ctx;

	if (h->n_msgs < DF_MAX_MSGS) {
		h->ep[h->n_msgs] = ep;
		h->msg[h->n_msgs] = msg;
	}
	h->n_msgs++;
}

static void h_crashed(void *ctx, const char *reason)
{
	struct df_host *h = ctx;

	h->n_crashed++;
	snprintf(h->crash_reason, sizeof(h->crash_reason), "%s", reason);
}

static void h_log(void *ctx, int level, const char *line)
{
	struct df_host *h = ctx;

	h->n_logs++;
	snprintf(h->last_log, sizeof(h->last_log), "%s", line);
	if (h->print_logs || getenv("DF_LOG"))
		printf("# [%d] %s\n", level, line);
}

void df_config(struct df *f, const struct df_combo *c)
{
	memset(&f->cfg, 0, sizeof(f->cfg));
	f->cfg.gpu_gen = c->gen;
	f->cfg.gpu_variant = c->variant;
	f->cfg.chip_id = c->chip_id;
	f->cfg.gpu_rev = c->rev;
	memcpy(f->cfg.fw_abi, c->abi, sizeof(f->cfg.fw_abi));
	f->cfg.pm = &f->pm;
	f->cfg.regions[AGXSIM_REGION_TTBS] = (struct agxsim_region_desc){ DF_TTBS_PA, DF_PAGE_B };
	f->cfg.regions[AGXSIM_REGION_PAGETABLES] = (struct agxsim_region_desc){ DF_PT_PA, DF_PAGE_B };
	f->cfg.regions[AGXSIM_REGION_HANDOFF] = (struct agxsim_region_desc){ DF_HANDOFF_PA, DF_PAGE_B };
	f->cfg.regions[AGXSIM_REGION_HW_CAL_A] = (struct agxsim_region_desc){ DF_CAL_A_PA, DF_PAGE_B };
	f->cfg.regions[AGXSIM_REGION_HW_CAL_B] = (struct agxsim_region_desc){ DF_CAL_B_PA, DF_PAGE_B };
	f->cfg.regions[AGXSIM_REGION_GLOBALS] = (struct agxsim_region_desc){ DF_GLOBALS_PA, DF_GLOBALS_SIZE_B };
}

int df_init(struct df *f, const struct df_combo *c)
{
	return df_init_pt(f, c, DF_PT_PA, DF_PAGE_B);
}

int df_init_pt(struct df *f, const struct df_combo *c, uint64_t pt_pa,
	       uint64_t pt_size_B)
{
	memset(f, 0, sizeof(*f));
	agxsim_physmem_init(&f->pm);
	f->ram = aligned_alloc(DF_PAGE_B, DF_RAM_SIZE_B);
	if (!f->ram)
		return -1;
	/* Garbage everywhere, so the bootloader's clearing is visible. */
	memset(f->ram, 0xa5, DF_RAM_SIZE_B);
	memset((char *)f->ram + (DF_POOL_PA - DF_RAM_PA), 0,
	       DF_RAM_SIZE_B - (DF_POOL_PA - DF_RAM_PA));
	agxsim_physmem_add_region(&f->pm, DF_RAM_PA, DF_RAM_SIZE_B, f->ram);
	df_config(f, c);
	f->cfg.regions[AGXSIM_REGION_PAGETABLES] =
		(struct agxsim_region_desc){ pt_pa, pt_size_B };
	f->ops.ctx = &f->host;
	f->ops.deliver = h_deliver;
	f->ops.crashed = h_crashed;
	f->ops.log = h_log;
	return agxsim_device_create(&f->cfg, &f->ops, &f->boot, &f->dev);
}

void df_fini(struct df *f)
{
	agxsim_device_destroy(f->dev);
	f->dev = NULL;
	free(f->ram);
	f->ram = NULL;
}

void *df_host_ptr(struct df *f, uint64_t pa)
{
	return (char *)f->ram + (pa - DF_RAM_PA);
}

unsigned int df_run(struct df *f)
{
	unsigned int n = 0;

	while (n < 1000 && agxsim_device_run(f->dev))
		n++;
	return n;
}

unsigned int df_count_msgs(struct df *f, uint8_t ep, uint64_t msg)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < f->host.n_msgs && i < DF_MAX_MSGS; i++)
		if (f->host.ep[i] == ep && f->host.msg[i] == msg)
			n++;
	return n;
}
