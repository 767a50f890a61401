import KitbagCore

/// `handbook.pdf`: the one-page edition typeset by WeasyPrint with the stylesheet's print
/// rules (paged media): a title page, contents with page numbers, running chapter headers,
/// page numbers from the title page on, ", page N" after every cross-reference to a section,
/// chapter, table or curriculum item, bookmarks from the headings, and the document's title,
/// authors and language from the page's `<title>`, `<meta name="author">` and `lang`.
/// Tagged (`--pdf-variant pdf/ua-1`) so that screen readers can follow it.
public enum PrintEdition {
    public static let fileName = "handbook.pdf"

    /// How to get WeasyPrint, for the message when it is missing.
    public static let installHint = "install it: 'sudo apt-get install weasyprint' (Debian/Ubuntu package 'weasyprint'), or 'pip install weasyprint'; or set KITBAG_WEASYPRINT to its path"

    /// `KITBAG_WEASYPRINT`, else `weasyprint` on `PATH`.
    static func executable(environment: [String: String]) -> String? {
        Subprocess.find(environment["KITBAG_WEASYPRINT"] ?? "weasyprint", environment: environment)
    }

    static func missingMessage(environment: [String: String]) -> String {
        "weasyprint is needed for --pdf but was not found ('\(environment["KITBAG_WEASYPRINT"] ?? "weasyprint")'); \(installHint)"
    }

    /// Typesets the one-page edition at `onePage` into `target`.
    public static func write(onePage: String, to target: String, weasyprint: String) throws(EditionError) {
        try Editions.run(weasyprint, { ["--quiet", "--pdf-variant", "pdf/ua-1", "--media-type", "print", onePage, $0] },
                         target: target, tool: "weasyprint")
    }
}
