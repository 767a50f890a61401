#if canImport(Glibc)
import Glibc
#endif
import KitbagCore
@testable import ProposalsKit
import Testing

/// The whole workflow on a temporary copy of the repository's sample project.
@Suite struct WorkflowTests {
    @Test func sampleListsReviewsRejectsAcceptsAndReports() throws {
        let project = try TempProject()
        defer { project.remove() }
        let proposalsBefore = [Sample.sussex: project.bytes(Sample.sussex), Sample.riverside: project.bytes(Sample.riverside)]
        let chapterBefore = project.read(Sample.chapter)

        let list = project.run(["proposals"])
        #expect(list.status == 0, "\(list.err)")
        #expect(list.out.contains("Sussex LAG") && list.out.contains("Riverside Carers Group"))
        let lines = list.out.split(separator: "\n")
        #expect(lines.contains { $0.contains("Sussex LAG") && $0.contains("  4  ") && $0.contains("open") })
        #expect(lines.contains { $0.contains("Riverside") && $0.contains("  3  ") && $0.contains("open") })

        let review = project.run(["proposals", "review", "--out", "review.html"])
        #expect(review.status == 0, "\(review.err)")
        let html = project.read("review.html")
        #expect(html.contains("class=\"conflict\""))
        #expect(html.contains("Support: 2 groups make this suggestion"))
        // Each suggestion in its sentence as a reader sees it, before and after; no source syntax.
        #expect(html.contains("<dt>Before</dt><dd class=\"context\">On the ward, peer worker and service user meet at least <del>once a week</del>, and more often"))
        #expect(html.contains("<dt>After</dt><dd class=\"context\">On the ward, peer worker and service user meet at least <ins>twice a week</ins>, and more often"))
        #expect(html.contains("Wider guidance is in 11.4 Risk, safety and handover."))
        #expect(!html.contains("[](#") && !html.contains("{#") && !html.contains("{++"))
        #expect(html.contains("<h3>Frequency, location and duration</h3>"))

        // The conflict blocks accepting Sussex while Riverside's rival is open, and nothing changes.
        let snapshot = project.snapshot()
        let blocked = project.run(["proposals", "accept", Sample.sussex])
        #expect(blocked.status == 1)
        #expect(blocked.err.contains("[open-conflict]"))
        let unchanged = project.snapshot() == snapshot
        #expect(unchanged, "files changed")

        let reject = project.run(["proposals", "reject", Sample.riverside, "--reason", "The Sussex wording was chosen", "--by", "Editor"])
        #expect(reject.status == 0, "\(reject.err)")
        #expect(project.read(Sample.chapter) == chapterBefore)
        let accept = project.run(["proposals", "accept", Sample.sussex, "--by", "Editor"])
        #expect(accept.status == 0, "\(accept.err)")

        let chapter = project.read(Sample.chapter)
        var expected = chapterBefore
        expected = expected.replacing("There is no form to complete.", with: "There is no form to complete. A short leaflet about the service can be left with the person to read later.")
        expected = expected.replacing("meet at least once a week,", with: "meet at least twice a week,")
        expected = expected.replacing("if the person is tired or unwell.", with: "if the person is tired, unwell or simply not up to it.")
        #expect(chapter == expected)

        // Decisions are logged, and the proposal files are untouched.
        let (decisions, diagnostics) = DecisionLog.load(project.paths)
        #expect(diagnostics.isEmpty)
        #expect(decisions.count == 7)
        #expect(decisions.filter(\.isAccepted).map(\.group).allSatisfy { $0 == "Sussex LAG" })
        #expect(decisions.first?.date.description == "2026-06-01")
        #expect(decisions.allSatisfy { $0.by == "Editor" })
        #expect(project.bytes(Sample.sussex) == proposalsBefore[Sample.sussex])
        #expect(project.bytes(Sample.riverside) == proposalsBefore[Sample.riverside])

        let after = project.run(["proposals"])
        #expect(after.out.split(separator: "\n").contains { $0.contains("Sussex LAG") && $0.contains("accepted") })
        #expect(after.out.split(separator: "\n").contains { $0.contains("Riverside") && $0.contains("rejected") })

        for (group, phrase) in [("Sussex LAG", "Accepted"), ("Riverside Carers Group", "The Sussex wording was chosen")] {
            let report = project.run(["proposals", "report", "--group", group, "--out", "report.html"])
            #expect(report.status == 0, "\(report.err)")
            let page = project.read("report.html")
            #expect(page.contains("You said, we did") && page.contains(phrase))
        }
        #expect(ProposalsCheck.diagnostics(paths: project.paths).isEmpty)
    }

