// The decision log: `Proposals/decisions.csv`, one row per decided suggestion.
//
// Stable API (the handbook compiler's `{changes}` directive reads it):
//
//     let (decisions, diagnostics) = DecisionLog.load(paths)
//     for d in decisions where d.isAccepted { d.date, d.group, d.round, d.target, d.summary, d.reason ... }
//
// Columns, in this order when kitbag writes the file (RFC 4180, header row, LF):
//
//     date,proposal,suggestion,decision,category,reason,group,round,by,target,summary
//
// - `date`: ISO `YYYY-MM-DD`, the day of the decision.
// - `proposal`: the proposal file, project-relative (`Proposals/2026-05-sussex-lag-r1-ward.md`).
// - `suggestion`: the suggestion's number in that file (1, 2, ...).
// - `decision`: `accepted` or `rejected`.
// - `category`: for an acceptance `accepted` or `accepted-with-changes`; for a rejection
//   `out-of-scope`, `conflicts-with-principle`, `not-supported-by-evidence`, `already-covered` or
//   `other`. Empty or absent (older logs) reads as `accepted` / `other`.
// - `reason`: free text (required for rejections).
// - `group`, `round`: who proposed it and in which review round (round may be empty).
// - `by`: who decided.
// - `target`: what the proposal was about (a chapter, section or curriculum item ID, or a chapter path).
// - `summary`: a one-line description of the change ("replace 'weekly' with 'twice a week'").
//
// The first eight columns without `category` are required; `category`, `target` and `summary` may
// be absent in older files. kitbag only ever appends rows; the one exception is a log without a
// `category` column, which the next append brings up to date (old rows get an empty category). Cells that start with `=`, `+`,
// `-` or `@` are written with a leading `'` (spreadsheet formula injection) and read back without it.

/// One decision about one suggestion of one proposal.
public struct Decision: Hashable, Sendable {
    public var date: ISODate
    /// Project-relative path of the proposal file.
    public var proposal: String
    /// The suggestion's number within the proposal (1-based, file order).
    public var suggestion: Int
    /// `accepted` or `rejected`.
    public var decision: String
    /// Why, in one word: see `DecisionLog.acceptCategories` and `rejectCategories`.
    public var category: String
    public var reason: String
    public var group: String
    public var round: Int?
    public var by: String
    public var target: String?
    public var summary: String?
    /// Where the row is in `decisions.csv` (nil for a decision not yet written).
    public var location: SourceLocation?

    public init(date: ISODate, proposal: String, suggestion: Int, decision: String, category: String? = nil, reason: String, group: String,
                round: Int?, by: String, target: String? = nil, summary: String? = nil, location: SourceLocation? = nil) {
        self.date = date
        self.proposal = proposal
        self.suggestion = suggestion
        self.decision = decision
        self.category = category ?? (decision == DecisionLog.accepted ? "accepted" : "other")
        self.reason = reason
        self.group = group
        self.round = round
        self.by = by
        self.target = target
        self.summary = summary
        self.location = location
    }

    /// Whether the suggestion was accepted.
    public var isAccepted: Bool { decision == DecisionLog.accepted }
}

/// Reads and appends `Proposals/decisions.csv`.
public enum DecisionLog {
    /// The project-relative path of the log.
    public static let relativePath = "Proposals/decisions.csv"
    /// Every column, in the order kitbag writes them.
    public static let columns = ["date", "proposal", "suggestion", "decision", "category", "reason", "group", "round", "by", "target", "summary"]
    /// Categories of an acceptance; the first is the default.
    public static let acceptCategories = ["accepted", "accepted-with-changes"]
    /// Categories of a rejection; the last is the default.
    public static let rejectCategories = ["out-of-scope", "conflicts-with-principle", "not-supported-by-evidence", "already-covered", "other"]
    /// Columns a log must have.
    public static let requiredColumns = ["date", "proposal", "suggestion", "decision", "reason", "group", "round", "by"]
    public static let accepted = "accepted"
    public static let rejected = "rejected"

    /// The header line kitbag writes.
    public static var header: String { CSV.line(columns) }

    /// Every decision in file order, and a diagnostic for every malformed row. A missing log is empty.
    public static func load(_ paths: ProjectPaths) -> ([Decision], [Diagnostic]) {
        guard let bytes = try? FileSystem.readBytes(paths.path(relativePath)) else { return ([], []) }
        return parse(bytes, displayPath: paths.display(relativePath))
    }

