import CurriculumKit
import KitbagCore

/// The formats `track status` writes.
public enum StatusFormat: String, Sendable, CaseIterable {
    case table, csv, json, html
}

/// A cohort's statuses as of a date, ready to print in any format.
public struct StatusView: Sendable {
    public var cohort: Cohort
    public var asOf: ISODate
    public var statuses: [WorkerStatus]
    /// Leave names out (worker ids are the pseudonyms).
    public var anonymise: Bool

    /// Statuses of every worker, or of the ones in `only`.
    public init(cohort: Cohort, asOf: ISODate, only: [Int]? = nil, anonymise: Bool) {
        self.cohort = cohort
        self.asOf = asOf
        self.anonymise = anonymise
        let engine = StatusEngine(cohort: cohort, asOf: asOf)
        if let only { statuses = only.map { engine.status(of: $0) } } else { statuses = engine.all() }
    }

    var catalog: ItemCatalog { cohort.catalog }

    /// The worker's name, or nothing when anonymised.
    func name(_ w: Int) -> String? { anonymise ? nil : cohort.workers[w].name }

    /// "W01 (Amira Okafor)" or "W01".
    func label(_ w: Int) -> String { name(w).map { "\(cohort.workers[w].id) (\($0))" } ?? cohort.workers[w].id }

    public func render(_ format: StatusFormat) -> String {
        switch format {
        case .table: table(titles: false)
        case .csv: csv()
        case .json: json()
        case .html: ReportWriter(view: self).statusPage()
        }
    }

    // MARK: - Table

    /// The longest name the table shows before cutting it short.
    static let nameWidth = 20

    /// The status table: one line per worker that fits 100 columns for a curriculum of the
    /// sample's size (items as one character each), then counts per state. `titles` lists the
    /// items and principles with their titles under the table.
    public func table(titles: Bool = false) -> String {
        var out = "Cohort \(cohort.info.id): \(cohort.info.name), as of \(asOf)\n\n"
        var header = ["worker"]
        if !anonymise { header.append("name") }
        header += ["state", "met", "items"] + catalog.principleIDs
        var rows: [[String]] = [header]
        for s in statuses {
            var row = [cohort.workers[s.worker].id]
            if let n = name(s.worker) {
                let scalars = Array(n.unicodeScalars)
                row.append(scalars.count > Self.nameWidth ? String(String.UnicodeScalarView(scalars[..<(Self.nameWidth - 1)])) + "…" : n)
            }
            row += [s.state.rawValue, "\(s.metCount)/\(s.items.count)", itemString(s)]
            row += s.coverage.map { $0.map { $0.percent } ?? "-" }
            rows.append(row)
        }
        out += TableCell.align(rows)
        out += "\n" + stateCounts() + "\n"
        // The item ids in the order of the item string, five to a group, wrapped at 100 columns.
        let ids = catalog.required.map { catalog.ids[$0] }
        var line = "items, in order:"
        out += "\n"
        for start in stride(from: 0, to: ids.count, by: 5) {
            let group = ids[start..<min(start + 5, ids.count)].joined(separator: " ")
            if line.unicodeScalars.count + 2 + group.unicodeScalars.count > 100 {
                out += line + "\n"
                line = "                "
            }
            line += "  " + group
        }
        out += line + "\n"
        out += "key: + done, w waived, x expired (refresher due), f failed (F: no attempts left),\n"
        out += "     1-9 sessions attended so far, . missing\n"
        out += "P columns: per cent of the principle's required items met\n"
        if titles {
            out += "\n" + TableCell.align(catalog.required.map { [catalog.ids[$0], catalog.titles[$0]] })
            out += TableCell.align(zip(catalog.principleIDs, catalog.principleTitles).map { [$0, $1] })
        } else {
            out += "(--titles lists what each item and principle is)\n"
        }
        return out
    }

    /// "signed off 5 · in training 3 · ...": how many workers are in each state.
    public func stateCounts() -> String {
        [OverallState.signedOff, .inTraining, .refresherDue, .notPassed, .reserve, .withdrawn].map { state in "\(state.rawValue) \(statuses.filter { $0.state == state }.count)" }.joined(separator: " · ")
    }

    /// One character per required item, in groups of five.
    func itemString(_ s: WorkerStatus) -> String {
        itemGroups(s.items.map { TableCell.symbol($0) }, separator: "")
    }

    func itemGroups(_ parts: [String], separator: String) -> String {
        stride(from: 0, to: parts.count, by: 5).map { parts[$0..<min($0 + 5, parts.count)].joined(separator: separator) }.joined(separator: " ")
    }

