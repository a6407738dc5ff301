/* SPDX-License-Identifier: MIT */
/*
 * agxsim/mem_if.h - how simulator units reach GPU virtual memory.
 *
 * Every unit of the simulated GPU that touches memory (the shader core's
 * device loads and stores, the texture unit, the control-stream fetchers,
 * the PBE and ZLS) does so through this interface, never through raw host
 * pointers. The memory model (UAT translation with permission checks)
 * implements it; unit tests may implement it with a flat buffer.
 *
 * Accesses are in GPU virtual addresses of one address space (one UAT
 * context). A failed access returns a negative errno and, when @fault is
 * not NULL, describes the fault the way the hardware reports it, so the
 * firmware model can turn it into a fault event.
 */
#ifndef AGXSIM_MEM_IF_H
#define AGXSIM_MEM_IF_H

#include <stddef.h>
#include <stdint.h>

/* Which kind of access faulted. */
enum agxsim_access {
	AGXSIM_ACCESS_READ = 0,
	AGXSIM_ACCESS_WRITE = 1,
};

/* Why an access faulted. */
enum agxsim_fault_reason {
	AGXSIM_FAULT_NONE = 0,
	AGXSIM_FAULT_UNMAPPED,    /* no valid translation at some level */
	AGXSIM_FAULT_PERMISSION,  /* mapped, but the access is not allowed */
	AGXSIM_FAULT_BAD_PHYS,    /* translation points outside physical memory */
};

struct agxsim_fault {
	enum agxsim_fault_reason reason;
	enum agxsim_access access;
	uint64_t va;       /* first faulting GPU virtual address */
	uint32_t context;  /* UAT context slot of the address space */
	uint32_t unit;     /* hardware unit code, see ASSUMPTIONS.md */
};

struct agxsim_mem_if {
	void *ctx;
	int (*read)(void *ctx, uint64_t va, void *dst, size_t len,
		    struct agxsim_fault *fault);
	int (*write)(void *ctx, uint64_t va, const void *src, size_t len,
		     struct agxsim_fault *fault);
};

static inline int agxsim_mem_read(const struct agxsim_mem_if *mem, uint64_t va,
				  void *dst, size_t len, struct agxsim_fault *fault)
{
	return mem->read(mem->ctx, va, dst, len, fault);
}

static inline int agxsim_mem_write(const struct agxsim_mem_if *mem, uint64_t va,
				   const void *src, size_t len,
				   struct agxsim_fault *fault)
{
	return mem->write(mem->ctx, va, src, len, fault);
}

#endif /* AGXSIM_MEM_IF_H */
