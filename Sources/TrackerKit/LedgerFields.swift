import KitbagCore

// The ledger's fast path: ids, dates, row ids and events read straight from the bytes
// that `CSVScanner` found, without making a string per field.

/// A lookup from ids to indexes keyed by raw bytes, so the ledger's million rows can be
/// matched to workers and items without making a string per field.
struct ByteKeyTable: Sendable {
    private var keys: [[UInt8]] = []
    private var slots: [Int32]
    private let mask: Int

    init(_ ids: [String]) {
        var size = 16
        while size < ids.count * 2 { size *= 2 }
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        for (k, id) in ids.enumerated() {
            let bytes = Array(id.utf8)
            keys.append(bytes)
            var h = bytes.withUnsafeBufferPointer { Self.hash($0, 0, $0.count) } & mask
            while slots[h] >= 0 {
                if keys[Int(slots[h])] == bytes { break }
                h = (h + 1) & mask
            }
            if slots[h] < 0 { slots[h] = Int32(k) }
        }
    }

    @inline(__always)
    static func hash(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var h: UInt64 = 0xcbf29ce484222325
        for i in start..<end { h = (h ^ UInt64(b[i])) &* 0x100000001b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// The index of the id spelt by `b[start..<end]`, or nil.
    func index(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        var h = Self.hash(b, start, end) & mask
        let count = end - start
        while true {
            let s = Int(slots[h])
            if s < 0 { return nil }
            let key = keys[s]
            if key.count == count {
                var same = true
                key.withUnsafeBufferPointer { k in
                    for j in 0..<count where k[j] != b[start + j] { same = false; break }
                }
                if same { return s }
            }
            h = (h + 1) & mask
        }
    }
}

extension CSVScanner {
    /// A `YYYY-MM-DD` field as a day number, without making a string (nil when not valid).
    func day(_ f: CSVField) -> Int? {
        let s = f.start
        guard !f.quoted, f.end - s == 10, bytes[s + 4] == 45, bytes[s + 7] == 45 else { return nil }
        func number(_ a: Int, _ b: Int) -> Int? {
            var v = 0
            for i in a..<b {
                let c = bytes[i]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard let y = number(s, s + 4), let m = number(s + 5, s + 7), let d = number(s + 8, s + 10) else { return nil }
        return ISODate(year: y, month: m, day: d)?.dayNumber
    }

    /// An `R000042` field as 42, without making a string (nil outside 1...RowID.maxNumber).
    func rowNumber(_ f: CSVField) -> Int? {
        f.quoted ? nil : RowID.number(UnsafeBufferPointer(rebasing: bytes[f.start..<f.end]))
    }

    /// The event named by a field.
    func event(_ f: CSVField) -> LedgerEvent? {
        switch f.end - f.start {
        case 8: return equals(f, "attended") ? .attended : nil
        case 6:
            if equals(f, "absent") { return .absent }
            if equals(f, "waived") { return .waived }
            if equals(f, "passed") { return .passed }
            if equals(f, "failed") { return .failed }
            return nil
        case 4: return equals(f, "void") ? .void : nil
        default: return nil
        }
    }
}
