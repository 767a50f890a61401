import Dispatch
import KitbagCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - What the cache stores

/// The identity of a file on disk: when it matches, its recorded content hash still holds.
struct FileStamp: Equatable, Sendable {
    var size: Int
    var seconds: Int
    var nanoseconds: Int
    var inode: Int

    /// The stamp of `path`, or nil when it does not exist or is not a regular file.
    static func of(_ path: String) -> FileStamp? {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        #if canImport(Darwin)
        return FileStamp(size: Int(st.st_size), seconds: Int(st.st_mtimespec.tv_sec), nanoseconds: Int(st.st_mtimespec.tv_nsec), inode: Int(st.st_ino))
        #else
        return FileStamp(size: Int(st.st_size), seconds: Int(st.st_mtim.tv_sec), nanoseconds: Int(st.st_mtim.tv_nsec), inode: Int(st.st_ino))
        #endif
    }
}

/// An input file as last seen: its stamp and the hash of its bytes.
struct InputRecord: Sendable {
    var stamp: FileStamp
    var hash: Fingerprint
}

/// An output file as last written: the key of what it was rendered from, the hash of its
/// bytes and its stamp (a page is only trusted while the file on disk still has that stamp).
struct OutputRecord: Sendable {
    var key: Fingerprint
    var hash: Fingerprint
    var stamp: FileStamp
}

/// What reading a chapter file found besides its walk: the front matter's values and every
/// diagnostic of reading it. Keyed by the file's content, so an unchanged chapter is not read.
struct ChapterFileSummary: Sendable {
    var unitKey: Fingerprint
    var origin: String?
    var explicitID: String?
    var diagnostics: [Diagnostic]
}

/// A keyed part of a large output file (a chapter's part of `handbook.html`, a page's entries
/// in `search-index.js`) and where its bytes lie in the file as written. The next build copies
/// a part whose key still matches straight from the old file instead of rendering it again.
struct Segment: Sendable, Equatable {
    var page: String
    var key: Fingerprint
    var offset: Int
    var length: Int
    /// The fingerprint of the part's bytes.
    var hash: Fingerprint
}

/// A part of the output file as it is on disk that the next version can copy: where its
/// bytes lie and their fingerprint.
struct ReusablePart: Sendable {
    var offset: Int
    var length: Int
    var hash: Fingerprint
}

/// A piece of a spliced output: new bytes, or a range copied from the file as it is now.
enum SplicePiece: Sendable {
    case bytes([UInt8])
    case copy(offset: Int, length: Int)
}

/// Parsed-unit summaries shared between the build cache and the resolver: the resolver asks
/// for a unit by its content key and gets a summary instead of a fresh cmark parse.
final class UnitStore: Sendable {
    let previous: [Fingerprint: UnitSummary]
    /// Chapter file summaries of the last build.
    let previousFiles: [Fingerprint: ChapterFileSummary]

    /// What this build adds, from every core.
    private struct Current {
        var units: [Fingerprint: UnitSummary] = [:]
        var files: [Fingerprint: ChapterFileSummary] = [:]
        var inputHashes: [String: Fingerprint] = [:]
    }
    private let state = Mutex(Current())

    /// Summaries of this build's units (what the next build's cache keeps).
    var current: [Fingerprint: UnitSummary] { state.withLock { $0.units } }
    /// Chapter file summaries of this build.
    var currentFiles: [Fingerprint: ChapterFileSummary] { state.withLock { $0.files } }
    /// Content hashes of this build's input files (from the input scan), by project path.
    var inputHashes: [String: Fingerprint] {
        get { state.withLock { $0.inputHashes } }
        set { state.withLock { $0.inputHashes = newValue } }
    }

    init(previous: [Fingerprint: UnitSummary] = [:], previousFiles: [Fingerprint: ChapterFileSummary] = [:]) {
        self.previous = previous
        self.previousFiles = previousFiles
    }

