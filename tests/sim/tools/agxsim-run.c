/* SPDX-License-Identifier: MIT */
/*
 * agxsim-run - execute a raw G13 shader binary on one SIMD group and print
 * the result as JSON.
 *
 *   agxsim-run [options] [CODE.bin]
 *     --hex HEX            code as a hex string instead of a file
 *     --code-va VA         GPU VA where the code is placed (default 0x100000)
 *     --threads N          lanes present (1..32, default 32)
 *     --reg R=V[,V...]     set a GPR for every lane (one value) or per lane
 *                          (comma list); R is rN, rNl or rNh; V is an integer
 *                          (C syntax), a float with suffix f (1.5f = fp32,
 *                          1.5h = fp16) or "lane" (the lane index)
 *     --uniform U=V        set a uniform (uN, uNl, uNh)
 *     --mem VA:SPEC        map memory: SPEC = @file | hex bytes | zero:SIZE
 *     --tg-size N          threadgroup memory size in bytes (default 32768)
 *     --max-insns N        instruction budget (default 1000000)
 *     --trace              print each executed instruction to stderr
 *     --exec MASK          initial execution mask (default: all present lanes)
 *     --args-file FILE     read further options from FILE (whitespace separated)
 *     --disasm-records N   do not execute: split the code into N-byte records
 *                          and print "size<TAB>class<TAB>disassembly<TAB>fields"
 *                          for the instruction at the start of each record
 *                          (fields: the documented raw fields, "name=value ...")
 *
 * Output (stdout, deterministic): status, fault message, final pc,
 * instructions executed, exec mask, GPRs that are set by --reg or non-zero in
 * a present lane (32-bit, one value per present lane), non-zero uniforms,
 * and memory bytes written by the shader (coalesced runs).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agxsim_isa.h"
#include "fp.h"

struct region {
	uint64_t va;
	size_t size_B;
	uint8_t *data;
	uint8_t *dirty;
	bool read_only;
};

struct flat_mem {
	struct region r[64];
	unsigned n;
};

static struct region *find_region(struct flat_mem *m, uint64_t va, size_t len)
{
	for (unsigned i = 0; i < m->n; i++) {
		struct region *r = &m->r[i];

		if (va >= r->va && len <= r->size_B && va - r->va <= r->size_B - len)
			return r;
	}
	return NULL;
}

static int set_fault(struct agxsim_fault *f, enum agxsim_fault_reason why,
		     enum agxsim_access acc, uint64_t va)
{
	if (f) {
		memset(f, 0, sizeof(*f));
		f->reason = why;
		f->access = acc;
		f->va = va;
	}
	return -EFAULT;
}

static int mem_read(void *ctx, uint64_t va, void *dst, size_t len, struct agxsim_fault *f)
{
	struct region *r = find_region(ctx, va, len);

	if (!r)
		return set_fault(f, AGXSIM_FAULT_UNMAPPED, AGXSIM_ACCESS_READ, va);
	memcpy(dst, r->data + (va - r->va), len);
	return 0;
}

static int mem_write(void *ctx, uint64_t va, const void *src, size_t len, struct agxsim_fault *f)
{
	struct region *r = find_region(ctx, va, len);

	if (!r)
		return set_fault(f, AGXSIM_FAULT_UNMAPPED, AGXSIM_ACCESS_WRITE, va);
	if (r->read_only)
		return set_fault(f, AGXSIM_FAULT_PERMISSION, AGXSIM_ACCESS_WRITE, va);
	memcpy(r->data + (va - r->va), src, len);
	memset(r->dirty + (va - r->va), 1, len);
	return 0;
}

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "agxsim-run: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	exit(2);
}

static struct region *add_region(struct flat_mem *m, uint64_t va, size_t size_B)
{
	struct region *r;

	if (m->n >= 64)
		die("too many memory regions%s", "");
	r = &m->r[m->n++];
	r->va = va;
	r->size_B = size_B;
	r->data = calloc(1, size_B ? size_B : 1);
	r->dirty = calloc(1, size_B ? size_B : 1);
	if (!r->data || !r->dirty)
		die("out of memory%s", "");
	return r;
}

static uint8_t *read_file(const char *path, size_t *size_B)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		die("cannot open %s", path);
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			buf = realloc(buf, cap);
			if (!buf)
				die("out of memory%s", "");
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	fclose(f);
	*size_B = n;
	return buf;
}

static uint8_t *parse_hex(const char *s, size_t *size_B)
{
	size_t len = strlen(s), n = 0;
	uint8_t *buf = malloc(len / 2 + 1);
	int hi = -1;

	if (!buf)
		die("out of memory%s", "");
	for (const char *p = s; *p; p++) {
		int v;

		if (*p == ' ' || *p == '_' || *p == ':')
			continue;
		if (*p >= '0' && *p <= '9') v = *p - '0';
		else if (*p >= 'a' && *p <= 'f') v = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F') v = *p - 'A' + 10;
		else die("bad hex string: %s", s);
		if (hi < 0) {
			hi = v;
		} else {
			buf[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0)
		die("odd-length hex string: %s", s);
	*size_B = n;
	return buf;
}

static uint64_t parse_u64(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end)
		die("bad number: %s", s);
	return v;
}

/* One value for lane @lane of a register of @size bits. */
static uint64_t parse_value(const char *tok, unsigned lane, unsigned size)
{
	size_t n = strlen(tok);

	if (!strcmp(tok, "lane"))
		return lane;
	if (n > 1 && (tok[n - 1] == 'f' || tok[n - 1] == 'h') &&
	    strncmp(tok, "0x", 2) && strncmp(tok, "0X", 2)) {
		char tmp[64];
		char *end;
		double d;

		if (n >= sizeof(tmp))
			die("bad value: %s", tok);
		memcpy(tmp, tok, n - 1);
		tmp[n - 1] = 0;
		d = strtod(tmp, &end);
		if (*end)
			die("bad float: %s", tok);
		return tok[n - 1] == 'h' ? agx_double_to_f16(d, false, false)
					 : agx_double_to_f32(d, false, false);
	}
	(void)size;
	if (tok[0] == '-') {
		char *end;
		long long v = strtoll(tok, &end, 0);

		if (*end)
			die("bad number: %s", tok);
		return (uint64_t)v;
	}
	return parse_u64(tok);
}

