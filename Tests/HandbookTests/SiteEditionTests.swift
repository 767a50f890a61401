import CurriculumKit
import Foundation
import HandbookBuild
import HandbookKit
import KitbagCore
import Testing
import KitbagTestSupport

/// Site editions (SPEC section 7): sites and their recorded adaptations, site values, and
/// each edition resolved and checked on its own.
@Suite struct SiteEditionCheckTests {
    /// The sample with one more file written into it.
    static func sample(with files: [String: String]) -> String {
        let dir = Support.sampleProject()
        for (path, text) in files { Support.write(text, to: dir + "/" + path) }
        return dir
    }

    static func record(_ target: String, fidelity: String = "consistent") -> String {
        "---\n\(target)\ndecided-by: Rye steering group\ndate: 2026-04-01\nreason: a test\nfidelity: \(fidelity)\n---\n"
    }

    static let rye = """
    ---
    name: Rye
    trust: Weald and Coast Care NHS Trust
    coordinator-contact: the Rye coordinator
    out-of-hours: the Rye duty line
    team-base: the Rye office
    ---

    """

    @Test func theSampleChecksSilentlyWithItsSites() {
        let dir = Support.sampleProject()
        let run = Support.kitbag(["check", "--strict"], in: dir)
        #expect(run.status == 0)
        #expect(run.err == "")
    }

    @Test func replacingACoreSectionIsAnErrorNamingTheCoreItem() {
        let dir = Self.sample(with: ["Handbook/sites/brighton/risk.md": Self.record("replaces: risk-safety") + "\nOur own risk rules.\n"])
        let run = Support.kitbag(["check"], in: dir)
        #expect(run.status == 1)
        #expect(run.err.contains("Handbook/sites/brighton/risk.md:2:11: error: 'risk-safety' (11.4 Risk, safety and handover) is core content: replacing it at a site is not allowed [core-content-changed]"))
        #expect(run.err.contains("Handbook/11-supervision-and-support.md:19:1: note: the core section is here; if sites may adapt it, mark it with '{#risk-safety .adaptable}' on its heading"))
        // Leaving core content out is refused the same way.
        let removal = Self.sample(with: ["Handbook/sites/brighton/risk.md": Self.record("replaces: risk-safety")])
        #expect(Support.kitbag(["check"], in: removal).err.contains("is core content: leaving it out at a site is not allowed [core-content-changed]"))
    }

    @Test func anAdaptationWithoutItsRecordIsAnError() {
        let dir = Self.sample(with: ["Handbook/sites/brighton/bare.md": "---\nadds-to: local-induction\ndecided-by: Sam\n---\n\n## Extra {#extra}\n\nText.\n"])
        let run = Support.kitbag(["check"], in: dir)
        #expect(run.status == 1)
        #expect(run.err.contains("Handbook/sites/brighton/bare.md:2:1: error: an adaptation needs its record; this one has no 'date', 'reason', 'fidelity' [adaptation-record-missing]"))
    }

    @Test func aLocalModuleNeedsAnIDOfItsOwnInTheOneNamespace() {
        let missing = Self.sample(with: ["Handbook/sites/brighton/walk.md": Self.record("stands-in-for: M09") + "\nA walk.\n"])
        let run = Support.kitbag(["check"], in: missing)
        #expect(run.status == 1)
        #expect(run.err.contains("Handbook/sites/brighton/walk.md:2:16: error: a local module needs the key 'id': the ID a cohort training with the brighton edition records against [missing-key]"), "\(run.err)")
        // An ID the handbook or curriculum already has is a duplicate.
        let taken = Self.sample(with: ["Handbook/sites/brighton/walk.md": Self.record("stands-in-for: M09\nid: M03") + "\nA walk.\n"])
        let clash = Support.kitbag(["check"], in: taken)
        #expect(clash.status == 1)
        #expect(clash.err.contains("Handbook/sites/brighton/walk.md:3:5: error: duplicate ID 'M03': the handbook already has a module 'M03' [duplicate-id]"), "\(clash.err)")
        // And so is one that another site's local module has.
        let twice = Self.sample(with: ["Handbook/sites/hastings/walk.md": Self.record("stands-in-for: M09\nid: BH-M08") + "\nA walk.\n"])
        #expect(Support.kitbag(["check"], in: twice).err.contains("error: duplicate ID 'BH-M08': the local module of brighton already has it [duplicate-id]"))
    }

