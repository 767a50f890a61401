import CurriculumKit
import KitbagCore

/// `record import sheet.csv`: one row per ledger entry, the ledger's columns except `id`, in
/// any order, with the header names coordinators use (see `SheetColumn.synonyms`). A sheet
/// may name workers by id or name, items by id or exact title, carry a Name column that is
/// checked against the roster, and, instead of an event column, a mark column (a register:
/// a non-empty mark records `attended`, an empty one nothing).
public enum ImportSheet {
    /// The columns an import sheet may have.
    enum SheetColumn: String, CaseIterable {
        case date, worker, name, item, event, by, note, mark

        /// Header names accepted for each column (compared without case; `_` and `-` read as spaces).
        var synonyms: [String] {
            switch self {
            case .date: ["date", "session date", "date of session", "event date", "date attended"]
            case .worker: ["worker", "worker id", "peer worker", "peer worker id", "pseudonym"]
            case .name: ["name", "worker name", "full name", "peer worker name"]
            case .item: ["item", "item id", "module", "module id", "assessment", "assessment id", "module or assessment"]
            case .event: ["event", "result", "outcome"]
            case .by: ["by", "trainer", "facilitator", "assessor", "recorded by"]
            case .note: ["note", "notes", "comment", "comments", "reason"]
            case .mark: ["attended", "present", "tick", "mark"]
            }
        }

        static func named(_ header: String) -> SheetColumn? {
            let key = SheetHeader.normalized(header)
            return allCases.first { $0.synonyms.contains(key) }
        }
    }

    /// Marks that record attendance in a register's mark column (compared without case).
    static let marks: Set<String> = ["x", "✓", "✔", "yes", "y", "1", "true"]

    /// Reads and checks every row of the sheet against `cohort`; rows with a problem are
    /// reported in `bag` and left out (the caller then appends nothing). `by` fills rows
    /// whose `by` cell is empty or missing.
    public static func rows(_ bytes: [UInt8], display: String, cohort: Cohort, today: ISODate, by defaultBy: String? = nil,
                            into bag: inout DiagnosticBag) -> [PendingRow] {
        let sheet = Sheet(bytes, display: display, into: &bag)
        guard !bag.hasErrors else { return [] }
        guard let header = sheet.header else {
            bag.error(.emptyImport, "the sheet has no rows to import", at: SourceLocation(file: display, line: 1, column: 1))
            return []
        }
        guard let columns = columns(header, sheet: sheet, hasDefaultBy: defaultBy != nil, into: &bag) else { return [] }
        let lookup = CohortLookup(cohort: cohort)
        let rules = RowRules(cohort: cohort, today: today)
        var result: [PendingRow] = []
        for row in sheet.rows {
            func value(_ c: SheetColumn) -> String { columns[c].flatMap { $0 < row.cells.count ? row.cells[$0] : nil } ?? "" }
            func at(_ c: SheetColumn) -> SourceLocation { sheet.cell(row, columns[c] ?? 0) }
            if row.cells.count > header.cells.count, row.cells[header.cells.count...].contains(where: { !$0.isEmpty }) {
                bag.error(.malformedRow, "this row has \(row.cells.count) cells but the header has \(header.cells.count)", at: sheet.cell(row, header.cells.count))
                continue
            }
            // The event: from the event column, or a register's mark.
            var eventText = value(.event).lowercased()
            if columns[.mark] != nil {
                let mark = value(.mark)
                if mark.isEmpty { continue }
                guard marks.contains(mark.lowercased()) else {
                    bag.error(.unknownMark, "'\(mark)' is not a mark kitbag reads; tick with x, ✓, yes, y or 1, or leave the cell empty", at: at(.mark))
                    continue
                }
                eventText = LedgerEvent.attended.name
            }
            var ok = true
            // Worker: by id or by a unique name.
            var workerID = value(.worker)
            switch lookup.worker(workerID) {
            case .index(let w):
                workerID = cohort.workers[w].id
                let name = value(.name)
                if columns[.name] != nil, !name.isEmpty, !lookup.nameMatches(name, worker: w) {
                    bag.error(.nameMismatch, "name '\(name)' does not match worker '\(workerID)' on the roster",
                              at: at(.name), notes: [.init("'\(workerID)' is listed here", at: SourceLocation(file: cohort.rosterDisplay, line: cohort.workers[w].line, column: 1))])
                    ok = false
                }
            case .ambiguous(let ids):
                bag.error(.ambiguousWorker, "'\(workerID)' is the name of several workers (\(ids.joined(separator: ", "))); use the worker id", at: at(.worker))
                ok = false
            case .unknown:
                break  // RowRules reports it, with a suggestion.
            }
            // Item: by id or exact title.
            var itemID = value(.item)
            if LedgerEvent(name: eventText) != .void {
                switch lookup.item(itemID) {
                case .index(let i): itemID = cohort.catalog.ids[i]
                case .ambiguous(let ids):
                    bag.error(.ambiguousItem, "'\(itemID)' is the title of several items (\(ids.joined(separator: ", "))); use the id", at: at(.item))
                    ok = false
                case .unknown: break
                }
            }
            var by = value(.by)
            if by.isEmpty { by = defaultBy ?? "" }
            if by.isEmpty {
                bag.error(.missingBy, "who ran the session or marked the assessment? fill in '\(SheetColumn.by.rawValue)' or give --by NAME", at: at(.by))
                ok = false
            }
            let note = value(.note)
            var locations = [SourceLocation](repeating: sheet.cell(row, 0), count: LedgerColumn.allCases.count)
            locations[LedgerColumn.date.rawValue] = at(.date)
            locations[LedgerColumn.worker.rawValue] = at(.worker)
            locations[LedgerColumn.item.rawValue] = at(.item)
            locations[LedgerColumn.event.rawValue] = columns[.mark] != nil ? at(.mark) : at(.event)
            locations[LedgerColumn.by.rawValue] = at(.by)
            locations[LedgerColumn.note.rawValue] = columns[.note] != nil ? at(.note) : sheet.cell(row, 0)
            let place = { (c: LedgerColumn) in locations[c.rawValue] }
            guard rules.decode(date: value(.date), worker: workerID, item: itemID, event: eventText,
                               note: nil, noteIsEmpty: note.isEmpty, at: place, into: &bag) != nil, ok,
                  let date = ISODate(value(.date)), let event = LedgerEvent(name: eventText) else { continue }
            var pending = PendingRow(date: date, worker: workerID, item: itemID, event: event, by: by, note: note,
                                     location: sheet.cell(row, columns[.item] ?? 0))
            pending.columnLocations = locations
            result.append(pending)
        }
        if sheet.rows.isEmpty && !bag.hasErrors {
            bag.error(.emptyImport, "the sheet has no rows to import", at: SourceLocation(file: display, line: 1, column: 1))
        }
        return result
    }

