import CurriculumKit
import KitbagCore

/// The columns of `records.csv`, in order.
public enum LedgerColumn: Int, Sendable, CaseIterable {
    case id, date, worker, item, event, by, note

    public var name: String {
        switch self {
        case .id: "id"
        case .date: "date"
        case .worker: "worker"
        case .item: "item"
        case .event: "event"
        case .by: "by"
        case .note: "note"
        }
    }

    /// The header line of records.csv.
    public static let header = "id,date,worker,item,event,by,note"
}

/// A row's values once checked against the roster and the curriculum.
struct DecodedRow {
    var day: Int
    var worker: Int
    var event: LedgerEvent
    /// Catalog index, or for a `void` the number of the row it cancels.
    var item: Int
}

/// The rules every ledger row obeys, whether it is already in `records.csv`, comes from
/// `record import`, or from `record` arguments. One place, so the three agree.
struct RowRules {
    let cohort: Cohort
    let today: ISODate

    /// Checks a date field: ISO only, with a clear word for spreadsheet dates.
    static func date(_ text: String, at location: SourceLocation?, what: String = "date", into bag: inout DiagnosticBag) -> ISODate? {
        if let d = ISODate(text) { return d }
        if ISODate.looksLikeDayMonthYear(text) {
            let parts = text.split(separator: "/")
            var hint = ""
            if parts.count == 3, let d = Int(parts[0]), let m = Int(parts[1]), let y = Int(parts[2]),
               let iso = ISODate(year: y, month: m, day: d) {
                hint = "; write it as '\(iso)'"
            }
            bag.error(.spreadsheetDate, "\(what) '\(text)' looks like a spreadsheet's DD/MM/YYYY date; kitbag takes only YYYY-MM-DD\(hint)", at: location)
        } else if text.isEmpty {
            bag.error(.invalidDate, "the \(what) is empty; expected YYYY-MM-DD", at: location)
        } else {
            bag.error(.invalidDate, "\(what) '\(text)' is not a valid YYYY-MM-DD date", at: location)
        }
        return nil
    }

