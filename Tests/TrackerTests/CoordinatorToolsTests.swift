import Foundation
import Testing
import KitbagCore
import TrackerKit
import KitbagTestSupport

/// Registers, history, the status table's width, the dashboard and matrix colours, xAPI ids
/// and what an erasure will not log.
@Suite struct CoordinatorToolsTests {
    static let records = "/Cohorts/brighton-2026/records.csv"

    @Test func aTickedRegisterImportsAttendanceForExactlyTheTickedWorkers() {
        let dir = TrackerSupport.sampleProject()
        let csv = Support.kitbag(["track", "register", "--module", "M05", "--date", "2026-11-20", "--by", "Sam Reed", "--format", "csv"], in: dir)
        #expect(csv.status == 0, "\(csv.err)")
        var lines = csv.out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "date,worker,name,item,by,attended")
        #expect(lines[1] == "2026-11-20,W01,Amira Okafor,M05,Sam Reed,")
        #expect(!csv.out.contains("W09"), "withdrawn workers are not on the sheet")
        #expect(csv.out.contains("W07,Imran Siddiqui"), "reserve workers are")
        // Tick W01 (x), W04 (✓) and W10 (yes); leave the rest empty.
        for (k, line) in lines.enumerated() {
            if line.contains(",W01,") { lines[k] += "x" }
            if line.contains(",W04,") { lines[k] += "✓" }
            if line.contains(",W10,") { lines[k] += "yes" }
        }
        Support.write(lines.joined(separator: "\n"), to: dir + "/register.csv")
        let before = Support.read(dir + Self.records).split(separator: "\n").count
        let run = Support.kitbag(["record", "import", dir + "/register.csv"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        let added = Support.read(dir + Self.records).split(separator: "\n").dropFirst(before)
        #expect(added.map { $0.split(separator: ",", omittingEmptySubsequences: false).dropFirst().joined(separator: ",") } == [
            "2026-11-20,W01,M05,attended,Sam Reed,", "2026-11-20,W04,M05,attended,Sam Reed,", "2026-11-20,W10,M05,attended,Sam Reed,",
        ])
        let html = Support.kitbag(["track", "register", "--module", "Keeping well at work", "--date", "2026-11-20"], in: dir)
        #expect(html.out.contains("<h1>Sign-in sheet: M05 Keeping well at work</h1>"))
        #expect(html.out.contains("<td>Imran Siddiqui</td>") && !html.out.contains("Kofi Asante"))
    }

    @Test func aRegisterWithANameThatLooksLikeAFormulaReadsBack() {
        let dir = TrackerSupport.smallProject()
        Support.write(TrackerSupport.smallRoster.replacingOccurrences(of: "Ada Quennell", with: "=Ada Quennell"), to: dir + "/Cohorts/test/roster.csv")
        let csv = Support.kitbag(["track", "register", "--module", "M03", "--date", "2026-03-02", "--by", "T", "--format", "csv"], in: dir)
        #expect(csv.out.contains(",W01,'=Ada Quennell,M03,T,\n"), "\(csv.out)")
        Support.write(csv.out.replacingOccurrences(of: ",W01,'=Ada Quennell,M03,T,\n", with: ",W01,'=Ada Quennell,M03,T,x\n"), to: dir + "/r.csv")
        let run = Support.kitbag(["record", "import", dir + "/r.csv"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out == "recorded R000004\n")
    }

    @Test func aMarkThatIsNotATickIsAnErrorAtItsCell() {
        let dir = TrackerSupport.sampleProject()
        let before = Support.bytes(dir + Self.records)
        Support.write("date,worker,name,item,by,attended\n2026-11-20,W01,Amira Okafor,M05,Sam,x\n2026-11-20,W02,,M05,Sam,no\n", to: dir + "/r.csv")
        let run = Support.kitbag(["record", "import", dir + "/r.csv"], in: dir)
        #expect(run.status == 1)
        #expect(run.err.contains("r.csv:3:F: error: 'no' is not a mark kitbag reads"), "\(run.err)")
        #expect(Support.bytes(dir + Self.records) == before)
    }

    @Test func historyListsRowIdsAndVoids() {
        let dir = TrackerSupport.smallProject()
        #expect(Support.kitbag(["record", "void", "R000002", "--reason", "wrong module"], in: dir).status == 0)
        let run = Support.kitbag(["track", "history", "Ada Quennell"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("R000002  2026-01-19  M02      attended (voided by R000004)  Trainer One"), "\(run.out)")
        #expect(run.out.contains("R000004  2026-12-01  R000002  void"), "\(run.out)")
        #expect(run.out.contains("wrong module"))
    }

    @Test func theStatusTableFitsOneHundredColumnsWithCountsAndTitles() {
        let dir = TrackerSupport.sampleProject()
        let run = Support.kitbag(["track", "status", "--as-of", "2026-12-01"], in: dir)
        #expect(run.status == 0)
        for line in run.out.split(separator: "\n") { #expect(line.unicodeScalars.count <= 100, "\(line)") }
        #expect(run.out.contains("signed off 5 · in training 2 · refresher due 1 · not passed 1 · reserve 2 · withdrawn 1"))
        #expect(!run.out.contains("Keeping well at work"))
        let titled = Support.kitbag(["track", "status", "--titles"], in: dir)
        #expect(titled.out.contains("\nM05  Keeping well at work\n"))
        #expect(titled.out.contains("\nP2  Mutuality and reciprocity\n"))
    }

    @Test func theDashboardGroupsWhatIsStillNeeded() {
        let dir = TrackerSupport.sampleProject()
        let run = Support.kitbag(["track", "report", "--as-of", "2026-12-01"], in: dir)
        #expect(run.out.contains("<details><summary>3 modules, 3 assessments</summary>"))
        #expect(run.out.contains("<details><summary>1 module</summary>"))
    }

    /// WCAG 2.2 contrast of two `#rrggbb` colours.
    static func contrast(_ a: String, _ b: String) -> Double {
        func luminance(_ hex: String) -> Double {
            let v = Int(hex.dropFirst(), radix: 16) ?? 0
            let c = [(v >> 16) & 255, (v >> 8) & 255, v & 255].map { x -> Double in
                let s = Double(x) / 255
                return s <= 0.03928 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
            }
            return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
        }
        let (x, y) = (luminance(a), luminance(b))
        return (max(x, y) + 0.05) / (min(x, y) + 0.05)
    }

    @Test func everyHeatMapAndMatrixCellHasContrastOfAtLeastFourAndAHalf() throws {
        let dir = TrackerSupport.sampleProject()
        let report = Support.kitbag(["track", "report"], in: dir).out
        // Each heat-map cell: a rect's fill, then its text's fill.
        let cell = try Regex(##"<rect x="\d+" y="\d+" width="\d+" height="\d+" fill="(#[0-9a-f]{6})" stroke="#8a8f98" stroke-width="0.5"/><text [^>]*fill="(#[0-9a-f]{6})">"##)
        let cells = report.matches(of: cell)
        #expect(cells.count == 12 * 5)
        var shades = Set<String>()
        for m in cells {
            let fill = String(m.output[1].substring ?? ""), ink = String(m.output[2].substring ?? "")
            shades.insert(fill)
            #expect(Self.contrast(fill, ink) >= 4.5, "\(fill) on \(ink)")
        }
        #expect(shades.count >= 4, "the sample shows several shades")
        let matrix = Support.kitbag(["track", "matrix"], in: dir).out
        let rule = try Regex(##"\.m-([a-z]+) \{ background: (#[0-9a-f]{6}); color: (#[0-9a-f]{6}); \}"##)
        let rules = matrix.matches(of: rule)
        #expect(rules.count == 6)
        for m in rules { #expect(Self.contrast(String(m.output[2].substring ?? ""), String(m.output[3].substring ?? "")) >= 4.5) }
        #expect(matrix.contains("<td class=\"m m-expired\" title=\"M01: expired, valid until 2026-11-24\">X</td>"))
    }

    @Test func statementIdsAreVersionFiveUUIDs() {
        // RFC 9562's example: uuid5(NAMESPACE_DNS, "python.org"), as Python computes it.
        let dns = NameBasedUUID.parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8") ?? []
        #expect(NameBasedUUID.make(namespace: dns, name: "python.org") == "886313e1-3b8a-5372-9b90-0c9aee199e5d")
        #expect(NameBasedUUID.make(namespace: NameBasedUUID.statements, name: "https://kitbag.invalid/cohorts/brighton-2026|brighton-2026/R000001")
                == "b9ed3063-b351-5e2e-b5b1-7379308ecf0c")
    }

    @Test func activitiesNameTheItemNotTheCohortAndTheLanguageComesFromTheBook() {
        let dir = TrackerSupport.sampleProject()
        Support.write("---\ntitle: T\nlanguage: cy\nxapi-base: https://example.org/training\n---\n", to: dir + "/Handbook/book.md")
        Support.copy(dir + "/Cohorts/brighton-2026", to: dir + "/Cohorts/copy")
        Support.write(Support.read(dir + "/Cohorts/copy/cohort.md").replacingOccurrences(of: "id: brighton-2026", with: "id: copy"), to: dir + "/Cohorts/copy/cohort.md")
        let a = Support.kitbag(["track", "export", "--xapi", "--cohort", "brighton-2026"], in: dir).out
        let b = Support.kitbag(["track", "export", "--xapi", "--cohort", "copy"], in: dir).out
        #expect(a.contains("\"id\": \"https://example.org/training/M01\"") && b.contains("\"id\": \"https://example.org/training/M01\""))
        #expect(a.contains("\"language\": \"cy\"") && a.contains("{\"cy\": \"NHS trust induction\"}"))
        #expect(!a.contains("en-GB"))
        let ids = { (text: String) in text.split(separator: "\n").filter { $0.hasPrefix("  {\"id\": ") }.map { String($0.prefix(50)) } }
        #expect(!ids(a).isEmpty && Set(ids(a)).isDisjoint(with: ids(b)), "statement ids differ between cohorts")
        #expect(ids(a) == ids(Support.kitbag(["track", "export", "--xapi", "--cohort", "brighton-2026"], in: dir).out), "and are the same every time")
        #expect(ids(a).allSatisfy { $0.dropFirst(10 + 14).first == "5" }, "version 5")
    }

    @Test func eraseRefusesAByThatNamesTheWorker() {
        let dir = TrackerSupport.smallProject()
        let before = Support.bytes(dir + "/Cohorts/test/records.csv")
        let run = Support.kitbag(["track", "erase", "W01", "--reason", "request by email", "--by", "Ada Quennell"], in: dir)
        #expect(run.status == 1)
        #expect(run.err.contains("--by would be logged, and it contains the worker's name"), "\(run.err)")
        #expect(Support.bytes(dir + "/Cohorts/test/records.csv") == before)
        #expect(!FileManager.default.fileExists(atPath: dir + "/Cohorts/test/erasures.csv"))
        // A coordinator whose name shares letters with the worker's is fine.
        let ok = Support.kitbag(["track", "erase", "W01", "--reason", "request by email", "--by", "Adam Quenby"], in: dir)
        #expect(ok.status == 0, "\(ok.err)")
    }
}
