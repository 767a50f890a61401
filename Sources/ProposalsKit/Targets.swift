import CurriculumKit
import HandbookKit
import KitbagCore
import Markdown

/// A heading in a handbook file, with the bytes its section covers.
public struct TargetHeading: Sendable {
    public var level: Int
    public var id: String
    public var title: String
    public var line: Int
    /// Byte range of the section in the file's text: its heading line up to the next heading
    /// of the same or a higher level.
    public var section: Range<Int>
}

/// What a proposal is about, found in the current project: a file and the bytes in it.
public struct ResolvedTarget: Sendable {
    public enum Kind: String, Sendable { case chapter, section, file, curriculumItem = "curriculum item" }
    /// The target as a proposal names it: an ID, or a project-relative path.
    public var name: String
    public var kind: Kind
    /// Project-relative path of the file that holds the target.
    public var relativePath: String
    /// The file as it is now.
    public var file: SourceFile
    /// The target's bytes within `file.text.utf8` (a file's body excludes its front matter).
    public var region: Range<Int>
    /// A human title: the heading or item title.
    public var title: String
    /// Every heading of the file (empty for curriculum items), for grouping by section.
    public var headings: [TargetHeading]

    /// The target's current text.
    public var bytes: [UInt8] { Array(Array(file.text.utf8)[region]) }

    /// The innermost section that contains byte `offset` of the file, if any.
    public func section(containing offset: Int) -> TargetHeading? {
        headings.last { $0.section.lowerBound <= offset && offset < max($0.section.upperBound, $0.section.lowerBound + 1) }
    }
}

/// Why a target cannot be used.
public struct TargetError: Error, CustomStringConvertible, Sendable {
    public var code: Diagnostic.Code
    public var message: String
    public var notes: [String]
    public var description: String { message }
}

/// Finds targets: chapter files, chapter and section IDs, curriculum item IDs. Refuses anything
/// outside `Handbook/` and `Curriculum/`: absolute paths, `..`, and symbolic links.
public struct TargetResolver: Sendable {
    public let paths: ProjectPaths
    struct Entry: Sendable {
        var id: String
        var kind: ResolvedTarget.Kind
        var relativePath: String
        var title: String
        var heading: TargetHeading?
    }
    private var entries: [String: Entry] = [:]
    private var order: [String] = []
    private var curriculum: Curriculum

    public init(paths: ProjectPaths) {
        self.paths = paths
        curriculum = CurriculumLoader.load(paths).0
        var used = Set<String>()
        for name in FileSystem.list(paths.handbook) where Self.isChapterName(name) {
            let relative = "Handbook/\(name)"
            if FileSystem.isSymbolicLink(paths.path(relative)) { continue }
            guard let file = paths.source(relative) else { continue }
            let (_, headings) = Self.scan(file)
            let stem = String(name.dropLast(3).drop { $0.isNumber }.dropFirst())
            let chapterIndex = headings.firstIndex { $0.level == 1 }
            for (index, heading) in headings.enumerated() {
                var id = heading.id
                let isChapter = index == chapterIndex
                if id.isEmpty {
                    let base = isChapter ? stem : Slug.make(heading.title)
                    id = base
                    var n = 1
                    while used.contains(id) {
                        n += 1
                        id = "\(base)-\(n)"
                    }
                }
                used.insert(id)
                if entries[id] == nil {
                    var h = heading
                    h.id = id
                    entries[id] = Entry(id: id, kind: isChapter ? .chapter : .section, relativePath: relative, title: heading.title, heading: h)
                    order.append(id)
                }
            }
        }
    }

    /// Whether `name` is a chapter file name: digits, '-', a slug, '.md'.
    public static func isChapterName(_ name: String) -> Bool {
        guard name.hasSuffix(".md"), let first = name.first, first.isASCII, first.isNumber else { return false }
        let rest = name.drop { $0.isASCII && $0.isNumber }
        return rest.hasPrefix("-") && rest.count > 4
    }

    /// Headings of a Markdown file and where its body starts.
    static func scan(_ file: SourceFile) -> (bodyStart: Int, headings: [TargetHeading]) {
        var bag = DiagnosticBag()
        let fm = FrontMatter.parse(file, into: &bag)
        let total = file.text.utf8.count
        var bodyStart = 0
        if fm.isPresent, fm.bodyStartLine > 1 {
            bodyStart = fm.bodyStartLine - 1 < file.lineStarts.count ? file.lineStarts[fm.bodyStartLine - 1] : total
        }
        let document = MarkdownDocument(parsing: fm.body)
        var raw: [(level: Int, line: Int, text: String)] = []
        document.rootNode.walk { node in
            if node.kind == .heading, node.startLine > 0 {
                raw.append((node.headingLevel, node.startLine, node.plainText))
                return false
            }
            return true
        }
        var headings: [TargetHeading] = []
        for (i, h) in raw.enumerated() {
            let start = h.line - 1 < file.lineStarts.count ? file.lineStarts[h.line - 1] : total
            var end = total
            if let next = raw[(i + 1)...].first(where: { $0.level <= h.level }) {
                end = next.line - 1 < file.lineStarts.count ? file.lineStarts[next.line - 1] : total
            }
            let parts = Slug.splitAttributes(h.text)
            headings.append(TargetHeading(level: h.level, id: parts.id ?? "", title: parts.title, line: h.line, section: start..<max(start, end)))
        }
        return (bodyStart, headings)
    }

