#!/bin/busybox sh
# SPDX-License-Identifier: MIT
#
# /init of the test VM's initramfs (built by tests/vm/run-suite.sh).
#
# Runs under busybox. It mounts the host's root file system (9p tag
# "hostroot", read-only) and the per-run results share (9p tag "results",
# read-write), chroots into the host root and runs one suite script there.
# The suite's stdout is its TAP stream and is written to the results share.
# At the end it prints "AGX-GUEST-EXIT <status>" on the console and reports
# the status to QEMU through isa-debug-exit (port 0xf4), which makes QEMU
# exit with 2 * status + 1.

/bin/busybox --install -s /bin
export PATH=/bin

mount -t devtmpfs dev /dev
exec 0</dev/console 1>/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sys /sys

# Report a status to the host and power off; never returns.
finish() {
	rc=$1
	[ "$rc" -gt 127 ] && rc=127
	echo
	echo "AGX-GUEST-EXIT $rc"
	sync
	umount /newroot/run/agx-results 2>/dev/null
	umount /results 2>/dev/null
	# Port 0xf4 = 244. A byte N makes QEMU exit with 2N + 1.
	# shellcheck disable=SC2059 # the format is the byte itself
	printf "\\$(printf %03o "$rc")" | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
	# Only reached if the port write did not stop QEMU; the runner then
	# sees an exit code that does not match the marker and fails the run.
	poweroff -f
	sleep 5
	echo o >/proc/sysrq-trigger
}

fail() {
	echo "agx-vm-init: $*"
	finish 125
}

for m in $(cat /modules/order); do
	insmod "/modules/$m.ko" || fail "insmod $m failed"
done

mkdir -p /results /newroot
p9opts=trans=virtio,version=9p2000.L,msize=262144
mount -t 9p -o "$p9opts" results /results || fail "cannot mount the results share"
[ -f /results/agx-vm.env ] || fail "no agx-vm.env on the results share"
# AGX_SUITE, AGX_SCRIPT, AGX_REPO and friends, written by the host runner.
. /results/agx-vm.env

mount -t 9p -o "$p9opts,ro,cache=loose" hostroot /newroot || fail "cannot mount the host root"
mount -o bind /dev /newroot/dev
mount -o bind /proc /newroot/proc
mount -o bind /sys /newroot/sys
mount -t debugfs debugfs /newroot/sys/kernel/debug 2>/dev/null
# Writable scratch space over a read-only root. /tmp gets a tmpfs only
# when nothing the suite needs from the host lives under it.
mkdir -p /dev/shm
for d in /run /var/tmp /root /dev/shm; do
	mount -t tmpfs -o mode=1777 tmpfs "/newroot$d" || fail "cannot mount tmpfs on $d"
done
case "$AGX_REPO/ $AGX_SCRIPT $AGX_MESON_BUILD/" in
/tmp/* | *" /tmp/"*) ;;
*) mount -t tmpfs -o mode=1777 tmpfs /newroot/tmp ;;
esac
mkdir -p /newroot/run/agx-results
mount -o bind /results /newroot/run/agx-results

read -r up _ </proc/uptime
echo "agx-vm-init: uptime ${up}s, running suite $AGX_SUITE ($AGX_SCRIPT)"
# Stdout goes straight to the results share: 9p writes reach the host
# before write() returns, so TAP printed before a crash is kept. The
# console gets stderr live and the TAP at the end.
chroot /newroot /usr/bin/env -i \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	HOME=/root TERM=dumb LANG=C.UTF-8 AGX_IN_VM=1 \
	AGX_SUITE="$AGX_SUITE" AGX_REPO="$AGX_REPO" \
	AGX_MESON_BUILD="$AGX_MESON_BUILD" AGX_ENV_FILE="$AGX_ENV_FILE" \
	AGX_RESULTS_DIR=/run/agx-results \
	/bin/bash -c 'cd "$AGX_REPO" && exec /bin/bash "$0"' "$AGX_SCRIPT" \
	>"/results/$AGX_SUITE.tap"
rc=$?
cat "/results/$AGX_SUITE.tap"
read -r up _ </proc/uptime
echo "agx-vm-init: uptime ${up}s, suite $AGX_SUITE exited with $rc"
# The whole kernel log, for debugging; the console only shows warnings.
dmesg >"/results/$AGX_SUITE.dmesg"
finish $rc
