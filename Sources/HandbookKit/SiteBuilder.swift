import CurriculumKit
import KitbagCore

/// One file of the built site.
public struct OutputFile: Sendable {
    /// Path relative to the output folder.
    public var path: String
    public var bytes: [UInt8]
    /// The file's fingerprint when it is known without hashing every byte (a spliced output).
    package var fingerprint: Fingerprint? = nil
    /// A spliced output: its pieces (then `bytes` is empty) and its size.
    package var splice: [SplicePiece]? = nil
    package var spliceSize = 0
}

/// Renders every page of the site and the one-page edition from a resolved handbook.
package struct SiteBuilder {
    let h: Handbook
    let unsafeHTML: Bool
    var renderers: [Int: UnitRenderer] = [:]
    var files: [OutputFile] = []
    /// Search entries, one group per page; a group whose entries are unchanged since the last
    /// build carries the old bytes instead, and one taken from the shared edition its lines.
    var searchGroups: [(page: String, entries: [(title: String, url: String, text: String)], old: Segment?, lines: String?)] = []

    /// The search lines of every page whose entries were made in this build.
    package var searchLinesByPage: [String: String] {
        var lines: [String: String] = [:]
        for group in searchGroups where group.old == nil && group.lines == nil {
            lines[group.page] = group.entries.map { Self.searchLine(title: $0.title, url: $0.url, text: $0.text) }.joined()
        }
        return lines
    }
    /// Keyed parts of the spliced outputs (handbook.html, search-index.js), for the next build.
    package var segments: [String: [Segment]] = [:]
    /// What the incremental build may skip or reuse (HandbookBuild's `SitePlan`); by default nothing.
    package var plan: any RenderPlan = RenderEverything()
    /// Pages and parts rendered on every core before the site is put together.
    package let prerendered = PrerenderedPages()
    /// The name the table of contents goes by among the keyed parts of the one-page edition.
    package static let tocPart = "#contents"
    /// Told (chapters done, chapters in all) while chapters render (`Options.progress`).
    package var progress: (@Sendable (Int, Int) -> Void)?

    /// A builder whose renderers take the trees the load stage parsed (by unit index); a unit
    /// without one is parsed again when it is first rendered.
    package init(handbook: Handbook, trees: [Int: UnitTree], unsafeHTML: Bool) {
        h = handbook
        self.unsafeHTML = unsafeHTML
        let images = h.sources.imageDataURIs(h.paths)
        for u in h.units.indices { renderers[u] = UnitRenderer(h.context(of: u), tree: trees[u], images: images, unsafeHTML: unsafeHTML) }
    }

    mutating func emit(_ path: String, _ text: String) {
        files.append(OutputFile(path: path, bytes: Array(text.utf8)))
    }

    /// An output assembled from parts, some keyed: a keyed part is recorded with its place,
    /// so that the next build can copy it from this file when its key is unchanged.
    struct SplicedOutput {
        var pieces: [SplicePiece] = []
        var pending: [UInt8] = []
        var size = 0
        var segments: [Segment] = []
        /// Fingerprint of the content, part by part: a copied part brings the fingerprint
        /// it was stored with, so only new bytes are hashed. Equal fingerprints, equal files.
        var hasher = FingerprintHasher()

        init(capacity: Int = 0) { pending.reserveCapacity(capacity) }

        mutating func append(_ text: String) {
            pending.append(contentsOf: text.utf8)
            size += text.utf8.count
            hasher.add(text)
        }

        mutating func append(page: String, key: Fingerprint?, old: Segment?, fresh: () -> String) {
            let start = size
            let hash: Fingerprint
            if let old {
                if !pending.isEmpty { pieces.append(.bytes(pending)); pending = [] }
                pieces.append(.copy(offset: old.offset, length: old.length))
                size += old.length
                hash = old.hash
            } else {
                let text = fresh()
                let before = pending.count
                pending.append(contentsOf: text.utf8)
                size += pending.count - before
                hash = pending.withUnsafeBytes { raw in
                    var h = FingerprintHasher()
                    h.add(UnsafeRawBufferPointer(rebasing: raw[before...]))
                    return h.finish()
                }
            }
            hasher.add(hash)
            if let key { segments.append(Segment(page: page, key: key, offset: start, length: size - start, hash: hash)) }
        }

        /// The pieces, the pending bytes last.
        var allPieces: [SplicePiece] { pending.isEmpty ? pieces : pieces + [.bytes(pending)] }
    }

    mutating func emit(_ path: String, _ output: SplicedOutput) {
        let pieces = output.allPieces
        if pieces.count == 1, case .bytes(let bytes) = pieces[0] {
            files.append(OutputFile(path: path, bytes: bytes, fingerprint: output.hasher.finish()))
        } else if pieces.isEmpty {
            files.append(OutputFile(path: path, bytes: [], fingerprint: output.hasher.finish()))
        } else {
            files.append(OutputFile(path: path, bytes: [], fingerprint: output.hasher.finish(), splice: pieces, spliceSize: output.size))
        }
        if !output.segments.isEmpty { segments[path] = output.segments }
    }

    package mutating func build() -> [OutputFile] {
        prerenderChapters()
        chapterPages()
        glossaryPage()
        curriculumPages()
        indexPage()
        adaptationsPage()
        whatChangedPage()
        onePage()
        searchFiles()
        emit("kitbag.css", Assets.stylesheet)
        return files
    }

    var chapters: [(index: Int, unit: Int, page: String, title: String, number: Int)] {
        h.chapterUnits.enumerated().map { index, unit in
            let heading = h.chapterHeading(index).map { h.units[unit].headings[$0] }
            return (index, unit, h.sources.chapters[index].pageName, heading?.title ?? h.sources.chapters[index].stem, index + 1)
        }
    }

    mutating func chapterPages() {
        let all = chapters
        for (position, chapter) in all.enumerated() {
            let context = LinkContext(page: chapter.page, singlePage: false)
            if plan.skips(chapter.page) { addSearchEntries(unit: chapter.unit, page: chapter.page); continue }
            if let bytes = prerendered.pageBytes(chapter.page) ?? plan.sharedPage(chapter.page) {
                files.append(OutputFile(path: chapter.page, bytes: bytes))
                addSearchEntries(unit: chapter.unit, page: chapter.page)
                continue
            }
            guard let renderer = renderers[chapter.unit] else { continue }
            let content = prerendered.pageMain(chapter.page) ?? renderer.render(context)
            let previous = position > 0 ? (all[position - 1].page, "Chapter \(all[position - 1].number): \(all[position - 1].title)") : nil
            let next = position + 1 < all.count ? (all[position + 1].page, "Chapter \(all[position + 1].number): \(all[position + 1].title)") : nil
            emit(chapter.page, Self.chapterPage(content: content, number: chapter.number, title: chapter.title, page: chapter.page,
                                                origin: h.chapterOrigins[chapter.index], sections: renderer.resolved.sections,
                                                previous: previous, next: next,
                                                hasGlossary: h.glossaryUnit != nil, book: h.book))
            addSearchEntries(unit: chapter.unit, page: chapter.page)
        }
    }

    /// A chapter's page around its rendered content (shared with `FastRebuild`): previous and
    /// next at the top and the bottom, and the chapter's contents beside the text.
    package static func chapterPage(content: String, number: Int, title: String, page: String, origin: String?, sections: [(id: String, text: String)],
                            previous: (String, String)?, next: (String, String)?, hasGlossary: Bool, book: Book) -> String {
        let context = LinkContext(page: page, singlePage: false)
        var nav = Fragments.Navigation()
        nav.previous = previous ?? ("index.html", "Contents")
        if let next { nav.next = next } else if hasGlossary { nav.next = ("glossary.html", "Glossary") }
        var main = Fragments.pager(nav, label: "Previous and next, top", top: true)
        main += "<div class=\"chapter-layout\">\n" + Fragments.chapterContents(sections)
        main += "<article class=\"chapter\">\n" + content
        if let origin {
            main += "<p class=\"meta origin\">Origin: \(HTML.escape(origin))</p>\n"
        }
        main += "</article>\n</div>\n"
        return Fragments.page(title: "Chapter \(number): \(title) - \(book.title)", book: book, context: context, main: main, navigation: nav)
    }

    /// The sections a chapter's contents panel lists: its `##` headings, numbered as in the text.
    /// The search entries of one unit's page, as lines of the index (shared with `FastRebuild`).
    package static func searchLines(_ renderer: UnitRenderer, page: String) -> String {
        renderer.resolved.searchEntries(sectionText: renderer.sectionText, page: page).map { searchLine(title: $0.title, url: $0.url, text: $0.text) }.joined()
    }

    static func searchLine(title: String, url: String, text: String) -> String {
        "{\"t\": \(JSON.quote(title)), \"u\": \(JSON.quote(url)), \"x\": \(JSON.quote(text))},\n"
    }

    mutating func addSearchEntries(unit u: Int, page: String) {
        if let old = plan.oldSearchPart(page) {
            searchGroups.append((page, [], old, nil))
            return
        }
        if let lines = plan.sharedSearchLines(page) {
            searchGroups.append((page, [], nil, lines))
            return
        }
        guard let renderer = renderers[u] else { return }
        searchGroups.append((page, renderer.resolved.searchEntries(sectionText: renderer.sectionText, page: page), nil, nil))
    }

    mutating func glossaryPage() {
        let context = LinkContext(page: "glossary.html", singlePage: false)
        var main = ""
        if let g = h.glossaryUnit, let r = renderers[g] {
            if plan.skips("glossary.html") { addSearchEntries(unit: g, page: "glossary.html"); return }
            if let bytes = plan.sharedPage("glossary.html") {
                files.append(OutputFile(path: "glossary.html", bytes: bytes))
                addSearchEntries(unit: g, page: "glossary.html")
                return
            }
            main = prerendered.pageMain("glossary.html") ?? r.render(context)
            addSearchEntries(unit: g, page: "glossary.html")
        } else {
            main = "<h1 id=\"glossary\">Glossary</h1>\n<p class=\"none\">This handbook has no glossary yet.</p>\n"
        }
        var nav = Fragments.Navigation()
        if let last = chapters.last { nav.previous = (last.page, "Chapter \(last.number): \(last.title)") }
        emit("glossary.html", Fragments.page(title: "Glossary - \(h.book.title)", book: h.book, context: context, main: main, navigation: nav))
    }

    mutating func curriculumPages() {
        let items = h.curriculum.items
        for (position, info) in items.enumerated() {
            let context = LinkContext(page: info.pagePath, singlePage: false)
            if plan.skips(info.pagePath) { addSearchEntry(info); continue }
            if let bytes = plan.sharedPage(info.pagePath) {
                files.append(OutputFile(path: info.pagePath, bytes: bytes))
                addSearchEntry(info)
                continue
            }
            let main = "<article class=\"curriculum-item\">\n" + (prerendered.pageMain(info.pagePath) ?? CurriculumPages.itemContent(info, handbook: h, renderers: renderers, context: context, level: 1)) + "</article>\n"
            var nav = Fragments.Navigation()
            if position > 0 { let p = items[position - 1]; nav.previous = (context.asset(p.pagePath), h.targets[p.id]?.text ?? p.id) }
            if position + 1 < items.count { let n = items[position + 1]; nav.next = (context.asset(n.pagePath), h.targets[n.id]?.text ?? n.id) }
            let title = (h.targets[info.id]?.text ?? info.title) + " - " + h.book.title
            emit(info.pagePath, Fragments.page(title: title, book: h.book, context: context, main: main, navigation: nav))
            addSearchEntry(info)
        }
        let context = LinkContext(page: "curriculum/index.html", singlePage: false)
        let main = CurriculumPages.overview(handbook: h, renderers: renderers, context: context, level: 1)
        emit("curriculum/index.html", Fragments.page(title: "Curriculum - \(h.book.title)", book: h.book, context: context, main: main))
    }

    mutating func addSearchEntry(_ info: ItemInfo) {
        if let old = plan.oldSearchPart(info.pagePath) {
            searchGroups.append((info.pagePath, [], old, nil))
        } else {
            searchGroups.append((info.pagePath, [(h.targets[info.id]?.text ?? info.title, info.pagePath, String(info.body.trimmed().prefix(300)))], nil, nil))
        }
    }

    func titlePage(_ context: LinkContext) -> String {
        var out = "<div class=\"title-page\">\n<h1 id=\"title\">\(HTML.escape(h.book.title))</h1>\n"
        if let subtitle = h.book.subtitle { out += "<p class=\"subtitle\">\(HTML.escape(subtitle))</p>\n" }
        if let edition = h.book.edition { out += "<p class=\"edition\">Edition \(HTML.escape(edition))</p>\n" }
        if !h.book.authors.isEmpty { out += "<p class=\"authors\">\(h.book.authors.map { HTML.escape($0) }.joined(separator: ", "))</p>\n" }
        if let plan = h.edition { out += SiteEditionPages.titleLines(plan, context: context) }
        return out + "</div>\n"
    }

    func tableOfContents(_ context: LinkContext) -> String {
        var out = "<nav class=\"toc\" aria-labelledby=\"toc-heading\">\n<h2 id=\"toc-heading\">Contents</h2>\n<ol>\n"
        for chapter in chapters {
            let unit = h.units[chapter.unit]
            guard let id = h.chapterID(chapter.index), let target = h.targets[id] else { continue }
            out += "<li><a href=\"\(HTML.escape(context.href(target)))\">\(HTML.escape(target.text))</a>"
            let sections = zip(unit.headings, h.headings(chapter.unit)).filter { $0.0.level == 2 }.map(\.1)
            if !sections.isEmpty {
                out += "\n<ol>\n"
                for s in sections {
                    guard let t = h.targets[s.id] else { continue }
                    out += "<li><a href=\"\(HTML.escape(context.href(t)))\">\(HTML.escape(t.text))</a></li>\n"
                }
                out += "</ol>\n"
            }
            out += "</li>\n"
        }
        out += "</ol>\n<ul>\n<li><a href=\"\(context.singlePage ? "#glossary" : "glossary.html")\">Glossary</a></li>\n"
        if h.edition != nil { out += "<li><a href=\"\(SiteEditionPages.href(context))\">Adaptations at this site</a></li>\n" }
        if let since = h.changesSince { out += "<li><a href=\"\(context.singlePage ? "#what-changed" : "what-changed.html")\">What changed since \(HTML.escape(since.revision))</a></li>\n" }
        out += "<li><a href=\"\(context.singlePage ? "#curriculum" : "curriculum/index.html")\">Curriculum</a></li>\n"
        if !context.singlePage { out += "<li><a href=\"handbook.html\">The whole handbook on one page (for printing)</a></li>\n" }
        return out + "</ul>\n</nav>\n"
    }

    mutating func indexPage() {
        if plan.skips("index.html") { return }
        let context = LinkContext(page: "index.html", singlePage: false)
        var main = titlePage(context)
        if let p = h.prefaceUnit, let r = renderers[p] {
            let preface = r.render(context)
            if !preface.trimmed().isEmpty { main += "<section class=\"preface\" aria-label=\"Preface\">\n" + preface + "</section>\n" }
        }
        main += tableOfContents(context)
        var nav = Fragments.Navigation()
        if let first = chapters.first { nav.next = (first.page, "Chapter \(first.number): \(first.title)") }
        emit("index.html", Fragments.page(title: h.book.title, book: h.book, context: context, main: main, navigation: nav))
    }

    mutating func onePage() {
        let context = LinkContext(page: "handbook.html", singlePage: true)
        let (before, after) = Fragments.shell(title: h.book.title, book: h.book, context: context, search: false)
        // One buffer of about the final size: grown by doubling, a 30 MB edition would copy
        // itself six times and leave the smaller buffers behind in the heap.
        var capacity = 4 << 20  // the contents, the curriculum overview and the shell
        for page in chapters.map(\.page) + ["glossary.html"] + h.curriculum.items.map(\.pagePath) {
            capacity += prerendered.onePage(page)?.utf8.count ?? 0
        }
        var out = SplicedOutput(capacity: capacity)
        out.append(before)
        out.append(titlePage(context))
        if let p = h.prefaceUnit, let r = renderers[p] {
            out.append("<section class=\"preface\" aria-label=\"Preface\">\n" + r.render(context) + "</section>\n")
        }
        let plan = self.plan
        out.append(page: Self.tocPart, key: plan.unitKey(Self.tocPart), old: plan.oldOnePagePart(Self.tocPart)) { [self] in
            tableOfContents(context)
        }
        for chapter in chapters {
            guard let r = renderers[chapter.unit] else { continue }
            out.append("<div class=\"chapter\">\n")
            let fresh = prerendered.onePage(chapter.page) ?? plan.sharedOnePagePart(chapter.page)
            out.append(page: chapter.page, key: plan.unitKey(chapter.page), old: fresh == nil ? plan.oldOnePagePart(chapter.page) : nil) {
                fresh ?? r.render(context)
            }
            if let origin = h.chapterOrigins[chapter.index] { out.append("<p class=\"meta origin\">Origin: \(HTML.escape(origin))</p>\n") }
            out.append("</div>\n")
        }
        out.append("<div class=\"book-part\">\n")
        if let g = h.glossaryUnit, let r = renderers[g] {
            let fresh = prerendered.onePage("glossary.html") ?? plan.sharedOnePagePart("glossary.html")
            out.append(page: "glossary.html", key: plan.unitKey("glossary.html"), old: fresh == nil ? plan.oldOnePagePart("glossary.html") : nil) {
                fresh ?? r.render(context)
            }
        } else {
            out.append("<h1 id=\"glossary\">Glossary</h1>\n")
        }
        if let since = h.changesSince {
            out.append("</div>\n<div class=\"book-part\">\n" + since.content(handbook: h, context: context, level: 1))
        }
        if let edition = h.edition {
            out.append("</div>\n<div class=\"book-part\">\n" + SiteEditionPages.content(edition, handbook: h, context: context, level: 1))
        }
        out.append("</div>\n<div class=\"book-part\">\n" + CurriculumPages.overview(handbook: h, renderers: renderers, context: context, level: 1))
        for info in h.curriculum.items {
            out.append("<section class=\"curriculum-item\" aria-labelledby=\"\(HTML.escape(info.id))\">\n")
            let fresh = prerendered.onePage(info.pagePath) ?? plan.sharedOnePagePart(info.pagePath)
            out.append(page: info.pagePath, key: plan.unitKey(info.pagePath), old: fresh == nil ? plan.oldOnePagePart(info.pagePath) : nil) { [h, renderers] in
                fresh ?? CurriculumPages.itemContent(info, handbook: h, renderers: renderers, context: context, level: 2)
            }
            out.append("</section>\n")
        }
        out.append("</div>\n")
        out.append(after)
        emit("handbook.html", out)
    }

    mutating func searchFiles() {
        // About the final size at once (see `onePage`): each entry's texts, quoted, and its keys.
        var capacity = 1 << 16
        for group in searchGroups where group.old == nil {
            for entry in group.entries { capacity += entry.title.utf8.count + entry.url.utf8.count + entry.text.utf8.count + 32 }
        }
        var js = SplicedOutput(capacity: capacity + capacity / 16)
        js.append("window.KITBAG_SEARCH = [\n")
        for group in searchGroups {
            js.append(page: group.page, key: plan.unitKey(group.page), old: group.old) {
                group.lines ?? group.entries.map { Self.searchLine(title: $0.title, url: $0.url, text: $0.text) }.joined()
            }
        }
        js.append("];\n")
        emit("search-index.js", js)
        emit("search.js", Assets.searchScript)
        let context = LinkContext(page: "search.html", singlePage: false)
        let main = "<h1 id=\"search\">Search</h1>\n<p id=\"kb-status\" role=\"status\">Search needs JavaScript; the table of contents and glossary work without it.</p>\n<ol id=\"kb-results\"></ol>\n<script src=\"search-index.js\"></script>\n<script src=\"search.js\"></script>\n"
        emit("search.html", Fragments.page(title: "Search - \(h.book.title)", book: h.book, context: context, main: main))
    }
}
