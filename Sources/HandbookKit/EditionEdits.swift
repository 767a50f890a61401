import KitbagCore
import Markdown

/// A site edition's changes to one chapter's tree, made after parsing and before the walk:
/// an adaptable section's content replaced (or the section left out), or subsections added at
/// the end of an adaptable section. The adaptation's own tree is parsed and its blocks moved
/// in, so that everything after (IDs, numbers, references) sees one chapter.
enum EditionEdits {
    struct Result {
        /// Blocks brought in, with the adaptation file they came from.
        var foreign: [MarkdownNode: SourceFile] = [:]
        /// Headings that follow a section the edition left out, with that section's level.
        var gaps: [MarkdownNode: [Int]] = [:]
    }

    static func apply(_ edition: UnitEdition, to document: MarkdownDocument, unit: UnitParser, bag: inout DiagnosticBag) -> Result {
        var result = Result()
        for adaptation in edition.adaptations where adaptation.kind != .standsInFor {
            let blocks = document.rootNode.children
            guard let t = blocks.firstIndex(where: { $0.kind == .heading && headingID($0, chapterID: edition.chapterID) == adaptation.target }) else {
                bag.error(.adaptationTargetNotFound, "no section '\(adaptation.target)' in \(unit.relativePath) to adapt",
                          at: adaptation.targetLocation)
                continue
            }
            let heading = blocks[t]
            let level = heading.headingLevel
            let end = blocks[(t + 1)...].firstIndex { $0.kind == .heading && $0.headingLevel <= level } ?? blocks.count
            let following: MarkdownNode? = end < blocks.count ? blocks[end] : nil

            var options: MarkdownDocument.Options = [.sourcePosition, .validateUTF8]
            if unit.unsafeHTML { options.insert(.unsafe) }
            let incomingDocument = MarkdownDocument(parsing: adaptation.body, options: options)
            let incoming = incomingDocument.rootNode.children
            // Headings brought in become subsections of the adapted section.
            let topLevels = incoming.filter { $0.kind == .heading }.map(\.headingLevel)
            if let shallowest = topLevels.min() {
                let shift = level + 1 - shallowest
                for node in incoming where node.kind == .heading { node.headingLevel = node.headingLevel + shift }
            }

            switch adaptation.kind {
            case .replaces:
                for node in blocks[(t + 1)..<end] { node.remove() }
                if adaptation.removes {
                    heading.remove()
                    if let following { result.gaps[following, default: []].append(level) }
                    continue
                }
                var anchor = heading
                for node in incoming {
                    anchor.insertAfter(node)
                    result.foreign[node] = adaptation.source
                    anchor = node
                }
            case .addsTo:
                guard incoming.first?.kind == .heading else {
                    let at = incoming.first.map { adaptation.source.location(line: max($0.startLine, 1), byteColumn: max($0.startColumn, 1)) } ?? adaptation.source.start
                    bag.error(.adaptationNeedsHeading, "added content starts with a heading: it becomes a subsection at the end of '\(adaptation.target)'",
                              at: at, notes: [.init("core section numbers stay the same in every edition because added content only ever comes as subsections at the end")])
                    continue
                }
                for node in incoming {
                    if let following { following.insertBefore(node) } else { document.rootNode.append(node) }
                    result.foreign[node] = adaptation.source
                }
            case .standsInFor:
                break
            }
        }
        return result
    }

    /// A heading's ID as the resolver will give it (explicit, the chapter's for `#`, else its slug).
    static func headingID(_ node: MarkdownNode, chapterID: String?) -> String {
        let attributes = Slug.attributes(node.plainText)
        if node.headingLevel == 1 { return attributes.id ?? chapterID ?? Slug.make(attributes.title) }
        return attributes.id ?? Slug.make(attributes.title)
    }
}
