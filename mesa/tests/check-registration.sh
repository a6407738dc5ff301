#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Checks that the agx gallium driver is really registered for DRM devices
# whose kernel driver is called "asahi", in the Mesa that mesa/build.sh
# installed. Prints TAP.
#
# Static checks read libgallium's symbol table and relocations:
#   - the descriptor asahi_driver_descriptor has driver_name "asahi",
#   - its create_screen is the real one (calls agx_drm_screen_create), not
#     the DRM_DRIVER_DESCRIPTOR_STUB that prints "driver missing",
#   - the static pipe-loader's driver_descriptors[] lists it.
# Functional checks run egl-probe.c (built here with cc -lEGL) on the
# surfaceless EGL platform against our build (through glvnd), with our
# drm-shim (libagx_noop_drm_shim.so) faking an "asahi" render node, and read
# its output and the EGL/loader/driver log:
#   - the loader reads the kernel driver name "asahi",
#   - our winsys and screen are created (AGX_MESA_DEBUG=info prints the
#     device description the screen got from GET_PARAMS),
#   - no descriptor stub, kmsro or swrast fallback is involved, and the
#     EGL display reports driver "asahi",
#   - context creation fails cleanly, which is EXPECTED with this shim: the
#     no-op shim has no VM_CREATE, which the context needs (the functional
#     shim, check-sim-shim.sh, creates contexts),
#   - when GET_PARAMS fails, screen creation fails cleanly with a message and
#     EGL falls back to software.
#
# Environment: AGX_CACHE (default <repo>/.cache).

set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${AGX_CACHE:-$repo/.cache}
prefix=$cache/mesa-install
libdir=$prefix/lib
libgallium=$libdir/libgallium-25.0.7.so
shim=$libdir/libagx_noop_drm_shim.so
vendor_json=$prefix/share/glvnd/egl_vendor.d/50_mesa.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n $1"; }
check() { # check NAME COMMAND...
   name=$1
   shift
   if "$@" >"$tmp/check.out" 2>&1; then
      ok "$name"
   else
      not_ok "$name"
      sed 's/^/  # /' "$tmp/check.out"
   fi
}
# log_has FILE PATTERN / log_lacks FILE PATTERN (fixed strings)
log_has() { grep -qF -- "$2" "$1" || { echo "'$2' not in log:"; cat "$1"; false; }; }
log_lacks() { ! grep -F -- "$2" "$1"; }

echo "TAP version 13"
echo "1..11"

# --- static checks -------------------------------------------------------

check "libgallium is installed ($libgallium)" test -f "$libgallium"

# Resolves what a pointer-sized slot in a PIE shared object points at, from
# its R_X86_64_RELATIVE relocation (the file itself holds no pointer value).
cat >"$tmp/elf.py" <<'PY'
import re, subprocess, sys

lib = sys.argv[1]

def readelf(*args):
    return subprocess.run(['readelf', '-W', *args, lib], check=True,
                          capture_output=True, text=True).stdout

syms = {}
for line in readelf('-s').splitlines():
    f = line.split()
    if len(f) >= 8 and f[0].endswith(':') and f[0][:-1].isdigit():
        syms.setdefault(f[7], []).append((int(f[1], 16), int(f[2], 0)))

relocs = {}
for line in readelf('-r').splitlines():
    m = re.match(r'^([0-9a-f]+)\s+[0-9a-f]+\s+R_X86_64_RELATIVE\s+([0-9a-f]+)',
                 line)
    if m:
        relocs[int(m.group(1), 16)] = int(m.group(2), 16)

loads = []
for line in readelf('-l').splitlines():
    f = line.split()
    if f and f[0] == 'LOAD':
        loads.append((int(f[2], 16), int(f[1], 16), int(f[4], 16)))

def cstring(vaddr):
    for seg_va, off, size in loads:
        if seg_va <= vaddr < seg_va + size:
            with open(lib, 'rb') as fh:
                fh.seek(off + vaddr - seg_va)
                return fh.read(64).split(b'\0')[0].decode()
    raise SystemExit('address 0x%x not in any LOAD segment' % vaddr)

def one(name):
    if name not in syms:
        raise SystemExit('symbol %s not found (stripped library?)' % name)
    return syms[name][0]

