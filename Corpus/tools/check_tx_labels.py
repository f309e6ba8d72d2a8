#!/usr/bin/env python3
"""Independent checker for generated transaction exports and their labels.

Replays the rules of the `scamscan tx` spec in plain Python over a CSV with the canonical
header, row by row in file order (a row sees only itself and the rows before it), and
compares what fires with the labels TSV written by gen_transactions.py:

- labelled rows (expected = rule ids): every listed rule must fire (else "missing"), and
  any other rule that fires on them is reported as "extra";
- rows labelled `-` (honest look-alikes): no rule may fire;
- unlabelled rows: no rule may fire. A fire there is reported as "in a pattern" when the
  row's account also has labelled rows, else as "background".

    python3 Corpus/tools/check_tx_labels.py Corpus/transactions/sample.csv \
        Corpus/transactions/sample.labels.tsv --window both

Windows: "within the last W" is t_now - t_row <= W with --window inclusive, < W with
--window exclusive; --window both runs the two and also reports rows whose outcome
differs (labels must not depend on that choice). Exit status 1 on any disagreement.

Interpretations used (documented in Corpus/transactions/README.md):
- amounts are compared in integer cents of the `amount` column (USD);
- an account is first seen at its first row in the `account` column;
- rule 1: gifts "after P" are gift rows after P's row, up to and including R's time;
- rule 5: "the coins A purchased" = coins of A's purchases up to the gift row;
- rule 6: funding values are the instrument, device and ip of an account's latest
  purchase (as of the gift row); every counted account must be fresh at the gift's time;
- rule 7: a gift is "charged back" once its gifter has a refund/chargeback row within 30
  days after it; a creator's charged-back coins and all its coins are summed over its
  gifts received in the 30 days up to the refund/chargeback row;
- rule 8: risky accounts are those with a refund/chargeback row, or a row scoring >= 4,
  before the redeem row; the gifts counted are those received in the 24h up to the redeem;
- condition rules count the current row; empty keys (no ip/device/instrument) never group;
- scores: rule 1:8, 2:6, 3:4, 4:3, 5:5, 6:6, 7:5, 8:5, velocity.account-purchases and
  velocity.instrument-spend 4, velocity.ip-accounts and velocity.device-accounts 3,
  chargeback.big-first-purchase 2 (override with --score RULE=N).
"""

import argparse
import csv
import sys
from bisect import bisect_left, bisect_right
from collections import deque
from datetime import datetime

MIN, HOUR, DAY = 60, 3600, 86400

R_GTC = "chargeback.gift-then-chargeback"
R_CT = "card_testing.burst"
R_MI = "account_sharing.many-instruments"
R_SI = "account_sharing.shared-instrument"
R_NABG = "laundering.new-account-big-gift"
R_RES = "reseller.shared-funding"
R_CC = "laundering.creator-chargebacks"
R_QR = "laundering.quick-redeem"
R_VAP = "velocity.account-purchases"
R_VIS = "velocity.instrument-spend"
R_VIP = "velocity.ip-accounts"
R_VDA = "velocity.device-accounts"
R_BFP = "chargeback.big-first-purchase"
RULES = [R_GTC, R_CT, R_MI, R_SI, R_NABG, R_RES, R_CC, R_QR, R_VAP, R_VIS, R_VIP, R_VDA,
         R_BFP]
SCORES = {R_GTC: 8, R_CT: 6, R_MI: 4, R_SI: 3, R_NABG: 5, R_RES: 6, R_CC: 5, R_QR: 5,
          R_VAP: 4, R_VIS: 4, R_VIP: 3, R_VDA: 3, R_BFP: 2}


def parse_ts(s, cache={}):
    v = cache.get(s)
    if v is not None:
        return v
    t = s.strip()
    if t.isdigit():
        v = int(t)
        if v > 10 ** 11:  # epoch milliseconds
            v //= 1000
    else:
        if t.endswith("Z"):
            t = t[:-1] + "+00:00"
        v = int(datetime.fromisoformat(t).timestamp())
    if len(cache) > 200000:
        cache.clear()
    cache[s] = v
    return v


def to_cents(s):
    s = s.strip()
    if not s:
        return None
    neg = s.startswith("-")
    if neg:
        s = s[1:]
    whole, _, frac = s.partition(".")
    frac = (frac + "00")[:2]
    v = int(whole or "0") * 100 + int(frac)
    return -v if neg else v


