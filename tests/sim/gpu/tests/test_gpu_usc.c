/* SPDX-License-Identifier: MIT */
/*
 * USC word-list parsing. The words are built here by hand from the bit
 * positions in mesa-asahi-facts.md 2.6 (not with the genxml packers), so
 * a layout mistake in agx_hw.xml and in the parser cannot cancel out.
 */
#include <errno.h>
#include <string.h>

#include "agx_test.h"
#include "agxsim/mmu_fault.h"
#include "agxsim/usc.h"
#include "gpu_test_util.h"

#define USC_BASE FLAT_VA
#define LIST_OFF 0x1000u
#define DATA_VA  (FLAT_VA + 0x20000)

static struct flat_mem fm;
static struct agxsim_mem_if mem;
static uint8_t *list;
static unsigned pos;

static void reset(void)
{
	flat_fini(&fm);
	flat_init(&fm, &mem, AGXSIM_UNIT_dCDM_KS0);
	list = flat_ptr(&fm, USC_BASE + LIST_OFF);
	pos = 0;
}

static void put(uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		list[pos++] = (uint8_t)(v >> (8 * i));
}

static void w_uniform(bool high, unsigned start, unsigned size, uint64_t buf)
{
	put((high ? 0x3dull : 0x1dull) | (uint64_t)start << 8 |
	    (uint64_t)(size & 63) << 20 | (buf >> 2) << 26, 8);
}

static void w_desc(uint8_t tag, unsigned start, unsigned count, uint64_t buf)
{
	put(tag | (uint64_t)start << 8 | (uint64_t)count << 20 | (buf >> 3) << 27, 8);
}

static void w_shared(bool uses, unsigned layout, unsigned bytes)
{
	put(0x4d | (uses ? 1u << 8 : 0) | layout << 10 | ((bytes / 256) & 255) << 24, 4);
}

static void w_shader(uint32_t code, bool varyings)
{
	put(0x0d | (varyings ? 1ull << 8 : 0) | 3ull << 10 | (uint64_t)code << 16, 6);
}

static void w_regs(unsigned count)
{
	put(0x8d | ((count / 8) & 31) << 8, 4);
}

static void w_nopre(void)
{
	put(0x88, 2);
}

static void w_pre(uint32_t code)
{
	put(0x38 | 0xc08000ull << 8 | (uint64_t)code << 32, 8);
}

static void w_tail(void)
{
	w_shared(false, 0x24, 0);
	w_shader(0x400, false);
	w_regs(16);
	w_nopre();
}

static struct agxsim_usc_binding b;
static struct agxsim_gpu_error err;

static int parse(enum agxsim_usc_stage st, const struct agxsim_usc_counts *c)
{
	return agxsim_usc_parse(&mem, USC_BASE, LIST_OFF, st, c, &b, NULL, &err);
}

AGX_TEST(full_compute_list)
{
	uint16_t *u;
	uint8_t *tex, *smp;

	reset();
	u = flat_ptr(&fm, DATA_VA);
	tex = flat_ptr(&fm, DATA_VA + 0x1000);
	smp = flat_ptr(&fm, DATA_VA + 0x2000);
	for (unsigned i = 0; i < 128; i++)
		u[i] = (uint16_t)(0x1000 + i);
	for (unsigned i = 0; i < 72; i++)
		tex[i] = (uint8_t)(i * 7 + 1);
	for (unsigned i = 0; i < 8; i++)
		smp[i] = (uint8_t)(0xa0 + i);

	w_uniform(false, 4, 6, DATA_VA);             /* u2l..u4h <- halves 0..5 */
	w_uniform(true, 10, 3, DATA_VA + 0x40);      /* halves 266..268 <- 32..34 */
	w_desc(0xdd, 1, 3, DATA_VA + 0x1000);        /* ts1..ts3 */
	w_desc(0x9d, 2, 1, DATA_VA + 0x2000);        /* ss2 */
	w_shared(true, 0x24, 512);
	w_shader(0x12340, false);
	w_regs(24);
	w_nopre();

	AGX_REQUIRE(parse(AGXSIM_USC_STAGE_COMPUTE, NULL) == 0, "%s", err.msg);
	AGX_CHECK_EQ(b.word_count, 8u);
	AGX_CHECK_EQ(b.list_size_B, 4u * 8 + 4 + 6 + 4 + 2);
	for (unsigned h = 0; h < 512; h++) {
		uint16_t want = 0;
		if (h >= 4 && h < 10)
			want = (uint16_t)(0x1000 + h - 4);
		if (h >= 266 && h < 269)
			want = (uint16_t)(0x1000 + 32 + h - 266);
		AGX_CHECK(b.uniforms[h] == want, "half %u: %04x want %04x", h, b.uniforms[h], want);
		bool loaded = (b.uniforms_loaded[h / 64] >> (h % 64)) & 1;
		AGX_CHECK(loaded == (want != 0), "half %u loaded=%d", h, loaded);
	}
	AGX_CHECK_EQ(b.texture_high, 4u);
	AGX_CHECK_EQ(b.textures_loaded[0], 0xeull);
	for (unsigned r = 1; r <= 3; r++)
		for (unsigned i = 0; i < 24; i++)
			AGX_CHECK_EQ(b.textures[r][i], (uint8_t)(((r - 1) * 24 + i) * 7 + 1));
	AGX_CHECK_EQ(b.samplers_loaded, 0x4u);
	for (unsigned i = 0; i < 8; i++)
		AGX_CHECK_EQ(b.samplers[2][i], (uint8_t)(0xa0 + i));
	AGX_CHECK(b.uses_shared_memory, "");
	AGX_CHECK_EQ(b.threadgroup_mem_B, 512u);
	AGX_CHECK_EQ(b.code_offset, 0x12340u);
	AGX_CHECK_EQ(b.pc, USC_BASE + 0x12340);
	AGX_CHECK_EQ(b.gpr_halves, 24u);
	AGX_CHECK(!b.has_preshader, "");
	AGX_CHECK(!b.loads_varyings, "");
}

