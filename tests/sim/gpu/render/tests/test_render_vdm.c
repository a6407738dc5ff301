/* SPDX-License-Identifier: MIT */
/*
 * test_render_vdm.c - VDM control streams and PPP updates, hand-packed
 * with agx_pack.h: well-formed streams run, malformed words are rejected
 * with a fault and a message, links and returns are followed, bounds hold.
 *
 * The fixture's stream is: barrier @0, PPP State @8, VDM State (+4 words,
 * padding) @16, Index List (+count, instances, start) @40, Stream
 * Terminate @56.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agx_test.h"
#include "fixture.h"

static const float RED[4] = { 1, 0, 0, 1 }, GREY[4] = { 0.25f, 0.25f, 0.25f, 1 };

static float tri[3 * 8];

static void setup_prim(struct fx *f, struct fx_scene *sc, unsigned prim);

static void setup(struct fx *f, struct fx_scene *sc)
{
	setup_prim(f, sc, AGX_PRIMITIVE_TRIANGLES);
}

static void setup_prim(struct fx *f, struct fx_scene *sc, unsigned prim)
{
	fx_init(f);
	memset(sc, 0, sizeof(*sc));
	sc->width = 32;
	sc->height = 32;
	sc->tw = 32;
	sc->th = 32;
	sc->samples = 1;
	memcpy(sc->clear, GREY, 16);
	sc->prim = prim;
	sc->shade = AGX_SHADE_MODEL_FLAT_VERTEX_0;
	const float pos[3][2] = { { -1, 1 }, { 1, 1 }, { -1, -1 } };   /* upper-left half */
	for (unsigned i = 0; i < 3; i++) {
		float *v = tri + 8 * i;
		v[0] = pos[i][0];
		v[1] = pos[i][1];
		v[2] = 0.5f;
		v[3] = 1;
		memcpy(v + 4, RED, 16);
	}
	sc->verts = tri;
	sc->nverts = 3;
	fx_build_scene(f, sc);
}

static int run(struct fx *f, struct fx_scene *sc, struct agxsim_fault *fault,
	       struct agxsim_render_result *res)
{
	return agxsim_render_pass(&f->env, &sc->cmd, fault, res);
}

static uint32_t *word(struct fx *f, struct fx_scene *sc, unsigned off)
{
	return fx_ptr(f, sc->vdm + off);
}

AGX_TEST(well_formed_stream_runs)
{
	struct fx f;
	struct fx_scene sc;
	setup(&f, &sc);
	struct agxsim_render_result res;
	int r = run(&f, &sc, NULL, &res);
	AGX_REQUIRE(r == 0, "%d %s", r, res.msg);
	AGX_CHECK_EQ(res.vdm_blocks, 5);
	AGX_CHECK_EQ(res.draws, 1);
	AGX_CHECK_EQ(res.vertices_shaded, 3);
	AGX_CHECK_EQ(res.primitives_binned, 1);
	AGX_CHECK(fx_pixel(&f, &sc, 2, 2) == 0xff0000ffu, "0x%08x", fx_pixel(&f, &sc, 2, 2));
	AGX_CHECK(fx_pixel(&f, &sc, 30, 30) == 0xff404040u, "0x%08x", fx_pixel(&f, &sc, 30, 30));
	fx_fini(&f);
}

AGX_TEST(trace_prints_words)
{
	struct fx f;
	struct fx_scene sc;
	setup(&f, &sc);
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	f.env.trace = fp;
	struct agxsim_render_result res;
	int r = run(&f, &sc, NULL, &res);
	fclose(fp);
	AGX_CHECK(r == 0, "%d %s", r, res.msg);
	AGX_CHECK(buf && strstr(buf, "Index List") && strstr(buf, "ppp_header") &&
		  strstr(buf, "Stream Terminate") && strstr(buf, "PBE"), "trace:\n%.400s", buf);
	free(buf);
	fx_fini(&f);
}

static void expect_fail(struct fx *f, struct fx_scene *sc, int err, const char *needle)
{
	struct agxsim_fault fault;
	struct agxsim_render_result res;
	int r = run(f, sc, &fault, &res);
	AGX_CHECK(r == err, "got %d want %d (%s)", r, err, res.msg);
	AGX_CHECK(strstr(res.msg, needle) != NULL, "message '%s' lacks '%s'", res.msg, needle);
}

