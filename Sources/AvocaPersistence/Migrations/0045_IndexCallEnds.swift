import FluentKit
import SQLKit

/// Presence reads each online agent's last hang-up every second; by the time a company has taken a
/// year of calls, reading them in end order must not mean scanning them all.
struct IndexCallEnds: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.sql.create(index: "phone_calls_end_idx").on("phone_calls").column("end_date_time").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(index: "phone_calls_end_idx").run()
    }
}