    /// The key of a chapter file: its content, place and how it is shown.
    static func fileKey(index: Int, relativePath: String, displayPath: String, unsafeHTML: Bool, contentHash: Fingerprint) -> Fingerprint {
        var h = FingerprintHasher()
        h.add(BuildCache.formatVersion)
        h.add("chapter-file"); h.add(index); h.add(relativePath); h.add(displayPath); h.add(unsafeHTML)
        h.add(contentHash)
        return h.finish()
    }

    /// A chapter file read in the last build with the same content, and its walk: the file
    /// need not be read again. Marks both as used by this build.
    func unchangedChapter(_ fileKey: Fingerprint) -> (ChapterFileSummary, UnitSummary)? {
        guard let file = previousFiles[fileKey], let unit = previous[file.unitKey] else { return nil }
        state.withLock {
            $0.files[fileKey] = file
            $0.units[file.unitKey] = unit
        }
        return (file, unit)
    }

    func record(_ file: ChapterFileSummary, for fileKey: Fingerprint) {
        state.withLock { $0.files[fileKey] = file }
    }

    /// The key of a unit: everything its walk depends on.
    static func key(kind: UnitKind, source: SourceFile, relativePath: String, body: String, unsafeHTML: Bool) -> Fingerprint {
        var h = FingerprintHasher()
        h.add(BuildCache.formatVersion)
        switch kind {
        case .chapter(let index): h.add("chapter"); h.add(index)
        case .glossary: h.add("glossary")
        case .preface: h.add("preface")
        case .curriculum(let id): h.add("curriculum"); h.add(id)
        case .pathway: h.add("pathway")
        case .framework: h.add("framework")
        }
        h.add(source.displayPath)
        h.add(relativePath)
        h.add(unsafeHTML)
        h.add(body)
        return h.finish()
    }

    func summary(for key: Fingerprint) -> UnitSummary? {
        guard let summary = previous[key] else { return nil }
        state.withLock { $0.units[key] = summary }
        return summary
    }

    func record(_ summary: UnitSummary, for key: Fingerprint) {
        state.withLock { $0.units[key] = summary }
    }
}

// MARK: - The cache file

/// The incremental-build cache: input and output stamps, unit summaries, chapter renderings
/// and the last successful build's diagnostics. It lives in `.build-kitbag/` in the project,
/// one file per output folder, and is ignored whenever it cannot be read in full.
struct BuildCache: Sendable {
    static let formatVersion = 7
    static let magic: [UInt8] = Array("KITBAG-CACHE\n".utf8)

    /// Fingerprint of every input, option and the kitbag binary itself at the last build.
    var inputsKey = Fingerprint.zero
    var inputs: [String: InputRecord] = [:]
    var outputs: [String: OutputRecord] = [:]
    var units: [Fingerprint: UnitSummary] = [:]
    var diagnostics: [Diagnostic] = []
    var produced = 0
    /// Keyed parts of the spliced outputs, by output path.
    var segments: [String: [Segment]] = [:]
    /// Chapter files read in the last build, by file key (see `UnitStore.fileKey`).
    var chapterFiles: [Fingerprint: ChapterFileSummary] = [:]
    /// The last build's resolved book, for `FastRebuild`.
    var snapshot: ResolvedSnapshot?

    init() {}

    /// Where the cache for `outDirectory` lives.
    static func path(for paths: ProjectPaths, outDirectory: String) -> String {
        let absolute = outDirectory.hasPrefix("/") ? outDirectory : FileSystem.join(currentDirectory(), outDirectory)
        let key = FingerprintHasher.of(absolute)
        let name = "site-" + String(key.low, radix: 16) + ".cache"
        return FileSystem.join(paths.root, ".build-kitbag", name)
    }

