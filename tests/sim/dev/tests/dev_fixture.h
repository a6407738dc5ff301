/* SPDX-License-Identifier: MIT */
/*
 * Test fixture: one simulated RAM region holding the six reserved regions
 * of the device tree binding and a pool for page tables and objects, a
 * device on top, and a host that records what the device delivers.
 */
#ifndef DEV_FIXTURE_H
#define DEV_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "agxsim/device.h"
#include "agxsim/physmem.h"

#define DF_PAGE_B      0x4000ull
#define DF_RAM_PA      0x800000000ull
#define DF_RAM_SIZE_B  (32ull << 20)
#define DF_TTBS_PA     (DF_RAM_PA + 0x00000)
#define DF_PT_PA       (DF_RAM_PA + 0x04000)
#define DF_HANDOFF_PA  (DF_RAM_PA + 0x08000)
#define DF_CAL_A_PA    (DF_RAM_PA + 0x0c000)
#define DF_CAL_B_PA    (DF_RAM_PA + 0x10000)
#define DF_GLOBALS_PA  (DF_RAM_PA + 0x14000)
#define DF_GLOBALS_SIZE_B 0x20000ull
#define DF_POOL_PA     (DF_RAM_PA + 0x40000)

/* The five supported combinations. */
struct df_combo {
	const char *name;   /* as layout-dump prints it */
	uint32_t gen, variant, chip_id, rev;
	uint32_t abi[3];
};
extern const struct df_combo df_combos[5];

#define DF_MAX_MSGS 256

struct df_host {
	uint8_t ep[DF_MAX_MSGS];
	uint64_t msg[DF_MAX_MSGS];
	unsigned int n_msgs;
	unsigned int n_crashed;
	char crash_reason[128];
	unsigned int n_logs;
	char last_log[256];
	bool print_logs;
};

struct df {
	struct agxsim_physmem pm;
	void *ram;
	struct agxsim_device_config cfg;
	struct agxsim_boot_info boot;
	struct df_host host;
	struct agxsim_host_ops ops;
	struct agxsim_device *dev;
};

/* Fill @f->cfg for @c (does not create the device). */
void df_config(struct df *f, const struct df_combo *c);
/* df_config + agxsim_device_create; returns its result. */
int df_init(struct df *f, const struct df_combo *c);
/* The same with the pagetables region at @pt_pa, @pt_size_B bytes (must
 * lie in RAM outside the other regions and the pool's first 8 MiB). */
int df_init_pt(struct df *f, const struct df_combo *c, uint64_t pt_pa,
	       uint64_t pt_size_B);
/* A free spot for a larger pagetables region. */
#define DF_BIG_PT_PA (DF_RAM_PA + (24ull << 20))
void df_fini(struct df *f);
void *df_host_ptr(struct df *f, uint64_t pa);
/* Run the device until idle (bounded); returns the number of steps. */
unsigned int df_run(struct df *f);
/* Count delivered messages equal to @msg on @ep. */
unsigned int df_count_msgs(struct df *f, uint8_t ep, uint64_t msg);

#endif /* DEV_FIXTURE_H */
