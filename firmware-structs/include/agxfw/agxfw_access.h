/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * agxfw_access.h - the thin version-independent layer over the generated
 * per-combination firmware types.
 *
 * The combination (GPU generation x firmware ABI) is chosen once, at probe,
 * with agxfw_combo_select(); the resulting `const struct agxfw_layout *`
 * is kept in the device and everything above it is written once:
 *
 *	const struct agxfw_layout *fw = agxfw_layout_get(combo);
 *	void *msg = ring_slot(...);            // fw->struct_size[AGXFW_S_RunWorkQueueMsg] bytes
 *	agxfw_set(fw, msg, AGXFW_F_RunWorkQueueMsg__wptr, wptr);
 *
 * Field ids are AGXFW_F_<Struct>__<member>[__<member>...]; members of
 * nested structs are flattened, arrays keep one index (agxfw_set_idx).
 * A field that does not exist in the chosen combination has
 * agxfw_has() == false; agxfw_set() on it returns -1 and writes nothing,
 * agxfw_get() returns 0.
 *
 * Code that is itself per-combination (like the Rust driver's
 * monomorphised builders) can use the generated struct types directly:
 * struct agxfw_g13_v13_5_run_vertex etc. from agxfw/gen/agxfw_<combo>.h.
 */
#ifndef AGXFW_ACCESS_H
#define AGXFW_ACCESS_H

#include "agxfw_compat.h"
#include "gen/agxfw_ids.h"

enum agxfw_gen {
	AGXFW_GEN_G13,
	AGXFW_GEN_G14,		/* G14G (M2) */
	AGXFW_GEN_G14X,		/* G14S/C/D (M2 Pro/Max/Ultra) */
};

enum agxfw_kind {
	AGXFW_KIND_UINT,	/* little-endian unsigned, 1/2/4/8 bytes */
	AGXFW_KIND_SINT,	/* little-endian signed */
	AGXFW_KIND_F32,		/* IEEE single, as bits */
	AGXFW_KIND_GPTR,	/* 64-bit GPU VA (4- or 1-byte aligned) */
	AGXFW_KIND_BYTES,	/* opaque byte range: use agxfw_ptr() */
};

struct agxfw_field {
	agxfw_u32 offset;	/* of element 0, from the struct start */
	agxfw_u16 size;		/* of one element; 0 = absent in this combo */
	agxfw_u16 count;	/* elements (1 for scalars) */
	agxfw_u32 stride;	/* bytes between elements */
	agxfw_u32 kind;		/* enum agxfw_kind */
};

struct agxfw_const {
	agxfw_u64 value;
	agxfw_u32 present;
};

struct agxfw_layout {
	const char *name;	/* "G13-13.5", as layout-dump prints it */
	enum agxfw_gen gen;
	agxfw_u32 fw_major, fw_minor;
	const agxfw_u32 *struct_size;		/* [AGXFW_S_COUNT], 0 = absent */
	const char *const *struct_name;		/* [AGXFW_S_COUNT] */
	const struct agxfw_field *fields;	/* [AGXFW_F_COUNT] */
	const struct agxfw_const *consts;	/* [AGXFW_C_COUNT] */
};

extern const struct agxfw_layout agxfw_layouts[AGXFW_COMBO_COUNT];

/*
 * Pick the combination for a GPU generation and the firmware ABI version
 * from the device tree (apple,firmware-abi / -compat: major, minor, patch).
 * Returns AGXFW_COMBO_COUNT when the pair is not supported, like the Rust
 * driver's "Unsupported GPU/firmware combination".
 */
