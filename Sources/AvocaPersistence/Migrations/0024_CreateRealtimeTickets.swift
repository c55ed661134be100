import FluentKit

/// Creates `realtime_tickets` (single-use WebSocket tickets, hashed, redeemable on any instance).
struct CreateRealtimeTickets: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("realtime_tickets")
            .id()
            .field("ticket_hash", .string, .required)
            .field("employee_id", .uuid, .required, .references("employees", "id", onDelete: .cascade))
            .field("session_id", .uuid, .required, .references("sessions", "id", onDelete: .cascade))
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .unique(on: "ticket_hash")
            .create()
    }
    func revert(on database: any Database) async throws { try await database.schema("realtime_tickets").delete() }
}
