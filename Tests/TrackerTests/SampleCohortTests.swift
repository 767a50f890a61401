import Foundation
import Testing
import CurriculumKit
import KitbagCore
import TrackerKit
import KitbagTestSupport

/// The shipped sample cohort: every overall state, silent checks, explanations, outputs.
@Suite struct SampleCohortTests {
    @Test func statusAsOfDecemberShowsEveryOverallState() throws {
        let dir = TrackerSupport.sampleProject()
        let run = Support.kitbag(["track", "status", "--as-of", "2026-12-01", "--format", "json"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any])
        let workers = try #require(json["workers"] as? [[String: Any]])
        let states = Set(workers.compactMap { $0["state"] as? String })
        for state in OverallState.allCases { #expect(states.contains(state.rawValue), "missing state \(state.rawValue)") }
        #expect(workers.count >= 10)
        let table = Support.kitbag(["track", "status", "--as-of", "2026-12-01"], in: dir)
        for state in OverallState.allCases { #expect(table.out.contains(state.rawValue)) }
    }

    @Test func sampleHasAVoidAWaiverAFailedThenPassedAssessmentAndARefresherDue() {
        let dir = TrackerSupport.sampleProject()
        let records = Support.read(dir + "/Cohorts/brighton-2026/records.csv")
        #expect(records.contains(",void,"))
        #expect(records.contains(",waived,"))
        let why = Support.kitbag(["track", "why", "W05", "--as-of", "2026-12-01"], in: dir)
        #expect(why.out.contains("A02 Role-play of a first meeting: passed on 2026-03-02 after 1 failed attempt"))
        let due = Support.kitbag(["track", "due", "--as-of", "2026-12-01", "--within", "30d"], in: dir)
        #expect(due.out.contains("overdue"))
        // Every ledger date is on or before 2026-11-20.
        for line in records.split(separator: "\n").dropFirst() {
            let date = line.split(separator: ",")[1]
            #expect(date <= "2026-11-20", "\(line)")
        }
    }

    @Test(arguments: ["2026-11-20", "2026-11-21", "2026-12-01", "2027-06-30", "2031-01-01"])
    func checkIsSilentOnTheSampleWhateverTheDate(_ today: String) throws {
        let paths = ProjectPaths(root: Support.repositoryRoot)
        let (curriculum, _) = CurriculumLoader.load(paths)
        let diagnostics = TrackerCheck.diagnostics(paths: paths, cohortsDirectory: nil, curriculum: curriculum, today: try #require(ISODate(today)))
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.formatted))")
    }

    @Test func whyExplainsASignedOffWorkerRuleByRule() {
        let run = Support.kitbag(["track", "why", "W01", "--as-of", "2026-12-01"], in: TrackerSupport.sampleProject())
        #expect(run.status == 0)
        #expect(run.out.hasPrefix("W01 (Amira Okafor): signed off, as of 2026-12-01"))
        #expect(run.out.contains("├── required modules: 12 of 12 met"))
        #expect(run.out.contains("└── required assessments: 9 of 9 met"))
        #expect(run.out.contains("[met] M02 Introduction to peer support for discharge: attended 2 of 2 sessions needed"))
        #expect(run.out.contains("· R000002 attended 2026-01-12 by Trust learning team"))
        #expect(run.out.contains("overall: signed off: all 21 required items met"))
    }

    @Test func whyExplainsAWorkerInTrainingWithTheReasonsNotMet() {
        let run = Support.kitbag(["track", "why", "W04", "--as-of", "2026-12-01"], in: TrackerSupport.sampleProject())
        #expect(run.status == 0)
        #expect(run.out.contains("[not met] M02 Introduction to peer support for discharge: attended 1 of 2 sessions needed"))
        #expect(run.out.contains("absent 2026-01-26"))
        #expect(run.out.contains("[not met] A07 Role-play of a difficult conversation: not attempted"))
        #expect(run.out.contains("overall: in training: 3 required items not met: M02, A07, A09"))
    }

    @Test func whyShowsAVoidedRowAsNotCounted() {
        let run = Support.kitbag(["track", "why", "W10", "--as-of", "2026-12-01"], in: TrackerSupport.sampleProject())
        #expect(run.out.contains("(voided by R000248"))
        #expect(run.out.contains("not counted)"))
    }

    @Test func statusCSVHasOneLinePerWorkerAndEveryItem() {
        let run = Support.kitbag(["track", "status", "--as-of", "2026-12-01", "--format", "csv"], in: TrackerSupport.sampleProject())
        let lines = run.out.split(separator: "\n")
        #expect(lines.count == 13)
        #expect(lines[0].hasPrefix("worker,name,site,roster,state,met,required,M01,"))
        #expect(lines.contains { $0.hasPrefix("W06,Hollie Carver,Brighton,active,not passed,19,21,") && $0.contains("failed 2/2") })
        #expect(lines.contains { $0.contains("\"Brighton, Moulsecoomb\"") })
    }

    @Test func asOfAnEarlierDateShowsLessDone() {
        let run = Support.kitbag(["track", "status", "--as-of", "2026-02-01", "--worker", "W01", "--format", "csv"], in: TrackerSupport.sampleProject())
        #expect(run.out.contains("W01,Amira Okafor,Brighton,active,in training,3,21,"))
    }

    @Test func reportIsSelfContainedWithAHeatMapThatShowsNumbers() {
        let dir = TrackerSupport.sampleProject()
        let out = dir + "/report.html"
        let run = Support.kitbag(["track", "report", "--as-of", "2026-12-01", "--out", out], in: dir)
        #expect(run.status == 0, "\(run.err)")
        let html = Support.read(out)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<svg class=\"heatmap\""))
        #expect(html.contains(">100%</text>"))
        #expect(html.contains("@media print"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("src=\"http"))
        #expect(!html.contains("href=\"http"))
        let record = Support.kitbag(["track", "report", "--as-of", "2026-12-01", "--worker", "W05"], in: dir)
        #expect(record.out.contains("Training record: W05 (Grace Mensah)"))
        #expect(record.out.contains("Peer worker signature"))
    }

    @Test func xapiExportUsesADLVerbsAndAccountsOnly() throws {
        let run = Support.kitbag(["track", "export", "--xapi", "--as-of", "2026-12-01"], in: TrackerSupport.sampleProject())
        #expect(run.status == 0)
        let statements = try #require(JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [[String: Any]])
        let verbs = Set(statements.compactMap { ($0["verb"] as? [String: Any])?["id"] as? String })
        #expect(verbs == ["http://adlnet.gov/expapi/verbs/attended", "http://adlnet.gov/expapi/verbs/passed",
                          "http://adlnet.gov/expapi/verbs/failed", "http://adlnet.gov/expapi/verbs/completed"])
        for s in statements {
            let actor = try #require(s["actor"] as? [String: Any])
            #expect(actor["name"] == nil && actor["mbox"] == nil)
            let account = try #require(actor["account"] as? [String: Any])
            #expect((account["name"] as? String)?.hasPrefix("W") == true)
        }
        // The voided row is not exported.
        #expect(!run.out.contains("\"R000141\""))
    }

    @Test func dueWritesAnICalendarFile() {
        let run = Support.kitbag(["track", "due", "--as-of", "2026-12-01", "--within", "60d", "--ics"], in: TrackerSupport.sampleProject())
        #expect(run.out.hasPrefix("BEGIN:VCALENDAR\r\n"))
        #expect(run.out.contains("DTSTART;VALUE=DATE:20261124\r\n"))
        #expect(run.out.hasSuffix("END:VCALENDAR\r\n"))
    }

    @Test func outstandingListsWhatEachWorkerStillNeeds() {
        let run = Support.kitbag(["track", "outstanding", "--as-of", "2026-12-01"], in: TrackerSupport.sampleProject())
        #expect(run.out.contains("M02 Introduction to peer support for discharge: attend 1 more session (1 of 2 needed so far)"))
        #expect(run.out.contains("A07 Role-play of a difficult conversation: no attempts left (2 of 2 failed): not passed"))
        #expect(!run.out.contains("W09"))  // withdrawn
    }
}
