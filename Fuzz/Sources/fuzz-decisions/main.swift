// The proposals' CSV files: Proposals/decisions.csv, the decision log, and Proposals/groups.csv.
// Property: the decisions read, written back with the log's own header and lines, read back
// the same (all but where each was read from).
import FuzzSupport
import KitbagCore
import ProposalsKit

Fuzz.run { bytes in
    let (decisions, diagnostics) = DecisionLog.parse(bytes, displayPath: "Proposals/decisions.csv")
    for d in diagnostics { _ = d.formatted }
    let written = DecisionLog.header + decisions.map { DecisionLog.line($0) }.joined()
    let (again, problems) = DecisionLog.parse(Array(written.utf8), displayPath: "again.csv")
    func unplaced(_ list: [Decision]) -> [Decision] { list.map { var d = $0; d.location = nil; return d } }
    Fuzz.expect(unplaced(again) == unplaced(decisions), "decisions \(decisions) were written as \(written.debugDescription) and read back as \(again)")
    Fuzz.expect(!problems.containsErrors, "the written log has errors: \(problems.map(\.formatted))")
    let (groups, groupProblems) = Groups.parse(bytes, displayPath: "Proposals/groups.csv")
    for d in groupProblems { _ = d.formatted }
    for g in groups { _ = (g.name, g.kind, g.site) }
}
