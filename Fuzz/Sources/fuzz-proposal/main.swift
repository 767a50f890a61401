// A proposal file: front matter, CriticMarkup (every mark, malformed ones included) and the
// suggestions read from it, with the changes typed without marks found by a word-level diff
// against its snapshot (input `snapshot NUL proposal`; the proposal alone has none), then
// anchoring each suggestion in edited copies of its target. Every word-level diff hunk lies
// inside both texts, in order.
// Properties: the texts with none, one or all suggestions accepted hold every suggestion's
// range; an anchor is found in the unchanged text at its own range, and any anchor it finds
// elsewhere covers the suggestion's old text (or its new text, when already applied).
import FuzzSupport
import KitbagCore
import ProposalsKit

Fuzz.run { bytes in
    let (snapshot, text) = Fuzz.split(bytes).map { (Array($0.0), $0.1) } ?? (nil, bytes[...])
    let file = SourceFile(displayPath: "Proposals/fuzz.md", bytes: text)
    _ = CriticMarkup.read(file)
    var proposal = Proposal.parse(relativePath: "Proposals/fuzz.md", file: file)
    Fuzz.expectInside(proposal.diagnostics, file)
    if let snapshot {
        let original = proposal.original
        var previous = (old: 0, new: 0)
        for h in WordDiff.hunks(old: snapshot, new: original) {
            Fuzz.expect(h.old.lowerBound >= previous.old && h.old.upperBound <= snapshot.count
                        && h.new.lowerBound >= previous.new && h.new.upperBound <= original.count, "hunk \(h)")
            previous = (h.old.upperBound, h.new.upperBound)
        }
        proposal = proposal.addingTypedChanges(snapshot: snapshot)
    }
    for s in proposal.suggestions { _ = s.summary }
    let numbers = Set(proposal.suggestions.map(\.number))
    let original = proposal.text(accepting: [])
    let all = proposal.text(accepting: numbers)
    // The target as someone may have edited it since: a byte dropped, or text added in front.
    let edited = [all.bytes, Array(original.bytes.dropFirst()), Array("A new first line.\n".utf8) + original.bytes]
    for s in proposal.suggestions {
        guard let range = original.ranges[s.number] else { Fuzz.expect(false, "no range for suggestion \(s.number)"); continue }
        Fuzz.expect(range.upperBound <= original.bytes.count && Array(original.bytes[range]) == s.old, "suggestion \(s.number)'s range")
        let replacement = s.changesText ? s.new : nil
        let same = Anchoring.anchor(expected: original.bytes, range: range, current: original.bytes, replacement: replacement)
        Fuzz.expect(same == .anchored(range), "suggestion \(s.number) in its own text: \(same)")
        for current in edited {
            let state = Anchoring.anchor(expected: original.bytes, range: range, current: current, replacement: replacement)
            switch state {
            case .anchored(let r):
                Fuzz.expect(r.lowerBound >= 0 && r.upperBound <= current.count && Array(current[r]) == s.old, "anchored at \(r): \(state)")
            case .alreadyApplied(let r):
                Fuzz.expect(r.lowerBound >= 0 && r.upperBound <= current.count && Array(current[r]) == s.new, "already applied at \(r)")
            case .stale(let why):
                _ = why
            }
        }
    }
}
