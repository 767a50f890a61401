import Foundation
import Testing
import CurriculumKit
import FidelityKit
import KitbagCore
import KitbagTestSupport

/// Scores and agreement on the sample ratings, against figures worked out by hand.
@Suite struct FidelityScoreTests {
    @Test func sampleCheckStrictIsSilent() {
        let run = Support.kitbag(["check", "--strict"], in: Support.repositoryRoot)
        #expect(run.err == "")
        #expect(run.status == 0)
    }

    /// The fixture was worked out from the rows of the sample, not by kitbag. For example
    /// Hastings, round 2, domain D3 (items F07, F08, F09): F07 is rated 2, 1, 3, 2 by the two
    /// participants and two peer workers (mean 2), F08 also 2 by the coordinator (10/5 = 2),
    /// F09 3, 2, 2 by the peer workers and the coordinator (7/3); D3 = (2 + 2 + 7/3) / 3 = 2.11.
    /// P4 is served by D3 and D5 (F13 2, F14 2, F15 1): (2 + 2 + 7/3 + 2 + 2 + 1) / 6 = 1.89.
    @Test func statusRoundTwoAsCSVMatchesTheFixtureWorkedOutByHand() {
        let run = Support.kitbag(["fidelity", "status", "--round", "2", "--format", "csv"], in: FidelitySupport.project())
        #expect(run.status == 0)
        #expect(run.err == "")
        #expect(run.out == Support.read(Support.fixtures("status-round-2.csv")))
    }

    @Test func statusUsesTheSettledRatingElseTheMeanOfTheTwoRaters() {
        let h = FidelitySupport.header
        let two = h + "R000001,2026-10-01,brighton,3,peer worker,pw-1,F01,rater-a,1,\nR000002,2026-10-01,brighton,3,peer worker,pw-1,F01,rater-b,4,\n"
        let mean = Support.kitbag(["fidelity", "status", "--format", "csv"], in: FidelitySupport.project(ratings: two))
        #expect(mean.out.contains("brighton,3,item,F01,2.50,1\n"))
        let settled = two + "R000003,2026-10-08,brighton,3,peer worker,pw-1,F01,settled,3,agreed\n"
        let run = Support.kitbag(["fidelity", "status", "--format", "csv"], in: FidelitySupport.project(ratings: settled))
        #expect(run.out.contains("brighton,3,item,F01,3.00,1\n"))
        #expect(run.out.contains("brighton,3,domain,D1,3.00,1\n"))
        #expect(run.out.contains("brighton,3,principle,P1,3.00,1\n"))
        #expect(run.out.contains("brighton,3,principle,P2,,0\n"))
    }

    /// The double-rated interview (Hastings, round 1, peer worker pw-1), twelve items:
    ///
    ///     item  F01 F03 F04 F05 F06 F07 F08 F09 F10 F12 F13 F14
    ///     A      3   2   3   2   1   3   2   2   4   3   1   2
    ///     B      3   2   2   2   3   3   3   2   4   3   1   1
    ///
    /// Exact agreement on 8 of 12 (66.7%). Linear weights on 0-4: w = 1 - |a - b| / 4, so
    /// Po = (8 + 3 x 0.75 + 0.5) / 12 = 129/144. Rater A's scores: 1 twice, 2 five times, 3 four
    /// times, 4 once; rater B's: 1 twice, 2 four times, 3 five times, 4 once. Pe = sum of
    /// w(i, j) nA(i) nB(j) / 144 = (15.5 + 48.75 + 39 + 7.25) / 144 = 110.5/144.
    /// Kappa = (129 - 110.5) / (144 - 110.5) = 18.5 / 33.5 = 0.552.
    @Test func agreementOnTheDoubleRatedInterviewMatchesKappaWorkedOutByHand() throws {
        let dir = FidelitySupport.project()
        let run = Support.kitbag(["fidelity", "agreement"], in: dir)
        #expect(run.status == 0)
        #expect(run.out.contains("  overall  12     66.7%   0.552\n"))
        #expect(run.out.contains("interview hastings, round 1, peer worker pw-1: rater-a and rater-b"))
        // F06 (1 and 3) is settled in the sample, so nothing is left to settle.
        #expect(run.out.contains("no ratings differ by more than one point"))
        let f = try #require(Agreement.figures([(3, 3), (2, 2), (3, 2), (2, 2), (1, 3), (3, 3), (2, 3), (2, 2), (4, 4), (3, 3), (1, 1), (2, 1)], scale: [0, 1, 2, 3, 4]))
        #expect(abs((f.kappa ?? 0) - 18.5 / 33.5) < 1e-12)
        #expect(abs(f.percent - 8.0 / 12.0) < 1e-12)
    }

