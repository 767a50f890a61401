import KitbagCore

/// `kitbag proposals --format json`: one object per proposal with its counts.
public enum ProposalList {
    /// A JSON array of `{file, group, round, target, state, suggestions, typed-without-marks,
    /// open, stale, accepted, rejected}`; `file` is relative to the project root.
    public static func json(_ workspace: ProposalsWorkspace) -> String {
        var out = "["
        for (i, p) in workspace.proposals.enumerated() {
            let t = p.tally
            out += i == 0 ? "\n" : ",\n"
            out += "  {\"file\": \(JSON.quote(p.relativePath)), \"group\": \(JSON.quote(p.proposal.group)), "
            out += "\"round\": \(p.proposal.round.map(String.init) ?? "null"), \"target\": \(JSON.quote(p.proposal.target)), "
            out += "\"state\": \(JSON.quote(p.state.rawValue)), \"suggestions\": \(t.suggestions), \"typed-without-marks\": \(t.typed), "
            out += "\"open\": \(t.open), \"stale\": \(t.stale), \"accepted\": \(t.accepted), \"rejected\": \(t.rejected)}"
        }
        return out + (workspace.proposals.isEmpty ? "]\n" : "\n]\n")
    }
}
