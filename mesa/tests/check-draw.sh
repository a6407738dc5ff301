#!/bin/sh
# SPDX-License-Identifier: MIT
#
# GPU rendering through the whole host path: GLES2 programs on our Mesa,
# the functional drm-shim and the simulated GPU. Prints TAP.
#
#   1      the functional shim is installed (else everything is SKIP)
#   2-13   gles-draw.c: clear, interpolated triangle, indexed draws, depth
#          test, textured quad, blending, render-to-texture, background
#          load, stencil, culling + scissor; each compared with an
#          expectation computed in the program
#          (tolerances there)
#
# Environment: AGX_CACHE (default <repo>/.cache).
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${AGX_CACHE:-$repo/.cache}
prefix=$cache/mesa-install
libdir=$prefix/lib
shim=$libdir/libagx_sim_drm_shim.so
vendor_json=$prefix/share/glvnd/egl_vendor.d/50_mesa.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

plan=13
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
ok "functional shim installed"


if cc -O1 -o "$tmp/gles-draw" "$here/gles-draw.c" -lEGL -lGLESv2 -lm \
      2>"$tmp/cc.log"; then
   env LD_LIBRARY_PATH="$libdir" \
      __EGL_VENDOR_LIBRARY_FILENAMES="$vendor_json" \
      LD_PRELOAD="$shim" timeout 600 "$tmp/gles-draw" >"$tmp/draw.log" 2>&1
   echo "# exit status $?" >>"$tmp/draw.log"
else
   sed 's/^/# /' "$tmp/cc.log" >"$tmp/draw.log"
fi
merge gles-draw 12 "$tmp/draw.log"
