#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CurriculumKit
import KitbagCore
import TrackerKit

/// `kitbag record` and `kitbag track`: the training tracker's command line. Parsing and
/// printing only; the work is in TrackerKit.
enum TrackerCommands {
    static let recordSpec = CommandSpec(
        name: "record",
        usage: "kitbag record attended|absent|waived|passed|failed|void|import ... [--cohort C] [--cohorts DIR]",
        summary: "append attendance and assessment results to a cohort's ledger",
        options: ["cohorts", "cohort", "module", "assessment", "item", "date", "by", "note", "reason", "except", "matrix"],
        flags: ["all", "dry-run"],
        details: """
        kitbag record attended|absent|waived --module M03 --date 2026-04-02 --by NAME [--note TEXT] W01 W02 ...
        kitbag record attended --module M05 --date 2026-04-02 --by NAME --all [--except W03]
        kitbag record passed|failed --assessment A03 --date 2026-04-02 --by NAME [--note TEXT] W01 ...
        kitbag record void R000012 --reason TEXT [--by NAME] [--date DATE]
        kitbag record import sheet.csv [--by NAME] [--dry-run]
        kitbag record import --matrix matrix.csv --by NAME [--date DATE] [--dry-run]

        Workers are named by id or by their roster name; modules and assessments by id or exact
        title. --all records for every worker whose roster status is active (--except W, more
        than once if needed). --date defaults to today. A waiver needs --note saying why.
        Every row is checked first (unknown worker or item, a result for the wrong kind of
        item, a date in the future or before the worker joined, a duplicate); on any error
        nothing is written (exit 1). A module recorded before its prerequisites are done is a
        warning. --dry-run prints the rows that would be appended and writes nothing.
        --cohort may be left out when there is one cohort or when the workers named (in the
        command or the sheet) belong to one cohort; --cohorts DIR (default Cohorts/). Sheet
        formats: docs/tracker.md.
        """,
        maxPositionals: nil)

    static let trackSpec = CommandSpec(
        name: "track",
        usage: "kitbag track status|why|history|outstanding|due|matrix|register|summary|report|export|erase [options]",
        summary: "sign-off status, to-do lists, registers, refreshers and reports for a cohort",
        options: ["cohorts", "cohort", "as-of", "worker", "format", "out", "within", "home-page", "reason", "by",
                  "module", "date", "warn", "min-cell", "to", "batch"],
        flags: ["anonymise", "anonymize", "ics", "xapi", "titles"],
        details: """
        kitbag track status [--worker W] [--format table|csv|json|html] [--titles]
        kitbag track why W
        kitbag track history W
        kitbag track outstanding [--by worker|item] [--format text|csv]
        kitbag track due [--within 30d] [--ics]
        kitbag track matrix [--warn 60d] [--format html|csv]
        kitbag track register --module M05 --date 2026-04-02 [--by NAME] [--format html|csv]
        kitbag track summary [--min-cell 5] [--format table|csv]     (every cohort in --cohorts DIR)
        kitbag track report [--worker W] --out report.html
        kitbag track export --xapi [--home-page URL] [--to http://host:port/xAPI/ [--batch 100]]
        kitbag track erase W --reason TEXT [--by NAME]

        Every command takes --cohort C (optional when there is one cohort, or when the worker
        named belongs to one), --cohorts DIR (default Cohorts/ in the project), --as-of DATE
        (default today) and --out FILE. A worker may be named by id or by roster name.
        --anonymise leaves names out of any output (workers are shown by their ids).
        export --to sends the statements to a learning record store with curl; the account
        comes from the environment variables KITBAG_LRS_USER and KITBAG_LRS_PASSWORD.
        """,
        maxPositionals: nil)

    static let record = Command(spec: recordSpec) { arguments, context in exitStatus { () throws(ExitCode) in try runRecord(arguments, context) } }
    static let track = Command(spec: trackSpec) { arguments, context in exitStatus { () throws(ExitCode) in try runTrack(arguments, context) } }