what = sys.argv[2]
desc, _ = one('asahi_driver_descriptor')
if what == 'name':
    # struct drm_driver_descriptor starts with const char *driver_name.
    print(cstring(relocs[desc]))
elif what == 'create_screen':
    # ... followed by driconf, driconf_count and create_screen at +24.
    target = relocs.get(desc + 24)
    names = [n for n, l in syms.items() if any(a == target for a, _ in l)]
    print(' '.join(sorted(names)))
elif what == 'listed':
    for base, size in syms.get('driver_descriptors', []):
        slots = [relocs.get(base + i) for i in range(0, size, 8)]
        if desc in slots:
            print('slot %d of %d' % (slots.index(desc), size // 8))
            break
    else:
        raise SystemExit('asahi_driver_descriptor not in driver_descriptors[]')
PY

name=$(python3 "$tmp/elf.py" "$libgallium" name 2>&1)
check "asahi_driver_descriptor.driver_name is \"asahi\" (got \"$name\")" \
   test "$name" = asahi

fn=$(python3 "$tmp/elf.py" "$libgallium" create_screen 2>&1)
calls_agx() {
   objdump -d --no-show-raw-insn --disassemble="$1" "$libgallium" |
      grep -q 'call.*<agx_drm_screen_create>'
}
check "asahi_driver_descriptor.create_screen ($fn) calls agx_drm_screen_create" \
   calls_agx "$fn"

slot=$(python3 "$tmp/elf.py" "$libgallium" listed 2>&1)
check "pipe-loader driver_descriptors[] lists asahi_driver_descriptor ($slot)" \
   sh -c "echo '$slot' | grep -q '^slot '"

# --- functional checks through the drm-shim ------------------------------

# egl-probe: open the surfaceless display, print its driver, try a context.
probe=$tmp/egl-probe
cc -O1 -o "$probe" "$here/egl-probe.c" -lEGL 2>"$tmp/cc.log" ||
   { sed 's/^/# /' "$tmp/cc.log"; probe=; }

run_probe() { # run_probe LOGFILE [VAR=VALUE...]
   out=$1
   shift
   env LD_LIBRARY_PATH="$libdir" \
      __EGL_VENDOR_LIBRARY_FILENAMES="$vendor_json" \
      LD_PRELOAD="$shim" EGL_LOG_LEVEL=debug AGX_MESA_DEBUG=info "$@" \
      "$probe" >"$out" 2>&1
   echo "egl-probe exit status $?" >>"$out"
}

if [ -z "$probe" ]; then
   for t in 5 6 7 8 9 10 11; do
      not_ok "cannot build egl-probe (needs cc and libegl-dev)"
   done
   exit 1
fi

log=$tmp/probe.log
run_probe "$log"
check "shim: loader reads kernel driver name \"asahi\"" \
   log_has "$log" "using driver asahi for"
check "shim: agx screen created from GET_PARAMS (AGX G13G, T8103)" \
   log_has "$log" "agx: AGX G13G, chip T8103"
check "shim: no descriptor stub, kmsro or swrast fallback involved" \
   sh -c "! grep -E 'driver missing|kmsro|Falling back' '$log'"
check "shim: surfaceless EGL display runs on driver \"asahi\"" \
   log_has "$log" "driver: asahi"
check "no-op shim: GLES2 context creation fails cleanly - EXPECTED, the no-op shim has no VM_CREATE" \
   sh -c "grep -qF 'agx: DRM_IOCTL_ASAHI_VM_CREATE failed' '$log' &&
          grep -qF 'context: none' '$log' &&
          grep -qF 'egl-probe exit status 0' '$log'"

log=$tmp/probe-fail.log
run_probe "$log" AGX_NOOP_FAIL_GET_PARAMS=1
check "GET_PARAMS failure: screen creation fails with a message" \
   log_has "$log" "agx: DRM_IOCTL_ASAHI_GET_PARAMS failed: No such device"
check "GET_PARAMS failure: EGL falls back to swrast and carries on" \
   sh -c "grep -qF 'driver: swrast' '$log' &&
          grep -qF 'egl-probe exit status 0' '$log'"

[ "$failed" -eq 0 ]
