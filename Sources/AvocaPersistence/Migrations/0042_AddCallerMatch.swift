import FluentKit
import SQLKit

/// Who the calling number matched when a call rang (`caller_*` on `phone_calls`), so ringing rows,
/// offers and the missed list name the customer without a lookup per socket.
struct AddCallerMatch: AsyncMigration {
    // One column per statement: SQLite adds a single column per ALTER TABLE.
    static let columns: [(String, DatabaseSchema.DataType)] = [
        ("caller_customer_id", .uuid), ("caller_name", .string), ("caller_open_jobs", .int), ("caller_last_job", .string),
        ("caller_last_job_at", .datetime),
    ]

    func prepare(on database: any Database) async throws {
        for (name, type) in Self.columns { try await database.schema("phone_calls").field(.string(name), type).update() }
    }

    func revert(on database: any Database) async throws {
        for (name, _) in Self.columns.reversed() { try await database.schema("phone_calls").deleteField(.string(name)).update() }
    }
}
