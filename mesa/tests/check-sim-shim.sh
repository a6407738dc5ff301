#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Tests of the host path on the functional drm-shim
# (libagx_sim_drm_shim.so: asahi ioctls run by the simulator's direct API).
# Prints TAP.
#
#   1     the functional shim is installed (needs the host build, build/host,
#         before mesa/build.sh; otherwise every test is reported as SKIP)
#   2-3   egl-probe: the surfaceless display runs on driver "asahi" and a
#         GLES2 context is created
#   gles-clear.c: GLES2 context, FBO, glClear (whole and scissored) and
#         glReadPixels. A whole clear is a render pass whose background
#         program clears (GPU); the scissored clear is still a CPU fallback
#   agx_device_test: the device layer (VA heaps, BO cache, dma-buf)
#   agx-compute-smoke.c: a compute job through GEM/VM_BIND/QUEUE/SUBMIT and
#         a sync object, run on the simulated GPU, result checked
#
# Each program's TAP lines are renumbered into this script's plan.
# Environment: AGX_CACHE (default <repo>/.cache).
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${AGX_CACHE:-$repo/.cache}
prefix=$cache/mesa-install
libdir=$prefix/lib
shim=$libdir/libagx_sim_drm_shim.so
vendor_json=$prefix/share/glvnd/egl_vendor.d/50_mesa.json
device_test=$cache/mesa-build/src/gallium/drivers/agx/agx_device_test
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Plan: 3 here + gles-clear 9 + agx_device_test 14 + compute 9.
plan=35
n=0
failed=0
# shellcheck source=mesa/tests/lib/tap-merge.sh
. "$here/lib/tap-merge.sh"

echo "TAP version 13"
echo "1..$plan"

if [ ! -f "$shim" ]; then
   while [ "$n" -lt "$plan" ]; do
      n=$((n + 1))
      echo "ok $n # SKIP libagx_sim_drm_shim.so not built (build build/host, then mesa/build.sh)"
   done
   exit 0
fi
ok "functional shim installed ($shim)"

run() { # run PROGRAM [ARGS...] with our Mesa and the functional shim
   env LD_LIBRARY_PATH="$libdir" \
      __EGL_VENDOR_LIBRARY_FILENAMES="$vendor_json" \
      LD_PRELOAD="$shim" "$@"
}


# --- egl-probe -------------------------------------------------------------
if cc -O1 -o "$tmp/egl-probe" "$here/egl-probe.c" -lEGL 2>"$tmp/cc.log"; then
   run "$tmp/egl-probe" >"$tmp/probe.log" 2>&1
   echo "egl-probe exit status $?" >>"$tmp/probe.log"
   if grep -qF "driver: asahi" "$tmp/probe.log"; then
      ok "egl-probe: surfaceless display runs on driver \"asahi\""
   else
      not_ok "egl-probe: surfaceless display runs on driver \"asahi\""
      sed 's/^/  # /' "$tmp/probe.log"
   fi
   if grep -qF "context: created" "$tmp/probe.log"; then
      ok "egl-probe: GLES2 context created on agx"
   else
      not_ok "egl-probe: GLES2 context created on agx"
      sed 's/^/  # /' "$tmp/probe.log"
   fi
else
   sed 's/^/  # /' "$tmp/cc.log"
   not_ok "egl-probe builds (needs cc and libegl-dev)"
   not_ok "egl-probe: GLES2 context created on agx"
fi

# --- gles-clear ------------------------------------------------------------
if cc -O1 -o "$tmp/gles-clear" "$here/gles-clear.c" -lEGL -lGLESv2 \
      2>"$tmp/cc.log"; then
   run "$tmp/gles-clear" >"$tmp/clear.log" 2>&1
   echo "# exit status $?" >>"$tmp/clear.log"
else
   sed 's/^/  # /' "$tmp/cc.log" >"$tmp/clear.log"
fi
merge gles-clear 9 "$tmp/clear.log"

# --- agx_device_test --------------------------------------------------------
if [ -x "$device_test" ]; then
   run "$device_test" >"$tmp/device.log" 2>&1
   echo "# exit status $?" >>"$tmp/device.log"
else
   echo "# $device_test not built" >"$tmp/device.log"
fi
merge agx_device_test 14 "$tmp/device.log"

# --- compute smoke test -----------------------------------------------------
# agx_pack.h is generated from mesa/genxml; the shader comes from the
# simulator's test assembler (tests/sim/isa/tests/asm.c).
if /usr/bin/python3 "$repo/mesa/genxml/gen_pack.py" \
      "$repo/mesa/genxml/agx_hw.xml" "$tmp/agx_pack.h" 2>"$tmp/cc.log" &&
   cc -O1 -std=gnu11 -I"$tmp" -I"$repo/uapi" -I"$repo/tests/sim/isa/tests" \
      $(pkg-config --cflags libdrm 2>/dev/null || echo -I/usr/include/libdrm) \
      -o "$tmp/compute" "$here/agx-compute-smoke.c" \
      "$repo/tests/sim/isa/tests/asm.c" -ldrm 2>>"$tmp/cc.log"; then
   run "$tmp/compute" >"$tmp/compute.log" 2>&1
   echo "# exit status $?" >>"$tmp/compute.log"
else
   sed 's/^/  # /' "$tmp/cc.log" >"$tmp/compute.log"
fi
merge agx-compute-smoke 9 "$tmp/compute.log"

[ "$n" -eq "$plan" ] || echo "# ran $n of $plan"
[ "$failed" -eq 0 ] && [ "$n" -eq "$plan" ]
