import KitbagCore

/// A site of a multi-site programme: `Handbook/sites/<site>.md`. Its stem is the name other
/// files use (`edition:` in a cohort's cohort.md, `site` in fidelity ratings).
public struct Site: Sendable {
    /// The file's stem: "brighton".
    public var id: String
    public var name: String
    public var trust: String
    /// Its site values, NAME -> text: every key but `name` and `trust`, as written (the
    /// handbook checks them against the values book.md declares).
    public var values: [String: String]
    /// The front matter lines that give those values, in file order.
    public var valueEntries: [FrontMatterEntry] = []
    public var location: SourceLocation
    /// Its adaptations, in file-name order.
    public var adaptations: [Adaptation] = []

    public init(id: String, name: String, trust: String, values: [String: String], location: SourceLocation) {
        self.id = id
        self.name = name
        self.trust = trust
        self.values = values
        self.location = location
    }

    /// Its local modules: the adaptations that stand in for a programme module and have an ID.
    public var localModules: [Adaptation] { adaptations.filter { $0.kind == .standsInFor && $0.localID != nil } }
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
    /// A local module's own ID (`id:`), which a cohort training with the site's edition
    /// records against; nil for other adaptations.
    public var localID: String?
    public var localIDLocation: SourceLocation?
    /// A local module's sessions (`sessions:`, default 1).
    public var sessions = 1
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

/// Every site of the project and its adaptations, as written: the one reader of
/// `Handbook/sites/`, shared by the handbook (which checks the adaptations and site values
/// against the book), the tracker (`edition:` and local modules) and fidelity (`site`).
public struct SiteSet: Sendable {
    public var sites: [Site] = []

    public init(sites: [Site] = []) {
        self.sites = sites
    }

    public subscript(id: String) -> Site? { sites.first { $0.id == id } }

    /// The site stems, in file-name order.
    public var ids: [String] { sites.map(\.id) }

    /// Every site's local modules, site by site.
    public var localModules: [Adaptation] { sites.flatMap(\.localModules) }

    public static let folder = "Handbook/sites"
    static let siteSchema = FrontMatterSchema(kind: "a site", required: ["name", "trust"], optional: [])
    static let recordKeys = ["decided-by", "date", "reason", "fidelity"]
    static let localModuleKeys = ["id", "sessions"]
    static let adaptationSchema = FrontMatterSchema(
        kind: "an adaptation", required: [],
        optional: ["replaces", "adds-to", "stands-in-for", "title"] + localModuleKeys + recordKeys)

    /// Reads `Handbook/sites/`: every `<site>.md` is a site, `<site>/` its adaptations. An
    /// adaptation without its full record or without what it adapts, a local module without
    /// its ID, a folder without its site file: each an error at its place. Site values are
    /// read as written; whether book.md declares them is the handbook's check.
    public static func load(_ paths: ProjectPaths, into bag: inout DiagnosticBag) -> SiteSet {
        var set = SiteSet()
        let folder = paths.path(Self.folder)
        guard FileSystem.isDirectory(folder) else { return set }
        let root = FileSystem.canonical(paths.root)
        let names = FileSystem.list(folder).sorted()
        for name in names where name.hasSuffix(".md") && name.count > 3 && !FileSystem.isDirectory(FileSystem.join(folder, name)) {
            let stem = String(name.dropLast(3))
            let relative = "\(Self.folder)/\(name)"
            // A symbolic link out of the project is an error at its path, and is never read.
            guard paths.staysInside(relative, root: root, into: &bag), let source = paths.source(relative) else { continue }
            var site = parseSite(source, id: stem, into: &bag)
            site.adaptations = loadAdaptations(paths, site: stem, root: root, into: &bag)
            set.sites.append(site)
        }
        // A folder without its site file.
        for name in names where FileSystem.isDirectory(FileSystem.join(folder, name)) && !names.contains(name + ".md") {
            var notes: [Diagnostic.Note] = [.init("a site is declared by 'Handbook/sites/\(name).md' with 'name' and 'trust'")]
            if let guess = DidYouMean.closest(to: name, in: set.ids) {
                notes.insert(.init("did you mean '\(guess)'?"), at: 0)
            }
            bag.error(.unknownSite, "adaptations for '\(name)', which has no site file", at: SourceLocation(file: paths.display("\(Self.folder)/\(name)"), line: 1, column: 1), notes: notes)
        }
        checkLocalModuleIDs(set, into: &bag)
        return set
    }

