import KitbagCore

/// The files of `Handbook/`, sorted into book.md, chapters, glossary and images, with every
/// other Markdown file reported rather than skipped.
struct HandbookSources {
    struct ChapterFile {
        var name: String          // "13-delivery-on-the-ward.md"
        var number: Int           // 13
        var stem: String          // "delivery-on-the-ward"
        var relativePath: String  // "Handbook/13-delivery-on-the-ward.md"
        var pageName: String      // "13-delivery-on-the-ward.html"
    }

    var chapters: [ChapterFile] = []
    var hasGlossary = false
    /// Image file names under Handbook/images (relative to that folder, with subfolders).
    var images: Set<String> = []

    static func scan(_ paths: ProjectPaths, into bag: inout DiagnosticBag) -> HandbookSources {
        var sources = HandbookSources()
        guard FileSystem.isDirectory(paths.handbook) else {
            bag.error(.missingHandbook, "no 'Handbook' folder in this project", at: SourceLocation(file: paths.display("Handbook"), line: 1, column: 1))
            return sources
        }
        var byNumber: [Int: String] = [:]
        for name in FileSystem.list(paths.handbook) {
            let relative = "Handbook/\(name)"
            if name == "images", FileSystem.isDirectory(paths.path(relative)) {
                sources.images = Set(listFiles(paths.path(relative), prefix: ""))
                continue
            }
            guard name.hasSuffix(".md") else { continue }
            if name == "book.md" { continue }
            if name == "glossary.md" { sources.hasGlossary = true; continue }
            let digits = name.prefix { $0.isASCII && $0.isNumber }
            let afterDigits = name.dropFirst(digits.count)
            guard !digits.isEmpty, afterDigits.hasPrefix("-"), afterDigits.count > 4, let number = Int(digits) else {
                bag.warning(.notAChapter, "'\(name)' is not a chapter (chapters are named DIGITS-slug.md), book.md or glossary.md, so it is not part of the handbook",
                            at: SourceLocation(file: paths.display(relative), line: 1, column: 1),
                            notes: [.init("rename it, for example '\(String(format2(sources.chapters.count + 1)))-\(name)', to make it a chapter")])
                continue
            }
            if let other = byNumber[number] {
                bag.error(.duplicateChapterNumber, "chapter number \(number) is used by '\(name)' and '\(other)'",
                          at: SourceLocation(file: paths.display(relative), line: 1, column: 1),
                          notes: [.init("also used here", at: SourceLocation(file: paths.display("Handbook/\(other)"), line: 1, column: 1))])
                continue
            }
            byNumber[number] = name
            let stem = String(afterDigits.dropFirst().dropLast(3))
            sources.chapters.append(ChapterFile(name: name, number: number, stem: stem, relativePath: relative,
                                                pageName: String(name.dropLast(3)) + ".html"))
        }
        sources.chapters.sort { $0.number < $1.number }
        return sources
    }

    static func format2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    static func listFiles(_ directory: String, prefix: String) -> [String] {
        var result: [String] = []
        for name in FileSystem.list(directory) {
            let path = FileSystem.join(directory, name)
            if FileSystem.isDirectory(path) {
                result += listFiles(path, prefix: prefix + name + "/")
            } else {
                result.append(prefix + name)
            }
        }
        return result
    }
}
