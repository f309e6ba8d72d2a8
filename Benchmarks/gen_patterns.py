#!/usr/bin/env python3
"""Deterministic generator of realistic scam-rule pattern sets for the matcher benchmarks.

    python3 Benchmarks/gen_patterns.py --count 300  --out Benchmarks/patterns-300.txt
    python3 Benchmarks/gen_patterns.py --count 1000 --out Benchmarks/patterns-1000.txt

One PCRE2 pattern per line, no comments and no blank lines (so that grep -f, rg -f,
pcre2grep -f, RE2, Hyperscan and `scamscan match -f` all read the very same set). The
patterns come from one seeded stream: the first 300 of the 1000-set are the 300-set.

Style (as hand-written scam rules): mostly `(?i)`, `\\b` word boundaries, alternations,
bounded gaps `.{0,40}`, classes, optional parts, a few anchored rules, a few case-sensitive
rules, and about 4% with no required literal at all (emoji runs, long tokens, digit runs,
spaced-out letters). Some 30 families, each drawing random subsets of a wide vocabulary
(coins, diamonds, gifts, followers, generators, telegram/whatsapp, giveaways, domains,
brand typosquats, several languages), so that 1000 patterns are 1000 different rules.

Cross-engine constraints (all must compile in PCRE2, RE2 and Hyperscan, see README.md):
  * no backreferences, no lookaround, no possessive/atomic groups, no \\Q..\\E, no (?s);
  * `\\b` only next to ASCII letters/digits in the pattern; `\\w` only in ASCII context
    (multilingual words are written as explicit alternations, without \\b / \\w);
  * no `\\W` / `\\D` (ASCII-only in RE2): a non-word run is `[^\\p{L}\\p{N}_]`;
  * no `\\W`, `\\D` inside a positive character class (Hyperscan's line-safe rewrite);
  * nested quantifiers only over disjoint, fixed-width pieces (no ReDoS).
"""
import argparse
import random
import re
import sys

SEED = 7_2024


def esc(s):
    """Regex-escape an ASCII literal (a domain or a word)."""
    return re.sub(r"([.+*?^$()\[\]{}|\\])", r"\\\1", s)


# --------------------------------------------------------------------------- vocabulary

CUR = ["coins?", "coinz", "diamonds?", "gems?", "robux", "v-?bucks", "bits", "roses?", "gifts?",
       "tokens?", "stars?", "crystals?", "points?", "credits?", "gold", "lives", "spins?",
       "nitro", "skins?", "primogems?", "uc", "cod\\s+points", "minecoins?", "chips", "emeralds?",
       "rubies", "hearts?", "donuts?", "lions?", "universes?", "galax(?:y|ies)", "gold\\s+bars?",
       "stickers?", "super\\s*chats?", "gift\\s*cards?", "cash", "money"]
PLAT = ["tik\\s*tok", "twitch", "kick", "youtube", "yt", "bigo", "likee", "trovo", "facebook", "fb",
        "instagram", "insta", "ig", "snapchat", "discord", "roblox", "fortnite", "pubg",
        "free\\s*fire", "genshin", "steam", "cod", "clash\\s+of\\s+clans", "brawl\\s*stars",
        "8\\s*ball\\s+pool", "coin\\s*master", "monopoly\\s+go", "tt", "onlyfans", "spotify"]
GEN = ["generator", "gen", "hack", "adder", "glitch", "cheat", "exploit", "tool", "method",
       "mod", "script", "injector", "bot", "trick", "loophole", "farm(?:er)?", "giver", "maker",
       "spawner", "unlocker", "apk", "ipa", "mod\\s*menu"]
FREE = ["free", "unlimited", "infinite", "inf", "instant", "fr[e3][e3]", "unlimit(?:t)?ed",
        "limitless", "endless", "gratis", "bonus", "extra", "daily\\s+free"]
SOCIAL = ["followers", "follows", "likes", "views", "subs", "subscribers", "viewers", "fans",
          "comments", "shares", "watch\\s*hours", "members", "retweets", "plays", "streams",
          "saves", "reactions", "live\\s+viewers", "impressions"]
CONTACT = ["telegram", "tg", "whats\\s*app", "wa", "signal", "snapchat", "snap", "kik",
           "wechat", "viber", "discord", "insta", "ig", "dm", "pm", "inbox", "t\\.me", "wa\\.me",
           "line\\s+id", "session\\s+id"]
ROLE = ["support", "staff", "admin", "administrator", "moderator", "mod", "security", "safety",
        "help\\s*desk", "trust\\s*(?:&|and)\\s*safety", "partner\\s+manager", "creator\\s+team",
        "live\\s+team", "verification\\s+team", "copyright\\s+team", "agent", "employee",
        "representative", "community\\s+manager", "billing"]
