import CurriculumKit
import KitbagCore

/// The handbook compiler's entry point for resolving one edition without a cache (every
/// diagnostic, nothing written; `kitbag check` goes through HandbookBuild's `EditionCheck`,
/// which shares work between editions), and the options and result of a build
/// (`SiteBuild.build` in HandbookBuild, which adds the cache).
public enum HandbookCompiler {
    public struct Options: Sendable {
        /// Output folder (default `_site` in the project).
        public var outDirectory: String?
        /// Pass raw HTML through (cmark's unsafe mode).
        public var unsafeHTML = false
        /// Accepted changes for `{changes}`.
        public var changes: [ChangeEntry] = []
        /// Reuse the build cache in `.build-kitbag/` (off: a clean build that keeps no cache).
        public var incremental = true
        /// A site's edition instead of the shared one (with a build cache of its own, for its output folder).
        public var edition: EditionPlan?
        /// Sections changed since a git revision, to mark (`--since`; built afresh).
        public var since: ChangesSince?
        /// Told (chapters done, chapters in all) as chapters are rendered, from any thread.
        public var progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?
        public init(outDirectory: String? = nil, unsafeHTML: Bool = false) {
            self.outDirectory = outDirectory
            self.unsafeHTML = unsafeHTML
        }
    }

    /// What a build did.
    public struct Result: Sendable {
        public var diagnostics: [Diagnostic]
        /// Files written (changed), relative to the output folder.
        public var written: [String] = []
        /// Files produced in all.
        public var produced = 0
        /// Phase timings in seconds, in order.
        public var timings: [(String, Double)] = []
        /// Units parsed by cmark in this build (the others' walks came from the build cache or,
        /// for a site edition, from the shared edition's parse in the same run).
        public var parsedUnits = 0
        /// Pages and parts of the one-page edition and search index a site edition took from
        /// the shared edition's rendering in the same run (their render keys were equal).
        public var sharedPages = 0
        /// Nothing had changed: the build only checked its inputs and outputs.
        public var upToDate = false

        package init(diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    }

    /// Loads and resolves the project; diagnostics in file order. `curriculum`: already loaded
    /// by the caller (nil: loaded here).
    public static func resolve(_ paths: ProjectPaths, options: Options, curriculum: (Curriculum, [Diagnostic])? = nil) -> (Handbook, [Diagnostic]) {
        var bag = DiagnosticBag()
        let (handbook, _) = HandbookResolver.resolve(paths, unsafeHTML: options.unsafeHTML, bag: &bag, changes: options.changes, curriculum: curriculum)
        return (handbook, bag.sorted)
    }
}
