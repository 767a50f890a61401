import KitbagCore

/// A suggestion quoted in its sentence as a reader sees it (references as their text, no
/// Markdown), before and after the change, as HTML with the change marked by `<del>`, `<ins>`
/// or `<mark>`. The sentence is taken from the text the group was given, so a suggestion is
/// quoted the same way whatever has happened to the handbook since.
public struct QuotedSentence: Sendable, Equatable {
    /// The sentence as it was, the changed words in `<del>` (or `<mark>` for a highlight).
    public var before: String
    /// The sentence with the change made, the new words in `<ins>`; nil when the suggestion does
    /// not change the text (a comment or a highlight).
    public var after: String?

    /// Private-use characters that mark where the change is while the sentence is made readable.
    static let open = "\u{E000}", close = "\u{E001}"

    /// The sentence of suggestion `s` of `proposal`.
    public static func of(_ s: Suggestion, in proposal: Proposal, references: ReferenceTexts) -> QuotedSentence {
        let (base, ranges) = proposal.text(accepting: [])
        let range = ranges[s.number] ?? 0..<0
        let (start, end) = bounds(base, around: range)
        let pre = Array(base[start..<range.lowerBound]), old = Array(base[range]), post = Array(base[range.upperBound..<end])
        let (p1, o1, q1) = readable(pre, old, post, references)
        switch s.kind {
        case .comment:
            return QuotedSentence(before: HTML.escape(p1) + "<span class=\"comment-here\" role=\"img\" aria-label=\"comment here\">&#x1F5E8;</span>" + HTML.escape(q1), after: nil)
        case .highlight:
            return QuotedSentence(before: HTML.escape(p1) + wrap("mark", o1) + HTML.escape(q1), after: nil)
        case .addition, .deletion, .substitution:
            let (p2, n2, q2) = readable(pre, s.new, post, references)
            let before = HTML.escape(p1) + wrap("del", o1) + HTML.escape(q1)
            let after = HTML.escape(p2) + wrap("ins", n2) + HTML.escape(q2)
            return QuotedSentence(before: before, after: after)
        }
    }

    /// `text` escaped in `<tag>`, with the spaces at either end outside it.
    static func wrap(_ tag: String, _ text: String) -> String {
        let inner = text.trimmed()
        guard !inner.isEmpty else { return HTML.escape(text) }
        let lead = String(text.prefix { $0.isWhitespace }), trail = String(text.reversed().prefix { $0.isWhitespace })
        return HTML.escape(lead) + "<\(tag)>" + HTML.escape(inner) + "</\(tag)>" + HTML.escape(trail)
    }

    /// The readable forms of three consecutive pieces of source, made readable together so that
    /// a link or heading around the cut still reads as text.
    static func readable(_ pre: [UInt8], _ middle: [UInt8], _ post: [UInt8], _ references: ReferenceTexts) -> (String, String, String) {
        let marked = pre + Array(open.utf8) + middle + Array(close.utf8) + post
        let text = references.readable(marked).text
        let parts = text.split(separator: open, maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2 {
            let rest = parts[1].split(separator: close, maxSplits: 1, omittingEmptySubsequences: false)
            if rest.count == 2 { return (tidy(String(parts[0])), String(rest[0]), tidy(String(rest[1]))) }
        }
        // The marks fell inside a reference: make each piece readable on its own.
        return (tidy(references.readable(pre).text), references.readable(middle).text, tidy(references.readable(post).text))
    }

    /// Paragraph breaks inside a quote read as a space.
    static func tidy(_ s: String) -> String { s.replacing("\n\n", with: " ") }

    /// The sentence around `range`: back to the end of the previous sentence, the start of the
    /// line if it is a heading, or a blank line; forward likewise. At most about 300 bytes each way.
    static func bounds(_ text: [UInt8], around range: Range<Int>) -> (Int, Int) {
        func isEnd(_ b: UInt8) -> Bool { b == UInt8(ascii: ".") || b == UInt8(ascii: "?") || b == UInt8(ascii: "!") }
        var start = range.lowerBound
        let limit = max(0, range.lowerBound - 300)
        while start > limit {
            let b = text[start - 1]
            if b == 0x0A, start >= 2, text[start - 2] == 0x0A || text[start - 2] == 0x0D { break }
            if b == 0x0A, start < text.count, text[start] == UInt8(ascii: "#") { break }
            if CanonicalText.isSpace(b), start >= 2, isEnd(text[start - 2]) { break }
            start -= 1
        }
        while start < range.lowerBound, CanonicalText.isSpace(text[start]) { start += 1 }
        var end = range.upperBound
        let upper = min(text.count, range.upperBound + 300)
        while end < upper {
            let b = text[end]
            if b == 0x0A, end + 1 < text.count, text[end + 1] == 0x0A || text[end + 1] == 0x0D || text[end + 1] == UInt8(ascii: "#") { break }
            if isEnd(b), end + 1 >= text.count || CanonicalText.isSpace(text[end + 1]) { end += 1; break }
            end += 1
        }
        return (start, max(start, end))
    }
}
