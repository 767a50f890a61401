import HandbookKit
import KitbagCore
import ProposalsKit

/// `kitbag propose` and `kitbag proposals`: the advisory groups' workflow.
enum ProposalCommands {
    static let proposeSpec = CommandSpec(
        name: "propose", usage: "kitbag propose TARGET --group NAME [--round N] [--docx] [--out FILE]",
        summary: "copy a chapter, section or curriculum item for an advisory group to edit",
        options: ["group", "round", "out"], flags: ["docx"],
        details: """
        TARGET is a chapter, section or curriculum item ID (ward-frequency, M03) or a chapter file
        (Handbook/13-delivery-on-the-ward.md). The copy goes to Proposals/ with front matter naming the
        group, round, date, target and a fingerprint of the text; the group marks suggestions in it with
        CriticMarkup. --docx writes a Word file instead (needs pandoc); bring it back with
        'kitbag proposals import FILE.docx'.
        """,
        maxPositionals: 1)

    static let proposalsSpec = CommandSpec(
        name: "proposals",
        usage: "kitbag proposals [list [--format table|json] | review [--out FILE] | accept FILE [--only N,M] [--category C] | reject FILE [--only N] --reason TEXT [--category C] | report --group NAME [--out FILE] | import FILE.docx | coverage | close-round N]",
        summary: "list, review, accept and reject advisory group proposals",
        options: ["out", "only", "reason", "by", "group", "round", "target", "format", "category"],
        details: """
        subcommands:
          list (default) [--format table|json]
                                  every proposal: group, round, target, suggestions, state
          review [--out FILE]     an HTML page of open suggestions in context
                                  (default Proposals/_review/review.html)
          accept FILE [--only 1,3] [--category accepted|accepted-with-changes] [--reason TEXT] [--by NAME]
                                  apply suggestions to the target and record the decisions
          reject FILE [--only 2] --reason TEXT [--category out-of-scope|conflicts-with-principle|
                 not-supported-by-evidence|already-covered|other] [--by NAME]
                                  record rejections (the target is not touched)
          report --group NAME [--out FILE]
                                  "you said, we did" for one group
                                  (default Proposals/_review/report-GROUP.html)
          coverage                which groups have reviewed which targets, per round
          close-round N           re-anchor round N's open suggestions to the current text
          import FILE.docx [--group NAME] [--round N] [--target T]
                                  turn a Word file's tracked changes and comments into a proposal
        Decisions go to Proposals/decisions.csv. --by defaults to $KITBAG_USER, else $USER.
        """,
        maxPositionals: 2)

