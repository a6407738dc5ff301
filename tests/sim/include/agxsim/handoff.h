/* SPDX-License-Identifier: MIT */
/*
 * agxsim/handoff.h - the firmware side of the UAT "handoff" region.
 *
 * The kernel and the firmware's page-table manager share a small region
 * (kernel-firmware-facts.md section 4.5; Asahi driver mmu.rs, m1n1
 * fw/agx/handoff.py) to coordinate page-table and TTB changes:
 *
 *   0x000 magic_ap  u64   kernel writes 0x4b1d000000000002
 *   0x008 magic_fw  u64   firmware answers with the same value
 *   0x010 lock_ap   u8    Dekker flags
 *   0x011 lock_fw   u8
 *   0x014 turn      u32
 *   0x018 cur_slot  u32   context the firmware is using (0/~0 = none)
 *   0x020 flush[65] {state, addr, size} u64 each, stride 0x18;
 *                   index 64 is the kernel address space
 *   0x638 unk2 u8, 0x640 unk3 u64
 *
 * This is the firmware's half only: the kernel's half is what is under
 * test. The lock is Dekker's algorithm; the firmware side mirrors the
 * documented kernel side with the roles swapped (ASSUMPTIONS.md).
 */
#ifndef AGXSIM_HANDOFF_H
#define AGXSIM_HANDOFF_H

#include <stdbool.h>
#include <stdint.h>

#include "agxsim/physmem.h"

#define AGXSIM_HANDOFF_SIZE_B        0x648u
#define AGXSIM_HANDOFF_MAGIC         0x4b1d000000000002ull
#define AGXSIM_HANDOFF_MAGIC_AP      0x000u
#define AGXSIM_HANDOFF_MAGIC_FW      0x008u
#define AGXSIM_HANDOFF_LOCK_AP       0x010u
#define AGXSIM_HANDOFF_LOCK_FW       0x011u
#define AGXSIM_HANDOFF_TURN          0x014u
#define AGXSIM_HANDOFF_CUR_SLOT      0x018u
#define AGXSIM_HANDOFF_FLUSH         0x020u
#define AGXSIM_HANDOFF_FLUSH_STRIDE  0x18u
#define AGXSIM_HANDOFF_FLUSH_COUNT   65u
#define AGXSIM_HANDOFF_FLUSH_KERNEL  64u
#define AGXSIM_HANDOFF_UNK2          0x638u
#define AGXSIM_HANDOFF_UNK3          0x640u

/* Flush entry states. */
#define AGXSIM_HANDOFF_FLUSH_IDLE      0
#define AGXSIM_HANDOFF_FLUSH_REQUESTED 1
#define AGXSIM_HANDOFF_FLUSH_DONE      2

struct agxsim_handoff {
	uint8_t *base;   /* host view of the region */
};

/* Bind to the region at @pa. -EFAULT when it is not fully backed by one
 * physical region, -EINVAL when misaligned (needs 8-byte alignment). */
int agxsim_handoff_init(struct agxsim_handoff *h, struct agxsim_physmem *pm,
			uint64_t pa);

/*
 * Firmware boot step: when the kernel has written magic_ap, answer in
 * magic_fw. Returns true once the handshake is (or already was) done.
 */
bool agxsim_handoff_fw_handshake(struct agxsim_handoff *h);

/* Dekker lock, firmware side. try_lock makes one attempt without waiting. */
bool agxsim_handoff_fw_try_lock(struct agxsim_handoff *h);
void agxsim_handoff_fw_lock(struct agxsim_handoff *h);
void agxsim_handoff_fw_unlock(struct agxsim_handoff *h);

/* The context the firmware currently runs lower-half accesses in. */
void agxsim_handoff_fw_set_cur_slot(struct agxsim_handoff *h, uint32_t slot);
uint32_t agxsim_handoff_cur_slot(struct agxsim_handoff *h);

struct agxsim_handoff_flush {
	uint64_t state, addr, size_B;
};

void agxsim_handoff_read_flush(struct agxsim_handoff *h, unsigned int index,
			       struct agxsim_handoff_flush *out);

/*
 * Firmware's reaction to a FWCtl cache flush for entry @index: when the
 * kernel has requested a flush (state 1) mark it done (state 2) and
 * return true with the request in @req. The simulator has no firmware
 * cache, so nothing else happens.
 */
bool agxsim_handoff_fw_complete_flush(struct agxsim_handoff *h, unsigned int index,
				      struct agxsim_handoff_flush *req);

#endif /* AGXSIM_HANDOFF_H */
