import KitbagCore

/// A site of a multi-site programme: `Handbook/sites/<site>.md`. Its stem is the name other
/// files use (`edition:` in a cohort's cohort.md, `site` in fidelity ratings).
public struct Site: Sendable {
    /// The file's stem: "brighton".
    public var id: String
    public var name: String
    public var trust: String
    /// Its site values, NAME -> text (every key but `name` and `trust`).
    public var values: [String: String]
    public var location: SourceLocation
    /// Its adaptations, in file-name order.
    public var adaptations: [Adaptation] = []
}

/// One recorded local adaptation: a file under `Handbook/sites/<site>/`.
public struct Adaptation: Sendable, Hashable {
    /// What it does to the handbook.
    public enum Kind: String, Sendable, Hashable {
        /// Replaces an adaptable section's content (an empty body leaves the section out).
        case replaces
        /// Adds subsections at the end of an adaptable section or chapter.
        case addsTo = "adds-to"
        /// A local module standing in for a programme module.
        case standsInFor = "stands-in-for"
    }

    /// How the adaptation keeps to the principles (the FRAME item "fidelity").
    public enum Fidelity: String, Sendable, Hashable, CaseIterable {
        case consistent, inconsistent, unknown
    }

    public var site: String
    public var relativePath: String
    public var kind: Kind
    /// The section, chapter or module it adapts.
    public var target: String
    public var targetLocation: SourceLocation
    public var title: String?
    public var decidedBy: String
    public var date: String
    public var reason: String
    public var fidelity: Fidelity
    /// The Markdown body, front matter lines blanked (line numbers stay true).
    public var body: String
    public var source: SourceFile

    /// True when the body holds nothing but blank lines (a replacement that leaves the section out).
    public var removes: Bool { kind == .replaces && body.allSatisfy(\.isWhitespace) }

    public static func == (a: Adaptation, b: Adaptation) -> Bool { a.relativePath == b.relativePath && a.body == b.body }
    public func hash(into hasher: inout Hasher) { hasher.combine(relativePath) }
}

/// Every site of the project and its adaptations, as written (checked against the handbook by
/// `SiteEditions.check`).
public struct SiteSet: Sendable {
    public var sites: [Site] = []

    public subscript(id: String) -> Site? { sites.first { $0.id == id } }

    static let folder = "Handbook/sites"
    static let siteSchema = FrontMatterSchema(kind: "a site", required: ["name", "trust"], optional: [])
    static let recordKeys = ["decided-by", "date", "reason", "fidelity"]
    static let adaptationSchema = FrontMatterSchema(
        kind: "an adaptation", required: [],
        optional: ["replaces", "adds-to", "stands-in-for", "title"] + recordKeys)

    /// Reads `Handbook/sites/`: every `<site>.md` is a site, `<site>/` its adaptations. A site
    /// that misses a value book.md declares, a value book.md does not declare, an adaptation
    /// without its full record or without what it adapts: each an error at its place.
    public static func load(_ paths: ProjectPaths, book: Book, into bag: inout DiagnosticBag) -> SiteSet {
        var set = SiteSet()
        let folder = paths.path(Self.folder)
        guard FileSystem.isDirectory(folder) else { return set }
        let root = FileSystem.canonical(paths.root)
        let names = FileSystem.list(folder).sorted()
        for name in names where name.hasSuffix(".md") && !FileSystem.isDirectory(FileSystem.join(folder, name)) {
            let stem = String(name.dropLast(3))
            let relative = "\(Self.folder)/\(name)"
            // A symbolic link out of the project is an error at its path, and is never read.
            guard HandbookSources.staysInside(relative, paths: paths, root: root, into: &bag), let source = paths.source(relative) else { continue }
            var site = parseSite(source, id: stem, declared: book.siteValues, into: &bag)
            site.adaptations = loadAdaptations(paths, site: stem, root: root, into: &bag)
            set.sites.append(site)
        }
        // A folder without its site file.
        for name in names where FileSystem.isDirectory(FileSystem.join(folder, name)) && !names.contains(name + ".md") {
            var notes: [Diagnostic.Note] = [.init("a site is declared by 'Handbook/sites/\(name).md' with 'name' and 'trust'")]
            if let guess = DidYouMean.closest(to: name, in: names.filter { $0.hasSuffix(".md") }.map { String($0.dropLast(3)) }) {
                notes.insert(.init("did you mean '\(guess)'?"), at: 0)
            }
            bag.error(.unknownSite, "adaptations for '\(name)', which has no site file", at: SourceLocation(file: paths.display("\(Self.folder)/\(name)"), line: 1, column: 1), notes: notes)
        }
        return set
    }

