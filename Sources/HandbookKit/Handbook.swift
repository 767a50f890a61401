import CurriculumKit
import KitbagCore

/// The resolved handbook: every unit parsed, numbered and cross-referenced, ready to render.
public final class Handbook {
    public let paths: ProjectPaths
    public let book: Book
    public let curriculum: Curriculum
    let sources: HandbookSources
    /// Units in book order: preface, chapters, glossary, then curriculum bodies.
    var units: [ParsedDocument] = []
    var chapterUnits: [Int] = []
    var glossaryUnit: Int?
    var prefaceUnit: Int?
    var curriculumUnits: [String: Int] = [:]
    var pathwayUnit: Int?
    var frameworkUnit: Int?
    /// Every ID in the one namespace.
    public internal(set) var targets: [String: Target] = [:]
    /// Who refers to each ID, in book order.
    public internal(set) var backReferences: [String: [BackReference]] = [:]
    /// Resolved link targets by unit and link index (nil: left alone, e.g. external).
    var linkTargets: [[ResolvedLink?]] = []
    /// Tables by unit: directive index -> table.
    var tables: [Int: [Int: TableDirective]] = [:]
    /// Chapter front matter (origin) by chapter index.
    var chapterOrigins: [Int: String] = [:]
    /// Glossary terms (by ID) that keep their capitals in running text (`keep-capitals:` in glossary.md).
    var glossaryKeepsCapitals: [(id: String, location: SourceLocation)] = []
    /// Chapters marked `component: adaptable`, by index (known when parsed in this run).
    var adaptableChapters: Set<Int> = []
    /// Sections changed since a revision (`--since`), marked in the text.
    public internal(set) var changesSince: ChangesSince?
    /// The site edition this handbook was resolved for (nil: the shared edition).
    public internal(set) var edition: EditionPlan?
    /// Chapter front matter `id:` by chapter index.
    var chapterExplicitIDs: [Int: String] = [:]
    /// Each chapter's resolved ID by chapter index, set when chapters are numbered, so pages that
    /// list chapters never read another unit's headings while that unit is being parsed on another core.
    var chapterIDs: [Int: String] = [:]

    /// A chapter's resolved ID: the one numbering recorded, else (a build restored from the
    /// cache) its heading's.
    func chapterID(_ index: Int) -> String? {
        if let id = chapterIDs[index] { return id }
        guard index < chapterUnits.count else { return nil }
        return units[chapterUnits[index]].headings.first(where: { $0.level == 1 })?.id
    }
    /// Each target's hrefs and escaped text (see `prepareTargetStrings`).
    var targetStrings: [String: TargetStrings] = [:]

    /// Works out every target's hrefs and escaped text once; call before rendering starts
    /// (rendering on several threads only reads them).
    func prepareTargetStrings() {
        var strings: [String: TargetStrings] = [:]
        strings.reserveCapacity(targets.count)
        for (id, t) in targets { strings[id] = TargetStrings(t) }
        targetStrings = strings
        prepareImages()
    }

    /// Images under Handbook/images/ as data URIs, for the one-page edition (see `prepareImages`).
    var imageDataURIs: [String: String] = [:]
    /// Each image's content fingerprint, for render keys (filled in by the build plan).
    var imageHashes: [String: Fingerprint] = [:]

    /// Reads every image once, as a data URI (the one-page edition carries its images);
    /// call before rendering starts. An image that cannot be read keeps its relative path.
    func prepareImages() {
        var uris: [String: String] = [:]
        for name in sources.images {
            guard let bytes = try? FileSystem.readBytes(FileSystem.join(paths.handbook, "images", name)) else { continue }
            uris[name] = DataURI.make(bytes, mediaType: DataURI.mediaType(forFile: name))
        }
        imageDataURIs = uris
    }

    /// Each target's text, page and anchor as one fingerprint (filled in by the build plan).
    var targetFingerprints: [String: Fingerprint] = [:]
    /// Accepted changes for `{changes}`.
    public var changes: [ChangeEntry] = []

    init(paths: ProjectPaths, book: Book, curriculum: Curriculum, sources: HandbookSources) {
        self.paths = paths
        self.book = book
        self.curriculum = curriculum
        self.sources = sources
    }
}

/// A link after resolution.
enum ResolvedLink {
    /// A cross-reference to an ID.
    case target(String)
    /// An image copied to the site: its path under images/.
    case image(String)
}

/// A `{table} #id Caption` block, parsed.
struct TableDirective {
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