    @Test func anUnknownSiteValueIsAnErrorWithADidYouMean() {
        let dir = Support.sampleProject()
        let chapter = dir + "/Handbook/12-pairing.md"
        Support.write(Support.read(chapter) + "\nCall {{site.coordinator-contakt}} first.\n", to: chapter)
        let run = Support.kitbag(["check"], in: dir)
        #expect(run.status == 1)
        let line = Support.read(chapter).split(separator: "\n", omittingEmptySubsequences: false).count - 1
        #expect(run.err.contains("Handbook/12-pairing.md:\(line):6: error: unknown site value 'coordinator-contakt' [unknown-site-value]"))
        #expect(run.err.contains("did you mean '{{site.coordinator-contact}}'?"))
    }

    @Test func aSiteMissingADeclaredValueOrGivingAnUndeclaredOneIsAnError() {
        let text = Self.rye.replacingOccurrences(of: "team-base: the Rye office\n", with: "team-bass: the Rye office\n")
        let dir = Self.sample(with: ["Handbook/sites/rye.md": text])
        let run = Support.kitbag(["check"], in: dir)
        #expect(run.status == 1)
        #expect(run.err.contains("Handbook/sites/rye.md:6:1: error: site value 'team-bass' is not declared in Handbook/book.md [unknown-site-value]"))
        #expect(run.err.contains("did you mean 'team-base'?"))
        #expect(run.err.contains("Handbook/sites/rye.md:1:1: error: site 'rye' has no value for 'team-base', which book.md declares [missing-site-value]"))
    }

    /// The sample with a site 'rye' that leaves out the local resources section, and chapter
    /// 12 referring to that section; returns the project and chapter 12's path.
    @Test func anUnknownAdaptationTargetIsAnErrorWithADidYouMean() {
        let dir = SiteEditionBuildTests.sampleWithNamespacedSections(adapting: ["local-inducton", "main"])
        let run = Support.kitbag(["check"], in: dir)
        #expect(run.status == 1)
        #expect(run.err.contains("Handbook/sites/rye/local-inducton.md:2:11: error: no section or chapter 'local-inducton' to adapt [unknown-adaptation-target]"), "\(run.err)")
        #expect(run.err.contains("note: did you mean 'local-induction'?"))
        // The page shell's `main` is no section: the section called "Main" is `main-2`.
        #expect(run.err.contains("Handbook/sites/rye/main.md:2:11: error: no section or chapter 'main' to adapt [unknown-adaptation-target]"), "\(run.err)")
        #expect(run.err.contains("note: did you mean 'main-2'?"))
    }

    @Test func anAdaptationOfAHeadingInsideAQuoteIsAnError() {
        let dir = SiteEditionBuildTests.sampleWithNamespacedSections(adapting: ["quoted"])
        let chapter = dir + "/Handbook/09-induction.md"
        Support.write(Support.read(chapter) + "\n> ## Quoted {.adaptable}\n>\n> Quoted text.\n", to: chapter)
        let line = Support.read(chapter).split(separator: "\n", omittingEmptySubsequences: false).count - 3
        let run = Support.kitbag(["check"], in: dir)
        #expect(run.status == 1)
        #expect(run.err.contains("Handbook/sites/rye/quoted.md:2:11: error: 'quoted' is not a section of its own in Handbook/09-induction.md (its heading is inside a list or a quote, or in a section this site replaces): it cannot be adapted [adaptation-target-not-found]"), "\(run.err)")
        #expect(run.err.contains("Handbook/09-induction.md:\(line):1: note: the heading is here"), "\(run.err)")
    }

    static func sampleReferringToWhatRyeLeavesOut() -> (String, String) {
        let dir = sample(with: [
            "Handbook/sites/rye.md": rye,
            "Handbook/sites/rye/no-pack.md": record("replaces: local-resources"),
        ])
        let chapter = dir + "/Handbook/12-pairing.md"
        Support.write(Support.read(chapter) + "\nSee [](#local-resources).\n", to: chapter)
        return (dir, chapter)
    }

