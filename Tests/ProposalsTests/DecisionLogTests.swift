import KitbagCore
import Testing

@Suite struct DecisionLogTests {
    @Test func readsRowsAndReportsBadOnesAtTheirLine() {
        let text = """
        date,proposal,suggestion,decision,reason,group,round,by,target,summary
        2026-05-01,Proposals/a.md,1,accepted,,Sussex LAG,1,Editor,ward,add 'x'
        01/05/2026,Proposals/a.md,2,maybe,,Sussex LAG,x,Editor,,
        2026-05-02,Proposals/a.md,3,rejected,"not now, thanks",Sussex LAG,,Editor,,'=cmd

        """
        let (decisions, diagnostics) = DecisionLog.parse(Array(text.utf8), displayPath: "Proposals/decisions.csv")
        #expect(decisions.count == 2)
        #expect(decisions[0].isAccepted && decisions[0].round == 1 && decisions[0].target == "ward")
        #expect(decisions[1].reason == "not now, thanks" && decisions[1].round == nil && decisions[1].summary == "=cmd")
        #expect(diagnostics.map(\.code.rawValue).sorted() == ["invalid-date", "invalid-decision", "invalid-number"])
        #expect(diagnostics.allSatisfy { $0.location?.line == 3 })
        #expect(diagnostics.first { $0.code.rawValue == "invalid-date" }?.message.contains("DD/MM/YYYY") == true)
    }

    @Test func missingColumnsAreAnError() {
        let (decisions, diagnostics) = DecisionLog.parse(Array("date,proposal\n2026-01-01,a\n".utf8), displayPath: "d.csv")
        #expect(decisions.isEmpty)
        #expect(diagnostics.first?.code.rawValue == "missing-column")
    }

    @Test func appendWritesAHeaderOnceAndNeutralisesFormulas() throws {
        let project = try TempProject(sample: false)
        defer { project.remove() }
        let d = Decision(date: ISODate(year: 2026, month: 1, day: 2)!, proposal: "Proposals/p.md", suggestion: 1, decision: "rejected",
                         reason: "=HYPERLINK(\"x\")", group: "G", round: 2, by: "Ed")
        try DecisionLog.append([d], to: project.paths)
        try DecisionLog.append([d], to: project.paths)
        let text = project.read(DecisionLog.relativePath)
        #expect(text.hasPrefix("date,proposal,suggestion,decision,category,reason,group,round,by,target,summary\n"))
        #expect(text.contains("\"'=HYPERLINK(\"\"x\"\")\""))
        let (back, diagnostics) = DecisionLog.load(project.paths)
        #expect(back.count == 1)  // the second is a duplicate of the first
        #expect(back.first?.reason == "=HYPERLINK(\"x\")")
        #expect(diagnostics.map(\.code.rawValue) == ["duplicate-decision"])
    }
}