    @Test func agreementListsRatingsMoreThanOnePointApartUntilTheyAreSettled() {
        let dir = FidelitySupport.project()
        let path = dir + "/Fidelity/ratings.csv"
        let text = Support.read(path).split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains(",settled,") }.joined(separator: "\n")
        Support.write(text, to: path)
        let run = Support.kitbag(["fidelity", "agreement", "--site", "hastings", "--round", "1"], in: dir)
        #expect(run.out.contains("to settle (more than one point apart; record the agreed score with --rater settled):\n  F06 in hastings, round 1, peer worker pw-1: rater-a 1, rater-b 3\n"))
        let none = Support.kitbag(["fidelity", "agreement", "--site", "brighton"], in: dir)
        #expect(none.out == "no double-rated interviews\n")
        #expect(none.status == 0)
    }
}

/// Every rejection: exit 1, the error at the sheet's line and column, ratings.csv unchanged.
@Suite struct FidelityRejectionTests {
    static let columns = "date,site,round,respondent-kind,respondent,item,rater,score,note\n"

    func rejects(_ row: String, code: String, at place: String, sourceLine: Int = 0) {
        let dir = FidelitySupport.project()
        let before = Support.bytes(dir + "/Fidelity/ratings.csv")
        Support.write(Self.columns + row + "\n", to: dir + "/sheet.csv")
        let run = Support.kitbag(["fidelity", "import", dir + "/sheet.csv"], in: dir)
        #expect(run.status == 1)
        #expect(run.err.contains("sheet.csv:\(place): error: "), "\(run.err)")
        #expect(run.err.contains("[\(code)]"), "\(run.err)")
        #expect(Support.bytes(dir + "/Fidelity/ratings.csv") == before)
    }

    // Cells: date A, site B, round C, respondent-kind D, respondent E, item F, rater G, score H.
    @Test func unknownItem() { rejects("2026-10-01,hastings,3,peer worker,pw-9,F99,rater-a,3,", code: "unknown-fidelity-item", at: "2:F") }
    @Test func unknownSite() { rejects("2026-10-01,worthing,3,peer worker,pw-9,F03,rater-a,3,", code: "unknown-site", at: "2:B") }
    @Test func unknownRespondentKind() { rejects("2026-10-01,hastings,3,carer,pw-9,F03,rater-a,3,", code: "unknown-respondent-kind", at: "2:D") }
    @Test func scoreOutsideTheScale() { rejects("2026-10-01,hastings,3,peer worker,pw-9,F03,rater-a,5,", code: "score-outside-scale", at: "2:H") }
    @Test func itemNotAskedOfThatRespondentKind() { rejects("2026-10-01,hastings,3,peer worker,pw-9,F15,rater-a,3,", code: "item-not-asked", at: "2:F") }
    @Test func duplicateOfALedgerRow() { rejects("2026-10-01,hastings,1,peer worker,pw-1,F03,rater-a,3,", code: "duplicate-rating", at: "2:1") }
    @Test func duplicateWithinTheSheet() {
        rejects("2026-10-01,hastings,3,peer worker,pw-9,F03,rater-a,3,\n2026-10-01,hastings,3,peer worker,pw-9,F03,rater-a,2,", code: "duplicate-rating", at: "3:1")
    }

