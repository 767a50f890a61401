import CurriculumKit
import KitbagCore

extension SiteSet {
    /// Reads `Handbook/sites/` (CurriculumKit's `SiteSet.load`, the one reader) and checks each
    /// site's values against the values book.md declares.
    public static func load(_ paths: ProjectPaths, book: Book, into bag: inout DiagnosticBag) -> SiteSet {
        var set = SiteSet.load(paths, into: &bag)
        for k in set.sites.indices { checkValues(&set.sites[k], declared: book.siteValues, into: &bag) }
        return set
    }

    /// Reads one site file (already read) and checks its values against book.md's
    /// declarations: the fuzz target's way in, without files.
    static func parseSite(_ source: SourceFile, id stem: String, declared: [SiteValueDeclaration], into bag: inout DiagnosticBag) -> Site {
        var site = SiteSet.parseSite(source, id: stem, into: &bag)
        checkValues(&site, declared: declared, into: &bag)
        return site
    }

    /// A site that misses a value book.md declares, or gives a value book.md does not declare,
    /// is an error at its place (with a did-you-mean). Only declared values are kept.
    static func checkValues(_ site: inout Site, declared declarations: [SiteValueDeclaration], into bag: inout DiagnosticBag) {
        let declared = declarations.map(\.name)
        for entry in site.valueEntries where !declared.contains(entry.key) {
            var notes: [Diagnostic.Note] = []
            if let guess = DidYouMean.closest(to: entry.key, in: declared) { notes.append(.init("did you mean '\(guess)'?")) }
            notes.append(.init(declared.isEmpty
                ? "book.md declares no site values; declare one as 'site-\(entry.key): neutral text'"
                : "book.md declares: \(declared.joined(separator: ", ")); declare a new one there as 'site-\(entry.key): neutral text'"))
            bag.error(.unknownSiteValue, "site value '\(entry.key)' is not declared in Handbook/book.md", at: entry.keyLocation, notes: notes)
        }
        let given = Set(site.valueEntries.map(\.key))
        for declaration in declarations where !given.contains(declaration.name) {
            var notes: [Diagnostic.Note] = [.init("declared here", at: declaration.location)]
            let extra = site.valueEntries.map(\.key).filter { !declared.contains($0) }
            if let guess = DidYouMean.closest(to: declaration.name, in: extra) { notes.insert(.init("did you mean to write '\(guess)' as '\(declaration.name)'?"), at: 0) }
            bag.error(.missingSiteValue, "site '\(site.id)' has no value for '\(declaration.name)', which book.md declares",
                      at: site.location, notes: notes)
        }
        site.values = site.values.filter { declared.contains($0.key) }
    }
}
