import CurriculumKit
import FidelityKit
import HandbookBuild
import HandbookKit
import KitbagCore
import ProposalsKit
import TrackerKit

/// How the sources that several parts of a check read are loaded: the curriculum (the
/// handbook, the site editions, the tracker, fidelity and proposals all use it) and
/// `Proposals/decisions.csv` (the `{changes}` appendix and the proposals). `kitbag check`
/// calls each loader once and hands the value on; a test passes loaders that count.
public struct ProjectLoaders {
    public var curriculum: (ProjectPaths) -> (Curriculum, [Diagnostic])
    public var decisions: (ProjectPaths) -> ([Decision], [Diagnostic])

    public init(curriculum: @escaping (ProjectPaths) -> (Curriculum, [Diagnostic]),
                decisions: @escaping (ProjectPaths) -> ([Decision], [Diagnostic])) {
        self.curriculum = curriculum
        self.decisions = decisions
    }

    /// Reading the project's files.
    public static var files: ProjectLoaders { ProjectLoaders(curriculum: CurriculumLoader.load, decisions: DecisionLog.load) }
}

/// `kitbag check`: every part of the project checked from one load of each source, nothing
/// written. Each edition of the handbook is resolved once (`EditionCheck`, sharing the shared
/// edition's parse with the sites); the site editions, the tracker, fidelity and the
/// proposals take its curriculum, and the proposals take its IDs.
public enum ProjectCheck {
    /// Every diagnostic of the project, in report order.
    public static func diagnostics(_ paths: ProjectPaths, unsafeHTML: Bool = false, cohortsDirectory: String? = nil, today: ISODate,
                                   loaders: ProjectLoaders = .files) -> [Diagnostic] {
        let curriculum = loaders.curriculum(paths)
        let decisions = loaders.decisions(paths)
        var options = HandbookCompiler.Options(unsafeHTML: unsafeHTML)
        let (changes, changeDiagnostics) = ChangeHistory.entries(decisions)
        options.changes = changes
        // The shared edition, then each site's: adaptations checked against the shared edition,
        // each edition resolved as `build --all-sites` resolves it (one input scan, the shared
        // edition's walks of the units a site does not change).
        let checked = EditionCheck.run(paths, options: options, curriculum: curriculum)
        let handbook = checked.handbook
        var all = checked.shared + changeDiagnostics + checked.editions
        all += TrackerCheck.diagnostics(paths: paths, cohortsDirectory: cohortsDirectory, curriculum: handbook.curriculum, today: today)
        all += ProposalsCheck.diagnostics(paths: paths, handbook: handbook, decisions: decisions)
        all += FidelityCheck.diagnostics(paths: paths, curriculum: handbook.curriculum, today: today)
        // The log's own problems come from the changes and the proposals alike: reported once.
        return all.inReportOrder
    }
}
