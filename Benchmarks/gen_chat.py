#!/usr/bin/env python3
"""Deterministic generator of realistic live-stream chat for the matcher benchmarks.

    python3 Benchmarks/gen_chat.py --size-mb 200 --out Benchmarks/data/chat-200mb.txt

One message per line, UTF-8, '\n' line ends, no empty lines. The same arguments always
give the same bytes (fixed seed, stdlib `random` only, sorted inputs).

Vocabulary is seeded from real chat:
  * /work/shared/data/twitch-nlss-rechat/raw/*.json  (Twitch v5 rechat, MIT): message
    bodies are used as they are (about a third of the lines) and their words and emotes
    feed the synthesised English lines;
  * /work/shared/data/twitch-sgdq2017-copypasta/*.txt (MIT): long copypasta lines;
  * /work/shared/data/discord-phishing-domains/domain-list.txt (MIT): some of the
    phishing domains used in scam lines.
The rest (other languages, emoji, scam templates, hard negatives) is written here.

Mix (per line, approximately): 37% real rechat messages, 4% copypasta, 28% synthesised
English chat, 22% other languages, 6% emoji/emote-only lines, 2% hard negatives (benign
lines that talk about coins, giveaways, links, telegram...), 1% scam lines. About a
third of all lines (36%) hold emoji or non-ASCII letters.

Cross-engine agreement constraints (see README.md): every Unicode white-space character
other than ' ' (NBSP, U+3000, U+2000..U+200A, U+180E, tabs...) is replaced by ' ' and
control characters are dropped, because PCRE2/Hyperscan (UCP) \\s accept them and RE2's
\\s does not. Scam lines only use ASCII digits.
"""
import argparse
import glob
import json
import os
import random
import sys
import time
import unicodedata

SEED = 20240611
DATA = os.environ.get("SCAMSCAN_SHARED_DATA", "/work/shared/data")

# --------------------------------------------------------------------------- cleaning

_WS_EXTRA = {0x85, 0xA0, 0x1680, 0x180E, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF}
_WS_EXTRA.update(range(0x2000, 0x200B))


def clean(s):
    """Single-line, Unicode white space folded to ' ', no control characters."""
    out = []
    for ch in s:
        o = ord(ch)
        if o < 32 or o == 127:
            out.append(" ")
        elif o < 128:
            out.append(ch)
        elif o in _WS_EXTRA or ch.isspace():
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn"):
            continue
        else:
            out.append(ch)
    return " ".join("".join(out).split())


# --------------------------------------------------------------------------- real data


def load_rechat():
    msgs = []
    files = sorted(glob.glob(os.path.join(DATA, "twitch-nlss-rechat/raw/*.json")))
    for f in files:
        with open(f, encoding="utf-8") as fh:
            arr = json.load(fh)
        for c in arr[1:]:
            body = (c.get("message") or {}).get("body") or ""
            body = clean(body)
            if body:
                msgs.append(body)
    return msgs


def load_pasta():
    lines, art = [], []
    d = os.path.join(DATA, "twitch-sgdq2017-copypasta")
    for name in ("pasta_text_gamesdonequick.txt", "pasta_text_nosub.txt"):
        p = os.path.join(d, name)
        if os.path.exists(p):
            with open(p, encoding="utf-8", errors="replace") as fh:
                for l in fh:
                    l = clean(l)
                    if l:
                        lines.append(l)
    p = os.path.join(d, "pasta_unicode_gamesdonequick.txt")
    if os.path.exists(p):
        with open(p, encoding="utf-8", errors="replace") as fh:
            for l in fh:
                l = clean(l)
                if l:
                    art.append(l)
    return lines, art


def load_domains():
    p = os.path.join(DATA, "discord-phishing-domains/domain-list.txt")
    if not os.path.exists(p):
        return []
    with open(p, encoding="utf-8") as fh:
        doms = [l.strip().lower() for l in fh if l.strip() and l.isascii()]
    doms = [d for d in doms if all(c.isalnum() or c in ".-" for c in d)]
    doms.sort()
    return doms


# --------------------------------------------------------------------------- vocabulary

