import KitbagCore

/// The curriculum's own rules: every link names a known item of the right kind, prerequisites
/// have no cycle, assessments assess something, and coverage gaps are warned about.
public enum CurriculumValidator {
    public static func validate(_ c: Curriculum) -> [Diagnostic] {
        var bag = DiagnosticBag()
        let principleIDs = c.principles.map(\.info.id)
        let competencyIDs = c.competencies.map(\.info.id)
        let moduleIDs = c.modules.map(\.info.id)
        let assessmentIDs = c.assessments.map(\.info.id)

        func check(_ refs: [Reference], expected: CurriculumKind, known: [String], in item: ItemInfo?, code: Diagnostic.Code) {
            for ref in refs where !known.contains(ref.id) {
                var notes: [Diagnostic.Note] = []
                if let other = c.item(ref.id) {
                    notes.append(.init("'\(ref.id)' is \(other.kind.article), not \(expected.article)", at: other.location))
                } else if let guess = DidYouMean.closest(to: ref.id, in: known) {
                    notes.append(.init("did you mean '\(guess)'?"))
                }
                let owner = item.map { " in \($0.id)" } ?? ""
                bag.error(code, "unknown \(expected.rawValue) '\(ref.id)'\(owner)", at: ref.location, notes: notes)
            }
        }

        for comp in c.competencies {
            check(comp.principles, expected: .principle, known: principleIDs, in: comp.info, code: .unknownPrinciple)
        }
        for module in c.modules {
            check(module.competencies, expected: .competency, known: competencyIDs, in: module.info, code: .unknownCompetency)
            check(module.prerequisites, expected: .module, known: moduleIDs, in: module.info, code: .unknownModule)
        }
        for a in c.assessments {
            check(a.modules, expected: .module, known: moduleIDs, in: a.info, code: .unknownModule)
            check(a.competencies, expected: .competency, known: competencyIDs, in: a.info, code: .unknownCompetency)
            if a.modules.isEmpty && a.competencies.isEmpty {
                bag.error(.assessmentOfNothing, "assessment '\(a.info.id)' names no modules or competencies to assess",
                          at: a.info.location, notes: [.init("add 'modules: [...]' or 'competencies: [...]'")])
            }
        }
        if let pathway = c.pathway {
            check(pathway.requiredModules, expected: .module, known: moduleIDs, in: nil, code: .unknownModule)
            check(pathway.requiredAssessments, expected: .assessment, known: assessmentIDs, in: nil, code: .unknownAssessment)
        }
        for cycle in prerequisiteCycles(c) {
            guard let first = cycle.first, let last = cycle.last, let closing = c.module(last) else { continue }
            let path = (cycle + [first]).joined(separator: " -> ")
            // The reference that closes the cycle: the last module's prerequisite naming the first.
            let location = closing.prerequisites.first { $0.id == first }?.location ?? closing.info.location
            bag.error(.prerequisiteCycle, "prerequisite cycle: \(path)", at: location,
                      notes: cycle.compactMap { id in c.module(id).map { .init("'\(id)' is defined here", at: $0.info.location) } })
        }
        // Coverage warnings.
        for p in c.principles where c.competencies(serving: p.info.id).isEmpty {
            bag.warning(.principleWithoutCompetency, "no competency serves principle '\(p.info.id)'", at: p.info.location)
        }
        for comp in c.competencies {
            if c.modules(covering: comp.info.id).isEmpty {
                bag.warning(.competencyWithoutModule, "no module covers competency '\(comp.info.id)'", at: comp.info.location)
            }
            if c.assessments(assessing: comp.info.id).isEmpty {
                bag.warning(.competencyWithoutAssessment, "no assessment assesses competency '\(comp.info.id)'", at: comp.info.location)
            }
        }
        FidelityInstrumentRules.validate(c, into: &bag)
        return bag.all
    }

    /// Each prerequisite cycle once, as module IDs in order, starting from its smallest ID.
    public static func prerequisiteCycles(_ c: Curriculum) -> [[String]] {
        var state: [String: Int] = [:]  // 1: on the stack, 2: done
        var stack: [String] = []
        var cycles: [[String]] = []
        var seen = Set<[String]>()
        func visit(_ id: String) {
            state[id] = 1
            stack.append(id)
            for pre in c.module(id)?.prerequisites ?? [] where c.module(pre.id) != nil {
                if state[pre.id] == 1, let start = stack.firstIndex(of: pre.id) {
                    // The path is id -> pre; "A requires B" reads A -> B.
                    var cycle = Array(stack[start...])
                    if let minIndex = cycle.indices.min(by: { naturalOrder(cycle[$0], cycle[$1]) }) {
                        cycle = Array(cycle[minIndex...] + cycle[..<minIndex])
                    }
                    if seen.insert(cycle).inserted { cycles.append(cycle) }
                } else if state[pre.id] == nil {
                    visit(pre.id)
                }
            }
            stack.removeLast()
            state[id] = 2
        }
        for m in c.modules where state[m.info.id] == nil { visit(m.info.id) }
        return cycles
    }
}
