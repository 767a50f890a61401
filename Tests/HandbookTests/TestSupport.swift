import Foundation
import KitbagCLI
import KitbagCore

/// Paths and helpers shared by the handbook tests. No chdir, no global state: every test
/// works in its own temporary folder.
enum Support {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let fixtures = testsFolder.appendingPathComponent("Fixtures").path
    static let repoRoot = testsFolder.deletingLastPathComponent().deletingLastPathComponent().path

    /// A fresh, empty temporary folder.
    static func temporaryFolder() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kitbag-test-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Copies a folder tree (the sample project's parts, a fixture) into `to`.
    static func copy(_ from: String, to: String) {
        try? FileManager.default.createDirectory(atPath: (to as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? FileManager.default.copyItem(atPath: from, toPath: to)
    }

    /// A copy of the repository's sample project (Handbook, Curriculum, Proposals, Cohorts).
    static func sampleProject() -> String {
        let dir = temporaryFolder()
        for part in ["Handbook", "Curriculum", "Proposals", "Cohorts"] {
            let source = repoRoot + "/" + part
            if FileManager.default.fileExists(atPath: source) { copy(source, to: dir + "/" + part) }
        }
        return dir
    }

    struct Run {
        var status: Int32
        var out: String
        var err: String
    }

    /// Runs kitbag in-process with a pinned date; `dir/` is removed from the output so that
    /// paths read as they would from inside the project.
    static func kitbag(_ arguments: [String], in dir: String) -> Run {
        let console = Console.buffered()
        let status = KitbagCommandLine.run(arguments: ["-C", dir] + arguments, io: console)
        let prefix = dir + "/"
        return Run(status: status,
                   out: console.out.text.replacingOccurrences(of: prefix, with: ""),
                   err: console.err.text.replacingOccurrences(of: prefix, with: ""))
    }

    /// The built `kitbag` executable, found next to the test bundle.
    static func kitbagBinary() -> String? {
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

    static func read(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    static func write(_ text: String, to path: String) {
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Every file under `dir`, relative, sorted.
    static func files(under dir: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: dir) else { return [] }
        var result: [String] = []
        while let name = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir + "/" + name, isDirectory: &isDir), !isDir.boolValue { result.append(name) }
        }
        return result.sorted()
    }

    /// Whether golden files should be rewritten (`KITBAG_UPDATE_GOLDEN=1 swift test`).
    static var updateGolden: Bool { ProcessInfo.processInfo.environment["KITBAG_UPDATE_GOLDEN"] == "1" }
}