EMOJI = ("😂 🤣 😭 😍 🥰 😘 😎 🤔 😮 😱 😡 🥺 🙏 👍 👎 👏 🙌 💀 🔥 💯 ❤️ 💜 💙 💚 🖤 ✨ ⭐ 🌟 🎉 "
         "🎊 🎁 💰 💎 💸 🤑 👑 🏆 🎮 🕹️ 🎵 🎶 🍕 🌽 🐐 🦁 🐸 🐢 🍿 ☕ 🚀 ⚡ 💪 👀 🫡 🫠 😴 🤡 👻 😈 "
         "🥲 😅 😆 😁 🙂 🙃 😬 🤯 🥳 😤 😳 🤝 👋 ✌️ 🤞 👌 👉 👇 ☝️ 🇧🇷 🇲🇽 🇪🇸 🇷🇺 🇯🇵 🇰🇷 🇹🇷 "
         "🇺🇸 🇩🇪 🇫🇷 🇮🇩 🇵🇭 🇦🇷 🌹 🌈 ⚽ 🏀 🎯 🧠 💤 🍀 🌙").split()
SCAM_EMOJI = "🔥 💰 💎 🎁 👉 👇 ✅ 😱 🤑 💯 🚀 ⚡ 💸 🪙 🆓 ‼️ ❗ 👑 🌹 🎉 ✔️ 📲 📩 💵".split()

STREAMERS = ("northernlion ninja pokimane xqc shroud ibai auronplay elrubius casimiro gaules "
             "loud_coringa kaicenat ishowspeed amouranth valkyrae sykkuno tfue summit1g "
             "lirik sodapoppin hasanabi ludwig moistcr1tikal nickmercs timthetatman "
             "drlupo myth tommyinnit quackity rubius juansguarnizo thegrefg illojuan "
             "bratishkinoff buster evelone2004 kato_junichi shaka_jp mizkif zackrawrr "
             "jynxzi caseoh_ fanum agent00 stableronaldo lacy tarik").split()

USER_PARTS = ("dark shadow king queen lil big mr ms the real its just not pro noob epic "
              "cool crazy lazy happy sad wolf fox cat dog lion tiger dragon ninja gamer "
              "player bot pixel star moon sun sky blue red green toxic salty spicy "
              "potato taco pizza meme lord master chief boss kid baby papa mama bro sis "
              "xx zz yt ttv live").split()

NUMBERS = ["1", "2", "3", "5", "7", "10", "12", "20", "50", "69", "99", "100", "420",
           "1000", "2024", "2025", "360", "4k", "1v1", "3-0", "0-2", "x2", "9/10", "10/10"]

EN_WORDS_EXTRA = ("gg wp lol lmao omg wtf bruh pog poggers kekw lulw monkas sadge copium "
                  "hopium based cringe ratio clip it chat mods ban vote skip run strat "
                  "speedrun pb wr split reset glitch skip boss fight level stage clutch "
                  "throw tilted diff gap no way actually literally insane crazy huge w l "
                  "dub take hydrate sleep early late stream vod highlight emote sub prime "
                  "follow raid host hype train donation bits cheer gift sub bomb").split()

