/* SPDX-License-Identifier: MIT */
/*
 * direct.c - the asahi UAPI on the host (see agxsim/direct.h).
 *
 * Memory: one memfd, mapped here and registered as the only physical
 * region at DIRECT_RAM_PA. Page 0 holds the TTBAT; other pages are handed
 * out by a first-fit page allocator to page tables (one page each) and
 * GEM objects (contiguous runs).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "drm.h"
#include "drm/asahi_drm.h"

#include "agxsim/direct.h"
#include "agxsim/gpu.h"
#include "agxsim/mmu_fault.h"
#include "agxsim/physmem.h"
#include "agxsim/uat.h"

#include "direct_priv.h"

/* ---- Device parameters (G13G, M1) ---------------------------------------- */

#define DIRECT_RAM_PA        0x800000000ull   /* below 2^40 (M1 OAS) */
#define DIRECT_DEFAULT_RAM_B (256ull << 20)
#define PAGE_B               AGXSIM_UAT_PAGE_SIZE_B

/* The same values the kernel driver reports (kernel/agx_vm.h). */
#define DIRECT_VM_START      0x4000ull
#define DIRECT_VM_END        0x7fffff8000ull  /* exclusive in the kernel */
#define DIRECT_VM_KERNEL_MIN 0x20000000ull
#define DIRECT_BIND_MAX_OPS  4096u
#define DIRECT_BIND_MAX_STRIDE 4096u
#define DIRECT_MAX_COMMANDS  64u
#define DIRECT_MAX_ATTACHMENTS 16u
#define DIRECT_TS_FREQ_HZ    24000000ull

static const struct drm_asahi_params_global g13g_params = {
	.features = 0,
	.gpu_generation = 13,
	.gpu_variant = 'G',
	.gpu_revision = 0x11,
	.chip_id = 0x8103,
	.num_dies = 1,
	.num_clusters_total = 1,
	.num_cores_per_cluster = 8,
	.max_frequency_khz = 1278000,
	.core_masks = { 0xff },
	.vm_start = DIRECT_VM_START,
	/* As the kernel driver reports it: the exclusive end (agx_ioctl.c). */
	.vm_end = DIRECT_VM_END,
	.vm_kernel_min_size = DIRECT_VM_KERNEL_MIN,
	.max_commands_per_submission = DIRECT_MAX_COMMANDS,
	.max_attachments = DIRECT_MAX_ATTACHMENTS,
	.command_timestamp_frequency_hz = DIRECT_TS_FREQ_HZ,
};

/* ---- Page allocator -------------------------------------------------------- */

static uint64_t page_alloc(struct agxsim_direct *d, uint64_t npages)
{
	uint64_t run = 0;

	for (uint64_t i = 1; i < d->npages; i++) {
		if (d->used[i]) {
			run = 0;
			continue;
		}
		if (++run == npages) {
			uint64_t first = i + 1 - npages;
			memset(d->used + first, 1, npages);
			memset((uint8_t *)d->ram + first * PAGE_B, 0, npages * PAGE_B);
			return DIRECT_RAM_PA + first * PAGE_B;
		}
	}
	return 0;
}

static void page_free(struct agxsim_direct *d, uint64_t pa, uint64_t npages)
{
	memset(d->used + (pa - DIRECT_RAM_PA) / PAGE_B, 0, npages);
}

/* ---- Page tables -------------------------------------------------------- */

static unsigned va_index(uint64_t va, int level)
{
	switch (level) {
	case 1: return (va >> AGXSIM_UAT_L1_SHIFT) & 0x7;
	case 2: return (va >> AGXSIM_UAT_L2_SHIFT) & 0x7ff;
	default: return (va >> AGXSIM_UAT_L3_SHIFT) & 0x7ff;
	}
}

static uint64_t rd64(struct agxsim_direct *d, uint64_t pa)
{
	uint64_t v = 0;
	agxsim_physmem_read64(&d->pm, pa, &v);
	return v;
}

