import KitbagCore
@testable import ProposalsKit
import Testing
import KitbagTestSupport

/// The text lay readers see, and the way edits to it find their way back to the source.
@Suite struct ReadableTextTests {
    static let references = ["risk-safety": "11.4 Risk, safety and handover", "M03": "M03: Sharing lived experience safely"]
    static func view(_ source: String) -> ReadableText {
        ReadableText(source: Array(source.utf8)) { references[$0] }
    }

    @Test func headingsReferencesLinksAndEmphasisReadAsText() {
        let v = Self.view("## First meeting {#first-meeting}\n\nThe *first* meeting, as in [](#risk-safety),\nuses [these skills](#M03) and `code`.\n\n```{changes}\n```\n\n# Last ##\n")
        #expect(v.text == "First meeting\n\nThe first meeting, as in 11.4 Risk, safety and handover, uses these skills and code.\n\nLast")
        #expect(v.blocks.map(\.level) == [2, 0, 1])
    }

    @Test func editsMapBackToTheSource() {
        let source = "## First meeting {#first-meeting}\n\nAs in [](#risk-safety), use [these skills](#M03) well.\n"
        let v = Self.view(source)
        let text = v.text
        func range(_ s: String) -> Range<Int> {
            let bytes = Array(text.utf8), needle = Array(s.utf8)
            let start = (0...(bytes.count - needle.count)).first { Array(bytes[$0..<($0 + needle.count)]) == needle } ?? 0
            return start..<(start + needle.count)
        }
        func sourceText(_ r: Range<Int>) -> String { String(decoding: Array(source.utf8)[r], as: UTF8.self) }
        #expect(sourceText(v.sourceRange(ofReadable: range("meeting")).range) == "meeting")
        #expect(sourceText(v.sourceRange(ofReadable: range("these skills")).range) == "[these skills](#M03)")
        #expect(sourceText(v.sourceRange(ofReadable: range("skills")).range) == "skills")
        #expect(v.sourceRange(ofReadable: range("safety")).cutReference != nil)
        #expect(sourceText(v.sourceRange(ofReadable: range("11.4 Risk, safety and handover")).range) == "[](#risk-safety)")
    }

    static let pieces = ["word", "## ", "# ", "{#id}", "[](#risk-safety)", "[text](#M03)", "[](#nope)", "*", "**", "_", "`", "```", "\\", "[", "]", "(", ")",
                         "\n", "\n\n", "\r\n", "  ", " ", "café", "{-}", "!", "~~~", "#"]

    /// Any source reads, and its unchanged readable text maps back to exactly the source.
    @Test func unchangedReadableTextGivesBackTheSourceExactly() {
        var rng = SeededGenerator(seed: 20)
        for _ in 0..<300 {
            var source = ""
            for _ in 0..<Int.random(in: 0...40, using: &rng) { source += Self.pieces.randomElement(using: &rng)! }
            let snapshot = Array(source.utf8)
            let v = ReadableText(source: snapshot) { Self.references[$0] }
            for s in v.segments { #expect(s.source.upperBound <= snapshot.count && s.readable.upperBound <= v.bytes.count) }
            let back = ReadableEdits.sourceCopy(marked: v.text, snapshot: snapshot, view: v)
            #expect(back.suggestions == 0 && back.copy == snapshot, "\(source.debugDescription)")
        }
    }

    @Test func randomBytesNeverCrash() {
        var rng = SeededGenerator(seed: 21)
        for _ in 0..<300 {
            let bytes = (0..<Int.random(in: 0...120, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let v = ReadableText(source: bytes) { _ in "x" }
            for r in 0...v.bytes.count { _ = v.sourceOffset(ofReadable: r, lean: .left); _ = v.sourceRange(ofReadable: r..<min(v.bytes.count, r + 3)) }
            for s in 0...bytes.count { #expect(v.readableOffset(ofSource: s) <= v.bytes.count) }
        }
    }
}
