import KitbagCore
import Markdown

/// Renders one parsed unit to HTML by editing its cmark tree (never the HTML): headings get
/// IDs and numbers, empty links get their text, hrefs point at the right page, directives
/// become generated HTML. The tree is prepared once; hrefs are set again for each page mode.
/// The renderer owns the tree: the one the load stage handed on, or one parsed again from
/// the unit's text on first use. One caller renders at a time (the tree is behind the one
/// `Mutex`), so renderers can be handed to every core.
package final class UnitRenderer: Sendable {
    /// What it reads from the resolved book.
    package let resolved: UnitContext
    let unsafeHTML: Bool
    /// Images as data URIs, for the one-page edition (`Handbook.imageDataURIs`).
    let images: [String: String]
    /// The tree and what preparing it found.
    private struct Prepared {
        var tree: UnitTree?
        /// Nodes whose HTML depends on the page they are rendered on.
        var dynamicNodes: [(MarkdownNode, @Sendable (LinkContext) -> String)] = []
        var done = false
        /// Links replaced by a wrapper that carries a class (their href is set with the wrapper).
        var wrappedLinks: [Bool] = []
        /// Links to a target that keep their own node (an image pointing at a section): their
        /// href is set for each page mode.
        var retargetedLinks: [(MarkdownNode, TargetStrings)] = []
        /// Plain text under each heading (for the search index), in heading order; index 0 is the text before any heading.
        var sectionText: [String] = []
    }
    private let state: Mutex<Prepared>

    /// Plain text under each heading (for the search index), in heading order; index 0 is the text before any heading.
    package var sectionText: [String] { state.withLock { $0.sectionText } }

    package init(_ resolved: UnitContext, tree: UnitTree?, images: [String: String], unsafeHTML: Bool) {
        self.resolved = resolved
        state = Mutex(Prepared(tree: tree))
        self.images = images
        self.unsafeHTML = unsafeHTML
    }

    /// The unit's HTML as it appears on `context.page`.
    package func render(_ context: LinkContext) -> String {
        state.withLock { render(context, &$0) }
    }

    private func render(_ context: LinkContext, _ state: inout Prepared) -> String {
        guard let tree = prepare(&state) else { return "" }
        for (node, strings) in state.retargetedLinks { node.url = context.href(strings) }
        for (node, html) in state.dynamicNodes { node.setCustomHTML(html(context)) }
        return tree.document.renderHTML(options: unsafeHTML ? [.unsafe] : [])
    }

    /// Lets go of the cmark tree once every page that shows the unit has been rendered (its
    /// section text stays): a 1,000-chapter book's trees are about a third of its peak memory.
    /// A later `render` parses the unit again and gives the same HTML.
    package func finish() {
        state.withLock { state in
            state = Prepared(tree: nil, sectionText: state.sectionText)
        }
    }

    /// The tree, edited for rendering on first use; nil when the unit's file is gone or no
    /// longer parses into the walk the resolver saw (the build that follows sees the change).
    private func prepare(_ state: inout Prepared) -> UnitTree? {
        if state.done { return state.tree }
        state.done = true
        let unit = resolved.unit
        let headings = resolved.headings
        let linkTargets = resolved.links
        let index = resolved.index
        if state.tree == nil { state.tree = unit.parseTree() }
        guard let tree = state.tree, tree.headings.count == unit.headings.count, tree.links.count == unit.links.count,
              tree.directives.count == unit.directives.count, headings.count == unit.headings.count, linkTargets.count == unit.links.count else {
            state.tree = nil
            return nil
        }
        let doc = tree.document
        state.wrappedLinks = Array(repeating: false, count: unit.links.count)
        // Each linked target's strings, looked up once (a class: no copy of a target's strings).
        let linked: [TargetStrings?] = linkTargets.map { link in
            guard case .target(let id)? = link else { return nil }
            return index.strings[id] ?? index.targets[id].map(TargetStrings.init)
        }
        markChanges(tree, headings)
        // Empty link text becomes the target's text; a glossary term as it reads mid-sentence.
        // (Loops go by index and read single fields: copying a whole link or heading would
        // retain and release each of its strings, for every link of every chapter.)
        let links = unit.links
        for l in links.indices where links[l].isEmpty && !links[l].isImage {
            if let target = linked[l] {
                var text = target.text
                if let running = target.runningText {
                    text = GlossaryTerm.startsSentence(after: Self.textBefore(tree.links[l])) ? GlossaryTerm.sentenceStart(running) : running
                }
                tree.links[l].append(doc.makeText(text))
            }
        }
        state.sectionText = Self.sectionText(tree)
        // Images are written by kitbag (cmark's safe mode drops SVG data URIs, which the
        // one-page edition uses; an image never runs script, so they are safe here).
        for l in links.indices where links[l].isImage {
            guard case .image(let name)? = linkTargets[l] else { continue }
            let node = tree.links[l]
            let alt = HTML.escape(node.plainText)
            let title = node.title.flatMap { $0.isEmpty ? nil : " title=\"\(HTML.escape($0))\"" } ?? ""
            let image = doc.makeHTMLInline("")
            node.replace(with: image)
            state.wrappedLinks[l] = true
            state.dynamicNodes.append((image, { [images] context in
                let src = context.singlePage ? images[name] ?? "images/" + name : context.asset("images/" + name)
                return "<img src=\"\(HTML.escape(src))\" alt=\"\(alt)\"\(title) />"
            }))
        }
        // Cross-references carry a class: print adds the page of a section, chapter, table or
        // curriculum item ("xref"), never of a glossary term ("term").
        for l in links.indices where !links[l].isImage {
            guard let strings = linked[l] else { continue }
            let node = tree.links[l]
            // What the wrapper writes is worked out here, once: each render only picks the href.
            let open = strings.isTerm ? "<a class=\"term\" href=\"" : "<a class=\"xref\" href=\""
            let close = "\"" + (node.title.flatMap { $0.isEmpty ? nil : " title=\"\(HTML.escape($0))\"" } ?? "") + ">"
            let wrapper = doc.makeHTMLInline("", closing: "</a>")
            node.moveChildren(to: wrapper)
            node.replace(with: wrapper)
            state.wrappedLinks[l] = true
            state.dynamicNodes.append((wrapper, { context in open + context.escapedHref(strings) + close }))
        }
        // Headings: an id and a number.
        var headingBlocks: [MarkdownNode] = []
        for i in unit.headings.indices {
            let level = min(max(unit.headings[i].level, 1), 6)
            var open = "<h\(level) id=\"\(HTML.escape(headings[i].id))\">"
            if let number = headings[i].number {
                let label = level == 1 && isChapter ? "Chapter \(number)" : number
                open += "<span class=\"number\">\(HTML.escape(label))</span> "
            }
            // A block holding one inline wrapper keeps the heading on one line: <h2 ...>...</h2>.
            let block = doc.makeHTMLBlock("")
            let inline = doc.makeHTMLInline(open, closing: "</h\(level)>")
            block.append(inline)
            tree.headings[i].moveChildren(to: inline)
            tree.headings[i].replace(with: block)
            headingBlocks.append(block)
        }
        // Back-references follow the section's own text: just before the next heading (its
        // first subsection or the next section), or at the end.
        for i in headings.indices where !headings[i].id.isEmpty {
            guard let refs = index.backReferences[headings[i].id], !refs.isEmpty else { continue }
            let list = doc.makeHTMLBlock("")
            let block = headingBlocks[i]
            if i + 1 < headingBlocks.count, let parent = block.parent, headingBlocks[i + 1].parent == parent {
                headingBlocks[i + 1].insertBefore(list)
            } else if let parent = block.parent {
                parent.append(list)
            }
            let targets = Fragments.backReferenceTargets(refs, index: index)
            state.dynamicNodes.append((list, { context in Fragments.referencedFrom(targets, context: context) }))
        }
        for l in links.indices where !state.wrappedLinks[l] {
            if let strings = linked[l] { state.retargetedLinks.append((tree.links[l], strings)) }
        }
        // Directives become generated content.
        for (d, directive) in unit.directives.enumerated() {
            let block = doc.makeHTMLBlock("")
            tree.directives[d].replace(with: block)
            let table = resolved.tables[d]
            let name = directive.name
            let generated = resolved.generated
            state.dynamicNodes.append((block, { context in
                if let table { return Directives.table(table, index: index, context: context) }
                return generated?(name, context) ?? ""
            }))
        }
        return tree
    }

    /// Marks each changed or added section of a chapter after its heading ("Changed since
    /// REV", `--since`), so the site, the one-page edition and the PDF show it.
    private func markChanges(_ tree: UnitTree, _ headings: [ResolvedHeading]) {
        guard let changes = resolved.changesSince, case .chapter = resolved.unit.kind else { return }
        let marked = changes.marked
        for (i, heading) in headings.enumerated() where marked.contains(heading.id) {
            let label = changes.added.contains(heading.id) ? "New since" : "Changed since"
            tree.headings[i].insertAfter(tree.document.makeHTMLBlock("<p class=\"changed-since\">\(label) \(HTML.escape(changes.revision))</p>\n"))
        }
    }

    /// The text just before an inline node in its paragraph (nil: it starts the paragraph).
    static func textBefore(_ node: MarkdownNode) -> String? {
        guard let previous = node.previous else {
            guard let parent = node.parent else { return nil }
            switch parent.kind {
            case .emphasis, .strong, .link, .customInline: return textBefore(parent)
            default: return nil
            }
        }
        switch previous.kind {
        case .text: return previous.literal
        case .softBreak, .lineBreak: return (textBefore(previous) ?? "") + " "
        default: return "\u{FFFC}"
        }
    }

    private var isChapter: Bool {
        if case .chapter = resolved.unit.kind { return true }
        return false
    }

    private static func sectionText(_ tree: UnitTree) -> [String] {
        var texts = [""]
        for block in tree.document.rootNode.children {
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
        return texts
    }
}
