import KitbagCore

/// One field of a record found by `CSVScanner`: a byte range of the input, and where it starts.
struct ScannedField: Sendable {
    /// Byte range of the field's content (inside the quotes when quoted).
    var start: Int
    var end: Int
    /// Whether the field was quoted (its content may hold doubled quotes).
    var quoted: Bool
    /// 1-based line and the byte offset where that line starts (for columns in diagnostics).
    var line: Int
    var lineStart: Int
}

/// A CSV record as byte ranges: no strings are made until a field is asked for.
/// The ledger may hold a million rows, so this avoids `CSV.parse`'s per-field strings.
struct CSVScanner {
    /// The outcome of scanning one record.
    enum Outcome {
        /// A complete record (ended by a line break).
        case record
        /// The last record of the input ends without a line break, or inside an open quote:
        /// an interrupted append. `start` is where it begins.
        case torn
        /// A syntax error at a place.
        case error(message: String, line: Int, column: Int)
        /// No more input.
        case end
    }

    let bytes: UnsafeBufferPointer<UInt8>
    var position: Int
    var line = 1
    var lineStart: Int
    /// Fields of the last record scanned.
    var fields: [ScannedField] = []
    /// Line and offset where the last record starts.
    var recordLine = 1
    var recordStart = 0
    /// Whether the last `.torn` came from a quote left open at the end of the input.
    var unclosedQuote = false

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        let bom = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        position = bom ? 3 : 0
        lineStart = position
        fields.reserveCapacity(8)
    }

    /// Whether the input uses CRLF line ends (judged by its first line).
    static func usesCRLF(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let lf = bytes.firstIndex(of: 10) else { return false }
        return lf > 0 && bytes[lf - 1] == 13
    }

    /// Scans the next record into `fields`. Blank lines are skipped.
    mutating func next() -> Outcome {
        let n = bytes.count
        let quote: UInt8 = 34, comma: UInt8 = 44, cr: UInt8 = 13, lf: UInt8 = 10
        var i = position
        while i < n {
            if bytes[i] == lf { line += 1; i += 1; lineStart = i; continue }
            if bytes[i] == cr, i + 1 < n, bytes[i + 1] == lf { line += 1; i += 2; lineStart = i; continue }
            break
        }
        guard i < n else { position = i; return .end }
        fields.removeAll(keepingCapacity: true)
        recordLine = line
        recordStart = i
        while true {
            if i < n && bytes[i] == quote {
                let fieldLine = line, fieldLineStart = lineStart
                i += 1
                let start = i
                var closed = false
                while i < n {
                    let b = bytes[i]
                    if b == quote {
                        if i + 1 < n && bytes[i + 1] == quote { i += 2; continue }
                        closed = true
                        break
                    }
                    if b == lf { line += 1; lineStart = i + 1 }
                    i += 1
                }
                guard closed else { position = n; unclosedQuote = true; return .torn }
                fields.append(ScannedField(start: start, end: i, quoted: true, line: fieldLine, lineStart: fieldLineStart))
                i += 1
                if i < n, bytes[i] != comma, bytes[i] != lf, !(bytes[i] == cr && i + 1 < n && bytes[i + 1] == lf) {
                    let column = Self.column(bytes, lineStart: lineStart, offset: i)
                    skipToLineEnd(from: i)
                    return .error(message: "unexpected text after a closing quote", line: line, column: column)
                }
            } else {
                let start = i
                while i < n {
                    let b = bytes[i]
                    if b == comma || b == lf || (b == cr && i + 1 < n && bytes[i + 1] == lf) { break }
                    if b == quote {
                        let column = Self.column(bytes, lineStart: lineStart, offset: i)
                        let errorLine = line
                        skipToLineEnd(from: i)
                        return .error(message: "a quote inside an unquoted field; quote the whole field and double the quote", line: errorLine, column: column)
                    }
                    i += 1
                }
                fields.append(ScannedField(start: start, end: i, quoted: false, line: line, lineStart: lineStart))
            }
            if i >= n { position = n; return .torn }
            if bytes[i] == comma { i += 1; continue }
            if bytes[i] == cr { i += 1 }
            i += 1
            line += 1
            lineStart = i
            position = i
            return .record
        }
    }

    /// After a syntax error: carry on at the next line, so that later rows are still checked.
    private mutating func skipToLineEnd(from offset: Int) {
        var i = offset
        while i < bytes.count, bytes[i] != 10 { i += 1 }
        if i < bytes.count {
            i += 1
            line += 1
            lineStart = i
        }
        position = i
    }

    /// A 1-based column in Unicode scalars for a byte offset on a line.
    static func column(_ bytes: UnsafeBufferPointer<UInt8>, lineStart: Int, offset: Int) -> Int {
        var scalars = 0
        var i = lineStart
        while i < offset && i < bytes.count {
            if bytes[i] & 0xC0 != 0x80 { scalars += 1 }
            i += 1
        }
        return scalars + 1
    }

    /// The field's column.
    func column(of field: ScannedField) -> Int {
        Self.column(bytes, lineStart: field.lineStart, offset: field.quoted ? field.start - 1 : field.start)
    }

    /// The field's text, with doubled quotes undone.
    func string(_ field: ScannedField) -> String {
        Self.string(bytes, field)
    }

    static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ field: ScannedField) -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[field.start..<field.end])
        guard field.quoted, slice.contains(34) else { return String(decoding: slice, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var i = 0
        while i < slice.count {
            out.append(slice[i])
            if slice[i] == 34, i + 1 < slice.count, slice[i + 1] == 34 { i += 2 } else { i += 1 }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether the field's bytes equal `text` (for ASCII keywords, without making a string).
    func equals(_ field: ScannedField, _ text: StaticString) -> Bool {
        let count = field.end - field.start
        guard count == text.utf8CodeUnitCount else { return false }
        let p = text.utf8Start
        for k in 0..<count where bytes[field.start + k] != p[k] { return false }
        return true
    }
}
