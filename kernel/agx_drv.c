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
 * Probe only finds the hardware (MMIO, reserved memory, the GPU's
 * identity). With the "boot" module parameter it also starts the ASC
 * coprocessor and boots its RTKit firmware; the firmware bring-up proper
 * (InitData, channels, the init message) is not written yet, so the
 * parameter is off by default.
 *
 * The DRM side: GEM objects in 16 KiB blocks (agx_gem.c), GPU VMs with
 * VM_BIND (agx_vm.c) over the UAT page tables (agx_uat.c), the ioctl table
 * and device parameters (agx_ioctl.c), sync objects (binary and timeline)
 * and a render node. Queues and SUBMIT are not written yet.
 */

#include <linux/device.h>
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
#include "agx_gem.h"
#include "agx_hw.h"
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
MODULE_PARM_DESC(boot, "Start the ASC and boot the GPU firmware at probe (default: false)");

/* ASC register with the coprocessor's CPU_RUN bit. */
#define AGX_ASC_CPU_CONTROL 0x44
#define AGX_ASC_CPU_CONTROL_RUN BIT(4)

DEFINE_DRM_GEM_FOPS(agx_drm_fops);

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

/*
 * Firmware messages and crashes. The firmware layer is not written yet:
 * until it is, they are only logged.
 */
static void agx_fw_deliver(struct agx_hw *hw, u8 endpoint, u64 message)
{
	dev_dbg(hw->dev, "firmware message on endpoint %#x: %#llx\n",
		endpoint, message);
}

static void agx_fw_crashed(struct agx_hw *hw)
{
	dev_err(hw->dev, "GPU firmware crashed\n");
}

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

/* Start the ASC coprocessor's CPU, then boot its RTKit firmware. */
static int agx_hw_start(struct agx_hw *hw)
{
	u32 ctrl;

	ctrl = agx_hw_read32(hw, AGX_HW_BANK_ASC, AGX_ASC_CPU_CONTROL);
	agx_hw_write32(hw, AGX_HW_BANK_ASC, AGX_ASC_CPU_CONTROL,
		       ctrl | AGX_ASC_CPU_CONTROL_RUN);
	return hw->ops->boot(hw);
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

	if (agx_boot) {
		ret = agx_hw_start(&adev->hw);
		if (ret) {
			dev_err(dev, "booting the GPU firmware failed: %d\n", ret);
			goto err_hw_remove;
		}
	}

	/* GEM, VM and UAT state; freed with the DRM device. */
	ret = agx_device_init(adev);
	if (ret)
		goto err_uat_unplug;

	ret = drm_dev_register(&adev->drm, 0);
	if (ret)
		goto err_uat_unplug;
	agx_debugfs_init(adev);

	return 0;

err_uat_unplug:
	agx_uat_unplug(adev->uat);
err_hw_remove:
	ops->remove(&adev->hw);
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
	/* Open files keep their VMs, but nothing reaches the backend any more. */
	agx_uat_unplug(adev->uat);
	adev->hw.ops->remove(&adev->hw);
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
