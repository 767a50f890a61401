import HandbookKit
import KitbagCore

/// A suggestion with its decision and its place in the current target.
public struct SuggestionState: Sendable {
    public var suggestion: Suggestion
    public var decision: Decision?
    public var anchor: AnchorState

    /// Not yet decided.
    public var isOpen: Bool { decision == nil }
    /// Open and no longer found in the target.
    public var isStale: Bool { isOpen && anchor.isStale }
}

/// The state of a whole proposal, as `kitbag proposals` lists it.
public enum ProposalState: String, Sendable {
    case open, accepted, rejected, partlyAccepted = "partly accepted", stale, invalid
}

/// A proposal file, its target as it is now, and the state of each suggestion.
public struct LoadedProposal: Sendable {
    public var proposal: Proposal
    public var target: ResolvedTarget?
    public var states: [SuggestionState] = []
    /// Problems of this proposal: its own diagnostics, an unusable target, stale suggestions.
    public var diagnostics: [Diagnostic] = []

    public var relativePath: String { proposal.relativePath }

    public var state: ProposalState {
        guard proposal.isValid, target != nil else { return .invalid }
        let open = states.filter(\.isOpen)
        let accepted = states.filter { $0.decision?.isAccepted == true }.count
        if states.isEmpty { return .open }
        if open.isEmpty {
            if accepted == states.count { return .accepted }
            return accepted == 0 ? .rejected : .partlyAccepted
        }
        if open.contains(where: \.isStale) { return .stale }
        return accepted > 0 ? .partlyAccepted : .open
    }

    /// The numbers `kitbag proposals` shows for the proposal.
    public var tally: (suggestions: Int, typed: Int, open: Int, stale: Int, accepted: Int, rejected: Int) {
        (states.count, states.filter(\.suggestion.typed).count, states.filter { $0.isOpen && !$0.isStale }.count,
         states.filter(\.isStale).count, states.filter { $0.decision?.isAccepted == true }.count,
         states.filter { $0.decision != nil && $0.decision?.isAccepted == false }.count)
    }

    /// "3 open, 1 stale, 2 accepted, 1 rejected" (the non-zero counts).
    public var counts: String {
        let open = states.filter { $0.isOpen && !$0.isStale }.count
        let stale = states.filter(\.isStale).count
        let accepted = states.filter { $0.decision?.isAccepted == true }.count
        let rejected = states.filter { $0.decision != nil && $0.decision?.isAccepted == false }.count
        var parts: [String] = []
        if open > 0 { parts.append("\(open) open") }
        if stale > 0 { parts.append("\(stale) stale") }
        if accepted > 0 { parts.append("\(accepted) accepted") }
        if rejected > 0 { parts.append("\(rejected) rejected") }
        return parts.joined(separator: ", ")
    }
}

/// Every proposal in `Proposals/` with the decision log, anchored in the current project.
public struct ProposalsWorkspace: Sendable {
    public var paths: ProjectPaths
    public var proposals: [LoadedProposal] = []
    public var decisions: [Decision] = []
    /// The advisory groups of `Proposals/groups.csv`.
    public var groups = Groups()
    /// What a reference to each ID shows, from the same resolved handbook as the targets.
    public var references = ReferenceTexts()
    /// Problems in the decision log and in files that are not proposals.
    public var diagnostics: [Diagnostic] = []

    /// Every diagnostic: the log's and each proposal's.
    public var allDiagnostics: [Diagnostic] {
        var bag = DiagnosticBag()
        bag.add(contentsOf: diagnostics)
        for p in proposals { bag.add(contentsOf: p.diagnostics) }
        return bag.sorted
    }

    /// Loads every `Proposals/*.md` and `Proposals/decisions.csv`, with targets in the project's
    /// handbook as it resolves now.
    public static func load(_ paths: ProjectPaths) -> ProposalsWorkspace {
        load(paths, handbook: HandbookCompiler.resolve(paths, options: .init()).0, decisions: DecisionLog.load(paths))
    }

