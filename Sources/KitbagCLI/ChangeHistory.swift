import HandbookKit
import KitbagCore

/// Reads accepted decisions from Proposals/decisions.csv for the `{changes}` directive.
enum ChangeHistory {
    static func load(_ paths: ProjectPaths) -> ([ChangeEntry], [Diagnostic]) {
        let (decisions, diagnostics) = DecisionLog.load(paths)
        let entries = decisions.filter(\.isAccepted).map { d in
            ChangeEntry(date: d.date.description, target: d.target ?? "", summary: d.summary ?? "suggestion \(d.suggestion)",
                        group: d.group, round: d.round.map(String.init) ?? "", proposal: d.proposal)
        }
        return (entries, diagnostics)
    }
}
