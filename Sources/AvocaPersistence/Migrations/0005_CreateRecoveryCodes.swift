import FluentKit

/// Creates `recovery_codes` (hashed, single use).
struct CreateRecoveryCodes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("recovery_codes")
            .id()
            .field("employee_id", .uuid, .required, .references("employees", "id", onDelete: .cascade))
            .field("code_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("used_at", .datetime)
            .create()
    }
    func revert(on database: any Database) async throws { try await database.schema("recovery_codes").delete() }
}
