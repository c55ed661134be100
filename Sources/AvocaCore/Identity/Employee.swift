import Foundation

/// What an employee may do in Avoca.
public enum EmployeeRole: String, Sendable, Codable, CaseIterable {
    /// Manages API keys and employees; the first employee to sign up.
    case admin
    /// Leads the floor: sees every live call and agent, releases or reassigns calls, marks agents
    /// away and reads the call reports — but manages neither API keys nor employees.
    case supervisor
    /// A customer-service rep.
    case agent

    /// Whether this role may watch and steer the floor (supervisors, and admins above them).
    public var canSupervise: Bool { self == .admin || self == .supervisor }
}

/// A person who signs in to Avoca, with the state of their credentials.
public struct Employee: Sendable, Equatable {
    /// Identifier.
    public var id: EmployeeID
    /// Normalised e-mail address, unique.
    public var email: String
    /// Given name.
    public var firstName: String
    /// Family name.
    public var lastName: String
    /// Role.
    public var role: EmployeeRole
    /// Deactivated employees cannot sign in and lose their sessions.
    public var isActive: Bool
    /// bcrypt hash of the password.
    public var passwordHash: String
    /// When the e-mail address was confirmed.
    public var emailVerifiedAt: Date?
    /// When the employee was let in (by an invitation, an admin's approval, open sign-up, or being
    /// the first admin). Until then they cannot sign in, so they see no customer.
    public var approvedAt: Date?
    /// The active TOTP secret, sealed with the encryption key.
    public var totpSecretSealed: Data?
    /// When TOTP was activated.
    public var totpEnabledAt: Date?
    /// The last TOTP time step accepted; older or equal steps are refused (replay guard).
    public var totpLastStep: Int64?
    /// Last authenticated activity.
    public var lastActiveAt: Date?
    /// Creation time.
    public var createdAt: Date

    /// Active and let in: the only employees who may hold a session.
    public var mayWork: Bool { isActive && approvedAt != nil }

    /// Creates an employee value.
    public init(
        id: EmployeeID, email: String, firstName: String, lastName: String, role: EmployeeRole, isActive: Bool,
        passwordHash: String, emailVerifiedAt: Date? = nil, approvedAt: Date? = nil, totpSecretSealed: Data? = nil, totpEnabledAt: Date? = nil,
        totpLastStep: Int64? = nil, lastActiveAt: Date? = nil, createdAt: Date
    ) {
        self.id = id
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.role = role
        self.isActive = isActive
        self.passwordHash = passwordHash
        self.emailVerifiedAt = emailVerifiedAt
        self.approvedAt = approvedAt
        self.totpSecretSealed = totpSecretSealed
        self.totpEnabledAt = totpEnabledAt
        self.totpLastStep = totpLastStep
        self.lastActiveAt = lastActiveAt
        self.createdAt = createdAt
    }
}

/// The outcome of changing an employee's role or active state.
public enum AccessChange: Sendable, Equatable {
    /// Done (or nothing needed doing).
    case changed(Employee)
    /// No such employee.
    case notFound
    /// Refused: the employee is the last active admin.
    case lastAdmin
}
