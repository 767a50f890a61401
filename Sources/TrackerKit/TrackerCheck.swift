import CurriculumKit
import KitbagCore

/// The tracker's part of `kitbag check`: every cohort's roster and ledger, validated.
public enum TrackerCheck {
    /// Diagnostics for every cohort under `cohortsDirectory` (default `Cohorts/`).
    /// Expiry is not a problem in the data, so refreshers that are due are not reported here.
    public static func diagnostics(paths: ProjectPaths, cohortsDirectory: String?, curriculum: Curriculum, today: ISODate) -> [Diagnostic] {
        let (directory, display) = TrackerPaths.cohorts(paths: paths, option: cohortsDirectory)
        guard FileSystem.isDirectory(directory) else {
            if cohortsDirectory != nil {
                return [.error(.missingFile, "cohorts directory '\(display)' does not exist", at: SourceLocation(file: display, line: 1, column: 1))]
            }
            return []
        }
        let catalog = ItemCatalog(curriculum: curriculum, sites: SiteSet.load(paths))
        var all: [Diagnostic] = []
        for folder in CohortLoader.cohortFolders(in: directory) {
            let (_, diagnostics) = CohortLoader.load(folder: folder, directory: directory, displayDirectory: display,
                                                     curriculum: curriculum, catalog: catalog, today: today)
            all += diagnostics
        }
        return all
    }
}

/// Where the cohorts live: `--cohorts DIR` (relative to the working directory) or `Cohorts/`
/// in the project.
public enum TrackerPaths {
    /// The directory on disk and how it is shown in messages.
    public static func cohorts(paths: ProjectPaths, option: String?) -> (path: String, display: String) {
        if let option { return (option, option.hasSuffix("/") ? String(option.dropLast()) : option) }
        return (paths.cohorts, paths.display("Cohorts"))
    }
}