/* Parse "r12", "r12l", "u3h" -> half index and size. */
static void parse_regname(const char *name, char prefix, unsigned *half, unsigned *size)
{
	char *end;
	unsigned long n;

	if (name[0] != prefix)
		die("bad register name: %s", name);
	n = strtoul(name + 1, &end, 10);
	if (end == name + 1)
		die("bad register name: %s", name);
	if (*end == 'l' || *end == 'h') {
		*half = (unsigned)(2 * n + (*end == 'h'));
		*size = 16;
		end++;
	} else {
		*half = (unsigned)(2 * n);
		*size = 32;
	}
	if (*end)
		die("bad register name: %s", name);
}

struct opts {
	struct flat_mem mem;
	const char *code_path, *code_hex;
	uint64_t code_va;
	unsigned threads;
	size_t tg_size_B;
	uint64_t max_insns;
	bool trace;
	bool have_exec;
	uint32_t exec;
	unsigned disasm_records_B;
	char *regs[512], *unis[512], *mems[64];
	unsigned nregs, nunis, nmems;
};

static void parse_args(struct opts *o, int argc, char **argv);

static void parse_args_file(struct opts *o, const char *path)
{
	size_t size_B;
	char *text = (char *)read_file(path, &size_B);
	char **av;
	int ac = 0;

	text = realloc(text, size_B + 1);
	if (!text)
		die("out of memory%s", "");
	text[size_B] = 0;
	av = calloc(size_B / 2 + 2, sizeof(*av));
	if (!av)
		die("out of memory%s", "");
	av[ac++] = "agxsim-run";
	for (char *t = strtok(text, " \t\r\n"); t; t = strtok(NULL, " \t\r\n"))
		av[ac++] = t;
	parse_args(o, ac, av);
}

static void parse_args(struct opts *o, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--trace")) {
			o->trace = true;
			continue;
		}
		if (a[0] != '-') {
			o->code_path = a;
			continue;
		}
		if (!v)
			die("missing value for %s", a);
		i++;
		if (!strcmp(a, "--hex")) o->code_hex = v;
		else if (!strcmp(a, "--code-va")) o->code_va = parse_u64(v);
		else if (!strcmp(a, "--threads")) o->threads = (unsigned)parse_u64(v);
		else if (!strcmp(a, "--tg-size")) o->tg_size_B = parse_u64(v);
		else if (!strcmp(a, "--max-insns")) o->max_insns = parse_u64(v);
		else if (!strcmp(a, "--args-file")) parse_args_file(o, v);
		else if (!strcmp(a, "--exec")) { o->exec = (uint32_t)parse_u64(v); o->have_exec = true; }
		else if (!strcmp(a, "--disasm-records")) o->disasm_records_B = (unsigned)parse_u64(v);
		else if (!strcmp(a, "--reg") && o->nregs < 512) o->regs[o->nregs++] = (char *)v;
		else if (!strcmp(a, "--uniform") && o->nunis < 512) o->unis[o->nunis++] = (char *)v;
		else if (!strcmp(a, "--mem") && o->nmems < 64) o->mems[o->nmems++] = (char *)v;
		else die("unknown option %s", a);
	}
}

