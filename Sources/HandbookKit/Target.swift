import KitbagCore

/// What an ID names.
public enum TargetKind: String, Sendable {
    case chapter, section, principle, competency, module, assessment, glossaryTerm = "glossary term", table
    case domain = "fidelity domain", fidelityItem = "fidelity item"
}

/// Anything a `#id` link can point at, with the text an empty link shows and where it lives.
public struct Target: Sendable {
    public var id: String
    public var kind: TargetKind
    /// The text an empty link shows: "11.4 Risk, safety and handover", "Chapter 11: ...", "Table 7.1".
    public var text: String
    /// The page it is on, relative to the site root: "11-supervision.html", "curriculum/P2.html".
    public var page: String
    /// The anchor on that page (nil: the top of the page; in handbook.html the ID itself).
    public var anchor: String?
    public var location: SourceLocation
    /// Whether the ID is an automatic slug that needed a "-2" style suffix.
    public var isSuffixedSlug = false
    /// A glossary term as an empty link shows it in running text ("good supervision");
    /// nil for every other kind (see `Glossary.runningText`).
    public var runningText: String?
    /// The unit (document) the target is defined in, for file#anchor links.
    package var unit: Int?

    package init(id: String, kind: TargetKind, text: String, page: String, anchor: String?, location: SourceLocation,
                 isSuffixedSlug: Bool = false, runningText: String? = nil, unit: Int? = nil) {
        self.id = id
        self.kind = kind
        self.text = text
        self.page = page
        self.anchor = anchor
        self.location = location
        self.isSuffixedSlug = isSuffixedSlug
        self.runningText = runningText
        self.unit = unit
    }
}

/// Where a link to a target was written: the section (or item) it sits in.
public struct BackReference: Sendable, Hashable {
    /// The ID of the section, chapter, glossary term or curriculum item the link is in.
    public var fromID: String

    package init(fromID: String) { self.fromID = fromID }
}

/// How hrefs are written: on one page of the multi-page site, or inside handbook.html.
package struct LinkContext: Sendable {
    /// The current page, relative to the site root ("curriculum/P1.html").
    var page: String
    /// Whether all targets live on this one page (handbook.html).
    var singlePage: Bool

    package init(page: String, singlePage: Bool) {
        self.page = page
        self.singlePage = singlePage
    }

    // Bytes, not characters: asked for every link on every page.
    var rootPrefix: String { page.utf8.contains(UInt8(ascii: "/")) ? "../" : "" }

    func href(_ target: Target) -> String {
        if singlePage { return "#" + (target.anchor ?? target.id) }
        if target.page == page { return "#" + (target.anchor ?? "top") }
        return rootPrefix + target.page + (target.anchor.map { "#" + $0 } ?? "")
    }

    /// A site-root-relative path (an asset or page) as seen from this page.
    func asset(_ path: String) -> String { rootPrefix + path }
}

/// A target's hrefs and text worked out once per build (before rendering starts), so that
/// the many links and "referenced from" lists that show it do not rebuild the same strings.
/// A class: links and lists hold it with one reference count, not one per string.
package final class TargetStrings: Sendable {
    /// `#anchor` in the one-page edition.
    let single: String
    /// `#anchor` on the target's own page.
    let samePage: String
    /// `page#anchor` from a page in the site's root folder.
    let site: String
    /// The same three, escaped for an attribute, and the text escaped.
    let singleEscaped: String
    let samePageEscaped: String
    let siteEscaped: String
    let textEscaped: String
    /// The target's page, and whether it is a glossary term (its links carry class "term").
    let page: String
    let isTerm: Bool
    /// The text an empty link shows, and a glossary term's running text (see `Target`).
    let text: String
    let runningText: String?

    init(_ t: Target) {
        single = "#" + (t.anchor ?? t.id)
        samePage = "#" + (t.anchor ?? "top")
        site = t.page + (t.anchor.map { "#" + $0 } ?? "")
        singleEscaped = HTML.escape(single)
        samePageEscaped = HTML.escape(samePage)
        siteEscaped = HTML.escape(site)
        textEscaped = HTML.escape(t.text)
        page = t.page
        isTerm = t.kind == .glossaryTerm
        text = t.text
        runningText = t.runningText
    }
}

extension LinkContext {
    /// `href(target)` from precomputed strings.
    func href(_ target: Target, _ s: TargetStrings) -> String {
        if singlePage { return s.single }
        if target.page == page { return s.samePage }
        return rootPrefix.isEmpty ? s.site : rootPrefix + s.site
    }

    /// `href(target)` from the target's strings alone.
    func href(_ s: TargetStrings) -> String {
        if singlePage { return s.single }
        if s.page == page { return s.samePage }
        return rootPrefix.isEmpty ? s.site : rootPrefix + s.site
    }

    /// `HTML.escape(href(target))` from precomputed strings.
    func escapedHref(_ s: TargetStrings) -> String {
        if singlePage { return s.singleEscaped }
        if s.page == page { return s.samePageEscaped }
        return rootPrefix.isEmpty ? s.siteEscaped : rootPrefix + s.siteEscaped
    }
}
