/// A spreadsheet saved as CSV, read into rows of trimmed cells that know their place as a
/// spreadsheet shows it (row number, column letter). Blank rows are left out; CSV syntax
/// errors are reported at their line and column. Shared by every import (training records,
/// fidelity ratings).
public struct Sheet: Sendable {
    public struct Row: Sendable {
        /// The spreadsheet's row number (1 for the header).
        public var number: Int
        public var cells: [String]
        public var isBlank: Bool { cells.allSatisfy(\.isEmpty) }
    }

    public var display: String
    /// The first non-blank row.
    public var header: Row?
    /// The rows after the header that are not blank.
    public var rows: [Row] = []

    public init(_ bytes: [UInt8], display: String, into bag: inout DiagnosticBag) {
        self.display = display
        var all: [Row] = []
        // Lines taken by line breaks inside quoted cells: a spreadsheet counts one row for them.
        var extraLines = 0
        bytes.withUnsafeBufferPointer { buffer in
            CSVScanner.scan(buffer, display: display, into: &bag) { scanner, outcome, bag in
                if outcome == .torn, let open = scanner.unclosedQuote {
                    bag.error(.csvSyntax, "a quoted field is not closed", at: SourceLocation(file: display, line: open.line, column: open.column))
                    return false
                }
                // A sheet's last line may lack a line break; that is fine here.
                all.append(Row(number: scanner.recordLine - extraLines, cells: scanner.fields.map { scanner.string($0).trimmed() }))
                extraLines += max(0, scanner.line - scanner.recordLine - (outcome == .record ? 1 : 0))
                return true
            }
        }
        let content = all.filter { !$0.isBlank }
        header = content.first
        rows = Array(content.dropFirst())
    }

    /// Where a cell is: `sheet.csv:4:C`.
    public func cell(_ row: Row, _ column: Int) -> SourceLocation {
        .cell(file: display, row: row.number, column: column + 1)
    }
}

/// The documented names a sheet's header may use for each column, in any case, with spaces,
/// `_` or `-` between words. `id` is never one of them: it is the ledger's row id.
public enum SheetHeader {
    /// Lower case, with `_` and `-` as spaces and runs of spaces as one.
    public static func normalized(_ text: String) -> String {
        let spaced = String(text.lowercased().map { (c: Character) -> Character in c == "_" || c == "-" ? " " : c })
        let words = spaced.split(whereSeparator: { (c: Character) in c == " " || c == "\t" || c == "\u{A0}" })
        return words.joined(separator: " ")
    }
}
