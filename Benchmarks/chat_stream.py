#!/usr/bin/env python3
"""Deterministic generator of a long live-chat stream, TSV on standard output, to feed
`scamscan chat` through a pipe (Benchmarks/chat_state.py uses it).

    python3 Benchmarks/chat_stream.py --messages 10000000 | scamscan chat --input tsv --stats > /dev/null
    python3 Benchmarks/chat_stream.py --messages 1000000 --channels 2000 --users 5000000 --rate 2000 > stream.tsv

Output: the header `timestamp<TAB>channel<TAB>user<TAB>message`, then --messages lines
(`scamscan chat --input tsv`). The same arguments always give the same bytes (fixed seed,
stdlib `random` only), and a shorter stream is a prefix of a longer one.

  * time: event time starts at 2026-03-01T00:00:00.000Z and advances --rate messages a second
    (default 2,000), ISO-8601 UTC with milliseconds;
  * channels: --channels (default 2,000), Zipf-like popularity (weight 1/rank);
  * users: --users distinct names (default 5,000,000), Zipf-like activity (P(rank k) ~ 1/(k + q),
    q = --zipf-offset, default 1000: the busiest user sends about one message in four seconds,
    most users once or never): 1 million messages come from about 0.5 million distinct users,
    10 million from about 2.4 million (1.3 million of them once), far more than a per-user state
    cap of 100,000. A user speaks in a home channel (90%) or any channel (10%);
  * messages: real Twitch chat bodies (Benchmarks/gen_chat.py's load_rechat: the NLSS rechat files
    of $SCAMSCAN_SHARED_DATA, MIT), plus --scam-share (default 1%) scam lines from gen_chat.py's
    scam templates (coin generators, cheap-coin resellers with telegram handles, phishing links...),
    posted by users from the quiet tail;
  * waves: every --wave-every seconds of event time (default 30), one scam text posted by 30 users
    (--wave-users) in one channel within a minute.

Fast enough to feed scamscan: about 0.55-0.8 million lines a second in CPython on this machine
(10M lines, 707 MB: 13 s into /dev/null, 16-17 s into sha256sum; 45 MB of memory)
(pools are precomputed; one second of event time is built per step with list comprehensions;
output goes to sys.stdout.buffer in writes of about 1 MB). A closed pipe ends it quietly.
--info prints the line count, bytes and time on stderr at the end.
"""
import argparse
import math
import os
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_chat  # noqa: E402  (load_rechat, load_domains, Scam: the matcher benchmark's sources)

SEED = 20260301
START_EPOCH = 1772323200  # 2026-03-01T00:00:00Z
HEADER = b"timestamp\tchannel\tuser\tmessage\n"
MASK32 = 0xFFFFFFFF
MUL_NAME = 0x9E3779B1   # odd: rank -> 32-bit id is a bijection, so names are distinct
MUL_HOME = 0x85EBCA6B
HOT = 1 << 17           # names of the most active ranks are precomputed

ADJ = ("sleepy salty spicy cosmic lazy tiny grumpy fuzzy silent rusty happy angry chill crispy "
       "frosty sneaky lucky dizzy soggy wild brave mighty noisy clumsy shady sunny stormy cozy "
       "swift quiet fancy goofy wobbly sassy toasty lonely hungry jolly nerdy odd dark lil big "
       "real just epic cool crazy pro mega ultra super hyper neon retro").split()
NOUN = ("otter taco waffle pixel goose noodle badger muffin falcon cactus panda walrus pickle "
        "turtle moose raven lemon biscuit llama gecko pancake donut hamster penguin koala beaver "
        "squid ferret burrito nugget wizard knight pirate robot ghost dragon potato tomato cookie "
        "mango kiwi sloth yeti lobster bagel pretzel toast gamer ninja wolf fox tiger lion shadow "
        "king queen boss chief player sniper").split()


def prefixes(n):
    """n distinct letter/underscore-only name stems (a stem never ends in a digit, so stem+number
    is unique)."""
    out, seen = [], set()
    forms = [lambda a, b: a + b, lambda a, b: a + "_" + b, lambda a, b: b + a,
             lambda a, b: "xx" + b, lambda a, b: "the" + a + b, lambda a, b: b + "_"]
    for f in forms:
        for a in ADJ:
            for b in NOUN:
                s = f(a, b)
                if s not in seen:
                    seen.add(s)
                    out.append(s)
    rng = random.Random(SEED)
    rng.shuffle(out)
    if len(out) < n:
        raise SystemExit("chat_stream.py: not enough name stems")
    return out[:n]


def channel_names(n):
    rng = random.Random(SEED + 1)
    names, seen = [], set()
    words = sorted(set(ADJ + NOUN))
    while len(names) < n:
        k = rng.random()
        a, b = rng.choice(words), rng.choice(words)
        s = a + b if k < 0.5 else a + "_" + b if k < 0.7 else a + b + str(rng.randint(1, 99)) if k < 0.9 else b + "tv"
        if s not in seen and a != b:
            seen.add(s)
            names.append(s)
    return names


