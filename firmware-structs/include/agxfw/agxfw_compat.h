/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * agxfw_compat.h - the few types and macros the generated firmware headers
 * need, mapped onto <linux/types.h> in the kernel and <stdint.h> in
 * userspace (the simulator, host tests, layout-dump).
 *
 * Firmware structures are natural repr(C) layouts except for three kinds of
 * member, which are spelled out here so the generated code can say which
 * one it means:
 *
 *  - agxfw_U32 / agxfw_U64: unaligned integers (1-byte alignment), the
 *    Rust driver's U32/U64 wrappers.  They never add padding before them.
 *  - agxfw_gptr: a 64-bit GPU virtual address with 4-byte alignment (the
 *    Rust GpuPointer, packed(4)).  The firmware packs 64-bit pointers to 4
 *    bytes, so a plain u64 (8-byte aligned) would insert padding the
 *    firmware does not expect.
 *  - agxfw_wptr: a 64-bit GPU virtual address with 1-byte alignment (the
 *    Rust GpuWeakPointer, packed(1)); a few firmware structures place one
 *    at an odd offset.
 *
 * All four are 8 or 4 bytes, little-endian like the firmware.  Read and
 * write them through the helpers below (or agxfw_get/agxfw_set), never by
 * taking the address of the inner member.
 */
#ifndef AGXFW_COMPAT_H
#define AGXFW_COMPAT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/string.h>
typedef __u8 agxfw_u8;
typedef __u16 agxfw_u16;
typedef __u32 agxfw_u32;
typedef __u64 agxfw_u64;
typedef __s8 agxfw_s8;
typedef __s16 agxfw_s16;
typedef __s32 agxfw_s32;
typedef __s64 agxfw_s64;
#else
#include <stddef.h>
#include <stdint.h>
#include <string.h>
typedef uint8_t agxfw_u8;
typedef uint16_t agxfw_u16;
typedef uint32_t agxfw_u32;
typedef uint64_t agxfw_u64;
typedef int8_t agxfw_s8;
typedef int16_t agxfw_s16;
typedef int32_t agxfw_s32;
typedef int64_t agxfw_s64;
#endif

/* IEEE-754 single stored as its bit pattern (no FPU use in the kernel). */
typedef agxfw_u32 agxfw_f32;

#define AGXFW_PACKED __attribute__((__packed__))

typedef struct AGXFW_PACKED { agxfw_u32 v; } agxfw_U32;
typedef struct AGXFW_PACKED { agxfw_u64 v; } agxfw_U64;
typedef struct AGXFW_PACKED __attribute__((__aligned__(4))) {
	agxfw_u64 va;
} agxfw_gptr;
typedef struct AGXFW_PACKED { agxfw_u64 va; } agxfw_wptr;

_Static_assert(sizeof(agxfw_U32) == 4 && _Alignof(agxfw_U32) == 1,
	       "agxfw_U32 must be 4 bytes, 1-byte aligned");
_Static_assert(sizeof(agxfw_U64) == 8 && _Alignof(agxfw_U64) == 1,
	       "agxfw_U64 must be 8 bytes, 1-byte aligned");
_Static_assert(sizeof(agxfw_gptr) == 8 && _Alignof(agxfw_gptr) == 4,
	       "agxfw_gptr must be 8 bytes, 4-byte aligned");
_Static_assert(sizeof(agxfw_wptr) == 8 && _Alignof(agxfw_wptr) == 1,
	       "agxfw_wptr must be 8 bytes, 1-byte aligned");

static inline agxfw_gptr agxfw_gptr_make(agxfw_u64 va)
{
	agxfw_gptr p = { .va = va };
	return p;
}

static inline agxfw_wptr agxfw_wptr_make(agxfw_u64 va)
{
	agxfw_wptr p = { .va = va };
	return p;
}

static inline agxfw_U64 agxfw_U64_make(agxfw_u64 v)
{
	agxfw_U64 x = { .v = v };
	return x;
}

#define AGXFW_SIZE_CHECK(type, size)                                      \
	_Static_assert(sizeof(type) == (size), "sizeof(" #type ") != " #size)
#define AGXFW_OFFSET_CHECK(type, member, offset)                          \
	_Static_assert(offsetof(type, member) == (offset),                \
		       "offsetof(" #type ", " #member ") != " #offset)

#endif /* AGXFW_COMPAT_H */