    @Test func aReferenceToContentASiteLeftOutIsAnErrorInThatEditionOnly() {
        let (dir, chapter) = Self.sampleReferringToWhatRyeLeavesOut()
        let line = Support.read(chapter).split(separator: "\n", omittingEmptySubsequences: false).count - 1
        let run = Support.kitbag(["check"], in: dir)
        #expect(run.status == 1)
        #expect(run.err.contains("Handbook/12-pairing.md:\(line):5: error: no ID 'local-resources' in the handbook or curriculum [unresolved-reference]"))
        #expect(run.err.contains("note: in the rye edition (Handbook/sites/rye.md)"))
        // Only the one edition: the shared build is fine.
        let out = Support.temporaryFolder() + "/site"
        #expect(Support.kitbag(["build", "--out", out], in: dir).status == 0)
    }

    @Test func theReportListsEveryAdaptationInconsistentFirst() throws {
        let dir = Support.sampleProject()
        let run = Support.kitbag(["editions", "report", "--format", "csv"], in: dir)
        #expect(run.status == 0)
        let lines = run.out.split(separator: "\n").map(String.init)
        let files = ["brighton", "hastings"].flatMap { site in
            Support.files(under: dir + "/Handbook/sites/" + site).map { "Handbook/sites/\(site)/\($0)" }
        }
        #expect(files.count >= 6)
        #expect(lines.count == files.count + 1)
        for file in files { #expect(lines.contains { $0.contains(file) }, "\(file)") }
        #expect(lines[1].hasPrefix("hastings,Handbook/sites/hastings/team-base.md,inconsistent,replaces,11.7 Team base"))
        let html = Support.kitbag(["editions", "report", "--format", "html"], in: dir)
        #expect(html.out.contains("<caption>Every recorded adaptation</caption>"))
    }
}

/// `kitbag build --site` and `--all-sites` on the sample and on small variations of it.
@Suite struct SiteEditionBuildTests {
    static func section(_ id: String, in page: String) -> (number: String, text: String)? {
        guard let start = page.range(of: "<h2 id=\"\(id)\"><span class=\"number\">") else { return nil }
        let rest = page[start.upperBound...]
        guard let end = rest.range(of: "</span>") else { return nil }
        let after = rest[end.upperBound...]
        let paragraph = after.range(of: "<p>").map { String(after[$0.upperBound...].prefix(80)) } ?? ""
        return (String(rest[..<end.lowerBound]), paragraph)
    }

    @Test func allSitesWritesEveryEditionWithLocalTextUnderTheSameNumbers() {
        let dir = Support.sampleProject()
        let out = Support.temporaryFolder() + "/out"
        let run = Support.kitbag(["build", "--all-sites", "--out", out], in: dir)
        #expect(run.status == 0, "\(run.err)")
        let page = "/11-supervision-and-support.html"
        let shared = Self.section("team-base", in: Support.read(out + page))
        let brighton = Self.section("team-base", in: Support.read(out + "/sites/brighton" + page))
        let hastings = Self.section("team-base", in: Support.read(out + "/sites/hastings" + page))
        #expect(shared?.number == "11.7" && brighton?.number == "11.7" && hastings?.number == "11.7")
        #expect(shared?.text.hasPrefix("Peer workers need somewhere to return to") == true)
        #expect(brighton?.text.hasPrefix("Brighton's peer workers are based in their own room") == true)
        #expect(hastings?.text.hasPrefix("Hastings peer workers have shared desks") == true)
        // Site values: the neutral text in the shared edition, each site's own in its edition.
        #expect(Support.read(out + "/09-induction.html").contains("covering the team base your coordinator arranges,"))
        #expect(Support.read(out + "/sites/brighton/09-induction.html").contains("covering the peer team room at Preston Park Resource Centre,"))
        // Added content comes as a subsection at the end of the adapted section.
        #expect(Support.read(out + "/sites/hastings/09-induction.html").contains("<h3 id=\"hastings-contacts\"><span class=\"number\">9.2.1</span>"))
        #expect(Self.section("meeting-teams", in: Support.read(out + "/sites/hastings/09-induction.html"))?.number == "9.3")
        // The title page names the site and links its adaptations.
        let index = Support.read(out + "/sites/brighton/index.html")
        #expect(index.contains("Brighton and Hove edition<br>Harbourside Mental Health NHS Trust"))
        #expect(index.contains("<a href=\"adaptations.html\">Adaptations at this site</a> (4)"))
        #expect(Support.read(out + "/sites/brighton/adaptations.html").contains("Decided by</dt><dd>Brighton steering group"))
        #expect(!Support.read(out + "/index.html").contains("Adaptations at this site"))
        // A shared build never deletes the site editions.
        #expect(Support.kitbag(["build", "--out", out], in: dir).status == 0)
        #expect(FileManager.default.fileExists(atPath: out + "/sites/hastings/index.html"))
    }