static void wr64(struct agxsim_direct *d, uint64_t pa, uint64_t v)
{
	agxsim_physmem_write64(&d->pm, pa, v);
}

/* Address of the leaf descriptor for @va; allocates tables when @create. */
static uint64_t leaf_pa(struct agxsim_direct *d, struct direct_vm *vm,
			uint64_t va, bool create)
{
	uint64_t table = vm->root_pa;

	for (int level = 1; level <= 2; level++) {
		uint64_t dpa = table + va_index(va, level) * 8;
		uint64_t desc = rd64(d, dpa);

		if ((desc & AGXSIM_PTE_TYPE_MASK) != AGXSIM_PTE_TYPE_TABLE_PAGE) {
			if (!create)
				return 0;
			uint64_t t = page_alloc(d, 1);
			if (!t)
				return 0;
			desc = t | AGXSIM_PTE_TYPE_TABLE_PAGE;
			wr64(d, dpa, desc);
		}
		table = desc & AGXSIM_PTE_OA_MASK;
	}
	return table + va_index(va, 3) * 8;
}

static uint64_t prot_bits(uint32_t flags)
{
	/* The driver's GPU_SHARED_{RW,RO,WO}: AP=GPU, UXN/PXN select access,
	 * uncached memory attribute, AF and the GPU-access bit (uat.h). */
	uint64_t p = ((uint64_t)AGXSIM_AP_GPU << AGXSIM_PTE_AP_SHIFT) |
		     ((uint64_t)AGXSIM_MEMATTR_UNCACHED << AGXSIM_PTE_ATTR_SHIFT) |
		     AGXSIM_PTE_AF | AGXSIM_PTE_OS | AGXSIM_PTE_NG |
		     AGXSIM_PTE_TYPE_TABLE_PAGE;
	bool r = flags & DRM_ASAHI_BIND_READ, w = flags & DRM_ASAHI_BIND_WRITE;

	if (r && w)
		p |= AGXSIM_PTE_UXN;
	else if (w)
		p |= AGXSIM_PTE_PXN;
	return p;
}

static int map_range(struct agxsim_direct *d, struct direct_vm *vm, uint64_t va,
		     uint64_t range, uint64_t pa, bool single, uint64_t prot)
{
	for (uint64_t off = 0; off < range; off += PAGE_B) {
		uint64_t lpa = leaf_pa(d, vm, va + off, true);
		if (!lpa)
			return -ENOMEM;
		wr64(d, lpa, (pa + (single ? 0 : off)) | prot);
	}
	agxsim_uat_tlbi_va(d->uat, vm->asid, va, range);
	return 0;
}

static void unmap_range(struct agxsim_direct *d, struct direct_vm *vm,
			uint64_t va, uint64_t range)
{
	for (uint64_t off = 0; off < range; off += PAGE_B) {
		uint64_t lpa = leaf_pa(d, vm, va + off, false);
		if (lpa)
			wr64(d, lpa, 0);
	}
	agxsim_uat_tlbi_va(d->uat, vm->asid, va, range);
}

/* Clear every leaf of @vm that points into [pa, pa + size); free tables
 * too when @free_tables (VM destruction). */
