import KitbagCore

/// Accepting and rejecting suggestions: checks everything first, then writes the target
/// (atomically) and appends to the decision log. A refused request changes nothing, and a
/// proposal file is never modified or deleted.
public enum Deciding {
    /// What a successful decision did.
    public struct Outcome: Sendable {
        public var decisions: [Decision]
        /// The target file that was rewritten, if any text changed.
        public var changedFile: String?
        /// Suggestions accepted whose change was already in the target.
        public var alreadyApplied: [Int]
    }

    /// Accepts (`accept` true) or rejects the suggestions numbered `only` (all open ones when nil)
    /// of the proposal at project-relative `proposalPath`.
    public static func decide(paths: ProjectPaths, proposalPath: String, only: [Int]?, accept: Bool, category: String? = nil,
                              reason: String, by: String, today: ISODate) -> Result<Outcome, DiagnosticList> {
        do {
            try FileSystem.makeDirectories(paths.proposals)
            return try FileSystem.withDirectoryLock(paths.proposals) {
                InterruptedWrites.clean(paths)
                return decideLocked(paths: paths, proposalPath: proposalPath, only: only, accept: accept, category: category,
                                    reason: reason, by: by, today: today)
            }
        } catch {
            return .failure(DiagnosticList([.error(.writeFailed, "\(error)", at: SourceLocation(file: paths.display(proposalPath), line: 1, column: 1))]))
        }
    }

