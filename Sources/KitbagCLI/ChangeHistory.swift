import HandbookKit
import KitbagCore

/// Reads accepted decisions from Proposals/decisions.csv for the `{changes}` directive.
enum ChangeHistory {
    static func load(_ paths: ProjectPaths) -> ([ChangeEntry], [Diagnostic]) {
        ([], [])
    }
}
