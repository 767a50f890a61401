import CurriculumKit
import KitbagCore

/// `kitbag curriculum export --case`.
enum CurriculumCommands {
    static let spec = CommandSpec(
        name: "curriculum", usage: "kitbag curriculum export --case [--out FILE] [--base-uri URI] [--date YYYY-MM-DD]",
        summary: "export the curriculum framework (1EdTech CASE 1.1 JSON)",
        options: ["out", "base-uri", "date"], flags: ["case"],
        details: """
        Writes the framework as a CASE 1.1 CFPackage: a CFDocument, one CFItem per principle,
        competency and module, and one CFAssociation per link between them. The output goes to
        stdout unless --out names a file. Nothing is written when the curriculum has errors.

        options:
          --case            write CASE 1.1 JSON (the only format so far)
          --out FILE        write to FILE (atomically) instead of stdout
          --base-uri URI    base of every 'uri' (default: urn:uuid: URNs)
          --date DATE       lastChangeDateTime (default: the framework's 'date:', else 2026-01-01)
        """,
        maxPositionals: 1)

    static let curriculum = Command(spec: spec) { arguments, context in
        guard let args = parseArguments(arguments, spec, context.console) else { return ExitStatus.usage }
        if let refused = BuildCommands.refuseOut(args, context, spec: spec, base: context.console.workingDirectory, file: true) { return refused }
        guard args.positionals.first == "export", args.has("case") else {
            return KitbagCommandLine.usage(context.console, "expected 'export --case'", spec: spec)
        }
        var options = CASEExport.Options(baseURI: args.value("base-uri"))
        if let text = args.value("date") {
            guard let date = ISODate(text) else {
                return KitbagCommandLine.usage(context.console, "'--date' must be a date (YYYY-MM-DD), found '\(text)'", spec: spec)
            }
            options.date = date
        }
        let console = context.console
        let paths = context.paths
        guard FileSystem.isDirectory(paths.curriculum) else {
            console.error("no curriculum: '\(paths.display("Curriculum"))' is not a folder")
            return ExitStatus.failure
        }
        let (curriculum, loadDiagnostics) = CurriculumLoader.load(paths)
        var bag = DiagnosticBag()
        bag.add(contentsOf: loadDiagnostics)
        bag.add(contentsOf: CurriculumValidator.validate(curriculum))
        let diagnostics = bag.sorted
        console.report(diagnostics)
        if diagnostics.containsErrors { return ExitStatus.failure }

        return TrackerCommands.emit(CASEExport.package(curriculum, options: options), args, console)
    }
}
