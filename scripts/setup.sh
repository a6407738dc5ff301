#!/bin/bash
# SPDX-License-Identifier: MIT
#
# setup.sh - prepare a Debian 12 (bookworm) machine to build and test agx.
#
# Run as root, with no arguments. It is idempotent: a second run only
# checks that everything is in place and returns within a second or two.
#
# What it does:
#   1. makes sure apt knows about bookworm-backports (deb and deb-src);
#   2. installs the build and test packages in AGX_APT_PACKAGES that are
#      missing (apt-get update runs only when something must be fetched);
#   3. downloads Debian's bookworm-backports kernel (image, headers, kbuild)
#      and unpacks it into $REPO/.cache/kroot WITHOUT installing it: the
#      module is built against those headers and the test VM boots that
#      kernel, so the host's /boot and its running kernel are never touched;
#   4. writes $REPO/.cache/agx-env.sh (KVER, KROOT, KDIR, ...) for the
#      other scripts to source.
#   5. fetches, configures and prepares the arm64 16K kernel tree that
#      scripts/build-kernel-arm64.sh compiles the module against
#      (.cache/arm64; 45 s to 2.5 min the first time depending on the
#      machine's load, well under a second afterwards).
#
# Environment:
#   AGX_SKIP_APT=1     do not touch apt packages (steps 1-2)
#   AGX_SKIP_KERNEL=1  do not fetch the kernel (step 3)
#   AGX_SKIP_ARM64=1   do not prepare the arm64 kernel tree (step 5)

set -euo pipefail

# Packages the project needs. Append here; "pkg/suite" takes that one
# package from the given suite (never use -t, it drags in dependencies).
AGX_APT_PACKAGES="
	meson/bookworm-backports ninja-build python3-mako flex bison
	libdrm-dev libzstd-dev ccache pkgconf libpng-dev libexpat1-dev zlib1g-dev
	qemu-system-x86 busybox-static pahole kmod cpio xz-utils zstd sparse
	libgtest-dev mesa-utils libglvnd-dev piglit
	gcc-aarch64-linux-gnu bc libssl-dev libelf-dev
"

# The kernel flavour whose backports metapackage decides the kernel ABI.
AGX_KERNEL_SUITE=bookworm-backports
AGX_KERNEL_FLAVOUR=amd64

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=$REPO/.cache
KROOT=$CACHE/kroot
ENV_FILE=$CACHE/agx-env.sh
BPO_SOURCES=/etc/apt/sources.list.d/bookworm-backports.sources
APT_OPTS=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)

start=$(date +%s.%N)
apt_updated=0
did=()

log() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

# apt-cache rebuilds its package cache on every call when, as in Debian's
# container images, Dir::Cache::pkgcache is empty (about 1 s each); keep
# one of our own so repeated runs stay fast.
apt_cache() {
	apt-cache -o Dir::Cache::pkgcache="$CACHE/apt-pkgcache.bin" "$@"
}

apt_update() {
	if [ "$apt_updated" = 0 ]; then
		log "apt-get update"
		apt-get "${APT_OPTS[@]}" -qq update
		apt_updated=1
		did+=("apt-get update")
	fi
}

need_root() {
	[ "$(id -u)" = 0 ] || die "$1 needs root; re-run as root"
}

# --- 1. bookworm-backports apt source ---------------------------------------

bpo_sources_text() {
	cat <<-EOF
	Types: deb deb-src
	URIs: http://deb.debian.org/debian
	Suites: bookworm-backports
	Components: main
	Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	EOF
}

ensure_backports_source() {
	if [ -f "$BPO_SOURCES" ]; then
		return
	fi
	# Someone may already have configured backports elsewhere; a second
	# entry for the same suite with another Signed-By makes apt fail.
	if grep -rqs --include='*.list' --include='*.sources' --include=sources.list \
		-E '^[^#]*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d; then
		log "bookworm-backports is already configured outside $BPO_SOURCES; leaving it"
		return
	fi
	need_root "adding $BPO_SOURCES"
	bpo_sources_text >"$BPO_SOURCES"
	did+=("wrote $BPO_SOURCES")
	apt_update
}

# --- 2. packages -------------------------------------------------------------

# Installing busybox or kmod next to initramfs-tools fires an
# update-initramfs trigger that takes ~40 s; nothing here needs an initrd.
ensure_no_initramfs_updates() {
	local conf=/etc/initramfs-tools/update-initramfs.conf

	[ -d /etc/initramfs-tools ] || return 0
	grep -qs '^update_initramfs=no' "$conf" && return 0
	need_root "editing $conf"
	if grep -qs '^update_initramfs=' "$conf"; then
		sed -i 's/^update_initramfs=.*/update_initramfs=no/' "$conf"
	else
		echo 'update_initramfs=no' >>"$conf"
	fi
	did+=("set update_initramfs=no in $conf")
}