# Other languages: short, realistic chat phrases. Accents, Cyrillic, kana/kanji, Hangul,
# Arabic, Devanagari, Thai, Chinese. Some words are deliberately close to scam vocabulary
# (gratis, monedas, moedas, бесплатно, 無料) without being scams.
LANG = {
    "es": ("hola chat | jajaja | que buen stream | saludos desde México | saludos desde Argentina "
           "| no mames | qué pasó | eso estuvo épico | vamos equipo | buenas noches a todos | "
           "alguien sabe la canción | está muy difícil | qué risa | te amo | muy bueno | "
           "dale dale | no puede ser | sí señor | año nuevo | mañana hay directo | primera vez aquí | "
           "los mods duermen | gracias por el stream | qué juego es | ¿qué hora es allá? | "
           "¡vamos! | aquí desde España | la canción está buenísima | el último nivel | "
           "cuántas monedas cuesta eso | ya me voy a dormir | pásame el link de la canción | "
           "ese jefe está roto | otra vez perdió | están locos | qué miedo").split(" | "),
    "pt": ("oi chat | kkkkkk | que live boa | salve salve | boa noite galera | tá difícil | "
           "não acredito | vamos time | alguém sabe a música | que isso | muito bom | "
           "primeira vez aqui | saudações do Brasil | é verdade | você é demais | "
           "que jogo é esse | tô rindo muito | cadê os mods | obrigado pela live | "
           "ação demais | atenção chat | não é possível | já vou dormir | até amanhã | "
           "que mapa é esse | olha isso | coração | ele é muito bom | perdeu de novo | "
           "quantas moedas custa | segunda-feira de novo | ninguém viu isso").split(" | "),
    "ru": ("привет чат | ахахах | лол | хороший стрим | всем привет | что это было | "
           "давай давай | ну и ну | спасибо за стрим | какая игра | жесть | кто тут из Москвы | "
           "это было круто | я в шоке | не может быть | модеры спят | гг вп | всем пока | "
           "сколько стоит | красиво | удачи | первый раз тут | это бесплатно? | "
           "пацаны смотрите | ору | топ момент").split(" | "),
    "uk": ("привіт чат | дякую за стрім | слава Україні | що це було | гарна гра | "
           "добрий вечір | це неймовірно | ого | всім привіт").split(" | "),
    "ja": ("草 | www | こんにちは | おつかれさまです | かわいい | すごい | 初見です | "
           "ナイス | うまい | やばい | おめでとう | ありがとう | なにこれ | 888888 | "
           "日本から見てます | 今日も配信ありがとう | それな | 神プレイ | 笑った | "
           "おやすみなさい | このゲーム面白い | 無料で遊べるゲームですか | ボス強すぎ").split(" | "),
    "ko": ("안녕하세요 | ㅋㅋㅋㅋ | 대박 | 감사합니다 | 잘한다 | 뭐야 이거 | 와 미쳤다 | "
           "한국에서 봐요 | 좋아요 | 화이팅 | 오늘도 방송 감사해요 | ㅠㅠ | 굿굿").split(" | "),
    "zh": ("哈哈哈 | 你好 | 太强了 | 加油 | 好厉害 | 这是什么游戏 | 666 | 笑死 | "
           "主播好帅 | 晚上好 | 谢谢主播 | 来了来了").split(" | "),
    "ar": ("مرحبا | السلام عليكم | هههههه | ما شاء الله | يا سلام | رائع جدا | "
           "تحياتي من مصر | شكرا على البث | الله يعطيك العافية | ممتاز | حبيبي | "
           "وش هذا | كفو").split(" | "),
    "tr": ("selam chat | çok iyi | helal olsun | ne oluyor | harika | iyi yayınlar | "
           "Türkiye'den selamlar | güzel oyun | kardeşim | çok güldüm | teşekkürler | "
           "inanılmaz | bu ne ya").split(" | "),
    "de": ("hallo chat | geil | schön | grüße aus Österreich | was für ein Spiel | "
           "gute Nacht | Entschuldigung | das ist verrückt | läuft | ich bin müde | "
           "tschüss | straße | sehr gut").split(" | "),
    "fr": ("salut le chat | mdr | trop bien | c'est génial | ça marche | bonne soirée | "
           "très bien joué | je suis mort de rire | déjà fini | à demain | où est le lien | "
           "énorme | là c'est fou").split(" | "),
    "it": ("ciao a tutti | bellissimo | perché | che bello | più forte | città | "
           "grande | buonanotte | è pazzesco").split(" | "),
    "pl": ("cześć | dzięki za stream | świetnie | łatwo | pozdrawiam z Polski | "
           "dobra robota | żart | źle").split(" | "),
    "vi": ("xin chào | hay quá | cảm ơn | chúc ngủ ngon | trời ơi | đỉnh quá | "
           "tuyệt vời | người Việt đâu").split(" | "),
    "id": ("halo kak | mantap | wkwkwk | semangat | keren banget | salam dari Jakarta | "
           "gimana caranya | bagus sekali | terima kasih").split(" | "),
    "th": ("สวัสดี | 555555 | สุดยอด | ขอบคุณครับ | เก่งมาก | น่ารัก").split(" | "),
    "hi": ("नमस्ते | बहुत बढ़िया | भाई कमाल | धन्यवाद | मज़ा आ गया | वाह").split(" | "),
    "el": ("γεια σας | τέλειο | ευχαριστώ | καλησπέρα").split(" | "),
    "he": ("שלום | תודה רבה | מדהים | חחחח").split(" | "),
}
LANG_WEIGHTS = {"es": 20, "pt": 20, "ru": 10, "uk": 2, "ja": 9, "ko": 5, "zh": 4, "ar": 6,
                "tr": 5, "de": 4, "fr": 5, "it": 2, "pl": 2, "vi": 2, "id": 3, "th": 1,
                "hi": 1, "el": 1, "he": 1}

