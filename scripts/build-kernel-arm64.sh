#!/bin/bash
# SPDX-License-Identifier: MIT
#
# build-kernel-arm64.sh - compile every object of kernel/ for arm64 with
# 16 KiB pages, ARCH_APPLE and APPLE_RTKIT, with W=1 and sparse, and fail
# on any warning. This is the only build that compiles agx_hw_rtkit.c (the
# Apple RTKit backend): the x86_64 test-bed kernel has no CONFIG_APPLE_RTKIT.
#
# Usage: scripts/build-kernel-arm64.sh [--prepare-only] [-jN]
#   --prepare-only   only fetch, configure and prepare the kernel tree
#                    (scripts/setup.sh does this)
#
# It does NOT link agx.ko: the kernel tree is only "modules_prepare"d, so
# there is no Module.symvers for vmlinux and modpost would report every
# kernel symbol the module uses as undefined (docs/arm64-build-notes.md).
# A real link needs a full arm64 kernel build (about an hour here).
#
# Cached under .cache/arm64/ (AGX_ARM64_CACHE overrides):
#   linux-source-<ver>/   Debian's linux-source-6.12 from bookworm-backports,
#                         configured (defconfig + the options below) and
#                         prepared; redone only when the version or the
#                         option list changes
#   mod/                  a copy of kernel/, uapi/ and firmware-structs/
#                         headers, so the arm64 objects never land next to
#                         the x86_64 ones in kernel/
# The log is build/kernel/arm64.log (AGX_BUILD_DIR overrides build/).
#
# Needs gcc-aarch64-linux-gnu, bc, libssl-dev, libelf-dev, flex, bison and
# sparse (scripts/setup.sh installs them).
#
# Time on the project's 2-core machine (2026-11-23). Cold: preparing the
# tree (download and extract, configure, modules_prepare) took 42 s on a
# quiet machine and 155 s with other builds running, and the whole cold
# run with seven objects 170 s under that load. Warm: 8 to 16 s, most of
# it sparse (C=2 checks every file on every run) and Kbuild's start-up.

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${AGX_ARM64_CACHE:-$REPO/.cache/arm64}
SRC_PKG=linux-source-6.12/bookworm-backports
CROSS=aarch64-linux-gnu-
jobs=2
prepare_only=0

for arg in "$@"; do
	case $arg in
	--prepare-only) prepare_only=1 ;;
	-j[0-9]*) jobs=${arg#-j} ;;
	-h|--help) awk 'NR > 2 && !/^#/ { exit } NR > 2 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
	*) echo "build-kernel-arm64: unknown argument '$arg'" >&2; exit 2 ;;
	esac
done

# Kernel options on top of arm64 defconfig. Panthor is only there because
# it selects DRM_GPUVM, DRM_SCHED, DRM_EXEC and DRM_GEM_SHMEM_HELPER, which
# cannot be enabled on their own.
CONFIG_ARGS=(-e ARM64_16K_PAGES -d ARM64_4K_PAGES -d ARM64_64K_PAGES
	-e ARCH_APPLE -e APPLE_RTKIT -e APPLE_MAILBOX -e MAILBOX
	-m DRM -m DRM_PANTHOR -e DEBUG_FS)
# Options the build relies on after olddefconfig.
CONFIG_WANT="CONFIG_ARM64_16K_PAGES=y CONFIG_ARCH_APPLE=y CONFIG_APPLE_RTKIT=y
CONFIG_APPLE_MAILBOX=y CONFIG_DRM=m CONFIG_DRM_GPUVM=m CONFIG_DRM_SCHED=m
CONFIG_DRM_EXEC=m CONFIG_DRM_GEM_SHMEM_HELPER=m"

