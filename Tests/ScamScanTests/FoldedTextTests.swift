import Testing
@testable import ScamScan
@testable import ScanSupport
@testable import Normalise
@testable import Stream
@testable import Model
@testable import Checks
@testable import Score
@testable import Transactions
@testable import Output
@testable import Pipeline
@testable import Regression

/// The folded view, step by step: what it reads, which techniques it reports, and where each
/// folded byte came from.
@Suite struct FoldedTextTests {
    func fold(_ text: String, steps: FoldedText.Steps = .all) -> FoldedText {
        var f = FoldedText(steps: steps)
        f.fold(text)
        return f
    }

    func fold(_ bytes: [UInt8]) -> FoldedText {
        var f = FoldedText()
        bytes.withUnsafeBytes { f.fold($0) }
        return f
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var raw: String
        var folded: String
        var techniques: [String]
        var testDescription: String { raw.debugDescription }
        init(_ raw: String, _ folded: String, _ techniques: [String] = []) {
            self.raw = raw
            self.folded = folded
            self.techniques = techniques
        }
    }

    static let cases: [Case] = [
        // Plain text: case only, nothing reported.
        Case("Free COINS @Now!", "free coins @now!"),
        Case("I got 100 coins lol", "i got 100 coins lol"),
        // Unicode: NFKC, case folding, accents.
        Case("ｆｒｅｅ ｃｏｉｎｓ", "free coins", ["compat"]),
        Case("𝐟𝐫𝐞𝐞 𝓬𝓸𝓲𝓷𝓼 𝔣𝔯𝔢𝔢 𝕗𝕣𝕖𝕖 𝚏𝚛𝚎𝚎", "free coins free free free", ["compat"]),
        Case("ⓕⓡⓔⓔ 🅵🆁🅴🅴 🄵🅁🄴🄴 ⒡⒭⒠⒠", "free free free free", ["compat"]),
        Case("🇫🇷🇪🇪 coins", "free coins", ["compat"]),
        Case("ﬁnd ﬂowers", "find flowers", ["compat"]),
        Case("Straße ÇA VA", "strasse ca va"),
        Case("café naïve déjà", "cafe naive deja"),
        Case("x² … ™", "x2 ... tm"),
        Case("\u{00A0}no-break\u{3000}space", " no-break space"),
        // Invisible characters.
        Case("fr\u{200B}ee co\u{200D}ins", "free coins", ["invisible"]),
        Case("f\u{00AD}ree c\u{2060}oins", "free coins", ["invisible"]),
        Case("free\u{FE0F}coins\u{E0041}", "free coins", ["invisible"]),
        // An invisible character joins what a reader sees joined, unless invisible characters
        // stand for the spaces of a sentence.
        Case("chea\u{200C}pest gen\u{200B}erator ve\u{200B}ri\u{200B}fi\u{200B}ca\u{200B}ti\u{200B}on", "cheapest generator verification", ["invisible"]),
        Case("to\u{2060}follow\u{00AD}me\u{200C}get\u{200B}a\u{200B}free\u{00AD}sub", "to follow me get a free sub", ["invisible"]),
        Case("first\u{200B}20 ppl", "first 20 ppl", ["invisible"]),
        // Marks standing for a sentence's spaces, some beside real spaces: a quarter of the gaps
        // touch a function word and the pieces are word-long.
        Case("grow\u{200C}your\u{200C}stream?\u{200B}real\u{200B}viewers\u{200B}and\u{200C}followers", "grow your stream?real viewers and followers", ["invisible"]),
        Case("con\u{FE0F}nect your wal\u{FE0F}let to claim the air\u{FE0F}drop", "connect your wallet to claim the airdrop", ["invisible"]),
        Case("cheer\u{AD}100 \u{200C}bits \u{AD}in\u{2060}my \u{200C}channel\u{2060}and \u{AD}I\u{200B}send \u{200B}1000\u{2060}back",
             "cheer 100 bits in my channel and i send 1000 back", ["invisible"]),
        Case("free\u{00AD}coins generator, gift\u{200B}card", "free coins generator, gift card", ["invisible"]),
        Case("\u{202E}snioc eerf", "snioc eerf", ["invisible"]),
        Case("👨\u{200D}👩\u{200D}👧 ❤\u{FE0F}", "👨👩👧 ❤"),
        // Zalgo: stacked marks go, one accent is ordinary writing.
        Case("f\u{0337}\u{0322}r\u{0338}\u{035D}e\u{0335}e\u{0336} coins", "free coins", ["marks"]),
        Case("e\u{0301}", "e"),
        // Marks never become letters (U+0345 case-folds to ι), at a word's start or anywhere.
        Case("\u{0345}free \u{0300}\u{0301}coins a\u{0345}b", "free coins ab", ["marks"]),
        Case("f\u{0336}r\u{0337}e\u{0334}e\u{0335} c\u{0353}o\u{0359}i\u{035A}n\u{035B}s", "free coins", ["marks"]),
        // Marks belong to scripts that write with them.
        Case("नमस्ते", "नमस्ते"),
        // Confusables: other scripts inside Latin words, whole-word spoofs among Latin words.
        Case("frее соіns", "free coins", ["confusables"]),
        Case("hello сосо", "hello coco", ["confusables"]),
        Case("fr\u{0435}e", "free", ["confusables"]),
        Case("ƒree", "free"),
        // Fancy-text alphabets: small capitals, modifier letters, letters with hooks and strokes
        // (named for their letter), shape-alikes from other scripts (Scripts/fancy-letters.txt).
        Case("ꜰʀᴇᴇ ᴄᴏɪɴꜱ ɢᴇɴᴇʀᴀᴛᴏʀ", "free coins generator", ["compat"]),
        Case("ᶠʳᵉᵉ ᶜᵒⁱⁿˢ", "free coins", ["compat"]),
        Case("ƒяєє ¢σιηѕ gєηєяαтσя", "free coins generator", ["confusables"]),
        Case("¢σιηѕ ƒσя ѕαℓє", "coins for sale", ["compat", "confusables"]),
        Case("ѕєℓℓιηg ¢нєαρ вιтѕ", "selling cheap bits", ["compat", "confusables"]),
        Case("řęøå ɗɍɨʂ", "reoa dris"),
        // Russian, Greek, Ukrainian stay themselves (lower-cased).
        Case("Привет, как дела? Бесплатно", "привет, как дела? бесплатно"),
        Case("сосо", "сосо"),
        Case("пиши в тг @fast_coins", "пиши в тг @fast_coins"),
        Case("Γειά σου κόσμε", "γεια σου κοσμε"),
        // A Russian message typed with Latin twins (а е к о р с т у х м н в) is Cyrillic again,
        // so the Russian rules read it; a Russian word beside English stays as it is, and a
        // Latin word among Russian words with no twin for a letter stays Latin.
        Case("бесплaтныe монеты тиkтoк, ccылka в пpoфилe", "бесплатные монеты тикток, ссылка в профиле", ["confusables"]),
        Case("этo мой зaпaснoй akкayнт", "это мой запасной аккаунт", ["confusables"]),
        Case("Привет, как дела? смотри tiktok стрим", "привет, как дела? смотри tiktok стрим"),
        Case("ok это норм, free coins", "ok это норм, free coins"),
        Case("это мой бро, gift him плиз", "это мой бро, gift him плиз"),
        // Fancy-text letters whose confusables entry or fold reads as another letter: the lunate
        // sigma (NFKC: final sigma, which reads as o), palochka (i), pe (π), soft sign (tone six).
        Case("Ϲoιn ϲһеϲк haӏf ρгіce", "coin check half price", ["compat", "confusables"]),
        Case("τyp υг @ οn αпd waіτ, ϲоіnѕ ιп սr ԝаⅼlєt", "typ ur @ on and wait, coins in ur wallet", ["compat", "confusables"]),
        Case("Ьяo ɡiftіпɡ Ьack", "bro gifting back", ["confusables"]),
        // Fancy text mixing Cyrillic and Greek look-alikes: its Cyrillic-only words ("му", "мє",
        // "10к") are fancy text too, where "пиши" beside Latin alone stays Russian.
        Case("тнιѕ ιѕ му αlт, мαιη ιѕ вυggєd", "this is my alt, main is bugged", ["confusables"]),
        Case("ƒιяѕт 20 ρρl тσ ƒσllσω мє, 10к ƒσя $50", "first 20 ppl to follow me, 10k for $50", ["confusables"]),
        Case("пиши мне в тг: free coins", "пиши мне в тг: free coins"),
        Case("вложений ёлка", "вложений ёлка"),
        Case("Їжак і ґанок", "їжак і ґанок"),
        Case("你好 免费金币 안녕하세요 مرحبا नमस्ते", "你好 免费金币 안녕하세요 مرحبا नमस्ते"),
        // Leet.
        Case("fr33 c0ins", "free coins", ["leet"]),
        Case("h4ck3r ca$h fr@ud", "hacker cash fraud", ["leet"]),
        Case("fo11ow 1ikes g1ft", "follow likes gift", ["leet"]),
        Case("$3ll1ng unl1m1t3d v4l1d4t3 gr4tis wh0 1ts", "selling unlimited validate gratis who its", ["leet"]),
        Case("c0in5", "coins", ["leet"]),
        Case("l33t", "leet", ["leet"]),
        Case("5 stars 1v1 rate 4/5 gg ez 100k", "5 stars 1v1 rate 4/5 gg ez 100k"),
        Case("sub4sub f4f coins4u 4free gift4you", "sub4sub f4f coins4u 4free gift4you"),
        Case("mp3 ps5 xbox1 4k 7pm 3rd", "mp3 ps5 xbox1 4k 7pm 3rd"),
        Case("user123 user1337 2fa mp3 player1 50rb 1st 5min covid19", "user123 user1337 2fa mp3 player1 50rb 1st 5min covid19"),
        Case("@fr33coins $cashapp me@mail.com", "@fr33coins $cashapp me@mail.com"),
        Case("my score is 1337", "my score is 1337"),
        // ! and | inside a leet word, 8 and 9 and one-letter words when the token reads as a word,
        // 1 and | as i or l by the word they make.
        Case("7yp ur @ 0n w41t 2 m!n$, c0!n$ |and in ur wal|3t", "typ ur @ on wait 2 mins, coins land in ur wallet", ["leet"]),
        Case("un|!m173d d!am0nd$ 11nk 11v3 7h3 m3 93t 9uaranteed 8ack", "unlimited diamonds link live the me get guaranteed back", ["leet"]),
        Case("f0|l0w w1|l !n th!s !'m 1'll |375 g!ft!!", "follow will in this i'm i'll lets gift!!", ["leet"]),
        Case("hi!how r u!! !discord !so !lurk a|b gr8 m8 b4 user89 covid19 1v1 4real 50rb 0k",
             "hi!how r u!! !discord !so !lurk a|b gr8 m8 b4 user89 covid19 1v1 4real 50rb 0k"),
        Case("www.site5.xyz tip1 xman70 gam3", "www.site5.xyz tip1 xman70 gam3"),
        // Spaced letters.
        Case("f r e e  c o i n s", "free coins", ["spacing"]),
        Case("get f r e e   coins", "get free coins", ["spacing"]),
        Case("f.r.e.e c-o-i-n-s", "free coins", ["spacing"]),
        Case("f. r. e. e", "free", ["spacing"]),
        // A spaced-out message's words end at punctuation on their last letter.
        Case("a n y o n e  n e e d  b i t s?  u n d e r  t w i t c h  p r i c e,  c r y p t o  o n l y.",
             "anyone need bits? under twitch price, crypto only.", ["spacing"]),
        Case("F_R_E_E", "free", ["spacing"]),
        Case("f r 3 3", "free", ["leet", "spacing"]),
        Case("a b", "a b"),
        Case("1 2 3 4", "1 2 3 4"),
        Case("e.g. i.e. 1.2.3.4", "e.g. i.e. 1.2.3.4"),
        Case("f o l l o w  m e  t o  w i n  1 0 0  c o i n s", "follow me to win 100 coins", ["spacing"]),
        // A message spaced out as a whole, in any script, links included.
        Case("п р о д а ю  м о н е т ы  з а  3 0 0 ₽", "продаю монеты за 300₽", ["spacing"]),
        Case("ت ا ب ع ن ي  ا ل آ ن", "تابعني الآن", ["spacing"]),
        Case("l o o k  a t  t w i t c h . t v / c l i p", "look at twitch.tv/clip", ["spacing"]),
        Case("w o w  ❤️  s o  g o o d", "wow so good", ["spacing"]),  // the emoji between words goes too
        // Not spaced out: fewer than six one-character tokens, or under three quarters of them.
        Case("日 本 語 だ よ", "日 本 語 だ よ"),
        Case("1 2 3 4 5 6 ok fine then sure", "1 2 3 4 5 6 ok fine then sure"),
        Case("b u y  f o l l o w e r s  cheap, 1000 f o l l o w e r s = $3", "buy followers cheap, 1000 followers = $3", ["spacing"]),
        // Separators inside and between words.
        Case("fr_ee co.ins ch.eap gl_itch", "free coins cheap glitch", ["separators"]),
        // Dots standing for a message's spaces, across punctuation, numbers and scripts; hosts,
        // links, numbers, abbreviations and runs of dots stay.
        Case("selling.steam.keys.and.bits.60%.cheaper,.whisper.me", "selling steam keys and bits 60% cheaper, whisper me", ["separators"]),
        Case("я.модератор.канала,.напиши.мне.в.лс", "я модератор канала, напиши мне в лс", ["separators"]),
        Case("claim.your.coins.at.coin-gift.xyz now", "claim your coins at coin-gift.xyz now", ["separators"]),
        Case("claim at tiktok.com.gift.ru", "claim at tiktok.com.gift.ru"),  // a host, not dotted words
        Case("follow.me.on.twitch.tv", "follow me on twitch.tv", ["separators"]),
        Case("watch.me.on twitch.tv/x.y and.then.go", "watch me on twitch.tv/x.y and then go", ["separators"]),
        Case("i.e. e.g. 1.2.3.4 ok", "i.e. e.g. 1.2.3.4 ok"),
        Case("lol...what...no...way", "lol...what...no...way"),
        Case("coins.com and twitch.tv are sites", "coins.com and twitch.tv are sites"),
        Case("get.free.coins this.is.my.alt", "get free coins this is my alt", ["separators"]),
        Case("free.coins now", "free coins now", ["separators"]),
        Case("snap me coinplug_real, the_real_kai", "snap me coinplug_real, the_real_kai"),
        // A word cut by `_` or `.` whose pieces joined are an English word joins, even where an
        // underscore would read as a handle's or a short piece and a country code as a host.
        Case("real view_ers and fol_lowers, t_his is bugg_ed", "real viewers and followers, this is bugged", ["separators"]),
        Case("who wants fr.ee co.ins? giv.es 10k toni.ght", "who wants free coins? gives 10k tonight", ["separators"]),
        Case("go to t.me/x or youtu.be/x or tiktok.com.gift.ru", "go to t.me/x or youtu.be/x or tiktok.com.gift.ru"),
        Case("sa.me pl.ace", "same place", ["separators"]),
        Case("media.discordapp.net/a_b.png @dj_kairo me@mail.com v1.5 wait...what", "media.discordapp.net/a_b.png @dj_kairo me@mail.com v1.5 wait...what"),
        // With a path it is a link; bare, "fr.ee" is a cut word (above).
        Case("twitch.tv/luna_paints fr.ee/x", "twitch.tv/luna_paints fr.ee/x"),
        // An emoji between two words of a phrase.
        Case("cheap 💰 coins, cheap✨coins", "cheap coins, cheap coins"),
        Case("👉 order here 😂", "👉 order here 😂"),
        // An emoji inside a word joins it; between words, or in "i❤u", it is a space.
        Case("c💯oin hack, l🚀ink in bio, moeda🎉s", "coin hack, link in bio, moedas", ["separators"]),
        Case("i❤u", "i u"),
        // Hyphens and underscores that cut a word join it; words of their own stay hyphenated;
        // underscores between words of a phrase are spaces, and handles keep theirs.
        Case("your a-cco-unt, veri-fyin-g, log_i_n, jeto-n", "your account, verifying, login, jeton", ["separators"]),
        Case("coins_land_in ur wallet", "coins land in ur wallet", ["separators"]),
        Case("well-known pick-up follow-back the_real_kai coinplug_real", "well-known pick-up follow-back the_real_kai coinplug_real"),
        Case("@the_real_one_in tikt0k-gift.xyz/a-cco-unt", "@the_real_one_in tiktok-gift.xyz/a-cco-unt", ["leet"]),
        // Defanged links.
        Case("hxxps://tiktok[.]com", "https://tiktok.com", ["defang"]),
        Case("HXXP://x(.)ru", "http://x.ru", ["defang"]),
        Case("cheapcoins dot com", "cheapcoins.com", ["defang"]),
        Case("coins [dot] shop", "coins.shop", ["defang"]),
        Case("t . me / cheapcoins", "t.me/cheapcoins", ["defang"]),
        Case("discord . gg / abc", "discord.gg/abc", ["defang"]),
        Case("wa. me/123", "wa.me/123", ["defang"]),
        Case("hxxps[:]//evil{.}xyz", "https://evil.xyz", ["defang"]),
        Case("remember the dot com bubble", "remember the dot com bubble"),
        Case("polka dot top", "polka dot top"),
        Case("see you. me too", "see you. me too"),
        Case("tiktok.com", "tiktok.com"),
        // Several at once.
        Case("ｆｒｅｅ c0ins g-e-n-e-r-a-t-o-r at tikt0k(.)com", "free coins generator at tiktok.com",
             ["compat", "leet", "spacing", "defang"]),
        Case("F\u{200B}R\u{200B}Е\u{200B}Е c 0 i n s", "free coins", ["invisible", "confusables", "leet", "spacing"]),
    ]

