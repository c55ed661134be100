/// The employee who changed a call, carried in the call's event: every socket of every instance
/// names them (the owner's desk says "Ann Admin linked Dana Whitfield to your call") without a
/// database read per socket or per event.
public struct CallActor: Sendable, Equatable, Codable {
    /// Who.
    public var employeeID: EmployeeID
    /// Their name as colleagues see it ("Ann Admin").
    public var name: String

    /// Creates an actor value.
    public init(employeeID: EmployeeID, name: String) {
        self.employeeID = employeeID
        self.name = name
    }

    /// The employee as the actor of a change.
    public init(_ employee: Employee) {
        self.init(employeeID: employee.id, name: [employee.firstName, employee.lastName].filter { !$0.isEmpty }.joined(separator: " "))
    }
}
