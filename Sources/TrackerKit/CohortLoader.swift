import CurriculumKit
import KitbagCore

/// Reads `Cohorts/<cohort>/`: cohort.md, roster.csv, records.csv and erasures.csv, reporting
/// every problem at its line. Nothing is guessed: a malformed row is an error.
public enum CohortLoader {
    static let cohortSchema = FrontMatterSchema(kind: "a cohort", required: ["id", "name", "site", "coordinator", "start"], optional: ["origin", "edition"])
    static let rosterHeader = ["id", "name", "site", "status", "joined"]

    /// Cohort folders under `directory` (those holding cohort.md or roster.csv), sorted.
    public static func cohortFolders(in directory: String) -> [String] {
        FileSystem.list(directory).filter {
            let p = FileSystem.join(directory, $0)
            return FileSystem.isDirectory(p)
                && (FileSystem.exists(FileSystem.join(p, "cohort.md")) || FileSystem.exists(FileSystem.join(p, "roster.csv")))
        }
    }

    /// Loads one cohort. `directory` is the cohorts folder on disk, `displayDirectory` how it is shown.
    public static func load(folder: String, directory: String, displayDirectory: String, curriculum: Curriculum,
                            catalog: ItemCatalog, today: ISODate) -> (Cohort, [Diagnostic]) {
        var bag = DiagnosticBag()
        let path = FileSystem.join(directory, folder)
        let display = FileSystem.join(displayDirectory, folder)
        var cohort = Cohort(folder: folder, path: path, displayPath: display,
                            info: CohortInfo(id: folder, name: folder, site: "", coordinator: "", start: nil),
                            catalog: catalog)
        loadInfo(&cohort, bag: &bag)
        loadRoster(&cohort, bag: &bag)
        loadErasures(&cohort, bag: &bag)
        loadLedger(&cohort, today: today, bag: &bag)
        return (cohort, bag.all)
    }

    /// Only the roster of a cohort (for finding which cohort a worker belongs to).
    public static func loadRoster(folder: String, directory: String, displayDirectory: String, catalog: ItemCatalog) -> Cohort {
        var bag = DiagnosticBag()
        var cohort = Cohort(folder: folder, path: FileSystem.join(directory, folder), displayPath: FileSystem.join(displayDirectory, folder),
                            info: CohortInfo(id: folder, name: folder, site: "", coordinator: "", start: nil), catalog: catalog)
        loadRoster(&cohort, bag: &bag)
        return cohort
    }

    // MARK: - cohort.md

    static func loadInfo(_ cohort: inout Cohort, bag: inout DiagnosticBag) {
        let file = FileSystem.join(cohort.path, "cohort.md")
        guard let bytes = try? FileSystem.readBytes(file) else {
            bag.error(.missingFile, "cohort '\(cohort.folder)' has no cohort.md", at: SourceLocation(file: FileSystem.join(cohort.displayPath, "cohort.md"), line: 1, column: 1))
            return
        }
        let source = SourceFile(displayPath: FileSystem.join(cohort.displayPath, "cohort.md"), bytes: bytes)
        let fm = FrontMatter.parse(source, into: &bag)
        var r = FrontMatterReader(fm, file: source, schema: cohortSchema)
        cohort.info = CohortInfo(id: r.string("id") ?? cohort.folder, name: r.string("name") ?? cohort.folder,
                                 site: r.string("site") ?? "", coordinator: r.string("coordinator") ?? "", start: r.date("start"))
        cohort.info.edition = r.string("edition")
        bag.add(contentsOf: r.diagnostics)
        if let edition = cohort.info.edition, !cohort.catalog.sites.contains(edition) {
            let sites = cohort.catalog.sites
            var notes: [Diagnostic.Note] = []
            if let guess = DidYouMean.closest(to: edition, in: sites) { notes.append(.init("did you mean '\(guess)'?")) }
            notes.append(.init(sites.isEmpty
                ? "the project has no sites: a site is declared by 'Handbook/sites/<site>.md'"
                : "the sites are the stems of Handbook/sites/*.md: \(sites.joined(separator: ", "))"))
            bag.error(.unknownSite, "unknown edition '\(edition)': no site 'Handbook/sites/\(edition).md'", at: r.location(of: "edition"), notes: notes)
            cohort.info.edition = nil
        }
    }

