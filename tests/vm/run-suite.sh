#!/bin/bash
# SPDX-License-Identifier: MIT
#
# run-suite.sh - run one VM test suite in a QEMU/TCG guest that boots the
# kernel unpacked by scripts/setup.sh and sees the host's root file system.
#
# Usage: tests/vm/run-suite.sh [--build] <suite>
#   <suite>   name of tests/vm/suites/<suite>.sh ($AGX_VM_SUITES_DIR/<suite>.sh
#             when that is set)
#   --build   build kernel/agx.ko (scripts/build-kernel.sh) and the meson
#             tree first; without it the existing build products are used
#
# Output:
#   build/vm/<suite>.log            the guest's serial console
#   build/vm/<suite>.dmesg          the guest's whole kernel log
#   $AGX_RESULTS/vm-<suite>.tap     the suite's TAP (AGX_RESULTS defaults to
#                                   build/results)
# Exit status: the suite's status; 124 if the guest hung, 125 if it
# crashed or could not run the suite.
#
# Environment:
#   AGX_RESULTS       results directory (default build/results)
#   AGX_BUILD_DIR     holds vm/ with logs and the initramfs (default build/)
#   AGX_MESON_BUILD   meson build with the test programs (default
#                     build/host, or build/ when only that one exists)
#   AGX_VM_TIMEOUT    seconds before the guest counts as hung (default 300)
#   AGX_VM_SMP, AGX_VM_MEM   guest CPUs and MiB (default 2 and 2048)
#   AGX_QEMU          QEMU binary (default qemu-system-x86_64)
#   AGX_MESA_PREFIX, AGX_MESA_VM_BIN, AGX_MESA_VM_PROGRAMS, AGX_MESA_VM_SCENE
#                     passed to the guest when set (tests/vm/suites/mesa.sh)

set -euo pipefail

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$VM_DIR/../.." && pwd)
ENV_FILE=$REPO/.cache/agx-env.sh

die() { echo "run-suite: $*" >&2; exit 125; }

build=0
suite=
for arg in "$@"; do
	case $arg in
	--build) build=1 ;;
	-h|--help) awk 'NR > 2 && !/^#/ { exit } NR > 2 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
	-*) die "unknown option $arg" ;;
	*) [ -z "$suite" ] || die "only one suite per run"; suite=$arg ;;
	esac
done
[ -n "$suite" ] || die "usage: $0 [--build] <suite>"
script=${AGX_VM_SUITES_DIR:-$VM_DIR/suites}/$suite.sh
[ -f "$script" ] || die "no suite $script"

[ -f "$ENV_FILE" ] || die "$ENV_FILE is missing; run scripts/setup.sh first"
# shellcheck source=/dev/null
. "$ENV_FILE"
[ -f "$AGX_VMLINUZ" ] || die "no kernel at $AGX_VMLINUZ; run scripts/setup.sh"

build_dir=${AGX_BUILD_DIR:-$REPO/build}
# The meson build that holds the test programs: scripts/test.sh uses
# build/host; a plain "meson setup build" is found too.
if [ -n "${AGX_MESON_BUILD:-}" ]; then
	meson_build=$AGX_MESON_BUILD
elif [ ! -f "$REPO/build/host/build.ninja" ] && [ -f "$REPO/build/build.ninja" ]; then
	meson_build=$REPO/build
else
	meson_build=$REPO/build/host
fi
results=${AGX_RESULTS:-$build_dir/results}
vm_out=$build_dir/vm
qemu=${AGX_QEMU:-qemu-system-x86_64}
vm_timeout=${AGX_VM_TIMEOUT:-300}
command -v "$qemu" >/dev/null || die "$qemu not found; run scripts/setup.sh"
mkdir -p "$vm_out" "$results"
results=$(cd "$results" && pwd)

if [ "$build" = 1 ]; then
	"$REPO/scripts/build-kernel.sh" || die "kernel module build failed"
	if [ ! -f "$meson_build/build.ninja" ]; then
		meson setup "$meson_build" "$REPO" >/dev/null || die "meson setup failed"
	fi
	ninja -C "$meson_build" -j2 >/dev/null || die "meson build failed"
fi

# --- initramfs: busybox plus the 9p modules, cached by content ---------------

