import CurriculumKit
import KitbagCore

/// One site's edition as the resolver takes it: the site's values and its adaptations, by the
/// chapter they change. Resolving with a plan makes a new `Handbook`; the shared one is never
/// written into.
public struct EditionPlan: Sendable {
    public var site: Site
    var values: SiteValues
    /// Adaptations by chapter (book order), each with the heading it adapts.
    var adaptationsByChapter: [Int: [PlacedAdaptation]] = [:]
    /// Every adaptation with what it adapts, in the shared edition's terms (for the
    /// "Adaptations at this site" page).
    public var adapted: [AdaptedItem] = []

    init(site: Site, values: SiteValues) {
        self.site = site
        self.values = values
    }

    /// A plan naming only the site, which stands in until the site's plan is made (a build's
    /// cache is found by its site).
    package static func placeholder(_ site: Site) -> EditionPlan {
        EditionPlan(site: site, values: SiteValues(values: [:]))
    }
}

/// An adaptation with the item it adapts as the shared edition shows it.
public struct AdaptedItem: Sendable {
    public var adaptation: Adaptation
    /// "11.4 Risk, safety and handover", "Chapter 9: Induction", "M04: ...".
    public var targetText: String
    /// The chapter the adapted section is in ("Chapter 11: Supervision and support"; empty for a module).
    public var chapterText: String
    /// Principles the adapted section's chapter or the module serves: "P1: ...".
    public var principles: [String]
}

/// Site editions: planning each edition from the shared handbook, checking them, and the
/// report of every adaptation.
public enum SiteEditions {
    /// Loads `Handbook/sites/` and checks each adaptation against the shared edition: it must
    /// adapt an adaptable section or chapter (or stand in for a module). One plan per site.
    public static func plan(_ paths: ProjectPaths, shared h: Handbook, into bag: inout DiagnosticBag) -> [EditionPlan] {
        plan(SiteSet.load(paths, book: h.book, into: &bag), shared: h, into: &bag)
    }

    /// The plans for sites already read (the fuzz target's way in, without files; a build of
    /// every edition, which reads them once).
    package static func plan(_ sites: SiteSet, shared h: Handbook, into bag: inout DiagnosticBag) -> [EditionPlan] {
        let neutral = SiteValues.neutral(h.book)
        // Adapted headings and their chapter files come from the one ID namespace.
        let outline = sites.sites.contains { !$0.adaptations.isEmpty } ? h.outline : SourceOutline()
        var plans: [EditionPlan] = []
        for site in sites.sites {
            var values = neutral
            for (name, value) in site.values { values.values[name] = value }
            var plan = EditionPlan(site: site, values: values)
            var replaced: [String: Adaptation] = [:]
            for adaptation in site.adaptations {
                guard let item = check(adaptation, in: h, bag: &bag) else { continue }
                if adaptation.kind != .addsTo {
                    if let first = replaced[adaptation.target] {
                        bag.error(.duplicateAdaptation, "'\(adaptation.target)' is already \(adaptation.kind == .standsInFor ? "stood in for" : "replaced") at \(site.id)",
                                  at: adaptation.targetLocation, notes: [.init("the first adaptation is here", at: first.targetLocation)])
                        continue
                    }
                    replaced[adaptation.target] = adaptation
                }
                if adaptation.kind != .standsInFor, let (file, heading) = outline.heading(adaptation.target),
                   let chapter = outline.chapterFiles.firstIndex(of: file) {
                    plan.adaptationsByChapter[chapter, default: []].append(PlacedAdaptation(adaptation: adaptation, headingLine: heading.line))
                }
                plan.adapted.append(item)
            }
            plans.append(plan)
        }
        return plans
    }

