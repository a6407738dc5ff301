// SPDX-License-Identifier: MIT
/*
 * MMU fault status register encoding (facts section 6.1).
 */
#include "agxsim/mmu_fault.h"

#define FI_VALID          (1ull << 0)
#define FI_REASON_SHIFT   1
#define FI_REASON_MASK    0x7ull
#define FI_READ           (1ull << 4)
#define FI_UNK5_SHIFT     5
#define FI_UNK5_MASK      0x3ull
#define FI_LEVEL_SHIFT    7
#define FI_LEVEL_MASK     0x3ull
#define FI_UNIT_SHIFT     9
#define FI_UNIT_MASK      0xffull
#define FI_SLOT_SHIFT     17
#define FI_SLOT_MASK      0x3full
#define FI_SIDEBAND_SHIFT 23
#define FI_SIDEBAND_MASK  0x7full
#define FI_ADDR_SHIFT     30
#define FI_ADDR_GRANULE_SHIFT 6

static uint64_t encode_fields(const struct agxsim_mmu_fault_info *fi)
{
	uint64_t v = 0;

	if (fi->valid)
		v |= FI_VALID;
	v |= ((uint64_t)fi->reason & FI_REASON_MASK) << FI_REASON_SHIFT;
	if (fi->read)
		v |= FI_READ;
	v |= ((uint64_t)fi->unk_5 & FI_UNK5_MASK) << FI_UNK5_SHIFT;
	v |= ((uint64_t)fi->level & FI_LEVEL_MASK) << FI_LEVEL_SHIFT;
	v |= ((uint64_t)fi->unit_code & FI_UNIT_MASK) << FI_UNIT_SHIFT;
	v |= ((uint64_t)fi->vm_slot & FI_SLOT_MASK) << FI_SLOT_SHIFT;
	v |= ((uint64_t)fi->sideband & FI_SIDEBAND_MASK) << FI_SIDEBAND_SHIFT;
	return v;
}

uint64_t agxsim_mmu_fault_encode_g13(const struct agxsim_mmu_fault_info *fi)
{
	/* 34 bits of VA >> 6 fit above bit 30: VA bits 39:6. */
	return encode_fields(fi) |
	       ((fi->address >> FI_ADDR_GRANULE_SHIFT) << FI_ADDR_SHIFT);
}

void agxsim_mmu_fault_encode_g14x(const struct agxsim_mmu_fault_info *fi,
				  uint64_t *info, uint64_t *addr)
{
	*info = encode_fields(fi);
	*addr = fi->address >> FI_ADDR_GRANULE_SHIFT;
}

void agxsim_mmu_fault_decode(uint64_t info, bool g14x, uint64_t addr_reg,
			     struct agxsim_mmu_fault_info *out)
{
	out->valid = info & FI_VALID;
	out->reason = (info >> FI_REASON_SHIFT) & FI_REASON_MASK;
	out->read = info & FI_READ;
	out->unk_5 = (info >> FI_UNK5_SHIFT) & FI_UNK5_MASK;
	out->level = (info >> FI_LEVEL_SHIFT) & FI_LEVEL_MASK;
	out->unit_code = (info >> FI_UNIT_SHIFT) & FI_UNIT_MASK;
	out->vm_slot = (info >> FI_SLOT_SHIFT) & FI_SLOT_MASK;
	out->sideband = (info >> FI_SIDEBAND_SHIFT) & FI_SIDEBAND_MASK;
	out->address = (g14x ? addr_reg : info >> FI_ADDR_SHIFT)
		       << FI_ADDR_GRANULE_SHIFT;
}

const char *agxsim_mmu_fault_reason_name(unsigned int reason)
{
	switch (reason) {
	case AGXSIM_MMU_FAULT_UNMAPPED: return "Unmapped";
	case AGXSIM_MMU_FAULT_AF: return "AfFault";
	case AGXSIM_MMU_FAULT_WRITE_ONLY: return "WriteOnly";
	case AGXSIM_MMU_FAULT_READ_ONLY: return "ReadOnly";
	case AGXSIM_MMU_FAULT_NO_ACCESS: return "NoAccess";
	default: return "Unknown";
	}
}
