/* SPDX-License-Identifier: MIT */
/*
 * direct_priv.h - internals of the direct API front end.
 */
#ifndef AGXSIM_DIRECT_PRIV_H
#define AGXSIM_DIRECT_PRIV_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "agxsim/direct.h"
#include "agxsim/gpu.h"
#include "agxsim/physmem.h"
#include "agxsim/uat.h"

struct drm_asahi_submit;

#define DIRECT_MAX_BOS     4096u
#define DIRECT_MAX_QUEUES  64u
#define DIRECT_MAX_OBJECTS 256u
/* private_vm of an object whose VM is gone. */
#define DIRECT_VM_ORPHAN   0xffffffffu

struct direct_bo {
	uint64_t pa;        /* physically contiguous */
	uint64_t size_B;    /* 0: free slot */
	uint32_t flags;
	uint32_t private_vm;
};

struct direct_vm {
	bool live;
	uint16_t asid;
	uint64_t root_pa;   /* level-1 table of the user half (ttb0) */
	uint64_t kernel_start, kernel_end;
};

struct direct_queue {
	bool live;
	uint32_t vm_id;
	uint32_t priority;
	uint64_t usc_exec_base;
};

struct direct_object {
	bool live;
	uint32_t bo_handle;
	uint64_t offset, range;
};

struct agxsim_direct {
	struct agxsim_direct_config cfg;
	/* One ioctl at a time (a drm-shim may call from several threads). */
	pthread_mutex_t lock;
	int memfd;
	void *ram;
	uint64_t ram_size_B;
	uint64_t npages;
	uint8_t *used;      /* one byte per page */
	struct agxsim_physmem pm;
	struct agxsim_uat *uat;
	struct agxsim_gpu gpu;

	struct direct_bo bos[DIRECT_MAX_BOS];
	struct direct_vm vms[AGXSIM_UAT_NUM_CTX];   /* index = slot = vm_id */
	struct direct_queue queues[DIRECT_MAX_QUEUES];
	struct direct_object objects[DIRECT_MAX_OBJECTS];

	uint64_t seqno;
	uint64_t failed;
	struct agxsim_direct_job_result last;
};

int direct_submit(struct agxsim_direct *d, struct drm_asahi_submit *a);
struct direct_queue *direct_queue_get(struct agxsim_direct *d, uint32_t id);
struct direct_bo *direct_bo_get(struct agxsim_direct *d, uint32_t handle);

/* True if all @n bytes at @p are zero (MBZ pads and reserved fields). */
static inline bool direct_all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

#endif /* AGXSIM_DIRECT_PRIV_H */
