import CurriculumKit
import KitbagCore

/// `kitbag curriculum export --case`.
enum CurriculumCommands {
    static let spec = CommandSpec(
        name: "curriculum", usage: "kitbag curriculum export --case [--out FILE]",
        summary: "export the curriculum framework (1EdTech CASE 1.1 JSON)",
        options: ["out"], flags: ["case"], maxPositionals: 1)

    static let curriculum = Command(spec: spec) { arguments, context in
        guard let args = parseArguments(arguments, spec, context.console) else { return ExitStatus.usage }
        guard args.positionals.first == "export", args.has("case") else {
            return KitbagCommandLine.usage(context.console, "expected 'export --case'", spec: spec)
        }
        context.console.err.write("kitbag: curriculum export is not available yet\n")
        return ExitStatus.failure
    }
}
