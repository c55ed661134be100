import Foundation

/// RFC 3339 date-times (`2041-03-04T10:00:00Z`, `…T10:00:00.250+01:00`), parsed and written by
/// hand. Every job a client books carries two of them; Foundation's `ISO8601DateFormatter` opened
/// an ICU formatter per use (~190 µs each, a fifth of a booking's CPU), and the newer format style
/// rolls hour 25 or second 60 over into the next day instead of refusing them.
public enum InternetDateTime {
    /// The instant `text` names, or `nil` unless it is exactly `YYYY-MM-DDTHH:MM:SS`, an optional
    /// fraction, and `Z` or an offset (`±HH:MM` or `±HHMM`), with a real calendar date and time.
    public static func date(from text: String) -> Date? {
        var reader = DigitReader(Array(text.utf8))
        guard let year = reader.number(digits: 4), reader.skip("-"), let month = reader.number(digits: 2), reader.skip("-"),
            let day = reader.number(digits: 2), reader.skip("T"), let hour = reader.number(digits: 2), reader.skip(":"),
            let minute = reader.number(digits: 2), reader.skip(":"), let second = reader.number(digits: 2)
        else { return nil }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60, second < 60 else {
            return nil
        }
        var fraction = 0.0
        if reader.skip(".") {
            var scale = 0.1
            var digits = 0
            while let digit = reader.digit() {
                fraction += Double(digit) * scale
                scale /= 10
                digits += 1
            }
            guard (1...9).contains(digits) else { return nil }
        }
        let offsetSeconds: Int
        if reader.skip("Z") {
            offsetSeconds = 0
        } else {
            let sign: Int
            if reader.skip("+") {
                sign = 1
            } else if reader.skip("-") {
                sign = -1
            } else {
                return nil
            }
            guard let hours = reader.number(digits: 2) else { return nil }
            _ = reader.skip(":")
            guard let minutes = reader.number(digits: 2), hours < 24, minutes < 60 else { return nil }
            offsetSeconds = sign * (hours * 3600 + minutes * 60)
        }
        guard reader.atEnd else { return nil }
        // Four-digit fields keep every product here far inside Int's range.
        let seconds = daysFromEpoch(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// The year, month and day of exactly `YYYY-MM-DD` naming a real date; `nil` otherwise. (A
    /// regex literal here was parsed anew on every call: a tenth of a booking's CPU.)
    public static func calendarDate(from text: String) -> (year: Int, month: Int, day: Int)? {
        var reader = DigitReader(Array(text.utf8))
        guard let year = reader.number(digits: 4), reader.skip("-"), let month = reader.number(digits: 2), reader.skip("-"),
            let day = reader.number(digits: 2), reader.atEnd, (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        return (year, month, day)
    }

    /// `YYYY-MM-DD`, zero-padded.
    public static func calendarDateText(year: Int, month: Int, day: Int) -> String {
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }

    /// `date` in UTC, whole seconds: `2041-03-04T10:00:00Z`, exactly as Foundation's
    /// `ISO8601DateFormatter` writes it (the OpenAPI runtime's and `JSONEncoder`'s `.iso8601`), which
    /// rounds to the millisecond before it drops the fraction: `…:10.9996` is written `…:11`. By
    /// hand, because every customer, address, job and call carries two of these and the formatter
    /// worked through a Gregorian calendar (behind a lock) each time.
    public static func string(from date: Date) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1000 + 0.5).rounded(.down)  // half up, as ICU rounds
        // Years 0001…9999 only (`distantPast` and `distantFuture` among them); anything else, or a
        // value a conversion to Int would trap on, goes to Foundation.
        guard milliseconds >= -62_135_596_800_000, milliseconds < 253_402_300_800_000 else { return ISO8601DateFormatter().string(from: date) }
        let wholeMilliseconds = Int(milliseconds)
        let seconds = wholeMilliseconds >= 0 ? wholeMilliseconds / 1000 : (wholeMilliseconds - 999) / 1000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilDate(daysFromEpoch: days)
        return String(unsafeUninitializedCapacity: 20) { text in
            func put(_ value: Int, _ width: Int, at offset: Int, then separator: Unicode.Scalar) {
                var value = value
                for index in stride(from: offset + width - 1, through: offset, by: -1) {
                    text[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10)
                    value /= 10
                }
                text[offset + width] = UInt8(ascii: separator)
            }
            put(year, 4, at: 0, then: "-")
            put(month, 2, at: 5, then: "-")
            put(day, 2, at: 8, then: "T")
            put(secondOfDay / 3600, 2, at: 11, then: ":")
            put(secondOfDay / 60 % 60, 2, at: 14, then: ":")
            put(secondOfDay % 60, 2, at: 17, then: "Z")
            return 20
        }
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The proleptic Gregorian date `days` after 1970-01-01 (the inverse of `daysFromEpoch`).
    static func civilDate(daysFromEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (the civil-days algorithm: years counted
    /// from March, so the leap day ends a year).
    static func daysFromEpoch(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

/// Reads ASCII digits and separators off a byte array, never past its end.
private struct DigitReader {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index == bytes.count }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    mutating func digit() -> Int? {
        guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else { return nil }
        defer { index += 1 }
        return Int(bytes[index] - UInt8(ascii: "0"))
    }

    mutating func number(digits: Int) -> Int? {
        var value = 0
        for _ in 0..<digits {
            guard let digit = digit() else { return nil }
            value = value * 10 + digit
        }
        return value
    }
}
