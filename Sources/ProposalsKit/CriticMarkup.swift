import KitbagCore

/// The five CriticMarkup marks.
public enum CriticKind: String, Sendable, CaseIterable {
    case addition, deletion, substitution, comment, highlight

    /// The opening delimiter, such as `{++`.
    public var opening: String {
        switch self {
        case .addition: "{++"
        case .deletion: "{--"
        case .substitution: "{~~"
        case .comment: "{>>"
        case .highlight: "{=="
        }
    }

    /// The closing delimiter, such as `++}`.
    public var closing: String {
        switch self {
        case .addition: "++}"
        case .deletion: "--}"
        case .substitution: "~~}"
        case .comment: "<<}"
        case .highlight: "==}"
        }
    }

    /// Whether accepting the mark changes the target's text.
    public var changesText: Bool { self == .addition || self == .deletion || self == .substitution }
}

/// One mark as written in a file.
public struct CriticMark: Sendable, Equatable {
    public var kind: CriticKind
    /// Byte range of the whole mark, delimiters included, in the scanned text.
    public var range: Range<Int>
    /// The text the mark keeps when rejected: deleted, replaced or highlighted text.
    public var old: [UInt8]
    /// The text the mark puts in when accepted: added or replacing text.
    public var new: [UInt8]
    /// The comment's text (comments only).
    public var comment: [UInt8]
    /// Where the mark starts.
    public var location: SourceLocation
}

/// A text with its CriticMarkup marks, as plain runs and marks in file order.
public struct CriticText: Sendable {
    public enum Piece: Sendable, Equatable {
        case text([UInt8])
        case mark(CriticMark)
    }
    public var pieces: [Piece] = []
    public var diagnostics: [Diagnostic] = []

    /// The marks in file order.
    public var marks: [CriticMark] {
        pieces.compactMap { if case .mark(let m) = $0 { m } else { nil } }
    }
}

/// Reads CriticMarkup with source locations. Never fails: every byte string is read, and
/// every malformed mark (unclosed, nested, empty) is an error at its place.
public enum CriticMarkup {
    /// Scans `file.text` from byte offset `start` to the end.
    public static func read(_ file: SourceFile, from start: Int = 0) -> CriticText {
        let bytes = Array(file.text.utf8)
        var result = CriticText()
        let n = bytes.count
        var i = min(max(start, 0), n)
        var textStart = i
        func location(_ offset: Int) -> SourceLocation { file.location(ofByteOffset: offset) }
        func error(_ code: Diagnostic.Code, _ message: String, at offset: Int, notes: [Diagnostic.Note] = []) {
            result.diagnostics.append(.error(code, message, at: location(offset), notes: notes))
        }
        while i < n {
            guard bytes[i] == UInt8(ascii: "{"), let kind = opener(bytes, at: i) else { i += 1; continue }
            let close = Array(kind.closing.utf8)
            var j = i + 3
            var found: Int?
            var nested: (Int, CriticKind)?
            while j + 2 < n {
                if bytes[j] == close[0], bytes[j + 1] == close[1], bytes[j + 2] == close[2] { found = j; break }
                if bytes[j] == UInt8(ascii: "{"), let inner = opener(bytes, at: j) { nested = (j, inner); break }
                j += 1
            }
            if let (at, inner) = nested {
                error(.criticNested, "a '\(kind.opening)' mark cannot contain another mark ('\(inner.opening)'); close the first with '\(kind.closing)' before starting the next",
                      at: at, notes: [.init("the '\(kind.opening)' mark starts here", at: location(i))])
                i += 1
                continue
            }
            guard let end = found else {
                error(.criticUnclosed, "the '\(kind.opening)' mark is not closed; end it with '\(kind.closing)'", at: i)
                i += 1
                continue
            }
            let content = Array(bytes[(i + 3)..<end])
            var mark = CriticMark(kind: kind, range: i..<(end + 3), old: [], new: [], comment: [], location: location(i))
            var valid = true
            switch kind {
            case .addition:
                mark.new = content
            case .deletion, .highlight:
                mark.old = content
            case .comment:
                mark.comment = content
            case .substitution:
                if let arrow = find([UInt8(ascii: "~"), UInt8(ascii: ">")], in: content) {
                    mark.old = Array(content[..<arrow])
                    mark.new = Array(content[(arrow + 2)...])
                    if mark.old.isEmpty && mark.new.isEmpty {
                        error(.criticEmpty, "the substitution is empty; write '{~~old~>new~~}'", at: i)
                        valid = false
                    } else if mark.old.isEmpty {
                        error(.criticEmpty, "the substitution replaces nothing; use '{++\(String(decoding: mark.new, as: UTF8.self))++}' to add text", at: i)
                        valid = false
                    } else if mark.old == mark.new {
                        error(.criticEmpty, "the substitution changes nothing: '\(String(decoding: mark.old, as: UTF8.self))' replaces itself", at: i)
                        valid = false
                    }
                } else {
                    error(.criticSubstitution, "a substitution needs '~>' between the old and the new text: '{~~old~>new~~}'", at: i)
                    valid = false
                }
            }
            if valid, kind != .substitution {
                let blank = content.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
                if content.isEmpty || (blank && (kind == .comment || kind == .highlight)) {
                    error(.criticEmpty, "the '\(kind.opening)\(kind.closing)' mark is empty", at: i)
                    valid = false
                }
            }
            if valid {
                if textStart < i { result.pieces.append(.text(Array(bytes[textStart..<i]))) }
                result.pieces.append(.mark(mark))
                textStart = end + 3
            }
            i = end + 3
        }
        if textStart < n { result.pieces.append(.text(Array(bytes[textStart..<n]))) }
        return result
    }

    /// The kind whose opening delimiter starts at `i`, if any.
    static func opener(_ bytes: [UInt8], at i: Int) -> CriticKind? {
        guard i + 2 < bytes.count, bytes[i] == UInt8(ascii: "{") else { return nil }
        let a = bytes[i + 1], b = bytes[i + 2]
        guard a == b || (a == UInt8(ascii: ">") && b == UInt8(ascii: ">")) else { return nil }
        switch a {
        case UInt8(ascii: "+"): return .addition
        case UInt8(ascii: "-"): return .deletion
        case UInt8(ascii: "~"): return .substitution
        case UInt8(ascii: ">"): return .comment
        case UInt8(ascii: "="): return .highlight
        default: return nil
        }
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count, !needle.isEmpty else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }
}
