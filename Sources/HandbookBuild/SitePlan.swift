import CurriculumKit
import Dispatch
import HandbookKit
import KitbagCore

/// Which chapters the site builder can skip or reuse, from render keys: a chapter's key
/// covers its unit's text and every resolved value it shows (its numbers and IDs, the text,
/// page and anchor of every target it links to, the places that refer to each of its
/// headings and tables, generated directives' inputs). A changed title or number changes the
/// key of exactly the chapters that show it, so those, and only those, are rendered again.
struct SitePlan: RenderPlan {
    /// Render key per chapter page (the page shell included: title, neighbours, book).
    private(set) var pageKeys: [String: Fingerprint] = [:]
    /// Render key per chapter page of the unit alone (its part of the one-page edition).
    private(set) var unitKeys: [String: Fingerprint] = [:]
    /// Pages whose file on disk is current: not rendered, not written.
    private(set) var skippedPages: [String] = []
    private var skip: Set<String> = []
    /// Parts of the last build's `handbook.html` and `search-index.js` whose key still matches.
    private var oldOnePage: [String: Segment] = [:]
    private var oldSearch: [String: Segment] = [:]
    /// Each target's text, page and anchor as one fingerprint (render keys read them often).
    private var targetPrints: [String: Fingerprint] = [:]
    /// Each image's content fingerprint (the one-page edition carries images as data URIs).
    private var imageHashes: [String: Fingerprint] = [:]
    /// Whole pages, one-page parts and search lines taken from the shared edition's rendering.
    private var sharedPages: [String: [UInt8]] = [:]
    private var sharedOnePage: [String: RenderedPart] = [:]
    private var sharedSearch: [String: RenderedPart] = [:]

