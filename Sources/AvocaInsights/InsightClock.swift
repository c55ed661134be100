import AvocaCore
import Foundation

/// The call's start seen in the company's time zone: what "today", "tomorrow" and "next Tuesday" mean.
/// Uses a fixed Gregorian calendar with the POSIX locale, so results never depend on the server's settings.
struct InsightClock: Sendable {
    /// A calendar day.
    struct Day: Sendable, Equatable, Comparable {
        /// The year.
        var year: Int
        /// The month, 1–12.
        var month: Int
        /// The day of the month, 1–31.
        var day: Int

        /// Orders days chronologically.
        static func < (lhs: Day, rhs: Day) -> Bool {
            (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
        }
    }

    /// When the call started.
    let callStart: Date
    /// Gregorian, POSIX locale, company time zone.
    let calendar: Calendar
    /// The call's start day.
    let today: Day
    /// The call's start weekday (Sunday = 1).
    let todayWeekday: Int

    /// Anchors relative times at `callStart` as seen in `timeZone`.
    init(callStart: Date, timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.locale = Locale(identifier: "en_US_POSIX")
        calendar.timeZone = timeZone
        calendar.firstWeekday = 2
        self.callStart = callStart
        self.calendar = calendar
        let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: callStart)
        today = Day(year: parts.year!, month: parts.month!, day: parts.day!)
        todayWeekday = parts.weekday!
    }

    /// The day `count` days after today.
    func day(after count: Int) -> Day {
        // Noon keeps the arithmetic clear of daylight-saving transitions.
        let noon = instant(today, hour: 12, minute: 0)!
        let moved = calendar.date(byAdding: .day, value: count, to: noon)!
        let parts = calendar.dateComponents([.year, .month, .day], from: moved)
        return Day(year: parts.year!, month: parts.month!, day: parts.day!)
    }

    /// The weekday of `day` (Sunday = 1).
    func weekday(of day: Day) -> Int {
        calendar.component(.weekday, from: instant(day, hour: 12, minute: 0)!)
    }

    /// Whether `day` exists (no 31 April, no 29 February outside leap years).
    func isValid(_ day: Day) -> Bool {
        guard (1...12).contains(day.month), day.day >= 1, let first = instant(Day(year: day.year, month: day.month, day: 1), hour: 12, minute: 0),
            let length = calendar.range(of: .day, in: .month, for: first)
        else { return false }
        return length.contains(day.day)
    }

    /// The instant of `hour:minute` on `day` in the company time zone.
    func instant(_ day: Day, hour: Int, minute: Int) -> Date? {
        calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: hour, minute: minute))
    }

    /// "2026-11-25".
    func isoDate(_ day: Day) -> String {
        String(format: "%04d-%02d-%02d", day.year, day.month, day.day)
    }

    /// "2026-11-25T08:00:00-06:00": local wall time with the zone's offset at that instant.
    func isoDateTime(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let offset = calendar.timeZone.secondsFromGMT(for: date)
        let zone = offset == 0 ? "Z" : String(format: "%@%02d:%02d", offset < 0 ? "-" : "+", abs(offset) / 3600, abs(offset) % 3600 / 60)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!)
            + zone
    }
}