    @Test func aSectionASiteLeavesOutKeepsTheNumbersAfterIt() {
        let dir = SiteEditionCheckTests.sample(with: [
            "Handbook/sites/rye.md": SiteEditionCheckTests.rye,
            "Handbook/sites/rye/no-induction.md": SiteEditionCheckTests.record("replaces: local-induction"),
        ])
        let out = Support.temporaryFolder() + "/out"
        let run = Support.kitbag(["build", "--site", "rye", "--out", out], in: dir)
        #expect(run.status == 0, "\(run.err)")
        let page = Support.read(out + "/sites/rye/09-induction.html")
        #expect(Self.section("local-induction", in: page) == nil)
        #expect(Self.section("meeting-teams", in: page)?.number == "9.3")
        #expect(!FileManager.default.fileExists(atPath: out + "/index.html"), "--site writes only that edition")
    }

    /// Induction with three adaptable sections whose IDs only the one namespace gives right:
    /// "Risk" takes `risk-2` (an explicit `{#risk}` comes later), "Main" takes `main-2` (the
    /// page shell has `main`).
    static func sampleWithNamespacedSections(adapting targets: [String]) -> String {
        let dir = SiteEditionCheckTests.sample(with: ["Handbook/sites/rye.md": SiteEditionCheckTests.rye])
        let chapter = dir + "/Handbook/09-induction.md"
        Support.write(Support.read(chapter) + """

            ## Risk {.adaptable}

            Shared risk text.

            ## Main {.adaptable}

            Shared main text.

            ## Local risks {#risk .adaptable}

            Shared local risk text.

            """, to: chapter)
        for target in targets {
            Support.write(SiteEditionCheckTests.record("replaces: \(target)") + "\nRye text for \(target).\n", to: dir + "/Handbook/sites/rye/\(target).md")
        }
        return dir
    }

    @Test func anAdaptationFindsItsSectionByTheHandbooksID() {
        let dir = Self.sampleWithNamespacedSections(adapting: ["risk-2", "main-2", "risk"])
        let out = Support.temporaryFolder() + "/out"
        let run = Support.kitbag(["build", "--site", "rye", "--out", out], in: dir)
        #expect(run.status == 0, "\(run.err)")
        let page = Support.read(out + "/sites/rye/09-induction.html")
        #expect(Self.section("risk-2", in: page)?.number == "9.5")
        #expect(Self.section("risk-2", in: page)?.text.hasPrefix("Rye text for risk-2.") == true)
        #expect(Self.section("main-2", in: page)?.text.hasPrefix("Rye text for main-2.") == true)
        #expect(Self.section("risk", in: page)?.number == "9.7")
        #expect(Self.section("risk", in: page)?.text.hasPrefix("Rye text for risk.") == true)
        #expect(!page.contains("Shared"))
    }

    @Test func anAdaptationMovedToAnotherSectionOfItsChapterRebuildsAsACleanBuild() {
        // Only the front matter changes (`replaces:`): the chapter's walk must not come from the cache.
        let dir = Self.sampleWithNamespacedSections(adapting: [])
        let file = dir + "/Handbook/sites/rye/local.md"
        let out = Support.temporaryFolder() + "/out"
        for target in ["replaces: risk", "replaces: main-2", "adds-to: main-2"] {
            Support.write(SiteEditionCheckTests.record(target) + "\n### Rye text\n", to: file)
            #expect(Support.kitbag(["build", "--site", "rye", "--out", out], in: dir).status == 0)
            let clean = Support.temporaryFolder() + "/clean"
            #expect(Support.kitbag(["build", "--site", "rye", "--out", clean], in: dir).status == 0)
            let (built, fresh) = (Support.tree(out + "/sites/rye"), Support.tree(clean + "/sites/rye"))
            #expect(built.keys.sorted() == fresh.keys.sorted())
            #expect(built.filter { fresh[$0.key] != $0.value }.keys.sorted() == [], "after \(target)")
        }
        #expect(Support.read(out + "/sites/rye/09-induction.html").contains("Shared main text."))
    }

