/// Why a sign-in session was revoked (stored with the session, for the audit trail).
public enum SessionEndReason: String, Sendable, Codable, CaseIterable {
    /// A used refresh token was replayed: the session may be stolen.
    case refreshTokenReuse = "refresh_token_reuse"
    /// The employee signed out.
    case signedOut = "signed_out"
    /// The employee ended it from the sessions list.
    case revokedByUser = "revoked_by_user"
    /// An admin deactivated the employee.
    case deactivated
    /// The password was reset by e-mail.
    case passwordReset = "password_reset"
    /// The password was changed (other sessions end).
    case passwordChanged = "password_changed"
}
