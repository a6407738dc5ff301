#!/bin/bash
# SPDX-License-Identifier: MIT
#
# gem_vm: the GEM, VM and UAT ioctls of agx.ko (tests/kernel/agx_gem_vm.c):
# every ioctl with valid and invalid arguments, mmap, PRIME, VM_BIND with
# page tables checked through debugfs, object lifetime, and a bounded
# random-ioctl fuzzer; then no object may be left and the kernel log must
# be clean.

# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/../lib.sh"

prog=$AGX_MESON_BUILD/tests/kernel/agx_gem_vm

# The objects file of the asahi device in debugfs.
objects_file() {
	local d
	for d in /sys/kernel/debug/dri/*; do
		if [ -f "$d/name" ] && [[ $(<"$d/name") == asahi* ]]; then
			echo "$d/objects"
			return 0
		fi
	done
	return 1
}

agx_dmesg_mark
tap_check "load DRM helper modules" agx_load_helpers
if ! tap_check "insmod agx.ko" insmod "$AGX_KO"; then
	tap_finish
fi
tap_check "render node appears" agx_wait_for /dev/dri/renderD128
# A few huge pages for the hugetlb-backed dma-buf import test.
echo 4 >/proc/sys/vm/nr_hugepages 2>/dev/null || true

AGX_FUZZ_ITERS=${AGX_FUZZ_ITERS:-100000} AGX_FUZZ_SECONDS=${AGX_FUZZ_SECONDS:-60} \
	tap_run agx_gem_vm "$prog"

# The same UAT paths with the simulator attached, so invalidations reach a
# real backend: agxsim-vm counts the TLBI requests it gets.
front=$AGX_MESON_BUILD/tests/sim/front/vm/agxsim-vm
ready=/run/agxsim-gem_vm.ready
stats=/run/agxsim-gem_vm.stats
if [ -x "$front" ]; then
	rm -f "$ready" "$stats"
	"$front" --ready "$ready" --stats "$stats" >/run/agxsim-gem_vm.log 2>&1 &
	sim_pid=$!
	if tap_check "agxsim-vm attaches" agx_wait_for "$ready" 100; then
		tap_run "agx_gem_vm (simulator attached)" "$prog" slot_
		tap_run "agx_gem_vm (simulator attached)" "$prog" bind_object_timestamps
		kill -TERM "$sim_pid" 2>/dev/null
		wait "$sim_pid" 2>/dev/null
		sim_range=0 sim_asid=0
		if [ -f "$stats" ]; then
			while read -r key val; do
				case $key in
				tlbi_range) sim_range=$val ;;
				tlbi_asid) sim_asid=$val ;;
				esac
			done <"$stats"
		fi
		if [ "$sim_range" -gt 0 ] && [ "$sim_asid" -gt 0 ]; then
			tap_ok "the simulator received range and ASID invalidations ($sim_range, $sim_asid)"
		else
			tap_not_ok "the simulator received range and ASID invalidations" \
				"range $sim_range asid $sim_asid; $(cat "$stats" 2>&1)"
		fi
	else
		kill -KILL "$sim_pid" 2>/dev/null
		wait "$sim_pid" 2>/dev/null
	fi
else
	tap_skip "agxsim-vm attaches" "no $front"
fi

if obj=$(objects_file); then
	counts=$(<"$obj")
	if [[ $counts == *"bos 0"*"vms 0"*"bind_objects 0"* ]]; then
		tap_ok "no GEM objects, VMs or bind objects left"
	else
		tap_not_ok "no GEM objects, VMs or bind objects left" "$counts"
	fi
else
	tap_not_ok "no GEM objects, VMs or bind objects left" "no debugfs objects file"
fi

tap_check "rmmod agx" rmmod agx
tap_check "kernel log has no oops, BUG or WARNING" agx_dmesg_check
tap_check "kernel not tainted by a warning or oops" agx_taint_check
tap_finish
