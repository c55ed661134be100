import FluentKit
import SQLKit

/// Creates `customers` with its sort indexes.
struct CreateCustomers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("customers")
            .id()
            .field("first_name", .string)
            .field("last_name", .string)
            .field("email", .string)
            .field("mobile_number", .string)
            .field("home_number", .string)
            .field("work_number", .string)
            .field("company", .string)
            .field("notifications_enabled", .bool, .required)
            .field("lead_source", .string)
            .field("notes", .string)
            .field("tags", .string, .required)
            .field("search_text", .string, .required)
            .field("phone_digits", .string, .required)
            .field("first_name_key", .string, .required)
            .field("last_name_key", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        let sql = try database.sql
        for column in ["created_at", "updated_at", "first_name_key", "last_name_key"] {
            try await sql.create(index: "customers_\(column)_idx").on("customers").column(column).column("id").run()
        }
    }
    func revert(on database: any Database) async throws { try await database.schema("customers").delete() }
}
