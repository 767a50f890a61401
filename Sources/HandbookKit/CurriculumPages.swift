import CurriculumKit
import KitbagCore

/// The content of a curriculum item's page: facts, links both ways, its text and, for a
/// principle, the traceability view (sections, competencies, modules, assessments).
enum CurriculumPages {
    static func itemContent(_ info: ItemInfo, handbook h: Handbook, renderers: [Int: UnitRenderer], context c: LinkContext, level: Int) -> String {
        let cur = h.curriculum
        let title = h.targets[info.id]?.text ?? info.title
        let hx = "h\(level)", hy = "h\(min(level + 1, 6))"
        var out = "<\(hx) id=\"\(HTML.escape(info.id))\">\(HTML.escape(title))</\(hx)>\n"
        var facts: [(String, String)] = [("Kind", info.kind.rawValue.capitalized)]
        func ids(_ list: [String]) -> String { Directives.links(list, h, c) }
        switch info.kind {
        case .principle:
            break
        case .competency:
            if let comp = cur.competency(info.id) { facts.append(("Serves", ids(comp.principles.map(\.id)))) }
            facts.append(("Taught in", ids(cur.modules(covering: info.id).map(\.info.id))))
            facts.append(("Assessed by", ids(cur.assessments(assessing: info.id).map(\.info.id))))
        case .module:
            if let m = cur.module(info.id) {
                facts.append(("Competencies", ids(m.competencies.map(\.id))))
                if let hours = m.hours { facts.append(("Hours", Directives.hours(hours))) }
                facts.append(("Sessions", String(m.sessions)))
                facts.append(("Prerequisites", ids(m.prerequisites.map(\.id))))
                let requiredBy = cur.modules.filter { $0.prerequisites.contains { $0.id == info.id } }.map(\.info.id)
                facts.append(("Required before", ids(requiredBy)))
                facts.append(("Assessed by", ids(cur.assessments.filter { $0.modules.contains { $0.id == info.id } }.map(\.info.id))))
                if let delivery = m.delivery { facts.append(("Delivery", HTML.escape(delivery))) }
                if let months = m.validForMonths { facts.append(("Refresher", "due \(months) months after the last session")) }
            }
        case .assessment:
            if let a = cur.assessment(info.id) {
                facts.append(("Method", HTML.escape(a.method)))
                if !a.modules.isEmpty { facts.append(("Modules", ids(a.modules.map(\.id)))) }
                if !a.competencies.isEmpty { facts.append(("Competencies", ids(a.competencies.map(\.id)))) }
                if let pass = a.passCriteria { facts.append(("Pass criteria", HTML.escape(pass))) }
                facts.append(("Attempts", a.attempts.map(String.init) ?? "no limit"))
                if let months = a.validForMonths { facts.append(("Valid for", "\(months) months")) }
            }
        case .domain:
            if let d = cur.domain(info.id) { facts.append(("Serves", ids(d.principles.map(\.id)))) }
            facts.append(("Items", ids(cur.fidelityItems(in: info.id).map(\.info.id))))
        case .fidelityItem:
            if let item = cur.fidelityItem(info.id) {
                facts.append(("Domain", ids([item.domain.id])))
                facts.append(("Serves", ids(cur.domain(item.domain.id)?.principles.map(\.id) ?? [])))
                facts.append(("Asked of", HTML.escape(item.respondents.map(\.id).joined(separator: ", "))))
            }
        }
        if let origin = info.origin { facts.append(("Origin", HTML.escape(origin))) }
        out += "<dl class=\"facts\">\n" + facts.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>\n" }.joined() + "</dl>\n"
        if let u = h.curriculumUnits[info.id], let renderer = renderers[u] {
            out += "<div class=\"item-text\">\n" + renderer.render(c) + "</div>\n"
        }
        if info.kind == .principle {
            let comps = cur.competencies(serving: info.id)
            let compIDs = comps.map(\.info.id), served = Set(compIDs)
            let modules = cur.modules.filter { m in m.competencies.contains { served.contains($0.id) } }.map(\.info.id)
            // An assessment that covers one of them, itself or through a module (as `competencyIDs(of:)`).
            let modulesByID = Dictionary(cur.modules.map { ($0.info.id, $0) }, uniquingKeysWith: { first, _ in first })
            let assessments = cur.assessments.filter { a in
                a.competencies.contains { served.contains($0.id) }
                    || a.modules.contains { m in modulesByID[m.id]?.competencies.contains { served.contains($0.id) } ?? false }
            }.map(\.info.id)
            let sections = (h.backReferences[info.id] ?? []).map(\.fromID).filter { h.targets[$0]?.kind == .section || h.targets[$0]?.kind == .chapter }
            // Named by its heading and the principle's, so that the five differ in the one-page edition.
            out += "<section class=\"trace\" aria-labelledby=\"trace-\(HTML.escape(info.id)) \(HTML.escape(info.id))\">\n<\(hy) id=\"trace-\(HTML.escape(info.id))\">What serves this principle</\(hy)>\n<dl class=\"facts\">\n"
            out += "<dt>Handbook sections</dt><dd>\(sections.isEmpty ? "<span class=\"none\">none</span>" : sections.map { Directives.link($0, h, c) }.joined(separator: "; "))</dd>\n"
            out += "<dt>Competencies</dt><dd>\(compIDs.isEmpty ? "<span class=\"none\">none</span>" : compIDs.map { Directives.link($0, h, c) }.joined(separator: "; "))</dd>\n"
            out += "<dt>Modules</dt><dd>\(modules.isEmpty ? "<span class=\"none\">none</span>" : modules.map { Directives.link($0, h, c) }.joined(separator: "; "))</dd>\n"
            out += "<dt>Assessments</dt><dd>\(assessments.isEmpty ? "<span class=\"none\">none</span>" : assessments.map { Directives.link($0, h, c) }.joined(separator: "; "))</dd>\n"
            if cur.fidelity != nil {
                let domains = cur.domains(serving: info.id).map(\.info.id), items = cur.fidelityItems(serving: info.id).map(\.info.id)
                out += "<dt>Fidelity domains</dt><dd>\(domains.isEmpty ? "<span class=\"none\">none</span>" : domains.map { Directives.link($0, h, c) }.joined(separator: "; "))</dd>\n"
                out += "<dt>Fidelity items</dt><dd>\(items.isEmpty ? "<span class=\"none\">none</span>" : items.map { Directives.link($0, h, c) }.joined(separator: "; "))</dd>\n"
            }
            out += "</dl>\n</section>\n"
        }
        if let refs = h.backReferences[info.id], !refs.isEmpty {
            out += Fragments.referencedFrom(refs, of: info.id, index: h.index, context: c)
        }
        return out
    }

    /// The curriculum overview: framework, principles, matrix, programme, assessments, pathway.
    static func overview(handbook h: Handbook, renderers: [Int: UnitRenderer], context c: LinkContext, level: Int) -> String {
        let hx = "h\(level)", hy = "h\(min(level + 1, 6))"
        var out = "<\(hx) id=\"curriculum\">\(HTML.escape(h.curriculum.framework?.title ?? "Curriculum"))</\(hx)>\n"
        if let u = h.frameworkUnit, let r = renderers[u] { out += r.render(c) }
        out += "<\(hy) id=\"curriculum-principles\">Principles</\(hy)>\n" + Directives.principles(h, c)
        out += "<\(hy) id=\"curriculum-matrix\">Competencies and principles</\(hy)>\n" + Directives.competencyMatrix(h, c)
        out += "<\(hy) id=\"curriculum-modules\">Modules</\(hy)>\n" + Directives.modules(h, c)
        out += "<\(hy) id=\"curriculum-assessments\">Assessments</\(hy)>\n" + Directives.assessments(h, c)
        out += "<\(hy) id=\"curriculum-pathway\">\(HTML.escape(h.curriculum.pathway?.title ?? "Sign-off pathway"))</\(hy)>\n"
        if let u = h.pathwayUnit, let r = renderers[u] { out += r.render(c) }
        out += Directives.pathway(h, c)
        return out
    }
}
