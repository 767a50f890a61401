import KitbagCore

/// The proposals' part of `kitbag check`: every file in `Proposals/` parsed and anchored.
public enum ProposalsCheck {
    public static func diagnostics(paths: ProjectPaths) -> [Diagnostic] {
        []
    }
}
