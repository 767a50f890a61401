import Foundation
import HandbookKit
import KitbagCLI
import KitbagCore
import Testing
import KitbagTestSupport

/// The PDF and Word editions of the sample handbook. WeasyPrint takes about 20 seconds, so
/// every assertion reads one shared build (`--pdf --docx --reference-doc`). The tools are
/// required: a missing one fails the test with the command that installs it.
@Suite struct EditionTests {
    static let searchPath = ["PATH": "/usr/local/bin:/usr/bin:/bin"]

    /// The path of `tool`, or a failed test that says how to install it.
    static func require(_ tool: String, package: String) -> String? {
        if let path = Subprocess.find(tool, environment: searchPath) { return path }
        Issue.record("\(tool) is missing: install it with 'sudo apt-get install \(package)' (Tests/install-tools does)")
        return nil
    }

    /// Runs a tool and returns its standard output.
    static func output(_ tool: String, package: String, _ arguments: [String]) -> String {
        guard let path = require(tool, package: package) else { return "" }
        let out = Subprocess.temporaryPath(".out"), err = Subprocess.temporaryPath(".err")
        defer { FileSystem.remove(out); FileSystem.remove(err) }
        let status = Subprocess.run(path, arguments, stdoutPath: out, stderrPath: err)
        #expect(status == 0, "\(tool) \(arguments.joined(separator: " ")): \(Support.read(err))")
        return Support.read(out)
    }

    struct Built: Sendable {
        var site: String
        var run: Support.Run
        var pages: [String]
    }

    /// The sample, built once with both editions, and the PDF's text page by page.
    static let shared: Built = {
        let project = Support.sampleProject()
        let site = project + "/_site"
        let reference = project + "/trust-template.docx"
        _ = output("pandoc", package: "pandoc", ["-o", reference, "--print-default-data-file", "reference.docx"])
        let run = Support.kitbag(["build", "--pdf", "--docx", "--reference-doc", reference, "--out", site], in: project)
        let text = FileSystem.exists(site + "/handbook.pdf") ? output("pdftotext", package: "poppler-utils", ["-layout", site + "/handbook.pdf", "-"]) : ""
        return Built(site: site, run: run, pages: text.components(separatedBy: "\u{0C}"))
    }()

    /// A site's edition gets its own PDF and Word file in OUT/sites/<site>/, with the site on
    /// the title page and the site's local text (one more WeasyPrint run, so only Brighton).
    @Test func aSiteEditionHasItsOwnPDFAndWordFileWithTheLocalText() {
        let project = Support.sampleProject()
        let out = project + "/_site"
        let run = Support.kitbag(["build", "--site", "brighton", "--pdf", "--docx", "--out", out], in: project)
        #expect(run.status == 0, "\(run.err)")
        let edition = out + "/sites/brighton"
        #expect(!FileSystem.exists(out + "/handbook.pdf"), "a site's build writes only that site's edition")
        guard FileSystem.exists(edition + "/handbook.pdf"), FileSystem.exists(edition + "/handbook.docx") else {
            Issue.record("no PDF or Word file in \(edition): \(run.err)")
            return
        }
        let pages = Self.output("pdftotext", package: "poppler-utils", [edition + "/handbook.pdf", "-"]).components(separatedBy: "\u{0C}")
        #expect(pages[0].contains("Brighton and Hove edition\nHarbourside Mental Health NHS Trust"), "\(pages[0])")
        let text = pages.joined().replacingOccurrences(of: "\n", with: " ")
        #expect(text.contains("Brighton's peer workers are based in their own room at Preston Park Resource Centre"))
        #expect(text.contains("City asset walk (recorded as BH-M08)"))
        #expect(!text.contains("{{site."))
        // The title page is pandoc's, from the metadata: the site joins the subtitle.
        let metadata = Self.output("pandoc", package: "pandoc", ["-s", "-t", "markdown", "--wrap=none", edition + "/handbook.docx"])
        #expect(metadata.contains("subtitle: |\n  A handbook for peer workers, coordinators and the teams around them\\\n  Brighton and Hove edition\\\n  Harbourside Mental Health NHS Trust\n"), "\(metadata.prefix(400))")
        let word = Self.output("pandoc", package: "pandoc", ["-t", "plain", "--wrap=none", edition + "/handbook.docx"])
        #expect(word.contains("Brighton's peer workers are based in their own room at Preston Park Resource Centre"))
        #expect(word.contains("City asset walk (recorded as BH-M08)"))
    }

