import KitbagCore

/// What the render stage may skip or reuse: HandbookBuild's `SitePlan`, from render keys and
/// the last build's outputs. Without one (`RenderEverything`) every page is rendered.
package protocol RenderPlan: Sendable {
    /// Whether the page is current on disk (the builder neither renders nor writes it).
    func skips(_ page: String) -> Bool
    /// The page's part of the last build's one-page edition, when its key still matches.
    func oldOnePagePart(_ page: String) -> Segment?
    /// The page's entries in the last build's search index, when its key still matches.
    func oldSearchPart(_ page: String) -> Segment?
    /// The key a page's parts are stored under (nil: the page is not keyed).
    func unitKey(_ page: String) -> Fingerprint?
    /// The whole page as the shared edition rendered it in this run (a site edition's page
    /// with the same render key).
    func sharedPage(_ page: String) -> [UInt8]?
    /// The page's part of the one-page edition as the shared edition rendered it.
    func sharedOnePagePart(_ page: String) -> RenderedPart?
    /// The page's lines of the search index as the shared edition made them.
    func sharedSearchLines(_ page: String) -> RenderedPart?
}

extension RenderPlan {
    /// Whether the page itself must be rendered: it is neither current on disk nor taken
    /// from the shared edition.
    package func rendersPage(_ page: String) -> Bool {
        !skips(page) && sharedPage(page) == nil
    }

    /// Whether the unit must be rendered for the one-page edition: its old part cannot be
    /// reused, or its search entries (which come from the rendering) cannot.
    package func needsOnePage(_ page: String) -> Bool {
        (oldOnePagePart(page) == nil && sharedOnePagePart(page) == nil)
            || (!page.hasPrefix("curriculum/") && oldSearchPart(page) == nil && sharedSearchLines(page) == nil)
    }
}

/// The plan of a clean build: nothing is skipped or reused.
package struct RenderEverything: RenderPlan {
    package func skips(_ page: String) -> Bool { false }
    package func oldOnePagePart(_ page: String) -> Segment? { nil }
    package func oldSearchPart(_ page: String) -> Segment? { nil }
    package func unitKey(_ page: String) -> Fingerprint? { nil }
    package func sharedPage(_ page: String) -> [UInt8]? { nil }
    package func sharedOnePagePart(_ page: String) -> RenderedPart? { nil }
    package func sharedSearchLines(_ page: String) -> RenderedPart? { nil }
}

/// Pages and parts rendered on every core by `prerenderChapters`, kept until the builder
/// puts the site together: whole pages as their bytes, and the parts of the one-page
/// edition and of the search index with their fingerprints.
package final class PrerenderedPages: Sendable {
    private struct Kept {
        var pages: [String: [UInt8]] = [:]
        var onePage: [String: RenderedPart] = [:]
        var search: [String: RenderedPart] = [:]
        var texts: [String: String] = [:]
    }
    private let kept = Mutex(Kept())

    /// Keeps a whole page.
    package func keep(_ page: String, pageBytes: [UInt8]) { kept.withLock { $0.pages[page] = pageBytes } }
    /// Keeps a page's part of the one-page edition.
    package func keep(_ page: String, onePage: RenderedPart) { kept.withLock { $0.onePage[page] = onePage } }
    /// Keeps a page's lines of the search index.
    package func keep(_ page: String, searchLines: RenderedPart) { kept.withLock { $0.search[page] = searchLines } }
    /// Keeps a text of the one-page edition that is no page's part (the curriculum overview).
    package func keep(_ name: String, text: String) { kept.withLock { $0.texts[name] = text } }

    package func pageBytes(_ page: String) -> [UInt8]? { kept.withLock { $0.pages[page] } }
    package func onePage(_ page: String) -> RenderedPart? { kept.withLock { $0.onePage[page] } }
    package func searchLines(_ page: String) -> RenderedPart? { kept.withLock { $0.search[page] } }
    package func text(_ name: String) -> String? { kept.withLock { $0.texts[name] } }
    /// Every one-page part rendered in this build, by page.
    package var onePageParts: [String: RenderedPart] { kept.withLock { $0.onePage } }
}
