import KitbagCore

/// One numbered suggestion in a proposal: an edit, a highlight or a comment. A comment written
/// straight after another mark (nothing in between) belongs to that mark and shares its number.
public struct Suggestion: Sendable, Equatable {
    /// 1, 2, ... in file order; `--only` uses these numbers.
    public var number: Int
    public var kind: CriticKind
    /// The text as it is in the target (deleted, replaced or highlighted text; empty for additions and comments).
    public var old: [UInt8]
    /// The text the suggestion puts in (empty for deletions, highlights and comments).
    public var new: [UInt8]
    /// The group's comment, attached or on its own.
    public var note: String?
    /// Where the suggestion's first mark starts in the proposal file.
    public var location: SourceLocation
    /// Whether the group changed the text without marks (found by comparing with the snapshot).
    public var typed = false

    public var oldText: String { String(decoding: old, as: UTF8.self) }
    public var newText: String { String(decoding: new, as: UTF8.self) }
    /// Whether accepting it changes the target's text.
    public var changesText: Bool { kind.changesText }

    /// One line that says what the suggestion does: "replace 'weekly' with 'twice a week'",
    /// with the group's comment.
    public var summary: String {
        var text = changeSummary
        if typed { text += " (typed without marks)" }
        if let note { text += (kind == .comment ? ": " : "; comment: ") + "'" + Suggestion.shorten(note) + "'" }
        return text
    }

    /// What the suggestion does to the text, without the group's comment (the decision log keeps
    /// this, and the handbook's `{changes}` appendix publishes it).
    public var changeSummary: String {
        func q(_ bytes: [UInt8]) -> String { "'" + Suggestion.shorten(String(decoding: bytes, as: UTF8.self)) + "'" }
        switch kind {
        case .addition: return "add \(q(new))"
        case .deletion: return "delete \(q(old))"
        case .substitution: return "replace \(q(old)) with \(q(new))"
        case .highlight: return "highlight \(q(old))"
        case .comment: return "comment"
        }
    }

    /// Text on one line, at most `limit` characters.
    static func shorten(_ text: String, limit: Int = 70) -> String {
        var flat = String(text.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 })
        flat = flat.trimmed()
        return flat.count <= limit ? flat : String(flat.prefix(limit - 1)) + "\u{2026}"
    }
}

/// A proposal file: front matter naming the group, round, date, target and fingerprint, then a
/// copy of the target's text with the group's CriticMarkup suggestions.
public struct Proposal: Sendable {
    /// The keys a proposal's front matter may hold.
    public static let schema = FrontMatterSchema(kind: "a proposal", required: ["group", "target", "submitted"],
                                                 optional: ["round", "fingerprint", "title"])

    enum Piece: Sendable, Equatable {
        /// Unmarked text and the byte offset in the file where it starts.
        case text([UInt8], at: Int)
        case suggestion(Int)
    }

    /// Project-relative path, such as `Proposals/2026-05-01-sussex-lag-r1-ward.md`.
    public var relativePath: String
    public var file: SourceFile
    public var group: String
    public var round: Int?
    public var submitted: ISODate?
    public var target: String
    public var fingerprint: String?
    public var suggestions: [Suggestion] = []
    /// Every problem in the file: front matter and malformed marks.
    public var diagnostics: [Diagnostic] = []
    /// Line where the copy of the target starts.
    public var copyStartLine = 1
    var pieces: [Piece] = []

    /// The suggestion numbered `n`.
    public func suggestion(_ n: Int) -> Suggestion? {
        n >= 1 && n <= suggestions.count ? suggestions[n - 1] : nil
    }

    /// Whether the file can be used (no errors).
    public var isValid: Bool { !diagnostics.containsErrors }

    /// The copy with the suggestions numbered in `accepted` applied and all others left out,
    /// and where each suggestion's text ends up.
    public func text(accepting accepted: Set<Int>) -> (bytes: [UInt8], ranges: [Int: Range<Int>]) {
        var out: [UInt8] = []
        var ranges: [Int: Range<Int>] = [:]
        for piece in pieces {
            switch piece {
            case .text(let bytes, _):
                out += bytes
            case .suggestion(let n):
                let s = suggestions[n - 1]
                let start = out.count
                let chosen = accepted.contains(n) && s.changesText ? s.new : s.old
                out += chosen
                ranges[n] = start..<out.count
            }
        }
        return (out, ranges)
    }

    /// The text the group was given: every mark resolved to what was there before.
    public var original: [UInt8] { text(accepting: []).bytes }

