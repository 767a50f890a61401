import KitbagCore
import KitbagTestSupport
import Testing

@Suite struct ByteSearchTests {
    @Test func findsMarkersAtTheEdgesAndNotPartialOnes() {
        #expect("{{site.name}}".containsBytes("{{site."))
        #expect("text ends {{site.".containsBytes("{{site."))
        #expect(!"text ends {{site".containsBytes("{{site."))
        #expect(!"{{sit e.".containsBytes("{{site."))
        #expect("anything".containsBytes(""))
        #expect(!"".containsBytes("a"))
        #expect("caf\u{E9} {{site.x}}".containsBytes("{{site."))
    }

    /// On random text it agrees with a plain scan of the bytes, and for an ASCII needle it is
    /// true wherever `contains` (by characters, with canonical equivalence) is.
    @Test func agreesWithAPlainScanOnRandomText() {
        var rng = SeededGenerator(seed: 9)
        let pieces = ["{", "{{", "site", ".", "s", "e", "\u{301}", "\u{E9}", "\u{212A}", " ", "\n", "}}", "{{site."]
        let asciiPieces = ["{", "{{", "site", ".", "s", "e", " ", "}}", "{{site."]
        for _ in 0..<2000 {
            let text = (0..<Int.random(in: 0...12, using: &rng)).map { _ in rng.pick(pieces) }.joined()
            let needle = (0..<Int.random(in: 1...3, using: &rng)).map { _ in rng.pick(asciiPieces) }.joined()
            let hay = Array(text.utf8), pin = Array(needle.utf8)
            let plain = hay.count >= pin.count && (0...(hay.count - pin.count)).contains { Array(hay[$0..<($0 + pin.count)]) == pin }
            #expect(text.containsBytes(needle) == plain, "\(text.debugDescription) \(needle.debugDescription)")
            if text.contains(needle) { #expect(text.containsBytes(needle), "\(text.debugDescription) \(needle.debugDescription)") }
            // A non-ASCII needle is compared by bytes: a decomposed é is not the precomposed one.
            #expect(!"cafe\u{301}".containsBytes("\u{E9}"))
        }
    }
}
