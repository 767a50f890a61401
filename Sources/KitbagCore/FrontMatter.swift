#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A front matter value, from kitbag's documented YAML subset.
public enum FrontMatterValue: Hashable, Sendable {
    case string(String)
    case integer(Int)
    case number(Double)
    case boolean(Bool)
    case date(ISODate)
    case list([FrontMatterItem])

    /// The value as text, as an author wrote it (lists joined with ", ").
    public var text: String {
        switch self {
        case .string(let s): s
        case .integer(let i): String(i)
        case .number(let d): String(d)
        case .boolean(let b): b ? "true" : "false"
        case .date(let d): d.description
        case .list(let items): items.map(\.value.text).joined(separator: ", ")
        }
    }

    /// The kind of value, for messages ("expected a list, found a string").
    public var kindName: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .number: "a number"
        case .boolean: "a boolean"
        case .date: "a date"
        case .list: "a list"
        }
    }
}

/// One scalar in a list, with its place.
public struct FrontMatterItem: Hashable, Sendable {
    public var value: FrontMatterValue
    public var location: SourceLocation
}

/// One `key: value` line.
public struct FrontMatterEntry: Hashable, Sendable {
    public var key: String
    public var value: FrontMatterValue
    public var keyLocation: SourceLocation
    public var valueLocation: SourceLocation
}

/// The front matter of a Markdown file, and the body that follows it.
public struct FrontMatter: Sendable {
    /// Entries in file order.
    public var entries: [FrontMatterEntry] = []
    /// Whether the file had a front matter block at all.
    public var isPresent = false
    /// The body, with the front matter lines blanked so that line numbers stay true.
    public var body: String = ""
    /// 1-based line where the body starts.
    public var bodyStartLine = 1

    public init() {}

    public subscript(key: String) -> FrontMatterEntry? { entries.first { $0.key == key } }

    /// Splits `file` into front matter and body, reporting everything outside the subset.
    public static func parse(_ file: SourceFile, into diagnostics: inout DiagnosticBag) -> FrontMatter {
        var parser = FrontMatterParser(file: file)
        let result = parser.run()
        diagnostics.add(contentsOf: parser.diagnostics)
        return result
    }
}

/// The parser for kitbag's YAML subset. Anything outside the subset is an error at its place.
struct FrontMatterParser {
    let file: SourceFile
    var diagnostics: [Diagnostic] = []

    init(file: SourceFile) { self.file = file }

    mutating func error(_ message: String, line: Int, column: Int) {
        diagnostics.append(.error(.frontMatterSyntax, message, at: file.at(line: line, column: column)))
    }

    mutating func run() -> FrontMatter {
        var result = FrontMatter()
        guard file.lineCount > 0, isFence(file.line(1), "---") else {
            result.body = file.text
            return result
        }
        result.isPresent = true
        var closing: Int?
        for n in 2...max(2, file.lineCount) where n <= file.lineCount {
            let l = file.line(n)
            if isFence(l, "---") || isFence(l, "...") { closing = n; break }
        }
        guard let end = closing else {
            error("front matter starts here but has no closing '---' line", line: 1, column: 1)
            result.body = file.text
            return result
        }
        parseEntries(from: 2, to: end - 1, into: &result)
        // Blank the front matter lines so that cmark's line numbers match the file.
        let bodyStart = end < file.lineStarts.count ? file.lineStarts[end] : file.text.utf8.count
        let utf8 = file.text.utf8
        let rest = file.text[utf8.index(utf8.startIndex, offsetBy: bodyStart)...]
        // A closing line that ends the file has no line break to blank.
        result.body = String(repeating: "\n", count: end < file.lineCount ? end : end - 1) + rest
        result.bodyStartLine = end + 1
        return result
    }

    func isFence(_ line: Substring, _ fence: String) -> Bool {
        line.trimmingTrailingSpaces() == fence
    }

