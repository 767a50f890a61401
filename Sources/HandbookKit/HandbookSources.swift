import KitbagCore

/// The chapter-file rule, the one kitbag has: a file directly in `Handbook/` named
/// `DIGITS-slug.md` (`13-delivery-on-the-ward.md`) is a chapter; its number orders the book
/// and its slug is the chapter's ID unless the chapter gives one. Proposals and editions ask
/// this rule (or the resolved handbook's `SourceOutline`) and never keep their own.
public struct ChapterFileName: Sendable, Equatable {
    /// 13
    public var number: Int
    /// "delivery-on-the-ward"
    public var stem: String

    /// nil when `name` (a file name, no folder) is not a chapter's: no leading digits, no
    /// '-', an empty slug, not '.md', or a number too large to read.
    public init?(_ name: String) {
        let digits = name.prefix { $0.isASCII && $0.isNumber }
        let afterDigits = name.dropFirst(digits.count)
        guard name.hasSuffix(".md"), !digits.isEmpty, afterDigits.hasPrefix("-"), afterDigits.count > 4, let number = Int(digits) else { return nil }
        self.number = number
        stem = String(afterDigits.dropFirst().dropLast(3))
    }
}

/// The files of `Handbook/`, sorted into book.md, chapters, glossary and images, with every
/// other Markdown file reported rather than skipped.
package struct HandbookSources: Sendable {
    package struct ChapterFile: Sendable {
        package var name: String          // "13-delivery-on-the-ward.md"
        package var number: Int           // 13
        package var stem: String          // "delivery-on-the-ward"
        package var relativePath: String  // "Handbook/13-delivery-on-the-ward.md"
        package var pageName: String      // "13-delivery-on-the-ward.html"
    }

    package var chapters: [ChapterFile] = []
    package var hasGlossary = false
    /// Image file names under Handbook/images (relative to that folder, with subfolders).
    package var images: Set<String> = []

    /// Images under Handbook/images/ as data URIs, for the one-page edition; an image that
    /// cannot be read keeps its relative path. Read by the render stage, once per build.
    package func imageDataURIs(_ paths: ProjectPaths) -> [String: String] {
        var uris: [String: String] = [:]
        for name in images {
            guard let bytes = try? FileSystem.readBytes(FileSystem.join(paths.handbook, "images", name)) else { continue }
            uris[name] = DataURI.make(bytes, mediaType: DataURI.mediaType(forFile: name))
        }
        return uris
    }

    package static func scan(_ paths: ProjectPaths, into bag: inout DiagnosticBag) -> HandbookSources {
        var sources = HandbookSources()
        guard FileSystem.isDirectory(paths.handbook) else {
            bag.error(.missingHandbook, "no 'Handbook' folder in this project", at: SourceLocation(file: paths.display("Handbook"), line: 1, column: 1))
            return sources
        }
        var byNumber: [Int: String] = [:]
        let root = FileSystem.canonical(paths.root)
        let at = { (relative: String) in SourceLocation(file: paths.display(relative), line: 1, column: 1) }
        for name in FileSystem.list(paths.handbook) {
            let relative = "Handbook/\(name)"
            guard staysInside(relative, paths: paths, root: root, into: &bag) else { continue }
            if FileSystem.isDirectory(paths.path(relative)) {
                if name == "images" {
                    sources.images = Set(imageFiles(relative, prefix: "", paths: paths, root: root, into: &bag))
                } else if name != "sites" {
                    for stray in markdownFiles(relative, paths: paths) {
                        bag.warning(.notAChapter, "'\(stray)' is in a subfolder of Handbook/, so it is not part of the handbook", at: at(stray),
                                    notes: [.init("chapters, book.md and glossary.md live directly in Handbook/")])
                    }
                }
                continue
            }
            let lower = name.lowercased()
            if !name.hasSuffix(".md"), lower.hasSuffix(".md") || lower.hasSuffix(".markdown") {
                bag.warning(.notAChapter, "'\(name)' is not part of the handbook: Markdown files of the book end in '.md'", at: at(relative))
                continue
            }
            guard name.hasSuffix(".md") else { continue }
            if name == "book.md" { continue }
            if name == "glossary.md" { sources.hasGlossary = true; continue }
            guard let chapterName = ChapterFileName(name) else {
                bag.warning(.notAChapter, "'\(name)' is not a chapter (chapters are named DIGITS-slug.md), book.md or glossary.md, so it is not part of the handbook",
                            at: SourceLocation(file: paths.display(relative), line: 1, column: 1),
                            notes: [.init("rename it, for example '\(String(format2(sources.chapters.count + 1)))-\(name)', to make it a chapter")])
                continue
            }
            let number = chapterName.number
            if let other = byNumber[number] {
                bag.error(.duplicateChapterNumber, "chapter number \(number) is used by '\(name)' and '\(other)'",
                          at: SourceLocation(file: paths.display(relative), line: 1, column: 1),
                          notes: [.init("also used here", at: SourceLocation(file: paths.display("Handbook/\(other)"), line: 1, column: 1))])
                // Both stay in the book, so the rest of the checks see every ID they define.
            }
            byNumber[number] = name
            sources.chapters.append(ChapterFile(name: name, number: number, stem: chapterName.stem, relativePath: relative,
                                                pageName: String(name.dropLast(3)) + ".html"))
        }
        sources.chapters.sort { ($0.number, $0.name) < ($1.number, $1.name) }
        return sources
    }

    package static func format2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// Whether `relative` (a file or folder) is, after following symbolic links, inside the
    /// project; a link that leads out is an error at its path and the entry is left out.
    package static func staysInside(_ relative: String, paths: ProjectPaths, root: String, into bag: inout DiagnosticBag) -> Bool {
        paths.staysInside(relative, root: root, into: &bag)
    }

    /// The files under an images folder (paths relative to it); links out of the project and
    /// links to nothing are errors.
    package static func imageFiles(_ relative: String, prefix: String, paths: ProjectPaths, root: String, into bag: inout DiagnosticBag) -> [String] {
        var result: [String] = []
        for name in FileSystem.list(paths.path(relative)) {
            let child = relative + "/" + name
            guard staysInside(child, paths: paths, root: root, into: &bag) else { continue }
            let path = paths.path(child)
            if FileSystem.isDirectory(path) {
                result += imageFiles(child, prefix: prefix + name + "/", paths: paths, root: root, into: &bag)
            } else if FileSystem.exists(path) {
                result.append(prefix + name)
            } else {
                bag.error(.missingImage, "image '\(child)' is a symbolic link to nothing", at: SourceLocation(file: paths.display(child), line: 1, column: 1))
            }
        }
        return result
    }

    /// Markdown files (any case of `.md` or `.markdown`) anywhere under a folder, project-relative.
    package static func markdownFiles(_ relative: String, paths: ProjectPaths) -> [String] {
        FileSystem.list(paths.path(relative)).flatMap { name -> [String] in
            let child = relative + "/" + name
            if FileSystem.isDirectory(paths.path(child)) { return FileSystem.isSymbolicLink(paths.path(child)) ? [] : markdownFiles(child, paths: paths) }
            let lower = name.lowercased()
            return lower.hasSuffix(".md") || lower.hasSuffix(".markdown") ? [child] : []
        }
    }
}
