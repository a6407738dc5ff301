/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copyright (C) 2026 The agx authors
 */
#ifndef AGX_FW_MEM_H
#define AGX_FW_MEM_H

#include <linux/mutex.h>
#include <linux/types.h>

#include <drm/drm_mm.h>

struct agx_uat;
struct page;

/**
 * enum agx_fw_heap - The kernel-half ranges firmware objects live in.
 */
enum agx_fw_heap {
	/** @AGX_FW_HEAP_PRIV: Firmware private, cached (PROT_FW_PRIV_RW). */
	AGX_FW_HEAP_PRIV,
	/** @AGX_FW_HEAP_GPU_RO: GPU read-only, firmware private, cached. */
	AGX_FW_HEAP_GPU_RO,
	/** @AGX_FW_HEAP_SHARED: Shared with the firmware, uncached. */
	AGX_FW_HEAP_SHARED,
	/** @AGX_FW_HEAP_COUNT: Number of heaps. */
	AGX_FW_HEAP_COUNT,
};

/**
 * struct agx_fw_memory - The allocator of kernel-VM firmware objects.
 */
struct agx_fw_memory {
	/** @uat: The UAT whose kernel half the objects are mapped in. */
	struct agx_uat *uat;
	/** @lock: Lock protecting @mm and @live. */
	struct mutex lock;
	/** @mm: Address space of each heap. */
	struct drm_mm mm[AGX_FW_HEAP_COUNT];
	/** @live: Objects allocated and not freed. */
	unsigned int live;
};

/**
 * struct agx_fw_mem - One firmware object: 16 KiB blocks mapped in the
 * kernel half and in the kernel's address space.
 */
struct agx_fw_mem {
	/** @node: The VA range. */
	struct drm_mm_node node;
	/** @blocks: The memory. */
	struct page **blocks;
	/** @nblocks: Entries of @blocks. */
	unsigned int nblocks;
	/** @cpu: Kernel mapping, or NULL when not allocated. */
	void *cpu;
	/** @va: GPU (firmware) address. */
	u64 va;
	/** @size: Bytes requested (the mapping is rounded up to 16 KiB). */
	size_t size;
};

void agx_fw_memory_init(struct agx_fw_memory *mm, struct agx_uat *uat);
void agx_fw_memory_fini(struct agx_fw_memory *mm);
int agx_fw_mem_alloc(struct agx_fw_memory *mm, enum agx_fw_heap heap,
		     size_t size, struct agx_fw_mem *mem);
void agx_fw_mem_free(struct agx_fw_memory *mm, struct agx_fw_mem *mem);

#endif /* AGX_FW_MEM_H */