    /// Loads every `Proposals/*.md`, with the resolved handbook and the decision log a caller
    /// already loaded (`kitbag check` loads each once for every part).
    public static func load(_ paths: ProjectPaths, handbook: Handbook, decisions log: ([Decision], [Diagnostic])) -> ProposalsWorkspace {
        var workspace = ProposalsWorkspace(paths: paths)
        let (decisions, logDiagnostics) = log
        workspace.decisions = decisions
        workspace.diagnostics = logDiagnostics
        workspace.references = ReferenceTexts(handbook)
        workspace.groups = Groups.load(paths)
        workspace.diagnostics += workspace.groups.diagnostics
        let resolver = TargetResolver(paths: paths, handbook: handbook)
        let anchors = Rounds.anchors(paths)
        for name in FileSystem.list(paths.proposals) where !name.hasPrefix(".") {
            let relative = "Proposals/\(name)"
            let location = SourceLocation(file: paths.display(relative), line: 1, column: 1)
            if FileSystem.isDirectory(paths.path(relative)) { continue }
            guard name.hasSuffix(".md") else {
                if name != "decisions.csv", name != Groups.fileName, !name.hasSuffix(".docx"), !name.hasSuffix(".html") {
                    workspace.diagnostics.append(.warning(.strayFile, "'\(name)' is not a proposal (.md) and is ignored", at: location))
                }
                continue
            }
            if FileSystem.isSymbolicLink(paths.path(relative)) {
                workspace.diagnostics.append(.error(.proposalLink, "proposal '\(relative)' is a symbolic link; copy the file into Proposals/ instead", at: location))
                continue
            }
            guard let file = paths.source(relative) else { continue }
            var proposal = Proposal.parse(relativePath: relative, file: file)
            if let fingerprint = proposal.fingerprint {
                let (snapshot, problem) = Snapshots.load(fingerprint, paths: paths)
                if let snapshot { proposal = proposal.addingTypedChanges(snapshot: snapshot) }
                if let problem {
                    proposal.diagnostics.append(.warning(.snapshotUnusable, problem, at: proposal.frontMatterLocation(of: "fingerprint")))
                }
            }
            if !proposal.group.isEmpty, let unknown = workspace.groups.unknown(proposal.group, at: proposal.frontMatterLocation(of: "group")) {
                proposal.diagnostics.append(unknown)
            }
            workspace.proposals.append(load(proposal, resolver: resolver, decisions: decisions, anchors: anchors[relative] ?? [:]))
        }
        for d in decisions where !workspace.proposals.contains(where: { $0.relativePath == d.proposal }) {
            if let at = d.location {
                workspace.diagnostics.append(.warning(.decisionUnknownProposal, "the decision log names '\(d.proposal)', which is not in Proposals/", at: at))
            }
        }
        return workspace
    }

