import KitbagCore
@testable import ProposalsKit
import Testing

let pandocPath = Subprocess.find("pandoc", environment: ["PATH": "/usr/local/bin:/usr/bin:/bin"])

@Suite struct WordRoundTripTests {
    static let environment = ["PATH": "/usr/local/bin:/usr/bin:/bin"]

    /// Runs pandoc and returns its output file's text.
    func pandoc(_ arguments: [String], output: String) throws -> String {
        let errors = Subprocess.temporaryPath(".err")
        defer { FileSystem.remove(errors) }
        let status = Subprocess.run(pandocPath ?? "pandoc", arguments + ["-o", output], stdoutPath: nil, stderrPath: errors)
        #expect(status == 0, "pandoc failed: \(WordRoundTrip.errorText(errors))")
        return String(decoding: try FileSystem.readBytes(output), as: UTF8.self)
    }

    func replaceOnce(_ text: inout String, _ old: String, _ new: String) {
        let count = text.ranges(of: old).count
        #expect(count == 1, "expected '\(old)' once, found \(count)")
        text = text.replacing(old, with: new)
    }

    /// Word tests need pandoc: they fail (never skip) without it.
    static func requirePandoc() -> Bool {
        #expect(pandocPath != nil, "pandoc is not installed; install it with: sudo apt-get install pandoc (or run Tests/install-tools)")
        return pandocPath != nil
    }

    @Test func docxWithTrackedChangesImportsAsTheSameSuggestions() throws {
        guard Self.requirePandoc() else { return }
        let project = try TempProject()
        defer { project.remove() }
        let made = project.run(["propose", "ward-frequency", "--group", "Pennine LAG", "--round", "3", "--docx", "--out", "Proposals/word.docx"], environment: Self.environment)
        #expect(made.status == 0, "\(made.err)")

        // Edit the .docx as a Word user would: tracked changes and a comment, written by pandoc.
        let json = project.root + "/edit.json"
        var ast = try pandoc(["-f", "docx", "-t", "json", project.root + "/Proposals/word.docx"], output: json)
        let by = "[[\"author\",\"Pennine LAG\"],[\"date\",\"2026-05-01T10:00:00Z\"]]"
        func span(_ kind: String, _ inlines: String) -> String { "{\"t\":\"Span\",\"c\":[[\"\",[\"\(kind)\"],\(by)],[\(inlines)]]}" }
        func str(_ s: String) -> String { "{\"t\":\"Str\",\"c\":\"\(s)\"}" }
        let space = "{\"t\":\"Space\"}"
        replaceOnce(&ast, [str("once"), space, str("a"), space, str("week,")].joined(separator: ","),
                    [span("deletion", [str("once"), space, str("a"), space, str("week")].joined(separator: ",")),
                     span("insertion", [str("twice"), space, str("a"), space, str("week")].joined(separator: ",")), str(",")].joined(separator: ","))
        replaceOnce(&ast, str("helpful."), str("helpful.") + "," + span("insertion", [space, str("Evening"), space, str("visits"), space, str("suit"), space, str("some"), space, str("people.")].joined(separator: ",")))
        replaceOnce(&ast, [str("quiet"), space].joined(separator: ","), span("deletion", [str("quiet"), space].joined(separator: ",")))
        replaceOnce(&ast, [str("thirty"), space, str("minutes")].joined(separator: ","),
                    "{\"t\":\"Span\",\"c\":[[\"\",[\"comment-start\"],[[\"id\",\"0\"],[\"author\",\"Pennine LAG\"],[\"date\",\"2026-05-01T10:00:00Z\"]]],[\(str("Is"))," + space + ",\(str("this"))," + space + ",\(str("realistic?"))]]},"
                    + [str("thirty"), space, str("minutes")].joined(separator: ",")
                    + ",{\"t\":\"Span\",\"c\":[[\"\",[\"comment-end\"],[[\"id\",\"0\"]]],[]]}")
        try project.write(ast, to: "edit.json")
        _ = try pandoc(["-f", "json", "-t", "docx", json], output: project.root + "/Proposals/word-edited.docx")

        let imported = project.run(["proposals", "import", "Proposals/word-edited.docx"], environment: Self.environment)
        #expect(imported.status == 0, "\(imported.err)")
        #expect(imported.err.isEmpty, "\(imported.err)")  // the text came back exactly: no drift warning
        #expect(imported.out.contains("4 suggestions from Pennine LAG, round 3"))
        let name = "Proposals/word-edited.md"
        let proposal = Proposal.parse(relativePath: name, file: SourceFile(displayPath: name, text: project.read(name)))
        #expect(proposal.isValid)
        #expect(proposal.group == "Pennine LAG" && proposal.round == 3 && proposal.target == "ward-frequency")

        // The same suggestions as the CriticMarkup a text-editor user would have written.
        var hand = project.read(name)
        for mark in ["{~~once a week~>twice a week~~}", "{++ Evening visits suit some people.++}", "{-- quiet--}", "{==thirty minutes==}{>>Is this realistic?<<}"] {
            #expect(hand.contains(mark), "missing \(mark)")
        }
        hand = ""
        let s = proposal.suggestions
        #expect(s.map(\.kind) == [.substitution, .addition, .deletion, .highlight])
        #expect(s.map(\.oldText) == ["once a week", "", " quiet", "thirty minutes"])
        #expect(s.map(\.newText) == ["twice a week", " Evening visits suit some people.", "", ""])
        #expect(s[3].note == "Is this realistic?")

        // They anchor in the current chapter and apply.
        let workspace = ProposalsWorkspace.load(project.paths)
        #expect(workspace.proposal(name)?.state == .open)
        let accept = project.run(["proposals", "accept", name, "--only", "2,3"])
        #expect(accept.status == 0, "\(accept.err)")
        let chapter = project.read(Sample.chapter)
        #expect(chapter.contains("if both find it helpful. Evening visits suit some people. Meetings can take place in a room on the ward"))
    }

