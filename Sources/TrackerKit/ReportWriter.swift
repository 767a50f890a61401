import CurriculumKit
import KitbagCore

/// HTML outputs of the tracker: the cohort dashboard (`track report`), one worker's
/// printable training record (`track report --worker W`) and `track status --format html`.
/// Self-contained pages: inline CSS and SVG, no scripts, no external requests.
public struct ReportWriter: Sendable {
    public var view: StatusView

    public init(view: StatusView) { self.view = view }

    var cohort: Cohort { view.cohort }
    var catalog: ItemCatalog { cohort.catalog }

    static let css = """
    :root { color-scheme: light; --ink: #1b1b1b; --muted: #4a4a4a; --line: #c8c8c8; --accent: #0b4f8a; }
    * { box-sizing: border-box; }
    body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; margin: 0; }
    .skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5em; }
    .skip:focus { left: .5em; }
    a:focus, :focus-visible { outline: 3px solid #c25100; outline-offset: 2px; }
    header, main, footer { max-width: 1100px; margin: 0 auto; padding: 0 1.25rem; }
    header { padding-top: 1.25rem; }
    h1 { font-size: 1.6rem; margin: .2rem 0; }
    h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 2px solid var(--accent); padding-bottom: .2rem; }
    .meta { color: var(--muted); margin: 0; }
    table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
    th, td { border-bottom: 1px solid var(--line); padding: .3rem .45rem; text-align: left; vertical-align: top; }
    th { background: #f1f4f8; }
    td.date { white-space: nowrap; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
    .grid td, .grid th { text-align: center; padding: .2rem .25rem; font-size: .85rem; }
    .grid td:first-child, .grid th:first-child { text-align: left; }
    .state { font-weight: 600; white-space: nowrap; }
    .s-signed-off { color: #13612e; } .s-in-training { color: #0b4f8a; } .s-refresher-due { color: #8a4b00; }
    .s-not-passed { color: #a0101b; } .s-reserve { color: #4b3a8a; } .s-withdrawn { color: #555; }
    .cards { display: flex; flex-wrap: wrap; gap: .6rem; list-style: none; padding: 0; }
    .cards li { border: 1px solid var(--line); border-radius: 6px; padding: .4rem .8rem; min-width: 8.5rem; }
    .cards strong { display: block; font-size: 1.4rem; }
    .legend { color: var(--muted); font-size: .9rem; }
    svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
    .sign { display: flex; gap: 3rem; margin-top: 2.5rem; }
    .sign div { flex: 1; border-top: 1px solid var(--ink); padding-top: .3rem; color: var(--muted); }
    footer { color: var(--muted); font-size: .85rem; margin-top: 2rem; padding-bottom: 2rem; }
    @media print {
      body { font-size: 11pt; }
      .skip { display: none; }
      header, main, footer { max-width: none; padding: 0; }
      h2 { break-after: avoid; }
      table, svg, figure { break-inside: avoid; }
      a { color: inherit; text-decoration: none; }
    }
    @page { margin: 15mm; }
    """

    func page(title: String, body: String, style: String = "") -> String {
        let footer = "<footer><p>Made by kitbag from the cohort's ledger, as of \(view.asOf).\(view.anonymise ? " Anonymised: workers are shown by their pseudonymous ids." : "")</p></footer>"
        return HTML.standaloneDocument(title: title, style: ReportWriter.css + (style.isEmpty ? "" : "\n" + style), content: body + "\n" + footer)
    }

    func stateClass(_ s: OverallState) -> String { "state s-" + s.rawValue.replacingOccurrences(" ", "-") }

    func workerCell(_ w: Int) -> String {
        let id = HTML.escape(cohort.workers[w].id)
        return view.name(w).map { "<td>\(id)</td><td>\(HTML.escape($0))</td>" } ?? "<td>\(id)</td>"
    }

    var workerHeads: String { view.anonymise ? "<th scope=\"col\">Worker</th>" : "<th scope=\"col\">Worker</th><th scope=\"col\">Name</th>" }

    var header: String {
        let info = cohort.info
        var meta = "Site: \(HTML.escape(info.site))"
        if !info.coordinator.isEmpty && !view.anonymise { meta += " · Coordinator: \(HTML.escape(info.coordinator))" }
        if let start = info.start { meta += " · Started \(start)" }
        return "<p class=\"meta\">Cohort \(HTML.escape(info.id)) · \(meta) · As of \(view.asOf)</p>"
    }

