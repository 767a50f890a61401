import Foundation
import Testing
import KitbagTestSupport

/// One fixture project per diagnostic code under Fixtures/diagnostics/<name>/; its
/// expected.txt holds "exit: N" and then the exact stderr of `kitbag check`.
/// Refresh with KITBAG_UPDATE_GOLDEN=1 (the run then fails, naming the files) and read the diff.
@Suite struct DiagnosticFixtureTests {
    static let names: [String] = (try? FileManager.default.contentsOfDirectory(atPath: Support.fixtures("diagnostics")))?.sorted() ?? []

    @Test func everyFixtureHasAnExpectation() {
        #expect(Self.names.count >= 20)
        for name in Self.names {
            #expect(FileManager.default.fileExists(atPath: Support.fixtures("diagnostics/\(name)/expected.txt")), "\(name)")
        }
    }

    @Test(arguments: names)
    func checkPrintsTheExactDiagnostics(_ name: String) {
        let source = Support.fixtures("diagnostics/\(name)")
        let dir = Support.temporaryFolder() + "/" + name
        Support.copy(source, to: dir)
        let run = Support.kitbag(["check"], in: dir)
        let actual = "exit: \(run.status)\n" + run.err
        Golden.expectMatch(actual, with: source + "/expected.txt")
    }

    @Test(arguments: names)
    func buildWritesNothingWhenThereIsAnError(_ name: String) {
        let dir = Support.temporaryFolder() + "/" + name
        Support.copy(Support.fixtures("diagnostics/\(name)"), to: dir)
        let check = Support.kitbag(["check"], in: dir)
        let out = Support.temporaryFolder() + "/site"
        let build = Support.kitbag(["build", "--out", out], in: dir)
        #expect(build.status == check.status)
        if check.status != 0 {
            #expect(!FileManager.default.fileExists(atPath: out + "/index.html"))
            #expect(Support.files(under: out).isEmpty)
        } else {
            #expect(FileManager.default.fileExists(atPath: out + "/index.html"))
        }
    }

    @Test func jsonDiagnosticsCarryEveryField() throws {
        let dir = Support.temporaryFolder() + "/x"
        Support.copy(Support.fixtures("diagnostics/unresolved-reference"), to: dir)
        let run = Support.kitbag(["check", "--diagnostics", "json"], in: dir)
        #expect(run.status == 1)
        let parsed = try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [[String: Any]]
        let first = try #require(parsed?.first)
        #expect(first["severity"] as? String == "error")
        #expect(first["code"] as? String == "unresolved-reference")
        #expect(first["file"] as? String == "Handbook/02-more.md")
        #expect(first["line"] as? Int == 3)
        #expect(first["column"] as? Int == 5)
        #expect((first["notes"] as? [[String: Any]])?.first?["message"] as? String == "did you mean '#scope'?")
    }

    @Test func strictCountsWarnings() {
        let dir = Support.temporaryFolder() + "/x"
        Support.copy(Support.fixtures("diagnostics/unknown-key"), to: dir)
        #expect(Support.kitbag(["check"], in: dir).status == 0)
        #expect(Support.kitbag(["check", "--strict"], in: dir).status == 1)
    }
}
