#!/usr/bin/env python3
"""Generate disguised variants of the hand-written held-out messages.

Reads plain.tsv (id, label, category, text) and writes heldout.tsv
(id, label, category, disguise, base, text).

Every plain scam gets one variant per family in SCAM_FAMILIES (11);
every plain ham gets one variant per family in HAM_FAMILIES (3).
Links, domains, @handles, $cashtags and phone numbers are left intact
(a scammer keeps them working/readable); the rest of the message is
disguised the way filter-dodgers do it.

Deterministic: every (seed, base id, family) gets its own random.Random.

Usage: python3 disguise.py [--seed N] [plain.tsv] [heldout.tsv]
"""
import random
import re
import sys
import unicodedata

SEED = 7321

SCAM_FAMILIES = ["zalgo", "smallcaps", "superscript", "shapealike", "diacritics",
                 "spaced", "separators", "emoji", "invisible", "leet", "mathfont"]
HAM_FAMILIES = ["invisible", "separators", "shapealike"]

# --------------------------------------------------------------------------
# tokenising: protected spans (links, handles, phones), words, other
# --------------------------------------------------------------------------
PROTECT_RE = re.compile(
    r"(?:https?://)?(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}(?:/[A-Za-z0-9_/.\-]*)?"  # domains / links
    r"|[@$][A-Za-z0-9_.]*[A-Za-z0-9_]"                                        # @handle, $cashtag
    r"|\+1 555-01\d\d"                                                         # fictional phones
)
WORD_RE = re.compile(r"[^\W_]+")


def tokenize(text):
    """-> list of [kind, str], kind in prot / word / other."""
    toks = []
    pos = 0
    for m in PROTECT_RE.finditer(text):
        toks.extend(_split_words(text[pos:m.start()]))
        toks.append(["prot", m.group()])
        pos = m.end()
    toks.extend(_split_words(text[pos:]))
    return toks


def _split_words(s):
    out = []
    pos = 0
    for m in WORD_RE.finditer(s):
        if m.start() > pos:
            out.append(["other", s[pos:m.start()]])
        out.append(["word", m.group()])
        pos = m.end()
    if pos < len(s):
        out.append(["other", s[pos:]])
    return out


def join(toks):
    return "".join(t[1] for t in toks)


KEY_STEMS = [
    # English
    "free", "coin", "diamond", "gem", "generat", "hack", "glitch", "mod", "gift", "follow",
    "cheap", "sell", "sale", "giveaway", "giving", "verif", "account", "acc", "login", "log",
    "password", "refund", "charge", "dm", "telegram", "whatsapp", "bio", "link", "click",
    "claim", "ban", "view", "like", "panel", "boost", "viral", "card", "cashapp", "paypal",
    "venmo", "zelle", "crypto", "btc", "winner", "won", "rose", "lion", "galaxy", "universe",
    "back", "manager", "support", "admin", "staff", "seed", "wallet", "code", "reward",
    "badge", "bits", "unlimited", "doubl", "send", "top", "recharge", "disput", "mistake",
    "scam", "fake", "phish", "report", "diamonds", "snap", "apk", "username", "price",
    # es / pt / id / tr / tl / hi
    "gratis", "moneda", "moeda", "koin", "jeton", "bedava", "hile", "regalo", "presente",
    "sorteo", "sorteio", "seguid", "takip", "hesab", "doğrula", "verifica", "akun", "cuenta",
    "conta", "libre", "libreng", "barat", "murah", "ucuz", "vendo", "jual", "estafa", "golpe",
    "penipu", "contracargo", "estorno", "hediye", "mesaj", "dolandır",
    # ru
    "монет", "бесплат", "генерат", "ссылк", "подар", "аккаунт", "подпис", "накрут", "развод",
    "дешев", "заблок", "розыгр",
    # ar
    "عملات", "عملة", "مجاني", "هدايا", "هدية", "تابع", "رابط", "حساب", "التوثيق", "نصب",
]


