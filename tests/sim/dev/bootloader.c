// SPDX-License-Identifier: MIT
/*
 * The bootloader's part (m1n1 on a real machine, kernel-firmware-facts.md
 * sections 3.4 and 4.2): before the kernel probes, build the hw-cal-a,
 * hw-cal-b and globals blobs for the combination, prepare the ttbs and
 * pagetables regions and clear the handoff region.
 */
#include <errno.h>
#include <string.h>

#include "dev_priv.h"

/* HwDataA is opaque (power-management tables); see ASSUMPTIONS.md D3. */
#define HWDATA_A_BLOB_SIZE_B 0x4000u

/* A plausible p-state table: MHz, 24 MHz timebase (facts 5.1, 5.2). */
static const uint32_t pstate_mhz[] = { 0, 396, 528, 720, 924 };
static const uint32_t pstate_mv[] = { 400, 603, 640, 690, 784 };

/* Firmware GpuRevisionID numbering from the BCD revision (D2). */
static uint32_t rev_id(uint32_t bcd)
{
	switch (bcd) {
	case 0x00: return 1;
	case 0x01: return 2;
	case 0x10: return 3;
	case 0x11: return 4;
	case 0x20: return 5;
	case 0x21: return 6;
	}
	return 0;
}

static void fill_hwdata_b(struct agxsim_device *dev, uint8_t *b)
{
	const struct agxfw_layout *l = dev->fw;
	const struct agxsim_chip *chip = dev->chip;
	unsigned int np = sizeof(pstate_mhz) / sizeof(pstate_mhz[0]);

	agxfw_set(l, b, AGXFW_F_HwDataB__chip_id, chip->chip_id);
	agxfw_set(l, b, AGXFW_F_HwDataB__base_clock_khz, 24000);
	agxfw_set(l, b, AGXFW_F_HwDataB__power_sample_period, 8);
	agxfw_set(l, b, AGXFW_F_HwDataB__num_frags, chip->cores_per_cluster);
	agxfw_set(l, b, AGXFW_F_HwDataB__uat_ttb_base,
		  dev->cfg.regions[AGXSIM_REGION_TTBS].pa);
	agxfw_set(l, b, AGXFW_F_HwDataB__gpu_core_id, chip->gpu_core);
	agxfw_set(l, b, AGXFW_F_HwDataB__gpu_rev_id, rev_id(dev->cfg.gpu_rev));
	agxfw_set(l, b, AGXFW_F_HwDataB__num_cores,
		  chip->clusters * chip->cores_per_cluster);
	agxfw_set(l, b, AGXFW_F_HwDataB__max_pstate, np - 1);
	agxfw_set(l, b, AGXFW_F_HwDataB__num_pstates, np);  /* 12.x only */
	for (unsigned int i = 0; i < np; i++) {
		/* voltages is [16][8]: one row of 8 u32 per p-state. */
		uint8_t *row = agxfw_ptr(l, b, AGXFW_F_HwDataB__voltages);

		agxfw_set_idx(l, b, AGXFW_F_HwDataB__frequencies, i, pstate_mhz[i]);
		agxfw_set_idx(l, b, AGXFW_F_HwDataB__rel_max_powers, i,
			      i ? 100 * i / (np - 1) : 0);
		agxfw_set_idx(l, b, AGXFW_F_HwDataB__rel_boost_freqs, i,
			      i ? 100 * pstate_mhz[i] / pstate_mhz[np - 1] : 0);
		if (row) {
			for (unsigned int c = 0; c < 8; c++) {
				uint32_t v = c < chip->clusters ? pstate_mv[i] : 0;
				memcpy(row + (i * 8 + c) * 4, &v, 4);
			}
		}
	}
	agxfw_set(l, b, AGXFW_F_HwDataB__timer_offset, 0);
}

static void fill_globals(struct agxsim_device *dev, uint8_t *g)
{
	const struct agxfw_layout *l = dev->fw;

	agxfw_set(l, g, AGXFW_F_Globals__ktrace_enable, 0);
	agxfw_set(l, g, AGXFW_F_Globals__pending_submissions, 0);
	agxfw_set(l, g, AGXFW_F_Globals__max_pstate_scaled, 100);
	agxfw_set(l, g, AGXFW_F_Globals__max_pstate_scaled_2, 100);
	agxfw_set(l, g, AGXFW_F_Globals__max_pstate_scaled_3, 100);
	agxfw_set(l, g, AGXFW_F_Globals__power_zone_count, 0);
	/* The driver's defaults (facts 3.4, 5.2, 6.2). */
	agxfw_set(l, g, AGXFW_F_Globals__fault_control, 0xb);
	agxfw_set(l, g, AGXFW_F_Globals__idle_off_delay_ms, 2);
	agxfw_set(l, g, AGXFW_F_Globals__fender_idle_off_delay_ms, 40);
	agxfw_set(l, g, AGXFW_F_Globals__fw_early_wake_timeout_ms, 5);
	agxfw_set(l, g, AGXFW_F_Globals__do_init, 1);
}

