/// A text with its whitespace made uniform, for matching that forgives typing: every run of
/// spaces, tabs and line ends (CRLF or LF) becomes one space, and a leading byte order mark is
/// dropped. It remembers where each of its bytes came from, so a match maps back to the raw text.
struct CanonicalText: Sendable {
    /// The canonical bytes.
    var bytes: [UInt8] = []
    /// For each canonical byte, the raw offset it came from; one more entry for the end.
    var rawOffsets: [Int] = []

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    init(_ raw: some Collection<UInt8>) {
        let raw = Array(raw)
        var i = 0
        if raw.count >= 3, raw[0] == 0xEF, raw[1] == 0xBB, raw[2] == 0xBF { i = 3 }
        bytes.reserveCapacity(raw.count)
        rawOffsets.reserveCapacity(raw.count + 1)
        while i < raw.count {
            if Self.isSpace(raw[i]) {
                bytes.append(0x20)
                rawOffsets.append(i)
                while i < raw.count, Self.isSpace(raw[i]) { i += 1 }
            } else {
                bytes.append(raw[i])
                rawOffsets.append(i)
                i += 1
            }
        }
        rawOffsets.append(raw.count)
    }

    /// The canonical offset of raw offset `r`: the canonical bytes made from raw bytes before `r`
    /// (an offset inside a run of whitespace comes after that run's one space).
    func canonicalOffset(ofRaw r: Int) -> Int {
        var lo = 0, hi = rawOffsets.count - 1
        // The number of canonical bytes whose raw offset is below r.
        while lo < hi {
            let mid = (lo + hi) / 2
            if rawOffsets[mid] < r { lo = mid + 1 } else { hi = mid }
        }
        return min(lo, bytes.count)
    }

    /// The raw range a canonical range covers (a range ending after a space covers the whole run).
    func rawRange(_ c: Range<Int>) -> Range<Int> {
        let lower = rawOffsets[min(c.lowerBound, rawOffsets.count - 1)]
        let upper = rawOffsets[min(c.upperBound, rawOffsets.count - 1)]
        return lower..<max(lower, upper)
    }

    /// The canonical range of a raw range.
    func canonicalRange(ofRaw r: Range<Int>) -> Range<Int> {
        let lower = canonicalOffset(ofRaw: r.lowerBound)
        return lower..<max(lower, canonicalOffset(ofRaw: r.upperBound))
    }

    /// Whether two texts differ only in whitespace.
    static func sameWords(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        CanonicalText(a).trimmedBytes == CanonicalText(b).trimmedBytes
    }

    /// The canonical bytes without a space at either end.
    var trimmedBytes: ArraySlice<UInt8> {
        var s = bytes[...]
        while s.first == 0x20 { s = s.dropFirst() }
        while s.last == 0x20 { s = s.dropLast() }
        return s
    }
}
