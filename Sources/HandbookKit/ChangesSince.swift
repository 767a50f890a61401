import CurriculumKit
import KitbagCore
import Markdown

/// `kitbag build --since REV`: the sections whose text changed since a git revision of the
/// handbook's repository, the ones added and the ones removed. git is an optional program
/// called as a process; sections are matched by the ID the handbook gives them (the revision
/// is resolved by the same resolver as the working files, so both sides use the one ID
/// namespace and chapter-file rule), so a section that moved to another chapter is not
/// reported as removed and added.
public struct ChangesSince: Sendable {
    /// A section as the revision or the working files have it.
    public struct Section: Sendable, Equatable {
        public var id: String
        public var title: String
        /// Its own text (heading line to the next heading), trailing spaces dropped.
        public var text: String
        /// IDs its text links to.
        public var links: [String]
        /// The chapter file it is in, relative to the project.
        public var file: String
    }

    /// The revision as the user gave it ("edition-2", "HEAD~3").
    public var revision: String
    public var changed: [String] = []
    public var added: [String] = []
    /// Sections of the revision that are gone, with what they were.
    public var removed: [Section] = []
    /// Every section of the working files, by ID.
    var current: [String: Section] = [:]

    /// IDs of the sections to mark (changed or added).
    public var marked: Set<String> { Set(changed + added) }

