/// A 128-bit content fingerprint: the key of everything the build cache stores.
/// Not cryptographic: for proposals and UUIDs see `Digest` (SHA-256, SHA-1).
public struct Fingerprint: Hashable, Sendable {
    public var low: UInt64
    public var high: UInt64

    public init(low: UInt64, high: UInt64) {
        self.low = low
        self.high = high
    }

    public static let zero = Fingerprint(low: 0, high: 0)
}

/// Builds a `Fingerprint` from bytes, strings and numbers, eight bytes at a time (two
/// independent FNV-style lanes with extra mixing), so hashing 20 MB takes a few milliseconds.
/// Not cryptographic: it only has to tell an author's edits apart.
public struct FingerprintHasher: Sendable {
    private var a: UInt64 = 0xcbf2_9ce4_8422_2325
    private var b: UInt64 = 0x9e37_79b9_7f4a_7c15
    private var count: UInt64 = 0

    public init() {}

    private mutating func mix(_ word: UInt64) {
        a = (a ^ word) &* 0x0000_0100_0000_01b3
        a ^= a >> 29
        b = (b ^ word) &* 0xff51_afd7_ed55_8ccd
        b ^= b >> 32
    }

    public mutating func add(_ bytes: UnsafeRawBufferPointer) {
        let n = bytes.count
        var i = 0
        while i + 8 <= n {
            mix(bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        mix(tail ^ (UInt64(n) << 56) ^ 0x5555)
        count &+= UInt64(n)
    }

    public mutating func add(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { add($0) }
    }

    /// Adds a string with its length, so that ("ab", "c") and ("a", "bc") differ.
    public mutating func add(_ string: String) {
        var s = string
        s.withUTF8 { add(UnsafeRawBufferPointer($0)) }
    }

    public mutating func add(_ value: Int) { mix(UInt64(bitPattern: Int64(value)) ^ 0xa5a5_0000_0000_0000) }

    public mutating func add(_ value: Bool) { add(value ? 1 : 2) }

    public mutating func add(_ value: String?) {
        if let value { add(1); add(value) } else { add(0) }
    }

    public mutating func add(_ value: Fingerprint) { mix(value.low); mix(value.high) }

    public func finish() -> Fingerprint {
        var x = a ^ (count &* 0x9e37_79b9_7f4a_7c15)
        x ^= x >> 33; x = x &* 0xff51_afd7_ed55_8ccd; x ^= x >> 33
        var y = b ^ x
        y ^= y >> 33; y = y &* 0xc4ce_b9fe_1a85_ec53; y ^= y >> 33
        return Fingerprint(low: x, high: y)
    }

    public static func of(_ bytes: [UInt8]) -> Fingerprint {
        var h = FingerprintHasher()
        h.add(bytes)
        return h.finish()
    }

    public static func of(_ string: String) -> Fingerprint {
        var h = FingerprintHasher()
        h.add(string)
        return h.finish()
    }
}