    /// Reads one site file (`Handbook/sites/<id>.md`, already read): `name`, `trust`, and every
    /// other key as a site value. The loader's parser, taking text so that it can be fuzzed in
    /// memory.
    public static func parseSite(_ source: SourceFile, id stem: String, into bag: inout DiagnosticBag) -> Site {
        let fm = FrontMatter.parse(source, into: &bag)
        var reader = FrontMatterReader(fm, file: source, schema: siteSchema)
        // Read before the reader's diagnostics are taken (a list where one value belongs is an error).
        let name = reader.string("name"), trust = reader.string("trust")
        // Every key but name and trust is a site value, not an unknown key.
        bag.add(contentsOf: reader.diagnostics.filter { $0.code != .unknownKey })
        let entries = fm.entries.filter { $0.key != "name" && $0.key != "trust" }
        var site = Site(id: stem, name: name ?? stem, trust: trust ?? "",
                        values: Dictionary(entries.map { ($0.key, $0.value.text) }, uniquingKeysWith: { a, _ in a }),
                        location: source.start)
        site.valueEntries = entries
        return site
    }

    /// The sites only, for a reader that needs their names and local modules but not the
    /// handbook's diagnostics about them (`kitbag check` reports those once, from the handbook).
    public static func load(_ paths: ProjectPaths) -> SiteSet {
        var ignored = DiagnosticBag()
        return load(paths, into: &ignored)
    }

    /// A local module ID is recorded in ledgers of every cohort: two sites may not use the same one.
    static func checkLocalModuleIDs(_ set: SiteSet, into bag: inout DiagnosticBag) {
        var first: [String: Adaptation] = [:]
        for module in set.localModules {
            guard let id = module.localID else { continue }
            if let earlier = first[id] {
                bag.error(.duplicateID, "duplicate ID '\(id)': the local module of \(earlier.site) already has it",
                          at: module.localIDLocation ?? module.source.start,
                          notes: [.init("'\(id)' is first defined here", at: earlier.localIDLocation ?? earlier.source.start)])
            } else {
                first[id] = module
            }
        }
    }

    /// Files under a site's folder (project-relative), symbolic links out of the project left out with an error.
    static func files(under relative: String, paths: ProjectPaths, root: String, into bag: inout DiagnosticBag) -> [String] {
        FileSystem.list(paths.path(relative)).sorted().flatMap { name -> [String] in
            let child = relative + "/" + name
            guard paths.staysInside(child, root: root, into: &bag) else { return [] }
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

    /// Reads one adaptation file (already read): its record, what it adapts, and for a local
    /// module its ID and sessions; nil, with an error, when it does not name one thing to
    /// adapt. The loader's parser, taking text so that it can be fuzzed in memory.
    public static func parseAdaptation(_ source: SourceFile, site: String, relativePath relative: String, into bag: inout DiagnosticBag) -> Adaptation? {
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
        var localID: String?
        var sessions = 1
        if kind == .standsInFor {
            localID = reader.string("id")
            if localID == nil {
                bag.error(.missingKey, "a local module needs the key 'id': the ID a cohort training with the \(site) edition records against",
                          at: reader.location(of: kind.rawValue))
            } else if let id = localID, !CurriculumLoader.isValidID(id) {
                bag.error(.invalidID, "'\(id)' is not a valid ID: use letters, digits, '-' and '_'", at: reader.location(of: "id"))
                localID = nil
            }
            sessions = reader.integer("sessions", range: 1...1000) ?? 1
        } else {
            for key in localModuleKeys where fm[key] != nil {
                bag.warning(.unknownKey, "'\(key)' belongs to a local module ('stands-in-for'); this adaptation \(kind == .replaces ? "replaces" : "adds to") '\(target)' and ignores it",
                            at: fm[key]?.keyLocation ?? source.start)
            }
        }
        let title = reader.string("title"), decidedBy = reader.string("decided-by") ?? "", reason = reader.string("reason") ?? ""
        bag.add(contentsOf: reader.diagnostics)
        guard !target.isEmpty else {
            bag.error(.adaptationTargetMissing, "'\(kind.rawValue)' needs an ID", at: reader.location(of: kind.rawValue))
            return nil
        }
        var adaptation = Adaptation(site: site, relativePath: relative, kind: kind, target: target,
                                    targetLocation: reader.location(of: kind.rawValue), title: title, decidedBy: decidedBy, date: date,
                                    reason: reason, fidelity: fidelity, body: fm.body, source: source)
        adaptation.localID = localID
        adaptation.localIDLocation = localID == nil ? nil : reader.location(of: "id")
        adaptation.sessions = sessions
        return adaptation
    }
}