def is_key(word):
    lw = word.lower()
    for st in KEY_STEMS:
        if len(st) <= 3:
            if lw.startswith(st):
                return True
        elif st in lw:
            return True
    return False


def key_word_indices(toks, min_len=2):
    return [i for i, t in enumerate(toks)
            if t[0] == "word" and len(t[1]) >= min_len and is_key(t[1])]


def fallback_indices(toks, n=2, min_len=3):
    ws = [i for i, t in enumerate(toks) if t[0] == "word" and len(t[1]) >= min_len]
    ws.sort(key=lambda i: -len(toks[i][1]))
    return sorted(ws[:n])


def pick_targets(toks, rng, k, min_len=2):
    idx = key_word_indices(toks, min_len)
    if not idx:
        idx = fallback_indices(toks, n=k, min_len=min_len)
    if len(idx) > k:
        idx = sorted(rng.sample(idx, k))
    return idx


# --------------------------------------------------------------------------
# script helpers
# --------------------------------------------------------------------------
def is_arabic(ch):
    return "\u0600" <= ch <= "\u06ff"


def is_cyrillic(ch):
    return "\u0400" <= ch <= "\u04ff"


def map_words(toks, fn):
    """Apply fn(char) -> str to every char of word/other tokens (not prot)."""
    for t in toks:
        if t[0] != "prot":
            t[1] = "".join(fn(c) for c in t[1])
    return toks


def map_words_nfd(toks, fn):
    """Like map_words but on NFD-decomposed text (so é -> e + U+0301 -> styled e + U+0301)."""
    for t in toks:
        if t[0] != "prot":
            s = unicodedata.normalize("NFD", t[1])
            t[1] = unicodedata.normalize("NFC", "".join(fn(c) for c in s))
    return toks


def _u(name, default=None):
    try:
        return unicodedata.lookup(name)
    except KeyError:
        return default


# Cyrillic -> Latin look-alikes (used by several families for Russian text)
CYR2LAT = {"а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
           "ј": "j", "ѕ": "s", "ԁ": "d", "к": "k", "А": "A", "В": "B", "Е": "E", "К": "K",
           "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X", "У": "Y"}

# --------------------------------------------------------------------------
# families
# --------------------------------------------------------------------------
ZALGO_POOL = [chr(c) for r in [(0x300, 0x370), (0x483, 0x48A), (0x1AB0, 0x1AFF),
                               (0x1DC0, 0x1E00), (0x20D0, 0x20F1), (0xFE20, 0xFE30)]
              for c in range(*r)
              if unicodedata.category(chr(c)) in ("Mn", "Me") and c != 0x34F]
ARABIC_MARKS = [chr(c) for c in range(0x64B, 0x653)]


def f_zalgo(toks, rng):
    def fn(c):
        if not c.isalpha() or rng.random() > 0.8:
            return c
        pool = ARABIC_MARKS + ZALGO_POOL[:20] if is_arabic(c) else ZALGO_POOL
        return c + "".join(rng.choice(pool) for _ in range(rng.randint(1, 4)))
    return map_words(toks, fn)


SMALLCAPS = dict(zip("abcdefghijklmnopqrstuvwxyz", "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡxʏᴢ"))
CYR_SMALLCAPS = {"а": "ᴀ", "в": "ʙ", "е": "ᴇ", "к": "ᴋ", "м": "ᴍ", "н": "ʜ", "о": "ᴏ", "р": "ᴘ",
                 "т": "ᴛ", "с": "ᴄ", "у": "ʏ", "г": "ᴦ", "л": "ᴫ", "п": "ᴨ", "я": "ᴙ", "и": "ᴎ"}


def _arabic_isolated(c):
    try:
        name = unicodedata.name(c)
    except ValueError:
        return c
    return _u(name + " ISOLATED FORM", c)


