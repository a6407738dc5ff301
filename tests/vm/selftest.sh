#!/bin/bash
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2016,SC2034 # checks are eval'd strings using rc and tap
#
# selftest.sh - check that tests/vm/run-suite.sh turns guest failures into
# failures: a failing suite, a suite that dies without TAP, a kernel panic
# and a hung guest. Boots the VM four times (about a minute); not part of
# scripts/test.sh. Prints TAP; exit status 0 when the runner behaved.

set -uo pipefail

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$VM_DIR/../.." && pwd)
mkdir -p "$REPO/build"
work=$(mktemp -d "$REPO/build/vm-selftest.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/suites" "$work/results" "$work/build"

cat >"$work/suites/fail.sh" <<'EOF'
echo "TAP version 13"
echo "ok 1 first"
echo "not ok 2 second"
echo "1..2"
exit 1
EOF
cat >"$work/suites/silent.sh" <<'EOF'
exit 3
EOF
cat >"$work/suites/panic.sh" <<'EOF'
echo "TAP version 13"
echo "ok 1 before the panic"
echo c >/proc/sysrq-trigger
sleep 60
EOF
cat >"$work/suites/hang.sh" <<'EOF'
echo "TAP version 13"
echo "ok 1 before the hang"
echo "1..1"
sleep 1000
EOF

n=0
failed=0
check() {
	n=$((n + 1))
	if eval "$2"; then
		echo "ok $n $1"
	else
		failed=$((failed + 1))
		echo "not ok $n $1"
	fi
}

# run SUITE [TIMEOUT]: run the runner, leaving its status in $rc and the
# resulting TAP in $tap.
run() {
	AGX_VM_SUITES_DIR=$work/suites AGX_RESULTS=$work/results \
		AGX_BUILD_DIR=$work/build AGX_VM_TIMEOUT=${2:-300} \
		"$VM_DIR/run-suite.sh" "$1" >"$work/$1.out" 2>&1
	rc=$?
	tap=$(cat "$work/results/vm-$1.tap" 2>/dev/null)
	sed 's/^/# /' "$work/$1.out" | tail -n 4
}

echo "TAP version 13"

run fail
check "failing suite: runner exits 1" '[ "$rc" = 1 ]'
check "failing suite: TAP kept as written" \
	'[ "$(grep -c "^not ok" <<<"$tap")" = 1 ] && grep -q "^1\.\.2$" <<<"$tap"'

run silent
check "suite without TAP: runner exits 3" '[ "$rc" = 3 ]'
check "suite without TAP: a not ok line is added" \
	'grep -q "^not ok 1 .*status 3" <<<"$tap" && grep -q "^1\.\.1$" <<<"$tap"'

run panic
check "kernel panic: runner exits 125" '[ "$rc" = 125 ]'
check "kernel panic: TAP has the test before it and a crash line" \
	'grep -q "^ok 1 before the panic" <<<"$tap" && grep -q "^not ok 2 .*crashed" <<<"$tap" && grep -q "^1\.\.2$" <<<"$tap"'
check "kernel panic: serial log has the panic" \
	'grep -q "Kernel panic" "$work/build/vm/panic.log"'

# Long enough to boot on a busy machine, short enough to be a hang.
run hang 45
check "hung guest: runner exits 124" '[ "$rc" = 124 ]'
check "hung guest: plan moved after the added not ok" \
	'grep -q "^not ok 2 .*hung" <<<"$tap" && [ "$(tail -n1 <<<"$tap")" = "1..2" ] && [ "$(grep -c "^1\.\." <<<"$tap")" = 1 ]'

echo "1..$n"
[ "$failed" = 0 ]
