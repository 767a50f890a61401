import CurriculumKit
import KitbagCore

/// The tracker's part of `kitbag check`: every cohort's roster and ledger, validated.
public enum TrackerCheck {
    /// Diagnostics for every cohort under `cohortsDirectory` (default `Cohorts/`).
    public static func diagnostics(paths: ProjectPaths, cohortsDirectory: String?, curriculum: Curriculum, today: ISODate) -> [Diagnostic] {
        []
    }
}