static void sweep_vm(struct agxsim_direct *d, struct direct_vm *vm, uint64_t pa,
		     uint64_t size, bool free_tables)
{
	for (unsigned i1 = 0; i1 < 8; i1++) {
		uint64_t d1 = rd64(d, vm->root_pa + i1 * 8);
		if ((d1 & AGXSIM_PTE_TYPE_MASK) != AGXSIM_PTE_TYPE_TABLE_PAGE)
			continue;
		uint64_t t2 = d1 & AGXSIM_PTE_OA_MASK;
		for (unsigned i2 = 0; i2 < 2048; i2++) {
			uint64_t d2 = rd64(d, t2 + i2 * 8);
			if ((d2 & AGXSIM_PTE_TYPE_MASK) != AGXSIM_PTE_TYPE_TABLE_PAGE)
				continue;
			uint64_t t3 = d2 & AGXSIM_PTE_OA_MASK;
			if (free_tables) {
				page_free(d, t3, 1);
				continue;
			}
			for (unsigned i3 = 0; i3 < 2048; i3++) {
				uint64_t leaf = rd64(d, t3 + i3 * 8);
				uint64_t oa = leaf & AGXSIM_PTE_OA_MASK;
				if ((leaf & 1) && oa >= pa && oa < pa + size)
					wr64(d, t3 + i3 * 8, 0);
			}
		}
		if (free_tables)
			page_free(d, t2, 1);
	}
	agxsim_uat_tlbi_asid(d->uat, vm->asid);
}

/* ---- Objects ---------------------------------------------------------------- */

static struct direct_bo *bo_get(struct agxsim_direct *d, uint32_t handle)
{
	if (handle == 0 || handle > DIRECT_MAX_BOS || !d->bos[handle - 1].size_B)
		return NULL;
	return &d->bos[handle - 1];
}

static struct direct_vm *vm_get(struct agxsim_direct *d, uint32_t id)
{
	if (id == 0 || id >= AGXSIM_UAT_NUM_CTX || !d->vms[id].live)
		return NULL;
	return &d->vms[id];
}

static struct direct_queue *queue_get(struct agxsim_direct *d, uint32_t id)
{
	if (id == 0 || id > DIRECT_MAX_QUEUES || !d->queues[id - 1].live)
		return NULL;
	return &d->queues[id - 1];
}

/* ---- Create / destroy ------------------------------------------------------- */

struct agxsim_direct *agxsim_direct_create(const struct agxsim_direct_config *cfg)
{
	struct agxsim_direct *d = calloc(1, sizeof(*d));
	uint64_t size = cfg && cfg->ram_size_B ? cfg->ram_size_B : DIRECT_DEFAULT_RAM_B;

	if (!d)
		return NULL;
	d->memfd = -1;
	pthread_mutex_init(&d->lock, NULL);
	size = (size + PAGE_B - 1) & ~(PAGE_B - 1);
	if (cfg)
		d->cfg = *cfg;
	d->memfd = memfd_create("agxsim-ram", MFD_CLOEXEC);
	if (d->memfd < 0)
		goto fail;
	if (ftruncate(d->memfd, (off_t)size))
		goto fail;
	d->ram = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, d->memfd, 0);
	if (d->ram == MAP_FAILED) {
		d->ram = NULL;
		goto fail;
	}
	d->ram_size_B = size;
	d->npages = size / PAGE_B;
	d->used = calloc(d->npages, 1);
	if (!d->used)
		goto fail;
	d->used[0] = 1;   /* the TTBAT */
	agxsim_physmem_init(&d->pm);
	if (agxsim_physmem_add_region(&d->pm, DIRECT_RAM_PA, size, d->ram)) {
		errno = EINVAL;
		goto fail;
	}
	struct agxsim_uat_config ucfg = { .ttbat_pa = DIRECT_RAM_PA, .oas_bits = 40 };
	d->uat = agxsim_uat_create(&d->pm, &ucfg);
	if (!d->uat)
		goto fail;
	agxsim_gpu_init(&d->gpu, NULL);
	if (cfg && cfg->trace)
		agxsim_gpu_set_trace(&d->gpu, cfg->trace, cfg->trace_flags);
	return d;
fail:
	agxsim_direct_destroy(d);
	return NULL;
}

void agxsim_direct_destroy(struct agxsim_direct *d)
{
	if (!d)
		return;
	if (d->uat)
		agxsim_uat_destroy(d->uat);
	if (d->ram)
		munmap(d->ram, d->ram_size_B);
	if (d->memfd >= 0)
		close(d->memfd);
	free(d->used);
	pthread_mutex_destroy(&d->lock);
	free(d);
}

