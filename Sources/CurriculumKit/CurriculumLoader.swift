import KitbagCore

/// Reads `Curriculum/` into a `Curriculum`, reporting every problem in the files.
public enum CurriculumLoader {
    static let principleSchema = FrontMatterSchema(kind: "a principle", required: ["id", "title"], optional: ["number", "origin", "short"])
    static let competencySchema = FrontMatterSchema(kind: "a competency", required: ["id", "title", "principles"], optional: ["origin"], nonEmpty: ["principles"])
    static let moduleSchema = FrontMatterSchema(
        kind: "a module", required: ["id", "title", "competencies"],
        optional: ["hours", "sessions", "prerequisites", "delivery", "valid-for-months", "origin"], nonEmpty: ["competencies"])
    static let assessmentSchema = FrontMatterSchema(
        kind: "an assessment", required: ["id", "title", "method"],
        optional: ["modules", "competencies", "pass-criteria", "attempts", "valid-for-months", "origin"])
    static let pathwaySchema = FrontMatterSchema(
        kind: "the pathway", required: [], optional: ["title", "required-modules", "required-assessments", "attendance", "origin"])
    static let frameworkSchema = FrontMatterSchema(
        kind: "the framework", required: ["title"], optional: ["id", "version", "language", "origin", "description", "date", "creator", "adoption-status"])

    /// Loads the curriculum under `paths.curriculum`. A project without `Curriculum/` has an empty one.
    public static func load(_ paths: ProjectPaths) -> (Curriculum, [Diagnostic]) {
        var bag = DiagnosticBag()
        var curriculum = Curriculum()
        guard FileSystem.isDirectory(paths.curriculum) else { return (curriculum, []) }

        if let file = paths.source("Curriculum/framework.md") {
            let fm = FrontMatter.parse(file, into: &bag)
            var r = FrontMatterReader(fm, file: file, schema: frameworkSchema)
            curriculum.framework = Framework(id: r.string("id") ?? "framework", title: r.string("title") ?? "Curriculum",
                                             version: r.string("version"), language: r.string("language"),
                                             body: fm.body, source: file)
            bag.add(contentsOf: r.diagnostics)
        }
        if let file = paths.source("Curriculum/pathway.md") {
            let fm = FrontMatter.parse(file, into: &bag)
            var r = FrontMatterReader(fm, file: file, schema: pathwaySchema)
            let modules = r.list("required-modules")
            let assessments = r.list("required-assessments")
            var attendance = r.number("attendance") ?? 1.0
            if attendance <= 0 || attendance > 1 {
                r.diagnostics.append(.error(.frontMatterType, "'attendance' must be a share above 0 and at most 1, found \(attendance)", at: r.location(of: "attendance")))
                attendance = 1.0
            }
            curriculum.pathway = Pathway(
                title: r.string("title") ?? "Sign-off pathway",
                requiredModules: (modules ?? []).map { Reference(id: $0.text, location: $0.location) },
                requiredAssessments: (assessments ?? []).map { Reference(id: $0.text, location: $0.location) },
                attendance: attendance, body: fm.body, source: file,
                modulesGiven: modules != nil, assessmentsGiven: assessments != nil)
            bag.add(contentsOf: r.diagnostics)
        }

        curriculum.fidelity = FidelityInstrumentRules.loadInstrument(paths, into: &bag)
        // The item files are read and their front matter parsed on every core; they are
        // taken into the curriculum in folder and name order, as on one core.
        var found: [(kind: CurriculumKind, relative: String, name: String)] = []
        for kind in CurriculumKind.allCases {
            let folder = "Curriculum/\(kind.folder)"
            for name in FileSystem.list(paths.path(folder)) { found.append((kind, "\(folder)/\(name)", name)) }
        }
        let read = found.concurrentMap(lanes: found.count > 8 ? processorCount : 1) { item -> (SourceFile, FrontMatter, [Diagnostic])? in
            guard item.name.hasSuffix(".md"), let file = paths.source(item.relative) else { return nil }
            var local = DiagnosticBag()
            let fm = FrontMatter.parse(file, into: &local)
            return (file, fm, local.all)
        }
        for (item, parsed) in zip(found, read) {
            guard item.name.hasSuffix(".md") else {
                if !FileSystem.isDirectory(paths.path(item.relative)) {
                    bag.warning(.strayFile, "'\(item.name)' is not a Markdown file and is ignored", at: SourceLocation(file: paths.display(item.relative), line: 1, column: 1))
                }
                continue
            }
            guard let (file, fm, diagnostics) = parsed else { continue }
            bag.add(contentsOf: diagnostics)
            load(item.kind, file: file, relative: item.relative, frontMatter: fm, into: &curriculum, bag: &bag)
        }
        curriculum.principles.sort { naturalOrder($0.info.id, $1.info.id) }
        curriculum.competencies.sort { naturalOrder($0.info.id, $1.info.id) }
        curriculum.modules.sort { naturalOrder($0.info.id, $1.info.id) }
        curriculum.assessments.sort { naturalOrder($0.info.id, $1.info.id) }
        curriculum.domains.sort { naturalOrder($0.info.id, $1.info.id) }
        curriculum.fidelityItems.sort { naturalOrder($0.info.id, $1.info.id) }
        for i in curriculum.principles.indices where curriculum.principles[i].number == 0 {
            curriculum.principles[i].number = i + 1
        }
        return (curriculum, bag.all)
    }

