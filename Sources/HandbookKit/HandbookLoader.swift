import CurriculumKit
import KitbagCore

/// The load stage: reads the project's files into a `LoadedBook` of parsed units (values),
/// and hands the cmark trees it made to the render stage separately.
package enum HandbookLoader {
    static let glossarySchema = FrontMatterSchema(kind: "the glossary", required: [], optional: ["title", "origin", "keep-capitals"])
    package static let chapterSchema = FrontMatterSchema(kind: "a chapter", required: [], optional: ["id", "origin", "title", "status", "component"])

    /// Every unit of the book, parsed (or restored from `store`), and the trees parsed in this run by unit index.
    /// `curriculum`: as a caller already loaded it (nil: loaded here).
    static func load(_ paths: ProjectPaths, unsafeHTML: Bool, bag: inout DiagnosticBag, store: (any UnitCache)? = nil,
                     edition plan: EditionPlan? = nil, curriculum given: (Curriculum, [Diagnostic])? = nil) -> (LoadedBook, [Int: UnitTree]) {
        let book = Book.load(paths, into: &bag)
        let sources = HandbookSources.scan(paths, into: &bag)
        let (curriculum, curriculumDiagnostics) = given ?? CurriculumLoader.load(paths)
        bag.add(contentsOf: curriculumDiagnostics)
        bag.add(contentsOf: CurriculumValidator.validate(curriculum))
        var loaded = LoadedBook(paths: paths, book: book, curriculum: curriculum, sources: sources)
        var trees: [Int: UnitTree] = [:]
        // Every handbook unit fills in site values: the site's in its edition, else the neutral text.
        let values = plan?.values ?? SiteValues.neutral(book)
        let textEdition = UnitEdition(values: values)

        func add(_ parsed: (ParsedUnit, UnitTree?)) -> Int {
            loaded.units.append(parsed.0)
            bag.add(contentsOf: parsed.0.diagnostics)
            let index = loaded.units.count - 1
            if let tree = parsed.1 { trees[index] = tree }
            return index
        }
        if let source = book.source {
            loaded.prefaceUnit = add(ParsedUnit.load(kind: .preface, source: source, relativePath: "Handbook/book.md", body: book.preface, unsafeHTML: unsafeHTML, store: store, edition: textEdition))
        }
        // Chapters are read and parsed on every core (`loadChapters`); diagnostics keep their order.
        let chapters = loadChapters(paths, sources, unsafeHTML: unsafeHTML, store: store, values: values, plan: plan)
        for index in sources.chapters.indices {
            guard let pre = chapters[index] else { continue }
            bag.add(contentsOf: pre.diagnostics)
            if let origin = pre.origin { loaded.chapterOrigins[index] = origin }
            if pre.adaptable { loaded.adaptableChapters.insert(index) }
            loaded.chapterExplicitIDs[index] = pre.explicitID
            let unit = add((pre.unit.withChapterID(pre.explicitID), pre.tree))
            loaded.chapterUnits.append(unit)
        }
        if sources.hasGlossary, let source = paths.source("Handbook/glossary.md") {
            let fm = FrontMatter.parse(source, into: &bag)
            var reader = FrontMatterReader(fm, file: source, schema: glossarySchema)
            loaded.glossaryKeepsCapitals = (reader.list("keep-capitals") ?? []).map { ($0.text, $0.location) }
            bag.add(contentsOf: reader.diagnostics)
            loaded.glossaryUnit = add(ParsedUnit.load(kind: .glossary, source: source, relativePath: "Handbook/glossary.md", body: fm.body, unsafeHTML: unsafeHTML, store: store, edition: textEdition))
        }
        for item in curriculum.items {
            loaded.curriculumUnits[item.id] = add(ParsedUnit.load(kind: .curriculum(id: item.id), source: item.source, relativePath: item.relativePath, body: item.body, unsafeHTML: unsafeHTML, store: store))
        }
        if let pathway = curriculum.pathway, let source = pathway.source {
            loaded.pathwayUnit = add(ParsedUnit.load(kind: .pathway, source: source, relativePath: "Curriculum/pathway.md", body: pathway.body, unsafeHTML: unsafeHTML, store: store))
        }
        if let framework = curriculum.framework, let source = framework.source {
            loaded.frameworkUnit = add(ParsedUnit.load(kind: .framework, source: source, relativePath: "Curriculum/framework.md", body: framework.body, unsafeHTML: unsafeHTML, store: store))
        }
        return (loaded, trees)
    }

    /// A chapter file read, its front matter's values taken and its body parsed (or, when the
    /// file is unchanged since the last build, all of that restored from the cache).
    struct LoadedChapter: Sendable {
        var unit: ParsedUnit
        /// The tree, when the file was parsed in this run.
        var tree: UnitTree?
        var origin: String?
        var explicitID: String?
        var diagnostics: [Diagnostic]
        /// `component: adaptable`.
        var adaptable = false
    }

    /// Reads a chapter file and splits off its front matter; nil when it cannot be read.
    package static func readChapter(_ paths: ProjectPaths, _ relativePath: String) -> (SourceFile, FrontMatter, [Diagnostic])? {
        guard let source = paths.source(relativePath) else { return nil }
        var local = DiagnosticBag()
        if source.hadInvalidUTF8 {
            local.error(.invalidUTF8, "the file is not valid UTF-8", at: source.start)
        }
        let fm = FrontMatter.parse(source, into: &local)
        return (source, fm, local.all)
    }

    /// Reads and parses every chapter on every core. Each task owns its file and its cmark
    /// tree; the shared unit store locks. Nil for a file that cannot be read.
    static func loadChapters(_ paths: ProjectPaths, _ sources: HandbookSources, unsafeHTML: Bool, store: (any UnitCache)?,
                             values: SiteValues, plan: EditionPlan?) -> [LoadedChapter?] {
        let chapters = sources.chapters
        // A few chapters are not worth waking the other cores for.
        return Array(chapters.indices).concurrentMap(lanes: chapters.count > 8 ? processorCount : 1) { index -> LoadedChapter? in
            let chapter = chapters[index]
            let relative = chapter.relativePath
            var fileKey: Fingerprint?
            let adaptations = plan?.adaptationsByChapter[index] ?? []
            if let store, let hash = store.contentHash(of: relative) {
                // The file's key is the same in every edition; its unit's key folds in what
                // the edition changes in it (`Fingerprint.salted`).
                let key = UnitKey.chapterFile(index: index, relativePath: relative, displayPath: paths.display(relative), unsafeHTML: unsafeHTML, contentHash: hash)
                fileKey = key
                let edition = UnitEdition(values: values, adaptations: adaptations)
                if let (file, unitKey, summary) = store.unchangedChapter(key, edition: edition) {
                    let text = UnitText.onDisk {
                        guard let (source, fm, _) = readChapter(paths, relative) else { return nil }
                        return (source, fm.body)
                    }
                    let unit = ParsedUnit(kind: .chapter(index: index), relativePath: relative, text: text, summary: summary, unsafeHTML: unsafeHTML,
                                          edition: edition, contentKey: unitKey)
                    return LoadedChapter(unit: unit, origin: file.origin, explicitID: file.explicitID, diagnostics: file.diagnostics,
                                         adaptable: file.adaptable)
                }
            }
            guard let (source, fm, readDiagnostics) = readChapter(paths, relative) else { return nil }
            var reader = FrontMatterReader(fm, file: source, schema: chapterSchema)
            let origin = reader.string("origin")
            let explicitID = reader.string("id")
            var componentDiagnostics: [Diagnostic] = []
            let component = reader.string("component")
            if let component, component != "core", component != "adaptable" {
                var notes: [Diagnostic.Note] = [.init("a chapter is 'core' (the default) or 'adaptable' (site editions may adapt it)")]
                if let guess = DidYouMean.closest(to: component, in: ["core", "adaptable"]) { notes.insert(.init("did you mean '\(guess)'?"), at: 0) }
                componentDiagnostics.append(.error(.unknownComponent, "unknown component '\(component)'", at: reader.location(of: "component"), notes: notes))
            }
            let diagnostics = readDiagnostics + reader.diagnostics + componentDiagnostics
            let edition = UnitEdition(values: values, adaptations: adaptations)
            let rawKey = store.map { _ in UnitKey.unit(kind: .chapter(index: index), source: source, relativePath: relative, body: fm.body, unsafeHTML: unsafeHTML) }
            // The unit's key and the chapter file's summary both fold in the names: found once.
            let placeholders = store.map { _ in SiteValues.placeholderNames(in: fm.body) }
            let (unit, tree) = ParsedUnit.load(kind: .chapter(index: index), source: source, relativePath: relative,
                                               body: fm.body, unsafeHTML: unsafeHTML, store: store, edition: edition, rawKey: rawKey,
                                               placeholders: placeholders)
            if let fileKey, let store, let rawKey, let placeholders {
                store.record(ChapterFileSummary(unitKey: rawKey, origin: origin, explicitID: explicitID, diagnostics: diagnostics,
                                                adaptable: component == "adaptable", placeholders: placeholders), for: fileKey)
            }
            return LoadedChapter(unit: unit, tree: tree, origin: origin, explicitID: explicitID, diagnostics: diagnostics,
                                 adaptable: component == "adaptable")
        }
    }
}

