// libFuzzer target: pattern parser, literal extraction and prefilter against PCRE2 alone.
// Input: patterns separated by NUL, then a last NUL-separated part that is the subject.
import Matcher

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPattern(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let parts = UnsafeBufferPointer(start: data, count: size).split(separator: 0, omittingEmptySubsequences: false)
    guard parts.count >= 2 else { return 0 }
    let patterns = parts.dropLast().prefix(8).map { String(decoding: $0, as: UTF8.self) }
    let subject = Array(parts.last!)
    if let problem = PrefilterSoundness.violation(patterns: patterns, subject: subject) { fatalError(problem) }
    return 0
}
