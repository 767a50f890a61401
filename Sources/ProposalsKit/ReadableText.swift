/// What a lay reader sees of a piece of Markdown source: headings without their `#` marks and
/// `{#id}` attributes, a reference as its text ("8.4 Confidentiality"), a link as its words,
/// no emphasis marks or backticks, lines of a paragraph joined. Every part remembers the source
/// bytes it came from, so a change made to the readable text (in Word, say) maps back to the
/// source. Never fails: any bytes give some readable text.
public struct ReadableText: Sendable {
    /// What a stretch of readable text is made of.
    public enum Part: Sendable, Equatable {
        /// The same bytes as the source.
        case verbatim
        /// Whitespace in place of the source's (line ends, indentation, blank lines).
        case space
        /// Source syntax that is not shown (`## `, `{#id}`, link brackets and targets).
        case hidden
        /// A reference shown as its text; the ID it names.
        case reference(String)
    }

    /// One stretch: its bytes in the readable text and in the source.
    public struct Segment: Sendable, Equatable {
        public var readable: Range<Int>
        public var source: Range<Int>
        public var part: Part
        /// The parts of one link share a number (0: not in a link).
        public var link: Int
    }

    /// A heading or a paragraph (a run of lines between blank lines).
    public struct Block: Sendable, Equatable {
        /// The heading level, or 0 for a paragraph.
        public var level: Int
        public var readable: Range<Int>
    }

    public private(set) var bytes: [UInt8] = []
    public private(set) var segments: [Segment] = []
    public private(set) var blocks: [Block] = []
    /// The readable text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The readable form of `source`; `reference` gives the text a reference to an ID shows (nil:
    /// unknown, shown as the ID).
    public init(source: [UInt8], reference: @escaping (String) -> String?) {
        var builder = Builder(source: source, reference: reference)
        builder.build()
        bytes = builder.out
        segments = builder.segments
        blocks = builder.blocks
    }

    // MARK: - Mapping

    /// Whether a position falls between segments, lean to the segment on the left or the right.
    public enum Lean: Sendable { case left, right }

    /// The source offset of readable offset `r`; nil when it falls inside a reference's text.
    public func sourceOffset(ofReadable r: Int, lean: Lean) -> Int? {
        var left: Segment?, right: Segment?
        for s in segments where !s.readable.isEmpty {
            if s.readable.lowerBound < r && r < s.readable.upperBound {
                switch s.part {
                case .verbatim: return s.source.lowerBound + (r - s.readable.lowerBound)
                case .space, .hidden: return min(s.source.upperBound, s.source.lowerBound + (r - s.readable.lowerBound))
                case .reference: return nil
                }
            }
            if s.readable.upperBound == r { left = s }
            if s.readable.lowerBound == r, right == nil { right = s }
        }
        switch lean {
        case .left: return left?.source.upperBound ?? right?.source.lowerBound ?? (r == 0 ? 0 : sourceEnd)
        case .right: return right?.source.lowerBound ?? left?.source.upperBound ?? (r == 0 ? 0 : sourceEnd)
        }
    }

    var sourceEnd: Int { segments.last?.source.upperBound ?? 0 }

    /// The source range of a readable range. A range that covers a link's whole text takes the
    /// link's syntax with it. When the range cuts into a reference's text, the reference is
    /// returned instead: such an edit can only be passed on as a comment on the reference.
    public func sourceRange(ofReadable range: Range<Int>) -> (range: Range<Int>, cutReference: Segment?) {
        for s in segments {
            guard case .reference = s.part, !s.readable.isEmpty else { continue }
            let inside = { (r: Int) in s.readable.lowerBound < r && r < s.readable.upperBound }
            if inside(range.lowerBound) || inside(range.upperBound) { return (s.source, s) }
        }
        if range.isEmpty {
            let at = sourceOffset(ofReadable: range.lowerBound, lean: .left) ?? 0
            return (at..<at, nil)
        }
        var lower = sourceOffset(ofReadable: range.lowerBound, lean: .right) ?? 0
        var upper = max(lower, sourceOffset(ofReadable: range.upperBound, lean: .left) ?? lower)
        // A link whose every shown byte is inside the range goes with its syntax.
        let links = Set(segments.filter { $0.link != 0 && $0.readable.overlaps(range) }.map(\.link))
        for link in links {
            let parts = segments.filter { $0.link == link }
            let shown = parts.filter { !$0.readable.isEmpty }
            guard !shown.isEmpty, shown.allSatisfy({ range.lowerBound <= $0.readable.lowerBound && $0.readable.upperBound <= range.upperBound }) else { continue }
            lower = min(lower, parts.map(\.source.lowerBound).min() ?? lower)
            upper = max(upper, parts.map(\.source.upperBound).max() ?? upper)
        }
        return (lower..<upper, nil)
    }

