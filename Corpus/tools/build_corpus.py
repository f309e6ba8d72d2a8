#!/usr/bin/env python3
"""Deterministic builder for ScamScan's labelled chat corpus.

Writes Corpus/chat/sample.tsv, Corpus/chat/sample.labels.tsv and Corpus/chat/sample.sources.tsv.

* Real lines are picked with fixed seeds from the third-party data in
  $SCAMSCAN_DATA (default /work/shared/data):
    - twitch-nlss-rechat/raw/*.json        (MIT, (c) 2017 Andrew Ryan)
    - twitch-sgdq2017-copypasta/*.txt      (MIT, (c) 2016 dekuNukem)
    - youtube-spam-collection/*.csv        (CC BY 4.0, Alberto, Lochter & Almeida 2015)
    - janitr-crypto-scam/sample.jsonl      (MIT, (c) 2026 Janitr)
* Everything else (the sessions below, and the scam lines injected into the
  real Northernlion sessions) was written by hand for this project.

Run:  python3 Corpus/tools/build_corpus.py   (from the repository root or anywhere)
Re-running produces byte-identical output.
"""
import csv, datetime as dt, html, json, os, random, re, sys, unicodedata
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.dirname(HERE)
OUT = os.path.join(CORPUS, 'chat')
DATA = os.environ.get('SCAMSCAN_DATA', '/work/shared/data')

LABELS = ['ham', 'coin_generator', 'reseller', 'impersonation', 'phishing',
          'giveaway', 'engagement_fraud', 'chargeback', 'other']
VERDICTS = ['allow', 'review', 'block']

# Lines we do not want to copy from real chat (slurs, sexual content, etc.).
# Checked on the NFKC form so that superscript/small-caps text is caught too.
DENY = re.compile(
    r"(fuck|shit|\bcum|dick|cuck|c u c|nigg|fag|retard|rape|penis|vagina|tits|porn|sex|lewd|"
    r"\bgay|\bjew|hitler|nazi|kill|kys|autis|cancer|suicide|slut|whore|boob|\banal|bitch|cock|"
    r"pussy|hentai|weiner|rainbow part|weeb|trump|isis|chink|wetback|motherf|whites|anele|trihard|cmonbruh|\btit\b)", re.I)


def denied(s):
    return bool(DENY.search(unicodedata.normalize('NFKC', s)))


def clean(s):
    """One chat line: no tabs/newlines, no BOM, single-spaced where a newline was."""
    s = s.replace('\ufeff', '')
    s = re.sub(r'\s*[\r\n]+\s*', ' ', s)
    s = s.replace('\t', ' ')
    return s.strip()


def iso(t):
    return t.strftime('%Y-%m-%dT%H:%M:%SZ')


def lang_of_real(msg):
    if re.search(r'[\u3041-\u3096\u30a1-\u30fa]{2,}', msg):   # kana words (not the ヽ rain art)
        return 'ja'
    if re.search(r'[A-Za-z]{2,}', msg):
        return 'en'
    return 'none'

# ---------------------------------------------------------------------------
# 1. Real Twitch chat: Northernlion Live Super Show rechat (MIT)
# ---------------------------------------------------------------------------
RECHAT = os.path.join(DATA, 'twitch-nlss-rechat', 'raw')
# (vod id, random singles, contiguous-window length)
VODS = [('84065913', 28, 12), ('98355852', 22, 10), ('103227724', 24, 10),
        ('115328018', 24, 10), ('158202424', 22, 10)]
BOTS = {'nightbot', 'moobot'}
# Bot/command replies kept on purpose as hard negatives (links, "subscribe",
# "follow him", merch).  Moderation notices ("-> ... [warning]", "No Twitch
# memes, spamming, long messages, or links allowed") are never taken.
BOT_PICKS = [
    ('84065913', 'moobot', "You can subscribe to Northernlion's channel"),
    ('84065913', 'nightbot', 'Did someone say sellout??'),
    ('98355852', 'nightbot', 'Watch all perspectives at the same time here'),
    ('98355852', 'moobot', 'Thanks for subbing'),
    ('103227724', 'nightbot', 'Rob streams over at twitch.tv/alpacapatrol'),
    ('103227724', 'eluc', 'https://teespring.com/stores/alpacapatrol'),
    ('115328018', 'nightbot', 'Time until the next NLSS'),
    ('115328018', 'moobot', 'Welcome '),
    ('158202424', 'nightbot', "TODAY'S DOCKET"),
]
# Hand-written scams injected into the real sessions, after the n-th picked
# line of that VOD (Twitch flavour of the time: bits, follows, viewers).
NL_INJECT = [
    ('84065913', 5, 'bitz_free_club', 'coin_generator', 'block', 'synthetic injected: bits generator link',
     'FREE TWITCH PRIME + 5000 BITS generator, no survey no password -> bits-free.club'),
    ('84065913', 17, 'viewrocket_pro', 'engagement_fraud', 'block', 'synthetic injected: viewers seller, spaced domain',
     'Wanna grow your stream? Real viewers and followers, cheap and fast! streamboost .pro'),
    ('84065913', 30, 'lucky_nl_fan', 'giveaway', 'block', 'synthetic injected: follow-to-win',
     'first 20 ppl to follow me get a free sub to NL, just giving back to the community <3'),
    ('98355852', 6, 'clipz_tv_lol', 'phishing', 'block', 'synthetic injected: fake clip link',
     'NL look at this clip of you lmao twitch.tv-clip.ru/FrailBaboonCougar'),
    ('98355852', 19, 'northernIion_alt', 'impersonation', 'block', 'synthetic injected: capital-I look-alike alt asks for bits',
     'this is my alt, main is bugged. cheer your bits in my channel tonight instead, it all goes to the same place'),
    ('98355852', 12, 'cheap_bits_2k16', 'reseller', 'block', 'synthetic injected: cheap bits + skype',
     'selling cheap bits 10k for $50 paypal only, add skype cheapbits.store'),
    ('103227724', 9, 'skinz_drop_2016', 'phishing', 'block', 'synthetic injected: steam look-alike login',
     'NLSS viewers get free CS:GO skins tonight, log in with steam at steamcommunlty-gift.com'),
    ('103227724', 22, 'keys_and_bits', 'reseller', 'review', 'synthetic injected: cheap bits/keys, dm only',
     'selling steam keys and bits 60% cheaper than twitch, whisper me'),
    ('115328018', 4, 'nlss_raffle_mod', 'impersonation', 'review', 'synthetic injected: fake mod wants emails',
     '[MOD] whisper me your email for the NLSS end of year raffle, winners picked tonight'),
    ('115328018', 13, 'b1tsgen_bot', 'coin_generator', 'block', 'synthetic injected: leetspeak bits generator',
     'fr33 b1ts h3re >>> b1tsgen . com <<< w0rks 100%'),
    ('115328018', 24, 'homejob_kelly', 'other', 'review', 'synthetic injected: work-from-home job scam',
     'I make $300 a day working from home with just my laptop, message me and I will show you how'),
    ('158202424', 7, 'buyfollows_net', 'engagement_fraud', 'block', 'synthetic injected: follower seller',
     'buy twitch followers 1000 for $4, paypal accepted, instant delivery viewbotz.net'),
    ('158202424', 19, 'bits_doubler', 'giveaway', 'block', 'synthetic injected: send-1-get-10-back',
     'cheer 100 bits in my channel and I send 1000 back, proven legit ask chat'),
]