    /// Every chapter and section ID, in book order (for suggestions).
    public var knownIDs: [String] { order + curriculum.items.map(\.id) }

    /// Resolves `target`: a chapter file path (`Handbook/13-ward.md` or `13-ward.md`), a chapter or
    /// section ID, or a curriculum item ID.
    public func resolve(_ target: String) -> Result<ResolvedTarget, TargetError> {
        let name = target.trimmed()
        guard !name.isEmpty else { return .failure(TargetError(code: .unknownTarget, message: "the target is empty", notes: [])) }
        if name.contains("/") || name.hasSuffix(".md") || name.contains("\\") {
            return resolvePath(name)
        }
        if let entry = entries[name], let heading = entry.heading {
            return load(entry.relativePath, name: name, kind: entry.kind, title: entry.title) { file, bodyStart in
                entry.kind == .chapter ? bodyStart..<file.text.utf8.count : heading.section
            }
        }
        if let item = curriculum.item(name) {
            return load(item.relativePath, name: name, kind: .curriculumItem, title: "\(item.id): \(item.title)") { file, bodyStart in
                bodyStart..<file.text.utf8.count
            }
        }
        var notes: [String] = []
        if let guess = DidYouMean.closest(to: name, in: knownIDs) { notes.append("did you mean '\(guess)'?") }
        return .failure(TargetError(code: .unknownTarget, message: "unknown target '\(name)': not a chapter, section or curriculum item ID, nor a chapter file", notes: notes))
    }

    func resolvePath(_ raw: String) -> Result<ResolvedTarget, TargetError> {
        func refuse(_ why: String) -> Result<ResolvedTarget, TargetError> {
            .failure(TargetError(code: .targetOutsideProject, message: "target '\(raw)' is refused: \(why)",
                                 notes: ["a proposal may only name a file under Handbook/ or Curriculum/, or an ID"]))
        }
        if raw.hasPrefix("/") || raw.hasPrefix("~") || raw.contains("\\") { return refuse("it is an absolute path") }
        var parts = raw.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        while parts.first == "." { parts.removeFirst() }
        if parts.contains("..") || parts.contains(".") { return refuse("it contains '..' or '.'") }
        if parts.count == 1, Self.isChapterName(parts[0]) { parts.insert("Handbook", at: 0) }
        guard let top = parts.first, top == "Handbook" || top == "Curriculum", parts.count >= 2 else {
            return refuse("it is outside Handbook/ and Curriculum/")
        }
        guard raw.hasSuffix(".md") else { return refuse("only Markdown files (.md) can be proposed on") }
        let relative = parts.joined(separator: "/")
        let kind: ResolvedTarget.Kind = parts.count == 2 && top == "Handbook" && Self.isChapterName(parts[1]) ? .chapter : .file
        return load(relative, name: relative, kind: kind, title: nil) { file, bodyStart in bodyStart..<file.text.utf8.count }
    }

    /// Reads a target file after checking that no part of its path is a symbolic link.
    func load(_ relative: String, name: String, kind: ResolvedTarget.Kind, title: String?,
              region: (SourceFile, Int) -> Range<Int>) -> Result<ResolvedTarget, TargetError> {
        var prefix = ""
        for part in relative.split(separator: "/") {
            prefix = prefix.isEmpty ? String(part) : prefix + "/" + part
            if FileSystem.isSymbolicLink(paths.path(prefix)) {
                return .failure(TargetError(code: .targetOutsideProject, message: "target '\(name)' is refused: '\(prefix)' is a symbolic link",
                                            notes: ["a link could point outside the project, so kitbag never follows one for a proposal"]))
            }
        }
        guard FileSystem.exists(paths.path(relative)), !FileSystem.isDirectory(paths.path(relative)), let file = paths.source(relative) else {
            return .failure(TargetError(code: .unknownTarget, message: "target file '\(relative)' does not exist", notes: []))
        }
        let (bodyStart, headings) = Self.scan(file)
        let shownTitle = title ?? headings.first(where: { $0.level == 1 })?.title ?? relative
        let r = region(file, bodyStart)
        return .success(ResolvedTarget(name: name, kind: kind, relativePath: relative, file: file, region: r,
                                       title: shownTitle, headings: relative.hasPrefix("Handbook/") ? headings : []))
    }
}
