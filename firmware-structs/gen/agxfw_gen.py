#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""Generate per-(GPU generation, firmware version) C types for the AGX
firmware ABI from the declarative spec files in firmware-structs/spec/.

Standard library only.  Usage:

    agxfw_gen.py [--spec-dir DIR] [--out DIR]      write the generated files
    agxfw_gen.py --check [--spec-dir DIR] [--out DIR]
                                                   exit 1 if the files in DIR
                                                   differ from a fresh run
    agxfw_gen.py --dump                            print the layout-dump lines
                                                   computed by the model

The spec format is described in firmware-structs/README.md.
"""

import argparse
import ast
import os
import re
import sys

# ---------------------------------------------------------------------------
# Version axes (same names and order as the Rust driver's versions! macro).

GENS = ["G13", "G14", "G14X"]
VERS = ["V12_3", "V12_4", "V13_0B4", "V13_2", "V13_3", "V13_5"]

# The five combinations the driver supports: (G, V, C suffix, dump name).
COMBOS = [
    ("G13", "V12_3", "g13_v12_3", "G13-12.3"),
    ("G14", "V12_4", "g14_v12_4", "G14G-12.4"),
    ("G13", "V13_5", "g13_v13_5", "G13-13.5"),
    ("G14", "V13_5", "g14_v13_5", "G14G-13.5"),
    ("G14X", "V13_5", "g14x_v13_5", "G14X-13.5"),
]

# Scalar types: name -> (size, align, C type, kind).  Kinds are the
# accessor-table field kinds (see agxfw_access.h).
SCALARS = {
    "u8": (1, 1, "agxfw_u8", "UINT"),
    "u16": (2, 2, "agxfw_u16", "UINT"),
    "u32": (4, 4, "agxfw_u32", "UINT"),
    "u64": (8, 8, "agxfw_u64", "UINT"),
    "i8": (1, 1, "agxfw_s8", "SINT"),
    "i16": (2, 2, "agxfw_s16", "SINT"),
    "i32": (4, 4, "agxfw_s32", "SINT"),
    "f32": (4, 4, "agxfw_f32", "F32"),
    # Unaligned (packed(1)) integers, the Rust driver's U32/U64.
    "U32": (4, 1, "agxfw_U32", "UINT"),
    "U64": (8, 1, "agxfw_U64", "UINT"),
    # 64-bit GPU virtual addresses.  gptr: 4-byte aligned (GpuPointer,
    # packed(4)); wptr: 1-byte aligned (GpuWeakPointer, packed(1)).
    "gptr": (8, 4, "agxfw_gptr", "GPTR"),
    "wptr": (8, 1, "agxfw_wptr", "GPTR"),
}


class SpecError(Exception):
    pass


# ---------------------------------------------------------------------------
# Expressions: version conditions and integer sizes.

_COND_NAMES = {}
for i, g in enumerate(GENS):
    _COND_NAMES[g] = ("G", i)
for i, v in enumerate(VERS):
    _COND_NAMES[v] = ("V", i)

_ALLOWED_COND = (ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp,
                 ast.Not, ast.Compare, ast.Eq, ast.NotEq, ast.Lt, ast.LtE,
                 ast.Gt, ast.GtE, ast.Name, ast.Load)
_ALLOWED_INT = (ast.Expression, ast.BinOp, ast.Add, ast.Sub, ast.Mult,
                ast.FloorDiv, ast.UnaryOp, ast.USub, ast.Constant, ast.Name,
                ast.Load)


def _parse(text, allowed, where):
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as e:
        raise SpecError(f"{where}: bad expression {text!r}: {e.msg}")
    for node in ast.walk(tree):
        if not isinstance(node, allowed):
            raise SpecError(f"{where}: {type(node).__name__} not allowed "
                            f"in {text!r}")
    return tree


class Cond:
    """A version condition such as `V >= V13_0B4 && G < G14X`."""

    def __init__(self, text, where):
        self.text = text.strip()
        py = self.text.replace("&&", " and ").replace("||", " or ")
        py = re.sub(r"!(?!=)", " not ", py).strip()
        self.tree = _parse(py, _ALLOWED_COND, where)
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Name) and node.id not in _COND_NAMES \
                    and node.id not in ("G", "V"):
                raise SpecError(f"{where}: unknown name {node.id!r} in "
                                f"condition {self.text!r}")
        self.where = where

    def eval(self, g, v):
        env = {"G": ("G", GENS.index(g)), "V": ("V", VERS.index(v))}
        env.update(_COND_NAMES)

        def ev(n):
            if isinstance(n, ast.Expression):
                return ev(n.body)
            if isinstance(n, ast.BoolOp):
                vals = [ev(x) for x in n.values]
                return all(vals) if isinstance(n.op, ast.And) else any(vals)
            if isinstance(n, ast.UnaryOp):
                return not ev(n.operand)
            if isinstance(n, ast.Name):
                return env[n.id]
            if isinstance(n, ast.Compare):
                left = ev(n.left)
                for op, rnode in zip(n.ops, n.comparators):
                    right = ev(rnode)
                    if left[0] != right[0]:
                        raise SpecError(f"{self.where}: compares G with V in "
                                        f"{self.text!r}")
                    a, b = left[1], right[1]
                    ok = {ast.Eq: a == b, ast.NotEq: a != b, ast.Lt: a < b,
                          ast.LtE: a <= b, ast.Gt: a > b,
                          ast.GtE: a >= b}[type(op)]
                    if not ok:
                        return False
                    left = right
                return True
            raise SpecError(f"{self.where}: cannot evaluate {self.text!r}")

        result = ev(self.tree)
        if not isinstance(result, bool):
            raise SpecError(f"{self.where}: {self.text!r} is not a condition")
        return result


def eval_int(text, consts, where):
    tree = _parse(text, _ALLOWED_INT, where)

    def ev(n):
        if isinstance(n, ast.Expression):
            return ev(n.body)
        if isinstance(n, ast.Constant):
            if not isinstance(n.value, int):
                raise SpecError(f"{where}: not an integer: {text!r}")
            return n.value
        if isinstance(n, ast.Name):
            if n.id not in consts:
                raise SpecError(f"{where}: unknown constant {n.id!r}")
            return consts[n.id]
        if isinstance(n, ast.UnaryOp):
            return -ev(n.operand)
        if isinstance(n, ast.BinOp):
            a, b = ev(n.left), ev(n.right)
            if isinstance(n.op, ast.Add):
                return a + b
            if isinstance(n.op, ast.Sub):
                return a - b
            if isinstance(n.op, ast.Mult):
                return a * b
            return a // b
        raise SpecError(f"{where}: cannot evaluate {text!r}")

    return ev(tree)


# ---------------------------------------------------------------------------
# Spec parsing.

class Item:
    """One line inside a struct block."""

    def __init__(self, kind, where, cond=None, **kw):
        self.kind = kind          # field | pad | padto | check_size | check_off
        self.where = where
        self.cond = cond
        self.__dict__.update(kw)


class StructDef:
    def __init__(self, name, packed, cond, where, doc):
        self.name = name
        self.packed = packed
        self.cond = cond
        self.where = where
        self.doc = doc
        self.items = []


class ConstDef:
    def __init__(self, name, expr, cond, where, doc):
        self.name = name
        self.expr = expr
        self.cond = cond
        self.where = where
        self.doc = doc


_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
_FIELD_RE = re.compile(
    r"^(?P<type>" + _IDENT + r")\s+(?P<name>" + _IDENT + r")"
    r"(?P<dims>(\s*\[[^\]]+\])*)\s*(@\s*(?P<off>0x[0-9a-fA-F]+|\d+))?$")


def split_cond(line, where):
    m = re.search(r"\s+if\s+(.*)$", line)
    if m:
        return line[:m.start()].strip(), Cond(m.group(1), where)
    return line.strip(), None


def parse_spec(paths):
    structs = []
    consts = []
    names = set()
    for path in paths:
        cur = None
        doc = []
        with open(path, encoding="utf-8") as f:
            lines = f.readlines()
        for lineno, raw in enumerate(lines, 1):
            where = f"{os.path.basename(path)}:{lineno}"
            line = raw.rstrip("\n")
            stripped = line.strip()
            if stripped.startswith("##"):
                doc.append(stripped[2:].strip())
                continue
            if "#" in line:
                line = line[:line.index("#")]
            line = line.strip()
            if not line:
                continue
            body, cond = split_cond(line, where)
            words = body.split()
            if cur is None:
                if words[0] == "const":
                    m = re.match(r"^const\s+(" + _IDENT + r")\s*=\s*(.+)$",
                                 body)
                    if not m:
                        raise SpecError(f"{where}: bad const line")
                    consts.append(ConstDef(m.group(1), m.group(2), cond,
                                           where, doc))
                    doc = []
                elif words[0] == "struct":
                    if len(words) < 2 or not re.fullmatch(_IDENT, words[1]):
                        raise SpecError(f"{where}: bad struct line")
                    flags = words[2:]
                    if any(w != "packed" for w in flags):
                        raise SpecError(f"{where}: unknown struct flag")
                    if words[1] in names:
                        raise SpecError(f"{where}: struct {words[1]} "
                                        f"defined twice")
                    names.add(words[1])
                    cur = StructDef(words[1], "packed" in flags, cond, where,
                                    doc)
                    doc = []
                else:
                    raise SpecError(f"{where}: expected struct or const")
                continue
            doc = []
            if words[0] == "end":
                if len(words) != 1 or cond:
                    raise SpecError(f"{where}: bad end line")
                structs.append(cur)
                cur = None
            elif words[0] == "pad":
                cur.items.append(Item("pad", where, cond,
                                      expr=body[3:].strip()))
            elif words[0] == "padto":
                cur.items.append(Item("padto", where, cond,
                                      expr=body[5:].strip()))
            elif words[0] == "check" and len(words) >= 3 and \
                    words[1] == "size":
                cur.items.append(Item("check_size", where, cond,
                                      expr=" ".join(words[2:])))
            elif words[0] == "check" and len(words) >= 4 and \
                    words[1] == "offset":
                cur.items.append(Item("check_off", where, cond,
                                      field=words[2],
                                      expr=" ".join(words[3:])))
            else:
                m = _FIELD_RE.match(body)
                if not m:
                    raise SpecError(f"{where}: cannot parse {body!r}")
                dims = re.findall(r"\[([^\]]+)\]", m.group("dims") or "")
                off = m.group("off")
                cur.items.append(Item(
                    "field", where, cond, type=m.group("type"),
                    name=m.group("name"), dims=dims,
                    off=int(off, 0) if off else None))
        if cur is not None:
            raise SpecError(f"{path}: struct {cur.name} has no end")
    return structs, consts


# ---------------------------------------------------------------------------
# Layout of one combination.

class Member:
    def __init__(self, name, type_name, dims, offset, size, align, is_pad):
        self.name = name
        self.type_name = type_name      # scalar name or struct name
        self.dims = dims                # list of ints
        self.offset = offset
        self.size = size                # whole member, arrays included
        self.align = align
        self.is_pad = is_pad


class Layout:
    def __init__(self, sdef):
        self.sdef = sdef
        self.name = sdef.name
        self.members = []
        self.size = 0
        self.align = 1


def snake(name):
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", s)
    return s.lower()


def layout_combo(structs, consts, g, v):
    cvals = {}
    for c in consts:
        if c.cond is None or c.cond.eval(g, v):
            if c.name in cvals:
                raise SpecError(f"{c.where}: const {c.name} has two values "
                                f"for {g}/{v}")
            cvals[c.name] = eval_int(c.expr, cvals, c.where)
    layouts = {}
    order = []
    for s in structs:
        if s.cond is not None and not s.cond.eval(g, v):
            continue
        lay = Layout(s)
        off = 0
        align = 1
        seen = set()
        for it in s.items:
            if it.cond is not None and not it.cond.eval(g, v):
                continue
            if it.kind in ("pad", "padto"):
                n = eval_int(it.expr, cvals, it.where)
                if it.kind == "padto":
                    n -= off
                if n < 0:
                    raise SpecError(f"{it.where}: negative padding ({n}) in "
                                    f"{s.name} for {g}/{v}")
                if n:
                    lay.members.append(Member(f"__pad_{off:x}", "u8", [n],
                                              off, n, 1, True))
                    off += n
            elif it.kind == "field":
                if it.name in seen:
                    raise SpecError(f"{it.where}: field {it.name} appears "
                                    f"twice in {s.name} for {g}/{v}")
                seen.add(it.name)
                if it.type in SCALARS:
                    esize, ealign = SCALARS[it.type][0], SCALARS[it.type][1]
                elif it.type in layouts:
                    esize, ealign = layouts[it.type].size, \
                        layouts[it.type].align
                else:
                    raise SpecError(f"{it.where}: unknown type {it.type!r} "
                                    f"(for {g}/{v})")
                if s.packed:
                    ealign = 1
                dims = [eval_int(d, cvals, it.where) for d in it.dims]
                if any(d <= 0 for d in dims):
                    raise SpecError(f"{it.where}: empty array {it.name}")
                size = esize
                for d in dims:
                    size *= d
                off = (off + ealign - 1) // ealign * ealign
                if it.off is not None and it.off != off:
                    raise SpecError(
                        f"{it.where}: {s.name}.{it.name} for {g}/{v} is at "
                        f"{off:#x}, the spec says {it.off:#x}")
                lay.members.append(Member(it.name, it.type, dims, off, size,
                                          ealign, False))
                off += size
                align = max(align, ealign)
        size = (off + align - 1) // align * align
        lay.size = size
        lay.align = align
        if not lay.members:
            raise SpecError(f"{s.where}: struct {s.name} is empty for "
                            f"{g}/{v}")
        # Checks are evaluated after the layout is known.
        for it in s.items:
            if it.cond is not None and not it.cond.eval(g, v):
                continue
            if it.kind == "check_size":
                want = eval_int(it.expr, cvals, it.where)
                if want != size:
                    raise SpecError(f"{it.where}: {s.name} for {g}/{v} is "
                                    f"{size:#x} bytes, expected {want:#x}")
            elif it.kind == "check_off":
                want = eval_int(it.expr, cvals, it.where)
                got = [m for m in lay.members if m.name == it.field]
                if not got:
                    raise SpecError(f"{it.where}: {s.name} has no field "
                                    f"{it.field} for {g}/{v}")
                if got[0].offset != want:
                    raise SpecError(
                        f"{it.where}: {s.name}.{it.field} for {g}/{v} is at "
                        f"{got[0].offset:#x}, expected {want:#x}")
        layouts[s.name] = lay
        order.append(lay)
    return order, layouts, cvals


# ---------------------------------------------------------------------------
# C output.

HEADER = """\
/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * GENERATED by firmware-structs/gen/agxfw_gen.py from firmware-structs/spec/.
 * Do not edit: change the spec and run the generator (see README.md).
 */
