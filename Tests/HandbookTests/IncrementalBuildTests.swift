import Foundation
import Testing
import KitbagTestSupport

/// Incremental builds are never stale: after any edit, the output equals a clean build's byte
/// for byte, and files whose bytes did not change are not rewritten.
@Suite struct IncrementalBuildTests {
    static func build(_ project: String, out: String) -> Support.Run {
        Support.kitbag(["build", "--out", out], in: project)
    }

    /// Builds `project` into a fresh folder and returns its files.
    static func cleanBuild(_ project: String) -> [String: [UInt8]] {
        let out = Support.temporaryFolder() + "/clean"
        let run = build(project, out: out)
        #expect(run.status == 0, "\(run.err)")
        return Support.tree(out)
    }

    static func edit(_ path: String, _ transform: (String) -> String) {
        let before = Support.read(path)
        let after = transform(before)
        #expect(after != before, "the edit changed nothing in \(path)")
        Support.write(after, to: path)
    }

    /// Runs an edit between two builds and checks the incremental result against a clean build.
    /// Returns the files that changed content and the files that were rewritten.
    @discardableResult
    static func checkIncremental(_ project: String, edit: () -> Void) -> (changed: Set<String>, rewritten: Set<String>, run: Support.Run) {
        let site = project + "/_site"
        let first = build(project, out: site)
        #expect(first.status == 0, "\(first.err)")
        let before = Support.tree(site)
        let stampsBefore = Support.stamps(site)
        edit()
        let second = build(project, out: site)
        #expect(second.status == 0, "\(second.err)")
        let after = Support.tree(site)
        let clean = cleanBuild(project)
        #expect(after.keys.sorted() == clean.keys.sorted())
        for (file, bytes) in clean where after[file] != bytes {
            Issue.record("\(file) differs from a clean build after an incremental build")
        }
        let stampsAfter = Support.stamps(site)
        let changed = Set(after.keys.filter { before[$0] != after[$0] })
        let rewritten = Set(stampsAfter.keys.filter { stampsBefore[$0] != stampsAfter[$0] })
        // Pages whose bytes would not change are not rewritten, and every changed page is.
        #expect(rewritten == changed, "rewritten but unchanged: \(rewritten.subtracting(changed).sorted()); changed but not rewritten: \(changed.subtracting(rewritten).sorted())")
        return (changed, rewritten, second)
    }

    @Test func renamedSectionTitleReachesEveryPageThatShowsIt() {
        let project = Support.sampleProject()
        let chapter = project + "/Handbook/11-supervision-and-support.md"
        let (changed, _, _) = Self.checkIncremental(project) {
            Self.edit(chapter) { $0.replacingOccurrences(of: "## Risk, safety and handover {#risk-safety}", with: "## Risk, safety and passing on {#risk-safety}") }
        }
        let site = project + "/_site"
        // No page shows the old title; every page with an empty link to the section (its text
        // is the section's number and title), and the pages listing it, show the new one.
        for file in Support.files(under: site) where file.hasSuffix(".html") {
            #expect(!Support.read(site + "/" + file).contains("Risk, safety and handover"), "\(file) still shows the old title")
        }
        let showing = ["08-accessing-patient-notes.html", "10-preparing-nhs-teams.html", "15-peer-worker-absence.html", "04-peer-worker-role.html",
                       "13-delivery-on-the-ward.html", "curriculum/P1.html", "11-supervision-and-support.html", "index.html", "handbook.html"]
        for page in showing {
            #expect(Support.read(site + "/" + page).contains("Risk, safety and passing on"), "\(page) does not show the new title")
            #expect(changed.contains(page), "\(page) should have been rewritten")
        }
        #expect(Support.read(site + "/13-delivery-on-the-ward.html").contains("11.4 Risk, safety and passing on</a>"))
        // Pages that never show the title were left alone.
        for page in ["02-principles-based-approach.html", "05-coordinator-role.html", "curriculum/M05.html", "kitbag.css", "search.js"] {
            #expect(!changed.contains(page), "\(page) was rewritten")
        }
    }

