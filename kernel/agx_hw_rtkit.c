// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The agx authors
 */

/**
 * DOC: Apple RTKit backend
 *
 * agx_hw_rtkit_ops drive a GPU described by the upstream device tree
 * binding (Documentation/devicetree/bindings/gpu/apple,agx.yaml):
 *
 * - compatible: the GPU generation and variant. A node's first compatible
 *   of the form "apple,agx-g1<gen><variant>" decides, so G13C/G13D nodes
 *   (which list "apple,agx-g13s" as a fallback) and G14C/G14D nodes
 *   ("apple,agx-g14s") are told apart even though the driver matches them
 *   through the fallback. The SoC number comes from the root node's
 *   "apple,t<chip>" compatible.
 * - reg "asc" and "sgx": the coprocessor's and the GPU's MMIO.
 * - memory-region with memory-region-names ttbs, pagetables, handoff,
 *   hw-cal-a, hw-cal-b and globals: the bootloader's reserved memory,
 *   mapped write-back (the coprocessor is cache coherent).
 * - apple,firmware-abi: three u32s. Only the combinations the driver
 *   knows are accepted: G13 with 12.3.0, G14G with 12.4.0, and G13, G14G
 *   or G14X (G14S/C/D) with 13.5.0. Anything else fails the probe.
 * - debug,hw-cal-a-size, debug,hw-cal-b-size, debug,globals-size: bytes
 *   of the bootloader's blobs in those regions (u32 or u64).
 * - mboxes: the coprocessor's mailbox, used by the kernel's Apple RTKit
 *   library.
 *
 * Firmware messages arrive from RTKit's ordered workqueue, so they are
 * handed to hw->deliver as they come: in order, in process context. The
 * same holds for the crash callback.
 *
 * The GPU's TLBs listen to the CPU's outer-shareable TLB maintenance
 * instructions, tagged with the GPU context slot as ASID: tlb_invalidate
 * issues them itself.
 */

#include <linux/device.h>
#include <linux/err.h>
#include <linux/io.h>
#include <linux/of.h>
#include <linux/of_reserved_mem.h>
#include <linux/platform_device.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/soc/apple/rtkit.h>
#include <linux/string.h>

#ifdef CONFIG_ARM64
#include <asm/barrier.h>
#include <asm/tlbflush.h>
#endif

#include "agx_hw.h"

/* The GPU's RTKit application endpoints. */
#define AGX_RTKIT_EP_FIRMWARE 0x20
#define AGX_RTKIT_EP_DOORBELL 0x21

/* The GPU's page size, the step of a range invalidation. */
#define AGX_RTKIT_GPU_PAGE_SIZE SZ_16K
/* Above this many pages a range is invalidated as a whole ASID. */
#define AGX_RTKIT_TLBI_MAX_PAGES 256

static const char * const agx_rtkit_region_names[AGX_HW_REGION_COUNT] = {
	[AGX_HW_REGION_TTBS] = "ttbs",
	[AGX_HW_REGION_PAGETABLES] = "pagetables",
	[AGX_HW_REGION_HANDOFF] = "handoff",
	[AGX_HW_REGION_HW_CAL_A] = "hw-cal-a",
	[AGX_HW_REGION_HW_CAL_B] = "hw-cal-b",
	[AGX_HW_REGION_GLOBALS] = "globals",
};

/* Properties with the sizes of the bootloader's blobs. */
static const char * const agx_rtkit_blob_props[AGX_HW_REGION_COUNT] = {
	[AGX_HW_REGION_HW_CAL_A] = "debug,hw-cal-a-size",
	[AGX_HW_REGION_HW_CAL_B] = "debug,hw-cal-b-size",
	[AGX_HW_REGION_GLOBALS] = "debug,globals-size",
};

/**
 * struct agx_rtkit - The RTKit backend's state, device-managed.
 */
struct agx_rtkit {
	/** @hw: The backend instance. */
	struct agx_hw *hw;
	/** @asc: The "asc" MMIO bank. */
	void __iomem *asc;
	/** @sgx: The "sgx" MMIO bank. */
	void __iomem *sgx;
	/** @rtk: The RTKit library's handle. */
	struct apple_rtkit *rtk;
};

static struct agx_rtkit *to_rtkit(struct agx_hw *hw)
{
	return hw->priv;
}

/* ------------------------------------------------------------------------
 * RTKit callbacks
 */

static void agx_rtkit_crashed(void *cookie)
{
	struct agx_hw *hw = cookie;

	hw->crashed(hw);
}

