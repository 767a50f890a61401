import Markdown
import Testing

@Suite struct MarkdownDocumentTests {
    static let source = """
    # Ward visits {#ward}

    Meet the person *before* discharge, as in [the guide](other.md#first).

    - one
    - two

    ```{principles}
    ```

    <script>alert("x")</script>

    Café — naïve text with [](#P2).
    """

    @Test func parsesAndWalksInDocumentOrder() {
        let doc = MarkdownDocument(parsing: Self.source)
        var kinds: [MarkdownNode.Kind] = []
        doc.rootNode.walk { node in
            kinds.append(node.kind)
            return true
        }
        #expect(kinds.first == .document)
        #expect(kinds.filter { $0 == .heading }.count == 1)
        #expect(kinds.filter { $0 == .item }.count == 2)
        #expect(kinds.filter { $0 == .link }.count == 2)
        #expect(kinds.contains(.htmlBlock))
        let top = doc.rootNode.children.map(\.kind)
        #expect(top == [.heading, .paragraph, .list, .codeBlock, .htmlBlock, .paragraph])
    }

    @Test func walkCanSkipChildren() {
        let doc = MarkdownDocument(parsing: Self.source)
        var texts: [String] = []
        doc.rootNode.walk { node in
            if node.kind == .list { return false }
            if node.kind == .text, let literal = node.literal { texts.append(literal) }
            return true
        }
        #expect(!texts.contains("one"))
        #expect(texts.contains("Ward visits {#ward}"))
    }

    @Test func sourcePositionsAreLinesAndByteColumns() throws {
        let doc = MarkdownDocument(parsing: Self.source)
        let blocks = doc.rootNode.children
        #expect(blocks.map(\.startLine) == [1, 3, 5, 8, 11, 13])
        #expect(blocks[0].startColumn == 1)
        #expect(blocks[2].endLine >= 6)
        let code = blocks[3]
        #expect(code.isFenced)
        #expect(code.fenceInfo == "{principles}")
        #expect(code.literal == "")
        // nearestLine gives an inline node a line, from its own position or its block's.
        let link = try #require(blocks[5].children.first { $0.kind == .link })
        #expect(link.nearestLine == 13)
        #expect(link.url == "#P2")
        #expect(link.firstChild == nil)
        #expect(blocks[0].plainText == "Ward visits {#ward}")
        #expect(blocks[0].headingLevel == 1)
    }

    /// Found by `Fuzz/run site`: a lone CR ended a line for cmark but not for kitbag's line
    /// table, so locations pointed past the end of the file. Only LF and CRLF end lines.
    @Test func aLoneCarriageReturnIsNotALineEnd() {
        let doc = MarkdownDocument(parsing: "one\rtwo [](#a)\r\r\r\rthree\r\n\r\n[](#b) x\r")
        let blocks = doc.rootNode.children
        #expect(blocks.map(\.startLine) == [1, 3])
        #expect(blocks.map { $0.children.first { $0.kind == .link }?.nearestLine } == [1, 3])
        #expect(blocks[0].children.first { $0.kind == .link }?.startColumn == 9)
        #expect(doc.renderHTML() == "<p>one two <a href=\"#a\"></a>    three</p>\n<p><a href=\"#b\"></a> x</p>\n")
    }

    /// Found by `Fuzz/run site`: cmark makes a NUL byte a three-byte U+FFFD, so the columns
    /// after it ran past the line's end. A NUL is read as a space.
    @Test func aNulByteKeepsTheColumnsAfterIt() {
        let doc = MarkdownDocument(parsing: "a\0\0\0 [](#x)\n")
        #expect(doc.rootNode.children.first?.children.first { $0.kind == .link }?.startColumn == 6)
    }

    @Test func editingThenRendering() throws {
        let doc = MarkdownDocument(parsing: Self.source)
        let blocks = doc.rootNode.children
        // Replace the heading with our own HTML (cmark gives headings no id).
        blocks[0].replace(with: doc.makeHTMLBlock("<h1 id=\"ward\">1 Ward visits</h1>"))
        // Rewrite a link to another file, and fill an empty link.
        let paragraph = blocks[1]
        let link = try #require(paragraph.children.first { $0.kind == .link })
        link.url = "13-ward.html#first"
        let empty = try #require(blocks[5].children.first { $0.kind == .link })
        empty.append(doc.makeText("Principle 2: Mutuality & reciprocity"))
        paragraph.append(doc.makeText(" Appended <text>."))
        // Replace the directive with generated content.
        blocks[3].replace(with: doc.makeHTMLBlock("<ol class=\"principles\">", closing: "</ol>"))
        let html = doc.renderHTML()
        #expect(html.hasPrefix("<h1 id=\"ward\">1 Ward visits</h1>"))
        #expect(html.contains("<a href=\"13-ward.html#first\">the guide</a>"))
        #expect(html.contains("Appended &lt;text&gt;."))
        #expect(html.contains("<a href=\"#P2\">Principle 2: Mutuality &amp; reciprocity</a>"))
        #expect(html.contains("<ol class=\"principles\">\n</ol>"))
        #expect(!html.contains("{principles}"))
        #expect(!html.contains("{#ward}"))
    }

    @Test func safeModeDropsRawHTMLAndUnsafePassesIt() {
        let doc = MarkdownDocument(parsing: Self.source)
        let safe = doc.renderHTML()
        #expect(!safe.contains("<script>"))
        #expect(safe.contains("raw HTML omitted"))
        let unsafe = doc.renderHTML(options: .unsafe)
        #expect(unsafe.contains("<script>alert(\"x\")</script>"))
        let js = MarkdownDocument(parsing: "[x](javascript:alert(1))")
        #expect(!js.renderHTML().contains("javascript:"))
    }

    @Test func nodeRendersOnItsOwn() {
        let doc = MarkdownDocument(parsing: "Some *stress* here.\n")
        let paragraph = doc.rootNode.children[0]
        #expect(paragraph.renderHTML() == "<p>Some <em>stress</em> here.</p>\n")
        #expect(doc.renderCommonMark() == "Some *stress* here.\n")
    }

    @Test func invalidUTF8AndEmptyInputAreDocuments() {
        #expect(MarkdownDocument(parsing: "").rootNode.children.isEmpty)
        let broken = String(decoding: [0x41, 0xFF, 0x42], as: UTF8.self)
        #expect(MarkdownDocument(parsing: broken).renderHTML() == "<p>A\u{FFFD}B</p>\n")
    }

    @Test func manyDocumentsWithRemovedAndCreatedNodesAreFreed() {
        for i in 0..<2000 {
            let doc = MarkdownDocument(parsing: "# H\(i)\n\npara [link](#x)\n\n- a\n- b\n")
            let blocks = doc.rootNode.children
            blocks[0].remove()                       // detached: freed with the document
            _ = doc.makeText("never inserted")      // created, never inserted: freed too
            let list = blocks[2]
            list.children[0].remove()
            let custom = doc.makeHTMLBlock("<div>", closing: "</div>")
            blocks[1].insertAfter(custom)
            blocks[1].moveChildren(to: custom)
            if i % 2 == 0 { custom.remove() }       // removed after being inserted
            let wrapper = doc.makeNode(.paragraph)  // a detached node that owns a later one
            wrapper.append(doc.makeText("inner"))
            let html = doc.renderHTML()
            #expect(!html.contains("<h1>"))
            if i % 2 == 1 { #expect(html.contains("<div>")) }
        }
    }
}
