import FluentKit

/// Creates `refresh_tokens`; the unique hash makes rotation a single conditional update.
struct CreateRefreshTokens: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("refresh_tokens")
            .id()
            .field("token_hash", .string, .required)
            .field("session_id", .uuid, .required, .references("sessions", "id", onDelete: .cascade))
            .field("created_at", .datetime, .required)
            .field("used_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }
    func revert(on database: any Database) async throws { try await database.schema("refresh_tokens").delete() }
}
