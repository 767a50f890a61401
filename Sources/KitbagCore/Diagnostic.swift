#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A place in a source file: 1-based line and column. Columns count Unicode scalars.
public struct SourceLocation: Hashable, Sendable, Codable, Comparable {
    /// Path as it is shown to the user (relative to the working directory where possible).
    public var file: String
    public var line: Int
    public var column: Int
    /// Whether this is a spreadsheet cell: `line` is its row and `column` is shown as a
    /// letter, as spreadsheets show it (`sheet.csv:4:C`).
    public var isCell = false

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// A spreadsheet cell: 1-based row and column.
    public static func cell(file: String, row: Int, column: Int) -> SourceLocation {
        var location = SourceLocation(file: file, line: row, column: column)
        location.isCell = true
        return location
    }

    /// A spreadsheet's name for a 1-based column: 1 is A, 27 is AA.
    public static func columnLetters(_ column: Int) -> String {
        var n = max(column, 1)
        var letters: [Character] = []
        while n > 0 {
            let r = (n - 1) % 26
            letters.insert(Character(Unicode.Scalar(UInt8(65 + r))), at: 0)
            n = (n - 1) / 26
        }
        return String(letters)
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }

    /// `path:line:col`, or `path:row:LETTER` for a spreadsheet cell.
    public var description: String { "\(file):\(line):\(isCell ? SourceLocation.columnLetters(column) : String(column))" }
}

/// How bad a diagnostic is.
public enum Severity: String, Sendable, Codable, Comparable {
    case warning, error

    public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .error }
}

/// One problem found in the input: the single type every part of kitbag reports with.
/// Its code is declared once, in `DiagnosticCatalog.swift`; a problem with the command line
/// itself has no location.
public struct Diagnostic: Hashable, Sendable {
    /// A note attached to a diagnostic, optionally at its own place ("first defined here").
    public struct Note: Hashable, Sendable {
        public var message: String
        public var location: SourceLocation?
        public init(_ message: String, at location: SourceLocation? = nil) {
            self.message = message
            self.location = location
        }
    }

    /// A stable, documented code such as `unresolved-reference`. Every code is a static
    /// member declared in `DiagnosticCatalog.swift`, so code is never spelled twice (a test
    /// fails when a source file spells one; tests may compare codes with string literals).
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { rawValue = value }
        public var description: String { rawValue }
    }

    public var severity: Severity
    public var code: Code
    public var message: String
    /// Where the problem is; `nil` for a problem with the command line, which has no file.
    public var location: SourceLocation?
    public var notes: [Note]

    public init(_ severity: Severity, _ code: Code, _ message: String, at location: SourceLocation?, notes: [Note] = []) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
        self.notes = notes
    }

    public static func error(_ code: Code, _ message: String, at location: SourceLocation?, notes: [Note] = []) -> Diagnostic {
        Diagnostic(.error, code, message, at: location, notes: notes)
    }

    public static func warning(_ code: Code, _ message: String, at location: SourceLocation?, notes: [Note] = []) -> Diagnostic {
        Diagnostic(.warning, code, message, at: location, notes: notes)
    }

    /// The compiler-style line: `path:line:col: error: message [code]` (`kitbag: error: ...`
    /// without a location), then one line per note.
    public var formatted: String {
        var text = "\(location?.description ?? "kitbag"): \(severity.rawValue): \(message) [\(code)]"
        for note in notes {
            if let at = note.location {
                text += "\n\(at.description): note: \(note.message)"
            } else {
                text += "\n    note: \(note.message)"
            }
        }
        return text
    }

    /// Report order: problems with the command line first, then by file, line and column.
    public static func precedes(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        switch (a.location, b.location) {
        case (nil, .some): return true
        case (.some(let x), .some(let y)): return x < y
        default: return false
        }
    }
}

/// Collects the diagnostics of one run, so that every problem is reported, not just the first.
public struct DiagnosticBag: Sendable {
    public private(set) var all: [Diagnostic] = []

    public init() {}

    public mutating func add(_ diagnostic: Diagnostic) { all.append(diagnostic) }
    public mutating func add(contentsOf others: [Diagnostic]) { all.append(contentsOf: others) }
    public mutating func error(_ code: Diagnostic.Code, _ message: String, at location: SourceLocation?, notes: [Diagnostic.Note] = []) {
        all.append(.error(code, message, at: location, notes: notes))
    }
    public mutating func warning(_ code: Diagnostic.Code, _ message: String, at location: SourceLocation?, notes: [Diagnostic.Note] = []) {
        all.append(.warning(code, message, at: location, notes: notes))
    }