    // MARK: - Shared

    /// Prints diagnostics, those about the command line first.
    static func report(_ diagnostics: [Diagnostic], _ console: Console) {
        console.report(diagnostics.filter { $0.location == nil } + diagnostics.filter { $0.location != nil })
    }

    /// The curriculum and the cohort location; throws the exit status when there is none.
    static func locate(_ args: Arguments, _ context: CommandContext, spec: CommandSpec, workers: [String] = []) throws(ExitCode) -> CohortLocation {
        let console = context.console
        let (curriculum, curriculumDiagnostics) = CurriculumLoader.load(context.paths)
        let errors = curriculumDiagnostics.filter { $0.severity == .error }
        if !errors.isEmpty {
            report(errors, console)
            console.error("the curriculum has errors; the tracker needs it to be sound")
            throw ExitCode(ExitStatus.failure)
        }
        let option = args.value("cohorts").map { path in
            path.hasPrefix("/") || console.workingDirectory == "." ? path : FileSystem.join(console.workingDirectory, path)
        }
        let (directory, display) = TrackerPaths.cohorts(paths: context.paths, option: option)
        guard FileSystem.isDirectory(directory) else {
            console.error("no cohorts directory '\(display)' (use --cohorts DIR)")
            throw ExitCode(ExitStatus.failure)
        }
        let folders = CohortLoader.cohortFolders(in: directory)
        let folder: String
        if let wanted = args.value("cohort") {
            guard folders.contains(wanted) else {
                var message = "unknown cohort '\(wanted)' in '\(display)'"
                if let guess = DidYouMean.closest(to: wanted, in: folders) { message += "; did you mean '\(guess)'?" }
                console.error("\(message)")
                throw ExitCode(ExitStatus.failure)
            }
            folder = wanted
        } else if folders.count == 1 {
            folder = folders[0]
        } else if folders.isEmpty {
            console.error("no cohorts in '\(display)'")
            throw ExitCode(ExitStatus.failure)
        } else if !workers.isEmpty {
            // The cohort whose roster has every worker named.
            let catalog = ItemCatalog(curriculum: curriculum, sites: SiteSet())
            let holding = folders.filter { f in
                let lookup = CohortLookup(cohort: CohortLoader.loadRoster(folder: f, directory: directory, displayDirectory: display, catalog: catalog))
                return workers.allSatisfy { if case .index = lookup.worker($0) { true } else { false } }
            }
            guard holding.count == 1 else {
                let message = holding.isEmpty
                    ? "no cohort in '\(display)' has \(workers.count == 1 ? "worker" : "all the workers") \(workers.map { "'\($0)'" }.joined(separator: ", "))"
                    : "\(workers.map { "'\($0)'" }.joined(separator: ", ")) \(workers.count == 1 ? "is" : "are") in several cohorts; choose one with --cohort (\(holding.joined(separator: ", ")))"
                throw ExitCode(KitbagCommandLine.usage(console, message, spec: spec))
            }
            folder = holding[0]
        } else {
            throw ExitCode(KitbagCommandLine.usage(console, "there are several cohorts; choose one with --cohort (\(folders.joined(separator: ", ")))", spec: spec))
        }
        return CohortLocation(folder: folder, directory: directory, displayDirectory: display, curriculum: curriculum,
                              sites: SiteSet.load(context.paths))
    }

    /// An exit status that stops a command (the problem is already printed).
    struct ExitCode: Error { var code: Int32; init(_ code: Int32) { self.code = code } }

    /// Runs a command whose helpers stop it by throwing its exit status.
    static func exitStatus(_ body: () throws(ExitCode) -> Int32) -> Int32 {
        do { return try body() } catch { return error.code }
    }

