#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The curated piglit list (mesa/piglit/tests.txt) on agx on the functional
# drm-shim, checked against mesa/piglit/expectations.txt. Prints TAP (see
# mesa/piglit/run.sh): known failures are "ok # SKIP known fail", any change
# (regression or fix) is "not ok". Reported as SKIP when piglit is not
# installed or the functional shim is not built.
#
# AGX_PIGLIT_SOFTPIPE=1 also runs the list on our build's softpipe (about
# 1.5 min on 2 cores, so not by default) and prints its pass rate next to
# ours; otherwise the rate of the last softpipe run, if any, is printed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${AGX_CACHE:-$repo/.cache}
shim=$cache/mesa-install/lib/libagx_sim_drm_shim.so

skip() {
   echo "TAP version 13"
   echo "1..1"
   echo "ok 1 piglit on agx # SKIP $1"
   exit 0
}
command -v piglit >/dev/null 2>&1 &&
   [ -x /usr/lib/x86_64-linux-gnu/piglit/bin/shader_runner ] ||
   skip "piglit is not installed (apt-get install piglit; scripts/setup.sh does)"
[ -f "$shim" ] ||
   skip "libagx_sim_drm_shim.so not built (build build/host, then mesa/build.sh)"

sh "$repo/mesa/piglit/run.sh"
status=$?

sp=$repo/build/piglit/softpipe/rate.txt
if [ "${AGX_PIGLIT_SOFTPIPE:-0}" = 1 ]; then
   sh "$repo/mesa/piglit/run.sh" --softpipe >/dev/null 2>&1
   [ -f "$sp" ] && echo "# for comparison: $(cat "$sp")" ||
      echo "# softpipe comparison run failed (mesa/piglit/run.sh --softpipe)"
elif [ -f "$sp" ]; then
   echo "# for comparison, last softpipe run ($(date -u -r "$sp" +%F)): $(cat "$sp")"
fi
exit $status
