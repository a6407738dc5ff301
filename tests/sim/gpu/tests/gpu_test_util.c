/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gpu_test_util.h"

static int flat_access(struct flat_mem *f, uint64_t va, size_t len,
		       struct agxsim_fault *fault, enum agxsim_access acc)
{
	if (va < f->va || va - f->va > f->size_B || len > f->size_B - (va - f->va)) {
		if (fault) {
			memset(fault, 0, sizeof(*fault));
			fault->reason = AGXSIM_FAULT_UNMAPPED;
			fault->access = acc;
			fault->va = va < f->va ? va : (va - f->va >= f->size_B ? va : f->va + f->size_B);
			fault->unit = f->unit;
		}
		return -EFAULT;
	}
	return 0;
}

static int flat_read(void *ctx, uint64_t va, void *dst, size_t len,
		     struct agxsim_fault *fault)
{
	struct flat_mem *f = ctx;
	int r = flat_access(f, va, len, fault, AGXSIM_ACCESS_READ);

	if (r)
		return r;
	f->reads++;
	memcpy(dst, f->data + (va - f->va), len);
	return 0;
}

static int flat_write(void *ctx, uint64_t va, const void *src, size_t len,
		      struct agxsim_fault *fault)
{
	struct flat_mem *f = ctx;
	int r = flat_access(f, va, len, fault, AGXSIM_ACCESS_WRITE);

	if (r)
		return r;
	f->writes++;
	memcpy(f->data + (va - f->va), src, len);
	return 0;
}

void flat_init(struct flat_mem *f, struct agxsim_mem_if *mem, unsigned unit)
{
	memset(f, 0, sizeof(*f));
	f->data = calloc(1, FLAT_SIZE);
	f->va = FLAT_VA;
	f->size_B = FLAT_SIZE;
	f->unit = unit;
	mem->ctx = f;
	mem->read = flat_read;
	mem->write = flat_write;
}

void flat_fini(struct flat_mem *f)
{
	free(f->data);
}

void *flat_ptr(struct flat_mem *f, uint64_t va)
{
	return f->data + (va - f->va);
}

unsigned write_usc(uint8_t *p, const struct usc_desc *u)
{
	uint8_t *s = p;

	if (u->uniform_halves) {
		unsigned done = 0;
		while (done < u->uniform_halves) {
			unsigned n = u->uniform_halves - done > 64 ? 64 : u->uniform_halves - done;
			unsigned start = u->uniform_start + done;
			uint64_t buf = u->uniform_va + done * 2;
			if (start >= 256) {
				AGX_PACK(p, USC_UNIFORM_HIGH, cfg) {
					cfg.start_halfs = start - 256;
					cfg.size_halfs = n;
					cfg.buffer = buf;
				}
			} else {
				AGX_PACK(p, USC_UNIFORM, cfg) {
					cfg.start_halfs = start;
					cfg.size_halfs = n;
					cfg.buffer = buf;
				}
			}
			p += 8;
			done += n;
		}
	}
	if (u->textures) {
		AGX_PACK(p, USC_TEXTURE, cfg) {
			cfg.start = 0;
			cfg.count = u->textures;
			cfg.buffer = u->tex_va;
		}
		p += AGX_USC_TEXTURE_LENGTH;
	}
	AGX_PACK(p, USC_SHARED, cfg) {
		cfg.uses_shared_memory = u->tg_mem_B != 0;
		cfg.layout = AGX_SHARED_LAYOUT_VERTEX_COMPUTE;
		cfg.bytes_per_threadgroup = u->tg_mem_B ? u->tg_mem_B : 65536;
	}
	p += AGX_USC_SHARED_LENGTH;
	AGX_PACK(p, USC_SHADER, cfg) {
		cfg.code = u->code_off;
		cfg.unk_10 = 3;
	}
	p += AGX_USC_SHADER_LENGTH;
	AGX_PACK(p, USC_REGISTERS, cfg) {
		cfg.register_count = u->gprs ? u->gprs : 32;
	}
	p += AGX_USC_REGISTERS_LENGTH;
	if (u->preshader) {
		AGX_PACK(p, USC_PRESHADER, cfg) {
			cfg.code = u->preshader_off;
		}
		p += AGX_USC_PRESHADER_LENGTH;
	} else {
		AGX_PACK(p, USC_NO_PRESHADER, cfg);
		p += AGX_USC_NO_PRESHADER_LENGTH;
	}
	return (unsigned)(p - s);
}

unsigned write_launch(uint8_t *p, uint32_t pipeline_off, unsigned uniform_halves,
		      const uint32_t global[3], const uint32_t local[3])
{
	uint8_t *s = p;

	AGX_PACK(p, CDM_LAUNCH_WORD_0, cfg) {
		cfg.uniform_register_count = uniform_halves;
		cfg.mode = AGX_CDM_MODE_DIRECT;
	}
	p += 4;
	AGX_PACK(p, CDM_LAUNCH_WORD_1, cfg) {
		cfg.pipeline = pipeline_off;
	}
	p += 4;
	AGX_PACK(p, CDM_GLOBAL_SIZE, cfg) {
		cfg.x = global[0];
		cfg.y = global[1];
		cfg.z = global[2];
	}
	p += 12;
	AGX_PACK(p, CDM_LOCAL_SIZE, cfg) {
		cfg.x = local[0];
		cfg.y = local[1];
		cfg.z = local[2];
	}
	p += 12;
	AGX_PACK(p, CDM_BARRIER, cfg) {
		cfg.usc_cache_inval = true;
		cfg.unk_5 = true;
		cfg.unk_6 = true;
		cfg.unk_8 = true;
	}
	p += 4;
	return (unsigned)(p - s);
}

unsigned write_terminate(uint8_t *p)
{
	AGX_PACK(p, CDM_STREAM_TERMINATE, cfg);
	return AGX_CDM_STREAM_TERMINATE_LENGTH;
}
