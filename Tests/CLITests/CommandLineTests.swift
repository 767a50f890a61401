import KitbagCLI
import KitbagCore
import Testing

/// The command-line conventions: exit codes, usage lines, help and version.
@Suite struct CommandLineTests {
    func run(_ arguments: [String]) -> (Int32, String, String) {
        let console = Console.buffered()
        let status = KitbagCommandLine.run(arguments: arguments, io: console)
        return (status, console.out.text, console.err.text)
    }

    @Test func versionPrintsOnStdout() {
        let (status, out, err) = run(["--version"])
        #expect(status == 0)
        #expect(out == "kitbag \(KitbagCommandLine.version)\n")
        #expect(err.isEmpty)
    }

    @Test func unknownCommandIsAUsageErrorWithASuggestion() {
        let (status, out, err) = run(["biuld"])
        #expect(status == 2)
        #expect(out.isEmpty)
        #expect(err.hasPrefix("kitbag: error: unknown command 'biuld'; did you mean 'build'?\nusage: kitbag"))
    }

    @Test func unknownOptionIsNamed() {
        let (status, _, err) = run(["build", "--outt", "x"])
        #expect(status == 2)
        #expect(err.hasPrefix("kitbag: error: unknown option '--outt'\nusage: kitbag build"))
    }

    @Test func missingOptionValueIsAUsageError() {
        let (status, _, err) = run(["build", "--out"])
        #expect(status == 2)
        #expect(err.contains("option '--out' needs a value"))
    }

    @Test func badDiagnosticsFormatIsAUsageError() {
        let (status, _, err) = run(["check", "--diagnostics=xml"])
        #expect(status == 2)
        #expect(err.contains("--diagnostics takes 'text' or 'json', not 'xml'"))
    }

    @Test func helpListsEveryCommandAndHelpForOneCommandShowsItsUsage() {
        let (status, out, _) = run(["help"])
        #expect(status == 0)
        for name in ["build", "check", "watch", "curriculum", "record", "track", "propose", "proposals"] {
            #expect(out.contains("  \(name) "), "\(name)")
        }
        let (s2, o2, _) = run(["help", "build"])
        #expect(s2 == 0)
        #expect(o2.hasPrefix("usage: kitbag build"))
        let (s3, o3, _) = run(["check", "--help"])
        #expect(s3 == 0)
        #expect(o3.hasPrefix("usage: kitbag check"))
    }

    @Test func noCommandPrintsUsage() {
        let (status, _, err) = run([])
        #expect(status == 2)
        #expect(err.hasPrefix("usage: kitbag"))
    }

    @Test func optionsAcceptEqualsAndDoubleDash() throws {
        let spec = CommandSpec(name: "x", usage: "x", summary: "", options: ["out"], flags: ["strict"], maxPositionals: nil)
        let args = try Arguments.parse(["--out=dir", "--strict", "--", "--not-an-option"], spec: spec)
        #expect(args.value("out") == "dir")
        #expect(args.has("strict"))
        #expect(args.positionals == ["--not-an-option"])
    }

    @Test func noColourWithoutATerminal() {
        let console = Console.buffered()
        #expect(!console.useColour)
    }
}
