import CurriculumKit
import KitbagCore

/// The generated content of `{principles}`, `{competency-matrix}`, `{modules}`,
/// `{assessments}`, `{pathway}`, `{changes}` and `{table}`. Every text from a file is escaped.
enum Directives {
    static func render(_ name: String, handbook h: Handbook, context: LinkContext) -> String {
        switch name {
        case "principles": principles(h, context)
        case "competency-matrix": competencyMatrix(h, context)
        case "modules": modules(h, context)
        case "assessments": assessments(h, context)
        case "pathway": pathway(h, context)
        case "changes": changes(h, context)
        default: ""
        }
    }

    static func link(_ id: String, _ h: Handbook, _ context: LinkContext, text: String? = nil) -> String {
        // The target's strings, escaped once for the book (no copy of the target itself).
        guard let target = h.index.strings[id] else { return HTML.escape(text ?? id) }
        return "<a href=\"\(context.escapedHref(target))\">\(text.map { HTML.escape($0) } ?? target.textEscaped)</a>"
    }

    static func links(_ ids: [String], _ h: Handbook, _ context: LinkContext) -> String {
        ids.isEmpty ? "<span class=\"none\">none</span>" : ids.map { link($0, h, context, text: $0) }.joined(separator: ", ")
    }

    static func principles(_ h: Handbook, _ c: LinkContext) -> String {
        var out = "<div class=\"generated\"><ol class=\"principles\">\n"
        for p in h.curriculum.principles {
            let comps = h.curriculum.competencies(serving: p.info.id).map(\.info.id)
            out += "<li value=\"\(p.number)\"><p>\(link(p.info.id, h, c))</p><p class=\"meta\">Competencies: \(links(comps, h, c))</p></li>\n"
        }
        return out + "</ol></div>\n"
    }

    static func competencyMatrix(_ h: Handbook, _ c: LinkContext) -> String {
        let ps = h.curriculum.principles
        var out = "<div class=\"table-wrap\"><table class=\"matrix\">\n<caption>Competencies and the principles they serve</caption>\n<thead><tr><th scope=\"col\">Competency</th>"
        for p in ps {
            out += "<th scope=\"col\"><abbr title=\"\(HTML.escape(p.info.title))\">\(link(p.info.id, h, c, text: "P\(p.number)"))</abbr></th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for comp in h.curriculum.competencies {
            out += "<tr><th scope=\"row\">\(link(comp.info.id, h, c))</th>"
            for p in ps {
                let serves = comp.principles.contains { $0.id == p.info.id }
                out += serves ? "<td class=\"yes\"><span aria-hidden=\"true\">&#10003;</span><span class=\"visually-hidden\">serves</span></td>" : "<td></td>"
            }
            out += "</tr>\n"
        }
        return out + "</tbody></table></div>\n"
    }

