import KitbagCore
@testable import ProposalsKit
import Testing
import KitbagTestSupport

/// Random documents with random valid suggestion sets: accepting all gives the text with the
/// marks resolved by hand; rejecting all leaves the target byte-identical.
@Suite struct PropertyTests {
    static let words = ["peer", "ward", "support", "plan", "café", "the", "and", "a", "meets", "weekly", "—", "safe", "ü", "#", "*", "[](#x)"]

    /// A random text of words, spaces, line breaks and blank lines, without CriticMarkup delimiters.
    static func randomText(_ rng: inout SeededGenerator, words count: Int) -> String {
        var text = ""
        for i in 0..<count {
            text += words.randomElement(using: &rng)!
            if i < count - 1 {
                switch Int.random(in: 0..<12, using: &rng) {
                case 0: text += "\n"
                case 1: text += "\n\n"
                case 2: text += ", "
                default: text += " "
                }
            }
        }
        return text
    }

    /// Splits `original` into pieces and marks some of them; returns the marked copy and the
    /// text with every mark accepted, built by hand alongside.
    static func randomProposal(_ original: String, _ rng: inout SeededGenerator) -> (marked: String, accepted: String) {
        let chars = Array(original)
        var cuts = Set<Int>()
        for _ in 0..<Int.random(in: 0...12, using: &rng) { cuts.insert(Int.random(in: 0...chars.count, using: &rng)) }
        let bounds = [0] + cuts.sorted().filter { $0 > 0 && $0 < chars.count } + [chars.count]
        var marked = "", accepted = ""
        func fresh() -> String { randomText(&rng, words: Int.random(in: 1...3, using: &rng)) }
        for (a, b) in zip(bounds, bounds.dropFirst()) {
            let piece = String(chars[a..<b])
            if Int.random(in: 0..<4, using: &rng) == 0 {
                let new = fresh()
                marked += "{++\(new)++}"
                accepted += new
            }
            if piece.isEmpty { continue }
            switch Int.random(in: 0..<8, using: &rng) {
            case 0:
                marked += "{--\(piece)--}"
            case 1:
                var new = fresh()
                if new == piece { new += " more" }
                marked += "{~~\(piece)~>\(new)~~}"
                accepted += new
            case 2:
                marked += piece.trimmed().isEmpty ? piece : "{==\(piece)==}{>>note<<}"
                accepted += piece
            case 3:
                marked += piece + "{>>a comment<<}"
                accepted += piece
            default:
                marked += piece
                accepted += piece
            }
        }
        return (marked, accepted)
    }

    @Test func acceptingAllEqualsResolvingByHandAndRejectingAllChangesNothing() throws {
        var rng = SeededGenerator(seed: 2026)
        for round in 0..<60 {
            let original = "# Test {#test}\n\n" + Self.randomText(&rng, words: Int.random(in: 1...60, using: &rng)) + "\n"
            let (marked, accepted) = Self.randomProposal(original, &rng)
            for accept in [true, false] {
                let project = try TempProject(sample: false)
                defer { project.remove() }
                try project.write(original, to: "Handbook/01-test.md")
                let proposalText = Proposal.render(group: "G", round: 1, submitted: ISODate(year: 2026, month: 1, day: 1)!,
                                                   target: "Handbook/01-test.md", title: nil, copy: Array(marked.utf8),
                                                   fingerprint: Proposal.fingerprint(of: Array(original.utf8)))
                try project.write(proposalText, to: "Proposals/p.md")
                let proposal = Proposal.parse(relativePath: "Proposals/p.md", file: SourceFile(displayPath: "p", text: proposalText))
                #expect(proposal.isValid, "round \(round): \(proposal.diagnostics.map(\.formatted))")
                #expect(String(decoding: proposal.original, as: UTF8.self) == original)
                guard !proposal.suggestions.isEmpty else { continue }
                let result = Deciding.decide(paths: project.paths, proposalPath: "Proposals/p.md", only: nil, accept: accept,
                                             reason: "because", by: "T", today: ISODate(year: 2026, month: 2, day: 1)!)
                if case .failure(let list) = result { Issue.record("round \(round): \(list.diagnostics.map(\.formatted))") }
                #expect(project.read("Handbook/01-test.md") == (accept ? accepted : original), "round \(round), accept \(accept)")
                #expect(project.read("Proposals/p.md") == proposalText)
                #expect(DecisionLog.load(project.paths).0.count == proposal.suggestions.count)
            }
        }
    }

