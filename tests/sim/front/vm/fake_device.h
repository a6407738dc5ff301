/* SPDX-License-Identifier: MIT */
/*
 * fake_device.h - a tiny stand-in for the simulated device, for testing
 * the VM transport only (agxsim-vm --fake). It has the same calls as
 * agxsim/device.h, on its own type, and does just enough to show that
 * every kind of traffic crosses the boundary:
 *
 *  - SGX ID registers describe the configured GPU (generation, variant,
 *    revision, core and cluster counts); other registers read back what
 *    was written, or 0;
 *  - ASC register 0x44 bit 4 (CPU_RUN) must be set before boot succeeds;
 *  - as the "bootloader" it writes FAKE_BLOB_MAGIC at the start of the
 *    hw-cal-a, hw-cal-b and globals regions (FAKE_BLOB_SIZE bytes each);
 *  - each message sent after boot is answered, from fake_device_run(), with
 *    FAKE_ECHO(message) on endpoint 0x20;
 *  - TLB invalidations are counted;
 *  - AGXSIM_INJECT_FW_CRASH makes it crash.
 */
#ifndef AGXSIM_VM_FAKE_DEVICE_H
#define AGXSIM_VM_FAKE_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "agxsim/device.h"

#define FAKE_BLOB_MAGIC 0x424f4c42454b4146ull /* "FAKEBLOB" */
#define FAKE_BLOB_SIZE 0x100u
#define FAKE_ECHO(msg) (~(uint64_t)(msg))

struct fake_device;

struct fake_stats {
	uint64_t mmio_reads, mmio_writes, boots, sends;
	uint64_t tlbi[3];
	uint32_t last_tlbi_asid;
	uint64_t last_tlbi_va, last_tlbi_size_B;
};

int fake_device_create(const struct agxsim_device_config *cfg,
		       const struct agxsim_host_ops *host,
		       struct agxsim_boot_info *boot, struct fake_device **out);
void fake_device_destroy(struct fake_device *dev);
uint32_t fake_device_mmio_read32(struct fake_device *dev,
				 enum agxsim_bank bank, uint32_t offset);
void fake_device_mmio_write32(struct fake_device *dev, enum agxsim_bank bank,
			      uint32_t offset, uint32_t value);
int fake_device_boot(struct fake_device *dev);
int fake_device_send(struct fake_device *dev, uint8_t endpoint,
		     uint64_t message);
void fake_device_tlb_invalidate(struct fake_device *dev, enum agxsim_tlbi kind,
				uint32_t asid, uint64_t va, uint64_t size_B);
bool fake_device_run(struct fake_device *dev);
bool fake_device_needs_poll(struct fake_device *dev);
int fake_device_inject(struct fake_device *dev, enum agxsim_inject what);
const struct fake_stats *fake_device_stats(const struct fake_device *dev);

#endif /* AGXSIM_VM_FAKE_DEVICE_H */
