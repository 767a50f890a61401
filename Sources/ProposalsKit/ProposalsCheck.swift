import HandbookKit
import KitbagCore

/// The proposals' part of `kitbag check`: every file in `Proposals/` parsed and anchored in the
/// handbook that the rest of the check resolved, with the decision log it read.
/// Malformed CriticMarkup, bad front matter, targets outside the project and a malformed
/// decision log are errors; stale suggestions are warnings.
public enum ProposalsCheck {
    public static func diagnostics(paths: ProjectPaths, handbook: Handbook, decisions: ([Decision], [Diagnostic])) -> [Diagnostic] {
        guard FileSystem.isDirectory(paths.proposals) else { return [] }
        return ProposalsWorkspace.load(paths, handbook: handbook, decisions: decisions).allDiagnostics
    }

    /// Resolves the handbook and reads the decision log first.
    public static func diagnostics(paths: ProjectPaths) -> [Diagnostic] {
        guard FileSystem.isDirectory(paths.proposals) else { return [] }
        return ProposalsWorkspace.load(paths).allDiagnostics
    }
}