    /// Reads one site file (`Handbook/sites/<id>.md`, already read) against the site values
    /// book.md declares. The loader's parser, taking text so that it can be fuzzed in memory.
    static func parseSite(_ source: SourceFile, id stem: String, declared declarations: [SiteValueDeclaration], into bag: inout DiagnosticBag) -> Site {
        let declared = declarations.map(\.name)
        let fm = FrontMatter.parse(source, into: &bag)
        var schema = siteSchema
        schema.known += declared
        var reader = FrontMatterReader(fm, file: source, schema: schema)
        // A key that is neither name, trust nor a declared value: not a generic unknown key,
        // but a site value book.md does not declare.
        let diagnostics = reader.diagnostics.filter { $0.code != .unknownKey }
        bag.add(contentsOf: diagnostics)
        var values: [String: String] = [:]
        for entry in fm.entries where entry.key != "name" && entry.key != "trust" {
            guard declared.contains(entry.key) else {
                var notes: [Diagnostic.Note] = []
                if let guess = DidYouMean.closest(to: entry.key, in: declared) { notes.append(.init("did you mean '\(guess)'?")) }
                notes.append(.init(declared.isEmpty
                    ? "book.md declares no site values; declare one as 'site-\(entry.key): neutral text'"
                    : "book.md declares: \(declared.joined(separator: ", ")); declare a new one there as 'site-\(entry.key): neutral text'"))
                bag.error(.unknownSiteValue, "site value '\(entry.key)' is not declared in Handbook/book.md", at: entry.keyLocation, notes: notes)
                continue
            }
            values[entry.key] = entry.value.text
        }
        for declaration in declarations where values[declaration.name] == nil && fm[declaration.name] == nil {
            var notes: [Diagnostic.Note] = [.init("declared here", at: declaration.location)]
            let extra = fm.entries.map(\.key).filter { $0 != "name" && $0 != "trust" && !declared.contains($0) }
            if let guess = DidYouMean.closest(to: declaration.name, in: extra) { notes.insert(.init("did you mean to write '\(guess)' as '\(declaration.name)'?"), at: 0) }
            bag.error(.missingSiteValue, "site '\(stem)' has no value for '\(declaration.name)', which book.md declares",
                      at: source.start, notes: notes)
        }
        return Site(id: stem, name: reader.string("name") ?? stem, trust: reader.string("trust") ?? "",
                    values: values, location: source.start)
    }

    /// Files under a site's folder (project-relative), symbolic links out of the project left out with an error.
    static func files(under relative: String, paths: ProjectPaths, root: String, into bag: inout DiagnosticBag) -> [String] {
        FileSystem.list(paths.path(relative)).sorted().flatMap { name -> [String] in
            let child = relative + "/" + name
            guard HandbookSources.staysInside(child, paths: paths, root: root, into: &bag) else { return [] }
            return FileSystem.isDirectory(paths.path(child)) ? files(under: child, paths: paths, root: root, into: &bag) : [child]
        }
    }

