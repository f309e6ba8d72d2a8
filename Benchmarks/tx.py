#!/usr/bin/env python3
"""`scamscan tx` throughput and memory on a generated export (Corpus/tools/gen_transactions.py,
seed 1: honest traffic with every fraud pattern injected), release build, one thread.

Rows per second and peak resident memory for:
  read     `wc -l` on the file: the cost of reading the bytes (baseline);
  parse    `scamscan tx` with a pack of one condition that never fires: CSV parsing, decoding,
           interning accounts (the pipeline without detectors);
  full     `scamscan tx` with the shipped pack (13 transaction rules);
and the full pipeline's peak memory at 1M rows and at the whole file, to show it does not grow
with the row count. Ratios are against the read and parse baselines measured in the same run.

usage: Benchmarks/tx.py [--rows N] [--repeat N] [--scamscan PATH]
The export is generated once into Benchmarks/data/tx-<rows>.csv (about 95 bytes a row).
"""
import argparse
import os
import re
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

ONE_RULE_PACK = {
    "pack.yml": "pack: baseline\nthresholds: {review: 4, block: 8}\n",
    "r.yml": """- id: velocity.never
  kind: tx_condition
  category: velocity
  description: a condition that never holds, so the run measures reading and decoding
  score: 1
  when: type == "redeem" and amount > 1000000000
  match: ["id,timestamp,account,type,amount\\np1,2026-03-01T10:00:00Z,u1,redeem,2000000000\\n"]
  no_match: ["id,timestamp,account,type,amount\\np1,2026-03-01T10:00:00Z,u1,redeem,2\\n"]
""",
}


def timed(cmd):
    """Wall seconds and peak RSS (MB) of cmd, via /usr/bin/time."""
    with tempfile.NamedTemporaryFile("r") as t:
        start = time.monotonic()
        p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", t.name] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        seconds = time.monotonic() - start
        if p.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} failed ({p.returncode}): {p.stderr[-2000:]}")
        return seconds, int(t.read().strip().splitlines()[-1]) / 1024, p.stderr


def best(cmd, repeat):
    runs = [timed(cmd) for _ in range(repeat)]
    return min(r[0] for r in runs), max(r[1] for r in runs), runs[-1][2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=5_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--scamscan", default=os.path.join(REPO, ".build/release/scamscan"))
    args = ap.parse_args()
    data = os.path.join(HERE, "data")
    os.makedirs(data, exist_ok=True)
    export = os.path.join(data, f"tx-{args.rows}.csv")
    if not os.path.exists(export):
        print(f"generating {export} ...", flush=True)
        subprocess.run(["python3", os.path.join(REPO, "Corpus/tools/gen_transactions.py"), "--rows", str(args.rows),
                        "--seed", "1", "--out", export], check=True)
    size = os.path.getsize(export)
    first = os.path.join(data, f"tx-{args.rows}-first1m.csv")
    if args.rows > 1_000_000 and not os.path.exists(first):
        with open(export, "rb") as src, open(first, "wb") as dst:
            for i, line in enumerate(src):
                if i > 1_000_000:
                    break
                dst.write(line)
    with tempfile.TemporaryDirectory() as pack:
        for name, text in ONE_RULE_PACK.items():
            with open(os.path.join(pack, name), "w") as f:
                f.write(text)
        read = best(["wc", "-l", export], args.repeat)
        parse = best([args.scamscan, "tx", "--rules", pack, export], args.repeat)
        full = best([args.scamscan, "tx", "--rules", os.path.join(REPO, "Rules"), "--stats", export], args.repeat)
        small = timed([args.scamscan, "tx", "--rules", os.path.join(REPO, "Rules"), first]) if args.rows > 1_000_000 else None
    keys = re.search(r"state keys:\s+(\d+)", full[2])
    flagged = re.search(r"verdicts:\s+(\d+) allow, (\d+) review, (\d+) block", full[2])
    print(f"export: {export}: {args.rows:,} rows, {size / 1e6:.0f} MB; best of {args.repeat}; {args.scamscan}")
    print("| run | s | rows/s | MB/s | peak RSS MB | rows/s vs read | vs parse |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, (s, rss, _) in [("read (wc -l)", read), ("parse (one idle rule)", parse), ("full (shipped pack)", full)]:
        print(f"| {name} | {s:.2f} | {args.rows / s:,.0f} | {size / 1e6 / s:.0f} | {rss:.0f} | {read[0] / s:.3f} | {parse[0] / s:.3f} |")
    if flagged:
        print(f"full: {int(flagged.group(2)) + int(flagged.group(3)):,} rows flagged; state keys at the end: {keys.group(1) if keys else '?'}")
    if small:
        print(f"peak RSS, full pack: {small[1]:.0f} MB after 1,000,000 rows, {full[1]:.0f} MB after {args.rows:,} rows"
              f" ({full[1] / small[1]:.2f}x for {args.rows / 1_000_000:.0f}x the rows)")


if __name__ == "__main__":
    main()
