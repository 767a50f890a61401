import Foundation
import KitbagTestSupport
import Testing

/// Golden files refresh loudly: `KITBAG_UPDATE_GOLDEN=1` writes the new output and still
/// fails the run, naming the file, so a refresh can never pass CI unnoticed.
@Suite struct GoldenFileTests {
    func golden(_ text: String) -> String {
        let path = Support.temporaryFolder() + "/expected.txt"
        Support.write(text, to: path)
        return path
    }

    @Test func aMatchingOutputPassesAndLeavesTheFileAlone() {
        let path = golden("same\n")
        #expect(Golden.compare("same\n", with: path, update: false) == .matches)
        #expect(Golden.compare("same\n", with: path, update: true) == .matches)
        #expect(Support.read(path) == "same\n")
    }

    @Test func aDifferenceNamesTheFileAndLineAndChangesNothing() throws {
        let path = golden("one\ntwo\nthree\n")
        let outcome = Golden.compare("one\nTWO\nthree\n", with: path, update: false)
        let message = try #require(outcome.failure)
        #expect(outcome == .differs(message))
        #expect(message.contains("\(path) at line 2:\n  golden: 'two'\n  output: 'TWO'"), "\(message)")
        #expect(message.contains("KITBAG_UPDATE_GOLDEN=1"))
        #expect(Support.read(path) == "one\ntwo\nthree\n")
    }

    @Test func aRefreshWritesTheNewOutputAndStillFails() throws {
        let path = golden("old\n")
        let outcome = Golden.compare("new\n", with: path, update: true)
        #expect(Support.read(path) == "new\n")
        let message = try #require(outcome.failure)
        #expect(outcome == .rewritten(message))
        #expect(message == "golden files rewritten: \(path); read the diff, then run again without KITBAG_UPDATE_GOLDEN")
        // The next run, without the variable, passes.
        #expect(Golden.compare("new\n", with: path, update: false) == .matches)
    }

    @Test func aRefreshRecordsATestIssue() {
        let path = golden("old\n")
        withKnownIssue("a refresh fails the test that rewrote its golden file") {
            Golden.expectMatch("new\n", with: path, update: true)
        } matching: { issue in
            issue.comments.contains { $0.rawValue.hasPrefix("golden files rewritten: \(path);") }
        }
        #expect(Support.read(path) == "new\n")
    }

    @Test func aMissingGoldenFileFails() {
        let path = Support.temporaryFolder() + "/none.txt"
        #expect(Golden.compare("x", with: path, update: false).failure?.hasPrefix("no golden file at \(path)") == true)
    }
}