STREAMERS = ["northernlion", "ninja", "pokimane", "xqc", "shroud", "ibai", "auronplay",
             "elrubius", "casimiro", "gaules", "kaicenat", "ishowspeed", "amouranth", "valkyrae",
             "sykkuno", "tfue", "summit1g", "lirik", "sodapoppin", "hasanabi", "ludwig",
             "moistcr1tikal", "nickmercs", "timthetatman", "drlupo", "tommyinnit", "quackity",
             "rubius", "juansguarnizo", "thegrefg", "illojuan", "buster", "mizkif", "jynxzi",
             "caseoh_?", "tarik", "mrbeast", "dream", "markiplier", "pewdiepie"]
TLD = ["xyz", "top", "icu", "click", "gift", "gifts", "live", "online", "site", "link", "ru",
       "tk", "ml", "ga", "cf", "gq", "fun", "store", "shop", "vip", "club", "cc", "pw", "buzz",
       "info", "sbs", "cfd", "cyou", "monster", "app", "pro", "biz", "io", "me", "rest", "cam",
       "lol", "win", "bid", "loan", "work", "men", "date", "racing", "review", "trade", "party",
       "su", "ws", "to", "gg", "ly", "network", "today", "world", "space", "website", "host"]
GIVEAWAY = ["giveaways?", "give\\s*aways?", "raffles?", "airdrops?", "sweepstakes?",
            "prize\\s+draws?", "lucky\\s+draws?", "free\\s+draws?", "contests?"]
GIVEAWAY_ML = ["sorteo", "sorteio", "concours", "gewinnspiel", "undian", "hadiah", "розыгрыш",
               "çekiliş", "プレゼント企画", "抽奖", "이벤트", "مسابقة", "giveaway"]
FREE_ML = ["gratis", "grátis", "gratuit(?:e|s)?", "gratuitas?", "gratuitos?", "kostenlos(?:e)?",
           "бесплатн(?:о|ые|ых|ая|ый)", "безкоштовн(?:і|о)", "無料", "免费", "무료",
           "مجانا", "مجاني(?:ة)?", "ücretsiz", "bedava", "miễn\\s+phí", "darmow(?:e|y)",
           "gratuito", "percuma"]
CUR_ML = ["monedas", "moedas", "koin", "diamantes", "монет(?:ы|ки)?", "алмаз(?:ы|ов)", "コイン",
          "金币", "钻石", "코인", "다이아", "عملات", "جواهر", "jetons", "münzen", "jeton", "elmas",
          "monete", "diamanti", "monety", "xu", "kim\\s+cương", "koin\\s+emas"]
VERB_ML = ["gana", "ganhe", "ganha", "consigue", "consiga", "receba", "recibe", "reclama",
           "resgate", "gagne", "gewinne", "получи", "забирай", "dapatkan", "menangkan", "kazan",
           "nhận", "もらえる", "받으세요", "احصل"]
BIO_ML = ["link\\s+en\\s+mi\\s+perfil", "link\\s+na\\s+bio", "cek\\s+bio", "lien\\s+dans\\s+ma\\s+bio",
          "ссылка\\s+в\\s+профиле", "пиши\\s+в\\s+(?:телеграм|лс)", "プロフ見て", "主页链接",
          "프로필\\s*링크", "الرابط\\s+في\\s+البايو", "profildeki\\s+link", "link\\s+im\\s+profil"]
BRANDS = ["steam", "discord", "nitro", "paypal", "cashapp", "venmo", "apple", "amazon", "google",
          "microsoft", "epicgames", "roblox", "metamask", "binance", "coinbase", "trustwallet",
          "opensea", "tiktok", "twitch", "youtube", "instagram", "facebook", "netflix", "spotify",
          "playstation", "xbox", "nintendo", "riotgames", "valorant", "battlenet", "blizzard",
          "origin", "ubisoft", "kucoin", "bybit", "phantom", "ledger", "exodus", "revolut", "zelle"]
CRYPTO = ["btc", "bitcoin", "eth", "ethereum", "crypto", "usdt", "tether", "doge", "dogecoin",
          "sol", "solana", "xrp", "ripple", "shib", "bnb", "ada", "cardano", "ton", "pepe",
          "trx", "ltc", "litecoin", "matic", "avax"]
SHORTENERS = ["bit\\.ly", "tinyurl\\.com", "cutt\\.ly", "t\\.co", "goo\\.gl", "is\\.gd", "ow\\.ly",
              "rb\\.gy", "shorturl\\.at", "tiny\\.cc", "rebrand\\.ly", "t\\.ly", "v\\.gd", "s\\.id",
              "bl\\.ink", "qrco\\.de", "adf\\.ly", "clck\\.ru", "u\\.to", "urlz\\.fr", "ouo\\.io",
              "grabify\\.link", "iplogger\\.(?:org|com|ru)", "2no\\.co", "shorte\\.st"]