    // MARK: - Dashboard

    /// The cohort dashboard: states, progress per worker, the principle-coverage heat map
    /// and the item grid.
    public func dashboard() -> String {
        var body = "<header>\n<h1>Training dashboard: \(HTML.escape(cohort.info.name))</h1>\n\(header)\n</header>\n<main id=\"main\">\n"
        body += "<h2 id=\"states\">Overall states</h2>\n<ul class=\"cards\">\n"
        for state in [OverallState.signedOff, .inTraining, .refresherDue, .notPassed, .reserve, .withdrawn] {
            let n = view.statuses.filter { $0.state == state }.count
            body += "<li><strong>\(n)</strong><span class=\"\(stateClass(state))\">\(state.rawValue)</span></li>\n"
        }
        body += "</ul>\n"
        body += "<h2 id=\"progress\">Progress per worker</h2>\n"
        body += "<table>\n<caption class=\"legend\">Required items met (modules attended or waived, assessments passed, none expired).</caption>\n"
        body += "<thead><tr>\(workerHeads)<th scope=\"col\">State</th><th scope=\"col\">Progress</th><th scope=\"col\">Still needed</th></tr></thead>\n<tbody>\n"
        for s in view.statuses {
            let unmetItems = s.items.filter { !$0.state.isMet }
            let unmet = unmetItems.map { catalog.ids[$0.item] + " (" + $0.cell + ")" }
            let modules = unmetItems.filter { catalog.kinds[$0.item] == .module }.count
            let assessments = unmetItems.count - modules
            let groups = [(modules, "module"), (assessments, "assessment")].filter { $0.0 > 0 }.map { "\($0.0) \($0.1)\($0.0 == 1 ? "" : "s")" }
            body += "<tr>\(workerCell(s.worker))<td class=\"\(stateClass(s.state))\">\(s.state.rawValue)</td>"
            body += "<td>\(progressBar(met: s.metCount, total: s.items.count))</td>"
            if s.state == .withdrawn || unmet.isEmpty {
                body += "<td></td></tr>\n"
            } else {
                body += "<td><details><summary>\(groups.joined(separator: ", "))</summary>\(HTML.escape(unmet.joined(separator: ", ")))</details></td></tr>\n"
            }
        }
        body += "</tbody>\n</table>\n"
        body += "<h2 id=\"coverage\">Principle coverage</h2>\n"
        body += "<p class=\"legend\">Each cell is the share of a principle's linked required items that the worker has met. The number is always shown; the shade only repeats it.</p>\n"
        body += heatMap()
        body += "<h2 id=\"items\">Required items</h2>\n"
        body += itemGrid()
        body += "</main>"
        return page(title: "Training dashboard: \(cohort.info.name)", body: body)
    }

    func progressBar(met: Int, total: Int) -> String {
        let width = 160.0
        let share = total == 0 ? 0 : Double(met) / Double(total)
        let label = "\(met) of \(total)"
        return """
        <svg width="\(Int(width) + 70)" height="18" role="img" aria-label="\(label) required items met"><rect x="0" y="2" width="\(Int(width))" height="14" fill="#e6e9ee" stroke="#8a8f98"/><rect x="0" y="2" width="\(Int((width * share).rounded()))" height="14" fill="#0b4f8a"/><text x="\(Int(width) + 6)" y="14" font-size="12" fill="#1b1b1b">\(label)</text></svg>
        """
    }

    /// Shade and text colour for a share (text contrast at least 4.5:1 on each shade).
    static func shade(_ share: Double?) -> (fill: String, text: String) {
        guard let share else { return ("#ffffff", "#4a4a4a") }
        switch share {
        case ..<0.25: return ("#f1f4f8", "#1b1b1b")
        case ..<0.5: return ("#c9dbee", "#1b1b1b")
        case ..<0.75: return ("#8fb6dd", "#1b1b1b")
        case ..<1.0: return ("#2f6da8", "#ffffff")
        default: return ("#0b4f8a", "#ffffff")
        }
    }