def f_smallcaps(toks, rng):
    # Arabic has no small capitals: use presentation forms (look the same, different code points)
    def fn(c):
        lc = c.lower()
        if lc in SMALLCAPS:
            return SMALLCAPS[lc]
        if lc in CYR_SMALLCAPS:
            return CYR_SMALLCAPS[lc]
        if is_arabic(c):
            return _arabic_isolated(c)
        return c
    return map_words_nfd(toks, fn)


SUPER = dict(zip("abcdefghijklmnoprstuvwxyz0123456789",
                 "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ⁰¹²³⁴⁵⁶⁷⁸⁹"))
SUPER["q"] = _u("MODIFIER LETTER SMALL Q", "q")
SUPER_UP = dict(zip("ABDEGHIJKLMNOPRTUW", "ᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁᵂ"))
CYR_SUPER = {"а": "ᵃ", "е": "ᵉ", "о": "ᵒ", "р": "ᵖ", "с": "ᶜ", "у": "ʸ", "х": "ˣ", "к": "ᵏ",
             "м": "ᵐ", "н": "ᴴ", "т": "ᵀ", "в": "ᴮ", "и": "ᶦ", "п": "ⁿ", "л": "ᶫ", "д": "ᵈ"}
ARABIC_NONJOIN_LEFT = set("اأإآدذرزوؤةىء")
TATWEEL = "\u0640"


def f_superscript(toks, rng):
    for t in toks:
        if t[0] == "prot":
            continue
        s = unicodedata.normalize("NFD", t[1])
        out = []
        for i, c in enumerate(s):
            if c in SUPER_UP and rng.random() < 0.5:
                out.append(SUPER_UP[c])
            elif c.lower() in SUPER:
                out.append(SUPER[c.lower()])
            elif c.lower() in CYR_SUPER:
                out.append(CYR_SUPER[c.lower()])
            elif is_arabic(c) and c.isalpha():
                # no superscript Arabic letters: stretch words with tatweel (kashida) instead
                out.append(c)
                nxt = s[i + 1] if i + 1 < len(s) else ""
                if c not in ARABIC_NONJOIN_LEFT and nxt and is_arabic(nxt) and nxt.isalpha() \
                        and rng.random() < 0.6:
                    out.append(TATWEEL * rng.randint(1, 3))
            else:
                out.append(c)
        t[1] = unicodedata.normalize("NFC", "".join(out))
    return toks


SHAPE = {
    "a": ["а", "α"], "b": ["Ь"], "c": ["с", "ϲ", "¢"], "d": ["ԁ"], "e": ["е", "є"],
    "f": ["ƒ"], "g": ["ɡ"], "h": ["һ"], "i": ["і", "ι"], "j": ["ј"], "k": ["κ", "к"],
    "l": ["ӏ", "ⅼ"], "n": ["η", "п"], "o": ["о", "ο"], "p": ["р", "ρ"], "q": ["ԛ"],
    "r": ["г", "я"], "s": ["ѕ"], "t": ["τ"], "u": ["υ", "ս"], "v": ["ν", "ѵ"], "w": ["ԝ", "ω"],
    "x": ["х", "χ"], "y": ["у", "γ"],
    "A": ["А", "Α"], "B": ["В", "Β"], "C": ["С", "Ϲ"], "E": ["Е", "Ε"], "H": ["Н", "Η"],
    "I": ["І", "Ι"], "J": ["Ј"], "K": ["К", "Κ"], "M": ["М", "Μ"], "N": ["Ν"], "O": ["О", "Ο"],
    "P": ["Р", "Ρ"], "S": ["Ѕ"], "T": ["Т", "Τ"], "X": ["Х", "Χ"], "Y": ["У", "Υ"], "Z": ["Ζ"],
}
ARABIC_SHAPE = {"ي": "ی", "ى": "ی", "ك": "ک", "ه": "ە", "ا": "ﺍ", "ل": "ﻝ", "م": "ﻡ"}


