#!/usr/bin/env python3
"""Checks Tests/ScamScanTests/Data/obfuscation.tsv, the folded-view obfuscation table, for
table authors (`swift test` runs the same checks through ObfuscationTableTests).

Usage:
    python3 check_obfuscation_table.py /path/to/scamscan [--table obfuscation.tsv] [--rules DIR]

The table is UTF-8, tab-separated, with the header

    expect  techniques  folded_contains  text  plain

- expect: `flag` (a scam the shipped rules must flag once folded) or `pass` (must stay allowed).
- techniques: `-`, or a sorted comma list from compat, confusables, defang, invisible, leet,
  marks, spacing: the folding steps the text needs.
- folded_contains: `-` or a lowercase ASCII substring of the folded text.
- text: the message; `\\u{XXXX}` (1-6 hex digits), `\\t` and `\\\\` are escapes. Invisible
  characters, spaces other than U+0020, variation selectors, tag characters and combining
  diacritical marks must be written as escapes.
- plain: for `flag` lines the de-obfuscated message in lowercase ASCII; `-` for `pass` lines.

What it checks, with the given binary (the real folding, `scamscan fold`, and the shipped
Rules/ unless --rules):
1. Columns, escapes, technique names and order, duplicates.
2. Each `flag` line's plain text is flagged; each `pass` line's text is allowed; each `flag`
   line's text is flagged too.
3. The folded text contains folded_contains, and a `flag` line reports its techniques.

Exit status: 0 when everything passes, 1 otherwise, 2 on usage errors.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import unicodedata as ud

HEADER = ["expect", "techniques", "folded_contains", "text", "plain"]
TECHNIQUES = ["compat", "confusables", "defang", "invisible", "leet", "marks", "spacing"]
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
ESCAPE = re.compile(r"\\(u\{([0-9A-Fa-f]{1,6})\}|t|\\)")

def decode(field):
    """Decodes the escapes of a text field; raises ValueError on a stray backslash."""
    out = []
    i = 0
    while i < len(field):
        c = field[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        m = ESCAPE.match(field, i)
        if not m:
            raise ValueError(f"bad escape at column {i + 1}: {field[i:i + 8]!r}")
        if m.group(1) == "t":
            out.append("\t")
        elif m.group(1) == "\\":
            out.append("\\")
        else:
            cp = int(m.group(2), 16)
            if cp > 0x10FFFF or 0xD800 <= cp <= 0xDFFF:
                raise ValueError(f"escape out of range: {m.group(0)}")
            out.append(chr(cp))
        i = m.end()
    return "".join(out)


def must_escape(c):
    """Characters that must be written as escapes so the table stays reviewable."""
    cp = ord(c)
    cat = ud.category(c)
    if c == " ":
        return False
    if cat in ("Cc", "Cf", "Zl", "Zp", "Zs", "Co", "Cs", "Cn"):
        return True
    if cat in ("Mn", "Me"):
        # Combining diacritics (zalgo material) must be escaped; the vowel signs and viramas of
        # Devanagari, Arabic harakat and the like are ordinary writing and stay literal.
        return (0x0300 <= cp <= 0x036F or 0x1AB0 <= cp <= 0x1AFF or 0x1DC0 <= cp <= 0x1DFF
                or 0x20D0 <= cp <= 0x20FF or 0xFE20 <= cp <= 0xFE2F or 0xFE00 <= cp <= 0xFE0F
                or 0xE0100 <= cp <= 0xE01EF)
    return 0xFE00 <= cp <= 0xFE0F or 0xE0000 <= cp <= 0xE01EF


class Row:
    def __init__(self, lineno, expect, techniques, contains, text, plain, raw_text):
        self.lineno = lineno
        self.expect = expect
        self.techniques = techniques
        self.contains = contains
        self.text = text
        self.plain = plain
        self.raw_text = raw_text


def parse_table(path):
    rows, errors = [], []
    with open(path, encoding="utf-8", newline="") as f:
        data = f.read()
    if data.startswith("\ufeff"):
        errors.append("line 1: byte-order mark at the start of the file")
        data = data[1:]
    lines = data.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or lines[0].split("\t") != HEADER:
        errors.append(f"line 1: header must be exactly {HEADER}")
    seen = {}
    for n, line in enumerate(lines[1:], start=2):
        if line.endswith("\r"):
            errors.append(f"line {n}: CRLF line ending")
            line = line[:-1]
        cols = line.split("\t")
        if len(cols) != 5:
            errors.append(f"line {n}: {len(cols)} columns, want 5")
            continue
        expect, techs, contains, raw_text, plain = cols
        bad = []
        if expect not in ("flag", "pass"):
            bad.append(f"expect {expect!r} is not flag/pass")
        if techs == "-":
            tech_list = []
        else:
            tech_list = techs.split(",")
            unknown = [t for t in tech_list if t not in TECHNIQUES]
            if unknown:
                bad.append(f"unknown techniques {unknown}")
            if tech_list != sorted(set(tech_list)):
                bad.append(f"techniques {techs!r} not sorted/unique")
        if not contains or (contains != "-" and (not re.fullmatch(r"[\x20-\x7e]+", contains)
                                                  or contains != contains.lower())):
            bad.append(f"folded_contains {contains!r} must be '-' or lowercase ASCII")
        try:
            text = decode(raw_text)
        except ValueError as e:
            bad.append(f"text: {e}")
            text = raw_text
        if not text.strip():
            bad.append("empty text")
        for c in raw_text:
            if must_escape(c):
                bad.append(f"text: raw U+{ord(c):04X} must be written as an escape")
                break
        if "\n" in text or "\r" in text or "\u2028" in text or "\u2029" in text or "\x85" in text:
            bad.append("text decodes to a line break")
        if expect == "flag":
            if plain == "-" or not plain:
                bad.append("flag line needs a plain text")
            elif not re.fullmatch(r"[\x20-\x7e]+", plain) or plain != plain.lower():
                bad.append("plain must be lowercase printable ASCII")
        elif expect == "pass" and plain != "-":
            bad.append("pass line: plain must be '-'")
        if text in seen:
            bad.append(f"duplicate text (line {seen[text]})")
        seen.setdefault(text, n)
        for b in bad:
            errors.append(f"line {n}: {b}")
        if not bad:
            rows.append(Row(n, expect, tech_list, None if contains == "-" else contains, text,
                            None if plain == "-" else plain, raw_text))
    return rows, errors


# ---------------------------------------------------------------- reference fold
#
# A Python model of the folded view, written from the spec (the task notes) and the notes in
# Sources/ScamScan/Normalise/FoldedText*.swift: the Unicode step (NFKC, case folding, marks dropped
# from Latin/Greek/Cyrillic letters, invisible characters dropped, UTS #39 look-alikes within Latin
# words or words made only of look-alikes in a message with Latin letters), then spaced letters,
# then leet, then defanged links. It is a second opinion for the table, not the implementation.

LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A)) | {0x200E, 0x200F, 0x061C}
SEPARATORS = set(" .-_*|/~+,")
# Words that come before "dot" in prose ("the dot com bubble", "a polka dot top").
PROSE_BEFORE_DOT = {"the", "a", "polka", "one", "that", "this", "red", "blue", "black", "white", "green",
                    "big", "little", "small", "tiny", "every", "each", "last", "first", "next"}
TLDS = set(("com net org xyz top shop site live online store club info app link click lol win icu io gg "
            "ru me tv co cc biz pro fun vip gift gifts buzz sbs cfd tk ly gl gd to ws su ua uk us eu de "
            "fr br in id ph tr pw cn jp kr vn").split())



def run(binary, args, messages):
    data = "".join(m.replace("\n", " ") + "\n" for m in messages).encode("utf-8")
    p = subprocess.run([binary] + args, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in (0, 1):
        sys.exit(f"scamscan {args[0]} failed ({p.returncode}): {p.stderr.decode(errors='replace')[:2000]}")
    return p.stdout.decode("utf-8").splitlines()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("scamscan", help="path to the scamscan binary")
    ap.add_argument("--table", default=os.path.join(HERE, "obfuscation.tsv"))
    ap.add_argument("--rules", default=os.path.join(REPO, "Rules"))
    args = ap.parse_args()

    rows, failures = parse_table(args.table)
    flags = [r for r in rows if r.expect == "flag"]
    passes = [r for r in rows if r.expect == "pass"]

    batch = [r.plain for r in flags] + [r.text for r in flags] + [r.text for r in passes]
    lines = run(args.scamscan, ["chat", "--rules", args.rules, "--all", "--output", "jsonl", "--input", "plain",
                                "--color", "never"], batch)
    recs = sorted((json.loads(l) for l in lines if l.strip()), key=lambda r: r["line"])
    if len(recs) != len(batch):
        sys.exit(f"scamscan wrote {len(recs)} records for {len(batch)} messages")
    verdicts = [r["verdict"] for r in recs]
    for k, r in enumerate(flags):
        if verdicts[k] == "allow":
            failures.append(f"line {r.lineno}: plain text not flagged: {r.plain}")
        if verdicts[len(flags) + k] == "allow":
            failures.append(f"line {r.lineno}: text not flagged: {r.raw_text}")
    for k, r in enumerate(passes):
        if verdicts[2 * len(flags) + k] != "allow":
            failures.append(f"line {r.lineno}: pass text flagged: {r.raw_text}")

    folded = run(args.scamscan, ["fold"], [r.text for r in rows])
    for r, line in zip(rows, folded):
        text, _, used = line.rpartition("\t")
        if r.contains and r.contains not in text:
            failures.append(f"line {r.lineno}: folded text {text!r} lacks {r.contains!r}")
        reported = [] if used == "-" else used.split(",")
        if r.expect == "flag":
            for t in r.techniques:
                if t not in reported:
                    failures.append(f"line {r.lineno}: technique {t} not reported (got {used})")

    print(f"rows: {len(rows)} ({len(flags)} flag, {len(passes)} pass)")
    per = collections.Counter(t for r in flags for t in r.techniques)
    print("flag lines per technique: " + ", ".join(f"{t} {per[t]}" for t in TECHNIQUES))
    for f in failures:
        print("FAIL " + f)
    print(f"{len(failures)} failure(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