    @Test func editsElsewhereKeepSuggestionsAndAChangedOneIsStale() throws {
        let project = try TempProject()
        defer { project.remove() }
        var chapter = project.read(Sample.chapter)
        chapter = chapter.replacing("The ward has its own procedures on safety", with: "Every ward has its own safety procedures")
        chapter = chapter.replacing("tired or unwell", with: "tired or poorly")
        chapter = "Inserted line at the top.\n" + chapter
        try project.write(chapter, to: Sample.chapter)

        let list = project.run(["proposals"])
        #expect(list.out.split(separator: "\n").contains { $0.contains("Sussex LAG") && $0.contains("stale") })
        #expect(list.err.contains("suggestion 3 is stale") && list.err.contains("[stale-suggestion]"))
        #expect(list.err.contains("\(Sample.sussex):31:"))  // the suggestion's line in the proposal
        let warnings = ProposalsCheck.diagnostics(paths: project.paths)
        #expect(warnings.allSatisfy { $0.severity == .warning })
        #expect(warnings.filter { $0.code.rawValue == "stale-suggestion" }.count == 2)  // Sussex 3 and Riverside 3

        let snapshot = project.snapshot()
        let refused = project.run(["proposals", "accept", Sample.sussex, "--only", "3"])
        #expect(refused.status == 1)
        #expect(refused.err.contains("cannot accept suggestion 3: it is stale"))
        let unchanged = project.snapshot() == snapshot
        #expect(unchanged, "files changed")

        let accepted = project.run(["proposals", "accept", Sample.sussex, "--only", "1,4"])
        #expect(accepted.status == 0, "\(accepted.err)")
        let now = project.read(Sample.chapter)
        #expect(now.contains("There is no form to complete. A short leaflet about the service"))
        #expect(now.contains("Every ward has its own safety procedures"))
        #expect(now.hasPrefix("Inserted line at the top.\n"))

        // A stale suggestion can still be rejected with a reason.
        let rejected = project.run(["proposals", "reject", Sample.sussex, "--only", "3", "--reason", "The wording has moved on"])
        #expect(rejected.status == 0, "\(rejected.err)")
    }

    @Test func theFingerprintKeepsTheFormStoredInOldProposalFiles() {
        #expect(Proposal.fingerprint(of: Array("abc".utf8)) == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func proposeCopiesTheTargetWithFrontMatterAndFingerprint() throws {
        let project = try TempProject()
        defer { project.remove() }
        let result = project.run(["propose", "ward-risk", "--group", "Coastal LAG", "--round", "2"])
        #expect(result.status == 0, "\(result.err)")
        let name = "Proposals/2026-06-01-coastal-lag-r2-ward-risk.md"
        let text = project.read(name)
        #expect(text.contains("group: Coastal LAG\nround: 2\nsubmitted: 2026-06-01\ntarget: ward-risk\n"))
        #expect(text.contains("fingerprint: sha256:"))
        #expect(text.contains("{~~old words~>new words~~}"))
        #expect(text.hasSuffix("## Risk and safety on the ward {#ward-risk}\n\nThe ward has its own procedures on safety, and peer workers follow them. They tell the nurse in charge when they arrive and leave, keep to agreed meeting places and pass any concern to ward staff straight away. If a person's situation changes so that meeting is no longer appropriate, staff will say so. Wider guidance is in [](#risk-safety).\n\n"))
        let p = Proposal.parse(relativePath: name, file: SourceFile(displayPath: name, text: text))
        #expect(p.isValid && p.suggestions.isEmpty)
        #expect(p.fingerprint == Proposal.fingerprint(of: p.original))
        // The copy is kept as a snapshot named by its fingerprint, outside the group's file.
        let hex = String((p.fingerprint ?? "").dropFirst("sha256:".count))
        #expect(project.bytes("Proposals/.snapshots/\(hex).md") == p.original)

        // A second proposal never overwrites the first; a curriculum item and a chapter path work too.
        #expect(project.run(["propose", "ward-risk", "--group", "Coastal LAG", "--round", "2"]).out.contains("ward-risk-2.md"))
        #expect(project.run(["propose", "M03", "--group", "Coastal LAG"]).status == 0)
        #expect(project.run(["propose", "13-delivery-on-the-ward.md", "--group", "Coastal LAG"]).status == 0)
        let unknown = project.run(["propose", "ward-rsk", "--group", "Coastal LAG"])
        #expect(unknown.status == 1 && unknown.err.contains("did you mean 'ward-risk'?"))
        #expect(project.run(["propose", "ward"]).status == 2)
    }

