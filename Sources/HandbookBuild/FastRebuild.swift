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

/// The fast path of an incremental build. When the only inputs that changed are chapter
/// files, and each still has the same headings, links, directives (tables only) and front
/// matter values, nothing that any other page shows can have changed: the resolved book is
/// the last build's. Then only those chapters are parsed and rendered, their parts of
/// `handbook.html` and `search-index.js` are replaced in place, and everything else stays.
/// Any other edit, a diagnostic anywhere, or an output not as the last build left it, falls
/// back to the full incremental build, which is never stale.
enum FastRebuild {
    /// The build options and tool the resolved book depends on besides the input files.
    static func optionsKey(paths: ProjectPaths, options: HandbookCompiler.Options) -> Fingerprint {
        var h = FingerprintHasher()
        h.add(BuildCache.toolIdentity)
        h.add(paths.displayPrefix)
        h.add(paths.root)
        h.add(options.unsafeHTML)
        // Each site edition has a cache of its own (its own output folder), keyed by its site.
        h.add(options.edition?.site.id)
        h.add(options.changes.count)
        for c in options.changes {
            h.add(c.date); h.add(c.target); h.add(c.summary); h.add(c.group); h.add(c.round); h.add(c.proposal)
        }
        return h.finish()
    }

    /// A chapter re-read and re-rendered by the fast path.
    private struct Edited {
        var index: Int
        var unitKey: Fingerprint
        var fileKey: Fingerprint
        var page: [UInt8]
        var onePagePart: [UInt8]
        var searchPart: [UInt8]
    }

