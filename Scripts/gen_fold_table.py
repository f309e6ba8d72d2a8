#!/usr/bin/env python3
"""Generates Sources/Normalise/FoldTable+Data.swift from Unicode data.

Inputs: ThirdParty/unicode/confusables.txt (UTS #39, Unicode 15.0) and the Unicode 15.0
character database of the `unicodedata2==15.0.0` PyPI package (pip install unicodedata2==15.0.0),
so that NFD/NFKC match the confusables version.

Two per-scalar tables come out, both sorted by scalar for binary search:

- skeleton: for every scalar c whose UTS #39 skeleton differs from c,
  NFD(map(NFD(c))). skeleton(s) is the concatenation over the scalars of s, canonically
  reordered (FoldTable.skeleton does that), which is exactly UTS #39's NFD(map(NFD(s))).
- fold: for every scalar the folded view rewrites: its fold (NFKC, then case folding, with
  combining marks dropped from Latin, Greek and Cyrillic letters), its Latin look-alike
  (a-z only, from the skeleton of the fold) and flags saying which technique the fold undoes.

"Fancy text" letters, which UTS #39 leaves out or maps to other look-alikes, come from two more
sources: Latin letters whose Unicode name says which letter they are (LATIN LETTER SMALL CAPITAL
R, LATIN SMALL LETTER F WITH HOOK, MODIFIER LETTER SMALL H, LATIN SMALL LETTER O WITH STROKE)
fold to that letter, and Scripts/fancy-letters.txt lists the letters of other scripts that
fancy-text generators use for a Latin letter by shape (я for r, є for e, ¢ for c), with each
entry's reason.

Combining marks keep their own code point as their fold: case folding turns U+0345 into ι, and
a mark must never become a letter (FoldedText drops marks on Latin-like text).

Run from the repository root:  python3 Scripts/gen_fold_table.py
"""
import base64
import re
import sys
import unicodedata2 as ud

assert ud.unidata_version == "15.0.0", ud.unidata_version
SRC = "ThirdParty/unicode/confusables.txt"
FANCY = "Scripts/fancy-letters.txt"
OUT = "Sources/Normalise/FoldTable+Data.swift"

confusable = {}
for line in open(SRC, encoding="utf-8-sig"):
    line = line.split("#")[0].strip()
    if not line:
        continue
    s, t, _ = [x.strip() for x in line.split(";")]
    s = "".join(chr(int(x, 16)) for x in s.split())
    t = "".join(chr(int(x, 16)) for x in t.split())
    assert len(s) == 1
    confusable[s] = t


# Latin letters named for a base letter: small capitals, modifier and super/subscript letters,
# letters with a hook, stroke, bar, tail or curl. Not IPA's turned and reversed letters (ɐ, ɘ)
# nor letters with their own identity (ə schwa, ŋ eng, ɛ open e, þ thorn, ß sharp s).
NAMED_LATIN = re.compile(
    r"^(?:LATIN (?:SMALL |CAPITAL )?LETTER (?:SMALL CAPITAL (?:REVERSED )?)?|LATIN SMALL CAPITAL LETTER |"
    r"MODIFIER LETTER (?:SMALL |CAPITAL )?(?:SMALL CAPITAL )?|SUPERSCRIPT LATIN SMALL LETTER |"
    r"LATIN SUBSCRIPT SMALL LETTER )(DOTLESS )?([A-Z])(?: WITH (?:HOOK|STROKE|BAR|TAIL|CURL|"
    r"RETROFLEX HOOK|LEFT HOOK|PALATAL HOOK|HOOK TAIL|CROSSED-TAIL|DIAGONAL STROKE|MIDDLE TILDE|"
    r"LONG LEG|SWASH TAIL|DESCENDER|TOPBAR|FLOURISH|LOOP|TILDE|DOT ABOVE|DOT BELOW|BELT|SQUIRREL TAIL|"
    r"OBLIQUE STROKE|HIGH STROKE|STROKE THROUGH DESCENDER|DIAGONAL STROKE|CEDILLA|OGONEK|"
    r"DOUBLE BAR|CIRCUMFLEX|ACUTE|GRAVE|CARON|BREVE|MACRON|RING ABOVE|DIAERESIS)"
    r"(?: AND [A-Z ]+)?)?$")
STYLED_NAME = re.compile(r"SMALL CAPITAL|MODIFIER LETTER|SUPERSCRIPT|SUBSCRIPT")


