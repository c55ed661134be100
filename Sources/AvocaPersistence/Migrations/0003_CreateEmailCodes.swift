import FluentKit

/// Creates `email_codes` (verification and reset codes, hashed).
struct CreateEmailCodes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("email_codes")
            .id()
            .field("employee_id", .uuid, .required, .references("employees", "id", onDelete: .cascade))
            .field("purpose", .string, .required)
            .field("code_hash", .string, .required)
            .field("attempts", .int, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("consumed_at", .datetime)
            .create()
    }
    func revert(on database: any Database) async throws { try await database.schema("email_codes").delete() }
}
