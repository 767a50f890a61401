import CurriculumKit
import Dispatch
import HandbookKit
import KitbagCore

/// A malformed cache file; never shown to the user (the cache is then ignored).
struct CacheFormatError: Error {}

struct CacheWriter {
    var bytes: [UInt8] = []

    mutating func int(_ v: Int) {
        var u = UInt64(bitPattern: Int64(v))
        while u >= 0x80 {
            bytes.append(UInt8(u & 0x7f) | 0x80)
            u >>= 7
        }
        bytes.append(UInt8(u))
    }

    mutating func u64(_ v: UInt64) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }
    mutating func fingerprint(_ f: Fingerprint) { u64(f.low); u64(f.high) }

    mutating func string(_ s: String) {
        int(s.utf8.count)
        bytes.append(contentsOf: s.utf8)
    }

    mutating func optionalString(_ s: String?) {
        bool(s != nil)
        if let s { string(s) }
    }

    mutating func blob(_ b: [UInt8]) {
        int(b.count)
        bytes.append(contentsOf: b)
    }

    mutating func stamp(_ s: FileStamp) { int(s.size); int(s.seconds); int(s.nanoseconds); int(s.inode) }

    mutating func location(_ l: SourceLocation) { string(l.file); int(l.line); int(l.column) }

    mutating func diagnostic(_ d: Diagnostic) {
        bool(d.severity == .error)
        string(d.code.rawValue)
        string(d.message)
        bool(d.location != nil)
        if let at = d.location { location(at) }
        int(d.notes.count)
        for note in d.notes {
            string(note.message)
            bool(note.location != nil)
            if let at = note.location { location(at) }
        }
    }

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
            for segment in list { string(segment.page); fingerprint(segment.key); int(segment.offset); int(segment.length); fingerprint(segment.hash) }
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
            int(u.headings.count)
            for h in u.headings {
                int(h.level); string(h.title); optionalString(h.explicitID); bool(h.unnumbered); location(h.location)
                bool(h.adaptable); int(h.gapsBefore.count); h.gapsBefore.forEach { int($0) }
            }
            int(u.links.count)
            for l in u.links { string(l.url); bool(l.isEmpty); location(l.location); int(l.section); bool(l.isImage) }
            int(u.directives.count)
            for d in u.directives { string(d.name); string(d.arguments); string(d.body); location(d.location); int(d.section) }
            int(u.diagnostics.count); u.diagnostics.forEach { diagnostic($0) }
        }
        int(c.chapterFiles.count)
        for (key, f) in c.chapterFiles {
            fingerprint(key); fingerprint(f.unitKey); optionalString(f.origin); optionalString(f.explicitID)
            bool(f.adaptable); int(f.placeholders.count); f.placeholders.forEach { string($0) }
            int(f.diagnostics.count); f.diagnostics.forEach { diagnostic($0) }
        }
        trailer()
    }

    /// One chapter's render context (a record of the contexts file).
    mutating func write(context x: ChapterContext) {
        fingerprint(x.structureKey)
        int(x.headingIDs.count)
        for (id, number) in zip(x.headingIDs, x.headingNumbers) { string(id); optionalString(number) }
        int(x.linkKinds.count)
        for (kind, value) in zip(x.linkKinds, x.linkValues) { int(kind); string(value) }
        int(x.targets.count)
        for (id, t) in x.targets {
            string(id); string(t.kind); string(t.text); string(t.page); optionalString(t.anchor); bool(t.isSuffixedSlug); optionalString(t.runningText)
        }
        int(x.backReferences.count)
        for (id, refs) in x.backReferences {
            string(id)
            int(refs.count); refs.forEach { string($0) }
        }
    }

    /// The contexts file: an index (chapter file -> place) and then one record per chapter,
    /// so that a reader parses only the chapters it needs.
    mutating func write(contexts: [(String, ChapterContext)]) {
        var records = CacheWriter()
        var index: [(String, Int, Int)] = []
        for (path, context) in contexts {
            let start = records.bytes.count
            records.write(context: context)
            index.append((path, start, records.bytes.count - start))
        }
        header()
        int(index.count)
        for (path, offset, length) in index { string(path); int(offset); int(length) }
        int(records.bytes.count)
        bytes.append(contentsOf: records.bytes)
        trailer()
    }
}

