import Foundation
import Testing
import KitbagCore
import KitbagTestSupport

/// One test per rejection: a clear error at the line (in a sheet, the cell: row and column
/// letter), exit 1, and records.csv byte-identical.
@Suite struct RejectionTests {
    /// Imports `sheet` into the small cohort and checks it is refused with `code` at `line`.
    func expectRejected(_ sheet: String, code: String, line: Int, column: String? = nil, message: String) {
        let dir = TrackerSupport.smallProject()
        let records = dir + "/Cohorts/test/records.csv"
        let before = Support.bytes(records)
        Support.write(sheet, to: dir + "/sheet.csv")
        let run = Support.kitbag(["record", "import", dir + "/sheet.csv"], in: dir)
        #expect(run.status == 1)
        let place = column.map { ":\(line):\($0): error: " } ?? ":\(line):"
        #expect(run.err.contains("sheet.csv\(place)"), "\(run.err)")
        #expect(run.err.contains(message), "\(run.err)")
        #expect(run.err.contains("[\(code)]"), "\(run.err)")
        #expect(run.out.isEmpty)
        #expect(Support.bytes(records) == before)
    }

    static let header = "date,worker,item,event,by,note\n"
    static let good = "2026-02-02,W02,M03,attended,Trainer One,\n"

    @Test func unknownWorker() {
        expectRejected(Self.header + Self.good + "2026-02-02,W99,M03,attended,Trainer One,\n",
                       code: "unknown-worker", line: 3, column: "B", message: "unknown worker 'W99'")
    }

    @Test func unknownItem() {
        expectRejected(Self.header + "2026-02-02,W02,M99,attended,Trainer One,\n" + Self.good,
                       code: "unknown-item", line: 2, column: "C", message: "unknown item 'M99'")
    }

    @Test func resultForTheWrongKindOfItem() {
        expectRejected(Self.header + Self.good + "2026-02-02,W02,M04,passed,Trainer One,\n",
                       code: "wrong-item-kind", line: 3, message: "'passed' is recorded for an assessment, but 'M04' is a module")
    }

    @Test func dateInTheFuture() {
        expectRejected(Self.header + "2026-12-02,W02,M03,attended,Trainer One,\n",
                       code: "future-date", line: 2, column: "A", message: "date '2026-12-02' is in the future (today is 2026-12-01)")
    }

    @Test func dateBeforeJoining() {
        expectRejected(Self.header + "2026-02-02,W03,M03,attended,Trainer One,\n",
                       code: "date-before-joining", line: 2, column: "A", message: "date '2026-02-02' is before 'W03' joined the cohort on 2026-03-01")
    }

    @Test func duplicateOfALedgerRow() {
        expectRejected(Self.header + "2026-01-19,W01,M02,attended,Trainer Two,\n",
                       code: "duplicate-record", line: 2, message: "'W01' attended 'M02' on 2026-01-19 is already recorded (row 'R000002')")
    }

    @Test func duplicateWithinTheSheet() {
        expectRejected(Self.header + Self.good + Self.good,
                       code: "duplicate-record", line: 3, message: "'W02' attended 'M03' on 2026-02-02 is already recorded")
    }

    @Test func spreadsheetDayMonthYearDate() {
        expectRejected(Self.header + "02/03/2026,W02,M03,attended,Trainer One,\n",
                       code: "spreadsheet-date", line: 2, column: "A", message: "date '02/03/2026' looks like a spreadsheet's DD/MM/YYYY date; kitbag takes only YYYY-MM-DD; write it as '2026-03-02'")
    }

    @Test func malformedRow() {
        expectRejected(Self.header + Self.good + "2026-02-09,W02,M04,attended,T,,extra\n",
                       code: "malformed-row", line: 3, column: "G", message: "this row has 7 cells but the header has 6")
    }

    @Test func unclosedQuote() {
        expectRejected(Self.header + "2026-02-09,W02,M04,attended,Trainer One,\"oops\n",
                       code: "csv-syntax", line: 2, message: "a quoted field is not closed")
    }

    @Test func importSheetWithAnIdColumn() {
        expectRejected("id," + Self.header + "R000009," + Self.good,
                       code: "import-header", line: 1, column: "A", message: "an import sheet has no 'id' column")
    }