    /// Checks one adaptation; returns what it adapts, or nil (with an error) when it may not.
    static func check(_ a: Adaptation, in h: Handbook, bag: inout DiagnosticBag) -> AdaptedItem? {
        guard let target = h.targets[a.target] else {
            let candidates = h.targets.values.filter { a.kind == .standsInFor ? $0.kind == .module : ($0.kind == .section || $0.kind == .chapter) }.map(\.id)
            var notes: [Diagnostic.Note] = []
            if let guess = DidYouMean.closest(to: a.target, in: candidates) { notes.append(.init("did you mean '\(guess)'?")) }
            bag.error(.unknownAdaptationTarget, "no \(a.kind == .standsInFor ? "module" : "section or chapter") '\(a.target)' to adapt", at: a.targetLocation, notes: notes)
            return nil
        }
        if a.kind == .standsInFor {
            guard target.kind == .module else {
                bag.error(.notAModule, "a local module stands in for a programme module; '\(a.target)' is a \(target.kind.rawValue)", at: a.targetLocation)
                return nil
            }
            // The tracker records against the local module's ID: it shares the one namespace.
            if let id = a.localID, let other = h.targets[id] {
                bag.error(.duplicateID, "duplicate ID '\(id)': the handbook already has a \(other.kind.rawValue) '\(id)'",
                          at: a.localIDLocation ?? a.source.start, notes: [.init("'\(id)' is first defined here", at: other.location)])
            }
            return AdaptedItem(adaptation: a, targetText: target.text, chapterText: "", principles: principles(ofModule: a.target, h))
        }
        guard let unit = target.unit, let chapter = h.chapterUnits.firstIndex(of: unit),
              target.kind == .section || (target.kind == .chapter && a.kind == .addsTo) else {
            let what = target.kind == .chapter ? "a whole chapter cannot be replaced; replace its adaptable sections or add to it" : "only sections and chapters of the handbook can be adapted; '\(a.target)' is a \(target.kind.rawValue)"
            bag.error(.notAdaptable, what, at: a.targetLocation)
            return nil
        }
        let chapterText = h.targets.values.first { $0.kind == .chapter && $0.unit == unit }?.text ?? ""
        if !isAdaptable(a.target, chapter: chapter, unit: unit, h) {
            let verb = a.removes ? "leaving it out" : a.kind == .replaces ? "replacing it" : "adding to it"
            let mark = target.kind == .chapter ? "'component: adaptable' in the chapter's front matter" : "'{#\(a.target) .adaptable}' on its heading"
            bag.error(.coreContentChanged, "'\(a.target)' (\(target.text)) is core content: \(verb) at a site is not allowed",
                      at: a.targetLocation,
                      notes: [.init("the core \(target.kind.rawValue) is here; if sites may adapt it, mark it with \(mark)", at: target.location)])
            return nil
        }
        return AdaptedItem(adaptation: a, targetText: target.text, chapterText: chapterText, principles: principles(ofSection: a.target, unit: unit, h))
    }

    /// A section is adaptable when it, a section it sits in, or its chapter is marked so.
    static func isAdaptable(_ id: String, chapter: Int, unit: Int, _ h: Handbook) -> Bool {
        if h.adaptableChapters.contains(chapter) { return true }
        var open: [(level: Int, adaptable: Bool)] = []
        for (heading, resolved) in zip(h.units[unit].headings, h.headings(unit)) {
            while let last = open.last, last.level >= heading.level { open.removeLast() }
            open.append((heading.level, heading.adaptable))
            if resolved.id == id { return open.contains { $0.adaptable } }
        }
        return false
    }

    /// Principles a section serves: those its text refers to, directly or through the
    /// competencies and modules it names; when it names none, those of its chapter.
    static func principles(ofSection id: String, unit: Int, _ h: Handbook) -> [String] {
        let unitLinks = h.units[unit].links
        let targets = h.linkTargets.indices.contains(unit) ? h.linkTargets[unit] : []
        let headings = zip(h.units[unit].headings, h.headings(unit)).map { (id: $1.id, level: $0.level) }
        var ids: [String] = []
        func collect(_ inSection: (Int) -> Bool) {
            for (k, link) in unitLinks.enumerated() where inSection(link.section) && k < targets.count {
                guard case .target(let target)? = targets[k] else { continue }
                for p in h.curriculum.principleIDs(reachedFrom: target) where !ids.contains(p) { ids.append(p) }
            }
        }
        if let start = headings.firstIndex(where: { $0.id == id }) {
            let level = headings[start].level
            let end = headings[(start + 1)...].firstIndex { $0.level <= level } ?? headings.count
            collect { $0 >= start && $0 < end }
        }
        if ids.isEmpty { collect { _ in true } }
        return ids.sorted().map { h.targets[$0]?.text ?? $0 }
    }

    /// Principles a module serves, through its competencies.
    static func principles(ofModule id: String, _ h: Handbook) -> [String] {
        var ids: [String] = []
        for p in h.curriculum.principleIDs(reachedFrom: id) where !ids.contains(p) { ids.append(p) }
        return ids.sorted().map { h.targets[$0]?.text ?? $0 }
    }
}

extension Curriculum {
    /// The principles an ID stands for: a principle itself, a competency's, or those of the
    /// competencies a module or an assessment covers.
    func principleIDs(reachedFrom id: String) -> [String] {
        if principle(id) != nil { return [id] }
        if let competency = competency(id) { return competency.principles.map(\.id) }
        if let module = module(id) { return module.competencies.flatMap { principleIDs(reachedFrom: $0.id) } }
        if let assessment = assessment(id) { return competencyIDs(of: assessment).flatMap { principleIDs(reachedFrom: $0) } }
        return []
    }
}
