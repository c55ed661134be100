import FluentKit
import Foundation
import SQLKit

/// Keeps the history a day's "time available" is computed from: every availability toggle
/// (`presence_changes`) and every realtime connection with when it closed (`realtime_connections`
/// rows are now closed rather than deleted). Both are database rows, so every instance reports alike.
struct AddPresenceHistory: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("realtime_connections").field("closed_at", .datetime).update()
        try await database.sql.create(index: "realtime_connections_seen_idx").on("realtime_connections").column("last_seen_at").run()
        try await database.schema("presence_changes")
            .id()
            .field("employee_id", .uuid, .required, .references("employees", "id", onDelete: .cascade))
            .field("available", .bool, .required)
            .field("reason", .string)
            .field("changed_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "presence_changes_employee_idx").on("presence_changes").column("employee_id").column("changed_at")
            .run()
        // Today's toggles become the first entries of the history, so a report knows where each agent stood.
        for row in try await database.sql.select().column("employee_id").column("available").column("reason").column("updated_at")
            .from("agent_presence").all()
        {
            try await database.sql.insert(into: "presence_changes").columns("id", "employee_id", "available", "reason", "changed_at")
                .values(
                    SQLBind(UUID()), SQLBind(try row.decode(column: "employee_id", as: UUID.self)),
                    SQLBind(try row.decode(column: "available", as: Bool.self)), SQLBind(try row.decode(column: "reason", as: String?.self)),
                    SQLBind(try row.decode(column: "updated_at", as: Date.self))
                ).run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("presence_changes").delete()
        try await database.sql.drop(index: "realtime_connections_seen_idx").run()
        try await database.schema("realtime_connections").deleteField("closed_at").update()
    }
}
