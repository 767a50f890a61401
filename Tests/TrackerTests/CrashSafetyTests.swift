import Foundation
import Testing
import CurriculumKit
import KitbagCore
import TrackerKit
import KitbagTestSupport

/// No record lost: concurrent writers and writers killed at random points, using the built
/// `kitbag` executable as a separate process.
@Suite(.serialized) struct CrashSafetyTests {
    /// A project whose roster has ten workers who joined long ago, so many distinct rows fit.
    func project() -> String {
        let dir = TrackerSupport.smallProject(records: "id,date,worker,item,event,by,note\n")
        var roster = "id,name,site,status,joined\n"
        for w in 1...10 { roster += "W\(w),Person \(w),Site,active,2020-01-01\n" }
        Support.write(roster, to: dir + "/Cohorts/test/roster.csv")
        return dir
    }

    /// Loads the cohort and returns the ledger diagnostics (errors mean the file does not parse).
    func load(_ dir: String) -> (Cohort, [Diagnostic]) {
        let (curriculum, _) = CurriculumLoader.load(ProjectPaths(root: dir))
        return CohortLocation(folder: "test", directory: dir + "/Cohorts", displayDirectory: "Cohorts", curriculum: curriculum, sites: SiteSet())
            .load(today: ISODate.today())
    }

    /// An import sheet of `count` rows for `item`, one per day from `start` (rows unique by date).
    func sheet(item: String, start: Int, count: Int, worker: String) -> String {
        let base = ISODate(year: 2021, month: 1, day: 1)!.dayNumber
        var text = "date,worker,item,event,by,note\n"
        for k in 0..<count {
            text += "\(ISODate(dayNumber: base + start + k)),\(worker),\(item),attended,Writer \(item),\n"
        }
        return text
    }

    @Test func twoProcessesAppending500RowsEachEndWith1000WellFormedRows() throws {
        let binary = try #require(Support.kitbagBinary(), "build the kitbag product first")
        let dir = project()
        // Each process runs 20 imports of 25 rows, so the two interleave under the lock.
        var scripts: [String] = []
        for (p, item) in ["M03", "M04"].enumerated() {
            var script = "set -e\n"
            for k in 0..<20 {
                let path = dir + "/sheet-\(p)-\(k).csv"
                Support.write(sheet(item: item, start: k * 25, count: 25, worker: "W\(p + 1)"), to: path)
                script += "'\(binary)' -C '\(dir)' record import '\(path)' >/dev/null\n"
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
        let (cohort, diagnostics) = load(dir)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.formatted))")
        #expect(cohort.ledger.rows.count == 1000)
        #expect(cohort.ledger.rows.map(\.number) == Array(1...1000))
        let text = Support.read(dir + "/Cohorts/test/records.csv")
        #expect(text.split(separator: "\n").count == 1001)
    }

    @Test func aWriterKilledAtRandomPointsNeverLosesACommittedRow() throws {
        let binary = try #require(Support.kitbagBinary(), "build the kitbag product first")
        let dir = project()
        var committed: [String: String] = [:]  // id -> date
        var generator = SystemRandomNumberGenerator()
        let base = ISODate(year: 2021, month: 1, day: 1)!.dayNumber
        var killedMidway = 0
        var tornSeen = 0
        for k in 0..<40 {
            let date = ISODate(dayNumber: base + k).description
            let (process, pipe) = try Support.start(binary, ["-C", dir, "record", "attended", "--module", "M05", "--date", date,
                                                                    "--by", "Loop", "W3", "W4"])
            usleep(UInt32.random(in: 1_000...40_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            if process.terminationReason == .exit && process.terminationStatus == 0 {
                for line in out.split(separator: "\n") where line.hasPrefix("recorded ") {
                    committed[String(line.dropFirst("recorded ".count))] = date
                }
            } else {
                killedMidway += 1
            }
            // A kill mid-row, made certain: every fourth round an append stops part-way
            // through a row (before its line break), exactly as a killed writer leaves it.
            if k % 4 == 0 {
                let row = Array("9999,\(date),W9,M05,attended,Loop,\n".utf8)
                let cut = Int.random(in: 1..<row.count - 1, using: &generator)
                #expect(throws: FileError.self) {
                    try AppendOnlyFile.append(row, to: dir + "/Cohorts/test/records.csv", truncatingTo: nil, slice: 1, proceed: { $0 < cut })
                }
            }
            // After every kill the file parses: at most a torn last line, which is only a warning.
            let (cohort, diagnostics) = load(dir)
            #expect(!diagnostics.containsErrors, "\(diagnostics.map(\.formatted))")
            if diagnostics.contains(where: { $0.code.rawValue == "torn-append" }) { tornSeen += 1 }
            let ids = Set(cohort.ledger.rows.map(\.idText))
            for id in committed.keys { #expect(ids.contains(id), "lost committed row \(id)") }
        }
        // A last, unhurried writer repairs any torn line and appends.
        let (final, _) = try Support.start(binary, ["-C", dir, "record", "attended", "--module", "M06", "--date", "2021-06-01", "--by", "Loop", "W5"])
        final.waitUntilExit()
        #expect(final.terminationStatus == 0)
        let (cohort, diagnostics) = load(dir)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.formatted))")
        let byID = Dictionary(uniqueKeysWithValues: cohort.ledger.rows.map { ($0.idText, $0.date.description) })
        for (id, date) in committed { #expect(byID[id] == date) }
        #expect(killedMidway > 0)
        #expect(tornSeen >= 10)
        print("killed \(killedMidway) of 40 writers; \(tornSeen) left a torn line; \(committed.count) rows committed")
    }
}