"""


def c_int(v):
    if v < 0:
        raise SpecError(f"negative constant {v}")
    return f"{v:#x}ULL" if v > 0x7fffffff else f"{v:#x}"


def c_type_name(combo_suffix, sname):
    return f"agxfw_{combo_suffix}_{snake(sname)}"


def member_decl(combo_suffix, m):
    if m.type_name in SCALARS:
        ctype = SCALARS[m.type_name][2]
    else:
        ctype = "struct " + c_type_name(combo_suffix, m.type_name)
    dims = "".join(f"[{d:#x}]" for d in m.dims)
    return f"{ctype} {m.name}{dims};"


def gen_combo_header(combo, order, cvals, consts):
    g, v, suffix, dname = combo
    guard = f"AGXFW_GEN_{suffix.upper()}_H"
    out = [HEADER]
    out.append(f"/* Firmware structures for {dname} (G={g}, V={v}). */\n")
    out.append(f"#ifndef {guard}\n#define {guard}\n")
    out.append('#include "../agxfw_compat.h"\n')
    seen = set()
    for c in consts:
        if c.name in cvals and c.name not in seen:
            seen.add(c.name)
            out.append(f"#define AGXFW_{suffix.upper()}_{c.name} "
                       f"{c_int(cvals[c.name])}")
    out.append("")
    for lay in order:
        cname = c_type_name(suffix, lay.name)
        if lay.sdef.doc:
            out.append("/*")
            for d in lay.sdef.doc:
                out.append(f" * {d}".rstrip())
            out.append(" */")
        attr = " AGXFW_PACKED" if lay.sdef.packed else ""
        out.append(f"struct{attr} {cname} {{")
        for m in lay.members:
            decl = member_decl(suffix, m)
            out.append(f"\t{decl:<51} /* {m.offset:#06x} */")
        out.append(f"}};\t/* size {lay.size:#x} */\n")
    out.append(f'#include "agxfw_{suffix}_check.h"\n')
    out.append(f"#endif /* {guard} */")
    return "\n".join(out) + "\n"


def gen_combo_check(combo, order):
    g, v, suffix, dname = combo
    guard = f"AGXFW_GEN_{suffix.upper()}_CHECK_H"
    out = [HEADER]
    out.append(f"/*\n * Layout checks for {dname}: the C compiler must agree "
               f"with the\n * generator's model on every size and every "
               f"named member's offset.\n */\n")
    out.append(f"#ifndef {guard}\n#define {guard}\n")
    for lay in order:
        cname = c_type_name(suffix, lay.name)
        out.append(f"AGXFW_SIZE_CHECK(struct {cname}, {lay.size:#x});")
        for m in lay.members:
            if m.is_pad:
                continue
            out.append(f"AGXFW_OFFSET_CHECK(struct {cname}, {m.name}, "
                       f"{m.offset:#x});")
        out.append("")
    out.append(f"#endif /* {guard} */")
    return "\n".join(out) + "\n"


def flatten(layouts, lay, prefix, cpath, base, in_struct_array, out):
    """Yield accessor-table rows for `lay`: (id path, C designator,
    offset, element size, count, stride, kind)."""
    for m in lay.members:
        if m.is_pad:
            continue
        ident = f"{prefix}__{m.name}" if prefix else m.name
        desig = f"{cpath}.{m.name}" if cpath else m.name
        off = base + m.offset
        if m.type_name in SCALARS:
            esize = SCALARS[m.type_name][0]
            kind = SCALARS[m.type_name][3]
            count = 1
            for d in m.dims:
                count *= d
            if m.dims and (in_struct_array or len(m.dims) > 1):
                out.append((ident, desig, off, m.size, 1, 0, "BYTES"))
            elif m.dims:
                out.append((ident, desig + "[0]", off, esize, count, esize,
                            kind if esize <= 8 else "BYTES"))
            else:
                out.append((ident, desig, off, esize, 1, 0, kind))
        else:
            sub = layouts[m.type_name]
            if not m.dims:
                flatten(layouts, sub, ident, desig, off, in_struct_array, out)
            elif len(m.dims) == 1 and not in_struct_array:
                # One level of struct array: rows for element 0 with a
                # stride, so agxfw_get_idx()/agxfw_set_idx() can index.
                rows = []
                flatten(layouts, sub, ident, desig + "[0]", off, True, rows)
                for r in rows:
                    if r[6] == "BYTES":
                        out.append(r)
                    else:
                        out.append((r[0], r[1], r[2], r[3], m.dims[0],
                                    sub.size, r[6]))
            else:
                out.append((ident, desig, off, m.size, 1, 0, "BYTES"))


def collect(structs, all_layouts):
    """Union over combos of struct names and field rows, in spec order."""
    snames = [s.name for s in structs]
    fields = {}          # struct -> ordered dict of ident -> True
    rows = {}            # (combo suffix, struct) -> {ident: row}
    for combo in COMBOS:
        suffix = combo[2]
        layouts = all_layouts[suffix]
        for s in structs:
            if s.name not in layouts:
                continue
            r = []
            flatten(layouts, layouts[s.name], "", "", 0, False, r)
            fl = fields.setdefault(s.name, {})
            d = {}
            for row in r:
                fl.setdefault(row[0], True)
                d[row[0]] = row
            rows[(suffix, s.name)] = d
    return snames, fields, rows


def gen_ids(structs, consts, snames, fields):
    out = [HEADER]
    out.append("/* Version-independent identifiers for the accessor layer. "
               "*/\n")
    out.append("#ifndef AGXFW_GEN_IDS_H\n#define AGXFW_GEN_IDS_H\n")
    out.append("enum agxfw_combo {")
    for g, v, suffix, dname in COMBOS:
        out.append(f"\tAGXFW_{suffix.upper()},\t/* {dname} */")
    out.append("\tAGXFW_COMBO_COUNT\n};\n")
    out.append("enum agxfw_struct_id {")
    for n in snames:
        out.append(f"\tAGXFW_S_{n},")
    out.append("\tAGXFW_S_COUNT\n};\n")
    out.append("enum agxfw_field_id {")
    for n in snames:
        for ident in fields.get(n, {}):
            out.append(f"\tAGXFW_F_{n}__{ident},")
    out.append("\tAGXFW_F_COUNT\n};\n")
    out.append("enum agxfw_const_id {")
    seen = []
    for c in consts:
        if c.name not in seen:
            seen.append(c.name)
            out.append(f"\tAGXFW_C_{c.name},")
    out.append("\tAGXFW_C_COUNT\n};\n")
    out.append("#endif /* AGXFW_GEN_IDS_H */")
    return "\n".join(out) + "\n"


def gen_table(structs, consts, snames, fields, rows, all_cvals):
    out = [HEADER]
    out.append("/*\n * Per-combination layout tables.  Sizes and offsets "
               "are taken from the\n * C types with sizeof/offsetof, so the "
               "tables cannot drift from the\n * structures; the *_check.h "
               "headers pin both to the generator's model.\n */\n")
    out.append('#include "agxfw/agxfw_access.h"\n')
    for g, v, suffix, dname in COMBOS:
        out.append(f'#include "agxfw/gen/agxfw_{suffix}.h"')
    out.append("")
    out.append("#define AGXFW_SZ(T) (agxfw_u32)sizeof(struct T)")
    out.append("#define AGXFW_FLD(T, d, n, st, k) "
               "{ (agxfw_u32)offsetof(struct T, d), "
               "(agxfw_u16)sizeof(((struct T *)0)->d), (agxfw_u16)(n), "
               "(agxfw_u32)(st), AGXFW_KIND_##k }")
    out.append("")
    cnames = []
    for c in consts:
        if c.name not in cnames:
            cnames.append(c.name)
    for g, v, suffix, dname in COMBOS:
        out.append(f"static const agxfw_u32 agxfw_{suffix}_sizes"
                   f"[AGXFW_S_COUNT] = {{")
        for n in snames:
            if (suffix, n) in rows:
                out.append(f"\t[AGXFW_S_{n}] = "
                           f"AGXFW_SZ({c_type_name(suffix, n)}),")
        out.append("};\n")
        out.append(f"static const struct agxfw_field agxfw_{suffix}_fields"
                   f"[AGXFW_F_COUNT] = {{")
        for n in snames:
            if (suffix, n) not in rows:
                continue
            d = rows[(suffix, n)]
            for ident in fields[n]:
                if ident not in d:
                    continue
                _, desig, off, esize, count, stride, kind = d[ident]
                out.append(f"\t[AGXFW_F_{n}__{ident}] = AGXFW_FLD("
                           f"{c_type_name(suffix, n)}, {desig}, {count}, "
                           f"{stride:#x}, {kind}),")
        out.append("};\n")
        cv = all_cvals[suffix]
        out.append(f"static const struct agxfw_const agxfw_{suffix}_consts"
                   f"[AGXFW_C_COUNT] = {{")
        for n in cnames:
            if n in cv:
                out.append(f"\t[AGXFW_C_{n}] = {{ {c_int(cv[n])}, 1 }},")
        out.append("};\n")
    out.append("static const char *const agxfw_struct_names[AGXFW_S_COUNT]"
               " = {")
    for n in snames:
        out.append(f'\t[AGXFW_S_{n}] = "{n}",')
    out.append("};\n")
    out.append("const struct agxfw_layout agxfw_layouts[AGXFW_COMBO_COUNT] "
               "= {")
    for g, v, suffix, dname in COMBOS:
        out.append(f"\t[AGXFW_{suffix.upper()}] = {{")
        out.append(f'\t\t.name = "{dname}",')
        out.append(f"\t\t.gen = AGXFW_GEN_{g},")
        maj, mn = v[1:].split("_")
        out.append(f"\t\t.fw_major = {maj}, .fw_minor = {mn},")
        out.append(f"\t\t.struct_size = agxfw_{suffix}_sizes,")
        out.append(f"\t\t.struct_name = agxfw_struct_names,")
        out.append(f"\t\t.fields = agxfw_{suffix}_fields,")
        out.append(f"\t\t.consts = agxfw_{suffix}_consts,")
        out.append("\t},")
    out.append("};")
    return "\n".join(out) + "\n"


def generate(spec_dir):
    paths = sorted(os.path.join(spec_dir, p) for p in os.listdir(spec_dir)
                   if p.endswith(".agxfw"))
    if not paths:
        raise SpecError(f"no *.agxfw files in {spec_dir}")
    structs, consts = parse_spec(paths)
    files = {}
    all_layouts = {}
    all_cvals = {}
    dump = []
    for combo in COMBOS:
        g, v, suffix, dname = combo
        order, layouts, cvals = layout_combo(structs, consts, g, v)
        all_layouts[suffix] = layouts
        all_cvals[suffix] = cvals
        files[f"include/agxfw/gen/agxfw_{suffix}.h"] = \
            gen_combo_header(combo, order, cvals, consts)
        files[f"include/agxfw/gen/agxfw_{suffix}_check.h"] = \
            gen_combo_check(combo, order)
        for lay in order:
            dump.append(f"{dname} {lay.name} {lay.size}")
    snames, fields, rows = collect(structs, all_layouts)
    files["include/agxfw/gen/agxfw_ids.h"] = gen_ids(structs, consts,
                                                     snames, fields)
    files["src/gen/agxfw_layout.c"] = gen_table(structs, consts, snames,
                                                fields, rows, all_cvals)
    return files, dump


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    top = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--spec-dir", default=os.path.join(top, "spec"))
    ap.add_argument("--out", default=top,
                    help="firmware-structs directory to write into")
    ap.add_argument("--check", action="store_true",
                    help="compare instead of writing")
    ap.add_argument("--dump", action="store_true",
                    help="print <combo> <Name> <size> lines")
    args = ap.parse_args()
    try:
        files, dump = generate(args.spec_dir)
    except SpecError as e:
        print(f"agxfw_gen: {e}", file=sys.stderr)
        return 2
    if args.dump:
        print("\n".join(dump))
        return 0
    stale = []
    for rel, text in sorted(files.items()):
        path = os.path.join(args.out, rel)
        try:
            with open(path, encoding="utf-8") as f:
                old = f.read()
        except FileNotFoundError:
            old = None
        if old == text:
            continue
        if args.check:
            stale.append(rel)
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    gendir = os.path.join(args.out, "include/agxfw/gen")
    if args.check and os.path.isdir(gendir):
        for p in sorted(os.listdir(gendir)):
            if f"include/agxfw/gen/{p}" not in files:
                stale.append(f"include/agxfw/gen/{p} (not generated)")
    if stale:
        print("agxfw_gen: generated files are out of date; run "
              "firmware-structs/gen/agxfw_gen.py:", file=sys.stderr)
        for s in stale:
            print(f"  {s}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
