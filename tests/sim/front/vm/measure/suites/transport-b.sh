#!/bin/bash
# SPDX-License-Identifier: MIT
#
# MEASUREMENT ONLY (transport-bench.sh): the guest half of option B, a
# simulator in a host process. Needs the QEMU options transport-bench.sh
# adds (shared guest RAM, a chardev socket on the second serial port).

# shellcheck source=/dev/null
. "$AGX_REPO/tests/vm/lib.sh"

bench=$AGX_MESON_BUILD/tests/sim/front/vm/measure/guest_chan_bench
for i in 1 2 3; do
	if out=$("$bench" /dev/ttyS1 2000 2>&1); then
		tap_ok "channel run $i"
	else
		tap_not_ok "channel run $i" "$out"
	fi
	tap_diag "B: $out"
done
tap_finish
