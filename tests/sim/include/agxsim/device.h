/* SPDX-License-Identifier: MIT */
/*
 * agxsim/device.h - one simulated AGX: ASC coprocessor, firmware and GPU.
 *
 * This is what a front end drives. It mirrors the kernel driver's hardware
 * boundary (kernel/agx_hw.h) one to one, so a front end only has to carry
 * these calls between the kernel's simulator backend and this library:
 *
 *   kernel agx_hw_ops          this API
 *   -----------------          --------
 *   mmio_read32/write32   ->   agxsim_device_mmio_read32/write32
 *   boot                  ->   agxsim_device_boot
 *   send(ep, msg)         ->   agxsim_device_send
 *   tlb_invalidate        ->   agxsim_device_tlb_invalidate
 *   hw->deliver(ep, msg)  <-   host->deliver
 *   hw->crashed()         <-   host->crashed
 *
 * The simulated firmware and GPU reach memory only through @pm, by physical
 * address, and only through the UAT page tables the kernel wrote (the TTB
 * array lives in the "ttbs" region). The front end decides what physical
 * memory is: guest RAM shared with the VM, or a memfd for the host
 * drm-shim.
 *
 * Before the kernel probes, agxsim_device_create() plays the bootloader's
 * part, as m1n1 does on a real machine: it fills the hw-cal-a, hw-cal-b and
 * globals regions with blobs for the chosen (GPU, firmware) combination,
 * prepares the pagetables and ttbs regions and clears the handoff region.
 *
 * Threading: the device is not thread-safe. The front end calls it from
 * one thread; work (firmware processing, shader execution) happens inside
 * agxsim_device_run(), which the front end calls after each send() and
 * whenever it is otherwise idle. host->deliver is called from inside the
 * API calls.
 */
#ifndef AGXSIM_DEVICE_H
#define AGXSIM_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct agxsim_physmem;
struct agxsim_device;

/* Register banks, as in the device tree binding's "reg-names". */
enum agxsim_bank {
	AGXSIM_BANK_ASC = 0,
	AGXSIM_BANK_SGX = 1,
};

/* Reserved memory regions, in the binding's order. */
enum agxsim_region {
	AGXSIM_REGION_TTBS = 0,
	AGXSIM_REGION_PAGETABLES,
	AGXSIM_REGION_HANDOFF,
	AGXSIM_REGION_HW_CAL_A,
	AGXSIM_REGION_HW_CAL_B,
	AGXSIM_REGION_GLOBALS,
	AGXSIM_REGION_COUNT,
};

/* GPU TLB invalidations, as the CPU's tlbi instructions would do them. */
enum agxsim_tlbi {
	AGXSIM_TLBI_ALL = 0,
	AGXSIM_TLBI_ASID,
	AGXSIM_TLBI_RANGE,
};

struct agxsim_region_desc {
	uint64_t pa;      /* physical base, 16 KiB aligned */
	uint64_t size_B;
};

struct agxsim_device_config {
	/* GPU: generation 13 or 14, variant 'G', 'S', 'C' or 'D'. */
	uint32_t gpu_gen;
	uint32_t gpu_variant;
	/* SoC number, e.g. 0x8103, and silicon revision (BCD, 0x11 = B1). */
	uint32_t chip_id;
	uint32_t gpu_rev;
	/* Firmware ABI (apple,firmware-abi): major, minor, patch. */
	uint32_t fw_abi[3];
	/* All memory the firmware and GPU may touch. */
	struct agxsim_physmem *pm;
	/* Where the reserved regions are, inside @pm. */
	struct agxsim_region_desc regions[AGXSIM_REGION_COUNT];
};

/* What the bootloader would tell the kernel: the debug,*-size props. */
struct agxsim_boot_info {
	uint64_t blob_size_B[AGXSIM_REGION_COUNT];
};

struct agxsim_host_ops {
	void *ctx;
	/* The firmware sends a message on an application endpoint. */
	void (*deliver)(void *ctx, uint8_t endpoint, uint64_t message);
	/* The firmware crashed; nothing is delivered afterwards. */
	void (*crashed)(void *ctx, const char *reason);
	/* Optional: a firmware log line, for the front end's own log. */
	void (*log)(void *ctx, int level, const char *line);
};

/*
 * Create a device: checks the configuration (an unsupported combination
 * fails with -ENOTSUP), plays the bootloader (see above) and fills @boot.
 * Returns 0 or a negative errno.
 */
int agxsim_device_create(const struct agxsim_device_config *cfg,
			 const struct agxsim_host_ops *host,
			 struct agxsim_boot_info *boot,
			 struct agxsim_device **out);
void agxsim_device_destroy(struct agxsim_device *dev);

/* MMIO. Offsets are bytes from the bank's base. */
uint32_t agxsim_device_mmio_read32(struct agxsim_device *dev,
				   enum agxsim_bank bank, uint32_t offset);
void agxsim_device_mmio_write32(struct agxsim_device *dev,
				enum agxsim_bank bank, uint32_t offset,
				uint32_t value);

/* RTKit boot and start of the application endpoints. */
int agxsim_device_boot(struct agxsim_device *dev);

/* A message from the kernel to an application endpoint (0x20 or 0x21). */
int agxsim_device_send(struct agxsim_device *dev, uint8_t endpoint,
		       uint64_t message);

void agxsim_device_tlb_invalidate(struct agxsim_device *dev,
				  enum agxsim_tlbi kind, uint32_t asid,
				  uint64_t va, uint64_t size_B);

/*
 * Do pending work: firmware processing of rings and queues, GPU execution.
 * Returns true when something was done (call again), false when idle.
 */
bool agxsim_device_run(struct agxsim_device *dev);

/*
 * True while the device waits for something the kernel signals only by
 * writing memory (the halted firmware polls FwStatus.resume): a front end
 * that sleeps between kernel requests must then still call
 * agxsim_device_run() periodically.
 */
bool agxsim_device_needs_poll(struct agxsim_device *dev);

/* Fault injection for tests of the kernel's error paths. */
enum agxsim_inject {
	AGXSIM_INJECT_NONE = 0,
	AGXSIM_INJECT_PAGE_FAULT,   /* next GPU command faults */
	AGXSIM_INJECT_TIMEOUT,      /* next GPU command never completes */
	AGXSIM_INJECT_FW_CRASH,     /* the firmware crashes now */
};
int agxsim_device_inject(struct agxsim_device *dev, enum agxsim_inject what);

#endif /* AGXSIM_DEVICE_H */