AGX_TEST(genxml_packed_list_matches_the_documented_bits)
{
	uint8_t hand[64];
	unsigned n_hand;
	struct usc_desc u = {
		.uniform_start = 4, .uniform_halves = 6, .uniform_va = DATA_VA,
		.tg_mem_B = 512, .code_off = 0x12340, .gprs = 24,
		.textures = 3, .tex_va = DATA_VA + 0x1000,
	};

	/* The same list, once by hand from the facts' bit positions ... */
	reset();
	w_uniform(false, 4, 6, DATA_VA);
	w_desc(0xdd, 0, 3, DATA_VA + 0x1000);
	w_shared(true, 0x24, 512);
	w_shader(0x12340, false);
	w_regs(24);
	w_nopre();
	n_hand = pos;
	memcpy(hand, list, n_hand);

	/* ... and once with the genxml packers (AGX_PACK). */
	reset();
	unsigned n = write_usc(list, &u);
	AGX_CHECK_EQ(n, n_hand);
	for (unsigned i = 0; i < n && i < n_hand; i++)
		AGX_CHECK(list[i] == hand[i], "byte %u: packed %02x, documented %02x",
			  i, list[i], hand[i]);
	AGX_REQUIRE(parse(AGXSIM_USC_STAGE_COMPUTE, NULL) == 0, "%s", err.msg);
	AGX_CHECK_EQ(b.pc, USC_BASE + 0x12340);
	AGX_CHECK_EQ(b.texture_high, 3u);
	AGX_CHECK_EQ(b.threadgroup_mem_B, 512u);
	AGX_CHECK_EQ(b.gpr_halves, 24u);
	AGX_CHECK_EQ(b.uniforms_loaded[0], 0x3full << 4);
}

AGX_TEST(groups_zero_means_all)
{
	reset();
	/* Size field 0 = 64 halves; registers field 0 = 256; shared bytes 0 =
	 * 65536 (but not used: no threadgroup memory). */
	w_uniform(false, 0, 64, DATA_VA);
	w_shared(false, 0x24, 0);
	w_shader(0x400, false);
	w_regs(256);
	w_nopre();
	AGX_REQUIRE(parse(AGXSIM_USC_STAGE_COMPUTE, NULL) == 0, "%s", err.msg);
	AGX_CHECK_EQ(b.uniforms_loaded[0], ~0ull);
	AGX_CHECK_EQ(b.uniforms_loaded[1], 0ull);
	AGX_CHECK_EQ(b.gpr_halves, 256u);
	AGX_CHECK_EQ(b.shared_bytes_per_tg, 65536u);
	AGX_CHECK_EQ(b.threadgroup_mem_B, 0u);
}

AGX_TEST(preshader_word)
{
	reset();
	w_shared(false, 0x24, 0);
	w_shader(0x800, false);
	w_regs(8);
	w_pre(0x1c0);
	AGX_REQUIRE(parse(AGXSIM_USC_STAGE_VERTEX, NULL) == 0, "%s", err.msg);
	AGX_CHECK(b.has_preshader, "");
	AGX_CHECK_EQ(b.preshader_pc, USC_BASE + 0x1c0);
	AGX_CHECK_EQ(b.list_size_B, 4u + 6 + 4 + 8);
}