    @Test(arguments: cases)
    func foldsAndReportsTechniques(_ c: Case) {
        let f = fold(c.raw)
        #expect(f.string == c.folded)
        #expect(f.techniques.names == FoldTechniques.named.map(\.1).filter { c.techniques.contains($0) },
                "reported \(f.techniques.names)")
    }

    @Test func asciiFastPathLowerCasesWithAnIdentityMap() {
        let f = fold("Free COINS @Now!")
        #expect(f.rawSpan(start: 5, end: 10) == (5, 10))
        #expect(f.rawStart.isEmpty)
    }

    @Test func spansMapBackToWholeScalars() {
        let raw = "ÄÖ FREE İ"  // Ä Ö 2 bytes each; İ (2 bytes) folds to i
        let f = fold(raw)
        #expect(f.string == "ao free i")
        #expect(f.rawSpan(start: 3, end: 7) == (5, 9))   // "free"
        #expect(f.rawSpan(start: 8, end: 9) == (10, 12))  // "i" maps to the whole İ
        #expect(f.rawSpan(start: 0, end: 1) == (0, 2))
    }

    @Test func spansCoverWhatWasRemoved() {
        // "free" folded from spaced, invisible and leet text spans all of what the user wrote.
        let raw = "get f r 3 3 now"
        let f = fold(raw)
        #expect(f.string == "get free now")
        #expect(f.rawSpan(start: 4, end: 8) == (4, 11))
        let invisible = "x fr\u{200B}ee y"
        let g = fold(invisible)
        #expect(g.string == "x free y")
        #expect(g.rawSpan(start: 2, end: 6) == (2, 9))  // the 3-byte ZWSP is inside
        let zalgo = "e\u{0301}\u{0302}\u{0303}z"
        let h = fold(zalgo)
        #expect(h.string == "ez")
        #expect(h.rawSpan(start: 0, end: 1) == (0, 7))  // the marks belong to their letter
        let defanged = "a.b t . me/x"
        let d = fold(defanged)
        #expect(d.string == "a.b t.me/x")
        #expect(d.rawSpan(start: 4, end: 8) == (4, 10))  // "t.me" is "t . me"
        let math = "𝐟𝐫𝐞𝐞!"
        let m = fold(math)
        #expect(m.rawSpan(start: 0, end: 4) == (0, 16))
        #expect(m.rawSpan(start: 4, end: 5) == (16, 17))
    }

    @Test func everyFoldedByteMapsInsideTheRawText() {
        for c in Self.cases {
            let f = fold(c.raw)
            let n = c.raw.utf8.count
            var lastStart = 0
            for i in 0..<f.bytes.count {
                let (s, e) = f.rawSpan(start: i, end: i + 1)
                #expect(s >= 0 && s < e && e <= n, "\(c.raw.debugDescription) byte \(i)")
                #expect(s >= lastStart, "spans go forward in \(c.raw.debugDescription)")
                lastStart = s
            }
        }
    }

    @Test func stepsCanBeTurnedOff() {
        #expect(fold("tikt0k[.]com", steps: [.defang]).string == "tikt0k.com")
        #expect(fold("ｆｒｅｅ f r e e", steps: []).string == "ｆｒｅｅ f r e e")
        #expect(fold("fr33 f r e e", steps: [.spacing]).string == "fr33 free")
    }

    /// Zalgo from the whole combining-mark range: after a letter, stacked, or at a word's start,
    /// every mark goes, and none becomes a letter (U+0345 case-folds to ι).
    @Test func everyCombiningMarkIsDroppedAndNoneBecomesALetter() {
        var marks: [Unicode.Scalar] = []
        for range in [0x0300...0x036F, 0x1AB0...0x1AFF, 0x1DC0...0x1DFF, 0x20D0...0x20FF, 0xFE20...0xFE2F] {
            for v in range {
                guard let s = Unicode.Scalar(v) else { continue }
                let c = s.properties.generalCategory
                if c == .nonspacingMark || c == .enclosingMark { marks.append(s) }
            }
        }
        #expect(marks.count > 250)
        #expect(marks.contains("\u{0345}"))
        var failed: [String] = []
        for m in marks {
            let one = String(m)
            // (Expectations by hand: Swift's String.hasPrefix reads " " and a mark as one character.)
            for (text, expected) in [("f\(one)r\(one)\(one)ee c\(one)oins", "free coins"), ("\(one)free \(one)coins", "free coins"),
                                     ("free \(one)\(one)\(one) coins", "free  coins")] {
                let f = fold(text)
                if f.string != expected { failed.append("U+\(String(m.value, radix: 16, uppercase: true)): \(f.string.debugDescription)") }
            }
        }
        #expect(failed.isEmpty, "\(failed.count) failed: \(failed.prefix(10))")
    }

    @Test func invalidBytesPassThroughUnchanged() {
        let f = fold([0xFF, 0x41, 0xC3])
        #expect(f.bytes == [0xFF, 0x61, 0xC3])
        #expect(f.rawSpan(start: 1, end: 2) == (1, 2))
        let g = fold([0x66, 0xD0, 0xB5, 0xFF, 0x65])  // f, Cyrillic е, a bad byte, e
        #expect(g.bytes == [0x66, 0x65, 0xFF, 0x65])
    }

    @Test func reuseKeepsNoStaleState() {
        var f = FoldedText()
        f.fold("ÀÀÀÀ fr33 t . me")
        f.fold("AB")
        #expect(f.bytes == Array("ab".utf8))
        #expect(f.techniques.isEmpty)
        #expect(f.rawSpan(start: 0, end: 2) == (0, 2))
    }

    @Test func englishWordsTellCutWordsFromHandles() {
        func has(_ a: String, _ b: String) -> Bool {
            let bytes = Array((a + b).utf8)
            return EnglishWords.contains(bytes, 0..<a.utf8.count, a.utf8.count..<bytes.count)
        }
        #expect(has("view", "ers") && has("fr", "ee") && has("t", "his"))
        #expect(!has("coinplug", "real") && !has("t", "me") && !has("the", "real"))
        #expect(!has("fr", "33"))   // letters a-z only
        #expect(!has("a", "b"))     // four letters or more
        #expect(EnglishWords.hashes.count > 60_000)
    }
}