    static func decideLocked(paths: ProjectPaths, proposalPath: String, only: [Int]?, accept: Bool, category: String?,
                             reason: String, by: String, today: ISODate) -> Result<Outcome, DiagnosticList> {
        let workspace = ProposalsWorkspace.load(paths)
        let fileStart = SourceLocation(file: paths.display(proposalPath), line: 1, column: 1)
        var bag = DiagnosticBag()
        bag.add(contentsOf: workspace.diagnostics.filter { $0.severity == .error })
        guard let loaded = workspace.proposal(proposalPath) else {
            bag.error(.unknownProposal, "no proposal '\(proposalPath)' in Proposals/", at: fileStart,
                      notes: DidYouMean.closest(to: proposalPath, in: workspace.proposals.map(\.relativePath)).map { [.init("did you mean '\($0)'?")] } ?? [])
            return .failure(DiagnosticList(bag.sorted))
        }
        bag.add(contentsOf: loaded.diagnostics.filter { $0.severity == .error })
        guard loaded.proposal.isValid, let target = loaded.target, !bag.hasErrors else {
            bag.error(.invalidProposal, "'\(proposalPath)' has errors; fix them before deciding on it", at: fileStart)
            return .failure(DiagnosticList(bag.sorted))
        }
        let count = loaded.states.count
        var selected: [SuggestionState] = []
        if let only {
            for n in only.uniqued() {
                guard n >= 1, n <= count else {
                    bag.error(.unknownSuggestion, "'\(proposalPath)' has no suggestion \(n); it has \(count == 0 ? "none" : count == 1 ? "only 1" : "1 to \(count)")", at: fileStart)
                    continue
                }
                let state = loaded.states[n - 1]
                if let d = state.decision {
                    bag.error(.alreadyDecided, "suggestion \(n) was already \(d.decision) on \(d.date)", at: state.suggestion.location,
                              notes: d.location.map { [.init("decided here", at: $0)] } ?? [])
                    continue
                }
                selected.append(state)
            }
        } else {
            selected = loaded.states.filter(\.isOpen)
            if count == 0 && !bag.hasErrors {
                // A copy that came back unchanged: nothing to decide, nothing to write.
                return .success(Outcome(decisions: [], changedFile: nil, alreadyApplied: []))
            }
            if selected.isEmpty {
                bag.error(.nothingToDecide, count == 0 ? "'\(proposalPath)' has no suggestions" : "every suggestion of '\(proposalPath)' is already decided", at: fileStart)
            }
        }
        if accept {
            for state in selected {
                let s = state.suggestion
                if case .stale(let why) = state.anchor {
                    bag.error(.staleSuggestion, "cannot accept suggestion \(s.number): it is stale (\(why) '\(target.name)')", at: s.location,
                              notes: [.init("reject it with a reason, or ask the group to propose again on the current text")])
                }
                for rival in workspace.rivals(of: loaded, state) {
                    bag.error(.openConflict,
                              "cannot accept suggestion \(s.number): it conflicts with suggestion \(rival.state.suggestion.number) of '\(rival.proposal.relativePath)' (\(rival.proposal.proposal.group)), which is still open",
                              at: s.location, notes: [.init("decide the rival suggestion first", at: rival.state.suggestion.location)])
                }
            }
        }
        if bag.hasErrors { return .failure(DiagnosticList(bag.sorted)) }

        // Apply accepted text changes, last first, so earlier offsets stay true.
        var changedFile: String?
        var alreadyApplied: [Int] = []
        if accept {
            var edits: [(range: Range<Int>, bytes: [UInt8], number: Int)] = []
            for state in selected where state.suggestion.changesText {
                switch state.anchor {
                case .anchored(let r): edits.append((r, state.suggestion.new, state.suggestion.number))

                case .alreadyApplied: alreadyApplied.append(state.suggestion.number)
                case .stale: break
                }
            }
            edits.sort { ($0.range.lowerBound, $0.number) > ($1.range.lowerBound, $1.number) }
            for (a, b) in zip(edits, edits.dropFirst()) where ProposalsWorkspace.overlaps(a.range, b.range) || b.range.upperBound > a.range.lowerBound {
                bag.error(.overlappingSuggestions, "suggestions \(b.number) and \(a.number) touch the same text in '\(target.relativePath)'",
                          at: loaded.proposal.suggestion(b.number)?.location ?? fileStart)
            }
            if bag.hasErrors { return .failure(DiagnosticList(bag.sorted)) }
            if !edits.isEmpty {
                if target.file.hadInvalidUTF8 {
                    bag.error(.invalidUTF8, "'\(target.relativePath)' is not valid UTF-8; kitbag will not rewrite it", at: target.file.start)
                    return .failure(DiagnosticList(bag.sorted))
                }
                var bytes = Array(target.file.text.utf8)
                let crlf = LineEnds.usesCRLF(bytes)
                for edit in edits { bytes.replaceSubrange(edit.range, with: LineEnds.convert(edit.bytes, toCRLF: crlf)) }
                if target.file.hadByteOrderMark { bytes.insert(contentsOf: [0xEF, 0xBB, 0xBF], at: 0) }
                do {
                    try FileSystem.writeAtomically(bytes, to: paths.path(target.relativePath))
                } catch {
                    bag.error(.writeFailed, error.description, at: target.file.start)
                    return .failure(DiagnosticList(bag.sorted))
                }
                changedFile = target.relativePath
            }
        }
        let p = loaded.proposal
        let decisions = selected.map { state in
            Decision(date: today, proposal: p.relativePath, suggestion: state.suggestion.number,
                     decision: accept ? DecisionLog.accepted : DecisionLog.rejected, category: category, reason: reason, group: p.group,
                     round: p.round, by: by, target: p.target, summary: state.suggestion.changeSummary)
        }
        do {
            try DecisionLog.append(decisions, to: paths)
        } catch {
            bag.error(.writeFailed, error.description, at: SourceLocation(file: paths.display(DecisionLog.relativePath), line: 1, column: 1))
            return .failure(DiagnosticList(bag.sorted))
        }
        return .success(Outcome(decisions: decisions, changedFile: changedFile, alreadyApplied: alreadyApplied))
    }
}

/// Diagnostics as an error value.
public struct DiagnosticList: Error, Sendable {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
}

/// Line ends of a text a suggestion is written into: a CRLF file gets CRLF, an LF file LF.
enum LineEnds {
    /// Whether the text's first line end is CRLF.
    static func usesCRLF(_ bytes: [UInt8]) -> Bool {
        guard let lf = bytes.firstIndex(of: 0x0A) else { return false }
        return lf > 0 && bytes[lf - 1] == 0x0D
    }

    /// `bytes` with every line end made CRLF (or LF).
    static func convert(_ bytes: [UInt8], toCRLF: Bool) -> [UInt8] {
        guard bytes.contains(0x0A) else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        for (i, b) in bytes.enumerated() {
            if b == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { continue }
            if b == 0x0A, toCRLF { out.append(0x0D) }
            out.append(b)
        }
        return out
    }
}
