// Site files (Handbook/sites/): the input is `site NUL adaptation NUL adaptation` (each part
// optional after the first). The site file is read against the site values a small fixed
// book.md declares, the adaptations with their records (`decided-by`, `date`, `reason`,
// `fidelity`), all by the loader's own parsers (`SiteSet.parseSite`, `parseAdaptation`), in
// memory. The site is planned against the shared edition of a small fixed project (checking
// each adaptation: adaptable or core, section or chapter or module), and its edition resolved:
// `{{site.NAME}}` filled in, sections replaced, left out or added to. Then the edition's
// chapters, its "Adaptations at this site" page and `kitbag editions report` are rendered.
// Properties: filling text without `{{site.` returns it unchanged, and filling every
// placeholder with itself does too; every diagnostic lies inside its file (a line it has, a
// column on that line); a site or an adaptation read without errors has its name and trust, or
// its whole record; core sections keep their numbers and titles, and an edition's core
// content (every block outside an adaptable section or chapter, and not brought in by an
// adaptation) is the same as in an edition with the same values and no adaptations; no page
// holds a script.
import CurriculumKit
import FuzzSupport
import KitbagCore
import Markdown
@testable import HandbookKit

let root = FileSystem.join(Fuzz.scratch, "project")
let project: [String: String] = [
    "Handbook/book.md": """
    ---
    title: Fuzzed sites
    numbering-depth: 3
    site-coordinator-contact: "your coordinator"
    site-out-of-hours: "the out-of-hours line"
    site-team-base: "the team base"
    ---

    The preface names {{site.coordinator-contact}}.
    """,
    "Handbook/01-site.md": """
    ---
    id: site-work
    ---

    # Working at a site

    Peer workers meet {{site.coordinator-contact}} in their first week.

    ## Core practice {#core-practice}

    Core text that no site changes, with a [link](#core-close) and [](#M01).

    ## Local arrangements {#local .adaptable}

    Peer workers are based at {{site.team-base}}.

    ### Local detail {#local-detail}

    Detail of the local arrangements.

    ## Core supervision {#core-supervision}

    Supervision happens every two weeks.

    ### Core records {#core-records}

    Records are kept.

    #### Deep local {#deep-local .adaptable}

    A local point four levels down.

    ##### Deeper {#deeper}

    Five levels down.

    ## Core close {#core-close}

    - one
    - two

    """,
    "Handbook/02-local.md": """
    ---
    id: local-services
    component: adaptable
    ---

    # Local services

    Services near {{site.team-base}}.

    ## Services {#services}

    A list of services.

    """,
    "Curriculum/principles/P1.md": "---\nid: P1\ntitle: Safety\n---\n\nSafety first.\n",
    "Curriculum/competencies/C01.md": "---\nid: C01\ntitle: Sharing\nprinciples: [P1]\n---\n\nSharing.\n",
    "Curriculum/modules/M01.md": "---\nid: M01\ntitle: Induction\ncompetencies: [C01]\nhours: 7\nsessions: 1\n---\n\nA day.\n",
]
for (path, text) in project { Fuzz.write(Array(text.utf8), to: FileSystem.join(root, path)) }
let paths = ProjectPaths(root: root)
var sharedBag = DiagnosticBag()
let (shared, _) = HandbookResolver.resolve(paths, unsafeHTML: false, bag: &sharedBag)
Fuzz.expect(!sharedBag.hasErrors, "the fixed project has errors: \(sharedBag.all.map(\.formatted))")
let chapters = ["Handbook/book.md", "Handbook/01-site.md", "Handbook/02-local.md"].compactMap { paths.source($0) }
let coreIDs = ["site-work", "core-practice", "core-supervision", "core-records", "core-close"]
for id in coreIDs + ["local", "deep-local", "local-services"] { Fuzz.expect(shared.targets[id] != nil, "the fixed project has no \(id)") }

/// Splits the input at NUL bytes: the site file and up to two adaptations.
func parts(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
    Array(bytes.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false).prefix(3))
}

/// Every diagnostic and note in one of `files` points at a line it has and a column on it.
func expectInside(_ diagnostics: [Diagnostic], _ files: [SourceFile]) {
    let byPath = Dictionary(files.map { ($0.displayPath, $0) }, uniquingKeysWith: { a, _ in a })
    for d in diagnostics {
        for at in [d.location] + d.notes.map(\.location) {
            guard let at, let file = byPath[at.file] else { continue }
            let width = file.line(at.line).unicodeScalars.count
            Fuzz.expect(at.line >= 1 && at.line <= max(file.lineCount, 1) && at.column >= 1 && at.column <= width + 1,
                        "\(d.formatted) points outside \(at.file) (\(file.lineCount) lines, line \(at.line) has \(width) columns)")
        }
    }
}

/// The HTML of each top-level block of every chapter that is core: not in an adaptable chapter
/// and not under an adaptable heading. (What an adaptation brings in lands under the heading
/// it adapts, so it is never core: a block that escaped would show here.)
func coreBlocks(_ h: Handbook, _ trees: [Int: UnitTree]) -> [String] {
    var out: [String] = []
    for (chapter, unit) in h.chapterUnits.enumerated() where !h.adaptableChapters.contains(chapter) {
        guard let tree = trees[unit] else { Fuzz.expect(false, "no tree for chapter \(chapter)"); continue }
        let marks = h.units[unit].headings.map(\.adaptable)
        Fuzz.expect(marks.count == tree.headings.count, "the walk's headings and the tree's differ")
        let adaptable = Dictionary(zip(tree.headings, marks).map { ($0, $1) }, uniquingKeysWith: { a, _ in a })
        var open: [(level: Int, adaptable: Bool)] = []
        for block in tree.document.rootNode.children {
            if block.kind == .heading {
                while let last = open.last, last.level >= block.headingLevel { open.removeLast() }
                open.append((block.headingLevel, adaptable[block] ?? false))
            }
            guard !open.contains(where: \.adaptable) else { continue }
            out.append(block.renderHTML())
        }
    }
    return out
}

