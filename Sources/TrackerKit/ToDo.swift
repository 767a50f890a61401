import CurriculumKit
import KitbagCore

/// `track outstanding` (what each worker still needs) and `track due` (refreshers coming due).
public struct ToDo: Sendable {
    public var view: StatusView

    public init(view: StatusView) { self.view = view }

    var cohort: Cohort { view.cohort }

    /// One thing a worker still needs.
    public struct Task: Sendable {
        public var worker: Int
        public var item: Int
        public var state: ItemState
        public var action: String
    }

    /// What each worker who is not withdrawn still needs, per item.
    public func outstanding() -> [Task] {
        var tasks: [Task] = []
        let catalog = cohort.catalog
        for s in view.statuses where s.state != .withdrawn {
            for item in s.items where !item.state.isMet {
                let i = item.item
                let action: String
                switch item.state {
                case .expired:
                    action = "refresher due since \(item.expiresOn.map(\.description) ?? "")"
                        + (catalog.kinds[i] == .module ? ": attend again" : ": take the assessment again")
                case .failed where item.attemptsUsedUp:
                    action = "no attempts left (\(item.failures) of \(item.attemptsAllowed ?? item.failures) failed): not passed"
                case .failed:
                    action = "retake: \(item.failures) attempt\(item.failures == 1 ? "" : "s") failed" + (item.attemptsAllowed.map { " of \($0) allowed" } ?? "")
                default:
                    if catalog.kinds[i] == .module {
                        let more = item.needed - item.attended
                        action = "attend \(more) more session\(more == 1 ? "" : "s")" + (item.attended > 0 ? " (\(item.attended) of \(item.needed) needed so far)" : "")
                    } else {
                        action = "take the assessment"
                    }
                }
                tasks.append(Task(worker: s.worker, item: i, state: item.state, action: action))
            }
        }
        return tasks
    }

    public func outstandingText() -> String {
        let tasks = outstanding()
        var out = "Outstanding in cohort \(cohort.info.id), as of \(view.asOf)\n"
        if tasks.isEmpty { return out + "\nnothing outstanding\n" }
        var current = -1
        for t in tasks {
            if t.worker != current {
                current = t.worker
                let state = view.statuses.first { $0.worker == t.worker }?.state.rawValue ?? ""
                out += "\n\(view.label(t.worker)), \(state)\n"
            }
            out += "  \(cohort.catalog.ids[t.item]) \(cohort.catalog.titles[t.item]): \(t.action)\n"
        }
        return out
    }

    public func outstandingCSV() -> String {
        var header = ["worker"]
        if !view.anonymise { header.append("name") }
        header += ["item", "title", "state", "action"]
        var out = CSV.line(header, neutralise: true)
        for t in outstanding() {
            var row = [cohort.workers[t.worker].id]
            if let n = view.name(t.worker) { row.append(n) }
            row += [cohort.catalog.ids[t.item], cohort.catalog.titles[t.item], t.state.rawValue, t.action]
            out += CSV.line(row, neutralise: true)
        }
        return out
    }

    // MARK: - By item

    /// `track outstanding --by item`: each required item with the workers who still need it.
    public func outstandingByItemText() -> String {
        let tasks = outstanding()
        var out = "Outstanding in cohort \(cohort.info.id) by item, as of \(view.asOf)\n"
        if tasks.isEmpty { return out + "\nnothing outstanding\n" }
        for i in cohort.catalog.required {
            let needing = tasks.filter { $0.item == i }
            guard !needing.isEmpty else { continue }
            out += "\n\(cohort.catalog.ids[i]) \(cohort.catalog.titles[i]): \(needing.count) worker\(needing.count == 1 ? "" : "s")\n"
            for t in needing { out += "  \(view.label(t.worker)): \(t.action)\n" }
        }
        return out
    }

    public func outstandingByItemCSV() -> String {
        var header = ["item", "title", "worker"]
        if !view.anonymise { header.append("name") }
        header += ["state", "action"]
        var out = CSVWriter(neutralise: true)
        out.line(header)
        let tasks = outstanding()
        for i in cohort.catalog.required {
            for t in tasks where t.item == i {
                var row = [cohort.catalog.ids[i], cohort.catalog.titles[i], cohort.workers[t.worker].id]
                if let n = view.name(t.worker) { row.append(n) }
                row += [t.state.rawValue, t.action]
                out.line(row)
            }
        }
        return out.text
    }