    /// Rebuilds the site the fast way, or returns nil when the edit is not one it can take.
    static func attempt(paths: ProjectPaths, options: HandbookCompiler.Options, cache: BuildCache, inputs: InputScan,
                        inputsKey: Fingerprint, cachePath: String, out: String, extraDiagnostics: [Diagnostic],
                        clock: inout PhaseClock) -> HandbookCompiler.Result? {
        guard options.incremental, let snapshot = cache.snapshot, cache.diagnostics.isEmpty, extraDiagnostics.isEmpty,
              snapshot.optionsKey == optionsKey(paths: paths, options: options),
              Set(cache.inputs.keys) == Set(inputs.records.keys) else { return nil }
        let changed = inputs.records.filter { cache.inputs[$0.key]?.hash != $0.value.hash }.map(\.key)
        var edited: [Int] = []
        for path in changed {
            guard let index = snapshot.chapters.firstIndex(where: { $0.relativePath == path }) else { return nil }
            edited.append(index)
        }
        // Every output must still be the file the last build wrote.
        for (path, record) in cache.outputs where FileStamp.of(FileSystem.join(out, path)) != record.stamp { return nil }

        var bag = DiagnosticBag()
        let book = Book.load(paths, into: &bag)
        let sources = HandbookSources.scan(paths, into: &bag)
        guard bag.all.isEmpty, sources.chapters.map(\.relativePath) == snapshot.chapters.map(\.relativePath) else { return nil }

        // What rendering the edited chapters reads from the last build's resolution: the
        // same renderer as a full build's, given each chapter's context from the cache.
        let contexts = BuildCache.loadContexts(cachePath, for: Set(edited.map { snapshot.chapters[$0].relativePath }))
        var targets: [String: Target] = [:]
        var backReferences: [String: [BackReference]] = [:]
        let nowhere = SourceLocation(file: "", line: 1, column: 1)
        for index in edited {
            let chapter = snapshot.chapters[index]
            guard let context = contexts[chapter.relativePath], context.structureKey == chapter.structureKey else { return nil }
            for (id, t) in context.targets {
                guard let kind = TargetKind(rawValue: t.kind) else { return nil }
                targets[id] = Target(id: id, kind: kind, text: t.text, page: t.page, anchor: t.anchor, location: nowhere,
                                     isSuffixedSlug: t.isSuffixedSlug, runningText: t.runningText)
            }
            for (id, refs) in context.backReferences { backReferences[id] = refs.map { BackReference(fromID: $0) } }
        }
        let targetIndex = TargetIndex(targets: targets, backReferences: backReferences)
        let images = sources.imageDataURIs(paths)

        var results: [Edited] = []
        for index in edited.sorted() {
            let chapter = snapshot.chapters[index]
            guard let (source, frontMatter, readDiagnostics) = HandbookLoader.readChapter(paths, chapter.relativePath),
                  readDiagnostics.isEmpty else { return nil }
            var reader = FrontMatterReader(frontMatter, file: source, schema: HandbookLoader.chapterSchema)
            guard reader.string("origin") == chapter.origin, reader.string("id") == chapter.explicitID,
                  reader.diagnostics.isEmpty else { return nil }
            guard reader.string("component") == nil || reader.string("component") == "core" || reader.string("component") == "adaptable" else { return nil }
            let edition = UnitEdition(values: SiteValues.neutral(book))
            let (unit, tree) = ParsedUnit.load(kind: .chapter(index: index), source: source, relativePath: chapter.relativePath,
                                               body: frontMatter.body, unsafeHTML: options.unsafeHTML, edition: edition)
            guard let context = contexts[chapter.relativePath], unit.diagnostics.isEmpty,
                  unit.structureKey == chapter.structureKey, unit.directives.allSatisfy({ $0.name == "table" }),
                  unit.headings.count == context.headingIDs.count, unit.links.count == context.linkKinds.count else { return nil }
            let links = zip(context.linkKinds, context.linkValues).map { kind, value -> ResolvedLink? in
                switch kind {
                case 1: return .target(value)
                case 2: return .image(value)
                default: return nil
                }
            }
            var tables: [Int: TableDirective] = [:]
            for (d, directive) in unit.directives.enumerated() {
                guard let table = HandbookResolver.parseTable(directive, unit: unit, number: "\(index + 1).\(d + 1)", bag: &bag) else { return nil }
                tables[d] = table
            }
            guard bag.all.isEmpty else { return nil }
            let resolved = UnitContext(unit: unit, headings: zip(context.headingIDs, context.headingNumbers).map { ResolvedHeading(id: $0, number: $1) },
                                       links: links, tables: tables, index: targetIndex)
            let renderer = UnitRenderer(resolved, tree: tree, images: images, unsafeHTML: options.unsafeHTML)
            let content = renderer.render(LinkContext(page: chapter.page, singlePage: false))
            let part = renderer.render(LinkContext(page: "handbook.html", singlePage: true))
            let previous = index > 0 ? (snapshot.chapters[index - 1].page, "Chapter \(index): \(snapshot.chapters[index - 1].title)") : nil
            let next = index + 1 < snapshot.chapters.count
                ? (snapshot.chapters[index + 1].page, "Chapter \(index + 2): \(snapshot.chapters[index + 1].title)") : nil
            let page = SiteBuilder.chapterPage(content: content, number: index + 1, title: chapter.title, page: chapter.page,
                                               origin: chapter.origin, sections: resolved.sections, previous: previous, next: next,
                                               hasGlossary: snapshot.hasGlossary, book: book)
            let search = SiteBuilder.searchLines(renderer, page: chapter.page)
            let unitKey = UnitKey.unit(kind: .chapter(index: index), source: source, relativePath: chapter.relativePath,
                                        body: frontMatter.body, unsafeHTML: options.unsafeHTML)
                .salted(edition, names: SiteValues.placeholderNames(in: frontMatter.body))
            guard let hash = inputs.records[chapter.relativePath]?.hash else { return nil }
            let fileKey = UnitKey.chapterFile(index: index, relativePath: chapter.relativePath, displayPath: paths.display(chapter.relativePath),
                                            unsafeHTML: options.unsafeHTML, contentHash: hash)
            results.append(Edited(index: index, unitKey: unitKey, fileKey: fileKey,
                                  page: page, onePagePart: Array(part.utf8), searchPart: Array(search.utf8)))
        }
        clock.mark("fast rebuild: render")

        // Write: the edited pages, and the two spliced files with their parts replaced.
        var next = cache
        var written: [String] = []
        do {
            for e in results {
                let chapter = snapshot.chapters[e.index]
                let hash = FingerprintHasher.of(e.page)
                let fakeKey = changedKey(cache.outputs[chapter.page]?.key, e.unitKey)
                if cache.outputs[chapter.page]?.hash != hash {
                    try OutputWriter.put(e.page, to: FileSystem.join(out, chapter.page))
                    written.append(chapter.page)
                }
                guard let stamp = FileStamp.of(FileSystem.join(out, chapter.page)) else { return nil }
                next.outputs[chapter.page] = OutputRecord(key: fakeKey, hash: hash, stamp: stamp)
            }
            for (file, part) in [("handbook.html", \Edited.onePagePart), ("search-index.js", \Edited.searchPart)] {
                var replacements: [String: [UInt8]] = [:]
                for e in results { replacements[snapshot.chapters[e.index].page] = e[keyPath: part] }
                if try splice(file, replacements: replacements, out: out, cache: cache, next: &next) { written.append(file) }
            }
        } catch {
            return nil  // the full build will try again, and report a failure properly
        }

        // The cache, as a full build would leave it.
        next.inputs = inputs.records
        next.inputsKey = inputsKey
        // The units file is left as it is: the next full build parses the edited chapters
        // again (their new content has no entry there), and stale entries are never matched.
        var snap = snapshot
        for e in results {
            snap.chapters[e.index].fileKey = e.fileKey
            snap.chapters[e.index].unitKey = e.unitKey
        }
        next.snapshot = snap
        clock.mark("fast rebuild: write")
        next.save(cachePath)
        clock.mark("save cache")
        var result = HandbookCompiler.Result(diagnostics: [])
        result.written = written
        result.produced = cache.produced
        result.timings = clock.phases
        return result
    }

