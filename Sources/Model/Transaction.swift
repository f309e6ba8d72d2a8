import ScanSupport
import Normalise

/// What a transaction row records (docs/TRANSACTIONS.md, "The canonical schema").
public enum TxType: UInt8, CaseIterable, Hashable, Sendable {
    /// Coins bought: `coins`, `amount`, `currency`, `payment_method`, `instrument`, ...
    case purchase
    /// Coins sent to a creator (`recipient`) during a live.
    case gift
    /// The platform gave a purchase's money back (`related_id` names the purchase).
    case refund
    /// The card holder's bank reversed a purchase (`related_id` names the purchase).
    case chargeback
    /// A creator cashed out diamonds (`account` is the creator).
    case redeem
    /// A purchase attempt the payment provider refused.
    case decline

    public var name: String {
        switch self {
        case .purchase: "purchase"
        case .gift: "gift"
        case .refund: "refund"
        case .chargeback: "chargeback"
        case .redeem: "redeem"
        case .decline: "decline"
        }
    }

    /// Reversals of a purchase.
    public var isReversal: Bool { self == .refund || self == .chargeback }

    /// The type named `text` (ASCII, any case), or a common synonym from exports.
    public init?(text: UnsafeRawBufferPointer) {
        guard text.count <= 24 else { return nil }
        var lower = (UInt64(0), UInt64(0), UInt64(0))
        // Lower-cased into 24 bytes on the stack; the canonical names are matched without a String.
        withUnsafeMutableBytes(of: &lower) { buf in
            for (i, b) in text.enumerated() {
                let c = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
                buf[i] = c == UInt8(ascii: "-") || c == UInt8(ascii: " ") ? UInt8(ascii: "_") : c
            }
        }
        for type in Self.allCases where type.name.utf8.count == text.count {
            let same = withUnsafeBytes(of: &lower) { buf in type.name.utf8.enumerated().allSatisfy { buf[$0.offset] == $0.element } }
            if same { self = type; return }
        }
        let name = withUnsafeBytes(of: &lower) { String(decoding: $0.prefix(text.count), as: UTF8.self) }
        guard name.utf8.allSatisfy({ $0 < 0x80 }), let type = Self.byName[name] else { return nil }
        self = type
    }

    /// Names and synonyms accepted in the `type` column.
    static let byName: [String: TxType] = [
        "purchase": .purchase, "buy": .purchase, "topup": .purchase, "top_up": .purchase, "recharge": .purchase,
        "coin_purchase": .purchase,
        "gift": .gift, "send_gift": .gift, "gift_sent": .gift,
        "refund": .refund, "refunded": .refund,
        "chargeback": .chargeback, "charge_back": .chargeback, "dispute": .chargeback,
        "redeem": .redeem, "payout": .redeem, "cashout": .redeem, "cash_out": .redeem, "withdrawal": .redeem,
        "decline": .decline, "declined": .decline, "failed_purchase": .decline,
    ]
}

/// The fields of the canonical schema, in the order `scamscan tx` prints them.
public enum TxField: Int, CaseIterable, Hashable, Sendable {
    case id, timestamp, account, type, coins, amount, currency, paymentMethod, instrument, country, ip, device,
         recipient, relatedID

    /// The column name in the canonical schema (and in rules' expressions).
    public var name: String {
        switch self {
        case .paymentMethod: "payment_method"
        case .relatedID: "related_id"
        default: "\(self)"
        }
    }

    public init?(name: String) {
        guard let f = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = f
    }

    /// The fields every row must have.
    public static let required: [TxField] = [.id, .timestamp, .account, .type]
}

/// One transaction, decoded. Text fields are empty when the export does not have them.
///
/// Identifiers are kept as `String`: ids, accounts and fingerprints of up to 15 bytes are stored
/// inline (no allocation), which is what exports use.
public struct Transaction: Sendable {
    /// The line the row starts on in its input.
    public var line: Int
    /// Milliseconds since the Unix epoch (UTC).
    public var time: Int64
    public var type: TxType
    public var coins: Int64?
    public var amount: Double?
    public var id: String
    public var account: String
    public var currency: String
    public var paymentMethod: String
    public var instrument: String
    public var country: String
    public var ip: String
    public var device: String
    public var recipient: String
    public var relatedID: String
    /// The timestamp as written (output keeps the export's own form); the scanner fills it in only
    /// for rows it writes, so scoring a row does not allocate for it.
    public var timestampText: String

    public init(line: Int = 0, time: Int64, type: TxType, id: String, account: String, coins: Int64? = nil,
                amount: Double? = nil, currency: String = "", paymentMethod: String = "", instrument: String = "",
                country: String = "", ip: String = "", device: String = "", recipient: String = "",
                relatedID: String = "", timestampText: String = "") {
        self.line = line
        self.time = time
        self.type = type
        self.id = id
        self.account = account
        self.coins = coins
        self.amount = amount
        self.currency = currency
        self.paymentMethod = paymentMethod
        self.instrument = instrument
        self.country = country
        self.ip = ip
        self.device = device
        self.recipient = recipient
        self.relatedID = relatedID
        self.timestampText = timestampText
    }

    /// The text of a string field ("" for numbers and absent fields).
    public func text(_ field: TxField) -> String {
        switch field {
        case .id: id
        case .account: account
        case .type: type.name
        case .currency: currency
        case .paymentMethod: paymentMethod
        case .instrument: instrument
        case .country: country
        case .ip: ip
        case .device: device
        case .recipient: recipient
        case .relatedID: relatedID
        case .timestamp: timestampText.isEmpty ? Timestamp.format(time) : timestampText
        case .coins: coins.map { String($0) } ?? ""
        case .amount: amount.map { formatAmount($0) } ?? ""
        }
    }
}

/// An amount as exports write it: at most two decimals, no trailing zeros beyond them.
package func formatAmount(_ value: Double) -> String {
    let cents = (value * 100).rounded()
    if cents == value * 100, abs(cents) < 1e15 {
        let c = Int64(cents)
        let sign = c < 0 ? "-" : ""
        let a = abs(c)
        let frac = a % 100
        return "\(sign)\(a / 100).\(frac < 10 ? "0" : "")\(frac)"
    }
    return "\(value)"
}
