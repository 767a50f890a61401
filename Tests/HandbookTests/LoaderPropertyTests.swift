import Foundation
import Testing
import KitbagTestSupport

/// Random bytes and near-valid front matter fed to the whole loader: diagnostics, never a crash.
@Suite struct LoaderPropertyTests {
    /// SeededGenerator: small, fast and deterministic, so a failure can be replayed from its seed.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    }

    static let base = "---\norigin: stage 1\nid: more\n---\n# More {#more}\n\n## Part {#part}\n\nSee [](#part), [](#intro) and ![x](images/a.svg).\n\n```{table} #t Caption\na,b\n1,2\n```\n"

    func check(chapter bytes: [UInt8], seed: UInt64) {
        let dir = Support.temporaryFolder()
        Support.write("---\ntitle: T\n---\n", to: dir + "/Handbook/book.md")
        Support.write("# Intro {#intro}\n", to: dir + "/Handbook/01-intro.md")
        FileManager.default.createFile(atPath: dir + "/Handbook/02-more.md", contents: Data(bytes))
        let run = Support.kitbag(["check"], in: dir)
        #expect(run.status == 0 || run.status == 1, "seed \(seed)")
        // Every diagnostic line names a file and a positive line and column.
        for line in run.err.split(separator: "\n") where line.contains(": error: ") || line.contains(": warning: ") {
            let parts = line.split(separator: ":", maxSplits: 3)
            #expect(parts.count == 4 && Int(parts[1]).map { $0 >= 1 } == true && Int(parts[2]).map { $0 >= 1 } == true, "seed \(seed): \(line)")
        }
        try? FileManager.default.removeItem(atPath: dir)
    }

    @Test func randomBytesNeverCrashTheLoader() {
        var random = Random(state: 42)
        for i in 0..<150 {
            let count = random.below(400)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            check(chapter: bytes, seed: UInt64(i))
        }
    }

    @Test func nearValidFrontMatterNeverCrashesTheLoader() {
        var random = Random(state: 7)
        let noise: [String] = [":", "\"", "'", "[", "]", "{", "}", "-", "\t", "\r", "\n", "#", "|", ">", "&", "*", " ", "---", "\u{FEFF}", "é", "`", "```"]
        for i in 0..<250 {
            var text = Array(Self.base)
            for _ in 0..<(1 + random.below(4)) {
                let at = random.below(text.count)
                switch random.below(3) {
                case 0: text.insert(contentsOf: noise[random.below(noise.count)], at: at)
                case 1: if !text.isEmpty { text.remove(at: at) }
                default: text.insert(contentsOf: String(text[at..<min(text.count, at + random.below(12))]), at: at)
                }
            }
            check(chapter: Array(String(text).utf8), seed: UInt64(i))
        }
    }
}
