#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KitbagCLI
import KitbagCore
import KitbagTestSupport

/// A throw-away project for one test: a fresh temporary folder, optionally holding a copy
/// of the repository's sample Handbook/, Curriculum/ and Proposals/.
struct TempProject {
    let root: String
    var paths: ProjectPaths { ProjectPaths(root: root) }

    /// The proposals tests' today.
    static let today = ISODate(year: 2026, month: 6, day: 1)!

    init(sample: Bool = true) throws {
        root = sample ? Support.sampleProject(["Handbook", "Curriculum", "Proposals"]) : Support.temporaryFolder()
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    /// Runs `kitbag -C root ARGS` with buffered streams.
    func run(_ arguments: [String], environment: [String: String] = [:]) -> Support.Run {
        Support.kitbag(arguments, in: root, today: Self.today, environment: environment)
    }

    func read(_ relative: String) -> String { String(decoding: bytes(relative), as: UTF8.self) }

    func bytes(_ relative: String) -> [UInt8] { Support.bytes(root + "/" + relative) }

    func write(_ text: String, to relative: String) throws {
        let path = root + "/" + relative
        try FileSystem.makeDirectories(URL(fileURLWithPath: path).deletingLastPathComponent().path)
        try FileSystem.writeAtomically(text, to: path)
    }

    /// Every file under the project with its bytes, for "nothing changed" checks.
    func snapshot() -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        for file in Support.files(under: root) { result[file] = bytes(file) }
        return result
    }
}

enum Sample {
    static let sussex = "Proposals/2026-05-12-sussex-lag-r1-ward.md"
    static let riverside = "Proposals/2026-05-19-riverside-carers-group-r1-ward-frequency.md"
    static let chapter = "Handbook/13-delivery-on-the-ward.md"
}