def named_latin(c):
    """The ASCII letter a Latin letter's name says it is, and whether it is a styled form."""
    m = NAMED_LATIN.match(ud.name(c, ""))
    if not m or ud.category(c) not in ("Ll", "Lu", "Lm", "Lo"):
        return None, False
    return m.group(2).lower(), bool(STYLED_NAME.search(ud.name(c, "")))


fancy = {}
for line in open(FANCY, encoding="utf-8"):
    line = line.split("#")[0].strip()
    if not line:
        continue
    src, latin = line.split()
    assert len(src) == 1 and re.fullmatch("[a-z]+", latin), line
    fancy[src] = latin


def skeleton(x):
    x = ud.normalize("NFD", x)
    x = "".join(confusable.get(c, c) for c in x)
    return ud.normalize("NFD", x)


def latinish(c):
    """Latin and Greek letters (and their styled forms), where precomposed marks are decoration.
    Cyrillic keeps its own (й is not и, ё is not е); stray combining marks go everywhere."""
    name = ud.name(c, "")
    return any(name.startswith(p) for p in ("LATIN", "GREEK", "FULLWIDTH LATIN",
                                            "MATHEMATICAL", "CIRCLED LATIN", "PARENTHESIZED LATIN",
                                            "SQUARED LATIN", "MODIFIER LETTER"))


def is_mark(c):
    return ud.category(c) in ("Mn", "Me")


# Letters that NFKC does not turn into ASCII but every reader sees as one.
SPECIAL = {}
for i in range(26):
    low = chr(ord("a") + i)
    SPECIAL[chr(0x1F150 + i)] = low  # NEGATIVE CIRCLED LATIN CAPITAL LETTER A..Z
    SPECIAL[chr(0x1F170 + i)] = low  # NEGATIVE SQUARED LATIN CAPITAL LETTER A..Z
    SPECIAL[chr(0x1F1E6 + i)] = low  # REGIONAL INDICATOR SYMBOL LETTER A..Z
    SPECIAL[chr(0x1F110 + i)] = low  # PARENTHESIZED LATIN CAPITAL LETTER A..Z (NFKC "(A)")
    SPECIAL[chr(0x249C + i)] = low   # PARENTHESIZED LATIN SMALL LETTER A..Z (NFKC "(a)")
    SPECIAL[chr(0x1F130 + i)] = low  # SQUARED LATIN CAPITAL LETTER A..Z

FLAG_COMPAT = 1      # styled or compatibility form: fullwidth, math, enclosed, ligature
FLAG_MARK = 4        # the scalar is a combining mark (Mn, Me)
FLAG_LETTER = 8      # the fold is a letter (any script) or has a Latin look-alike
FLAG_FANCY = 16      # the look-alike is a fancy-text reading (fancy-letters.txt), not confusables


def fold_of(c):
    """(fold string, flags): NFKC and case folding; a Latin or Greek letter also loses
    its combining marks (zalgo, and accents, which rules on the folded view then need not spell)."""
    if c in SPECIAL:
        return SPECIAL[c], FLAG_COMPAT
    if is_mark(c):
        return c, 0  # never case-folded: U+0345 would become a letter
    f, flags = fold_unnamed(c)
    if len(f) == 1 and ord(f) >= 0x80:
        base, styled = named_latin(f)
        if base:
            return base, flags | (FLAG_COMPAT if styled else 0)
    return f, flags


def fold_unnamed(c):
    if ud.category(c) == "Zs":
        return " ", 0  # no-break and other spaces are ordinary writing, not evasion
    flags = 0
    nfkc = ud.normalize("NFKC", c)
    if nfkc != ud.normalize("NFC", c) and (ud.category(c).startswith("L") or len(nfkc) == 1):
        # A styled letter (fullwidth, mathematical, circled, ligature); not symbols such as
        # "™" or "…" whose compatibility forms are ordinary writing.
        flags |= FLAG_COMPAT
    decomposed = ud.normalize("NFKD", c)
    if latinish(decomposed[0]):
        stripped = "".join(x for x in decomposed if not is_mark(x))
        if stripped:
            return ud.normalize("NFC", stripped).casefold(), flags
    return nfkc.casefold(), flags


def is_letterish(f):
    return any(ud.category(x).startswith("L") for x in f)


