// A cohort's roster.csv and records.csv through the loader, and when they load without
// errors, through the status engine and every output made from it (tables, CSV, JSON, HTML,
// to-do lists, refreshers, why, xAPI). The input is `roster NUL records`, or records alone
// with the sample roster. The curriculum is the sample's, loaded once.
import FuzzSupport
import KitbagCore
import CurriculumKit
import TrackerKit

let today = ISODate(year: 2026, month: 12, day: 1)!
let curriculum = CurriculumLoader.load(ProjectPaths(root: Fuzz.repository)).0
let location = CohortLocation(folder: "fuzzed", directory: FileSystem.join(Fuzz.scratch, "Cohorts"),
                              displayDirectory: "Cohorts", curriculum: curriculum, sites: SiteSet.load(ProjectPaths(root: Fuzz.repository)))
let sample = "Cohorts/brighton-2026"
let sampleRoster = (try? FileSystem.readBytes(FileSystem.join(Fuzz.repository, sample, "roster.csv"))) ?? []
Fuzz.copySample(sample + "/cohort.md", to: FileSystem.join(location.path, "cohort.md"))

Fuzz.run { bytes in
    let (roster, records) = Fuzz.split(bytes) ?? (sampleRoster[...], bytes[...])
    Fuzz.write(roster, to: FileSystem.join(location.path, "roster.csv"))
    Fuzz.write(records, to: FileSystem.join(location.path, "records.csv"))
    let (cohort, diagnostics) = location.load(today: today)
    for d in diagnostics { _ = d.formatted }
    guard !diagnostics.containsErrors else { return }
    for anonymise in [false, true] {
        let view = StatusView(cohort: cohort, asOf: today, anonymise: anonymise)
        for format in StatusFormat.allCases { _ = view.render(format) }
        let todo = ToDo(view: view)
        _ = todo.outstandingText()
        _ = todo.outstandingCSV()
        _ = todo.dueText(withinDays: 36_525)
        _ = todo.dueCalendar(withinDays: 90)
        let report = ReportWriter(view: view)
        _ = report.dashboard()
        _ = report.statusPage()
        for w in cohort.workers.indices.prefix(3) {
            _ = WhyExplainer(view: view).explain(worker: w)
            _ = report.workerRecord(w)
        }
        _ = XAPIExport(cohort: cohort, homePage: "https://kitbag.invalid/c", anonymise: anonymise, asOf: today).render()
    }
}