int agxsim_direct_memfd(const struct agxsim_direct *d)
{
	return d->memfd;
}

void *agxsim_direct_gem_ptr(struct agxsim_direct *d, uint32_t handle,
			    uint64_t *size_B)
{
	struct direct_bo *bo = bo_get(d, handle);

	if (!bo)
		return NULL;
	if (size_B)
		*size_B = bo->size_B;
	return (uint8_t *)d->ram + (bo->pa - DIRECT_RAM_PA);
}

const struct agxsim_direct_job_result *agxsim_direct_last_job(const struct agxsim_direct *d)
{
	return &d->last;
}

uint64_t agxsim_direct_failed_jobs(const struct agxsim_direct *d)
{
	return d->failed;
}

struct agxsim_gpu *agxsim_direct_gpu(struct agxsim_direct *d)
{
	return &d->gpu;
}

struct agxsim_uat *agxsim_direct_uat(struct agxsim_direct *d)
{
	return d->uat;
}

struct agxsim_physmem *agxsim_direct_physmem(struct agxsim_direct *d)
{
	return &d->pm;
}

/* ---- ioctls ----------------------------------------------------------------- */

static int get_params(struct agxsim_direct *d, struct drm_asahi_get_params *a)
{
	(void)d;
	if (a->param_group != 0 || a->pad != 0)
		return -EINVAL;
	if (!a->pointer)
		return -EFAULT;
	size_t n = a->size < sizeof(g13g_params) ? (size_t)a->size : sizeof(g13g_params);
	memcpy((void *)(uintptr_t)a->pointer, &g13g_params, n);
	return 0;
}

static int get_time(struct agxsim_direct *d, struct drm_asahi_get_time *a)
{
	struct timespec ts;

	(void)d;
	if (a->flags)
		return -EINVAL;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	a->gpu_timestamp = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	return 0;
}

static int vm_create(struct agxsim_direct *d, struct drm_asahi_vm_create *a)
{
	if (a->pad)
		return -EINVAL;
	if (a->kernel_start >= a->kernel_end ||
	    a->kernel_start < DIRECT_VM_START || a->kernel_end > DIRECT_VM_END ||
	    a->kernel_end - a->kernel_start < DIRECT_VM_KERNEL_MIN ||
	    (a->kernel_start & (PAGE_B - 1)) || (a->kernel_end & (PAGE_B - 1)))
		return -EINVAL;
	/* Slot 0 is the kernel's/firmware's context on hardware. */
	for (uint32_t id = 1; id < AGXSIM_UAT_NUM_CTX; id++) {
		struct direct_vm *vm = &d->vms[id];
		if (vm->live)
			continue;
		uint64_t root = page_alloc(d, 1);
		if (!root)
			return -ENOMEM;
		memset(vm, 0, sizeof(*vm));
		vm->live = true;
		vm->root_pa = root;
		vm->asid = (uint16_t)id;
		vm->kernel_start = a->kernel_start;
		vm->kernel_end = a->kernel_end;
		/* TTBAT entry of slot id, user half: table | valid | ASID. */
		wr64(d, DIRECT_RAM_PA + id * 16,
		     root | AGXSIM_TTB_VALID | ((uint64_t)vm->asid << AGXSIM_TTB_ASID_SHIFT));
		agxsim_uat_tlbi_asid(d->uat, vm->asid);
		a->vm_id = id;
		return 0;
	}
	return -ENOSPC;
}

static void vm_teardown(struct agxsim_direct *d, struct direct_vm *vm, uint32_t id)
{
	sweep_vm(d, vm, 0, 0, true);
	page_free(d, vm->root_pa, 1);
	wr64(d, DIRECT_RAM_PA + id * 16, 0);
	agxsim_uat_tlbi_asid(d->uat, vm->asid);
	/* Queues of the VM die with it. */
	for (unsigned q = 0; q < DIRECT_MAX_QUEUES; q++)
		if (d->queues[q].live && d->queues[q].vm_id == id)
			d->queues[q].live = false;
	vm->live = false;
}

