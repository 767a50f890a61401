import KitbagCore

/// Shared pieces of HTML: the page shell, "referenced from" lists, navigation.
enum Fragments {
    static func referencedFrom(_ refs: [BackReference], of id: String, handbook h: Handbook, context: LinkContext) -> String {
        var out = ""
        for ref in refs {
            guard let target = h.targets[ref.fromID] else { continue }
            out += out.isEmpty ? "<p class=\"backrefs\"><span class=\"label\">Referenced from:</span> " : "; "
            out += "<a href=\""
            if let strings = h.targetStrings[ref.fromID] {
                out += context.escapedHref(target, strings)
                out += "\">"
                out += strings.textEscaped
            } else {
                out += HTML.escape(context.href(target))
                out += "\">"
                out += HTML.escape(target.text)
            }
            out += "</a>"
        }
        return out.isEmpty ? "" : out + "</p>\n"
    }

    struct Navigation {
        var previous: (href: String, text: String)?
        var next: (href: String, text: String)?
    }

    /// A complete page: language, landmarks, skip link, search form, stylesheet, no external requests.
    static func page(title: String, book: Book, context: LinkContext, main: String, navigation: Navigation? = nil, search: Bool = true) -> String {
        let (before, after) = shell(title: title, book: book, context: context, navigation: navigation, search: search)
        return before + main + after
    }

    /// The page around its main content: everything before `main`'s content and everything after.
    static func shell(title: String, book: Book, context: LinkContext, navigation: Navigation? = nil, search: Bool = true) -> (before: String, after: String) {
        let css = context.asset("kitbag.css")
        let home = context.singlePage ? "#title" : context.asset("index.html")
        var out = """
        <!DOCTYPE html>
        <html lang="\(HTML.escape(book.language))">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(title))</title>
        <link rel="stylesheet" href="\(css)">
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
        if let navigation, navigation.previous != nil || navigation.next != nil {
            tail += "<nav class=\"pager\" aria-label=\"Previous and next\"><ul>"
            if let p = navigation.previous { tail += "<li class=\"previous\"><a href=\"\(HTML.escape(p.href))\" rel=\"prev\">Previous: \(HTML.escape(p.text))</a></li>" }
            if let n = navigation.next { tail += "<li class=\"next\"><a href=\"\(HTML.escape(n.href))\" rel=\"next\">Next: \(HTML.escape(n.text))</a></li>" }
            tail += "</ul></nav>\n"
        }
        var footer = HTML.escape(book.title)
        if let edition = book.edition { footer += ", edition \(HTML.escape(edition))" }
        tail += "<footer class=\"site-footer\"><p>\(footer). Built with kitbag.</p></footer>\n</body>\n</html>\n"
        return (out, tail)
    }
}
