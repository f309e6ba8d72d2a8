#!/usr/bin/env python3
"""Deterministic generator of labelled live-stream transaction exports for `scamscan tx`.

Writes a CSV (RFC 4180) or JSON Lines export of coin purchases, gifts to creators,
refunds, chargebacks, creator redeems and declined payments, in non-decreasing time
order, with fraud patterns injected and labelled (see Corpus/transactions/README.md and
the shared spec for the rule semantics).

    python3 Corpus/tools/gen_transactions.py --rows 3000 --seed 1 --inject-every 50 \
        --out Corpus/transactions/sample.csv --labels Corpus/transactions/sample.labels.tsv

Design
- Background (honest) traffic: accounts arrive at random; each one is a small Python
  generator that yields its rows in time order (purchases, then gifts spread over days,
  sometimes a decline, a second card or an honest refund). Families share a card, a device
  and an ip. Creators redeem periodically. Everything is kept well inside every rule's
  threshold with margins, so the background never makes a rule fire.
- Injected patterns are planned whole when they start (all rows and times known), with
  fresh accounts, instruments, devices, ips and creators, so instances never interact with
  each other or with the background. Their labels are decided while planning.
- A heap of scheduled rows (time, sequence) merges all sources; rows are written as they
  are popped, so memory stays bounded by the number of live accounts, not by --rows.
- Only Python's `random.Random(seed).random()` is used for randomness, and no set or
  hash order reaches the output, so the files are byte-identical on re-runs.

Amounts: `amount` is the settled USD amount (the export header calls it `usd_amount`);
`currency` is the buyer's presentment currency, and non-USD prices are converted at fixed
rates (EUR 1.08, GBP 1.27, BRL 0.20, IDR 0.000063), so a GBP 79.99 pack settles at 101.59.
"""

import argparse
import heapq
import itertools
import json
import math
import random
import sys
import time
from bisect import bisect_right

MIN = 60
HOUR = 3600
DAY = 86400

# ---------------------------------------------------------------------------------------
# Rule ids, in the spec's order (labels list them in this order).
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
RULES = [R_GTC, R_CT, R_MI, R_SI, R_NABG, R_RES, R_CC, R_QR, R_VAP, R_VIS, R_VIP, R_VDA, R_BFP]
RULE_ORDER = {r: i for i, r in enumerate(RULES)}

CANON_HEADER = ["id", "timestamp", "account", "type", "coins", "amount", "currency",
                "payment_method", "instrument", "country", "ip", "device", "recipient",
                "related_id"]
EXPORT_HEADER = ["txn_id", "created_at", "user_id", "event_type", "coin_amount",
                 "usd_amount", "currency", "pay_method", "card_fingerprint", "country_code",
                 "ip_address", "device_id", "creator_id", "original_txn_id"]

# Row fields (rows are plain lists, for speed).
F_T, F_ACC, F_TYP, F_COINS, F_AMT, F_CUR, F_PM, F_INST, F_CTRY, F_IP, F_DEV, F_RCP, \
    F_REL, F_LBL, F_NOTE, F_ID, F_SRC = range(17)
SRC_BG, SRC_PAT = 0, 1

# Coin packs and prices. Index 0 (70 coins) is only bought by card testers: any purchase
# of <= 2.00 is a card-testing row.
PACKS = [70, 350, 700, 1400, 3500, 7000, 17500]
LOCAL_PRICES = {  # in minor units of the currency (IDR: whole rupiah)
    "USD": [99, 449, 899, 1799, 4499, 8999, 22499],
    "EUR": [99, 449, 899, 1799, 4499, 8999, 22499],
    "GBP": [89, 399, 799, 1599, 3999, 7999, 19999],
    "BRL": [490, 2290, 4490, 8990, 22490, 44990, 111990],
    "IDR": [15000, 69000, 139000, 279000, 699000, 1399000, 3499000],
}
# USD cents per local minor unit, as an exact fraction (num, den): round half up.
FX = {"USD": (1, 1), "EUR": (108, 100), "GBP": (127, 100), "BRL": (20, 100),
      "IDR": (63, 10000)}
