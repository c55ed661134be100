import FluentKit

/// Creates `sessions`.
struct CreateSessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("sessions")
            .id()
            .field("employee_id", .uuid, .required, .references("employees", "id", onDelete: .cascade))
            .field("created_at", .datetime, .required)
            .field("last_used_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .field("revoked_reason", .string)
            .field("user_agent", .string)
            .field("ip_address", .string)
            .create()
    }
    func revert(on database: any Database) async throws { try await database.schema("sessions").delete() }
}
