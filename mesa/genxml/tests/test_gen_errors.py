#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check that gen_pack.py rejects bad descriptions (TAP output).

Each file in bad/ carries an "<!-- expect: TEXT -->" comment.  The
generator must exit with status 1, print "error:" and TEXT on stderr and
write no output file.  good_small.xml and the real agx_hw.xml must be
accepted.

Usage: test_gen_errors.py <gen_pack.py> [<agx_hw.xml>]
"""

import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def run(gen, xml, out, extra=()):
    return subprocess.run([sys.executable, gen] + list(extra) + [xml, out],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True)


def main():
    gen = sys.argv[1]
    real = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, '..', 'agx_hw.xml')
    bad_dir = os.path.join(HERE, 'bad')
    bad = sorted(f for f in os.listdir(bad_dir) if f.endswith('.xml'))
    goods = [os.path.join(HERE, 'good_small.xml'), real]

    print('TAP version 13')
    print('1..%d' % (len(bad) + 2 * len(goods)))
    n = 0
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in bad:
            n += 1
            path = os.path.join(bad_dir, name)
            with open(path, encoding='utf-8') as f:
                m = re.search(r'<!-- expect: (.*?) -->', f.read())
            expect = m.group(1) if m else None
            out = os.path.join(tmp, name + '.h')
            r = run(gen, path, out)
            problems = []
            if expect is None:
                problems.append('no expect comment in the file')
            if r.returncode != 1:
                problems.append('exit status %d, want 1' % r.returncode)
            if 'error:' not in r.stderr or (expect and expect not in r.stderr):
                problems.append('stderr %r lacks %r' % (r.stderr.strip(), expect))
            if os.path.exists(out):
                problems.append('an output file was written')
            for p in problems:
                print('# %s: %s' % (name, p))
            if problems:
                failed += 1
            print('%sok %d rejects %s' % ('not ' if problems else '', n, name))
            for line in r.stderr.strip().splitlines():
                print('# %s' % line)
        for path in goods:
            for extra in ((), ('--roundtrip-test',)):
                n += 1
                out = os.path.join(tmp, 'good%d.h' % n)
                r = run(gen, path, out, extra)
                ok = r.returncode == 0 and os.path.getsize(out) > 0 and not r.stderr
                if not ok:
                    failed += 1
                    print('# exit %d, stderr %r' % (r.returncode, r.stderr))
                print('%sok %d accepts %s%s' % ('' if ok else 'not ', n,
                                                os.path.basename(path),
                                                ' ' + extra[0] if extra else ''))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
