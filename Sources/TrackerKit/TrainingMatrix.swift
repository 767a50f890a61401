import CurriculumKit
import KitbagCore

/// `track matrix`: workers (not withdrawn) by required items, each cell one of six states as a
/// letter, and in HTML a colour that repeats the letter (colour is never the only signal).
public struct TrainingMatrix: Sendable {
    /// A cell's state.
    public enum Cell: String, Sendable, CaseIterable {
        case current = "C", expiring = "E", expired = "X", waived = "W", failed = "F", missing = "M"

        public var name: String {
            switch self {
            case .current: "current"
            case .expiring: "expiring"
            case .expired: "expired"
            case .waived: "waived"
            case .failed: "failed"
            case .missing: "missing"
            }
        }

        /// Fill and text colours; every pair has a contrast of at least 4.5:1 (WCAG AA).
        public var colours: (fill: String, text: String) {
            switch self {
            case .current: ("#d5eedb", "#0b3d1b")
            case .expiring: ("#fdeab0", "#5a3800")
            case .expired: ("#f6cfcc", "#74090f")
            case .waived: ("#dce5f4", "#1b3a6b")
            case .failed: ("#9b111c", "#ffffff")
            case .missing: ("#ffffff", "#454545")
            }
        }
    }

    public var view: StatusView
    /// Days ahead in which a current item counts as expiring.
    public var warnDays: Int

    public init(view: StatusView, warnDays: Int) {
        self.view = view
        self.warnDays = warnDays
    }

    var cohort: Cohort { view.cohort }
    var statuses: [WorkerStatus] { view.statuses.filter { $0.state != .withdrawn } }

    public func cell(_ item: ItemStatus) -> Cell {
        switch item.state {
        case .done:
            if let due = item.expiresOn, due.dayNumber - view.asOf.dayNumber <= warnDays { return .expiring }
            return .current
        case .waived: return .waived
        case .expired: return .expired
        case .failed: return .failed
        case .missing: return .missing
        }
    }

    public func csv() -> String {
        let catalog = cohort.catalog
        var out = CSVWriter(neutralise: true)
        out.cell("worker")
        if !view.anonymise { out.cell("name") }
        for i in catalog.required { out.cell(catalog.ids[i]) }
        out.endLine()
        for s in statuses {
            out.cell(cohort.workers[s.worker].id)
            if let n = view.name(s.worker) { out.cell(n) }
            for item in s.items { out.cell(cell(item).rawValue) }
            out.endLine()
        }
        return out.text
    }

    public func html() -> String {
        let catalog = cohort.catalog
        let writer = ReportWriter(view: view)
        var body = "<header>\n<h1>Training matrix: \(HTML.escape(cohort.info.name))</h1>\n\(writer.header)\n</header>\n<main id=\"main\">\n"
        body += "<p class=\"legend\">" + Cell.allCases.map { c in
            "<span class=\"m m-\(c.name)\">\(c.rawValue)</span> \(c.name)" + (c == .expiring ? " (within \(warnDays) days)" : "")
        }.joined(separator: " · ") + "</p>\n"
        body += "<table class=\"grid matrix\">\n<thead><tr>\(writer.workerHeads)"
        for i in catalog.required { body += "<th scope=\"col\" title=\"\(HTML.escape(catalog.titles[i]))\">\(HTML.escape(catalog.ids[i]))</th>" }
        body += "</tr></thead>\n<tbody>\n"
        for s in statuses {
            body += "<tr>\(writer.workerCell(s.worker))"
            for item in s.items {
                let c = cell(item)
                var detail = "\(catalog.ids[item.item]): \(c.name)"
                if let due = item.expiresOn, item.state == .done || item.state == .expired { detail += ", valid until \(due)" }
                body += "<td class=\"m m-\(c.name)\" title=\"\(HTML.escape(detail))\">\(c.rawValue)</td>"
            }
            body += "</tr>\n"
        }
        body += "</tbody>\n</table>\n<h2 id=\"items\">Items</h2>\n<table>\n<tbody>\n"
        for i in catalog.required { body += "<tr><th scope=\"row\">\(HTML.escape(catalog.ids[i]))</th><td>\(HTML.escape(catalog.titles[i]))</td></tr>\n" }
        body += "</tbody>\n</table>\n</main>"
        return writer.page(title: "Training matrix: \(cohort.info.name)", body: body, style: Self.css)
    }

    static var css: String {
        Cell.allCases.map { ".m-\($0.name) { background: \($0.colours.fill); color: \($0.colours.text); }" }.joined(separator: "\n")
            + "\n.matrix tbody td:not(.m) { text-align: left; }"
            + "\n.m { font-weight: 600; } .legend .m { display: inline-block; min-width: 1.6em; text-align: center; border: 1px solid #8a8f98; }"
            + "\n@media print { .m { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }"
    }
}
