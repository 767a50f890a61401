import CurriculumKit
import KitbagCore

extension SiteBuilder {
    /// Renders the chapters that need it before the pages are assembled, spread over every
    /// core: a chapter's page content and its part of the one-page edition come from the same
    /// unit, so each task owns one unit's cmark tree and nothing else is written to.
    func prerenderChapters() {
        let all = chapters
        var work: [Job] = all.enumerated().map { Job(page: $1.page, unit: $1.unit, item: nil, position: $0) }
        if let g = h.glossaryUnit { work.append(Job(page: "glossary.html", unit: g, item: nil)) }
        work += h.curriculum.items.map { Job(page: $0.pagePath, unit: h.curriculumUnits[$0.id], item: $0) }
        work = work.filter { plan.rendersPage($0.page) || plan.needsOnePage($0.page) }
        guard !work.isEmpty else { return }
        // Chapters the plan skips are done already; each rendered chapter counts once finished.
        let done = Mutex(all.count - work.filter { $0.position != nil }.count)
        // The cores share the read-only book, the plan and the renderers (each task renders
        // its own unit; a renderer locks its tree) and keep what they render in `prerendered`.
        work.concurrentForEach { [h, plan, renderers, prerendered, progress] job in
            defer {
                if job.position != nil, let progress {
                    progress(done.withLock { $0 += 1; return $0 }, all.count)
                }
            }
            if let info = job.item {
                // A curriculum item: its page content and its section of the one-page edition.
                if plan.rendersPage(job.page) {
                    let context = LinkContext(page: info.pagePath, singlePage: false)
                    prerendered.keep(job.page, main: CurriculumPages.itemContent(info, handbook: h, renderers: renderers, context: context, level: 1))
                }
                if plan.needsOnePage(job.page) {
                    let context = LinkContext(page: "handbook.html", singlePage: true)
                    prerendered.keep(job.page, onePage: CurriculumPages.itemContent(info, handbook: h, renderers: renderers, context: context, level: 2))
                }
                return
            }
            guard let unit = job.unit, let renderer = renderers[unit] else { return }
            if plan.rendersPage(job.page) {
                let content = renderer.render(LinkContext(page: job.page, singlePage: false))
                if let position = job.position {
                    // A chapter: the whole page is put together here, on this core.
                    let chapter = all[position]
                    let previous = position > 0 ? (all[position - 1].page, "Chapter \(all[position - 1].number): \(all[position - 1].title)") : nil
                    let next = position + 1 < all.count ? (all[position + 1].page, "Chapter \(all[position + 1].number): \(all[position + 1].title)") : nil
                    let page = SiteBuilder.chapterPage(content: content, number: chapter.number, title: chapter.title, page: chapter.page,
                                                       origin: h.chapterOrigins[chapter.index], sections: renderer.resolved.sections,
                                                       previous: previous, next: next,
                                                       hasGlossary: h.glossaryUnit != nil, book: h.book)
                    prerendered.keep(job.page, pageBytes: Array(page.utf8))
                } else {
                    prerendered.keep(job.page, main: content)
                }
            }
            if plan.needsOnePage(job.page) {
                let part = renderer.render(LinkContext(page: "handbook.html", singlePage: true))
                prerendered.keep(job.page, onePage: part)
            }
            renderer.finish()  // both renderings are kept: free the tree now, not at the end
        }
    }

    /// One page built from one unit.
    struct Job: Sendable {
        var page: String
        var unit: Int?
        var item: ItemInfo?
        /// A chapter's place in the book.
        var position: Int? = nil
    }
}
