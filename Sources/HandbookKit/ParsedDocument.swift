import KitbagCore
import Markdown

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
struct HeadingInfo {
    var node: MarkdownNode
    var level: Int
    var title: String
    var explicitID: String?
    var unnumbered: Bool
    var location: SourceLocation
    /// Filled in by the resolver.
    var id = ""
    var number: String?
    var isSuffixedSlug = false
    /// Marked `{#id .adaptable}`: a site edition may adapt the section. Known only for units
    /// parsed in this run (site editions and checks parse afresh; the shared build does not
    /// need it).
    var adaptable = false
    /// Levels of sections a site edition left out just before this heading: numbering counts
    /// them, so core section numbers are the same in every edition.
    var gapsBefore: [Int] = []
}

/// A link or image in the text.
struct LinkInfo {
    var node: MarkdownNode
    var url: String
    var isEmpty: Bool
    var location: SourceLocation
    /// Index of the heading the link sits under (-1: before the first heading).
    var section: Int
    var isImage: Bool
}

/// A fenced block whose info string starts with `{`.
struct DirectiveInfo {
    var node: MarkdownNode
    var name: String
    /// The rest of the info string after `{name}`.
    var arguments: String
    var body: String
    var location: SourceLocation
    var section: Int
}

/// One Markdown unit parsed by cmark, with everything the resolver needs collected in one walk.
final class ParsedDocument {
    let kind: UnitKind
    let relativePath: String
    /// The file's text: given, or read on first use for a unit restored from the build cache.
    var source: SourceFile {
        if storedSource == nil { loadText() }
        return storedSource ?? SourceFile(displayPath: relativePath, text: "")
    }
    private var storedSource: SourceFile?
    private var storedBody: String?
    /// Reads the file again (source and Markdown body) for a unit that was not read this build.
    private let loader: (@Sendable () -> (SourceFile, String)?)?
    var headings: [HeadingInfo] = []
    var links: [LinkInfo] = []
    var directives: [DirectiveInfo] = []
    var diagnostics: [Diagnostic] = []
    /// The unit's key in the build cache (nil when built without one).
    let contentKey: Fingerprint?

    /// Its headings, links and directives as written (places aside): what other pages can
    /// see of it. Taken when the walk is done, before the resolver fills anything in.
    private(set) var structureKey = Fingerprint.zero

    static func structureKey(of s: UnitSummary) -> Fingerprint {
        var h = FingerprintHasher()
        h.add(s.headings.count)
        for x in s.headings { h.add(x.level); h.add(x.title); h.add(x.explicitID); h.add(x.unnumbered) }
        h.add(s.links.count)
        for x in s.links { h.add(x.url); h.add(x.isEmpty); h.add(x.section); h.add(x.isImage) }
        h.add(s.directives.count)
        for x in s.directives { h.add(x.name); h.add(x.arguments); h.add(x.body); h.add(x.section) }
        return h.finish()
    }
    private var body: String {
        if storedBody == nil { loadText() }
        return storedBody ?? ""
    }
    private let unsafeHTML: Bool
    /// Whether the unit was parsed with raw HTML passed through (adaptations are parsed alike).
    var parsedUnsafe: Bool { unsafeHTML }
    private var parsed: MarkdownDocument?
    /// What the edition changes before the walk (site values, adaptations); nil: nothing.
    let edition: UnitEdition?
    /// Top-level blocks an adaptation brought in, with the file they came from (for locations).
    private(set) var foreign: [MarkdownNode: SourceFile] = [:]
    /// Headings after a section the edition left out, with that section's level.
    private var gaps: [MarkdownNode: [Int]] = [:]

    /// The cmark tree. A unit restored from the build cache is parsed on first use, which
    /// is only when one of its pages has to be rendered again.
    var document: MarkdownDocument { parsed ?? materialize() }

    /// A unit restored from the build cache without reading its file: `summary` stands in for
    /// the walk, and the file is read (through `loader`) only if the unit has to be rendered.
    init(kind: UnitKind, relativePath: String, contentKey: Fingerprint, summary: UnitSummary, unsafeHTML: Bool,
         edition: UnitEdition? = nil, loader: @escaping @Sendable () -> (SourceFile, String)?) {
        self.kind = kind
        self.edition = edition
        self.relativePath = relativePath
        self.unsafeHTML = unsafeHTML
        self.loader = loader
        self.contentKey = contentKey
        adopt(summary)
    }

