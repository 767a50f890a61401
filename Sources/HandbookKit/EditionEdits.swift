import CurriculumKit
import KitbagCore
import Markdown

/// An adaptation of a chapter with the heading it adapts, as the shared edition resolved it:
/// that heading's line in the chapter file, taken from the one ID namespace
/// (`SourceOutline`). An edition never names a heading by a rule of its own, so it finds the
/// section the handbook gives the adaptation's ID to (a `-2` slug, a section called "Main").
package struct PlacedAdaptation: Sendable {
    package var adaptation: Adaptation
    /// The line of the adapted heading in the chapter file.
    package var headingLine: Int
}

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
        for placed in edition.adaptations where placed.adaptation.kind != .standsInFor {
            let adaptation = placed.adaptation
            let blocks = document.rootNode.children
            // The chapter's own heading at that line (never one an earlier adaptation brought in).
            guard let t = blocks.firstIndex(where: { $0.kind == .heading && $0.startLine == placed.headingLine && result.foreign[$0] == nil }) else {
                bag.error(.adaptationTargetNotFound, "'\(adaptation.target)' is not a section of its own in \(unit.relativePath) (its heading is inside a list or a quote, or in a section this site replaces): it cannot be adapted",
                          at: adaptation.targetLocation, notes: [.init("the heading is here", at: unit.source.location(line: max(placed.headingLine, 1), byteColumn: 1))])
                continue
            }
            let heading = blocks[t]
            let level = heading.headingLevel
            let end = blocks[(t + 1)...].firstIndex { $0.kind == .heading && $0.headingLevel <= level } ?? blocks.count
            let following: MarkdownNode? = end < blocks.count ? blocks[end] : nil

            var options: MarkdownDocument.Options = [.sourcePosition]
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
}