    /// The readable offset of source offset `s` (hidden syntax maps to where it would have been).
    public func readableOffset(ofSource s: Int) -> Int {
        for seg in segments where seg.source.lowerBound <= s && s < seg.source.upperBound {
            switch seg.part {
            case .verbatim: return seg.readable.lowerBound + (s - seg.source.lowerBound)
            case .space: return min(seg.readable.upperBound, seg.readable.lowerBound + (s - seg.source.lowerBound))
            case .hidden, .reference: return seg.readable.lowerBound
            }
        }
        return s >= sourceEnd ? bytes.count : 0
    }

    // MARK: - Building

    struct Builder {
        let source: [UInt8]
        let reference: (String) -> String?
        var out: [UInt8] = []
        var segments: [Segment] = []
        var blocks: [Block] = []
        var linkCount = 0

        init(source: [UInt8], reference: @escaping (String) -> String?) {
            self.source = source
            self.reference = reference
        }

        static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

        mutating func emit(_ part: Part, source range: Range<Int>, shown: [UInt8]? = nil, link: Int = 0) {
            guard !range.isEmpty || shown?.isEmpty == false else { return }
            let text: [UInt8]
            switch part {
            case .verbatim: text = Array(source[range])
            case .hidden: text = []
            case .space, .reference: text = shown ?? []
            }
            let start = out.count
            out += text
            if part == .verbatim, let last = segments.last, last.part == .verbatim, last.link == link,
               last.source.upperBound == range.lowerBound, last.readable.upperBound == start {
                segments[segments.count - 1].source = last.source.lowerBound..<range.upperBound
                segments[segments.count - 1].readable = last.readable.lowerBound..<out.count
                return
            }
            segments.append(Segment(readable: start..<out.count, source: range, part: part, link: link))
        }

        /// The source's lines: content range and the range of its line end.
        func lines() -> [(content: Range<Int>, end: Range<Int>)] {
            var result: [(Range<Int>, Range<Int>)] = []
            var start = 0
            var i = 0
            while i < source.count {
                if source[i] == 0x0A {
                    let contentEnd = i > start && source[i - 1] == 0x0D ? i - 1 : i
                    result.append((start..<contentEnd, contentEnd..<(i + 1)))
                    start = i + 1
                }
                i += 1
            }
            if start < source.count { result.append((start..<source.count, source.count..<source.count)) }
            return result
        }

        func headingLevel(_ line: Range<Int>) -> Int? {
            var i = line.lowerBound
            var indent = 0
            while i < line.upperBound, source[i] == 0x20, indent < 4 { i += 1; indent += 1 }
            guard indent < 4 else { return nil }
            var level = 0
            while i < line.upperBound, source[i] == UInt8(ascii: "#") { i += 1; level += 1 }
            guard level >= 1, level <= 6, i == line.upperBound || Self.isBlank(source[i]) else { return nil }
            return level
        }

        func fence(_ line: Range<Int>) -> UInt8? {
            var i = line.lowerBound
            while i < line.upperBound, source[i] == 0x20, i - line.lowerBound < 4 { i += 1 }
            guard i + 2 < line.upperBound + 0, i + 3 <= line.upperBound else { return nil }
            let c = source[i]
            guard (c == UInt8(ascii: "`") || c == UInt8(ascii: "~")), source[i + 1] == c, source[i + 2] == c else { return nil }
            return c
        }