    /// The keys of every page of `h`; the pages whose file on disk has the same key (the
    /// cache records it) are skipped, and those whose key equals the shared edition's in this
    /// run (`shared`) are taken from its rendering. Keys are worked out when the build is
    /// incremental, takes pages from the shared edition, or lends them (`keysForEditions`).
    init(handbook h: Handbook, cache: BuildCache, outDirectory: String, inputs: InputScan, options: HandbookCompiler.Options,
         shared: SharedRenderings? = nil, keysForEditions: Bool = false) {
        guard options.incremental || shared != nil || keysForEditions else { return }
        var base = FingerprintHasher()
        base.add(BuildCache.toolIdentity)
        base.add(options.unsafeHTML)
        base.add(h.book.title); base.add(h.book.language); base.add(h.book.edition)
        // `--since` marks sections in every page (the same marks in every edition of a run).
        if let since = h.changesSince {
            base.add(since.revision)
            for id in since.changed.sorted() { base.add(id) }
            base.add("added")
            for id in since.added.sorted() { base.add(id) }
        }
        let baseKey = base.finish()
        let curriculumKey: Fingerprint = {
            var c = FingerprintHasher()
            c.add(inputs.curriculumKey)
            for change in h.changes {
                c.add(change.date); c.add(change.target); c.add(change.summary); c.add(change.group); c.add(change.round)
                add(target: change.target, h, to: &c)
            }
            // The provenance table of {changes}: every chapter's origin and the targets it links to.
            for index in h.chapterUnits.indices {
                c.add(h.chapterOrigins[index])
                if let id = h.chapterID(index) { add(target: id, h, to: &c) }
            }
            return c.finish()
        }()
        let chapters = h.chapterUnits.enumerated().map { index, unit -> (page: String, title: String) in
            let title = h.chapterHeading(index).map { h.units[unit].headings[$0].title } ?? h.sources.chapters[index].stem
            return (h.sources.chapters[index].pageName, "Chapter \(index + 1): \(title)")
        }
        // Keys for every page built from one unit: chapters, the glossary, curriculum items.
        func pageKey(_ unitKey: Fingerprint, _ parts: [String]) -> Fingerprint {
            var p = FingerprintHasher()
            p.add(unitKey)
            for part in parts { p.add(part) }
            return p.finish()
        }
        // Every target's shown text, page and anchor, hashed once (unit keys read them often).
        let ids = Array(h.targets.keys)
        let hashed = ids.concurrentMap { id -> Fingerprint? in
            h.targets[id].map { t in
                var p = FingerprintHasher()
                p.add(t.text); p.add(t.page); p.add(t.anchor); p.add(t.runningText)
                return p.finish()
            }
        }
        var prints: [String: Fingerprint] = [:]
        prints.reserveCapacity(ids.count)
        for (id, print) in zip(ids, hashed) { prints[id] = print }
        targetPrints = prints
        // The one-page edition carries images as data URIs: their content is part of the key.
        for name in h.sources.images { imageHashes[name] = inputs.records["Handbook/images/" + name]?.hash }
        // Unit keys read the resolved book only; they are worked out on every core.
        let keys = self
        let chapterUnitKeys = Array(h.chapterUnits.enumerated()).concurrentMap { index, u in
            keys.unitKey(u, index: index, h, base: baseKey, curriculum: curriculumKey)
        }
        for (index, _) in h.chapterUnits.enumerated() {
            let page = chapters[index].page
            let unitKey = chapterUnitKeys[index]
            unitKeys[page] = unitKey
            pageKeys[page] = pageKey(unitKey, [
                page, chapters[index].title,
                index > 0 ? chapters[index - 1].page + "\n" + chapters[index - 1].title : "contents",
                index + 1 < chapters.count ? chapters[index + 1].page + "\n" + chapters[index + 1].title : (h.glossaryUnit != nil ? "glossary" : "end"),
            ])
        }
        if let g = h.glossaryUnit {
            let unitKey = self.unitKey(g, index: -1, h, base: baseKey, curriculum: curriculumKey)
            unitKeys["glossary.html"] = unitKey
            pageKeys["glossary.html"] = pageKey(unitKey, ["glossary", chapters.last.map { $0.page + "\n" + $0.title } ?? "none"])
        }
        let items = h.curriculum.items
        // An item's page reads the curriculum, the places that refer to it and its own text.
        let itemKeys = items.concurrentMap { info -> Fingerprint in
            var k = FingerprintHasher()
            k.add(curriculumKey)
            k.add(baseKey)
            k.add(info.id)
            keys.add(target: info.id, h, to: &k)
            keys.addBackReferences(of: info.id, h, to: &k)
            for ref in h.backReferences[info.id] ?? [] { k.add(h.targets[ref.fromID]?.kind.rawValue) }
            if let u = h.curriculumUnits[info.id] { k.add(keys.unitKey(u, index: -1, h, base: baseKey, curriculum: curriculumKey)) }
            return k.finish()
        }
        for (position, info) in items.enumerated() {
            let unitKey = itemKeys[position]
            unitKeys[info.pagePath] = unitKey
            pageKeys[info.pagePath] = pageKey(unitKey, [
                info.pagePath,
                position > 0 ? items[position - 1].pagePath + "\n" + (h.targets[items[position - 1].id]?.text ?? "") : "first",
                position + 1 < items.count ? items[position + 1].pagePath + "\n" + (h.targets[items[position + 1].id]?.text ?? "") : "last",
            ])
        }
        // The table of contents (index.html and the one-page edition) shows every chapter's
        // and section's number and title; the index page adds the preface and the first chapter.
        var toc = FingerprintHasher()
        toc.add(baseKey)
        toc.add(h.glossaryUnit != nil)
        // A site edition's contents link its adaptations.
        toc.add(h.edition != nil)
        for unit in h.chapterUnits {
            for (heading, resolved) in zip(h.units[unit].headings, h.headings(unit)) where heading.level <= 2 {
                toc.add(heading.level)
                add(target: resolved.id, h, to: &toc)
            }
        }
        let tocKey = toc.finish()
        unitKeys[SiteBuilder.tocPart] = tocKey
        var index = FingerprintHasher()
        index.add(tocKey)
        if let p = h.prefaceUnit { index.add(self.unitKey(p, index: -1, h, base: baseKey, curriculum: curriculumKey)) }
        index.add(chapters.first.map { $0.page + "\n" + $0.title })
        index.add(h.book.subtitle)
        index.add(h.book.authors.joined(separator: "\n"))
        // A site edition's title page names the site and counts its adaptations.
        if let edition = h.edition {
            index.add(edition.site.id); index.add(edition.site.name); index.add(edition.site.trust); index.add(edition.adapted.count)
        }
        pageKeys["index.html"] = index.finish()
        for (page, key) in pageKeys {
            if let output = cache.outputs[page], output.key == key,
               FileStamp.of(FileSystem.join(outDirectory, page)) == output.stamp {
                skip.insert(page)
                skippedPages.append(page)
            }
        }
        skippedPages.sort()
        oldOnePage = Self.reusableParts(of: "handbook.html", cache: cache, outDirectory: outDirectory, keys: unitKeys)
        oldSearch = Self.reusableParts(of: "search-index.js", cache: cache, outDirectory: outDirectory, keys: unitKeys)
        if let shared { borrow(from: shared) }
    }

    /// Takes every page, one-page part and search part whose key equals the shared edition's:
    /// equal keys, equal bytes.
    private mutating func borrow(from shared: SharedRenderings) {
        for (page, key) in pageKeys where !skip.contains(page) {
            if let bytes = shared.page(page, key: key) { sharedPages[page] = bytes }
        }
        for (page, key) in unitKeys {
            if oldOnePage[page] == nil, let text = shared.onePage(page, key: key) { sharedOnePage[page] = text }
            // A curriculum item's search entry comes from its text, not from rendering.
            if oldSearch[page] == nil, !page.hasPrefix("curriculum/"), let lines = shared.search(page, key: key) { sharedSearch[page] = lines }
        }
    }

