import CurriculumKit
import KitbagCore

/// What the load stage hands on: every unit parsed, in book order, and what the chapter
/// files' front matter says. Values only; the resolver reads it and writes nothing into it.
struct LoadedBook: Sendable {
    var paths: ProjectPaths
    var book: Book
    var curriculum: Curriculum
    var sources: HandbookSources
    /// Units in book order: preface, chapters, glossary, then curriculum bodies.
    var units: [ParsedUnit] = []
    var chapterUnits: [Int] = []
    var glossaryUnit: Int?
    var prefaceUnit: Int?
    var curriculumUnits: [String: Int] = [:]
    var pathwayUnit: Int?
    var frameworkUnit: Int?
    /// Chapter front matter (origin) by chapter index.
    var chapterOrigins: [Int: String] = [:]
    /// Chapter front matter `id:` by chapter index.
    var chapterExplicitIDs: [Int: String] = [:]
    /// Glossary terms (by ID) that keep their capitals in running text (`keep-capitals:` in glossary.md).
    var glossaryKeepsCapitals: [(id: String, location: SourceLocation)] = []
    /// Chapters marked `component: adaptable`, by index (known when parsed in this run).
    var adaptableChapters: Set<Int> = []
}

/// A heading's place in the one namespace: its ID and number.
struct ResolvedHeading: Sendable {
    var id: String
    var number: String? = nil
}

/// What the resolve stage works out from a `LoadedBook`.
struct Resolution: Sendable {
    /// Each unit's headings as resolved, parallel to `units[u].headings`.
    var headings: [[ResolvedHeading]] = []
    /// Every ID in the one namespace.
    var targets: [String: Target] = [:]
    /// Who refers to each ID, in book order.
    var backReferences: [String: [BackReference]] = [:]
    /// Resolved link targets by unit and link index (nil: left alone, e.g. external).
    var linkTargets: [[ResolvedLink?]] = []
    /// Tables by unit: directive index -> table.
    var tables: [Int: [Int: TableDirective]] = [:]
    /// Each chapter's resolved ID by chapter index.
    var chapterIDs: [Int: String] = [:]
}

/// The resolved handbook: every unit parsed, numbered and cross-referenced, ready to render.
/// Read-only once made, so every stage after the resolver shares it across cores.
public final class Handbook: Sendable {
    let loaded: LoadedBook
    let resolution: Resolution
    /// Accepted changes for `{changes}`.
    public let changes: [ChangeEntry]
    /// Sections changed since a revision (`--since`), marked in the text.
    public let changesSince: ChangesSince?
    /// The site edition this handbook was resolved for (nil: the shared edition).
    public let edition: EditionPlan?
    /// Every target, its hrefs and text, and who refers to it.
    let index: TargetIndex

    init(_ loaded: LoadedBook, _ resolution: Resolution, changes: [ChangeEntry] = [], changesSince: ChangesSince? = nil, edition: EditionPlan? = nil) {
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
    var sources: HandbookSources { loaded.sources }
    var units: [ParsedUnit] { loaded.units }
    var chapterUnits: [Int] { loaded.chapterUnits }
    var glossaryUnit: Int? { loaded.glossaryUnit }
    var prefaceUnit: Int? { loaded.prefaceUnit }
    var curriculumUnits: [String: Int] { loaded.curriculumUnits }
    var pathwayUnit: Int? { loaded.pathwayUnit }
    var frameworkUnit: Int? { loaded.frameworkUnit }
    var chapterOrigins: [Int: String] { loaded.chapterOrigins }
    var chapterExplicitIDs: [Int: String] { loaded.chapterExplicitIDs }
    var adaptableChapters: Set<Int> { loaded.adaptableChapters }
    /// Every ID in the one namespace.
    public var targets: [String: Target] { index.targets }
    /// Who refers to each ID, in book order.
    public var backReferences: [String: [BackReference]] { index.backReferences }
    var linkTargets: [[ResolvedLink?]] { resolution.linkTargets }
    var tables: [Int: [Int: TableDirective]] { resolution.tables }

    /// Unit `u`'s headings as resolved (parallel to `units[u].headings`).
    func headings(_ u: Int) -> [ResolvedHeading] { u < resolution.headings.count ? resolution.headings[u] : [] }

    /// What rendering unit `u` reads.
    func context(of u: Int) -> UnitContext {
        UnitContext(unit: units[u], headings: headings(u), links: u < linkTargets.count ? linkTargets[u] : [], tables: tables[u] ?? [:],
                    index: index, changesSince: changesSince,
                    generated: { [self] name, context in Directives.render(name, handbook: self, context: context) })
    }

    /// A chapter's resolved ID.
    func chapterID(_ index: Int) -> String? { resolution.chapterIDs[index] }

    /// A chapter's `#` heading: its index among the unit's headings.
    func chapterHeading(_ index: Int) -> Int? {
        guard index < chapterUnits.count else { return nil }
        return units[chapterUnits[index]].headings.firstIndex { $0.level == 1 }
    }

}

/// A link after resolution.
enum ResolvedLink: Sendable {
    /// A cross-reference to an ID.
    case target(String)
    /// An image copied to the site: its path under images/.
    case image(String)
}

/// A `{table} #id Caption` block, parsed.
struct TableDirective: Sendable {
    var id: String
    var caption: String
    var number: String
    var rows: [[String]]
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
