#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Runs the curated piglit list (tests.txt) through "piglit run" and prints
# TAP: point 1 checks that the tests really ran on the driver asked for, then
# one point per listed test: "ok" when it passes as expected, "ok # SKIP
# known <result>" when it gives the non-pass result recorded in
# expectations.txt (tests not listed there are expected to pass), "not ok"
# otherwise (a regression, or a fix that must be recorded in
# expectations.txt). Piglit's
# summary (pass/fail/crash/skip/warn counts, pass rate) is printed as TAP
# diagnostics. See README.md.
#
#   run.sh                         agx on the functional drm-shim (the CI run)
#   run.sh --softpipe              the same list on our Mesa build's softpipe,
#                                  for comparison: one TAP point (the
#                                  renderer check) and the counts as
#                                  diagnostics; per-test results in
#                                  build/piglit/softpipe/
#   run.sh --update-expectations   agx run, then rewrite expectations.txt
#                                  from its results (review the diff!)
#
# Results: build/piglit/<agx|softpipe>/ (results.json.bz2, summary.txt).
# Environment: AGX_CACHE (default <repo>/.cache), AGX_PIGLIT_TIMEOUT
# (per-test timeout in seconds, default 20), AGX_PIGLIT_JOBS (default 2).
# Exit status: 0 when every point is ok.
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${AGX_CACHE:-$repo/.cache}
prefix=$cache/mesa-install
libdir=$prefix/lib
shim=$libdir/libagx_sim_drm_shim.so
vendor_json=$prefix/share/glvnd/egl_vendor.d/50_mesa.json
piglit_bin=/usr/lib/x86_64-linux-gnu/piglit/bin
timeout=${AGX_PIGLIT_TIMEOUT:-40}
jobs=${AGX_PIGLIT_JOBS:-2}

driver=agx
update=0
for arg in "$@"; do
   case "$arg" in
   --softpipe) driver=softpipe ;;
   --update-expectations) update=1 ;;
   *) echo "usage: $0 [--softpipe] [--update-expectations]" >&2; exit 2 ;;
   esac
done
[ "$driver" = softpipe ] && [ "$update" = 1 ] &&
   { echo "--update-expectations is for the agx run" >&2; exit 2; }

out=$repo/build/piglit/$driver
mkdir -p "$repo/build/piglit"
rm -rf "$out" "$out.list"

# The environment of every test (piglit passes its own environment on).
# PIGLIT_NO_WINDOW=1 (as in Mesa's CI): agx has no GL_ARB_framebuffer_object
# yet, so piglit's -fbo mode falls back to the winsys (pbuffer) framework,
# which aborts after the test unless told that there is no window to show.
# AGX_MESA_DEBUG=info makes every process that opens the agx screen log
# "agx: AGX G13G ..." on stderr; the results are checked for it.
export PIGLIT_PLATFORM=surfaceless_egl PIGLIT_NO_WINDOW=1
export LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export __EGL_VENDOR_LIBRARY_FILENAMES="$vendor_json"
if [ "$driver" = agx ]; then
   export LD_PRELOAD="$shim" AGX_MESA_DEBUG=info
   want_renderer="AGX G13G"
   marker="agx: AGX G13G"
else
   unset LD_PRELOAD AGX_MESA_DEBUG
   export GALLIUM_DRIVER=softpipe
   want_renderer=softpipe
   marker=""
fi

echo "TAP version 13"

# Guard 1: before anything, the renderer must be the one asked for. Without
# the shim (or with a broken one) EGL silently falls back to software.
renderer=$("$piglit_bin/glinfo" 2>"$out.glinfo.err" |
   sed -n 's/^GL_RENDERER = //p')
if [ "$renderer" != "$want_renderer" ]; then
   echo "1..1"
   echo "not ok 1 renderer is \"$want_renderer\" (glinfo says \"$renderer\"; wrong driver or no context, not running piglit)"
   sed 's/^/# /' "$out.glinfo.err" | tail -n 20
   exit 1
fi

# piglit wants a bare list: strip comments and blank lines.
sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$here/tests.txt" \
   >"$out.list"