    /// How many pages and parts were taken from the shared edition.
    var sharedCount: Int { sharedPages.count + sharedOnePage.count + sharedSearch.count }

    /// What this build rendered, with its keys, for the site editions of the same run.
    func renderings(files: [OutputFile], onePage: [String: RenderedPart], search: [String: RenderedPart]) -> SharedRenderings {
        var pages: [String: (Fingerprint, [UInt8])] = [:]
        for file in files where file.splice == nil {
            if let key = pageKeys[file.path] { pages[file.path] = (key, file.bytes) }
        }
        var parts: [String: (Fingerprint, RenderedPart)] = [:]
        for (page, text) in onePage { if let key = unitKeys[page] { parts[page] = (key, text) } }
        var lines: [String: (Fingerprint, RenderedPart)] = [:]
        for (page, text) in search { if let key = unitKeys[page] { lines[page] = (key, text) } }
        return SharedRenderings(pages: pages, onePage: parts, search: lines)
    }

    /// The parts of an earlier spliced output whose key still matches, in the file as it is
    /// on disk; nothing when the file is not exactly the one the last build wrote. The bytes
    /// are not read here: the writer copies them from file to file.
    static func reusableParts(of file: String, cache: BuildCache, outDirectory: String, keys: [String: Fingerprint]) -> [String: Segment] {
        let path = FileSystem.join(outDirectory, file)
        guard let record = cache.outputs[file], let segments = cache.segments[file], !segments.isEmpty,
              let stamp = FileStamp.of(path), stamp == record.stamp else { return [:] }
        var parts: [String: Segment] = [:]
        for segment in segments where keys[segment.page] == segment.key {
            guard segment.offset >= 0, segment.length >= 0, segment.offset <= stamp.size, segment.length <= stamp.size - segment.offset else { return [:] }
            parts[segment.page] = segment
        }
        return parts
    }

    func add(target id: String, _ h: Handbook, to hasher: inout FingerprintHasher) {
        hasher.add(id)
        if let print = targetPrints[id] {
            hasher.add(print)
        } else if let t = h.targets[id] {
            hasher.add(t.text); hasher.add(t.page); hasher.add(t.anchor); hasher.add(t.runningText)
        } else {
            hasher.add("missing")
        }
    }

    func addBackReferences(of id: String, _ h: Handbook, to hasher: inout FingerprintHasher) {
        let refs = h.backReferences[id] ?? []
        hasher.add(refs.count)
        for ref in refs { add(target: ref.fromID, h, to: &hasher) }
    }

    /// Everything a chapter's rendering reads besides the page shell.
    func unitKey(_ u: Int, index: Int, _ h: Handbook, base: Fingerprint, curriculum: Fingerprint) -> Fingerprint {
        let unit = h.units[u]
        var k = FingerprintHasher()
        k.add(base)
        k.add(unit.contentKey ?? FingerprintHasher.of(unit.source.text))
        k.add(index)
        k.add(h.chapterOrigins[index])
        k.add(unit.headings.count)
        for (heading, resolved) in zip(unit.headings, h.headings(u)) {
            k.add(resolved.id); k.add(resolved.number); k.add(heading.level); k.add(heading.explicitID)
            add(target: resolved.id, h, to: &k)
            addBackReferences(of: resolved.id, h, to: &k)
        }
        let links = u < h.linkTargets.count ? h.linkTargets[u] : []
        k.add(links.count)
        for link in links {
            switch link {
            case .target(let id)?: k.add(1); add(target: id, h, to: &k)
            case .image(let name)?: k.add(2); k.add(name); k.add(imageHashes[name] ?? .zero)
            case nil: k.add(3)
            }
        }
        let tables = h.tables[u] ?? [:]
        for (d, directive) in unit.directives.enumerated() {
            k.add(directive.name)
            if let table = tables[d] {
                k.add(table.id); k.add(table.number); k.add(table.caption)
                addBackReferences(of: table.id, h, to: &k)
            } else if directive.name != "table" {
                k.add(curriculum)
            }
        }
        return k.finish()
    }

    /// Whether the page is current on disk (the builder neither renders nor writes it).
    func skips(_ page: String) -> Bool { skip.contains(page) }

    /// The page's part of the last build's one-page edition, when its key still matches.
    func oldOnePagePart(_ page: String) -> Segment? { oldOnePage[page] }

    /// The page's entries in the last build's search index, when its key still matches.
    func oldSearchPart(_ page: String) -> Segment? { oldSearch[page] }

    /// The key a page's parts are stored under (nil: the page is not keyed).
    func unitKey(_ page: String) -> Fingerprint? { unitKeys[page] }

    func sharedPage(_ page: String) -> [UInt8]? { sharedPages[page] }
    func sharedOnePagePart(_ page: String) -> RenderedPart? { sharedOnePage[page] }
    func sharedSearchLines(_ page: String) -> RenderedPart? { sharedSearch[page] }
}