    /// Parses the bytes of a log shown as `displayPath`.
    public static func parse(_ bytes: [UInt8], displayPath: String) -> ([Decision], [Diagnostic]) {
        var bag = DiagnosticBag()
        guard let table = CSVTable(bytes, display: displayPath, what: "the decision log", columns: columns, required: requiredColumns, into: &bag) else {
            return ([], bag.all)
        }
        let head = table.header
        var decisions: [Decision] = []
        var seen: [String: SourceLocation] = [:]
        for record in table.rows {
            let here = table.location(record)
            let at = { (name: String) in table.location(record, name) }
            if record.unterminated {
                bag.warning(.tornRow, "the last row has no line end; it may be an interrupted write", at: here)
            }
            func field(_ name: String) -> String { unneutralised(table.field(name, of: record)) }
            if record.fields.count != head.fields.count {
                bag.error(.csvFieldCount, "row has \(record.fields.count) fields, the header has \(head.fields.count)", at: here)
                continue
            }
            var ok = true
            let dateText = field("date")
            let date = ISODate(dateText)
            if date == nil {
                let hint = ISODate.looksLikeDayMonthYear(dateText) ? " (a DD/MM/YYYY date from a spreadsheet; write YYYY-MM-DD)" : ""
                bag.error(.invalidDate, "invalid date '\(dateText)'\(hint)", at: at("date"))
                ok = false
            }
            let proposal = field("proposal")
            if proposal.isEmpty {
                bag.error(.missingValue, "a decision needs a proposal", at: at("proposal"))
                ok = false
            }
            let numberText = field("suggestion")
            let number = Int(numberText).flatMap { (1...9_999).contains($0) ? $0 : nil }
            if number == nil {
                bag.error(.invalidNumber, "suggestion must be a number from 1 to 9999, found '\(numberText)'", at: at("suggestion"))
                ok = false
            }
            let decision = field("decision")
            if decision != accepted && decision != rejected {
                bag.error(.invalidDecision, "decision must be 'accepted' or 'rejected', found '\(decision)'", at: at("decision"))
                ok = false
            }
            var category = field("category")
            if category.isEmpty { category = decision == accepted ? "accepted" : "other" }
            let allowed = decision == accepted ? acceptCategories : rejectCategories
            if ok, !allowed.contains(category) {
                var notes: [Diagnostic.Note] = [.init("categories for '\(decision)': \(allowed.joined(separator: ", "))")]
                if let guess = DidYouMean.closest(to: category, in: allowed) { notes.insert(.init("did you mean '\(guess)'?"), at: 0) }
                bag.error(.invalidCategory, "'\(category)' is not a category of \(decision) decisions", at: at("category"), notes: notes)
                ok = false
            }
            let roundText = field("round")
            var round: Int?
            if !roundText.isEmpty {
                round = Int(roundText).flatMap { (1...999).contains($0) ? $0 : nil }
                if round == nil {
                    bag.error(.invalidNumber, "round must be a number from 1 to 999, found '\(roundText)'", at: at("round"))
                    ok = false
                }
            }
            guard ok, let date, let number else { continue }
            let key = "\(proposal)#\(number)"
            if let first = seen[key] {
                bag.warning(.duplicateDecision, "suggestion \(number) of '\(proposal)' is decided more than once; the first decision stands",
                            at: here, notes: [.init("first decided here", at: first)])
                continue
            }
            seen[key] = here
            let target = field("target"), summary = field("summary")
            decisions.append(Decision(date: date, proposal: proposal, suggestion: number, decision: decision, category: category,
                                      reason: field("reason"), group: field("group"), round: round, by: field("by"),
                                      target: target.isEmpty ? nil : target, summary: summary.isEmpty ? nil : summary,
                                      location: here))
        }
        return (decisions, bag.all)
    }

    /// The CSV line for one decision (LF-terminated, formula cells neutralised).
    public static func line(_ d: Decision, columns names: [String] = columns) -> String {
        let values: [String: String] = [
            "date": d.date.description, "proposal": d.proposal, "suggestion": String(d.suggestion), "decision": d.decision,
            "category": d.category, "reason": d.reason, "group": d.group, "round": d.round.map(String.init) ?? "", "by": d.by,
            "target": d.target ?? "", "summary": d.summary ?? "",
        ]
        return CSV.line(names.map { values[$0] ?? "" }, neutralise: true)
    }

    /// Appends decisions to the log (creating it with a header), by an atomic replace of the file.
    /// Callers serialise the read-check-append sequence (kitbag locks the `Proposals/` directory).
    public static func append(_ decisions: [Decision], to paths: ProjectPaths) throws(FileError) {
        guard !decisions.isEmpty else { return }
        let path = paths.path(relativePath)
        var bytes = (try? FileSystem.readBytes(path)) ?? []
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D }) { bytes = Array(header.utf8) }
        bytes = upgraded(bytes)
        if let last = bytes.last, last != UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\n")) }
        // Rows follow the file's own header (a log kitbag could not bring up to date keeps its columns).
        var names = columns
        if case .success(let records) = CSV.parse(bytes), let head = records.first { names = head.fields.map { $0.trimmed() } }
        for d in decisions { bytes.append(contentsOf: line(d, columns: names).utf8) }
        try FileSystem.makeDirectories(paths.proposals)
        try FileSystem.writeAtomically(bytes, to: path)
    }

    /// A log whose header is not kitbag's current one, rewritten with the current columns (cells
    /// kept as written; a missing column is empty). Other logs are returned as they are.
    static func upgraded(_ bytes: [UInt8]) -> [UInt8] {
        guard case .success(let records) = CSV.parse(bytes), let head = records.first else { return bytes }
        let names = head.fields.map { $0.trimmed() }
        guard names != columns, columns.allSatisfy({ names.contains($0) }) == false,
              requiredColumns.allSatisfy({ names.contains($0) }), Set(names).isSubset(of: Set(columns)),
              records.dropFirst().allSatisfy({ $0.fields.count == names.count && !$0.unterminated }) else { return bytes }
        var out = header
        for record in records.dropFirst() {
            var row: [String: String] = [:]
            for (name, value) in zip(names, record.fields) { row[name] = value }
            out += CSV.line(columns.map { row[$0] ?? "" })
        }
        return Array(out.utf8)
    }

    /// A cell as written, without the `'` that neutralised a formula.
    static func unneutralised(_ field: String) -> String {
        let scalars = Array(field.unicodeScalars.prefix(2))
        if scalars.count == 2, scalars[0] == "'", "=+-@\t\r".unicodeScalars.contains(scalars[1]) {
            return String(field.unicodeScalars.dropFirst())
        }
        return field
    }
}
