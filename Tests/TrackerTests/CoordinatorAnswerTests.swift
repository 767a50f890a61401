import Foundation
import Testing
import KitbagCore
import KitbagTestSupport

/// `track outstanding --by item`, `track matrix --format csv` and `track summary --min-cell 5`
/// against Fixtures/coordinator, whose answers were worked out by hand, as of 2027-02-01
/// (so `--warn 60d` reaches 2027-04-02). The fixture's required items and the principles they
/// serve: M01 (P1 P3 P4, 1 session, valid 12 months), M02 (P1 P2 P3 P5, 2 sessions, both
/// needed), M06 (P1 P4, valid 12 months), A02 (P1 P2 P3, 2 attempts), A04 (P1 P4).
///
/// north, by hand:
/// - N01: M01 attended 2026-03-02, valid until 2027-03-02 (within 60 days: expiring); M02 both
///   sessions; M06 until 2027-06-01; A02 and A04 passed: signed off, a refresher due in 60 days.
/// - N02: M01 and M06 expired on 2027-01-10 and 2027-01-20; M02 waived; A02 failed once of
///   two; A04 missing: refresher due. Coverage P1 1/5, P2 1/2, P3 1/3, P4 0, P5 1.
/// - N03 (reserve): M01 until 2027-06-01, the rest missing. N04: withdrawn, left out.
/// - N05: M02 one session of two; A02 failed twice of two: not passed. N06: nothing: in training.
/// south: S01 has everything (M01 until 2027-06-01): signed off; S02 nothing: in training.
@Suite struct CoordinatorAnswerTests {
    static let asOf = "2027-02-01"

    func project() -> String {
        let dir = Support.temporaryFolder()
        let fixture = Support.fixtures("coordinator")
        Support.copy(Support.repositoryRoot + "/Curriculum", to: dir + "/Curriculum")
        try? FileManager.default.removeItem(atPath: dir + "/Curriculum/pathway.md")
        Support.copy(fixture + "/pathway.md", to: dir + "/Curriculum/pathway.md")
        Support.copy(fixture + "/Cohorts", to: dir + "/Cohorts")
        return dir
    }

    @Test func outstandingByItem() {
        let run = Support.kitbag(["track", "outstanding", "--by", "item", "--format", "csv", "--cohort", "north", "--as-of", Self.asOf], in: project())
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out == """
        item,title,worker,name,state,action
        M01,NHS trust induction,N02,Ben Bell,expired,refresher due since 2027-01-10: attend again
        M01,NHS trust induction,N05,Eve Ek,missing,attend 1 more session
        M01,NHS trust induction,N06,Fay Fox,missing,attend 1 more session
        M02,Introduction to peer support for discharge,N03,Cal Cole,missing,attend 2 more sessions
        M02,Introduction to peer support for discharge,N05,Eve Ek,missing,attend 1 more session (1 of 2 needed so far)
        M02,Introduction to peer support for discharge,N06,Fay Fox,missing,attend 2 more sessions
        M06,Working with risk and safety,N02,Ben Bell,expired,refresher due since 2027-01-20: attend again
        M06,Working with risk and safety,N03,Cal Cole,missing,attend 1 more session
        M06,Working with risk and safety,N05,Eve Ek,missing,attend 1 more session
        M06,Working with risk and safety,N06,Fay Fox,missing,attend 1 more session
        A02,Role-play of a first meeting,N02,Ben Bell,failed,retake: 1 attempt failed of 2 allowed
        A02,Role-play of a first meeting,N03,Cal Cole,missing,take the assessment
        A02,Role-play of a first meeting,N05,Eve Ek,failed,no attempts left (2 of 2 failed): not passed
        A02,Role-play of a first meeting,N06,Fay Fox,missing,take the assessment
        A04,Risk and safety scenarios,N02,Ben Bell,missing,take the assessment
        A04,Risk and safety scenarios,N03,Cal Cole,missing,take the assessment
        A04,Risk and safety scenarios,N05,Eve Ek,missing,take the assessment
        A04,Risk and safety scenarios,N06,Fay Fox,missing,take the assessment

        """)
        let text = Support.kitbag(["track", "outstanding", "--by", "item", "--cohort", "north", "--as-of", Self.asOf], in: project())
        #expect(text.out.contains("\nM01 NHS trust induction: 3 workers\n  N02 (Ben Bell): refresher due since 2027-01-10: attend again\n"))
        #expect(text.out.contains("\nA04 Risk and safety scenarios: 4 workers\n"))
    }

    @Test func matrixCSV() {
        let run = Support.kitbag(["track", "matrix", "--format", "csv", "--warn", "60d", "--cohort", "north", "--as-of", Self.asOf], in: project())
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out == """
        worker,name,M01,M02,M06,A02,A04
        N01,Ann Abbott,E,C,C,C,C
        N02,Ben Bell,X,W,X,F,M
        N03,Cal Cole,C,M,M,M,M
        N05,Eve Ek,M,M,M,F,M
        N06,Fay Fox,M,M,M,M,M

        """)
        // With a shorter warning, N01's M01 (due in 29 days) is current.
        let short = Support.kitbag(["track", "matrix", "--format", "csv", "--warn", "28d", "--cohort", "north", "--as-of", Self.asOf], in: project())
        #expect(short.out.contains("N01,Ann Abbott,C,C,C,C,C\n"))
    }

    /// Coverage means are over active workers. north: N01 100 everywhere, N02 (20, 50, 33, 0,
    /// 100), N05 and N06 0: P1 30, P2 37.5 -> 38, P3 33, P4 25, P5 50. south: 50 everywhere.
    /// All six: P1 2.2/6 -> 37, P2 2.5/6 -> 42, P3 2.33/6 -> 39, P4 2/6 -> 33, P5 3/6 -> 50.
    /// Refreshers due in 60 days: N01 (M01 on 2027-03-02) and N02 (overdue).
    @Test func summaryWithSmallCountsHidden() {
        let dir = project()
        let run = Support.kitbag(["track", "summary", "--cohorts", dir + "/Cohorts", "--min-cell", "5", "--format", "csv", "--as-of", Self.asOf], in: dir)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out == """
        site,cohort,workers,signed off,in training,refresher due,not passed,reserve,withdrawn,due in 60d,P1 %,P2 %,P3 %,P4 %,P5 %
        North,north,6,<5,<5,<5,<5,<5,<5,<5,30,38,33,25,50
        South,south,<5,<5,<5,0,0,0,0,0,50,50,50,50,50
        all sites,total,8,<5,<5,<5,<5,<5,<5,<5,37,42,39,33,50

        """)
        let plain = Support.kitbag(["track", "summary", "--format", "csv", "--as-of", Self.asOf], in: dir)
        #expect(plain.out.contains("\nNorth,north,6,1,1,1,1,1,1,2,30,38,33,25,50\n"), "\(plain.out)")
    }
}