    @Test func noOpRebuildWritesNothingAndRepeatsTheDiagnostics() {
        let project = Support.sampleProject()
        // A warning, so that the replayed diagnostics can be compared.
        Self.edit(project + "/Handbook/12-pairing.md") { $0 + "\n| a | b |\n|---|---|\n" }
        let site = project + "/_site"
        let first = Self.build(project, out: site)
        #expect(first.status == 0)
        #expect(first.err.contains("[pipe-table]"))
        let stampsBefore = Support.stamps(site)
        let second = Self.build(project, out: site)
        #expect(second.status == 0)
        #expect(second.err.components(separatedBy: "\n").filter { $0.contains("warning") } == first.err.components(separatedBy: "\n").filter { $0.contains("warning") })
        #expect(second.err.contains("kitbag: wrote 0 of"), "\(second.err)")
        #expect(Support.stamps(site) == stampsBefore)
    }

    @Test func bodyEditRewritesOnlyThatChapterAndTheWholeBookPages() {
        let project = Support.sampleProject()
        let (changed, _, _) = Self.checkIncremental(project) {
            Self.edit(project + "/Handbook/09-induction.md") { $0 + "\nOne more sentence about induction, added for this test.\n" }
        }
        #expect(changed == ["09-induction.html", "handbook.html", "search-index.js"])
    }

    @Test func successiveEditsStayEqualToCleanBuilds() {
        let project = Support.sampleProject()
        let edits: [(String, (String) -> String)] = [
            ("Handbook/12-pairing.md", { $0 + "\nFirst edit.\n" }),
            ("Handbook/11-supervision-and-support.md", { $0.replacingOccurrences(of: "## Team base", with: "## Team room") }),
            ("Handbook/12-pairing.md", { $0.replacingOccurrences(of: "\nFirst edit.\n", with: "\nSecond edit, see [](#risk-safety).\n") }),
            ("Handbook/glossary.md", { $0 + "\n## Rota {#term-rota}\n\nThe weekly plan of who works when.\n" }),
        ]
        for (file, transform) in edits {
            Self.checkIncremental(project) { Self.edit(project + "/" + file, transform) }
        }
    }

    @Test func newChapterRenumbersEveryLaterPage() {
        let project = Support.sampleProject()
        Self.checkIncremental(project) {
            // Number 0 sorts first: every chapter after it is renumbered.
            Support.write("# An inserted chapter {#inserted}\n\nIt refers to [](#risk-safety).\n\n## Its only section\n\nText.\n",
                          to: project + "/Handbook/00-inserted.md")
        }
        let site = project + "/_site"
        #expect(Support.read(site + "/11-supervision-and-support.html").contains("Chapter 12"))
    }

    @Test func curriculumEditReachesChaptersThatReferToIt() {
        let project = Support.sampleProject()
        let (changed, _, _) = Self.checkIncremental(project) {
            Self.edit(project + "/Curriculum/competencies/C03.md") { text in
                text.replacingOccurrences(of: "\ntitle: ", with: "\ntitle: Renamed, ", options: [], range: text.range(of: "\ntitle: "))
            }
        }
        #expect(changed.contains("curriculum/C03.html"))
        #expect(changed.contains("11-supervision-and-support.html"))
    }