static int vm_destroy(struct agxsim_direct *d, struct drm_asahi_vm_destroy *a)
{
	struct direct_vm *vm;

	if (a->pad)
		return -EINVAL;
	if (!(vm = vm_get(d, a->vm_id)))
		return -ENOENT;
	/* Private objects of the VM stay valid until closed, but can never
	 * be bound again (not even by a later VM that reuses the id). */
	for (unsigned i = 0; i < DIRECT_MAX_BOS; i++) {
		struct direct_bo *bo = &d->bos[i];
		if (bo->size_B && bo->private_vm == a->vm_id)
			bo->private_vm = DIRECT_VM_ORPHAN;
	}
	vm_teardown(d, vm, a->vm_id);
	return 0;
}

static int gem_create(struct agxsim_direct *d, struct drm_asahi_gem_create *a)
{
	const uint32_t known = DRM_ASAHI_GEM_WRITEBACK | DRM_ASAHI_GEM_VM_PRIVATE;
	uint64_t size;

	if (a->pad || (a->flags & ~known) || a->size == 0)
		return -EINVAL;
	if (a->flags & DRM_ASAHI_GEM_VM_PRIVATE) {
		if (!vm_get(d, a->vm_id))
			return -ENOENT;
	} else if (a->vm_id) {
		return -EINVAL;
	}
	if (a->size > d->ram_size_B)
		return -ENOMEM;
	size = (a->size + PAGE_B - 1) & ~(PAGE_B - 1);
	for (unsigned i = 0; i < DIRECT_MAX_BOS; i++) {
		struct direct_bo *bo = &d->bos[i];
		if (bo->size_B)
			continue;
		uint64_t pa = page_alloc(d, size / PAGE_B);
		if (!pa)
			return -ENOMEM;
		bo->pa = pa;
		bo->size_B = size;
		bo->flags = a->flags;
		bo->private_vm = (a->flags & DRM_ASAHI_GEM_VM_PRIVATE) ? a->vm_id : 0;
		a->handle = i + 1;
		return 0;
	}
	return -ENOSPC;
}

static int gem_close(struct agxsim_direct *d, struct drm_gem_close *a)
{
	struct direct_bo *bo;

	if (a->pad)
		return -EINVAL;
	if (!(bo = bo_get(d, a->handle)))
		return -ENOENT;
	/* Unbind it everywhere, drop its timestamp objects, free it. */
	for (uint32_t id = 1; id < AGXSIM_UAT_NUM_CTX; id++)
		if (d->vms[id].live)
			sweep_vm(d, &d->vms[id], bo->pa, bo->size_B, false);
	for (unsigned o = 0; o < DIRECT_MAX_OBJECTS; o++)
		if (d->objects[o].live && d->objects[o].bo_handle == a->handle)
			d->objects[o].live = false;
	page_free(d, bo->pa, bo->size_B / PAGE_B);
	memset(bo, 0, sizeof(*bo));
	return 0;
}

static int gem_mmap_offset(struct agxsim_direct *d, struct drm_asahi_gem_mmap_offset *a)
{
	struct direct_bo *bo;

	if (a->flags)
		return -EINVAL;
	if (!(bo = bo_get(d, a->handle)))
		return -ENOENT;
	a->offset = bo->pa - DIRECT_RAM_PA;
	return 0;
}

