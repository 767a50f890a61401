/// Suggestions for misspelt names, by edit distance.
public enum DidYouMean {
    /// The candidate closest to `word`, if it is close enough to be a plausible typo: the
    /// fewest edits (a swap of two neighbours counts as one), then one of the same kind (the
    /// same letters before the digits: `M41` suggests `M14` before `C41`), then one with the
    /// same characters (a transposition: `M41` suggests `M14` before `M01`). When nothing is
    /// that close, a candidate that `word` is the start of (`risk` suggests `risk-safety`).
    public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        let target = Array(word.lowercased().unicodeScalars)
        let limit = max(2, target.count / 3)
        let kind = target.prefix { !("0"..."9").contains($0) }
        let letters = target.sorted()
        var best: (name: String, rank: (Int, Int, Int))?
        var prefixed: String?
        for candidate in candidates {
            let c = Array(candidate.lowercased().unicodeScalars)
            if target.count >= 3, c.count > target.count, c.starts(with: target),
               prefixed.map({ (candidate.count, candidate) < ($0.count, $0) }) ?? true {
                prefixed = candidate
            }
            if abs(c.count - target.count) > limit { continue }
            let d = distance(target, c, limit: limit)
            guard d <= limit else { continue }
            let rank = (d, c.prefix { !("0"..."9").contains($0) } == kind ? 0 : 1, c.sorted() == letters ? 0 : 1)
            if let b = best, b.rank < rank || (b.rank == rank && b.name <= candidate) { continue }
            best = (candidate, rank)
        }
        return best?.name ?? prefixed
    }

    /// Edit distance with swaps of neighbours (optimal string alignment), giving up (returning
    /// limit + 1) once it must exceed `limit`.
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMin = current[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], before[j - 2] + 1)
                }
                rowMin = min(rowMin, current[j])
            }
            if rowMin > limit { return limit + 1 }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }
}