/// Pages must never hold a script from a site file (the fixed project has none).
func expectNoScript(_ html: String, _ what: String) {
    Fuzz.expect(!html.lowercased().contains("<script"), "\(what) holds a script")
}

Fuzz.run { bytes in
    // Filling placeholders: text without one is unchanged, and so is text whose placeholders
    // are filled with themselves; each unknown one is where it was found.
    let text = String(decoding: bytes, as: UTF8.self)
    let (filled, unknown) = SiteValues.filling(text, with: ["team-base": "a base"])
    if !text.contains("{{site.") { Fuzz.expect(filled == text && unknown.isEmpty, "filling changed text without a placeholder") }
    for (name, offset) in unknown {
        Fuzz.expect(offset >= 0 && offset <= text.count && text.dropFirst(offset).hasPrefix("{{site.\(name)}}"),
                    "unknown placeholder '\(name)' is not at character \(offset)")
    }
    let names = SiteValues.filling(text, with: [:]).unknown.map(\.name)
    let itself = Dictionary(names.map { ($0, "{{site.\($0)}}") }, uniquingKeysWith: { a, _ in a })
    Fuzz.expect(SiteValues.filling(text, with: itself).text == text, "filling placeholders with themselves changed the text")

    // The site and its adaptations, read by the loader's parsers.
    var bag = DiagnosticBag(), scratchBag = DiagnosticBag()
    let pieces = parts(bytes)
    let siteFile = SourceFile(displayPath: paths.display("Handbook/sites/fuzz.md"), bytes: pieces[0])
    var site = SiteSet.parseSite(siteFile, id: "fuzz", declared: shared.book.siteValues, into: &bag)
    // A site read without errors has the name and trust it was given, nothing guessed.
    if !bag.hasErrors {
        let written = FrontMatter.parse(siteFile, into: &scratchBag)
        Fuzz.expect(site.name == written["name"]?.value.text && site.trust == written["trust"]?.value.text,
                    "a site read without errors has the name '\(site.name)' and trust '\(site.trust)', not as written")
    }
    var files = chapters + [siteFile]
    for (i, piece) in pieces.dropFirst().enumerated() {
        let relative = "Handbook/sites/fuzz/\(i + 1).md"
        let file = SourceFile(displayPath: paths.display(relative), bytes: piece)
        files.append(file)
        var one = DiagnosticBag()
        if let adaptation = SiteSet.parseAdaptation(file, site: "fuzz", relativePath: relative, into: &one) {
            // An adaptation read without errors has its whole record.
            Fuzz.expect(one.hasErrors || !(adaptation.decidedBy.isEmpty || adaptation.date.isEmpty || adaptation.reason.isEmpty),
                        "an adaptation read without errors has an incomplete record")
            site.adaptations.append(adaptation)
        }
        bag.add(contentsOf: one.all)
    }
    let plans = SiteEditions.plan(SiteSet(sites: [site]), shared: shared, into: &bag)
    Fuzz.expect(plans.count == 1, "one site gave \(plans.count) plans")
    guard let plan = plans.first else { return }
    Fuzz.expect(plan.adapted.count <= site.adaptations.count, "more adapted items than adaptations")

    // The edition, and the same values without adaptations.
    var editionBag = DiagnosticBag()
    let (edition, trees) = HandbookResolver.resolve(paths, unsafeHTML: false, bag: &editionBag, edition: plan)
    var plainBag = DiagnosticBag()
    let (plain, plainTrees) = HandbookResolver.resolve(paths, unsafeHTML: false, bag: &plainBag, edition: EditionPlan(site: plan.site, values: plan.values))
    expectInside(bag.all + editionBag.all + plainBag.all, files)
    for id in coreIDs {
        Fuzz.expect(edition.targets[id]?.text == shared.targets[id]?.text,
                    "core '\(id)' is '\(edition.targets[id]?.text ?? "missing")' in the edition, '\(shared.targets[id]?.text ?? "")' shared")
    }
    let core = coreBlocks(edition, trees), plainCore = coreBlocks(plain, plainTrees)
    Fuzz.expect(core == plainCore, "the edition's core content differs: \(core.count) blocks, \(plainCore.count) without adaptations")

    // What the edition shows: its chapters, its adaptations page, and the report.
    let context = LinkContext(page: "01-site.html", singlePage: false)
    for unit in edition.chapterUnits {
        expectNoScript(UnitRenderer(edition.context(of: unit), tree: trees[unit], images: [:], unsafeHTML: false).render(context), "a chapter")
    }
    expectNoScript(SiteEditionPages.content(plan, handbook: edition, context: context, level: 1), "the adaptations page")
    expectNoScript(SiteEditionPages.titleLines(plan, context: context), "the title page")
    for format in EditionsReport.Format.allCases {
        let report = EditionsReport.render(plans, format: format, title: "Fuzzed sites")
        if format == .html { expectNoScript(report, "the report") }
        if format == .csv {
            let rows = try? CSV.parse(Array(report.utf8)).get()
            Fuzz.expect(rows?.count == plan.adapted.count + 1, "the report's CSV does not read back as \(plan.adapted.count + 1) rows")
        }
    }
}
