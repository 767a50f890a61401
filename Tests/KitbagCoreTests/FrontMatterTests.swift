import KitbagCore
import Testing

/// Parses `text` as the file `t.md`: the front matter and every diagnostic, sorted.
func parseFrontMatter(_ text: String) -> (FrontMatter, [Diagnostic]) {
    var bag = DiagnosticBag()
    let fm = FrontMatter.parse(SourceFile(displayPath: "t.md", text: text), into: &bag)
    return (fm, bag.sorted)
}

/// Each diagnostic as `line:column code`, for compact expectations.
func places(_ diagnostics: [Diagnostic]) -> [String] {
    diagnostics.map { d in "\(d.location.map { "\($0.line):\($0.column)" } ?? "-") \(d.code.rawValue)" }
}

@Suite struct FrontMatterSupportedTests {
    static let sample = """
    ---
    title: Plain text here
    quoted: "Double \\"quoted\\" \\\\ with: colon"
    single: 'It''s single: yes'
    count: 12
    negative: -3
    share: 0.75
    flag: true
    off: False
    date: 2026-04-02
    inline: [P1, "P 2", 'P3']
    empty: []
    block:
      - one
      - "two"

      # a comment inside the list
      - 3
    # a comment
    trailing: value # a comment
    url: https://example.org/a#b
    nothing:
    ---
    Body text.
    """

    @Test func everyScalarKindIsRead() throws {
        let (fm, diagnostics) = parseFrontMatter(Self.sample)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.formatted))")
        #expect(fm.isPresent)
        #expect(fm["title"]?.value == .string("Plain text here"))
        #expect(fm["quoted"]?.value == .string("Double \"quoted\" \\ with: colon"))
        #expect(fm["single"]?.value == .string("It's single: yes"))
        #expect(fm["count"]?.value == .integer(12))
        #expect(fm["negative"]?.value == .integer(-3))
        #expect(fm["share"]?.value == .number(0.75))
        #expect(fm["flag"]?.value == .boolean(true))
        #expect(fm["off"]?.value == .boolean(false))
        #expect(fm["date"]?.value == .date(try #require(ISODate(year: 2026, month: 4, day: 2))))
        #expect(fm["trailing"]?.value == .string("value"))
        #expect(fm["url"]?.value == .string("https://example.org/a#b"))
        #expect(fm["nothing"]?.value == .string(""))
        #expect(fm.entries.map(\.key) == ["title", "quoted", "single", "count", "negative", "share", "flag", "off",
                                          "date", "inline", "empty", "block", "trailing", "url", "nothing"])
    }

    @Test func listsKeepEachItemAndItsPlace() throws {
        let (fm, _) = parseFrontMatter(Self.sample)
        guard case .list(let inline)? = fm["inline"]?.value else { Issue.record("inline is not a list"); return }
        #expect(inline.map(\.value) == [.string("P1"), .string("P 2"), .string("P3")])
        #expect(inline.map(\.location.column) == [10, 14, 21])
        #expect(inline.allSatisfy { $0.location.line == 11 })
        #expect(fm["empty"]?.value == .list([]))
        guard case .list(let block)? = fm["block"]?.value else { Issue.record("block is not a list"); return }
        #expect(block.map(\.value) == [.string("one"), .string("two"), .integer(3)])
        #expect(block.map(\.location.line) == [14, 15, 18])
        #expect(block.map(\.location.column) == [5, 5, 5])
    }

    @Test func keyAndValueLocations() throws {
        let (fm, _) = parseFrontMatter(Self.sample)
        let entry = try #require(fm["share"])
        #expect(entry.keyLocation == SourceLocation(file: "t.md", line: 7, column: 1))
        #expect(entry.valueLocation == SourceLocation(file: "t.md", line: 7, column: 8))
    }

    @Test func bodyKeepsLineNumbers() {
        let (fm, _) = parseFrontMatter("---\ntitle: T\n---\n# Heading\n\ntext\n")
        #expect(fm.body == "\n\n\n# Heading\n\ntext\n")
        #expect(fm.bodyStartLine == 4)
        #expect(fm.body.split(separator: "\n", omittingEmptySubsequences: false)[3] == "# Heading")
    }

    /// Found by the fuzzer (Fuzz/run front-matter): a closing `---` with no line break after it
    /// gave the body one line more than the file.
    @Test(arguments: ["---\ntitle: T\n---", "---\ntitle: T\n---\n", "---\ntitle: T\n---\r\nText", "---\n---"])
    func bodyHasTheFilesLineCount(text: String) {
        let (fm, _) = parseFrontMatter(text)
        #expect(SourceFile(displayPath: "b", text: fm.body).lineCount == SourceFile(displayPath: "t", text: text).lineCount)
    }

    @Test func fileWithoutFrontMatterIsAllBody() {
        let (fm, diagnostics) = parseFrontMatter("# Only a heading\n---\n")
        #expect(!fm.isPresent)
        #expect(fm.entries.isEmpty)
        #expect(fm.body == "# Only a heading\n---\n")
        #expect(diagnostics.isEmpty)
    }

    @Test func dotsCloseFrontMatterToo() {
        let (fm, diagnostics) = parseFrontMatter("---\nid: P1\n...\nBody\n")
        #expect(diagnostics.isEmpty)
        #expect(fm["id"]?.value == .string("P1"))
        #expect(fm.bodyStartLine == 4)
    }

    @Test func textThatOnlyLooksTypedStaysText() {
        let (fm, _) = parseFrontMatter("---\na: 2026-02-30\nb: 1.2.3\nc: 007x\nd: yes\ne: \"12\"\nf: .5\n---\n")
        #expect(fm["a"]?.value == .string("2026-02-30"))
        #expect(fm["b"]?.value == .string("1.2.3"))
        #expect(fm["c"]?.value == .string("007x"))
        #expect(fm["d"]?.value == .string("yes"))
        #expect(fm["e"]?.value == .string("12"))
        #expect(fm["f"]?.value == .string(".5"))
    }
}

