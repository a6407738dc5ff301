#!/bin/bash
# SPDX-License-Identifier: MIT
#
# mesa: the whole stack in the VM. agx.ko is loaded with boot=1 and the
# simulator front end (agxsim-vm) attached, exactly as in the fw suite;
# then GLES programs built on the host run on our Mesa (installed in
# $AGX_MESA_PREFIX by mesa/build.sh) against /dev/dri/renderD128: no
# drm-shim, no driver override, the loader picks "agx" from the kernel
# driver name "asahi". Each program's TAP is spliced into this suite's.
#
# The programs are built on the host by scripts/test.sh into
# $AGX_MESA_VM_BIN (never in the guest). A missing program is a failure,
# not a skip: the suite is only run once Mesa has been built.

# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/../lib.sh"

# AGX_MESA_* settings the host runner passed on (tests/vm/run-suite.sh).
# shellcheck source=/dev/null
[ -f "${AGX_RESULTS_DIR:-/nonexistent}/agx-vm.env" ] && . "$AGX_RESULTS_DIR/agx-vm.env"

node=/dev/dri/renderD128
simdev=/dev/agx-sim
front=$AGX_MESON_BUILD/tests/sim/front/vm/agxsim-vm
ready=/run/agxsim.ready
simlog=/run/agxsim.log
prefix=${AGX_MESA_PREFIX:-$AGX_REPO/.cache/mesa-install}
bin=${AGX_MESA_VM_BIN:-$AGX_REPO/build/mesa-vm}
programs=${AGX_MESA_VM_PROGRAMS:-"egl-probe gles-clear gles-draw"}
sim_pid=

boot_with_sim() {
	local pid rc
	rm -f "$ready"
	insmod "$AGX_KO" boot=1 sim_wait_ms=30000 &
	pid=$!
	agx_wait_for "$simdev" 100 || { echo "$simdev did not appear"; return 1; }
	"$front" --ready "$ready" >>"$simlog" 2>&1 &
	sim_pid=$!
	agx_wait_for "$ready" 100 || { echo "agxsim-vm did not attach"; return 1; }
	wait "$pid" && rc=0 || rc=$?
	[ "$rc" = 0 ] || { echo "insmod exited with $rc"; return 1; }
	agx_wait_for "$node" 50 || { echo "$node did not appear"; return 1; }
}

# Our Mesa for every GL program run below.
export LD_LIBRARY_PATH=$prefix/lib
export __EGL_VENDOR_LIBRARY_FILENAMES=$prefix/share/glvnd/egl_vendor.d/50_mesa.json
export AGX_RENDER_NODE=$node HOME=/tmp

agx_dmesg_mark
tap_check "load DRM helper modules" agx_load_helpers
if ! tap_check "agx.ko boots the simulated firmware" boot_with_sim; then
	tap_diag "$(tail -n 20 "$simlog" 2>/dev/null)"
	tap_finish
	exit
fi

for p in $programs; do
	if [ ! -x "$bin/$p" ]; then
		tap_not_ok "$p: built on the host ($bin/$p)"
		continue
	fi
	if [ "$p" = egl-probe ]; then
		out=$("$bin/$p" 2>&1)
		if grep -qF "driver: asahi" <<<"$out" && grep -qF "context: created" <<<"$out"; then
			tap_ok "egl-probe: the loader picks our driver for the asahi node and a GLES2 context is created"
		else
			tap_not_ok "egl-probe: the loader picks our driver for the asahi node and a GLES2 context is created" "$out"
		fi
		continue
	fi
	tap_run "$p" "$bin/$p"
done

# The main job's picture (scripts/demo.sh): agx-scene renders into
# $AGX_RESULTS_DIR, where the host compares it with softpipe's.
if [ -n "${AGX_MESA_VM_SCENE:-}" ]; then
	scene_out=$AGX_RESULTS_DIR/${AGX_MESA_VM_SCENE%%:*}
	scene_size=${AGX_MESA_VM_SCENE#*:}
	if out=$("$bin/agx-scene" "$scene_out" "$scene_size" 2>&1) && [ -s "$scene_out" ]; then
		tap_ok "agx-scene renders the demo scene (${scene_size}x${scene_size}) into the results share"
	else
		tap_not_ok "agx-scene renders the demo scene (${scene_size}x${scene_size}) into the results share" "$out"
	fi
fi

# On any failure so far: the simulator's log (firmware errors name the
# reason of a ChannelError or fault) as TAP diagnostics.
if [ "$agx_tap_failed" != 0 ] && [ -s "$simlog" ]; then
	tap_diag "agxsim-vm log (last 60 lines):
$(tail -n 60 "$simlog")"
fi

echo agx-sim >/sys/bus/platform/drivers/agx/unbind 2>/dev/null
rmmod agx 2>/dev/null
if grep -qi 'error\|fault' "$simlog" 2>/dev/null; then
	tap_not_ok "agxsim-vm log has no errors or faults" "$(grep -i 'error\|fault' "$simlog" | head -n 20)"
else
	tap_ok "agxsim-vm log has no errors or faults"
fi
tap_check "kernel log has no oops, BUG or WARNING" agx_dmesg_check
tap_check "kernel not tainted by a warning or oops" agx_taint_check
tap_finish
