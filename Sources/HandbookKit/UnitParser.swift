import KitbagCore
import Markdown

/// A unit's cmark tree and the nodes its walk met, in walk order (parallel to the unit's
/// headings, links and directives). The load stage hands the trees it made to the render
/// stage, which alone edits them; a unit without one is parsed again when it is rendered.
package final class UnitTree: Sendable {
    let document: MarkdownDocument
    let headings: [MarkdownNode]
    let links: [MarkdownNode]
    let directives: [MarkdownNode]

    init(document: MarkdownDocument, headings: [MarkdownNode], links: [MarkdownNode], directives: [MarkdownNode]) {
        self.document = document
        self.headings = headings
        self.links = links
        self.directives = directives
    }
}

/// The one cmark parse and walk of a unit: the edition's edits and site values are made on
/// the tree, then one walk collects headings (their `{#id}`/`{-}` taken off the text), links
/// and directives with their source locations.
struct UnitParser {
    let source: SourceFile
    let relativePath: String
    let unsafeHTML: Bool
    /// Top-level blocks an adaptation brought in, with the file they came from (for locations).
    private(set) var foreign: [MarkdownNode: SourceFile] = [:]
    /// Headings after a section the edition left out, with that section's level.
    private var gaps: [MarkdownNode: [Int]] = [:]
    /// What the edition's edits reported (before the walk).
    private var editDiagnostics: [Diagnostic] = []

    private init(source: SourceFile, relativePath: String, unsafeHTML: Bool) {
        self.source = source
        self.relativePath = relativePath
        self.unsafeHTML = unsafeHTML
    }

    static func parse(source: SourceFile, relativePath: String, body: String, unsafeHTML: Bool, edition: UnitEdition?) -> (UnitSummary, UnitTree) {
        var parser = UnitParser(source: source, relativePath: relativePath, unsafeHTML: unsafeHTML)
        var options: MarkdownDocument.Options = [.sourcePosition]
        if unsafeHTML { options.insert(.unsafe) }
        let document = MarkdownDocument(parsing: body, options: options)
        // A byte search: `contains` compares characters, which cost a quarter of a large build.
        if let edition, !edition.adaptations.isEmpty || body.containsBytes("{{site.") {
            var bag = DiagnosticBag()
            let edits = EditionEdits.apply(edition, to: document, unit: parser, bag: &bag)
            parser.foreign = edits.foreign
            parser.gaps = edits.gaps
            SiteValues.fill(edition.values, in: document, unit: parser, bag: &bag)
            parser.editDiagnostics = bag.all
        }
        let walk = parser.scan(document)
        let tree = UnitTree(document: document, headings: walk.headingNodes, links: walk.linkNodes, directives: walk.directiveNodes)
        return (walk.summary, tree)
    }

    /// What the walk collects. The parser itself stays unchanged while it walks, so that the
    /// walk's closure reads it without copying it (and all it holds) for every node.
    private struct Walk {
        var summary = UnitSummary()
        var headingNodes: [MarkdownNode] = []
        var linkNodes: [MarkdownNode] = []
        var directiveNodes: [MarkdownNode] = []
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

    private func scan(_ document: MarkdownDocument) -> Walk {
        var walk = Walk()
        walk.summary.diagnostics = editDiagnostics
        document.rootNode.walk { node in
            switch node.kind {
            case .heading:
                let (title, id, unnumbered, adaptable) = Slug.attributes(node.plainText)
                Self.stripAttributes(from: node)
                walk.summary.headings.append(ParsedHeading(level: node.headingLevel, title: title, explicitID: id, unnumbered: unnumbered,
                                                           location: location(node), adaptable: adaptable, gapsBefore: gaps[node] ?? []))
                walk.headingNodes.append(node)
                return true
            case .link, .image:
                walk.summary.links.append(ParsedLink(url: node.url ?? "", isEmpty: node.firstChild == nil, location: location(node),
                                                     section: walk.summary.headings.count - 1, isImage: node.kind == .image))
                walk.linkNodes.append(node)
                return true
            case .codeBlock:
                if let info = node.fenceInfo?.trimmed(), info.hasPrefix("{") {
                    let close = info.firstIndex(of: "}") ?? info.endIndex
                    let name = String(info[info.index(after: info.startIndex)..<close])
                    let rest = close < info.endIndex ? String(info[info.index(after: close)...]).trimmed() : ""
                    walk.summary.directives.append(ParsedDirective(name: name, arguments: rest, body: node.literal ?? "",
                                                                   location: location(node), section: walk.summary.headings.count - 1))
                    walk.directiveNodes.append(node)
                }
                return false
            case .htmlBlock, .htmlInline:
                if !unsafeHTML {
                    walk.summary.diagnostics.append(.warning(.rawHTML, "raw HTML is not passed through to the site (use --unsafe-html to allow it)", at: location(node)))
                }
                return false
            case .paragraph:
                if let warning = pipeTableWarning(node) { walk.summary.diagnostics.append(warning) }
                return true
            default:
                return true
            }
        }
        return walk
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
    private static func stripAttributes(from heading: MarkdownNode) {
        guard let last = heading.lastChild, last.kind == .text, let text = last.literal else { return }
        let (title, id, unnumbered, adaptable) = Slug.attributes(text)
        guard id != nil || unnumbered || adaptable else { return }
        last.literal = title
    }

    /// A paragraph that looks like a pipe table (CommonMark has none) gets a warning.
    private func pipeTableWarning(_ node: MarkdownNode) -> Diagnostic? {
        guard node.startLine > 0, node.endLine > node.startLine, foreign.isEmpty || foreignSource(node) == nil else { return nil }
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
                return .warning(.pipeTable, "this looks like a pipe table, which CommonMark does not have; use a '{table} #id Caption' block with CSV rows",
                                at: source.at(line: node.startLine, column: 1))
            }
        }
        return nil
    }
}