HARD_NEG = [
    "are free coins a thing? asking for a friend",
    "the coin generator scams are everywhere lately, report them",
    "free coins from the daily login bonus are nice",
    "reported that coin generator bot, mods pls ban",
    "never click links in chat, telegram scams everywhere",
    "how many coins is the universe gift?",
    "giveaway winner was announced on stream, nobody will DM you",
    "i spent 1000 coins in one minute on the battle lol",
    "don't trust anyone asking for your password",
    "whatsapp me? no thanks lmao",
    "followers don't matter, have fun streaming",
    "the diamonds in minecraft are deeper now",
    "bits are not free chat, stop asking",
    "mods please ban the bots selling followers",
    "the official discord link is in the panels below",
    "the real northernlion would never say that Kappa",
    "gift subs are so generous today",
    "that glitch skip was insane",
    "free to play games are getting wild",
    "no verification needed to chat? nice",
    "link in bio is a classic bot line LUL",
    "my mom won a giveaway at the supermarket once",
    "who won the giveaway last week?",
    "buying coins on the official site only guys",
    "telegram is blocked at my school lol",
    "the admin team is great here",
    "i got 50k gems in the game after 3 months grinding",
    "cheap skins are never worth it",
    "support team fixed my account in a day",
    "type 1 in chat if you are hyped",
    "monedas gratis no existen, es estafa",
    "moedas grátis é golpe, cuidado",
    "бесплатные монеты это развод",
    "無料コインは詐欺です",
    "unlimited power! PogChamp",
    "he got 100 followers in a day, well deserved",
    "the generator room in this game is scary",
    "hack the planet LUL",
    "check the pinned message for the schedule",
    "dm me the clip later",
]

# --------------------------------------------------------------------------- scam lines

SCAM_TLDS = ("xyz top icu click gift live online site link ru tk ml ga cf gq fun store shop "
             "vip club cc pw buzz info sbs cfd cyou monster app pro biz io me").split()
DOMAIN_HEADS = ("free coin coins coinz diamond diamonds gem gift gifts tiktok tik-tok twitch "
                "tt get claim bonus reward rewards promo fast boost follow followers likes "
                "fans gen generator hack vip smm panel cheap best top insta kick bigo").split()
DOMAIN_TAILS = ("4u 4free now fast hub zone pro gen generator hack tool app club world online "
                "365 24 2025 x pay store shop boost go hq center panel").split()
CURRENCY = ("coins coin coinz diamonds diamond gems robux v-bucks vbucks bits roses gifts "
            "tokens stars crystals points credits gold").split()
PLATFORMS = ("tiktok TikTok twitch Twitch kick youtube bigo likee trovo instagram insta "
             "facebook snapchat discord roblox fortnite").split()
GENS = "generator gen hack adder glitch tool method cheat exploit".split()
FREE = "free unlimited infinite FREE UNLIMITED".split()
SOCIAL = "followers likes views subs viewers fans comments shares members".split()
CONTACT_APPS = ("telegram whatsapp telegram telegram whatsapp discord signal snapchat "
                "insta kik wechat line").split()
HANDLE_PARTS = ("coin coins vip shop store deals king queen boss admin support help official "
                "team store24 plug fast cheap best real smm panel growth agency").split()


