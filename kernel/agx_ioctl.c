// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The agx authors
 */

/**
 * DOC: The ioctl table, device parameters and debugfs
 *
 * The asahi ioctls: GET_PARAMS, GET_TIME, VM_CREATE, VM_DESTROY, VM_BIND,
 * GEM_CREATE, GEM_MMAP_OFFSET, GEM_BIND_OBJECT, QUEUE_CREATE,
 * QUEUE_DESTROY and SUBMIT (agx_queue.c, agx_submit.c), all allowed on
 * the render node.
 *
 * GET_PARAMS describes the GPU from the chip table below, indexed by the
 * SoC the backend reports. Values that the real driver reads from the
 * GPU's ID registers (revision, core masks) are the table's defaults until
 * the hardware path reads them (see the AGX_ID_REGISTERS marks).
 *
 * debugfs, under /sys/kernel/debug/dri/<minor>/:
 *
 * - objects: live GEM objects, VMs, page-table blocks and bind objects;
 * - vms: every VM and its mappings (range, protection, handle, offset);
 * - ttb_slots: the TTB array and TLB invalidation counts;
 * - pte: write "<client id> <vm id> <va>" (client id 0: the kernel half),
 *   then read the entries of the walk for that address;
 * - slot: write "<client id> <vm id> get|put" to take or drop a context
 *   slot use for a VM, as the queue code will (for tests only);
 * - queues: every queue (client, id, VM, priority, slot, job counts) and
 *   its three work queues (event slot, stamp, last value, write pointer);
 * - fw_status, fw_channels, fw_log: the firmware interface (agx_fw.c).
 */

#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#ifdef CONFIG_ARM64
#include <asm/arch_timer.h>
#endif

#include <drm/drm_file.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_print.h>

#include <drm/asahi_drm.h>

#include "agx_device.h"
#include "agx_gem.h"
#include "agx_queue.h"
#include "agx_vm.h"

/**
 * struct agx_chip - Static description of one SoC's GPU.
 */
struct agx_chip {
	/** @chip_id: The SoC, e.g. 0x8103. */
	u32 chip_id;
	/** @gen: GPU generation, 13 or 14. */
	u8 gen;
	/** @variant: 'G', 'S', 'C' or 'D'. */
	u8 variant;
	/** @dies: Dies. */
	u8 dies;
	/** @clusters: Clusters on all dies. */
	u8 clusters;
	/** @cores: Core slots per cluster. */
	u8 cores;
};

static const struct agx_chip agx_chips[] = {
	{ 0x8103, 13, 'G', 1, 1, 8 },
	{ 0x6000, 13, 'S', 1, 2, 8 },
	{ 0x6001, 13, 'C', 1, 4, 8 },
	{ 0x6002, 13, 'D', 2, 8, 8 },
	{ 0x8112, 14, 'G', 1, 1, 10 },
	{ 0x6020, 14, 'S', 1, 2, 10 },
	{ 0x6021, 14, 'C', 1, 4, 10 },
	{ 0x6022, 14, 'D', 2, 8, 10 },
};

/* Firmware timestamps and GET_TIME are in nanoseconds. */
#define AGX_TIMESTAMP_FREQUENCY_HZ 1000000000ULL
/* The real driver reports 1 GHz, as macOS does. */
#define AGX_MAX_FREQUENCY_KHZ 1000000
#define AGX_MAX_COMMANDS_PER_SUBMISSION 64
#define AGX_MAX_ATTACHMENTS 16

static const struct agx_chip *agx_chip_lookup(u32 chip_id)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(agx_chips); i++)
		if (agx_chips[i].chip_id == chip_id)
			return &agx_chips[i];
	/* No backend yet (or an unknown SoC): describe an M1. */
	return &agx_chips[0];
}

static int agx_ioctl_get_params(struct drm_device *drm, void *data,
				struct drm_file *file)
{
	struct agx_device *adev = to_agx_device(drm);
	const struct agx_chip *chip = agx_chip_lookup(adev->hw.info.chip_id);
	struct drm_asahi_get_params *args = data;
	struct drm_asahi_params_global *p;
	unsigned int i;
	size_t size;
	int ret = 0;

	if (args->param_group) {
		drm_dbg(drm, "get_params: unknown group %u\n", args->param_group);
		return -EINVAL;
	}
	if (args->pad) {
		drm_dbg(drm, "get_params: pad is not zero\n");
		return -EINVAL;
	}

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;

