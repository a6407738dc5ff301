/* SPDX-License-Identifier: MIT */
/*
 * agxsim/mmu_fault.h - the GPU MMU fault status registers.
 *
 * When a GPU unit faults, the hardware latches a description in the SGX
 * MMIO block; the kernel reads it after a Fault or Timeout event. Layout
 * (kernel-firmware-facts.md section 6.1, from the Asahi driver's regs.rs):
 *
 *   G13 / G14G: one 64-bit FAULT_INFO register at SGX + 0x17030
 *     bit  0      valid
 *     bits 3:1    reason   (enum agxsim_mmu_fault_reason)
 *     bit  4      read     (1 = read access, 0 = write)
 *     bits 6:5    unk_5    (meaning unknown; the simulator writes 0)
 *     bits 8:7    level    (page-table level, see ASSUMPTIONS.md)
 *     bits 16:9   unit_code
 *     bits 22:17  vm_slot  (UAT context slot)
 *     bits 29:23  sideband
 *     bits 63:30  address >> 6 (so only VA bits 39:6 survive)
 *
 *   G14X: the same info layout at SGX + 0xd8c0 (address field unused) and
 *     a separate 64-bit address register at SGX + 0xd8c8 holding VA >> 6.
 */
#ifndef AGXSIM_MMU_FAULT_H
#define AGXSIM_MMU_FAULT_H

#include <stdbool.h>
#include <stdint.h>

#define AGXSIM_SGX_FAULT_INFO_OFFSET       0x17030u
#define AGXSIM_SGX_FAULT_INFO_G14X_OFFSET  0xd8c0u
#define AGXSIM_SGX_FAULT_ADDR_G14X_OFFSET  0xd8c8u

/* The hardware's reason codes (FAULT_INFO bits 3:1). */
enum agxsim_mmu_fault_reason {
	AGXSIM_MMU_FAULT_UNMAPPED = 0,   /* no valid descriptor at some level */
	AGXSIM_MMU_FAULT_AF = 1,         /* leaf has the access flag clear */
	AGXSIM_MMU_FAULT_WRITE_ONLY = 2, /* read of a write-only page */
	AGXSIM_MMU_FAULT_READ_ONLY = 3,  /* write to a read-only page */
	AGXSIM_MMU_FAULT_NO_ACCESS = 4,  /* page the agent may not touch */
};

/* Unit codes the simulator's own units use (FAULT_INFO bits 16:9). */
enum agxsim_mmu_unit {
	AGXSIM_UNIT_DCMP = 0x00,   /* low nibble of 0x00..0x9f, instance in high */
	AGXSIM_UNIT_UL1C = 0x01,   /* USC L1: shader device loads/stores */
	AGXSIM_UNIT_CMP = 0x02,
	AGXSIM_UNIT_TE = 0x06,
	AGXSIM_UNIT_VDM = 0x08,
	AGXSIM_UNIT_IPF = 0x0a,
	AGXSIM_UNIT_VF = 0x0c,
	AGXSIM_UNIT_ZLS = 0x0e,
	AGXSIM_UNIT_dPM = 0xa1,
	AGXSIM_UNIT_dCDM_KS0 = 0xa2,
	AGXSIM_UNIT_FC = 0xad,
};

struct agxsim_mmu_fault_info {
	bool valid;
	uint8_t reason;     /* enum agxsim_mmu_fault_reason, 3 bits */
	bool read;
	uint8_t unk_5;      /* 2 bits */
	uint8_t level;      /* 2 bits */
	uint8_t unit_code;  /* 8 bits */
	uint8_t vm_slot;    /* 6 bits */
	uint8_t sideband;   /* 7 bits */
	uint64_t address;   /* faulting GPU VA; encoded with 64-byte granule */
};

/* G13/G14G: the FAULT_INFO register value (address in bits 63:30). */
uint64_t agxsim_mmu_fault_encode_g13(const struct agxsim_mmu_fault_info *fi);

/* G14X: FAULT_INFO (address bits zero) and the separate address register. */
void agxsim_mmu_fault_encode_g14x(const struct agxsim_mmu_fault_info *fi,
				  uint64_t *info, uint64_t *addr);

/*
 * Decode the way the kernel does: address = (info >> 30) << 6 on G13,
 * addr_reg << 6 on G14X (pass g14x = true and the address register).
 */
void agxsim_mmu_fault_decode(uint64_t info, bool g14x, uint64_t addr_reg,
			     struct agxsim_mmu_fault_info *out);

const char *agxsim_mmu_fault_reason_name(unsigned int reason);

#endif /* AGXSIM_MMU_FAULT_H */
