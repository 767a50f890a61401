// ISO dates: the parser, the spreadsheet-date check, and date arithmetic on numbers taken
// from the input. Properties: a parsed date prints as its text and survives its day number;
// arithmetic stays inside 0001-01-01...9999-12-31.
import FuzzSupport
import KitbagCore

Fuzz.run { bytes in
    let text = String(decoding: bytes, as: UTF8.self)
    _ = ISODate.looksLikeDayMonthYear(text)
    if let date = ISODate(text) {
        Fuzz.expect(date.description == text, "'\(text)' parses as \(date)")
        Fuzz.expect(ISODate(dayNumber: date.dayNumber) == date, "\(date) does not survive its day number")
    }
    // Eight bytes at a time as a signed number: days, months, day numbers.
    var numbers: [Int] = []
    var i = 0
    while i + 8 <= bytes.count {
        var v: UInt64 = 0
        for b in bytes[i..<(i + 8)] { v = v << 8 | UInt64(b) }
        numbers.append(Int(Int64(bitPattern: v)))
        i += 8
    }
    let start = ISODate(text.prefix(10)) ?? ISODate(dayNumber: numbers.first ?? 0)
    let range = ISODate.dayNumbers
    for n in numbers {
        for d in [start.adding(days: n), start.adding(months: n), ISODate(dayNumber: n)] {
            Fuzz.expect(range.contains(d.dayNumber) && ISODate(d.description) == d, "\(start) + \(n) gives \(d)")
        }
        _ = ISODate(year: n, month: n, day: n)
    }
}