def rechat_ok(x):
    b = x['message']['body']
    if x.get('source') != 'chat':
        return False
    if '\t' in b or '\n' in b or '\r' in b or not b.strip():
        return False
    if x['commenter']['name'] in BOTS:
        return False
    if len(b) > 200 or denied(b):
        return False
    return True


def rechat_rows():
    rng = random.Random(20261102)
    rows = []
    for vod, k, w in VODS:
        path = os.path.join(RECHAT, f'rechat-{vod}.json')
        d = json.load(open(path, encoding='utf-8'))[1:]
        cand = [(i, x) for i, x in enumerate(d, 1) if rechat_ok(x)]
        s = rng.randrange(0, len(cand) - w * 3)
        window = range(s, s + w * 3)
        pool = [i for i in range(len(cand)) if i not in window]
        singles = sorted(rng.sample(pool, k))
        # curated bot lines first (one line per second in each session)
        bots, secs = [], set()
        for bvod, bname, prefix in BOT_PICKS:
            if bvod != vod:
                continue
            for i, x in enumerate(d, 1):
                if x['commenter']['name'] == bname and x['message']['body'].startswith(prefix) \
                        and x['created_at'][:19] not in secs:
                    bots.append((i, x)); secs.add(x['created_at'][:19]); break
            else:
                sys.exit(f'bot pick not found: {bvod} {bname} {prefix}')
        chosen = []
        for i in window:                       # contiguous burst, one line per second
            sec = cand[i][1]['created_at'][:19]
            if sec in secs:
                continue
            chosen.append(i); secs.add(sec)
            if len(chosen) == w:
                break
        for i in singles:
            sec = cand[i][1]['created_at'][:19]
            if sec not in secs:
                chosen.append(i); secs.add(sec)
        picked = [cand[i] for i in sorted(chosen)] + bots
        picked.sort(key=lambda p: p[1]['created_at'])
        vrows = []
        for i, x in picked:
            t = dt.datetime.strptime(x['created_at'][:19], '%Y-%m-%dT%H:%M:%S')
            body = clean(x['message']['body'])
            name = x['commenter']['name']
            isbot = name in BOTS or name == 'eluc'
            vrows.append(dict(t=t, channel='northernlion', user=name, msg=body, label='ham',
                              verdict='allow',
                              note='rechat real line; bot/mod command with legit link' if isbot and ('http' in body or '.tv/' in body or '.net/' in body)
                              else ('rechat real line; bot command' if isbot else 'rechat real line'),
                              lang=lang_of_real(body),
                              src='twitch-nlss-rechat', ref=f'rechat-{vod}.json#{i} ({x["_id"]})'))
        # inject hand-written scams into the gaps of this session
        for ivod, after, user, label, verdict, note, msg in NL_INJECT:
            if ivod != vod:
                continue
            pos = after
            while True:
                a, b = vrows[pos - 1]['t'], vrows[pos]['t']
                if (b - a).total_seconds() >= 2:
                    break
                pos += 1
            t = a + (b - a) / 2
            t = t.replace(microsecond=0)
            if t <= a:
                t = a + dt.timedelta(seconds=1)
            vrows.insert(pos, dict(t=t, channel='northernlion', user=user, msg=msg, label=label,
                                   verdict=verdict, note=note, lang='en', src='hand-written', ref='injected into real session'))
        rows += vrows
    return rows

# ---------------------------------------------------------------------------
# 2. Real copypasta (SGDQ 2017, MIT); usernames are made up (source has none)
# ---------------------------------------------------------------------------
PASTA = os.path.join(DATA, 'twitch-sgdq2017-copypasta')


def pasta_lines():
    rng = random.Random(20261107)
    out = []
    for f, n, maxlen, group in [('pasta_text_gamesdonequick.txt', 22, 300, False),
                                ('pasta_text_nosub.txt', 4, 300, False),
                                ('pasta_unicode_gamesdonequick.txt', 6, 500, True)]:
        seen, cand = set(), []
        for i, l in enumerate(open(os.path.join(PASTA, f), encoding='utf-8'), 1):
            s = clean(l)
            if not s or s in seen or len(s) > maxlen or denied(s):
                continue
            key = s[:3] if group else s        # unicode art: one line per style
            if key in seen:
                continue
            seen.add(key); seen.add(s)
            cand.append((i, s))
        for i, s in rng.sample(cand, n):
            out.append((f, i, s))
    rng.shuffle(out)
    return out

# ---------------------------------------------------------------------------
# 3. Real spam: YouTube Spam Collection (CC BY 4.0) and Janitr (MIT)
# ---------------------------------------------------------------------------
YT = os.path.join(DATA, 'youtube-spam-collection')
JANITR = os.path.join(DATA, 'janitr-crypto-scam', 'sample.jsonl')


def yt_comment(cid):
    for f in sorted(os.listdir(YT)):
        if not f.endswith('.csv'):
            continue
        for r in csv.DictReader(open(os.path.join(YT, f), encoding='utf-8')):
            if r['COMMENT_ID'] == cid:
                assert r['label'] == '1', cid
                return f, clean(html.unescape(r['CONTENT']))
    sys.exit(f'YouTube comment not found: {cid}')


def janitr_post(pid):
    for n, l in enumerate(open(JANITR, encoding='utf-8'), 1):
        r = json.loads(l)
        if r['id'] == pid:
            return n, clean(r['text'])
    sys.exit(f'Janitr post not found: {pid}')

# ---------------------------------------------------------------------------
# 4. Hand-written sessions.  One line per message:
#      user | lang | label | verdict | note | message
#    label "ham" always has verdict "allow".  Special messages:
#      @PASTA          next real copypasta line (lang/note filled in)
#      @YT:<id>        real YouTube spam comment, by COMMENT_ID
#      @JANITR:<id>    real Janitr post, by id
# ---------------------------------------------------------------------------
SESSIONS = []


def session(channel, start, text):
    SESSIONS.append((channel, start, text))