# Modules the guest needs before it can reach the host root, in load order.
INITRD_MODULES="9pnet_virtio 9p"

moddir=$KROOT/lib/modules/$KVER
declare -A seen=()
order=()
# Append module path $1 (as in modules.dep) after its dependencies.
add_module() {
	local path=$1 line deps i
	[ -n "${seen[$path]:-}" ] && return
	seen[$path]=1
	line=$(grep -m1 "^$path:" "$moddir/modules.dep") || die "$path not in modules.dep"
	read -r -a deps <<<"${line#*:}"
	# modules.dep lists the deepest dependency last.
	for ((i = ${#deps[@]} - 1; i >= 0; i--)); do
		add_module "${deps[i]}"
	done
	order+=("$path")
}
for m in $INITRD_MODULES; do
	path=$(grep -m1 -E "^([^:]*/)?$m\\.ko(\\.[a-z]+)?:" "$moddir/modules.dep" | cut -d: -f1) ||
		die "module $m not found for $KVER"
	add_module "$path"
done

key=$( {
	echo "$KVER ${order[*]}"
	cat "$VM_DIR/guest-init.sh"
	sha256sum /bin/busybox
} | sha256sum | cut -c1-16)
initrd=$vm_out/initramfs-$key.cpio
if [ ! -f "$initrd" ]; then
	stage=$(mktemp -d "$vm_out/initramfs.XXXXXX")
	trap 'rm -rf "$stage"' EXIT
	mkdir -p "$stage"/{bin,dev,proc,sys,modules,newroot,results}
	cp /bin/busybox "$stage/bin/busybox"
	ln -s busybox "$stage/bin/sh"
	install -m 0755 "$VM_DIR/guest-init.sh" "$stage/init"
	for p in "${order[@]}"; do
		name=$(basename "$p")
		name=${name%%.ko*}
		case $p in
		*.xz) xz -dc "$moddir/$p" ;;
		*.zst) zstd -qdc "$moddir/$p" ;;
		*.gz) gzip -dc "$moddir/$p" ;;
		*) cat "$moddir/$p" ;;
		esac >"$stage/modules/$name.ko"
		echo "$name" >>"$stage/modules/order"
	done
	# A console node lets the kernel give /init its stdio (needs root).
	mknod -m 600 "$stage/dev/console" c 5 1 2>/dev/null || true
	(cd "$stage" && find . -print0 | sort -z |
		cpio --null -o -H newc --owner=0:0 --quiet) >"$initrd.tmp"
	mv "$initrd.tmp" "$initrd"
	rm -rf "$stage"
	trap - EXIT
	find "$vm_out" -maxdepth 1 -name 'initramfs-*.cpio' ! -name "${initrd##*/}" -delete
fi

# --- run ---------------------------------------------------------------------

log=$vm_out/$suite.log
share=$vm_out/$suite.share
tap=$results/vm-$suite.tap
rm -rf "$share"
mkdir -p "$share"
rm -f "$log" "$tap"

# Read by the guest's /init; %q quoting survives any path.
{
	printf 'AGX_SUITE=%q\n' "$suite"
	printf 'AGX_SCRIPT=%q\n' "$script"
	printf 'AGX_REPO=%q\n' "$REPO"
	printf 'AGX_MESON_BUILD=%q\n' "$meson_build"
	printf 'AGX_ENV_FILE=%q\n' "$ENV_FILE"
	# Settings of the mesa suite, passed on when set.
	for v in AGX_MESA_PREFIX AGX_MESA_VM_BIN AGX_MESA_VM_PROGRAMS AGX_MESA_VM_SCENE; do
		if [ -n "${!v:-}" ]; then printf '%s=%q\n' "$v" "${!v}"; fi
	done
} >"$share/agx-vm.env"

# shellcheck disable=SC2054 # commas belong to QEMU's option syntax
qemu_args=(
	-accel tcg
	-nodefaults -display none -no-reboot
	-m "${AGX_VM_MEM:-2048}" -smp "${AGX_VM_SMP:-2}"
	-kernel "$AGX_VMLINUZ" -initrd "$initrd"
	-append "console=ttyS0 quiet oops=panic panic=-1 softlockup_panic=1"
	-serial "file:$log"
	-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=$share,mount_tag=results,security_model=none,multidevs=remap"
	-device isa-debug-exit,iobase=0xf4,iosize=0x04
)

