#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The main job: the whole stack renders a picture.
#
# mesa/tests/agx-scene.c (a textured, per-vertex-lit, depth-tested cube at
# a fixed angle, GLES2) runs on our Mesa driver along two paths:
#
#   vm    the whole stack in the test VM: EGL -> st/mesa -> the agx Gallium
#         driver (shader compiler, batches, VDM/PPP/USC words) -> the asahi
#         UAPI -> agx.ko (queues, SUBMIT, firmware work queues) -> the
#         simulated firmware and GPU (agxsim-vm in the guest).
#         Writes build/demo/agx-scene-vm.png.
#   host  the same userspace on the functional drm-shim instead of agx.ko
#         (fast path). Writes build/demo/agx-scene.png.
#
# The same program on softpipe (Mesa's software rasteriser, same build)
# writes build/demo/softpipe-scene.png, and each agx picture is compared
# with it:
#
#   a pixel matches when every channel differs by at most 8/255
#   (interpolation and rounding differ between the two rasterisers);
#   a picture passes when at most 1% of the pixels do not match (edge
#   coverage can differ along silhouettes) and the cube is there.
#
#   scripts/demo.sh [SIZE]      (default 128; the simulator is slow)
#   AGX_DEMO_PATHS="host vm"    which paths to run (default both)
#
# Exit status 0 when every path ran and matched.
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

# compare AGX.rgba AGX.png: write the PNGs and compare with softpipe.
compare() {
/usr/bin/python3 - "$size" "$1" "$2" <<'PY'
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

a = load(sys.argv[2])
b = load('build/demo/softpipe-scene.rgba')
png(sys.argv[3], a)
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
print(f"wrote {sys.argv[3]} and build/demo/softpipe-scene.png ({S}x{S})")
print(f"mismatch: {bad} of {S*S} pixels ({100.0*bad/(S*S):.2f}%) differ by more than {TOL}/255; "
      f"max channel difference {maxd}; mean abs RGB difference {total/(3*S*S):.3f}; "
      f"{drawn} pixels differ from the background")
ok = bad <= MAX_BAD * S * S and drawn > S * S // 10
print("demo: PASS" if ok else "demo: FAIL")
sys.exit(0 if ok else 1)
PY
}

status=0
paths=${AGX_DEMO_PATHS:-host vm}
mkdir -p build/demo
cc -O1 -o build/demo/agx-scene mesa/tests/agx-scene.c -lEGL -lGLESv2 -lm || exit 1

echo "== softpipe reference (same Mesa build, no shim, no kernel)"
env LD_LIBRARY_PATH="$prefix/lib" __EGL_VENDOR_LIBRARY_FILENAMES="$vendor_json" \
   GALLIUM_DRIVER=softpipe build/demo/agx-scene build/demo/softpipe-scene.rgba "$size" \
   || { echo "demo: the softpipe run failed"; exit 1; }

for path in $paths; do
   case $path in
   host)
      echo "== host: Mesa agx -> asahi UAPI -> functional drm-shim -> simulated GPU"
      start=$(date +%s)
      if env LD_LIBRARY_PATH="$prefix/lib" __EGL_VENDOR_LIBRARY_FILENAMES="$vendor_json" \
            LD_PRELOAD="$shim" build/demo/agx-scene build/demo/agx-scene.rgba "$size"; then
         echo "   $(( $(date +%s) - start )) s"
         compare build/demo/agx-scene.rgba build/demo/agx-scene.png || status=1
      else
         echo "demo: the host run failed"
         status=1
      fi
      ;;
   vm)
      echo "== vm: Mesa agx -> asahi UAPI -> agx.ko -> simulated firmware + GPU (QEMU/TCG guest)"
      start=$(date +%s)
      rm -f build/vm/mesa.share/agx-scene-vm.rgba
      mkdir -p build/mesa-vm
      if scripts/build-kernel.sh >build/demo/kernel-build.log 2>&1 &&
         cc -O1 -o build/mesa-vm/egl-probe mesa/tests/egl-probe.c -lEGL &&
         cc -O1 -o build/mesa-vm/agx-scene mesa/tests/agx-scene.c -lEGL -lGLESv2 -lm &&
         AGX_MESA_VM_PROGRAMS=egl-probe AGX_MESA_VM_SCENE="agx-scene-vm.rgba:$size" \
            AGX_VM_TIMEOUT=1800 AGX_RESULTS=build/demo/vm-results \
            bash tests/vm/run-suite.sh mesa >build/demo/vm-run.log 2>&1 &&
         [ -s build/vm/mesa.share/agx-scene-vm.rgba ]; then
         echo "   $(( $(date +%s) - start )) s (boot, firmware bring-up, render, checks)"
         cp build/vm/mesa.share/agx-scene-vm.rgba build/demo/
         compare build/demo/agx-scene-vm.rgba build/demo/agx-scene-vm.png || status=1
      else
         echo "demo: the VM run failed; see build/demo/vm-run.log and build/vm/mesa.log"
         tail -n 20 build/demo/vm-run.log
         status=1
      fi
      ;;
   *) echo "demo: unknown path $path"; status=1 ;;
   esac
done
exit $status
