/// kitbag's one CSV reader and one CSV writer (RFC 4180: quoted fields, commas, quotes and
/// line breaks inside quotes, CRLF or LF, and a byte order mark from spreadsheet exports).
///
/// `CSVScanner` reads records as byte ranges of the input, so the ledger's million rows are
/// read without a string per field; `CSV.parse` is the same scanner for callers that want
/// strings. `CSVWriter` writes bytes; `CSV.line` is the same writer for one line of text.
/// Columns in messages count Unicode scalars, 1-based.
public enum CSV {
    /// One record, with the 1-based line it starts on.
    public struct Record: Sendable, Equatable {
        public var fields: [String]
        public var line: Int
        /// Whether the record ended at the end of the input without a line break (a torn append).
        public var unterminated: Bool
    }

    /// A CSV syntax error.
    public struct SyntaxError: Error, Sendable, Equatable {
        public var message: String
        public var line: Int
        public var column: Int
    }

    /// Parses all records. Blank lines are skipped. Stops at the first syntax error.
    public static func parse(_ bytes: some Collection<UInt8>) -> Result<[Record], SyntaxError> {
        var records: [Record] = []
        var error: SyntaxError?
        parse(bytes) { record in
            records.append(record)
            return true
        } onError: { error = $0 }
        if let error { return .failure(error) }
        return .success(records)
    }

    /// Streams records to `body` (return false to stop); calls `onError` on a syntax error and stops.
    public static func parse(_ input: some Collection<UInt8>, _ body: (Record) -> Bool, onError: (SyntaxError) -> Void) {
        let bytes = Array(input)
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = CSVScanner(buffer)
            while true {
                let outcome = scanner.next()
                var unterminated = false
                switch outcome {
                case .end: return
                case .error(let message, let line, let column):
                    onError(SyntaxError(message: message, line: line, column: column))
                    return
                case .torn:
                    if let open = scanner.unclosedQuote {
                        onError(SyntaxError(message: CSVScanner.unclosedMessage, line: open.line, column: open.column))
                        return
                    }
                    unterminated = true
                case .record: break
                }
                let record = Record(fields: scanner.fields.map { scanner.string($0) }, line: scanner.recordLine, unterminated: unterminated)
                if !body(record) || unterminated { return }
            }
        }
    }

    /// One field, quoted when needed.
    public static func escape(_ field: String) -> String {
        var writer = CSVWriter()
        writer.cell(field, neutralise: false)
        return writer.text
    }

    /// A cell made safe for spreadsheets: text that starts with `=`, `+`, `-`, `@`, a tab or a
    /// carriage return is prefixed with `'` so that it is not run as a formula.
    public static func neutralised(_ field: String) -> String {
        guard let first = field.utf8.first, CSVWriter.startsFormula(first) else { return field }
        return "'" + field
    }

    /// A whole line, LF-terminated.
    public static func line(_ fields: [String], neutralise: Bool = false) -> String {
        var writer = CSVWriter(neutralise: neutralise)
        writer.line(fields)
        return writer.text
    }
}

// MARK: - Tables with named columns

/// A CSV file whose first record names its columns (`group,kind,site`), for files people
/// keep by hand: columns may come in any order, an unknown column is a warning with a
/// did-you-mean, a missing required column an error. Fields are found by column name.
public struct CSVTable: Sendable {
    /// How the file is shown in messages.
    public var display: String
    /// The header record.
    public var header: CSV.Record
    /// The records after the header.
    public var rows: ArraySlice<CSV.Record>
    /// Where each known column is.
    public var index: [String: Int]

    /// Reads `bytes` with the known `columns`; `what` names the file in messages ("the
    /// decision log"). Header names are trimmed, and lower-cased when `ignoringCase`. A syntax
    /// error or a missing `required` column (all columns unless given) is reported and gives
    /// nil, as does an empty file (which reports nothing).
    public init?(_ bytes: [UInt8], display: String, what: String, columns: [String], required: [String]? = nil,
                 ignoringCase: Bool = false, into bag: inout DiagnosticBag) {
        let records: [CSV.Record]
        switch CSV.parse(bytes) {
        case .success(let r): records = r
        case .failure(let e):
            bag.error(.csvSyntax, e.message, at: SourceLocation(file: display, line: e.line, column: e.column))
            return nil
        }
        guard let head = records.first else { return nil }
        self.display = display
        header = head
        rows = records.dropFirst()
        index = [:]
        for (i, name) in head.fields.enumerated() {
            let trimmed = name.trimmed(), key = ignoringCase ? trimmed.lowercased() : trimmed
            if columns.contains(key) {
                index[key] = i
            } else {
                var notes: [Diagnostic.Note] = []
                if let guess = DidYouMean.closest(to: key, in: columns) { notes.append(.init("did you mean '\(guess)'?")) }
                bag.warning(.unknownColumn, "unknown column '\(trimmed)' in \(what)", at: location(head), notes: notes)
            }
        }
        let missing = (required ?? columns).filter { index[$0] == nil }
        if !missing.isEmpty {
            bag.error(.missingColumn, "\(what) needs the column(s) \(missing.map { "'\($0)'" }.joined(separator: ", "))",
                      at: location(head), notes: [.init("expected header: \(columns.joined(separator: ","))")])
            return nil
        }
    }

