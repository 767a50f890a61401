#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Searching text by its UTF-8 bytes.
///
/// `String.contains(_:)` compares character by character (grapheme breaking, normalisation),
/// which is right for what a reader sees but costs far more than the search itself: asking
/// every 20 KB chapter whether it holds `{{site.` took a quarter of a 1,000-chapter build.
/// For an ASCII marker in a long text, a byte search answers the same question.
extension String {
    /// Whether the UTF-8 bytes of `needle` occur in this string's. This can be true where
    /// `contains(_:)` is false (a marker followed by a combining mark is another character).
    /// For an ASCII needle without `K`, `;` or `` ` `` (the only ASCII characters another
    /// character is canonically equivalent to) it is never false where `contains(_:)` is
    /// true: use it to decide whether a closer look is needed.
    public func containsBytes(_ needle: String) -> Bool {
        var text = self
        var needle = needle
        return text.withUTF8 { hay in
            needle.withUTF8 { pin in
                guard let first = pin.first else { return true }
                guard hay.count >= pin.count else { return false }
                var i = 0
                let last = hay.count - pin.count
                // The C library's `memchr` finds each candidate first byte (many bytes a step).
                while i <= last, let at = hay.firstIndex(of: first, from: i, to: last + 1) {
                    var j = 1
                    while j < pin.count && hay[at + j] == pin[j] { j += 1 }
                    if j == pin.count { return true }
                    i = at + 1
                }
                return false
            }
        }
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// The first index in `from..<to` whose byte is `byte` (nil: none), found by the C
    /// library's `memchr`, which reads many bytes a step.
    public func firstIndex(of byte: UInt8, from: Int, to: Int? = nil) -> Int? {
        let end = Swift.min(to ?? count, count)
        guard let base = baseAddress, from >= 0, from < end else { return nil }
        guard let hit = memchr(base + from, Int32(byte), end - from) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }
}
