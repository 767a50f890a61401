/// Reads typed values out of a `FrontMatter` against a documented set of keys, collecting a
/// diagnostic for every unknown key (with a did-you-mean), missing required key and wrong type.
public struct FrontMatterSchema: Sendable {
    public var known: [String]
    public var required: [String]
    /// Required lists for which an empty list (`principles: []`) is the same error as a
    /// missing key.
    public var nonEmpty: Set<String>
    /// What the file is, for messages: "a module".
    public var kind: String
    /// Key prefixes any key may start with (`site-` in book.md declares a site value).
    public var prefixes: [String] = []

    public init(kind: String, required: [String], optional: [String], prefixes: [String] = [], nonEmpty: Set<String> = []) {
        self.kind = kind
        self.required = required
        self.nonEmpty = nonEmpty
        self.known = required + optional
        self.prefixes = prefixes
    }
}

/// Typed access to one file's front matter; every problem is recorded in `diagnostics`.
public struct FrontMatterReader: Sendable {
    public let frontMatter: FrontMatter
    public let file: SourceFile
    public var diagnostics: [Diagnostic] = []

    public init(_ frontMatter: FrontMatter, file: SourceFile, schema: FrontMatterSchema) {
        self.frontMatter = frontMatter
        self.file = file
        for entry in frontMatter.entries where !schema.known.contains(entry.key) && !schema.prefixes.contains(where: { entry.key.hasPrefix($0) && entry.key.count > $0.count }) {
            var notes: [Diagnostic.Note] = []
            if let guess = DidYouMean.closest(to: entry.key, in: schema.known) {
                notes.append(.init("did you mean '\(guess)'?"))
            }
            notes.append(.init("known keys for \(schema.kind): \(schema.known.joined(separator: ", "))"))
            diagnostics.append(.warning(.unknownKey, "unknown key '\(entry.key)' for \(schema.kind)",
                                        at: entry.keyLocation, notes: notes))
        }
        for key in schema.required {
            let entry = frontMatter[key]
            // An empty value or an empty list (`principles: []`) says no more than a missing key.
            if entry == nil || entry?.value == .string("") || (schema.nonEmpty.contains(key) && entry?.value == .list([])) {
                diagnostics.append(.error(.missingKey, "\(schema.kind) needs the key '\(key)'",
                                          at: entry?.keyLocation ?? file.start))
            }
        }
    }

    /// Where `key` is given, else the start of the file.
    public func location(of key: String) -> SourceLocation {
        frontMatter[key]?.valueLocation ?? file.start
    }

    private mutating func wrongType(_ entry: FrontMatterEntry, expected: String) {
        diagnostics.append(.error(.frontMatterType,
                                  "'\(entry.key)' must be \(expected), found \(entry.value.kindName) '\(entry.value.text)'",
                                  at: entry.valueLocation))
    }

    /// A string value (numbers, dates and booleans are accepted as their text).
    public mutating func string(_ key: String) -> String? {
        guard let entry = frontMatter[key] else { return nil }
        if case .list = entry.value { wrongType(entry, expected: "a single value"); return nil }
        let text = entry.value.text
        return text.isEmpty ? nil : text
    }

    /// Whether a string value is digits too many for a 64-bit integer (`99999999999999999999`).
    private static func isOverlongInteger(_ value: FrontMatterValue) -> Bool {
        guard case .string(let text) = value else { return false }
        let digits = text.hasPrefix("-") ? text.utf8.dropFirst() : text.utf8[...]
        return !digits.isEmpty && digits.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    private mutating func outOfRange(_ entry: FrontMatterEntry, _ bounds: String) {
        diagnostics.append(.error(.frontMatterType, "'\(entry.key)' must be \(bounds), found \(entry.value.text)", at: entry.valueLocation))
    }

    public mutating func integer(_ key: String, range: ClosedRange<Int>? = nil) -> Int? {
        guard let entry = frontMatter[key] else { return nil }
        let bounds = range.map { "between \($0.lowerBound) and \($0.upperBound)" } ?? "a whole number that fits in 64 bits"
        if Self.isOverlongInteger(entry.value) { outOfRange(entry, bounds); return nil }
        guard case .integer(let value) = entry.value else { wrongType(entry, expected: "a whole number"); return nil }
        if let range, !range.contains(value) {
            outOfRange(entry, bounds)
            return nil
        }
        return value
    }

    /// A number (whole or with a decimal point), within `range` when one is given.
    public mutating func number(_ key: String, range: ClosedRange<Double>? = nil) -> Double? {
        guard let entry = frontMatter[key] else { return nil }
        let bounds = range.map { "between \(Self.shortText($0.lowerBound)) and \(Self.shortText($0.upperBound))" } ?? "a finite number"
        let value: Double
        switch entry.value {
        case .integer(let i): value = Double(i)
        case .number(let d): value = d
        default:
            if Self.isOverlongInteger(entry.value) { outOfRange(entry, bounds) } else { wrongType(entry, expected: "a number") }
            return nil
        }
        guard value.isFinite, range?.contains(value) ?? true else { outOfRange(entry, bounds); return nil }
        return value
    }

    private static func shortText(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
    }

    public mutating func boolean(_ key: String) -> Bool? {
        guard let entry = frontMatter[key] else { return nil }
        guard case .boolean(let value) = entry.value else { wrongType(entry, expected: "true or false"); return nil }
        return value
    }

    public mutating func date(_ key: String) -> ISODate? {
        guard let entry = frontMatter[key] else { return nil }
        guard case .date(let value) = entry.value else { wrongType(entry, expected: "a date (YYYY-MM-DD)"); return nil }
        return value
    }

    /// A list of strings with their places; a single scalar counts as a one-item list.
    public mutating func list(_ key: String) -> [(text: String, location: SourceLocation)]? {
        guard let entry = frontMatter[key] else { return nil }
        switch entry.value {
        case .list(let items): return items.map { ($0.value.text, $0.location) }
        case .string(let s) where s.isEmpty: return []
        default: return [(entry.value.text, entry.valueLocation)]
        }
    }
}
