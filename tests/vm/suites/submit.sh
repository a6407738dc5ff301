#!/bin/bash
# SPDX-License-Identifier: MIT
#
# submit: queues and SUBMIT of agx.ko (issue 5) against the simulated GPU
# and firmware. agx.ko is loaded with boot=1 and agxsim-vm attached (as in
# fw.sh); tests/kernel/agx_submit_test then runs its groups one by one
# (see the program's opening comment): queue and submit ioctls valid and
# invalid, compute work with checked results, sync objects, concurrency,
# isolation, GPU faults and timeouts, a render pass, and a bounded fuzzer.
# Then: a program exits with slow work queued and the device is unbound
# and the module unloaded at once; the module is loaded again and runs
# work, and a firmware crash is injected (SIGUSR1 to agxsim-vm) with work
# in flight; loaded once more with a short job_timeout_ms (2 s), a job
# running past that limit fails with -ETIMEDOUT, and a queue destroyed
# while its timed-out job still runs must be freed once the job ends.
# Before that, loaded with initial_tvb_size=1, a render overflows the
# one-block TVB and must complete after the GrowTVB handshake.
# No GEM object or VM may be left over, and the kernel log must be clean.

# The helpers below run through tap_here/tap_check, which shellcheck
# cannot see.
# shellcheck disable=SC2317
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/../lib.sh"

node=/dev/dri/renderD128
simdev=/dev/agx-sim
prog=$AGX_MESON_BUILD/tests/kernel/agx_submit_test
front=$AGX_MESON_BUILD/tests/sim/front/vm/agxsim-vm
ready=/run/agxsim.ready
simlog=/run/agxsim.log
sim_pid=
insmod_pid=

# Keep the fuzzer bounded in TCG.
export AGX_FUZZ_ITERS=${AGX_FUZZ_ITERS:-1500}
export AGX_FUZZ_SECONDS=${AGX_FUZZ_SECONDS:-20}

# sim_up: insmod agx.ko boot=1 in the background, attach agxsim-vm once
# /dev/agx-sim exists, and wait for the probe (the firmware bring-up).
sim_up() {
	local rc
	rm -f "$ready"
	insmod "$AGX_KO" boot=1 sim_wait_ms=30000 "$@" &
	insmod_pid=$!
	agx_wait_for "$simdev" 100 || { echo "$simdev did not appear"; return 1; }
	"$front" --ready "$ready" >>"$simlog" 2>&1 &
	sim_pid=$!
	agx_wait_for "$ready" 100 || { echo "agxsim-vm did not attach"; return 1; }
	wait "$insmod_pid" && rc=0 || rc=$?
	insmod_pid=
	[ "$rc" = 0 ] || { echo "insmod exited with $rc"; return 1; }
	find_node || { echo "no asahi render node appeared"; ls /dev/dri; return 1; }
}

