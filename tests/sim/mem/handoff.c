// SPDX-License-Identifier: MIT
/*
 * Firmware side of the UAT handoff region (facts section 4.5).
 *
 * The kernel and the firmware run concurrently (in the simulator: another
 * thread or process sharing the region's memory), so every field is
 * accessed with sequentially consistent atomics: Dekker's algorithm needs
 * a store followed by a load of the other side's flag to stay ordered.
 */
#include <errno.h>
#include <sched.h>

#include "agxsim/handoff.h"

#define SC __ATOMIC_SEQ_CST

static uint8_t *u8p(struct agxsim_handoff *h, unsigned int off)
{
	return h->base + off;
}

static uint32_t *u32p(struct agxsim_handoff *h, unsigned int off)
{
	return (uint32_t *)(h->base + off);
}

static uint64_t *u64p(struct agxsim_handoff *h, unsigned int off)
{
	return (uint64_t *)(h->base + off);
}

int agxsim_handoff_init(struct agxsim_handoff *h, struct agxsim_physmem *pm,
			uint64_t pa)
{
	if (pa & 7)
		return -EINVAL;
	h->base = agxsim_physmem_host_ptr(pm, pa, AGXSIM_HANDOFF_SIZE_B);
	if (!h->base)
		return -EFAULT;
	if ((uintptr_t)h->base & 7)
		return -EINVAL;
	return 0;
}

bool agxsim_handoff_fw_handshake(struct agxsim_handoff *h)
{
	uint64_t ap = __atomic_load_n(u64p(h, AGXSIM_HANDOFF_MAGIC_AP), SC);

	if (ap != AGXSIM_HANDOFF_MAGIC)
		return false;
	__atomic_store_n(u64p(h, AGXSIM_HANDOFF_MAGIC_FW), AGXSIM_HANDOFF_MAGIC, SC);
	return true;
}

/*
 * Firmware's turn value is 1 (the kernel unlocks with turn = 1, handing
 * priority to the firmware); the firmware hands it back with turn = 0.
 */
bool agxsim_handoff_fw_try_lock(struct agxsim_handoff *h)
{
	__atomic_store_n(u8p(h, AGXSIM_HANDOFF_LOCK_FW), 1, SC);
	if (!__atomic_load_n(u8p(h, AGXSIM_HANDOFF_LOCK_AP), SC))
		return true;
	__atomic_store_n(u8p(h, AGXSIM_HANDOFF_LOCK_FW), 0, SC);
	return false;
}

void agxsim_handoff_fw_lock(struct agxsim_handoff *h)
{
	__atomic_store_n(u8p(h, AGXSIM_HANDOFF_LOCK_FW), 1, SC);
	while (__atomic_load_n(u8p(h, AGXSIM_HANDOFF_LOCK_AP), SC)) {
		if (__atomic_load_n(u32p(h, AGXSIM_HANDOFF_TURN), SC) != 1) {
			__atomic_store_n(u8p(h, AGXSIM_HANDOFF_LOCK_FW), 0, SC);
			while (__atomic_load_n(u32p(h, AGXSIM_HANDOFF_TURN), SC) != 1)
				sched_yield();
			__atomic_store_n(u8p(h, AGXSIM_HANDOFF_LOCK_FW), 1, SC);
		}
	}
}

void agxsim_handoff_fw_unlock(struct agxsim_handoff *h)
{
	__atomic_store_n(u32p(h, AGXSIM_HANDOFF_TURN), 0, SC);
	__atomic_store_n(u8p(h, AGXSIM_HANDOFF_LOCK_FW), 0, SC);
}

void agxsim_handoff_fw_set_cur_slot(struct agxsim_handoff *h, uint32_t slot)
{
	__atomic_store_n(u32p(h, AGXSIM_HANDOFF_CUR_SLOT), slot, SC);
}

uint32_t agxsim_handoff_cur_slot(struct agxsim_handoff *h)
{
	return __atomic_load_n(u32p(h, AGXSIM_HANDOFF_CUR_SLOT), SC);
}

static unsigned int flush_off(unsigned int index)
{
	return AGXSIM_HANDOFF_FLUSH + index * AGXSIM_HANDOFF_FLUSH_STRIDE;
}

void agxsim_handoff_read_flush(struct agxsim_handoff *h, unsigned int index,
			       struct agxsim_handoff_flush *out)
{
	unsigned int off = flush_off(index);

	out->state = __atomic_load_n(u64p(h, off), SC);
	out->addr = __atomic_load_n(u64p(h, off + 8), SC);
	out->size_B = __atomic_load_n(u64p(h, off + 16), SC);
}

bool agxsim_handoff_fw_complete_flush(struct agxsim_handoff *h, unsigned int index,
				      struct agxsim_handoff_flush *req)
{
	struct agxsim_handoff_flush f;

	if (index >= AGXSIM_HANDOFF_FLUSH_COUNT)
		return false;
	agxsim_handoff_read_flush(h, index, &f);
	if (f.state != AGXSIM_HANDOFF_FLUSH_REQUESTED)
		return false;
	if (req)
		*req = f;
	__atomic_store_n(u64p(h, flush_off(index)), AGXSIM_HANDOFF_FLUSH_DONE, SC);
	return true;
}
