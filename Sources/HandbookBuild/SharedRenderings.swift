import HandbookKit
import KitbagCore

/// What the shared edition rendered in a `build --all-sites` run, by render key: whole pages
/// (chapters, the glossary, curriculum items), each unit's part of the one-page edition and
/// its lines of the search index (parts with their fingerprints). A site edition takes every
/// page and part whose render key equals the shared one's (`SitePlan`): a render key covers
/// everything the bytes depend on, so equal keys mean equal bytes, and only the pages an
/// edition changes are rendered again. Read-only once made.
final class SharedRenderings: Sendable {
    private let pages: [String: (Fingerprint, [UInt8])]
    private let onePageParts: [String: (Fingerprint, RenderedPart)]
    private let searchParts: [String: (Fingerprint, RenderedPart)]

    init(pages: [String: (Fingerprint, [UInt8])], onePage: [String: (Fingerprint, RenderedPart)], search: [String: (Fingerprint, RenderedPart)]) {
        self.pages = pages
        onePageParts = onePage
        searchParts = search
    }

    /// The bytes of `page` when the shared edition rendered it with this page key.
    func page(_ page: String, key: Fingerprint) -> [UInt8]? {
        guard let (k, bytes) = pages[page], k == key else { return nil }
        return bytes
    }

    /// The unit's part of the one-page edition, when rendered with this unit key.
    func onePage(_ page: String, key: Fingerprint) -> RenderedPart? {
        guard let (k, text) = onePageParts[page], k == key else { return nil }
        return text
    }

    /// The page's lines of the search index, when rendered with this unit key.
    func search(_ page: String, key: Fingerprint) -> RenderedPart? {
        guard let (k, text) = searchParts[page], k == key else { return nil }
        return text
    }
}