@Suite struct FrontMatterErrorTests {
    @Test(arguments: [
        // (source, expected "line:column code", part of the message)
        ("---\ndelivery:\n  mode: online\n---\n", "3:3 front-matter-syntax", "nested maps"),
        ("---\ntitle: a: b\n---\n", "2:9 front-matter-syntax", "cannot contain ': '"),
        ("---\nmeta: {a: 1}\n---\n", "2:7 front-matter-syntax", "inline maps"),
        ("---\nlist: [a, [b]]\n---\n", "2:11 front-matter-syntax", "nested lists"),
        ("---\nlist:\n  - - a\n---\n", "3:5 front-matter-syntax", "nested lists"),
        ("---\nnotes: |\n  line one\n  line two\n---\n", "2:8 front-matter-syntax", "block scalars ('|')"),
        ("---\nnotes: >\n  folded\n---\n", "2:8 front-matter-syntax", "block scalars ('>')"),
        ("---\nbase: &anchor value\n---\n", "2:7 front-matter-syntax", "anchors and aliases ('&')"),
        ("---\ncopy: *anchor\n---\n", "2:7 front-matter-syntax", "anchors and aliases ('*')"),
        ("---\nlist:\n\t- a\n---\n", "3:1 front-matter-syntax", "tabs"),
        ("---\n\ttitle: T\n---\n", "2:1 front-matter-syntax", "tabs"),
        ("---\ntitle: \"open\n---\n", "2:8 front-matter-syntax", "unterminated double-quoted"),
        ("---\ntitle: 'open\n---\n", "2:8 front-matter-syntax", "unterminated single-quoted"),
        ("---\ntitle: \"a\" b\n---\n", "2:12 front-matter-syntax", "after the closing quote"),
        ("---\nlist: [a, \"b]\n---\n", "2:7 front-matter-syntax", "no closing ']'"),
        ("---\nlist: [a, b\n---\n", "2:7 front-matter-syntax", "no closing ']'"),
        ("---\nlist: [a, , b]\n---\n", "2:11 front-matter-syntax", "empty item"),
        ("---\ntitle: \"bad \\q escape\"\n---\n", "2:13 front-matter-syntax", "unsupported escape"),
        ("---\n- stray item\n---\n", "2:1 front-matter-syntax", "indented under a key"),
        ("---\njust words\n---\n", "2:1 front-matter-syntax", "expected 'key: value'"),
        ("---\ntitle: T\n  indented: x\n---\n", "3:1 front-matter-syntax", "unexpected indentation"),
        ("---\ntag: !custom x\n---\n", "2:6 front-matter-syntax", "tags"),
        ("---\ntitle: T\n", "1:1 front-matter-syntax", "no closing '---'"),
        ("---\nid: P1\ntitle: T\nid: P2\n---\n", "4:1 duplicate-key", "duplicate key 'id'"),
    ])
    func unsupportedYAMLIsAnErrorAtItsPlace(_ source: String, _ place: String, _ fragment: String) {
        let (_, diagnostics) = parseFrontMatter(source)
        #expect(places(diagnostics) == [place], "\(diagnostics.map(\.formatted))")
        #expect(diagnostics.first?.message.contains(fragment) == true, "\(diagnostics.map(\.message))")
        #expect(diagnostics.allSatisfy { $0.severity == .error })
    }

