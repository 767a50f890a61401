import CurriculumKit
import KitbagCore
import Markdown

/// A site value declared in book.md as `site-NAME: neutral text`.
public struct SiteValueDeclaration: Sendable, Hashable {
    /// The key prefix that declares a site value.
    public static let prefix = "site-"
    /// NAME, as `{{site.NAME}}` writes it.
    public var name: String
    /// What the shared edition shows.
    public var neutral: String
    public var location: SourceLocation
}

/// The values `{{site.NAME}}` fills in for one edition: the neutral text for the shared
/// edition, a site's own values for its edition.
public struct SiteValues: Sendable, Hashable {
    /// NAME -> text.
    public var values: [String: String]

    public init(values: [String: String]) {
        self.values = values
    }

    /// The shared edition's values: each declaration's neutral text.
    public static func neutral(_ book: Book) -> SiteValues {
        SiteValues(values: Dictionary(book.siteValues.map { ($0.name, $0.neutral) }, uniquingKeysWith: { a, _ in a }))
    }

    /// Fills in every `{{site.NAME}}` in the text of `document` (never in code, and never in
    /// headings, whose titles are IDs and numbers other pages show). An undeclared NAME is an
    /// error with a did-you-mean; the placeholder stays as written.
    static func fill(_ values: SiteValues, in document: MarkdownDocument, unit: UnitParser, bag: inout DiagnosticBag) {
        document.rootNode.walk { node in
            switch node.kind {
            case .heading:
                if node.plainText.contains("{{site.") {
                    bag.error(.siteValueInHeading, "site values are not filled in headings: a heading's title is shown in other chapters and the contents",
                              at: unit.location(node), notes: [.init("put the value in the section's text instead")])
                }
                return false
            case .codeBlock, .htmlBlock:
                return false
            case .text:
                guard let text = node.literal, text.contains("{{site.") else { return false }
                node.literal = substitute(text, values: values, node: node, unit: unit, bag: &bag)
                return false
            default:
                return true
            }
        }
    }

    /// `text` with each placeholder filled in; an unknown one is an error at its place.
    static func substitute(_ text: String, values: SiteValues, node: MarkdownNode, unit: UnitParser, bag: inout DiagnosticBag) -> String {
        let (out, unknown) = filling(text, with: values.values)
        for (name, before) in unknown {
            var location = unit.location(node)
            if node.startLine > 0 { location.column += before }
            var notes: [Diagnostic.Note] = []
            if let guess = DidYouMean.closest(to: name, in: values.values.keys.sorted()) { notes.append(.init("did you mean '{{site.\(guess)}}'?")) }
            notes.append(.init(values.values.isEmpty
                ? "declare it in Handbook/book.md as 'site-\(name): neutral text'"
                : "declared site values: \(values.values.keys.sorted().joined(separator: ", ")); declare a new one in Handbook/book.md as 'site-\(name): neutral text'"))
            bag.error(.unknownSiteValue, "unknown site value '\(name)'", at: location, notes: notes)
        }
        return out
    }

    /// `text` with each `{{site.NAME}}` whose NAME has a value filled in. The others stay as
    /// written, and are returned with the number of characters of `text` before each.
    static func filling(_ text: String, with values: [String: String]) -> (text: String, unknown: [(name: String, offset: Int)]) {
        var out = ""
        var unknown: [(name: String, offset: Int)] = []
        var rest = Substring(text)
        var consumed = 0  // characters of `text` before `rest`
        // An opening without its closing "}}" is text, as is everything after it.
        while let open = rest.firstRange(of: "{{site."), let close = rest[open.upperBound...].firstRange(of: "}}") {
            out += rest[..<open.lowerBound]
            let afterOpen = rest[open.upperBound...]
            let name = String(afterOpen[..<close.lowerBound])
            if let value = values[name] {
                out += value
            } else {
                unknown.append((name, consumed + rest.distance(from: rest.startIndex, to: open.lowerBound)))
                out += rest[open.lowerBound..<close.upperBound]
            }
            consumed += rest.distance(from: rest.startIndex, to: close.upperBound)
            rest = afterOpen[close.upperBound...]
        }
        out += rest
        return (out, unknown)
    }

    /// Folds the values into a cache key (nothing when there are none, so keys of books
    /// without site values stay as they were).
    func add(to h: inout FingerprintHasher) {
        guard !values.isEmpty else { return }
        h.add("site-values")
        for (name, value) in values.sorted(by: { $0.key < $1.key }) { h.add(name); h.add(value) }
    }
}

/// What an edition changes in one unit before it is walked: the site values
/// `{{site.NAME}}` fills in, and the site's adaptations of that chapter.
package struct UnitEdition: Sendable {
    var values: SiteValues
    /// The chapter's ID (an adaptation may add sections at the end of an adaptable chapter).
    var chapterID: String?
    var adaptations: [Adaptation] = []

    package init(values: SiteValues, chapterID: String? = nil, adaptations: [Adaptation] = []) {
        self.values = values
        self.chapterID = chapterID
        self.adaptations = adaptations
    }
}

extension Fingerprint {
    /// This key with the edition's values folded in (unchanged without an edition).
    package func salted(_ edition: UnitEdition?) -> Fingerprint {
        guard let edition, !edition.values.values.isEmpty || !edition.adaptations.isEmpty else { return self }
        var h = FingerprintHasher()
        h.add(self)
        edition.values.add(to: &h)
        for a in edition.adaptations { h.add(a.relativePath); h.add(a.body) }
        return h.finish()
    }
}
