import KitbagCore

/// Review rounds: who has reviewed what (`kitbag proposals coverage`), and closing a round
/// (`kitbag proposals close-round N`), which re-anchors the round's open suggestions to the
/// current text. kitbag keeps the result in its own files, `Proposals/.rounds/round-N.csv`
/// (columns `proposal,suggestion,state,base,start,end`): `base` is the fingerprint of the
/// target's text when the round closed (kept in `Proposals/.snapshots/`), `start` and `end`
/// the suggestion's bytes in it; `state` is `placed` or `unplaced`. A group's file is never
/// touched.
public enum Rounds {
    public static let folder = "Proposals/.rounds"
    static let columns = ["proposal", "suggestion", "state", "base", "start", "end"]

    /// The project-relative path of round `n`'s file.
    public static func relativePath(_ n: Int) -> String { "\(folder)/round-\(n).csv" }

    // MARK: - Coverage

    /// Targets x groups for each round, one line per group (the list of groups is long, the list
    /// of targets short): the number of suggestions the group made on each target, "-" when it
    /// has not reviewed it, "0" when it reviewed it and suggested nothing.
    public static func coverage(_ workspace: ProposalsWorkspace) -> [(round: Int, rows: [[String]])] {
        let proposals = workspace.proposals.filter { $0.proposal.isValid }
        let rounds = Set(proposals.map { $0.proposal.round ?? 1 }).sorted()
        var groups = workspace.groups.groups.map(\.name)
        for p in proposals where !groups.contains(where: { $0.lowercased() == p.proposal.group.lowercased() }) { groups.append(p.proposal.group) }
        var result: [(Int, [[String]])] = []
        for round in rounds {
            let mine = proposals.filter { ($0.proposal.round ?? 1) == round }
            // Targets in book order: by file, then where they start in it.
            let targets = mine.sorted { ($0.target?.relativePath ?? "", $0.target?.region.lowerBound ?? 0) < ($1.target?.relativePath ?? "", $1.target?.region.lowerBound ?? 0) }
                .map(\.proposal.target).uniqued()
            var rows = [["GROUP", "KIND"] + targets]
            for g in groups {
                var row = [g, workspace.groups.group(g)?.kind ?? "?"]
                for target in targets {
                    let made = mine.filter { $0.proposal.target == target && $0.proposal.group.lowercased() == g.lowercased() }
                    row.append(made.isEmpty ? "-" : String(made.map(\.states.count).reduce(0, +)))
                }
                rows.append(row)
            }
            result.append((round, rows))
        }
        return result
    }

    // MARK: - Closing a round

    /// What closing a round did.
    public struct Closed: Sendable {
        public var placed: Int = 0
        /// One warning for each open suggestion that could not be placed in the current text.
        public var unplaced: [Diagnostic] = []
        public var file: String
    }

    /// Re-anchors round `n`'s open suggestions to the current text and records them.
    public static func close(_ n: Int, paths: ProjectPaths) -> Result<Closed, DiagnosticList> {
        do {
            try FileSystem.makeDirectories(paths.proposals)
            return try FileSystem.withDirectoryLock(paths.proposals) { closeLocked(n, paths: paths) }
        } catch {
            return .failure(DiagnosticList([.error(.writeFailed, "\(error)", at: SourceLocation(file: paths.display(relativePath(n)), line: 1, column: 1))]))
        }
    }

    static func closeLocked(_ n: Int, paths: ProjectPaths) -> Result<Closed, DiagnosticList> {
        let workspace = ProposalsWorkspace.load(paths)
        var closed = Closed(file: relativePath(n))
        var lines = CSV.line(columns)
        var bases: [[UInt8]] = []
        for p in workspace.proposals where (p.proposal.round ?? 1) == n {
            guard p.proposal.isValid, let target = p.target else {
                for s in p.proposal.suggestions {
                    closed.unplaced.append(.warning(.unplacedSuggestion, "suggestion \(s.number) cannot be placed: the proposal has errors or its target cannot be used", at: s.location))
                    lines += CSV.line([p.relativePath, String(s.number), "unplaced", "", "", ""], neutralise: true)
                }
                continue
            }
            let base = target.bytes
            let fingerprint = Proposal.fingerprint(of: base)
            var used = false
            for state in p.states where state.isOpen {
                let s = state.suggestion
                switch state.anchor {
                case .anchored(let r):
                    let start = r.lowerBound - target.region.lowerBound, end = r.upperBound - target.region.lowerBound
                    lines += CSV.line([p.relativePath, String(s.number), "placed", fingerprint, String(start), String(end)], neutralise: true)
                    closed.placed += 1
                    used = true
                case .alreadyApplied:
                    closed.placed += 1  // the change is in the text already: nothing to keep
                case .stale(let why):
                    closed.unplaced.append(.warning(.unplacedSuggestion, "suggestion \(s.number) cannot be placed in the current text of '\(target.name)': \(why)",
                                                    at: s.location, notes: [.init("it stays open: decide it, or ask the group to look again")]))
                    lines += CSV.line([p.relativePath, String(s.number), "unplaced", "", "", ""], neutralise: true)
                }
            }
            if used { bases.append(base) }
        }
        do {
            for base in bases { try Snapshots.save(base, paths: paths) }
            try FileSystem.makeDirectories(paths.path(folder))
            try FileSystem.writeAtomically(lines, to: paths.path(relativePath(n)))
        } catch {
            return .failure(DiagnosticList([.error(.writeFailed, error.description, at: SourceLocation(file: paths.display(relativePath(n)), line: 1, column: 1))]))
        }
        return .success(closed)
    }

    // MARK: - Reading

    /// A suggestion re-anchored when its round closed: the text then and its bytes in it.
    struct Anchor: Sendable {
        var base: [UInt8]
        var range: Range<Int>
    }

    /// Every placed suggestion of every closed round, by proposal path and number (a later file wins).
    static func anchors(_ paths: ProjectPaths) -> [String: [Int: Anchor]] {
        var result: [String: [Int: Anchor]] = [:]
        let folderPath = paths.path(folder)
        guard FileSystem.isDirectory(folderPath), !FileSystem.isSymbolicLink(folderPath) else { return result }
        let files = FileSystem.list(folderPath).filter { $0.hasPrefix("round-") && $0.hasSuffix(".csv") }
            .sorted { (Int($0.dropFirst(6).dropLast(4)) ?? 0) < (Int($1.dropFirst(6).dropLast(4)) ?? 0) }
        var bases: [String: [UInt8]] = [:]
        for name in files {
            let path = folderPath + "/" + name
            guard !FileSystem.isSymbolicLink(path), let bytes = try? FileSystem.readBytes(path),
                  case .success(let records) = CSV.parse(bytes) else { continue }
            for record in records.dropFirst() where record.fields.count == columns.count && record.fields[2] == "placed" {
                let f = record.fields
                guard let number = Int(f[1]), let start = Int(f[4]), let end = Int(f[5]), start >= 0, start <= end else { continue }
                if bases[f[3]] == nil, let base = Snapshots.load(f[3], paths: paths).bytes { bases[f[3]] = base }
                guard let base = bases[f[3]], end <= base.count else { continue }
                result[f[0], default: [:]][number] = Anchor(base: base, range: start..<end)
            }
        }
        return result
    }
}
