import Foundation

/// What an employee may do in Avoca.
public enum EmployeeRole: String, Sendable, Codable, CaseIterable {
    /// Manages API keys and employees; the first employee to sign up.
    case admin
    /// A customer-service rep.
    case agent
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

    /// Creates an employee value.
    public init(
        id: EmployeeID, email: String, firstName: String, lastName: String, role: EmployeeRole, isActive: Bool,
        passwordHash: String, emailVerifiedAt: Date? = nil, totpSecretSealed: Data? = nil, totpEnabledAt: Date? = nil,
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
        self.totpSecretSealed = totpSecretSealed
        self.totpEnabledAt = totpEnabledAt
        self.totpLastStep = totpLastStep
        self.lastActiveAt = lastActiveAt
        self.createdAt = createdAt
    }
}

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

    /// Creates a code value.
    public init(
        id: UUID, employeeID: EmployeeID, purpose: EmailCodePurpose, codeHash: String, attempts: Int, createdAt: Date,
        expiresAt: Date, consumedAt: Date?
    ) {
        self.id = id
        self.employeeID = employeeID
        self.purpose = purpose
        self.codeHash = codeHash
        self.attempts = attempts
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.consumedAt = consumedAt
    }
}

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

/// A signed-in device or client.
public struct AuthSession: Sendable, Equatable {
    /// Identifier (the JWT `sid`).
    public var id: SessionID
    /// Owner.
    public var employeeID: EmployeeID
    /// Start.
    public var createdAt: Date
    /// Last refresh.
    public var lastUsedAt: Date
    /// Absolute end, however often it is refreshed.
    public var expiresAt: Date
    /// When it was ended, if it was.
    public var revokedAt: Date?
    /// Why it was ended (sign-out, replay, password change …).
    public var revokedReason: String?
    /// The client's User-Agent at sign-in.
    public var userAgent: String?
    /// The client's address at sign-in.
    public var ipAddress: String?

    /// Creates a session value.
    public init(
        id: SessionID, employeeID: EmployeeID, createdAt: Date, lastUsedAt: Date, expiresAt: Date, revokedAt: Date? = nil,
        revokedReason: String? = nil, userAgent: String? = nil, ipAddress: String? = nil
    ) {
        self.id = id
        self.employeeID = employeeID
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.revokedReason = revokedReason
        self.userAgent = userAgent
        self.ipAddress = ipAddress
    }

    /// Whether the session may still be used at `now`.
    public func isLive(at now: Date) -> Bool { revokedAt == nil && expiresAt > now }
}

/// The outcome of presenting a refresh token.
public enum RefreshTokenUse: Sendable, Equatable {
    /// First use of a token of a live session: it was marked used and its successor stored.
    case fresh(AuthSession)
    /// First use, but the session has ended (signed out, expired, revoked).
    case sessionEnded
    /// The token had already been used: a replay, the session must be revoked.
    case replayed(SessionID)
    /// Not a token we issued (or it expired long ago).
    case unknown
}

/// What an API key may do.
public enum APIKeyScope: String, Sendable, Codable, CaseIterable {
    /// Read customers, addresses, jobs, employees.
    case directoryRead = "directory:read"
    /// Create and change customers, addresses, jobs.
    case directoryWrite = "directory:write"
    /// Start calls, stream transcript, end calls (the telephony bridge).
    case callsIngest = "calls:ingest"
    /// Read calls.
    case callsRead = "calls:read"
}

/// An integration credential (`Authorization: Token <key>`), stored hashed.
public struct APIKey: Sendable, Equatable {
    /// Identifier.
    public var id: APIKeyID
    /// A human label.
    public var name: String
    /// Permissions.
    public var scopes: [APIKeyScope]
    /// First characters of the key, to recognise it in lists.
    public var prefix: String
    /// Keyed hash of the whole key.
    public var keyHash: String
    /// Creation time.
    public var createdAt: Date
    /// Last successful use.
    public var lastUsedAt: Date?
    /// When it was revoked.
    public var revokedAt: Date?

    /// Creates an API key value.
    public init(
        id: APIKeyID, name: String, scopes: [APIKeyScope], prefix: String, keyHash: String, createdAt: Date,
        lastUsedAt: Date? = nil, revokedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.scopes = scopes
        self.prefix = prefix
        self.keyHash = keyHash
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }
}

/// One page of a list, with exact totals.
public struct ResultPage<Item: Sendable>: Sendable {
    /// The items on this page.
    public var items: [Item]
    /// 1-based page number.
    public var page: Int
    /// Requested size.
    public var pageSize: Int
    /// Rows matching, over all pages (a lower bound when `totalIsCapped`).
    public var totalItems: Int
    /// `true` when counting stopped at `totalItems` and more rows match (see `CustomerQuery.exactTotalLimit`).
    public var totalIsCapped: Bool
    /// Number of pages (at least 1... or 0 when nothing matches).
    public var totalPages: Int { totalItems == 0 ? 0 : (totalItems + pageSize - 1) / pageSize }

    /// Creates a page.
    public init(items: [Item], page: Int, pageSize: Int, totalItems: Int, totalIsCapped: Bool = false) {
        self.items = items
        self.page = page
        self.pageSize = pageSize
        self.totalItems = totalItems
        self.totalIsCapped = totalIsCapped
    }
}
