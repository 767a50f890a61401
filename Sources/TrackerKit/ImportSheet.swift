import CurriculumKit
import KitbagCore

/// `record import sheet.csv`: rows with the ledger's columns except `id`, in any order.
public enum ImportSheet {
    static let columns: [LedgerColumn] = [.date, .worker, .item, .event, .by, .note]

    /// Reads and checks every row of the sheet against `cohort`; rows with a problem are
    /// reported in `bag` and left out (the caller then appends nothing).
    public static func rows(_ bytes: [UInt8], display: String, cohort: Cohort, today: ISODate, into bag: inout DiagnosticBag) -> [PendingRow] {
        let rules = RowRules(cohort: cohort, today: today)
        var result: [PendingRow] = []
        var sawRows = false
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = CSVScanner(buffer)
            var map: [LedgerColumn: Int]?
            scan: while true {
                switch scanner.next() {
                case .end: break scan
                case .error(let message, let line, let column):
                    bag.error("csv-syntax", message, at: SourceLocation(file: display, line: line, column: column))
                    continue scan
                case .torn:
                    if scanner.unclosedQuote != nil {
                        bag.error("csv-syntax", "a quoted field is not closed", at: SourceLocation(file: display, line: scanner.recordLine, column: 1))
                        break scan
                    }
                    // A sheet's last line may lack a line break; that is fine here.
                case .record: break
                }
                let fields = scanner.fields
                let values = fields.map { scanner.string($0) }
                func location(_ k: Int) -> SourceLocation {
                    let f = fields[min(max(k, 0), fields.count - 1)]
                    return SourceLocation(file: display, line: f.line, column: scanner.column(of: f))
                }
                guard let columnMap = map else {
                    var m: [LedgerColumn: Int] = [:]
                    var ok = true
                    for (k, name) in values.enumerated() {
                        let trimmed = name.trimmed()
                        if trimmed == "id" {
                            bag.error("import-header", "an import sheet has no 'id' column: kitbag gives each row its id", at: location(k))
                            ok = false
                        } else if let c = columns.first(where: { $0.name == trimmed }) {
                            if m[c] != nil {
                                bag.error("import-header", "column '\(trimmed)' is given twice", at: location(k))
                                ok = false
                            }
                            m[c] = k
                        } else {
                            var notes: [Diagnostic.Note] = []
                            if let guess = DidYouMean.closest(to: trimmed, in: columns.map(\.name)) { notes.append(.init("did you mean '\(guess)'?")) }
                            bag.error("import-header", "unknown column '\(trimmed)'; the columns are \(columns.map(\.name).joined(separator: ","))", at: location(k), notes: notes)
                            ok = false
                        }
                    }
                    for c in columns where m[c] == nil {
                        bag.error("import-header", "the header has no '\(c.name)' column; the columns are \(columns.map(\.name).joined(separator: ","))", at: location(0))
                        ok = false
                    }
                    if !ok { break scan }
                    map = m
                    continue scan
                }
                sawRows = true
                guard fields.count == columns.count else {
                    bag.error("malformed-row", "expected \(columns.count) fields, found \(fields.count)", at: SourceLocation(file: display, line: scanner.recordLine, column: 1))
                    continue scan
                }
                func value(_ c: LedgerColumn) -> String { columnMap[c].map { values[$0] } ?? "" }
                var locations = [SourceLocation](repeating: location(0), count: LedgerColumn.allCases.count)
                for c in columns { locations[c.rawValue] = location(columnMap[c] ?? 0) }
                let at = { (c: LedgerColumn) in locations[c.rawValue] }
                guard rules.decode(date: value(.date), worker: value(.worker), item: value(.item), event: value(.event),
                                   note: nil, noteIsEmpty: value(.note).isEmpty, at: at, into: &bag) != nil,
                      let date = ISODate(value(.date)), let event = LedgerEvent(name: value(.event)) else { continue scan }
                var row = PendingRow(date: date, worker: value(.worker), item: value(.item), event: event, by: value(.by), note: value(.note),
                                     location: SourceLocation(file: display, line: scanner.recordLine, column: 1))
                row.columnLocations = locations
                result.append(row)
            }
        }
        if !sawRows && !bag.hasErrors {
            bag.error("empty-import", "the sheet has no rows to import", at: SourceLocation(file: display, line: 1, column: 1))
        }
        return result
    }
}
