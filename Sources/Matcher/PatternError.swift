import CPCRE2

/// A pattern PCRE2 refused, with PCRE2's own message and the offset it reported.
public struct PatternError: Error, Equatable, Sendable, CustomStringConvertible {
    /// PCRE2's error code (negative for match-time errors, positive for compile errors).
    public let code: Int32
    /// PCRE2's message for `code`, from `pcre2_get_error_message_8`.
    public let message: String
    /// Byte offset into the pattern where PCRE2 stopped, for compile errors.
    public let offset: Int?

    public init(code: Int32, offset: Int? = nil) {
        self.code = code
        self.message = PatternError.message(for: code)
        self.offset = offset
    }

    /// The error's offset counted in characters (Unicode scalars) of `pattern` rather than bytes:
    /// what to add to a column to point at it. 0 when there is no offset.
    public func scalarOffset(in pattern: String) -> Int {
        String(decoding: pattern.utf8.prefix(offset ?? 0), as: UTF8.self).unicodeScalars.count
    }

    public var description: String {
        if let offset { return "\(message) (at offset \(offset) of the pattern)" }
        return message
    }

    /// The one place that turns a PCRE2 error code into text.
    public static func message(for code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBufferPointer { buf in
            pcre2_get_error_message_8(code, buf.baseAddress, buf.count)
        }
        guard count > 0 else { return "PCRE2 error \(code)" }
        return String(decoding: buffer[0..<Int(count)], as: UTF8.self)
    }
}