    public var hasErrors: Bool { all.contains { $0.severity == .error } }

    /// Diagnostics in report order (stable for equal places), without repeats.
    public var sorted: [Diagnostic] { all.inReportOrder }
}

extension Array where Element == Diagnostic {
    /// Whether any diagnostic is an error.
    public var containsErrors: Bool { contains { $0.severity == .error } }

    /// Whether these diagnostics fail the run: any error, or with `strict` (`--strict`) any
    /// warning too. The one place that decides what `--strict` means.
    public func failRun(strict: Bool) -> Bool { strict ? !isEmpty : containsErrors }

    /// The diagnostics in report order (stable for equal places), without repeats.
    public var inReportOrder: [Diagnostic] {
        var seen = Set<Diagnostic>()
        return enumerated()
            .sorted { Diagnostic.precedes($0.element, $1.element) || (!Diagnostic.precedes($1.element, $0.element) && $0.offset < $1.offset) }
            .map(\.element)
            .filter { seen.insert($0).inserted }
    }

    /// The diagnostics as a JSON array of `{severity, code, message, file, line, column, notes}`
    /// (`file`, `line` and `column` are `null` for a problem with the command line).
    public func jsonText() -> String {
        var out = "[\n"
        for (i, d) in enumerated() {
            out += "  {\"severity\": \(JSON.quote(d.severity.rawValue)), \"code\": \(JSON.quote(d.code.rawValue)), "
            out += "\"message\": \(JSON.quote(d.message)), "
            if let at = d.location {
                out += "\"file\": \(JSON.quote(at.file)), \"line\": \(at.line), \"column\": \(at.column), \"notes\": ["
            } else {
                out += "\"file\": null, \"line\": null, \"column\": null, \"notes\": ["
            }
            out += d.notes.map { note in
                var n = "{\"message\": \(JSON.quote(note.message))"
                if let at = note.location {
                    n += ", \"file\": \(JSON.quote(at.file)), \"line\": \(at.line), \"column\": \(at.column)"
                }
                return n + "}"
            }.joined(separator: ", ")
            out += "]}" + (i == count - 1 ? "\n" : ",\n")
        }
        return out + "]\n"
    }
}

/// Small JSON helpers for hand-written, deterministic JSON output.
public enum JSON {
    /// A JSON string literal for `text`.
    public static func quote(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 2)
        appendQuoted(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the JSON string literal for `text` to `out`: many literals into one buffer
    /// (the search index) without a string or an array for each.
    public static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        // Works on UTF-8 bytes: every escaped character is ASCII except U+2028 and U+2029
        // (E2 80 A8 and E2 80 A9), which are checked for at their lead byte.
        var text = text
        text.withUTF8 { appendQuoted(utf8: $0, to: &out) }
    }

    private static func appendQuoted(utf8 bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(0x22)
        var i = 0
        while i < bytes.count {
            // Copy a run of bytes that need no escape in one go.
            var end = i
            while end < bytes.count {
                let b = bytes[end]
                if b < 0x20 || b == 0x22 || b == 0x5C || b == 0x3C || b == 0x3E || b == 0x26 || b == 0xE2 { break }
                end += 1
            }
            if end > i {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<end]))
                i = end
                if i == bytes.count { break }
            }
            let byte = bytes[i]
            switch byte {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(0x6E)
            case 0x0D: out.append(0x5C); out.append(0x72)
            case 0x09: out.append(0x5C); out.append(0x74)
            case 0x3C: out.append(contentsOf: "\\u003c".utf8)  // safe inside a <script> element
            case 0x3E: out.append(contentsOf: "\\u003e".utf8)
            case 0x26: out.append(contentsOf: "\\u0026".utf8)
            case 0xE2 where i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                out.append(contentsOf: (bytes[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                i += 2
            case 0..<0x20:
                out.append(contentsOf: "\\u00".utf8)
                out.append(hexDigit(byte >> 4))
                out.append(hexDigit(byte & 0xF))
            default: out.append(byte)
            }
            i += 1
        }
        out.append(0x22)
    }

    /// The lowercase hexadecimal digit for `value` (0-15).
    private static func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? 0x30 + value : 0x57 + value }
}