    /// Anchors one proposal's suggestions in its target.
    static func load(_ proposal: Proposal, resolver: TargetResolver, decisions: [Decision], anchors: [Int: Rounds.Anchor] = [:]) -> LoadedProposal {
        var loaded = LoadedProposal(proposal: proposal)
        loaded.diagnostics = proposal.diagnostics
        let mine = decisions.filter { $0.proposal == proposal.relativePath }
        for d in mine where proposal.suggestion(d.suggestion) == nil {
            if let at = d.location {
                loaded.diagnostics.append(.warning(.decisionUnknownSuggestion, "the decision log names suggestion \(d.suggestion) of '\(proposal.relativePath)', which has \(proposal.suggestions.count)", at: at))
            }
        }
        guard !proposal.target.isEmpty else { return loaded }
        let targetLocation = proposal.frontMatterLocation(of: "target")
        switch resolver.resolve(proposal.target) {
        case .failure(let error):
            loaded.diagnostics.append(.error(error.code, error.message, at: targetLocation, notes: error.notes.map { .init($0) }))
            return loaded
        case .success(let target):
            loaded.target = target
        }
        guard let target = loaded.target, proposal.isValid else { return loaded }
        let accepted = Set(mine.filter(\.isAccepted).map(\.suggestion))
        let (expected, ranges) = proposal.text(accepting: accepted)
        let current = target.bytes
        let base = target.region.lowerBound
        let targetStart = target.file.location(ofByteOffset: base)
        for s in proposal.suggestions {
            var range = ranges[s.number] ?? 0..<0
            var from = expected
            // A suggestion re-anchored when its round closed is found from the text of that day.
            if let record = anchors[s.number], !accepted.contains(s.number),
               CanonicalText(record.base[record.range]).trimmedBytes == CanonicalText(s.old).trimmedBytes {
                from = record.base
                range = record.range
            }
            var anchor = Anchoring.anchor(expected: from, range: range, current: current,
                                          replacement: s.changesText && !accepted.contains(s.number) ? s.new : nil)
            switch anchor {
            case .anchored(let r): anchor = .anchored((r.lowerBound + base)..<(r.upperBound + base))
            case .alreadyApplied(let r): anchor = .alreadyApplied((r.lowerBound + base)..<(r.upperBound + base))
            case .stale: break
            }
            let state = SuggestionState(suggestion: s, decision: mine.first { $0.suggestion == s.number }, anchor: anchor)
            if state.isStale, case .stale(let why) = anchor {
                loaded.diagnostics.append(.warning(.staleSuggestion, "suggestion \(s.number) is stale: \(why) '\(target.name)'",
                                                   at: s.location, notes: [.init("the target '\(target.name)' starts here", at: targetStart)]))
            }
            loaded.states.append(state)
        }
        return loaded
    }

    /// The proposal at project-relative `path`.
    public func proposal(_ path: String) -> LoadedProposal? {
        proposals.first { $0.relativePath == path }
    }

    // MARK: - Conflicts and support

    /// Whether two text changes in the same file touch the same text.
    static func overlaps(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
        if a.isEmpty && b.isEmpty { return a.lowerBound == b.lowerBound }
        if a.isEmpty { return a.lowerBound > b.lowerBound && a.lowerBound < b.upperBound }
        if b.isEmpty { return b.lowerBound > a.lowerBound && b.lowerBound < a.upperBound }
        return a.lowerBound < b.upperBound && b.lowerBound < a.upperBound
    }

    /// Whether two suggestions make the same change at the same place.
    static func identical(_ a: SuggestionState, _ b: SuggestionState) -> Bool {
        a.anchor.range == b.anchor.range && a.suggestion.kind == b.suggestion.kind
            && a.suggestion.new == b.suggestion.new && a.suggestion.old == b.suggestion.old
    }

    /// Open text changes in other proposals that touch the same text differently.
    public func rivals(of proposal: LoadedProposal, _ state: SuggestionState) -> [(proposal: LoadedProposal, state: SuggestionState)] {
        guard state.suggestion.changesText, case .anchored(let range) = state.anchor, let file = proposal.target?.relativePath else { return [] }
        var result: [(LoadedProposal, SuggestionState)] = []
        for other in proposals where other.relativePath != proposal.relativePath && other.target?.relativePath == file {
            for s in other.states where s.isOpen && s.suggestion.changesText {
                guard case .anchored(let r) = s.anchor, Self.overlaps(range, r), !Self.identical(state, s) else { continue }
                result.append((other, s))
            }
        }
        return result
    }

    /// Suggestions in other proposals that make exactly the same change (support), whatever their decision.
    public func supporters(of proposal: LoadedProposal, _ state: SuggestionState) -> [(proposal: LoadedProposal, state: SuggestionState)] {
        guard state.suggestion.changesText, state.anchor.range != nil, let file = proposal.target?.relativePath else { return [] }
        var result: [(LoadedProposal, SuggestionState)] = []
        for other in proposals where other.relativePath != proposal.relativePath && other.target?.relativePath == file {
            for s in other.states where Self.identical(state, s) { result.append((other, s)) }
        }
        return result
    }
}

extension Proposal {
    /// Where a front matter key's value is, else the start of the file.
    func frontMatterLocation(of key: String) -> SourceLocation {
        var bag = DiagnosticBag()
        return FrontMatter.parse(file, into: &bag)[key]?.valueLocation ?? file.start
    }
}
