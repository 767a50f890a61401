/// The row ids of kitbag's ledgers (training records, fidelity ratings): `R` and at least six
/// digits, `R000001` up to `R2147483647`, rising by one. One rule, so the ledgers agree.
public enum RowID {
    /// The highest row number: a ledger row stores row numbers and row indexes in 32 bits.
    public static let maxNumber = Int(Int32.max)

    /// `R000042` for 42 (at least six digits).
    public static func text(_ number: Int) -> String {
        let digits = String(number)
        return "R" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// 42 for `R000042`; nil when not of that form or outside 1...maxNumber.
    public static func number(_ text: String) -> Int? {
        var text = text
        return text.withUTF8 { number($0) }
    }

    /// The same for bytes (a ledger field read without making a string).
    public static func number(_ u: UnsafeBufferPointer<UInt8>) -> Int? {
        guard u.count >= 2, u.count <= 16, u[0] == UInt8(ascii: "R") else { return nil }
        var v = 0
        for b in u.dropFirst() {
            guard b >= 48, b <= 57 else { return nil }
            v = v * 10 + Int(b - 48)
        }
        return v > 0 && v <= maxNumber ? v : nil
    }

    /// Whether `text` is `R` and digits but past the highest row number (or zero).
    public static func isOutOfRange(_ text: String) -> Bool {
        let u = Array(text.utf8)
        return u.count >= 2 && u[0] == UInt8(ascii: "R") && u.dropFirst().allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// Why `text` is not a row id: the words after "row id 'R…'".
    public static func problem(_ text: String) -> String {
        isOutOfRange(text) ? "is out of range: row ids run from R000001 to \(RowID.text(maxNumber))" : "is not of the form R000001"
    }
}
