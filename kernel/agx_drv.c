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
 * binding. Talking to real hardware is not written yet, so a device-tree
 * match refuses to probe.
 *
 * For development and CI the module also creates a simulated AGX: a
 * platform device named "agx-sim" that needs no hardware. It is created
 * when the module loads, unless the "sim" module parameter is false, and
 * removed when it unloads.
 *
 * At this stage the driver is only the DRM device: GEM objects backed by
 * shmem, sync objects (binary and timeline) and a render node. It has no
 * driver-specific ioctls yet.
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
#include <drm/drm_gem_shmem_helper.h>

#include <drm/asahi_drm.h>

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

/**
 * struct agx_device - State of one AGX GPU.
 */
struct agx_device {
	/** @drm: The DRM device, embedded; freed with it. */
	struct drm_device drm;
};

DEFINE_DRM_GEM_FOPS(agx_drm_fops);

static const struct drm_driver agx_drm_driver = {
	.driver_features = DRIVER_GEM | DRIVER_RENDER | DRIVER_SYNCOBJ |
			   DRIVER_SYNCOBJ_TIMELINE,
	.fops = &agx_drm_fops,
	DRM_GEM_SHMEM_DRIVER_OPS,

	.name = AGX_DRIVER_NAME,
	.desc = AGX_DRIVER_DESC,
	.major = AGX_DRIVER_MAJOR,
	.minor = AGX_DRIVER_MINOR,
	.patchlevel = AGX_DRIVER_PATCHLEVEL,
};

static int agx_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct agx_device *adev;

	if (dev->of_node)
		return dev_err_probe(dev, -ENODEV,
				     "AGX hardware is not supported yet\n");

	adev = devm_drm_dev_alloc(dev, &agx_drm_driver, struct agx_device, drm);
	if (IS_ERR(adev))
		return PTR_ERR(adev);

	platform_set_drvdata(pdev, adev);

	return drm_dev_register(&adev->drm, 0);
}

static void agx_remove(struct platform_device *pdev)
{
	struct agx_device *adev = platform_get_drvdata(pdev);

	/*
	 * Unplug rather than unregister: files that are still open keep the
	 * drm_device alive, and their ioctls fail with -ENODEV from now on.
	 */
	drm_dev_unplug(&adev->drm);
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
