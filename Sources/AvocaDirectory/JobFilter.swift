import AvocaCore

/// Housecall Pro's job list filters as typed values. Bounds are inclusive: an upper day covers that
/// whole day in the company time zone, an upper instant itself.
public struct JobFilter: Sendable, Equatable {
    public var customerID: CustomerID?
    public var scheduledStartMin, scheduledStartMax, scheduledEndMin, scheduledEndMax: ScheduleBound?
    public var statuses: [WorkStatus]
    public var employeeIDs: [EmployeeID]

    /// Creates filters.
    public init(
        customerID: CustomerID? = nil, scheduledStartMin: ScheduleBound? = nil, scheduledStartMax: ScheduleBound? = nil,
        scheduledEndMin: ScheduleBound? = nil, scheduledEndMax: ScheduleBound? = nil, statuses: [WorkStatus] = [],
        employeeIDs: [EmployeeID] = []
    ) {
        self.customerID = customerID
        self.scheduledStartMin = scheduledStartMin
        self.scheduledStartMax = scheduledStartMax
        self.scheduledEndMin = scheduledEndMin
        self.scheduledEndMax = scheduledEndMax
        self.statuses = statuses
        self.employeeIDs = employeeIDs
    }
}
