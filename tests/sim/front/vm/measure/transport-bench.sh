#!/bin/bash
# SPDX-License-Identifier: MIT
#
# transport-bench.sh - MEASUREMENT ONLY: the numbers behind
# docs/sim-transport.md. Boots the test VM twice:
#
#   A. agx.ko plus the in-guest daemon (agxsim-vm) behind /dev/agx-sim:
#      the kernel's round trip to the simulator and back, and the
#      simulator's bulk reads of guest RAM through its mmap;
#   B. the prototype of a host-process simulator: guest RAM in a shared
#      memory-backend-file, mapped by host_shm_bench, and a chardev socket
#      on the guest's second serial port as the message channel; the
#      guest's round trip over that channel and over a polled mailbox in
#      shared RAM, and the host process's bulk reads of guest RAM.
#
# Usage: tests/sim/front/vm/measure/transport-bench.sh   (after the builds)
# Output: the measurements, also in build/vm/transport-bench.txt.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../../../.." && pwd)
build=${AGX_MESON_BUILD:-$repo/build/host}
out=$repo/build/vm/transport-bench
mkdir -p "$out"
report=$repo/build/vm/transport-bench.txt
mem=${AGX_VM_MEM:-2048}
shm=/dev/shm/agx-bench-ram.$$
sock=$out/chan.sock
results=$out/results

export AGX_VM_SUITES_DIR=$here/suites AGX_MESON_BUILD=$build AGX_RESULTS=$results AGX_VM_MEM=$mem
: >"$report"

echo "== A: daemon in the guest" | tee -a "$report"
"$repo/tests/vm/run-suite.sh" transport-a >/dev/null || true
grep '^# A:' "$results/vm-transport-a.tap" | tee -a "$report"

echo "== B: host process sharing guest RAM" | tee -a "$report"
wrap=$out/qemu-wrap.sh
cat >"$wrap" <<WRAP
#!/bin/sh
exec qemu-system-x86_64 "\$@" \\
	-object memory-backend-file,id=agxram,size=${mem}M,mem-path=$shm,share=on \\
	-machine memory-backend=agxram \\
	-chardev socket,id=agxch,path=$sock,server=on,wait=off \\
	-device isa-serial,chardev=agxch,index=1
WRAP
chmod +x "$wrap"
rm -f "$sock"
"$build/tests/sim/front/vm/measure/host_shm_bench" "$shm" "$sock" 2048 >"$out/host.txt" 2>&1 &
host=$!
AGX_QEMU=$wrap "$repo/tests/vm/run-suite.sh" transport-b >/dev/null || true
kill "$host" 2>/dev/null || true
wait "$host" 2>/dev/null || true
rm -f "$shm" "$sock"
tee -a "$report" <"$out/host.txt"
grep '^# B:' "$results/vm-transport-b.tap" | tee -a "$report"