    static let propose = Command(spec: proposeSpec) { arguments, context in
        guard let args = parseArguments(arguments, proposeSpec, context.console) else { return ExitStatus.usage }
        let console = context.console, paths = context.paths
        guard let targetName = args.positionals.first else { return KitbagCommandLine.usage(console, "propose needs a TARGET", spec: proposeSpec) }
        guard var group = args.value("group")?.trimmed(), !group.isEmpty else {
            return KitbagCommandLine.usage(console, "propose needs --group NAME", spec: proposeSpec)
        }
        InterruptedWrites.clean(paths)
        let groups = Groups.load(paths)
        if let refusal = groups.refusal(group) {
            printError(console, refusal.message, notes: refusal.notes)
            return ExitStatus.failure
        }
        group = groups.group(group)?.name ?? group
        var round = 1
        if let text = args.value("round") {
            guard let n = Int(text), n >= 1, n <= 999 else { return KitbagCommandLine.usage(console, "--round must be a number from 1 to 999, found '\(text)'", spec: proposeSpec) }
            round = n
        }
        // The handbook's own IDs and chapter files: a proposal names what a `#id` link names.
        let (handbook, _) = HandbookCompiler.resolve(paths, options: .init())
        let target: ResolvedTarget
        switch TargetResolver(paths: paths, handbook: handbook).resolve(targetName) {
        case .failure(let error):
            printError(console, error.message, notes: error.notes)
            return ExitStatus.failure
        case .success(let t): target = t
        }
        let copy = target.bytes
        let title = target.kind == .file ? nil : target.title
        let stem = "\(console.today)-\(Slug.make(group))-r\(round)-\(Slug.make(target.name.hasSuffix(".md") ? String(target.name.split(separator: "/").last ?? "").replacing(".md", with: "") : target.name))"
        let docx = args.has("docx")
        let relative = args.value("out") ?? uniqueName(paths, stem: stem, ext: docx ? "docx" : "md")
        let outPath = paths.path(relative)
        if FileSystem.exists(outPath) {
            printError(console, "'\(relative)' already exists; kitbag never overwrites a proposal", notes: [])
            return ExitStatus.failure
        }
        do { try FileSystem.makeDirectories(parent(of: outPath)) } catch {
            printError(console, "\(error)", notes: [])
            return ExitStatus.failure
        }
        do { try Snapshots.save(copy, paths: paths) } catch {
            printError(console, "\(error)", notes: [])
            return ExitStatus.failure
        }
        let lines = "\(target.file.location(ofByteOffset: target.region.lowerBound).line)-\(target.file.location(ofByteOffset: max(target.region.lowerBound, target.region.upperBound - 1)).line)"
        if docx {
            let details = WordRoundTrip.Details(group: group, round: round, submitted: console.today, target: target.name,
                                                title: title, fingerprint: Proposal.fingerprint(of: copy))
            let readable = ReferenceTexts(handbook).readable(copy)
            if case .failure(let f) = WordRoundTrip.writeDocx(details: details, readable: readable, to: outPath, environment: console.environment) {
                printError(console, f.message, notes: [])
                return ExitStatus.failure
            }
        } else {
            let text = Proposal.render(group: group, round: round, submitted: console.today, target: target.name, title: title, copy: copy)
            do { try FileSystem.writeAtomically(text, to: outPath) } catch {
                printError(console, "\(error)", notes: [])
                return ExitStatus.failure
            }
        }
        console.out.write("wrote \(paths.display(relative)): \(target.kind.rawValue) '\(target.name)' (\(target.relativePath), lines \(lines)) for \(group), round \(round)\n")
        if docx {
            console.out.write("send it to the group; they edit it with Track Changes on, then run: kitbag proposals import \(relative)\n")
        } else {
            console.out.write("send it to the group; they can simply edit the text in any editor (every change is kept), and may mark changes with CriticMarkup ({++add++} {--delete--} {~~old~>new~~} {>>comment<<} {==highlight==})\n")
        }
        return ExitStatus.ok
    }

    static let proposals = Command(spec: proposalsSpec) { arguments, context in
        guard let args = parseArguments(arguments, proposalsSpec, context.console) else { return ExitStatus.usage }
        let sub = args.positionals.first ?? "list"
        // review and report write pages; propose and import write proposals into Proposals/ on purpose.
        if sub == "review" || sub == "report", let refused = BuildCommands.refuseOut(args, context, spec: proposalsSpec, base: context.paths.root, file: true) { return refused }
        for removed in InterruptedWrites.clean(context.paths) {
            context.console.err.write("kitbag: removed \(context.paths.display(removed)), left by an interrupted write\n")
        }
        switch sub {
        case "list":
            guard args.positionals.count <= 1 else { return KitbagCommandLine.usage(context.console, "unexpected argument '\(args.positionals[1])'", spec: proposalsSpec) }
            let format = args.value("format") ?? "table"
            guard format == "table" || format == "json" else {
                return KitbagCommandLine.usage(context.console, "--format must be 'table' or 'json', found '\(format)'", spec: proposalsSpec)
            }
            return list(context, json: format == "json")
        case "review": return review(args, context)
        case "accept", "reject": return decide(args, context, accept: sub == "accept")
        case "report": return report(args, context)
        case "import": return importDocx(args, context)
        case "coverage": return coverage(args, context)
        case "close-round": return closeRound(args, context)
        default:
            var message = "unknown subcommand '\(sub)'"
            if let guess = DidYouMean.closest(to: sub, in: ["list", "review", "accept", "reject", "report", "import", "coverage", "close-round"]) { message += "; did you mean '\(guess)'?" }
            return KitbagCommandLine.usage(context.console, message, spec: proposalsSpec)
        }
    }

