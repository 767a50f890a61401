import KitbagTestSupport

/// What the fidelity tests share beyond `Support`: a copy of the sample with its ratings.
enum FidelitySupport {
    /// A copy of the sample's curriculum, site files and cohorts; with the sample ratings
    /// unless `ratings` replaces them.
    static func project(ratings: String? = nil) -> String {
        let dir = Support.sampleProject(["Curriculum", "Cohorts"])
        for name in Support.files(under: Support.repositoryRoot + "/Handbook/sites") where name.hasSuffix(".md") && !name.contains("/") {
            Support.copy(Support.repositoryRoot + "/Handbook/sites/" + name, to: dir + "/Handbook/sites/" + name)
        }
        if let ratings {
            Support.write(ratings, to: dir + "/Fidelity/ratings.csv")
        } else {
            Support.copy(Support.repositoryRoot + "/Fidelity/ratings.csv", to: dir + "/Fidelity/ratings.csv")
        }
        return dir
    }

    static let header = "id,date,site,round,respondent-kind,respondent,item,rater,score,note\n"
}