class Scam:
    def __init__(self, rng, domains):
        self.r = rng
        self.domains = domains

    def num(self):
        r = self.r
        k = r.random()
        if k < 0.3:
            return str(r.choice([1, 2, 5, 10, 20, 25, 50, 100, 250, 500])) + r.choice(["k", "K", "k", " k"])
        if k < 0.55:
            n = r.choice([1000, 2000, 5000, 10000, 15000, 20000, 50000, 100000, 250000])
            return r.choice(["{:,}", "{}", "{:,}"]).format(n) if r.random() < 0.8 else "{:,}".format(n).replace(",", ".")
        return str(r.randint(100, 99999))

    def domain(self):
        r = self.r
        if self.domains and r.random() < 0.2:
            return r.choice(self.domains)
        sep = r.choice(["", "", "-"])
        return r.choice(DOMAIN_HEADS) + sep + r.choice(DOMAIN_TAILS) + "." + r.choice(SCAM_TLDS)

    def link(self):
        r = self.r
        d = self.domain()
        k = r.random()
        if k < 0.35:
            return "https://" + d + r.choice(["", "/", "/claim", "/free", "/login", "/gift?id=" + str(r.randint(1000, 999999))])
        if k < 0.55:
            return "www." + d
        if k < 0.8:
            return d
        name, _, tld = d.rpartition(".")
        return name + r.choice([" dot ", "[.]", " (.) ", " . "]) + tld

    def handle(self):
        r = self.r
        return "@" + r.choice(HANDLE_PARTS) + r.choice(["_", ".", "", ""]) + r.choice(HANDLE_PARTS) + r.choice(["", str(r.randint(1, 999))])

    def phone(self):
        r = self.r
        cc = r.choice(["+1", "+44", "+234", "+62", "+55", "+52", "+91", "+7", "+90", "+63"])
        d = "".join(r.choice("0123456789") for _ in range(r.randint(9, 10)))
        if r.random() < 0.5:
            d = d[:3] + r.choice([" ", "-"]) + d[3:6] + r.choice([" ", "-"]) + d[6:]
        return cc + r.choice(["", " "]) + d

    def contact(self):
        r = self.r
        app = r.choice(CONTACT_APPS)
        k = r.random()
        if k < 0.3:
            return "t.me/" + self.handle()[1:]
        if k < 0.45:
            return "wa.me/" + self.phone().replace(" ", "").replace("-", "").lstrip("+")
        if app == "whatsapp" and r.random() < 0.7:
            return r.choice(["whatsapp", "WhatsApp", "WA", "whatsapp:"]) + " " + self.phone()
        return r.choice([app, app.upper(), app.capitalize()]) + r.choice([" ", ": ", " -> "]) + self.handle()

    def e(self, n=1):
        return "".join(self.r.choice(SCAM_EMOJI) for _ in range(n))

    def line(self):
        r = self.r
        cur = r.choice(CURRENCY)
        plat = r.choice(PLATFORMS)
        streamer = r.choice(STREAMERS)
        kind = r.randrange(30)
        n = self.num()
        if kind == 0:
            s = f"{r.choice(FREE)} {plat} {cur} {r.choice(GENS)} {r.choice(['no verification', 'no survey', 'no human verification', '100% working', 'still working', 'legit'])} {self.link()}"
        elif kind == 1:
            s = f"{r.choice(['omg', 'yo', 'guys', 'wow'])} this {r.choice(FREE)} {cur} {r.choice(GENS)} actually works, got {n} in {r.randint(1, 5)} minutes"
        elif kind == 2:
            s = f"get {n} {cur} {r.choice(['instantly', 'in 2 minutes', 'for free', 'in 30 seconds'])} just enter your username at {self.link()}"
        elif kind == 3:
            s = f"{r.choice(['cheap', 'cheapest', 'CHEAP', 'discount'])} {plat} {cur} {r.choice(['for sale', 'available', 'in stock', '70% off', 'half price'])} {r.choice(['dm me', 'hmu', 'contact', 'message'])} {self.contact()}"
        elif kind == 4:
            s = f"selling {n} {cur} for ${r.randint(3, 99)} only, {r.choice(['fast delivery', 'instant delivery', 'safe', 'legit seller'])} {self.contact()}"
        elif kind == 5:
            s = f"buy {plat} {cur} {r.choice(['50%', '60%', '70%', '80%'])} cheaper than the app, {r.choice(['trusted', 'legit', '100% safe'])} {self.contact()}"
        elif kind == 6:
            s = f"I'm the real {streamer}, {r.choice(['message me on', 'add me on', 'dm me on', 'text me on'])} {self.contact()} for a {r.choice(['prize', 'gift', 'reward', 'surprise'])}"
        elif kind == 7:
            s = f"this is my {r.choice(['new', 'backup', 'second', 'private', 'official'])} {r.choice(['account', 'page', 'channel'])}, {streamer} here, {r.choice(['follow', 'dm', 'add'])} {self.handle()}"
        elif kind == 8:
            s = f"{r.choice(['I am', 'im', 'we are'])} {r.choice(['twitch', 'tiktok'])} {r.choice(['support', 'staff', 'admin', 'security team', 'moderation'])}, your account will be {r.choice(['banned', 'suspended', 'deleted', 'locked'])} in {r.randint(2, 48)} hours, verify at {self.link()}"
        elif kind == 9:
            s = f"{r.choice(['official', 'verified', 'OFFICIAL'])} {r.choice(['support', 'moderation', 'admin', 'help'])} {r.choice(['team', 'staff', 'desk'])} ✅ {r.choice(['contact', 'message', 'dm'])} {self.contact()}"
        elif kind == 10:
            s = f"{r.choice(['security alert', 'copyright notice', 'policy violation', 'community guidelines strike'])}: {r.choice(['verify your account', 'login to appeal', 'confirm your identity'])} at {self.link()}"
        elif kind == 11:
            s = f"{r.choice(['claim', 'redeem', 'collect', 'grab'])} your {r.choice(['free', ''])} {r.choice(['reward', 'prize', 'gift', cur, 'nitro', 'skin'])} here {self.link()}"
        elif kind == 12:
            s = f"{r.choice(['login', 'sign in', 'log in'])} with {plat} to get {n} {cur} {self.link()}"
        elif kind == 13:
            s = f"{r.choice(['free nitro', 'free steam gift', 'steam gift 50$', 'discord nitro for free'])} {self.link()}"
        elif kind == 14:
            s = f"{r.choice(['GIVEAWAY', 'giveaway', 'Giveaway', 'BIG GIVEAWAY'])} {n} {cur} {r.choice(['join', 'check', 'details on'])} {self.contact()}"
        elif kind == 15:
            s = f"you have been {r.choice(['selected', 'chosen', 'picked'])} as a {r.choice(['lucky', ''])} winner of {n} {cur}, {r.choice(['dm', 'message', 'contact'])} {self.contact()} to claim"
        elif kind == 16:
            s = f"first {r.randint(10, 500)} {r.choice(['people', 'viewers', 'followers'])} to {r.choice(['follow', 'comment', 'share'])} get {n} {r.choice(['free ', ''])}{cur}"
        elif kind == 17:
            s = f"send me {r.randint(1, 20)} {r.choice(['roses', 'gifts', 'coins', 'lions'])} and I'll send you {n} back {self.e()}"
        elif kind == 18:
            s = f"{r.choice(['BTC', 'bitcoin', 'ETH', 'crypto', 'USDT', 'doge'])} {r.choice(['giveaway', 'airdrop'])} live now, send 0.{r.randint(1, 9)} get {r.choice(['double', '2x', 'x2'])} back {self.link()}"
        elif kind == 19:
            s = f"double your {r.choice(['money', 'crypto', 'btc', 'coins', 'investment'])} in {r.randint(1, 24)} hours {self.contact()}"
        elif kind == 20:
            s = f"buy {n} {r.choice(SOCIAL)} for ${r.randint(1, 50)} {r.choice(['real', 'active', 'non drop', 'instant'])} {r.choice(['smm panel', 'SMM PANEL', 'growth panel'])} {self.link()}"
        elif kind == 21:
            s = f"{r.choice(['want', 'need', 'get'])} more {r.choice(SOCIAL)}? {r.choice(['cheapest smm panel', 'best followers panel', 'instant followers'])} {self.link()}"
        elif kind == 22:
            s = f"{r.choice(['gain', 'get'])} {n} {plat} {r.choice(SOCIAL)} {r.choice(['in 24h', 'in 1 hour', 'overnight', 'instantly'])} {r.choice(['dm', 'contact'])} {self.contact()}"
        elif kind == 23:
            s = f"{r.choice(['monedas', 'diamantes', 'moedas'])} {r.choice(['gratis', 'grátis', 'GRATIS'])} {r.choice(['para tiktok', 'de tiktok', 'do tiktok', ''])} {r.choice(['link en mi perfil', 'link na bio', 'entra aquí', 'funcionando 100%'])} {self.link()}"
        elif kind == 24:
            s = f"{r.choice(['gana', 'ganhe', 'consigue', 'receba'])} {n} {r.choice(['monedas', 'moedas', 'diamantes'])} {r.choice(['ahora', 'agora', 'ya'])} {self.contact()}"
        elif kind == 25:
            s = f"koin {plat} gratis {r.choice(['cek bio', 'klik link', 'hubungi'])} {self.contact()}"
        elif kind == 26:
            s = f"{r.choice(['бесплатные монеты', 'бесплатные алмазы', 'раздача монет'])} {plat} {r.choice(['пиши в телеграм', 'ссылка в профиле', 'переходи'])} {self.contact()}"
        elif kind == 27:
            s = f"{r.choice(['無料コイン', '無料でコインがもらえる', 'コイン無料配布'])} {self.link()}"
        elif kind == 28:
            s = f"{r.choice(['everyone who', 'anyone who', 'whoever'])} {r.choice(['follows', 'shares', 'gifts'])} {r.choice(['me', 'this', 'now'])} {r.choice(['gets', 'will get', 'receives'])} {n} {cur}"
        else:
            s = f"{r.choice(['follow', 'sub to', 'check out'])} {self.handle()} {r.choice(['for', 'to get'])} {r.choice(['free', 'FREE'])} {cur} {r.choice(['and gifts', 'daily', 'every hour', ''])}"
        # variation: case, emoji, doubled spaces
        k = r.random()
        if k < 0.15:
            s = s.upper()
        elif k < 0.25:
            s = s.title()
        elif k < 0.30:
            s = "".join(c.upper() if r.random() < 0.5 else c for c in s)
        elif k < 0.55:
            s = s.lower()
        k = r.random()
        if k < 0.35:
            s = s + " " + self.e(r.randint(1, 4))
        elif k < 0.55:
            s = self.e(r.randint(1, 3)) + " " + s
        elif k < 0.65:
            s = self.e() + " " + s + " " + self.e()
        if r.random() < 0.05:
            s = s.replace(" ", "  ", 1)
        return " ".join(s.split())


