import FluentKit
import SQLKit

/// Creates `addresses`.
struct CreateAddresses: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("addresses")
            .id()
            .field("customer_id", .uuid, .required, .references("customers", "id", onDelete: .cascade))
            .field("type", .string, .required)
            .field("street", .string, .required)
            .field("street_line_2", .string)
            .field("city", .string, .required)
            .field("state", .string, .required)
            .field("zip", .string, .required)
            .field("country", .string, .required)
            .field("latitude", .string)
            .field("longitude", .string)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "addresses_customer_id_idx").on("addresses").column("customer_id").run()
    }
    func revert(on database: any Database) async throws { try await database.schema("addresses").delete() }
}