        mutating func build() {
            let all = lines()
            var index = 0
            var pendingSpace: Range<Int>?  // whitespace between blocks, not yet shown
            var blockStart: Int?
            var blockLevel = 0
            func startBlock(_ b: inout Builder, level: Int) {
                if let gap = pendingSpace {
                    b.emit(b.out.isEmpty ? .hidden : .space, source: gap, shown: b.out.isEmpty ? nil : [0x0A, 0x0A])
                    pendingSpace = nil
                }
                blockStart = b.out.count
                blockLevel = level
            }
            func endBlock(_ b: inout Builder) {
                if let start = blockStart, b.out.count > start { b.blocks.append(Block(level: blockLevel, readable: start..<b.out.count)) }
                blockStart = nil
            }
            func addGap(_ r: Range<Int>) {
                pendingSpace = pendingSpace.map { $0.lowerBound..<r.upperBound } ?? r
            }
            var inFence: UInt8?
            while index < all.count {
                let (content, end) = all[index]
                index += 1
                let trimmed = content.drop { Self.isBlank(source[$0]) }
                if let f = inFence {
                    if fence(content) == f {  // the closing fence
                        inFence = nil
                        endBlock(&self)
                        flushInBlockGap(into: &pendingSpace)
                        addGap(content)
                        addGap(end)
                    } else {
                        if blockStart == nil {
                            startBlock(&self, level: 0)
                        } else if let gap = inBlockGap {
                            emit(.space, source: gap, shown: [0x20])
                            inBlockGap = nil
                        }
                        emit(.verbatim, source: content)
                        addGapInBlock(end)
                    }
                    continue
                }
                if trimmed.isEmpty {
                    endBlock(&self)
                    flushInBlockGap(into: &pendingSpace)
                    addGap(content.lowerBound..<end.upperBound)
                    continue
                }
                if let f = fence(content) {
                    endBlock(&self)
                    flushInBlockGap(into: &pendingSpace)
                    addGap(content)
                    addGap(end)
                    inFence = f
                    continue
                }
                if let level = headingLevel(content) {
                    endBlock(&self)
                    flushInBlockGap(into: &pendingSpace)
                    startBlock(&self, level: level)
                    heading(content, level: level)
                    endBlock(&self)
                    addGap(end)
                    continue
                }
                if blockStart == nil {
                    startBlock(&self, level: 0)
                    emit(.hidden, source: content.lowerBound..<trimmed.startIndex)
                } else if let gap = inBlockGap {
                    // A line end inside a paragraph reads as one space.
                    emit(.space, source: gap.lowerBound..<trimmed.startIndex, shown: [0x20])
                    inBlockGap = nil
                }
                inline(trimmed.startIndex..<content.upperBound)
                addGapInBlock(end)
            }
            endBlock(&self)
            if let gap = inBlockGap { emit(.hidden, source: gap); inBlockGap = nil }
            if let gap = pendingSpace { emit(.hidden, source: gap) }
        }

        var inBlockGap: Range<Int>?
        mutating func addGapInBlock(_ r: Range<Int>) {
            inBlockGap = inBlockGap.map { $0.lowerBound..<r.upperBound } ?? r
        }
        /// A paragraph's last line end becomes part of the gap before the next block.
        mutating func flushInBlockGap(into pending: inout Range<Int>?) {
            guard let gap = inBlockGap else { return }
            inBlockGap = nil
            pending = pending.map { min($0.lowerBound, gap.lowerBound)..<max($0.upperBound, gap.upperBound) } ?? gap
        }

        mutating func heading(_ line: Range<Int>, level: Int) {
            var i = line.lowerBound
            while i < line.upperBound, source[i] == 0x20 { i += 1 }
            while i < line.upperBound, source[i] == UInt8(ascii: "#") { i += 1 }
            while i < line.upperBound, Self.isBlank(source[i]) { i += 1 }
            emit(.hidden, source: line.lowerBound..<i)
            // Trailing attributes {#id .class} or {-}, closing #s and spaces are hidden.
            var end = line.upperBound
            while end > i, Self.isBlank(source[end - 1]) { end -= 1 }
            if end > i, source[end - 1] == UInt8(ascii: "}"), let open = source[i..<end].lastIndex(of: UInt8(ascii: "{")),
               open + 1 < end, source[open + 1] == UInt8(ascii: "#") || source[open + 1] == UInt8(ascii: "-") || source[open + 1] == UInt8(ascii: ".") {
                end = open
                while end > i, Self.isBlank(source[end - 1]) { end -= 1 }
            }
            var closing = end
            while closing > i, source[closing - 1] == UInt8(ascii: "#") { closing -= 1 }
            if closing < end, closing == i || Self.isBlank(source[closing - 1]) {
                end = closing
                while end > i, Self.isBlank(source[end - 1]) { end -= 1 }
            }
            inline(i..<end)
            emit(.hidden, source: end..<line.upperBound)
        }

        static func isPunctuation(_ b: UInt8) -> Bool {
            (b >= 0x21 && b <= 0x2F) || (b >= 0x3A && b <= 0x40) || (b >= 0x5B && b <= 0x60) || (b >= 0x7B && b <= 0x7E)
        }