    /// The date of option `--name`, or `value` when it is not given; a wrong date stops the
    /// command with a usage error.
    static func date(_ text: String?, name: String, default value: ISODate, _ console: Console, spec: CommandSpec) throws(ExitCode) -> ISODate {
        guard let text else { return value }
        if let d = ISODate(text) { return d }
        var bag = DiagnosticBag()
        _ = LedgerSyntax.checkDate(text, into: &bag)
        let message = bag.all.first?.message ?? "'\(text)' is not a YYYY-MM-DD date"
        throw ExitCode(KitbagCommandLine.usage(console, "--\(name): \(message)", spec: spec))
    }

    /// Writes output to `--out FILE` (atomically) or stdout.
    static func emit(_ text: String, _ args: Arguments, _ console: Console) -> Int32 {
        guard let out = args.value("out") else {
            console.out.write(text)
            return ExitStatus.ok
        }
        let path = out.hasPrefix("/") || console.workingDirectory == "." ? out : FileSystem.join(console.workingDirectory, out)
        do {
            try FileSystem.writeAtomically(text, to: path)
        } catch {
            console.error("\(error)")
            return ExitStatus.failure
        }
        return ExitStatus.ok
    }

    // MARK: - record

    static func runRecord(_ arguments: [String], _ context: CommandContext) throws(ExitCode) -> Int32 {
        let console = context.console
        guard let args = parseArguments(arguments, recordSpec, console) else { return ExitStatus.usage }
        guard let verb = args.positionals.first else {
            return KitbagCommandLine.usage(console, "record needs an event: attended, absent, waived, passed, failed, void or import", spec: recordSpec)
        }
        let rest = Array(args.positionals.dropFirst())
        if verb != "import", LedgerEvent(name: verb) == nil {
            var message = "unknown event '\(verb)'"
            if let guess = DidYouMean.closest(to: verb, in: LedgerEvent.allCases.map(\.name) + ["import"]) { message += "; did you mean '\(guess)'?" }
            return KitbagCommandLine.usage(console, message, spec: recordSpec)
        }
        let event = LedgerEvent(name: verb)
        if event != nil, event != .void {
            if args.has("all") && !rest.isEmpty { return KitbagCommandLine.usage(console, "give worker ids or --all, not both", spec: recordSpec) }
            if !args.all("except").isEmpty && !args.has("all") { return KitbagCommandLine.usage(console, "--except goes with --all", spec: recordSpec) }
        }
        // The workers named, for finding the cohort when --cohort is left out: on the command
        // line, or in an import sheet's worker column.
        var named = event != nil && event != .void ? rest + args.all("except") : []
        if verb == "import", args.value("cohort") == nil, let shown = args.value("matrix") ?? rest.first {
            let sheet = shown.hasPrefix("/") || console.workingDirectory == "." ? shown : FileSystem.join(console.workingDirectory, shown)
            named = (try? FileSystem.readBytes(sheet)).map(ImportSheet.workerCells) ?? []
        }
        let location = try locate(args, context, spec: recordSpec, workers: named)
        let today = console.today
        let dryRun = args.has("dry-run")
        let outcome: AppendOutcome
        var alreadyRecorded = 0
        if verb == "import" {
            let matrix = args.value("matrix")
            guard rest.count == (matrix == nil ? 1 : 0) else {
                return KitbagCommandLine.usage(console, "record import needs one sheet: kitbag record import sheet.csv, or kitbag record import --matrix matrix.csv --by NAME", spec: recordSpec)
            }
            let shown = matrix ?? rest[0]
            let sheet = shown.hasPrefix("/") || console.workingDirectory == "." ? shown : FileSystem.join(console.workingDirectory, shown)
            let bytes: [UInt8]
            do { bytes = try FileSystem.readBytes(sheet) } catch {
                console.error("\(error)")
                return ExitStatus.failure
            }
            let by = args.value("by").flatMap { $0.trimmed().isEmpty ? nil : $0 }
            if matrix != nil {
                guard let by else { return KitbagCommandLine.usage(console, "record import --matrix needs --by NAME (who ran the sessions)", spec: recordSpec) }
                let when = try date(args.value("date"), name: "date", default: today, console, spec: recordSpec)
                var counted = 0
                outcome = LedgerWriter.append(to: location, today: today, dryRun: dryRun) { cohort, bag in
                    let result = MatrixSheet.rows(bytes, display: shown, cohort: cohort, today: today, by: by, date: when, into: &bag)
                    counted = result.alreadyRecorded
                    return result.rows
                }
                alreadyRecorded = counted
            } else {
                outcome = LedgerWriter.append(to: location, today: today, dryRun: dryRun) { cohort, bag in
                    ImportSheet.rows(bytes, display: shown, cohort: cohort, today: today, by: by, into: &bag)
                }
            }
        } else if verb == "void" {
            guard rest.count == 1 else { return KitbagCommandLine.usage(console, "record void needs one row id: kitbag record void R000012 --reason TEXT", spec: recordSpec) }
            guard let reason = args.value("reason"), !reason.trimmed().isEmpty else {
                return KitbagCommandLine.usage(console, "record void needs --reason TEXT (kept in the ledger)", spec: recordSpec)
            }
            let when = try date(args.value("date"), name: "date", default: today, console, spec: recordSpec)
            let target = rest[0]
            outcome = LedgerWriter.append(to: location, today: today, dryRun: dryRun) { cohort, bag in
                guard let n = RowID.number(target), let t = cohort.ledger.index(ofNumber: n) else {
                    bag.error(.unknownVoidTarget, "there is no row '\(target)' in \(cohort.recordsDisplay)", at: nil)
                    return []
                }
                let worker = cohort.workers[Int(cohort.ledger.rows[t].worker)].id
                return [PendingRow(date: when, worker: worker, item: target, event: .void, by: args.value("by") ?? "", note: reason, location: nil)]
            }
        } else {
            guard let event else { return ExitStatus.usage }
            let given = ["module", "assessment", "item"].compactMap { args.value($0) }
            guard given.count == 1, let item = given.first else {
                let option = event.itemKind == .assessment ? "--assessment A03" : "--module M03"
                return KitbagCommandLine.usage(console, "record \(verb) needs the item: \(option)", spec: recordSpec)
            }
            if let m = args.value("module"), event.itemKind == .assessment {
                return reportFailure([.error(.wrongItemKind, "'\(verb)' is recorded for an assessment; use --assessment, not --module '\(m)'", at: nil)], console)
            }
            if let a = args.value("assessment"), event.itemKind == .module {
                return reportFailure([.error(.wrongItemKind, "'\(verb)' is recorded for a module; use --module, not --assessment '\(a)'", at: nil)], console)
            }
            guard !rest.isEmpty || args.has("all") else { return KitbagCommandLine.usage(console, "record \(verb) needs worker ids or names, or --all", spec: recordSpec) }
            guard let by = args.value("by"), !by.trimmed().isEmpty else {
                return KitbagCommandLine.usage(console, "record \(verb) needs --by NAME (who ran the session or marked the assessment)", spec: recordSpec)
            }
            let when = try date(args.value("date"), name: "date", default: today, console, spec: recordSpec)
            let note = args.value("note") ?? ""
            let all = args.has("all"), except = args.all("except")
            outcome = LedgerWriter.append(to: location, today: today, dryRun: dryRun) { cohort, bag in
                let lookup = CohortLookup(cohort: cohort)
                var itemID = item
                if case .index(let i) = lookup.item(item) { itemID = cohort.catalog.ids[i] }
                func resolve(_ text: String) -> String? {
                    switch lookup.worker(text) {
                    case .index(let w): return cohort.workers[w].id
                    case .ambiguous(let ids):
                        bag.error(.ambiguousWorker, "'\(text)' is the name of several workers (\(ids.joined(separator: ", "))); use the worker id", at: nil)
                        return nil
                    case .unknown:
                        return all ? { bag.error(.unknownWorker, "unknown worker '\(text)' in --except: not in \(cohort.rosterDisplay)", at: nil); return nil }() : text
                    }
                }
                let workers: [String]
                if all {
                    let skipped = Set(except.compactMap(resolve))
                    workers = cohort.workers.filter { $0.status == .active && !skipped.contains($0.id) }.map(\.id)
                    if workers.isEmpty { bag.error(.noWorkers, "no active worker is left to record for", at: nil) }
                } else {
                    workers = rest.compactMap(resolve)
                }
                return workers.map { PendingRow(date: when, worker: $0, item: itemID, event: event, by: by, note: note, location: nil) }
            }
        }
        report(outcome.diagnostics, console)
        guard !outcome.diagnostics.containsErrors else {
            console.err.write("kitbag: nothing was recorded\n")
            return ExitStatus.failure
        }
        if dryRun {
            console.out.write(outcome.lines.isEmpty ? "dry run: nothing to record\n" : "dry run: these rows would be appended to records.csv (nothing was written):\n")
            for line in outcome.lines { console.out.write("  \(line)\n") }
        } else {
            for id in outcome.ids { console.out.write("recorded \(id)\n") }
        }
        if alreadyRecorded > 0 {
            console.out.write("\(alreadyRecorded) entr\(alreadyRecorded == 1 ? "y was" : "ies were") already in the ledger and \(alreadyRecorded == 1 ? "was" : "were") left as \(alreadyRecorded == 1 ? "it was" : "they were")\n")
        } else if outcome.ids.isEmpty && outcome.lines.isEmpty {
            console.out.write("nothing to record\n")
        }
        return ExitStatus.ok
    }

