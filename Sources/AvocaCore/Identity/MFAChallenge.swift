import Foundation

/// What a password-verified sign-in still needs.
public enum MFAPurpose: String, Sendable, Codable {
    /// No authenticator yet: set one up.
    case enroll
    /// Prove possession of the authenticator.
    case verify
}

/// The short-lived, single-use result of a correct password.
public struct MFAChallenge: Sendable, Equatable {
    /// Row identifier.
    public var id: UUID
    /// Who proved their password.
    public var employeeID: EmployeeID
    /// What the token may be used for.
    public var purpose: MFAPurpose
    /// Expiry (5 minutes).
    public var expiresAt: Date
    /// Set when it was exchanged for a session.
    public var consumedAt: Date?
    /// During enrolment: the proposed secret, sealed, until confirmed.
    public var pendingSecretSealed: Data?

    /// Creates a challenge value.
    public init(id: UUID, employeeID: EmployeeID, purpose: MFAPurpose, expiresAt: Date, consumedAt: Date?, pendingSecretSealed: Data?) {
        self.id = id
        self.employeeID = employeeID
        self.purpose = purpose
        self.expiresAt = expiresAt
        self.consumedAt = consumedAt
        self.pendingSecretSealed = pendingSecretSealed
    }
}