    /// The text of column `name` in `record`, as written ("" when the row is short).
    public func field(_ name: String, of record: CSV.Record) -> String {
        guard let i = index[name], i < record.fields.count else { return "" }
        return record.fields[i]
    }

    /// Where `record` is, at the start of column `name` when one is given (columns count
    /// Unicode scalars, as in every CSV message).
    public func location(_ record: CSV.Record, _ name: String? = nil) -> SourceLocation {
        var column = 1
        if let name, let i = index[name] {
            for f in record.fields.prefix(i) { column += f.unicodeScalars.count + 1 }
        }
        return SourceLocation(file: display, line: record.line, column: column)
    }
}

// MARK: - Reading

/// One field found by `CSVScanner`: a byte range of the input, and where it starts.
public struct CSVField: Sendable {
    /// Byte range of the field's content (inside the quotes when quoted).
    public var start: Int
    public var end: Int
    /// Whether the field was quoted (its content may hold doubled quotes).
    public var quoted: Bool
    /// 1-based line and the byte offset where that line starts (for columns in diagnostics).
    public var line: Int
    public var lineStart: Int

    /// Whether the field holds nothing.
    public var isEmpty: Bool { end == start }
}

/// Reads CSV records as byte ranges: no strings are made until a field is asked for.
/// After a syntax error it carries on at the next line, so later rows can still be checked.
public struct CSVScanner {
    /// The outcome of scanning one record.
    public enum Outcome: Equatable {
        /// A complete record (ended by a line break).
        case record
        /// The last record of the input ends without a line break, or inside an open quote
        /// (`unclosedQuote` says where): an interrupted append, or a broken file.
        case torn
        /// A syntax error at a place (line, column in Unicode scalars).
        case error(message: String, line: Int, column: Int)
        /// No more input.
        case end
    }

    static let unclosedMessage = "a quoted field is not closed"

