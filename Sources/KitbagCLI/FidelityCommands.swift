import CurriculumKit
import FidelityKit
import KitbagCore
import TrackerKit

/// `kitbag fidelity`: record and import ratings, scores, agreement and the report. Parsing
/// and printing only; the work is in FidelityKit.
enum FidelityCommands {
    static let spec = CommandSpec(
        name: "fidelity",
        usage: "kitbag fidelity record|void|import|status|agreement|report [options]",
        summary: "fidelity ratings per site and round, rater agreement and the principles report",
        options: ["site", "round", "respondent-kind", "respondent", "item", "rater", "score", "date", "note",
                  "format", "out", "cohorts", "handbook"],
        details: """
        kitbag fidelity record --site S --round N --respondent-kind K --respondent X --item F03 --rater R --score 3 [--date D] [--note T]
        kitbag fidelity void R000012 --rater R --note WHY [--date D]
        kitbag fidelity import sheet.csv   (columns date,site,round,respondent-kind,respondent,item,rater,score[,note]; all rows or none)
        kitbag fidelity status [--site S] [--round N] [--format table|csv|json]
        kitbag fidelity agreement [--site S] [--round N]
        kitbag fidelity report --out fidelity.html [--handbook _site/] [--cohorts DIR]

        Ratings go to Fidelity/ratings.csv. A site is the stem of Handbook/sites/<site>.md; the
        instrument is Curriculum/fidelity/. Every rating is checked first (unknown site, item or
        respondent kind, a score off the scale, an item not asked of that respondent kind, a
        duplicate); on any error nothing is written (exit 1). --rater settled records the score
        two raters agreed. --date defaults to today.
        """,
        maxPositionals: nil)

    static let command = Command(spec: spec) { arguments, context in run(arguments, context) }

    static func run(_ arguments: [String], _ context: CommandContext) -> Int32 {
        let console = context.console
        guard let args = parseArguments(arguments, spec, console) else { return ExitStatus.usage }
        if let refused = BuildCommands.refuseOut(args, context, spec: spec, base: console.workingDirectory, file: true) { return refused }
        let verbs = ["record", "void", "import", "status", "agreement", "report"]
        guard let verb = parseSubcommand(args, verbs, spec, console) else { return ExitStatus.usage }
        let rest = Array(args.positionals.dropFirst())
        let paths = context.paths
        let (curriculum, curriculumDiagnostics) = CurriculumLoader.load(paths)
        let errors = (curriculumDiagnostics + CurriculumValidator.validate(curriculum)).filter { $0.severity == .error }
        if !errors.isEmpty {
            TrackerCommands.report(errors, console)
            console.err.write("kitbag: error: the curriculum has errors; fidelity needs it to be sound\n")
            return ExitStatus.failure
        }
        guard let instrument = curriculum.fidelity else {
            console.err.write("kitbag: error: no fidelity instrument: add Curriculum/fidelity/instrument.md, domains/ and items/ (see docs/fidelity.md)\n")
            return ExitStatus.failure
        }
        let fidelity = FidelityContext(curriculum: curriculum, instrument: instrument, sites: FidelitySites.load(paths), today: console.today)
        var round: Int?
        if let text = args.value("round") {
            guard let n = Int(text), (1...99).contains(n) else { return KitbagCommandLine.usage(console, "--round: '\(text)' is not a whole number from 1 to 99", spec: spec) }
            round = n
        }
        switch verb {
        case "record", "void", "import":
            return write(verb, rest, args, fidelity, context)
        default:
            guard rest.isEmpty else { return KitbagCommandLine.usage(console, "fidelity \(verb) takes no arguments", spec: spec) }
            let (ledger, loaded) = RatingsLedger.load(paths, context: fidelity)
            if loaded.containsErrors {
                TrackerCommands.report(loaded, console)
                console.err.write("kitbag: error: \(paths.display(RatingsLedger.file)) has errors\n")
                return ExitStatus.failure
            }
            TrackerCommands.report(loaded, console)
            let site = args.value("site")
            if let site, !fidelity.sites.contains(site) {
                var message = "unknown site '\(site)'"
                if let guess = DidYouMean.closest(to: site, in: fidelity.sites) { message += "; did you mean '\(guess)'?" }
                return KitbagCommandLine.usage(console, message, spec: spec)
            }
            if verb == "agreement" {
                let result = Agreement.compute(ledger, instrument: instrument, curriculum: curriculum, site: site, round: round)
                return TrackerCommands.emit(result.text(), args, console)
            }
            let rounds = FidelityScores.compute(ledger, curriculum: curriculum, site: site, round: round)
            if verb == "report" {
                guard args.value("out") != nil else { return KitbagCommandLine.usage(console, "fidelity report needs --out FILE", spec: spec) }
                let training = siteTraining(paths: paths, cohorts: args.value("cohorts"), curriculum: curriculum, sites: fidelity.sites, console: console)
                let report = FidelityReport(curriculum: curriculum, instrument: instrument, rounds: rounds, training: training,
                                            handbookBase: handbookLink(args, paths: paths, console: console))
                return TrackerCommands.emit(report.html(), args, console)
            }
            switch args.value("format") ?? "table" {
            case "table": return TrackerCommands.emit(FidelityStatusOutput.table(rounds, instrument: instrument), args, console)
            case "csv": return TrackerCommands.emit(FidelityStatusOutput.csv(rounds), args, console)
            case "json": return TrackerCommands.emit(FidelityStatusOutput.json(rounds), args, console)
            case let other: return KitbagCommandLine.usage(console, "unknown format '\(other)'; use table, csv or json", spec: spec)
            }
        }
    }

