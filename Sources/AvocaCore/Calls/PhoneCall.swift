import Foundation

/// Tag for phone-call identifiers.
public enum PhoneCallTag {}
/// Identifies a phone call.
public typealias PhoneCallID = ID<PhoneCallTag>

/// Where a call is in its life.
public enum CallState: String, Sendable, Codable, CaseIterable {
    /// Live and unclaimed.
    case ringing
    /// Live and claimed by an agent.
    case active
    /// The caller hung up; the agent still has to record the outcome.
    case wrapUp = "wrap_up"
    /// Done.
    case completed
    /// Ended before anyone claimed it: the callback list.
    case missed

    /// Whether the caller is still on the line.
    public var isLive: Bool { self == .ringing || self == .active }
}

/// How a call ended for the business.
public enum CallOutcome: String, Sendable, Codable, CaseIterable {
    case booked, callbackScheduled = "callback_scheduled", informationOnly = "information_only", noAvailability = "no_availability"
    case priceShopping = "price_shopping", wrongNumber = "wrong_number", spam, other
}

/// A phone call with its claim, links and wrap-up.
public struct PhoneCall: Sendable, Equatable {
    public var id: PhoneCallID
    public var phoneNumber: String
    public var externalID: String?
    public var state: CallState
    public var startedAt: Date
    public var endedAt: Date?
    public var employeeID: EmployeeID?
    public var employeeName: String?
    public var customerID: CustomerID?
    public var jobID: JobID?
    public var outcome: CallOutcome?
    public var notes: String?
    public var endReason: String?
    /// Highest stored transcript seq (0 = none yet).
    public var lastSeq: Int
    /// Last time the source sent anything (start, segment); stale-call detection uses it.
    public var lastActivityAt: Date
    public var createdAt: Date
    public var updatedAt: Date

    /// Creates a call value.
    public init(
        id: PhoneCallID, phoneNumber: String, externalID: String? = nil, state: CallState, startedAt: Date, endedAt: Date? = nil,
        employeeID: EmployeeID? = nil, employeeName: String? = nil, customerID: CustomerID? = nil, jobID: JobID? = nil,
        outcome: CallOutcome? = nil, notes: String? = nil, endReason: String? = nil, lastSeq: Int = 0, lastActivityAt: Date, createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.phoneNumber = phoneNumber
        self.externalID = externalID
        self.state = state
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.employeeID = employeeID
        self.employeeName = employeeName
        self.customerID = customerID
        self.jobID = jobID
        self.outcome = outcome
        self.notes = notes
        self.endReason = endReason
        self.lastSeq = lastSeq
        self.lastActivityAt = lastActivityAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// One stored transcript segment.
public struct TranscriptSegment: Sendable, Equatable, Codable {
    public var seq: Int
    public var speaker: Speaker
    public var text: String
    public var createdAt: Date

    /// Creates a segment.
    public init(seq: Int, speaker: Speaker, text: String, createdAt: Date) {
        self.seq = seq
        self.speaker = speaker
        self.text = text
        self.createdAt = createdAt
    }
}

/// An agent's explicit toggle plus what the system derives.
public enum PresenceStatus: String, Sendable, Codable {
    case available, onCall = "on_call", wrapUp = "wrap_up", away, offline
}

/// One agent's presence.
public struct AgentPresence: Sendable, Equatable {
    public var employeeID: EmployeeID
    public var name: String
    public var status: PresenceStatus
    /// The explicit available/away toggle.
    public var available: Bool
    /// When the agent last became free (routing offers calls to the longest idle first).
    public var idleSince: Date?

    /// Creates a presence value.
    public init(employeeID: EmployeeID, name: String, status: PresenceStatus, available: Bool, idleSince: Date?) {
        self.employeeID = employeeID
        self.name = name
        self.status = status
        self.available = available
        self.idleSince = idleSince
    }
}

/// A pending offer of a ringing call to one agent.
public struct CallOffer: Sendable, Equatable {
    public var callID: PhoneCallID
    public var employeeID: EmployeeID
    public var expiresAt: Date

    /// Creates an offer value.
    public init(callID: PhoneCallID, employeeID: EmployeeID, expiresAt: Date) {
        self.callID = callID
        self.employeeID = employeeID
        self.expiresAt = expiresAt
    }
}
