import CurriculumKit
import KitbagCore

/// `kitbag editions report`: every adaptation of every site with its record (the FRAME items:
/// what, where, who decided, when, why, fidelity), the chapter and section it adapts and the
/// principles that section serves; fidelity-inconsistent adaptations first.
public enum EditionsReport {
    public enum Format: String, Sendable, CaseIterable {
        case text, html, csv
    }

    /// Adaptations in report order: inconsistent, unknown, consistent; then site and file.
    public static func rows(_ plans: [EditionPlan]) -> [AdaptedItem] {
        let rank: [Adaptation.Fidelity: Int] = [.inconsistent: 0, .unknown: 1, .consistent: 2]
        return plans.flatMap(\.adapted).sorted {
            let a = ($0.adaptation, rank[$0.adaptation.fidelity] ?? 1), b = ($1.adaptation, rank[$1.adaptation.fidelity] ?? 1)
            if a.1 != b.1 { return a.1 < b.1 }
            if a.0.site != b.0.site { return a.0.site < b.0.site }
            return a.0.relativePath < b.0.relativePath
        }
    }

    static func what(_ a: Adaptation) -> String {
        switch a.kind {
        case .replaces: a.removes ? "leaves out" : "replaces"
        case .addsTo: "adds to"
        case .standsInFor: "local module for"
        }
    }

    public static func render(_ plans: [EditionPlan], format: Format, title: String) -> String {
        let rows = rows(plans)
        switch format {
        case .csv:
            var out = CSV.line(["site", "file", "fidelity", "change", "adapts", "chapter", "principles", "decided-by", "date", "reason"])
            for r in rows {
                let a = r.adaptation
                out += CSV.line([a.site, a.relativePath, a.fidelity.rawValue, what(a), r.targetText, r.chapterText,
                                 r.principles.joined(separator: " | "), a.decidedBy, a.date, a.reason], neutralise: true)
            }
            return out
        case .text:
            var out = "\(rows.count) adaptation\(rows.count == 1 ? "" : "s") at \(plans.count) site\(plans.count == 1 ? "" : "s")\n"
            for r in rows {
                let a = r.adaptation
                out += "\n\(a.site): \(what(a)) \(r.targetText) [\(a.fidelity.rawValue)]\n"
                if !r.chapterText.isEmpty { out += "  chapter:    \(r.chapterText)\n" }
                if !r.principles.isEmpty { out += "  principles: \(r.principles.joined(separator: " | "))\n" }
                out += "  decided by: \(a.decidedBy) on \(a.date)\n  reason:     \(a.reason)\n  file:       \(a.relativePath)\n"
            }
            return out
        case .html:
            var body = "<main id=\"main\">\n<h1>Adaptations by site: \(HTML.escape(title))</h1>\n"
            body += "<p>\(rows.count) adaptations at \(plans.count) sites. Adaptations recorded as inconsistent with the principles come first.</p>\n"
            body += "<table>\n<caption>Every recorded adaptation</caption>\n<thead><tr><th scope=\"col\">Site</th><th scope=\"col\">Fidelity</th><th scope=\"col\">Change</th><th scope=\"col\">Chapter</th><th scope=\"col\">Principles served</th><th scope=\"col\">Decided by</th><th scope=\"col\">Date</th><th scope=\"col\">Reason</th></tr></thead>\n<tbody>\n"
            for r in rows {
                let a = r.adaptation
                let site = plans.first { $0.site.id == a.site }?.site.name ?? a.site
                body += "<tr class=\"fidelity-\(a.fidelity.rawValue)\"><th scope=\"row\">\(HTML.escape(site))</th><td>\(a.fidelity.rawValue)</td>"
                body += "<td>\(HTML.escape(what(a))) \(HTML.escape(r.targetText))</td><td>\(HTML.escape(r.chapterText))</td>"
                body += "<td>\(r.principles.map { HTML.escape($0) }.joined(separator: "<br>"))</td><td>\(HTML.escape(a.decidedBy))</td>"
                body += "<td>\(HTML.escape(a.date))</td><td>\(HTML.escape(a.reason))</td></tr>\n"
            }
            body += "</tbody>\n</table>\n</main>"
            return HTML.standaloneDocument(title: "Adaptations by site - \(title)", style: css, content: body)
        }
    }

    static let css = """
    body { font: 16px/1.5 system-ui, sans-serif; color: #1a1a1a; margin: 2rem; }
    .skip { position: absolute; left: -9999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; }
    table { border-collapse: collapse; width: 100%; } caption { text-align: left; font-weight: bold; margin-bottom: .5rem; }
    th, td { border: 1px solid #767676; padding: .4rem .5rem; text-align: left; vertical-align: top; }
    thead th { background: #e8e8e8; }
    tr.fidelity-inconsistent td:nth-child(2) { font-weight: bold; color: #8a1c1c; }
    @media print { body { margin: 0; } }
    """
}
