#!/usr/bin/env python3
"""How well `scamscan chat` sees through disguised text: the corpus's scam lines and
scam-sounding ordinary chat, each rewritten by ten disguise families, scanned message by message.

    python3 Benchmarks/disguise_eval.py
    python3 Benchmarks/disguise_eval.py --families zalgo,spaced --show-misses 5 --show-false 5
    python3 Benchmarks/disguise_eval.py --seed 2 --json > disguise.json

Scams are the lines of Corpus/chat/sample.tsv whose label in sample.labels.tsv is not `ham`
(label row `line` N is line N of sample.tsv, the header being line 1), or one message per line
from --scams FILE. They are the corpus's own labelled lines, which the rules and the text model
have seen, so this measures robustness to disguise, not generalisation to new scam wording.

Near-misses are ordinary messages (Corpus/ordinary: 4th column of *.tsv, whole lines of *.txt,
deduplicated by text) containing one of the words coin(s), free, gift(s), follow(er), giveaway, cheap,
sub(s), prime, link, dm, win, hack, generator (whole words, any case): a seeded sample of 2000,
or all of them when there are fewer.

Every message is its own record: channel `eval`, a distinct user, distinct timestamps, and
`--no-signals`, so repetition, first-contact and wave signals play no part. Each set is batched
into one TSV file per family and scanned with one `scamscan chat --output jsonl --all` run.
Flagged = verdict review or block. smallcaps, superscript and shapealike map lower-case letters
only (upper case is left as it is); diacritics maps both cases. Disguises are deterministic: each message's random choices come
from random.Random("SEED/FAMILY/TEXT").

Per family (and pooled over the families):
  variant recall    share of the scams flagged undisguised that are still flagged disguised (target >= 0.97)
  disguised recall  share of all scams flagged when disguised (target >= 0.95)
  near-miss flagged share of the disguised near-misses flagged (target <= 1/30); the `none` row
                    gives the undisguised rates of the same messages for comparison
"""
import argparse
import concurrent.futures
import glob
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

# --- disguise families -------------------------------------------------------------------------

def _marks(lo, hi):
    return [chr(c) for c in range(lo, hi + 1) if unicodedata.category(chr(c)) in ("Mn", "Me")]

ZALGO_MAIN = [chr(c) for c in range(0x0300, 0x0370)]           # the whole block, U+0345 included
assert "\u0345" in ZALGO_MAIN
ZALGO_EXTRA = _marks(0x1AB0, 0x1AFF) + _marks(0x1DC0, 0x1DFF) + _marks(0x20D0, 0x20FF)

def _mark(rng):
    return rng.choice(ZALGO_EXTRA if rng.random() < 0.2 else ZALGO_MAIN)

def zalgo(text, rng):
    out, start = [], True
    for ch in text:
        if ch.isalpha():
            if start and rng.random() < 0.25:                   # marks before a word's first letter
                out.extend(_mark(rng) for _ in range(rng.randint(1, 2)))
            out.append(ch)
            out.extend(_mark(rng) for _ in range(rng.randint(1, 4)))
        else:
            out.append(ch)
        start = ch.isspace()
    return "".join(out)

def _alphabet(table):
    m = dict(zip("abcdefghijklmnopqrstuvwxyz", table.split()))
    return lambda text, rng: "".join(m.get(c, c) for c in text)          # lower-case letters only

smallcaps = _alphabet("ᴀ ʙ ᴄ ᴅ ᴇ ꜰ ɢ ʜ ɪ ᴊ ᴋ ʟ ᴍ ɴ ᴏ ᴘ ǫ ʀ ꜱ ᴛ ᴜ ᴠ ᴡ x ʏ ᴢ")
superscript = _alphabet("ᵃ ᵇ ᶜ ᵈ ᵉ ᶠ ᵍ ʰ ⁱ ʲ ᵏ ˡ ᵐ ⁿ ᵒ ᵖ q ʳ ˢ ᵗ ᵘ ᵛ ʷ ˣ ʸ ᶻ")
SHAPE = dict(a="α", b="в", c="¢", e="є", f="ƒ", h="н", i="ι", k="к", m="м", n="η", o="σ",
             p="ρ", r="я", s="ѕ", t="т", u="υ", w="ω", x="χ", y="у")

def shapealike(text, rng):
    return "".join(SHAPE.get(c, c) for c in text)

