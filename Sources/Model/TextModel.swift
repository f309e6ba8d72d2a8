import Foundation
import ScanSupport
import Normalise

/// A linear text model: a weight per hashed feature slot and a bias; the probability that a
/// message is a scam is the logistic of the weighted sum of its features (`TextFeaturizer`).
/// Immutable and shared between threads.
///
/// The file (`.ssm`), little-endian:
///
///     magic        8 bytes  "SSMODEL\n"
///     version      UInt32   format version (1)
///     header size  UInt32   bytes of the header that follows
///     header       JSON     {"features": FeatureSettings, "training": TrainingInfo}, keys sorted
///     slots        UInt32   2^features.bits
///     bias         Float64
///     weights      Float32 × slots
///     checksum     UInt64   FNV-1a 64 of every byte before it
///
/// A file that is truncated, damaged, of another format version or with features this build
/// does not compute is refused with the reason (`ModelFileError`), never half-read.
public final class TextModel: Hashable, Sendable {
    public let features: FeatureSettings
    public let training: TrainingInfo
    public let bias: Double
    public let weights: [Float]
    /// The stored checksum: two files with the same checksum hold the same model.
    public let checksum: UInt64

    public static let magic = Array("SSMODEL\n".utf8)
    public static let formatVersion: UInt32 = 1

    /// What the model was trained on and how, for `lint`, `learn --update` and the docs.
    public struct TrainingInfo: Codable, Hashable, Sendable {
        /// Each source file with its message counts.
        public var sources: [SourceCount]
        public var lambda: Double
        public var iterations: Int
        /// How many `learn --update` rounds changed the model since it was trained.
        public var updates: Int
        public init(sources: [SourceCount], lambda: Double, iterations: Int, updates: Int = 0) {
            self.sources = sources
            self.lambda = lambda
            self.iterations = iterations
            self.updates = updates
        }
    }

    public struct SourceCount: Codable, Hashable, Sendable {
        public var name: String
        public var ham: Int
        public var scam: Int
        public init(name: String, ham: Int, scam: Int) {
            self.name = name
            self.ham = ham
            self.scam = scam
        }
    }

    public init(features: FeatureSettings, training: TrainingInfo, bias: Double, weights: [Float]) {
        precondition(weights.count == 1 << features.bits)
        self.features = features
        self.training = training
        self.bias = bias
        self.weights = weights
        checksum = Self.fnv1a(Self.body(features: features, training: training, bias: bias, weights: weights))
    }

    /// One line for `lint`: the format, the checksum, the feature settings and the training.
    public var summary: String {
        let f = features
        let messages = training.sources.reduce(0) { $0 + $1.ham + $1.scam }
        let scams = training.sources.reduce(0) { $0 + $1.scam }
        let used = weights.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
        return "format \(Self.formatVersion), checksum \(String(checksum, radix: 16)) ok; features version \(f.version): "
            + "2^\(f.bits) slots (\(used) used), words\(f.wordBigrams ? " and word pairs" : ""), characters \(f.charMin)-\(f.charMax), "
            + "first \(f.maxBytes) bytes; trained on \(messages) messages (\(scams) scam) from \(training.sources.count) sources, "
            + "lambda \(training.lambda), \(training.updates) update\(training.updates == 1 ? "" : "s") since"
    }

    /// What makes the model unusable although its file is sound: weights that are not numbers
    /// (every probability would be NaN, and the rule would silently never hit) or no weights at all.
    public var problems: [String] {
        var out: [String] = []
        if !bias.isFinite { out.append("its bias is \(bias)") }
        let bad = weights.reduce(0) { $0 + ($1.isFinite ? 0 : 1) }
        if bad > 0 { out.append("\(bad) of its weights are not finite numbers") }
        if weights.allSatisfy({ $0 == 0 }) { out.append("every weight is 0: it was trained on nothing") }
        return out
    }

    public static func == (a: TextModel, b: TextModel) -> Bool { a.checksum == b.checksum && a.weights == b.weights }
    public func hash(into h: inout Hasher) { h.combine(checksum) }

    /// The probability of the features `slots` with `values` (from one `TextFeaturizer.extract`).
    /// - Complexity: O(features).
    @inline(__always)
    public func probability(slots: [Int32], values: [Float]) -> Double {
        1 / (1 + exp(-logit(slots: slots, values: values)))
    }

    public func logit(slots: [Int32], values: [Float]) -> Double {
        var z = Float(0)
        weights.withUnsafeBufferPointer { w in
            for k in slots.indices { z += w[Int(slots[k])] * values[k] }
        }
        return bias + Double(z)
    }

    // MARK: - The file

    /// The file's bytes.
    public func encoded() -> [UInt8] {
        var bytes = Self.body(features: features, training: training, bias: bias, weights: weights)
        Self.append(checksum, to: &bytes)
        return bytes
    }

    /// Writes the file through a temporary file and a rename.
    public func write(to path: String) throws {
        let data = Data(encoded())
        let tmp = path + ".tmp"
        try data.write(to: URL(fileURLWithPath: tmp))
        if rename(tmp, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw ModelFileError(path: path, reason: "cannot rename \(tmp) to it: \(reason)")
        }
    }

