import Foundation
import Testing
import KitbagCore
import KitbagTestSupport

/// Sheets as coordinators keep them: headers in any case with synonyms, names checked against
/// the roster, items by title, blank rows, dry runs, the training-matrix layout, --all.
@Suite struct SpreadsheetImportTests {
    static let records = "/Cohorts/brighton-2026/records.csv"

    func rows(_ dir: String) -> [String] {
        Support.read(dir + Self.records).split(separator: "\n").map(String.init)
    }

    static let sheet = """
    Date,Worker,NAME,Item,EVENT,By,Note
    2026-11-02,W01,Amira Okafor,Community asset mapping,attended,Sam Reed,
    ,,,,,,
    2026-11-02,W02,tomasz  wiśniewski,M08,Attended,Sam Reed,
    2026-11-03,Grace Mensah,,local services and pathways,attended,Sam Reed,late start

    2026-11-04,W06,Hollie Carver,Community asset map portfolio,passed,Ruth Adeyemi,

    """

    @Test func aSheetWithMixedCaseHeadersNamesAndTitlesImports() {
        let dir = TrackerSupport.sampleProject()
        let before = rows(dir)
        Support.write(Self.sheet, to: dir + "/sheet.csv")
        let run = Support.kitbag(["record", "import", dir + "/sheet.csv"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        let added = Array(rows(dir).dropFirst(before.count))
        #expect(added.map { $0.split(separator: ",", omittingEmptySubsequences: false).dropFirst().joined(separator: ",") } == [
            "2026-11-02,W01,M08,attended,Sam Reed,",
            "2026-11-02,W02,M08,attended,Sam Reed,",
            "2026-11-03,W05,M13,attended,Sam Reed,late start",
            "2026-11-04,W06,A06,passed,Ruth Adeyemi,",
        ])
    }

    @Test func oneWrongNameChangesNothingAndNamesTheCell() {
        let dir = TrackerSupport.sampleProject()
        let before = Support.bytes(dir + Self.records)
        Support.write(Self.sheet.replacingOccurrences(of: "tomasz  wiśniewski", with: "Tom Wise"), to: dir + "/sheet.csv")
        let run = Support.kitbag(["record", "import", dir + "/sheet.csv", "--cohorts", dir + "/Cohorts"], in: dir)
        #expect(run.status == 1)
        #expect(run.err.contains("sheet.csv:4:C: error: name 'Tom Wise' does not match worker 'W02' on the roster [name-mismatch]"), "\(run.err)")
        #expect(run.out.isEmpty)
        #expect(Support.bytes(dir + Self.records) == before)
    }

    @Test func anIdColumnAndUnknownHeadersAreRefusedAtTheirCells() {
        let dir = TrackerSupport.sampleProject()
        Support.write("ID,Session date,Peer worker,Module,Outcome,Trainer,Comment,Colour\n", to: dir + "/sheet.csv")
        let run = Support.kitbag(["record", "import", dir + "/sheet.csv"], in: dir)
        #expect(run.status == 1)
        #expect(run.err.contains("sheet.csv:1:A: error: an import sheet has no 'ID' column"), "\(run.err)")
        #expect(run.err.contains("sheet.csv:1:H: error: unknown column 'Colour'"), "\(run.err)")
        #expect(!run.err.contains(":1:B:") && !run.err.contains(":1:F:"), "synonyms are accepted: \(run.err)")
    }

