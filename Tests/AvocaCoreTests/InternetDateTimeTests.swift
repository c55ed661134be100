import AvocaCore
import Foundation
import Testing

@Suite("RFC 3339 date-times")
struct InternetDateTimeTests {
    @Test("the forms clients send give the instant they name")
    func accepted() {
        let expected: [(String, Double)] = [
            ("2041-03-04T10:00:00Z", 2_246_004_000),
            ("2041-03-04T10:00:00.250Z", 2_246_004_000.25),
            ("2041-03-04T10:00:00+01:00", 2_246_000_400),
            ("2041-03-04T10:00:00-0530", 2_246_023_800),
            ("2024-02-29T23:59:59Z", 1_709_251_199),
            ("1970-01-01T00:00:00Z", 0),
            ("0001-01-01T00:00:00Z", -62_135_596_800),
            ("9999-12-31T23:59:59Z", 253_402_300_799),
        ]
        for (text, seconds) in expected {
            #expect(InternetDateTime.date(from: text)?.timeIntervalSince1970 == seconds, "\(text)")
        }
    }

    @Test("anything that is not a real date and time is refused, not rolled over")
    func refused() {
        for text in [
            "", "2041-03-04", "2041-03-04T10:00Z", "2041-03-04T10:00:00", "2041-03-04t10:00:00z", "2041-03-04 10:00:00Z",
            "20410304T100000Z", "2041-02-30T10:00:00Z", "2023-02-29T10:00:00Z", "2041-13-01T10:00:00Z", "2041-00-01T10:00:00Z",
            "2041-03-04T24:00:00Z", "2041-03-04T25:00:00Z", "2041-03-04T10:60:00Z", "2041-03-04T10:00:60Z", "2041-03-04T10:00:00.Z",
            "2041-03-04T10:00:00.1234567890Z", "2041-03-04T10:00:00,5Z", "2041-03-04T10:00:00+25:00", "2041-03-04T10:00:00+01:60",
            "2041-03-04T10:00:00+1", "2041-03-04T10:00:00Zjunk", "+2041-03-04T10:00:00Z", "２０４１-03-04T10:00:00Z", "2041-03-04T10:00:00 Z",
        ] {
            #expect(InternetDateTime.date(from: text) == nil, "\(text)")
        }
    }

    @Test("it agrees with Foundation's ISO-8601 formatter on 5,000 random instants and offsets")
    func agreesWithFoundation() throws {
        var random = SystemRandomNumberGenerator()
        let formatter = ISO8601DateFormatter()
        for _ in 0..<5000 {
            let date = Date(timeIntervalSince1970: Double(Int64.random(in: -2_000_000_000...8_000_000_000, using: &random)))
            formatter.timeZone = TimeZone(secondsFromGMT: 900 * Int.random(in: -48...56, using: &random))
            let text = formatter.string(from: date)
            #expect(InternetDateTime.date(from: text) == date, "\(text)")
            #expect(InternetDateTime.string(from: date) == ISO8601DateFormatter().string(from: date))
        }
    }
}

@Suite("RFC 3339 date-times written by hand")
struct InternetDateTimeWritingTests {
    @Test("every instant since the Gregorian calendar began is written as ISO8601DateFormatter writes it, its rounding included")
    func matchesFoundation() {
        var instants: [Double] = [
            0, -1, -0.5, -0.0001, 0.999, 0.999_6, 59.999_9, 59.999_999, 86_399.9, 86_400, -86_400, -86_401, 951_782_400, 951_868_799, 1_709_251_199,
            4_107_542_400, -2_208_988_800, -12_219_292_800, 253_402_300_799, 253_402_300_799.9, Date.distantFuture.timeIntervalSince1970,
        ]
        // A deterministic spread over 1582-10-15 (Foundation switches to the Julian calendar
        // before it) … 9999-12-31, fractions included.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<5_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            instants.append(-12_219_292_800 + Double(state >> 11) / Double(1 << 53) * 265_621_593_599)
        }
        let formatter = ISO8601DateFormatter()
        for seconds in instants {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(InternetDateTime.string(from: date) == formatter.string(from: date), "\(seconds)")
        }
    }

    @Test("earlier dates are proleptic Gregorian, as RFC 3339 and the parser read them")
    func prolepticGregorian() {
        for text in ["0001-01-01T00:00:00Z", "0004-02-29T12:00:00Z", "1000-03-01T00:00:00Z", "1582-10-14T23:59:59Z"] {
            let date = InternetDateTime.date(from: text)
            #expect(date.map(InternetDateTime.string(from:)) == text)
        }
    }

    @Test("an instant outside years 1…9999, or not a number, is still written, not trapped on")
    func outOfRange() {
        for seconds in [-1e18, 1e18, Double.infinity, -Double.infinity, Double.nan, -62_135_596_801, 253_402_300_800] {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(InternetDateTime.string(from: date) == ISO8601DateFormatter().string(from: date), "\(seconds)")
        }
    }
}

@Suite("Schedule bounds")
struct ScheduleBoundTests {
    @Test("a day or an instant, written back as given; anything else is refused")
    func bounds() {
        #expect(ScheduleBound("2041-03-04") == .day(year: 2041, month: 3, day: 4))
        #expect(ScheduleBound(" 2024-02-29 ")?.text == "2024-02-29")
        #expect(ScheduleBound("0999-01-05")?.text == "0999-01-05")
        #expect(ScheduleBound("2041-03-04T10:00:00+01:00")?.text == "2041-03-04T09:00:00Z")
        for refused in ["2041-02-30", "2023-02-29", "2041-3-4", "2041-03-04x", "04/03/2041", "", "2041-03-04T25:00:00Z"] {
            #expect(ScheduleBound(refused) == nil, "\(refused)")
        }
    }
}
