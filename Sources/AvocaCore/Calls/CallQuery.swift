import Foundation

/// How to list calls.
public struct CallQuery: Sendable, Equatable {
    public var states: [CallState]
    public var ownerID: EmployeeID?
    public var customerID: CustomerID?
    public var from: Date?
    public var to: Date?
    public var page: Int
    public var pageSize: Int

    /// Creates a query.
    public init(
        states: [CallState] = [], ownerID: EmployeeID? = nil, customerID: CustomerID? = nil, from: Date? = nil, to: Date? = nil, page: Int = 1,
        pageSize: Int = 20
    ) {
        self.states = states
        self.ownerID = ownerID
        self.customerID = customerID
        self.from = from
        self.to = to
        self.page = page
        self.pageSize = pageSize
    }
}
