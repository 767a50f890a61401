import CurriculumKit
import Dispatch
import HandbookKit
import KitbagCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The build with its cache: `kitbag build` and `watch` (see `docs/speed.md`).
public enum SiteBuild {
    /// Resolves, renders and writes. Writes nothing when there is an error (or, with
    /// `strict`, a warning). Pages whose bytes would not change are not touched.
    ///
    /// Builds are incremental: a cache in `.build-kitbag/` (see `BuildCache`) remembers the
    /// inputs, each unit's parse and each chapter's rendering by content. When nothing changed
    /// and every output is as it was written, the build ends after checking the inputs; after
    /// an edit, only units whose text changed are parsed again and only chapters whose
    /// resolved content (numbers, titles, reference texts) changed are rendered again.
    public static func build(_ paths: ProjectPaths, options: HandbookCompiler.Options, strict: Bool = false,
                             extraDiagnostics: [Diagnostic] = []) -> HandbookCompiler.Result {
        var options = options
        if options.since != nil { options.incremental = false }
        var scan = BuildScan(paths, options: options)
        // Nothing changed: the same inputs, and every output still the file we wrote.
        if let done = scan.upToDate(extraDiagnostics: extraDiagnostics) { return done }

        // Only chapter prose changed: rebuild those chapters without resolving the book again.
        if options.edition == nil, scan.unlisted.isEmpty,
           let fast = FastRebuild.attempt(paths: paths, options: options, cache: scan.cache, inputs: scan.inputs, inputsKey: scan.inputsKey,
                                          cachePath: scan.cachePath, out: scan.out, extraDiagnostics: extraDiagnostics, clock: &scan.clock) {
            return fast
        }
        let resolved = resolve(scan, store: scan.unitStore(), extraDiagnostics: extraDiagnostics)
        if resolved.result.diagnostics.failRun(strict: strict) {
            var result = resolved.result
            result.timings = resolved.scan.clock.phases
            return result
        }
        return write(resolved)
    }

    /// The load and resolve stages of a build whose inputs changed: every unit parsed (or its
    /// walk taken from `store`), the book resolved for the build's edition, nothing written.
    /// `curriculum`: the curriculum loaded already (by the shared edition of the same run).
    static func resolve(_ scan: BuildScan, store: UnitStore, extraDiagnostics: [Diagnostic] = [],
                        curriculum: (Curriculum, [Diagnostic])? = nil) -> ResolvedBuild {
        var scan = scan
        let options = scan.options
        var bag = DiagnosticBag()
        let (handbook, trees) = HandbookResolver.resolve(scan.paths, unsafeHTML: options.unsafeHTML, bag: &bag, store: store,
                                                         edition: options.edition, changes: options.changes, since: options.since,
                                                         curriculum: curriculum)
        let resolved = bag.sorted
        scan.clock.mark("load and resolve")
        var result = HandbookCompiler.Result(diagnostics: resolved + extraDiagnostics)
        result.parsedUnits = store.parsedCount
        return ResolvedBuild(scan: scan, store: store, handbook: handbook, trees: trees, diagnostics: resolved, result: result)
    }

