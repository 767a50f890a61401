#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CurriculumKit
import KitbagCore

/// A row to append, before it has an id.
public struct PendingRow: Sendable {
    public var date: ISODate
    public var worker: String
    /// An item id, or for `void` the id of the row it cancels.
    public var item: String
    public var event: LedgerEvent
    public var by: String
    public var note: String
    /// Where the row came from, for messages: a line of an import sheet, or nil for the command line.
    public var location: SourceLocation?
    /// Where each column is, when the row came from a file (indexed by `LedgerColumn`).
    public var columnLocations: [SourceLocation]?

    public init(date: ISODate, worker: String, item: String, event: LedgerEvent, by: String, note: String, location: SourceLocation?) {
        self.date = date
        self.worker = worker
        self.item = item
        self.event = event
        self.by = by
        self.note = note
        self.location = location
    }
}

/// What an append did.
public struct AppendOutcome: Sendable {
    /// Ids given to the new rows, in order (empty when rejected).
    public var ids: [String] = []
    /// Errors (nothing was written) and warnings (a torn line removed, a prerequisite not done).
    public var diagnostics: [Diagnostic] = []
    /// The rows as they were (or, in a dry run, would be) appended to records.csv.
    public var lines: [String] = []
    public var succeeded: Bool { !ids.isEmpty || !diagnostics.containsErrors }
}

/// Where a cohort lives and what it is checked against: what every writer needs.
public struct CohortLocation: Sendable {
    public var folder: String
    public var directory: String
    public var displayDirectory: String
    public var curriculum: Curriculum
    public var catalog: ItemCatalog

    /// `sites` are the project's sites (`SiteSet.load`): the editions a cohort may name and their local modules.
    public init(folder: String, directory: String, displayDirectory: String, curriculum: Curriculum, sites: SiteSet) {
        self.folder = folder
        self.directory = directory
        self.displayDirectory = displayDirectory
        self.curriculum = curriculum
        self.catalog = ItemCatalog(curriculum: curriculum, sites: sites)
    }

    public var path: String { FileSystem.join(directory, folder) }

    public func load(today: ISODate) -> (Cohort, [Diagnostic]) {
        CohortLoader.load(folder: folder, directory: directory, displayDirectory: displayDirectory,
                          curriculum: curriculum, catalog: catalog, today: today)
    }
}

/// The only code that changes `records.csv`: appends under a lock, all or nothing, and
/// the one exception to append-only, a data-protection erasure.
public enum LedgerWriter {
    /// Validates `rows` against the cohort as it is on disk and appends them all, or none.
    /// Everything happens under the lock, so two writers never interleave or reuse an id.
    /// `makeRows` runs under the lock with the freshly loaded cohort.
    /// A dry run does all of this but writes nothing.
    public static func append(to location: CohortLocation, today: ISODate, dryRun: Bool = false,
                              _ makeRows: (Cohort, inout DiagnosticBag) -> [PendingRow]) -> AppendOutcome {
        var outcome = AppendOutcome()
        do {
            try FileSystem.withLock(FileSystem.join(location.path, "records.csv.lock")) {
                let (cohort, loaded) = location.load(today: today)
                var bag = DiagnosticBag()
                bag.add(contentsOf: loaded.filter { $0.code != .tornAppend })
                if bag.hasErrors {
                    bag.add(.error(.cohortHasErrors, "nothing was recorded: fix the errors in cohort '\(location.folder)' first",
                                   at: SourceLocation(file: cohort.recordsDisplay, line: 1, column: 1)))
                    outcome.diagnostics = bag.all
                    return
                }
                let rows = makeRows(cohort, &bag)
                check(rows, against: cohort, today: today, into: &bag)
                if rows.count > RowID.maxNumber - cohort.nextNumber + 1 {
                    bag.add(.error(.ledgerFull, "row ids would pass \(RowID.text(RowID.maxNumber)), the highest a ledger holds; start a new cohort folder",
                                   at: SourceLocation(file: cohort.recordsDisplay, line: 1, column: 1)))
                }
                if bag.hasErrors || rows.isEmpty {
                    outcome.diagnostics = bag.all
                    return
                }
                var text = ""
                if !cohort.ledger.hasHeader { text += LedgerColumn.header + (cohort.ledger.crlf ? "\r\n" : "\n") }
                var number = cohort.nextNumber
                var ids: [String] = []
                for row in rows {
                    let id = RowID.text(number)
                    number += 1
                    ids.append(id)
                    var line = CSV.line([id, row.date.description, row.worker, row.item, row.event.name, row.by, row.note])
                    outcome.lines.append(String(line.dropLast()))
                    if cohort.ledger.crlf { line.removeLast(); line += "\r\n" }
                    text += line
                }
                if dryRun {
                    outcome.ids = ids
                    outcome.diagnostics = bag.all
                    return
                }
                if let torn = cohort.ledger.tornOffset {
                    let rest = cohort.ledger.bytes[torn...]
                    let shown = String(decoding: rest.prefix(200), as: UTF8.self)
                    bag.warning(.tornAppend, "removed a torn last line left by an interrupted append: '\(shown)'",
                                at: SourceLocation(file: cohort.recordsDisplay, line: lineNumber(of: torn, in: cohort.ledger.bytes), column: 1))
                }
                try appendBytes(Array(text.utf8), to: cohort.recordsPath, truncatingTo: cohort.ledger.tornOffset)
                outcome.ids = ids
                outcome.diagnostics = bag.all
            }
        } catch {
            outcome.diagnostics.append(.error(.writeFailed, "\(error)", at: SourceLocation(file: FileSystem.join(location.displayDirectory, location.folder, "records.csv"), line: 1, column: 1)))
        }
        return outcome
    }

