/// Where a suggestion stands in the current target.
public enum AnchorState: Sendable, Equatable {
    /// Found: the byte range in the target file that the suggestion changes (empty for an insertion point).
    case anchored(Range<Int>)
    /// The suggested text is already there (someone made the same change): byte range of it.
    case alreadyApplied(Range<Int>)
    /// The text around the suggestion is gone; the reason says what is missing.
    case stale(String)

    /// The range in the target file, when the suggestion was found.
    public var range: Range<Int>? {
        switch self {
        case .anchored(let r), .alreadyApplied(let r): r
        case .stale: nil
        }
    }

    public var isStale: Bool { if case .stale = self { true } else { false } }
}

/// Locates a suggestion in the current target by the text around it, so that edits elsewhere
/// in the target do not disturb it.
public enum Anchoring {
    /// Context widths tried, in bytes each side, widest first.
    static let widths = [64, 32, 16, 8]

    /// Finds `expected[range]` with its surroundings in `current`. `replacement` is the text the
    /// suggestion would put in (to recognise a change already made); nil for highlights and comments.
    /// Ranges are relative to `current`.
    public static func anchor(expected: [UInt8], range: Range<Int>, current: [UInt8], replacement: [UInt8]?) -> AnchorState {
        if expected == current { return .anchored(range) }
        let old = Array(expected[range])
        if let found = locate(expected: expected, range: range, middle: old, in: current) { return .anchored(found) }
        if let replacement, replacement != old,
           let found = locate(expected: expected, range: range, middle: replacement, in: current) {
            return .alreadyApplied(found)
        }
        // Whitespace never makes a suggestion stale: line ends, a byte order mark, trailing spaces
        // and the spaces typed around a comment are matched as one space.
        let e = CanonicalText(expected), c = CanonicalText(current)
        let cr = e.canonicalRange(ofRaw: range)
        let cOld = Array(e.bytes[cr])
        if let found = locate(expected: e.bytes, range: cr, middle: cOld, in: c.bytes) {
            return .anchored(c.rawRange(found))
        }
        if let replacement {
            let cNew = CanonicalText(replacement).bytes
            if cNew != cOld, let found = locate(expected: e.bytes, range: cr, middle: cNew, in: c.bytes) {
                return .alreadyApplied(c.rawRange(found))
            }
        }
        let words = e.bytes[cr].trimmingSpaces
        if !words.isEmpty, occurrences(of: Array(words), in: c.bytes, limit: 1).isEmpty {
            return .stale("the words '\(Suggestion.shorten(String(decoding: words, as: UTF8.self), limit: 50))' are no longer in the target")
        }
        let lo = max(0, cr.lowerBound - 30), hi = min(e.bytes.count, cr.upperBound + 30)
        var start = lo
        while start < cr.lowerBound, e.bytes[start] & 0xC0 == 0x80 { start += 1 }
        var end = hi
        while end > cr.upperBound, end < e.bytes.count, e.bytes[end] & 0xC0 == 0x80 { end -= 1 }
        let around = String(decoding: e.bytes[start..<end], as: UTF8.self)
        return .stale("the words around it, '\(Suggestion.shorten(around, limit: 70))', no longer match the target")
    }

    /// The range of `middle` in `haystack` when `before + middle + after` occurs exactly once for
    /// the widest context that matches.
    static func locate(expected: [UInt8], range: Range<Int>, middle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        for width in widths {
            var lo = max(0, range.lowerBound - width)
            while lo < range.lowerBound, expected[lo] & 0xC0 == 0x80 { lo += 1 }
            var hi = min(expected.count, range.upperBound + width)
            while hi > range.upperBound, hi < expected.count, expected[hi] & 0xC0 == 0x80 { hi -= 1 }
            let before = Array(expected[lo..<range.lowerBound])
            let after = Array(expected[range.upperBound..<hi])
            let pattern = before + middle + after
            if pattern.isEmpty { return nil }
            let found = occurrences(of: pattern, in: haystack, limit: 2)
            if found.count == 1 {
                let start = found[0] + before.count
                return start..<(start + middle.count)
            }
            if found.count > 1 { return nil }  // smaller contexts are only more ambiguous
        }
        return nil
    }

    /// Start offsets of `needle` in `haystack` (overlapping ones too), at most `limit` of them.
    /// Knuth-Morris-Pratt: linear in both lengths, so a long run of one repeated byte in a
    /// proposal cannot make anchoring quadratic (found by `Fuzz/run proposal`).
    static func occurrences(of needle: [UInt8], in haystack: [UInt8], limit: Int) -> [Int] {
        guard !needle.isEmpty, needle.count <= haystack.count else { return [] }
        var failure = [Int](repeating: 0, count: needle.count)
        var k = 0
        for q in needle.indices.dropFirst() {
            while k > 0, needle[q] != needle[k] { k = failure[k - 1] }
            if needle[q] == needle[k] { k += 1 }
            failure[q] = k
        }
        var result: [Int] = []
        var matched = 0
        for (i, byte) in haystack.enumerated() {
            while matched > 0, byte != needle[matched] { matched = failure[matched - 1] }
            if byte == needle[matched] { matched += 1 }
            if matched == needle.count {
                result.append(i + 1 - needle.count)
                if result.count >= limit { break }
                matched = failure[matched - 1]
            }
        }
        return result
    }
}

extension ArraySlice<UInt8> {
    /// Without spaces at either end.
    var trimmingSpaces: ArraySlice<UInt8> {
        var s = self
        while let f = s.first, CanonicalText.isSpace(f) { s = s.dropFirst() }
        while let l = s.last, CanonicalText.isSpace(l) { s = s.dropLast() }
        return s
    }
}
