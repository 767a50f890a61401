import Foundation
@testable import HandbookKit
import CurriculumKit
import KitbagCore
import KitbagTestSupport
import Testing

/// Site files read from text (the parsers `Fuzz/run site` fuzzes): regressions for what the
/// fuzzer found, and the properties it checks, on random bytes.
@Suite struct SiteFileTests {
    /// Found by `Fuzz/run site`: an opening `{{site.` without its closing `}}` wrote the text
    /// before it twice.
    @Test func anUnclosedPlaceholderIsTextAndNothingIsRepeated() {
        let text = "Call {{site.team-base}} or {{site.team-base soon"
        let (filled, unknown) = SiteValues.filling(text, with: ["team-base": "the base"])
        #expect(filled == "Call the base or {{site.team-base soon")
        #expect(unknown.isEmpty)
        #expect(SiteValues.filling("before {{site.x", with: [:]).text == "before {{site.x")
    }

    @Test func fillingKeepsTextWithoutPlaceholdersAndPlaceholdersFilledWithThemselves() {
        var random = LoaderPropertyTests.Random(state: 15)
        let pieces = ["{{site.", "}}", "team-base", "x", " ", "{", "}", "é", "e\u{301}", "\r\n", "\u{FFFD}"]
        for seed in 0..<300 {
            let text = (0..<random.below(12)).map { _ in pieces[random.below(pieces.count)] }.joined()
            let names = SiteValues.filling(text, with: [:]).unknown
            for (name, offset) in names {
                #expect(text.dropFirst(offset).hasPrefix("{{site.\(name)}}"), "seed \(seed): \(text.debugDescription)")
            }
            let itself = Dictionary(names.map { ($0.name, "{{site.\($0.name)}}") }, uniquingKeysWith: { a, _ in a })
            #expect(SiteValues.filling(text, with: itself).text == text, "seed \(seed): \(text.debugDescription)")
            if !text.contains("{{site.") { #expect(SiteValues.filling(text, with: ["x": "y"]).text == text) }
        }
    }

    /// Found by `Fuzz/run site`: a list where the record has one value (`decided-by: [Sam, Ali]`)
    /// read as no value, without an error, and a site's `name: [A, B]` became its file name.
    @Test func aListWhereOneValueBelongsIsAnErrorNotAnEmptyRecord() {
        var bag = DiagnosticBag()
        let text = "---\nreplaces: local\ndecided-by: [Sam, Ali]\ndate: 2026-01-01\nreason: [a, b]\nfidelity: consistent\n---\n\nText.\n"
        _ = SiteSet.parseAdaptation(SourceFile(displayPath: "a.md", text: text), site: "rye", relativePath: "Handbook/sites/rye/a.md", into: &bag)
        let errors = bag.all.filter { $0.severity == .error }.map(\.formatted)
        #expect(errors.contains { $0.hasPrefix("a.md:3:13: error: 'decided-by' must be a single value") }, "\(errors)")
        #expect(errors.contains { $0.hasPrefix("a.md:5:9: error: 'reason' must be a single value") }, "\(errors)")

        var siteBag = DiagnosticBag()
        let site = SiteSet.parseSite(SourceFile(displayPath: "rye.md", text: "---\nname: [A, B]\ntrust: T\n---\n"), id: "rye", declared: [], into: &siteBag)
        #expect(siteBag.all.map(\.formatted).contains { $0.hasPrefix("rye.md:2:7: error: 'name' must be a single value") }, "\(siteBag.all.map(\.formatted))")
        #expect(site.trust == "T")
    }

    /// Found by `Fuzz/run site`: a `{table}` that an adaptation brings in had its CSV errors
    /// placed in the chapter it was added to, at a line that chapter may not have.
    @Test func aTableAnAdaptationBringsInHasItsErrorsInItsOwnFile() {
        let table = "\n## Rota {#rota}\n\n```{table} #rota Who is on\nday,who\nMon,\"Sam\"x\n```\n"
        let dir = SiteEditionCheckTests.sample(with: ["Handbook/sites/brighton/rota.md": SiteEditionCheckTests.record("adds-to: local-induction") + table])
        let run = Support.kitbag(["check"], in: dir)
        #expect(run.status == 1)
        #expect(run.err.contains("Handbook/sites/brighton/rota.md:13:"), "\(run.err)")
        #expect(run.err.contains("error: table 'rota': "), "\(run.err)")
    }
}
