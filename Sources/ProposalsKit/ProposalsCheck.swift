import KitbagCore

/// The proposals' part of `kitbag check`: every file in `Proposals/` parsed and anchored.
/// Malformed CriticMarkup, bad front matter, targets outside the project and a malformed
/// decision log are errors; stale suggestions are warnings.
public enum ProposalsCheck {
    public static func diagnostics(paths: ProjectPaths) -> [Diagnostic] {
        guard FileSystem.isDirectory(paths.proposals) else { return [] }
        return ProposalsWorkspace.load(paths).allDiagnostics
    }
}