    /// What a group reads in the Word copy: no Markdown syntax.
    func plainText(_ project: TempProject, _ docx: String) throws -> String {
        try pandoc(["-f", "docx", "-t", "plain", project.root + "/" + docx], output: project.root + "/plain.txt")
    }

    @Test func unchangedDocxGivesNoSuggestionsAndAcceptingLeavesTheSourceByteIdentical() throws {
        guard Self.requirePandoc() else { return }
        let project = try TempProject()
        defer { project.remove() }
        let made = project.run(["propose", "ward", "--group", "Sussex LAG", "--docx", "--out", "Proposals/ward.docx"], environment: Self.environment)
        #expect(made.status == 0, "\(made.err)")
        let plain = try plainText(project, "Proposals/ward.docx")
        #expect(!plain.contains("[](#") && !plain.contains("{#"))
        #expect(!plain.split(separator: "\n").contains { $0.hasPrefix("#") })
        #expect(plain.contains("as set\nout in 11.4 Risk, safety and handover") || plain.contains("as set out in 11.4 Risk, safety and handover"), "\(plain)")
        #expect(plain.contains("Frequency, location and duration"))

        let chapter = project.bytes(Sample.chapter)
        let imported = project.run(["proposals", "import", "Proposals/ward.docx"], environment: Self.environment)
        #expect(imported.status == 0, "\(imported.err)")
        #expect(imported.out.contains("0 suggestions from Sussex LAG"))
        let list = project.run(["proposals", "--format", "json"])
        #expect(list.out.contains("\"file\": \"Proposals/ward.md\", \"group\": \"Sussex LAG\", \"round\": 1, \"target\": \"ward\", \"state\": \"open\", \"suggestions\": 0"), "\(list.out)")
        let accepted = project.run(["proposals", "accept", "Proposals/ward.md"])
        #expect(accepted.status == 0, "\(accepted.err)")
        #expect(project.bytes(Sample.chapter) == chapter)
    }

