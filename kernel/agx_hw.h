/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The agx authors
 */
#ifndef AGX_HW_H
#define AGX_HW_H

/**
 * DOC: The hardware boundary
 *
 * Everything in agx.ko above this header is the same code on an Apple
 * machine and in the test VM. Only a backend behind &struct agx_hw_ops
 * touches the hardware, and the backend does only these things:
 *
 * - MMIO: 32-bit reads and writes of the "asc" bank (to start the ASC
 *   coprocessor) and of the "sgx" bank (GPU ID and core-mask registers,
 *   MMU fault registers).
 * - RTKit: booting the coprocessor's RTKit firmware, then sending 64-bit
 *   messages to the GPU's application endpoints (0x20 firmware, 0x21
 *   doorbell) and delivering the firmware's messages back through
 *   agx_hw_deliver().
 * - Reserved memory: the six regions of the device tree binding (ttbs,
 *   pagetables, handoff, hw-cal-a, hw-cal-b, globals), as physical ranges
 *   with a kernel mapping.
 * - The IRQ path: firmware messages and a firmware crash arrive through
 *   agx_hw_deliver() and agx_hw_crashed(), in process context.
 * - GPU TLB maintenance: on Apple hardware the CPU's outer-shareable tlbi
 *   instructions, tagged with the context slot as ASID, reach the GPU's
 *   TLBs. The simulator cannot see CPU instructions, so this is a backend
 *   operation too.
 *
 * There are two backends. agx_hw_rtkit.c uses the kernel's Apple RTKit
 * library and the upstream device tree binding; agx_hw_sim.c connects to
 * the functional simulator (tests/sim). Everything the device tree tells the
 * real driver (the GPU generation and variant, the firmware ABI) comes from
 * the backend's &struct agx_hw_info.
 *
 * Memory the firmware and GPU reach is ordinary kernel memory (GEM pages,
 * page-table pages, firmware objects), addressed through the UAT page
 * tables: the backend does not copy or translate it. The simulator backend
 * gives the simulator access to physical memory by its own means.
 */

#include <linux/types.h>

struct device;
struct agx_hw;

/** enum agx_hw_bank - MMIO register banks of the binding's "reg" entries. */
enum agx_hw_bank {
	/** @AGX_HW_BANK_ASC: The ASC coprocessor's control registers. */
	AGX_HW_BANK_ASC,
	/** @AGX_HW_BANK_SGX: The GPU's registers. */
	AGX_HW_BANK_SGX,
};

/** enum agx_hw_region_id - Reserved memory regions of the binding. */
enum agx_hw_region_id {
	/** @AGX_HW_REGION_TTBS: The TTB array: 64 slots of {ttb0, ttb1}. */
	AGX_HW_REGION_TTBS,
	/**
	 * @AGX_HW_REGION_PAGETABLES: The kernel half's page tables, shared
	 * with the firmware, set up by the bootloader.
	 */
	AGX_HW_REGION_PAGETABLES,
	/** @AGX_HW_REGION_HANDOFF: The kernel/firmware handoff structure. */
	AGX_HW_REGION_HANDOFF,
	/** @AGX_HW_REGION_HW_CAL_A: The bootloader's HwDataA blob. */
	AGX_HW_REGION_HW_CAL_A,
	/** @AGX_HW_REGION_HW_CAL_B: The bootloader's HwDataB blob. */
	AGX_HW_REGION_HW_CAL_B,
	/** @AGX_HW_REGION_GLOBALS: The bootloader's Globals blob. */
	AGX_HW_REGION_GLOBALS,
	/** @AGX_HW_REGION_COUNT: Number of regions. */
	AGX_HW_REGION_COUNT,
};

/** struct agx_hw_region - One reserved memory region. */
struct agx_hw_region {
	/** @pa: Physical address, 16 KiB aligned. */
	phys_addr_t pa;
	/** @size_B: Size in bytes. */
	size_t size_B;
	/** @va: Kernel mapping of the whole region. */
	void *va;
};

/**
 * struct agx_hw_info - What the device tree (or the simulator) says about
 * the GPU, before any register is read.
 */
struct agx_hw_info {
	/** @gpu_gen: 13 or 14, from the compatible string. */
	u32 gpu_gen;
	/** @gpu_variant: 'G', 'S', 'C' or 'D', from the compatible string. */
	u32 gpu_variant;
	/** @chip_id: SoC, e.g. 0x8103, for the per-chip configuration. */
	u32 chip_id;
	/** @fw_abi: The apple,firmware-abi property: major, minor, patch. */
	u32 fw_abi[3];
	/**
	 * @blob_size_B: Bytes of valid data in the hw-cal-a, hw-cal-b and
	 * globals regions (the debug,*-size properties), indexed by
	 * &enum agx_hw_region_id; zero for the other regions.
	 */
	size_t blob_size_B[AGX_HW_REGION_COUNT];
};