    // MARK: - Subcommands

    static func list(_ context: CommandContext, json: Bool) -> Int32 {
        let workspace = ProposalsWorkspace.load(context.paths)
        let diagnostics = workspace.allDiagnostics
        context.console.report(diagnostics)
        if json {
            context.console.out.write(ProposalList.json(workspace))
            return diagnostics.containsErrors ? ExitStatus.failure : ExitStatus.ok
        }
        if workspace.proposals.isEmpty {
            context.console.out.write("no proposals in \(context.paths.display("Proposals/"))\n")
            return diagnostics.containsErrors ? ExitStatus.failure : ExitStatus.ok
        }
        var rows = [["GROUP", "ROUND", "TARGET", "SUGGESTIONS", "STATE", "DETAIL", "FILE"]]
        for p in workspace.proposals {
            var detail = p.counts
            let typed = p.tally.typed
            if typed > 0 { detail += (detail.isEmpty ? "" : "; ") + "\(typed) typed without marks" }
            rows.append([p.proposal.group, p.proposal.round.map(String.init) ?? "-", p.proposal.target, String(p.states.count),
                         p.state.rawValue, detail.isEmpty ? "-" : detail, context.paths.display(p.relativePath)])
        }
        context.console.out.write(table(rows))
        return diagnostics.containsErrors ? ExitStatus.failure : ExitStatus.ok
    }

    static func review(_ args: Arguments, _ context: CommandContext) -> Int32 {
        guard args.positionals.count <= 1 else { return KitbagCommandLine.usage(context.console, "unexpected argument '\(args.positionals[1])'", spec: proposalsSpec) }
        let workspace = ProposalsWorkspace.load(context.paths)
        let diagnostics = workspace.allDiagnostics
        context.console.report(diagnostics)
        let out = args.value("out") ?? "Proposals/_review/review.html"
        guard write(ProposalPages.review(workspace, references: workspace.references), to: out, context) else { return ExitStatus.failure }
        let open = workspace.proposals.flatMap(\.states).filter(\.isOpen).count
        context.console.out.write("wrote \(context.paths.display(out)): \(open) open suggestion\(open == 1 ? "" : "s") in \(workspace.proposals.count) proposal\(workspace.proposals.count == 1 ? "" : "s")\n")
        return diagnostics.containsErrors ? ExitStatus.failure : ExitStatus.ok
    }

