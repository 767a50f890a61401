import CurriculumKit
import KitbagCore

/// What the load stage hands on: every unit parsed, in book order, and what the chapter
/// files' front matter says. Values only; the resolver reads it and writes nothing into it.
package struct LoadedBook: Sendable {
    package var paths: ProjectPaths
    package var book: Book
    package var curriculum: Curriculum
    package var sources: HandbookSources
    /// Units in book order: preface, chapters, glossary, then curriculum bodies.
    package var units: [ParsedUnit] = []
    package var chapterUnits: [Int] = []
    package var glossaryUnit: Int?
    package var prefaceUnit: Int?
    package var curriculumUnits: [String: Int] = [:]
    package var pathwayUnit: Int?
    package var frameworkUnit: Int?
    /// Chapter front matter (origin) by chapter index.
    package var chapterOrigins: [Int: String] = [:]
    /// Chapter front matter `id:` by chapter index.
    package var chapterExplicitIDs: [Int: String] = [:]
    /// Glossary terms (by ID) that keep their capitals in running text (`keep-capitals:` in glossary.md).
    package var glossaryKeepsCapitals: [(id: String, location: SourceLocation)] = []
    /// Chapters marked `component: adaptable`, by index (known when parsed in this run).
    package var adaptableChapters: Set<Int> = []
}

/// A heading's place in the one namespace: its ID and number.
package struct ResolvedHeading: Sendable {
    package var id: String
    package var number: String?

    package init(id: String, number: String? = nil) {
        self.id = id
        self.number = number
    }
}

/// What the resolve stage works out from a `LoadedBook`.
package struct Resolution: Sendable {
    /// Each unit's headings as resolved, parallel to `units[u].headings`.
    package var headings: [[ResolvedHeading]] = []
    /// Every ID in the one namespace.
    package var targets: [String: Target] = [:]
    /// Who refers to each ID, in book order.
    package var backReferences: [String: [BackReference]] = [:]
    /// Resolved link targets by unit and link index (nil: left alone, e.g. external).
    package var linkTargets: [[ResolvedLink?]] = []
    /// Tables by unit: directive index -> table.
    package var tables: [Int: [Int: TableDirective]] = [:]
    /// Each chapter's resolved ID by chapter index.
    package var chapterIDs: [Int: String] = [:]
}

/// The resolved handbook: every unit parsed, numbered and cross-referenced, ready to render.
/// Read-only once made, so every stage after the resolver shares it across cores.
public final class Handbook: Sendable {
    package let loaded: LoadedBook
    package let resolution: Resolution
    /// Accepted changes for `{changes}`.
    public let changes: [ChangeEntry]
    /// Sections changed since a revision (`--since`), marked in the text.
    public let changesSince: ChangesSince?
    /// The site edition this handbook was resolved for (nil: the shared edition).
    public let edition: EditionPlan?
    /// Every target, its hrefs and text, and who refers to it.
    package let index: TargetIndex

    package init(_ loaded: LoadedBook, _ resolution: Resolution, changes: [ChangeEntry] = [], changesSince: ChangesSince? = nil, edition: EditionPlan? = nil) {
        self.loaded = loaded
        self.resolution = resolution
        self.changes = changes
        self.changesSince = changesSince
        self.edition = edition
        index = TargetIndex(targets: resolution.targets, backReferences: resolution.backReferences)
    }

    public var paths: ProjectPaths { loaded.paths }
    public var book: Book { loaded.book }
    public var curriculum: Curriculum { loaded.curriculum }
    package var sources: HandbookSources { loaded.sources }
    package var units: [ParsedUnit] { loaded.units }
    package var chapterUnits: [Int] { loaded.chapterUnits }
    package var glossaryUnit: Int? { loaded.glossaryUnit }
    package var prefaceUnit: Int? { loaded.prefaceUnit }
    package var curriculumUnits: [String: Int] { loaded.curriculumUnits }
    package var pathwayUnit: Int? { loaded.pathwayUnit }
    package var frameworkUnit: Int? { loaded.frameworkUnit }
    package var chapterOrigins: [Int: String] { loaded.chapterOrigins }
    package var chapterExplicitIDs: [Int: String] { loaded.chapterExplicitIDs }
    package var adaptableChapters: Set<Int> { loaded.adaptableChapters }
    /// Every ID in the one namespace.
    public var targets: [String: Target] { index.targets }
    /// Who refers to each ID, in book order.
    public var backReferences: [String: [BackReference]] { index.backReferences }
    package var linkTargets: [[ResolvedLink?]] { resolution.linkTargets }
    package var tables: [Int: [Int: TableDirective]] { resolution.tables }

    /// Unit `u`'s headings as resolved (parallel to `units[u].headings`).
    package func headings(_ u: Int) -> [ResolvedHeading] { u < resolution.headings.count ? resolution.headings[u] : [] }

    /// What rendering unit `u` reads.
    package func context(of u: Int) -> UnitContext {
        UnitContext(unit: units[u], headings: headings(u), links: u < linkTargets.count ? linkTargets[u] : [], tables: tables[u] ?? [:],
                    index: index, changesSince: changesSince,
                    generated: { [self] name, context in Directives.render(name, handbook: self, context: context) })
    }

    /// A chapter's resolved ID.
    package func chapterID(_ index: Int) -> String? { resolution.chapterIDs[index] }

    /// A chapter's `#` heading: its index among the unit's headings.
    package func chapterHeading(_ index: Int) -> Int? {
        guard index < chapterUnits.count else { return nil }
        return units[chapterUnits[index]].headings.firstIndex { $0.level == 1 }
    }

}

/// A link after resolution.
package enum ResolvedLink: Sendable {
    /// A cross-reference to an ID.
    case target(String)
    /// An image copied to the site: its path under images/.
    case image(String)
}

/// A `{table} #id Caption` block, parsed.
package struct TableDirective: Sendable {
    package var id: String
    package var caption: String
    package var number: String
    package var rows: [[String]]
}

/// One accepted change for the provenance appendix.
public struct ChangeEntry: Sendable {
    public var date: String
    public var target: String
    public var summary: String
    public var group: String
    public var round: String
    public var proposal: String
    public init(date: String, target: String, summary: String, group: String, round: String, proposal: String) {
        self.date = date
        self.target = target
        self.summary = summary
        self.group = group
        self.round = round
        self.proposal = proposal
    }
}