    static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The identity of the running kitbag binary: a rebuilt kitbag never trusts an old cache.
    static let toolIdentity: Fingerprint = {
        var h = FingerprintHasher()
        h.add(formatVersion)
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if n > 0 {
            let exe = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            h.add(exe)
            if let stamp = FileStamp.of(exe) {
                h.add(stamp.size); h.add(stamp.seconds); h.add(stamp.nanoseconds); h.add(stamp.inode)
            }
        } else {
            h.add(Int(getpid()))  // unknown binary: the cache is never reused across processes
        }
        return h.finish()
    }()

    /// Reads the cache, or an empty one when it is missing, torn or from another version.
    static func load(_ path: String) -> BuildCache {
        guard let bytes = try? FileSystem.readBytes(path) else { return BuildCache() }
        var reader = CacheReader(bytes)
        return (try? reader.readCore()) ?? BuildCache()
    }

    /// Adds the unit summaries (a second file, `.units`), which only a full build needs.
    mutating func loadUnits(_ path: String) {
        guard let bytes = try? FileSystem.readBytes(path + ".units") else { return }
        var reader = CacheReader(bytes)
        try? reader.readUnits(into: &self)
    }

    /// The render contexts of some chapter files (a third file, `.contexts`); empty when
    /// the file is missing or damaged.
    static func loadContexts(_ path: String, for chapters: Set<String>) -> [String: ChapterContext] {
        guard let bytes = try? FileSystem.readBytes(path + ".contexts") else { return [:] }
        var reader = CacheReader(bytes)
        return (try? reader.readContexts(chapters)) ?? [:]
    }

    /// Writes the core file (temporary file, then rename). Failing to write it is not an error.
    func save(_ path: String) {
        var writer = CacheWriter()
        writer.write(core: self)
        Self.put(writer.bytes, path)
    }

    /// Writes the units file.
    func saveUnits(_ path: String) {
        var writer = CacheWriter()
        writer.write(units: self)
        Self.put(writer.bytes, path + ".units")
    }

    /// Writes the contexts file.
    static func saveContexts(_ contexts: [(String, ChapterContext)], _ path: String) {
        var writer = CacheWriter()
        writer.write(contexts: contexts)
        Self.put(writer.bytes, path + ".contexts")
    }

    static func put(_ bytes: [UInt8], _ path: String) {
        if let slash = path.lastIndex(of: "/") { try? FileSystem.makeDirectories(String(path[..<slash])) }
        _ = try? OutputWriter.put(bytes, to: path)
    }
}

// MARK: - Writing outputs

/// Writes output files: a temporary file in the same folder, then a rename, so a reader never
/// sees half a page. Unlike ledger writes, site pages are not synced to disk one by one: they
/// are rebuilt from the sources at any time, and syncing 20 MB would dominate a rebuild.
enum OutputWriter {
    static func put(_ bytes: [UInt8], to path: String) throws(FileError) {
        let temp = path + ".kitbag-tmp-\(getpid())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw FileError(path: path, reason: "cannot write file (\(String(cString: strerror(errno))))") }
        var written = 0
        let failed: Bool = bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return false }
            while written < raw.count {
                let n = write(fd, base + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return true
                }
                written += n
            }
            return false
        }
        close(fd)
        if failed {
            let reason = String(cString: strerror(errno))
            unlink(temp)
            throw FileError(path: path, reason: "cannot write file (\(reason))")
        }
        guard rename(temp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temp)
            throw FileError(path: path, reason: "cannot replace file (\(reason))")
        }
    }
}

extension OutputWriter {
    /// Removes, under `folder`, the temporary files (`NAME.kitbag-tmp-PID`) of writers that
    /// are no longer running: what a build killed between write and rename leaves behind.
    static func removeLeftovers(in folder: String, depth: Int = 0) {
        guard depth < 8 else { return }
        for name in FileSystem.list(folder) {
            let path = FileSystem.join(folder, name)
            if FileSystem.isSymbolicLink(path) { continue }
            let parts = name.split(separator: ".kitbag-tmp-", omittingEmptySubsequences: false)
            if parts.count >= 2, let digits = parts.last {
                if !digits.isEmpty, digits.count <= 10, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let pid = Int32(digits),
                   pid != getpid(), !(kill(pid, 0) == 0 || errno == EPERM) {
                    unlink(path)
                }
            } else if FileSystem.isDirectory(path) {
                removeLeftovers(in: path, depth: depth + 1)
            }
        }
    }

