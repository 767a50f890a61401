import KitbagCore
import Testing

@Suite struct DidYouMeanTests {
    static let moduleKeys = ["id", "title", "competencies", "hours", "sessions", "prerequisites", "delivery", "valid-for-months", "origin"]

    @Test func closeTyposAreSuggested() {
        #expect(DidYouMean.closest(to: "hour", in: Self.moduleKeys) == "hours")
        #expect(DidYouMean.closest(to: "titel", in: Self.moduleKeys) == "title")
        #expect(DidYouMean.closest(to: "prerequisite", in: Self.moduleKeys) == "prerequisites")
        #expect(DidYouMean.closest(to: "competences", in: Self.moduleKeys) == "competencies")
        #expect(DidYouMean.closest(to: "valid-for-month", in: Self.moduleKeys) == "valid-for-months")
    }

    @Test func distantWordsAreNotSuggested() {
        #expect(DidYouMean.closest(to: "colour", in: Self.moduleKeys) == nil)
        #expect(DidYouMean.closest(to: "anything", in: [String]()) == nil)
        #expect(DidYouMean.closest(to: "supercalifragilistic", in: ["id"]) == nil)
    }

    @Test func comparisonIgnoresCaseButSuggestsTheRealSpelling() {
        #expect(DidYouMean.closest(to: "Title", in: Self.moduleKeys) == "title")
        #expect(DidYouMean.closest(to: "m03", in: ["M01", "M03", "M13"]) == "M03")
    }

    @Test func tiesGoToTheFirstInOrder() {
        #expect(DidYouMean.closest(to: "P9", in: ["P2", "P1", "P3"]) == "P1")
        #expect(DidYouMean.closest(to: "C12", in: ["C11", "C13"]) == "C11")
    }

    @Test func aSwapIsOneEditAndSameKindComesFirst() {
        #expect(DidYouMean.closest(to: "M41", in: ["M01", "M14"]) == "M14")
        #expect(DidYouMean.closest(to: "C10", in: ["C01", "C11"]) == "C01")
        #expect(DidYouMean.closest(to: "M41", in: ["C41", "M42"]) == "M42")
    }

    @Test func aWordThatStartsAnIDSuggestsIt() {
        #expect(DidYouMean.closest(to: "risk", in: ["risk-safety", "listening", "risk-safety-plan"]) == "risk-safety")
        #expect(DidYouMean.closest(to: "ri", in: ["risk-safety"]) == nil)
    }

    @Test func emptyAndUnicodeWordsDoNotCrash() {
        #expect(DidYouMean.closest(to: "", in: ["a", "bc"]) == "a")
        #expect(DidYouMean.closest(to: "café", in: ["cafe", "cafés"]) == "cafe")
        #expect(DidYouMean.closest(to: "😀", in: ["😃"]) == "😃")
    }
}