session('lunapaints', '2026-11-02T20:00:05', r"""
mirabelle.draws | en | ham | allow | greeting | hiii luna!! first time catching you live 💜
tomasz_k | en | ham | allow | | yo what are we painting today
lunapaints | en | ham | allow | streamer | hi hi! tonight we finish the moth in the lantern piece 🦋 wings first
pixelpetal | en | ham | allow | mod greeting | welcome in everyone, be nice and have fun 🌙
gouache_goblin | en | ham | allow | | the palette on this one is insane
kiki_ramen | en | ham | allow | near-miss: asks if free coins exist | are free coins a thing? my little brother keeps asking me lol
pixelpetal | en | ham | allow | near-miss: mod explains coins only from app | @kiki_ramen nope, coins only come from the app store / google play. anyone promising free coins is scamming
kiki_ramen | en | ham | allow | | ty thats what i thought
soft.brush.club | en | ham | allow | near-miss: mentions sending a gift | just sent a rose for the moth 🌹
lunapaints | en | ham | allow | near-miss: thanks for the gift | thank you soft brush!! 💜
luna.paints.backup | en | impersonation | block | backup account asks for gifts | hey guys its luna 💜 this is my backup acc, my main is glitching so send ur gifts here instead 🙏
gouache_goblin | en | ham | allow | | ??? luna is literally talking right now
pixelpetal | en | ham | allow | near-miss: "the real luna" | thats not her, blocked. the real luna is only @lunapaints
mirabelle.draws | en | ham | allow | | how do you get the glow on the lantern
lunapaints | en | ham | allow | | layering! dark base, soft airbrush on top, then a tiny dot of white
freecoinz_4u | en | coin_generator | block | generator link | FREE TIKTOK COINS 🪙 no human verification just enter ur username at coinz-free.xyz 🔥🔥
tomasz_k | en | ham | allow | near-miss: mocks the link | bro nobody is clicking that
hazel_ok | en | ham | allow | near-miss: asks to report free-coins bot | someone report the free coins bot pls
doodle_dad_ | en | ham | allow | | my daughter says hi, she made a moth drawing too
lunapaints | en | ham | allow | | omg hi to her!! show me next time 😭
cinnamon_arts | en | ham | allow | emote spam | 🦋🦋🦋🦋
coinplug.sara | en | reseller | review | cheap coins, dm only | selling coins cheaper than the app, dm me 😉
birdie_mae | en | ham | allow | near-miss: "real MVP" | who's the real MVP tonight? the moth obviously
kiki_ramen | en | ham | allow | near-miss: offers to DM | @pixelpetal I'll DM you the fan art for the schedule post
soft.brush.club | en | ham | allow | near-miss: legit past giveaway | that giveaway last week was legit btw, my print came in the mail today!!
lunapaints | en | ham | allow | | yay!! so glad it arrived safe 🥹
official.tiktok.support_ | en | phishing | block | fake support, ban threat + verify link | ⚠️ Official Support: your LIVE account was reported for copyright and will be banned in 24h. Verify now at tiktok-safety-center.help/verify
hazel_ok | en | ham | allow | | lmao "official support" with an underscore at the end
pixelpetal | en | ham | allow | near-miss: mod scam warning | reminder: tiktok staff will NEVER message you in chat. don't click links
gouache_goblin | en | ham | allow | | the wings are coming out so good
brushbrushbrush | en | ham | allow | near-miss: coins on sale in app | coins are on sale in the app store this weekend btw, got 20% extra
mirabelle.draws | en | ham | allow | | wait really? gonna check
gifts4luna_fan | en | giveaway | block | follow-to-win coins | 🎁 FIRST 50 TO FOLLOW ME WIN 5K COINS 🎁 winners announced on my page!!
tomasz_k | en | ham | allow | | these bots are relentless today
cinnamon_arts | en | ham | allow | | what brush size is that
lunapaints | en | ham | allow | | the 2 round, super tiny
rose_return_x10 | en | giveaway | block | send 1 get 10 back | send 1 rose to me and get 10 back 🌹🌹 verified 💯 test me
birdie_mae | en | ham | allow | | "test me" 💀
doodle_dad_ | en | ham | allow | near-miss: follower count after raid | my follower count went up after the raid yesterday, thanks whoever that was
growfast.smm | en | engagement_fraud | block | smm panel with link | buy 1k followers $5, 10k views $3 💸 best smm panel 👉 smmboost-panel.shop
hazel_ok | en | ham | allow | | mods 🔨
pixelpetal | en | ham | allow | near-miss: "stop spamming links" | got it. stop spamming links pls
lilypad_sketch | en | ham | allow | | can we see the reference again?
lunapaints | en | ham | allow | | yep one sec
lunaa.paints | en | impersonation | block | "real luna" alt, no ask, but from a look-alike of the channel owner (lunaa.paints) | this is the real luna, my main got shadowbanned, follow this one 💜
soft.brush.club | en | ham | allow | near-miss: "real luna is live on her main" | nah the real luna is live on her main rn, that's a fake
kiki_ramen | en | ham | allow | near-miss: quotes "free coin generator" | someone in chat said free coin generator lol dont click that
cheapcoins.id | en | reseller | block | discount coins + whatsapp | 💰 COINS 70% OFF 💰 70k coins only $99, fast delivery, whatsapp +1 (347) 555-0182
gouache_goblin | en | ham | allow | near-miss: mocks stolen-card coins | 70% off lmao stolen card speedrun
tomasz_k | en | ham | allow | | fr if its that cheap its someone elses card
lunapaints | en | ham | allow | near-miss: streamer says buy in app | guys please only buy coins in the app, I don't want anyone getting their account banned 😭
birdie_mae | en | ham | allow | | understood captain 🫡
mod_luna_team | en | impersonation | block | fake mod asks for gift + email | Hi I'm a moderator for Luna 🛡️ we're picking top gifters for a collab, send a Galaxy and DM me your email to get selected
pixelpetal | en | ham | allow | near-miss: mod says not a mod | that is not a mod. our mods have the badge next to the name. blocking
cinnamon_arts | en | ham | allow | | thanks pixel ❤️
lilypad_sketch | en | ham | allow | | who else is here from the reel
luna.x.tiktok.gw | en | giveaway | block | fake collab giveaway, claim link | 🎉 LUNA x TIKTOK GIVEAWAY 🎉 iPhone 17 for 3 lucky viewers, claim yours at luna-giveaway.win before it ends
mirabelle.draws | en | ham | allow | | me!!
brushbrushbrush | en | ham | allow | caps | LUNA THE SHADING 😭😭😭
c0inzdrop_bot | en | coin_generator | block | leetspeak + spaced telegram link | fr33 c0ins 4 every1 👉 t . me/c0inzdrop ✅
hazel_ok | en | ham | allow | | how do these guys get in so fast
luna_fanclub_vip | en | giveaway | review | fake fanclub giveaway, collects handles | luna's fanclub is giving away 10k coins to loyal fans, comment your @ below 👇
doodle_dad_ | en | ham | allow | | lol the fanclub that doesnt exist
coinsbyjay_ | en | reseller | block | ALL CAPS seller + instagram | SELLING COINS CHEAP!!! 1K COINS = $5 !!! DM ME ON IG @coinsbyjay_official
lunapaints | en | ham | allow | near-miss: streamer on giveaways | there is no fanclub giveaway!! the only giveaways I do are announced on stream by me
gouache_goblin | en | ham | allow | emote spam | 🌙🌙🌙🌙🌙🌙🌙🌙
luna_sis_anna | en | impersonation | block | fake relative asks for gifts | luna's sister here 🥺 she asked me to collect gifts for her hand surgery, please gift to my account, every rose helps
lilypad_sketch | en | ham | allow | | luna doesnt even have a sister??
soft.brush.club | en | ham | allow | near-miss: gift mention | gifted a donut for the moth baby 🍩
lunapaints | en | ham | allow | | thank you!!! and no, I don't have a sister lol, please ignore anyone asking for gifts for me
gift.center.tt | en | phishing | block | fake gift delivery, re-login link | ❗ your gift could not be delivered. re-login here to receive it: tiktok-giftcenter.click
tomasz_k | en | ham | allow | | is there a VOD later? I gotta run
pixelpetal | en | ham | allow | near-miss: legit link info | VOD goes on youtube tomorrow, link will be in luna's bio
modded_tt_plus | en | coin_generator | block | modded app download | TikTok MOD APK 2026 unlimited coins + all gifts unlocked ✅ download: tt-mod-plus.apk.fyi
lilypad_sketch | en | ham | allow | near-miss: "modded apk" warning | modded apk = virus, everyone knows that
plug4coins | en | reseller | block | plug with snapchat | need coins? i got a plug 🔌 way cheaper than the app, snap me coinplug_real
ff_back_100 | en | engagement_fraud | review | follow-for-follow | follow for follow? 🔁 i always follow back
glitchcoins_k | en | coin_generator | review | "glitch" free coins, dm | who wants free coins?? found a glitch that gives 10k, message me
stars_hiring | en | other | review | job scam, no contact | need 5 girls for a paid promo job $300/day, dm me on telegram
birdie_mae | en | ham | allow | | ew
kiki_ramen | en | ham | allow | | bye luna good stream!!
lunapaints | en | ham | allow | | bye everyone, thanks for hanging out with the moth 🦋💜
""")

