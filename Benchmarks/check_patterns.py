#!/usr/bin/env python3
"""Check pattern sets: every pattern compiles in PCRE2, RE2 and Hyperscan, and none is a
ReDoS risk for PCRE2 (the engine scamscan confirms with).

    python3 Benchmarks/check_patterns.py Benchmarks/patterns-300.txt Benchmarks/patterns-1000.txt

1. PCRE2 (UTF + UCP + MATCH_INVALID_UTF, as scamscan): pcre2_naive compiles the set.
2. RE2: re2set --check compiles each pattern on its own.
3. Hyperscan: hyperscan --check compiles each pattern (after the line-safe rewrite) on its own.
4. ReDoS: each pattern alone, with PCRE2 JIT, over an adversarial file (long lines of
   repeated scam vocabulary without the closing keyword, long runs of word characters,
   spaces, dots, dashes, emoji, URL fragments...). A pattern fails when it scans slower
   than --min-mbps or hits the PCRE2 match limit. The slowest patterns are listed.

Build the harnesses first (make -C Benchmarks). Exit status 0 when everything passes.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def adversarial_lines():
    words = ("free coins diamonds generator unlimited cheap telegram whatsapp giveaway gift "
             "followers send me you have been selected claim your reward verify account the real "
             "official support dm link in bio t.me wa.me www. https:// .xyz 100k").split()
    lines = [
        "free " * 800, "FREE " * 800, "free coins " * 400, "unlimited tiktok coins " * 200,
        "a" * 4000, "a " * 2000, "1" * 4000, "1 " * 2000, "1," * 2000, "9.9k " * 500,
        "coins" + " " * 3000 + "x", "t.me/" * 800, "www." * 1000, "http://" * 500,
        "\U0001F381" * 1500, "\U0001F4B0 " * 1000, "-" * 4000, "." * 4000, "a-" * 2000,
        "a." * 2000, "a.b " * 1000, "@" + "a" * 3000, "you have been " * 200,
        "I'm the real " * 300, "x " * 2000 + "giveaway", "\U0001D7D9" * 1000,
        "send me 5 coins " * 200, "giveaway " * 500, "link in bio " * 300,
        "your account will be " * 200, "!" * 3000, "?!" * 1500, "A" * 4000, "A B " * 1000,
        "é" * 3000, "монеты " * 500, "gratis " * 600, "ab" * 2000 + ".", "0" * 3000 + " k",
        "verify " * 300 + "a" * 1000, "cheap " * 300 + "coins " * 300,
    ]
    # word salad of scam vocabulary
    import random
    r = random.Random(1)
    for _ in range(20):
        lines.append(" ".join(r.choice(words) for _ in range(600)))
    return [l.replace("\n", " ") for l in lines]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+")
    ap.add_argument("--min-mbps", type=float, default=0.5,
                    help="slowest acceptable PCRE2 JIT speed of one pattern over the adversarial file")
    ap.add_argument("--top", type=int, default=5)
    args = ap.parse_args()
    ok = True
    adv = os.path.join(tempfile.mkdtemp(prefix="redos-"), "adversarial.txt")
    with open(adv, "w", encoding="utf-8") as fh:
        for l in adversarial_lines():
            fh.write(l + "\n")
    adv_mb = os.path.getsize(adv) / 1e6
    for f in args.files:
        pats = [l.rstrip("\r\n") for l in open(f, encoding="utf-8")]
        pats = [p for p in pats if p.strip() and not p.startswith("#")]
        print("== %s: %d patterns" % (f, len(pats)))
        r = subprocess.run([os.path.join(HERE, "pcre2_naive"), f, "/dev/null"], stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE)
        print("PCRE2:     %s" % ("ok" if r.returncode == 0 else "FAIL\n" + r.stderr.decode()))
        ok &= r.returncode == 0
        for tool in ("re2set", "hyperscan"):
            r = subprocess.run([os.path.join(HERE, tool), "--check", f], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            print("%-10s %s" % (tool + ":", "ok" if r.returncode == 0 else "FAIL\n" + r.stdout.decode() + r.stderr.decode()))
            ok &= r.returncode == 0
        timings = []
        with tempfile.NamedTemporaryFile("w", suffix=".pat", delete=False, encoding="utf-8") as tf:
            one = tf.name
        for i, p in enumerate(pats, 1):
            with open(one, "w", encoding="utf-8") as fh:
                fh.write(p + "\n")
            r = subprocess.run([os.path.join(HERE, "pcre2_naive"), one, adv], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
            err = r.stderr.decode()
            m = re.search(r"scan_s=([\d.]+)", err)
            scan = float(m.group(1)) if m else float("inf")
            errors = int(re.search(r"errors=(\d+)", err).group(1)) if "errors=" in err else -1
            timings.append((scan, i, p, errors))
        os.unlink(one)
        timings.sort(reverse=True)
        bad = [t for t in timings if t[3] != 0 or adv_mb / max(t[0], 1e-9) < args.min_mbps]
        total = sum(t[0] for t in timings)
        print("ReDoS:     %s: each pattern alone over %.2f MB of adversarial lines, PCRE2 JIT; "
              "slowest %.3f s (%.1f MB/s), all patterns %.1f s" % (
                  "ok" if not bad else "FAIL (%d patterns)" % len(bad), adv_mb, timings[0][0],
                  adv_mb / max(timings[0][0], 1e-9), total))
        for scan, i, p, errors in timings[: args.top]:
            print("  %.3f s  %6.1f MB/s  pattern %d%s: %s" % (scan, adv_mb / max(scan, 1e-9), i,
                                                           " MATCH-LIMIT ERRORS" if errors else "", p[:110]))
        ok &= not bad
    print("ALL CHECKS PASSED" if ok else "CHECKS FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