    /// Why `--since` could not be worked out.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Compares the project's Handbook/ chapter files with those of `revision`.
    public static func compute(_ paths: ProjectPaths, revision: String, environment: [String: String]) -> Result<ChangesSince, Failure> {
        guard let git = Subprocess.find("git", environment: environment) else {
            return .failure(Failure(description: "--since needs git, which is not installed (Debian package 'git': apt-get install git)"))
        }
        guard case .success(let prefixText) = run(git, ["-C", paths.root, "rev-parse", "--show-prefix"]) else {
            return .failure(Failure(description: "--since needs the project in a git repository, and '\(paths.root)' is not in one"))
        }
        let prefix = prefixText.trimmingTrailingNewlines()
        let tree: String
        switch run(git, ["-C", paths.root, "ls-tree", "-r", "--name-only", revision + "^{commit}", "--", "Handbook/", "Curriculum/"]) {
        case .success(let text): tree = text
        case .failure(let message):
            return .failure(Failure(description: "--since: git does not know the revision '\(revision)': \(message)"))
        }
        // The revision's Handbook/ and Curriculum/ files, in a temporary folder, resolved by the
        // same resolver as the working files: both sides name sections in the one namespace.
        let oldRoot = Subprocess.temporaryPath("-since")
        defer { FileSystem.remove(oldRoot) }
        for line in tree.split(separator: "\n") {
            let full = String(line)
            guard full.hasPrefix(prefix + "Handbook/") || full.hasPrefix(prefix + "Curriculum/") else { continue }
            let relative = String(full.dropFirst(prefix.count))
            let parts = relative.split(separator: "/")
            guard !parts.contains(".."), !parts.contains("."),
                  relative.hasPrefix("Curriculum/") || (parts.count == 2 && relative.hasSuffix(".md")),
                  case .success(let text) = run(git, ["-C", paths.root, "show", "\(revision):\(full)"]) else { continue }
            let path = FileSystem.join(oldRoot, relative)
            guard (try? FileSystem.makeDirectories(String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]))) != nil,
                  (try? FileSystem.writeAtomically(text, to: path)) != nil else { continue }
        }
        var old: [String: Section] = [:]
        for s in sections(ProjectPaths(root: oldRoot)) where old[s.id] == nil { old[s.id] = s }
        var result = ChangesSince(revision: revision)
        var order: [String] = []
        for s in sections(paths) where result.current[s.id] == nil {
            result.current[s.id] = s
            order.append(s.id)
        }
        for id in order {
            guard let now = result.current[id] else { continue }
            if let before = old[id] {
                if before.text != now.text { result.changed.append(id) }
            } else {
                result.added.append(id)
            }
        }
        result.removed = old.values.filter { result.current[$0.id] == nil }.sorted { ($0.file, $0.id) < ($1.file, $1.id) }
        return .success(result)
    }

    /// Every section of the chapters of the handbook in `paths`, in book order, named as the
    /// resolver names them (`SourceOutline`: the one chapter-file rule and ID namespace).
    static func sections(_ paths: ProjectPaths) -> [Section] {
        let outline = HandbookCompiler.resolve(paths, options: .init()).0.outline
        var result: [Section] = []
        for file in outline.chapterFiles {
            guard let bytes = try? FileSystem.readBytes(paths.path(file)) else { continue }
            var ids: [Int: String] = [:]
            for heading in outline.headings[file] ?? [] where ids[heading.line] == nil { ids[heading.line] = heading.id }
            result += sections(of: String(decoding: bytes, as: UTF8.self), file: file, ids: ids)
        }
        return result
    }

    /// A chapter's sections, each with its own text, from the parsed file; `ids`: the ID the
    /// resolver gave the heading on each line (a heading without one is left out).
    static func sections(of text: String, file: String, ids: [Int: String]) -> [Section] {
        var bag = DiagnosticBag()
        let fm = FrontMatter.parse(SourceFile(displayPath: file, text: text), into: &bag)
        let document = MarkdownDocument(parsing: fm.body)
        let lines = fm.body.split(separator: "\n", omittingEmptySubsequences: false)
        let blocks = document.rootNode.children
        var result: [Section] = []
        for (i, block) in blocks.enumerated() where block.kind == .heading {
            guard let id = ids[block.startLine] else { continue }
            let attributes = Slug.attributes(block.plainText)
            let start = max(block.startLine, 1)
            let nextHeading = blocks[(i + 1)...].first { $0.kind == .heading }
            let end = nextHeading.map { max($0.startLine - 1, start) } ?? lines.count
            let own = (start <= lines.count ? lines[(start - 1)..<min(end, lines.count)] : [])
                .map { $0.trimmingTrailingWhitespace() }.joined(separator: "\n").trimmingTrailingNewlines()
            var links: [String] = []
            for block in blocks[(i + 1)...].prefix(while: { $0.kind != .heading }) {
                block.walk { node in
                    if node.kind == .link, let url = node.url, url.hasPrefix("#") { links.append(String(url.dropFirst())) }
                    return node.kind != .codeBlock
                }
            }
            result.append(Section(id: id, title: attributes.title, text: own, links: links, file: file))
        }
        return result
    }

    /// Runs git; its standard output, or its standard error when it fails.
    static func run(_ git: String, _ arguments: [String]) -> Result<String, Failure> {
        let out = Subprocess.temporaryPath(".out")
        let err = Subprocess.temporaryPath(".err")
        defer { FileSystem.remove(out); FileSystem.remove(err) }
        let status = Subprocess.run(git, arguments, stdoutPath: out, stderrPath: err)
        let text = (try? FileSystem.readBytes(out)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        guard status == 0 else {
            let message = (try? FileSystem.readBytes(err)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            return .failure(Failure(description: message.trimmingTrailingNewlines()))
        }
        return .success(text)
    }

    // MARK: - Principles

    /// The principles a section serves: those its links reach (a principle, or through a
    /// competency, module or assessment); nil when it names none.
    static func principles(of section: Section, _ curriculum: Curriculum) -> [String] {
        var ids: [String] = []
        for link in section.links {
            for p in curriculum.principleIDs(reachedFrom: link) where !ids.contains(p) { ids.append(p) }
        }
        return ids.sorted()
    }

}

extension StringProtocol {
    func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while let last = s.last, last == "\n" || last == "\r" || last == " " { s = s.dropLast() }
        return String(s)
    }
}

// MARK: - Pages

extension ChangesSince {
    /// The principles a section serves: its own links, else its chapter's.
    func principles(of section: Section, _ curriculum: Curriculum) -> [String] {
        let own = Self.principles(of: section, curriculum)
        if !own.isEmpty { return own }
        var ids: [String] = []
        for s in current.values where s.file == section.file {
            for p in Self.principles(of: s, curriculum) where !ids.contains(p) { ids.append(p) }
        }
        return ids.sorted()
    }

