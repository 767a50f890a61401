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

    /// The file's size in bytes.
    var size: Int { splice == nil ? bytes.count : spliceSize }
}

/// Renders every page of the site and the one-page edition from a resolved handbook.
package struct SiteBuilder {
    /// A chapter as its pages show it: its place among the chapters, its unit, page, title and number.
    typealias Chapter = (index: Int, unit: Int, page: String, title: String, number: Int)

    let h: Handbook
    let unsafeHTML: Bool
    var renderers: [Int: UnitRenderer] = [:]
    /// The chapters in book order (worked out once).
    let chapters: [Chapter]
    var files: [OutputFile] = []
    /// Each page's lines of the search index, in page order.
    var searchGroups: [(page: String, lines: SearchLines)] = []

    /// Where a page's lines of the search index come from.
    enum SearchLines {
        /// The last build's, copied from the old file (their key is unchanged).
        case old(Segment)
        /// The shared edition's in this run.
        case shared(RenderedPart)
        /// Made in this build.
        case made(RenderedPart)
    }

    /// The search lines of every page whose entries were made in this build.
    package var searchLinesByPage: [String: RenderedPart] {
        var lines: [String: RenderedPart] = [:]
        for group in searchGroups { if case .made(let part) = group.lines { lines[group.page] = part } }
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
    /// The names the curriculum overview's two renderings are kept under in `prerendered`.
    static let overviewPage = "curriculum/index.html", overviewPart = "#curriculum"
    /// Told (chapters done, chapters in all) while chapters render (`Options.progress`).
    package var progress: (@Sendable (Int, Int) -> Void)?

    /// A builder whose renderers take the trees the load stage parsed (by unit index); a unit
    /// without one is parsed again when it is first rendered.
    package init(handbook: Handbook, trees: [Int: UnitTree], unsafeHTML: Bool) {
        h = handbook
        self.unsafeHTML = unsafeHTML
        let images = h.sources.imageDataURIs(h.paths)
        for u in h.units.indices { renderers[u] = UnitRenderer(h.context(of: u), tree: trees[u], images: images, unsafeHTML: unsafeHTML) }
        chapters = Self.chapters(of: handbook)
    }

    mutating func emit(_ path: String, _ text: String) {
        files.append(OutputFile(path: path, bytes: Array(text.utf8)))
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

    static func chapters(of h: Handbook) -> [Chapter] {
        h.chapterUnits.enumerated().map { index, unit in
            let heading = h.chapterHeading(index).map { h.units[unit].headings[$0] }
            return (index, unit, h.sources.chapters[index].pageName, heading?.title ?? h.sources.chapters[index].stem, index + 1)
        }
    }

    mutating func chapterPages() {
        for (position, chapter) in chapters.enumerated() {
            if plan.skips(chapter.page) { addSearchEntries(unit: chapter.unit, page: chapter.page); continue }
            if let bytes = prerendered.pageBytes(chapter.page) ?? plan.sharedPage(chapter.page) {
                files.append(OutputFile(path: chapter.page, bytes: bytes))
                addSearchEntries(unit: chapter.unit, page: chapter.page)
                continue
            }
            guard let renderer = renderers[chapter.unit] else { continue }
            let content = renderer.render(LinkContext(page: chapter.page, singlePage: false))
            files.append(OutputFile(path: chapter.page, bytes: Self.chapterPage(h, chapters: chapters, position: position, content: content, sections: renderer.resolved.sections)))
            addSearchEntries(unit: chapter.unit, page: chapter.page)
        }
    }

    /// The page of the chapter at `position` around its rendered content.
    static func chapterPage(_ h: Handbook, chapters all: [Chapter], position: Int, content: String, sections: [(id: String, text: String)]) -> [UInt8] {
        let chapter = all[position]
        let previous = position > 0 ? (all[position - 1].page, "Chapter \(all[position - 1].number): \(all[position - 1].title)") : nil
        let next = position + 1 < all.count ? (all[position + 1].page, "Chapter \(all[position + 1].number): \(all[position + 1].title)") : nil
        return chapterPage(content: content, number: chapter.number, title: chapter.title, page: chapter.page,
                           origin: h.chapterOrigins[chapter.index], sections: sections,
                           previous: previous, next: next, hasGlossary: h.glossaryUnit != nil, book: h.book)
    }

    /// A chapter's page around its rendered content (shared with `FastRebuild`): previous and
    /// next at the top and the bottom, and the chapter's contents beside the text.
    package static func chapterPage(content: String, number: Int, title: String, page: String, origin: String?, sections: [(id: String, text: String)],
                            previous: (String, String)?, next: (String, String)?, hasGlossary: Bool, book: Book) -> [UInt8] {
        let context = LinkContext(page: page, singlePage: false)
        var nav = Fragments.Navigation()
        nav.previous = previous ?? ("index.html", "Contents")
        if let next { nav.next = next } else if hasGlossary { nav.next = ("glossary.html", "Glossary") }
        let (before, after) = Fragments.shell(title: "Chapter \(number): \(title) - \(book.title)", book: book, context: context, navigation: nav)
        let origin = origin.map { "<p class=\"meta origin\">Origin: \(HTML.escape($0))</p>\n" } ?? ""
        // The page's pieces copied once into a buffer of its size (the content is most of it).
        let pieces = [before, Fragments.pager(nav, label: "Previous and next, top", top: true),
                      "<div class=\"chapter-layout\">\n", Fragments.chapterContents(sections), "<article class=\"chapter\">\n",
                      content, origin, "</article>\n</div>\n", after]
        var bytes: [UInt8] = []
        bytes.reserveCapacity(pieces.reduce(0) { $0 + $1.utf8.count })
        for piece in pieces { bytes.append(contentsOf: piece.utf8) }
        return bytes
    }

    /// The search entries of one unit's page, as lines of the index (shared with `FastRebuild`),
    /// quoted into one buffer of about their final size.
    package static func searchLines(_ renderer: UnitRenderer, page: String) -> String {
        let entries = renderer.resolved.searchEntries(sectionText: renderer.sectionText, page: page)
        var size = 0
        for entry in entries { size += entry.title.utf8.count + entry.url.utf8.count + entry.text.utf8.count + 32 }
        var out: [UInt8] = []
        out.reserveCapacity(size + size / 16)
        for entry in entries { appendSearchLine(title: entry.title, url: entry.url, text: entry.text, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    static func searchLine(title: String, url: String, text: String) -> String {
        var out: [UInt8] = []
        appendSearchLine(title: title, url: url, text: text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// One entry of the search index: `{"t": title, "u": url, "x": text},` and a line break.
    static func appendSearchLine(title: String, url: String, text: String, to out: inout [UInt8]) {
        out.append(contentsOf: "{\"t\": ".utf8)
        JSON.appendQuoted(title, to: &out)
        out.append(contentsOf: ", \"u\": ".utf8)
        JSON.appendQuoted(url, to: &out)
        out.append(contentsOf: ", \"x\": ".utf8)
        JSON.appendQuoted(text, to: &out)
        out.append(contentsOf: "},\n".utf8)
    }

    /// A curriculum item's line of the search index: its title and the start of its text.
    static func searchLine(_ info: ItemInfo, _ h: Handbook) -> String {
        searchLine(title: h.targets[info.id]?.text ?? info.title, url: info.pagePath, text: String(info.body.trimmed().prefix(300)))
    }

    mutating func addSearchEntries(unit u: Int, page: String) {
        if let old = plan.oldSearchPart(page) {
            searchGroups.append((page, .old(old)))
        } else if let lines = plan.sharedSearchLines(page) {
            searchGroups.append((page, .shared(lines)))
        } else if let lines = prerendered.searchLines(page) {
            searchGroups.append((page, .made(lines)))
        } else if let renderer = renderers[u] {
            searchGroups.append((page, .made(RenderedPart(Self.searchLines(renderer, page: page)))))
        }
    }

    mutating func glossaryPage() {
        if let g = h.glossaryUnit, let r = renderers[g] {
            defer { addSearchEntries(unit: g, page: "glossary.html") }
            if plan.skips("glossary.html") { return }
            if let bytes = prerendered.pageBytes("glossary.html") ?? plan.sharedPage("glossary.html") {
                files.append(OutputFile(path: "glossary.html", bytes: bytes))
                return
            }
            emit("glossary.html", Self.glossaryPage(h, chapters: chapters, main: r.render(LinkContext(page: "glossary.html", singlePage: false))))
        } else {
            emit("glossary.html", Self.glossaryPage(h, chapters: chapters, main: "<h1 id=\"glossary\">Glossary</h1>\n<p class=\"none\">This handbook has no glossary yet.</p>\n"))
        }
    }

    /// The glossary page around its rendered content.
    static func glossaryPage(_ h: Handbook, chapters: [Chapter], main: String) -> String {
        var nav = Fragments.Navigation()
        if let last = chapters.last { nav.previous = (last.page, "Chapter \(last.number): \(last.title)") }
        return Fragments.page(title: "Glossary - \(h.book.title)", book: h.book, context: LinkContext(page: "glossary.html", singlePage: false), main: main, navigation: nav)
    }

    mutating func curriculumPages() {
        let items = h.curriculum.items  // made anew on every call
        for (position, info) in items.enumerated() {
            if plan.skips(info.pagePath) { addSearchEntry(info); continue }
            if let bytes = prerendered.pageBytes(info.pagePath) ?? plan.sharedPage(info.pagePath) {
                files.append(OutputFile(path: info.pagePath, bytes: bytes))
                addSearchEntry(info)
                continue
            }
            emit(info.pagePath, Self.itemPage(h, renderers: renderers, items: items, position: position))
            addSearchEntry(info)
        }
        if let bytes = prerendered.pageBytes(Self.overviewPage) {
            files.append(OutputFile(path: Self.overviewPage, bytes: bytes))
        } else {
            emit(Self.overviewPage, Self.overviewPage(h, renderers: renderers))
        }
    }

    /// The page of the curriculum item at `position` in `items` (the curriculum's), with the
    /// items before and after it.
    static func itemPage(_ h: Handbook, renderers: [Int: UnitRenderer], items: [ItemInfo], position: Int) -> String {
        let info = items[position]
        let context = LinkContext(page: info.pagePath, singlePage: false)
        let main = "<article class=\"curriculum-item\">\n" + CurriculumPages.itemContent(info, handbook: h, renderers: renderers, context: context, level: 1) + "</article>\n"
        var nav = Fragments.Navigation()
        if position > 0 { let p = items[position - 1]; nav.previous = (context.asset(p.pagePath), h.targets[p.id]?.text ?? p.id) }
        if position + 1 < items.count { let n = items[position + 1]; nav.next = (context.asset(n.pagePath), h.targets[n.id]?.text ?? n.id) }
        let title = (h.targets[info.id]?.text ?? info.title) + " - " + h.book.title
        return Fragments.page(title: title, book: h.book, context: context, main: main, navigation: nav)
    }

    /// The curriculum's overview page (`curriculum/index.html`).
    static func overviewPage(_ h: Handbook, renderers: [Int: UnitRenderer]) -> String {
        let context = LinkContext(page: overviewPage, singlePage: false)
        let main = CurriculumPages.overview(handbook: h, renderers: renderers, context: context, level: 1)
        return Fragments.page(title: "Curriculum - \(h.book.title)", book: h.book, context: context, main: main)
    }

    mutating func addSearchEntry(_ info: ItemInfo) {
        if let old = plan.oldSearchPart(info.pagePath) {
            searchGroups.append((info.pagePath, .old(old)))
        } else {
            searchGroups.append((info.pagePath, .made(prerendered.searchLines(info.pagePath) ?? RenderedPart(Self.searchLine(info, h)))))
        }
    }

    static func titlePage(_ h: Handbook, _ context: LinkContext) -> String {
        var out = "<div class=\"title-page\">\n<h1 id=\"title\">\(HTML.escape(h.book.title))</h1>\n"
        if let subtitle = h.book.subtitle { out += "<p class=\"subtitle\">\(HTML.escape(subtitle))</p>\n" }
        if let edition = h.book.edition { out += "<p class=\"edition\">Edition \(HTML.escape(edition))</p>\n" }
        if !h.book.authors.isEmpty { out += "<p class=\"authors\">\(h.book.authors.map { HTML.escape($0) }.joined(separator: ", "))</p>\n" }
        if let plan = h.edition { out += SiteEditionPages.titleLines(plan, context: context) }
        return out + "</div>\n"
    }

    /// The table of contents: every chapter with its `##` sections, then the other parts.
    /// Hrefs and titles come escaped from the targets' strings, worked out once per build.
    static func tableOfContents(_ h: Handbook, _ context: LinkContext) -> String {
        var out = "<nav class=\"toc\" aria-labelledby=\"toc-heading\">\n<h2 id=\"toc-heading\">Contents</h2>\n<ol>\n"
        for (index, u) in h.chapterUnits.enumerated() {
            guard let id = h.chapterID(index), let target = h.index.strings[id] else { continue }
            out += "<li><a href=\""
            out += context.escapedHref(target)
            out += "\">"
            out += target.textEscaped
            out += "</a>"
            let headings = h.units[u].headings, resolved = h.headings(u)
            var opened = false
            for i in 0..<min(headings.count, resolved.count) where headings[i].level == 2 {
                if !opened { out += "\n<ol>\n"; opened = true }
                guard let t = h.index.strings[resolved[i].id] else { continue }
                out += "<li><a href=\""
                out += context.escapedHref(t)
                out += "\">"
                out += t.textEscaped
                out += "</a></li>\n"
            }
            if opened { out += "</ol>\n" }
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
        if let bytes = prerendered.pageBytes("index.html") {
            files.append(OutputFile(path: "index.html", bytes: bytes))
        } else {
            emit("index.html", Self.indexPage(h, chapters: chapters, renderers: renderers))
        }
    }

    /// The index page: the title page, the preface and the table of contents.
    static func indexPage(_ h: Handbook, chapters: [Chapter], renderers: [Int: UnitRenderer]) -> String {
        let context = LinkContext(page: "index.html", singlePage: false)
        var main = titlePage(h, context)
        if let p = h.prefaceUnit, let r = renderers[p] {
            let preface = r.render(context)
            if !preface.trimmed().isEmpty { main += "<section class=\"preface\" aria-label=\"Preface\">\n" + preface + "</section>\n" }
        }
        main += tableOfContents(h, context)
        var nav = Fragments.Navigation()
        if let first = chapters.first { nav.next = (first.page, "Chapter \(first.number): \(first.title)") }
        return Fragments.page(title: h.book.title, book: h.book, context: context, main: main, navigation: nav)
    }

    /// The one-page edition: parts rendered on every core (or copied from the last build's
    /// file, or taken from the shared edition) between short texts made here.
    mutating func onePage() {
        let context = LinkContext(page: "handbook.html", singlePage: true)
        let (before, after) = Fragments.shell(title: h.book.title, book: h.book, context: context, search: false)
        let plan = self.plan, parts = prerendered.onePageParts, h = self.h, renderers = self.renderers
        /// A unit's part: rendered ahead, the shared edition's, or rendered now.
        func fresh(_ page: String) -> RenderedPart? { parts[page] ?? plan.sharedOnePagePart(page) }
        var out = SplicedOutput()
        out.append(before)
        out.append(Self.titlePage(h, context))
        if let p = h.prefaceUnit, let r = renderers[p] {
            out.append("<section class=\"preface\" aria-label=\"Preface\">\n" + r.render(context) + "</section>\n")
        }
        out.append(page: Self.tocPart, key: plan.unitKey(Self.tocPart), old: plan.oldOnePagePart(Self.tocPart)) {
            parts[Self.tocPart] ?? RenderedPart(Self.tableOfContents(h, context))
        }
        for chapter in chapters {
            guard let r = renderers[chapter.unit] else { continue }
            out.append("<div class=\"chapter\">\n")
            let ready = fresh(chapter.page)
            out.append(page: chapter.page, key: plan.unitKey(chapter.page), old: ready == nil ? plan.oldOnePagePart(chapter.page) : nil) {
                ready ?? RenderedPart(r.render(context))
            }
            if let origin = h.chapterOrigins[chapter.index] { out.append("<p class=\"meta origin\">Origin: \(HTML.escape(origin))</p>\n") }
            out.append("</div>\n")
        }
        out.append("<div class=\"book-part\">\n")
        if let g = h.glossaryUnit, let r = renderers[g] {
            let ready = fresh("glossary.html")
            out.append(page: "glossary.html", key: plan.unitKey("glossary.html"), old: ready == nil ? plan.oldOnePagePart("glossary.html") : nil) {
                ready ?? RenderedPart(r.render(context))
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
        out.append("</div>\n<div class=\"book-part\">\n" + (prerendered.text(Self.overviewPart) ?? CurriculumPages.overview(handbook: h, renderers: renderers, context: context, level: 1)))
        for info in h.curriculum.items {
            out.append("<section class=\"curriculum-item\" aria-labelledby=\"\(HTML.escape(info.id))\">\n")
            let ready = fresh(info.pagePath)
            out.append(page: info.pagePath, key: plan.unitKey(info.pagePath), old: ready == nil ? plan.oldOnePagePart(info.pagePath) : nil) {
                ready ?? RenderedPart(CurriculumPages.itemContent(info, handbook: h, renderers: renderers, context: context, level: 2))
            }
            out.append("</section>\n")
        }
        out.append("</div>\n")
        out.append(after)
        emit("handbook.html", out)
    }

    mutating func searchFiles() {
        var js = SplicedOutput()
        js.append("window.KITBAG_SEARCH = [\n")
        for group in searchGroups {
            switch group.lines {
            case .old(let old):
                js.append(page: group.page, key: plan.unitKey(group.page), old: old) { RenderedPart("") }
            case .shared(let part), .made(let part):
                js.append(page: group.page, key: plan.unitKey(group.page), old: nil) { part }
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
