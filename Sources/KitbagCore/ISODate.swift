/// A calendar date, `YYYY-MM-DD`, with no time zone: the only date format kitbag accepts.
public struct ISODate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A valid date, or nil.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...ISODate.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for b in bytes[range] {
                guard b >= 48, b <= 57 else { return nil }
                value = value * 10 + Int(b - 48)
            }
            return value
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Whether `text` looks like a spreadsheet's `DD/MM/YYYY` (or `D/M/YYYY`) date.
    public static func looksLikeDayMonthYear(_ text: some StringProtocol) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0].count <= 2 && parts[1].count <= 2 && parts[2].count == 4
            && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (civil calendar; negative before).
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// Day numbers of 0001-01-01 and 9999-12-31, the dates kitbag can write.
    public static let dayNumbers = -719_162...2_932_896

    /// The date `days` after 1970-01-01, clamped to 0001-01-01...9999-12-31 (so arithmetic on
    /// user numbers never leaves the calendar or overflows).
    public init(dayNumber z0: Int) {
        let z = min(max(z0, ISODate.dayNumbers.lowerBound), ISODate.dayNumbers.upperBound) + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        month = m
        day = d
    }

    /// The same day `months` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)
    /// and to 0001-01-01...9999-12-31.
    public func adding(months: Int) -> ISODate {
        let limit = 12 * 10_000
        let total = year * 12 + (month - 1) + min(max(months, -limit), limit)
        if total < 12 { return ISODate(dayNumber: ISODate.dayNumbers.lowerBound) }
        if total >= 12 * 10_000 { return ISODate(dayNumber: ISODate.dayNumbers.upperBound) }
        let y = total / 12, m = total % 12 + 1
        let d = min(day, ISODate.daysIn(month: m, year: y))
        return ISODate(year: y, month: m, day: d) ?? self
    }

    /// The date `days` later, clamped to 0001-01-01...9999-12-31.
    public func adding(days: Int) -> ISODate {
        let (sum, overflow) = dayNumber.addingReportingOverflow(days)
        return ISODate(dayNumber: overflow ? (days < 0 ? Int.min : Int.max) : sum)
    }

    public static func < (a: ISODate, b: ISODate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public var description: String {
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Today in UTC, from the system clock.
    public static func today() -> ISODate {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return ISODate(dayNumber: Int(now.tv_sec) / 86_400)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
