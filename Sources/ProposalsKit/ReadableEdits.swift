import KitbagCore

/// Edits a group made to the readable text (the Word copy) turned into CriticMarkup on the
/// source. The readable text's edits are read like a proposal against the readable text kitbag
/// handed out (marks and changes typed without them), each is found in that text and mapped back
/// to the source bytes it came from. An edit that cuts into a reference's text becomes a comment
/// on that reference; one that cannot be placed becomes a comment at the end. Nothing is dropped.
public enum ReadableEdits {
    /// The source `snapshot` with the edits of `marked` (the readable text with CriticMarkup) as marks.
    public static func sourceCopy(marked: String, snapshot: [UInt8], view: ReadableText) -> (copy: [UInt8], suggestions: Int) {
        let header = "---\ngroup: g\ntarget: t\nsubmitted: 2000-01-01\n---\n"
        var readable = Proposal.parse(relativePath: "", file: SourceFile(displayPath: "", text: header + marked))
        if !readable.isValid {
            // Marks that do not read (a stray "{++" typed in Word): take the text as typed.
            readable = Proposal.parse(relativePath: "", file: SourceFile(displayPath: "", text: header + neutralised(marked)))
        }
        readable = readable.addingTypedChanges(snapshot: view.bytes)
        let (expected, ranges) = readable.text(accepting: [])

        struct Mark { var range: Range<Int>; var text: String; var order: Int }
        var marks: [Mark] = []
        var unplaced: [String] = []
        func q(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
        for s in readable.suggestions {
            let r = ranges[s.number] ?? 0..<0
            guard let found = Anchoring.anchor(expected: expected, range: r, current: view.bytes, replacement: nil).range else {
                unplaced.append(s.summary)
                continue
            }
            let (mapped, cut) = view.sourceRange(ofReadable: found)
            let note = s.note.map { "{>>\(comment($0))<<}" } ?? ""
            if let cut, case .reference = cut.part {
                let shown = q(Array(view.bytes[cut.readable]))
                var words = s.kind == .comment ? "" : "suggested change to \u{201C}\(shown)\u{201D}: \(s.changeSummary)"
                if let n = s.note { words += (words.isEmpty ? "" : "; ") + n }
                marks.append(Mark(range: mapped, text: "{==\(q(Array(snapshot[mapped])))==}{>>\(comment(words))<<}", order: s.number))
                continue
            }
            var source = mapped
            var newBytes = Array(clean(s.newText).utf8)
            if s.kind == .substitution {
                // Spaces both sides share at either end are not part of the change.
                while source.count > 1, newBytes.count > 1, snapshot[source.lowerBound] == newBytes[0], CanonicalText.isSpace(newBytes[0]) {
                    source = (source.lowerBound + 1)..<source.upperBound
                    newBytes.removeFirst()
                }
                while source.count > 1, newBytes.count > 1, snapshot[source.upperBound - 1] == newBytes[newBytes.count - 1], CanonicalText.isSpace(newBytes[newBytes.count - 1]) {
                    source = source.lowerBound..<(source.upperBound - 1)
                    newBytes.removeLast()
                }
            }
            let old = q(Array(snapshot[source]))
            let new = q(newBytes)
            switch s.kind {
            case .comment:
                marks.append(Mark(range: source.lowerBound..<source.lowerBound, text: note, order: s.number))
            case .highlight:
                marks.append(Mark(range: source, text: (old.isEmpty ? "" : "{==\(old)==}") + note, order: s.number))
            case .addition, .deletion, .substitution:
                if source.isEmpty {
                    guard !new.isEmpty else { unplaced.append(s.summary); continue }
                    marks.append(Mark(range: source, text: "{++\(new)++}" + note, order: s.number))
                } else if new.isEmpty || s.kind == .deletion {
                    marks.append(Mark(range: source, text: "{--\(old)--}" + note, order: s.number))
                } else if old == new {
                    continue
                } else {
                    marks.append(Mark(range: source, text: "{~~\(old)~>\(new)~~}" + note, order: s.number))
                }
            }
        }
        // Marks in source order; one that overlaps the one before becomes a comment after it.
        marks.sort { ($0.range.lowerBound, $0.order) < ($1.range.lowerBound, $1.order) }
        var out: [UInt8] = []
        var position = 0
        var count = 0
        for mark in marks where !mark.text.isEmpty {
            if mark.range.lowerBound < position {
                out += Array("{>>\(comment("also suggested here: " + String(decoding: Array(mark.text.utf8), as: UTF8.self)))<<}".utf8)
                count += 1
                continue
            }
            out += snapshot[position..<mark.range.lowerBound]
            out += Array(mark.text.utf8)
            position = mark.range.upperBound
            count += 1
        }
        out += snapshot[position...]
        for summary in unplaced {
            out += Array("{>>\(comment("kitbag could not place this change from the Word file: " + summary))<<}".utf8)
            count += 1
        }
        return (out, count)
    }

    /// Text that can sit inside a mark: no CriticMarkup delimiters in it.
    static func clean(_ text: String) -> String {
        var s = text
        for d in ["{++", "++}", "{--", "--}", "{~~", "~~}", "~>", "{>>", "<<}", "{==", "==}"] {
            s = s.replacing(d, with: String(d.map { $0 == "{" ? "(" : $0 == "}" ? ")" : $0 }).replacing("~>", with: "->"))
        }
        return s
    }

    /// A comment's text: on one line, no delimiters.
    static func comment(_ text: String) -> String {
        String(clean(text).map { $0 == "\n" || $0 == "\r" ? " " : $0 })
    }

    /// Text in which nothing reads as a mark.
    static func neutralised(_ text: String) -> String {
        var s = text
        for d in ["{++", "{--", "{~~", "{>>", "{=="] { s = s.replacing(d, with: "(" + d.dropFirst()) }
        return s
    }
}
