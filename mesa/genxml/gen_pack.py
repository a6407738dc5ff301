#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Generate C pack/unpack/print helpers for AGX hardware structures.

Usage:
    gen_pack.py <agx_hw.xml> <agx_pack.h>
    gen_pack.py --roundtrip-test <agx_hw.xml> <test.c>

The first form writes the header used by the Mesa driver and the
simulator.  The second writes a C test program (TAP) that packs and
unpacks every structure with seeded random values.

The XML schema is documented in README.md.  The input is checked before
anything is written: overlapping fields, fields outside the structure,
constants that do not fit their field and unknown types are reported as
"error: ..." on stderr with exit status 1.  Only the Python standard
library is used.
"""

import argparse
import re
import sys
import xml.etree.ElementTree as ET


class GenError(Exception):
    """A problem in the XML description."""


# ---------------------------------------------------------------------------
# Names


def snake(name):
    """'Index List Buffer lo' -> 'index_list_buffer_lo'."""
    s = re.sub(r'[^A-Za-z0-9]+', '_', name).strip('_').lower()
    if not s:
        raise GenError("name %r has no usable characters" % name)
    return s


def upper(name):
    return snake(name).upper()


def c_member(name, where):
    s = snake(name)
    if s[0].isdigit():
        raise GenError("%s: name %r must not start with a digit" % (where, name))
    return s


# ---------------------------------------------------------------------------
# Model

INT_KINDS = ('uint', 'hex', 'address')
KINDS = ('bool', 'int', 'float', 'half', 'lod') + INT_KINDS
FIXED_WIDTH = {'bool': 1, 'float': 32, 'half': 16, 'lod': 10}
LOD_MAX_RAW = 14 << 6       # LODs are clamped to [0, 14]


def parse_int(text, where):
    try:
        return int(text, 0)
    except (TypeError, ValueError):
        raise GenError("%s: %r is not an integer" % (where, text))


class Enum:
    def __init__(self, elem):
        self.name = elem.get('name')
        if not self.name:
            raise GenError("enum without a name")
        where = "enum '%s'" % self.name
        self.cname = snake(self.name)
        self.values = []
        seen_names, seen_values = set(), set()
        for v in elem:
            if v.tag != 'value':
                raise GenError("%s: unexpected element <%s>" % (where, v.tag))
            vname = v.get('name')
            if vname is None:
                raise GenError("%s: value without a name" % where)
            value = parse_int(v.get('value'), "%s value %r" % (where, vname))
            if value < 0:
                raise GenError("%s: value %r is negative" % (where, vname))
            ident = 'AGX_%s_%s' % (upper(self.name), upper(vname))
            if ident in seen_names:
                raise GenError("%s: duplicate value name %r" % (where, vname))
            if value in seen_values:
                raise GenError("%s: duplicate value %d (%r)" % (where, value, vname))
            seen_names.add(ident)
            seen_values.add(value)
            self.values.append((vname, ident, value))
        if not self.values:
            raise GenError("%s: no values" % where)

    def lookup(self, text):
        for vname, ident, value in self.values:
            if vname.lower() == text.lower():
                return value
        raise GenError("enum '%s' has no value named %r" % (self.name, text))

    def ident_of(self, value):
        for vname, ident, v in self.values:
            if v == value:
                return ident
        raise GenError("enum '%s' has no value %d" % (self.name, value))

    def max_value(self):
        return max(v for _, _, v in self.values)


class Field:
    def __init__(self, elem, struct, enums):
        self.name = elem.get('name')
        if not self.name:
            raise GenError("struct '%s': field without a name" % struct.name)
        self.where = "struct '%s' field '%s'" % (struct.name, self.name)
        self.member = c_member(self.name, self.where)

        start = elem.get('start')
        if start is None:
            raise GenError("%s: no start" % self.where)
        m = re.fullmatch(r'\s*(\d+)\s*:\s*(\d+)\s*', start)
        if m:
            word, bit = int(m.group(1)), int(m.group(2))
            if bit > 31:
                raise GenError("%s: bit %d of word:bit is above 31" % (self.where, bit))
            self.start = word * 32 + bit
        else:
            self.start = parse_int(start, self.where + " start")
        self.width = parse_int(elem.get('width'), self.where + " width")
        if self.start < 0 or self.width < 1 or self.width > 64:
            raise GenError("%s: width must be 1..64 and start >= 0" % self.where)
        self.end = self.start + self.width - 1
        if self.end >= struct.size * 8:
            raise GenError("%s: bits %d..%d lie past the end of the %d-byte struct"
                           % (self.where, self.start, self.end, struct.size))

        type_name = elem.get('type')
        if type_name is None:
            raise GenError("%s: no type" % self.where)
        self.enum = None
        if type_name in KINDS:
            self.kind = type_name
        elif type_name in enums:
            self.kind = 'enum'
            self.enum = enums[type_name]
        else:
            raise GenError("%s: unknown type %r" % (self.where, type_name))

        if self.kind in FIXED_WIDTH and self.width != FIXED_WIDTH[self.kind]:
            raise GenError("%s: type %s must be %d bits wide, not %d"
                           % (self.where, self.kind, FIXED_WIDTH[self.kind], self.width))
        # An enum must fit its field, unless the field says that it only
        # takes the enum's values that fit (enum-subset="yes").
        self.enum_values = []
        if self.enum:
            subset = elem.get('enum-subset', 'no').lower() in ('yes', 'true', '1')
            fits = [v for _, _, v in self.enum.values if v < (1 << self.width)]
            if not subset and len(fits) != len(self.enum.values):
                raise GenError("%s: enum '%s' value %d does not fit in %d bits"
                               % (self.where, self.enum.name, self.enum.max_value(),
                                  self.width))
            if not fits:
                raise GenError("%s: no value of enum '%s' fits in %d bits"
                               % (self.where, self.enum.name, self.width))
            self.enum_values = fits

        self.mod, self.mod_n = None, 0
        mod = elem.get('modifier')
        if mod is not None:
            if self.kind not in INT_KINDS:
                raise GenError("%s: modifiers are only allowed on uint, hex and address"
                               % self.where)
            m = re.fullmatch(r'(shr|minus|groups)\((\d+)\)|(log2)', mod.strip())
            if not m:
                raise GenError("%s: unknown modifier %r" % (self.where, mod))
            if m.group(3):
                self.mod = 'log2'
                if self.width > 6:
                    raise GenError("%s: log2 fields may be at most 6 bits" % self.where)
            else:
                self.mod, self.mod_n = m.group(1), int(m.group(2))
                if self.mod_n < 1 and self.mod != 'shr':
                    raise GenError("%s: %s() needs a positive argument" % (self.where, self.mod))
                if self.mod == 'shr' and self.width + self.mod_n > 64:
                    raise GenError("%s: shr(%d) of a %d-bit field exceeds 64 bits"
                                   % (self.where, self.mod_n, self.width))

        self.mask = (1 << self.width) - 1
        self.max_logical = self._max_logical()
        if self.max_logical >= 1 << 64:
            raise GenError("%s: largest value does not fit in 64 bits" % self.where)
        self.ctype = self._ctype()

        self.exact = None
        exact = elem.get('exact')
        if exact is not None:
            if self.mod:
                raise GenError("%s: exact fields take no modifier" % self.where)
            if self.kind not in ('bool', 'enum') + INT_KINDS:
                raise GenError("%s: exact is only for bool, integer and enum fields"
                               % self.where)
            self.exact = self._parse_raw_constant(exact)
            if self.exact > self.mask:
                raise GenError("%s: exact value 0x%x does not fit in %d bits"
                               % (self.where, self.exact, self.width))

        self.default = None
        default = elem.get('default')
        if default is not None:
            if self.exact is not None:
                raise GenError("%s: a field cannot be both exact and default" % self.where)
            self.default = self._parse_logical(default)
            try:
                self.encode(self.default)
            except GenError as e:
                raise GenError("%s: default %r: %s" % (self.where, default, e))
        elif self.mod == 'minus':
            self.default = self.mod_n        # the smallest encodable value
        elif self.mod == 'log2':
            self.default = 1

    # -- helpers ----------------------------------------------------------

    def _max_logical(self):
        if self.kind not in INT_KINDS:
            return self.mask
        if self.mod == 'shr':
            return self.mask << self.mod_n
        if self.mod == 'minus':
            return self.mask + self.mod_n
        if self.mod == 'groups':
            return (1 << self.width) * self.mod_n
        if self.mod == 'log2':
            return 1 << self.mask
        return self.mask

    def _ctype(self):
        if self.kind == 'bool':
            return 'bool'
        if self.kind in ('float', 'half', 'lod'):
            return 'float'
        if self.kind == 'enum':
            return 'enum agx_%s' % self.enum.cname
        if self.kind == 'int':
            return 'int32_t' if self.width <= 32 else 'int64_t'
        return 'uint32_t' if self.max_logical <= 0xffffffff else 'uint64_t'

    def ctype_max(self):
        """Largest value the C member can hold, for integer members."""
        if self.ctype == 'uint32_t':
            return 0xffffffff
        if self.ctype == 'uint64_t':
            return (1 << 64) - 1
        return None

    def _parse_raw_constant(self, text):
        if self.kind == 'enum':
            return self.enum.lookup(text)
        if self.kind == 'bool':
            t = text.strip().lower()
            if t in ('1', 'true', 'yes'):
                return 1
            if t in ('0', 'false', 'no'):
                return 0
            raise GenError("%s: %r is not a boolean" % (self.where, text))
        return parse_int(text, self.where)

    def _parse_logical(self, text):
        if self.kind in ('float', 'half', 'lod'):
            try:
                return float(text)
            except ValueError:
                raise GenError("%s: %r is not a number" % (self.where, text))
        return self._parse_raw_constant(text)

    def encode(self, value):
        """Encode a logical value the way the generated C does, or raise."""
        if self.kind in ('float', 'half'):
            return 0
        if self.kind == 'lod':
            return 0
        if self.kind == 'int':
            lo, hi = -(1 << (self.width - 1)), (1 << (self.width - 1)) - 1
            if not lo <= value <= hi:
                raise GenError("%d does not fit in %d signed bits" % (value, self.width))
            return value & self.mask
        if self.kind in ('bool', 'enum'):
            if value > self.mask:
                raise GenError("%d does not fit in %d bits" % (value, self.width))
            return value
        if value < 0:
            raise GenError("negative value %d" % value)
        if self.mod == 'shr':
            if value & ((1 << self.mod_n) - 1):
                raise GenError("0x%x is not a multiple of %d" % (value, 1 << self.mod_n))
            raw = value >> self.mod_n
        elif self.mod == 'minus':
            if value < self.mod_n:
                raise GenError("%d is below the minimum %d" % (value, self.mod_n))
            raw = value - self.mod_n
        elif self.mod == 'groups':
            if value > self.max_logical:
                raise GenError("%d is above the maximum %d" % (value, self.max_logical))
            raw = -(-value // self.mod_n) & self.mask
        elif self.mod == 'log2':
            if value <= 0 or value & (value - 1):
                raise GenError("%d is not a power of two" % value)
            raw = value.bit_length() - 1
        else:
            raw = value
        if raw > self.mask:
            raise GenError("0x%x does not fit in %d bits" % (value, self.width))
        return raw

    def bits(self):
        return self.mask << self.start

    def c_default(self):
        if self.kind == 'enum':
            return self.enum.ident_of(self.default)
        if self.kind == 'bool':
            return 'true' if self.default else 'false'
        if self.kind in ('float', 'half', 'lod'):
            return '%sf' % repr(float(self.default))
        return str(self.default)


class Overlay:
    """Bits whose meaning depends on the rest of the descriptor.

    Each variant is one interpretation; a selector member in the C struct
    says which one pack writes."""

    def __init__(self, elem, struct, enums):
        self.name = elem.get('name')
        if not self.name:
            raise GenError("struct '%s': overlay without a name" % struct.name)
        self.where = "struct '%s' overlay '%s'" % (struct.name, self.name)
        self.member = c_member(self.name, self.where)
        self.enum_cname = '%s_%s' % (struct.cname, self.member)
        self.variants = []
        for v in elem:
            if v.tag != 'variant':
                raise GenError("%s: unexpected element <%s>" % (self.where, v.tag))
            vname = v.get('name')
            if not vname:
                raise GenError("%s: variant without a name" % self.where)
            ident = 'AGX_%s_%s' % (self.enum_cname.upper(), upper(vname))
            if any(ident == i for _, i, _ in self.variants):
                raise GenError("%s: duplicate variant %r" % (self.where, vname))
            items = parse_items(v, struct, enums)
            if not items:
                raise GenError("%s: variant %r is empty" % (self.where, vname))
            self.variants.append((vname, ident, items))
        if len(self.variants) < 2:
            raise GenError("%s: an overlay needs at least two variants" % self.where)
        self.none_ident = 'AGX_%s_NONE' % self.enum_cname.upper()


def parse_items(elem, struct, enums):
    items = []
    for child in elem:
        if child.tag == 'field':
            items.append(Field(child, struct, enums))
        elif child.tag == 'overlay':
            items.append(Overlay(child, struct, enums))
        else:
            raise GenError("struct '%s': unexpected element <%s>" % (struct.name, child.tag))
    return items


def item_bits(item):
    if isinstance(item, Field):
        return item.bits()
    total = 0
    for _, _, items in item.variants:
        total |= items_bits(items)
    return total


def items_bits(items):
    total = 0
    for it in items:
        total |= item_bits(it)
    return total


def describe_bits(mask):
    lo = (mask & -mask).bit_length() - 1
    hi = mask.bit_length() - 1
    return "bits %d..%d" % (lo, hi)


def check_overlaps(items, where):
    """Items in one list must not share bits; variants may overlap each other."""
    seen = []
    for it in items:
        if isinstance(it, Overlay):
            for vname, _, vitems in it.variants:
                check_overlaps(vitems, "%s variant '%s'" % (it.where, vname))
        mine = item_bits(it)
        for other, obits in seen:
            common = mine & obits
            if common:
                raise GenError("%s: '%s' (%s) overlaps '%s' (%s)"
                               % (where, it.name, describe_bits(mine),
                                  other.name, describe_bits(obits)))
        seen.append((it, mine))


def walk_fields(items, path=()):
    """Yield (field, path) where path lists (overlay, variant ident) pairs."""
    for it in items:
        if isinstance(it, Field):
            yield it, path
        else:
            for _, ident, vitems in it.variants:
                yield from walk_fields(vitems, path + ((it, ident),))


def walk_overlays(items):
    for it in items:
        if isinstance(it, Overlay):
            yield it
            for _, _, vitems in it.variants:
                yield from walk_overlays(vitems)


class Struct:
    def __init__(self, elem, enums):
        self.name = elem.get('name')
        if not self.name:
            raise GenError("struct without a name")
        self.where = "struct '%s'" % self.name
        self.cname = snake(self.name)
        self.uname = self.cname.upper()
        self.size = parse_int(elem.get('size'), self.where + " size")
        if self.size < 1:
            raise GenError("%s: size must be positive" % self.where)
        self.partial = (elem.get('partial', 'no').lower() in ('yes', 'true', '1'))
        self.items = parse_items(elem, self, enums)
        check_overlaps(self.items, self.where)
        names = {}
        for f, _ in walk_fields(self.items):
            if f.member in names:
                raise GenError("%s: two fields are named '%s'" % (self.where, f.member))
            names[f.member] = f
        for o in walk_overlays(self.items):
            if o.member in names:
                raise GenError("%s: overlay '%s' clashes with a field name"
                               % (self.where, o.name))
            names[o.member] = o
        self.known = items_bits(self.items)

    def fields(self):
        return walk_fields(self.items)

    def members(self):
        """Fields and overlay selectors that appear in the C struct."""
        out = []

        def rec(items):
            for it in items:
                if isinstance(it, Field):
                    if it.exact is None:
                        out.append(it)
                else:
                    out.append(it)
                    for _, _, vitems in it.variants:
                        rec(vitems)
        rec(self.items)
        return out


def parse(path):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        raise GenError("%s: XML parse error: %s" % (path, e))
    if root.tag != 'agxhw':
        raise GenError("%s: root element must be <agxhw>" % path)
    enums, structs = {}, []
    for child in root:
        if child.tag == 'enum':
            e = Enum(child)
            if e.name in enums:
                raise GenError("duplicate enum '%s'" % e.name)
            enums[e.name] = e
    for child in root:
        if child.tag == 'struct':
            structs.append(Struct(child, enums))
        elif child.tag != 'enum':
            raise GenError("unexpected element <%s>" % child.tag)
    # C tags (struct and enum share one namespace) and idents must be unique.
    tags = {}
    for e in enums.values():
        tags.setdefault(e.cname, []).append("enum '%s'" % e.name)
    for s in structs:
        tags.setdefault(s.cname, []).append("struct '%s'" % s.name)
        for o in walk_overlays(s.items):
            tags.setdefault(o.enum_cname, []).append(o.where)
    for tag, users in tags.items():
        if len(users) > 1:
            raise GenError("C name agx_%s is used by %s" % (tag, " and ".join(users)))
    return list(enums.values()), structs


# ---------------------------------------------------------------------------
# C output

PRELUDE = r'''
#include <assert.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Flags returned by agx_unpack_*(); 0 means the input decoded cleanly. */
#define AGX_UNPACK_OK          0u
#define AGX_UNPACK_BAD_EXACT   (1u << 0) /* block type, tag or fixed bits differ */
#define AGX_UNPACK_RESERVED    (1u << 1) /* a bit no field describes is set */
#define AGX_UNPACK_BAD_ENUM    (1u << 2) /* an enum field holds an unnamed value */
#define AGX_UNPACK_BAD_OVERLAY (1u << 3) /* bits of several variants are mixed */

/* OR the low `width` bits of v into b at bit `start` (bit 0 = LSB of b[0]). */
static inline void
agx__put_bits(uint8_t *b, unsigned start, unsigned width, uint64_t v)
{
   unsigned done = 0;

   while (done < width) {
      unsigned bit = start + done, shift = bit % 8;
      unsigned n = 8 - shift < width - done ? 8 - shift : width - done;
      uint8_t mask = (uint8_t)(((1u << n) - 1) << shift);

      b[bit / 8] |= (uint8_t)((uint8_t)((v >> done) << shift) & mask);
      done += n;
   }
}

static inline uint64_t
agx__get_bits(const uint8_t *b, unsigned start, unsigned width)
{
   uint64_t v = 0;
   unsigned done = 0;

   while (done < width) {
      unsigned bit = start + done, shift = bit % 8;
      unsigned n = 8 - shift < width - done ? 8 - shift : width - done;

      v |= (uint64_t)((b[bit / 8] >> shift) & ((1u << n) - 1)) << done;
      done += n;
   }
   return v;
}

/* True if b has any bit set inside area. */
static inline bool
agx__any_bits(const uint8_t *b, const uint8_t *area, unsigned len)
{
   for (unsigned i = 0; i < len; i++) {
      if (b[i] & area[i])
         return true;
   }
   return false;
}

/* True if every bit of b inside area is also inside allowed. */
static inline bool
agx__bits_within(const uint8_t *b, const uint8_t *area, const uint8_t *allowed,
                 unsigned len)
{
   for (unsigned i = 0; i < len; i++) {
      if (b[i] & area[i] & (uint8_t)~allowed[i])
         return false;
   }
   return true;
}

static inline uint32_t
agx__float_bits(float f)
{
   uint32_t u;
   memcpy(&u, &f, sizeof(u));
   return u;
}

static inline float
agx__bits_float(uint32_t u)
{
   float f;
   memcpy(&f, &u, sizeof(f));
   return f;
}

/* IEEE binary32 -> binary16, round to nearest even. */
static inline uint16_t
agx__float_to_half(float f)
{
   uint32_t x = agx__float_bits(f);
   uint32_t sign = (x >> 16) & 0x8000;
   uint32_t exp = (x >> 23) & 0xff, man = x & 0x7fffff, h, rem;
   int e = (int)exp - 127 + 15;

   if (exp == 0xff) {
      /* Keep NaN payloads (a payload only in the low bits becomes quiet). */
      uint32_t m = man >> 13;

      if (man && !m)
         m = 0x200;
      return (uint16_t)(sign | 0x7c00 | m);
   }
   if (e >= 31)
      return (uint16_t)(sign | 0x7c00);
   if (e <= 0) {
      unsigned shift = (unsigned)(14 - e);

      if (e < -10)
         return (uint16_t)sign;
      man |= 0x800000;
      h = man >> shift;
      rem = man & ((1u << shift) - 1);
      if (rem > (1u << (shift - 1)) || (rem == (1u << (shift - 1)) && (h & 1)))
         h++;
      return (uint16_t)(sign | h);
   }
   h = ((uint32_t)e << 10) | (man >> 13);
   rem = man & 0x1fff;
   if (rem > 0x1000 || (rem == 0x1000 && (h & 1)))
      h++;
   return (uint16_t)(sign | h);
}

static inline float
agx__half_to_float(uint16_t h)
{
   uint32_t sign = (uint32_t)(h & 0x8000) << 16;
   uint32_t exp = (h >> 10) & 0x1f, man = h & 0x3ff, x;

   if (exp == 0x1f) {
      x = sign | 0x7f800000 | (man << 13);
   } else if (exp == 0) {
      if (man == 0) {
         x = sign;
      } else {
         uint32_t e = 113;

         while (!(man & 0x400)) {
            man <<= 1;
            e--;
         }
         x = sign | (e << 23) | ((man & 0x3ff) << 13);
      }
   } else {
      x = sign | ((exp + 112) << 23) | (man << 13);
   }
   return agx__bits_float(x);
}

/* LOD: unsigned 4:6 fixed point.  Clamped to [0, 14], rounded to 1/64. */
static inline uint32_t
agx__lod_encode(float f)
{
   if (!(f > 0.0f))
      return 0;
   if (f >= 14.0f)
      return 14u << 6;
   return (uint32_t)(f * 64.0f + 0.5f);
}

static inline unsigned
agx__log2(uint64_t v)
{
   unsigned r = 0;

   while (v >>= 1)
      r++;
   return r;
}

/* Fill a hardware structure from a scoped block:
 *
 *    AGX_PACK(out, SAMPLER, cfg) {
 *       cfg.wrap_s = AGX_WRAP_REPEAT;
 *    }
 *
 * cfg starts from the structure's defaults (AGX_<T>_header) and is packed
 * into out when the block ends.  Do not leave the block with break or goto.
 */
#define AGX_PACK(dst, T, cfg)                                                 \
   for (AGX_##T##_struct cfg = {AGX_##T##_header}, *agx_once_##cfg = &cfg;     \
        agx_once_##cfg; AGX_##T##_pack((dst), &cfg), agx_once_##cfg = NULL)
'''


def cu64(v):
    return '0x%xull' % v


def mask_bytes(mask, size):
    return ', '.join('0x%02x' % ((mask >> (8 * i)) & 0xff) for i in range(size))


def path_cond(path, var='v'):
    return ' && '.join('%s->%s == %s' % (var, o.member, ident) for o, ident in path)


class Writer:
    def __init__(self):
        self.lines = []

    def __call__(self, s=''):
        self.lines.append(s)

    def text(self):
        return '\n'.join(self.lines) + '\n'


def emit_enum(w, e):
    w('enum agx_%s {' % e.cname)
    for vname, ident, value in e.values:
        w('   %s = %d,' % (ident, value))
    w('};')
    w()
    w('static inline const char *')
    w('agx_%s_as_str(uint64_t v)' % e.cname)
    w('{')
    w('   switch (v) {')
    for vname, ident, value in e.values:
        w('   case %d: return "%s";' % (value, vname.replace('"', '\\"')))
    w('   default: return NULL;')
    w('   }')
    w('}')
    w()


def emit_pack_field(w, f, ind, s):
    if f.exact is not None:
        w('%sagx__put_bits(b, %d, %d, %s);' % (ind, f.start, f.width, cu64(f.exact)))
        return
    x = 'v->%s' % f.member
    if f.kind == 'bool':
        w('%sagx__put_bits(b, %d, 1, %s ? 1 : 0);' % (ind, f.start, x))
    elif f.kind == 'float':
        w('%sagx__put_bits(b, %d, 32, agx__float_bits(%s));' % (ind, f.start, x))
    elif f.kind == 'half':
        w('%sagx__put_bits(b, %d, 16, agx__float_to_half(%s));' % (ind, f.start, x))
    elif f.kind == 'lod':
        w('%sagx__put_bits(b, %d, 10, agx__lod_encode(%s));' % (ind, f.start, x))
    elif f.kind == 'int':
        lo, hi = -(1 << (f.width - 1)), (1 << (f.width - 1)) - 1
        ct = 32 if f.width <= 32 else 64
        if f.width < ct:
            w('%sassert(%s >= %d && %s <= %d);' % (ind, x, lo, x, hi))
        w('%sagx__put_bits(b, %d, %d, (uint64_t)%s);' % (ind, f.start, f.width, x))
    elif f.kind == 'enum':
        if f.mask < 0xffffffff:
            w('%sassert((uint64_t)%s <= %s);' % (ind, x, cu64(f.mask)))
        w('%sassert(agx_%s_as_str(%s) != NULL);' % (ind, f.enum.cname, x))
        w('%sagx__put_bits(b, %d, %d, (uint64_t)%s);' % (ind, f.start, f.width, x))
    else:
        cmax = f.ctype_max()
        w('%s{' % ind)
        i2 = ind + '   '
        if f.mod == 'shr':
            w('%sassert((%s & %s) == 0);' % (i2, x, cu64((1 << f.mod_n) - 1)))
            if f.max_logical < cmax:
                w('%sassert(%s <= %s);' % (i2, x, cu64(f.max_logical)))
            w('%suint64_t raw = (uint64_t)%s >> %d;' % (i2, x, f.mod_n))
        elif f.mod == 'minus':
            w('%sassert(%s >= %d);' % (i2, x, f.mod_n))
            if f.max_logical < cmax:
                w('%sassert(%s <= %s);' % (i2, x, cu64(f.max_logical)))
            w('%suint64_t raw = (uint64_t)%s - %d;' % (i2, x, f.mod_n))
        elif f.mod == 'groups':
            # The field counts groups of n; a full count wraps to 0 ("all").
            if f.max_logical < cmax:
                w('%sassert(%s <= %s);' % (i2, x, cu64(f.max_logical)))
            w('%suint64_t raw = (((uint64_t)%s + %d) / %d) & %s;'
              % (i2, x, f.mod_n - 1, f.mod_n, cu64(f.mask)))
        elif f.mod == 'log2':
            w('%sassert(%s != 0 && (%s & (%s - 1)) == 0);' % (i2, x, x, x))
            w('%suint64_t raw = agx__log2(%s);' % (i2, x))
            w('%sassert(raw <= %s);' % (i2, cu64(f.mask)))
        else:
            if f.max_logical < cmax:
                w('%sassert(%s <= %s);' % (i2, x, cu64(f.max_logical)))
            w('%suint64_t raw = %s;' % (i2, x))
        w('%sagx__put_bits(b, %d, %d, raw);' % (i2, f.start, f.width))
        w('%s}' % ind)


def emit_pack_items(w, items, ind, s):
    for it in items:
        if isinstance(it, Field):
            emit_pack_field(w, it, ind, s)
            continue
        w('%sswitch (v->%s) {' % (ind, it.member))
        w('%scase %s:' % (ind, it.none_ident))
        w('%s   break;' % ind)
        for _, ident, vitems in it.variants:
            w('%scase %s:' % (ind, ident))
            emit_pack_items(w, vitems, ind + '   ', s)
            w('%s   break;' % ind)
        w('%sdefault:' % ind)
        w('%s   assert(!"invalid %s selector");' % (ind, it.member))
        w('%s   break;' % ind)
        w('%s}' % ind)


def emit_unpack_field(w, f, path, ind):
    raw = 'agx__get_bits(b, %d, %d)' % (f.start, f.width)
    x = 'v->%s' % f.member
    if f.exact is not None:
        w('%sif (%s != %s)' % (ind, raw, cu64(f.exact)))
        w('%s   err |= AGX_UNPACK_BAD_EXACT;' % ind)
        return
    if f.kind == 'bool':
        w('%s%s = %s != 0;' % (ind, x, raw))
    elif f.kind == 'float':
        w('%s%s = agx__bits_float((uint32_t)%s);' % (ind, x, raw))
    elif f.kind == 'half':
        w('%s%s = agx__half_to_float((uint16_t)%s);' % (ind, x, raw))
    elif f.kind == 'lod':
        w('%s%s = (float)%s / 64.0f;' % (ind, x, raw))
    elif f.kind == 'int':
        sign = 1 << (f.width - 1)
        ct = 'int32_t' if f.width <= 32 else 'int64_t'
        if f.width == 64:
            w('%s%s = (int64_t)%s;' % (ind, x, raw))
        else:
            w('%s%s = (%s)((int64_t)(%s ^ %s) - (int64_t)%s);'
              % (ind, x, ct, raw, cu64(sign), cu64(sign)))
    elif f.kind == 'enum':
        w('%s%s = (%s)%s;' % (ind, x, f.ctype, raw))
        cond = 'agx_%s_as_str(%s) == NULL' % (f.enum.cname, x)
        if path:
            cond = '%s && %s' % (path_cond(path), cond)
        w('%sif (%s)' % (ind, cond))
        w('%s   err |= AGX_UNPACK_BAD_ENUM;' % ind)
    else:
        ct = f.ctype
        if f.mod == 'shr':
            w('%s%s = (%s)(%s << %d);' % (ind, x, ct, raw, f.mod_n))
        elif f.mod == 'minus':
            w('%s%s = (%s)(%s + %d);' % (ind, x, ct, raw, f.mod_n))
        elif f.mod == 'groups':
            w('%s{' % ind)
            w('%s   uint64_t raw = %s;' % (ind, raw))
            w('%s   %s = (%s)((raw ? raw : %s) * %d);'
              % (ind, x, ct, cu64(1 << f.width), f.mod_n))
            w('%s}' % ind)
        elif f.mod == 'log2':
            w('%s%s = (%s)(1ull << %s);' % (ind, x, ct, raw))
        else:
            w('%s%s = (%s)%s;' % (ind, x, ct, raw))


def emit_unpack_items(w, items, s, path, ind, counter):
    for it in items:
        if isinstance(it, Field):
            emit_unpack_field(w, it, path, ind)
            continue
        counter[0] += 1
        k = counter[0]
        area = item_bits(it)
        w('%s{' % ind)
        i2 = ind + '   '
        w('%sstatic const uint8_t area[%d] = {%s};' % (i2, s.size, mask_bytes(area, s.size)))
        for n, (_, ident, vitems) in enumerate(it.variants):
            w('%sstatic const uint8_t v%d[%d] = {%s};'
              % (i2, n, s.size, mask_bytes(items_bits(vitems), s.size)))
        w('%sif (!agx__any_bits(b, area, %d))' % (i2, s.size))
        w('%s   v->%s = %s;' % (i2, it.member, it.none_ident))
        for n, (_, ident, _) in enumerate(it.variants):
            w('%selse if (agx__bits_within(b, area, v%d, %d))' % (i2, n, s.size))
            w('%s   v->%s = %s;' % (i2, it.member, ident))
        w('%selse' % i2)
        w('%s   err |= AGX_UNPACK_BAD_OVERLAY;' % i2)
        w('%s}' % ind)
        for _, ident, vitems in it.variants:
            emit_unpack_items(w, vitems, s, path + ((it, ident),), ind, counter)


def emit_print_field(w, f, ind):
    x = 'v->%s' % f.member
    label = f.name.replace('"', '\\"').replace('%', '%%')
    pre = 'fprintf(fp, "%%*s%s: ' % label
    if f.kind == 'bool':
        w('%s%s%%s\\n", ind, "", %s ? "true" : "false");' % (ind, pre, x))
    elif f.kind in ('float', 'half', 'lod'):
        w('%s%s%%f\\n", ind, "", (double)%s);' % (ind, pre, x))
    elif f.kind == 'int':
        w('%s%s%%" PRId64 "\\n", ind, "", (int64_t)%s);' % (ind, pre, x))
    elif f.kind == 'enum':
        w('%sif (agx_%s_as_str(%s))' % (ind, f.enum.cname, x))
        w('%s   %s%%s\\n", ind, "", agx_%s_as_str(%s));' % (ind, pre, f.enum.cname, x))
        w('%selse' % ind)
        w('%s   %sinvalid (%%u)\\n", ind, "", (unsigned)%s);' % (ind, pre, x))
    elif f.kind == 'uint':
        w('%s%s%%" PRIu64 "\\n", ind, "", (uint64_t)%s);' % (ind, pre, x))
    else:
        w('%s%s0x%%" PRIx64 "\\n", ind, "", (uint64_t)%s);' % (ind, pre, x))


def emit_print_items(w, items, ind):
    for it in items:
        if isinstance(it, Field):
            if it.exact is None:
                emit_print_field(w, it, ind)
            continue
        label = it.name.replace('"', '\\"')
        w('%sswitch (v->%s) {' % (ind, it.member))
        w('%scase %s:' % (ind, it.none_ident))
        w('%s   fprintf(fp, "%%*s%s: none\\n", ind, "");' % (ind, label))
        w('%s   break;' % ind)
        for vname, ident, vitems in it.variants:
            w('%scase %s:' % (ind, ident))
            w('%s   fprintf(fp, "%%*s%s: %s\\n", ind, "");' % (ind, label, vname))
            w('%s   ind += 2;' % ind)
            emit_print_items(w, vitems, ind + '   ')
            w('%s   ind -= 2;' % ind)
            w('%s   break;' % ind)
        w('%sdefault:' % ind)
        w('%s   fprintf(fp, "%%*s%s: invalid (%%u)\\n", ind, "", (unsigned)v->%s);'
          % (ind, label, it.member))
        w('%s   break;' % ind)
        w('%s}' % ind)


def emit_struct(w, s):
    w('/* %s (%d bytes) */' % (s.name, s.size))
    w('#define AGX_%s_LENGTH %d' % (s.uname, s.size))
    w()
    for o in walk_overlays(s.items):
        w('enum agx_%s {' % o.enum_cname)
        w('   %s = 0,' % o.none_ident)
        for n, (_, ident, _) in enumerate(o.variants):
            w('   %s = %d,' % (ident, n + 1))
        w('};')
        w()
    members = s.members()
    w('struct agx_%s {' % s.cname)
    if not members:
        w('   uint8_t agx_empty_; /* no fields: keeps the struct valid C */')
    for m in members:
        if isinstance(m, Field):
            w('   %s %s;' % (m.ctype, m.member))
        else:
            w('   enum agx_%s %s;' % (m.enum_cname, m.member))
    w('};')
    w()
    defaults = ['.%s = %s' % (f.member, f.c_default())
                for f in members if isinstance(f, Field) and f.default is not None]
    w('#define AGX_%s_header %s' % (s.uname, ', '.join(defaults) if defaults else '0'))
    w('#define AGX_%s_struct struct agx_%s' % (s.uname, s.cname))
    w('#define AGX_%s_pack agx_pack_%s' % (s.uname, s.cname))
    w()

    # pack
    w('static inline void')
    w('agx_pack_%s(void *restrict out, const struct agx_%s *restrict v)' % (s.cname, s.cname))
    w('{')
    w('   uint8_t b[%d];' % s.size)
    w()
    w('   memset(b, 0, sizeof(b));')
    if not members:
        w('   (void)v;')
    emit_pack_items(w, s.items, '   ', s)
    w('   memcpy(out, b, sizeof(b));')
    w('}')
    w()

    # unpack
    w('static inline unsigned')
    w('agx_unpack_%s(const void *restrict in, struct agx_%s *restrict v)' % (s.cname, s.cname))
    w('{')
    w('   uint8_t b[%d];' % s.size)
    w('   unsigned err = AGX_UNPACK_OK;')
    w()
    w('   memcpy(b, in, sizeof(b));')
    w('   memset(v, 0, sizeof(*v));')
    emit_unpack_items(w, s.items, s, (), '   ', [0])
    if not s.partial:
        w('   {')
        w('      static const uint8_t known[%d] = {%s};' % (s.size, mask_bytes(s.known, s.size)))
        w('      for (unsigned i = 0; i < %d; i++) {' % s.size)
        w('         if (b[i] & (uint8_t)~known[i])')
        w('            err |= AGX_UNPACK_RESERVED;')
        w('      }')
        w('   }')
    w('   return err;')
    w('}')
    w()

    # print
    w('static inline void')
    w('agx_print_%s(FILE *fp, const struct agx_%s *v, unsigned indent)' % (s.cname, s.cname))
    w('{')
    if not members:
        w('   (void)v;')
        w('   fprintf(fp, "%*s(no fields)\\n", (int)indent, "");')
    else:
        w('   int ind = (int)indent;')
        w()
        emit_print_items(w, s.items, '   ')
    w('}')
    w()


def header_text(enums, structs, xml_name):
    w = Writer()
    w('/* SPDX-License-Identifier: MIT */')
    w('/*')
    w(' * Generated by gen_pack.py from %s.  Do not edit.' % xml_name)
    w(' *')
    w(' * For each structure T: struct agx_<t>, AGX_<T>_LENGTH (bytes),')
    w(' * AGX_<T>_header (defaults), agx_pack_<t>(), agx_unpack_<t>() (returns')
    w(' * AGX_UNPACK_* flags, 0 when the input is well formed) and agx_print_<t>().')
    w(' */')
    w('#ifndef AGX_HW_PACK_H')
    w('#define AGX_HW_PACK_H')
    w(PRELUDE)
    for e in enums:
        emit_enum(w, e)
    for s in structs:
        emit_struct(w, s)
    w('#endif /* AGX_HW_PACK_H */')
    return w.text()


# ---------------------------------------------------------------------------
# Round-trip test output


def rt_value(f, w, ind):
    """Emit code assigning a random representable value to v.<member>."""
    x = 'v.%s' % f.member
    if f.kind == 'bool':
        w('%s%s = rnd(s) & 1;' % (ind, x))
    elif f.kind == 'float':
        w('%s%s = (float)(int32_t)rnd(s) / 8.0f;' % (ind, x))
    elif f.kind == 'half':
        w('%s%s = (float)((int)(rnd(s) %% 4095) - 2047) / 16.0f;' % (ind, x))
    elif f.kind == 'lod':
        w('%s%s = (float)(rnd(s) %% %d) / 64.0f;' % (ind, x, LOD_MAX_RAW + 1))
    elif f.kind == 'int':
        w('%s%s = (%s)((int64_t)(rnd(s) << %d) >> %d);'
          % (ind, x, f.ctype, 64 - f.width, 64 - f.width))
    elif f.kind == 'enum':
        vals = ', '.join(str(v) for v in f.enum_values)
        w('%s{' % ind)
        w('%s   static const unsigned vals[] = {%s};' % (ind, vals))
        w('%s   %s = (%s)vals[rnd(s) %% %d];' % (ind, x, f.ctype, len(f.enum_values)))
        w('%s}' % ind)
    else:
        r = '(rnd(s) & %s)' % cu64(f.mask)
        if f.mod == 'shr':
            expr = '%s << %d' % (r, f.mod_n)
        elif f.mod == 'minus':
            expr = '%s + %d' % (r, f.mod_n)
        elif f.mod == 'groups':
            expr = '(%s + 1) * %d' % (r, f.mod_n)
        elif f.mod == 'log2':
            expr = '1ull << %s' % r
        else:
            expr = r
        w('%s%s = (%s)(%s);' % (ind, x, f.ctype, expr))


def rt_fill(w, items, ind):
    for it in items:
        if isinstance(it, Field):
            if it.exact is None:
                rt_value(it, w, ind)
            continue
        n = len(it.variants) + 1
        w('%sswitch (rnd(s) %% %d) {' % (ind, n))
        w('%scase 0: v.%s = %s; break;' % (ind, it.member, it.none_ident))
        for k, (_, ident, vitems) in enumerate(it.variants):
            w('%scase %d:' % (ind, k + 1))
            w('%s   v.%s = %s;' % (ind, it.member, ident))
            rt_fill(w, vitems, ind + '   ')
            w('%s   break;' % ind)
        w('%s}' % ind)


def rt_compare(w, items, path, ind):
    for it in items:
        if isinstance(it, Field):
            if it.exact is not None:
                continue
            cond = ' && '.join('v.%s == %s' % (o.member, i) for o, i in path)
            prefix = ('if (%s) ' % cond) if cond else ''
            if it.kind in ('float', 'half', 'lod'):
                w('%s%sAGX_CHECK(agx__float_bits(v.%s) == agx__float_bits(u.%s), '
                  '"%s: %%f != %%f", (double)v.%s, (double)u.%s);'
                  % (ind, prefix, it.member, it.member, it.member, it.member, it.member))
            else:
                w('%s%sAGX_CHECK_EQ(u.%s, v.%s);' % (ind, prefix, it.member, it.member))
            continue
        for _, ident, vitems in it.variants:
            rt_compare(w, vitems, path + ((it, ident),), ind)


def roundtrip_text(enums, structs, xml_name):
    w = Writer()
    w('/* SPDX-License-Identifier: MIT */')
    w('/*')
    w(' * Generated by gen_pack.py --roundtrip-test from %s.  Do not edit.' % xml_name)
    w(' *')
    w(' * For every structure: fill the logical struct with seeded random values')
    w(' * that the hardware encoding can represent, pack, check the fixed fields')
    w(' * are in place, unpack (must report no error), compare every field, pack')
    w(' * again (must give the same bytes).  Then feed random bytes restricted to')
    w(' * the described bits through unpack and pack and expect them back.')
    w(' */')
    w('#include "agx_test.h"')
    w('#include "agx_pack.h"')
    w()
    w('#define ITERATIONS 500')
    w()
    w('static uint64_t')
    w('rnd(uint64_t *s)')
    w('{')
    w('   /* xorshift64* */')
    w('   *s ^= *s >> 12;')
    w('   *s ^= *s << 25;')
    w('   *s ^= *s >> 27;')
    w('   return *s * 0x2545f4914f6cdd1dull;')
    w('}')
    w()
    for idx, s in enumerate(structs):
        w('AGX_TEST(roundtrip_%s)' % s.cname)
        w('{')
        w('   uint64_t seed = 0x%xull, *s = &seed;' % (0x9e3779b97f4a7c15 ^ (idx * 0x100000001b3)))
        w()
        w('   for (unsigned it = 0; it < ITERATIONS; it++) {')
        w('      struct agx_%s v, u;' % s.cname)
        w('      uint8_t p[%d], q[%d];' % (s.size, s.size))
        w('      unsigned err;')
        w()
        w('      memset(&v, 0, sizeof(v));')
        w('      memset(&u, 0, sizeof(u));')
        rt_fill(w, s.items, '      ')
        w('      agx_pack_%s(p, &v);' % s.cname)
        for f, _ in s.fields():
            if f.exact is not None:
                w('      AGX_CHECK_EQ(agx__get_bits(p, %d, %d), %s);'
                  % (f.start, f.width, cu64(f.exact)))
        w('      err = agx_unpack_%s(p, &u);' % s.cname)
        w('      AGX_REQUIRE(err == 0, "iteration %u: unpack flags 0x%x", it, err);')
        rt_compare(w, s.items, (), '      ')
        w('      agx_pack_%s(q, &u);' % s.cname)
        w('      AGX_REQUIRE(memcmp(p, q, sizeof(p)) == 0, "iteration %u: repack differs", it);')
        w()
        w('      /* Raw direction: random described bits, valid enum values. */')
        w('      for (unsigned i = 0; i < sizeof(p); i++)')
        w('         p[i] = (uint8_t)rnd(s);')
        w('      {')
        w('         static const uint8_t known[%d] = {%s};' % (s.size, mask_bytes(s.known, s.size)))
        w('         for (unsigned i = 0; i < sizeof(p); i++)')
        w('            p[i] &= known[i];')
        w('      }')
        # Make fixed and enum fields valid; clamp LODs to the encodable range.
        for f, path in s.fields():
            if f.exact is not None:
                w('      memset(q, 0, sizeof(q));')
                w('      agx__put_bits(q, %d, %d, %s);' % (f.start, f.width, cu64(f.mask)))
                w('      for (unsigned i = 0; i < sizeof(p); i++)')
                w('         p[i] &= (uint8_t)~q[i];')
                w('      agx__put_bits(p, %d, %d, %s);' % (f.start, f.width, cu64(f.exact)))
            elif f.kind == 'enum' or f.kind == 'lod':
                w('      {')
                if f.kind == 'enum':
                    vals = ', '.join(str(v) for v in f.enum_values)
                    w('         static const unsigned vals[] = {%s};' % vals)
                    w('         uint64_t nv = vals[rnd(s) %% %d];' % len(f.enum_values))
                else:
                    w('         uint64_t nv = rnd(s) %% %d;' % (LOD_MAX_RAW + 1))
                w('         memset(q, 0, sizeof(q));')
                w('         agx__put_bits(q, %d, %d, %s);' % (f.start, f.width, cu64(f.mask)))
                w('         for (unsigned i = 0; i < sizeof(p); i++)')
                w('            p[i] &= (uint8_t)~q[i];')
                w('         agx__put_bits(p, %d, %d, nv);' % (f.start, f.width))
                w('      }')
        # Overlays: keep only the bits of one randomly chosen variant.
        for o in walk_overlays(s.items):
            w('      {')
            w('         static const uint8_t area[%d] = {%s};'
              % (s.size, mask_bytes(item_bits(o), s.size)))
            for n, (_, _, vitems) in enumerate(o.variants):
                w('         static const uint8_t v%d[%d] = {%s};'
                  % (n, s.size, mask_bytes(items_bits(vitems), s.size)))
            w('         const uint8_t *const keep[] = {%s};'
              % ', '.join('v%d' % n for n in range(len(o.variants))))
            w('         const uint8_t *k = keep[rnd(s) %% %d];' % len(o.variants))
            w('         for (unsigned i = 0; i < sizeof(p); i++)')
            w('            p[i] &= (uint8_t)(~area[i] | k[i]);')
            w('      }')
        if any(True for _ in walk_overlays(s.items)):
            # A nested overlay inside a kept variant may still mix variants;
            # accept the overlay flag there, but nothing else.
            w('      err = agx_unpack_%s(p, &u);' % s.cname)
            w('      if (err & AGX_UNPACK_BAD_OVERLAY)')
            w('         continue;')
        else:
            w('      err = agx_unpack_%s(p, &u);' % s.cname)
        w('      AGX_REQUIRE(err == 0, "iteration %u: raw unpack flags 0x%x", it, err);')
        w('      agx_pack_%s(q, &u);' % s.cname)
        w('      AGX_REQUIRE(memcmp(p, q, sizeof(p)) == 0, "iteration %u: raw repack differs", it);')
        w('   }')
        w('}')
        w()
    w('AGX_TEST_MAIN()')
    return w.text()


# ---------------------------------------------------------------------------


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--roundtrip-test', action='store_true',
                    help='write the round-trip test program instead of the header')
    ap.add_argument('xml')
    ap.add_argument('output')
    args = ap.parse_args(argv)
    try:
        enums, structs = parse(args.xml)
    except GenError as e:
        sys.stderr.write('gen_pack.py: error: %s\n' % e)
        return 1
    except OSError as e:
        sys.stderr.write('gen_pack.py: error: %s\n' % e)
        return 1
    name = args.xml.replace('\\', '/').split('/')[-1]
    if args.roundtrip_test:
        text = roundtrip_text(enums, structs, name)
    else:
        text = header_text(enums, structs, name)
    try:
        with open(args.output, 'w', encoding='utf-8') as f:
            f.write(text)
    except OSError as e:
        sys.stderr.write('gen_pack.py: error: %s\n' % e)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
