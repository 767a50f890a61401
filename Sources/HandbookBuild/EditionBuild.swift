import CurriculumKit
import HandbookKit
import KitbagCore

/// `kitbag build --all-sites` and `--site S`: several editions in one run, sharing what they
/// have in common.
///
/// The inputs are scanned once. Each edition has a cache of its own (its own output folder),
/// so an edition whose inputs did not change is not even resolved. The shared edition is
/// resolved first (its adaptable sections are what the sites' adaptations are checked
/// against); each site edition is then resolved once, for its check and its write alike, and
/// takes the walk of every unit it does not change from the shared edition's parse (equal keys:
/// `Fingerprint.salted`), so each unit is parsed once. Every edition is checked before anything
/// is written. The shared edition is written first; each site edition takes from its
/// rendering every page, one-page part and search part whose render key is the same
/// (`SharedRenderings`), so only the pages a site changes are rendered again.
public enum EditionBuild {
    /// One edition of the run and what its build did.
    public struct Edition: Sendable {
        /// The site (nil: the shared edition).
        public var site: String?
        /// The site's plan (nil: the shared edition).
        public var plan: EditionPlan?
        /// Its output folder.
        public var out: String
        public var result: HandbookCompiler.Result
    }

    /// What the run did.
    public struct Outcome: Sendable {
        /// Every edition's diagnostics, in report order; one that only a site's edition has
        /// carries a note naming the edition.
        public var diagnostics: [Diagnostic] = []
        /// The editions written (or found up to date), the shared one first. After a write
        /// failure the list ends with the edition that failed.
        public var editions: [Edition] = []
        /// `--site` named no site: the usage message (nothing was done).
        public var unknownSite: String?
        /// The diagnostics fail the run (errors, or with `strict` warnings): nothing was written.
        public var failed = false
    }

