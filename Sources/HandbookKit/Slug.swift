/// Automatic IDs for headings without `{#id}`: lower-case words joined by '-'.
public enum Slug {
    /// "Risk, safety & handover" -> "risk-safety-handover".
    public static func make(_ title: String) -> String {
        makeASCII(title) ?? makeByCharacter(title)
    }

    /// `make` for any title, scalar by scalar.
    static func makeByCharacter(_ title: String) -> String {
        var out = ""
        var pendingDash = false
        for scalar in title.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if pendingDash && !out.isEmpty { out += "-" }
                pendingDash = false
                out.unicodeScalars.append(scalar)
            } else if scalar == "-" || scalar == "_" || scalar == " " || scalar.properties.isWhitespace || scalar.properties.generalCategory == .otherPunctuation {
                pendingDash = true
            } else {
                pendingDash = true
            }
        }
        return out.isEmpty ? "section" : out
    }

    /// `make` for an all-ASCII title, from its bytes (nil for any other title): the same
    /// slug, without lower-casing the title into a new string or asking for each scalar's
    /// Unicode properties. In ASCII the alphabetic scalars are the letters, so a letter or
    /// a digit is kept (lower-cased) and every other byte starts a dash.
    static func makeASCII(_ title: String) -> String? {
        var title = title
        return title.withUTF8 { bytes -> String? in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var pendingDash = false
            for byte in bytes {
                guard byte < 0x80 else { return nil }
                let lower = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
                if (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")) || (lower >= UInt8(ascii: "0") && lower <= UInt8(ascii: "9")) {
                    if pendingDash && !out.isEmpty { out.append(UInt8(ascii: "-")) }
                    pendingDash = false
                    out.append(lower)
                } else {
                    pendingDash = true
                }
            }
            return out.isEmpty ? "section" : String(decoding: out, as: UTF8.self)
        }
    }

    /// Splits a heading's text into its title and the attribute block at its end:
    /// "Risk {#risk}" -> ("Risk", id "risk"), "Key points {-}" -> unnumbered.
    public static func splitAttributes(_ text: String) -> (title: String, id: String?, unnumbered: Bool) {
        let a = attributes(text)
        return (a.title, a.id, a.unnumbered)
    }

    /// A heading's title and its attribute block: `{#id}`, `{-}` / `.unnumbered`, and the
    /// `.adaptable` class that lets site editions adapt the section.
    public static func attributes(_ text: String) -> (title: String, id: String?, unnumbered: Bool, adaptable: Bool) {
        // Most headings have no attribute block, or a simple one: decide from the bytes first.
        guard text.utf8.last == UInt8(ascii: "}") || text.utf8.last.map({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) == true else {
            return (text.trimmingTrailingWhitespace(), nil, false, false)
        }
        return attributesASCII(text) ?? attributesByCharacter(text)
    }

    /// `attributes` for any heading (after the quick exit), character by character.
    static func attributesByCharacter(_ text: String) -> (title: String, id: String?, unnumbered: Bool, adaptable: Bool) {
        var title = text.trimmingTrailingWhitespace()
        var id: String?
        var unnumbered = false
        var adaptable = false
        while title.hasSuffix("}"), let open = title.lastIndex(of: "{") {
            let inside = title[title.index(after: open)..<title.index(before: title.endIndex)]
            guard readBlock(inside.split(separator: " "), id: &id, unnumbered: &unnumbered, adaptable: &adaptable) else { break }
            title = String(title[..<open]).trimmingTrailingWhitespace()
        }
        return (title, id, unnumbered, adaptable)
    }

    /// Reads the words of one attribute block (`#id`, `-`, `.unnumbered`, `.adaptable`) into
    /// what the heading has so far; false, with nothing read, when a word is none of those
    /// (then the braces are part of the title). Both ways of reading a heading use it.
    static func readBlock<Word: StringProtocol>(_ words: [Word], id: inout String?, unnumbered: inout Bool, adaptable: inout Bool) -> Bool {
        guard !words.isEmpty, words.allSatisfy({ $0.hasPrefix("#") || $0 == "-" || $0 == ".unnumbered" || $0 == ".adaptable" }) else { return false }
        for word in words {
            if word == "-" || word == ".unnumbered" {
                unnumbered = true
            } else if word == ".adaptable" {
                adaptable = true
            } else {
                id = String(word.dropFirst())
            }
        }
        return true
    }
}

extension Slug {
    /// `attributes` for an all-ASCII heading, from its bytes (nil for any other heading):
    /// the same title and attributes without walking characters. In ASCII each byte is a
    /// character (a CRLF pair is one, but trims and splits the same), and the whitespace
    /// characters are the bytes 9-13 and 32.
    static func attributesASCII(_ text: String) -> (title: String, id: String?, unnumbered: Bool, adaptable: Bool)? {
        var text = text
        return text.withUTF8 { b -> (title: String, id: String?, unnumbered: Bool, adaptable: Bool)? in
            for byte in b where byte >= 0x80 { return nil }
            func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
            func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: b[range]), as: UTF8.self) }
            var end = b.count
            while end > 0, isSpace(b[end - 1]) { end -= 1 }
            var id: String?
            var unnumbered = false
            var adaptable = false
            while end > 0, b[end - 1] == UInt8(ascii: "}"), let open = b[..<end].lastIndex(of: UInt8(ascii: "{")) {
                // The block's words, split at spaces (empty words left out).
                var parts: [Range<Int>] = []
                var start = open + 1
                for i in (open + 1)...(end - 1) where i == end - 1 || b[i] == UInt8(ascii: " ") {
                    if i > start { parts.append(start..<i) }
                    start = i + 1
                }
                guard readBlock(parts.map { text($0) }, id: &id, unnumbered: &unnumbered, adaptable: &adaptable) else { break }
                end = open
                while end > 0, isSpace(b[end - 1]) { end -= 1 }
            }
            return (text(0..<end), id, unnumbered, adaptable)
        }
    }
}

extension StringProtocol {
    func trimmingTrailingWhitespace() -> String {
        // Most titles end in a letter or a digit: then there is nothing to trim or copy. (A
        // last character whose last byte is ASCII and not a space or a control is never
        // whitespace, whatever precedes it in its grapheme cluster.)
        var s = Substring(self)
        if let last = s.utf8.last, last > 0x20, last < 0x80 { return String(s) }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
