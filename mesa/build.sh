#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Build Mesa 25.0.7 with the agx gallium driver (plus softpipe) into .cache/.
#
#   mesa/build.sh            fetch if needed, prepare, configure, build, install
#
# Steps, each skipped when already up to date:
#   1. mesa/fetch.sh: pristine 25.0.7 tree (sha256-checked).
#   2. .cache/mesa-src: a copy of the pristine tree with mesa/patches/*.patch
#      applied, recreated only when the patches change. Our driver sources
#      are symlinked into it from mesa/src/, so edits in the repository are
#      seen by ninja directly and only the edited files are rebuilt.
#   3. meson setup .cache/mesa-build (or --reconfigure when the options
#      changed; ninja itself re-runs meson when a meson.build changed).
#   4. ninja -j$AGX_JOBS (default 2), then meson install to .cache/mesa-install.
#
# Environment: AGX_CACHE (default <repo>/.cache), AGX_JOBS (default 2).

set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
cache=${AGX_CACHE:-$repo/.cache}
export AGX_CACHE="$cache"
jobs=${AGX_JOBS:-2}
src=$cache/mesa-src
build=$cache/mesa-build
prefix=$cache/mesa-install

# pyenv's python3 has no mako; scripts run by shebang need the system one.
export PATH=/usr/bin:$PATH

log() { echo "build.sh: $*" >&2; }
now() { date +%s.%N; }
t_start=$(now)
t_last=$t_start
timing() {
   t=$(now)
   awk -v a="$t_last" -v b="$t" -v what="$1" \
      'BEGIN { printf "build.sh: [%6.1fs] %s\n", b - a, what }' >&2
   t_last=$t
}

# 1. Pristine source.
pristine=$("$here/fetch.sh" | tail -n 1)
timing "fetch"

# 2. Patched tree. Its stamp holds a hash of the inputs (pristine stamp and
# patches) and a manifest of the result, so that a patch change or files
# deleted from the tree behind our back both lead to a fresh copy.
manifest() {
   (cd "$1" && find . -type f ! -name '.agx-*' -printf '%P %s\n') |
      LC_ALL=C sort | sha256sum | cut -d' ' -f1
}
patches=$(find "$here/patches" -name '*.patch' | sort)
tree_id=$( (cat "$pristine/.agx-pristine-stamp"; cat $patches) | sha256sum |
          cut -d' ' -f1)
if [ ! -f "$src/.agx-tree-stamp" ] ||
   [ "$(cat "$src/.agx-tree-stamp")" != "$tree_id $(manifest "$src")" ]; then
   log "preparing $src"
   rm -rf "$src"
   # cp -a keeps the pristine mtimes, so a rebuild after a patch change
   # only recompiles what the patches touch.
   cp -a "$pristine" "$src"
   rm -f "$src/.agx-pristine-stamp"
   for p in $patches; do
      log "applying $(basename "$p")"
      patch -p1 -s --no-backup-if-mismatch -d "$src" <"$p"
   done
   echo "$tree_id $(manifest "$src")" >"$src/.agx-tree-stamp"
fi
ln -sfn "$here/src/gallium/drivers/agx" "$src/src/gallium/drivers/agx"
mkdir -p "$src/src/gallium/winsys/agx"
ln -sfn "$here/src/gallium/winsys/agx/drm" "$src/src/gallium/winsys/agx/drm"
timing "prepare tree"

# 3. Configure. The functional drm-shim needs the simulator from the
# project's host build (scripts/test.sh builds it before Mesa); without it
# only the no-op shim is built.
sim_build=
if [ -f "$repo/build/host/tests/sim/front/direct/libagxsim_direct.a" ]; then
   sim_build=$repo/build/host
else
   log "no $repo/build/host simulator: libagx_sim_drm_shim.so is not built"
fi
set -- \
   --native-file "$here/native.ini" \
   --prefix "$prefix" \
   --libdir lib \
   --buildtype debugoptimized \
   -Dgallium-drivers=agx,softpipe \
   -Dagx-uapi="$repo/uapi" \
   -Dagx-sim-build="$sim_build" \
   -Dvulkan-drivers= \
   -Dplatforms= \
   -Dllvm=disabled \
   -Dglx=disabled \
   -Degl=enabled \
   -Dgbm=enabled \
   -Dglvnd=enabled \
   -Dopengl=true \
   -Dgles1=disabled \
   -Dgles2=enabled \
   -Dgallium-va=disabled \
   -Dgallium-vdpau=disabled \
   -Dgallium-rusticl=false \
   -Dvideo-codecs= \
   -Dvalgrind=disabled \
   -Dlibunwind=disabled \
   -Dlmsensors=disabled \
   -Dbuild-tests=false \
   -Dtools=drm-shim
# The shim's link line depends on which simulator libraries exist, so their
# list is part of the configuration too.
sim_layout=
[ -n "$sim_build" ] &&
   sim_layout=$(find "$sim_build/tests/sim" "$sim_build/firmware-structs" \
                -name '*.a' 2>/dev/null | LC_ALL=C sort)
config_id=$( (printf '%s\n' "$@"; echo "$sim_layout") | sha256sum |
            cut -d' ' -f1)

if [ ! -f "$build/build.ninja" ]; then
   log "configuring $build"
   rm -rf "$build"
   meson setup "$build" "$src" "$@" >"$cache/mesa-meson-setup.log" 2>&1 ||
      { tail -n 30 "$cache/mesa-meson-setup.log" >&2; exit 1; }
   echo "$config_id" >"$build/.agx-config-stamp"
   timing "meson setup"
elif [ "$(cat "$build/.agx-config-stamp" 2>/dev/null)" != "$config_id" ]; then
   log "options changed: reconfiguring $build"
   meson setup --reconfigure "$build" "$src" "$@" \
      >"$cache/mesa-meson-setup.log" 2>&1 ||
      { tail -n 30 "$cache/mesa-meson-setup.log" >&2; exit 1; }
   echo "$config_id" >"$build/.agx-config-stamp"
   timing "meson setup --reconfigure"
fi

# 4. Build and install.
ninja -C "$build" -j "$jobs"
timing "ninja -j$jobs"
meson install -C "$build" --no-rebuild --quiet >"$cache/mesa-install.log" 2>&1 ||
   { tail -n 30 "$cache/mesa-install.log" >&2; exit 1; }
timing "meson install"

t_last=$t_start
timing "total; installed to $prefix"
