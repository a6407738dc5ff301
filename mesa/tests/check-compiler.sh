#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Runs the agx shader compiler's unit tests and the driver's shader-side
# tests (src/gallium/drivers/agx/compiler/tests/, built by mesa/build.sh as
# agxc_test_*) and prints one TAP
# stream: each test program's points renumbered and prefixed with its name.
# A test program that is missing or exits non-zero without reporting a
# failure (a crash) counts as a failure.
#
# The end-to-end test runs the compiled shaders in the ISA simulator; it
# uses build/host/tests/sim/isa/agxsim-run (the project's host build) and
# skips when that is missing. Override with AGXSIM_RUN.
#
# agxc_test_draw (the driver's shader side through the simulator's render
# path) is built next to the driver only when Mesa was configured with the
# host build (-Dagx-sim-build); it is reported as skipped otherwise.
#
# Environment: AGX_CACHE (default <repo>/.cache), AGXSIM_RUN.

set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${AGX_CACHE:-$repo/.cache}
bindir=$cache/mesa-build/src/gallium/drivers/agx/compiler
: "${AGXSIM_RUN:=$repo/build/host/tests/sim/isa/agxsim-run}"
export AGXSIM_RUN

n=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for t in ir pack ra from_nir e2e disasm nir_vbo nir_uvs nir_fs_io nir_ubo tilebuffer draw; do
   exe=$bindir/agxc_test_$t
   # the driver-side tests (NIR passes, tile buffer, draws) are built next
   # to the driver
   case $t in nir_*|tilebuffer|draw) exe=$bindir/../agxc_test_$t ;; esac
   if [ ! -x "$exe" ] && [ "$t" = draw ]; then
      n=$((n + 1))
      echo "ok $n - agxc_test_draw # SKIP not built (Mesa configured without the host build)"
      continue
   fi
   if [ ! -x "$exe" ]; then
      n=$((n + 1))
      echo "not ok $n - agxc_test_$t: not built ($exe)"
      continue
   fi
   "$exe" >"$out" 2>&1
   rc=$?
   failed=0
   while IFS= read -r line; do
      case "$line" in
      "ok "*)
         n=$((n + 1))
         echo "ok $n - $t: ${line#ok * - }"
         ;;
      "not ok "*)
         n=$((n + 1))
         failed=1
         echo "not ok $n - $t: ${line#not ok * - }"
         ;;
      1..*) ;;
      *) echo "# $line" ;;
      esac
   done <"$out"
   if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
      n=$((n + 1))
      echo "not ok $n - agxc_test_$t exited with status $rc"
   fi
done
echo "1..$n"
