import CurriculumKit
import KitbagCore
import Markdown

/// The resolve stage: from a `LoadedBook` (read, never written) to a `Resolution`: numbers
/// chapters, sections and tables, builds the one ID namespace and resolves every reference.
package enum HandbookResolver {
    static let directiveNames = ["principles", "competency-matrix", "modules", "assessments", "pathway", "changes", "table"]

    /// Loads and resolves the project: the handbook, and the trees the load stage parsed
    /// (by unit index) for the render stage. `curriculum`: as a caller already loaded it
    /// (`kitbag check` loads it once for every part); nil loads it here.
    package static func resolve(_ paths: ProjectPaths, unsafeHTML: Bool, bag: inout DiagnosticBag, store: (any UnitCache)? = nil,
                        edition plan: EditionPlan? = nil, changes: [ChangeEntry] = [], since: ChangesSince? = nil,
                        curriculum: (Curriculum, [Diagnostic])? = nil) -> (Handbook, [Int: UnitTree]) {
        let (loaded, trees) = HandbookLoader.load(paths, unsafeHTML: unsafeHTML, bag: &bag, store: store, edition: plan, curriculum: curriculum)
        let resolution = resolve(loaded, bag: &bag)
        return (Handbook(loaded, resolution, changes: changes, changesSince: since, edition: plan), trees)
    }

    static func resolve(_ b: LoadedBook, bag: inout DiagnosticBag) -> Resolution {
        var r = Resolution()
        r.headings = b.units.map { [ResolvedHeading](repeating: ResolvedHeading(id: ""), count: $0.headings.count) }
        var namer = IDNamer()
        namer.reserve(b)
        registerCurriculum(b, &namer, &bag)
        numberChapters(b, &r, &namer, &bag)
        registerGlossary(b, &r, &namer, &bag)
        registerOtherHeadings(b, &r, &namer, &bag)
        r.targets = namer.targets
        resolveLinks(b, &r, bag: &bag)
        checkDirectives(b, &bag)
        return r
    }

    // MARK: - IDs and numbers

    /// The one ID namespace: explicit IDs must be unique; automatic slugs get -2, -3 in book order.
    struct IDNamer {
        var targets: [String: Target] = [:]
        var explicitIDs: Set<String> = []
        /// IDs an automatic slug never takes: every explicit ID in the book (so that a slug
        /// met first does not take an ID written later) and the IDs of the page shell.
        var reserved: Set<String> = IDNamer.shellIDs

        /// IDs that the page shell itself gives elements (`<main id="main">`, the search form).
        static let shellIDs: Set<String> = ["main", "glossary", "title", "search", "toc-heading", "kb-status", "kb-results", "kb-search-q"]

        /// Reserves every explicit heading and table ID of the book before any is registered.
        mutating func reserve(_ h: LoadedBook) {
            // Every heading, table and curriculum item may become a target: no regrowing.
            let headings = h.units.reduce(0) { $0 + $1.headings.count + $1.directives.count }
            targets.reserveCapacity(headings + h.curriculum.items.count)
            reserved.reserveCapacity(headings + h.chapterUnits.count)
            for (index, unitIndex) in h.chapterUnits.enumerated() where index < h.sources.chapters.count {
                let h1 = h.units[unitIndex].headings.first { $0.level == 1 }
                reserved.insert(h1?.explicitID ?? h.sources.chapters[index].stem)
            }
            for unit in h.units {
                for heading in unit.headings { if let id = heading.explicitID { reserved.insert(id) } }
                for d in unit.directives where d.name == "table" && d.arguments.hasPrefix("#") {
                    reserved.insert(String(d.arguments.dropFirst().prefix { !$0.isWhitespace }))
                }
            }
        }

        mutating func register(_ target: Target, explicit: Bool, bag: inout DiagnosticBag) -> String? {
            if explicit {
                if IDNamer.shellIDs.contains(target.id), target.kind != .glossaryTerm {
                    bag.error(.reservedID, "'\(target.id)' is an ID the page itself uses; choose another", at: target.location,
                              notes: [.init("reserved: \(IDNamer.shellIDs.sorted().joined(separator: ", "))")])
                    return nil
                }
                if let existing = targets[target.id] {
                    bag.error(.duplicateID, "duplicate ID '\(target.id)'", at: target.location,
                              notes: [.init("'\(target.id)' is first defined here", at: existing.location)])
                    return nil
                }
                explicitIDs.insert(target.id)
                targets[target.id] = target
                return target.id
            }
            var id = target.id
            var n = 2
            while targets[id] != nil || reserved.contains(id) {
                id = "\(target.id)-\(n)"
                n += 1
            }
            var t = target
            t.isSuffixedSlug = id != target.id
            t.id = id
            if t.anchor == target.id { t.anchor = id }
            targets[id] = t
            return id
        }
    }

    static func registerCurriculum(_ h: LoadedBook, _ namer: inout IDNamer, _ bag: inout DiagnosticBag) {
        for item in h.curriculum.items {
            let kind: TargetKind = switch item.kind {
            case .principle: .principle
            case .competency: .competency
            case .module: .module
            case .assessment: .assessment
            case .domain: .domain
            case .fidelityItem: .fidelityItem
            }
            let text = h.curriculum.displayTitle(of: item.id) ?? item.id
            // Curriculum duplicates are reported by the curriculum loader; do not repeat them.
            if namer.targets[item.id] == nil {
                _ = namer.register(Target(id: item.id, kind: kind, text: text, page: item.pagePath, anchor: nil,
                                          location: item.location, unit: h.curriculumUnits[item.id]), explicit: true, bag: &bag)
            }
        }
    }

    static func numberChapters(_ h: LoadedBook, _ r: inout Resolution, _ namer: inout IDNamer, _ bag: inout DiagnosticBag) {
        let depth = h.book.numberingDepth
        for (index, unitIndex) in h.chapterUnits.enumerated() {
            let unit = h.units[unitIndex]
            let chapter = h.sources.chapters[index]
            let chapterNumber = index + 1
            let h1s = unit.headings.indices.filter { unit.headings[$0].level == 1 }
            for h1 in h1s.prefix(1) where unit.headings[h1].unnumbered {
                bag.error(.unnumberedChapter, "'{-}' is not allowed on a chapter heading: chapters are numbered (book.md holds the unnumbered preface)",
                          at: unit.headings[h1].location)
            }
            if h1s.isEmpty {
                bag.error(.missingChapterHeading, "a chapter needs exactly one '#' heading; this one has none", at: unit.source.at(line: unit.source.lineCount > 0 ? firstBodyLine(unit) : 1))
            }
            for extra in h1s.dropFirst() {
                bag.error(.multipleChapterHeadings, "a chapter has exactly one '#' heading; this is another one",
                          at: unit.headings[extra].location,
                          notes: [.init("the chapter heading is here", at: unit.headings[h1s[0]].location)])
            }
            var counters = [Int](repeating: 0, count: 7)
            var unnumberedBelow: Int?  // level of an unnumbered heading whose subsections are unnumbered
            var previousLevel = 1
            var tableCount = 0
            for (i, heading) in unit.headings.enumerated() {
                if heading.level == 1 && i == h1s.first {
                    let id = heading.explicitID ?? chapter.stem
                    let target = Target(id: id, kind: .chapter, text: "Chapter \(chapterNumber): \(heading.title)",
                                        page: chapter.pageName, anchor: id, location: heading.location, unit: unitIndex)
                    let resolved = namer.register(target, explicit: true, bag: &bag) ?? id
                    r.headings[unitIndex][i] = ResolvedHeading(id: resolved, number: "\(chapterNumber)")
                    r.chapterIDs[index] = resolved
                    previousLevel = 1
                    continue
                }
                if heading.level == 1 { r.headings[unitIndex][i].id = heading.explicitID ?? Slug.make(heading.title); continue }
                // Sections this edition left out keep their numbers (core numbers are equal in every edition).
                for gap in heading.gapsBefore where gap >= 2 && gap < counters.count && gap <= depth && unnumberedBelow == nil {
                    counters[gap] += 1
                    for deeper in (gap + 1)..<counters.count { counters[deeper] = 0 }
                }
                if heading.level > previousLevel + 1 {
                    bag.warning(.headingLevelSkip, "heading level \(heading.level) follows level \(previousLevel); skipping a level breaks the outline for screen readers", at: heading.location)
                }
                previousLevel = heading.level
                if let level = unnumberedBelow, heading.level <= level { unnumberedBelow = nil }
                var number: String?
                if heading.unnumbered || unnumberedBelow != nil || heading.level > depth {
                    if heading.unnumbered && unnumberedBelow == nil { unnumberedBelow = heading.level }
                } else {
                    counters[heading.level] += 1
                    for deeper in (heading.level + 1)..<counters.count { counters[deeper] = 0 }
                    number = sectionNumber(chapterNumber, counters, level: heading.level)
                }
                let text = number.map { "\($0) \(heading.title)" } ?? heading.title
                let base = heading.explicitID ?? Slug.make(heading.title)
                let target = Target(id: base, kind: .section, text: text, page: chapter.pageName, anchor: base, location: heading.location, unit: unitIndex)
                let id = namer.register(target, explicit: heading.explicitID != nil, bag: &bag)
                r.headings[unitIndex][i] = ResolvedHeading(id: id ?? base, number: number)
            }
            // Tables, numbered per chapter.
            var tables: [Int: TableDirective] = [:]
            for (d, directive) in unit.directives.enumerated() where directive.name == "table" {
                tableCount += 1
                if let table = parseTable(directive, unit: unit, number: "\(chapterNumber).\(tableCount)", bag: &bag) {
                    tables[d] = table
                    let target = Target(id: table.id, kind: .table, text: "Table \(table.number)", page: chapter.pageName, anchor: table.id, location: directive.location, unit: unitIndex)
                    _ = namer.register(target, explicit: true, bag: &bag)
                }
            }
            r.tables[unitIndex] = tables
        }
    }

    /// "3.2.1": the chapter's number and the counters of levels 2 through `level`.
    static func sectionNumber(_ chapter: Int, _ counters: [Int], level: Int) -> String {
        var number = String(chapter)
        for l in 2...max(level, 2) where l <= level {
            number += "."
            number += String(counters[l])
        }
        return number
    }

    static func firstBodyLine(_ unit: ParsedUnit) -> Int {
        let source = unit.source
        for line in 1...max(source.lineCount, 1) where !source.line(line).trimmed().isEmpty && source.line(line) != "---" {
            return line
        }
        return 1
    }

    package static func parseTable(_ d: ParsedDirective, unit: ParsedUnit, number: String, bag: inout DiagnosticBag) -> TableDirective? {
        let args = d.arguments
        guard args.hasPrefix("#") else {
            bag.error(.tableSyntax, "a table needs an ID and a caption: '{table} #id Caption'", at: d.location)
            return nil
        }
        let idEnd = args.firstIndex(of: " ") ?? args.endIndex
        let id = String(args[args.index(after: args.startIndex)..<idEnd])
        let caption = String(args[idEnd...]).trimmed()
        guard !id.isEmpty, CurriculumLoader.isValidID(id) else {
            bag.error(.tableSyntax, "'\(id)' is not a valid table ID", at: d.location)
            return nil
        }
        if caption.isEmpty {
            bag.error(.tableSyntax, "table '\(id)' needs a caption after its ID", at: d.location)
        }
        // Rows are counted from the directive's line, in its own file (an adaptation's, when
        // the edition brought the table in).
        switch CSV.parse(Array(d.body.utf8)) {
        case .failure(let error):
            bag.error(.tableSyntax, "table '\(id)': \(error.message)", at: SourceLocation(file: d.location.file, line: d.location.line + error.line, column: error.column))
            return nil
        case .success(let records):
            guard let header = records.first else {
                bag.error(.tableSyntax, "table '\(id)' has no rows; its first CSV row is the header", at: d.location)
                return nil
            }
            for record in records.dropFirst() where record.fields.count != header.fields.count {
                bag.error(.tableSyntax, "table '\(id)': this row has \(record.fields.count) cells but the header has \(header.fields.count)",
                          at: SourceLocation(file: d.location.file, line: d.location.line + record.line, column: 1))
            }
            return TableDirective(id: id, caption: caption, number: number, rows: records.map(\.fields))
        }
    }

    static func registerGlossary(_ h: LoadedBook, _ r: inout Resolution, _ namer: inout IDNamer, _ bag: inout DiagnosticBag) {
        guard let g = h.glossaryUnit else { return }
        let unit = h.units[g]
        let keep = Set(h.glossaryKeepsCapitals.map(\.id))
        let terms = Set(unit.headings.filter { $0.level == 2 }.map { $0.explicitID ?? Slug.make($0.title) })
        for (id, location) in h.glossaryKeepsCapitals where !terms.contains(id) {
            var notes: [Diagnostic.Note] = []
            if let guess = DidYouMean.closest(to: id, in: Array(terms)) { notes.append(.init("did you mean '\(guess)'?")) }
            bag.warning(.unknownGlossaryTerm, "'keep-capitals' names '\(id)', which is not a term of this glossary", at: location, notes: notes)
        }
        for (i, heading) in unit.headings.enumerated() {
            if heading.level == 1 { r.headings[g][i].id = heading.explicitID ?? "glossary"; continue }
            let base = heading.explicitID ?? Slug.make(heading.title)
            let kind: TargetKind = heading.level == 2 ? .glossaryTerm : .section
            var target = Target(id: base, kind: kind, text: heading.title, page: "glossary.html", anchor: base, location: heading.location, unit: g)
            if kind == .glossaryTerm {
                target.runningText = GlossaryTerm.runningText(heading.title, keepsCapitals: keep.contains(base))
            }
            let id = namer.register(target, explicit: heading.explicitID != nil, bag: &bag)
            r.headings[g][i].id = id ?? base
        }
    }

    /// Headings inside the preface and curriculum bodies: anchors on their pages, in the namespace.
    static func registerOtherHeadings(_ h: LoadedBook, _ r: inout Resolution, _ namer: inout IDNamer, _ bag: inout DiagnosticBag) {
        for (u, unit) in h.units.enumerated() {
            let page: String
            switch unit.kind {
            case .preface: page = "index.html"
            case .curriculum(let id): page = "curriculum/\(id).html"
            case .pathway, .framework: page = "curriculum/index.html"
            default: continue
            }
            for (i, heading) in unit.headings.enumerated() {
                let base = heading.explicitID ?? Slug.make(heading.title)
                let target = Target(id: base, kind: .section, text: heading.title, page: page, anchor: base, location: heading.location, unit: u)
                let id = namer.register(target, explicit: heading.explicitID != nil, bag: &bag)
                r.headings[u][i].id = id ?? base
            }
        }
    }

    // MARK: - References

    static func fromID(_ r: Resolution, unit: ParsedUnit, u: Int, section: Int) -> String? {
        switch unit.kind {
        case .curriculum(let id):
            return id
        case .chapter, .glossary:
            let headings = r.headings[u]
            var s = section
            while s >= 0 {
                let id = headings[s].id
                if !id.isEmpty, r.targets[id] != nil { return id }
                s -= 1
            }
            return unit.headings.firstIndex { $0.level == 1 }.map { headings[$0].id }
        default:
            return nil
        }
    }

    /// Resolves every unit's links on every core (each unit's links read only the book and
    /// the IDs), then gathers the targets, diagnostics and back-references in book order, so
    /// the result is the one a single core gets.
    static func resolveLinks(_ h: LoadedBook, _ r: inout Resolution, bag: inout DiagnosticBag) {
        let resolution = r
        // A few units are not worth waking the other cores for.
        let units = Array(h.units.indices).concurrentMap(lanes: h.units.count > 8 ? processorCount : 1) { u in
            resolveLinks(ofUnit: u, h, resolution)
        }
        var linkTargets: [[ResolvedLink?]] = []
        linkTargets.reserveCapacity(units.count)
        var backReferences: [String: [BackReference]] = [:]
        backReferences.reserveCapacity(resolution.targets.count)
        // Each place is listed once per ID it refers to: one set of (ID, place) pairs.
        var seen: Set<Reference> = []
        seen.reserveCapacity(units.reduce(0) { $0 + $1.references.count })
        for unit in units {
            bag.add(contentsOf: unit.diagnostics)
            linkTargets.append(unit.targets)
            for reference in unit.references where seen.insert(reference).inserted {
                backReferences[reference.id, default: []].append(BackReference(fromID: reference.from))
            }
        }
        r.linkTargets = linkTargets
        r.backReferences = backReferences
    }

    /// A reference: the ID referred to, and the ID of the section (or item) it is made from.
    struct Reference: Hashable, Sendable {
        var id: String
        var from: String
    }

    /// One unit's links resolved: each link's target, the diagnostics in link order, and each
    /// reference (target ID, the ID of the section it is made from) in link order.
    struct UnitLinks: Sendable {
        var targets: [ResolvedLink?]
        var diagnostics: [Diagnostic]
        var references: [Reference] = []
    }

    static func resolveLinks(ofUnit u: Int, _ h: LoadedBook, _ r: Resolution) -> UnitLinks {
        let unit = h.units[u]
        var bag = DiagnosticBag()
        var links = UnitLinks(targets: [ResolvedLink?](repeating: nil, count: unit.links.count), diagnostics: [])
        // The section (or item) each link sits in, worked out once per heading.
        var fromBySection: [Int: String?] = [:]
        func from(_ section: Int) -> String? {
            if let known = fromBySection[section] { return known }
            let id = fromID(r, unit: unit, u: u, section: section)
            fromBySection[section] = id
            return id
        }
        for (l, link) in unit.links.enumerated() {
            if link.isImage {
                links.targets[l] = resolveImage(h, unit: unit, link: link, bag: &bag)
                continue
            }
            let url = link.url
            var targetID: String?
            if url.utf8.first == UInt8(ascii: "#") {
                let id = String(url.dropFirst())
                guard let target = r.targets[id] else {
                    var notes: [Diagnostic.Note] = []
                    if let guess = DidYouMean.closest(to: id, in: r.targets.keys) {
                        notes.append(.init("did you mean '#\(guess)'?", at: r.targets[guess]?.location))
                    }
                    bag.error(.unresolvedReference, "no ID '\(id)' in the handbook or curriculum", at: link.location, notes: notes)
                    continue
                }
                if target.isSuffixedSlug {
                    bag.warning(.suffixedSlugReference, "'#\(id)' is an automatic ID made unique with a suffix; it changes when headings move",
                                at: link.location, notes: [.init("give the heading an explicit ID such as '{#\(id)}'", at: target.location)])
                }
                targetID = id
            } else if isExternal(url) {
                if link.isEmpty {
                    bag.error(.emptyLinkText, "a link to '\(url)' has no text to show", at: link.location)
                }
                continue
            } else {
                targetID = resolveFileLink(h, r, unit: unit, link: link, bag: &bag)
                if targetID == nil { continue }
            }
            guard let id = targetID else { continue }
            links.targets[l] = .target(id)
            if let from = from(link.section), from != id { links.references.append(Reference(id: id, from: from)) }
        }
        links.diagnostics = bag.all
        return links
    }

    static func isExternal(_ url: String) -> Bool {
        let lower = url.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("mailto:") || lower.hasPrefix("tel:")
            || (!lower.hasPrefix("#") && lower.firstIndex(of: ":").map { $0 < (lower.firstIndex(of: "/") ?? lower.endIndex) } == true)
    }

    /// `13-ward.md#first-meeting`, `glossary.md#term`, `../../Handbook/13-ward.md`: a file in the project.
    static func resolveFileLink(_ h: LoadedBook, _ r: Resolution, unit: ParsedUnit, link: ParsedLink, bag: inout DiagnosticBag) -> String? {
        let url = link.url
        let hash = url.firstIndex(of: "#")
        let pathPart = String(url[..<(hash ?? url.endIndex)])
        let anchor = hash.map { String(url[url.index(after: $0)...]) }
        guard pathPart.hasSuffix(".md") else {
            // Other relative links (a PDF in the repository, say) are left alone.
            return nil
        }
        let base = unit.relativePath.split(separator: "/").dropLast().map(String.init)
        var parts = base
        for piece in pathPart.split(separator: "/") {
            if piece == "." { continue }
            if piece == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(String(piece))
        }
        let relative = parts.joined(separator: "/")
        var fileUnit: Int?
        var fileTarget: String?
        if let index = h.sources.chapters.firstIndex(where: { $0.relativePath == relative }), index < h.chapterUnits.count {
            fileUnit = h.chapterUnits[index]
            fileTarget = r.chapterIDs[index]
        } else if relative == "Handbook/glossary.md", let g = h.glossaryUnit {
            fileUnit = g
            fileTarget = nil
        } else if let item = h.curriculum.items.first(where: { $0.relativePath == relative }) {
            fileUnit = h.curriculumUnits[item.id]
            fileTarget = item.id
        }
        guard let u = fileUnit else {
            var notes: [Diagnostic.Note] = []
            let names = h.sources.chapters.map(\.name) + ["glossary.md"]
            if let guess = DidYouMean.closest(to: String(pathPart.split(separator: "/").last ?? ""), in: names) {
                notes.append(.init("did you mean '\(guess)'?"))
            }
            bag.error(.missingFile, "link to '\(pathPart)', which is not a chapter, the glossary or a curriculum file", at: link.location, notes: notes)
            return nil
        }
        guard let anchor, !anchor.isEmpty else {
            if let fileTarget { return fileTarget }
            bag.error(.missingAnchor, "link to '\(pathPart)' needs an anchor ('#term-id')", at: link.location)
            return nil
        }
        if let target = r.targets[anchor], target.unit == u { return anchor }
        let anchors = r.targets.values.filter { $0.unit == u }.map(\.id)
        var notes: [Diagnostic.Note] = []
        if let guess = DidYouMean.closest(to: anchor, in: anchors) { notes.append(.init("did you mean '#\(guess)'?")) }
        bag.error(.missingAnchor, "'\(pathPart)' has no ID '\(anchor)'", at: link.location, notes: notes)
        return nil
    }

    static func resolveImage(_ h: LoadedBook, unit: ParsedUnit, link: ParsedLink, bag: inout DiagnosticBag) -> ResolvedLink? {
        let url = link.url
        if isExternal(url) || url.hasPrefix("//") {
            bag.error(.remoteImage, "image '\(url)' is not in the project; the site must work offline, so copy it into Handbook/images/", at: link.location)
            return nil
        }
        var path = url
        if let q = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = String(path[..<q]) }
        if path.hasPrefix("./") { path = String(path.dropFirst(2)) }
        // Curriculum files refer to the handbook's images as ../../Handbook/images/x or images/x.
        if let range = path.firstRange(of: "Handbook/images/") { path = "images/" + path[range.upperBound...] }
        guard path.hasPrefix("images/"), !path.split(separator: "/").contains("..") else {
            bag.error(.missingImage, "image '\(url)' must be a file under Handbook/images/", at: link.location)
            return nil
        }
        let name = String(path.dropFirst("images/".count))
        guard h.sources.images.contains(name) else {
            var notes: [Diagnostic.Note] = []
            if let guess = DidYouMean.closest(to: name, in: h.sources.images) { notes.append(.init("did you mean 'images/\(guess)'?")) }
            bag.error(.missingImage, "image 'images/\(name)' does not exist in Handbook/images/", at: link.location, notes: notes)
            return nil
        }
        return .image(name)
    }

    static func checkDirectives(_ h: LoadedBook, _ bag: inout DiagnosticBag) {
        for (u, unit) in h.units.enumerated() {
            for directive in unit.directives {
                guard directiveNames.contains(directive.name) else {
                    var notes: [Diagnostic.Note] = []
                    if let guess = DidYouMean.closest(to: directive.name, in: directiveNames) { notes.append(.init("did you mean '{\(guess)}'?")) }
                    notes.append(.init("known directives: " + directiveNames.map { "{\($0)}" }.joined(separator: ", ")))
                    bag.error(.unknownDirective, "unknown directive '{\(directive.name)}'", at: directive.location, notes: notes)
                    continue
                }
                if directive.name == "table" {
                    if case .chapter = unit.kind {} else {
                        bag.error(.tableSyntax, "numbered tables belong in chapters", at: directive.location)
                    }
                    continue
                }
                if !directive.arguments.isEmpty {
                    bag.error(.directiveSyntax, "the info string of a directive is exactly '{\(directive.name)}'; remove '\(directive.arguments)'", at: directive.location)
                }
                if !directive.body.trimmed().isEmpty {
                    bag.error(.directiveSyntax, "directive '{\(directive.name)}' takes no body; its content is generated", at: directive.location)
                }
                _ = u
            }
        }
    }
}
