/// Name-based UUIDs (RFC 9562 version 5: SHA-1 of a namespace and a name): the same name
/// always gives the same id, so CASE identifiers and xAPI statement ids are stable.
public enum NameBasedUUID {
    /// The RFC 4122 URL namespace.
    public static let url: [UInt8] = [0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8]

    /// kitbag's namespace for xAPI statement ids: uuid5(URL, "https://kitbag.invalid/xapi/statements").
    public static let statements: [UInt8] = parse("59658511-4ff7-55c3-aafd-1ed5a2b5ad31") ?? []

    /// The version 5 UUID of `name` in `namespace` (16 bytes), as lower-case text.
    public static func make(namespace: [UInt8], name: String) -> String {
        var digest = Digest.sha1(namespace + Array(name.utf8))
        digest[6] = (digest[6] & 0x0F) | 0x50
        digest[8] = (digest[8] & 0x3F) | 0x80
        return format(Array(digest.prefix(16)))
    }

    /// 16 bytes as `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
    public static func format(_ bytes: [UInt8]) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for (k, b) in bytes.enumerated() {
            if k == 4 || k == 6 || k == 8 || k == 10 { out.append(UInt8(ascii: "-")) }
            out.append(hex[Int(b >> 4)])
            out.append(hex[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The 16 bytes of a UUID's text, or nil.
    public static func parse(_ text: String) -> [UInt8]? {
        let digits = text.utf8.filter { $0 != UInt8(ascii: "-") }
        guard digits.count == 32 else { return nil }
        var out: [UInt8] = []
        var k = 0
        while k < 32 {
            guard let hi = nibble(digits[k]), let lo = nibble(digits[k + 1]) else { return nil }
            out.append(hi << 4 | lo)
            k += 2
        }
        return out
    }

    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: c - 48
        case 97...102: c - 87
        case 65...70: c - 55
        default: nil
        }
    }
}
