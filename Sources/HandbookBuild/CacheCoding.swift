import CurriculumKit
import Dispatch
import HandbookKit
import KitbagCore


extension ByteWriter {
    mutating func stamp(_ s: FileStamp) { int(s.size); int(s.seconds); int(s.nanoseconds); int(s.inode) }

    /// The header every cache file starts with.
    mutating func header() {
        bytes.append(contentsOf: BuildCache.magic)
        int(BuildCache.formatVersion)
        fingerprint(BuildCache.toolIdentity)
    }

    /// The trailer: a torn file (no trailer) is ignored.
    mutating func trailer() {
        fingerprint(FingerprintHasher.of(bytes))
    }

    /// The core file: inputs, outputs, spliced parts, diagnostics and the snapshot's chapters.
    mutating func write(core c: BuildCache) {
        header()
        fingerprint(c.inputsKey)
        int(c.produced)
        int(c.diagnostics.count); c.diagnostics.forEach { diagnostic($0) }
        int(c.inputs.count)
        for (path, r) in c.inputs.sorted(by: { $0.key < $1.key }) { string(path); stamp(r.stamp); fingerprint(r.hash) }
        int(c.outputs.count)
        for (path, r) in c.outputs.sorted(by: { $0.key < $1.key }) { string(path); fingerprint(r.key); fingerprint(r.hash); stamp(r.stamp) }
        int(c.segments.count)
        for (path, list) in c.segments.sorted(by: { $0.key < $1.key }) {
            string(path)
            int(list.count)
            for segment in list { segment.encode(into: &self) }
        }
        bool(c.snapshot != nil)
        if let snap = c.snapshot {
            fingerprint(snap.optionsKey)
            bool(snap.hasGlossary)
            int(snap.chapters.count)
            for ch in snap.chapters {
                string(ch.relativePath); string(ch.page); string(ch.title); optionalString(ch.origin); optionalString(ch.explicitID)
                fingerprint(ch.fileKey); fingerprint(ch.unitKey); fingerprint(ch.structureKey)
            }
        }
        trailer()
    }

    /// A list of output paths (the `.outputs` file).
    mutating func write(paths: [String]) {
        header()
        int(paths.count)
        for path in paths { string(path) }
        trailer()
    }

    /// The units file: every unit's walk and every chapter file's front matter, by content.
    mutating func write(units c: BuildCache) {
        header()
        int(c.units.count)
        for (key, u) in c.units {
            fingerprint(key)
            u.encode(into: &self)
        }
        int(c.chapterFiles.count)
        for (key, f) in c.chapterFiles {
            fingerprint(key)
            f.encode(into: &self)
        }
        trailer()
    }

    /// A target as a record of the contexts file lists it: its ID, then its `TargetInfo`.
    mutating func write(targetID id: String, _ t: ResolvedSnapshot.TargetInfo) {
        string(id); string(t.kind); string(t.text); string(t.page); optionalString(t.anchor); bool(t.isSuffixedSlug); optionalString(t.runningText)
    }

    /// One chapter's render context (a record of the contexts file), with the targets it
    /// shows copied from `targets` (`x.targets` is not read).
    mutating func write(context x: ChapterContext, shown: [Int], targets: EncodedTargets) {
        fingerprint(x.structureKey)
        int(x.headingIDs.count)
        for (id, number) in zip(x.headingIDs, x.headingNumbers) { string(id); optionalString(number) }
        int(x.linkKinds.count)
        for (kind, value) in zip(x.linkKinds, x.linkValues) { int(kind); string(value) }
        int(shown.count)
        targets.bytes.bytes.withUnsafeBufferPointer { all in
            for n in shown { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: all[targets.ranges[n]])) }
        }
        int(x.backReferences.count)
        for (id, refs) in x.backReferences {
            string(id)
            int(refs.count); refs.forEach { string($0) }
        }
    }

    /// The contexts file: an index (chapter file -> place) and then one record per chapter,
    /// so that a reader parses only the chapters it needs.
    mutating func write(contexts: ContextsToWrite) {
        var records = ByteWriter()
        // About 8 KB a chapter: reserved once, not regrown (and copied) as it fills.
        records.bytes.reserveCapacity(contexts.records.count * 8192)
        var index: [(String, Int, Int)] = []
        index.reserveCapacity(contexts.records.count)
        for record in contexts.records {
            let start = records.bytes.count
            records.write(context: record.context, shown: record.shown, targets: contexts.targets)
            index.append((record.path, start, records.bytes.count - start))
        }
        header()
        bytes.reserveCapacity(bytes.count + index.count * 48 + records.bytes.count + 64)
        int(index.count)
        for (path, offset, length) in index { string(path); int(offset); int(length) }
        int(records.bytes.count)
        bytes.append(contentsOf: records.bytes)
        trailer()
    }
}

extension ByteReader {
    mutating func stamp() throws(ByteFormatError) -> FileStamp {
        FileStamp(size: try int(), seconds: try int(), nanoseconds: try int(), inode: try int())
    }