    /// The render and write stages: renders the pages whose render key changed (taking those
    /// the shared edition rendered with the same key from `resolved.shared`), writes the files
    /// whose bytes changed, and saves the cache.
    static func write(_ resolved: ResolvedBuild) -> HandbookCompiler.Result {
        var clock = resolved.scan.clock
        let cache = resolved.scan.cache, earlier = resolved.scan.earlier
        let paths = resolved.scan.paths, options = resolved.scan.options, out = resolved.scan.out
        let cachePath = resolved.scan.cachePath, inputs = resolved.scan.inputs, inputsKey = resolved.scan.inputsKey
        let handbook = resolved.handbook, store = resolved.store
        var result = resolved.result

        // The snapshot, the units file and the contexts file are made on the other core while
        // the pages are rendered and written. The resolved book is read-only, and each parsed
        // tree belongs to the renderer of its unit, so the two never share anything mutable.
        let saving = DispatchGroup()
        let snapshot = Mutex<ResolvedSnapshot?>(nil)
        if options.incremental {
            DispatchQueue.global().async(group: saving) { [inputs, options] in
                // Only the shared edition takes the fast rebuild, which reads the snapshot.
                let made = options.edition != nil ? nil : ResolvedSnapshot.make(handbook, paths: paths, inputs: inputs, options: options)
                if let contexts = made?.1 { BuildCache.saveContexts(contexts, cachePath) }
                var units = BuildCache()
                units.units = store.current
                units.chapterFiles = store.currentFiles
                units.saveUnits(cachePath)
                snapshot.withLock { $0 = made?.0 }
            }
        }
        let plan = SitePlan(handbook: handbook, cache: cache, outDirectory: out, inputs: inputs, options: options,
                            shared: resolved.shared, keysForEditions: resolved.keepsRenderings)
        // The renderers become the only owners of the trees, so that each tree is freed on the
        // core that rendered it as soon as its pages are kept (not all at the end, on one core).
        var builder = SiteBuilder(handbook: handbook, trees: resolved.takeTrees(), unsafeHTML: options.unsafeHTML)
        builder.plan = plan
        builder.progress = options.progress
        let files = builder.build()
        result.sharedPages = plan.sharedCount
        if resolved.keepsRenderings {
            resolved.rendered = plan.renderings(files: files, onePage: builder.prerendered.onePageParts, search: builder.searchLinesByPage)
        }
        clock.mark("render")

        var next = BuildCache()
        next.inputsKey = inputsKey
        next.inputs = inputs.records
        next.diagnostics = resolved.keptDiagnostics ?? resolved.diagnostics
        next.segments = builder.segments
        // This build's outputs are noted before it writes them.
        if options.incremental {
            let images = handbook.sources.images.map { "images/" + $0 }
            BuildCache.saveOutputList(files.map(\.path) + images + earlier + cache.outputs.keys, cachePath)
        }
        do {
            try FileSystem.makeDirectories(out)
            try FileSystem.makeDirectories(FileSystem.join(out, "curriculum"))
            var writer = try SiteWriter.writeAll(files, out: out, previous: cache.outputs, keys: plan.pageKeys)
            // Pages the plan found up to date were not rendered: they stay as they are.
            for page in plan.skippedPages {
                if let record = cache.outputs[page] { writer.records[page] = record }
            }
            for name in handbook.sources.images.sorted() {
                let relative = "images/" + name
                if let slash = relative.lastIndex(of: "/") { try FileSystem.makeDirectories(FileSystem.join(out, String(relative[..<slash]))) }
                let source = FileSystem.join(paths.handbook, "images", name)
                if let hash = inputs.records["Handbook/images/" + name]?.hash, let record = cache.outputs[relative],
                   record.key == hash, FileStamp.of(FileSystem.join(out, relative)) == record.stamp {
                    writer.records[relative] = record
                    continue
                }
                try writer.write(FileSystem.readBytes(source), to: relative, key: inputs.records["Handbook/images/" + name]?.hash ?? .zero)
            }
            result.written = writer.written
            result.produced = writer.records.count
            next.outputs = writer.records
            // What the last build made and this one does not (a removed or renamed chapter's
            // page, a removed image) goes, so the folder equals a clean build's.
            for page in Set(cache.outputs.keys).union(earlier) where writer.records[page] == nil && !page.split(separator: "/").contains("..") {
                FileSystem.remove(FileSystem.join(out, page))
            }
        } catch {
            result.diagnostics.append(.error(.writeFailed, error.description, at: SourceLocation(file: out, line: 1, column: 1)))
            saving.wait()
            result.timings = clock.phases
            return result
        }
        clock.mark("write")
        saving.wait()
        next.snapshot = snapshot.withLock { $0 }
        next.produced = result.produced
        if options.incremental {
            next.save(cachePath)
            BuildCache.saveOutputList(next.outputs.keys, cachePath)
        }
        clock.mark("save cache")
        result.timings = clock.phases
        return result
    }
}

/// A build's first stage: where it writes, its cache, and every input's stamp and hash.
struct BuildScan {
    let paths: ProjectPaths
    /// The options; a site edition's plan is filled in once the shared edition is resolved.
    var options: HandbookCompiler.Options
    let out: String
    let cachePath: String
    let cache: BuildCache
    /// Every file an earlier build may have made here; those the cache does not list (a
    /// killed build's, or an older kitbag's whose cache is not trusted) take the full path.
    let earlier: [String]
    let unlisted: [String]
    let inputs: InputScan
    let inputsKey: Fingerprint
    var clock = PhaseClock()

