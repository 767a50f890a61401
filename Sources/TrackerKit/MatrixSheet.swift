import CurriculumKit
import KitbagCore

/// `record import --matrix SHEET --by NAME`: the training-matrix layout coordinators keep,
/// one row per worker and one column per module or assessment.
///
///     Worker,Name,M01,Working with boundaries and relationships,A01
///     W01,Amira Okafor,2026-01-12,2026-01-19,passed 2026-02-16
///     W02,Tomasz Wiśniewski,absent 2026-01-12; 2026-01-26,waived: prior training,failed 2026-02-16
///
/// The worker column (id or name) comes first; a Name column is optional and checked against
/// the roster; every other header names an item by id or exact title. A cell holds entries
/// separated by `;`: a date (attended for a module, passed for an assessment), `attended
/// DATE`, `absent DATE`, `passed DATE`, `failed DATE`, `waived: reason` or `waived DATE:
/// reason` (without a date, the waiver is dated `--date`, default today), or nothing.
/// An entry already in the ledger is left as it is, so the same matrix can be imported again
/// after more dates are filled in.
public enum MatrixSheet {
    /// What the sheet holds, once checked: the new rows and how many entries were already recorded.
    public struct Result: Sendable {
        public var rows: [PendingRow] = []
        public var alreadyRecorded = 0
    }

    public static func rows(_ bytes: [UInt8], display: String, cohort: Cohort, today: ISODate, by: String, date defaultDate: ISODate,
                            into bag: inout DiagnosticBag) -> Result {
        var result = Result()
        let sheet = Sheet(bytes, display: display, into: &bag)
        guard !bag.hasErrors else { return result }
        guard let header = sheet.header, !sheet.rows.isEmpty else {
            bag.error(.emptyImport, "the matrix has no rows to import", at: SourceLocation(file: display, line: 1, column: 1))
            return result
        }
        let lookup = CohortLookup(cohort: cohort)
        let rules = RowRules(cohort: cohort, today: today)
        // The header: worker, optional name, then items.
        var workerColumn: Int?
        var nameColumn: Int?
        var items: [Int: Int] = [:]  // column -> catalog index
        for (k, title) in header.cells.enumerated() where !title.isEmpty {
            let key = SheetHeader.normalized(title)
            if workerColumn == nil, ImportSheet.SheetColumn.worker.synonyms.contains(key) { workerColumn = k; continue }
            if nameColumn == nil, ImportSheet.SheetColumn.name.synonyms.contains(key) { nameColumn = k; continue }
            switch lookup.item(title) {
            case .index(let i):
                if let other = items.first(where: { $0.value == i }) {
                    bag.error(.importHeader, "'\(title)' names \(cohort.catalog.ids[i]), which column \(SourceLocation.columnLetters(other.key + 1)) names too", at: sheet.cell(header, k))
                } else {
                    items[k] = i
                }
            case .ambiguous(let ids):
                bag.error(.ambiguousItem, "'\(title)' is the title of several items (\(ids.joined(separator: ", "))); use the id", at: sheet.cell(header, k))
            case .unknown:
                var notes: [Diagnostic.Note] = []
                if let guess = DidYouMean.closest(to: title, in: cohort.catalog.ids) { notes.append(.init("did you mean '\(guess)'?")) }
                bag.error(.importHeader, "'\(title)' is not a worker or name column, nor a module or assessment id or title", at: sheet.cell(header, k), notes: notes)
            }
        }
        guard let workerColumn else {
            bag.error(.importHeader, "the matrix has no worker column (call it 'worker')", at: sheet.cell(header, 0))
            return result
        }
        if items.isEmpty { bag.error(.importHeader, "the matrix has no item columns", at: sheet.cell(header, 0)) }
        guard !bag.hasErrors else { return result }

        // Entries already in the ledger: worker, item, event, day.
        var existing = Set<[Int]>()
        for (r, row) in cohort.ledger.rows.enumerated() where row.event != .void && !cohort.ledger.voided[r] {
            existing.insert([Int(row.worker), Int(row.item), Int(row.event.rawValue), Int(row.day)])
        }
        for row in sheet.rows {
            let workerText = workerColumn < row.cells.count ? row.cells[workerColumn] : ""
            let w: Int
            switch lookup.worker(workerText) {
            case .index(let found): w = found
            case .ambiguous(let ids):
                bag.error(.ambiguousWorker, "'\(workerText)' is the name of several workers (\(ids.joined(separator: ", "))); use the worker id", at: sheet.cell(row, workerColumn))
                continue
            case .unknown:
                var notes: [Diagnostic.Note] = []
                if let guess = DidYouMean.closest(to: workerText, in: cohort.workers.map(\.id)) { notes.append(.init("did you mean '\(guess)'?")) }
                bag.error(.unknownWorker, workerText.isEmpty ? "the worker is empty" : "unknown worker '\(workerText)': not in \(cohort.rosterDisplay)",
                          at: sheet.cell(row, workerColumn), notes: notes)
                continue
            }
            let worker = cohort.workers[w]
            if let n = nameColumn, n < row.cells.count, !row.cells[n].isEmpty, !lookup.nameMatches(row.cells[n], worker: w) {
                bag.error(.nameMismatch, "name '\(row.cells[n])' does not match worker '\(worker.id)' on the roster", at: sheet.cell(row, n),
                          notes: [.init("'\(worker.id)' is listed here", at: SourceLocation(file: cohort.rosterDisplay, line: worker.line, column: 1))])
                continue
            }
            for (k, item) in items.sorted(by: { $0.key < $1.key }) where k < row.cells.count && !row.cells[k].isEmpty {
                let at = sheet.cell(row, k)
                for entry in row.cells[k].split(separator: ";").map({ String($0).trimmed() }) where !entry.isEmpty {
                    guard let (event, dateText, note) = parse(entry, kind: cohort.catalog.kinds[item], defaultDate: defaultDate, at: at, into: &bag) else { continue }
                    let locations = [SourceLocation](repeating: at, count: LedgerColumn.allCases.count)
                    guard let d = rules.decode(date: dateText, worker: worker.id, item: cohort.catalog.ids[item], event: event.name,
                                               note: nil, noteIsEmpty: note.isEmpty, at: { locations[$0.rawValue] }, into: &bag) else { continue }
                    if existing.contains([w, item, Int(event.rawValue), d.day]) {
                        result.alreadyRecorded += 1
                        continue
                    }
                    var pending = PendingRow(date: ISODate(dayNumber: d.day), worker: worker.id, item: cohort.catalog.ids[item], event: event,
                                             by: by, note: note, location: at)
                    pending.columnLocations = locations
                    result.rows.append(pending)
                }
            }
        }
        return result
    }

