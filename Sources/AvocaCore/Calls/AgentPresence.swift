import Foundation

/// An agent's explicit toggle plus what the system derives.
public enum PresenceStatus: String, Sendable, Codable, CaseIterable {
    case available
    case onCall = "on_call"
    case wrapUp = "wrap_up"
    case away, offline
    /// Let offers expire in a row; gets no offers until they choose Available again.
    case notResponding = "not_responding"
}

/// Why an agent is not taking calls, shown to colleagues and supervisors.
public enum PresenceReason: String, Sendable, Codable, CaseIterable {
    case onBreak = "break"
    case lunch, training
    case outboundCalls = "outbound_calls"
    /// Set by routing, never chosen: offers expired unanswered.
    case notResponding = "not_responding"
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
    /// Why they are away, when they are.
    public var reason: PresenceReason?
    /// When the agent entered `status` (answered the call, hung up into wrap-up, went away or
    /// became free); nil while offline. Supervisors read "time in state" from it.
    public var statusSince: Date?

    /// Creates a presence value.
    public init(
        employeeID: EmployeeID, name: String, status: PresenceStatus, available: Bool, idleSince: Date?, reason: PresenceReason? = nil,
        statusSince: Date? = nil
    ) {
        self.employeeID = employeeID
        self.name = name
        self.status = status
        self.available = available
        self.idleSince = idleSince
        self.reason = reason
        self.statusSince = statusSince
    }
}
