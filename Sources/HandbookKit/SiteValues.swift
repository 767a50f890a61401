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

}

/// What an edition changes in one unit before it is walked: the site values
/// `{{site.NAME}}` fills in, and the site's adaptations of that chapter.
package struct UnitEdition: Sendable {
    var values: SiteValues
    /// The site's adaptations of the chapter, each with the heading it adapts.
    var adaptations: [PlacedAdaptation] = []

    package init(values: SiteValues, adaptations: [PlacedAdaptation] = []) {
        self.values = values
        self.adaptations = adaptations
    }
}

extension SiteValues {
    /// The site values a unit's text names (`{{site.NAME}}`), sorted: what a unit's cache key
    /// folds in, so that a unit naming no value has the same key in every edition. Text that
    /// could spell a placeholder another way (a character reference such as `&#123;`, or a
    /// backslash before `{`, `.` or `}`) names every value.
    package static func placeholderNames(in body: String) -> [String] {
        var text = body
        return text.withUTF8 { b -> [String] in
            let open: [UInt8] = Array("{{site.".utf8)
            let n = b.count
            var names: Set<String> = []
            var next = MarkerSearch(b, markers: [UInt8(ascii: "{"), UInt8(ascii: "&"), UInt8(ascii: "\\")])
            var i = 0
            // Only `{`, `&` and `\` can start what this looks for: jump from one to the next.
            while let at = next.first(from: i) {
                i = at
                switch b[i] {
                case UInt8(ascii: "{"):
                    guard i + open.count <= n, (1..<open.count).allSatisfy({ b[i + $0] == open[$0] }) else { break }
                    var j = i + open.count
                    while j + 1 < n, !(b[j] == UInt8(ascii: "}") && b[j + 1] == UInt8(ascii: "}")) { j += 1 }
                    guard j + 1 < n else { return names.sorted() }
                    names.insert(String(decoding: UnsafeBufferPointer(rebasing: b[(i + open.count)..<j]), as: UTF8.self))
                    i = j + 1
                case UInt8(ascii: "&"):
                    // A character reference: `&#...;` or `&name;`.
                    var j = i + 1
                    while j < n, j - i < 40, b[j] == UInt8(ascii: "#") || (b[j] | 0x20 >= UInt8(ascii: "a") && b[j] | 0x20 <= UInt8(ascii: "z")) || (b[j] >= UInt8(ascii: "0") && b[j] <= UInt8(ascii: "9")) { j += 1 }
                    if j > i + 1, j < n, b[j] == UInt8(ascii: ";") { return [SiteValues.every] }
                default:  // a backslash
                    if i + 1 < n, b[i + 1] == UInt8(ascii: "{") || b[i + 1] == UInt8(ascii: ".") || b[i + 1] == UInt8(ascii: "}") { return [SiteValues.every] }
                }
                i += 1
            }
            return names.sorted()
        }
    }

    /// The name that stands for every site value in `placeholderNames`.
    package static let every = "*"
}

/// The next place in a text where one of a few marker bytes stands, found with `memchr`
/// (`firstIndex(of:from:)`) one marker at a time: each marker's next place is kept until the
/// scan passes it, so the text is searched about once per marker, not byte by byte.
struct MarkerSearch {
    let bytes: UnsafeBufferPointer<UInt8>
    let markers: [UInt8]
    /// Per marker, its next place at or after the last search's start (`bytes.count`: none).
    private var places: [Int]

    init(_ bytes: UnsafeBufferPointer<UInt8>, markers: [UInt8]) {
        self.bytes = bytes
        self.markers = markers
        places = [Int](repeating: -1, count: markers.count)
    }

    /// The first index at or after `start` whose byte is one of the markers (nil: none).
    mutating func first(from start: Int) -> Int? {
        var best = bytes.count
        for m in markers.indices {
            if places[m] < start { places[m] = bytes.firstIndex(of: markers[m], from: start) ?? bytes.count }
            best = min(best, places[m])
        }
        return best < bytes.count ? best : nil
    }
}

extension Fingerprint {
    /// This key with what an edition changes in a unit folded in: its adaptations of the unit,
    /// and the texts of the site values the unit names (`names`, from `placeholderNames`).
    /// Unchanged when the edition changes nothing the unit shows, so such a unit has the same
    /// key, and the same walk and pages, in every edition.
    package func salted(_ edition: UnitEdition?, names: [String]) -> Fingerprint {
        guard let edition, !names.isEmpty || !edition.adaptations.isEmpty else { return self }
        var h = FingerprintHasher()
        h.add(self)
        if !names.isEmpty {
            // Every declared name too: an unknown name's did-you-mean lists them.
            h.add("site-values")
            for name in edition.values.values.keys.sorted() { h.add(name) }
            let shown = names == [SiteValues.every] ? edition.values.values.keys.sorted() : names
            for name in shown { h.add(name); h.add(edition.values.values[name]) }
        }
        // What it does and where, as well as its text: the body alone leaves out its front matter.
        for placed in edition.adaptations {
            let a = placed.adaptation
            h.add(a.relativePath); h.add(a.kind.rawValue); h.add(placed.headingLine); h.add(a.body)
        }
        return h.finish()
    }
}
