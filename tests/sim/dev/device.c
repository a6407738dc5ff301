// SPDX-License-Identifier: MIT
/*
 * One simulated AGX device: configuration checks, MMIO register model,
 * RTKit boot state, mailbox routing to the firmware model, TLB
 * maintenance and fault injection (see agxsim/device.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dev_priv.h"

void agxsim_dev_log(struct agxsim_device *dev, int level, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	if (!dev->host.log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	dev->host.log(dev->host.ctx, level, line);
}

void agxsim_dev_deliver(struct agxsim_device *dev, uint8_t ep, uint64_t msg)
{
	if (dev->crashed || !dev->booted)
		return;
	if (dev->host.deliver)
		dev->host.deliver(dev->host.ctx, ep, msg);
}

void agxsim_dev_crash(struct agxsim_device *dev, const char *reason)
{
	if (dev->crashed)
		return;
	dev->crashed = true;
	agxsim_dev_log(dev, 5, "firmware crashed: %s", reason);
	if (dev->host.crashed)
		dev->host.crashed(dev->host.ctx, reason);
}

/* Map the device tree's (gen, variant) to the firmware-structs generation. */
static int check_config(const struct agxsim_device_config *cfg,
			const struct agxsim_chip **chip_out,
			enum agxfw_combo *combo_out)
{
	const struct agxsim_chip *chip = agxsim_chip_lookup(cfg->chip_id);
	enum agxfw_gen gen;
	enum agxfw_combo combo;

	if (!chip || chip->gen != cfg->gpu_gen || chip->variant != cfg->gpu_variant)
		return -ENOTSUP;
	switch (cfg->gpu_rev) {
	case 0x00: case 0x01: case 0x10: case 0x11: case 0x20: case 0x21:
		break;
	default:
		return -ENOTSUP;
	}
	if (chip->gen == 13)
		gen = AGXFW_GEN_G13;
	else if (!chip->g14x)
		gen = AGXFW_GEN_G14;
	else
		gen = AGXFW_GEN_G14X;
	combo = agxfw_combo_select(gen, cfg->fw_abi[0], cfg->fw_abi[1],
				   cfg->fw_abi[2]);
	if (combo == AGXFW_COMBO_COUNT)
		return -ENOTSUP;
	*chip_out = chip;
	*combo_out = combo;
	return 0;
}

/* Minimum region sizes the bootloader role needs. */
static int check_regions(const struct agxsim_device_config *cfg)
{
	static const uint64_t min_size[AGXSIM_REGION_COUNT] = {
		[AGXSIM_REGION_TTBS] = AGXSIM_UAT_TTBAT_SIZE_B,
		[AGXSIM_REGION_PAGETABLES] = AGXSIM_UAT_PAGE_SIZE_B,
		[AGXSIM_REGION_HANDOFF] = AGXSIM_HANDOFF_SIZE_B,
		[AGXSIM_REGION_HW_CAL_A] = 1,
		[AGXSIM_REGION_HW_CAL_B] = 1,
		[AGXSIM_REGION_GLOBALS] = 1,
	};

	for (unsigned int i = 0; i < AGXSIM_REGION_COUNT; i++) {
		const struct agxsim_region_desc *r = &cfg->regions[i];

		if (r->pa & AGXSIM_UAT_PAGE_MASK || r->size_B < min_size[i])
			return -EINVAL;
		if (!agxsim_physmem_host_ptr(cfg->pm, r->pa, r->size_B))
			return -EINVAL;
	}
	return 0;
}

int agxsim_device_create(const struct agxsim_device_config *cfg,
			 const struct agxsim_host_ops *host,
			 struct agxsim_boot_info *boot,
			 struct agxsim_device **out)
{
	struct agxsim_uat_config ucfg = { 0 };
	struct agxsim_device *dev;
	const struct agxsim_chip *chip;
	enum agxfw_combo combo;
	int ret;

	if (!cfg || !out)
		return -EINVAL;
	*out = NULL;
	ret = check_config(cfg, &chip, &combo);
	if (ret)
		return ret;
	if (!cfg->pm)
		return -EINVAL;
	ret = check_regions(cfg);
	if (ret)
		return ret;

	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	dev->cfg = *cfg;
	if (host)
		dev->host = *host;
	dev->chip = chip;
	dev->combo = combo;
	dev->fw = agxfw_layout_get(combo);

	ret = agxsim_handoff_init(&dev->handoff, cfg->pm,
				  cfg->regions[AGXSIM_REGION_HANDOFF].pa);
	if (ret)
		goto fail;

