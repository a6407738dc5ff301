#!/bin/bash
# SPDX-License-Identifier: MIT
#
# smoke: agx.ko loads on the test VM's kernel, exposes a render node that
# answers as "asahi", unloads cleanly, can be loaded again, and leaves no
# splat in the kernel log.

# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/../lib.sh"

node=/dev/dri/renderD128
smoke=$AGX_MESON_BUILD/tests/kernel/agx_smoke

# The node's driver, as sysfs names it.
node_driver() {
	local drv
	drv=$(readlink "/sys/class/drm/${node##*/}/device/driver") || return 1
	echo "${drv##*/}"
}

agx_dmesg_mark

tap_check "load DRM helper modules" agx_load_helpers
if [ ! -f "$AGX_KO" ]; then
	tap_not_ok "agx.ko present" "$AGX_KO is missing; run scripts/build-kernel.sh"
	tap_finish
fi
if agx_module_loaded; then
	tap_not_ok "agx.ko not loaded before the suite" "something loaded agx already"
	tap_finish
fi

# First load.
if tap_check "insmod agx.ko" insmod "$AGX_KO"; then
	tap_check "$node appears" agx_wait_for "$node"
	# shellcheck disable=SC2016 # expanded by the inner shell
	tap_check "$node is a DRM character device (major 226)" \
		bash -c '[ -c "$1" ] && [ "$(stat -c %t "$1")" = e2 ]' _ "$node"
	drv=$(node_driver || true)
	if [ "$drv" = agx ]; then
		tap_ok "$node is bound to the agx platform driver"
	else
		tap_not_ok "$node is bound to the agx platform driver" "driver is '${drv:-none}'"
	fi
	tap_run agx_smoke "$smoke"

	# An open file holds a module reference: rmmod must refuse, not crash.
	exec 3<>"$node"
	if rmmod agx 2>/dev/null; then
		tap_not_ok "rmmod refused while $node is open" "rmmod succeeded"
		exec 3>&-
		insmod "$AGX_KO"
		agx_wait_for "$node"
	else
		tap_ok "rmmod refused while $node is open"
	fi
	exec 3>&-

	tap_check "rmmod agx" rmmod agx
	tap_check "$node disappears after rmmod" agx_wait_gone "$node"
else
	tap_not_ok "$node appears" "insmod failed"
fi

# Reload: the module must come back after a clean unload.
if tap_check "insmod agx.ko again" insmod "$AGX_KO"; then
	tap_check "$node appears again" agx_wait_for "$node"
	tap_run "agx_smoke (reloaded)" "$smoke" version_name
	tap_check "rmmod agx again" rmmod agx
	tap_check "$node disappears again" agx_wait_gone "$node"
fi

# sim=0: the module loads but makes no device.
# Platform device registration and devtmpfs are synchronous, so a node
# would exist by the time insmod returns.
if tap_check "insmod agx.ko sim=0" insmod "$AGX_KO" sim=0; then
	if [ -e "$node" ]; then
		tap_not_ok "no render node with sim=0" "$node exists"
	else
		tap_ok "no render node with sim=0"
	fi
	tap_check "rmmod agx (sim=0)" rmmod agx
fi

tap_check "kernel log has no oops, BUG or WARNING" agx_dmesg_check
tap_check "kernel not tainted by a warning or oops" agx_taint_check
tap_finish
