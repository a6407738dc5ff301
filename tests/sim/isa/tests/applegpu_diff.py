#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Differential test of the agxsim ISA decoder/interpreter against applegpu.

applegpu (github.com/dougallj/applegpu, BSD-3-Clause) is an independent,
stdlib-only Python disassembler/assembler/emulator of the G13 ISA. It is
never part of this repository: point AGX_APPLEGPU_DIR at an unpacked
checkout. Without it every test reports SKIP.

Two comparisons:
  decode: random instruction words (biased towards every documented
          encoding) -> instruction length and class, every documented raw
          field, and (for classes whose operands we decode) the disassembly
          text, ours vs applegpu.
  exec:   random straight-line ALU / exec-mask programs (a quarter of
          them starting with a device_load from random memory) assembled
          by applegpu's assembler, random per-lane registers, uniforms and
          exec mask -> final r0..r7 and exec mask, ours (agxsim-run) vs
          applegpu's emulator.

Usage: applegpu_diff.py [--tap] [--seed S] [--decode N] [--exec N] AGXSIM_RUN
"""
import argparse
import contextlib
import io
import json
import os
import random
import subprocess
import sys
import tempfile

SIMD = 32
NREGS = 8

# Encodings whose class we deliberately decode differently from applegpu's
# first-match order (the more specific encoding wins; Mesa agrees).
KNOWN_CLASS_DIFFS = {
    ('stack_load', 'stack_get_ptr'),
    ('stack_store', 'stack_adjust'),
    ('stack_store', 'stack_adjust2'),
}


def norm_name(name):
    name = name.replace('TODO.', '').replace('ld/st_tile', 'ld_st_tile')
    if name.endswith('.TODO'):
        name = name[:-5]
    return name


# Classes whose operands we decode completely; for these the disassembly
# text is compared too (after normalising number bases and case).
TEXT_CLASSES = {
    'mov_imm', 'get_sr', 'iadd', 'imadd', 'bfi', 'bfeil', 'extr', 'shlhi', 'shrhi',
    'asr', 'asrh', 'bitop', 'bitrev', 'popcount', 'ffs', 'intl', 'convert',
    'fmadd32', 'fmadd16', 'fadd32', 'fadd16', 'fmul32', 'fmul16', 'floor', 'ceil',
    'trunc', 'rint', 'rcp', 'rsqrt', 'rsqrt_special', 'sin_pt_1', 'sin_pt_2', 'log2',
    'exp2', 'icmpsel', 'fcmpsel', 'if_icmp', 'if_fcmp', 'else_icmp', 'else_fcmp',
    'while_icmp', 'while_fcmp', 'pop_exec', 'jmp_exec_any', 'jmp_exec_none', 'call',
    'icmp_ballot', 'fcmp_ballot', 'simd_shuffle', 'simd_shuffle_down',
    'simd_shuffle_up', 'simd_shuffle_xor', 'simd_shuffle_rotate_up', 'wait', 'stop',
    'trap', 'threadgroup_barrier',
}


def norm_text(text):
    import re
    text = ' '.join(text.lower().replace(',', ' , ').split())
    text = re.sub(r'\(.*?\)', '', text)            # applegpu's SR name comments
    text = re.sub(r'0x[0-9a-f]+', lambda m: str(int(m.group(0), 16)), text)
    text = re.sub(r', 0b[01]+$', '', text)           # mov_imm kill flag
    return ' '.join(text.split())


def text_matches(ag, w, d, ours):
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            theirs = str(d.disassemble(w))
        except Exception:
            return None
    if 'None' in theirs or '<reserved' in ours:
        return None
    a, o = norm_text(theirs), norm_text(ours)
    if d.name == 'bitop':   # applegpu may print an alias (and/or/xor...); compare operands + table
        f = dict(d.decode_fields(w))
        tt = ''.join(str(f['tt%d' % i]) for i in range(4))
        a = a.split(' ', 1)[1]
        if a.startswith(tt + ' , '):
            a = a[len(tt) + 3:]
        o = o.split(' ', 1)[1]
        if not o.startswith(tt + ' , '):
            return False
        o = o[len(tt) + 3:]
    if a != o and d.name in ('icmpsel', 'fcmpsel') and cmpsel_uniform_bit8(a, o):
        return 'known'
    return a == o


def cmpsel_uniform_bit8(a, o):
    # applegpu's pseudocode puts type bit 0 of a cmpsel uniform X/Y operand
    # into bit 8 of the uniform index, its decoder drops it; we follow the
    # pseudocode. Accept texts that differ only that way.
    import re
    ta, to = a.split(' , '), o.split(' , ')
    if len(ta) != len(to):
        return False
    for x, y in zip(ta, to):
        if x == y:
            continue
        mx, my = re.fullmatch(r'u(\d+)([lh]?)', x), re.fullmatch(r'u(\d+)([lh]?)', y)
        if not (mx and my and mx.group(2) == my.group(2) and
                int(my.group(1)) - int(mx.group(1)) == 128):
            return False
    return True


def load_applegpu(path):
    sys.path.insert(0, path)
    import applegpu  # noqa: E402
    import assemble  # noqa: E402
    return applegpu, assemble


def decode_diff(ag, run, rng, count):
    descs = ag.instruction_descriptors
    words = []
    for i in range(count):
        w = rng.getrandbits(96)
        if i % 4:   # bias: force a random documented encoding's constant bits
            d = rng.choice(descs)
            w = (w & ~d.mask) | d.bits
            if rng.random() < 0.5:
                w &= ~(1 << d.length_bit_pos)
        words.append(w)
    with tempfile.NamedTemporaryFile(suffix='.bin', delete=False) as f:
        for w in words:
            f.write(w.to_bytes(12, 'little'))
        path = f.name
    try:
        out = subprocess.run([run, '--disasm-records', '12', path], check=True,
                             capture_output=True, text=True).stdout.splitlines()
    finally:
        os.unlink(path)
    stats = {'compared': 0, 'both_unknown': 0, 'mismatch': 0, 'known_diff': 0,
             'text_ok': 0, 'text_mismatch': 0, 'text_skipped': 0, 'text_known': 0,
             'fields_ok': 0, 'fields_mismatch': 0}
    examples = []
    text_examples = []
    for w, line in zip(words, out):
        size, cls, _text, fields = line.split('\t', 3)
        size = int(size)
        d = ag.get_instruction_descriptor(w)
        stats['compared'] += 1
        if d is None:
            if size != 0:
                stats['mismatch'] += 1
                examples.append((w, 'applegpu unknown', line))
            else:
                stats['both_unknown'] += 1
            continue
        asize = d.decode_size(w)
        aname = norm_name(d.name)
        if size == asize and cls == aname:
            ours_f = dict(kv.split('=') for kv in fields.split()) if fields else {}
            theirs_f = {k: str(v) for k, v in d.decode_fields(w)}
            if ours_f == theirs_f:
                stats['fields_ok'] += 1
            else:
                stats['fields_mismatch'] += 1
                if len(text_examples) < 10:
                    text_examples.append((w, repr(sorted(theirs_f.items())),
                                          repr(sorted(ours_f.items()))))
            if aname in TEXT_CLASSES:
                ok = text_matches(ag, w, d, _text)
                if ok is None:
                    stats['text_skipped'] += 1
                elif ok == 'known':
                    stats['text_known'] += 1
                elif ok:
                    stats['text_ok'] += 1
                else:
                    stats['text_mismatch'] += 1
                    if len(text_examples) < 10:
                        with contextlib.redirect_stdout(io.StringIO()):
                            text_examples.append((w, str(d.disassemble(w)), _text))
            continue
        if size == asize and (aname, cls) in KNOWN_CLASS_DIFFS:
            stats['known_diff'] += 1
            continue
        stats['mismatch'] += 1
        examples.append((w, '%d %s' % (asize, aname), line))
    return stats, examples + text_examples


def r(rng):
    return rng.randrange(1, NREGS)


FP32_SPECIAL = [0, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000,
                0x7fc00000, 0x00000001, 0x807fffff, 0x00800000, 0x7f7fffff,
                0x3effffff, 0x4b800001, 0x33800000]
FP16_SPECIAL = [0, 0x8000, 0x3c00, 0xbc00, 0x7c00, 0xfc00, 0x7e00, 0x0001, 0x03ff,
                0x0400, 0x7bff, 0x3555]


def rand_val(rng):
    k = rng.random()
    if k < 0.3:
        return rng.getrandbits(32)
    if k < 0.5:
        return rng.choice(FP32_SPECIAL)
    if k < 0.65:
        return rng.choice(FP16_SPECIAL) | (rng.choice(FP16_SPECIAL) << 16)
    if k < 0.85:
        return rng.randrange(0, 64)
    import struct
    return struct.unpack('<I', struct.pack('<f', rng.uniform(-100, 100)))[0]


def fsrc(rng, half=False):
    k = rng.random()
    if k < 0.15:
        return rng.choice(['0.5', '1.0', '2.0', '0.25', '-1.0', '3.0'])
    reg = 'r%d' % r(rng)
    if half:
        reg += rng.choice('lh')
    reg += rng.choice(['', '', '.abs', '.neg'])
    return reg


def isrc(rng, half=False, sx=False):
    k = rng.random()
    if k < 0.15:
        return str(rng.randrange(0, 256))
    if k < 0.25:
        return 'u%d' % rng.randrange(0, 8) + ('l' if half else '')
    reg = 'r%d' % r(rng) + (rng.choice('lh') if half else '')
    if sx and rng.random() < 0.5:
        reg += '.sx'
    return reg


def rand_insn(rng):
    d = 'r%d' % r(rng)
    k = rng.randrange(24)
    sat = rng.choice(['', '.sat'])
    if k == 0:
        return 'iadd%s %s, %s, %s' % (sat, d, isrc(rng, sx=True), isrc(rng, sx=True))
    if k == 1:
        return 'isub%s %s, %s, %s' % (sat, d, isrc(rng, sx=True), isrc(rng, sx=True))
    if k == 2:
        return 'iadd %s, %s, %s, lsl %d' % (d, isrc(rng), isrc(rng), rng.randrange(1, 5))
    if k == 3:
        return 'imadd%s %s, %s, %s, %s' % (sat, d, isrc(rng, sx=True), isrc(rng, sx=True),
                                            isrc(rng, sx=True))
    if k == 4:
        op = rng.choice(['and', 'or', 'xor', 'nand', 'nor', 'xnor', 'andn1', 'andn2'])
        return '%s %s, %s, %s' % (op, d, isrc(rng), isrc(rng))
    if k == 5:
        op = rng.choice(['bfi', 'bfeil', 'extr', 'shlhi', 'shrhi'])
        return '%s %s, %s, %s, %s, mask 0x%x' % (op, d, isrc(rng), isrc(rng),
                                                 rng.choice([str(rng.randrange(0, 40)), 'r%d' % r(rng)]),
                                                 (1 << rng.randrange(1, 32)) - 1)
    if k == 6:
        op = rng.choice(['bfi', 'bfeil', 'extr', 'shlhi', 'shrhi'])
        return '%s %s, %s, %s, %s' % (op, d, isrc(rng), isrc(rng), str(rng.randrange(0, 70)))
    if k == 7:
        return '%s %s, %s, %s' % (rng.choice(['asr', 'asrh']), d, isrc(rng), str(rng.randrange(0, 40)))
    if k == 8:
        return '%s %s, %s' % (rng.choice(['popcount', 'bitrev', 'ffs']), d, isrc(rng))
    if k == 9:
        return 'fadd32%s %s, %s, %s' % (sat, d, fsrc(rng), fsrc(rng))
    if k == 10:
        return 'fmul32%s %s, %s, %s' % (sat, d, fsrc(rng), fsrc(rng))
    if k == 11:
        return 'fmadd32%s %s, %s, %s, %s' % (sat, d, fsrc(rng), fsrc(rng), fsrc(rng))
    if k == 12:
        dh = d + rng.choice('lh')
        return '%s%s %s, %s, %s' % (rng.choice(['fadd16', 'fmul16']), sat, dh,
                                    fsrc(rng, True), fsrc(rng, True))
    if k == 13:
        dh = d + rng.choice('lh')
        return 'fmadd16%s %s, %s, %s, %s' % (sat, dh, fsrc(rng, True), fsrc(rng, True),
                                             fsrc(rng, True))
    if k == 14:
        dh = d + rng.choice('lh')
        return 'fadd32%s %s, %s, %s' % (sat, dh, fsrc(rng), fsrc(rng))
    if k == 15:
        cc = rng.choice(['ueq', 'ult', 'ugt', 'seq', 'slt', 'sgt'])
        return 'icmpsel %s, %s, %s, %s, %s, %s' % (cc, d, isrc(rng), isrc(rng), isrc(rng), isrc(rng))
    if k == 16:
        cc = rng.choice(['eq', 'lt', 'gt', 'gte', 'lte'])
        return 'fcmpsel %s, %s, %s, %s, %s, %s' % (cc, d, fsrc(rng), fsrc(rng), isrc(rng), isrc(rng))
    if k == 17:
        cc = rng.choice(['ueq', 'ult', 'ugt', 'seq', 'slt', 'sgt', 'nueq', 'ugte', 'ulte', 'sgte'])
        kind = rng.choice(['if_icmp', 'else_icmp', 'while_icmp'])
        return '%s r0l, %s, %s, %s, %d' % (kind, cc, isrc(rng), isrc(rng), rng.randrange(0, 4))
    if k == 18:
        cc = rng.choice(['eq', 'lt', 'gt', 'gte', 'lte', 'neq'])
        kind = rng.choice(['if_fcmp', 'else_fcmp', 'while_fcmp'])
        return '%s r0l, %s, %s, %s, %d' % (kind, cc, fsrc(rng), fsrc(rng), rng.randrange(0, 4))
    if k == 19:
        return 'pop_exec r0l, %d' % rng.randrange(0, 4)
    if k == 20:
        return 'mov_imm %s, 0x%x, 0' % (d, rng.getrandbits(32))
    if k == 21:
        return 'get_sr %s, sr80' % d
    if k == 22:
        cc = rng.choice(['ueq', 'ult', 'ugt', 'seq', 'slt', 'sgt', 'nueq', 'ugte', 'slte'])
        return 'icmp_ballot %s, %s, %s, %s' % (d, cc, isrc(rng), isrc(rng))
    op = rng.choice(['simd_shuffle', 'simd_shuffle_down', 'simd_shuffle_up',
                     'simd_shuffle_xor', 'simd_shuffle_rotate_up'])
    return '%s %s, %s, %s' % (op, d, 'r%d' % r(rng), rng.choice([str(rng.randrange(0, 32)), 'r%d' % r(rng)]))


MEM_BASE = 0x10000
MEM_SIZE_B = 1024


def rand_load(rng):
    fmt = rng.choice(['i8', 'i16', 'i32', 'f16', 'u8norm', 's8norm', 'u16norm', 's16norm',
                      'rgb10a2', 'srgba8', 'rg11b10f', 'rgb9e5'])
    mask = rng.randrange(1, 16)
    if fmt in ('rgb10a2', 'rg11b10f', 'rgb9e5'):
        # bit-packed: always one word, mask ignored, 4 or 3 registers
        mask = 0xf if fmt == 'rgb10a2' else 0x7
    count = bin(mask).count('1')
    comps = ''.join(c for i, c in enumerate('xyzw') if mask & (1 << i))
    if fmt == 'i32' or rng.random() < 0.5:
        first = rng.randrange(1, NREGS - count + 1)
        regs = '_'.join('r%d' % (first + i) for i in range(count))
    else:
        first = rng.randrange(2, 2 * NREGS - count + 1)
        regs = '_'.join('r%d%s' % ((first + i) // 2, 'lh'[(first + i) % 2]) for i in range(count))
    shift = rng.randrange(0, 4)
    # base in r6_r7: applegpu's emulator cannot read a uniform base (its
    # Uniforms.get_reg64 takes no lane argument)
    text = 'device_load %d, %s, %s, %s, r6_r7, %d, %s' % (
        rng.randrange(2), fmt, comps, regs, rng.randrange(0, 21),
        rng.choice(['signed', 'unsigned']))
    if shift:
        text += ', lsl %d' % shift
    return text


def exec_case(ag, asm, run, rng, ninsns):
    texts = []
    code = b''
    with_mem = rng.random() < 0.25
    while len(texts) < ninsns:
        t = rand_load(rng) if with_mem and not texts else rand_insn(rng)
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                enc = bytes(asm.assemble_line(t))
        except Exception:   # applegpu cannot encode this operand combination
            continue
        texts.append(t)
        code += enc
    regs = [[rand_val(rng) for _ in range(SIMD)] for _ in range(NREGS)]
    for lane in range(SIMD):  # small nesting counters in r0l
        regs[0][lane] = (regs[0][lane] & 0xffff0000) | rng.choice([0, 0, 0, 1, 2, 3])
    uni = [rand_val(rng) for _ in range(8)]
    exec_mask = [bool((lane == 0) or rng.random() < 0.8) for lane in range(SIMD)]
    for lane in range(SIMD):   # a lane is active iff r0l == 0
        if exec_mask[lane] and regs[0][lane] & 0xffff:
            exec_mask[lane] = False

    mem = bytes(rng.getrandbits(8) for _ in range(MEM_SIZE_B))
    space = None
    if with_mem:
        regs[6] = [MEM_BASE] * SIMD
        regs[7] = [0] * SIMD
        space = ag.AddressSpace()
        # applegpu treats a mapping's first byte as unmapped: start one lower
        space.map(MEM_BASE - 1, MEM_SIZE_B + 1)
        for i, b in enumerate(mem):
            space.set_byte(MEM_BASE + i, b)
    u = ag.Uniforms()
    for i, v in enumerate(uni):
        u.set_reg32(i, v)
    cs = ag.CoreState(num_registers=NREGS, uniforms=u, device_memory=space)
    cs.exec = list(exec_mask)
    for i in range(NREGS):
        for lane in range(SIMD):
            cs.set_reg32(i, lane, regs[i][lane])
    n = 0
    try:
        pos = 0
        while pos < len(code):
            word = ag.opcode_to_number(code[pos:pos + 16])
            d = ag.get_instruction_descriptor(word)
            with contextlib.redirect_stdout(io.StringIO()):
                d.exec(word, cs)
            pos += d.decode_size(word)
            n += 1
    except (NotImplementedError, AssertionError, AttributeError, KeyError) as e:
        return 'unsupported', (texts, repr(e))

    args = [run, '--hex', (code + b'\x88\x00').hex(), '--threads', '32',
            '--exec', '0x%x' % sum(1 << l for l in range(SIMD) if exec_mask[l])]
    for i in range(NREGS):
        args += ['--reg', 'r%d=%s' % (i, ','.join('0x%x' % v for v in regs[i]))]
    for i, v in enumerate(uni):
        args += ['--uniform', 'u%d=0x%x' % (i, v)]
    if with_mem:
        args += ['--mem', '0x%x:%s' % (MEM_BASE, mem.hex())]
    res = subprocess.run(args, capture_output=True, text=True)
    try:
        out = json.loads(res.stdout)
    except json.JSONDecodeError:
        return 'mismatch', (texts, 'bad json: ' + res.stdout + res.stderr)
    if out['status'] != 'stopped':
        return 'mismatch', (texts, 'agxsim: %s %s' % (out['status'], out['fault']))
    diffs = []
    for i in range(NREGS):
        ours = [int(v, 16) for v in out['registers']['r%d' % i]]
        theirs = [cs.get_reg32(i, lane) for lane in range(SIMD)]
        for lane in range(SIMD):
            if ours[lane] != theirs[lane]:
                diffs.append('r%d lane %d: ours 0x%08x applegpu 0x%08x' %
                             (i, lane, ours[lane], theirs[lane]))
    aexec = sum(1 << l for l in range(SIMD) if cs.exec[l])
    if int(out['exec'], 16) != aexec:
        diffs.append('exec: ours %s applegpu 0x%08x' % (out['exec'], aexec))
    if diffs:
        return 'mismatch', (texts, '; '.join(diffs[:4]))
    return 'ok', (n, with_mem)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--tap', action='store_true')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--decode', type=int, default=20000)
    ap.add_argument('--exec', type=int, default=400)
    ap.add_argument('--insns', type=int, default=3, help='instructions per exec case')
    ap.add_argument('run')
    a = ap.parse_args()

    path = os.environ.get('AGX_APPLEGPU_DIR', '')
    print('TAP version 13')
    print('1..2')
    if not path or not os.path.isfile(os.path.join(path, 'applegpu.py')):
        print('ok 1 decode_vs_applegpu # SKIP applegpu not present')
        print('ok 2 exec_vs_applegpu # SKIP applegpu not present')
        return 0
    ag, asm = load_applegpu(path)
    rng = random.Random(a.seed)

    stats, ex = decode_diff(ag, a.run, rng, a.decode)
    print('# decode: %(compared)d words compared, %(both_unknown)d unknown to both, '
          '%(known_diff)d documented class differences, %(mismatch)d length/class mismatches' % stats)
    print('# disassembly text (fully decoded classes): %(text_ok)d agree, '
          '%(text_mismatch)d differ, %(text_known)d documented differences, '
          '%(text_skipped)d skipped (reserved operand encodings)' % stats)
    for w, theirs, ours in ex[:10]:
        print('#   %024x applegpu: %s | ours: %s' % (w, ' '.join(theirs.split()), ours))
    print('# raw fields (all classes): %(fields_ok)d instructions agree on every field, '
          '%(fields_mismatch)d differ' % stats)
    good = stats['mismatch'] == 0 and stats['text_mismatch'] == 0 and stats['fields_mismatch'] == 0
    print('%s 1 decode_vs_applegpu' % ('ok' if good else 'not ok'))

    counts = {'ok': 0, 'mismatch': 0, 'unsupported': 0}
    insns = 0
    mem_programs = 0
    shown = 0
    for _ in range(a.exec):
        kind, info = exec_case(ag, asm, a.run, rng, a.insns)
        counts[kind] += 1
        if kind == 'ok':
            insns += info[0]
            mem_programs += info[1]
        elif kind == 'mismatch' and shown < 10:
            shown += 1
            print('#   MISMATCH %s -> %s' % (' ; '.join(info[0]), info[1]))
    print('# exec: %d programs (%d instructions, %d with a device_load) agree, %d mismatch, '
          '%d skipped (applegpu has no semantics)' % (counts['ok'], insns, mem_programs,
                                                       counts['mismatch'], counts['unsupported']))
    print('%s 2 exec_vs_applegpu' % ('ok' if counts['mismatch'] == 0 else 'not ok'))
    return 0


if __name__ == '__main__':
    sys.exit(main())
