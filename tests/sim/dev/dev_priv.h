/* SPDX-License-Identifier: MIT */
/*
 * Private state of one simulated AGX device, shared by dev/ and fw/.
 */
#ifndef AGXSIM_DEV_PRIV_H
#define AGXSIM_DEV_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "agxfw/agxfw_access.h"
#include "agxsim/device.h"
#include "agxsim/gpu_hooks.h"
#include "agxsim/handoff.h"
#include "agxsim/uat.h"

/* ASC control registers (facts 2.1; Asahi regs.rs). */
#define AGXSIM_ASC_CPU_CONTROL  0x44u
#define AGXSIM_ASC_CPU_RUN      (1u << 4)
#define AGXSIM_ASC_BANK_SIZE_B  0x4000u

/* SGX identification registers (facts 5.1). */
#define AGXSIM_SGX_ID_VERSION    0xd04000u
#define AGXSIM_SGX_ID_UNK08      0xd04008u
#define AGXSIM_SGX_ID_COUNTS_1   0xd04010u
#define AGXSIM_SGX_ID_COUNTS_2   0xd04014u
#define AGXSIM_SGX_ID_UNK18      0xd04018u
#define AGXSIM_SGX_ID_CLUSTERS   0xd0401cu
#define AGXSIM_SGX_CORE_MASK_0   0xd01500u
#define AGXSIM_SGX_CORE_MASK_1   0xd01514u
#define AGXSIM_SGX_CORE_MASKS_G14X 0xe01500u
#define AGXSIM_SGX_BANK_SIZE_B   0x1000000u

/* Application endpoints and mailbox message types (facts 2.2). */
#define AGXSIM_EP_FIRMWARE 0x20u
#define AGXSIM_EP_DOORBELL 0x21u
#define AGXSIM_MSG_TYPE(m)    ((uint32_t)((m) >> 48))
#define AGXSIM_MSG_INIT       0x81u
#define AGXSIM_MSG_RX_DOORBELL 0x42u
#define AGXSIM_MSG_TX_DOORBELL 0x83u
#define AGXSIM_MSG_FWCTL      0x84u
#define AGXSIM_MSG_HALT       0x85u
#define AGXSIM_INIT_VA_MASK   ((1ull << 44) - 1)
#define AGXSIM_DOORBELL_KICKFW  0x10u
#define AGXSIM_DOORBELL_DEVCTRL 0x11u

/* One row of the chip table (facts 5.1). */
struct agxsim_chip {
	uint32_t chip_id;
	uint32_t gen;          /* 13 or 14 */
	uint32_t variant;      /* 'G', 'S', 'C', 'D' */
	bool g14x;
	uint32_t gpu_core;     /* firmware GpuCore enum */
	uint32_t id_gen;       /* ID_VERSION bits 31:24 */
	uint32_t id_variant;   /* ID_VERSION bits 23:16 */
	uint32_t dies;
	uint32_t clusters;     /* total, all dies */
	uint32_t cores_per_cluster;
	uint32_t oas_bits;
};

const struct agxsim_chip *agxsim_chip_lookup(uint32_t chip_id);

struct agxsim_fw;

/*
 * The firmware's own memory in the kernel half (facts 4.2/4.4: the
 * region at 0xffffff8000000000 belongs to the firmware). When the
 * pagetables region is large enough the bootloader maps one firmware
 * data page there, holding AGXSIM_FW_PRIVATE_MAGIC.
 */
#define AGXSIM_FW_PRIVATE_VA    0xffffff8000000000ull
#define AGXSIM_FW_PRIVATE_MAGIC 0x4147584657444154ull   /* "TADWFXGA" */

struct agxsim_device {
	struct agxsim_device_config cfg;
	struct agxsim_host_ops host;
	const struct agxsim_chip *chip;
	enum agxfw_combo combo;
	const struct agxfw_layout *fw;
	struct agxsim_uat *uat;
	struct agxsim_handoff handoff;
	struct agxsim_gpu_hooks hooks;
	struct agxsim_fw *fwm;

	/* ASC bank: a small register file of what was written. */
	uint32_t asc_regs[AGXSIM_ASC_BANK_SIZE_B / 4];
	bool cpu_running;
	bool booted;
	bool crashed;
	bool fw_private_mapped;   /* the bootloader mapped AGXSIM_FW_PRIVATE_VA */
};

/* bootloader.c */
int agxsim_bootloader_run(struct agxsim_device *dev,
			  struct agxsim_boot_info *boot);

/* Logging through host->log; level as in the FwLog sub-rings (0..5). */
void agxsim_dev_log(struct agxsim_device *dev, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Deliver a message to the host unless crashed. */
void agxsim_dev_deliver(struct agxsim_device *dev, uint8_t ep, uint64_t msg);
/* The firmware crashes: host->crashed once, nothing delivered afterwards. */
void agxsim_dev_crash(struct agxsim_device *dev, const char *reason);

/* fw/: the firmware model. */
struct agxsim_fw *agxsim_fw_create(struct agxsim_device *dev);
void agxsim_fw_destroy(struct agxsim_fw *fw);
/* A message from the host on an application endpoint (already validated
 * for endpoint and boot state). Returns 0 or a negative errno. */
int agxsim_fw_receive(struct agxsim_fw *fw, uint8_t ep, uint64_t msg);
bool agxsim_fw_run(struct agxsim_fw *fw);
bool agxsim_fw_halted(const struct agxsim_fw *fw);
/* AGXSIM_INJECT_PAGE_FAULT / _TIMEOUT for the next GPU command. */
void agxsim_fw_inject(struct agxsim_fw *fw, enum agxsim_inject what);

#endif /* AGXSIM_DEV_PRIV_H */
