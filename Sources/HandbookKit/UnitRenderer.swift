import KitbagCore
import Markdown

/// Renders one parsed unit to HTML by editing its cmark tree (never the HTML): headings get
/// IDs and numbers, empty links get their text, hrefs point at the right page, directives
/// become generated HTML. The tree is prepared once; hrefs are set again for each page mode.
final class UnitRenderer {
    let handbook: Handbook
    let unitIndex: Int
    let unit: ParsedDocument
    let unsafeHTML: Bool
    /// Nodes whose HTML depends on the page they are rendered on.
    private var dynamicNodes: [(MarkdownNode, (LinkContext) -> String)] = []
    private var prepared = false
    /// Plain text under each heading (for the search index), in heading order; index 0 is the text before any heading.
    private(set) var sectionText: [String] = []

    init(handbook: Handbook, unitIndex: Int, unsafeHTML: Bool) {
        self.handbook = handbook
        self.unitIndex = unitIndex
        self.unit = handbook.units[unitIndex]
        self.unsafeHTML = unsafeHTML
    }

    /// The unit's HTML as it appears on `context.page`.
    func render(_ context: LinkContext) -> String {
        prepare()
        let links = handbook.linkTargets[unitIndex]
        for (l, link) in unit.links.enumerated() {
            switch links[l] {
            case .target(let id)?:
                if let target = handbook.targets[id] {
                    link.node.url = handbook.targetStrings[id].map { context.href(target, $0) } ?? context.href(target)
                }
            case .image(let name)?:
                link.node.url = context.asset("images/" + name)
            case nil:
                break
            }
        }
        for (node, html) in dynamicNodes { node.onEnter = html(context) }
        return unit.document.renderHTML(options: unsafeHTML ? [.unsafe] : [])
    }

    private func prepare() {
        guard !prepared else { return }
        prepared = true
        let doc = unit.document
        // Empty link text becomes the target's text.
        for (l, link) in unit.links.enumerated() where link.isEmpty && !link.isImage {
            if case .target(let id)? = handbook.linkTargets[unitIndex][l], let target = handbook.targets[id] {
                link.node.append(doc.makeText(target.text))
            }
        }
        collectSectionText()
        // Headings: an id, a number, and the list of places that refer to them.
        for heading in unit.headings {
            let level = min(max(heading.level, 1), 6)
            var open = "<h\(level) id=\"\(HTML.escape(heading.id))\">"
            if let number = heading.number {
                let label = level == 1 && isChapter ? "Chapter \(number)" : number
                open += "<span class=\"number\">\(HTML.escape(label))</span> "
            }
            // A block holding one inline wrapper keeps the heading on one line: <h2 ...>...</h2>.
            let block = doc.makeHTMLBlock("")
            let inline = doc.makeHTMLInline(open, closing: "</h\(level)>")
            block.append(inline)
            heading.node.moveChildren(to: inline)
            heading.node.replace(with: block)
            if let refs = handbook.backReferences[heading.id], !refs.isEmpty, !heading.id.isEmpty {
                let list = doc.makeHTMLBlock("")
                block.insertAfter(list)
                let id = heading.id
                dynamicNodes.append((list, { [handbook] context in
                    Fragments.referencedFrom(refs, of: id, handbook: handbook, context: context)
                }))
            }
        }
        // Directives become generated content.
        for (d, directive) in unit.directives.enumerated() {
            let block = doc.makeHTMLBlock("")
            directive.node.replace(with: block)
            let table = handbook.tables[unitIndex]?[d]
            let name = directive.name
            dynamicNodes.append((block, { [handbook] context in
                if let table { return Directives.table(table, handbook: handbook, context: context) }
                return Directives.render(name, handbook: handbook, context: context)
            }))
        }
    }

    private var isChapter: Bool {
        if case .chapter = unit.kind { return true }
        return false
    }

    private func collectSectionText() {
        var texts = [""]
        for block in unit.document.rootNode.children {
            if block.kind == .heading {
                texts.append("")
                continue
            }
            if block.kind == .codeBlock, block.fenceInfo?.hasPrefix("{") == true { continue }
            if texts[texts.count - 1].utf8.count < 400 {
                let text = block.plainText
                texts[texts.count - 1] += (texts[texts.count - 1].isEmpty ? "" : " ") + text
            }
        }
        sectionText = texts
    }
}