    @Test func anEditInsideAReferenceBecomesACommentOnIt() throws {
        guard Self.requirePandoc() else { return }
        let project = try TempProject()
        defer { project.remove() }
        #expect(project.run(["propose", "first-meeting", "--group", "Sussex LAG", "--docx", "--out", "Proposals/fm.docx"], environment: Self.environment).status == 0)
        let json = project.root + "/edit.json"
        var ast = try pandoc(["-f", "docx", "-t", "json", project.root + "/Proposals/fm.docx"], output: json)
        let by = "[[\"author\",\"Sussex LAG\"],[\"date\",\"2026-05-01T10:00:00Z\"]]"
        func span(_ kind: String, _ inlines: String) -> String { "{\"t\":\"Span\",\"c\":[[\"\",[\"\(kind)\"],\(by)],[\(inlines)]]}" }
        func str(_ s: String) -> String { "{\"t\":\"Str\",\"c\":\"\(s)\"}" }
        // "11.4 Risk, safety and handover" -> "11.4 Risk and handover"; "form" -> "paperwork".
        replaceOnce(&ast, str("safety") + ",{\"t\":\"Space\"}," + str("and") + ",{\"t\":\"Space\"}," + str("handover."),
                    span("deletion", str("safety") + ",{\"t\":\"Space\"}," + str("and")) + ",{\"t\":\"Space\"}," + str("handover."))
        replaceOnce(&ast, str("form"), span("deletion", str("form")) + "," + span("insertion", str("paperwork")))
        try project.write(ast, to: "edit.json")
        _ = try pandoc(["-f", "json", "-t", "docx", json], output: project.root + "/Proposals/fm-edited.docx")
        let imported = project.run(["proposals", "import", "Proposals/fm-edited.docx"], environment: Self.environment)
        #expect(imported.status == 0, "\(imported.err)")
        let text = project.read("Proposals/fm-edited.md")
        #expect(text.contains("There is no {~~form~>paperwork~~} to complete."), "\(text)")
        #expect(text.contains("{==[](#risk-safety)==}{>>suggested change to \u{201C}11.4 Risk, safety and handover\u{201D}: delete 'safety and'<<}"), "\(text)")
        let workspace = ProposalsWorkspace.load(project.paths)
        #expect(workspace.proposal("Proposals/fm-edited.md")?.states.map(\.suggestion.kind) == [.substitution, .highlight])
        #expect(workspace.allDiagnostics.isEmpty, "\(workspace.allDiagnostics)")
    }

    @Test func missingPandocSaysHowToInstallIt() throws {
        let project = try TempProject()
        defer { project.remove() }
        let result = project.run(["propose", "ward", "--group", "Coastal LAG", "--docx"], environment: ["KITBAG_PANDOC": "/nonexistent/pandoc"])
        #expect(result.status == 1)
        #expect(result.err.contains("pandoc is needed") && result.err.contains("apt-get install pandoc"))
        try project.write("not a docx", to: "x.docx")
        let imported = project.run(["proposals", "import", "x.docx"], environment: ["KITBAG_PANDOC": "/nonexistent/pandoc"])
        #expect(imported.status == 1 && imported.err.contains("apt-get install pandoc"))
        #expect(!FileSystem.exists(project.root + "/Proposals/x.md"))
    }

    @Test func paragraphsSplitAndJoinBackExactly() {
        for text in ["a\n\nb", "a\n\n\n\nb\n", "\n\nx", "one\ntwo\n\n\nthree\n\n", ""] {
            let chunks = WordRoundTrip.chunks(text)
            #expect(chunks.joined(separator: "\n\n") == text || chunks.joined(separator: "\n\n") + "\n\n" == text)
        }
        #expect(WordRoundTrip.protectSpaces("  a  b c ") == "\u{A0}\u{A0}a\u{A0}\u{A0}b c\u{A0}")
    }
}
