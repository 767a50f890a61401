import KitbagCore

/// The loaded curriculum: framework, principles, competencies, modules, assessments, pathway.
public struct Curriculum: Sendable {
    public var framework: Framework?
    public var principles: [Principle] = []
    public var competencies: [Competency] = []
    public var modules: [Module] = []
    public var assessments: [Assessment] = []
    public var pathway: Pathway?
    /// The fidelity instrument, its domains and items (all optional: `Curriculum/fidelity/`).
    public var fidelity: FidelityInstrument?
    public var domains: [FidelityDomain] = []
    public var fidelityItems: [FidelityItem] = []

    public init() {}

    /// Every item's shared information, in kind order then ID order.
    public var items: [ItemInfo] {
        principles.map(\.info) + competencies.map(\.info) + modules.map(\.info) + assessments.map(\.info)
            + domains.map(\.info) + fidelityItems.map(\.info)
    }

    public func principle(_ id: String) -> Principle? { principles.first { $0.info.id == id } }
    public func competency(_ id: String) -> Competency? { competencies.first { $0.info.id == id } }
    public func module(_ id: String) -> Module? { modules.first { $0.info.id == id } }
    public func assessment(_ id: String) -> Assessment? { assessments.first { $0.info.id == id } }
    public func item(_ id: String) -> ItemInfo? {
        // The same order as `items`, without building that array for every lookup.
        principle(id)?.info ?? competency(id)?.info ?? module(id)?.info ?? assessment(id)?.info
            ?? domain(id)?.info ?? fidelityItem(id)?.info
    }

    /// How a reference with empty link text shows the item: "Principle 2: Mutuality and
    /// reciprocity", "C03: Keeping well at work".
    public func displayTitle(of id: String) -> String? {
        if let p = principle(id) { return "Principle \(p.number): \(p.info.title)" }
        guard let info = item(id) else { return nil }
        return "\(info.id): \(info.title)"
    }

    /// Modules the pathway requires (all modules when `required-modules` is not given).
    public var requiredModules: [Module] {
        guard let pathway, pathway.modulesGiven else { return modules }
        return pathway.requiredModules.compactMap { module($0.id) }
    }

    /// Assessments the pathway requires (all when `required-assessments` is not given).
    public var requiredAssessments: [Assessment] {
        guard let pathway, pathway.assessmentsGiven else { return assessments }
        return pathway.requiredAssessments.compactMap { assessment($0.id) }
    }

    /// Attendance share needed to complete a module.
    public var attendanceShare: Double { pathway?.attendance ?? 1.0 }

    // MARK: - Traceability

    /// Competencies that serve principle `id`.
    public func competencies(serving principleID: String) -> [Competency] {
        competencies.filter { $0.principles.contains { $0.id == principleID } }
    }

    /// Modules that cover competency `id`.
    public func modules(covering competencyID: String) -> [Module] {
        modules.filter { $0.competencies.contains { $0.id == competencyID } }
    }

    /// Assessments that assess competency `id`, directly or through a module that covers it.
    public func assessments(assessing competencyID: String) -> [Assessment] {
        let moduleIDs = Set(modules(covering: competencyID).map(\.info.id))
        return assessments.filter { a in
            a.competencies.contains { $0.id == competencyID } || a.modules.contains { moduleIDs.contains($0.id) }
        }
    }

    /// Competency IDs an assessment covers, directly or through its modules.
    public func competencyIDs(of assessment: Assessment) -> [String] {
        var ids = assessment.competencies.map(\.id)
        for m in assessment.modules {
            ids += module(m.id)?.competencies.map(\.id) ?? []
        }
        return ids.uniqued()
    }

    /// Principle IDs an item serves (for coverage): a competency's own, a module's or an
    /// assessment's through their competencies.
    public func principleIDs(servedBy id: String) -> [String] {
        if let c = competency(id) { return c.principles.map(\.id) }
        if let m = module(id) {
            return m.competencies.flatMap { competency($0.id)?.principles.map(\.id) ?? [] }.uniqued()
        }
        if let a = assessment(id) {
            return competencyIDs(of: a).flatMap { competency($0)?.principles.map(\.id) ?? [] }.uniqued()
        }
        if principle(id) != nil { return [id] }
        return []
    }
}

extension Array where Element: Hashable {
    /// The elements in order, without repeats.
    public func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}

/// Orders IDs naturally: "M2" before "M10".
public func naturalOrder(_ a: String, _ b: String) -> Bool {
    func split(_ s: String) -> (String, Int, String) {
        let prefix = s.prefix { !$0.isNumber }
        let digits = s.dropFirst(prefix.count).prefix { $0.isNumber }
        let rest = s.dropFirst(prefix.count + digits.count)
        return (String(prefix), Int(digits) ?? -1, String(rest))
    }
    let (pa, na, ra) = split(a), (pb, nb, rb) = split(b)
    if pa != pb { return pa < pb }
    if na != nb { return na < nb }
    return ra == rb ? a < b : ra < rb
}