    public let bytes: UnsafeBufferPointer<UInt8>
    /// Where the next record starts.
    public private(set) var position: Int
    public private(set) var line = 1
    var lineStart: Int
    /// Fields of the last record scanned.
    public private(set) var fields: [CSVField] = []
    /// Line and byte offset where the last record starts.
    public private(set) var recordLine = 1
    public private(set) var recordStart = 0
    /// Where the quote that was never closed opens, when the last `.torn` came from one.
    public private(set) var unclosedQuote: (line: Int, column: Int)?
    /// How many records have been scanned so far, those with a syntax error included.
    public private(set) var recordsScanned = 0

    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        let bom = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        position = bom ? 3 : 0
        lineStart = position
        fields.reserveCapacity(8)
    }

    /// Whether the input uses CRLF line ends (judged by its first line).
    public static func usesCRLF(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let lf = bytes.firstIndex(of: 10) else { return false }
        return lf > 0 && bytes[lf - 1] == 13
    }

    /// Scans the next record into `fields`. Blank lines are skipped.
    public mutating func next() -> Outcome {
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
        recordsScanned += 1
        recordLine = line
        recordStart = i
        while true {
            if i < n && bytes[i] == quote {
                let fieldLine = line, fieldLineStart = lineStart
                let openColumn = Self.column(bytes, lineStart: lineStart, offset: i)
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
                guard closed else {
                    position = n
                    unclosedQuote = (fieldLine, openColumn)
                    return .torn
                }
                fields.append(CSVField(start: start, end: i, quoted: true, line: fieldLine, lineStart: fieldLineStart))
                i += 1
                if i < n, bytes[i] != comma, bytes[i] != lf, !(bytes[i] == cr && i + 1 < n && bytes[i + 1] == lf) {
                    let column = Self.column(bytes, lineStart: lineStart, offset: i)
                    let errorLine = line
                    skipToLineEnd(from: i)
                    return .error(message: "unexpected text after a closing quote", line: errorLine, column: column)
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
                fields.append(CSVField(start: start, end: i, quoted: false, line: line, lineStart: lineStart))
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

    /// After a syntax error: carry on at the next line.
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
    public static func column(_ bytes: UnsafeBufferPointer<UInt8>, lineStart: Int, offset: Int) -> Int {
        var scalars = 0
        var i = lineStart
        while i < offset && i < bytes.count {
            if bytes[i] & 0xC0 != 0x80 { scalars += 1 }
            i += 1
        }
        return scalars + 1
    }

    /// The field's column (of its opening quote when quoted).
    public func column(of field: CSVField) -> Int {
        Self.column(bytes, lineStart: field.lineStart, offset: field.quoted ? field.start - 1 : field.start)
    }

    /// The field's text, with doubled quotes undone.
    public func string(_ field: CSVField) -> String {
        Self.string(bytes, field)
    }

    /// The text of `field` in `bytes`, with doubled quotes undone.
    public static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ field: CSVField) -> String {
        string(bytes, field.start..<field.end, quoted: field.quoted)
    }

    /// The text of a field's bytes kept as a range (with `quoted` as the field was), with
    /// doubled quotes undone.
    public static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, quoted: Bool) -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        guard quoted, slice.contains(34) else { return String(decoding: slice, as: UTF8.self) }
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
    public func equals(_ field: CSVField, _ text: StaticString) -> Bool {
        let count = field.end - field.start
        guard count == text.utf8CodeUnitCount else { return false }
        let p = text.utf8Start
        for k in 0..<count where bytes[field.start + k] != p[k] { return false }
        return true
    }
}

extension CSVScanner {
    /// Reads `bytes` record by record, the way every ledger and sheet is read: a line with a
    /// syntax error is reported into `bag` (`csv-syntax`, at `display`) and skipped; `body`
    /// gets every other record with its outcome (`.record`, or `.torn` for a last line that
    /// ends without a line break or inside an open quote) and returns false to stop.
    @inlinable
    public static func scan(_ bytes: UnsafeBufferPointer<UInt8>, display: String, into bag: inout DiagnosticBag,
                            _ body: (inout CSVScanner, Outcome, inout DiagnosticBag) -> Bool) {
        var scanner = CSVScanner(bytes)
        while true {
            let outcome = scanner.next()
            switch outcome {
            case .end: return
            case .error(let message, let line, let column):
                bag.error(.csvSyntax, message, at: SourceLocation(file: display, line: line, column: column))
            case .record, .torn:
                guard body(&scanner, outcome, &bag) else { return }
            }
        }
    }
}

// MARK: - Writing

/// Builds CSV as bytes: RFC 4180 quoting, optionally every cell neutralised against
/// spreadsheet formulas, without a string per cell.
public struct CSVWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// Whether cells that start like a formula get a `'` (for files people open in spreadsheets).
    public var neutralise: Bool
    private var cellsOnLine = 0
    private var lastCellEmpty = false

    public init(capacity: Int = 0, neutralise: Bool = false) {
        bytes.reserveCapacity(capacity)
        self.neutralise = neutralise
    }

    /// Whether a cell starting with this byte would be taken for a formula.
    static func startsFormula(_ b: UInt8) -> Bool { b == 61 || b == 43 || b == 45 || b == 64 || b == 9 || b == 13 }

    /// Adds one cell to the current line.
    public mutating func cell(_ text: String) { cell(text, neutralise: neutralise) }

    /// Adds one cell, neutralised or not regardless of the writer's setting.
    public mutating func cell(_ text: String, neutralise: Bool) {
        if cellsOnLine > 0 { bytes.append(44) }
        cellsOnLine += 1
        var text = text
        text.withUTF8 { u in
            lastCellEmpty = u.isEmpty
            guard let first = u.first else { return }
            let prefix = neutralise && Self.startsFormula(first)
            // A leading byte order mark would be taken for the file's own and dropped.
            var quote = u.count >= 3 && first == 0xEF && u[1] == 0xBB && u[2] == 0xBF
            if !quote { for b in u where b == 44 || b == 34 || b == 10 || b == 13 { quote = true; break } }
            if quote { bytes.append(34) }
            if prefix { bytes.append(39) }
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

    /// Adds a whole line.
    public mutating func line(_ cells: [String]) {
        for c in cells { cell(c) }
        endLine()
    }

    /// Ends the current line with LF.
    public mutating func endLine() {
        // A record of one empty field would be a blank line, which readers skip: write `""`.
        if cellsOnLine == 1 && lastCellEmpty { bytes.append(contentsOf: [34, 34]) }
        bytes.append(10)
        cellsOnLine = 0
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }
}