session('dj_kairo', '2026-11-03T02:00:12', r"""
pepe.beats | es | ham | allow | greeting | buenas noches kairo 🔥🔥
luisa_mty | es | ham | allow | | saludos desde Monterrey!!
thiago.sp | pt | ham | allow | | boa noite do Brasil 🇧🇷🇧🇷
dj_kairo | en | ham | allow | streamer | welcome welcome, tonight is a 2 hour latin house set, requests open 🎧
marco_vinyl | en | ham | allow | | this bassline is illegal
ana.bea | pt | ham | allow | | esse drop 🔥🔥🔥
pepe.beats | es | ham | allow | | que temazo
monedas.gratis.ya | es | coin_generator | block | Spanish generator link | 🪙 MONEDAS GRATIS para TikTok 🪙 sin verificación, solo pon tu usuario en monedas-gratis.click ✅✅
luisa_mty | es | ham | allow | near-miss: asks if free coins exist | alguien sabe si las monedas gratis existen? mi primo dice que sí
vale_mod | es | ham | allow | near-miss: mod warning | no existen, son estafas. no le den click a nada que peguen en el chat
thiago.sp | pt | ham | allow | near-miss: "free coins don't exist" | moedas grátis não existem gente, é golpe
jorge_93 | es | ham | allow | near-miss: bought coins in app, sends gift | acabo de comprar monedas en la app, ahí va una rosa 🌹
dj_kairo | es | ham | allow | near-miss: thanks for gift | gracias por el regalo Jorge!! 🙏
marco_vinyl | en | ham | allow | | from Toronto, vibing
ana.bea | pt | ham | allow | | tô no trabalho escondida ouvindo kkkkk
vendo.monedas.mx | es | reseller | block | cheap coins + whatsapp | vendo monedas más baratas que en la app 💸 10 mil monedas x 40 dólares, escríbeme al wsp wa.me/15555550147
pepe.beats | es | ham | allow | near-miss: asks to report coin seller | que alguien reporte al que vende monedas
vale_mod | es | ham | allow | | listo, baneado
moedinha_barata | pt | reseller | review | cheap coins, dm only | vendo moedas baratinho, chama no privado 😉
kairo.official.2 | es | impersonation | block | backup account asks gifts | hola soy kairo, esta es mi cuenta secundaria porque la principal tiene problemas. mándenme los regalos acá porfa 🙏
luisa_mty | es | ham | allow | near-miss: "el verdadero kairo" | jajaja el verdadero kairo está aquí pinchando
thiago.sp | pt | ham | allow | near-miss: "o verdadeiro" | o verdadeiro kairo tá ao vivo aqui, o resto é fake
bea_music | en | ham | allow | | kairo drop the tracklist pls
dj_kairo | en | ham | allow | near-miss: DM/discord mention | tracklist goes in the discord after the stream, I'll DM the mods the link
luisa_mty | es | ham | allow | near-miss: asks for discord link | me pasas el link del discord?
vale_mod | es | ham | allow | near-miss: link is in profile | el link del discord está en el perfil de Kairo, nunca en el chat
sorteo_tiktok_mx | es | giveaway | block | follow-to-win coins | 🎉 SORTEO 🎉 los primeros 30 que me sigan ganan 5000 monedas, sigan y comenten LISTO
jorge_93 | es | ham | allow | near-miss: legit past giveaway | el sorteo de la semana pasada sí fue real, me llegaron los audífonos 🎧
ana.bea | pt | ham | allow | | manda aquela remix da Anitta
dj_kairo | pt | ham | allow | | próxima é ela 😎
tiktok.aviso.oficial | pt | phishing | block | fake official notice + login link | Aviso oficial do TikTok: sua conta será suspensa por violação das diretrizes. Confirme seus dados em tiktok-verificacao.com.br/login
thiago.sp | pt | ham | allow | near-miss: warns about link | ninguém clica nisso pelo amor de deus
marco_vinyl | en | ham | allow | | what DAW do you use?
25k_in_2min | en | coin_generator | block | generator claim, link in bio; severity per pack guidance | free coins generator actually works!! got 25k in 2 min, link in my bio 👆
dj_kairo | en | ham | allow | | ableton + way too much coffee
panel.latam.smm | es | engagement_fraud | block | follower panel link | compra seguidores reales 1000 x $3 usd 📈 panel smm 24/7 👉 panelsmm-latam.store
pepe.beats | es | ham | allow | | jajajajaja ya parenle
luisa_mty | es | ham | allow | near-miss: follower goal | vamos kairo, 10k seguidores hoy!!
kairofan_22 | en | chargeback | block | accidental-gift refund threat, cashapp | kairo I accidentally sent you 20k coins instead of 2k 😭 please refund me $150 on cashapp $kairofan22 or I have to chargeback and your account gets flagged
vale_mod | en | ham | allow | near-miss: mod on refunds | nobody sends refunds on cashapp, gifts can't be refunded like that. ignore
bea_music | en | ham | allow | | pon reggaeton viejo porfa
dj_kairo | es | ham | allow | | después de esta, lo prometo
mod.kairo.vip | es | impersonation | block | fake mod, gift to my account for VIP | soy moderador de Kairo 🛡️ los 5 que más regalen en mi cuenta entran al VIP del discord, apúrense
f4f_bea | en | engagement_fraud | review | follow for follow | f4f? follow me i follow back 💯
cheap_c0ins_plug | en | reseller | block | spaced letters + spaced telegram | cheap c o i n s 💰 way under app price t . me/cheapcoinsplug
jorge_93 | es | ham | allow | near-miss: gift goal | ya casi llegamos a la meta de regalos 🎯
ana.bea | pt | ham | allow | near-miss: gift goal | meta de presentes batida!! 🎉🎉
premios.tiktok.mx | es | phishing | block | fake prize, login link | felicidades 🎁 ganaste un premio de TikTok, reclámalo iniciando sesión en premios-tiktok.live antes de las 12
luisa_mty | es | ham | allow | | otro bot 🙄
moedas.gratis.br | pt | coin_generator | block | Portuguese generator + short link | MOEDAS GRÁTIS 🔥 gerador funcionando 2026 👉 bit.ly/3xYzMoedas
inversiones_rapidas | es | other | block | investment scam + telegram | gana $500 diarios desde tu casa invirtiendo en cripto 📈 info por telegram @inversiones_rapidas_oficial
equipe.kairo | pt | impersonation | review | fake team member, dm | sou da equipe do kairo, me chama no direct pra participar do grupo VIP
thiago.sp | pt | ham | allow | | kairo não tem equipe nenhuma kkkkkk
kairo.manager | en | impersonation | block | fake manager, send gift + DM | Kairo's manager here 👔 we're booking fans for a meet & greet, send a gift + DM me to confirm your spot
vale_mod | en | ham | allow | near-miss: mod warning | kairo has no manager in chat. anyone asking you for gifts or DMs is fake
devolve.pix | pt | chargeback | block | accidental-gift refund via pix | mandei 10 mil moedas sem querer, devolve no pix senão vou contestar no cartão e sua conta cai
marco_vinyl | en | ham | allow | | this transition at 1:14 was crazy
pepe.beats | es | ham | allow | caps | KAIRO KAIRO KAIRO
ana.bea | pt | ham | allow | | amo esse set ❤️
dj_kairo | en | ham | allow | | love you all, see you thursday 🙌
""")