struct CacheReader {
    let bytes: [UInt8]
    var at = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func int() throws(CacheFormatError) -> Int {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard at < bytes.count, shift < 64 else { throw CacheFormatError() }
            let b = bytes[at]
            at += 1
            result |= UInt64(b & 0x7f) << shift
            if b < 0x80 { break }
            shift += 7
        }
        return Int(Int64(bitPattern: result))
    }

    mutating func count() throws(CacheFormatError) -> Int {
        let n = try int()
        guard n >= 0, n <= bytes.count - at else { throw CacheFormatError() }
        return n
    }

    mutating func u64() throws(CacheFormatError) -> UInt64 {
        guard at + 8 <= bytes.count else { throw CacheFormatError() }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[at + i]) << (8 * UInt64(i)) }
        at += 8
        return v
    }

    mutating func bool() throws(CacheFormatError) -> Bool {
        guard at < bytes.count else { throw CacheFormatError() }
        at += 1
        return bytes[at - 1] != 0
    }

    mutating func fingerprint() throws(CacheFormatError) -> Fingerprint {
        let low = try u64()
        return Fingerprint(low: low, high: try u64())
    }

    mutating func blob() throws(CacheFormatError) -> [UInt8] {
        let n = try count()
        defer { at += n }
        return Array(bytes[at..<(at + n)])
    }

    mutating func string() throws(CacheFormatError) -> String {
        let n = try count()
        defer { at += n }
        return String(decoding: bytes[at..<(at + n)], as: UTF8.self)
    }

    mutating func optionalString() throws(CacheFormatError) -> String? {
        try bool() ? try string() : nil
    }

    mutating func stamp() throws(CacheFormatError) -> FileStamp {
        FileStamp(size: try int(), seconds: try int(), nanoseconds: try int(), inode: try int())
    }

    mutating func location() throws(CacheFormatError) -> SourceLocation {
        SourceLocation(file: try string(), line: try int(), column: try int())
    }

    mutating func diagnostic() throws(CacheFormatError) -> Diagnostic {
        let isError = try bool()
        let code = Diagnostic.Code(rawValue: try string())
        let message = try string()
        let location = try bool() ? try self.location() : nil
        var notes: [Diagnostic.Note] = []
        for _ in 0..<(try count()) {
            let text = try string()
            notes.append(.init(text, at: try bool() ? try self.location() : nil))
        }
        return Diagnostic(isError ? .error : .warning, code, message, at: location, notes: notes)
    }

    /// Checks the header and the trailer (the fingerprint of everything before it); returns
    /// where the body ends.
    mutating func open(anyTool: Bool = false) throws(CacheFormatError) -> Int {
        guard bytes.count > BuildCache.magic.count + 16, bytes.starts(with: BuildCache.magic) else { throw CacheFormatError() }
        let bodyEnd = bytes.count - 16
        var trailer = CacheReader(Array(bytes[bodyEnd...]))
        let expected = bytes.withUnsafeBytes { raw in
            var h = FingerprintHasher()
            h.add(UnsafeRawBufferPointer(rebasing: raw[..<bodyEnd]))
            return h.finish()
        }
        guard try trailer.fingerprint() == expected else { throw CacheFormatError() }
        at = BuildCache.magic.count
        guard try int() == BuildCache.formatVersion else { throw CacheFormatError() }
        let tool = try fingerprint()
        guard anyTool || tool == BuildCache.toolIdentity else { throw CacheFormatError() }
        return bodyEnd
    }

    mutating func readCore() throws(CacheFormatError) -> BuildCache {
        let bodyEnd = try open()
        var c = BuildCache()
        c.inputsKey = try fingerprint()
        c.produced = try int()
        for _ in 0..<(try count()) { c.diagnostics.append(try diagnostic()) }
        for _ in 0..<(try count()) {
            let path = try string()
            c.inputs[path] = InputRecord(stamp: try stamp(), hash: try fingerprint())
        }
        for _ in 0..<(try count()) {
            let path = try string()
            c.outputs[path] = OutputRecord(key: try fingerprint(), hash: try fingerprint(), stamp: try stamp())
        }
        for _ in 0..<(try count()) {
            let path = try string()
            var list: [Segment] = []
            for _ in 0..<(try count()) {
                list.append(Segment(page: try string(), key: try fingerprint(), offset: try int(), length: try int(), hash: try fingerprint()))
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
        guard at == bodyEnd else { throw CacheFormatError() }
        return c
    }

    /// A list of output paths, written by any kitbag binary.
    mutating func readPaths() throws(CacheFormatError) -> [String] {
        let bodyEnd = try open(anyTool: true)
        var paths: [String] = []
        for _ in 0..<(try count()) { paths.append(try string()) }
        guard at == bodyEnd else { throw CacheFormatError() }
        return paths
    }

    mutating func readUnits(into c: inout BuildCache) throws(CacheFormatError) {
        let bodyEnd = try open()
        var units: [Fingerprint: UnitSummary] = [:]
        var files: [Fingerprint: ChapterFileSummary] = [:]
        for _ in 0..<(try count()) {
            let key = try fingerprint()
            var u = UnitSummary()
            for _ in 0..<(try count()) {
                var heading = ParsedHeading(level: try int(), title: try string(), explicitID: try optionalString(), unnumbered: try bool(), location: try location())
                heading.adaptable = try bool()
                for _ in 0..<(try count()) { heading.gapsBefore.append(try int()) }
                u.headings.append(heading)
            }
            for _ in 0..<(try count()) {
                u.links.append(ParsedLink(url: try string(), isEmpty: try bool(), location: try location(), section: try int(), isImage: try bool()))
            }
            for _ in 0..<(try count()) {
                u.directives.append(ParsedDirective(name: try string(), arguments: try string(), body: try string(), location: try location(), section: try int()))
            }
            for _ in 0..<(try count()) { u.diagnostics.append(try diagnostic()) }
            units[key] = u
        }
        for _ in 0..<(try count()) {
            let key = try fingerprint()
            var f = ChapterFileSummary(unitKey: try fingerprint(), origin: try optionalString(), explicitID: try optionalString(), diagnostics: [])
            f.adaptable = try bool()
            for _ in 0..<(try count()) { f.placeholders.append(try string()) }
            for _ in 0..<(try count()) { f.diagnostics.append(try diagnostic()) }
            files[key] = f
        }
        guard at == bodyEnd else { throw CacheFormatError() }
        c.units = units
        c.chapterFiles = files
    }

    /// The render contexts of the chapter files in `wanted`, and nothing else.
    mutating func readContexts(_ wanted: Set<String>) throws(CacheFormatError) -> [String: ChapterContext] {
        let bodyEnd = try open()
        var index: [String: (Int, Int)] = [:]
        for _ in 0..<(try count()) {
            let path = try string()
            index[path] = (try int(), try int())
        }
        let recordsLength = try count()
        let recordsStart = at
        guard recordsStart + recordsLength == bodyEnd else { throw CacheFormatError() }
        var result: [String: ChapterContext] = [:]
        for path in wanted {
            guard let (offset, length) = index[path], offset >= 0, length >= 0, offset + length <= recordsLength else { continue }
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
            guard at == recordsStart + offset + length else { throw CacheFormatError() }
            result[path] = x
        }
        return result
    }
}
