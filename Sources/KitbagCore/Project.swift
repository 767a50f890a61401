/// Where a project's parts live on disk, and how their paths are shown to the user.
public struct ProjectPaths: Sendable {
    /// The project root (`-C DIR`, default the working directory).
    public var root: String
    /// The prefix paths are shown with: "" when the root is the working directory, else the root as given.
    public var displayPrefix: String

    public init(root: String) {
        self.root = root
        self.displayPrefix = (root == "." || root.isEmpty) ? "" : (root.hasSuffix("/") ? root : root + "/")
    }

    public var handbook: String { FileSystem.join(root, "Handbook") }
    public var curriculum: String { FileSystem.join(root, "Curriculum") }
    public var proposals: String { FileSystem.join(root, "Proposals") }
    public var cohorts: String { FileSystem.join(root, "Cohorts") }

    /// The absolute or root-relative path of a project-relative path such as `Handbook/book.md`.
    public func path(_ relative: String) -> String { FileSystem.join(root, relative) }

    /// The path shown in diagnostics for a project-relative path.
    public func display(_ relative: String) -> String { displayPrefix + relative }

    /// Reads a project file as a `SourceFile`, or nil when it cannot be read.
    public func source(_ relative: String) -> SourceFile? {
        guard let bytes = try? FileSystem.readBytes(path(relative)) else { return nil }
        return SourceFile(displayPath: display(relative), bytes: bytes)
    }

    /// Whether `relative` (a file or folder) is, after following symbolic links, inside the
    /// project whose canonical root is `root`; a link that leads out is an error at its path,
    /// and the entry is to be left out.
    public func staysInside(_ relative: String, root: String, into bag: inout DiagnosticBag) -> Bool {
        let path = path(relative)
        guard FileSystem.isSymbolicLink(path) else { return true }
        let target = FileSystem.canonical(path)
        guard FileSystem.isInside(target, root) else {
            bag.error(.linkOutsideProject, "'\(relative)' is a symbolic link to '\(target)', outside the project; nothing outside the project goes into the site",
                      at: SourceLocation(file: display(relative), line: 1, column: 1))
            return false
        }
        return true
    }
}