    /// Checks the values of one row (not its id, not duplicates or voids: those need the
    /// whole ledger). Returns nil when the row is unusable.
    func decode(date dateText: String, worker workerText: String, item itemText: String, event eventText: String,
                note: String?, noteIsEmpty: Bool, at: (LedgerColumn) -> SourceLocation?, into bag: inout DiagnosticBag) -> DecodedRow? {
        var ok = true
        let date = RowRules.date(dateText, at: at(.date), into: &bag)
        if date == nil { ok = false }
        var worker: Int?
        if let w = cohort.workerIndex[workerText] {
            worker = w
        } else {
            ok = false
            var notes: [Diagnostic.Note] = []
            if let guess = DidYouMean.closest(to: workerText, in: cohort.workers.map(\.id)) {
                notes.append(.init("did you mean '\(guess)'?"))
            }
            let message = workerText.isEmpty ? "the worker is empty" : "unknown worker '\(workerText)': not in \(cohort.rosterDisplay)"
            bag.error(.unknownWorker, message, at: at(.worker), notes: notes)
        }
        guard let event = LedgerEvent(name: eventText) else {
            var notes: [Diagnostic.Note] = [.init("events: \(LedgerEvent.allCases.map(\.name).joined(separator: ", "))")]
            if let guess = DidYouMean.closest(to: eventText, in: LedgerEvent.allCases.map(\.name)) {
                notes.insert(.init("did you mean '\(guess)'?"), at: 0)
            }
            bag.error(.unknownEvent, "unknown event '\(eventText)'", at: at(.event), notes: notes)
            return nil
        }
        var item = -1
        if event == .void {
            if let n = RowID.number(itemText) {
                item = n
            } else {
                if RowID.isOutOfRange(itemText) {
                    bag.error(.unknownVoidTarget, "a void row names the row it cancels in 'item'; '\(itemText)' \(RowID.problem(itemText))", at: at(.item))
                } else {
                    bag.error(.unknownVoidTarget, "a void row names the row it cancels in 'item', like 'R000012'; found '\(itemText)'", at: at(.item))
                }
                ok = false
            }
            if noteIsEmpty {
                bag.error(.missingNote, "a void row needs the reason in 'note'", at: at(.note))
                ok = false
            }
        } else if let i = cohort.catalog.index[itemText] {
            item = i
            let kind = cohort.catalog.kinds[i]
            if let wanted = event.itemKind, wanted != kind {
                let verbs = wanted == .module ? "attended, absent and waived" : "passed and failed"
                bag.error(.wrongItemKind, "'\(event.name)' is recorded for \(wanted.article), but '\(itemText)' is \(kind.article)",
                          at: at(.event), notes: [.init("\(verbs) are for \(wanted == .module ? "modules" : "assessments")")])
                ok = false
            }
            if event == .waived && noteIsEmpty {
                bag.error(.missingNote, "a waiver needs a note that says why the module is waived", at: at(.note))
                ok = false
            }
            if let site = cohort.catalog.localSite[i], site != cohort.info.edition {
                bag.error(.localModuleOutsideEdition, localModuleMessage(i, site: site), at: at(.item), notes: [localModuleNote(i, site: site)])
                ok = false
            }
        } else {
            var notes: [Diagnostic.Note] = []
            if let guess = DidYouMean.closest(to: itemText, in: cohort.catalog.ids) { notes.append(.init("did you mean '\(guess)'?")) }
            let message = itemText.isEmpty ? "the item is empty" : "unknown item '\(itemText)': not a module or assessment in the curriculum"
            bag.error(.unknownItem, message, at: at(.item), notes: notes)
            ok = false
        }
        if let date {
            if date > today {
                bag.error(.futureDate, "date '\(date)' is in the future (today is \(today))", at: at(.date))
                ok = false
            }
            if let w = worker, date < cohort.workers[w].joined {
                bag.error(.dateBeforeJoining, "date '\(date)' is before '\(workerText)' joined the cohort on \(cohort.workers[w].joined)",
                          at: at(.date), notes: [.init("joined on \(cohort.workers[w].joined)", at: SourceLocation(file: cohort.rosterDisplay, line: cohort.workers[w].line, column: 1))])
                ok = false
            }
        }
        guard ok, let date, let worker else { return nil }
        return DecodedRow(day: date.dayNumber, worker: worker, event: event, item: item)
    }

    /// Why a cohort may not record local module `i` of `site`: it trains with no edition, or another's.
    func localModuleMessage(_ i: Int, site: String) -> String {
        let catalog = cohort.catalog
        let programme = catalog.standsInFor[i].map { catalog.ids[$0] } ?? "a programme module"
        let file = catalog.localFile[i].map { " (\($0))" } ?? ""
        let cohortSide = cohort.info.edition.map { "this cohort trains with the \($0) edition" } ?? "this cohort names no edition"
        return "'\(catalog.ids[i])' is the local module of the \(site) edition\(file), standing in for \(programme); \(cohortSide)"
    }

    func localModuleNote(_ i: Int, site: String) -> Diagnostic.Note {
        let programme = cohort.catalog.standsInFor[i].map { cohort.catalog.ids[$0] } ?? "the programme module"
        let cohortFile = FileSystem.join(cohort.displayPath, "cohort.md")
        return cohort.info.edition == nil
            ? .init("a cohort of that site says so with 'edition: \(site)' in \(cohortFile); otherwise record \(programme)")
            : .init("record \(programme), or the local module of the \(cohort.info.edition ?? "") edition that stands in for it")
    }
}

/// Public checks of ledger text, for the command line.
public enum LedgerSyntax {
    /// Checks a date, adding a diagnostic (with the spreadsheet hint) when it is not YYYY-MM-DD.
    public static func checkDate(_ text: String, into bag: inout DiagnosticBag) -> ISODate? {
        RowRules.date(text, at: nil, into: &bag)
    }
}
