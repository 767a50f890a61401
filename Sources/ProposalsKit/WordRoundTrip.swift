#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KitbagCore

/// The Word round trip through pandoc: a proposal copy as a .docx, and a .docx with tracked
/// changes and comments back to a CriticMarkup proposal.
///
/// The .docx shows the target as a lay reader sees it (`ReadableText`): headings, paragraphs and
/// references as their text, no Markdown. On import the edits to that text are mapped back to the
/// source through the snapshot `propose` kept (`ReadableEdits`). A .docx made before snapshots
/// (which showed the source itself) is still read as source text.
public enum WordRoundTrip {
    /// How to install pandoc, for the message when it is missing.
    public static let installHint = "install pandoc (Debian/Ubuntu: 'sudo apt-get install pandoc'; other systems: https://pandoc.org/installing.html), or set KITBAG_PANDOC to its path"

    /// Why a Word conversion failed.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var message: String
        public var description: String { message }
    }

    /// The pandoc executable: `KITBAG_PANDOC`, else `pandoc` on `PATH`.
    public static func pandoc(environment: [String: String]) -> Result<String, Failure> {
        let name = environment["KITBAG_PANDOC"] ?? "pandoc"
        if let path = Subprocess.find(name, environment: environment) { return .success(path) }
        return .failure(Failure(message: "pandoc is needed for Word files but was not found ('\(name)'); \(installHint)"))
    }

    static let detailsHeading = "kitbag proposal details (please leave this paragraph as it is)"
    static let instructionsStart = "How to suggest changes:"
    static let nbsp: Character = "\u{00A0}"

    /// The details a .docx carries so that it can come back as a proposal.
    public struct Details: Sendable, Equatable {
        public var group: String
        public var round: Int
        public var submitted: ISODate
        public var target: String
        public var title: String?
        public var fingerprint: String

        public init(group: String, round: Int, submitted: ISODate, target: String, title: String?, fingerprint: String) {
            self.group = group
            self.round = round
            self.submitted = submitted
            self.target = target
            self.title = title
            self.fingerprint = fingerprint
        }
    }

    // MARK: - Writing

    /// Writes the readable form of a copy as a .docx at `path`: headings as Word headings,
    /// paragraphs as paragraphs, references as their text; no Markdown to be seen.
    public static func writeDocx(details: Details, readable: ReadableText, to path: String, environment: [String: String]) -> Result<Void, Failure> {
        let pandoc: String
        switch self.pandoc(environment: environment) {
        case .failure(let f): return .failure(f)
        case .success(let p): pandoc = p
        }
        var blocks: [String] = []
        var detailLines = [detailsHeading, "group: \(details.group)", "round: \(details.round)", "submitted: \(details.submitted)",
                           "target: \(details.target)"]
        if let title = details.title { detailLines.append("title: \(title)") }
        detailLines.append("fingerprint: \(details.fingerprint)")
        blocks.append(para(lines: detailLines, literal: false))
        blocks.append(para(lines: [instructionsStart + " turn on Track Changes (Review, Track Changes), then change the text below "
            + "as you would any document: change words, delete or add sentences, and add comments. Every change and comment is sent "
            + "back to the editors. References to other parts of the handbook appear as their number and title, such as "
            + "\u{201C}8.4 Confidentiality\u{201D}; a change inside one is passed on as a comment about it."], literal: false))
        for block in readable.blocks {
            let text = String(decoding: readable.bytes[block.readable], as: UTF8.self)
            let inlines = text.isEmpty ? "" : "{\"t\":\"Str\",\"c\":\(JSON.quote(text))}"
            if block.level > 0 {
                blocks.append("{\"t\":\"Header\",\"c\":[\(block.level),[\"\",[],[]],[\(inlines)]]}")
            } else {
                blocks.append("{\"t\":\"Para\",\"c\":[\(inlines)]}")
            }
        }
        let title = "Proposal: \(details.title ?? details.target) (\(details.group), round \(details.round))"
        let json = "{\"pandoc-api-version\":[1,22,2],\"meta\":{\"title\":{\"t\":\"MetaInlines\",\"c\":[{\"t\":\"Str\",\"c\":\(JSON.quote(title))}]}},\"blocks\":[\(blocks.joined(separator: ","))]}"
        let input = Subprocess.temporaryPath(".json"), errors = Subprocess.temporaryPath(".err")
        defer { FileSystem.remove(input); FileSystem.remove(errors) }
        do { try FileSystem.writeAtomically(json, to: input) } catch { return .failure(Failure(message: error.description)) }
        let status = Subprocess.run(pandoc, ["-f", "json", "-t", "docx", "-o", path, input], stdoutPath: nil, stderrPath: errors)
        guard status == 0 else { return .failure(Failure(message: "pandoc could not write '\(path)': \(errorText(errors))")) }
        return .success(())
    }

    /// Splits text into Word paragraphs at blank lines; a paragraph is never empty, so extra blank
    /// lines stay as line breaks at the start of the next paragraph. Joining with "\n\n" restores the text.
    static func chunks(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        var rest = Substring(text)
        while !rest.isEmpty {
            if rest.hasPrefix("\n\n"), !current.isEmpty {
                result.append(current)
                current = ""
                rest = rest.dropFirst(2)
                continue
            }
            current.append(rest.removeFirst())
        }
        if !current.isEmpty || result.isEmpty { result.append(current) }
        return result
    }

    /// A pandoc JSON paragraph of `lines` separated by line breaks.
    static func para(lines: [String], literal: Bool) -> String {
        var inlines: [String] = []
        for (i, line) in lines.enumerated() {
            if i > 0 { inlines.append("{\"t\":\"LineBreak\"}") }
            let text = literal ? protectSpaces(line) : line
            if !text.isEmpty { inlines.append("{\"t\":\"Str\",\"c\":\(JSON.quote(text))}") }
        }
        return "{\"t\":\"Para\",\"c\":[\(inlines.joined(separator: ","))]}"
    }

    /// Turns spaces Word would collapse (leading, trailing, repeated, tabs) into no-break spaces.
    static func protectSpaces(_ line: String) -> String {
        let chars = Array(line.replacingTabs())
        var out = ""
        for (i, c) in chars.enumerated() {
            if c == " " {
                let single = i > 0 && i < chars.count - 1 && chars[i - 1] != " " && chars[i + 1] != " "
                out.append(single ? " " : nbsp)
            } else {
                out.append(c)
            }
        }
        return out
    }

    // MARK: - Reading

    /// Reads a .docx's tracked changes and comments as a proposal: its details and its copy
    /// with CriticMarkup.
    public static func readDocx(_ path: String, environment: [String: String]) -> Result<(details: Details?, copy: String), Failure> {
        let pandoc: String
        switch self.pandoc(environment: environment) {
        case .failure(let f): return .failure(f)
        case .success(let p): pandoc = p
        }
        let output = Subprocess.temporaryPath(".json"), errors = Subprocess.temporaryPath(".err")
        defer { FileSystem.remove(output); FileSystem.remove(errors) }
        let status = Subprocess.run(pandoc, ["--track-changes=all", "-f", "docx", "-t", "json", "-o", output, path], stdoutPath: nil, stderrPath: errors)
        guard status == 0, let bytes = try? FileSystem.readBytes(output) else {
            return .failure(Failure(message: "pandoc could not read '\(path)' as a Word document: \(errorText(errors))"))
        }
        guard let document = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)),
              let blocks = document["blocks"]?.array else {
            return .failure(Failure(message: "pandoc gave output kitbag cannot read for '\(path)'"))
        }
        return .success(convert(blocks))
    }

    /// Converts pandoc blocks to the details and the CriticMarkup copy.
    static func convert(_ blocks: [JSONValue]) -> (details: Details?, copy: String) {
        var converter = Converter()
        var paragraphs: [String] = []
        var details: Details?
        for block in flatten(blocks) {
            let text = converter.paragraph(block)
            if details == nil, paragraphs.isEmpty, text.hasPrefix(detailsHeading) {
                details = parseDetails(text)
                continue
            }
            if paragraphs.isEmpty, text.hasPrefix(instructionsStart) { continue }
            // A paragraph that is all one insertion (or deletion) joins the previous one, so the
            // paragraph break is part of the change rather than of the original text.
            if let previous = paragraphs.last, let whole = wholeMark(text) {
                paragraphs[paragraphs.count - 1] = previous + whole.open + "\n\n" + whole.inner + whole.close
                continue
            }
            paragraphs.append(text)
        }
        var copy = paragraphs.joined(separator: "\n\n")
        copy = mergeSubstitutions(copy)
        return (details, copy)
    }

    /// Paragraph-like blocks in order (lists, quotes and divisions are opened up).
    static func flatten(_ blocks: [JSONValue]) -> [JSONValue] {
        var result: [JSONValue] = []
        for block in blocks {
            switch block["t"]?.string {
            case "Para", "Plain", "Header": result.append(block)
            case "BlockQuote", "Div":
                let inner = block["t"]?.string == "Div" ? block["c"]?[1]?.array : block["c"]?.array
                result += flatten(inner ?? [])
            case "BulletList":
                for item in block["c"]?.array ?? [] { result += flatten(item.array ?? []) }
            case "OrderedList":
                for item in block["c"]?[1]?.array ?? [] { result += flatten(item.array ?? []) }
            default: break
            }
        }
        return result
    }

    static func wholeMark(_ text: String) -> (open: String, inner: String, close: String)? {
        for (open, close) in [("{++", "++}"), ("{--", "--}")] where text.hasPrefix(open) && text.hasSuffix(close) && text.count >= 6 {
            let inner = String(text.dropFirst(3).dropLast(3))
            if !inner.contains(open) && !inner.contains(close) { return (open, inner, close) }
        }
        return nil
    }

    static func parseDetails(_ text: String) -> Details? {
        var values: [String: String] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            values[String(line[..<colon]).trimmed()] = String(line[line.index(after: colon)...]).trimmed()
        }
        guard let group = values["group"], let target = values["target"], let fingerprint = values["fingerprint"] else { return nil }
        return Details(group: group, round: Int(values["round"] ?? "") ?? 1,
                       submitted: values["submitted"].flatMap { ISODate($0) } ?? ISODate(year: 2000, month: 1, day: 1)!,
                       target: target, title: values["title"], fingerprint: fingerprint)
    }

    /// `{--old--}{++new++}` becomes `{~~old~>new~~}`, and a space pandoc moved out of a change
    /// ("a {--quiet--} room") goes back into it ("a{-- quiet--} room"), so that the text without
    /// the changes has single spaces, as the source did.
    static func mergeSubstitutions(_ text: String) -> String {
        let scanned = CriticMarkup.read(SourceFile(displayPath: "import", text: text))
        guard scanned.diagnostics.isEmpty else { return text }
        var out = ""
        var pieces = scanned.pieces[...]
        func decode(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
        while let piece = pieces.popFirst() {
            switch piece {
            case .text(let t): out += decode(t)
            case .mark(let m):
                var old = decode(m.old), new = decode(m.new)
                var kind = m.kind
                if m.kind == .deletion, case .mark(let next)? = pieces.first, next.kind == .addition {
                    pieces = pieces.dropFirst()
                    new = decode(next.new)
                    kind = .substitution
                }
                if kind.changesText, out.hasSuffix(" ") {
                    var followedBySpace = true
                    if case .text(let t)? = pieces.first, let first = t.first { followedBySpace = first == UInt8(ascii: " ") || first == UInt8(ascii: "\n") }
                    if followedBySpace {
                        out.removeLast()
                        if kind != .addition { old = " " + old }
                        if kind != .deletion { new = " " + new }
                    }
                }
                switch kind {
                case .addition: out += "{++\(new)++}"
                case .deletion: out += "{--\(old)--}"
                case .substitution: out += "{~~\(old)~>\(new)~~}"
                case .highlight: out += "{==\(old)==}"
                case .comment: out += "{>>\(decode(m.comment))<<}"
                }
            }
        }
        return out
    }

    static func errorText(_ path: String) -> String {
        let text = ((try? FileSystem.readBytes(path)).map { String(decoding: $0, as: UTF8.self) } ?? "").trimmed()
        return text.isEmpty ? "no message" : String(text.prefix(400))
    }

    /// Turns pandoc inlines into text with CriticMarkup.
    struct Converter {
        var openComments: [String: (text: String, start: String.Index?)] = [:]

        mutating func paragraph(_ block: JSONValue) -> String {
            let inlines = block["t"]?.string == "Header" ? block["c"]?[2]?.array : block["c"]?.array
            var out = ""
            var comments: [(id: String, text: String, start: Int)] = []
            render(inlines ?? [], into: &out, comments: &comments)
            // Comments never closed in this paragraph stay where they started.
            for c in comments.reversed() {
                let index = out.index(out.startIndex, offsetBy: min(c.start, out.count))
                out.insert(contentsOf: "{>>\(c.text)<<}", at: index)
            }
            return out.replacingNoBreakSpaces()
        }

        func plain(_ inlines: [JSONValue]) -> String {
            var out = ""
            var ignored: [(id: String, text: String, start: Int)] = []
            render(inlines, into: &out, comments: &ignored)
            return out.replacingNoBreakSpaces()
        }

        func render(_ inlines: [JSONValue], into out: inout String, comments: inout [(id: String, text: String, start: Int)]) {
            for inline in inlines {
                let c = inline["c"]
                switch inline["t"]?.string {
                case "Str": out += c?.string ?? ""
                case "Space", "SoftBreak": out += " "
                case "LineBreak": out += "\n"
                case "Code": out += c?[1]?.string ?? ""
                case "Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps":
                    render(c?.array ?? [], into: &out, comments: &comments)
                case "Quoted": render(c?[1]?.array ?? [], into: &out, comments: &comments)
                case "Para", "Plain": render(c?.array ?? [], into: &out, comments: &comments)
                case "Link": render(c?[1]?.array ?? [], into: &out, comments: &comments)
                case "Span":
                    let classes = (c?[0]?[1]?.array ?? []).compactMap(\.string)
                    let content = c?[1]?.array ?? []
                    let id = c?[0]?[2]?.array?.first { $0[0]?.string == "id" }?[1]?.string ?? ""
                    if classes.contains("insertion") {
                        let text = plain(content)
                        if !text.isEmpty { out += "{++\(text)++}" }
                    } else if classes.contains("deletion") {
                        let text = plain(content)
                        if !text.isEmpty { out += "{--\(text)--}" }
                    } else if classes.contains("comment-start") {
                        let text = plain(content).replacing("\n", with: " ").trimmed()
                        comments.append((id, text.isEmpty ? "(empty comment)" : text, out.count))
                    } else if classes.contains("comment-end") {
                        if let i = comments.lastIndex(where: { $0.id == id }) {
                            let comment = comments.remove(at: i)
                            let start = out.index(out.startIndex, offsetBy: min(comment.start, out.count))
                            let covered = String(out[start...])
                            if covered.isEmpty || covered.contains("{") || covered.contains("\n") || covered.trimmed().isEmpty {
                                out += "{>>\(comment.text)<<}"
                            } else {
                                out.replaceSubrange(start..., with: "{==\(covered)==}{>>\(comment.text)<<}")
                            }
                        }
                    } else {
                        render(content, into: &out, comments: &comments)
                    }
                default: break
                }
            }
        }
    }
}

extension String {
    func replacingNoBreakSpaces() -> String { String(map { $0 == "\u{00A0}" ? " " : $0 }) }
    func replacingTabs() -> String { replacing("\t", with: "    ") }
}

/// A JSON value, for reading pandoc's JSON.
indirect enum JSONValue: Decodable, Sendable {
    case string(String), number(Double), bool(Bool), null, array([JSONValue]), object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let b = try? container.decode(Bool.self) { self = .bool(b) }
        else if let n = try? container.decode(Double.self) { self = .number(n) }
        else if let s = try? container.decode(String.self) { self = .string(s) }
        else if let a = try? container.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    subscript(key: String) -> JSONValue? { if case .object(let o) = self { o[key] } else { nil } }
    subscript(index: Int) -> JSONValue? {
        if case .array(let a) = self, index >= 0, index < a.count { a[index] } else { nil }
    }
    var string: String? { if case .string(let s) = self { s } else { nil } }
    var array: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
}
