import FluentKit
import SQLKit

/// Creates `phone_call_events`, the append-only audit log (created, offered, claimed, released, linked, ended, outcome).
struct CreatePhoneCallEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("phone_call_events")
            .id()
            .field("phone_call_id", .uuid, .required, .references("phone_calls", "phone_call_id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("actor_id", .uuid)
            .field("detail", .string)
            .field("created_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "phone_call_events_call_idx").on("phone_call_events").column("phone_call_id").run()
    }
    func revert(on database: any Database) async throws { try await database.schema("phone_call_events").delete() }
}
