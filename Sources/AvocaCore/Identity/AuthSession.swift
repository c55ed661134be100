import Foundation

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
