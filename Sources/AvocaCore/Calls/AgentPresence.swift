import Foundation

/// An agent's explicit toggle plus what the system derives.
public enum PresenceStatus: String, Sendable, Codable, CaseIterable {
    case available
    case onCall = "on_call"
    case wrapUp = "wrap_up"
    case away, offline
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