static void agx_rtkit_recv_message(void *cookie, u8 endpoint, u64 message)
{
	struct agx_hw *hw = cookie;

	hw->deliver(hw, endpoint, message);
}

/*
 * HOOK(UAT): RTKit buffers (crash log, syslog, ioreport) must live in the
 * GPU's kernel VM, mapped by the UAT in the RTKit window of the kernel
 * address space, not in a DART. The UAT code is not there yet; until it
 * provides an allocator here, a buffer request fails, and with it the
 * boot. Replace the body of both functions when it lands.
 */
static int agx_rtkit_shmem_setup(void *cookie, struct apple_rtkit_shmem *bfr)
{
	struct agx_hw *hw = cookie;

	dev_err(hw->dev, "RTKit asked for a 0x%zx byte buffer; the UAT kernel VM that holds them does not exist yet\n",
		bfr->size);
	return -EOPNOTSUPP;
}

static void agx_rtkit_shmem_destroy(void *cookie, struct apple_rtkit_shmem *bfr)
{
	/* Nothing was set up (see agx_rtkit_shmem_setup()). */
}

static const struct apple_rtkit_ops agx_rtkit_ops = {
	.crashed = agx_rtkit_crashed,
	.recv_message = agx_rtkit_recv_message,
	.shmem_setup = agx_rtkit_shmem_setup,
	.shmem_destroy = agx_rtkit_shmem_destroy,
};

/* ------------------------------------------------------------------------
 * Probe: what the device tree says
 */

/* Generation and variant from the node's first "apple,agx-g1*" compatible. */
static int agx_rtkit_parse_compatible(struct agx_hw *hw, struct device_node *np)
{
	struct property *prop;
	const char *compat;
	char var;

	of_property_for_each_string(np, "compatible", prop, compat) {
		if (strlen(compat) != strlen("apple,agx-g13g") ||
		    strncmp(compat, "apple,agx-g1", strlen("apple,agx-g1")))
			continue;
		var = compat[13];
		if ((compat[12] != '3' && compat[12] != '4') || !strchr("gscd", var))
			continue;
		hw->info.gpu_gen = compat[12] == '3' ? 13 : 14;
		hw->info.gpu_variant = var - 'a' + 'A';
		return 0;
	}
	dev_err(hw->dev, "no apple,agx-g13x/g14x compatible\n");
	return -ENODEV;
}

/* The SoC number from the root node's "apple,t<chip>" compatible. */
static int agx_rtkit_parse_chip(struct agx_hw *hw)
{
	struct device_node *root = of_find_node_by_path("/");
	struct property *prop;
	const char *compat;
	u32 chip;
	int ret = -ENODEV;

	if (!root)
		goto out;
	of_property_for_each_string(root, "compatible", prop, compat) {
		if (sscanf(compat, "apple,t%x", &chip) == 1 && chip) {
			hw->info.chip_id = chip;
			ret = 0;
			break;
		}
	}
	of_node_put(root);
out:
	if (ret)
		dev_err(hw->dev, "the root node names no apple,t<chip> SoC\n");
	return ret;
}

static bool agx_rtkit_fw_supported(const struct agx_hw_info *info)
{
	const u32 *abi = info->fw_abi;
	bool g14x = info->gpu_gen == 14 && info->gpu_variant != 'G';

	if (abi[0] == 13 && abi[1] == 5 && abi[2] == 0)
		return true;
	if (abi[0] == 12 && abi[1] == 3 && abi[2] == 0)
		return info->gpu_gen == 13;
	if (abi[0] == 12 && abi[1] == 4 && abi[2] == 0)
		return info->gpu_gen == 14 && !g14x;
	return false;
}

static int agx_rtkit_parse_fw_abi(struct agx_hw *hw, struct device_node *np)
{
	struct agx_hw_info *info = &hw->info;
	int ret;

	ret = of_property_read_u32_array(np, "apple,firmware-abi", info->fw_abi, 3);
	if (ret) {
		dev_err(hw->dev, "no valid apple,firmware-abi property: %d\n", ret);
		return -ENODEV;
	}
	if (!agx_rtkit_fw_supported(info)) {
		dev_err(hw->dev, "unsupported GPU/firmware combination: G%u%c with firmware %u.%u.%u\n",
			info->gpu_gen, info->gpu_variant, info->fw_abi[0],
			info->fw_abi[1], info->fw_abi[2]);
		return -ENODEV;
	}
	return 0;
}

