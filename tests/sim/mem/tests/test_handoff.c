// SPDX-License-Identifier: MIT
/*
 * Firmware side of the handoff region against a kernel side written here
 * from the documented protocol (facts 4.5).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>

#include "agx_test.h"
#include "agxsim/handoff.h"

#define HANDOFF_PA 0x900000000ull

static uint64_t region[0x4000 / 8];

static void setup(struct agxsim_physmem *pm, struct agxsim_handoff *h)
{
	memset(region, 0, sizeof(region));
	agxsim_physmem_init(pm);
	AGX_REQUIRE(agxsim_physmem_add_region(pm, HANDOFF_PA, sizeof(region), region) == 0);
	AGX_REQUIRE(agxsim_handoff_init(h, pm, HANDOFF_PA) == 0);
}

/* ---- the kernel side, from the documented algorithm ---------------------- */

static uint8_t *raw8(unsigned int off) { return (uint8_t *)region + off; }
static uint32_t *raw32(unsigned int off) { return (uint32_t *)((uint8_t *)region + off); }
static uint64_t *raw64(unsigned int off) { return (uint64_t *)((uint8_t *)region + off); }

static void ap_lock(void)
{
	__atomic_store_n(raw8(0x10), 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(raw8(0x11), __ATOMIC_SEQ_CST)) {
		if (__atomic_load_n(raw32(0x14), __ATOMIC_SEQ_CST) != 0) {
			__atomic_store_n(raw8(0x10), 0, __ATOMIC_SEQ_CST);
			while (__atomic_load_n(raw32(0x14), __ATOMIC_SEQ_CST) != 0)
				sched_yield();
			__atomic_store_n(raw8(0x10), 1, __ATOMIC_SEQ_CST);
		}
	}
}

