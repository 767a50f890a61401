import HandbookBuild
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
        if let refused = BuildCommands.refuseOut(args, context, spec: spec, base: console.workingDirectory, file: true) { return refused }
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

// MARK: - build --site, --all-sites

extension EditionCommands {
    /// `kitbag build --site S` / `--all-sites`: every chosen edition is resolved and checked
    /// first; nothing is written unless all of them are free of errors. Then the shared
    /// edition (with --all-sites) goes to OUT/ and each site's to OUT/sites/<site>/, each with
    /// its PDF and Word files when asked. `EditionBuild` shares the work editions have in common.
    static func buildSites(_ args: Arguments, context: CommandContext, options: HandbookCompiler.Options,
                           changeDiagnostics: [Diagnostic], editions: EditionRequest, json: Bool) -> Int32 {
        let console = context.console
        let paths = context.paths
        let strict = args.has("strict")
        if args.value("site") != nil && args.has("all-sites") {
            return KitbagCommandLine.usage(console, "--site builds one site's edition and --all-sites every edition: give one of them", spec: BuildCommands.buildSpec)
        }
        let outcome = EditionBuild.run(paths, options: options, site: args.value("site"), strict: strict, extraDiagnostics: changeDiagnostics)
        if let message = outcome.unknownSite {
            return KitbagCommandLine.usage(console, message, spec: BuildCommands.buildSpec)
        }
        let diagnostics = outcome.diagnostics
        console.report(diagnostics, json: json)
        if outcome.failed {
            console.err.write("kitbag: build failed; nothing was written\n")
            return ExitStatus.failure
        }
        for edition in outcome.editions {
            let result = edition.result
            // Everything was reported above; a build can only add a write failure.
            let fresh = result.diagnostics.filter { !diagnostics.contains($0) }
            console.report(fresh, json: json)
            if args.has("timings") {
                for (phase, seconds) in result.timings {
                    console.err.write("timing: \((edition.site ?? "shared").padding(toLength: 10)) \(phase.padding(toLength: 18)) \(BuildCommands.format3(seconds * 1000)) ms\n")
                }
                console.err.write("timing: \((edition.site ?? "shared").padding(toLength: 10)) units parsed \(result.parsedUnits), pages and parts from the shared edition \(result.sharedPages)\n")
            }
            if result.diagnostics.failRun(strict: strict) {
                console.err.write("kitbag: build of \(edition.out) failed\n")
                return ExitStatus.failure
            }
            if !args.has("quiet") && !json {
                console.err.write("kitbag: wrote \(result.written.count) of \(result.produced) files to \(edition.out)\n")
            }
            if !editions.isEmpty {
                let (written, errors) = Editions.write(editions, paths: paths, out: edition.out, site: edition.plan?.site,
                                                       environment: console.environment)
                for error in errors { console.error("\(error.description)") }
                if !args.has("quiet") && !json {
                    for file in written { console.err.write("kitbag: wrote \(FileSystem.join(edition.out, file))\n") }
                }
                if !errors.isEmpty { return ExitStatus.failure }
            }
        }
        return ExitStatus.ok
    }
}