DIACRITIC = {k: v.split() for k, v in dict(
    a="å ä ą ǟ ǻ ấ ặ ǡ", b="ḃ ḅ ḇ", c="č ç ḉ ć", d="ď ḑ ḍ", e="ę ë ě ḗ ệ ễ ḝ", f="ḟ",
    g="ğ ģ ǵ ǧ", h="ĥ ḩ ḧ", i="ï í ḯ ǐ į", j="ĵ ǰ", k="ķ ǩ ḱ", l="ľ ļ ḹ ĺ", m="ḿ ṁ ṃ",
    n="ñ ń ň ņ ṅ", o="ø ö ő ǿ ṍ ộ ȫ ȭ", p="ṕ ṗ", r="ř ŕ ŗ ṝ", s="š ş ṥ ṧ ṩ", t="ť ţ ṭ ṱ",
    u="ů ü ű ǘ ṹ ự ǚ", v="ṽ ṿ", w="ŵ ẅ ẃ", x="ẍ ẋ", y="ÿ ý ỹ ŷ", z="ž ż ẓ ź").items()}

def diacritics(text, rng):
    out = []
    for c in text:
        opts = DIACRITIC.get(c.lower()) if c.isascii() else None
        if not opts:
            out.append(c)
            continue
        d = rng.choice(opts)
        out.append(d.upper() if c.isupper() and len(d.upper()) == 1 else d)
    return "".join(out)

def spaced(text, rng):
    return "  ".join(" ".join(w) for w in text.split())

# URLs, bare domains (also with a path) and @handles, left alone by innersep and dotwords.
PROTECTED = re.compile(r"(?i)^\W*(?:\w+://\S+|www\.\S+|@\w+|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:/\S*)?)\W*$")

def innersep(text, rng):
    def word(m):
        w = m.group(0)
        if len(w) < 4:
            return w
        i = rng.randint(1, len(w) - 1)
        return w[:i] + rng.choice("_.") + w[i:]
    return " ".join(t if PROTECTED.match(t) else re.sub(r"[^\W\d_]+", word, t) for t in text.split())

def dotwords(text, rng):
    out, run = [], []
    for t in text.split():
        if PROTECTED.match(t):
            if run:
                out.append(".".join(run))
            out.append(t)
            run = []
        else:
            run.append(t)
    if run:
        out.append(".".join(run))
    return " ".join(out)

EMOJI = "💰 🔥 😍 ✨ 👉 🎁 💎 🚀 😂 ❤️ 👀 💯 🙏 🤑 ⭐ 🎉 👇 😱 🥳 💸 ✅ 😎".split()

def emoji(text, rng):
    words = text.split()
    i = rng.randint(1, len(words) - 1) if len(words) > 1 else len(words)
    return " ".join(words[:i] + [rng.choice(EMOJI)] + words[i:])

INVISIBLE = ["\u00ad", "\u200b", "\u2060", "\u200c"]

def softhyphen(text, rng):
    def gap(_):
        ch = rng.choice(INVISIBLE)
        r = rng.random()
        return ch if r < 0.7 else (" " + ch if r < 0.85 else ch + " ")
    return re.sub(r" +", gap, " ".join(text.split()))

FAMILIES = dict(zalgo=zalgo, smallcaps=smallcaps, superscript=superscript, shapealike=shapealike,
                diacritics=diacritics, spaced=spaced, innersep=innersep, dotwords=dotwords,
                emoji=emoji, softhyphen=softhyphen)

def disguise(family, texts, seed):
    f = FAMILIES[family]
    return [f(t, random.Random(f"{seed}/{family}/{t}")) for t in texts]

# --- inputs ------------------------------------------------------------------------------------

NEAR = re.compile(r"(?i)\b(?:coins?|free|gifts?|follow(?:er)?|giveaway|cheap|subs?|prime|link|dm|win|hack|generator)\b")

def clean(s):
    return re.sub(r"[\t\r\n]", " ", s)

def load_scams(args):
    if args.scams:
        with open(args.scams, encoding="utf-8") as f:
            return [(str(i), clean(l.rstrip("\n"))) for i, l in enumerate(f, 1) if l.strip()]
    chat = os.path.join(REPO, "Corpus", "chat")
    with open(os.path.join(chat, "sample.tsv"), encoding="utf-8") as f:
        lines = f.read().split("\n")
    with open(os.path.join(chat, "sample.labels.tsv"), encoding="utf-8") as f:
        rows = [l.split("\t") for l in f.read().split("\n")[1:] if l]
    return [("line %s" % r[0], lines[int(r[0]) - 1].split("\t", 3)[3]) for r in rows if r[1] != "ham"]