    @Test func buildWritesThePDFAndTheWordFile() {
        let built = Self.shared
        #expect(built.run.status == 0, "\(built.run.err)")
        #expect(built.run.err.contains("kitbag: wrote _site/handbook.pdf\n"))
        #expect(built.run.err.contains("kitbag: wrote _site/handbook.docx\n"))
        #expect(!Support.files(under: built.site).contains { $0.hasSuffix(".tmp") })
    }

    @Test func thePDFIsTaggedA4AndCarriesTitleAuthorsAndLanguage() {
        let info = Self.output("pdfinfo", package: "poppler-utils", [Self.shared.site + "/handbook.pdf"])
        #expect(info.contains("Tagged:          yes"))
        #expect(info.contains("Title:           Peer Support for Discharge\n"))
        #expect(info.contains("Author:          Harbourside Peer Research Team, Lived Experience Advisory Panel, Northfield Trial Office"))
        #expect(info.contains("595.276 x 841.89 pts (A4)"))
        // The language is in the document catalog (the trailer's /Root).
        let trailer = Self.output("qpdf", package: "qpdf", ["--show-object=trailer", Self.shared.site + "/handbook.pdf"])
        let root = trailer.firstMatch(of: /\/Root (\d+) 0 R/).map { String($0.output.1) } ?? "0"
        let catalog = Self.output("qpdf", package: "qpdf", ["--show-object=\(root)", Self.shared.site + "/handbook.pdf"])
        #expect(catalog.contains("/Lang (en-GB)"))
        #expect(catalog.contains("/MarkInfo << /Marked true >>"))
    }

    @Test func bookmarksHaveTheChaptersOnTopAndTheirSectionsBeneath() throws {
        let json = Self.output("qpdf", package: "qpdf", ["--json", "--json-key=outlines", Self.shared.site + "/handbook.pdf"])
        struct Outline: Decodable { var title: String; var kids: [Outline] }
        struct Document: Decodable { var outlines: [Outline] }
        let outlines = try JSONDecoder().decode(Document.self, from: Data(json.utf8)).outlines
        let chapters = outlines.filter { $0.title.hasPrefix("Chapter ") }
        #expect(chapters.map(\.title).count == 15)
        #expect(chapters.first?.title == "Chapter 1 What is ENRICH?")
        #expect(chapters.last?.title == "Chapter 15 Peer worker absence")
        let eleven = chapters.first { $0.title == "Chapter 11 Supervision and support" }
        #expect(eleven?.kids.map(\.title).contains("11.4 Risk, safety and handover") == true)
        #expect(outlines.contains { $0.title == "Glossary" })
    }

