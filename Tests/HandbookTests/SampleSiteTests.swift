import Foundation
import Testing
import KitbagTestSupport

/// The repository's sample handbook, built for real into a temporary folder.
@Suite struct SampleSiteTests {
    /// Builds the sample once per test (each test has its own folder).
    static func buildSample() -> (project: String, site: String, run: Support.Run) {
        let project = Support.sampleProject()
        let site = project + "/_site"
        let run = Support.kitbag(["build", "--out", site], in: project)
        return (project, site, run)
    }

    @Test func checkIsSilentOnTheSample() {
        let project = Support.sampleProject()
        let run = Support.kitbag(["check"], in: project)
        #expect(run.err == "")
        #expect(run.status == 0)
    }

    @Test func buildWritesEveryPage() {
        let (_, site, run) = Self.buildSample()
        #expect(run.status == 0)
        let files = Support.files(under: site)
        for required in ["index.html", "glossary.html", "handbook.html", "search.html", "search.js", "search-index.js", "kitbag.css",
                         "13-delivery-on-the-ward.html", "curriculum/P2.html", "curriculum/C03.html", "images/support-timeline.svg"] {
            #expect(files.contains(required), "\(required)")
        }
        #expect(files.filter { $0.range(of: #"^\d+-.*\.html$"#, options: .regularExpression) != nil }.count == 15)
    }

    @Test(arguments: ["11-supervision-and-support.html", "glossary.html", "handbook.html"])
    func outputMatchesGoldenFile(_ page: String) {
        let (_, site, _) = Self.buildSample()
        let actual = Support.read(site + "/" + page)
        #expect(!actual.isEmpty)
        Golden.expectMatch(actual, with: Support.fixtures("golden/\(page)"))
    }

