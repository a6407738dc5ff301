#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Count test results from every suite and print the closing line.

  summarize.py [--meson TESTLOG.json]... [--tap FILE.tap]... [--missing NAME]...

A suite that speaks TAP is counted by its test points: "ok" is a pass,
"not ok" a failure, "# SKIP" a skip and "# TODO" an expected failure (counted
as a failure, since we do not mark known failures as passes). A TAP stream
that ends early (fewer points than its plan) adds one failure for the
missing points. A meson test without TAP counts as one test by its result.
--missing NAME records a suite that should have produced results and did
not (a build that failed, a VM that never booted): one failure each.

The last line is "N passed, N failed, N skipped", which CI reads.
"""
import argparse
import json
import re
import sys

PLAN_RE = re.compile(r"^\s*1\.\.(\d+)")
POINT_RE = re.compile(r"^\s*(not ok|ok)\b\s*(\d+)?\s*(.*)$")


def count_tap(text):
    """Return (passed, failed, skipped, failed_names) of a TAP stream."""
    passed = failed = skipped = 0
    names = []
    plan = None
    points = 0
    for line in text.splitlines():
        m = PLAN_RE.match(line)
        if m and plan is None:
            plan = int(m.group(1))
            continue
        m = POINT_RE.match(line)
        if not m:
            continue
        points += 1
        status, rest = m.group(1), m.group(3)
        directive = rest.split("#", 1)[1].strip().upper() if "#" in rest else ""
        if status == "ok" and directive.startswith("SKIP"):
            skipped += 1
        elif status == "ok" and not directive.startswith("TODO"):
            passed += 1
        else:
            failed += 1
            names.append(rest.split("#", 1)[0].strip() or "(unnamed)")
    if plan is not None and points < plan:
        failed += 1
        names.append(f"(stream ended after {points} of {plan} planned tests)")
    if plan is None and points == 0:
        failed += 1
        names.append("(no TAP output)")
    return passed, failed, skipped, names


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--meson", action="append", default=[])
    ap.add_argument("--tap", action="append", default=[])
    ap.add_argument("--missing", action="append", default=[])
    args = ap.parse_args()

    rows = []  # (suite, passed, failed, skipped, failed names)
    for log in args.meson:
        with open(log) as f:
            for line in f:
                t = json.loads(line)
                out = t.get("stdout") or ""
                if "TAP version" in out or PLAN_RE.search(out):
                    p, fl, s, names = count_tap(out)
                    if t["result"] not in ("OK", "SKIP", "EXPECTEDFAIL") and fl == 0:
                        fl, names = 1, [f"(exit: {t['result']})"]
                else:
                    res = t["result"]
                    p, fl, s = (res == "OK"), (res not in ("OK", "SKIP")), (res == "SKIP")
                    names = [res] if fl else []
                rows.append((f"host:{t['name']}", int(p), int(fl), int(s), names))
    for tap in args.tap:
        try:
            with open(tap) as f:
                text = f.read()
        except OSError as e:
            rows.append((f"tap:{tap}", 0, 1, 0, [str(e)]))
            continue
        suite = tap.rsplit("/", 1)[-1].removesuffix(".tap")
        rows.append((suite, *count_tap(text)))
    for name in args.missing:
        rows.append((name, 0, 1, 0, ["(suite produced no results)"]))

    width = max([len(r[0]) for r in rows] + [10])
    print("\n== test summary ==")
    for suite, p, fl, s, names in rows:
        print(f"  {suite:<{width}}  {p:4d} passed  {fl:3d} failed  {s:3d} skipped")
        for n in names[:20]:
            print(f"  {'':<{width}}    FAILED: {n}")
    tp = sum(r[1] for r in rows)
    tf = sum(r[2] for r in rows)
    ts = sum(r[3] for r in rows)
    print(f"{tp} passed, {tf} failed, {ts} skipped")
    return 1 if tf or not rows else 0


if __name__ == "__main__":
    sys.exit(main())
