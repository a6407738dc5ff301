#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The project's test command: sets the machine up, builds every part, runs
# every suite and ends with the line "N passed, N failed, N skipped".
#
#   scripts/test.sh            everything
#   AGX_SKIP_MESA=1 ...        leave out the Mesa build and its tests
#   AGX_SKIP_VM=1 ...          leave out the VM suites
#
# Skipping a part is reported as skipped, never as passed. Exit status is
# zero only when nothing failed.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

export PATH="/usr/bin:$PATH"          # pyenv's python3 lacks modules Mesa needs
export AGX_RESULTS="${AGX_RESULTS:-$top/build/results}"
rm -rf "$AGX_RESULTS"
mkdir -p "$AGX_RESULTS"
summary_args=()
start=$(date +%s)

step() { printf '\n=== %s (%ds)\n' "$*" $(($(date +%s) - start)); }

# Build steps report as TAP too, one point per step, in build.tap.
build_tap="$AGX_RESULTS/build.tap"
build_n=0
build_lines=()
record() { # record <name> <status: ok|fail|skip> [reason]
	build_n=$((build_n + 1))
	case "$2" in
	ok) build_lines+=("ok $build_n $1") ;;
	skip) build_lines+=("ok $build_n $1 # SKIP ${3:-}") ;;
	*) build_lines+=("not ok $build_n $1 ${3:+# $3}") ;;
	esac
}
flush_build_tap() {
	{ echo "TAP version 13"; echo "1..$build_n"; printf '%s\n' "${build_lines[@]}"; } >"$build_tap"
}

step "setup"
if bash scripts/setup.sh; then record setup ok; else record setup fail; fi
# shellcheck disable=SC1091
[ -f .cache/agx-env.sh ] && . .cache/agx-env.sh

step "license tags"
bash scripts/check-spdx.sh >"$AGX_RESULTS/spdx.tap"
cat "$AGX_RESULTS/spdx.tap"
summary_args+=(--tap "$AGX_RESULTS/spdx.tap")

step "host build (meson)"
if [ ! -f build/host/build.ninja ]; then
	meson setup build/host >build/meson-setup.log 2>&1 || cat build/meson-setup.log
fi
if ninja -C build/host; then
	record host-build ok
	step "host tests (meson test)"
	meson test -C build/host --print-errorlogs --num-processes 2 || true
	summary_args+=(--meson build/host/meson-logs/testlog.json)
else
	record host-build fail
	summary_args+=(--missing host-tests)
fi

step "kernel module (x86_64, W=1)"
if bash scripts/build-kernel.sh; then record kernel-build-x86_64-W1 ok; else record kernel-build-x86_64-W1 fail; fi

# The arm64 16K build compiles every object (agx_hw_rtkit.c only builds
# there) with W=1 and sparse; it cannot link (docs/arm64-build-notes.md).
step "kernel module objects (arm64 16K, W=1, sparse)"
if bash scripts/build-kernel-arm64.sh; then record kernel-build-arm64-16k-W1 ok; else record kernel-build-arm64-16k-W1 fail; fi

if [ -d firmware-structs/kcheck ]; then
	step "firmware-structs headers in the kernel build"
	if bash scripts/build-kernel.sh --dir firmware-structs/kcheck; then
		record firmware-structs-kernel-build ok
	else
		record firmware-structs-kernel-build fail
	fi
fi

if [ "${AGX_SKIP_VM:-0}" = 1 ]; then
	record vm-suites skip "AGX_SKIP_VM=1"
else
	for suite in $(grep -v '^#' tests/vm/suites.list 2>/dev/null); do
		step "VM suite: $suite"
		bash tests/vm/run-suite.sh "$suite" || true
		if [ -f "$AGX_RESULTS/vm-$suite.tap" ]; then
			summary_args+=(--tap "$AGX_RESULTS/vm-$suite.tap")
		else
			summary_args+=(--missing "vm-$suite")
		fi
	done
fi

if [ "${AGX_SKIP_MESA:-0}" = 1 ]; then
	record mesa skip "AGX_SKIP_MESA=1"
elif [ -f mesa/build.sh ]; then
	step "Mesa 25.0.7 with the agx driver"
	if bash mesa/build.sh >build/mesa-build.log 2>&1; then
		tail -n 5 build/mesa-build.log
		record mesa-build ok
		for t in mesa/tests/*.sh; do
			[ -f "$t" ] || continue
			name=mesa-$(basename "$t" .sh)
			step "Mesa test: $name"
			bash "$t" >"$AGX_RESULTS/$name.tap"
			cat "$AGX_RESULTS/$name.tap"
			summary_args+=(--tap "$AGX_RESULTS/$name.tap")
		done
		# The whole stack in the VM: our Mesa on agx.ko and the simulated
		# GPU (tests/vm/suites/mesa.sh). Its GL programs are built here,
		# on the host.
		if [ "${AGX_SKIP_VM:-0}" != 1 ]; then
			step "VM suite: mesa (the whole stack)"
			mkdir -p build/mesa-vm
			vm_progs_ok=1
			for p in egl-probe gles-clear gles-draw agx-scene; do
				cc -O1 -o "build/mesa-vm/$p" "mesa/tests/$p.c" -lEGL -lGLESv2 -lm || vm_progs_ok=0
			done
			if [ "$vm_progs_ok" = 1 ]; then
				record mesa-vm-programs ok
			else
				record mesa-vm-programs fail "a GL test program did not build"
			fi
			AGX_VM_TIMEOUT=900 bash tests/vm/run-suite.sh mesa || true
			if [ -f "$AGX_RESULTS/vm-mesa.tap" ]; then
				summary_args+=(--tap "$AGX_RESULTS/vm-mesa.tap")
			else
				summary_args+=(--missing "vm-mesa")
			fi
		fi
	else
		tail -n 40 build/mesa-build.log
		record mesa-build fail
	fi
fi

flush_build_tap
summary_args+=(--tap "$build_tap")
step "summary"
/usr/bin/python3 scripts/summarize.py "${summary_args[@]}"
