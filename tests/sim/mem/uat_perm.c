// SPDX-License-Identifier: MIT
/*
 * Leaf descriptor permissions for the GPU and the firmware.
 *
 * The UAT reuses the ARM AP/UXN/PXN bits with its own meaning. The tables
 * below are indexed [AP][(UXN << 1) | PXN]:
 *
 *  - GPU view with the OS bit (55) set: from the Asahi driver's named
 *    protections (pgtable.rs, facts section 4.1): AP 0 "firmware + GPU"
 *    (none/RO/WO/RW), AP 1 "firmware only" (only UXN+PXN gives the GPU
 *    read), AP 2 "GPU only" (RO/WO/RW/none). AP 3 is never written by the
 *    driver and is assumed no access.
 *  - Firmware view: pgtable.rs's crash-dump permission tables, one for
 *    descriptors with the OS bit set (what the kernel writes) and one for
 *    descriptors without it (the firmware's own mappings).
 *  - GPU view with the OS bit clear: undocumented; assumed no access.
 */
#include "agxsim/uat.h"

#define R AGXSIM_PERM_R
#define W AGXSIM_PERM_W
#define RW AGXSIM_PERM_RW

static const uint8_t gpu_perms_os[4][4] = {
	{ 0, R, W, RW },   /* AP 0: FW+GPU: none, RO (PXN), WO (UXN), RW */
	{ 0, 0, 0, R },    /* AP 1: FW only; UXN+PXN = FW RW, GPU RO */
	{ R, W, RW, 0 },   /* AP 2: GPU only: RO, WO (PXN), RW (UXN), none */
	{ 0, 0, 0, 0 },    /* AP 3: unused by the driver (assumed) */
};

static const uint8_t fw_perms_os[4][4] = {
	{ 0, R, W, RW },
	{ R, 0, RW, RW },
	{ 0, 0, 0, 0 },
	{ 0, 0, 0, 0 },
};

static const uint8_t fw_perms_fw_owned[4][4] = {
	{ 0, 0, 0, RW },
	{ 0, RW, 0, RW },
	{ R, R, 0, R },
	{ R, RW, 0, R },
};

unsigned int agxsim_uat_pte_perms(uint64_t pte, enum agxsim_uat_agent agent)
{
	unsigned int ap = (pte >> AGXSIM_PTE_AP_SHIFT) & 3;
	unsigned int xn = ((pte & AGXSIM_PTE_UXN) ? 2 : 0) |
			  ((pte & AGXSIM_PTE_PXN) ? 1 : 0);
	bool os = pte & AGXSIM_PTE_OS;

	if (agent == AGXSIM_AGENT_FW)
		return os ? fw_perms_os[ap][xn] : fw_perms_fw_owned[ap][xn];
	return os ? gpu_perms_os[ap][xn] : 0;
}
