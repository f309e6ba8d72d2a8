import ScanSupport
import Normalise

/// A transaction rule: one of the built-in detectors with its parameters, or a condition in the
/// expression language (docs/TRANSACTIONS.md, "Detectors").
public struct TxRuleSpec: Hashable, Sendable {
    public enum Detector: String, CaseIterable, Hashable, Sendable {
        /// A purchase, most of its coins gifted, then the purchase refunded or charged back.
        case giftChargeback = "tx_gift_chargeback"
        /// Bursts of small purchases or declines on one account or instrument.
        case cardTesting = "tx_card_testing"
        /// A new account buying big and gifting it to one creator.
        case newAccountGift = "tx_new_account_gift"
        /// Many new accounts funded by one instrument, device or IP gifting to one creator.
        case sharedFunding = "tx_shared_funding"
        /// A creator whose gifts come mostly from accounts later charged back.
        case creatorChargebacks = "tx_creator_chargebacks"
        /// A creator redeeming soon after gifts from risky accounts.
        case quickRedeem = "tx_quick_redeem"
        /// A condition over the row's fields and windowed aggregates (`when:`).
        case condition = "tx_condition"
    }

    public var detector: Detector
    public var params: TxParams
    /// The `when:` condition of a `tx_condition` rule, as written (compiled with the pack).
    public var condition: String

    public init(detector: Detector, params: TxParams? = nil, condition: String = "") {
        self.detector = detector
        self.params = params ?? TxParams.defaults(for: detector)
        self.condition = condition
    }
}

/// Detector parameters; each detector reads the ones listed for it in `TxParams.allowed`.
public struct TxParams: Hashable, Sendable {
    /// How far back the detector looks (ms).
    public var window: Int64 = 0
    /// An account younger than this (since its first row) is new (ms).
    public var accountAge: Int64 = 0
    /// tx_quick_redeem: how soon before a redeem the risky gifts came (ms).
    public var within: Int64 = 0
    /// Fractions (0...1).
    public var minGifted: Double = 0
    public var minShare: Double = 0
    /// Money.
    public var minAmount: Double = 0
    public var maxAmount: Double = 0
    /// Counts.
    public var count: Int = 0
    public var minAccounts: Int = 0
    public var minCoins: Int64 = 0
    /// The keys a detector groups by.
    public var by: [TxField] = []

    public init() {}

    static let day: Int64 = 86_400_000

    public static func defaults(for detector: TxRuleSpec.Detector) -> TxParams {
        var p = TxParams()
        switch detector {
        case .giftChargeback: p.window = 30 * day; p.minGifted = 0.8
        case .cardTesting: p.window = 10 * 60_000; p.count = 5; p.maxAmount = 2; p.by = [.account, .instrument]
        case .newAccountGift: p.accountAge = day; p.minAmount = 100; p.minShare = 0.8
        case .sharedFunding: p.accountAge = 7 * day; p.window = 7 * day; p.minAccounts = 4; p.by = [.instrument, .device, .ip]
        case .creatorChargebacks: p.window = 30 * day; p.minShare = 0.5; p.minCoins = 1000
        case .quickRedeem: p.within = day; p.minCoins = 500
        case .condition: break
        }
        return p
    }

    /// The parameter names each detector takes.
    public static let allowed: [TxRuleSpec.Detector: [String]] = [
        .giftChargeback: ["window", "min_gifted"],
        .cardTesting: ["window", "count", "max_amount", "by"],
        .newAccountGift: ["account_age", "min_amount", "min_share"],
        .sharedFunding: ["account_age", "window", "min_accounts", "by"],
        .creatorChargebacks: ["window", "min_share", "min_coins"],
        .quickRedeem: ["within", "min_coins"],
        .condition: [],
    ]

    /// The keys `by` may name, per detector.
    public static let allowedKeys: [TxRuleSpec.Detector: [TxField]] = [
        .cardTesting: [.account, .instrument, .ip, .device],
        .sharedFunding: [.instrument, .device, .ip],
    ]
}
