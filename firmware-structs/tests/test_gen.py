#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""Unit tests of the generator itself: version conditions, the packing
rules for GPU pointers and unaligned integers, and that the spec's
offset/size assertions really reject a wrong layout."""
import os
import sys
import tempfile
import unittest

here = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(here), "gen"))
import agxfw_gen as g  # noqa: E402


def layout(text, gen="G13", ver="V13_5"):
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "t.agxfw")
        with open(p, "w") as f:
            f.write(text)
        structs, consts = g.parse_spec([p])
        order, layouts, cvals = g.layout_combo(structs, consts, gen, ver)
        return layouts, cvals


class Conditions(unittest.TestCase):
    def ev(self, text, gen, ver):
        return g.Cond(text, "t").eval(gen, ver)

    def test_orderings(self):
        self.assertTrue(self.ev("V >= V13_0B4", "G13", "V13_5"))
        self.assertFalse(self.ev("V >= V13_0B4", "G13", "V12_3"))
        self.assertTrue(self.ev("G < G14X", "G14", "V12_4"))
        self.assertFalse(self.ev("G < G14X", "G14X", "V13_5"))

    def test_rust_style_operators(self):
        c = "V >= V13_2 && G == G14"
        self.assertTrue(self.ev(c, "G14", "V13_5"))
        self.assertFalse(self.ev(c, "G14X", "V13_5"))
        self.assertFalse(self.ev(c, "G14", "V12_4"))
        c = "(G >= G14X && V < V13_3) || (G <= G14 && V >= V13_3)"
        self.assertTrue(self.ev(c, "G13", "V13_5"))
        self.assertFalse(self.ev(c, "G14X", "V13_5"))
        self.assertTrue(self.ev("!(G == G13)", "G14", "V12_4"))
        self.assertTrue(self.ev("V != V13_3", "G14", "V12_4"))

    def test_rejects_unknown_names(self):
        with self.assertRaises(g.SpecError):
            g.Cond("V >= V14_0", "t")
        with self.assertRaises(g.SpecError):
            g.Cond("__import__('os')", "t")


class Packing(unittest.TestCase):
    def test_gpu_pointer_is_4_aligned(self):
        ls, _ = layout("struct S\n u8 a\n gptr p\nend\n")
        s = ls["S"]
        self.assertEqual(s.members[-1].offset, 4)
        self.assertEqual((s.size, s.align), (12, 4))

    def test_weak_pointer_and_U64_are_unaligned(self):
        ls, _ = layout("struct S\n u8 a\n wptr p\n U64 q\nend\n")
        s = ls["S"]
        self.assertEqual([m.offset for m in s.members], [0, 1, 9])
        self.assertEqual((s.size, s.align), (17, 1))

    def test_plain_u64_is_8_aligned(self):
        ls, _ = layout("struct S\n u32 a\n u64 b\nend\n")
        self.assertEqual(ls["S"].members[1].offset, 8)
        self.assertEqual(ls["S"].size, 16)

    def test_packed_struct(self):
        ls, _ = layout("struct S packed\n u8 a\n u32 b\nend\n")
        self.assertEqual(ls["S"].members[1].offset, 1)
        self.assertEqual(ls["S"].size, 5)


class Spec(unittest.TestCase):
    def test_versioned_fields_and_consts(self):
        text = ("const N = 2 if V < V13_0B4\nconst N = 3 if V >= V13_0B4\n"
                "struct S\n u32 tag\n U64 counter if V >= V13_0B4\n"
                " u32 arr[N]\n padto 0x20\nend\n")
        ls, cv = layout(text, "G13", "V12_3")
        self.assertEqual([m.name for m in ls["S"].members if not m.is_pad],
                         ["tag", "arr"])
        self.assertEqual(cv["N"], 2)
        ls, cv = layout(text, "G13", "V13_5")
        self.assertEqual(ls["S"].members[2].offset, 12)
        self.assertEqual(ls["S"].size, 0x20)

    def test_wrong_offset_is_an_error(self):
        with self.assertRaises(g.SpecError):
            layout("struct S\n u32 a\n u32 b @0x8\nend\n")

    def test_wrong_size_is_an_error(self):
        with self.assertRaises(g.SpecError):
            layout("struct S\n u32 a\n check size 8\nend\n")

    def test_negative_padto_is_an_error(self):
        with self.assertRaises(g.SpecError):
            layout("struct S\n u8 a[0x40]\n padto 0x30\nend\n")

    def test_real_spec_generates(self):
        files, dump = g.generate(os.path.join(os.path.dirname(here), "spec"))
        self.assertIn("G14G-13.5 RunWorkQueueMsg 64", dump)
        self.assertIn("G13-13.5 RunWorkQueueMsg 48", dump)
        self.assertIn("src/gen/agxfw_layout.c", files)


if __name__ == "__main__":
    unittest.main()
