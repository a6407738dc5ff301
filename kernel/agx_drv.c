// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The agx authors
 */

/**
 * DOC: agx driver core
 *
 * agx.ko drives the GPU of Apple M1/M2 SoCs ("AGX") and exposes the asahi
 * UAPI (uapi/drm/asahi_drm.h) on a DRM render node.
 *
 * The device is a platform device. On Apple hardware it comes from the
 * device tree, matched by the upstream compatibles of the "apple,agx"
 * binding, and is driven through the Apple RTKit backend (agx_hw_rtkit.c,
 * built where CONFIG_APPLE_RTKIT exists; elsewhere a device-tree match
 * refuses to probe). Everything the driver does to the hardware goes
 * through &struct agx_hw (agx_hw.h).
 *
 * For development and CI the module also creates a simulated AGX: a
 * platform device named "agx-sim" that needs no hardware. It is created
 * when the module loads, unless the "sim" module parameter is false, and
 * removed when it unloads. It is driven by the simulator backend
 * (agx_hw_sim.c), which talks to the functional simulator.
 *
 * Probe finds the hardware (MMIO, reserved memory, the GPU's identity),
 * selects the firmware structure layout for the GPU/firmware combination
 * (an unsupported one fails the probe) and sets up the UAT. With the
 * "boot" module parameter it then brings the firmware up (agx_fw.c):
 * InitData, the channels, the ASC, RTKit and the init handshake. The
 * parameter is off by default because the simulated device needs its
 * daemon attached for that; the simulator backend waits for it
 * (sim_wait_ms).
 *
 * After a firmware crash every driver ioctl fails with -ENODEV
 * (agx_drm_ioctl()).
 *
 * The DRM side: GEM objects in 16 KiB blocks (agx_gem.c), GPU VMs with
 * VM_BIND (agx_vm.c) over the UAT page tables (agx_uat.c), the ioctl table
 * and device parameters (agx_ioctl.c), sync objects (binary and timeline)
 * and a render node. Queues and SUBMIT are not written yet.
 *
 * Probe steps and their undo, in order (the error ladder of agx_probe()
 * and agx_remove() follow it backwards): backend probe / remove; with
 * boot=1, waiting for the backend to be ready (nothing to undo); layout
 * and firmware state (agx_fw_init(), freed with the DRM device); GEM,
 * VM and UAT state / agx_uat_unplug(); firmware bring-up / agx_fw_stop()
 * and, after the backend is gone, agx_fw_free(); registration / unplug.
 */

#include <linux/device.h>
#include <linux/fs.h>
#include <linux/err.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>

#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>

#include <drm/asahi_drm.h>

#include "agx_device.h"
#include "agx_fw.h"
#include "agx_gem.h"
#include "agx_hw.h"
#include "agx_queue.h"
#include "agx_uat.h"

#define AGX_DRIVER_NAME "asahi"
#define AGX_DRIVER_DESC "Apple AGX Graphics"
#define AGX_DRIVER_MAJOR 0
#define AGX_DRIVER_MINOR 1
#define AGX_DRIVER_PATCHLEVEL 0

/* Name of the simulated device, and of the platform driver. */
#define AGX_SIM_DEVICE_NAME "agx-sim"

static bool agx_sim = true;
module_param_named(sim, agx_sim, bool, 0444);
MODULE_PARM_DESC(sim, "Create a simulated AGX device at load time (default: true)");

static bool agx_boot;
module_param_named(boot, agx_boot, bool, 0444);
MODULE_PARM_DESC(boot, "Bring the GPU firmware up at probe (default: false)");

/*
 * The ioctl gate: once the firmware is dead, every driver ioctl fails
 * with -ENODEV; the core ioctls (syncobjs, PRIME, GEM_CLOSE) keep working
 * so clients can clean up.
 */
