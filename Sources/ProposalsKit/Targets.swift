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

/// Finds targets: chapter files, chapter and section IDs, curriculum item IDs. The IDs and the
/// chapter files are the resolved handbook's (`SourceOutline`): a proposal names exactly what a
/// `#id` link names. Refuses anything outside `Handbook/` and `Curriculum/`: absolute paths,
/// `..`, and symbolic links.
public struct TargetResolver: Sendable {
    public let paths: ProjectPaths
    let outline: SourceOutline
    let curriculum: Curriculum

    /// A resolver over `handbook`, as `HandbookCompiler.resolve` made it for this project.
    public init(paths: ProjectPaths, handbook: Handbook) {
        self.paths = paths
        outline = handbook.outline
        curriculum = handbook.curriculum
    }

    /// Where the body of a Markdown file starts (after its front matter), as a byte offset.
    static func bodyStart(_ file: SourceFile) -> Int {
        var bag = DiagnosticBag()
        let fm = FrontMatter.parse(file, into: &bag)
        guard fm.isPresent, fm.bodyStartLine > 1 else { return 0 }
        return fm.bodyStartLine - 1 < file.lineStarts.count ? file.lineStarts[fm.bodyStartLine - 1] : file.text.utf8.count
    }

    /// The headings the handbook found in `relative`, each with the bytes its section covers in
    /// `file` (up to the next heading of the same or a higher level).
    func headings(of relative: String, in file: SourceFile) -> [TargetHeading] {
        let raw = outline.headings[relative] ?? []
        let total = file.text.utf8.count
        let start = { (line: Int) in line >= 1 && line - 1 < file.lineStarts.count ? file.lineStarts[line - 1] : total }
        return raw.enumerated().map { i, h in
            let end = raw[(i + 1)...].first { $0.level <= h.level }.map { start($0.line) } ?? total
            let from = start(h.line)
            return TargetHeading(level: h.level, id: h.id, title: h.title, line: h.line, section: from..<max(from, end))
        }
    }

    /// Every ID a proposal can name (for suggestions): the handbook's, tables aside.
    public var knownIDs: [String] { outline.targets.values.filter { $0.kind != .table }.map(\.id) }

    /// Resolves `target`: a chapter file path (`Handbook/13-ward.md` or `13-ward.md`), a chapter,
    /// section or glossary term ID, or a curriculum item ID, exactly as the handbook resolves it.
    public func resolve(_ target: String) -> Result<ResolvedTarget, TargetError> {
        let name = target.trimmed()
        guard !name.isEmpty else { return .failure(TargetError(code: .unknownTarget, message: "the target is empty", notes: [])) }
        if name.contains("/") || name.hasSuffix(".md") || name.contains("\\") {
            return resolvePath(name)
        }
        if let found = outline.targets[name] {
            switch found.kind {
            case .principle, .competency, .module, .assessment, .domain, .fidelityItem:
                if let item = curriculum.item(name) {
                    return load(item.relativePath, name: name, kind: .curriculumItem, title: "\(item.id): \(item.title)") { file, bodyStart, _ in
                        bodyStart..<file.text.utf8.count
                    }
                }
            case .chapter:
                if let (file, heading) = outline.heading(name) {
                    return load(file, name: name, kind: .chapter, title: heading.title) { file, bodyStart, _ in bodyStart..<file.text.utf8.count }
                }
            case .section, .glossaryTerm:
                if let (file, heading) = outline.heading(name) {
                    return load(file, name: name, kind: .section, title: heading.title) { file, bodyStart, headings in
                        headings.first { $0.line == heading.line }?.section ?? bodyStart..<file.text.utf8.count
                    }
                }
            case .table:
                var notes: [String] = []
                if let file = outline.files[name], let section = outline.heading(before: found.location.line, in: file) {
                    notes.append("name the section that holds it: '\(section.id)'")
                }
                return .failure(TargetError(code: .unknownTarget, message: "'\(name)' is a table (\(found.text)); a proposal names a chapter, a section or a curriculum item",
                                            notes: notes))
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
        if parts.count == 1, ChapterFileName(parts[0]) != nil { parts.insert("Handbook", at: 0) }
        guard let top = parts.first, top == "Handbook" || top == "Curriculum", parts.count >= 2 else {
            return refuse("it is outside Handbook/ and Curriculum/")
        }
        guard raw.hasSuffix(".md") else { return refuse("only Markdown files (.md) can be proposed on") }
        let relative = parts.joined(separator: "/")
        let kind: ResolvedTarget.Kind = outline.chapterFiles.contains(relative) ? .chapter : .file
        return load(relative, name: relative, kind: kind, title: nil) { file, bodyStart, _ in bodyStart..<file.text.utf8.count }
    }

    /// Reads a target file after checking that no part of its path is a symbolic link.
    func load(_ relative: String, name: String, kind: ResolvedTarget.Kind, title: String?,
              region: (SourceFile, Int, [TargetHeading]) -> Range<Int>) -> Result<ResolvedTarget, TargetError> {
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
        let bodyStart = Self.bodyStart(file)
        let headings = headings(of: relative, in: file)
        let shownTitle = title ?? headings.first(where: { $0.level == 1 })?.title ?? relative
        let r = region(file, bodyStart, headings)
        return .success(ResolvedTarget(name: name, kind: kind, relativePath: relative, file: file, region: r,
                                       title: shownTitle, headings: relative.hasPrefix("Handbook/") ? headings : []))
    }
}
