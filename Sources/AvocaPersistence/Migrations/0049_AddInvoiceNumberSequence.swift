import FluentKit
import SQLKit

/// PostgreSQL only: the sequence new invoice numbers are drawn from (see `BookJob`), started past
/// the numbers already used. SQLite runs one booking at a time, so `MAX + 1` cannot collide there.
struct AddInvoiceNumberSequence: AsyncMigration {
    static let name = "jobs_invoice_number_seq"

    func prepare(on database: any Database) async throws {
        let sql = try database.sql
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("CREATE SEQUENCE \(unsafeRaw: Self.name)").run()
        try await sql.raw("SELECT setval('\(unsafeRaw: Self.name)', (SELECT COALESCE(MAX(invoice_number), 1000) FROM jobs))").run()
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("DROP SEQUENCE \(unsafeRaw: Self.name)").run()
    }
}
