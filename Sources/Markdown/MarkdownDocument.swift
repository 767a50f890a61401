import Ccmark
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A parsed CommonMark document. The one owner of a libcmark tree: it frees the root in
/// `deinit`, and every `MarkdownNode` keeps its document alive.
public final class MarkdownDocument: @unchecked Sendable {
    let root: OpaquePointer

    /// Options for parsing and rendering.
    public struct Options: OptionSet, Sendable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
        /// Record source positions on block nodes (always set by kitbag).
        public static let sourcePosition = Options(rawValue: CMARK_OPT_SOURCEPOS)
        /// Pass raw HTML and dangerous URLs through (cmark's safe mode is off).
        public static let unsafe = Options(rawValue: CMARK_OPT_UNSAFE)
    }

    /// Parses `text`. cmark never fails on input: every byte string is a document. cmark's own
    /// UTF-8 check (`CMARK_OPT_VALIDATE_UTF8`) is never asked for: a Swift `String` is valid
    /// UTF-8 already (a file's invalid bytes became U+FFFD when it was read), and the check
    /// took a sixteenth of the parse.
    public init(parsing text: String, options: Options = [.sourcePosition]) {
        var text = Self.withoutLoneCarriageReturns(text)
        let parsed: OpaquePointer? = text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                cmark_parse_document(chars.baseAddress, chars.count, options.rawValue)
            }
        }
        if let parsed {
            root = parsed
        } else {
            // cmark only returns NULL when it cannot allocate; an empty document stands in.
            root = cmark_node_new(CMARK_NODE_DOCUMENT)
        }
    }

    /// kitbag's line ends are LF and CRLF (the line table every location is counted in, and
    /// front matter's lines); CommonMark also ends a line at a lone CR, and cmark's line numbers
    /// would then run past the file's. A lone CR is read as a space, and so is a NUL byte, which
    /// cmark would make a three-byte U+FFFD (byte columns stay true).
    static func withoutLoneCarriageReturns(_ text: String) -> String {
        var text = text
        guard text.withUTF8({ hasLoneCarriageReturnOrNUL($0) }) else { return text }
        var bytes = Array(text.utf8)
        for i in bytes.indices where bytes[i] == 0 || (bytes[i] == 13 && (i + 1 == bytes.count || bytes[i + 1] != 10)) { bytes[i] = 32 }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `bytes` hold a NUL or a CR that no LF follows: most files hold neither (or
    /// only CRLF line ends), and `memchr` (many bytes a step) says so without a byte loop.
    static func hasLoneCarriageReturnOrNUL(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
        if memchr(base, 0, bytes.count) != nil { return true }
        var from = 0
        while from < bytes.count, let hit = memchr(base + from, 13, bytes.count - from) {
            let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if at + 1 == bytes.count || bytes[at + 1] != 10 { return true }
            from = at + 2
        }
        return false
    }

    deinit {
        // Decide what to free before freeing anything: a node freed with its detached parent
        // must not be asked for its parent afterwards, and a node created, inserted and then
        // removed is listed twice but must be freed once.
        var seen = Set<OpaquePointer>()
        let detached = orphans.filter { $0 != root && cmark_node_parent($0) == nil && seen.insert($0).inserted }
        for node in detached { cmark_node_free(node) }
        cmark_node_free(root)
    }

    /// The document node.
    public var rootNode: MarkdownNode { MarkdownNode(pointer: root, document: self) }

    /// Renders the whole document as HTML. Custom nodes emit their `onEnter`/`onExit` text.
    public func renderHTML(options: Options = []) -> String {
        rootNode.renderHTML(options: options)
    }

    /// Renders the document back to CommonMark.
    public func renderCommonMark(width: Int32 = 0) -> String {
        guard let raw = cmark_render_commonmark(root, 0, width) else { return "" }
        defer { free(raw) }
        return String(cString: raw)
    }

    /// A new node of `kind`, owned by this document once it is inserted into the tree.
    /// Nodes that are created but never inserted are freed with the document.
    public func makeNode(_ kind: MarkdownNode.Kind) -> MarkdownNode {
        guard let pointer = cmark_node_new(kind.cmarkType) else {
            fatalError("libcmark could not allocate a node")  // out of memory, not bad input
        }
        orphans.append(pointer)
        return MarkdownNode(pointer: pointer, document: self)
    }

    /// A text node holding `literal`.
    public func makeText(_ literal: String) -> MarkdownNode {
        let node = makeNode(.text)
        node.literal = literal
        return node
    }

    /// A custom block that renders exactly `html` (already escaped by the caller).
    public func makeHTMLBlock(_ html: String, closing: String = "") -> MarkdownNode {
        let node = makeNode(.customBlock)
        node.setCustomHTML(html, closing: closing)
        return node
    }

    /// A custom inline that renders exactly `html` (already escaped by the caller).
    public func makeHTMLInline(_ html: String, closing: String = "") -> MarkdownNode {
        let node = makeNode(.customInline)
        node.setCustomHTML(html, closing: closing)
        return node
    }

    // Nodes made by `makeNode` or detached by `remove()`; freed in `deinit` unless a parent owns them.
    var orphans: [OpaquePointer] = []
}
