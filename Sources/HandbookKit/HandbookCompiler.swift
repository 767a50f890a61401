import CurriculumKit
import KitbagCore

/// The handbook compiler's entry points: `check` (every diagnostic, nothing written) and
/// `build` (the site and the one-page edition, written only when there is no error).
public enum HandbookCompiler {
    public struct Options: Sendable {
        /// Output folder (default `_site` in the project).
        public var outDirectory: String?
        /// Pass raw HTML through (cmark's unsafe mode).
        public var unsafeHTML = false
        /// Accepted changes for `{changes}`.
        public var changes: [ChangeEntry] = []
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
    }

    /// Loads and resolves the project; diagnostics in file order.
    public static func resolve(_ paths: ProjectPaths, options: Options) -> (Handbook, [Diagnostic]) {
        var bag = DiagnosticBag()
        let handbook = HandbookResolver.resolve(paths, unsafeHTML: options.unsafeHTML, bag: &bag)
        handbook.changes = options.changes
        return (handbook, bag.sorted)
    }

    /// Renders every output file in memory.
    public static func render(_ handbook: Handbook, options: Options) -> [OutputFile] {
        var builder = SiteBuilder(handbook: handbook, unsafeHTML: options.unsafeHTML)
        return builder.build()
    }

    /// Resolves, renders and writes. Writes nothing when there is an error (or, with
    /// `strict`, a warning). Pages whose bytes would not change are not touched.
    public static func build(_ paths: ProjectPaths, options: Options, strict: Bool = false, extraDiagnostics: [Diagnostic] = []) -> Result {
        var clock = PhaseClock()
        let (handbook, resolved) = resolve(paths, options: options)
        let diagnostics = resolved + extraDiagnostics
        clock.mark("load and resolve")
        var result = Result(diagnostics: diagnostics)
        let failed = diagnostics.containsErrors || (strict && !diagnostics.isEmpty)
        if failed { result.timings = clock.phases; return result }
        let files = render(handbook, options: options)
        clock.mark("render")
        let out = options.outDirectory ?? paths.path("_site")
        result.produced = files.count
        do {
            try FileSystem.makeDirectories(out)
            try FileSystem.makeDirectories(FileSystem.join(out, "curriculum"))
            for file in files {
                if try FileSystem.writeIfChanged(file.bytes, to: FileSystem.join(out, file.path)) {
                    result.written.append(file.path)
                }
            }
            if !handbook.sources.images.isEmpty {
                for name in handbook.sources.images.sorted() {
                    let target = FileSystem.join(out, "images", name)
                    if let slash = target.lastIndex(of: "/") { try FileSystem.makeDirectories(String(target[..<slash])) }
                    if try FileSystem.writeIfChanged(FileSystem.readBytes(FileSystem.join(paths.handbook, "images", name)), to: target) {
                        result.written.append("images/" + name)
                    }
                    result.produced += 1
                }
            }
        } catch {
            result.diagnostics.append(.error("write-failed", error.description, at: SourceLocation(file: out, line: 1, column: 1)))
        }
        clock.mark("write")
        result.timings = clock.phases
        return result
    }
}

/// Wall-clock phases for `--timings`.
struct PhaseClock {
    var phases: [(String, Double)] = []
    var last = PhaseClock.now()

    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    mutating func mark(_ name: String) {
        let t = PhaseClock.now()
        phases.append((name, t - last))
        last = t
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
