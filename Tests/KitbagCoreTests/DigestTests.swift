import KitbagCore
import Testing

@Suite struct DigestTests {
    // FIPS 180-4 examples and a message that pads into a second block.
    @Test func sha256MatchesTheStandardsVectors() {
        #expect(Digest.hex(Digest.sha256([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Digest.hex(Digest.sha256(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.hex(Digest.sha256(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func sha1MatchesTheStandardsVectors() {
        #expect(Digest.hex(Digest.sha1(Array("abc".utf8))) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(Digest.hex(Digest.sha1(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
            == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
    }

    @Test func fingerprintsTellContentApartAndStayTheSame() {
        #expect(FingerprintHasher.of("chapter") == FingerprintHasher.of(Array("chapter".utf8)))
        #expect(FingerprintHasher.of("chapter") != FingerprintHasher.of("chapters"))
        var a = FingerprintHasher(), b = FingerprintHasher()
        a.add("ab"); a.add("c")
        b.add("a"); b.add("bc")
        #expect(a.finish() != b.finish())
    }
}
