import Foundation

/// One fact found in a transcript, with the segment it came from.
public struct Insight: Sendable, Equatable, Hashable, Codable {
    /// What kind of fact this is.
    public var kind: InsightKind
    /// The fact as said, cleaned up: "Maria Gonzalez", "(312) 555-0142",
    /// "1423 Maple Ave, Springfield, IL 62704", "water heater", "flooding", "tomorrow morning".
    public var value: String
    /// The canonical form: E.164 for phones ("+13125550142"), the lower-cased e-mail, the USPS-style
    /// address, the trade for services ("plumbing", "hvac", "electrical", "appliance", "roofing",
    /// "garage_door", "pest_control"), the level for urgency ("emergency", "urgent", "routine"), and an
    /// ISO-8601 date ("2026-11-27") or date-time ("2026-11-25T08:00:00-06:00") for requested times.
    /// `nil` for names.
    public var normalized: String?
    /// The 1-based `seq` of the transcript segment that completed the fact.
    public var seq: Int

    /// Creates an insight.
    public init(kind: InsightKind, value: String, normalized: String?, seq: Int) {
        self.kind = kind
        self.value = value
        self.normalized = normalized
        self.seq = seq
    }
}