    static func decide(_ args: Arguments, _ context: CommandContext, accept: Bool) -> Int32 {
        let console = context.console
        let verb = accept ? "accept" : "reject"
        guard args.positionals.count == 2 else {
            return KitbagCommandLine.usage(console, "proposals \(verb) needs one proposal FILE", spec: proposalsSpec)
        }
        var only: [Int]?
        if !args.all("only").isEmpty {
            switch parseNumbers(args.all("only")) {
            case .success(let numbers): only = numbers
            case .failure(let e): return KitbagCommandLine.usage(console, e.message, spec: proposalsSpec)
            }
        }
        let reason = args.value("reason")?.trimmed() ?? ""
        if !accept && reason.isEmpty {
            return KitbagCommandLine.usage(console, "proposals reject needs --reason TEXT (it goes back to the group)", spec: proposalsSpec)
        }
        let categories = accept ? DecisionLog.acceptCategories : DecisionLog.rejectCategories
        let category = args.value("category")?.trimmed() ?? (accept ? categories[0] : categories[categories.count - 1])
        guard categories.contains(category) else {
            var message = "--category for \(verb) must be one of \(categories.joined(separator: ", ")), found '\(category)'"
            if let guess = DidYouMean.closest(to: category, in: categories) { message += "; did you mean '\(guess)'?" }
            return KitbagCommandLine.usage(console, message, spec: proposalsSpec)
        }
        let by = args.value("by") ?? console.environment["KITBAG_USER"] ?? console.environment["USER"] ?? "unknown"
        guard let file = proposalPath(args.positionals[1], context.paths) else {
            printError(console, "'\(args.positionals[1])' is not a file in Proposals/", notes: [])
            return ExitStatus.failure
        }
        switch Deciding.decide(paths: context.paths, proposalPath: file, only: only, accept: accept, category: category, reason: reason, by: by, today: console.today) {
        case .failure(let list):
            console.report(list.diagnostics)
            console.err.write("kitbag: nothing was changed\n")
            return ExitStatus.failure
        case .success(let outcome):
            if outcome.decisions.isEmpty {
                console.out.write("\(context.paths.display(file)) has no suggestions: nothing to \(verb), nothing changed\n")
                return ExitStatus.ok
            }
            let numbers = outcome.decisions.map { String($0.suggestion) }.joined(separator: ", ")
            console.out.write("\(accept ? "accepted" : "rejected") (\(category)) \(outcome.decisions.count) suggestion\(outcome.decisions.count == 1 ? "" : "s") (\(numbers)) of \(context.paths.display(file))\n")
            if let changed = outcome.changedFile { console.out.write("updated \(context.paths.display(changed))\n") }
            if !outcome.alreadyApplied.isEmpty {
                console.out.write("already in the text: \(outcome.alreadyApplied.map(String.init).joined(separator: ", "))\n")
            }
            console.out.write("recorded in \(context.paths.display(DecisionLog.relativePath))\n")
            return ExitStatus.ok
        }
    }

    static func report(_ args: Arguments, _ context: CommandContext) -> Int32 {
        guard let group = args.value("group")?.trimmed(), !group.isEmpty else {
            return KitbagCommandLine.usage(context.console, "proposals report needs --group NAME", spec: proposalsSpec)
        }
        let workspace = ProposalsWorkspace.load(context.paths)
        let groups = workspace.proposals.map(\.proposal.group).uniqued()
        guard groups.contains(where: { $0.lowercased() == group.lowercased() }) else {
            var notes: [String] = []
            if let guess = DidYouMean.closest(to: group, in: groups) { notes.append("did you mean '\(guess)'?") }
            if !groups.isEmpty { notes.append("groups with proposals: \(groups.joined(separator: ", "))") }
            printError(context.console, "no proposals from group '\(group)'", notes: notes)
            return ExitStatus.failure
        }
        let out = args.value("out") ?? "Proposals/_review/report-\(Slug.make(group)).html"
        guard write(ProposalPages.report(workspace, group: group, today: context.console.today, references: workspace.references), to: out, context) else { return ExitStatus.failure }
        context.console.out.write("wrote \(context.paths.display(out))\n")
        return ExitStatus.ok
    }

    static func coverage(_ args: Arguments, _ context: CommandContext) -> Int32 {
        guard args.positionals.count <= 1 else { return KitbagCommandLine.usage(context.console, "unexpected argument '\(args.positionals[1])'", spec: proposalsSpec) }
        let workspace = ProposalsWorkspace.load(context.paths)
        let diagnostics = workspace.allDiagnostics
        context.console.report(diagnostics)
        let rounds = Rounds.coverage(workspace)
        if rounds.isEmpty { context.console.out.write("no proposals in \(context.paths.display("Proposals/"))\n") }
        for (i, round) in rounds.enumerated() {
            context.console.out.write("\(i == 0 ? "" : "\n")round \(round.round): suggestions each group made on each target (- not reviewed)\n")
            context.console.out.write(table(round.rows))
        }
        return diagnostics.containsErrors ? ExitStatus.failure : ExitStatus.ok
    }