    /// Writes a spliced output: new bytes from memory, copied ranges straight from the file
    /// being replaced (kernel to kernel, never through this process's memory); then renames.
    static func put(_ pieces: [SplicePiece], to path: String) throws(FileError) {
        func failure(_ what: String) -> FileError {
            FileError(path: path, reason: "\(what) (\(String(cString: strerror(errno))))")
        }
        let needsOld = pieces.contains { if case .copy = $0 { return true } else { return false } }
        let old = needsOld ? open(path, O_RDONLY) : -1
        if needsOld && old < 0 { throw failure("cannot read the previous file") }
        defer { if old >= 0 { close(old) } }
        let temp = path + ".kitbag-tmp-\(getpid())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw failure("cannot write file") }
        var ok = true
        pieces: for piece in pieces {
            switch piece {
            case .bytes(let bytes):
                var written = 0
                while written < bytes.count {
                    let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { ok = false; break pieces }
                    written += n
                }
            case .copy(let offset, let length):
                var from = off_t(offset)
                var left = length
                while left > 0 {
                    let n = sendfile(fd, old, &from, left)
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { ok = false; break pieces }  // the old file is shorter than recorded
                    left -= n
                }
            }
        }
        close(fd)
        guard ok else {
            let error = failure("cannot write file")
            unlink(temp)
            throw error
        }
        guard rename(temp, path) == 0 else {
            let error = failure("cannot replace file")
            unlink(temp)
            throw error
        }
    }
}

