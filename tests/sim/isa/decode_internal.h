/* SPDX-License-Identifier: MIT */
/* decode_internal.h - raw-bit helpers shared by the decoder files. */
#ifndef AGXSIM_DECODE_INTERNAL_H
#define AGXSIM_DECODE_INTERNAL_H

#include "agxsim_isa.h"

struct agx_enc_row {
	enum agx_op op;
	const char *name;
	uint8_t size_short_B, size_long_B, length_bit;
	uint64_t mask_lo;
	uint32_t mask_hi;
	uint64_t bits_lo;
	uint32_t bits_hi;
};

struct agx_enc_part {
	uint8_t start, size;
};

struct agx_enc_field {
	const char *name;
	uint8_t nparts;
	struct agx_enc_part part[3];
};

struct agx_enc_fields {
	const struct agx_enc_field *fields;
	unsigned count;
};

extern const struct agx_enc_row agx_enc_table[];
extern const struct agx_enc_fields agx_enc_fields[]; /* same order as agx_enc_table */
extern const unsigned agx_enc_table_len;

/* An instruction word of up to 96 bits. */
struct agx_word {
	uint64_t lo;
	uint32_t hi;
};

static inline uint32_t agx_bits(const struct agx_word *w, unsigned start, unsigned n)
{
	uint64_t v;

	if (start >= 64)
		v = (uint64_t)w->hi >> (start - 64);
	else if (start + n <= 64)
		v = w->lo >> start;
	else
		v = (w->lo >> start) | ((uint64_t)w->hi << (64 - start));
	return (uint32_t)(v & ((n >= 32) ? 0xffffffffull : ((1ull << n) - 1)));
}

#endif
