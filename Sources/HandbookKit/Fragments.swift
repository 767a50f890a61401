import KitbagCore

/// Shared pieces of HTML: the page shell, "referenced from" lists, navigation.
enum Fragments {
    /// Where a section, table or item is referenced from: a compact list after its text,
    /// closed by default (`<details>`), so that readers and keyboard users meet the text first.
    /// Print shows it as one line (see the stylesheet).
    static func referencedFrom(_ refs: [BackReference], of id: String, index h: TargetIndex, context: LinkContext) -> String {
        referencedFrom(backReferenceTargets(refs, index: h), context: context)
    }

    /// The targets a list of back-references shows, in order (a reference whose ID names no
    /// target is left out). Worked out once per unit: the list is rendered on every page
    /// that shows the unit.
    static func backReferenceTargets(_ refs: [BackReference], index h: TargetIndex) -> [TargetStrings] {
        refs.compactMap { ref in h.strings[ref.fromID] ?? h.targets[ref.fromID].map(TargetStrings.init) }
    }

    /// The same list from its targets.
    static func referencedFrom(_ targets: [TargetStrings], context: LinkContext) -> String {
        guard !targets.isEmpty else { return "" }
        let head = "<details class=\"backrefs\"><summary>Referenced from \(targets.count) \(targets.count == 1 ? "place" : "places")</summary>\n<div class=\"backrefs-list\">"
        // Lists of hundreds of links are common: one allocation instead of a doubling series,
        // and bytes appended to an array (cheaper than as many appends to a string).
        var size = head.utf8.count + 32
        for target in targets { size += target.textEscaped.utf8.count + target.siteEscaped.utf8.count + 40 }
        var out: [UInt8] = []
        out.reserveCapacity(size)
        out.append(contentsOf: head.utf8)
        for (i, target) in targets.enumerated() {
            if i > 0 { out.append(contentsOf: "; ".utf8) }
            out.append(contentsOf: (target.isTerm ? "<a class=\"term\" href=\"" : "<a class=\"xref\" href=\"").utf8)
            out.append(contentsOf: context.escapedHref(target).utf8)
            out.append(contentsOf: "\">".utf8)
            out.append(contentsOf: target.textEscaped.utf8)
            out.append(contentsOf: "</a>".utf8)
        }
        out.append(contentsOf: "</div></details>\n".utf8)
        return String(decoding: out, as: UTF8.self)
    }

    struct Navigation {
        var previous: (href: String, text: String)?
        var next: (href: String, text: String)?
    }

    /// Links to the previous and next page; empty when there is neither. Each pager on a page
    /// needs its own label (landmarks are told apart by name).
    static func pager(_ navigation: Navigation, label: String, top: Bool = false) -> String {
        guard navigation.previous != nil || navigation.next != nil else { return "" }
        var out = "<nav class=\"pager\(top ? " pager-top" : "")\" aria-label=\"\(label)\"><ul>"
        if let p = navigation.previous { out += "<li class=\"previous\"><a href=\"\(HTML.escape(p.href))\" rel=\"prev\">Previous: \(HTML.escape(p.text))</a></li>" }
        if let n = navigation.next { out += "<li class=\"next\"><a href=\"\(HTML.escape(n.href))\" rel=\"next\">Next: \(HTML.escape(n.text))</a></li>" }
        return out + "</ul></nav>\n"
    }

    /// A chapter's contents panel: its sections, numbered as in the text (a sidebar on wide screens).
    static func chapterContents(_ sections: [(id: String, text: String)]) -> String {
        guard !sections.isEmpty else { return "" }
        var out = "<nav class=\"chapter-contents\" aria-label=\"In this chapter\">\n<p class=\"panel-title\">In this chapter</p>\n<ol>\n"
        for s in sections { out += "<li><a href=\"#\(HTML.escape(s.id))\">\(HTML.escape(s.text))</a></li>\n" }
        return out + "</ol>\n</nav>\n"
    }

    /// A complete page: language, landmarks, skip link, search form, stylesheet, no external requests.
    static func page(title: String, book: Book, context: LinkContext, main: String, navigation: Navigation? = nil, search: Bool = true) -> String {
        let (before, after) = shell(title: title, book: book, context: context, navigation: navigation, search: search)
        return before + main + after
    }

    /// The page around its main content: everything before `main`'s content and everything after.
    static func shell(title: String, book: Book, context: LinkContext, navigation: Navigation? = nil, search: Bool = true) -> (before: String, after: String) {
        let home = context.singlePage ? "#title" : context.asset("index.html")
        var out = """
        <!DOCTYPE html>
        <html lang="\(HTML.escape(book.language))">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(title))</title>

        """
        if context.singlePage {
            // One file that works when copied alone: the stylesheet inside, images as data URIs;
            // authors and language for the PDF's metadata.
            for author in book.authors { out += "<meta name=\"author\" content=\"\(HTML.escape(author))\">\n" }
            out += "<meta name=\"generator\" content=\"kitbag\">\n<style>\n" + Assets.stylesheet
            if book.paper != "A4" { out += "@page { size: \(book.paper); }\n" }
            out += "</style>\n"
        } else {
            out += "<link rel=\"stylesheet\" href=\"\(context.asset("kitbag.css"))\">\n"
        }
        out += """
        </head>
        <body>
        <a class="skip-link" href="#main">Skip to main content</a>
        <header class="site-header">
        <p class="site-title"><a href="\(home)">\(HTML.escape(book.title))</a></p>

        """
        if search {
            out += """
            <form class="search-form" role="search" action="\(context.asset("search.html"))" method="get">
            <label for="kb-search-q">Search the handbook</label>
            <input id="kb-search-q" name="q" type="search">
            <button type="submit">Search</button>
            </form>

            """
        }
        if context.singlePage {
            // The one-page edition links only within itself.
            out += "</header>\n<main id=\"main\" tabindex=\"-1\">\n"
            return (out, "</main>\n<footer class=\"site-footer\"><p>\(HTML.escape(book.title)). Built with kitbag.</p></footer>\n</body>\n</html>\n")
        }
        out += "<nav class=\"site-nav\" aria-label=\"Site\"><ul><li><a href=\"\(context.asset("index.html"))\">Contents</a></li><li><a href=\"\(context.asset("glossary.html"))\">Glossary</a></li><li><a href=\"\(context.asset("curriculum/index.html"))\">Curriculum</a></li><li><a href=\"\(context.asset("handbook.html"))\">One-page edition</a></li></ul></nav>\n</header>\n"
        out += "<main id=\"main\" tabindex=\"-1\">\n"
        var tail = "</main>\n"
        if let navigation { tail += pager(navigation, label: "Previous and next") }
        var footer = HTML.escape(book.title)
        if let edition = book.edition { footer += ", edition \(HTML.escape(edition))" }
        tail += "<footer class=\"site-footer\"><p>\(footer). Built with kitbag.</p></footer>\n</body>\n</html>\n"
        return (out, tail)
    }
}