echo "run-suite: $suite: booting $KVER under QEMU/TCG (timeout ${vm_timeout}s)"
start=$(date +%s.%N)
qemu_retried=
while :; do
	set +e
	timeout -k 10 "$vm_timeout" "$qemu" "${qemu_args[@]}" </dev/null
	qemu_rc=$?
	set -e
	# The emulated boot itself fails now and then, before any of our code
	# runs: QEMU 7.2 has died with SIGSEGV (exit 139) with an empty console,
	# and the guest kernel has oopsed on an int3 in sched_clock_cpu while
	# patching its own text, with no module loaded. Such a run says nothing
	# about the suite, so boot once more. The line is drawn where the suite
	# starts: once guest-init has printed "running suite", or anything has
	# reached the results share, a crash is the suite's and is never retried.
	# Hangs (timeouts) are not retried either.
	if [ -z "$qemu_retried" ] && [ "$qemu_rc" != 124 ] && [ "$qemu_rc" != 137 ] &&
		! grep -a -q -e 'AGX-GUEST-EXIT' -e 'agx-vm-init: .*running suite' "$log" 2>/dev/null &&
		[ ! -s "$share/$suite.tap" ]; then
		qemu_retried=$qemu_rc
		cp "$log" "$log.first-boot" 2>/dev/null || true
		echo "run-suite: $suite: the boot failed before the suite started (qemu exit $qemu_rc; console in $log.first-boot); retrying once" >&2
		continue
	fi
	break
done
end=$(date +%s.%N)
secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')

[ -f "$share/$suite.tap" ] && cp "$share/$suite.tap" "$tap"
[ -n "$qemu_retried" ] && [ -f "$tap" ] &&
	echo "# note: the first boot failed before the suite started (qemu exit $qemu_retried); it was retried once" >>"$tap"
rm -f "$vm_out/$suite.dmesg"
[ -f "$share/$suite.dmesg" ] && cp "$share/$suite.dmesg" "$vm_out/$suite.dmesg"
touch "$tap"

marker=$(grep -a -o 'AGX-GUEST-EXIT [0-9]*' "$log" 2>/dev/null | tail -n1 || true)
problem=
if [ "$qemu_rc" = 124 ] || [ "$qemu_rc" = 137 ]; then
	problem="guest hung: no exit after ${vm_timeout}s"
	rc=124
elif [ -z "$marker" ]; then
	problem="guest crashed before the suite finished (qemu exit $qemu_rc, no AGX-GUEST-EXIT marker)"
	rc=125
else
	rc=${marker#AGX-GUEST-EXIT }
	# isa-debug-exit encodes the same status as 2 * rc + 1.
	if [ "$qemu_rc" != $((2 * rc + 1)) ]; then
		problem="guest reported status $rc but qemu exited with $qemu_rc"
		rc=125
	fi
fi

# Append a failing test line, keeping the TAP numbering and plan valid.
tap_append_failure() {
	local msg=$1 n
	n=$(grep -c -E '^(not )?ok [0-9]+' "$tap" || true)
	grep -v -E '^1\.\.[0-9]+' "$tap" >"$tap.tmp" || true
	{
		echo "not ok $((n + 1)) vm-$suite: $msg"
		echo "1..$((n + 1))"
	} >>"$tap.tmp"
	mv "$tap.tmp" "$tap"
}

if [ -n "$problem" ]; then
	tap_append_failure "$problem"
elif [ "$rc" != 0 ] && ! grep -q -E '^not ok ' "$tap"; then
	# The suite failed without saying which test: make it count.
	tap_append_failure "suite exited with status $rc"
fi

cat "$tap"
if [ -n "$problem" ]; then
	echo "run-suite: $suite: $problem" >&2
	echo "run-suite: last lines of $log:" >&2
	tail -n 50 "$log" >&2 || true
fi
pass=$(grep -c -E '^ok ' "$tap" || true)
fail=$(grep -c -E '^not ok ' "$tap" || true)
echo "run-suite: $suite: $pass ok, $fail not ok, status $rc, ${secs}s wall; TAP in $tap, console in $log"
exit "$rc"