    static func hours(_ value: Double?) -> String {
        guard let value else { return "" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    static func modules(_ h: Handbook, _ c: LinkContext) -> String {
        var out = "<div class=\"table-wrap\"><table class=\"programme stack\">\n<caption>The training programme</caption>\n<thead><tr><th scope=\"col\">Module</th><th scope=\"col\">Hours</th><th scope=\"col\">Sessions</th><th scope=\"col\">Competencies</th><th scope=\"col\">Assessments</th><th scope=\"col\">Prerequisites</th></tr></thead>\n<tbody>\n"
        for m in h.curriculum.modules {
            let assessed = h.curriculum.assessments.filter { $0.modules.contains { $0.id == m.info.id } }.map(\.info.id)
            out += "<tr><th scope=\"row\">\(link(m.info.id, h, c))</th><td data-label=\"Hours\">\(hours(m.hours))</td><td data-label=\"Sessions\">\(m.sessions)</td>"
            out += "<td data-label=\"Competencies\">\(links(m.competencies.map(\.id), h, c))</td><td data-label=\"Assessments\">\(links(assessed, h, c))</td><td data-label=\"Prerequisites\">\(links(m.prerequisites.map(\.id), h, c))</td></tr>\n"
        }
        let total = h.curriculum.modules.compactMap(\.hours).reduce(0, +)
        out += "</tbody>\n<tfoot><tr><th scope=\"row\">Total</th><td data-label=\"Hours\">\(hours(total))</td><td data-label=\"Sessions\">\(h.curriculum.modules.map(\.sessions).reduce(0, +))</td><td colspan=\"3\"></td></tr></tfoot>\n"
        return out + "</table></div>\n"
    }

    static func assessments(_ h: Handbook, _ c: LinkContext) -> String {
        var out = "<div class=\"table-wrap\"><table class=\"assessments stack\">\n<caption>Assessments</caption>\n<thead><tr><th scope=\"col\">Assessment</th><th scope=\"col\">Method</th><th scope=\"col\">Assesses</th><th scope=\"col\">Pass criteria</th><th scope=\"col\">Attempts</th></tr></thead>\n<tbody>\n"
        for a in h.curriculum.assessments {
            let assesses = a.modules.map(\.id) + a.competencies.map(\.id)
            out += "<tr><th scope=\"row\">\(link(a.info.id, h, c))</th><td data-label=\"Method\">\(HTML.escape(a.method))</td><td data-label=\"Assesses\">\(links(assesses, h, c))</td>"
            out += "<td data-label=\"Pass criteria\">\(HTML.escape(a.passCriteria ?? ""))</td><td data-label=\"Attempts\">\(a.attempts.map(String.init) ?? "no limit")</td></tr>\n"
        }
        return out + "</tbody></table></div>\n"
    }

    static func pathway(_ h: Handbook, _ c: LinkContext) -> String {
        let cur = h.curriculum
        let share = cur.attendanceShare
        let percent = Int((share * 100).rounded())
        var out = "<div class=\"generated pathway\">\n<p>A peer worker is signed off when every rule below is met.</p>\n<ol>\n"
        out += "<li>Attend at least \(percent)% of the sessions of each required module:<ul>\n"
        for m in cur.requiredModules {
            let needed = Int((share * Double(m.sessions)).rounded(.up))
            var line = "<li>\(link(m.info.id, h, c)): \(needed) of \(m.sessions) session\(m.sessions == 1 ? "" : "s")"
            if let months = m.validForMonths { line += "; a refresher is due \(months) months after the last session" }
            out += line + "</li>\n"
        }
        out += "</ul></li>\n<li>Pass each required assessment:<ul>\n"
        for a in cur.requiredAssessments {
            var line = "<li>\(link(a.info.id, h, c))"
            if let attempts = a.attempts { line += ": at most \(attempts) attempt\(attempts == 1 ? "" : "s")" }
            if let months = a.validForMonths { line += "; valid for \(months) months" }
            out += line + "</li>\n"
        }
        out += "</ul></li>\n</ol>\n<p>A module may be waived when the worker has met it by other means, such as prior or local training; the ledger records why.</p>\n</div>\n"
        return out
    }

    static func changes(_ h: Handbook, _ c: LinkContext) -> String {
        var out = ""
        if h.changes.isEmpty {
            out += "<p class=\"generated none\">No proposals from advisory groups have been accepted yet.</p>\n"
        } else {
            out += "<div class=\"table-wrap\"><table class=\"changes stack\">\n<caption>Changes accepted from advisory groups</caption>\n<thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Where</th><th scope=\"col\">Change</th><th scope=\"col\">Group</th><th scope=\"col\">Round</th></tr></thead>\n<tbody>\n"
            for change in h.changes {
                var targetID = change.target
                // A chapter given by its file ("Handbook/13-ward.md") links to the chapter.
                if let index = h.sources.chapters.firstIndex(where: { $0.relativePath == change.target || $0.name == change.target }),
                   index < h.chapterUnits.count, let id = h.chapterID(index) {
                    targetID = id
                }
                let whereText = h.targets[targetID] != nil ? link(targetID, h, c) : HTML.escape(change.target)
                out += "<tr><td data-label=\"Date\">\(HTML.escape(change.date))</td><td data-label=\"Where\">\(whereText)</td><td data-label=\"Change\">\(HTML.escape(change.summary))</td><td data-label=\"Group\">\(HTML.escape(change.group))</td><td data-label=\"Round\">\(HTML.escape(change.round))</td></tr>\n"
            }
            out += "</tbody></table></div>\n"
        }
        return out + provenance(h, c)
    }

    /// Where each chapter and curriculum item comes from (its `origin:`): stage 1 of the
    /// programme's development, or the advisory group round that introduced it.
    static func provenance(_ h: Handbook, _ c: LinkContext) -> String {
        var rows: [(String, String)] = []
        for index in h.chapterUnits.indices {
            guard let origin = h.chapterOrigins[index], let id = h.chapterID(index) else { continue }
            rows.append((link(id, h, c), origin))
        }
        for item in h.curriculum.items {
            if let origin = item.origin { rows.append((link(item.id, h, c), origin)) }
        }
        guard !rows.isEmpty else { return "" }
        var out = "<div class=\"table-wrap\"><table class=\"provenance stack\">\n<caption>Where each part comes from</caption>\n<thead><tr><th scope=\"col\">Part</th><th scope=\"col\">Origin</th></tr></thead>\n<tbody>\n"
        for (part, origin) in rows { out += "<tr><td data-label=\"Part\">\(part)</td><td data-label=\"Origin\">\(HTML.escape(origin))</td></tr>\n" }
        return out + "</tbody></table></div>\n"
    }

    static func table(_ t: TableDirective, index h: TargetIndex, context: LinkContext) -> String {
        var out = "<div class=\"table-wrap\"><table class=\"stack\" id=\"\(HTML.escape(t.id))\">\n<caption><span class=\"number\">Table \(HTML.escape(t.number))</span> \(HTML.escape(t.caption))</caption>\n"
        if let header = t.rows.first {
            out += "<thead><tr>" + header.map { "<th scope=\"col\">\(HTML.escape($0))</th>" }.joined() + "</tr></thead>\n"
        }
        out += "<tbody>\n"
        // Each cell names its column, for narrow screens where rows stack (see the stylesheet).
        let header = t.rows.first ?? []
        for row in t.rows.dropFirst() {
            out += "<tr>" + row.enumerated().map { i, cell in
                let label = i < header.count ? " data-label=\"\(HTML.escape(header[i]))\"" : ""
                return "<td\(label)>\(HTML.escape(cell))</td>"
            }.joined() + "</tr>\n"
        }
        out += "</tbody></table></div>\n"
        if let refs = h.backReferences[t.id], !refs.isEmpty {
            out += Fragments.referencedFrom(refs, of: t.id, index: h, context: context)
        }
        return out
    }
}
