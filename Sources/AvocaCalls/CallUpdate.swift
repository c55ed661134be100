import AvocaCore

/// An agent's changes to a call: links, wrap-up outcome and notes. `nil` leaves a value as it is;
/// empty notes clear them.
public struct CallUpdate: Sendable, Equatable {
    public var customer: LinkChange<CustomerID>
    public var job: LinkChange<JobID>
    public var outcome: CallOutcome?
    public var notes: String?

    /// Creates an update.
    public init(customer: LinkChange<CustomerID> = .unchanged, job: LinkChange<JobID> = .unchanged, outcome: CallOutcome? = nil, notes: String? = nil)
    {
        self.customer = customer
        self.job = job
        self.outcome = outcome
        self.notes = notes
    }
}