static int check_bind_op(struct agxsim_direct *d, const struct direct_vm *vm,
			 uint32_t vm_id, const struct drm_asahi_gem_bind_op *op)
{
	const uint32_t known = DRM_ASAHI_BIND_UNBIND | DRM_ASAHI_BIND_READ |
			       DRM_ASAHI_BIND_WRITE | DRM_ASAHI_BIND_SINGLE_PAGE;
	uint64_t end;

	if (op->flags & ~known)
		return -EINVAL;
	if (op->range == 0 || ((op->addr | op->range) & (PAGE_B - 1)))
		return -EINVAL;
	if (__builtin_add_overflow(op->addr, op->range, &end) ||
	    op->addr < DIRECT_VM_START || end > DIRECT_VM_END)
		return -EINVAL;
	if (op->addr < vm->kernel_end && end > vm->kernel_start)
		return -EINVAL;   /* the kernel window is not userspace's */
	if (op->flags & DRM_ASAHI_BIND_UNBIND) {
		if (op->flags & ~DRM_ASAHI_BIND_UNBIND)
			return -EINVAL;
		return 0;
	}
	if (!(op->flags & (DRM_ASAHI_BIND_READ | DRM_ASAHI_BIND_WRITE)))
		return -EINVAL;
	if (op->offset & (PAGE_B - 1))
		return -EINVAL;
	struct direct_bo *bo = bo_get(d, op->handle);
	if (!bo)
		return -ENOENT;
	if (bo->private_vm && bo->private_vm != vm_id)
		return -EINVAL;
	uint64_t need = (op->flags & DRM_ASAHI_BIND_SINGLE_PAGE) ? PAGE_B : op->range;
	if (op->offset > bo->size_B || need > bo->size_B - op->offset)
		return -EINVAL;
	return 0;
}

static int vm_bind(struct agxsim_direct *d, struct drm_asahi_vm_bind *a)
{
	struct direct_vm *vm;
	const uint8_t *ops = (const uint8_t *)(uintptr_t)a->userptr;
	int ret;

	if (a->pad || a->num_binds == 0 || a->num_binds > DIRECT_BIND_MAX_OPS ||
	    a->stride < sizeof(struct drm_asahi_gem_bind_op) ||
	    a->stride > DIRECT_BIND_MAX_STRIDE)
		return -EINVAL;
	if (!(vm = vm_get(d, a->vm_id)))
		return -ENOENT;
	if (!ops)
		return -EFAULT;
	/* Validate everything first: a failing request changes nothing. */
	for (uint32_t i = 0; i < a->num_binds; i++) {
		struct drm_asahi_gem_bind_op op;
		const uint8_t *p = ops + (size_t)i * a->stride;
		memcpy(&op, p, sizeof(op));
		if (!direct_all_zero(p + sizeof(op), a->stride - sizeof(op)))
			return -EINVAL;   /* unknown extension fields */
		if ((ret = check_bind_op(d, vm, a->vm_id, &op)))
			return ret;
	}
	for (uint32_t i = 0; i < a->num_binds; i++) {
		struct drm_asahi_gem_bind_op op;
		memcpy(&op, ops + (size_t)i * a->stride, sizeof(op));
		if (op.flags & DRM_ASAHI_BIND_UNBIND) {
			unmap_range(d, vm, op.addr, op.range);
			continue;
		}
		struct direct_bo *bo = bo_get(d, op.handle);
		ret = map_range(d, vm, op.addr, op.range, bo->pa + op.offset,
				op.flags & DRM_ASAHI_BIND_SINGLE_PAGE,
				prot_bits(op.flags));
		if (ret)
			return ret;
	}
	return 0;
}