    /// The worker cells of a sheet (row sheet, register or matrix), for finding its cohort;
    /// empty when the sheet cannot be read or has no worker column.
    public static func workerCells(_ bytes: [UInt8]) -> [String] {
        var bag = DiagnosticBag()
        let sheet = Sheet(bytes, display: "", into: &bag)
        guard let header = sheet.header,
              let k = header.cells.firstIndex(where: { SheetColumn.worker.synonyms.contains(SheetHeader.normalized($0)) }) else { return [] }
        return Array(Set(sheet.rows.compactMap { k < $0.cells.count && !$0.cells[k].isEmpty ? $0.cells[k] : nil })).sorted()
    }

    /// Recognises the header's columns, reporting each one it cannot place.
    static func columns(_ header: Sheet.Row, sheet: Sheet, hasDefaultBy: Bool, into bag: inout DiagnosticBag) -> [SheetColumn: Int]? {
        var map: [SheetColumn: Int] = [:]
        var ok = true
        let known = SheetColumn.allCases.flatMap(\.synonyms)
        for (k, name) in header.cells.enumerated() {
            let key = SheetHeader.normalized(name)
            if key.isEmpty && header.cells[k...].allSatisfy(\.isEmpty) { break }
            if key == "id" || key == "row id" {
                bag.error(.importHeader, "an import sheet has no '\(name)' column: kitbag gives each row its id; for the worker, call the column 'worker'", at: sheet.cell(header, k))
                ok = false
            } else if let c = SheetColumn.named(name) {
                if map[c] != nil {
                    bag.error(.importHeader, "column '\(name)' is given twice (as '\(header.cells[map[c] ?? 0])' too)", at: sheet.cell(header, k))
                    ok = false
                }
                map[c] = k
            } else {
                var notes: [Diagnostic.Note] = []
                if let guess = DidYouMean.closest(to: key, in: known) { notes.append(.init("did you mean '\(guess)'?")) }
                bag.error(.importHeader, "unknown column '\(name)'; the columns are date, worker, item, event, by, note (name and a register's mark are optional)",
                          at: sheet.cell(header, k), notes: notes)
                ok = false
            }
        }
        var required: [SheetColumn] = [.date, .worker, .item]
        if map[.mark] == nil { required.append(.event) }
        if !hasDefaultBy { required.append(.by) }
        for c in required where map[c] == nil {
            bag.error(.importHeader, "the header has no '\(c.rawValue)' column" + (c == .by ? " (or give --by NAME)" : ""), at: sheet.cell(header, 0))
            ok = false
        }
        if map[.mark] != nil, let e = map[.event] {
            bag.error(.importHeader, "a sheet has an event column or a mark column, not both", at: sheet.cell(header, e))
            ok = false
        }
        return ok ? map : nil
    }
}
