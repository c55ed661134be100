import FluentKit

/// `ring_numbers`: the phone each employee's accepted carrier calls are connected to ("calls ring
/// at" in Settings), one per employee. A table of its own: it belongs to call routing, not to
/// identity.
struct CreateRingNumbers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("ring_numbers")
            .id()
            .field("employee_id", .uuid, .required, .references("employees", "id", onDelete: .cascade))
            .field("number", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "employee_id")
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema("ring_numbers").delete() }
}
