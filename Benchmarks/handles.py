#!/usr/bin/env python3
"""Look-alike handle checks at platform scale: the shipped pack with 10 protected handles
against the same pack with 100,000, on the same chat (a TSV with authors, 1% of them look-alikes
of protected handles); prints messages per second, their ratio, and the time to load the list.
"Scanning" is the run minus the load (the same command on empty input); "end to end" includes it.

usage: Benchmarks/handles.py [--scamscan PATH] [--protected N] [--messages N] [--repeat N]
Needs Benchmarks/data/chat-5mb.txt for message texts (make bench or Benchmarks/run.sh makes it).
Everything else is generated here with a fixed seed.
"""
import argparse
import os
import random
import shutil
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
CONSONANTS = "bcdfghjklmnprstvwxz"
VOWELS = "aeiouy"
SEPARATORS = ["", "", "", "_", "."]


def word(rng):
    return "".join(rng.choice(CONSONANTS) + rng.choice(VOWELS) + (rng.choice(CONSONANTS) if rng.random() < 0.4 else "")
                   for _ in range(rng.randint(1, 3)))


WORDS = None


def handle(rng):
    """Two words of a 20,000-word made-up vocabulary, a separator, sometimes digits: a sparse
    space, as real handles are (random authors rarely land next to a protected handle)."""
    global WORDS
    if WORDS is None:
        vocab = random.Random(1)
        WORDS = sorted({word(vocab) for _ in range(40_000)})[:20_000]
    name = rng.choice(WORDS) + rng.choice(SEPARATORS) + rng.choice(WORDS)
    if rng.random() < 0.3:
        name += str(rng.randint(1, 9999))
    return name


def lookalike(rng, h):
    i = rng.randrange(len(h))
    kind = rng.choice(["double", "swap", "drop", "official", "homoglyph"])
    if kind == "double":
        return h[:i] + h[i] + h[i:]
    if kind == "swap" and i + 1 < len(h):
        return h[:i] + h[i + 1] + h[i] + h[i + 2:]
    if kind == "drop" and len(h) > 6:
        return h[:i] + h[i + 1:]
    if kind == "homoglyph" and "o" in h:
        return h.replace("o", "0", 1)
    return h + "_official"


def make_pack(dst, protected):
    shutil.copytree(os.path.join(REPO, "Rules"), dst)
    with open(os.path.join(dst, "lists", "protected-handles.txt"), "w") as f:
        f.write("\n".join(protected) + "\n")


def timed(cmd, stdin_path=None):
    start = time.perf_counter()
    with open(stdin_path or os.devnull, "rb") as inp:
        p = subprocess.run(cmd, stdin=inp, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - start
    if p.returncode not in (0, 1):
        raise SystemExit(f"{cmd[0]} failed ({p.returncode}): {p.stderr.decode()[:500]}")
    return seconds, p.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scamscan", default=os.path.join(REPO, ".build", "release", "scamscan"))
    ap.add_argument("--protected", type=int, default=100_000)
    ap.add_argument("--messages", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rng = random.Random(42)
    protected = sorted({handle(rng) for _ in range(args.protected * 2)})[: args.protected]
    rng.shuffle(protected)
    small = protected[:10]
    texts = [l.rstrip("\n") for l in open(os.path.join(HERE, "data", "chat-5mb.txt"), encoding="utf-8") if l.strip()]
    channels = [handle(rng) for _ in range(50)]
    with tempfile.TemporaryDirectory() as tmp:
        chat = os.path.join(tmp, "chat.tsv")
        lookalikes = 0
        with open(chat, "w", encoding="utf-8") as f:
            f.write("timestamp\tchannel\tuser\tmessage\n")
            for i in range(args.messages):
                if rng.random() < 0.01:
                    # a look-alike of a handle protected in both runs, so both do the same work
                    user = lookalike(rng, rng.choice(small))
                    lookalikes += 1
                else:
                    user = handle(rng)
                text = texts[i % len(texts)].replace("\t", " ")
                f.write(f"2026-11-29T12:00:00Z\t{rng.choice(channels)}\t{user}\t{text}\n")
        size_mb = os.path.getsize(chat) / 1e6
        rows = []
        for label, names in (("10 protected", small), (f"{len(protected):,} protected", protected)):
            pack = os.path.join(tmp, "pack-%d" % len(names))
            make_pack(pack, names)
            cmd = [args.scamscan, "chat", "--rules", pack, "--input", "tsv", "--output", "jsonl"]
            load = min(timed(cmd)[0] for _ in range(args.repeat))
            runs = [timed(cmd + [chat]) for _ in range(args.repeat)]
            best = min(r[0] for r in runs)
            hits = runs[0][1].count(b"impersonation.lookalike-handle")
            rows.append((label, load, best, args.messages / (best - load), args.messages / best, hits))
    print(f"{args.messages:,} messages ({size_mb:.1f} MB, {lookalikes:,} look-alike authors), best of {args.repeat}")
    print("| protected handles | load s (empty input) | run s (load + scan) | messages/s scanning | messages/s end to end | look-alike hits |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, load, best, rate, overall, hits in rows:
        print(f"| {label} | {load:.3f} | {best:.2f} | {rate:,.0f} | {overall:,.0f} | {hits:,} |")
    print(f"\nmessages/s scanning, {len(protected):,} protected / 10: {rows[1][3] / rows[0][3]:.2f}x (target >= 0.8x); "
          f"end to end, with the load: {rows[1][4] / rows[0][4]:.2f}x")
    print(f"list load time: {rows[1][1] - rows[0][1]:.3f} s more than with 10 handles")


if __name__ == "__main__":
    main()
