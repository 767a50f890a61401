import Foundation
import KitbagCLI
import KitbagCore
import Testing
import KitbagTestSupport

/// Command-line rules every command shares: the project folder must exist, the site folder
/// must lie outside the sources, help and colour follow the usual conventions.
@Suite struct CommandSafetyTests {
    static let commands: [[String]] = [
        ["build"], ["check"], ["watch", "--once"], ["curriculum", "export"], ["record", "attended", "W01", "--module", "M01"],
        ["track", "status"], ["propose", "Handbook/01-x.md", "--group", "G"], ["proposals", "list"],
    ]

    @Test(arguments: commands)
    func aMissingProjectFolderIsAUsageErrorForEveryCommand(_ command: [String]) {
        let console = Console.buffered()
        let status = KitbagCommandLine.run(arguments: ["-C", "/nonexistent/kitbag-project"] + command, io: console)
        #expect(status == ExitStatus.usage)
        #expect(console.err.text.hasPrefix("kitbag: error: -C '/nonexistent/kitbag-project': no such folder\nusage: kitbag \(command[0])"))
        #expect(console.out.text.isEmpty)
    }

    @Test(arguments: ["Handbook", "Handbook/site", "Curriculum/x", "Cohorts", "Fidelity/out", ".", "Handbook/../Handbook/x"])
    func aSiteFolderInsideTheSourcesIsRefused(_ out: String) {
        let dir = Support.sampleProject()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let before = try? FileManager.default.subpathsOfDirectory(atPath: dir).sorted()
        for command in ["build", "watch"] {
            let run = Support.kitbag([command, "--out", dir + "/" + out] + (command == "watch" ? ["--once"] : []), in: dir)
            #expect(run.status == ExitStatus.usage, "\(command) --out \(out)")
            #expect(run.err.contains("usage: kitbag \(command)"))
        }
        #expect((try? FileManager.default.subpathsOfDirectory(atPath: dir).sorted()) == before, "nothing was written")
    }

    /// Every command that writes a page or a file to `--out`, with the file it would write.
    static let fileCommands: [[String]] = [
        ["fidelity", "report"], ["track", "report"], ["track", "register", "--module", "M05", "--date", "2026-04-02", "--format", "html"],
        ["track", "matrix", "--format", "html"], ["editions", "report"], ["proposals", "review"],
        ["proposals", "report", "--group", "G"], ["curriculum", "export", "--case"],
    ]

    @Test(arguments: fileCommands)
    func aFileOutInsideTheSourcesIsRefused(_ command: [String]) throws {
        let dir = Support.sampleProject()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/Fidelity", withIntermediateDirectories: true)
        // A symbolic link beside the sources that leads into them is resolved before comparing.
        try FileManager.default.createSymbolicLink(atPath: dir + "/into-fidelity", withDestinationPath: dir + "/Fidelity")
        let before = Support.files(under: dir).map { ($0, Support.read(dir + "/" + $0)) }
        for out in ["Fidelity/ratings.csv", "Handbook/01-what-is-enrich.md", "Curriculum/new.html", "Cohorts/x.html",
                    "Proposals/x.html", "Proposals/_review", "out/../Handbook/x.html", "into-fidelity/ratings.csv", "."] {
            let run = Support.kitbag(command + ["--out", dir + "/" + out], in: dir)
            #expect(run.status == ExitStatus.usage, "\(command) --out \(out): \(run.err)")
            #expect(run.err.contains("usage: kitbag \(command[0])"), "\(command) --out \(out)")
        }
        let after = Support.files(under: dir).map { ($0, Support.read(dir + "/" + $0)) }
        #expect(after.map(\.0) == before.map(\.0) && after.map(\.1) == before.map(\.1), "nothing was written")
    }

    @Test func aFileOutInTheReviewFolderOrOutsideIsFine() {
        let dir = Support.sampleProject()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(Support.kitbag(["proposals", "review", "--out", dir + "/Proposals/_review/mine.html"], in: dir).status != ExitStatus.usage)
        let run = Support.kitbag(["fidelity", "report", "--out", dir + "/fidelity.html"], in: dir)
        #expect(run.status == 0, "\(run.err)")
        #expect(FileManager.default.fileExists(atPath: dir + "/fidelity.html"))
    }

    @Test func aSiteFolderBesideTheSourcesIsFine() {
        let dir = Support.sampleProject()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = Support.kitbag(["build", "--quiet", "--out", dir + "/site"], in: dir)
        #expect(run.status == 0, "\(run.err)")
    }

    @Test func helpHelpExplainsHelp() {
        let console = Console.buffered()
        #expect(KitbagCommandLine.run(arguments: ["help", "help"], io: console) == 0)
        #expect(console.out.text.hasPrefix("usage: kitbag help [COMMAND]"))
    }

    @Test func anEmptyNoColorLeavesColourOn() {
        #expect(Console.colourAllowed(by: [:]))
        #expect(Console.colourAllowed(by: ["NO_COLOR": ""]))
        #expect(!Console.colourAllowed(by: ["NO_COLOR": "1"]))
    }
}