def load_near_misses(seed, limit=2000):
    seen, out = set(), []
    root = os.path.join(REPO, "Corpus", "ordinary")
    for path in sorted(glob.glob(os.path.join(root, "*.tsv")) + glob.glob(os.path.join(root, "*.txt"))):
        with open(path, encoding="utf-8") as f:
            for i, l in enumerate(f):
                l = l.rstrip("\n")
                if path.endswith(".tsv"):
                    if i == 0:
                        continue
                    parts = l.split("\t", 3)
                    l = parts[3] if len(parts) == 4 else ""
                l = clean(l).strip()
                if l and l not in seen and NEAR.search(l):
                    seen.add(l)
                    out.append(l)
    if len(out) > limit:
        out = [out[i] for i in sorted(random.Random(seed).sample(range(len(out)), limit))]
    return out

# --- running scamscan --------------------------------------------------------------------------

def scan(args, texts):
    """Verdict and score of each text, one scamscan run."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".tsv", delete=False) as f:
        f.write("timestamp\tchannel\tuser\tmessage\n")
        for i, t in enumerate(texts):
            f.write("%s\teval\tevaluser%d\t%s\n" % (time.strftime("%Y-%m-%dT%H:%M:%SZ",
                    time.gmtime(1767225600 + i)), i, t))
        path = f.name
    cmd = [args.scamscan, "chat", "--rules", args.rules, "--input", "tsv", "--output", "jsonl",
           "--all", "--no-signals", "--color", "never", "--progress", "never", path]
    try:
        for attempt in range(10):                       # the binary may be mid-rebuild: wait, retry
            try:
                p = subprocess.run(cmd, capture_output=True, text=True)
                if p.returncode in (0, 1):              # 1 = nothing flagged, not an error
                    break
                why = "rc %d: %s" % (p.returncode, p.stderr.strip()[:200])
            except OSError as e:
                why = str(e)
            print("scamscan failed (%s); retrying in 30 s" % why, file=sys.stderr)
            time.sleep(30)
        else:
            sys.exit("scamscan keeps failing: " + " ".join(cmd))
    finally:
        os.unlink(path)
    res = [None] * len(texts)
    for l in p.stdout.splitlines():
        r = json.loads(l)
        res[r["line"] - 2] = (r["verdict"], r["score"])
    if None in res:
        sys.exit("scamscan wrote %d records for %d lines" % (sum(r is not None for r in res), len(texts)))
    return res

def scamscan_arguments(doc):
    """An argument parser with --scamscan (the release build, else the debug one) and --rules,
    the arguments `scan` reads; `doc` is the script's docstring."""
    ap = argparse.ArgumentParser(description=doc.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    rel = os.path.join(REPO, ".build", "release", "scamscan")
    ap.add_argument("--scamscan", default=rel if os.path.exists(rel) else os.path.join(REPO, ".build", "debug", "scamscan"))
    ap.add_argument("--rules", default=os.path.join(REPO, "Rules"))
    return ap

def flagged(r):
    return r[0] in ("review", "block")

# --- main --------------------------------------------------------------------------------------

def main():
    ap = scamscan_arguments(__doc__)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--families", default=",".join(FAMILIES), help="comma-separated; default all")
    ap.add_argument("--scams", help="one scam message per line, instead of the corpus's scam lines")
    ap.add_argument("--show-misses", type=int, default=0, metavar="N",
                    help="print up to N missed disguised scams per family")
    ap.add_argument("--show-false", type=int, default=0, metavar="N",
                    help="print up to N flagged disguised near-misses per family")
    ap.add_argument("--json", action="store_true", help="write JSON instead of the table")
    args = ap.parse_args()
    fams = [f.strip() for f in args.families.split(",") if f.strip()]
    bad = [f for f in fams if f not in FAMILIES]
    if bad:
        ap.error("unknown families %s (known: %s)" % (", ".join(bad), ", ".join(FAMILIES)))

    scams = load_scams(args)
    scam_texts = [t for _, t in scams]
    near = load_near_misses(args.seed)
    sets = {("none", "scam"): scam_texts, ("none", "near"): near}
    for fam in fams:
        sets[(fam, "scam")] = disguise(fam, scam_texts, args.seed)
        sets[(fam, "near")] = disguise(fam, near, args.seed)
    t0 = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max(1, min(8, os.cpu_count() or 1))) as ex:
        futs = {k: ex.submit(scan, args, v) for k, v in sets.items()}
        res = {k: f.result() for k, f in futs.items()}
    secs = time.perf_counter() - t0

    base = [flagged(r) for r in res[("none", "scam")]]
    base_near = [flagged(r) for r in res[("none", "near")]]
    nb = sum(base)
    rows, pool = [], dict(v=0, d=0, nf=0, n=0, nn=0)

    def row(name, v, d, n, nf, nn):
        return dict(family=name, n=n, variant_flagged=v, variant_of=nb, disguised_flagged=d,
                    variant_recall=v / nb if nb else None, disguised_recall=d / n if n else None,
                    near_miss_n=nn, near_miss_flagged=nf, near_miss_rate=nf / nn if nn else None)

    rows.append(row("none", nb, nb, len(base), sum(base_near), len(near)))
    details = {}
    for fam in fams:
        got = [flagged(r) for r in res[(fam, "scam")]]
        gotn = [flagged(r) for r in res[(fam, "near")]]
        v = sum(g and b for g, b in zip(got, base))
        d, nf = sum(got), sum(gotn)
        rows.append(row(fam, v, d, len(got), nf, len(gotn)))
        pool["v"] += v; pool["d"] += d; pool["n"] += len(got); pool["nf"] += nf; pool["nn"] += len(gotn)
        misses = [i for i, (g, b) in enumerate(zip(got, base)) if b and not g] + \
                 [i for i, (g, b) in enumerate(zip(got, base)) if not b and not g]
        falses = [i for i, g in enumerate(gotn) if g]
        details[fam] = dict(
            misses=[dict(id=scams[i][0], flagged_undisguised=base[i], original=scam_texts[i],
                         disguised=sets[(fam, "scam")][i], verdict=res[(fam, "scam")][i][0],
                         score=res[(fam, "scam")][i][1]) for i in misses],
            false_alarms=[dict(original=near[i], disguised=sets[(fam, "near")][i],
                               flagged_undisguised=base_near[i], verdict=res[(fam, "near")][i][0],
                               score=res[(fam, "near")][i][1]) for i in falses])
    if fams:
        allv = nb * len(fams)
        r = row("all", pool["v"], pool["d"], pool["n"], pool["nf"], pool["nn"])
        r.update(variant_of=allv, variant_recall=pool["v"] / allv if allv else None)
        rows.append(r)

    if args.json:
        json.dump(dict(scamscan=args.scamscan, rules=args.rules, seed=args.seed, seconds=round(secs, 2),
                       scams=len(scam_texts), near_misses=len(near), rows=rows,
                       targets=dict(variant_recall=0.97, disguised_recall=0.95, near_miss_rate=1 / 30),
                       details={f: dict(misses=d["misses"][:args.show_misses],
                                        false_alarms=d["false_alarms"][:args.show_false])
                                for f, d in details.items()}),
                  sys.stdout, ensure_ascii=False, indent=1)
        print()
        return

    pct = lambda x: "   -  " if x is None else "%6.3f" % x
    print("scamscan %s, rules %s, seed %d: %d scams (%d flagged undisguised), %d near-misses; %.1f s"
          % (args.scamscan, args.rules, args.seed, len(scam_texts), nb, len(near), secs))
    print()
    print("%-12s %5s  %-18s  %-18s  %-20s" % ("family", "n", "variant recall", "disguised recall", "near-miss flagged"))
    for r in rows:
        if r["family"] == "all":
            print("-" * 80)
        print("%-12s %5d  %s %-11s  %s %-11s  %s %-13s" % (
            r["family"], r["n"], pct(r["variant_recall"]), "(%d/%d)" % (r["variant_flagged"], r["variant_of"]),
            pct(r["disguised_recall"]), "(%d/%d)" % (r["disguised_flagged"], r["n"]),
            pct(r["near_miss_rate"]), "(%d/%d)" % (r["near_miss_flagged"], r["near_miss_n"])))
    print()
    print("targets: variant recall >= 0.97, disguised recall >= 0.95, near-miss flagged <= 0.033;"
          " `none` = undisguised")
    for fam, d in details.items():
        if args.show_misses and d["misses"]:
            print("\n%s: missed disguised scams (%d; first those flagged undisguised)" % (fam, len(d["misses"])))
            for m in d["misses"][:args.show_misses]:
                print("  %s%s %s %.2f  %r" % (m["id"], "" if m["flagged_undisguised"] else " (missed plain too)",
                                              m["verdict"], m["score"], m["disguised"]))
        if args.show_false and d["false_alarms"]:
            print("\n%s: flagged disguised near-misses (%d)" % (fam, len(d["false_alarms"])))
            for m in d["false_alarms"][:args.show_false]:
                print("  %s %.2f%s  %r" % (m["verdict"], m["score"], " (flagged plain too)" if m["flagged_undisguised"] else "",
                                           m["disguised"]))

if __name__ == "__main__":
    main()