    static func write(_ verb: String, _ rest: [String], _ args: Arguments, _ fidelity: FidelityContext, _ context: CommandContext) -> Int32 {
        let console = context.console
        let outcome: RatingsAppendOutcome
        switch verb {
        case "import":
            guard rest.count == 1 else { return KitbagCommandLine.usage(console, "fidelity import needs one sheet: kitbag fidelity import sheet.csv", spec: spec) }
            let sheet = rest[0].hasPrefix("/") || console.workingDirectory == "." ? rest[0] : FileSystem.join(console.workingDirectory, rest[0])
            let bytes: [UInt8]
            do { bytes = try FileSystem.readBytes(sheet) } catch {
                console.err.write("kitbag: error: \(error)\n")
                return ExitStatus.failure
            }
            outcome = RatingsWriter.append(context.paths, context: fidelity) { _, bag in
                RatingsImport.rows(bytes, display: rest[0], context: fidelity, into: &bag)
            }
        case "void":
            guard rest.count == 1 else { return KitbagCommandLine.usage(console, "fidelity void needs one row id: kitbag fidelity void R000012 --rater R --note WHY", spec: spec) }
            guard let rater = args.value("rater"), !rater.isEmpty, let note = args.value("note"), !note.trimmed().isEmpty else {
                return KitbagCommandLine.usage(console, "fidelity void needs --rater R and --note WHY (kept in the ledger)", spec: spec)
            }
            let target = rest[0]
            let date = args.value("date") ?? console.today.description
            outcome = RatingsWriter.append(context.paths, context: fidelity) { ledger, bag in
                guard let n = RowID.number(target), let t = ledger.rows.first(where: { $0.number == n }) else {
                    bag.error(.unknownVoidTarget, "there is no row '\(target)' in \(ledger.display)", at: nil)
                    return []
                }
                return pending(["date": date, "site": t.interview.site, "round": String(t.interview.round), "respondent-kind": t.interview.respondentKind,
                                "respondent": t.interview.respondent, "item": target, "rater": rater, "score": Rating.void, "note": note], fidelity, &bag)
            }
        default:
            var values: [String: String] = [:]
            for c in RatingColumn.allCases where c != .id {
                if let v = args.value(c.name) { values[c.name] = v }
            }
            values["date"] = values["date"] ?? console.today.description
            let missing = RatingColumn.allCases.filter { $0 != .id && $0 != .note && values[$0.name] == nil }
            guard missing.isEmpty else {
                return KitbagCommandLine.usage(console, "fidelity record needs " + missing.map { "--\($0.name)" }.joined(separator: ", "), spec: spec)
            }
            outcome = RatingsWriter.append(context.paths, context: fidelity) { _, bag in pending(values, fidelity, &bag) }
        }
        TrackerCommands.report(outcome.diagnostics, console)
        guard outcome.succeeded else {
            console.err.write("kitbag: error: nothing was recorded\n")
            return ExitStatus.failure
        }
        console.out.write("recorded \(outcome.ids.count) rating\(outcome.ids.count == 1 ? "" : "s")" + (outcome.ids.isEmpty ? "" : " (\(outcome.ids.first ?? "")\(outcome.ids.count > 1 ? "-\(outcome.ids.last ?? "")" : ""))") + " in \(context.paths.display(RatingsLedger.file))\n")
        return ExitStatus.ok
    }

