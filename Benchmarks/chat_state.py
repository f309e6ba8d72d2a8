#!/usr/bin/env python3
"""`scamscan chat` on a long generated stream: throughput and peak memory with the behaviour
signals' state capped, to show that memory stays flat when the stream has far more users than
the cap.

    python3 Benchmarks/chat_state.py
    python3 Benchmarks/chat_state.py --messages 1000000,10000000 --max-users 100000 --bin .build/release/scamscan
    python3 Benchmarks/chat_state.py --messages 200000 -- --threshold 5      # extra chat args after --

For each N in --messages (default 1,000,000 and 10,000,000) it runs

    python3 Benchmarks/chat_stream.py --messages N \\
      | /usr/bin/time -f '%e %M' BIN chat --input tsv --rules Rules --stats --max-users 100000 [extra] > /dev/null

(chat_stream.py: 2,000 channels, 5,000,000 user names, 2,000 messages a second of event time,
1% scam lines and a scam wave every 30 s; 10M lines bring about 2.4 million distinct users) and
prints a Markdown table: messages, wall seconds of scamscan, messages/s, peak RSS (MB), and
the ratio of the peak RSS at the largest N to the one at the smallest. Every stderr line of
scamscan's --stats that starts with "  behaviour state:" is copied into the report.

The generator alone does about 0.5-0.8 million lines a second; it is timed on its own first
(`chat_stream.py --messages N > /dev/null`, column "generator s") so that a run bound by the
generator rather than by scamscan can be seen (--no-generator-time skips it).

Exit status of scamscan: 0 (flagged) and 1 (nothing flagged) are both fine; anything else
(2: an error, e.g. an unknown option) stops the script with scamscan's stderr.
`--max-users 0` leaves the --max-users option out (for a scamscan without it).
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
STREAM = os.path.join(HERE, "chat_stream.py")


def run(n, args, extra):
    """(seconds, peak RSS MB, behaviour-state lines, verdict line) of scamscan on N streamed lines."""
    chat = [args.bin, "chat", "--input", "tsv", "--rules", args.rules, "--stats"]
    if args.max_users:
        chat += ["--max-users", str(args.max_users)]
    chat += extra
    with tempfile.NamedTemporaryFile("r") as tf, tempfile.TemporaryFile("w+") as err:
        gen = subprocess.Popen([sys.executable, STREAM, "--messages", str(n)], stdout=subprocess.PIPE)
        scan = subprocess.Popen(["/usr/bin/time", "-f", "%e %M", "-o", tf.name] + chat,
                                stdin=gen.stdout, stdout=subprocess.DEVNULL, stderr=err)
        gen.stdout.close()  # scamscan holds the read end; the generator sees EPIPE if scamscan stops
        rc = scan.wait()
        grc = gen.wait()
        err.seek(0)
        stderr = err.read()
        timing = tf.read().strip().splitlines()
    if rc not in (0, 1):
        sys.exit(f"chat_state.py: {' '.join(chat)} failed with exit status {rc}:\n{stderr[-3000:]}")
    if grc != 0:
        sys.exit(f"chat_state.py: chat_stream.py failed with exit status {grc}")
    seconds, kb = timing[-1].split()
    state = [l.rstrip() for l in stderr.splitlines() if l.startswith("  behaviour state:")]
    verdicts = [l.strip() for l in stderr.splitlines() if l.strip().startswith("verdicts:")]
    return float(seconds), int(kb) / 1024, state, verdicts[-1] if verdicts else ""


def gen_seconds(n):
    start = time.monotonic()
    subprocess.run([sys.executable, STREAM, "--messages", str(n)], stdout=subprocess.DEVNULL, check=True)
    return time.monotonic() - start


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--messages", default="1000000,10000000", help="comma-separated line counts")
    ap.add_argument("--bin", default=os.path.join(REPO, ".build/release/scamscan"))
    ap.add_argument("--rules", default=os.path.join(REPO, "Rules"))
    ap.add_argument("--max-users", type=int, default=100_000, help="0: leave the option out")
    ap.add_argument("--no-generator-time", action="store_true", help="do not time chat_stream.py alone")
    args = ap.parse_args(argv)
    counts = [int(x.replace("_", "")) for x in args.messages.split(",") if x.strip()]
    if not counts:
        ap.error("--messages needs at least one count")

    if not os.access(args.bin, os.X_OK):
        sys.exit(f"chat_state.py: no executable {args.bin} (--bin)")
    rows = []
    for n in counts:
        g = None if args.no_generator_time else gen_seconds(n)
        s, rss, state, verdicts = run(n, args, extra)
        rows.append((n, g, s, rss, state, verdicts))
        print(f"... {n:,} messages: {s:.2f} s, {rss:.0f} MB", file=sys.stderr, flush=True)

    cmd = f"python3 Benchmarks/chat_stream.py --messages N | {args.bin} chat --input tsv --rules {args.rules} --stats"
    if args.max_users:
        cmd += f" --max-users {args.max_users}"
    if extra:
        cmd += " " + " ".join(extra)
    print(f"`{cmd} > /dev/null` (wall time and peak RSS of scamscan, /usr/bin/time)\n")
    print("| messages | generator s | scamscan s | messages/s | peak RSS MB |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for n, g, s, rss, _, _ in rows:
        gs = "—" if g is None else f"{g:.2f}"
        print(f"| {n:,} | {gs} | {s:.2f} | {n / max(s, 1e-9):,.0f} | {rss:.0f} |")
    if len(rows) > 1:
        lo, hi = rows[0], rows[-1]
        print(f"\npeak RSS at {hi[0]:,} / at {lo[0]:,} messages: {hi[3] / lo[3]:.2f}x "
              f"(for {hi[0] / lo[0]:.0f}x the messages)")
    for n, g, s, rss, state, verdicts in rows:
        if state or verdicts:
            print(f"\n{n:,} messages, scamscan --stats:")
            print("```")
            for line in state:
                print(line)
            if verdicts:
                print("  " + verdicts)
            print("```")


if __name__ == "__main__":
    main()
