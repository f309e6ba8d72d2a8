#!/usr/bin/env python3
"""Writes the two chat fixtures of the behaviour-signal tests, deterministically.

    python3 Tests/ScamScanTests/Data/make_behaviour_data.py

regenerates, byte for byte,

  rechat-busy.tsv      real, continuous Twitch chat (every message of the busiest continuous
                       stretches of the NLSS rechat VODs), for "ordinary busy chat must not trip
                       the behaviour signals";
  copypasta-waves.tsv  harmless copypasta waves built from the SGDQ 2017 copypasta lines: many
                       users posting the same pasta within a minute in one channel, a few users
                       posting it twice, ordinary chat in between, and five single-user emote
                       bursts ("KEKW KEKW KEKW" 4-6 times in 20 s).

Both are `scamscan chat --input tsv` files: the header `timestamp<TAB>channel<TAB>user<TAB>message`,
then one message per line, timestamps ISO-8601 UTC with milliseconds (`2016-08-16T00:36:09.120Z`),
in time order. Message cleaning: tab, CR, LF and every other control character (Unicode Cc, and
U+2028/U+2029, which some readers take for line ends) becomes a space; white space at both ends is
trimmed (Twitch trims messages too); empty messages are dropped; everything else (emotes, emoji,
any Unicode) is kept as it is.

Sources (read-only; directory from $SCAMSCAN_SHARED_DATA, default /work/shared/data):
  twitch-nlss-rechat/raw/rechat-*.json          MIT, (c) 2017 Andrew Ryan
  twitch-sgdq2017-copypasta/pasta_*.txt         MIT, (c) 2016 dekuNukem
Python 3 standard library only; fixed seed; inputs read in sorted order.

Options: --out-dir DIR (default: this script's directory), --check (write nothing; exit 1 if the
files on disk differ from what would be written).
"""
import argparse
import datetime
import glob
import hashlib
import json
import os
import random
import re
import sys

DATA = os.environ.get("SCAMSCAN_SHARED_DATA", "/work/shared/data")
HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = "timestamp\tchannel\tuser\tmessage"
SEED = 20170702  # SGDQ 2017 started on 2 July 2017

# rechat-busy.tsv budget
BUSY_MAX_MESSAGES = 25_000
BUSY_MAX_BYTES = 1_500_000
STRETCH_GAP_S = 60.0      # a silence longer than this ends a continuous stretch
STRETCH_MIN_MESSAGES = 100

# copypasta-waves.tsv shape
WAVES_MAX_BYTES = 1_000_000
N_TEXT_PASTAS = 44
N_EMOTE_PASTAS = 8
N_ART_PASTAS = 8          # from pasta_unicode_gamesdonequick.txt
CHANNELS = [("gamesdonequick", 6), ("northernlion", 3), ("speedgaming", 2)]
START = datetime.datetime(2017, 7, 2, 17, 0, 0, tzinfo=datetime.timezone.utc)
EMOTE_BURSTS = ["KEKW KEKW KEKW", "LUL", "PogChamp PogChamp", "LULW", "Kreygasm"]
TRAILING_EMOTES = ["Kappa", "LUL", "PogChamp", "4Head", "KEKW", "Kreygasm", "BibleThump", "LULW"]
# Twitch refuses the same message from one user twice within 30 seconds; chat clients get round
# it by appending an invisible suffix: " U+E0000" (older Chatterino, 7TV) or " U+034F" (combining
# grapheme joiner, newer Chatterino). A second post of a pasta within 30 s carries one of them.
DUPLICATE_BYPASS = (" \U000E0000", " \u034f")

# Content that scam rules (not behaviour signals) look at: lines with it are not used, so that a
# flag on these fixtures can only come from behaviour. Links, handles and mentions included.
CONTENT_FILTER = re.compile(
    r"(?i)https?:|://|www\.|\.(?:com|tv|gg|net|org|io|me|ly|xyz)\b|@|#|\bt\.me\b|"
    r"free|gift|giveaway|coin|telegram|whatsapp|discord|\bdm\b|follow|subscribe|\bsub\b|prime|"
    r"promo|password|account|paypal|\$|bitcoin|crypto|nitro|steam|clipboard|ban me|sell|cheap"
)