	ret = agxsim_bootloader_run(dev, boot);
	if (ret)
		goto fail;

	ucfg.ttbat_pa = cfg->regions[AGXSIM_REGION_TTBS].pa;
	ucfg.oas_bits = chip->oas_bits;
	ucfg.g14x = chip->g14x;
	dev->uat = agxsim_uat_create(cfg->pm, &ucfg);
	if (!dev->uat) {
		ret = -ENOMEM;
		goto fail;
	}
	dev->fwm = agxsim_fw_create(dev);
	if (!dev->fwm) {
		ret = -ENOMEM;
		goto fail;
	}
	*out = dev;
	return 0;

fail:
	if (dev->uat)
		agxsim_uat_destroy(dev->uat);
	free(dev);
	return ret;
}

void agxsim_device_destroy(struct agxsim_device *dev)
{
	if (!dev)
		return;
	agxsim_fw_destroy(dev->fwm);
	agxsim_uat_destroy(dev->uat);
	free(dev);
}

/* ---- MMIO ---------------------------------------------------------------- */

/* All cores of all clusters present, packed num_cores bits per cluster. */
static uint32_t core_mask_word(const struct agxsim_chip *chip, unsigned int word)
{
	unsigned int bits = chip->clusters * chip->cores_per_cluster;
	unsigned int lo = word * 32;

	if (bits <= lo)
		return 0;
	if (bits - lo >= 32)
		return 0xffffffffu;
	return (1u << (bits - lo)) - 1;
}

static uint32_t sgx_read(struct agxsim_device *dev, uint32_t offset)
{
	const struct agxsim_chip *chip = dev->chip;
	uint64_t info = 0, addr = 0;

	switch (offset) {
	case AGXSIM_SGX_ID_VERSION:
		return chip->id_gen << 24 | chip->id_variant << 16 |
		       (dev->cfg.gpu_rev & 0xff) << 8;
	case AGXSIM_SGX_ID_COUNTS_1:
		if (chip->g14x)
			return chip->cores_per_cluster |
			       (chip->clusters / chip->dies) << 8 |
			       chip->dies << 16;
		return chip->cores_per_cluster;
	case AGXSIM_SGX_ID_COUNTS_2:
		return chip->clusters << 16;
	case AGXSIM_SGX_ID_CLUSTERS:
		return chip->g14x ? 0 : chip->clusters << 12;
	case AGXSIM_SGX_ID_UNK08:
	case AGXSIM_SGX_ID_UNK18:
		return 0;
	}
	if (!chip->g14x) {
		if (offset == AGXSIM_SGX_CORE_MASK_0)
			return core_mask_word(chip, 0);
		if (offset == AGXSIM_SGX_CORE_MASK_1)
			return core_mask_word(chip, 1);
		if (offset == AGXSIM_SGX_FAULT_INFO_OFFSET ||
		    offset == AGXSIM_SGX_FAULT_INFO_OFFSET + 4) {
			agxsim_uat_fault_regs(dev->uat, &info, &addr);
			return offset & 4 ? (uint32_t)(info >> 32) : (uint32_t)info;
		}
	} else {
		if (offset >= AGXSIM_SGX_CORE_MASKS_G14X &&
		    offset < AGXSIM_SGX_CORE_MASKS_G14X + 12 && !(offset & 3))
			return core_mask_word(chip,
					      (offset - AGXSIM_SGX_CORE_MASKS_G14X) / 4);
		if (offset >= AGXSIM_SGX_FAULT_INFO_G14X_OFFSET &&
		    offset < AGXSIM_SGX_FAULT_ADDR_G14X_OFFSET + 8 && !(offset & 3)) {
			uint64_t v;

			agxsim_uat_fault_regs(dev->uat, &info, &addr);
			v = offset < AGXSIM_SGX_FAULT_ADDR_G14X_OFFSET ? info : addr;
			return offset & 4 ? (uint32_t)(v >> 32) : (uint32_t)v;
		}
	}
	return 0;
}

uint32_t agxsim_device_mmio_read32(struct agxsim_device *dev,
				   enum agxsim_bank bank, uint32_t offset)
{
	if (!dev || offset & 3)
		return 0;
	if (bank == AGXSIM_BANK_ASC) {
		if (offset >= AGXSIM_ASC_BANK_SIZE_B)
			return 0;
		return dev->asc_regs[offset / 4];
	}
	if (bank == AGXSIM_BANK_SGX && offset < AGXSIM_SGX_BANK_SIZE_B)
		return sgx_read(dev, offset);
	return 0;
}