    private func loadText() {
        let (source, body) = loader?() ?? (SourceFile(displayPath: relativePath, text: ""), "")
        storedSource = source
        storedBody = body
    }

    init(kind: UnitKind, source: SourceFile, relativePath: String, body: String, unsafeHTML: Bool, store: UnitStore? = nil,
         edition: UnitEdition? = nil) {
        self.kind = kind
        self.edition = edition
        self.storedSource = source
        self.relativePath = relativePath
        self.storedBody = body
        self.loader = nil
        self.unsafeHTML = unsafeHTML
        let key = store.map { _ in UnitStore.key(kind: kind, source: source, relativePath: relativePath, body: body, unsafeHTML: unsafeHTML).salted(edition) }
        contentKey = key
        if let key, let summary = store?.summary(for: key) {
            adopt(summary)
            return
        }
        let document = parse()
        parsed = document
        scan(document, unsafeHTML: unsafeHTML)
        let walked = summary
        structureKey = Self.structureKey(of: walked)
        if let key { store?.record(walked, for: key) }
    }

    private func parse() -> MarkdownDocument {
        var options: MarkdownDocument.Options = [.sourcePosition, .validateUTF8]
        if unsafeHTML { options.insert(.unsafe) }
        let document = MarkdownDocument(parsing: body, options: options)
        if let edition, !edition.adaptations.isEmpty || body.contains("{{site.") {
            var bag = DiagnosticBag()
            let edits = EditionEdits.apply(edition, to: document, unit: self, bag: &bag)
            foreign = edits.foreign
            gaps = edits.gaps
            SiteValues.fill(edition.values, in: document, unit: self, bag: &bag)
            pendingDiagnostics = bag.all
        }
        return document
    }

    /// Diagnostics from the edition's edits, added to the walk's.
    private var pendingDiagnostics: [Diagnostic] = []

    /// What the walk found, for the build cache.
    var summary: UnitSummary {
        UnitSummary(
            headings: headings.map { .init(level: $0.level, title: $0.title, explicitID: $0.explicitID, unnumbered: $0.unnumbered, location: $0.location) },
            links: links.map { .init(url: $0.url, isEmpty: $0.isEmpty, location: $0.location, section: $0.section, isImage: $0.isImage) },
            directives: directives.map { .init(name: $0.name, arguments: $0.arguments, body: $0.body, location: $0.location, section: $0.section) },
            diagnostics: diagnostics)
    }

    /// Takes the walk's results from the cache. The nodes point into an empty stand-in
    /// document until `materialize()` parses the text.
    private func adopt(_ s: UnitSummary) {
        structureKey = Self.structureKey(of: s)
        let standIn = MarkdownDocument(parsing: "").rootNode
        headings = s.headings.map { HeadingInfo(node: standIn, level: $0.level, title: $0.title, explicitID: $0.explicitID, unnumbered: $0.unnumbered, location: $0.location) }
        links = s.links.map { LinkInfo(node: standIn, url: $0.url, isEmpty: $0.isEmpty, location: $0.location, section: $0.section, isImage: $0.isImage) }
        directives = s.directives.map { DirectiveInfo(node: standIn, name: $0.name, arguments: $0.arguments, body: $0.body, location: $0.location, section: $0.section) }
        diagnostics = s.diagnostics
    }

    /// Parses the text of a unit restored from the cache and attaches the real nodes. The walk
    /// meets the same nodes in the same order; what the resolver filled in is kept.
    private func materialize() -> MarkdownDocument {
        let document = parse()
        parsed = document
        let (resolvedHeadings, resolvedLinks, resolvedDirectives, kept) = (headings, links, directives, diagnostics)
        headings = []; links = []; directives = []; diagnostics = []
        scan(document, unsafeHTML: unsafeHTML)
        var h = resolvedHeadings, l = resolvedLinks, d = resolvedDirectives
        for i in h.indices where i < headings.count { h[i].node = headings[i].node }
        for i in l.indices where i < links.count { l[i].node = links[i].node }
        for i in d.indices where i < directives.count { d[i].node = directives[i].node }
        headings = h; links = l; directives = d; diagnostics = kept
        return document
    }