    /// A rating from option values, checked by the same rules as every other row.
    static func pending(_ values: [String: String], _ fidelity: FidelityContext, _ bag: inout DiagnosticBag) -> [PendingRating] {
        guard let rating = RatingsImport.decode({ values[$0.name] ?? "" }, at: { _ in nil }, context: fidelity, into: &bag) else { return [] }
        return [PendingRating(rating: rating, location: nil)]
    }

    /// Each site's training coverage from a cohort whose `edition:` names the site: per
    /// principle, the share of its linked required items met, averaged over active workers.
    static func siteTraining(paths: ProjectPaths, cohorts: String?, curriculum: Curriculum, sites: [String], console: Console) -> [String: SiteTraining] {
        let option = cohorts.map { $0.hasPrefix("/") || console.workingDirectory == "." ? $0 : FileSystem.join(console.workingDirectory, $0) }
        let (directory, display) = TrackerPaths.cohorts(paths: paths, option: option)
        guard FileSystem.isDirectory(directory) else { return [:] }
        var result: [String: SiteTraining] = [:]
        let catalog = ItemCatalog(curriculum: curriculum, sites: SiteSet.load(paths))
        for folder in CohortLoader.cohortFolders(in: directory) {
            let (cohort, _) = CohortLoader.load(folder: folder, directory: directory, displayDirectory: display,
                                                curriculum: curriculum, catalog: catalog, today: console.today)
            guard let edition = cohort.info.edition, sites.contains(edition), result[edition] == nil else { continue }
            let statuses = StatusEngine(cohort: cohort, asOf: console.today).all().filter { cohort.workers[$0.worker].status == .active }
            var coverage: [String: Double] = [:]
            for (k, p) in catalog.principleIDs.enumerated() {
                let values = statuses.compactMap { k < $0.coverage.count ? $0.coverage[k] : nil }
                if !values.isEmpty { coverage[p] = values.reduce(0, +) / Double(values.count) }
            }
            result[edition] = SiteTraining(cohort: folder, coverage: coverage)
        }
        return result
    }

    /// The built handbook's folder as the report's links reach it: `--handbook` (from the
    /// working directory) or the project's `_site/`, relative to the folder the report is written to.
    static func handbookLink(_ args: Arguments, paths: ProjectPaths, console: Console) -> String {
        func absolute(_ path: String) -> String {
            path.hasPrefix("/") || console.workingDirectory == "." ? path : FileSystem.join(console.workingDirectory, path)
        }
        let handbook = args.value("handbook").map(absolute) ?? FileSystem.join(paths.root, "_site")
        let out = FileSystem.canonical(absolute(args.value("out") ?? "report.html"))
        let folder = out.lastIndex(of: "/").map { $0 == out.startIndex ? "/" : String(out[..<$0]) } ?? "."
        return FileSystem.relativePath(from: folder, to: FileSystem.canonical(handbook)) + "/"
    }
}
