#!/usr/bin/env python3
"""What the learned text model costs `scamscan chat`: the shipped pack against the same pack
without its model rule, on the same chat, in the same run.

    python3 Benchmarks/model_cost.py
    python3 Benchmarks/model_cost.py --corpus Benchmarks/data/chat-20mb.txt --repeat 3 --bin .build/release/scamscan

The corpus is the TSV twin of Benchmarks/data/chat-20mb.txt that chat_pipeline.py writes
(generated when missing, as there). The "no model" pack is a copy of Rules/ without model.yml
and model.ssm, made in a temporary directory for the run.

Rows (release binary, one thread; best of --repeat, default 3; in each round the rows run one
after the other):

  with model      BIN chat --input tsv --rules Rules --stats TSV > /dev/null
  without model   the same with the copy
  no-signals      both again with --no-signals (the message path alone)

Each row records wall seconds and peak RSS (/usr/bin/time -f %M), and from `--stats` the
per-record classification latency (median and p99) and the model's own time (median, mean). The table gives
messages/s, the time the model adds per message (from the wall-clock difference, and from the
median latency difference), and the RSS the model adds.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from chat_pipeline import make_tsv, count_lines  # noqa: E402


def run(cmd):
    t = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "RSSKB %M"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    s = time.perf_counter() - t
    err = p.stderr.decode("utf-8", "replace")
    if p.returncode not in (0, 1):
        sys.exit(f"model_cost.py: {' '.join(cmd)} exited {p.returncode}: {err[-400:]}")
    rss = int(re.search(r"RSSKB (\d+)", err).group(1))
    lat = re.search(r"per record: +median ([\d.]+) us, p99 ([\d.]+) us", err)
    model = re.search(r"of which model: +median ([\d.]+) us, p99 ([\d.]+) us, mean ([\d.]+) us", err)
    return s, rss, (float(lat.group(1)), float(lat.group(2))) if lat else None, \
        (float(model.group(1)), float(model.group(3))) if model else None, err


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.path.join(HERE, "data/chat-20mb.txt"))
    ap.add_argument("--bin", default=os.path.join(REPO, ".build/release/scamscan"))
    ap.add_argument("--rules", default=os.path.join(REPO, "Rules"))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if not os.access(args.bin, os.X_OK):
        sys.exit(f"model_cost.py: no executable {args.bin} (--bin)")
    if not os.path.exists(args.corpus):
        m = re.search(r"chat-(\d+(?:\.\d+)?)mb\.txt$", args.corpus)
        if not m:
            sys.exit(f"model_cost.py: {args.corpus} is missing (only chat-<N>mb.txt is generated)")
        os.makedirs(os.path.dirname(os.path.abspath(args.corpus)), exist_ok=True)
        subprocess.run([sys.executable, os.path.join(HERE, "gen_chat.py"), "--size-mb", m.group(1), "--out", args.corpus], check=True)
    tsv = os.path.splitext(args.corpus)[0] + ".tsv"
    if not os.path.exists(tsv) or os.path.getmtime(tsv) < os.path.getmtime(args.corpus):
        make_tsv(args.corpus, tsv)
    messages = count_lines(tsv) - 1

    tmp = tempfile.mkdtemp(prefix="scamscan-nomodel-")
    try:
        bare = os.path.join(tmp, "Rules")
        shutil.copytree(args.rules, bare)
        removed = [f for f in ("model.yml", "model.ssm") if os.path.exists(os.path.join(bare, f))]
        if len(removed) != 2:
            sys.exit(f"model_cost.py: {args.rules} has no model.yml and model.ssm to take out")
        for f in removed:
            os.remove(os.path.join(bare, f))
        rows = {
            "with model": [args.bin, "chat", "--input", "tsv", "--rules", args.rules, "--stats", tsv],
            "without model": [args.bin, "chat", "--input", "tsv", "--rules", bare, "--stats", tsv],
            "with model, --no-signals": [args.bin, "chat", "--input", "tsv", "--rules", args.rules, "--no-signals", "--stats", tsv],
            "without model, --no-signals": [args.bin, "chat", "--input", "tsv", "--rules", bare, "--no-signals", "--stats", tsv],
        }
        best = {}
        for rnd in range(args.repeat):
            for name, cmd in rows.items():
                r = run(cmd)
                print(f"... round {rnd + 1}: {name} {r[0]:.2f} s, {r[1] / 1024:.1f} MB", file=sys.stderr, flush=True)
                if name not in best or r[0] < best[name][0]:
                    best[name] = r
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    def rel(p):
        return os.path.relpath(p, REPO) if os.path.isabs(p) and p.startswith(REPO + os.sep) else p

    print(f"corpus: {rel(tsv)} ({os.path.getsize(tsv) / 1e6:.1f} MB, {messages:,} messages); best of {args.repeat}; {rel(args.bin)}\n")
    print("| row | s | messages/s | median µs | p99 µs | model median / mean µs | peak RSS MB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, (s, rss, lat, model, _) in best.items():
        med, p99 = lat if lat else (float("nan"), float("nan"))
        m = f"{model[0]:.2f} / {model[1]:.2f}" if model else "-"
        print(f"| {name} | {s:.2f} | {messages / s:,.0f} | {med:.2f} | {p99:.2f} | {m} | {rss / 1024:.1f} |")
    print()
    for suffix in ("", ", --no-signals"):
        w, wo = best["with model" + suffix], best["without model" + suffix]
        added_wall = (w[0] - wo[0]) / messages * 1e6
        added_med = (w[2][0] - wo[2][0]) if w[2] and wo[2] else float("nan")
        print(f"model{suffix or ' (all signals)'}: adds {added_wall:.2f} µs per message by wall clock "
              f"({wo[0] / w[0]:.2f}x the speed without it), {added_med:.2f} µs to the median latency, "
              f"{(w[1] - wo[1]) / 1024:.1f} MB to peak RSS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
