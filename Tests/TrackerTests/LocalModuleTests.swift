import Foundation
import KitbagTestSupport
import Testing

/// A site's local module standing in for a programme module (docs/editions.md): a cohort that
/// trains with the site's edition records against the local module's ID, and the tracker
/// counts it as the programme module.
@Suite struct LocalModuleTests {
    typealias S = Support

    /// The sample handbook (with its sites), curriculum and cohort (`edition: brighton`).
    static func project() -> String { S.sampleProject(["Handbook", "Curriculum", "Cohorts"]) }

    static func append(_ rows: String, to dir: String) {
        let path = dir + "/Cohorts/brighton-2026/records.csv"
        S.write(S.read(path) + rows, to: path)
    }

    static func setEdition(_ line: String, in dir: String) {
        let path = dir + "/Cohorts/brighton-2026/cohort.md"
        S.write(S.read(path).replacingOccurrences(of: "edition: brighton\n", with: line), to: path)
    }

    /// W01 is signed off in the sample; with the M08 row voided she lacks M08, and Brighton's
    /// city asset walk (BH-M08) in its place signs her off again.
    @Test func aLocalModuleCountsAsTheProgrammeModuleItStandsInFor() throws {
        let dir = Self.project()
        Self.append("R000249,2026-07-10,W01,R000134,void,Ruth Adeyemi,she went on the city asset walk instead\n", to: dir)
        let without = S.kitbag(["track", "status", "--worker", "W01", "--format", "csv"], in: dir)
        #expect(without.status == 0, "\(without.err)")
        #expect(without.out.contains("in training"), "\(without.out)")

        Self.append("R000250,2026-03-30,W01,BH-M08,attended,Community links team,\n", to: dir)
        let check = S.kitbag(["check", "--strict"], in: dir)
        #expect(check.err.isEmpty, "\(check.err)")
        let with = S.kitbag(["track", "status", "--worker", "W01", "--format", "csv"], in: dir)
        #expect(with.status == 0, "\(with.err)")
        #expect(with.out.contains("signed off"), "\(with.out)")
        let why = S.kitbag(["track", "why", "W01"], in: dir)
        #expect(why.out.contains("[met] M08 "), "\(why.out)")
        #expect(why.out.contains("through BH-M08 City asset walk, the local module standing in for it"), "\(why.out)")
        #expect(why.out.contains("R000250 attended 2026-03-30 (BH-M08, brighton's local module)"), "\(why.out)")
        let todo = S.kitbag(["track", "outstanding", "--worker", "W01"], in: dir)
        #expect(!todo.out.contains("M08"), "\(todo.out)")
    }

    @Test func anUnknownEditionIsAnErrorAtItsPlaceWithADidYouMean() {
        let dir = Self.project()
        Self.setEdition("edition: brigthon\n", in: dir)
        let run = S.kitbag(["check"], in: dir)
        #expect(run.status == 1)
        #expect(run.err.contains("Cohorts/brighton-2026/cohort.md:5:10: error: unknown edition 'brigthon': no site 'Handbook/sites/brigthon.md' [unknown-site]"), "\(run.err)")
        #expect(run.err.contains("did you mean 'brighton'?"), "\(run.err)")
    }

    @Test func aLocalModuleRecordedByACohortWithoutTheSitesEditionIsAnErrorNamingTheSite() {
        let dir = Self.project()
        Self.setEdition("", in: dir)
        // From `record`: nothing is written.
        let before = S.read(dir + "/Cohorts/brighton-2026/records.csv")
        let record = S.kitbag(["record", "attended", "--module", "HS-M01", "--date", "2026-03-30", "--by", "Priya Lal", "W02"], in: dir)
        #expect(record.status == 1)
        #expect(record.err.contains("'HS-M01' is the local module of the hastings edition"), "\(record.err)")
        #expect(S.read(dir + "/Cohorts/brighton-2026/records.csv") == before)

        // In the ledger: an error at the row's item cell.
        Self.append("R000249,2026-03-30,W01,BH-M08,attended,Community links team,\n", to: dir)
        let check = S.kitbag(["check"], in: dir)
        #expect(check.status == 1)
        #expect(check.err.contains("Cohorts/brighton-2026/records.csv:250:24: error: 'BH-M08' is the local module of the brighton edition (Handbook/sites/brighton/asset-walk-module.md), standing in for M08; this cohort names no edition [local-module-outside-edition]"), "\(check.err)")
        #expect(check.err.contains("'edition: brighton'"), "\(check.err)")
    }

    @Test func anotherSitesLocalModuleIsAnErrorForACohortOfThisEdition() {
        let dir = Self.project()
        Self.append("R000249,2026-03-30,W01,HS-M01,attended,Priya Lal,\n", to: dir)
        let check = S.kitbag(["check"], in: dir)
        #expect(check.status == 1)
        #expect(check.err.contains("'HS-M01' is the local module of the hastings edition (Handbook/sites/hastings/induction-module.md), standing in for M01; this cohort trains with the brighton edition [local-module-outside-edition]"), "\(check.err)")
    }
}