session('mika_cooks', '2026-11-04T10:30:20', r"""
rina.putri | id | ham | allow | greeting | halo kak mika! masak apa hari ini?
mika_cooks | en | ham | allow | streamer | hi everyone! today rendang, slow cooked for 3 hours 😋
budi_santoso88 | id | ham | allow | | wangi banget kayaknya 🤤
jessa.cebu | tl | ham | allow | | ang sarap naman nyan ate
jessa.cebu | tl | ham | allow | | taga Cebu po ako, hello!
marvin_tl | tl | ham | allow | | pwede po ba gata ng niyog na de lata?
mika_cooks | en | ham | allow | | yes canned coconut milk is totally fine!
koin.gratis.id | id | coin_generator | block | Indonesian generator link | KOIN GRATIS 100rb 🪙 tanpa top up, klik koin-gratis.site masukin username aja
rina.putri | id | ham | allow | near-miss: asks if free coins exist | koin gratis itu beneran ada gak sih?
dewi_mod | id | ham | allow | near-miss: mod says scam | gak ada kak, itu penipuan. beli koin cuma dari aplikasi ya
budi_santoso88 | id | ham | allow | near-miss: bought coins in app, gift | barusan beli koin di app, kirim mawar buat kak mika 🌹
mika_cooks | id | ham | allow | near-miss: thanks for gift | makasih Budi!! 🙏
jual.koin.murah | id | reseller | block | cheap coins + whatsapp | jual koin tiktok murah meriah 💯 1000 koin cuma 50rb, wa.me/15555550131
jessa.cebu | tl | ham | allow | near-miss: asks to report coin seller | sino yung nagbebenta ng coins? ireport natin
sam_eats | en | ham | allow | | how long do you toast the coconut?
mika_cooks | en | ham | allow | | until golden brown, like 10 min, keep stirring
libreng.coins.ph | tl | giveaway | block | first-N-to-follow win coins | LIBRENG 5000 COINS sa unang 20 na mag-follow sa akin!! i-follow na agad 👇
marvin_tl | tl | ham | allow | | hahahaha scam yan
sam_eats | en | ham | allow | | thanks for the recipe last week, made it for my mom and she loved it
akun.kedua.mika | id | impersonation | block | second account asks gifts | ini akun kedua mika ya, akun utama lagi error. kirim gift ke sini aja ya 🙏
dewi_mod | id | ham | allow | near-miss: mod "real account" | itu bukan mika. akun asli cuma @mika_cooks, udah aku blok
rina.putri | id | ham | allow | near-miss: legit past giveaway | giveaway minggu lalu beneran kok, aku dapet panci 😆
budi_santoso88 | id | ham | allow | | wkwkwk panci
bagi.koin.mawar | id | giveaway | block | send rose to my account, get coins | bagi-bagi 10rb koin buat 30 orang pertama yang kirim mawar ke akun aku 🌹 buruan
murang.coins | tl | reseller | review | cheap coins, pm only | nagbebenta ako ng murang coins, pm lang po 😊
mikacooks.prize | en | phishing | block | fake prize, tiktok login | 🎁 You won the Mika Cooks monthly prize! claim before midnight at mikacooks-prize.win/claim (log in with tiktok)
sam_eats | en | ham | allow | near-miss: doubts prize link | mika never does prizes through links right?
mika_cooks | en | ham | allow | near-miss: streamer on prizes | right, never. I only announce winners live
jessa.cebu | tl | ham | allow | near-miss: thanks for gift | salamat sa gift kuya Budi!
smmph.panel | tl | engagement_fraud | block | follower panel link | bili na kayo ng followers 1k = 150 pesos lang, legit smm panel 👉 smmph-panel.net
rina.putri | id | ham | allow | near-miss: follower count after raid | follower aku naik abis di-raid kak mika kemarin, makasih!
saling.follow | id | engagement_fraud | review | follow back request | follow balik ya kak, saling follow 🙏
tiktok.verif.id | id | phishing | block | ban threat + verify link | akun kamu akan diblokir karena melanggar aturan komunitas, verifikasi sekarang di tiktok-verif.id/akun
dewi_mod | id | ham | allow | near-miss: mod warning about links | jangan klik link apa pun di chat ya guys 🙏
marvin_tl | tl | ham | allow | | ate ilang oras po ulit lulutuin?
mika_cooks | tl | ham | allow | | mga 3 oras po, low heat lang
g3t_fr33_c0ins | en | coin_generator | block | leetspeak, "dot" domain | g3t fr3e c0ins h3re >>> coinsfree dot xyz
sam_eats | en | ham | allow | | mika's knife skills >>>
coins.libre.ph | tl | coin_generator | block | Tagalog generator link | libreng coins! i-type lang username mo sa coins-libre.ph walang bayad 🪙
jessa.cebu | tl | ham | allow | | grabe ang dami nilang scam ngayon
tiktok.rewards.ph | tl | phishing | block | fake rewards winner, login link | Congrats! napili ka bilang winner ng TikTok Rewards, i-login ang account mo sa tiktok-rewards-ph.com para makuha ang premyo
bagong.mod.mika | tl | impersonation | review | fake new mod, pm | ako po yung bagong mod ni mika, pm nyo ako para sa VIP badge
dewi_mod | id | ham | allow | | mika gak punya mod baru. abaikan ya
jasa.followers.id | id | engagement_fraud | block | follower service + whatsapp | jasa tambah followers tiktok 1k = 25rb, aman permanen 💯 order wa.me/15555550119
topup.share.shop | en | chargeback | block | top-up via card, pay back | top up your coins with my card, you only pay me back 50% on paypal 💯 order at topup-share.shop
sam_eats | en | ham | allow | near-miss: mocks carded coins | thats 100% a stolen card lol
daddy_pays | en | other | review | sugar daddy, no contact | sugar daddy here 💸 i pay your bills weekly, just text me
budi_santoso88 | id | ham | allow | | rendangnya udah mulai hitam, pas banget
refund.gift.pls | en | chargeback | review | accidental gift refund threat | mika pls send back the gift I sent by mistake on paypal, my bank is reversing it anyway and your account will get banned
mika_cooks | en | ham | allow | near-miss: streamer on refunds | I can't refund gifts, please contact tiktok support in the app if something went wrong
rina.putri | id | ham | allow | | enak banget kayaknya 😭
marvin_tl | tl | ham | allow | | salamat ate mika! sa susunod ulit
mika_cooks | en | ham | allow | | bye everyone, see you friday for sinigang! 👋
""")

