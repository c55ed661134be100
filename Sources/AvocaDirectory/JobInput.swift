import AvocaCore
import Foundation

/// What a client gives to book a job, already parsed into typed values by the HTTP layer.
public struct JobInput: Sendable {
    public var customerID: CustomerID
    public var addressID: AddressID
    public var invoiceNumber: Int?
    public var name, description, leadSource, notes: String?
    public var schedule: ScheduleInput?
    public var assignedEmployeeIDs: [EmployeeID]
    public var tags: [String]

    /// Creates an input.
    public init(
        customerID: CustomerID, addressID: AddressID, invoiceNumber: Int? = nil, name: String? = nil, description: String? = nil,
        leadSource: String? = nil, notes: String? = nil, schedule: ScheduleInput? = nil, assignedEmployeeIDs: [EmployeeID] = [],
        tags: [String] = []
    ) {
        self.customerID = customerID
        self.addressID = addressID
        self.invoiceNumber = invoiceNumber
        self.name = name
        self.description = description
        self.leadSource = leadSource
        self.notes = notes
        self.schedule = schedule
        self.assignedEmployeeIDs = assignedEmployeeIDs
        self.tags = tags
    }
}