    static func reportFailure(_ diagnostics: [Diagnostic], _ console: Console) -> Int32 {
        report(diagnostics, console)
        return ExitStatus.failure
    }

    // MARK: - track

    static func runTrack(_ arguments: [String], _ context: CommandContext) throws(ExitCode) -> Int32 {
        let console = context.console
        guard let args = parseArguments(arguments, trackSpec, console) else { return ExitStatus.usage }
        if let refused = BuildCommands.refuseOut(args, context, spec: trackSpec, base: console.workingDirectory, file: true) { return refused }
        let subcommands = ["status", "why", "history", "outstanding", "due", "matrix", "register", "summary", "report", "export", "erase"]
        guard let sub = parseSubcommand(args, subcommands, trackSpec, console) else { return ExitStatus.usage }
        let rest = Array(args.positionals.dropFirst())
        let anonymise = args.has("anonymise") || args.has("anonymize")
        let asOf = try date(args.value("as-of"), name: "as-of", default: console.today, console, spec: trackSpec)
        if sub == "summary" { return runSummary(args, context, asOf: asOf) }
        let named = args.all("worker") + (["why", "history", "erase"].contains(sub) ? rest : [])
        let location = try locate(args, context, spec: trackSpec, workers: named)
        if sub == "erase" {
            guard rest.count == 1 else { return KitbagCommandLine.usage(console, "track erase needs one worker id", spec: trackSpec) }
            guard let reason = args.value("reason"), !reason.trimmed().isEmpty else {
                return KitbagCommandLine.usage(console, "track erase needs --reason TEXT (logged without the worker's name)", spec: trackSpec)
            }
            let outcome = LedgerWriter.erase(worker: rest[0], reason: reason, by: args.value("by") ?? "", in: location, today: console.today)
            report(outcome.diagnostics, console)
            if outcome.diagnostics.containsErrors { return ExitStatus.failure }
            console.out.write("erased worker \(rest[0]): \(outcome.rowsRemoved) ledger row\(outcome.rowsRemoved == 1 ? "" : "s") and the roster line; logged in erasures.csv\n")
            return ExitStatus.ok
        }
        let (cohort, diagnostics) = location.load(today: console.today)
        report(diagnostics, console)
        if diagnostics.containsErrors { return ExitStatus.failure }

        func workerIndex(_ id: String) -> Int? {
            switch CohortLookup(cohort: cohort).worker(id) {
            case .index(let w): return w
            case .ambiguous(let ids):
                console.error("'\(id)' is the name of several workers (\(ids.joined(separator: ", "))); use the worker id [ambiguous-worker]")
                return nil
            case .unknown: break
            }
            var message = "unknown worker '\(id)' in cohort '\(cohort.folder)'"
            if let guess = DidYouMean.closest(to: id, in: cohort.workers.map(\.id)) { message += "; did you mean '\(guess)'?" }
            console.report([.error(.unknownWorker, message, at: nil)])
            return nil
        }
        var only: [Int]?
        let wanted = args.all("worker") + (sub == "why" || sub == "history" ? rest : [])
        if !wanted.isEmpty {
            var list: [Int] = []
            for id in wanted {
                guard let w = workerIndex(id) else { return ExitStatus.failure }
                list.append(w)
            }
            only = list
        } else if sub != "why", sub != "history", !rest.isEmpty {
            return KitbagCommandLine.usage(console, "unexpected argument '\(rest[0])'", spec: trackSpec)
        }

        switch sub {
        case "status":
            let format: StatusFormat
            if let f = args.value("format") {
                guard let parsed = StatusFormat(rawValue: f) else {
                    return KitbagCommandLine.usage(console, "unknown format '\(f)'; use table, csv, json or html", spec: trackSpec)
                }
                format = parsed
            } else {
                format = .table
            }
            let view = StatusView(cohort: cohort, asOf: asOf, only: only, anonymise: anonymise)
            return emit(format == .table ? view.table(titles: args.has("titles")) : view.render(format), args, console)
        case "why":
            guard let workers = only, !workers.isEmpty else { return KitbagCommandLine.usage(console, "track why needs a worker id", spec: trackSpec) }
            let view = StatusView(cohort: cohort, asOf: asOf, only: workers, anonymise: anonymise)
            let explainer = WhyExplainer(view: view)
            return emit(workers.map { explainer.explain(worker: $0) }.joined(separator: "\n"), args, console)
        case "history":
            guard let workers = only, !workers.isEmpty else { return KitbagCommandLine.usage(console, "track history needs a worker id or name", spec: trackSpec) }
            let history = History(view: StatusView(cohort: cohort, asOf: asOf, only: workers, anonymise: anonymise))
            return emit(workers.map { history.text(worker: $0) }.joined(separator: "\n"), args, console)
        case "matrix":
            guard let warn = parseWithin(args.value("warn") ?? "60d") else {
                return KitbagCommandLine.usage(console, "--warn takes a number of days, weeks or months: 60d, 8w, 2m", spec: trackSpec)
            }
            let matrix = TrainingMatrix(view: StatusView(cohort: cohort, asOf: asOf, only: only, anonymise: anonymise), warnDays: warn(asOf))
            switch args.value("format") ?? "html" {
            case "html": return emit(matrix.html(), args, console)
            case "csv": return emit(matrix.csv(), args, console)
            case let f: return KitbagCommandLine.usage(console, "unknown format '\(f)'; use html or csv", spec: trackSpec)
            }
        case "register":
            guard let moduleText = args.value("module") else {
                return KitbagCommandLine.usage(console, "track register needs --module M and --date YYYY-MM-DD", spec: trackSpec)
            }
            let when = try date(args.value("date"), name: "date", default: console.today, console, spec: trackSpec)
            guard case .index(let module) = CohortLookup(cohort: cohort).item(moduleText), cohort.catalog.kinds[module] == .module else {
                var message = "'\(moduleText)' is not a module id or title"
                if let guess = DidYouMean.closest(to: moduleText, in: cohort.catalog.ids) { message += "; did you mean '\(guess)'?" }
                return reportFailure([.error(.unknownItem, message, at: nil)], console)
            }
            let register = Register(cohort: cohort, module: module, date: when, by: args.value("by") ?? "", anonymise: anonymise)
            switch args.value("format") ?? "html" {
            case "html": return emit(register.html(), args, console)
            case "csv": return emit(register.csv(), args, console)
            case let f: return KitbagCommandLine.usage(console, "unknown format '\(f)'; use html or csv", spec: trackSpec)
            }
        case "outstanding":
            let view = StatusView(cohort: cohort, asOf: asOf, only: only, anonymise: anonymise)
            let byItem: Bool
            switch args.value("by") ?? "worker" {
            case "worker": byItem = false
            case "item": byItem = true
            case let b: return KitbagCommandLine.usage(console, "track outstanding --by takes worker or item, not '\(b)'", spec: trackSpec)
            }
            let todo = ToDo(view: view)
            switch args.value("format") ?? "text" {
            case "text", "table": return emit(byItem ? todo.outstandingByItemText() : todo.outstandingText(), args, console)
            case "csv": return emit(byItem ? todo.outstandingByItemCSV() : todo.outstandingCSV(), args, console)
            case let f: return KitbagCommandLine.usage(console, "unknown format '\(f)'; use text or csv", spec: trackSpec)
            }
        case "due":
            guard let days = parseWithin(args.value("within") ?? "30d") else {
                return KitbagCommandLine.usage(console, "--within takes a number of days, weeks or months up to 100 years (30d, 6w, 2m; at most 36525d, 5218w, 1200m), found '\(args.value("within") ?? "")'", spec: trackSpec)
            }
            let view = StatusView(cohort: cohort, asOf: asOf, only: only, anonymise: anonymise)
            let todo = ToDo(view: view)
            return emit(args.has("ics") ? todo.dueCalendar(withinDays: days(asOf)) : todo.dueText(withinDays: days(asOf)), args, console)
        case "report":
            let view = StatusView(cohort: cohort, asOf: asOf, only: only, anonymise: anonymise)
            let writer = ReportWriter(view: view)
            if let workers = only {
                guard workers.count == 1 else { return KitbagCommandLine.usage(console, "track report takes one --worker", spec: trackSpec) }
                return emit(writer.workerRecord(workers[0]), args, console)
            }
            return emit(writer.dashboard(), args, console)
        case "export":
            guard args.has("xapi") else { return KitbagCommandLine.usage(console, "track export needs a format: --xapi", spec: trackSpec) }
            let home = args.value("home-page") ?? "https://kitbag.invalid/cohorts/\(cohort.info.id)"
            let book = bookSettings(context)
            let export = XAPIExport(cohort: cohort, homePage: home, anonymise: anonymise, asOf: asOf, workers: only,
                                    base: book.xapiBase, language: book.language)
            guard let url = args.value("to") else { return emit(export.render(), args, console) }
            return sendToLRS(export.statements(), url: url, args, console)
        default:
            return ExitStatus.usage
        }
    }

