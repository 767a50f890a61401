import CurriculumKit
import KitbagCore

/// Fidelity's part of `kitbag check`: the ratings ledger, checked against the instrument and
/// the sites. A project without an instrument has no fidelity checks; ratings without one
/// are an error.
public enum FidelityCheck {
    public static func diagnostics(paths: ProjectPaths, curriculum: Curriculum, today: ISODate) -> [Diagnostic] {
        let hasRatings = FileSystem.exists(paths.path(RatingsLedger.file))
        guard let instrument = curriculum.fidelity else {
            if hasRatings {
                return [.error(.missingFile, "fidelity ratings need an instrument: Curriculum/fidelity/instrument.md", at: SourceLocation(file: paths.display(RatingsLedger.file), line: 1, column: 1))]
            }
            return []
        }
        guard hasRatings else { return [] }
        let context = FidelityContext(curriculum: curriculum, instrument: instrument, sites: FidelitySites.load(paths), today: today)
        return RatingsLedger.load(paths, context: context).1
    }
}