    @Test func aDryRunLeavesTheLedgerByteIdentical() {
        let dir = TrackerSupport.sampleProject()
        let before = Support.bytes(dir + Self.records)
        Support.write(Self.sheet, to: dir + "/sheet.csv")
        let run = Support.kitbag(["record", "import", dir + "/sheet.csv", "--dry-run"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("would be appended"))
        #expect(run.out.contains(",2026-11-03,W05,M13,attended,Sam Reed,late start"))
        #expect(Support.bytes(dir + Self.records) == before)
        let matrix = Support.kitbag(["record", "import", "--matrix", dir + "/sheet.csv", "--by", "T", "--dry-run"], in: dir)
        #expect(Support.bytes(dir + Self.records) == before, "\(matrix.err)")
    }

    static let matrix = """
    Worker,Name,M10,Communication skills,M12,Local services and pathways,A06,Role-play of a difficult conversation,A08,Coordinator sign-off
    W01,Amira Okafor,2026-11-02,2026-11-09,2026-11-16,2026-11-23,2026-11-05,2026-11-12,2026-11-19,2026-11-26
    W02,,2026-11-02,absent 2026-11-03; 2026-11-10,2026-11-16,2026-11-23,2026-11-05,2026-11-12,2026-11-19,2026-11-26
    Bethan Rhys,,2026-11-02,2026-11-09,2026-11-16,2026-11-23,failed 2026-11-04,2026-11-12,2026-11-19,2026-11-26
    W04,Daniel Achterberg,2026-11-02,2026-11-09,waived: local course,2026-11-23,2026-11-05,2026-11-12,2026-11-19,2026-11-26
    W05,,2026-11-02,2026-11-09,2026-11-16,2026-11-23,2026-11-05,2026-11-12,2026-11-19,
    W06,,2026-11-02,2026-11-09,2026-11-16,2026-11-23,2026-11-05,2026-11-12,2026-11-19,2026-11-26

    """

    @Test func aMatrixOfSixWorkersByEightItemsImportsAndASecondImportAddsNothing() {
        let dir = TrackerSupport.sampleProject()
        let before = rows(dir).count
        Support.write(Self.matrix, to: dir + "/matrix.csv")
        let run = Support.kitbag(["record", "import", "--matrix", dir + "/matrix.csv", "--by", "Sam Reed", "--date", "2026-11-30"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        let added = Array(rows(dir).dropFirst(before))
        #expect(added.count == 48)
        #expect(added.contains { $0.hasSuffix(",2026-11-03,W02,M11,absent,Sam Reed,") })
        #expect(added.contains { $0.hasSuffix(",2026-11-10,W02,M11,attended,Sam Reed,") })
        #expect(added.contains { $0.hasSuffix(",2026-11-04,W03,A06,failed,Sam Reed,") })
        #expect(added.contains { $0.hasSuffix(",2026-11-30,W04,M12,waived,Sam Reed,local course") })
        #expect(added.contains { $0.hasSuffix(",2026-11-19,W05,A08,passed,Sam Reed,") })
        #expect(!added.contains { $0.contains(",W05,A09,") })
        let again = Support.kitbag(["record", "import", "--matrix", dir + "/matrix.csv", "--by", "Sam Reed", "--date", "2026-11-30"], in: dir)
        #expect(again.status == 0, "\(again.err)")
        #expect(again.out.contains("48 entries were already in the ledger"))
        #expect(rows(dir).count == before + 48)
    }

    @Test func aBadMatrixCellIsNamedAndNothingIsWritten() {
        let dir = TrackerSupport.sampleProject()
        let before = Support.bytes(dir + Self.records)
        Support.write(Self.matrix.replacingOccurrences(of: "2026-11-23,2026-11-05,2026-11-12,2026-11-19,\n", with: "2026-11-23,2026-11-05,12/11/2026,2026-11-19,\n"), to: dir + "/matrix.csv")
        let run = Support.kitbag(["record", "import", "--matrix", dir + "/matrix.csv", "--by", "Sam Reed"], in: dir)
        #expect(run.status == 1)
        #expect(run.err.contains("matrix.csv:6:H: error: date '12/11/2026' looks like a spreadsheet's DD/MM/YYYY date"), "\(run.err)")
        #expect(Support.bytes(dir + Self.records) == before)
    }

    @Test func recordAllExceptRecordsEveryOtherActiveWorker() {
        let dir = TrackerSupport.sampleProject()
        let before = rows(dir).count
        let run = Support.kitbag(["record", "attended", "--module", "M05", "--date", "2026-11-20", "--by", "Sam Reed", "--all", "--except", "W03"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        let workers = rows(dir).dropFirst(before).map { $0.split(separator: ",")[2] }
        // Active on the roster: W01-W06, W10-W12; reserve W07, W08 and withdrawn W09 are left out.
        #expect(workers == ["W01", "W02", "W04", "W05", "W06", "W10", "W11", "W12"])
    }

    @Test func aWorkerByNameAndAModuleByTitleAndTheCohortInferred() {
        let dir = TrackerSupport.sampleProject()
        Support.copy(dir + "/Cohorts/brighton-2026", to: dir + "/Cohorts/other")
        Support.write("id,name,site,status,joined\nX01,Pat Other,Hove,active,2026-01-12\n", to: dir + "/Cohorts/other/roster.csv")
        Support.write("id,date,worker,item,event,by,note\n", to: dir + "/Cohorts/other/records.csv")
        let run = Support.kitbag(["record", "attended", "--module", "keeping well at work", "--date", "2026-11-20", "--by", "Sam", "Leah Dunmore"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        #expect(rows(dir).last?.hasSuffix(",2026-11-20,W10,M05,attended,Sam,") == true)
        let other = Support.kitbag(["track", "history", "X01"], in: dir)
        #expect(other.status == 0, "\(other.err)")
        Support.write(Self.sheet, to: dir + "/sheet.csv")
        let sheet = Support.kitbag(["record", "import", dir + "/sheet.csv", "--dry-run"], in: dir)
        #expect(sheet.status == 0, "the sheet's workers name the cohort: \(sheet.err)")
        let both = Support.kitbag(["record", "attended", "--module", "M05", "--date", "2026-11-20", "--by", "Sam", "--all"], in: dir)
        #expect(both.status == 2)
        #expect(both.err.contains("several cohorts"))
    }

    @Test func aModuleBeforeItsPrerequisiteIsAWarningFromRecordAndImport() {
        let dir = TrackerSupport.smallProject()
        let run = Support.kitbag(["record", "attended", "--module", "M06", "--date", "2026-03-02", "--by", "T", "W02"], in: dir)
        #expect(run.status == 0)
        #expect(run.err.contains("warning: 'W02' is recorded for M06 on 2026-03-02 before its prerequisites M01, M04 are done [prerequisite-not-done]"), "\(run.err)")
        Support.write("date,worker,item,event,by\n2026-03-02,W01,M06,attended,T\n", to: dir + "/s.csv")
        let sheet = Support.kitbag(["record", "import", dir + "/s.csv"], in: dir)
        #expect(sheet.status == 0)
        #expect(sheet.err.contains("s.csv:2:C: warning: 'W01' is recorded for M06 on 2026-03-02 before its prerequisite M04 is done"), "\(sheet.err)")
        #expect(!Support.kitbag(["check"], in: dir).err.contains("prerequisite"))
    }
}