    @Test func anUnknownSiteIsAUsageError() {
        let dir = Support.sampleProject()
        let run = Support.kitbag(["build", "--site", "brigton", "--out", Support.temporaryFolder()], in: dir)
        #expect(run.status == 2)
        #expect(run.err.contains("no site 'brigton'; did you mean 'brighton'?"))
    }

    @Test func anEditionWithAnErrorWritesNothing() {
        let (dir, chapter) = SiteEditionCheckTests.sampleReferringToWhatRyeLeavesOut()
        let out = Support.temporaryFolder() + "/out"
        let run = Support.kitbag(["build", "--all-sites", "--out", out], in: dir)
        #expect(run.status == 1)
        #expect(run.err.contains("[unresolved-reference]"))
        #expect(Support.files(under: out).isEmpty)
    }
}

/// `kitbag build --since REV` against a small git repository made in a temporary folder.
@Suite struct ChangesSinceTests {
    static func git(_ arguments: [String], in dir: String) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", dir, "-c", "user.email=test@example.org", "-c", "user.name=Test"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test func exactlyTheChangedSectionsAreMarked() {
        let dir = Support.sampleProject()
        #expect(Self.git(["init", "-q"], in: dir) == 0, "git is needed for --since: apt-get install git")
        #expect(Self.git(["add", "-A"], in: dir) == 0)
        #expect(Self.git(["commit", "-q", "-m", "edition 1", "--no-gpg-sign"], in: dir) == 0)
        #expect(Self.git(["tag", "edition-1"], in: dir) == 0)
        let supervision = dir + "/Handbook/11-supervision-and-support.md"
        Support.write(Support.read(supervision).replacingOccurrences(of: "Peer workers need somewhere to return to", with: "Peer workers always need somewhere to return to"), to: supervision)
        let pairing = dir + "/Handbook/12-pairing.md"
        Support.write(Support.read(pairing) + "\n## Pairing across sites {#pairing-across-sites}\n\nA new section about [](#P2) and [](#P4).\n", to: pairing)
        let community = dir + "/Handbook/14-delivery-in-the-community.md"
        let text = Support.read(community)
        if let start = text.range(of: "## Readmission during support"), let end = text.range(of: "## Local resource pack") {
            Support.write(String(text[..<start.lowerBound] + text[end.lowerBound...]), to: community)
        }
        let out = Support.temporaryFolder() + "/out"
        let run = Support.kitbag(["build", "--since", "edition-1", "--out", out], in: dir)
        #expect(run.status == 0, "\(run.err)")
        var marks: [String] = []
        for file in Support.files(under: out) where file.hasSuffix(".html") && file != "handbook.html" {
            let page = Support.read(out + "/" + file)
            var rest = Substring(page)
            while let r = rest.range(of: "<p class=\"changed-since\">") {
                // The heading just before the mark.
                let before = page[..<r.lowerBound]
                if let h = before.range(of: "<h2 id=\"", options: .backwards) {
                    marks.append(String(before[h.upperBound...].prefix { $0 != "\"" }))
                }
                rest = rest[r.upperBound...]
            }
        }
        #expect(marks.sorted() == ["pairing-across-sites", "team-base"])
        let changed = Support.read(out + "/what-changed.html")
        #expect(changed.contains("<tr><td class=\"change-kind\">Changed</td><td><a href=\"11-supervision-and-support.html#team-base\">11.7 Team base</a></td>"), "\(changed)")
        #expect(changed.contains("<td class=\"change-kind\">Removed</td><td>Readmission during support</td>"))
        // A section serving two principles is listed once, under the first, naming both.
        let added = "<tr><td class=\"change-kind\">Added</td><td><a href=\"12-pairing.html#pairing-across-sites\">12.4 Pairing across sites</a></td><td>Principle 2: Mutuality and reciprocity<br>Principle 4: Leadership, choice and control</td></tr>"
        #expect(changed.components(separatedBy: "12.4 Pairing across sites").count == 2)
        if let group = changed.range(of: "<th scope=\"rowgroup\" colspan=\"3\">Principle 2: Mutuality and reciprocity</th></tr>\n") {
            #expect(changed[group.upperBound...].hasPrefix(added), "\(changed)")
        } else {
            Issue.record("no P2 group: \(changed)")
        }
        #expect(changed.contains("Principle 2: Mutuality and reciprocity: 2 sections; Principle 4: Leadership, choice and control: 3 sections"), "\(changed)")
        #expect(Support.read(out + "/handbook.html").contains("<p class=\"changed-since\">Changed since edition-1</p>"))
    }

