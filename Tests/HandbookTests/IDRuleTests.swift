import Foundation
import KitbagCore
import Testing
import KitbagTestSupport

/// The ID rules: only explicit IDs must be unique, the page shell's IDs are never taken by a
/// section, and `{-}` on a chapter heading is refused rather than dropped.
@Suite struct IDRuleTests {
    func project(_ chapters: [String: String]) -> String {
        let dir = Support.temporaryFolder() + "/project"
        Support.copy(Support.fixtures("diagnostics/pipe-table"), to: dir)
        Support.write("# More\n\nPlain text.\n", to: dir + "/Handbook/02-more.md")
        for (name, text) in chapters { Support.write(text, to: dir + "/Handbook/" + name) }
        return dir
    }

    @Test func anAutomaticSlugGivesWayToAnExplicitIDWrittenLater() {
        let dir = project(["01-intro.md": "# Introduction {#intro}\n\n## Scope {#scope}\n\n## Safety plan\n\nText.\n",
                           "03-later.md": "# Later\n\n## Plans {#safety-plan}\n\nSee [](#safety-plan) and [](#safety-plan-2).\n"])
        let out = dir + "/../site"
        let run = Support.kitbag(["build", "--out", out], in: dir)
        #expect(run.status == 0, "\(run.err)")
        #expect(!run.err.contains("duplicate-id"))
        #expect(Support.read(out + "/01-intro.html").contains("id=\"safety-plan-2\""))
        #expect(Support.read(out + "/03-later.html").contains("id=\"safety-plan\""))
    }

    @Test func aSectionCalledMainOrGlossaryDoesNotTakeThePageIDs() {
        let dir = project(["03-words.md": "# Words\n\n## Main\n\nText.\n\n## Glossary\n\nText.\n"])
        let out = dir + "/../site"
        let run = Support.kitbag(["build", "--out", out], in: dir)
        #expect(run.status == 0, "\(run.err)")
        let page = Support.read(out + "/03-words.html")
        #expect(page.components(separatedBy: "id=\"main\"").count == 2, "one element with id main")
        #expect(page.contains("id=\"main-2\"") && page.contains("id=\"glossary-2\""))
    }

    @Test func anExplicitPageIDIsAnError() {
        let dir = project(["03-words.md": "# Words\n\n## Main part {#main}\n\nText.\n"])
        let run = Support.kitbag(["check"], in: dir)
        #expect(run.status == 1)
        #expect(run.err.contains("Handbook/03-words.md:3:1: error: 'main' is an ID the page itself uses; choose another [reserved-id]"), "\(run.err)")
    }

    @Test func unnumberedOnAChapterHeadingIsAnErrorNotDropped() {
        let dir = project(["03-foreword.md": "# Foreword {-}\n\nText.\n"])
        let run = Support.kitbag(["check"], in: dir)
        #expect(run.status == 1)
        #expect(run.err.contains("Handbook/03-foreword.md:1:1: error: '{-}' is not allowed on a chapter heading"), "\(run.err)")
        #expect(run.err.contains("[unnumbered-chapter]"))
    }
}
