#!/bin/bash
# SPDX-License-Identifier: MIT
#
# MEASUREMENT ONLY (transport-bench.sh): option A, the simulator as a
# daemon in the guest behind /dev/agx-sim. Prints the numbers as TAP
# diagnostics.

# shellcheck source=/dev/null
. "$AGX_REPO/tests/vm/lib.sh"

front=$AGX_MESON_BUILD/tests/sim/front/vm/agxsim-vm
ctl=/sys/kernel/debug/agx-sim/ctl

ping_ns() {
	local r
	echo "ping $1" >"$ctl" || return 1
	read -r r <"$ctl"
	echo "$r"
}

tap_check "load DRM helper modules" agx_load_helpers
tap_check "insmod agx.ko" insmod "$AGX_KO"
for i in 1 2 3; do
	if out=$("$front" --fake --bench-mem 512 2>&1); then
		tap_ok "bulk read run $i"
	else
		tap_not_ok "bulk read run $i" "$out"
	fi
	tap_diag "A: $out"
done
"$front" --fake --ready /run/a.ready >/dev/null 2>&1 &
pid=$!
agx_wait_for /run/a.ready 100
for i in 1 2 3; do
	if ns=$(ping_ns 2000); then
		tap_ok "ping run $i"
	else
		tap_not_ok "ping run $i"
	fi
	tap_diag "A: kernel -> agxsim-vm -> kernel round trip: $ns ns mean over 2000"
done
kill "$pid"
wait "$pid"
tap_check "rmmod agx" rmmod agx
tap_finish