    func location(_ node: MarkdownNode) -> SourceLocation {
        if !foreign.isEmpty, let (file, _) = foreignSource(node) {
            let line = node.startLine > 0 ? node.startLine : node.nearestLine
            return file.location(line: max(line, 1), byteColumn: node.startLine > 0 ? max(node.startColumn, 1) : 1)
        }
        let line = node.startLine > 0 ? node.startLine : node.nearestLine
        let column = node.startLine > 0 ? max(node.startColumn, 1) : 1
        return source.location(line: max(line, 1), byteColumn: column)
    }

    private func scan(_ document: MarkdownDocument, unsafeHTML: Bool) {
        diagnostics += pendingDiagnostics
        pendingDiagnostics = []
        document.rootNode.walk { node in
            switch node.kind {
            case .heading:
                let (title, id, unnumbered, adaptable) = Slug.attributes(node.plainText)
                stripAttributes(from: node)
                var heading = HeadingInfo(node: node, level: node.headingLevel, title: title, explicitID: id,
                                          unnumbered: unnumbered, location: location(node))
                heading.adaptable = adaptable
                heading.gapsBefore = gaps[node] ?? []
                headings.append(heading)
                return true
            case .link, .image:
                links.append(LinkInfo(node: node, url: node.url ?? "", isEmpty: node.firstChild == nil,
                                      location: location(node), section: headings.count - 1, isImage: node.kind == .image))
                return true
            case .codeBlock:
                if let info = node.fenceInfo?.trimmed(), info.hasPrefix("{") {
                    let close = info.firstIndex(of: "}") ?? info.endIndex
                    let name = String(info[info.index(after: info.startIndex)..<close])
                    let rest = close < info.endIndex ? String(info[info.index(after: close)...]).trimmed() : ""
                    directives.append(DirectiveInfo(node: node, name: name, arguments: rest, body: node.literal ?? "",
                                                    location: location(node), section: headings.count - 1))
                }
                return false
            case .htmlBlock, .htmlInline:
                if !unsafeHTML {
                    diagnostics.append(.warning(.rawHTML, "raw HTML is not passed through to the site (use --unsafe-html to allow it)", at: location(node)))
                }
                return false
            case .paragraph:
                checkPipeTable(node)
                return true
            default:
                return true
            }
        }
    }

    /// The adaptation file a node came from, when an edition brought it in.
    func foreignSource(_ node: MarkdownNode) -> (SourceFile, MarkdownNode)? {
        var current: MarkdownNode? = node
        while let n = current {
            if let file = foreign[n] { return (file, n) }
            current = n.parent
        }
        return nil
    }

    /// Removes a trailing `{#id}` / `{-}` from the heading's last text node.
    private func stripAttributes(from heading: MarkdownNode) {
        guard let last = heading.lastChild, last.kind == .text, let text = last.literal else { return }
        let (title, id, unnumbered, adaptable) = Slug.attributes(text)
        guard id != nil || unnumbered || adaptable else { return }
        last.literal = title
    }

    /// A paragraph that looks like a pipe table (CommonMark has none) gets a warning.
    private func checkPipeTable(_ node: MarkdownNode) {
        guard node.startLine > 0, node.endLine > node.startLine, foreign.isEmpty || foreignSource(node) == nil else { return }
        for line in node.startLine...node.endLine {
            let raw = source.line(line)
            // A delimiter row has a '|' and a '-'; most lines have neither (a fast byte check).
            guard raw.utf8.contains(UInt8(ascii: "|")), raw.utf8.contains(UInt8(ascii: "-")) else { continue }
            let text = raw.trimmed()
            let cells = text.split(separator: "|", omittingEmptySubsequences: true).map { $0.trimmed() }
            let isDelimiter = text.contains("|") && cells.count >= 1
                && cells.allSatisfy { cell in
                    let core = cell.drop { $0 == ":" }.reversed().drop { $0 == ":" }
                    // GitHub's rule: one dash is enough (`|:-|-:|`, `--|--`).
                    return !core.isEmpty && core.allSatisfy { $0 == "-" }
                }
            if isDelimiter {
                diagnostics.append(.warning(.pipeTable, "this looks like a pipe table, which CommonMark does not have; use a '{table} #id Caption' block with CSV rows",
                                            at: source.at(line: node.startLine, column: 1)))
                return
            }
        }
    }
}