    static func matches(_ pattern: String, in text: String) -> [[String]] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let ns = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { m in
            (0..<m.numberOfRanges).map { ns.substring(with: m.range(at: $0)) }
        }
    }

    @Test func numbersAreTheSameOnChapterPagesAndInTheOnePageEdition() {
        let (_, site, _) = Self.buildSample()
        let onePage = Support.read(site + "/handbook.html")
        let headingPattern = #"<h[1-6] id="([^"]+)"><span class="number">([^<]+)</span>"#
        var onPages: [String: String] = [:]
        for file in Support.files(under: site) where file.range(of: #"^\d+-.*\.html$"#, options: .regularExpression) != nil {
            for m in Self.matches(headingPattern, in: Support.read(site + "/" + file)) { onPages[m[1]] = m[2] }
        }
        var inOnePage: [String: String] = [:]
        for m in Self.matches(headingPattern, in: onePage) { inOnePage[m[1]] = m[2] }
        #expect(onPages.count > 60)
        #expect(onPages == inOnePage)
        #expect(onPages["risk-safety"] == "11.4")
        #expect(onPages["supervision"] == "Chapter 11")
    }

    @Test func onePageEditionLinksStayOnThePage() {
        let (_, site, _) = Self.buildSample()
        let onePage = Support.read(site + "/handbook.html")
        let ids = Set(Self.matches(#" id="([^"]+)""#, in: onePage).map { $0[1] })
        let hrefs = Self.matches(#"<a href="([^"]*)""#, in: onePage).map { $0[1] }
        #expect(hrefs.count > 100)
        for href in hrefs {
            #expect(href.hasPrefix("#"), "\(href) leaves handbook.html")
            #expect(ids.contains(String(href.dropFirst())), "\(href) has no anchor in handbook.html")
        }
    }

    @Test func emptyLinksCarryNumberAndTitle() {
        let (_, site, _) = Self.buildSample()
        let page = Support.read(site + "/14-delivery-in-the-community.html") + Support.read(site + "/01-what-is-enrich.html")
        #expect(page.contains(">11.4 Risk, safety and handover</a>"))
        let all = Support.files(under: site).map { Support.read(site + "/" + $0) }.joined()
        #expect(all.contains(">Principle 2: Mutuality and reciprocity</a>"))
        #expect(all.contains(">C03: Keeping well at work</a>"))
        #expect(all.contains(">Chapter 11: Supervision and support</a>"))
        // Every empty link was filled: no <a ...></a> with nothing inside.
        #expect(Self.matches(#"<a href="[^"]*"></a>"#, in: all).isEmpty)
    }

    @Test func sectionsListWhereTheyAreReferencedFrom() {
        let (_, site, _) = Self.buildSample()
        let page = Support.read(site + "/11-supervision-and-support.html")
        let afterRisk = page.components(separatedBy: #"<h2 id="risk-safety">"#).last ?? ""
        // The list follows the section's text, closed, before the next section.
        #expect(afterRisk.hasPrefix(#"<span class="number">11.4</span> Risk, safety and handover</h2>"# + "\n<p>Peer workers"))
        let section = afterRisk.components(separatedBy: "<h2 ").first ?? ""
        #expect(section.hasSuffix("</a></div></details>\n"))
        #expect(section.contains(#"<details class="backrefs"><summary>Referenced from 8 places</summary>"#))
    }

    @Test func everyPrinciplePageTracesSectionsCompetenciesModulesAndAssessments() {
        let (_, site, _) = Self.buildSample()
        for p in 1...5 {
            let page = Support.read(site + "/curriculum/P\(p).html")
            let trace = page.components(separatedBy: "What serves this principle").last ?? ""
            for label in ["Handbook sections", "Competencies", "Modules", "Assessments", "Fidelity domains", "Fidelity items"] {
                let cell = trace.components(separatedBy: "<dt>\(label)</dt><dd>").dropFirst().first ?? ""
                #expect(cell.hasPrefix("<a href="), "P\(p) lists no \(label)")
            }
        }
        // Fidelity domains and items are IDs in the one namespace: P3 has no domain of its own
        // but is served by D2, and a chapter links to an item with `[](#F03)`.
        #expect(Support.read(site + "/curriculum/P3.html").contains("<dt>Fidelity domains</dt><dd><a href=\"../curriculum/D2.html\">D2: Mutual exchange</a></dd>"))
        #expect(Support.read(site + "/02-principles-based-approach.html").contains("<a class=\"xref\" href=\"curriculum/F03.html\">F03: Could the person say when something in the relationship was not working for them?</a>"))
    }

    @Test func chapterSevenShowsTheProgrammeAndMatrix() {
        let (_, site, _) = Self.buildSample()
        let page = Support.read(site + "/07-training-programme.html")
        #expect(page.contains(#"<table class="programme stack">"#))
        #expect(page.contains(#"<table class="matrix">"#))
        #expect(Self.matches(#"<td class="yes">"#, in: page).count >= 10)
    }

    @Test func noPageRequestsAnythingFromTheNetwork() {
        let (_, site, _) = Self.buildSample()
        for file in Support.files(under: site) where file.hasSuffix(".html") || file.hasSuffix(".css") || file.hasSuffix(".js") {
            let text = Support.read(site + "/" + file)
            #expect(Self.matches(#"(src|href)="(https?:)?//"#, in: text).isEmpty, "\(file)")
            #expect(!text.contains("url(http"), "\(file)")
        }
    }

    @Test func scriptInAChapterReachesNoPage() {
        let project = Support.sampleProject()
        let chapter = project + "/Handbook/01-what-is-enrich.md"
        Support.write(Support.read(chapter) + "\n<script>alert('owned')</script>\n\nText <script>alert('inline')</script> here.\n", to: chapter)
        let site = project + "/_site"
        let run = Support.kitbag(["build", "--out", site], in: project)
        #expect(run.status == 0)
        #expect(run.err.contains("[raw-html]"))
        for file in Support.files(under: site) {
            let text = Support.read(site + "/" + file)
            // The only scripts are kitbag's own search files.
            let scripts = Self.matches("<script[^>]*>", in: text).map { $0[0] }
            #expect(scripts.allSatisfy { $0 == #"<script src="search-index.js">"# || $0 == #"<script src="search.js">"# }, "\(file)")
            #expect(!text.contains("<script>alert"), "\(file)")
        }
    }

    @Test func unchangedPagesAreNotRewritten() {
        let (project, site, _) = Self.buildSample()
        let again = Support.kitbag(["build", "--out", site], in: project)
        #expect(again.status == 0)
        #expect(again.err.contains("wrote 0 of"))
    }
}
