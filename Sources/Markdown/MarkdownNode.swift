import Ccmark
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A node in a `MarkdownDocument`. A borrowed view: the document owns the memory, and the
/// node keeps the document alive.
public struct MarkdownNode: @unchecked Sendable {
    let pointer: OpaquePointer
    /// The document that owns this node.
    public let document: MarkdownDocument

    /// The kinds of CommonMark node.
    public enum Kind: Sendable, Equatable {
        case document, blockQuote, list, item, codeBlock, htmlBlock, customBlock, paragraph
        case heading, thematicBreak, text, softBreak, lineBreak, code, htmlInline, customInline
        case emphasis, strong, link, image, none

        init(_ type: cmark_node_type) {
            switch type {
            case CMARK_NODE_DOCUMENT: self = .document
            case CMARK_NODE_BLOCK_QUOTE: self = .blockQuote
            case CMARK_NODE_LIST: self = .list
            case CMARK_NODE_ITEM: self = .item
            case CMARK_NODE_CODE_BLOCK: self = .codeBlock
            case CMARK_NODE_HTML_BLOCK: self = .htmlBlock
            case CMARK_NODE_CUSTOM_BLOCK: self = .customBlock
            case CMARK_NODE_PARAGRAPH: self = .paragraph
            case CMARK_NODE_HEADING: self = .heading
            case CMARK_NODE_THEMATIC_BREAK: self = .thematicBreak
            case CMARK_NODE_TEXT: self = .text
            case CMARK_NODE_SOFTBREAK: self = .softBreak
            case CMARK_NODE_LINEBREAK: self = .lineBreak
            case CMARK_NODE_CODE: self = .code
            case CMARK_NODE_HTML_INLINE: self = .htmlInline
            case CMARK_NODE_CUSTOM_INLINE: self = .customInline
            case CMARK_NODE_EMPH: self = .emphasis
            case CMARK_NODE_STRONG: self = .strong
            case CMARK_NODE_LINK: self = .link
            case CMARK_NODE_IMAGE: self = .image
            default: self = .none
            }
        }

        var cmarkType: cmark_node_type {
            switch self {
            case .document: CMARK_NODE_DOCUMENT
            case .blockQuote: CMARK_NODE_BLOCK_QUOTE
            case .list: CMARK_NODE_LIST
            case .item: CMARK_NODE_ITEM
            case .codeBlock: CMARK_NODE_CODE_BLOCK
            case .htmlBlock: CMARK_NODE_HTML_BLOCK
            case .customBlock: CMARK_NODE_CUSTOM_BLOCK
            case .paragraph: CMARK_NODE_PARAGRAPH
            case .heading: CMARK_NODE_HEADING
            case .thematicBreak: CMARK_NODE_THEMATIC_BREAK
            case .text: CMARK_NODE_TEXT
            case .softBreak: CMARK_NODE_SOFTBREAK
            case .lineBreak: CMARK_NODE_LINEBREAK
            case .code: CMARK_NODE_CODE
            case .htmlInline: CMARK_NODE_HTML_INLINE
            case .customInline: CMARK_NODE_CUSTOM_INLINE
            case .emphasis: CMARK_NODE_EMPH
            case .strong: CMARK_NODE_STRONG
            case .link: CMARK_NODE_LINK
            case .image: CMARK_NODE_IMAGE
            case .none: CMARK_NODE_NONE
            }
        }
    }

    /// What kind of node this is.
    public var kind: Kind { Kind(cmark_node_get_type(pointer)) }

    // MARK: - Navigation

    public var parent: MarkdownNode? { wrap(cmark_node_parent(pointer)) }
    public var firstChild: MarkdownNode? { wrap(cmark_node_first_child(pointer)) }
    public var lastChild: MarkdownNode? { wrap(cmark_node_last_child(pointer)) }
    public var next: MarkdownNode? { wrap(cmark_node_next(pointer)) }
    public var previous: MarkdownNode? { wrap(cmark_node_previous(pointer)) }

    /// The direct children, in order (a snapshot: safe to edit the tree while iterating).
    public var children: [MarkdownNode] {
        var result: [MarkdownNode] = []
        var child = cmark_node_first_child(pointer)
        while let current = child {
            result.append(MarkdownNode(pointer: current, document: document))
            child = cmark_node_next(current)
        }
        return result
    }

    /// Calls `visit` for every node below and including this one, in document order, on entry.
    /// Returning `false` from `visit` skips that node's children. `visit` may edit the node
    /// and its children (they are looked up after it returns) but must not unlink the node.
    public func walk(_ visit: (MarkdownNode) -> Bool) {
        var current: OpaquePointer? = pointer
        while let node = current {
            let descend = visit(MarkdownNode(pointer: node, document: document))
            current = Self.following(node, within: pointer, descend: descend)
        }
    }

    /// The node after `node` in document order inside the subtree of `root` (its first child
    /// when `descend`, else the next node that is not below it); nil at the subtree's end.
    /// Walking by the tree's own links needs no stack and no node objects.
    static func following(_ node: OpaquePointer, within root: OpaquePointer, descend: Bool = true) -> OpaquePointer? {
        if descend, let child = cmark_node_first_child(node) { return child }
        var current = node
        while current != root {
            if let next = cmark_node_next(current) { return next }
            guard let parent = cmark_node_parent(current) else { return nil }
            current = parent
        }
        return nil
    }

