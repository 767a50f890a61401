import KitbagTestSupport

/// What the tracker tests share beyond `Support`: copies of the sample cohort and a small one.
enum TrackerSupport {
    /// A copy of the sample curriculum and cohort, with the sites (the cohort trains with
    /// Brighton's edition).
    static func sampleProject() -> String { Support.sampleProject(["Curriculum", "Cohorts", "Handbook/sites"]) }

    static let smallRoster = """
    id,name,site,status,joined
    W01,Ada Quennell,Brighton,active,2026-01-12
    W02,Basil Fairweather,Hove,active,2026-01-12
    W03,Corinne Vantongeren,Hove,reserve,2026-03-01

    """

    static let smallRecords = """
    id,date,worker,item,event,by,note
    R000001,2026-01-12,W01,M01,attended,Trainer One,
    R000002,2026-01-19,W01,M02,attended,Trainer One,
    R000003,2026-02-16,W01,A02,failed,Trainer One,first try

    """

    /// The sample curriculum with a small cohort `test` (three workers, three rows).
    static func smallProject(records: String = smallRecords) -> String {
        let dir = Support.sampleProject(["Curriculum"])
        Support.write("---\nid: test\nname: Test cohort\nsite: Testing\ncoordinator: Pat Example\nstart: 2026-01-12\n---\n", to: dir + "/Cohorts/test/cohort.md")
        Support.write(smallRoster, to: dir + "/Cohorts/test/roster.csv")
        Support.write(records, to: dir + "/Cohorts/test/records.csv")
        return dir
    }

    /// Every roster name of the sample cohort.
    static func sampleNames() -> [String] {
        Support.read(Support.repositoryRoot + "/Cohorts/brighton-2026/roster.csv").split(separator: "\n").dropFirst().compactMap { line in
            line.split(separator: ",").dropFirst().first.map(String.init)
        }
    }
}
