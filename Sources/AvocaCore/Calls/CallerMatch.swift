import Foundation

/// Who is calling, as far as the directory knew when the call rang: the one customer whose phone
/// matches the calling number, with a line of history for the ringing row and the offer card.
/// Kept on the call, so showing it costs no lookup per socket or per redraw.
public struct CallerMatch: Sendable, Equatable {
    public var customerID: CustomerID
    public var name: String
    /// Jobs not yet done or canceled.
    public var openJobs: Int
    /// The newest job: its name or description, and when it is (or was) scheduled, else booked.
    public var lastJob: String?
    public var lastJobAt: Date?

    /// Creates a match.
    public init(customerID: CustomerID, name: String, openJobs: Int, lastJob: String?, lastJobAt: Date?) {
        self.customerID = customerID
        self.name = name
        self.openJobs = openJobs
        self.lastJob = lastJob
        self.lastJobAt = lastJobAt
    }
}
