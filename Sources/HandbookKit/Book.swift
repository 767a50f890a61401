import KitbagCore

/// `Handbook/book.md`: the book's title page data and its unnumbered preface.
public struct Book: Sendable {
    public var title: String
    public var subtitle: String?
    public var edition: String?
    public var authors: [String]
    /// BCP 47 language tag for `<html lang>`.
    public var language: String
    /// How many heading levels get numbers (chapter = 1, so 3 gives N.1.1).
    public var numberingDepth: Int
    /// The PDF's paper size, a CSS page size (`paper:`; A4 when not given).
    public var paper = "A4"
    /// Paper sizes `paper:` accepts.
    static let paperSizes = ["A3", "A4", "A5", "B4", "B5", "letter", "legal"]
    /// The preface, Markdown.
    public var preface: String
    public var source: SourceFile?
    /// Site values declared as `site-NAME: neutral text`, in file order: the shared edition
    /// shows the neutral text where a chapter says `{{site.NAME}}`.
    public var siteValues: [SiteValueDeclaration] = []

    static let schema = FrontMatterSchema(
        kind: "book.md", required: ["title"],
        optional: ["subtitle", "edition", "authors", "language", "numbering-depth", "paper", "origin", "date", "description", "xapi-base"], prefixes: [SiteValueDeclaration.prefix])

    /// Reads book.md; a missing book.md is an error at the Handbook folder.
    package static func load(_ paths: ProjectPaths, into bag: inout DiagnosticBag) -> Book {
        var book = Book(title: "Handbook", subtitle: nil, edition: nil, authors: [], language: "en", numberingDepth: 3, preface: "", source: nil)
        guard let file = paths.source("Handbook/book.md") else {
            bag.error(.missingBook, "no 'Handbook/book.md': a handbook needs one, with at least 'title:' in its front matter",
                      at: SourceLocation(file: paths.display("Handbook"), line: 1, column: 1))
            return book
        }
        let fm = FrontMatter.parse(file, into: &bag)
        var r = FrontMatterReader(fm, file: file, schema: schema)
        book.title = r.string("title") ?? book.title
        book.subtitle = r.string("subtitle")
        book.edition = r.string("edition")
        book.authors = r.list("authors")?.map(\.text) ?? []
        book.language = r.string("language") ?? "en"
        book.numberingDepth = r.integer("numbering-depth", range: 1...6) ?? 3
        if let paper = r.string("paper") {
            if let size = paperSizes.first(where: { $0.lowercased() == paper.lowercased() }) {
                book.paper = size
            } else {
                var notes: [Diagnostic.Note] = [.init("paper sizes: " + paperSizes.joined(separator: ", "))]
                if let guess = DidYouMean.closest(to: paper, in: paperSizes) { notes.insert(.init("did you mean '\(guess)'?"), at: 0) }
                bag.error(.unknownPaper, "unknown paper size '\(paper)'", at: r.location(of: "paper"), notes: notes)
            }
        }
        for entry in fm.entries where entry.key.hasPrefix(SiteValueDeclaration.prefix) && entry.key.count > SiteValueDeclaration.prefix.count {
            let name = String(entry.key.dropFirst(SiteValueDeclaration.prefix.count))
            if case .list = entry.value {
                bag.error(.frontMatterType, "'\(entry.key)' must be a single value (the neutral text of the site value '\(name)')", at: entry.valueLocation)
                continue
            }
            book.siteValues.append(SiteValueDeclaration(name: name, neutral: entry.value.text, location: entry.keyLocation))
        }
        book.preface = fm.body
        book.source = file
        bag.add(contentsOf: r.diagnostics)
        return book
    }
}