    /// Every "N.k Title, page P" in the text: P is the page on which the heading N.k stands.
    @Test func pageReferencesPointAtThePageOfTheHeading() throws {
        let pages = Self.shared.pages
        #expect(pages.count > 40)
        let reference = try Regex(#"(?m)(?:^|[^\d.])(\d+\.\d+(?:\.\d+)?) [^\n,]+, page\u{A0}?\s?(\d+)"#)
        var checked: Set<String> = []
        for (index, page) in pages.enumerated() where !page.contains("Contents") {
            for match in page.matches(of: reference) {
                guard let number = match.output[1].substring, let pageText = match.output[2].substring, let target = Int(pageText) else { continue }
                let lines = target >= 1 && target <= pages.count ? pages[target - 1].split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) } : []
                #expect(lines.contains { $0.hasPrefix(number + " ") }, "page \(index + 1) refers to \(number) on page \(target), which does not show its heading")
                checked.insert(String(number))
            }
        }
        // The references of 11.4, among others.
        #expect(checked.isSuperset(of: ["8.4", "13.5", "14.2"]), "\(checked.sorted())")
        #expect(checked.count >= 20)
        // Glossary terms never get a page.
        let eleven = pages.first { $0.contains("11.1 How supervision is organised") && $0.contains("Good") } ?? ""
        #expect(eleven.contains("Good\nsupervision is") || eleven.contains("Good supervision is"))
    }

    @Test func pagesAreNumberedFromTheTitlePageAndChaptersStartOnANewPage() {
        let pages = Self.shared.pages.map { $0.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        #expect(pages.first?.first == "Peer Support for Discharge")
        for (index, lines) in pages.enumerated() where !lines.isEmpty {
            #expect(lines.last == String(index + 1), "page \(index + 1) ends with '\(lines.last ?? "")'")
        }
        // A chapter's first page: its title as the running header, then as its heading.
        let eleven = pages.first { $0.count > 2 && $0[1] == "Chapter 11 Supervision and support" }
        #expect(eleven?.first == "Chapter 11 Supervision and support")
        // The contents list gives each section's page after a dotted leader.
        #expect(pages.joined().contains { $0.hasPrefix("11.4 Risk, safety and handover") && $0.last?.isNumber == true && $0.contains("....") })
    }

    @Test func tablesSplitBetweenRowsWithTheHeaderRepeated() {
        // The assessments table is long: where it continues, its header row comes again.
        let pages = Self.shared.pages.filter { $0.contains("A0") && $0.contains("Pass criteria") }
        #expect(pages.count >= 1)
        let text = Self.shared.pages.joined()
        #expect(!text.contains("Hou rs"), "table columns are wide enough for their words")
    }

    @Test func theWordFileHasNumberedHeadingsLinksGlossaryAndCurriculum() {
        let site = Self.shared.site
        let plain = Self.output("pandoc", package: "pandoc", [site + "/handbook.docx", "-t", "plain"])
        #expect(plain.contains("11.4 Risk, safety and handover\n"))
        #expect(plain.contains("\nGlossary\n"))
        #expect(plain.contains("\nAsset mapping\n"))
        #expect(plain.contains("C04: Working with risk and safety"))
        #expect(!plain.contains("Skip to main content"))
        let native = Self.output("pandoc", package: "pandoc", ["-f", "docx+styles", "-t", "native", site + "/handbook.docx"])
        #expect(native.contains("( \"#risk-safety\" , \"\" )"), "cross-references are internal links")
        #expect(native.contains("\"custom-style\" , \"Back References\""))
        #expect(native.contains("\"custom-style\" , \"Heading Number\""))
        #expect(native.contains("Header\n    1") || native.contains("Header 1"))
        let xml = Self.output("unzip", package: "unzip", ["-p", site + "/handbook.docx", "word/document.xml"])
        #expect(xml.contains("TOC \\o &quot;1-2&quot;"), "a contents field")
    }

    @Test func withoutWeasyPrintNothingIsWrittenAndThePackageIsNamed() {
        let project = Support.sampleProject()
        let console = Console(out: TextSink(), err: TextSink(), environment: ["PATH": "/nonexistent"], today: ISODate(year: 2026, month: 12, day: 1)!)
        let status = KitbagCommandLine.run(arguments: ["-C", project, "build", "--pdf"], io: console)
        #expect(status == 1)
        #expect(console.err.text.contains("weasyprint is needed for --pdf but was not found"))
        #expect(console.err.text.contains("sudo apt-get install weasyprint"))
        #expect(!FileSystem.exists(project + "/_site"))
        let word = Console(out: TextSink(), err: TextSink(), environment: ["KITBAG_PANDOC": "/nonexistent/pandoc"], today: ISODate(year: 2026, month: 12, day: 1)!)
        #expect(KitbagCommandLine.run(arguments: ["-C", project, "build", "--docx"], io: word) == 1)
        #expect(word.err.text.contains("sudo apt-get install pandoc"))
        let reference = Console.buffered()
        #expect(KitbagCommandLine.run(arguments: ["-C", project, "build", "--docx", "--reference-doc", project + "/missing.docx"], io: reference) == 1)
        #expect(reference.err.text.contains("the reference document"))
        #expect(!FileSystem.exists(project + "/_site"))
    }
}