    static func refs(_ list: [(text: String, location: SourceLocation)]?) -> [Reference] {
        (list ?? []).map { Reference(id: $0.text, location: $0.location) }
    }

    /// Takes one item file into the curriculum. `frontMatter`: the file's, parsed already
    /// (its diagnostics in `bag`); nil parses it here.
    static func load(_ kind: CurriculumKind, file: SourceFile, relative: String, frontMatter: FrontMatter? = nil,
                     into curriculum: inout Curriculum, bag: inout DiagnosticBag) {
        let fm = frontMatter ?? FrontMatter.parse(file, into: &bag)
        let schema: FrontMatterSchema = switch kind {
        case .principle: principleSchema
        case .competency: competencySchema
        case .module: moduleSchema
        case .assessment: assessmentSchema
        case .domain, .fidelityItem: FidelityInstrumentRules.schema(kind) ?? principleSchema
        }
        var r = FrontMatterReader(fm, file: file, schema: schema)
        defer { bag.add(contentsOf: r.diagnostics) }
        guard let id = r.string("id") else { return }
        if !isValidID(id) {
            r.diagnostics.append(.error(.invalidID, "'\(id)' is not a valid ID: use letters, digits, '-' and '_'", at: r.location(of: "id")))
            return
        }
        let info = ItemInfo(id: id, title: r.string("title") ?? id, kind: kind, origin: r.string("origin"),
                            body: fm.body, source: file, relativePath: relative, location: r.location(of: "id"))
        if let existing = curriculum.item(id) {
            r.diagnostics.append(.error(.duplicateID, "duplicate ID '\(id)'", at: info.location,
                                        notes: [.init("'\(id)' is first defined here", at: existing.location)]))
            return
        }
        switch kind {
        case .principle:
            curriculum.principles.append(Principle(info: info, number: r.integer("number", range: 1...999) ?? 0))
        case .competency:
            curriculum.competencies.append(Competency(info: info, principles: refs(r.list("principles"))))
        case .module:
            curriculum.modules.append(Module(
                info: info, competencies: refs(r.list("competencies")), hours: r.number("hours", range: 0...10_000),
                sessions: r.integer("sessions", range: 1...1000) ?? 1, prerequisites: refs(r.list("prerequisites")),
                delivery: r.string("delivery"), validForMonths: r.integer("valid-for-months", range: 1...600)))
        case .assessment:
            curriculum.assessments.append(Assessment(
                info: info, method: r.string("method") ?? "", modules: refs(r.list("modules")),
                competencies: refs(r.list("competencies")), passCriteria: r.string("pass-criteria"),
                attempts: r.integer("attempts", range: 1...100), validForMonths: r.integer("valid-for-months", range: 1...600)))
        case .domain:
            curriculum.domains.append(FidelityDomain(info: info, principles: refs(r.list("principles"))))
        case .fidelityItem:
            let domain = r.string("domain").map { Reference(id: $0, location: r.location(of: "domain")) } ?? Reference(id: "", location: info.location)
            curriculum.fidelityItems.append(FidelityItem(info: info, domain: domain, respondents: refs(r.list("respondents")),
                                                         scoreSections: FidelityInstrumentRules.scoreSections(fm.body, file: file)))
        }
    }

    /// IDs are letters, digits, '-', '_' and '.', starting with a letter or digit.
    public static func isValidID(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, first.properties.isAlphabetic || ("0"..."9").contains(first) else { return false }
        return id.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0 == "." }
    }
}
