// `kitbag record import`: a spreadsheet's CSV checked row by row against the sample cohort and
// appended to its ledger under the lock (all or nothing); then the same bytes as a training
// matrix (`--matrix`, one row per worker, one column per item), as a dry run. The ledger is
// reset for each input. Property: a refused sheet leaves records.csv byte for byte as it was.
import FuzzSupport
import KitbagCore
import CurriculumKit
import TrackerKit

let today = ISODate(year: 2026, month: 12, day: 1)!
let curriculum = CurriculumLoader.load(ProjectPaths(root: Fuzz.repository)).0
let location = CohortLocation(folder: "fuzzed", directory: FileSystem.join(Fuzz.scratch, "Cohorts"),
                              displayDirectory: "Cohorts", curriculum: curriculum, sites: SiteSet.load(ProjectPaths(root: Fuzz.repository)))
let sample = "Cohorts/brighton-2026"
for file in ["cohort.md", "roster.csv"] { Fuzz.copySample(sample + "/" + file, to: FileSystem.join(location.path, file)) }
let records = (try? FileSystem.readBytes(FileSystem.join(Fuzz.repository, sample, "records.csv"))) ?? []
let recordsPath = FileSystem.join(location.path, "records.csv")

Fuzz.run { bytes in
    Fuzz.write(records, to: recordsPath)
    let outcome = LedgerWriter.append(to: location, today: today) { cohort, bag in
        ImportSheet.rows(bytes, display: "sheet.csv", cohort: cohort, today: today, into: &bag)
    }
    for d in outcome.diagnostics { _ = d.formatted }
    if outcome.diagnostics.containsErrors {
        Fuzz.expect((try? FileSystem.readBytes(recordsPath)) == records, "a refused sheet changed records.csv")
    }
    let matrix = LedgerWriter.append(to: location, today: today, dryRun: true) { cohort, bag in
        MatrixSheet.rows(bytes, display: "matrix.csv", cohort: cohort, today: today, by: "Trainer One", date: today, into: &bag).rows
    }
    for d in matrix.diagnostics { _ = d.formatted }
}
