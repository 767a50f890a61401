/// RFC 4180 CSV: quoted fields, commas, quotes and line breaks inside quotes, CRLF or LF,
/// and a byte order mark from spreadsheet exports. Works on bytes for speed.
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
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let n = bytes.count
        var line = 1
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        while i < n {
            // Skip blank lines.
            if bytes[i] == lf { line += 1; i += 1; continue }
            if bytes[i] == cr, i + 1 < n, bytes[i + 1] == lf { line += 1; i += 2; continue }
            let recordLine = line
            var lineStart = i
            var fields: [String] = []
            var terminated = false
            fieldLoop: while true {
                if i < n && bytes[i] == quote {
                    let fieldColumn = i - lineStart + 1
                    i += 1
                    var value: [UInt8] = []
                    var closed = false
                    while i < n {
                        let b = bytes[i]
                        if b == quote {
                            if i + 1 < n && bytes[i + 1] == quote { value.append(quote); i += 2; continue }
                            i += 1
                            closed = true
                            break
                        }
                        if b == lf { line += 1; lineStart = i + 1 }
                        value.append(b)
                        i += 1
                    }
                    if !closed {
                        onError(SyntaxError(message: "a quoted field is not closed", line: recordLine, column: fieldColumn))
                        return
                    }
                    fields.append(String(decoding: value, as: UTF8.self))
                    if i < n, bytes[i] != comma, bytes[i] != lf, !(bytes[i] == cr && i + 1 < n && bytes[i + 1] == lf) {
                        onError(SyntaxError(message: "unexpected text after a closing quote", line: line, column: i - lineStart + 1))
                        return
                    }
                } else {
                    let start = i
                    while i < n {
                        let b = bytes[i]
                        if b == comma || b == lf || (b == cr && i + 1 < n && bytes[i + 1] == lf) { break }
                        if b == quote {
                            onError(SyntaxError(message: "a quote inside an unquoted field; quote the whole field and double the quote", line: line, column: i - lineStart + 1))
                            return
                        }
                        i += 1
                    }
                    fields.append(String(decoding: bytes[start..<i], as: UTF8.self))
                }
                if i >= n { break fieldLoop }
                if bytes[i] == comma { i += 1; continue fieldLoop }
                if bytes[i] == cr { i += 1 }
                i += 1  // the LF
                line += 1
                terminated = true
                break fieldLoop
            }
            if !body(Record(fields: fields, line: recordLine, unterminated: !terminated)) { return }
        }
    }

    /// One field, quoted when needed.
    public static func escape(_ field: String) -> String {
        let needsQuotes = field.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
            // A leading byte order mark would be taken for the file's own and dropped.
            || field.unicodeScalars.first == "\u{FEFF}"
        guard needsQuotes else { return field }
        var out = "\""
        for c in field.unicodeScalars {
            if c == "\"" { out += "\"\"" } else { out.unicodeScalars.append(c) }
        }
        return out + "\""
    }

    /// A cell made safe for spreadsheets: text that starts with `=`, `+`, `-` or `@` is
    /// prefixed with `'` so that it is not run as a formula.
    public static func neutralised(_ field: String) -> String {
        guard let first = field.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return field }
        return "'" + field
    }

    /// A whole line, LF-terminated.
    public static func line(_ fields: [String], neutralise: Bool = false) -> String {
        // A record of one empty field would be a blank line, which readers skip: write `""`.
        if fields.count == 1, fields[0].isEmpty { return "\"\"\n" }
        return fields.map { escape(neutralise ? neutralised($0) : $0) }.joined(separator: ",") + "\n"
    }
}
