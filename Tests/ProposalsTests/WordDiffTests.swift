import KitbagCore
@testable import ProposalsKit
import Testing
import KitbagTestSupport

/// The word-level diff behind "typed without marks", tested on random input.
@Suite struct WordDiffTests {
    static let vocabulary = ["peer", "ward", "café", "the", "a", ".", ",", "meets", "weekly", "—", "[](#x)", "{#id}", "##", "it's"]
    static let spaces = [" ", " ", " ", "\n", "\r\n", "  ", "\n\n", "\t"]

    static func randomText(_ rng: inout SeededGenerator, words: Int) -> [UInt8] {
        var text = ""
        for _ in 0..<words {
            text += vocabulary.randomElement(using: &rng)!
            text += spaces.randomElement(using: &rng)!
        }
        return Array(text.utf8)
    }

    /// `old` with every hunk replaced by the new text, last first.
    static func apply(_ hunks: [WordDiff.Hunk], old: [UInt8], new: [UInt8]) -> [UInt8] {
        var out = old
        for h in hunks.reversed() { out.replaceSubrange(h.old, with: new[h.new]) }
        return out
    }

    static func words(_ bytes: [UInt8]) -> [[UInt8]] { WordDiff.tokens(bytes).map { Array(bytes[$0.range]) } }

    static func checkHunks(_ hunks: [WordDiff.Hunk], old: [UInt8], new: [UInt8]) {
        var lastOld = 0, lastNew = 0
        for h in hunks {
            #expect(h.old.lowerBound >= lastOld && h.old.upperBound <= old.count)
            #expect(h.new.lowerBound >= lastNew && h.new.upperBound <= new.count)
            #expect(!h.old.isEmpty || !h.new.isEmpty)
            lastOld = h.old.upperBound
            lastNew = h.new.upperBound
        }
        #expect(words(apply(hunks, old: old, new: new)) == words(new))
    }

    @Test func applyingTheHunksGivesTheNewWords() {
        var rng = SeededGenerator(seed: 10)
        for _ in 0..<400 {
            let old = Self.randomText(&rng, words: Int.random(in: 0...40, using: &rng))
            // The new text: the old words with random edits, re-spaced at random.
            var tokens = Self.words(old).map { String(decoding: $0, as: UTF8.self) }
            for _ in 0..<Int.random(in: 0...5, using: &rng) {
                let at = Int.random(in: 0...tokens.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: tokens.insert(Self.vocabulary.randomElement(using: &rng)!, at: at)
                case 1: if at < tokens.count { tokens.remove(at: at) }
                default: if at < tokens.count { tokens[at] = Self.vocabulary.randomElement(using: &rng)! }
                }
            }
            var newText = ""
            for t in tokens { newText += t + Self.spaces.randomElement(using: &rng)! }
            let new = Array(newText.utf8)
            let hunks = WordDiff.hunks(old: old, new: new)
            Self.checkHunks(hunks, old: old, new: new)
            if Self.words(old) == Self.words(new) { #expect(hunks.isEmpty) }
        }
    }

    @Test func randomBytesNeverCrashAndStillApply() {
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<300 {
            let old = (0..<Int.random(in: 0...80, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let new = (0..<Int.random(in: 0...80, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            Self.checkHunks(WordDiff.hunks(old: old, new: new), old: old, new: new)
        }
    }

    @Test func whitespaceAloneIsNoDifference() {
        let hunks = WordDiff.hunks(old: Array("a quiet room.\nMost last".utf8), new: Array("a  quiet\r\nroom. \r\n Most last".utf8))
        #expect(hunks.isEmpty)
    }

    @Test func oneWordAndOneSentence() {
        let old = Array("in the hospital café or grounds. Most last an hour. Ward routines".utf8)
        let new = Array("in the hospital garden or grounds. Ward routines".utf8)
        let hunks = WordDiff.hunks(old: old, new: new)
        #expect(hunks.map { String(decoding: old[$0.old], as: UTF8.self) } == ["café", " Most last an hour."])
        #expect(hunks.map { String(decoding: new[$0.new], as: UTF8.self) } == ["garden", ""])
    }

    /// A proposal typed without marks: accepting every typed change gives its words, rejecting
    /// them all gives the snapshot's words, and marks keep their numbers in file order.
    @Test func typedChangesRoundTrip() {
        var rng = SeededGenerator(seed: 12)
        for _ in 0..<200 {
            let snapshot = Self.randomText(&rng, words: Int.random(in: 1...30, using: &rng))
            var tokens = Self.words(snapshot).map { String(decoding: $0, as: UTF8.self) }
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                let at = Int.random(in: 0..<tokens.count + 1, using: &rng)
                if at < tokens.count, Bool.random(using: &rng) { tokens[at] = "garden" } else { tokens.insert("new", at: at) }
            }
            let body = tokens.joined(separator: " ")
            let text = "---\ngroup: G\ntarget: t\nsubmitted: 2026-01-01\n---\n" + body
            let proposal = Proposal.parse(relativePath: "Proposals/p.md", file: SourceFile(displayPath: "p", text: text))
                .addingTypedChanges(snapshot: snapshot)
            #expect(proposal.isValid)
            let allTyped = proposal.suggestions.allSatisfy { $0.typed }
            #expect(allTyped)
            #expect(proposal.suggestions.map(\.number) == Array(0..<proposal.suggestions.count).map { $0 + 1 })
            #expect(Self.words(proposal.original) == Self.words(snapshot))
            let all = Set(proposal.suggestions.map(\.number))
            #expect(Self.words(proposal.text(accepting: all).bytes) == Self.words(Array(body.utf8)))
        }
    }
}
