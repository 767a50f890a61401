import KitbagCore
import Testing

@Suite struct ISODateTests {
    func date(_ text: String) throws -> ISODate { try #require(ISODate(text)) }

    @Test func parsesExactlyYearMonthDay() throws {
        let d = try date("2026-04-02")
        #expect((d.year, d.month, d.day) == (2026, 4, 2))
        #expect(d.description == "2026-04-02")
        for bad in ["2026-4-02", "26-04-02", "2026-13-01", "2026-00-10", "2026-04-31", "2026-02-29",
                    "2026-04-02T10:00", "2026/04/02", "02/04/2026", "", "２０２６-04-02", "0000-01-01"] {
            #expect(ISODate(bad) == nil, "\(bad)")
        }
        #expect(ISODate("2024-02-29") != nil)
        #expect(ISODate("2000-02-29") != nil)
        #expect(ISODate("1900-02-29") == nil)
    }

    @Test func leapYears() {
        #expect(ISODate.isLeap(2024) && ISODate.isLeap(2000))
        #expect(!ISODate.isLeap(2026) && !ISODate.isLeap(1900) && !ISODate.isLeap(2100))
        #expect(ISODate.daysIn(month: 2, year: 2024) == 29)
        #expect(ISODate.daysIn(month: 2, year: 2026) == 28)
        #expect(ISODate.daysIn(month: 4, year: 2026) == 30)
        #expect(ISODate.daysIn(month: 12, year: 2026) == 31)
    }

    @Test func addingMonthsClampsToTheMonthsLastDay() throws {
        #expect(try date("2026-01-31").adding(months: 1) == date("2026-02-28"))
        #expect(try date("2024-01-31").adding(months: 1) == date("2024-02-29"))
        #expect(try date("2026-03-31").adding(months: 1) == date("2026-04-30"))
        #expect(try date("2026-11-15").adding(months: 3) == date("2027-02-15"))
        #expect(try date("2026-04-02").adding(months: 12) == date("2027-04-02"))
        #expect(try date("2024-02-29").adding(months: 12) == date("2025-02-28"))
        #expect(try date("2026-03-31").adding(months: -1) == date("2026-02-28"))
        #expect(try date("2026-01-15").adding(months: -1) == date("2025-12-15"))
        #expect(try date("2026-05-10").adding(months: 0) == date("2026-05-10"))
    }

    @Test func dayNumbers() throws {
        #expect(try date("1970-01-01").dayNumber == 0)
        #expect(try date("1970-01-02").dayNumber == 1)
        #expect(try date("1969-12-31").dayNumber == -1)
        #expect(try date("2000-03-01").dayNumber == 11017)
        #expect(try date("2026-01-01").dayNumber == 20454)
        #expect(try date("2024-02-28").adding(days: 1) == date("2024-02-29"))
        #expect(try date("2026-12-31").adding(days: 1) == date("2027-01-01"))
        #expect(try date("2026-03-01").adding(days: -1) == date("2026-02-28"))
    }

    @Test func dayNumberRoundTripsOverFourCenturies() {
        var previous: ISODate?
        for n in stride(from: -40_000, through: 110_000, by: 1) {
            let d = ISODate(dayNumber: n)
            guard d.dayNumber == n, ISODate(year: d.year, month: d.month, day: d.day) == d else {
                Issue.record("day \(n) gives \(d)")
                return
            }
            if let previous, !(previous < d) { Issue.record("\(previous) is not before \(d)"); return }
            previous = d
        }
    }

    @Test func ordering() throws {
        #expect(try date("2026-04-02") < date("2026-04-03"))
        #expect(try date("2025-12-31") < date("2026-01-01"))
        #expect(try !(date("2026-04-02") < date("2026-04-02")))
    }

    @Test func spreadsheetDatesAreRecognised() {
        #expect(ISODate.looksLikeDayMonthYear("02/04/2026"))
        #expect(ISODate.looksLikeDayMonthYear("2/4/2026"))
        #expect(!ISODate.looksLikeDayMonthYear("2026/04/02"))
        #expect(!ISODate.looksLikeDayMonthYear("2026-04-02"))
        #expect(!ISODate.looksLikeDayMonthYear("02/04/26"))
        #expect(!ISODate.looksLikeDayMonthYear("//2026"))
    }

    @Test func arithmeticOnUserNumbersStaysInTheCalendarAndNeverOverflows() throws {
        let d = try date("2026-04-02")
        #expect(d.adding(days: Int.max).description == "9999-12-31")
        #expect(d.adding(days: Int.min).description == "0001-01-01")
        #expect(d.adding(months: Int.max).description == "9999-12-31")
        #expect(d.adding(months: Int.min).description == "0001-01-01")
        #expect(try date("9999-12-31").adding(days: 1).description == "9999-12-31")
        #expect(try date("9999-12-31").adding(months: 1).description == "9999-12-31")
        #expect(try date("0001-01-01").adding(days: -1).description == "0001-01-01")
        #expect(ISODate(dayNumber: Int.max).description == "9999-12-31")
        #expect(ISODate(dayNumber: Int.min).description == "0001-01-01")
        #expect(d.adding(months: 1200).description == "2126-04-02")
        #expect(d.adding(days: -30).description == "2026-03-03")
    }
}