static bool agx_ioctl_refused(struct file *filp, unsigned int cmd)
{
	struct drm_file *file = filp->private_data;
	struct agx_device *adev = to_agx_device(file->minor->dev);

	return DRM_IOCTL_NR(cmd) >= DRM_COMMAND_BASE && DRM_IOCTL_NR(cmd) < DRM_COMMAND_END &&
	       agx_fw_is_dead(adev);
}

static long agx_drm_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	if (agx_ioctl_refused(filp, cmd))
		return -ENODEV;
	return drm_ioctl(filp, cmd, arg);
}

#ifdef CONFIG_COMPAT
static long agx_drm_compat_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	if (agx_ioctl_refused(filp, cmd))
		return -ENODEV;
	return drm_compat_ioctl(filp, cmd, arg);
}
#else
#define agx_drm_compat_ioctl NULL
#endif

/* DEFINE_DRM_GEM_FOPS, with the ioctl gate. */
static const struct file_operations agx_drm_fops = {
	.owner = THIS_MODULE,
	.open = drm_open,
	.release = drm_release,
	.unlocked_ioctl = agx_drm_ioctl,
	.compat_ioctl = agx_drm_compat_ioctl,
	.poll = drm_poll,
	.read = drm_read,
	.llseek = noop_llseek,
	.mmap = drm_gem_mmap,
	.fop_flags = FOP_UNSIGNED_OFFSET,
};

static const struct drm_driver agx_drm_driver = {
	.driver_features = DRIVER_GEM | DRIVER_GEM_GPUVA | DRIVER_RENDER |
			   DRIVER_SYNCOBJ | DRIVER_SYNCOBJ_TIMELINE,
	.fops = &agx_drm_fops,
	.gem_prime_import_sg_table = agx_gem_prime_import_sg_table,
	.open = agx_open,
	.postclose = agx_postclose,
	.ioctls = agx_ioctls,
	.num_ioctls = AGX_NUM_IOCTLS,

	.name = AGX_DRIVER_NAME,
	.desc = AGX_DRIVER_DESC,
	.major = AGX_DRIVER_MAJOR,
	.minor = AGX_DRIVER_MINOR,
	.patchlevel = AGX_DRIVER_PATCHLEVEL,
};

/* The backend for @dev: the device tree's hardware, or the simulator. */
static const struct agx_hw_ops *agx_select_backend(struct device *dev)
{
	if (!dev->of_node)
		return &agx_hw_sim_ops;
#if IS_ENABLED(CONFIG_APPLE_RTKIT)
	return &agx_hw_rtkit_ops;
#else
	return NULL;
#endif
}

static int agx_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	const struct agx_hw_ops *ops;
	struct agx_device *adev;
	int ret;

	ops = agx_select_backend(dev);
	if (!ops)
		return dev_err_probe(dev, -ENODEV,
				     "AGX hardware needs a kernel with CONFIG_APPLE_RTKIT\n");

	adev = devm_drm_dev_alloc(dev, &agx_drm_driver, struct agx_device, drm);
	if (IS_ERR(adev))
		return PTR_ERR(adev);

	platform_set_drvdata(pdev, adev);

	adev->hw.ops = ops;
	adev->hw.dev = dev;
	adev->hw.deliver = agx_fw_deliver;
	adev->hw.crashed = agx_fw_crashed;
	ret = ops->probe(&adev->hw, dev);
	if (ret)
		return dev_err_probe(dev, ret, "finding the GPU failed\n");

	/*
	 * The bootloader's state (reserved regions) must be in place before
	 * the UAT takes over slot 0: the simulator fills it when its daemon
	 * attaches, so wait for that here.
	 */
	if (agx_boot && ops->wait_ready) {
		ret = ops->wait_ready(&adev->hw);
		if (ret) {
			dev_err(dev, "the GPU is not ready to boot: %d\n", ret);
			goto err_hw_remove;
		}
	}

	/* GEM, VM and UAT state; freed with the DRM device. */
	ret = agx_device_init(adev);
	if (ret)
		goto err_uat_unplug;

	/* The firmware layout, selected once; freed with the DRM device. */
	ret = agx_fw_init(adev);
	if (ret)
		goto err_uat_unplug;

	if (agx_boot) {
		ret = agx_fw_boot(adev->fw);
		if (ret) {
			dev_err(dev, "firmware bring-up failed: %d\n", ret);
			goto err_fw_stop;
		}
	}

	ret = drm_dev_register(&adev->drm, 0);
	if (ret)
		goto err_fw_stop;
	agx_debugfs_init(adev);
	agx_fw_debugfs_init(adev);

	return 0;