# ----------------------------------------------------------------------------- cleaning


def clean(s):
    """Control characters to spaces, ends trimmed; everything else kept."""
    out = []
    for ch in s:
        o = ord(ch)
        if o < 0x20 or 0x7F <= o < 0xA0 or o in (0x2028, 0x2029):
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out).strip()


def iso_ms(ms):
    """Epoch milliseconds as ISO-8601 UTC with milliseconds."""
    t = datetime.datetime.fromtimestamp(ms // 1000, tz=datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + ".%03dZ" % (ms % 1000)


def parse_ms(s):
    """ISO-8601 UTC (`2016-11-25T01:36:38.073Z`, any number of fraction digits, or none) to epoch
    milliseconds; the fraction is truncated to milliseconds."""
    m = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z", s)
    if not m:
        raise ValueError("unexpected timestamp " + repr(s))
    t = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    frac = (m.group(2) or "")[:3].ljust(3, "0")
    return int(t.timestamp()) * 1000 + int(frac)


def tsv(rows):
    lines = [HEADER] + ["\t".join((iso_ms(ms), ch, user, msg)) for ms, ch, user, msg in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")

# ----------------------------------------------------------------------------- rechat


def load_rechat():
    """Every comment of every VOD as (ms, file order, channel, user, message), per VOD.

    The time of a comment is its `created_at` (the moment it was posted; about 14.5 s after
    recorded_at + content_offset_seconds in these files, and 9.5 s in one); recorded_at +
    content_offset_seconds is the fallback when created_at is missing."""
    vods = []
    for path in sorted(glob.glob(os.path.join(DATA, "twitch-nlss-rechat/raw/rechat-*.json"))):
        with open(path, encoding="utf-8") as f:
            arr = json.load(f)
        meta = arr[0]
        channel = ((meta.get("channel") or {}).get("name") or "northernlion").lower()
        recorded = parse_ms(meta["recorded_at"]) if meta.get("recorded_at") else None
        rows = []
        for i, c in enumerate(arr[1:]):
            if c.get("created_at"):
                ms = parse_ms(c["created_at"])
            else:
                ms = recorded + int(round(float(c["content_offset_seconds"]) * 1000))
            who = c.get("commenter") or {}
            user = (who.get("name") or who.get("display_name") or "").lower()
            msg = clean((c.get("message") or {}).get("body") or "")
            if user and msg:
                rows.append((ms, i, channel, user, msg))
        rows.sort()
        vods.append((os.path.basename(path), rows))
    return vods


def stretches(vods):
    """Continuous stretches: a VOD's messages split at silences longer than STRETCH_GAP_S."""
    out = []
    for name, rows in vods:
        cur = []
        for r in rows:
            if cur and r[0] - cur[-1][0] > STRETCH_GAP_S * 1000:
                out.append((name, cur))
                cur = []
            cur.append(r)
        if cur:
            out.append((name, cur))
    return [(n, rows) for n, rows in out if len(rows) >= STRETCH_MIN_MESSAGES]


def build_busy(vods):
    """The busiest stretches (messages per minute), as many as fit the budget, in time order."""
    cands = stretches(vods)

    def rate(item):
        rows = item[1]
        return len(rows) / max(1.0, (rows[-1][0] - rows[0][0]) / 60000.0)

    chosen, n, size = [], 0, 0
    for item in sorted(cands, key=lambda it: (-rate(it), it[0])):
        rows = item[1]
        b = len(tsv([(r[0], r[2], r[3], r[4]) for r in rows])) - len(HEADER) - 1
        if n + len(rows) > BUSY_MAX_MESSAGES or size + b > BUSY_MAX_BYTES:
            continue
        chosen.append(item)
        n += len(rows)
        size += b
    rows = sorted(r for _, rs in chosen for r in rs)
    info = [(name, len(rs), iso_ms(rs[0][0]), iso_ms(rs[-1][0]), rate((name, rs))) for name, rs in chosen]
    info.sort(key=lambda x: x[2])
    return [(r[0], r[2], r[3], r[4]) for r in rows], info

# ----------------------------------------------------------------------------- copypasta


def read_lines(name):
    path = os.path.join(DATA, "twitch-sgdq2017-copypasta", name)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    seen, out = set(), []
    for line in text.split("\n"):
        line = clean(line)
        if line and line not in seen:
            seen.add(line)
            out.append(line)
    return out


def words(s):
    return set(re.findall(r"\w+", s.lower()))


def is_emote_token(t):
    # Twitch emotes: CamelCase or prefix+Capital words (Kappa, PogChamp, moon2SMUG, lionFlood)
    return bool(re.fullmatch(r"[A-Za-z0-9]*[a-z0-9][A-Z][A-Za-z0-9]*|[A-Z][a-z]+[A-Z][A-Za-z]*|Kappa|Kreygasm|DansGame|WutFace", t))


def is_emote_spam(s):
    toks = s.split()
    return len(toks) >= 4 and len(set(toks)) <= 3 and any(is_emote_token(t) for t in set(toks))


def pick_distinct(rng, cands, n, chosen):
    """n candidates in random order, each sharing under half its words with every pasta chosen so far."""
    cands = cands[:]
    rng.shuffle(cands)
    picked = []
    for c in cands:
        w = words(c)
        if any(len(w & words(o)) * 2 >= max(1, min(len(w), len(words(o)))) for o in chosen + picked):
            continue
        picked.append(c)
        if len(picked) == n:
            break
    if len(picked) < n:
        sys.exit(f"make_behaviour_data.py: only {len(picked)} distinct pastas, wanted {n}")
    return picked


def choose_pastas(rng):
    text = read_lines("pasta_text_gamesdonequick.txt") + read_lines("pasta_text_nosub.txt")
    art = read_lines("pasta_unicode_gamesdonequick.txt")
    ok = [p for p in dict.fromkeys(text) if 20 <= len(p) <= 400 and not CONTENT_FILTER.search(p)]
    emote = [p for p in ok if is_emote_spam(p)]
    plain = [p for p in ok if not is_emote_spam(p) and len(words(p)) >= 4]
    art_ok = [p for p in art if len(p) <= 500 and not CONTENT_FILTER.search(p)]
    # the emote-and-music-note line ("ResidentSleeper 🎶 🎶 ResidentSleeper ...") always comes along
    first_art = [p for p in art_ok if p.startswith("ResidentSleeper")][:1]
    chosen = list(first_art)
    rest_art = [p for p in art_ok if p not in chosen]
    # art lines repeat one motif with small differences: distinct by their first 12 characters
    by_head = {}
    for p in rest_art:
        by_head.setdefault(p[:12], p)
    chosen += pick_distinct(rng, list(by_head.values()), N_ART_PASTAS - len(chosen), [])
    arts = list(chosen)
    emotes = pick_distinct(rng, emote, N_EMOTE_PASTAS, chosen)
    chosen += emotes
    texts = pick_distinct(rng, plain, N_TEXT_PASTAS, chosen)
    return [("art", p) for p in arts] + [("emote", p) for p in emotes] + [("text", p) for p in texts]


ADJ = ("sleepy salty spicy cosmic lazy tiny grumpy fuzzy silent rusty happy angry chill crispy "
       "frosty sneaky lucky dizzy soggy wild brave mighty noisy clumsy shady sunny stormy "
       "cozy swift quiet fancy goofy wobbly sassy toasty lonely hungry jolly nerdy odd").split()
NOUN = ("otter taco waffle pixel goose noodle badger muffin falcon cactus panda walrus pickle "
        "turtle moose raven lemon biscuit llama gecko pancake donut hamster penguin koala "
        "beaver squid ferret burrito nugget wizard knight pirate robot ghost dragon potato "
        "tomato cookie mango kiwi sloth yeti lobster bagel pretzel toast").split()
GAME = ("speedrun glitch warp frame skip split reset boss combo pog kappa clutch "
        "grind loot quest respawn turbo").split()


def handle_pool(rng, n):
    """Deterministic, plausible lowercase Twitch logins: word+digits, word+word, word_word..."""
    seen, out = set(), []
    while len(out) < n:
        k = rng.random()
        a, b = rng.choice(ADJ), rng.choice(NOUN)
        if k < 0.25:
            h = b + str(rng.randint(1, 9999))
        elif k < 0.45:
            h = a + b
        elif k < 0.55:
            h = a + "_" + b
        elif k < 0.70:
            h = a + b + str(rng.randint(1, 99))
        elif k < 0.78:
            h = rng.choice(GAME) + b + str(rng.choice([1, 7, 21, 64, 69, 99, 420, 1337]))
        elif k < 0.85:
            h = b + "_"
        elif k < 0.90:
            h = "the" + a + b
        elif k < 0.95:
            h = "xx" + b + "xx"
        else:
            h = b + str(rng.randint(1985, 2009))
        if h not in seen and 4 <= len(h) <= 25:
            seen.add(h)
            out.append(h)
    return out


def vary(rng, kind, text):
    """A small variation a real chatter makes: a trailing emote, a doubled word, or a typo."""
    k = rng.random()
    if kind == "art" or k < 0.45:
        return text + " " + rng.choice(TRAILING_EMOTES)
    toks = text.split(" ")
    if k < 0.75:
        i = rng.randrange(len(toks))
        toks.insert(i, toks[i])
        return " ".join(toks)
    long_idx = [i for i, t in enumerate(toks) if len(t) >= 4 and t.isalpha()]
    if not long_idx:
        return text + " " + rng.choice(TRAILING_EMOTES)
    i = rng.choice(long_idx)
    t = toks[i]
    j = rng.randrange(len(t) - 1)
    toks[i] = t[:j] + t[j + 1] + t[j] + t[j + 2:] if rng.random() < 0.6 else t[:j] + t[j + 1:]
    return " ".join(toks)


def ordinary_pool(vods):
    """Real rechat lines (with their real author) for the chat between and inside waves."""
    out = []
    for _, rows in vods:
        for _, _, _, user, msg in rows:
            if len(msg) <= 200 and not CONTENT_FILTER.search(msg) and not is_emote_spam(msg):
                out.append((user, msg))
    return out


def build_waves(vods):
    rng = random.Random(SEED)
    pastas = choose_pastas(rng)
    rng.shuffle(pastas)
    users = handle_pool(rng, 900)
    ordinary = ordinary_pool(vods)
    chan_names = [c for c, _ in CHANNELS]
    chan_weights = [w for _, w in CHANNELS]
    clock = {c: int(START.timestamp() * 1000) for c in chan_names}
    events = []  # (ms, seq, channel, user, message)
    seq = 0
    burst_after = {5, 17, 29, 41, 53}
    stats = {"waves": 0, "wave posts": 0, "second posts": 0, "varied posts": 0, "ordinary": 0,
             "emote bursts": 0, "burst posts": 0, "users per wave": []}

    def add(ms, ch, user, msg):
        nonlocal seq
        events.append((ms, seq, ch, user, msg))
        seq += 1

    def ordinary_lines(ch, t0, span_ms, n):
        for _ in range(n):
            user, msg = rng.choice(ordinary)
            add(t0 + rng.randrange(span_ms), ch, user, msg)
            stats["ordinary"] += 1

    for w, (kind, pasta) in enumerate(pastas):
        ch = rng.choices(chan_names, chan_weights)[0]
        # quiet chat before the wave
        gap = rng.randint(45_000, 120_000) if w in burst_after else rng.randint(20_000, 120_000)
        ordinary_lines(ch, clock[ch], gap, rng.randint(2, 6))
        start = clock[ch] + gap
        if w in burst_after:
            # one user's emote-only burst in the quiet stretch: 4-6 identical short messages in 20 s
            burst_user = users[rng.randrange(len(users))]
            text = EMOTE_BURSTS[len([b for b in burst_after if b < w])]
            n = rng.randint(4, 6)
            t0 = clock[ch] + rng.randrange(max(1, gap - 21_000))
            times = sorted(rng.sample(range(0, 20_000, 250), n))
            for t in times:
                add(t0 + t, ch, burst_user, text)
            stats["emote bursts"] += 1
            stats["burst posts"] += n
        dur = rng.randint(30_000, 60_000)
        k = rng.randint(15, 40)
        posters = rng.sample(users, k)
        firsts = sorted(int(rng.triangular(0, dur, dur * 0.3)) for _ in range(k))
        for user, t in zip(posters, firsts):
            msg = vary(rng, kind, pasta) if rng.random() < 0.15 else pasta
            stats["varied posts"] += msg != pasta
            add(start + t, ch, user, msg)
        # a few users post the pasta a second time within the wave
        early = [(u, t) for u, t in zip(posters, firsts) if t < dur - 5_000]
        for user, t in rng.sample(early, min(len(early), rng.randint(1, max(1, k // 8)))):
            t2 = rng.randint(t + 3_000, dur)
            msg = pasta if t2 - t >= 30_000 else pasta + rng.choice(DUPLICATE_BYPASS)
            add(start + t2, ch, user, msg)
            stats["second posts"] += 1
        ordinary_lines(ch, start, dur, rng.randint(2, 6))
        clock[ch] = start + dur
        stats["waves"] += 1
        stats["wave posts"] += k
        stats["users per wave"].append(k)
    events.sort()
    rows = [(ms, ch, user, msg) for ms, _, ch, user, msg in events]
    return rows, pastas, stats

# ----------------------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out-dir", default=HERE)
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file on disk differs")
    args = ap.parse_args()

    vods = load_rechat()
    if not vods:
        sys.exit("make_behaviour_data.py: no rechat files under " + DATA)
    busy, info = build_busy(vods)
    busy_bytes = tsv(busy)
    waves, pastas, stats = build_waves(vods)
    waves_bytes = tsv(waves)
    if len(busy_bytes) > BUSY_MAX_BYTES:
        sys.exit(f"rechat-busy.tsv would be {len(busy_bytes)} bytes, over {BUSY_MAX_BYTES}")
    if len(waves_bytes) > WAVES_MAX_BYTES:
        sys.exit(f"copypasta-waves.tsv would be {len(waves_bytes)} bytes, over {WAVES_MAX_BYTES}")

    differ = False
    for name, data in (("rechat-busy.tsv", busy_bytes), ("copypasta-waves.tsv", waves_bytes)):
        path = os.path.join(args.out_dir, name)
        if args.check:
            old = open(path, "rb").read() if os.path.exists(path) else b""
            same = old == data
            differ |= not same
            print(f"{name}: {'same' if same else 'DIFFERS'}")
            continue
        with open(path, "wb") as f:
            f.write(data)
        lines = data.count(b"\n") - 1
        print(f"{path}: {len(data):,} bytes, {lines:,} messages, sha256 {hashlib.sha256(data).hexdigest()[:16]}")
    for name, n, first, last, rate in info:
        print(f"  busy stretch {name}: {n:,} messages, {first} .. {last}, {rate:.0f}/min")
    print(f"  waves: {stats['waves']} ({sum(k == 'art' for k, _ in pastas)} art, "
          f"{sum(k == 'emote' for k, _ in pastas)} emote spam, {sum(k == 'text' for k, _ in pastas)} text), "
          f"{stats['wave posts']} first posts ({min(stats['users per wave'])}-{max(stats['users per wave'])} users a wave), "
          f"{stats['second posts']} second posts, {stats['varied posts']} varied, {stats['ordinary']} ordinary lines, "
          f"{stats['emote bursts']} emote bursts ({stats['burst posts']} posts)")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
