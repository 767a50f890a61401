import KitbagCore
@testable import ProposalsKit
import Testing
import KitbagTestSupport

@Suite struct CriticMarkupTests {
    func proposal(_ body: String) -> Proposal {
        let text = "---\ngroup: G\ntarget: ward\nsubmitted: 2026-01-01\n---\n" + body
        return Proposal.parse(relativePath: "Proposals/p.md", file: SourceFile(displayPath: "Proposals/p.md", text: text))
    }

    @Test func readsAllFiveMarksWithLocations() {
        let p = proposal("One {++two++} three\n{--four--} {~~five~>six~~}\nseven {>>note<<} {==eight==}\n")
        #expect(p.diagnostics.isEmpty)
        #expect(p.suggestions.map(\.kind) == [.addition, .deletion, .substitution, .comment, .highlight])
        #expect(p.suggestions.map(\.number) == [1, 2, 3, 4, 5])
        #expect(p.suggestions.map { "\($0.location.line):\($0.location.column)" } == ["6:5", "7:1", "7:12", "8:7", "8:18"])
        #expect(p.suggestions[2].oldText == "five" && p.suggestions[2].newText == "six")
        #expect(p.suggestions[3].note == "note")
        #expect(String(decoding: p.original, as: UTF8.self) == "One  three\nfour five\nseven  eight\n")
        #expect(String(decoding: p.text(accepting: [1, 2, 3, 4, 5]).bytes, as: UTF8.self) == "One two three\n six\nseven  eight\n")
    }

    @Test func commentRightAfterAMarkBelongsToIt() {
        let p = proposal("a {~~b~>c~~}{>>why<<} d {==e==}{>>look<<} {>>alone<<}\n")
        #expect(p.suggestions.count == 3)
        #expect(p.suggestions[0].note == "why")
        #expect(p.suggestions[1].kind == .highlight && p.suggestions[1].note == "look")
        #expect(p.suggestions[2].kind == .comment)
    }

    @Test func columnsCountCharactersNotBytes() {
        let p = proposal("café {++x++}\n")
        #expect(p.suggestions.first?.location.column == 6)
    }

    @Test func instructionsAreNotRead() {
        let p = proposal(Proposal.instructions + "\n\nText {++more++}\n")
        #expect(p.suggestions.count == 1)
        #expect(String(decoding: p.original, as: UTF8.self) == "Text \n")
    }

    @Test func malformedMarksAreErrorsAtTheirLine() {
        let p = proposal("fine\n{++never closed\nmore\n")
        #expect(p.diagnostics.map(\.code.rawValue) == ["critic-unclosed"])
        #expect(p.diagnostics.first?.location?.line == 7)

        let nested = proposal("x {++a {--b--} c++}\n")
        #expect(nested.diagnostics.contains { $0.code.rawValue == "critic-nested" && $0.location?.line == 6 && $0.location?.column == 8 })

        let empty = proposal("{~~~>new~~} {~~~>~~} {++++} {~~same~>same~~} {~~no arrow~~}\n")
        #expect(empty.diagnostics.map(\.code.rawValue) == ["critic-empty", "critic-empty", "critic-empty", "critic-empty", "critic-substitution"])
        #expect(empty.diagnostics.allSatisfy { $0.severity == .error && $0.location?.line == 6 })
        #expect(!empty.isValid)
    }

    @Test func missingFrontMatterKeysAreErrors() {
        let p = Proposal.parse(relativePath: "Proposals/p.md", file: SourceFile(displayPath: "Proposals/p.md", text: "---\ngroup: G\ntarget: ward\n---\ntext\n"))
        #expect(p.diagnostics.contains { $0.code.rawValue == "missing-key" && $0.message.contains("submitted") })
        let none = Proposal.parse(relativePath: "Proposals/p.md", file: SourceFile(displayPath: "Proposals/p.md", text: "just text {++x++}\n"))
        #expect(none.diagnostics.contains { $0.code.rawValue == "missing-front-matter" })
    }

    @Test func randomBytesNeverCrashTheReader() {
        var rng = SeededGenerator(seed: 42)
        let alphabet: [UInt8] = Array("{}+-~><=a \n\r".utf8) + [0xC3, 0xA9, 0xFF, 0x80, 0x00]
        for _ in 0..<2000 {
            let count = Int.random(in: 0..<200, using: &rng)
            let bytes = (0..<count).map { _ in
                Bool.random(using: &rng) ? alphabet.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
            }
            let file = SourceFile(displayPath: "fuzz.md", bytes: bytes)
            let scanned = CriticMarkup.read(file)
            for d in scanned.diagnostics { #expect((d.location?.line ?? 0) >= 1 && (d.location?.column ?? 0) >= 1) }
            let p = Proposal.parse(relativePath: "Proposals/fuzz.md", file: file)
            _ = p.text(accepting: Set(p.suggestions.map(\.number)))
            // Reassembled pieces give back the text exactly.
            var joined: [UInt8] = []
            let all = Array(file.text.utf8)
            for piece in scanned.pieces {
                switch piece {
                case .text(let t): joined += t
                case .mark(let m): joined += all[m.range]
                }
            }
            #expect(joined == all)
        }
    }
}
