import FluentKit

/// Creates `mfa_challenges` (the password-verified, second-factor-pending step).
struct CreateMFAChallenges: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("mfa_challenges")
            .id()
            .field("token_hash", .string, .required)
            .field("employee_id", .uuid, .required, .references("employees", "id", onDelete: .cascade))
            .field("purpose", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("consumed_at", .datetime)
            .field("pending_secret", .data)
            .unique(on: "token_hash")
            .create()
    }
    func revert(on database: any Database) async throws { try await database.schema("mfa_challenges").delete() }
}