    // MARK: - roster.csv

    static func loadRoster(_ cohort: inout Cohort, bag: inout DiagnosticBag) {
        let display = cohort.rosterDisplay
        guard let bytes = try? FileSystem.readBytes(cohort.rosterPath) else {
            bag.error(.missingFile, "cohort '\(cohort.folder)' has no roster.csv", at: SourceLocation(file: display, line: 1, column: 1))
            return
        }
        var sawHeader = false
        bytes.withUnsafeBufferPointer { buffer in
            CSVScanner.scan(buffer, display: display, into: &bag) { scanner, outcome, bag in
                func at(_ k: Int) -> SourceLocation {
                    guard k < scanner.fields.count else {
                        return SourceLocation(file: display, line: scanner.recordLine, column: 1)
                    }
                    return SourceLocation(file: display, line: scanner.fields[k].line, column: scanner.column(of: scanner.fields[k]))
                }
                if outcome == .torn, scanner.fields.isEmpty || buffer[scanner.recordStart...].contains(10) {
                    bag.error(.csvSyntax, "a quoted field is not closed", at: SourceLocation(file: display, line: scanner.recordLine, column: 1))
                    return false
                }
                let values = scanner.fields.map { scanner.string($0) }
                if !sawHeader {
                    sawHeader = true
                    if values != rosterHeader {
                        bag.error(.rosterHeader, "roster.csv must start with the header '\(rosterHeader.joined(separator: ","))'", at: at(0))
                        return false
                    }
                    return true
                }
                guard values.count == 5 else {
                    bag.error(.malformedRow, "expected 5 fields (\(rosterHeader.joined(separator: ","))), found \(values.count)", at: at(min(values.count, 5) - 1))
                    return true
                }
                var ok = true
                let id = values[0]
                if id.isEmpty || !CurriculumLoader.isValidID(id) {
                    bag.error(.invalidWorkerID, id.isEmpty ? "the worker id is empty" : "'\(id)' is not a valid worker id: use letters, digits, '-' and '_'", at: at(0))
                    ok = false
                } else if let existing = cohort.workerIndex[id] {
                    bag.error(.duplicateWorker, "duplicate worker '\(id)'", at: at(0),
                              notes: [.init("first listed here", at: SourceLocation(file: display, line: cohort.workers[existing].line, column: 1))])
                    ok = false
                }
                if values[1].trimmed().isEmpty {
                    bag.error(.missingValue, "the name of worker '\(id)' is empty", at: at(1))
                    ok = false
                }
                let status = RosterStatus(rawValue: values[3])
                if status == nil {
                    bag.error(.unknownRosterStatus, "unknown status '\(values[3])'; expected active, reserve or withdrawn", at: at(3))
                    ok = false
                }
                let joined = RowRules.date(values[4], at: at(4), what: "joining date", into: &bag)
                guard ok, let status, let joined else { return true }
                let end = scanner.position
                cohort.workerIndex[id] = cohort.workers.count
                cohort.workers.append(Worker(id: id, name: values[1], site: values[2], status: status, joined: joined,
                                             line: scanner.recordLine, byteRange: scanner.recordStart..<end))
                return true
            }
        }
        if !sawHeader {
            bag.error(.rosterHeader, "roster.csv is empty; it needs the header '\(rosterHeader.joined(separator: ","))'", at: SourceLocation(file: display, line: 1, column: 1))
        }
    }

    // MARK: - erasures.csv

    static let erasuresHeader = ["date", "worker", "rows", "highest-id", "reason", "by"]