    /// Workers by principles, as inline SVG with the percentage in every cell.
    func heatMap() -> String {
        let principles = catalog.principleIDs
        let labelWidth = view.anonymise ? 70 : 210
        let cellW = 86, cellH = 28, top = 46
        let width = labelWidth + cellW * principles.count + 4
        let height = top + cellH * view.statuses.count + 4
        var svg = "<figure>\n<svg class=\"heatmap\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-labelledby=\"heat-title\">\n"
        svg += "<title id=\"heat-title\">Principle coverage per worker, in per cent</title>\n"
        for (k, p) in principles.enumerated() {
            let x = labelWidth + k * cellW + cellW / 2
            svg += "<text x=\"\(x)\" y=\"18\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"600\" fill=\"#1b1b1b\">\(HTML.escape(p))</text>"
            svg += "<text x=\"\(x)\" y=\"36\" text-anchor=\"middle\" font-size=\"10\" fill=\"#4a4a4a\">\(catalog.principleItems[k].count) items</text>\n"
        }
        for (r, s) in view.statuses.enumerated() {
            let y = top + r * cellH
            let label = view.label(s.worker)
            svg += "<text x=\"4\" y=\"\(y + 19)\" font-size=\"12\" fill=\"#1b1b1b\">\(HTML.escape(label))</text>\n"
            for (k, c) in s.coverage.enumerated() {
                let x = labelWidth + k * cellW
                let (fill, ink) = ReportWriter.shade(c)
                let text = c.map { "\($0.percent)%" } ?? "n/a"
                svg += "<g><title>\(HTML.escape(cohort.workers[s.worker].id)), \(HTML.escape(principles[k])): \(text)</title>"
                svg += "<rect x=\"\(x + 1)\" y=\"\(y + 1)\" width=\"\(cellW - 2)\" height=\"\(cellH - 2)\" fill=\"\(fill)\" stroke=\"#8a8f98\" stroke-width=\"0.5\"/>"
                svg += "<text x=\"\(x + cellW / 2)\" y=\"\(y + 19)\" text-anchor=\"middle\" font-size=\"13\" fill=\"\(ink)\">\(text)</text></g>\n"
            }
        }
        svg += "</svg>\n<figcaption class=\"legend\">Shades: under 25%, 25 to 49%, 50 to 74%, 75 to 99%, 100% (darkest). "
        svg += principles.enumerated().map { "\(HTML.escape($1)): \(HTML.escape(catalog.principleTitles[$0]))" }.joined(separator: "; ")
        svg += ".</figcaption>\n</figure>\n"
        return svg
    }