    /// Builds the shared edition and every site's (`site` nil), or site `site`'s alone.
    public static func run(_ paths: ProjectPaths, options given: HandbookCompiler.Options, site name: String?, strict: Bool,
                           extraDiagnostics: [Diagnostic] = []) -> Outcome {
        var outcome = Outcome()
        var options = given
        if options.since != nil { options.incremental = false }
        var siteBag = DiagnosticBag()
        var ignored = DiagnosticBag()  // book.md's problems are reported by the resolver
        let sites = SiteSet.load(paths, book: Book.load(paths, into: &ignored), into: &siteBag)
        var chosen = sites.sites
        if let name {
            guard let site = sites[name] else {
                let known = sites.sites.map(\.id)
                var message = known.isEmpty ? "no site '\(name)': this project has no Handbook/sites/<site>.md" : "no site '\(name)'"
                if let guess = DidYouMean.closest(to: name, in: known) { message += "; did you mean '\(guess)'?" }
                else if !known.isEmpty { message += " (sites: \(known.joined(separator: ", ")))" }
                outcome.unknownSite = message
                return outcome
            }
            chosen = [site]
        }

        // Scan once; every edition whose inputs did not change is done.
        let base = options.outDirectory ?? paths.path("_site")
        var sharedOptions = options
        sharedOptions.outDirectory = base
        sharedOptions.edition = nil
        let sharedScan = BuildScan(paths, options: sharedOptions, writes: name == nil)
        var scans: [BuildScan] = chosen.map { site in
            var edition = options
            edition.outDirectory = FileSystem.join(FileSystem.join(base, "sites"), site.id)
            // Stands in until the shared edition is resolved and the site's plan is made.
            edition.edition = .placeholder(site)
            return BuildScan(paths, options: edition, inputs: sharedScan.inputs)
        }
        if name == nil { scans.insert(sharedScan, at: 0) }
        var upToDate: [Int: HandbookCompiler.Result] = [:]
        for i in scans.indices {
            if let result = scans[i].upToDate(extraDiagnostics: []) { upToDate[i] = result }
        }
        var all = DiagnosticBag()
        all.add(contentsOf: siteBag.all + extraDiagnostics)
        func edition(_ i: Int) -> String? { scans[i].options.edition?.site.id }
        if upToDate.count == scans.count {
            for i in scans.indices {
                all.add(contentsOf: upToDate[i]?.diagnostics ?? [])
                if let result = upToDate[i] { outcome.editions.append(Edition(site: edition(i), plan: scans[i].options.edition, out: scans[i].out, result: result)) }
            }
            outcome.diagnostics = all.sorted
            outcome.failed = outcome.diagnostics.failRun(strict: strict)
            return outcome
        }

        // The shared edition, resolved for itself or (when it is up to date, or not built) to
        // plan the sites; its units' walks serve every site.
        let shared = SiteBuild.resolve(sharedScan, store: sharedScan.unitStore(), extraDiagnostics: extraDiagnostics)
        let sharedDiagnostics = shared.diagnostics
        all.add(contentsOf: sharedDiagnostics)
        var planBag = DiagnosticBag()
        let plans = SiteEditions.plan(sites, shared: shared.handbook, into: &planBag)
        all.add(contentsOf: planBag.all)

        // Each site edition resolved once: what only it has wrong is noted with the edition.
        let known = Set(sharedDiagnostics)
        var resolved: [Int: ResolvedBuild] = [:]
        if name == nil, upToDate[0] == nil { resolved[0] = shared }
        for i in scans.indices where upToDate[i] == nil && resolved[i] == nil {
            guard let id = edition(i), let plan = plans.first(where: { $0.site.id == id }) else { continue }
            scans[i].options.edition = plan
            let (build, own) = resolve(scans[i], plan: plan, shared: shared, known: known)
            let kept = (sharedDiagnostics + own).inReportOrder
            build.keptDiagnostics = kept
            build.result.diagnostics = kept
            resolved[i] = build
        }
        for i in scans.indices { all.add(contentsOf: upToDate[i]?.diagnostics ?? resolved[i]?.result.diagnostics ?? []) }
        outcome.diagnostics = all.sorted
        if outcome.diagnostics.failRun(strict: strict) {
            outcome.failed = true
            return outcome
        }

        // Written in order, the shared edition first; the sites take what it rendered.
        var renderings: SharedRenderings?
        for i in scans.indices {
            guard let build = resolved[i] else {
                if let result = upToDate[i] { outcome.editions.append(Edition(site: edition(i), plan: scans[i].options.edition, out: scans[i].out, result: result)) }
                continue
            }
            build.shared = renderings
            build.keepsRenderings = edition(i) == nil
            build.scan.clock.restart()
            let result = SiteBuild.write(build)
            if build.keepsRenderings { renderings = build.rendered }
            outcome.editions.append(Edition(site: edition(i), plan: scans[i].options.edition, out: scans[i].out, result: result))
            if result.diagnostics.failRun(strict: strict) { break }
        }
        return outcome
    }

    /// Resolves site edition `plan` (nothing written): the walks of the units it does not
    /// change and the curriculum come from `shared`, the shared edition's resolution in the
    /// same run (the curriculum's diagnostics are reported with the shared edition's). `own`:
    /// the diagnostics the shared edition does not have (`known`), each noted with the edition.
    static func resolve(_ scan: BuildScan, plan: EditionPlan, shared: ResolvedBuild, known: Set<Diagnostic>) -> (ResolvedBuild, own: [Diagnostic]) {
        var scan = scan
        scan.options.edition = plan
        scan.clock.restart()
        let build = SiteBuild.resolve(scan, store: scan.unitStore(shared: shared.store), curriculum: (shared.handbook.curriculum, []))
        var own: [Diagnostic] = []
        for var d in build.diagnostics where !known.contains(d) {
            d.notes.append(.init("in the \(plan.site.id) edition (Handbook/sites/\(plan.site.id).md)"))
            own.append(d)
        }
        return (build, own)
    }
}
