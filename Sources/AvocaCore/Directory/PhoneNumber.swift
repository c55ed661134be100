import Foundation

/// A phone number as typed, with its E.164 form for matching. US/NANP is the default region;
/// an extension ("x12", "ext. 12", "#12") is kept.
public struct PhoneNumber: Sendable, Equatable {
    /// What the user typed, trimmed.
    public let display: String
    /// `+15550102000` (or `+<digits>` for numbers given with another country code).
    public let e164: String
    /// The extension digits, if any.
    public let phoneExtension: String?

    /// Parses `raw`; `nil` when it cannot be a dialable number.
    public init?(_ raw: String) {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 40 else { return nil }
        var main = trimmed.lowercased()
        var ext: String?
        if let range = main.range(of: #"\s*(ext\.?|extension|x|#)\s*(\d{1,6})$"#, options: .regularExpression) {
            ext = String(main[range].filter(\.isNumber))
            main = String(main[..<range.lowerBound])
        }
        // Only phone punctuation may remain; letters mean it is not a number.
        guard main.allSatisfy({ $0.isNumber || " +-().\u{00A0}/".contains($0) }) else { return nil }
        let digits = main.filter(\.isNumber)
        let international = main.hasPrefix("+") || main.hasPrefix("00")
        if international {
            let stripped = main.hasPrefix("00") ? String(digits.dropFirst(2)) : digits
            guard (8...15).contains(stripped.count) else { return nil }
            e164 = "+" + stripped
        } else if digits.count == 10 {
            e164 = "+1" + digits
        } else if digits.count == 11, digits.hasPrefix("1") {
            e164 = "+" + digits
        } else {
            return nil
        }
        display = trimmed
        phoneExtension = ext
    }

    /// The digits of the E.164 form (what searches match against).
    public var digits: String { String(e164.dropFirst()) }
}