die() { echo "build-kernel-arm64: $*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

for tool in "${CROSS}gcc" sparse bc flex bison apt-get dpkg-deb; do
	command -v "$tool" >/dev/null || die "$tool not found; run scripts/setup.sh"
done

outdir=${AGX_BUILD_DIR:-$REPO/build}/kernel
mkdir -p "$outdir" "$CACHE"
log=$outdir/arm64.log
: >"$log"
start=$(now)

# One run at a time: the cached tree is shared.
exec 8>"$CACHE/.lock"
flock 8

# --- 1. kernel source, configured and prepared -------------------------------

# A package cache of our own keeps apt-cache from rebuilding one per call
# (about 2.5 s each where Dir::Cache::pkgcache is empty, as in Debian's
# container images).
ver=$(apt-cache -o Dir::Cache::pkgcache="$CACHE/apt-pkgcache.bin" show "$SRC_PKG" 2>/dev/null |
	sed -n 's/^Version: //p' | head -n1)
if [ -z "$ver" ]; then
	# Offline or no backports lists: use whatever tree is cached.
	ksrc=$(find "$CACHE" -maxdepth 1 -type d -name 'linux-source-*' | head -n1)
	[ -n "$ksrc" ] || die "cannot resolve $SRC_PKG (apt lists?) and nothing is cached"
	echo "build-kernel-arm64: cannot resolve $SRC_PKG; using cached ${ksrc##*/}"
else
	ksrc=$CACHE/linux-source-$ver
fi
stamp=$ksrc/.agx-prepared
want_stamp=$(printf '%s\n' "$ver" "${CONFIG_ARGS[*]}")

kmake() {
	make -C "$ksrc" ARCH=arm64 CROSS_COMPILE="$CROSS" -j"$jobs" "$@"
}

if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want_stamp" ]; then
	t=$(now)
	if [ ! -f "$ksrc/Makefile" ]; then
		echo "build-kernel-arm64: fetching $SRC_PKG $ver"
		tmp=$CACHE/dl.tmp
		rm -rf "$tmp" "$ksrc"
		mkdir -p "$tmp"
		apt_opts=(-qq -o Acquire::Retries=3)
		[ "$(id -u)" = 0 ] && apt_opts+=(-o APT::Sandbox::User=root)
		(cd "$tmp" && apt-get "${apt_opts[@]}" download "$SRC_PKG") ||
			die "apt-get download $SRC_PKG failed"
		dpkg-deb -x "$tmp"/linux-source-6.12_*.deb "$tmp/x"
		tarball=$(find "$tmp/x/usr/src" -maxdepth 1 -name 'linux-source-*.tar.*' | head -n1)
		[ -n "$tarball" ] || die "no source tarball in the package"
		mkdir -p "$ksrc.tmp"
		tar -xf "$tarball" -C "$ksrc.tmp" --strip-components=1
		mv "$ksrc.tmp" "$ksrc"
		rm -rf "$tmp"
		echo "build-kernel-arm64: source extracted in $(since "$t")s"
	fi
	t=$(now)
	rm -f "$stamp"
	{
		kmake defconfig
		"$ksrc/scripts/config" --file "$ksrc/.config" "${CONFIG_ARGS[@]}"
		kmake olddefconfig
	} >>"$log" 2>&1 || { tail -n 30 "$log" >&2; die "configuring the kernel failed"; }
	for opt in $CONFIG_WANT; do
		grep -qx "$opt" "$ksrc/.config" || die "$opt is not set after olddefconfig"
	done
	echo "build-kernel-arm64: configured in $(since "$t")s"
	t=$(now)
	kmake modules_prepare >>"$log" 2>&1 ||
		{ tail -n 30 "$log" >&2; die "modules_prepare failed"; }
	echo "build-kernel-arm64: modules_prepare in $(since "$t")s"
	echo "$want_stamp" >"$stamp"
fi

if [ "$prepare_only" = 1 ]; then
	echo "build-kernel-arm64: ${ksrc##*/} is prepared ($(since "$start")s)"
	exit 0
fi

# --- 2. the module's objects -------------------------------------------------

# Mirror the sources, so arm64 objects stay out of kernel/. rsync would
# be nicer; cp keeps the dependency list short. Files deleted from the
# tree are deleted from the copy too.
mod=$CACHE/mod
mkdir -p "$mod"
for d in kernel uapi firmware-structs; do
	[ -d "$REPO/$d" ] || continue
	rm -rf "$mod/$d.new"
	mkdir -p "$mod/$d.new"
	(cd "$REPO/$d" && find . \( -name '*.c' -o -name '*.h' -o -name Kbuild \) \
		! -name '*.mod.c' -print0 | cpio -0 -pdm --quiet "$mod/$d.new")
	# Keep the old copy's objects when a source did not change, so warm
	# runs only recompile what changed: move sources over file by file.
	if [ -d "$mod/$d" ]; then
		(cd "$mod/$d.new" && find . -type f -print0) | while IFS= read -r -d '' f; do
			if ! cmp -s "$mod/$d.new/$f" "$mod/$d/$f"; then
				mkdir -p "$(dirname "$mod/$d/$f")"
				cp -p "$mod/$d.new/$f" "$mod/$d/$f"
			fi
		done
		(cd "$mod/$d" && find . -type f \( -name '*.c' -o -name '*.h' -o -name Kbuild \) -print0) |
			while IFS= read -r -d '' f; do
				[ -e "$mod/$d.new/$f" ] || rm -f "$mod/$d/$f"
			done
		rm -rf "$mod/$d.new"
	else
		mv "$mod/$d.new" "$mod/$d"
	fi
done

objs=()
for c in "$mod"/kernel/*.c; do
	[ -e "$c" ] || continue
	objs+=("$(basename "${c%.c}").o")
done
[ ${#objs[@]} -gt 0 ] || die "no C files in kernel/"

t=$(now)
logstart=$(wc -l <"$log")
set +e
# C=2: sparse checks every file, also the ones that are up to date.
# -k: one broken file does not hide the diagnostics of the others.
kmake -k M="$mod/kernel" W=1 C=2 CHECK=sparse "${objs[@]}" >>"$log" 2>&1
rc=$?
set -e
secs=$(since "$t")
# Compiler and sparse diagnostics of this step only (the configuration
# steps above print harmless "warning" lines of their own).
warnings=$(tail -n +"$((logstart + 1))" "$log" | grep -E -i 'warning:|error:|\bwarning\b' || true)

if [ "$rc" != 0 ]; then
	tail -n 60 "$log" >&2
	die "compiling failed (exit $rc); log in $log"
fi
if [ -n "$warnings" ]; then
	printf '%s\n' "$warnings" >&2
	die "warnings (above); log in $log"
fi
echo "build-kernel-arm64: ${#objs[@]} objects (${objs[*]}) compiled for arm64 16K with W=1 and sparse, warning-free, in ${secs}s (${ksrc##*/}; total $(since "$start")s; not linked: no vmlinux Module.symvers)"