AGX_TEST(unknown_block_type_rejected)
{
	struct fx f;
	struct fx_scene sc;
	setup(&f, &sc);
	*word(&f, &sc, 0) = 7u << 29;
	expect_fail(&f, &sc, -EINVAL, "block type 7");
	*word(&f, &sc, 0) = 5u << 29;
	expect_fail(&f, &sc, -EINVAL, "tessellation");
	fx_fini(&f);
}

AGX_TEST(reserved_bits_rejected)
{
	struct fx f;
	struct fx_scene sc;
	setup(&f, &sc);
	*word(&f, &sc, 0) |= 1u << 0;       /* barrier: undescribed bit */
	expect_fail(&f, &sc, -EINVAL, "vdm_barrier");
	*word(&f, &sc, 0) &= ~1u;
	*word(&f, &sc, 16) |= 1u << 6;      /* VDM State: undescribed bit */
	expect_fail(&f, &sc, -EINVAL, "vdm_state");
	*word(&f, &sc, 16) &= ~(1u << 6);
	*word(&f, &sc, 40) |= 1u << 25;     /* Index List: unknown optional words */
	expect_fail(&f, &sc, -EINVAL, "unk 1/2");
	fx_fini(&f);
}

AGX_TEST(ppp_size_mismatch_rejected)
{
	struct fx f;
	struct fx_scene sc;
	setup(&f, &sc);
	struct agx_ppp_state ps;
	AGX_REQUIRE(agx_unpack_ppp_state(word(&f, &sc, 8), &ps) == 0);
	ps.size_words += 1;
	agx_pack_ppp_state(word(&f, &sc, 8), &ps);
	expect_fail(&f, &sc, -EINVAL, "header describes");
	ps.size_words -= 2;
	agx_pack_ppp_state(word(&f, &sc, 8), &ps);
	expect_fail(&f, &sc, -EINVAL, "runs past");
	fx_fini(&f);
}

AGX_TEST(unmapped_ppp_faults)
{
	struct fx f;
	struct fx_scene sc;
	setup(&f, &sc);
	struct agx_ppp_state ps;
	AGX_REQUIRE(agx_unpack_ppp_state(word(&f, &sc, 8), &ps) == 0);
	ps.pointer_hi = 0x7;
	ps.pointer_lo = 0x1000;
	agx_pack_ppp_state(word(&f, &sc, 8), &ps);
	struct agxsim_fault fault;
	struct agxsim_render_result res;
	int r = run(&f, &sc, &fault, &res);
	AGX_CHECK(r == -EFAULT, "%d %s", r, res.msg);
	AGX_CHECK(fault.va == 0x700001000ull && fault.reason == AGXSIM_FAULT_UNMAPPED,
		  "va 0x%llx reason %d", (unsigned long long)fault.va, fault.reason);
	fx_fini(&f);
}

AGX_TEST(zero_instances_and_bad_primitive_rejected)
{
	struct fx f;
	struct fx_scene sc;
	setup(&f, &sc);
	*word(&f, &sc, 48) = 0;             /* instances */
	expect_fail(&f, &sc, -EINVAL, "instance count 0");
	*word(&f, &sc, 48) = 1;
	struct agx_index_list il;
	AGX_REQUIRE(agx_unpack_index_list(word(&f, &sc, 40), &il) == 0);
	il.primitive = AGX_PRIMITIVE_QUADS;
	agx_pack_index_list(word(&f, &sc, 40), &il);
	expect_fail(&f, &sc, -EINVAL, "Quads");
	fx_fini(&f);
}

AGX_TEST(link_with_return_and_returning_barrier)
{
	struct fx f;
	struct fx_scene sc;
	setup(&f, &sc);
	/* Move the Index List (16 bytes) into a sub-stream ending with a
	 * returning barrier, and link to it with return. */
	uint8_t sub[32] = { 0 };
	memcpy(sub, word(&f, &sc, 40), 16);
	AGX_PACK(sub + 16, VDM_BARRIER, cfg) {
		cfg.returns = true;
	}
	uint64_t sva = fx_put(&f, sub, sizeof(sub), 64);
	AGX_PACK(word(&f, &sc, 40), VDM_STREAM_LINK, cfg) {
		cfg.target_hi = (uint32_t)(sva >> 32);
		cfg.target_lo = (uint32_t)sva;
		cfg.with_return = true;
	}
	memset(word(&f, &sc, 48), 0, 32);
	AGX_PACK(word(&f, &sc, 48), VDM_STREAM_TERMINATE, cfg) {
	}
	struct agxsim_render_result res;
	int r = run(&f, &sc, NULL, &res);
	AGX_CHECK(r == 0, "%d %s", r, res.msg);
	AGX_CHECK_EQ(res.draws, 1);
	AGX_CHECK(fx_pixel(&f, &sc, 2, 2) == 0xff0000ffu, "0x%08x", fx_pixel(&f, &sc, 2, 2));
	fx_fini(&f);
}

