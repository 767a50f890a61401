import CurriculumKit
import KitbagCore

extension SiteBuilder {
    /// Renders every page and part that needs it before the site is put together, spread over
    /// every core: a chapter's page, its part of the one-page edition and its lines of the
    /// search index come from the same unit, so each task owns one unit's cmark tree and
    /// nothing else is written to. Whole pages are kept as bytes and parts with their
    /// fingerprints, so that what runs on one core afterwards only puts ready pieces in order.
    /// The costliest jobs come first (the tables of contents, the glossary, the curriculum),
    /// so that the cores end together on short chapters.
    func prerenderChapters() {
        let all = chapters
        let items = h.curriculum.items
        var work: [Job] = []
        if !plan.skips("index.html") { work.append(.index) }
        if plan.oldOnePagePart(Self.tocPart) == nil { work.append(.contents) }
        if let g = h.glossaryUnit, plan.rendersPage("glossary.html") || plan.needsOnePage("glossary.html") { work.append(.glossary(unit: g)) }
        work += [.overview(onePage: false), .overview(onePage: true)]
        for (position, info) in items.enumerated() where plan.rendersPage(info.pagePath) || plan.needsOnePage(info.pagePath) {
            work.append(.item(position: position))
        }
        let chapterJobs = all.indices.filter { plan.rendersPage(all[$0].page) || plan.needsOnePage(all[$0].page) }
        work += chapterJobs.map { .chapter(position: $0) }
        // Chapters the plan skips are done already; each rendered chapter counts once finished.
        let done = Mutex(all.count - chapterJobs.count)
        // The cores share the read-only book, the plan and the renderers (each task renders
        // its own unit; a renderer locks its tree) and keep what they render in `prerendered`.
        work.concurrentForEach { [h, plan, renderers, prerendered, progress] job in
            switch job {
            case .index:
                prerendered.keep("index.html", pageBytes: Array(SiteBuilder.indexPage(h, chapters: all, renderers: renderers).utf8))
            case .contents:
                let contents = SiteBuilder.tableOfContents(h, LinkContext(page: "handbook.html", singlePage: true))
                prerendered.keep(SiteBuilder.tocPart, onePage: RenderedPart(contents))
            case .overview(onePage: false):
                prerendered.keep(SiteBuilder.overviewPage, pageBytes: Array(SiteBuilder.overviewPage(h, renderers: renderers).utf8))
            case .overview(onePage: true):
                let context = LinkContext(page: "handbook.html", singlePage: true)
                prerendered.keep(SiteBuilder.overviewPart, text: CurriculumPages.overview(handbook: h, renderers: renderers, context: context, level: 1))
            case .item(let position):
                let info = items[position]
                if plan.rendersPage(info.pagePath) {
                    prerendered.keep(info.pagePath, pageBytes: Array(SiteBuilder.itemPage(h, renderers: renderers, items: items, position: position).utf8))
                }
                if plan.needsOnePage(info.pagePath) {
                    let context = LinkContext(page: "handbook.html", singlePage: true)
                    let part = CurriculumPages.itemContent(info, handbook: h, renderers: renderers, context: context, level: 2)
                    prerendered.keep(info.pagePath, onePage: RenderedPart(part))
                }
                if plan.oldSearchPart(info.pagePath) == nil {
                    prerendered.keep(info.pagePath, searchLines: RenderedPart(SiteBuilder.searchLine(info, h)))
                }
            case .glossary(let unit):
                guard let renderer = renderers[unit] else { return }
                if plan.rendersPage("glossary.html") {
                    let main = renderer.render(LinkContext(page: "glossary.html", singlePage: false))
                    prerendered.keep("glossary.html", pageBytes: Array(SiteBuilder.glossaryPage(h, chapters: all, main: main).utf8))
                }
                SiteBuilder.renderParts(renderer, page: "glossary.html", plan: plan, into: prerendered)
            case .chapter(let position):
                defer {
                    if let progress { progress(done.withLock { $0 += 1; return $0 }, all.count) }
                }
                let chapter = all[position]
                guard let renderer = renderers[chapter.unit] else { return }
                if plan.rendersPage(chapter.page) {
                    // The whole page is put together here, on this core.
                    let content = renderer.render(LinkContext(page: chapter.page, singlePage: false))
                    let page = SiteBuilder.chapterPage(h, chapters: all, position: position, content: content, sections: renderer.resolved.sections)
                    prerendered.keep(chapter.page, pageBytes: page)
                }
                SiteBuilder.renderParts(renderer, page: chapter.page, plan: plan, into: prerendered)
            }
        }
    }

    /// A unit's part of the one-page edition and its lines of the search index, when the plan
    /// needs them; then the unit's tree is freed (everything it renders to is kept).
    static func renderParts(_ renderer: UnitRenderer, page: String, plan: any RenderPlan, into prerendered: PrerenderedPages) {
        if plan.needsOnePage(page) {
            let part = renderer.render(LinkContext(page: "handbook.html", singlePage: true))
            prerendered.keep(page, onePage: RenderedPart(part))
            if plan.oldSearchPart(page) == nil && plan.sharedSearchLines(page) == nil {
                prerendered.keep(page, searchLines: RenderedPart(searchLines(renderer, page: page)))
            }
        }
        renderer.finish()  // both renderings are kept: free the tree now, not at the end
    }

    /// One piece of work for `prerenderChapters`.
    enum Job: Sendable {
        /// The index page (title page, preface, table of contents).
        case index
        /// The table of contents of the one-page edition.
        case contents
        /// The curriculum overview: its page, or its section of the one-page edition.
        case overview(onePage: Bool)
        /// A curriculum item's page, its part of the one-page edition and its search line.
        case item(position: Int)
        case glossary(unit: Int)
        /// A chapter, by its place in the book.
        case chapter(position: Int)
    }
}