    /// Checks the header and the trailer (the fingerprint of everything before it); returns
    /// where the body ends.
    mutating func open(anyTool: Bool = false) throws(ByteFormatError) -> Int {
        guard bytes.count > BuildCache.magic.count + 16, bytes.starts(with: BuildCache.magic) else { throw ByteFormatError() }
        let bodyEnd = bytes.count - 16
        var trailer = ByteReader(Array(bytes[bodyEnd...]))
        let expected = bytes.withUnsafeBytes { raw in
            var h = FingerprintHasher()
            h.add(UnsafeRawBufferPointer(rebasing: raw[..<bodyEnd]))
            return h.finish()
        }
        guard try trailer.fingerprint() == expected else { throw ByteFormatError() }
        at = BuildCache.magic.count
        guard try int() == BuildCache.formatVersion else { throw ByteFormatError() }
        let tool = try fingerprint()
        guard anyTool || tool == BuildCache.toolIdentity else { throw ByteFormatError() }
        return bodyEnd
    }

    mutating func readCore() throws(ByteFormatError) -> BuildCache {
        let bodyEnd = try open()
        var c = BuildCache()
        c.inputsKey = try fingerprint()
        c.produced = try int()
        for _ in 0..<(try count()) { c.diagnostics.append(try diagnostic()) }
        // Each table is sized once from its count (never more than the bytes left: `count()`),
        // not grown by doubling: a no-op build is mostly this file and the stamps it holds.
        let inputs = try count()
        c.inputs.reserveCapacity(inputs)
        for _ in 0..<inputs {
            let path = try string()
            c.inputs[path] = InputRecord(stamp: try stamp(), hash: try fingerprint())
        }
        let outputs = try count()
        c.outputs.reserveCapacity(outputs)
        for _ in 0..<outputs {
            let path = try string()
            c.outputs[path] = OutputRecord(key: try fingerprint(), hash: try fingerprint(), stamp: try stamp())
        }
        let segments = try count()
        c.segments.reserveCapacity(segments)
        for _ in 0..<segments {
            let path = try string()
            var list: [Segment] = []
            for _ in 0..<(try count()) {
                list.append(try Segment(from: &self))
            }
            c.segments[path] = list
        }
        if try bool() {
            let optionsKey = try fingerprint()
            let hasGlossary = try bool()
            var chapters: [ResolvedSnapshot.Chapter] = []
            for _ in 0..<(try count()) {
                chapters.append(ResolvedSnapshot.Chapter(
                    relativePath: try string(), page: try string(), title: try string(), origin: try optionalString(),
                    explicitID: try optionalString(), fileKey: try fingerprint(), unitKey: try fingerprint(), structureKey: try fingerprint()))
            }
            c.snapshot = ResolvedSnapshot(optionsKey: optionsKey, chapters: chapters, hasGlossary: hasGlossary)
        }
        guard at == bodyEnd else { throw ByteFormatError() }
        return c
    }

    /// A list of output paths, written by any kitbag binary.
    mutating func readPaths() throws(ByteFormatError) -> [String] {
        let bodyEnd = try open(anyTool: true)
        var paths: [String] = []
        for _ in 0..<(try count()) { paths.append(try string()) }
        guard at == bodyEnd else { throw ByteFormatError() }
        return paths
    }

    mutating func readUnits(into c: inout BuildCache) throws(ByteFormatError) {
        let bodyEnd = try open()
        var units: [Fingerprint: UnitSummary] = [:]
        var files: [Fingerprint: ChapterFileSummary] = [:]
        for _ in 0..<(try count()) {
            let key = try fingerprint()
            units[key] = try UnitSummary(from: &self)
        }
        for _ in 0..<(try count()) {
            let key = try fingerprint()
            files[key] = try ChapterFileSummary(from: &self)
        }
        guard at == bodyEnd else { throw ByteFormatError() }
        c.units = units
        c.chapterFiles = files
    }

    /// The render contexts of the chapter files in `wanted`, and nothing else.
    mutating func readContexts(_ wanted: Set<String>) throws(ByteFormatError) -> [String: ChapterContext] {
        let bodyEnd = try open()
        var index: [String: (Int, Int)] = [:]
        for _ in 0..<(try count()) {
            let path = try string()
            index[path] = (try int(), try int())
        }
        let recordsLength = try count()
        let recordsStart = at
        guard recordsStart + recordsLength == bodyEnd else { throw ByteFormatError() }
        var result: [String: ChapterContext] = [:]
        for path in wanted {
            guard let (offset, length) = index[path], offset >= 0, length >= 0, offset <= recordsLength, length <= recordsLength - offset else { continue }
            at = recordsStart + offset
            var x = ChapterContext(structureKey: try fingerprint())
            for _ in 0..<(try count()) { x.headingIDs.append(try string()); x.headingNumbers.append(try optionalString()) }
            for _ in 0..<(try count()) { x.linkKinds.append(try int()); x.linkValues.append(try string()) }
            for _ in 0..<(try count()) {
                let id = try string()
                x.targets[id] = ResolvedSnapshot.TargetInfo(kind: try string(), text: try string(), page: try string(), anchor: try optionalString(),
                                                            isSuffixedSlug: try bool(), runningText: try optionalString())
            }
            for _ in 0..<(try count()) {
                let id = try string()
                var refs: [String] = []
                for _ in 0..<(try count()) { refs.append(try string()) }
                x.backReferences[id] = refs
            }
            guard at == recordsStart + offset + length else { throw ByteFormatError() }
            result[path] = x
        }
        return result
    }
}
