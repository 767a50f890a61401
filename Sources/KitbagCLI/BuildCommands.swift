import CurriculumKit
import FidelityKit
import HandbookBuild
import HandbookKit
import KitbagCore
import ProposalsKit
import TrackerKit
#if canImport(Glibc)
import Glibc
#endif

/// `kitbag build`, `kitbag check`, `kitbag watch`.
enum BuildCommands {
    static let buildSpec = CommandSpec(
        name: "build", usage: "kitbag build [--out DIR] [--site S | --all-sites] [--pdf] [--docx [--reference-doc FILE]] [--unsafe-html] [--strict] [--diagnostics text|json] [--timings]",
        summary: "compile the handbook into a site and a one-page edition",
        options: ["out", "diagnostics", "reference-doc", "site", "since"], flags: ["unsafe-html", "strict", "timings", "quiet", "pdf", "docx", "all-sites"],
        details: """
        Writes _site/ (or --out DIR): index.html, one page per chapter, glossary.html,
        curriculum/<ID>.html, handbook.html (everything on one page), search files and
        kitbag.css. Nothing is written when there is an error. Pages whose bytes would not
        change are left untouched.
          --out DIR             write the site to DIR instead of _site
          --site S              write site S's edition (Handbook/sites/S.md) to OUT/sites/S/
          --all-sites           write the shared edition to OUT/ and every site's to OUT/sites/<site>/
          --since REV           mark sections changed since git revision REV; add a "What changed" page
          --pdf                 also write handbook.pdf, typeset by WeasyPrint (Debian package 'weasyprint')
          --docx                also write handbook.docx, through pandoc (Debian package 'pandoc')
          --reference-doc FILE  a .docx whose styles handbook.docx takes (a trust's template)
          --unsafe-html         pass raw HTML in Markdown through (off: it is dropped)
          --strict              treat warnings as errors
          --diagnostics json    print diagnostics as a JSON array on stdout
          --timings             print the time each phase took
        """)

    static let checkSpec = CommandSpec(
        name: "check", usage: "kitbag check [--strict] [--diagnostics text|json] [--cohorts DIR]",
        summary: "run every validation (handbook, curriculum, cohorts, proposals) without writing output",
        options: ["diagnostics", "cohorts"], flags: ["strict", "unsafe-html"],
        details: """
        Exit 0 when there is no error, 1 when there is one (with --strict, also a warning).
          --cohorts DIR         where the cohorts live (default Cohorts/)
        """)

    static let watchSpec = CommandSpec(
        name: "watch", usage: "kitbag watch [--out DIR] [--unsafe-html]",
        summary: "rebuild on every saved change and print the diagnostics",
        options: ["out", "interval"], flags: ["unsafe-html", "once"])

    static func jsonMode(_ args: Arguments, _ console: Console, _ spec: CommandSpec) -> Bool? {
        switch args.value("diagnostics") {
        case nil, "text": return false
        case "json": return true
        case let other?:
            _ = KitbagCommandLine.usage(console, "--diagnostics takes 'text' or 'json', not '\(other)'", spec: spec)
            return nil
        }
    }

    /// Accepted changes for `{changes}`, from Proposals/decisions.csv.
    static func changes(_ paths: ProjectPaths) -> ([ChangeEntry], [Diagnostic]) {
        ChangeHistory.load(paths)
    }

    static func outDirectory(_ args: Arguments, _ context: CommandContext) -> String? {
        guard let out = args.value("out") else { return nil }
        return out
    }

    /// The source folders no `--out` may point into (a build would read its own output, a
    /// clean of the site folder would delete sources, a report would replace a chapter or a
    /// ledger). Proposals/_review/ is where the proposal pages are written, so file outputs
    /// may go there.
    static let sourceFolders = ["Handbook", "Curriculum", "Cohorts", "Fidelity", "Proposals"]
    static let reviewFolder = "Proposals/_review"

    /// The one `--out` rule, for the site folder of `build` and for every page or file a command
    /// writes: refuses (exit 2, with the usage line) the project folder itself or a path inside
    /// one of its source folders, after resolving symbolic links and `..`; nil when `--out` is
    /// fine. A relative `--out` is taken from `base` (the build: as given); `file` (a command that
    /// writes one file) allows Proposals/_review/.
    static func refuseOut(_ args: Arguments, _ context: CommandContext, spec: CommandSpec, base: String? = nil, file: Bool = false) -> Int32? {
        guard let out = args.value("out") else { return nil }
        let target = FileSystem.canonical(out.hasPrefix("/") || base == nil || base == "." ? out : FileSystem.join(base ?? ".", out))
        let root = FileSystem.canonical(context.paths.root)
        if target == root {
            return KitbagCommandLine.usage(context.console, "--out '\(out)' is the project folder; \(file ? "name a file outside the sources" : "the site needs a folder of its own")", spec: spec)
        }
        if file, FileSystem.isInside(target, FileSystem.join(root, reviewFolder)), target != FileSystem.join(root, reviewFolder) { return nil }
        for folder in sourceFolders where FileSystem.isInside(target, FileSystem.join(root, folder)) {
            return KitbagCommandLine.usage(context.console, "--out '\(out)' is inside the project's \(folder)/ folder; choose a \(file ? "file" : "folder") outside the sources", spec: spec)
        }
        return nil
    }

