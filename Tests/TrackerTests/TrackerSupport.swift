import Foundation
import KitbagCLI
import KitbagCore

/// Helpers for the tracker tests. No chdir, no global state: every test works on its own
/// temporary copy of a project.
enum TrackerSupport {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let repoRoot = testsFolder.deletingLastPathComponent().deletingLastPathComponent().path
    static let sampleToday = ISODate(year: 2026, month: 12, day: 1)!

    static func temporaryFolder() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kitbag-tracker-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func copy(_ from: String, to: String) {
        try? FileManager.default.createDirectory(atPath: (to as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? FileManager.default.copyItem(atPath: from, toPath: to)
    }

    /// A copy of the sample curriculum and cohort.
    static func sampleProject() -> String {
        let dir = temporaryFolder()
        copy(repoRoot + "/Curriculum", to: dir + "/Curriculum")
        copy(repoRoot + "/Cohorts", to: dir + "/Cohorts")
        return dir
    }

    static let smallRoster = """
    id,name,site,status,joined
    W01,Ada Quennell,Brighton,active,2026-01-12
    W02,Basil Fairweather,Hove,active,2026-01-12
    W03,Corinne Vantongeren,Hove,reserve,2026-03-01

    """

    static let smallRecords = """
    id,date,worker,item,event,by,note
    R000001,2026-01-12,W01,M01,attended,Trainer One,
    R000002,2026-01-19,W01,M02,attended,Trainer One,
    R000003,2026-02-16,W01,A02,failed,Trainer One,first try

    """

    /// The sample curriculum with a small cohort `test` (three workers, three rows).
    static func smallProject(records: String = smallRecords) -> String {
        let dir = temporaryFolder()
        copy(repoRoot + "/Curriculum", to: dir + "/Curriculum")
        write("---\nid: test\nname: Test cohort\nsite: Testing\ncoordinator: Pat Example\nstart: 2026-01-12\n---\n", to: dir + "/Cohorts/test/cohort.md")
        write(smallRoster, to: dir + "/Cohorts/test/roster.csv")
        write(records, to: dir + "/Cohorts/test/records.csv")
        return dir
    }

    struct Run {
        var status: Int32
        var out: String
        var err: String
    }

    /// Runs kitbag in-process with a pinned date.
    static func kitbag(_ arguments: [String], in dir: String, today: ISODate = sampleToday, environment: [String: String] = [:]) -> Run {
        let console = Console(out: TextSink(), err: TextSink(), environment: environment, today: today)
        let status = KitbagCommandLine.run(arguments: ["-C", dir] + arguments, io: console)
        return Run(status: status, out: console.out.text, err: console.err.text)
    }

    static func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
    static func bytes(_ path: String) -> [UInt8] { (try? FileSystem.readBytes(path)) ?? [] }

    static func write(_ text: String, to path: String) {
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The built `kitbag` executable next to the test bundle (same scratch path), if there is one.
    static func kitbagBinary() -> String? {
        var folders: [URL] = []
        let argument0 = URL(fileURLWithPath: CommandLine.arguments[0])
        folders.append(argument0.deletingLastPathComponent())
        for bundle in Bundle.allBundles + [Bundle.main] {
            let url = URL(fileURLWithPath: bundle.bundlePath)
            folders.append(url.deletingLastPathComponent())
            folders.append(url)
        }
        for folder in folders {
            var f = folder
            for _ in 0..<4 {
                let candidate = f.appendingPathComponent("kitbag").path
                if FileManager.default.isExecutableFile(atPath: candidate) && !FileManager.default.fileExists(atPath: candidate + "/") { return candidate }
                f = f.deletingLastPathComponent()
            }
        }
        return nil
    }

    /// Starts the binary with arguments; output is collected in a pipe.
    static func start(_ binary: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (Process, Pipe) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        return (p, out)
    }

    /// Every roster name of the sample cohort.
    static func sampleNames() -> [String] {
        read(repoRoot + "/Cohorts/brighton-2026/roster.csv").split(separator: "\n").dropFirst().compactMap { line in
            line.split(separator: ",").dropFirst().first.map(String.init)
        }
    }
}
