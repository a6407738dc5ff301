/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the GPU-model tests: a flat memory (one VA window backed by
 * a host buffer, every access outside it faults with the first bad VA),
 * and writers for USC word lists and CDM launches built with the genxml
 * pack helpers.
 */
#ifndef GPU_TEST_UTIL_H
#define GPU_TEST_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "agx_pack.h"
#include "agxsim/gpu.h"
#include "agxsim/mem_if.h"

#define FLAT_VA   0x100000000ull   /* also the USC base in flat tests */
#define FLAT_SIZE (4u << 20)

struct flat_mem {
	uint8_t *data;
	uint64_t va;
	uint64_t size_B;
	unsigned unit;
	uint64_t reads, writes;
};

void flat_init(struct flat_mem *f, struct agxsim_mem_if *mem, unsigned unit);
void flat_fini(struct flat_mem *f);
void *flat_ptr(struct flat_mem *f, uint64_t va);

/* A simple USC list at @va: uniforms from @uni_va (halves), shared memory,
 * shader at @code_off, registers, no preshader / preshader. Returns the
 * list length. */
struct usc_desc {
	unsigned uniform_start, uniform_halves;
	uint64_t uniform_va;
	uint32_t tg_mem_B;           /* 0: no shared memory */
	uint32_t code_off;
	unsigned gprs;
	bool preshader;
	uint32_t preshader_off;
	unsigned textures;           /* texture descriptors at tex_va -> ts0.. */
	uint64_t tex_va;
};
unsigned write_usc(uint8_t *p, const struct usc_desc *u);

/* A direct-mode launch + barrier. Returns bytes written. */
unsigned write_launch(uint8_t *p, uint32_t pipeline_off, unsigned uniform_halves,
		      const uint32_t global[3], const uint32_t local[3]);
unsigned write_terminate(uint8_t *p);

#endif