    static func loadAdaptations(_ paths: ProjectPaths, site: String, root: String, into bag: inout DiagnosticBag) -> [Adaptation] {
        let folder = "\(Self.folder)/\(site)"
        guard FileSystem.isDirectory(paths.path(folder)) else { return [] }
        var result: [Adaptation] = []
        for relative in files(under: folder, paths: paths, root: root, into: &bag) {
            let name = String(relative.dropFirst(folder.count + 1))
            guard name.hasSuffix(".md") else {
                bag.warning(.notAnAdaptation, "'\(name)' is not Markdown, so it is not an adaptation of the \(site) edition",
                            at: SourceLocation(file: paths.display(relative), line: 1, column: 1))
                continue
            }
            guard let source = paths.source(relative) else { continue }
            if let adaptation = parseAdaptation(source, site: site, relativePath: relative, into: &bag) { result.append(adaptation) }
        }
        return result
    }

    /// Reads one adaptation file (already read): its record and what it adapts; nil, with an
    /// error, when it does not name one thing to adapt. The loader's parser, taking text so that
    /// it can be fuzzed in memory.
    static func parseAdaptation(_ source: SourceFile, site: String, relativePath relative: String, into bag: inout DiagnosticBag) -> Adaptation? {
        let fm = FrontMatter.parse(source, into: &bag)
        var reader = FrontMatterReader(fm, file: source, schema: adaptationSchema)
        let kinds: [Adaptation.Kind] = [.replaces, .addsTo, .standsInFor].filter { fm[$0.rawValue] != nil }
        let missing = recordKeys.filter { fm[$0] == nil || fm[$0]?.value == .string("") }
        if !missing.isEmpty {
            bag.error(.adaptationRecordMissing,
                      "an adaptation needs its record; this one has no " + missing.map { "'\($0)'" }.joined(separator: ", "),
                      at: fm.entries.isEmpty ? source.start : fm.entries[0].keyLocation,
                      notes: [.init("every adaptation records who decided it ('decided-by'), when ('date'), why ('reason') and whether it keeps to the principles ('fidelity': consistent, inconsistent or unknown)")])
        }
        guard let kind = kinds.first else {
            bag.error(.adaptationTargetMissing, "an adaptation names what it adapts: 'replaces: ID', 'adds-to: ID' or 'stands-in-for: MODULE'",
                      at: source.start)
            return nil
        }
        if kinds.count > 1 {
            bag.error(.adaptationTargetAmbiguous, "an adaptation does one thing; this one has " + kinds.map { "'\($0.rawValue)'" }.joined(separator: " and "),
                      at: reader.location(of: kinds[1].rawValue), notes: [.init("split it into one file per adaptation")])
            return nil
        }
        var fidelity = Adaptation.Fidelity.unknown
        if let text = reader.string("fidelity") {
            if let f = Adaptation.Fidelity(rawValue: text) {
                fidelity = f
            } else {
                let options = Adaptation.Fidelity.allCases.map(\.rawValue)
                var notes: [Diagnostic.Note] = [.init("fidelity is one of: \(options.joined(separator: ", "))")]
                if let guess = DidYouMean.closest(to: text, in: options) { notes.insert(.init("did you mean '\(guess)'?"), at: 0) }
                bag.error(.unknownFidelity, "unknown fidelity '\(text)'", at: reader.location(of: "fidelity"), notes: notes)
            }
        }
        let date = fm["date"] == nil ? "" : reader.date("date")?.description ?? ""
        let target = reader.string(kind.rawValue) ?? ""
        bag.add(contentsOf: reader.diagnostics)
        guard !target.isEmpty else {
            bag.error(.adaptationTargetMissing, "'\(kind.rawValue)' needs an ID", at: reader.location(of: kind.rawValue))
            return nil
        }
        return Adaptation(site: site, relativePath: relative, kind: kind, target: target,
                          targetLocation: reader.location(of: kind.rawValue), title: reader.string("title"),
                          decidedBy: reader.string("decided-by") ?? "", date: date,
                          reason: reader.string("reason") ?? "", fidelity: fidelity, body: fm.body, source: source)
    }
}
