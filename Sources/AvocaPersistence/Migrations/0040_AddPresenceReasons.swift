import FluentKit
import SQLKit

/// Why an agent is away (`reason`) and how many offers in a row they let expire (`missed_offers`),
/// so routing stops ringing someone who has walked away from the desk.
struct AddPresenceReasons: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        try await database.schema("agent_presence").field("reason", .string).update()
        try await database.schema("agent_presence").field("missed_offers", .int, .required, .sql(.default(0))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("agent_presence").deleteField("missed_offers").update()
        try await database.schema("agent_presence").deleteField("reason").update()
    }
}
