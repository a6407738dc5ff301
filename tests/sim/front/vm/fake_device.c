// SPDX-License-Identifier: MIT
/*
 * fake_device.c - test-only stand-in for the simulated device; see
 * fake_device.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agxsim/physmem.h"
#include "fake_device.h"

#define FAKE_ASC_CPU_CONTROL 0x44u
#define FAKE_ASC_CPU_RUN (1u << 4)
#define FAKE_SGX_ID_VERSION 0xd04000u
#define FAKE_SGX_ID_COUNTS_1 0xd04010u
#define FAKE_SGX_ID_CLUSTERS 0xd0401cu
#define FAKE_MAX_REGS 64
#define FAKE_MAX_PENDING 256

struct fake_reg {
	enum agxsim_bank bank;
	uint32_t offset, value;
};

struct fake_device {
	struct agxsim_device_config cfg;
	struct agxsim_host_ops host;
	struct fake_reg regs[FAKE_MAX_REGS];
	unsigned int nregs;
	bool booted, crashed;
	/* Answers waiting for fake_device_run(). */
	uint64_t pending[FAKE_MAX_PENDING];
	unsigned int npending;
	struct fake_stats stats;
};

int fake_device_create(const struct agxsim_device_config *cfg,
		       const struct agxsim_host_ops *host,
		       struct agxsim_boot_info *boot, struct fake_device **out)
{
	static const enum agxsim_region blobs[] = {
		AGXSIM_REGION_HW_CAL_A, AGXSIM_REGION_HW_CAL_B, AGXSIM_REGION_GLOBALS,
	};
	struct fake_device *dev;
	unsigned int i;
	int ret;

	if ((cfg->gpu_gen != 13 && cfg->gpu_gen != 14) || !strchr("GSCD", (int)cfg->gpu_variant) ||
	    !cfg->gpu_variant)
		return -ENOTSUP;
	memset(boot, 0, sizeof(*boot));
	for (i = 0; i < sizeof(blobs) / sizeof(blobs[0]); i++) {
		const struct agxsim_region_desc *r = &cfg->regions[blobs[i]];
		uint64_t magic = FAKE_BLOB_MAGIC;

		if (r->size_B < FAKE_BLOB_SIZE)
			return -EINVAL;
		ret = agxsim_physmem_write(cfg->pm, r->pa, &magic, sizeof(magic));
		if (ret)
			return ret;
		boot->blob_size_B[blobs[i]] = FAKE_BLOB_SIZE;
	}

	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	dev->cfg = *cfg;
	if (host)
		dev->host = *host;
	*out = dev;
	return 0;
}

void fake_device_destroy(struct fake_device *dev)
{
	free(dev);
}

static struct fake_reg *find_reg(struct fake_device *dev, enum agxsim_bank bank,
				 uint32_t offset)
{
	for (unsigned int i = 0; i < dev->nregs; i++)
		if (dev->regs[i].bank == bank && dev->regs[i].offset == offset)
			return &dev->regs[i];
	return NULL;
}

uint32_t fake_device_mmio_read32(struct fake_device *dev, enum agxsim_bank bank,
				 uint32_t offset)
{
	const struct agxsim_device_config *c = &dev->cfg;
	struct fake_reg *reg;
	uint32_t gen, var;

	dev->stats.mmio_reads++;
	if (bank == AGXSIM_BANK_SGX) {
		switch (offset) {
		case FAKE_SGX_ID_VERSION:
			/* 4 = G13, 5 = G14G, 6 = G14X; 2 G, 3 S, 4 C and D. */
			gen = c->gpu_gen == 13 ? 4 : c->gpu_variant == 'G' ? 5 : 6;
			var = c->gpu_variant == 'G' ? 2 : c->gpu_variant == 'S' ? 3 : 4;
			return gen << 24 | var << 16 | (c->gpu_rev & 0xff) << 8;
		case FAKE_SGX_ID_COUNTS_1:
			return c->gpu_gen == 13 ? 8 : 10;
		case FAKE_SGX_ID_CLUSTERS: {
			uint32_t clusters = c->gpu_variant == 'G' ? 1 : c->gpu_variant == 'S' ? 2 :
					    c->gpu_variant == 'C' ? 4 : 8;

			return clusters << 12;
		}
		}
	}
	reg = find_reg(dev, bank, offset);
	return reg ? reg->value : 0;
}

void fake_device_mmio_write32(struct fake_device *dev, enum agxsim_bank bank,
			      uint32_t offset, uint32_t value)
{
	struct fake_reg *reg = find_reg(dev, bank, offset);

	dev->stats.mmio_writes++;
	if (!reg && dev->nregs < FAKE_MAX_REGS) {
		reg = &dev->regs[dev->nregs++];
		reg->bank = bank;
		reg->offset = offset;
	}
	if (reg)
		reg->value = value;
}

int fake_device_boot(struct fake_device *dev)
{
	dev->stats.boots++;
	if (dev->crashed)
		return -ENODEV;
	if (!(fake_device_mmio_read32(dev, AGXSIM_BANK_ASC, FAKE_ASC_CPU_CONTROL) &
	      FAKE_ASC_CPU_RUN))
		return -ETIMEDOUT;
	dev->booted = true;
	return 0;
}

int fake_device_send(struct fake_device *dev, uint8_t endpoint, uint64_t message)
{
	dev->stats.sends++;
	if (dev->crashed)
		return -ENODEV;
	if (!dev->booted || (endpoint != 0x20 && endpoint != 0x21))
		return -EINVAL;
	if (dev->npending == FAKE_MAX_PENDING)
		return -EBUSY;
	dev->pending[dev->npending++] = FAKE_ECHO(message);
	return 0;
}

void fake_device_tlb_invalidate(struct fake_device *dev, enum agxsim_tlbi kind,
				uint32_t asid, uint64_t va, uint64_t size_B)
{
	if ((unsigned int)kind < 3)
		dev->stats.tlbi[kind]++;
	dev->stats.last_tlbi_asid = asid;
	dev->stats.last_tlbi_va = va;
	dev->stats.last_tlbi_size_B = size_B;
}

/* The fake device never waits on memory the kernel writes. */
bool fake_device_needs_poll(struct fake_device *dev)
{
	(void)dev;
	return false;
}

bool fake_device_run(struct fake_device *dev)
{
	unsigned int i, n = dev->npending;

	if (!n || dev->crashed)
		return false;
	dev->npending = 0;
	for (i = 0; i < n; i++)
		if (dev->host.deliver)
			dev->host.deliver(dev->host.ctx, 0x20, dev->pending[i]);
	return true;
}

int fake_device_inject(struct fake_device *dev, enum agxsim_inject what)
{
	if (what != AGXSIM_INJECT_FW_CRASH)
		return -ENOTSUP;
	if (!dev->crashed) {
		dev->crashed = true;
		dev->npending = 0;
		if (dev->host.crashed)
			dev->host.crashed(dev->host.ctx, "injected crash");
	}
	return 0;
}

const struct fake_stats *fake_device_stats(const struct fake_device *dev)
{
	return &dev->stats;
}
