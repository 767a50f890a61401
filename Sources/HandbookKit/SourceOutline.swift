import KitbagCore

/// The resolved handbook seen from its source files: which files are chapters, which headings
/// each file of the book has with the IDs the resolver gave them, and the file each ID is
/// written in. Tools that work on the sources (proposals, `build --since`, the site editions'
/// adaptations) take IDs and chapter files from here, so they never disagree with the
/// handbook about an ID.
public struct SourceOutline: Sendable {
    /// A heading as the resolver named it.
    public struct Heading: Sendable, Equatable {
        /// The ID in the one namespace (with its `-2` suffix when it needed one).
        public var id: String
        public var level: Int
        /// The title without its `{#id}` or `{-}`.
        public var title: String
        /// The heading's line in its file.
        public var line: Int
    }

    /// Project-relative paths of the chapter files, in book order (`ChapterFileName`).
    public var chapterFiles: [String] = []
    /// Every file of the book (chapters, book.md, glossary.md, curriculum files) with its
    /// headings in file order.
    public var headings: [String: [Heading]] = [:]
    /// Every ID of the one namespace: what it names and where.
    public var targets: [String: Target] = [:]
    /// The project-relative file each ID is written in.
    public var files: [String: String] = [:]

    /// The heading an ID names (a chapter, a section, a glossary term), with its file.
    public func heading(_ id: String) -> (file: String, heading: Heading)? {
        guard let target = targets[id], let file = files[id] else { return nil }
        guard let heading = headings[file]?.first(where: { $0.line == target.location.line && $0.id == id }) else { return nil }
        return (file, heading)
    }

    /// The innermost heading at or before `line` of `file`.
    public func heading(before line: Int, in file: String) -> Heading? {
        headings[file]?.last { $0.line <= line }
    }
}

extension Handbook {
    /// This handbook's `SourceOutline`.
    public var outline: SourceOutline {
        var outline = SourceOutline()
        outline.chapterFiles = sources.chapters.map(\.relativePath)
        outline.targets = targets
        for (u, unit) in units.enumerated() {
            let resolved = headings(u)
            outline.headings[unit.relativePath] = unit.headings.enumerated().map { i, h in
                SourceOutline.Heading(id: i < resolved.count ? resolved[i].id : "", level: h.level, title: h.title, line: h.location.line)
            }
        }
        for (id, target) in targets {
            guard let unit = target.unit, unit < units.count else { continue }
            outline.files[id] = units[unit].relativePath
        }
        return outline
    }
}
