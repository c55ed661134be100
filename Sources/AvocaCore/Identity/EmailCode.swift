import Foundation

/// What an e-mailed code is for; a code of one purpose never works for another.
public enum EmailCodePurpose: String, Sendable, Codable {
    /// Confirms the address after sign-up.
    case verifyEmail = "verify_email"
    /// Authorises a password reset.
    case resetPassword = "reset_password"
}

/// A stored (hashed) e-mailed code.
public struct EmailCode: Sendable, Equatable {
    /// Row identifier.
    public var id: UUID
    /// Owner.
    public var employeeID: EmployeeID
    /// What it unlocks.
    public var purpose: EmailCodePurpose
    /// Keyed hash of the 6 digits.
    public var codeHash: String
    /// Wrong guesses so far.
    public var attempts: Int
    /// When it was sent (resend throttling).
    public var createdAt: Date
    /// Expiry.
    public var expiresAt: Date
    /// When it was used; a used code never works again.
    public var consumedAt: Date?
    /// For a verification code: the password of the sign-up that sent it, which verifying the code
    /// puts in force (so the password is always the one chosen by whoever reads the mailbox).
    public var passwordHash: String?

    /// Creates a code value.
    public init(
        id: UUID, employeeID: EmployeeID, purpose: EmailCodePurpose, codeHash: String, attempts: Int, createdAt: Date,
        expiresAt: Date, consumedAt: Date?, passwordHash: String? = nil
    ) {
        self.id = id
        self.employeeID = employeeID
        self.purpose = purpose
        self.codeHash = codeHash
        self.attempts = attempts
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.consumedAt = consumedAt
        self.passwordHash = passwordHash
    }
}