    static let build = Command(spec: buildSpec) { arguments, context in
        let console = context.console
        guard let args = parseArguments(arguments, buildSpec, console), let json = jsonMode(args, console, buildSpec) else { return ExitStatus.usage }
        if let refused = refuseOut(args, context, spec: buildSpec) { return refused }
        var options = HandbookCompiler.Options(outDirectory: outDirectory(args, context), unsafeHTML: args.has("unsafe-html"))
        // The tools the PDF and Word editions need are found first: without them nothing is written.
        let editions = EditionRequest(pdf: args.has("pdf"), docx: args.has("docx"), referenceDoc: args.value("reference-doc"))
        if case .failure(let errors) = Editions.tools(for: editions, environment: console.environment) {
            for error in errors.all { console.error(error.description) }
            console.err.write("kitbag: build failed; nothing was written\n")
            return ExitStatus.failure
        }
        let (changes, changeDiagnostics) = BuildCommands.changes(context.paths)
        options.changes = changes
        if let revision = args.value("since") {
            switch ChangesSince.compute(context.paths, revision: revision, environment: console.environment) {
            case .success(let changes): options.since = changes
            case .failure(let failure):
                console.error(failure.description)
                return ExitStatus.failure
            }
        }
        if args.value("site") != nil || args.has("all-sites") {
            return EditionCommands.buildSites(args, context: context, options: options, changeDiagnostics: changeDiagnostics, editions: editions, json: json)
        }
        // A long build on a terminal shows chapters done; cleared before anything else prints.
        let progress = ProgressLine(sink: console.err, isTerminal: console.err.isTerminal && !args.has("quiet") && !json)
        options.progress = { progress.update(done: $0, total: $1) }
        var result = SiteBuild.build(context.paths, options: options, strict: args.has("strict"), extraDiagnostics: changeDiagnostics)
        progress.finish()
        result.diagnostics.sort(by: Diagnostic.precedes)
        console.report(result.diagnostics, json: json)
        let failed = result.diagnostics.failRun(strict: args.has("strict"))
        if args.has("timings") {
            for (phase, seconds) in result.timings {
                console.err.write("timing: \(phase.padding(toLength: 18)) \(String(format3(seconds * 1000))) ms\n")
            }
        }
        if failed {
            console.err.write("kitbag: build failed; nothing was written\n")
            return ExitStatus.failure
        }
        let out = options.outDirectory ?? context.paths.path("_site")
        if !args.has("quiet") && !json {
            console.err.write("kitbag: wrote \(result.written.count) of \(result.produced) files to \(out)\n")
        }
        if !editions.isEmpty {
            let (written, errors) = Editions.write(editions, paths: context.paths, out: out, environment: console.environment)
            for error in errors { console.error("\(error.description)") }
            if !args.has("quiet") && !json {
                for file in written { console.err.write("kitbag: wrote \(FileSystem.join(out, file))\n") }
            }
            if !errors.isEmpty { return ExitStatus.failure }
        }
        return ExitStatus.ok
    }

    static let check = Command(spec: checkSpec) { arguments, context in
        let console = context.console
        guard let args = parseArguments(arguments, checkSpec, console), let json = jsonMode(args, console, checkSpec) else { return ExitStatus.usage }
        let sorted = ProjectCheck.diagnostics(context.paths, unsafeHTML: args.has("unsafe-html"), cohortsDirectory: args.value("cohorts"),
                                              today: console.today)
        console.report(sorted, json: json)
        return sorted.failRun(strict: args.has("strict")) ? ExitStatus.failure : ExitStatus.ok
    }

    static let watch = Command(spec: watchSpec) { arguments, context in
        let console = context.console
        guard let args = parseArguments(arguments, watchSpec, console) else { return ExitStatus.usage }
        if let refused = refuseOut(args, context, spec: watchSpec) { return refused }
        return Watcher.run(args: args, context: context)
    }

    static func format3(_ value: Double) -> String {
        let scaled = Int((value * 10).rounded())
        return "\(scaled / 10).\(abs(scaled % 10))"
    }
}
