import Foundation
import Testing
import KitbagTestSupport

/// The provenance appendix: accepting a group's proposal credits the group in `{changes}`.
@Suite struct ChangesAppendixTests {
    @Test func acceptedProposalIsCreditedInTheRebuiltHandbook() {
        let project = Support.sampleProject()
        let site = project + "/_site"
        let before = Support.kitbag(["build", "--out", site], in: project)
        #expect(before.status == 0)
        #expect(Support.read(site + "/03-developing-the-handbook.html").contains("No proposals from advisory groups have been accepted yet."))

        let riverside = "Proposals/2026-05-19-riverside-carers-group-r1-ward-frequency.md"
        let sussex = "Proposals/2026-05-12-sussex-lag-r1-ward.md"
        #expect(Support.kitbag(["proposals", "reject", riverside, "--reason", "The Sussex wording covers this", "--by", "Editor"], in: project).status == 0)
        #expect(Support.kitbag(["proposals", "accept", sussex, "--by", "Editor"], in: project).status == 0)

        let after = Support.kitbag(["build", "--out", site], in: project)
        #expect(after.status == 0, "\(after.err)")
        let chapter3 = Support.read(site + "/03-developing-the-handbook.html")
        let appendix = chapter3.components(separatedBy: "<table class=\"changes stack\">").dropFirst().first?.components(separatedBy: "</table>").first ?? ""
        #expect(appendix.contains(#"<td data-label="Group">Sussex LAG</td><td data-label="Round">1</td>"#))
        #expect(!appendix.contains("Riverside"))
        // The same history is in the one-page edition.
        #expect(Support.read(site + "/handbook.html").contains(#"<td data-label="Group">Sussex LAG</td><td data-label="Round">1</td>"#))
        // Accepted comments are never published: neither the comment-only suggestion nor the note on a change.
        #expect(!chapter3.contains("Several of us") && !chapter3.contains("keep a secret"))
        #expect(!appendix.contains("comment"))
    }

    @Test func provenanceOfChaptersAndItemsIsShownAndReviewPagesStayOutOfTheSite() {
        let project = Support.sampleProject()
        let site = project + "/_site"
        #expect(Support.kitbag(["proposals", "review"], in: project).status == 0)
        #expect(Support.kitbag(["proposals", "report", "--group", "Sussex LAG"], in: project).status == 0)
        #expect(FileManager.default.fileExists(atPath: project + "/Proposals/_review/review.html"))
        let built = Support.kitbag(["build", "--out", site], in: project)
        #expect(built.status == 0, "\(built.err)")
        let chapter3 = Support.read(site + "/03-developing-the-handbook.html")
        let provenance = chapter3.components(separatedBy: "<table class=\"provenance stack\">").dropFirst().first?.components(separatedBy: "</table>").first ?? ""
        #expect(provenance.contains(#"Chapter 13: Delivery on the ward</a></td><td data-label="Origin">stage 1</td>"#), "\(provenance)")
        #expect(provenance.contains(#"Chapter 10: Preparing NHS teams</a></td><td data-label="Origin">round 1, Coastal LAG</td>"#))
        #expect(provenance.contains("M13: ") && provenance.contains(#"<td data-label="Origin">round 2, Riverside LAG</td>"#))
        // No review or report page (nor their text) is part of the built site.
        let files = FileManager.default.enumerator(atPath: site)?.allObjects.compactMap { $0 as? String } ?? []
        #expect(!files.contains { $0.contains("review") || $0.contains("report") }, "\(files)")
        for file in files where file.hasSuffix(".html") || file.hasSuffix(".js") {
            let text = Support.read(site + "/" + file)
            #expect(!text.contains("You said, we did") && !text.contains("Proposals for review"), "\(file)")
        }
    }

    @Test func sampleChecksSilentlyWithStrict() {
        let project = Support.sampleProject()
        let check = Support.kitbag(["check", "--strict"], in: project)
        #expect(check.status == 0 && check.err.isEmpty, "\(check.err)")
    }
}