session('retro_relay', '2026-11-07T15:00:02', r"""
relaymod_jess | en | ham | allow | near-miss: mod donation reminder | welcome to Retro Relay day 3! donations ONLY through the official tracker linked on the marathon page, never through links in chat
pixelhopper | en | ham | allow | | lets gooo day 3
brinebeard | en | @PASTA
speedyrat | en | ham | allow | | is this any% or 100%?
relaymod_jess | en | ham | allow | | any% glitched, runner estimate is 38 min
nox_ardent | en | @PASTA
tk_lambda | en | ham | allow | | that skip is frame perfect?? no way
gingerbread_gdq | en | @PASTA
bitsgen_store | en | coin_generator | block | bits generator link | FREE TWITCH BITS GENERATOR 2026 working!! no survey bitsgen.store
pixelhopper | en | ham | allow | | PB pace PogChamp
owlish_ | en | @PASTA
mellowmarrow | en | ham | allow | | runner's dog in the corner 😭
streamrise_shop | en | engagement_fraud | block | classic follower/viewer spam, spaced domain | Wanna become famous? Buy followers, primes and viewers on streamrise .shop
speedyrat | en | ham | allow | near-miss: mocks spam | lol the classic
giftcard_codes_25 | en | @YT:z12sfnzallq5t5iki23gfbjb0ynxgxjyc04 | giveaway | block | real YouTube spam: free gift card codes link (a bait prize)
brinebeard | en | @PASTA
relaymod_jess | en | ham | allow | near-miss: mod warns about free gift card links | someone is posting free gift card links, ignore and report them
tk_lambda | en | ham | allow | near-miss: donation mention | just donated $20 for the blindfolded run incentive
cereal_ninja | en | @PASTA
mellowmarrow | en | ham | allow | near-miss: "real MVP" | the real MVP is the couch commentator explaining everything
clipz4u | en | phishing | block | fake clip link, look-alike domain | yo is this you in this clip?? 😂 twltch-clips.tv/clip/EpicRunFail
pixelhopper | en | ham | allow | | twltch with an L lmao
nox_ardent | en | @PASTA
tsu_follow_back | en | @YT:z13ghzwpmz30ilzzw04cit0gup2kwtajq5o | engagement_fraud | block | real YouTube spam: follow-back + referral link
owlish_ | en | @PASTA
speedyrat | en | ham | allow | near-miss: offers to DM schedule | I'll DM you the schedule, the mario run is at 9pm EST
giftsubs_drop | en | giveaway | block | follow-to-win gift subs | dropping 50 free gifted subs to whoever follows me in the next 10 min 🎁🎁
cereal_ninja | en | @PASTA
tk_lambda | en | ham | allow | near-miss: thanks for gifted subs | thanks for the 5 gifted subs whoever that was!!
sub10_get10 | en | @YT:z13zfpqpvpyvwfymk232ux4odsr1s5wm0 | engagement_fraud | review | real YouTube spam: sub-for-sub promise
gingerbread_gdq | en | @PASTA
airdrop_penguin | en | @JANITR:2017608327350337653 | phishing | block | real Janitr post: airdrop claim link
mellowmarrow | en | ham | allow | near-miss: mocks crypto spam | why is there crypto spam in a speedrun marathon chat
brinebeard | en | @PASTA
retrorelay_runner2 | en | impersonation | block | runner alt, fake donation paypal | hey its the runner's alt account, the tracker is down rn so donate through my paypal instead paypal.me/retrorelay-runner
relaymod_jess | en | ham | allow | near-miss: mod says tracker is up | the tracker is NOT down. runners never take donations in chat. banned
nox_ardent | en | @PASTA
twitch_partner_team | en | phishing | block | fake staff, partner form link | Twitch Staff here 👋 your channel was selected for Partner, fill the form at partner-twitch-apply.com to activate
pixelhopper | en | ham | allow | | the runner has 300 followers why would he get partner lol
dylan_irl_fc | en | @YT:z12ruft4aq3thhpbl04cdxrzjvmohjyqhs00k | engagement_fraud | review | real YouTube spam: check out my channel
owlish_ | en | @PASTA
moltbook_gm | en | @JANITR:2017770674039689342 | phishing | block | real Janitr post: airdrop claim link
speedyrat | en | ham | allow | | chat is moving way too fast
cereal_ninja | en | @PASTA
bits_plug_cheap | en | reseller | block | cheap bits + discord handle | selling twitch bits 50% cheaper, 10k bits for $60 add me on discord bitsplug0420
tk_lambda | en | ham | allow | near-miss: report seller | report the guy selling bits, that's stolen card money
gingerbread_gdq | en | @PASTA
free_csgo_woo | en | @YT:z122f1fy5muwdxdxd04cexyxes3hh5hrifc | giveaway | block | real YouTube spam: free game link
crypto_gw_now | en | @JANITR:2017896993368969464 | giveaway | block | real Janitr post: crypto giveaway link
mellowmarrow | en | ham | allow | near-miss: bits mention | cheer100 for the dog
brinebeard | en | @PASTA
verify_giveaway0b | en | @JANITR:2017733285179494435 | phishing | block | real Janitr post: asks for private key
relaymod_jess | en | ham | allow | near-miss: mod warning | never share keys, passwords or codes with anyone in chat. mods will never ask
nox_ardent | en | @PASTA
btc_life_change | en | @JANITR:2018756854256722124 | giveaway | review | real Janitr post: like/comment-to-win BTC
pixelhopper | en | ham | allow | | incentive met!! bonus game unlocked PogChamp
owlish_ | en | @PASTA
zama_claim_real | en | @JANITR:2018656134308241478 | phishing | block | real Janitr post: airdrop "official link"
new_channel_200 | en | @YT:z12bjtxbvzu4vpkao04cfhnawsjoybyin4c | giveaway | review | real YouTube spam: like-for-paypal giveaway
cereal_ninja | en | @PASTA
recovery_dm_help | en | @JANITR:2017684970089668665 | other | review | real Janitr post: recovery scam, dm
speedyrat | en | ham | allow | | donation goal hit!! 🎉
scam_recovery_pro | en | @JANITR:2017858678682988678 | other | review | real Janitr post: recovery scam
gingerbread_gdq | en | @PASTA
brinebeard | en | @PASTA
tk_lambda | en | ham | allow | | GG runner, 36:12 new PB!!
nox_ardent | en | @PASTA
owlish_ | en | @PASTA
cereal_ninja | en | @PASTA
relaymod_jess | en | ham | allow | | next up is the relay race, 10 min break, stretch and hydrate
gingerbread_gdq | en | @PASTA
brinebeard | en | @PASTA
nox_ardent | en | @PASTA
mellowmarrow | en | ham | allow | | hydration check 💧
hot_private_cass | en | other | review | adult bait, profile | bored? 🔞 check my profile for my private pics 😘
owlish_ | en | @PASTA
cereal_ninja | en | @PASTA
pixelhopper | en | @PASTA
speedyrat | en | @PASTA
tk_lambda | en | @PASTA
""")

