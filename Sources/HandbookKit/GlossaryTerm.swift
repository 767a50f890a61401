/// How a glossary term reads when an empty link puts it into running text.
///
/// Terms are headed in sentence or title case ("Asset mapping", "Peer Worker Coordinator"),
/// but mid-sentence a reader expects "asset mapping". A word written with a capital first
/// letter and small letters after it is lowered; acronyms and words with other capitals
/// ("DBS", "iPad") are left alone. A term listed under `keep-capitals:` in glossary.md
/// (names, such as "Lived Experience Advisory Panel") keeps every capital. At the start of
/// a sentence the renderer raises the first letter again (`sentenceStart`).
enum GlossaryTerm {
    static func runningText(_ term: String, keepsCapitals: Bool) -> String {
        if keepsCapitals { return term }
        var out = ""
        var word = ""
        func flush() {
            let scalars = Array(word.unicodeScalars)
            if let first = scalars.first, first.properties.isUppercase,
               scalars.dropFirst().allSatisfy({ !$0.properties.isUppercase }), scalars.count > 1 {
                out += word.lowercased()
            } else {
                out += word
            }
            word = ""
        }
        for scalar in term.unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "'" || scalar == "\u{2019}" {
                word.unicodeScalars.append(scalar)
            } else {
                flush()
                out.unicodeScalars.append(scalar)
            }
        }
        flush()
        return out
    }

    /// `text` with its first letter raised ("good supervision" -> "Good supervision").
    static func sentenceStart(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }

    /// Whether text that ends with `before` leaves the next word at the start of a sentence
    /// (nothing before it in the paragraph, or a full stop, question or exclamation mark).
    static func startsSentence(after before: String?) -> Bool {
        guard let before else { return true }
        let trimmed = before.trimmingTrailingWhitespace()
        guard let last = trimmed.last else { return true }
        return before.last?.isWhitespace == true && (last == "." || last == "?" || last == "!")
    }
}
