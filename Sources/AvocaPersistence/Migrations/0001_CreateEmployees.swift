import FluentKit

/// Creates `employees`; the unique e-mail constraint is what makes duplicate sign-ups impossible.
struct CreateEmployees: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("employees")
            .id()
            .field("email", .string, .required)
            .field("first_name", .string, .required)
            .field("last_name", .string, .required)
            .field("role", .string, .required)
            .field("is_active", .bool, .required)
            .field("password_hash", .string, .required)
            .field("email_verified_at", .datetime)
            .field("totp_secret", .data)
            .field("totp_enabled_at", .datetime)
            .field("totp_last_step", .int64)
            .field("last_active_at", .datetime)
            .field("created_at", .datetime, .required)
            .unique(on: "email")
            .create()
    }
    func revert(on database: any Database) async throws { try await database.schema("employees").delete() }
}