def f_shapealike(toks, rng):
    def fn(c):
        if rng.random() > 0.6:
            return c
        if c in SHAPE:
            return rng.choice(SHAPE[c])
        if c in CYR2LAT:          # Russian text: swap Cyrillic for Latin twins
            return CYR2LAT[c]
        if c in ARABIC_SHAPE:     # Arabic text: Persian/presentation twins
            return ARABIC_SHAPE[c]
        return c
    return map_words_nfd(toks, fn)


DIAC = {
    "a": "áàâäãåāăą", "c": "çćčĉċ", "d": "ďđ", "e": "éèêëęěēėȩ", "g": "ğĝġģ", "h": "ĥħ",
    "i": "íìîïīįĩ", "j": "ĵ", "k": "ķǩ", "l": "łĺļľ", "n": "ñńňņ", "o": "óòôöõøōőǒ",
    "r": "řŕŗ", "s": "śšşŝș", "t": "ťţț", "u": "úùûüůūűųǔǘ", "w": "ŵẅẃ", "y": "ýÿŷ",
    "z": "źżž",
    "а": "ӑӓ", "е": "ёӗ", "и": "йӣӥ", "о": "ӧ", "у": "ӯӱўӳ", "к": "ќ", "г": "ѓ",
    "ж": "ӂӝ", "з": "ӟ", "ч": "ӵ", "ы": "ӹ", "э": "ӭ",
}
STACK = ["\u0301", "\u0300", "\u0308", "\u0303", "\u030c", "\u0328", "\u0327", "\u030a",
         "\u0304", "\u0306"]


def f_diacritics(toks, rng):
    def fn(c):
        if is_arabic(c) and c.isalpha():
            return c + rng.choice(ARABIC_MARKS) if rng.random() < 0.6 else c
        lc = c.lower()
        out = c
        if lc in DIAC and rng.random() < 0.65:
            r = rng.choice(DIAC[lc])
            if c != lc:
                up = r.upper()
                r = up if len(up) == 1 else r
            out = r
            if rng.random() < 0.25:          # stacked: a second accent on top
                out += rng.choice(STACK)
        elif c.isalpha() and rng.random() < 0.3:
            out = c + rng.choice(STACK)
        return out
    # operate on the precomposed text so existing é etc. are left as they are
    return map_words(toks, fn)


def f_spaced(toks, rng):
    if rng.random() < 0.3:
        # whole phrase: letters single-spaced, words double-spaced
        for t in toks:
            if t[0] == "word":
                t[1] = " ".join(t[1])
            elif t[0] == "other":
                t[1] = t[1].replace(" ", "  ")
        return toks
    for i in pick_targets(toks, rng, k=rng.randint(2, 4)):
        toks[i][1] = " ".join(toks[i][1])
    return toks


SEPS = [".", "_", "-"]


def _sep_word(w, rng):
    if len(w) < 2:
        return w
    sep = rng.choice(SEPS)
    if len(w) <= 6 and rng.random() < 0.55:
        return sep.join(w)                       # c.o.i.n.s
    cuts = sorted(rng.sample(range(1, len(w)), min(len(w) - 1, rng.randint(1, 2))))
    out, prev = [], 0
    for c in cuts:
        out.append(w[prev:c])
        prev = c
    out.append(w[prev:])
    return sep.join(out)                         # fr_ee, gene-rat-or


def f_separators(toks, rng):
    keys = key_word_indices(toks) or fallback_indices(toks)
    done = set()
    if keys and rng.random() < 0.4:
        # dots (or _ -) between words of a key phrase: get.free.coins
        k = rng.choice(keys)
        words = [i for i, t in enumerate(toks) if t[0] == "word"]
        pos = words.index(k)
        lo = max(0, pos - rng.randint(0, 2))
        hi = min(len(words) - 1, pos + rng.randint(1, 2))
        run = words[lo:hi + 1]
        # only join across plain single spaces
        ok = [run[0]]
        for a in run[1:]:
            between = toks[ok[-1] + 1:a]
            if len(between) == 1 and between[0][0] == "other" and between[0][1] == " ":
                ok.append(a)
            else:
                break
        if len(ok) >= 2:
            sep = rng.choice([".", ".", "_", "-"])
            for a in ok[:-1]:
                toks[a + 1][1] = sep
            done.update(ok)
    rest = [i for i in keys if i not in done and len(toks[i][1]) >= 3]
    if not rest and not done:
        rest = fallback_indices(toks)
    if len(rest) > 3:
        rest = sorted(rng.sample(rest, 3))
    for i in rest:
        toks[i][1] = _sep_word(toks[i][1], rng)
    return toks