    static func lineNumber(of offset: Int, in bytes: [UInt8]) -> Int {
        bytes[..<offset].reduce(1) { $1 == 10 ? $0 + 1 : $0 }
    }

    /// Duplicates and voids: against the ledger and within the batch.
    static func check(_ rows: [PendingRow], against cohort: Cohort, today: ISODate, into bag: inout DiagnosticBag) {
        let rules = RowRules(cohort: cohort, today: today)
        let ledger = cohort.ledger
        var keys: [Int: [Int: String]] = [:]  // worker -> key -> id or place of the first
        var voidedNow = Set<Int>()
        func key(_ item: Int, _ event: LedgerEvent, _ day: Int) -> Int {
            (item << 40) | (Int(event.rawValue) << 32) | Int(UInt32(truncatingIfNeeded: day))
        }
        for row in rows {
            let at = { (c: LedgerColumn) in row.columnLocations.map { $0[c.rawValue] } ?? row.location }
            guard let d = rules.decode(date: row.date.description, worker: row.worker, item: row.item, event: row.event.name,
                                       note: nil, noteIsEmpty: row.note.isEmpty, at: at, into: &bag) else { continue }
            if d.event == .void {
                guard let t = ledger.index(ofNumber: d.item) else {
                    bag.error(.unknownVoidTarget, "there is no row '\(row.item)' to void", at: row.location)
                    continue
                }
                let target = ledger.rows[t]
                if target.event == .void {
                    bag.error(.voidOfVoid, "'\(row.item)' is itself a void; record the entry again instead", at: row.location)
                } else if ledger.voided[t] || voidedNow.contains(t) {
                    bag.error(.alreadyVoided, "row '\(row.item)' is already voided", at: row.location)
                } else if Int(target.worker) != d.worker {
                    bag.error(.voidWorkerMismatch, "row '\(row.item)' is for worker '\(cohort.workers[Int(target.worker)].id)', not '\(row.worker)'", at: row.location)
                } else {
                    voidedNow.insert(t)
                }
                continue
            }
            if keys[d.worker] == nil {
                var existing: [Int: String] = [:]
                for r in ledger.rows(ofWorker: d.worker) {
                    let e = ledger.rows[Int(r)]
                    guard e.event != .void, !ledger.voided[Int(r)], !voidedNow.contains(Int(r)) else { continue }
                    existing[key(Int(e.item), e.event, Int(e.day))] = "row '\(e.idText)'"
                }
                keys[d.worker] = existing
            }
            if d.event == .attended || d.event == .waived {
                checkPrerequisites(of: d, row: row, cohort: cohort, batch: rows, into: &bag)
            }
            let k = key(d.item, d.event, d.day)
            if let first = keys[d.worker]?[k] {
                bag.error(.duplicateRecord, "'\(row.worker)' \(row.event.name) '\(row.item)' on \(row.date) is already recorded (\(first)); void that row first to correct it",
                          at: row.location)
            } else {
                keys[d.worker]?[k] = row.location.map(\.description) ?? "earlier in this input"
            }
        }
    }

    /// A warning when a module is recorded before its prerequisites are done (attended to the
    /// attendance share, or waived) on or before the row's date, counting this batch's rows.
    static func checkPrerequisites(of d: DecodedRow, row: PendingRow, cohort: Cohort, batch: [PendingRow], into bag: inout DiagnosticBag) {
        let catalog = cohort.catalog
        let ledger = cohort.ledger
        var missing: [String] = []
        for p in catalog.prerequisites[d.item] {
            // The prerequisite or a local module standing in for it, each by its own sessions.
            let done = ([p] + catalog.standIns[p]).contains { m in
                var attended = 0
                var waived = false
                for r in ledger.rows(ofWorker: d.worker) {
                    let e = ledger.rows[Int(r)]
                    guard Int(e.item) == m, Int(e.day) <= d.day, !ledger.voided[Int(r)] else { continue }
                    if e.event == .attended { attended += 1 }
                    if e.event == .waived { waived = true }
                }
                for b in batch where b.worker == row.worker && b.item == catalog.ids[m] && b.date.dayNumber <= d.day {
                    if b.event == .attended { attended += 1 }
                    if b.event == .waived { waived = true }
                }
                return waived || attended >= catalog.sessionsNeeded[m]
            }
            if !done { missing.append(catalog.ids[p]) }
        }
        guard !missing.isEmpty else { return }
        let at = row.columnLocations.map { $0[LedgerColumn.item.rawValue] } ?? row.location
        bag.warning(.prerequisiteNotDone, "'\(row.worker)' is recorded for \(row.item) on \(row.date) before its prerequisite\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) \(missing.count == 1 ? "is" : "are") done",
                    at: at, notes: [.init("recorded all the same: a prerequisite is advice, not a rule")])
    }