    /// Scans the inputs (or takes `inputs`, scanned once for several editions of one run) and
    /// loads the cache of the build's output folder. `writes`: the build may write to its
    /// folder (a `--site` build only reads the shared edition's cache).
    init(_ paths: ProjectPaths, options: HandbookCompiler.Options, inputs scanned: InputScan? = nil, writes: Bool = true) {
        self.paths = paths
        self.options = options
        out = options.outDirectory ?? paths.path("_site")
        cachePath = BuildCache.path(for: paths, outDirectory: out)
        // A build killed between writing a temporary file and renaming it left that file.
        if writes {
            TemporaryFiles.removeLeftovers(in: out)
            if let slash = cachePath.lastIndex(of: "/") { TemporaryFiles.removeLeftovers(in: String(cachePath[..<slash])) }
        }
        let cache = options.incremental ? BuildCache.load(cachePath) : BuildCache()
        earlier = options.incremental && writes ? BuildCache.loadOutputList(cachePath) : []
        unlisted = earlier.filter { cache.outputs[$0] == nil }
        if let scanned {
            inputs = scanned
        } else {
            var scan = InputScan(previous: cache.inputs)
            scan.visit(paths.handbook, relative: "Handbook")
            scan.visit(paths.curriculum, relative: "Curriculum")
            inputs = scan
        }
        inputsKey = inputs.key(paths: paths, options: options)
        self.cache = cache
        clock.mark("check inputs")
    }

    /// The last build's result when nothing changed (the same inputs, and every output still
    /// the file it wrote); nil when the build has work to do.
    mutating func upToDate(extraDiagnostics: [Diagnostic]) -> HandbookCompiler.Result? {
        guard options.incremental, unlisted.isEmpty, inputsKey == cache.inputsKey, !cache.outputs.isEmpty else { return nil }
        // Every output still has the stamp this build gave it (one `stat` each, on every core).
        let out = out
        guard !Array(cache.outputs).concurrentMap({ FileStamp.of(FileSystem.join(out, $0.key)) == $0.value.stamp }).contains(false) else { return nil }
        var result = HandbookCompiler.Result(diagnostics: cache.diagnostics + extraDiagnostics)
        result.produced = cache.produced
        result.upToDate = true
        clock.mark("up to date")
        result.timings = clock.phases
        return result
    }

    /// The unit store of this build: the cache's walks when incremental, and `shared`'s walks
    /// of this run (a site edition takes the shared edition's).
    func unitStore(shared: UnitStore? = nil) -> UnitStore {
        var units = cache
        if options.incremental { units.loadUnits(cachePath) }
        let store = UnitStore(previous: units.units, previousFiles: units.chapterFiles, shared: shared)
        store.inputHashes = inputs.records.mapValues(\.hash)
        return store
    }
}

/// A build resolved and checked, with nothing written yet: what `SiteBuild.write` renders and
/// writes.
final class ResolvedBuild {
    var scan: BuildScan
    let store: UnitStore
    let handbook: Handbook
    /// The cmark trees parsed in this run, by unit, until the render stage takes them.
    private var trees: [Int: UnitTree]
    /// The resolver's diagnostics (sorted).
    let diagnostics: [Diagnostic]
    var result: HandbookCompiler.Result
    /// What the cache keeps to report when nothing changed (default: `diagnostics`).
    var keptDiagnostics: [Diagnostic]?
    /// The shared edition's rendering in this run, for a site edition to take pages from.
    var shared: SharedRenderings?
    /// Keep this build's rendering for the site editions (set on the shared edition's build).
    var keepsRenderings = false
    /// This build's rendering, when `keepsRenderings`.
    var rendered: SharedRenderings?

    /// The trees, handed on once: the render stage becomes their only owner.
    func takeTrees() -> [Int: UnitTree] {
        defer { trees = [:] }
        return trees
    }

    init(scan: BuildScan, store: UnitStore, handbook: Handbook, trees: [Int: UnitTree], diagnostics: [Diagnostic], result: HandbookCompiler.Result) {
        self.scan = scan
        self.store = store
        self.handbook = handbook
        self.trees = trees
        self.diagnostics = diagnostics
        self.result = result
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

    /// Starts the next phase now (a build whose stages run between other builds' stages).
    mutating func restart() { last = PhaseClock.now() }

    mutating func mark(_ name: String) {
        let t = PhaseClock.now()
        phases.append((name, t - last))
        last = t
    }
}
