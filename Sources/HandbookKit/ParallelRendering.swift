import CurriculumKit
import Dispatch
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
        work = work.filter { !plan.skips($0.page) || plan.needsOnePage($0.page) }
        guard !work.isEmpty else { return }
        let shared = Shared(builder: self, work: work, chapters: all)
        // Chapters the plan skips are done already; each rendered chapter counts once finished.
        shared.done = all.count - work.filter { $0.position != nil }.count
        DispatchQueue.concurrentPerform(iterations: work.count) { i in
            let b = shared.builder
            let job = shared.work[i]
            defer {
                if job.position != nil, let progress = b.progress {
                    let done = shared.lock.locked { shared.done += 1; return shared.done }
                    progress(done, all.count)
                }
            }
            if let info = job.item {
                // A curriculum item: its page content and its section of the one-page edition.
                if !b.plan.skips(job.page) {
                    let context = LinkContext(page: info.pagePath, singlePage: false)
                    b.prerendered.keep(job.page, main: CurriculumPages.itemContent(info, handbook: b.h, renderers: b.renderers, context: context, level: 1))
                }
                if b.plan.needsOnePage(job.page) {
                    let context = LinkContext(page: "handbook.html", singlePage: true)
                    b.prerendered.keep(job.page, onePage: CurriculumPages.itemContent(info, handbook: b.h, renderers: b.renderers, context: context, level: 2))
                }
                return
            }
            guard let unit = job.unit, let renderer = b.renderers[unit] else { return }
            if !b.plan.skips(job.page) {
                let content = renderer.render(LinkContext(page: job.page, singlePage: false))
                if let position = job.position {
                    // A chapter: the whole page is put together here, on this core.
                    let all = shared.chapters
                    let chapter = all[position]
                    let previous = position > 0 ? (all[position - 1].page, "Chapter \(all[position - 1].number): \(all[position - 1].title)") : nil
                    let next = position + 1 < all.count ? (all[position + 1].page, "Chapter \(all[position + 1].number): \(all[position + 1].title)") : nil
                    let page = SiteBuilder.chapterPage(content: content, number: chapter.number, title: chapter.title, page: chapter.page,
                                                       origin: b.h.chapterOrigins[chapter.index], sections: renderer.resolved.sections,
                                                       previous: previous, next: next,
                                                       hasGlossary: b.h.glossaryUnit != nil, book: b.h.book)
                    b.prerendered.keep(job.page, pageBytes: Array(page.utf8))
                } else {
                    b.prerendered.keep(job.page, main: content)
                }
            }
            if b.plan.needsOnePage(job.page) {
                let part = renderer.render(LinkContext(page: "handbook.html", singlePage: true))
                b.prerendered.keep(job.page, onePage: part)
            }
        }
    }

    /// One page built from one unit.
    struct Job {
        var page: String
        var unit: Int?
        var item: ItemInfo?
        /// A chapter's place in the book.
        var position: Int? = nil
    }

    /// The builder as seen from the worker threads: read-only apart from each task's own unit.
    private final class Shared: @unchecked Sendable {
        let builder: SiteBuilder
        let work: [Job]
        let chapters: [(index: Int, unit: Int, page: String, title: String, number: Int)]
        let lock = PageLock()
        var done = 0
        init(builder: SiteBuilder, work: [Job], chapters: [(index: Int, unit: Int, page: String, title: String, number: Int)]) {
            self.builder = builder
            self.chapters = chapters
            self.work = work
        }
    }
}