    private func wrap(_ p: OpaquePointer?) -> MarkdownNode? {
        p.map { MarkdownNode(pointer: $0, document: document) }
    }

    // MARK: - Content

    /// The text of a text, code, code block or HTML node.
    public var literal: String? {
        get { cmark_node_get_literal(pointer).map { String(cString: $0) } }
        nonmutating set { _ = cmark_node_set_literal(pointer, newValue) }
    }

    /// A link's or image's destination.
    public var url: String? {
        get { cmark_node_get_url(pointer).map { String(cString: $0) } }
        nonmutating set { _ = cmark_node_set_url(pointer, newValue) }
    }

    /// A link's or image's title.
    public var title: String? { cmark_node_get_title(pointer).map { String(cString: $0) } }

    /// A fenced code block's info string.
    public var fenceInfo: String? { cmark_node_get_fence_info(pointer).map { String(cString: $0) } }

    /// A heading's level, 1 to 6 (0 for other nodes).
    public var headingLevel: Int {
        get { Int(cmark_node_get_heading_level(pointer)) }
        nonmutating set { cmark_node_set_heading_level(pointer, Int32(min(max(newValue, 1), 6))) }
    }

    /// Whether a code block was fenced (as opposed to indented): only fenced blocks have an info string.
    public var isFenced: Bool {
        guard kind == .codeBlock, let info = fenceInfo else { return false }
        return !info.isEmpty || startLine > 0
    }

    /// Sets the HTML a custom node writes when entering and, when given, when leaving
    /// (escaped by the caller).
    public func setCustomHTML(_ onEnter: String, closing onExit: String? = nil) {
        _ = cmark_node_set_on_enter(pointer, onEnter)
        if let onExit { _ = cmark_node_set_on_exit(pointer, onExit) }
    }

    /// The concatenated text of this node's inline content (text and code), for titles.
    public var plainText: String {
        var bytes: [UInt8] = []
        var current: OpaquePointer? = pointer
        while let node = current {
            switch cmark_node_get_type(node) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                if let literal = cmark_node_get_literal(node) {
                    literal.withMemoryRebound(to: UInt8.self, capacity: 1) { start in
                        bytes.append(contentsOf: UnsafeBufferPointer(start: start, count: strlen(literal)))
                    }
                }
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                bytes.append(UInt8(ascii: " "))
            default:
                break
            }
            current = Self.following(node, within: pointer)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - Source positions (1-based; 0 when cmark does not track them, as on inlines)

    public var startLine: Int { Int(cmark_node_get_start_line(pointer)) }
    /// Start column in UTF-8 bytes, 1-based.
    public var startColumn: Int { Int(cmark_node_get_start_column(pointer)) }
    public var endLine: Int { Int(cmark_node_get_end_line(pointer)) }
    public var endColumn: Int { Int(cmark_node_get_end_column(pointer)) }

    /// The nearest source line: this node's, else the nearest enclosing block's.
    public var nearestLine: Int {
        var node: MarkdownNode? = self
        while let n = node {
            if n.startLine > 0 { return n.startLine }
            node = n.parent
        }
        return 0
    }

    // MARK: - Editing

    /// Inserts `node` just before this one.
    @discardableResult
    public func insertBefore(_ node: MarkdownNode) -> Bool {
        cmark_node_insert_before(pointer, node.pointer) != 0
    }

    /// Inserts `node` just after this one.
    @discardableResult
    public func insertAfter(_ node: MarkdownNode) -> Bool {
        cmark_node_insert_after(pointer, node.pointer) != 0
    }

    /// Appends `node` as the last child.
    @discardableResult
    public func append(_ node: MarkdownNode) -> Bool {
        cmark_node_append_child(pointer, node.pointer) != 0
    }

    /// Replaces this node with `node`; this node is detached and freed with the document.
    public func replace(with node: MarkdownNode) {
        cmark_node_insert_before(pointer, node.pointer)
        remove()
    }

    /// Detaches this node from the tree; the document frees it later.
    public func remove() {
        cmark_node_unlink(pointer)
        document.orphans.append(pointer)
    }

    /// Moves all children of this node to the end of `target`.
    public func moveChildren(to target: MarkdownNode) {
        for child in children {
            cmark_node_unlink(child.pointer)
            cmark_node_append_child(target.pointer, child.pointer)
        }
    }

    // MARK: - Rendering

    /// Renders this node and its descendants as HTML.
    public func renderHTML(options: MarkdownDocument.Options = []) -> String {
        guard let raw = cmark_render_html(pointer, options.rawValue) else { return "" }
        defer { free(raw) }
        return String(cString: raw)
    }
}

extension MarkdownNode: Hashable {
    public static func == (a: MarkdownNode, b: MarkdownNode) -> Bool { a.pointer == b.pointer }
    public func hash(into hasher: inout Hasher) { hasher.combine(pointer) }
}
