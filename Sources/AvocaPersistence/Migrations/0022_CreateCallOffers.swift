import FluentKit
import SQLKit

/// Creates `call_offers`; the unique `pending_call_id` allows at most one pending offer per call.
struct CreateCallOffers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("call_offers")
            .id()
            .field("phone_call_id", .uuid, .required, .references("phone_calls", "phone_call_id", onDelete: .cascade))
            .field("employee_id", .uuid, .required, .references("employees", "id"))
            .field("status", .string, .required)
            .field("pending_call_id", .uuid)
            .field("offered_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("closed_at", .datetime)
            .unique(on: "pending_call_id")
            .create()
        try await database.sql.create(index: "call_offers_call_idx").on("call_offers").column("phone_call_id").run()
    }
    func revert(on database: any Database) async throws { try await database.schema("call_offers").delete() }
}