# --------------------------------------------------------------------------- generator


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size-mb", type=float, required=True, help="output size in MB (10^6 bytes)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args()
    t0 = time.time()
    rng = random.Random(args.seed)
    r = rng.random
    choice = rng.choice
    randint = rng.randint

    rechat = load_rechat()
    pasta, art = load_pasta()
    domains = load_domains()
    if not rechat:
        sys.exit("gen_chat.py: no rechat messages found under " + DATA)
    scam = Scam(rng, domains)

    # Word pool for synthesised English: every token of every real message (so frequent
    # words stay frequent), plus extra chat slang.
    words = [w for m in rechat for w in m.split() if len(w) < 30] + EN_WORDS_EXTRA * 20
    emotes = ("Kappa PogChamp LUL KEKW OMEGALUL NotLikeThis WutFace Kreygasm BibleThump "
              "ResidentSleeper DansGame SeemsGood 4Head TriHard cmonBruh Jebaited PepeHands "
              "monkaS Pog PogU Sadge Copium catJAM widepeepoHappy EZ Clap LULW HeyGuys "
              "VoteYea VoteNay CoolStoryBob SwiftRage FailFish BabyRage").split()
    lang_names = list(LANG_WEIGHTS)
    lang_cum = []
    acc = 0
    for k in lang_names:
        acc += LANG_WEIGHTS[k]
        lang_cum.append(acc)
    import bisect

    def user():
        return "@" + choice(USER_PARTS) + choice(["_", "", "", "."]) + choice(USER_PARTS) + (str(randint(1, 9999)) if r() < 0.4 else "")

    def synth_en():
        n = randint(1, 12) if r() < 0.85 else randint(13, 30)
        toks = [choice(words) for _ in range(n)]
        if r() < 0.25:
            toks.insert(randint(0, len(toks)), choice(emotes))
        if r() < 0.1:
            toks.append(choice(NUMBERS))
        s = " ".join(toks)
        k = r()
        if k < 0.1:
            s = user() + " " + s
        elif k < 0.13:
            s = s.upper()
        if r() < 0.15:
            s += " " + choice(EMOJI) * randint(1, 3)
        return s

    def intl():
        lang = lang_names[bisect.bisect_right(lang_cum, r() * acc)]
        ph = LANG[lang]
        s = choice(ph)
        k = r()
        if k < 0.35:
            s += " " + choice(ph)
        elif k < 0.45:
            s += " " + choice(words)
        if r() < 0.3:
            s += " " + choice(EMOJI) * randint(1, 3)
        if r() < 0.15:
            s += " " + choice(emotes)
        if r() < 0.08:
            s = user() + " " + s
        if r() < 0.05:
            s += " " + choice(NUMBERS)
        return s

    def emoji_line():
        k = r()
        if k < 0.5:
            return "".join(choice(EMOJI) for _ in range(randint(1, 6)))
        if k < 0.8:
            e = choice(emotes)
            return " ".join([e] * randint(1, 5)) + " " + choice(EMOJI)
        return choice(EMOJI) + " " + choice(words) + " " + choice(EMOJI)

    def hard_neg():
        s = choice(HARD_NEG)
        if r() < 0.3:
            s = s.capitalize()
        if r() < 0.2:
            s += " " + choice(EMOJI)
        if r() < 0.1:
            s = user() + " " + s
        return s

    target = int(args.size_mb * 1_000_000)
    written = 0
    nlines = 0
    counts = {"rechat": 0, "pasta": 0, "synth": 0, "intl": 0, "emoji": 0, "hardneg": 0, "scam": 0}
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "wb") as out:
        buf = []
        while written < target:
            for _ in range(20000):
                k = r()
                if k < 0.34:
                    s = choice(rechat)
                    if r() < 0.12:
                        s = s + " " + choice(EMOJI) if r() < 0.7 else choice(EMOJI) + " " + s
                    counts["rechat"] += 1
                elif k < 0.38:
                    s = choice(art) if art and r() < 0.02 else choice(pasta)
                    counts["pasta"] += 1
                elif k < 0.63:
                    s = synth_en()
                    counts["synth"] += 1
                elif k < 0.85:
                    s = intl()
                    counts["intl"] += 1
                elif k < 0.91:
                    s = emoji_line()
                    counts["emoji"] += 1
                elif k < 0.93:
                    s = hard_neg()
                    counts["hardneg"] += 1
                elif k < 0.99:
                    s = choice(rechat) if r() < 0.5 else synth_en()
                    counts["synth"] += 1
                else:
                    s = scam.line()
                    counts["scam"] += 1
                buf.append(s)
            data = ("\n".join(buf) + "\n").encode("utf-8")
            buf.clear()
            if written + len(data) > target:
                # cut at a line end so the file is close to the requested size
                cut = data.rfind(b"\n", 0, target - written + 1)
                data = data[: cut + 1] if cut >= 0 else data[: data.find(b"\n") + 1]
            out.write(data)
            written += len(data)
            nlines += data.count(b"\n")
            if not data:
                break
    dt = time.time() - t0
    print(f"gen_chat.py: wrote {args.out}: {written} bytes, {nlines} lines in {dt:.1f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
