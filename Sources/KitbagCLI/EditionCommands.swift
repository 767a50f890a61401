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
    /// its PDF and Word files when asked.
    static func buildSites(_ args: Arguments, context: CommandContext, options: HandbookCompiler.Options,
                           changeDiagnostics: [Diagnostic], editions: EditionRequest, json: Bool) -> Int32 {
        let console = context.console
        let paths = context.paths
        let strict = args.has("strict")
        if args.value("site") != nil && args.has("all-sites") {
            return KitbagCommandLine.usage(console, "--site builds one site's edition and --all-sites every edition: give one of them", spec: BuildCommands.buildSpec)
        }
        let (shared, sharedDiagnostics) = HandbookCompiler.resolve(paths, options: options)
        var bag = DiagnosticBag()
        let plans = SiteEditions.plan(paths, shared: shared, into: &bag)
        var chosen = plans
        if let name = args.value("site") {
            guard let plan = plans.first(where: { $0.site.id == name }) else {
                let known = plans.map(\.site.id)
                var message = known.isEmpty ? "no site '\(name)': this project has no Handbook/sites/<site>.md" : "no site '\(name)'"
                if let guess = DidYouMean.closest(to: name, in: known) { message += "; did you mean '\(guess)'?" }
                else if !known.isEmpty { message += " (sites: \(known.joined(separator: ", ")))" }
                return KitbagCommandLine.usage(console, message, spec: BuildCommands.buildSpec)
            }
            chosen = [plan]
        }
        var all = DiagnosticBag()
        all.add(contentsOf: sharedDiagnostics + changeDiagnostics + bag.all)
        all.add(contentsOf: SiteEditions.check(paths, plans: chosen, sharedDiagnostics: sharedDiagnostics, unsafeHTML: options.unsafeHTML))
        let diagnostics = all.sorted
        console.report(diagnostics, json: json)
        if diagnostics.failRun(strict: strict) {
            console.err.write("kitbag: build failed; nothing was written\n")
            return ExitStatus.failure
        }
        let out = options.outDirectory ?? paths.path("_site")
        var builds: [(out: String, options: HandbookCompiler.Options)] = []
        if args.has("all-sites") { builds.append((out, options)) }
        for plan in chosen {
            var edition = options
            edition.edition = plan
            edition.outDirectory = FileSystem.join(FileSystem.join(out, "sites"), plan.site.id)
            builds.append((edition.outDirectory ?? out, edition))
        }
        for build in builds {
            let result = SiteBuild.build(paths, options: build.options, strict: strict)
            // Everything was reported above; a build can only add a write failure.
            let fresh = result.diagnostics.filter { !diagnostics.contains($0) }
            console.report(fresh, json: json)
            if result.diagnostics.failRun(strict: strict) {
                console.err.write("kitbag: build of \(build.out) failed\n")
                return ExitStatus.failure
            }
            if !args.has("quiet") && !json {
                console.err.write("kitbag: wrote \(result.written.count) of \(result.produced) files to \(build.out)\n")
            }
            if !editions.isEmpty {
                let (written, errors) = Editions.write(editions, paths: paths, out: build.out, site: build.options.edition?.site,
                                                       environment: console.environment)
                for error in errors { console.error("\(error.description)") }
                if !args.has("quiet") && !json {
                    for file in written { console.err.write("kitbag: wrote \(FileSystem.join(build.out, file))\n") }
                }
                if !errors.isEmpty { return ExitStatus.failure }
            }
        }
        return ExitStatus.ok
    }
}