    @Test func duplicateKeyNotesTheFirstPlace() throws {
        let (fm, diagnostics) = parseFrontMatter("---\nid: P1\nid: P2\n---\n")
        let d = try #require(diagnostics.first)
        #expect(d.notes.first?.location == SourceLocation(file: "t.md", line: 2, column: 1))
        #expect(fm["id"]?.value == .string("P1"))
    }

    @Test func everyProblemIsReportedNotJustTheFirst() {
        let (_, diagnostics) = parseFrontMatter("---\na: |\nb: &x\nc: \"open\nd: [x\n---\n")
        #expect(places(diagnostics) == ["2:4 front-matter-syntax", "3:4 front-matter-syntax",
                                        "4:4 front-matter-syntax", "5:4 front-matter-syntax"])
    }
}

@Suite struct FrontMatterEncodingTests {
    static let lf = "---\nid: C01\ntitle: \"open\nprinciples:\n  - P1\n  - [x]\n---\n\nBody on line 9.\n"

    func summary(_ text: String) -> ([String], [FrontMatterItem]?, Int, [Substring]) {
        let (fm, diagnostics) = parseFrontMatter(text)
        var items: [FrontMatterItem]?
        if case .list(let list)? = fm["principles"]?.value { items = list }
        // "\r\n" is one Character in Swift: compare lines with CRLF made LF.
        let bodyLines = fm.body.replacing("\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        return (places(diagnostics), items, fm.bodyStartLine, bodyLines)
    }

    @Test func crlfGivesTheSameLocationsAsLF() {
        let lf = summary(Self.lf)
        let crlf = summary(Self.lf.replacing("\n", with: "\r\n"))
        #expect(lf.0 == ["3:8 front-matter-syntax", "6:5 front-matter-syntax"])
        #expect(crlf.0 == lf.0)
        #expect(crlf.1 == lf.1)
        #expect(crlf.2 == lf.2)
        #expect(crlf.3 == lf.3)
        #expect(lf.3[8] == "Body on line 9.")
    }

    @Test func byteOrderMarkGivesTheSameLocations() {
        let lf = summary(Self.lf)
        let bom = summary("\u{FEFF}" + Self.lf)
        let both = summary("\u{FEFF}" + Self.lf.replacing("\n", with: "\r\n"))
        #expect(bom.0 == lf.0 && both.0 == lf.0)
        #expect(bom.1 == lf.1 && both.1 == lf.1)
        #expect(bom.2 == lf.2 && both.2 == lf.2)
    }

    @Test func crlfValuesHaveNoCarriageReturns() {
        let (fm, diagnostics) = parseFrontMatter("---\r\ntitle: Plain\r\nlist: [a, b]\r\nq: \"x\"\r\n---\r\n")
        #expect(diagnostics.isEmpty)
        #expect(fm["title"]?.value == .string("Plain"))
        #expect(fm["q"]?.value == .string("x"))
        guard case .list(let items)? = fm["list"]?.value else { Issue.record("not a list"); return }
        #expect(items.map(\.value) == [.string("a"), .string("b")])
    }

    @Test func columnsCountCharactersAfterNonASCIIText() {
        let (_, diagnostics) = parseFrontMatter("---\ntitle: \"Café\" x\n---\n")
        #expect(places(diagnostics) == ["2:15 front-matter-syntax"])
    }
}
