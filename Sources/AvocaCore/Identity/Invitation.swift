import Foundation

/// Who may create an account (`AVOCA_SIGNUP`). Whatever the mode, the first sign-up of an empty
/// install is allowed and its first verified employee becomes the admin.
public enum SignupMode: String, Sendable, CaseIterable {
    /// Only invited addresses may sign up (the production default).
    case invite
    /// Anyone may sign up, but an admin approves them before they can sign in.
    case approve
    /// Anyone may sign up and work at once (the development default).
    case open
}

/// An admin's invitation of one e-mail address, with the role it grants.
public struct Invitation: Sendable, Equatable {
    /// Identifier.
    public var id: UUID
    /// Normalised address.
    public var email: String
    /// The role the employee gets on verifying their address.
    public var role: EmployeeRole
    /// The admin who invited.
    public var invitedBy: EmployeeID
    /// Creation (or latest re-sending) time.
    public var createdAt: Date
    /// After this the address can no longer sign up with it.
    public var expiresAt: Date
    /// When the invited employee verified their address.
    public var acceptedAt: Date?

    /// Creates the value.
    public init(
        id: UUID, email: String, role: EmployeeRole, invitedBy: EmployeeID, createdAt: Date, expiresAt: Date, acceptedAt: Date? = nil
    ) {
        self.id = id
        self.email = email
        self.role = role
        self.invitedBy = invitedBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.acceptedAt = acceptedAt
    }

    /// Usable for signing up at `now`.
    public func isLive(at now: Date) -> Bool { acceptedAt == nil && now < expiresAt }
}

/// What verifying an address grants.
public struct VerificationGrant: Sendable, Equatable {
    /// Let the employee in now (otherwise they wait for an admin's approval).
    public var approve: Bool
    /// The role to give (an invitation's); nil keeps the current one.
    public var role: EmployeeRole?
    /// The invitation being accepted, if any.
    public var invitationID: UUID?

    /// Creates the value.
    public init(approve: Bool, role: EmployeeRole?, invitationID: UUID?) {
        self.approve = approve
        self.role = role
        self.invitationID = invitationID
    }
}