    // MARK: - Refreshers

    /// A refresher: an item that expires, and when.
    public struct Refresher: Sendable {
        public var worker: Int
        public var item: Int
        public var dueOn: ISODate
        public var lastMet: ISODate?
        public var overdue: Bool
    }

    /// Refreshers that fall due on or before `asOf + days`, overdue ones included, by date.
    /// Withdrawn workers are left out.
    public func due(withinDays days: Int) -> [Refresher] {
        let limit = view.asOf.adding(days: days)
        var list: [Refresher] = []
        for s in view.statuses where s.state != .withdrawn {
            for item in s.items where item.state == .done || item.state == .expired {
                guard let due = item.expiresOn, due <= limit else { continue }
                list.append(Refresher(worker: s.worker, item: item.item, dueOn: due, lastMet: item.metOn, overdue: due <= view.asOf))
            }
        }
        return list.sorted { ($0.dueOn, cohort.workers[$0.worker].id, $0.item) < ($1.dueOn, cohort.workers[$1.worker].id, $1.item) }
    }

    public func dueText(withinDays days: Int) -> String {
        let list = due(withinDays: days)
        let out = "Refreshers due in cohort \(cohort.info.id) by \(view.asOf.adding(days: days)) (as of \(view.asOf), within \(days) days)\n\n"
        if list.isEmpty { return out + "none\n" }
        var rows: [[String]] = [["due", "when", "worker", "item", "last met"]]
        for r in list {
            let gap = r.dueOn.dayNumber - view.asOf.dayNumber
            let when = r.overdue ? (gap == 0 ? "due today" : "overdue \(-gap) day\(gap == -1 ? "" : "s")") : "in \(gap) day\(gap == 1 ? "" : "s")"
            rows.append([r.dueOn.description, when, view.label(r.worker),
                         "\(cohort.catalog.ids[r.item]) \(cohort.catalog.titles[r.item])", r.lastMet?.description ?? ""])
        }
        return out + TableCell.align(rows)
    }

    /// The refreshers as an iCalendar file (RFC 5545): one all-day event per refresher.
    public func dueCalendar(withinDays days: Int) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//kitbag//training tracker//EN", "CALSCALE:GREGORIAN",
                     "X-WR-CALNAME:" + ICS.text("Refreshers: \(cohort.info.name)")]
        let stamp = "\(ICS.date(view.asOf))T000000Z"
        for r in due(withinDays: days) {
            let worker = cohort.workers[r.worker].id
            let item = cohort.catalog.ids[r.item]
            lines += ["BEGIN:VEVENT",
                      "UID:" + ICS.text("\(cohort.info.id)-\(worker)-\(item)-\(r.dueOn)@kitbag"),
                      "DTSTAMP:\(stamp)",
                      "DTSTART;VALUE=DATE:\(ICS.date(r.dueOn))",
                      "DTEND;VALUE=DATE:\(ICS.date(r.dueOn.adding(days: 1)))",
                      "SUMMARY:" + ICS.text("Refresher due: \(item) \(cohort.catalog.titles[r.item]) for \(view.label(r.worker))"),
                      "DESCRIPTION:" + ICS.text("\(item) was last met on \(r.lastMet?.description ?? "?"); cohort \(cohort.info.id)."),
                      "TRANSP:TRANSPARENT",
                      "END:VEVENT"]
        }
        lines.append("END:VCALENDAR")
        return lines.map(ICS.fold).joined(separator: "\r\n") + "\r\n"
    }
}

/// iCalendar text helpers.
enum ICS {
    static func date(_ d: ISODate) -> String { d.description.replacingOccurrences("-", "") }

    /// Escapes a TEXT value.
    static func text(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            case "\r": break
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Folds a content line at 75 octets, never inside a UTF-8 sequence.
    static func fold(_ line: String) -> String {
        var out = ""
        var count = 0
        for c in line.unicodeScalars {
            let n = String(c).utf8.count
            if count + n > 75 {
                out += "\r\n "
                count = 1
            }
            out.unicodeScalars.append(c)
            count += n
        }
        return out
    }
}

extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
