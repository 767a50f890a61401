import KitbagCore

/// Exit statuses: 0 ok, 1 problems found, 2 wrong usage.
public enum ExitStatus {
    public static let ok: Int32 = 0
    public static let failure: Int32 = 1
    public static let usage: Int32 = 2
}

/// What every command gets: the console and the project it works on.
public struct CommandContext: Sendable {
    public var console: Console
    public var paths: ProjectPaths
}

/// One top-level command (`build`, `track`, ...). Commands with subcommands parse the rest themselves.
public struct Command: Sendable {
    public var spec: CommandSpec
    public var run: @Sendable (_ arguments: [String], _ context: CommandContext) -> Int32

    public init(spec: CommandSpec, run: @escaping @Sendable ([String], CommandContext) -> Int32) {
        self.spec = spec
        self.run = run
    }
}

/// The command-line front end: takes arguments and a console, returns the exit status.
/// Tests call it directly and read both streams.
public enum KitbagCommandLine {
    public static let version = "0.1.0"

    /// Every command, in the order `help` lists them.
    static var commands: [Command] {
        [BuildCommands.build, BuildCommands.check, BuildCommands.watch, CurriculumCommands.curriculum,
         TrackerCommands.record, TrackerCommands.track, ProposalCommands.propose, ProposalCommands.proposals,
         FidelityCommands.command, EditionCommands.editions]
    }

    static let usageLine = "usage: kitbag [-C DIR] <command> [options]   (kitbag help for the list)"

    public static func run(arguments: [String], io console: Console) -> Int32 {
        var args = arguments[...]
        var root = "."
        while let first = args.first, first.hasPrefix("-") {
            args = args.dropFirst()
            switch first {
            case "--version":
                console.out.write("kitbag \(version)\n")
                return ExitStatus.ok
            case "-h", "--help":
                console.out.write(overview())
                return ExitStatus.ok
            case "-C":
                guard let dir = args.first else { return usage(console, "option '-C' needs a directory") }
                root = dir
                args = args.dropFirst()
            default:
                if first.hasPrefix("-C"), first.count > 2 {
                    root = String(first.dropFirst(2))
                } else {
                    return usage(console, "unknown option '\(first)'")
                }
            }
        }
        guard let name = args.first else {
            console.err.write(usageLine + "\n")
            return ExitStatus.usage
        }
        var rest = Array(args.dropFirst())
        // `-C DIR` is accepted after the command name too.
        if let c = rest.firstIndex(of: "-C") {
            guard c + 1 < rest.count else { return usage(console, "option '-C' needs a directory") }
            root = rest[c + 1]
            rest.removeSubrange(c...(c + 1))
        }
        if name == "help" {
            guard let topic = rest.first else { console.out.write(overview()); return ExitStatus.ok }
            if topic == "help" { console.out.write(help(for: helpSpec)); return ExitStatus.ok }
            guard let command = commands.first(where: { $0.spec.name == topic }) else {
                return usage(console, "unknown command '\(topic)'")
            }
            console.out.write(help(for: command.spec))
            return ExitStatus.ok
        }
        guard let command = commands.first(where: { $0.spec.name == name }) else {
            var message = "unknown command '\(name)'"
            if let guess = DidYouMean.closest(to: name, in: commands.map(\.spec.name) + ["help"]) {
                message += "; did you mean '\(guess)'?"
            }
            return usage(console, message)
        }
        if rest.contains("--help") || rest.contains("-h") {
            console.out.write(help(for: command.spec))
            return ExitStatus.ok
        }
        // Every command works on a project folder: a missing one is wrong usage, never "nothing found".
        let rootPath = root.hasPrefix("/") || console.workingDirectory == "." ? root : FileSystem.join(console.workingDirectory, root)
        guard FileSystem.isDirectory(rootPath) else {
            return usage(console, "-C '\(root)': no such folder", spec: command.spec)
        }
        let context = CommandContext(console: console, paths: ProjectPaths(root: root))
        return command.run(rest, context)
    }

    /// `kitbag help help`.
    static let helpSpec = CommandSpec(name: "help", usage: "kitbag help [COMMAND]",
                                      summary: "Show the list of commands, or the help of one command.")

    /// Prints a usage error and returns 2.
    static func usage(_ console: Console, _ message: String, spec: CommandSpec? = nil) -> Int32 {
        console.error("\(message)")
        console.err.write((spec.map { "usage: \($0.usage)" } ?? usageLine) + "\n")
        return ExitStatus.usage
    }

    static func overview() -> String {
        var text = """
        kitbag \(version): compile an intervention handbook, track training, review proposals.

        \(usageLine)

        commands:

        """
        for command in commands {
            let name = command.spec.name.padding(toLength: 12)
            text += "  \(name)\(command.spec.summary)\n"
        }
        text += """
          help NAME   show help for a command

        global options:
          -C DIR      run on the project in DIR
          --version   print the version
          -h, --help  show this help

        """
        return text
    }

    static func help(for spec: CommandSpec) -> String {
        var text = "usage: \(spec.usage)\n\n\(spec.summary)\n"
        if !spec.details.isEmpty { text += "\n\(spec.details)\n" }
        return text
    }
}

extension String {
    func padding(toLength length: Int) -> String {
        count >= length ? self + " " : self + String(repeating: " ", count: length - count)
    }
}

/// Parses a command's arguments, printing a usage error (exit 2) when they are wrong.
func parseArguments(_ arguments: [String], _ spec: CommandSpec, _ console: Console) -> Arguments? {
    do {
        return try Arguments.parse(arguments, spec: spec)
    } catch {
        _ = KitbagCommandLine.usage(console, error.message, spec: spec)
        return nil
    }
}

/// The subcommand named by the first positional argument, one of `names`; a missing or unknown
/// one (with a did-you-mean) is a usage error, printed, and gives nil (exit 2).
func parseSubcommand(_ args: Arguments, _ names: [String], _ spec: CommandSpec, _ console: Console) -> String? {
    guard let name = args.positionals.first else {
        _ = KitbagCommandLine.usage(console, "\(spec.name) needs a subcommand: \(names.joined(separator: ", "))", spec: spec)
        return nil
    }
    guard names.contains(name) else {
        var message = "unknown subcommand '\(name)'"
        if let guess = DidYouMean.closest(to: name, in: names) { message += "; did you mean '\(guess)'?" }
        _ = KitbagCommandLine.usage(console, message, spec: spec)
        return nil
    }
    return name
}
