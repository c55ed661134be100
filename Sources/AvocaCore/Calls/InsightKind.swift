import Foundation

/// What kind of fact was found.
public enum InsightKind: String, Sendable, Codable, CaseIterable {
    /// The caller's name.
    case name
    /// A phone number the caller gave.
    case phone
    /// An e-mail address the caller gave.
    case email
    /// A US street address the caller gave.
    case address
    /// The service asked for, by trade.
    case service
    /// How urgent the job is.
    case urgency
    /// When the caller wants someone to come.
    case requestedTime = "requested_time"
}
