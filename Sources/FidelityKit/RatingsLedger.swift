import CurriculumKit
import KitbagCore

/// `Fidelity/ratings.csv` as read: the rows that parse and pass the rules, which of them are
/// voided, and what an append needs (a torn tail, the line ending, the next id).
public struct RatingsLedger: Sendable {
    public var rows: [Rating] = []
    /// Per row: whether a later void cancels it.
    public var voided: [Bool] = []
    public var exists = false
    public var hasHeader = false
    public var crlf = false
    /// Where a torn last line starts, when there is one.
    public var tornOffset: Int?
    public var bytes: [UInt8] = []
    /// How the file is shown in messages.
    public var display: String
    /// The id the next row gets.
    public var nextNumber = 1

    /// The live ratings: not voids, not voided.
    public var live: [Rating] {
        rows.indices.filter { !rows[$0].isVoid && !voided[$0] }.map { rows[$0] }
    }

    public static let folder = "Fidelity"
    public static let file = "Fidelity/ratings.csv"

    /// Reads and checks the ledger under `paths` (a missing file is an empty ledger).
    public static func load(_ paths: ProjectPaths, context: FidelityContext) -> (RatingsLedger, [Diagnostic]) {
        let display = paths.display(file)
        let path = paths.path(file)
        guard FileSystem.exists(path) else { return (RatingsLedger(display: display), []) }
        do {
            let bytes = try FileSystem.readBytes(path)
            return parse(bytes, display: display, context: context)
        } catch {
            return (RatingsLedger(display: display), [.error(.missingFile, "\(error)", at: SourceLocation(file: display, line: 1, column: 1))])
        }
    }

    /// Parses ledger bytes; never traps, whatever the bytes.
    public static func parse(_ bytes: [UInt8], display: String, context: FidelityContext) -> (RatingsLedger, [Diagnostic]) {
        var ledger = RatingsLedger(display: display)
        ledger.exists = true
        ledger.bytes = bytes
        var bag = DiagnosticBag()
        var locations: [SourceLocation?] = []
        let header = RatingColumn.allCases.map(\.name)
        bytes.withUnsafeBufferPointer { buffer in
            ledger.crlf = CSVScanner.usesCRLF(buffer)
            CSVScanner.scan(buffer, display: display, into: &bag) { scanner, outcome, bag in
                if outcome == .torn {
                    // An append that was cut short: the row is ignored and the next append removes it.
                    ledger.tornOffset = scanner.recordStart
                    bag.warning(.tornAppend, "the last line has no line break: an append was interrupted; the row is ignored and the next 'kitbag fidelity record' removes it",
                                at: SourceLocation(file: display, line: scanner.recordLine, column: 1))
                    return false
                }
                let fields = scanner.fields
                let values = fields.map { scanner.string($0) }
                let line = scanner.recordLine
                if scanner.recordsScanned == 1 {
                    if values == header { ledger.hasHeader = true; return true }
                    bag.error(.ledgerHeader, "the first line must be the header '\(RatingColumn.header)'", at: SourceLocation(file: display, line: line, column: 1))
                    if values.first.flatMap(RowID.number) == nil { return true }
                }
                guard fields.count == RatingColumn.allCases.count else {
                    bag.error(.malformedRow, "expected \(RatingColumn.allCases.count) fields, found \(fields.count)", at: SourceLocation(file: display, line: line, column: 1))
                    return true
                }
                let at = { [scanner] (c: RatingColumn) in SourceLocation(file: display, line: fields[c.rawValue].line, column: scanner.column(of: fields[c.rawValue])) }
                guard let number = RowID.number(values[0]) else {
                    bag.error(.invalidRecordID, "'\(values[0])' is not a row id (R000001)", at: at(.id))
                    return true
                }
                guard var rating = RatingRules.decode({ values[$0.rawValue] }, at: at, line: line, context: context, into: &bag) else { return true }
                rating.number = number
                ledger.rows.append(rating)
                locations.append(SourceLocation(file: display, line: line, column: 1))
                return true
            }
        }
        ledger.voided = RatingRules.audit(ledger.rows, locations: locations, into: &bag)
        ledger.nextNumber = (ledger.rows.map(\.number).max() ?? 0) + 1
        return (ledger, bag.all)
    }
}