    @Test func sectionsAreNamedAsTheHandbookNamesThem() {
        // A section called "Main" is `main-2` in the handbook (the page uses `main`): the mark
        // and the "What changed" link go to it, on both sides of the comparison.
        let dir = Support.sampleProject()
        let pairing = dir + "/Handbook/12-pairing.md"
        Support.write(Support.read(pairing) + "\n## Main\n\nThe old words.\n", to: pairing)
        #expect(Self.git(["init", "-q"], in: dir) == 0, "git is needed for --since: apt-get install git")
        #expect(Self.git(["add", "-A"], in: dir) == 0)
        #expect(Self.git(["commit", "-q", "-m", "edition 1", "--no-gpg-sign"], in: dir) == 0)
        Support.write(Support.read(pairing).replacingOccurrences(of: "The old words.", with: "The new words."), to: pairing)
        let out = Support.temporaryFolder() + "/out"
        let run = Support.kitbag(["build", "--since", "HEAD", "--out", out], in: dir)
        #expect(run.status == 0, "\(run.err)")
        let page = Support.read(out + "/12-pairing.html")
        #expect(page.contains("<h2 id=\"main-2\">") && page.contains("<p class=\"changed-since\">"))
        let changed = Support.read(out + "/what-changed.html")
        #expect(changed.contains("<tr><td class=\"change-kind\">Changed</td><td><a href=\"12-pairing.html#main-2\">"), "\(changed)")
        #expect(!changed.contains(">Added<") && !changed.contains(">Removed<"))
    }

    @Test func aFolderThatIsNotAGitRepositoryIsAClearError() {
        let dir = Support.sampleProject()
        let run = Support.kitbag(["build", "--since", "HEAD", "--out", Support.temporaryFolder() + "/out"], in: dir)
        #expect(run.status == 1)
        #expect(run.err.contains("--since needs the project in a git repository"))
    }
}

