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

/// A lookup from ids to indexes keyed by raw bytes, so the ledger's million rows can be
/// matched to workers and items without making a string per field.
struct ByteKeyTable: Sendable {
    private var keys: [[UInt8]] = []
    private var slots: [Int32]
    private let mask: Int

    init(_ ids: [String]) {
        var size = 16
        while size < ids.count * 2 { size *= 2 }
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        for (k, id) in ids.enumerated() {
            let bytes = Array(id.utf8)
            keys.append(bytes)
            var h = bytes.withUnsafeBufferPointer { Self.hash($0, 0, $0.count) } & mask
            while slots[h] >= 0 {
                if keys[Int(slots[h])] == bytes { break }
                h = (h + 1) & mask
            }
            if slots[h] < 0 { slots[h] = Int32(k) }
        }
    }

    @inline(__always)
    static func hash(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var h: UInt64 = 0xcbf29ce484222325
        for i in start..<end { h = (h ^ UInt64(b[i])) &* 0x100000001b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// The index of the id spelt by `b[start..<end]`, or nil.
    func index(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        var h = Self.hash(b, start, end) & mask
        let count = end - start
        while true {
            let s = Int(slots[h])
            if s < 0 { return nil }
            let key = keys[s]
            if key.count == count {
                var same = true
                key.withUnsafeBufferPointer { k in
                    for j in 0..<count where k[j] != b[start + j] { same = false; break }
                }
                if same { return s }
            }
            h = (h + 1) & mask
        }
    }
}

extension CSVScanner {
    /// A `YYYY-MM-DD` field as a day number, without making a string (nil when not valid).
    func day(_ f: ScannedField) -> Int? {
        let s = f.start
        guard !f.quoted, f.end - s == 10, bytes[s + 4] == 45, bytes[s + 7] == 45 else { return nil }
        func number(_ a: Int, _ b: Int) -> Int? {
            var v = 0
            for i in a..<b {
                let c = bytes[i]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard let y = number(s, s + 4), let m = number(s + 5, s + 7), let d = number(s + 8, s + 10) else { return nil }
        return ISODate(year: y, month: m, day: d)?.dayNumber
    }

    /// An `R000042` field as 42, without making a string.
    func rowNumber(_ f: ScannedField) -> Int? {
        let count = f.end - f.start
        guard !f.quoted, count >= 2, count <= 16, bytes[f.start] == 82 else { return nil }
        var v = 0
        for i in (f.start + 1)..<f.end {
            let b = bytes[i]
            guard b >= 48, b <= 57 else { return nil }
            v = v * 10 + Int(b - 48)
        }
        return v > 0 ? v : nil
    }

    /// The event named by a field.
    func event(_ f: ScannedField) -> LedgerEvent? {
        switch f.end - f.start {
        case 8: return equals(f, "attended") ? .attended : nil
        case 6:
            if equals(f, "absent") { return .absent }
            if equals(f, "waived") { return .waived }
            if equals(f, "passed") { return .passed }
            if equals(f, "failed") { return .failed }
            return nil
        case 4: return equals(f, "void") ? .void : nil
        default: return nil
        }
    }
}

/// Builds CSV output as bytes: RFC 4180 quoting, and every cell neutralised against
/// spreadsheet formulas (a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a `'`),
/// the same rule as `CSV.neutralised`, without a string per cell.
struct CSVOutput {
    var bytes: [UInt8] = []
    private var atLineStart = true

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func cell(_ text: String) {
        if !atLineStart { bytes.append(44) }
        atLineStart = false
        var text = text
        text.withUTF8 { u in
            guard let first = u.first else { return }
            let neutralise = first == 61 || first == 43 || first == 45 || first == 64 || first == 9 || first == 13
            var quote = false
            for b in u where b == 44 || b == 34 || b == 10 || b == 13 { quote = true; break }
            if quote { bytes.append(34) }
            if neutralise { bytes.append(39) }
            if quote {
                for b in u {
                    bytes.append(b)
                    if b == 34 { bytes.append(34) }
                }
                bytes.append(34)
            } else {
                bytes.append(contentsOf: u)
            }
        }
    }

    mutating func line(_ cells: [String]) {
        for c in cells { cell(c) }
        endLine()
    }

    mutating func endLine() {
        bytes.append(10)
        atLineStart = true
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }
}