	p->features = 0;
	p->gpu_generation = chip->gen;
	p->gpu_variant = chip->variant;
	/* AGX_ID_REGISTERS: the revision comes from ID_VERSION bits 15:8. */
	p->gpu_revision = 0;
	p->chip_id = chip->chip_id;
	p->num_dies = chip->dies;
	p->num_clusters_total = chip->clusters;
	p->num_cores_per_cluster = chip->cores;
	p->max_frequency_khz = AGX_MAX_FREQUENCY_KHZ;
	/* AGX_ID_REGISTERS: the core masks come from the core-mask registers. */
	for (i = 0; i < chip->clusters; i++)
		p->core_masks[i] = GENMASK_ULL(chip->cores - 1, 0);
	p->vm_start = AGX_VM_START;
	p->vm_end = AGX_VM_END;
	p->vm_kernel_min_size = AGX_VM_KERNEL_MIN_SIZE;
	p->max_commands_per_submission = AGX_MAX_COMMANDS_PER_SUBMISSION;
	p->max_attachments = AGX_MAX_ATTACHMENTS;
	p->command_timestamp_frequency_hz = AGX_TIMESTAMP_FREQUENCY_HZ;

	size = min_t(u64, args->size, sizeof(*p));
	if (copy_to_user(u64_to_user_ptr(args->pointer), p, size)) {
		drm_dbg(drm, "get_params: cannot write to %#llx\n", args->pointer);
		ret = -EFAULT;
	}
	kfree(p);
	return ret;
}

static u64 agx_gpu_time_ns(void)
{
#ifdef CONFIG_ARM64
	/* The GPU's clock is the SoC's 24 MHz system counter. */
	return mul_u64_u32_div(__arch_counter_get_cntpct(), 125, 3);
#else
	/* The test-bed has no such counter; the simulator follows this. */
	return ktime_get_raw_ns();
#endif
}

static int agx_ioctl_get_time(struct drm_device *drm, void *data,
			      struct drm_file *file)
{
	struct drm_asahi_get_time *args = data;

	if (args->flags) {
		drm_dbg(drm, "get_time: flags are not zero\n");
		return -EINVAL;
	}
	args->gpu_timestamp = agx_gpu_time_ns();
	return 0;
}