def lookalike_of(f):
    if not f or all(ord(x) < 128 for x in f):
        return ""
    if f in fancy:
        return fancy[f]
    sk = skeleton(f).lower()
    sk = "".join(x for x in sk if not is_mark(x))
    sk = "".join((named_latin(x)[0] or x) if ord(x) >= 0x80 else x for x in sk)
    if sk and all("a" <= x <= "z" for x in sk):
        return sk
    return ""


fold_rows = []
skel_rows = []
for cp in range(0, 0x110000):
    if 0xD800 <= cp <= 0xDFFF:
        continue
    c = chr(cp)
    cat = ud.category(c)
    if cat in ("Cn", "Co", "Cs"):
        continue
    sk = skeleton(c)
    if sk != c and not (0xAC00 <= cp <= 0xD7A3):  # Hangul syllables: decomposed by arithmetic
        skel_rows.append((cp, sk))
    if cp < 0x80:
        continue  # the folded view handles ASCII in code
    f, flags = fold_of(c)
    # A fancy-text letter reads as its shape even where its fold is another letter (NFKC makes
    # the lunate sigma ϲ a final sigma, which folds to σ and would read as o).
    look = fancy.get(c) or fancy.get(c.lower()) or lookalike_of(f)
    if is_mark(c):
        flags |= FLAG_MARK
    if is_letterish(f) or look:
        flags |= FLAG_LETTER
    if look and (c in fancy or c.lower() in fancy or f in fancy):
        flags |= FLAG_FANCY
    if f != c or look or (flags & FLAG_MARK):
        fold_rows.append((cp, f, look, flags))

pool = bytearray()
pool_index = {}


def intern(s):
    b = s.encode("utf-8")
    if b in pool_index:
        return pool_index[b]
    at = pool.find(b) if b else 0
    if at < 0:
        at = len(pool)
        pool.extend(b)
    pool_index[b] = at
    return at


def packed(s):
    b = s.encode("utf-8")
    assert len(b) < 256, (s, len(b))
    off = intern(s)
    assert off < (1 << 24)
    return off << 8 | len(b)


fold_info = []
for cp, f, look, flags in fold_rows:
    fold_info.append((cp, packed(f), packed(look), flags))
skel_info = [(cp, packed(sk)) for cp, sk in skel_rows]


def u32le(values):
    return b"".join(v.to_bytes(4, "little") for v in values)


blob = bytearray()
counts = [len(fold_info), len(skel_info), len(pool)]
blob += u32le(counts)
blob += u32le([r[0] for r in fold_info])
blob += u32le([r[1] for r in fold_info])
blob += u32le([r[2] for r in fold_info])
blob += bytes(r[3] for r in fold_info)
blob += u32le([r[0] for r in skel_info])
blob += u32le([r[1] for r in skel_info])
blob += pool
encoded = base64.b64encode(bytes(blob)).decode()

with open(OUT, "w") as o:
    o.write("import ScanSupport\n\n")
    o.write("// Generated by Scripts/gen_fold_table.py from ThirdParty/unicode/confusables.txt (UTS #39,\n")
    o.write(f"// Unicode {ud.unidata_version}) and the Unicode {ud.unidata_version} character database. Do not edit by hand.\n")
    o.write("// Confusables data: Copyright (c) Unicode, Inc., Unicode License (ThirdParty/unicode/ICU-LICENSE).\n")
    o.write("//\n// Layout (little-endian UInt32 unless noted), base64-encoded so the compiler reads one literal:\n")
    o.write("//   foldCount, skeletonCount, poolCount;\n")
    o.write("//   foldScalars[foldCount] (sorted), foldStrings[foldCount], foldLookalikes[foldCount],\n")
    o.write("//   foldFlags[foldCount] (UInt8, FoldTable.Flags);\n")
    o.write("//   skeletonScalars[skeletonCount] (sorted), skeletonStrings[skeletonCount];\n")
    o.write("//   pool[poolCount] (UTF-8). A string is (offset into pool) << 8 | length in bytes.\n\n")
    o.write(f"let foldTableUnicodeVersion = \"{ud.unidata_version}\"\n\n")
    o.write("let foldTableBase64: StaticString = \"\"\"\n")
    for i in range(0, len(encoded), 100):
        o.write(encoded[i:i + 100] + "\n")
    o.write("\"\"\"\n")
print(f"{OUT}: {len(fold_info)} fold rows, {len(skel_info)} skeleton rows, pool {len(pool)} bytes", file=sys.stderr)