    static func closeRound(_ args: Arguments, _ context: CommandContext) -> Int32 {
        let console = context.console
        guard args.positionals.count == 2, let n = Int(args.positionals[1]), n >= 1, n <= 999 else {
            return KitbagCommandLine.usage(console, "proposals close-round needs a round number from 1 to 999", spec: proposalsSpec)
        }
        switch Rounds.close(n, paths: context.paths) {
        case .failure(let list):
            console.report(list.diagnostics)
            return ExitStatus.failure
        case .success(let closed):
            console.report(closed.unplaced)
            console.out.write("closed round \(n): \(closed.placed) open suggestion\(closed.placed == 1 ? "" : "s") re-anchored to the current text")
            if closed.unplaced.isEmpty {
                console.out.write("\n")
            } else {
                console.out.write("; \(closed.unplaced.count) could not be placed and stay open (listed above)\n")
            }
            console.out.write("recorded in \(context.paths.display(closed.file))\n")
            return ExitStatus.ok
        }
    }

    static func importDocx(_ args: Arguments, _ context: CommandContext) -> Int32 {
        let console = context.console, paths = context.paths
        guard args.positionals.count == 2 else { return KitbagCommandLine.usage(console, "proposals import needs one FILE.docx", spec: proposalsSpec) }
        let given = args.positionals[1]
        let source = paths.path(given)
        guard FileSystem.exists(source) else {
            printError(console, "cannot read '\(given)': no such file", notes: [])
            return ExitStatus.failure
        }
        let read: (details: WordRoundTrip.Details?, copy: String)
        switch WordRoundTrip.readDocx(source, environment: console.environment) {
        case .failure(let f):
            printError(console, f.message, notes: [])
            return ExitStatus.failure
        case .success(let r): read = r
        }
        var round = read.details?.round ?? 1
        if let text = args.value("round") {
            guard let n = Int(text), n >= 1, n <= 999 else { return KitbagCommandLine.usage(console, "--round must be a number from 1 to 999, found '\(text)'", spec: proposalsSpec) }
            round = n
        }
        guard var group = args.value("group") ?? read.details?.group, let targetName = args.value("target") ?? read.details?.target else {
            printError(console, "'\(given)' does not carry kitbag's proposal details; give --group NAME and --target TARGET", notes: [])
            return ExitStatus.failure
        }
        let groups = Groups.load(paths)
        if let refusal = groups.refusal(group) {
            printError(console, refusal.message, notes: refusal.notes)
            return ExitStatus.failure
        }
        group = groups.group(group)?.name ?? group
        // Check the target is acceptable before writing anything.
        let (handbook, _) = HandbookCompiler.resolve(paths, options: .init())
        if case .failure(let error) = TargetResolver(paths: paths, handbook: handbook).resolve(targetName) {
            printError(console, error.message, notes: error.notes)
            return ExitStatus.failure
        }
        var copy = read.copy
        let fingerprint = read.details?.fingerprint
        var snapshot: [UInt8]?
        if let fingerprint { snapshot = Snapshots.load(fingerprint, paths: paths).bytes }
        if let snapshot {
            // The Word copy showed the readable text: map its edits back to the source.
            let view = ReferenceTexts(handbook).readable(snapshot)
            copy = String(decoding: ReadableEdits.sourceCopy(marked: read.copy, snapshot: snapshot, view: view).copy, as: UTF8.self)
        } else if let fingerprint {
            // A copy made before snapshots showed the source itself.
            // Word keeps no line ends after the last paragraph; restore those the copy had.
            let base = { (text: String) in Proposal.parse(relativePath: "", file: SourceFile(displayPath: "", text: "---\ngroup: g\ntarget: t\nsubmitted: 2000-01-01\n---\n" + text)).original }
            if let suffix = ["", "\n", "\n\n", "\n\n\n"].first(where: { Proposal.fingerprint(of: base(copy + $0)) == fingerprint }) {
                copy += suffix
            } else {
                copy += "\n"
                console.warning("the text in '\(given)' differs from the copy it was made from (layout or spacing changed outside tracked changes); suggestions next to such places may be stale")
            }
        }
        let nameStem = String(given.split(separator: "/").last ?? "proposal").replacing(".docx", with: "")
        let relative = args.value("out") ?? uniqueName(paths, stem: nameStem, ext: "md")
        let text = Proposal.render(group: group, round: round, submitted: read.details?.submitted ?? console.today, target: targetName,
                                   title: read.details?.title, copy: Array(copy.utf8), fingerprint: fingerprint)
        let outPath = paths.path(relative)
        guard !FileSystem.exists(outPath) else {
            printError(console, "'\(relative)' already exists; kitbag never overwrites a proposal", notes: [])
            return ExitStatus.failure
        }
        do {
            try FileSystem.makeDirectories(parent(of: outPath))
            try FileSystem.writeAtomically(text, to: outPath)
        } catch {
            printError(console, "\(error)", notes: [])
            return ExitStatus.failure
        }
        let proposal = Proposal.parse(relativePath: relative, file: SourceFile(displayPath: paths.display(relative), text: text))
        console.report(proposal.diagnostics)
        console.out.write("wrote \(paths.display(relative)): \(proposal.suggestions.count) suggestion\(proposal.suggestions.count == 1 ? "" : "s") from \(group), round \(round)\n")
        return proposal.isValid ? ExitStatus.ok : ExitStatus.failure
    }