    /// `track summary`: every cohort in the cohorts folder.
    static func runSummary(_ args: Arguments, _ context: CommandContext, asOf: ISODate) -> Int32 {
        let console = context.console
        var minCell: Int?
        if let text = args.value("min-cell") {
            guard let n = Int(text), n >= 1, n <= 1000 else {
                return KitbagCommandLine.usage(console, "--min-cell takes a whole number from 1 to 1000", spec: trackSpec)
            }
            minCell = n
        }
        let (curriculum, curriculumDiagnostics) = CurriculumLoader.load(context.paths)
        if curriculumDiagnostics.containsErrors {
            report(curriculumDiagnostics.filter { $0.severity == .error }, console)
            return ExitStatus.failure
        }
        let option = args.value("cohorts").map { path in
            path.hasPrefix("/") || console.workingDirectory == "." ? path : FileSystem.join(console.workingDirectory, path)
        }
        let (directory, display) = TrackerPaths.cohorts(paths: context.paths, option: option)
        let folders = CohortLoader.cohortFolders(in: directory)
        guard !folders.isEmpty else {
            console.error("no cohorts in '\(display)' (use --cohorts DIR)")
            return ExitStatus.failure
        }
        let catalog = ItemCatalog(curriculum: curriculum, sites: SiteSet.load(context.paths))
        var cohorts: [Cohort] = []
        var diagnostics: [Diagnostic] = []
        for folder in folders {
            let (cohort, found) = CohortLoader.load(folder: folder, directory: directory, displayDirectory: display,
                                                    curriculum: curriculum, catalog: catalog, today: console.today)
            cohorts.append(cohort)
            diagnostics += found
        }
        report(diagnostics, console)
        if diagnostics.containsErrors { return ExitStatus.failure }
        let summary = CohortSummary(cohorts: cohorts, asOf: asOf, minCell: minCell)
        switch args.value("format") ?? "table" {
        case "table", "text": return emit(summary.table(), args, console)
        case "csv": return emit(summary.csv(), args, console)
        case let f: return KitbagCommandLine.usage(console, "unknown format '\(f)'; use table or csv", spec: trackSpec)
        }
    }

