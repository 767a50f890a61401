// Fidelity/ratings.csv, the ratings ledger, read against the sample's instrument and sites;
// then the scores per site and round, rater agreement and the report made from them; and the
// same bytes as a ratings sheet for `kitbag fidelity import`.
import FuzzSupport
import KitbagCore
import CurriculumKit
import FidelityKit

let paths = ProjectPaths(root: Fuzz.repository)
let curriculum = CurriculumLoader.load(paths).0
let today = ISODate(year: 2026, month: 12, day: 1)!
guard let instrument = curriculum.fidelity else { fatalError("the sample has no Curriculum/fidelity/instrument.md (set KITBAG_ROOT)") }
let context = FidelityContext(curriculum: curriculum, instrument: instrument, sites: FidelitySites.load(paths), today: today)

Fuzz.run { bytes in
    let (ledger, diagnostics) = RatingsLedger.parse(bytes, display: "Fidelity/ratings.csv", context: context)
    for d in diagnostics { _ = d.formatted }
    var bag = DiagnosticBag()
    _ = RatingsImport.rows(bytes, display: "ratings-sheet.csv", context: context, into: &bag)
    guard !diagnostics.containsErrors else { return }
    let rounds = FidelityScores.compute(ledger, curriculum: curriculum)
    _ = FidelityStatusOutput.table(rounds, instrument: instrument)
    _ = FidelityStatusOutput.csv(rounds)
    _ = FidelityStatusOutput.json(rounds)
    _ = Agreement.compute(ledger, instrument: instrument, curriculum: curriculum).text()
    _ = FidelityReport(curriculum: curriculum, instrument: instrument, rounds: rounds, training: [:], handbookBase: "handbook.html").html()
}
