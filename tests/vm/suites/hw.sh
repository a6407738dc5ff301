#!/bin/bash
# SPDX-License-Identifier: MIT
#
# hw: the hardware boundary (kernel/agx_hw.h) through the simulator backend
# and its transport (docs/sim-transport.md). agx.ko is loaded, the
# simulator front end agxsim-vm runs inside the guest, and
# tests/kernel/agx_hw_test drives the backend operations through the
# backend's test-only debugfs files. Covered: the device works without a
# simulator; a misbehaving simulator (bad ioctls, mmaps and records, no
# answers) is refused or timed out; ID registers, MMIO, boot, messages both ways, TLB
# invalidations and an injected firmware crash with the test device
# (--fake) and with the simulated device; the simulator being killed;
# unbinding and unloading with the simulator attached; bad module
# parameters; a clean kernel log.

# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/../lib.sh"

node=/dev/dri/renderD128
simdev=/dev/agx-sim
test_prog=$AGX_MESON_BUILD/tests/kernel/agx_hw_test
front=$AGX_MESON_BUILD/tests/sim/front/vm/agxsim-vm
ready=/run/agxsim.ready
stats=/run/agxsim.stats
simlog=/run/agxsim.log
sim_pid=

# start_sim [ARGS...]: start agxsim-vm in the background and wait until it
# has attached. Its output goes to $simlog.
start_sim() {
	rm -f "$ready" "$stats"
	"$front" --ready "$ready" --stats "$stats" "$@" >>"$simlog" 2>&1 &
	sim_pid=$!
	agx_wait_for "$ready" 100
}

# wait_sim_exit: wait (5 s) for agxsim-vm to exit and check its status.
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
	[ "$rc" = 0 ] || { echo "agxsim-vm exited with $rc"; cat "$simlog"; return 1; }
}

stop_sim() {
	[ -n "$sim_pid" ] || return 0
	kill -TERM "$sim_pid" 2>/dev/null
	wait_sim_exit
}

# open_fails PATH: opening PATH read-write fails.
open_fails() {
	if (exec 3<>"$1") 2>/dev/null; then
		echo "$1 could be opened"
		return 1
	fi
}

# stat_is KEY VALUE: agxsim-vm's stats file has "KEY VALUE".
stat_is() {
	local line
	while IFS= read -r line; do
		[ "$line" = "$1 $2" ] && return 0
	done <"$stats"
	echo "no '$1 $2' in $stats:"
	cat "$stats"
	return 1
}

agx_dmesg_mark
: >"$simlog"

tap_check "load DRM helper modules" agx_load_helpers
if [ ! -f "$AGX_KO" ]; then
	tap_not_ok "agx.ko present" "$AGX_KO is missing; run scripts/build-kernel.sh"
	tap_finish
fi

if ! tap_check "insmod agx.ko" insmod "$AGX_KO"; then
	tap_finish
fi
tap_check "$simdev appears" agx_wait_for "$simdev"
tap_check "$node appears without a simulator" agx_wait_for "$node"

# 1. No simulator: probe succeeded, the device is "powered off".
tap_run "hw (no simulator)" "$test_prog" none_
tap_run "hw (misbehaving simulator)" "$test_prog" rogue_

# 2. The transport's test device.
if tap_here "agxsim-vm --fake attaches" start_sim --fake; then
	tap_check "$simdev can be opened only once" open_fails "$simdev"
	tap_run "hw (fake device)" "$test_prog" fake_

	# An open /dev/agx-sim holds a module reference, like a render node.
	if rmmod agx 2>/dev/null; then
		tap_not_ok "rmmod refused while the simulator is attached" "rmmod succeeded"
		tap_finish
	fi
	tap_ok "rmmod refused while the simulator is attached"

	kill -USR1 "$sim_pid"
	tap_run "hw (injected crash)" "$test_prog" crash_

	tap_here "agxsim-vm exits cleanly on SIGTERM" stop_sim
	tap_check "agxsim-vm saw 1 ASID, 1 range and 1 full TLB invalidation" \
		eval 'stat_is tlbi_all 1 && stat_is tlbi_asid 1 && stat_is tlbi_range 1'
	tap_check "agxsim-vm saw the last range invalidation's arguments" \
		stat_is last_tlbi "3 0x1234000 0x8000"
	tap_check "agxsim-vm saw the last message sent" \
		stat_is last_send "0x20 0x000000000000006b"
	tap_check "agxsim-vm pinged 1000 times" stat_is pings 1000
fi

# 3. The simulated device; then the simulator dies after booting.
if tap_here "agxsim-vm attaches with the simulated device" start_sim; then
	tap_run "hw (simulated device)" "$test_prog" real_
	kill -KILL "$sim_pid"
	wait "$sim_pid" 2>/dev/null
	sim_pid=
	tap_run "hw (simulator killed)" "$test_prog" gone_
fi

# 4. Unbind the device with a simulator attached: agxsim-vm sees the end
# of the device and exits 0; then the module unloads.
if tap_here "agxsim-vm attaches again" start_sim --fake; then
	tap_check "unbind the device with the simulator attached" \
		eval 'echo agx-sim >/sys/bus/platform/drivers/agx/unbind'
	tap_here "agxsim-vm exits 0 when the device goes away" wait_sim_exit
	tap_check "$simdev disappears" agx_wait_gone "$simdev"
fi
tap_check "rmmod agx" rmmod agx

# 5. Unsupported configurations fail the probe, not the kernel.
if tap_check "insmod agx.ko with an unsupported GPU/firmware combination" \
	insmod "$AGX_KO" sim_gpu=g14s sim_fw_abi=12.4.0; then
	if [ -e "$simdev" ] || [ -e "$node" ]; then
		tap_not_ok "no device with an unsupported combination" "a device node exists"
	else
		tap_ok "no device with an unsupported combination"
	fi
	tap_check "rmmod agx (unsupported combination)" rmmod agx
fi
# boot=1 with no simulator: the boot fails, and so does the probe, which
# unwinds the backend.
if tap_check "insmod agx.ko boot=1 without a simulator" insmod "$AGX_KO" boot=1; then
	if [ -e "$simdev" ] || [ -e "$node" ]; then
		tap_not_ok "no device when the boot fails" "a device node exists"
	else
		tap_ok "no device when the boot fails"
	fi
	tap_check "rmmod agx (boot failed)" rmmod agx
fi
if tap_check "insmod agx.ko sim_gpu=g14g sim_chip=0x8112" \
	insmod "$AGX_KO" sim_gpu=g14g sim_chip=0x8112; then
	if tap_here "agxsim-vm attaches as G14G" start_sim; then
		tap_run "hw (G14G)" "$test_prog" real_id
		tap_here "agxsim-vm exits cleanly (G14G)" stop_sim
	fi
	tap_check "rmmod agx (G14G)" rmmod agx
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
