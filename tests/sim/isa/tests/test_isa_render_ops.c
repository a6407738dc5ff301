/* SPDX-License-Identifier: MIT */
/*
 * test_isa_render_ops.c - the test assembler's varying, tile, block-store
 * and fragment-output encodings decode to the intended instruction with
 * the intended documented fields (decode_fields_table.c), and without a
 * hook each of them faults instead of executing.
 */
#include <string.h>

#include "agx_test.h"
#include "agxsim_isa.h"
#include "asm.h"

static uint64_t field(const struct agx_insn *in, const char *name)
{
	struct agx_field f[32];
	unsigned n = agx_insn_fields(in, f, 32);
	for (unsigned i = 0; i < n && i < 32; i++)
		if (!strcmp(f[i].name, name))
			return f[i].value;
	return ~0ull;
}

static void dec(const struct asm_buf *b, struct agx_insn *in, enum agx_op op, unsigned size)
{
	unsigned n = agx_decode(b->b, b->len, in);
	AGX_CHECK(n == size && n == b->len, "length %u, assembled %zu, want %u", n, b->len, size);
	AGX_CHECK(in->op == op, "op %s", agx_op_name(in->op));
}

AGX_TEST(st_var_fields)
{
	struct asm_buf b = { .len = 0 };
	struct agx_insn in;
	asm_st_var(&b, 37, 70, false);
	dec(&b, &in, AGX_OP_ST_VAR, 4);
	AGX_CHECK_EQ(field(&in, "r"), 37);
	AGX_CHECK_EQ(field(&in, "I"), 70);
	AGX_CHECK_EQ(field(&in, "It"), 1);
	b.len = 0;
	asm_st_var(&b, 3, 5, true);
	dec(&b, &in, AGX_OP_ST_VAR_FINAL, 4);
}

AGX_TEST(iter_ldcf_fields)
{
	struct asm_buf b = { .len = 0 };
	struct agx_insn in;
	asm_iter(&b, false, R(4), 3, 2, 0, 0, 0);
	dec(&b, &in, AGX_OP_ITER, 4);
	AGX_CHECK_EQ(field(&in, "D"), 8);
	AGX_CHECK_EQ(field(&in, "Dt"), 1);
	AGX_CHECK_EQ(field(&in, "count"), 3);
	AGX_CHECK_EQ(field(&in, "I"), 2);
	b.len = 0;
	asm_iter(&b, true, H(80), 4, 70, 65, 1, 3);   /* long form: high bits */
	dec(&b, &in, AGX_OP_ITERPROJ, 8);
	AGX_CHECK_EQ(field(&in, "D"), 80);
	AGX_CHECK_EQ(field(&in, "Dt"), 0);
	AGX_CHECK_EQ(field(&in, "count"), 0);        /* 0 encodes 4 */
	AGX_CHECK_EQ(field(&in, "I"), 70);
	AGX_CHECK_EQ(field(&in, "J"), 65);
	AGX_CHECK_EQ(field(&in, "interpolation"), 1);
	AGX_CHECK_EQ(field(&in, "S"), 3);
	b.len = 0;
	asm_ldcf(&b, R(10), 1, 6);
	dec(&b, &in, AGX_OP_LDCF, 4);
	AGX_CHECK_EQ(field(&in, "I"), 6);
}

AGX_TEST(tile_fields)
{
	struct asm_buf b = { .len = 0 };
	struct agx_insn in;
	asm_tile(&b, false, 4, 0xf, R(40), 200, 0xff);
	dec(&b, &in, AGX_OP_LD_ST_TILE, 8);
	AGX_CHECK_EQ(field(&in, "load"), 0);
	AGX_CHECK_EQ(field(&in, "R"), 80);
	AGX_CHECK_EQ(field(&in, "Rt"), 1);
	AGX_CHECK_EQ(field(&in, "F"), 4);
	AGX_CHECK_EQ(field(&in, "mask"), 0xf);
	AGX_CHECK_EQ(field(&in, "O"), 200);
	AGX_CHECK_EQ(field(&in, "S"), 0xff);
	AGX_CHECK_EQ(field(&in, "St"), 0);
	AGX_CHECK_EQ(field(&in, "C"), 0);
	b.len = 0;
	asm_tile(&b, true, 3, 0x5, H(6), 8, 2);
	dec(&b, &in, AGX_OP_LD_ST_TILE, 8);
	AGX_CHECK_EQ(field(&in, "load"), 1);
	AGX_CHECK_EQ(field(&in, "Rt"), 0);
	AGX_CHECK_EQ(field(&in, "mask"), 5);
}

