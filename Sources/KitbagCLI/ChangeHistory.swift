import HandbookKit
import KitbagCore

/// Reads accepted decisions from Proposals/decisions.csv for the `{changes}` directive: only
/// changes to the text (an accepted comment or highlight changes nothing), and never a group's
/// comment (older logs carried it in the summary after "; comment:").
enum ChangeHistory {
    static func load(_ paths: ProjectPaths) -> ([ChangeEntry], [Diagnostic]) {
        entries(DecisionLog.load(paths))
    }

    /// The entries of a decision log already read (with its diagnostics).
    static func entries(_ log: ([Decision], [Diagnostic])) -> ([ChangeEntry], [Diagnostic]) {
        let (decisions, diagnostics) = log
        var entries: [ChangeEntry] = []
        for d in decisions where d.isAccepted {
            guard let summary = d.summary.map(publishable) ?? Optional("suggestion \(d.suggestion)") else { continue }
            entries.append(ChangeEntry(date: d.date.description, target: d.target ?? "", summary: summary,
                                       group: d.group, round: d.round.map(String.init) ?? "", proposal: d.proposal))
        }
        return (entries, diagnostics)
    }

    /// The summary without a group's comment; nil for a suggestion that changed no text.
    static func publishable(_ summary: String) -> String? {
        if summary.hasPrefix("comment") || summary.hasPrefix("highlight ") { return nil }
        var text = summary
        if text.hasSuffix("'"), let cut = text.ranges(of: "; comment: '").last { text = String(text[..<cut.lowerBound]) }
        return text
    }
}
