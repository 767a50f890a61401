import CurriculumKit
import KitbagCore
import Testing

import Foundation
import KitbagTestSupport

/// The fidelity instrument under `Curriculum/fidelity/`: loaded into the one namespace and
/// checked (one test per diagnostic).
@Suite struct FidelityInstrumentTests {
    /// A copy of the sample curriculum (which has an instrument) with `edits` applied:
    /// relative path -> new text (nil removes the file).
    func project(_ edits: [String: String?] = [:]) -> ProjectPaths {
        let dir = Support.sampleProject(["Curriculum"])
        for (path, text) in edits {
            let full = dir + "/" + path
            if let text {
                Support.write(text, to: full)
            } else {
                try? FileManager.default.removeItem(atPath: full)
            }
        }
        return ProjectPaths(root: dir)
    }

    func item(_ id: String = "F01", domain: String = "D1", respondents: String = "[participant]", scores: [String] = ["0", "1", "2", "3", "4"]) -> String {
        "---\nid: \(id)\ntitle: A question?\ndomain: \(domain)\nrespondents: \(respondents)\n---\n\nIntro.\n" + scores.map { "\n## \($0)\n\nWhat it looks like.\n" }.joined()
    }

    func lines(_ d: [Diagnostic]) -> [String] {
        d.map { "\(($0.location?.file ?? "").split(separator: "/").suffix(2).joined(separator: "/")):\($0.location?.line ?? 0):\($0.location?.column ?? 0): \($0.severity.rawValue) [\($0.code)]" }
    }

    @Test func sampleInstrumentLoadsIntoTheNamespaceWithoutDiagnostics() {
        let (c, d) = loadAndValidate(ProjectPaths(root: Support.repositoryRoot))
        #expect(d.map(\.formatted) == [])
        #expect(c.fidelity?.scores == [0, 1, 2, 3, 4])
        #expect(c.fidelity?.respondentKinds == ["participant", "peer worker", "coordinator"])
        #expect(c.domains.count == 5)
        #expect(c.fidelityItems.count == 15)
        #expect(c.item("F03")?.kind == .fidelityItem)
        #expect(c.item("D2")?.kind == .domain)
        #expect(c.displayTitle(of: "D1") == "D1: Safety and trust")
        // Many-to-many: experiential knowledge (P3) has no domain of its own but is served by D2.
        #expect(c.domains(serving: "P3").map(\.info.id) == ["D2"])
        #expect(c.domains(serving: "P5").map(\.info.id) == ["D4", "D5"])
        #expect(c.fidelityItems(serving: "P3").map(\.info.id) == ["F04", "F05", "F06"])
        for p in c.principles { #expect(!c.domains(serving: p.info.id).isEmpty) }
    }

    @Test func aProjectWithoutAnInstrumentGetsNoFidelityChecks() {
        let paths = project()
        try? FileManager.default.removeItem(atPath: paths.path("Curriculum/fidelity"))
        let (c, d) = loadAndValidate(paths)
        #expect(c.fidelity == nil && c.domains.isEmpty && c.fidelityItems.isEmpty)
        #expect(d.isEmpty)
    }

    @Test func unknownPrincipleInADomainIsAnError() {
        let (_, d) = loadAndValidate(project(["Curriculum/fidelity/domains/D1.md": "---\nid: D1\ntitle: Safety\nprinciples: [P1, P9]\n---\n"]))
        #expect(lines(d) == ["domains/D1.md:4:18: error [unknown-principle]"])
    }

    @Test func unknownDomainInAnItemIsAnError() {
        let (_, d) = loadAndValidate(project(["Curriculum/fidelity/items/F01.md": item(domain: "D7")]))
        #expect(lines(d) == ["items/F01.md:4:9: error [unknown-domain]"])
        #expect(d.first?.message == "unknown fidelity domain 'D7' in F01")
    }

    @Test func aScoreSectionOutsideTheScaleIsAnError() {
        let (_, d) = loadAndValidate(project(["Curriculum/fidelity/items/F01.md": item(scores: ["0", "1", "2", "3", "4", "5"])]))
        #expect(lines(d) == ["items/F01.md:30:1: error [score-outside-scale]"])
    }

    @Test func aMissingScoreSectionIsAnError() {
        let (_, d) = loadAndValidate(project(["Curriculum/fidelity/items/F01.md": item(scores: ["0", "1", "3", "4"])]))
        #expect(lines(d) == ["items/F01.md:2:5: error [missing-score-section]"])
        #expect(d.first?.message.contains("score 2 look") == true)
    }

    @Test func anUnknownRespondentKindIsAnError() {
        let (_, d) = loadAndValidate(project(["Curriculum/fidelity/items/F01.md": item(respondents: "[participant, carer]")]))
        #expect(lines(d) == ["items/F01.md:5:28: error [unknown-respondent-kind]"])
    }

    @Test func aDomainServingNoPrincipleIsAnErrorAndAPrincipleNoDomainServesIsAWarning() {
        let (_, d) = loadAndValidate(project(["Curriculum/fidelity/domains/D4.md": "---\nid: D4\ntitle: Strengths\nprinciples: []\n---\n",
                                              "Curriculum/fidelity/domains/D5.md": "---\nid: D5\ntitle: Connection\nprinciples: [P4]\n---\n"]))
        #expect(lines(d) == ["domains/D4.md:2:5: error [domain-without-principle]",
                             "principles/P5.md:2:5: warning [principle-without-domain]"])
    }

    @Test func labelsMustMatchTheScoresOneForOne() {
        let (_, d) = loadAndValidate(project(["Curriculum/fidelity/instrument.md": "---\nname: X\nscores: [0, 1, 2, 3, 4]\nlabels: [a, b, c]\nrespondent-kinds: [participant, peer worker, coordinator]\n---\n"]))
        #expect(lines(d) == ["fidelity/instrument.md:4:9: error [fidelity-scale]"])
    }

    @Test func domainsWithoutAnInstrumentAreAnError() {
        let (_, d) = loadAndValidate(project(["Curriculum/fidelity/instrument.md": nil]))
        #expect(d.map(\.code) == ["missing-file"])
    }
}