    @Test func waiverWithoutANote() {
        expectRejected(Self.header + "2026-02-02,W02,M03,waived,Trainer One,\n",
                       code: "missing-note", line: 2, message: "a waiver needs a note")
    }

    @Test func everyProblemInASheetIsReportedNotOnlyTheFirst() {
        let dir = TrackerSupport.smallProject()
        Support.write(Self.header + "2026-02-02,W99,M03,attended,T,\n2026-02-02,W02,M99,attended,T,\n31/01/2026,W02,M03,attended,T,\n", to: dir + "/s.csv")
        let run = Support.kitbag(["record", "import", dir + "/s.csv"], in: dir)
        #expect(run.status == 1)
        #expect(run.err.contains("[unknown-worker]") && run.err.contains("[unknown-item]") && run.err.contains("[spreadsheet-date]"))
    }

    // The same rules on the command line.

    func expectCommandRejected(_ arguments: [String], code: String, message: String) {
        let dir = TrackerSupport.smallProject()
        let records = dir + "/Cohorts/test/records.csv"
        let before = Support.bytes(records)
        let run = Support.kitbag(arguments, in: dir)
        #expect(run.status == 1, "\(run.err)")
        #expect(run.err.contains("error: \(message)"), "\(run.err)")
        #expect(run.err.contains("[\(code)]"))
        #expect(Support.bytes(records) == before)
    }

    @Test func commandLineUnknownWorkerRejectsTheWholeCommand() {
        expectCommandRejected(["record", "attended", "--module", "M03", "--date", "2026-02-02", "--by", "T", "W02", "W42"],
                              code: "unknown-worker", message: "unknown worker 'W42'")
    }

    @Test func commandLineWrongKind() {
        expectCommandRejected(["record", "passed", "--module", "M03", "--date", "2026-02-02", "--by", "T", "W02"],
                              code: "wrong-item-kind", message: "'passed' is recorded for an assessment; use --assessment, not --module 'M03'")
        expectCommandRejected(["record", "passed", "--item", "M03", "--date", "2026-02-02", "--by", "T", "W02"],
                              code: "wrong-item-kind", message: "'passed' is recorded for an assessment, but 'M03' is a module")
    }

    @Test func commandLineSpreadsheetDateIsAUsageError() {
        let dir = TrackerSupport.smallProject()
        let run = Support.kitbag(["record", "attended", "--module", "M03", "--date", "02/03/2026", "--by", "T", "W02"], in: dir)
        #expect(run.status == 2)
        #expect(run.err.contains("looks like a spreadsheet's DD/MM/YYYY date"))
    }

    @Test func voidOfAnUnknownRow() {
        expectCommandRejected(["record", "void", "R000099", "--reason", "typo"], code: "unknown-void-target", message: "there is no row 'R000099'")
    }

    @Test func voidTwice() {
        let dir = TrackerSupport.smallProject()
        #expect(Support.kitbag(["record", "void", "R000002", "--reason", "wrong module"], in: dir).status == 0)
        let before = Support.bytes(dir + "/Cohorts/test/records.csv")
        let run = Support.kitbag(["record", "void", "R000002", "--reason", "again"], in: dir)
        #expect(run.status == 1)
        #expect(run.err.contains("row 'R000002' is already voided [already-voided]"))
        #expect(Support.bytes(dir + "/Cohorts/test/records.csv") == before)
    }

    // Problems already in the ledger are errors at their line.

    @Test func malformedLedgerRowsAreErrorsAtTheirLines() {
        let dir = TrackerSupport.smallProject(records: TrackerSupport.smallRecords
            + "R000004,2026-01-26,W01,M02,attended\n"
            + "R000004,2026-01-26,W01,M03,attended,T,\n"
            + "R000006,26/01/2026,W01,M03,attended,T,\n")
        let run = Support.kitbag(["track", "status"], in: dir)
        #expect(run.status == 1)
        #expect(run.err.contains("Cohorts/test/records.csv:5:1: error: expected 7 fields (id,date,worker,item,event,by,note), found 5 [malformed-row]"))
        #expect(run.err.contains("Cohorts/test/records.csv:7:9: error: date '26/01/2026' looks like a spreadsheet's DD/MM/YYYY date"))
        #expect(run.out.isEmpty)
    }
}