    @Test func deletedOrEditedOutputIsRestored() {
        let project = Support.sampleProject()
        let site = project + "/_site"
        #expect(Self.build(project, out: site).status == 0)
        try? FileManager.default.removeItem(atPath: site + "/04-peer-worker-role.html")
        Support.write("tampered", to: site + "/glossary.html")
        // The spliced outputs: a changed one-page edition and search index are not copied from.
        Self.edit(site + "/handbook.html") { $0.replacingOccurrences(of: "Supervision and support", with: "Tampered heading") }
        Self.edit(site + "/search-index.js") { $0.replacingOccurrences(of: "Supervision and support", with: "Tampered heading") }
        Self.edit(project + "/Handbook/09-induction.md") { $0 + "\nA sentence added after the outputs were tampered with.\n" }
        #expect(Self.build(project, out: site).status == 0)
        let clean = Self.cleanBuild(project)
        let now = Support.tree(site)
        #expect(now["04-peer-worker-role.html"] == clean["04-peer-worker-role.html"])
        #expect(now["glossary.html"] == clean["glossary.html"])
        #expect(now["handbook.html"] == clean["handbook.html"])
        #expect(now["search-index.js"] == clean["search-index.js"])
    }

    @Test func unreadableCacheIsIgnored() {
        let project = Support.sampleProject()
        let site = project + "/_site"
        #expect(Self.build(project, out: site).status == 0)
        // The cache is one file per output folder; renderings are reused from the outputs themselves.
        Self.edit(project + "/Handbook/09-induction.md") { $0 + "\nA sentence added before the cache is damaged.\n" }
        #expect(Self.build(project, out: site).status == 0)
        let cacheFolder = project + "/.build-kitbag"
        let caches = Support.files(under: cacheFolder)
        #expect(caches.filter { $0.hasSuffix(".cache") }.count == 1)
        #expect(caches.count == 4, "\(caches)")  // core, units, render contexts and the output list
        // Damage every cache file: flip a byte in the middle and cut the end off.
        for name in caches {
            let path = cacheFolder + "/" + name
            var bytes = FileManager.default.contents(atPath: path) ?? Data()
            guard bytes.count > 100 else { continue }
            bytes[bytes.count / 2] ^= 0xff
            FileManager.default.createFile(atPath: path, contents: bytes.prefix(bytes.count - 7))
        }
        Self.edit(project + "/Handbook/11-supervision-and-support.md") { $0.replacingOccurrences(of: "## Team base", with: "## Team room") }
        #expect(Self.build(project, out: site).status == 0)
        #expect(Support.tree(site) == Self.cleanBuild(project))
    }

    @Test func failedBuildWritesNothingAndKeepsTheCache() {
        let project = Support.sampleProject()
        let site = project + "/_site"
        #expect(Self.build(project, out: site).status == 0)
        let before = Support.stamps(site)
        Self.edit(project + "/Handbook/09-induction.md") { $0 + "\nSee [](#no-such-id).\n" }
        let failed = Self.build(project, out: site)
        #expect(failed.status == 1)
        #expect(failed.err.contains("[unresolved-reference]"))
        #expect(Support.stamps(site) == before)
        // Fixing the error brings the site up to date.
        Self.edit(project + "/Handbook/09-induction.md") { $0.replacingOccurrences(of: "\nSee [](#no-such-id).\n", with: "\nSee [](#risk-safety).\n") }
        #expect(Self.build(project, out: site).status == 0)
        #expect(Support.tree(site) == Self.cleanBuild(project))
    }

    @Test func warningsOfUnchangedChaptersAreReportedAgain() {
        let project = Support.sampleProject()
        let site = project + "/_site"
        Self.edit(project + "/Handbook/04-peer-worker-role.md") { "---\norign: stage 1\n" + $0.dropFirst(4) }
        Self.edit(project + "/Handbook/12-pairing.md") { $0 + "\nSome <b>raw</b> HTML.\n" }
        let first = Self.build(project, out: site)
        #expect(first.status == 0)
        #expect(first.err.contains("Handbook/04-peer-worker-role.md:2:1: warning: unknown key 'orign' for a chapter [unknown-key]"))
        #expect(first.err.contains("[raw-html]"))
        // Another chapter changes: the two files above are not read again, but their warnings stay.
        Self.edit(project + "/Handbook/09-induction.md") { $0 + "\nA new closing sentence.\n" }
        let second = Self.build(project, out: site)
        #expect(second.status == 0)
        func diagnostics(_ text: String) -> [Substring] { text.split(separator: "\n").filter { !$0.hasPrefix("kitbag: wrote") } }
        #expect(diagnostics(second.err) == diagnostics(first.err))
        #expect(diagnostics(second.err).count >= 3)
        #expect(Support.tree(site) == Self.cleanBuild(project))
    }