void agxsim_device_mmio_write32(struct agxsim_device *dev,
				enum agxsim_bank bank, uint32_t offset,
				uint32_t value)
{
	if (!dev || offset & 3)
		return;
	if (bank == AGXSIM_BANK_ASC && offset < AGXSIM_ASC_BANK_SIZE_B) {
		dev->asc_regs[offset / 4] = value;
		if (offset == AGXSIM_ASC_CPU_CONTROL && (value & AGXSIM_ASC_CPU_RUN) &&
		    !dev->cpu_running) {
			dev->cpu_running = true;
			agxsim_dev_log(dev, 1, "ASC CPU started");
		}
	}
	/* SGX registers the model knows are read-only; writes are dropped. */
}

/* ---- RTKit and mailbox ---------------------------------------------------- */

int agxsim_device_boot(struct agxsim_device *dev)
{
	if (!dev)
		return -EINVAL;
	if (dev->crashed)
		return -ENODEV;
	if (!dev->cpu_running)
		return -ETIMEDOUT;  /* RTKit never says hello */
	dev->booted = true;
	agxsim_dev_log(dev, 1, "RTKit booted, endpoints 0x20 and 0x21 started");
	return 0;
}

int agxsim_device_send(struct agxsim_device *dev, uint8_t endpoint,
		       uint64_t message)
{
	if (!dev)
		return -EINVAL;
	if (dev->crashed)
		return -ENODEV;
	if (!dev->booted)
		return -EINVAL;
	if (endpoint != AGXSIM_EP_FIRMWARE && endpoint != AGXSIM_EP_DOORBELL)
		return -EINVAL;
	return agxsim_fw_receive(dev->fwm, endpoint, message);
}

void agxsim_device_tlb_invalidate(struct agxsim_device *dev,
				  enum agxsim_tlbi kind, uint32_t asid,
				  uint64_t va, uint64_t size_B)
{
	if (!dev)
		return;
	switch (kind) {
	case AGXSIM_TLBI_ALL:
		agxsim_uat_tlbi_all(dev->uat);
		break;
	case AGXSIM_TLBI_ASID:
		agxsim_uat_tlbi_asid(dev->uat, (uint16_t)asid);
		break;
	case AGXSIM_TLBI_RANGE:
		agxsim_uat_tlbi_va(dev->uat, (uint16_t)asid, va, size_B);
		break;
	}
}

bool agxsim_device_run(struct agxsim_device *dev)
{
	bool did = false;

	if (!dev || dev->crashed || !dev->cpu_running)
		return false;
	/* The firmware's microPPL answers the handoff magic once running. */
	if (!agxsim_handoff_fw_handshake(&dev->handoff)) {
		/* nothing written yet */
	}
	if (!dev->booted)
		return false;
	did = agxsim_fw_run(dev->fwm);
	return did && !dev->crashed;
}

bool agxsim_device_needs_poll(struct agxsim_device *dev)
{
	return dev && dev->booted && !dev->crashed && agxsim_fw_halted(dev->fwm);
}

int agxsim_device_inject(struct agxsim_device *dev, enum agxsim_inject what)
{
	if (!dev)
		return -EINVAL;
	switch (what) {
	case AGXSIM_INJECT_NONE:
	case AGXSIM_INJECT_PAGE_FAULT:
	case AGXSIM_INJECT_TIMEOUT:
		if (dev->crashed)
			return -ENODEV;
		agxsim_fw_inject(dev->fwm, what);
		return 0;
	case AGXSIM_INJECT_FW_CRASH:
		if (dev->crashed)
			return -ENODEV;
		agxsim_dev_crash(dev, "injected firmware crash");
		return 0;
	}
	return -EINVAL;
}

/* ---- gpu_hooks.h ------------------------------------------------------- */

void agxsim_device_set_gpu_hooks(struct agxsim_device *dev,
				 const struct agxsim_gpu_hooks *hooks)
{
	if (!dev)
		return;
	if (hooks)
		dev->hooks = *hooks;
	else
		memset(&dev->hooks, 0, sizeof(dev->hooks));
}

struct agxsim_uat *agxsim_device_uat(struct agxsim_device *dev)
{
	return dev ? dev->uat : NULL;
}

const struct agxfw_layout *agxsim_device_layout(struct agxsim_device *dev)
{
	return dev ? dev->fw : NULL;
}