session('zeynep_oyunda', '2026-11-08T17:00:09', r"""
emre_35 | tr | ham | allow | greeting | selam zeynep abla 👋
zeynep_oyunda | tr | ham | allow | streamer | herkese selam! bugün son bölümü bitiriyoruz 🎮
kerem.ttv | tr | ham | allow | | bu bölüm çok zor ya
abdullah.rd | ar | ham | allow | greeting | مساء الخير من الرياض
ilya_kzn | ru | ham | allow | greeting | привет из Казани
bedava.jeton.tr | tr | coin_generator | block | Turkish generator link | BEDAVA JETON 🪙 hilesiz 2026 jeton üretici 👉 bedavajeton.online giriş yap al
emre_35 | tr | ham | allow | near-miss: asks if free coins exist | bedava jeton diye bir şey yok değil mi?
selin_mod | tr | ham | allow | near-miss: mod warning | yok, bedava jeton diyen herkes dolandırıcı. linklere tıklamayın
kerem.ttv | tr | ham | allow | near-miss: sent coins as gift | jeton hediye ettim, kolay gelsin 🎁
zeynep_oyunda | tr | ham | allow | near-miss: thanks for gift | hediye için teşekkürler Kerem!!
noura_gm | ar | ham | allow | | زينب أسطورة 🔥
sharif_sale | ar | reseller | block | cheap coins + whatsapp | بيع عملات تيك توك بنصف السعر 💰 تواصل واتساب wa.me/15555550163
abdullah.rd | ar | ham | allow | near-miss: asks if free coins are real | هل العملات المجانية حقيقية؟
noura_gm | ar | ham | allow | near-miss: warns about links | لا، كلها نصب. لا تضغطوا على الروابط في الشات
ucuz.jeton | tr | reseller | review | cheap coins, dm only | ucuz jeton satıyorum, DM at 😉
ilya_kzn | ru | ham | allow | near-miss: free coins are a scam | бесплатных монет не бывает, это развод
zeynep.yedek | tr | impersonation | block | backup account asks gifts | ben zeynep, bu yedek hesabım, ana hesap kapandı. hediyeleri buraya gönderin 🙏
emre_35 | tr | ham | allow | near-miss: "the real zeynep" | gerçek zeynep şu an oynuyor zaten, sahte hesap bu
selin_mod | tr | ham | allow | | engellendi ✅
kerem.ttv | tr | ham | allow | | sağ tarafta sandık var
zeynep_oyunda | tr | ham | allow | | gördüm gördüm 😄
monety_deshevo | ru | reseller | block | cheap coins + telegram | продаю монеты тикток дешево 💸 70к за 3000₽, пиши в тг @deshevye_monety_tt
dasha.plays | ru | ham | allow | near-miss: report coin seller | кто-то продает монеты в чате, зарепортите его
tiktok.destek | tr | phishing | block | fake support ban threat + link | TikTok Destek: hesabınız 24 saat içinde kapatılacak. hemen doğrulayın: tiktok-destek.help/dogrula
emre_35 | tr | ham | allow | near-miss: legit past giveaway | geçen haftaki çekiliş gerçekti bu arada, kazandım 😄
3omlat.free | ar | coin_generator | block | Arabic generator link | عملات تيك توك مجانا 🪙 ادخل اسم المستخدم فقط tiktok-3omlat.xyz
noura_gm | ar | ham | allow | near-miss: thanks a gifter | كيرم أرسل هدية 🎁 شكراً يا كيرم
abdullah.rd | ar | ham | allow | | هههههه
idarat.tiktok | ar | phishing | block | Arabic fake admin notice + link | تنبيه من إدارة تيك توك: سيتم إيقاف حسابك خلال ٢٤ ساعة، قم بالتحقق عبر الرابط tiktok-help-center.live
nakrutka_smm | ru | engagement_fraud | block | follower/likes panel link | накрутка подписчиков и лайков 🚀 1000 подписчиков = 150₽ smm-nakrutka.ru
ilya_kzn | ru | ham | allow | | ахахах опять боты
monety.free | ru | coin_generator | block | Russian generator link | бесплатные монеты тикток 🪙 генератор без доната, просто введи ник → monety-free.site
sahb_gw | ar | giveaway | block | first-100-followers coin draw | سحب على ١٠ آلاف عملة لأول ١٠٠ متابع 🎁 تابعني الآن
dasha.plays | ru | ham | allow | near-miss: thanks for gift | спасибо за подарок, Илья!
ilya_kzn | ru | ham | allow | | да не за что 😁
liveviews_boost | en | engagement_fraud | block | live viewers seller link | want 10k viewers on your live? real viewers cheap 👉 liveviews-boost.com
marcus.uk | en | ham | allow | | zeynep the aim today 😳
tiktok.podderzhka | ru | phishing | block | Russian ban threat + verify link | Ваш аккаунт будет заблокирован! Подтвердите данные: tiktok-support-ru.com/verify
dasha.plays | ru | ham | allow | near-miss: warns not to click | не переходите по ссылкам, это фишинг
ilk50.hediye | tr | giveaway | block | first-50-followers coins | İLK 50 TAKİPÇİME 5000 JETON HEDİYE 🎁 takip et ve yorum yaz
kerem.ttv | tr | ham | allow | | hahahaha yine mi
resmi.moderator | ar | impersonation | review | fake official mod, private msg | أنا المشرف الرسمي للقناة، راسلني خاص للحصول على شارة VIP
noura_gm | ar | ham | allow | near-miss: mod warning | المشرفين الحقيقيين عندهم شارة، تجاهلوه
takipci.paneli | tr | engagement_fraud | block | follower panel link | takipçi satışı 🚀 1000 takipçi 50 TL 👉 takipcipaneli.shop
moder_kanala | ru | impersonation | review | fake mod, DM for VIP | я модератор канала, напиши мне в лс чтобы получить VIP
zarabotok_5000 | ru | other | review | easy money, dm | заработок от 5000₽ в день без вложений, пиши в лс
halfprice_coins | en | reseller | review | half price, cashapp only | anyone need coins? 50% off, cashapp only
kartim.sende | tr | chargeback | block | top up with my card, pay later | kartımla sana jeton yüklerim, parayı sonra IBAN'a atarsın 💳 telegram @jetonyukle_tr
marcus.uk | en | ham | allow | | gg wp
selin_mod | tr | ham | allow | near-miss: mod warning | arkadaşlar kimse kartla jeton yüklemeyi teklif etmez, hepsi dolandırıcı
emre_35 | tr | ham | allow | | gg abla 🔥
abdullah.rd | ar | ham | allow | | يعطيك العافية
zeynep_oyunda | tr | ham | allow | | teşekkürler herkese, yarın görüşürüz! 👋
""")


