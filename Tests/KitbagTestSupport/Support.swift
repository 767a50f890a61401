import Foundation
import KitbagCLI
import KitbagCore

/// What every test target shares: temporary folders, copies of the sample project, kitbag run
/// in-process or as the built executable, files read and written without fuss. No chdir, no
/// global state: every test works in its own temporary folder.
public enum Support {
    /// The repository's root folder, found from this file's path (tests never chdir).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The date an in-process kitbag takes for today, unless a test gives another.
    public static let today = ISODate(year: 2026, month: 12, day: 1)!

    /// The parts of the sample project that `sampleProject()` copies by default.
    public static let sampleParts = ["Handbook", "Curriculum", "Proposals", "Cohorts"]

    /// The `Fixtures` folder beside the calling test file, or `relative` inside it.
    public static func fixtures(_ relative: String = "", file: String = #filePath) -> String {
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("Fixtures").path
        return relative.isEmpty ? folder : folder + "/" + relative
    }

    /// A fresh, empty temporary folder.
    public static func temporaryFolder() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kitbag-test-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Copies a file or a folder tree (a part of the sample project, a fixture) to `to`.
    public static func copy(_ from: String, to: String) {
        try? FileManager.default.createDirectory(atPath: (to as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? FileManager.default.copyItem(atPath: from, toPath: to)
    }

    /// A temporary copy of the repository's sample project: the `parts` of it that exist.
    public static func sampleProject(_ parts: [String] = sampleParts) -> String {
        let dir = temporaryFolder()
        for part in parts where FileManager.default.fileExists(atPath: repositoryRoot + "/" + part) {
            copy(repositoryRoot + "/" + part, to: dir + "/" + part)
        }
        return dir
    }

    /// A file's text ("" when it cannot be read).
    public static func read(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    /// A file's bytes (none when it cannot be read).
    public static func bytes(_ path: String) -> [UInt8] { (try? FileSystem.readBytes(path)) ?? [] }

    /// Writes `text` to `path`, making its folder first.
    public static func write(_ text: String, to path: String) {
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Every file under `dir`, relative, sorted.
    public static func files(under dir: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: dir) else { return [] }
        var result: [String] = []
        while let name = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir + "/" + name, isDirectory: &isDir), !isDir.boolValue { result.append(name) }
        }
        return result.sorted()
    }

    /// Every file under `dir` with its bytes (a built site, for comparing with a clean build).
    public static func tree(_ dir: String) -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        for file in files(under: dir) { result[file] = bytes(dir + "/" + file) }
        return result
    }

    /// The identity of every file under `dir` (inode and modification time): it changes when
    /// kitbag replaces a file, and stays when kitbag leaves it alone.
    public static func stamps(_ dir: String) -> [String: String] {
        var result: [String: String] = [:]
        for file in files(under: dir) {
            var st = stat()
            if stat(dir + "/" + file, &st) == 0 { result[file] = "\(st.st_ino):\(st.st_mtim.tv_sec):\(st.st_mtim.tv_nsec)" }
        }
        return result
    }

    // MARK: - Running kitbag

    /// What one in-process run of kitbag did.
    public struct Run: Sendable {
        public var status: Int32
        public var out: String
        public var err: String
    }

    /// Runs `kitbag -C dir ARGUMENTS` in-process with both streams buffered, a pinned date and
    /// the given environment; `dir/` is removed from the output so that paths read as they
    /// would from inside the project.
    public static func kitbag(_ arguments: [String], in dir: String, today: ISODate = today, environment: [String: String] = [:]) -> Run {
        let console = Console(out: TextSink(), err: TextSink(), environment: environment, today: today)
        let status = KitbagCommandLine.run(arguments: ["-C", dir] + arguments, io: console)
        let prefix = dir + "/"
        return Run(status: status,
                   out: console.out.text.replacingOccurrences(of: prefix, with: ""),
                   err: console.err.text.replacingOccurrences(of: prefix, with: ""))
    }

    /// The built `kitbag` executable, found next to the test bundle, if there is one.
    public static func kitbagBinary() -> String? {
        var folders = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        for bundle in Bundle.allBundles + [Bundle.main] {
            let url = URL(fileURLWithPath: bundle.bundlePath)
            folders += [url.deletingLastPathComponent(), url]
        }
        for folder in folders {
            var f = folder
            for _ in 0..<4 {
                let candidate = f.appendingPathComponent("kitbag").path
                if FileManager.default.isExecutableFile(atPath: candidate) && !FileManager.default.fileExists(atPath: candidate + "/") { return candidate }
                f = f.deletingLastPathComponent()
            }
        }
        return nil
    }

    /// Starts `binary` with `arguments` (and `environment` over the test's own); its output
    /// goes to the returned pipe, its errors nowhere.
    public static func start(_ binary: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (Process, Pipe) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        return (p, out)
    }
}

/// A small deterministic random generator (SeededGenerator), so property tests are repeatable.
public struct SeededGenerator: RandomNumberGenerator {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