/**
 * enum agx_hw_tlbi - Kinds of GPU TLB invalidation.
 */
enum agx_hw_tlbi {
	/** @AGX_HW_TLBI_ALL: Every entry of every context. */
	AGX_HW_TLBI_ALL,
	/** @AGX_HW_TLBI_ASID: Every entry tagged with one ASID. */
	AGX_HW_TLBI_ASID,
	/** @AGX_HW_TLBI_RANGE: The pages of a VA range under one ASID. */
	AGX_HW_TLBI_RANGE,
};

/**
 * struct agx_hw_ops - A backend.
 *
 * All operations may sleep unless said otherwise.
 */
struct agx_hw_ops {
	/**
	 * @probe: Find the hardware of @dev: fill @hw's info and regions and
	 * map the MMIO banks. Nothing is started yet.
	 */
	int (*probe)(struct agx_hw *hw, struct device *dev);

	/** @remove: Undo @probe and @boot. */
	void (*remove)(struct agx_hw *hw);

	/** @mmio_read32: Read a register. Does not sleep. */
	u32 (*mmio_read32)(struct agx_hw *hw, enum agx_hw_bank bank, u32 offset);

	/** @mmio_write32: Write a register. Does not sleep. */
	void (*mmio_write32)(struct agx_hw *hw, enum agx_hw_bank bank, u32 offset,
			     u32 value);

	/**
	 * @wait_ready: Optional. Wait until the hardware can be booted (the
	 * simulator backend waits for its daemon to attach). Called before
	 * the ASC is started.
	 */
	int (*wait_ready)(struct agx_hw *hw);

	/**
	 * @boot: Boot RTKit on the coprocessor (already started through the
	 * ASC registers) and start the GPU's application endpoints. Messages
	 * from the firmware may be delivered from then on.
	 */
	int (*boot)(struct agx_hw *hw);

	/**
	 * @send: Send one message to an application endpoint. Does not
	 * sleep; may be called with spinlocks held.
	 */
	int (*send)(struct agx_hw *hw, u8 endpoint, u64 message);

	/**
	 * @tlb_invalidate: Invalidate GPU TLB entries. @asid is the context
	 * slot (ignored for ALL); @va and @size_B are used for RANGE only.
	 * Returns once the invalidation is complete. Does not sleep.
	 */
	void (*tlb_invalidate)(struct agx_hw *hw, enum agx_hw_tlbi kind, u32 asid,
			       u64 va, u64 size_B);
};

/**
 * struct agx_hw - A backend instance, embedded in the device.
 */
struct agx_hw {
	/** @ops: The backend. */
	const struct agx_hw_ops *ops;
	/** @dev: The platform device. */
	struct device *dev;
	/** @info: Filled by @ops->probe. */
	struct agx_hw_info info;
	/** @regions: Filled by @ops->probe. */
	struct agx_hw_region regions[AGX_HW_REGION_COUNT];
	/** @priv: Backend private data. */
	void *priv;

	/**
	 * @deliver: Called by the backend for each message the firmware sends
	 * on an application endpoint, in process context, in order.
	 */
	void (*deliver)(struct agx_hw *hw, u8 endpoint, u64 message);
	/**
	 * @crashed: Called by the backend once if the firmware crashes, in
	 * process context. No message is delivered after it.
	 */
	void (*crashed)(struct agx_hw *hw);
};

extern const struct agx_hw_ops agx_hw_sim_ops;
#if IS_ENABLED(CONFIG_APPLE_RTKIT)
extern const struct agx_hw_ops agx_hw_rtkit_ops;
#endif

static inline u32 agx_hw_read32(struct agx_hw *hw, enum agx_hw_bank bank, u32 offset)
{
	return hw->ops->mmio_read32(hw, bank, offset);
}

static inline void agx_hw_write32(struct agx_hw *hw, enum agx_hw_bank bank,
				  u32 offset, u32 value)
{
	hw->ops->mmio_write32(hw, bank, offset, value);
}

static inline int agx_hw_send(struct agx_hw *hw, u8 endpoint, u64 message)
{
	return hw->ops->send(hw, endpoint, message);
}

static inline void agx_hw_tlbi(struct agx_hw *hw, enum agx_hw_tlbi kind, u32 asid,
			       u64 va, u64 size_B)
{
	hw->ops->tlb_invalidate(hw, kind, asid, va, size_B);
}

#endif /* AGX_HW_H */