    /// The "What changed" page: one table of the changed, added and removed sections, each
    /// listed once, grouped under the first principle it serves (in the framework's order),
    /// with every principle it serves in its own column; above it, how many sections touch
    /// each principle, so a site sees what to retrain on without reading a section twice.
    func content(handbook h: Handbook, context: LinkContext, level: Int) -> String {
        var out = "<h\(level) id=\"what-changed\">What changed since \(HTML.escape(revision))</h\(level)>\n"
        out += "<p>Sections whose text changed, sections added and sections removed since \(HTML.escape(revision)), grouped by the principle each serves, so that each site knows what to retrain on. A section that serves several principles is listed once, under the first; the last column names them all. Changed and added sections are marked in the text.</p>\n"
        var entries: [(principles: [String], kind: String, html: String)] = []
        func add(_ section: Section, kind: String, link: Bool) {
            var text = HTML.escape(section.title)
            if let t = h.targets[section.id] {
                text = link ? "<a href=\"\(HTML.escape(context.href(t)))\">\(HTML.escape(t.text))</a>" : HTML.escape(t.text)
            }
            entries.append((principles(of: section, h.curriculum), kind, text))
        }
        for id in changed { if let s = current[id] { add(s, kind: "Changed", link: true) } }
        for id in added { if let s = current[id] { add(s, kind: "Added", link: true) } }
        for s in removed { add(s, kind: "Removed", link: false) }
        if entries.isEmpty { return out + "<p>No section has changed.</p>\n" }
        let order = h.curriculum.principles.map(\.info.id)
        func title(_ id: String) -> String { h.targets[id]?.text ?? id }
        func first(_ ids: [String]) -> String? { ids.min { (order.firstIndex(of: $0) ?? order.count) < (order.firstIndex(of: $1) ?? order.count) } }
        // How many sections touch each principle (a section serving two counts for both).
        let counts = order.compactMap { p -> String? in
            let n = entries.filter { $0.principles.contains(p) }.count
            return n == 0 ? nil : "\(HTML.escape(title(p))): \(n) section\(n == 1 ? "" : "s")"
        }
        if !counts.isEmpty { out += "<p class=\"what-changed-summary\">By principle: \(counts.joined(separator: "; ")).</p>\n" }
        out += "<table class=\"what-changed\">\n<caption>Sections changed, added or removed since \(HTML.escape(revision))</caption>\n"
        out += "<thead><tr><th scope=\"col\">Change</th><th scope=\"col\">Section</th><th scope=\"col\">Principles it serves</th></tr></thead>\n"
        for group in order.map(Optional.some) + [nil] {
            let inGroup = entries.filter { first($0.principles) == group }
            guard !inGroup.isEmpty else { continue }
            let heading = group.map(title) ?? "Sections not linked to a principle"
            out += "<tbody>\n<tr class=\"principle-group\"><th scope=\"rowgroup\" colspan=\"3\">\(HTML.escape(heading))</th></tr>\n"
            for e in inGroup {
                let served = e.principles.isEmpty ? "none" : e.principles.map { HTML.escape(title($0)) }.joined(separator: "<br>")
                out += "<tr><td class=\"change-kind\">\(e.kind)</td><td>\(e.html)</td><td>\(served)</td></tr>\n"
            }
            out += "</tbody>\n"
        }
        return out + "</table>\n"
    }
}

extension SiteBuilder {
    /// The "What changed" page of a `--since` build.
    mutating func whatChangedPage() {
        guard let changes = h.changesSince else { return }
        let context = LinkContext(page: "what-changed.html", singlePage: false)
        var nav = Fragments.Navigation()
        nav.previous = ("index.html", "Contents")
        emit("what-changed.html", Fragments.page(title: "What changed - \(h.book.title)", book: h.book, context: context,
                                                 main: changes.content(handbook: h, context: context, level: 1), navigation: nav))
    }
}