    mutating func parseEntries(from first: Int, to last: Int, into result: inout FrontMatter) {
        guard first <= last else { return }
        var n = first
        var seen: [String: SourceLocation] = [:]
        while n <= last {
            let raw = String(file.line(n))
            let content = raw.trimmingTrailingSpaces()
            if let tab = raw.firstIndex(of: "\t"), raw[..<tab].allSatisfy({ $0 == " " }) {
                error("tabs are not allowed for indentation; use spaces", line: n, column: raw.distance(from: raw.startIndex, to: tab) + 1)
                n += 1
                continue
            }
            let indent = content.prefix { $0 == " " }.count
            let stripped = content.dropFirst(indent)
            if stripped.isEmpty || stripped.hasPrefix("#") { n += 1; continue }
            if indent > 0 {
                error("unexpected indentation; only '- item' lines may be indented, under a key with no value", line: n, column: 1)
                n += 1
                continue
            }
            guard let colon = keyColon(in: stripped) else {
                if let tab = stripped.firstIndex(of: "\t") {
                    error("tabs are not allowed in front matter; use a space after the colon", line: n, column: stripped.distance(from: stripped.startIndex, to: tab) + 1)
                } else if stripped.hasPrefix("- ") || stripped == "-" {
                    error("a list item must be indented under a key (for example 'authors:')", line: n, column: 1)
                } else {
                    error("expected 'key: value'", line: n, column: 1)
                }
                n += 1
                continue
            }
            let key = String(stripped[..<colon])
            let keyLocation = file.at(line: n, column: 1)
            guard key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }), !key.isEmpty else {
                error("a key may contain only letters, digits, '-' and '_': '\(key)'", line: n, column: 1)
                n += 1
                continue
            }
            let afterColon = stripped[stripped.index(after: colon)...]
            let valueOffset = afterColon.prefix { $0 == " " }.count
            let valueText = afterColon.dropFirst(valueOffset)
            let valueColumn = key.count + 2 + valueOffset
            var value: FrontMatterValue?
            var consumedUntil = n
            if valueText.isEmpty || valueText.hasPrefix("#") {
                // A block list may follow, or nothing (an empty value).
                var items: [FrontMatterItem] = []
                var m = n + 1
                while m <= last {
                    let itemRaw = String(file.line(m))
                    let itemLine = itemRaw.trimmingTrailingSpaces()
                    let itemIndent = itemLine.prefix { $0 == " " }.count
                    let itemBody = itemLine.dropFirst(itemIndent)
                    if itemBody.isEmpty || itemBody.hasPrefix("#") { m += 1; continue }
                    if itemRaw.prefix(while: { $0 == " " || $0 == "\t" }).contains("\t") {
                        error("tabs are not allowed for indentation; use spaces", line: m, column: itemRaw.prefix(while: { $0 == " " }).count + 1)
                        m += 1
                        continue
                    }
                    if itemIndent == 0 && !itemBody.hasPrefix("-") { break }
                    if itemBody == "-" || itemBody.hasPrefix("- ") {
                        let scalarText = itemBody.dropFirst(1).drop { $0 == " " }
                        let column = itemIndent + (itemBody.count - scalarText.count) + 1
                        if scalarText.hasPrefix("- ") || keyColon(in: scalarText) != nil && !isQuoted(scalarText) {
                            error("nested lists and maps are not supported in front matter", line: m, column: column)
                        } else if let scalar = parseScalar(scalarText, line: m, column: column) {
                            items.append(FrontMatterItem(value: scalar, location: file.at(line: m, column: column)))
                        }
                    } else if keyColon(in: itemBody) != nil {
                        error("nested maps are not supported in front matter", line: m, column: itemIndent + 1)
                    } else {
                        error("unexpected indentation; expected '- item'", line: m, column: itemIndent + 1)
                    }
                    consumedUntil = m
                    m += 1
                }
                value = items.isEmpty ? .string("") : .list(items)
                n = consumedUntil
            } else {
                value = parseValue(valueText, line: n, column: valueColumn)
                if value == nil, valueText.first == "|" || valueText.first == ">" {
                    // The block scalar's lines were reported with it: skip them rather than
                    // report each as unexpected indentation.
                    while n < last {
                        let next = file.line(n + 1)
                        guard next.trimmingTrailingSpaces().isEmpty || next.first == " " || next.first == "\t" else { break }
                        n += 1
                    }
                }
            }
            if let value {
                if let first = seen[key] {
                    diagnostics.append(.error(.duplicateKey, "duplicate key '\(key)'", at: keyLocation,
                                              notes: [.init("first given here", at: first)]))
                } else {
                    seen[key] = keyLocation
                    result.entries.append(FrontMatterEntry(key: key, value: value, keyLocation: keyLocation,
                                                           valueLocation: file.at(line: n == consumedUntil && valueText.isEmpty ? n : n, column: valueColumn)))
                }
            }
            n += 1
        }
    }

    /// The colon that ends a key: the first ':' followed by a space or the line end, outside quotes.
    func keyColon(in text: Substring) -> String.Index? {
        guard let first = text.first, first != "\"", first != "'" else { return nil }
        var i = text.startIndex
        while i < text.endIndex {
            if text[i] == ":" {
                let next = text.index(after: i)
                if next == text.endIndex || text[next] == " " { return i }
            }
            if text[i] == " " { return nil }  // keys have no spaces
            i = text.index(after: i)
        }
        return nil
    }

    func isQuoted(_ text: Substring) -> Bool { text.first == "\"" || text.first == "'" }

    mutating func parseValue(_ text: Substring, line: Int, column: Int) -> FrontMatterValue? {
        switch text.first {
        case "[": return parseInlineList(text, line: line, column: column)
        case "{":
            error("inline maps ('{...}') are not supported in front matter", line: line, column: column)
            return nil
        default: return parseScalar(text, line: line, column: column)
        }
    }

    mutating func parseInlineList(_ text: Substring, line: Int, column: Int) -> FrontMatterValue? {
        var body = text.dropFirst()
        // Strip a trailing comment after the closing bracket.
        guard let close = lastUnquoted("]", in: body) else {
            error("inline list has no closing ']'", line: line, column: column)
            return nil
        }
        let after = body[body.index(after: close)...].drop { $0 == " " }
        if !after.isEmpty && !after.hasPrefix("#") {
            error("unexpected text after ']'", line: line, column: column + text.distance(from: text.startIndex, to: close) + 2)
            return nil
        }
        body = body[..<close]
        var items: [FrontMatterItem] = []
        var start = body.startIndex
        func flush(_ end: String.Index, parser: inout FrontMatterParser) -> Bool {
            let raw = body[start..<end]
            let lead = raw.prefix { $0 == " " }.count
            let piece = raw.dropFirst(lead).trimmingTrailingSpaces()
            let col = column + 1 + body.distance(from: body.startIndex, to: start) + lead
            if piece.isEmpty {
                if !(items.isEmpty && end == body.endIndex) {
                    parser.error("empty item in inline list", line: line, column: col)
                }
                return true
            }
            if piece.first == "[" || piece.first == "{" {
                parser.error("nested lists and maps are not supported in front matter", line: line, column: col)
                return false
            }
            if let v = parser.parseScalar(Substring(piece), line: line, column: col) {
                items.append(FrontMatterItem(value: v, location: parser.file.at(line: line, column: col)))
            }
            return true
        }
        var failed = false
        let unterminated = Self.forEachUnquoted(in: body) { i, c in
            guard c == "," else { return true }
            guard flush(i, parser: &self) else { failed = true; return false }
            start = body.index(after: i)
            return true
        }
        if failed { return nil }
        if unterminated {
            error("unterminated quoted string in inline list", line: line, column: column)
            return nil
        }
        guard flush(body.endIndex, parser: &self) else { return nil }
        return .list(items)
    }

    func lastUnquoted(_ target: Character, in text: Substring) -> String.Index? {
        var found: String.Index?
        _ = Self.forEachUnquoted(in: text) { i, c in
            if c == target { found = i } else if c == "#" && found != nil { return false }
            return true
        }
        return found
    }

    /// Walks `text`, giving `visit` each character outside '...' and "..." quotes (the quotes
    /// left out); `visit` returns false to stop. Returns whether the text ends inside a quote.
    static func forEachUnquoted(in text: Substring, _ visit: (String.Index, Character) -> Bool) -> Bool {
        var quote: Character?
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if !visit(i, c) {
                return false
            }
            i = text.index(after: i)
        }
        return quote != nil
    }

    mutating func parseScalar(_ text: Substring, line: Int, column: Int) -> FrontMatterValue? {
        guard let first = text.first else { return .string("") }
        switch first {
        case "\"", "'": return parseQuoted(text, line: line, column: column)
        case "|", ">":
            error("block scalars ('\(first)') are not supported in front matter; write the value on one line", line: line, column: column)
            return nil
        case "&", "*":
            error("anchors and aliases ('\(first)') are not supported in front matter", line: line, column: column)
            return nil
        case "!":
            error("tags ('!') are not supported in front matter", line: line, column: column)
            return nil
        case "{":
            error("inline maps ('{...}') are not supported in front matter", line: line, column: column)
            return nil
        case "[":
            error("nested lists are not supported in front matter", line: line, column: column)
            return nil
        case "@", "`", "%":
            error("a plain value cannot start with '\(first)'; quote it", line: line, column: column)
            return nil
        default: break
        }
        // Plain scalar: ends at " #" (a comment).
        var plain = text
        if let hash = text.firstASCIIPair(" ", "#") { plain = text[..<hash] }
        let value = plain.trimmingTrailingSpaces()
        if let colon = value.firstASCIIPair(":", " ").map({ $0..<$0 }) {
            error("a plain value cannot contain ': ' (YAML would read a nested map); quote the value",
                  line: line, column: column + value.distance(from: value.startIndex, to: colon.lowerBound))
            return nil
        }
        if value.hasSuffix(":") {
            error("a plain value cannot end with ':'; quote the value", line: line, column: column + value.count - 1)
            return nil
        }
        return typed(value)
    }

    func typed(_ value: String) -> FrontMatterValue {
        switch value {
        case "true", "True", "TRUE": return .boolean(true)
        case "false", "False", "FALSE": return .boolean(false)
        default: break
        }
        if let date = ISODate(value) { return .date(date) }
        let digits = value.hasPrefix("-") ? value.dropFirst() : Substring(value)
        if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let i = Int(value) { return .integer(i) }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
           parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }), let d = Double(value) {
            return .number(d)
        }
        return .string(value)
    }

    /// A "double-quoted" string (with the escapes in `escapes`) or a 'single-quoted' one
    /// (where '' is a quote), starting at the quote that opens it.
    mutating func parseQuoted(_ text: Substring, line: Int, column: Int) -> FrontMatterValue? {
        let quote = text.first, double = quote == "\""
        var out = ""
        var i = text.index(after: text.startIndex)
        while i < text.endIndex {
            let c = text[i]
            let next = text.index(after: i)
            if c == quote {
                if !double && next < text.endIndex && text[next] == "'" {
                    out.append("'")
                    i = text.index(after: next)
                    continue
                }
                return finishQuoted(out, rest: text[next...], line: line,
                                    column: column + text.distance(from: text.startIndex, to: i) + 1)
            }
            if double && c == "\\" {
                guard next < text.endIndex else { break }
                guard let escaped = Self.escapes[text[next]] else {
                    error("unsupported escape '\\\(text[next])' in a double-quoted string", line: line,
                          column: column + text.distance(from: text.startIndex, to: i))
                    return nil
                }
                out.append(escaped)
                i = text.index(after: next)
                continue
            }
            out.append(c)
            i = next
        }
        error("unterminated \(double ? "double" : "single")-quoted string", line: line, column: column)
        return nil
    }

    /// The escapes a double-quoted string may use: `\"`, `\\`, `\n`, `\t`, `\/`.
    static let escapes: [Character: Character] = ["\"": "\"", "\\": "\\", "n": "\n", "t": "\t", "/": "/"]

    mutating func finishQuoted(_ value: String, rest: Substring, line: Int, column: Int) -> FrontMatterValue? {
        let trailing = rest.drop { $0 == " " }
        if trailing.isEmpty || (trailing.hasPrefix("#") && rest.first == " ") { return .string(value) }
        error("unexpected text after the closing quote", line: line, column: column + (rest.count - trailing.count))
        return nil
    }
}

extension StringProtocol {
    /// The text without trailing spaces, tabs and carriage returns.
    public func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
        return String(s)
    }

    /// The text without leading and trailing white space.
    public func trimmed() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}

extension StringProtocol {
    /// Where the two ASCII characters `a` then `b` first stand side by side (a fast byte scan;
    /// the generic `firstRange(of:)` compares whole characters and is far slower).
    func firstASCIIPair(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Index? {
        let first = UInt8(a.value), second = UInt8(b.value)
        let bytes = utf8
        var i = bytes.startIndex
        while i != bytes.endIndex {
            if bytes[i] == first {
                let next = bytes.index(after: i)
                if next != bytes.endIndex, bytes[next] == second { return i }
            }
            i = bytes.index(after: i)
        }
        return nil
    }
}