class WinDistinct:
    """Values seen under one key within a time window, with counts (distinct values)."""
    __slots__ = ("q", "cnt")

    def __init__(self):
        self.q = deque()
        self.cnt = {}

    def add_and_count(self, t, val, inside):
        q, cnt = self.q, self.cnt
        while q and not inside(t - q[0][0]):
            _, old = q.popleft()
            c = cnt[old] - 1
            if c:
                cnt[old] = c
            else:
                del cnt[old]
        q.append((t, val))
        cnt[val] = cnt.get(val, 0) + 1
        return len(cnt)


def replay(csv_path, window_mode, scores):
    """Returns (list of (id, account, set of fired rules)), problems list)."""
    if window_mode == "inclusive":
        def within(d, w):
            return d <= w
    else:
        def within(d, w):
            return d < w
    in10m = lambda d: within(d, 10 * MIN)  # noqa: E731
    in1h = lambda d: within(d, HOUR)  # noqa: E731
    in24h = lambda d: within(d, DAY)  # noqa: E731

    problems = []
    results = []
    first_seen = {}
    purchases = {}            # id -> (account, t, coins, row index)
    last_purchase = {}        # account -> purchase id
    gifts_by_acc = {}         # account -> [idx list, t list, coins list, rcp list, cum]
    test_acc, test_inst = {}, {}          # key -> deque of t
    instr_by_acc, acc_by_instr = {}, {}   # WinDistinct (24h), purchase/decline rows
    fd_amount, fd_coins = {}, {}          # account -> purchases' cents / coins
    gifts_first_day = {}                  # (account, recipient) -> coins
    funding = {}              # account -> (inst, dev, ip) of its latest purchase
    holders = {}              # (kind, value) -> {account: True}
    last_gift_to = {}         # recipient -> {account: time of latest gift}
    cre_t, cre_c, cre_a, cre_cum = {}, {}, {}, {}  # recipient -> gifts received
    charged = {}              # recipient -> list of (t, coins) of charged-back gifts
    charged_marks = set()     # (account, gift number) already counted as charged back
    risky = set()
    vap, vis, vis_sum = {}, {}, {}
    ipw, devw = {}, {}
    seen_ids = set()
    prev_t = None

    with open(csv_path, newline="", encoding="utf-8") as f:
        rd = csv.reader(f)
        header = next(rd)
        need = ["id", "timestamp", "account", "type", "coins", "amount", "currency",
                "payment_method", "instrument", "country", "ip", "device", "recipient",
                "related_id"]
        if header != need:
            problems.append("header is %r, expected the canonical header" % header)
            ix = {h: i for i, h in enumerate(header)}
        else:
            ix = {h: i for i, h in enumerate(need)}
        I_ID, I_TS, I_ACC, I_TYP, I_COINS, I_AMT = (ix["id"], ix["timestamp"],
                                                     ix["account"], ix["type"],
                                                     ix["coins"], ix["amount"])
        I_INST, I_IP, I_DEV, I_RCP, I_REL = (ix["instrument"], ix["ip"], ix["device"],
                                             ix["recipient"], ix["related_id"])
        for idx, rec in enumerate(rd):
            if len(rec) != len(header):
                problems.append("row %d has %d fields" % (idx + 2, len(rec)))
                continue
            rid = rec[I_ID]
            if rid in seen_ids:
                problems.append("duplicate id %s" % rid)
            seen_ids.add(rid)
            t = parse_ts(rec[I_TS])
            if prev_t is not None and t < prev_t:
                problems.append("%s: timestamp goes backwards" % rid)
            prev_t = t
            A = rec[I_ACC]
            typ = rec[I_TYP]
            coins = int(rec[I_COINS]) if rec[I_COINS] else 0
            cents = to_cents(rec[I_AMT])
            inst, ip, dev, rcp = rec[I_INST], rec[I_IP], rec[I_DEV], rec[I_RCP]
            if A not in first_seen:
                first_seen[A] = t
            age = t - first_seen[A]
            fired = []

            # --- state updates that the row itself counts in
            if typ == "purchase":
                purchases[rid] = (A, t, coins, idx)
                last_purchase[A] = rid
                fd_amount[A] = fd_amount.get(A, 0) + (cents or 0)
                fd_coins[A] = fd_coins.get(A, 0) + coins
                old = funding.get(A)
                new = (inst, dev, ip)
                if old != new:
                    for kind in range(3):
                        if old is not None and old[kind]:
                            holders[(kind, old[kind])].pop(A, None)
                        if new[kind]:
                            holders.setdefault((kind, new[kind]), {})[A] = True
                    funding[A] = new
            if typ == "gift":
                g = gifts_by_acc.get(A)
                if g is None:
                    g = gifts_by_acc[A] = [[], [], [], [], []]
                g[0].append(idx)
                g[1].append(t)
                g[2].append(coins)
                g[3].append(rcp)
                g[4].append((g[4][-1] if g[4] else 0) + coins)
                if rcp:
                    last_gift_to.setdefault(rcp, {})[A] = t
                    if rcp not in cre_t:
                        cre_t[rcp], cre_c[rcp], cre_a[rcp], cre_cum[rcp] = [], [], [], []
                    cre_t[rcp].append(t)
                    cre_c[rcp].append(coins)
                    cre_a[rcp].append(A)
                    cc = cre_cum[rcp]
                    cc.append((cc[-1] if cc else 0) + coins)
                if age < DAY:
                    k = (A, rcp)
                    gifts_first_day[k] = gifts_first_day.get(k, 0) + coins

            # --- rule 1 and rule 7: refund / chargeback
            if typ in ("refund", "chargeback"):
                rel = rec[I_REL]
                P = None
                if rel:
                    P = purchases.get(rel)
                    if P is not None and P[0] != A:
                        P = None
                else:
                    pid = last_purchase.get(A)
                    P = purchases.get(pid) if pid else None
                if P is not None and 0 <= t - P[1] <= 30 * DAY:
                    g = gifts_by_acc.get(A)
                    after = 0
                    if g:
                        j = bisect_right(g[0], P[3])
                        if j < len(g[0]):
                            after = g[4][-1] - (g[4][j - 1] if j > 0 else 0)
                    if after * 5 >= P[2] * 4 and P[2] > 0:
                        fired.append(R_GTC)
                g = gifts_by_acc.get(A)
                hit = False
                if g:
                    rcps = []
                    for j in range(len(g[1]) - 1, -1, -1):
                        if not within(t - g[1][j], 30 * DAY):
                            break
                        key = (A, j)
                        if key not in charged_marks:
                            charged_marks.add(key)
                            charged.setdefault(g[3][j], []).append((g[1][j], g[2][j]))
                        if g[3][j] not in rcps:
                            rcps.append(g[3][j])
                    for C in rcps:
                        ch = sum(c for (tg, c) in charged.get(C, ())
                                 if within(t - tg, 30 * DAY))
                        ts, cum = cre_t[C], cre_cum[C]
                        lo = 0
                        while True:  # first gift inside the window
                            lo = bisect_left(ts, t - 30 * DAY, lo)
                            if lo < len(ts) and not within(t - ts[lo], 30 * DAY):
                                lo += 1
                                continue
                            break
                        tot = cum[-1] - (cum[lo - 1] if lo > 0 else 0)
                        if ch >= 1000 and ch * 2 >= tot:
                            hit = True
                            break
                if hit:
                    fired.append(R_CC)

            # --- rule 2: card testing
            if typ == "decline" or (typ == "purchase" and cents is not None and cents <= 200):
                n_acc = n_inst = 0
                for store, key in ((test_acc, A), (test_inst, inst)):
                    if not key:
                        continue
                    q = store.get(key)
                    if q is None:
                        q = store[key] = deque()
                    while q and not in10m(t - q[0]):
                        q.popleft()
                    q.append(t)
                    if store is test_acc:
                        n_acc = len(q)
                    else:
                        n_inst = len(q)
                if n_acc >= 5 or n_inst >= 5:
                    fired.append(R_CT)

            # --- rules 3 and 4
            if typ in ("purchase", "decline") and inst:
                w = instr_by_acc.get(A)
                if w is None:
                    w = instr_by_acc[A] = WinDistinct()
                if w.add_and_count(t, inst, in24h) >= 4:
                    fired.append(R_MI)
                w = acc_by_instr.get(inst)
                if w is None:
                    w = acc_by_instr[inst] = WinDistinct()
                if w.add_and_count(t, A, in24h) >= 4:
                    fired.append(R_SI)

            # --- rules 5 and 6: gifts
            if typ == "gift":
                if age < DAY and fd_amount.get(A, 0) >= 10000:
                    bought = fd_coins.get(A, 0)
                    if bought > 0 and gifts_first_day.get((A, rcp), 0) * 5 >= bought * 4:
                        fired.append(R_NABG)
                if age < 7 * DAY and A in funding and rcp:
                    lg = last_gift_to.get(rcp, {})
                    for kind in range(3):
                        v = funding[A][kind]
                        if not v:
                            continue
                        n = 0
                        for B in holders.get((kind, v), {}):
                            if t - first_seen[B] < 7 * DAY and B in lg \
                                    and within(t - lg[B], 7 * DAY):
                                n += 1
                        if n >= 4:
                            fired.append(R_RES)
                            break

            # --- rule 8
            if typ == "redeem" and A in cre_t:
                ts, cs, accs = cre_t[A], cre_c[A], cre_a[A]
                j = bisect_left(ts, t - DAY)
                s = 0
                for k in range(j, len(ts)):
                    if ts[k] <= t and within(t - ts[k], DAY) and accs[k] in risky:
                        s += cs[k]
                if s >= 500:
                    fired.append(R_QR)

            # --- condition rules
            if typ == "purchase":
                q = vap.get(A)
                if q is None:
                    q = vap[A] = deque()
                while q and not in1h(t - q[0]):
                    q.popleft()
                q.append(t)
                if len(q) >= 10:
                    fired.append(R_VAP)
                if inst:
                    q = vis.get(inst)
                    if q is None:
                        q = vis[inst] = deque()
                        vis_sum[inst] = 0
                    while q and not in24h(t - q[0][0]):
                        vis_sum[inst] -= q.popleft()[1]
                    q.append((t, cents or 0))
                    vis_sum[inst] += cents or 0
                    if vis_sum[inst] >= 100000:
                        fired.append(R_VIS)
                if cents is not None and cents >= 20000 and age < HOUR:
                    fired.append(R_BFP)
            if ip:
                w = ipw.get(ip)
                if w is None:
                    w = ipw[ip] = WinDistinct()
                if w.add_and_count(t, A, in1h) >= 8:
                    fired.append(R_VIP)
            if dev:
                w = devw.get(dev)
                if w is None:
                    w = devw[dev] = WinDistinct()
                if w.add_and_count(t, A, in24h) >= 5:
                    fired.append(R_VDA)

            # --- risk state after the row
            if typ in ("refund", "chargeback"):
                risky.add(A)
            if fired and sum(scores[r] for r in set(fired)) >= 4:
                risky.add(A)
            results.append((rid, A, frozenset(fired)))
            if typ in ("refund", "chargeback") and rec[I_REL] and rec[I_REL] not in purchases:
                problems.append("%s: related_id %s is not an earlier purchase"
                                % (rid, rec[I_REL]))
    return results, problems