    static func loadErasures(_ cohort: inout Cohort, bag: inout DiagnosticBag) {
        guard let bytes = try? FileSystem.readBytes(cohort.erasuresPath) else { return }
        let display = FileSystem.join(cohort.displayPath, "erasures.csv")
        switch CSV.parse(bytes) {
        case .failure(let e):
            bag.error(.csvSyntax, e.message, at: SourceLocation(file: display, line: e.line, column: e.column))
        case .success(let records):
            for r in records.dropFirst() {
                guard r.fields.count == erasuresHeader.count else {
                    bag.error(.malformedRow, "expected \(erasuresHeader.count) fields (\(erasuresHeader.joined(separator: ",")))", at: SourceLocation(file: display, line: r.line, column: 1))
                    continue
                }
                let n = RowID.number(r.fields[3]) ?? 0
                cohort.highestErasedNumber = max(cohort.highestErasedNumber, n)
            }
        }
    }

    // MARK: - records.csv

    static func loadLedger(_ cohort: inout Cohort, today: ISODate, bag: inout DiagnosticBag) {
        guard let bytes = try? FileSystem.readBytes(cohort.recordsPath), !bytes.isEmpty else {
            cohort.ledger.workerStart = Array(repeating: 0, count: cohort.workers.count + 1)
            return
        }
        var ledger = Ledger()
        ledger.exists = true
        let display = cohort.recordsDisplay
        // Rows keep offsets and line numbers in 32 bits.
        guard bytes.count <= Int(Int32.max) else {
            bag.error(.fileTooLarge, "records.csv is larger than 2 GiB; split the cohort", at: SourceLocation(file: display, line: 1, column: 1))
            cohort.ledger.workerStart = Array(repeating: 0, count: cohort.workers.count + 1)
            return
        }
        let rules = RowRules(cohort: cohort, today: today)
        var rows: [LedgerRow] = []
        rows.reserveCapacity(bytes.count / 48)
        let workerTable = ByteKeyTable(cohort.workers.map(\.id))
        let itemTable = ByteKeyTable(cohort.catalog.ids)
        let joined = cohort.workers.map(\.joined.dayNumber)
        let todayDay = today.dayNumber
        let kinds = cohort.catalog.kinds
        let localSite = cohort.catalog.localSite
        let edition = cohort.info.edition
        // Rows whose values are fine but whose id is out of order are kept out of the ledger.
        var sawHeader = false
        var previousNumber = 0
        var previousLine = 0
        bytes.withUnsafeBufferPointer { buffer in
            ledger.crlf = CSVScanner.usesCRLF(buffer)
            CSVScanner.scan(buffer, display: display, into: &bag) { scanner, outcome, bag in
                if outcome == .torn {
                    if buffer[scanner.recordStart...].contains(10) {
                        bag.error(.csvSyntax, "a quoted field is not closed", at: SourceLocation(file: display, line: scanner.recordLine, column: 1))
                    } else if !sawHeader && scanner.recordStart == 0 && LedgerColumn.header.utf8.starts(with: buffer[scanner.recordStart...]) {
                        // A header cut short: the next writer writes it again.
                        ledger.tornOffset = scanner.recordStart
                        sawHeader = true
                    } else {
                        ledger.tornOffset = scanner.recordStart
                        bag.warning(.tornAppend, "the last line has no line break: an append was interrupted; the row is ignored and the next 'kitbag record' removes it",
                                    at: SourceLocation(file: display, line: scanner.recordLine, column: 1))
                    }
                    return false
                }
                let fields = scanner.fields
                func at(_ c: LedgerColumn) -> SourceLocation {
                    let k = min(c.rawValue, fields.count - 1)
                    return SourceLocation(file: display, line: fields[k].line, column: scanner.column(of: fields[k]))
                }
                if !sawHeader {
                    sawHeader = true
                    if fields.map({ scanner.string($0) }).joined(separator: ",") != LedgerColumn.header {
                        bag.error(.ledgerHeader, "records.csv must start with the header '\(LedgerColumn.header)'", at: at(.id))
                        return false
                    }
                    ledger.hasHeader = true
                    return true
                }
                // The fast path: a well-formed row is read straight from the bytes. Anything it
                // does not accept goes the slow way, which names the problem.
                if fields.count == 7, let n = scanner.rowNumber(fields[0]), n > previousNumber,
                   let day = scanner.day(fields[1]), day <= todayDay,
                   let w = workerTable.index(buffer, fields[2].start, fields[2].end), !fields[2].quoted, day >= joined[w],
                   let event = scanner.event(fields[4]) {
                    let noteEmpty = fields[6].end == fields[6].start
                    var item: Int?
                    if event == .void {
                        if !noteEmpty { item = scanner.rowNumber(fields[3]) }
                    } else if !fields[3].quoted, let i = itemTable.index(buffer, fields[3].start, fields[3].end),
                              kinds[i] == event.itemKind, !(event == .waived && noteEmpty),
                              localSite[i] == nil || localSite[i] == edition {
                        item = i
                    }
                    if let item {
                        previousNumber = n
                        previousLine = scanner.recordLine
                        let by = fields[5], note = fields[6]
                        rows.append(LedgerRow(number: n, day: Int32(day), worker: Int32(w), item: Int32(item), event: event,
                                              line: Int32(scanner.recordLine),
                                              by: TextRef(start: Int32(by.start), end: Int32(by.end), quoted: by.quoted),
                                              note: TextRef(start: Int32(note.start), end: Int32(note.end), quoted: note.quoted)))
                        return true
                    }
                }
                guard fields.count == 7 else {
                    bag.error(.malformedRow, "expected 7 fields (\(LedgerColumn.header)), found \(fields.count)",
                              at: SourceLocation(file: display, line: scanner.recordLine, column: 1))
                    return true
                }
                let idText = scanner.string(fields[0])
                var idOK = true
                if let n = RowID.number(idText) {
                    if n <= previousNumber {
                        let word = n == previousNumber ? "duplicate row id" : "row id"
                        bag.error(n == previousNumber ? .duplicateRecordID : .recordIDOrder,
                                  "\(word) '\(idText)' is not above the previous row's '\(RowID.text(previousNumber))'; ids only grow",
                                  at: at(.id), notes: [.init("previous row", at: SourceLocation(file: display, line: previousLine, column: 1))])
                        idOK = false
                    } else {
                        previousNumber = n
                        previousLine = scanner.recordLine
                    }
                } else {
                    bag.error(.invalidRecordID, "row id '\(idText)' \(RowID.problem(idText))", at: at(.id))
                    idOK = false
                }
                let noteEmpty = fields[6].end == fields[6].start
                guard let decoded = rules.decode(date: scanner.string(fields[1]), worker: scanner.string(fields[2]),
                                                 item: scanner.string(fields[3]), event: scanner.string(fields[4]),
                                                 note: nil, noteIsEmpty: noteEmpty, at: at, into: &bag), idOK else { return true }
                let by = fields[5], note = fields[6]
                rows.append(LedgerRow(number: previousNumber, day: Int32(decoded.day), worker: Int32(decoded.worker),
                                      item: Int32(decoded.item), event: decoded.event, line: Int32(scanner.recordLine),
                                      by: TextRef(start: Int32(by.start), end: Int32(by.end), quoted: by.quoted),
                                      note: TextRef(start: Int32(note.start), end: Int32(note.end), quoted: note.quoted)))
                return true
            }
        }
        if !sawHeader && ledger.tornOffset == nil {
            bag.error(.ledgerHeader, "records.csv is empty; it needs the header '\(LedgerColumn.header)'", at: SourceLocation(file: display, line: 1, column: 1))
        }
        ledger.highestNumber = previousNumber
        ledger.bytes = bytes
        ledger.rows = rows
        index(&ledger, workers: cohort.workers.count)
        checkVoidsAndDuplicates(&ledger, cohort: cohort, display: display, bag: &bag)
        cohort.ledger = ledger
    }