    @Test func targetsOutsideTheProjectAreRefused() throws {
        let project = try TempProject()
        defer { project.remove() }
        try project.write("secret\n", to: "outside.md")
        #expect(symlink(project.root + "/outside.md", project.root + "/Handbook/99-link.md") == 0)
        for target in ["../outside.md", "/etc/passwd", "Handbook/../outside.md", "outside.md", "Handbook/99-link.md", "Proposals/x.md"] {
            let result = project.run(["propose", target, "--group", "Coastal LAG"])
            #expect(result.status == 1, "\(target)")
            #expect(result.err.contains("refused"), "\(target): \(result.err)")
        }
        // A proposal that names such a target is an error in check, and accept changes nothing.
        for (i, target) in ["../outside.md", "/etc/passwd", "Handbook/99-link.md"].enumerated() {
            try project.write("---\ngroup: G\ntarget: \(target)\nsubmitted: 2026-01-01\n---\nsecret{++ changed++}\n", to: "Proposals/bad\(i).md")
        }
        let diagnostics = ProposalsCheck.diagnostics(paths: project.paths)
        #expect(diagnostics.filter { $0.code.rawValue == "target-outside-project" && $0.severity == .error }.count == 3)
        let snapshot = project.snapshot()
        for i in 0..<3 {
            let result = project.run(["proposals", "accept", "Proposals/bad\(i).md"])
            #expect(result.status == 1)
        }
        let unchanged = project.snapshot() == snapshot
        #expect(unchanged, "files changed")
        #expect(project.read("outside.md") == "secret\n")
    }

    @Test func scriptInAProposalIsInertInTheReview() throws {
        let project = try TempProject()
        defer { project.remove() }
        let evil = "<script>alert(1)</script>"
        var text = project.read(Sample.riverside)
        text = text.replacing("group: Riverside Carers Group", with: "group: \"Riverside \(evil)\"")
        text = text.replacing("Ward routines come first", with: "Ward {++\(evil)++}{>>\(evil)<<} routines {==come==}{>>\"><img src=x onerror=alert(1)><<} first")
        try project.write(text, to: Sample.riverside)
        try project.write("---\ngroup: \"\(evil)\"\ntarget: \"\(evil)\"\nsubmitted: 2026-01-01\n---\n\(evil)\n", to: "Proposals/evil.md")
        _ = project.run(["proposals", "review", "--out", "review.html"])
        let html = project.read("review.html")
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("<img"))
        _ = project.run(["proposals", "report", "--group", "Riverside \(evil)", "--out", "report.html"])
        let report = project.read("report.html")
        #expect(report.contains("You said, we did"))
        #expect(!report.lowercased().contains("<script"))
    }

    @Test func usageErrorsAndUnknownNumbers() throws {
        let project = try TempProject()
        defer { project.remove() }
        #expect(project.run(["proposals", "reject", Sample.sussex]).status == 2)  // no --reason
        #expect(project.run(["proposals", "accept", Sample.sussex, "--only", "x"]).status == 2)
        #expect(project.run(["proposals", "frobnicate"]).err.contains("unknown subcommand"))
        let unknown = project.run(["proposals", "accept", Sample.riverside, "--only", "9"])
        #expect(unknown.status == 1 && unknown.err.contains("has no suggestion 9; it has 1 to 3"))
        #expect(project.run(["proposals", "accept", "../Handbook/13-delivery-on-the-ward.md"]).status == 1)
        let report = project.run(["proposals", "report", "--group", "Sussex LAB"])
        #expect(report.status == 1 && report.err.contains("did you mean 'Sussex LAG'?"))
    }

    @Test func malformedMarkupIsAnErrorInCheck() throws {
        let project = try TempProject()
        defer { project.remove() }
        var text = project.read(Sample.riverside)
        text = text.replacing("Ward routines come first", with: "Ward {++routines come first")
        try project.write(text, to: Sample.riverside)
        let diagnostics = ProposalsCheck.diagnostics(paths: project.paths)
        #expect(diagnostics.contains { $0.code.rawValue == "critic-unclosed" && $0.severity == .error && $0.location?.line == 24 })
        #expect(project.run(["proposals"]).status == 1)
    }
}