AGX_TEST(link_loop_is_bounded)
{
	struct fx f;
	struct fx_scene sc;
	setup(&f, &sc);
	AGX_PACK(word(&f, &sc, 0), VDM_STREAM_LINK, cfg) {
		cfg.target_hi = (uint32_t)(sc.vdm >> 32);
		cfg.target_lo = (uint32_t)sc.vdm;
	}
	expect_fail(&f, &sc, -ETIMEDOUT, "links");
	fx_fini(&f);
}

AGX_TEST(returning_barrier_without_call_rejected)
{
	struct fx f;
	struct fx_scene sc;
	setup(&f, &sc);
	AGX_PACK(word(&f, &sc, 0), VDM_BARRIER, cfg) {
		cfg.returns = true;
	}
	expect_fail(&f, &sc, -EINVAL, "returning barrier");
	fx_fini(&f);
}

AGX_TEST(unknown_usc_tag_rejected)
{
	struct fx f;
	struct fx_scene sc;
	setup(&f, &sc);
	struct agx_vdm_state_vertex_shader_word_1 w1;
	AGX_REQUIRE(agx_unpack_vdm_state_vertex_shader_word_1(word(&f, &sc, 24), &w1) == 0);
	uint8_t *usc = fx_ptr(&f, FX_BASE + w1.pipeline);
	usc[0] = 0x77;
	expect_fail(&f, &sc, -EINVAL, "unknown USC word tag 0x77");
	fx_fini(&f);
}

AGX_TEST(bad_pass_registers_rejected)
{
	struct fx f;
	struct fx_scene sc;
	setup(&f, &sc);
	sc.cmd.samples = 3;
	expect_fail(&f, &sc, -EINVAL, "samples 3");
	sc.cmd.samples = 1;
	sc.cmd.utile_width_px = 8;
	expect_fail(&f, &sc, -EINVAL, "tile size");
	sc.cmd.utile_width_px = 32;
	sc.cmd.ppp_multisamplectl = 0x08;
	expect_fail(&f, &sc, -EINVAL, "pixel edge");
	sc.cmd.ppp_multisamplectl = 0x88;
	sc.cmd.sample_size_B = 16;   /* disagrees with the programs' Shared word */
	expect_fail(&f, &sc, -EINVAL, "disagrees");
	fx_fini(&f);
}

AGX_TEST(vertex_shader_without_position_rejected)
{
	struct fx f;
	struct fx_scene sc;
	setup(&f, &sc);
	/* Vertex outputs of 2 words: st_var to UVS 2+ is out of range. */
	AGX_PACK(word(&f, &sc, 28), VDM_STATE_VERTEX_OUTPUTS, cfg) {
		cfg.output_count_1 = 2;
		cfg.output_count_2 = 2;
	}
	expect_fail(&f, &sc, -EINVAL, "vertex outputs");
	fx_fini(&f);
}