    /// Reads a model file; every way it can be wrong is a `ModelFileError` naming the file.
    public static func read(path: String) throws(ModelFileError) -> TextModel {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = (error as NSError).userInfo[NSUnderlyingErrorKey].map { ($0 as? NSError)?.localizedDescription ?? "" }
            throw ModelFileError(path: path, reason: "cannot read it (\(reason ?? error.localizedDescription))")
        }
        return try decode([UInt8](data), path: path)
    }

    public static func decode(_ bytes: [UInt8], path: String) throws(ModelFileError) -> TextModel {
        func fail(_ reason: String) -> ModelFileError { ModelFileError(path: path, reason: reason) }
        if bytes.count < 16 && bytes.count >= 8 && Array(bytes[0..<8]) == magic {
            throw fail("truncated: \(bytes.count) bytes, not even a whole header; rebuild it (`make model`)")
        }
        guard bytes.count >= 16, Array(bytes[0..<8]) == magic else {
            throw fail("not a ScamScan model file (it does not start with \"SSMODEL\"); give the file `scamscan learn` wrote")
        }
        var at = 8
        let version = readUInt32(bytes, &at)
        guard version == formatVersion else {
            throw fail("model format version \(version), this scamscan reads version \(formatVersion); retrain it with `scamscan learn`")
        }
        let headerSize = Int(readUInt32(bytes, &at))
        guard headerSize <= bytes.count - at else { throw fail("truncated: the header says \(headerSize) bytes, the file has \(bytes.count - at) left") }
        let header = Data(bytes[at..<(at + headerSize)])
        at += headerSize
        struct Header: Codable { var features: FeatureSettings; var training: TrainingInfo }
        let decoded: Header
        do {
            decoded = try JSONDecoder().decode(Header.self, from: header)
        } catch {
            throw fail("its header is not valid JSON of a model (\(describe(error)))")
        }
        if let problem = decoded.features.problem { throw fail("\(problem); retrain it with `scamscan learn`") }
        let slots = 1 << decoded.features.bits
        guard bytes.count - at >= 4 else { throw fail("truncated after the header") }
        let count = Int(readUInt32(bytes, &at))
        guard count == slots else { throw fail("it holds \(count) weights where its features need \(slots)") }
        let need = 8 + 4 * slots + 8
        guard bytes.count - at >= need else {
            throw fail("truncated: \(bytes.count - at) bytes of weights and checksum where \(need) are needed; rebuild it (`make model`)")
        }
        guard bytes.count - at == need else { throw fail("\(bytes.count - at - need) bytes of trailing data after the checksum") }
        let bias = Double(bitPattern: readUInt64(bytes, &at))
        var weights = [Float](repeating: 0, count: slots)
        for k in 0..<slots { weights[k] = Float(bitPattern: readUInt32(bytes, &at)) }
        let stored = readUInt64(bytes, &at)
        let actual = fnv1a(Array(bytes[0..<(bytes.count - 8)]))
        guard stored == actual else {
            throw fail(String(format: "checksum mismatch (stored %016llx, computed %016llx): the file is damaged; rebuild it (`make model`)", stored, actual))
        }
        guard bias.isFinite, weights.allSatisfy(\.isFinite) else { throw fail("it holds weights that are not finite numbers") }
        let model = TextModel(features: decoded.features, training: decoded.training, bias: bias, weights: weights)
        return model
    }

    private static func body(features: FeatureSettings, training: TrainingInfo, bias: Double, weights: [Float]) -> [UInt8] {
        struct Header: Codable { var features: FeatureSettings; var training: TrainingInfo }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let header = [UInt8]((try? encoder.encode(Header(features: features, training: training))) ?? Data())
        var bytes = magic
        bytes.reserveCapacity(header.count + 4 * weights.count + 40)
        append(formatVersion, to: &bytes)
        append(UInt32(header.count), to: &bytes)
        bytes += header
        append(UInt32(weights.count), to: &bytes)
        append(bias.bitPattern, to: &bytes)
        for w in weights { append(w.bitPattern, to: &bytes) }
        return bytes
    }

    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var h = FNV1a64()
        h.add(bytes)
        return h.value
    }

    private static func append<T: FixedWidthInteger>(_ v: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { bytes += $0 }
    }

    private static func readUInt32(_ b: [UInt8], _ at: inout Int) -> UInt32 {
        var v: UInt32 = 0
        for k in 0..<4 { v |= UInt32(b[at + k]) << (8 * k) }
        at += 4
        return v
    }

    private static func readUInt64(_ b: [UInt8], _ at: inout Int) -> UInt64 {
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(b[at + k]) << (8 * k) }
        at += 8
        return v
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case let DecodingError.keyNotFound(key, _): "no '\(key.stringValue)'"
        case let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context):
            "wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        case DecodingError.dataCorrupted: "not JSON"
        default: "unreadable"
        }
    }
}

/// A model file that cannot be used, and why.
public struct ModelFileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String { "\(path): \(reason)" }
}
