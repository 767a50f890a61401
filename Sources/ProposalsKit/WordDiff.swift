/// A word-level comparison of two texts, like a word processor's tracked changes: whitespace
/// separates words and is never a difference of its own; punctuation marks are words of their own,
/// so "weekly." to "fortnightly." changes one word. Written here so kitbag needs no dependency.
public enum WordDiff {
    /// A word: its byte range in the text.
    struct Token: Equatable {
        var range: Range<Int>
    }

    /// One difference: the bytes of `old` that become the bytes of `new` (either may be empty).
    public struct Hunk: Sendable, Equatable {
        public var old: Range<Int>
        public var new: Range<Int>
    }

    static func isWordByte(_ b: UInt8) -> Bool {
        b >= 0x80 || (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x27
    }

    /// The words of `text`: runs of letters, digits, apostrophes and non-ASCII bytes; every other
    /// visible ASCII character on its own.
    static func tokens(_ text: [UInt8]) -> [Token] {
        var result: [Token] = []
        var i = 0
        while i < text.count {
            let b = text[i]
            if CanonicalText.isSpace(b) { i += 1; continue }
            if isWordByte(b) {
                let start = i
                while i < text.count, isWordByte(text[i]) { i += 1 }
                result.append(Token(range: start..<i))
            } else {
                result.append(Token(range: i..<(i + 1)))
                i += 1
            }
        }
        return result
    }

    /// The differences between `old` and `new`, in order, as byte ranges of each. Applying every
    /// hunk to `old` (replacing `old[h.old]` with `new[h.new]`, last first) gives a text with the
    /// same words as `new`.
    public static func hunks(old: [UInt8], new: [UInt8]) -> [Hunk] {
        let a = tokens(old), b = tokens(new)
        let ka = a.map { old[$0.range] }, kb = b.map { new[$0.range] }
        let pairs = matches(ka.map(Array.init), kb.map(Array.init))
        var hunks: [Hunk] = []
        var i = 0, j = 0
        for (mi, mj) in pairs + [(a.count, b.count)] {
            if mi > i || mj > j {
                hunks.append(hunk(deleted: i..<mi, inserted: j..<mj, a: a, b: b, old: old, new: new))
            }
            i = mi + 1
            j = mj + 1
        }
        return hunks
    }

    /// Byte ranges of one run of deleted words `deleted` (in `a`) and inserted words `inserted` (in
    /// `b`): everything between the matched words around them, less the whitespace both sides have
    /// at either end. Taking all the bytes between matched words means a change never glues two
    /// words together; trimming the shared whitespace keeps the ranges to the words that changed.
    static func hunk(deleted: Range<Int>, inserted: Range<Int>, a: [Token], b: [Token], old: [UInt8], new: [UInt8]) -> Hunk {
        var o0 = deleted.lowerBound > 0 ? a[deleted.lowerBound - 1].range.upperBound : 0
        var o1 = deleted.upperBound < a.count ? a[deleted.upperBound].range.lowerBound : old.count
        var n0 = inserted.lowerBound > 0 ? b[inserted.lowerBound - 1].range.upperBound : 0
        var n1 = inserted.upperBound < b.count ? b[inserted.upperBound].range.lowerBound : new.count
        // Whitespace on both sides at an end is not part of the change (the old text's is kept).
        if o1 > o0, n1 > n0, CanonicalText.isSpace(old[o1 - 1]), CanonicalText.isSpace(new[n1 - 1]) {
            while o1 > o0, CanonicalText.isSpace(old[o1 - 1]) { o1 -= 1 }
            while n1 > n0, CanonicalText.isSpace(new[n1 - 1]) { n1 -= 1 }
        }
        if o1 > o0, n1 > n0, CanonicalText.isSpace(old[o0]), CanonicalText.isSpace(new[n0]) {
            while o0 < o1, CanonicalText.isSpace(old[o0]) { o0 += 1 }
            while n0 < n1, CanonicalText.isSpace(new[n0]) { n0 += 1 }
        }
        return Hunk(old: o0..<o1, new: n0..<n1)
    }

    /// Whether a range of a text holds a word (not only whitespace).
    public static func hasWords(_ bytes: some Collection<UInt8>) -> Bool { bytes.contains { !CanonicalText.isSpace($0) } }

    /// Matched index pairs of a longest common subsequence (Myers' O(ND) algorithm after
    /// trimming the common prefix and suffix). Pure runs of deletions or insertions are slid as far
    /// right as they go, so a deleted sentence ends at its full stop.
    static func matches<T: Equatable>(_ a: [T], _ b: [T]) -> [(Int, Int)] {
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        var pairs = (0..<prefix).map { ($0, $0) }
        let ma = Array(a[prefix..<(a.count - suffix)]), mb = Array(b[prefix..<(b.count - suffix)])
        for (x, y) in myers(ma, mb) { pairs.append((x + prefix, y + prefix)) }
        for k in 0..<suffix { pairs.append((a.count - suffix + k, b.count - suffix + k)) }
        return slide(pairs, a, b)
    }

    /// Myers' greedy diff; beyond `limit` edits the middle is one replacement (no match) to bound memory.
    static func myers<T: Equatable>(_ a: [T], _ b: [T], limit: Int = 4000) -> [(Int, Int)] {
        let n = a.count, m = b.count
        if n == 0 || m == 0 { return [] }
        let max = min(n + m, limit)
        let offset = max + 1
        var v = [Int](repeating: 0, count: 2 * max + 3)
        var trace: [[Int]] = []
        var found = false
        outer: for d in 0...max {
            trace.append(v)
            var k = -d
            while k <= d {
                var x: Int
                if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
                    x = v[offset + k + 1]
                } else {
                    x = v[offset + k - 1] + 1
                }
                var y = x - k
                while x < n, y < m, a[x] == b[y] { x += 1; y += 1 }
                v[offset + k] = x
                if x >= n && y >= m { found = true; break outer }
                k += 2
            }
        }
        guard found else { return [] }
        // Walk back through the trace to collect the diagonal moves.
        var pairs: [(Int, Int)] = []
        var x = n, y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let vd = trace[d]
            let k = x - y
            let prevK: Int
            if d == 0 {
                while x > 0, y > 0 { x -= 1; y -= 1; pairs.append((x, y)) }
                break
            }
            if k == -d || (k != d && vd[offset + k - 1] < vd[offset + k + 1]) { prevK = k + 1 } else { prevK = k - 1 }
            let prevX = vd[offset + prevK]
            let prevY = prevX - prevK
            while x > prevX, y > prevY { x -= 1; y -= 1; pairs.append((x, y)) }
            x = prevX
            y = prevY
        }
        return pairs.reversed()
    }

    /// Slides each pure deletion or insertion right while the word after it equals its first word:
    /// deleting "x a" before "a" becomes deleting "a x" after the first "a" (the same result).
    static func slide<T: Equatable>(_ pairs: [(Int, Int)], _ a: [T], _ b: [T]) -> [(Int, Int)] {
        var p = pairs
        var prevA = -1, prevB = -1
        var index = 0
        while index < p.count {
            let (mi, mj) = p[index]
            let gapA = prevA + 1, gapB = prevB + 1
            if mi > gapA, mj == gapB {
                var lo = gapA, k = index
                while k < p.count, p[k].0 == mi + (k - index), p[k].1 == mj + (k - index), a[lo] == a[p[k].0] {
                    p[k].0 = lo
                    lo += 1
                    k += 1
                }
            } else if mj > gapB, mi == gapA {
                var lo = gapB, k = index
                while k < p.count, p[k].0 == mi + (k - index), p[k].1 == mj + (k - index), b[lo] == b[p[k].1] {
                    p[k].1 = lo
                    lo += 1
                    k += 1
                }
            }
            (prevA, prevB) = p[index]
            index += 1
        }
        return p
    }
}
