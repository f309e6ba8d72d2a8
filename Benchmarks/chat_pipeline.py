#!/usr/bin/env python3
"""Throughput of the whole `scamscan chat` pipeline against the matcher alone, on the matcher
benchmark's chat corpus.

    python3 Benchmarks/chat_pipeline.py
    python3 Benchmarks/chat_pipeline.py --corpus Benchmarks/data/chat-20mb.txt --repeat 3 --bin .build/release/scamscan
    python3 Benchmarks/chat_pipeline.py --rows match,chat --repeat 1      # without the --no-signals row

The corpus is Benchmarks/data/chat-20mb.txt (generated when missing with
`python3 Benchmarks/gen_chat.py --size-mb 20 --out Benchmarks/data/chat-20mb.txt`, as run.sh does).
Behaviour signals need users, channels and time, so the plain corpus is first converted, once and
deterministically, into a TSV twin next to it (`chat-20mb.tsv`: the header, then the same messages
in the same order, `timestamp<TAB>channel<TAB>user<TAB>message`; 200 channels, Zipf-like
popularity (weight 1/rank); 50,000 user names, Zipf-like activity (weight 1/(rank + 1000), so the
busiest user sends about one message in two seconds), 90% of a user's messages in a home channel;
timestamps from 2026-03-01T00:00:00.000Z at 2,000 messages a second; 1 s for 20 MB). The twin is
rewritten when it is older than the corpus.

Rows (release binary, one thread each; best of --repeat, default 3; in every round the rows run
one after the other, so that a slow moment of the machine does not fall on one row only):

  match     BIN match -c -j1 -f Benchmarks/patterns-300.txt chat-20mb.txt       the matcher alone
  chat      BIN chat --input tsv --rules Rules chat-20mb.tsv > /dev/null         full pipeline, all signals
  no-signals  the same with --no-signals                                         everything but behaviour signals

Prints a Markdown table: seconds, MB/s (of the plain corpus for `match`, of the TSV for the chat
rows; MB = 10^6 bytes), messages/s, and messages/s as a fraction of `match`. Exit status 0 or 1 of
scamscan is a success (flagged / nothing flagged); a row that fails otherwise is reported in the
table and the script exits 1.
"""
import argparse
import os
import random
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SEED = 20260302
START_EPOCH = 1772323200  # 2026-03-01T00:00:00Z
HEADER = b"timestamp\tchannel\tuser\tmessage\n"

ADJ = ("sleepy salty spicy cosmic lazy tiny grumpy fuzzy silent rusty happy angry chill crispy frosty "
       "sneaky lucky dizzy soggy wild brave mighty noisy clumsy shady sunny stormy cozy swift quiet "
       "dark lil big real epic cool crazy pro mega ultra neon retro").split()
NOUN = ("otter taco waffle pixel goose noodle badger muffin falcon cactus panda walrus pickle turtle "
        "moose raven lemon biscuit llama gecko pancake donut hamster penguin koala beaver squid ferret "
        "burrito nugget wizard knight pirate robot ghost dragon potato cookie mango sloth yeti bagel "
        "gamer ninja wolf fox tiger lion shadow king queen").split()


def channel_names(rng, n):
    out, seen = [], set()
    while len(out) < n:
        a, b = rng.choice(ADJ), rng.choice(NOUN)
        k = rng.random()
        s = a + b if k < 0.6 else a + "_" + b if k < 0.8 else b + "tv"
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


def user_names(rng, n):
    out, seen = [], set()
    while len(out) < n:
        a, b = rng.choice(ADJ), rng.choice(NOUN)
        k = rng.random()
        s = (a + b if k < 0.4 else a + "_" + b if k < 0.6 else b) + str(rng.randint(1, 9999))
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


def zipf_cum(n, q=0):
    """Cumulative weights 1/(rank + q), for random.choices."""
    cum, acc = [], 0.0
    for i in range(n):
        acc += 1.0 / (i + 1 + q)
        cum.append(acc)
    return cum