def load_labels(path):
    labels = {}
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        if header != ["id", "expected", "note"]:
            raise SystemExit("labels: unexpected header %r" % header)
        for line in f:
            rid, exp, note = line.rstrip("\n").split("\t")
            if exp == "-":
                labels[rid] = (None, note)
            else:
                rules = exp.split(",")
                for r in rules:
                    if r not in SCORES:
                        raise SystemExit("labels: unknown rule %r for %s" % (r, rid))
                labels[rid] = (frozenset(rules), note)
    return labels


def compare(results, labels, examples):
    per_rule = {r: {"labelled": 0, "ok": 0, "missing": [], "extra": [], "on_dash": [],
                    "unlab_pattern": [], "unlab_background": []} for r in RULES}
    pattern_accounts = {}
    ids = set()
    for rid, A, fired in results:
        ids.add(rid)
        lab = labels.get(rid)
        if lab is not None:
            pattern_accounts.setdefault(A, lab[1])
    for rid, A, fired in results:
        lab = labels.get(rid)
        if lab is None:
            for r in fired:
                key = "unlab_pattern" if A in pattern_accounts else "unlab_background"
                per_rule[r][key].append((rid, pattern_accounts.get(A, "")))
        elif lab[0] is None:
            for r in fired:
                per_rule[r]["on_dash"].append((rid, lab[1]))
        else:
            for r in lab[0]:
                per_rule[r]["labelled"] += 1
                if r in fired:
                    per_rule[r]["ok"] += 1
                else:
                    per_rule[r]["missing"].append((rid, lab[1]))
            for r in fired - lab[0]:
                per_rule[r]["extra"].append((rid, lab[1]))
    unknown = [rid for rid in labels if rid not in ids]
    return per_rule, unknown