    @Test func contentsFollowTitlesAndTheTitlePageFollowsBookMd() {
        let project = Support.sampleProject()
        let site = project + "/_site"
        #expect(Self.build(project, out: site).status == 0)
        // A section title shown in the table of contents.
        Self.edit(project + "/Handbook/11-supervision-and-support.md") { $0.replacingOccurrences(of: "## Group supervision", with: "## Supervision in groups") }
        #expect(Self.build(project, out: site).status == 0)
        #expect(Support.read(site + "/index.html").contains("11.2 Supervision in groups"))
        #expect(Support.tree(site) == Self.cleanBuild(project))
        // The book's subtitle and authors, shown on the title page only.
        Self.edit(project + "/Handbook/book.md") { $0.replacingOccurrences(of: "subtitle:", with: "subtitle: \"Revised\" #") }
        #expect(Self.build(project, out: site).status == 0)
        #expect(Support.tree(site) == Self.cleanBuild(project))
    }

    @Test func proseOnlyEditsTakeTheFastPathAndStayExact() {
        let project = Support.sampleProject()
        let site = project + "/_site"
        #expect(Self.build(project, out: site).status == 0)
        let before = Support.stamps(site)
        // Prose in a chapter with a table: same headings, links and directives.
        Self.edit(project + "/Handbook/04-peer-worker-role.md") { $0 + "\nOne more sentence of plain prose.\n" }
        let fast = Support.kitbag(["build", "--out", site, "--timings"], in: project)
        #expect(fast.status == 0)
        #expect(fast.err.contains("timing: fast rebuild"), "\(fast.err)")
        #expect(Support.tree(site) == Self.cleanBuild(project))
        let after = Support.stamps(site)
        let rewritten = Set(after.keys.filter { after[$0] != before[$0] })
        #expect(rewritten == ["04-peer-worker-role.html", "handbook.html"], "\(rewritten.sorted())")
        // A second prose edit, then a full build: still exact, and nothing left to write.
        Self.edit(project + "/Handbook/12-pairing.md") { $0.replacingOccurrences(of: "the", with: "the very", options: [], range: $0.range(of: "the")) }
        #expect(Support.kitbag(["build", "--out", site, "--timings"], in: project).err.contains("timing: fast rebuild"))
        #expect(Support.tree(site) == Self.cleanBuild(project))
    }

    @Test func aChangedLinkOrHeadingTakesTheFullPath() {
        let project = Support.sampleProject()
        let site = project + "/_site"
        #expect(Self.build(project, out: site).status == 0)
        Self.edit(project + "/Handbook/12-pairing.md") { $0 + "\nSee also [](#risk-safety).\n" }
        let linked = Support.kitbag(["build", "--out", site, "--timings"], in: project)
        #expect(linked.status == 0)
        #expect(!linked.err.contains("timing: fast rebuild"))
        #expect(Support.tree(site) == Self.cleanBuild(project))
        // The new link is listed under 11.4 on another page: that page changed too.
        #expect(Support.read(site + "/11-supervision-and-support.html").contains("12-pairing.html#"))
        Self.edit(project + "/Handbook/12-pairing.md") { $0 + "\n## A new closing section\n\nText.\n" }
        let headed = Support.kitbag(["build", "--out", site, "--timings"], in: project)
        #expect(!headed.err.contains("timing: fast rebuild"))
        #expect(Support.tree(site) == Self.cleanBuild(project))
    }
}