    @Test func importReadsHeadersInAnyCaseWithSynonymsAndWritesTheProjectsSpelling() {
        let dir = FidelitySupport.project()
        let before = Support.read(dir + "/Fidelity/ratings.csv")
        Support.write("Interview date,SITE,Round,Respondent_Kind,Pseudonym,Question,Rated by,Rating\n2026-10-01, Hastings ,3,Peer Worker,pw-9,f03,rater-a,3\n\n", to: dir + "/sheet.csv")
        let run = Support.kitbag(["fidelity", "import", dir + "/sheet.csv"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        #expect(Support.read(dir + "/Fidelity/ratings.csv") == before + "R000236,2026-10-01,hastings,3,peer worker,pw-9,F03,rater-a,3,\n")
    }

    @Test func recordRejectsWithoutWritingAndAcceptsAGoodRating() {
        let dir = FidelitySupport.project()
        let path = dir + "/Fidelity/ratings.csv"
        let before = Support.bytes(path)
        let base = ["fidelity", "record", "--site", "hastings", "--round", "3", "--respondent-kind", "coordinator", "--respondent", "coord",
                    "--rater", "rater-a", "--date", "2026-11-02"]
        let bad = Support.kitbag(base + ["--item", "F01", "--score", "3"], in: dir)
        #expect(bad.status == 1)
        #expect(bad.err.contains("F01 is not asked of a coordinator; it is asked of participant, peer worker [item-not-asked]"))
        #expect(Support.bytes(path) == before)
        let good = Support.kitbag(base + ["--item", "F15", "--score", "3", "--note", "first visit"], in: dir)
        #expect(good.status == 0, "\(good.err)")
        #expect(good.out == "recorded 1 rating (R000236) in Fidelity/ratings.csv\n")
        #expect(Support.read(path) == String(decoding: before, as: UTF8.self) + "R000236,2026-11-02,hastings,3,coordinator,coord,F15,rater-a,3,first visit\n")
        let void = Support.kitbag(["fidelity", "void", "R000236", "--rater", "rater-a", "--note", "wrong round", "--date", "2026-11-03"], in: dir)
        #expect(void.status == 0, "\(void.err)")
        #expect(Support.read(path).hasSuffix("R000237,2026-11-03,hastings,3,coordinator,coord,R000236,rater-a,void,wrong round\n"))
        let again = Support.kitbag(["fidelity", "void", "R000236", "--rater", "rater-a", "--note", "twice"], in: dir)
        #expect(again.status == 1)
        #expect(again.err.contains("[already-voided]"))
    }
}

/// The ledger survives interrupted appends, concurrent writers and any bytes at all.
@Suite(.serialized) struct FidelityLedgerTests {
    func context(_ dir: String) -> FidelityContext {
        let (curriculum, _) = CurriculumLoader.load(ProjectPaths(root: dir))
        return FidelityContext(curriculum: curriculum, instrument: curriculum.fidelity!, sites: FidelitySites.load(ProjectPaths(root: dir)), today: Support.today)
    }

    @Test func aTornLastLineIsReportedAndRemovedByTheNextAppend() {
        let good = FidelitySupport.header + "R000001,2026-10-01,brighton,3,peer worker,pw-1,F01,rater-a,1,\n"
        let dir = FidelitySupport.project(ratings: good + "R000002,2026-10-01,brigh")
        let check = Support.kitbag(["check"], in: dir)
        #expect(check.err.contains("Fidelity/ratings.csv:3:1: warning: the last line has no line break"))
        let run = Support.kitbag(["fidelity", "record", "--site", "brighton", "--round", "3", "--respondent-kind", "peer worker",
                                          "--respondent", "pw-1", "--item", "F03", "--rater", "rater-a", "--score", "2", "--date", "2026-10-01"], in: dir)
        #expect(run.status == 0)
        #expect(run.err.contains("removed a torn last line"))
        #expect(Support.read(dir + "/Fidelity/ratings.csv") == good + "R000002,2026-10-01,brighton,3,peer worker,pw-1,F03,rater-a,2,\n")
    }

    @Test func randomBytesNeverTrapTheRatingsParser() {
        let dir = FidelitySupport.project()
        let c = context(dir)
        var generator = SystemRandomNumberGenerator()
        let sample = Array(Support.read(dir + "/Fidelity/ratings.csv").utf8.prefix(3000))
        let alphabet = Array("R0123456789,\"\r\n void settled brighton F03 -".utf8)
        for k in 0..<400 {
            var bytes: [UInt8]
            switch k % 3 {
            case 0: bytes = (0..<Int.random(in: 0...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            case 1: bytes = (0..<Int.random(in: 0...300, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            default:
                bytes = sample
                for _ in 0..<8 where !bytes.isEmpty { bytes[Int.random(in: 0..<bytes.count, using: &generator)] = alphabet.randomElement(using: &generator)! }
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator)))
            }
            let (ledger, diagnostics) = RatingsLedger.parse(bytes, display: "r.csv", context: c)
            let lines = bytes.filter { $0 == 10 }.count + 1
            for d in diagnostics { #expect((d.location?.line ?? 0) >= 1 && (d.location?.line ?? 0) <= lines, "\(d.formatted)") }
            #expect(ledger.voided.count == ledger.rows.count)
            _ = FidelityScores.compute(ledger, curriculum: c.curriculum)
            _ = Agreement.compute(ledger, instrument: c.instrument, curriculum: c.curriculum)
        }
    }

    func sheet(_ process: Int, _ batch: Int) -> String {
        var text = FidelityRejectionTests.columns
        for k in 0..<10 { text += "2026-10-01,brighton,\(batch + 1),peer worker,w\(process)-\(k),F01,rater-a,\(k % 5),\n" }
        return text
    }

    @Test func twoProcessesImporting200RatingsEachEndWith400WellFormedRows() throws {
        let binary = try #require(Support.kitbagBinary(), "build the kitbag product first")
        let dir = FidelitySupport.project(ratings: FidelitySupport.header)
        var scripts: [String] = []
        for p in 0..<2 {
            var script = "set -e\n"
            for b in 0..<20 {
                let path = dir + "/sheet-\(p)-\(b).csv"
                Support.write(sheet(p, b), to: path)
                script += "'\(binary)' -C '\(dir)' fidelity import '\(path)' >/dev/null\n"
            }
            scripts.append(script)
        }
        let processes = try scripts.map { script -> Process in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", script]
            try p.run()
            return p
        }
        for p in processes { p.waitUntilExit(); #expect(p.terminationStatus == 0) }
        let (ledger, diagnostics) = RatingsLedger.load(ProjectPaths(root: dir), context: context(dir))
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.formatted))")
        #expect(ledger.rows.map(\.number) == Array(1...400))
    }

    @Test func aWriterKilledAtRandomPointsNeverLosesACommittedRating() throws {
        let binary = try #require(Support.kitbagBinary(), "build the kitbag product first")
        let dir = FidelitySupport.project(ratings: FidelitySupport.header)
        var committed = 0
        var generator = SystemRandomNumberGenerator()
        for k in 0..<30 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = ["-C", dir, "fidelity", "record", "--site", "hastings", "--round", "1", "--respondent-kind", "participant",
                           "--respondent", "p\(k)", "--item", "F01", "--rater", "rater-a", "--score", "2", "--date", "2026-10-01"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(UInt32.random(in: 1_000...60_000, using: &generator))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            if p.terminationReason == .exit && p.terminationStatus == 0 { committed += 1 }
            // Every third round, an append that stops part-way through a row, as a kill leaves it.
            if k % 3 == 0 {
                let row = Array("torn,row,\(k),that,never,ends\n".utf8)
                let cut = Int.random(in: 1..<row.count - 1, using: &generator)
                #expect(throws: FileError.self) {
                    try AppendOnlyFile.append(row, to: ProjectPaths(root: dir).path(RatingsLedger.file), truncatingTo: nil, slice: 1, proceed: { $0 < cut })
                }
                let (_, torn) = RatingsLedger.load(ProjectPaths(root: dir), context: context(dir))
                #expect(torn.contains { $0.code == "torn-append" })
            }
            let (ledger, diagnostics) = RatingsLedger.load(ProjectPaths(root: dir), context: context(dir))
            #expect(diagnostics.filter { $0.code != "torn-append" }.isEmpty, "\(diagnostics.map(\.formatted))")
            #expect(ledger.rows.count >= committed)
            #expect(ledger.rows.map(\.number) == Array(0..<ledger.rows.count).map { $0 + 1 })
        }
        // A final append repairs whatever the last kill left.
        let run = Support.kitbag(["fidelity", "record", "--site", "hastings", "--round", "2", "--respondent-kind", "participant",
                                          "--respondent", "last", "--item", "F01", "--rater", "rater-a", "--score", "2", "--date", "2026-10-01"], in: dir)
        #expect(run.status == 0)
        let (_, after) = RatingsLedger.load(ProjectPaths(root: dir), context: context(dir))
        #expect(after.isEmpty)
    }
}

/// The report: contrast, links to each principle's traceability page, a real browser.
@Suite struct FidelityReportTests {
    @Test func everyShadeKeepsTextAtAAContrast() {
        for shade in FidelityReport.shades + [FidelityReport.emptyShade] {
            #expect(FidelityReport.contrast(shade.fill, shade.text) >= 4.5, "\(shade)")
        }
        #expect(abs(FidelityReport.contrast("#ffffff", "#000000") - 21) < 1e-9)
    }

    func report(_ dir: String) -> String {
        let run = Support.kitbag(["fidelity", "report", "--out", dir + "/fidelity.html"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        return Support.read(dir + "/fidelity.html")
    }

    @Test func everyPrincipleRowLinksToItsTraceabilityPageInEveryRound() {
        let dir = FidelitySupport.project()
        let html = report(dir)
        for p in 1...5 {
            let link = "<a class=\"principle\" href=\"_site/curriculum/P\(p).html\">"
            #expect(html.components(separatedBy: link).count - 1 == 2, "P\(p)")
        }
        #expect(html.contains("<h2 id=\"changes\">Change between rounds</h2>"))
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"))
    }

    @Test func linksReachTheBuiltHandbookFromWhereverTheReportIsWritten() throws {
        let dir = FidelitySupport.project()
        try FileManager.default.createDirectory(atPath: dir + "/reports/2026", withIntermediateDirectories: true)
        let run = Support.kitbag(["fidelity", "report", "--out", dir + "/reports/2026/fidelity.html"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        #expect(Support.read(dir + "/reports/2026/fidelity.html").contains("href=\"../../_site/curriculum/P1.html\""))
        let elsewhere = dir + "-shared"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        let handbook = Support.kitbag(["fidelity", "report", "--out", elsewhere + "/f.html", "--handbook", dir + "/_site"], in: dir)
        #expect(handbook.status == 0, "\(handbook.err)")
        let base = FileSystem.relativePath(from: FileSystem.canonical(elsewhere), to: FileSystem.canonical(dir + "/_site"))
        #expect(base.hasPrefix("../"))
        #expect(Support.read(elsewhere + "/f.html").contains("href=\"\(base)/curriculum/P1.html\""))
    }

    @Test func relativePathsBetweenFolders() {
        #expect(FileSystem.relativePath(from: "/p/reports", to: "/p/_site") == "../_site")
        #expect(FileSystem.relativePath(from: "/p", to: "/p/_site") == "_site")
        #expect(FileSystem.relativePath(from: "/p/_site", to: "/p/_site") == ".")
        #expect(FileSystem.relativePath(from: "/a/b/c", to: "/x") == "../../../x")
    }

    @Test func aSiteWithACohortShowsItsTrainingCoverageBesideTheScore() {
        let dir = FidelitySupport.project()
        let cohort = dir + "/Cohorts/brighton-2026/cohort.md"
        let text = Support.read(cohort)
        if !text.contains("edition: brighton") {
            Support.write(text.replacingOccurrences(of: "id: brighton-2026\n", with: "id: brighton-2026\nedition: brighton\n"), to: cohort)
        }
        let html = report(dir)
        #expect(html.contains("Training coverage: brighton from cohort brighton-2026."))
        #expect(html.contains(" · training "))
    }

    @Test func theReportRendersInHeadlessChromium() throws {
        let dir = FidelitySupport.project()
        _ = report(dir)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", "file://" + dir + "/fidelity.html"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "chromium is needed: apt-get install -y chromium")
        let dom = String(decoding: data, as: UTF8.self)
        #expect(dom.contains("<h2 id=\"round-2\">Round 2</h2>"))
        #expect(dom.components(separatedBy: "class=\"principle\"").count - 1 == 10)
    }
}