def make_tsv(plain, tsv, channels=200, users=50_000, rate=2000):
    """The TSV twin of a plain corpus: same messages, same order, deterministic.

    Channel popularity is Zipf-like (weight 1/rank); user activity Zipf-Mandelbrot (weight
    1/(rank + 1000): the busiest user sends about one message in two seconds, as a fast human
    chatter, not a flood). Each user has a home channel (drawn by channel popularity) where 90% of
    their messages go; the rest go to any channel."""
    rng = random.Random(SEED)
    chans_all = channel_names(rng, channels)
    users_all = user_names(rng, users)
    chan_cum, user_cum = zipf_cum(channels), zipf_cum(users, q=1000)
    home = rng.choices(range(channels), cum_weights=chan_cum, k=users)
    ms_tab = ["%03dZ\t" % (j * 1000 // rate) for j in range(rate)]
    tmp = tsv + ".tmp"
    n = 0
    with open(plain, "rb") as src, open(tmp, "wb") as out:
        out.write(HEADER)
        second = 0
        while True:
            lines = [src.readline() for _ in range(rate)]
            lines = [l for l in lines if l]
            if not lines:
                break
            us = rng.choices(range(users), cum_weights=user_cum, k=len(lines))
            roam = rng.choices(range(channels), cum_weights=chan_cum, k=len(lines))
            prefix = time.strftime("%Y-%m-%dT%H:%M:%S.", time.gmtime(START_EPOCH + second)).encode()
            rows = []
            for m, u, r, l in zip(ms_tab, us, roam, lines):
                c = chans_all[r] if rng.random() < 0.1 else chans_all[home[u]]
                text = l.rstrip(b"\n").rstrip(b"\r").replace(b"\t", b" ")
                rows.append(prefix + f"{m}{c}\t{users_all[u]}\t".encode() + text + b"\n")
            out.write(b"".join(rows))
            n += len(lines)
            second += 1
    os.replace(tmp, tsv)
    return n


def count_lines(path):
    n = 0
    with open(path, "rb") as f:
        while True:
            b = f.read(1 << 20)
            if not b:
                break
            n += b.count(b"\n")
    return n


def timed(cmd, stdout):
    """(wall seconds, exit status, stderr) of cmd."""
    start = time.monotonic()
    p = subprocess.run(cmd, stdout=stdout, stderr=subprocess.PIPE)
    return time.monotonic() - start, p.returncode, p.stderr.decode("utf-8", "replace")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.path.join(HERE, "data/chat-20mb.txt"))
    ap.add_argument("--patterns", default=os.path.join(HERE, "patterns-300.txt"))
    ap.add_argument("--bin", default=os.path.join(REPO, ".build/release/scamscan"))
    ap.add_argument("--rules", default=os.path.join(REPO, "Rules"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--rows", default="match,chat,no-signals", help="rows to run: match, chat, no-signals")
    args = ap.parse_args()
    rows = [r.strip() for r in args.rows.split(",") if r.strip()]
    for r in rows:
        if r not in ("match", "chat", "no-signals"):
            ap.error(f"unknown row {r!r}")

    if not os.access(args.bin, os.X_OK):
        sys.exit(f"chat_pipeline.py: no executable {args.bin} (--bin)")
    corpus = args.corpus
    if not os.path.exists(corpus):
        m = re.search(r"chat-(\d+(?:\.\d+)?)mb\.txt$", corpus)
        if not m:
            sys.exit(f"chat_pipeline.py: {corpus} is missing (only chat-<N>mb.txt is generated)")
        print(f"generating {corpus} ...", file=sys.stderr, flush=True)
        os.makedirs(os.path.dirname(os.path.abspath(corpus)), exist_ok=True)
        subprocess.run([sys.executable, os.path.join(HERE, "gen_chat.py"), "--size-mb", m.group(1), "--out", corpus], check=True)
    tsv = os.path.splitext(corpus)[0] + ".tsv"
    if not os.path.exists(tsv) or os.path.getmtime(tsv) < os.path.getmtime(corpus):
        print(f"writing {tsv} ...", file=sys.stderr, flush=True)
        make_tsv(corpus, tsv)
    messages = count_lines(corpus)
    if count_lines(tsv) != messages + 1:
        sys.exit(f"chat_pipeline.py: {tsv} does not have the corpus's {messages:,} messages; delete it to rewrite it")
    plain_mb = os.path.getsize(corpus) / 1e6
    tsv_mb = os.path.getsize(tsv) / 1e6

    chat = [args.bin, "chat", "--input", "tsv", "--rules", args.rules, tsv]
    cmds = {
        "match": ([args.bin, "match", "-c", "-j1", "-f", args.patterns, corpus], subprocess.PIPE, plain_mb),
        "chat": (chat, subprocess.DEVNULL, tsv_mb),
        "no-signals": (chat[:-1] + ["--no-signals", tsv], subprocess.DEVNULL, tsv_mb),
    }
    best = {r: None for r in rows}
    errors = {}
    for rnd in range(args.repeat):
        for r in rows:
            if r in errors:
                continue
            cmd, out, _ = cmds[r]
            s, rc, err = timed(cmd, out)
            if rc not in (0, 1):
                errors[r] = f"exit {rc}: " + (err.strip().splitlines() or [""])[0][:120]
                continue
            best[r] = s if best[r] is None else min(best[r], s)
            print(f"... round {rnd + 1}: {r} {s:.2f} s", file=sys.stderr, flush=True)

    def rel(p):
        return os.path.relpath(p, REPO) if os.path.isabs(p) and p.startswith(REPO + os.sep) else p

    print(f"corpus: {rel(corpus)} ({plain_mb:.1f} MB, {messages:,} messages); TSV twin {rel(tsv)} ({tsv_mb:.1f} MB); "
          f"best of {args.repeat}; {rel(args.bin)}\n")
    print("| row | command | s | MB/s | messages/s | messages/s vs match |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    base = best.get("match")
    for r in rows:
        cmd, _, mb = cmds[r]
        shown = " ".join(rel(c) for c in cmd) + ("" if r == "match" else " > /dev/null")
        if r in errors:
            print(f"| {r} | `{shown}` | error | | | {errors[r]} |")
            continue
        s = best[r]
        ratio = f"{base / s:.2f}" if base else "—"
        print(f"| {r} | `{shown}` | {s:.2f} | {mb / s:.1f} | {messages / s:,.0f} | {ratio} |")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