static inline enum agxfw_combo agxfw_combo_select(enum agxfw_gen gen,
						  agxfw_u32 major,
						  agxfw_u32 minor,
						  agxfw_u32 patch)
{
	if (patch != 0)
		return AGXFW_COMBO_COUNT;
	if (gen == AGXFW_GEN_G13 && major == 12 && minor == 3)
		return AGXFW_G13_V12_3;
	if (gen == AGXFW_GEN_G14 && major == 12 && minor == 4)
		return AGXFW_G14_V12_4;
	if (major == 13 && minor == 5) {
		switch (gen) {
		case AGXFW_GEN_G13:
			return AGXFW_G13_V13_5;
		case AGXFW_GEN_G14:
			return AGXFW_G14_V13_5;
		case AGXFW_GEN_G14X:
			return AGXFW_G14X_V13_5;
		}
	}
	return AGXFW_COMBO_COUNT;
}

static inline const struct agxfw_layout *agxfw_layout_get(enum agxfw_combo c)
{
	if ((unsigned int)c >= AGXFW_COMBO_COUNT)
		return NULL;
	return &agxfw_layouts[c];
}

static inline agxfw_u32 agxfw_sizeof(const struct agxfw_layout *l,
				     enum agxfw_struct_id s)
{
	return l->struct_size[s];
}

static inline int agxfw_has(const struct agxfw_layout *l,
			    enum agxfw_field_id f)
{
	return l->fields[f].size != 0;
}

static inline agxfw_u32 agxfw_offsetof(const struct agxfw_layout *l,
				       enum agxfw_field_id f)
{
	return l->fields[f].offset;
}

static inline agxfw_u64 agxfw_const_get(const struct agxfw_layout *l,
					enum agxfw_const_id c)
{
	return l->consts[c].value;
}

/* Address of element idx of field f inside buf, or NULL if absent. */
static inline void *agxfw_ptr_idx(const struct agxfw_layout *l, void *buf,
				  enum agxfw_field_id f, unsigned int idx)
{
	const struct agxfw_field *d = &l->fields[f];

	if (!d->size || idx >= d->count)
		return NULL;
	return (agxfw_u8 *)buf + d->offset + (size_t)idx * d->stride;
}

static inline void *agxfw_ptr(const struct agxfw_layout *l, void *buf,
			      enum agxfw_field_id f)
{
	return agxfw_ptr_idx(l, buf, f, 0);
}

/* Byte-wise little-endian stores/loads: no alignment assumptions. */
static inline int agxfw_set_idx(const struct agxfw_layout *l, void *buf,
				enum agxfw_field_id f, unsigned int idx,
				agxfw_u64 v)
{
	const struct agxfw_field *d = &l->fields[f];
	agxfw_u8 *p = agxfw_ptr_idx(l, buf, f, idx);
	unsigned int i;

	if (!p || d->kind == AGXFW_KIND_BYTES || d->size > 8)
		return -1;
	for (i = 0; i < d->size; i++)
		p[i] = (agxfw_u8)(v >> (8 * i));
	return 0;
}

static inline int agxfw_set(const struct agxfw_layout *l, void *buf,
			    enum agxfw_field_id f, agxfw_u64 v)
{
	return agxfw_set_idx(l, buf, f, 0, v);
}

static inline agxfw_u64 agxfw_get_idx(const struct agxfw_layout *l,
				      const void *buf, enum agxfw_field_id f,
				      unsigned int idx)
{
	const struct agxfw_field *d = &l->fields[f];
	const agxfw_u8 *p = agxfw_ptr_idx(l, (void *)buf, f, idx);
	agxfw_u64 v = 0;
	unsigned int i;

	if (!p || d->kind == AGXFW_KIND_BYTES || d->size > 8)
		return 0;
	for (i = 0; i < d->size; i++)
		v |= (agxfw_u64)p[i] << (8 * i);
	if (d->kind == AGXFW_KIND_SINT && d->size < 8 &&
	    (v >> (8 * d->size - 1)) & 1)
		v |= ~(agxfw_u64)0 << (8 * d->size);
	return v;
}

static inline agxfw_u64 agxfw_get(const struct agxfw_layout *l,
				  const void *buf, enum agxfw_field_id f)
{
	return agxfw_get_idx(l, buf, f, 0);
}

#endif /* AGXFW_ACCESS_H */