EMOJI = ["🔥", "💎", "🪙", "💰", "🎁", "✨", "😱", "🤑", "💯", "🚀", "👉", "⭐", "💸", "🎉", "❤", "😍", "🌹"]


def f_emoji(toks, rng):
    targets = pick_targets(toks, rng, k=rng.randint(1, 2), min_len=3)
    if not targets:
        targets = pick_targets(toks, rng, k=1, min_len=2)
    for i in targets:
        w = toks[i][1]
        e = rng.choice(EMOJI)
        if rng.random() < 0.7 or i + 1 >= len(toks) or toks[i + 1][1] != " ":
            p = rng.randint(1, len(w) - 1)
            toks[i][1] = w[:p] + e + w[p:]       # fr🔥ee
        else:
            toks[i + 1][1] = " " + e + " "       # free 🔥 coins
    return toks


INVIS = ["\u00ad", "\u200b", "\u200d", "\u2060"]


def _insert_invis(w, rng, n):
    if len(w) < 2:
        return w
    cuts = sorted(rng.sample(range(1, len(w)), min(n, len(w) - 1)))
    out, prev = [], 0
    for c in cuts:
        out.append(w[prev:c])
        out.append(rng.choice(INVIS))
        prev = c
    out.append(w[prev:])
    return "".join(out)


def f_invisible(toks, rng):
    keys = set(key_word_indices(toks))
    changed = False
    for i, t in enumerate(toks):
        if t[0] == "word" and len(t[1]) >= 2:
            if i in keys:
                t[1] = _insert_invis(t[1], rng, rng.randint(1, 3))
                changed = True
            elif rng.random() < 0.5:
                t[1] = _insert_invis(t[1], rng, 1)
                changed = True
        elif t[0] == "other" and " " in t[1] and rng.random() < 0.5:
            z = rng.choice(["\u200b", "\u2060", "\u200b\u200b"])
            t[1] = t[1].replace(" ", " " + z, 1) if rng.random() < 0.5 else t[1].replace(" ", z + " ", 1)
            changed = True
    if not changed:
        for i in fallback_indices(toks, n=1, min_len=2):
            toks[i][1] = _insert_invis(toks[i][1], rng, 2)
    return toks


LEET = {"a": ["4", "@"], "e": ["3"], "i": ["1", "!"], "l": ["1", "|"], "o": ["0"],
        "s": ["$", "5"], "t": ["7"], "g": ["9"], "b": ["8"], "z": ["2"],
        "о": ["0"], "з": ["3"], "а": ["@", "4"], "ч": ["4"], "б": ["6"], "е": ["3"],
        # Arabic "Arabizi" digits
        "ع": ["3"], "ح": ["7"], "ء": ["2"], "ق": ["9"], "ط": ["6"], "خ": ["5"]}
LEET_P = {"a": .8, "e": .8, "i": .75, "o": .85, "s": .7, "l": .5, "t": .4, "g": .3, "b": .25,
          "z": .3}


def f_leet(toks, rng):
    def fn(c):
        lc = c.lower()
        if lc in LEET and rng.random() < LEET_P.get(lc, 0.8):
            return rng.choice(LEET[lc])
        return c
    return map_words_nfd(toks, fn)


MATH_STYLES = ["MATHEMATICAL BOLD", "MATHEMATICAL BOLD SCRIPT", "MATHEMATICAL SCRIPT",
               "MATHEMATICAL DOUBLE-STRUCK", "FULLWIDTH", "MATHEMATICAL SANS-SERIF BOLD",
               "MATHEMATICAL MONOSPACE", "MATHEMATICAL BOLD FRAKTUR", "MATHEMATICAL FRAKTUR",
               "MATHEMATICAL BOLD ITALIC"]