/// What an append did.
public struct RatingsAppendOutcome: Sendable {
    /// Ids given to the new rows, in order (empty when rejected).
    public var ids: [String] = []
    /// Errors (nothing was written) and warnings (a torn line removed).
    public var diagnostics: [Diagnostic] = []
    public var succeeded: Bool { !diagnostics.containsErrors }
}

/// A rating to append, before it has an id, with where it came from.
public struct PendingRating: Sendable {
    public var rating: Rating
    /// A row of an import sheet, or nil for the command line.
    public var location: SourceLocation?

    public init(rating: Rating, location: SourceLocation?) {
        self.rating = rating
        self.location = location
    }
}

/// The only code that changes `ratings.csv`: appends under a lock, all rows or none.
public enum RatingsWriter {
    /// Checks `makeRows`' ratings against the ledger as it is on disk and appends them all,
    /// or none. `makeRows` runs under the lock with the freshly loaded ledger.
    public static func append(_ paths: ProjectPaths, context: FidelityContext,
                              _ makeRows: (RatingsLedger, inout DiagnosticBag) -> [PendingRating]) -> RatingsAppendOutcome {
        var outcome = RatingsAppendOutcome()
        let display = paths.display(RatingsLedger.file)
        do {
            try FileSystem.makeDirectories(paths.path(RatingsLedger.folder))
            try FileSystem.withLock(paths.path(RatingsLedger.file + ".lock")) {
                let (ledger, loaded) = RatingsLedger.load(paths, context: context)
                var bag = DiagnosticBag()
                bag.add(contentsOf: loaded.filter { $0.code != .tornAppend })
                if bag.hasErrors {
                    bag.error(.ratingsHaveErrors, "nothing was recorded: fix the errors in \(display) first", at: SourceLocation(file: display, line: 1, column: 1))
                    outcome.diagnostics = bag.all
                    return
                }
                var pending = makeRows(ledger, &bag)
                if pending.count > RowID.maxNumber - ledger.nextNumber + 1 {
                    bag.error(.ledgerFull, "row ids would pass \(RowID.text(RowID.maxNumber)); start a new ratings file", at: SourceLocation(file: display, line: 1, column: 1))
                }
                if bag.hasErrors || pending.isEmpty {
                    outcome.diagnostics = bag.all
                    return
                }
                for k in pending.indices { pending[k].rating.number = ledger.nextNumber + k }
                let rows = ledger.rows + pending.map(\.rating)
                let locations: [SourceLocation?] = ledger.rows.map { SourceLocation(file: display, line: $0.line, column: 1) } + pending.map(\.location)
                _ = RatingRules.audit(rows, locations: locations, checkFrom: ledger.rows.count, into: &bag)
                if bag.hasErrors {
                    outcome.diagnostics = bag.all
                    return
                }
                var text = ledger.hasHeader ? "" : RatingColumn.header + "\n"
                for p in pending { text += p.rating.csvLine }
                if ledger.crlf { text = text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n") }
                if let torn = ledger.tornOffset {
                    let shown = String(decoding: ledger.bytes[torn...].prefix(200), as: UTF8.self)
                    let line = ledger.bytes[..<torn].reduce(1) { $1 == 10 ? $0 + 1 : $0 }
                    bag.warning(.tornAppend, "removed a torn last line left by an interrupted append: '\(shown)'", at: SourceLocation(file: display, line: line, column: 1))
                }
                try AppendOnlyFile.append(Array(text.utf8), to: paths.path(RatingsLedger.file), truncatingTo: ledger.tornOffset)
                outcome.ids = pending.map(\.rating.idText)
                outcome.diagnostics = bag.all
            }
        } catch {
            outcome.diagnostics.append(.error(.writeFailed, "\(error)", at: SourceLocation(file: display, line: 1, column: 1)))
        }
        return outcome
    }
}