AGX_TEST(indexed_strip_with_restart)
{
	struct fx f;
	fx_init(&f);
	struct fx_scene sc;
	memset(&sc, 0, sizeof(sc));
	sc.width = sc.height = 32;
	sc.tw = sc.th = 32;
	sc.samples = 1;
	memcpy(sc.clear, GREY, 16);
	sc.prim = AGX_PRIMITIVE_TRIANGLE_STRIP;
	sc.shade = AGX_SHADE_MODEL_FLAT_VERTEX_0;
	/* Two quads as strips separated by a restart; vertex colour red. */
	static float v[8 * 8];
	const float p[8][2] = { { -1, 1 }, { -1, 0 }, { -0.5f, 1 }, { -0.5f, 0 },
				{ 0, 0 }, { 0, -1 }, { 1, 0 }, { 1, -1 } };
	for (unsigned i = 0; i < 8; i++) {
		v[8 * i] = p[i][0];
		v[8 * i + 1] = p[i][1];
		v[8 * i + 2] = 0.5f;
		v[8 * i + 3] = 1;
		memcpy(v + 8 * i + 4, RED, 16);
	}
	static const uint16_t idx[9] = { 0, 1, 2, 3, 0xffff, 4, 5, 6, 7 };
	sc.verts = v;
	sc.nverts = 8;
	sc.idx = idx;
	sc.nidx = 9;
	fx_build_scene(&f, &sc);
	/* Turn on primitive restart in the Index List. */
	struct agx_index_list il;
	AGX_REQUIRE(agx_unpack_index_list(word(&f, &sc, 40), &il) == 0);
	il.restart_enable = true;
	agx_pack_index_list(word(&f, &sc, 40), &il);
	struct agxsim_render_result res;
	int r = run(&f, &sc, NULL, &res);
	AGX_REQUIRE(r == 0, "%d %s", r, res.msg);
	AGX_CHECK_EQ(res.primitives_in, 4);
	AGX_CHECK_EQ(res.vertices_shaded, 8);
	/* quad 1: x 0..8, y 0..16; quad 2: x 16..32, y 16..32 */
	unsigned bad = 0;
	for (unsigned y = 0; y < 32; y++)
		for (unsigned x = 0; x < 32; x++) {
			bool in = (x < 8 && y < 16) || (x >= 16 && y >= 16);
			if (fx_pixel(&f, &sc, x, y) != (in ? 0xff0000ffu : 0xff404040u))
				bad++;
		}
	AGX_CHECK(bad == 0, "%u pixels differ", bad);
	/* Index buffer size smaller than the count: rejected. */
	AGX_PACK(word(&f, &sc, 60), INDEX_LIST_BUFFER_SIZE, cfg) {
		cfg.size = 8;
	}
	expect_fail(&f, &sc, -EINVAL, "beyond the index buffer size");
	fx_fini(&f);
}

AGX_TEST(random_corruption_never_crashes)
{
	/* Flip random bits anywhere in the pass's memory (streams, PPP
	 * updates, USC words, CF tables, descriptors, shaders, vertices): every
	 * run must end with success or a clean error and a message. */
	static const unsigned prims[3] = { AGX_PRIMITIVE_TRIANGLES, AGX_PRIMITIVE_LINE_STRIP,
					   AGX_PRIMITIVE_POINTS };
	for (unsigned pi = 0; pi < 3; pi++) {
	struct fx f;
	struct fx_scene sc;
	setup_prim(&f, &sc, prims[pi]);
	f.env.max_shader_insns = 20000;
	size_t used = f.next - FX_BASE;
	uint8_t *golden = malloc(used);
	memcpy(golden, f.mem, used);
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	/* Everything allocated after the output image. */
	uint64_t lo = sc.image - FX_BASE + (uint64_t)sc.stride * sc.height;
	unsigned ok = 0, einval = 0, efault = 0, etime = 0, other = 0, nomsg = 0;
	for (unsigned it = 0; it < 600; it++) {
		memcpy(f.mem, golden, used);
		unsigned flips = 1 + it % 3;
		for (unsigned k = 0; k < flips; k++) {
			seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17;
			uint64_t off = lo + (seed >> 8) % (used - lo);
			f.mem[off] ^= (uint8_t)(1u << (seed & 7));
		}
		struct agxsim_fault fault;
		struct agxsim_render_result res;
		int r = run(&f, &sc, &fault, &res);
		if (r == 0) ok++;
		else if (r == -EINVAL) einval++;
		else if (r == -EFAULT) efault++;
		else if (r == -ETIMEDOUT) etime++;
		else other++;
		if (r && !res.msg[0])
			nomsg++;
	}
	AGX_NOTE("ok %u, malformed %u, faults %u, timeouts %u", ok, einval, efault, etime);
	AGX_CHECK(other == 0, "%u runs returned an unexpected code", other);
	AGX_CHECK(nomsg == 0, "%u failures without a message", nomsg);
	AGX_CHECK(einval > 0, "no corruption was detected as malformed");
	free(golden);
	fx_fini(&f);
	}
}

AGX_TEST(usc_loads_beyond_declared_counts_rejected)
{
	struct fx f;
	struct fx_scene sc;
	setup(&f, &sc);
	/* The end-of-tile list starts with its Texture word: move it to ts8,
	 * beyond the 8 texture state registers rsrc_spec declares. */
	uint8_t *w = fx_ptr(&f, FX_BASE + (sc.cmd.eot.usc & ~0x3fu));
	AGX_REQUIRE(w[0] == 0xdd, "tag 0x%02x", w[0]);
	w[1] = 8;
	expect_fail(&f, &sc, -EINVAL, "declared");
	fx_fini(&f);
}

AGX_TEST_MAIN()
