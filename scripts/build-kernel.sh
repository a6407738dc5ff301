#!/bin/bash
# SPDX-License-Identifier: MIT
#
# build-kernel.sh - build kernel/agx.ko against the kernel that
# scripts/setup.sh unpacked, with W=1, and fail on any compiler warning.
#
# Usage: scripts/build-kernel.sh [--sparse] [--clean] [--dir DIR] [-jN]
#   --sparse   also run sparse on every C file (make C=2); a sparse
#              warning fails the build too
#   --clean    run "make clean" first
#   --dir DIR  build the external module in DIR (relative to the top of
#              the repository) instead of the top level, whose Kbuild
#              builds kernel/agx.ko
#   -jN        parallel jobs (default 2)
#
# The full build log is kept in build/kernel/<name>.log, where <name> is
# "build" (or "sparse") for the top level and DIR with / turned into _
# otherwise; AGX_BUILD_DIR overrides build/.

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ENV_FILE=$REPO/.cache/agx-env.sh

sparse=0
clean=0
jobs=2
subdir=
while [ $# -gt 0 ]; do
	arg=$1
	shift
	case $arg in
	--sparse) sparse=1 ;;
	--clean) clean=1 ;;
	--dir) [ $# -gt 0 ] || { echo "build-kernel: --dir needs a directory" >&2; exit 2; }
		subdir=$1; shift ;;
	--dir=*) subdir=${arg#--dir=} ;;
	-j[0-9]*) jobs=${arg#-j} ;;
	-h|--help) awk 'NR > 2 && !/^#/ { exit } NR > 2 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
	*) echo "build-kernel: unknown argument '$arg'" >&2; exit 2 ;;
	esac
done

if [ ! -f "$ENV_FILE" ]; then
	echo "build-kernel: $ENV_FILE is missing; run scripts/setup.sh first" >&2
	exit 1
fi
# shellcheck source=/dev/null
. "$ENV_FILE"
[ -f "$KDIR/Makefile" ] || { echo "build-kernel: no kernel headers at $KDIR; run scripts/setup.sh" >&2; exit 1; }

outdir=${AGX_BUILD_DIR:-$REPO/build}/kernel
mkdir -p "$outdir"
if [ -n "$subdir" ]; then
	subdir=${subdir%/}
	case $subdir in
	/*) moddir=$subdir ;;
	*) moddir=$REPO/$subdir ;;
	esac
	[ -d "$moddir" ] || { echo "build-kernel: no directory $moddir" >&2; exit 1; }
	[ -f "$moddir/Kbuild" ] || [ -f "$moddir/Makefile" ] ||
		{ echo "build-kernel: $moddir has no Kbuild or Makefile" >&2; exit 1; }
	moddir=$(cd "$moddir" && pwd)
	name=${moddir#"$REPO"/}
	name=${name//\//_}
else
	# Build in kernel/ itself, not from the top: Kbuild's "clean" deletes
	# object files (*.o, *.ko*, ...) everywhere under M=, and the top
	# holds .cache/ with the extracted kernel and the Mesa build.
	moddir=$REPO/kernel
	name=build
fi
if [ "$sparse" = 1 ]; then
	if [ -n "$subdir" ]; then
		name=$name-sparse
	else
		name=sparse
	fi
fi
log=$outdir/$name.log

kmake() {
	make -C "$KDIR" M="$moddir" -j"$jobs" "$@"
}

start=$(date +%s.%N)
[ "$clean" = 1 ] && kmake clean >/dev/null

args=(W=1)
if [ "$sparse" = 1 ]; then
	# C=2 checks every file, even ones that are already built.
	args+=(C=2 CHECK=sparse)
fi

set +e
kmake "${args[@]}" modules >"$log" 2>&1
rc=$?
set -e
end=$(date +%s.%N)
secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')

# Compiler, linker, modpost and sparse diagnostics all contain one of
# these words; Kbuild's own progress lines never do.
warnings=$(grep -E -i 'warning:|error:|\bwarning\b' "$log" || true)

if [ "$rc" != 0 ]; then
	cat "$log" >&2
	echo "build-kernel: make failed (exit $rc) after ${secs}s; log in $log" >&2
	exit 1
fi
if [ -n "$warnings" ]; then
	printf '%s\n' "$warnings" >&2
	echo "build-kernel: the build produced warnings (above); log in $log" >&2
	exit 1
fi
if [ -z "$subdir" ]; then
	[ -f "$REPO/kernel/agx.ko" ] || { echo "build-kernel: kernel/agx.ko was not produced" >&2; exit 1; }
	what=kernel/agx.ko
else
	what=$subdir
fi

mode="W=1"
[ "$sparse" = 1 ] && mode="W=1 C=2 (sparse)"
echo "build-kernel: $what for $KVER built warning-free with $mode in ${secs}s"
