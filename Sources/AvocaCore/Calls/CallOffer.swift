import Foundation

/// A pending offer of a ringing call to one agent.
public struct CallOffer: Sendable, Equatable {
    public var callID: PhoneCallID
    public var employeeID: EmployeeID
    public var expiresAt: Date

    /// Creates an offer value.
    public init(callID: PhoneCallID, employeeID: EmployeeID, expiresAt: Date) {
        self.callID = callID
        self.employeeID = employeeID
        self.expiresAt = expiresAt
    }
}
