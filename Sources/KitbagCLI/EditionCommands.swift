import HandbookKit
import KitbagCore

/// `kitbag editions report`.
enum EditionCommands {
    static let spec = CommandSpec(
        name: "editions", usage: "kitbag editions report [--format text|html|csv] [--out FILE]",
        summary: "list every site's recorded adaptations of the handbook",
        options: ["format", "out"], flags: [],
        details: """
        Every adaptation under Handbook/sites/<site>/ with its record (who decided, when, why,
        fidelity), the section or module it adapts, its chapter and the principles that chapter
        serves. Adaptations recorded as fidelity-inconsistent come first. The report goes to
        stdout unless --out names a file. Nothing is written when the sites have errors.
          --format text|html|csv   text (default), a printable page, or a spreadsheet
          --out FILE               write to FILE (atomically) instead of stdout
        """,
        maxPositionals: 1)

    static let editions = Command(spec: spec) { arguments, context in
        let console = context.console
        guard let args = parseArguments(arguments, spec, console) else { return ExitStatus.usage }
        guard args.positionals.first == "report" else {
            return KitbagCommandLine.usage(console, "expected 'report'", spec: spec)
        }
        let formatText = args.value("format") ?? "text"
        guard let format = EditionsReport.Format(rawValue: formatText) else {
            return KitbagCommandLine.usage(console, "--format takes text, html or csv, not '\(formatText)'", spec: spec)
        }
        let (handbook, handbookDiagnostics) = HandbookCompiler.resolve(context.paths, options: HandbookCompiler.Options())
        var bag = DiagnosticBag()
        let plans = SiteEditions.plan(context.paths, shared: handbook, into: &bag)
        bag.add(contentsOf: handbookDiagnostics.filter { $0.severity == .error })
        let diagnostics = bag.sorted
        console.report(diagnostics)
        if diagnostics.containsErrors { return ExitStatus.failure }
        let text = EditionsReport.render(plans, format: format, title: handbook.book.title)
        return TrackerCommands.emit(text, args, console)
    }
}
