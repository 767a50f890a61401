import CurriculumKit
import HandbookKit
import KitbagCLI
import KitbagCore
import KitbagTestSupport
import ProposalsKit
import Testing

/// Proposals name targets in the handbook's one ID namespace, with its one chapter-file rule,
/// and `kitbag check` loads each shared source once.
@Suite struct TargetNamespaceTests {
    /// A small book where the old proposals rule and the handbook disagreed: a section called
    /// "Main" (the page shell's ID), an automatic slug written before the explicit ID it
    /// collides with, and a chapter-like file whose number is too large to be a chapter.
    func disputedBook() throws -> TempProject {
        let project = try TempProject(sample: false)
        try project.write("---\ntitle: Disputed\n---\n", to: "Handbook/book.md")
        try project.write("group,kind,site\nG,mixed,Sussex\n", to: "Proposals/groups.csv")
        try project.write("# First\n\nIntro.\n\n## Main\n\nMain text.\n\n## Risk\n\nRisk text.\n\n### Detail\n\nDetail text.\n", to: "Handbook/01-first.md")
        try project.write("# Second\n\n## Risk and safety {#risk}\n\nThe explicit one.\n\n## After\n\nAfter text.\n", to: "Handbook/02-second.md")
        try project.write("# Extra {#extra}\n\n## Extra part\n\nNot in the book.\n", to: "Handbook/99999999999999999999-extra.md")
        return project
    }

    @Test func proposeResolvesExactlyWhatTheHandbookResolves() throws {
        let project = try disputedBook()
        defer { project.remove() }
        let (handbook, diagnostics) = HandbookCompiler.resolve(project.paths, options: .init())
        #expect(diagnostics.contains { $0.code == .notAChapter && $0.location?.file.hasSuffix("99999999999999999999-extra.md") == true })
        #expect(handbook.targets["main-2"]?.kind == .section)
        #expect(handbook.targets["risk"]?.text == "2.1 Risk and safety")
        #expect(handbook.targets["risk-2"]?.text == "1.2 Risk")
        #expect(handbook.targets["main"] == nil && handbook.targets["extra"] == nil)

        // Each ID gives the file and the heading line the handbook gives, and its section's lines.
        let expected: [(id: String, kind: String, file: String, lines: String)] = [
            ("main-2", "section", "Handbook/01-first.md", "5-8"),
            ("risk-2", "section", "Handbook/01-first.md", "9-15"),
            ("risk", "section", "Handbook/02-second.md", "3-6"),
            ("first", "chapter", "Handbook/01-first.md", "1-15"),
        ]
        for e in expected {
            let result = project.run(["propose", e.id, "--group", "G"])
            #expect(result.status == 0, "\(e.id): \(result.err)")
            #expect(result.out.contains(": \(e.kind) '\(e.id)' (\(e.file), lines \(e.lines))"), "\(e.id): \(result.out)")
            #expect(e.lines.hasPrefix("\(handbook.targets[e.id]?.location.line ?? 0)-"))
        }
        // IDs the handbook does not have are no targets, with the handbook's ID suggested.
        let main = project.run(["propose", "main", "--group", "G"])
        #expect(main.status == 1 && main.err.contains("unknown target 'main'") && main.err.contains("did you mean 'main-2'?"), "\(main.err)")
        let extra = project.run(["propose", "extra", "--group", "G"])
        #expect(extra.status == 1 && extra.err.contains("unknown target 'extra'"), "\(extra.err)")
        // The file the handbook reports as not a chapter is only a file, never a chapter: its
        // bare name is not a chapter file's, so it needs its folder.
        let file = project.run(["propose", "Handbook/99999999999999999999-extra.md", "--group", "G"])
        #expect(file.status == 0 && file.out.contains(": file 'Handbook/99999999999999999999-extra.md'"), "\(file.out)\(file.err)")
        #expect(project.run(["propose", "99999999999999999999-extra.md", "--group", "G"]).err.contains("outside Handbook/ and Curriculum/"))
        let chapter = project.run(["propose", "02-second.md", "--group", "G"])
        #expect(chapter.out.contains(": chapter 'Handbook/02-second.md'"), "\(chapter.out)")
    }

