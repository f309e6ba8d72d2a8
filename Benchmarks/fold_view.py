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
    ap.add_argument("--compare", metavar="OTHER_SCAMSCAN",
                    help="another build (say, of the commit before a change): both run interleaved, best of --repeat, "
                         "and the folded view's time is reported as a ratio of the other's")
    args = ap.parse_args()
    if args.compare:
        return compare(args)
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


def compare(args):
    """Both builds, both views, interleaved run by run (this machine's load drifts), best of N."""
    patterns = [l.rstrip("\n") for l in open(args.patterns, encoding="utf-8") if l.strip()]
    builds = {"this": args.scamscan, "other": args.compare}
    with tempfile.TemporaryDirectory() as tmp:
        packs = {}
        for view in ("raw", "folded"):
            packs[view] = os.path.join(tmp, view)
            write_pack(packs[view], patterns, view)
        best = {}
        for _ in range(args.repeat):
            for b, path in builds.items():
                for view, pack in packs.items():
                    s, _ = run(path, pack, args.chat, 1)
                    best[b, view] = min(best.get((b, view), s), s)
    print(f"{len(patterns)} patterns, {args.chat}, interleaved, best of {args.repeat}")
    print("| build | raw view s | folded view s | folded/raw |")
    print("| --- | ---: | ---: | ---: |")
    for b in ("other", "this"):
        print(f"| {b} ({builds[b]}) | {best[b, 'raw']:.3f} | {best[b, 'folded']:.3f} | {best[b, 'raw'] / best[b, 'folded']:.2f}x |")
    print(f"\nfolded view, this build's time / the other's: {best['this', 'folded'] / best['other', 'folded']:.3f}")


if __name__ == "__main__":
    main()
