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
    case booked
    case callbackScheduled = "callback_scheduled"
    case informationOnly = "information_only"
    case noAvailability = "no_availability"
    case priceShopping = "price_shopping"
    case wrongNumber = "wrong_number"
    case spam, other
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
    /// The most recent job booked on the call (the last of `jobIDs`).
    public var jobID: JobID? { jobIDs.last }
    /// Every job booked on the call, oldest first.
    public var jobIDs: [JobID]
    public var outcome: CallOutcome?
    public var notes: String?
    public var endReason: CallEndReason?
    /// Highest stored transcript seq (0 = none yet).
    public var lastSeq: Int
    /// Last time the source sent anything (start, segment); stale-call detection uses it.
    public var lastActivityAt: Date
    public var createdAt: Date
    public var updatedAt: Date
    /// The customer the calling number matched when it rang (one match only).
    public var caller: CallerMatch?
    /// The API key that started the call through the ingest API (`nil` for the carrier bridge and
    /// the in-process simulator): that key, and no other, may read how its call is doing.
    public var sourceKeyID: APIKeyID?

    /// Creates a call value.
    public init(
        id: PhoneCallID, phoneNumber: String, externalID: String? = nil, state: CallState, startedAt: Date, endedAt: Date? = nil,
        employeeID: EmployeeID? = nil, employeeName: String? = nil, customerID: CustomerID? = nil, jobIDs: [JobID] = [],
        outcome: CallOutcome? = nil, notes: String? = nil, endReason: CallEndReason? = nil, lastSeq: Int = 0, lastActivityAt: Date, createdAt: Date,
        updatedAt: Date, caller: CallerMatch? = nil, sourceKeyID: APIKeyID? = nil
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
        self.jobIDs = jobIDs
        self.outcome = outcome
        self.notes = notes
        self.endReason = endReason
        self.lastSeq = lastSeq
        self.lastActivityAt = lastActivityAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.caller = caller
        self.sourceKeyID = sourceKeyID
    }
}
