#!/usr/bin/env python3
"""Sanity checks for heldout.tsv / plain.tsv; prints counts."""
import collections, re, sys
sys.path.insert(0, ".")
from disguise import SCAM_FAMILIES, HAM_FAMILIES, PROTECT_RE

SCAM = {"coin_generator","reseller","impersonation","giveaway","engagement_fraud","phishing","chargeback"}
HAM = {"question","warning","report","fan","general"}
BAD = set("\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
errs = []
raw = open("heldout.tsv", "rb").read()
assert b"\r" not in raw, "CR found"
text = raw.decode("utf-8")
assert text.endswith("\n")
lines = text[:-1].split("\n")
assert lines[0] == "id\tlabel\tcategory\tdisguise\tbase\ttext", lines[0]
rows = []
for n, ln in enumerate(lines[1:], 1):
    f = ln.split("\t")
    if len(f) != 6: errs.append(f"line {n}: {len(f)} fields"); continue
    i, label, cat, dis, base, t = f
    if int(i) != n: errs.append(f"line {n}: id {i} not running")
    if label not in ("scam", "ham"): errs.append(f"{i}: bad label")
    if (label == "scam") != (cat in SCAM) or cat not in SCAM | HAM: errs.append(f"{i}: bad category {cat}")
    if dis != "none" and dis not in SCAM_FAMILIES: errs.append(f"{i}: bad disguise {dis}")
    if not t.strip() or set(t) & BAD or len(t.splitlines()) != 1: errs.append(f"{i}: bad text")
    rows.append((int(i), label, cat, dis, int(base), t))

plain = {}
for ln in open("plain.tsv", encoding="utf-8").read().rstrip("\n").split("\n")[1:]:
    pid, label, cat, t = ln.split("\t")
    plain[int(pid)] = (label, cat, t)
if len(set(p[2] for p in plain.values())) != len(plain): errs.append("duplicate plain texts")

by_base = collections.defaultdict(list)
for r in rows: by_base[r[4]].append(r)
if set(by_base) != set(plain): errs.append("bases != plain ids")
for b, rs in by_base.items():
    label, cat, pt = plain[b]
    nones = [r for r in rs if r[3] == "none"]
    if len(nones) != 1 or nones[0][5] != pt: errs.append(f"base {b}: none row missing/mismatch")
    want = SCAM_FAMILIES if label == "scam" else HAM_FAMILIES
    fams = sorted(r[3] for r in rs if r[3] != "none")
    if fams != sorted(want): errs.append(f"base {b}: families {fams}")
    for r in rs:
        if r[1] != label or r[2] != cat: errs.append(f"{r[0]}: label/category differs from base")
        if r[3] != "none":
            if r[5] == pt: errs.append(f"{r[0]}: variant identical to plain")
            for m in PROTECT_RE.finditer(pt):
                if m.group() not in r[5]: errs.append(f"{r[0]}: protected token {m.group()!r} altered")
# made-up numbers only
for b, (l, c, t) in plain.items():
    for m in re.finditer(r"\+?\d[\d ()-]{6,}\d", t):
        if not re.fullmatch(r"\+1 555-01\d\d", m.group()): errs.append(f"plain {b}: number {m.group()}")

print("errors:", len(errs)); [print("  ", e) for e in errs[:30]]
print("rows:", len(rows), " plain messages:", len(plain))
C = collections.Counter
print("label (all rows):", dict(C(r[1] for r in rows)))
print("label (plain):", dict(C(v[0] for v in plain.values())))
print("category (plain):", dict(C(v[1] for v in plain.values())))
print("category (all rows):", dict(C(r[2] for r in rows)))
print("disguise x label:", dict(C((r[3], r[1]) for r in rows)))
doms = sorted({m.group() for v in plain.values() for m in PROTECT_RE.finditer(v[2])})
print("protected tokens in plain:", len(doms)); print("  ", " ".join(doms))
sys.exit(1 if errs else 0)