/*
 * With at least four pages of pagetables region: top table (page 0),
 * an L2 (page 1) and an L3 (page 2) table mapping one firmware-only data
 * page (page 3) at AGXSIM_FW_PRIVATE_VA: AP 1 (firmware only), UXN
 * (read-write), cached, global, access flag and GPU-access bit set, as
 * the driver's PROT_FW_PRIV_RW (facts 4.1).
 */
static void map_fw_private(struct agxsim_device *dev, uint8_t *region)
{
	uint64_t base = dev->cfg.regions[AGXSIM_REGION_PAGETABLES].pa;
	uint64_t va = AGXSIM_FW_PRIVATE_VA, magic = AGXSIM_FW_PRIVATE_MAGIC;
	uint64_t l1 = (va >> AGXSIM_UAT_L1_SHIFT) & 7;
	uint64_t l2 = (va >> AGXSIM_UAT_L2_SHIFT) & 0x7ff;
	uint64_t l3 = (va >> AGXSIM_UAT_L3_SHIFT) & 0x7ff;
	uint64_t tbl = AGXSIM_PTE_TYPE_TABLE_PAGE;
	uint64_t leaf = (base + 3 * AGXSIM_UAT_PAGE_SIZE_B) | tbl |
			(uint64_t)AGXSIM_MEMATTR_CACHED << AGXSIM_PTE_ATTR_SHIFT |
			(uint64_t)AGXSIM_AP_FW << AGXSIM_PTE_AP_SHIFT |
			AGXSIM_PTE_AF | AGXSIM_PTE_UXN | AGXSIM_PTE_OS;
	uint64_t v;

	v = (base + AGXSIM_UAT_PAGE_SIZE_B) | tbl;
	memcpy(region + l1 * 8, &v, 8);
	v = (base + 2 * AGXSIM_UAT_PAGE_SIZE_B) | tbl;
	memcpy(region + AGXSIM_UAT_PAGE_SIZE_B + l2 * 8, &v, 8);
	memcpy(region + 2 * AGXSIM_UAT_PAGE_SIZE_B + l3 * 8, &leaf, 8);
	memcpy(region + 3 * AGXSIM_UAT_PAGE_SIZE_B, &magic, 8);
	dev->fw_private_mapped = true;
}

int agxsim_bootloader_run(struct agxsim_device *dev,
			  struct agxsim_boot_info *boot)
{
	const struct agxsim_device_config *cfg = &dev->cfg;
	uint64_t size[AGXSIM_REGION_COUNT] = { 0 };
	void *host[AGXSIM_REGION_COUNT];

	size[AGXSIM_REGION_HW_CAL_A] = HWDATA_A_BLOB_SIZE_B;
	size[AGXSIM_REGION_HW_CAL_B] = agxfw_sizeof(dev->fw, AGXFW_S_HwDataB);
	size[AGXSIM_REGION_GLOBALS] = agxfw_sizeof(dev->fw, AGXFW_S_Globals);
	if (cfg->regions[AGXSIM_REGION_HW_CAL_A].size_B < size[AGXSIM_REGION_HW_CAL_A])
		size[AGXSIM_REGION_HW_CAL_A] = cfg->regions[AGXSIM_REGION_HW_CAL_A].size_B;

	for (unsigned int i = 0; i < AGXSIM_REGION_COUNT; i++) {
		const struct agxsim_region_desc *r = &cfg->regions[i];

		if (r->size_B < size[i])
			return -EINVAL;
		host[i] = agxsim_physmem_host_ptr(cfg->pm, r->pa, r->size_B);
		if (!host[i])
			return -EINVAL;
		/* Every region starts zeroed: all TTB slots and top-level
		 * page-table entries invalid, handoff clear, blobs zero. */
		memset(host[i], 0, r->size_B);
	}

	if (cfg->regions[AGXSIM_REGION_PAGETABLES].size_B >= 4 * AGXSIM_UAT_PAGE_SIZE_B)
		map_fw_private(dev, host[AGXSIM_REGION_PAGETABLES]);
	fill_hwdata_b(dev, host[AGXSIM_REGION_HW_CAL_B]);
	fill_globals(dev, host[AGXSIM_REGION_GLOBALS]);

	if (boot)
		for (unsigned int i = 0; i < AGXSIM_REGION_COUNT; i++)
			boot->blob_size_B[i] = size[i];
	return 0;
}