    /// `xapi-base:` and `language:` from book.md, when the project has one.
    static func bookSettings(_ context: CommandContext) -> (xapiBase: String?, language: String?) {
        guard let source = context.paths.source("Handbook/book.md") else { return (nil, nil) }
        var bag = DiagnosticBag()
        let fm = FrontMatter.parse(source, into: &bag)
        return (fm["xapi-base"]?.value.text, fm["language"]?.value.text)
    }

    /// `track export --xapi --to URL`: the statements, in batches, to a learning record store.
    static func sendToLRS(_ statements: [String], url: String, _ args: Arguments, _ console: Console) -> Int32 {
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            return KitbagCommandLine.usage(console, "--to takes the store's xAPI endpoint, such as http://localhost:8100/xAPI/", spec: trackSpec)
        }
        var batch = 100
        if let text = args.value("batch") {
            guard let n = Int(text), n >= 1, n <= 10_000 else { return KitbagCommandLine.usage(console, "--batch takes a number from 1 to 10000", spec: trackSpec) }
            batch = n
        }
        let environment = console.environment
        guard let user = environment["KITBAG_LRS_USER"], let password = environment["KITBAG_LRS_PASSWORD"], !user.isEmpty else {
            console.error("set KITBAG_LRS_USER and KITBAG_LRS_PASSWORD to the learning record store's account (credentials are never taken from arguments)")
            return ExitStatus.failure
        }
        switch LRSClient(endpoint: url, user: user, password: password, batchSize: batch).send(statements, environment: environment) {
        case .failure(let f):
            console.error("\(f.description)")
            return ExitStatus.failure
        case .success(let batches):
            console.out.write("sent \(statements.count) statement\(statements.count == 1 ? "" : "s") in \(batches) batch\(batches == 1 ? "" : "es") to \(url); the store keeps each statement once\n")
            return ExitStatus.ok
        }
    }

    /// `30d`, `6w`, `2m` (calendar months from the as-of date) or a bare number of days, up to
    /// 100 years; nil for anything else (a number past 64 bits included), so no sum can overflow.
    static func parseWithin(_ text: String) -> ((ISODate) -> Int)? {
        var digits = Substring(text)
        var unit: Character = "d"
        if let last = digits.last, last.isLetter { unit = last; digits = digits.dropLast() }
        guard digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let n = Int(digits) else { return nil }
        switch unit {
        case "d" where n <= 36_525: return { _ in n }
        case "w" where n <= 5_218: return { _ in n * 7 }
        case "m" where n <= 1_200: return { $0.adding(months: n).dayNumber - $0.dayNumber }
        default: return nil
        }
    }
}
