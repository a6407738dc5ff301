#!/bin/bash
# SPDX-License-Identifier: MIT
#
# queue: queues and SUBMIT of agx.ko (kernel/agx_queue.c, agx_submit.c,
# agx_job.c) against the simulated firmware and GPU. agx.ko is loaded with
# boot=1 and agxsim-vm attached (as in the fw suite); then
# tests/kernel/agx_queue_smoke runs compute jobs through the render node:
# completion through binary and timeline sync objects, ordering, malformed
# requests, a GPU fault failing one job with -EIO, a firmware Timeout
# (a looping control stream) failing one job with -ETIMEDOUT, destroying and closing
# with work in flight; then, with job_timeout_ms set to 3 s, drm_sched's
# timeout fails the looping job first, and the queue works again once the
# firmware has given up too; a file closed with a looping job still on the
# firmware leaves its queue's objects kept, freed at the unbind. A page
# fault and a timeout injected through agxsim-vm (SIGUSR2, SIGURG) fail
# the next job with -EIO / -ETIMEDOUT. Then an injected firmware crash: QUEUE_CREATE
# fails with -ENODEV; the device is unbound while another process keeps a
# queue open (its SUBMIT then fails with -ENODEV, its close is clean);
# unload; a clean kernel log.

# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/../lib.sh"

node=/dev/dri/renderD128
simdev=/dev/agx-sim
test_prog=$AGX_MESON_BUILD/tests/kernel/agx_queue_smoke
front=$AGX_MESON_BUILD/tests/sim/front/vm/agxsim-vm
ready=/run/agxsim.ready
simlog=/run/agxsim.log
sim_pid=
insmod_pid=

boot_with_sim() {
	local rc
	rm -f "$ready"
	# job_timeout_ms: longer than the simulated GPU needs to give up on a
	# looping stream under TCG (~30 s), so the firmware's Timeout is seen.
	insmod "$AGX_KO" boot=1 sim_wait_ms=30000 job_timeout_ms=90000 &
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

agx_dmesg_mark
: >"$simlog"

tap_check "load DRM helper modules" agx_load_helpers
if [ ! -f "$AGX_KO" ]; then
	tap_not_ok "agx.ko present" "$AGX_KO is missing; run scripts/build-kernel.sh"
	tap_finish
fi

# Driver debug messages (and the firmware's log) into the kernel log.
echo 0x2 >/sys/module/drm/parameters/debug 2>/dev/null

if tap_here "insmod agx.ko boot=1 with agxsim-vm" boot_with_sim; then
	tap_run "queue" "$test_prog" up_
	# drm_sched's timeout: queues made now time jobs out after 3 s.
	echo 3000 >/sys/module/agx/parameters/job_timeout_ms
	tap_run "queue (3 s job timeout)" "$test_prog" sched_
	echo 90000 >/sys/module/agx/parameters/job_timeout_ms
	# agxsim-vm's injections: SIGUSR2 a page fault, SIGURG a timeout of
	# the next GPU command.
	kill -USR2 "$sim_pid"
	sleep 0.5
	tap_run "queue (injected fault)" "$test_prog" injf_
	kill -URG "$sim_pid"
	sleep 0.5
	tap_run "queue (injected timeout)" "$test_prog" injt_
	f=$(grep -l '^asahi' /sys/kernel/debug/dri/*/name 2>/dev/null | head -n1)
	tap_diag "queues: $(cat "${f%/name}/queues" 2>&1)"
	# A file keeps a queue with work open across the crash and the unbind.
	rm -f /run/agx-hold.ready /run/agx-hold.go
	"$test_prog" hold_ >/run/agx-hold.tap 2>&1 &
	hold_pid=$!
	agx_wait_for /run/agx-hold.ready 300 || tap_diag "the holding test did not start"
	kill -USR1 "$sim_pid"
	sleep 1
	tap_run "queue (crashed)" "$test_prog" dead_
	if tap_here "unbind (a queue still open)" \
		sh -c 'echo agx-sim >/sys/bus/platform/drivers/agx/unbind'; then
		touch /run/agx-hold.go
		if wait "$hold_pid"; then
			tap_ok "queue closed after the unbind"
		else
			tap_not_ok "queue closed after the unbind" "$(cat /run/agx-hold.tap)"
		fi
	fi
	kill -KILL "$sim_pid" 2>/dev/null
	wait "$sim_pid" 2>/dev/null
	sim_pid=
	agx_wait_gone "$simdev"
	tap_check "rmmod agx after the unbind" rmmod agx
	# sched_close_with_looping_job_keeps_objects left a queue's firmware
	# objects kept; the unbind (firmware stopped) freed them.
	if dmesg | grep -q "firmware objects kept" &&
	   dmesg | grep -q "kept firmware objects freed"; then
		tap_ok "a queue kept for the firmware is freed at unbind"
	else
		tap_not_ok "a queue kept for the firmware is freed at unbind" \
			"$(dmesg | grep -i 'kept' | tail -n 5)"
	fi
else
	[ -n "$insmod_pid" ] && wait "$insmod_pid"
	agx_module_loaded && rmmod agx
fi

if [ -n "$sim_pid" ]; then
	kill -KILL "$sim_pid" 2>/dev/null
fi
if [ -s "$simlog" ]; then
	tap_diag "agxsim-vm stderr (last 40 lines):
$(tail -n 40 "$simlog")"
fi
tap_diag "kernel log (agx, last 60 lines):
$(dmesg | grep -F 'agx' | tail -n 60)"
tap_check "kernel log has no oops, BUG or WARNING" agx_dmesg_check
tap_check "kernel not tainted by a warning or oops" agx_taint_check
tap_finish
