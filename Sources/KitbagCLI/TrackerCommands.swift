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
        options: ["cohorts", "cohort", "module", "assessment", "item", "date", "by", "note", "reason"],
        details: """
        kitbag record attended|absent|waived --module M03 --date 2026-04-02 --by NAME [--note TEXT] W01 W02 ...
        kitbag record passed|failed --assessment A03 --date 2026-04-02 --by NAME [--note TEXT] W01 ...
        kitbag record void R000012 --reason TEXT [--by NAME] [--date DATE]
        kitbag record import sheet.csv      (columns date,worker,item,event,by,note; all rows or none)

        --date defaults to today. A waiver needs --note saying why. Every row is checked first
        (unknown worker or item, a result for the wrong kind of item, a date in the future or
        before the worker joined, a duplicate); on any error nothing is written (exit 1).
        --cohort may be left out when there is one cohort; --cohorts DIR (default Cohorts/).
        """,
        maxPositionals: nil)

    static let trackSpec = CommandSpec(
        name: "track",
        usage: "kitbag track status|why|outstanding|due|report|export|erase [options]",
        summary: "sign-off status, to-do lists, refreshers and reports for a cohort",
        options: ["cohorts", "cohort", "as-of", "worker", "format", "out", "within", "home-page", "reason", "by"],
        flags: ["anonymise", "anonymize", "ics", "xapi"],
        details: """
        kitbag track status [--worker W] [--format table|csv|json|html]
        kitbag track why W
        kitbag track outstanding [--format text|csv]
        kitbag track due [--within 30d] [--ics]
        kitbag track report [--worker W] --out report.html
        kitbag track export --xapi [--home-page URL]
        kitbag track erase W --reason TEXT [--by NAME]

        Every command takes --cohort C (optional when there is one cohort), --cohorts DIR
        (default Cohorts/ in the project), --as-of DATE (default today) and --out FILE.
        --anonymise leaves names out of any output (workers are shown by their ids).
        """,
        maxPositionals: nil)

    static let record = Command(spec: recordSpec) { arguments, context in runRecord(arguments, context) }
    static let track = Command(spec: trackSpec) { arguments, context in runTrack(arguments, context) }

    // MARK: - Shared

    /// Prints diagnostics; those with no file (about the command line) as `kitbag: error: ...`.
    static func report(_ diagnostics: [Diagnostic], _ console: Console) {
        let placed = diagnostics.filter { !$0.location.file.isEmpty }
        for d in diagnostics where d.location.file.isEmpty {
            console.err.write("kitbag: \(d.severity.rawValue): \(d.message) [\(d.code)]\n")
            for n in d.notes { console.err.write("    note: \(n.message)\n") }
        }
        console.report(placed)
    }

    static let commandLine = SourceLocation(file: "", line: 0, column: 0)

    /// The curriculum and the cohort location, or an exit status.
    static func locate(_ args: Arguments, _ context: CommandContext, spec: CommandSpec) -> Result<CohortLocation, ExitCode> {
        let console = context.console
        let (curriculum, curriculumDiagnostics) = CurriculumLoader.load(context.paths)
        let errors = curriculumDiagnostics.filter { $0.severity == .error }
        if !errors.isEmpty {
            report(errors, console)
            console.err.write("kitbag: error: the curriculum has errors; the tracker needs it to be sound\n")
            return .failure(ExitCode(ExitStatus.failure))
        }
        let option = args.value("cohorts").map { path in
            path.hasPrefix("/") || console.workingDirectory == "." ? path : FileSystem.join(console.workingDirectory, path)
        }
        let (directory, display) = TrackerPaths.cohorts(paths: context.paths, option: option)
        guard FileSystem.isDirectory(directory) else {
            console.err.write("kitbag: error: no cohorts directory '\(display)' (use --cohorts DIR)\n")
            return .failure(ExitCode(ExitStatus.failure))
        }
        let folders = CohortLoader.cohortFolders(in: directory)
        let folder: String
        if let wanted = args.value("cohort") {
            guard folders.contains(wanted) else {
                var message = "unknown cohort '\(wanted)' in '\(display)'"
                if let guess = DidYouMean.closest(to: wanted, in: folders) { message += "; did you mean '\(guess)'?" }
                console.err.write("kitbag: error: \(message)\n")
                return .failure(ExitCode(ExitStatus.failure))
            }
            folder = wanted
        } else if folders.count == 1 {
            folder = folders[0]
        } else if folders.isEmpty {
            console.err.write("kitbag: error: no cohorts in '\(display)'\n")
            return .failure(ExitCode(ExitStatus.failure))
        } else {
            return .failure(ExitCode(KitbagCommandLine.usage(console, "there are several cohorts; choose one with --cohort (\(folders.joined(separator: ", ")))", spec: spec)))
        }
        return .success(CohortLocation(folder: folder, directory: directory, displayDirectory: display, curriculum: curriculum))
    }

    struct ExitCode: Error { var code: Int32; init(_ code: Int32) { self.code = code } }

    static func date(_ text: String?, name: String, default value: ISODate, _ console: Console, spec: CommandSpec) -> Result<ISODate, ExitCode> {
        guard let text else { return .success(value) }
        if let d = ISODate(text) { return .success(d) }
        var bag = DiagnosticBag()
        _ = LedgerSyntax.checkDate(text, into: &bag)
        let message = bag.all.first?.message ?? "'\(text)' is not a YYYY-MM-DD date"
        return .failure(ExitCode(KitbagCommandLine.usage(console, "--\(name): \(message)", spec: spec)))
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
            console.err.write("kitbag: error: \(error)\n")
            return ExitStatus.failure
        }
        return ExitStatus.ok
    }

    // MARK: - record

    static func runRecord(_ arguments: [String], _ context: CommandContext) -> Int32 {
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
        let location: CohortLocation
        switch locate(args, context, spec: recordSpec) {
        case .failure(let e): return e.code
        case .success(let l): location = l
        }
        let today = console.today
        let outcome: AppendOutcome
        if verb == "import" {
            guard rest.count == 1 else { return KitbagCommandLine.usage(console, "record import needs one sheet: kitbag record import sheet.csv", spec: recordSpec) }
            let sheet = rest[0].hasPrefix("/") || console.workingDirectory == "." ? rest[0] : FileSystem.join(console.workingDirectory, rest[0])
            let bytes: [UInt8]
            do { bytes = try FileSystem.readBytes(sheet) } catch {
                console.err.write("kitbag: error: \(error)\n")
                return ExitStatus.failure
            }
            outcome = LedgerWriter.append(to: location, today: today) { cohort, bag in
                ImportSheet.rows(bytes, display: rest[0], cohort: cohort, today: today, into: &bag)
            }
        } else if verb == "void" {
            guard rest.count == 1 else { return KitbagCommandLine.usage(console, "record void needs one row id: kitbag record void R000012 --reason TEXT", spec: recordSpec) }
            guard let reason = args.value("reason"), !reason.trimmed().isEmpty else {
                return KitbagCommandLine.usage(console, "record void needs --reason TEXT (kept in the ledger)", spec: recordSpec)
            }
            let when: ISODate
            switch date(args.value("date"), name: "date", default: today, console, spec: recordSpec) {
            case .failure(let e): return e.code
            case .success(let d): when = d
            }
            let target = rest[0]
            outcome = LedgerWriter.append(to: location, today: today) { cohort, bag in
                guard let n = LedgerSyntax.rowNumber(target), let t = cohort.ledger.index(ofNumber: n) else {
                    bag.error("unknown-void-target", "there is no row '\(target)' in \(cohort.recordsDisplay)", at: commandLine)
                    return []
                }
                let worker = cohort.workers[Int(cohort.ledger.rows[t].worker)].id
                return [PendingRow(date: when, worker: worker, item: target, event: .void, by: args.value("by") ?? "", note: reason, location: commandLine)]
            }
        } else {
            guard let event = LedgerEvent(name: verb) else { return ExitStatus.usage }
            let given = ["module", "assessment", "item"].compactMap { args.value($0) }
            guard given.count == 1, let item = given.first else {
                let option = event.itemKind == .assessment ? "--assessment A03" : "--module M03"
                return KitbagCommandLine.usage(console, "record \(verb) needs the item: \(option)", spec: recordSpec)
            }
            if let m = args.value("module"), event.itemKind == .assessment {
                return reportFailure([.error("wrong-item-kind", "'\(verb)' is recorded for an assessment; use --assessment, not --module '\(m)'", at: commandLine)], console)
            }
            if let a = args.value("assessment"), event.itemKind == .module {
                return reportFailure([.error("wrong-item-kind", "'\(verb)' is recorded for a module; use --module, not --assessment '\(a)'", at: commandLine)], console)
            }
            guard !rest.isEmpty else { return KitbagCommandLine.usage(console, "record \(verb) needs at least one worker id", spec: recordSpec) }
            guard let by = args.value("by"), !by.trimmed().isEmpty else {
                return KitbagCommandLine.usage(console, "record \(verb) needs --by NAME (who ran the session or marked the assessment)", spec: recordSpec)
            }
            let when: ISODate
            switch date(args.value("date"), name: "date", default: today, console, spec: recordSpec) {
            case .failure(let e): return e.code
            case .success(let d): when = d
            }
            let note = args.value("note") ?? ""
            outcome = LedgerWriter.append(to: location, today: today) { _, _ in
                rest.map { PendingRow(date: when, worker: $0, item: item, event: event, by: by, note: note, location: commandLine) }
            }
        }
        report(outcome.diagnostics, console)
        guard !outcome.diagnostics.containsErrors else {
            console.err.write("kitbag: nothing was recorded\n")
            return ExitStatus.failure
        }
        for id in outcome.ids { console.out.write("recorded \(id)\n") }
        return ExitStatus.ok
    }

    static func reportFailure(_ diagnostics: [Diagnostic], _ console: Console) -> Int32 {
        report(diagnostics, console)
        return ExitStatus.failure
    }

    // MARK: - track

    static func runTrack(_ arguments: [String], _ context: CommandContext) -> Int32 {
        let console = context.console
        guard let args = parseArguments(arguments, trackSpec, console) else { return ExitStatus.usage }
        let subcommands = ["status", "why", "outstanding", "due", "report", "export", "erase"]
        guard let sub = args.positionals.first else {
            return KitbagCommandLine.usage(console, "track needs a subcommand: \(subcommands.joined(separator: ", "))", spec: trackSpec)
        }
        guard subcommands.contains(sub) else {
            var message = "unknown subcommand '\(sub)'"
            if let guess = DidYouMean.closest(to: sub, in: subcommands) { message += "; did you mean '\(guess)'?" }
            return KitbagCommandLine.usage(console, message, spec: trackSpec)
        }
        let rest = Array(args.positionals.dropFirst())
        let anonymise = args.has("anonymise") || args.has("anonymize")
        let asOf: ISODate
        switch date(args.value("as-of"), name: "as-of", default: console.today, console, spec: trackSpec) {
        case .failure(let e): return e.code
        case .success(let d): asOf = d
        }
        let location: CohortLocation
        switch locate(args, context, spec: trackSpec) {
        case .failure(let e): return e.code
        case .success(let l): location = l
        }
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
            if let w = cohort.workerIndex[id] { return w }
            var message = "unknown worker '\(id)' in cohort '\(cohort.folder)'"
            if let guess = DidYouMean.closest(to: id, in: cohort.workers.map(\.id)) { message += "; did you mean '\(guess)'?" }
            console.err.write("kitbag: error: \(message) [unknown-worker]\n")
            return nil
        }
        var only: [Int]?
        let wanted = args.all("worker") + (sub == "why" ? rest : [])
        if !wanted.isEmpty {
            var list: [Int] = []
            for id in wanted {
                guard let w = workerIndex(id) else { return ExitStatus.failure }
                list.append(w)
            }
            only = list
        } else if sub != "why", !rest.isEmpty {
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
            return emit(view.render(format), args, console)
        case "why":
            guard let workers = only, !workers.isEmpty else { return KitbagCommandLine.usage(console, "track why needs a worker id", spec: trackSpec) }
            let view = StatusView(cohort: cohort, asOf: asOf, only: workers, anonymise: anonymise)
            let explainer = WhyExplainer(view: view)
            return emit(workers.map { explainer.explain(worker: $0) }.joined(separator: "\n"), args, console)
        case "outstanding":
            let view = StatusView(cohort: cohort, asOf: asOf, only: only, anonymise: anonymise)
            switch args.value("format") ?? "text" {
            case "text", "table": return emit(ToDo(view: view).outstandingText(), args, console)
            case "csv": return emit(ToDo(view: view).outstandingCSV(), args, console)
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
            return emit(XAPIExport(cohort: cohort, homePage: home, anonymise: anonymise, asOf: asOf, workers: only).render(), args, console)
        default:
            return ExitStatus.usage
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
