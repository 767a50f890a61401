/// The compact byte encoding of kitbag's own files (the build cache): variable-length
/// integers, length-prefixed strings and blobs, fingerprints, source locations and
/// diagnostics. A value type that is stored says how in its own module
/// (`UnitSummary.encode(into:)`, `init(from:)`); the file that holds it adds its header and
/// trailer. Reading never traps on damaged bytes: every length is checked against what is
/// left, and a bad one throws `ByteFormatError`.
public struct ByteWriter: Sendable {
    public var bytes: [UInt8] = []

    public init() {}

    public mutating func int(_ v: Int) {
        // Most numbers written are counts and lengths below 128: one byte.
        if v >= 0, v < 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v))
            return
        }
        var u = UInt64(bitPattern: Int64(v))
        while u >= 0x80 {
            bytes.append(UInt8(u & 0x7f) | 0x80)
            u >>= 7
        }
        bytes.append(UInt8(u))
    }

    public mutating func u64(_ v: UInt64) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }
    public mutating func fingerprint(_ f: Fingerprint) { u64(f.low); u64(f.high) }

    public mutating func string(_ s: String) {
        var s = s
        // The string's own bytes, copied at once (a native string is contiguous UTF-8).
        s.withUTF8 { utf8 in
            int(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    public mutating func optionalString(_ s: String?) {
        bool(s != nil)
        if let s { string(s) }
    }

    public mutating func blob(_ b: [UInt8]) {
        int(b.count)
        bytes.append(contentsOf: b)
    }

    public mutating func location(_ l: SourceLocation) { string(l.file); int(l.line); int(l.column) }

    public mutating func diagnostic(_ d: Diagnostic) {
        bool(d.severity == .error)
        string(d.code.rawValue)
        string(d.message)
        bool(d.location != nil)
        if let at = d.location { location(at) }
        int(d.notes.count)
        for note in d.notes {
            string(note.message)
            bool(note.location != nil)
            if let at = note.location { location(at) }
        }
    }
}

/// Damaged or foreign bytes; the reader's caller decides what that means (the build cache
/// is then ignored, never shown to the user).
public struct ByteFormatError: Error {
    public init() {}
}

/// Reads what `ByteWriter` wrote, from `at` on.
public struct ByteReader: Sendable {
    public let bytes: [UInt8]
    public var at = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public mutating func int() throws(ByteFormatError) -> Int {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard at < bytes.count, shift < 64 else { throw ByteFormatError() }
            let b = bytes[at]
            at += 1
            result |= UInt64(b & 0x7f) << shift
            if b < 0x80 { break }
            shift += 7
        }
        return Int(Int64(bitPattern: result))
    }

    /// A count or length: never negative and never more than the bytes left.
    public mutating func count() throws(ByteFormatError) -> Int {
        let n = try int()
        guard n >= 0, n <= bytes.count - at else { throw ByteFormatError() }
        return n
    }

    public mutating func u64() throws(ByteFormatError) -> UInt64 {
        guard bytes.count - at >= 8 else { throw ByteFormatError() }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[at + i]) << (8 * UInt64(i)) }
        at += 8
        return v
    }

    public mutating func bool() throws(ByteFormatError) -> Bool {
        guard at < bytes.count else { throw ByteFormatError() }
        at += 1
        return bytes[at - 1] != 0
    }

    public mutating func fingerprint() throws(ByteFormatError) -> Fingerprint {
        let low = try u64()
        return Fingerprint(low: low, high: try u64())
    }

    public mutating func blob() throws(ByteFormatError) -> [UInt8] {
        let n = try count()
        defer { at += n }
        return Array(bytes[at..<(at + n)])
    }

    public mutating func string() throws(ByteFormatError) -> String {
        let n = try count()
        defer { at += n }
        return String(decoding: bytes[at..<(at + n)], as: UTF8.self)
    }

    public mutating func optionalString() throws(ByteFormatError) -> String? {
        try bool() ? try string() : nil
    }

    public mutating func location() throws(ByteFormatError) -> SourceLocation {
        SourceLocation(file: try string(), line: try int(), column: try int())
    }

    public mutating func diagnostic() throws(ByteFormatError) -> Diagnostic {
        let isError = try bool()
        let code = Diagnostic.Code(rawValue: try string())
        let message = try string()
        let location = try bool() ? try self.location() : nil
        var notes: [Diagnostic.Note] = []
        for _ in 0..<(try count()) {
            let text = try string()
            notes.append(.init(text, at: try bool() ? try self.location() : nil))
        }
        return Diagnostic(isError ? .error : .warning, code, message, at: location, notes: notes)
    }
}
