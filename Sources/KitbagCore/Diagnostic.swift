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

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }

    /// `path:line:col`.
    public var description: String { "\(file):\(line):\(column)" }
}

/// How bad a diagnostic is.
public enum Severity: String, Sendable, Codable, Comparable {
    case warning, error

    public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .error }
}

/// One problem found in the input: the single type every part of kitbag reports with.
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

    public var severity: Severity
    /// Stable, documented code such as `unresolved-reference`.
    public var code: String
    public var message: String
    public var location: SourceLocation
    public var notes: [Note]

    public init(_ severity: Severity, _ code: String, _ message: String, at location: SourceLocation, notes: [Note] = []) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
        self.notes = notes
    }

    public static func error(_ code: String, _ message: String, at location: SourceLocation, notes: [Note] = []) -> Diagnostic {
        Diagnostic(.error, code, message, at: location, notes: notes)
    }

    public static func warning(_ code: String, _ message: String, at location: SourceLocation, notes: [Note] = []) -> Diagnostic {
        Diagnostic(.warning, code, message, at: location, notes: notes)
    }

    /// The compiler-style line: `path:line:col: error: message [code]`, then one line per note.
    public var formatted: String {
        var text = "\(location.description): \(severity.rawValue): \(message) [\(code)]"
        for note in notes {
            if let at = note.location {
                text += "\n\(at.description): note: \(note.message)"
            } else {
                text += "\n    note: \(note.message)"
            }
        }
        return text
    }
}

/// Collects the diagnostics of one run, so that every problem is reported, not just the first.
public struct DiagnosticBag: Sendable {
    public private(set) var all: [Diagnostic] = []

    public init() {}

    public mutating func add(_ diagnostic: Diagnostic) { all.append(diagnostic) }
    public mutating func add(contentsOf others: [Diagnostic]) { all.append(contentsOf: others) }
    public mutating func error(_ code: String, _ message: String, at location: SourceLocation, notes: [Diagnostic.Note] = []) {
        all.append(.error(code, message, at: location, notes: notes))
    }
    public mutating func warning(_ code: String, _ message: String, at location: SourceLocation, notes: [Diagnostic.Note] = []) {
        all.append(.warning(code, message, at: location, notes: notes))
    }

    public var hasErrors: Bool { all.contains { $0.severity == .error } }

    /// Diagnostics in file, line, column order (stable for equal places), without repeats.
    public var sorted: [Diagnostic] {
        var seen = Set<Diagnostic>()
        return all.enumerated()
            .sorted { ($0.element.location, $0.offset) < ($1.element.location, $1.offset) }
            .map(\.element)
            .filter { seen.insert($0).inserted }
    }
}

extension Array where Element == Diagnostic {
    /// Whether any diagnostic is an error.
    public var containsErrors: Bool { contains { $0.severity == .error } }

    /// The diagnostics as a JSON array of `{severity, code, message, file, line, column, notes}`.
    public func jsonText() -> String {
        var out = "[\n"
        for (i, d) in enumerated() {
            out += "  {\"severity\": \(JSON.quote(d.severity.rawValue)), \"code\": \(JSON.quote(d.code)), "
            out += "\"message\": \(JSON.quote(d.message)), \"file\": \(JSON.quote(d.location.file)), "
            out += "\"line\": \(d.location.line), \"column\": \(d.location.column), \"notes\": ["
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
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"  // safe inside a <script> element
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