    /// A key that never equals a real render key: the next full build renders the page again
    /// (and finds the same bytes), while this build knows what changed.
    static func changedKey(_ old: Fingerprint?, _ unitKey: Fingerprint) -> Fingerprint {
        var h = FingerprintHasher()
        h.add("fast rebuild")
        if let old { h.add(old) }
        h.add(unitKey)
        return h.finish()
    }

    /// Replaces the parts of a spliced output named in `replacements`, copying everything else
    /// from the file as it is; updates its record and segment table in `next`. Returns
    /// whether the file changed.
    static func splice(_ file: String, replacements: [String: [UInt8]], out: String, cache: BuildCache, next: inout BuildCache) throws(FileError) -> Bool {
        guard !replacements.isEmpty else { return false }
        guard let record = cache.outputs[file], let segments = cache.segments[file] else {
            throw FileError(path: file, reason: "no record of the last build's parts")
        }
        let ordered = segments.sorted { $0.offset < $1.offset }
        var pieces: [SplicePiece] = []
        var newSegments: [Segment] = []
        var position = 0      // in the old file
        var shift = 0         // new offset minus old offset
        var changed = false
        var fileHash = FingerprintHasher()
        fileHash.add(record.hash)
        for segment in ordered {
            guard segment.offset >= position else { throw FileError(path: file, reason: "overlapping parts") }
            var updated = segment
            updated.offset += shift
            if let bytes = replacements[segment.page] {
                let hash = FingerprintHasher.of(bytes)
                if hash != segment.hash {
                    if segment.offset > position { pieces.append(.copy(offset: position, length: segment.offset - position)) }
                    pieces.append(.bytes(bytes))
                    position = segment.offset + segment.length
                    shift += bytes.count - segment.length
                    updated.length = bytes.count
                    updated.hash = hash
                    changed = true
                    fileHash.add(segment.page)
                    fileHash.add(hash)
                }
                updated.key = changedKey(segment.key, hash)
            }
            newSegments.append(updated)
        }
        next.segments[file] = newSegments
        guard changed else { return false }
        if position < record.stamp.size { pieces.append(.copy(offset: position, length: record.stamp.size - position)) }
        let path = FileSystem.join(out, file)
        try OutputWriter.put(pieces, to: path)
        guard let stamp = FileStamp.of(path) else { throw FileError(path: path, reason: "cannot read back") }
        next.outputs[file] = OutputRecord(key: record.key, hash: fileHash.finish(), stamp: stamp)
        return true
    }
}