start=$(date +%s)
# A hard bound on the whole run as well as the per-test one.
timeout $((timeout * 30)) piglit run -p surfaceless_egl -l dummy \
   -j "$jobs" --timeout "$timeout" -n "$driver" -o \
   --test-list "$out.list" "$here/profile.meta.xml" "$out" \
   >"$out.log" 2>&1
rc=$?
elapsed=$(($(date +%s) - start))
if [ "$rc" -ne 0 ] || [ ! -f "$out/results.json.bz2" ]; then
   echo "1..1"
   echo "not ok 1 piglit run finished (status $rc)"
   sed 's/^/# /' "$out.log" | tail -n 30
   exit 1
fi
piglit summary console -s "$out" >"$out/summary.txt" 2>&1

exec /usr/bin/python3 - "$out" "$driver" "$marker" "$here/expectations.txt" \
   "$out.list" "$elapsed" "$update" "$renderer" <<'EOF'
import bz2, json, sys

out, driver, marker, exp_path, list_path, elapsed, update, renderer = sys.argv[1:]
tests = json.load(bz2.open(out + "/results.json.bz2", "rt"))["tests"]
names = [l.rstrip("\n") for l in open(list_path)]

expect = {}
for line in open(exp_path):
    line = line.split("#", 1)[0].strip()
    if line:
        status, name = line.split(None, 1)
        expect[name] = status

n = 0
bad = 0
def point(ok, text):
    global n, bad
    n += 1
    if not ok:
        bad += 1
    print(("ok" if ok else "not ok"), n, text)

print("1..%d" % ((len(names) if marker else 0) + 1))

# Guard 2: every test that did not skip must show the agx marker on stderr
# (a skip may come before EGL is initialised: piglit's own requirement
# checks, or "-fbo" refusing multisampling).
if marker:
    ran_tests = [t for t in names if t in tests and
                 tests[t].get("result") not in ("skip", "notrun")]
    stray = [t for t in ran_tests
             if marker not in (tests[t].get("err") or "")]
    point(ran_tests and not stray, "each of the %d tests that did not skip "
          "ran on agx (stderr has \"%s\")" % (len(ran_tests), marker))
    for t in stray[:10]:
        print("#   no marker:", t)
else:
    point(True, "renderer is %s" % renderer)

counts = {}
for t in names:
    r = tests.get(t, {}).get("result", "missing")
    counts[r] = counts.get(r, 0) + 1
    if marker:
        want = expect.get(t, "pass")
        if r == want == "pass":
            point(True, "%s: pass" % t)
        elif r == want:
            # A known non-pass is not counted as a pass (scripts/summarize.py
            # does not mark known failures as passes), nor as a failure.
            point(True, "%s: %s # SKIP known %s, see expectations.txt"
                  % (t, r, r))
        else:
            kind = "REGRESSION" if want == "pass" or r in ("crash", "timeout", "missing") else "CHANGED"
            if r == "pass":
                kind = "FIXED, update expectations.txt"
            point(False, "%s: %s, expected %s (%s)" % (t, r, want, kind))

total = len(names)
ran = total - counts.get("skip", 0)
def line(label):
    return "# %s %s: %d tests, %s, pass rate %.1f%% of all, %.1f%% of those not skipped, %ss" % (
        label, driver, total,
        " ".join("%s %d" % (k, counts.get(k, 0)) for k in
                 ("pass", "fail", "crash", "skip", "warn", "timeout")),
        100.0 * counts.get("pass", 0) / total,
        100.0 * counts.get("pass", 0) / ran if ran else 0.0, elapsed)
print("# piglit summary (" + driver + ", subtests counted, from piglit summary console -s):")
for l in open(out + "/summary.txt"):
    if l.strip() and not l.strip().startswith("----"):
        print("#  ", l.rstrip())
print(line("tests.txt on"))
open(out + "/rate.txt", "w").write(line("tests.txt on").lstrip("# ") + "\n")
if marker:
    print("# %d of %d points not ok" % (bad, n))

if update == "1":
    with open(exp_path) as f:
        head = [l for l in f if l.startswith("#")]
    with open(exp_path, "w") as f:
        f.writelines(head)
        for t in names:
            r = tests.get(t, {}).get("result", "missing")
            if r != "pass":
                f.write("%s %s\n" % (r, t))
    print("# expectations.txt rewritten from this run")
sys.exit(1 if bad and update != "1" else 0)
EOF
