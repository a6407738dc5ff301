# shellcheck shell=bash
# SPDX-License-Identifier: MIT
#
# lib.sh - helpers for VM suite scripts (tests/vm/suites/*.sh), sourced by
# them inside the guest. A suite prints one TAP stream on stdout: its own
# checks (tap_ok, tap_not_ok, tap_check) and the tests of C programs it
# runs (tap_run), numbered in one sequence, with the plan printed last by
# tap_finish. Diagnostics are "# " lines. Every exec costs ~50 ms under
# TCG, so the helpers lean on bash builtins.

set -u

[ "${AGX_IN_VM:-0}" = 1 ] || {
	echo "lib.sh: VM suites run only inside the test VM (tests/vm/run-suite.sh)" >&2
	exit 2
}

# shellcheck source=/dev/null
. "${AGX_ENV_FILE:?}"
AGX_REPO=${AGX_REPO:?}
AGX_MESON_BUILD=${AGX_MESON_BUILD:-$AGX_REPO/build}
# shellcheck disable=SC2034 # for the suites
AGX_KO=$AGX_REPO/kernel/agx.ko

agx_tap_n=0
agx_tap_failed=0

echo "TAP version 13"

# Print each line of $1 as a TAP diagnostic.
tap_diag() {
	local line
	while IFS= read -r line; do
		printf '# %s\n' "$line"
	done <<<"$1"
}

tap_ok() {
	agx_tap_n=$((agx_tap_n + 1))
	echo "ok $agx_tap_n $1"
}

# tap_not_ok NAME [DIAGNOSTIC]
tap_not_ok() {
	agx_tap_n=$((agx_tap_n + 1))
	agx_tap_failed=$((agx_tap_failed + 1))
	echo "not ok $agx_tap_n $1"
	[ -n "${2:-}" ] && tap_diag "$2"
	return 0
}

tap_skip() {
	agx_tap_n=$((agx_tap_n + 1))
	echo "ok $agx_tap_n $1 # SKIP $2"
}

# tap_check NAME COMMAND...: one test line for COMMAND's exit status; its
# output becomes diagnostics when it fails. Returns COMMAND's status.
tap_check() {
	local name=$1 out rc
	shift
	out=$("$@" 2>&1) && rc=0 || rc=$?
	if [ "$rc" = 0 ]; then
		tap_ok "$name"
	else
		tap_not_ok "$name" "$* exited with $rc${out:+:
$out}"
	fi
	return "$rc"
}

# tap_here NAME COMMAND...: like tap_check, but runs COMMAND in this shell
# (not in a command substitution; its output goes through a file), for
# commands that start or wait for background processes such as agxsim-vm.
tap_here() {
	local name=$1 rc out=/run/tap-step.out
	shift
	"$@" >"$out" 2>&1 && rc=0 || rc=$?
	if [ "$rc" = 0 ]; then
		tap_ok "$name"
	else
		tap_not_ok "$name" "$* exited with $rc:
$(<"$out")"
	fi
	return "$rc"
}

