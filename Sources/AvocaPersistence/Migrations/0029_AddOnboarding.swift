import FluentKit
import SQLKit

/// Onboarding: `employees.approved_at` (who has been let in) and `invitations` (addresses an admin
/// invited, with the role they get). Everyone who could work before this migration keeps working.
struct AddOnboarding: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("employees").field("approved_at", .datetime).update()
        try await database.sql.update("employees").set(SQLIdentifier("approved_at"), to: SQLIdentifier("created_at")).run()
        try await database.schema("invitations")
            .id()
            .field("email", .string, .required)
            .field("role", .string, .required)
            .field("invited_by", .uuid, .required, .references("employees", "id"))
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("accepted_at", .datetime)
            .unique(on: "email")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("invitations").delete()
        try await database.schema("employees").deleteField("approved_at").update()
    }
}
