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

/// The incremental-build cache: input and output stamps, unit summaries, chapter renderings
/// and the last successful build's diagnostics. It lives in `.build-kitbag/` in the project,
/// one file per output folder, and is ignored whenever it cannot be read in full.
struct BuildCache: Sendable {
    static let formatVersion = 8
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
        var reader = ByteReader(bytes)
        return (try? reader.readCore()) ?? BuildCache()
    }

    /// Adds the unit summaries (a second file, `.units`), which only a full build needs.
    mutating func loadUnits(_ path: String) {
        guard let bytes = try? FileSystem.readBytes(path + ".units") else { return }
        var reader = ByteReader(bytes)
        try? reader.readUnits(into: &self)
    }

    /// The render contexts of some chapter files (a third file, `.contexts`); empty when
    /// the file is missing or damaged.
    static func loadContexts(_ path: String, for chapters: Set<String>) -> [String: ChapterContext] {
        guard let bytes = try? FileSystem.readBytes(path + ".contexts") else { return [:] }
        var reader = ByteReader(bytes)
        return (try? reader.readContexts(chapters)) ?? [:]
    }

    /// Writes the core file (temporary file, then rename). Failing to write it is not an error.
    func save(_ path: String) {
        var writer = ByteWriter()
        writer.write(core: self)
        Self.put(writer.bytes, path)
    }

    /// Writes the units file.
    func saveUnits(_ path: String) {
        var writer = ByteWriter()
        writer.write(units: self)
        Self.put(writer.bytes, path + ".units")
    }

    /// Writes the contexts file.
    static func saveContexts(_ contexts: ContextsToWrite, _ path: String) {
        var writer = ByteWriter()
        writer.write(contexts: contexts)
        Self.put(writer.bytes, path + ".contexts")
    }

    /// Every file kitbag may have made in the output folder and not removed (a fourth file,
    /// `.outputs`): a build adds what it is about to write before it writes, and leaves the
    /// list of what it made once its cache is saved. Any kitbag binary reads it, so pages of a
    /// killed build, or of an older kitbag whose cache is not trusted, are still removed when
    /// no source makes them any more. Empty when missing or torn.
    static func loadOutputList(_ path: String) -> [String] {
        guard let bytes = try? FileSystem.readBytes(path + ".outputs") else { return [] }
        var reader = ByteReader(bytes)
        return (try? reader.readPaths()) ?? []
    }

    static func saveOutputList(_ outputs: some Sequence<String>, _ path: String) {
        var writer = ByteWriter()
        writer.write(paths: Set(outputs).sorted())
        Self.put(writer.bytes, path + ".outputs")
    }

    static func put(_ bytes: [UInt8], _ path: String) {
        if let slash = path.lastIndex(of: "/") { try? FileSystem.makeDirectories(String(path[..<slash])) }
        _ = try? OutputWriter.put(bytes, to: path)
    }
}
