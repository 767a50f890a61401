import Foundation
import Testing
import KitbagCore
import KitbagTestSupport

/// Every number read from a file or an argument is range-checked: a located error and exit 1
/// (exit 2 for arguments), never a trap. One test per crash class found by reading the code.
@Suite struct NumberRangeTests {
    /// The small cohort with one more row appended to records.csv.
    func project(appending row: String) -> String {
        TrackerSupport.smallProject(records: TrackerSupport.smallRecords + row + "\n")
    }

    func expectLedgerError(_ row: String, column: Int, message: String, code: String) {
        let dir = project(appending: row)
        for command in [["check"], ["track", "status"]] {
            let run = Support.kitbag(command, in: dir)
            #expect(run.status == 1, "\(command): \(run.err)")
            #expect(run.err.contains("Cohorts/test/records.csv:5:\(column): error: \(message) [\(code)]"), "\(command): \(run.err)")
        }
    }

    @Test(arguments: ["R2147483648", "R99999999999999999999", "R0", "R4294967297"])
    func voidNamingARowPastTheRange(target: String) {
        expectLedgerError("R000004,2026-02-16,W01,\(target),void,Trainer One,typo", column: 24,
                          message: "a void row names the row it cancels in 'item'; '\(target)' is out of range: row ids run from R000001 to R2147483647",
                          code: "unknown-void-target")
    }

    @Test func quotedVoidTargetPastTheRangeTakesTheSlowPathToTheSameError() {
        expectLedgerError("R000004,2026-02-16,W01,\"R2147483648\",void,\"Trainer One\",typo", column: 24,
                          message: "a void row names the row it cancels in 'item'; 'R2147483648' is out of range: row ids run from R000001 to R2147483647",
                          code: "unknown-void-target")
    }

    @Test func rowIdPastTheRange() {
        expectLedgerError("R2147483648,2026-02-16,W01,M03,attended,Trainer One,", column: 1,
                          message: "row id 'R2147483648' is out of range: row ids run from R000001 to R2147483647",
                          code: "invalid-record-id")
    }

    @Test func theHighestRowIdIsReadAndVoidedButNothingIsWrittenPastIt() {
        let dir = project(appending: "R2147483646,2026-02-16,W01,M03,attended,Trainer One,\nR2147483647,2026-02-17,W01,R2147483646,void,Trainer One,typo")
        #expect(Support.kitbag(["track", "status"], in: dir).status == 0)
        let records = dir + "/Cohorts/test/records.csv"
        let before = Support.bytes(records)
        let run = Support.kitbag(["record", "attended", "--module", "M03", "--date", "2026-02-18", "--by", "T", "W02"], in: dir)
        #expect(run.status == 1)
        #expect(run.err.contains("row ids would pass R2147483647, the highest a ledger holds; start a new cohort folder [ledger-full]"), "\(run.err)")
        #expect(Support.bytes(records) == before)
    }

    @Test(arguments: ["9223372036854775000d", "99999999999999999999d", "36526d", "5219w", "1201m", "-5d", "+5d"])
    func withinPastTheRangeIsAUsageError(within: String) {
        let dir = TrackerSupport.smallProject()
        let run = Support.kitbag(["track", "due", "--within", within], in: dir)
        #expect(run.status == 2)
        #expect(run.err.contains("--within takes a number of days, weeks or months up to 100 years"), "\(run.err)")
        #expect(run.err.contains("found '\(within)'"))
    }

    @Test(arguments: ["36525d", "5218w", "1200m"])
    func withinAtTheLimitWorks(within: String) {
        let run = Support.kitbag(["track", "due", "--within", within], in: TrackerSupport.smallProject())
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("by 2126-"), "\(run.out)")
    }

    @Test(arguments: ["99999999999999999999", "18446744073709551617", "1-99999999999999999999", "10000", "0"])
    func onlyPastTheRangeIsAUsageError(only: String) {
        let dir = TrackerSupport.sampleProject()
        let run = Support.kitbag(["proposals", "accept", "any.md", "--only", only], in: dir)
        #expect(run.status == 2)
        #expect(run.err.contains("--only takes suggestion numbers from 1 to 9999"), "\(run.err)")
    }

    /// `check` on the sample with one line of module M01's front matter replaced.
    func checkWithModuleLine(_ line: String, replacedBy replacement: String) -> Support.Run {
        let dir = TrackerSupport.sampleProject()
        let path = dir + "/Curriculum/modules/M01.md"
        Support.write(Support.read(path).replacingOccurrences(of: "\n\(line)\n", with: "\n\(replacement)\n"), to: path)
        return Support.kitbag(["check"], in: dir)
    }

    @Test(arguments: ["99999999999999999999", "99999999999999999999.5", "-30", "1" + String(repeating: "0", count: 400) + ".0"])
    func moduleHoursPastTheRangeIsAnErrorAtTheValue(hours: String) {
        let run = checkWithModuleLine("hours: 7", replacedBy: "hours: \(hours)")
        #expect(run.status == 1)
        #expect(run.err.contains("Curriculum/modules/M01.md:5:8: error: 'hours' must be between 0 and 10000"), "\(run.err)")
    }

    @Test(arguments: [("sessions", "1"), ("valid-for-months", "12")])
    func wholeNumbersPast64BitsAreRangeErrors(key: String, value: String) {
        let run = checkWithModuleLine("\(key): \(value)", replacedBy: "\(key): 99999999999999999999")
        #expect(run.status == 1)
        #expect(run.err.contains("error: '\(key)' must be between"), "\(run.err)")
        #expect(run.err.contains("found 99999999999999999999 [front-matter-type]"), "\(run.err)")
    }
}