    /// One entry of a cell: the event, the date's text and the note.
    static func parse(_ entry: String, kind: CurriculumKind, defaultDate: ISODate, at: SourceLocation,
                      into bag: inout DiagnosticBag) -> (LedgerEvent, String, String)? {
        let lower = entry.lowercased()
        if lower.hasPrefix("waived") {
            let rest = entry.dropFirst("waived".count).trimmed()
            var dateText = defaultDate.description
            var reason = rest
            if let colon = rest.firstIndex(of: ":") {
                let before = String(rest[..<colon]).trimmed()
                reason = String(rest[rest.index(after: colon)...]).trimmed()
                if !before.isEmpty { dateText = before }
            } else {
                reason = ""
            }
            if reason.isEmpty {
                bag.error(.missingNote, "a waiver needs its reason: 'waived: prior training with the trust'", at: at)
                return nil
            }
            return (.waived, dateText, reason)
        }
        let words = entry.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if words.count == 1 {
            return (kind == .module ? .attended : .passed, words[0], "")
        }
        if words.count == 2, let event = LedgerEvent(name: words[0].lowercased()), event != .void, event != .waived {
            return (event, words[1], "")
        }
        bag.error(.matrixCell, "'\(entry)' is not a matrix entry; write a date (YYYY-MM-DD), 'absent DATE', 'failed DATE', 'passed DATE' or 'waived: reason'", at: at)
        return nil
    }
}
