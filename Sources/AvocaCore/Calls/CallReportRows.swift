import Foundation

/// One call as the reports read it: the `phone_calls` row with the names of its agent and customer.
public struct ReportedCallRow: Sendable, Equatable {
    public var id: PhoneCallID
    public var phoneNumber: String
    public var state: CallState
    public var startedAt: Date
    public var endedAt: Date?
    public var employeeID: EmployeeID?
    public var employeeName: String?
    public var customerID: CustomerID?
    public var customerName: String?
    public var jobID: JobID?
    /// Every job booked on the call, oldest first (`jobID` is the last of them).
    public var jobIDs: [JobID] = []
    public var outcome: CallOutcome?
    public var notes: String?

    /// Creates a row.
    public init(
        id: PhoneCallID, phoneNumber: String, state: CallState, startedAt: Date, endedAt: Date? = nil, employeeID: EmployeeID? = nil,
        employeeName: String? = nil, customerID: CustomerID? = nil, customerName: String? = nil, jobID: JobID? = nil, outcome: CallOutcome? = nil,
        notes: String? = nil
    ) {
        self.id = id
        self.phoneNumber = phoneNumber
        self.state = state
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.employeeID = employeeID
        self.employeeName = employeeName
        self.customerID = customerID
        self.customerName = customerName
        self.jobID = jobID
        self.outcome = outcome
        self.notes = notes
    }
}

/// One entry of a call's audit log (`phone_call_events`), as the reports read it.
public struct CallLogRow: Sendable, Equatable {
    public var callID: PhoneCallID
    /// `nil` for a kind this build does not know (a newer instance wrote it); reports skip those.
    public var kind: CallLogKind?
    public var actorID: EmployeeID?
    public var at: Date

    /// Creates a row.
    public init(callID: PhoneCallID, kind: CallLogKind?, actorID: EmployeeID?, at: Date) {
        self.callID = callID
        self.kind = kind
        self.actorID = actorID
        self.at = at
    }
}

/// One realtime connection of an agent, as the reports read it.
public struct ConnectionSpan: Sendable, Equatable {
    public var employeeID: EmployeeID
    public var connectedAt: Date
    /// `nil` while open, or when its instance died without closing it.
    public var closedAt: Date?
    /// The last heartbeat.
    public var lastSeenAt: Date

    /// Creates a span.
    public init(employeeID: EmployeeID, connectedAt: Date, closedAt: Date?, lastSeenAt: Date) {
        self.employeeID = employeeID
        self.connectedAt = connectedAt
        self.closedAt = closedAt
        self.lastSeenAt = lastSeenAt
    }
}

/// One flip of an agent's Available/Away toggle.
public struct AvailabilityChange: Sendable, Equatable {
    public var employeeID: EmployeeID
    public var available: Bool
    public var at: Date

    /// Creates a change.
    public init(employeeID: EmployeeID, available: Bool, at: Date) {
        self.employeeID = employeeID
        self.available = available
        self.at = at
    }
}

/// A stretch an agent spent on a call and its wrap-up.
public struct BusySpan: Sendable, Equatable {
    public var employeeID: EmployeeID
    public var from: Date
    /// `nil` while the call or its wrap-up goes on.
    public var to: Date?

    /// Creates a span.
    public init(employeeID: EmployeeID, from: Date, to: Date?) {
        self.employeeID = employeeID
        self.from = from
        self.to = to
    }
}

/// What an agent's "time available" over a period is computed from.
public struct PresenceHistory: Sendable, Equatable {
    /// Connections open at some point of the period.
    public var connections: [ConnectionSpan]
    /// Toggle flips in the period, preceded by each agent's last flip before it, in time order.
    public var changes: [AvailabilityChange]
    /// Calls owned through some part of the period.
    public var busy: [BusySpan]
    /// Full names of the employees above.
    public var names: [EmployeeID: String]

    /// Creates a history.
    public init(connections: [ConnectionSpan], changes: [AvailabilityChange], busy: [BusySpan], names: [EmployeeID: String]) {
        self.connections = connections
        self.changes = changes
        self.busy = busy
        self.names = names
    }
}

/// The rows a call report is computed from, read from the database for one period only, so every
/// instance computes the same figures.
public protocol CallReportRepository: Sendable {
    /// Calls that started in `[from, to)`, oldest first, and the audit-log entries of exactly those calls,
    /// in order; `names` maps each employee that appears in either to their full name.
    func reportRows(
        startedFrom from: Date, before to: Date
    ) async throws -> (
        calls: [ReportedCallRow], log: [CallLogRow], names: [EmployeeID: String]
    )
    /// Connections, toggles and owned calls that touch `[from, to)`. Calls are looked for among
    /// those that rang from a day before `from` on (a call is never owned for longer).
    func presenceHistory(from: Date, to: Date) async throws -> PresenceHistory
}