# Is "pkg" or "pkg/suite" installed (and, for pkg/suite, at least the
# version that suite offers)?
pkg_ok() {
	local spec=$1 name=${1%%/*} inst want

	inst=$(dpkg-query -W -f='${db:Status-Abbrev}|${Version}' "$name" 2>/dev/null) || return 1
	[ "${inst:0:2}" = "ii" ] || return 1
	[ "$spec" = "$name" ] && return 0
	want=$(apt_cache show "$spec" 2>/dev/null | sed -n 's/^Version: //p' | head -n1)
	# Unknown to apt (no lists yet): call it missing so lists get fetched.
	[ -n "$want" ] || return 1
	dpkg --compare-versions "${inst#*|}" ge "$want"
}

ensure_packages() {
	local missing=() spec

	for spec in $AGX_APT_PACKAGES; do
		pkg_ok "$spec" || missing+=("$spec")
	done
	[ ${#missing[@]} -eq 0 ] && return

	need_root "installing ${missing[*]}"
	apt_update
	log "installing: ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" -y -qq \
		--no-install-recommends install "${missing[@]}" >/dev/null
	did+=("installed ${missing[*]}")
}

# --- 3. kernel ---------------------------------------------------------------

# Print the first "Depends:" target of package $1 whose name starts with $2.
dep_named() {
	apt_cache depends "$1" 2>/dev/null |
		sed -n "s/^ *|\\{0,1\\}Depends: \\($2[^ ]*\\)\$/\\1/p" | head -n1
}

resolve_kernel() {
	local img

	img=$(dep_named "linux-image-$AGX_KERNEL_FLAVOUR/$AGX_KERNEL_SUITE" linux-image-)
	if [ -z "$img" ] && [ "$apt_updated" = 0 ] && [ "$(id -u)" = 0 ]; then
		apt_update
		img=$(dep_named "linux-image-$AGX_KERNEL_FLAVOUR/$AGX_KERNEL_SUITE" linux-image-)
	fi
	KVER=${img#linux-image-}
}

kernel_pkgs() {
	local hdr=linux-headers-$KVER common kbuild

	common=$(dep_named "$hdr" linux-headers-)
	kbuild=$(dep_named "$hdr" linux-kbuild-)
	if [ -z "$common" ] || [ -z "$kbuild" ]; then
		die "cannot resolve the dependencies of $hdr"
	fi
	echo "linux-image-$KVER $hdr $common $kbuild"
}

# The pieces of the extracted tree that the build and the VM rely on.
kernel_tree_ok() {
	local m=$KROOT/lib/modules/$KVER/kernel/drivers/gpu/drm

	[ -f "$KROOT/boot/vmlinuz-$KVER" ] &&
		[ -f "$KROOT/usr/src/linux-headers-$KVER/Makefile" ] &&
		[ -f "$m/drm.ko.xz" ] && [ -f "$m/drm_gpuvm.ko.xz" ] &&
		[ -f "$m/scheduler/gpu-sched.ko.xz" ] && [ -f "$m/drm_shmem_helper.ko.xz" ]
}

fetch_kernel() {
	local stamp=$KROOT/.agx-kernel pkgs want dl tmp deb hdrdir mk

	resolve_kernel
	if [ -z "$KVER" ]; then
		# Offline, or apt lists without backports: keep what we have.
		if [ -f "$stamp" ]; then
			KVER=$(head -n1 "$stamp")
			log "cannot resolve the backports kernel; keeping $KVER"
			return
		fi
		die "cannot resolve linux-image-$AGX_KERNEL_FLAVOUR/$AGX_KERNEL_SUITE"
	fi

	# One ABI name means one set of packages: nothing to do if it is there
	# and whole. The stamp alone is not trusted: a careless clean-up of
	# "*.ko*" files under the repository once emptied the module tree.
	if [ -f "$stamp" ] && [ "$(head -n1 "$stamp")" = "$KVER" ] && kernel_tree_ok; then
		return
	fi
	pkgs=$(kernel_pkgs)
	# shellcheck disable=SC2086 # a list of package names
	want=$(printf '%s\n' "$KVER" $pkgs)

	log "fetching kernel $KVER ($pkgs)"
	dl=$CACHE/kernel-debs
	tmp=$CACHE/kroot.new
	rm -rf "$dl" "$tmp"
	mkdir -p "$dl" "$tmp"
	# apt-get download fetches exactly these debs and nothing they depend on.
	# shellcheck disable=SC2086
	if ! (cd "$dl" && apt-get "${APT_OPTS[@]}" -qq -o APT::Sandbox::User=root download $pkgs); then
		# A new backports upload removes the old ABI from the mirror.
		if [ "$apt_updated" = 1 ] || [ "$(id -u)" != 0 ]; then
			die "kernel download failed"
		fi
		apt_update
		resolve_kernel
		pkgs=$(kernel_pkgs)
		# shellcheck disable=SC2086 # a list of package names
		want=$(printf '%s\n' "$KVER" $pkgs)
		# shellcheck disable=SC2086
		(cd "$dl" && apt-get "${APT_OPTS[@]}" -qq -o APT::Sandbox::User=root download $pkgs) ||
			die "kernel download failed"
	fi
	for deb in "$dl"/*.deb; do
		dpkg-deb -x "$deb" "$tmp"
	done

	# The arch headers include the common headers' Makefile by absolute
	# path (/usr/src/...); point it into the prefix so KDIR works there.
	hdrdir=$tmp/usr/src/linux-headers-$KVER
	mk=$hdrdir/Makefile
	[ -f "$mk" ] || die "no $mk in the headers package"
	sed -i -E "s#^(include[[:space:]]+)/usr/src/#\\1$KROOT/usr/src/#" "$mk"

	# kmod looks in <root>/lib/modules; cope with a /usr/lib-only layout.
	if [ ! -d "$tmp/lib/modules/$KVER" ] && [ -d "$tmp/usr/lib/modules/$KVER" ]; then
		mkdir -p "$tmp/lib"
		ln -s ../usr/lib/modules "$tmp/lib/modules"
	fi
	[ -d "$tmp/lib/modules/$KVER/kernel" ] || die "no modules in the image package"
	[ -f "$tmp/boot/vmlinuz-$KVER" ] || die "no vmlinuz in the image package"
	depmod -b "$tmp" "$KVER"

	rm -rf "$KROOT" "$dl"
	mv "$tmp" "$KROOT"
	# The Makefile fix names the final path, which only now exists.
	grep -q "^include[[:space:]]*$KROOT/usr/src/" "$KROOT/usr/src/linux-headers-$KVER/Makefile" ||
		die "headers Makefile fix-up failed"
	echo "$want" >"$stamp"
	did+=("extracted kernel $KVER into $KROOT")
}

# --- 4. environment file -----------------------------------------------------

write_env() {
	local new

	new=$(cat <<-EOF
	# Generated by scripts/setup.sh; source it, do not edit it.
	export AGX_REPO='$REPO'
	export KVER='$KVER'
	export KROOT='$KROOT'
	export KDIR='$KROOT/usr/src/linux-headers-$KVER'
	export AGX_VMLINUZ='$KROOT/boot/vmlinuz-$KVER'
	export AGX_MODDIR='$KROOT/lib/modules/$KVER'
	EOF
	)
	if [ ! -f "$ENV_FILE" ] || [ "$(cat "$ENV_FILE")" != "$new" ]; then
		printf '%s\n' "$new" >"$ENV_FILE"
		did+=("wrote $ENV_FILE")
	fi
}

# --- main --------------------------------------------------------------------

mkdir -p "$CACHE"
KVER=

# One setup at a time: scripts/test.sh and people may start it together.
exec 9>"$CACHE/.setup.lock"
if ! flock -n 9; then
	log "waiting for another setup.sh to finish"
	flock 9
fi

if [ "${AGX_SKIP_APT:-0}" != 1 ]; then
	ensure_backports_source
	ensure_no_initramfs_updates
	ensure_packages
fi
if [ "${AGX_SKIP_KERNEL:-0}" != 1 ]; then
	fetch_kernel
	write_env
fi

# --- 5. arm64 kernel tree ------------------------------------------------------
if [ "${AGX_SKIP_ARM64:-0}" != 1 ]; then
	# Not fatal: the x86_64 build and the VM do not need it, and
	# scripts/test.sh reports the arm64 build step as failed anyway.
	if ! out=$("$REPO/scripts/build-kernel-arm64.sh" --prepare-only 2>&1); then
		printf '%s\n' "$out" >&2
		log "warning: preparing the arm64 kernel tree failed (above)"
	fi
	case $out in *fetching*) did+=("prepared the arm64 kernel tree") ;; esac
fi

end=$(date +%s.%N)
secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
if [ ${#did[@]} -eq 0 ]; then
	log "nothing to do, everything is in place (${secs}s)"
else
	for d in "${did[@]}"; do
		log "did: $d"
	done
	log "done in ${secs}s"
fi
[ -n "$KVER" ] && log "kernel $KVER, KDIR=$KROOT/usr/src/linux-headers-$KVER"
exit 0
