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
}
