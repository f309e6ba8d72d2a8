#!/usr/bin/env python3
"""Detection on the held-out set (Corpus/heldout): scams and near-miss ordinary chat written
apart from the project, plain and disguised, scanned with `scamscan chat --no-signals`.

    python3 Benchmarks/heldout_eval.py                    # the table, both halves and all
    python3 Benchmarks/heldout_eval.py --show-misses 10   # missed plain scams of the dev half
    python3 Benchmarks/heldout_eval.py --json

The set was written by a writer who saw neither the rules nor the corpus (Corpus/heldout/README.md).
Each plain message (`base`) and its variants fall in one half: `dev` for an odd base, `test` for
an even one. Misses may be looked at (`--show-misses` prints only dev ones) to find a family of
phrasing to cover; `test` stays unread, and its figures are the held-out ones. Once a rule is
written against a dev miss, quote dev figures as in-sample.

Per half and disguise family:
  scam flagged      share of scam rows flagged (review or block) (issue targets: >= 0.95 disguised)
  variant recall    share of scams flagged plain that are still flagged disguised (>= 0.97)
  ham flagged       share of near-miss ham rows flagged (<= 1/30)
Per category: the plain scams flagged, and the plain ham flagged.
"""
import collections
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from disguise_eval import flagged, scamscan_arguments, scan  # noqa: E402  (one way of running scamscan for both)


def load(path):
    if not os.path.isfile(path):
        sys.exit("%s: no such file; pass the held-out set with --set (Corpus/heldout/heldout.tsv)" % path)
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        if header != ["id", "label", "category", "disguise", "base", "text"]:
            sys.exit("%s:1: unexpected header %r (want id, label, category, disguise, base, text)" % (path, header))
        rows = []
        for n, line in enumerate(f, 2):
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 6:
                sys.exit("%s:%d: %d fields, want 6" % (path, n, len(parts)))
            rid, label, cat, dis, base, text = parts
            rows.append(dict(id=int(rid), label=label, category=cat, disguise=dis, base=int(base), text=text,
                             half="dev" if int(base) % 2 else "test"))
    return rows


def main():
    ap = scamscan_arguments(__doc__)
    ap.add_argument("--set", default=os.path.join(REPO, "Corpus", "heldout", "heldout.tsv"))
    ap.add_argument("--show-misses", type=int, default=0, metavar="N", help="print up to N missed plain dev scams")
    ap.add_argument("--show-false", type=int, default=0, metavar="N", help="print up to N flagged dev ham rows")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    rows = load(args.set)
    for r, v in zip(rows, scan(args, [r["text"] for r in rows])):
        r["verdict"], r["score"] = v
        r["flagged"] = flagged(v)
    plain = {(r["base"]): r["flagged"] for r in rows if r["disguise"] == "none"}

    table = []
    for half in ("dev", "test", "all"):
        mine = [r for r in rows if half == "all" or r["half"] == half]
        fams = ["none"] + sorted({r["disguise"] for r in mine} - {"none"}) + ["disguised"]
        for fam in fams:
            sel = [r for r in mine if (r["disguise"] != "none" if fam == "disguised" else r["disguise"] == fam)]
            scams = [r for r in sel if r["label"] == "scam"]
            hams = [r for r in sel if r["label"] == "ham"]
            of = [r for r in scams if plain[r["base"]]]
            table.append(dict(half=half, disguise=fam, scams=len(scams), scam_flagged=sum(r["flagged"] for r in scams),
                              variant_of=len(of), variant_flagged=sum(r["flagged"] for r in of),
                              ham=len(hams), ham_flagged=sum(r["flagged"] for r in hams)))
    cats = collections.defaultdict(lambda: [0, 0])
    for r in rows:
        if r["disguise"] == "none":
            c = cats[(r["half"], r["label"], r["category"])]
            c[0] += r["flagged"]; c[1] += 1

    if args.json:
        json.dump(dict(scamscan=args.scamscan, rules=args.rules, rows=table,
                       categories=[dict(half=h, label=l, category=c, flagged=v[0], n=v[1])
                                   for (h, l, c), v in sorted(cats.items())]), sys.stdout, indent=1)
        print()
        return
    ratio = lambda a, b: "   -  " if not b else "%6.3f" % (a / b)
    print("scamscan %s, rules %s, set %s (%d rows)" % (args.scamscan, args.rules, args.set, len(rows)))
    print("\n%-5s %-12s %-20s %-20s %-18s" % ("half", "disguise", "scam flagged", "variant recall", "ham flagged"))
    for t in table:
        print("%-5s %-12s %s %-13s %s %-13s %s %-11s" % (
            t["half"], t["disguise"], ratio(t["scam_flagged"], t["scams"]), "(%d/%d)" % (t["scam_flagged"], t["scams"]),
            ratio(t["variant_flagged"], t["variant_of"]) if t["disguise"] != "none" else "   -  ",
            "(%d/%d)" % (t["variant_flagged"], t["variant_of"]) if t["disguise"] != "none" else "",
            ratio(t["ham_flagged"], t["ham"]), "(%d/%d)" % (t["ham_flagged"], t["ham"])))
    print("\nplain messages by category (flagged/n): dev | test")
    for label in ("scam", "ham"):
        for c in sorted({k[2] for k in cats if k[1] == label}):
            d, t = cats[("dev", label, c)], cats[("test", label, c)]
            print("  %-4s %-17s %2d/%-2d | %2d/%-2d" % (label, c, d[0], d[1], t[0], t[1]))
    dev = [r for r in rows if r["half"] == "dev" and r["disguise"] == "none"]
    if args.show_misses:
        print("\nmissed plain dev scams:")
        for r in [r for r in dev if r["label"] == "scam" and not r["flagged"]][:args.show_misses]:
            print("  %s %s: %s" % (r["base"], r["category"], r["text"]))
    if args.show_false:
        print("\nflagged dev ham rows:")
        for r in [r for r in rows if r["half"] == "dev" and r["label"] == "ham" and r["flagged"]][:args.show_false]:
            print("  %s %s %s %s: %s" % (r["base"], r["disguise"], r["verdict"], r["category"], r["text"]))


if __name__ == "__main__":
    main()