    /// Groups rows by worker (a counting sort: no per-worker arrays).
    static func index(_ ledger: inout Ledger, workers: Int) {
        var start = [Int](repeating: 0, count: workers + 1)
        for row in ledger.rows { start[Int(row.worker) + 1] += 1 }
        for w in 0..<workers { start[w + 1] += start[w] }
        var fill = start
        var order = [Int32](repeating: 0, count: ledger.rows.count)
        for (i, row) in ledger.rows.enumerated() {
            let w = Int(row.worker)
            order[fill[w]] = Int32(i)
            fill[w] += 1
        }
        ledger.workerStart = start
        ledger.workerRows = order
        ledger.voided = [Bool](repeating: false, count: ledger.rows.count)
    }

    /// Resolves `void` rows (marking the rows they cancel) and finds duplicate rows.
    static func checkVoidsAndDuplicates(_ ledger: inout Ledger, cohort: Cohort, display: String, bag: inout DiagnosticBag) {
        for i in ledger.rows.indices where ledger.rows[i].event == .void {
            let row = ledger.rows[i]
            let at = SourceLocation(file: display, line: Int(row.line), column: 1)
            let targetText = RowID.text(Int(row.item))
            guard let t = ledger.index(ofNumber: Int(row.item)), t < i else {
                bag.error(.unknownVoidTarget, "void row '\(row.idText)' cancels '\(targetText)', which is not an earlier row", at: at)
                ledger.rows[i].item = -1
                continue
            }
            let target = ledger.rows[t]
            if target.event == .void {
                bag.error(.voidOfVoid, "void row '\(row.idText)' cancels '\(targetText)', which is itself a void; record the entry again instead", at: at)
                ledger.rows[i].item = -1
            } else if ledger.voided[t] {
                bag.error(.alreadyVoided, "row '\(targetText)' is voided twice", at: at)
                ledger.rows[i].item = -1
            } else if target.worker != row.worker {
                bag.error(.voidWorkerMismatch, "void row '\(row.idText)' names worker '\(cohort.workers[Int(row.worker)].id)', but '\(targetText)' is for '\(cohort.workers[Int(target.worker)].id)'", at: at)
                ledger.rows[i].item = -1
            } else {
                ledger.voided[t] = true
                ledger.rows[i].item = Int32(t)
            }
        }
        // Duplicates: same worker, item, event and date, neither voided. Per worker rows are
        // few: sort their keys and compare neighbours.
        var keys: [(key: Int, row: Int32)] = []
        for w in 0..<cohort.workers.count {
            keys.removeAll(keepingCapacity: true)
            for r in ledger.rows(ofWorker: w) {
                let row = ledger.rows[Int(r)]
                guard row.event != .void, !ledger.voided[Int(r)] else { continue }
                keys.append(((Int(row.item) << 40) | (Int(row.event.rawValue) << 32) | Int(UInt32(bitPattern: row.day)), r))
            }
            guard keys.count > 1 else { continue }
            keys.sort { ($0.key, $0.row) < ($1.key, $1.row) }
            for k in 1..<keys.count where keys[k].key == keys[k - 1].key {
                var first = k - 1
                while first > 0 && keys[first - 1].key == keys[k].key { first -= 1 }
                let row = ledger.rows[Int(keys[k].row)], f = ledger.rows[Int(keys[first].row)]
                bag.error(.duplicateRecord, "row '\(row.idText)' repeats '\(f.idText)': same worker, item, event and date; void one of them",
                          at: SourceLocation(file: display, line: Int(row.line), column: 1),
                          notes: [.init("first recorded here", at: SourceLocation(file: display, line: Int(f.line), column: 1))])
            }
        }
    }
}