static void set_reg(struct agxsim_isa_state *s, const char *spec, uint8_t *given, unsigned threads)
{
	char name[32], *vals, *save = NULL, *tok, *copy;
	const char *eq = strchr(spec, '=');
	unsigned half, size, lane = 0;
	uint64_t v = 0;

	if (!eq || (size_t)(eq - spec) >= sizeof(name))
		die("bad --reg: %s", spec);
	memcpy(name, spec, (size_t)(eq - spec));
	name[eq - spec] = 0;
	parse_regname(name, 'r', &half, &size);
	if (half + size / 16 > AGX_NUM_GPR_HALVES)
		die("register out of range: %s", name);
	copy = strdup(eq + 1);
	vals = copy;
	tok = strtok_r(vals, ",", &save);
	if (!tok)
		die("bad --reg: %s", spec);
	for (lane = 0; lane < AGX_SIMD_WIDTH; lane++) {
		if (lane > 0) {
			char *next = strtok_r(NULL, ",", &save);

			if (next)
				tok = next;
			else if (lane < threads && strchr(eq + 1, ','))
				die("too few per-lane values: %s", spec);
		}
		v = parse_value(tok, lane, size);
		for (unsigned h = 0; h < size / 16; h++)
			s->regs[lane][half + h] = (uint16_t)(v >> (16 * h));
	}
	for (unsigned h = half & ~1u; h < half + size / 16; h += 2)
		given[h / 2] = 1;
	free(copy);
}

static void set_uniform(struct agxsim_isa_state *s, const char *spec)
{
	char name[32];
	const char *eq = strchr(spec, '=');
	unsigned half, size;
	uint64_t v;

	if (!eq || (size_t)(eq - spec) >= sizeof(name))
		die("bad --uniform: %s", spec);
	memcpy(name, spec, (size_t)(eq - spec));
	name[eq - spec] = 0;
	parse_regname(name, 'u', &half, &size);
	if (half + size / 16 > AGX_NUM_UNIFORM_HALVES)
		die("uniform out of range: %s", name);
	v = parse_value(eq + 1, 0, size);
	for (unsigned h = 0; h < size / 16; h++)
		s->uniforms[half + h] = (uint16_t)(v >> (16 * h));
}

static void add_mem(struct flat_mem *m, const char *spec)
{
	const char *colon = strchr(spec, ':');
	char vabuf[32];
	uint64_t va;
	uint8_t *data;
	size_t size_B;
	struct region *r;

	if (!colon || (size_t)(colon - spec) >= sizeof(vabuf))
		die("bad --mem: %s", spec);
	memcpy(vabuf, spec, (size_t)(colon - spec));
	vabuf[colon - spec] = 0;
	va = parse_u64(vabuf);
	colon++;
	if (colon[0] == '@') {
		data = read_file(colon + 1, &size_B);
	} else if (!strncmp(colon, "zero:", 5)) {
		size_B = parse_u64(colon + 5);
		data = NULL;
	} else {
		data = parse_hex(colon, &size_B);
	}
	r = add_region(m, va, size_B);
	if (data)
		memcpy(r->data, data, size_B);
	free(data);
}

static void trace_cb(void *ctx, uint64_t pc, const struct agx_insn *in)
{
	char text[256];

	(void)ctx;
	agx_disasm(in, text, sizeof(text));
	fprintf(stderr, "%8" PRIx64 ": %s\n", pc, text);
}

static int disasm_records(const uint8_t *bytes, size_t size_B, unsigned rec_B)
{
	for (size_t off = 0; off + rec_B <= size_B; off += rec_B) {
		struct agx_insn in;
		char text[256];
		unsigned n = agx_decode(bytes + off, rec_B, &in);

		struct agx_field f[64];
		unsigned nf = agx_insn_fields(&in, f, 64);

		agx_disasm(&in, text, sizeof(text));
		printf("%u\t%s\t%s\t", n, agx_op_name(in.op), text);
		for (unsigned i = 0; i < nf && i < 64; i++)
			printf("%s%s=%llu", i ? " " : "", f[i].name, (unsigned long long)f[i].value);
		printf("\n");
	}
	return 0;
}

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