    /// Appends with one `write` (after cutting a torn tail), then syncs: a row is committed
    /// once this returns.
    static func appendBytes(_ bytes: [UInt8], to path: String, truncatingTo offset: Int?) throws(FileError) {
        try AppendOnlyFile.append(bytes, to: path, truncatingTo: offset)
    }

    // MARK: - Erasure

    /// What an erasure did.
    public struct ErasureOutcome: Sendable {
        public var rowsRemoved = 0
        public var diagnostics: [Diagnostic] = []
    }

    /// Removes worker `id`'s rows from records.csv and their roster line, and logs the erasure
    /// (date, worker id, rows removed, highest id, reason, by) in erasures.csv, without the name.
    public static func erase(worker id: String, reason: String, by: String, in location: CohortLocation, today: ISODate) -> ErasureOutcome {
        var outcome = ErasureOutcome()
        let display = FileSystem.join(location.displayDirectory, location.folder)
        do {
            try FileSystem.withLock(FileSystem.join(location.path, "records.csv.lock")) {
                let (cohort, loaded) = location.load(today: today)
                let syntax = loaded.filter { $0.severity == .error && [Diagnostic.Code.csvSyntax, .ledgerHeader, .rosterHeader, .missingFile].contains($0.code) }
                if !syntax.isEmpty {
                    outcome.diagnostics = syntax
                    return
                }
                guard let w = cohort.workerIndex[id] else {
                    outcome.diagnostics.append(.error(.unknownWorker, "unknown worker '\(id)': not in \(cohort.rosterDisplay)", at: SourceLocation(file: cohort.rosterDisplay, line: 1, column: 1)))
                    return
                }
                let worker = cohort.workers[w]
                let nameParts = worker.name.lowercased().split(separator: " ").filter { $0.count > 2 }.map(String.init)
                for (option, text) in [("reason", reason), ("by", by)] {
                    let lower = text.lowercased()
                    let words = Set(lower.split(whereSeparator: { !$0.isLetter && $0 != "'" && $0 != "-" }).map(String.init))
                    if lower.contains(worker.name.lowercased()) || nameParts.contains(where: { words.contains($0) }) {
                        outcome.diagnostics.append(.error(.nameInErasureLog, "--\(option) would be logged, and it contains the worker's name; write it without the name", at: nil))
                    }
                }
                if !outcome.diagnostics.isEmpty { return }
                // Keep every other byte as it is: cut the worker's records out of the file.
                var kept: [UInt8] = []
                var removed = 0
                let bytes = cohort.ledger.bytes
                if cohort.ledger.exists {
                    kept.reserveCapacity(bytes.count)
                    bytes.withUnsafeBufferPointer { buffer in
                        var scanner = CSVScanner(buffer)
                        var copied = 0
                        var first = true
                        loop: while true {
                            let outcome = scanner.next()
                            switch outcome {
                            case .end: break loop
                            case .torn:
                                kept.append(contentsOf: buffer[copied..<scanner.recordStart])
                                copied = buffer.count
                                break loop
                            case .error, .record:
                                if first { first = false; continue loop }
                                if scanner.fields.count > 2, scanner.string(scanner.fields[2]) == id {
                                    kept.append(contentsOf: buffer[copied..<scanner.recordStart])
                                    copied = scanner.position
                                    removed += 1
                                }
                            }
                        }
                        kept.append(contentsOf: buffer[copied...])
                    }
                }
                let rosterBytes = try FileSystem.readBytes(cohort.rosterPath)
                var roster = Array(rosterBytes[..<worker.byteRange.lowerBound])
                roster += rosterBytes[min(worker.byteRange.upperBound, rosterBytes.count)...]
                // Log first: if we stop half-way, the log shows an erasure was asked for, and it can be run again.
                let logExists = FileSystem.exists(cohort.erasuresPath)
                var log = logExists ? "" : CohortLoader.erasuresHeader.joined(separator: ",") + "\n"
                log += CSV.line([today.description, id, String(removed), RowID.text(max(cohort.nextNumber - 1, 1)), reason, by])
                try appendBytes(Array(log.utf8), to: cohort.erasuresPath, truncatingTo: nil)
                if cohort.ledger.exists { try FileSystem.writeAtomically(kept, to: cohort.recordsPath) }
                try FileSystem.writeAtomically(roster, to: cohort.rosterPath)
                outcome.rowsRemoved = removed
            }
        } catch {
            outcome.diagnostics.append(.error(.writeFailed, "\(error)", at: SourceLocation(file: display, line: 1, column: 1)))
        }
        return outcome
    }
}
