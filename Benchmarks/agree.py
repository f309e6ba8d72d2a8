#!/usr/bin/env python3
"""Where do the engines disagree? Line by line and pattern by pattern.

    python3 Benchmarks/agree.py PATTERNS FILE [--show 10]

Runs pcre2_naive -w (PCRE2, UTF+UCP: the reference, same options as scamscan), re2set -w
(RE2::Set) and hyperscan -w (Hyperscan, whole-buffer scan) on FILE, each of which prints
every matching line with the ids of all the patterns that matched it. Reports:

  * line level (what the benchmark compares): lines that one engine counts and PCRE2 does
    not, or the reverse;
  * pattern level (stricter): (line, pattern) pairs found by one engine only, and the
    patterns that cause most of them.

Exit status 0 when every engine agrees with PCRE2 at line level, 1 otherwise. Build the
harnesses first (make -C Benchmarks).
"""
import argparse
import collections
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def run_which(cmd):
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    if out.returncode != 0:
        sys.exit("agree.py: %s failed:\n%s" % (" ".join(cmd), out.stderr.decode(errors="replace")))
    res = {}
    for l in out.stdout.decode().splitlines():
        ln, ids = l.split("\t")
        res[int(ln)] = set(int(x) for x in ids.split(","))
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("patterns")
    ap.add_argument("file")
    ap.add_argument("--show", type=int, default=10, help="disagreeing lines to print per engine")
    args = ap.parse_args()

    pats = [l.rstrip("\r\n") for l in open(args.patterns, encoding="utf-8")]
    pats = [p for p in pats if p.strip() and not p.startswith("#")]
    ref = run_which([os.path.join(HERE, "pcre2_naive"), "-w", args.patterns, args.file])
    engines = {
        "re2set": run_which([os.path.join(HERE, "re2set"), "-w", args.patterns, args.file]),
        "hyperscan": run_which([os.path.join(HERE, "hyperscan"), "-w", args.patterns, args.file]),
    }
    need = set()
    for res in engines.values():
        need |= set(res) ^ set(ref)
    text = {}
    if need:
        with open(args.file, "rb") as fh:
            for i, l in enumerate(fh, 1):
                if i in need:
                    text[i] = l.decode("utf-8", "replace").rstrip("\n")

    print("pcre2 (reference): %d matching lines" % len(ref))
    bad = False
    for name, res in engines.items():
        extra = sorted(set(res) - set(ref))
        missing = sorted(set(ref) - set(res))
        pairs_extra = collections.Counter()
        pairs_missing = collections.Counter()
        for ln in set(res) | set(ref):
            a, b = res.get(ln, set()), ref.get(ln, set())
            for pid in a - b:
                pairs_extra[pid] += 1
            for pid in b - a:
                pairs_missing[pid] += 1
        print("%s: %d matching lines; %d lines only here, %d lines only in pcre2; "
              "(line, pattern) pairs: %d only here, %d only in pcre2"
              % (name, len(res), len(extra), len(missing), sum(pairs_extra.values()), sum(pairs_missing.values())))
        if extra or missing:
            bad = True
        for label, lns in (("only " + name, extra), ("only pcre2", missing)):
            for ln in lns[: args.show]:
                ids = sorted(res.get(ln, set()) ^ ref.get(ln, set()))
                print("  %s line %d: %r  patterns %s" % (label, ln, text.get(ln, "")[:160], ids[:5]))
        for label, cnt in (("found only by " + name, pairs_extra), ("missed by " + name, pairs_missing)):
            for pid, n in cnt.most_common(5):
                print("  pattern %d %s on %d lines: %s" % (pid, label, n, pats[pid - 1][:140]))
    print("LINE-LEVEL AGREEMENT" if not bad else "LINE-LEVEL DISAGREEMENT")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