/// `--all-sites` shares the work editions have in common (`EditionBuild`): each unit parsed
/// once, and every page a site does not change taken from the shared edition's rendering,
/// with bytes equal to the site's edition built on its own.
@Suite struct EditionSharingTests {
    /// The chapter files a site changes: those its adaptations adapt and those naming a site value.
    static func chaptersChanged(by site: String, in dir: String) -> Set<String> {
        let chapters = Support.files(under: dir + "/Handbook").filter { $0.first?.isNumber == true && $0.hasSuffix(".md") && !$0.contains("/") }
        var changed = Set(chapters.filter { Support.read(dir + "/Handbook/" + $0).contains("{{site.") })
        for file in Support.files(under: dir + "/Handbook/sites/" + site) {
            let text = Support.read(dir + "/Handbook/sites/\(site)/" + file)
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("replaces: ") || $0.hasPrefix("adds-to: ") }) else { continue }
            let id = line.split(separator: " ").last.map(String.init) ?? ""
            changed.formUnion(chapters.filter { Support.read(dir + "/Handbook/" + $0).contains("{#\(id)") })
        }
        return changed
    }

    @Test func eachUnitIsParsedOnceAndUnchangedPagesAreTakenFromTheSharedEdition() throws {
        let dir = Support.sampleProject()
        let out = Support.temporaryFolder() + "/out"
        let outcome = EditionBuild.run(ProjectPaths(root: dir), options: HandbookCompiler.Options(outDirectory: out), site: nil, strict: true)
        #expect(!outcome.failed && outcome.diagnostics.isEmpty, "\(outcome.diagnostics)")
        #expect(outcome.editions.map { $0.site ?? "shared" } == ["shared", "brighton", "hastings"])
        let shared = try #require(outcome.editions.first?.result)
        let chapters = Support.files(under: dir + "/Handbook").filter { $0.first?.isNumber == true && !$0.contains("/") }.count
        #expect(shared.parsedUnits > chapters)
        #expect(shared.sharedPages == 0)
        for edition in outcome.editions.dropFirst() {
            let site = try #require(edition.site)
            let changed = Self.chaptersChanged(by: site, in: dir)
            #expect(!changed.isEmpty)
            // Only the chapters the site changes are parsed for it; every other unit's walk is the shared edition's.
            #expect(edition.result.parsedUnits == changed.count, "\(site)")
            // Each chapter it does not change gives its page, its one-page part and its search entries.
            #expect(edition.result.sharedPages >= 3 * (chapters - changed.count), "\(site)")
        }
        // The same bytes as each site's edition built on its own (which takes nothing from the shared edition).
        let alone = Support.temporaryFolder() + "/alone"
        for site in ["brighton", "hastings"] {
            let run = EditionBuild.run(ProjectPaths(root: dir), options: HandbookCompiler.Options(outDirectory: alone), site: site, strict: true)
            #expect(run.editions.first?.result.sharedPages == 0)
            let files = Support.files(under: out + "/sites/" + site)
            #expect(files == Support.files(under: alone + "/sites/" + site))
            for file in files {
                #expect(FileManager.default.contents(atPath: out + "/sites/\(site)/" + file) == FileManager.default.contents(atPath: alone + "/sites/\(site)/" + file), "\(site)/\(file)")
            }
        }
    }

    @Test func checkParsesEachUnitOnceAndWritesNothing() throws {
        let dir = Support.sampleProject()
        let paths = ProjectPaths(root: dir)
        let checked = EditionCheck.run(paths, options: HandbookCompiler.Options(), curriculum: CurriculumLoader.load(paths))
        #expect(checked.shared.isEmpty && checked.editions.isEmpty, "\(checked.shared + checked.editions)")
        // As `build --all-sites`: a site parses only the chapters it changes.
        #expect(checked.parsedUnits.dropFirst() == [Self.chaptersChanged(by: "brighton", in: dir).count, Self.chaptersChanged(by: "hastings", in: dir).count])
        #expect(try #require(checked.parsedUnits.first) > 15)
        #expect(Support.kitbag(["check", "--strict"], in: dir).status == 0)
        #expect(!FileManager.default.fileExists(atPath: dir + "/.build-kitbag") && !FileManager.default.fileExists(atPath: dir + "/_site"))
    }

    @Test func anUnchangedRebuildOfEveryEditionDoesNothingAndAnEditRebuildsOnlyWhatItChanges() throws {
        let dir = Support.sampleProject()
        let out = Support.temporaryFolder() + "/out"
        let paths = ProjectPaths(root: dir)
        let options = HandbookCompiler.Options(outDirectory: out)
        #expect(!EditionBuild.run(paths, options: options, site: nil, strict: true).failed)
        let again = EditionBuild.run(paths, options: options, site: nil, strict: true)
        #expect(again.editions.count == 3)
        #expect(again.editions.allSatisfy { $0.result.upToDate && $0.result.written.isEmpty && $0.result.parsedUnits == 0 })
        // Brighton's team base changes: its chapter page and the spliced files are written again there, and nothing elsewhere.
        let teamBase = dir + "/Handbook/sites/brighton/team-base.md"
        Support.write(Support.read(teamBase).replacingOccurrences(of: "four desks", with: "five desks"), to: teamBase)
        let edited = EditionBuild.run(paths, options: options, site: nil, strict: true)
        let written = Dictionary(uniqueKeysWithValues: edited.editions.map { ($0.site ?? "shared", Set($0.result.written)) })
        #expect(written["shared"] == [])
        #expect(written["hastings"] == [])
        #expect(written["brighton"] == ["11-supervision-and-support.html", "handbook.html", "search-index.js"])
        // Never stale: the same as a clean build of every edition.
        let clean = Support.temporaryFolder() + "/clean"
        #expect(!EditionBuild.run(paths, options: HandbookCompiler.Options(outDirectory: clean), site: nil, strict: true).failed)
        let files = Support.files(under: out)
        #expect(files == Support.files(under: clean))
        for file in files { #expect(FileManager.default.contents(atPath: out + "/" + file) == FileManager.default.contents(atPath: clean + "/" + file), "\(file)") }
    }
}