USD_CENTS = {cur: [(p * n * 2 + d) // (2 * d) for p in prices]
             for cur, prices in LOCAL_PRICES.items() for n, d in [FX[cur]]}

COUNTRIES = [  # (country, currency, weight)
    ("US", "USD", 50), ("CA", "USD", 4), ("MX", "USD", 4), ("PH", "USD", 4),
    ("GB", "GBP", 8), ("DE", "EUR", 5), ("FR", "EUR", 4), ("ES", "EUR", 3),
    ("BR", "BRL", 10), ("ID", "IDR", 8),
]
PAY_METHODS = [("card", 55), ("apple_pay", 20), ("google_pay", 15), ("paypal", 10)]
GIFTS = [1, 5, 10, 30, 99, 199, 299, 500, 1000, 1500, 3000, 5000]
FIRST_OCTETS = [23, 31, 45, 62, 77, 81, 89, 93, 102, 109, 151, 176, 178, 185, 188, 201]
CREATOR_NAMES = ["Luna Live", "DJ Max, Official", 'Tony "Big T" Rossi', "Café Luna ☕",
                 "mia.streams", "GamerGirl_99", "Rafa, o Brabo", "sakura ✿",
                 "Dapur Mama", "Night Owl Radio", "Chef Ana", "Kpop Dance, Live"]

# Cumulative-weight helpers.
def _cum(weights):
    out, s = [], 0
    for w in weights:
        s += w
        out.append(s)
    return out, s


COUNTRY_CUM, COUNTRY_TOT = _cum([w for _, _, w in COUNTRIES])
PM_CUM, PM_TOT = _cum([w for _, w in PAY_METHODS])
# Background pack choice (indexes into PACKS): young accounts (first ~day) never take 17500.
YOUNG_PACKS = [1, 2, 3, 4, 5]
YOUNG_CUM, YOUNG_TOT = _cum([30, 28, 22, 13, 7])
OLD_PACKS = [1, 2, 3, 4, 5, 6]
OLD_CUM, OLD_TOT = _cum([28, 27, 22, 13, 8, 2])


def mix(x, bits):
    """A bijection of [0, 2^bits) that scatters consecutive numbers (ids look random
    but never collide)."""
    mask = (1 << bits) - 1
    x = (x * 0x2C1B3C6D + 0x297A2D39) & mask
    x ^= x >> (bits // 2)
    x = (x * 0x297A2D3B) & mask
    x ^= x >> (bits // 3)
    return x


def strictly_increasing(rows):
    """Sort rows by time (stable) and move any row that shares a second with the one
    before it one second later, so no two rows of an instance share a timestamp (ties
    would leave their order up to the reader). Plans keep 2 minutes between rows and
    window lengths, so these 1-second shifts never change a label."""
    rows.sort(key=lambda r: r[F_T])
    for i in range(1, len(rows)):
        if rows[i][F_T] <= rows[i - 1][F_T]:
            rows[i][F_T] = rows[i - 1][F_T] + 1
    return rows


def cents_str(c):
    return "%d.%02d" % (c // 100, c % 100)


def csv_field(s):
    if '"' in s or "," in s or "\n" in s or "\r" in s:
        return '"' + s.replace('"', '""') + '"'
    return s


class Profile:
    """A payer: country, currency, payment method, instrument, ip, device."""
    __slots__ = ("country", "cur", "pm", "inst", "ip", "dev")

    def __init__(self, country, cur, pm, inst, ip, dev):
        self.country, self.cur, self.pm, self.inst, self.ip, self.dev = \
            country, cur, pm, inst, ip, dev


class PlanError(Exception):
    """A pattern plan fell on a rule boundary; plan it again with new draws."""


class Gen:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.rand = self.rng.random
        self.n_acc = 0
        self.n_card = 0
        self.n_wallet = 0
        self.n_dev = 0
        self.n_ip = 0
        self.n_creator = 0
        self.name_uses = {}
        self.quoted = {}  # names that need CSV quoting -> quoted form
        self.next_seq = itertools.count(1).__next__
        self.heap = []
        self.rows_out = 0
        self.bg_rows = 0
        self.pat_rows = 0
        self.labels_out = 0
        self.instances = 0
        self.kind_counts = {}
        n = args.rows
        self.rows_per_day = args.rows_per_day or min(20000.0, max(60.0, n / 45.0))
        # Honest accounts produce ~8 rows each (families and creators' redeems add some).
        self.arrival_mean = DAY / (self.rows_per_day / 8.0)
        # Background creators, with a Zipf-like popularity.
        n_creators = max(25, n // 400)
        self.creators = [self.new_creator() for _ in range(n_creators)]
        self.creator_cum, self.creator_tot = _cum(
            [1.0 / (i + 3) ** 1.1 for i in range(n_creators)])
        # Honest refunders gift only to these (truly popular) creators, so refunds never
        # make up a large share of any creator's coins (laundering.creator-chargebacks).
        self.top_creators = max(3, min(25, n_creators // 10))
        self.creator_index = {c: i for i, c in enumerate(self.creators)}
        self.creator_bal = [0] * n_creators
        self.kinds = [
            ("gift-then-chargeback", self.plan_gift_then_chargeback),
            ("card-testing", self.plan_card_testing),
            ("many-instruments", self.plan_many_instruments),
            ("new-account-big-gift", self.plan_new_account_big_gift),
            ("reseller", self.plan_reseller),
            ("creator-laundering", self.plan_creator_laundering),
            ("velocity", self.plan_velocity),
            ("honest-big-first-purchase", self.plan_honest_big_first),
            ("honest-family", self.plan_honest_family),
            ("honest-heavy-gifter", self.plan_honest_heavy),
            ("honest-refund", self.plan_honest_refund),
        ]
        self.next_kind = 0

    # ----------------------------------------------------------------- random helpers
    def ri(self, a, b):
        """Uniform integer in [a, b]."""
        return a + int(self.rand() * (b - a + 1))

    def uf(self, a, b):
        return a + (b - a) * self.rand()

    def pick(self, seq):
        return seq[int(self.rand() * len(seq))]

    def expo(self, mean):
        return -math.log(1.0 - self.rand()) * mean

    def wpick(self, cum, tot):
        return bisect_right(cum, self.rand() * tot)

    # ----------------------------------------------------------------- identifiers
    def new_acc(self):
        n = self.n_acc
        self.n_acc += 1
        if n < 1000000:  # a bijection of [0, 2^20) walked down into [0, 10^6)
            x = mix(n, 20)
            while x >= 1000000:
                x = mix(x, 20)
            return "u%06d" % x
        return "u%d" % (n + 9000000)

    def new_card(self):
        n = self.n_card
        self.n_card += 1
        if n < (1 << 24):
            return "card_%06x" % ((n * 0x9E3779B1 + 0x5BD1E9) & 0xFFFFFF)
        return "card_%08x" % n

    def new_wallet(self):
        n = self.n_wallet
        self.n_wallet += 1
        return "wallet_%08x" % ((n * 0x85EBCA6B + 0x1B873593) & 0xFFFFFFFF)

    def new_inst(self, pm):
        return self.new_wallet() if pm == "paypal" else self.new_card()

    def new_dev(self):
        n = self.n_dev
        self.n_dev += 1
        return "dev_%08x" % ((n * 0xC2B2AE35 + 0x27D4EB2F) & 0xFFFFFFFF)

    def new_ip(self):
        n = self.n_ip
        self.n_ip += 1
        m = mix(n, 28) if n < (1 << 28) else n
        return "%d.%d.%d.%d" % (FIRST_OCTETS[(m >> 24) & 15], (m >> 16) & 255,
                                (m >> 8) & 255, m & 255)

    def new_creator(self):
        n = self.n_creator
        self.n_creator += 1
        if n % 7 == 3:
            base = CREATOR_NAMES[(n // 7) % len(CREATOR_NAMES)]
            k = self.name_uses.get(base, 0) + 1
            self.name_uses[base] = k
            name = base if k == 1 else "%s %d" % (base, k)
            if csv_field(name) != name:
                self.quoted[name] = csv_field(name)
            return name
        if n < 10000:
            return "c%04d" % ((n * 7877 + 1234) % 10000)
        return "c%d" % (n + 90000)

    def new_profile(self, cur=None, pm=None):
        if cur is None:
            country, cur, _ = COUNTRIES[self.wpick(COUNTRY_CUM, COUNTRY_TOT)]
        else:
            country = {"USD": "US", "GBP": "GB", "EUR": "DE", "BRL": "BR", "IDR": "ID"}[cur]
        if pm is None:
            pm = PAY_METHODS[self.wpick(PM_CUM, PM_TOT)][0]
        return Profile(country, cur, pm, self.new_inst(pm), self.new_ip(), self.new_dev())

    def pick_creator(self):
        return self.creators[self.wpick(self.creator_cum, self.creator_tot)]

    def pick_top_creator(self):
        return self.creators[int(self.rand() * self.top_creators)]

    # ----------------------------------------------------------------- rows
    @staticmethod
    def row(t, acc, typ, coins=None, amt=None, cur="", pm="", inst="", ctry="", ip="",
            dev="", rcp="", rel=None, src=SRC_BG):
        return [t, acc, typ, coins, amt, cur, pm, inst, ctry, ip, dev, rcp, rel, None, None,
                None, src]

    def pay_row(self, t, acc, p, pack, typ="purchase", src=SRC_BG, inst=None):
        return [t, acc, typ, PACKS[pack], USD_CENTS[p.cur][pack], p.cur, p.pm,
                inst or p.inst, p.country, p.ip, p.dev, "", None, None, None, None, src]

    @staticmethod
    def gift_row(t, acc, p, rcp, coins, src=SRC_BG):
        return [t, acc, "gift", coins, None, "", "", "", p.country, p.ip, p.dev, rcp, None,
                None, None, None, src]

    @staticmethod
    def reversal_row(t, acc, p, purchase, typ, src=SRC_BG, link=True):
        """refund/chargeback of `purchase`. Refunds are asked for in the app (ip/device
        present); chargebacks come from the bank (no ip/device)."""
        ip, dev = (p.ip, p.dev) if typ == "refund" else ("", "")
        return [t, acc, typ, purchase[F_COINS], purchase[F_AMT], purchase[F_CUR],
                purchase[F_PM], purchase[F_INST], purchase[F_CTRY], ip, dev, "",
                purchase if link else None, None, None, None, src]

    def gift_value(self, target):
        target = int(target)
        if target < 1:
            return 0
        i = bisect_right(GIFTS, target) - 1
        i -= int(self.rand() * min(3, i + 1))
        val = GIFTS[i]
        cnt = max(1, min(target // val, 1 + int(self.rand() * 5)))
        return val * cnt

    def split(self, total, parts):
        """Split `total` coins into `parts` positive integers (random proportions)."""
        parts = max(1, min(parts, total))
        ws = [0.3 + self.rand() for _ in range(parts)]
        s = sum(ws)
        out = [max(1, int(total * w / s)) for w in ws]
        out[-1] += total - sum(out)
        if out[-1] < 1:  # rounding pushed the last part below 1: rebalance
            out = [total // parts] * parts
            out[-1] += total - sum(out)
        return out

    # ----------------------------------------------------------------- background
    def bg_account(self, t0):
        """One honest account: a stable card, device and ip; purchases > 2.00 at least
        26h apart; gifts over days to 1-3 creators, at most 40% of its coins in its first
        26h; sometimes a decline before the first purchase, a second card, or an honest
        refund of an un-gifted purchase at the end (refunders gift little, never within
        27h before their refund, and never after it)."""
        rand = self.rand
        acc = self.new_acc()
        p = self.new_profile()
        refunder = rand() < 0.02
        if refunder:
            creators = [self.pick_top_creator()]
            gift_cap = 400
        else:
            r = rand()
            k = 1 if r < 0.6 else (2 if r < 0.9 else 3)
            creators = [self.pick_creator() for _ in range(k)]
            gift_cap = 1 << 60
        nbuy = 1
        while rand() < 0.5 and nbuy < 7:
            nbuy += 1
        if refunder:
            nbuy = min(nbuy, 2)
        t = t0
        fd_end = t0 + 26 * HOUR
        purchased = fd_gift = bal = gifted = 0
        last_gift = None
        switched = False
        if rand() < 0.04:
            pack = YOUNG_PACKS[self.wpick(YOUNG_CUM, YOUNG_TOT)]
            yield self.pay_row(t, acc, p, pack, "decline")
            t += 20 + int(rand() * 200)
            if rand() < 0.5:
                p.inst = self.new_inst(p.pm)  # retried with another card
                switched = True
        for i in range(nbuy):
            if refunder:
                pack = 1 if rand() < 0.5 else 2
            elif t < fd_end:
                pack = YOUNG_PACKS[self.wpick(YOUNG_CUM, YOUNG_TOT)]
            else:
                pack = OLD_PACKS[self.wpick(OLD_CUM, OLD_TOT)]
            if i > 0 and not switched and rand() < 0.08:
                p.inst = self.new_inst(p.pm)
                switched = True
            yield self.pay_row(t, acc, p, pack)
            coins = PACKS[pack]
            purchased += coins
            bal += coins
            for j in range(1 + int(rand() * 4)):
                t += 1200 + int(self.expo(14 * HOUR))
                target = bal * (0.15 + 0.6 * rand())
                if t < fd_end:
                    target = min(target, 0.4 * purchased - fd_gift)
                target = min(target, gift_cap - gifted)
                v = self.gift_value(target)
                if v <= 0:
                    continue
                rcp = creators[int(rand() * len(creators))]
                yield self.gift_row(t, acc, p, rcp, v)
                bal -= v
                gifted += v
                last_gift = t
                if t < fd_end:
                    fd_gift += v
            t += 26 * HOUR + int(rand() * 6 * DAY)
        if refunder:
            if last_gift is not None:
                t = max(t, last_gift + 27 * HOUR)
            pack = 1 if rand() < 0.5 else 2
            pur = self.pay_row(t, acc, p, pack)
            yield pur
            tg = t
            if rand() < 0.3 and gifted < gift_cap:
                tg = t + HOUR + int(rand() * 2 * HOUR)
                v = self.gift_value(min(0.3 * PACKS[pack], gift_cap - gifted))
                if v > 0:
                    yield self.gift_row(tg, acc, p, creators[0], v)
                    tg += 27 * HOUR
                else:
                    tg = t
            tr = max(t + 2 * HOUR + int(rand() * 46 * HOUR), tg)
            yield self.reversal_row(tr, acc, p, pur, "refund")

    def family_rows(self, t0, src=SRC_BG, label=None, note=None):
        """2-3 accounts sharing one card, one device and one ip; ordinary spending."""
        rand = self.rand
        shared = self.new_profile()
        size = 2 + (rand() < 0.4)
        rows = []
        for m in range(size):
            acc = self.new_acc()
            creators = [self.pick_creator() for _ in range(1 + (rand() < 0.4))]
            t = t0 + (0 if m == 0 else int(self.uf(2 * HOUR, 6 * DAY)))
            fd_end = t + 26 * HOUR
            purchased = fd_gift = bal = 0
            for i in range(1 + int(rand() * 3)):
                pack = self.pick([1, 2, 3] if t < fd_end else [1, 2, 3, 4])
                rows.append(self.pay_row(t, acc, shared, pack, src=src))
                purchased += PACKS[pack]
                bal += PACKS[pack]
                for j in range(1 + int(rand() * 3)):
                    t += 1800 + int(self.expo(20 * HOUR))
                    target = bal * (0.2 + 0.5 * rand())
                    if t < fd_end:
                        target = min(target, 0.4 * purchased - fd_gift)
                    v = self.gift_value(target)
                    if v <= 0:
                        continue
                    rows.append(self.gift_row(t, acc, shared, self.pick(creators), v, src))
                    bal -= v
                    if t < fd_end:
                        fd_gift += v
                t += 3 * DAY + int(rand() * 5 * DAY)
        if label is not None:
            for r in rows:
                r[F_LBL] = label
                r[F_NOTE] = note
        return rows

    # ----------------------------------------------------------------- patterns
    def check_gaps(self, rows, windows):
        """Refuse plans where two rows are within 2 minutes of a window length apart:
        labels must not depend on whether an engine's windows are open or closed."""
        ts = sorted(r[F_T] for r in rows)
        for i in range(len(ts)):
            for j in range(i + 1, len(ts)):
                d = ts[j] - ts[i]
                for w in windows:
                    if abs(d - w) < 120:
                        raise PlanError()

    @staticmethod
    def label(row, rule):
        cur = row[F_LBL]
        if cur is None:
            row[F_LBL] = [rule]
        elif rule not in cur:
            cur.append(rule)

    @staticmethod
    def distinct_in_window(rows, key_field, val_field, window, pred=None):
        """For each row (time order), the number of distinct `val_field` values among
        rows with the same key within `window` seconds before it (counting it)."""
        out = []
        for i, r in enumerate(rows):
            if pred is not None and not pred(r):
                out.append(0)
                continue
            vals = []
            for q in rows[: i + 1]:
                if (pred is None or pred(q)) and q[key_field] == r[key_field] \
                        and r[F_T] - q[F_T] <= window and q[val_field] not in vals:
                    vals.append(q[val_field])
            out.append(len(vals))
        return out

    def plan_gift_then_chargeback(self, T, n):
        """Variants: 0 one 3500/7000 pack gifted to one creator (also creator-chargebacks);
        1 a 1400 pack split over two creators (< 1000 each: only gift-then-chargeback);
        2 like 1 but a refund with an empty related_id (the latest purchase is used);
        3 an account with a small first purchase, a 17500 pack 1.5-4 days later, gifted
        to one creator (also creator-chargebacks)."""
        v = n % 4
        A = self.new_acc()
        p = self.new_profile(cur="USD")
        rows = []
        t = T
        if v == 3:
            rows.append(self.pay_row(t, A, p, 1, src=SRC_PAT))
            t += int(self.uf(36 * HOUR, 4 * DAY))
            pack = 6
        elif v == 0:
            pack = self.pick([4, 5])
        else:
            pack = 3
        P = self.pay_row(t, A, p, pack, src=SRC_PAT)
        rows.append(P)
        coins = PACKS[pack]
        total = int(coins * self.uf(0.86, 1.0))
        creators = [self.new_creator()] if v in (0, 3) else \
            [self.new_creator(), self.new_creator()]
        ng = self.ri(2, 5)
        parts = self.split(total, ng)
        times = sorted(t + int(self.uf(10 * MIN, 3 * DAY)) for _ in range(ng))
        per_creator = {}
        for k, (tg, c) in enumerate(zip(times, parts)):
            rc = creators[k % len(creators)]
            per_creator[rc] = per_creator.get(rc, 0) + c
            rows.append(self.gift_row(tg, A, p, rc, c, SRC_PAT))
        if any(x >= 1000 for x in per_creator.values()) and len(creators) > 1:
            raise PlanError()
        tr = t + int(self.uf(3 * DAY, 20 * DAY))
        tr = max(tr, times[-1] + HOUR)
        typ = "refund" if v == 2 else "chargeback"
        R = self.reversal_row(tr, A, p, P, typ, SRC_PAT, link=(v != 2))
        rows.append(R)
        self.label(R, R_GTC)
        R[F_NOTE] = typ
        if len(creators) == 1:
            self.label(R, R_CC)  # the creator got >= 1000 coins, all charged back
        self.check_gaps(rows, [30 * DAY])
        return rows, "gifted %d of %d coins%s" % (
            total, coins, ", refund without related_id" if v == 2 else "")

    def plan_card_testing(self, T, n):
        """6-10 declines / 0.99 purchases on one card within 5 minutes, by 1, 3, 5 or 8
        accounts on one ip (4+ accounts also make account_sharing.shared-instrument fire,
        8 make velocity.ip-accounts fire)."""
        k = [1, 3, 5, 8][n % 4]
        X = self.new_card()
        ip = self.new_ip()
        accs = []
        for _ in range(k):
            country, cur, _w = COUNTRIES[self.wpick(COUNTRY_CUM, COUNTRY_TOT)]
            accs.append((self.new_acc(), Profile(country, "USD", "card", X, ip,
                                                 self.new_dev())))
        m = self.ri(max(6, k), 10)
        types = ["decline" if self.rand() < 0.6 else "purchase" for _ in range(m)]
        if types.count("decline") < 2:
            types[0] = types[2] = "decline"
        rows = []
        t = T
        for j in range(m):
            acc, p = accs[j % k]
            rows.append(self.pay_row(t, acc, p, 0, types[j], SRC_PAT))
            t += self.ri(5, 30)
        dist = self.distinct_in_window(rows, F_INST, F_ACC, DAY)
        dist_ip = self.distinct_in_window(rows, F_IP, F_ACC, HOUR)
        for j, r in enumerate(rows):
            if j >= 4:
                self.label(r, R_CT)
            if dist[j] >= 4:
                self.label(r, R_SI)
            if dist_ip[j] >= 8:
                self.label(r, R_VIP)
            r[F_NOTE] = "testing row %d of %d" % (j + 1, m)
        return rows, "%d rows, %d account%s" % (m, k, "s" if k > 1 else "")

    def plan_many_instruments(self, T, n):
        """One fresh account uses 4-6 cards within a few hours (a decline or two), then
        gifts a quarter of its coins."""
        m = 4 + n % 3
        A = self.new_acc()
        p = self.new_profile(pm="card")
        cards = [p.inst] + [self.new_card() for _ in range(m - 1)]
        rows = []
        t = T
        declines = 0
        purchased = 0
        for j in range(m):
            if declines < 2 and self.rand() < 0.3:
                rows.append(self.pay_row(t, A, p, self.ri(2, 4), "decline", SRC_PAT,
                                         inst=cards[j]))
                declines += 1
                t += self.ri(2 * MIN, 6 * MIN)
            pack = self.ri(1, 4)
            rows.append(self.pay_row(t, A, p, pack, "purchase", SRC_PAT, inst=cards[j]))
            purchased += PACKS[pack]
            t += self.ri(8 * MIN, 40 * MIN)
            if j >= 2 and self.rand() < 0.3:  # goes back to an earlier card
                pack = self.ri(1, 3)
                rows.append(self.pay_row(t, A, p, pack, "purchase", SRC_PAT,
                                         inst=cards[self.ri(0, j)]))
                purchased += PACKS[pack]
                t += self.ri(8 * MIN, 40 * MIN)
        v = self.gift_value(purchased * 0.25)
        if v > 0:
            rows.append(self.gift_row(t + self.ri(20 * MIN, 2 * HOUR), A, p,
                                      self.new_creator(), v, SRC_PAT))
        seen = []
        for r in rows:
            if r[F_TYP] in ("purchase", "decline"):
                if r[F_INST] not in seen:
                    seen.append(r[F_INST])
                if len(seen) >= 4:
                    self.label(r, R_MI)
                    r[F_NOTE] = "%s on card %d" % (r[F_TYP], seen.index(r[F_INST]) + 1)
        return rows, "%d cards" % m

    def plan_new_account_big_gift(self, T, n):
        """A fresh account's first purchase(s) total >= 100 USD, then within hours gifts
        >= 90% of the coins to one fresh creator. Variants: 0 one 17500 USD pack (224.99,
        also chargeback.big-first-purchase); 1 one 7000 GBP pack (101.59 USD); 2 a 7000
        and a 1400 USD pack minutes apart (107.98 USD)."""
        v = n % 3
        A = self.new_acc()
        C = self.new_creator()
        p = self.new_profile(cur="GBP" if v == 1 else "USD")
        rows = []
        t = T
        if v == 0:
            first = self.pay_row(t, A, p, 6, src=SRC_PAT)
            self.label(first, R_BFP)
            first[F_NOTE] = "first purchase"
            rows.append(first)
        elif v == 1:
            rows.append(self.pay_row(t, A, p, 5, src=SRC_PAT))
        else:
            rows.append(self.pay_row(t, A, p, 5, src=SRC_PAT))
            t += self.ri(2 * MIN, 15 * MIN)
            rows.append(self.pay_row(t, A, p, 3, src=SRC_PAT))
        purchased = sum(r[F_COINS] for r in rows)
        total = int(purchased * self.uf(0.90, 1.0))
        ng = self.ri(2, 5)
        parts = self.split(total, ng)
        t0 = t + self.ri(5 * MIN, 40 * MIN)
        times = sorted(t0 + int(self.uf(0, 8 * HOUR)) for _ in range(ng))
        cum = 0
        for k in range(ng):
            g = self.gift_row(times[k] + k, A, p, C, parts[k], SRC_PAT)
            cum += parts[k]
            if cum * 5 == purchased * 4:
                raise PlanError()
            if cum * 5 > purchased * 4:
                self.label(g, R_NABG)
                g[F_NOTE] = "gift %d of %d, %d%% gifted" % (k + 1, ng, cum * 100 // purchased)
            rows.append(g)
        return rows, "bought %d coins for %s USD, gifted %d" % (
            purchased, cents_str(sum(r[F_AMT] for r in rows if r[F_TYP] == "purchase")),
            total)

    def plan_reseller(self, T, n):
        """5-7 brand-new accounts funded by one card, one device or one ip, each buying
        a pack and gifting most of it to one fresh creator, within 2 days."""
        shared = ["instrument", "device", "ip"][n % 3]
        k = 5 + (n // 3) % 3
        R = self.new_creator()
        X, D, I = self.new_card(), self.new_dev(), self.new_ip()
        span = {"instrument": 16 * HOUR, "device": 30 * HOUR, "ip": 44 * HOUR}[shared]
        offs = sorted([0] + [int(self.uf(20 * MIN, span)) for _ in range(k - 1)])
        rows = []
        for j in range(k):
            acc = self.new_acc()
            country, cur, _w = COUNTRIES[self.wpick(COUNTRY_CUM, COUNTRY_TOT)]
            p = Profile(country, "USD", "card",
                        X if shared == "instrument" else self.new_card(),
                        I if shared == "ip" else self.new_ip(),
                        D if shared == "device" else self.new_dev())
            t = T + offs[j]
            pack = self.ri(3, 5)
            rows.append(self.pay_row(t, acc, p, pack, src=SRC_PAT))
            total = int(PACKS[pack] * self.uf(0.8, 1.0))
            ng = self.ri(1, 3)
            gt = sorted(t + self.ri(3 * MIN, 4 * HOUR) for _ in range(ng))
            for tg, c in zip(gt, self.split(total, ng)):
                rows.append(self.gift_row(tg, acc, p, R, c, SRC_PAT))
        rows.sort(key=lambda r: r[F_T])
        self.check_gaps(rows, [DAY])
        gifters = []
        for r in rows:
            if r[F_TYP] == "gift":
                if r[F_ACC] not in gifters:
                    gifters.append(r[F_ACC])
                if len(gifters) >= 4:
                    self.label(r, R_RES)
                r[F_NOTE] = "gift by account %d, %d gifters so far" % (
                    gifters.index(r[F_ACC]) + 1, len(gifters))
        if shared == "instrument":
            dist = self.distinct_in_window(rows, F_INST, F_ACC, DAY,
                                           lambda r: r[F_TYP] == "purchase")
            for r, d in zip(rows, dist):
                if d >= 4:
                    self.label(r, R_SI)
                    if r[F_NOTE] is None:
                        r[F_NOTE] = "purchase, %d accounts on the card" % d
        if shared == "device":
            dist = self.distinct_in_window(rows, F_DEV, F_ACC, DAY)
            for r, d in zip(rows, dist):
                if d >= 5:
                    self.label(r, R_VDA)
                    if r[F_NOTE] is None:
                        r[F_NOTE] = "%s, %d accounts on the device" % (r[F_TYP], d)
        return rows, "%d accounts, shared %s" % (k, shared)

    def plan_creator_laundering(self, T, n):
        """A fresh creator gets most of its gifts within a day from 3-5 accounts that
        then charge back (the first one within hours), plus a few small fans' gifts; it
        redeems a few hours after the first chargeback (variant 3: 26-30h after the first
        launderer's gifts, which is too late for quick-redeem), and again a week later."""
        C = self.new_creator()
        k = 3 + n % 3
        low = self.ri(1, k - 1) if k >= 4 else -1
        rows = []
        launder = []  # (account, purchase row, gift rows, profile)
        for j in range(k):
            A = self.new_acc()
            p = self.new_profile(cur="USD")
            t = T if j == 0 else T + int(self.uf(HOUR, 20 * HOUR))
            pack = self.pick([3, 4]) if j == 0 else self.pick([2, 3, 4])
            P = self.pay_row(t, A, p, pack, src=SRC_PAT)
            frac = self.uf(0.55, 0.75) if j == low else self.uf(0.86, 1.0)
            total = int(PACKS[pack] * frac)
            ng = self.ri(1, 3)
            gt = sorted(t + self.ri(10 * MIN, 6 * HOUR) for _ in range(ng))
            gifts = [self.gift_row(tg, A, p, C, c, SRC_PAT)
                     for tg, c in zip(gt, self.split(total, ng))]
            rows.append(P)
            rows.extend(gifts)
            launder.append((A, P, gifts, p))
        for f in range(2 + n % 2):
            A = self.new_acc()
            p = self.new_profile()
            t = T + int(self.uf(0, 48 * HOUR))
            pack = self.pick([1, 2])
            rows.append(self.pay_row(t, A, p, pack, src=SRC_PAT))
            ng = self.ri(1, 2)
            total = int(PACKS[pack] * self.uf(0.2, 0.4))
            gt = sorted(t + self.ri(HOUR, 2 * DAY) for _ in range(ng))
            for tg, c in zip(gt, self.split(total, ng)):
                rows.append(self.gift_row(tg, A, p, C, c, SRC_PAT))
        # chargebacks
        cbs = []
        A0, P0, g0, p0 = launder[0]
        t_cb0 = g0[-1][F_T] + self.ri(2 * HOUR, 8 * HOUR)
        cbs.append(self.reversal_row(t_cb0, A0, p0, P0, "chargeback", SRC_PAT))
        for A, P, gifts, p in launder[1:]:
            tc = max(T + int(self.uf(3 * DAY, 6 * DAY)), gifts[-1][F_T] + HOUR)
            cbs.append(self.reversal_row(tc, A, p, P, "chargeback", SRC_PAT))
        rows.extend(cbs)
        # redeems
        if n % 4 == 3:
            r1 = max(g0[-1][F_T] + self.ri(26 * HOUR, 30 * HOUR), t_cb0 + HOUR)
        else:
            r1 = t_cb0 + self.ri(HOUR, 5 * HOUR)
        r2 = T + int(self.uf(7 * DAY, 9 * DAY))
        cp = self.new_profile()
        rows.sort(key=lambda r: r[F_T])
        received = 0
        redeems = []
        for tr in (r1, r2):
            rec = sum(r[F_COINS] for r in rows if r[F_TYP] == "gift" and r[F_T] <= tr)
            d = (rec - received) // 2
            received = rec
            red = self.row(tr, C, "redeem", coins=d, ctry=cp.country, src=SRC_PAT)
            redeems.append(red)
        rows.extend(redeems)
        rows.sort(key=lambda r: r[F_T])
        self.check_gaps(rows, [DAY])
        # labels: process in time order
        charged_accts = []
        for r in rows:
            if r[F_TYP] == "chargeback":
                A = r[F_ACC]
                P = r[F_REL]
                after = sum(g[F_COINS] for g in rows if g[F_TYP] == "gift" and
                            g[F_ACC] == A and P[F_T] < g[F_T] <= r[F_T])
                if after * 5 == P[F_COINS] * 4:
                    raise PlanError()
                if after * 5 > P[F_COINS] * 4:
                    self.label(r, R_GTC)
                r[F_NOTE] = "chargeback %d of %d, launderer gifted %d%%" % (
                    len(charged_accts) + 1, k, after * 100 // P[F_COINS])
                charged_accts.append(A)
                gifts_c = [g for g in rows if g[F_TYP] == "gift" and g[F_T] <= r[F_T]]
                charged = sum(g[F_COINS] for g in gifts_c if g[F_ACC] in charged_accts)
                tot = sum(g[F_COINS] for g in gifts_c)
                if charged == 1000 or charged * 2 == tot:
                    raise PlanError()
                if charged >= 1000 and charged * 2 > tot:
                    self.label(r, R_CC)
            elif r[F_TYP] == "redeem":
                risky = [c[F_ACC] for c in rows if c[F_TYP] == "chargeback"
                         and c[F_T] < r[F_T]]
                rc = sum(g[F_COINS] for g in rows if g[F_TYP] == "gift"
                         and g[F_ACC] in risky and r[F_T] - DAY <= g[F_T] <= r[F_T])
                if rc == 500:
                    raise PlanError()
                if rc > 500:
                    self.label(r, R_QR)
                r[F_NOTE] = "redeem, %d coins from risky gifters in 24h" % rc
        if not any(c[F_LBL] and R_CC in c[F_LBL] for c in cbs):
            raise PlanError()
        return rows, "%d launderers, creator %s" % (k, C)

    def plan_velocity(self, T, n):
        """An account with one small purchase, then 2-5 days later 10-14 purchases in
        under an hour on its card. Variant 1 buys 7000/17500 packs, so the card's 24h
        spend also crosses 1000 USD."""
        v = n % 2
        A = self.new_acc()
        p = self.new_profile(cur="USD", pm="card")
        rows = [self.pay_row(T, A, p, 1, src=SRC_PAT)]
        t = T + int(self.uf(2 * DAY, 5 * DAY))
        m = self.ri(10, 14)
        spend = 0
        for j in range(m):
            pack = self.pick([2, 3, 4]) if v == 0 else (6 if self.rand() < 0.3 else 5)
            r = self.pay_row(t, A, p, pack, src=SRC_PAT)
            spend += r[F_AMT]
            if j >= 9:
                self.label(r, R_VAP)
            if abs(spend - 100000) < 100:
                raise PlanError()
            if spend >= 100000:
                self.label(r, R_VIS)
            r[F_NOTE] = "purchase %d of %d, card spend %s" % (j + 1, m, cents_str(spend))
            rows.append(r)
            t += self.ri(2 * MIN, 4 * MIN + 30)
        self.check_gaps(rows[1:], [HOUR])
        return rows, "%d purchases in %d min, %s USD" % (
            m, (rows[-1][F_T] - rows[1][F_T]) // 60, cents_str(spend))

    # honest look-alikes (every row labelled '-')
    def slow_gifts(self, rows, t, A, p, C, coins, days, first_day_frac):
        """Gift ~90% of `coins` to C over `days`: a small first-day share, then chunks."""
        target = int(coins * self.uf(0.85, 0.95))
        first = int(coins * first_day_frac)
        t += self.ri(2 * HOUR, 6 * HOUR)
        rows.append(self.gift_row(t, A, p, C, first, SRC_PAT))
        left = target - first
        end = t + days * DAY
        t += self.ri(30 * HOUR, 50 * HOUR)
        while left > 0 and t < end:
            c = min(left, int(coins * self.uf(0.05, 0.15)) + 1)
            rows.append(self.gift_row(t, A, p, C, c, SRC_PAT))
            left -= c
            t += self.ri(DAY, 3 * DAY)
        return t

    def plan_honest_big_first(self, T, n):
        """Honest: a new account's first purchase of 100-199 USD (a 7000 GBP pack, or a
        7000 and a 3500 USD pack), gifted slowly over 2-4 weeks to one creator."""
        A = self.new_acc()
        rows = []
        if n % 2 == 0:
            p = self.new_profile(cur="GBP")
            rows.append(self.pay_row(T, A, p, 5, src=SRC_PAT))
            t = T
        else:
            p = self.new_profile(cur="USD")
            rows.append(self.pay_row(T, A, p, 5, src=SRC_PAT))
            t = T + self.ri(3 * MIN, 10 * MIN)
            rows.append(self.pay_row(t, A, p, 4, src=SRC_PAT))
        coins = sum(r[F_COINS] for r in rows)
        self.slow_gifts(rows, t, A, p, self.pick_creator(), coins, self.ri(14, 28),
                        self.uf(0.05, 0.15))
        return rows, "big first purchase, slow gifts"

    def plan_honest_family(self, T, n):
        return self.family_rows(T, SRC_PAT, "-", None), "family sharing a card and device"

    def plan_honest_heavy(self, T, n):
        """Honest: steady heavy gifter, a 3500/7000 pack every 26-40h for 2-3 weeks,
        gifting to 2-3 creators a few times a day."""
        A = self.new_acc()
        p = self.new_profile()
        creators = [self.pick_creator() for _ in range(self.ri(2, 3))]
        rows = []
        t = T
        end = T + self.ri(14, 21) * DAY
        bal = 0
        first_day_cap = None
        while t < end:
            pack = 4 if (t == T or self.rand() < 0.5) else 5
            rows.append(self.pay_row(t, A, p, pack, src=SRC_PAT))
            bal += PACKS[pack]
            if first_day_cap is None:
                first_day_cap = int(PACKS[pack] * 0.35)
            nxt = t + self.ri(26 * HOUR, 40 * HOUR)
            tg = t + self.ri(HOUR, 4 * HOUR)
            while tg < nxt - HOUR and bal > 0:
                c = self.gift_value(min(bal, PACKS[pack] * self.uf(0.15, 0.35)))
                if tg < T + 26 * HOUR:
                    c = min(c, first_day_cap)
                    first_day_cap -= c
                if c > 0:
                    rows.append(self.gift_row(tg, A, p, self.pick(creators), c, SRC_PAT))
                    bal -= c
                tg += self.ri(4 * HOUR, 10 * HOUR)
            t = nxt
        return rows, "steady heavy gifter"

    def plan_honest_refund(self, T, n):
        """Honest: buys a pack, gifts a little, and a day or more later buys another pack
        and asks for a refund of it without gifting it."""
        A = self.new_acc()
        p = self.new_profile()
        C = self.pick_top_creator()
        rows = [self.pay_row(T, A, p, self.ri(2, 3), src=SRC_PAT)]
        t = T
        left = 400
        for _ in range(self.ri(1, 3)):
            t += self.ri(2 * HOUR, 20 * HOUR)
            c = self.gift_value(min(left, 120))
            if c <= 0:
                break
            rows.append(self.gift_row(t, A, p, C, c, SRC_PAT))
            left -= c
        t += self.ri(27 * HOUR, 3 * DAY)
        P = self.pay_row(t, A, p, self.ri(2, 4), src=SRC_PAT)
        rows.append(P)
        rows.append(self.reversal_row(t + self.ri(2 * HOUR, 48 * HOUR), A, p, P, "refund",
                                      SRC_PAT))
        return rows, "refund of an un-gifted purchase"

    def inject(self, t):
        name, fn = self.kinds[self.next_kind]
        self.next_kind = (self.next_kind + 1) % len(self.kinds)
        n = self.kind_counts.get(name, 0)
        self.kind_counts[name] = n + 1
        T = t + self.ri(MIN, HOUR)
        for _attempt in range(100):
            try:
                rows, note = fn(T, n)
                break
            except PlanError:
                continue
        else:
            raise RuntimeError("could not plan %s" % name)
        self.instances += 1
        strictly_increasing(rows)
        honest = name.startswith("honest")
        tag = "%s #%d" % (name, n + 1)
        for r in rows:
            if honest:
                r[F_LBL] = "-"
            if r[F_LBL] is not None:
                role = r[F_NOTE]
                r[F_NOTE] = "%s: %s" % (tag, note) + ("; " + role if role else "")
        self.push_iter(iter(rows))

    # ----------------------------------------------------------------- driver
    def push_iter(self, it):
        row = next(it, None)
        if row is not None:
            heapq.heappush(self.heap, (row[F_T], self.next_seq(), row, it))

    def run(self, out, lab):
        args = self.args
        N = args.rows
        K = args.inject_every
        heap = self.heap
        pop = heapq.heappop
        push = heapq.heappush
        next_seq = self.next_seq
        rand = self.rand
        start = args.start_epoch
        jsonl = args.format == "jsonl"
        export = args.header == "export"
        keys = EXPORT_HEADER if export else CANON_HEADER
        if not jsonl:
            out.write(",".join(keys) + "\n")
        if lab is not None:
            lab.write("id\texpected\tnote\n")
        ARRIVAL, REDEEM = 0, 1
        push(heap, (start, next_seq(), None, ARRIVAL))
        for ci in range(len(self.creators)):
            push(heap, (start + int(self.uf(DAY, 7 * DAY)), next_seq(), ci, REDEEM))
        creator_profile = {}
        hms = ["%02d:%02d:%02d" % (s // 3600, (s // 60) % 60, s % 60) for s in range(DAY)]
        day_cache = {}
        buf = []
        lbuf = []
        quoted = self.quoted
        jquoted = {}
        emitted = 0
        bg_rows = pat_rows = labels_out = 0
        idfmt = "t%0" + str(max(7, len(str(N)))) + "d"
        creator_index = self.creator_index
        creator_bal = self.creator_bal
        rule_order = RULE_ORDER.__getitem__
        t = start
        while emitted < N:
            t, _s, row, src = pop(heap)
            if src is ARRIVAL:
                if rand() < 0.02:
                    self.push_iter(iter(strictly_increasing(self.family_rows(t))))
                else:
                    self.push_iter(self.bg_account(t))
                push(heap, (t + 1 + int(self.expo(self.arrival_mean)), next_seq(), None,
                            ARRIVAL))
                continue
            if src is REDEEM:
                ci = row
                push(heap, (t + int(self.uf(3 * DAY, 10 * DAY)), next_seq(), ci, REDEEM))
                bal = creator_bal[ci]
                if bal < 400:
                    continue
                creator_bal[ci] = 0
                c = self.creators[ci]
                cp = creator_profile.get(c)
                if cp is None:
                    cp = creator_profile[c] = self.pick(COUNTRIES)[0]
                row = self.row(t, c, "redeem", coins=bal // 2, ctry=cp)
                src = None
            # ---- emit
            emitted += 1
            rid = idfmt % emitted
            row[15] = rid  # F_ID
            (_t, acc, typ, coins, amt, cur, pm, inst, ctry, ip, dev, rcp, rel, lbl,
             note, _id, origin) = row
            if typ == "gift":
                ci = creator_index.get(rcp)
                if ci is not None:
                    creator_bal[ci] += coins
            rel_id = "" if rel is None else rel[15]
            coins_s = "" if coins is None else str(coins)
            amt_s = "" if amt is None else "%d.%02d" % (amt // 100, amt % 100)
            if export:
                ts = str(t)
            else:
                d, s = divmod(t, DAY)
                dp = day_cache.get(d)
                if dp is None:
                    dp = day_cache[d] = time.strftime("%Y-%m-%dT", time.gmtime(d * DAY))
                ts = dp + hms[s] + "Z"
            if not jsonl:
                buf.append(",".join((rid, ts, quoted.get(acc, acc), typ, coins_s, amt_s,
                                     cur, pm, inst, ctry, ip, dev, quoted.get(rcp, rcp),
                                     rel_id)) + "\n")
            else:
                vals = (rid, ts, acc, typ, coins_s, amt_s, cur, pm, inst, ctry, ip, dev,
                        rcp, rel_id)
                parts = []
                for i, v in enumerate(vals):
                    if v == "":
                        continue
                    if i == 4 or i == 5 or (i == 1 and export):
                        parts.append('"%s":%s' % (keys[i], v))
                    elif i == 2 or i == 12:
                        q = jquoted.get(v)
                        if q is None:
                            q = json.dumps(v, ensure_ascii=False)
                            if len(jquoted) < 100000:
                                jquoted[v] = q
                        parts.append('"%s":%s' % (keys[i], q))
                    else:
                        parts.append('"%s":"%s"' % (keys[i], v))
                buf.append("{" + ",".join(parts) + "}\n")
            if origin:  # SRC_PAT
                pat_rows += 1
            else:
                bg_rows += 1
                if K and bg_rows % K == 0:
                    self.inject(t)
            if lbl is not None and lab is not None:
                if lbl != "-":
                    lbl = ",".join(sorted(lbl, key=rule_order))
                lbuf.append("%s\t%s\t%s\n" % (rid, lbl, note))
                labels_out += 1
            if len(buf) >= 8192:
                out.write("".join(buf))
                buf.clear()
                if lbuf:
                    lab.write("".join(lbuf))
                    lbuf.clear()
            if src is not None:
                row = next(src, None)
                if row is not None:
                    push(heap, (row[0], next_seq(), row, src))
        out.write("".join(buf))
        if lab is not None and lbuf:
            lab.write("".join(lbuf))
        self.last_t = t
        self.bg_rows, self.pat_rows, self.labels_out = bg_rows, pat_rows, labels_out
        return emitted


def parse_start(s):
    s = s.strip()
    if s.isdigit():
        return int(s)
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    from datetime import datetime
    return int(datetime.fromisoformat(s).timestamp())


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, required=True, help="number of rows to write")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True, help="output file")
    ap.add_argument("--labels", help="write the labels TSV here")
    ap.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    ap.add_argument("--header", choices=["canonical", "export"], default="canonical")
    ap.add_argument("--start", default="2026-03-01T00:00:00Z",
                    help="time of the first row (ISO-8601 or epoch seconds)")
    ap.add_argument("--inject-every", type=int, default=200,
                    help="inject one pattern instance per K background rows (0: none)")
    ap.add_argument("--rows-per-day", type=float, default=None,
                    help="background traffic rate (default: rows/45, within 60..20000)")
    args = ap.parse_args(argv)
    if args.rows < 0 or args.inject_every < 0:
        ap.error("--rows and --inject-every must be >= 0")
    args.start_epoch = parse_start(args.start)
    g = Gen(args)
    t0 = time.time()
    with open(args.out, "w", encoding="utf-8", newline="") as out:
        lab = open(args.labels, "w", encoding="utf-8", newline="") if args.labels else None
        try:
            n = g.run(out, lab) if args.rows > 0 else 0
        finally:
            if lab is not None:
                lab.close()
    span = (getattr(g, "last_t", args.start_epoch) - args.start_epoch) / DAY
    print("gen_transactions: %d rows (%d background, %d in %d injected instances), "
          "%d labels, %.1f days, seed %d, %.1fs -> %s"
          % (n, g.bg_rows, g.pat_rows, g.instances, g.labels_out, span, args.seed,
             time.time() - t0, args.out), file=sys.stderr)


if __name__ == "__main__":
    main()
