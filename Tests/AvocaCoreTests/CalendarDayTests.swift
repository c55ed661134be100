import AvocaCore
import Foundation
import Testing

@Suite("Calendar days: parsing and the instants a day spans in a zone")
struct CalendarDayTests {
    @Test("only real YYYY-MM-DD dates parse")
    func parsing() {
        #expect(CalendarDay("2027-01-15")?.description == "2027-01-15")
        #expect(CalendarDay("2028-02-29") != nil)
        for bad in ["2027-02-29", "2027-02-30", "2027-13-01", "2027-1-15", "15-01-2027", "2027-01-15T00:00", "", "２０２７-01-15", "0000-01-01"] {
            #expect(CalendarDay(bad) == nil, "\(bad)")
        }
    }

    @Test("a day runs from local midnight to the next, 23 or 25 hours on daylight-saving days")
    func span() throws {
        let chicago = try #require(TimeZone(identifier: "America/Chicago"))
        let day = try #require(CalendarDay("2027-01-15"))
        #expect(day.start(in: chicago) == Date(timeIntervalSince1970: 1_800_000_000 - 2 * 3_600))  // 06:00Z
        #expect(day.end(in: chicago).timeIntervalSince(day.start(in: chicago)) == 86_400)
        let springForward = try #require(CalendarDay("2027-03-14"))
        #expect(springForward.end(in: chicago).timeIntervalSince(springForward.start(in: chicago)) == 23 * 3_600)
        let fallBack = try #require(CalendarDay("2027-11-07"))
        #expect(fallBack.end(in: chicago).timeIntervalSince(fallBack.start(in: chicago)) == 25 * 3_600)
        #expect(CalendarDay(containing: day.end(in: chicago).addingTimeInterval(-1), in: chicago) == day)
        #expect(day.days(until: try #require(CalendarDay("2027-02-15"))) == 31)
    }
}
