import CurriculumKit
import HandbookKit
import KitbagCore

/// The handbook's part of `kitbag check`: the shared edition and every site's edition loaded,
/// resolved and checked the way `build --all-sites` does it (`EditionBuild`), with no build
/// cache read and nothing written. The inputs are scanned once; each site edition takes the
/// walk of every unit it does not change from the shared edition's parse, and its curriculum.
public enum EditionCheck {
    /// What the check found.
    public struct Checked: Sendable {
        /// The shared edition, resolved (the tracker, fidelity and proposals take it).
        public var handbook: Handbook
        /// The shared edition's diagnostics.
        public var shared: [Diagnostic]
        /// The sites' own: adaptations checked against the shared edition, and what only an
        /// edition has wrong (noted with its edition).
        public var editions: [Diagnostic]
        /// Units parsed by cmark for each edition, the shared one first, then the sites' in
        /// the order of their plans.
        public var parsedUnits: [Int]
    }

    /// Checks the shared edition and every site's. `curriculum`: loaded by the caller.
    public static func run(_ paths: ProjectPaths, options given: HandbookCompiler.Options, curriculum: (Curriculum, [Diagnostic])) -> Checked {
        var options = given
        options.incremental = false
        options.edition = nil
        let scan = BuildScan(paths, options: options, writes: false)
        let shared = SiteBuild.resolve(scan, store: scan.unitStore(), curriculum: curriculum)
        var bag = DiagnosticBag()
        let plans = SiteEditions.plan(paths, shared: shared.handbook, into: &bag)
        let known = Set(shared.diagnostics)
        var parsed = [shared.result.parsedUnits]
        for plan in plans {
            let site = BuildScan(paths, options: options, inputs: scan.inputs, writes: false)
            let (build, own) = EditionBuild.resolve(site, plan: plan, shared: shared, known: known)
            bag.add(contentsOf: own)
            parsed.append(build.result.parsedUnits)
        }
        return Checked(handbook: shared.handbook, shared: shared.diagnostics, editions: bag.all, parsedUnits: parsed)
    }
}