    @Test func anchoringSurvivesEditsElsewhere() {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<300 {
            let text = Array(Self.randomText(&rng, words: 80).utf8)
            let start = Int.random(in: 0..<text.count, using: &rng)
            var range = start..<min(text.count, start + Int.random(in: 0...10, using: &rng))
            while range.lowerBound > 0, text[range.lowerBound] & 0xC0 == 0x80 { range = (range.lowerBound - 1)..<range.upperBound }
            while range.upperBound < text.count, text[range.upperBound] & 0xC0 == 0x80 { range = range.lowerBound..<(range.upperBound + 1) }
            // Edit far before and far after: the anchor moves with the text.
            let prefix = Array("A new opening sentence.\n\n".utf8)
            var current = prefix + text
            if range.upperBound + 80 < text.count { current.replaceSubrange((prefix.count + range.upperBound + 70)..<(prefix.count + range.upperBound + 72), with: Array("XY".utf8)) }
            let state = Anchoring.anchor(expected: text, range: range, current: current, replacement: nil)
            if let found = state.range {
                #expect(Array(current[found]) == Array(text[range]))
            }
            if range.lowerBound >= 24, range.upperBound + 24 <= text.count, Anchoring.occurrences(of: Array(text[(range.lowerBound - 16)..<(range.upperBound + 16)]), in: text, limit: 2).count == 1 {
                #expect(state.range == (range.lowerBound + prefix.count)..<(range.upperBound + prefix.count))
            }
        }
    }
}

/// Anchoring's substring search: the same answers as a plain scan, and linear on long runs of
/// one byte (the input `Fuzz/run proposal` timed out on).
@Suite struct AnchorSearchTests {
    static func plain(_ needle: [UInt8], _ haystack: [UInt8], limit: Int) -> [Int] {
        guard !needle.isEmpty, needle.count <= haystack.count else { return [] }
        var result: [Int] = []
        for i in 0...(haystack.count - needle.count) where Array(haystack[i..<(i + needle.count)]) == needle {
            result.append(i)
            if result.count >= limit { break }
        }
        return result
    }

    @Test func findsWhatAPlainScanFinds() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let alphabet: [UInt8] = [97, 98, 99]
            let haystack = (0..<Int.random(in: 0...40, using: &rng)).map { _ in alphabet.randomElement(using: &rng) ?? 97 }
            let needle = (0..<Int.random(in: 0...5, using: &rng)).map { _ in alphabet.randomElement(using: &rng) ?? 97 }
            let limit = Int.random(in: 1...4, using: &rng)
            #expect(Anchoring.occurrences(of: needle, in: haystack, limit: limit) == Self.plain(needle, haystack, limit: limit),
                    "\(needle) in \(haystack), limit \(limit)")
        }
    }

    @Test func aLongRunOfOneByteIsSearchedInOnePass() {
        // A plain scan compares about 400,000 x 4,000 bytes here; the search does about 800,000.
        let haystack = [UInt8](repeating: 97, count: 400_000)
        let needle = [UInt8](repeating: 97, count: 4_000) + [98]
        #expect(Anchoring.occurrences(of: needle, in: haystack, limit: 2).isEmpty)
        #expect(Anchoring.occurrences(of: [UInt8](repeating: 97, count: 4_000), in: haystack, limit: 2) == [0, 1])
    }
}
