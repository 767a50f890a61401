import CurriculumKit
import KitbagCore
import Markdown

/// What a site's edition adds to the pages: the site on the title page, and the
/// "Adaptations at this site" page listing each adaptation with its record.
enum SiteEditionPages {
    /// The page (and the one-page edition's anchor) listing the site's adaptations.
    static let page = "adaptations.html"
    static let anchor = "site-adaptations"

    static func href(_ context: LinkContext) -> String {
        context.singlePage ? "#\(anchor)" : page
    }

    /// Lines for the title page: the site, its trust, and the link to its adaptations.
    static func titleLines(_ plan: EditionPlan, context: LinkContext) -> String {
        var out = "<p class=\"site-edition\">\(HTML.escape(plan.site.name)) edition"
        if !plan.site.trust.isEmpty { out += "<br>\(HTML.escape(plan.site.trust))" }
        out += "</p>\n<p class=\"site-adaptations-link\"><a href=\"\(href(context))\">Adaptations at this site</a> (\(plan.adapted.count))</p>\n"
        return out
    }

    /// Every adaptation with its record: what it changes (linked), who decided, when, why,
    /// its fidelity and the principles the adapted section serves.
    static func content(_ plan: EditionPlan, handbook h: Handbook, context: LinkContext, level: Int) -> String {
        var out = "<h\(level) id=\"\(anchor)\">Adaptations at this site</h\(level)>\n"
        out += "<p>This is the \(HTML.escape(plan.site.name)) edition of the handbook. Its core is the same as every other site's; "
        out += "the sections below were adapted here, each with the record of who decided, when and why. Section numbers are the same in every edition.</p>\n"
        if plan.adapted.isEmpty { return out + "<p>This site has made no adaptations.</p>\n" }
        for item in plan.adapted {
            let a = item.adaptation
            let what: String = switch a.kind {
            case .replaces: a.removes ? "Left out" : "Replaced"
            case .addsTo: "Added to"
            case .standsInFor: "Local module for"
            }
            var target = HTML.escape(item.targetText)
            if !a.removes, let t = h.targets[a.target] { target = "<a href=\"\(HTML.escape(context.href(t)))\">\(target)</a>" }
            out += "<section class=\"adaptation fidelity-\(a.fidelity.rawValue)\" aria-label=\"\(HTML.escape(what + " " + item.targetText))\">\n"
            out += "<h\(level + 1)>\(what): \(target)</h\(level + 1)>\n<dl class=\"adaptation-record\">\n"
            if let title = a.title ?? a.localID {
                let id = a.localID.map { " <span class=\"local-module-id\">(recorded as <code>\(HTML.escape($0))</code>)</span>" } ?? ""
                out += "<dt>Local module</dt><dd>\(HTML.escape(title))\(id)</dd>\n"
            }
            if !item.chapterText.isEmpty { out += "<dt>Chapter</dt><dd>\(HTML.escape(item.chapterText))</dd>\n" }
            out += "<dt>Decided by</dt><dd>\(HTML.escape(a.decidedBy))</dd>\n<dt>Date</dt><dd>\(HTML.escape(a.date))</dd>\n"
            out += "<dt>Reason</dt><dd>\(HTML.escape(a.reason))</dd>\n<dt>Fidelity to the principles</dt><dd>\(a.fidelity.rawValue)</dd>\n"
            if !item.principles.isEmpty {
                out += "<dt>Principles served</dt><dd>\(item.principles.map { HTML.escape($0) }.joined(separator: "<br>"))</dd>\n"
            }
            out += "</dl>\n"
            if a.kind == .standsInFor, !a.body.allSatisfy(\.isWhitespace) {
                // The local module's description (safe mode: raw HTML is not passed through).
                out += "<div class=\"local-module\">\n" + MarkdownDocument(parsing: a.body).renderHTML() + "</div>\n"
            }
            out += "</section>\n"
        }
        return out
    }
}

extension SiteBuilder {
    /// The "Adaptations at this site" page of a site's edition.
    mutating func adaptationsPage() {
        guard let plan = h.edition else { return }
        let context = LinkContext(page: SiteEditionPages.page, singlePage: false)
        var nav = Fragments.Navigation()
        nav.previous = ("index.html", "Contents")
        let main = SiteEditionPages.content(plan, handbook: h, context: context, level: 1)
        emit(SiteEditionPages.page, Fragments.page(title: "Adaptations at \(plan.site.name) - \(h.book.title)", book: h.book,
                                                   context: context, main: main, navigation: nav))
    }
}