    @Test func everyHeadingIDOfTheSampleResolvesToTheHandbooksPlace() throws {
        let paths = ProjectPaths(root: Support.repositoryRoot)
        let (handbook, _) = HandbookCompiler.resolve(paths, options: .init())
        let outline = handbook.outline
        let resolver = TargetResolver(paths: paths, handbook: handbook)
        var checked = 0
        for (id, target) in handbook.targets {
            switch target.kind {
            case .chapter, .section, .glossaryTerm:
                guard case .success(let resolved) = resolver.resolve(id) else {
                    Issue.record("'\(id)' does not resolve")
                    continue
                }
                #expect(resolved.relativePath == outline.files[id], "\(id)")
                if target.kind == .chapter {
                    #expect(resolved.kind == .chapter, "\(id)")
                    #expect(outline.chapterFiles.contains(resolved.relativePath), "\(id)")
                } else {
                    #expect(resolved.file.location(ofByteOffset: resolved.region.lowerBound).line == target.location.line, "\(id)")
                }
                checked += 1
            case .table:
                guard case .failure(let error) = resolver.resolve(id) else {
                    Issue.record("table '\(id)' resolved")
                    continue
                }
                #expect(error.message.contains("is a table"))
            default:
                guard case .success(let resolved) = resolver.resolve(id) else {
                    Issue.record("'\(id)' does not resolve")
                    continue
                }
                #expect(resolved.kind == .curriculumItem && resolved.relativePath == handbook.curriculum.item(id)?.relativePath, "\(id)")
            }
        }
        #expect(checked > 100)
        #expect(outline.chapterFiles.count == 15)
    }

    @Test func checkLoadsTheCurriculumAndTheDecisionLogOnce() {
        final class Counts { var curriculum = 0, decisions = 0 }
        let counts = Counts()
        let paths = ProjectPaths(root: Support.repositoryRoot)
        let marker = SourceLocation(file: "marker", line: 1, column: 1)
        let loaders = ProjectLoaders(
            curriculum: { paths in
                counts.curriculum += 1
                let (curriculum, diagnostics) = CurriculumLoader.load(paths)
                return (curriculum, diagnostics + [.warning(.strayFile, "curriculum as loaded by the test", at: marker)])
            },
            decisions: { paths in
                counts.decisions += 1
                let (decisions, diagnostics) = DecisionLog.load(paths)
                return (decisions, diagnostics + [.warning(.strayFile, "decisions as loaded by the test", at: marker)])
            })
        let today = ISODate.today()
        let diagnostics = ProjectCheck.diagnostics(paths, today: today, loaders: loaders)
        #expect(counts.curriculum == 1)
        #expect(counts.decisions == 1)
        // What the loaders returned is what every part used: each marker is reported once, and
        // the rest is what reading the files gives (the sample, with its site editions, is clean).
        #expect(diagnostics.map(\.message) == ["curriculum as loaded by the test", "decisions as loaded by the test"])
        #expect(ProjectCheck.diagnostics(paths, today: today).map(\.message) == [])

        // Every part works from the values handed to it: without module M01 and fidelity item
        // F01 the handbook, the tracker and fidelity report them missing; a decision naming a
        // proposal that does not exist reaches the proposals' check.
        let altered = ProjectLoaders(
            curriculum: { paths in
                var (curriculum, diagnostics) = CurriculumLoader.load(paths)
                curriculum.modules.removeAll { $0.info.id == "M01" }
                curriculum.fidelityItems.removeAll { $0.info.id == "F01" }
                return (curriculum, diagnostics)
            },
            decisions: { paths in
                let (decisions, diagnostics) = DecisionLog.load(paths)
                let ghost = Decision(date: today, proposal: "Proposals/ghost.md", suggestion: 1, decision: DecisionLog.accepted, reason: "",
                                     group: "G", round: 1, by: "test", location: marker)
                return (decisions + [ghost], diagnostics)
            })
        let reported = ProjectCheck.diagnostics(paths, today: today, loaders: altered)
        for folder in ["Handbook/", "Cohorts/", "Fidelity/"] {
            #expect(reported.contains { $0.severity == .error && $0.location?.file.contains("/\(folder)") == true }, "\(folder)")
        }
        #expect(reported.contains { $0.code == .decisionUnknownProposal && $0.message.contains("ghost.md") })
    }
}