static int agx_rtkit_map_region(struct agx_hw *hw, struct device_node *np,
				enum agx_hw_region_id id)
{
	const char *name = agx_rtkit_region_names[id];
	struct agx_hw_region *region = &hw->regions[id];
	struct device_node *mem_np;
	struct reserved_mem *rmem;
	int idx;

	idx = of_property_match_string(np, "memory-region-names", name);
	if (idx < 0) {
		dev_err(hw->dev, "no \"%s\" in memory-region-names\n", name);
		return -ENODEV;
	}
	mem_np = of_parse_phandle(np, "memory-region", idx);
	if (!mem_np) {
		dev_err(hw->dev, "memory-region %d (\"%s\") is missing\n", idx, name);
		return -ENODEV;
	}
	rmem = of_reserved_mem_lookup(mem_np);
	of_node_put(mem_np);
	if (!rmem || !rmem->size) {
		dev_err(hw->dev, "memory region \"%s\" is not reserved memory\n", name);
		return -ENODEV;
	}
	if (!IS_ALIGNED(rmem->base, SZ_16K)) {
		dev_err(hw->dev, "memory region \"%s\" at %pa is not 16 KiB aligned\n",
			name, &rmem->base);
		return -EINVAL;
	}

	region->va = devm_memremap(hw->dev, rmem->base, rmem->size, MEMREMAP_WB);
	if (IS_ERR(region->va)) {
		dev_err(hw->dev, "cannot map memory region \"%s\"\n", name);
		region->va = NULL;
		return -ENOMEM;
	}
	region->pa = rmem->base;
	region->size_B = rmem->size;
	return 0;
}

static int agx_rtkit_parse_blob_size(struct agx_hw *hw, struct device_node *np,
				     enum agx_hw_region_id id)
{
	const char *prop = agx_rtkit_blob_props[id];
	u64 size;
	u32 size32;

	if (of_property_read_u64(np, prop, &size)) {
		if (of_property_read_u32(np, prop, &size32)) {
			dev_err(hw->dev, "no valid %s property\n", prop);
			return -ENODEV;
		}
		size = size32;
	}
	if (!size || size > hw->regions[id].size_B) {
		dev_err(hw->dev, "%s = %#llx does not fit region \"%s\" (%#zx bytes)\n",
			prop, size, agx_rtkit_region_names[id], hw->regions[id].size_B);
		return -EINVAL;
	}
	hw->info.blob_size_B[id] = size;
	return 0;
}

static int agx_rtkit_probe(struct agx_hw *hw, struct device *dev)
{
	struct platform_device *pdev = to_platform_device(dev);
	struct device_node *np = dev->of_node;
	struct agx_rtkit *rtkit;
	unsigned int i;
	int ret;

	hw->dev = dev;
	if (!np)
		return -ENODEV;

	ret = agx_rtkit_parse_compatible(hw, np);
	if (ret)
		return ret;
	ret = agx_rtkit_parse_chip(hw);
	if (ret)
		return ret;
	ret = agx_rtkit_parse_fw_abi(hw, np);
	if (ret)
		return ret;

	rtkit = devm_kzalloc(dev, sizeof(*rtkit), GFP_KERNEL);
	if (!rtkit)
		return -ENOMEM;
	rtkit->hw = hw;

	rtkit->asc = devm_platform_ioremap_resource_byname(pdev, "asc");
	if (IS_ERR(rtkit->asc))
		return dev_err_probe(dev, PTR_ERR(rtkit->asc), "cannot map the asc registers\n");
	rtkit->sgx = devm_platform_ioremap_resource_byname(pdev, "sgx");
	if (IS_ERR(rtkit->sgx))
		return dev_err_probe(dev, PTR_ERR(rtkit->sgx), "cannot map the sgx registers\n");

	for (i = 0; i < AGX_HW_REGION_COUNT; i++) {
		ret = agx_rtkit_map_region(hw, np, i);
		if (ret)
			return ret;
		if (agx_rtkit_blob_props[i]) {
			ret = agx_rtkit_parse_blob_size(hw, np, i);
			if (ret)
				return ret;
		}
	}

	rtkit->rtk = devm_apple_rtkit_init(dev, hw, NULL, 0, &agx_rtkit_ops);
	if (IS_ERR(rtkit->rtk))
		return dev_err_probe(dev, PTR_ERR(rtkit->rtk), "cannot set up RTKit\n");

	hw->priv = rtkit;
	return 0;
}

