import Foundation
import Testing

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
        let appendix = chapter3.components(separatedBy: "<table class=\"changes stack\">").dropFirst().first ?? ""
        #expect(appendix.contains(#"<td data-label="Group">Sussex LAG</td><td data-label="Round">1</td>"#))
        #expect(!appendix.contains("Riverside"))
        // The same history is in the one-page edition.
        #expect(Support.read(site + "/handbook.html").contains(#"<td data-label="Group">Sussex LAG</td><td data-label="Round">1</td>"#))
    }
}
