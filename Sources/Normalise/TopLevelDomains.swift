import ScanSupport

/// Top-level domains (at most 8 letters; longer ones are too rare in chat to matter) the folded view and link extraction recognise after a dot: every generic and
/// country-code TLD common in chat and in the phishing lists under Rules/lists (a bare word is a host
/// only when it ends in one of these, so "e.g" and "lol.ok" stay words).
let topLevelDomains: [String] = [
    "abogado", "ac", "academy", "ad", "ae", "aero", "af", "ag", "agency", "ai", "airforce",
    "al", "am", "ao", "app", "aq", "ar", "art", "as", "asia", "at", "au", "autos", "aw", "ax", "az", "ba",
    "bank", "bar", "bb", "bd", "be", "beauty", "beer", "berlin", "best", "bet", "bg", "bh", "bid", "bike",
    "bingo", "bio", "biz", "bj", "black", "blog", "blue", "bm", "bn", "bo", "boats", "bond",
    "bq", "br", "broker", "bs", "builders", "business", "buzz", "bv", "bw", "by", "bz", "ca", "cab", "cam",
    "capital", "cards", "care", "cash", "casino", "catering", "cc", "cd", "center", "cf", "cfd", "ch",
    "charity", "chat", "ci", "ck", "cl", "claims", "click", "clinic", "cloud", "club", "cm",
    "cn", "co", "code", "codes", "college", "com", "company", "computer",
    "contact", "cool", "coupons", "courses", "cp", "cr", "credit", "cruises",
    "cu", "cw", "cx", "cy", "cymru", "cyou", "cz", "data", "dating", "day", "de", "deals", "design", "dev",
    "digital", "direct", "discount", "dk", "dm", "do", "download", "dz", "ec", "ee", "eg",
    "email", "energy", "es", "et", "eu", "eus", "events", "exchange", "express", "fail", "family", "fan",
    "fans", "fi", "finance", "fit", "fj", "fm", "fo", "fr", "fun", "fund", "fyi", "ga", "gal",
    "gallery", "game", "games", "gay", "gd", "ge", "gf", "gg", "gh", "gi", "gift", "gifts", "gives", "gl",
    "gp", "gq", "gr", "group", "gs", "gt", "gu", "guide", "guru", "gy", "help", "hk", "hm", "hn", "homes",
    "host", "house", "how", "hr", "ht", "hu", "icu", "id", "ie", "il", "im", "in", "inc", "info", "ink", "io",
    "iq", "ir", "is", "ist", "istanbul", "it", "je", "jm", "jo", "jp", "ke", "kg", "kh", "ki", "kiev", "kn",
    "kr", "kw", "ky", "kz", "la", "land", "lat", "lb", "lc", "legal", "li", "life", "limited", "link", "live",
    "lk", "llc", "loan", "lol", "lt", "ltd", "lu", "luxe", "lv", "ly", "ma", "market", "mc",
    "md", "me", "media", "mg", "mh", "mk", "ml", "mm", "mn", "mobi", "mom", "money", "monster", "mov", "mp",
    "mq", "ms", "mt", "mu", "mx", "my", "mz", "na", "name", "nc", "net", "network", "news", "nf", "ng", "ni",
    "ninja", "nl", "no", "np", "nr", "nu", "nz", "om", "one", "onl", "online", "org", "pa", "page", "parts",
    "party", "pay", "pe", "pf", "pg", "ph", "photo", "photos", "pink", "pk", "pl", "place", "plus", "pm",
    "poker", "porn", "pr", "press", "pro", "promo", "ps", "pt", "pw", "py", "qa", "quest", "re", "red",
    "rest", "ro", "rocks", "rs", "ru", "run", "rw", "sa", "sale", "sb", "sbs", "sc", "school", "sd", "se",
    "services", "sex", "sg", "sh", "shop", "shopping", "si", "site", "sk", "skin", "sm", "sn", "so", "social",
    "software", "space", "sr", "st", "store", "stream", "studio", "su", "support", "surf", "sv",
    "sx", "sy", "systems", "tc", "team", "tech", "tel", "tf", "th", "tips", "tj", "tk", "tm", "tn", "to",
    "today", "tools", "top", "tr", "trade", "training", "tt", "tv", "tw", "tz", "ua", "ug", "uk", "um", "uno",
    "us", "uy", "uz", "va", "vc", "ve", "vg", "vi", "vip", "vn", "vu", "website", "wf", "wiki", "win", "work",
    "works", "world", "ws", "wtf", "xxx", "xyz", "ye", "yt", "za", "zm", "zone", "zw",
]

private let topLevelDomainKeys: Set<UInt64> = Set(topLevelDomains.compactMap { tldKey(Array($0.utf8)[...]) })

/// Up to 8 ASCII bytes packed into one integer (nil when longer).
@inline(__always)
private func tldKey(_ bytes: ArraySlice<UInt8>) -> UInt64? {
    guard bytes.count <= 8 else { return nil }
    var key: UInt64 = 0
    for b in bytes { key = key << 8 | UInt64(b) }
    return key
}

/// Whether `bytes[range]` (lowercase) is a known top-level domain.
/// - Complexity: O(1).
func isTopLevelDomain(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
    guard range.count >= 2, let key = tldKey(bytes[range]) else { return false }
    return topLevelDomainKeys.contains(key)
}
