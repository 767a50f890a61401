import KitbagCore

/// Changes a group typed without marks. `propose` keeps the text it copied (the snapshot), so
/// every word-level difference between the proposal and its snapshot that is not inside a mark
/// becomes a suggestion of its own, numbered in file order with the marked ones.
extension Proposal {
    /// The proposal with its typed changes as suggestions ("typed without marks"). Whitespace
    /// differences are never changes. A typed change that overlaps a mark which changes or
    /// highlights text is left to that mark (which then no longer matches and is reported stale).
    public func addingTypedChanges(snapshot: [UInt8]) -> Proposal {
        guard isValid else { return self }
        var base: [UInt8] = []
        var marks: [(range: Range<Int>, number: Int)] = []
        for piece in pieces {
            switch piece {
            case .text(let t, _): base += t
            case .suggestion(let n):
                let old = suggestions[n - 1].old
                marks.append((base.count..<(base.count + old.count), n))
                base += old
            }
        }
        let typed = WordDiff.hunks(old: snapshot, new: base).filter { h in
            !marks.contains { m in suggestions[m.number - 1].kind != .comment && ProposalsWorkspace.overlaps(h.new, m.range) }
        }
        guard !typed.isEmpty else { return self }

        // Rebuild the pieces in file order; a typed change is `.suggestion(-(index + 1))` until renumbered.
        var rebuilt: [Piece] = []
        var locations: [Int: SourceLocation] = [:]
        var next = 0
        var position = 0
        func emitTyped(at fileOffset: Int?, fallback: SourceLocation) {
            rebuilt.append(.suggestion(-(next + 1)))
            locations[next] = fileOffset.map { file.location(ofByteOffset: $0) } ?? fallback
            next += 1
        }
        var skipUntil = 0  // bytes of the base covered by an emitted typed change
        for piece in pieces {
            switch piece {
            case .text(let t, let at):
                let end = position + t.count
                var cursor = max(position, min(skipUntil, end))
                while next < typed.count, typed[next].new.lowerBound <= end {
                    let h = typed[next]
                    let start = max(h.new.lowerBound, cursor)
                    if start > cursor { rebuilt.append(.text(Array(t[(cursor - position)..<(start - position)]), at: at + cursor - position)) }
                    emitTyped(at: at + start - position, fallback: file.start)
                    skipUntil = max(skipUntil, h.new.upperBound)
                    cursor = max(start, min(h.new.upperBound, end))
                }
                if cursor < end { rebuilt.append(.text(Array(t[(cursor - position)...]), at: at + cursor - position)) }
                position = end
            case .suggestion(let n):
                let s = suggestions[n - 1]
                while next < typed.count, typed[next].new.upperBound <= position, typed[next].new.lowerBound < position || typed[next].new.isEmpty {
                    emitTyped(at: nil, fallback: s.location)
                }
                rebuilt.append(piece)
                position += s.old.count
                skipUntil = max(skipUntil, position)
            }
        }
        while next < typed.count { emitTyped(at: nil, fallback: suggestions.last?.location ?? file.start) }

        var result = self
        result.pieces = []
        result.suggestions = []
        for piece in rebuilt {
            guard case .suggestion(let n) = piece else { result.pieces.append(piece); continue }
            let number = result.suggestions.count + 1
            if n > 0 {
                var s = suggestions[n - 1]
                s.number = number
                result.suggestions.append(s)
            } else {
                let h = typed[-n - 1]
                let old = Array(snapshot[h.old]), new = Array(base[h.new])
                let kind: CriticKind = !WordDiff.hasWords(old) ? .addition : !WordDiff.hasWords(new) ? .deletion : .substitution
                result.suggestions.append(Suggestion(number: number, kind: kind, old: old, new: new, note: nil,
                                                     location: locations[-n - 1] ?? file.start, typed: true))
            }
            result.pieces.append(.suggestion(number))
        }
        return result
    }
}
