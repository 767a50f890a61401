#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KitbagCore
@testable import ProposalsKit
import Testing

/// Advisory groups who know no markup: edits typed without marks, whitespace that never makes a
/// suggestion stale, groups and decision categories.
@Suite struct AdvisoryGroupTests {
    static let frequency = "Proposals/2026-06-01-sussex-lag-r2-ward-frequency.md"

    /// `propose ward-frequency`, then the group's plain-editor edits saved with CRLF.
    static func editedByHand(_ project: TempProject, crlf: Bool = true) throws {
        let made = project.run(["propose", "ward-frequency", "--group", "Sussex LAG", "--round", "2"])
        #expect(made.status == 0, "\(made.err)")
        var text = project.read(frequency)
        text = text.replacing("hospital café", with: "hospital garden")
        text = text.replacing(" Most last between thirty minutes and an hour; shorter is fine if the person is tired or unwell.", with: "")
        text = text.replacing("ward rounds, and", with: "ward rounds, {>>Ward rounds move around a lot on our ward.<<} and")
        if crlf { text = text.replacing("\n", with: "\r\n") }
        try project.write(text, to: frequency)
    }

    @Test func editsWithoutMarksAreSuggestionsAndNoneIsStale() throws {
        let project = try TempProject()
        defer { project.remove() }
        try Self.editedByHand(project)
        let chapterBefore = project.read(Sample.chapter)

        let list = project.run(["proposals"])
        #expect(list.status == 0, "\(list.err)")
        let line = list.out.split(separator: "\n").first { $0.contains("sussex-lag-r2") } ?? ""
        #expect(line.contains("  3  ") && line.contains("3 open; 2 typed without marks"), "\(line)")
        #expect(!list.err.contains("stale"), "\(list.err)")
        let json = project.run(["proposals", "--format", "json"])
        #expect(json.out.contains("{\"file\": \"\(Self.frequency)\", \"group\": \"Sussex LAG\", \"round\": 2, \"target\": \"ward-frequency\", \"state\": \"open\", \"suggestions\": 3, \"typed-without-marks\": 2, \"open\": 3, \"stale\": 0, \"accepted\": 0, \"rejected\": 0}"), "\(json.out)")

        let workspace = ProposalsWorkspace.load(project.paths)
        let states = workspace.proposal(Self.frequency)?.states ?? []
        #expect(states.map(\.suggestion.kind) == [.substitution, .deletion, .comment])
        #expect(states.map(\.suggestion.typed) == [true, true, false])
        #expect(states.first?.suggestion.summary == "replace 'café' with 'garden' (typed without marks)")

        // Accepting the word change by its number applies exactly that change.
        let accepted = project.run(["proposals", "accept", Self.frequency, "--only", "1", "--by", "Editor"])
        #expect(accepted.status == 0, "\(accepted.err)")
        #expect(project.read(Sample.chapter) == chapterBefore.replacing("hospital café", with: "hospital garden"))

        // Rejecting the deletion records its category and reason.
        let rejected = project.run(["proposals", "reject", Self.frequency, "--only", "2", "--category", "already-covered",
                                    "--reason", "Section 13.3 already says meetings can be short", "--by", "Editor"])
        #expect(rejected.status == 0, "\(rejected.err)")
        let (decisions, diagnostics) = DecisionLog.load(project.paths)
        #expect(diagnostics.isEmpty)
        #expect(decisions.map(\.category) == ["accepted", "already-covered"])
        #expect(decisions.last?.reason == "Section 13.3 already says meetings can be short")
        #expect(project.read(DecisionLog.relativePath).contains(",2,rejected,already-covered,Section 13.3"))
        #expect(project.read(Sample.chapter) == chapterBefore.replacing("hospital café", with: "hospital garden"))

        // "You said, we did" quotes both in their sentences, grouped by decision, with no syntax or file names.
        let report = project.run(["proposals", "report", "--group", "Sussex LAG"])
        #expect(report.status == 0, "\(report.err)")
        #expect(report.out == "wrote Proposals/_review/report-sussex-lag.html\n")
        let page = project.read("Proposals/_review/report-sussex-lag.html")
        let acceptedPart = page.components(separatedBy: "<h2>Accepted</h2>").last?.components(separatedBy: "<h2>").first ?? ""
        #expect(acceptedPart.contains("in the hospital <del>café</del> or grounds if the person has leave"))
        #expect(acceptedPart.contains("in the hospital <ins>garden</ins> or grounds if the person has leave"))
        let notTaken = page.components(separatedBy: "<h2>Not taken forward</h2>").last?.components(separatedBy: "<h2>").first ?? ""
        #expect(notTaken.contains("<del>Most last between thirty minutes and an hour; shorter is fine if the person is tired or unwell.</del>"))
        #expect(notTaken.contains("Not taken forward: the handbook already covers this</strong> on 2026-06-01. Section 13.3 already says meetings can be short"))
        #expect(page.contains("You wrote: Ward rounds move around a lot on our ward."))
        for syntax in ["Proposals/", ".md", "[](#", "{#", "{++", "{>>", "## "] { #expect(!page.contains(syntax), "\(syntax)") }
    }

    @Test func crlfProposalAgainstLFChapterAndLFProposalAgainstCRLFChapterBothAccept() throws {
        for chapterCRLF in [false, true] {
            let project = try TempProject()
            defer { project.remove() }
            // The sample proposals' rival suggestions would block the accept.
            FileSystem.remove(project.root + "/" + Sample.riverside)
            FileSystem.remove(project.root + "/" + Sample.sussex)
            if chapterCRLF { try project.write(project.read(Sample.chapter).replacing("\n", with: "\r\n"), to: Sample.chapter) }
            try Self.editedByHand(project, crlf: !chapterCRLF)
            let before = project.read(Sample.chapter)
            let list = project.run(["proposals"])
            #expect(!list.err.contains("stale"), "\(list.err)")
            let accepted = project.run(["proposals", "accept", Self.frequency, "--by", "Editor"])
            #expect(accepted.status == 0, "\(accepted.err)")
            var expected = before.replacing("hospital café", with: "hospital garden")
            expected = expected.replacing(" Most last between thirty minutes and an hour; shorter is fine if the person is tired or unwell.", with: "")
            #expect(project.read(Sample.chapter) == expected)
        }
    }

    @Test func whitespaceAloneIsNeverASuggestionNorStale() throws {
        let project = try TempProject()
        defer { project.remove() }
        #expect(project.run(["propose", "ward-frequency", "--group", "Sussex LAG", "--round", "2"]).status == 0)
        var text = project.read(Self.frequency)
        // A BOM, CRLF, trailing spaces, a re-wrapped line and spaces around a highlight.
        text = "\u{FEFF}" + text.replacing("\n", with: "  \r\n")
        text = text.replacing("in the hospital café or grounds", with: "in the {== hospital café ==}{>>not every hospital has one<<} or\r\ngrounds")
        try project.write(text, to: Self.frequency)
        let workspace = ProposalsWorkspace.load(project.paths)
        let states = workspace.proposal(Self.frequency)?.states ?? []
        #expect(states.count == 1)
        #expect(states.first?.suggestion.kind == .highlight)
        #expect(states.allSatisfy { !$0.isStale })
        #expect(workspace.allDiagnostics.isEmpty, "\(workspace.allDiagnostics)")
    }

    @Test func staleMessageQuotesTheWordsThatNoLongerMatch() throws {
        let project = try TempProject()
        defer { project.remove() }
        try Self.editedByHand(project, crlf: false)
        try project.write(project.read(Sample.chapter).replacing("hospital café", with: "hospital canteen"), to: Sample.chapter)
        let list = project.run(["proposals"])
        #expect(list.err.contains("suggestion 1 is stale: the words 'café' are no longer in the target 'ward-frequency'"), "\(list.err)")
    }

    @Test func aProposalWithoutASnapshotWorksAsBefore() throws {
        let project = try TempProject()
        defer { project.remove() }
        FileSystem.remove(project.root + "/Proposals/.snapshots")
        let workspace = ProposalsWorkspace.load(project.paths)
        #expect(workspace.proposal(Sample.sussex)?.states.count == 4)
        #expect(workspace.proposal(Sample.riverside)?.states.count == 3)
        #expect(workspace.allDiagnostics.isEmpty)
    }

    @Test func unknownGroupIsRefusedWithADidYouMean() throws {
        let project = try TempProject()
        defer { project.remove() }
        let snapshot = project.snapshot()
        let refused = project.run(["propose", "ward", "--group", "Susex LAG"])
        #expect(refused.status == 1)
        #expect(refused.err.contains("unknown group 'Susex LAG'") && refused.err.contains("did you mean 'Sussex LAG'?"), "\(refused.err)")
        #expect(project.snapshot() == snapshot)
        // A proposal file naming an unknown group is an error at its front matter.
        var text = project.read(Sample.riverside)
        text = text.replacing("group: Riverside Carers Group", with: "group: Riverside Carer Group")
        try project.write(text, to: Sample.riverside)
        let check = ProposalsCheck.diagnostics(paths: project.paths)
        let unknown = check.first { $0.code == "unknown-group" }
        #expect(unknown?.location?.line == 2 && unknown?.notes.first?.message == "did you mean 'Riverside Carers Group'?")
    }

    @Test func groupsFileProblemsAreErrorsAtTheirCell() {
        let csv = "group,kind,site\nSussex LAG,mixd,Sussex\nSussex LAG,mixed,Sussex\nsussex lag,carers,Sussex\n"
        let (groups, diagnostics) = Groups.parse(Array(csv.utf8), displayPath: "Proposals/groups.csv")
        #expect(groups.map(\.name) == ["Sussex LAG"])
        #expect(diagnostics.map(\.code) == ["unknown-group-kind", "duplicate-group"])
        #expect(diagnostics.first?.location == SourceLocation(file: "Proposals/groups.csv", line: 2, column: 12))
        #expect(diagnostics.first?.notes.first?.message == "did you mean 'mixed'?")
    }

    @Test func decisionCategoriesAreCheckedAndOlderLogsReadAsDefaults() throws {
        let old = "date,proposal,suggestion,decision,reason,group,round,by\n2026-01-02,Proposals/p.md,1,accepted,,G,1,Ed\n2026-01-02,Proposals/p.md,2,rejected,no,G,1,Ed\n"
        let (decisions, diagnostics) = DecisionLog.parse(Array(old.utf8), displayPath: "d.csv")
        #expect(diagnostics.isEmpty && decisions.map(\.category) == ["accepted", "other"])
        let bad = "date,proposal,suggestion,decision,category,reason,group,round,by\n2026-01-02,Proposals/p.md,1,rejected,accepted,x,G,1,Ed\n"
        #expect(DecisionLog.parse(Array(bad.utf8), displayPath: "d.csv").1.map(\.code) == ["invalid-category"])

        let project = try TempProject()
        defer { project.remove() }
        // An older log is brought up to date by the next decision, its rows kept.
        try project.write(old, to: DecisionLog.relativePath)
        let usage = project.run(["proposals", "reject", Sample.riverside, "--only", "1", "--reason", "x", "--category", "out-of-scop"])
        #expect(usage.status == 2 && usage.err.contains("did you mean 'out-of-scope'?"))
        #expect(project.run(["proposals", "reject", Sample.riverside, "--only", "1", "--reason", "x", "--category", "out-of-scope", "--by", "Ed"]).status == 0)
        let (after, afterDiagnostics) = DecisionLog.load(project.paths)
        #expect(after.map(\.category) == ["accepted", "other", "out-of-scope"])
        #expect(afterDiagnostics.filter { $0.severity == .error }.isEmpty)
        #expect(project.read(DecisionLog.relativePath).hasPrefix(DecisionLog.header))
    }

    @Test func aKilledAcceptLeavesNoTemporaryFileAfterTheNextCommand() throws {
        let project = try TempProject()
        defer { project.remove() }
        // What a process killed between writing and renaming leaves (a process id no longer running).
        let leftover = Sample.chapter + ".kitbag-tmp-2147483646"
        try project.write("half a chapter", to: leftover)
        let before = project.read(Sample.chapter)
        let list = project.run(["proposals"])
        #expect(list.status == 0)
        #expect(!FileSystem.exists(project.root + "/" + leftover))
        #expect(list.err.contains("left by an interrupted write"))
        #expect(project.read(Sample.chapter) == before)
    }

    @Test func closingARoundReanchorsOpenSuggestionsAndListsOneThatCannotBePlaced() throws {
        let project = try TempProject()
        defer { project.remove() }
        try Self.editedByHand(project, crlf: false)
        // The editors change the words one typed suggestion replaced: it can no longer be placed.
        try project.write(project.read(Sample.chapter).replacing("hospital café", with: "hospital canteen"), to: Sample.chapter)
        let groupFile = project.bytes(Self.frequency)
        let closed = project.run(["proposals", "close-round", "2"])
        #expect(closed.status == 0, "\(closed.err)")
        #expect(closed.out.contains("closed round 2: 2 open suggestions re-anchored to the current text; 1 could not be placed and stay open"), "\(closed.out)")
        #expect(closed.err.contains("\(Self.frequency.split(separator: "/").last ?? ""):") && closed.err.contains("suggestion 1 cannot be placed in the current text of 'ward-frequency': the words 'café' are no longer in the target [unplaced-suggestion]"), "\(closed.err)")
        let record = project.read(Rounds.relativePath(2))
        #expect(record.hasPrefix("proposal,suggestion,state,base,start,end\n"))
        #expect(record.contains("\(Self.frequency),1,unplaced,,,\n") && record.contains("\(Self.frequency),2,placed,sha256:"))
        #expect(project.bytes(Self.frequency) == groupFile)  // never the group's file
        // Nothing is dropped: the unplaced one is still open (stale), the others still accept from the record.
        let workspace = ProposalsWorkspace.load(project.paths)
        let states = workspace.proposal(Self.frequency)?.states ?? []
        #expect(states.count == 3 && states[0].isStale && !states[1].isStale && !states[2].isStale)
        FileSystem.remove(project.root + "/" + Sample.riverside)
        FileSystem.remove(project.root + "/" + Sample.sussex)
        let accepted = project.run(["proposals", "accept", Self.frequency, "--only", "2"])
        #expect(accepted.status == 0, "\(accepted.err)")
        #expect(!project.read(Sample.chapter).contains("Most last between thirty minutes"))
    }

    @Test func coverageShowsWhoReviewedWhatPerRound() throws {
        let project = try TempProject()
        defer { project.remove() }
        try Self.editedByHand(project)
        #expect(project.run(["propose", "ward-risk", "--group", "Riverside Ward Staff", "--round", "2"]).status == 0)
        let coverage = project.run(["proposals", "coverage"])
        #expect(coverage.status == 0, "\(coverage.err)")
        let rounds = coverage.out.components(separatedBy: "\n\n")
        #expect(rounds.count == 2)
        let round2 = rounds.last?.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") } ?? []
        #expect(round2.first == "round 2: suggestions each group made on each target (- not reviewed)")
        #expect(round2.contains("GROUP KIND ward-frequency ward-risk"))
        #expect(round2.contains("Sussex LAG mixed 3 -"))
        #expect(round2.contains("Riverside Ward Staff clinicians - 0"))
        #expect(round2.contains("Riverside Carers Group carers - -"))
        #expect(rounds.first?.contains("round 1:") == true)
    }
}
