import FluentKit
import SQLKit

/// Creates `agent_presence` and `realtime_connections`, so every instance derives the same presence.
struct CreateAgentPresence: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("agent_presence")
            .field("employee_id", .uuid, .identifier(auto: false), .references("employees", "id", onDelete: .cascade))
            .field("available", .bool, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema("realtime_connections")
            .id()
            .field("employee_id", .uuid, .required, .references("employees", "id", onDelete: .cascade))
            .field("connected_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "realtime_connections_employee_idx").on("realtime_connections").column("employee_id").run()
    }
    func revert(on database: any Database) async throws {
        try await database.schema("realtime_connections").delete()
        try await database.schema("agent_presence").delete()
    }
}
