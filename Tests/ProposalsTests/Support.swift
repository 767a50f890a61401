#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KitbagCLI
import KitbagCore

/// A throw-away project for one test: a fresh temporary directory, optionally holding a copy
/// of the repository's sample Handbook/, Curriculum/ and Proposals/.
struct TempProject {
    let root: String
    var paths: ProjectPaths { ProjectPaths(root: root) }

    static let repositoryRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    init(sample: Bool = true) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("kitbag-proposals-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        if sample {
            for folder in ["Handbook", "Curriculum", "Proposals"] {
                try FileManager.default.copyItem(atPath: TempProject.repositoryRoot + "/" + folder, toPath: root + "/" + folder)
            }
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    /// Runs `kitbag -C root ARGS` with buffered streams.
    func run(_ arguments: [String], environment: [String: String] = [:]) -> (status: Int32, out: String, err: String) {
        var console = Console.buffered(today: ISODate(year: 2026, month: 6, day: 1)!)
        console.environment = environment
        let status = KitbagCommandLine.run(arguments: ["-C", root] + arguments, io: console)
        return (status, console.out.text, console.err.text)
    }

    func read(_ relative: String) -> String {
        (try? FileSystem.readBytes(root + "/" + relative)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    func bytes(_ relative: String) -> [UInt8] { (try? FileSystem.readBytes(root + "/" + relative)) ?? [] }

    func write(_ text: String, to relative: String) throws {
        let path = root + "/" + relative
        try FileSystem.makeDirectories(URL(fileURLWithPath: path).deletingLastPathComponent().path)
        try FileSystem.writeAtomically(text, to: path)
    }

    /// Every file under the project with its bytes, for "nothing changed" checks.
    func snapshot() -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        func walk(_ relative: String) {
            for name in FileSystem.list(root + "/" + relative) {
                let child = relative.isEmpty ? name : relative + "/" + name
                if FileSystem.isDirectory(root + "/" + child) { walk(child) } else { result[child] = bytes(child) }
            }
        }
        walk("")
        return result
    }
}

/// A small deterministic random generator (SplitMix64), so property tests are repeatable.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum Sample {
    static let sussex = "Proposals/2026-05-12-sussex-lag-r1-ward.md"
    static let riverside = "Proposals/2026-05-19-riverside-carers-group-r1-ward-frequency.md"
    static let chapter = "Handbook/13-delivery-on-the-ward.md"
}
