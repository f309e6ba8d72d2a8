#!/usr/bin/env python3
"""Folded-view cost: the same patterns as a pack on the raw view and on the folded view, run by
`scamscan chat` over the same chat; prints seconds, MB/s and the folded/raw throughput ratio.

usage: Benchmarks/fold_view.py [--scamscan PATH] [--patterns FILE] [--chat FILE] [--repeat N]
The defaults are the release build, Benchmarks/patterns-300.txt and Benchmarks/data/chat-20mb.txt
(make bench or Benchmarks/run.sh generates it). Each run is timed whole (load, fold, match,
print); the best of --repeat runs counts.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time


def write_pack(directory, patterns, view):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "pack.yml"), "w") as f:
        f.write("pack: bench-%s\nthresholds: {review: 1, block: 100}\n" % view)
    with open(os.path.join(directory, "rules.yml"), "w") as f:
        for i, p in enumerate(patterns):
            quoted = "'" + p.replace("'", "''") + "'"
            f.write(f"- id: other.p{i}\n  category: other\n  description: benchmark pattern {i}\n"
                    f"  pattern: {quoted}\n  view: {view}\n  score: 1\n"
                    f"  match: [x]\n  no_match: [y]\n")


def run(scamscan, pack, chat, repeat):
    best = None
    flagged = None
    for _ in range(repeat):
        start = time.perf_counter()
        out = subprocess.run([scamscan, "chat", "--rules", pack, "--input", "plain", "--output", "jsonl", chat],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False)
        seconds = time.perf_counter() - start
        if out.returncode not in (0, 1):
            sys.exit(f"scamscan failed with status {out.returncode} on {pack}")
        flagged = out.stdout.count(b"\n")
        best = seconds if best is None else min(best, seconds)
    return best, flagged


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--scamscan", default=os.path.join(here, "..", ".build", "release", "scamscan"))
    ap.add_argument("--patterns", default=os.path.join(here, "patterns-300.txt"))
    ap.add_argument("--chat", default=os.path.join(here, "data", "chat-20mb.txt"))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    patterns = [l.rstrip("\n") for l in open(args.patterns, encoding="utf-8") if l.strip()]
    size_mb = os.path.getsize(args.chat) / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for view in ("raw", "folded"):
            pack = os.path.join(tmp, view)
            write_pack(pack, patterns, view)
            results[view] = run(args.scamscan, pack, args.chat, args.repeat)
    print(f"{len(patterns)} patterns, {args.chat} ({size_mb:.1f} MB), best of {args.repeat}")
    print("| view | s | MB/s | records flagged |")
    print("| --- | ---: | ---: | ---: |")
    for view in ("raw", "folded"):
        s, n = results[view]
        print(f"| {view} | {s:.2f} | {size_mb / s:.1f} | {n} |")
    ratio = results["raw"][0] / results["folded"][0]
    print(f"\nfolded/raw throughput: {ratio:.2f}x (target >= 0.7x)")


if __name__ == "__main__":
    main()