    // MARK: - Helpers

    static func printError(_ console: Console, _ message: String, notes: [String]) {
        console.error(message, notes: notes)
    }

    static func write(_ text: String, to relative: String, _ context: CommandContext) -> Bool {
        let path = context.paths.path(relative)
        do {
            try FileSystem.makeDirectories(parent(of: path))
            try FileSystem.writeAtomically(text, to: path)
            return true
        } catch {
            printError(context.console, "\(error)", notes: [])
            return false
        }
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// `Proposals/STEM.EXT`, or with `-2`, `-3`, ... when taken.
    static func uniqueName(_ paths: ProjectPaths, stem: String, ext: String) -> String {
        var candidate = "Proposals/\(stem).\(ext)"
        var n = 1
        while FileSystem.exists(paths.path(candidate)) {
            n += 1
            candidate = "Proposals/\(stem)-\(n).\(ext)"
        }
        return candidate
    }

    /// The project-relative path of a proposal named on the command line: `Proposals/x.md`, `x.md`, or a path into Proposals/.
    static func proposalPath(_ given: String, _ paths: ProjectPaths) -> String? {
        var path = given
        while path.hasPrefix("./") { path.removeFirst(2) }
        let root = paths.root.hasSuffix("/") ? paths.root : paths.root + "/"
        if path.hasPrefix("/"), path.hasPrefix(root) { path.removeFirst(root.count) }
        if !path.contains("/") { path = "Proposals/" + path }
        let parts = path.split(separator: "/")
        guard parts.count == 2, parts[0] == "Proposals", !parts.contains(".."), !path.hasPrefix("/") else { return nil }
        return path
    }

    struct NumbersError: Error { var message: String }

    /// `--only 1,3`, `--only 2-4`, repeated options.
    static func parseNumbers(_ values: [String]) -> Result<[Int], NumbersError> {
        var numbers: [Int] = []
        for value in values {
            for part in value.split(separator: ",", omittingEmptySubsequences: false) {
                let item = part.trimmed()
                let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
                let limit = 1...9_999
                if bounds.count == 2, let a = Int(bounds[0]), let b = Int(bounds[1]), limit.contains(a), limit.contains(b), a <= b {
                    numbers += Array(a...b)
                } else if let n = Int(item), limit.contains(n) {
                    numbers.append(n)
                } else {
                    return .failure(NumbersError(message: "--only takes suggestion numbers from 1 to 9999 such as '1,3' or '2-4', found '\(value)'"))
                }
            }
        }
        return .success(numbers)
    }

    /// Left-aligned columns separated by two spaces.
    static func table(_ rows: [[String]]) -> String {
        var widths = [Int](repeating: 0, count: rows.first?.count ?? 0)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        var out = ""
        for row in rows {
            var line = ""
            for (i, cell) in row.enumerated() {
                line += i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count + 2)
            }
            out += line + "\n"
        }
        return out
    }
}