def parse_session(channel, start, text, pasta_iter, sess_seed):
    rng = random.Random(sess_seed)
    t = dt.datetime.strptime(start, '%Y-%m-%dT%H:%M:%S')
    rows = []
    for raw in text.strip('\n').split('\n'):
        parts = [p.strip() for p in re.split(r'\s*\|\s*', raw, maxsplit=5)]
        user, lang = parts[0], parts[1]
        if parts[2] == '@PASTA':
            f, i, msg = next(pasta_iter)
            row = dict(user=user, msg=msg, label='ham', verdict='allow',
                       note='copypasta real line (hard negative)' + ('; unicode art' if 'unicode' in f else ''),
                       lang=lang_of_real(msg), src='twitch-sgdq2017-copypasta', ref=f'{f}:{i}')
        elif parts[2].startswith('@YT:'):
            cid = parts[2][4:]
            f, msg = yt_comment(cid)
            row = dict(user=user, msg=msg, label=parts[3], verdict=parts[4], note=parts[5], lang=lang,
                       src='youtube-spam-collection', ref=f'{f} COMMENT_ID={cid}')
        elif parts[2].startswith('@JANITR:'):
            pid = parts[2][8:]
            n, msg = janitr_post(pid)
            row = dict(user=user, msg=msg, label=parts[3], verdict=parts[4], note=parts[5], lang=lang,
                       src='janitr-crypto-scam', ref=f'sample.jsonl:{n} id={pid}')
        else:
            label, verdict, note, msg = parts[2], parts[3], parts[4], parts[5]
            row = dict(user=user, msg=clean(msg), label=label, verdict=verdict,
                       note=note or ('hand-written ham' if label == 'ham' else 'hand-written scam'),
                       lang=lang, src='hand-written', ref='')
        if rows:
            # short gaps in busy chat, the odd pause
            t += dt.timedelta(seconds=rng.choice([2, 3, 4, 5, 6, 8, 9, 11, 12, 14, 17, 21, 26, 34, 45]))
        row.update(t=t, channel=channel)
        rows.append(row)
    return rows


def main():
    rows = rechat_rows()
    pasta = iter(pasta_lines())
    sess_rows = []
    for n, (channel, start, text) in enumerate(SESSIONS):
        sess_rows.append(parse_session(channel, start, text, pasta, 1000 + n))
    leftover = list(pasta)
    if leftover:
        sys.exit(f'{len(leftover)} copypasta lines not placed')
    for s in sorted(sess_rows, key=lambda r: r[0]['t']):
        rows += s

    # ---- validate ----
    last = {}
    for r in rows:
        assert r['label'] in LABELS, r
        assert r['verdict'] in VERDICTS, r
        assert (r['label'] == 'ham') == (r['verdict'] == 'allow'), r
        for k in ('channel', 'user', 'msg', 'note'):
            assert '\t' not in r[k] and '\n' not in r[k] and '\r' not in r[k], r
        assert r['msg'], r
        if r['channel'] in last:
            assert r['t'] > last[r['channel']], (r, last[r['channel']])
        last[r['channel']] = r['t']

    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, 'sample.tsv'), 'w', encoding='utf-8', newline='\n') as f:
        f.write('timestamp\tchannel\tuser\tmessage\n')
        for r in rows:
            f.write(f"{iso(r['t'])}\t{r['channel']}\t{r['user']}\t{r['msg']}\n")
    with open(os.path.join(OUT, 'sample.labels.tsv'), 'w', encoding='utf-8', newline='\n') as f:
        f.write('line\tlabel\tverdict\tnote\n')
        for n, r in enumerate(rows, 2):
            f.write(f"{n}\t{r['label']}\t{r['verdict']}\t{r['note']}\n")
    with open(os.path.join(OUT, 'sample.sources.tsv'), 'w', encoding='utf-8', newline='\n') as f:
        f.write('line\tlang\tsource\tsource_ref\n')
        for n, r in enumerate(rows, 2):
            f.write(f"{n}\t{r['lang']}\t{r['src']}\t{r['ref']}\n")

    # ---- stats ----
    lab = Counter(r['label'] for r in rows)
    scams = sum(v for k, v in lab.items() if k != 'ham')
    print(f'messages: {len(rows)}  scams: {scams} ({100 * scams / len(rows):.1f}%)')
    for k in LABELS:
        v = Counter(r['verdict'] for r in rows if r['label'] == k)
        print(f'  {k:17s} {lab[k]:4d}  ' + ' '.join(f'{x}={v[x]}' for x in VERDICTS if v[x]))
    print('by channel:', dict(Counter(r['channel'] for r in rows)))
    print('by source:', dict(Counter(r['src'] for r in rows)))
    print('by source/label:', dict(Counter((r['src'], 'ham' if r['label'] == 'ham' else 'scam') for r in rows)))
    langs = Counter((r['lang'], 'ham' if r['label'] == 'ham' else 'scam') for r in rows)
    print('by lang:', dict(sorted(Counter(r['lang'] for r in rows).items())))
    print('by lang/kind:', dict(sorted(langs.items())))


if __name__ == '__main__':
    main()