int main(int argc, char **argv)
{
	static struct agxsim_isa_state s;
	static struct opts o;
	static uint8_t given[AGX_NUM_GPR_HALVES / 2];
	struct agxsim_mem_if mif;
	struct region *code;
	uint8_t *bytes;
	size_t code_size_B;
	bool first;

	o.code_va = 0x100000;
	o.threads = 32;
	o.tg_size_B = 32768;
	o.max_insns = 1000000;
	parse_args(&o, argc, argv);
	if (!o.code_path && !o.code_hex)
		die("no code given (file argument or --hex)%s", "");
	if (o.threads < 1 || o.threads > 32)
		die("--threads must be 1..32%s", "");
	bytes = o.code_hex ? parse_hex(o.code_hex, &code_size_B) : read_file(o.code_path, &code_size_B);
	if (o.disasm_records_B) {
		int rc = disasm_records(bytes, code_size_B, o.disasm_records_B);

		free(bytes);
		return rc;
	}
	code = add_region(&o.mem, o.code_va, code_size_B);
	memcpy(code->data, bytes, code_size_B);
	code->read_only = true;
	free(bytes);
	for (unsigned i = 0; i < o.nmems; i++)
		add_mem(&o.mem, o.mems[i]);

	mif.ctx = &o.mem;
	mif.read = mem_read;
	mif.write = mem_write;
	agxsim_isa_init(&s, o.threads, o.code_va, &mif);
	s.threadgroup = calloc(1, o.tg_size_B ? o.tg_size_B : 1);
	s.threadgroup_size_B = o.tg_size_B;
	if (o.trace)
		s.trace = trace_cb;
	for (unsigned i = 0; i < o.nregs; i++)
		set_reg(&s, o.regs[i], given, o.threads);
	if (o.have_exec)
		s.exec = o.exec & s.present;
	for (unsigned i = 0; i < o.nunis; i++)
		set_uniform(&s, o.unis[i]);

	agxsim_isa_run(&s, o.max_insns);

	printf("{\n  \"status\": \"%s\",\n  \"fault\": ", agxsim_isa_status_name(s.status));
	if (s.fault_msg[0])
		json_string(s.fault_msg);
	else
		printf("null");
	printf(",\n  \"pc\": \"0x%" PRIx64 "\",\n  \"insns\": %" PRIu64 ",\n", s.pc, s.insn_count);
	printf("  \"threads\": %u,\n  \"exec\": \"0x%08x\",\n", o.threads, s.exec);
	if (s.status == AGXSIM_ISA_FAULT_MEM && s.mem_fault.reason != AGXSIM_FAULT_NONE)
		printf("  \"mem_fault\": {\"reason\": %d, \"access\": \"%s\", \"va\": \"0x%" PRIx64 "\"},\n",
		       s.mem_fault.reason, s.mem_fault.access == AGXSIM_ACCESS_WRITE ? "write" : "read",
		       s.mem_fault.va);
	printf("  \"registers\": {");
	first = true;
	for (unsigned r = 0; r < AGX_NUM_GPR_HALVES / 2; r++) {
		bool show = given[r];

		for (unsigned l = 0; l < o.threads && !show; l++)
			show = agxsim_reg32(&s, l, r) != 0;
		if (!show)
			continue;
		printf("%s\n    \"r%u\": [", first ? "" : ",", r);
		for (unsigned l = 0; l < o.threads; l++)
			printf("%s\"0x%08x\"", l ? ", " : "", agxsim_reg32(&s, l, r));
		printf("]");
		first = false;
	}
	printf("%s},\n  \"uniforms\": {", first ? "" : "\n  ");
	first = true;
	for (unsigned u = 0; u < AGX_NUM_UNIFORM_HALVES / 2; u++) {
		uint32_t v = s.uniforms[2 * u] | ((uint32_t)s.uniforms[2 * u + 1] << 16);

		if (!v)
			continue;
		printf("%s\"u%u\": \"0x%08x\"", first ? "" : ", ", u, v);
		first = false;
	}
	printf("},\n  \"memory_written\": [");
	first = true;
	for (unsigned i = 0; i < o.mem.n; i++) {
		struct region *r = &o.mem.r[i];

		for (size_t off = 0; off < r->size_B;) {
			size_t end = off;

			if (!r->dirty[off]) {
				off++;
				continue;
			}
			while (end < r->size_B && r->dirty[end])
				end++;
			printf("%s\n    {\"va\": \"0x%" PRIx64 "\", \"hex\": \"", first ? "" : ",",
			       r->va + off);
			for (size_t k = off; k < end; k++)
				printf("%02x", r->data[k]);
			printf("\"}");
			first = false;
			off = end;
		}
	}
	printf("%s]\n}\n", first ? "" : "\n  ");
	return s.status == AGXSIM_ISA_STOPPED ? 0 : 1;
}
