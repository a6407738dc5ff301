#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""TAP test of the agxsim-run CLI: a small loop program, memory output,
faults, determinism and the argument file.

The program bytes are G13 encodings written from the documented field
layout (each is listed with its disassembly); the expected results are
computed here in Python from the program's meaning, not from agxsim.
"""
import json
import os
import subprocess
import sys
import tempfile

RUN = sys.argv[1]

# Per lane l: r5 = l + 1; r2 = 0; do { r2 += 3 } while (r2 < r5);
#             mem[u0_u1 + 4*l] = r2 (i32); stop
LOOP = [
    ('72151004', 'get_sr r5, sr80'),
    ('0e154a1200000000', 'iadd r5, r5, 1'),
    ('620900000000', 'mov_imm r2, 0x0'),
    ('0e09443200000000', 'iadd r2, r2, 3'),            # loop head (offset 0x12)
    ('522c44a22400', 'while_icmp r0l, ult, r2, r5, 1'),
    ('00c0f2ffffff', 'jmp_exec_any pc-14'),
    ('520e00000000', 'pop_exec r0l, 1'),
    ('72191004', 'get_sr r6, sr80'),
    ('4511c00e00c01200', 'device_store 0, i32, x, r2, u0_u1, r6, unsigned'),
    ('8800', 'stop'),
]

tests = []


def test(fn):
    tests.append(fn)
    return fn


def run(*args, expect_rc=None):
    p = subprocess.run([RUN] + list(args), capture_output=True, text=True)
    if expect_rc is not None and p.returncode != expect_rc:
        raise AssertionError('rc %d, stderr: %s' % (p.returncode, p.stderr))
    return json.loads(p.stdout), p


def loop_hex():
    return ''.join(h for h, _ in LOOP)


@test
def loop_program_results():
    threads = 8
    out, _ = run('--hex', loop_hex(), '--threads', str(threads),
                 '--uniform', 'u0=0x20000', '--mem', '0x20000:zero:64', expect_rc=0)
    assert out['status'] == 'stopped', out
    want = []
    for lane in range(threads):
        v = 0
        while True:
            v += 3
            if not v < lane + 1:
                break
        want.append(v)
    got = [int(x, 16) for x in out['registers']['r2']]
    assert got == want, (got, want)
    mem = out['memory_written']
    assert len(mem) == 1 and mem[0]['va'] == '0x20000', mem
    data = bytes.fromhex(mem[0]['hex'])
    assert [int.from_bytes(data[4 * i:4 * i + 4], 'little') for i in range(threads)] == want
    assert out['exec'] == '0x000000ff', out['exec']


@test
def trace_disassembles_every_instruction():
    _, p = run('--hex', loop_hex(), '--threads', '1', '--uniform', 'u0=0x20000',
               '--mem', '0x20000:zero:64', '--trace', expect_rc=0)
    lines = p.stderr.splitlines()
    texts = [ln.split(': ', 1)[1] for ln in lines]
    # lane 0: r5 = 1, the loop body runs once
    assert texts[0] == 'get_sr r5, sr80', texts
    assert 'while_icmp r0l, ult, r2, r5, 1' in texts
    assert texts[-1] == 'stop', texts


@test
def deterministic_output():
    a, _ = run('--hex', loop_hex(), '--uniform', 'u0=0x20000', '--mem', '0x20000:zero:128')
    b, _ = run('--hex', loop_hex(), '--uniform', 'u0=0x20000', '--mem', '0x20000:zero:128')
    assert a == b


@test
def store_to_unmapped_memory_faults():
    out, _ = run('--hex', loop_hex(), '--threads', '2', '--uniform', 'u0=0x40000',
                 expect_rc=1)
    assert out['status'] == 'memory_fault', out
    assert out['mem_fault']['va'] == '0x40000' and out['mem_fault']['access'] == 'write', out
    assert out['pc'] == '0x100030', out['pc']  # the device_store


@test
def unknown_instruction_reports_pc_and_bytes():
    out, _ = run('--hex', '6200003c' + 'ffffffffffff', expect_rc=1)
    assert out['status'] == 'unimplemented', out
    assert out['fault'].startswith('unimplemented instruction at PC 0x100004 (bytes ff ff'), out


@test
def per_lane_registers_and_float_values():
    # fadd32 r6, r1.abs, 0.5  (documented example 2a9942060200), then stop
    out, _ = run('--hex', '2a9942060200' + '8800', '--threads', '3',
                 '--reg', 'r1=-1.5f,2.0f,0x80000000', expect_rc=0)
    assert out['registers']['r6'] == ['0x40000000', '0x40200000', '0x3f000000'], out


@test
def args_file():
    with tempfile.NamedTemporaryFile('w', suffix='.args', delete=False) as f:
        f.write('--hex 2a9942060200\n--hex 2a99420602008800\n--threads 1\n--reg r1=lane\n')
        path = f.name
    try:
        out, _ = run('--args-file', path, expect_rc=0)
    finally:
        os.unlink(path)
    assert out['registers']['r6'] == ['0x3f000000'], out


def main():
    print('TAP version 13')
    print('1..%d' % len(tests))
    failed = 0
    for i, fn in enumerate(tests, 1):
        try:
            fn()
            print('ok %d %s' % (i, fn.__name__))
        except Exception as e:  # report and continue
            failed += 1
            for line in repr(e).splitlines():
                print('# ' + line)
            print('not ok %d %s' % (i, fn.__name__))
    return 0


if __name__ == '__main__':
    sys.exit(main())