_HOLE_PREFIX = {"MATHEMATICAL SCRIPT": "SCRIPT", "MATHEMATICAL DOUBLE-STRUCK": "DOUBLE-STRUCK",
                "MATHEMATICAL FRAKTUR": "BLACK-LETTER"}
_DIGITS = ["ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE"]


def math_char(c, style):
    if "a" <= c <= "z" or "A" <= c <= "Z":
        case = "CAPITAL" if c.isupper() else "SMALL"
        if style == "FULLWIDTH":
            return _u(f"FULLWIDTH LATIN {case} LETTER {c.upper()}", c)
        r = _u(f"{style} {case} {c.upper()}")
        if r is None and style in _HOLE_PREFIX:
            r = _u(f"{_HOLE_PREFIX[style]} {case} {c.upper()}")
        return r or c
    if "0" <= c <= "9":
        d = _DIGITS[int(c)]
        if style == "FULLWIDTH":
            return _u(f"FULLWIDTH DIGIT {d}", c)
        return _u(f"{style} DIGIT {d}", c)
    return c


def f_mathfont(toks, rng):
    style = rng.choice(MATH_STYLES)

    def fn(c):
        if c in CYR2LAT:                       # Russian: Latin twin in the math font
            return math_char(CYR2LAT[c], style)
        if is_arabic(c) and c.isalpha():       # Arabic Mathematical Alphabetic Symbols
            try:
                name = unicodedata.name(c)
            except ValueError:
                return c
            if name.startswith("ARABIC LETTER "):
                return _u("ARABIC MATHEMATICAL " + name[len("ARABIC LETTER "):], c)
            return c
        return math_char(c, style)
    return map_words_nfd(toks, fn)


FAMILIES = {
    "zalgo": f_zalgo, "smallcaps": f_smallcaps, "superscript": f_superscript,
    "shapealike": f_shapealike, "diacritics": f_diacritics, "spaced": f_spaced,
    "separators": f_separators, "emoji": f_emoji, "invisible": f_invisible,
    "leet": f_leet, "mathfont": f_mathfont,
}

FORBIDDEN = set("\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def disguise(text, family, base, seed=SEED):
    # retry with a derived rng if the family happened to change nothing
    for attempt in range(20):
        rng = random.Random(f"{seed}:{base}:{family}:{attempt}")
        out = join(FAMILIES[family](tokenize(text), rng))
        if out != text:
            break
    assert not (set(out) & FORBIDDEN), (family, base)
    return out


def main(argv):
    seed = SEED
    args = list(argv)
    if "--seed" in args:
        k = args.index("--seed")
        seed = int(args[k + 1])
        del args[k:k + 2]
    src = args[0] if args else "plain.tsv"
    dst = args[1] if len(args) > 1 else "heldout.tsv"
    with open(src, encoding="utf-8") as f:
        lines = f.read().split("\n")
    assert lines[0] == "id\tlabel\tcategory\ttext", lines[0]
    rows = [ln.split("\t") for ln in lines[1:] if ln]
    n = 0
    with open(dst, "w", encoding="utf-8", newline="\n") as out:
        out.write("id\tlabel\tcategory\tdisguise\tbase\ttext\n")
        for pid, label, cat, text in rows:
            fams = SCAM_FAMILIES if label == "scam" else HAM_FAMILIES
            n += 1
            out.write(f"{n}\t{label}\t{cat}\tnone\t{pid}\t{text}\n")
            for fam in fams:
                n += 1
                out.write(f"{n}\t{label}\t{cat}\t{fam}\t{pid}\t{disguise(text, fam, int(pid), seed)}\n")
    print(f"wrote {n} rows to {dst} (seed {seed})")


if __name__ == "__main__":
    main(sys.argv[1:])
