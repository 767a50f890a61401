/// Escaping for text that goes into HTML. Every text that came from a file passes through here.
public enum HTML {
    /// Escapes `&`, `<`, `>`, `"` and `'`: safe in text and in quoted attribute values.
    public static func escape(_ text: some StringProtocol) -> String {
        escape(String(text))
    }

    /// The same for a `String` (the common case, kept free of generic dispatch).
    public static func escape(_ text: String) -> String {
        // Most text has nothing to escape: check the bytes first and return it as it is.
        let special = text.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.contains { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }
        } ?? text.utf8.contains { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }
        guard special else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 32)
        for byte in text.utf8 {
            switch byte {
            case 0x26: out.append(contentsOf: "&amp;".utf8)
            case 0x3C: out.append(contentsOf: "&lt;".utf8)
            case 0x3E: out.append(contentsOf: "&gt;".utf8)
            case 0x22: out.append(contentsOf: "&quot;".utf8)
            case 0x27: out.append(contentsOf: "&#39;".utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A self-contained printable document (a report, a review page): language, a skip link
    /// to `#main`, and its stylesheet inline, so it needs no other file. `content` comes after
    /// the skip link and must hold the `id="main"` element.
    public static func standaloneDocument(title: String, style: String, content: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en-GB">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>
        \(style)
        </style>
        </head>
        <body>
        <a class="skip" href="#main">Skip to content</a>
        \(content)
        </body>
        </html>

        """
    }
}