static int gem_bind_object(struct agxsim_direct *d, struct drm_asahi_gem_bind_object *a)
{
	if (a->pad || a->vm_id)
		return -EINVAL;
	if (a->op == DRM_ASAHI_BIND_OBJECT_OP_UNBIND) {
		uint32_t h = a->object_handle;
		if (a->flags || a->handle || a->offset || a->range)
			return -EINVAL;
		if (h == 0 || h > DIRECT_MAX_OBJECTS || !d->objects[h - 1].live)
			return -ENOENT;
		d->objects[h - 1].live = false;
		return 0;
	}
	if (a->op != DRM_ASAHI_BIND_OBJECT_OP_BIND)
		return -EINVAL;
	if (a->flags != DRM_ASAHI_BIND_OBJECT_USAGE_TIMESTAMPS || a->object_handle)
		return -EINVAL;
	struct direct_bo *bo = bo_get(d, a->handle);
	if (!bo)
		return -ENOENT;
	if (a->range == 0 || ((a->offset | a->range) & (PAGE_B - 1)) ||
	    a->offset > bo->size_B || a->range > bo->size_B - a->offset)
		return -EINVAL;
	for (unsigned o = 0; o < DIRECT_MAX_OBJECTS; o++) {
		if (d->objects[o].live)
			continue;
		d->objects[o].live = true;
		d->objects[o].bo_handle = a->handle;
		d->objects[o].offset = a->offset;
		d->objects[o].range = a->range;
		a->object_handle = o + 1;
		return 0;
	}
	return -ENOSPC;
}

static int queue_create(struct agxsim_direct *d, struct drm_asahi_queue_create *a)
{
	if (a->flags || a->priority > DRM_ASAHI_PRIORITY_REALTIME)
		return -EINVAL;
	if (!vm_get(d, a->vm_id))
		return -ENOENT;
	for (unsigned q = 0; q < DIRECT_MAX_QUEUES; q++) {
		if (d->queues[q].live)
			continue;
		d->queues[q].live = true;
		d->queues[q].vm_id = a->vm_id;
		d->queues[q].priority = a->priority;
		d->queues[q].usc_exec_base = a->usc_exec_base;
		a->queue_id = q + 1;
		return 0;
	}
	return -ENOSPC;
}

static int queue_destroy(struct agxsim_direct *d, struct drm_asahi_queue_destroy *a)
{
	struct direct_queue *q;

	if (a->pad)
		return -EINVAL;
	if (!(q = queue_get(d, a->queue_id)))
		return -ENOENT;
	q->live = false;
	return 0;
}

static int do_ioctl(struct agxsim_direct *d, unsigned long request, void *arg)
{
	switch (request) {
	case DRM_IOCTL_ASAHI_GET_PARAMS: return get_params(d, arg);
	case DRM_IOCTL_ASAHI_GET_TIME: return get_time(d, arg);
	case DRM_IOCTL_ASAHI_VM_CREATE: return vm_create(d, arg);
	case DRM_IOCTL_ASAHI_VM_DESTROY: return vm_destroy(d, arg);
	case DRM_IOCTL_ASAHI_VM_BIND: return vm_bind(d, arg);
	case DRM_IOCTL_ASAHI_GEM_CREATE: return gem_create(d, arg);
	case DRM_IOCTL_ASAHI_GEM_MMAP_OFFSET: return gem_mmap_offset(d, arg);
	case DRM_IOCTL_ASAHI_GEM_BIND_OBJECT: return gem_bind_object(d, arg);
	case DRM_IOCTL_ASAHI_QUEUE_CREATE: return queue_create(d, arg);
	case DRM_IOCTL_ASAHI_QUEUE_DESTROY: return queue_destroy(d, arg);
	case DRM_IOCTL_ASAHI_SUBMIT: return direct_submit(d, arg);
	case DRM_IOCTL_GEM_CLOSE: return gem_close(d, arg);
	default: return -ENOTTY;
	}
}

int agxsim_direct_ioctl(struct agxsim_direct *d, unsigned long request, void *arg)
{
	int ret;

	if (!d || !arg)
		return -EFAULT;
	pthread_mutex_lock(&d->lock);
	ret = do_ioctl(d, request, arg);
	pthread_mutex_unlock(&d->lock);
	return ret;
}

/* Helpers for submit.c. */
struct direct_queue *direct_queue_get(struct agxsim_direct *d, uint32_t id)
{
	return queue_get(d, id);
}

struct direct_bo *direct_bo_get(struct agxsim_direct *d, uint32_t handle)
{
	return bo_get(d, handle);
}