AGX_TEST(fragment_properties_only_in_fragment)
{
	reset();
	w_shared(true, 0x2f, 32 * 256);
	w_shader(0x800, true);
	w_regs(8);
	put(0x58 | 1u << 8 | 2u << 16, 4);   /* early-z, unk 16 = 2 */
	w_nopre();
	AGX_REQUIRE(parse(AGXSIM_USC_STAGE_FRAGMENT, NULL) == 0, "%s", err.msg);
	AGX_CHECK(b.has_fragment_props && b.early_z_testing, "");
	AGX_CHECK(b.loads_varyings, "");
	AGX_CHECK_EQ(b.shared_layout, 0x2fu);
	AGX_CHECK_EQ(b.fragment_props_raw, 0x58u | 1u << 8 | 2u << 16);

	AGX_CHECK_EQ(parse(AGXSIM_USC_STAGE_COMPUTE, NULL), -EPROTO);
	AGX_NOTE("%s", err.msg);
}

AGX_TEST(unknown_tag_rejected)
{
	reset();
	w_uniform(false, 0, 2, DATA_VA);
	put(0x42, 4);
	w_tail();
	AGX_CHECK_EQ(parse(AGXSIM_USC_STAGE_COMPUTE, NULL), -EPROTO);
	AGX_CHECK_EQ(err.va, USC_BASE + LIST_OFF + 8);
	AGX_CHECK(strstr(err.msg, "tag 0x42") && strstr(err.msg, "0x100001008"), "%s", err.msg);
}

AGX_TEST(reserved_bits_rejected)
{
	reset();
	w_shared(false, 0x24, 0);
	w_shader(0x400, false);
	put(0x8d | 2u << 8 | 1u << 15, 4);   /* bit 15 of Registers: reserved */
	w_nopre();
	AGX_CHECK_EQ(parse(AGXSIM_USC_STAGE_COMPUTE, NULL), -EPROTO);
	AGX_CHECK(strstr(err.msg, "Registers") && strstr(err.msg, "reserved"), "%s", err.msg);
	AGX_CHECK_EQ(err.va, USC_BASE + LIST_OFF + 10);
}

AGX_TEST(preshader_fixed_bits_checked)
{
	reset();
	w_shared(false, 0x24, 0);
	w_shader(0x400, false);
	w_regs(8);
	put(0x38 | 0xc08001ull << 8 | 0x100ull << 32, 8);
	AGX_CHECK_EQ(parse(AGXSIM_USC_STAGE_COMPUTE, NULL), -EPROTO);
	AGX_CHECK(strstr(err.msg, "Preshader"), "%s", err.msg);
}

AGX_TEST(bad_shared_layout_enum)
{
	reset();
	put(0x4d | 0x11u << 10, 4);          /* layout 0x11 is not a named value */
	w_shader(0x400, false);
	w_regs(8);
	w_nopre();
	AGX_CHECK_EQ(parse(AGXSIM_USC_STAGE_COMPUTE, NULL), -EPROTO);
	AGX_CHECK(strstr(err.msg, "Shared"), "%s", err.msg);
}

AGX_TEST(missing_and_duplicate_words)
{
	reset();
	w_shared(false, 0x24, 0);
	w_regs(8);
	w_nopre();
	AGX_CHECK_EQ(parse(AGXSIM_USC_STAGE_COMPUTE, NULL), -EPROTO);
	AGX_CHECK(strstr(err.msg, "without a Shader"), "%s", err.msg);

	reset();
	w_shared(false, 0x24, 0);
	w_shader(0x400, false);
	w_shader(0x500, false);
	w_regs(8);
	w_nopre();
	AGX_CHECK_EQ(parse(AGXSIM_USC_STAGE_COMPUTE, NULL), -EPROTO);
	AGX_CHECK(strstr(err.msg, "second USC Shader"), "%s", err.msg);
	AGX_CHECK_EQ(err.va, USC_BASE + LIST_OFF + 10);
}

AGX_TEST(no_terminator_is_bounded)
{
	reset();
	for (unsigned i = 0; i < AGXSIM_USC_MAX_LIST_B / 8 + 4; i++)
		w_uniform(false, 0, 1, DATA_VA);
	AGX_CHECK_EQ(parse(AGXSIM_USC_STAGE_COMPUTE, NULL), -EPROTO);
	AGX_CHECK(strstr(err.msg, "no Preshader"), "%s", err.msg);
}

AGX_TEST(unmapped_uniform_buffer_faults)
{
	reset();
	w_uniform(false, 0, 4, 0x7000000000ull);
	w_tail();
	AGX_CHECK_EQ(parse(AGXSIM_USC_STAGE_COMPUTE, NULL), -EFAULT);
	AGX_CHECK_EQ(err.fault.va, 0x7000000000ull);
	AGX_CHECK_EQ(err.fault.reason, AGXSIM_FAULT_UNMAPPED);
	AGX_CHECK_EQ(err.fault.unit, (uint32_t)AGXSIM_UNIT_dCDM_KS0);
}