HEADS = ["free", "coin", "coins", "coinz", "diamond", "diamonds", "gem", "gift", "gifts", "tiktok",
         "tik-tok", "twitch", "get", "claim", "bonus", "reward", "rewards", "promo", "fast", "boost",
         "follow", "followers", "likes", "fans", "gen", "generator", "hack", "vip", "smm", "panel",
         "cheap", "best", "top", "insta", "kick", "bigo", "robux", "vbucks", "nitro", "steam"]
TAILS = ["4u", "4free", "now", "fast", "hub", "zone", "pro", "gen", "generator", "hack", "tool",
         "app", "club", "world", "online", "365", "24", "2025", "x", "pay", "store", "shop",
         "boost", "go", "hq", "center", "panel", "king", "plus", "land", "lab", "bay", "spot"]
LURE = ["no\\s+(?:human\\s+)?verification", "no\\s+surveys?", "no\\s+password", "no\\s+login",
        "no\\s+download", "no\\s+ban(?:\\s+risk)?", "100\\s*%\\s+(?:working|legit|safe)",
        "still\\s+working", "legit", "working\\s+(?:20[0-9]{2}|method)", "instantly", "instant",
        "in\\s+[0-9]+\\s*(?:sec(?:ond)?s?|min(?:ute)?s?)", "for\\s+free", "undetected",
        "just\\s+enter\\s+(?:your|ur)\\s+(?:username|user|@|id)", "anti(?:\\s|-)?ban"]
THREAT = ["banned", "suspended", "deleted", "terminated", "disabled", "restricted", "locked",
          "flagged", "removed", "deactivated", "demonetized", "shadow\\s*banned", "limited",
          "reported"]
VERIFY = ["verify", "confirm", "appeal", "log\\s*in", "login", "sign\\s*in", "validate",
          "authenticate", "re-?activate", "unlock", "recover", "restore"]
ACCOUNT = ["account", "acc", "acct", "channel", "profile", "page", "stream", "live",
           "creator\\s+account", "payout", "wallet"]
ALT = ["new", "backup", "back-?up", "second", "2nd", "other", "private", "priv", "real",
       "official", "personal", "alt", "main", "vip"]
WIN = ["winner", "winners", "lucky\\s+winner", "lucky\\s+viewer", "selected", "chosen",
       "picked", "shortlisted", "qualified", "eligible"]
CLAIM = ["claim", "redeem", "collect", "grab", "receive", "get", "unlock", "activate",
         "withdraw", "cash\\s*out"]
PRIZE = ["reward", "prize", "gift", "bonus", "voucher", "airdrop", "nft", "skin", "package",
         "payout", "winnings", "giftcard", "gift\\s*card", "code"]
CHEAP = ["cheap", "cheapest", "discount(?:ed)?", "wholesale", "bulk", "half\\s+price",
         "low\\s+price", "best\\s+price", "[0-9]{2}\\s*%\\s+off", "on\\s+sale", "sale"]
SELL = ["selling", "sell", "buy", "buying", "available", "in\\s+stock", "for\\s+sale", "restock(?:ed)?"]
DELIVERY = ["fast\\s+delivery", "instant\\s+delivery", "safe", "legit\\s+seller", "trusted",
            "vouches?", "proofs?", "non(?:\\s|-)?drop", "refill", "guaranteed", "24/7"]
DOUBLE = ["double", "triple", "2x", "3x", "10x", "x2", "x3", "x10", "twice"]
MONEYTHING = ["money", "crypto", "btc", "bitcoin", "eth", "investment", "deposit", "cash",
              "balance", "coins?", "gifts?", "profit", "income", "savings"]
CALL = ["dm", "pm", "message", "msg", "text", "contact", "hmu", "hit\\s+me\\s+up", "add",
        "write", "reach", "inbox", "whisper"]
PEOPLE = ["people", "viewers", "followers", "fans", "users", "subs", "gifters", "members"]
ACTION = ["follow", "comment", "share", "like", "subscribe", "sub", "gift", "type", "join",
          "repost", "tag"]
EVERY = ["everyone", "anyone", "all", "whoever", "every\\s+viewer", "every\\s+follower"]


