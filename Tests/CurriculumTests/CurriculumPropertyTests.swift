import CurriculumKit
import Foundation
import KitbagCore
import Testing
import KitbagTestSupport

@Suite struct CurriculumLoaderPropertyTests {
    /// Random and half-valid bytes as a module file: the loader never crashes, and every
    /// diagnostic about the file is located inside it.
    @Test func randomModuleFilesNeverCrashTheLoader() throws {
        let root = Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileSystem.makeDirectories(root + "/Curriculum/modules")
        let paths = ProjectPaths(root: root)
        let modulePath = root + "/Curriculum/modules/M99.md"
        let valid = Array("---\nid: M99\ntitle: Fuzzed\ncompetencies: [C01]\nprerequisites:\n  - M98\nhours: 2\n---\nBody\n".utf8)
        let noise = Array("-:\"'[],{}#|>&* \t\r\n\u{FEFF}éMC0".utf8) + [0xFF, 0x00, 0xC3]
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<500 {
            var bytes: [UInt8]
            if Bool.random(using: &rng) {
                bytes = valid
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    let at = Int.random(in: 0..<bytes.count, using: &rng)
                    if Bool.random(using: &rng) { bytes.remove(at: at) } else { bytes.insert(noise.randomElement(using: &rng) ?? 0, at: at) }
                }
            } else {
                bytes = (0..<Int.random(in: 0...160, using: &rng)).map { _ in
                    Bool.random(using: &rng) ? (noise.randomElement(using: &rng) ?? 0) : UInt8.random(in: 0...255, using: &rng)
                }
            }
            #expect(FileManager.default.createFile(atPath: modulePath, contents: Data(bytes)))
            let (curriculum, diagnostics) = CurriculumLoader.load(paths)
            let all = diagnostics + CurriculumValidator.validate(curriculum)
            let file = SourceFile(displayPath: paths.display("Curriculum/modules/M99.md"), bytes: bytes)
            for d in all where d.location?.file == file.displayPath {
                let at = d.location ?? SourceLocation(file: "", line: 0, column: 0)
                #expect(at.line >= 1 && at.line <= file.lineCount && at.column >= 1,
                        "\(d.formatted) in \(file.text.debugDescription)")
            }
            // Nothing else exists, so every load-time problem is in that file.
            #expect(diagnostics.allSatisfy { $0.location?.file == file.displayPath })
        }
    }
}
