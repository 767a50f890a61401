import CurriculumKit
import Dispatch
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
        /// Reuse the build cache in `.build-kitbag/` (off: a clean build that keeps no cache).
        public var incremental = true
        /// A site's edition instead of the shared one (built afresh: the build cache is the shared edition's).
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
    }

    /// Loads and resolves the project; diagnostics in file order.
    public static func resolve(_ paths: ProjectPaths, options: Options) -> (Handbook, [Diagnostic]) {
        var bag = DiagnosticBag()
        let (handbook, _) = HandbookResolver.resolve(paths, unsafeHTML: options.unsafeHTML, bag: &bag, changes: options.changes)
        return (handbook, bag.sorted)
    }

    /// Resolves, renders and writes. Writes nothing when there is an error (or, with
    /// `strict`, a warning). Pages whose bytes would not change are not touched.
    ///
    /// Builds are incremental: a cache in `.build-kitbag/` (see `BuildCache`) remembers the
    /// inputs, each unit's parse and each chapter's rendering by content. When nothing changed
    /// and every output is as it was written, the build ends after checking the inputs; after
    /// an edit, only units whose text changed are parsed again and only chapters whose
    /// resolved content (numbers, titles, reference texts) changed are rendered again.
    public static func build(_ paths: ProjectPaths, options: Options, strict: Bool = false, extraDiagnostics: [Diagnostic] = []) -> Result {
        var options = options
        if options.edition != nil || options.since != nil { options.incremental = false }
        var clock = PhaseClock()
        let out = options.outDirectory ?? paths.path("_site")
        let cachePath = BuildCache.path(for: paths, outDirectory: out)
        // A build killed between writing a temporary file and renaming it left that file.
        OutputWriter.removeLeftovers(in: out)
        if let slash = cachePath.lastIndex(of: "/") { OutputWriter.removeLeftovers(in: String(cachePath[..<slash])) }
        var cache = options.incremental ? BuildCache.load(cachePath) : BuildCache()
        var inputs = InputScan(previous: cache.inputs)
        inputs.visit(paths.handbook, relative: "Handbook")
        inputs.visit(paths.curriculum, relative: "Curriculum")
        let inputsKey = inputs.key(paths: paths, options: options)
        clock.mark("check inputs")

        // Nothing changed: the same inputs, and every output still the file we wrote.
        if options.incremental, inputsKey == cache.inputsKey, !cache.outputs.isEmpty,
           cache.outputs.allSatisfy({ FileStamp.of(FileSystem.join(out, $0.key)) == $0.value.stamp }) {
            var result = Result(diagnostics: cache.diagnostics + extraDiagnostics)
            result.produced = cache.produced
            clock.mark("up to date")
            result.timings = clock.phases
            return result
        }

        // Only chapter prose changed: rebuild those chapters without resolving the book again.
        if let fast = FastRebuild.attempt(paths: paths, options: options, cache: cache, inputs: inputs, inputsKey: inputsKey,
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
        var result = Result(diagnostics: diagnostics)
        let failed = diagnostics.failRun(strict: strict)
        if failed { result.timings = clock.phases; return result }

        // The snapshot, the units file and the contexts file are made on the other core while
        // the pages are rendered and written. The resolved book is read-only, and each parsed
        // tree belongs to the renderer of its unit, so the two never share anything mutable.
        let saving = DispatchGroup()
        let snapshot = SnapshotSlot()
        if options.incremental {
            let work = UncheckedWork { [inputs] in
                let made = ResolvedSnapshot.make(handbook, paths: paths, inputs: inputs, options: options)
                if let contexts = made?.1 { BuildCache.saveContexts(contexts, cachePath) }
                var units = BuildCache()
                units.units = store.current
                units.chapterFiles = store.currentFiles
                units.saveUnits(cachePath)
                snapshot.value = made?.0
            }
            DispatchQueue.global().async(group: saving) { work.run() }
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
            for page in cache.outputs.keys where writer.records[page] == nil && !page.split(separator: "/").contains("..") {
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
        next.snapshot = snapshot.value
        next.produced = result.produced
        if options.incremental { next.save(cachePath) }
        clock.mark("save cache")
        result.timings = clock.phases
        return result
    }
}

/// The snapshot made on another thread, handed back after `DispatchGroup.wait()`.
private final class SnapshotSlot: @unchecked Sendable {
    var value: ResolvedSnapshot?
}

/// Work that only reads state no other thread writes while it runs.
private struct UncheckedWork: @unchecked Sendable {
    let run: () -> Void
}

/// Writes changed output files and records what each file on disk now holds.
struct SiteWriter: Sendable {
    let out: String
    let previous: [String: OutputRecord]
    var records: [String: OutputRecord] = [:]
    var written: [String] = []

    init(out: String, previous: [String: OutputRecord]) {
        self.out = out
        self.previous = previous
    }

    /// Writes `files` on every core (creating files is mostly kernel time, which overlaps),
    /// each core with its own writer over its share of the files.
    static func writeAll(_ files: [OutputFile], out: String, previous: [String: OutputRecord], keys: [String: Fingerprint]) throws(FileError) -> SiteWriter {
        let lanes = files.count > 64 ? processorCount : 1
        let results = Array(0..<lanes).concurrentMap(lanes: lanes) { lane -> Result<SiteWriter, FileError> in
            var writer = SiteWriter(out: out, previous: previous)
            do {
                for i in stride(from: lane, to: files.count, by: lanes) {
                    let file = files[i]
                    if let pieces = file.splice, let hash = file.fingerprint {
                        try writer.write(pieces, size: file.spliceSize, to: file.path, key: keys[file.path] ?? .zero, hash: hash)
                    } else {
                        try writer.write(file.bytes, to: file.path, key: keys[file.path] ?? .zero, hash: file.fingerprint)
                    }
                }
                return .success(writer)
            } catch {
                return .failure((error as Any as? FileError) ?? FileError(path: out, reason: "cannot write the site"))
            }
        }
        var merged = SiteWriter(out: out, previous: previous)
        var written: Set<String> = []
        for result in results {
            let w = try result.get()
            merged.records.merge(w.records) { a, _ in a }
            written.formUnion(w.written)
        }
        // Keep the order the pages were produced in.
        merged.written = files.map(\.path).filter { written.contains($0) }
        return merged
    }

    /// Writes a spliced output (pieces copied from the file it replaces), unless the file
    /// is already what it would be.
    mutating func write(_ pieces: [SplicePiece], size: Int, to relative: String, key: Fingerprint, hash: Fingerprint) throws(FileError) {
        let path = FileSystem.join(out, relative)
        if keepIfRecorded(relative, path: path, key: key, hash: hash, stamp: FileStamp.of(path)) { return }
        try OutputWriter.put(pieces, to: path)
        recordWritten(relative, path: path, key: key, hash: hash)
    }

    mutating func write(_ bytes: [UInt8], to relative: String, key: Fingerprint, hash known: Fingerprint? = nil) throws(FileError) {
        let path = FileSystem.join(out, relative)
        let hash = known ?? FingerprintHasher.of(bytes)
        let stamp = FileStamp.of(path)
        if keepIfRecorded(relative, path: path, key: key, hash: hash, stamp: stamp) { return }
        // No record of the file as it is (first build, cache lost, file changed by someone
        // else): compare with what is there. With a record, a different hash means different bytes.
        let recorded = previous[relative].map { $0.stamp == stamp } ?? false
        if !recorded, let stamp, stamp.size == bytes.count, let existing = try? FileSystem.readBytes(path), existing == bytes {
            records[relative] = OutputRecord(key: key, hash: hash, stamp: stamp)
            return
        }
        try OutputWriter.put(bytes, to: path)
        recordWritten(relative, path: path, key: key, hash: hash)
    }

    /// The file is what we wrote last time, and the new content is the same: leave it.
    private mutating func keepIfRecorded(_ relative: String, path: String, key: Fingerprint, hash: Fingerprint, stamp: FileStamp?) -> Bool {
        guard let record = previous[relative], record.hash == hash, let stamp, stamp == record.stamp else { return false }
        records[relative] = OutputRecord(key: key, hash: hash, stamp: stamp)
        return true
    }

    private mutating func recordWritten(_ relative: String, path: String, key: Fingerprint, hash: Fingerprint) {
        written.append(relative)
        if let stamp = FileStamp.of(path) {
            records[relative] = OutputRecord(key: key, hash: hash, stamp: stamp)
        }
    }
}

/// Every input file's stamp and content hash, re-reading only files whose stamp changed.
struct InputScan {
    let previous: [String: InputRecord]
    var records: [String: InputRecord] = [:]

    init(previous: [String: InputRecord]) {
        self.previous = previous
    }

    mutating func visit(_ directory: String, relative: String) {
        for name in FileSystem.list(directory) {
            let path = FileSystem.join(directory, name)
            let rel = relative + "/" + name
            if FileSystem.isDirectory(path) {
                visit(path, relative: rel)
                continue
            }
            guard let stamp = FileStamp.of(path) else { continue }
            if let old = previous[rel], old.stamp == stamp {
                records[rel] = old
            } else if let bytes = try? FileSystem.readBytes(path) {
                records[rel] = InputRecord(stamp: stamp, hash: FingerprintHasher.of(bytes))
            }
        }
    }

    /// The fingerprint of the whole build: every input, option and the kitbag binary.
    func key(paths: ProjectPaths, options: HandbookCompiler.Options) -> Fingerprint {
        var h = FingerprintHasher()
        h.add(FastRebuild.optionsKey(paths: paths, options: options))
        for (path, record) in records.sorted(by: { $0.key < $1.key }) {
            h.add(path)
            h.add(record.hash)
        }
        return h.finish()
    }

    /// The fingerprint of the curriculum files alone (for generated directives).
    var curriculumKey: Fingerprint {
        var h = FingerprintHasher()
        for (path, record) in records.sorted(by: { $0.key < $1.key }) where path.hasPrefix("Curriculum/") {
            h.add(path)
            h.add(record.hash)
        }
        return h.finish()
    }
}

// MARK: - Rendering on every core

extension SiteBuilder {
    /// Renders the chapters that need it before the pages are assembled, spread over every
    /// core: a chapter's page content and its part of the one-page edition come from the same
    /// unit, so each task owns one unit's cmark tree and nothing else is written to.
    func prerenderChapters() {
        let all = chapters
        var work: [Job] = all.enumerated().map { Job(page: $1.page, unit: $1.unit, item: nil, position: $0) }
        if let g = h.glossaryUnit { work.append(Job(page: "glossary.html", unit: g, item: nil)) }
        work += h.curriculum.items.map { Job(page: $0.pagePath, unit: h.curriculumUnits[$0.id], item: $0) }
        work = work.filter { !plan.skips($0.page) || plan.needsOnePage($0.page) }
        guard !work.isEmpty else { return }
        let shared = Shared(builder: self, work: work, chapters: all)
        // Chapters the plan skips are done already; each rendered chapter counts once finished.
        shared.done = all.count - work.filter { $0.position != nil }.count
        DispatchQueue.concurrentPerform(iterations: work.count) { i in
            let b = shared.builder
            let job = shared.work[i]
            defer {
                if job.position != nil, let progress = b.progress {
                    let done = shared.lock.locked { shared.done += 1; return shared.done }
                    progress(done, all.count)
                }
            }
            if let info = job.item {
                // A curriculum item: its page content and its section of the one-page edition.
                if !b.plan.skips(job.page) {
                    let context = LinkContext(page: info.pagePath, singlePage: false)
                    b.plan.keep(job.page, main: CurriculumPages.itemContent(info, handbook: b.h, renderers: b.renderers, context: context, level: 1))
                }
                if b.plan.needsOnePage(job.page) {
                    let context = LinkContext(page: "handbook.html", singlePage: true)
                    b.plan.keep(job.page, sectionText: [], onePage: CurriculumPages.itemContent(info, handbook: b.h, renderers: b.renderers, context: context, level: 2))
                }
                return
            }
            guard let unit = job.unit, let renderer = b.renderers[unit] else { return }
            if !b.plan.skips(job.page) {
                let content = renderer.render(LinkContext(page: job.page, singlePage: false))
                if let position = job.position {
                    // A chapter: the whole page is put together here, on this core.
                    let all = shared.chapters
                    let chapter = all[position]
                    let previous = position > 0 ? (all[position - 1].page, "Chapter \(all[position - 1].number): \(all[position - 1].title)") : nil
                    let next = position + 1 < all.count ? (all[position + 1].page, "Chapter \(all[position + 1].number): \(all[position + 1].title)") : nil
                    let page = SiteBuilder.chapterPage(content: content, number: chapter.number, title: chapter.title, page: chapter.page,
                                                       origin: b.h.chapterOrigins[chapter.index], sections: renderer.resolved.sections,
                                                       previous: previous, next: next,
                                                       hasGlossary: b.h.glossaryUnit != nil, book: b.h.book)
                    b.plan.keep(job.page, pageBytes: Array(page.utf8))
                } else {
                    b.plan.keep(job.page, main: content)
                }
            }
            if b.plan.needsOnePage(job.page) {
                let part = renderer.render(LinkContext(page: "handbook.html", singlePage: true))
                b.plan.keep(job.page, sectionText: renderer.sectionText, onePage: part)
            }
        }
    }

    /// One page built from one unit.
    struct Job {
        var page: String
        var unit: Int?
        var item: ItemInfo?
        /// A chapter's place in the book.
        var position: Int? = nil
    }

    /// The builder as seen from the worker threads: read-only apart from each task's own unit.
    private final class Shared: @unchecked Sendable {
        let builder: SiteBuilder
        let work: [Job]
        let chapters: [(index: Int, unit: Int, page: String, title: String, number: Int)]
        let lock = PageLock()
        var done = 0
        init(builder: SiteBuilder, work: [Job], chapters: [(index: Int, unit: Int, page: String, title: String, number: Int)]) {
            self.builder = builder
            self.chapters = chapters
            self.work = work
        }
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
