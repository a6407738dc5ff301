#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The main job: the whole userspace stack renders a picture.
#
# mesa/tests/agx-scene.c (a textured, per-vertex-lit, depth-tested cube at
# a fixed angle, GLES2) runs on our Mesa driver through the host path: EGL
# -> st/mesa -> the agx Gallium driver (shader compiler, batches, VDM/PPP/
# USC words) -> the asahi UAPI -> libagx_sim_drm_shim.so -> the simulated
# GPU. It writes build/demo/agx-scene.png. The same program on softpipe
# (Mesa's software rasteriser, same build, no shim) writes
# build/demo/softpipe-scene.png, and the two are compared:
#
#   a pixel matches when every channel differs by at most 8/255
#   (interpolation and rounding differ between the two rasterisers);
#   the demo passes when at most 1% of the pixels do not match (edge
#   coverage can differ along silhouettes).
#
# The VM path (agx.ko's SUBMIT instead of the shim) comes at integration;
# this script does not boot the VM.
#
#   scripts/demo.sh [SIZE]      (default 128; the simulator is slow)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
export PATH="/usr/bin:$PATH"
size=${1:-128}

bash scripts/setup.sh >/dev/null || exit 1
[ -f build/host/build.ninja ] || meson setup build/host >/dev/null || exit 1
ninja -C build/host -j2 >/dev/null || exit 1
AGX_CACHE=$top/.cache bash mesa/build.sh >/dev/null || exit 1

prefix=$top/.cache/mesa-install
shim=$prefix/lib/libagx_sim_drm_shim.so
vendor_json=$prefix/share/glvnd/egl_vendor.d/50_mesa.json
[ -f "$shim" ] || { echo "demo: $shim not built"; exit 1; }

mkdir -p build/demo
cc -O1 -o build/demo/agx-scene mesa/tests/agx-scene.c -lEGL -lGLESv2 -lm || exit 1

echo "== agx (Mesa agx driver -> asahi UAPI -> functional drm-shim -> simulated GPU)"
start=$(date +%s)
env LD_LIBRARY_PATH="$prefix/lib" __EGL_VENDOR_LIBRARY_FILENAMES="$vendor_json" \
   LD_PRELOAD="$shim" build/demo/agx-scene build/demo/agx-scene.rgba "$size" \
   || { echo "demo: the agx run failed"; exit 1; }
echo "   $(( $(date +%s) - start )) s"

echo "== softpipe reference (same Mesa build, no shim)"
env LD_LIBRARY_PATH="$prefix/lib" __EGL_VENDOR_LIBRARY_FILENAMES="$vendor_json" \
   build/demo/agx-scene build/demo/softpipe-scene.rgba "$size" \
   || { echo "demo: the softpipe run failed"; exit 1; }

/usr/bin/python3 - "$size" <<'PY'
import struct, sys, zlib
S = int(sys.argv[1])
TOL, MAX_BAD = 8, 0.01

def load(path):
    d = open(path, 'rb').read()
    assert len(d) == S * S * 4, path
    return d

def png(path, d):
    rows = [d[(S - 1 - y) * S * 4:(S - y) * S * 4] for y in range(S)]
    raw = b''.join(b'\0' + r for r in rows)
    def chunk(t, b):
        return struct.pack('>I', len(b)) + t + b + struct.pack('>I', zlib.crc32(t + b) & 0xffffffff)
    open(path, 'wb').write(b'\x89PNG\r\n\x1a\n' +
        chunk(b'IHDR', struct.pack('>IIBBBBB', S, S, 8, 6, 0, 0, 0)) +
        chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))

a = load('build/demo/agx-scene.rgba')
b = load('build/demo/softpipe-scene.rgba')
png('build/demo/agx-scene.png', a)
png('build/demo/softpipe-scene.png', b)
bad = 0; maxd = 0; total = 0
for i in range(S * S):
    d = max(abs(a[4 * i + c] - b[4 * i + c]) for c in range(4))
    total += sum(abs(a[4 * i + c] - b[4 * i + c]) for c in range(3))
    maxd = max(maxd, d)
    if d > TOL:
        bad += 1
# A blank image would "match" nothing; also require that the cube is there.
bg = a[0:4]
drawn = sum(1 for i in range(S * S) if a[4 * i:4 * i + 4] != bg)
print(f"wrote build/demo/agx-scene.png and build/demo/softpipe-scene.png ({S}x{S})")
print(f"mismatch: {bad} of {S*S} pixels ({100.0*bad/(S*S):.2f}%) differ by more than {TOL}/255; "
      f"max channel difference {maxd}; mean abs RGB difference {total/(3*S*S):.3f}; "
      f"{drawn} pixels differ from the background")
ok = bad <= MAX_BAD * S * S and drawn > S * S // 10
print("demo: PASS" if ok else "demo: FAIL")
sys.exit(0 if ok else 1)
PY
