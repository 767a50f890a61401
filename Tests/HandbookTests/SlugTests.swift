import Testing
@testable import HandbookKit

@Suite struct SlugTests {
    /// A small deterministic generator, so that a failure names a heading that fails again.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state ^ (state >> 29)
        }
    }

    /// Random ASCII headings made of the pieces attribute blocks are written with: the byte
    /// paths (`makeASCII`, `attributesASCII`) give what the character paths give.
    @Test func bytePathsEqualCharacterPaths() {
        var random = Generator(state: 9)
        let pieces = ["{", "}", "#", "-", ".", " ", "\t", "\r\n", "\n", "\u{0B}", "a", "Z", "9", "id", ".unnumbered", ".adaptable",
                      "{#x}", "{-}", ",", "_", "&"]
        for _ in 0..<4000 {
            let text = (0..<Int.random(in: 0...12, using: &random)).map { _ in pieces.randomElement(using: &random) ?? "" }.joined()
            #expect(Slug.makeASCII(text) == Slug.makeByCharacter(text), "\(text.debugDescription)")
            let bytes = Slug.attributesASCII(text), characters = Slug.attributesByCharacter(text)
            #expect(bytes?.title == characters.title && bytes?.id == characters.id && bytes?.unnumbered == characters.unnumbered
                    && bytes?.adaptable == characters.adaptable, "\(text.debugDescription)")
        }
    }

    @Test func examples() {
        #expect(Slug.make("Risk, safety & handover") == "risk-safety-handover")
        #expect(Slug.make("Café crème") == "café-crème")
        #expect(Slug.makeASCII("Café") == nil)
        let a = Slug.attributes("Key points {#key .adaptable} {-}  ")
        #expect(a.title == "Key points" && a.id == "key" && a.unnumbered && a.adaptable)
    }
}