    /// Reads a proposal file.
    public static func parse(relativePath: String, file: SourceFile) -> Proposal {
        var bag = DiagnosticBag()
        let fm = FrontMatter.parse(file, into: &bag)
        var reader = FrontMatterReader(fm, file: file, schema: schema)
        var proposal = Proposal(relativePath: relativePath, file: file,
                                group: reader.string("group") ?? "", round: reader.integer("round", range: 1...999),
                                submitted: reader.date("submitted"), target: reader.string("target") ?? "",
                                fingerprint: reader.string("fingerprint"))
        if !fm.isPresent {
            bag.error(.missingFrontMatter, "a proposal needs front matter naming its group, target and submission date",
                      at: file.start, notes: [.init("make a proposal with 'kitbag propose TARGET --group NAME'")])
        } else {
            bag.add(contentsOf: reader.diagnostics)
        }
        let bytes = Array(file.text.utf8)
        var start = 0
        if fm.isPresent, fm.bodyStartLine > 1 {
            start = fm.bodyStartLine - 1 < file.lineStarts.count ? file.lineStarts[fm.bodyStartLine - 1] : bytes.count
        }
        start = skipInstructions(bytes, from: start)
        proposal.copyStartLine = file.location(ofByteOffset: start).line
        let scanned = CriticMarkup.read(file, from: start)
        bag.add(contentsOf: scanned.diagnostics)
        var previousWasMark = false
        var cursor = start
        for piece in scanned.pieces {
            switch piece {
            case .text(let t):
                proposal.pieces.append(.text(t, at: cursor))
                cursor += t.count
                previousWasMark = false
            case .mark(let mark):
                if mark.kind == .comment, previousWasMark, let last = proposal.suggestions.last,
                   last.kind != .comment, last.note == nil {
                    proposal.suggestions[last.number - 1].note = String(decoding: mark.comment, as: UTF8.self)
                } else {
                    let n = proposal.suggestions.count + 1
                    proposal.suggestions.append(Suggestion(
                        number: n, kind: mark.kind, old: mark.old, new: mark.new,
                        note: mark.kind == .comment ? String(decoding: mark.comment, as: UTF8.self) : nil,
                        location: mark.location))
                    proposal.pieces.append(.suggestion(n))
                }
                previousWasMark = true
                cursor = mark.range.upperBound
            }
        }
        proposal.diagnostics = bag.all
        return proposal
    }

    /// Skips the instructions comment at the top of the body and the blank line after it.
    static func skipInstructions(_ bytes: [UInt8], from start: Int) -> Int {
        let open = Array("<!--".utf8), close = Array("-->".utf8)
        guard bytes.count >= start + open.count, Array(bytes[start..<(start + open.count)]) == open else { return start }
        var i = start + open.count
        while i + close.count <= bytes.count, Array(bytes[i..<(i + close.count)]) != close { i += 1 }
        guard i + close.count <= bytes.count else { return start }
        i += close.count
        while i < bytes.count, bytes[i] != UInt8(ascii: "\n") { i += 1 }
        if i < bytes.count { i += 1 }
        if i < bytes.count, bytes[i] == UInt8(ascii: "\n") { i += 1 }
        else if i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\r"), bytes[i + 1] == UInt8(ascii: "\n") { i += 2 }
        return i
    }

    /// The instructions written at the top of every new proposal.
    public static let instructions = """
    <!--
    How to suggest changes: edit the text below in any text editor and save it.
    Every change you make is kept: change words, delete or add sentences.
    You may also mark a change so that it stands out, and explain it:
      add text:          {++new words++}
      delete text:       {--words to remove--}
      replace text:      {~~old words~>new words~~}
      comment:           {>>your comment<<}
      highlight + note:  {==these words==}{>>why they matter<<}
    A few things in the text are written in a special way; please leave them:
      a line starting with # is a heading (## is a section within a chapter);
      {#name} at the end of a heading is the name other parts use to refer to it;
      [](#name) stands for a reference to another part of the handbook, which the
      handbook shows as its number and title, such as "8.4 Confidentiality";
      [some words](#name) is a reference shown as those words.
    Please also leave the lines between the dashes at the top as they are.
    -->
    """

    /// The fingerprint a proposal keeps of the text it was copied from: `sha256:` and the
    /// SHA-256 digest in 64 hex digits (stored in proposal files, so its form never changes).
    public static func fingerprint(of bytes: [UInt8]) -> String {
        "sha256:" + Digest.hex(Digest.sha256(bytes))
    }

    /// The text of a new proposal file for `target`.
    public static func render(group: String, round: Int, submitted: ISODate, target: String, title: String?, copy: [UInt8],
                              fingerprint: String? = nil) -> String {
        var text = "---\n"
        text += "group: \(yamlString(group))\n"
        text += "round: \(round)\n"
        text += "submitted: \(submitted)\n"
        text += "target: \(yamlString(target))\n"
        if let title { text += "title: \(yamlString(title))\n" }
        text += "fingerprint: \(fingerprint ?? Proposal.fingerprint(of: copy))\n"
        text += "---\n"
        text += instructions + "\n\n"
        return text + String(decoding: copy, as: UTF8.self)
    }

    /// A front matter string, double-quoted when it could be misread.
    static func yamlString(_ s: String) -> String {
        let plain = !s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || " -_.()/".unicodeScalars.contains($0) }
            && s.first != " " && s.last != " " && s.first != "-" && Int(s) == nil && ISODate(s) == nil
            && !["true", "false", "yes", "no", "null"].contains(s.lowercased())
        if plain { return s }
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n", "\r", "\t": out += " "
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}
