import CurriculumKit
import Foundation
import KitbagCore
import Testing
import KitbagTestSupport

/// Values in curriculum front matter: empty lists and numbers out of range are errors at
/// their place, never silently accepted.
@Suite struct CurriculumValueTests {
    func load(module: String, competency: String = "---\nid: C01\ntitle: Listening\nprinciples: [P01]\n---\n") throws -> [Diagnostic] {
        let root = Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        for folder in ["modules", "competencies", "principles"] { try FileSystem.makeDirectories(root + "/Curriculum/" + folder) }
        try FileSystem.writeAtomically("---\nid: P01\ntitle: Hope\n---\n", to: root + "/Curriculum/principles/P01.md")
        try FileSystem.writeAtomically(competency, to: root + "/Curriculum/competencies/C01.md")
        try FileSystem.writeAtomically(module, to: root + "/Curriculum/modules/M01.md")
        return CurriculumLoader.load(ProjectPaths(root: root)).1
    }

    func places(_ diagnostics: [Diagnostic]) -> [String] {
        diagnostics.filter { $0.severity == .error }.map { d in "\(d.location.map { "\($0.file.split(separator: "/").last ?? ""):\($0.line):\($0.column)" } ?? "-") \(d.code)" }
    }

    @Test func anEmptyListIsTheSameErrorAsAMissingKey() throws {
        let emptyModule = try load(module: "---\nid: M01\ntitle: Start\ncompetencies: []\n---\n")
        #expect(places(emptyModule).contains("M01.md:4:1 missing-key"), "\(places(emptyModule))")
        let emptyCompetency = try load(module: "---\nid: M01\ntitle: Start\ncompetencies: [C01]\n---\n",
                                       competency: "---\nid: C01\ntitle: Listening\nprinciples: []\n---\n")
        #expect(places(emptyCompetency).contains("C01.md:4:1 missing-key"), "\(places(emptyCompetency))")
    }

    @Test(arguments: ["hours: -30", "sessions: 0", "valid-for-months: 0", "hours: 99999"])
    func anOutOfRangeNumberIsAnErrorAtItsColumn(_ line: String) throws {
        let d = try load(module: "---\nid: M01\ntitle: Start\ncompetencies: [C01]\n\(line)\n---\n")
        let column = line.distance(from: line.startIndex, to: line.firstIndex(of: ":") ?? line.startIndex) + 3
        #expect(places(d) == ["M01.md:5:\(column) front-matter-type"], "\(line): \(places(d))")
    }
}