# find_node: the render node of the asahi device (renderD128 unless an
# earlier device was never released), exported for the programs (5 s).
find_node() {
	local i n
	for ((i = 0; i < 50; i++)); do
		for n in /sys/class/drm/renderD*; do
			[ -e "$n/device/driver" ] || continue
			[[ $(readlink "$n/device/driver") == */agx ]] || continue
			node=/dev/dri/${n##*/}
			[ -e "$node" ] || continue
			export AGX_RENDER_NODE=$node
			[ "$node" = /dev/dri/renderD128 ] ||
				echo "note: the device is $node (an earlier one was not released)"
			return 0
		done
		sleep 0.1
	done
	return 1
}

# sim_down: unbind the device (agxsim-vm sees it go and exits 0), rmmod.
sim_down() {
	local i rc
	echo agx-sim >/sys/bus/platform/drivers/agx/unbind || return 1
	for ((i = 0; i < 100; i++)); do
		kill -0 "$sim_pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$sim_pid" 2>/dev/null; then
		echo "agxsim-vm still running after the unbind"
		return 1
	fi
	wait "$sim_pid" && rc=0 || rc=$?
	sim_pid=
	[ "$rc" = 0 ] || { echo "agxsim-vm exited with $rc"; return 1; }
	agx_wait_gone "$simdev" || { echo "$simdev still there"; return 1; }
	rmmod agx
}

# sim_up_retry [PARAMS]: sim_up, and once more if the first bring-up
# fails (now and then, on a loaded host, a bring-up gets no handoff answer
# from the simulated firmware within 15 s; see tests/kernel/README.md).
# The retry is reported as a TAP diagnostic.
retried=
sim_up_retry() {
	retried=
	sim_up "$@" && return 0
	retried="first bring-up failed ($(dmesg | grep -E 'handoff|bring-up' | tail -n 1)); retried once"
	sim_cleanup >/dev/null 2>&1
	sim_up "$@"
}

# A failed bring-up leaves things half up; clear them for the next step.
sim_cleanup() {
	[ -n "$insmod_pid" ] && wait "$insmod_pid"
	insmod_pid=
	if [ -n "$sim_pid" ]; then
		kill -TERM "$sim_pid" 2>/dev/null
		wait "$sim_pid" 2>/dev/null
		sim_pid=
	fi
	agx_module_loaded && rmmod agx
}

debugfs_file() {
	local d
	for d in /sys/kernel/debug/dri/*; do
		if [ -f "$d/name" ] && [[ $(<"$d/name") == asahi* ]]; then
			echo "$d/$1"
			return 0
		fi
	done
	return 1
}

# no_objects_left: the objects debugfs file counts no BO and no VM.
no_objects_left() {
	local f counts
	f=$(debugfs_file objects) || { echo "no debugfs objects file"; return 1; }
	counts=$(<"$f")
	[[ $counts == *"bos 0"*"vms 0"* ]] && return 0
	echo "$counts"
	return 1
}

# fw_crashed: fw_status says "state crashed" (waits up to 5 s).
fw_crashed() {
	local i f
	f=$(debugfs_file fw_status) || { echo "no fw_status"; return 1; }
	for ((i = 0; i < 50; i++)); do
		grep -qx "state crashed" "$f" 2>/dev/null && return 0
		sleep 0.1
	done
	cat "$f"
	return 1
}

agx_dmesg_mark
: >"$simlog"

tap_check "load DRM helper modules" agx_load_helpers
if [ ! -f "$AGX_KO" ]; then
	tap_not_ok "agx.ko present" "$AGX_KO is missing; run scripts/build-kernel.sh"
	tap_finish
fi

# 1. The ioctls and the work, group by group.
if tap_here "insmod agx.ko boot=1 with agxsim-vm" sim_up_retry; then
	[ -n "$retried" ] && tap_diag "$retried"
	for group in queue_ submit_ sync_ conc_ iso_ render_ fault_ fuzz_; do
		tap_run "submit ($group)" "$prog" "$group"
	done
	tap_check "no GEM objects or VMs left after the programs" no_objects_left

	# 2. Work in flight when the file closes, then unbind and unload.
	tap_run "submit (inflight)" "$prog" inflight_
	tap_here "unbind and rmmod right after, with work just queued" sim_down ||
		sim_cleanup
else
	sim_cleanup
fi

# 3. Reload: the firmware boots again and work runs; then a firmware crash
# with work in flight.
if tap_here "reload: insmod agx.ko boot=1" sim_up_retry; then
	[ -n "$retried" ] && tap_diag "$retried"
	tap_run "submit (reloaded)" "$prog" submit_compute_fill
	AGXSIM_PID=$sim_pid tap_run "submit (crash)" "$prog" crash_
	tap_check "fw_status shows the crash" fw_crashed
	tap_check "no GEM objects or VMs left after the crash" no_objects_left
	tap_here "unbind and rmmod after the crash" sim_down || sim_cleanup
else
	sim_cleanup
fi

# 4. Reload with a one-block TVB: a render whose binned geometry needs more
# makes the firmware raise GrowTVB; the kernel grows the TVB and acks, the
# pass completes with the right image, and the queues debugfs file shows
# the growth (tests/kernel/agx_submit_test.c, render_tvb_grows).
if tap_here "reload: insmod agx.ko boot=1 initial_tvb_size=1" sim_up_retry initial_tvb_size=1; then
	[ -n "$retried" ] && tap_diag "$retried"
	tap_run "submit (TVB growth)" "$prog" render_tvb_grows
	tap_check "no GEM objects or VMs left after the TVB growth" no_objects_left
	tap_here "unbind and rmmod after the TVB growth" sim_down || sim_cleanup
else
	sim_cleanup
fi

# 5. Last (a failure here leaves objects behind): reload with a short
# scheduler timeout; a job running past the limit fails with -ETIMEDOUT;
# a queue destroyed while its timed-out job still runs is freed later.
if tap_here "reload: insmod agx.ko boot=1 job_timeout_ms=2000" sim_up_retry job_timeout_ms=2000; then
	[ -n "$retried" ] && tap_diag "$retried"
	tap_run "submit (timeout)" "$prog" timeout_
	tap_check "no GEM objects or VMs left after the timeouts" no_objects_left
	tap_here "unbind and rmmod after the timeouts" sim_down || sim_cleanup
else
	sim_cleanup
fi

if [ -s "$simlog" ]; then
	tap_diag "agxsim-vm stderr (last lines):
$(tail -n 40 "$simlog")"
fi
tap_check "kernel log has no oops, BUG or WARNING" agx_dmesg_check
tap_check "kernel not tainted by a warning or oops" agx_taint_check
tap_finish