static void ap_unlock(void)
{
	__atomic_store_n(raw32(0x14), 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(raw8(0x10), 0, __ATOMIC_SEQ_CST);
}

AGX_TEST(layout_matches_documented_offsets)
{
	AGX_CHECK_EQ(AGXSIM_HANDOFF_SIZE_B, 0x648);
	AGX_CHECK_EQ(AGXSIM_HANDOFF_MAGIC, 0x4b1d000000000002ull);
	AGX_CHECK_EQ(AGXSIM_HANDOFF_LOCK_AP, 0x10);
	AGX_CHECK_EQ(AGXSIM_HANDOFF_LOCK_FW, 0x11);
	AGX_CHECK_EQ(AGXSIM_HANDOFF_TURN, 0x14);
	AGX_CHECK_EQ(AGXSIM_HANDOFF_CUR_SLOT, 0x18);
	AGX_CHECK_EQ(AGXSIM_HANDOFF_FLUSH + AGXSIM_HANDOFF_FLUSH_COUNT *
		     AGXSIM_HANDOFF_FLUSH_STRIDE, AGXSIM_HANDOFF_UNK2);
}

AGX_TEST(init_rejects_unbacked_or_misaligned_region)
{
	struct agxsim_physmem pm;
	struct agxsim_handoff h;

	setup(&pm, &h);
	AGX_CHECK_EQ(agxsim_handoff_init(&h, &pm, HANDOFF_PA + 4), -EINVAL);
	AGX_CHECK_EQ(agxsim_handoff_init(&h, &pm, HANDOFF_PA + sizeof(region) - 0x100),
		     -EFAULT);
	AGX_CHECK_EQ(agxsim_handoff_init(&h, &pm, 0), -EFAULT);
}

AGX_TEST(firmware_answers_the_magic_only_after_the_kernel)
{
	struct agxsim_physmem pm;
	struct agxsim_handoff h;

	setup(&pm, &h);
	AGX_CHECK(!agxsim_handoff_fw_handshake(&h));
	AGX_CHECK_EQ(*raw64(0x8), 0);
	*raw64(0x0) = 0x4b1d000000000002ull;
	AGX_CHECK(agxsim_handoff_fw_handshake(&h));
	AGX_CHECK_EQ(*raw64(0x8), 0x4b1d000000000002ull);
}

AGX_TEST(try_lock_respects_the_kernel_flag)
{
	struct agxsim_physmem pm;
	struct agxsim_handoff h;

	setup(&pm, &h);
	ap_lock();
	AGX_CHECK(!agxsim_handoff_fw_try_lock(&h));
	AGX_CHECK_EQ(*raw8(0x11), 0);
	ap_unlock();
	AGX_CHECK_EQ(*raw32(0x14), 1);
	AGX_CHECK(agxsim_handoff_fw_try_lock(&h));
	AGX_CHECK_EQ(*raw8(0x11), 1);
	agxsim_handoff_fw_unlock(&h);
	AGX_CHECK_EQ(*raw8(0x11), 0);
	AGX_CHECK_EQ(*raw32(0x14), 0);
}

#define ROUNDS 2000

static struct {
	struct agxsim_handoff *h;
	pthread_barrier_t start;
	volatile unsigned int counter;
	volatile int inside;
	int overlaps;
} race;

static void critical_section(void)
{
	unsigned int v;

	if (__atomic_fetch_add(&race.inside, 1, __ATOMIC_SEQ_CST) != 0)
		__atomic_fetch_add(&race.overlaps, 1, __ATOMIC_SEQ_CST);
	v = race.counter;
	/* Widen the window so a broken lock is caught. */
	for (unsigned int k = 0; k < 200; k++)
		__asm__ volatile("" ::: "memory");
	if ((v & 15) == 0)
		sched_yield();
	race.counter = v + 1;
	__atomic_fetch_sub(&race.inside, 1, __ATOMIC_SEQ_CST);
}

static void *fw_thread(void *arg)
{
	unsigned int i;

	(void)arg;
	pthread_barrier_wait(&race.start);
	for (i = 0; i < ROUNDS; i++) {
		agxsim_handoff_fw_lock(race.h);
		critical_section();
		agxsim_handoff_fw_unlock(race.h);
	}
	return NULL;
}

AGX_TEST(dekker_lock_excludes_kernel_and_firmware)
{
	struct agxsim_physmem pm;
	struct agxsim_handoff h;
	pthread_t t;
	unsigned int i;

	setup(&pm, &h);
	race.h = &h;
	race.counter = 0;
	race.inside = 0;
	race.overlaps = 0;
	AGX_REQUIRE(pthread_barrier_init(&race.start, NULL, 2) == 0);
	AGX_REQUIRE(pthread_create(&t, NULL, fw_thread, NULL) == 0);
	pthread_barrier_wait(&race.start);
	for (i = 0; i < ROUNDS; i++) {
		ap_lock();
		critical_section();
		ap_unlock();
	}
	pthread_join(t, NULL);
	pthread_barrier_destroy(&race.start);
	AGX_CHECK_EQ(race.overlaps, 0);
	AGX_CHECK_EQ(race.counter, 2 * ROUNDS);
	AGX_CHECK_EQ(*raw8(0x10), 0);
	AGX_CHECK_EQ(*raw8(0x11), 0);
}

AGX_TEST(flush_request_is_completed_once)
{
	struct agxsim_physmem pm;
	struct agxsim_handoff h;
	struct agxsim_handoff_flush req, now;
	unsigned int off = 0x20 + 64 * 0x18;

	setup(&pm, &h);
	AGX_CHECK(!agxsim_handoff_fw_complete_flush(&h, 64, &req));
	/* Kernel: addr and size, then state = 1. */
	*raw64(off + 8) = 0xffffffa000123000ull;
	*raw64(off + 16) = 0x8000;
	*raw64(off) = 1;
	AGX_CHECK(agxsim_handoff_fw_complete_flush(&h, 64, &req));
	AGX_CHECK_EQ(req.addr, 0xffffffa000123000ull);
	AGX_CHECK_EQ(req.size_B, 0x8000);
	AGX_CHECK_EQ(*raw64(off), 2);
	agxsim_handoff_read_flush(&h, 64, &now);
	AGX_CHECK_EQ(now.state, 2);
	AGX_CHECK(!agxsim_handoff_fw_complete_flush(&h, 64, &req));
	AGX_CHECK(!agxsim_handoff_fw_complete_flush(&h, 65, &req));
	/* Entry 3 is independent. */
	*raw64(0x20 + 3 * 0x18) = 1;
	AGX_CHECK(agxsim_handoff_fw_complete_flush(&h, 3, NULL));
	AGX_CHECK_EQ(*raw64(0x20 + 3 * 0x18), 2);
}

AGX_TEST(cur_slot_is_visible_to_the_kernel)
{
	struct agxsim_physmem pm;
	struct agxsim_handoff h;

	setup(&pm, &h);
	agxsim_handoff_fw_set_cur_slot(&h, 5);
	AGX_CHECK_EQ(*raw32(0x18), 5);
	*raw32(0x18) = 0xffffffff;
	AGX_CHECK_EQ(agxsim_handoff_cur_slot(&h), 0xffffffff);
}

AGX_TEST_MAIN()