def zipf_table(names, size):
    """A list of `size` slots where name i (rank i+1) fills a share proportional to 1/(i+1),
    at least one slot each: a uniform pick from it is a Zipf-like pick of a name."""
    w = [1.0 / (i + 1) for i in range(len(names))]
    total = sum(w)
    counts = [max(1, int(size * x / total)) for x in w]
    table = []
    for name, c in zip(names, counts):
        table.extend([name] * c)
    while len(table) < size:  # top up with the most popular ones
        table.extend(names[: size - len(table)])
    return table[:size]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--messages", type=int, default=1_000_000, help="lines after the header (default 1,000,000)")
    ap.add_argument("--channels", type=int, default=2000)
    ap.add_argument("--users", type=int, default=5_000_000)
    ap.add_argument("--zipf-offset", type=int, default=1000,
                    help="q in P(user rank k) ~ 1/(k+q); keeps the most active user near one message in 4 s at the default rate")
    ap.add_argument("--rate", type=int, default=2000, help="messages per second of event time")
    ap.add_argument("--scam-share", type=float, default=0.01)
    ap.add_argument("--wave-every", type=int, default=30, help="seconds of event time between scam waves (0: none)")
    ap.add_argument("--wave-users", type=int, default=30)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--info", action="store_true", help="print lines, bytes and seconds on stderr")
    args = ap.parse_args()
    if args.rate < 1 or args.channels < 1 or args.users < 1 or args.messages < 0:
        ap.error("--rate, --channels and --users must be positive")
    t0 = time.monotonic()

    rng = random.Random(args.seed)
    rechat = gen_chat.load_rechat()
    if not rechat:
        sys.exit("chat_stream.py: no rechat messages under " + gen_chat.DATA)
    scam = gen_chat.Scam(random.Random(args.seed + 7), gen_chat.load_domains())
    scam_pool = [s.replace("\t", " ") for s in (scam.line() for _ in range(5000))]
    # Short bodies keep their real frequency (LUL, F, KEKW recur all the time); a long body enters
    # the pool once, so that a long text repeated by many users (a wave) comes from the injected
    # waves and not from the bot notices that the source chat repeats.
    seen_long = set()
    pool = []
    for s in rechat:
        if len(s) > 40:
            if s in seen_long:
                continue
            seen_long.add(s)
        pool.append(s.replace("\t", " "))
    rechat = pool

    stems = prefixes(4096)
    # Zipf-Mandelbrot activity, P(rank k) ~ 1/(k + q): inverse CDF of the density 1/(x + q)
    q = float(args.zipf_offset)
    L = math.log((args.users + q) / q)
    hot_n = min(HOT, args.users + 1)
    hot_ids = [(k * MUL_NAME) & MASK32 for k in range(hot_n)]
    hot_names = [stems[h & 4095] + str(h >> 12) for h in hot_ids]
    chan_tab = zipf_table(channel_names(args.channels), 1 << 16)
    hot_home = [chan_tab[((h * MUL_HOME) & MASK32) >> 16] for h in hot_ids]

    def name_of(k):
        h = (k * MUL_NAME) & MASK32
        return stems[h & 4095] + str(h >> 12)

    def tail_user():
        return name_of(rng.randint(max(1, args.users // 2), args.users))

    rate = args.rate
    ms_tab = ["%03dZ\t" % (j * 1000 // rate) for j in range(rate)]
    rnd = rng.random
    exp = math.exp
    getrandbits = rng.getrandbits
    scam_acc = 0.0
    waves = {}  # second -> list of (position, channel, user, text)

    out = sys.stdout.buffer
    buf = [HEADER]
    buf_bytes = len(HEADER)
    written = 0
    total_bytes = 0
    second = 0
    try:
        while written < args.messages:
            n = rate  # always a whole second, so that a shorter stream is a prefix of a longer one
            ks = [int(q * (exp(rnd() * L) - 1.0)) + 1 for _ in range(n)]
            users = [hot_names[k] if k < hot_n else name_of(k) for k in ks]
            chans = [hot_home[k] if k < hot_n else chan_tab[((((k * MUL_NAME) & MASK32) * MUL_HOME) & MASK32) >> 16] for k in ks]
            msgs = rng.choices(rechat, k=n)
            for p in rng.sample(range(n), n // 10):  # roaming: any channel
                chans[p] = chan_tab[getrandbits(16)]
            scam_acc += n * args.scam_share
            n_scam = int(scam_acc)
            scam_acc -= n_scam
            for p in rng.sample(range(n), min(n, n_scam)):
                msgs[p] = rng.choice(scam_pool)
                users[p] = tail_user()
            if args.wave_every and second % args.wave_every == 0:
                ch = chan_tab[getrandbits(16)]
                text = rng.choice(scam_pool)
                for _ in range(args.wave_users):
                    at = rng.random() * 60.0
                    waves.setdefault(second + int(at), []).append((int((at % 1.0) * rate), ch, tail_user(), text))
            for p, ch, user, text in waves.pop(second, ()):
                chans[p], users[p], msgs[p] = ch, user, text
            take = min(n, args.messages - written)
            prefix = time.strftime("%Y-%m-%dT%H:%M:%S.", time.gmtime(START_EPOCH + second))
            rows = zip(ms_tab[:take], chans, users, msgs)
            data = "".join([f"{prefix}{m}{c}\t{u}\t{s}\n" for m, c, u, s in rows]).encode("utf-8")
            buf.append(data)
            buf_bytes += len(data)
            if buf_bytes >= 1 << 20:
                out.write(b"".join(buf))
                total_bytes += buf_bytes
                buf, buf_bytes = [], 0
            written += take
            second += 1
        out.write(b"".join(buf))
        total_bytes += buf_bytes
        out.flush()
    except BrokenPipeError:
        # the reader went away (| head, scamscan stopped): a quiet end, as grep
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        except OSError:
            pass
        return 0
    if args.info:
        dt = time.monotonic() - t0
        print(f"chat_stream.py: {written:,} lines, {total_bytes:,} bytes, {dt:.2f} s, "
              f"{written / max(dt, 1e-9):,.0f} lines/s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