# Unicode \W spelled out: RE2's \W (and Hyperscan's without UCP) is ASCII-only and would
# swallow Japanese or Arabic letters at a line start; an explicit class means the same in
# every engine.
NONWORD = "[^\\p{L}\\p{N}_]"


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def pick(self, lst, lo=2, hi=6):
        k = min(len(lst), self.r.randint(lo, hi))
        return self.r.sample(lst, k)

    def alt(self, lst, lo=2, hi=6):
        items = self.pick(lst, lo, hi)
        if len(items) == 1:
            s = items[0]
            return "(?:" + s + ")" if "|" in s or re.search(r"[?*+]$", s) else s
        return "(?:" + "|".join(items) + ")"

    def gap(self):
        return self.r.choice([".{0,20}", ".{0,30}", ".{0,40}", ".{0,50}", ".{0,60}", ".{0,25}", ".{0,80}"])

    def num(self):
        return self.r.choice(["[0-9][0-9,.]*\\s*k?", "[0-9]{2,7}", "[0-9]+(?:[.,][0-9]{3})*", "\\d[\\d,.]*\\s*k?", "\\d{3,6}", "[0-9]+\\s*k"])

    def dom_name(self):
        r = self.r
        return r.choice(HEADS) + r.choice(["", "", "-"]) + r.choice(TAILS)

    def typo(self, w):
        r = self.r
        w = w.lower()
        subs = {"i": ["l", "1", "!"], "l": ["1", "i"], "o": ["0"], "e": ["3"], "a": ["4", "@"],
                "s": ["5", "z"], "m": ["rn", "nn"], "t": ["7"], "c": ["k"], "g": ["q"]}
        k = r.randrange(4)
        idx = [i for i, ch in enumerate(w) if ch in subs]
        if k == 0 and idx:
            i = r.choice(idx)
            return w[:i] + r.choice(subs[w[i]]) + w[i + 1:]
        if k == 1 and len(w) > 4:
            i = r.randrange(1, len(w) - 1)
            return w[:i] + w[i + 1:]
        if k == 2:
            i = r.randrange(len(w))
            return w[:i] + w[i] + w[i:]
        i = r.randrange(len(w) - 1)
        return w[:i] + w[i + 1] + w[i] + w[i + 2:]

    # ------------------------------------------------------------------ families

    def f_gen_offer(self):
        p = self.r.random() < 0.6
        plat = "(?:" + self.alt(PLAT, 1, 4) + "\\s+)?" if p else ""
        return "(?i)\\b" + self.alt(FREE, 1, 4) + "\\s+" + plat + self.alt(CUR, 1, 5) + "\\s+" + self.alt(GEN, 1, 5) + "s?\\b"

    def f_gen_mention(self):
        return "(?i)\\b" + self.alt(CUR, 1, 4) + "\\s*" + self.alt(GEN, 2, 6) + "s?\\b"

    def f_gen_lure(self):
        if self.r.random() < 0.5:
            return "(?i)\\b" + self.alt(CUR + GEN, 2, 5) + "\\b" + self.gap() + "\\b" + self.alt(LURE, 1, 4)
        return "(?i)\\b" + self.alt(LURE, 1, 3) + "\\b" + self.gap() + "\\b" + self.alt(CUR, 2, 5) + "\\b"

    def f_plat_cur(self):
        return "(?i)\\b" + self.alt(FREE, 1, 3) + "\\s+(?:" + self.num() + "\\s+)?" + self.alt(PLAT, 1, 3) + "\\s+" + self.alt(CUR, 1, 4) + "\\b"

    def f_cur_domain(self):
        w = self.alt(FREE[:6] + ["gen", "hack", "claim", "get", "bonus"] + CUR[:10], 2, 5)
        return "(?i)\\b[a-z0-9-]{0,20}" + w + "[a-z0-9-]{0,15}\\." + self.alt(TLD, 3, 12) + "\\b"

    def f_literal_domain(self):
        d = self.dom_name() + "." + self.r.choice(TLD)
        return "(?i)\\b" + esc(d) + "\\b"

    def f_list_domain(self):
        if DOMAINS and self.r.random() < 0.7:
            return "(?i)\\b" + esc(self.r.choice(DOMAINS)) + "\\b"
        return self.f_literal_domain()

    def f_typosquat(self):
        b = self.r.choice(BRANDS)
        ts = sorted({self.typo(b) for _ in range(self.r.randint(1, 3))} - {b})
        if not ts:
            ts = [b + b[-1]]
        return "(?i)\\b(?:" + "|".join(esc(t) for t in ts) + ")\\.(?:" + "|".join(self.pick(["com", "net", "org", "gift", "ru", "xyz", "io", "co", "cc", "tv", "gg", "app", "site"], 2, 6)) + ")\\b"

    def f_brand_phish(self):
        b = self.alt(BRANDS, 1, 4)
        if self.r.random() < 0.5:
            return "(?i)\\b" + self.alt(["free", "claim", "get", "win", "redeem"], 1, 3) + "\\s+(?:a\\s+)?(?:[0-9]+\\s*\\$?\\s+)?" + b + "\\s+" + self.alt(["gifts?", "cards?", "gift\\s*cards?", "nitro", "giveaway", "vouchers?", "codes?", "credits?", "balance"], 1, 4) + "\\b"
        return "(?i)\\b" + b + "[a-z0-9-]{0,12}\\.(?:" + "|".join(self.pick(TLD, 3, 10)) + ")\\b"

    def f_reseller(self):
        return "(?i)\\b" + self.alt(CHEAP, 1, 4) + "\\s+(?:" + self.alt(PLAT, 1, 3) + "\\s+)?" + self.alt(CUR, 1, 4) + "\\b" + self.gap() + "\\b" + self.alt(CONTACT + CALL, 2, 6) + "\\b"

    def f_selling(self):
        return "(?i)\\b" + self.alt(SELL, 1, 3) + "\\s+" + self.num() + "\\s+" + self.alt(CUR + SOCIAL, 2, 5) + "\\s+for\\s+(?:only\\s+)?\\$?[0-9]+"

    def f_delivery(self):
        return "(?i)\\b" + self.alt(CUR + SOCIAL, 2, 5) + "\\b" + self.gap() + "\\b" + self.alt(DELIVERY, 1, 3) + "\\b" + self.gap() + "\\b" + self.alt(CONTACT, 1, 4) + "\\b"

    def f_phone(self):
        return "(?i)\\b" + self.alt(["whats\\s*app", "wa", "telegram", "tg", "viber", "signal", "call", "text", "sms"], 1, 3) + "\\s*[:.-]?\\s*\\+?[0-9][0-9 -]{" + str(self.r.randint(6, 8)) + ",14}[0-9]\\b"

    def f_tme(self):
        r = self.r
        k = r.random()
        if k < 0.5:
            return "(?i)\\b(?:t|telegram)\\.me/" + self.alt(["coin", "coins", "vip", "shop", "store", "deals", "admin", "support", "help", "official", "smm", "panel", "cheap", "best", "real", "plug", "agency", "boss", "king", "queen", "team", "growth"], 1, 4) + "[a-z0-9_.]{0,20}"
        if k < 0.75:
            return "(?i)\\bwa\\.me/\\+?[0-9]{8,15}\\b"
        return "(?i)\\b" + self.alt(CONTACT[:10], 1, 4) + "\\s*(?::|->|=>|-)?\\s*@" + self.alt(["coin", "vip", "shop", "store", "deals", "admin", "support", "help", "official", "smm", "cheap", "best", "real"], 1, 5) + "[a-z0-9_.]{0,20}\\b"

    def f_real(self):
        return "(?i)\\b(?:i\\s*am|i'?m|im|it'?s|its|this\\s+is)\\s+(?:the\\s+)?real\\s+@?" + self.alt(STREAMERS, 1, 6) + "\\b"

    def f_alt_account(self):
        return "(?i)\\b(?:this\\s+is|it'?s|its|here'?s|follow|add|dm)\\s+(?:me\\s+on\\s+)?my\\s+" + self.alt(ALT, 1, 5) + "\\s+" + self.alt(["account", "acc", "page", "profile", "channel", "number", "ig", "insta", "snap", "tiktok", "handle"], 1, 5) + "\\b"

    def f_official(self):
        if self.r.random() < 0.5:
            return "(?i)\\b(?:official|verified|certified|real)\\s+" + self.alt(ROLE, 1, 4) + "\\s*" + self.alt(["team", "staff", "desk", "center", "department", "agent", "squad", "office"], 1, 4) + "\\b"
        return "(?i)\\b(?:i\\s+am|i'?m|im|we\\s+are|we'?re|this\\s+is)\\s+(?:an?\\s+|the\\s+|from\\s+)?(?:official\\s+)?" + self.alt(PLAT, 1, 3) + "\\s+" + self.alt(ROLE, 1, 5) + "\\b"

    def f_threat(self):
        r = self.r
        if r.random() < 0.5:
            return "(?i)\\b(?:your|ur)\\s+" + self.alt(ACCOUNT, 1, 4) + "\\s+(?:will|would|is\\s+going\\s+to|has\\s+been|was|is|may)\\s+(?:be\\s+)?(?:permanently\\s+|temporarily\\s+)?" + self.alt(THREAT, 2, 5) + "\\b"
        return "(?i)\\b" + self.alt(THREAT, 2, 5) + "\\b" + self.gap() + "\\b(?:in|within)\\s+[0-9]{1,3}\\s*(?:h|hrs?|hours?|days?|min(?:ute)?s?)\\b" + self.gap() + "\\b" + self.alt(VERIFY, 1, 4) + "\\b"

    def f_alert(self):
        return "(?i)\\b" + self.alt(["security", "copyright", "community\\s+guidelines?", "policy", "tos", "terms\\s+of\\s+service", "account", "payment", "login"], 1, 3) + "\\s+" + self.alt(["alert", "notice", "violation", "warning", "strike", "issue", "breach", "problem"], 1, 4) + "\\b" + self.gap() + "\\b" + self.alt(VERIFY + ["click\\s+(?:here|the\\s+link|below)", "fill\\s+(?:out\\s+)?the\\s+form"], 1, 4) + "\\b"

    def f_claim_link(self):
        return "(?i)\\b" + self.alt(CLAIM, 1, 4) + "\\s+(?:your\\s+|ur\\s+|the\\s+|my\\s+)?(?:free\\s+)?" + self.alt(PRIZE + CUR[:8], 1, 5) + "s?\\b" + self.gap() + "(?:https?://|www\\.|\\b[a-z0-9][a-z0-9-]+\\.(?:" + "|".join(self.pick(TLD, 4, 12)) + ")\\b)"

    def f_login_link(self):
        return "(?i)\\b" + self.alt(VERIFY, 1, 4) + "\\b" + self.gap() + "(?:https?://[a-z0-9-]+\\.(?:" + "|".join(self.pick(TLD, 3, 8)) + ")|\\b[a-z0-9][a-z0-9-]+\\.(?:" + "|".join(self.pick(TLD, 3, 10)) + ")\\b)"

    def f_giveaway(self):
        if self.r.random() < 0.6:
            return "(?i)\\b" + self.alt(GIVEAWAY, 1, 4) + "\\b" + self.gap() + "\\b" + self.alt(CONTACT + ["join\\s+(?:my|our)\\s+(?:group|channel|chat)", "link\\s+in\\s+(?:my\\s+)?bio", "check\\s+(?:my\\s+)?(?:bio|profile)"], 1, 5) + "\\b"
        return "(?i)\\b" + self.num() + "\\s+" + self.alt(CUR, 1, 4) + "\\s+" + self.alt(GIVEAWAY, 1, 3) + "\\b"

    def f_winner(self):
        return "(?i)\\b(?:you\\s+(?:have\\s+|'ve\\s+)?been|you\\s+(?:are|were)|u\\s+(?:are|r))\\s+(?:randomly\\s+)?(?:a\\s+|the\\s+|our\\s+)?" + self.alt(WIN, 1, 4) + "\\b" + self.gap() + "\\b" + self.alt(CALL + CLAIM[:4] + CONTACT[:6], 2, 6) + "\\b"

    def f_first_n(self):
        return "(?i)\\bfirst\\s+[0-9]{1,4}\\s+" + self.alt(PEOPLE, 1, 4) + "\\s+(?:to\\s+|who\\s+)?" + self.alt(ACTION, 1, 4) + "\\b" + self.gap() + "\\b(?:gets?|wins?|receives?|will\\s+get)\\b"

    def f_everyone(self):
        return "(?i)\\b" + self.alt(EVERY, 1, 3) + "\\s+(?:who\\s+|that\\s+)?" + self.alt([a + "s?" for a in ACTION], 1, 4) + "\\b.{0,30}\\b(?:gets?|receives?|will\\s+(?:get|receive|win)|wins?)\\s+(?:a\\s+)?(?:free\\s+)?(?:" + self.num() + "\\s*)?" + self.alt(CUR, 1, 5) + "\\b"

    def f_send_back(self):
        return "(?i)\\b(?:send|gift|donate|drop)\\s+(?:me\\s+)?(?:[0-9]{1,4}|an?|one|some)\\s+" + self.alt(CUR, 1, 5) + "\\b" + self.gap() + "\\b(?:" + "|".join(self.pick(["back", "double", "2x", "x2", "times", "in\\s+return", "i'?ll\\s+send", "you\\s+get"], 2, 4)) + ")\\b"

    def f_double(self):
        return "(?i)\\b" + self.alt(DOUBLE, 1, 4) + "\\s+(?:your|ur)\\s+" + self.alt(MONEYTHING, 1, 5) + "\\b"

    def f_crypto(self):
        if self.r.random() < 0.6:
            return "(?i)\\b" + self.alt(CRYPTO, 1, 6) + "\\s+" + self.alt(["giveaway", "give\\s*away", "airdrop", "drop", "bonus", "promo", "doubler"], 1, 3) + "\\b"
        return "(?i)\\bsend\\s+(?:0?\\.[0-9]+|[0-9]+)\\s*" + self.alt(CRYPTO, 1, 5) + "\\b" + self.gap() + "\\b" + self.alt(DOUBLE + ["back"], 1, 4) + "\\b"

    def f_panel(self):
        r = self.r
        k = r.random()
        if k < 0.3:
            return "(?i)\\b" + self.alt(["smm", "followers?", "growth", "likes?", "views?", "boost(?:ing)?", "promo(?:tion)?", "engagement"], 1, 3) + "\\s+panels?\\b"
        if k < 0.7:
            return "(?i)\\b" + self.alt(["buy", "get", "gain", "grow", "boost"], 1, 3) + "\\s+" + self.num() + "\\s+(?:" + self.alt(PLAT, 1, 3) + "\\s+)?" + self.alt(SOCIAL, 1, 5) + "\\b"
        return "(?i)\\b" + self.alt(["real", "active", "non(?:\\s|-)?drop", "instant", "organic", "cheap", "high\\s+quality", "targeted"], 1, 3) + "\\s+" + self.alt(SOCIAL, 1, 4) + "\\b" + self.gap() + "\\b" + self.alt(CONTACT + CALL + ["panel", "link", "bio"], 1, 4) + "\\b"

    def f_bio(self):
        return "(?i)\\b(?:link\\s+(?:is\\s+)?in\\s+(?:my\\s+)?" + self.alt(["bio", "profile", "pinned", "description", "desc"], 1, 3) + "|check\\s+(?:out\\s+)?my\\s+" + self.alt(["bio", "profile", "pinned", "page", "videos?"], 1, 3) + ")\\b" + self.gap() + "\\b" + self.alt(CUR + SOCIAL, 2, 6) + "\\b"

    def f_ml_free(self):
        r = self.r
        k = r.random()
        if k < 0.4:
            return "(?i)" + self.alt(CUR_ML, 1, 5) + "\\s+(?:(?:de|do|para|na|di|на)\\s+)?(?:" + self.alt(PLAT[:6], 1, 2) + "\\s+)?" + self.alt(FREE_ML, 1, 4)
        if k < 0.7:
            return "(?i)" + self.alt(FREE_ML, 1, 4) + "\\s+" + self.alt(CUR_ML, 1, 4)
        if k < 0.85:
            return "(?i)" + self.alt(VERB_ML, 1, 4) + "\\s+(?:[0-9][0-9.,]*\\s*k?\\s+)?" + self.alt(CUR_ML, 1, 4)
        return "(?i)" + self.alt(CUR_ML + FREE_ML, 1, 4) + ".{0,60}" + self.alt(BIO_ML, 1, 3)

    def f_ml_giveaway(self):
        return "(?i)" + self.alt(GIVEAWAY_ML, 1, 4) + ".{0,50}" + self.alt(["telegram", "whatsapp", "t\\.me", "wa\\.me", "телеграм", "ватсап", "grupo", "gruppo", "groupe"], 1, 4)

    def f_obf_dot(self):
        return "(?i)\\b[a-z0-9-]{3,30}\\s*(?:\\[\\.\\]|\\(\\.\\)|\\(dot\\)|\\[dot\\]|\\s+dot\\s+)\\s*" + self.alt(TLD, 3, 12) + "\\b"

    def f_shortener(self):
        return "(?i)\\b" + self.alt(SHORTENERS, 1, 5) + "/[a-z0-9_-]{" + str(self.r.randint(3, 6)) + ",}"

    def f_case_sensitive(self):
        r = self.r
        k = r.randrange(5)
        if k == 0:
            return "\\b(?:FREE|UNLIMITED|CHEAP|INSTANT)\\s+(?:[A-Z]+\\s+)?" + self.alt(["COINS?", "DIAMONDS?", "GEMS", "ROBUX", "V-?BUCKS", "FOLLOWERS", "GIFTS?", "TOKENS"], 2, 5) + "\\b"
        if k == 1:
            return "\\b" + self.alt(["DM", "PM", "TEXT", "MESSAGE", "ADD"], 1, 3) + "\\s+ME\\b.{0,30}\\b" + self.alt(["TELEGRAM", "WHATSAPP", "SNAP", "DISCORD", "WA", "TG", "Telegram", "WhatsApp"], 2, 4) + "\\b"
        if k == 2:
            return "\\b[A-Z]{3,}\\s+" + self.alt(["GIVEAWAY", "AIRDROP", "GENERATOR", "HACK", "GLITCH", "PROMO", "SALE"], 1, 3) + "\\b"
        if k == 3:
            return "\\b(?:Free|FREE)\\s+" + self.alt(["Coins", "Diamonds", "Gems", "Robux", "Nitro", "Followers", "Gift\\s+Cards?", "V-Bucks"], 1, 4) + "\\b"
        return "\\b" + self.alt(["OFFICIAL", "VERIFIED", "REAL"], 1, 2) + "\\s+" + self.alt(["SUPPORT", "ADMIN", "STAFF", "MODERATOR", "TEAM", "ACCOUNT"], 1, 4) + "\\b"

    def f_anchored(self):
        r = self.r
        k = r.randrange(5)
        if k == 0:
            return "(?i)^\\s*" + self.alt(FREE + CHEAP, 1, 4) + "\\s+(?:" + self.alt(PLAT, 1, 3) + "\\s+)?" + self.alt(CUR, 1, 4) + "\\b"
        if k == 1:
            return "(?i)^(?:@[a-z0-9_.]+\\s+)?" + self.alt(CALL, 1, 4) + "\\s+me\\b"
        if k == 2:
            return "(?i)\\b(?:link\\s+in\\s+(?:my\\s+)?bio|check\\s+my\\s+" + self.alt(["bio", "profile", "page"], 1, 2) + ")" + NONWORD + "*$"
        if k == 3:
            return "(?i)\\b" + self.alt(CONTACT[:10], 1, 4) + "\\s*:\\s*@?[a-z0-9_.]{3,32}\\s*$"
        return "(?i)^" + NONWORD + "*" + self.alt(GIVEAWAY + ["sale", "promo", "deal"], 1, 3) + "\\b"

    def f_noliteral(self):
        r = self.r
        k = r.randrange(10)
        if k == 0:
            return "[\\x{1F300}-\\x{1F5FF}]{" + str(r.randint(6, 10)) + ",}"
        if k == 1:
            return "(?i)\\b[a-z0-9]{" + str(r.randint(28, 40)) + ",}\\b"
        if k == 2:
            return "[0-9]{" + str(r.randint(13, 18)) + ",}"
        if k == 3:
            # {n}, not {n,}: the same lines match, and an unbounded repeat of a group that can
            # match an empty \\s* would exhaust PCRE2's JIT stack on a line of 1,500 emoji.
            return "(?:[\\x{1F4B0}\\x{1F4B5}\\x{1F4B8}\\x{1F48E}\\x{1F381}\\x{1FA99}]\\s*){" + str(r.randint(3, 5)) + "}"
        if k == 4:
            return "(?i)\\b(?:[a-z]\\s){" + str(r.randint(8, 12)) + ",}[a-z]\\b"
        if k == 5:
            return "[\\x{1F600}-\\x{1F64F}\\x{1F910}-\\x{1F92F}]{" + str(r.randint(6, 10)) + ",}"
        if k == 6:
            return "[A-Z0-9]{" + str(r.randint(24, 32)) + ",}"
        if k == 7:
            return "[\\x{2600}-\\x{27BF}]{" + str(r.randint(5, 8)) + ",}"
        if k == 8:
            return "[!?]{" + str(r.randint(8, 14)) + ",}"
        return "(?:[\\x{1D400}-\\x{1D7FF}]\\s*){" + str(r.randint(6, 10)) + "}"

    FAMILIES = [
        ("f_gen_offer", 6), ("f_gen_mention", 4), ("f_gen_lure", 4), ("f_plat_cur", 4),
        ("f_cur_domain", 3), ("f_literal_domain", 4), ("f_list_domain", 6), ("f_typosquat", 6),
        ("f_brand_phish", 4), ("f_reseller", 5), ("f_selling", 3), ("f_delivery", 2),
        ("f_phone", 2), ("f_tme", 3), ("f_real", 3), ("f_alt_account", 2), ("f_official", 3),
        ("f_threat", 3), ("f_alert", 2), ("f_claim_link", 3), ("f_login_link", 2),
        ("f_giveaway", 4), ("f_winner", 3), ("f_first_n", 2), ("f_everyone", 2),
        ("f_send_back", 2), ("f_double", 2), ("f_crypto", 3), ("f_panel", 4), ("f_bio", 2),
        ("f_ml_free", 5), ("f_ml_giveaway", 2), ("f_obf_dot", 1), ("f_shortener", 1),
        ("f_case_sensitive", 3), ("f_anchored", 2), ("f_noliteral", 4),
    ]

    def stream(self):
        names = [n for n, _ in self.FAMILIES]
        weights = [w for _, w in self.FAMILIES]
        seen = set()
        while True:
            name = self.r.choices(names, weights)[0]
            p = getattr(self, name)()
            if p in seen:
                continue
            seen.add(p)
            yield p


DOMAINS = []


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--out", help="output file (default: stdout)")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--domains", default="/work/shared/data/discord-phishing-domains/domain-list.txt",
                    help="phishing domain list for the domain-block rules (optional)")
    args = ap.parse_args()
    try:
        with open(args.domains, encoding="utf-8") as fh:
            DOMAINS.extend(sorted(l.strip().lower() for l in fh if l.strip() and l.strip().isascii()
                                  and re.fullmatch(r"[a-z0-9.-]+", l.strip().lower())))
    except OSError:
        print("gen_patterns.py: no domain list, using generated domains only", file=sys.stderr)
    g = Gen(args.seed)
    it = g.stream()
    pats = [next(it) for _ in range(args.count)]
    text = "\n".join(pats) + "\n"
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
