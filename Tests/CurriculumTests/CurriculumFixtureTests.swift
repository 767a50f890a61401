import CurriculumKit
import KitbagCore
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KitbagTestSupport

/// Loads and validates the curriculum of a project: every diagnostic, sorted.
func loadAndValidate(_ paths: ProjectPaths) -> (Curriculum, [Diagnostic]) {
    let (curriculum, loadDiagnostics) = CurriculumLoader.load(paths)
    var bag = DiagnosticBag()
    bag.add(contentsOf: loadDiagnostics)
    bag.add(contentsOf: CurriculumValidator.validate(curriculum))
    return (curriculum, bag.sorted)
}

@Suite struct ImROCFrameworkTests {
    @Test func eightPrincipleFrameworkLoadsWithoutDiagnostics() {
        let paths = ProjectPaths(root: Support.fixtures("imroc"))
        let (curriculum, diagnostics) = loadAndValidate(paths)
        #expect(diagnostics.map(\.formatted) == [])
        #expect(curriculum.principles.map(\.info.id) == ["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8"])
        #expect(curriculum.principles.map(\.number) == Array(1...8))
        #expect(curriculum.principles.map(\.info.title) == [
            "Mutual", "Reciprocal", "Non-directive", "Recovery-focused",
            "Strengths-based", "Inclusive", "Progressive", "Safe",
        ])
        #expect(curriculum.competencies.count == 5)
        #expect(curriculum.modules.count == 4)
        #expect(curriculum.assessments.count == 3)
        #expect(curriculum.framework?.id == "imroc-peer-support")
        #expect(curriculum.displayTitle(of: "P8") == "Principle 8: Safe")
    }

    @Test func everyPrincipleIsServedAndEveryCompetencyIsTaughtAndAssessed() {
        let (c, _) = loadAndValidate(ProjectPaths(root: Support.fixtures("imroc")))
        for p in c.principles { #expect(!c.competencies(serving: p.info.id).isEmpty, "\(p.info.id)") }
        for comp in c.competencies {
            #expect(!c.modules(covering: comp.info.id).isEmpty, "\(comp.info.id)")
            #expect(!c.assessments(assessing: comp.info.id).isEmpty, "\(comp.info.id)")
        }
    }
}

/// One fixture project per curriculum diagnostic, under `Fixtures/diagnostics/<code>/`, each
/// with `expected.txt`: the exact `Diagnostic.formatted` lines with paths relative to the
/// fixture. To refresh after a deliberate change of wording, run the tests with
/// `KITBAG_UPDATE_GOLDEN=1` set (the run then fails, naming the files) and review the diff with `git diff`.
@Suite struct CurriculumDiagnosticFixtureTests {
    /// The fixture folders, and the severity of the diagnostic each one shows.
    static let cases: [(String, Severity)] = [
        ("unknown-principle", .error),
        ("unknown-competency", .error),
        ("unknown-module", .error),
        ("unknown-assessment", .error),
        ("prerequisite-cycle", .error),
        ("assessment-of-nothing", .error),
        ("principle-without-competency", .warning),
        ("competency-without-module", .warning),
        ("competency-without-assessment", .warning),
        ("duplicate-id", .error),
        ("missing-key", .error),
        ("unknown-key", .warning),
        ("front-matter-syntax", .error),
        ("crlf-bom", .error),
    ]

    static func diagnostics(for name: String) -> (text: String, diagnostics: [Diagnostic]) {
        let root = Support.fixtures("diagnostics/\(name)")
        let paths = ProjectPaths(root: root)
        let (_, diagnostics) = loadAndValidate(paths)
        let text = diagnostics.map(\.formatted).joined(separator: "\n")
            .replacing(paths.displayPrefix, with: "")
        return (text, diagnostics)
    }

    @Test(arguments: cases.map(\.0))
    func fixtureGivesExactlyTheExpectedDiagnostics(_ name: String) {
        let expectedPath = Support.fixtures("diagnostics/\(name)/expected.txt")
        let (text, _) = Self.diagnostics(for: name)
        Golden.expectMatch(text + "\n", with: expectedPath)
    }

    @Test(arguments: cases)
    func fixtureDiagnosticHasTheRightSeverity(_ name: String, _ severity: Severity) {
        let (_, diagnostics) = Self.diagnostics(for: name)
        let code = name == "crlf-bom" ? "unknown-principle" : name
        let matching = diagnostics.filter { $0.code.rawValue == code }
        #expect(!matching.isEmpty, "no '\(code)' diagnostic")
        #expect(matching.allSatisfy { $0.severity == severity })
        // Each fixture shows its one problem: nothing else is reported.
        #expect(diagnostics.allSatisfy { $0.code.rawValue == code }, "\(diagnostics.map(\.formatted))")
        #expect(diagnostics.containsErrors == (severity == .error))
    }

    @Test func cycleIsReportedAtTheReferenceThatClosesIt() throws {
        let (_, diagnostics) = Self.diagnostics(for: "prerequisite-cycle")
        let cycle = try #require(diagnostics.first { $0.code.rawValue == "prerequisite-cycle" })
        #expect(cycle.message == "prerequisite cycle: M01 -> M02 -> M03 -> M01")
        #expect(cycle.location?.file.hasSuffix("Curriculum/modules/M03.md") == true)
        #expect(cycle.location?.line == 5)
        #expect(cycle.location?.column == 17)
        #expect(cycle.notes.count == 3)
    }

    @Test func crlfAndByteOrderMarkKeepLocations() throws {
        let (_, diagnostics) = Self.diagnostics(for: "crlf-bom")
        let d = try #require(diagnostics.first)
        #expect(d.location?.line == 6)
        #expect(d.location?.column == 5)
        #expect(d.message == "unknown principle 'P4' in C01")
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while s.last == "\n" || s.last == "\r" { s = s.dropLast() }
        return String(s)
    }
}