def report(per_rule, unknown, labels, results, examples, title):
    out = []
    bad = 0
    out.append("== %s" % title)
    out.append("%-36s %9s %7s %7s %7s %7s %9s %9s"
               % ("rule", "labelled", "fired", "missing", "extra", "on '-'",
                  "unlab-pat", "backgrnd"))
    for r in RULES:
        d = per_rule[r]
        nbad = (len(d["missing"]) + len(d["extra"]) + len(d["on_dash"])
                + len(d["unlab_pattern"]) + len(d["unlab_background"]))
        bad += nbad
        out.append("%-36s %9d %7d %7d %7d %7d %9d %9d"
                   % (r, d["labelled"], d["ok"], len(d["missing"]), len(d["extra"]),
                      len(d["on_dash"]), len(d["unlab_pattern"]),
                      len(d["unlab_background"])))
    for r in RULES:
        d = per_rule[r]
        for key in ("missing", "extra", "on_dash", "unlab_pattern", "unlab_background"):
            for rid, note in d[key][:examples]:
                out.append("  %s %s: %s %s" % (r, key, rid, note))
    if unknown:
        bad += len(unknown)
        out.append("  labels for ids not in the CSV: %d (e.g. %s)" % (len(unknown),
                                                                    unknown[:3]))
    dash = sum(1 for v in labels.values() if v[0] is None)
    inst = sorted({v[1].split(":")[0] for v in labels.values()})
    kinds = {}
    for i in inst:
        k = i.split(" #")[0]
        kinds[k] = kinds.get(k, 0) + 1
    out.append("rows %d, labelled %d (%d with rule ids, %d '-'), instances per kind: %s"
               % (len(results), len(labels), len(labels) - dash, dash,
                  ", ".join("%s %d" % kv for kv in sorted(kinds.items()))))
    out.append("disagreements: %d" % bad)
    return "\n".join(out), bad


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("csv")
    ap.add_argument("labels", nargs="?", help="labels TSV (omit: every fire is reported)")
    ap.add_argument("--window", choices=["inclusive", "exclusive", "both"],
                    default="inclusive")
    ap.add_argument("--examples", type=int, default=5, help="examples listed per problem")
    ap.add_argument("--score", action="append", default=[],
                    help="override a rule's score, e.g. velocity.ip-accounts=4")
    args = ap.parse_args(argv)
    scores = dict(SCORES)
    for s in args.score:
        k, _, v = s.partition("=")
        if k not in scores:
            ap.error("unknown rule %s" % k)
        scores[k] = int(v)
    labels = load_labels(args.labels) if args.labels else {}
    modes = ["inclusive", "exclusive"] if args.window == "both" else [args.window]
    total_bad = 0
    fired_by_mode = []
    for mode in modes:
        results, problems = replay(args.csv, mode, scores)
        per_rule, unknown = compare(results, labels, args.examples)
        text, bad = report(per_rule, unknown, labels, results, args.examples,
                           "%s (windows %s)" % (args.csv, mode))
        print(text)
        for p in problems[: args.examples]:
            print("  format problem: %s" % p)
        if problems:
            print("format problems: %d" % len(problems))
        total_bad += bad + len(problems)
        fired_by_mode.append(results)
    if len(fired_by_mode) == 2:
        diff = [a[0] for a, b in zip(*fired_by_mode) if a[2] != b[2]]
        print("rows whose fired rules differ between inclusive and exclusive windows: %d%s"
              % (len(diff), (" (e.g. %s)" % diff[:5]) if diff else ""))
        total_bad += len(diff)
    return 1 if total_bad else 0


if __name__ == "__main__":
    sys.exit(main())
