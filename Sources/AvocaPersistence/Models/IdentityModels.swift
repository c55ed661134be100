import FluentKit
import Foundation

// Fluent models are reference types that Fluent mutates in place; they never leave this module
// (repositories map them to AvocaCore values), so the unchecked Sendable is contained here.

/// Row of `employees`.
final class EmployeeModel: Model, @unchecked Sendable {
    static let schema = "employees"
    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "first_name") var firstName: String
    @Field(key: "last_name") var lastName: String
    @Field(key: "role") var role: String
    @Field(key: "is_active") var isActive: Bool
    @Field(key: "password_hash") var passwordHash: String
    @OptionalField(key: "email_verified_at") var emailVerifiedAt: Date?
    @OptionalField(key: "approved_at") var approvedAt: Date?
    @OptionalField(key: "totp_secret") var totpSecret: Data?
    @OptionalField(key: "totp_enabled_at") var totpEnabledAt: Date?
    @OptionalField(key: "totp_last_step") var totpLastStep: Int64?
    @OptionalField(key: "last_active_at") var lastActiveAt: Date?
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

/// Row of `invitations`.
final class InvitationModel: Model, @unchecked Sendable {
    static let schema = "invitations"
    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "role") var role: String
    @Field(key: "invited_by") var invitedBy: UUID
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "accepted_at") var acceptedAt: Date?
    init() {}
}

/// Row of `app_markers`: one-time facts decided by a unique key (e.g. who became the first admin).
final class AppMarkerModel: Model, @unchecked Sendable {
    static let schema = "app_markers"
    @ID(custom: "key", generatedBy: .user) var id: String?
    @Field(key: "value") var value: String
    init() {}
    init(key: String, value: String) {
        self.id = key
        self.value = value
    }
}

/// Row of `email_codes`.
final class EmailCodeModel: Model, @unchecked Sendable {
    static let schema = "email_codes"
    @ID(key: .id) var id: UUID?
    @Field(key: "employee_id") var employeeID: UUID
    @Field(key: "purpose") var purpose: String
    @Field(key: "code_hash") var codeHash: String
    @Field(key: "attempts") var attempts: Int
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "consumed_at") var consumedAt: Date?
    @OptionalField(key: "password_hash") var passwordHash: String?
    init() {}
}

/// Row of `mfa_challenges`.
final class MFAChallengeModel: Model, @unchecked Sendable {
    static let schema = "mfa_challenges"
    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "employee_id") var employeeID: UUID
    @Field(key: "purpose") var purpose: String
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "consumed_at") var consumedAt: Date?
    @OptionalField(key: "pending_secret") var pendingSecret: Data?
    init() {}
}

/// Row of `recovery_codes`.
final class RecoveryCodeModel: Model, @unchecked Sendable {
    static let schema = "recovery_codes"
    @ID(key: .id) var id: UUID?
    @Field(key: "employee_id") var employeeID: UUID
    @Field(key: "code_hash") var codeHash: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?
    init() {}
}

/// Row of `sessions`.
final class SessionModel: Model, @unchecked Sendable {
    static let schema = "sessions"
    @ID(key: .id) var id: UUID?
    @Field(key: "employee_id") var employeeID: UUID
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "last_used_at") var lastUsedAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @OptionalField(key: "revoked_reason") var revokedReason: String?
    @OptionalField(key: "user_agent") var userAgent: String?
    @OptionalField(key: "ip_address") var ipAddress: String?
    init() {}
}

/// Row of `refresh_tokens`: every token ever issued, so that a replayed one is recognised.
final class RefreshTokenModel: Model, @unchecked Sendable {
    static let schema = "refresh_tokens"
    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "session_id") var sessionID: UUID
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?
    init() {}
}

/// Row of `api_keys`.
final class APIKeyModel: Model, @unchecked Sendable {
    static let schema = "api_keys"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "scopes") var scopes: String
    @Field(key: "prefix") var prefix: String
    @Field(key: "key_hash") var keyHash: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    init() {}
}

/// Row of `auth_throttles`, keyed by e.g. `account:<email>` or `client:<ip>`.
final class ThrottleModel: Model, @unchecked Sendable {
    static let schema = "auth_throttles"
    @ID(custom: "key", generatedBy: .user) var id: String?
    @Field(key: "failures") var failures: Int
    @OptionalField(key: "blocked_until") var blockedUntil: Date?
    @Field(key: "updated_at") var updatedAt: Date
    init() {}
}

/// Row of `mail_outbox`.
final class OutboxModel: Model, @unchecked Sendable {
    static let schema = "mail_outbox"
    @ID(key: .id) var id: UUID?
    @Field(key: "recipient") var recipient: String
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String
    @Field(key: "attempts") var attempts: Int
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "next_attempt_at") var nextAttemptAt: Date
    @OptionalField(key: "last_error") var lastError: String?
    @OptionalField(key: "sent_at") var sentAt: Date?
    init() {}
}