static void agx_rtkit_remove(struct agx_hw *hw)
{
	/*
	 * Everything is device-managed. The GPU firmware is left running:
	 * it cannot be booted a second time without a reset of the SoC.
	 */
	hw->priv = NULL;
}

/* ------------------------------------------------------------------------
 * Operations
 */

static void __iomem *agx_rtkit_bank(struct agx_rtkit *rtkit, enum agx_hw_bank bank)
{
	return bank == AGX_HW_BANK_ASC ? rtkit->asc : rtkit->sgx;
}

static u32 agx_rtkit_mmio_read32(struct agx_hw *hw, enum agx_hw_bank bank, u32 offset)
{
	return readl(agx_rtkit_bank(to_rtkit(hw), bank) + offset);
}

static void agx_rtkit_mmio_write32(struct agx_hw *hw, enum agx_hw_bank bank,
				   u32 offset, u32 value)
{
	writel(value, agx_rtkit_bank(to_rtkit(hw), bank) + offset);
}

static int agx_rtkit_boot(struct agx_hw *hw)
{
	struct agx_rtkit *rtkit = to_rtkit(hw);
	int ret;

	ret = apple_rtkit_boot(rtkit->rtk);
	if (ret) {
		dev_err(hw->dev, "RTKit did not boot: %d\n", ret);
		return ret;
	}
	ret = apple_rtkit_start_ep(rtkit->rtk, AGX_RTKIT_EP_FIRMWARE);
	if (ret) {
		dev_err(hw->dev, "cannot start the firmware endpoint: %d\n", ret);
		return ret;
	}
	ret = apple_rtkit_start_ep(rtkit->rtk, AGX_RTKIT_EP_DOORBELL);
	if (ret) {
		dev_err(hw->dev, "cannot start the doorbell endpoint: %d\n", ret);
		return ret;
	}
	return 0;
}

static int agx_rtkit_send(struct agx_hw *hw, u8 endpoint, u64 message)
{
	if (endpoint != AGX_RTKIT_EP_FIRMWARE && endpoint != AGX_RTKIT_EP_DOORBELL)
		return -EINVAL;
	/* Atomic: callers may hold spinlocks. */
	return apple_rtkit_send_message(to_rtkit(hw)->rtk, endpoint, message,
					NULL, true);
}

#ifdef CONFIG_ARM64
static void agx_rtkit_tlb_invalidate(struct agx_hw *hw, enum agx_hw_tlbi kind,
				     u32 asid, u64 va, u64 size_B)
{
	u64 tag = (u64)(asid & 0xffff) << 48;
	u64 start, end, addr;

	/* Page-table writes must reach the GPU's walker first. */
	dsb(sy);
	switch (kind) {
	case AGX_HW_TLBI_ALL:
		__tlbi(vmalle1os);
		break;
	case AGX_HW_TLBI_ASID:
		__tlbi(aside1os, tag);
		break;
	case AGX_HW_TLBI_RANGE:
		start = ALIGN_DOWN(va, AGX_RTKIT_GPU_PAGE_SIZE);
		end = ALIGN(va + size_B, AGX_RTKIT_GPU_PAGE_SIZE);
		if (!size_B || end <= start)
			break;
		if ((end - start) / AGX_RTKIT_GPU_PAGE_SIZE > AGX_RTKIT_TLBI_MAX_PAGES) {
			__tlbi(aside1os, tag);
			break;
		}
		/* The operand holds VA[55:12] in its bits 43:0. */
		for (addr = start; addr < end; addr += AGX_RTKIT_GPU_PAGE_SIZE)
			__tlbi(vae1os, tag | ((addr >> 12) & GENMASK_ULL(43, 0)));
		break;
	}
	dsb(sy);
}
#else
/* Only reachable in a COMPILE_TEST build: Apple GPUs sit next to arm64 CPUs. */
static void agx_rtkit_tlb_invalidate(struct agx_hw *hw, enum agx_hw_tlbi kind,
				     u32 asid, u64 va, u64 size_B)
{
	dev_err_once(hw->dev, "GPU TLB invalidation needs an arm64 CPU\n");
}
#endif

const struct agx_hw_ops agx_hw_rtkit_ops = {
	.probe = agx_rtkit_probe,
	.remove = agx_rtkit_remove,
	.mmio_read32 = agx_rtkit_mmio_read32,
	.mmio_write32 = agx_rtkit_mmio_write32,
	.boot = agx_rtkit_boot,
	.send = agx_rtkit_send,
	.tlb_invalidate = agx_rtkit_tlb_invalidate,
};