        mutating func inline(_ range: Range<Int>, link: Int = 0) {
            var i = range.lowerBound
            var textStart = i
            func flush(_ b: inout Builder, to end: Int) {
                if textStart < end { b.emit(.verbatim, source: textStart..<end, link: link) }
            }
            while i < range.upperBound {
                let b = source[i]
                if b == UInt8(ascii: "\\"), i + 1 < range.upperBound, Self.isPunctuation(source[i + 1]) {
                    flush(&self, to: i)
                    emit(.hidden, source: i..<(i + 1), link: link)
                    textStart = i + 1
                    i += 2
                    continue
                }
                if b == UInt8(ascii: "`") {
                    var n = 0
                    while i + n < range.upperBound, source[i + n] == b { n += 1 }
                    if let close = findRun(b, count: n, from: i + n, in: range) {
                        flush(&self, to: i)
                        emit(.hidden, source: i..<(i + n), link: link)
                        emit(.verbatim, source: (i + n)..<close, link: link)
                        emit(.hidden, source: close..<(close + n), link: link)
                        i = close + n
                        textStart = i
                        continue
                    }
                    i += n
                    continue
                }
                if b == UInt8(ascii: "["), let l = linkAt(i, in: range) {
                    flush(&self, to: i)
                    let isImage = i > range.lowerBound && source[i - 1] == UInt8(ascii: "!") && textStart <= i - 1
                    if isImage, textStart < i - 1 { emit(.verbatim, source: textStart..<(i - 1), link: link) }
                    let start = isImage ? i - 1 : i
                    linkCount += 1
                    let group = linkCount
                    let textRange = (i + 1)..<l.closeBracket
                    let url = String(decoding: source[l.url], as: UTF8.self)
                    let isEmpty = source[textRange].allSatisfy { Self.isBlank($0) }
                    if isEmpty, let hash = url.firstIndex(of: "#") {
                        let id = String(url[url.index(after: hash)...])
                        let shown = reference(id) ?? id
                        emit(.reference(id), source: start..<l.end, shown: Array(shown.utf8), link: group)
                    } else {
                        emit(.hidden, source: start..<(i + 1), link: group)
                        inline(textRange, link: group)
                        emit(.hidden, source: l.closeBracket..<l.end, link: group)
                    }
                    i = l.end
                    textStart = i
                    continue
                }
                if b == UInt8(ascii: "*") || b == UInt8(ascii: "_") {
                    var n = 0
                    while i + n < range.upperBound, source[i + n] == b, n < 3 { n += 1 }
                    let before: UInt8? = i > range.lowerBound ? source[i - 1] : nil
                    let after: UInt8? = i + n < range.upperBound ? source[i + n] : nil
                    let space = { (c: UInt8?) in c == nil || c == 0x20 || c == 0x09 }
                    let wordy = { (c: UInt8?) in c.map { WordDiff.isWordByte($0) } ?? false }
                    let opens = !space(after) && (space(before) || before.map(Self.isPunctuation) == true)
                    let closes = !space(before) && (space(after) || after.map(Self.isPunctuation) == true)
                    let intraword = b == UInt8(ascii: "_") && wordy(before) && wordy(after)
                    if (opens || closes) && !intraword {
                        flush(&self, to: i)
                        emit(.hidden, source: i..<(i + n), link: link)
                        i += n
                        textStart = i
                        continue
                    }
                    i += n
                    continue
                }
                i += 1
            }
            flush(&self, to: range.upperBound)
        }

        func findRun(_ b: UInt8, count: Int, from: Int, in range: Range<Int>) -> Int? {
            var i = from
            while i < range.upperBound {
                if source[i] == b {
                    var n = 0
                    while i + n < range.upperBound, source[i + n] == b { n += 1 }
                    if n == count { return i }
                    i += n
                } else {
                    i += 1
                }
            }
            return nil
        }

        /// A link `[text](url)` starting at `i`: where its text closes, its URL and its end.
        func linkAt(_ i: Int, in range: Range<Int>) -> (closeBracket: Int, url: Range<Int>, end: Int)? {
            var depth = 0
            var j = i
            var close: Int?
            while j < range.upperBound {
                let c = source[j]
                if c == UInt8(ascii: "\\") { j += 2; continue }
                if c == UInt8(ascii: "[") { depth += 1 }
                if c == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 { close = j; break }
                }
                j += 1
            }
            guard let close, close + 1 < range.upperBound, source[close + 1] == UInt8(ascii: "(") else { return nil }
            var k = close + 2
            var parens = 0
            while k < range.upperBound {
                let c = source[k]
                if c == UInt8(ascii: "(") { parens += 1 }
                if c == UInt8(ascii: ")") {
                    if parens == 0 { break }
                    parens -= 1
                }
                k += 1
            }
            guard k < range.upperBound else { return nil }
            var urlEnd = close + 2
            while urlEnd < k, !Self.isBlank(source[urlEnd]) { urlEnd += 1 }
            return (close, (close + 2)..<urlEnd, k + 1)
        }
    }
}