AGX_TEST(unmapped_word_list_faults)
{
	reset();
	int r = agxsim_usc_parse(&mem, 0x900000000ull, 0x40, AGXSIM_USC_STAGE_COMPUTE,
				 NULL, &b, NULL, &err);
	AGX_CHECK_EQ(r, -EFAULT);
	AGX_CHECK_EQ(err.fault.va, 0x900000040ull);
}

AGX_TEST(misaligned_pipeline_rejected)
{
	reset();
	w_tail();
	int r = agxsim_usc_parse(&mem, USC_BASE, LIST_OFF + 0x20,
				 AGXSIM_USC_STAGE_COMPUTE, NULL, &b, NULL, &err);
	AGX_CHECK_EQ(r, -EPROTO);
	AGX_CHECK(strstr(err.msg, "64-byte"), "%s", err.msg);
}

AGX_TEST(declared_counts_enforced)
{
	struct agxsim_usc_counts c = { .uniform_halves = 64, .textures = 8, .samplers = 4 };

	reset();
	w_uniform(false, 60, 8, DATA_VA);    /* halves 60..67 > 64 declared */
	w_tail();
	AGX_CHECK_EQ(parse(AGXSIM_USC_STAGE_COMPUTE, &c), -EPROTO);
	AGX_CHECK(strstr(err.msg, "declared uniform count 64"), "%s", err.msg);

	reset();
	w_desc(0x9d, 3, 2, DATA_VA);         /* ss3..ss4 > 4 declared */
	w_tail();
	AGX_CHECK_EQ(parse(AGXSIM_USC_STAGE_COMPUTE, &c), -EPROTO);

	reset();
	w_desc(0x9d, 17, 1, DATA_VA);        /* past the 16 sampler registers */
	w_tail();
	AGX_CHECK_EQ(parse(AGXSIM_USC_STAGE_COMPUTE, NULL), -EPROTO);

	reset();
	w_uniform(true, 250, 10, DATA_VA);   /* 506..515: past the file */
	w_tail();
	AGX_CHECK_EQ(parse(AGXSIM_USC_STAGE_COMPUTE, NULL), -EPROTO);
}

AGX_TEST(extended_samplers_read_border)
{
	struct agxsim_usc_counts c = { .uniform_halves = 512, .textures = 256,
				       .samplers = 8, .samplers_extended = true };
	uint8_t *smp;

	reset();
	smp = flat_ptr(&fm, DATA_VA);
	for (unsigned i = 0; i < 48; i++)
		smp[i] = (uint8_t)(i + 1);
	w_desc(0x9d, 0, 2, DATA_VA);
	w_tail();
	AGX_REQUIRE(parse(AGXSIM_USC_STAGE_COMPUTE, &c) == 0, "%s", err.msg);
	AGX_CHECK(b.samplers_extended, "");
	for (unsigned i = 0; i < 24; i++) {
		AGX_CHECK_EQ(b.samplers[0][i], (uint8_t)(i + 1));
		AGX_CHECK_EQ(b.samplers[1][i], (uint8_t)(24 + i + 1));
	}
}

AGX_TEST(words_after_shader_rejected)
{
	reset();
	w_shared(false, 0x24, 0);
	w_shader(0x400, false);
	w_uniform(false, 0, 2, DATA_VA);
	w_regs(8);
	w_nopre();
	AGX_CHECK_EQ(parse(AGXSIM_USC_STAGE_COMPUTE, NULL), -EPROTO);
}

AGX_TEST(counts_word_decoded)
{
	struct agxsim_usc_counts c;
	/* uniforms 2 groups of 64, textures 3 groups of 8, sampler states
	 * "8 extended" (6), preshader 1 group of 16, CF bindings 5. */
	uint32_t w = 2u << 1 | 3u << 4 | 6u << 9 | 1u << 12 | 5u << 16;

	AGX_REQUIRE(agxsim_usc_decode_counts(w, &c, &err) == 0, "%s", err.msg);
	AGX_CHECK_EQ(c.uniform_halves, 128u);
	AGX_CHECK_EQ(c.textures, 24u);
	AGX_CHECK_EQ(c.samplers, 8u);
	AGX_CHECK(c.samplers_extended, "");
	AGX_CHECK_EQ(c.preshader_regs, 16u);
	AGX_CHECK_EQ(agxsim_usc_decode_counts((w & ~(7u << 9)) | 5u << 9, &c, &err), -EPROTO);
	AGX_CHECK_EQ(agxsim_usc_decode_counts(1u << 30, &c, &err), -EPROTO);
}

AGX_TEST_MAIN()
