#!/bin/bash
# SPDX-License-Identifier: MIT
#
# fw: the firmware bring-up of agx.ko (kernel/agx_fw.c) against the
# simulated firmware. agx.ko is loaded with boot=1 and waits at probe
# (sim_wait_ms) for the simulator front end, agxsim-vm, to attach; then
# tests/kernel/agx_fw_test checks the result through the render node and
# the fw_* debugfs files. Covered: the bring-up completes (the firmware
# read DeviceControl Initialize, a firmware log line arrives), every
# channel is sane, ioctls work; an injected firmware crash (SIGUSR1 to
# agxsim-vm) makes the driver ioctls fail with -ENODEV; unbinding and
# unloading afterwards; a second bring-up after a reload; unbinding and
# unloading with the firmware running; an unsupported firmware ABI fails
# the probe cleanly; a clean kernel log.

# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/../lib.sh"

node=/dev/dri/renderD128
simdev=/dev/agx-sim
test_prog=$AGX_MESON_BUILD/tests/kernel/agx_fw_test
front=$AGX_MESON_BUILD/tests/sim/front/vm/agxsim-vm
ready=/run/agxsim.ready
simlog=/run/agxsim.log
sim_pid=
insmod_pid=

# boot_with_sim: insmod agx.ko boot=1 in the background, start agxsim-vm
# once /dev/agx-sim exists, and wait for insmod (the probe, with the
# whole bring-up) to finish.
boot_with_sim() {
	local rc
	rm -f "$ready"
	insmod "$AGX_KO" boot=1 sim_wait_ms=30000 &
	insmod_pid=$!
	agx_wait_for "$simdev" 100 || { echo "$simdev did not appear"; return 1; }
	"$front" --ready "$ready" >>"$simlog" 2>&1 &
	sim_pid=$!
	agx_wait_for "$ready" 100 || { echo "agxsim-vm did not attach"; return 1; }
	wait "$insmod_pid" && rc=0 || rc=$?
	insmod_pid=
	[ "$rc" = 0 ] || { echo "insmod exited with $rc"; return 1; }
	agx_wait_for "$node" 50 || { echo "$node did not appear"; return 1; }
}

# wait_sim_exit: wait (5 s) for agxsim-vm to exit with status 0.
wait_sim_exit() {
	local i rc
	for ((i = 0; i < 50; i++)); do
		kill -0 "$sim_pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$sim_pid" 2>/dev/null; then
		echo "agxsim-vm still running"
		return 1
	fi
	wait "$sim_pid" && rc=0 || rc=$?
	sim_pid=
	[ "$rc" = 0 ] || { echo "agxsim-vm exited with $rc"; return 1; }
}

# unbind_and_unload: unbind the device with agxsim-vm attached (it sees the
# device go away and exits 0), then rmmod.
unbind_and_unload() {
	echo agx-sim >/sys/bus/platform/drivers/agx/unbind || return 1
	wait_sim_exit || return 1
	agx_wait_gone "$simdev" || { echo "$simdev still there"; return 1; }
	rmmod agx
}

# fw_state_is STATE: fw_status says "state STATE" (waits up to 5 s).
fw_state_is() {
	local i f
	f=$(grep -l '^asahi' /sys/kernel/debug/dri/*/name 2>/dev/null | head -n1)
	f=${f%/name}/fw_status
	for ((i = 0; i < 50; i++)); do
		grep -qx "state $1" "$f" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "fw_status:"
	cat "$f"
	return 1
}

# dmesg_since_mark_has TEXT: the kernel log since the mark contains TEXT.
dmesg_since_mark_has() {
	dmesg | sed -n "/${AGX_DMESG_MARK:?}/,\$p" | grep -qF -- "$1" && return 0
	echo "no '$1' in the kernel log"
	return 1
}

agx_dmesg_mark
: >"$simlog"

tap_check "load DRM helper modules" agx_load_helpers
if [ ! -f "$AGX_KO" ]; then
	tap_not_ok "agx.ko present" "$AGX_KO is missing; run scripts/build-kernel.sh"
	tap_finish
fi
# Driver debug messages (firmware log lines) into the kernel log.
echo 0x2 >/sys/module/drm/parameters/debug 2>/dev/null

# 1. Bring-up.
if tap_here "insmod agx.ko boot=1 with agxsim-vm: bring-up completes" boot_with_sim; then
	tap_run "fw (up)" "$test_prog" up_
	tap_run "fw (up)" "$test_prog" alive_
	tap_check "kernel log: firmware initialized" \
		dmesg_since_mark_has "firmware G13-13.5 initialized, InitData at 0xffffffa"
	tap_check "kernel log: a firmware log line at debug level" \
		dmesg_since_mark_has "fw info: "

	# 2. An injected firmware crash.
	kill -USR1 "$sim_pid"
	tap_check "fw_status shows the crash" fw_state_is crashed
	tap_run "fw (crashed)" "$test_prog" dead_
	tap_check "kernel log: the crash is reported" \
		dmesg_since_mark_has "GPU firmware crashed: the device is dead"
	tap_here "unbind and unload after the crash" unbind_and_unload
else
	[ -n "$insmod_pid" ] && wait "$insmod_pid"
	agx_module_loaded && rmmod agx
fi

# 3. Reload: bring-up again, then unload with the firmware running.
if tap_here "reload: bring-up completes again" boot_with_sim; then
	tap_run "fw (reloaded)" "$test_prog" up_
	tap_run "fw (reloaded)" "$test_prog" alive_
	tap_here "unbind and unload with the firmware running" unbind_and_unload
else
	[ -n "$insmod_pid" ] && wait "$insmod_pid"
	agx_module_loaded && rmmod agx
fi
echo 0 >/sys/module/drm/parameters/debug 2>/dev/null

# 4. An unsupported firmware ABI fails the probe, not the kernel.
if tap_check "insmod agx.ko boot=1 with firmware ABI 12.3.0 on G14G" \
	insmod "$AGX_KO" boot=1 sim_gpu=g14g sim_chip=0x8112 sim_fw_abi=12.3.0; then
	if [ -e "$simdev" ] || [ -e "$node" ]; then
		tap_not_ok "no device with an unsupported firmware ABI" "a device node exists"
	else
		tap_ok "no device with an unsupported firmware ABI"
	fi
	tap_check "kernel log: unsupported combination named" \
		dmesg_since_mark_has "unsupported GPU/firmware combination G14G + 12.3.0"
	tap_check "rmmod agx (unsupported firmware ABI)" rmmod agx
fi

if [ -n "$sim_pid" ]; then
	kill -KILL "$sim_pid" 2>/dev/null
fi
if [ -s "$simlog" ]; then
	tap_diag "agxsim-vm stderr:
$(<"$simlog")"
fi
tap_check "kernel log has no oops, BUG or WARNING" agx_dmesg_check
tap_check "kernel not tainted by a warning or oops" agx_taint_check
tap_finish