// MARK: - Serialisation

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

    /// The units file: every unit's walk and every chapter file's front matter, by content.
    mutating func write(units c: BuildCache) {
        header()
        int(c.units.count)
        for (key, u) in c.units {
            fingerprint(key)
            int(u.headings.count)
            for h in u.headings { int(h.level); string(h.title); optionalString(h.explicitID); bool(h.unnumbered); location(h.location) }
            int(u.links.count)
            for l in u.links { string(l.url); bool(l.isEmpty); location(l.location); int(l.section); bool(l.isImage) }
            int(u.directives.count)
            for d in u.directives { string(d.name); string(d.arguments); string(d.body); location(d.location); int(d.section) }
            int(u.diagnostics.count); u.diagnostics.forEach { diagnostic($0) }
        }
        int(c.chapterFiles.count)
        for (key, f) in c.chapterFiles {
            fingerprint(key); fingerprint(f.unitKey); optionalString(f.origin); optionalString(f.explicitID)
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
    mutating func open() throws(CacheFormatError) -> Int {
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
        guard try int() == BuildCache.formatVersion, try fingerprint() == BuildCache.toolIdentity else { throw CacheFormatError() }
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

    mutating func readUnits(into c: inout BuildCache) throws(CacheFormatError) {
        let bodyEnd = try open()
        var units: [Fingerprint: UnitSummary] = [:]
        var files: [Fingerprint: ChapterFileSummary] = [:]
        for _ in 0..<(try count()) {
            let key = try fingerprint()
            var u = UnitSummary()
            for _ in 0..<(try count()) {
                u.headings.append(ParsedHeading(level: try int(), title: try string(), explicitID: try optionalString(), unnumbered: try bool(), location: try location()))
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

// MARK: - Dependency tracking

/// Which chapters the site builder can skip or reuse, from render keys: a chapter's key
/// covers its unit's text and every resolved value it shows (its numbers and IDs, the text,
/// page and anchor of every target it links to, the places that refer to each of its
/// headings and tables, generated directives' inputs). A changed title or number changes the
/// key of exactly the chapters that show it, so those, and only those, are rendered again.
final class SitePlan: @unchecked Sendable {
    /// Render key per chapter page (the page shell included: title, neighbours, book).
    private(set) var pageKeys: [String: Fingerprint] = [:]
    /// Render key per chapter page of the unit alone (its part of the one-page edition).
    private(set) var unitKeys: [String: Fingerprint] = [:]
    /// Pages whose file on disk is current: not rendered, not written.
    private(set) var skippedPages: [String] = []
    private var skip: Set<String> = []
    /// Parts of the last build's `handbook.html` and `search-index.js` whose key still matches.
    private var oldOnePage: [String: ReusablePart] = [:]
    private var oldSearch: [String: ReusablePart] = [:]
    private let lock = PageLock()
    /// Each target's text, page and anchor as one fingerprint (render keys read them often).
    private var targetPrints: [String: Fingerprint] = [:]
    /// Each image's content fingerprint (the one-page edition carries images as data URIs).
    private var imageHashes: [String: Fingerprint] = [:]

    /// A plan that reuses nothing (every page is rendered).
    init() {}

    init(handbook h: Handbook, cache: BuildCache, outDirectory: String, inputs: InputScan, options: HandbookCompiler.Options) {
        guard options.incremental else { return }
        var base = FingerprintHasher()
        base.add(BuildCache.toolIdentity)
        base.add(options.unsafeHTML)
        base.add(h.book.title); base.add(h.book.language); base.add(h.book.edition)
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
        var prints: [String: Fingerprint] = [:]
        prints.reserveCapacity(h.targets.count)
        for (id, t) in h.targets {
            var p = FingerprintHasher()
            p.add(t.text); p.add(t.page); p.add(t.anchor); p.add(t.runningText)
            prints[id] = p.finish()
        }
        targetPrints = prints
        // The one-page edition carries images as data URIs: their content is part of the key.
        for name in h.sources.images { imageHashes[name] = inputs.records["Handbook/images/" + name]?.hash }
        // Unit keys read the resolved book only; they are worked out on every core.
        let chapterUnitKeys = parallelMap(Array(h.chapterUnits.enumerated())) { index, u in
            self.unitKey(u, index: index, h, base: baseKey, curriculum: curriculumKey)
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
        for (position, info) in items.enumerated() {
            // An item's page reads the curriculum, the places that refer to it and its own text.
            var k = FingerprintHasher()
            k.add(curriculumKey)
            k.add(baseKey)
            k.add(info.id)
            add(target: info.id, h, to: &k)
            addBackReferences(of: info.id, h, to: &k)
            for ref in h.backReferences[info.id] ?? [] { k.add(h.targets[ref.fromID]?.kind.rawValue) }
            if let u = h.curriculumUnits[info.id] { k.add(self.unitKey(u, index: -1, h, base: baseKey, curriculum: curriculumKey)) }
            let unitKey = k.finish()
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
        for unit in h.chapterUnits {
            for (heading, resolved) in zip(h.units[unit].headings, h.headings(unit)) where heading.level <= 2 {
                toc.add(heading.level)
                add(target: resolved.id, h, to: &toc)
            }
        }
        let tocKey = toc.finish()
        unitKeys[Self.tocPart] = tocKey
        var index = FingerprintHasher()
        index.add(tocKey)
        if let p = h.prefaceUnit { index.add(self.unitKey(p, index: -1, h, base: baseKey, curriculum: curriculumKey)) }
        index.add(chapters.first.map { $0.page + "\n" + $0.title })
        index.add(h.book.subtitle)
        index.add(h.book.authors.joined(separator: "\n"))
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
    }

    /// The parts of an earlier spliced output whose key still matches, in the file as it is
    /// on disk; nothing when the file is not exactly the one the last build wrote. The bytes
    /// are not read here: the writer copies them from file to file.
    static func reusableParts(of file: String, cache: BuildCache, outDirectory: String, keys: [String: Fingerprint]) -> [String: ReusablePart] {
        let path = FileSystem.join(outDirectory, file)
        guard let record = cache.outputs[file], let segments = cache.segments[file], !segments.isEmpty,
              let stamp = FileStamp.of(path), stamp == record.stamp else { return [:] }
        var parts: [String: ReusablePart] = [:]
        for segment in segments where keys[segment.page] == segment.key {
            guard segment.offset >= 0, segment.length >= 0, segment.offset + segment.length <= stamp.size else { return [:] }
            parts[segment.page] = ReusablePart(offset: segment.offset, length: segment.length, hash: segment.hash)
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

    /// The name the table of contents goes by among the keyed parts of the one-page edition.
    static let tocPart = "#contents"

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
    func oldOnePagePart(_ page: String) -> ReusablePart? { oldOnePage[page] }

    /// The page's entries in the last build's search index, when its key still matches.
    func oldSearchPart(_ page: String) -> ReusablePart? { oldSearch[page] }

    /// The page's part of the one-page edition rendered in this build by `prerenderChapters`.
    func onePage(_ page: String) -> String? { lock.locked { fresh[page] } }

    /// The page's main content, rendered by `prerenderChapters`.
    func pageMain(_ page: String) -> String? { lock.locked { mains[page] } }

    private var fresh: [String: String] = [:]
    private var mains: [String: String] = [:]

    /// Whether the unit must be rendered for the one-page edition: its old part cannot be
    /// reused, or its search entries (which come from the rendering) cannot.
    func needsOnePage(_ page: String) -> Bool {
        oldOnePage[page] == nil || (!page.hasPrefix("curriculum/") && oldSearch[page] == nil)
    }

    /// Keeps a page's freshly rendered main content.
    func keep(_ page: String, main: String) {
        lock.locked { mains[page] = main }
    }

    /// Keeps a whole page put together by `prerenderChapters`.
    func keep(_ page: String, pageBytes: [UInt8]) {
        lock.locked { pages[page] = pageBytes }
    }

    /// A whole page put together by `prerenderChapters`.
    func pageBytes(_ page: String) -> [UInt8]? { lock.locked { pages[page] } }

    private var pages: [String: [UInt8]] = [:]

    /// Keeps a fresh one-page rendering for this build.
    func keep(_ page: String, sectionText: [String], onePage: String) {
        lock.locked { fresh[page] = onePage }
    }

    /// The key a page's parts are stored under (nil: the page is not keyed).
    func unitKey(_ page: String) -> Fingerprint? { unitKeys[page] }
}

/// `transform` applied to every element on every core, results in order. `transform` must
/// only read shared state.
func parallelMap<T, R>(_ items: [T], _ transform: (T) -> R) -> [R] {
    guard items.count > 64 else { return items.map(transform) }
    let slots = ParallelSlots<R>(items.count)
    let lanes = 2
    withoutActuallyEscaping(transform) { transform in
        let shared = UncheckedBox((items, transform))
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            let (items, transform) = shared.value
            var i = lane
            while i < items.count {
                slots.set(i, transform(items[i]))
                i += lanes
            }
        }
    }
    return slots.values.compactMap { $0 }
}

/// Result slots written by several threads, each to its own indices.
private final class ParallelSlots<R>: @unchecked Sendable {
    private(set) var values: [R?]
    private let lock = PageLock()
    init(_ n: Int) { values = Array(repeating: nil, count: n) }
    func set(_ i: Int, _ value: R) { lock.locked { values[i] = value } }
}

/// Lets a non-Sendable value cross into `concurrentPerform` when the caller guarantees it
/// is only read there.
private struct UncheckedBox<V>: @unchecked Sendable {
    let value: V
    init(_ value: V) { self.value = value }
}

/// A small mutex over pthread (no Foundation needed).
final class PageLock: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body()
    }
}