err_fw_stop:
	agx_fw_stop(adev->fw);
err_uat_unplug:
	agx_uat_unplug(adev->uat);
err_hw_remove:
	ops->remove(&adev->hw);
	/* The firmware cannot reach its memory any more. */
	agx_fw_free(adev->fw);
	return ret;
}

static void agx_remove(struct platform_device *pdev)
{
	struct agx_device *adev = platform_get_drvdata(pdev);

	/*
	 * Unplug rather than unregister: files that are still open keep the
	 * drm_device alive, and their ioctls fail with -ENODEV from now on.
	 */
	drm_dev_unplug(&adev->drm);
	/* Firmware messages are ignored from now on; waits fail. */
	agx_fw_stop(adev->fw);
	/* Open files keep their VMs, but nothing reaches the backend any more. */
	agx_uat_unplug(adev->uat);
	adev->hw.ops->remove(&adev->hw);
	/* Only now can the firmware (or the simulator) not touch its memory. */
	agx_queue_free_kept(adev);
	agx_fw_free(adev->fw);
}

/*
 * Upstream binding: Documentation/devicetree/bindings/gpu/apple,agx.yaml.
 * G13C/G13D nodes carry apple,agx-g13s as a fallback and G14C/G14D nodes
 * carry apple,agx-g14s; their own names are listed too, so the most specific
 * compatible is the one matched.
 */
static const struct of_device_id agx_of_match[] = {
	{ .compatible = "apple,agx-g13g" },
	{ .compatible = "apple,agx-g13s" },
	{ .compatible = "apple,agx-g13c" },
	{ .compatible = "apple,agx-g13d" },
	{ .compatible = "apple,agx-g14g" },
	{ .compatible = "apple,agx-g14s" },
	{ }
};
MODULE_DEVICE_TABLE(of, agx_of_match);

static const struct platform_device_id agx_platform_ids[] = {
	{ .name = AGX_SIM_DEVICE_NAME },
	{ }
};
MODULE_DEVICE_TABLE(platform, agx_platform_ids);

static struct platform_driver agx_platform_driver = {
	.probe = agx_probe,
	.remove = agx_remove,
	.id_table = agx_platform_ids,
	.driver = {
		.name = "agx",
		.of_match_table = agx_of_match,
	},
};

/* The simulated device, or NULL when there is none. */
static struct platform_device *agx_sim_pdev;

static int __init agx_init(void)
{
	struct platform_device *pdev;
	int ret;

	ret = platform_driver_register(&agx_platform_driver);
	if (ret)
		return ret;

	if (!agx_sim)
		return 0;

	pdev = platform_device_register_simple(AGX_SIM_DEVICE_NAME,
					       PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(pdev)) {
		ret = PTR_ERR(pdev);
		goto err_unregister_driver;
	}
	agx_sim_pdev = pdev;

	return 0;

err_unregister_driver:
	platform_driver_unregister(&agx_platform_driver);
	return ret;
}

static void __exit agx_exit(void)
{
	platform_device_unregister(agx_sim_pdev);
	platform_driver_unregister(&agx_platform_driver);
}

module_init(agx_init);
module_exit(agx_exit);

MODULE_DESCRIPTION(AGX_DRIVER_DESC);
MODULE_AUTHOR("The agx authors");
MODULE_LICENSE("GPL");