AGX_TEST(block_store_and_fragment_output_fields)
{
	struct asm_buf b = { .len = 0 };
	struct agx_insn in;
	asm_image_write_block(&b, 4, 3, 4);
	dec(&b, &in, AGX_OP_IMAGE_WRITE_BLOCK, 10);
	AGX_CHECK_EQ(field(&in, "R"), 8);
	AGX_CHECK_EQ(field(&in, "T"), 3);
	AGX_CHECK_EQ(field(&in, "Tt"), 0);
	AGX_CHECK_EQ(field(&in, "F"), 4);
	AGX_CHECK_EQ(field(&in, "n"), 2);
	b.len = 0;
	asm_image_write_block_dim(&b, 4, 3, 4, 8);
	dec(&b, &in, AGX_OP_IMAGE_WRITE_BLOCK, 10);
	AGX_CHECK_EQ(field(&in, "n"), 8);
	b.len = 0;
	asm_sample_mask(&b, 0xff, 0);
	dec(&b, &in, AGX_OP_SAMPLE_MASK, 4);
	AGX_CHECK_EQ(field(&in, "S"), 0xff);
	AGX_CHECK_EQ(field(&in, "St"), 1);
	AGX_CHECK_EQ(field(&in, "M"), 0);
	AGX_CHECK_EQ(field(&in, "Mt"), 1);
	b.len = 0;
	asm_zs_emit(&b, 0xff, 12, true, true);
	dec(&b, &in, AGX_OP_ZS_EMIT, 4);
	AGX_CHECK_EQ(field(&in, "T"), 12);
	AGX_CHECK_EQ(field(&in, "z"), 1);
	AGX_CHECK_EQ(field(&in, "s"), 1);
}

AGX_TEST(texture_load_fields)
{
	struct asm_buf b = { .len = 0 };
	struct agx_insn in;
	asm_texture_load(&b, R(6), 4, 2, 0xf);
	dec(&b, &in, AGX_OP_TEXTURE_LOAD, 8);
	AGX_CHECK_EQ(field(&in, "R"), 12);
	AGX_CHECK_EQ(field(&in, "Rt"), 1);
	AGX_CHECK_EQ(field(&in, "C"), 8);
	AGX_CHECK_EQ(field(&in, "T"), 2);
	AGX_CHECK_EQ(field(&in, "n"), 2);
	AGX_CHECK_EQ(field(&in, "lod"), 0);
	AGX_CHECK_EQ(in.comp_mask, 0xf);
	AGX_CHECK_EQ(in.dst.count, 4);
	b.len = 0;
	asm_texture_load(&b, R(100), 4, 70, 0x3);   /* long form */
	dec(&b, &in, AGX_OP_TEXTURE_LOAD, 12);
	AGX_CHECK_EQ(field(&in, "R"), 200);
	AGX_CHECK_EQ(field(&in, "T"), 70);
}

AGX_TEST(no_hook_faults)
{
	/* Without hooks these instructions must not execute silently. */
	struct asm_buf bufs[6];
	memset(bufs, 0, sizeof(bufs));
	asm_st_var(&bufs[0], 3, 0, false);
	asm_iter(&bufs[1], false, R(4), 1, 0, 0, 0, 0);
	asm_tile(&bufs[2], false, 4, 0xf, R(4), 0, 0xff);
	asm_image_write_block(&bufs[3], 4, 0, 4);
	asm_sample_mask(&bufs[4], 0xff, 0);
	asm_zs_emit(&bufs[5], 0xff, 4, true, false);
	for (unsigned i = 0; i < 6; i++) {
		struct agx_insn in;
		AGX_REQUIRE(agx_decode(bufs[i].b, bufs[i].len, &in) == bufs[i].len);
		static struct agxsim_isa_state s;
		memset(&s, 0, sizeof(s));
		agxsim_isa_init(&s, 1, 0, NULL);
		enum agxsim_isa_status st = agxsim_isa_exec(&s, &in);
		AGX_CHECK(st == AGXSIM_ISA_FAULT_UNIMPL || st == AGXSIM_ISA_FAULT_ILLEGAL,
			  "%s: %s", in.name, agxsim_isa_status_name(st));
	}
}

AGX_TEST_MAIN()
