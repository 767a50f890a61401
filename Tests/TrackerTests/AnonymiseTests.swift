import Foundation
import Testing
import KitbagCore
import KitbagTestSupport

/// `--anonymise`: no name from the roster in any output format.
@Suite struct AnonymiseTests {
    static let commands: [[String]] = [
        ["track", "status"],
        ["track", "status", "--format", "csv"],
        ["track", "status", "--format", "json"],
        ["track", "status", "--format", "html"],
        ["track", "why", "W10"],
        ["track", "why", "W04"],
        ["track", "outstanding"],
        ["track", "outstanding", "--format", "csv"],
        ["track", "due", "--within", "90d"],
        ["track", "due", "--within", "90d", "--ics"],
        ["track", "report"],
        ["track", "report", "--worker", "W03"],
        ["track", "export", "--xapi"],
    ]

    @Test(arguments: commands)
    func noRosterNameInAnonymisedOutput(_ command: [String]) {
        let dir = TrackerSupport.sampleProject()
        let run = Support.kitbag(command + ["--as-of", "2026-12-01", "--anonymise"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.count > 100)
        let names = TrackerSupport.sampleNames()
        #expect(names.count == 12)
        for name in names {
            #expect(!run.out.contains(name), "\(name) in \(command)")
            for part in name.split(separator: " ") where part.count >= 4 {
                #expect(!run.out.contains(part), "\(part) in \(command)")
            }
        }
        // Without --anonymise the names are there, so the check above means something.
        if !command.contains("--xapi") && !command.contains("--ics") {
            let named = Support.kitbag(command + ["--as-of", "2026-12-01"], in: dir)
            #expect(names.contains { named.out.contains($0) })
        }
    }

    @Test func csvOutputNeutralisesFormulaCells() {
        let dir = TrackerSupport.smallProject()
        Support.write("id,name,site,status,joined\nW01,\"=HYPERLINK(\"\"x\"\")\",+Site,active,2026-01-12\nW02,@Bad,-1,active,2026-01-12\n", to: dir + "/Cohorts/test/roster.csv")
        let run = Support.kitbag(["track", "status", "--format", "csv"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("W01,\"'=HYPERLINK(\"\"x\"\")\",'+Site,"))
        #expect(run.out.contains("W02,'@Bad,'-1,"))
    }
}