#define AGX_IOCTL(n, func) \
	DRM_IOCTL_DEF_DRV(ASAHI_##n, func, DRM_RENDER_ALLOW)

/** agx_ioctls - The driver's ioctls; see the DOC above for what is missing. */
const struct drm_ioctl_desc agx_ioctls[AGX_NUM_IOCTLS] = {
	AGX_IOCTL(GET_PARAMS, agx_ioctl_get_params),
	AGX_IOCTL(GET_TIME, agx_ioctl_get_time),
	AGX_IOCTL(VM_CREATE, agx_ioctl_vm_create),
	AGX_IOCTL(VM_DESTROY, agx_ioctl_vm_destroy),
	AGX_IOCTL(VM_BIND, agx_ioctl_vm_bind),
	AGX_IOCTL(GEM_CREATE, agx_ioctl_gem_create),
	AGX_IOCTL(GEM_MMAP_OFFSET, agx_ioctl_gem_mmap_offset),
	AGX_IOCTL(GEM_BIND_OBJECT, agx_ioctl_gem_bind_object),
	AGX_IOCTL(QUEUE_CREATE, agx_ioctl_queue_create),
	AGX_IOCTL(QUEUE_DESTROY, agx_ioctl_queue_destroy),
	AGX_IOCTL(SUBMIT, agx_ioctl_submit),
};

/**
 * agx_open() - &drm_driver.open: per-file state.
 * @drm: The DRM device.
 * @file: The new file.
 *
 * Return: 0 or -ENOMEM.
 */
int agx_open(struct drm_device *drm, struct drm_file *file)
{
	struct agx_file *afile = kzalloc(sizeof(*afile), GFP_KERNEL);

	if (!afile)
		return -ENOMEM;
	afile->adev = to_agx_device(drm);
	afile->file = file;
	agx_file_init(afile);
	xa_init_flags(&afile->queues, XA_FLAGS_ALLOC1);
	file->driver_priv = afile;
	return 0;
}

/**
 * agx_postclose() - &drm_driver.postclose: drop the file's VMs and objects.
 * @drm: The DRM device.
 * @file: The closing file.
 */
void agx_postclose(struct drm_device *drm, struct drm_file *file)
{
	struct agx_file *afile = file->driver_priv;

	agx_queue_file_fini(afile);
	agx_file_fini(afile);
	kfree(afile);
}

/* ---- debugfs ------------------------------------------------------------ */

static int agx_debugfs_objects_show(struct seq_file *m, void *unused)
{
	struct agx_device *adev = m->private;

	seq_printf(m, "bos %d\nvms %d\npt_blocks %d\nbind_objects %d\n",
		   atomic_read(&adev->stats.bos), atomic_read(&adev->stats.vms),
		   atomic_read(&adev->stats.pt_blocks),
		   atomic_read(&adev->stats.bind_objects));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(agx_debugfs_objects);

static int agx_debugfs_queues_show(struct seq_file *m, void *unused)
{
	agx_queue_debugfs_show(m->private, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(agx_debugfs_queues);

static int agx_debugfs_vms_show(struct seq_file *m, void *unused)
{
	agx_vm_debugfs_dump(m->private, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(agx_debugfs_vms);

static int agx_debugfs_ttb_slots_show(struct seq_file *m, void *unused)
{
	struct agx_device *adev = m->private;

	agx_uat_debugfs_slots(adev->uat, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(agx_debugfs_ttb_slots);

static int agx_debugfs_pte_show(struct seq_file *m, void *unused)
{
	agx_vm_debugfs_pte(m->private, m);
	return 0;
}

static int agx_debugfs_pte_open(struct inode *inode, struct file *f)
{
	return single_open(f, agx_debugfs_pte_show, inode->i_private);
}

static ssize_t agx_debugfs_pte_write(struct file *f, const char __user *ubuf,
				     size_t len, loff_t *pos)
{
	struct agx_device *adev = file_inode(f)->i_private;
	unsigned long long client, va;
	unsigned int id;
	char buf[80];

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = 0;
	if (sscanf(buf, "%llu %u %llx", &client, &id, &va) != 3)
		return -EINVAL;

	mutex_lock(&adev->dbg_lock);
	adev->dbg_pte_query.client_id = client;
	adev->dbg_pte_query.vm_id = id;
	adev->dbg_pte_query.va = va;
	mutex_unlock(&adev->dbg_lock);
	return len;
}

static const struct file_operations agx_debugfs_pte_fops = {
	.owner = THIS_MODULE,
	.open = agx_debugfs_pte_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = agx_debugfs_pte_write,
};

static ssize_t agx_debugfs_slot_write(struct file *f, const char __user *ubuf,
				      size_t len, loff_t *pos)
{
	struct agx_device *adev = file_inode(f)->i_private;
	unsigned long long client;
	unsigned int id;
	char buf[80], op[8];
	int ret;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = 0;
	if (sscanf(buf, "%llu %u %7s", &client, &id, op) != 3)
		return -EINVAL;
	if (!strcmp(op, "get"))
		ret = agx_vm_debugfs_slot(adev, client, id, true);
	else if (!strcmp(op, "put"))
		ret = agx_vm_debugfs_slot(adev, client, id, false);
	else
		ret = -EINVAL;
	return ret < 0 ? ret : len;
}

static const struct file_operations agx_debugfs_slot_fops = {
	.owner = THIS_MODULE,
	.write = agx_debugfs_slot_write,
};

/**
 * agx_debugfs_init() - Create the debugfs files.
 * @adev: The device, registered.
 */
void agx_debugfs_init(struct agx_device *adev)
{
	struct dentry *root = adev->drm.debugfs_root;

	if (IS_ERR_OR_NULL(root))
		return;
	debugfs_create_file("objects", 0400, root, adev, &agx_debugfs_objects_fops);
	debugfs_create_file("vms", 0400, root, adev, &agx_debugfs_vms_fops);
	debugfs_create_file("ttb_slots", 0400, root, adev, &agx_debugfs_ttb_slots_fops);
	debugfs_create_file("pte", 0600, root, adev, &agx_debugfs_pte_fops);
	debugfs_create_file("slot", 0200, root, adev, &agx_debugfs_slot_fops);
	debugfs_create_file("queues", 0400, root, adev, &agx_debugfs_queues_fops);
}

/**
 * agx_device_init() - Set up GEM/VM/UAT state of a device.
 * @adev: The device, allocated, its backend probed (or none).
 *
 * Everything is freed with the DRM device.
 *
 * Return: 0 or a negative error.
 */
int agx_device_init(struct agx_device *adev)
{
	int ret;

	ret = agx_vm_device_init(adev);
	if (ret)
		return ret;
	ret = agx_queue_device_init(adev);
	if (ret)
		return ret;
	return agx_uat_init(adev);
}
