import KitbagCore

/// What a Markdown unit is: a chapter, the glossary, the preface or a curriculum item's body.
public enum UnitKind: Sendable, Equatable {
    case chapter(index: Int)
    case glossary
    case preface
    case curriculum(id: String)
    case pathway
    case framework
}

/// A heading as written: level, title without its `{#id}`/`{-}`, and where it is.
package struct ParsedHeading: Sendable {
    package var level: Int
    package var title: String
    package var explicitID: String?
    package var unnumbered: Bool
    package var location: SourceLocation
    /// Marked `{#id .adaptable}`: a site edition may adapt the section.
    package var adaptable = false
    /// Levels of sections a site edition left out just before this heading: numbering counts
    /// them, so core section numbers are the same in every edition.
    package var gapsBefore: [Int] = []
}

/// A link or image in the text.
package struct ParsedLink: Sendable {
    package var url: String
    package var isEmpty: Bool
    package var location: SourceLocation
    /// Index of the heading the link sits under (-1: before the first heading).
    package var section: Int
    package var isImage: Bool
}

/// A fenced block whose info string starts with `{`.
package struct ParsedDirective: Sendable {
    package var name: String
    /// The rest of the info string after `{name}`.
    package var arguments: String
    package var body: String
    package var location: SourceLocation
    package var section: Int
}

/// What a unit's cmark walk found, without the tree: its headings, links and directives in
/// walk order and the walk's diagnostics. The build cache keeps it by content, so a unit whose
/// text has not changed is resolved without being parsed again.
package struct UnitSummary: Sendable {
    package var headings: [ParsedHeading] = []
    package var links: [ParsedLink] = []
    package var directives: [ParsedDirective] = []
    package var diagnostics: [Diagnostic] = []

    package init() {}
}

/// Where a unit's text comes from: read in this run, or read again from its file on demand
/// (a unit restored from the build cache, read only if one of its pages is rendered again).
package enum UnitText: Sendable {
    case read(SourceFile, body: String)
    case onDisk(@Sendable () -> (SourceFile, String)?)

    /// The file and the Markdown body (front matter removed).
    package var contents: (SourceFile, String)? {
        switch self {
        case .read(let source, let body): (source, body)
        case .onDisk(let load): load()
        }
    }
}

/// One Markdown unit as the load stage hands it on: a value, with no cmark node in it. The
/// tree it was parsed into goes to the render stage on its own (`UnitTree`); the resolver
/// reads units and writes nothing into them.
package struct ParsedUnit: Sendable {
    package let kind: UnitKind
    package let relativePath: String
    package let text: UnitText
    /// What the walk found. A chapter's `#` heading carries the front matter's `id:` as its
    /// explicit ID (`withChapterID`).
    package private(set) var summary: UnitSummary
    /// Whether the unit was parsed with raw HTML passed through (adaptations are parsed alike).
    package let unsafeHTML: Bool
    /// What the edition changes before the walk (site values, adaptations); nil: nothing.
    package let edition: UnitEdition?
    /// The unit's key in the build cache (nil when built without one).
    package let contentKey: Fingerprint?
    /// Its headings, links and directives as written (places aside): what other pages can
    /// see of it. Taken from the walk, before front matter values are added.
    package let structureKey: Fingerprint

    package init(kind: UnitKind, relativePath: String, text: UnitText, summary: UnitSummary, unsafeHTML: Bool, edition: UnitEdition?,
         contentKey: Fingerprint?) {
        self.kind = kind
        self.relativePath = relativePath
        self.text = text
        self.summary = summary
        self.unsafeHTML = unsafeHTML
        self.edition = edition
        self.contentKey = contentKey
        structureKey = Self.structureKey(of: summary)
    }

    package var headings: [ParsedHeading] { summary.headings }
    package var links: [ParsedLink] { summary.links }
    package var directives: [ParsedDirective] { summary.directives }
    package var diagnostics: [Diagnostic] { summary.diagnostics }

    /// The file's text (read again for a unit restored from the cache; empty when it is gone).
    package var source: SourceFile { text.contents?.0 ?? SourceFile(displayPath: relativePath, text: "") }

    /// The unit with `id:` from a chapter's front matter as its `#` heading's explicit ID
    /// (when the heading has none of its own).
    package func withChapterID(_ id: String?) -> ParsedUnit {
        guard let id, let h1 = summary.headings.firstIndex(where: { $0.level == 1 }), summary.headings[h1].explicitID == nil else { return self }
        var unit = self
        unit.summary.headings[h1].explicitID = id
        return unit
    }

    package static func structureKey(of s: UnitSummary) -> Fingerprint {
        var h = FingerprintHasher()
        h.add(s.headings.count)
        for x in s.headings { h.add(x.level); h.add(x.title); h.add(x.explicitID); h.add(x.unnumbered) }
        h.add(s.links.count)
        for x in s.links { h.add(x.url); h.add(x.isEmpty); h.add(x.section); h.add(x.isImage) }
        h.add(s.directives.count)
        for x in s.directives { h.add(x.name); h.add(x.arguments); h.add(x.body); h.add(x.section) }
        return h.finish()
    }

    /// Parses a unit (or, when the store has its walk from an earlier build, takes that
    /// instead): the unit, and the tree when it was parsed in this run.
    /// `rawKey` is the unit's key before the edition's changes (`UnitKey.unit`), and
    /// `placeholders` the body's `SiteValues.placeholderNames`, when the caller has them.
    package static func load(kind: UnitKind, source: SourceFile, relativePath: String, body: String, unsafeHTML: Bool, store: (any UnitCache)? = nil,
                     edition: UnitEdition? = nil, rawKey: Fingerprint? = nil, placeholders: [String]? = nil) -> (ParsedUnit, UnitTree?) {
        let key = store.map { _ in
            (rawKey ?? UnitKey.unit(kind: kind, source: source, relativePath: relativePath, body: body, unsafeHTML: unsafeHTML))
                .salted(edition, names: placeholders ?? SiteValues.placeholderNames(in: body))
        }
        let text = UnitText.read(source, body: body)
        if let key, let summary = store?.summary(for: key) {
            return (ParsedUnit(kind: kind, relativePath: relativePath, text: text, summary: summary, unsafeHTML: unsafeHTML, edition: edition, contentKey: key), nil)
        }
        let (summary, tree) = UnitParser.parse(source: source, relativePath: relativePath, body: body, unsafeHTML: unsafeHTML, edition: edition)
        if let key { store?.record(summary, for: key) }
        return (ParsedUnit(kind: kind, relativePath: relativePath, text: text, summary: summary, unsafeHTML: unsafeHTML, edition: edition, contentKey: key), tree)
    }

    /// The unit's tree, parsed again from its text: the same walk meets the same nodes in the
    /// same order as when the unit was first parsed (nil when its file can no longer be read).
    package func parseTree() -> UnitTree? {
        guard let (source, body) = text.contents else { return nil }
        return UnitParser.parse(source: source, relativePath: relativePath, body: body, unsafeHTML: unsafeHTML, edition: edition).1
    }
}