    // MARK: - CSV

    public func csv() -> String {
        var header = ["worker"]
        if !anonymise { header.append("name") }
        header += ["site", "roster", "state", "met", "required"]
        header += catalog.required.map { catalog.ids[$0] }
        header += catalog.principleIDs.map { "coverage \($0)" }
        var out = CSVWriter(capacity: (statuses.count + 1) * header.count * 6, neutralise: true)
        out.line(header)
        for s in statuses {
            let w = cohort.workers[s.worker]
            out.cell(w.id)
            if !anonymise { out.cell(w.name) }
            out.cell(w.site)
            out.cell(w.status.rawValue)
            out.cell(s.state.rawValue)
            out.cell(String(s.metCount))
            out.cell(String(s.items.count))
            for item in s.items { out.cell(item.cell) }
            for c in s.coverage { out.cell(c.map { $0.percent } ?? "") }
            out.endLine()
        }
        return out.text
    }

    // MARK: - JSON

    public func json() -> String {
        var out = "{\n  \"cohort\": {\"id\": \(JSON.quote(cohort.info.id)), \"name\": \(JSON.quote(cohort.info.name)), \"site\": \(JSON.quote(cohort.info.site))},\n"
        out += "  \"asOf\": \"\(asOf)\",\n  \"principles\": [\(catalog.principleIDs.map { JSON.quote($0) }.joined(separator: ", "))],\n  \"workers\": ["
        for (k, s) in statuses.enumerated() {
            let w = cohort.workers[s.worker]
            out += k == 0 ? "\n" : ",\n"
            out += "    {\"id\": \(JSON.quote(w.id)), "
            if !anonymise { out += "\"name\": \(JSON.quote(w.name)), " }
            out += "\"site\": \(JSON.quote(w.site)), \"roster\": \"\(w.status.rawValue)\", \"state\": \"\(s.state.rawValue)\", "
            out += "\"met\": \(s.metCount), \"required\": \(s.items.count),\n     \"items\": ["
            out += s.items.map { item in
                var fields = ["\"id\": \(JSON.quote(catalog.ids[item.item]))", "\"kind\": \"\(catalog.kinds[item.item].rawValue)\"", "\"state\": \"\(item.state.rawValue)\""]
                if catalog.kinds[item.item] == .module {
                    fields += ["\"attended\": \(item.attended)", "\"needed\": \(item.needed)"]
                } else {
                    fields.append("\"failedAttempts\": \(item.failures)")
                    if let a = item.attemptsAllowed { fields.append("\"attemptsAllowed\": \(a)") }
                }
                if let d = item.metOn { fields.append("\"metOn\": \"\(d)\"") }
                if let d = item.expiresOn { fields.append("\"expiresOn\": \"\(d)\"") }
                return "{" + fields.joined(separator: ", ") + "}"
            }.joined(separator: ",\n               ")
            out += "],\n     \"coverage\": {"
            out += zip(catalog.principleIDs, s.coverage).map { id, c in
                "\(JSON.quote(id)): " + (c.map { String(($0 * 1000).rounded() / 1000) } ?? "null")
            }.joined(separator: ", ")
            out += "}}"
        }
        out += "\n  ]\n}\n"
        return out
    }
}

/// Plain-text table helpers.
enum TableCell {
    /// One short cell per item for the status table.
    static func short(_ s: ItemStatus) -> String {
        switch s.state {
        case .done: "+"
        case .waived: "w"
        case .expired: "x"
        case .failed: "f\(s.failures)" + (s.attemptsAllowed.map { "/\($0)" } ?? "")
        case .missing: s.attended > 0 ? "\(s.attended)/\(s.needed)" : "."
        }
    }

    /// One character for the status table's item string.
    static func symbol(_ s: ItemStatus) -> String {
        switch s.state {
        case .done: "+"
        case .waived: "w"
        case .expired: "x"
        case .failed: s.attemptsUsedUp ? "F" : "f"
        case .missing: s.attended > 0 ? String(min(s.attended, 9)) : "."
        }
    }

    /// Left-aligned columns separated by two spaces; widths in Unicode scalars.
    static func align(_ rows: [[String]]) -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.unicodeScalars.count) } }
        var out = ""
        for row in rows {
            var line = ""
            for (i, cell) in row.enumerated() {
                line += cell
                if i < row.count - 1 { line += String(repeating: " ", count: widths[i] - cell.unicodeScalars.count + 2) }
            }
            out += line.trimmingTrailingSpaces() + "\n"
        }
        return out
    }
}
