import Foundation
@testable import HandbookKit
import Testing
import KitbagTestSupport

/// How the site reads: where back-references go, the chapter contents panel, the table of
/// contents, glossary terms in running text, and the one-page edition as one file.
@Suite struct ReadingTests {
    static func built() -> String {
        let (_, site, run) = SampleSiteTests.buildSample()
        #expect(run.status == 0, "\(run.err)")
        return site
    }

    @Test func chapterPagesHaveTheirContentsAndPreviousNextAtTopAndBottom() {
        let page = Support.read(Self.built() + "/11-supervision-and-support.html")
        let main = page.components(separatedBy: "<main id=\"main\" tabindex=\"-1\">\n").last ?? ""
        // Previous/next come first in the main content, and again after it.
        #expect(main.hasPrefix(#"<nav class="pager pager-top" aria-label="Previous and next, top"><ul><li class="previous"><a href="10-preparing-nhs-teams.html" rel="prev">"#))
        #expect(page.contains(#"<nav class="pager" aria-label="Previous and next"><ul><li class="previous"><a href="10-preparing-nhs-teams.html""#))
        // The contents panel lists the chapter's sections with their numbers, before the text.
        let panel = main.components(separatedBy: #"<nav class="chapter-contents" aria-label="In this chapter">"#)
        #expect(panel.count == 2)
        #expect(panel.last?.contains(##"<li><a href="#risk-safety">11.4 Risk, safety and handover</a></li>"##) == true)
        #expect((panel.last?.range(of: "</nav>")?.lowerBound).map { $0 < (panel.last?.range(of: "<article")?.lowerBound ?? $0) } == true)
    }

    @Test func contentsShowEachNumberOnceAndNeverNumberAnUnnumberedHeading() {
        let site = Self.built()
        let index = Support.read(site + "/index.html")
        // The numbers are in the text; the lists show no markers of their own.
        #expect(Assets.stylesheet.contains(".toc ol, .toc ul { list-style: none;"))
        #expect(index.contains(#">13.1 First meeting</a>"#))
        #expect(index.contains(#"<li><a href="13-delivery-on-the-ward.html#key-points">Key points</a></li>"#))
        let ward = Support.read(site + "/13-delivery-on-the-ward.html")
        #expect(ward.contains(##"<li><a href="#key-points">Key points</a></li>"##))
        #expect(ward.contains(#"<h2 id="key-points">Key points</h2>"#))
    }

    @Test func glossaryTermsReadNaturallyMidSentence() {
        let site = Self.built()
        let supervision = Support.read(site + "/11-supervision-and-support.html")
        #expect(supervision.contains(#"Good <a class="term" href="glossary.html#term-supervision">supervision</a> is"#))
        // At the start of a paragraph the term starts with a capital.
        #expect(supervision.contains(#"<p><a class="term" href="glossary.html#term-handover">Handover</a> matters"#))
        // A term listed under keep-capitals keeps them; an acronym is never lowered.
        let development = Support.read(site + "/03-developing-the-handbook.html")
        #expect(development.contains(#">Lived Experience Advisory Panel</a>"#))
        #expect(GlossaryTerm.runningText("DBS check", keepsCapitals: false) == "DBS check")
        #expect(GlossaryTerm.runningText("Peer Worker Coordinator", keepsCapitals: false) == "peer worker coordinator")
        #expect(GlossaryTerm.runningText("Peer Worker Coordinator", keepsCapitals: true) == "Peer Worker Coordinator")
        #expect(GlossaryTerm.startsSentence(after: nil) && GlossaryTerm.startsSentence(after: "It ends. "))
        #expect(!GlossaryTerm.startsSentence(after: "Good ") && !GlossaryTerm.startsSentence(after: "e.g."))
    }

    @Test func anUnknownKeepCapitalsTermIsAWarning() {
        let project = Support.sampleProject()
        let path = project + "/Handbook/glossary.md"
        Support.write(Support.read(path).replacingOccurrences(of: "[term-leap,", with: "[term-lep,"), to: path)
        let run = Support.kitbag(["check"], in: project)
        #expect(run.err.contains("Handbook/glossary.md:3:17: warning: 'keep-capitals' names 'term-lep', which is not a term of this glossary [unknown-glossary-term]"), "\(run.err)")
    }

    @Test func crossReferencesSayWhatTheyPointAt() {
        let page = Support.read(Self.built() + "/11-supervision-and-support.html")
        #expect(page.contains(#"<a class="xref" href="08-accessing-patient-notes.html#confidentiality">8.4 Confidentiality</a>"#))
        #expect(page.contains(#"<a class="xref" href="curriculum/C04.html">C04: Working with risk and safety</a>"#))
        let article = (page.components(separatedBy: "<article").last ?? "").components(separatedBy: "</article>").first ?? ""
        #expect(!article.contains(#"<a href="#))
    }

    @Test func theOnePageEditionIsOneFile() {
        let site = Self.built()
        let page = Support.read(site + "/handbook.html")
        #expect(page.contains("<style>\n:root {"))
        #expect(!page.contains("<link rel=\"stylesheet\""))
        #expect(!page.contains("src=\"images/"))
        let svg = (try? Data(contentsOf: URL(fileURLWithPath: site + "/images/support-timeline.svg"))) ?? Data()
        #expect(!svg.isEmpty)
        #expect(page.contains("src=\"data:image/svg+xml;base64,\(svg.base64EncodedString())\""))
        #expect(page.contains(#"<meta name="author" content="Lived Experience Advisory Panel">"#))
        #expect(page.contains("<title>Peer Support for Discharge</title>"))
    }

    @Test func paperSizeComesFromBookMd() {
        let project = Support.sampleProject()
        let book = project + "/Handbook/book.md"
        Support.write(Support.read(book).replacingOccurrences(of: "numbering-depth: 3", with: "numbering-depth: 3\npaper: letter"), to: book)
        let run = Support.kitbag(["build", "--out", project + "/_site"], in: project)
        #expect(run.status == 0, "\(run.err)")
        #expect(Support.read(project + "/_site/handbook.html").contains("@page { size: letter; }"))
        Support.write(Support.read(book).replacingOccurrences(of: "paper: letter", with: "paper: A6"), to: book)
        let bad = Support.kitbag(["check"], in: project)
        #expect(bad.status == 1)
        #expect(bad.err.contains("Handbook/book.md:8:8: error: unknown paper size 'A6' [unknown-paper]"), "\(bad.err)")
    }

    @Test func wideTablesNameTheColumnOfEveryCellForNarrowScreens() {
        let page = Support.read(Self.built() + "/07-training-programme.html")
        #expect(page.contains(#"<table class="programme stack">"#))
        #expect(page.contains(#"<td data-label="Hours">7</td><td data-label="Sessions">1</td>"#))
        #expect(Assets.stylesheet.contains(#"table.stack td[data-label]::before { content: attr(data-label) ": ";"#))
        let working = Support.read(Self.built() + "/04-peer-worker-role.html")
        #expect(working.contains(#"<table class="stack" id="working-pattern">"#))
        #expect(working.contains(#"<td data-label="Item">"#))
    }
}
