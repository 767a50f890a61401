import Foundation
import Testing
import CurriculumKit
import KitbagCore
import TrackerKit
import KitbagTestSupport

/// Appending, voiding, importing, torn lines and erasure.
@Suite struct LedgerTests {
    @Test func recordAssignsIdsAndAppendsOneRowPerWorker() {
        let dir = TrackerSupport.smallProject()
        let run = Support.kitbag(["record", "attended", "--module", "M03", "--date", "2026-03-02", "--by", "Trainer One",
                                         "--note", "room 2, \"quiet\"", "W01", "W02"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out == "recorded R000004\nrecorded R000005\n")
        let text = Support.read(dir + "/Cohorts/test/records.csv")
        #expect(text.hasSuffix("R000004,2026-03-02,W01,M03,attended,Trainer One,\"room 2, \"\"quiet\"\"\"\nR000005,2026-03-02,W02,M03,attended,Trainer One,\"room 2, \"\"quiet\"\"\"\n"))
    }

    @Test func voidCancelsARowAndKeepsTheHistory() {
        let dir = TrackerSupport.smallProject()
        let run = Support.kitbag(["record", "void", "R000002", "--reason", "entered against the wrong module", "--date", "2026-02-01"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        let text = Support.read(dir + "/Cohorts/test/records.csv")
        #expect(text.contains("R000002,2026-01-19,W01,M02,attended"))
        #expect(text.hasSuffix("R000004,2026-02-01,W01,R000002,void,,entered against the wrong module\n"))
        let why = Support.kitbag(["track", "why", "W01"], in: dir)
        #expect(why.out.contains("R000002 attended 2026-01-19 by Trainer One (voided by R000004: entered against the wrong module; not counted)"))
        // The voided row no longer blocks recording the same attendance again.
        let again = Support.kitbag(["record", "attended", "--module", "M02", "--date", "2026-01-19", "--by", "T", "W01"], in: dir)
        #expect(again.status == 0, "\(again.err)")
    }

    @Test func importTakesASpreadsheetExportWithBOMAndCRLFAndQuotedNewlines() {
        let dir = TrackerSupport.smallProject()
        let sheet = "\u{FEFF}worker,date,item,event,by,note\r\nW02,2026-02-02,M03,attended,Trainer One,\r\nW02,2026-02-16,A02,passed,\"Trainer, Two\",\"line one\r\nline two\"\r\nW01,2026-03-02,M05,waived,Pat Example,prior training at another trust"
        Support.write(sheet, to: dir + "/sheet.csv")
        let run = Support.kitbag(["record", "import", dir + "/sheet.csv"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out == "recorded R000004\nrecorded R000005\nrecorded R000006\n")
        let status = Support.kitbag(["track", "status", "--format", "csv"], in: dir)
        #expect(status.status == 0, "\(status.err)")
        #expect(Support.kitbag(["track", "why", "W02"], in: dir).out.contains("R000005 passed 2026-02-16 by Trainer, Two"))
    }

    @Test func aTornLastLineIsReportedThenRemovedByTheNextWriter() throws {
        let dir = TrackerSupport.smallProject(records: TrackerSupport.smallRecords + "R000004,2026-01-26,W01,M0")
        let path = dir + "/Cohorts/test/records.csv"
        let status = Support.kitbag(["track", "status"], in: dir)
        #expect(status.status == 0)
        #expect(status.err.contains("records.csv:5:1: warning: the last line has no line break: an append was interrupted"))
        #expect(status.err.contains("[torn-append]"))
        let run = Support.kitbag(["record", "attended", "--module", "M03", "--date", "2026-02-02", "--by", "T", "W02"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.err.contains("warning: removed a torn last line left by an interrupted append: 'R000004,2026-01-26,W01,M0'"))
        #expect(run.out == "recorded R000004\n")
        #expect(Support.read(path) == TrackerSupport.smallRecords + "R000004,2026-02-02,W02,M03,attended,T,\n")
        #expect(Support.kitbag(["track", "status"], in: dir).err.isEmpty)
    }

    @Test func aRejectedInputLeavesATornLineAlone() {
        let torn = TrackerSupport.smallRecords + "R000004,2026"
        let dir = TrackerSupport.smallProject(records: torn)
        let run = Support.kitbag(["record", "attended", "--module", "M03", "--date", "2026-02-02", "--by", "T", "W77"], in: dir)
        #expect(run.status == 1)
        #expect(Support.read(dir + "/Cohorts/test/records.csv") == torn)
    }

    @Test func aMissingLedgerIsCreatedWithItsHeader() {
        let dir = TrackerSupport.smallProject()
        FileSystem.remove(dir + "/Cohorts/test/records.csv")
        let run = Support.kitbag(["record", "passed", "--assessment", "A01", "--date", "2026-02-02", "--by", "T", "W02"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        #expect(Support.read(dir + "/Cohorts/test/records.csv") == "id,date,worker,item,event,by,note\nR000001,2026-02-02,W02,A01,passed,T,\n")
    }

    @Test func eraseRemovesTheWorkerAndLogsWithoutTheName() {
        let dir = TrackerSupport.smallProject()
        let run = Support.kitbag(["track", "erase", "W01", "--reason", "data-protection request of 2026-11-30", "--by", "Pat Example"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("erased worker W01: 3 ledger rows"))
        let records = Support.read(dir + "/Cohorts/test/records.csv")
        #expect(records == "id,date,worker,item,event,by,note\n")
        let roster = Support.read(dir + "/Cohorts/test/roster.csv")
        #expect(!roster.contains("W01") && !roster.contains("Ada Quennell") && roster.contains("W02,Basil Fairweather"))
        let log = Support.read(dir + "/Cohorts/test/erasures.csv")
        #expect(log == "date,worker,rows,highest-id,reason,by\n2026-12-01,W01,3,R000003,data-protection request of 2026-11-30,Pat Example\n")
        // Ids are never reused after an erasure.
        let next = Support.kitbag(["record", "attended", "--module", "M03", "--date", "2026-02-02", "--by", "T", "W02"], in: dir)
        #expect(next.out == "recorded R000004\n")
        #expect(Support.kitbag(["track", "status"], in: dir).status == 0)
    }

    @Test func eraseRefusesAReasonThatNamesTheWorker() {
        let dir = TrackerSupport.smallProject()
        let run = Support.kitbag(["track", "erase", "W01", "--reason", "Ada Quennell asked by e-mail"], in: dir)
        #expect(run.status == 1)
        #expect(run.err.contains("[name-in-erasure-log]"))
        #expect(Support.read(dir + "/Cohorts/test/roster.csv") == TrackerSupport.smallRoster)
    }

    @Test func statusEngineCountsAttendanceShareAttemptsAndExpiry() throws {
        let dir = TrackerSupport.smallProject(records: """
        id,date,worker,item,event,by,note
        R000001,2026-01-12,W01,M01,attended,T,
        R000002,2026-01-19,W01,M02,attended,T,
        R000003,2026-01-26,W01,M02,absent,T,
        R000004,2026-02-16,W01,A02,failed,T,
        R000005,2026-02-23,W01,A02,failed,T,
        R000006,2026-02-16,W02,A04,passed,T,

        """)
        let paths = ProjectPaths(root: dir)
        let (curriculum, _) = CurriculumLoader.load(paths)
        let location = CohortLocation(folder: "test", directory: dir + "/Cohorts", displayDirectory: "Cohorts", curriculum: curriculum, sites: SiteSet())
        let (cohort, diagnostics) = location.load(today: Support.today)
        #expect(diagnostics.isEmpty)
        func item(_ s: WorkerStatus, _ id: String) -> ItemStatus? { s.items.first { cohort.catalog.ids[$0.item] == id } }
        let w1 = StatusEngine(cohort: cohort, asOf: Support.today).status(of: 0)
        #expect(item(w1, "M01")?.state == .done)
        #expect(item(w1, "M02")?.state == .missing && item(w1, "M02")?.attended == 1 && item(w1, "M02")?.needed == 2)
        #expect(item(w1, "A02")?.state == .failed && item(w1, "A02")?.attemptsUsedUp == true)
        #expect(w1.state == .notPassed)
        let early = StatusEngine(cohort: cohort, asOf: ISODate(year: 2026, month: 2, day: 20)!).status(of: 0)
        #expect(item(early, "A02")?.attemptsUsedUp == false)
        #expect(early.state == .inTraining)
        let later = StatusEngine(cohort: cohort, asOf: ISODate(year: 2027, month: 1, day: 12)!).status(of: 0)
        #expect(item(later, "M01")?.state == .expired)
        let w2 = StatusEngine(cohort: cohort, asOf: ISODate(year: 2027, month: 2, day: 16)!).status(of: 1)
        #expect(item(w2, "A04")?.state == .expired)
        #expect(w2.state == .refresherDue)
        let reserve = StatusEngine(cohort: cohort, asOf: Support.today).status(of: 2)
        #expect(reserve.state == .reserve)
    }
}