# tap_run PREFIX PROGRAM [ARGS...]: run a program that prints TAP (see
# tests/lib/agx_test.h) and splice its tests into this stream as
# "PREFIX: name". A program that dies, exits non-zero without a failing
# test, or runs fewer tests than it planned adds a failing line.
tap_run() {
	local prefix=$1 prog=$2 out rc line planned=-1 seen=0 failed=0
	shift 2
	if [ ! -x "$prog" ]; then
		tap_not_ok "$prefix: program present" "$prog is missing; build it with ninja -C $AGX_MESON_BUILD"
		return 1
	fi
	out=$("$prog" "$@" 2>&1) && rc=0 || rc=$?
	while IFS= read -r line; do
		if [[ $line =~ ^(not\ )?ok\ [0-9]+\ ?(.*)$ ]]; then
			seen=$((seen + 1))
			if [ -n "${BASH_REMATCH[1]}" ]; then
				failed=$((failed + 1))
				tap_not_ok "$prefix: ${BASH_REMATCH[2]}"
			else
				agx_tap_n=$((agx_tap_n + 1))
				echo "ok $agx_tap_n $prefix: ${BASH_REMATCH[2]}"
			fi
		elif [[ $line =~ ^1\.\.([0-9]+) ]]; then
			planned=${BASH_REMATCH[1]}
		elif [[ $line == "TAP version"* || -z $line ]]; then
			:
		elif [[ $line == \#* ]]; then
			echo "$line"
		else
			echo "# $line"
		fi
	done <<<"$out"
	if [ "$planned" -ge 0 ] && [ "$seen" -ne "$planned" ]; then
		tap_not_ok "$prefix: ran all planned tests" "planned $planned, ran $seen, exit status $rc"
	elif [ "$rc" != 0 ] && [ "$failed" = 0 ]; then
		tap_not_ok "$prefix: exit status" "$prog exited with $rc"
	fi
	[ "$rc" = 0 ]
}

# Print the plan and exit: 0 when every test passed, 1 otherwise.
tap_finish() {
	echo "1..$agx_tap_n"
	[ "$agx_tap_failed" = 0 ] && exit 0
	exit 1
}

# --- kernel helpers -----------------------------------------------------------

# DRM helper modules agx.ko needs, from the unpacked kernel tree, with the
# host's kmod ("-d" is the root holding lib/modules).
AGX_HELPER_MODULES="drm drm_kms_helper drm_shmem_helper gpu-sched drm_exec drm_gpuvm"

agx_load_helpers() {
	# shellcheck disable=SC2086
	modprobe -a -d "$KROOT" -S "$KVER" $AGX_HELPER_MODULES
}

# agx_wait_for PATH [TENTHS]: wait until PATH exists (default 5 s).
agx_wait_for() {
	local i
	for ((i = 0; i < ${2:-50}; i++)); do
		[ -e "$1" ] && return 0
		sleep 0.1
	done
	[ -e "$1" ]
}

# agx_wait_gone PATH [TENTHS]: wait until PATH no longer exists.
agx_wait_gone() {
	local i
	for ((i = 0; i < ${2:-50}; i++)); do
		[ -e "$1" ] || return 0
		sleep 0.1
	done
	[ ! -e "$1" ]
}

agx_module_loaded() {
	[ -d /sys/module/agx ]
}

# Mark the kernel log so agx_dmesg_check only looks at what follows.
agx_dmesg_mark() {
	AGX_DMESG_MARK="agx-vm: suite $AGX_SUITE start $$"
	echo "$AGX_DMESG_MARK" >/dev/kmsg
}

# Kernel log lines that fail a suite. A WARNING is a failure too.
AGX_DMESG_BAD='BUG:|WARNING:|Oops|general protection fault|Call Trace:|kernel BUG|UBSAN:|KFENCE:|refcount_t:|list_add corruption|list_del corruption|blocked for more than|Unable to handle|RIP:'

# Fail (printing the offending lines) if the kernel log since
# agx_dmesg_mark shows a splat.
agx_dmesg_check() {
	local log bad line after=0
	log=$(dmesg) || return 1
	bad=
	while IFS= read -r line; do
		if [ "$after" = 0 ]; then
			[[ $line == *"${AGX_DMESG_MARK:?}"* ]] && after=1
			continue
		fi
		[[ $line =~ $AGX_DMESG_BAD ]] && bad+="$line"$'\n'
	done <<<"$log"
	if [ "$after" = 0 ]; then
		echo "dmesg mark not found"
		return 1
	fi
	if [ -n "$bad" ]; then
		printf '%s' "$bad"
		return 1
	fi
}

# Fail if the kernel is tainted by anything but out-of-tree (O, 4096) or
# unsigned (E, 8192) modules: W (warning), D (oops) and friends.
agx_taint_check() {
	local t
	t=$(</proc/sys/kernel/tainted)
	if (((t & ~(4096 | 8192)) != 0)); then
		echo "kernel taint $t"
		return 1
	fi
}