    func itemGrid() -> String {
        var html = "<table class=\"grid\">\n<caption class=\"legend\">+ done, w waived, x expired (refresher due), fN failed N attempts (fN/M of M allowed), n/m sessions of those needed, · missing.</caption>\n<thead><tr><th scope=\"col\">Worker</th>"
        for i in catalog.required { html += "<th scope=\"col\" title=\"\(HTML.escape(catalog.titles[i]))\">\(HTML.escape(catalog.ids[i]))</th>" }
        html += "</tr></thead>\n<tbody>\n"
        for s in view.statuses {
            html += "<tr><th scope=\"row\">\(HTML.escape(cohort.workers[s.worker].id))</th>"
            for item in s.items {
                let short = TableCell.short(item)
                html += "<td title=\"\(HTML.escape(catalog.ids[item.item])): \(item.state.rawValue)\">\(short == "." ? "·" : HTML.escape(short))</td>"
            }
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    // MARK: - One worker

    /// A printable training record for one worker: items, evidence, coverage, history, signatures.
    public func workerRecord(_ w: Int) -> String {
        guard let s = view.statuses.first(where: { $0.worker == w }) else { return "" }
        let worker = cohort.workers[w]
        let why = WhyExplainer(view: view)
        var body = "<header>\n<h1>Training record: \(HTML.escape(view.label(w)))</h1>\n\(header)\n"
        body += "<p class=\"meta\">Joined \(worker.joined) · Roster status \(worker.status.rawValue) · Overall state <span class=\"\(stateClass(s.state))\">\(s.state.rawValue)</span> (\(s.metCount) of \(s.items.count) required items met)</p>\n</header>\n<main id=\"main\">\n"
        body += "<h2 id=\"items\">Required modules and assessments</h2>\n<table>\n<thead><tr><th scope=\"col\">Item</th><th scope=\"col\">Title</th><th scope=\"col\">State</th><th scope=\"col\">Detail</th><th scope=\"col\">Valid until</th></tr></thead>\n<tbody>\n"
        for item in s.items {
            body += "<tr><td>\(HTML.escape(catalog.ids[item.item]))</td><td>\(HTML.escape(catalog.titles[item.item]))</td>"
            body += "<td>\(item.state.rawValue)</td><td>\(HTML.escape(why.reason(item)))</td><td class=\"date\">\(item.expiresOn?.description ?? "")</td></tr>\n"
        }
        body += "</tbody>\n</table>\n<h2 id=\"coverage\">Principle coverage</h2>\n<table>\n<thead><tr><th scope=\"col\">Principle</th><th scope=\"col\">Title</th><th scope=\"col\" class=\"num\">Met</th></tr></thead>\n<tbody>\n"
        for (k, c) in s.coverage.enumerated() {
            let met = catalog.principleItems[k].filter { i in s.items.contains { $0.item == i && $0.state.isMet } }.count
            body += "<tr><td>\(HTML.escape(catalog.principleIDs[k]))</td><td>\(HTML.escape(catalog.principleTitles[k]))</td>"
            body += "<td class=\"num\">\(c.map { "\($0.percent)%" } ?? "n/a") (\(met) of \(catalog.principleItems[k].count))</td></tr>\n"
        }
        body += "</tbody>\n</table>\n<h2 id=\"history\">Ledger history</h2>\n<table>\n<thead><tr><th scope=\"col\">Row</th><th scope=\"col\">Date</th><th scope=\"col\">Item</th><th scope=\"col\">Event</th>"
        if !view.anonymise { body += "<th scope=\"col\">By</th><th scope=\"col\">Note</th>" }
        body += "</tr></thead>\n<tbody>\n"
        let ledger = cohort.ledger
        let rows = ledger.rows(ofWorker: w).map(Int.init).sorted { (ledger.rows[$0].day, $0) < (ledger.rows[$1].day, $1) }
        for r in rows {
            let row = ledger.rows[r]
            let item = row.event == .void ? (row.item >= 0 ? ledger.rows[Int(row.item)].idText : "") : (row.item >= 0 ? catalog.ids[Int(row.item)] : "")
            var event = row.event.name
            if ledger.voided[r] { event += " (voided)" }
            body += "<tr><td>\(row.idText)</td><td>\(row.date)</td><td>\(HTML.escape(item))</td><td>\(HTML.escape(event))</td>"
            if !view.anonymise { body += "<td>\(HTML.escape(ledger.by(row)))</td><td>\(HTML.escape(ledger.note(row)))</td>" }
            body += "</tr>\n"
        }
        body += "</tbody>\n</table>\n"
        body += "<div class=\"sign\"><div>Coordinator signature and date</div><div>Peer worker signature and date</div></div>\n</main>"
        return page(title: "Training record: \(view.label(w))", body: body)
    }

    // MARK: - Status page

    /// `track status --format html`: the status table as a page.
    public func statusPage() -> String {
        var body = "<header>\n<h1>Training status: \(HTML.escape(cohort.info.name))</h1>\n\(header)\n</header>\n<main id=\"main\">\n"
        body += "<table class=\"grid\">\n<thead><tr>\(workerHeads)<th scope=\"col\">State</th><th scope=\"col\">Met</th>"
        for i in catalog.required { body += "<th scope=\"col\" title=\"\(HTML.escape(catalog.titles[i]))\">\(HTML.escape(catalog.ids[i]))</th>" }
        for p in catalog.principleIDs { body += "<th scope=\"col\">\(HTML.escape(p))</th>" }
        body += "</tr></thead>\n<tbody>\n"
        for s in view.statuses {
            body += "<tr>\(workerCell(s.worker))<td class=\"\(stateClass(s.state))\">\(s.state.rawValue)</td><td>\(s.metCount)/\(s.items.count)</td>"
            for item in s.items { body += "<td>\(HTML.escape(item.cell))</td>" }
            for c in s.coverage { body += "<td class=\"num\">\(c.map { "\($0.percent)%" } ?? "n/a")</td>" }
            body += "</tr>\n"
        }
        body += "</tbody>\n</table>\n</main>"
        return page(title: "Training status: \(cohort.info.name)", body: body)
    }
}
