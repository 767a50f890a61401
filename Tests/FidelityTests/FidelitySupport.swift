import Foundation
import KitbagCLI
import KitbagCore

/// Helpers for the fidelity tests: every test works on its own temporary copy of the sample
/// (curriculum, sites, ratings); no chdir, no global state.
enum FidelitySupport {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let repoRoot = testsFolder.deletingLastPathComponent().deletingLastPathComponent().path
    static let fixtures = testsFolder.appendingPathComponent("Fixtures").path
    static let today = ISODate(year: 2026, month: 12, day: 1)!

    static func temporaryFolder() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kitbag-fidelity-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func copy(_ from: String, to: String) {
        try? FileManager.default.createDirectory(atPath: (to as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? FileManager.default.copyItem(atPath: from, toPath: to)
    }

    /// A copy of the sample's curriculum, site files and cohorts; with the sample ratings
    /// unless `ratings` replaces them.
    static func project(ratings: String? = nil) -> String {
        let dir = temporaryFolder()
        copy(repoRoot + "/Curriculum", to: dir + "/Curriculum")
        copy(repoRoot + "/Cohorts", to: dir + "/Cohorts")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: repoRoot + "/Handbook/sites")) ?? [] where name.hasSuffix(".md") {
            copy(repoRoot + "/Handbook/sites/" + name, to: dir + "/Handbook/sites/" + name)
        }
        if let ratings {
            write(ratings, to: dir + "/Fidelity/ratings.csv")
        } else {
            copy(repoRoot + "/Fidelity/ratings.csv", to: dir + "/Fidelity/ratings.csv")
        }
        return dir
    }

    static let header = "id,date,site,round,respondent-kind,respondent,item,rater,score,note\n"

    struct Run {
        var status: Int32
        var out: String
        var err: String
    }

    /// Runs kitbag in-process with a pinned date.
    static func kitbag(_ arguments: [String], in dir: String) -> Run {
        let console = Console.buffered(today: today)
        let status = KitbagCommandLine.run(arguments: ["-C", dir] + arguments, io: console)
        return Run(status: status, out: console.out.text, err: console.err.text)
    }

    static func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
    static func bytes(_ path: String) -> [UInt8] { (try? FileSystem.readBytes(path)) ?? [] }

    static func write(_ text: String, to path: String) {
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The built `kitbag` executable next to the test bundle, if there is one.
    static func kitbagBinary() -> String? {
        var folders: [URL] = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
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
}
