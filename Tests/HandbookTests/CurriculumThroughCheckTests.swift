import Foundation
import Testing
import KitbagTestSupport

/// The curriculum fixtures (Tests/CurriculumTests/Fixtures) run through the real
/// `kitbag check` and `kitbag build`: the same lines, the right exit status.
@Suite struct CurriculumThroughCheckTests {
    static let curriculumFixtures = Support.repositoryRoot + "/Tests/CurriculumTests/Fixtures"
    static let codes: [String] = (try? FileManager.default.contentsOfDirectory(atPath: curriculumFixtures + "/diagnostics"))?.sorted() ?? []

    /// A minimal handbook beside a curriculum-only fixture, so the project is complete.
    static func project(for code: String) -> String {
        let dir = Support.temporaryFolder() + "/" + code
        Support.copy("\(curriculumFixtures)/diagnostics/\(code)", to: dir)
        Support.write("---\ntitle: Fixture\n---\n", to: dir + "/Handbook/book.md")
        Support.write("# Only chapter\n\nText.\n", to: dir + "/Handbook/01-only.md")
        try? FileManager.default.removeItem(atPath: dir + "/expected.txt")
        return dir
    }

    @Test(arguments: codes)
    func checkPrintsTheCurriculumDiagnostic(_ code: String) {
        let expected = Support.read("\(Self.curriculumFixtures)/diagnostics/\(code)/expected.txt")
        let run = Support.kitbag(["check"], in: Self.project(for: code))
        let trimmed = expected.hasSuffix("\n") ? expected : expected + "\n"
        #expect(run.err == trimmed)
        let hasError = expected.contains(": error: ")
        #expect(run.status == (hasError ? 1 : 0))
    }

    @Test func imrocFrameworkBuildsWithEightPrinciples() {
        let dir = Support.temporaryFolder() + "/imroc"
        Support.copy(Self.curriculumFixtures + "/imroc", to: dir)
        let site = dir + "/_site"
        let run = Support.kitbag(["build", "--out", site], in: dir)
        #expect(run.status == 0)
        #expect(!run.err.contains("warning"))
        let pages = Support.files(under: site + "/curriculum").filter { $0.hasPrefix("P") }
        #expect(pages.count == 8)
        let handbook = Support.read(site + "/handbook.html")
        #expect(handbook.contains("Principle 8: "))
        let matrixHeader = handbook.components(separatedBy: "<table class=\"matrix\">").dropFirst().first?.components(separatedBy: "</thead>").first ?? ""
        #expect(matrixHeader.components(separatedBy: "<th scope=\"col\"><abbr").count - 1 == 8)
    }
}
