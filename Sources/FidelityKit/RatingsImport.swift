import CurriculumKit
import KitbagCore

/// `kitbag fidelity import SHEET`: rows with the ledger's columns except `id`, in any order.
public enum RatingsImport {
    static let columns = RatingColumn.allCases.filter { $0 != .id }

    /// One rating from its column values (for `fidelity record`), checked by the rules every row obeys.
    public static func decode(_ value: (RatingColumn) -> String, at: (RatingColumn) -> SourceLocation?,
                              context: FidelityContext, into bag: inout DiagnosticBag) -> Rating? {
        RatingRules.decode(value, at: at, line: 0, context: context, into: &bag)
    }

    /// The header names a sheet may use for each column, compared in any case with spaces,
    /// `_` or `-` between words (`Respondent_Kind`, `RATER`).
    static let synonyms: [RatingColumn: [String]] = [
        .date: ["date", "interview date", "date of interview"],
        .site: ["site", "site id"],
        .round: ["round", "round number", "wave"],
        .respondentKind: ["respondent kind", "respondent type", "respondent role", "kind"],
        .respondent: ["respondent", "respondent id", "pseudonym", "interviewee"],
        .item: ["item", "item id", "question"],
        .rater: ["rater", "rated by", "rater id"],
        .score: ["score", "rating"],
        .note: ["note", "notes", "comment", "comments"],
    ]

    /// Reads and checks every row of the sheet; rows with a problem are reported in `bag` at
    /// their cell (`sheet.csv:4:F`) and left out (the writer then appends nothing). Sites,
    /// respondent kinds and item ids are matched in any case and written as the project
    /// spells them.
    public static func rows(_ bytes: [UInt8], display: String, context c: FidelityContext, into bag: inout DiagnosticBag) -> [PendingRating] {
        let sheet = Sheet(bytes, display: display, into: &bag)
        guard let header = sheet.header else {
            if !bag.hasErrors { bag.error(.emptyImport, "the sheet has no rows to import", at: SourceLocation(file: display, line: 1, column: 1)) }
            return []
        }
        var map: [RatingColumn: Int] = [:]
        let known = columns.flatMap { synonyms[$0] ?? [] }
        for (k, name) in header.cells.enumerated() where !name.isEmpty {
            let key = SheetHeader.normalized(name)
            if key == "id" {
                bag.error(.importHeader, "an import sheet has no 'id' column: kitbag gives each row its id", at: sheet.cell(header, k))
            } else if let column = columns.first(where: { synonyms[$0]?.contains(key) == true }) {
                if map[column] != nil {
                    bag.error(.importHeader, "column '\(name)' gives the \(column.name) a second time", at: sheet.cell(header, k))
                }
                map[column] = k
            } else {
                var notes: [Diagnostic.Note] = []
                if let guess = DidYouMean.closest(to: key, in: known) { notes.append(.init("did you mean '\(guess)'?")) }
                bag.error(.importHeader, "unknown column '\(name)'; the columns are \(columns.map(\.name).joined(separator: ","))", at: sheet.cell(header, k), notes: notes)
            }
        }
        for column in columns where map[column] == nil && column != .note {
            bag.error(.importHeader, "the header has no '\(column.name)' column; the columns are \(columns.map(\.name).joined(separator: ","))", at: sheet.cell(header, 0))
        }
        if bag.hasErrors { return [] }
        if sheet.rows.isEmpty {
            bag.error(.emptyImport, "the sheet has no rows to import", at: SourceLocation(file: display, line: header.number, column: 1))
            return []
        }
        func canonical(_ text: String, in names: [String]) -> String {
            let key = SheetHeader.normalized(text)
            return names.first { SheetHeader.normalized($0) == key } ?? text
        }
        let items = c.curriculum.fidelityItems.map(\.info.id)
        var result: [PendingRating] = []
        for row in sheet.rows {
            let widest = map.values.max() ?? 0
            if row.cells.count > widest + 1, row.cells[(widest + 1)...].contains(where: { !$0.isEmpty }) {
                bag.error(.malformedRow, "row \(row.number) has cells beyond the sheet's columns", at: sheet.cell(row, widest + 1))
                continue
            }
            let value = { (column: RatingColumn) -> String in
                guard let k = map[column], k < row.cells.count else { return "" }
                let text = row.cells[k]
                switch column {
                case .site: return canonical(text, in: c.sites)
                case .respondentKind: return canonical(text, in: c.instrument.respondentKinds)
                case .item: return canonical(text, in: items)
                default: return text
                }
            }
            let at = { (column: RatingColumn) in sheet.cell(row, map[column] ?? 0) }
            guard let rating = RatingRules.decode(value, at: at, line: 0, context: c, into: &bag) else { continue }
            result.append(PendingRating(rating: rating, location: SourceLocation(file: display, line: row.number, column: 1)))
        }
        return result
    }
}
