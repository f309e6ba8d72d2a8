#!/usr/bin/env python3
"""Per-message latency of `scamscan chat` in live use: one message at a time through a pipe.

    python3 Benchmarks/chat_latency.py
    python3 Benchmarks/chat_latency.py --rate 500 --seconds 20 --bin .build/release/scamscan
    python3 Benchmarks/chat_latency.py --rows cat --seconds 5          # the floor alone

It starts

    BIN chat --input tsv --rules Rules --line-buffered --all --output jsonl

with a pipe on stdin and on stdout. A writer thread sends one TSV message line
(`timestamp<TAB>channel<TAB>user<TAB>message`, timestamp = now, ISO-8601 UTC with milliseconds)
every 1/--rate seconds (default 500 a second) for --seconds (default 20), flushing after each line
and recording the monotonic send time; a reader thread reads the output lines and records when
each arrives. With --all every input line yields exactly one output line, in order, so the
latency of message i is receive(i) - send(i). Messages: real Twitch chat bodies (the NLSS
rechat files, via Benchmarks/gen_chat.py) and 2% scam lines (gen_chat.py's templates), from 5,000
users in 20 channels; fixed seed.

The same is measured with `cat` in place of scamscan (row "cat"): the cost of the pipes, the
threads and Python, the floor under any figure; the scamscan row is best read against it. One
message is sent and answered before the clock starts (scamscan compiles its rules first).

Prints a Markdown table: count, achieved send rate, p50, p90, p99, p99.9 and max latency in
milliseconds, and p50/p99 as a multiple of cat's. Exits 1 when the number of output lines is not
the number of input lines, or when scamscan exits with a status other than 0 or 1.
"""
import argparse
import datetime
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import gen_chat  # noqa: E402

SEED = 4242


def make_messages(n, seed):
    rng = random.Random(seed)
    rechat = [s.replace("\t", " ") for s in gen_chat.load_rechat()]
    scam = gen_chat.Scam(random.Random(seed + 1), gen_chat.load_domains())
    users = ["viewer%d_%s" % (i, rng.choice(gen_chat.USER_PARTS)) for i in range(5000)]
    channels = ["channel%02d" % i for i in range(20)]
    out = []
    for _ in range(n):
        text = scam.line().replace("\t", " ") if rng.random() < 0.02 else rng.choice(rechat)
        out.append((rng.choice(channels), rng.choice(users), text))
    return out


def now_iso():
    t = datetime.datetime.now(datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


def measure(cmd, messages, rate, check_json):
    """Send each message at a steady rate; return (send times, receive times, exit status, stderr, send seconds)."""
    n = len(messages)
    sent = [0.0] * n
    recv = []
    problems = []
    with tempfile.TemporaryFile("w+b") as err:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err)

        def line(ch, user, text):
            return f"{now_iso()}\t{ch}\t{user}\t{text}\n".encode("utf-8")

        # warm-up: one message answered before the clock starts
        proc.stdin.write(line("warmup", "warmup", "hello chat"))
        proc.stdin.flush()
        first = proc.stdout.readline()
        if not first:
            proc.wait()
            err.seek(0)
            raise SystemExit(f"chat_latency.py: {' '.join(cmd)} gave no output (exit {proc.returncode}): "
                             f"{err.read().decode('utf-8', 'replace')[-2000:]}")

        def reader():
            expect_line = 2  # no header is sent; the warm-up message is input line 1
            for out in proc.stdout:
                recv.append(time.monotonic())
                if check_json:
                    try:
                        rec = json.loads(out)
                        if rec.get("line") != expect_line:
                            problems.append(f"output line {expect_line - 1}: input line {rec.get('line')}")
                    except ValueError:
                        problems.append(f"output line {expect_line - 1} is not JSON")
                expect_line += 1

        rt = threading.Thread(target=reader, daemon=True)
        rt.start()
        interval = 1.0 / rate
        start = time.monotonic() + 0.05
        try:
            for i, (ch, user, text) in enumerate(messages):
                target = start + i * interval
                delay = target - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                data = line(ch, user, text)
                sent[i] = time.monotonic()
                proc.stdin.write(data)
                proc.stdin.flush()
        except BrokenPipeError:
            problems.append("the process closed its input early")
        send_seconds = time.monotonic() - start
        try:
            proc.stdin.close()
        except BrokenPipeError:
            pass
        rt.join()
        rc = proc.wait()
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    return sent, recv, rc, stderr, send_seconds, problems


