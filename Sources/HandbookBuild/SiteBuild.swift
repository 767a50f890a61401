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
        if options.edition != nil || options.since != nil { options.incremental = false }
        var clock = PhaseClock()
        let out = options.outDirectory ?? paths.path("_site")
        let cachePath = BuildCache.path(for: paths, outDirectory: out)
        // A build killed between writing a temporary file and renaming it left that file.
        OutputWriter.removeLeftovers(in: out)
        if let slash = cachePath.lastIndex(of: "/") { OutputWriter.removeLeftovers(in: String(cachePath[..<slash])) }
        var cache = options.incremental ? BuildCache.load(cachePath) : BuildCache()
        // Every file an earlier build may have made here; those the cache does not list (a
        // killed build's, or an older kitbag's whose cache is not trusted) take the full path.
        let earlier = options.incremental ? BuildCache.loadOutputList(cachePath) : []
        let unlisted = earlier.filter { cache.outputs[$0] == nil }
        var inputs = InputScan(previous: cache.inputs)
        inputs.visit(paths.handbook, relative: "Handbook")
        inputs.visit(paths.curriculum, relative: "Curriculum")
        let inputsKey = inputs.key(paths: paths, options: options)
        clock.mark("check inputs")

        // Nothing changed: the same inputs, and every output still the file we wrote.
        if options.incremental, unlisted.isEmpty, inputsKey == cache.inputsKey, !cache.outputs.isEmpty,
           cache.outputs.allSatisfy({ FileStamp.of(FileSystem.join(out, $0.key)) == $0.value.stamp }) {
            var result = HandbookCompiler.Result(diagnostics: cache.diagnostics + extraDiagnostics)
            result.produced = cache.produced
            clock.mark("up to date")
            result.timings = clock.phases
            return result
        }

        // Only chapter prose changed: rebuild those chapters without resolving the book again.
        if unlisted.isEmpty, let fast = FastRebuild.attempt(paths: paths, options: options, cache: cache, inputs: inputs, inputsKey: inputsKey,
                                          cachePath: cachePath, out: out, extraDiagnostics: extraDiagnostics, clock: &clock) {
            return fast
        }

        if options.incremental { cache.loadUnits(cachePath) }
        let store = UnitStore(previous: cache.units, previousFiles: cache.chapterFiles)
        store.inputHashes = inputs.records.mapValues(\.hash)
        var bag = DiagnosticBag()
        let (handbook, trees) = HandbookResolver.resolve(paths, unsafeHTML: options.unsafeHTML, bag: &bag, store: options.incremental ? store : nil,
                                                         edition: options.edition, changes: options.changes, since: options.since)
        let resolved = bag.sorted
        let diagnostics = resolved + extraDiagnostics
        clock.mark("load and resolve")
        var result = HandbookCompiler.Result(diagnostics: diagnostics)
        let failed = diagnostics.failRun(strict: strict)
        if failed { result.timings = clock.phases; return result }

        // The snapshot, the units file and the contexts file are made on the other core while
        // the pages are rendered and written. The resolved book is read-only, and each parsed
        // tree belongs to the renderer of its unit, so the two never share anything mutable.
        let saving = DispatchGroup()
        let snapshot = Mutex<ResolvedSnapshot?>(nil)
        if options.incremental {
            DispatchQueue.global().async(group: saving) { [inputs, options] in
                let made = ResolvedSnapshot.make(handbook, paths: paths, inputs: inputs, options: options)
                if let contexts = made?.1 { BuildCache.saveContexts(contexts, cachePath) }
                var units = BuildCache()
                units.units = store.current
                units.chapterFiles = store.currentFiles
                units.saveUnits(cachePath)
                snapshot.withLock { $0 = made?.0 }
            }
        }
        let plan = SitePlan(handbook: handbook, cache: cache, outDirectory: out, inputs: inputs, options: options)
        var builder = SiteBuilder(handbook: handbook, trees: trees, unsafeHTML: options.unsafeHTML)
        builder.plan = plan
        builder.progress = options.progress
        let files = builder.build()
        clock.mark("render")

        var next = BuildCache()
        next.inputsKey = inputsKey
        next.inputs = inputs.records
        next.diagnostics = resolved
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