def pct(sorted_vals, p):
    """Nearest-rank percentile of an ascending list."""
    if not sorted_vals:
        return float("nan")
    k = max(0, min(len(sorted_vals) - 1, math.ceil(p / 100.0 * len(sorted_vals)) - 1))
    return sorted_vals[k]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(REPO, ".build/release/scamscan"))
    ap.add_argument("--rules", default=os.path.join(REPO, "Rules"))
    ap.add_argument("--rate", type=float, default=500.0, help="messages a second (default 500)")
    ap.add_argument("--seconds", type=float, default=20.0, help="how long to send (default 20)")
    ap.add_argument("--rows", default="scamscan,cat", help="which rows, in order: scamscan, cat (the floor)")
    ap.add_argument("--baseline", action="store_true", help="only the cat row (same as --rows cat)")
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args()
    rows = ["cat"] if args.baseline else [r.strip() for r in args.rows.split(",") if r.strip()]
    for r in rows:
        if r not in ("scamscan", "cat"):
            ap.error(f"unknown row {r!r} (rows: scamscan, cat)")
    if "scamscan" in rows and not os.access(args.bin, os.X_OK):
        sys.exit(f"chat_latency.py: no executable {args.bin} (--bin)")
    n = max(1, int(args.rate * args.seconds))
    # faster switching between the writer and reader threads (the default 5 ms would show as latency)
    sys.setswitchinterval(0.0002)
    messages = make_messages(n, args.seed)
    scamscan = [args.bin, "chat", "--input", "tsv", "--rules", args.rules, "--line-buffered", "--all", "--output", "jsonl"]

    results = {}
    failed = False
    for row in rows:
        cmd = scamscan if row == "scamscan" else ["cat"]
        print(f"... {row}: {n:,} messages at {args.rate:g}/s", file=sys.stderr, flush=True)
        sent, recv, rc, stderr, send_s, problems = measure(cmd, messages, args.rate, row == "scamscan")
        if rc not in (0, 1):
            print(f"chat_latency.py: {row}: exit status {rc}: {stderr[-2000:]}", file=sys.stderr)
            failed = True
        if len(recv) != n:
            print(f"chat_latency.py: {row}: {len(recv):,} output lines for {n:,} input lines", file=sys.stderr)
            failed = True
        for p in problems[:5]:
            print(f"chat_latency.py: {row}: {p}", file=sys.stderr)
            failed = True
        lat = sorted((r - s) * 1000.0 for s, r in zip(sent, recv))
        results[row] = (len(recv), n / send_s if send_s > 0 else float("nan"), lat)

    cmd_text = " ".join(scamscan).replace(REPO + "/", "")
    shown = ", ".join(f"{r}: `{cmd_text if r == 'scamscan' else 'cat'}`" for r in rows)
    print(f"{shown}; {n:,} messages at {args.rate:g}/s for {args.seconds:g} s; "
          f"latency = output line read - input line written, ms\n")
    print("| row | in | out | sent/s | p50 | p90 | p99 | p99.9 | max | p50 / cat | p99 / cat |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    base = results.get("cat")
    for row in rows:
        count, sent_rate, lat = results[row]
        p = [pct(lat, q) for q in (50, 90, 99, 99.9)] + [lat[-1] if lat else float("nan")]
        if base and base[2] and row != "cat":
            r50 = f"{p[0] / pct(base[2], 50):.1f}x"
            r99 = f"{p[2] / pct(base[2], 99):.1f}x"
        else:
            r50 = r99 = "—"
        print(f"| {row} | {n:,} | {count:,} | {sent_rate:,.0f} | " + " | ".join(f"{x:.3f}" for x in p) + f" | {r50} | {r99} |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
